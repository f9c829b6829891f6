"""The batch algorithm, engine-independent: every decision the engines share lives here.

The archive's online clusterer (:mod:`tidings.cluster`) is order-dependent: the
same articles fed in another order make other stories. A batch over a whole
archive has every article at once, so it uses a deterministic algorithm
instead, and both engines (:mod:`tidings.batch.local`, a loop in one process;
:mod:`tidings.batch.spark`, the same steps as partition-wise transforms, joins
and grouped maps) call the functions below for every per-document, per-pair
and per-story decision. That is what makes their outputs identical: the engines
only move rows around; floats are computed by the same Python code on the same
inputs in the same order.

The steps:

1. **Prepare** each record (:func:`prepare_record`): parse, clean, check,
   segment, canonical URL, content hash, feature counts, MinHash signature and
   LSH bands. An unusable record becomes a problem row, never an error.
2. **Exact duplicates**: one document per canonical URL, then per content hash,
   then per id, the earliest by :func:`order_key` kept.
3. **TF-IDF** with IDF from the batch's document frequencies
   (:func:`tfidf`, the formula of :class:`tidings.cluster.DocumentFrequencies`).
4. **Syndication**: documents sharing an LSH band are candidates, verified by
   MinHash agreement (:func:`agreement`); copy groups are connected
   components and every member but the earliest is a ``copy_of`` it.
5. **Stories**: candidate pairs share one of their strongest rare terms within
   the time window (:func:`block_keys`, :func:`in_window`), an edge is a pair
   whose cosine (:func:`dot`) reaches the threshold, and stories are the
   connected components of edges plus copy links. A component larger than
   ``batch.max_story`` is split with stricter thresholds (:func:`split_component`),
   so chains of weak links cannot glue an archive into one story.
6. **Summaries** per story (:func:`summarize_story`), the pipeline's own
   summarizer on the story's documents in :func:`order_key` order.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from tidings.cluster import DocumentFrequencies, features
from tidings.config import BatchConfig, Config
from tidings.dedup import deduplicate
from tidings.errors import InputError
from tidings.ingest.files import document_from_text, record_where
from tidings.model import Document, Problem, Sentence, Summary
from tidings.pipeline import Prepared, accept, summarize_prepared
from tidings.render import summary_json
from tidings.segment import segment
from tidings.stream import canonical_url, content_hash, lsh_bands, signature

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US_PER_DAY = 86_400_000_000
UNDATED = -(2**62)  # time bucket of undated documents: they are compared only with each other
_LAST = 2**63 - 1  # undated documents sort after dated ones

# Columns of a prepared row, in order (both engines build exactly these; Spark's schema is derived from it).
PREPARED_COLUMNS: tuple[tuple[str, str], ...] = (
    ("where", "string"),
    ("problem", "string"),
    ("id", "string"),
    ("url", "string"),
    ("canonical", "string"),
    ("digest", "string"),
    ("title", "string"),
    ("outlet", "string"),
    ("published", "bigint"),  # microseconds since the epoch, UTC
    ("language", "string"),
    ("format", "string"),
    ("text", "string"),
    ("terms", "array<bigint>"),  # feature ids, increasing
    ("counts", "array<double>"),  # their raw counts
    ("signature", "binary"),  # MinHash signature, uint64 values
    ("bands", "array<bigint>"),  # LSH band hashes
    ("sent_start", "array<int>"),
    ("sent_end", "array<int>"),
    ("sent_par", "array<int>"),
)


# -- step 1: one record ---------------------------------------------------------


def published_us(when: datetime | None) -> int | None:
    """A publication time as integer microseconds since the epoch (exact, comparable in any engine)."""
    if when is None:
        return None
    delta = when - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_us(value: int | None) -> datetime | None:
    """The inverse of :func:`published_us` (UTC)."""
    return None if value is None else EPOCH + timedelta(microseconds=int(value))


def document_id(canonical: str | None, digest: str) -> str:
    """The id of a record that brings none: derived from its canonical URL, else from its content.

    Derived, not numbered by input position, so every engine (and every re-run over
    the same archive split differently) gives a document the same id.
    """
    return "d" + hashlib.sha1((canonical or digest).encode("utf-8")).hexdigest()[:15]


def _opt_str(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def _problem_row(where: str, reason: str) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(name for name, _ in PREPARED_COLUMNS)
    row["where"], row["problem"] = where, reason
    return row


def prepare_record(where: str, record: str | bytes | Mapping[str, Any], config: Config) -> dict[str, Any]:
    """One input record (a JSONL line or a Parquet row) as a prepared row, or a problem row.

    The record has the JSONL document shape: ``text`` plus optional ``id``,
    ``title``, ``url``, ``source`` (or ``outlet``) and ``published`` (or ``time``).
    A problem row has ``problem`` set (the reason) and ``where`` naming the input.
    """
    if isinstance(record, str | bytes):
        try:
            record = json.loads(record.strip())  # Spark's lines come without their newline; local ones with
        except ValueError as exc:
            return _problem_row(where, f"invalid JSON ({exc})")
    named = record_where(where, dict(record) if isinstance(record, Mapping) else record)  # problems name it
    if not isinstance(record, Mapping) or not isinstance(record.get("text"), str):
        return _problem_row(named, 'expected an object with a "text" string')
    given_id = _opt_str(record.get("id"))
    try:
        doc = document_from_text(
            record["text"],
            doc_id=given_id or "-",
            url=_opt_str(record.get("url")),
            title=_opt_str(record.get("title")),
            outlet=_opt_str(record.get("source") or record.get("outlet")),
            published=record.get("published") or record.get("time"),
        )
    except InputError as exc:
        return _problem_row(named, str(exc))
    cleaned = accept(doc, config)
    if isinstance(cleaned, Problem):
        return _problem_row(named, cleaned.reason)
    sentences = segment(cleaned)
    if not sentences:
        return _problem_row(named, "no sentences found")
    canonical = canonical_url(cleaned.url)
    digest = content_hash(cleaned.text)
    counts = features(cleaned.text, cleaned.title, config.cluster.name_weight)
    sig = signature(counts)
    terms = sorted(counts)
    return {
        "where": where,
        "problem": None,
        "id": given_id or document_id(canonical, digest),
        "url": cleaned.url,
        "canonical": canonical,
        "digest": digest,
        "title": cleaned.title,
        "outlet": cleaned.outlet,
        "published": published_us(cleaned.published),
        "language": cleaned.language,
        "format": cleaned.format,
        "text": cleaned.text,
        "terms": terms,
        "counts": [float(counts[t]) for t in terms],
        "signature": sig.tobytes() if sig is not None else None,
        "bands": lsh_bands(sig) if sig is not None else [],
        "sent_start": [s.start for s in sentences],
        "sent_end": [s.end for s in sentences],
        "sent_par": [s.paragraph for s in sentences],
    }


# -- step 2: which of two duplicates stays -----------------------------------------


def order_key(published: int | None, doc_id: str) -> tuple[int, str]:
    """Earliest first, undated last, then by id: the order that picks originals and keeps duplicates.

    Spark orders by ``published ASC NULLS LAST, id``; strings compare by code
    point in Python and by UTF-8 bytes in Spark, which is the same order.
    """
    return (_LAST if published is None else int(published), doc_id)


DUPLICATE_ID = "duplicate document id {!r} (another document with this id was kept)"


def dedup_key(row: Mapping[str, Any]) -> tuple[int, str, str, str, str, str]:
    """The order in which duplicates compete: :func:`order_key`, then every field that could still differ.

    The last key is the SHA-256 of the exact text (Spark's ``sha2(text, 256)``),
    so engines never have to move or compare whole texts to break a tie.
    """
    published, doc_id = order_key(row.get("published"), row["id"])
    exact = hashlib.sha256(row["text"].encode("utf-8")).hexdigest()
    return (published, doc_id, row["digest"], row.get("title") or "", row.get("outlet") or "", exact)


# -- step 3: TF-IDF ---------------------------------------------------------------


def tfidf(terms: Sequence[int], counts: Sequence[float], dfs: Sequence[int], n: int) -> tuple[list[int], list[float]]:
    """A document's L2-normalised sublinear TF-IDF vector, as parallel lists in increasing term order.

    ``dfs`` are the batch's document frequencies of ``terms`` and ``n`` its
    number of documents. The formula is :meth:`DocumentFrequencies.vector`'s;
    the terms are sorted first so the sums run in the same order whatever order
    an engine delivered them in.
    """
    order = sorted(range(len(terms)), key=lambda i: int(terms[i]))
    stats = DocumentFrequencies({int(terms[i]): int(dfs[i]) for i in order}, n)
    vec = stats.vector({int(terms[i]): float(counts[i]) for i in order})
    keys = sorted(vec)
    return keys, [vec[t] for t in keys]


def block_terms(
    terms: Sequence[int], weights: Sequence[float], dfs: Sequence[int], n: int, config: BatchConfig
) -> list[int]:
    """The terms a document is blocked under: its ``block_terms`` strongest among the rarer ones.

    A term that occurs in one document cannot pair anything; one that occurs in
    more than ``max_df`` of the batch would make blocks as large as the batch.
    A term in at most ``max_block`` documents can never make an oversized block,
    so in a small batch every term may serve.
    """
    limit = max(config.max_block, math.floor(config.max_df * n))
    usable = [(-float(w), int(t)) for t, w, d in zip(terms, weights, dfs, strict=True) if 2 <= d <= limit]
    usable.sort()
    return [t for _, t in usable[: config.block_terms]]


@dataclass(frozen=True, slots=True)
class DocVector:
    """A document's TF-IDF vector (parallel lists, terms increasing) and the terms it is blocked under."""

    terms: list[int]
    weights: list[float]
    blocks: list[int]


def doc_vector(
    terms: Sequence[int], counts: Sequence[float], dfs: Sequence[int], n: int, config: BatchConfig
) -> DocVector:
    """:func:`tfidf` and :func:`block_terms` of one document, from its raw counts and their document frequencies."""
    keys, weights = tfidf(terms, counts, dfs, n)
    df_of = dict(zip((int(t) for t in terms), (int(d) for d in dfs), strict=True))
    return DocVector(keys, weights, block_terms(keys, weights, [df_of[t] for t in keys], n, config))


def time_bucket(published: int | None, config: BatchConfig) -> int:
    """The time bucket of a document: ``window_days`` wide, so pairs in the window are in the same or next one."""
    if published is None:
        return UNDATED
    return int(published) // int(config.window_days * _US_PER_DAY)


def block_keys(terms: Iterable[int], published: int | None, config: BatchConfig) -> list[tuple[int, int, bool]]:
    """``(term, bucket, home)`` keys a document joins: at home in its bucket, visiting the next one.

    A block holds the documents at home in a bucket and those visiting from the
    bucket before; pairs are home-home and home-visitor, so each pair of documents
    within the window meets in at least one block and no block spans more than
    two windows. Undated documents have no next bucket: they meet only each other.
    """
    bucket = time_bucket(published, config)
    keys = []
    for term in terms:
        keys.append((int(term), bucket, True))
        if bucket != UNDATED:
            keys.append((int(term), bucket + 1, False))
    return keys


def block_pairs(home: Sequence[str], visiting: Sequence[str]) -> Iterator[tuple[str, str]]:
    """The pairs one block makes, each as ``(smaller id, larger id)``: home with home, home with visitor."""
    ordered = sorted(home)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            yield (a, b)
    for a in ordered:
        for b in visiting:
            yield (a, b) if a < b else (b, a)


def in_window(a: int | None, b: int | None, config: BatchConfig) -> bool:
    """Whether two documents are close enough in time to be one story (undated only with undated)."""
    if a is None or b is None:
        return a is None and b is None
    return abs(int(a) - int(b)) <= config.window_days * _US_PER_DAY


def dot(ta: Sequence[int], wa: Sequence[float], tb: Sequence[int], wb: Sequence[float]) -> float:
    """Cosine of two normalised sparse vectors (terms increasing): the sum over shared terms, in term order."""
    a_terms, b_terms = np.asarray(ta, dtype=np.int64), np.asarray(tb, dtype=np.int64)
    _, ia, ib = np.intersect1d(a_terms, b_terms, assume_unique=True, return_indices=True)
    if not len(ia):
        return 0.0
    products = np.asarray(wa, dtype=np.float64)[ia] * np.asarray(wb, dtype=np.float64)[ib]
    total = 0.0
    for value in products.tolist():  # a plain left-to-right sum: the same float in every engine
        total += value
    return total


# -- step 4: syndication --------------------------------------------------------------


def agreement(a: bytes | None, b: bytes | None) -> float:
    """Share of MinHash values two signatures agree on (an estimate of their Jaccard similarity)."""
    if a is None or b is None or len(a) != len(b):
        return 0.0
    return float(np.mean(np.frombuffer(a, dtype=np.uint64) == np.frombuffer(b, dtype=np.uint64)))


def bucket_pairs(members: Sequence[str], max_bucket: int) -> Iterator[tuple[str, str]]:
    """Candidate pairs among documents sharing a band: all of them, or a star around the first when huge.

    A bucket with thousands of members is one wire story syndicated everywhere;
    pairing each member with the first is enough to connect them and keeps the
    work linear.
    """
    ordered = sorted(members)
    if len(ordered) > max_bucket:
        first = ordered[0]
        yield from ((first, other) for other in ordered[1:])
        return
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            yield (a, b)


# -- connected components and the guard against giant stories -----------------------


COPY_SIMILARITY = 1.0  # a copy link in the story graph: as strong as a link can be


class UnionFind:
    """Disjoint sets of ids; every set is labelled by its smallest id (so labels do not depend on merge order)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


def components(edges: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Each id that appears in an edge -> the smallest id of its connected component."""
    uf = UnionFind()
    for a, b in edges:
        uf.union(a, b)
    return {x: uf.find(x) for x in uf.parent}


def split_component(
    members: Sequence[str], edges: Sequence[tuple[str, str, float]], config: BatchConfig
) -> dict[str, str]:
    """Labels for an oversized component: its edges re-thresholded until every piece fits ``max_story``.

    Each pass raises the threshold by ``split_step`` for the pieces still too
    large. Weak links that chained distinct events together go first; what
    survives is the core of each event. A piece held together by copy links
    (similarity 1.0) is kept whole. Deterministic: a function of the edge set only.
    """
    labels = {m: min(members) for m in members}
    todo: list[tuple[list[str], float]] = [(sorted(members), config.threshold)]
    while todo:
        piece, threshold = todo.pop()
        if len(piece) <= config.max_story or threshold >= 1.0:
            for m in piece:
                labels[m] = piece[0]
            continue
        stricter = min(1.0, round(threshold + config.split_step, 9))  # no float drift past a copy link's 1.0
        inside = set(piece)
        found = components((a, b) for a, b, s in edges if s >= stricter and a in inside and b in inside)
        groups: dict[str, list[str]] = defaultdict(list)
        for m in piece:
            groups[found.get(m, m)].append(m)
        for group in groups.values():
            todo.append((sorted(group), stricter))
    return labels


def story_id(first_member: str) -> str:
    """A story's id: a hash of its smallest document id (stable across engines and runs)."""
    return "s" + hashlib.sha1(first_member.encode("utf-8")).hexdigest()[:15]


# -- step 6: per story -----------------------------------------------------------------


def to_document(row: Mapping[str, Any], copy_of: str | None = None) -> Document:
    """A prepared row back as the core model's Document (cleaned text, provenance)."""
    return Document(
        id=row["id"],
        text=row["text"],
        title=row.get("title"),
        url=row.get("url"),
        outlet=row.get("outlet"),
        published=from_us(row.get("published")),
        language=row.get("language"),
        copy_of=copy_of,
        format=row.get("format") or "text",
    )


def to_sentences(row: Mapping[str, Any]) -> list[Sentence]:
    """The sentences segmented when the row was prepared, rebuilt from their spans."""
    text = row["text"]
    return [
        Sentence(doc_id=row["id"], index=i, start=int(s), end=int(e), text=text[int(s) : int(e)], paragraph=int(p))
        for i, (s, e, p) in enumerate(zip(row["sent_start"], row["sent_end"], row["sent_par"], strict=True))
    ]


def summarize_story(rows: Sequence[Mapping[str, Any]], config: Config) -> Summary:
    """The cited summary of one story's documents.

    The same as ``summarize_prepared(prepare(docs, config, clean=False), config)``
    without segmenting again: the documents were cleaned, checked and segmented
    when prepared. They are taken in :func:`order_key` order, whatever order the
    engine grouped them in.
    """
    ordered = sorted(rows, key=lambda r: order_key(r.get("published"), r["id"]))
    docs = [to_document(r) for r in ordered]
    sentences = {r["id"]: to_sentences(r) for r in ordered}
    marked, dedup = deduplicate(docs, sentences, config.dedup)
    return summarize_prepared(Prepared(marked, sentences, dedup), config)


STORY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("story_id", "string"),
    ("title", "string"),
    ("summary", "string"),
    ("sentences", "array<string>"),
    ("citations", "string"),  # JSON; engines turn it into a list of structs when writing
    ("independent_sources", "int"),
    ("size", "int"),
    ("first_published", "bigint"),
    ("last_published", "bigint"),
)


