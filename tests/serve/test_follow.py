"""Following stories over the service: "new since" in the API and on the page, and Atom feeds out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from fastapi.testclient import TestClient

from tests.serve.conftest import TOKEN, Fixture, config
from tidings.serve import create_app
from tidings.store import Archive

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


@pytest.fixture
def followed(archive_copy: Fixture) -> Fixture:
    """The bridge story as it grew: the AP story and its copy at T0, the Courier's report two hours later."""
    with Archive(archive_copy.path) as archive, archive.transaction():
        archive.conn.execute("UPDATE documents SET ingested_at = ?", (T0.isoformat(),))
        archive.conn.execute(
            "UPDATE documents SET ingested_at = ? WHERE title = 'Cars back on Riverside bridge'",
            ((T0 + timedelta(hours=2)).isoformat(),),
        )
    return archive_copy


@pytest.fixture
def client_of(followed: Fixture):
    with TestClient(create_app(followed.path, config(), TOKEN)) as c:
        yield c


def _courier(c: TestClient, story: int) -> str:
    docs = c.get(f"/api/stories/{story}").json()["documents"]
    return next(d["id"] for d in docs if d["title"] == "Cars back on Riverside bridge")


def test_api_story_since_adds_what_is_new(client_of: TestClient, followed: Fixture):
    story = followed.bridge_story
    courier = _courier(client_of, story)
    data = client_of.get(f"/api/stories/{story}", params={"since": (T0 + timedelta(hours=1)).isoformat()}).json()
    assert data["added"] == [courier]
    assert data["new"] and all(n["sources"] == [courier] for n in data["new"])
    assert any("52 million" in n["text"] for n in data["new"])
    later = client_of.get(f"/api/stories/{story}", params={"since": (T0 + timedelta(hours=3)).isoformat()}).json()
    assert later["new"] == [] and later["added"] == []
    assert "new" not in client_of.get(f"/api/stories/{story}").json()
    assert client_of.get(f"/api/stories/{story}", params={"since": "yesterday"}).status_code == 422


def test_story_page_says_what_is_new_since_the_last_visit(client_of: TestClient, followed: Fixture):
    story = followed.bridge_story
    first = client_of.get(f"/stories/{story}")
    assert "New since" not in first.text  # a first visit has nothing to compare with
    cookie = first.cookies.get(f"seen_{story}")
    assert cookie and datetime.fromisoformat(cookie) > T0 + timedelta(hours=2)
    client_of.cookies.clear()
    client_of.cookies.set(f"seen_{story}", (T0 + timedelta(hours=1)).isoformat())
    again = client_of.get(f"/stories/{story}")
    assert "New since your last visit" in again.text and "52 million" in again.text.split("Summary")[0]
    asked = client_of.get(f"/stories/{story}", params={"since": (T0 + timedelta(hours=1)).isoformat()}).text
    assert "New since" in asked
    client_of.cookies.set(f"seen_{story}", "not a time<script>")
    assert client_of.get(f"/stories/{story}").status_code == 200
    assert "Updates" in again.text and f'href="/stories/{story}/feed.atom"' in again.text


def test_front_feed_is_valid_atom_with_absolute_escaped_links(client_of: TestClient):
    response = client_of.get("/feed.atom")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.entries and all(e.link.startswith("http://testserver/stories/") for e in feed.entries)
    assert all(e.id.startswith("http://testserver/stories/") for e in feed.entries)
    raw = response.text
    assert "<script>" not in raw and "onerror=" not in raw.replace("onerror=&amp;quot;", "")
    content = " ".join(e.content[0].value for e in feed.entries)
    assert 'href="http://testserver/documents/' in content


def test_story_feed_has_an_entry_per_update(client_of: TestClient, followed: Fixture):
    story = followed.bridge_story
    feed = feedparser.parse(client_of.get(f"/stories/{story}/feed.atom").content)
    assert not feed.bozo
    assert [e.title.split(":")[0] for e in feed.entries] == ["Update", "The story began"]
    assert "52 million" in feed.entries[0].content[0].value
    assert client_of.get("/stories/424242/feed.atom").status_code == 404
    merged = client_of.get(f"/stories/{followed.merged_from}/feed.atom", follow_redirects=False)
    assert merged.status_code == 301 and merged.headers["location"] == f"/stories/{followed.merged_into}/feed.atom"


def test_varying_since_costs_one_computation_per_set_of_known_articles(client_of: TestClient, followed: Fixture):
    service = client_of.app.state.service
    calls = []
    real = service.compute.read

    def counted(work, archive, *args):
        if work.__name__ == "_news":
            calls.append(args)
        return real(work, archive, *args)

    service.compute.read = counted
    story = followed.bridge_story
    for minutes in (61, 62, 90, 119):  # all between the first articles (t0) and the Courier's report (t0 + 2h)
        since = (T0 + timedelta(minutes=minutes)).isoformat()
        data = client_of.get(f"/api/stories/{story}", params={"since": since}).json()
        assert data["new_since"].startswith(since[:16]) and data["new"]
    assert len(calls) == 1
