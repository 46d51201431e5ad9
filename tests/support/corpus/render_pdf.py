"""PDFs as the agency publishes them: ruled tables over page breaks, headers repeated or not, page
numbers and running titles, landscape twelve-month tables; a scanned page and a locked file refused.

``to_pdf`` lays the text layout's blocks out with reportlab's platypus in its built-in Japanese CID
font (HeiseiKakuGo-W5, no font file), so the PDF has a real text layer that pdfplumber reads back.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tests.support.corpus import Rendering
from tests.support.corpus.render_xlsx import YEAR, _values, multi_month
from tests.support.formats import Heading, blocks, label
from tests.support.formats import Table as TextTable
from tests.support.reportgen import seed_values
from tests.support.sample import sample_text

FONT = "HeiseiKakuGo-W5"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
_BODY = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=13)
_TITLE = ParagraphStyle("title", fontName=FONT, fontSize=14, leading=20)


def to_pdf(
    text: str,
    *,
    repeat_header: bool = True,
    page_numbers: bool = False,
    running_title: bool = False,
    wide: bool = False,
    ruled: bool = True,
    change: Callable[[list[list[str]]], None] | None = None,
) -> bytes:
    """The report as a PDF: headings and paragraphs as text, each table ruled (a grid).

    ``repeat_header`` repeats a table's header rows on each page it runs onto; ``page_numbers``
    prints "- n -" at the foot of each page, ``running_title`` the report title at its head;
    ``wide`` lays pages out in landscape; ``ruled=False`` draws no grid; ``change`` edits each
    table's cells before they are drawn.
    """
    found = blocks(text)
    title = next(b.text for b in found if isinstance(b, Heading))
    story: list[Flowable] = []
    for block in found:
        if isinstance(block, TextTable):
            rows = [[label(row[0]), *row[1:]] for row in block.rows]
            width = max(len(row) for row in rows)
            rows = [row + [""] * (width - len(row)) for row in rows]
            if change is not None:
                change(rows)
            heads = block.header_rows()
            table = Table(rows, repeatRows=heads if repeat_header else 0)
            table.setStyle(
                TableStyle(
                    [
                        ("FONTNAME", (0, 0), (-1, -1), FONT),
                        ("FONTSIZE", (0, 0), (-1, -1), 8),
                        ("ALIGN", (1, heads), (-1, -1), "RIGHT"),
                        *([("GRID", (0, 0), (-1, -1), 0.5, colors.black)] if ruled else []),
                    ]
                )
            )
            story += [table, Spacer(1, 6)]
        elif isinstance(block, Heading):
            style = _TITLE if block.text == title else _BODY
            story.append(Paragraph(block.text, style))
        else:
            story += [Paragraph(line, _BODY) for line in block.lines]

    def decorate(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.setFont(FONT, 8)
        if page_numbers:
            canvas.drawCentredString(doc.pagesize[0] / 2, 20, f"- {doc.page} -")
        if running_title and doc.page > 1:
            canvas.drawString(doc.leftMargin, doc.pagesize[1] - 30, title)

    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=landscape(A4) if wide else A4, title=title)
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def scanned() -> bytes:
    """A scanned page: only a picture of a table (drawn shapes), no text at all."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for row in range(40):
        canvas.rect(50, 780 - row * 18, 480, 18)
        canvas.rect(52, 782 - row * 18, 60 + row % 7 * 9, 12, fill=1)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def locked() -> bytes:
    """The seed's first page, readable only with a password."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, encrypt="secret")
    canvas.setFont(FONT, 12)
    canvas.drawString(50, 800, "令和8年度よろず支援拠点相談等実績")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _cell(row: int, column: int, value: str) -> Callable[[list[list[str]]], None]:
    """An edit of every table's cell (row, column), 0-based."""

    def change(rows: list[list[str]]) -> None:
        rows[row][column] = value

    return change


SEED = seed_values()
THREE = [4, 5, 6]

RENDERINGS = [
    Rendering(
        "pdf: seed, headers repeated over page breaks", "r08-04.pdf", lambda: to_pdf(sample_text()), SEED
    ),
    Rendering(
        "pdf: seed, headers not repeated, page numbers",
        "r08-04-plain.pdf",
        lambda: to_pdf(sample_text(), repeat_header=False, page_numbers=True),
        SEED,
    ),
    Rendering(
        "pdf: seed, running title and page numbers",
        "r08-04-running.pdf",
        lambda: to_pdf(sample_text(), running_title=True, page_numbers=True),
        SEED,
    ),
    Rendering(
        "pdf: three months",
        "r08-06.pdf",
        lambda: to_pdf(multi_month(THREE), page_numbers=True),
        _values(THREE),
        months=(4, 5, 6),
    ),
    Rendering(
        "pdf: three months, headers not repeated, running title",
        "r08-06-plain.pdf",
        lambda: to_pdf(multi_month(THREE), repeat_header=False, running_title=True),
        _values(THREE),
        months=(4, 5, 6),
    ),
    Rendering(
        "pdf: twelve months in landscape",
        "r08-03.pdf",
        lambda: to_pdf(multi_month(YEAR), wide=True, running_title=True),
        _values(YEAR),
        months=tuple(YEAR),
    ),
    Rendering(
        "pdf: a scanned page without a text layer: refused",
        "scan.pdf",
        scanned,
        None,
        refusal=("no text layer", "no OCR"),
    ),
    Rendering(
        # Columns told only by the positions of their text: not read (see the module docstring of
        # workers/parsing/_pdf.py), refused rather than guessed.
        "pdf: tables without rules: refused",
        "r08-04-unruled.pdf",
        lambda: to_pdf(sample_text(), ruled=False),
        None,
        refusal=("no table found in the PDF",),
    ),
    Rendering("pdf: password-protected: refused", "locked.pdf", locked, None, refusal=("password",)),
    Rendering(
        "pdf: 'x' (withheld) in 北海道's 4月: refused naming page and cell",
        "r08-04-x.pdf",
        lambda: to_pdf(sample_text(), change=_cell(2, 1, "x")),
        None,
        refusal=("table '1.名寄せ後の事業者数'", "column '4月': 'page 1'!B6: 'x' "),
    ),
]
