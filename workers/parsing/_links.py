"""A prefecture label's case-study link: kept only if it is an http(s) address (or a path on its site)."""

from __future__ import annotations

import html
import re

from workers.parsing import _reasons as reasons
from workers.parsing._text import Text

_ANCHOR = re.compile(r"<a\b[^>]*?\bhref\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]*))", re.IGNORECASE)
# A scheme (javascript:, data:, vbscript:, file:); browsers ignore tabs and newlines inside it.
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]")


def link(first_cell: str) -> str | Text | None:
    """The href of a row label's ``<a>``: the address, None if there is none (``#``), or why it is dropped.

    Only http and https addresses are links; a scheme-less path (``/fukuoka/``) stays one, as it
    resolves on the results page's own http(s) site. Anything else (``javascript:``, ``data:``)
    could run or carry code in a reader's browser.
    """
    anchor = _ANCHOR.search(first_cell)
    if anchor is None:
        return None
    href = html.unescape(next(g for g in anchor.groups() if g is not None)).strip()
    if href in ("", "#"):
        return None
    compact = _CONTROL.sub("", href)
    scheme = _SCHEME.match(compact)
    if _CONTROL.search(href.replace(" ", "")) or (
        scheme and scheme.group(1).lower() not in ("http", "https")
    ):
        return reasons.unsafe_link(href)
    if scheme is None and not compact.startswith(("/", "./", "../")) and ":" in compact.split("/")[0]:
        return reasons.unsafe_link(href)
    return href
