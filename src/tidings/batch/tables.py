"""The output tables: their columns, types and how a row of each is made.

``documents.parquet``: one row per kept document (``id``, ``url``,
``canonical_url``, ``title``, ``outlet``, ``published``, ``published_source``
(metadata, feed, url, text or none), ``language``,
``story_id``, ``copy_of``, ``content_hash``, cleaned ``text``).
``stories.parquet``: one row per story (``story_id``, ``title``, ``summary``,
its ``sentences``, ``citations`` as ``{sentence, document, start, end}`` where
``start:end`` is the character span in that document's cleaned text,
``independent_sources``, ``size``, ``first_published``, ``last_published``).
``problems.parquet``: ``input`` and ``reason`` of every record that could not be used.
Both engines write these columns with these types; Spark writes each table as
a directory of part files, which every Parquet reader opens like one file.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from tidings.batch.core import from_us

if TYPE_CHECKING:
    import pyarrow as pa

CITATION_DDL = "array<struct<sentence:int,document:string,start:int,end:int>>"


def documents_schema() -> pa.Schema:
    import pyarrow as pa

    ts = pa.timestamp("us", tz="UTC")
    return pa.schema(
        [
            ("id", pa.string()),
            ("url", pa.string()),
            ("canonical_url", pa.string()),
            ("title", pa.string()),
            ("outlet", pa.string()),
            ("published", ts),
            ("published_source", pa.string()),
            ("language", pa.string()),
            ("story_id", pa.string()),
            ("copy_of", pa.string()),
            ("content_hash", pa.string()),
            ("text", pa.string()),
        ]
    )


def stories_schema() -> pa.Schema:
    import pyarrow as pa

    ts = pa.timestamp("us", tz="UTC")
    citation = pa.struct(
        [("sentence", pa.int32()), ("document", pa.string()), ("start", pa.int32()), ("end", pa.int32())]
    )
    return pa.schema(
        [
            ("story_id", pa.string()),
            ("title", pa.string()),
            ("summary", pa.string()),
            ("sentences", pa.list_(pa.string())),
            ("citations", pa.list_(citation)),
            ("independent_sources", pa.int32()),
            ("size", pa.int32()),
            ("first_published", ts),
            ("last_published", ts),
        ]
    )


def problems_schema() -> pa.Schema:
    import pyarrow as pa

    return pa.schema([("input", pa.string()), ("reason", pa.string())])


def document_record(row: Mapping[str, Any], story: str, copy_of: str | None) -> dict[str, Any]:
    """A documents-table row from a prepared row and what the batch decided about it."""
    return {
        "id": row["id"],
        "url": row["url"],
        "canonical_url": row["canonical"],
        "title": row["title"],
        "outlet": row["outlet"],
        "published": from_us(row["published"]),
        "published_source": row["published_source"],
        "language": row["language"],
        "story_id": story,
        "copy_of": copy_of,
        "content_hash": row["digest"],
        "text": row["text"],
    }


def story_record(row: Mapping[str, Any]) -> dict[str, Any]:
    """A stories-table row from :func:`tidings.batch.core.story_row`'s output (citations parsed, times as datetimes)."""
    return {
        **row,
        "citations": json.loads(row["citations"]),
        "first_published": from_us(row["first_published"]),
        "last_published": from_us(row["last_published"]),
    }
