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


def test_escaped_markdown_renders_as_the_plain_text_it_was():
    # A CommonMark renderer (markdown-it, which rich brings) must show an article's text as text: no link, image,
    # HTML or emphasis made from it, and nothing lost or added; parentheses ("(AP)") need no escaping for that.
    from markdown_it import MarkdownIt

    from tidings.render import md_escape

    hostile = [
        "<script>alert(1)</script> [x](javascript:y) ![i](http://x/y.png) *b* _c_ **d** `e` <http://x.y>",
        "[link]\n\n[link]: javascript:alert(1)",
        "1. not a list\n- nor this\n# nor a heading\n> nor a quote",
        "Rep. Jackie Speier (D-Calif.) said (AP) | a ~~b~~ c &amp; d",
        "](javascript:x) [(a)](b) !\\[z\\](y)",
    ]
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    for text in hostile:
        tokens = [t for block in md.parse(md_escape(text)) for t in (block.children or [block])]
        assert not {t.type for t in tokens} & {
            "link_open",
            "image",
            "html_inline",
            "html_block",
            "em_open",
            "strong_open",
            "code_inline",
            "s_open",
            "heading_open",
            "bullet_list_open",
            "ordered_list_open",
            "blockquote_open",
        }
        shown = "\n".join(t.content for t in tokens if t.type == "text" or t.type == "softbreak")
        assert shown.replace("\n", "") == text.replace("\n", "")
    assert "(D-Calif.)" in md_escape(hostile[3])
