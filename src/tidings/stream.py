"""The stream pipeline: articles arrive one by one and the archive keeps them grouped into stories.

Per article, in one transaction: clean and check it (as the batch
pipeline does), skip it when its canonical URL or its content is already
archived, find the earlier article it copies (MinHash LSH over the whole
archive, bands stored in SQLite), put it in a story (online clustering,
:mod:`tidings.cluster`), and store document, bands, term statistics and
story together. Story summaries are recomputed when their story changed,
at the end of an ingest run or lazily when read.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import courlan
import numpy as np
from datasketch import LeanMinHash, MinHash

from tidings.cluster import DocumentFrequencies, StoryIndex, features
from tidings.config import Config
from tidings.dedup import content_tokens
from tidings.errors import InputError
from tidings.ingest.fetch import Fetcher
from tidings.ingest.sources import poll_feed, read_items
from tidings.model import Document, Problem, Summary
from tidings.pipeline import accept, prepare, summarize_prepared
from tidings.render import summary_json
from tidings.store import Archive

_NUM_PERM = 64
_BANDS = 16
_ROWS = _NUM_PERM // _BANDS
_SEED = 11
_RECENT = 5000  # stories among the latest this many articles stay in the index even without dates


def canonical_url(url: str | None) -> str | None:
    """A URL normalised for identity: lower-case host, no fragment, no tracking parameters.

    >>> canonical_url("HTTPS://News.Example.com/a/b?utm_source=rss&id=3#top")
    'https://news.example.com/a/b?id=3'
    """
    if not url or not re.match(r"^https?://", url, re.IGNORECASE):
        return url or None
    try:
        cleaned = courlan.normalize_url(url, strict=False)  # lower-case host, tracking parameters dropped
    except (ValueError, TypeError):
        return url
    return cleaned.split("#", 1)[0]


def content_hash(text: str) -> str:
    """Identity of a document's content: the same article text hashes alike whatever its spacing or case."""
    return hashlib.sha256(" ".join(text.lower().split()).encode("utf-8")).hexdigest()


def _document_id(canonical: str | None, digest: str) -> str:
    key = canonical or digest
    return "d" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:15]


def _bands(minhash: LeanMinHash) -> list[int]:
    values = np.asarray(minhash.hashvalues, dtype=np.uint64)
    out = []
    for b in range(_BANDS):
        digest = hashlib.blake2b(values[b * _ROWS : (b + 1) * _ROWS].tobytes() + bytes([b]), digest_size=8)
        out.append(int.from_bytes(digest.digest(), "big", signed=True))
    return out


def _minhash(text: str) -> LeanMinHash | None:
    tokens = content_tokens(text)
    if len(tokens) < 5:
        return None
    mh = MinHash(num_perm=_NUM_PERM, seed=_SEED)
    mh.update_batch([t.encode("utf-8") for t in tokens])
    return LeanMinHash(mh)


def _serialize(minhash: LeanMinHash) -> bytes:
    buf = bytearray(minhash.bytesize(byteorder="<"))
    minhash.serialize(buf, byteorder="<")
    return bytes(buf)


def _similarity(a: LeanMinHash, blob: bytes) -> float:
    other = LeanMinHash.deserialize(blob, byteorder="<")
    return float(np.mean(np.asarray(a.hashvalues) == np.asarray(other.hashvalues)))


@dataclass
class IngestReport:
    """What an ingest run did, for the user and for tests."""

    added: int = 0
    duplicates: int = 0
    copies: int = 0
    stories_created: int = 0
    merges: int = 0
    problems: list[Problem] = field(default_factory=list)
    touched: set[int] = field(default_factory=set)

    def as_dict(self) -> dict[str, object]:
        return {
            "added": self.added,
            "duplicates": self.duplicates,
            "copies": self.copies,
            "stories_created": self.stories_created,
            "stories_updated": len(self.touched),
            "merges": self.merges,
            "problems": [{"input": p.input, "reason": p.reason} for p in self.problems],
        }


