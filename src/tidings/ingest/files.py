"""Reading documents from files, directories, JSONL datasets and stdin.

Each input either yields documents or a :class:`Problem` naming the input
and the reason; one bad file never stops the others.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from tidings.config import IngestConfig
from tidings.errors import InputError
from tidings.ingest.dates import first_date, url_date
from tidings.ingest.decode import decode_bytes, normalize_text
from tidings.ingest.html import extract_html, looks_like_html
from tidings.ingest.language import detect_language
from tidings.ingest.urls import url_refusal, web_url
from tidings.model import Document, Problem

TEXT_SUFFIXES = frozenset({".txt", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
STDIN = "-"


@dataclass(frozen=True, slots=True)
class Read:
    """One document read from an input, with the input text as read (HTML kept as HTML).

    ``where`` names the input in messages when the document's own label would not find it (a feed
    entry: the feed and the entry's title); ``feed`` is the URL of the feed the document came from.
    """

    document: Document
    raw: str
    where: str | None = None
    feed: str | None = None


@dataclass(frozen=True, slots=True)
class Unread:
    """An input read from disk but not yet made a Document.

    Making the Document (extracting an HTML page's article, repairing the text, finding its date and
    language) is most of reading; an ingest leaves it to its worker processes, so that the one process
    that reads and writes does not (:func:`iter_inputs` with ``defer``).
    """

    raw: str
    doc_id: str
    label: str  # what a problem with the input names
    path: str | None = None
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    published: object = None
    is_html: bool | None = None

    def read(self) -> Read | Problem:
        """The Document, or why the input has none."""
        try:
            doc = document_from_text(
                self.raw,
                doc_id=self.doc_id,
                path=self.path,
                url=self.url,
                title=self.title,
                outlet=self.outlet,
                published=self.published,
                is_html=self.is_html,
            )
        except InputError as exc:
            return Problem(self.label, str(exc))
        return Read(doc, self.raw)


@dataclass
class Loaded:
    """Documents read from a set of inputs, and the inputs that failed."""

    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    raw: dict[str, str] = field(default_factory=dict)  # document id -> the input as read (HTML kept as HTML)


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def expand_inputs(inputs: Iterable[str | Path]) -> tuple[list[str | Path], list[Problem]]:
    """Expand directories into their supported files (sorted, recursive).

    Files named explicitly are kept even with an unknown suffix (they are
    read as text); unsupported files inside a directory are skipped, since
    a folder of articles often holds a README or images too.
    """
    out: list[str | Path] = []
    problems: list[Problem] = []
    for item in inputs:
        if str(item) == STDIN:
            out.append(STDIN)
            continue
        path = Path(item)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
            if not found:
                problems.append(Problem(str(path), "directory has no .txt, .html or .jsonl files"))
            out.extend(found)
        elif path.is_file():
            out.append(path)
        elif path.exists():
            problems.append(Problem(str(path), "not a regular file"))
        else:
            problems.append(Problem(str(path), "no such file or directory"))
    return out, problems


def _read_capped(stream: BinaryIO, limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"input is larger than the {_mb(limit)} limit (ingest.max_bytes)")
    return data


def document_from_text(
    raw: str,
    *,
    doc_id: str,
    path: str | None = None,
    url: str | None = None,
    title: str | None = None,
    outlet: str | None = None,
    published: object = None,
    published_source: str = "metadata",
    is_html: bool | None = None,
) -> Document:
    """Make a Document from raw text or HTML, extracting the article from HTML.

    The publication date is the first of: ``published`` when it comes with the document's own metadata
    (``published_source="metadata"``: a JSONL field, the API's field), the page's markup, ``published``
    from a feed (``published_source="feed"``), a day in the URL, a date in the page's byline or dateline
    (see :mod:`tidings.ingest.dates`); otherwise the document is undated, never dated by guess.

    The address is kept only as a web address a browser would follow (:func:`~tidings.ingest.urls.web_url`);
    a ``javascript:`` or ``data:`` URL is dropped (callers that want to say so check
    :func:`~tidings.ingest.urls.url_refusal` first). Raises :class:`InputError` when the input has no usable text.
    """
    if is_html is None:
        is_html = looks_like_html(raw)
    found = None
    if is_html:
        found = extract_html(raw, url=url)
        if found is None:
            raise InputError("no article text found in the HTML page")
        text = found.text
        title = title or found.title
        outlet = outlet or found.outlet
        url = url or found.url
    else:
        text = raw
    page = found.published if found is not None else None
    page_source = found.published_source if found is not None else "none"
    when, source = first_date(
        (published if published_source == "metadata" else None, "metadata"),
        (page if page_source == "metadata" else None, "metadata"),
        (published if published_source == "feed" else None, "feed"),
        (url_date(url), "url"),
        (page if page_source == "text" else None, "text"),
    )
    text = normalize_text(text)
    if not text:
        raise InputError("empty (no text)")
    return Document(
        id=doc_id,
        text=text,
        title=normalize_text(title) if title else None,
        url=web_url(url),
        path=path,
        outlet=outlet or None,
        published=when,
        language=detect_language(text),
        format="html" if is_html else "text",
        published_source=source,
    )


def record_where(where: str, record: object) -> str:
    """``file:line`` and, when the record says, its url or id: what a problem with it names.

    >>> record_where("all.jsonl:3", {"id": 17, "text": ""}), record_where("all.jsonl:4", {"url": "https://x.example/a"})
    ('all.jsonl:3 (id 17)', 'all.jsonl:4 (https://x.example/a)')
    """
    if isinstance(record, dict):
        for key in ("url", "id"):
            value = record.get(key)
            if isinstance(value, str | int) and str(value).strip():
                return f"{where} ({str(value).strip()[:200]})" if key == "url" else f"{where} (id {value})"
    return where


def _read_jsonl(path: Path, stem: str, config: IngestConfig) -> Iterator[Unread | Problem]:
    """One document per line; a dataset's cluster line (Multi-News, WCEP: ``{"id", "articles": [...]}``) gives
    each of its articles, with ids ``<cluster>/<n>`` as the evaluation reads them."""
    with path.open("rb") as stream:
        for lineno, line in enumerate(stream, start=1):
            where = f"{path}:{lineno}"
            if not line.strip():
                continue
            if len(line) > config.max_bytes:
                yield Problem(where, f"line is larger than the {_mb(config.max_bytes)} limit")
                continue
            try:
                record = json.loads(decode_bytes(line))
            except (InputError, ValueError) as exc:
                yield Problem(where, f"invalid JSON ({exc})")
                continue
            if isinstance(record, dict) and "text" not in record and isinstance(record.get("articles"), list):
                cluster = str(record.get("id") or f"{stem}-{lineno}")
                for n, article in enumerate(record["articles"]):
                    yield from _read_record(article, f"{where} article {n}", f"{cluster}/{n}")
                continue
            yield from _read_record(
                record, where, str(record.get("id") or f"{stem}-{lineno}") if isinstance(record, dict) else ""
            )


def _read_record(record: object, where: str, doc_id: str) -> Iterator[Unread | Problem]:
    """One JSONL document record (``text`` plus optional ``title``, ``url``, ``source``, ``published``/``time``)."""
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        yield Problem(record_where(where, record), 'expected an object with a "text" string')
        return
    if reason := url_refusal(_opt_str(record.get("url"))):
        yield Problem(where, f"url dropped, the article is kept: {reason}")
    yield Unread(
        record["text"],
        doc_id=doc_id,
        label=record_where(where, record),
        path=where,  # a record's provenance is its line: problems found later name it too
        url=_opt_str(record.get("url")),
        title=_opt_str(record.get("title")),
        outlet=_opt_str(record.get("source") or record.get("outlet")),
        published=record.get("published") or record.get("time"),
    )


def _opt_str(value: object) -> str | None:
    return str(value) if value not in (None, "") else None


def _unique_id(stem: str, taken: set[str]) -> str:
    doc_id, n = stem, 2
    while doc_id in taken:
        doc_id, n = f"{stem}-{n}", n + 1
    return doc_id


def iter_inputs(
    inputs: Iterable[str | Path], config: IngestConfig | None = None, *, defer: bool = False
) -> Iterator[Read | Unread | Problem]:
    """Read inputs one document at a time (a large JSONL dump is never held in memory).

    Yields a :class:`Read` per document and a :class:`Problem` per input that failed; with ``defer``,
    an :class:`Unread` instead of each Read, for the caller's workers to make into a Document.
    """
    for item in _inputs(inputs, config or IngestConfig()):
        yield item.read() if isinstance(item, Unread) and not defer else item


def _inputs(inputs: Iterable[str | Path], config: IngestConfig) -> Iterator[Unread | Problem]:
    paths, problems = expand_inputs(inputs)
    yield from problems
    taken: set[str] = set()
    for item in paths:
        if item == STDIN:
            yield _read_one("<stdin>", _unique_id("stdin", taken), None, sys.stdin.buffer, config)
            taken.add("stdin")
            continue
        path = Path(item)
        stem = _unique_id(path.stem, taken)
        taken.add(stem)
        if path.suffix.lower() in JSONL_SUFFIXES:
            yield from _read_jsonl(path, stem, config)
            continue
        try:
            size = path.stat().st_size
            if size > config.max_bytes:
                raise InputError(
                    f"file is too large ({_mb(size)}; the limit is {_mb(config.max_bytes)}, see ingest.max_bytes)"
                )
            with path.open("rb") as stream:
                is_html = True if path.suffix.lower() in HTML_SUFFIXES else None
                yield _read_one(str(path), stem, is_html, stream, config)
        except InputError as exc:
            yield Problem(str(path), str(exc))
        except OSError as exc:
            yield Problem(str(path), f"cannot read: {exc.strerror or exc}")


def load(inputs: Iterable[str | Path], config: IngestConfig | None = None) -> Loaded:
    """Read every input into Documents; failures become Problems, never exceptions.

    >>> loaded = load(["examples/seed-cluster"])  # doctest: +SKIP
    >>> len(loaded.documents), loaded.problems  # doctest: +SKIP
    (5, [])
    """
    from tidings.progress import record_counter

    inputs = list(inputs)
    loaded = Loaded()
    with record_counter("reading", count_records(inputs)) as advance:
        for item in iter_inputs(inputs, config):
            advance()
            if isinstance(item, Problem):
                loaded.problems.append(item)
            else:
                loaded.documents.append(item.document)
                loaded.raw[item.document.id] = item.raw
    return loaded


def count_records(inputs: Iterable[str | Path]) -> int | None:
    """About how many records the inputs hold (a line per JSONL record, one per other file), for a progress bar.

    ``None`` when it cannot be known ahead (stdin). Counting reads JSONL files once, at disk speed.
    """
    paths, problems = expand_inputs(inputs)
    total = len(problems)
    for item in paths:
        if item == STDIN:
            return None
        path = Path(item)
        if path.suffix.lower() not in JSONL_SUFFIXES:
            total += 1
            continue
        try:
            with path.open("rb") as stream:
                total += sum(chunk.count(b"\n") for chunk in iter(lambda s=stream: s.read(1 << 20), b""))
        except OSError:
            total += 1
    return total


def _read_one(name: str, doc_id: str, is_html: bool | None, stream: BinaryIO, config: IngestConfig) -> Unread | Problem:
    try:
        data = _read_capped(stream, config.max_bytes)
        if not data.strip():
            raise InputError("empty file")
        raw = decode_bytes(data)
    except InputError as exc:
        return Problem(name, str(exc))
    return Unread(raw, doc_id=doc_id, label=name, path=None if name == "<stdin>" else name, is_html=is_html)
