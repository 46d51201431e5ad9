"""Every refusal of the workbook and PDF readers, in English and Japanese side by side (one place).

A reader raises ``Refusal(key, **fields)``; ``refusal.error(filename)`` is the ``ParseError`` the
upload gets (its reason the English text), and ``japanese(reason)`` gives the Japanese text of such a
reason, for ``ParseError.message_ja``.
"""

from __future__ import annotations

import re

from workers.parsing._model import ParseError
from workers.parsing._text import Text

_EXCEL = "open the file in Excel and save it (Excel saves each formula's value), then upload it again"
_EXCEL_JA = "Excelでファイルを開いて保存し（数式の値が保存されます）、もう一度アップロードしてください"

#: key → (English, Japanese) templates over the same fields.
MESSAGES: dict[str, tuple[str, str]] = {
    "not_plain_sum": (
        "{cell}: the formula '{formula}' has no saved value and is not a plain sum of cells; " + _EXCEL,
        "{cell_ja}: 数式「{formula}」は値が保存されておらず、セルの単純な合計でもありません。" + _EXCEL_JA,
    ),
    "formula_chain": (
        "{cell}: the formula '{formula}' depends on more than {limit} formulas without saved values; "
        + _EXCEL,
        "{cell_ja}: 数式「{formula}」は値のない数式を{limit}段より深く参照しています。" + _EXCEL_JA,
    ),
    "formula_cycle": (
        "{cell}: the formula '{formula}' refers to itself; " + _EXCEL,
        "{cell_ja}: 数式「{formula}」が自分自身を参照しています。" + _EXCEL_JA,
    ),
    "formula_sheet": (
        "{cell}: the formula '{formula}' refers to sheet '{sheet}', which the workbook does not have",
        "{cell_ja}: 数式「{formula}」が参照するシート「{sheet}」がブックにありません",
    ),
    "formula_work": (
        "{cell}: the workbook's formulas without saved values add up more than {limit} cells; " + _EXCEL,
        "{cell_ja}: 値のない数式が合計するセルが{limit}個を超えています。" + _EXCEL_JA,
    ),
    "formula_text": (
        "{cell}: the formula '{formula}' has no saved value and adds {source}, which holds '{text}', "
        "not a number; " + _EXCEL,
        "{cell_ja}: 数式「{formula}」は値が保存されておらず、数値でない「{text}」（{source_ja}）を"
        "合計しています。" + _EXCEL_JA,
    ),
    "formula_object": (
        "{cell}: the cell holds an array or data-table formula without a saved value; " + _EXCEL,
        "{cell_ja}: 配列数式またはデータテーブルの値が保存されていません。" + _EXCEL_JA,
    ),
    "hidden_row": (
        "{cell}: row {row} is hidden and holds figures no visible row of the table shows; "
        "unhide the row or delete it",
        "{cell_ja}: 非表示の{row}行目に、表示されている行にない数値があります。"
        "行を再表示するか削除してください",
    ),
    "hidden_column": (
        "{cell}: column {column} is hidden and holds figures no visible column shows; "
        "unhide the column or delete it",
        "{cell_ja}: 非表示の{column}列に、表示されている列にない数値があります。"
        "列を再表示するか削除してください",
    ),
    "hidden_sheet": (
        "{cell}: sheet '{sheet}' is hidden and holds figures no visible sheet shows; "
        "unhide the sheet or delete it",
        "{cell_ja}: 非表示のシート「{sheet}」に、表示されているシートにない数値があります。"
        "シートを再表示するか削除してください",
    ),
    "side_sections": (
        "{cell}: the tables to the left name several sections ({sections}) and the tables from here "
        "name none; write their section above them",
        "{cell_ja}: 左側の表が複数の区分（{sections}）を示し、ここからの表には区分がありません。"
        "表の上に区分を書いてください",
    ),
    "band_year": (
        "{cell}: the band '{band}' over the months does not name one fiscal year (年度)",
        "{cell_ja}: 月の上の見出し「{band}」が一つの年度を示していません",
    ),
    "zip_damaged": ("the ZIP archive is damaged ({why})", "ZIPファイルが壊れています（{why}）"),
    "xlsx_damaged": ("the workbook cannot be read ({why})", "ブックを読み取れません（{why}）"),
    "xlsx_parts": (
        "the workbook has {parts} parts, more than {limit}",
        "ブックの部品数（{parts}）が上限の{limit}を超えています",
    ),
    "xlsx_unpacked": (
        "the workbook unpacks to {size} MB, more than the {limit} MB allowed",
        "ブックの展開後の大きさ（{size} MB）が上限の{limit} MBを超えています",
    ),
    "xlsx_ratio": (
        "the workbook part '{part}' is compressed {ratio}:1, which no workbook is",
        "ブックの部品「{part}」の圧縮率（{ratio}:1）はブックとしてあり得ません",
    ),
    "xlsx_sheets": (
        "the workbook's sheets unpack to {size} MB, more than the {limit} MB a report's sheets may take",
        "シートの展開後の大きさ（{size} MB）が上限の{limit} MBを超えています",
    ),
    "sheet_declares": (
        "sheet '{sheet}' declares {rows} rows and {columns} columns, more than {max_rows} rows or "
        "{max_columns} columns",
        "シート「{sheet}」は{rows}行{columns}列と宣言しており、上限の{max_rows}行または{max_columns}列を"
        "超えています",
    ),
    "sheet_rows": (
        "sheet '{sheet}' has more than {limit} rows ({where})",
        "シート「{sheet}」の行数が上限の{limit}を超えています（{where}）",
    ),
    "sheet_columns": (
        "sheet '{sheet}' has more than {limit} columns ({where})",
        "シート「{sheet}」の列数が上限の{limit}を超えています（{where}）",
    ),
    "pdf_bytes": ("the PDF is larger than {limit} MB", "PDFの大きさが上限の{limit} MBを超えています"),
    "pdf_no_text": (
        "the PDF has no text layer (a scanned image); text is not recognised from images (no OCR): "
        "upload the PDF the agency published, or the report as HTML, text, CSV or .xlsx",
        "PDFに文字情報がありません（スキャン画像）。画像から文字は読み取りません（OCRは行いません）。"
        "公開されたPDFか、HTML・テキスト・CSV・.xlsxの報告をアップロードしてください",
    ),
    "pdf_pages": (
        "the PDF has {pages} pages, more than the {limit} a report may have",
        "PDFのページ数（{pages}）が上限の{limit}を超えています",
    ),
    "pdf_size": (
        "page {page} of the PDF has more than {limit}, far more than a report's page",
        "PDFの{page}ページ目の内容が上限（{limit}）を超えています",
    ),
    "pdf_content": (
        "the PDF's pages up to page {page} draw more than {limit}, far more than a report's",
        "PDFの{page}ページ目までの描画内容が上限の{limit}を超えています",
    ),
    "pdf_damaged": (
        "the PDF cannot be read ({why})",
        "PDFを読み取れません（{why}）",
    ),
    "pdf_encrypted": (
        "the PDF is password-protected; upload it without a password",
        "PDFにパスワードが設定されています。パスワードなしでアップロードしてください",
    ),
}

