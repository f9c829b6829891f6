"""Dedup: near-duplicate sentences across documents, and documents that are copies.

The same fact printed by a wire service and by the outlets that carry or
rewrite it is one unit of information with several sources. Sentences
are compared as sets of content words: in a small pool (a few hundred
distinct sentences, most clusters) every pair is compared directly; in a
larger one MinHash signatures and LSH banding (datasketch) find candidate
pairs in near-linear time, and the exact Jaccard similarity confirms them.

A document most of whose sentences have near-duplicates in one other
document is a copy of it (syndication, or a machine-spun rewrite, which
swaps words but keeps most of each sentence). The original of a group of
copies is the earliest published, then the best-formed, then the longest;
every other member points to it with ``copy_of``, so a summary can count
*independent* sources.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import numpy as np

from tidings.config import DedupConfig
from tidings.model import Document, Sentence
from tidings.stopwords import ENGLISH_STOP_WORDS

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_POSSESSIVE = ("'s", "’s")
_MIN_TOKENS = 4
_SEED = 7
_BATCH = 4096  # sentences hashed at once (bounds the temporary lists of encoded words)
_MAX_BUCKET = 64  # members of one LSH bucket compared with every other member
_EXACT = 256  # pools of at most this many distinct sentences are compared pair by pair, without hashing
_FAR_FUTURE = datetime.max.replace(tzinfo=UTC)


def content_tokens(text: str) -> frozenset[str]:
    """Lower-cased words without stop words or possessive endings.

    >>> sorted(content_tokens("The Kremlin's spokesman said it was over."))
    ['kremlin', 'said', 'spokesman']
    """
    out = set()
    for word in _TOKEN.findall(text.lower()):
        if word.endswith(_POSSESSIVE):
            word = word[:-2]
        if word not in ENGLISH_STOP_WORDS and (len(word) > 1 or word.isdigit()):
            out.add(word)
    return frozenset(out)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


_MALFORMED = [
    re.compile(r"\s[,.;:!?](?!\d)"),  # space before punctuation: a tell of spinning and scraping
    re.compile(r"\b(\w+) \1\b", re.IGNORECASE),  # doubled word
    re.compile(r"^[a-z]"),  # starts mid-sentence
    re.compile(r"[a-z][A-Z][a-z]"),  # words glued together ("paradesImage")
]


_ENDS_A_SENTENCE = re.compile(r"[.!?][\"”’')]*$")


def form_penalty(text: str) -> float:
    """How badly formed a sentence looks (0 = clean); used to choose representatives.

    >>> form_penalty("The talks ended on Friday.")
    0.0
    >>> form_penalty("the talks ended , on Friday") > 0
    True
    """
    penalty = float(sum(1 for rx in _MALFORMED if rx.search(text)))
    if text.count("“") != text.count("”") or text.count('"') % 2 or text.count("(") != text.count(")"):
        penalty += 0.5
    if not _ENDS_A_SENTENCE.search(text):
        penalty += 0.5
    return penalty


@dataclass(frozen=True, slots=True)
class DedupResult:
    """Near-duplicate groups of sentences and the copy relation between documents.

    ``groups`` maps each sentence key ``(doc_id, index)`` to the keys of all
    its near-duplicates, itself included (singletons are omitted).
    ``copy_of`` maps a copied document's id to its original's id.
    """

    groups: Mapping[tuple[str, int], tuple[tuple[str, int], ...]]
    copy_of: Mapping[str, str]

    def duplicates(self, sentence: Sentence) -> tuple[tuple[str, int], ...]:
        key = (sentence.doc_id, sentence.index)
        return self.groups.get(key, (key,))

    def root(self, doc_id: str) -> str:
        """The independent source a document belongs to (itself when it is original)."""
        return self.copy_of.get(doc_id, doc_id)

    def independent(self, doc_ids: Iterable[str]) -> int:
        """How many independent sources a set of documents amounts to."""
        return len({self.root(d) for d in doc_ids})


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[object, object] = {}

    def find(self, x: object) -> object:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: object, b: object) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


def sentence_groups(
    sentences: Sequence[Sentence], config: DedupConfig | None = None
) -> dict[tuple[str, int], tuple[tuple[str, int], ...]]:
    """Group near-duplicate sentences (content-word Jaccard >= threshold) with MinHash LSH."""
    config = config or DedupConfig()
    return _groups(sentences, [content_tokens(s.text) for s in sentences], config)


def _groups(
    sentences: Sequence[Sentence], tokens: Sequence[frozenset[str]], config: DedupConfig
) -> dict[tuple[str, int], tuple[tuple[str, int], ...]]:
    """Union-find over near-duplicate pairs; time and memory linear in the sentences, whatever their repetition.

    Sentences with identical word sets are joined directly and hashed once (a page that repeats one
    sentence thousands of times would otherwise put them all in one LSH bucket: quadratic pairs).
    A bucket of more than ``_MAX_BUCKET`` distinct sentences is compared as stars around at most
    ``_MAX_BUCKET`` representatives, so a crafted input cannot make the pairs grow with its square.
    """
    usable = [i for i, t in enumerate(tokens) if len(t) >= _MIN_TOKENS]
    if len(usable) < 2:
        return {}
    uf = _UnionFind()
    first: dict[frozenset[str], int] = {}
    distinct: list[int] = []
    for i in usable:
        j = first.setdefault(tokens[i], i)
        if j == i:
            distinct.append(i)
        else:
            uf.union(j, i)
    if 2 <= len(distinct) <= _EXACT:
        _exact_pairs(distinct, tokens, config.sentence_threshold, uf)
    elif len(distinct) > _EXACT:
        from datasketch import MinHash  # its import loads scipy.integrate: only for pools that need hashing

        signatures = np.empty((len(distinct), config.num_perm), dtype=np.uint64)
        for start in range(0, len(distinct), _BATCH):
            batch = [[w.encode("utf-8") for w in tokens[i]] for i in distinct[start : start + _BATCH]]
            for k, mh in enumerate(MinHash.bulk(batch, num_perm=config.num_perm, seed=_SEED)):
                signatures[start + k] = mh.hashvalues
        checked: set[tuple[int, int]] = set()
        for bucket in _band_buckets(signatures, _bands(config.sentence_threshold, config.num_perm)):
            for a, b in _bucket_pairs(bucket):
                i, j = distinct[a], distinct[b]
                if (i, j) in checked or uf.find(i) == uf.find(j):
                    continue
                checked.add((i, j))
                if jaccard(tokens[i], tokens[j]) >= config.sentence_threshold:
                    uf.union(i, j)
    members: dict[object, list[int]] = defaultdict(list)
    for i in usable:
        members[uf.find(i)].append(i)
    groups: dict[tuple[str, int], tuple[tuple[str, int], ...]] = {}
    for idx in members.values():
        if len(idx) > 1:
            keys = tuple((sentences[i].doc_id, sentences[i].index) for i in sorted(idx))
            for key in keys:
                groups[key] = keys
    return groups


def _exact_pairs(distinct: Sequence[int], tokens: Sequence[frozenset[str]], threshold: float, uf: _UnionFind) -> None:
    """Every pair of a small pool compared directly: exact (LSH may miss a pair) and, below a few hundred
    sentences, faster than hashing them. Each word set becomes a bit mask over the pool's vocabulary, so a
    pair's shared words are one ``&`` and a bit count (comparing frozensets pair by pair took a quarter of a
    story's summary); the Jaccard is the same division of two integers as :func:`jaccard`."""
    vocabulary: dict[str, int] = {}
    masks = []
    for i in distinct:
        mask = 0
        for word in tokens[i]:
            mask |= 1 << vocabulary.setdefault(word, len(vocabulary))
        masks.append(mask)
    sizes = [len(tokens[i]) for i in distinct]
    for a, i in enumerate(distinct):
        mask, size = masks[a], sizes[a]
        for b in range(a + 1, len(distinct)):
            shared = (mask & masks[b]).bit_count()
            if shared / (size + sizes[b] - shared) >= threshold:
                uf.union(i, distinct[b])


