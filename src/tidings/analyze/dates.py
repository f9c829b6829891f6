"""Dates: find date expressions and resolve them against the article's publication date.

News writes dates relative to the day it is published ("on Wednesday",
"next week", "later this month", "last October"), so a date means nothing
until it is anchored. Absolute expressions ("Oct. 2", "April 9, 2019", "17
November", "2 weeks ago", "yesterday") are parsed by dateparser with the
publication date as ``RELATIVE_BASE``; weekdays, weeks, months and years
get a small resolver on top, because their reading depends on tense: "will
play France on Sunday" is the coming Sunday, "was arrested on Sunday" the
last one. A year left out is the one that puts the date nearest the
publication date. Without a publication date, a relative expression stays
unresolved with that reason: nothing is guessed.
"""

from __future__ import annotations

import re
import warnings
from datetime import date, datetime, timedelta
from functools import lru_cache

from tidings.analyze.model import DateMention
from tidings.calendar import WEEKDAYS

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4,
    "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {day: number for number, day in enumerate(WEEKDAYS)}
_MONTH_RX = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_WEEKDAY_RX = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("absolute", re.compile(rf"\b(?:{_WEEKDAY_RX},?\s+)?{_MONTH_RX}\s+{_DAY}(?:\s*[-–]\s*{_DAY})?(?:,?\s+{_YEAR})?\b")),
    ("absolute", re.compile(rf"\b{_DAY}\s+{_MONTH_RX}(?:,?\s+{_YEAR})?\b")),
    ("month_year", re.compile(rf"\b(?:(?:early|mid|late)[-\s]+)?{_MONTH_RX}\s+(?:of\s+)?{_YEAR}\b")),
    ("year", re.compile(rf"\b(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|from|during|early|late|mid-)\s?{_YEAR}\b(?![-–]\d)")),
    (
        "relative",
        re.compile(
            r"\b(?:(?:earlier|later)\s+this|last|next|this|past|coming)\s+(?:week|month|year)\b"
            r"|\b(?:yesterday|today|tomorrow|tonight)\b"
            r"|\b(?:a|one|two|three|four|five|six|\d+)\s+(?:days?|weeks?|months?|years?)\s+ago\b",
            re.IGNORECASE,
        ),
    ),
    (
        "month",
        re.compile(
            r"\b(?:(?:last|next|this|in|since|until|by|during|into|early|late|mid|of)[-\s]+)(?:(?:early|late|mid)[-\s]+)?"
            r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
        ),
    ),
    ("weekday", re.compile(rf"\b(?:(?:last|next|this)\s+)?{_WEEKDAY_RX}(?:['’]s)?\b")),
]
_FUTURE = re.compile(
    r"\b(?:will|won['’]t|would|shall|'ll|is to|are to|to be held|scheduled|plans?|planned|expected|expects|set to|"
    r"going to|next|until|upcoming|coming|due)\b",
    re.IGNORECASE,
)
_TITLE_BEFORE = re.compile(r"(?:News|Fox|Friendship|Black|Cyber|Super|Good|Ash|Palm|Bloody)\s+$")
_TITLE_AFTER = re.compile(r"^\s+(?:Night|Times|Telegraph|Post|Mirror|Express|Show|Today|Morning|Herald)\b")


