"""The service's moving parts: read connections, the single writer, and the background worker.

SQLite in WAL mode lets any number of readers run while one writer
commits, but a ``sqlite3`` connection must not be used by two threads at
once. So:

* **Readers**: every request thread gets its own read-only connection
  (``PRAGMA query_only``), opened on first use and closed at shutdown.
  A read never waits for a write.
* **One writer** per server: every write goes through one lock
  (:attr:`Service.lock`), and the API keeps one long-lived ingester whose
  story index lives in memory (:class:`~tidings.stream.StreamIngester`).
  Other writers of the same file (a ``tidings ingest`` run, the feed
  poller's own ingester) are seen through the archive's write generation:
  an ingester that finds it changed reloads its index inside its
  transaction, so story ids and story states come from what is committed.
  Work that needs no archive (cleaning an article, fetching a page,
  computing a summary) happens before the lock is taken, so a write holds it
  only to commit.
* **The worker**: one thread with its own connection refreshes the cached
  summaries of stories that changed and polls subscribed feeds with
  :func:`tidings.stream.poll_feeds` (the same fetcher and address rules as
  ``tidings watch``). Feeds are fetched without the lock and replayed to
  ``poll_feeds`` under it, so a slow feed server never holds up the API's
  writes.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from tidings.config import Config
from tidings.errors import InputError
from tidings.follow import latest_new_json, story_news, story_updates
from tidings.ingest import Fetcher, FetchResult, content_kind, parse_feed
from tidings.model import Document, Problem
from tidings.processes import init_worker
from tidings.render import new_json
from tidings.serve import analysis
from tidings.serve.analysis import story_analysis
from tidings.store import Archive, StoryRow
from tidings.stream import (
    Article,
    IngestReport,
    StreamIngester,
    canonical_url,
    poll_feeds,
    prepare_article,
    story_summary,
)

log = logging.getLogger(__name__)


class BusyError(Exception):
    """The writer stayed busy longer than ``serve.write_wait``: the client should retry later."""


class _LockedArchive(Archive):
    """An archive connection whose transactions take the service's writer lock."""

    def __init__(self, path: str | Path, lock: threading.RLock) -> None:
        super().__init__(path)
        self._lock = lock

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        with self._lock, super().transaction() as conn:
            yield conn


class Readers:
    """One read-only archive connection per thread (sqlite3 connections are not shared across threads).

    Each :meth:`get` starts a time budget of ``seconds`` on the connection: a request's reads that run
    past it are interrupted (``sqlite3.OperationalError: interrupted``), so no request can hold a thread,
    or the archive, for long.
    """

    def __init__(self, path: str | Path, seconds: float | None = None) -> None:
        self._path = path
        self._seconds = seconds
        self._local = threading.local()
        self._opened: list[Archive] = []
        self._guard = threading.Lock()

    def get(self) -> Archive:
        """This thread's connection, its time budget started afresh (call once per request)."""
        archive = getattr(self._local, "archive", None)
        if archive is None:
            archive = Archive(self._path)
            archive.conn.execute("PRAGMA query_only = ON")  # a read path that tries to write is a bug: fail loudly
            self._local.archive = archive
            with self._guard:
                self._opened.append(archive)
        archive.limit_time(self._seconds)
        return archive

    def close(self) -> None:
        with self._guard:
            for archive in self._opened:
                archive.close()
            self._opened.clear()


_CHILD: dict[str, Any] = {}  # in a compute process: its archive connection and configuration


def _child_init(path: str, config: Config, nice: int) -> None:
    init_worker()
    if nice:
        os.nice(nice)
    _CHILD["archive"] = Archive(path)
    _CHILD["config"] = config


def _child_noop() -> None:
    return None


def _child_prepare(items: list[tuple[Document, str | None]]) -> list[Article | Problem]:
    return [prepare_article(doc, raw, _CHILD["config"]) for doc, raw in items]


def _child_summarize(story_id: int) -> None:
    story_summary(_CHILD["archive"], story_id, _CHILD["config"])


