"""Fetching: a threaded HTTP server on 127.0.0.1 plays every kind of server; DNS is faked, never asked.

Tests that talk to the local server allow loopback explicitly (``allow_private`` or ``allow_networks``);
the SSRF tests run with the default policy and check that refused addresses are never connected to.
"""

from __future__ import annotations

import gzip
import ipaddress
import itertools
import logging
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tidings.config import Config, FetchConfig
from tidings.errors import ConfigError, InputError
from tidings.ingest import Fetcher, FetchResult, check_url, content_kind, fetch, parse_feed
from tidings.model import Problem

FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
MB = 1024 * 1024
LOCAL = FetchConfig(
    allow_private=True,
    connect_timeout=1.0,
    read_timeout=1.0,
    total_timeout=3.0,
    min_host_interval=0.0,
)
REAL_GETADDRINFO = socket.getaddrinfo


# --- the local server ------------------------------------------------------------------------------------


@pytest.fixture
def connections(monkeypatch) -> list[tuple[str, int]]:
    """Every TCP connection attempted, recorded before it is made."""
    made: list[tuple[str, int]] = []
    real = socket.create_connection

    def spy(address, *args, **kwargs):
        made.append((address[0], address[1]))
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", spy)
    return made


def fake_dns(monkeypatch, table: dict[str, list[str]] | Callable[[str], list[str]]) -> list[str]:
    """Answer getaddrinfo for made-up names from ``table``; numeric hosts go to the real resolver (no DNS)."""
    asked: list[str] = []

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        host = host.decode() if isinstance(host, bytes) else host
        try:
            ipaddress.ip_address(host)
        except ValueError:
            asked.append(host)
            answers = table(host) if callable(table) else table.get(host)
            if not answers:
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None
            out = []
            for ip in answers:
                fam = socket.AF_INET6 if ":" in ip else socket.AF_INET
                sockaddr = (ip, port or 0, 0, 0) if fam == socket.AF_INET6 else (ip, port or 0)
                out.append((fam, socket.SOCK_STREAM, 6, "", sockaddr))
            return out
        return REAL_GETADDRINFO(host, port, family, type, proto, flags)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


