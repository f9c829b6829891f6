"""The local batch engine on a small hand-made archive: stories, copies, duplicates, problems, summaries."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tidings.batch import run_batch
from tidings.cli import app
from tidings.config import Config, SummarizeConfig
from tidings.pipeline import prepare, summarize_prepared

pq = pytest.importorskip("pyarrow.parquet")

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "batch" / "articles.jsonl"
BRIDGE = {"a1", "a1-copy", "a2", "a3"}
ORCHESTRA = {"c1", "c2"}


def read(path: Path) -> list[dict]:
    return pq.read_table(path).to_pylist()


def partition(documents: list[dict]) -> set[frozenset[str]]:
    stories: dict[str, set[str]] = defaultdict(set)
    for row in documents:
        stories[row["story_id"]].add(row["id"])
    return {frozenset(ids) for ids in stories.values()}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("batch") / "out"
    run_batch([str(FIXTURE)], output, Config(), engine="local")
    return output


def test_stories_are_the_events(out: Path):
    documents = read(out / "documents.parquet")
    stories = partition(documents)
    tram = next(s for s in stories if "b3" in s)
    assert len(tram) == 3  # two records without an id get ids derived from their URL
    assert {frozenset(BRIDGE), frozenset(ORCHESTRA), frozenset({"z1"})} <= stories
    assert len(stories) == 4


def test_syndicated_copy_points_at_the_earliest(out: Path):
    copy_of = {row["id"]: row["copy_of"] for row in read(out / "documents.parquet")}
    assert copy_of["a1-copy"] == "a1"
    assert [d for d, original in copy_of.items() if original] == ["a1-copy"]


def test_exact_duplicates_are_dropped_keeping_the_earliest(out: Path):
    ids = {row["id"] for row in read(out / "documents.parquet")}
    assert "a2" in ids and "a2-again" not in ids  # same canonical URL (tracking parameters), later
    assert "b3" in ids and "b3-mirror" not in ids  # same text at another URL, later
    report = json.loads((out / "report.json").read_text())
    assert (report["duplicate_urls"], report["duplicate_contents"], report["duplicate_ids"]) == (1, 1, 0)


def test_bad_records_are_problems_with_their_line(out: Path):
    where = {row["input"].split(".jsonl:", 1)[1]: row["reason"] for row in read(out / "problems.parquet")}
    problems = {line.split(" ", 1)[0]: reason for line, reason in where.items()}
    assert set(problems) == {"7", "10", "15", "16"}
    assert {line for line in where if "(" in line} == {"10 (id short)", "15 (id fr1)", "16 (https://example.com/x)"}
    assert problems["7"].startswith("invalid JSON")
    assert "boilerplate" in problems["10"]
    assert "not in an accepted language" in problems["15"]
    assert "text" in problems["16"]
    report = json.loads((out / "report.json").read_text())
    assert (report["records"], report["documents"], report["problems"]) == (16, 10, 4)
    assert (report["stories"], report["singleton_stories"], report["largest_story"]) == (4, 1, 4)


def test_story_rows_summaries_and_citations(out: Path):
    documents = {row["id"]: row for row in read(out / "documents.parquet")}
    stories = {
        frozenset(r["id"] for r in documents.values() if r["story_id"] == s["story_id"]): s
        for s in read(out / "stories.parquet")
    }
    bridge = stories[frozenset(BRIDGE)]
    assert bridge["independent_sources"] == 3  # the copy and its original are one source
    assert bridge["size"] == 4
    assert bridge["title"] == "Bridge collapses in Port Elwood after storm"
    assert bridge["first_published"].isoformat() == "2024-03-04T08:00:00+00:00"
    assert bridge["summary"] == " ".join(bridge["sentences"])
    first: dict[int, dict] = {}
    for citation in bridge["citations"]:  # the sentence itself first, then its near-duplicates elsewhere
        first.setdefault(citation["sentence"], citation)
        assert citation["document"] in BRIDGE and 0 <= citation["start"] < citation["end"]
    for n, citation in first.items():
        assert documents[citation["document"]]["text"][citation["start"] : citation["end"]] == bridge["sentences"][n]


def test_summary_is_the_pipelines_summary_of_the_story(out: Path):
    """The batch summarizes a story exactly as ``summarize_prepared(prepare(docs, clean=False))`` would."""
    from tidings.batch.core import from_us, to_document

    rows = sorted(
        (r for r in read(out / "documents.parquet") if r["id"] in BRIDGE),
        key=lambda r: (r["published"], r["id"]),
    )
    docs = []
    for r in rows:
        micros = int((r["published"] - from_us(0)).total_seconds() * 1_000_000)
        docs.append(to_document({**r, "published": micros, "format": "text"}))
    expected = summarize_prepared(prepare(docs, Config(), clean=False), Config())
    story = next(s for s in read(out / "stories.parquet") if s["story_id"] == rows[0]["story_id"])
    assert story["summary"] == expected.text


def test_cli_batch(tmp_path: Path):
    result = CliRunner().invoke(app, ["batch", str(FIXTURE), str(tmp_path / "out"), "--workers", "1", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["stories"] == 4 and report["engine"] == "local"
    assert "invalid JSON" in result.stderr
    assert (tmp_path / "out" / "stories.parquet").is_file()


def test_cli_batch_missing_input_is_one_line(tmp_path: Path):
    result = CliRunner().invoke(app, ["batch", str(tmp_path / "nothing.jsonl"), str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "no such file" in result.stderr


def test_cli_spark_without_pyspark_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(__import__("sys").modules, "pyspark", None)  # as if it were not installed
    result = CliRunner().invoke(app, ["batch", str(FIXTURE), str(tmp_path / "out"), "--engine", "spark"])
    assert result.exit_code == 2
    assert "install tidings[spark]" in result.stderr


def test_batch_and_ingest_make_the_same_stories(out: Path, tmp_path: Path):
    """One algorithm for every engine: the archive's online clusterer and the batch agree on the same input."""
    from tidings.ingest import iter_inputs
    from tidings.model import Problem
    from tidings.store import Archive
    from tidings.stream import content_hash, ingest

    batch_story = {row["content_hash"]: row["story_id"] for row in read(out / "documents.parquet")}
    with Archive(tmp_path / "a.db") as archive:
        reads = [r for r in iter_inputs([FIXTURE]) if not isinstance(r, Problem)]
        ingest(archive, ((r.document, r.raw) for r in reads), summaries=False)
        rows = archive.conn.execute("SELECT text, story_id FROM documents").fetchall()
    online: dict[int, set[str]] = defaultdict(set)
    for text, story in rows:
        online[story].add(batch_story[content_hash(text)])
    assert all(len(batch_ids) == 1 for batch_ids in online.values())  # no online story spans two batch stories
    assert len(online) == len(set(batch_story.values()))


