"""The summarizer: candidates, budget, redundancy, representatives and citations."""

from tidings import summarize
from tidings.config import Config, SummarizeConfig
from tidings.dedup import deduplicate
from tidings.model import Document, Sentence
from tidings.pipeline import as_documents
from tidings.segment import segment
from tidings.summarize import is_candidate, needs_context, summarize_sentences

from .helpers import OTHER, SPUN, WIRE, jaccard_words


def _prepared(texts: dict[str, str]):
    docs = [Document(id=k, text=v) for k, v in texts.items()]
    sentences = {d.id: segment(d) for d in docs}
    marked, dedup = deduplicate(docs, sentences)
    return marked, sentences, dedup


def test_candidates_exclude_questions_fragments_and_unbalanced_quotes():
    cfg = SummarizeConfig()
    ok = Sentence("d", 0, 0, 0, "Putin and Kim will meet next week in Vladivostok, the Kremlin said.")
    question = Sentence("d", 0, 0, 0, "Will Putin and Kim meet next week in Vladivostok as the Kremlin said?")
    fragment = Sentence("d", 0, 0, 0, "Putin and Kim will meet next week in Vladivostok, the Kremlin said")
    quote = Sentence("d", 0, 0, 0, "“Putin and Kim will meet next week in Vladivostok, the Kremlin said.")
    assert is_candidate(ok, cfg)
    assert not any(is_candidate(s, cfg) for s in (question, fragment, quote))
    lost = Sentence("d", 2, 0, 0, "“The family is not good,” his mother said, adding that he had been ill.\ufffd")
    assert not is_candidate(lost, cfg)


def test_dangling_sentences_need_their_predecessor():
    assert needs_context(Sentence("d", 3, 0, 0, "He said the talks would continue next week in Moscow."))
    assert needs_context(Sentence("d", 3, 0, 0, "This means the talks will continue next week in Moscow."))
    assert needs_context(Sentence("d", 3, 0, 0, "Second, they argued that tax cuts work faster than spending."))
    assert needs_context(Sentence("d", 3, 0, 0, "In fact, the maneuver has had some immediate effect on the talks."))
    assert not needs_context(Sentence("d", 3, 0, 0, "Second-degree murder charges were filed against him on Monday."))
    assert not needs_context(Sentence("d", 0, 0, 0, "This week the talks continued in Moscow as planned."))


def test_representative_is_the_original_and_cites_every_copy():
    docs, sentences, dedup = _prepared({"spun": SPUN, "wire": WIRE, "other": OTHER})
    out = summarize_sentences(docs, sentences, dedup, SummarizeConfig(words=60))
    shared = [s for s in out if {"spun", "wire"} <= set(s.sources)]
    assert shared, "a sentence carried by the wire story and its rewrite should cite both"
    for s in shared:
        assert s.citations[0].doc_id == "wire"  # the original's wording, not the spun copy's
        assert " ," not in s.text
        assert s.independent == len({dedup.root(d) for d in s.sources})


def test_word_budget_and_sentence_budget():
    docs, sentences, dedup = _prepared({"wire": WIRE, "other": OTHER})
    out = summarize_sentences(docs, sentences, dedup, SummarizeConfig(words=40))
    assert 0 < sum(len(s.text.split()) for s in out) <= 40 + 5
    out = summarize_sentences(docs, sentences, dedup, SummarizeConfig(words=None, sentences=2))
    assert len(out) == 2


def test_no_duplicated_fact():
    docs, sentences, dedup = _prepared({"spun": SPUN, "wire": WIRE, "other": OTHER})
    out = summarize_sentences(docs, sentences, dedup, SummarizeConfig(words=200))
    texts = [s.text for s in out]
    assert all(jaccard_words(a, b) <= 0.6 for i, a in enumerate(texts) for b in texts[:i])


def test_python_api_on_plain_strings():
    summary = summarize([WIRE, OTHER], words=50)
    assert summary.sentences
    assert {d.id for d in summary.documents} == {"d1", "d2"}
    assert all(set(s.sources) <= {"d1", "d2"} for s in summary.sentences)


