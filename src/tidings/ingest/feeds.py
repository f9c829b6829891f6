"""RSS and Atom feeds: items with absolute links, aware dates and both plain text and raw HTML.

feedparser reads every RSS dialect (0.9x, 1.0/RDF, 2.0) and Atom, and recovers the items of a feed that
is not well-formed XML (an unescaped ``&`` is common). Its verdicts are turned into tidings' two failure
channels: a feed with nothing usable is an :class:`~tidings.errors.InputError` whose message is the reason,
a feed that was broken but yielded items is kept with a warning. Feeds repeat items (a story republished
with a new title keeps its guid; two guids can share a link), so items are deduplicated here, where the
guid is still known. Items without a date keep ``published=None`` rather than a guessed date: ordering
and "since" filters must not trust a date nobody gave.

The bytes are always handed to feedparser as a stream: given a string, feedparser would treat it as a URL
or a file name and open it itself. External XML entities are off in feedparser's parser, and its HTML
sanitizer drops scripts and event handlers from the HTML kept in :attr:`FeedItem.content_html`.
JSON Feed is not read (the installed feedparser does not support it).
"""

from __future__ import annotations

import io
import logging
import re
import time
import xml.sax
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import feedparser
import lxml.html
from lxml import etree

from tidings.config import FetchConfig
from tidings.errors import InputError
from tidings.ingest.dates import parse_date
from tidings.ingest.fetch import check_url
from tidings.ingest.html import looks_like_html

log = logging.getLogger(__name__)

FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/x-rss+xml",
        "application/x-atom+xml",
    }
)
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_FEED_ROOTS = frozenset({"rss", "feed", "rdf", "channel"})
_PROLOG = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>", re.DOTALL | re.IGNORECASE)
_ROOT = re.compile(r"<([A-Za-z_][\w.:-]*)")
_SPACE = re.compile(r"[ \t\r\f\v]+")
_BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "pre"})
_MAX_LIST_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One item of a feed.

    ``link`` is absolute (resolved against the feed's URL and ``xml:base``), or ``None`` when the item has
    none or it is not an http(s) URL (then ``refused_link`` keeps what was there, so a message can say
    why). ``summary`` and ``content`` are plain text; ``content_html`` is the item's full HTML body when
    the feed carries one (``content:encoded``, Atom ``content``), kept so the caller can run the article
    extractor on it rather than on a teaser. ``position`` is the entry's place in the feed (from 1).
    """

    link: str | None
    title: str | None
    published: datetime | None
    summary: str | None
    content: str | None
    content_html: str | None
    guid: str | None
    author: str | None = None
    position: int = 0
    refused_link: str | None = None

    @property
    def label(self) -> str:
        """How a message names the entry: its title, else its guid, link or place in the feed (``#3``).

        >>> FeedItem(None, "Bridge reopens", None, None, None, None, "g-1").label
        '"Bridge reopens"'
        """
        if self.title:
            title = " ".join(self.title.split())
            return f'"{title[:77]}..."' if len(title) > 80 else f'"{title}"'
        return self.guid or self.link or f"#{self.position}"


@dataclass(frozen=True, slots=True)
class Feed:
    """A parsed feed: its items in feed order, and what went wrong on the way.

    Every entry of the feed is an item, except the ``duplicates`` (an entry repeating an earlier one's
    guid or link): ``entries == len(items) + duplicates``. Items with no usable link or no text are kept,
    for the reader to turn into an article or a problem naming them.
    """

    url: str
    title: str | None
    link: str | None
    items: tuple[FeedItem, ...]
    duplicates: int = 0
    warnings: tuple[str, ...] = ()

    @property
    def entries(self) -> int:
        """How many entries the feed had."""
        return len(self.items) + self.duplicates


# --- feed or page? ---------------------------------------------------------------------------------------


def _head_text(content: bytes) -> str:
    head = content[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    return head.removeprefix(b"\xef\xbb\xbf").decode("latin-1")


def _root_element(text: str) -> str | None:
    position = 0
    while match := _PROLOG.match(text, position):
        if match.end() == position:
            break
        position = match.end()
    root = _ROOT.match(text, position)
    return root.group(1).lower() if root else None


def content_kind(content: bytes, content_type: str | None = None) -> Literal["feed", "html", "other"]:
    """Say whether fetched bytes are a feed, an HTML page or something else.

    The document's root element decides when there is one (servers label feeds ``text/html`` and error
    pages ``application/rss+xml`` often enough); the declared type decides otherwise.

    >>> content_kind(b'<?xml version="1.0"?><rss version="2.0"><channel/></rss>', "text/xml")
    'feed'
    >>> content_kind(b"<!DOCTYPE html><html><body><p>Hi</p></body></html>", "application/rss+xml")
    'html'
    """
    text = _head_text(content)
    root = _root_element(text)
    if root is not None:
        local = root.rsplit(":", 1)[-1]
        if local in _FEED_ROOTS:
            return "feed"
        if local == "html":
            return "html"
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime in FEED_TYPES:
        return "feed"
    if mime in HTML_TYPES or looks_like_html(text):
        return "html"
    return "other"


# --- parsing ---------------------------------------------------------------------------------------------


def _html_text(markup: str) -> str:
    """Plain text of an HTML fragment, one line per block element."""
    if "<" not in markup and "&" not in markup:
        return _clean_text(markup)
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return _clean_text(markup)
    for element in root.iter(*_BLOCKS):
        element.tail = "\n" + (element.tail or "")
    return _clean_text(root.text_content())


def _clean_text(text: str) -> str:
    lines = (_SPACE.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _detail_text(value: str | None, detail: Any) -> str | None:
    if not value:
        return None
    kind = (detail or {}).get("type", "text/html")
    text = _html_text(value) if "html" in kind else _clean_text(value)
    return text or None


def _published(entry: Any) -> datetime | None:
    for key in ("published", "updated", "created"):  # dict.get: feedparser's own get maps updated to published
        parsed = dict.get(entry, f"{key}_parsed")
        if isinstance(parsed, time.struct_time):
            try:
                value = parse_date(datetime(*parsed[:6], tzinfo=UTC))  # feedparser normalises to UTC
            except ValueError:
                value = None
            if value is not None:
                return value
        value = parse_date(dict.get(entry, key))
        if value is not None:
            return value
    return None


def _link(entry: Any, base: str) -> tuple[str | None, str | None]:
    """The entry's absolute http(s) link, or ``None`` and the link as given when it is something else."""
    raw = (entry.get("link") or "").strip()
    if not raw:
        return None, None
    try:
        link = urljoin(base, raw)
        scheme = urlsplit(link).scheme
    except ValueError:  # a malformed IPv6 host and the like
        return None, raw
    return (link, None) if scheme in ("http", "https") else (None, raw)


def _content_html(entry: Any) -> str | None:
    for part in entry.get("content") or ():
        if "html" in (part.get("type") or "") and part.get("value", "").strip():
            return str(part["value"])
    return None


def _content_text(entry: Any) -> str | None:
    for part in entry.get("content") or ():
        text = _detail_text(part.get("value"), part)
        if text:
            return text
    return None


def _bozo_reason(exc: object) -> str:
    if isinstance(exc, xml.sax.SAXParseException):
        return f"{exc.getMessage()} at line {exc.getLineNumber()}"
    return str(exc).strip() or type(exc).__name__


def _item(entry: Any, base: str, position: int) -> FeedItem:
    link, refused = _link(entry, base)
    return FeedItem(
        link=link,
        title=_detail_text(entry.get("title"), entry.get("title_detail")),
        published=_published(entry),
        summary=_detail_text(entry.get("summary"), entry.get("summary_detail")),
        content=_content_text(entry),
        content_html=_content_html(entry),
        guid=(entry.get("id") or "").strip() or None,
        author=(entry.get("author") or "").strip() or None,
        position=position,
        refused_link=refused,
    )


def parse_feed(content: bytes, url: str) -> Feed:
    """Parse RSS or Atom bytes fetched from ``url`` (the base for relative links).

    Raises :class:`InputError` when there is nothing usable: not a feed at all, or a feed broken beyond
    recovering a single item. A well-formed feed with no items is a valid, empty :class:`Feed`.

    >>> feed = parse_feed(b'<rss version="2.0"><channel><title>T</title><item><link>/a</link>'
    ...                   b'</item></channel></rss>', "https://news.example/feed.xml")
    >>> feed.title, feed.items[0].link, feed.items[0].published
    ('T', 'https://news.example/a', None)
    """
    if not content.strip():
        raise InputError("empty response, not a feed")
    parsed = feedparser.parse(
        io.BytesIO(content),
        response_headers={"content-location": url, "content-type": "application/xml"},
        resolve_relative_uris=True,
        sanitize_html=True,
    )
    entries = list(parsed.get("entries") or [])
    bozo = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not entries:
        if not parsed.get("version"):
            looks = " (it is an HTML page)" if content_kind(content) == "html" else ""
            raise InputError(f"not an RSS or Atom feed{looks}")
        if bozo is not None:
            raise InputError(f"malformed feed: {_bozo_reason(bozo)}")
    notes: list[str] = []
    if bozo is not None:
        notes.append(f"feed is broken XML ({_bozo_reason(bozo)}); {len(entries)} items recovered")
    items: list[FeedItem] = []
    seen_guids: set[str] = set()
    seen_links: set[str] = set()
    duplicates = 0
    for position, entry in enumerate(entries, start=1):
        item = _item(entry, url, position)
        link_key = item.link.split("#", 1)[0] if item.link else None
        if (item.guid and item.guid in seen_guids) or (link_key and link_key in seen_links):
            duplicates += 1
            log.debug("%s: duplicate item dropped: %s", url, item.guid or item.link)
            continue
        if item.guid:
            seen_guids.add(item.guid)
        if link_key:
            seen_links.add(link_key)
        items.append(item)
    if duplicates:
        notes.append(f"{duplicates} duplicate item{'s' * (duplicates != 1)} dropped")
    for note in notes:
        log.info("%s: %s", url, note)
    meta = parsed.get("feed") or {}
    site = (meta.get("link") or "").strip()
    return Feed(
        url=url,
        title=_detail_text(meta.get("title"), meta.get("title_detail")),
        link=urljoin(url, site) if site else None,
        items=tuple(items),
        duplicates=duplicates,
        warnings=tuple(notes),
    )


# --- feed lists ------------------------------------------------------------------------------------------


def read_feed_list(path: str | Path, config: FetchConfig | None = None) -> list[str]:
    """Read a FEEDS.txt: one URL per line, ``#`` comments and blank lines ignored, duplicates listed once.

    Every URL is checked as :func:`~tidings.ingest.fetch.check_url` would without looking names up, so a
    typo or a ``file:`` line fails now, naming the line, instead of mid-run. A ``#`` starts a comment at
    the start of a line or after whitespace; ``#`` inside a URL is its fragment.
    """
    path = Path(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(_MAX_LIST_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read feed list {path}: {exc.strerror or exc}") from None
    if len(data) > _MAX_LIST_BYTES:
        raise InputError(f"feed list {path} is larger than 1 MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"feed list {path} is not UTF-8 text (byte {exc.start})") from None
    urls: dict[str, None] = {}
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        entry = re.split(r"(?:^|\s)#", line, maxsplit=1)[0].strip()
        if not entry:
            continue
        try:
            urls[check_url(entry, config, resolve=False)] = None
        except InputError as exc:
            errors.append(f"{path}:{number}: {exc}")
    if errors:
        more = f" (and {len(errors) - 1} more bad line{'s' * (len(errors) != 2)})" if len(errors) > 1 else ""
        raise InputError(errors[0] + more)
    return list(urls)
