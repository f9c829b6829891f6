"""Archive queries behind the web service: the ranked front page, paged search, feed subscriptions."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from tidings.model import Document
from tidings.store import Archive
from tidings.stream import ingest

TOPICS = {
    "flood": "Flood water covered the valley road near Marlow{i} after heavy rain on {day}, police said, and "
    "drivers were told to avoid the area until the river falls; {n} homes lost power overnight.",
    "vote": "The parliament of Norland{i} approved the budget in a late vote on {day}, ending weeks of talks "
    "between the coalition parties over spending on schools, roads and hospitals in {n} regions.",
    "match": "Rovers{i} beat United in the cup final on {day} after extra time, their first trophy in {n} years, "
    "and thousands of fans gathered in the town square to greet the players.",
}


def _archive(path: Path) -> Archive:
    """Three days of stories: day 1 one flood report; day 2 a vote (3 independent reports) and a match (1)."""
    archive = Archive(path)
    day1, day2 = datetime(2024, 5, 1, 8, tzinfo=UTC), datetime(2024, 5, 2, 8, tzinfo=UTC)
    docs = [
        Document(id="f", text=TOPICS["flood"].format(i="", day="Wednesday", n=300), title="Flood", published=day1),
        Document(id="m", text=TOPICS["match"].format(i="", day="Thursday", n=40), title="Final", published=day2),
    ]
    words = ["late", "narrow", "long-awaited"]
    for k, word in enumerate(words):
        text = TOPICS["vote"].format(i="", day="Thursday", n=12 + k).replace("a late vote", f"a {word} vote")
        text += f" Reporter {k} wrote that the opposition walked out before the vote."
        docs.append(Document(id=f"v{k}", text=text, title="Budget passes", published=day2 + timedelta(minutes=k)))
    ingest(archive, [(d, None) for d in docs])
    return archive


def test_ranked_stories_day_first_then_independent_sources(tmp_path: Path):
    with _archive(tmp_path / "a.db") as archive:
        ranked = archive.ranked_stories()
        assert [s.title for s in ranked] == ["Budget passes", "Final", "Flood"]
        assert archive.stories()[0].title == "Budget passes"  # recency order differs only by the clock
        may2 = datetime(2024, 5, 2, tzinfo=UTC)
        assert [s.title for s in archive.ranked_stories(start=may2)] == ["Budget passes", "Final"]
        assert [s.title for s in archive.ranked_stories(end=may2)] == ["Flood"]
        assert archive.count_ranked(start=may2) == 2 and archive.count_ranked() == 3
        assert [s.title for s in archive.ranked_stories(limit=1, offset=1)] == ["Final"]
        assert archive.latest_activity() == ranked[0].last_published  # when it was published, not archived
        plan = " ".join(
            str(r[3])
            for r in archive.conn.execute(
                "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM stories WHERE merged_into IS NULL AND last_active >= ?"
                " AND last_active < ?",
                ("2024", "9999"),
            )
        )
        assert "stories_last_active" in plan  # the window is an index range, not a scan


def test_latest_activity_of_an_empty_archive(tmp_path: Path):
    with Archive(tmp_path / "a.db") as archive:
        assert archive.latest_activity() is None and archive.ranked_stories() == []


def test_search_pages_and_custom_marks(tmp_path: Path):
    with _archive(tmp_path / "a.db") as archive:
        everything = archive.search("vote", limit=10)
        assert len(everything) == 3
        assert archive.search("vote", limit=2, offset=2) == everything[2:]
        [(_, _, _, snippet)] = archive.search("valley", marks=("\x02", "\x03"))
        assert "\x02valley\x03" in snippet and "[" not in snippet


def test_subscribe_records_a_feed_once(tmp_path: Path):
    with Archive(tmp_path / "a.db") as archive:
        assert archive.subscribe("https://news.example/rss") == (1, True)
        assert archive.subscribe("https://news.example/rss") == (1, False)
        assert archive.feeds() == ["https://news.example/rss"]
        [row] = archive.feed_rows()
        assert row == {"id": 1, "url": "https://news.example/rss", "last_polled": None, "last_status": None}
        archive.save_feed_state("https://news.example/rss", '"e1"', None, "ok: 3 new")
        assert archive.feed_rows()[0]["last_status"] == "ok: 3 new"


def test_unsubscribe_by_id_or_url(tmp_path: Path):
    with Archive(tmp_path / "a.db") as archive:
        first, _ = archive.subscribe("https://a.example/rss")
        archive.subscribe("https://b.example/rss")
        assert archive.unsubscribe(first) == "https://a.example/rss"
        assert archive.unsubscribe(first) is None
        assert archive.unsubscribe("https://b.example/rss") == "https://b.example/rss"
        assert archive.feeds() == []
