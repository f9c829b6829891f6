"""End to end on the bundled seed cluster: what a user gets from `tidings summarize examples/seed-cluster`."""

import json
from pathlib import Path

import pytest

from tidings import pipeline
from tidings.clean import clean_document
from tidings.config import Config
from tidings.ingest import load
from tidings.model import Document
from tidings.pipeline import prepare, summarize_paths, summarize_prepared
from tidings.summarize import summarize_sentences

from .helpers import containment, jaccard_words


def test_seed_summary_is_about_150_words_and_cites_real_documents(seed_summary):
    assert 110 <= seed_summary.n_words <= 175
    assert seed_summary.problems == ()
    ids = {d.id for d in seed_summary.documents}
    assert len(ids) == 5
    for s in seed_summary.sentences:
        assert s.sources and set(s.sources) <= ids


def test_each_cited_document_contains_the_sentence(seed_summary, seed_dir: Path):
    for s in seed_summary.sentences:
        for doc_id in s.sources:
            raw = (seed_dir / f"{doc_id}.txt").read_text(encoding="utf-8")
            assert containment(s.text, raw) >= 0.8, (doc_id, s.text)


def test_citation_spans_are_exact(seed_summary):
    for s in seed_summary.sentences:
        first = s.citations[0]
        doc = seed_summary.document(first.doc_id)
        assert doc.text[first.start : first.end] == s.text


def test_no_boilerplate_in_the_summary(seed_summary, seed_dir: Path):
    """No summary sentence comes from a line the cleaner (or a human) would call junk."""
    junk: list[str] = []
    for doc in load([seed_dir]).documents:
        junk += [line.text for line in clean_document(doc).dropped]
    for s in seed_summary.sentences:
        assert all(containment(s.text, j) < 0.8 for j in junk if len(j.split()) >= 4), s.text
        lowered = s.text.lower()
        assert not any(w in lowered for w in ("comment", "akismet", "photo", "image copyright", "subscribe"))


def test_no_near_duplicates_and_no_dangling_openers(seed_summary):
    texts = [s.text for s in seed_summary.sentences]
    assert all(jaccard_words(a, b) <= 0.6 for i, a in enumerate(texts) for b in texts[:i])
    for s in seed_summary.sentences:
        assert not s.text.lower().startswith(("he ", "she ", "they ", "it ", "this ", "these "))


def test_dangling_sentence_follows_its_predecessor():
    text = (
        "Kim Jong Un arrived in Vladivostok on Wednesday for his first summit with Vladimir Putin. "
        "He was greeted at the station by Russian officials and a military band playing anthems."
    )
    prepared = prepare([Document(id="a", text=text)])
    out = summarize_sentences(prepared.documents, prepared.sentences, prepared.dedup)
    for i, s in enumerate(out):
        if s.text.startswith("He "):
            assert i > 0 and out[i - 1].text.startswith("Kim Jong Un arrived")


@pytest.mark.parametrize("workers", [1, 2])
def test_bad_inputs_are_reported_and_the_rest_summarized(tmp_path: Path, seed_dir: Path, workers: int, monkeypatch):
    monkeypatch.setattr(pipeline, "PARALLEL_MIN", 2)  # so that two workers read these few inputs
    for f in sorted(seed_dir.glob("*.txt"))[:3]:
        (tmp_path / f.name).write_bytes(f.read_bytes())
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "nav.html").write_text("<html><body><nav><a href='/'>Home</a> <a>World</a></nav></body></html>")
    (tmp_path / "french.txt").write_text(
        "Le président russe Vladimir Poutine a rencontré jeudi le dirigeant nord-coréen Kim Jong-un à Vladivostok. "
        "Les deux dirigeants ont discuté du programme nucléaire et des sanctions internationales pendant des heures."
    )
    (tmp_path / "junk.txt").write_text("Please enter your comment!\nPlease enter your name here\nLeave a reply\n")
    summary = summarize_paths([tmp_path], workers=workers)
    reasons = {Path(p.input).name: p.reason for p in summary.problems}
    assert set(reasons) == {"empty.txt", "binary.txt", "nav.html", "french.txt", "junk.txt"}
    assert "fr" in reasons["french.txt"]
    assert "boilerplate" in reasons["junk.txt"]
    assert len(summary.documents) == 3
    assert summary.sentences


def test_languages_setting_accepts_french(tmp_path: Path):
    text = (
        "Le président russe Vladimir Poutine a rencontré jeudi le dirigeant nord-coréen Kim Jong-un à Vladivostok. "
        "Les deux dirigeants ont discuté du programme nucléaire et des sanctions internationales pendant des heures."
    )
    (tmp_path / "fr.txt").write_text(text)
    config = Config.from_dict({"ingest": {"languages": []}})
    prepared = prepare(load([tmp_path]).documents, config)
    assert prepared.problems == [] and len(prepared.documents) == 1


