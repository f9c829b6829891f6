"""Search terms and snippets: bounded work whatever the query and the document."""

from tidings.store import search
from tidings.store.search import MAX_TERMS, match_expression, query_terms, snippet

SENTENCE = "The Council approved the bridge plan on Tuesday after a long debate about costs and traffic. "


def test_terms_are_distinct_capped_and_never_syntax():
    assert query_terms("the " * 125) == ["the"]
    many = " ".join(f"word{i}" for i in range(40))
    assert len(query_terms(many)) == MAX_TERMS
    assert query_terms('NEAR(" a b ") OR x*') == ["near", "a", "b", "or", "x"]
    assert query_terms("\x00\x01 ") == []
    assert match_expression(["or", "x"]) == '"or" "x"'


def test_snippet_of_a_huge_repetitive_page_is_short_and_marked(monkeypatch):
    seen = []
    real = search._window
    monkeypatch.setattr(
        search,
        "_window",
        lambda text, at, words, hits, marks: seen.append(len(hits)) or real(text, at, words, hits, marks),
    )
    text = SENTENCE * 12_000  # about 1 MB
    out = snippet(text, ["council", "bridge"], words=24)
    assert out.startswith("… ") or out.startswith("The")
    assert "[Council]" in out and "[bridge]" in out
    assert len(out.split()) <= 32
    assert seen == [search.MAX_MATCHES]  # the scan stopped after MAX_MATCHES matches


def test_snippet_marks_word_forms():
    out = snippet("Officials said the new bridges over the river will open in May.", ["bridge", "open"], words=12)
    assert "[bridges]" in out and "[open]" in out and "[over]" not in out
