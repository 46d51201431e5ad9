"""The GraphQL documents the dashboard sends (frontend/src/dashboard/queries.ts) and docs/queries."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support.paths import ROOT

QUERIES_TS = ROOT / "frontend" / "src" / "dashboard" / "queries.ts"
DOCS = ROOT / "docs" / "queries"

_CONSTANT = re.compile(r"^(?:export )?const (\w+) =\s*(`[^`]*`|'[^']*');", re.MULTILINE)
_PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


def dashboard_documents(path: Path = QUERIES_TS) -> dict[str, str]:
    """Each string constant of queries.ts that is a GraphQL operation, by name, with the
    ``${…}`` of other constants filled in as the browser's JavaScript fills them."""
    constants = {name: literal[1:-1] for name, literal in _CONSTANT.findall(path.read_text(encoding="utf-8"))}
    filled = {
        name: _PLACEHOLDER.sub(lambda match: constants[match.group(1)], text)
        for name, text in constants.items()
    }
    return {
        name: text
        for name, text in filled.items()
        if text.lstrip().startswith(("query", "mutation", "subscription"))
    }


def docs_documents() -> dict[str, str]:
    """docs/queries/*.graphql by file name."""
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(DOCS.glob("*.graphql"))}
