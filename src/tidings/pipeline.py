"""The one place that wires the stages together.

ingest -> clean -> segment -> dedup -> recency -> summarize. Every stage reads and
returns the core data objects; this module decides the order, turns
per-document failures into :class:`Problem` results and never lets one bad
document stop the others.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from tidings.clean import Boilerplate, clean_document
from tidings.config import Config
from tidings.dedup import DedupResult, deduplicate
from tidings.errors import InputError
from tidings.ingest import document_from_text, iter_inputs
from tidings.ingest.files import Unread
from tidings.ingest.urls import web_url
from tidings.model import Document, Problem, Sentence, Summary
from tidings.processes import init_worker
from tidings.progress import record_counter
from tidings.recency import mark_background
from tidings.segment import pack, segment, split_sentences, unpack
from tidings.summarize import lead_fallback, summarize_sentences

if TYPE_CHECKING:
    from tidings.store import StoredDocument

T = TypeVar("T")

# Inputs below which worker processes cost more than they save (starting them, sending texts both ways):
# 32 articles are read, cleaned and split in about 0.3 s of one core.
PARALLEL_MIN = 32


@dataclass
class Prepared:
    """Documents ready to summarize: cleaned, split and deduplicated."""

    documents: list[Document]
    sentences: dict[str, list[Sentence]]
    dedup: DedupResult
    problems: list[Problem] = field(default_factory=list)
    short: list[Document] = field(default_factory=list)


def _language_problem(doc: Document, config: Config) -> str | None:
    accepted = config.ingest.languages
    if accepted and doc.language is not None and doc.language not in accepted:
        return (
            f"not in an accepted language (detected {doc.language!r}; "
            f"accepted: {', '.join(accepted)}; see ingest.languages)"
        )
    return None


def _cleaned(doc: Document, config: Config, *, clean: bool) -> Document | Problem:
    if reason := _language_problem(doc, config):
        return Problem(doc.label, reason)
    if doc.url is not None and (url := web_url(doc.url)) != doc.url:
        doc = replace(doc, url=url)
    # HTML was cleaned by its extractor; the line cleaner is for scraped plain text
    return clean_document(doc).document if clean and doc.format != "html" else doc


# A short page that talks to its reader ("Your custom domain mapping may take as little as 15-30 minutes ...",
# "Shop or log into your account to 'Skip the Month' ...", a horoscope) is a site's page, not news: news addresses
# its reader in a sentence here and there, mostly inside quotes (on the dev sets, every text under 80 words
# with 60% or more of its sentences saying "you" outside quotes was such a page: 5 of 1,648).
_PAGE_WORDS = 80
_PAGE_YOU_SHARE = 0.6
_YOU = re.compile(r"\b(?:you|your|yours|you're|you've|you'll)\b", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")


def _length_problem(doc: Document, config: Config) -> Problem | None:
    n_words = len(doc.text.split())
    if n_words < config.ingest.min_words:
        return Problem(doc.label, f"no article text after removing boilerplate ({n_words} words left)")
    if n_words < _PAGE_WORDS:
        sentences = [s for s in split_sentences(doc.text.replace("\n", " ")) if len(s.split()) > 3]
        addressed = sum(1 for s in sentences if _YOU.search(_QUOTED.sub("", s)))
        if len(sentences) >= 2 and addressed >= _PAGE_YOU_SHARE * len(sentences):
            return Problem(
                doc.label,
                f"not an article: a short page that addresses its reader ({addressed} of {len(sentences)} sentences)",
            )
    return None


def accept(doc: Document, config: Config, *, clean: bool = True) -> Document | Problem:
    """Check and clean one document: the cleaned document, or the reason it cannot be used.

    Its address is kept only if it is a web address as a browser reads it (a ``javascript:`` URL is dropped
    here whichever way the document came in; the readers that can say so report it where it was read).
    """
    cleaned = _cleaned(doc, config, clean=clean)
    if isinstance(cleaned, Problem):
        return cleaned
    return _length_problem(cleaned, config) or cleaned


@dataclass(frozen=True, slots=True)
class _Ready:
    """One input after the stages that need only that input: a kept document with its sentences, or a document
    kept aside as too short, or neither; and the problem that kept it out, if any."""

    doc_id: str | None = None  # None: it failed before it had one (reading)
    label: str = ""
    document: Document | None = None
    sentences: list[Sentence] | bytes | None = None  # bytes (segment.pack) when it crossed from a worker
    problem: Problem | None = None


def _ready(doc: Document, config: Config, *, clean: bool, known: list[Sentence] | None = None) -> _Ready:
    one = _Ready(doc_id=doc.id, label=doc.label)
    cleaned = _cleaned(doc, config, clean=clean)
    if isinstance(cleaned, Problem):
        return replace(one, problem=cleaned)
    if problem := _length_problem(cleaned, config):
        short = None
        if cleaned.text.strip():
            short = cleaned
        elif clean and doc.format != "html" and (captions := clean_document(doc).captions):
            short = replace(cleaned, text=captions)  # a photo page still says what happened
        return replace(one, document=short, problem=problem)
    doc_sentences = known if known is not None else segment(cleaned)
    if not doc_sentences:
        return replace(one, problem=Problem(doc.label, "no sentences found"))
    return replace(one, document=cleaned, sentences=doc_sentences)


def _ready_unread(item: Unread, config: Config) -> _Ready:
    """Read one input and take it through the per-document stages."""
    read = item.read()
    if isinstance(read, Problem):
        return _Ready(problem=read)
    return _ready(read.document, config, clean=True)


def _packed(fn: Callable[[T], _Ready], item: T) -> _Ready:
    """``fn(item)`` with its sentences as spans, to cross from a worker in a few bytes each (the text crosses
    once, with the document)."""
    one = fn(item)
    return replace(one, sentences=pack(one.sentences)) if isinstance(one.sentences, list) else one


@contextmanager
def _mapper(workers: int, n_items: int) -> Iterator[Callable[[Callable[[T], _Ready], Sequence[T]], Iterator[_Ready]]]:
    """A map over inputs, in their order: in ``workers`` processes when there are at least ``PARALLEL_MIN``
    inputs (fewer are done here sooner than processes start), else in this process."""
    if workers <= 1 or n_items < PARALLEL_MIN:
        yield lambda fn, items: map(fn, items)
        return
    with ProcessPoolExecutor(min(workers, n_items), initializer=init_worker) as pool:
        chunk = max(1, min(16, n_items // (4 * workers)))
        yield lambda fn, items: pool.map(partial(_packed, fn), items, chunksize=chunk)


def _assemble(ready: Iterable[_Ready], config: Config) -> Prepared:
    """Deduplicate the kept documents of per-document results, in input order (a second document with an id
    already seen is a problem; inputs that could not be read are reported first, as reading reports them)."""
    kept: list[Document] = []
    short: list[Document] = []
    sentences: dict[str, list[Sentence]] = {}
    read_problems: list[Problem] = []
    problems: list[Problem] = []
    seen_ids: set[str] = set()
    for one in ready:
        if one.doc_id is None:  # it could not be read
            if one.problem is not None:
                read_problems.append(one.problem)
            continue
        if one.doc_id in seen_ids:
            problems.append(Problem(one.label, f"duplicate document id {one.doc_id!r}"))
            continue
        seen_ids.add(one.doc_id)
        if one.problem is not None:
            problems.append(one.problem)
            if one.document is not None:
                short.append(one.document)
        elif one.document is not None and one.sentences is not None:
            kept.append(one.document)
            packed = isinstance(one.sentences, bytes)
            sentences[one.document.id] = unpack(one.document, one.sentences) if packed else one.sentences
    marked, dedup = deduplicate(kept, sentences, config.dedup)
    return Prepared(marked, sentences, dedup, read_problems + problems, short)


def prepare(
    documents: Iterable[Document],
    config: Config | None = None,
    *,
    clean: bool = True,
    segmented: Mapping[str, list[Sentence]] | None = None,
    workers: int = 1,
) -> Prepared:
    """Clean, check, segment and deduplicate documents; unusable ones become problems.

    ``clean=False`` is for documents that were cleaned already (read back from the archive), and
    ``segmented`` gives, by document id, the sentences already split from those very texts.
    Documents too short to count as articles are kept aside in ``short`` (a page that is all photo
    captions by its captions): when nothing else is left, a summary falls back to them. With ``workers``
    > 1, documents are cleaned and split in that many processes (see :func:`_mapper`); the result is the same.
    """
    config = config or Config()
    if segmented is not None and not clean:
        return _assemble((_ready(doc, config, clean=False, known=segmented.get(doc.id)) for doc in documents), config)
    documents = list(documents)
    with _mapper(workers, len(documents)) as mapped:
        return _assemble(mapped(partial(_ready, config=config, clean=clean), documents), config)


def prepare_stored(stored: Iterable[StoredDocument], config: Config | None = None) -> Prepared:
    """:func:`prepare` for documents read back from an archive: cleaned, and split when they were archived
    (a document archived before the archive kept its sentences is split now)."""
    stored = list(stored)
    segmented = {d.document.id: unpack(d.document, d.sentences) for d in stored if d.sentences is not None}
    return prepare([d.document for d in stored], config, clean=False, segmented=segmented)


def summarize_prepared(
    prepared: Prepared, config: Config | None = None, *, boilerplate: Boilerplate | None = None
) -> Summary:
    """Summarize documents that went through :func:`prepare`.

    Articles written before the story are marked background first (their
    sentences are not told as news); ``boilerplate`` lists sentences that
    recur across unrelated stories of the archive or data set.
    """
    config = config or Config()
    if not prepared.documents and prepared.short:
        return _short_summary(prepared, config, boilerplate)
    documents = mark_background(
        prepared.documents, prepared.sentences, prepared.dedup, config.summarize.background_days
    )
    chosen = summarize_sentences(
        documents, prepared.sentences, prepared.dedup, config.summarize, boilerplate=boilerplate
    )
    return Summary(
        sentences=tuple(chosen),
        documents=tuple(documents),
        problems=tuple(prepared.problems),
        independent_sources=prepared.dedup.independent(d.id for d in prepared.documents),
    )


def _short_summary(prepared: Prepared, config: Config, boilerplate: Boilerplate | None) -> Summary:
    """No document is long enough to be an article: the opening of the best short one, marked as a fallback.

    A one-line brief ("Trump said on Tuesday he will hold a press
    conference on January 11.") says more than an empty summary.
    """
    sentences = {d.id: segment(d) for d in prepared.short}
    docs = [d for d in prepared.short if sentences[d.id]]
    chosen = lead_fallback(docs, sentences, config.summarize, boilerplate)
    used = {c.doc_id for s in chosen for c in s.citations}
    cited = tuple(d for d in docs if d.id in used)
    labels = {d.label for d in cited}
    return Summary(
        sentences=tuple(chosen),
        documents=cited,
        problems=tuple(p for p in prepared.problems if p.input not in labels),
        independent_sources=len(cited),
    )


def as_documents(items: Iterable[str | Document]) -> list[Document]:
    """Accept texts (plain or HTML) and Documents alike, for notebook use.

    Texts get ids ``d1``, ``d2``, ... in input order.
    """
    out: list[Document] = []
    for n, item in enumerate(items, start=1):
        if isinstance(item, Document):
            out.append(item)
        elif isinstance(item, str):
            try:
                out.append(document_from_text(item, doc_id=f"d{n}"))
            except InputError:
                out.append(Document(id=f"d{n}", text=""))
        else:
            raise TypeError(f"expected str or Document, got {type(item).__name__}")
    return out


def summarize(
    items: Iterable[str | Document],
    *,
    words: int | None = None,
    sentences: int | None = None,
    config: Config | None = None,
    workers: int = 1,
) -> Summary:
    """Summarize texts or Documents about one event, every sentence citing its sources.

    >>> from tidings import summarize
    >>> a = "Kim Jong Un will meet Vladimir Putin in Vladivostok next week, the Kremlin said on Thursday."
    >>> b = "The Kremlin said on Thursday that Kim Jong Un will meet Vladimir Putin in Vladivostok next week."
    >>> sorted(summarize([a, b], words=40).sentences[0].sources)
    ['d1', 'd2']
    """
    config = (config or Config()).with_summarize(words=words, sentences=sentences)
    return summarize_prepared(prepare(as_documents(items), config, workers=workers), config)


def summarize_paths(paths: Sequence[str | Path], config: Config | None = None, *, workers: int = 1) -> Summary:
    """Read files, directories or ``-`` (stdin) and summarize them together.

    With ``workers`` > 1 and at least ``PARALLEL_MIN`` inputs, each input is read (an HTML page's article
    extracted, its text repaired), cleaned and split into sentences in one of that many processes; the
    deduplication and the summary need all documents at once and run here. The result is the same either way.
    """
    config = config or Config()
    items = list(iter_inputs(paths, config.ingest, defer=True))
    unread = [item for item in items if isinstance(item, Unread)]
    ready: list[_Ready] = []
    with record_counter("reading", len(items)) as advance, _mapper(workers, len(unread)) as mapped:
        done = mapped(partial(_ready_unread, config=config), unread)
        for item in items:  # in input order: problems are reported as the inputs come
            ready.append(_Ready(problem=item) if isinstance(item, Problem) else next(done))
            advance()
    return summarize_prepared(_assemble(ready, config), config)
