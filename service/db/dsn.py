"""An SQLAlchemy database URL as asyncpg's own DSN, for the plain connections made beside the engine
(the data-version listener, and the bench's and tests' admin connections)."""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url

#: The URL query options asyncpg's DSN reads (libpq's names). SQLAlchemy's own options (e.g.
#: prepared_statement_cache_size) would reach PostgreSQL as unknown settings and fail the connection.
_DSN_OPTIONS = frozenset(
    {"sslmode", "sslcert", "sslkey", "sslrootcert", "sslcrl", "sslpassword", "target_session_attrs"}
)


def asyncpg_dsn(url: URL | str) -> str:
    """``url`` (an engine's) as a ``postgresql://`` DSN with only the options asyncpg reads."""
    url = make_url(url)
    options = {key: value for key, value in url.query.items() if key in _DSN_OPTIONS}
    return url.set(drivername="postgresql", query=options).render_as_string(hide_password=False)
