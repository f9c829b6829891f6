"""Pages and feeds from a local server into documents, and into the archive."""

from pathlib import Path

from typer.testing import CliRunner

from tidings.cli import app
from tidings.config import Config, FetchConfig
from tidings.ingest import Fetcher, Read
from tidings.ingest.sources import FeedTally, is_url, poll_feed, read_urls
from tidings.model import Problem
from tidings.store import Archive
from tidings.stream import ingest, poll_feeds

LOCAL = FetchConfig(allow_private=True, connect_timeout=1.0, read_timeout=1.0, total_timeout=3.0, min_host_interval=0)
PARAS = [
    "North Korean leader Kim Jong Un arrived in the Russian port city of Vladivostok on Wednesday for his first "
    "summit with President Vladimir Putin, the Kremlin said.",
    "The two leaders are expected to discuss the North's nuclear programme and international sanctions that have "
    "damaged its economy, officials in Moscow and Seoul said.",
    "Kim travelled by armoured train and was greeted at the station by Russian officials and a military band.",
]


def page(title: str, paras: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


def feed(base: str) -> bytes:
    items = "".join(
        f"<item><title>Story {i}</title><link>{base}/a{i}</link><guid>g{i}</guid>"
        f"<pubDate>Wed, 24 Apr 2019 1{i}:00:00 GMT</pubDate></item>"
        for i in (1, 2, 3)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()


def serve_site(server) -> None:
    base = server.url("")

    @server.route("/feed.xml")
    def _feed(h):
        if h.headers.get("If-None-Match") == '"v1"':
            h.reply(304)
        else:
            h.reply(200, feed(base), {"Content-Type": "application/rss+xml", "ETag": '"v1"'})

    for i in (1, 2):
        server.route(f"/a{i}")(
            lambda h, i=i: h.reply(
                200, page(f"Kim arrives {i}", [*PARAS, f"Detail {i}."]), {"Content-Type": "text/html"}
            )
        )
    server.route("/a3")(lambda h: h.reply(500, b"oops"))
    server.route("/page")(lambda h: h.reply(200, page("Kim in Vladivostok", PARAS), {"Content-Type": "text/html"}))


def test_is_url():
    assert is_url("https://x.example/a") and is_url("HTTP://x") and not is_url("file.txt")
    assert is_url("ftp://x/y") and not is_url("C:\\news\\a.txt")


def test_page_and_feed_urls_become_documents(server):
    serve_site(server)
    with Fetcher(LOCAL) as fetcher:
        out = list(read_urls([server.url("/page"), server.url("/feed.xml")], fetcher))
    docs = [o.document for o in out if not isinstance(o, Problem)]
    problems = [o for o in out if isinstance(o, Problem)]
    assert [d.url for d in docs] == [server.url("/page"), server.url("/a1"), server.url("/a2")]
    assert docs[1].title == "Story 1"  # the feed's title for the item
    assert docs[1].published is not None and docs[1].published.year == 2019
    assert [p.input for p in problems] == [f'{server.url("/feed.xml")}, entry "Story 3" ({server.url("/a3")})']
    assert "500" in problems[0].reason


def test_known_items_are_not_fetched_again(server):
    serve_site(server)
    with Fetcher(LOCAL) as fetcher:
        list(read_urls([server.url("/feed.xml")], fetcher, known=lambda link: link.endswith("/a1")))
    assert "/a1" not in server.paths()


def test_poll_feed_is_conditional(server):
    serve_site(server)
    with Fetcher(LOCAL) as fetcher:
        first = poll_feed(server.url("/feed.xml"), fetcher)
        again = poll_feed(server.url("/feed.xml"), fetcher, first.etag, first.last_modified)
    assert first.etag == '"v1"' and not first.not_modified and len(first.feed.items) == 3
    assert again.not_modified


def test_private_addresses_are_refused_by_default(server, tmp_path: Path):
    serve_site(server)
    result = CliRunner().invoke(app, ["ingest", server.url("/page"), "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 1
    assert "loopback" in result.stderr or "private" in result.stderr
    assert server.paths() == []


def test_cli_ingest_url_and_watch_feed(server, tmp_path: Path):
    serve_site(server)
    db = str(tmp_path / "a.db")
    runner = CliRunner()
    result = runner.invoke(app, ["ingest", server.url("/page"), "--db", db, "--allow-network", "127.0.0.1/32"])
    assert result.exit_code == 0, result.stderr
    assert "added 1 article" in result.stdout
    feeds = tmp_path / "FEEDS.txt"
    feeds.write_text(f"# local test feed\n{server.url('/feed.xml')}\n")
    result = runner.invoke(app, ["watch", str(feeds), "--once", "--db", db, "--allow-private"])
    assert result.exit_code == 0, result.stderr
    assert "added 2 article" in result.stdout
    assert "500" in result.stderr  # the broken item is reported, not fatal
    result = runner.invoke(app, ["watch", str(feeds), "--once", "--db", db, "--allow-private"])
    assert "added 0 article" in result.stdout  # 304: nothing fetched again
    with Archive(db) as archive:
        assert archive.count_documents() == 3
        [story] = archive.stories()
        assert story.size == 3
        assert archive.feed_state(server.url("/feed.xml"))[0] == '"v1"'


def test_refusals_name_the_flag_and_the_scheme(server, tmp_path: Path):
    serve_site(server)
    db = str(tmp_path / "a.db")
    result = CliRunner().invoke(app, ["ingest", server.url("/page"), "--db", db])
    assert "--allow-private" in result.stderr
    for url, reason in [("ftp://x/y", "scheme 'ftp'"), ("file:///etc/passwd", "scheme 'file'")]:
        result = CliRunner().invoke(app, ["ingest", url, "--db", db])
        assert result.exit_code == 1 and reason in result.stderr and "no such file" not in result.stderr


def test_malformed_host_is_a_problem_not_a_traceback(tmp_path: Path):
    result = CliRunner().invoke(app, ["ingest", "https://xn--.com/", "--db", str(tmp_path / "a.db")])
    assert result.exit_code == 1
    assert "invalid URL" in result.stderr and "Traceback" not in result.stderr


def test_one_bad_item_or_feed_never_stops_the_poll(server, tmp_path: Path):
    serve_site(server)
    bad = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>B</title>'
        b"<item><title>Bad host</title><link>https://xn--.com/x</link></item></channel></rss>"
    )
    server.route("/bad.xml")(lambda h: h.reply(200, bad, {"Content-Type": "application/rss+xml"}))
    with Archive(tmp_path / "a.db") as archive, Fetcher(LOCAL) as fetcher:
        report = poll_feeds(archive, [server.url("/bad.xml"), server.url("/feed.xml")], fetcher, summaries=False)
        assert report.added == 2  # the good feed's two good items
        assert any("xn--" in p.input for p in report.problems)
        states = {r["url"]: r["last_status"] for r in archive.feed_rows()}
    assert states[server.url("/feed.xml")] == "ok: 2 new"


def test_feeds_commands(tmp_path: Path):
    db = str(tmp_path / "a.db")
    runner = CliRunner()
    added = runner.invoke(app, ["feeds", "add", "https://news.example/rss", "--db", db])
    assert added.exit_code == 0 and added.stdout.startswith("1\thttps://news.example/rss")
    assert "https://news.example/rss" in runner.invoke(app, ["feeds", "list", "--db", db]).stdout
    assert runner.invoke(app, ["feeds", "add", "ftp://x/y", "--db", db]).exit_code == 2
    assert runner.invoke(app, ["feeds", "remove", "1", "--db", db]).exit_code == 0
    assert runner.invoke(app, ["feeds", "remove", "1", "--db", db]).exit_code == 1
    assert "no feeds" in runner.invoke(app, ["feeds", "list", "--db", db]).stderr


# -- every entry accounted for -----------------------------------------------------------------------------


def serve_fulltext(server, fixtures: Path) -> str:
    body = (fixtures / "feeds" / "fulltext.xml").read_bytes()
    server.route("/full.xml")(lambda h: h.reply(200, body, {"Content-Type": "application/rss+xml"}))
    server.route("/empty.xml")(
        lambda h: h.reply(200, b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>')
    )
    return server.url("/full.xml")


def test_entries_without_links_are_their_own_articles_or_named_problems(server, fixtures: Path):
    url = serve_fulltext(server, fixtures)
    with Fetcher(LOCAL) as fetcher:
        out = list(read_urls([url], fetcher, tallies=True))
    reads = [o for o in out if isinstance(o, Read)]
    problems = [o for o in out if isinstance(o, Problem)]
    (tally,) = [o for o in out if isinstance(o, FeedTally)]
    assert [r.document.title for r in reads] == [
        "Reservoir reaches record level after spring rain",
        "Library extends opening hours for exam season",
    ]
    assert reads[0].document.text.startswith("The valley reservoir reached its highest level")
    assert reads[0].document.url is None and reads[0].feed == url
    assert reads[0].where == f'{url}, entry "Reservoir reaches record level after spring rain"'
    assert [str(p) for p in problems] == [
        f"{url}, entry \"Win a weekend away\" (javascript:enter()): its link 'javascript:enter()' is not a web"
        " address and no text of its own",
        f"{url}, entry courier-2024-0415-empty: it has no link and no text of its own",
    ]
    assert (tally.entries, tally.refused, tally.duplicates) == (4, 2, 0)
    assert server.paths() == ["/full.xml"]  # nothing else fetched


def test_ingest_report_counts_every_entry_per_feed(server, fixtures: Path, tmp_path: Path):
    url = serve_fulltext(server, fixtures)
    serve_site(server)
    feed_url, empty = server.url("/feed.xml"), server.url("/empty.xml")
    config = Config(fetch=LOCAL)
    with Archive(tmp_path / "a.db") as archive, Fetcher(LOCAL) as fetcher:
        known = lambda link: link.endswith("/a2")  # noqa: E731 - as if /a2 were archived already
        reads = read_urls([url, feed_url, empty], fetcher, known=known, tallies=True)
        report = ingest(archive, reads, config, summaries=False)
        again = ingest(archive, read_urls([url], fetcher, tallies=True), config, summaries=False)
    full, site, quiet = (report.feeds[u] for u in (url, feed_url, empty))
    assert (full.entries, full.added, full.duplicates, full.refused) == (4, 2, 0, 2)
    assert (site.entries, site.added, site.duplicates, site.refused) == (3, 1, 1, 1)  # a2 known, a3 fails
    assert str(quiet) == f'{empty} ("Quiet"): the feed has no entries'
    assert str(full) == f'{url} ("Valley Courier (full text)"): 4 entries: 2 added, 0 duplicates, 2 refused'
    assert (again.feeds[url].added, again.feeds[url].duplicates) == (0, 2)  # the same content again
    assert report.as_dict()["feeds"][0]["refused"] == 2


def test_cli_ingest_prints_each_feed(server, fixtures: Path, tmp_path: Path):
    url = serve_fulltext(server, fixtures)
    result = CliRunner().invoke(app, ["ingest", url, "--db", str(tmp_path / "a.db"), "--allow-private"])
    assert result.exit_code == 0, result.stderr
    assert "added 2 article(s)" in result.stdout
    assert f'feed {url} ("Valley Courier (full text)"): 4 entries: 2 added' in result.stdout
    assert "Win a weekend away" in result.stderr and "courier-2024-0415-empty" in result.stderr
