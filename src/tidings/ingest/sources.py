"""Documents from the web: pages and RSS/Atom feeds, fetched safely and politely.

A URL may be an article page or a feed; what comes back decides (see
:func:`~tidings.ingest.feeds.content_kind`). A feed's items are fetched as
pages (the article extractor sees the whole article rather than a teaser);
when an item's page cannot be fetched, the feed's own content stands in if
it is long enough to be an article. Items already archived are not fetched
again: the caller says which links it knows.
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
_MIN_FEED_WORDS = 80  # feed content shorter than this is a teaser, not the article


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


def _from_feed_content(item: FeedItem) -> Read | None:
    text = item.content_html or item.content or item.summary
    if not text or len((item.content or item.summary or "").split()) < _MIN_FEED_WORDS:
        return None
    try:
        doc = document_from_text(
            text,
            doc_id=item.link or item.guid or "feed-item",
            url=item.link,
            title=item.title,
            published=item.published,
            published_source="feed",
            is_html=item.content_html is not None,
        )
    except InputError:
        return None
    return Read(doc, text)


def read_items(
    items: Iterable[FeedItem], fetcher: Fetcher, *, known: Callable[[str], bool] = lambda _: False
) -> Iterator[Read | Problem]:
    """Fetch the pages of feed items not known yet; fall back to the feed's content where a page fails."""
    todo = [i for i in items if i.link and not known(i.link)]
    results = fetcher.fetch_many([i.link for i in todo if i.link])
    for item, result in zip(todo, results, strict=True):
        if isinstance(result, FetchResult):
            try:
                yield _page(result, item)
                continue
            except InputError as exc:
                problem = Problem(item.link or "feed item", str(exc))
        else:
            problem = result
        fallback = _from_feed_content(item)
        if fallback is not None:
            log.info("%s: %s; using the feed's own content", problem.input, problem.reason)
            yield fallback
        else:
            yield problem


def read_urls(
    urls: Iterable[str],
    fetcher: Fetcher,
    config: IngestConfig | None = None,
    *,
    known: Callable[[str], bool] = lambda _: False,
) -> Iterator[Read | Problem]:
    """Documents from page and feed URLs; every failure is a Problem naming the URL."""
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
                yield from read_items(feed.items, fetcher, known=known)
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