def _in_child(work: Callable[..., Any], *args: Any) -> Any:
    """``work(archive, *args, config)`` over this compute process's own connection and configuration."""
    return work(_CHILD["archive"], *args, _CHILD["config"])


def _analysis(archive: Archive, story_id: int, config: Config) -> dict[str, Any] | None:
    return story_analysis([d.document for d in archive.story_documents(story_id)], config)


def _news(archive: Archive, story_id: int, since: datetime, config: Config) -> dict[str, Any] | None:
    """What is new in the story since ``since``, JSON-ready (see :func:`tidings.follow.story_news`)."""
    news = story_news(archive, story_id, since, config)
    if news is None:
        return None
    return {"since": since.isoformat(), "new": new_json(news.new), "added": list(news.added)}


def _updates(archive: Archive, story_id: int, config: Config) -> list[dict[str, Any]]:
    """The story's updates, newest first, JSON-ready (see :func:`tidings.follow.story_updates`)."""
    return [
        {"at": u.at.isoformat(), "documents": list(u.documents), "new": new_json(u.new)}
        for u in story_updates(archive, story_id, config)
    ]


class _Pool:
    """One process pool, restarted once if its process dies (killed, out of memory)."""

    def __init__(self, path: Path, config: Config, processes: int, nice: int) -> None:
        # spawn, not fork: a lock some server thread held at the fork would stay held in the child forever
        self._start = lambda: ProcessPoolExecutor(
            processes, mp_context=get_context("spawn"), initializer=_child_init, initargs=(str(path), config, nice)
        )
        self._pool = self._start()
        self._guard = threading.Lock()

    def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        pool = self._pool
        try:
            return pool.submit(fn, *args).result()
        except BrokenProcessPool:
            log.exception("a compute process died; starting a new one")
            with self._guard:
                if self._pool is pool:
                    self._pool = self._start()
            return self._pool.submit(fn, *args).result()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


