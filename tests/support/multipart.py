"""GraphQL multipart requests (the spec's operations, map and file parts), as clients upload,
sent with ``service.client``."""

from __future__ import annotations

from typing import Any

import httpx

from service.client import Client


async def multipart(
    client: httpx.AsyncClient,
    query: str,
    content: bytes,
    filename: str,
    *,
    token: str | None,
    variables: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A GraphQL multipart request (operations, map, file) with ``content`` as ``$file``."""
    response = await Client(client, token=token).send_upload(
        content, filename, query=query, variables=variables
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
