"""Fetch pages and feeds over HTTP without turning tidings into a proxy into the network it runs on.

A URL that arrives in a feed list, a feed item or a redirect was chosen by someone else. Fetched blindly it
can read the cloud metadata service (``http://169.254.169.254/``), an admin panel on ``localhost`` or a
database on ``10.0.0.5`` — server-side request forgery (SSRF). So, by default:

* only ``http`` and ``https`` URLs, without credentials in them, are fetched;
* every address a host name resolves to must be public: private, loopback, link-local, multicast, reserved,
  unspecified and shared (CGNAT) ranges are refused, in IPv4 and IPv6, including IPv4 addresses hidden in
  IPv6 (``::ffff:127.0.0.1``, 6to4, NAT64) and the numeric spellings libc accepts
  (``http://2130706433/``, ``http://0x7f.1/``, ``http://127.1/``);
* redirects are followed by hand, each hop checked again, at most ``max_redirects`` of them;
* each network operation has a timeout, each fetch a total deadline, and the body is read as a stream and
  abandoned as soon as it passes ``max_bytes`` (decompressed size, so a gzip bomb is refused too).

``FetchConfig.allow_private`` lifts the address rule, ``allow_networks`` lifts it for named networks only.

**DNS rebinding.** Checking a name and then letting the HTTP client resolve it again leaves a window: a
hostile DNS server answers the check with a public address and the connection with ``127.0.0.1``. The
client made by :func:`make_client` closes that window: its network backend resolves the host itself,
checks every address, and connects to one of the addresses it checked, while the URL, the ``Host`` header,
TLS SNI and certificate verification keep the original name. What is checked is what is connected to.
Limits: name resolution (``getaddrinfo``) has no timeout of its own; a client passed in by the caller
(``fetch(..., client=...)``) only gets the up-front :func:`check_url`, which is still open to rebinding;
environment proxies are ignored (``trust_env=False``), because through a proxy the address checked would
be the proxy's. The guard is installed by replacing the connection pool of httpx's ``HTTPTransport``
(``_pool``, the one private attribute touched); :func:`make_client` fails loudly if httpx changes it.

:class:`Fetcher` fetches many URLs from sync code with a thread pool, politely: at most
``per_host_concurrency`` requests in flight per host and starts at least ``min_host_interval`` seconds
apart. A URL that cannot be fetched becomes a :class:`~tidings.model.Problem` with the reason; the others
go on.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import ssl
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from email.message import Message
from functools import lru_cache
from types import TracebackType
from typing import Any

import certifi
import httpcore
import httpx

from tidings.config import FetchConfig
from tidings.errors import InputError
from tidings.ingest.urls import url_refusal
from tidings.model import Problem

log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Gate = Callable[[str], AbstractContextManager[None]]

_SCHEMES = ("http", "https")
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_LOCALHOST = (ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1"))
_ALLOW_HINT = (
    "to allow it: --allow-private or --allow-network CIDR on the command line,"
    " fetch.allow_private or fetch.allow_networks in a config file"
)
_ACCEPT = (
    "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
    "application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What a successful fetch brought back.

    ``url`` is the URL asked for, ``final_url`` the one that answered after redirects (relative links in the
    page resolve against it). ``encoding`` is the charset the server declared, a hint only.
    ``not_modified`` is true for a 304 answer to a conditional request: ``content`` is then empty and the
    caller keeps its stored copy; ``etag`` and ``last_modified`` are what to send next time.
    """

    url: str
    final_url: str
    status: int
    content: bytes = field(default=b"", repr=False)
    content_type: str | None = None
    encoding: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False


# --- addresses -------------------------------------------------------------------------------------------


def _legacy_ipv4(host: str) -> ipaddress.IPv4Address | None:
    """Read the IPv4 spellings libc's ``inet_aton`` accepts: ``2130706433``, ``0x7f.1``, ``0177.0.0.1``, ``127.1``.

    The connection would reach these addresses, so they must be checked as the addresses they are.
    """
    parts = host.removesuffix(".").split(".")
    if not 1 <= len(parts) <= 4:
        return None
    values = []
    for part in parts:
        lowered = part.lower()
        try:
            if lowered.startswith("0x"):
                value = int(lowered[2:] or "0", 16)
            elif len(lowered) > 1 and lowered.startswith("0"):
                value = int(lowered, 8)
            else:
                value = int(lowered, 10)
        except ValueError:
            return None
        if not lowered.isascii() or value < 0:
            return None
        values.append(value)
    *head, last = values
    if any(v > 255 for v in head) or last >= 256 ** (4 - len(head)):
        return None
    number = 0
    for v in head:
        number = number << 8 | v
    return ipaddress.IPv4Address(number << 8 * (4 - len(head)) | last)


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return _legacy_ipv4(host)


