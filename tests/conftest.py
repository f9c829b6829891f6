"""Shared fixtures: paths to the bundled example and the small test fixtures."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from .localserver import Handler, LocalServer, State

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    """The seed cluster bundled under examples/ (five scraped articles, junk included)."""
    return ROOT / "examples" / "seed-cluster"


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def seed_summary(seed_dir: Path):
    """The default summary of the seed cluster, computed once."""
    from tidings.pipeline import summarize_paths

    return summarize_paths([seed_dir])


@pytest.fixture
def server() -> Iterator[LocalServer]:
    """A local HTTP server; register routes with ``@server.route(path)``."""
    httpd = LocalServer(("127.0.0.1", 0), Handler)
    httpd.state = State()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd
    httpd.state.stop.set()  # release handlers that are "hanging"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=2)
