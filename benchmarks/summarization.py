"""ROUGE of tidings and every baseline on the development clusters, side by side in one process.

Usage: python benchmarks/summarization.py [--data ../shared/data/summarization-dev] [--out benchmarks/results]

Runs `tidings eval`'s harness on Multi-News (300 words, stemming) and WCEP (40 words, no stemming) with
Lead, Random, the greedy Oracle and the peers (sumy LexRank/LSA/TextRank, summa TextRank, lexrank), and
writes benchmarks/results/summarization.md with the machine, date, versions and the command.
"""

from __future__ import annotations

import argparse
import importlib.metadata as md
import os
import platform
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from tidings.evaluate.baselines import BASELINES, tidings_system
from tidings.evaluate.clusters import read_clusters
from tidings.evaluate.harness import evaluate
from tidings.evaluate.report import comparison, rouge_table
from tidings.evaluate.rouge import protocol_for

ROOT = Path(__file__).resolve().parent.parent
PEERS = ["lead", "random", "oracle", "sumy-lexrank", "sumy-lsa", "sumy-textrank", "summa-textrank", "lexrank"]
VERSIONS = ["tidings", "rouge-score", "sumy", "summa", "lexrank", "scikit-learn", "pysbd", "datasketch", "trafilatura"]


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    system = f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    return f"{cpu}, {os.cpu_count()} cores, {ram:.0f} GiB RAM, {system}"


def versions(names: Sequence[str] = VERSIONS) -> str:
    """Installed versions of ``names``, for a results file's header."""
    out = []
    for name in names:
        try:
            out.append(f"{name} {md.version(name)}")
        except md.PackageNotFoundError:
            out.append(f"{name} (not installed)")
    return ", ".join(out)


def run_dataset(path: Path, systems: list[str]) -> str:
    protocol = protocol_for(str(path))
    clusters = list(read_clusters(path))
    chosen = {"tidings": tidings_system(), **{n: BASELINES[n] for n in systems}}
    if "oracle" in chosen:
        chosen["oracle"] = partial(BASELINES["oracle"], stemming=protocol.stemming)
    start = time.perf_counter()
    runs = evaluate(clusters, chosen, protocol)
    took = time.perf_counter() - start
    lines = [
        f"### {path.name} ({len(clusters)} clusters, {took / 60:.1f} min in all)",
        "",
        rouge_table(runs, protocol),
        "",
        comparison(runs),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "summarization-dev")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--systems", default=",".join(PEERS))
    args = parser.parse_args()
    systems = [s for s in args.systems.split(",") if s]
    sections = [
        "## Summarization quality (ROUGE, dev data)",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {machine()}",
        f"- versions: {versions()}",
        f"- command: `python benchmarks/summarization.py {' '.join(sys.argv[1:])}`".replace(" `", "`"),
        "",
        "Every system gets the same clusters and the same budget; outputs are truncated to the budget before "
        "scoring (rouge-score, F1 x100, averaged per cluster). Peers get the raw article texts; sentences are "
        "split with the same splitter. The oracle reads the reference: an upper bound, not a competitor.",
        "",
    ]
    for name in ("multinews-val250.jsonl", "wcep-train923.jsonl"):
        path = args.data / name
        if path.exists():
            sections.append(run_dataset(path, systems))
        else:
            sections.append(f"### {name}\n\n(not found at {path})\n")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "summarization.md").write_text("\n".join(sections), encoding="utf-8")
    print("\n".join(sections))


if __name__ == "__main__":
    main()
