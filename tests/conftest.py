"""Shared fixtures: paths to the bundled example and the small test fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

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
