"""Quote spans and speakers on short texts written in the shapes news uses (rules path)."""

from __future__ import annotations

from tidings.analyze.entities import merge_entities
from tidings.analyze.nlp import RuleFinder
from tidings.analyze.quotes import find_quotes
from tidings.model import Document
from tidings.segment import segment


def _quotes(text: str) -> dict[str, str | None]:
    mentions = RuleFinder().mentions(text)
    index = merge_entities({"d": mentions})
    canonical = {start: name for (_, start), name in index.canonical.items()}
    found = find_quotes("d", text, segment(Document(id="d", text=text)), mentions, canonical, index.titles)
    return {q.quote[:24]: q.speaker for q in found}


def test_titles_of_works_are_not_quotes():
    text = (
        "The townhouse that served as Carrie Bradshaw’s home in “Sex and the City Returns Today” is for sale.\n\n"
        "Her single “Where Have You Been Lately” topped the chart, the label said."
    )
    assert _quotes(text) == {}


def test_the_person_in_an_attribution_wins_over_a_place_before_it():
    text = "“I’ve lived in Anaheim my whole life and never saw this,” said Anaheim resident Joe Castaneda."
    assert _quotes(text) == {"I’ve lived in Anaheim my": "Joe Castaneda"}


def test_a_pronoun_follows_the_person_the_text_turned_to():
    text = (
        "“The video was altered, and experts have looked at it,” Chris Wallace said.\n\n"
        "This is where Kellyanne Conway went into spin mode.\n\n"
        "“By that do you mean sped up? That is not altered,” she said."
    )
    assert _quotes(text)["By that do you mean sped"] == "Kellyanne Conway"


def test_a_pronoun_keeps_the_speaker_when_nobody_new_comes_in():
    text = (
        "Gov. Mary Fallin toured the town on Sunday.\n\n"
        "“So far, we have had great response,” she said, thanking FEMA Director Craig Fugate.\n\n"
        "“This is a massive debris field,” she said."
    )
    assert _quotes(text)["This is a massive debris"] == "Mary Fallin"


def test_a_document_is_never_the_speaker():
    text = (
        "Anaheim Police said in a news release that officers were on hand.\n\n"
        "“Those officers were on scene immediately as the violence erupted,” according to the statement.\n\n"
        "“The page is full of claims we cannot check,” the report said."
    )
    speakers = _quotes(text)
    assert speakers["Those officers were on s"] == "Anaheim Police"
    assert speakers["The page is full of clai"] is None


def test_a_straight_mark_glued_after_a_comma_closes_the_quote():
    text = 'He spoke first. "Rescue operations are underway and help is on its way,"tweeted PM Narendra Modi.'
    assert _quotes(text) == {"Rescue operations are un": "Narendra Modi"}


def test_a_stray_word_is_not_a_speaker():
    text = (
        "Mercy Fitzgerald Hospital called the incident “a tragic event for our hospital and our community,” "
        "and said it was praying for the victims."
    )
    assert _quotes(text) == {"a tragic event for our h": "Mercy Fitzgerald Hospital"}
