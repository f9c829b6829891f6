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
import logging
import re
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, TypeVar

import courlan
import numpy as np

from tidings.clean import RepeatedLines, line_keys
from tidings.cluster import RECENT_ARTICLES, DocumentFrequencies, StoryIndex, features
from tidings.config import Config
from tidings.errors import InputError, TidingsError
from tidings.ingest.fetch import Fetcher
from tidings.ingest.files import Read, Unread
from tidings.ingest.sources import FeedTally, poll_feed, read_feed
from tidings.model import Document, Problem, Summary
from tidings.pipeline import accept, prepare_stored, summarize_prepared
from tidings.processes import init_worker
from tidings.render import summary_from_json, summary_json
from tidings.segment import pack, segment
from tidings.store import Archive, StoredDocument, StoryRow
from tidings.store.archive import compress_raw
from tidings.titles import headline_from, story_title

T = TypeVar("T")
log = logging.getLogger(__name__)
_NUM_PERM = 64
_BANDS = 16
_ROWS = _NUM_PERM // _BANDS
_SEED = 11
_BATCH = 256  # articles per transaction (each one's commit and term counts cost the writer)
_PRUNE_EVERY = 64  # articles between two prunings of the story index
_FIRST_WINDOW = 64  # articles in the first window (the next ones double up to _BATCH)
_AHEAD = 2  # windows the workers prepare while this process writes one


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


def _permutations(n: int, seed: int) -> np.ndarray:
    """The (a, b) of ``n`` hash permutations: datasketch 2's draws for ``seed`` (its "affine32" scheme), made here.

    An archive keeps its articles' signatures, so these must not change with a library's version (datasketch 1
    drew other values for the same seed), and importing datasketch costs half a second (it loads
    scipy.integrate) that adding a hundred articles would pay. A test compares them with datasketch's.
    """
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, n, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, n, dtype=np.uint32)
    return np.array([a, b])


_PERMUTATIONS = _permutations(_NUM_PERM, _SEED)
_MERSENNE = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)


def signature(terms: Iterable[int]) -> np.ndarray | None:
    """MinHash signature of a set of 32-bit term ids: ``(a·x + b) mod (2^61 - 1)``, kept to 32 bits, per permutation.

    The terms are the article's feature ids, already hashed by :func:`tidings.cluster.term_id`,
    so no token is hashed twice.
    """
    x = np.fromiter(terms, dtype=np.uint64)
    if len(x) < 5:
        return None
    a, b = _PERMUTATIONS
    with np.errstate(over="ignore"):
        values = np.bitwise_and((np.outer(x, a) + b) % _MERSENNE, _MAX_HASH)
    return values.min(axis=0)


def lsh_bands(sig: np.ndarray) -> list[int]:
    out = []
    for band in range(_BANDS):
        digest = hashlib.blake2b(sig[band * _ROWS : (band + 1) * _ROWS].tobytes() + bytes([band]), digest_size=8)
        out.append(int.from_bytes(digest.digest(), "big", signed=True))
    return out


@dataclass(frozen=True, slots=True)
class Article:
    """A document made ready for the archive: cleaned, identified, featurised, signed.

    Making one is pure work (no archive access), so a batch can be prepared in
    several processes while one process writes.
    """

    document: Document
    raw: bytes  # the input as read, compressed as the archive keeps it
    canonical: str | None
    digest: str
    counts: dict[int, float]
    signature: bytes | None
    bands: tuple[int, ...]
    sentences: bytes  # the cleaned text's sentences (tidings.segment.pack), so no summary splits it again
    headline: str | None  # the story's title until its summary names it
    lines: tuple[int, ...]  # the keys of its lines, counted across stories (tidings.clean.line_keys)


