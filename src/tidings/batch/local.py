"""The local engine: the batch algorithm in one process (plus worker processes for the per-document work).

Every step is the one :mod:`tidings.batch.core` describes, done with
dictionaries and sorts in memory. Memory grows with the archive (the prepared
documents and their vectors are all held), which is what the Spark engine is
for once an archive outgrows one machine. To push that point back, a prepared
row keeps its numbers in typed arrays (a list of Python floats costs about
eight times as much), and each part of a row is dropped once the last step
that needs it is done (term counts after the vectors, LSH bands and
signatures after syndication).
"""

from __future__ import annotations

import json
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from tidings.batch import core
from tidings.batch.inputs import expand, read_records
from tidings.config import Config
from tidings.processes import exit_with_parent

T = TypeVar("T")
R = TypeVar("R")
_CHUNK = 64


def run_local(
    inputs: Sequence[str], output: Path, config: Config, *, workers: int = 1, input_format: str = "auto"
) -> core.BatchReport:
    """Run the batch over local JSONL/Parquet inputs and write the tables under ``output``."""
    report = core.BatchReport(engine="local")
    clock = core.StageClock(report)
    files = expand(inputs, input_format)
    with _pool(workers) as pool:
        rows = _map(pool, partial(_prepare_chunk, config=config), _chunks(read_records(files), _CHUNK))
        prepared = [row for chunk in rows for row in chunk]
        clock("prepare")
        report.records = len(prepared)
        problems = [{"input": r["where"], "reason": r["problem"]} for r in prepared if r["problem"] is not None]
        docs = dedup([r for r in prepared if r["problem"] is None], report, problems)
        del prepared
        report.documents = len(docs)
        clock("dedup")
        by_id = {r["id"]: r for r in docs}
        vectors = vectorize(docs)
        _drop(docs, "terms", "counts")
        clock("tfidf")
        copy_of = syndication(docs, config, report)
        _drop(docs, "bands", "signature")
        clock("syndication")
        labels = stories(docs, vectors, config, report)
        del vectors
        clock("stories")
        members: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for doc_id, story in labels.items():
            members[story].append(core.with_copy_root(by_id[doc_id], copy_of.get(doc_id)))
        story_rows = _map(pool, partial(_summarize_chunk, config=config), _chunks(iter(members.items()), 16))
        summaries = [row for chunk in story_rows for row in chunk]
        clock("summaries")
    report.problems = len(problems)
    report.problem_samples = problems[:100]
    write_tables(output, docs, labels, copy_of, summaries, problems)
    clock("write")
    (output / "report.json").write_text(json.dumps(report.as_dict(), indent=2) + "\n", encoding="utf-8")
    return report


class _pool:  # noqa: N801 - used as a context manager like a function
    """A process pool when ``workers > 1``, else nothing (everything runs in this process)."""

    def __init__(self, workers: int) -> None:
        self.executor = ProcessPoolExecutor(max_workers=workers, initializer=exit_with_parent) if workers > 1 else None

    def __enter__(self) -> ProcessPoolExecutor | None:
        return self.executor

    def __exit__(self, *exc: object) -> None:
        if self.executor is not None:
            self.executor.shutdown(cancel_futures=True)


