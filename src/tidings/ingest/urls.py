"""Article addresses read the way a browser reads them.

A URL that arrives with an article (a JSONL field, a posted record, a
page's canonical link) ends up as a link on a page and as the outlet's
name. Two parsers that disagree about it are a hole: Python's ``urlsplit``
reads ``https://evil.example\\@good.example/`` as a page on good.example,
while every browser follows it to evil.example; ``javascript:`` and
``data:`` URLs run code when a client links them. So addresses are parsed
with ada (the WHATWG URL standard, as in browsers), only absolute http(s)
URLs with a host are kept, credentials are dropped, and what is stored is
the browser's own serialisation, which every later parser reads alike.
"""

from __future__ import annotations

import ada_url

_WEB = ("http:", "https:")


def web_url(url: str | None) -> str | None:
    """The address as a browser would follow it, if it is an http(s) URL with a host; else None.

    >>> web_url("https://evil.example\\\\@good.example/a")
    'https://evil.example/@good.example/a'
    >>> web_url("javascript:alert(1)") is None, web_url(" HTTPS://News.Example:443/a/../b ")
    (True, 'https://news.example/b')
    """
    parsed = _parse(url) if url_refusal(url) is None else None
    return parsed.href if parsed is not None else None


def url_refusal(url: str | None) -> str | None:
    """Why ``url`` is not kept as an article's address (None when it is kept, or when there is none).

    >>> url_refusal("data:text/html,<script>alert(1)</script>")
    "scheme 'data' is not a web address (only http and https are kept)"
    """
    if url is None or not url.strip():
        return None
    parsed = _parse(url)
    if parsed is None:
        return "not a valid URL"
    if parsed.protocol not in _WEB:
        return f"scheme {parsed.protocol.removesuffix(':')!r} is not a web address (only http and https are kept)"
    if not parsed.hostname:
        return "no host in URL"
    return None


def host(url: str | None) -> str | None:
    """The host a browser would contact for ``url`` (lower case, IDNA), or None.

    >>> host("https://evil.example\\\\@good.example/"), host("ftp://files.example/")
    ('evil.example', None)
    """
    parsed = _parse(url) if url_refusal(url) is None else None
    return parsed.hostname if parsed is not None else None


def _parse(url: str | None) -> ada_url.URL | None:
    if not url:
        return None
    try:
        parsed = ada_url.URL(url)
    except ValueError:
        return None
    if parsed.username or parsed.password:
        parsed.username = ""
        parsed.password = ""
    return parsed
