"""Every setting of the API and the worker, read from the environment (pydantic-settings)."""

from __future__ import annotations

from functools import cache
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    """Configuration by environment variables (``DATABASE_URL``, ``REDIS_URL``, ``API_TOKENS`` …)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./yorozu.db"
    redis_url: str = "redis://localhost:6379/0"
    #: PostgreSQL connections each process keeps open, and how many more it may open under load.
    db_pool_size: int = Field(10, ge=1)
    db_max_overflow: int = Field(10, ge=0)
    #: How long a request waits for a free connection before it answers SERVICE_UNAVAILABLE: long
    #: enough that a burst of clients queues for the pool instead of failing (64 to 200 clients).
    db_pool_timeout_seconds: float = Field(30.0, gt=0)
    #: Bearer tokens allowed to upload, comma-separated; ``name:secret`` names the uploader.
    api_tokens: Annotated[dict[str, str], NoDecode] = Field(default_factory=dict)
    #: arq queue; separate names let several deployments (or test runs) share one Redis.
    queue_name: str = "yorozu:queue"
    max_upload_bytes: int = 20 * 1024 * 1024
    #: The largest body of any request but an upload (a JSON query); parsing one blocks the loop.
    max_json_bytes: int = 1024 * 1024
    #: How long a request body may take to arrive (a client trickling bytes is cut off).
    max_body_seconds: float = 60.0
    #: How long a client may take to send a request line and headers (slowloris), and their size.
    request_head_seconds: float = 10.0
    max_request_head_bytes: int = 64 * 1024
    #: How long an idle keep-alive connection stays open (uvicorn --timeout-keep-alive).
    keep_alive_seconds: int = 5
    #: Open connections or running requests past which new requests get 503 (--limit-concurrency).
    max_connections: int = 1000
    job_timeout_seconds: int = 300
    job_max_tries: int = 5
    #: Times a report is taken up (jobs, retries, sweeps) before it ends FAILED instead.
    max_attempts: int = 5
    #: Wall-clock seconds a report's reading (parsing, in a child process) may take before it is killed.
    parse_timeout_seconds: float = 60
    #: Memory (MB of address space) reading one report may add before it is stopped.
    parse_memory_mb: int = 1024
    #: Reports each worker process reads at once (each in its own child process).
    parse_processes: int = 2
    sweep_interval_seconds: int = 30
    #: How often an idle worker polls the queue.
    worker_poll_seconds: float = 0.05
    requeue_after_seconds: int = 120
    #: How long ``previewReport`` waits for a worker's answer before it answers TIMEOUT.
    preview_timeout_seconds: float = 60
    max_page_size: int = 100
    #: Query limits; an error names the one a query exceeds.
    max_query_depth: int = 10
    max_query_aliases: int = 50
    max_query_tokens: int = 5000
    #: Characters in one name (an alias, an operation, fragment or variable name): every item of a
    #: list repeats its aliases, so one long alias would multiply the answer's size.
    max_name_length: int = 100
    #: Time the depth and alias checks of one document may take before it is refused.
    max_query_check_ms: int = 250
    #: Field values a query may resolve, lists counted by their length (the dashboard query: ~70,000).
    max_query_cost: int = 500_000
    max_batch_size: int = Field(
        10,
        ge=1,
        description="Operations one HTTP request may carry as a JSON array (Apollo's BatchHttpLink); "
        "more answer LIMIT_EXCEEDED.",
    )
    max_subscriptions_per_connection: int = Field(
        20,
        ge=1,
        description="Subscriptions open at once on one WebSocket; more answer LIMIT_EXCEEDED.",
    )
    max_subscriptions: int = Field(
        2000,
        ge=1,
        description="Subscriptions open at once in one API process, all connections together; more "
        "answer LIMIT_EXCEEDED.",
    )
    status_recheck_seconds: float = Field(
        10.0,
        gt=0,
        description="How often an API process re-reads the status of the reports its subscriptions "
        "follow (one query for all), in case a Redis message was lost.",
    )
    #: Memory each API process may keep answers of repeated queries in (0 turns the cache off).
    response_cache_bytes: int = 64 * 1024 * 1024
    #: Browser origins allowed to call the API (CORS), comma-separated; none by default.
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    #: Whether queries and exports are open to anyone; false asks them for a token too.
    public_queries: bool = True
    #: Load the bundled sample report through the upload path when the database is empty.
    sample_data: bool = True
    log_level: str = "INFO"

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _parse_origins(cls, raw: object) -> object:
        """``"https://a.example, https://b.example"`` → a list."""
        return [part.strip() for part in raw.split(",") if part.strip()] if isinstance(raw, str) else raw

    @field_validator("api_tokens", mode="before")
    @classmethod
    def _parse_tokens(cls, raw: object) -> object:
        """``"alice:s3cret,bob:t0ken"`` → ``{"s3cret": "alice", …}``; a bare secret is named ``token-N``."""
        if not isinstance(raw, str):
            return raw
        tokens: dict[str, str] = {}
        for index, item in enumerate(filter(None, (part.strip() for part in raw.split(","))), 1):
            name, sep, secret = item.partition(":")
            if sep:
                tokens[secret] = name
            else:
                tokens[item] = f"token-{index}"
        return tokens


@cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
