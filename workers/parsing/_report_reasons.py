"""The reasons about a whole report (its title, its tables, its sums, its page), in English and Japanese.

Like ``_reasons`` (cells, rows, columns and months), each function renders one reason in both
languages; places are written ``(line n)`` / ``（n行目）`` for ``Source.cite``.
"""

from __future__ import annotations

from collections.abc import Sequence

from workers.parsing._text import Text

# The report's title and fiscal year


def _readings(readings: list[tuple[str, int, int]]) -> Text:
    en = ", ".join(f"'{text}' (line {line}) reads {year}" for text, line, year in readings)
    ja = "、".join(f"「{text}」（{line}行目）は{year}年度" for text, line, year in readings)
    return Text(en, ja)


def titles_disagree(readings: list[tuple[str, int, int]]) -> Text:
    both = _readings(readings)
    return both.prefixed(
        "the report's titles name different fiscal years: ", "報告書の表題の年度が一致しません: "
    )


def years_without_title(readings: list[tuple[str, int, int]]) -> Text:
    both = _readings(readings)
    return Text(
        "several fiscal years are named and no line is the report's title "
        f"(令和8年度よろず支援拠点相談等実績 or 令和8年4月分): {both.en}",
        f"複数の年度が記載されていますが、報告書の表題（令和8年度よろず支援拠点相談等実績 または "
        f"令和8年4月分）がありません: {both.ja}",
    )


def upload_year_differs(text: str, year: int, given: int) -> Text:
    return Text(
        f"the title '{text}' names fiscal year {year} but the upload gives {given}",
        f"表題「{text}」は{year}年度ですが、アップロード時の指定は{given}年度です",
    )


def no_year_in_title(text: str, *, others: Sequence[tuple[int, str, object]] = ()) -> Text:
    """The title names no year; ``others`` are (line, text, …) of lines that name one but are not
    the report's title (links to other years, news), named so the reader sees why none was taken."""
    if not others:
        return Text(f"no fiscal year (年度) in the title '{text}'", f"表題「{text}」に年度がありません")
    listed = ", ".join(f"'{other}' (line {line})" for line, other, _ in others[:3])
    listed_ja = "、".join(f"「{other}」（{line}行目）" for line, other, _ in others[:3])
    return Text(
        f"no fiscal year (年度) in the title '{text}'; other lines name a year ({listed}) but are not "
        "the report's title: put the year in the title or give fiscalYear with the upload",
        f"表題「{text}」に年度がありません。{listed_ja}は年度を含みますが報告書の表題ではありません。"
        "表題に年度を記載するか、アップロード時に年度（fiscalYear）を指定してください",
    )


def no_title() -> Text:
    return Text("the report has no title naming its fiscal year (年度)", "報告書に年度を示す表題がありません")


# Tables


def no_table(kind: str) -> Text:
    if kind == "text":
        return Text(
            "no table found (tab-separated rows of prefectures and months)",
            "表が見つかりません（都道府県と月のタブ区切りの行）",
        )
    return Text(
        f"no table found in the {kind} (rows of prefectures and months)",
        f"{kind}に表が見つかりません（都道府県と月の行）",
    )


def no_table_title() -> Text:
    return Text("the table has no title", "表に表題がありません")


def no_section() -> Text:
    return Text(
        "the table is not under a section heading ((1)ワンストップ相談窓口 or (2)生産性向上支援センター)",
        "表が区分の見出し（(1)ワンストップ相談窓口 または (2)生産性向上支援センター）の下にありません",
    )


def ambiguous_section(codes: list[str]) -> Text:
    return Text(
        f"the table is not under a section heading and its title names {' and '.join(codes)}: "
        "add (1)ワンストップ相談窓口 or (2)生産性向上支援センター",
        f"表が区分の見出しの下になく、表題は{'と'.join(codes)}のどちらとも読めます。"
        "(1)ワンストップ相談窓口 または (2)生産性向上支援センター を記載してください",
    )


