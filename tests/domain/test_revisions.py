"""Which version of a figure wins (precedence) and the revisions among its versions."""

from __future__ import annotations

from datetime import UTC, datetime

from service.domain.revisions import Revision, Version, precedence, revisions


def at(hour: int) -> datetime:
    return datetime(2026, 6, 1, hour, tzinfo=UTC)


def test_a_later_month_wins_over_a_later_upload() -> None:
    april_and_may = precedence(fiscal_year=2026, latest_month=5, report_id=1)
    april_uploaded_later = precedence(fiscal_year=2026, latest_month=4, report_id=999)
    assert april_and_may > april_uploaded_later


def test_months_are_compared_in_fiscal_order_and_years_first() -> None:
    march = precedence(fiscal_year=2026, latest_month=3, report_id=1)
    december = precedence(fiscal_year=2026, latest_month=12, report_id=2)
    next_april = precedence(fiscal_year=2027, latest_month=4, report_id=1)
    assert december < march < next_april


def test_of_two_reports_of_the_same_month_the_later_upload_wins() -> None:
    first = precedence(fiscal_year=2026, latest_month=5, report_id=7)
    correction = precedence(fiscal_year=2026, latest_month=5, report_id=8)
    assert correction - first == 1


def test_revisions_list_each_replaced_value_once_newest_first() -> None:
    versions = [
        Version(value=130, report_id=4, precedence=40, processed_at=at(4)),
        Version(value=120, report_id=3, precedence=30, processed_at=at(3)),
        Version(value=120, report_id=2, precedence=20, processed_at=at(2)),
        Version(value=100, report_id=1, precedence=10, processed_at=at(1)),
    ]
    assert revisions(versions) == [
        Revision(value=120, report_id=3, replaced_at=at(4)),
        Revision(value=100, report_id=1, replaced_at=at(2)),
    ]


def test_a_version_stored_before_the_one_it_loses_to_is_replaced_when_that_one_is_stored() -> None:
    # Report 2 covers a later month but was stored first: report 1's value, stored at 09:00, lost as it came.
    versions = [
        Version(value=50, report_id=2, precedence=20, processed_at=at(8)),
        Version(value=40, report_id=1, precedence=10, processed_at=at(9)),
    ]
    assert revisions(versions) == [Revision(value=40, report_id=1, replaced_at=at(9))]
    assert revisions(versions[:1]) == []
