"""A threaded HTTP server on 127.0.0.1 for tests: routes are Python functions, every request is recorded.

Tests never touch the network; pages and feeds come from here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Hit:
    path: str
    at: float
    headers: dict[str, str]


Route = Callable[["Handler"], None]


class Handler(BaseHTTPRequestHandler):
    server: LocalServer

    def do_GET(self) -> None:
        state = self.server.state
        with state.lock:
            state.hits.append(Hit(self.path, time.monotonic(), {k.lower(): v for k, v in self.headers.items()}))
        route = state.routes.get(self.path.split("?", 1)[0])
        try:
            if route is None:
                self.reply(404, b"not found")
            else:
                route(self)
        except OSError:  # the client hung up on purpose (size cap, timeout)
            pass

    def reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        headers = {"Content-Length": str(len(body)), **(headers or {})}
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass


@dataclass
class State:
    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True
    state: State

    @property
    def port(self) -> int:
        return self.server_address[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str) -> Callable[[Route], Route]:
        def register(fn: Route) -> Route:
            self.state.routes[path] = fn
            return fn

        return register

    def paths(self) -> list[str]:
        return [hit.path for hit in self.state.hits]
