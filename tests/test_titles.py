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
