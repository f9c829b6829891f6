"""Batch engines at scale: throughput, peak memory and shuffle size of `--engine local` vs `--engine spark`.

Usage: python benchmarks/batch.py [--sizes 10000,100000] [--engines local,spark] [--spark-memory 6g]
                                  [--data ../shared/data/summarization-dev]

For each size, a synthetic JSONL archive is written to a temporary directory (never into the repository):
dev clusters re-issued under new identities, 500 articles a day (benchmarks/stories.py `synthetic()`), every
article with an id, title, URL and date. Each engine then runs in a child process, exactly as
`tidings batch IN OUT --engine E` (local: 2 worker processes; Spark: local[2], event log on), while this
process samples the resident memory of the child's whole process tree (for Spark: the Python driver, the JVM
and its Python workers) every 0.2 s, and each part's own peak (the engine's Python process, the JVM, the worker
processes; `--spark-memory` sets `spark.driver.memory`, in local mode the heap of the one JVM that is both
driver and executor). Reported: wall time, articles/s, peak RSS of the tree, stories formed,
B-cubed F1 against the synthetic stories, the B-cubed agreement of each engine's stories with the first
engine's (Spark against local: 1.000 means the same stories), and for Spark the shuffle bytes written (summed
from the event log's task-end events). The dev-stream quality of the batch, beside the archive's, is in
benchmarks/stories.py.

Writes benchmarks/results/batch.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stories import DATASETS, synthetic
from summarization import VERSIONS, machine, versions
from tidings.evaluate.clustering import bcubed
from tidings.evaluate.clusters import read_clusters

ROOT = Path(__file__).resolve().parent.parent


def write_corpus(data: Path, n: int, path: Path) -> dict[str, int]:
    """N synthetic articles as JSONL; returns id -> synthetic story."""
    clusters = [c for name in DATASETS for c in read_clusters(data / name)]
    gold = {}
    with path.open("w", encoding="utf-8") as out:
        for k, (doc, story) in enumerate(synthetic(clusters, n)):
            doc_id = f"n{k:07d}"
            gold[doc_id] = story
            record = {
                "id": doc_id,
                "text": doc.text,
                "title": doc.title,
                "url": doc.url,
                "published": doc.published.isoformat() if doc.published else None,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return gold


def child(engine: str, source: str, output: str, events: str) -> None:
    """Run one engine in this process (called by the parent as a child process)."""
    from tidings.batch import run_batch
    from tidings.batch.core import replace_config
    from tidings.config import Config

    config = replace_config(Config(), partitions=8)
    if engine == "spark":
        from pyspark.sql import SparkSession

        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        spark = (
            SparkSession.builder.master("local[2]")
            .appName("tidings-batch-bench")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.memory", os.environ.get("BENCH_SPARK_MEMORY", "6g"))
            .config("spark.eventLog.enabled", "true")
            .config("spark.eventLog.dir", events)
            .config("spark.eventLog.compress", "false")  # plain JSON lines, summed below
            .config("spark.sql.shuffle.partitions", "8")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        report = run_batch([source], output, config, engine="spark")
        spark.stop()
    else:
        report = run_batch([source], output, config, engine="local", workers=2)
    print(json.dumps(report.as_dict()))


def measure(engine: str, source: Path, output: Path, events: Path) -> dict[str, float | dict]:
    cmd = [sys.executable, __file__, "--child", engine, str(source), str(output), str(events)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    root = psutil.Process(proc.pid)
    peak = 0
    roles: dict[str, int] = {}
    while proc.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
            now: dict[str, int] = {}
            for p in tree:
                with contextlib.suppress(psutil.NoSuchProcess):
                    role = _role(p, root)
                    now[role] = now.get(role, 0) + p.memory_info().rss
            peak = max(peak, sum(now.values()))
            roles = {role: max(roles.get(role, 0), rss) for role, rss in {**roles, **now}.items()}
        except psutil.NoSuchProcess:
            pass
        time.sleep(0.2)
    took = time.perf_counter() - start
    stdout = proc.stdout.read() if proc.stdout else ""
    if proc.returncode != 0:
        raise RuntimeError(f"{engine} failed with exit code {proc.returncode}")
    report = json.loads(stdout.strip().splitlines()[-1])
    return {
        "seconds": took,
        "peak_mib": peak / 2**20,
        "roles": {role: rss / 2**20 for role, rss in sorted(roles.items())},
        "report": report,
        "shuffle": shuffle_bytes(events),
    }


def _role(process: psutil.Process, root: psutil.Process) -> str:
    """Which part of an engine a process is: the driver (the engine's own Python), the JVM, or a worker."""
    if process.pid == root.pid:
        return "driver"
    return "jvm" if "java" in process.name() else "workers"


def shuffle_bytes(events: Path) -> float:
    """Shuffle bytes written, summed over every task of every event log under ``events``."""
    total = 0
    for log in events.rglob("*"):  # Spark 4 writes rolling logs: a directory of files per application
        if not log.is_file():
            continue
        with log.open(encoding="utf-8") as stream:
            for line in stream:
                if '"SparkListenerTaskEnd"' not in line:
                    continue
                metrics = json.loads(line).get("Task Metrics") or {}
                total += (metrics.get("Shuffle Write Metrics") or {}).get("Shuffle Bytes Written", 0)
    return float(total)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "summarization-dev")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--engines", default="local,spark")
    parser.add_argument(
        "--spark-memory",
        default="6g",
        help="spark.driver.memory: in local mode the heap of the one JVM (driver and executor)",
    )
    parser.add_argument("--child", nargs=4, metavar=("ENGINE", "INPUT", "OUTPUT", "EVENTS"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    os.environ["BENCH_SPARK_MEMORY"] = args.spark_memory
    lines = [
        "## Batch engines",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {machine()}",
        f"- versions: {versions([*VERSIONS, 'pyspark', 'pyarrow'])}, java {_java()}",
        f"- command: `python benchmarks/batch.py {' '.join(sys.argv[1:])}`",
        "",
    ]
    sizes = [int(s) for s in args.sizes.split(",") if s]
    lines += [
        "### Throughput, memory, shuffle",
        "",
        "| articles | engine | seconds | articles/s | peak RSS, process tree (MiB) | shuffle written (MiB) "
        "| stories | B³ F1 vs synthetic | agreement with the first engine |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    steps: list[str] = []
    peaks: list[str] = []
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "corpus.jsonl"
            gold = write_corpus(args.data, n, source)
            first: list[str] | None = None
            for engine in args.engines.split(","):
                events = Path(tmp) / f"events-{engine}"
                events.mkdir()
                result = measure(engine, source, Path(tmp) / f"out-{engine}", events)
                import pyarrow.parquet as pq

                rows = pq.read_table(Path(tmp) / f"out-{engine}" / "documents.parquet", columns=["id", "story_id"])
                pairs = sorted(rows.to_pylist(), key=lambda r: r["id"])
                s = bcubed([r["story_id"] for r in pairs], [gold[r["id"]] for r in pairs])
                labels = [r["story_id"] for r in pairs]
                if first is None:  # the first engine is the reference the others are compared with
                    first, agreement = labels, "-"
                else:
                    agreement = f"{bcubed(labels, first).f1:.3f}" if len(labels) == len(first) else "n/a"
                shuffle = f"{result['shuffle'] / 2**20:.0f}" if engine == "spark" else "-"
                report = result["report"]
                lines.append(
                    f"| {n:,} | {engine} | {result['seconds']:.0f} | {n / result['seconds']:.1f} "
                    f"| {result['peak_mib']:.0f} | {shuffle} | {report['stories']:,} | {s.f1:.3f} | {agreement} |"
                )
                print(lines[-1], json.dumps(report["timings"]), flush=True)
                steps.append(f"- {n:,} {engine}: " + ", ".join(f"{k} {v:.0f} s" for k, v in report["timings"].items()))
                peaks.append(
                    f"- {n:,} {engine}: "
                    + ", ".join(f"{role} {mib:,.0f} MiB" for role, mib in result["roles"].items())
                    + f" (load average {os.getloadavg()[0]:.1f} at the end)"
                )
    lines += ["", "Seconds per step (from each run's report.json):", "", *steps]
    lines += ["", "Peak RSS of each part (each part's own peak; they need not coincide):", "", *peaks]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "batch.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def _java() -> str:
    try:
        out = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False).stderr
    except OSError:
        return "not found"
    return out.splitlines()[0] if out else "unknown"


if __name__ == "__main__":
    main()
