"""Following a story: what is new since a reader last looked, and how the story grew.

The archive knows when each article arrived (``ingested_at``), so "new
since" is about arrival, not publication: an article published last week
but first seen an hour ago is news to someone who looked two hours ago.
What counts as new is decided by :mod:`tidings.novelty` against every
article known at that time, not against an old summary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tidings.config import Config
from tidings.dedup import deduplicate
from tidings.model import Summary, SummarySentence
from tidings.novelty import whats_new
from tidings.pipeline import Prepared, prepare_stored, summarize_prepared
from tidings.render import new_json
from tidings.store import Archive, StoredDocument

UPDATE_GAP = timedelta(minutes=30)  # articles arriving closer together than this are one update
MAX_UPDATES = 20  # updates worked out per request (the latest ones); older ones are listed without news


@dataclass(frozen=True, slots=True)
class Update:
    """Articles that arrived together, and what they said that was not known before them."""

    at: datetime
    documents: tuple[str, ...]
    new: tuple[SummarySentence, ...]


@dataclass(frozen=True, slots=True)
class StoryNews:
    """A story's summary as it stands and what is new since ``since`` (arrivals after it)."""

    summary: Summary
    since: datetime
    new: tuple[SummarySentence, ...]
    added: tuple[str, ...]


def _prepared(stored: Sequence[StoredDocument], config: Config) -> Prepared:
    return prepare_stored(stored, config)


def _new_among(prepared: Prepared, upto: set[str], known: set[str], config: Config) -> list[SummarySentence]:
    """What the documents in ``upto - known`` add to ``known`` (the story as it stood then)."""
    if not upto - known or not known & upto:
        return []  # nothing arrived, or everything did: a story's first articles are its summary, not news
    docs = [d for d in prepared.documents if d.id in upto]
    sentences = {d.id: prepared.sentences[d.id] for d in docs}
    if len(docs) == len(prepared.documents):
        dedup = prepared.dedup
    else:  # the copies and repeats among the articles of that time, not of later ones
        docs, dedup = deduplicate(docs, sentences, config.dedup)
    return whats_new(docs, sentences, dedup, known, config.summarize)


def story_news(archive: Archive, story_id: int, since: datetime, config: Config | None = None) -> StoryNews | None:
    """The story's summary and its "What's new" for a reader who last looked at ``since``."""
    return _story_news(archive.story_documents(story_id), since, config or Config())


def _story_news(stored: Sequence[StoredDocument], since: datetime, config: Config) -> StoryNews | None:
    if not stored:
        return None
    prepared = _prepared(stored, config)
    summary = summarize_prepared(prepared, config)
    ids = {d.id for d in prepared.documents}
    known = {d.document.id for d in stored if d.ingested_at <= since} & ids
    # a reader who looked before the story began has all of it to read: its summary is what is new
    new = summary.sentences if not known else _new_among(prepared, ids, known, config)
    added = tuple(d.document.id for d in stored if d.ingested_at > since and d.document.id in ids)
    return StoryNews(summary, since, tuple(new), added)


def latest_news(archive: Archive, story_id: int, config: Config | None = None) -> StoryNews | None:
    """What the story's latest update added (nothing for a story that has had one update only)."""
    stored = archive.story_documents(story_id)
    groups = updates(stored)
    if len(groups) < 2:
        return None
    latest = set(groups[-1][1])
    first_of_latest = min(d.ingested_at for d in stored if d.document.id in latest)
    return _story_news(stored, first_of_latest - timedelta(microseconds=1), config or Config())


def latest_new_json(archive: Archive, story_id: int, config: Config | None = None) -> list[dict[str, Any]]:
    """What the story's latest update added, JSON-ready (the content a feed entry leads with)."""
    news = latest_news(archive, story_id, config)
    return new_json(news.new) if news else []


def updates(stored: Sequence[StoredDocument]) -> list[tuple[datetime, list[str]]]:
    """The story's arrivals grouped into updates: (time of the update's last article, its document ids)."""
    groups: list[list[StoredDocument]] = []
    for d in sorted(stored, key=lambda d: (d.ingested_at, d.seq)):
        if not groups or d.ingested_at - groups[-1][-1].ingested_at > UPDATE_GAP:
            groups.append([])
        groups[-1].append(d)
    return [(group[-1].ingested_at, [d.document.id for d in group]) for group in groups]


def story_updates(
    archive: Archive, story_id: int, config: Config | None = None, *, limit: int = MAX_UPDATES
) -> list[Update]:
    """The story's updates, newest first; each of the latest ``limit`` says what it added.

    The first update is the story's start: it has no news of its own (its articles are the summary).
    """
    config = config or Config()
    stored = archive.story_documents(story_id)
    if not stored:
        return []
    prepared = _prepared(stored, config)
    ids = {d.id for d in prepared.documents}
    groups = updates(stored)
    out: list[Update] = []
    seen: set[str] = set()
    for n, (at, docs) in enumerate(groups):
        upto = (seen | set(docs)) & ids
        worked = n >= len(groups) - limit
        new = _new_among(prepared, upto, seen & ids, config) if worked else []
        out.append(Update(at, tuple(docs), tuple(new)))
        seen |= set(docs)
    return out[::-1]
