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


def quality_table(runs: dict, clusters: list, protocol) -> str:
    """Redundancy (MiniLM cosine >= 0.75 between two sentences of one summary) and web junk, per system."""
    from tidings.evaluate import quality
    from tidings.evaluate.rouge import truncate

    try:
        from tidings.semantic import shared_encoder

        encoder = shared_encoder()
        encoder.encode(["warm up"])
    except Exception as exc:  # noqa: BLE001 - the semantic extra is optional
        return f"(redundancy not measured: {exc})"
    corpus = quality.corpus_boilerplate(clusters)
    rows = [
        "| system | summaries with a redundant pair | with junk (phrase list) | with junk (repeated in 3+ clusters) |",
        "|---|---:|---:|---:|",
    ]
    for name in ("tidings", "lead", "sumy-lexrank"):
        if name not in runs:
            continue
        outputs = {cid: truncate(out, protocol.words) for cid, out in runs[name].outputs.items()}
        red = quality.redundancy(outputs, encoder.encode)
        junk = quality.junk(outputs, corpus)
        phrase = sum("phrase" in v for v in junk.values())
        repeated = sum("repeated" in v for v in junk.values())
        rows.append(f"| {name} | {red.share:.1%} ({red.redundant}/{red.total}) | {phrase} | {repeated} |")
    refs = quality.redundancy(quality.reference_sentences(clusters), encoder.encode)
    rows.append(f"| human reference | {refs.share:.1%} ({refs.redundant}/{refs.total}) | | |")
    return "\n".join(rows)


def run_dataset(path: Path, systems: list[str]) -> str:
    protocol = protocol_for(str(path))
    clusters = list(read_clusters(path))
    chosen = {"tidings": tidings_system(corpus=clusters), **{n: BASELINES[n] for n in systems}}
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
        "Redundancy and junk (tidings' output, as scored: truncated to the budget):",
        "",
        quality_table(runs, clusters, protocol),
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