def prepare_article(doc: Document, raw: str | None, config: Config) -> Article | Problem:
    """Clean and check a document and compute everything the archive needs from it.

    Everything that follows from the document alone is done here, in the workers, so that the one
    process that writes the archive (the ingest's bottleneck) only assigns and stores.
    """
    cleaned = accept(doc, config)
    if isinstance(cleaned, Problem):
        return cleaned
    counts = features(cleaned.text, cleaned.title, config.cluster.name_weight)
    sig = signature(counts)
    return Article(
        document=cleaned,
        raw=compress_raw(raw if raw is not None else doc.text),
        canonical=canonical_url(cleaned.url),
        digest=content_hash(cleaned.text),
        counts=dict(counts),
        signature=sig.tobytes() if sig is not None else None,
        bands=tuple(lsh_bands(sig)) if sig is not None else (),
        sentences=pack(segment(cleaned)),
        headline=cleaned.title or headline_from(cleaned.text),
        lines=tuple(line_keys(cleaned.text)) if config.summarize.repeated_line_stories else (),
    )


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
    merged_away: set[int] = field(default_factory=set)
    feeds: dict[str, FeedTally] = field(default_factory=dict)

    def feed(self, url: str) -> FeedTally:
        """The tally of one feed, started on first use."""
        return self.feeds.setdefault(url, FeedTally(url))

    def absorb(self, other: IngestReport) -> None:
        """Add another report's counts (a committed batch) to this one."""
        self.added += other.added
        self.duplicates += other.duplicates
        self.copies += other.copies
        self.stories_created += other.stories_created
        self.merges += other.merges
        self.problems += other.problems
        self.merged_away |= other.merged_away
        # in place: rebuilding the set per batch made a long ingest quadratic in the stories it touched
        self.touched |= other.touched - self.merged_away
        self.touched -= other.merged_away
        for url, tally in other.feeds.items():
            self.feed(url).absorb(tally)

    def as_dict(self) -> dict[str, object]:
        return {
            "added": self.added,
            "duplicates": self.duplicates,
            "copies": self.copies,
            "stories_created": self.stories_created,
            "stories_updated": len(self.touched),
            "merges": self.merges,
            "problems": [{"input": p.input, "reason": p.reason} for p in self.problems],
            "feeds": [tally.as_dict() for tally in self.feeds.values()],
        }


