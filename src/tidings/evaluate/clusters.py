"""Evaluation clusters: ``{"id", "summary", "articles": [{"title", "text", "url", "time"}]}`` per line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tidings.errors import InputError
from tidings.ingest.dates import parse_date
from tidings.ingest.decode import normalize_text
from tidings.model import Document


@dataclass(frozen=True, slots=True)
class Article:
    title: str | None
    text: str
    url: str | None
    time: str | None


@dataclass(frozen=True, slots=True)
class Cluster:
    """A set of articles about one event and its human reference summary."""

    id: str
    reference: str
    articles: tuple[Article, ...]

    def documents(self) -> list[Document]:
        """The articles as Documents (ids ``<cluster>/<n>``), normalised like any ingested text."""
        return [
            Document(
                id=f"{self.id}/{n}",
                text=normalize_text(a.text),
                title=normalize_text(a.title) if a.title else None,
                url=a.url,
                published=parse_date(a.time),
            )
            for n, a in enumerate(self.articles)
        ]


def read_clusters(path: str | Path, limit: int | None = None) -> Iterator[Cluster]:
    """Stream clusters from a JSONL file; a malformed line is an error naming the line."""
    with Path(path).open(encoding="utf-8") as stream:
        count = 0
        for lineno, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            if limit is not None and count >= limit:
                return
            try:
                row = json.loads(line)
                articles = tuple(
                    Article(a.get("title"), a["text"], a.get("url"), a.get("time"))
                    for a in row["articles"]
                    if isinstance(a.get("text"), str) and a["text"].strip()
                )
                cluster = Cluster(str(row["id"]), str(row["summary"]), articles)
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                raise InputError(f"{path}:{lineno}: not a cluster ({exc})") from exc
            count += 1
            yield cluster
