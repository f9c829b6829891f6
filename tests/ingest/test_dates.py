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
