"""Text representations behind one small interface.

The summarizer (and later the story clusterer) only needs L2-normalised
vectors whose dot products are cosine similarities. TF-IDF is the
default: no model, fast, strong on news where names and numbers carry
the content. An embedding backend (the ``semantic`` extra) plugs in here
without the callers knowing which one is active.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

import numpy as np
from scipy import sparse

from tidings.stopwords import ENGLISH_STOP_WORDS

Matrix = np.ndarray | sparse.csr_matrix


class Representation(Protocol):
    """Turns texts into L2-normalised row vectors.

    ``duplicate_cosine`` is the cosine at or above which two sentences count
    as saying the same thing (the summarizer never picks both). It belongs
    to the representation because cosines are not comparable across them:
    TF-IDF cosines of related sentences are low, embedding cosines high.
    """

    name: str
    duplicate_cosine: float

    def fit_transform(self, texts: Sequence[str]) -> Matrix: ...


class TfidfRepresentation:
    """Sublinear TF-IDF over unigrams, IDF fitted on the texts themselves.

    Fitting on the input (the sentences of one cluster) means a word that
    every sentence uses weighs little, while the names and numbers specific
    to the event weigh most, with no background corpus to ship.

    The weighting is scikit-learn's ``TfidfVectorizer(sublinear_tf=True,
    stop_words="english")`` exactly (a test compares the two): ``1 + ln tf``
    times the smoothed ``ln((1 + n) / (1 + df)) + 1``, rows L2-normalised. It
    is computed here with scipy.sparse because importing scikit-learn took
    longer than summarizing a cluster of articles.
    """

    name = "tfidf"
    duplicate_cosine = 0.6
    TOKEN = re.compile(r"(?u)\b[^\W_][\w'’-]*\b")

    def __init__(self, ngram_range: tuple[int, int] = (1, 1)) -> None:
        self.ngram_range = ngram_range

    def _terms(self, text: str) -> list[str]:
        words = [w for w in self.TOKEN.findall(text.lower()) if w not in ENGLISH_STOP_WORDS]
        low, high = self.ngram_range
        return [" ".join(words[i : i + n]) for n in range(low, high + 1) for i in range(len(words) - n + 1)]

    def fit_transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        vocabulary: dict[str, int] = {}
        indices: list[int] = []
        indptr = [0]
        for text in texts:
            indices.extend([vocabulary.setdefault(term, len(vocabulary)) for term in self._terms(text)])
            indptr.append(len(indices))
        if not vocabulary:  # only stop words
            return sparse.csr_matrix((len(texts), 1), dtype=np.float32)
        counts = sparse.csr_matrix(
            (np.ones(len(indices)), np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int32)),
            shape=(len(texts), len(vocabulary)),
        )
        counts.sum_duplicates()
        df = np.bincount(counts.indices, minlength=len(vocabulary))
        idf = np.log((1 + len(texts)) / (1 + df)) + 1
        counts.data = (1 + np.log(counts.data)) * idf[counts.indices]
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
        counts.data *= np.repeat(1 / np.where(norms > 0, norms, 1), np.diff(counts.indptr))
        # columns in term order: each term's rank among the terms, then each row's entries sorted by it (the matrix
        # a column permutation gives, without scipy's fancy indexing, a fifth of this function)
        rank = np.empty(len(vocabulary), dtype=np.int32)
        rank[np.argsort(np.array(list(vocabulary), dtype=object), kind="stable")] = np.arange(len(vocabulary))
        weights = sparse.csr_matrix(
            (counts.data.astype(np.float32), rank[counts.indices], counts.indptr), shape=counts.shape
        )
        weights.sort_indices()
        return weights


class StaticRepresentation:
    """Sentence vectors of the static model distilled from MiniLM (:mod:`tidings.embed`): base install, numpy only.

    ``duplicate_cosine`` is the static cosine that best finds the pairs MiniLM
    itself puts at 0.75 or more (see ``data/README.md``).
    """

    name = "static"
    duplicate_cosine = 0.8

    def fit_transform(self, texts: Sequence[str]) -> np.ndarray:
        from tidings.embed import encode

        return encode(texts)


def get_representation(name: str) -> Representation:
    """The representation backend called ``name``."""
    if name == "tfidf":
        return TfidfRepresentation()
    if name == "static":
        return StaticRepresentation()
    if name in ("semantic", "hybrid"):  # the module is light; onnxruntime is imported on first use
        from tidings.semantic import HybridRepresentation, SemanticRepresentation

        return SemanticRepresentation() if name == "semantic" else HybridRepresentation()
    raise ValueError(f"unknown representation {name!r}")


def cosine_to(matrix: Matrix, vector: Matrix) -> np.ndarray:
    """Cosine of each (normalised) row with one vector, normalising the vector."""
    vec = np.asarray(vector.todense() if sparse.issparse(vector) else vector).ravel()
    norm = np.linalg.norm(vec)
    if norm == 0:
        return np.zeros(matrix.shape[0], dtype=np.float32)
    return np.asarray(matrix @ (vec / norm)).ravel()


def pairwise(matrix: Matrix, rows: Sequence[int]) -> np.ndarray:
    """Dense cosine-similarity matrix among the given rows."""
    sub = matrix[list(rows)]
    sims = sub @ sub.T
    return np.asarray(sims.todense() if sparse.issparse(sims) else sims)
