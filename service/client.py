"""The one HTTP client of yorozu's API: GraphQL requests, report uploads (GraphQL multipart), a
report's status and the wait for it to finish, with a bearer token.

The CLI, ``make run``, the bench and the tests all talk to the service through it. Two levels:
``send``/``send_upload`` return the raw response (tests look at refusals); ``graphql``/``upload``
return the data and raise a ``ServiceError`` for anything else.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import httpx

#: The upload mutation (``$fiscalYear``: the year of a file that names none).
UPLOAD_REPORT = """mutation($file: Upload!, $fiscalYear: Int) {
  uploadReport(file: $file, fiscalYear: $fiscalYear) { id number status filename } }"""
#: A report's status and outcome.
REPORT_STATUS = (
    "query($id: ID!) { report(id: $id) "
    "{ id number filename status error warnings fiscalYear months valuesStored } }"
)
#: The statuses a report ends in.
FINISHED = ("SUCCEEDED", "FAILED")


class ServiceError(Exception):
    """The service did not answer as asked."""


class NotTheService(ServiceError):
    """What answered is not yorozu's GraphQL endpoint (another page or server: check the URL)."""

    def __init__(self, base_url: httpx.URL, status_code: int) -> None:
        super().__init__(f"{base_url} answered HTTP {status_code}, not as yorozu-stats")
        self.status_code = status_code


class Refused(ServiceError):
    """GraphQL errors in the answer; ``codes`` are their ``extensions.code``."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(str(error.get("message")) for error in errors))
        self.errors = errors
        self.codes = {(error.get("extensions") or {}).get("code") for error in errors}


class StillWaiting(ServiceError):
    """A report did not finish within the time given; ``report`` is its last state."""

    def __init__(self, report: dict[str, Any], timeout: float) -> None:
        super().__init__(f"report {report['number']} is still {report['status']} after {timeout:g} s")
        self.report = report


def bearer(token: str | None) -> dict[str, str]:
    """The ``Authorization`` header of ``token``, or none."""
    return {"Authorization": f"Bearer {token}"} if token else {}


class Client:
    """Requests to one yorozu service.

    ``http``: an httpx client whose base URL is the service's (``connect`` opens one; tests pass
    theirs, over ASGI or a socket). ``token``: an API token (``API_TOKENS``) sent as a bearer
    token with every request, or None.
    """

    def __init__(self, http: httpx.AsyncClient, *, token: str | None = None) -> None:
        self.http = http
        self.token = token

    async def send(self, query: str, variables: Mapping[str, Any] | None = None) -> httpx.Response:
        """POST a GraphQL request; the response as it came."""
        request = {"query": query, "variables": dict(variables or {})}
        return await self.http.post("/graphql", json=request, headers=bearer(self.token))

    async def send_upload(
        self,
        content: bytes,
        filename: str,
        *,
        query: str = UPLOAD_REPORT,
        variables: Mapping[str, Any] | None = None,
    ) -> httpx.Response:
        """POST ``content`` as ``$file`` of ``query`` (the GraphQL multipart request spec's
        operations, map and file parts); the response as it came."""
        operations = {"query": query, "variables": {**(variables or {}), "file": None}}
        return await self.http.post(
            "/graphql",
            data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
            files={"0": (filename, content)},
            headers=bearer(self.token),
        )

    async def get(self, path: str, **request: Any) -> httpx.Response:
        """GET another of the service's pages (an export); the response as it came."""
        return await self.http.get(path, headers=bearer(self.token), **request)

    def answer(self, response: httpx.Response) -> dict[str, Any]:
        """The GraphQL answer in ``response``; ``NotTheService`` when it is none."""
        try:
            body = response.json()
        except ValueError:
            body = None
        # A 404 or 405 is some other page of a server (ours answers those in JSON too).
        if (
            response.status_code in (404, 405)
            or not isinstance(body, dict)
            or body.keys().isdisjoint(("data", "errors"))
        ):
            raise NotTheService(self.http.base_url, response.status_code)
        return body

    def data(self, response: httpx.Response) -> dict[str, Any]:
        """The answer's data; ``Refused`` when it carries errors."""
        body = self.answer(response)
        if body.get("errors"):
            raise Refused(list(body["errors"]))
        data: dict[str, Any] = body["data"]
        return data

    async def graphql(self, query: str, **variables: Any) -> dict[str, Any]:
        """Run ``query``; its data."""
        return self.data(await self.send(query, variables))

    async def upload(
        self, content: bytes, filename: str, *, query: str = UPLOAD_REPORT, **variables: Any
    ) -> dict[str, Any]:
        """Upload ``content`` with ``query`` (the upload, a preview, an import); the mutation's answer."""
        data = self.data(await self.send_upload(content, filename, query=query, variables=variables))
        (answer,) = data.values()
        return dict(answer)

    async def report(self, report_id: str) -> dict[str, Any] | None:
        """The report's status and outcome (``REPORT_STATUS``); None when there is no such report."""
        report: dict[str, Any] | None = (await self.graphql(REPORT_STATUS, id=report_id))["report"]
        return report

    async def wait(self, report_id: str, *, timeout: float, interval: float = 0.5) -> dict[str, Any]:
        """Ask for the report until it has finished; its final state (``StillWaiting`` after ``timeout``)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            report = await self.report(report_id)
            if report is None:
                raise ServiceError(f"no report {report_id}")
            if report["status"] in FINISHED:
                return report
            if loop.time() > deadline:
                raise StillWaiting(report, timeout)
            await asyncio.sleep(interval)


@asynccontextmanager
async def connect(
    base_url: str,
    *,
    token: str | None = None,
    timeout: float = 60,
    transport: httpx.AsyncBaseTransport | None = None,
) -> AsyncIterator[Client]:
    """A client of the service at ``base_url`` over a connection pool of its own."""
    async with httpx.AsyncClient(base_url=base_url, timeout=timeout, transport=transport) as http:
        yield Client(http, token=token)
