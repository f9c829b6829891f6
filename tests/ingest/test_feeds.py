"""Feeds: hand-written RSS 2.0, RSS 1.0 and Atom fixtures, broken ones, and feed lists."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tidings.config import FetchConfig
from tidings.errors import InputError
from tidings.ingest import Feed, content_kind, parse_feed, read_feed_list

FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
RSS_URL = "https://news.example/feeds/main.xml"


def load(name: str, url: str = RSS_URL) -> Feed:
    return parse_feed((FEEDS / name).read_bytes(), url)


def test_rss2_items_links_dates_and_text():
    feed = load("rss2.xml")
    assert (feed.url, feed.title, feed.link) == (RSS_URL, "Harbour Gazette", "https://news.example/")
    first = feed.items[0]
    assert first.link == "https://news.example/2024/05/bridge-reopens"  # "/2024/..." against the feed URL
    assert first.guid == "gazette-1001"
    assert first.published == datetime(2024, 5, 14, 9, 30, tzinfo=UTC)
    assert first.summary == "The bridge reopened on Tuesday."  # HTML stripped
    assert first.content.startswith("The harbour bridge reopened on Tuesday after six weeks of repairs.\nRead the")
    # the raw HTML body is kept for the article extractor, its links made absolute too
    assert '<a href="https://news.example/2024/05/bridge-report">' in first.content_html
    ferry = feed.items[1]
    assert ferry.published == datetime(2024, 5, 13, 16, 0, tzinfo=UTC)  # +0200 normalised, still aware
    assert ferry.published.tzinfo is not None


def test_rss2_duplicates_are_dropped_by_guid_and_by_link():
    feed = load("rss2.xml")
    titles = [item.title for item in feed.items]
    assert "Harbour bridge reopens after repairs (updated)" not in titles  # same guid as the first item
    assert "Ferry timetable: summer changes" not in titles  # same link as the second item
    assert feed.duplicates == 2
    assert "2 duplicate items dropped" in feed.warnings


def test_item_without_date_keeps_none():
    feed = load("rss2.xml")
    fish = next(item for item in feed.items if item.title == "Fish market opens early on holidays")
    assert fish.published is None
    assert fish.link == "https://news.example/feeds/stories/fish-market"  # relative to the feed's directory


def test_non_http_item_link_is_dropped_but_item_kept():
    feed = load("rss2.xml")
    click = next(item for item in feed.items if item.title == "Click here")
    assert click.link is None
    assert click.refused_link == "javascript:alert(document.cookie)"  # kept so a message can say why
    assert click.summary == "An item whose link is not a web address."
    assert (click.position, click.label) == (6, '"Click here"')


def test_every_entry_is_an_item_or_a_duplicate():
    feed = load("rss2.xml")
    assert feed.entries == 6 and len(feed.items) == 4 and feed.duplicates == 2


def test_atom_with_xml_base_and_updated_only_dates():
    feed = load("atom.xml", "https://blog.example/atom.xml")
    assert feed.title == "Coastal Science Notes"
    tide, seagrass = feed.items
    assert tide.link == "https://blog.example/posts/tide-gauges"  # xml:base="https://blog.example/posts/"
    assert tide.published == datetime(2024, 5, 14, 6, 15, tzinfo=UTC)  # <published>, not <updated>
    assert tide.summary == "Readings from twelve gauges."
    assert tide.content == "Readings from twelve gauges along the coast.\nSecond paragraph."
    assert tide.content_html.startswith("<p>Readings from <em>twelve</em>")
    assert tide.guid == "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"
    assert seagrass.link == "https://blog.example/archive/seagrass"
    assert seagrass.title == "Seagrass & carbon"  # an HTML title, unescaped once
    assert seagrass.published == datetime(2024, 5, 10, 9, 0, tzinfo=UTC)  # only <updated> given
    assert seagrass.summary == "Meadows store carbon."
    assert feed.warnings == ()


def test_rss1_rdf_feed():
    feed = load("rdf.xml")
    assert [item.link for item in feed.items] == ["https://wire.example/one"]
    assert feed.items[0].published == datetime(2024, 5, 1, 6, 0, tzinfo=UTC)  # dc:date


def test_broken_but_usable_feed_keeps_its_items_with_a_warning():
    feed = load("bozo.xml")
    assert [item.link for item in feed.items] == ["https://chips.example/best", "https://chips.example/peas"]
    assert feed.items[0].title == "Best fish & chips on the coast"
    assert feed.items[1].published is None
    assert len(feed.warnings) == 1
    assert feed.warnings[0].startswith("feed is broken XML (") and "2 items recovered" in feed.warnings[0]


def test_malformed_feed_without_items_is_an_input_error():
    with pytest.raises(InputError, match=r"^malformed feed: .* at line \d+$"):
        load("malformed.xml")


def test_html_page_is_not_a_feed():
    with pytest.raises(InputError, match=r"not an RSS or Atom feed \(it is an HTML page\)"):
        load("page.html")


@pytest.mark.parametrize("content", [b"", b"   \n", b"just some text", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"])
def test_nothing_usable_is_an_input_error(content):
    with pytest.raises(InputError):
        parse_feed(content, RSS_URL)


def test_well_formed_empty_feed_is_valid():
    feed = parse_feed(b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>', RSS_URL)
    assert (feed.title, feed.items, feed.warnings) == ("Quiet", (), ())


def test_parse_feed_never_treats_content_as_a_location(tmp_path):
    """feedparser opens strings that look like URLs or paths; parse_feed must only ever parse the bytes."""
    target = tmp_path / "secret.xml"
    target.write_text('<rss version="2.0"><channel><item><title>secret</title></item></channel></rss>')
    with pytest.raises(InputError, match="not an RSS or Atom feed"):
        parse_feed(str(target).encode(), RSS_URL)


def test_items_without_anything_are_kept_for_the_reader_to_report():
    feed = parse_feed(
        b'<rss version="2.0"><channel><item><guid isPermaLink="false">x</guid></item>'
        b"<item><title>Kept</title></item><item></item></channel></rss>",
        RSS_URL,
    )
    assert [item.title for item in feed.items] == [None, "Kept", None]
    assert [item.label for item in feed.items] == ["x", '"Kept"', "#3"]
    assert feed.warnings == ()


# --- feed or page ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content_type", "kind"),
    [
        ("rss2.xml", "application/rss+xml", "feed"),
        ("rss2.xml", "text/html; charset=utf-8", "feed"),  # mislabelled feed: the root element decides
        ("atom.xml", None, "feed"),
        ("rdf.xml", "application/xml", "feed"),
        ("bozo.xml", "text/xml", "feed"),
        ("page.html", "text/html", "html"),
        ("page.html", "application/rss+xml", "html"),  # an error page served under the feed's type
    ],
)
def test_content_kind_of_fixtures(name, content_type, kind):
    assert content_kind((FEEDS / name).read_bytes(), content_type) == kind


@pytest.mark.parametrize(
    ("content", "content_type", "kind"),
    [
        (b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- c --><!DOCTYPE rss><rss/>", None, "feed"),
        ('<?xml version="1.0" encoding="utf-16"?><feed/>'.encode("utf-16"), None, "feed"),
        (b"<div><p>A fragment of a page</p></div>", None, "html"),
        (b"plain words", "text/html", "html"),
        (b"plain words", "text/plain", "other"),
        (b"%PDF-1.7", "application/pdf", "other"),
        (b"", "application/atom+xml", "feed"),
    ],
)
def test_content_kind_sniffing(content, content_type, kind):
    assert content_kind(content, content_type) == kind


# --- feed lists ------------------------------------------------------------------------------------------


def test_read_feed_list_fixture():
    assert read_feed_list(FEEDS / "FEEDS.txt") == [
        "https://news.example/feed.xml",
        "https://blog.example/atom.xml",
        "http://wire.example/rss?section=world",
    ]


def test_read_feed_list_names_the_bad_line(tmp_path):
    path = tmp_path / "FEEDS.txt"
    path.write_text("# ok\nhttps://a.example/feed\nfile:///etc/passwd\nnot a url\nhttp://10.0.0.1/feed\n")
    with pytest.raises(InputError) as caught:
        read_feed_list(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:3: refused: scheme 'file'")
    assert message.endswith("(and 2 more bad lines)")


def test_read_feed_list_respects_allowances(tmp_path):
    path = tmp_path / "FEEDS.txt"
    path.write_text("http://10.0.0.1/feed\n")
    with pytest.raises(InputError, match=r"FEEDS\.txt:1: refused: 10\.0\.0\.1 is a private address"):
        read_feed_list(path)
    assert read_feed_list(path, FetchConfig(allow_networks=("10.0.0.0/8",))) == ["http://10.0.0.1/feed"]


def test_read_feed_list_does_not_resolve_names(tmp_path, monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("DNS lookup attempted")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    path = tmp_path / "FEEDS.txt"
    path.write_text("https://only-resolved-when-fetched.example/rss\n")
    assert read_feed_list(path) == ["https://only-resolved-when-fetched.example/rss"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"\xff\xfe\x00bad", "not UTF-8"), (b"x" * (1024 * 1024 + 1), "larger than 1 MB")],
)
def test_read_feed_list_unreadable(tmp_path, data, reason):
    path = tmp_path / "FEEDS.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=reason):
        read_feed_list(path)
    with pytest.raises(InputError, match="cannot read feed list"):
        read_feed_list(tmp_path / "missing.txt")
