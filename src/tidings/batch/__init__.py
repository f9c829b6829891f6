"""Batch: a whole archive of articles into stories and cited summaries, on one machine or on Spark.

``run_batch(inputs, output, engine="local" | "spark")`` reads JSONL or Parquet
records, and writes ``documents.parquet``, ``stories.parquet``,
``problems.parquet`` and ``report.json`` under ``output``. The algorithm
(:mod:`tidings.batch.core`) is deterministic and shared, so both engines give
the same stories, copies and summaries for the same input; the Spark engine
(:mod:`tidings.batch.spark`, needs ``tidings[spark]``) spreads it over a
cluster, the local one (:mod:`tidings.batch.local`) runs in one process.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tidings.batch.core import BatchReport
from tidings.config import Config
from tidings.errors import TidingsError

ENGINES = ("local", "spark")

__all__ = ["ENGINES", "BatchReport", "run_batch"]


def run_batch(
    inputs: Sequence[str],
    output: str | Path,
    config: Config | None = None,
    *,
    engine: str = "local",
    master: str | None = None,
    workers: int = 1,
    input_format: str = "auto",
) -> BatchReport:
    """Cluster, deduplicate and summarize ``inputs`` into Parquet tables under ``output``.

    ``workers`` is the local engine's number of processes; ``master`` is
    Spark's (``local[2]``, ``spark://host:7077``, ``yarn``; None leaves it to
    ``spark-submit``).
    """
    config = config or Config()
    if engine == "local":
        from tidings.batch.local import run_local

        return run_local(inputs, Path(output), config, workers=workers, input_format=input_format)
    if engine == "spark":
        from tidings.batch.spark import run_spark

        return run_spark(inputs, str(output), config, master=master, input_format=input_format)
    raise TidingsError(f"unknown engine {engine!r} (known: {', '.join(ENGINES)})")