@pytest.fixture
def no_dns(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError(f"DNS lookup attempted: {args}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)


# --- configuration ---------------------------------------------------------------------------------------


def test_fetch_config_lives_in_config_and_validates():
    assert Config().fetch.max_bytes == 10 * MB
    assert Config().fetch.allow_private is False
    assert Config.from_dict({"fetch": {"allow_networks": ["10.1.0.0/16"]}}).fetch.allow_networks == ("10.1.0.0/16",)
    with pytest.raises(ConfigError, match="'intranet'"):
        FetchConfig(allow_networks=("intranet",))
    with pytest.raises(ConfigError, match=r"read_timeout.*-1"):
        FetchConfig(read_timeout=-1)
    with pytest.raises(ConfigError, match="per_host_concurrency"):
        FetchConfig(per_host_concurrency=0)
    assert FetchConfig().user_agent.startswith("tidings/")


# --- check_url -------------------------------------------------------------------------------------------

HOSTILE = [
    ("file:///etc/passwd", "scheme 'file'"),
    ("ftp://ftp.example.org/pub/", "scheme 'ftp'"),
    ("gopher://example.org:70/", "scheme 'gopher'"),
    ("javascript:alert(1)", "scheme 'javascript'"),
    ("data:text/html,<script>alert(1)</script>", "scheme 'data'"),
    ("//example.org/no-scheme", "not an absolute URL"),
    ("http:///path-only", "no host"),
    ("", "empty URL"),
    ("http://user:pass@example.org/", "credentials"),
    ("http://evil.example\\@127.0.0.1/", "credentials"),
    ("http://example.org:0/", "invalid port"),
    ("http://127.0.0.1/", "loopback"),
    ("http://127.0.0.1:8080/admin", "loopback"),
    ("http://localhost/", "loopback"),
    ("http://LOCALHOST./", "loopback"),
    ("http://api.localhost/", "loopback"),
    ("http://[::1]/", "loopback"),
    ("http://10.0.0.1/", "private"),
    ("http://172.16.0.1/", "private"),
    ("http://172.31.255.255/", "private"),
    ("http://192.168.1.1/", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://0/", "unspecified"),
    ("http://2130706433/", "2130706433 (= 127.0.0.1) is a loopback"),
    ("http://0x7f000001/", "(= 127.0.0.1) is a loopback"),
    ("http://0x7f.1/", "(= 127.0.0.1) is a loopback"),
    ("http://127.1/", "(= 127.0.0.1) is a loopback"),
    ("http://0xa9fea9fe/", "(= 169.254.169.254) is a link-local"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),
    ("http://[::ffff:a9fe:a9fe]/", "link-local"),
    ("http://[fe80::1]/", "link-local"),
    ("http://[fc00::1]/", "private"),
    ("http://[fec0::1]/", "site-local"),
    ("http://[::]/", "unspecified"),
    ("http://[2002:7f00:1::]/", "loopback"),  # 6to4 wrapping 127.0.0.1
    ("http://[64:ff9b::a00:1]/", "private"),  # NAT64 wrapping 10.0.0.1
    ("http://100.64.0.1/", "non-public"),  # carrier-grade NAT
    ("http://224.0.0.1/", "multicast"),
    ("http://[ff02::1]/", "multicast"),
    ("http://240.0.0.1/", "reserved"),
    ("http://255.255.255.255/", "address"),
]


@pytest.mark.parametrize(("url", "reason"), HOSTILE)
def test_check_url_refuses_hostile_urls_by_default(url, reason, no_dns):
    with pytest.raises(InputError, match=None) as caught:
        check_url(url)
    assert reason in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("http://93.184.216.34/", "http://93.184.216.34/"),
        ("HTTPS://93.184.216.34:8443/a/b?q=1#frag", "https://93.184.216.34:8443/a/b?q=1"),
        ("http://[2606:2800:220:1:248:1893:25c8:1946]/", "http://[2606:2800:220:1:248:1893:25c8:1946]/"),
        ("http://[::ffff:93.184.216.34]/", "http://[::ffff:93.184.216.34]/"),
        ("http://[64:ff9b::5db8:d822]/", "http://[64:ff9b::5db8:d822]/"),  # NAT64 of a public address
    ],
)
def test_check_url_accepts_public_ip_literals_without_dns(url, normal, no_dns):
    assert check_url(url) == normal


def test_check_url_checks_every_address_a_name_resolves_to(monkeypatch):
    asked = fake_dns(
        monkeypatch,
        {
            "news.example": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"],
            "mixed.example": ["93.184.216.34", "10.0.0.5"],
            "metadata.example": ["169.254.169.254"],
        },
    )
    assert check_url("https://news.example/feed.xml") == "https://news.example/feed.xml"
    with pytest.raises(InputError, match=r"mixed\.example resolves to 10\.0\.0\.5, a private address"):
        check_url("https://mixed.example/")
    with pytest.raises(InputError, match="link-local"):
        check_url("http://metadata.example/")
    with pytest.raises(InputError, match=r"cannot resolve host nowhere\.example"):
        check_url("http://nowhere.example/")
    assert check_url("http://mixed.example/", resolve=False) == "http://mixed.example/"
    assert asked == ["news.example", "mixed.example", "metadata.example", "nowhere.example"]


def test_check_url_resolves_the_name_httpx_will_connect_to(monkeypatch):
    asked = fake_dns(monkeypatch, {"xn--fa-hia.example": ["93.184.216.34"]})
    assert check_url("http://faß.example/") == "http://xn--fa-hia.example/"
    assert asked == ["xn--fa-hia.example"]  # not "fass.example", Python's IDNA 2003 spelling


def test_allowances_are_explicit_and_narrow(no_dns):
    assert check_url("http://127.0.0.1:8000/", FetchConfig(allow_private=True)) == "http://127.0.0.1:8000/"
    only_ten = FetchConfig(allow_networks=("10.1.0.0/16",))
    assert check_url("http://10.1.2.3/", only_ten) == "http://10.1.2.3/"
    with pytest.raises(InputError, match="private"):
        check_url("http://10.2.0.1/", only_ten)
    with pytest.raises(InputError, match="loopback"):
        check_url("http://127.0.0.1/", only_ten)
    with pytest.raises(InputError, match="scheme 'file'"):  # allowances are about addresses, never schemes
        check_url("file:///etc/passwd", FetchConfig(allow_private=True))


# --- fetch -----------------------------------------------------------------------------------------------


def test_fetch_ok(server):
    @server.route("/page")
    def page(h):
        h.reply(200, "<html><body><p>Grüße</p></body></html>".encode(), {"Content-Type": "text/html; charset=utf-8"})

    result = fetch(server.url("/page"), LOCAL)
    assert isinstance(result, FetchResult)
    assert (result.status, result.content_type, result.encoding) == (200, "text/html", "utf-8")
    assert not result.not_modified
    assert result.content.decode("utf-8") == "<html><body><p>Grüße</p></body></html>"
    assert result.url == result.final_url == server.url("/page")
    sent = server.state.hits[0].headers
    assert sent["user-agent"] == LOCAL.user_agent
    assert "if-none-match" not in sent


def test_gzip_body_is_decompressed(server):
    @server.route("/gz")
    def gz(h):
        h.reply(200, gzip.compress(b"<rss/>" * 1000), {"Content-Encoding": "gzip", "Content-Type": "text/xml"})

    assert fetch(server.url("/gz"), LOCAL).content == b"<rss/>" * 1000


def test_gzip_bomb_is_refused_by_decompressed_size(server):
    bomb = gzip.compress(b"\0" * (20 * MB))  # about 20 kB on the wire

    @server.route("/bomb")
    def serve_bomb(h):
        h.reply(200, bomb, {"Content-Encoding": "gzip"})

    with pytest.raises(InputError, match="larger than 1 MB"):
        fetch(server.url("/bomb"), FetchConfig(**{**_fields(LOCAL), "max_bytes": MB}))


def _fields(config: FetchConfig) -> dict:
    return {name: getattr(config, name) for name in config.__dataclass_fields__}


def local(**changes) -> FetchConfig:
    return FetchConfig(**{**_fields(LOCAL), **changes})


def test_redirects_are_followed_by_hand_up_to_the_cap(server):
    for n in range(1, 8):
        server.route(f"/r/{n}")(lambda h, n=n: h.reply(302, headers={"Location": f"/r/{n - 1}"}))  # relative
    server.route("/r/0")(lambda h: h.reply(200, b"landed"))

    result = fetch(server.url("/r/5"), local(max_redirects=5))
    assert (result.content, result.final_url, result.url) == (b"landed", server.url("/r/0"), server.url("/r/5"))

    server.state.hits.clear()
    with pytest.raises(InputError, match="more than 5 redirects"):
        fetch(server.url("/r/6"), local(max_redirects=5))
    assert server.paths() == [f"/r/{n}" for n in range(6, 0, -1)]  # 1 request + 5 hops, never a 7th


def test_redirect_without_location(server):
    server.route("/nowhere")(lambda h: h.reply(301))
    with pytest.raises(InputError, match="301 redirect without a Location"):
        fetch(server.url("/nowhere"), LOCAL)


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://10.0.0.1/admin", "10.0.0.1 is a private address"),
        ("http://0xa000001/", "(= 10.0.0.1) is a private address"),
        ("http://[::1]:9/", "loopback"),
        ("http://localhost:9/", "loopback"),
        ("file:///etc/passwd", "scheme 'file'"),
        ("gopher://127.0.0.1:25/", "scheme 'gopher'"),
    ],
)
def test_redirect_to_a_forbidden_target_is_refused_before_connecting(server, connections, location, reason):
    server.route("/go")(lambda h: h.reply(302, headers={"Location": location}))
    only_this_server = local(allow_private=False, allow_networks=("127.0.0.1/32",))

    with pytest.raises(InputError) as caught:
        fetch(server.url("/go"), only_this_server)

    assert f"redirected to {location.split('#')[0]}" in str(caught.value) or "redirected to" in str(caught.value)
    assert reason in str(caught.value)
    assert connections == [("127.0.0.1", server.port)]  # only the allowed server was ever contacted
    assert server.paths() == ["/go"]


