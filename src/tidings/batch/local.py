"""The local engine: the batch algorithm on one machine, its working rows on disk.

Every step is the one :mod:`tidings.batch.core` describes. Prepared rows go to
a SQLite file in the output's work folder (:mod:`tidings.batch.spill`) as the
worker processes return them, and each later step streams back what it needs,
in the order it needs it, so memory is set by ``batch.chunk`` (rows per unit
of work, two units per worker in flight) and ``batch.cache_mib`` (SQLite's page
cache), not by the archive. What a step still holds beyond that:

- TF-IDF: the batch's document frequencies as two sorted arrays (12 bytes per
  distinct term: the vocabulary, which grows far slower than the archive);
- syndication: one LSH bucket at a time, then the documents of the copy groups
  (the candidate pairs, millions at 100k articles, stay on disk);
- stories: the active stories of one time window (:func:`core.assign_stories`)
  and the merges, two integers each;
- repeated lines: the keys of the lines found in several stories' articles
  (boilerplate: few; each (line, story) pair is counted on disk);
- writing: one Parquet row group (4,096 rows).
- summaries: the chunks in flight; a story larger than a chunk goes whole.

A run that stops (killed, out of disk) leaves its work folder; the same command
again resumes it: prepared records and finished summaries are kept, the cheap
steps between them run again. The folder goes once the tables are written.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from tidings.batch import core
from tidings.batch.inputs import expand, read_records
from tidings.batch.spill import Spill
from tidings.clean import line_keys
from tidings.config import Config
from tidings.processes import init_worker

T = TypeVar("T")
R = TypeVar("R")
_UNDATED = core.order_key(None, "")[0]  # the time key of an undated document: after every dated one
_MERGE_TERMS = 1 << 20  # term ids gathered before they are merged into the document frequencies
_ROW_GROUP = 4096  # rows per Parquet row group: readers cope badly with thousands of tiny groups


def run_local(
    inputs: Sequence[str], output: Path, config: Config, *, workers: int = 1, input_format: str = "auto"
) -> core.BatchReport:
    """Run the batch over local JSONL/Parquet inputs and write the tables under ``output``."""
    report = core.BatchReport(engine="local")
    clock = core.StageClock(report)
    files = expand(inputs, input_format)
    spill = Spill(output, fingerprint(files, input_format, config), config.batch.cache_mib)

    def step(name: str) -> None:
        spill.checkpoint()
        clock(name)

    try:
        with _pool(workers) as pool:
            prepare(spill, pool, files, config, workers)
            step("prepare")
            report.records = spill.count()
            report.duplicate_urls, report.duplicate_contents, report.duplicate_ids = spill.dedup()
            report.documents = spill.count("kept = 1")
            step("dedup")
            vectorize(spill, report.documents, config.batch.chunk)
            step("tfidf")
            syndication(spill, config, report)
            step("syndication")
            stories(spill, config, report)
            step("stories")
            repeated = repeated_lines(spill, config)
            step("repeated lines")
            summaries(spill, pool, config, workers, repeated)
            step("summaries")
        write_tables(output, spill, report)
        clock("write")
    except BaseException:
        spill.close(remove=False)  # kept for the re-run to resume
        raise
    spill.close(remove=True)
    (output / "report.json").write_text(json.dumps(report.as_dict(), indent=2) + "\n", encoding="utf-8")
    return report


def fingerprint(files: Sequence[tuple[str, str]], input_format: str, config: Config) -> str:
    """What a resumed run must share with the one it resumes: the input files as they were, and every setting."""
    found = []
    for name, fmt in files:
        stat = Path(name).stat()
        found.append([str(Path(name).resolve()), fmt, stat.st_size, stat.st_mtime_ns])
    settings = dataclasses.asdict(config)
    settings["batch"].pop("cache_mib")  # how the work is done, not what it gives
    settings["batch"].pop("chunk")
    text = json.dumps([found, input_format, settings], sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _pool:  # noqa: N801 - used as a context manager like a function
    """A process pool when ``workers > 1``, else nothing (everything runs in this process)."""

    def __init__(self, workers: int) -> None:
        self.executor = ProcessPoolExecutor(max_workers=workers, initializer=init_worker) if workers > 1 else None

    def __enter__(self) -> ProcessPoolExecutor | None:
        return self.executor

    def __exit__(self, *exc: object) -> None:
        if self.executor is not None:
            self.executor.shutdown(cancel_futures=True)


def _imap(pool: ProcessPoolExecutor | None, fn: Callable[[T], R], items: Iterable[T], ahead: int) -> Iterator[R]:
    """``map`` in order with at most ``ahead`` items in flight (``Executor.map`` would submit them all at once)."""
    if pool is None:
        yield from map(fn, items)
        return
    pending: deque[Future[R]] = deque()
    for item in items:
        pending.append(pool.submit(fn, item))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


# -- step 1 ---------------------------------------------------------------------------------


def prepare(
    spill: Spill, pool: ProcessPoolExecutor | None, files: Sequence[tuple[str, str]], config: Config, workers: int
) -> None:
    """Prepare every record not prepared yet, in worker processes, and store them a chunk at a time."""
    start = spill.prepared()
    records = itertools.islice(read_records(files), start, None)
    work = partial(_prepare_chunk, config=config)
    for rows in _imap(pool, work, _chunks(records, config.batch.chunk), ahead=2 * max(workers, 1)):
        spill.add_prepared(start, rows)
        start += len(rows)


def _prepare_chunk(chunk: list[tuple[str, Any]], config: Config) -> list[tuple[Any, ...]]:
    return [_pack(core.prepare_record(where, record, config)) for where, record in chunk]


def _pack(row: dict[str, Any]) -> tuple[Any, ...]:
    """A prepared row as :meth:`Spill.add_prepared` stores it: numbers as packed arrays (exact, compact)."""
    problem = row["problem"] is not None
    columns = (
        row["where"],
        row["problem"],
        row["id"],
        row["url"],
        row["canonical"],
        row["digest"],
        row["title"],
        row["outlet"],
        row["published"],
        None if problem else core.order_key(row["published"], "")[0],
        row["published_source"],
        row["language"],
        row["format"],
        None if problem else core.exact_hash(row["text"]),
    )
    if problem:
        return columns, None, None, []
    spans = np.array([row["sent_start"], row["sent_end"], row["sent_par"]], dtype=np.int32).tobytes()
    features = (
        np.asarray(row["terms"], dtype=np.int64).tobytes(),
        np.asarray(row["counts"], dtype=np.float64).tobytes(),
        row["signature"],
    )
    return columns, (row["text"], spans), features, row["bands"]


# -- step 3 -------------------------------------------------------------------------------------


def _lookup(table: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of ``ids`` is (or would go) in the sorted ``table``, and whether it is there."""
    at = np.searchsorted(table, ids)
    found = at < len(table)
    found[found] = table[at[found]] == ids[found]
    return at, found


