"""Every reason the parser refuses a report or warns about it, in English and Japanese, in one place.

Each function takes the facts of one reason and renders it in both languages; the parser raises
and warns only with these, so no reason lacks its Japanese text. Places in warnings are written
``(line n)`` and ``（n行目）`` so that ``Source.cite`` can point them into the file.
"""

from __future__ import annotations

from workers.parsing._text import Text

# Cells


def empty_cell() -> Text:
    return Text("the cell is empty", "セルが空欄です")


def not_a_number(cell: str) -> Text:
    return Text(f"'{cell}' is not a number", f"「{cell}」は数値ではありません")


def negative(cell: str) -> Text:
    return Text(f"'{cell}' is negative", f"「{cell}」は負の数です")


def withheld(cell: str) -> Text:
    return Text(
        f"'{cell}' marks a figure not available or withheld; "
        "the report must give a number (0 or － for none)",
        f"「{cell}」は数値が不明または秘匿の記号です。数値（該当なしは 0 または －）を記入してください",
    )


def too_large(cell: str, limit: int) -> Text:
    return Text(
        f"'{cell}' is too large (at most {limit:,})",
        f"「{cell}」は大きすぎます（上限 {limit:,}）",
    )


# Rows


def unknown_prefecture(name: str) -> Text:
    return Text(f"unknown prefecture '{name}'", f"「{name}」は都道府県名ではありません")


def duplicate_row(name: str, first: int, line: int) -> Text:
    return Text(
        f"duplicate row for {name} (lines {first} and {line})",
        f"{name}の行が重複しています（{first}行目と{line}行目）",
    )


def row_width(name: str, values: int, columns: int) -> Text:
    return Text(
        f"the row for {name} has {values} values but the header has {columns} columns",
        f"{name}の行の値は{values}個ですが、見出しの列は{columns}列です",
    )


def missing_rows(names: list[str]) -> Text:
    return Text(f"missing rows for {', '.join(names)}", f"{'、'.join(names)}の行がありません")


def subtotal_mismatch(label: str, line: int, column: str, printed: int, summed: int) -> Text:
    return Text(
        f"subtotal row '{label}' (line {line}), {column}: printed {printed:,} "
        f"but its rows sum to {summed:,}; it is not stored",
        f"小計行「{label}」（{line}行目） {column}: {printed:,} と記載されていますが、"
        f"その行の合計は {summed:,} です（小計は保存しません）",
    )


# Columns and headers


def unknown_header(label: str) -> Text:
    return Text(
        f"unknown header label '{label}'", f"見出し「{label}」は月・累計値・内訳のいずれでもありません"
    )


def empty_header() -> Text:
    return Text("a header cell is empty", "見出しのセルが空欄です")


def no_header_labels() -> Text:
    return Text("the header row has no column labels", "見出し行に列名がありません")


def no_header_row() -> Text:
    return Text("the table has no header row naming its months", "表に月を示す見出し行がありません")


def too_many_header_rows() -> Text:
    return Text(
        "too many header rows (at most two: months, then breakdowns)",
        "見出し行が多すぎます（月と内訳の2行まで）",
    )


def not_this_fiscal_year(label: str, fiscal_year: int) -> Text:
    return Text(
        f"'{label}' is not a month of fiscal year {fiscal_year}",
        f"「{label}」は{fiscal_year}年度の月ではありません",
    )


def band_year(label: str, fiscal_year: int) -> Text:
    return Text(
        f"the header band '{label}' names another fiscal year than the title's {fiscal_year}",
        f"見出し「{label}」の年度が表題の{fiscal_year}年度と異なります",
    )


def no_report_month(label: str) -> Text:
    return Text(
        f"the column '{label}' needs the month of the report, but the title names none (令和8年4月分)",
        f"「{label}」列の月が分かりません。表題に報告月（例: 令和8年4月分）を記載してください",
    )


def duplicate_column(kind: str, label: str) -> Text:
    kind_ja = "月" if kind == "month" else "累計値"
    return Text(f"duplicate {kind} column '{label}'", f"{kind_ja}の列「{label}」が重複しています")


def no_month() -> Text:
    return Text("the header names no month", "見出しに月がありません")


def uneven_breakdowns(month: int, first: int) -> Text:
    return Text(
        f"{month}月 does not have the same breakdown columns as {first}月",
        f"{month}月の内訳の列が{first}月と異なります",
    )


def cumulative_breakdowns() -> Text:
    return Text(
        "the 累計値 columns are not among the monthly breakdowns", "累計値の内訳が月の内訳と一致しません"
    )


def wider_month_row() -> Text:
    return Text(
        "the month header row is wider than the breakdown row", "月の見出し行が内訳の見出し行より長いです"
    )


def no_month_above(label: str) -> Text:
    return Text(f"the column '{label}' has no month above it", f"「{label}」列の上に月の見出しがありません")


def spacer_with_figures(column: int) -> Text:
    return Text(
        f"column {column} has figures but no header label",
        f"{column}列目に数値がありますが、見出しがありません",
    )


def ignored_columns(title: str, line: int, labels: list[str]) -> Text:
    names = ", ".join(f"'{label}'" for label in labels)
    return Text(
        f"table '{title}' (line {line}): columns {names} are not figures of the catalogue and were ignored",
        f"表「{title}」（{line}行目）: 列{'、'.join(f'「{label}」' for label in labels)}"
        "は集計対象外のため読みませんでした",
    )


# Months


def blank_in_reported_month(month: int, name: str) -> Text:
    return Text(
        f"the cell is empty but {month}月 has figures in other rows: write 0 or － for none, "
        "or leave the whole month blank if it is not reported yet",
        f"空欄ですが、{month}月は他の行に数値があります。該当なしは 0 または － を記入するか、"
        f"未報告の月なら月全体を空欄にしてください（{name}）",
    )


def blank_month_before(month: int, latest: int) -> Text:
    return Text(
        f"{month}月 is blank although the report gives figures up to {latest}月",
        f"{latest}月まで数値があるのに、{month}月が空欄です",
    )


def figures_after_report_month(month: int, report_month: int) -> Text:
    return Text(
        f"{month}月 has figures but the title reports {report_month}月分",
        f"表題は{report_month}月分ですが、{month}月に数値があります",
    )


def template_months(title: str, line: int, months: list[int], latest: int) -> Text:
    listed = ", ".join(f"{month}月" for month in months)
    return Text(
        f"table '{title}' (line {line}): {listed} after the latest reported month {latest}月 "
        "are blank or zero and were not stored",
        f"表「{title}」（{line}行目）: 最新の報告月{latest}月より後の{'、'.join(f'{m}月' for m in months)}は"
        "空欄またはゼロのため保存しませんでした",
    )


def no_figures() -> Text:
    return Text(
        "no month carries figures (every month is blank, － or zero)",
        "数値のある月がありません（すべて空欄、－ またはゼロです）",
    )


def in_row(text: Text, table: str | None, name: str, line: int) -> Text:
    """A row's warning, prefixed with the table and row it is about."""
    return text.prefixed(
        f"table '{table}', row {name} (line {line}): ", f"表「{table}」{name}（{line}行目）: "
    )


# Links


def unsafe_link(href: str) -> Text:
    return Text(
        f"the link '{href[:80]}' is not an http(s) address and was dropped",
        f"リンク「{href[:80]}」は http(s) のアドレスではないため使いません",
    )


def no_month_up_to(latest: int) -> Text:
    return Text(
        f"the table gives no month up to the report's latest month {latest}月",
        f"表に報告の最新月{latest}月までの月がありません",
    )
