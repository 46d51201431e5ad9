"""The reasons a file cannot be read (its encoding, a page, a CSV, a long CSV), in English and Japanese.

Like ``_reasons`` (cells, rows, columns, months) and ``_report_reasons`` (title, tables, sums),
each function renders one reason in both languages.
"""

from __future__ import annotations

from workers.parsing._text import Text


def zip_not_workbook() -> Text:
    return Text(
        "the file is a ZIP archive but not an Excel workbook (.xlsx)",
        "ZIP形式のファイルですが、Excelのブック（.xlsx）ではありません",
    )


def old_or_locked_workbook() -> Text:
    return Text(
        "the file is an Excel 97-2003 (.xls) or password-protected workbook; "
        "save it as .xlsx without a password",
        "Excel 97-2003形式（.xls）またはパスワード付きのブックです。"
        "パスワードなしの.xlsx形式で保存してください",
    )


def empty_file() -> Text:
    return Text("the file is empty", "ファイルが空です")


def binary_nul() -> Text:
    return Text(
        "the file is binary (it contains NUL bytes), not UTF-8 or CP932 text",
        "ファイルがバイナリです（NUL バイトを含みます）。UTF-8 か CP932 のテキストにしてください",
    )


def not_text() -> Text:
    return Text(
        "the file is binary or not UTF-8 or CP932 text",
        "ファイルがバイナリか、UTF-8・CP932 以外の文字コードです",
    )


def bad_utf8(offset: int) -> Text:
    return Text(
        f"the file is not valid UTF-8 text (bad byte at offset {offset})",
        f"ファイルが正しい UTF-8 ではありません（{offset}バイト目に不正なバイト）",
    )


def bad_utf16(offset: int) -> Text:
    return Text(
        f"the file is not valid UTF-16 text (bad bytes at offset {offset})",
        f"ファイルが正しい UTF-16 ではありません（{offset}バイト目に不正なバイト）",
    )


def binary_utf16() -> Text:
    return Text(
        "the file is binary (it contains NUL characters), not text",
        "ファイルがバイナリです（NUL 文字を含みます）",
    )


def page_charset(charset: str) -> Text:
    return Text(
        f"the page's charset '{charset}' is not UTF-8 or Shift_JIS",
        f"ページの文字コード「{charset}」は UTF-8 でも Shift_JIS でもありません",
    )


def bad_page_bytes(charset: str, offset: int) -> Text:
    return Text(
        f"the page is not valid {charset} (bad byte at offset {offset})",
        f"ページが正しい {charset} ではありません（{offset}バイト目に不正なバイト）",
    )


def row_too_wide(limit: int) -> Text:
    return Text(f"a table row is wider than {limit} columns", f"表の行が{limit}列を超えています")


def malformed_csv(error: str) -> Text:
    return Text(f"the CSV is malformed ({error})", f"CSV の形式が正しくありません（{error}）")


def long_without_figures() -> Text:
    return Text("the CSV has a header but no figures", "CSV に見出しはありますが、数値の行がありません")


def long_row_width(fields: int, width: int) -> Text:
    return Text(
        f"the row has {fields} fields but the header has {width}",
        f"行の項目数は{fields}ですが、見出しは{width}項目です",
    )


def long_second_value(where: str, first: int, line: int) -> Text:
    return Text(
        f"a second value for {where} (lines {first} and {line})",
        f"{where}の値が2回あります（{first}行目と{line}行目）",
    )


def unknown_indicator(text: str) -> Text:
    return Text(f"unknown indicator '{text}'", f"指標「{text}」は登録されていません")


def not_a_month(text: str) -> Text:
    return Text(f"'{text}' is not a month (1-12)", f"「{text}」は月（1〜12）ではありません")


def long_header_twice(name: str) -> Text:
    return Text(f"the header names '{name}' twice", f"見出しに「{name}」が2回あります")


def not_a_fiscal_year(text: str) -> Text:
    return Text(
        f"'{text}' is not a fiscal year (2026, 令和8年度)",
        f"「{text}」は年度（2026、令和8年度）ではありません",
    )


def long_year_differs(year: int, first: int, line: int) -> Text:
    return Text(
        f"fiscal year {year} differs from {first} (line {line}); a report covers one fiscal year",
        f"年度{year}が{first}（{line}行目）と異なります。1つの報告は1つの年度です",
    )


def long_missing(code: str, month: int, breakdown: str, names: str) -> Text:
    return Text(
        f"{code} has no {month}月 {breakdown} value for {names}",
        f"{code}の{month}月 {breakdown}の値が{names}にありません",
    )