class Compute:
    """CPU-heavy work in processes of its own: cleaning posted articles, summaries, analyses.

    The server's threads share one interpreter lock: an article being cleaned or a story being
    summarized in a request or worker thread would hold up every page being read. In another process
    it does not. Posted articles are cleaned by one process, so a write never queues behind background
    work; summaries and analyses run in ``serve.processes`` others, at a lower scheduling priority, so
    that on a busy machine serving pages comes first. A summary is saved by the process that computed
    it: ``save_summary`` is one short transaction guarded by the story's version, so SQLite's locking
    is all it needs (it never touches the story index). With ``processes = 0`` everything runs in the
    calling thread (tests, tiny servers).
    """

    def __init__(self, path: Path, config: Config, processes: int) -> None:
        self.config = config
        self._writes = _Pool(path, config, 1, nice=0) if processes > 0 else None
        self._background = _Pool(path, config, processes, nice=10) if processes > 0 else None

    def warm(self) -> None:
        """Start the processes now (each imports tidings: seconds), not on the first request."""
        if self._writes is not None and self._background is not None:
            self._writes.run(_child_noop)
            self._background.run(_child_noop)

    def prepare(self, items: list[tuple[Document, str | None]]) -> list[Article | Problem]:
        if self._writes is None or not items:
            return [prepare_article(doc, raw, self.config) for doc, raw in items]
        return self._writes.run(_child_prepare, items)

    def summarize(self, archive: Archive, story_id: int) -> None:
        if self._background is None:
            story_summary(archive, story_id, self.config)  # computed without the lock, saved with it
        else:
            self._background.run(_child_summarize, story_id)

    def read(self, work: Callable[..., Any], archive: Archive, *args: Any) -> Any:
        """``work(archive, *args, config)``: a computation over the archive (an analysis, what is new) run in
        a background process, or here when there is none (``archive`` is then the caller's connection)."""
        if self._background is None:
            return work(archive, *args, self.config)
        return self._background.run(_in_child, work, *args)

    def close(self) -> None:
        for pool in (self._writes, self._background):
            if pool is not None:
                pool.close()


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one submitted document: ``added``, ``duplicate`` (of ``id``) or ``problem`` (``reason``)."""

    index: int
    status: str
    id: str | None = None
    story: int | None = None
    reason: str | None = None
    input: str | None = None


Submitted = tuple[int, Document, str | None] | tuple[int, Problem]


class Writer:
    """The archive's single writer: one connection, one lock, one long-lived story index."""

    def __init__(self, path: str | Path, config: Config, lock: threading.RLock, compute: Compute) -> None:
        self.config = config
        self.lock = lock
        self.compute = compute
        self.archive = _LockedArchive(path, lock)
        self._ingester: StreamIngester | None = None

    @contextmanager
    def hold(self, wait: float | None = None) -> Iterator[None]:
        """Hold the writer lock, waiting at most ``wait`` seconds (default ``serve.write_wait``)."""
        if not self.lock.acquire(timeout=self.config.serve.write_wait if wait is None else wait):
            raise BusyError("the archive is busy with another write; retry shortly")
        try:
            yield
        finally:
            self.lock.release()

    def _current(self) -> StreamIngester:
        if self._ingester is None:  # loading the story index reads the archive: seconds on a large one
            self._ingester = StreamIngester(self.archive, self.config)
        return self._ingester

    def warm(self) -> None:
        """Load the story index now, so the first write does not pay for it."""
        with self.hold(wait=None):
            self._current()

    def add(self, items: Sequence[Submitted]) -> list[Outcome]:
        """Clean and archive submitted documents; one outcome per item, in order.

        Articles are prepared (cleaned, featurised, signed) before the lock is taken and
        committed in one transaction: all of them or, on an error, none.
        """
        documents = [(item[1], item[2]) for item in items if len(item) == 3]
        cleaned = iter(self.compute.prepare(documents))
        prepared: list[tuple[int, Article | Problem]] = [
            (item[0], item[1] if len(item) == 2 else next(cleaned)) for item in items
        ]
        report = IngestReport()
        with self.hold():
            ingester = self._current()
            ids = ingester.commit_many([a for _, a in prepared], report)
            pairs = zip(prepared, ids, strict=True)
            outcomes = [self._outcome(index, article, doc_id) for (index, article), doc_id in pairs]
        for outcome in outcomes:
            if outcome.status == "problem":
                self.archive.add_problem(outcome.input or f"item {outcome.index}", outcome.reason or "unusable")
        return outcomes

    def _outcome(self, index: int, article: Article | Problem, doc_id: str | None) -> Outcome:
        if isinstance(article, Problem):
            return Outcome(index, "problem", reason=article.reason, input=article.input)
        status = "added"
        if doc_id is None:
            status, doc_id = "duplicate", self.archive.existing(article.canonical, article.digest)
        stored = self.archive.document(doc_id) if doc_id else None
        story = self.archive.resolve_story(stored.story_id) if stored and stored.story_id is not None else None
        return Outcome(index, status, id=doc_id, story=story, input=article.document.url)

    def subscribe(self, url: str) -> tuple[int, bool]:
        with self.hold():
            return self.archive.subscribe(url)

    def unsubscribe(self, feed_id: int) -> str | None:
        with self.hold():
            return self.archive.unsubscribe(feed_id)

    def poll(self, feeds: Sequence[str], fetcher: Fetcher) -> IngestReport:
        """Ingest what ``fetcher`` (usually a :class:`_Replay`) brings from ``feeds``, holding the lock."""
        with self.hold(wait=None):
            return poll_feeds(self.archive, feeds, fetcher, self.config, summaries=False)

    def close(self) -> None:
        self.archive.close()


