"""Clustering quality: B-cubed precision, recall and F1 (Bagga & Baldwin 1998).

For every item, precision is the share of its predicted cluster that shares
its gold label, recall the share of its gold cluster that was put with it;
both are averaged over items. Unlike pairwise scores, B-cubed does not let
a few big clusters dominate, which matters for news where most stories have
one or two articles.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BCubed:
    precision: float
    recall: float
    f1: float
    n_predicted: int
    n_gold: int


def bcubed(predicted: Sequence[object], gold: Sequence[object]) -> BCubed:
    """B-cubed scores of a predicted clustering against gold labels (same item order).

    >>> round(bcubed([1, 1, 2, 2], ["a", "a", "b", "b"]).f1, 3)
    1.0
    >>> s = bcubed([1, 1, 1, 1], ["a", "a", "b", "b"])
    >>> (s.precision, s.recall)
    (0.5, 1.0)
    """
    if len(predicted) != len(gold):
        raise ValueError("predicted and gold labels differ in length")
    if not predicted:
        return BCubed(0.0, 0.0, 0.0, 0, 0)
    pair = Counter(zip(predicted, gold, strict=True))
    pred_size = Counter(predicted)
    gold_size = Counter(gold)
    precision = recall = 0.0
    for (p, g), n in pair.items():
        precision += n * n / pred_size[p]
        recall += n * n / gold_size[g]
    precision /= len(predicted)
    recall /= len(predicted)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BCubed(precision, recall, f1, len(pred_size), len(gold_size))