def _tense(text: str, start: int) -> str:
    """ "future" when a future marker precedes the expression within its clause, else "past"."""
    window = text[max(0, start - 90) : start]
    window = re.split(r"[.;!?]\s", window)[-1]
    words = window.split()[-12:]
    return "future" if _FUTURE.search(" ".join(words)) else "past"


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _shift_month(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _nearest_year(month: int, day: int, base: date, tense: str) -> date | None:
    candidates = []
    for year in (base.year - 1, base.year, base.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        return None
    best = min(candidates, key=lambda d: abs((d - base).days))
    if tense == "future":
        later = [d for d in candidates if d >= base - timedelta(days=1)]
        return min(later) if later else best
    if tense == "past" and (best - base).days > 60:
        earlier = [d for d in candidates if d <= base]
        return max(earlier) if earlier else best
    return best


@lru_cache(maxsize=1)
def _dateparser():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import dateparser

    return dateparser


def _parse_absolute(expr: str, base: date | None, tense: str) -> tuple[date | None, str]:
    clean = re.sub(rf"^{_WEEKDAY_RX},?\s+", "", expr)
    clean = re.sub(rf"\s*[-–]\s*{_DAY}(?=,|\s|$)", "", clean)  # "Feb. 27-28" -> the first day
    has_year = re.search(_YEAR + r"\s*$", clean) is not None
    settings = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month"], "DATE_ORDER": "MDY"}
    if base is not None:
        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day)
    if not has_year and base is None:
        return None, "no publication date to supply the year"
    parsed = _dateparser().parse(clean, languages=["en"], settings=settings)
    if parsed is None:
        return None, "not a date"
    if has_year:
        return parsed.date(), "day"
    assert base is not None
    resolved = _nearest_year(parsed.month, parsed.day, base, tense)
    return resolved, "day"


def _resolve_relative(expr: str, base: date) -> tuple[date | None, str]:
    low = expr.lower()
    words = low.split()
    unit = words[-1]
    if low in ("yesterday", "today", "tonight", "tomorrow") or low.endswith(" ago"):
        parsed = _dateparser().parse(
            low.replace("tonight", "today"),
            languages=["en"],
            settings={"RELATIVE_BASE": datetime(base.year, base.month, base.day)},
        )
        if parsed is None:
            return None, "not a date"
        precision = "day" if low in ("yesterday", "today", "tonight", "tomorrow") or "day" in low else "week"
        if "month" in low:
            return date(parsed.year, parsed.month, 1), "month"
        if "year" in low:
            return date(parsed.year, 1, 1), "year"
        return parsed.date(), precision
    step = -1 if words[0] in ("last", "past") else 1 if words[0] in ("next", "coming") else 0
    if unit == "week":
        return _monday(base) + timedelta(weeks=step), "week"
    if unit == "month":
        return _shift_month(date(base.year, base.month, 1), step), "month"
    if unit == "year":
        return date(base.year + step, 1, 1), "year"
    return None, "not a date"


def _resolve_month(expr: str, base: date, tense: str) -> tuple[date | None, str]:
    words = re.split(r"[-\s]+", expr.lower())
    month = _MONTHS[words[-1]]
    if words[0] == "last":
        year = base.year if month < base.month else base.year - 1
    elif words[0] == "next":
        year = base.year if month > base.month else base.year + 1
    elif words[0] == "this":
        year = base.year
    elif tense == "future" or words[0] in ("into", "until", "by"):
        year = base.year if month >= base.month else base.year + 1
    else:
        year = base.year if month <= base.month else base.year - 1
    return date(year, month, 1), "month"


def _resolve_weekday(expr: str, base: date, tense: str) -> tuple[date | None, str]:
    words = expr.lower().replace("’s", "").replace("'s", "").split()
    weekday = _WEEKDAYS[words[-1]]
    delta = (weekday - base.weekday()) % 7
    if words[0] == "last":
        return base - timedelta(days=(7 - delta) if delta else 7), "day"
    if words[0] == "next":
        return base + timedelta(days=delta if delta else 7), "day"
    if words[0] == "this":
        return _monday(base) + timedelta(days=weekday), "day"
    if delta == 0:
        return base, "day"
    if tense == "future":
        return base + timedelta(days=delta), "day"
    return base - timedelta(days=7 - delta), "day"


def _resolve(kind: str, expr: str, base: date | None, tense: str) -> tuple[date | None, str, str | None]:
    if kind == "absolute":
        resolved, precision = _parse_absolute(expr, base, tense)
        return resolved, precision if resolved else "day", None if resolved else precision
    if kind == "month_year":
        words = re.split(r"[-\s]+", expr.lower().replace(".", ""))
        month = next(_MONTHS[w] for w in words if w in _MONTHS)
        return date(int(words[-1]), month, 1), "month", None
    if kind == "year":
        return date(int(expr[-4:]), 1, 1), "year", None
    if base is None:
        return None, "day", "relative date, and the article has no publication date"
    if kind == "relative":
        resolved, precision = _resolve_relative(expr, base)
    elif kind == "month":
        resolved, precision = _resolve_month(expr, base, tense)
    else:
        resolved, precision = _resolve_weekday(expr, base, tense)
    return resolved, precision, None if resolved else precision


def find_dates(text: str, doc_id: str, published: date | None) -> list[DateMention]:
    """Date expressions in ``text``, each resolved against ``published`` (or marked unresolved).

    >>> [(m.text, str(m.date), m.precision) for m in find_dates("Kim will visit next week.", "d", date(2019, 4, 17))]
    [('next week', '2019-04-22', 'week')]
    >>> find_dates("It happened on Wednesday.", "d", None)[0].reason
    'relative date, and the article has no publication date'
    """
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            expr = match.group(0)
            if kind == "month":  # keep the month words, drop the preposition ("in April" -> April, "last October")
                head = re.match(r"(?:in|since|until|by|during|into|of)[-\s]+", expr)
                if head:
                    start += head.end()
                    expr = expr[head.end() :]
            if any(s < end and start < e for s, e in taken):
                continue
            if kind == "weekday" and (
                _TITLE_BEFORE.search(text[max(0, start - 12) : start]) or _TITLE_AFTER.match(text[end : end + 12])
            ):
                continue
            if (kind == "weekday" and text[end : end + 1] == "s") or text[start - 1 : start].isalnum():
                continue
            tense = _tense(text, start)
            resolved, precision, reason = _resolve(kind, expr, published, tense)
            if resolved is None and reason == "not a date":
                continue
            taken.append((start, end))
            out.append(DateMention(doc_id, start, end, text[start:end], resolved, precision, reason))
    return sorted(out, key=lambda m: m.start)
