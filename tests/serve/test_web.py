"""The web pages as a reader gets them: ranked stories, a cited summary, highlighted sources, escaped input."""

from __future__ import annotations

import re
import time
from html import unescape

import pytest
from fastapi.testclient import TestClient

from tidings.serve import create_app, pages

from .conftest import TOKEN, Fixture, config


def _text(html: str) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_front_page_lists_current_stories_and_states_the_rule(client: TestClient, built_archive: Fixture):
    response = client.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "How this page is ordered." in html and "independent sources come first" in html
    assert f'href="/stories/{built_archive.bridge_story}"' in html  # 12 March 2024: the newest day
    assert f'href="/stories/{built_archive.seed_story}"' not in html  # April 2019 is not current
    text = _text(html)
    assert "3 articles from 2 independent sources" in text
    assert 'name="q"' in html and 'type="date"' in html and 'name="from"' in html
    assert '<html lang="en">' in html and 'name="viewport"' in html


def test_head_of_the_front_page_answers_like_get(client: TestClient):
    response = client.head("/")  # uptime monitors and link checkers ask with HEAD
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert response.content == b""


def test_date_filter_ranks_by_day_then_sources_and_pages(built_archive: Fixture):
    with TestClient(create_app(built_archive.path, config(page_size=2), TOKEN)) as c:
        first = c.get("/", params={"from": "2024-03-01", "to": "2024-03-31"})
        ids = [int(i) for i in re.findall(r'<h2><a href="/stories/(\d+)"', first.text)]
        assert ids[0] == built_archive.bridge_story  # 12 March: 2 independent sources beat the museum's 1
        assert "3 stories with a latest article from 2024-03-01 to 2024-03-31, page 1 of 2" in _text(first.text)
        assert 'href="/?from=2024-03-01&amp;to=2024-03-31&amp;page=2"' in first.text
        second = c.get("/", params={"from": "2024-03-01", "to": "2024-03-31", "page": 2})
        assert re.findall(r'<h2><a href="/stories/(\d+)"', second.text) == [str(_council(c))]
        assert "Earlier stories" in second.text and 'href="/?to=2024-02-29"' in second.text
        bad = c.get("/", params={"from": "12/03/2024"})
        assert bad.status_code == 400 and "is not a date like 2024-03-12" in _text(bad.text)


def _council(c: TestClient) -> int:
    return c.get("/api/search", params={"q": "petition library"}).json()["results"][0]["story"]


def test_story_page_cites_groups_syndication_and_orders_a_timeline(client: TestClient, built_archive: Fixture):
    html = client.get(f"/stories/{built_archive.bridge_story}").text
    text = _text(html)
    assert "3 articles from 2 independent sources" in text
    assert "AP story, carried by 2 outlets" in text and "Independent reports" in text
    cites = re.findall(r'<a class="cite" href="(/documents/\w+#s\d+)" title="([^"]+)"', html)
    assert cites, "every summary sentence cites its sources"
    assert all(", 12 Mar 2024 — " in unescape(title) for _, title in cites)  # outlet and date on hover
    assert "Where sources disagree" not in html or "Checking where" not in html
    timeline = re.search(r'<ol class="timeline">(.*?)</ol>', html, re.S).group(1)
    assert timeline.count("<li>") == 3 and "12 Mar 2024" in timeline
    assert 'href="https://ap.example/bridge" rel="noopener noreferrer nofollow"' in html


def test_a_citation_lands_on_the_highlighted_sentence(client: TestClient, built_archive: Fixture):
    story = client.get(f"/api/stories/{built_archive.seed_story}").json()
    sentence = story["summary"][1]
    href = re.search(rf'href="(/documents/{sentence["sources"][0]}#s2)"', client.get(f"/stories/{story['id']}").text)
    assert href is not None
    page = client.get(href.group(1).split("#")[0]).text
    mark = re.search(r'<mark id="s2" title="Summary sentence 2">(.*?)</mark>', page, re.S)
    assert mark is not None and unescape(mark.group(1)) == sentence["text"]
    assert "the story’s summary uses" in page
    assert f'href="/stories/{story["id"]}"' in page


def test_a_document_page_says_where_its_date_came_from(client: TestClient, built_archive: Fixture):
    story = client.get(f"/api/stories/{built_archive.seed_story}").json()
    dated = next(d for d in story["documents"] if d["published_source"] == "text")
    undated = next(d for d in story["documents"] if d["published_source"] == "none")
    text = _text(client.get(f"/documents/{dated['id']}").text)
    assert "published 17 Apr 2019 (date from the article's byline or dateline)" in text
    assert f"← Story: {story['title']}" in text
    assert "no publication date" in _text(client.get(f"/documents/{undated['id']}").text)


