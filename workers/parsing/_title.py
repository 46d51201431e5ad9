"""The report's own title and the fiscal year (and month) it names, never a navigation or news line's."""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.domain.fiscal import fiscal_year_from_title, report_month_from_title
from service.domain.reference import normalize_label
from workers.parsing import _report_reasons as report_reasons
from workers.parsing._layout import Layout
from workers.parsing._model import ParseError
from workers.parsing._source import Source

# What names the report once its year, month and decoration are taken away.
_REPORT_NAME = re.compile(
    r"(?:よろず支援拠点の?)?(?:相談等?|支援)?実績(?:報告|一覧|について|速報|集計|表)?"
    # As of when: （令和8年4月末時点）, （5月10日更新）, 速報値
    r"(?:[0-9]*日?(?:末?時点|現在|更新|公表|作成|版)|速報値?|確定値?|暫定値?)*"
)
_YEAR = re.compile(r"(?:令和|平成|R|H)(?:元|[0-9]{1,2})年度?|[0-9]{4}年度?|[0-9]{1,2}月分?|年度")
_DECORATION = re.compile(r"[\W_]")


@dataclass(frozen=True)
class ReportTitle:
    """The title line, the fiscal year it names and, for 令和8年4月分, the month the report is for."""

    text: str
    fiscal_year: int
    month: int | None = None


def names_report(text: str) -> bool:
    """Whether a line is the report's title: its year (or month of report) and the report's name.

    令和8年度よろず支援拠点相談等実績 and 令和8年4月分 are; 令和7年度実績 (a link to another
    year), 令和8年度実績を公開しました (news) and 令和6年度｜令和7年度 (tabs) are not.
    """
    month = report_month_from_title(text) is not None
    if fiscal_year_from_title(text) is None and not month:
        return False
    rest = _without_year(text)
    if not rest:
        return month
    return (month and _REPORT_NAME.fullmatch(rest) is not None) or _is_report_name(rest)


def _names_report_only(text: str) -> bool:
    """Whether a line is the report's name with no year it reads: よろず支援拠点相談等実績 alone.

    Such a line is the report's title, so no other line may lend it a year.
    """
    return _is_report_name(_without_year(text))


def _without_year(text: str) -> str:
    """The line without its year, month and decoration: what is left to name the report."""
    return _DECORATION.sub("", _YEAR.sub("", normalize_label(text)))


def _is_report_name(rest: str) -> bool:
    return _REPORT_NAME.fullmatch(rest) is not None and ("よろず" in rest or "相談" in rest)


def _reading(text: str) -> tuple[int, int | None] | None:
    of_month = report_month_from_title(text)
    if of_month is not None:
        return of_month
    year = fiscal_year_from_title(text)
    return None if year is None else (year, None)


def report_title(layout: Layout, source: Source, *, filename: str, given: int | None) -> ReportTitle:
    """The report's title; ParseError when the year is missing or two readings are possible."""
    if source.title is not None:
        text, year = source.title
        return _agreed(ReportTitle(text, year), given, None, filename)
    read = [(line, text, reading) for line, text in layout.title_lines if (reading := _reading(text))]
    titles = [entry for entry in read if names_report(entry[1])]
    yearless = [(line, text) for line, text in layout.title_lines if _names_report_only(text)]
    if not titles and yearless and given is None:
        # The report's own title names no year: a year on a navigation or news line is another
        # report's, and guessing it would store every figure under the wrong year.
        line, text = yearless[0]
        raise ParseError(report_reasons.no_year_in_title(text, others=read), file=filename, line=line)
    chosen = titles or ([] if yearless else read)
    if chosen:
        years = {reading[0] for _, _, reading in chosen}
        if len(years) > 1:
            readings = [(text, line, reading[0]) for line, text, reading in chosen]
            why = (
                report_reasons.titles_disagree(readings)
                if titles
                else report_reasons.years_without_title(readings)
            )
            raise ParseError(why, file=filename, line=chosen[0][0])
        # A heading (#, <h1>) before plain text, as a page may link to its own year above its title.
        marked = [entry for entry in chosen if source.lines[entry[0] - 1].lstrip().startswith("#")]
        line, text, (year, month) = (marked or chosen)[0]
        months = {reading[1] for _, _, reading in chosen if reading[1] is not None}
        if month is None and len(months) == 1:
            month = months.pop()
        return _agreed(ReportTitle(text, year, month), given, line, filename)
    if given is not None:
        text = layout.title_lines[0][1] if layout.title_lines else filename
        return ReportTitle(text, given)
    if layout.title_lines:
        line, text = layout.title_lines[0]
        raise ParseError(report_reasons.no_year_in_title(text), file=filename, line=line)
    raise ParseError(report_reasons.no_title(), file=filename, line=1)


def _agreed(title: ReportTitle, given: int | None, line: int | None, filename: str) -> ReportTitle:
    if given is not None and given != title.fiscal_year:
        why = report_reasons.upload_year_differs(title.text, title.fiscal_year, given)
        raise ParseError(why, file=filename, line=line)
    return title
