"""Publication dates: found where the publisher put them, never invented.

A document's date can come from four places, and each document records which
one (``published_source``):

* ``metadata``: the page's own markup (JSON-LD ``datePublished``, OpenGraph
  ``article:published_time``, ``<meta name="date">`` and its Dublin Core and
  vendor variants, ``itemprop="datePublished"``, the ``<time>`` element of the
  article's byline), or a date handed in with the document (a JSONL
  ``published`` field, the API's ``published``);
* ``feed``: the feed item's ``published``/``updated``;
* ``url``: a day in the address (``/2019/04/17/``, ``/2019/nov/18/``, ``-20191115``);
* ``text``: a full date in the article's head (a dateline, a byline, "Posted on
  July 14, 2015").

Otherwise it is ``none`` and the document stays undated. What is deliberately
not a publication date: a year alone (a copyright footer, "© 2007–2019", "first
proposed in 2007"), a month without a day, a modification date (in markup, or
labelled "Updated"/"Last updated" on the page), a numeric date whose day and
month could swap (02-12-2025), a relative time ("3 hours ago"), dates elsewhere
on the page (sidebars, comments), and placeholders such as 0001-01-01. A date string must name its year, month and
day; nothing is filled in (dateutil would otherwise complete "2019" with
today's month and day, or a page's "2007" become 1 January 2007).

All datetimes are timezone-aware (UTC when the input names no zone) so
documents from different sources can be ordered.
"""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from dateutil import parser as date_parser
from lxml.html import HtmlElement

SOURCES = ("metadata", "feed", "url", "text", "none")
"""Where a document's publication date came from (``none``: it has none)."""

_MIN_YEAR = 1900
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # a zero timestamp: a placeholder, not a date
_WESTMOST = timedelta(hours=12)  # UTC-12: the latest a day ends anywhere, after it ends in UTC
_FUTURE = timedelta(days=2)  # a date further ahead than this is a scheduled event, not a publication
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
# Two defaults that differ in every date field: a field dateutil had to fill in comes out different.
_DEFAULT_A = datetime(2001, 1, 1)
_DEFAULT_B = datetime(2002, 2, 2)


def _plausible(parsed: datetime) -> datetime | None:
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    if parsed.year < _MIN_YEAR or parsed == _EPOCH or parsed > datetime.now(UTC) + _FUTURE:
        return None
    return parsed


_NUMERIC_DAY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{4}\b")  # 02-12-2025, 4/5/2019 (not ISO)


# A full ISO 8601 date, perhaps with a time and a zone: what datetime.fromisoformat reads as dateutil does.
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:\d{2})?)?")


def _ambiguous(text: str) -> bool:
    """Whether a numeric date could be read day first or month first (02-12-2025: 2 December or February 12)."""
    match = _NUMERIC_DAY.match(text)
    return bool(match) and match.group(1) != match.group(2) and max(int(match.group(1)), int(match.group(2))) <= 12