@functools.cache
def _bands(threshold: float, num_perm: int) -> tuple[tuple[int, int], ...]:
    """MinHashLSH's bands for a threshold: worked out once per process (datasketch integrates numerically
    for them, which took longer than deduplicating a small story)."""
    from datasketch import MinHashLSH

    return tuple(MinHashLSH(threshold=threshold, num_perm=num_perm).hashranges)


def _bucket_pairs(bucket: Sequence[int]) -> Iterator[tuple[int, int]]:
    """The pairs of one LSH bucket to compare: all of them, or stars around its first members if it is large."""
    hubs = bucket[:_MAX_BUCKET]
    for pos, a in enumerate(hubs):
        for b in bucket[pos + 1 :]:
            yield a, b


def _band_buckets(signatures: np.ndarray, bands: Sequence[tuple[int, int]]) -> Iterator[list[int]]:
    """Rows that agree on every value of some band: the candidates an LSH index returns for each other.

    The same banding as ``MinHashLSH`` (whose query returns every key sharing a
    band's values with the query), done with a sort per band instead of a
    table of sets per band, which held over 200 MB for 100,000 sentences.
    Each bucket lists row numbers in increasing order.
    """
    for start, end in bands:
        band = signatures[:, start:end]
        order = np.lexsort(band.T[::-1])
        ordered = band[order]
        same = np.all(ordered[1:] == ordered[:-1], axis=1)
        # runs of equal rows in the sorted band: boundaries where consecutive rows differ
        edges = np.flatnonzero(np.diff(np.concatenate(([False], same, [False])).astype(np.int8)))
        for first, last in zip(edges[::2], edges[1::2], strict=True):
            yield sorted(order[first : last + 1].tolist())