def test_config_budget_override():
    summary = summarize([WIRE, OTHER], config=Config(summarize=SummarizeConfig(words=None, sentences=1)))
    assert len(summary.sentences) == 1


def test_caption_sentences_are_not_candidates():
    cfg = SummarizeConfig()
    caption = Sentence("d", 0, 0, 0, "In this April 15, 2015 photo, a large crowd lines up outside a new store.")
    assert not is_candidate(caption, cfg)


def test_paraphrases_never_both_enter_a_summary():
    from tidings.embed import encode

    a = "Kim Jong Un will meet Vladimir Putin in Vladivostok next week, the Kremlin said on Thursday."
    b = "The Kremlin said on Thursday that the North Korean leader is to hold talks with Putin in Vladivostok soon."
    c = "About 10,000 North Korean workers in Russia must go home by the end of the year under UN sanctions."
    assert float(encode([a])[0] @ encode([b])[0]) < 0.9  # not a copy: a paraphrase
    summary = summarize([a, b, c], words=200)
    texts = [s.text for s in summary.sentences]
    assert not (a in texts and b in texts)
    assert c in texts


def test_fallback_lead_instead_of_an_empty_summary():
    # every sentence is too short to be a candidate, as in a feed of one-line briefs
    docs, sentences, dedup = _prepared({"a": "Storm closes roads. Rivers rise fast. Schools shut today.", "b": "Rain."})
    chosen = summarize_sentences(docs, sentences, dedup, SummarizeConfig(words=50))
    assert [s.text for s in chosen] == ["Storm closes roads.", "Rivers rise fast.", "Schools shut today."]
    assert all(s.fallback for s in chosen) and chosen[0].citations[0].doc_id == "a"


def test_fallback_lead_when_every_candidate_continues_a_sentence_that_is_not_one():
    # the only candidate opens with "That's": it may follow only its predecessor, which is too short to be chosen
    text = "Two hours and 39 seconds. That's what it took Kenyan runner Eliud Kipchoge to break the record in Berlin."
    docs, sentences, dedup = _prepared({"a": text})
    chosen = summarize_sentences(docs, sentences, dedup, SummarizeConfig(words=40))
    assert [s.text for s in chosen][:1] == ["Two hours and 39 seconds."] and all(s.fallback for s in chosen)


def test_one_source_is_summarized_by_its_opening_and_copies_are_cited():
    article = (
        "Kim Jong Un will meet Vladimir Putin in Vladivostok next week, the Kremlin said on Thursday. "
        "Kim Jong Un will meet Vladimir Putin in Vladivostok next week, the Kremlin said. "
        "The talks will focus on the North Korean nuclear programme and on sanctions relief. "
        "The leaders last met , officials said , in a different year than expected. "
        "Russia's trade with North Korea is tiny and worth about $100 million a year, experts said."
    )
    docs, sentences, dedup = _prepared({"wire": article, "copy": article})
    chosen = summarize_sentences(docs, sentences, dedup, SummarizeConfig(words=45))
    assert [s.text for s in chosen] == [
        "Kim Jong Un will meet Vladimir Putin in Vladivostok next week, the Kremlin said on Thursday.",
        "The talks will focus on the North Korean nuclear programme and on sanctions relief.",
        "Russia's trade with North Korea is tiny and worth about $100 million a year, experts said.",
    ]  # the repeated opening and the garbled sentence are skipped
    assert {c.doc_id for c in chosen[0].citations} == {"wire", "copy"} and chosen[0].independent == 1
    assert not any(s.fallback for s in chosen)


def test_a_lead_that_comes_back_to_a_word_far_on_is_still_the_opening():
    # a long news lead returns to a stem ("canceling ... cancel", "President-elect ... election"): not spinning
    lead = (
        "North Korea is canceling a high-level meeting with the South and is threatening also to cancel its "
        "summit with the United States, the Yonhap News Agency said on Wednesday."
    )
    rest = "The two Koreas were to meet at a border village. Military drills began on Friday, officials said."
    docs, sentences, dedup = _prepared({"a": f"{lead} {rest}"})
    chosen = summarize_sentences(docs, sentences, dedup, SummarizeConfig(words=40))
    assert chosen[0].text == lead and not chosen[0].fallback