def document_frequencies(term_lists: Iterable[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The distinct term ids (sorted) and how many documents have each; each list holds a document's distinct terms.

    Ids are gathered ``_MERGE_TERMS`` at a time and merged into the running counts: the known terms' counts
    are added in place and only the unseen terms are inserted, so a merge copies the table once (12 bytes a
    term: ids and 32-bit counts) instead of building a union, a zeroed copy and two index arrays beside it.
    """
    terms = np.empty(0, dtype=np.int64)
    counts = np.empty(0, dtype=np.int32)
    pending: list[np.ndarray] = []
    gathered = 0

    def merge() -> tuple[np.ndarray, np.ndarray]:
        new, new_counts = np.unique(np.concatenate(pending), return_counts=True)
        at, known = _lookup(terms, new)
        counts[at[known]] += new_counts[known].astype(np.int32)  # ``new`` is unique: no position twice
        fresh = ~known
        return np.insert(terms, at[fresh], new[fresh]), np.insert(counts, at[fresh], new_counts[fresh])

    for ids in term_lists:
        pending.append(ids)
        gathered += len(ids)
        if gathered >= _MERGE_TERMS:
            terms, counts = merge()
            pending, gathered = [], 0
    return merge() if pending else (terms, counts)


def vectorize(spill: Spill, n: int, chunk: int) -> None:
    """Every kept document's TF-IDF vector, with IDF from this batch, stored for the story pass."""
    terms, dfs = document_frequencies(np.frombuffer(t, dtype=np.int64) for _, t, _ in spill.features())
    # a term of one document has df 1 whether it is in the table or not: keep only the others (most of a large
    # archive's vocabulary is names and typos seen once)
    repeated = dfs > 1
    terms, dfs = terms[repeated], dfs[repeated]
    for rows in _chunks(spill.features(), chunk):
        out = []
        for rowkey, t, c in rows:
            ids = np.frombuffer(t, dtype=np.int64)
            at, found = _lookup(terms, ids)
            df = np.ones(len(ids), dtype=np.int32)
            df[found] = dfs[at[found]]
            vec = core.doc_vector(ids.tolist(), np.frombuffer(c, dtype=np.float64).tolist(), df.tolist(), n)
            out.append((rowkey, np.asarray(vec.terms, dtype=np.int64).tobytes(), np.asarray(vec.weights).tobytes()))
        spill.add_vectors(out)


# -- step 4 ---------------------------------------------------------------------------------------


def syndication(spill: Spill, config: Config, report: core.BatchReport) -> None:
    """Copies: documents sharing an LSH band whose signatures agree enough; each copy -> its group's original."""
    pairs: list[tuple[str, str]] = []
    for _, bucket in itertools.groupby(spill.bands(), key=lambda row: row[0]):
        ids = [doc_id for _, doc_id in bucket]
        if len(ids) > 1:
            pairs += core.bucket_pairs(ids, config.batch.max_bucket)
        if len(pairs) >= config.batch.chunk:
            spill.add_pairs(pairs)
            pairs = []
    spill.add_pairs(pairs)
    report.copy_pairs = spill.pair_count()
    # Pairs stream through union-find: only the documents in copy groups are held, not the pairs (a bucket of
    # 200 re-issues of one wire story is 19,900 of them).
    published: dict[str, int | None] = {}

    def verified() -> Iterator[tuple[str, str]]:
        for a, b, sig_a, sig_b, published_a, published_b in spill.pairs():
            if core.agreement(sig_a, sig_b) >= config.cluster.copy_jaccard:
                published[a], published[b] = published_a, published_b
                yield a, b

    groups: dict[str, list[str]] = defaultdict(list)
    for doc_id, label in core.components(verified()).items():
        groups[label].append(doc_id)
    copies = []
    for ids in groups.values():
        root = min(ids, key=lambda d: core.order_key(published[d], d))
        copies += [(d, root) for d in ids if d != root]
    spill.set_copies(copies)
    report.copies = len(copies)


# -- step 5 -----------------------------------------------------------------------------------------


def stories(spill: Spill, config: Config, report: core.BatchReport) -> None:
    """Each document's story: the archive's clusterer over the dated documents in time order, then over the
    undated ones in id order (see :func:`tidings.batch.core.assign_stories`)."""
    merges: list[tuple[int, int]] = []
    for dated, first in ((True, 1), (False, core.UNDATED_STORIES)):
        stream = (
            (doc_id, published, np.frombuffer(t, dtype=np.int64), np.frombuffer(w, dtype=np.float64))
            for _, doc_id, published, t, w in spill.vectors(dated=dated, last=_UNDATED)
        )
        for placed in _chunks(core.assign_stories(stream, config.cluster, first), config.batch.chunk):
            spill.add_placed([(doc_id, story) for doc_id, story, _ in placed if doc_id is not None])
            merges += [(story, into) for doc_id, story, into in placed if doc_id is None]  # type: ignore[misc]
    report.merges = len(merges)
    report.stories, report.singleton_stories, report.largest_story = spill.label_stories(
        core.resolve_merges(merges), core.story_id
    )


# -- step 6 ---------------------------------------------------------------------------------------------


def repeated_lines(spill: Spill, config: Config) -> frozenset[int]:
    """Lines printed in the articles of ``summarize.repeated_line_stories`` stories or more (boilerplate)."""
    if not (min_stories := config.summarize.repeated_line_stories):
        return frozenset()
    pairs = ((key, story) for story, text in spill.story_texts() for key in line_keys(text))
    for chunk in _chunks(pairs, 50_000):
        spill.add_line_stories(chunk)
    return spill.repeated_lines(min_stories)


def summaries(
    spill: Spill, pool: ProcessPoolExecutor | None, config: Config, workers: int, repeated: frozenset[int]
) -> None:
    """Summarize every story not summarized yet, in worker processes; each result is stored as it comes."""
    work = partial(_summarize_chunk, config=config, repeated=repeated)
    chunks = _story_chunks(spill.story_members(), config.batch.chunk)
    for rows in _imap(pool, work, chunks, ahead=2 * max(workers, 1)):
        spill.add_summaries(rows)


def _story_chunks(members: Iterable[tuple[Any, ...]], size: int) -> Iterator[list[list[tuple[Any, ...]]]]:
    """Whole stories (their members' rows, grouped by story id) in chunks of about ``size`` documents."""
    chunk: list[list[tuple[Any, ...]]] = []
    held = 0
    for _, rows in itertools.groupby(members, key=lambda row: row[0]):
        story = list(rows)
        chunk.append(story)
        held += len(story)
        if held >= size:
            yield chunk
            chunk, held = [], 0
    if chunk:
        yield chunk


_MEMBER = ("story_id", "id", "url", "canonical", "digest", "title", "outlet", "published", "published_source")
_MEMBER += ("language", "format", "copy_of", "text", "spans")


def _summarize_chunk(
    chunk: list[list[tuple[Any, ...]]], config: Config, repeated: frozenset[int]
) -> list[dict[str, Any]]:
    out = []
    for members in chunk:
        rows = []
        for values in members:
            row = dict(zip(_MEMBER, values, strict=True))
            row["sent_start"], row["sent_end"], row["sent_par"] = np.frombuffer(row.pop("spans"), np.int32).reshape(
                3, -1
            )
            rows.append(core.with_copy_root(row, row.pop("copy_of")))
        out.append(core.story_row(members[0][0], rows, config, repeated))
    return out


# -- the tables ---------------------------------------------------------------------------------------------


def write_tables(output: Path, spill: Spill, report: core.BatchReport) -> None:
    """documents.parquet, stories.parquet and problems.parquet under ``output``, a row group at a time."""
    from tidings.batch import tables

    documents = (
        tables.document_record(dict(zip(_DOCUMENT, values, strict=True)), values[-3], values[-2])
        for values in spill.documents()
    )
    _write(output / "documents.parquet", tables.documents_schema(), documents)
    _write(output / "stories.parquet", tables.stories_schema(), map(tables.story_record, spill.summaries()))

    def problems() -> Iterator[dict[str, str]]:
        for where, reason, duplicate in spill.problems():
            problem = {"input": where, "reason": reason or core.DUPLICATE_ID.format(duplicate)}
            report.problems += 1
            if len(report.problem_samples) < 100:
                report.problem_samples.append(problem)
            yield problem

    _write(output / "problems.parquet", tables.problems_schema(), problems())


_DOCUMENT = ("id", "url", "canonical", "digest", "title", "outlet", "published", "published_source", "language")
_DOCUMENT += ("story_id", "copy_of", "text")


def _write(path: Path, schema: Any, records: Iterable[dict[str, Any]]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    with pq.ParquetWriter(path, schema) as writer:
        for rows in _chunks(records, _ROW_GROUP):
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
        # an empty table still has its file and schema (ParquetWriter writes them on close)
