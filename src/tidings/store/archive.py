"""The embedded archive: documents, stories and their history in one SQLite file.

SQLite in WAL mode lets a web server read while an ingest writes, needs no
server, and makes every document's arrival one transaction: the document,
its syndication bands, the term statistics and its story change together
or not at all. A crash mid-batch therefore loses nothing that was
committed, and a re-run skips what is already there (documents are keyed
by canonical URL and by content hash), so nothing is duplicated.

Raw inputs are kept (compressed) so a newer tidings can re-run its
pipeline over everything it has seen.
"""

from __future__ import annotations

import json
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from tidings.cluster import DocumentFrequencies, StoryState
from tidings.errors import TidingsError
from tidings.model import Document
from tidings.store.schema import MIGRATIONS, VERSION
from tidings.store.search import match_expression, query_terms, snippet

_PROGRESS_STEPS = 20_000  # SQLite virtual-machine steps between two looks at the clock (well under 1 ms)
_IN_CHUNK = 500  # values bound in one IN (...) list: under SQLite's limit on bound parameters


def _in_chunks(values: Iterable[int]) -> Iterator[tuple[list[int], str]]:
    """``values`` ``_IN_CHUNK`` at a time, each chunk with its ``?, ?, ...`` for an ``IN (...)`` list."""
    items = list(values)
    for k in range(0, len(items), _IN_CHUNK):
        chunk = items[k : k + _IN_CHUNK]
        yield chunk, ",".join("?" * len(chunk))


def _json(text: str) -> Any:
    """``json.loads`` by orjson, a third faster (a stored summary: a third of listing every story of an archive).

    The same objects for what a stored summary holds (strings, integers, booleans, null, lists, objects; orjson
    would read an integer beyond 64 bits as a float, and a summary holds none); what orjson refuses and the
    standard library reads (NaN, Infinity, an escaped lone surrogate) the standard library reads.
    """
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _row_document(row: sqlite3.Row, text: str) -> Document:
    """The Document a ``documents`` row holds, with ``text`` (a listing reads the row without it)."""
    return Document(
        id=row["id"],
        text=text,
        title=row["title"],
        url=row["url"],
        path=row["path"],
        outlet=row["outlet"],
        published=_dt(row["published"]),
        language=row["language"],
        copy_of=row["copy_of"],
        format=row["format"],
        published_source=row["published_source"],
    )


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def compress_raw(raw: str) -> bytes:
    """A document's input as the archive keeps it (compressed; done by the caller's workers, not its writer)."""
    return zlib.compress(raw.encode("utf-8"))


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def pack_vector(vec: dict[int, float]) -> bytes:
    terms = np.fromiter(vec.keys(), dtype=np.uint32, count=len(vec))
    weights = np.fromiter(vec.values(), dtype=np.float32, count=len(vec))
    return terms.tobytes() + weights.tobytes()


