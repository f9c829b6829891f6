"""Ingest as a user runs it: `tidings ingest FILE.jsonl` with the defaults (summaries on), then reads.

    python benchmarks/ingest.py [--sizes 1000,10000] [--tidings PATH/TO/tidings] [--label NAME] [--output FILE]

For each size, synthetic articles (``stories.synthetic()``: dev clusters re-issued under new identities, 500
articles a day) are written to a JSONL file, and the command line a user types is timed in a fresh process:

- ``tidings ingest FILE --db DB`` (defaults: summaries of every touched story ready at the end, workers = CPU
  cores up to 4): wall seconds, articles/s, peak RSS of the writer and of its largest worker;
- ``tidings stories --db DB --json --all`` right after: wall seconds (reads cached summaries);
- ``tidings --help`` and ``tidings summarize examples/seed-cluster``: start-up, median of 5.

``--tidings`` runs another installation's CLI (an older commit's venv) so before and after are measured on the
same machine, data and minute. Dev data is read from ../shared/data/summarization-dev (licensed, never copied).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stories import DATASETS, synthetic
from tidings.evaluate.clusters import read_clusters

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "summarization-dev"


def write_jsonl(n: int, path: Path) -> None:
    clusters = [c for name in DATASETS for c in read_clusters(DATA / name)]
    with path.open("w", encoding="utf-8") as out:
        for doc, _ in synthetic(clusters, n):
            record = {"text": doc.text, "title": doc.title, "url": doc.url, "published": doc.published.isoformat()}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def timed(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MiB) of the command's largest process, and its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr[-2000:]}")
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return took, peak, done.stdout


def median_of(cmd: list[str], runs: int = 5) -> float:
    return statistics.median(timed(cmd)[0] for _ in range(runs))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--tidings", default=str(Path(sys.executable).with_name("tidings")))
    parser.add_argument("--label", default="this tree")
    parser.add_argument("--output", type=Path, default=None, help="append the Markdown rows here")
    args = parser.parse_args()
    cli = args.tidings
    rows = []
    startup = (
        median_of([cli, "--help"]),
        median_of([cli, "summarize", str(ROOT / "examples" / "seed-cluster")]),
    )
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            data, db = Path(tmp) / "articles.jsonl", Path(tmp) / "tidings.db"
            write_jsonl(n, data)
            took, peak, out = timed([cli, "ingest", str(data), "--db", str(db), "--json"])
            report = json.loads(out)
            read, _, listing = timed([cli, "stories", "--db", str(db), "--json", "--all"])
            stories = len(json.loads(listing))
        rows.append(
            f"| {args.label} | {n:,} | {took:.1f} | {report['added'] / took:.0f} | {peak:.0f} | {stories:,} |"
            f" {read:.1f} |"
        )
    lines = [
        f"## {args.label}: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()} ({os.cpu_count()} cores),"
        f" Python {platform.python_version()}, load {os.getloadavg()[0]:.1f} at the end",
        "",
        f"`{cli} --help`: {startup[0]:.2f} s; `summarize examples/seed-cluster`: {startup[1]:.2f} s (medians of 5)",
        "",
        "| tidings | articles | ingest s | articles/s | peak RSS MiB (largest process) | stories"
        " | `stories --json --all` s |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.output:
        with args.output.open("a", encoding="utf-8") as out:
            out.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
