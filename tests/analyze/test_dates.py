"""Date resolution against a publication date; nothing resolved without one."""

from __future__ import annotations

from datetime import date

import pytest

from tidings.analyze.dates import find_dates

WED = date(2019, 4, 17)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("They may meet next week.", "2019-04-22", "week"),
        ("Talks were held on Wednesday.", "2019-04-17", "day"),
        ("He arrived on Monday.", "2019-04-15", "day"),
        ("The market will reopen on Friday.", "2019-04-19", "day"),
        ("It will happen later this month.", "2019-04-01", "month"),
        ("Trade fell last February.", "2019-02-01", "month"),
        ("He visited Moscow last month.", "2019-03-01", "month"),
        ("The Kremlin announced on Apr. 18 that he would come.", "2019-04-18", "day"),
        ("He was arrested on 17 November.", "2018-11-17", "day"),
        ("The hearing is scheduled for December 9.", "2019-12-09", "day"),
        ("It happened yesterday.", "2019-04-16", "day"),
        ("They met on Feb. 27-28, 2019 in Hanoi.", "2019-02-27", "day"),
        ("Sanctions were tightened in 2017.", "2017-01-01", "year"),
    ],
)
def test_resolution_against_publication_date(text, expected, precision):
    found = find_dates(text, "d", WED)
    assert [(str(m.date), m.precision) for m in found] == [(expected, precision)]


def test_without_publication_date_relative_dates_are_unresolved_not_guessed():
    found = find_dates("They meet next week, on Wednesday, later this month, on Apr. 18; in 2017 too.", "d", None)
    unresolved = [m.text for m in found if m.date is None]
    assert unresolved == ["next week", "Wednesday", "later this month", "Apr. 18"]
    assert all(m.reason for m in found if m.date is None)
    assert [str(m.date) for m in found if m.date] == ["2017-01-01"]


def test_titles_are_not_weekdays():
    assert find_dates("She appeared on Fox News Sunday and Saturday Night Live.", "d", WED) == []