def _map(pool: ProcessPoolExecutor | None, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
    if pool is None:
        return map(fn, items)
    return pool.map(fn, items)


def _chunks(items: Iterator[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


_TYPED = {"terms": "q", "counts": "d", "bands": "q", "sent_start": "i", "sent_end": "i", "sent_par": "i"}


def _prepare_chunk(chunk: list[tuple[str, Any]], config: Config) -> list[dict[str, Any]]:
    rows = [core.prepare_record(where, record, config) for where, record in chunk]
    for row in rows:
        for key, code in _TYPED.items():
            if row.get(key) is not None:
                row[key] = array(code, row[key])
    return rows


def _drop(rows: Iterable[dict[str, Any]], *keys: str) -> None:
    """Free the parts of the rows no later step reads."""
    for row in rows:
        for key in keys:
            row.pop(key, None)


def _summarize_chunk(chunk: list[tuple[str, list[dict[str, Any]]]], config: Config) -> list[dict[str, Any]]:
    return [core.story_row(story, rows, config) for story, rows in chunk]


def dedup(rows: list[dict[str, Any]], report: core.BatchReport, problems: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Drop exact duplicates: first per canonical URL, then per content hash, then per id (earliest kept)."""
    rows = sorted(rows, key=core.dedup_key)

    def first_per(key: str, candidates: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        seen: set[str] = set()
        kept, dropped = [], []
        for row in candidates:
            value = row[key]
            if value is not None and value in seen:
                dropped.append(row)
            else:
                kept.append(row)
                if value is not None:
                    seen.add(value)
        return kept, dropped

    rows, dropped = first_per("canonical", rows)
    report.duplicate_urls = len(dropped)
    rows, dropped = first_per("digest", rows)
    report.duplicate_contents = len(dropped)
    rows, dropped = first_per("id", rows)
    report.duplicate_ids = len(dropped)
    problems += [{"input": r["where"], "reason": core.DUPLICATE_ID.format(r["id"])} for r in dropped]
    return rows


def vectorize(docs: Sequence[dict[str, Any]]) -> dict[str, core.DocVector]:
    """Every document's TF-IDF vector, with IDF from this batch."""
    df: Counter[int] = Counter()
    for row in docs:
        df.update(row["terms"])
    n = len(docs)
    return {row["id"]: core.doc_vector(row["terms"], row["counts"], [df[t] for t in row["terms"]], n) for row in docs}


def syndication(docs: Sequence[dict[str, Any]], config: Config, report: core.BatchReport) -> dict[str, str]:
    """Copies: documents sharing an LSH band whose signatures agree enough; each copy -> its group's original."""
    buckets: dict[int, list[str]] = defaultdict(list)
    for row in docs:
        for band in row["bands"]:
            buckets[band].append(row["id"])
    pairs = {
        pair for ids in buckets.values() if len(ids) > 1 for pair in core.bucket_pairs(ids, config.batch.max_bucket)
    }
    report.copy_pairs = len(pairs)
    sig = {row["id"]: row["signature"] for row in docs}
    edges = [(a, b) for a, b in pairs if core.agreement(sig[a], sig[b]) >= config.cluster.copy_jaccard]
    groups: dict[str, list[str]] = defaultdict(list)
    for doc_id, label in core.components(edges).items():
        groups[label].append(doc_id)
    published = {row["id"]: row["published"] for row in docs}
    copy_of = {}
    for ids in groups.values():
        root = min(ids, key=lambda d: core.order_key(published[d], d))
        copy_of.update({d: root for d in ids if d != root})
    report.copies = len(copy_of)
    return copy_of


def stories(
    docs: Sequence[dict[str, Any]], vectors: dict[str, core.DocVector], config: Config, report: core.BatchReport
) -> dict[str, str]:
    """Each document's story id: the archive's clusterer over the dated documents in time order, then over
    the undated ones in id order (see :func:`tidings.batch.core.assign_stories`)."""
    dated = sorted(
        (r for r in docs if r["published"] is not None), key=lambda r: core.order_key(r["published"], r["id"])
    )
    undated = sorted((r for r in docs if r["published"] is None), key=lambda r: r["id"])
    placed: dict[str, int] = {}
    merges: list[tuple[int, int]] = []
    for rows, first in ((dated, 1), (undated, core.UNDATED_STORIES)):
        stream = ((r["id"], r["published"], vectors[r["id"]].terms, vectors[r["id"]].weights) for r in rows)
        for doc_id, story, into in core.assign_stories(stream, config.cluster, first):
            if doc_id is None:
                merges.append((story, into))  # type: ignore[arg-type]
            else:
                placed[doc_id] = story
    moved = core.resolve_merges(merges)
    members: dict[int, list[str]] = defaultdict(list)
    for doc_id, story in placed.items():
        members[moved.get(story, story)].append(doc_id)
    out = {doc_id: core.story_id(min(ids)) for ids in members.values() for doc_id in ids}
    sizes = Counter(out.values())
    report.merges = len(merges)
    report.stories = len(sizes)
    report.singleton_stories = sum(1 for n in sizes.values() if n == 1)
    report.largest_story = max(sizes.values(), default=0)
    return out


def write_tables(
    output: Path,
    docs: Sequence[dict[str, Any]],
    labels: dict[str, str],
    copy_of: dict[str, str],
    summaries: Sequence[dict[str, Any]],
    problems: Sequence[dict[str, str]],
) -> None:
    """documents.parquet, stories.parquet and problems.parquet under ``output`` (pyarrow, one file each)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from tidings.batch import tables

    output.mkdir(parents=True, exist_ok=True)
    documents = [tables.document_record(row, labels[row["id"]], copy_of.get(row["id"])) for row in docs]
    pq.write_table(pa.Table.from_pylist(documents, schema=tables.documents_schema()), output / "documents.parquet")
    stories_out = [tables.story_record(row) for row in summaries]
    pq.write_table(pa.Table.from_pylist(stories_out, schema=tables.stories_schema()), output / "stories.parquet")
    pq.write_table(pa.Table.from_pylist(list(problems), schema=tables.problems_schema()), output / "problems.parquet")
