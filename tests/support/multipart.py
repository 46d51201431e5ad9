"""GraphQL multipart requests (the spec's operations, map and file parts), as clients upload."""

from __future__ import annotations

import json
from typing import Any

import httpx


async def multipart(
    client: httpx.AsyncClient, query: str, content: bytes, filename: str, *, token: str | None
) -> dict[str, Any]:
    """A GraphQL multipart request (operations, map, file) with ``content`` as ``$file``."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await client.post(
        "/graphql",
        data={
            "operations": json.dumps({"query": query, "variables": {"file": None}}),
            "map": json.dumps({"0": ["variables.file"]}),
        },
        files={"0": (filename, content)},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
