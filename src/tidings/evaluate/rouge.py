"""ROUGE under the published protocols, with Google's rouge-score.

* Multi-News (Fabbri et al. 2019; PRIMERA's scorer): outputs truncated to
  300 words, stemming on, the reference's leading "– " stripped.
* WCEP (Ghalandari et al. 2020): summaries truncated to 40 words,
  lower-cased (rouge-score always lower-cases), no stemming.

Every system's output is truncated to the same budget before scoring.
Scores are per-cluster F1; aggregation is separate (see ``harness``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

METRICS = ("rouge1", "rouge2", "rougeL", "rougeLsum")


@dataclass(frozen=True, slots=True)
class Protocol:
    """How outputs and references are prepared and scored for one dataset."""

    name: str
    words: int
    stemming: bool

    def reference(self, text: str) -> str:
        return re.sub(r"^\s*[–—-]\s*", "", text).strip()


MULTINEWS = Protocol("multinews", words=300, stemming=True)
WCEP = Protocol("wcep", words=40, stemming=False)


def protocol_for(path: str, words: int | None = None) -> Protocol:
    """Pick the protocol from the dataset file name; ``words`` overrides the budget."""
    base = WCEP if "wcep" in path.lower() else MULTINEWS
    return base if words is None else Protocol(base.name, words, base.stemming)


def truncate(sentences: Sequence[str], words: int) -> list[str]:
    """Keep the first ``words`` words, sentence boundaries intact (needed for ROUGE-Lsum)."""
    out: list[str] = []
    left = words
    for sentence in sentences:
        tokens = sentence.split()
        if not tokens:
            continue
        if left <= 0:
            break
        out.append(" ".join(tokens[:left]))
        left -= len(tokens)
    return out


class Scorer:
    """Per-cluster ROUGE F1 (x100) under a protocol."""

    def __init__(self, protocol: Protocol) -> None:
        from rouge_score import rouge_scorer

        self.protocol = protocol
        self._scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=protocol.stemming)
        self._split = None

    def _sentences(self, text: str) -> list[str]:
        if self._split is None:
            from tidings.segment import split_sentences

            self._split = split_sentences
        return self._split(text)

    def score(self, summary: Sequence[str], reference: str) -> dict[str, float]:
        """Score a summary (a list of sentences) against a reference text."""
        output = "\n".join(truncate(summary, self.protocol.words))
        ref = "\n".join(self._sentences(self.protocol.reference(reference)))
        scores = self._scorer.score(ref, output)
        return {m: 100.0 * scores[m].fmeasure for m in METRICS}