def parse_date(value: object) -> datetime | None:
    """Parse a full date (year, month and day), returning ``None`` for anything less, implausible or ambiguous.

    >>> parse_date("2019-04-17").isoformat()
    '2019-04-17T00:00:00+00:00'
    >>> parse_date("Wed, 17 Apr 2019 08:30:00 GMT").isoformat()
    '2019-04-17T08:30:00+00:00'
    >>> [parse_date(v) for v in ("2019", "April 2019", "next tuesday", "0001-01-01T00:00:00Z", "02-12-2025")]
    [None, None, None, None, None]
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return _plausible(value)
    text = str(value).strip()
    if not text or len(text) > 64 or _ambiguous(text):
        return None
    if _ISO.fullmatch(text):  # most dates handed in (JSONL, feeds, markup): the standard parser, 40x faster
        try:
            return _plausible(datetime.fromisoformat(text))
        except ValueError:
            pass  # "2019-02-30", "24:00": dateutil's verdict
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # unknown zone names: the date is still right
            a = date_parser.parse(text, default=_DEFAULT_A, fuzzy=False, tzinfos=_ZONES)
            b = date_parser.parse(text, default=_DEFAULT_B, fuzzy=False, tzinfos=_ZONES)
    except (ValueError, OverflowError, TypeError):
        return None
    if (a.year, a.month, a.day) != (b.year, b.month, b.day):
        return None  # a field was missing and would have been invented
    return _plausible(a)


# -- metadata -----------------------------------------------------------------------

_UPDATE_WORDS = re.compile(r"\b(?:updated?|modified|revised|changed)\b", re.IGNORECASE)
_UPDATE_MARKUP = re.compile(r"modif|updat|changed|revis", re.IGNORECASE)  # meta names: article:modified_time
# "Updated", "Last updated on", "Modified:" (and a weekday) just before a date: the date is not the publication's.
_UPDATE_BEFORE = re.compile(
    r"\b(?:updated?|modified|revised|changed)\s*(?:on|at)?\s*:?\s*(?:[A-Za-z]+\.?,?\s*)?$", re.IGNORECASE
)
_BEFORE_CHARS = 40  # how far before a date its label ("Last updated on") is looked for


# <meta> names (property, name or itemprop, lower-cased) that carry the publication date, best first.
_META_NAMES = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "article.published",
    "pubdate",
    "og:pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "published_time",
    "pub_date",
    "parsely-pub-date",
    "sailthru.date",
    "article_date_original",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dcterms.created",
    "date",
    "datecreated",
    "article.created",
    "sn-post-date",
)
_META_RANK = {name: rank for rank, name in enumerate(_META_NAMES)}
_ARTICLE_TYPES = re.compile(r"article|posting|report|newsarticle|blog|webpage|creativework|review", re.IGNORECASE)


def _json_ld_objects(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        for item in value:
            yield from _json_ld_objects(item)
    elif isinstance(value, dict):
        yield value
        yield from _json_ld_objects(value.get("@graph"))


def _json_ld_article(tree: HtmlElement) -> tuple[datetime | None, datetime | None]:
    """``datePublished`` (else ``dateCreated``) and ``dateModified`` of the page's article object in JSON-LD."""
    for script in tree.iterfind(".//script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        try:
            data = json.loads(script.text, strict=False)  # pages put raw newlines in strings
        except ValueError:
            continue
        for obj in _json_ld_objects(data):
            kind = obj.get("@type")
            kinds = kind if isinstance(kind, list) else [kind]
            if not any(isinstance(k, str) and _ARTICLE_TYPES.search(k) for k in kinds):
                continue
            for key in ("datePublished", "dateCreated"):
                if found := parse_date(obj.get(key)):
                    return found, parse_date(obj.get("dateModified"))
    return None, None


def _json_ld_date(tree: HtmlElement) -> datetime | None:
    """``datePublished`` (else ``dateCreated``) of the page's article object in JSON-LD."""
    return _json_ld_article(tree)[0]


# Names that say only "a date": the publication's on most pages, the last change's on some.
_GENERIC_META = frozenset({"date", "dc.date", "dcterms.date"})


def _wall_clock(when: datetime) -> datetime:
    """The date and time as written, to the minute (pages often state one instant with two different zones)."""
    return when.replace(tzinfo=None, second=0, microsecond=0)


def _meta_date(tree: HtmlElement) -> datetime | None:
    """The best-ranked meta date; a generic one ("date", "dc.date") that repeats the page's stated modification
    time (or its day, when it has no time) is that modification, not the publication."""
    best: tuple[int, datetime] | None = None
    changed: set[datetime] = set()
    for meta in tree.iterfind(".//meta"):
        name = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if _UPDATE_MARKUP.search(name) and (when := parse_date(meta.get("content"))):
            changed |= {_wall_clock(when), _wall_clock(when).replace(hour=0, minute=0)}
        rank = _META_RANK.get(name)
        if rank is None or (best is not None and best[0] <= rank):
            continue
        if found := parse_date(meta.get("content")):
            best = (rank, found)
    if best is not None and _META_NAMES[best[0]] in _GENERIC_META and _wall_clock(best[1]) in changed:
        return None
    return best[1] if best else None


def _itemprop_date(tree: HtmlElement) -> datetime | None:
    for el in tree.xpath('//*[@itemprop="datePublished"]'):
        for value in (el.get("content"), el.get("datetime"), el.text_content()):
            if found := parse_date(value):
                return found
    return None


_NEAR_HEADING = 60  # elements after the headline in which its byline's <time> may sit


def _text_before(el: HtmlElement) -> str:
    """The last few characters of text that come before ``el`` in the page (its label: "Updated", "Published")."""
    parts: list[str] = []
    size = 0
    node = el
    while node is not None and size < _BEFORE_CHARS:
        for sibling in node.itersiblings(preceding=True):
            text = (sibling.text_content() if isinstance(sibling.tag, str) else "") + (sibling.tail or "")
            parts.append(text)
            size += len(text)
            if size >= _BEFORE_CHARS:
                break
        parent = node.getparent()
        if parent is not None and size < _BEFORE_CHARS:
            parts.append(parent.text or "")
            size += len(parent.text or "")
        node = parent
    return " ".join(" ".join(reversed(parts)).split())[-_BEFORE_CHARS:]


def _is_update(el: HtmlElement) -> bool:
    """Whether a ``<time>`` is the page's modification time: so marked (``itemprop="dateModified"``, on it or
    its parent), or so labelled ("Updated March 3, 2020")."""
    if any(node is not None and _marked_update(node) for node in (el, el.getparent())):
        return True
    return bool(_UPDATE_WORDS.search(el.text_content()) or _UPDATE_BEFORE.search(_text_before(el)))


def _time_date(el: HtmlElement) -> datetime | None:
    return None if _is_update(el) else parse_date(el.get("datetime"))


def _byline_time(tree: HtmlElement) -> datetime | None:
    """The ``<time datetime>`` of the headline's byline: marked ``pubdate``, else the first one in the
    article that holds the headline, else the first within a few elements after the headline (not a
    sidebar's or a comment's). A time that is marked or labelled as an update is passed over."""
    for el in tree.xpath("//time[@pubdate]"):
        if found := _time_date(el):
            return found
    heading = next(tree.iter("h1"), None)
    if heading is None:
        return None
    container = heading
    while container is not None and container.tag not in ("article", "header", "main"):
        container = container.getparent()
    if container is not None:
        for el in container.iter("time"):
            if found := _time_date(el):
                return found
    for n, el in enumerate(_following(heading)):
        if n >= _NEAR_HEADING:
            break
        if el.tag == "time" and (found := _time_date(el)):
            return found
    return None


def _following(el: HtmlElement) -> Iterator[HtmlElement]:
    """Elements after ``el`` in document order (its descendants excluded)."""
    while el is not None:
        for sibling in el.itersiblings():
            yield sibling
            yield from sibling.iterdescendants()
        el = el.getparent()


def metadata_date(tree: HtmlElement) -> datetime | None:
    """The publication date the page's markup states (JSON-LD, meta tags, itemprop, the byline's ``<time>``).

    Modification dates are never used: a page updated today was not published today.
    """
    for find in (_json_ld_date, _meta_date, _itemprop_date, _byline_time):
        if found := find(tree):
            return found
    return None


# -- the address ----------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january", "januar", "janvier"),
            ("feb", "february", "februar", "fevrier", "février"),
            ("mar", "march", "märz", "maerz", "mars"),
            ("apr", "april", "avril"),
            ("may", "mai"),
            ("jun", "june", "juni", "juin"),
            ("jul", "july", "juli", "juillet"),
            ("aug", "august", "aout", "août"),
            ("sep", "sept", "september", "septembre"),
            ("oct", "october", "oktober", "octobre"),
            ("nov", "november", "novembre"),
            ("dec", "december", "dezember", "decembre", "décembre"),
        ),
        start=1,
    )
    for name in names
}
_URL_DATES = (
    re.compile(r"/((?:19|20)\d\d)/(\d\d?)/(\d\d?)(?:/|$)"),  # /2019/04/17/
    re.compile(r"/((?:19|20)\d\d)/([a-z]{3,9})/(\d\d?)(?:/|$)", re.IGNORECASE),  # /2019/nov/18/
    re.compile(r"(?<![\d])((?:19|20)\d\d)-(\d\d)-(\d\d)(?![\d])"),  # -2019-11-19/
    re.compile(r"(?<![\d])((?:19|20)\d\d)(\d\d)(\d\d)(?![\d])"),  # -20191115 or /20190417-
)