def _forbidden_kind(ip: IPAddress) -> str | None:
    """Why connecting to ``ip`` is refused by default, or ``None`` for a public address."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return _forbidden_kind(ip.ipv4_mapped)
        if ip in _NAT64:  # a v6-only network's gateway to IPv4: judge the IPv4 address inside
            return _forbidden_kind(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if ip.sixtofour is not None and (kind := _forbidden_kind(ip.sixtofour)):
            return kind
        if ip.is_site_local:
            return "site-local"
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("non-public", not ip.is_global),
    )
    return next((kind for kind, hit in checks if hit), None)


@lru_cache(maxsize=32)
def _networks(specs: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(spec, strict=False) for spec in specs)


def _allowed(ip: IPAddress, config: FetchConfig) -> bool:
    if config.allow_private or _forbidden_kind(ip) is None:
        return True
    candidates = [ip]
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        candidates.append(ip.ipv4_mapped)
    return any(c in net for c in candidates for net in _networks(config.allow_networks))


def _is_localhost_name(host: str) -> bool:
    name = host.lower().removesuffix(".")
    return name == "localhost" or name.endswith(".localhost")  # RFC 6761: always loopback, never asked of DNS


def _resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` stands for; literals and ``localhost`` names without asking DNS."""
    literal = _literal(host)
    if literal is not None:
        return [literal]
    if _is_localhost_name(host):
        return list(_LOCALHOST)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise InputError(f"cannot resolve host {host}: {reason}") from None
    addresses = [
        ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        for info in infos
        if info[0] in (socket.AF_INET, socket.AF_INET6)
    ]
    if not addresses:
        raise InputError(f"cannot resolve host {host}: no IPv4 or IPv6 address")
    return list(dict.fromkeys(addresses))


def _check_addresses(host: str, addresses: Iterable[IPAddress], config: FetchConfig) -> None:
    for ip in addresses:
        if _allowed(ip, config):
            continue
        literal = _literal(host)
        if literal is None:
            where = f"{host} resolves to {ip},"
        else:
            where = f"{host} is" if str(literal) == host else f"{host} (= {literal}) is"
        kind = _forbidden_kind(ip) or "forbidden"
        article = "an" if kind[0] in "aeiou" else "a"
        raise InputError(f"refused: {where} {article} {kind} address ({_ALLOW_HINT})")


# --- URLs ------------------------------------------------------------------------------------------------


def _parse(url: str) -> httpx.URL:
    if not isinstance(url, str) or not url.strip():
        raise InputError("empty URL")
    try:
        parsed = httpx.URL(url.strip())
        host = parsed.host  # decodes the IDNA host: a malformed one ("xn--.com") fails here, not mid-fetch
    except (httpx.InvalidURL, UnicodeError, ValueError) as exc:  # idna.IDNAError is a UnicodeError
        raise InputError(f"invalid URL: {exc}") from None
    if not parsed.scheme:
        raise InputError("not an absolute URL (it needs http:// or https://)")
    if parsed.scheme not in _SCHEMES:
        raise InputError(f"refused: scheme {parsed.scheme!r} (only http and https are fetched)")
    if not host:
        raise InputError("no host in URL")
    if parsed.userinfo:
        raise InputError("refused: credentials in URL (they would be sent on and logged)")
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise InputError(f"invalid port {parsed.port}")
    if reason := url_refusal(url.strip()):  # what a browser would not follow is not fetched either
        raise InputError(f"invalid URL: {reason}")
    return parsed


def _host(url: httpx.URL) -> str:
    """The host as it goes on the wire (IDNA-encoded), which is what the connection will resolve.

    ``URL.host`` is the Unicode form; resolving that would let Python's older IDNA codec look up a
    different name (``faß`` becomes ``fass``) than the one httpx connects to (``xn--fa-hia``).
    """
    return url.raw_host.decode("ascii")


def _port(url: httpx.URL) -> int:
    return url.port or (443 if url.scheme == "https" else 80)


