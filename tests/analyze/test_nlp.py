"""Name finding and typing (rules path; the spaCy path where its model is installed)."""

from __future__ import annotations

import pytest

from tidings.analyze.nlp import RuleFinder, SpacyFinder, spacy_available, with_surnames


def _types(text: str) -> dict[str, str]:
    return {m.text: m.type for m in RuleFinder().mentions(text)}


def test_a_name_before_a_place_noun_is_a_place():
    assert _types("Crowds crossed the Elm Grove bridge on Tuesday.") == {"Elm Grove": "place"}


def test_a_name_ending_in_a_bare_letter_is_not_a_person():
    types = _types("He wrote about Plan B in his book. The suspect, Angelo L. of Detroit, was held.")
    assert "Plan B" not in types
    assert types.get("Angelo L") == "person"


def test_surnames_of_people_named_in_another_article_are_people():
    texts = {
        "a": "President Barack Obama spoke to House Democrats on Saturday.",
        "b": "But when Obama spoke, he was not reaching for tricks. Senate Intelligence Committee members listened.",
    }
    mentions = {doc_id: RuleFinder().mentions(text) for doc_id, text in texts.items()}
    mentions["a"].append(type(mentions["a"][0])(0, 0, "National Intelligence", "person"))  # a misread elsewhere
    found = with_surnames(texts, mentions)
    names = {(m.text, m.type) for m in found["b"]}
    assert ("Obama", "person") in names
    assert ("Intelligence", "person") not in names  # inside a longer name: not a surname standing alone


@pytest.mark.skipif(not spacy_available(), reason="needs the analyze extra")
def test_spacy_names_before_place_nouns_and_plural_groups_are_not_people():
    found = {
        m.text: m.type
        for m in SpacyFinder().mentions(
            "The Riverside bridge reopened on Tuesday. Three Klansmen were arrested, Joe Castaneda said."
        )
    }
    assert found.get("Riverside") != "person"
    assert found.get("Klansmen") != "person"


@pytest.mark.skipif(not spacy_available(), reason="needs the analyze extra")
def test_spacy_names_with_an_apostrophe_are_kept_whole():
    found = [m.text for m in SpacyFinder().mentions("“Chronic pain is tiring,” writes Maggie O’Farrell in her book.")]
    assert "Maggie O’Farrell" in found


@pytest.mark.skipif(not spacy_available(), reason="needs the analyze extra")
def test_spacy_organisations_after_a_person_role_are_people():
    text = "A flotilla of boats came to the city, according to Cajun Navy organizer Clyde Cain."
    found = {m.text: m.type for m in SpacyFinder().mentions(text)}
    assert found.get("Clyde Cain") == "person"
    assert found.get("Cajun Navy") == "organization"
