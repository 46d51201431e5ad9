"""Decoding: UTF-8 with or without BOM, CP932, line breaks; empty and binary files."""

from __future__ import annotations

import pytest

from workers.parsing import ParseError
from workers.parsing._decode import decode, split_lines

TEXT = "# 令和8年度\n合計\t1\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("cp932"), "cp932"),
    ],
)
def test_encodings(data: bytes, encoding: str) -> None:
    assert decode(data, filename="f.txt") == (TEXT, encoding)


def test_line_breaks_are_cr_lf_or_crlf_only() -> None:
    assert split_lines("a\r\nb\rc\nd\x0ce\u2028f\n") == ["a", "b", "c", "d\x0ce\u2028f"]
    assert split_lines("a\n\n") == ["a", ""]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "the file is empty"),
        (b"\xef\xbb\xbf \n", "the file is empty"),
        (b"a\x00b", "the file is binary (it contains NUL bytes), not UTF-8 or CP932 text"),
        (b"\x81\x20", "the file is binary or not UTF-8 or CP932 text"),
    ],
)
def test_unusable_bytes(data: bytes, reason: str) -> None:
    with pytest.raises(ParseError) as error:
        decode(data, filename="f.txt")
    assert str(error.value) == f"f.txt: {reason}"


def test_utf8_with_a_bad_byte_is_not_read_as_cp932() -> None:
    data = ("# 令和8年度\n" * 5).encode() + b"\xe3(\n" + "合計\t1\n".encode()
    with pytest.raises(ParseError) as error:
        decode(data, filename="f.txt")
    assert error.value.line == 6
    assert "not valid UTF-8" in error.value.reason
