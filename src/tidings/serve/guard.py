"""The door of the service: a bearer token for writes and a cap on request bodies, checked before any body is read.

This is plain ASGI middleware rather than a FastAPI dependency because
FastAPI reads and parses a request's body before it runs dependencies: a
client without a token could otherwise make the server read (and parse) a
large body only to be told it may not write. Here the order is: is writing
enabled at all (503), is there a token (401), is it the right one (403),
does the declared size fit (413); and a body sent without a declared size is
read only up to the cap plus one byte before it is refused.

Tokens are compared with :func:`hmac.compare_digest`, so the time taken does
not tell an attacker how much of a guess was right.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
NO_TOKEN = (
    "writes are disabled on this server: start it with a token (the TIDINGS_TOKEN environment variable or"
    " --token-file) to enable POST /api/documents and POST /api/feeds"
)


def token_matches(given: str, expected: str) -> bool:
    """Constant-time comparison of a presented token with the server's."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


async def _reply(send: Send, status: int, message: str, headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"error": message}).encode("utf-8")
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class Guard:
    """ASGI middleware: bearer-token check for write requests under ``/api/``, size cap for every body."""

    def __init__(self, app: ASGIApp, *, token: str | None, max_body: int) -> None:
        self.app = app
        self.token = token
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if scope["method"] in WRITE_METHODS and scope["path"].startswith("/api/"):
            refusal = self._refusal(headers.get("authorization"))
            if refusal is not None:
                await _reply(send, *refusal)
                return
        declared = headers.get("content-length")
        if declared is not None:
            if not declared.strip().isdigit():
                await _reply(send, 400, f"invalid Content-Length header {declared!r}")
                return
            if int(declared) > self.max_body:
                await _reply(send, 413, f"request body too large: {int(declared):,} bytes, at most {self.max_body:,}")
                return
            await self.app(scope, receive, send)  # the HTTP server enforces the declared length
            return
        if scope["method"] not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        total = 0
        while True:  # no declared size (chunked upload): read up to the cap, no further
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            total += len(chunk)
            if total > self.max_body:
                await _reply(send, 413, f"request body too large: more than {self.max_body:,} bytes")
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(b"".join(chunks), receive), send)

    def _refusal(self, authorization: str | None) -> tuple[int, str, dict[str, str]] | None:
        if self.token is None:
            return 503, NO_TOKEN, {}
        challenge = {"WWW-Authenticate": 'Bearer realm="tidings"'}
        if not authorization:
            return 401, "authentication required: send 'Authorization: Bearer <token>'", challenge
        scheme, _, credentials = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not credentials.strip():
            return 401, "authentication required: the Authorization header must be 'Bearer <token>'", challenge
        if not token_matches(credentials.strip(), self.token):
            return 403, "invalid token", {}
        return None


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: disconnect notices, as the server sends them

    return replay


# Only this site's own files: no inline script or style, no plugins, no framing, forms post here only.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


class SecurityHeaders:
    """ASGI middleware: the same security headers on every response, pages, JSON, files and errors alike.

    Set here, once, rather than per route, so that no page (an error page, a static file, /docs) can be
    served without them.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


_SECRET_PARAMS = re.compile(
    r"(?i)\b((?:access_?|api_?|auth_?|bearer_?|session_?)?(?:token|key|secret|password|passwd|auth))=([^&\s\"]*)"
)


def redact(text: str) -> str:
    """A request line or URL with the values of token-like query parameters replaced by ``***``.

    >>> redact('GET /api/stories?limit=5&token=s3cret&access_token=x HTTP/1.1')
    'GET /api/stories?limit=5&token=***&access_token=*** HTTP/1.1'
    """
    return _SECRET_PARAMS.sub(r"\1=***", text)


class RedactSecrets(logging.Filter):
    """A logging filter that keeps tokens a client put in a query string out of the access log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        record.msg = redact(record.msg) if isinstance(record.msg, str) else record.msg
        return True
