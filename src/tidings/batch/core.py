"""The batch algorithm, engine-independent: every decision the engines share lives here.

A batch makes stories by the archive's own rules (:mod:`tidings.cluster`: each
article joins the most similar active story's centroid or starts one, stories
that grow close are merged, stories go cold outside the time window), so
``tidings batch`` and ``tidings ingest`` agree on the same input. Both engines
(:mod:`tidings.batch.local`, a loop in one process; :mod:`tidings.batch.spark`,
the same steps as partition-wise transforms, joins and grouped maps) call the
functions below for every per-document, per-pair and per-story decision, and
feed the clustering pass the same vectors in the same order. That is what
makes their outputs identical: the engines only move rows around; floats are
computed by the same Python code on the same inputs in the same order.

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
5. **Stories**: one pass of the archive's clusterer (:func:`assign_stories`)
   over the dated documents in time order (:func:`order_key`), and one over
   the undated ones in id order (an undated article has no place in time, so
   it is compared with undated ones only). The pass is sequential by nature
   (where an article goes depends on the stories before it) but holds only the
   active stories, so its memory follows the stories of one time window, not
   the archive. Merges it makes are resolved afterwards (:func:`resolve_merges`).
6. **Summaries** per story (:func:`summarize_story`), the pipeline's own
   summarizer on the story's documents in :func:`order_key` order, and its
   title (:func:`tidings.titles.story_title`).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from tidings.clean import RepeatedLines, line_keys
from tidings.cluster import RECENT_ARTICLES, DocumentFrequencies, StoryIndex, features
from tidings.config import ClusterConfig, Config
from tidings.dedup import deduplicate
from tidings.errors import InputError
from tidings.ingest.files import document_from_text, record_where
from tidings.model import Document, Problem, Sentence, Summary
from tidings.pipeline import Prepared, accept, summarize_prepared
from tidings.render import summary_json
from tidings.segment import segment
from tidings.stream import canonical_url, content_hash, lsh_bands, signature
from tidings.titles import story_title

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
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
    ("published_source", "string"),  # where the date came from: metadata, feed, url, text or none
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
    if isinstance(record, Mapping) and "text" not in record and isinstance(record.get("articles"), list):
        return _problem_row(
            named,
            'a dataset cluster (an "articles" list): the batch reads one article per record; `tidings ingest` '
            "reads clusters",
        )
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
        "published_source": cleaned.published_source,
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
    return (published, doc_id, row["digest"], row.get("title") or "", row.get("outlet") or "", exact_hash(row["text"]))


def exact_hash(text: str) -> str:
    """The last key of :func:`dedup_key`: SHA-256 of the exact text, hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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


@dataclass(frozen=True, slots=True)
class DocVector:
    """A document's TF-IDF vector: parallel lists, terms increasing."""

    terms: list[int]
    weights: list[float]


def doc_vector(terms: Sequence[int], counts: Sequence[float], dfs: Sequence[int], n: int) -> DocVector:
    """:func:`tfidf` of one document, from its raw counts and their document frequencies."""
    keys, weights = tfidf(terms, counts, dfs, n)
    return DocVector(keys, weights)


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


# -- step 5: stories ---------------------------------------------------------------------------

UNDATED_STORIES = 1 << 40  # story numbers of the undated pass start here, the dated pass's at 1
_PRUNE_EVERY = 64  # articles between two prunings of cold stories (as the archive prunes after each batch)


def assign_stories(
    rows: Iterable[tuple[str, int | None, Sequence[int], Sequence[float]]], config: ClusterConfig, first_story: int = 1
) -> Iterator[tuple[str | None, int, int | None]]:
    """The archive's clusterer over documents in the order given: the same rules as ``tidings ingest``.

    ``rows`` are ``(id, published, terms, weights)``. Yields ``(id, story, None)`` for each document, as it is
    placed, and ``(None, from_story, into_story)`` for each merge (a merge moves documents already yielded:
    :func:`resolve_merges` follows them). Memory holds the active stories only: dated ones go cold past
    ``cluster.window_days``, undated ones after :data:`tidings.cluster.RECENT_ARTICLES` articles.
    """
    index = StoryIndex(config, next_id=first_story)
    newest: datetime | None = None
    for n, (doc_id, published, terms, weights) in enumerate(rows, start=1):
        when = from_us(published)
        placed = index.assign(dict(zip((int(t) for t in terms), (float(w) for w in weights), strict=True)), when)
        yield doc_id, placed.story_id, None
        for source, target, _ in placed.merged:
            yield None, source, target
        if when is not None and (newest is None or when > newest):
            newest = when
        if n % _PRUNE_EVERY == 0:
            index.prune(newest, RECENT_ARTICLES)


def resolve_merges(merges: Iterable[tuple[int, int]]) -> dict[int, int]:
    """Each merged-away story -> the story it lives on in (merges chain: 7 into 5, then 5 into 2)."""
    into = dict(merges)
    resolved = {}
    for story in into:
        target, seen = story, set()
        while target in into and target not in seen:
            seen.add(target)
            target = into[target]
        resolved[story] = target
    return resolved


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
        published_source=row.get("published_source"),
    )


def to_sentences(row: Mapping[str, Any]) -> list[Sentence]:
    """The sentences segmented when the row was prepared, rebuilt from their spans."""
    text = row["text"]
    return [
        Sentence(doc_id=row["id"], index=i, start=int(s), end=int(e), text=text[int(s) : int(e)], paragraph=int(p))
        for i, (s, e, p) in enumerate(zip(row["sent_start"], row["sent_end"], row["sent_par"], strict=True))
    ]


def repeated_lines(rows: Sequence[Mapping[str, Any]], repeated: frozenset[int]) -> RepeatedLines | None:
    """The boilerplate of a story's documents: their lines that the whole batch printed in several stories.

    ``repeated`` holds the :func:`tidings.clean.line_key` of every line found in the articles of
    ``summarize.repeated_line_stories`` stories or more (counted by the engine over the whole input).
    """
    if not repeated:
        return None
    lines = [line for r in rows for key, line in line_keys(r["text"]).items() if key in repeated]
    return RepeatedLines(lines) if lines else None


def summarize_story(
    rows: Sequence[Mapping[str, Any]], config: Config, repeated: frozenset[int] = frozenset()
) -> Summary:
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
    return summarize_prepared(Prepared(marked, sentences, dedup), config, boilerplate=repeated_lines(rows, repeated))


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


def story_row(
    story: str, rows: Sequence[Mapping[str, Any]], config: Config, repeated: frozenset[int] = frozenset()
) -> dict[str, Any]:
    """The stories-table row of one story: summary, citations, title, sources, size and span.

    ``rows`` need ``copy_root`` (the document's copy group's original, or its own
    id): independent sources are the distinct roots. ``repeated``: see :func:`repeated_lines`.
    """
    summary = summarize_story(rows, config, repeated)
    ordered = sorted(rows, key=lambda r: order_key(r.get("published"), r["id"]))
    documents = [to_document(r, r["copy_root"] if r["copy_root"] != r["id"] else None) for r in ordered]
    data = summary_json(summary)
    citations = [
        {"sentence": n, "document": c["document"], "start": c["start"], "end": c["end"]}
        for n, s in enumerate(data["summary"])
        for c in s["citations"]
    ]
    dates = [int(r["published"]) for r in rows if r.get("published") is not None]
    return {
        "story_id": story,
        "title": story_title(documents, summary),
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
    merges: int = 0
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
