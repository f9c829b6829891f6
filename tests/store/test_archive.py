"""The SQLite archive: schema versions, idempotent ingest, FTS search, merges, summaries."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tidings.errors import TidingsError
from tidings.ingest import iter_inputs
from tidings.model import Document, Problem
from tidings.store import Archive
from tidings.store.schema import VERSION
from tidings.stream import canonical_url, content_hash, ingest, story_summary

from ..helpers import OTHER, SPUN, WIRE


def _items(paths):
    return ((r if isinstance(r, Problem) else (r.document, r.raw)) for r in iter_inputs(paths))


def test_schema_is_created_and_versioned(tmp_path: Path):
    with Archive(tmp_path / "a.db") as archive:
        assert archive.schema_version == VERSION
        mode = archive.conn.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"


def test_newer_schema_is_refused(tmp_path: Path):
    path = tmp_path / "a.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={VERSION + 1}")
    conn.close()
    with pytest.raises(TidingsError, match="newer than this tidings"):
        Archive(path)


def test_seed_cluster_becomes_one_story_and_reingest_is_a_noop(tmp_path: Path, seed_dir: Path):
    with Archive(tmp_path / "a.db") as archive:
        first = ingest(archive, _items([seed_dir]))
        assert (first.added, first.stories_created, first.problems) == (5, 1, [])
        again = ingest(archive, _items([seed_dir]))
        assert (again.added, again.duplicates) == (0, 5)
        [story] = archive.stories()
        assert story.size == 5 and story.independent == 5
        assert story.summary_is_current
        assert story.summary["summary"]
        raw = archive.raw(archive.story_documents(story.id)[0].document.id)
        assert raw and "Please enter your comment" in (
            raw + "".join(archive.raw(d.document.id) or "" for d in archive.story_documents(story.id))
        )


def test_story_span_follows_publication_dates_not_ingestion(tmp_path: Path, seed_dir: Path):
    """The seed cluster has one dated article: the story's span stays in April 2019, not today, and when
    the articles were archived is kept apart from when they were published."""
    with Archive(tmp_path / "a.db") as archive:
        ingest(archive, _items([seed_dir]))
        [story] = archive.stories()
        assert story.dated and (story.first_published.year, story.last_published.year) == (2019, 2019)
        assert story.first_seen is not None and story.first_seen.year >= 2026  # archived now
        sources = dict(archive.conn.execute("SELECT published_source, COUNT(*) FROM documents GROUP BY 1").fetchall())
        assert sources == {"text": 1, "none": 4}  # one article has a date line ("April 17, 2019")


def test_undated_story_says_so_and_ranks_by_arrival(tmp_path: Path):
    docs = [(Document(id=n, text=WIRE + f" Report {n}.", title="Kim to meet Putin"), None) for n in "ab"]
    with Archive(tmp_path / "a.db") as archive:
        ingest(archive, docs, summaries=False)
        [story] = archive.stories()
        assert not story.dated and story.first_published is None and story.last_published is None
        assert archive.latest_activity() == story.last_seen  # an undated story is as recent as its last arrival


def test_version_3_archive_is_migrated_with_honest_dates(tmp_path: Path):
    """An archive made before dates had sources: undated documents become 'none', dated ones 'not recorded',
    and story spans are recomputed from the documents (publication apart from arrival)."""
    from tidings.store.schema import MIGRATIONS

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    for number, script in enumerate(MIGRATIONS[:3], start=1):
        conn.executescript(f"BEGIN;{script};PRAGMA user_version={number};COMMIT;")
    conn.execute(
        "INSERT INTO stories (id, title, first_seen, last_seen, first_published, last_published, last_seq, size,"
        " independent, centroid) VALUES (1, 'Old', '2019-04-17T00:00:00+00:00', '2020-01-01T00:00:00+00:00',"
        " '2019-04-17T00:00:00+00:00', '2019-04-17T00:00:00+00:00', 2, 2, 2, x'')"
    )
    for n, published in ((1, "'2019-04-17T00:00:00+00:00'"), (2, "NULL")):
        conn.execute(
            f"INSERT INTO documents (id, content_hash, published, ingested_at, seq, format, text, raw, story_id)"
            f" VALUES ('d{n}', 'h{n}', {published}, '2020-01-0{n}T00:00:00+00:00', {n}, 'text', 't', x'', 1)"
        )
    conn.commit()
    conn.close()
    with Archive(path) as archive:
        sources = [r[0] for r in archive.conn.execute("SELECT published_source FROM documents ORDER BY seq")]
        assert sources == [None, "none"]
        story = archive.story(1)
        assert story.first_published.isoformat() == story.last_published.isoformat() == "2019-04-17T00:00:00+00:00"
        assert (story.first_seen.day, story.last_seen.day) == (1, 2)  # January 2020: when they were archived
        assert archive.document("d1").document.published_source is None  # dated, source not recorded


def test_syndicated_copy_is_detected_across_the_archive(tmp_path: Path):
    docs = [
        (Document(id="w", text=WIRE + " " + WIRE.replace("Kim", "Kim Jong Un"), title="Kim to meet Putin"), None),
        (Document(id="s", text=SPUN + " " + SPUN.replace("Kim", "Kim Jong Un"), title="Kim to meet Putin"), None),
        (Document(id="o", text=OTHER, title="Kim expected in Vladivostok"), None),
    ]
    with Archive(tmp_path / "a.db") as archive:
        report = ingest(archive, docs)
        assert report.copies == 1
        rows = archive.conn.execute("SELECT title, copy_of FROM documents ORDER BY seq").fetchall()
        assert rows[0]["copy_of"] is None and rows[1]["copy_of"] is not None and rows[2]["copy_of"] is None
        story_ids = {r[0] for r in archive.conn.execute("SELECT story_id FROM documents")}
        assert len(story_ids) == 1
        assert archive.story(story_ids.pop()).independent == 2


def test_same_url_with_tracking_parameters_is_a_duplicate(tmp_path: Path):
    text = WIRE + " More text about the summit so the two copies differ in content."
    a = Document(id="a", text=WIRE, url="https://news.example.com/kim?utm_source=rss")
    b = Document(id="b", text=text, url="https://NEWS.example.com/kim#comments")
    with Archive(tmp_path / "a.db") as archive:
        report = ingest(archive, [(a, None), (b, None)], summaries=False)
        assert (report.added, report.duplicates) == (1, 1)
        assert archive.conn.execute("SELECT url FROM documents").fetchone()[0] == a.url  # kept as given


def test_search_is_full_text_and_safe(tmp_path: Path, seed_dir: Path):
    with Archive(tmp_path / "a.db") as archive:
        ingest(archive, _items([seed_dir]), summaries=False)
        hits = archive.search("Vladivostok")
        assert hits and all(h[1] is not None for h in hits)
        assert archive.search("Vladivostok OR nosuchword") == []  # FTS syntax in user input is neutralised
        assert archive.search('" OR 1=1 -- NEAR(') is not None
        assert archive.search("") == []


def test_problems_are_recorded(tmp_path: Path):
    (tmp_path / "empty.txt").write_text("")
    with Archive(tmp_path / "a.db") as archive:
        report = ingest(archive, _items([tmp_path / "empty.txt"]))
        assert report.problems[0].reason == "empty file"
        assert archive.conn.execute("SELECT COUNT(*) FROM problems").fetchone()[0] == 1


def test_summary_is_recomputed_when_the_story_changes(tmp_path: Path, seed_dir: Path):
    files = sorted(seed_dir.glob("*.txt"))
    with Archive(tmp_path / "a.db") as archive:
        ingest(archive, _items(files[:2]))
        [story] = archive.stories()
        v1 = story.version
        ingest(archive, _items(files[2:]), summaries=False)
        stale = archive.story(story.id)
        assert stale.version > v1 and not stale.summary_is_current
        summary = story_summary(archive, story.id)
        assert summary is not None and archive.story(story.id).summary_is_current


def test_identity_helpers():
    assert canonical_url("https://Example.com/a?utm_medium=x&b=1#frag") == "https://example.com/a?b=1"
    assert content_hash("A  b\nC") == content_hash("a b c")


def _jsonl(path: Path, n: int) -> None:
    words = [
        "alpha",
        "beta",
        "gamma",
        "delta",
        "epsilon",
        "zeta",
        "eta",
        "theta",
        "iota",
        "kappa",
        "lambda",
        "sigma",
        "omega",
    ]
    with path.open("w") as f:
        for i in range(n):
            topic = " ".join(words[(i + k) % len(words)] + str(i % 17) for k in range(6))
            text = (
                f"Report {i}: the council of town{i} met on day {i} to discuss {topic}. "
                f"Officials said the plan for town{i} would cost {i * 13} million and take {i % 9 + 1} years. "
                f"Residents of town{i} asked questions about {topic} at the meeting, which lasted hours."
            )
            f.write(json.dumps({"text": text, "title": f"Town{i} council meets", "url": f"https://x.example/{i}"}))
            f.write("\n")


def test_killed_ingest_loses_and_duplicates_nothing(tmp_path: Path):
    """Kill an ingest halfway with SIGKILL, run it again: every article exactly once, stories consistent."""
    data, db = tmp_path / "docs.jsonl", tmp_path / "a.db"
    n = 400
    _jsonl(data, n)
    cmd = [
        sys.executable,
        "-c",
        "from tidings.cli import main; main()",
        "ingest",
        str(data),
        "--db",
        str(db),
        "--no-summaries",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 60
    count = 0
    while time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as conn:
                    count = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            except sqlite3.Error:
                continue
            if count >= 20:
                break
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < count < n, "the ingest should have been killed halfway"
    subprocess.run(cmd, check=True, capture_output=True)
    with Archive(db) as archive:
        assert archive.count_documents() == n
        dup = archive.conn.execute("SELECT COUNT(*) FROM (SELECT url FROM documents GROUP BY url HAVING COUNT(*) > 1)")
        assert dup.fetchone()[0] == 0
        orphans = archive.conn.execute("SELECT COUNT(*) FROM documents WHERE story_id IS NULL").fetchone()[0]
        assert orphans == 0
        sizes = archive.conn.execute("SELECT SUM(size) FROM stories WHERE merged_into IS NULL").fetchone()[0]
        assert sizes == n
        assert archive.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_old_archive_is_migrated_in_place(tmp_path: Path):
    from tidings.store.schema import MIGRATIONS

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0] + ";PRAGMA user_version=1;")
    conn.close()
    with Archive(path) as archive:
        assert archive.schema_version == VERSION >= 2
        names = {r[0] for r in archive.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"documents_copy_of", "doc_bands_doc"} <= names


def test_on_item_counts_every_record_read(tmp_path: Path, seed_dir: Path):
    seen: list[int] = []
    items = [*iter_inputs([seed_dir]), Problem("x.jsonl:3", "invalid JSON")]
    with Archive(tmp_path / "a.db") as archive:
        report = ingest(archive, items, summaries=False, on_item=lambda: seen.append(1))
    assert len(seen) == len(items) == report.added + len(report.problems) == 6


def test_story_document_headers_are_the_story_documents_without_their_texts(tmp_path: Path, seed_dir: Path):
    from dataclasses import replace

    with Archive(tmp_path / "a.db") as archive:
        ingest(archive, _items([seed_dir]))
        ingest(archive, [(Document(id="other", text=OTHER, title="Other"), OTHER)])
        ids = [s.id for s in archive.stories()]
        headers = archive.story_document_headers(ids)
        assert set(headers) == set(ids) and sum(len(h) for h in headers.values()) == 6
        for story_id in ids:
            full = [replace(d.document, text="") for d in archive.story_documents(story_id)]
            assert headers[story_id] == full


def test_story_chunks_list_the_stories_in_order_a_chunk_at_a_time(tmp_path: Path, monkeypatch):
    from tidings.store import archive as archive_module

    batch = Path(__file__).resolve().parent.parent / "fixtures" / "batch" / "articles.jsonl"
    with Archive(tmp_path / "a.db") as archive:
        ingest(archive, _items([batch]), summaries=False)
        listed = [s.id for s in archive.stories()]
        assert len(listed) == 4
        monkeypatch.setattr(archive_module, "_IN_CHUNK", 3)
        chunks = list(archive.story_chunks())
        assert [s.id for chunk in chunks for s in chunk] == listed
        assert [len(chunk) for chunk in chunks] == [3, 1]
        assert [s.id for chunk in archive.story_chunks(limit=1) for s in chunk] == listed[:1]


def test_term_frequencies_are_read_on_demand_and_equal_the_stored_ones(tmp_path: Path):
    from tidings.cluster import DocumentFrequencies

    batch = Path(__file__).resolve().parent.parent / "fixtures" / "batch" / "articles.jsonl"
    with Archive(tmp_path / "a.db") as archive:
        ingest(archive, _items([batch]), summaries=False)
        stored = dict(archive.conn.execute("SELECT term, df FROM term_df").fetchall())
        eager = DocumentFrequencies(stored, archive.count_documents())
        lazy = archive.load_frequencies()
        assert lazy.df == {}  # nothing read yet
        terms = [*sorted(stored)[::7], 123456789]  # and a term never seen
        counts = {t: 1.0 + (t % 3) for t in terms}
        assert lazy.vector(counts) == eager.vector(counts)
        assert len(lazy.df) == len(terms) and lazy.df[123456789] == 0
        lazy.add(terms[:5])
        eager.add(terms[:5])
        assert [lazy.idf(t) for t in terms] == [eager.idf(t) for t in terms]
    with Archive(tmp_path / "empty.db") as archive:
        fresh = archive.load_frequencies()
        fresh.fetch([1, 2])
        assert fresh.df == {}  # a new archive has no counts to read: none is looked up


@pytest.mark.parametrize(
    "text",
    [
        json.dumps({"sentences": [{"text": "Kim “met” Putin — é 中\u2028", "start": 0, "end": 41, "fallback": False}]}),
        json.dumps([{"a": None, "b": [1, -2, 2**63 - 1], "c": {}}], ensure_ascii=False),
        '{"score": NaN, "top": Infinity}',  # orjson refuses these: the standard library reads them
        '["\\ud800"]',
    ],
)
def test_stored_json_is_read_as_the_standard_library_reads_it(text):
    from tidings.store.archive import _json

    ours, theirs = _json(text), json.loads(text)
    assert json.dumps(ours) == json.dumps(theirs)
    assert type(ours) is type(theirs)
