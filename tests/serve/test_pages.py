"""Formatting for the pages and the API, without a server: highlights, leads, windows, pagers, groups."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tidings.model import Document
from tidings.serve import pages
from tidings.store import StoryRow


def test_highlight_marks_spans_and_anchors_each_sentence_once():
    text = "First sentence here. Second one.\n\nThird sentence. Fourth."
    second, third = text.index("Second"), text.index("Third")
    spans = [(second, third + len("Third"), 2), (0, 20, 1), (6, 14, 3)]  # sentence 2 runs over two paragraphs
    paragraphs = pages.highlight(text, spans)
    assert len(paragraphs) == 2
    assert "".join(p.text for p in paragraphs[0]) + "\n\n" + "".join(p.text for p in paragraphs[1]) == text
    pieces = [(p.text, p.mark, p.anchor) for para in paragraphs for p in para]
    assert pieces[:3] == [("First ", 1, "s1"), ("sentence here.", 1, "s3"), (" ", None, None)]
    assert pieces[3] == ("Second one.", 2, "s2")
    assert pieces[4] == ("Third", 2, None)  # the continuation in the next paragraph: marked, no second anchor
    assert pieces[5] == (" sentence. Fourth.", None, None)


def test_highlight_gives_every_sentence_an_anchor_even_on_the_same_span():
    pieces = pages.highlight("Same words.", [(0, 11, 1), (0, 11, 2)])[0]
    assert [(p.text, p.anchor) for p in pieces] == [("", "s2"), ("Same words.", "s1")]


def test_highlight_ignores_spans_outside_the_text():
    assert pages.highlight("Short.", [(50, 60, 1), (3, 2, 2)]) == [[pages.Piece("Short.")]]


def test_lead_is_about_two_lines_cut_at_a_word():
    summary = {"summary": [{"text": "One two three. " * 30}, {"text": "Never shown."}]}
    lead = pages.lead(summary, chars=100)
    assert lead.endswith("…") and len(lead) <= 101 and "Never" not in lead
    assert pages.lead({"summary": [{"text": "Short."}, {"text": "Also short."}]}) == "Short. Also short."
    assert pages.lead(None) == ""


def test_front_window_filters_and_messages():
    latest = datetime(2024, 3, 12, 18, tzinfo=UTC)
    current = pages.front_window(latest, 3, None, None)
    assert current.current and current.start == datetime(2024, 3, 10, tzinfo=UTC) and current.end is None
    assert current.query == {}
    ranged = pages.front_window(latest, 3, "2024-03-01", "2024-03-05")
    assert (ranged.start, ranged.end) == (datetime(2024, 3, 1, tzinfo=UTC), datetime(2024, 3, 6, tzinfo=UTC))
    assert ranged.query == {"from": "2024-03-01", "to": "2024-03-05"} and ranged.older == "/?to=2024-02-29"
    assert pages.front_window(None, 3, None, None).start is None  # an empty archive
    with pytest.raises(ValueError, match="from: 'March' is not a date"):
        pages.front_window(latest, 3, "March", None)
    with pytest.raises(ValueError, match="before from"):
        pages.front_window(latest, 3, "2024-03-05", "2024-03-01")


def test_pager_clamps_and_keeps_filters():
    assert pages.pager(0, 1, 20, {}).pages == 1
    last = pages.pager(41, 99, 20, {"from": "2024-03-01"})
    assert (last.page, last.next, last.prev) == (3, None, "/?from=2024-03-01&page=2")


def test_safe_url_allows_only_http_links():
    assert pages.safe_url("https://a.example/x") == "https://a.example/x"
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "file:///etc/passwd", "//a.b", ""):
        assert pages.safe_url(bad) is None


def test_sources_grouped_by_syndication_then_independent_reports():
    docs = [
        Document(id="ap", text="t", outlet="AP", published=datetime(2024, 3, 12, tzinfo=UTC)),
        Document(id="c1", text="t", outlet="Valley News", copy_of="ap"),
        Document(id="c2", text="t", url="https://www.herald.example/x", copy_of="ap"),
        Document(id="own", text="t", title="Own report"),
    ]
    numbers = pages.numbering(None, docs)
    groups = pages.source_groups(docs, numbers)
    assert [g.label for g in groups] == ["AP story, carried by 3 outlets", "Independent reports"]
    assert [i.outlet for i in groups[0].items] == ["AP", "Valley News", "herald.example"]
    assert groups[1].items[0].outlet == "outlet not known"
    assert pages.source_hint(docs[0]) == "AP, 12 Mar 2024"


def test_cited_summary_links_each_citation_to_its_highlighted_sentence():
    docs = [Document(id="a", text="x", title="T", outlet="O", published=datetime(2024, 3, 12, tzinfo=UTC))]
    summary = {"summary": [{"text": "S.", "sources": ["a", "gone"], "independent_sources": 1}], "documents": []}
    [sentence] = pages.cited_summary(summary, docs, pages.numbering(summary, docs))
    [ref] = sentence.refs  # a source no longer in the story is dropped, not a broken link
    assert (ref.number, ref.href, ref.hint) == (1, "/documents/a#s1", "O, 12 Mar 2024 — T")


def test_snippet_pieces_split_on_marks():
    snip = f"the {pages.MARK_OPEN}bridge{pages.MARK_CLOSE} reopened"
    assert pages.snippet_pieces(snip) == [("the ", False), ("bridge", True), (" reopened", False)]
    assert pages.snippet_text(snip) == "the [bridge] reopened"


def _row(**changes: object) -> StoryRow:
    base = dict(
        id=67,
        title=None,
        first_published=None,
        last_published=None,
        first_seen=None,
        last_seen=None,
        size=2,
        independent=2,
        version=1,
        summary=None,
        summary_version=0,
    )
    return StoryRow(**{**base, **changes})  # type: ignore[arg-type]


def test_a_story_is_never_called_by_its_number():
    summary = {"summary": [{"text": "WASHINGTON (AP) — The Senate passed the budget late on Tuesday. More."}]}
    assert pages.story_title(_row(summary=summary)) == "The Senate passed the budget late on Tuesday"
    assert pages.story_title(_row(title="Budget passes")) == "Budget passes"
    assert "67" not in pages.story_card(_row()).title


def test_a_story_span_is_its_publication_dates_or_says_it_has_none():
    day1, day3 = datetime(2019, 4, 17, tzinfo=UTC), datetime(2019, 4, 19, tzinfo=UTC)
    seen = datetime(2026, 11, 30, tzinfo=UTC)
    dated = _row(first_published=day1, last_published=day3, first_seen=seen, last_seen=seen)
    assert pages.story_span(dated) == "17 Apr 2019 – 19 Apr 2019"
    assert pages.story_card(dated).when == day3
    undated = _row(first_seen=seen, last_seen=seen)
    assert pages.story_span(undated) == "no publication date · first seen 30 Nov 2026"
