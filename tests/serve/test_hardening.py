"""The service under hostile use: one test per way it was once broken (issue: the service holds under attack)."""

from __future__ import annotations

import logging
import sqlite3

import pytest
from fastapi.testclient import TestClient

from tidings.model import Document
from tidings.serve import create_app
from tidings.serve.guard import CONTENT_SECURITY_POLICY
from tidings.serve.server import log_config
from tidings.store import Archive
from tidings.stream import ingest

from .conftest import AUTH, TOKEN, Fixture, config

HUGE = str(2**63)

VOLCANO = (
    "The Mount Etna volcano erupted on Sunday, sending a column of ash and lava over Sicily. Flights at Catania "
    "airport were suspended as ash fell on nearby villages, and civil protection officials closed two roads. "
    "Volcanologists said the eruption of Etna was the strongest in a decade and lava flows were moving slowly."
)
FOOTBALL = (
    "Manchester United beat Liverpool 2-1 at Old Trafford on Saturday with a late goal from their striker. "
    "The Premier League match was decided in stoppage time, and the United manager praised the crowd. "
    "Liverpool's coach said his team had deserved a draw after dominating possession in the second half."
)


# -- 1, 2: search is bounded work --------------------------------------------------------------------------


def test_a_repeated_word_is_one_search_term(client: TestClient):
    one = client.get("/api/search", params={"q": "the"}).json()["results"]
    many = client.get("/api/search", params={"q": " ".join(["the", "The"] * 62)})
    assert many.status_code == 200 and many.json()["results"] == one


def test_deep_search_pages_are_refused(client: TestClient):
    assert client.get("/api/search", params={"q": "bridge", "offset": 5000}).status_code == 422
    assert client.get("/search", params={"q": "bridge", "page": 1000}).status_code == 400


def test_a_read_past_its_time_budget_is_answered_503(archive_copy: Fixture, monkeypatch: pytest.MonkeyPatch):
    def endless(self: Archive, *args: object, **kwargs: object) -> list:
        self.conn.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT COUNT(*) FROM n"
        ).fetchone()
        return []

    monkeypatch.setattr(Archive, "search", endless)
    with TestClient(create_app(archive_copy.path, config(read_seconds=0.2), TOKEN)) as client:
        api = client.get("/api/search", params={"q": "bridge"})
        assert api.status_code == 503 and "narrow it down" in api.json()["error"]
        assert client.get("/search", params={"q": "bridge"}).status_code == 503
        assert client.get("/api/stories").status_code == 200  # the connection is usable again


def test_time_budget_interrupts_a_statement(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        archive.limit_time(0.05)
        with pytest.raises(sqlite3.OperationalError, match="interrupted"):
            archive.conn.execute(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT COUNT(*) FROM n"
            ).fetchone()
        archive.limit_time(None)
        assert archive.count_documents() == 0


# -- 4: two writers ----------------------------------------------------------------------------------------


def test_api_and_cli_writers_keep_stories_apart(archive_copy: Fixture):
    with TestClient(create_app(archive_copy.path, config(), TOKEN)) as client:
        assert client.post("/api/documents", json={"text": NEW_STORY_SEED}, headers=AUTH).status_code == 201
        with Archive(archive_copy.path) as cli:  # `tidings ingest` in another process, meanwhile
            ingest(cli, [(Document(id="v", text=VOLCANO, title="Etna erupts", url="https://v.example/1"), None)])
            volcano = cli.conn.execute("SELECT story_id FROM documents WHERE title = 'Etna erupts'").fetchone()[0]
        posted = client.post("/api/documents", json={"text": FOOTBALL, "title": "United win"}, headers=AUTH)
        assert posted.status_code == 201
        football = posted.json()["results"][0]["story"]
        assert football != volcano
        story = client.get(f"/api/stories/{volcano}").json()
        assert [d["title"] for d in story["documents"]] == ["Etna erupts"] and story["size"] == 1
    with Archive(archive_copy.path) as archive:
        sizes = archive.conn.execute(
            "SELECT COUNT(*) FROM stories s WHERE merged_into IS NULL"
            " AND size != (SELECT COUNT(*) FROM documents d WHERE d.story_id = s.id)"
        ).fetchone()[0]
        assert sizes == 0


NEW_STORY_SEED = (
    "Heavy snow closed the mountain pass road on Friday, stranding dozens of lorries, and the regional "
    "road authority said snowploughs would work through the night to reopen it by Saturday afternoon."
)


# -- 5: malformed hosts, feeds that fail, unsubscribing ------------------------------------------------------


@pytest.mark.parametrize("url", ["https://xn--.com/", "http://xn--ls8h.la/"])
def test_malformed_idna_hosts_are_422(writer: TestClient, url: str):
    fetched = writer.post("/api/documents", json={"url": url}, headers=AUTH)
    assert fetched.status_code == 422 and "invalid URL" in fetched.json()["error"]
    feed = writer.post("/api/feeds", json={"url": url}, headers=AUTH)
    assert feed.status_code == 422 and "invalid URL" in feed.json()["error"]


def test_feeds_can_be_unsubscribed(writer: TestClient):
    made = writer.post("/api/feeds", json={"url": "https://news.example/rss"}, headers=AUTH).json()
    assert writer.get("/api/feeds").json()["feeds"][0]["id"] == made["id"]
    assert writer.delete(f"/api/feeds/{made['id']}").status_code == 401  # a write: the token is required
    gone = writer.delete(f"/api/feeds/{made['id']}", headers=AUTH)
    assert gone.status_code == 200 and gone.json()["subscribed"] is False
    assert writer.get("/api/feeds").json()["feeds"] == []
    assert writer.delete(f"/api/feeds/{made['id']}", headers=AUTH).status_code == 404


# -- 6: values at the edge are 4xx, never 5xx -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (f"/api/stories?offset={HUGE}", 422),
        (f"/api/search?q=bridge&offset={HUGE}", 422),
        (f"/api/stories/{HUGE}", 422),
        (f"/stories/{HUGE}", 400),
        (f"/api/documents/{'x' * 5000}", 422),
        ("/?to=9999-12-31", 400),
        ("/?from=0001-01-01", 400),
        ("/api/stories?since=0001-01-01T00:00:00%2B14:00", 422),
        ("/api/stories?since=9999-12-31T23:59:59-14:00", 422),
        ("/api/search?q=%00", 200),
        ("/search?q=a%00b", 200),
        ("/api/search?q=%22%28%29*%3A%5E", 200),
    ],
)
def test_edge_values_are_client_errors(client: TestClient, path: str, status: int):
    assert client.get(path).status_code == status