def story_row(story: str, rows: Sequence[Mapping[str, Any]], config: Config) -> dict[str, Any]:
    """The stories-table row of one story: summary, citations, title, sources, size and span.

    ``rows`` need ``copy_root`` (the document's copy group's original, or its own
    id): independent sources are the distinct roots.
    """
    summary = summarize_story(rows, config)
    data = summary_json(summary)
    citations = [
        {"sentence": n, "document": c["document"], "start": c["start"], "end": c["end"]}
        for n, s in enumerate(data["summary"])
        for c in s["citations"]
    ]
    dates = [int(r["published"]) for r in rows if r.get("published") is not None]
    return {
        "story_id": story,
        "title": summary.headline,
        "summary": summary.text,
        "sentences": [s.text for s in summary.sentences],
        "citations": json.dumps(citations),
        "independent_sources": len({r["copy_root"] for r in rows}),
        "size": len(rows),
        "first_published": min(dates) if dates else None,
        "last_published": max(dates) if dates else None,
    }


# -- the report ---------------------------------------------------------------------------


@dataclass
class BatchReport:
    """What a batch run did: counts, the problems (up to ``max_problems`` of them) and timings."""

    engine: str
    records: int = 0
    documents: int = 0
    problems: int = 0
    duplicate_urls: int = 0
    duplicate_contents: int = 0
    duplicate_ids: int = 0
    copies: int = 0
    copy_pairs: int = 0
    story_pairs: int = 0
    story_edges: int = 0
    skipped_blocks: int = 0
    split_components: int = 0
    stories: int = 0
    singleton_stories: int = 0
    largest_story: int = 0
    problem_samples: list[dict[str, str]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k != "extra"}
        out.update(self.extra)
        return out

    def summary_line(self) -> str:
        """One line for a terminal."""
        return (
            f"{self.records} record(s): {self.documents} document(s) in {self.stories} stor"
            f"{'y' if self.stories == 1 else 'ies'} ({self.singleton_stories} single-article), "
            f"{self.copies} syndicated copies, "
            f"{self.duplicate_urls + self.duplicate_contents} exact duplicates dropped, {self.problems} problem(s)"
        )


class StageClock:
    """Records into ``report.timings`` the seconds since the previous stage ended."""

    def __init__(self, report: BatchReport) -> None:
        self.report = report
        self.last = time.perf_counter()

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        self.report.timings[stage] = round(now - self.last, 3)
        self.last = now


def with_copy_root(row: Mapping[str, Any], copy_of: str | None) -> dict[str, Any]:
    return {**row, "copy_root": copy_of or row["id"]}


def replace_config(config: Config, **batch: Any) -> Config:
    """A copy of ``config`` with some batch settings changed (None values ignored)."""
    batch = {k: v for k, v in batch.items() if v is not None}
    return replace(config, batch=replace(config.batch, **batch)) if batch else config
