"""Summarize: extractive multi-document summaries whose sentences cite their sources.

How a sentence is chosen, and why:

* **Candidates** are well-formed declarative sentences of a usable length.
  Questions, fragments without a sentence end, sentences that open with a
  pronoun or connective pointing at a previous sentence ("He said...",
  "This means...") and unbalanced quotes are left out: lifted out of their
  context they mislead the reader.
* **Salience** mixes three signals: similarity to the centroid of the
  documents (what the cluster is about; each independent source counts
  once, so ten copies of a wire story do not outvote one original),
  position in the article (news puts the essentials first) and support
  (how many independent sources carry a near-duplicate of the sentence).
* **Selection** is greedy maximal marginal relevance under the length
  budget: each step takes the most salient candidate after a penalty for
  similarity to what is already chosen, and never a near-duplicate of it.
* **Representatives**: a chosen fact is printed as the best-formed copy
  from the most original source of its near-duplicate group, and cites
  every document in the group.
* **Order** follows the stories: sentences from article openings first
  (they set the scene), then by publication time and position.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from scipy import sparse

from tidings.clean import CorpusBoilerplate, boilerplate_reason
from tidings.config import SummarizeConfig
from tidings.dedup import DedupResult, content_tokens, form_penalty, jaccard
from tidings.fluency import doc_rate, garble_score
from tidings.model import Citation, Document, Sentence, SummarySentence
from tidings.represent import Representation, cosine_to, get_representation, pairwise

_DANGLING_START = re.compile(
    r"^[\"“‘']?(he|she|they|it|this|that|these|those|his|her|their|its|him|them|such|there|here|"
    r"also|then|still|yet|thus|hence|however|meanwhile|instead|otherwise|moreover|furthermore|besides|"
    r"so|but|and|or|nor|later|now|both|neither|another|other|others|the\s+(latter|former|same|two|pair))\b",
    re.IGNORECASE,
)
_TERMINAL = re.compile(r"[.!][\"”’')\]]*$")
_DUP_COSINE = 0.6  # near-duplicate cosine for a representation that does not set its own
_POOL = 300  # candidates scored in full and considered by the greedy selection
_MIN_AGREEMENT = 0.05  # floor of a document's weight in the centroid
_CHUNK = 8192  # sentences compared at once when measuring support (bounds memory)
_FAR_FUTURE = datetime.max.replace(tzinfo=UTC)


def _balanced(text: str) -> bool:
    return (
        text.count("“") == text.count("”")
        and text.count('"') % 2 == 0
        and text.count("(") == text.count(")")
        and text.count("[") == text.count("]")
    )


def is_candidate(sentence: Sentence, config: SummarizeConfig) -> bool:
    """Whether a sentence is well-formed enough for a summary (it may still need its predecessor).

    >>> from tidings.model import Sentence
    >>> cfg = SummarizeConfig()
    >>> is_candidate(Sentence("d", 0, 0, 0, "Putin and Kim will meet next week in Vladivostok, officials said."), cfg)
    True
    >>> is_candidate(Sentence("d", 1, 0, 0, "Will they meet in Vladivostok next week, as officials have said?"), cfg)
    False
    """
    text = sentence.text
    n = sentence.n_words
    return (
        config.min_words <= n <= config.max_words
        and bool(_TERMINAL.search(text))
        and _balanced(text)
        and not text[:1].islower()
        and "http" not in text
        and boilerplate_reason(text) is None
    )


def needs_context(sentence: Sentence) -> bool:
    """A sentence that opens with a pronoun or connective pointing back ("He said...", "But this...").

    Such a sentence only enters a summary right after the sentence it follows in its article.

    >>> from tidings.model import Sentence
    >>> needs_context(Sentence("d", 1, 0, 0, "He said they would meet next week."))
    True
    >>> needs_context(Sentence("d", 0, 0, 0, "Putin said they would meet next week."))
    False
    """
    return sentence.index > 0 and bool(_DANGLING_START.match(sentence.text))


@dataclass(frozen=True, slots=True)
class _Pool:
    sentences: list[Sentence]
    salience: np.ndarray
    vectors: np.ndarray | sparse.csr_matrix
    meaning: np.ndarray | None  # sentence embeddings (unit rows) for the paraphrase test, or None


def _doc_order(docs: Sequence[Document]) -> dict[str, tuple[datetime, int]]:
    return {d.id: (d.published or _FAR_FUTURE, i) for i, d in enumerate(docs)}


def _salience(
    docs: Sequence[Document],
    sentences: Mapping[str, Sequence[Sentence]],
    dedup: DedupResult,
    config: SummarizeConfig,
    representation: Representation,
    boilerplate: CorpusBoilerplate | None,
) -> _Pool | None:
    flat = [s for d in docs for s in sentences.get(d.id, ())]
    if not flat:
        return None
    vectors = representation.fit_transform([s.text for s in flat])
    # Centroid: mean of per-document mean vectors, copies and background left out (one vote per current source).
    doc_rows: dict[str, list[int]] = {}
    for i, s in enumerate(flat):
        doc_rows.setdefault(s.doc_id, []).append(i)
    background = {d.id for d in docs if d.background}
    originals = [d.id for d in docs if d.copy_of is None and d.id in doc_rows and d.id not in background]
    centroid = _consensus_centroid(_doc_means(vectors, [doc_rows[d] for d in originals or list(doc_rows)]))
    centrality = cosine_to(vectors, centroid)
    if centrality.max() > 0:
        centrality = centrality / centrality.max()

    position = np.array([1.0 / math.sqrt(1.0 + s.index) for s in flat], dtype=np.float32)
    keep = [
        i
        for i, s in enumerate(flat)
        if is_candidate(s, config) and not (boilerplate is not None and boilerplate.is_boilerplate(s.text))
    ]
    current = [i for i in keep if flat[i].doc_id not in background]
    keep = current or keep  # background only speaks when nothing current qualifies
    if not keep:
        return None
    # Support is costly (a candidate against every sentence), so only the most promising candidates get it.
    w_pos, w_sup = config.position_weight, config.support_weight
    prelim = (1 - w_pos) * centrality[keep] + w_pos * position[keep]
    keep = [keep[k] for k in np.argsort(-prelim, kind="stable")[:_POOL]]
    support = _support(vectors, flat, keep, dedup, background)
    salience = (1 - w_pos - w_sup) * centrality[keep] + w_pos * position[keep] + w_sup * support
    rates = {d: doc_rate(flat[i].text for i in rows) for d, rows in doc_rows.items()}
    garbled = np.array([garble_score(flat[i].text, rates[flat[i].doc_id]) for i in keep], dtype=np.float32)
    salience = salience / (1.0 + config.garble_penalty * garbled)
    meaning = None
    if config.paraphrase_cosine <= 1:
        from tidings.embed import encode

        meaning = encode([flat[i].text for i in keep])
    return _Pool([flat[i] for i in keep], salience, vectors[keep], meaning)


def _doc_means(
    vectors: np.ndarray | sparse.csr_matrix, rows: Sequence[Sequence[int]]
) -> np.ndarray | sparse.csr_matrix:
    """Each document's mean sentence vector, one row per document (sparse when the vectors are).

    A dense row per document would cost documents × vocabulary floats: over a GiB at 5,000 articles.
    """
    n = vectors.shape[0]
    weights = sparse.csr_matrix(
        (
            np.concatenate([np.full(len(r), 1.0 / len(r)) for r in rows]),
            np.concatenate([np.asarray(r, dtype=np.int64) for r in rows]),
            np.concatenate([[0], np.cumsum([len(r) for r in rows])]),
        ),
        shape=(len(rows), n),
    )
    means = weights @ vectors
    return means if sparse.issparse(means) else np.asarray(means)


def _consensus_centroid(means: np.ndarray | sparse.csr_matrix) -> np.ndarray:
    """Mean of the documents' vectors, each weighted by how much the others agree with it.

    Scraped clusters contain strays (an archive notice, a widget, an
    unrelated teaser page); with three or more sources, a document that
    shares little with the rest barely moves the centroid. A document's
    agreement is its mean cosine with the others, computed as its unit
    vector against the sum of all unit vectors (no documents × documents matrix).
    """
    n = means.shape[0]
    if n < 3:
        return np.asarray(means.mean(axis=0)).ravel()
    if sparse.issparse(means):
        norms = np.sqrt(np.asarray(means.multiply(means).sum(axis=1)).ravel())
        unit = sparse.diags(1.0 / np.maximum(norms, 1e-9)) @ means
        self_dot = np.asarray(unit.multiply(unit).sum(axis=1)).ravel()
    else:
        norms = np.linalg.norm(means, axis=1)
        unit = means / np.maximum(norms, 1e-9)[:, None]
        self_dot = (unit * unit).sum(axis=1)
    total = np.asarray(unit.sum(axis=0)).ravel()
    agreement = np.asarray(unit @ total).ravel() - self_dot
    weights = np.maximum(agreement / (n - 1), _MIN_AGREEMENT)
    return np.asarray(means.T @ weights).ravel() / weights.sum()


def _support(
    vectors: np.ndarray | sparse.csr_matrix,
    flat: Sequence[Sentence],
    rows: Sequence[int],
    dedup: DedupResult,
    background: frozenset[str] | set[str] = frozenset(),
) -> np.ndarray:
    """How much the other independent sources say the same thing, in [0, 1].

    For each candidate: over every other independent source, the best
    cosine with one of its sentences, averaged. A fact echoed by every
    outlet scores high; a detail only one outlet reports scores low. Each
    source counts once however many phrasings of the fact it prints, and
    copies count with their original: confirmation, not repetition.
    A background article confirms nothing about this week.
    """
    roots = [dedup.root(s.doc_id) if s.doc_id not in background else "\0background" for s in flat]
    unique_roots = sorted(set(roots))
    if len(unique_roots) < 2:
        return np.zeros(len(rows), dtype=np.float32)
    root_index = {r: k for k, r in enumerate(unique_roots)}
    col_root = np.array([root_index[r] for r in roots])
    best = np.zeros((len(rows), len(unique_roots)), dtype=np.float32)
    pool = vectors[list(rows)]
    for start in range(0, len(flat), _CHUNK):
        block = pool @ vectors[start : start + _CHUNK].T
        block = np.asarray(block.todense() if sparse.issparse(block) else block)
        for k in np.unique(col_root[start : start + _CHUNK]):
            cols = np.flatnonzero(col_root[start : start + _CHUNK] == k)
            np.maximum(best[:, k], block[:, cols].max(axis=1), out=best[:, k])
    own = np.array([root_index[roots[i]] for i in rows])
    best[np.arange(len(rows)), own] = 0.0
    confirmers = len(unique_roots) - 1
    if "\0background" in root_index:
        best[:, root_index["\0background"]] = 0.0
        confirmers -= 1
    return best.sum(axis=1) / max(1, confirmers)


def _select(pool: _Pool, config: SummarizeConfig, duplicate_cosine: float = _DUP_COSINE) -> list[int]:
    """Greedy MMR under the budget; a candidate that repeats a chosen one (in words or in meaning) is never taken.

    Redundancy with what is chosen is the larger of the lexical cosine and
    the embedding cosine above ``paraphrase_floor`` (rescaled to [0, 1]):
    two sentences of one story share much meaning even when they report
    different facts, so only the part above the floor counts against a
    candidate. At ``paraphrase_cosine`` or more the candidate says what the
    summary already says and is dropped.
    """
    order = np.argsort(-pool.salience, kind="stable")
    n = len(order)
    sims = pairwise(pool.vectors, order)
    meaning = None
    if pool.meaning is not None:
        m = pool.meaning[order]
        meaning = m @ m.T
        floor = config.paraphrase_floor
        sims = np.maximum(sims, np.clip((meaning - floor) / (1 - floor), 0, 1))
    tokens = [content_tokens(pool.sentences[i].text) for i in order]
    salience = pool.salience[order]
    words_of = np.array([pool.sentences[i].n_words for i in order])
    keys = [(pool.sentences[i].doc_id, pool.sentences[i].index) for i in order]
    context = np.array([needs_context(pool.sentences[i]) for i in order])
    open_ = np.ones(n, dtype=bool)
    redundancy = np.zeros(n, dtype=np.float32)
    chosen: list[int] = []  # positions in ``order``
    words = 0
    budget_words = config.words
    tolerance = 0 if budget_words is None else min(20, max(5, budget_words // 10))
    while open_.any():
        if config.sentences is not None and len(chosen) >= config.sentences:
            break
        if budget_words is not None and words >= budget_words:
            break
        allowed = open_.copy()
        if budget_words is not None and not config.overflow:
            allowed &= words + words_of <= budget_words + tolerance
        if context.any():
            chosen_keys = {keys[j] for j in chosen}
            for k in np.flatnonzero(allowed & context):
                if (keys[k][0], keys[k][1] - 1) not in chosen_keys:
                    allowed[k] = False
        if not allowed.any():
            break
        score = np.where(allowed, salience - config.redundancy * redundancy, -np.inf)
        best = int(np.argmax(score))
        open_[best] = False
        if any(sims[best, j] >= duplicate_cosine or jaccard(tokens[best], tokens[j]) >= 0.5 for j in chosen):
            continue
        if meaning is not None and chosen and meaning[best, chosen].max() >= config.paraphrase_cosine:
            continue
        chosen.append(best)
        words += int(words_of[best])
        np.maximum(redundancy, sims[:, best], out=redundancy)
    return [int(order[k]) for k in chosen]


def _representative(
    sentence: Sentence,
    dedup: DedupResult,
    lookup: Mapping[tuple[str, int], Sentence],
    order: Mapping[str, tuple[datetime, int]],
    boilerplate: CorpusBoilerplate | None = None,
) -> tuple[Sentence, list[Sentence]]:
    members = [lookup[k] for k in dedup.duplicates(sentence) if k in lookup] or [sentence]
    # a near-duplicate may be the junk variant ("... location history. Learn more"): never print that one
    printable = [
        m
        for m in members
        if boilerplate_reason(m.text) is None and not (boilerplate is not None and boilerplate.is_boilerplate(m.text))
    ]

    def rank(s: Sentence) -> tuple[int, float, tuple[datetime, int], int]:
        is_copy = 1 if dedup.root(s.doc_id) != s.doc_id else 0
        return (is_copy, form_penalty(s.text) + garble_score(s.text), order[s.doc_id], -s.n_words)

    best = min(printable or [sentence], key=rank)
    return best, [best] + [m for m in members if m is not best]


def summarize_sentences(
    docs: Sequence[Document],
    sentences: Mapping[str, Sequence[Sentence]],
    dedup: DedupResult,
    config: SummarizeConfig | None = None,
    representation: Representation | None = None,
    boilerplate: CorpusBoilerplate | None = None,
) -> list[SummarySentence]:
    """Choose, order and cite the summary sentences of a set of documents.

    ``boilerplate`` (sentences that recur across unrelated stories) keeps
    corpus-level junk out. When no sentence qualifies, the opening of the
    best article is returned instead, each sentence marked ``fallback``.
    """
    config = config or SummarizeConfig()
    representation = representation or get_representation(config.backend)
    pool = _salience(docs, sentences, dedup, config, representation, boilerplate)
    if pool is None or not pool.sentences:
        return _fallback(docs, sentences, dedup, config, boilerplate)
    duplicate_cosine = getattr(representation, "duplicate_cosine", _DUP_COSINE)
    picked = [pool.sentences[i] for i in _select(pool, config, duplicate_cosine)]
    lookup = {(s.doc_id, s.index): s for ss in sentences.values() for s in ss}
    order = _doc_order(docs)
    lengths = {doc_id: max(1, len(ss)) for doc_id, ss in sentences.items()}

    def reading_order(s: Sentence) -> tuple[int, tuple[datetime, int], int]:
        opening = 0 if s.index / lengths[s.doc_id] < 0.2 or s.index < 2 else 1
        return (opening, order[s.doc_id], s.index)

    follows = {(s.doc_id, s.index - 1): s for s in picked if needs_context(s)}
    sequence: list[Sentence] = []
    for head in sorted((s for s in picked if not needs_context(s)), key=reading_order):
        sequence.append(head)
        while (sequence[-1].doc_id, sequence[-1].index) in follows:
            sequence.append(follows[(sequence[-1].doc_id, sequence[-1].index)])

    background = {d.id for d in docs if d.background}
    out: list[SummarySentence] = []
    for chosen in sequence:
        if needs_context(chosen):  # keep the exact sentence that continues its predecessor
            best, members = chosen, [lookup[k] for k in dedup.duplicates(chosen) if k in lookup] or [chosen]
            members = [best] + [m for m in members if m is not best]
        else:
            best, members = _representative(chosen, dedup, lookup, order, boilerplate)
        citations = tuple(Citation(m.doc_id, m.start, m.end) for m in members)
        out.append(
            SummarySentence(
                text=best.text,
                citations=citations,
                independent=dedup.independent(c.doc_id for c in citations),
                background=best.doc_id in background,
            )
        )
    return out


def _fallback(
    docs: Sequence[Document],
    sentences: Mapping[str, Sequence[Sentence]],
    dedup: DedupResult,
    config: SummarizeConfig,
    boilerplate: CorpusBoilerplate | None,
) -> list[SummarySentence]:
    """The opening of the best article, when no sentence passes the candidate filter (short or unpunctuated text).

    The best article is current before background, original before copy,
    then the one with the most words; its sentences are taken in order,
    junk skipped, up to the budget. An empty summary tells a reader nothing;
    a marked lead at least says what the story is.
    """
    background = {d.id for d in docs if d.background}

    def usable(s: Sentence) -> bool:
        return (
            s.n_words >= 3
            and boilerplate_reason(s.text) is None
            and not (boilerplate is not None and boilerplate.is_boilerplate(s.text))
        )

    ranked = sorted(
        (d for d in docs if any(usable(s) for s in sentences.get(d.id, ()))),
        key=lambda d: (d.id in background, d.copy_of is not None, -len(d.text.split())),
    )
    if not ranked:
        return []
    doc = ranked[0]
    out: list[SummarySentence] = []
    words = 0
    for s in sentences[doc.id]:
        if not usable(s):
            continue
        if out and config.words is not None and words + s.n_words > config.words + 5 and not config.overflow:
            break
        members = [s]
        out.append(
            SummarySentence(
                text=s.text,
                citations=tuple(Citation(m.doc_id, m.start, m.end) for m in members),
                independent=1,
                fallback=True,
                background=doc.id in background,
            )
        )
        words += s.n_words
        if (config.words is not None and words >= config.words) or (
            config.sentences is not None and len(out) >= config.sentences
        ):
            break
    return out