class _Replay(Fetcher):
    """A fetcher that answers from responses fetched earlier, so ``poll_feeds`` never waits on the network.

    Whatever was not fetched beforehand is fetched now, through the real fetcher (same rules).
    It deliberately skips ``Fetcher.__init__``: it has no HTTP client of its own.
    """

    def __init__(
        self,
        live: Fetcher,
        feeds: Mapping[str, FetchResult | InputError],
        pages: Mapping[str, FetchResult | Problem],
    ) -> None:
        self.config = live.config
        self._live = live
        self._feeds = dict(feeds)
        self._pages = dict(pages)

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        answer = self._feeds.pop(url, None)
        if answer is None:
            return self._live.fetch(url, etag=etag, last_modified=last_modified)
        if isinstance(answer, InputError):
            raise answer
        return answer

    def fetch_many(
        self, urls: Iterable[str], *, validators: Mapping[str, tuple[str | None, str | None]] | None = None
    ) -> list[FetchResult | Problem]:
        urls = list(urls)
        missing = [u for u in urls if u not in self._pages]
        fetched = dict(zip(missing, self._live.fetch_many(missing, validators=validators), strict=True))
        return [self._pages[u] if u in self._pages else fetched[u] for u in urls]

    def close(self) -> None:
        pass


def prefetch(
    feeds: Sequence[str],
    fetcher: Fetcher,
    state: Callable[[str], tuple[str | None, str | None]],
    known: Callable[[str], bool],
) -> _Replay:
    """Fetch each feed (conditionally) and the pages of its items not archived yet; no archive writes."""
    answers: dict[str, FetchResult | InputError] = {}
    links: list[str] = []
    for url in feeds:
        etag, last_modified = state(url)
        try:
            result = fetcher.fetch(url, etag=etag, last_modified=last_modified)
        except InputError as exc:
            answers[url] = exc
            continue
        except Exception as exc:  # one feed's surprise must not stop the others
            log.exception("%s: fetching the feed failed unexpectedly", url)
            answers[url] = InputError(f"fetching failed unexpectedly: {exc}")
            continue
        answers[url] = result
        if result.not_modified or content_kind(result.content, result.content_type) != "feed":
            continue
        try:
            feed = parse_feed(result.content, result.final_url)
        except InputError:
            continue  # poll_feeds meets the same error when it replays this answer, and records it
        links += [item.link for item in feed.items if item.link and not known(item.link)]
    links = list(dict.fromkeys(links))
    pages = dict(zip(links, fetcher.fetch_many(links), strict=True)) if links else {}
    return _Replay(fetcher, answers, pages)


class Worker(threading.Thread):
    """The background thread: stale summaries and, every ``poll_every`` seconds, feeds."""

    def __init__(self, service: Service) -> None:
        super().__init__(name="tidings-worker", daemon=True)
        self.service = service
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.ready = threading.Event()  # the story index is loaded and the compute process started
        self.archive: Archive | None = None
        self._next_poll = 0.0

    def run(self) -> None:
        serve = self.service.config.serve
        try:  # the first write should not pay for loading the story index or starting the compute process
            self.service.writer.warm()
            self.service.compute.warm()
        except Exception:  # the worker must survive anything; the writer retries on first use
            log.exception("warming up failed")
        self.ready.set()
        while not self.stopping.is_set():
            try:
                self.cycle(poll=serve.poll_every > 0 and time.monotonic() >= self._next_poll)
            except Exception:  # one failed cycle must not stop summaries and polling for good
                log.exception("background cycle failed")
            timeout = 60.0 if serve.poll_every <= 0 else max(0.05, self._next_poll - time.monotonic())
            if self.wake.wait(timeout=min(timeout, 60.0)):
                self.wake.clear()
                self.stopping.wait(serve.summary_delay)  # let a burst of writes finish before summarizing
        if self.archive is not None:
            self.archive.close()

    def stop(self) -> None:
        self.stopping.set()
        self.wake.set()

    def poll_soon(self) -> None:
        """Poll the feeds at the next cycle (a feed was just subscribed)."""
        self._next_poll = 0.0
        self.wake.set()

    def _archive(self) -> Archive:
        """The worker's own connection (opened in the thread that first needs it)."""
        if self.archive is None:
            self.archive = _LockedArchive(self.service.path, self.service.lock)
        return self.archive

    def cycle(self, *, poll: bool = False) -> None:
        """One round of background work (tests call it directly with the thread not started)."""
        if poll:
            self._next_poll = time.monotonic() + self.service.config.serve.poll_every
            self.poll()
        self.refresh_summaries()

    def refresh_summaries(self) -> int:
        """Recompute the cached summary of every story that changed since its summary, and analyse it before
        anyone opens its page; then analyse the stories readers asked for. Returns how many summaries."""
        archive = self._archive()
        done = 0
        for story_id in archive.stale_stories():
            if self.stopping.is_set():
                break
            self.service.compute.summarize(archive, story_id)
            self.service.pages.clear()
            if (row := archive.story(story_id)) is not None:
                self.service.analyse(archive, row)
            done += 1
        while not self.stopping.is_set() and (row := self.service.next_wanted()) is not None:
            self.service.analyse(archive, row)
        return done

    def poll(self) -> IngestReport | None:
        """Poll every subscribed feed once: fetch without the lock, ingest with it."""
        archive = self._archive()
        feeds = archive.feeds()
        if not feeds:
            return None
        replay = prefetch(
            feeds, self.service.fetcher, archive.feed_state, lambda link: archive.has_url(canonical_url(link))
        )
        report = self.service.writer.poll(feeds, replay)
        self.service.pages.clear()
        log.info("polled %d feed(s): %d new article(s), %d problem(s)", len(feeds), report.added, len(report.problems))
        return report


