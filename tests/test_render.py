"""Rendered outputs: the JSON contract, Markdown citations, escaped HTML."""

import json
from datetime import UTC, datetime

from tidings.model import Citation, Document, Problem, Summary, SummarySentence
from tidings.render import render


def _summary(title: str = "Bridge <b>reopens</b>", url: str | None = "https://example.com/a?x=1&y=2") -> Summary:
    docs = (
        Document(
            id="a",
            text="The bridge reopens Monday.",
            title=title,
            url=url,
            outlet="Daily",
            published=datetime(2024, 3, 12, tzinfo=UTC),
        ),
        Document(id="b", text="The bridge reopens Monday.", path="b.txt", copy_of="a"),
    )
    sentence = SummarySentence(
        text="The bridge <script>alert(1)</script> reopens Monday.",
        citations=(Citation("a", 0, 26), Citation("b", 0, 26)),
        independent=1,
    )
    return Summary((sentence,), docs, (Problem("c.txt", "empty file"),), independent_sources=1)


def test_json_contract():
    data = json.loads(render(_summary(), "json"))
    assert set(data) >= {"summary", "documents", "problems"}
    assert data["summary"][0]["sources"] == ["a", "b"]
    assert data["summary"][0]["text"].startswith("The bridge")
    doc = data["documents"][1]
    assert set(doc) >= {"id", "path", "url", "title", "outlet", "published", "copy_of"}
    assert doc["copy_of"] == "a"
    assert data["documents"][0]["published"].startswith("2024-03-12")
    assert data["problems"] == [{"input": "c.txt", "reason": "empty file"}]


def test_markdown_numbers_citations_and_lists_sources():
    md = render(_summary(), "md")
    assert "reopens Monday. [1][2]" in md
    assert "1. **Bridge \\<b\\>reopens\\</b\\>** — Daily, 2024-03-12 — <https://example.com/a?x=1&y=2>" in md
    assert "<script>" not in md and "\\<script\\>" in md
    assert "copy of [1]" in md
    assert "1 independent source." in md
    assert "c.txt: empty file" in md


def test_html_escapes_everything_from_inputs():
    html = render(_summary(), "html")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "Bridge &lt;b&gt;reopens&lt;/b&gt;" in html
    assert 'href="https://example.com/a?x=1&amp;y=2"' in html
    assert 'href="#src-1"' in html


def test_html_refuses_javascript_urls():
    html = render(_summary(url="javascript:alert(1)"), "html")
    assert 'href="javascript:' not in html


def test_markdown_links_only_web_addresses_as_a_browser_reads_them():
    assert "javascript" not in render(_summary(url="javascript:alert(1)"), "md")
    assert "<https://evil.example/@good.example/>" in render(_summary(url="https://evil.example\\@good.example/"), "md")
