"""What ROUGE cannot see in a summary: a fact told twice, and web junk.

* **Redundancy**: a summary is redundant when two of its sentences say the
  same thing in other words, measured as issue 12 does: all-MiniLM-L6-v2
  (the ``semantic`` extra's ONNX encoder) cosine of at least 0.75. The
  encoder is passed in, so tests can use any function of texts to vectors.
* **Junk**: a summary sentence that is web boilerplate, found two ways kept
  apart: repeated verbatim across the data set's unrelated clusters (the
  corpus signal :class:`tidings.clean.CorpusBoilerplate` also uses, so not
  an independent judge), and a fixed list of junk phrasings written for
  this measurement (widget, paywall, credit and share wording the issue
  found in Multi-News outputs), which the summarizer does not read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from tidings.clean import CorpusBoilerplate
from tidings.evaluate.clusters import Cluster
from tidings.segment import split_sentences

Encoder = Callable[[Sequence[str]], np.ndarray]
REDUNDANT_COSINE = 0.75

JUNK_PHRASES = re.compile(
    "|".join(
        (
            r"\btweet with a location\b",
            r"\bbecome a subscriber\b|\bmust be a subscriber\b|\bsubscribe (now|today)\b|\bsupport our journalism\b",
            r"\bgetty images\b|\b(ap|afp|reuters) photo\b|/(ap|afp|getty|reuters)\b",
            r"\b(this|our) (site|website) uses cookies\b|\bprivacy policy\b|\bterms of (use|service)\b",
            r"\bclick here\b|\bsign up for\b|\bnewsletter\b|\ball rights reserved\b",
            r"\b(enable|disable) javascript\b|\byour browser\b|\bad ?blocker\b",
            r"\bleave a (reply|comment)\b|\bcomments? (are|is) (closed|moderated)\b",
            r"\bshare (this|on) (article|story|facebook|twitter)\b|\bfollow us on\b",
        )
    ),
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Redundancy:
    """Share of summaries holding at least one pair of sentences at or above the cosine, and the pairs."""

    share: float
    redundant: int
    total: int
    pairs: Mapping[str, tuple[tuple[str, str, float], ...]]


def redundant_pairs(
    sentences: Sequence[str], encoder: Encoder, cosine: float = REDUNDANT_COSINE
) -> list[tuple[int, int, float]]:
    """Pairs (i, j, cosine) of sentences that say the same thing, i < j."""
    if len(sentences) < 2:
        return []
    vectors = encoder(list(sentences))
    sims = vectors @ vectors.T
    rows, cols = np.nonzero(np.triu(sims >= cosine, k=1))
    return [(int(i), int(j), float(sims[i, j])) for i, j in zip(rows, cols, strict=True)]


def redundancy(outputs: Mapping[str, Sequence[str]], encoder: Encoder, cosine: float = REDUNDANT_COSINE) -> Redundancy:
    """Redundancy share over summaries (each a list of sentences, as scored)."""
    found: dict[str, tuple[tuple[str, str, float], ...]] = {}
    for key, sentences in outputs.items():
        pairs = redundant_pairs(sentences, encoder, cosine)
        if pairs:
            found[key] = tuple((sentences[i], sentences[j], c) for i, j, c in pairs)
    total = len(outputs)
    return Redundancy(len(found) / total if total else 0.0, len(found), total, found)


def reference_sentences(clusters: Sequence[Cluster]) -> dict[str, list[str]]:
    """The human reference summaries split into sentences (their own redundancy is the yardstick)."""
    return {c.id: split_sentences(re.sub(r"^\s*[–—-]\s*", "", c.reference)) for c in clusters}


def corpus_boilerplate(clusters: Sequence[Cluster], min_groups: int = 3) -> CorpusBoilerplate:
    """Sentences of the data set's articles that recur verbatim in ``min_groups`` clusters or more."""
    index = CorpusBoilerplate(min_groups)
    for cluster in clusters:
        index.add(
            cluster.id, [s for a in cluster.articles for line in a.text.split("\n") for s in split_sentences(line)]
        )
    return index


def junk(
    outputs: Mapping[str, Sequence[str]], corpus: CorpusBoilerplate | None = None
) -> dict[str, dict[str, list[str]]]:
    """Junk sentences per summary, by kind: ``phrase`` (the fixed list) and ``repeated`` (the corpus)."""
    found: dict[str, dict[str, list[str]]] = {}
    for key, sentences in outputs.items():
        kinds: dict[str, list[str]] = {}
        for sentence in sentences:
            if JUNK_PHRASES.search(sentence):
                kinds.setdefault("phrase", []).append(sentence)
            if corpus is not None and corpus.is_boilerplate(sentence):
                kinds.setdefault("repeated", []).append(sentence)
        if kinds:
            found[key] = kinds
    return found
