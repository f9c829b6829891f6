"""The core data model every stage reads and writes.

Stages exchange only these frozen objects, so provenance (which file, which
outlet, which character span) travels with the text from ingest to the
rendered citation and nothing downstream re-parses what an earlier stage
already parsed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

DATED_SOURCES = ("metadata", "feed", "url", "text", None)
"""Where a dated document's ``published`` came from (None: not recorded)."""


@dataclass(frozen=True, slots=True)
class Document:
    """One article with its provenance.

    ``text`` is the body the later stages work on: after ingest it is the
    normalised input, after cleaning the article body without boilerplate.
    ``copy_of`` is set by the dedup stage when this document is a
    syndicated or rewritten copy of another one; ``background`` when its
    content predates the story (see :mod:`tidings.recency`). ``format`` says where the
    text came from: ``"html"`` text was already extracted (and cleaned) by
    the HTML path, ``"text"`` still carries whatever junk was scraped.

    ``published_source`` says where ``published`` was found (see
    :mod:`tidings.ingest.dates`): ``"metadata"`` (the page's markup, or a
    date handed in with the document), ``"feed"``, ``"url"`` or ``"text"``;
    ``"none"`` when the document is undated, and ``None`` when nobody
    recorded it (a document built by hand with a date, or archived by a
    tidings that did not track it).
    """

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    path: str | None = None
    outlet: str | None = None
    published: datetime | None = None
    language: str | None = None
    copy_of: str | None = None
    format: str = "text"
    background: bool = False
    published_source: str | None = None

    def __post_init__(self) -> None:
        if self.published is None:
            object.__setattr__(self, "published_source", "none")  # undated: there is nowhere it came from
        elif self.published_source == "none":
            object.__setattr__(self, "published_source", None)  # dated by someone who did not say where from
        elif self.published_source not in DATED_SOURCES:
            raise ValueError(f"unknown published_source {self.published_source!r} (known: metadata, feed, url, text)")

    @property
    def label(self) -> str:
        """A short human name for messages: where it was read (a path, or ``file:line`` for a record of a
        JSONL file) with its url, or its id when that is its own rather than made from the file name.

        >>> Document(id="r7", text="", path="all.jsonl:12").label
        'all.jsonl:12 (id r7)'
        >>> Document(id="a", text="", path="a.txt").label, Document(id="x", text="", url="https://n.example/x").label
        ('a.txt', 'https://n.example/x')
        """
        if self.path and self.url:
            return f"{self.path} ({self.url})"
        if self.path:
            stem = self.path.replace("\\", "/").rsplit("/", 1)[-1].split(".", 1)[0]
            own_id = self.id != stem and not self.id.startswith(f"{stem}-")
            return f"{self.path} (id {self.id})" if own_id else self.path
        return self.url or self.id


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of a cleaned document, located by its character span.

    ``text == document.text[start:end]`` always holds, so a citation can
    point at the exact place a summary sentence came from.
    """

    doc_id: str
    index: int
    start: int
    end: int
    text: str
    paragraph: int = 0

    @property
    def n_words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a summary sentence (or a near-duplicate of it) occurs."""

    doc_id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class SummarySentence:
    """A sentence of the summary and every place it is supported.

    ``citations`` lists the sentence itself first, then its near-duplicates
    in other documents; ``independent`` counts sources once per syndication
    group, so ten copies of one wire story count as one. ``fallback`` marks
    an article's opening taken because no sentence passed the summarizer's
    candidate filter; ``background`` a sentence from an article whose
    content predates the story (only there when nothing current says it).
    """

    text: str
    citations: tuple[Citation, ...]
    independent: int = 1
    fallback: bool = False
    background: bool = False

    @property
    def sources(self) -> list[str]:
        """Document ids supporting the sentence, each once, in citation order."""
        return list(dict.fromkeys(c.doc_id for c in self.citations))


@dataclass(frozen=True, slots=True)
class Problem:
    """An input that could not be used, and why (one line, for humans)."""

    input: str
    reason: str

    def __str__(self) -> str:
        return f"{self.input}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Summary:
    """The result of summarizing a set of documents about one event."""

    sentences: tuple[SummarySentence, ...]
    documents: tuple[Document, ...]
    problems: tuple[Problem, ...] = ()
    independent_sources: int = 0
    meta: dict[str, object] = field(default_factory=dict, compare=False)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    @property
    def fallback(self) -> bool:
        """Whether the summary is an article's opening, taken because no sentence qualified."""
        return any(s.fallback for s in self.sentences)

    @property
    def n_words(self) -> int:
        return sum(len(s.text.split()) for s in self.sentences)

    def document(self, doc_id: str) -> Document:
        for doc in self.documents:
            if doc.id == doc_id:
                return doc
        raise KeyError(doc_id)

    @property
    def headline(self) -> str | None:
        """The title of the first titled article the summary cites: what a story built on it is called."""
        for sentence in self.sentences:
            for doc_id in sentence.sources:
                title = self.document(doc_id).title
                if title:
                    return title
        return None


def by_id(documents: Sequence[Document]) -> dict[str, Document]:
    """Index documents by id, refusing duplicates (they would make citations ambiguous)."""
    out: dict[str, Document] = {}
    for doc in documents:
        if doc.id in out:
            raise ValueError(f"duplicate document id {doc.id!r}")
        out[doc.id] = doc
    return out
