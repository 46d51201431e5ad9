"""The worker process: ``arq workers.WorkerSettings`` parses, validates and stores uploaded reports."""

from __future__ import annotations

from typing import Any

__all__ = ["WorkerSettings"]


def __getattr__(name: str) -> Any:
    # Imported on demand, so that importing workers.parsing (pure) reads no settings.
    if name == "WorkerSettings":
        from workers.settings import WorkerSettings

        return WorkerSettings
    raise AttributeError(name)
