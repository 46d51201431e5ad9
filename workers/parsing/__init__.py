"""Parsing of the monthly results report (よろず支援拠点相談等実績): pure functions, bytes → ParsedReport.

``parse_report`` detects the format from the content (the text layout of the results page,
the page saved as HTML, an XLSX workbook, wide or long CSV; UTF-8 or CP932), turns it into the
text layout's lines, finds each table under its section and title, reads the 47 prefectures'
figures and validates them; it raises ``ParseError`` (naming file, table, line or cell) when the
report cannot be used and records warnings for inconsistencies that leave the figures usable.
"""

from workers.parsing._model import ParsedReport, ParsedTable, ParseError
from workers.parsing._report import parse_report

__all__ = ["ParseError", "ParsedReport", "ParsedTable", "parse_report"]