def unpack_vector(blob: bytes) -> dict[int, float]:
    n = len(blob) // 8
    terms = np.frombuffer(blob[: 4 * n], dtype=np.uint32)
    weights = np.frombuffer(blob[4 * n :], dtype=np.float32)
    return dict(zip(terms.tolist(), weights.tolist(), strict=True))


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A document as kept in the archive, with its place in a story."""

    document: Document
    story_id: int | None
    ingested_at: datetime
    seq: int
    sentences: bytes | None = None  # its sentences as split when archived (tidings.segment.pack); None before


@dataclass(frozen=True, slots=True)
class StoryRow:
    """A story as listed: its span, size and independent sources, and its cached summary.

    ``first_published``/``last_published`` span its articles' publication dates (None when none is dated);
    ``first_seen``/``last_seen`` are when tidings archived its first and latest article, which is not when
    anything was published.
    """

    id: int
    title: str | None
    first_published: datetime | None
    last_published: datetime | None
    first_seen: datetime | None
    last_seen: datetime | None
    size: int
    independent: int
    version: int
    summary: dict | None
    summary_version: int

    @property
    def summary_is_current(self) -> bool:
        return self.summary is not None and self.summary_version == self.version

    @property
    def dated(self) -> bool:
        """Whether any of its articles has a publication date (else only when they were seen is known)."""
        return self.last_published is not None


class Archive:
    """One archive file. Use as a context manager; all writes go through :meth:`transaction`."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        except sqlite3.Error as exc:
            raise TidingsError(f"cannot open archive {self.path}: {exc}") from exc
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    # -- lifecycle -----------------------------------------------------------
    def _migrate(self) -> None:
        current = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if current > VERSION:
            raise TidingsError(
                f"archive {self.path} has schema version {current}, newer than this tidings ({VERSION}):"
                " upgrade tidings"
            )
        for number in range(current, VERSION):
            try:  # one transaction per migration: the schema and its version number change together
                self.conn.executescript(
                    f"BEGIN IMMEDIATE;{MIGRATIONS[number]};PRAGMA user_version={number + 1};COMMIT;"
                )
            except sqlite3.Error as exc:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise TidingsError(f"cannot migrate archive {self.path} to version {number + 1}: {exc}") from exc

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    # -- documents -----------------------------------------------------------
    def existing(self, canonical_url: str | None, content_hash: str) -> str | None:
        """The id of a stored document with this URL or this content, if any."""
        row = self.conn.execute(
            "SELECT id FROM documents WHERE content_hash = ? OR (canonical_url IS NOT NULL AND canonical_url = ?)",
            (content_hash, canonical_url),
        ).fetchone()
        return row["id"] if row else None

    def has_url(self, canonical_url: str | None) -> bool:
        if not canonical_url:
            return False
        row = self.conn.execute("SELECT 1 FROM documents WHERE canonical_url = ?", (canonical_url,)).fetchone()
        return row is not None

    def next_seq(self) -> int:
        return int(self.conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM documents").fetchone()[0])

    def insert_document(
        self,
        doc: Document,
        *,
        canonical_url: str | None,
        content_hash: str,
        raw: bytes,
        seq: int,
        story_id: int,
        minhash: bytes | None,
        ingested_at: datetime,
        sentences: bytes | None = None,
    ) -> None:
        """Archive one document. ``raw``: its input as read, compressed by :func:`compress_raw`;
        ``sentences``: its text's sentences packed by :func:`tidings.segment.pack`."""
        self.conn.execute(
            "INSERT INTO documents (id, url, canonical_url, content_hash, title, outlet, published, published_source,"
            " ingested_at, seq, language, format, path, text, raw, copy_of, story_id, minhash, sentences)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc.id,
                doc.url,
                canonical_url,
                content_hash,
                doc.title,
                doc.outlet,
                _iso(doc.published),
                doc.published_source,
                _iso(ingested_at),
                seq,
                doc.language,
                doc.format,
                doc.path,
                doc.text,
                raw,
                doc.copy_of,
                story_id,
                minhash,
                sentences,
            ),
        )

    def count_lines(self, story_id: int, keys: Iterable[int]) -> None:
        """Count a document's lines (by :func:`tidings.clean.line_key`) once more for each story they appear in."""
        self.conn.executemany(
            "INSERT INTO line_stories (key, first_story, second_story, stories) VALUES (?, ?, NULL, 1)"
            " ON CONFLICT(key) DO UPDATE SET"
            " stories = stories + (excluded.first_story != first_story AND excluded.first_story IS NOT second_story),"
            " second_story = CASE WHEN second_story IS NULL AND excluded.first_story != first_story"
            " THEN excluded.first_story ELSE second_story END",
            ((key, story_id) for key in keys),
        )

    def lines_need_recount(self) -> bool:
        """Whether documents were archived before their lines were counted (an archive made before schema 6)."""
        return self.conn.execute("SELECT 1 FROM meta WHERE key = 'recount_lines'").fetchone() is not None

    def story_texts(self) -> Iterator[tuple[int, str]]:
        """Every archived document's story and text, in archive order (read one row at a time)."""
        cursor = self.conn.cursor()  # its own cursor: the caller may write while this one reads
        yield from ((r[0], r[1]) for r in cursor.execute("SELECT story_id, text FROM documents ORDER BY seq"))

    def recount_lines(self, counted: Iterable[tuple[int, Iterable[int]]]) -> int:
        """Count every document's lines afresh (``(story_id, line keys)`` pairs), in one transaction.

        Clears the flag of :meth:`lines_need_recount`; returns how many documents were counted.
        """
        n = 0
        with self.transaction():
            self.conn.execute("DELETE FROM line_stories")
            for story_id, keys in counted:
                self.count_lines(story_id, keys)
                n += 1
            self.conn.execute("DELETE FROM meta WHERE key = 'recount_lines'")
        return n

    def repeated_lines(self, keys: Iterable[int], min_stories: int) -> set[int]:
        """Which of ``keys`` were seen in the articles of at least ``min_stories`` stories."""
        found: set[int] = set()
        for chunk, marks in _in_chunks(keys):
            rows = self.conn.execute(
                f"SELECT key FROM line_stories WHERE stories >= ? AND key IN ({marks})",
                (min_stories, *chunk),
            )
            found.update(r[0] for r in rows)
        return found

    def _document(self, row: sqlite3.Row) -> StoredDocument:
        return StoredDocument(
            _row_document(row, row["text"]),
            row["story_id"],
            _dt(row["ingested_at"]) or datetime.now(UTC),
            row["seq"],
            row["sentences"],
        )

    def document(self, doc_id: str) -> StoredDocument | None:
        row = self.conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return self._document(row) if row else None

    def raw(self, doc_id: str) -> str | None:
        row = self.conn.execute("SELECT raw FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return zlib.decompress(row["raw"]).decode("utf-8") if row else None

    def story_documents(self, story_id: int) -> list[StoredDocument]:
        rows = self.conn.execute(
            "SELECT * FROM documents WHERE story_id = ? ORDER BY COALESCE(published, ingested_at), seq", (story_id,)
        )
        return [self._document(r) for r in rows]

    _HEADER_COLUMNS = "id, title, url, path, outlet, published, language, copy_of, format, published_source, story_id"

    def story_document_headers(self, story_ids: Sequence[int]) -> dict[int, list[Document]]:
        """Each story's documents without their texts (what a listing shows of them), in the order of
        :meth:`story_documents`: a listing of every story reads no article text."""
        out: dict[int, list[Document]] = {}
        for chunk, marks in _in_chunks(story_ids):
            rows = self.conn.execute(
                f"SELECT {self._HEADER_COLUMNS} FROM documents WHERE story_id IN ({marks})"
                " ORDER BY story_id, COALESCE(published, ingested_at), seq",
                chunk,
            )
            for r in rows:
                out.setdefault(r["story_id"], []).append(_row_document(r, ""))
        return out

    def count_documents(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])

    # -- syndication ---------------------------------------------------------
    def band_matches(self, bands: Sequence[int]) -> list[tuple[str, bytes | None, str | None]]:
        """Stored documents sharing an LSH band, oldest first: (id, minhash, copy_of).

        The matches are read by id (an ``IN`` over the bands' document ids), not by joining the bands to
        the documents and removing duplicate rows: a third less time at 100,000 articles, where a new
        article of a syndicated story shares a band with dozens.
        """
        if not bands:
            return []
        marks = ",".join("?" * len(bands))
        rows = self.conn.execute(
            "SELECT seq, id, minhash, copy_of FROM documents"
            f" WHERE id IN (SELECT doc_id FROM doc_bands WHERE band IN ({marks}))",
            list(bands),
        ).fetchall()
        rows.sort(key=lambda r: r["seq"])  # here, not in SQL, where ORDER BY could walk the whole seq index
        return [(r["id"], r["minhash"], r["copy_of"]) for r in rows]

    def add_bands(self, doc_id: str, bands: Iterable[int]) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO doc_bands (band, doc_id) VALUES (?, ?)", [(b, doc_id) for b in bands]
        )

    # -- term statistics -----------------------------------------------------
    def load_frequencies(self) -> DocumentFrequencies:
        """The archive's term statistics, each term's read when an article first needs it (an empty archive's
        are all here at once: there is nothing to read)."""
        n = self.count_documents()
        return DocumentFrequencies(n_documents=n, lookup=self.term_frequencies if n else None)

    def term_frequencies(self, terms: Sequence[int]) -> dict[int, int]:
        """The stored document frequencies of ``terms`` (a term never seen is absent)."""
        out: dict[int, int] = {}
        for chunk, marks in _in_chunks(int(t) for t in terms):
            out.update(self.conn.execute(f"SELECT term, df FROM term_df WHERE term IN ({marks})", chunk).fetchall())
        return out

    def bump_frequencies(self, terms: Mapping[int, int]) -> None:
        """Add to the document frequencies of terms (term -> number of new documents containing it)."""
        self.conn.executemany(
            "INSERT INTO term_df (term, df) VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
            sorted(terms.items()),  # in key order: a third faster at 20,000 terms
        )

    # -- stories -------------------------------------------------------------
    def active_stories(self, since: datetime | None, min_seq: int) -> list[StoryState]:
        """Stories that can still receive articles: published since ``since``, undated, or among the latest."""
        rows = self.conn.execute(
            "SELECT id, centroid, size, first_published, last_published, last_seq FROM stories"
            " WHERE merged_into IS NULL AND (last_published IS NULL OR last_published >= ? OR last_seq >= ?)",
            (_iso(since) or "", min_seq),
        )
        return [
            StoryState(
                id=r["id"],
                centroid=unpack_vector(r["centroid"]),
                size=r["size"],
                first_seen=_dt(r["first_published"]),
                last_seen=_dt(r["last_published"]),
                last_order=r["last_seq"],
            )
            for r in rows
        ]

    def max_story_id(self) -> int:
        return int(self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM stories").fetchone()[0])

    # -- the writers' generation ---------------------------------------------
    def generation(self) -> int:
        """How many story-changing transactions have committed, by any process (see :meth:`bump_generation`)."""
        return int(self.conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])

    def bump_generation(self) -> int:
        """Count one more story-changing transaction (call inside it); returns the new generation.

        A writer that remembers the generation it last wrote knows, at the start of its next transaction,
        whether anyone else changed the stories meanwhile, and must then reload what it keeps in memory.
        """
        row = self.conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation' RETURNING value")
        return int(row.fetchone()[0])

    def save_story(self, state: StoryState, title: str | None, *, new: bool) -> None:
        """Insert a new story or update a live one; bumps its version so its summary is recomputed.

        Never an upsert: a new story whose id exists, or an update of a story that is gone or merged away,
        is an error (:class:`~tidings.errors.TidingsError`) that rolls the transaction back, because it means
        this writer's picture of the archive is stale. The size and the independent sources are counted from
        the story's documents in the same statement, so they cannot drift from them.

        The story's span runs over its articles' publication dates (``first_published``/``last_published``,
        None when none is dated, and the clustering's time window); when its articles were archived is kept
        apart (``first_seen``/``last_seen``): an undated page scraped today must not stretch a 2019 story to
        today, nor date it. ``last_active`` (the latest publication date, else the latest arrival of an
        undated story) is what lists rank by.
        """
        size, independent, first_published, last_published, first_seen, last_seen = self.conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT COALESCE(copy_of, id)), MIN(published), MAX(published),"
            " MIN(ingested_at), MAX(ingested_at) FROM documents WHERE story_id = ?",
            (state.id,),
        ).fetchone()
        values = (
            title,
            first_seen,
            last_seen,
            first_published,
            last_published,
            last_published or last_seen,
            state.last_order,
            int(size),
            max(int(independent), 1),
            pack_vector(state.centroid),
            state.id,
        )
        if new:
            try:
                self.conn.execute(
                    "INSERT INTO stories (title, first_seen, last_seen, first_published, last_published, last_active,"
                    " last_seq, size, independent, centroid, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    values,
                )
            except sqlite3.IntegrityError as exc:
                raise TidingsError(f"story {state.id} already exists: another writer made it ({exc})") from exc
            return
        cursor = self.conn.execute(
            "UPDATE stories SET title = COALESCE(title, ?), first_seen = ?, last_seen = ?, first_published = ?,"
            " last_published = ?, last_active = ?, last_seq = ?, size = ?, independent = ?, centroid = ?,"
            " version = version + 1 WHERE id = ? AND merged_into IS NULL",
            values,
        )
        if cursor.rowcount != 1:
            raise TidingsError(f"story {state.id} is not a live story in the archive: another writer changed it")

    def merge_stories(self, source: int, target: int, similarity: float, at: datetime) -> None:
        """Move a story's documents into another and record the merge (the old id keeps pointing to the new)."""
        self.conn.execute("UPDATE documents SET story_id = ? WHERE story_id = ?", (target, source))
        self.conn.execute(
            "UPDATE stories SET size = (SELECT COUNT(*) FROM documents WHERE story_id = ?),"
            " independent = MAX(1, (SELECT COUNT(DISTINCT COALESCE(copy_of, id)) FROM documents WHERE story_id = ?)),"
            " version = version + 1 WHERE id = ?",
            (target, target, target),
        )
        self.conn.execute("UPDATE stories SET merged_into = ? WHERE id = ?", (target, source))
        self.conn.execute("UPDATE stories SET merged_into = ? WHERE merged_into = ?", (target, source))
        self.conn.execute(
            "INSERT INTO story_merges (from_story, into_story, similarity, at) VALUES (?, ?, ?, ?)",
            (source, target, similarity, _iso(at)),
        )

    def resolve_story(self, story_id: int) -> int | None:
        """Follow merges: the id under which a (possibly merged) story lives now."""
        seen = set()
        current: int | None = story_id
        while current is not None and current not in seen:
            seen.add(current)
            row = self.conn.execute("SELECT merged_into FROM stories WHERE id = ?", (current,)).fetchone()
            if row is None:
                return None
            if row["merged_into"] is None:
                return current
            current = row["merged_into"]
        return current

    def _story(self, r: sqlite3.Row) -> StoryRow:
        return StoryRow(
            id=r["id"],
            title=r["title"],
            first_published=_dt(r["first_published"]),
            last_published=_dt(r["last_published"]),
            first_seen=_dt(r["first_seen"]),
            last_seen=_dt(r["last_seen"]),
            size=r["size"],
            independent=r["independent"],
            version=r["version"],
            summary=_json(r["summary"]) if r["summary"] else None,
            summary_version=r["summary_version"],
        )

    def story(self, story_id: int) -> StoryRow | None:
        row = self.conn.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
        return self._story(row) if row else None

    _LISTED = (
        "FROM stories WHERE merged_into IS NULL AND size >= ? AND (? IS NULL OR last_active >= ?)"
        " ORDER BY last_active DESC, independent DESC, size DESC, id DESC LIMIT ? OFFSET ?"
    )

    def stories(
        self, *, since: datetime | None = None, limit: int | None = None, offset: int = 0, min_size: int = 1
    ) -> list[StoryRow]:
        """Live stories, newest activity first (latest publication, else latest arrival), then biggest."""
        rows = self.conn.execute(
            f"SELECT * {self._LISTED}", (min_size, _iso(since), _iso(since), -1 if limit is None else limit, offset)
        )
        return [self._story(r) for r in rows]

    def story_chunks(
        self, *, since: datetime | None = None, limit: int | None = None, min_size: int = 1
    ) -> Iterator[list[StoryRow]]:
        """The stories of :meth:`stories`, in its order, ``_IN_CHUNK`` at a time: a listing of every story
        holds one chunk's rows (and their summaries) in memory, not the archive's."""
        ids = [
            r[0]
            for r in self.conn.execute(
                f"SELECT id {self._LISTED}", (min_size, _iso(since), _iso(since), -1 if limit is None else limit, 0)
            )
        ]
        for chunk, marks in _in_chunks(ids):
            rows = self.conn.execute(f"SELECT * FROM stories WHERE id IN ({marks})", chunk)
            by_id = {r["id"]: r for r in rows}
            yield [self._story(by_id[i]) for i in chunk if i in by_id]

    def count_stories(self, *, since: datetime | None = None, min_size: int = 1) -> int:
        row = self.conn.execute(
            "SELECT COUNT(*) FROM stories WHERE merged_into IS NULL AND size >= ? AND (? IS NULL OR last_active >= ?)",
            (min_size, _iso(since), _iso(since)),
        ).fetchone()
        return int(row[0])

    _RANK = "substr(last_active, 1, 10) DESC, independent DESC, size DESC, id DESC"

    def ranked_stories(
        self, *, start: datetime | None = None, end: datetime | None = None, limit: int = 20, offset: int = 0
    ) -> list[StoryRow]:
        """Live stories whose latest article falls in ``[start, end)``, ranked for a front page.

        The rule: the (UTC) day of a story's latest article (its publication; for a story with no dated
        article, its arrival), newest day first; within a day, more
        independent sources first, then more articles. Recency alone would put a one-article story
        published a minute ago above the day's big story. The window is an index range on
        ``last_active``, so with a bounded window the cost does not grow with the archive.
        """
        rows = self.conn.execute(
            f"SELECT * FROM stories WHERE id IN (SELECT id FROM stories WHERE merged_into IS NULL"
            f" AND last_active >= ? AND last_active < ? ORDER BY {self._RANK} LIMIT ? OFFSET ?) ORDER BY {self._RANK}",
            (_iso(start) or "", _iso(end) or "9999", limit, offset),
        )
        return [self._story(r) for r in rows]

    def count_ranked(self, *, start: datetime | None = None, end: datetime | None = None) -> int:
        """How many stories :meth:`ranked_stories` has for this window (for page counts)."""
        row = self.conn.execute(
            "SELECT COUNT(*) FROM stories WHERE merged_into IS NULL AND last_active >= ? AND last_active < ?",
            (_iso(start) or "", _iso(end) or "9999"),
        ).fetchone()
        return int(row[0])

    def latest_activity(self) -> datetime | None:
        """When the most recently active live story last changed (an index lookup, not a scan)."""
        row = self.conn.execute(
            "SELECT last_active FROM stories WHERE merged_into IS NULL AND last_active IS NOT NULL"
            " ORDER BY last_active DESC LIMIT 1"
        ).fetchone()
        return _dt(row[0]) if row else None

    def save_summary(self, story_id: int, version: int, summary: dict, title: str | None = None) -> None:
        """Cache a summary computed for ``version`` of a story (ignored if the story changed meanwhile)."""
        self.save_summaries([(story_id, version, summary, title)])

    def save_summaries(self, items: Iterable[tuple[int, int, dict, str | None]]) -> None:
        """:meth:`save_summary` for many stories in one transaction (one write lock, not one per story)."""
        with self.transaction():
            self.conn.executemany(
                "UPDATE stories SET summary = ?, summary_version = ?, title = COALESCE(?, title)"
                " WHERE id = ? AND version = ?",
                [
                    (json.dumps(summary, ensure_ascii=False), version, title, story_id, version)
                    for story_id, version, summary, title in items
                ],
            )

    def stale_stories(self) -> list[int]:
        rows = self.conn.execute("SELECT id FROM stories WHERE merged_into IS NULL AND summary_version < version")
        return [r["id"] for r in rows]

    def merges(self, story_id: int) -> list[tuple[int, int, float, datetime | None]]:
        rows = self.conn.execute(
            "SELECT from_story, into_story, similarity, at FROM story_merges WHERE into_story = ? OR from_story = ?",
            (story_id, story_id),
        )
        return [(r[0], r[1], r[2], _dt(r[3])) for r in rows]

    # -- search --------------------------------------------------------------
    def search(
        self, query: str, limit: int = 20, *, offset: int = 0, marks: tuple[str, str] = ("[", "]")
    ) -> list[tuple[str, int | None, str | None, str]]:
        """Full-text search: (document id, story id, title, snippet), best match first.

        The work is bounded by the request, not by the archive's content: at most
        :data:`~tidings.store.search.MAX_TERMS` distinct terms, and snippets made for the page's rows
        only (see :mod:`tidings.store.search`). ``marks`` open and close each matched term in the
        snippet; a caller that renders HTML passes characters that cannot occur in text (and escapes
        the rest) rather than markup.
        """
        terms = query_terms(query)
        if not terms:
            return []
        rows = self.conn.execute(
            "SELECT d.id, d.story_id, d.title, d.text FROM (SELECT rowid, rank FROM documents_fts"
            " WHERE documents_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?) AS hits"
            " JOIN documents d ON d.rowid = hits.rowid ORDER BY hits.rank",
            (match_expression(terms), limit, offset),
        )
        return [(r["id"], r["story_id"], r["title"], snippet(r["text"], terms, marks)) for r in rows]

    def limit_time(self, seconds: float | None) -> None:
        """Interrupt any statement of this connection still running ``seconds`` from now (None: no limit).

        The statement then raises ``sqlite3.OperationalError("interrupted")``; a server maps that to a
        clear answer instead of letting one expensive read hold a thread for minutes.
        """
        if seconds is None:
            self.conn.set_progress_handler(None, 0)
            return
        deadline = time.monotonic() + seconds
        self.conn.set_progress_handler(lambda: int(time.monotonic() > deadline), _PROGRESS_STEPS)

    # -- feeds and problems --------------------------------------------------
    def feed_state(self, url: str) -> tuple[str | None, str | None]:
        row = self.conn.execute("SELECT etag, last_modified FROM feeds WHERE url = ?", (url,)).fetchone()
        return (row["etag"], row["last_modified"]) if row else (None, None)

    def save_feed_state(self, url: str, etag: str | None, last_modified: str | None, status: str) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO feeds (url, etag, last_modified, last_polled, last_status) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT(url) DO UPDATE SET etag = COALESCE(excluded.etag, feeds.etag),"
                " last_modified = COALESCE(excluded.last_modified, feeds.last_modified),"
                " last_polled = excluded.last_polled, last_status = excluded.last_status",
                (url, etag, last_modified, _iso(datetime.now(UTC)), status),
            )

    def feeds(self) -> list[str]:
        return [r["url"] for r in self.conn.execute("SELECT url FROM feeds ORDER BY id")]

    def feed_rows(self) -> list[dict[str, str | int | None]]:
        """Every subscribed feed with its id and polling state (id, url, last_polled, last_status)."""
        rows = self.conn.execute("SELECT id, url, last_polled, last_status FROM feeds ORDER BY id")
        return [dict(r) for r in rows]

    def subscribe(self, url: str) -> tuple[int, bool]:
        """Add a feed (``tidings watch`` and the service poll it): its id, and whether it is new."""
        with self.transaction():
            cursor = self.conn.execute("INSERT OR IGNORE INTO feeds (url) VALUES (?)", (url,))
            feed_id = self.conn.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()[0]
        return int(feed_id), cursor.rowcount == 1

    def unsubscribe(self, feed: int | str) -> str | None:
        """Remove a feed by id or URL; returns its URL, or None when there was no such feed.

        Its articles stay in the archive; only the polling stops.
        """
        column = "id" if isinstance(feed, int) else "url"
        with self.transaction():
            row = self.conn.execute(f"DELETE FROM feeds WHERE {column} = ? RETURNING url", (feed,)).fetchone()
        return row[0] if row else None

    def add_problem(self, input_: str, reason: str) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO problems (input, reason, at) VALUES (?, ?, ?)", (input_, reason, _iso(datetime.now(UTC)))
            )