def check_url(url: str, config: FetchConfig | None = None, *, resolve: bool = True) -> str:
    """Return ``url`` normalised (fragment dropped) if tidings may fetch it, else raise :class:`InputError`.

    The URL is parsed by httpx, the same parser that will send the request, so a trick that confuses one
    parser and not the other (``http://evil.com\\@127.0.0.1/``) is judged by what would really be
    contacted. With ``resolve=False`` host names are not looked up (for validating a feed list offline);
    IP literals are still checked.

    >>> check_url("https://93.184.216.34/news#top")
    'https://93.184.216.34/news'
    >>> check_url("http://2130706433/")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    tidings.errors.InputError: refused: 2130706433 (= 127.0.0.1) is a loopback address ...
    """
    config = config or FetchConfig()
    parsed = _parse(url)
    host = _host(parsed)
    if not config.allow_private and (resolve or _literal(host) is not None or _is_localhost_name(host)):
        _check_addresses(host, _resolve(host, _port(parsed)), config)
    return str(parsed.copy_with(fragment=None))


# --- the guarded client ----------------------------------------------------------------------------------


class _GuardedBackend(httpcore.NetworkBackend):
    """Resolve once, check every address, connect only to a checked one: no window for DNS rebinding."""

    def __init__(self, config: FetchConfig) -> None:
        self._config = config
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        if self._config.allow_private:
            return self._inner.connect_tcp(host, port, timeout, local_address, socket_options)
        addresses = _resolve(host, port)
        _check_addresses(host, addresses, self._config)
        error: httpcore.ConnectError | None = None
        for ip in addresses:
            try:
                return self._inner.connect_tcp(str(ip), port, timeout, local_address, socket_options)
            except httpcore.ConnectError as exc:  # try the next checked address, as create_connection would
                error = exc
        assert error is not None
        raise error

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class _GuardedTransport(httpx.HTTPTransport):
    def __init__(self, config: FetchConfig) -> None:
        super().__init__(trust_env=False, retries=0)
        if not isinstance(getattr(self, "_pool", None), httpcore.ConnectionPool):
            raise RuntimeError("this httpx version has no replaceable connection pool; cannot guard addresses")
        self._pool.close()
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl.create_default_context(cafile=certifi.where()),
            max_connections=config.max_workers,
            max_keepalive_connections=config.max_workers,
            keepalive_expiry=5.0,
            http1=True,
            http2=False,
            retries=0,
            network_backend=_GuardedBackend(config),
        )


def make_client(config: FetchConfig | None = None) -> httpx.Client:
    """An httpx client whose every connection goes through the address guard (see the module docstring).

    Redirects are not followed by the client: :func:`fetch` follows them so each hop is checked.
    Thread-safe; close it (or use it as a context manager) when done.
    """
    config = config or FetchConfig()
    return httpx.Client(
        transport=_GuardedTransport(config),
        follow_redirects=False,
        trust_env=False,
        headers={"User-Agent": config.user_agent},
    )


# --- reading a response ----------------------------------------------------------------------------------


def _mb(n: float) -> str:
    return f"{round(n / (1024 * 1024), 2):g}"


