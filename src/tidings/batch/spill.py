"""The local engine's working rows on disk: one SQLite file in the output's work folder.

Why: holding every prepared row (cleaned texts, sentence spans, feature
counts, MinHash bands, TF-IDF vectors) in memory made the local engine grow
by about 45 MiB per 1,000 articles. Here every step reads what it needs back
in chunks, in the order it needs it (SQLite sorts on disk), and writes what
it decides next to the rows, so memory follows ``batch.chunk`` and
``batch.cache_mib`` instead of the archive. The file is also what makes a
re-run resume: records are committed a chunk at a time and summaries a story
at a time, under a fingerprint of the inputs and the configuration; a re-run
with the same fingerprint skips what is already there, any other starts the
file afresh. The folder is removed once the tables are written.

Orders are SQLite's ``BINARY`` collation, which compares UTF-8 bytes: the same
order as Python's comparison of strings by code point, so every sort here is
the one :mod:`tidings.batch.core` defines.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

WORK_FOLDER = "_tidings_work"  # a leading underscore: Spark, pyarrow and DuckDB skip it when reading OUTPUT

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rows (
    rowkey INTEGER PRIMARY KEY,  -- the record's position in the input
    "where" TEXT NOT NULL, problem TEXT,
    id TEXT, url TEXT, canonical TEXT, digest TEXT, title TEXT, outlet TEXT,
    published INTEGER, okey INTEGER,  -- core.order_key's first part: undated last
    published_source TEXT, language TEXT, format TEXT,
    exact TEXT,  -- SHA-256 of the cleaned text: core.dedup_key's tie-break
    dropped INTEGER NOT NULL DEFAULT 0,  -- exact duplicate of a kept row: 1 URL, 2 content, 3 id
    kept INTEGER NOT NULL DEFAULT 0,
    copy_of TEXT, story_id TEXT
);
CREATE TABLE IF NOT EXISTS bodies (rowkey INTEGER PRIMARY KEY, text TEXT NOT NULL, spans BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS features (
    rowkey INTEGER PRIMARY KEY, terms BLOB NOT NULL, counts BLOB NOT NULL, signature BLOB
);
CREATE TABLE IF NOT EXISTS bands (band INTEGER NOT NULL, rowkey INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS summaries (story_id TEXT PRIMARY KEY, row TEXT NOT NULL);
"""

# Tables a step rebuilds from the prepared rows on every run (only preparing and summaries resume).
_DERIVED = """
DROP TABLE IF EXISTS vectors;
DROP TABLE IF EXISTS pairs;
DROP TABLE IF EXISTS placed;
DROP TABLE IF EXISTS moved;
DROP TABLE IF EXISTS labels;
DROP TABLE IF EXISTS line_stories;
CREATE TABLE vectors (rowkey INTEGER PRIMARY KEY, terms BLOB NOT NULL, weights BLOB NOT NULL);
CREATE TABLE pairs (a TEXT NOT NULL, b TEXT NOT NULL, PRIMARY KEY (a, b)) WITHOUT ROWID;
CREATE TABLE placed (id TEXT PRIMARY KEY, story INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE moved (story INTEGER PRIMARY KEY, target INTEGER NOT NULL);
CREATE TABLE labels (story INTEGER PRIMARY KEY, story_id TEXT NOT NULL);
CREATE TABLE line_stories (key INTEGER NOT NULL, story_id TEXT NOT NULL, PRIMARY KEY (key, story_id)) WITHOUT ROWID;
UPDATE rows SET dropped = 0, kept = 0, copy_of = NULL, story_id = NULL;
"""

ROW_COLUMNS = (
    "rowkey",
    "where",
    "problem",
    "id",
    "url",
    "canonical",
    "digest",
    "title",
    "outlet",
    "published",
    "okey",
    "published_source",
    "language",
    "format",
    "exact",
)
# core.dedup_key as SQL, then the input position (Python's sort is stable).
DEDUP_ORDER = "okey, id, digest, coalesce(title, ''), coalesce(outlet, ''), exact, rowkey"
DOCUMENT_COLUMNS = "r.id, r.url, r.canonical, r.digest, r.title, r.outlet, r.published, r.published_source, r.language"


