"""The Spark engine (local[2]) gives the local engine's stories, copies and summaries on the same archive.

One Spark session for the module (starting the JVM is most of the cost), two
shuffle partitions, no UI; skipped when pyspark (``tidings[spark]``) or Java is missing.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tidings.batch import run_batch
from tidings.batch.core import replace_config
from tidings.config import Config

pytest.importorskip("pyspark")
pq = pytest.importorskip("pyarrow.parquet")

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "batch" / "articles.jsonl"
CONFIG = replace_config(Config(), partitions=2)

# py4j's and pyspark's sockets and threads are closed by the JVM's shutdown, after the test that opened them
pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:pyspark"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:py4j"),
]


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    if shutil.which("java") is None:
        pytest.skip("the Spark engine needs Java (17 or later)")
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers need this venv's tidings, not PATH's python3
    session = (
        SparkSession.builder.master("local[2]")
        .appName("tidings-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def outputs(spark: object, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("engines")
    reports = {}
    for engine in ("local", "spark"):
        reports[engine] = run_batch([str(FIXTURE)], base / engine, CONFIG, engine=engine)
    return {"local": base / "local", "spark": base / "spark", "reports": reports}  # type: ignore[dict-item]


def _documents(out: Path) -> dict[str, dict]:
    return {row["id"]: row for row in pq.read_table(out / "documents.parquet").to_pylist()}


def _stories(out: Path) -> dict[frozenset[str], dict]:
    docs = _documents(out)
    return {
        frozenset(d for d, row in docs.items() if row["story_id"] == story["story_id"]): story
        for story in pq.read_table(out / "stories.parquet").to_pylist()
    }


def test_same_documents_copies_and_stories(outputs: dict[str, Path]):
    local, spark = _documents(outputs["local"]), _documents(outputs["spark"])
    assert local.keys() == spark.keys()
    for doc_id, row in local.items():
        assert spark[doc_id] == row, doc_id  # story id, copy_of, cleaned text, url, dates: every column


def test_same_summaries(outputs: dict[str, Path]):
    local, spark = _stories(outputs["local"]), _stories(outputs["spark"])
    assert local.keys() == spark.keys() and len(local) == 4
    for members, story in local.items():
        other = spark[members]
        assert other["summary"] == story["summary"]
        assert other["citations"] == story["citations"]
        assert (other["title"], other["independent_sources"], other["size"]) == (
            story["title"],
            story["independent_sources"],
            story["size"],
        )


def test_same_report_counts_and_problems(outputs: dict[str, Path]):
    reports = outputs["reports"]
    local, spark = reports["local"].as_dict(), reports["spark"].as_dict()  # type: ignore[index]
    skip = {"engine", "timings", "problem_samples"}
    assert {k: v for k, v in local.items() if k not in skip} == {k: v for k, v in spark.items() if k not in skip}
    reasons = sorted(row["reason"] for row in pq.read_table(outputs["spark"] / "problems.parquet").to_pylist())
    assert reasons == sorted(p["reason"] for p in local["problem_samples"])
    assert (outputs["spark"] / "report.json").is_file()


def test_distributed_components_match_union_find(spark: object):
    from tidings.batch import core
    from tidings.batch.spark import connected_components

    edges = [("b", "a"), ("c", "b"), ("d", "c"), ("e", "d"), ("x", "y"), ("z", "y"), ("m", "n")]
    frame = spark.createDataFrame(  # type: ignore[attr-defined]
        [(min(a, b), max(a, b)) for a, b in edges], "a string, b string"
    )
    got = {row["v"]: row["label"] for row in connected_components(frame).collect()}
    assert got == core.components(edges)


def test_same_summaries_when_a_line_repeats_across_stories(spark: object, tmp_path: Path):
    from .test_local import WIDGET, with_widget

    corpus = with_widget(tmp_path / "widget.jsonl")
    for engine in ("local", "spark"):
        run_batch([str(corpus)], tmp_path / engine, CONFIG, engine=engine)
    local, other = _stories(tmp_path / "local"), _stories(tmp_path / "spark")
    assert local.keys() == other.keys()
    assert all(other[m]["summary"] == story["summary"] and WIDGET not in story["summary"] for m, story in local.items())
