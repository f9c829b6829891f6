"""Documents from the web: pages and RSS/Atom feeds, fetched safely and politely.

A URL may be an article page or a feed; what comes back decides (see
:func:`~tidings.ingest.feeds.content_kind`). Every entry of a feed is accounted
for: it becomes an article, counts as a duplicate (repeated in the feed, or
its link already archived: the caller says which links it knows, and those are
not fetched again), or is refused with a problem naming the feed, the entry and
the reason. An entry with a link is fetched as a page (the article extractor
sees the whole article rather than a teaser); when the page cannot be fetched
or holds no article, the feed's own content stands in if it is long enough to
be the article. An entry without a web link is the article the feed carries
(``content:encoded``, Atom ``content``, else its description).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from tidings.config import IngestConfig
from tidings.errors import InputError
from tidings.ingest.decode import decode_bytes
from tidings.ingest.feeds import Feed, FeedItem, content_kind, parse_feed
from tidings.ingest.fetch import Fetcher, FetchResult
from tidings.ingest.files import Read, document_from_text
from tidings.model import Problem

log = logging.getLogger(__name__)
_MIN_FEED_WORDS = 80  # feed content shorter than this is a teaser: it does not stand in for a page that failed


_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def is_url(value: str) -> bool:
    """Inputs that look like addresses (``scheme://…``) go to the fetcher, which refuses all but http(s)
    with that reason; everything else is a path.

    >>> is_url("https://example.org/a"), is_url("ftp://x/y"), is_url("file:///etc/passwd"), is_url("news/a.txt")
    (True, True, True, False)
    """
    return bool(_SCHEME.match(value))


@dataclass(frozen=True, slots=True)
class FeedPoll:
    """The outcome of polling one feed: its validators for the next conditional request, and its items."""

    url: str
    etag: str | None
    last_modified: str | None
    not_modified: bool
    feed: Feed | None


@dataclass
class FeedTally:
    """Where the entries of one feed went: each one added, a duplicate, or refused (with a problem naming it).

    The reader fills in what it decides (entries seen, duplicates within the feed and already archived
    links, entries it could not read); the archive adds what it decides (added, duplicate content, too
    little text), matched by the feed URL each document carries.
    """

    url: str
    title: str | None = None
    entries: int = 0
    added: int = 0
    duplicates: int = 0
    refused: int = 0

    def absorb(self, other: FeedTally) -> None:
        """Add another tally of the same feed."""
        self.title = self.title or other.title
        self.entries += other.entries
        self.added += other.added
        self.duplicates += other.duplicates
        self.refused += other.refused

    def __str__(self) -> str:
        """One line for people: ``https://x/feed.xml ("Title"): 12 entries: 9 added, 2 duplicates, 1 refused``."""
        name = f'{self.url} ("{self.title}")' if self.title else self.url
        if not self.entries:
            return f"{name}: the feed has no entries"
        counts = (
            f"{self.added} added, {self.duplicates} duplicate{'s' * (self.duplicates != 1)}, {self.refused} refused"
        )
        return f"{name}: {self.entries} entr{'y' if self.entries == 1 else 'ies'}: {counts}"

    def as_dict(self) -> dict[str, object]:
        return {
            "url": self.url,
            "title": self.title,
            "entries": self.entries,
            "added": self.added,
            "duplicates": self.duplicates,
            "refused": self.refused,
        }


def entry_where(feed: Feed, item: FeedItem) -> str:
    """How problems name a feed entry: the feed, the entry's title (or guid) and its link.

    >>> feed = Feed("https://news.example/feed.xml", "News", None, ())
    >>> entry_where(feed, FeedItem("https://news.example/a", "Bridge", None, None, None, None, "g1"))
    'https://news.example/feed.xml, entry "Bridge" (https://news.example/a)'
    """
    where = f"{feed.url}, entry {item.label}"
    link = item.link or item.refused_link
    return f"{where} ({link})" if link and link != item.label else where


def _page(result: FetchResult, item: FeedItem | None = None) -> Read:
    html = decode_bytes(result.content)
    doc = document_from_text(
        html,
        doc_id=result.final_url,
        url=result.final_url,
        title=item.title if item else None,
        published=item.published if item else None,
        published_source="feed",
        is_html=True,
    )
    return Read(doc, html)


def _own_text(item: FeedItem) -> str | None:
    """The entry's text as the feed carries it: the full content when there is one, else the description."""
    return item.content or item.summary


def _from_feed_content(feed: Feed, item: FeedItem) -> Read:
    """The entry's own text as the article; raises InputError when it has none."""
    text = _own_text(item)
    if not text:
        raise InputError("the entry has no text of its own")
    doc = document_from_text(
        text,
        doc_id=item.link or item.guid or f"{feed.url}#entry-{item.position}",
        url=item.link,
        title=item.title,
        published=item.published,
        published_source="feed",
        is_html=False,  # feedparser made it plain text, one line per block: what the line cleaner expects
    )
    return Read(doc, item.content_html or text, where=entry_where(feed, item), feed=feed.url)


def _linkless(feed: Feed, item: FeedItem) -> Read | Problem:
    """An entry without a web link is the article the feed carries, or a problem saying it carries none."""
    why = f"its link {item.refused_link!r} is not a web address" if item.refused_link else "it has no link"
    if not _own_text(item):
        return Problem(entry_where(feed, item), f"{why} and no text of its own")
    try:
        return _from_feed_content(feed, item)
    except InputError as exc:
        return Problem(entry_where(feed, item), f"{why}, and its own text: {exc}")


def _fallback(feed: Feed, item: FeedItem, problem: str) -> Read | Problem:
    """The page failed: the feed's own content stands in when it is the full article, not a teaser."""
    text = _own_text(item) or ""
    if len(text.split()) >= _MIN_FEED_WORDS:
        try:
            read = _from_feed_content(feed, item)
        except InputError:
            pass
        else:
            log.info("%s: %s; using the feed's own content", read.where, problem)
            return read
    return Problem(entry_where(feed, item), problem)


def read_feed(
    feed: Feed, fetcher: Fetcher, *, known: Callable[[str], bool] = lambda _: False
) -> Iterator[Read | Problem | FeedTally]:
    """Every entry of a feed as a document or a problem, in feed order, then the feed's tally.

    Entries whose link is already archived (``known``) are counted as duplicates and not fetched.
    """
    tally = FeedTally(feed.url, feed.title, entries=feed.entries, duplicates=feed.duplicates)
    fresh = [i for i in feed.items if i.link and not known(i.link)]
    fetched = dict(zip((i.position for i in fresh), fetcher.fetch_many([i.link for i in fresh if i.link]), strict=True))
    for item in feed.items:
        if item.link is None:
            out: Read | Problem = _linkless(feed, item)
        elif item.position not in fetched:
            tally.duplicates += 1
            continue
        else:
            result = fetched[item.position]
            if isinstance(result, Problem):
                out = _fallback(feed, item, result.reason)
            else:
                try:
                    read = _page(result, item)
                    out = Read(read.document, read.raw, where=entry_where(feed, item), feed=feed.url)
                except InputError as exc:
                    out = _fallback(feed, item, f"{exc} ({result.final_url})")
        if isinstance(out, Problem):
            tally.refused += 1
        yield out
    yield tally


def read_urls(
    urls: Iterable[str],
    fetcher: Fetcher,
    config: IngestConfig | None = None,
    *,
    known: Callable[[str], bool] = lambda _: False,
    tallies: bool = False,
) -> Iterator[Read | Problem | FeedTally]:
    """Documents from page and feed URLs; every failure is a Problem naming the URL (or the feed entry).

    With ``tallies``, each feed's :class:`FeedTally` follows its entries.
    """
    config = config or IngestConfig()
    for url in urls:
        try:
            result = fetcher.fetch(url)
        except InputError as exc:
            yield Problem(url, str(exc))
            continue
        except Exception as exc:  # a bug or a library's surprise: this URL fails, the others go on
            log.exception("%s: unexpected error while fetching", url)
            yield Problem(url, f"fetching failed unexpectedly: {exc}")
            continue
        kind = content_kind(result.content, result.content_type)
        try:
            if kind == "feed":
                feed = parse_feed(result.content, result.final_url)
                yield from (
                    out for out in read_feed(feed, fetcher, known=known) if tallies or not isinstance(out, FeedTally)
                )
            elif kind == "html":
                yield _page(result)
            else:
                yield Problem(url, f"neither an HTML page nor a feed ({result.content_type or 'no content type'})")
        except InputError as exc:
            yield Problem(url, str(exc))


def poll_feed(url: str, fetcher: Fetcher, etag: str | None = None, last_modified: str | None = None) -> FeedPoll:
    """Fetch a feed conditionally; raises InputError when it cannot be read."""
    result = fetcher.fetch(url, etag=etag, last_modified=last_modified)
    if result.not_modified:
        return FeedPoll(url, etag, last_modified, True, None)
    if content_kind(result.content, result.content_type) != "feed":
        raise InputError(f"not a feed ({result.content_type or 'no content type'})")
    feed = parse_feed(result.content, result.final_url)
    return FeedPoll(url, result.etag or etag, result.last_modified or last_modified, False, feed)
