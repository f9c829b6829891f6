"""The service over real HTTP (uvicorn on 127.0.0.1): limits enforced on the wire, concurrent readers and writers."""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import httpx

from tidings.serve import create_app

from .conftest import AUTH, TOKEN, Fixture, config
from .live import running


def test_an_oversized_body_is_refused_before_it_is_sent(archive_copy: Fixture):
    """Only the headers go out: the server answers 413 without waiting for the gigabyte it was promised."""
    with running(create_app(archive_copy.path, config(), TOKEN)) as base:
        address = urlsplit(base)
        with socket.create_connection((address.hostname, address.port), timeout=10) as conn:
            head = (
                "POST /api/documents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                f"Authorization: Bearer {TOKEN}\r\nContent-Length: 1000000000\r\n\r\n"
            )
            conn.sendall(head.encode())
            reply = b""
            while b"}" not in reply:  # the JSON error body follows the headers
                chunk = conn.recv(4096)
                if not chunk:
                    break
                reply += chunk
        assert reply.startswith(b"HTTP/1.1 413") and b"request body too large" in reply


def test_concurrent_writers_and_readers_lose_nothing(archive_copy: Fixture):
    """Clients post articles while others read and the worker summarizes: every article is archived once."""
    sizes, count = "SELECT SUM(size) FROM stories WHERE merged_into IS NULL", "SELECT COUNT(*) FROM documents"
    with sqlite3.connect(archive_copy.path) as conn:
        size_before, docs_before = conn.execute(sizes).fetchone()[0], conn.execute(count).fetchone()[0]
    conn.close()
    settings = config(worker=True, poll_every=0, summary_delay=0.05, processes=1)  # as served: a compute process
    app = create_app(archive_copy.path, settings, TOKEN)
    accepted: list[str] = []
    errors: list[str] = []
    lock = threading.Lock()
    with running(app) as base:
        status = httpx.get(f"{base}/api/status").json()
        assert status["worker"] is True

        def post(i: int) -> None:
            text = (
                f"Workers at factory {i} in the town of Millbrook{i} went on strike on Monday over pay, the union "
                f"said, and production of parts number {i * 7} stopped while managers met union leaders {i}."
            )
            with httpx.Client(base_url=base, headers=AUTH, timeout=60) as c:
                r = c.post("/api/documents", json={"text": text, "url": f"https://strike.example/{i}"})
                with lock:
                    if r.status_code != 201:
                        errors.append(f"post {i}: {r.status_code} {r.text}")
                    else:
                        accepted.append(r.json()["results"][0]["id"])

        def read(i: int) -> None:
            with httpx.Client(base_url=base, timeout=60) as c:
                for path in ("/", "/api/stories", f"/api/stories/{archive_copy.seed_story}", "/search?q=strike"):
                    r = c.get(path)
                    if r.status_code != 200:
                        with lock:
                            errors.append(f"read {path}: {r.status_code}")

        with ThreadPoolExecutor(16) as pool:
            list(pool.map(lambda i: post(i) if i % 2 else read(i), range(48)))
        assert errors == []
        with httpx.Client(base_url=base) as c:
            for doc_id in accepted:
                assert c.get(f"/api/documents/{doc_id}").status_code == 200
            deadline = time.monotonic() + 120  # warming up (story index, compute processes) ends, however slowly
            while not c.get("/api/status").json()["ready"]:
                assert time.monotonic() < deadline, "the server never finished warming up"
                time.sleep(0.2)
    assert len(accepted) == 24 == len(set(accepted))
    conn = sqlite3.connect(archive_copy.path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute(count).fetchone()[0] == docs_before + 24
        assert conn.execute(sizes).fetchone()[0] == size_before + 24  # no story id handed out twice
    finally:
        conn.close()