class StreamIngester:
    """Adds articles to an archive one at a time, keeping the story index in memory."""

    def __init__(self, archive: Archive, config: Config | None = None) -> None:
        self.archive = archive
        self.config = config or Config()
        self.frequencies: DocumentFrequencies = archive.load_frequencies()
        self.index = StoryIndex(self.config.cluster, next_id=archive.max_story_id() + 1)
        self._load_index()

    def _load_index(self) -> None:
        newest = self.archive.conn.execute("SELECT MAX(last_published) FROM stories").fetchone()[0]
        since = None
        if newest:
            since = datetime.fromisoformat(newest) - timedelta(days=self.config.cluster.window_days)
        min_seq = self.archive.next_seq() - _RECENT
        for story in self.archive.active_stories(since, min_seq):
            self.index.load(story)

    def add(self, doc: Document, raw: str | None = None, report: IngestReport | None = None) -> str | None:
        """Archive one document; returns its archive id, or None when it was a duplicate or unusable."""
        report = report if report is not None else IngestReport()
        cleaned = accept(doc, self.config)
        if isinstance(cleaned, Problem):
            report.problems.append(cleaned)
            return None
        canonical = canonical_url(cleaned.url)
        digest = content_hash(cleaned.text)
        if self.archive.existing(canonical, digest):
            report.duplicates += 1
            return None
        now = datetime.now(UTC)
        counts = features(cleaned.text, cleaned.title, self.config.cluster.name_weight)
        minhash = _minhash(cleaned.text)
        bands = _bands(minhash) if minhash is not None else []
        copy_of = self._original(minhash, bands)
        doc_id = _document_id(canonical, digest)
        stored = Document(
            id=doc_id,
            text=cleaned.text,
            title=cleaned.title,
            url=cleaned.url,
            path=cleaned.path,
            outlet=cleaned.outlet,
            published=cleaned.published,
            language=cleaned.language,
            copy_of=copy_of,
            format=cleaned.format,
        )
        try:
            with self.archive.transaction():
                self.frequencies.add(counts.keys())
                assignment = self.index.assign(self.frequencies.vector(counts), cleaned.published)
                seq = self.archive.next_seq()
                self.archive.insert_document(
                    stored,
                    canonical_url=canonical,
                    content_hash=digest,
                    raw=raw if raw is not None else doc.text,
                    seq=seq,
                    story_id=assignment.story_id,
                    minhash=_serialize(minhash) if minhash is not None else None,
                    ingested_at=now,
                )
                self.archive.add_bands(doc_id, bands)
                self.archive.bump_frequencies(counts.keys())
                for source, target, similarity in assignment.merged:
                    self.archive.merge_stories(source, target, similarity, now)
                story = self.index.stories[assignment.story_id]
                story.last_order = seq
                self.archive.save_story(story, stored.title)
        except BaseException:
            self._reload()  # the in-memory index may hold the rolled-back article
            raise
        report.added += 1
        report.copies += copy_of is not None
        report.stories_created += assignment.created
        report.merges += len(assignment.merged)
        report.touched.add(assignment.story_id)
        report.touched.difference_update(source for source, _, _ in assignment.merged)
        return doc_id

    def _reload(self) -> None:
        self.frequencies = self.archive.load_frequencies()
        self.index = StoryIndex(self.config.cluster, next_id=self.archive.max_story_id() + 1)
        self._load_index()

    def _original(self, minhash: LeanMinHash | None, bands: list[int]) -> str | None:
        """The archived article this one copies (its group's original), if any."""
        if minhash is None:
            return None
        best, best_sim = None, self.config.cluster.copy_jaccard
        for doc_id, blob, copy_of in self.archive.band_matches(bands):
            if blob is None:
                continue
            sim = _similarity(minhash, blob)
            if sim >= best_sim:
                best, best_sim = copy_of or doc_id, sim
        return best


def ingest(
    archive: Archive,
    items: Iterable[tuple[Document, str | None] | Problem],
    config: Config | None = None,
    *,
    summaries: bool = True,
) -> IngestReport:
    """Add documents (with their raw input) to the archive; problems are recorded, never fatal."""
    ingester = StreamIngester(archive, config)
    report = IngestReport()
    for item in items:
        if isinstance(item, Problem):
            report.problems.append(item)
            continue
        doc, raw = item
        ingester.add(doc, raw, report)
    for problem in report.problems:
        archive.add_problem(problem.input, problem.reason)
    if summaries:
        for story_id in sorted(report.touched):
            story_summary(archive, story_id, ingester.config)
    return report


def poll_feeds(
    archive: Archive, feeds: Iterable[str], fetcher: Fetcher, config: Config | None = None, *, summaries: bool = True
) -> IngestReport:
    """Poll each feed once (conditional GET), fetch its new items and ingest them.

    A feed that fails is a problem in the report and its status is recorded; the others go on.
    """
    config = config or Config()
    report = IngestReport()
    ingester = StreamIngester(archive, config)

    def known(link: str) -> bool:
        return archive.has_url(canonical_url(link))

    for url in feeds:
        etag, last_modified = archive.feed_state(url)
        try:
            poll = poll_feed(url, fetcher, etag, last_modified)
        except InputError as exc:
            report.problems.append(Problem(url, str(exc)))
            archive.save_feed_state(url, None, None, f"error: {exc}")
            continue
        if poll.not_modified or poll.feed is None:
            archive.save_feed_state(url, poll.etag, poll.last_modified, "not modified")
            continue
        before = report.added
        for item in read_items(poll.feed.items, fetcher, known=known):
            if isinstance(item, Problem):
                report.problems.append(item)
            else:
                ingester.add(item.document, item.raw, report)
        archive.save_feed_state(url, poll.etag, poll.last_modified, f"ok: {report.added - before} new")
    for problem in report.problems:
        archive.add_problem(problem.input, problem.reason)
    if summaries:
        for story_id in sorted(report.touched):
            story_summary(archive, story_id, config)
    return report


def story_summary(archive: Archive, story_id: int, config: Config | None = None) -> Summary | None:
    """The story's cited summary, recomputed and cached when the story changed since the last one."""
    config = config or Config()
    story = archive.story(story_id)
    if story is None:
        return None
    docs = [d.document for d in archive.story_documents(story_id)]
    if not docs:
        return None
    summary = summarize_prepared(prepare(docs, config, clean=False), config)
    if not story.summary_is_current:
        archive.save_summary(story_id, story.version, summary_json(summary), _headline(summary))
    return summary


def _headline(summary: Summary) -> str | None:
    """A story is named after the article its summary leads with."""
    for sentence in summary.sentences:
        for doc_id in sentence.sources:
            title = summary.document(doc_id).title
            if title:
                return title
    return None
