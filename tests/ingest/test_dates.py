"""Publication dates: parsed only when whole, found where they are, each with its source."""

import json
import random
import re
from datetime import UTC
from pathlib import Path

import pytest

from tidings.ingest import dates
from tidings.ingest.dates import dateline_date, first_date, parse_date, text_date, url_date
from tidings.ingest.feeds import parse_feed
from tidings.ingest.files import Read, document_from_text
from tidings.ingest.sources import read_feed
from tidings.model import Document, Problem

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "dates"
LABELS = json.loads((FIXTURES / "labels.json").read_text(encoding="utf-8"))


def test_iso_and_free_form_dates():
    assert parse_date("2019-04-17").date().isoformat() == "2019-04-17"
    assert parse_date("April 17, 2019").date().isoformat() == "2019-04-17"


def test_named_zone_is_understood_without_warning():
    parsed = parse_date("Mon, 22 Apr 2019 10:00:00 EDT")
    assert parsed.utcoffset().total_seconds() == -4 * 3600


def test_naive_dates_become_utc():
    assert parse_date("2019-04-17T10:00:00").tzinfo == UTC


def test_not_dates():
    assert parse_date("next tuesday") is None
    assert parse_date("") is None
    assert parse_date(None) is None
    assert parse_date("1066-10-14") is None  # implausible for news


def test_a_clock_time_a_yearless_date_or_a_month_is_not_a_publication_date():
    # dateutil fills missing parts from today: "3:30 p.m." would become today, "Feb 9" this year's Feb 9
    for text in ("3:30 p.m.", "Updated 6.15pm", "Feb 9", "Wednesday, November 21", "January 2011", "2019"):
        assert parse_date(text) is None, text
    assert parse_date("Sunday, July 31, 2011 21:39 EDT").date().isoformat() == "2011-07-31"


# -- never invented ----------------------------------------------------------------------------------


def test_a_date_must_name_its_day():
    assert parse_date("2019") is None  # dateutil alone would make it 2019-<today's month and day>
    assert parse_date("April 2019") is None
    assert parse_date("Copyright 2019") is None
    assert parse_date("0001-01-01T00:00:00Z") is None  # a placeholder
    assert parse_date("1970-01-01T00:00:00Z") is None  # a zero timestamp
    assert parse_date("2999-01-01") is None  # the future


@pytest.mark.parametrize("name", sorted(LABELS["pages"]))
def test_fixture_pages_are_dated_from_where_the_date_is(name):
    label = LABELS["pages"][name]
    html = (FIXTURES / name).read_text(encoding="utf-8")
    doc = document_from_text(html, doc_id=name, url=label["url"], is_html=True)
    if label["published"] is None:
        assert doc.published is None, f"{name} was dated {doc.published}"
    else:
        assert doc.published is not None and doc.published.date().isoformat() in label["published"]
    assert doc.published_source == label["source"]


class _NoFetch:
    def fetch_many(self, urls):
        return [Problem(u, "offline") for u in urls]


def test_feed_items_are_dated_by_the_feed_then_their_address():
    found = {}
    for name in ("feed.rss", "feed.atom"):
        feed = parse_feed((FIXTURES / name).read_bytes(), "https://gazette.example/feed")
        reads = [r for r in read_feed(feed, _NoFetch()) if isinstance(r, (Read, Problem))]
        for item, read in zip(feed.items, reads, strict=True):
            assert isinstance(read, Read), read
            found[f"{name}#{item.guid.rsplit('/', 1)[-1]}"] = read.document
    for key, label in LABELS["feed_items"].items():
        doc = found[key]
        when = doc.published
        days = {when.date().isoformat(), when.astimezone(UTC).date().isoformat()} if when else set()
        assert (label["published"] is None) == (doc.published is None), key
        assert label["published"] is None or days & set(label["published"]), key
        assert doc.published_source == label["source"], key


def test_a_date_given_with_the_document_wins_over_the_page():
    html = (FIXTURES / "opengraph.html").read_text(encoding="utf-8")
    doc = document_from_text(html, doc_id="x", url="https://gazette.example/2001/02/03/x", published="2020-05-06")
    assert (doc.published.date().isoformat(), doc.published_source) == ("2020-05-06", "metadata")
    fed = document_from_text(html, doc_id="x", published="2020-05-06", published_source="feed", is_html=True)
    assert (fed.published.date().isoformat(), fed.published_source) == ("2019-04-17", "metadata")  # the page's own


def test_dates_in_addresses():
    assert url_date("https://www.theguardian.com/world/2019/nov/18/hong-kong").date().isoformat() == "2019-11-18"
    assert url_date("https://x.org/news/impeachment-2019-11-19/").date().isoformat() == "2019-11-19"
    assert url_date("https://x.org/tuft-cells-20191115/").date().isoformat() == "2019-11-15"
    assert url_date("https://x.org/columnists/201911181077343476-royal/") is None  # an id, not a date
    assert url_date("https://x.org/2019/13/45/x") is None
    assert url_date("https://x.org/a?date=2019-04-17") is None  # the query is not the address of the article


