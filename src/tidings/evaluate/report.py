"""Tables of evaluation results, as Markdown (for RESULTS files and the terminal)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from tidings.evaluate.harness import SystemRun, best_baseline, paired_bootstrap
from tidings.evaluate.rouge import METRICS, Protocol


def rouge_table(runs: Mapping[str, SystemRun], protocol: Protocol) -> str:
    """One row per system: mean ROUGE F1, mean and p95 seconds per cluster, failures."""
    head = "| system | R-1 | R-2 | R-L | R-Lsum | s/cluster (mean) | s/cluster (p95) | failures |"
    stemming = "on" if protocol.stemming else "off"
    lines = [
        f"ROUGE F1 x100, {protocol.name} protocol: {protocol.words} words, stemming {stemming}",
        "",
        head,
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, run in runs.items():
        m = run.mean()
        secs = np.array(list(run.seconds.values()) or [0.0])
        lines.append(
            f"| {name} | {m['rouge1']:.2f} | {m['rouge2']:.2f} | {m['rougeL']:.2f} | {m['rougeLsum']:.2f} "
            f"| {secs.mean():.3f} | {np.quantile(secs, 0.95):.3f} | {len(run.failures)} |"
        )
    return "\n".join(lines)


def comparison(runs: Mapping[str, SystemRun], system: str = "tidings", samples: int = 2000) -> str:
    """The system against the best competitor: mean difference with a 95% paired-bootstrap interval."""
    if system not in runs:
        return ""
    best = best_baseline(runs)
    if best is None:
        return ""
    lines = [
        f"{system} minus the best baseline ({best.name}), mean over clusters with 95% paired-bootstrap CI "
        f"({samples} resamples):",
        "",
        "| metric | difference | 95% CI |",
        "|---|---:|---|",
    ]
    for metric in METRICS:
        d = paired_bootstrap(runs[system], best, metric, samples=samples)
        lines.append(f"| {metric} | {d.mean:+.2f} | [{d.low:+.2f}, {d.high:+.2f}] |")
    return "\n".join(lines)