class Memo:
    """Results computed for one version of a story (analyses, what is new), kept in a bounded memory cache.

    A story's version changes whenever an article joins it, so a cached result is never stale.
    """

    def __init__(self, size: int = 512) -> None:
        self._size = size
        self._done: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._guard = threading.Lock()

    def peek(self, key: tuple[Any, ...]) -> tuple[bool, Any]:
        """(known, value) without computing anything."""
        with self._guard:
            if key in self._done:
                self._done.move_to_end(key)
                return True, self._done[key]
        return False, None

    def get(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        known, value = self.peek(key)
        if known:
            return value
        value = compute()  # outside the guard: two readers may compute one key, never wait on each other
        with self._guard:
            self._done[key] = value
            while len(self._done) > self._size:
                self._done.popitem(last=False)
        return value


class PageCache:
    """Rendered pages that every reader sees alike (the front page), kept a few seconds.

    Cleared whenever this server writes; the time limit covers writers it cannot see (a ``tidings
    ingest`` run in another process). A front page costs several times a story page to build and is
    the page most people open.
    """

    def __init__(self, seconds: float, size: int = 256) -> None:
        self.seconds = seconds
        self._size = size
        self._pages: OrderedDict[Any, tuple[float, Any]] = OrderedDict()
        self._guard = threading.Lock()

    def peek(self, key: Any) -> Any | None:
        """The page kept under ``key``, if it is fresh."""
        with self._guard:
            hit = self._pages.get(key)
            return hit[1] if hit is not None and hit[0] > time.monotonic() else None

    def put(self, key: Any, value: Any) -> None:
        if self.seconds <= 0:
            return
        with self._guard:
            self._pages[key] = (time.monotonic() + self.seconds, value)
            self._pages.move_to_end(key)
            while len(self._pages) > self._size:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._guard:
            self._pages.clear()


class Service:
    """Everything a running server holds: configuration, token, connections, writer, fetcher, worker.

    ``close`` releases them all; a later ``start`` (a second lifespan of the same app) opens them again.
    """

    def __init__(self, db_path: str | Path, config: Config, token: str | None) -> None:
        self.path = Path(db_path)
        self.config = config
        self.token = token
        self.lock = threading.RLock()
        self.memo = Memo()
        self._wanted: OrderedDict[tuple[int, int], StoryRow] = OrderedDict()
        self._wanted_guard = threading.Lock()
        self.pages = PageCache(config.serve.page_cache_seconds)
        slots = config.serve.search_slots or max(1, (os.cpu_count() or 2) // 2)
        self._searches = threading.BoundedSemaphore(slots)
        self._open()  # opens (migrates) the archive: errors now, not at the first request
        analysis.available()  # import the optional stage now, not during someone's first request

    def _open(self) -> None:
        self.compute = Compute(self.path, self.config, self.config.serve.processes)
        self.writer = Writer(self.path, self.config, self.lock, self.compute)
        self.readers = Readers(self.path, self.config.serve.read_seconds)
        self.fetcher = Fetcher(self.config.fetch)
        self.worker = Worker(self)
        self._closed = False

    @property
    def writes_enabled(self) -> bool:
        return self.token is not None

    def read(self) -> Archive:
        """This thread's read-only connection."""
        return self.readers.get()

    @contextmanager
    def search_slot(self) -> Iterator[None]:
        """Hold one of the ``serve.search_slots`` places for a search, or raise :class:`BusyError` after 1 s."""
        if not self._searches.acquire(timeout=1.0):
            raise BusyError("too many searches at once; retry shortly")
        try:
            yield
        finally:
            self._searches.release()

    def analysis(self, story: StoryRow) -> tuple[bool, dict[str, Any] | None]:
        """(ready, analysis) of the story's current version, never waiting for one to be computed.

        The worker analyses every story whose summary it refreshes, so a story is normally analysed
        before its page is first opened; one that is not (an archive written by ``tidings ingest``) is
        queued for the worker, and the page says so and refreshes itself. Without a worker (tests, tiny
        servers) it is computed here.
        """
        if not analysis.available():
            return True, None
        key = ("analysis", story.id, story.version)
        known, value = self.memo.peek(key)
        if known:
            return True, value
        if not self.config.serve.worker:
            return True, self._kept(key, _analysis, self.read(), story.id)
        with self._wanted_guard:
            self._wanted[(story.id, story.version)] = story
            while len(self._wanted) > 256:  # the oldest requests give way
                self._wanted.popitem(last=False)
        self.worker.wake.set()
        return False, None

    def next_wanted(self) -> StoryRow | None:
        with self._wanted_guard:
            return self._wanted.popitem(last=False)[1] if self._wanted else None

    def analyse(self, archive: Archive, story: StoryRow) -> None:
        """Compute (in the compute processes) and keep the analysis of this version of the story."""
        if analysis.available():
            self._kept(("analysis", story.id, story.version), _analysis, archive, story.id)

    def news(self, story: StoryRow, since: datetime, arrivals: Sequence[datetime]) -> dict[str, Any] | None:
        """What is new in the story since ``since``, for its current version.

        What is new depends only on which articles had arrived by then, so results are kept per number of
        articles known (``arrivals``: when each of the story's articles arrived): however many times a
        client varies ``since``, one story version costs at most one computation per article.
        """
        known = sum(1 for at in arrivals if at <= since)
        cutoff = max((at for at in arrivals if at <= since), default=since)  # the same known set as ``since``
        found = self._kept(("news", story.id, story.version, known), _news, self.read(), story.id, cutoff)
        return {**found, "since": since.isoformat()} if found is not None else None

    def latest(self, story: StoryRow) -> list[dict[str, Any]]:
        """What the story's latest update added, for its current version."""
        return self._kept(("latest", story.id, story.version), latest_new_json, self.read(), story.id)

    def updates(self, story: StoryRow) -> list[dict[str, Any]]:
        """The story's updates with what each added, for its current version."""
        return self._kept(("updates", story.id, story.version), _updates, self.read(), story.id)

    def _kept(self, key: tuple[Any, ...], work: Callable[..., Any], archive: Archive, *args: Any) -> Any:
        """``work`` over the archive (in the compute processes), kept in the memo under ``key``."""
        return self.memo.get(key, lambda: self.compute.read(work, archive, *args))

    def changed(self) -> None:
        """The archive changed: cached pages are stale, and the worker has summaries to refresh."""
        self.pages.clear()
        self.worker.wake.set()

    def start(self) -> None:
        if self._closed:
            self._open()
        if self.config.serve.worker and not self.worker.is_alive():
            self.worker.start()

    def close(self) -> None:
        self.worker.stop()
        if self.worker.is_alive():
            self.worker.join(timeout=30)
        elif self.worker.archive is not None:
            self.worker.archive.close()
        self.fetcher.close()
        self.compute.close()
        self.writer.close()
        self.readers.close()
        self._closed = True
