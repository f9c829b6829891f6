"""Ingest: read inputs into :class:`~tidings.model.Document` objects with provenance.

Files (.txt, .html, .jsonl), directories and stdin; pages and RSS/Atom feeds over HTTP
(:mod:`~tidings.ingest.fetch`, :mod:`~tidings.ingest.feeds`). Encoding is detected,
unicode and whitespace are normalised, HTML pages go through trafilatura,
and the language is identified; inputs that cannot be used become
:class:`~tidings.model.Problem` results.
"""

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
