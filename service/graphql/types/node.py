"""The Relay ``Node`` interface and its opaque global ids: base64 of ``Type:key``.

Hand-written rather than ``strawberry.relay``: relay's ``NodeID`` hides the field it marks (our
``code`` fields must stay), and its ``id`` resolver takes ``info``, which would send every list
of observations down graphql-core's slow path (see ``execution.py``). Here ``id`` is a plain
method of the object, computed only when selected.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

import strawberry

from service.graphql.errors import BadUserInput

GLOBAL_ID_DESCRIPTION = (
    "Opaque global id, unique across types (base64 of `Type:key`); pass it to `node(id:)`."
)


@strawberry.interface(
    description="An object with a global id (Relay Node): caches key it by `id`, `node(id:)` refetches it."
)
class Node:
    @strawberry.field(description=GLOBAL_ID_DESCRIPTION)
    def id(self) -> strawberry.ID:
        # Kept on the object: a prefecture or an indicator is one object shared by every figure of
        # an answer, and a dashboard asks for its id thousands of times.
        found: strawberry.ID | None = self.__dict__.get("_global_id")
        if found is None:
            # GraphQL type names are the class names of the types that implement Node.
            found = self.__dict__["_global_id"] = strawberry.ID(
                encode_global_id(type(self).__name__, self.node_key())
            )
        return found

    def node_key(self) -> str:
        """The object's key within its type (a code, a number, or parts joined by ``:``)."""
        raise NotImplementedError


@dataclass(frozen=True)
class GlobalId:
    """A decoded global id: the GraphQL type and the key within it."""

    type_name: str
    key: str


def encode_global_id(type_name: str, key: str) -> str:
    """``Prefecture``, ``13`` → ``UHJlZmVjdHVyZToxMw==``."""
    return base64_text(f"{type_name}:{key}".encode())


def base64_text(data: bytes) -> str:
    """``data`` in base64 (standard alphabet, padded, no newline), as text."""
    return binascii.b2a_base64(data, newline=False).decode()


def decode_global_id(value: str) -> GlobalId:
    """The type and key of a global id; BAD_USER_INPUT when ``value`` is not one at all.

    An id that decodes but names no Node type, or no object, is not an error here: ``node``
    answers null for it, as for an object since deleted.
    """
    try:
        text = base64.b64decode(value.encode(), validate=True).decode()
    except (ValueError, UnicodeDecodeError, binascii.Error):
        text = ""
    type_name, colon, key = text.partition(":")
    if not colon or not type_name or not key:
        raise BadUserInput(
            f"invalid id {value!r}: pass the `id` of an object this API gave (base64 of `Type:key`)"
        )
    return GlobalId(type_name, key)
