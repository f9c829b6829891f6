from datetime import UTC

from tidings.ingest.dates import parse_date


def test_iso_and_free_form_dates():
    assert parse_date("2019-04-17").date().isoformat() == "2019-04-17"
    assert parse_date("April 17, 2019").date().isoformat() == "2019-04-17"


def test_named_zone_is_understood_without_warning():
    parsed = parse_date("Mon, 22 Apr 2019 10:00:00 EDT")
    assert parsed.utcoffset().total_seconds() == -4 * 3600


def test_naive_dates_become_utc():
    assert parse_date("2019-04-17T10:00:00").tzinfo == UTC


def test_not_dates():
    assert parse_date("next tuesday") is None
    assert parse_date("") is None
    assert parse_date(None) is None
    assert parse_date("1066-10-14") is None  # implausible for news


def test_a_clock_time_a_yearless_date_or_a_month_is_not_a_publication_date():
    # dateutil fills missing parts from today: "3:30 p.m." would become today, "Feb 9" this year's Feb 9
    for text in ("3:30 p.m.", "Updated 6.15pm", "Feb 9", "Wednesday, November 21", "January 2011", "2019"):
        assert parse_date(text) is None, text
    assert parse_date("Sunday, July 31, 2011 21:39 EDT").date().isoformat() == "2011-07-31"
