"""Publication dates from metadata strings.

Feeds, JSONL datasets and page metadata give dates in ISO 8601, RFC 2822
or free forms such as "April 17, 2019"; dateutil reads all of them. All
datetimes are made timezone-aware (UTC when the input names no zone) so
documents from different sources can be ordered.
"""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, timedelta, timezone

from dateutil import parser as date_parser

_MIN_YEAR = 1900
#: two different fill-ins for the parts a text leaves out: a part that changes with them was never stated
_DEFAULTS = (datetime(2001, 1, 1), datetime(2002, 2, 2))
# Zone abbreviations common in news datelines; dateutil knows only UTC/GMT by itself.
_ZONES = {
    name: timezone(timedelta(hours=hours))
    for name, hours in {
        "UTC": 0,
        "GMT": 0,
        "Z": 0,
        "BST": 1,
        "CET": 1,
        "CEST": 2,
        "EET": 2,
        "EEST": 3,
        "MSK": 3,
        "IST": 5.5,
        "CST": -6,
        "CDT": -5,
        "EST": -5,
        "EDT": -4,
        "MST": -7,
        "MDT": -6,
        "PST": -8,
        "PDT": -7,
        "JST": 9,
        "KST": 9,
        "AEST": 10,
        "AEDT": 11,
        "HKT": 8,
        "SGT": 8,
    }.items()
}


def parse_date(value: object) -> datetime | None:
    """Parse a date-like value, returning ``None`` when it is not a plausible date.

    >>> parse_date("2019-04-17").isoformat()
    '2019-04-17T00:00:00+00:00'
    >>> parse_date("next tuesday") is None
    True

    A clock time, a date without a year ("Feb 9") or a month alone is not a publication date: dateutil
    would fill in the missing parts from today.

    >>> parse_date("5:35 p.m.") is None, parse_date("Feb 9") is None, parse_date("January 2011") is None
    (True, True, True)
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        text = str(value).strip()
        if not text or len(text) > 64:
            return None
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # unknown zone names: the date is still right
                parsed = date_parser.parse(text, fuzzy=False, tzinfos=_ZONES, default=_DEFAULTS[0])
                other = date_parser.parse(text, fuzzy=False, tzinfos=_ZONES, default=_DEFAULTS[1])
        except (ValueError, OverflowError, TypeError):
            return None
        if parsed.date() != other.date():
            return None  # no year, month or day in the text: dateutil filled it in, so the date is made up
    if parsed.year < _MIN_YEAR or parsed.year > datetime.now(UTC).year + 1:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed
