"""Where a batch's records come from: JSONL and Parquet files, directories and globs.

Both engines accept the same inputs. The local engine reads them here, one
record at a time; the Spark engine hands the same paths to Spark's readers
(which also understand object-storage URLs such as ``s3a://bucket/news/``).
"""

from __future__ import annotations

import glob
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from tidings.errors import InputError

JSONL = "jsonl"
PARQUET = "parquet"
FORMATS = ("auto", JSONL, PARQUET)
_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json", ".jsonl.gz", ".ndjson.gz", ".json.gz")
_PARQUET_SUFFIXES = (".parquet", ".pq")


def is_remote(path: str) -> bool:
    """An object-storage or cluster URL (``s3a://``, ``gs://``, ``hdfs://``, ...): only Spark reads those."""
    return "://" in path and not path.startswith("file://")


def format_of(path: str, given: str = "auto") -> str:
    """The format of an input path or glob: as given, else by its suffix (JSONL unless it says Parquet)."""
    if given != "auto":
        return given
    return PARQUET if path.rstrip("/").lower().endswith(_PARQUET_SUFFIXES) else JSONL


def expand(inputs: Iterable[str], given: str = "auto") -> list[tuple[str, str]]:
    """Local inputs as ``(file, format)``: directories searched recursively, globs expanded, sorted.

    Raises :class:`InputError` for an input that names nothing, so a typo fails
    the run at once instead of producing an empty archive.
    """
    if given not in FORMATS:
        raise InputError(f"unknown input format {given!r} (known: {', '.join(FORMATS)})")
    out: list[tuple[str, str]] = []
    for item in inputs:
        if is_remote(item):
            raise InputError(f"{item}: the local engine reads local files only (use --engine spark)")
        path = Path(item.removeprefix("file://"))
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and not p.name.startswith(("_", ".")) and _known(p.name, given)
            )
            if not found:
                raise InputError(f"{item}: no .jsonl or .parquet files in this directory")
            out += [(str(p), format_of(p.name, given)) for p in found]
        elif path.is_file():
            out.append((str(path), format_of(path.name, given)))
        else:
            matches = sorted(glob.glob(str(path), recursive=True))  # noqa: PTH207 - absolute patterns too
            if not matches:
                raise InputError(f"{item}: no such file, directory or matching files")
            out += expand(matches, given)
    return out


def _known(name: str, given: str) -> bool:
    lower = name.lower()
    if given == JSONL:
        return lower.endswith(_JSONL_SUFFIXES)
    if given == PARQUET:
        return lower.endswith(_PARQUET_SUFFIXES)
    return lower.endswith(_JSONL_SUFFIXES + _PARQUET_SUFFIXES)


RECORD_FIELDS = ("id", "text", "title", "url", "source", "outlet", "published", "time")


def read_records(files: Sequence[tuple[str, str]]) -> Iterator[tuple[str, bytes | dict[str, Any]]]:
    """``(where, record)`` for every record: a JSONL line as bytes (parsed later) or a Parquet row as a dict.

    ``where`` is ``file:line`` (or ``file:row``); lines are not parsed here so a
    bad one becomes a problem in the same place as any other.
    """
    for name, fmt in files:
        if fmt == PARQUET:
            yield from _parquet_rows(name)
            continue
        opener = _open_gz if name.endswith(".gz") else _open_plain
        with opener(name) as stream:
            for lineno, line in enumerate(stream, start=1):
                if line.strip():
                    yield f"{name}:{lineno}", line


def _open_plain(name: str):
    return Path(name).open("rb")


def _open_gz(name: str):
    import gzip

    return gzip.open(name, "rb")


def _parquet_rows(name: str) -> Iterator[tuple[str, dict[str, Any]]]:
    import pyarrow.parquet as pq

    handle = pq.ParquetFile(name)
    columns = [c for c in handle.schema_arrow.names if c in RECORD_FIELDS]
    row = 0
    for batch in handle.iter_batches(batch_size=1024, columns=columns):
        for record in batch.to_pylist():
            row += 1
            yield f"{name}:{row}", record