def test_dates_in_text_need_a_day():
    assert text_date("By Ana Ruiz | March 3rd, 2018 at 9:30 am").date().isoformat() == "2018-03-03"
    assert text_date("Von Moritz Bachmann publiziert am 30. Juli 2018").date().isoformat() == "2018-07-30"
    assert text_date("© 2007–2019 Riverside Media. Founded in March 2007.") is None
    assert text_date("04/05/2019") is None  # day or month first: not guessed
    assert text_date("Elliot Raba 23.07.2025 · 6 min read").date().isoformat() == "2025-07-23"
    assert text_date("View Full Profile 2/24/2026 Share").date().isoformat() == "2026-02-24"
    assert text_date("By The Currency editors 12.12.2025").date().isoformat() == "2025-12-12"
    assert text_date("version 1.2.2019.4") is None


def test_a_dateline_opens_the_article_a_date_in_its_first_sentence_does_not():
    assert dateline_date("RIVERSIDE, April 2, 2019 — The vote came.").date().isoformat() == "2019-04-02"
    assert dateline_date("Posted on July 14, 2015 by admin\nThe council met.").date().isoformat() == "2015-07-14"
    long_first = "Trump said at a rally in Monroe on Nov. 6, 2019, that the era of betrayal was over, and more."
    assert dateline_date(long_first) is None


def test_first_date_names_its_source():
    assert first_date((None, "metadata"), ("2019", "url"), ("June 2, 2018", "text"))[1] == "text"
    assert first_date((None, "feed")) == (None, "none")
    with pytest.raises(ValueError):
        first_date(("2019-04-17", "guess"))


def test_documents_say_where_their_date_came_from():
    assert Document(id="a", text="x").published_source == "none"
    dated = Document(id="a", text="x", published=parse_date("2019-04-17"))
    assert dated.published_source is None  # dated by hand: not recorded
    with pytest.raises(ValueError):
        Document(id="a", text="x", published=parse_date("2019-04-17"), published_source="guess")


# -- an update is not a publication; the byline is where the headline is -----------------------------

_BODY = """<p>The city council voted on Tuesday to expand the riverside park by twelve acres, ending a debate that
had run for most of the year and divided residents of the eastern districts.</p>
<p>Supporters said the new land would give children in the crowded neighbourhoods near the port a safe place
to play, while opponents argued that the money should have gone to repairing roads and bridges.</p>
<p>The mayor said construction would begin in the spring and that the first section of the park would open to
the public before the end of next summer, if the weather allows.</p>"""


def _page(head: str = "", above: str = "", byline: str = "", title: str = "Council votes to expand the park") -> str:
    return (
        f"<html><head><title>{title}</title>{head}</head><body>{above}"
        f"<article><h1>{title}</h1>{byline}{_BODY}</article></body></html>"
    )


def _dated(html: str) -> tuple[str | None, str]:
    doc = document_from_text(html, doc_id="x", url="https://gazette.example/news/park", is_html=True)
    return (doc.published.date().isoformat() if doc.published else None), doc.published_source


def test_a_numeric_date_that_reads_both_ways_is_not_guessed():
    assert parse_date("02-12-2025") is None  # 2 December or February 12
    assert parse_date("03/09/2026") is None
    assert parse_date("13/11/2025 09:21:40").date().isoformat() == "2025-11-13"  # no month 13: day first
    assert parse_date("4/24/2000 12:00:00 AM").date().isoformat() == "2000-04-24"
    assert parse_date("05/05/2020").date().isoformat() == "2020-05-05"  # the same either way
    page = _page(byline='<p class="meta"><time datetime="02-12-2025">02-12-2025</time></p>')
    assert _dated(page) == (None, "none")


def test_a_time_labelled_or_marked_as_an_update_is_passed_over():
    labelled = '<p>By Ana Ruiz · Last updated: <time datetime="2026-01-12">January 12, 2026</time></p>'
    assert _dated(_page(byline=labelled)) == (None, "none")
    in_its_text = '<p>By Ana Ruiz <time datetime="2025-04-10T06:00">Updated April 10, 2025</time></p>'
    assert _dated(_page(byline=in_its_text)) == (None, "none")
    marked = '<p>By Ana Ruiz <span itemprop="dateModified"><time datetime="2026-02-12">Feb 12</time></span></p>'
    assert _dated(_page(byline=marked)) == (None, "none")
    hatom = '<p>By Ana Ruiz <time class="entry-date updated" datetime="2018-10-05">October 5, 2018</time></p>'
    assert _dated(_page(byline=hatom)) == ("2018-10-05", "metadata")  # hAtom's class: not a mark
    both = (
        '<p>Updated <time class="updated" datetime="2020-05-01">May 1, 2020</time> · '
        'Published <time datetime="2019-03-02">March 2, 2019</time></p>'
    )
    assert _dated(_page(byline=both)) == ("2019-03-02", "metadata")


