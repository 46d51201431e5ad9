"""Parsing of the monthly results report (よろず支援拠点相談等実績): pure functions, bytes → ParsedReport.

``parse_report`` detects the format from the content (the text layout of the results page,
the page saved as HTML, an XLSX workbook, wide or long CSV; UTF-8 or CP932), turns it into the
text layout's lines, finds each table under its section and title, reads the 47 prefectures'
figures and validates them; it raises ``ParseError`` (naming file, table, line or cell) when the
report cannot be used and records warnings for inconsistencies that leave the figures usable.

It fails closed: the fiscal year comes only from the report's own title (or the upload's
``fiscal_year``), a title that nearly spells a catalogued indicator is refused, a template's
empty future months are dropped with a warning and a blank in a reported month is refused.
Figures keep a range that every sum the API computes fits in GraphQL's 32-bit Int: a
prefecture's monthly figure at most 1,000,000, a printed 合計 or 累計値 at most 564,000,000
(``_cells``). Every reason has a Japanese text beside the English one (``ParseError.message_ja``,
``ParsedReport.warnings_ja``).
"""

from workers.parsing._model import ParsedReport, ParsedTable, ParseError
from workers.parsing._report import parse_report

__all__ = ["ParseError", "ParsedReport", "ParsedTable", "parse_report"]
