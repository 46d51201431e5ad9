"""GraphQL multipart requests (uploads) whose ``operations`` and ``map`` do not fit together.

strawberry places each file where ``map`` says, trusting both parts' shapes: a ``map`` that is a
list, or a path through a number, raises inside it and became a 500. The mixin answers 400 instead.
"""

from __future__ import annotations

from cross_web import HTTPException


class CheckedMultipart:
    """Mixin for strawberry's ASGI view: malformed multipart requests are the client's error (400)."""

    async def parse_multipart(self, request: object) -> dict[str, str]:
        try:
            return await super().parse_multipart(request)  # type: ignore[misc,no-any-return]
        except (AttributeError, TypeError, IndexError, ValueError) as error:
            raise HTTPException(
                400,
                "the multipart request's map does not fit its operations: map must be an object "
                'from file fields to paths such as ["variables.file"] (GraphQL multipart request spec)',
            ) from error
