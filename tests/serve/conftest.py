"""A small archive to serve: the seed cluster, a syndicated wire story, a hostile article, and a merged story.

It is built once per session (ingest with summaries takes seconds) and copied for each test that writes.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the service needs the serve extra: pip install -e '.[serve]'")

from fastapi.testclient import TestClient

from tidings.config import Config, FetchConfig, ServeConfig
from tidings.ingest import iter_inputs
from tidings.model import Document
from tidings.serve import create_app
from tidings.store import Archive
from tidings.stream import ingest

TOKEN = "test-token-0123456789abcdef"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

BRIDGE = (
    "The Riverside bridge reopened to traffic on Tuesday after two years of repairs that cost the city 48 million "
    "dollars, the mayor said at a ceremony attended by hundreds of residents. Engineers replaced the steel deck and "
    "strengthened the piers against floods. The mayor said buses would return to the bridge next week and that a "
    "new cycle lane would open in the summer. Local shops near the river welcomed the reopening."
)
BRIDGE_COPY = BRIDGE.replace("welcomed the reopening.", "welcomed the reopening, saying trade had fallen by half.")
BRIDGE_OTHER = (
    "Drivers crossed the Riverside bridge again on Tuesday as the city ended a two-year closure. Officials put the "
    "cost of the repairs at 52 million dollars, above the earlier estimate, and said the structure would last fifty "
    "years. Some residents complained that the works had taken far longer than promised by the council."
)
HOSTILE = (
    "The town council voted on Monday to extend the opening hours of the public library in the old market square, "
    "after a petition signed by more than two thousand readers asked for evening and Sunday hours."
)
MUSEUM = (
    "The new science wing of the city museum opened its doors on Saturday with an exhibition about volcanoes, "
    "earthquakes and the history of geology, drawing long queues of families from early morning."
)
FERRY = (
    "The harbour ferry timetable changes next month, with early sailings added on weekdays and the last evening "
    "crossing moved half an hour later, the ferry company announced on Thursday."
)
MARCH = datetime(2024, 3, 12, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Fixture:
    path: Path
    seed_story: int
    bridge_story: int
    hostile_doc: str
    merged_from: int
    merged_into: int


def _docs() -> list[tuple[Document, None]]:
    def doc(i: str, text: str, title: str, url: str, outlet: str, when: datetime) -> tuple[Document, None]:
        return Document(id=i, text=text, title=title, url=url, outlet=outlet, published=when), None

    return [
        doc("ap", BRIDGE, "Riverside bridge reopens after repairs", "https://ap.example/bridge", "AP", MARCH),
        doc("vn", BRIDGE_COPY, "Riverside bridge reopens", "https://valley.example/b", "Valley News", MARCH),
        doc("dc", BRIDGE_OTHER, "Cars back on Riverside bridge", "https://courier.example/b", "Daily Courier", MARCH),
        doc(
            "x",
            HOSTILE,
            "Council <script>alert(1)</script> votes",
            "javascript:alert(1)",
            '<img src=x onerror="alert(2)">',
            datetime(2024, 3, 11, tzinfo=UTC),
        ),
    ]


@pytest.fixture(scope="session")
def built_archive(tmp_path_factory: pytest.TempPathFactory, seed_dir: Path) -> Fixture:
    path = tmp_path_factory.mktemp("serve") / "archive.db"
    with Archive(path) as archive:
        seed = ((r.document, r.raw) for r in iter_inputs([seed_dir]))
        ingest(archive, seed)
        ingest(archive, _docs())
        ingest(archive, [(Document(id="m", text=MUSEUM, title="Museum opens science wing", published=MARCH), None)])
        ingest(archive, [(Document(id="f", text=FERRY, title="Ferry timetable changes", published=MARCH), None)])
        ids = {r["title"]: r["story_id"] for r in archive.conn.execute("SELECT title, story_id FROM documents")}
        seed_story = ids["Kim Jong Un Plays Hard To Get With Putin"]
        bridge, museum, ferry = (
            ids[t] for t in ("Riverside bridge reopens", "Museum opens science wing", "Ferry timetable changes")
        )
        assert len({seed_story, bridge, museum, ferry, ids["Council <script>alert(1)</script> votes"]}) == 5
        with archive.transaction():  # merges are rare in small archives: make one the way the ingester records it
            archive.merge_stories(ferry, museum, 0.9, datetime.now(UTC))
        hostile = archive.conn.execute("SELECT id FROM documents WHERE outlet LIKE '<img%'").fetchone()[0]
        assert archive.count_documents() == 5 + 4 + 2
    return Fixture(path, seed_story, bridge, hostile, ferry, museum)


@pytest.fixture
def archive_copy(built_archive: Fixture, tmp_path: Path) -> Fixture:
    """A private copy of the fixture archive, for tests that write."""
    path = tmp_path / "archive.db"
    shutil.copyfile(built_archive.path, path)
    return replace(built_archive, path=path)


def config(**serve: object) -> Config:
    """Test settings: no background thread (tests run its cycles), heavy work in the calling thread rather than
    in a process of its own (starting one takes seconds), loopback fetches refused as in production."""
    fetch = FetchConfig(connect_timeout=2.0, read_timeout=2.0, total_timeout=5.0, min_host_interval=0)
    return Config(fetch=fetch, serve=ServeConfig(**{"worker": False, "processes": 0, **serve}))  # type: ignore[arg-type]


@pytest.fixture
def client(built_archive: Fixture) -> Iterator[TestClient]:
    """A read-only-use client on the shared archive (token set, but tests using it must not write)."""
    with TestClient(create_app(built_archive.path, config(), TOKEN)) as c:
        yield c


@pytest.fixture
def writer(archive_copy: Fixture) -> Iterator[TestClient]:
    """A client on a private copy of the archive, with the write token configured."""
    with TestClient(create_app(archive_copy.path, config(), TOKEN)) as c:
        yield c