class _Inflater:
    """Decompress a body step by step, never producing more than the room left under the size cap."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self._started = False
        if coding in ("", "identity", "none"):
            self._z = None
        elif coding in ("gzip", "x-gzip"):
            self._z = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif coding == "deflate":
            self._z = zlib.decompressobj()
        else:
            raise InputError(f"unsupported content-encoding {coding!r}")

    def feed(self, data: bytes, room: int) -> bytes:
        """Up to ``room + 1`` bytes of output: one more than fits means the body is too large."""
        if self._z is None:
            return data
        try:
            out = self._z.decompress(data, room + 1)
        except zlib.error:
            if self.coding == "deflate" and not self._started:  # some servers send raw deflate, no zlib header
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                self._started = True
                return self.feed(data, room)
            raise InputError(f"corrupt {self.coding} body") from None
        self._started = True
        return out

    def finish(self) -> bytes:
        return self._z.flush() if self._z is not None else b""


def _content_type(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    message = Message()
    message["content-type"] = value
    return message.get_content_type(), message.get_content_charset()


def _read_body(response: httpx.Response, config: FetchConfig, deadline: float) -> bytes:
    declared = response.headers.get("content-length", "").strip()
    coding = response.headers.get("content-encoding", "").strip().lower()
    if declared.isdigit() and int(declared) > config.max_bytes and coding in ("", "identity", "none"):
        raise InputError(f"larger than {_mb(config.max_bytes)} MB (Content-Length: {_mb(int(declared))} MB)")
    inflater = _Inflater(coding)
    chunks: list[bytes] = []
    total = 0
    for raw in response.iter_raw():  # as the network delivers: a chunk size would buffer past the deadline
        if time.monotonic() > deadline:
            raise InputError(f"timed out after {config.total_timeout:g} s (whole fetch)")
        data = inflater.feed(raw, config.max_bytes - total)
        total += len(data)
        if total > config.max_bytes:
            raise InputError(f"larger than {_mb(config.max_bytes)} MB")
        chunks.append(data)
    tail = inflater.finish()
    if total + len(tail) > config.max_bytes:
        raise InputError(f"larger than {_mb(config.max_bytes)} MB")
    chunks.append(tail)
    return b"".join(chunks)


# --- fetching --------------------------------------------------------------------------------------------


def _reason(exc: Exception) -> str:
    return str(exc).strip() or type(exc).__name__


def _no_gate(host: str) -> AbstractContextManager[None]:
    return nullcontext()


def _request(
    client: httpx.Client, url: str, headers: Mapping[str, str], config: FetchConfig, remaining: float
) -> AbstractContextManager[httpx.Response]:
    timeout = httpx.Timeout(
        connect=min(config.connect_timeout, remaining),
        read=min(config.read_timeout, remaining),
        write=min(config.read_timeout, remaining),
        pool=min(config.connect_timeout, remaining),
    )
    return client.stream("GET", url, headers=dict(headers), timeout=timeout)


def _fetch(
    client: httpx.Client,
    url: str,
    config: FetchConfig,
    etag: str | None,
    last_modified: str | None,
    gate: Gate,
) -> FetchResult:
    current = check_url(url, config)
    headers = {"User-Agent": config.user_agent, "Accept": _ACCEPT, "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline: float | None = None
    for hop in range(config.max_redirects + 1):
        host = _host(httpx.URL(current))
        with gate(host):
            deadline = deadline or time.monotonic() + config.total_timeout  # queueing for the host is not fetching
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise InputError(f"timed out after {config.total_timeout:g} s (whole fetch)")
            try:
                with _request(client, current, headers, config, remaining) as response:
                    if response.status_code not in _REDIRECTS:
                        return _result(response, url, current, config, deadline, etag, last_modified)
                    location = response.headers.get("location", "").strip()
            except httpx.ConnectTimeout:
                raise InputError(
                    f"timed out after {min(config.connect_timeout, remaining):g} s connecting to {host}"
                ) from None
            except httpx.TimeoutException:
                raise InputError(
                    f"timed out after {min(config.read_timeout, remaining):g} s waiting for {host}"
                ) from None
            except httpx.ConnectError as exc:
                raise InputError(f"cannot connect to {host}: {_reason(exc)}") from None
            except httpx.HTTPError as exc:  # protocol errors, a connection dropped mid-body, a bad header value
                raise InputError(f"fetching from {host} failed: {_reason(exc)}") from None
        if not location:
            raise InputError(f"HTTP {response.status_code} redirect without a Location header")
        if hop == config.max_redirects:
            break
        try:
            target = str(httpx.URL(current).join(location))
        except (httpx.InvalidURL, UnicodeError, ValueError) as exc:
            raise InputError(f"redirected to an invalid URL {location!r}: {exc}") from None
        try:
            current = check_url(target, config)
        except InputError as exc:
            raise InputError(f"redirected to {target}: {exc}") from None
        log.debug("%s: redirected to %s", url, current)
    raise InputError(f"more than {config.max_redirects} redirects")


def _result(
    response: httpx.Response,
    url: str,
    final_url: str,
    config: FetchConfig,
    deadline: float,
    etag: str | None,
    last_modified: str | None,
) -> FetchResult:
    status = response.status_code
    new_etag = response.headers.get("etag") or None
    new_modified = response.headers.get("last-modified") or None
    if status == 304:
        return FetchResult(
            url=url,
            final_url=final_url,
            status=status,
            etag=new_etag or etag,
            last_modified=new_modified or last_modified,
            not_modified=True,
        )
    if status >= 400:
        raise InputError(f"HTTP {status} {response.reason_phrase}".strip())
    if not 200 <= status < 300:
        raise InputError(f"HTTP {status}: not a usable response")
    content = _read_body(response, config, deadline)
    content_type, encoding = _content_type(response.headers.get("content-type"))
    return FetchResult(
        url=url,
        final_url=final_url,
        status=status,
        content=content,
        content_type=content_type,
        encoding=encoding,
        etag=new_etag,
        last_modified=new_modified,
    )


def fetch(
    url: str,
    config: FetchConfig | None = None,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    client: httpx.Client | None = None,
) -> FetchResult:
    """Fetch one URL safely; every way it can fail is an :class:`InputError` whose message is the reason.

    ``etag`` and ``last_modified`` (from an earlier :class:`FetchResult`) make the request conditional, so
    an unchanged feed costs a 304 and no body. Without ``client`` a guarded one is made for this call; pass
    one from :func:`make_client` to reuse connections (a client from elsewhere gets :func:`check_url` on
    every hop but not the rebinding guard).

    >>> result = fetch("https://example.org/feed.xml")  # doctest: +SKIP
    >>> result.status, result.content_type  # doctest: +SKIP
    (200, 'application/rss+xml')
    """
    config = config or FetchConfig()
    if client is not None:
        return _fetch(client, url, config, etag, last_modified, _no_gate)
    with make_client(config) as own:
        return _fetch(own, url, config, etag, last_modified, _no_gate)


# --- many URLs, politely ---------------------------------------------------------------------------------


class _HostGate:
    """Per-host politeness: a bounded number of requests in flight and a minimum spacing of their starts."""

    def __init__(self, concurrency: int, interval: float) -> None:
        self._concurrency = concurrency
        self._interval = interval
        self._lock = threading.Lock()
        self._hosts: dict[str, tuple[threading.Semaphore, threading.Lock, list[float]]] = {}

    @contextmanager
    def __call__(self, host: str) -> Iterator[None]:
        with self._lock:
            if host not in self._hosts:
                self._hosts[host] = (threading.Semaphore(self._concurrency), threading.Lock(), [0.0])
            semaphore, lock, next_start = self._hosts[host]
        with semaphore:
            with lock:  # reserve a start time; later requests queue behind it
                now = time.monotonic()
                start = max(now, next_start[0])
                next_start[0] = start + self._interval
            if start > now:
                time.sleep(start - now)
            yield


def _interleave(urls: list[str]) -> list[int]:
    """Input positions reordered round-robin by host, so one busy host does not hold every worker."""
    by_host: dict[str, list[int]] = {}
    for i, url in enumerate(urls):
        try:
            host = _host(httpx.URL(url.strip()))
        except (httpx.InvalidURL, AttributeError, UnicodeError, ValueError):
            host = ""
        by_host.setdefault(host, []).append(i)
    queues = list(by_host.values())
    order: list[int] = []
    for rank in range(max((len(q) for q in queues), default=0)):
        order.extend(q[rank] for q in queues if rank < len(q))
    return order


class Fetcher:
    """Fetch many URLs concurrently and politely, sharing one guarded client.

    >>> with Fetcher(FetchConfig(min_host_interval=0.5)) as fetcher:  # doctest: +SKIP
    ...     results = fetcher.fetch_many(["https://example.org/a", "https://example.org/b"])
    """

    def __init__(self, config: FetchConfig | None = None, *, client: httpx.Client | None = None) -> None:
        self.config = config or FetchConfig()
        self._owns_client = client is None
        self._client = client if client is not None else make_client(self.config)
        self._gate = _HostGate(self.config.per_host_concurrency, self.config.min_host_interval)

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """Like :func:`fetch`, waiting for this fetcher's per-host politeness rules."""
        return _fetch(self._client, url, self.config, etag, last_modified, self._gate)

    def fetch_many(
        self,
        urls: Iterable[str],
        *,
        validators: Mapping[str, tuple[str | None, str | None]] | None = None,
    ) -> list[FetchResult | Problem]:
        """Fetch every URL; results in input order, a failed one as a :class:`Problem` with the reason.

        ``validators`` maps a URL to its stored ``(etag, last_modified)`` for a conditional request.
        """
        urls = list(urls)
        validators = validators or {}

        def one(url: str) -> FetchResult | Problem:
            etag, last_modified = validators.get(url, (None, None))
            try:
                return self.fetch(url, etag=etag, last_modified=last_modified)
            except InputError as exc:
                log.warning("%s: %s", url, exc)
                return Problem(input=url, reason=str(exc))
            except Exception as exc:  # a bug or a library's surprise: this URL fails, the others go on
                log.exception("%s: unexpected error while fetching", url)
                return Problem(input=url, reason=f"fetching failed unexpectedly: {_reason(exc)}")

        if not urls:
            return []
        workers = min(self.config.max_workers, len(urls))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tidings-fetch") as pool:
            futures: dict[int, Future[FetchResult | Problem]] = {
                i: pool.submit(one, urls[i]) for i in _interleave(urls)
            }
            return [futures[i].result() for i in range(len(urls))]

    def close(self) -> None:
        """Close the client if this fetcher made it."""
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