def _day(year: str, month: str, day: str) -> datetime | None:
    number = int(month) if month.isdigit() else _MONTHS.get(month.lower())
    if number is None:
        return None
    try:
        return _plausible(datetime(int(year), number, int(day), tzinfo=UTC))
    except ValueError:
        return None


def url_date(url: str | None) -> datetime | None:
    """A day written in a URL's path (a month or a year alone is not a day).

    >>> url_date("https://example.org/2019/04/17/council-park").date().isoformat()
    '2019-04-17'
    >>> url_date("https://example.org/2019/04/council-park") is None
    True
    """
    if not url:
        return None
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", url, flags=re.IGNORECASE).split("?", 1)[0].split("#", 1)[0]
    for pattern in _URL_DATES:
        for match in pattern.finditer(path):
            if found := _day(*match.groups()):
                return found
    return None


# -- the text ------------------------------------------------------------------------------

_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_TIME = r"(?:,?\s*(?:at\s+)?\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?"
_TEXT_DATES = (
    # April 17, 2019 · Apr. 17th 2019 · Wednesday, April 17, 2019 5:45 PM EST
    re.compile(rf"\b({_MONTH_NAMES})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b{_TIME}", re.IGNORECASE),
    # 17 April 2019 · 25. September 2018
    re.compile(rf"\b(\d{{1,2}})\.?\s+({_MONTH_NAMES})\.?,?\s+((?:19|20)\d\d)\b{_TIME}", re.IGNORECASE),
    # 2019-04-17
    re.compile(r"(?<![\d-])((?:19|20)\d\d)-(\d\d)-(\d\d)(?![\d-])"),
    # 23.07.2025 · 2/24/2026 · 12.12.2025: read only when one reading exists (not 04/05/2019)
    re.compile(r"(?<![\d./-])(\d{1,2})([./-])(\d{1,2})\2((?:19|20)\d\d)(?![\d./-])"),
)