WIDGET = "Our newsroom relies on readers like you, so please consider a small monthly gift to keep us going."


def with_widget(path: Path) -> Path:
    """The fixture with one donation widget line added to an article of three different stories."""
    out = []
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        if '"id": "a1"' in line or '"id": "c1"' in line or '"id": "z1"' in line:  # three stories' first articles
            record = json.loads(line)
            record["text"] = f"{WIDGET}\n{record['text']}"
            line = json.dumps(record)
        out.append(line + "\n")  # the fixture's broken records stay as they are
    path.write_text("".join(out), encoding="utf-8")
    return path


def test_a_line_printed_in_three_stories_is_kept_out_of_their_summaries(tmp_path: Path):
    corpus = with_widget(tmp_path / "widget.jsonl")
    run_batch([str(corpus)], tmp_path / "on", Config(), engine="local")
    off = Config(summarize=SummarizeConfig(repeated_line_stories=0))
    run_batch([str(corpus)], tmp_path / "off", off, engine="local")
    on_text = " ".join(s for row in read(tmp_path / "on" / "stories.parquet") for s in row["sentences"])
    off_text = " ".join(s for row in read(tmp_path / "off" / "stories.parquet") for s in row["sentences"])
    assert WIDGET not in on_text and WIDGET in off_text
