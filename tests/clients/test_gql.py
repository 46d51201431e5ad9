"""Python's ``gql`` (WebsocketsTransport, graphql-transport-ws) receives a report's statuses pushed."""

from __future__ import annotations

from typing import Any

import pytest
from gql import Client, GraphQLRequest
from gql.transport.exceptions import TransportQueryError
from gql.transport.websockets import WebsocketsTransport

from tests.support.live import STATUS, TOKEN, Live, fresh_report


def transport(live: Live) -> WebsocketsTransport:
    return WebsocketsTransport(
        url=live.ws_url,
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],
        init_payload={"Authorization": f"Bearer {TOKEN}"},
    )


async def test_gql_receives_queued_processing_succeeded(live: Live) -> None:
    statuses: list[str] = []
    async with Client(transport=transport(live)) as session:
        with live.paused():
            report_id = await live.upload(fresh_report())
            request = GraphQLRequest(STATUS, variable_values={"id": report_id})
            updates = session.subscribe(request)
            first: dict[str, Any] = await anext(updates)  # type: ignore[arg-type]
            statuses.append(first["reportStatus"]["status"])  # the worker cannot have moved it yet
        # The worker runs again: whatever comes now was pushed.
        async for update in updates:
            statuses.append(update["reportStatus"]["status"])
    assert statuses == ["QUEUED", "PROCESSING", "SUCCEEDED"]


async def test_gql_raises_the_coded_error_of_an_unknown_report(live: Live) -> None:
    async with Client(transport=transport(live)) as session:
        with pytest.raises(TransportQueryError) as raised:
            async for _ in session.subscribe(GraphQLRequest(STATUS, variable_values={"id": "999999"})):
                pass
    assert raised.value.errors is not None
    assert raised.value.errors[0]["extensions"]["code"] == "NOT_FOUND"
