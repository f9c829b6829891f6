"""The JSON API, used as a program would: reading, paging, merges, search, and writing with a token."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tidings.serve import create_app, models
from tidings.store import Archive

from ..ingest.test_sources import serve_site
from .conftest import AUTH, TOKEN, Fixture, config

NEW_STORY = (
    "Heavy snow closed the mountain pass road on Friday, stranding dozens of lorries, and the regional "
    "road authority said snowploughs would work through the night to reopen it by Saturday afternoon."
)


# -- reading -----------------------------------------------------------------------------------------------


def test_stories_are_paged_with_next_links(client: TestClient, built_archive: Fixture):
    seen, url = [], "/api/stories?limit=2"
    while url:
        response = client.get(url)
        assert response.status_code == 200
        page = models.StoryList.model_validate(response.json())
        assert len(page.stories) <= 2
        seen += [s.id for s in page.stories]
        url = page.next
    assert len(seen) == len(set(seen)) == 4  # seed, bridge, council, museum; the ferry story was merged away
    assert built_archive.merged_from not in seen
    with Archive(built_archive.path) as archive:
        assert seen == [s.id for s in archive.stories()]  # most recently active first


def test_stories_since_filter(client: TestClient, built_archive: Fixture):
    recent = client.get("/api/stories", params={"since": "2024-03-12T00:00:00Z"}).json()["stories"]
    ids = {s["id"] for s in recent}
    assert built_archive.bridge_story in ids and built_archive.merged_into in ids
    assert all(s["last_seen"] >= "2024-03-12" for s in recent)
    assert len(ids) == 2  # the council story (11 March) and the seed story (April 2019) are older
    assert client.get("/api/stories", params={"since": "2999-01-01"}).json()["stories"] == []
    bad = client.get("/api/stories", params={"since": "last tuesday"})
    assert bad.status_code == 422
    assert bad.json()["error"].startswith("invalid request: since:")


def test_paging_limits_are_checked(client: TestClient):
    assert client.get("/api/stories", params={"limit": 0}).status_code == 422
    too_many = client.get("/api/stories", params={"limit": 5000})
    assert too_many.status_code == 422 and "less than or equal to 100" in too_many.json()["error"]


def test_story_detail_has_summary_citations_and_documents(client: TestClient, built_archive: Fixture):
    response = client.get(f"/api/stories/{built_archive.seed_story}")
    story = models.StoryDetail.model_validate(response.json())
    assert story.size == 5 and story.independent_sources == 5 and len(story.documents) == 5
    assert story.summary_current and story.summary
    texts = {d.id: client.get(d.href).json()["text"] for d in story.documents}
    for sentence in story.summary:
        for c in sentence.citations:  # every citation points at the sentence in its source's cleaned text
            assert texts[c.document][c.start : c.end] == sentence.text


def test_dates_say_where_they_came_from_and_spans_are_publication_dates(client: TestClient, built_archive: Fixture):
    seed = client.get(f"/api/stories/{built_archive.seed_story}").json()
    assert seed["first_published"].startswith("2019-04-17") and seed["last_published"].startswith("2019-04-17")
    assert seed["first_seen"] >= "2026"  # archived now: not when the story happened
    sources = sorted(d["published_source"] for d in seed["documents"])
    assert sources == ["none", "none", "none", "none", "text"]  # one scraped text has a date line, four are undated
    bridge = client.get(f"/api/stories/{built_archive.bridge_story}").json()
    assert {d["published_source"] for d in bridge["documents"]} == {None}  # dated by the caller, source not said
    doc = client.get(bridge["documents"][0]["href"]).json()
    assert "published_source" in doc and doc["published"].startswith("2024-03-12")
    listed = client.get("/api/stories").json()["stories"]
    assert all(s["title"] and not s["title"].startswith("Story ") for s in listed)


def test_merged_story_id_resolves_to_the_live_story(client: TestClient, built_archive: Fixture):
    response = client.get(f"/api/stories/{built_archive.merged_from}")
    assert response.status_code == 200
    data = models.StoryDetail.model_validate(response.json())
    assert (data.id, data.requested_id) == (built_archive.merged_into, built_archive.merged_from)
    assert response.headers["content-location"] == f"/api/stories/{built_archive.merged_into}"
    live = client.get(f"/api/stories/{built_archive.merged_into}").json()
    assert live["merged_from"] == [built_archive.merged_from]
    page = client.get(f"/stories/{built_archive.merged_from}", follow_redirects=False)
    assert page.status_code == 301 and page.headers["location"] == f"/stories/{built_archive.merged_into}"


def test_unknown_ids_are_404_with_a_json_error(client: TestClient):
    assert client.get("/api/stories/999999").json() == {"error": "no story 999999"}
    missing = client.get("/api/documents/nope")
    assert missing.status_code == 404 and missing.json() == {"error": "no document nope"}
    assert client.get("/api/stories/abc").status_code == 422


def test_document_detail_lists_cited_spans(client: TestClient, built_archive: Fixture):
    story = client.get(f"/api/stories/{built_archive.seed_story}").json()
    cited = story["summary"][0]["citations"][0]
    doc = models.DocumentDetail.model_validate(client.get(f"/api/documents/{cited['document']}").json())
    assert doc.story == built_archive.seed_story
    assert (1, cited["start"], cited["end"]) in [(c.sentence, c.start, c.end) for c in doc.cited]
    assert "path" not in client.get(f"/api/documents/{cited['document']}").json()  # no server file paths


def test_search_finds_pages_and_neutralises_query_syntax(client: TestClient, built_archive: Fixture):
    first = models.SearchResults.model_validate(
        client.get("/api/search", params={"q": "Vladivostok", "limit": 1}).json()
    )
    assert len(first.results) == 1 and "[Vladivostok]" in first.results[0].snippet
    assert first.results[0].story == built_archive.seed_story
    assert first.next is not None
    second = client.get(first.next).json()
    assert second["results"] and second["results"][0]["document"] != first.results[0].document
    assert client.get("/api/search", params={"q": "bridge"}).json()["results"][0]["story"] == built_archive.bridge_story
    assert client.get("/api/search", params={"q": "Vladivostok OR nosuchword"}).json()["results"] == []
    empty = client.get("/api/search", params={"q": ""})
    assert empty.status_code == 422 and empty.json()["problems"][0]["where"] == "q"


def test_openapi_documents_every_route(client: TestClient):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/stories", "/api/stories/{story_id}", "/api/documents/{doc_id}", "/api/search"} <= set(paths)
    assert {"post"} <= set(paths["/api/documents"]) and {"post", "get"} <= set(paths["/api/feeds"])
    assert paths["/api/documents"]["post"]["security"] == [{"HTTPBearer": []}]
    assert client.get("/docs").status_code == 200


# -- authentication and limits ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/documents", "/api/feeds"])
def test_writes_need_the_right_bearer_token(client: TestClient, path: str):
    body = {"text": NEW_STORY} if path == "/api/documents" else {"url": "https://feeds.example/rss"}
    missing = client.post(path, json=body)
    assert missing.status_code == 401 and "Bearer" in missing.json()["error"]
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert client.post(path, json=body, headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
    wrong = client.post(path, json=body, headers={"Authorization": "Bearer " + "x" * len(TOKEN)})
    assert wrong.status_code == 403 and wrong.json() == {"error": "invalid token"}
    malformed_and_wrong = client.post(path, content=b"{not json", headers={"Authorization": "Bearer nope"})
    assert malformed_and_wrong.status_code == 403  # the token is checked before the body is even read


def test_without_a_token_the_server_is_read_only(built_archive: Fixture):
    with TestClient(create_app(built_archive.path, config(), token=None)) as c:
        assert c.get("/api/stories").status_code == 200
        assert c.get("/").status_code == 200
        for path, body in (("/api/documents", {"text": NEW_STORY}), ("/api/feeds", {"url": "https://a.example/f"})):
            refused = c.post(path, json=body, headers=AUTH)
            assert refused.status_code == 503
            assert "writes are disabled" in refused.json()["error"] and "TIDINGS_TOKEN" in refused.json()["error"]
        assert c.get("/api/status").json()["writes_enabled"] is False


def test_oversized_bodies_are_refused_with_413(archive_copy: Fixture):
    with TestClient(create_app(archive_copy.path, config(max_body_bytes=2000), TOKEN)) as c:
        big = {"text": NEW_STORY * 20}
        declared = c.post("/api/documents", json=big, headers=AUTH)
        assert declared.status_code == 413 and "too large" in declared.json()["error"]

        def chunks():  # no Content-Length: the guard counts what arrives and stops at the cap
            for _ in range(100):
                yield b" " * 100

        streamed = c.post("/api/documents", content=chunks(), headers={**AUTH, "Content-Type": "application/json"})
        assert streamed.status_code == 413
        assert c.post("/api/documents", json={"text": NEW_STORY}, headers=AUTH).status_code == 201


def test_too_many_documents_in_one_batch(archive_copy: Fixture):
    with TestClient(create_app(archive_copy.path, config(max_batch=2), TOKEN)) as c:
        batch = {"documents": [{"text": f"{NEW_STORY} Item {i}."} for i in range(3)]}
        response = c.post("/api/documents", json=batch, headers=AUTH)
        assert response.status_code == 413 and "at most 2" in response.json()["error"]


@pytest.mark.parametrize(
    ("body", "where", "says"),
    [
        (b"{not json", "body", "not valid JSON"),
        (b'["a list"]', "body", "expected a JSON object"),
        (b'{"text": "a", "html": "<p>b</p>"}', "body", "either text or html"),
        (b"{}", "body", "text, its html, or a url"),
        (b'{"documents": [{"text": "ok"}, {"txt": "typo"}]}', "documents[1].txt", "Extra inputs"),
        (b'{"documents": []}', "documents", "at least 1"),
        (b'{"text": "x", "published": "yesterday-ish"}', "published", "ISO 8601"),
    ],
)
def test_malformed_bodies_get_a_useful_422(writer: TestClient, body: bytes, where: str, says: str):
    response = writer.post("/api/documents", content=body, headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 422
    data = models.Error.model_validate(response.json())
    assert data.problems and data.problems[0]["where"] == where
    assert says in data.problems[0]["problem"] and says in data.error


# -- writing ---------------------------------------------------------------------------------------------


def test_post_one_document_then_its_duplicate(writer: TestClient):
    body = {"text": NEW_STORY, "title": "Snow closes pass", "url": "https://alps.example/snow", "outlet": "Alps Daily"}
    assert "Snow closes pass" not in writer.get("/").text  # the front page is now kept a moment...
    added = writer.post("/api/documents", json=body, headers=AUTH)
    assert "Snow closes pass" in writer.get("/").text  # ...but a write shows at once
    assert added.status_code == 201
    result = models.IngestResult.model_validate(added.json())
    assert (result.added, result.duplicates, result.problems) == (1, 0, 0)
    [outcome] = result.results
    doc = writer.get(f"/api/documents/{outcome.id}").json()
    assert doc["title"] == "Snow closes pass" and doc["outlet"] == "Alps Daily" and doc["story"] == outcome.story
    again = writer.post("/api/documents", json={**body, "url": "https://alps.example/snow?utm_source=x"}, headers=AUTH)
    assert again.status_code == 200
    expected = {**outcome.model_dump(), "status": "duplicate", "input": "https://alps.example/snow?utm_source=x"}
    assert again.json()["results"][0] == expected


def test_post_a_batch_reports_each_item_in_order(writer: TestClient):
    page = f"<html><head><title>Pass reopens</title></head><body><article><h1>Pass reopens</h1><p>{NEW_STORY}</p>"
    page += "<p>Traffic moved slowly on Saturday evening as the last lorries left the pass.</p></article></body></html>"
    batch = {"documents": [{"text": NEW_STORY}, {"text": "Too short."}, {"html": page}, {"text": NEW_STORY}]}
    response = writer.post("/api/documents", json=batch, headers=AUTH)
    assert response.status_code == 201
    statuses = [(r["index"], r["status"]) for r in response.json()["results"]]
    assert statuses == [(0, "added"), (1, "problem"), (2, "added"), (3, "duplicate")]
    results = response.json()["results"]
    assert "no article text" in results[1]["reason"]
    assert results[3]["id"] == results[0]["id"]
    html_doc = writer.get(f"/api/documents/{results[2]['id']}").json()
    assert html_doc["title"] == "Pass reopens" and html_doc["format"] == "html" and "<p>" not in html_doc["text"]


def test_a_url_to_loopback_is_refused_unless_allowed(archive_copy: Fixture, server):
    serve_site(server)
    with TestClient(create_app(archive_copy.path, config(), TOKEN)) as c:
        refused = c.post("/api/documents", json={"url": server.url("/page")}, headers=AUTH)
        assert refused.status_code == 422
        assert "loopback" in refused.json()["results"][0]["reason"]
        assert server.paths() == []  # refused before any connection
    allow = config()
    allow = type(allow)(
        fetch=type(allow.fetch)(allow_networks=("127.0.0.1/32",), min_host_interval=0), serve=allow.serve
    )
    with TestClient(create_app(archive_copy.path, allow, TOKEN)) as c:
        fetched = c.post("/api/documents", json={"url": server.url("/page")}, headers=AUTH)
        assert fetched.status_code == 201, fetched.json()
        doc = c.get(f"/api/documents/{fetched.json()['results'][0]['id']}").json()
        assert doc["url"] == server.url("/page") and "Vladivostok" in doc["text"]
        assert server.paths() == ["/page"]


def test_subscribe_a_feed_and_the_worker_polls_it(archive_copy: Fixture, server):
    serve_site(server)
    feed = server.url("/feed.xml")
    cfg = config()
    cfg = type(cfg)(fetch=type(cfg.fetch)(allow_networks=("127.0.0.1/32",), min_host_interval=0), serve=cfg.serve)
    app = create_app(archive_copy.path, cfg, TOKEN)
    with TestClient(app) as c:
        first = c.post("/api/feeds", json={"url": feed}, headers=AUTH)
        assert first.status_code == 201 and first.json() == {"id": 1, "url": feed, "subscribed": True, "new": True}
        assert c.post("/api/feeds", json={"url": feed}, headers=AUTH).json()["new"] is False
        before = c.get("/api/status").json()["documents"]
        worker = app.state.service.worker
        worker.cycle(poll=True)
        assert c.get("/api/status").json()["documents"] == before + 2  # /a1 and /a2; /a3 answers 500
        [state] = c.get("/api/feeds").json()["feeds"]
        assert state["url"] == feed and state["last_status"] == "ok: 2 new"
        worker.cycle(poll=True)  # conditional GET: the feed answers 304
        assert c.get("/api/feeds").json()["feeds"][0]["last_status"] == "not modified"
        assert server.paths().count("/a1") == 1  # an archived item is never fetched again


@pytest.mark.parametrize(
    ("url", "says"),
    [("file:///etc/passwd", "scheme"), ("http://169.254.169.254/latest", "link-local"), ("not a url", "absolute")],
)
def test_subscribing_refuses_unsafe_feed_urls(writer: TestClient, url: str, says: str):
    response = writer.post("/api/feeds", json={"url": url}, headers=AUTH)
    assert response.status_code == 422 and says in response.json()["error"]
    assert writer.get("/api/feeds").json()["feeds"] == []


def test_a_changed_story_is_resummarized_in_the_background(archive_copy: Fixture, built_archive: Fixture):
    app = create_app(archive_copy.path, config(), TOKEN)
    follow_up = (
        "Buses returned to the Riverside bridge on Monday, a week after it reopened following two years of repairs, "
        "and the city said the new cycle lane on the bridge would open in the summer as promised by the mayor."
    )
    with TestClient(app) as c:
        posted = c.post("/api/documents", json={"text": follow_up, "title": "Buses back on bridge"}, headers=AUTH)
        story = posted.json()["results"][0]["story"]
        assert story == built_archive.bridge_story
        assert c.get(f"/api/stories/{story}").json()["summary_current"] is False
        assert app.state.service.worker.refresh_summaries() >= 1
        refreshed = c.get(f"/api/stories/{story}").json()
        assert refreshed["summary_current"] is True and refreshed["size"] == 4
