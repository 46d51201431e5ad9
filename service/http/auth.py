"""Bearer tokens: which configured token (by name) a request carries, compared in constant time."""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from starlette.requests import HTTPConnection


def caller_name(connection: HTTPConnection, tokens: dict[str, str]) -> str | None:
    """The name of the ``API_TOKENS`` entry in the ``Authorization: Bearer`` header, if any."""
    return caller_from_headers(connection.headers, tokens)


def caller_from_headers(headers: Mapping[str, str], tokens: dict[str, str]) -> str | None:
    """As ``caller_name``, from the request headers alone (for middleware)."""
    scheme, _, presented = headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        return None
    candidate = presented.strip().encode()
    found: str | None = None
    for secret, name in tokens.items():
        # Check every token so the time taken does not reveal which one matched.
        if hmac.compare_digest(candidate, secret.encode()):
            found = name
    return found
