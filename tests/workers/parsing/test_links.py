"""Case-study links: only http(s) addresses (or paths on the page's own site) are kept."""

from __future__ import annotations

import pytest

from workers.parsing._links import link
from workers.parsing._text import Text


@pytest.mark.parametrize(
    "href",
    ["https://a.example/case?x=1&amp;y=2", "http://a.example/", "/fukuoka/", "//cdn.example/a", "./a"],
)
def test_kept(href: str) -> None:
    assert link(f'<a href="{href}">福岡県</a>') == href.replace("&amp;", "&")


@pytest.mark.parametrize("href", ["", "#", " # "])
def test_no_link(href: str) -> None:
    assert link(f'<a href="{href}">福岡県</a>') is None
    assert link("福岡県") is None


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        " JavaScript:alert(1)",
        "&#106;avascript:alert(1)",
        "java&#9;script:alert(1)",
        "data:text/html,<b>x</b>",
        "vbscript:msgbox",
        "file:///etc/passwd",
    ],
)
def test_dropped_with_a_reason(href: str) -> None:
    reason = link(f"<a href='{href}'>福岡県</a>")
    assert isinstance(reason, Text)
    assert "is not an http(s) address and was dropped" in reason.en
    assert "http(s) のアドレスではない" in reason.ja
