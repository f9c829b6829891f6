"""The one place that wires the stages together.

ingest -> clean -> segment -> dedup -> recency -> summarize. Every stage reads and
returns the core data objects; this module decides the order, turns
per-document failures into :class:`Problem` results and never lets one bad
document stop the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from tidings.clean import Boilerplate, clean_document
from tidings.config import Config
from tidings.dedup import DedupResult, deduplicate
from tidings.errors import InputError
from tidings.ingest import document_from_text, load
from tidings.ingest.urls import web_url
from tidings.model import Document, Problem, Sentence, Summary
from tidings.recency import mark_background
from tidings.segment import segment, unpack
from tidings.summarize import lead_fallback, summarize_sentences

if TYPE_CHECKING:
    from tidings.store import StoredDocument


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


def _length_problem(doc: Document, config: Config) -> Problem | None:
    n_words = len(doc.text.split())
    if n_words < config.ingest.min_words:
        return Problem(doc.label, f"no article text after removing boilerplate ({n_words} words left)")
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


def prepare(
    documents: Iterable[Document],
    config: Config | None = None,
    *,
    clean: bool = True,
    segmented: Mapping[str, list[Sentence]] | None = None,
) -> Prepared:
    """Clean, check, segment and deduplicate documents; unusable ones become problems.

    ``clean=False`` is for documents that were cleaned already (read back from the archive), and
    ``segmented`` gives, by document id, the sentences already split from those very texts.
    Documents too short to count as articles are kept aside in ``short`` (a page that is all photo
    captions by its captions): when nothing else is left, a summary falls back to them.
    """
    config = config or Config()
    kept: list[Document] = []
    short: list[Document] = []
    sentences: dict[str, list[Sentence]] = {}
    problems: list[Problem] = []
    seen_ids: set[str] = set()
    for doc in documents:
        if doc.id in seen_ids:
            problems.append(Problem(doc.label, f"duplicate document id {doc.id!r}"))
            continue
        seen_ids.add(doc.id)
        cleaned = _cleaned(doc, config, clean=clean)
        if isinstance(cleaned, Problem):
            problems.append(cleaned)
            continue
        if problem := _length_problem(cleaned, config):
            problems.append(problem)
            if cleaned.text.strip():
                short.append(cleaned)
            elif clean and doc.format != "html" and (captions := clean_document(doc).captions):
                short.append(replace(cleaned, text=captions))  # a photo page still says what happened
            continue
        known = segmented.get(cleaned.id) if segmented is not None and not clean else None
        doc_sentences = known if known is not None else segment(cleaned)
        if not doc_sentences:
            problems.append(Problem(doc.label, "no sentences found"))
            continue
        kept.append(cleaned)
        sentences[cleaned.id] = doc_sentences
    marked, dedup = deduplicate(kept, sentences, config.dedup)
    return Prepared(marked, sentences, dedup, problems, short)


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
) -> Summary:
    """Summarize texts or Documents about one event, every sentence citing its sources.

    >>> from tidings import summarize
    >>> a = "Kim Jong Un will meet Vladimir Putin in Vladivostok next week, the Kremlin said on Thursday."
    >>> b = "The Kremlin said on Thursday that Kim Jong Un will meet Vladimir Putin in Vladivostok next week."
    >>> sorted(summarize([a, b], words=40).sentences[0].sources)
    ['d1', 'd2']
    """
    config = (config or Config()).with_summarize(words=words, sentences=sentences)
    return summarize_prepared(prepare(as_documents(items), config), config)


def summarize_paths(paths: Sequence[str | Path], config: Config | None = None) -> Summary:
    """Read files, directories or ``-`` (stdin) and summarize them together."""
    config = config or Config()
    loaded = load(paths, config.ingest)
    prepared = prepare(loaded.documents, config)
    prepared.problems[:0] = loaded.problems
    return summarize_prepared(prepared, config)