def test_html_documents_are_not_line_cleaned_twice(tmp_path: Path):
    paragraphs = [
        "The city's main harbour bridge will reopen to traffic on Monday after a three-week closure for repairs.",
        "What went wrong?",
        "Engineers found cracks in two steel supports during a routine inspection in February this year.",
    ]
    page = "<html><body><article>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>"
    (tmp_path / "bridge.html").write_text(page)
    doc = load([tmp_path]).documents[0]
    assert doc.format == "html"
    prepared = prepare([doc])
    assert prepared.documents[0].text == doc.text
    assert "What went wrong?" in doc.text


def test_config_refuses_an_unknown_paraphrase_judge():
    import pytest

    from tidings.config import SummarizeConfig
    from tidings.errors import ConfigError

    with pytest.raises(ConfigError, match=r"summarize\.paraphrase"):
        SummarizeConfig(paraphrase="bert")


def test_a_page_that_is_all_photo_captions_is_summarized_from_its_captions():
    caption = (
        "Fans cheer at the watch party for game 3 of the World Series on Friday at Progressive Field in Cleveland."
        " (Leah Klafczynski/Akron Beacon Journal)"
    )
    prepared = prepare([Document(id="p", text=caption)])
    assert not prepared.documents and prepared.problems  # the cleaner drops the caption, and says so
    summary = summarize_prepared(prepared)
    assert summary.sentences and summary.sentences[0].text.startswith("Fans cheer at the watch party")
    assert all(s.fallback for s in summary.sentences)
    assert not any("Klafczynski" in s.text for s in summary.sentences)  # the credit is still junk


def test_worker_processes_give_the_same_summary_and_problems_in_the_same_order(
    tmp_path: Path, seed_dir: Path, monkeypatch
):
    for f in sorted(seed_dir.glob("*.txt")):
        (tmp_path / f.name).write_bytes(f.read_bytes())
    (tmp_path / "empty.txt").write_text("")
    texts = [f.read_text(encoding="utf-8") for f in sorted(seed_dir.glob("*.txt"))[:2]]
    records = [
        {"id": "same", "text": texts[0]},
        {"id": "same", "text": texts[1]},
        {"id": "short", "text": "Too short."},
    ]
    (tmp_path / "records.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n{broken\n")
    serial = summarize_paths([tmp_path], workers=1)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN", 2)
    parallel = summarize_paths([tmp_path], workers=2)
    assert [(p.input, p.reason) for p in parallel.problems] == [(p.input, p.reason) for p in serial.problems]
    assert any("duplicate document id 'same'" in p.reason for p in serial.problems)
    assert [(s.text, s.citations) for s in parallel.sentences] == [(s.text, s.citations) for s in serial.sentences]
    assert [d.id for d in parallel.documents] == [d.id for d in serial.documents]
    assert parallel.independent_sources == serial.independent_sources


def test_prepare_in_worker_processes_equals_prepare_here(seed_dir: Path, monkeypatch):
    documents = load([seed_dir]).documents
    documents += [Document(id="tiny", text="Too short to count."), documents[0]]  # a short one, a duplicate id
    here = prepare(documents)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN", 2)
    there = prepare(documents, workers=2)
    assert [d.id for d in there.documents] == [d.id for d in here.documents]
    assert there.sentences == here.sentences
    assert [(p.input, p.reason) for p in there.problems] == [(p.input, p.reason) for p in here.problems]
    assert [d.id for d in there.short] == [d.id for d in here.short] == ["tiny"]


def test_a_short_page_that_talks_to_its_reader_is_not_an_article():
    page = Document(
        id="page",
        text=(
            "You're Almost There...\n\nYour custom domain mapping may take as little as 15-30 minutes to resolve, but "
            "in some cases it can take up to 24 hours. If you need more information, please visit our help center."
        ),
    )
    briefing = Document(
        id="news",
        text=(
            "Sarah Sanders was asked a simple question by CNN on Wednesday afternoon: did the president know? "
            '"You will have to ask him," she said. The lawyer declined to comment on the payment to the actress.'
        ),
    )
    prepared = prepare([page, briefing])
    assert [d.id for d in prepared.documents] == ["news"]  # its "you" is inside a quotation
    assert [p.input for p in prepared.problems] == ["page"]
    assert "addresses its reader" in prepared.problems[0].reason