def test_dns_rebinding_is_caught_at_connect_time(server, connections, monkeypatch):
    """The name passes check_url with a public address, then resolves to loopback when connecting."""
    answers = iter([["93.184.216.34"]])
    asked = fake_dns(monkeypatch, lambda host: next(answers, ["127.0.0.1"]))

    with pytest.raises(InputError, match=r"rebind\.example resolves to 127\.0\.0\.1, a loopback address"):
        fetch(f"http://rebind.example:{server.port}/page", local(allow_private=False))

    assert asked == ["rebind.example", "rebind.example"]  # checked up front, then again when connecting
    assert connections == []
    assert server.state.hits == []


def test_guarded_client_connects_to_the_address_it_checked(server, connections, monkeypatch):
    """A made-up name only the fake resolver knows: success proves the connection used the checked IP."""
    fake_dns(monkeypatch, {"feeds.internal": ["127.0.0.1"]})
    server.route("/feed")(lambda h: h.reply(200, b"<rss/>"))

    loopback_only = local(allow_private=False, allow_networks=("127.0.0.0/8",))
    result = fetch(f"http://feeds.internal:{server.port}/feed", loopback_only)

    assert result.content == b"<rss/>"
    assert connections == [("127.0.0.1", server.port)]
    assert server.state.hits[0].headers["host"] == f"feeds.internal:{server.port}"  # Host header keeps the name


