"""Hostile text from clients on SQLite and PostgreSQL: file names keep no control characters, terminal
escapes or bidirectional overrides, and a NUL (which PostgreSQL text cannot hold) is a clean coded
error or is dropped, never INTERNAL."""

from __future__ import annotations

import json
import unicodedata
import uuid
from typing import Any

import pytest

from tests.support.stack import TOKEN, Stack

UPLOAD = "mutation($file: Upload!) { uploadReport(file: $file) { id status filename } }"


async def upload_raw_name(stack: Stack, filename: bytes) -> dict[str, Any]:
    """An upload whose multipart ``filename`` is these bytes as they are (httpx would escape them)."""
    operations = json.dumps({"query": UPLOAD, "variables": {"file": None}}).encode()
    content = f"not a report {uuid.uuid4()}".encode()
    body = (
        b'--B\r\nContent-Disposition: form-data; name="operations"\r\n\r\n' + operations + b"\r\n"
        b'--B\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0": ["variables.file"]}\r\n'
        b'--B\r\nContent-Disposition: form-data; name="0"; filename="' + filename + b'"\r\n'
        b"Content-Type: text/plain\r\n\r\n" + content + b"\r\n--B--\r\n"
    )
    response = await stack.client.post(
        "/graphql",
        content=body,
        headers={"Content-Type": "multipart/form-data; boundary=B", "Authorization": f"Bearer {TOKEN}"},
    )
    if response.status_code == 400:  # the multipart parser refused the part header: nothing recorded
        assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
        return {"refused": True}
    assert response.status_code == 200, response.text[:300]
    result: dict[str, Any] = response.json()
    return result


def shown_plainly(name: str) -> bool:
    return not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name)


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        (b"report\x00.txt", "report.txt"),
        (b"\x1b[31mred\x1b[0m report.txt", "red report.txt"),
        (b"\x1b]0;pwned\x07title.txt", "title.txt"),
        ("invoice\u202etxt.exe".encode(), "invoicetxt.exe"),
        ("\u2066isolate\u2069\u200f.xlsx".encode(), "isolate.xlsx"),
        (b"tab\tand\x7fdel\x0b.csv", "tabanddel.csv"),
        (b"../../etc/passwd", "passwd"),
        (b"C:\\Users\\x\\\xe5\xae\x9f\xe7\xb8\xbe.txt", "実績.txt"),
        (b"\x00\x01\x02", "upload"),
    ],
)
async def test_file_names_are_recorded_plain(stack: Stack, filename: bytes, expected: str) -> None:
    body = await upload_raw_name(stack, filename)
    assert "errors" not in body, body
    recorded = body["data"]["uploadReport"]
    assert recorded["filename"] == expected
    report = await stack.report(recorded["id"])
    assert report["filename"] == expected and shown_plainly(report["filename"])


async def test_a_long_file_name_is_cut_short(stack: Stack) -> None:
    body = await upload_raw_name(stack, b"n" * 3_000 + b".txt")  # part headers stop at 4 KB
    assert "errors" not in body, body
    assert 0 < len(body["data"]["uploadReport"]["filename"]) <= 255


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        ("query($v: String) { caseStudies(industry: $v) { totalCount } }", {"v": "製造\u0000業"}),
        ("query($v: String) { caseStudies(prefecture: $v) { totalCount } }", {"v": "東京\u0000"}),
        ('{ caseStudies(industry: "a\\u0000b") { totalCount } }', {}),
        ("query($v: String!) { indicator(code: $v) { code } }", {"v": "onestop.consultations\u0000"}),
        ("query($v: ID!) { report(id: $v) { id } }", {"v": "1\u0000"}),
        ("query($v: String) { reports(after: $v) { totalCount } }", {"v": "\u0000"}),
        (
            "query($v: String) { observations(indicator: $v, fiscalYear: 2026) { value } }",
            {"v": "onestop.consultations\u0000"},
        ),
    ],
)
async def test_a_nul_in_query_text_is_refused_with_a_code(
    stack: Stack, query: str, variables: dict[str, Any]
) -> None:
    body = await stack.graphql(query, variables)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body


async def test_a_huge_file_name_is_cut_short_or_refused(stack: Stack) -> None:
    body = await upload_raw_name(stack, b"n" * 100_000 + b".txt")
    assert body.get("refused") or 0 < len(body["data"]["uploadReport"]["filename"]) <= 255


async def test_a_nul_in_a_case_study_is_refused_with_a_code(stack: Stack) -> None:
    mutation = "mutation($input: CaseStudyInput!) { addCaseStudy(input: $input) { id } }"
    case = {"prefecture": "13", "title": "title\u0000", "url": "https://example.com/nul", "industry": "製造"}
    body = await stack.graphql(mutation, {"input": case}, token=TOKEN)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body
    listed = await stack.graphql("{ caseStudies { edges { node { url } } } }")
    assert "https://example.com/nul" not in json.dumps(listed)
