"""The worker process: ``arq workers.WorkerSettings`` parses, validates and stores uploaded reports."""

from workers.settings import WorkerSettings

__all__ = ["WorkerSettings"]