@pytest.mark.parametrize(("status", "reason"), [(500, "HTTP 500 Internal Server Error"), (404, "HTTP 404 Not Found")])
def test_http_errors_are_input_errors(server, status, reason):
    server.route("/broken")(lambda h: h.reply(status, b"oops"))
    with pytest.raises(InputError, match=reason):
        fetch(server.url("/broken"), LOCAL)


def test_a_hanging_server_times_out_quickly(server):
    server.route("/hang")(lambda h: h.server.state.stop.wait(10))
    start = time.monotonic()
    with pytest.raises(InputError, match=r"timed out after 0\.3 s waiting for 127\.0\.0\.1"):
        fetch(server.url("/hang"), local(read_timeout=0.3))
    assert time.monotonic() - start < 1.5


def test_a_dripping_server_hits_the_total_deadline(server):
    @server.route("/drip")
    def drip(h):
        h.send_response(200)
        h.end_headers()
        while not h.server.state.stop.wait(0.05):
            h.wfile.write(b"x")
            h.wfile.flush()

    start = time.monotonic()
    with pytest.raises(InputError, match=r"timed out after 0\.5 s \(whole fetch\)"):
        fetch(server.url("/drip"), local(read_timeout=0.4, total_timeout=0.5))
    assert time.monotonic() - start < 1.5


def test_connection_refused_is_an_input_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens once it is closed
    with pytest.raises(InputError, match=r"cannot connect to 127\.0\.0\.1"):
        fetch(f"http://127.0.0.1:{port}/", LOCAL)


def test_declared_oversize_body_is_refused_from_the_headers(server):
    @server.route("/huge")
    def huge(h):
        h.send_response(200)
        h.send_header("Content-Length", str(11 * MB))
        h.end_headers()
        h.wfile.flush()
        h.server.state.stop.wait(10)  # the body never comes: reading it would time out

    start = time.monotonic()
    with pytest.raises(InputError, match=r"larger than 1 MB \(Content-Length: 11 MB\)"):
        fetch(server.url("/huge"), local(max_bytes=MB, read_timeout=2.0))
    assert time.monotonic() - start < 1.5  # under the read timeout: no body was waited for


def test_streamed_oversize_body_is_refused_without_reading_it_all(server):
    sent = []

    @server.route("/stream")
    def stream(h):
        h.send_response(200)
        h.end_headers()  # no Content-Length: the size is only known by reading
        chunk = b"a" * (64 * 1024)
        for _ in range(32):  # 2 MB now...
            h.wfile.write(chunk)
            sent.append(len(chunk))
        h.wfile.flush()
        if h.server.state.stop.wait(10):  # ...and the other 9 MB only if someone waits for it
            return
        for _ in range(144):
            h.wfile.write(chunk)

    start = time.monotonic()
    with pytest.raises(InputError, match=r"^larger than 1 MB$"):
        fetch(server.url("/stream"), local(max_bytes=MB, read_timeout=2.0))
    assert time.monotonic() - start < 1.5  # under the read timeout: the rest was never waited for
    assert sum(sent) <= 2 * MB  # the client hung up before the server even finished the first part


def test_unsupported_content_encoding(server):
    server.route("/br")(lambda h: h.reply(200, b"\x1b\x00", {"Content-Encoding": "br"}))
    with pytest.raises(InputError, match="unsupported content-encoding 'br'"):
        fetch(server.url("/br"), LOCAL)