def _numeric_day(first: str, second: str, year: str) -> datetime | None:
    """The day of an unambiguous numeric date: the number above 12 is the day."""
    return _day(year, second, first) if int(first) > 12 else _day(year, first, second)


def text_date(text: str, before: str = "") -> datetime | None:
    """The first full date written in a stretch of text (a dateline or a byline): month names, ISO form, or
    a numeric form that has one reading (23.07.2025, 2/24/2026, 12.12.2025; not 04/05/2019: day or month
    first?).

    Years and months without a day are left alone, and so is a date labelled as an update ("Updated on
    May 27, 2025"; the label may sit in ``before``, the text just ahead of the stretch, which is not searched
    for dates itself).

    >>> text_date("RIVERSIDE, April 2, 2019 — The vote came.").date().isoformat()
    '2019-04-02'
    >>> text_date("Copyright 2019. First proposed in 2007.") is None
    True
    """
    best: tuple[int, datetime] | None = None
    text = before + text
    for pattern in _TEXT_DATES:
        for match in pattern.finditer(text, len(before)):
            if _UPDATE_BEFORE.search(text[max(0, match.start() - _BEFORE_CHARS) : match.start()]):
                continue  # "Updated on May 27, 2025": when it was changed, not published
            a, b, c = match.group(1), match.group(2), match.group(3)
            if len(match.groups()) == 4:  # numeric: a and c are the day and the month, in an unknown order
                found = None if _ambiguous(match.group(0)) else _numeric_day(a, c, match.group(4))
            elif a.isdigit() and len(a) == 4:
                found = _day(a, b, c)
            elif a.isdigit():
                found = _day(c, b, a)
            else:
                found = _day(c, a, b)
            if found is not None and (best is None or match.start() < best[0]):
                best = (match.start(), found)
            if found is not None:
                break
    return best[1] if best else None


_DATELINE = re.compile(r"^[A-Z][A-Za-z .,'()/-]{1,60}?[,(]\s*")  # "RIVERSIDE, " or "LONDON (Reuters) " before the date
_SHORT_LINE = 12  # words: a first line this short that holds a date is a date line, not a sentence


def dateline_date(body: str) -> datetime | None:
    """The date that opens an article: a first line that is a date ("Posted on July 14, 2015 by admin")
    or a dateline ("RIVERSIDE, April 2, 2019 — ...").

    A date further into the first sentence ("on Nov. 6, 2019, Trump said") is what the article is
    about, not when it was published, and is left alone.
    """
    first = body.lstrip().split("\n", 1)[0]
    if len(first.split()) <= _SHORT_LINE:
        return text_date(first)
    match = _DATELINE.match(first)
    start = match.end() if match else 0
    head = first[start : start + 40]
    for pattern in _TEXT_DATES:
        found = pattern.match(head)
        if found and (when := text_date(found.group(0))):
            return when
    return None


_HEAD_CHARS = 500  # the byline zone: between the headline and the body, at most this much text
_INVISIBLE = frozenset({"script", "style", "noscript", "template"})


def _marked_update(el: HtmlElement) -> bool:
    """An element marked as the page's modification time (``itemprop="dateModified"``). Class names are not
    marks: hAtom's ``class="updated"`` sits on many a theme's only date, the publication's."""
    return (el.get("itemprop") or "").strip().lower() == "datemodified"


def _visible_text(tree: HtmlElement) -> str:
    """The page's visible text, without what is marked as its modification time."""
    body = tree.find(".//body")
    return _spaced(body if body is not None else tree)


def _spaced(root: HtmlElement) -> str:
    """An element's visible text with a space between elements ("Health</a><time>DECEMBER 22, 2022" must not
    read as one word)."""
    parts: list[str] = []

    def walk(el: HtmlElement) -> None:
        if isinstance(el.tag, str) and (el.tag in _INVISIBLE or _marked_update(el)):
            return
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(root)
    return " ".join(" ".join(parts).split())


