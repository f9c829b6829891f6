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
* **Facets**: candidates are grouped by what they add to the story (their
  embedding once the story's own direction is taken away: the venue, the
  workers, the trade). A facet told by more independent sources weighs more.
* **Selection** is greedy maximal marginal relevance under the length
  budget: each step takes the most salient candidate after a penalty for
  similarity to what is already chosen and for a facet already told, and
  never a near-duplicate or a paraphrase (:mod:`tidings.paraphrase`) of a
  chosen sentence; of two tellings of one fact the one that carries more
  of the story is kept.
* **Representatives**: a chosen fact is printed as the best-formed copy
  from the most original source of its near-duplicate group, and cites
  every document in the group.
* **One source**: when every current document is one article or its
  copies, there is nothing to weigh across outlets; its opening
  candidates are taken in order (a news article puts what matters first).
* **Order**: the most salient sentence leads; then the stories' order,
  sentences from article openings first (they set the scene), then by
  publication time and position.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from tidings.clean import Boilerplate, boilerplate_reason
from tidings.config import SummarizeConfig
from tidings.dedup import DedupResult, content_tokens, form_penalty, jaccard
from tidings.fluency import doc_rate, garble_score
from tidings.model import Citation, Document, Sentence, SummarySentence
from tidings.paraphrase import ParaphraseJudge
from tidings.represent import Representation, cosine_to, get_representation, pairwise

_DANGLING_START = re.compile(
    r"^[\"“‘']?(he|she|they|it|this|that|these|those|his|her|their|its|him|them|such|there|here|"
    r"also|then|still|yet|thus|hence|however|meanwhile|instead|otherwise|moreover|furthermore|besides|"
    r"so|but|and|or|nor|later|now|both|neither|another|other|others|the\s+(latter|former|same|two|pair))\b"
    # an enumeration or a connective that continues an argument ("Second, they argued...", "In fact, ...")
    r"|^[\"“‘']?(first|second|third|fourth|fifth|secondly|thirdly|finally|lastly|in\s+addition|additionally|"
    r"as\s+a\s+result|therefore|consequently|in\s+other\s+words|for\s+example|for\s+instance|similarly|"
    r"likewise|indeed|in\s+fact|after\s+all|as\s+i\s+said|as\s+noted|in\s+turn|even\s+so|in\s+short)\s*,",
    re.IGNORECASE,
)
_TERMINAL = re.compile(r"[.!][\"”’')\]]*$")
_BRAND_START = re.compile(r"[a-z]+[A-Z]")  # a name that starts in lower case: iOS, eBay, iPhone
_DUP_COSINE = 0.6  # near-duplicate cosine for a representation that does not set its own
_POOL = 300  # candidates scored in full and considered by the greedy selection
_MIN_AGREEMENT = 0.05  # floor of a document's weight in the centroid
_FACET_COSINE = 0.35  # centred static cosine at which candidates tell one facet (tuned on Multi-News dev A)
_FACET_FULL_SOURCES = 3  # sources from which facet support counts in full (fewer: a weaker vote)
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
    return _well_formed(sentence, config) and boilerplate_reason(sentence.text) is None


def _well_formed(sentence: Sentence, config: SummarizeConfig) -> bool:
    """The cheap part of :func:`is_candidate` (the boilerplate rules are the costly part)."""
    text = sentence.text
    return (
        config.min_words <= sentence.n_words <= config.max_words
        and bool(_TERMINAL.search(text))
        and _balanced(text)
        and not _mid_sentence(text)
        and "http" not in text
        and "\ufffd" not in text  # a character lost to a wrong encoding (often a closing quote)
    )


def _mid_sentence(text: str) -> bool:
    """Whether a text starts mid-sentence ("and then...", "— a Coney Island high-rise..."), not "iOS 11 is ..."."""
    text = text.lstrip(" —–-…")
    return text[:1].islower() and not _BRAND_START.match(text)


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
    meaning: np.ndarray  # static sentence embeddings (unit rows): paraphrase test and facets
    facets: np.ndarray  # facet label per sentence (see _facets)
    content: np.ndarray  # how much of the story's centroid each sentence's words carry


def _doc_order(docs: Sequence[Document]) -> dict[str, tuple[datetime, int]]:
    return {d.id: (d.published or _FAR_FUTURE, i) for i, d in enumerate(docs)}