class Spill:
    """The work file of one local batch run (see the module's docstring)."""

    def __init__(self, output: Path, fingerprint: str, cache_mib: int) -> None:
        self.folder = output / WORK_FOLDER
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / "rows.sqlite"
        self.conn = sqlite3.connect(path, isolation_level=None)
        if self._fingerprint() not in (None, fingerprint):  # another input or configuration: start afresh
            self.conn.close()
            shutil.rmtree(self.folder)  # the file and its write-ahead log
            self.folder.mkdir()
            self.conn = sqlite3.connect(path, isolation_level=None)
        # A killed run loses at most the chunk being written (write-ahead log); none of it must survive a power cut.
        self.conn.executescript(
            f"PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA temp_store = FILE;"
            f"PRAGMA cache_size = -{cache_mib * 1024};"
        )
        self.conn.executescript(_SCHEMA)
        self.conn.execute("INSERT OR IGNORE INTO meta VALUES ('fingerprint', ?)", (fingerprint,))

    def _fingerprint(self) -> str | None:
        try:
            found = self.conn.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        except sqlite3.OperationalError:  # a new file
            return None
        return found[0] if found else None

    def checkpoint(self) -> None:
        """Fold the write-ahead log back into the file between steps (during a step, its open reads keep it growing)."""
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self, *, remove: bool) -> None:
        self.conn.close()
        if remove:
            shutil.rmtree(self.folder, ignore_errors=True)

    # -- prepare ---------------------------------------------------------------------

    def prepared(self) -> int:
        """How many input records are already prepared (a resumed run skips them)."""
        found = self.conn.execute("SELECT value FROM meta WHERE key = 'prepared'").fetchone()
        return int(found[0]) if found else 0

    def add_prepared(self, start: int, rows: Sequence[tuple[Any, ...]]) -> None:
        """Store one chunk of prepared records (``start`` is the first one's input position), in one transaction.

        Each row is ``(columns, body, features, bands)`` as :func:`tidings.batch.local` packs them.
        """
        with self._transaction():
            for n, (columns, body, feats, bands) in enumerate(rows, start=start):
                self.conn.execute(
                    f"INSERT INTO rows ({_quoted(ROW_COLUMNS)}) VALUES ({_marks(ROW_COLUMNS)})", (n, *columns)
                )
                if body is not None:
                    self.conn.execute("INSERT INTO bodies VALUES (?, ?, ?)", (n, *body))
                    self.conn.execute("INSERT INTO features VALUES (?, ?, ?, ?)", (n, *feats))
                    self.conn.executemany("INSERT INTO bands VALUES (?, ?)", ((band, n) for band in bands))
            self.conn.execute("INSERT OR REPLACE INTO meta VALUES ('prepared', ?)", (str(start + len(rows)),))

    def count(self, where: str = "1") -> int:
        return int(self.conn.execute(f"SELECT count(*) FROM rows WHERE {where}").fetchone()[0])

    # -- exact duplicates ----------------------------------------------------------------

    def dedup(self) -> tuple[int, int, int]:
        """Mark exact duplicates (per canonical URL, then content hash, then id); the numbers dropped by each."""
        self.conn.executescript(_DERIVED)
        dropped = []
        with self._transaction():
            for code, column in ((1, "canonical"), (2, "digest"), (3, "id")):
                cur = self.conn.execute(
                    f"UPDATE rows SET dropped = ? WHERE rowkey IN (SELECT rowkey FROM ("
                    f"  SELECT rowkey, row_number() OVER (PARTITION BY {column} ORDER BY {DEDUP_ORDER}) AS n"
                    f"  FROM rows WHERE problem IS NULL AND dropped = 0 AND {column} IS NOT NULL) WHERE n > 1)",
                    (code,),
                )
                dropped.append(cur.rowcount)
            self.conn.execute("UPDATE rows SET kept = (problem IS NULL AND dropped = 0)")
        self.conn.executescript(
            "CREATE INDEX IF NOT EXISTS rows_order ON rows (kept, okey, id);"
            "CREATE INDEX IF NOT EXISTS rows_id ON rows (id, kept);"
            "CREATE INDEX IF NOT EXISTS bands_band ON bands (band, rowkey);"
        )
        return dropped[0], dropped[1], dropped[2]

    def problems(self) -> Iterator[tuple[str, str | None, str | None]]:
        """``(where, reason, duplicate id)``: unusable records in input order, then duplicate ids in dedup order."""
        yield from self.conn.execute(
            'SELECT "where", problem, NULL FROM rows WHERE problem IS NOT NULL ORDER BY rowkey'
        )
        yield from self.conn.execute(f'SELECT "where", NULL, id FROM rows WHERE dropped = 3 ORDER BY {DEDUP_ORDER}')

    # -- TF-IDF ---------------------------------------------------------------------------

    def features(self) -> Iterator[tuple[int, bytes, bytes]]:
        """``(rowkey, terms, counts)`` of every kept document."""
        yield from self.conn.execute(
            "SELECT f.rowkey, f.terms, f.counts FROM features f JOIN rows r ON r.rowkey = f.rowkey WHERE r.kept = 1"
        )

    def add_vectors(self, rows: Sequence[tuple[int, bytes, bytes]]) -> None:
        with self._transaction():
            self.conn.executemany("INSERT INTO vectors VALUES (?, ?, ?)", rows)

    # -- syndication -----------------------------------------------------------------------

    def bands(self) -> Iterator[tuple[int, str]]:
        """``(band, id)`` of every kept document, by band."""
        yield from self.conn.execute(
            "SELECT b.band, r.id FROM bands b JOIN rows r ON r.rowkey = b.rowkey WHERE r.kept = 1 ORDER BY b.band"
        )

    def add_pairs(self, pairs: Sequence[tuple[str, str]]) -> None:
        with self._transaction():
            self.conn.executemany("INSERT OR IGNORE INTO pairs VALUES (?, ?)", pairs)

    def pairs(self) -> Iterator[tuple[str, str, bytes | None, bytes | None, int | None, int | None]]:
        """``(a, b, signature a, signature b, published a, published b)`` of every distinct candidate pair."""
        yield from self.conn.execute(
            # CROSS JOIN fixes the order (pairs outermost): without statistics SQLite may otherwise scan every row
            # for every row.
            "SELECT p.a, p.b, fa.signature, fb.signature, ra.published, rb.published FROM pairs p"
            " CROSS JOIN rows ra INDEXED BY rows_id ON ra.id = p.a AND ra.kept = 1"
            " CROSS JOIN features fa ON fa.rowkey = ra.rowkey"
            " CROSS JOIN rows rb INDEXED BY rows_id ON rb.id = p.b AND rb.kept = 1"
            " CROSS JOIN features fb ON fb.rowkey = rb.rowkey"
        )

    def pair_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM pairs").fetchone()[0])

    def set_copies(self, copy_of: Sequence[tuple[str, str]]) -> None:
        """Record ``(copy, original)`` pairs."""
        with self._transaction():
            self.conn.executemany("UPDATE rows SET copy_of = ? WHERE id = ? AND kept = 1", ((o, c) for c, o in copy_of))

    # -- stories -----------------------------------------------------------------------------

    def vectors(self, *, dated: bool, last: int) -> Iterator[tuple[int, str, int | None, bytes, bytes]]:
        """``(rowkey, id, published, terms, weights)`` of the dated documents in time order, or the undated by id."""
        test = "r.okey < ?" if dated else "r.okey = ?"
        yield from self.conn.execute(
            "SELECT r.rowkey, r.id, r.published, v.terms, v.weights FROM rows r JOIN vectors v ON v.rowkey = r.rowkey"
            f" WHERE r.kept = 1 AND {test} ORDER BY r.okey, r.id",
            (last,),
        )

    def add_placed(self, rows: Sequence[tuple[str, int]]) -> None:
        """Record ``(document id, story)`` placements (before merges)."""
        with self._transaction():
            self.conn.executemany("INSERT INTO placed VALUES (?, ?)", rows)

    def label_stories(self, moved: dict[int, int], story_id: Callable[[str], str]) -> tuple[int, int, int]:
        """Resolve merges and name each story by ``story_id(its smallest document id)``.

        Returns the number of stories, of single-article ones, and the largest story's size.
        """
        stories = singletons = largest = 0
        with self._transaction():
            self.conn.executemany("INSERT INTO moved VALUES (?, ?)", moved.items())
            final = "coalesce(m.target, p.story)"
            groups = self.conn.execute(
                f"SELECT {final} AS s, min(p.id), count(*) FROM placed p LEFT JOIN moved m ON m.story = p.story"
                " GROUP BY s"
            )
            for story, first, size in groups:  # the GROUP BY is sorted on disk before its first row
                self.conn.execute("INSERT INTO labels VALUES (?, ?)", (story, story_id(first)))
                stories, singletons, largest = stories + 1, singletons + (size == 1), max(largest, size)
            self.conn.execute(
                "UPDATE rows SET story_id = (SELECT l.story_id FROM placed p LEFT JOIN moved m ON m.story = p.story"
                f" JOIN labels l ON l.story = {final} WHERE p.id = rows.id) WHERE kept = 1"
            )
        self.conn.execute("CREATE INDEX IF NOT EXISTS rows_story ON rows (story_id) WHERE kept = 1")
        return stories, singletons, largest

    # -- lines repeated across stories ----------------------------------------------------------------

    def story_texts(self) -> Iterator[tuple[str, str]]:
        """``(story_id, text)`` of every kept document."""
        yield from self.conn.execute(
            "SELECT r.story_id, b.text FROM rows r JOIN bodies b ON b.rowkey = r.rowkey WHERE r.kept = 1"
        )

    def add_line_stories(self, rows: Sequence[tuple[int, str]]) -> None:
        """Record ``(line key, story id)`` pairs (each pair once)."""
        with self._transaction():
            self.conn.executemany("INSERT OR IGNORE INTO line_stories VALUES (?, ?)", rows)

    def repeated_lines(self, min_stories: int) -> frozenset[int]:
        """The keys of the lines found in the documents of at least ``min_stories`` distinct stories."""
        rows = self.conn.execute("SELECT key FROM line_stories GROUP BY key HAVING count(*) >= ?", (min_stories,))
        return frozenset(key for (key,) in rows)

    # -- summaries -------------------------------------------------------------------------------

    def story_members(self) -> Iterator[tuple[Any, ...]]:
        """Every kept document of the stories not summarized yet, by story: ``(story_id, columns..., text, spans)``."""
        yield from self.conn.execute(
            f"SELECT r.story_id, {DOCUMENT_COLUMNS}, r.format, r.copy_of, b.text, b.spans"
            " FROM rows r INDEXED BY rows_story JOIN bodies b ON b.rowkey = r.rowkey"  # in order: no sort of the texts
            " WHERE r.kept = 1 AND r.story_id NOT IN (SELECT story_id FROM summaries) ORDER BY r.story_id"
        )

    def add_summaries(self, rows: Sequence[dict[str, Any]]) -> None:
        with self._transaction():
            self.conn.executemany(
                "INSERT OR REPLACE INTO summaries VALUES (?, ?)", ((r["story_id"], json.dumps(r)) for r in rows)
            )

    def summaries(self) -> Iterator[dict[str, Any]]:
        """The story rows, by story id (only stories of this run's documents)."""
        for (row,) in self.conn.execute(
            "SELECT row FROM summaries WHERE story_id IN (SELECT story_id FROM rows WHERE kept = 1) ORDER BY story_id"
        ):
            yield json.loads(row)

    # -- documents table -----------------------------------------------------------------------

    def documents(self) -> Iterator[tuple[Any, ...]]:
        """Kept documents in time order: ``(columns..., story_id, copy_of, text)``."""
        yield from self.conn.execute(
            f"SELECT {DOCUMENT_COLUMNS}, r.story_id, r.copy_of, b.text FROM rows r"
            " JOIN bodies b ON b.rowkey = r.rowkey WHERE r.kept = 1 ORDER BY r.okey, r.id"
        )

    def _transaction(self) -> _Transaction:
        return _Transaction(self.conn)


class _Transaction:
    """BEGIN ... COMMIT around a block (the connection is in autocommit mode otherwise)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN")

    def __exit__(self, kind: object, *exc: object) -> None:
        self.conn.execute("COMMIT" if kind is None else "ROLLBACK")


def _quoted(columns: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _marks(columns: Sequence[str]) -> str:
    return ", ".join("?" * len(columns))