_STANDFIRST = 250  # characters: a first paragraph this short (a deck, a repeated headline) may precede the byline
_LEAD_PARAGRAPHS = 3  # at most this many short paragraphs before the byline


def _headlines(tree: HtmlElement, title: str | None, text: str) -> Iterator[tuple[HtmlElement | None, str]]:
    """Where the article's headline may be: the ``<h1>`` that holds ``title`` (the page's title as extracted);
    else the title where it is first written, then the first ``<h1>`` (sometimes a blog's name above a dated
    post, sometimes a masthead)."""
    headings = [h for h in tree.iter("h1") if h.text_content().strip()]
    wanted = " ".join((title or "").split())
    if wanted:
        for heading in headings:
            words = " ".join(heading.text_content().split())
            if words.casefold() in wanted.casefold() or wanted.casefold() in words.casefold():
                yield heading, _spaced(heading)
                return  # the headline is known: other <h1>s are the masthead's or a sidebar's
        if wanted in text:
            yield None, wanted
    if headings:
        yield headings[0], _spaced(headings[0])


def _byline_zone(text: str, start: int, body: str) -> Iterator[tuple[int, int]]:
    """Spans of the page's text from ``start`` (the headline's end) to the body, leaving out the body's short
    opening paragraphs (a deck, the headline again) and looking at what sits between them."""
    position = start
    for n, paragraph in enumerate(p for p in body.split("\n") if p.strip()):
        opening = " ".join(paragraph.split())[:40]
        found = text.find(opening, position)
        if found < 0 or found > position + _HEAD_CHARS:
            if n == 0:
                yield position, position + _HEAD_CHARS
            return
        yield position, found
        if len(paragraph) > _STANDFIRST or n + 1 >= _LEAD_PARAGRAPHS:
            return
        position = found + len(" ".join(paragraph.split()))


def byline_date(tree: HtmlElement, body: str, title: str | None = None) -> datetime | None:
    """A full date in the byline zone: the headline's own block (a kicker or byline set above the
    ``<h1>``) and the page's text from the headline to where the body starts (past a short deck).

    That is where "By Ana Ruiz | March 3, 2018" and "Posted on July 14, 2015" sit; dates elsewhere
    (the masthead's today, sidebars, comments, the copyright footer) are other things' dates.
    """
    text = _visible_text(tree)
    for heading, headline in _headlines(tree, title, text):
        if found := _date_after(heading, headline, text, body):
            return found
    return None


def _date_after(heading: HtmlElement | None, headline: str, text: str, body: str) -> datetime | None:
    """The first date in the headline's block above it, else in the byline zone after it (an update's passed over)."""
    above = ""
    if heading is not None and (parent := heading.getparent()) is not None:
        block = _spaced(parent)
        above = block[: block.find(headline)] if 0 < block.find(headline) <= _HEAD_CHARS else ""
    start = text.find(headline)
    if (found := text_date(above)) or start < 0:
        return found
    for begin, end in _byline_zone(text, start + len(headline), body):
        if found := text_date(text[begin:end], before=text[max(0, begin - _BEFORE_CHARS) : begin]):
            return found
    return None


def page_date(tree: HtmlElement, body: str, title: str | None = None) -> tuple[datetime | None, str]:
    """A page's publication date and its source: its markup's, else its byline's or dateline's.

    One exception to markup first: a JSON-LD ``datePublished`` no earlier than its own ``dateModified`` is a
    stamp of the last time the page was (re)published (some site builders write it so), and a byline that
    names an earlier day (earlier in every time zone, not the same moment west of UTC) has the first
    publication.
    """
    meta = metadata_date(tree)
    written = byline_date(tree, body, title) or dateline_date(body)
    if meta is not None and written is not None and written.date() < (meta.astimezone(UTC) - _WESTMOST).date():
        published, modified = _json_ld_article(tree)
        if published == meta and modified is not None and published >= modified:
            return written, "text"
    return first_date((meta, "metadata"), (written, "text"))


def first_date(*candidates: tuple[object, str]) -> tuple[datetime | None, str]:
    """The first candidate that parses as a full date, with its source; ``(None, "none")`` when none does.

    Candidates come best first: ``(value, source)`` with ``source`` one of :data:`SOURCES`.

    >>> first_date((None, "metadata"), ("2019-04-17", "url"))
    (datetime.datetime(2019, 4, 17, 0, 0, tzinfo=datetime.timezone.utc), 'url')
    """
    for value, source in candidates:
        if source not in SOURCES:
            raise ValueError(f"unknown date source {source!r} (known: {', '.join(SOURCES)})")
        if (when := parse_date(value)) is not None:
            return when, source
    return None, "none"
