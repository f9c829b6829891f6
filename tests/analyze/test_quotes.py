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


def test_a_speaker_after_a_dash_as_under_a_pull_quote():
    text = "“I still get jokes going through security at airports, you know,” — Damian Lewis, on his fans."
    assert _quotes(text) == {"I still get jokes going ": "Damian Lewis"}


def test_the_name_next_to_the_verb_speaks_and_a_place_after_of_does_not():
    text = (
        "“We remain confident that she will win the seat in the end,” McSally campaign CEO Jim Bognet said.\n\n"
        "“You could feel the pulsing energy in the crowd,” said Melodye Shore of Laguna Niguel."
    )
    assert _quotes(text) == {"We remain confident that": "Jim Bognet", "You could feel the pulsi": "Melodye Shore"}


def test_a_relative_named_by_whose_relative_they_are_is_not_that_person():
    text = "Paul Conroy's wife said on Sunday that her husband had been told they were “not to be trusted at all”."
    assert _quotes(text) == {"not to be trusted at all": "Paul Conroy's wife"}


def test_organisations_speak_through_descriptions_and_it():
    text = (
        "Crayola Company responded to the trend on its website on Monday.\n\n"
        "“Safety is our top priority at all times,” the company said.\n\n"
        "The Qingyuan Public Security Bureau said the fire was caused by arson. “The authorities are stepping "
        "up their investigation,” it said."
    )
    speakers = _quotes(text)
    assert speakers["Safety is our top priori"] == "Crayola Company"
    assert speakers["The authorities are step"] == "Qingyuan Public Security Bureau"


def test_a_verb_with_its_own_clause_after_a_quote_opens_a_new_statement():
    text = (
        "Donald Trump took to Twitter on Thursday morning. He wrote: “THE FAKE NEWS MEDIA IS THE OPPOSITION "
        "PARTY. BUT WE ARE WINNING!” The Morning News of Savannah said it was a friend to the people."
    )
    assert _quotes(text) == {"THE FAKE NEWS MEDIA IS T": "Donald Trump"}


def test_a_pronoun_is_a_person_and_the_one_who_spoke_is_preferred():
    text = (
        "“We will never stop reading,” the newspaper said.\n\n"
        "In an interview with the Journal du Dimanche, Professor Alain Carpentier said he began three decades ago. "
        "“I was confronted with a painful situation,” he said."
    )
    assert _quotes(text)["I was confronted with a "] == "Alain Carpentier"
