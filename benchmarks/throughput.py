"""Summarize throughput: MB of raw article text per CPU second, and where the time goes, stage by stage.

    python benchmarks/throughput.py [--words 150] [--compare NAME=SRC_DIR ...] [--output FILE]

Every cluster of the dev sets (Multi-News val 250, WCEP train 923; ../shared/data/summarization-dev, licensed,
never copied) goes through the stages of ``tidings.pipeline.prepare`` and ``summarize_prepared`` one at a time,
in one process, with the defaults a user gets (``--words``: the summary budget, 150 by default as in
``tidings summarize``): reading (the dataset's articles as Documents), clean (``accept``: the line cleaner and
checks), segment, dedup, summarize. Each stage's CPU seconds come from ``time.process_time``, which a loaded
machine does not inflate as it does wall time; MB/s per core is the raw article text (UTF-8 bytes) over the CPU
seconds of clean, segment, dedup and summarize.

``--compare NAME=SRC`` runs the same measurement for another tree's ``src`` directory (an older commit exported
with ``git archive``) in a child process right after this one, so both are measured on the same machine, data
and minutes. The stages are called the way ``prepare`` calls them, and each summary is compared with
``prepare`` + ``summarize_prepared``'s ("differs from prepare"): only a cluster whose every article is too short
differs (``prepare`` then summarizes the short ones, which this mirror leaves out).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "summarization-dev"
SETS = ("multinews-val250.jsonl", "wcep-train923.jsonl")
STAGES = ("read", "clean", "segment", "dedup", "summarize")


def measure(words: int) -> dict[str, object]:
    """Stage CPU seconds and raw MB per dev set, for the tidings on ``sys.path``."""
    from dataclasses import replace

    from tidings.config import Config
    from tidings.dedup import deduplicate
    from tidings.evaluate.clusters import read_clusters
    from tidings.model import Problem
    from tidings.pipeline import Prepared, accept, prepare, summarize_prepared
    from tidings.segment import segment

    try:  # as the `tidings` command runs; a tree older than it ran BLAS as it came
        from tidings.processes import one_blas_thread

        one_blas_thread()
    except ImportError:
        pass
    base = Config()
    config = replace(base, summarize=replace(base.summarize, words=words))
    out: dict[str, object] = {}
    for name in SETS:
        clusters = list(read_clusters(DATA / name))
        seconds = dict.fromkeys(STAGES, 0.0)
        raw = sum(len(a.text.encode("utf-8")) for c in clusters for a in c.articles)
        mismatches = 0
        for cluster in clusters:
            t0 = time.process_time()
            docs = cluster.documents()
            t1 = time.process_time()
            accepted = [d for d in (accept(doc, config) for doc in docs) if not isinstance(d, Problem)]
            t2 = time.process_time()
            sentences = {d.id: segment(d) for d in accepted}
            kept = [d for d in accepted if sentences[d.id]]
            t3 = time.process_time()
            marked, dedup = deduplicate(kept, sentences, config.dedup)
            t4 = time.process_time()
            summary = summarize_prepared(Prepared(marked, sentences, dedup), config)
            t5 = time.process_time()
            for stage, spent in zip(STAGES, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4), strict=True):
                seconds[stage] += spent
            reference = summarize_prepared(prepare(cluster.documents(), config), config)
            mismatches += [s.text for s in summary.sentences] != [s.text for s in reference.sentences]
        work = sum(seconds[s] for s in STAGES[1:])
        out[name] = {
            "clusters": len(clusters),
            "articles": sum(len(c.articles) for c in clusters),
            "raw_mb": raw / 1e6,
            "seconds": seconds,
            "mb_per_cpu_s": raw / 1e6 / work,
            "mismatches": mismatches,
        }
    return out


def _child(src: str, words: int) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": src}
    cmd = [sys.executable, __file__, "--child", "--words", str(words)]
    return json.loads(subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout)


def table(rows: list[tuple[str, dict[str, object]]]) -> str:
    lines = [
        "| tidings | data | raw MB | "
        + " | ".join(f"{s} CPU s" for s in STAGES)
        + " | MB/s per core (clean..summarize) | differs from prepare |",
        "|---|---|---:|" + "---:|" * len(STAGES) + "---:|---:|",
    ]
    for label, result in rows:
        for name, r in result.items():
            secs = r["seconds"]
            lines.append(
                f"| {label} | {name} | {r['raw_mb']:.2f} | "
                + " | ".join(f"{secs[s]:.2f}" for s in STAGES)
                + f" | {r['mb_per_cpu_s']:.3f} | {r['mismatches']} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, default=150)
    parser.add_argument("--compare", action="append", default=[], metavar="NAME=SRC")
    parser.add_argument("--label", default="this tree")
    parser.add_argument("--output", type=Path)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.words)))
        return
    rows = [(args.label, measure(args.words))]
    for spec in args.compare:
        name, src = spec.split("=", 1)
        rows.append((name, _child(src, args.words)))
    load = os.getloadavg()[0]
    header = (
        f"## Summarize throughput, {args.words} words: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{platform.machine()} ({os.cpu_count()} cores), Python {platform.python_version()}, "
        f"load {load:.1f} at the end\n\n"
        f"Command: `python benchmarks/throughput.py --words {args.words}"
        + "".join(f" --compare {c}" for c in args.compare)
        + "`\n\n"
    )
    text = header + table(rows) + "\n"
    print(text)
    if args.output:
        with args.output.open("a", encoding="utf-8") as out:
            out.write(text + "\n")


if __name__ == "__main__":
    main()