class StreamIngester:
    """Adds articles to an archive, keeping the story index in memory.

    Several ingesters may write one archive (a ``tidings serve`` and a ``tidings ingest`` run, or the
    server's feed poller and its API writer). Each remembers the archive's write generation after its own
    last commit; a transaction that finds another generation reloads the index first, inside the
    transaction, so new story ids and story states always come from what is committed.
    """

    def __init__(self, archive: Archive, config: Config | None = None) -> None:
        self.archive = archive
        self.config = config or Config()
        self._generation: int | None = None
        self._newest: datetime | None = None
        self._unpruned = 0  # articles stored since the story index was last pruned
        self._load()

    def _load(self) -> None:
        """(Re)build the in-memory state from the archive: term statistics, active stories, the next story id."""
        self._generation = self.archive.generation()  # read first: a commit after this only causes a reload
        self.frequencies: DocumentFrequencies = self.archive.load_frequencies()
        self.index = StoryIndex(self.config.cluster, next_id=self.archive.max_story_id() + 1)
        newest = self.archive.conn.execute("SELECT MAX(last_published) FROM stories").fetchone()[0]
        since = None
        if newest:
            since = datetime.fromisoformat(newest) - timedelta(days=self.config.cluster.window_days)
        min_seq = self.archive.next_seq() - RECENT_ARTICLES
        for story in self.archive.active_stories(since, min_seq):
            self.index.load(story)

    def add(self, doc: Document, raw: str | None = None, report: IngestReport | None = None) -> str | None:
        """Archive one document; returns its archive id, or None when it was a duplicate or unusable."""
        article = prepare_article(doc, raw, self.config)
        return self.commit(article, report if report is not None else IngestReport())

    def commit(self, article: Article | Problem, report: IngestReport) -> str | None:
        """Store one prepared article in its own transaction."""
        return self.commit_many([article], report)[0]

    def commit_many(self, articles: Sequence[Article | Problem], report: IngestReport) -> list[str | None]:
        """Store prepared articles in one transaction: all of them, or (on a crash) none.

        A re-run after a crash skips what an earlier transaction committed, so nothing is
        lost and nothing duplicated; one transaction per batch rather than per article is
        what makes a large ingest fast.
        """
        staged = IngestReport()
        terms: Counter[int] = Counter()
        newest, unpruned = self._newest, self._unpruned
        try:
            with self.archive.transaction():
                if self.archive.generation() != self._generation:
                    self._load()  # another writer committed since our last write: our index is stale
                ids = [self._store_and_prune(article, staged, terms) for article in articles]
                self.archive.bump_frequencies(terms)
                self._generation = self.archive.bump_generation()
        except BaseException:
            self._generation = None  # the in-memory index may hold rolled-back articles: reload next time
            self._newest, self._unpruned = newest, unpruned
            raise
        report.absorb(staged)
        return ids

    def _store_and_prune(self, article: Article | Problem, report: IngestReport, terms: Counter[int]) -> str | None:
        """:meth:`_store`, then every ``_PRUNE_EVERY`` articles the stories gone cold are forgotten: counted in
        articles, not transactions, so that how articles are grouped into transactions changes no story (which
        stories an out-of-order article can still join depends on when the index was last pruned)."""
        doc_id = self._store(article, report, terms)
        if isinstance(article, Article) and (published := article.document.published) is not None:
            self._newest = published if self._newest is None else max(self._newest, published)
        self._unpruned += 1
        if self._unpruned >= _PRUNE_EVERY:
            self._unpruned = 0
            self.index.prune(self._newest, RECENT_ARTICLES)
        return doc_id

    def _store(self, article: Article | Problem, report: IngestReport, terms: Counter[int]) -> str | None:
        """Write one article inside the open transaction: document, bands, statistics, story."""
        if isinstance(article, Problem):
            report.problems.append(article)
            return None
        if self.archive.existing(article.canonical, article.digest):
            report.duplicates += 1
            return None
        now = datetime.now(UTC)
        cleaned = article.document
        copy_of = self._original(article)
        doc_id = _document_id(article.canonical, article.digest)
        stored = replace(cleaned, id=doc_id, copy_of=copy_of)
        self.frequencies.add(article.counts.keys())
        assignment = self.index.assign(self.frequencies.vector(article.counts), cleaned.published)
        seq = self.archive.next_seq()
        self.archive.insert_document(
            stored,
            canonical_url=article.canonical,
            content_hash=article.digest,
            raw=article.raw,
            seq=seq,
            story_id=assignment.story_id,
            minhash=article.signature,
            ingested_at=now,
            sentences=article.sentences,
        )
        self.archive.add_bands(doc_id, article.bands)
        if article.lines:
            self.archive.count_lines(assignment.story_id, article.lines)
        terms.update(article.counts.keys())
        for source, target, similarity in assignment.merged:
            self.archive.merge_stories(source, target, similarity, now)
        story = self.index.stories[assignment.story_id]
        story.last_order = seq
        self.archive.save_story(story, article.headline, new=assignment.created)
        report.added += 1
        report.copies += copy_of is not None
        report.stories_created += assignment.created
        report.merges += len(assignment.merged)
        report.merged_away.update(source for source, _, _ in assignment.merged)
        report.touched.add(assignment.story_id)
        report.touched -= report.merged_away
        return doc_id

    def _original(self, article: Article) -> str | None:
        """The archived article this one copies (its group's original), if any: the original of the most
        similar match at or above ``copy_jaccard`` (the latest of equals), so a rewrite of a copy joins the
        copy's group. The matches' signatures are compared in one array operation (one at a time, the
        comparisons were half the check's time with the dozens of matches of a widely syndicated story)."""
        if article.signature is None:
            return None
        size = len(article.signature)
        matches = [
            (doc_id, blob, copy_of)
            for doc_id, blob, copy_of in self.archive.band_matches(article.bands)
            if blob is not None and len(blob) == size
        ]
        if not matches:
            return None
        mine = np.frombuffer(article.signature, dtype=np.uint64)
        theirs = np.frombuffer(b"".join(blob for _, blob, _ in matches), dtype=np.uint64).reshape(len(matches), -1)
        similarity = (theirs == mine).mean(axis=1)
        best = len(similarity) - 1 - int(np.argmax(similarity[::-1]))  # the last of the most similar
        if similarity[best] < self.config.cluster.copy_jaccard:
            return None
        doc_id, _, copy_of = matches[best]
        return copy_of or doc_id


Item = tuple[Document, str | None] | Read | Unread | Problem | FeedTally
"""What :func:`ingest` takes: a document with its raw input (a pair, or a :class:`Read` that says where it came
from), a problem met while reading, or a feed's tally of the entries its reader decided on."""


def _prepare_read(read: Read | Unread, config: Config) -> Article | Problem:
    if isinstance(read, Unread):  # read from disk by the ingest's reader, made a Document here
        made = read.read()
        if isinstance(made, Problem):
            return made
        read = made
    prepared = prepare_article(read.document, read.raw, config)
    if isinstance(prepared, Problem) and read.where:
        return Problem(read.where, prepared.reason)  # name the feed entry, not only its page
    return prepared


def _as_read(item: tuple[Document, str | None] | Read | Unread) -> Read | Unread:
    if isinstance(item, Read | Unread):
        return item
    doc, raw = item
    return Read(doc, raw if raw is not None else doc.text)