def test_conditional_get_with_etag(server):
    @server.route("/etag")
    def etag(h):
        if h.headers.get("If-None-Match") == '"v1"':
            h.reply(304, headers={"ETag": '"v1"'})
        else:
            h.reply(200, b"<rss/>", {"ETag": '"v1"'})

    first = fetch(server.url("/etag"), LOCAL)
    assert (first.status, first.etag, first.not_modified) == (200, '"v1"', False)
    again = fetch(server.url("/etag"), LOCAL, etag=first.etag)
    assert (again.status, again.not_modified, again.content, again.etag) == (304, True, b"", '"v1"')
    assert server.state.hits[1].headers["if-none-match"] == '"v1"'


def test_conditional_get_with_last_modified(server):
    stamp = "Tue, 14 May 2024 09:30:00 GMT"

    @server.route("/lm")
    def modified(h):
        if h.headers.get("If-Modified-Since") == stamp:
            h.reply(304)  # servers often omit the validators on a 304: the caller's are kept
        else:
            h.reply(200, b"<rss/>", {"Last-Modified": stamp})

    first = fetch(server.url("/lm"), LOCAL)
    assert first.last_modified == stamp
    again = fetch(server.url("/lm"), LOCAL, last_modified=first.last_modified)
    assert again.not_modified and again.last_modified == stamp


def test_fetched_feed_end_to_end(server):
    body = (FEEDS / "rss2.xml").read_bytes()
    server.route("/feed.xml")(lambda h: h.reply(200, body, {"Content-Type": "application/rss+xml"}))
    result = fetch(server.url("/feed.xml"), LOCAL)
    assert content_kind(result.content, result.content_type) == "feed"
    feed = parse_feed(result.content, result.final_url)
    assert feed.title == "Harbour Gazette"
    assert feed.items[0].link == server.url("/2024/05/bridge-reopens")  # relative to where the feed was fetched
    assert feed.items[2].link == server.url("/stories/fish-market")


# --- Fetcher ---------------------------------------------------------------------------------------------


def test_fetch_many_keeps_order_and_isolates_failures(server, caplog):
    server.route("/a")(lambda h: h.reply(200, b"A"))
    server.route("/b")(lambda h: h.reply(200, b"B"))
    server.route("/boom")(lambda h: h.reply(500))
    urls = [server.url("/a"), server.url("/boom"), "file:///etc/passwd", server.url("/b")]

    with caplog.at_level(logging.WARNING, logger="tidings.ingest.fetch"), Fetcher(LOCAL) as fetcher:
        results = fetcher.fetch_many(urls)

    assert [type(r) for r in results] == [FetchResult, Problem, Problem, FetchResult]
    assert results[0].content == b"A" and results[3].content == b"B"
    assert results[1] == Problem(input=server.url("/boom"), reason="HTTP 500 Internal Server Error")
    assert "scheme 'file'" in results[2].reason
    assert any("HTTP 500" in record.getMessage() for record in caplog.records)


def test_requests_to_one_host_are_spaced(server):
    server.route("/p")(lambda h: h.reply(200, b"ok"))
    with Fetcher(local(min_host_interval=0.2, per_host_concurrency=2)) as fetcher:
        results = fetcher.fetch_many([server.url(f"/p?{i}") for i in range(3)])
    assert all(isinstance(r, FetchResult) for r in results)
    starts = sorted(hit.at for hit in server.state.hits)
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert len(starts) == 3 and min(gaps) >= 0.15, gaps


@pytest.mark.parametrize("limit", [1, 2])
def test_requests_in_flight_per_host_are_capped(server, limit):
    active = [0]
    peak = [0]
    lock = threading.Lock()

    @server.route("/slow")
    def slow(h):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.25)
        with lock:
            active[0] -= 1
        h.reply(200, b"ok")

    with Fetcher(local(per_host_concurrency=limit)) as fetcher:
        results = fetcher.fetch_many([server.url(f"/slow?{i}") for i in range(4)])
    assert all(isinstance(r, FetchResult) for r in results)
    assert peak[0] == limit


def test_fetch_many_with_validators(server):
    @server.route("/etag")
    def etag(h):
        h.reply(304) if h.headers.get("If-None-Match") == '"v1"' else h.reply(200, b"new", {"ETag": '"v1"'})

    url = server.url("/etag")
    with Fetcher(LOCAL) as fetcher:
        [result] = fetcher.fetch_many([url], validators={url: ('"v1"', None)})
    assert isinstance(result, FetchResult) and result.not_modified
