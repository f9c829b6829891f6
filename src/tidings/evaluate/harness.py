"""Run systems over clusters, score them, and compare them with confidence intervals.

Scoring (per cluster) is separate from aggregation (means, paired
bootstrap), following rouge-score's own split. Each system's wall time
per cluster is recorded too, measured in the same process.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from tidings.evaluate.baselines import System
from tidings.evaluate.clusters import Cluster
from tidings.evaluate.rouge import METRICS, Protocol, Scorer


@dataclass
class SystemRun:
    """One system's outputs and per-cluster scores."""

    name: str
    outputs: dict[str, list[str]] = field(default_factory=dict)
    scores: dict[str, dict[str, float]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)

    def mean(self) -> dict[str, float]:
        """Average F1 per metric over scored clusters (failures score 0 and are counted)."""
        ids = list(self.scores)
        return {m: float(np.mean([self.scores[i][m] for i in ids])) if ids else 0.0 for m in METRICS}

    def column(self, metric: str, ids: Sequence[str]) -> np.ndarray:
        return np.array([self.scores[i][metric] for i in ids], dtype=np.float64)


def run_system(
    name: str,
    system: System,
    clusters: Sequence[Cluster],
    scorer: Scorer,
    on_cluster: Callable[[], None] | None = None,
) -> SystemRun:
    """Run one system on every cluster. A crash on one cluster scores it 0 and is recorded."""
    run = SystemRun(name)
    zero = dict.fromkeys(METRICS, 0.0)
    for cluster in clusters:
        start = time.perf_counter()
        try:
            output = system(cluster, scorer.protocol.words)
        except Exception as exc:  # noqa: BLE001 - a peer's crash is a measured outcome
            run.failures[cluster.id] = f"{type(exc).__name__}: {exc}"
            output = []
        run.seconds[cluster.id] = time.perf_counter() - start
        run.outputs[cluster.id] = output
        run.scores[cluster.id] = scorer.score(output, cluster.reference) if output else dict(zero)
        if on_cluster:
            on_cluster()
    return run


@dataclass(frozen=True, slots=True)
class Difference:
    """Mean paired difference (a - b) with a bootstrap confidence interval."""

    metric: str
    mean: float
    low: float
    high: float


def paired_bootstrap(
    a: SystemRun, b: SystemRun, metric: str, *, samples: int = 2000, confidence: float = 0.95, seed: int = 0
) -> Difference:
    """Paired bootstrap over clusters of the difference in mean score between two systems."""
    ids = [i for i in a.scores if i in b.scores]
    diff = a.column(metric, ids) - b.column(metric, ids)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(diff), size=(samples, len(diff)))
    means = diff[idx].mean(axis=1)
    alpha = (1 - confidence) / 2
    return Difference(
        metric, float(diff.mean()), float(np.quantile(means, alpha)), float(np.quantile(means, 1 - alpha))
    )


def best_baseline(runs: Mapping[str, SystemRun], exclude: Sequence[str] = ("tidings", "oracle")) -> SystemRun | None:
    """The competitor with the highest mean ROUGE-1 + ROUGE-2 (oracle and tidings excluded)."""
    candidates = [r for n, r in runs.items() if n not in exclude]
    if not candidates:
        return None
    return max(candidates, key=lambda r: r.mean()["rouge1"] + r.mean()["rouge2"])


def evaluate(clusters: Sequence[Cluster], systems: Mapping[str, System], protocol: Protocol) -> dict[str, SystemRun]:
    """Run and score every system on the same clusters."""
    from tidings.progress import progress_bar

    scorer = Scorer(protocol)
    runs: dict[str, SystemRun] = {}
    with progress_bar(len(clusters) * len(systems), "evaluating") as advance:
        for name, system in systems.items():
            runs[name] = run_system(name, system, clusters, scorer, on_cluster=advance)
    return runs
