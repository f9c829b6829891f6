"""Following a story: "new since" is about arrival, decided against everything known then."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.helpers import OTHER, SPUN, WIRE
from tidings.cli import app
from tidings.follow import story_news, story_updates
from tidings.model import Document
from tidings.store import Archive
from tidings.stream import IngestReport, StreamIngester

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _ingest(path: Path, docs: list[tuple[str, str, datetime]]) -> int:
    """Ingest ``(id, text, arrival)`` and date each arrival as given; the story id."""
    with Archive(path) as archive:
        ingester = StreamIngester(archive)
        for doc_id, text, at in docs:
            stored = ingester.add(
                Document(id=doc_id, text=text, title=doc_id, url=f"https://n.example/{doc_id}"), report=IngestReport()
            )
            with archive.transaction():
                archive.conn.execute("UPDATE documents SET ingested_at = ? WHERE id = ?", (at.isoformat(), stored))
        (story,) = {r.id for r in archive.stories()}
        return story


@pytest.fixture
def archive_path(tmp_path: Path) -> tuple[Path, int]:
    path = tmp_path / "a.db"
    story = _ingest(
        path, [("wire", WIRE, T0), ("spun", SPUN, T0 + timedelta(hours=2)), ("other", OTHER, T0 + timedelta(hours=5))]
    )
    return path, story


def test_new_since_is_what_arrived_later_and_said_something_new(archive_path):
    path, story = archive_path
    with Archive(path) as archive:
        news = story_news(archive, story, T0 + timedelta(hours=1))
        assert news is not None and len(news.added) == 2
        texts = " ".join(s.text for s in news.new)
        assert "wheat" in texts and "Vladivostok" not in texts
        titles = {d.document.id: d.document.title for d in archive.story_documents(story)}
        assert {titles[d] for s in news.new for d in s.sources} == {"other"}
        # after everything arrived, nothing is new; before the story began, all of it is
        assert story_news(archive, story, T0 + timedelta(hours=6)).new == ()
        assert story_news(archive, story, T0 - timedelta(days=1)).new == news.summary.sentences


def test_updates_list_each_arrival_with_what_it_added(archive_path):
    path, story = archive_path
    with Archive(path) as archive:
        updates = story_updates(archive, story)
    assert [u.at for u in updates] == [T0 + timedelta(hours=5), T0 + timedelta(hours=2), T0]
    latest, rewrite, start = updates
    assert "wheat" in " ".join(s.text for s in latest.new)
    assert rewrite.new == () and start.new == ()  # a rewrite adds nothing; the start is the story itself


def test_cli_story_new_since_json_and_markdown(archive_path):
    path, story = archive_path
    runner = CliRunner()
    since = (T0 + timedelta(hours=3)).isoformat()
    result = runner.invoke(
        app, ["story", str(story), "--db", str(path), "--new-since", since, "--format", "json", "--no-analysis"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["new"] and set(data["new"][0]) == {"text", "sources", "independent_sources"}
    assert data["new_since"].startswith("2026-11-20T11:00")
    md = runner.invoke(app, ["story", str(story), "--db", str(path), "--new-since", "2026-11-21", "--no-analysis"])
    assert md.exit_code == 0 and "Nothing new. No article arrived." in md.stdout
    bad = runner.invoke(app, ["story", str(story), "--db", str(path), "--new-since", "last tuesday"])
    assert bad.exit_code != 0 and "neither a duration" in bad.output


def test_stories_atom_feed_parses_and_digest_tells_what_is_new(archive_path):
    import feedparser

    path, story = archive_path
    runner = CliRunner()
    result = runner.invoke(app, ["stories", "--db", str(path), "--format", "atom", "--base-url", "https://t.example"])
    assert result.exit_code == 0, result.output
    feed = feedparser.parse(result.stdout_bytes)
    assert not feed.bozo and len(feed.entries) == 1
    assert feed.entries[0].link == f"https://t.example/stories/{story}"
    assert "wheat" in feed.entries[0].content[0].value  # the latest update's news comes first
    with Archive(path) as archive, archive.transaction():  # the story began before the period of the digest
        archive.conn.execute("UPDATE stories SET first_seen = ?", ((T0 - timedelta(days=1)).isoformat(),))
    since = (T0 + timedelta(hours=6)).isoformat()  # after the last arrival: listed (active), nothing new
    data = json.loads(runner.invoke(app, ["digest", "--db", str(path), "--since", since, "--format", "json"]).stdout)
    assert [s["new"] for s in data["stories"]] == [[]]
    digest = runner.invoke(app, ["digest", "--db", str(path), "--since", "2026-11-20T09:00", "--format", "json"])
    assert digest.exit_code == 0, digest.output
    (item,) = json.loads(digest.stdout)["stories"]
    assert item["began"] is False and "wheat" in " ".join(n["text"] for n in item["new"])
    md = runner.invoke(app, ["digest", "--db", str(path), "--since", "2026-11-20T09:00"]).stdout
    assert md.startswith("# What happened since 2026-11-20 09:00 UTC") and "What's new:" in md
    for new in item["new"]:  # what is new is told once, not again in the story's context
        assert md.count(new["text"][:40]) == 1
    html = runner.invoke(app, ["digest", "--db", str(path), "--since", "2026-11-20T09:00", "-f", "html"]).stdout
    assert "<h1>What happened since" in html and "wheat" in html