def test_a_copy_says_what_it_copies(client: TestClient):
    copy = client.get("/api/search", params={"q": "trade fallen half"}).json()["results"][0]["document"]
    html = client.get(f"/documents/{copy}").text
    assert "A copy (syndicated or rewritten) of" in html and "Riverside bridge reopens after repairs" in html


def test_everything_from_inputs_is_escaped(client: TestClient, built_archive: Fixture):
    doc = client.get(f"/documents/{built_archive.hostile_doc}").text
    story_id = client.get(f"/api/documents/{built_archive.hostile_doc}").json()["story"]
    for html in (doc, client.get(f"/stories/{story_id}").text, client.get("/", params={"from": "2024-03-11"}).text):
        assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
        assert "javascript:" not in html.lower()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    search = client.get("/search", params={"q": '<b onmouseover="x">library</b>'}).text
    assert "<b onmouseover" not in search and "&lt;b onmouseover=&#34;x&#34;&gt;library&lt;/b&gt;" in search


def test_search_page_marks_matches_and_links_stories(client: TestClient, built_archive: Fixture):
    html = client.get("/search", params={"q": "Vladivostok"}).text
    assert "<mark>Vladivostok</mark>" in html
    assert f'href="/stories/{built_archive.seed_story}"' in html
    assert "No article contains" in client.get("/search", params={"q": "zzzqqq"}).text


def test_missing_pages_are_friendly_404s(client: TestClient):
    response = client.get("/stories/424242")
    assert response.status_code == 404 and "There is no story 424242" in response.text
    assert client.get("/documents/nope").status_code == 404


def test_disagreements_section_shows_the_analysis(archive_copy: Fixture, monkeypatch: pytest.MonkeyPatch):
    """The section is there on the first view, without a reload (the analysis itself is stubbed here)."""
    import tidings.serve.analysis as analysis_module
    import tidings.serve.service as service_module

    monkeypatch.setattr(analysis_module, "available", lambda: True)
    app = create_app(archive_copy.path, config(), TOKEN)
    with TestClient(app) as c:
        story = c.get(f"/api/stories/{archive_copy.bridge_story}").json()
        ap, dc = story["documents"][0]["id"], story["documents"][2]["id"]
        fake = [
            {
                "about": "repair cost",
                "values": [
                    {"value": "48 million dollars", "quote": "cost the city 48 million dollars", "sources": [ap]},
                    {"value": "52 million dollars", "quote": "cost of the repairs at 52 million", "sources": [dc]},
                ],
            }
        ]
        monkeypatch.setattr(service_module, "story_analysis", lambda documents, config: {"disagreements": fake})
        html = c.get(f"/stories/{archive_copy.bridge_story}").text
        assert "Where sources disagree" in html and "repair cost" in html
        assert "48 million dollars" in html and "52 million dollars" in html
        assert html.count('href="/documents/') > 3


def test_real_analysis_when_installed(archive_copy: Fixture):
    if not pages_analysis_available():
        pytest.skip("tidings.analyze is not installed in this tree")
    app = create_app(archive_copy.path, config(), TOKEN)
    with TestClient(app) as c:
        c.get(f"/stories/{archive_copy.seed_story}")
        app.state.service.worker.cycle()
        html = c.get(f"/stories/{archive_copy.seed_story}").text
        assert "Checking where the sources disagree" not in html
        assert "Where sources disagree" in html  # the seed articles give 8,000 / more than 10,000 workers


def pages_analysis_available() -> bool:
    from tidings.serve import analysis

    return analysis.available()


def test_pages_module_has_the_rule_the_archive_implements():
    assert "day (UTC) of their latest article" in pages.RANK_RULE


def test_a_story_page_never_waits_for_its_analysis(archive_copy: Fixture, monkeypatch: pytest.MonkeyPatch):
    """With a worker, an unanalysed story's page answers at once, says so and refreshes itself; the worker
    analyses it, and the next view has it."""
    import tidings.serve.analysis as analysis_module
    import tidings.serve.service as service_module

    monkeypatch.setattr(analysis_module, "available", lambda: True)
    fake = {"disagreements": [], "quotes": [{"speaker": "The mayor", "quote": "It is open.", "sources": []}]}
    monkeypatch.setattr(service_module, "story_analysis", lambda documents, config: fake)
    app = create_app(archive_copy.path, config(worker=True, summary_delay=0.01), TOKEN)
    with TestClient(app) as c:
        app.state.service.worker.ready.wait(30)
        first = c.get(f"/stories/{archive_copy.bridge_story}").text
        assert "this page refreshes itself" in first and 'http-equiv="refresh"' in first
        assert "Who said what" not in first
        for _ in range(100):  # the background worker analyses it
            second = c.get(f"/stories/{archive_copy.bridge_story}").text
            if "Who said what" in second:
                break
            time.sleep(0.1)
        assert "Who said what" in second and "It is open." in second and 'http-equiv="refresh"' not in second
