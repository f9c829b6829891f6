"""Article extraction from HTML pages, with trafilatura.

trafilatura is the best-measured open-source main-content extractor (it
also reads title, date and site name from the page's metadata). A page
where it finds no article is an expected outcome, reported as ``None``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

import trafilatura

from tidings.ingest.dates import parse_date

log = logging.getLogger(__name__)
_MIN_WORDS = 10  # fewer words than this is a menu or a login box, not an article


@dataclass(frozen=True, slots=True)
class Extracted:
    """What was found in a page: the article body and its metadata."""

    text: str
    title: str | None
    published: datetime | None
    outlet: str | None
    url: str | None


def looks_like_html(text: str) -> bool:
    """Sniff HTML in input that came without a file name (stdin, JSON fields)."""
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or (
        head.startswith("<") and any(tag in head for tag in ("<body", "<head", "<p>", "<div", "<article"))
    )


def extract_html(html: str, url: str | None = None, *, favor_precision: bool = False) -> Extracted | None:
    """Extract the main article of a page, or ``None`` when there is none."""
    try:
        doc = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=favor_precision,
        )
    except Exception as exc:  # noqa: BLE001 - a hostile page must not sink the batch
        log.debug("trafilatura failed on %s: %s", url, exc)
        return None
    if doc is None or len((doc.text or "").split()) < _MIN_WORDS:
        return None
    return Extracted(
        text=doc.text,
        title=doc.title or None,
        published=parse_date(doc.date),
        outlet=doc.sitename or doc.hostname or None,
        url=doc.url or url,
    )