def test_a_lead_restated_later_in_its_article_is_told_as_the_lead():
    lead = "At least 14 people were killed when a bus caught fire after a collision with a truck in Tatarstan today."
    later = (
        "At least 14 people were killed when a bus caught fire after a collision with a truck being towed in "
        "Tatarstan today, investigators said."
    )
    text = f"{lead} The crash happened early in the morning on a highway. {later}"
    docs, sentences, dedup = _prepared({"a": text})
    assert dedup.duplicates(sentences["a"][0]) != ((("a", 0)),)  # the two tellings are near-duplicates
    chosen = summarize_sentences(docs, sentences, dedup, SummarizeConfig(words=40))
    assert chosen[0].text == lead


def test_a_name_in_lower_case_may_open_a_candidate():
    cfg = SummarizeConfig()
    assert is_candidate(Sentence("d", 0, 0, 0, "iOS 11 is around the corner and Apple is planning big changes."), cfg)
    assert not is_candidate(Sentence("d", 0, 0, 0, "and Apple is planning big changes to its phones this year."), cfg)
    # a splitter's cut before a dash leaves a fragment
    assert not is_candidate(Sentence("d", 1, 0, 0, "— a Coney Island tower riddled with violations, they say."), cfg)


def test_corpus_boilerplate_is_never_chosen():
    from tidings.clean import CorpusBoilerplate
    from tidings.pipeline import prepare, summarize_prepared

    widget = "Support our journalism and join thousands of readers like you today."
    index = CorpusBoilerplate(min_groups=2)
    index.add("other-1", [widget])
    index.add("other-2", [widget])
    docs = [f"{widget} Kim will meet Putin in Vladivostok next week, the Kremlin said on Thursday.", WIRE]
    prepared = prepare(as_documents(docs))
    texts = [s.text for s in summarize_prepared(prepared, boilerplate=index).sentences]
    assert widget not in texts and texts


def test_facets_count_independent_sources_not_phrasings():
    from tidings.embed import encode
    from tidings.summarize import _facets

    texts = [
        "Tens of thousands of North Korean workers in Russia must be sent home by the end of the year under UN"
        " sanctions.",
        "Under UN sanctions, all the North Korean workers in Russia will have to be sent home by the end of the year.",
        "Russia's trade with North Korea is tiny, worth about $100 million a year, experts said.",
        "Annual trade between Russia and North Korea is worth only about $100 million, experts said.",
        "Kim Jong Un will meet Vladimir Putin next week, the Kremlin said on Thursday.",
        "Kim Jong Un and Vladimir Putin are expected to meet in Vladivostok, officials said.",
    ]
    labels, support = _facets(encode(texts), ["a", "b", "a", "a", "c", "b"])
    assert labels[0] == labels[1] and labels[2] == labels[3] and labels[4] == labels[5]
    assert len({labels[0], labels[2], labels[4]}) == 3
    assert support[0] > support[2] == 0  # workers: two sources; trade: two phrasings of one source


def test_a_story_of_short_briefs_gets_a_marked_lead():
    from tidings.pipeline import prepare, summarize_prepared

    brief = Document(id="brief", text="Donald Trump said on Tuesday he will hold a press conference on January 11.")
    summary = summarize_prepared(prepare([brief]))
    assert [s.text for s in summary.sentences] == [brief.text]
    assert summary.fallback and [d.id for d in summary.documents] == ["brief"] and not summary.problems


def test_identical_copies_make_a_summary():
    text = "Kim Jong Un will meet Vladimir Putin in Vladivostok next week, the Kremlin said on Thursday."
    summary = summarize([text, text], words=40)
    assert [s.text for s in summary.sentences] == [text] and sorted(summary.sentences[0].sources) == ["d1", "d2"]
