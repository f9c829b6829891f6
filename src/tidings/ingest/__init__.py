"""Ingest: read inputs into :class:`~tidings.model.Document` objects with provenance.

Files (.txt, .html, .jsonl), directories and stdin; pages and RSS/Atom feeds over HTTP
(:mod:`~tidings.ingest.fetch`, :mod:`~tidings.ingest.feeds`). Encoding is detected,
unicode and whitespace are normalised, HTML pages go through trafilatura,
and the language is identified; inputs that cannot be used become
:class:`~tidings.model.Problem` results.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tidings.lazy import make_lazy

if TYPE_CHECKING:
    from tidings.ingest.dates import parse_date
    from tidings.ingest.decode import decode_bytes, normalize_text
    from tidings.ingest.feeds import Feed, FeedItem, content_kind, parse_feed, read_feed_list
    from tidings.ingest.fetch import Fetcher, FetchResult, check_url, fetch, make_client
    from tidings.ingest.files import (
        SUPPORTED_SUFFIXES,
        Loaded,
        Read,
        document_from_text,
        expand_inputs,
        iter_inputs,
        load,
    )
    from tidings.ingest.html import extract_html, looks_like_html
    from tidings.ingest.language import detect_language

# Imported on first use (PEP 562): a stage that needs one reader (the cleaner needs dates) does not load
# trafilatura, httpx and feedparser with it.
_EXPORTS = {
    "Feed": "tidings.ingest.feeds",
    "FeedItem": "tidings.ingest.feeds",
    "FetchResult": "tidings.ingest.fetch",
    "Fetcher": "tidings.ingest.fetch",
    "Loaded": "tidings.ingest.files",
    "Read": "tidings.ingest.files",
    "SUPPORTED_SUFFIXES": "tidings.ingest.files",
    "check_url": "tidings.ingest.fetch",
    "content_kind": "tidings.ingest.feeds",
    "decode_bytes": "tidings.ingest.decode",
    "detect_language": "tidings.ingest.language",
    "document_from_text": "tidings.ingest.files",
    "expand_inputs": "tidings.ingest.files",
    "extract_html": "tidings.ingest.html",
    "fetch": "tidings.ingest.fetch",
    "iter_inputs": "tidings.ingest.files",
    "load": "tidings.ingest.files",
    "looks_like_html": "tidings.ingest.html",
    "make_client": "tidings.ingest.fetch",
    "normalize_text": "tidings.ingest.decode",
    "parse_date": "tidings.ingest.dates",
    "parse_feed": "tidings.ingest.feeds",
    "read_feed_list": "tidings.ingest.feeds",
}
__all__ = [
    "SUPPORTED_SUFFIXES",
    "Feed",
    "FeedItem",
    "FetchResult",
    "Fetcher",
    "Loaded",
    "Read",
    "check_url",
    "content_kind",
    "decode_bytes",
    "detect_language",
    "document_from_text",
    "expand_inputs",
    "extract_html",
    "fetch",
    "iter_inputs",
    "load",
    "looks_like_html",
    "make_client",
    "normalize_text",
    "parse_date",
    "parse_feed",
    "read_feed_list",
]


make_lazy(__name__, _EXPORTS)
