"""Story titles: the most central original article's headline, else a headline made from the summary's lead."""

from pathlib import Path

from tidings.config import Config
from tidings.model import Document
from tidings.pipeline import prepare, summarize_prepared
from tidings.store import Archive
from tidings.stream import ingest
from tidings.titles import central_article, display_title, headline_from, story_title

from .helpers import OTHER, SPUN, WIRE


def test_headlines_are_cut_at_a_clause_and_lose_datelines():
    assert (
        headline_from("LONDON (Reuters) - Britain said on Monday it would leave.")
        == "Britain said on Monday it would leave"
    )
    long = "Police say a patient opened fire inside his doctor's office today, killing his caseworker and wounding two."
    assert headline_from(long) == "Police say a patient opened fire inside his doctor's office today"
    words = " ".join(f"word{i}" for i in range(30))
    made = headline_from(words)
    assert made.endswith("…") and len(made.split()) == 12
    assert headline_from("   ") is None


def test_the_central_original_names_the_story_not_a_copy_or_an_outlier():
    docs = [
        Document(id="w", text=WIRE, title="Kim to travel to Russia for first summit with Putin"),
        Document(id="s", text=SPUN, title="Copy headline", copy_of="w"),
        Document(id="o", text=OTHER, title="Kim expected in Vladivostok"),
        Document(
            id="x",
            text="Tweet with a location. You can add location information to your Tweets.",
            title="Add a location",
        ),
    ]
    assert central_article(docs).id in {"w", "o"}
    assert central_article(docs).id != "x"
    assert central_article([docs[1]]) is None  # a copy's title is not an original's


def test_untitled_stories_get_a_headline_from_their_summary():
    docs = [Document(id="a", text=WIRE), Document(id="b", text=OTHER)]
    summary = summarize_prepared(prepare(docs, Config()), Config())
    title = story_title(docs, summary)
    assert title and not title.startswith("Story") and len(title.split()) <= 12
    assert title == headline_from(summary.sentences[0].text)
    assert display_title(None, None) == "Untitled story" and display_title("T", "x") == "T"


def test_archived_stories_always_have_a_title(tmp_path: Path):
    docs = [(Document(id="a", text=WIRE + " " + OTHER), None), (Document(id="b", text=SPUN + " " + OTHER), None)]
    with Archive(tmp_path / "a.db") as archive:
        ingest(archive, docs[:1], summaries=False)
        [story] = archive.stories()
        assert story.title == headline_from(WIRE)  # provisional: the first article's lead
        ingest(archive, docs[1:])
        [story] = archive.stories()
        assert story.title and story.title == headline_from(story.summary["summary"][0]["text"])


def test_a_headline_says_what_happened_not_the_scene_setting_opening():
    lead = (
        "Following the Seattle Reign’s 2-1 defeat to the Washington Spirit on Wednesday, Megan Rapinoe responded to "
        "the Spirit’s decision to play the national anthem while the teams were in the locker room."
    )
    assert headline_from(lead).startswith("Megan Rapinoe responded to the Spirit’s decision")
    then = (
        "Then, near the intersection of Magazine and St. Andrew, more video shows the Hummer stopping abruptly there."
    )
    assert headline_from(then).startswith("More video shows the Hummer")
    # a main clause that cannot stand alone keeps its opening, and the cut does not end the opening clause
    assert headline_from("When the first humans left Africa around 100,000 years ago, they got shorter.") == (
        "When the first humans left Africa around 100,000 years ago, they got shorter"
    )
    pronoun = (
        "For the 10 million Britons suffering from arthritis, it may be cold comfort to know they owe it their lives."
    )
    assert not headline_from(pronoun).endswith("arthritis")
    # brackets are left out; a quotation still open is not where a headline ends
    bracket = "The Stephanie Clifford (aka Stormy Daniels, aka Peggy Peterson) lawsuit against the president may fail."
    assert headline_from(bracket) == "The Stephanie Clifford lawsuit against the president may fail"
    quoted = (
        '"What we find is that family structure, family support, those can play a huge role in recovery," she said.'
    )
    assert headline_from(quoted) != '"What we find is that family structure, family support'


def test_a_made_headline_is_not_cut_at_an_age_set_off_by_commas():
    lead = "Dwight Smith, 30, and Kevin Johnson, 25, were arrested last week on suspicion of murder, police said."
    made = headline_from(lead)
    assert made.startswith("Dwight Smith, 30, and Kevin Johnson, 25, were arrested")