def test_a_byline_date_labelled_as_an_update_is_passed_over():
    assert text_date("By Ellen O'Brien Updated on May 27, 2025 09:10AM") is None
    assert text_date("Last Updated : 20 January 2025") is None
    assert text_date("Published Jan 5, 2020 · Updated: Wednesday, March 4, 2020").date().isoformat() == "2020-01-05"
    assert _dated(_page(byline="<p>By Ana Ruiz · Updated Feb. 27, 2025</p>")) == (None, "none")


def test_a_generic_meta_date_that_repeats_the_modification_time_is_that_modification():
    head = (
        '<meta property="og:updated_time" content="2024-07-05T14:20:08-04:00">'
        '<meta name="dc.date" content="2024-07-05T14:20:08Z">'
    )
    assert _dated(_page(head=head)) == (None, "none")
    published = '<meta name="dc.date" content="2024-03-01T09:00:00Z"><meta name="last-modified" content="2024-07-05">'
    assert _dated(_page(head=published)) == ("2024-03-01", "metadata")


def test_the_byline_follows_the_headline_past_a_short_deck_and_a_masthead():
    deck = (
        '<p class="deck">Twelve acres by the river, after a year of debate.</p>'
        '<div class="byline"><a href="/staff/ana">Ana Ruiz</a> <span>Jun 08, 2023 · 4 min read</span></div>'
    )
    assert _dated(_page(byline=deck)) == ("2023-06-08", "text")
    masthead = "<header><h1>The Riverside Gazette</h1><p>Tuesday, December 1, 2026 · Home · News</p></header>"
    page = _page(above=masthead, byline="<p>By Ana Ruiz, May 31, 2024</p>")
    assert _dated(page) == ("2024-05-31", "text")


def test_a_json_ld_stamp_no_earlier_than_its_modification_gives_way_to_an_earlier_byline():
    def stamped(published: str, modified: str) -> str:
        data = f'{{"@type": "BlogPosting", "datePublished": "{published}", "dateModified": "{modified}"}}'
        return f'<script type="application/ld+json">{data}</script>'

    byline = '<div class="byline"><a href="/staff/ana">Ana Ruiz</a> <span>August 25, 2024</span></div>'
    assert _dated(_page(head=stamped("Jun 24, 2025", "Jun 24, 2025"), byline=byline)) == ("2024-08-25", "text")
    # a real first publication, modified later: the markup stands
    assert _dated(_page(head=stamped("2025-06-24", "2025-07-01"), byline=byline)) == ("2025-06-24", "metadata")
    # the byline's day is the stamp's own moment west of UTC: the markup stands
    late = _page(
        head=stamped("2019-11-19T03:00:00Z", "2019-11-19T03:00:00Z"),
        byline=byline.replace("August 25, 2024", "Nov. 18, 2019"),
    )
    assert _dated(late) == ("2019-11-19", "metadata")


def test_dates_in_adjacent_elements_are_not_glued_into_one_word():
    kicker = (
        "<html><head><title>Ten ways to sleep better</title></head><body><article><div>"
        "<a href='/health'>Health</a><span>DECEMBER 22, 2022</span><span>Updated: JANUARY 02, 2026</span>"
        f"<h1>Ten ways to sleep better</h1></div>{_BODY}</article></body></html>"
    )
    assert _dated(kicker) == ("2022-12-22", "text")


def test_iso_fast_path_reads_dates_as_dateutil_does(monkeypatch):
    rng = random.Random(7)
    texts = ["2019-04-17", "2019-02-30", "2019-04-17 24:00", "2019-04-17T08:30:00.123456-07:00", "2019-4-17"]
    for _ in range(400):
        day = f"{rng.choice([1899, 1970, 2001, 2019, 2026, 2031])}-{rng.randint(0, 13):02d}-{rng.randint(0, 32):02d}"
        time = f"{rng.choice('T ')}{rng.randint(0, 24):02d}:{rng.randint(0, 60):02d}"
        time += rng.choice(["", f":{rng.randint(0, 59):02d}", f":{rng.randint(0, 59):02d}.{rng.randint(0, 999999)}"])
        zone = rng.choice(["", "Z", "+00:00", "+05:30", "-08:00"])
        texts += [day, day + time, day + time + zone]
    fast = [parse_date(t) for t in texts]
    monkeypatch.setattr(dates, "_ISO", re.compile(r"(?!)"))  # every text through dateutil
    slow = [parse_date(t) for t in texts]
    assert fast == slow
    assert [d.isoformat() for d in fast if d] == [d.isoformat() for d in slow if d]
    assert sum(d is not None for d in fast) > 300
