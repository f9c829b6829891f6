"""Paraphrase: does a candidate sentence say what an already chosen one says?

The summarizer asks this of every sentence it is about to add; a yes means
the candidate is left out. Word overlap cannot see paraphrase ("Kim will
travel to Russia" / "the North Korean leader is heading to Vladivostok"),
so the test runs on the bundled static embedding (:mod:`tidings.embed`), in
stages that each cost more and are asked less often:

1. **Gate**: the mean-pooled sentence vectors. Below ``GATE`` cosine two
   sentences share too little meaning to be one fact; nearly every pair of a
   pool stops here, in one matrix product.
2. **Alignment** (the default judge): each word piece of one sentence is
   matched with its most similar piece of the other (cosine of the static
   piece vectors, weighted by the piece's own weight in the model, which is
   low for function words), in both directions; the harmonic mean of the
   two coverages is the score. Mean pooling blurs two sentences about one
   story into one direction; alignment asks whether each says what the
   other says, word for word or synonym for synonym. On 10,154 candidate
   pairs met during selection on Multi-News dev clusters, it finds the pairs
   that all-MiniLM-L6-v2 puts at cosine >= 0.75 with average precision
   0.29 / 0.36 (halves A / B) against 0.17 / 0.15 for the pooled cosine.
3. **MiniLM** (``paraphrase = "semantic"``, needs ``tidings[semantic]``): a
   pair whose alignment reaches ``SEMANTIC_GATE`` is settled by the
   transformer's own cosine. Only sentences that reach this stage are
   encoded, about nine per summary, so the cost is a few hundredths of a
   second per story (plus loading the model once per process).

Thresholds were tuned on the first half of the Multi-News dev clusters
(``benchmarks/results/summarization-issue12.md``).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

GATE = 0.45  # pooled static cosine below which a pair is never a paraphrase
ALIGNMENT = 0.55  # alignment score at or above which the static judge calls a pair a paraphrase
SEMANTIC_GATE = 0.45  # alignment from which the MiniLM judge is asked
SEMANTIC = 0.72  # MiniLM cosine at or above which the semantic judge calls a pair a paraphrase


@functools.cache
def _piece_norms() -> np.ndarray:
    """Each piece vector's length: its weight (model2vec scales pieces by how informative they are)."""
    from tidings.embed import default_model

    return np.linalg.norm(default_model().vectors, axis=1)


class _Pieces:
    """Unit piece vectors and piece weights of the bundled static model, per text (computed on demand)."""

    def __init__(self, texts: Sequence[str]) -> None:
        from tidings.embed import default_model

        model = default_model()
        self._tokenizer = model.tokenizer
        self._vectors = model.vectors
        self._norms = _piece_norms()
        self._texts = texts
        self._cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def __getitem__(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        found = self._cache.get(i)
        if found is None:
            ids = np.unique(np.asarray(self._tokenizer.ids(self._texts[i]), dtype=np.int64))
            ids = ids[self._norms[ids] > 0]
            weights = self._norms[ids]
            found = (self._vectors[ids] / weights[:, None], weights)
            self._cache[i] = found
        return found


def alignment(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> float:
    """Harmonic mean of how well each sentence's pieces are matched in the other (0 when either is empty)."""
    (ua, wa), (ub, wb) = a, b
    if not len(wa) or not len(wb):
        return 0.0
    sims = ua @ ub.T
    covered_a = float(sims.max(axis=1) @ wa) / float(wa.sum())
    covered_b = float(sims.max(axis=0) @ wb) / float(wb.sum())
    if covered_a <= 0 or covered_b <= 0:
        return 0.0
    return 2 * covered_a * covered_b / (covered_a + covered_b)


class ParaphraseJudge:
    """Answers, for sentences of one candidate pool, whether one repeats another.

    ``texts`` are the pool's sentences and ``meaning`` their static sentence
    vectors (unit rows, :func:`tidings.embed.encode`). ``judge`` is
    ``static`` or ``semantic`` (see the module docstring).

    >>> from tidings.embed import encode
    >>> texts = ["Kim Jong Un will meet Vladimir Putin in Vladivostok next week, the Kremlin said.",
    ...          "The Kremlin said Kim Jong Un is to meet Vladimir Putin in Vladivostok next week.",
    ...          "About 10,000 North Korean workers in Russia must go home by the end of the year."]
    >>> judge = ParaphraseJudge(texts, encode(texts))
    >>> judge.repeats(1, [0]), judge.repeats(2, [0])
    (0, None)
    """

    def __init__(
        self, texts: Sequence[str], meaning: np.ndarray, judge: str = "static", threshold: float = ALIGNMENT
    ) -> None:
        if judge not in ("static", "semantic"):
            raise ValueError(f"unknown paraphrase judge {judge!r} (known: static, semantic)")
        self.texts = texts
        self.meaning = meaning
        self.judge = judge
        self.threshold = threshold
        self._pieces = _Pieces(texts)
        self._semantic: dict[int, np.ndarray] = {}

    def repeats(self, candidate: int, chosen: Sequence[int]) -> int | None:
        """The first of ``chosen`` that ``candidate`` repeats, or None."""
        if not chosen:
            return None
        chosen = np.asarray(chosen)
        near = chosen[self.meaning[chosen] @ self.meaning[candidate] >= GATE]
        gate = self.threshold if self.judge == "static" else SEMANTIC_GATE
        for j in near:
            if alignment(self._pieces[candidate], self._pieces[int(j)]) < gate:
                continue
            if self.judge == "static" or self._minilm(candidate, int(j)) >= SEMANTIC:
                return int(j)
        return None

    def _minilm(self, a: int, b: int) -> float:
        missing = [i for i in (a, b) if i not in self._semantic]
        if missing:
            from tidings.semantic import shared_encoder

            for i, vector in zip(missing, shared_encoder().encode([self.texts[i] for i in missing]), strict=True):
                self._semantic[i] = vector
        return float(self._semantic[a] @ self._semantic[b])