def other_section(title: str, section: str, code: str) -> Text:
    return Text(
        f"'{title}' is an indicator of another section ({code}) but stands under {section}",
        f"「{title}」は別の区分の指標（{code}）ですが、{section}の下にあります",
    )


def near_spelling(title: str, spec_title: str, code: str) -> Text:
    return Text(
        f"the title '{title}' matches no catalogued indicator but nearly spells '{spec_title}' ({code}); "
        "correct the title, or name a new indicator distinctly",
        f"表題「{title}」は登録済みの指標と一致しませんが、「{spec_title}」（{code}）に似ています。"
        "表題を直すか、新しい指標なら区別できる名前にしてください",
    )


def unknown_breakdown(name: str, breakdown: str) -> Text:
    return Text(f"{name} has no breakdown '{breakdown}'", f"{name}に内訳「{breakdown}」はありません")


def given_twice(code: str, title: str, first: int, line: int) -> Text:
    return Text(
        f"indicator '{code}' is given twice: by '{title}' (line {first}) and by this table (line {line})",
        f"指標「{code}」が2回あります: 「{title}」（{first}行目）とこの表（{line}行目）",
    )


def uncatalogued(title: str, line: int, code: str) -> Text:
    return Text(
        f"table '{title}' (line {line}) matches no catalogued indicator; its figures are stored as '{code}'",
        f"表「{title}」（{line}行目）は登録済みの指標と一致しないため、「{code}」として保存します",
    )


def odd_months(title: str, line: int, months: str, usual: str) -> Text:
    return Text(
        f"table '{title}' (line {line}) gives {months} but most tables give {usual}",
        f"表「{title}」（{line}行目）は{months}ですが、他の多くの表は{usual}です",
    )


# Sums that do not add up (warnings)

#: The end of the warning for a table without a 合計 row: a format that never has one skips it.
NO_TOTAL_ROW = "has no 合計 row"


def no_total_row(title: str, line: int) -> Text:
    return Text(
        f"table '{title}' (line {line}) {NO_TOTAL_ROW}", f"表「{title}」（{line}行目）に合計行がありません"
    )


def place(title: str, row: str, line: int, column: str, breakdown: str | None) -> Text:
    """A cell of a table, as the sum warnings name it."""
    en = f"table '{title}', row {row} (line {line}), {column}"
    ja = f"表「{title}」{row}（{line}行目） {column}列"
    if breakdown is not None:
        en += f" ({breakdown})"
        ja += f"（{breakdown}）"
    return Text(en, ja)


def sum_mismatch(where: Text, printed: int, what: str, summed: int) -> Text:
    what_ja = "47都道府県" if what == "the 47 rows" else what.replace("the months ", "")
    return Text(
        f"{where.en}: printed {printed:,} but {what} sum to {summed:,}",
        f"{where.ja}: {printed:,} と記載されていますが、{what_ja}の合計は {summed:,} です",
    )


def breakdown_mismatch(where: Text, total: int, parts: list[str], values: list[int]) -> Text:
    summed = sum(values)
    shown = " + ".join(f"{v:,}" for v in values)
    return Text(
        f"{where.en}: total {total:,} is not {' + '.join(parts)} ({shown} = {summed:,})",
        f"{where.ja}: 合計 {total:,} が内訳の和（{shown} = {summed:,}）と一致しません",
    )


# Pages


def tables_nested(depth: int, limit: int) -> Text:
    return Text(
        f"the page is too deeply nested: tables inside tables {depth} deep "
        f"(a results page needs at most {limit})",
        f"ページの入れ子が深すぎます: 表の中の表が{depth}段（結果のページは{limit}段まで）",
    )


def elements_nested(limit: int) -> Text:
    return Text(
        f"the page is too deeply nested: elements more than {limit} deep",
        f"ページの入れ子が深すぎます: 要素が{limit}段を超えています",
    )


def title_names_no_indicator(title: str) -> Text:
    return Text(
        f"the table's title '{title}' names a period, not an indicator: give the table its own title "
        "(2.相談実績件数)",
        f"表の表題「{title}」は期間で、指標名ではありません。表題（例: 2.相談実績件数）を記載してください",
    )
