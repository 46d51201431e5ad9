"""Layout: which lines are titles, tables, notes and definitions, and what belongs to what."""

from __future__ import annotations

from workers.parsing._layout import scan

ROW = "北海道\t1"


def test_title_lines_stop_at_the_first_section() -> None:
    layout = scan(
        ["", "ホーム", "# 令和8年度実績", "## (1)ワンストップ相談窓口", "1.相談実績件数", "\t4月", ROW]
    )
    assert layout.title_lines == [(2, "ホーム"), (3, "令和8年度実績")]
    (table,) = layout.tables
    assert table.section == "onestop"
    assert table.heading is not None and (table.heading.text, table.heading.line) == ("1.相談実績件数", 5)
    assert table.rows == [(6, "\t4月"), (7, ROW)]


def test_the_last_heading_titles_the_table() -> None:
    lines = [
        "(1)ワンストップ相談窓口",
        "",
        "⑨よろず支援拠点の支援スキル",
        "",
        "a 同席した職員数",
        "",
        "\t4月",
        ROW,
    ]
    (table,) = scan(lines).tables
    assert table.heading is not None
    assert (table.heading.number, table.heading.name) == ("⑨a", "同席した職員数")


def test_the_group_lasts_until_a_numbered_title_or_another_section() -> None:
    lines = ["(1)ワンストップ相談窓口", "⑨よろず", "a 甲", "\t4月", ROW, "b 乙", "\t4月", ROW]
    lines += ["(2)生産性向上支援センター", "c 丙", "\t4月", ROW]
    numbers = [t.heading.number for t in scan(lines).tables if t.heading]
    assert numbers == ["⑨a", "⑨b", "c"]


def test_notes_and_definitions() -> None:
    lines = [
        "(1)ワンストップ相談窓口",
        "2.相談実績件数",
        "\t4月",
        ROW,
        "",
        "都道府県名をクリックすると、これまで各よ  ",
        "ろず支援拠点が支援している事例もご覧いただけます。  ",
        "◆◆相談実績件数:延べ件数。  ",
        "1日に数次。",
        "",
        "※注記",
        "",
        "4.紹介した事業者数",
        "\t4月",
        ROW,
    ]
    first, second = scan(lines).tables
    assert first.definition == ["相談実績件数:延べ件数。", "1日に数次。", "", "※注記", ""]
    assert second.heading is not None and second.heading.text == "4.紹介した事業者数"
    assert second.definition == []


def test_a_plain_line_after_a_note_titles_the_next_table() -> None:
    lines = [
        "(1)ワンストップ相談窓口",
        "相談実績件数",
        "\t4月",
        ROW,
        "都道府県名をクリック…",
        "",
        "紹介した事業者数",
        "\t4月",
    ]
    tables = scan(lines).tables
    assert [t.heading.text for t in tables if t.heading] == ["相談実績件数", "紹介した事業者数"]


def test_a_definition_above_its_table() -> None:
    lines = ["(1)ワンストップ相談窓口", "### 2.相談実績件数", "◆◆延べ件数。", "", "\t4月", ROW]
    (table,) = scan(lines).tables
    assert table.definition == ["延べ件数。", ""]
    assert table.heading is not None and table.heading.text == "2.相談実績件数"


def test_blank_lines_and_lost_tabs_inside_a_table() -> None:
    lines = [
        "(1)ワンストップ相談窓口",
        "2.相談実績件数",
        "\t4月",
        "",
        "合計 3",
        ROW,
        "",
        "青森県\t2",
        "◆◆定義",
    ]
    (table,) = scan(lines).tables
    assert [line for line, _ in table.rows] == [3, 5, 6, 8]
    assert table.definition == ["定義"]


def test_a_table_right_after_a_definition_has_no_title() -> None:
    lines = ["(1)ワンストップ相談窓口", "1.甲", "\t4月", ROW, "◆◆甲の定義", "", "\t4月", ROW]
    first, second = scan(lines).tables
    assert first.definition == ["甲の定義", ""]
    assert second.heading is None


def test_remarks_are_not_titles() -> None:
    lines = ["(1)ワンストップ相談窓口", "2.相談実績件数", "（単位：件）", "※速報値", "\t4月", ROW]
    (table,) = scan(lines).tables
    assert table.heading is not None and table.heading.text == "2.相談実績件数"


def test_stray_tabs_in_prose_make_no_table() -> None:
    lines = ["(1)ワンストップ相談窓口", "1.甲", "\t4月", ROW, "都道府県名をクリック\t", "◆◆甲：定義\tです"]
    (table,) = scan(lines).tables
    assert table.definition == ["甲：定義\tです"]


def test_an_unlabelled_total_row_of_one_column() -> None:
    lines = ["(1)ワンストップ相談窓口", "1.甲", "\t4月", "\t5", ROW, "青森\t3", "都道府県名をクリック"]
    (table,) = scan(lines).tables
    assert [line for line, _ in table.rows] == [3, 4, 5, 6]


def test_emphasised_headings() -> None:
    lines = ["**(1)ワンストップ相談窓口**", "**2.相談実績件数**", "\t4月", ROW]
    (table,) = scan(lines).tables
    assert table.section == "onestop"
    assert table.heading is not None and table.heading.text == "2.相談実績件数"