def _originality_key(doc: Document, sentences: Sequence[Sentence]) -> tuple[datetime, float, int, str]:
    penalty = sum(form_penalty(s.text) for s in sentences) / max(1, len(sentences))
    return (doc.published or _FAR_FUTURE, penalty, -len(doc.text), doc.id)


def find_copies(
    docs: Sequence[Document],
    sentences: Mapping[str, Sequence[Sentence]],
    groups: Mapping[tuple[str, int], tuple[tuple[str, int], ...]],
    config: DedupConfig | None = None,
    *,
    usable: Mapping[str, int] | None = None,
) -> dict[str, str]:
    """Map each copied document to the original of its syndication group.

    ``usable`` may give, per document, how many of its sentences have enough
    content words to be compared (counted here when it is not given).
    """
    config = config or DedupConfig()
    if usable is None:
        usable = {
            doc_id: sum(1 for s in ss if len(content_tokens(s.text)) >= _MIN_TOKENS) for doc_id, ss in sentences.items()
        }
    shared: dict[tuple[str, str], set[int]] = defaultdict(set)  # (a, b) -> a's sentences duplicated in b
    spans: dict[int, set[str]] = {}  # per group (by identity): the documents it spans, counted once per group
    for (doc_a, idx), keys in groups.items():
        spanned = spans.get(id(keys))
        if spanned is None:
            spanned = spans[id(keys)] = {doc for doc, _ in keys}
        for doc_b in spanned:
            if doc_b != doc_a:
                shared[(doc_a, doc_b)].add(idx)
    uf = _UnionFind()
    for (a, b), idx in shared.items():
        n = usable.get(a, 0)
        if n and len(idx) / n >= config.copy_share:
            uf.union(a, b)
    by_root: dict[object, list[Document]] = defaultdict(list)
    for doc in docs:
        if doc.id in uf.parent:
            by_root[uf.find(doc.id)].append(doc)
    copy_of: dict[str, str] = {}
    for members in by_root.values():
        original = min(members, key=lambda d: _originality_key(d, sentences.get(d.id, ())))
        for doc in members:
            if doc.id != original.id:
                copy_of[doc.id] = original.id
    return copy_of


def deduplicate(
    docs: Sequence[Document], sentences: Mapping[str, Sequence[Sentence]], config: DedupConfig | None = None
) -> tuple[list[Document], DedupResult]:
    """Find near-duplicate sentences and copies; return documents with ``copy_of`` set."""
    config = config or DedupConfig()
    flat = [s for doc in docs for s in sentences.get(doc.id, ())]
    tokens = [content_tokens(s.text) for s in flat]  # once, for the groups and the copy shares
    groups = _groups(flat, tokens, config)
    usable: dict[str, int] = {}
    start = 0
    for doc in docs:
        end = start + len(sentences.get(doc.id, ()))
        usable.setdefault(doc.id, sum(1 for t in tokens[start:end] if len(t) >= _MIN_TOKENS))
        start = end
    copy_of = find_copies(docs, sentences, groups, config, usable=usable)
    marked = [replace(doc, copy_of=copy_of.get(doc.id)) for doc in docs]
    return marked, DedupResult(groups=groups, copy_of=copy_of)