def test_posted_dates_out_of_range_are_422(writer: TestClient):
    posted = writer.post(
        "/api/documents", json={"text": FOOTBALL, "published": "0001-01-01T00:00:00+14:00"}, headers=AUTH
    )
    assert posted.status_code == 422 and "published" in posted.json()["error"]


# -- 7: addresses ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x"])
def test_script_urls_are_dropped_and_said(writer: TestClient, url: str):
    posted = writer.post("/api/documents", json={"text": VOLCANO, "url": url}, headers=AUTH).json()
    [result] = posted["results"]
    assert result["status"] == "added" and "url dropped" in result["reason"]
    stored = writer.get(f"/api/documents/{result['id']}").json()
    assert stored["url"] is None
    story = writer.get(f"/api/stories/{result['story']}").json()
    assert all(d["url"] is None or d["url"].startswith("http") for d in story["documents"])


def test_outlet_is_the_host_a_browser_visits(writer: TestClient):
    url = "https://evil.example\\@good.example/story"
    result = writer.post("/api/documents", json={"text": VOLCANO, "url": url}, headers=AUTH).json()["results"][0]
    page = writer.get(f"/documents/{result['id']}").text
    assert "evil.example" in page and "good.example</" not in page
    assert writer.get(f"/api/documents/{result['id']}").json()["url"] == "https://evil.example/@good.example/story"


# -- 8: headers, docs, logs ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/api/stories", "/static/tidings.css", "/stories/999999", "/docs", "/nowhere"])
def test_every_answer_has_security_headers(client: TestClient, path: str):
    headers = client.get(path).headers
    assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


def test_guard_refusals_have_security_headers(client: TestClient):
    refused = client.post("/api/documents", json={"text": "x"})
    assert refused.status_code == 401 and refused.headers["x-content-type-options"] == "nosniff"


def test_pages_have_no_inline_script_or_style_and_docs_are_local(client: TestClient):
    for path in ("/", "/docs", "/search?q=bridge"):
        html = client.get(path).text
        assert "<style" not in html and "<script>" not in html and "http" not in html.split("</head>")[0]
    docs = client.get("/docs").text
    for asset in ("/static/docs/swagger-ui-bundle.js", "/static/docs/swagger-ui.css", "/static/docs.js"):
        assert asset in docs
        assert client.get(asset).status_code == 200


def test_head_of_pages_is_answered(client: TestClient):
    assert client.head("/").status_code == 200
    assert client.head("/search?q=bridge").status_code == 200


def test_tokens_in_query_strings_are_not_logged():
    config_ = log_config()
    logging.config.dictConfig(config_)
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5", "POST", f"/api/documents?token={TOKEN}&x=1", "1.1", 401),
        None,
    )
    for name in logging.getLogger("uvicorn.access").handlers[0].filters:
        name.filter(record)
    assert TOKEN not in record.getMessage() and "token=***" in record.getMessage()


def test_searches_beyond_their_slots_are_answered_busy(archive_copy: Fixture):
    with TestClient(create_app(archive_copy.path, config(search_slots=1), TOKEN)) as client:
        service = client.app.state.service
        with service.search_slot():  # another search holds the only slot
            api = client.get("/api/search", params={"q": "bridge"})
            assert api.status_code == 503 and api.headers["retry-after"] == "5"
            assert client.get("/search", params={"q": "bridge"}).status_code == 503
            assert client.get("/api/stories").status_code == 200  # other reads are not held up
        assert client.get("/api/search", params={"q": "bridge"}).status_code == 200