def ingest(
    archive: Archive,
    items: Iterable[Item],
    config: Config | None = None,
    *,
    summaries: bool = True,
    workers: int = 1,
    batch: int = _BATCH,
    on_item: Callable[[], None] | None = None,
) -> IngestReport:
    """Add documents (with their raw input) to the archive; problems are recorded, never fatal.

    Articles are prepared (cleaned, featurised, signed) in ``workers`` processes and
    written by this one, at most ``batch`` articles per transaction (fewer in the first ones, see
    :func:`_windows`); a crash loses the transaction under way, which a re-run adds. A document from a feed counts
    in its feed's tally as added, duplicate or refused. ``on_item`` is called once per
    document or problem (a progress bar).
    """
    config = config or Config()
    if config.summarize.repeated_line_stories and archive.lines_need_recount():
        # an archive made before lines were counted: count what it holds once, so its boilerplate is known
        counted = archive.recount_lines((story, line_keys(text)) for story, text in archive.story_texts())
        log.info("counted the lines of %d archived documents (once, after an upgrade)", counted)
    ingester = StreamIngester(archive, config)
    report = IngestReport()
    prepare = partial(_prepare_read, config=config)
    pool = ProcessPoolExecutor(max_workers=workers, initializer=init_worker) if workers > 1 else None
    try:
        # While this process writes one window, the workers prepare the next ones: with only the next one
        # queued they idled whenever they finished it before the write did (1.7 of 2 cores busy).
        pending: deque[tuple[list[Item], list[Read | Unread], Iterator[Article | Problem] | None]] = deque()
        for window in _windows(_counted(items, on_item), batch):
            reads = [_as_read(item) for item in window if not isinstance(item, FeedTally | Problem)]
            started = None
            if pool is not None and len(reads) >= 2 * workers:
                started = pool.map(prepare, reads, chunksize=max(1, len(reads) // (4 * workers)))
            pending.append((window, reads, started))
            if len(pending) > _AHEAD:
                _commit_window(ingester, report, *pending.popleft(), prepare)
        while pending:
            _commit_window(ingester, report, *pending.popleft(), prepare)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    for problem in report.problems:
        archive.add_problem(problem.input, problem.reason)
    if summaries:
        refresh_summaries(archive, sorted(report.touched), config, workers=workers)
    return report


def _counted(items: Iterable[Item], on_item: Callable[[], None] | None) -> Iterator[Item]:
    """The items, calling ``on_item`` for each document or problem as it is read."""
    for item in items:
        if on_item is not None and not isinstance(item, FeedTally):
            on_item()
        yield item


def _commit_window(
    ingester: StreamIngester,
    report: IngestReport,
    window: list[Item],
    reads: list[Read | Unread],
    started: Iterator[Article | Problem] | None,
    prepare: Callable[[Read | Unread], Article | Problem],
) -> None:
    """Write one window: its reading problems and feed tallies, then its articles (prepared by the workers
    when ``started``, else here)."""
    for item in window:
        if isinstance(item, FeedTally):
            report.feed(item.url).absorb(item)
        elif isinstance(item, Problem):
            report.problems.append(item)
    prepared = list(started) if started is not None else [prepare(read) for read in reads]
    ids = ingester.commit_many(prepared, report)
    for read, article, doc_id in zip(reads, prepared, ids, strict=True):
        if isinstance(read, Read) and read.feed is not None:
            tally = report.feed(read.feed)
            if isinstance(article, Problem):
                tally.refused += 1
            elif doc_id is None:
                tally.duplicates += 1
            else:
                tally.added += 1


_SUMMARY_ARCHIVE: dict[str, Any] = {}  # in a summary process: its own connection and configuration


def _summary_init(path: str, config: Config) -> None:
    init_worker()
    _SUMMARY_ARCHIVE["archive"] = Archive(path)
    _SUMMARY_ARCHIVE["config"] = config


def _summarize_in_child(story_ids: list[int]) -> list[tuple[int, int, dict, str | None]]:
    """Summaries computed here and saved by the parent, in one transaction per chunk (no write-lock contention)."""
    out = []
    for story_id in story_ids:
        found = _story_and_documents(_SUMMARY_ARCHIVE["archive"], story_id)
        if found is not None and not found[0].summary_is_current:
            summary, title = _summarize_story(_SUMMARY_ARCHIVE["archive"], found[1], _SUMMARY_ARCHIVE["config"])
            out.append((story_id, found[0].version, summary_json(summary), title))
    return out


def refresh_summaries(
    archive: Archive, story_ids: Sequence[int], config: Config | None = None, *, workers: int = 1
) -> None:
    """Compute and cache the summaries of ``story_ids``, in ``workers`` processes when there are many.

    Each process reads the stories' articles over its own connection and returns the summaries; this one
    saves them, a chunk per transaction, each guarded by the story's version (a story changed meanwhile is
    simply left stale for the next reader).
    """
    config = config or Config()
    if workers <= 1 or len(story_ids) < 8 * workers:
        for story_id in story_ids:
            story_summary(archive, story_id, config)
        return
    chunks = [list(story_ids[k : k + 16]) for k in range(0, len(story_ids), 16)]
    with ProcessPoolExecutor(workers, initializer=_summary_init, initargs=(str(archive.path), config)) as pool:
        for saved in pool.map(_summarize_in_child, chunks):
            archive.save_summaries(saved)


def _windows(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of at most ``size`` items (bounded memory over an endless stream), the first ones
    smaller (``_FIRST_WINDOW``, doubling): the writer waits for the first window before it can start."""
    window: list[T] = []
    limit = min(size, _FIRST_WINDOW)
    for item in items:
        window.append(item)
        if len(window) >= limit:
            yield window
            window = []
            limit = min(size, 2 * limit)
    if window:
        yield window


def poll_feeds(
    archive: Archive, feeds: Iterable[str], fetcher: Fetcher, config: Config | None = None, *, summaries: bool = True
) -> IngestReport:
    """Poll each feed once (conditional GET), fetch its new items and ingest them.

    A feed that fails is a problem in the report and its status is recorded; the others go on.
    """
    config = config or Config()
    polled: dict[str, tuple[str | None, str | None, str | None]] = {}  # url -> validators and the feed's final URL

    def known(link: str) -> bool:
        return archive.has_url(canonical_url(link))

    def items() -> Iterator[Item]:
        for url in feeds:
            etag, last_modified = archive.feed_state(url)
            try:
                poll = poll_feed(url, fetcher, etag, last_modified)
                if poll.not_modified or poll.feed is None:
                    archive.save_feed_state(url, poll.etag, poll.last_modified, "not modified")
                    continue
                polled[url] = (poll.etag, poll.last_modified, poll.feed.url)
                yield from read_feed(poll.feed, fetcher, known=known)
            except (InputError, TidingsError) as exc:
                polled.pop(url, None)
                archive.save_feed_state(url, None, None, f"error: {exc}")
                yield Problem(url, str(exc))
            except Exception as exc:  # one feed's surprise must not stop the others (nor every later poll)
                log.exception("%s: polling failed unexpectedly", url)
                polled.pop(url, None)
                archive.save_feed_state(url, None, None, f"error: {exc}")
                yield Problem(url, f"polling failed unexpectedly: {exc}")

    report = ingest(archive, items(), config, summaries=summaries)
    for url, (etag, last_modified, final) in polled.items():
        added = report.feeds[final].added if final in report.feeds else 0
        archive.save_feed_state(url, etag, last_modified, f"ok: {added} new")
    return report


def story_summary(archive: Archive, story_id: int, config: Config | None = None) -> Summary | None:
    """The story's cited summary: the cached one while it is current, else recomputed and cached.

    With a ``config`` of the caller's own the summary is recomputed (its settings may differ from those the
    cached one was made with); it is cached only if the story changed.
    """
    found = _story_and_documents(archive, story_id)
    if found is None:
        return None
    story, stored = found
    if config is None and story.summary_is_current and story.summary is not None:
        cached = summary_from_json(story.summary, [d.document for d in stored])
        if cached is not None:
            return cached
    summary, title = _summarize_story(archive, stored, config or Config())
    if not story.summary_is_current:
        archive.save_summary(story_id, story.version, summary_json(summary), title)
    return summary


def _story_and_documents(archive: Archive, story_id: int) -> tuple[StoryRow, list[StoredDocument]] | None:
    story = archive.story(story_id)
    stored = archive.story_documents(story_id) if story is not None else []
    return (story, stored) if story is not None and stored else None


def _summarize_story(archive: Archive, stored: list[StoredDocument], config: Config) -> tuple[Summary, str | None]:
    """A story's summary and title from its archived (already cleaned and split) documents.

    Lines the archive has seen in the articles of several other stories are boilerplate here.
    """
    docs = [d.document for d in stored]
    boilerplate = None
    if min_stories := config.summarize.repeated_line_stories:
        lines = {key: line for doc in docs for key, line in line_keys(doc.text).items()}
        if found := archive.repeated_lines(lines, min_stories):
            boilerplate = RepeatedLines(lines[key] for key in found)
    summary = summarize_prepared(prepare_stored(stored, config), config, boilerplate=boilerplate)
    return summary, story_title(docs, summary)
