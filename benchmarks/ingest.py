"""Ingest as a user runs it: `tidings ingest FILE.jsonl` with the defaults (summaries on), then reads.

    python benchmarks/ingest.py [--sizes 1000,10000] [--tidings PATH/TO/tidings] [--label NAME] [--output FILE]
                                [--compare PATH/TO/other/tidings --compare-label NAME] [--then M] [--repeat N]

For each size, synthetic articles (``stories.synthetic()``: dev clusters re-issued under new identities, 500
articles a day) are written to a JSONL file, and the command line a user types is timed in a fresh process:

- ``tidings ingest FILE --db DB`` (defaults: summaries of every touched story ready at the end, workers = CPU
  cores up to 4): wall seconds, articles/s, CPU seconds of the whole process tree (what a loaded machine does
  not inflate as it does wall time), peak RSS of the writer and of its largest worker;
- ``tidings stories --db DB --json --all`` right after: wall seconds (reads cached summaries);
- ``tidings --help`` and ``tidings summarize examples/seed-cluster``: start-up, median of 5;
- with ``--then M``: ``tidings ingest`` of the stream's next M articles into that archive (the stories they join
  are summarized again: what a growing archive pays per update).

``--tidings`` runs another installation's CLI (an older commit's venv); ``--compare`` runs a second one on the
same data right after the first, size by size, so before and after are measured on the same machine, data and
minutes; ``--repeat N`` ingests N times per installation, alternating which goes first, and reports medians (a
shared machine's speed can move by a fifth within the hour: one pair can show a change, or hide one). Dev data
is read from ../shared/data/summarization-dev (licensed, never copied).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
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


def timed(cmd: list[str]) -> tuple[float, float, str, float]:
    """Wall seconds, peak RSS (MiB) of the command's largest process, its stdout, and the CPU seconds of its
    process tree (every process it waited for), from that command's own resource usage (``wait4``): the
    children's usage that ``getrusage`` reports is a maximum over every command run so far."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        took = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8"), err.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {stderr[-2000:]}")
    return took, usage.ru_maxrss / 1024, stdout, usage.ru_utime + usage.ru_stime


def median_of(cmd: list[str], runs: int = 5) -> float:
    return statistics.median(timed(cmd)[0] for _ in range(runs))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--tidings", default=str(Path(sys.executable).with_name("tidings")))
    parser.add_argument("--label", default="this tree")
    parser.add_argument("--output", type=Path, default=None, help="append the Markdown rows here")
    parser.add_argument("--compare", default=None, help="a second installation's tidings, run on the same data")
    parser.add_argument("--compare-label", default="compared")
    parser.add_argument(
        "--then", type=int, default=0, help="then ingest this many more articles of the stream into each archive"
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="ingest this many times per tidings, alternating their order (medians)"
    )
    args = parser.parse_args()
    clis = [(args.label, args.tidings)] + ([(args.compare_label, args.compare)] if args.compare else [])
    label_no = {label: k for k, (label, _) in enumerate(clis)}
    rows: list[str] = []
    every: list[str] = []
    startup = [
        f"{label}: `--help` {median_of([cli, '--help']):.2f} s, `summarize examples/seed-cluster`"
        f" {median_of([cli, 'summarize', str(ROOT / 'examples' / 'seed-cluster')]):.2f} s"
        for label, cli in clis
    ]
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            data, more = Path(tmp) / "articles.jsonl", Path(tmp) / "more.jsonl"
            write_jsonl(n + args.then, data)
            if args.then:
                lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
                data.write_text("".join(lines[:n]), encoding="utf-8")
                more.write_text("".join(lines[n:]), encoding="utf-8")
            runs: dict[str, list[tuple[float, float, float, int, Path]]] = {label: [] for label, _ in clis}
            for round_no in range(args.repeat):  # the order alternates, so a machine that speeds up favours none
                for label, cli in clis if round_no % 2 == 0 else clis[::-1]:
                    if runs[label]:
                        runs[label][-1][4].unlink()  # only the last run's archive is listed and extended
                    db = Path(tmp) / f"tidings-{label_no[label]}-{round_no}.db"
                    took, peak, out, cpu = timed([cli, "ingest", str(data), "--db", str(db), "--json"])
                    runs[label].append((took, peak, cpu, json.loads(out)["added"], db))
            for label, cli in clis:
                took = statistics.median(r[0] for r in runs[label])
                cpu = statistics.median(r[2] for r in runs[label])
                peak, added, db = max(r[1] for r in runs[label]), runs[label][-1][3], runs[label][-1][4]
                read, _, listing, _ = timed([cli, "stories", "--db", str(db), "--json", "--all"])
                stories = len(json.loads(listing))
                rows.append(
                    f"| {label} | {n:,} | {took:.1f} | {added / took:.0f} | {cpu:.0f} |"
                    f" {1000 * cpu / max(1, added):.1f} | {peak:.0f} | {stories:,} | {read:.1f} |"
                )
                if args.repeat > 1:
                    every.append(
                        f"- {label}, {n:,} articles: wall {', '.join(f'{r[0]:.1f}' for r in runs[label])} s;"
                        f" CPU {', '.join(f'{r[2]:.1f}' for r in runs[label])} s"
                    )
                if args.then:
                    took, peak, out, cpu = timed([cli, "ingest", str(more), "--db", str(db), "--json"])
                    report = json.loads(out)
                    rows.append(
                        f"| {label}, then {args.then:,} more into that archive | {n:,} + {args.then:,} | {took:.1f} |"
                        f" {report['added'] / took:.0f} | {cpu:.0f} | {1000 * cpu / max(1, report['added']):.1f} |"
                        f" {peak:.0f} | | |"
                    )
    lines = [
        f"## {' vs '.join(label for label, _ in clis)}: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC,"
        f" {platform.machine()} ({os.cpu_count()} cores), Python {platform.python_version()},"
        f" load {os.getloadavg()[0]:.1f} at the end",
        "",
        "Start-up (medians of 5): " + "; ".join(startup),
        "",
        "| tidings | articles | ingest s | articles/s | CPU s (process tree) | CPU ms per article"
        " | peak RSS MiB (largest process) | stories | `stories --json --all` s |",
        "|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        *([f"Medians of {args.repeat} ingests each, in alternating order; every run:", *every, ""] if every else []),
    ]
    text = "\n".join(lines)
    print(text)
    if args.output:
        with args.output.open("a", encoding="utf-8") as out:
            out.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