# "sheet '表2' cell C7" → シート「表2」のセルC7
_CELL = re.compile(r"sheet '((?:[^']|'')*)' cell ([A-Z]+[0-9]+)")


def cell_ja(cell: str) -> str:
    """A cell's name in Japanese: シート「表2」のセルC7."""
    return _CELL.sub(lambda m: f"シート「{m.group(1)}」のセル{m.group(2)}", cell)


class Refusal(Exception):
    """A reader's refusal, before the file's name is known to it: ``key`` into ``MESSAGES`` and fields."""

    def __init__(self, key: str, **fields: str) -> None:
        self.key = key
        self.fields = fields
        super().__init__(self.english)

    @property
    def english(self) -> str:
        return MESSAGES[self.key][0].format(**self.fields)

    @property
    def japanese(self) -> str:
        fields = {**self.fields, **{f"{k}_ja": cell_ja(v) for k, v in self.fields.items()}}
        return MESSAGES[self.key][1].format(**fields)

    def error(self, filename: str) -> ParseError:
        """The ParseError the upload gets."""
        return ParseError(Text(self.english, self.japanese), file=filename)


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    out = []
    for index, part in enumerate(parts):
        out.append(re.escape(part) if index % 2 == 0 else f"(?P<{part}>.*?)")
    return re.compile("".join(out))


_PATTERNS = [(key, _pattern(english)) for key, (english, _) in MESSAGES.items()]


def japanese(reason: str) -> str | None:
    """The Japanese text of a reason these readers gave (None for any other reason)."""
    for key, pattern in _PATTERNS:
        match = pattern.fullmatch(reason)
        if match is not None:
            return Refusal(key, **match.groupdict()).japanese
    return None