def _salience(
    docs: Sequence[Document],
    sentences: Mapping[str, Sequence[Sentence]],
    dedup: DedupResult,
    config: SummarizeConfig,
    representation: Representation,
    boilerplate: Boilerplate | None,
    eligible: Callable[[Sentence], bool] | None = None,
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
    # Support is costly (a candidate against every sentence), so only the most promising candidates get it;
    # the boilerplate rules are costly too, so they run in that order until the pool is full.
    w_pos, w_sup = config.position_weight, config.support_weight
    prelim = (1 - w_pos) * centrality + w_pos * position

    def pool_of(rows: list[int]) -> list[int]:
        ranked = sorted(rows, key=lambda i: -prelim[i])
        return list(itertools.islice((i for i in ranked if _not_junk(flat[i].text, boilerplate)), _POOL))

    formed = [i for i, s in enumerate(flat) if _well_formed(s, config) and (eligible is None or eligible(s))]
    # background only speaks when nothing current qualifies
    keep = pool_of([i for i in formed if flat[i].doc_id not in background]) or pool_of(formed)
    if not keep:
        return None
    support = _support(vectors, flat, keep, dedup, background)
    salience = (1 - w_pos - w_sup) * centrality[keep] + w_pos * position[keep] + w_sup * support
    rates = {d: doc_rate(flat[i].text for i in doc_rows[d]) for d in {flat[i].doc_id for i in keep}}
    garbled = np.array([garble_score(flat[i].text, rates[flat[i].doc_id]) for i in keep], dtype=np.float32)
    salience = salience / (1.0 + config.garble_penalty * garbled)
    from tidings.embed import encode

    meaning = encode([flat[i].text for i in keep])
    facets, facet_support = _facets(meaning, [dedup.root(flat[i].doc_id) for i in keep])
    salience = salience + config.facet_weight * facet_support
    terms = vectors[keep]
    terms = (terms > 0).astype(np.float32) if sparse.issparse(terms) else np.maximum(terms, 0)
    content = np.asarray(terms @ np.maximum(centroid, 0)).ravel()
    return _Pool([flat[i] for i in keep], salience, vectors[keep], meaning, facets, content)


def _facets(meaning: np.ndarray, roots: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Group candidates into facets (what each says beyond the story itself) and count each facet's sources.

    Every sentence of a story shares the story's own direction in embedding
    space (its names, its topic); once the pool's mean is taken away, what
    is left is what a sentence adds: the workers, the trade, the venue.
    Average-linkage clusters of these centred vectors, cut at cosine
    ``_FACET_COSINE``, are the facets. A facet's support is how many
    independent sources tell it, scaled to [0, 1] over the pool's sources:
    five phrasings from one outlet count once, one phrasing from each of
    three outlets counts three times. Agreement among two sources is weak
    evidence, among five strong: below ``_FACET_FULL_SOURCES + 1`` sources
    the support is scaled down in proportion.
    """
    n = len(roots)
    if n < 2:
        return np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.float32)
    centred = meaning - meaning.mean(axis=0)
    centred /= np.maximum(np.linalg.norm(centred, axis=1, keepdims=True), 1e-9)
    centred = centred.astype(np.float64)
    distance = np.clip(1.0 - centred @ centred.T, 0.0, 2.0)  # a row of zeros (all sentences alike) is far from all
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform(distance, checks=False), method="average")
    labels = fcluster(tree, t=1 - _FACET_COSINE, criterion="distance")
    _, root_ids = np.unique(np.asarray(roots), return_inverse=True)
    sources = len(set(root_ids.tolist()))
    if sources < 2:
        return labels, np.zeros(n, dtype=np.float32)
    pairs = np.unique(np.stack([labels, root_ids]), axis=1)
    per_facet = np.bincount(pairs[0], minlength=labels.max() + 1)
    confidence = min(1.0, (sources - 1) / _FACET_FULL_SOURCES)
    return labels, (confidence * (per_facet[labels] - 1) / (sources - 1)).astype(np.float32)


def _not_junk(text: str, boilerplate: Boilerplate | None) -> bool:
    return boilerplate_reason(text) is None and not (boilerplate is not None and boilerplate.is_boilerplate(text))


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


def _tolerance(config: SummarizeConfig) -> int:
    """Words a summary may run over its budget to finish on a whole sentence."""
    return 0 if config.words is None else min(20, max(5, config.words // 10))


def _select(pool: _Pool, config: SummarizeConfig, duplicate_cosine: float = _DUP_COSINE) -> list[int]:
    """Greedy MMR under the budget; a candidate that repeats a chosen one (in words or in meaning) is never taken.

    A near-duplicate in words (representation cosine or content-word
    Jaccard) or a paraphrase (:mod:`tidings.paraphrase`) of a chosen
    sentence is left out. A facet already told counts against its other
    sentences (``facet_penalty``), so the budget spreads over what the
    sources report instead of the most-repeated fact.
    """
    order = np.argsort(-pool.salience, kind="stable")
    n = len(order)
    sims = pairwise(pool.vectors, order)
    texts = [pool.sentences[i].text for i in order]
    judge = None
    if config.paraphrase != "off":
        judge = ParaphraseJudge(texts, pool.meaning[order], config.paraphrase, config.paraphrase_alignment)
    facets = pool.facets[order]
    tokens = [content_tokens(t) for t in texts]
    salience = pool.salience[order]
    words_of = np.array([pool.sentences[i].n_words for i in order])
    keys = [(pool.sentences[i].doc_id, pool.sentences[i].index) for i in order]
    context = np.array([needs_context(pool.sentences[i]) for i in order])
    open_ = np.ones(n, dtype=bool)
    redundancy = np.zeros(n, dtype=np.float32)
    told = np.zeros(n, dtype=np.float32)
    chosen: list[int] = []  # positions in ``order``
    words = 0
    budget_words = config.words
    tolerance = _tolerance(config)
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
        score = np.where(allowed, salience - config.redundancy * redundancy - config.facet_penalty * told, -np.inf)
        best = int(np.argmax(score))
        open_[best] = False
        if any(sims[best, j] >= duplicate_cosine or jaccard(tokens[best], tokens[j]) >= 0.5 for j in chosen):
            continue
        if judge is not None and (partner := judge.repeats(best, chosen)) is not None:
            # two tellings of one fact: keep the one that carries more of the story (names, figures, places)
            followed = (keys[partner][0], keys[partner][1] + 1) in {keys[j] for j in chosen}
            richer = pool.content[order[best]] > pool.content[order[partner]]
            if richer and not context[best] and not context[partner] and not followed:
                chosen[chosen.index(partner)] = best
                words += int(words_of[best]) - int(words_of[partner])
                told[facets == facets[best]] = 1.0
            continue
        chosen.append(best)
        words += int(words_of[best])
        np.maximum(redundancy, sims[:, best], out=redundancy)
        told[facets == facets[best]] = 1.0
    return [int(order[k]) for k in chosen]


def _representative(
    sentence: Sentence,
    dedup: DedupResult,
    lookup: Mapping[tuple[str, int], Sentence],
    order: Mapping[str, tuple[datetime, int]],
    boilerplate: Boilerplate | None = None,
) -> tuple[Sentence, list[Sentence]]:
    members = [lookup[k] for k in dedup.duplicates(sentence) if k in lookup] or [sentence]
    # a near-duplicate may be the junk variant ("... location history. Learn more"): never print that one
    printable = [
        m
        for m in members
        if boilerplate_reason(m.text) is None and not (boilerplate is not None and boilerplate.is_boilerplate(m.text))
    ]

    def rank(s: Sentence) -> tuple[int, float, tuple[datetime, int], int]:
        # an original's cleanest telling; of two in one article, the earlier (a lead restated later stays the lead)
        is_copy = 1 if dedup.root(s.doc_id) != s.doc_id else 0
        return (is_copy, form_penalty(s.text) + garble_score(s.text), order[s.doc_id], s.index)

    best = min(printable or [sentence], key=rank)
    return best, [best] + [m for m in members if m is not best]


def summarize_sentences(
    docs: Sequence[Document],
    sentences: Mapping[str, Sequence[Sentence]],
    dedup: DedupResult,
    config: SummarizeConfig | None = None,
    representation: Representation | None = None,
    boilerplate: Boilerplate | None = None,
    eligible: Callable[[Sentence], bool] | None = None,
) -> list[SummarySentence]:
    """Choose, order and cite the summary sentences of a set of documents.

    ``boilerplate`` (sentences that recur across unrelated stories) keeps
    corpus-level junk out. When no sentence qualifies, the opening of the
    best article is returned instead, each sentence marked ``fallback``.
    With ``eligible``, only the sentences it accepts may be chosen (all of
    them still shape what the story is about), and nothing is a fallback.
    """
    config = config or SummarizeConfig()
    if (source := _single_source(docs, sentences, dedup)) is not None:
        picked = _lead(sentences[source], config, boilerplate, eligible)
    else:
        representation = representation or get_representation(config.backend)
        pool = _salience(docs, sentences, dedup, config, representation, boilerplate, eligible)
        if pool is None or not pool.sentences:
            return [] if eligible is not None else lead_fallback(docs, sentences, config, boilerplate)
        duplicate_cosine = getattr(representation, "duplicate_cosine", _DUP_COSINE)
        picked = [pool.sentences[i] for i in _select(pool, config, duplicate_cosine)]
    if not picked:  # every candidate continues a sentence that is not one ("That's what it took...")
        return [] if eligible is not None else lead_fallback(docs, sentences, config, boilerplate)
    lookup = {(s.doc_id, s.index): s for ss in sentences.values() for s in ss}
    order = _doc_order(docs)
    lengths = {doc_id: max(1, len(ss)) for doc_id, ss in sentences.items()}

    def reading_order(s: Sentence) -> tuple[int, tuple[datetime, int], int]:
        opening = 0 if s.index / lengths[s.doc_id] < 0.2 or s.index < 2 else 1
        return (opening, order[s.doc_id], s.index)

    follows = {(s.doc_id, s.index - 1): s for s in picked if needs_context(s)}
    sequence: list[Sentence] = []
    heads = sorted((s for s in picked if not needs_context(s)), key=reading_order)
    if heads and picked[0] in heads:  # the most salient fact leads, as in a news story
        heads.remove(picked[0])
        heads.insert(0, picked[0])
    for head in heads:
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


def _single_source(
    docs: Sequence[Document], sentences: Mapping[str, Sequence[Sentence]], dedup: DedupResult
) -> str | None:
    """The one article every current document copies, when there is only one: its id, else None.

    With one independent source there is nothing to weigh across outlets:
    no support, no facets, no paraphrase between sources.
    """
    current = [d for d in docs if not d.background and sentences.get(d.id)]
    roots = {dedup.root(d.id) for d in current}
    if len(roots) != 1:
        return None
    (root,) = roots
    return root if sentences.get(root) else None


def _lead(
    sentences: Sequence[Sentence],
    config: SummarizeConfig,
    boilerplate: Boilerplate | None,
    eligible: Callable[[Sentence], bool] | None,
) -> list[Sentence]:
    """A single article's own summary: its opening candidates, in order, under the budget.

    A news article puts what matters first (on 853 one-article WCEP events
    its lead scores as well as any selection, at a tenth of the cost). A
    garbled sentence, a near-duplicate of one already taken (a headline
    printed again) and a sentence that points back to one not taken are
    skipped, as in the multi-source selection.
    """
    chosen: list[Sentence] = []
    tokens: list[set[str]] = []
    taken: set[int] = set()
    words = 0
    tolerance = _tolerance(config)
    for s in sentences:
        if config.sentences is not None and len(chosen) >= config.sentences:
            break
        if config.words is not None and words >= config.words:
            break
        if not _well_formed(s, config) or (eligible is not None and not eligible(s)):
            continue
        if needs_context(s) and s.index - 1 not in taken:
            continue
        if config.words is not None and not config.overflow and words + s.n_words > config.words + tolerance:
            continue
        if garble_score(s.text) > 0 or not _not_junk(s.text, boilerplate):
            continue
        own = content_tokens(s.text)
        if any(jaccard(own, other) >= 0.5 for other in tokens):
            continue
        chosen.append(s)
        tokens.append(own)
        taken.add(s.index)
        words += s.n_words
    return chosen


def lead_fallback(
    docs: Sequence[Document],
    sentences: Mapping[str, Sequence[Sentence]],
    config: SummarizeConfig,
    boilerplate: Boilerplate | None = None,
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
