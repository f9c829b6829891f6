"""The analysis orchestrator: names, claims, dates, quotes for one story, from prepared documents."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from tidings.analyze.claims import align, extract_claims
from tidings.analyze.dates import find_dates
from tidings.analyze.entities import count_descriptions, merge_entities
from tidings.analyze.model import Analysis, DateMention, Entity, Quote, QuoteGroup, TimelineEvent
from tidings.analyze.nlp import Mention, name_finder, with_surnames
from tidings.analyze.quotes import find_quotes
from tidings.calendar import CALENDAR_WORDS
from tidings.config import AnalyzeConfig, Config
from tidings.dedup import DedupResult, content_tokens, jaccard
from tidings.model import Citation, Document, Sentence

_PRECISION_ORDER = {"day": 0, "week": 1, "month": 2, "year": 3}
_DATE_WORDS = (CALENDAR_WORDS - {"may"}) | frozenset(
    ["week", "month", "year", "today", "yesterday", "tomorrow", "last", "next", "earlier", "later"]
)


def _event_text(sentence: Sentence) -> str:
    text = " ".join(sentence.text.split())
    return text if len(text) <= 240 else text[:237].rsplit(" ", 1)[0] + "…"


def _sentence_at(sentences: Sequence[Sentence], offset: int) -> Sentence | None:
    return next((s for s in sentences if s.start <= offset < s.end), None)


def _timeline(
    mentions: Sequence[DateMention],
    sentences: dict[str, list[Sentence]],
    prepared_docs: Sequence[Document],
    dedup: DedupResult,
) -> list[TimelineEvent]:
    by_key: dict[tuple, list[tuple[DateMention, Sentence]]] = defaultdict(list)
    for m in mentions:
        if m.date is None:
            continue
        sentence = _sentence_at(sentences[m.doc_id], m.start)
        if sentence is None:
            continue
        by_key[(m.date, m.precision)].append((m, sentence))
    events: list[TimelineEvent] = []
    for (day, precision), items in by_key.items():
        groups: list[list[tuple[DateMention, Sentence]]] = []
        for item in items:
            tokens = content_tokens(item[1].text) - _DATE_WORDS
            for group in groups:
                other = content_tokens(group[0][1].text) - _DATE_WORDS
                same_sentence = any(
                    dedup.duplicates(item[1]) == dedup.duplicates(g[1]) != ((g[1].doc_id, g[1].index),) for g in group
                )
                if same_sentence or jaccard(tokens, other) >= 0.3:
                    group.append(item)
                    break
            else:
                groups.append([item])
        for group in groups:
            docs = tuple(dict.fromkeys(m.doc_id for m, _ in group))
            first = min(group, key=lambda pair: (dedup.root(pair[0].doc_id) != pair[0].doc_id, pair[0].doc_id))
            events.append(
                TimelineEvent(
                    date=day,
                    precision=precision,
                    event=_event_text(first[1]),
                    sources=docs,
                    citations=tuple(Citation(m.doc_id, s.start, s.end) for m, s in group),
                    independent=dedup.independent(docs),
                )
            )
    for doc in prepared_docs:
        if doc.published is not None:
            events.append(
                TimelineEvent(
                    date=doc.published.date(),
                    precision="day",
                    event=f"Published: {doc.title or doc.label}",
                    sources=(doc.id,),
                    citations=(),
                    independent=1,
                    kind="published",
                )
            )
    events.sort(key=lambda e: (e.date, _PRECISION_ORDER.get(e.precision, 9), e.kind != "published", -e.independent))
    return events


def _quote_groups(quotes: Sequence[Quote], dedup: DedupResult) -> list[QuoteGroup]:
    groups: list[list[Quote]] = []
    for q in quotes:
        tokens = content_tokens(q.quote)
        for group in groups:
            if group[0].speaker == q.speaker and jaccard(tokens, content_tokens(group[0].quote)) >= 0.6:
                group.append(q)
                break
        else:
            groups.append([q])
    out = []
    for group in groups:
        docs = tuple(dict.fromkeys(q.doc_id for q in group))
        out.append(
            QuoteGroup(
                speaker=group[0].speaker,
                quote=" ".join(group[0].quote.split()),
                sources=docs,
                citations=tuple(Citation(q.doc_id, q.start, q.end) for q in group),
                independent=dedup.independent(docs),
            )
        )
    return out


def _settings(config: Config | AnalyzeConfig | None) -> tuple[Config, AnalyzeConfig]:
    if isinstance(config, AnalyzeConfig):
        return Config(), config
    full = config or Config()
    return full, full.analyze


def analyze(prepared, config: Config | AnalyzeConfig | None = None) -> Analysis:  # noqa: ANN001 - pipeline.Prepared
    """Who says what, when, and where the sources disagree, for documents that went through ``prepare``.

    Syndicated copies count once everywhere (``independent``), relative dates
    are resolved against each article's own publication date (or listed as
    unresolved), and a disagreement lists every value with its sources.

    >>> from tidings.pipeline import prepare, as_documents
    >>> from datetime import datetime, UTC
    >>> from tidings.model import Document
    >>> text = "Some 8,000 North Korean workers are employed in Russia, the labour ministry in Moscow said on Monday."
    >>> a = Document(id="a", text=text, published=datetime(2019, 4, 17, tzinfo=UTC))
    >>> other = "More than 10,000 North Korean workers are still employed in Russia, officials in Seoul say."
    >>> b = Document(id="b", text=other)
    >>> result = analyze(prepare([a, b]), AnalyzeConfig(backend="rules", summary=False))
    >>> [v.value for v in result.disagreements[0].values]
    ['Some 8,000', 'More than 10,000']
    """
    full, settings = _settings(config)
    finder = name_finder(settings.backend)
    docs = prepared.documents
    mentions: dict[str, list[Mention]] = {doc.id: finder.mentions(doc.text) for doc in docs}
    mentions = with_surnames({doc.id: doc.text for doc in docs}, mentions)
    index = merge_entities(mentions, prepared.dedup)
    extra = count_descriptions({doc.id: doc.text for doc in docs}, index)
    entities = tuple(
        sorted(
            (
                Entity(e.name, e.type, e.mentions + extra.get(e.name, 0), e.variants, e.sources, e.independent)
                for e in index.entities
            ),
            key=lambda e: (-e.mentions, e.name),
        )
    )
    dated = {doc.id: find_dates(doc.text, doc.id, doc.published.date() if doc.published else None) for doc in docs}
    dates = [  # a date that cannot be placed is listed with the sentence it stands in
        replace(m, sentence=_event_text(sentence))
        if m.date is None and (sentence := _sentence_at(prepared.sentences[doc.id], m.start))
        else m
        for doc in docs
        for m in dated[doc.id]
    ]
    claims = [
        c
        for doc in docs
        for c in extract_claims(
            doc.id,
            prepared.sentences[doc.id],
            settings.soft_factor,
            dated[doc.id],
            doc.published.date() if doc.published else None,
        )
    ]
    groups = align(claims, prepared.dedup, settings.align_threshold, {doc.id: doc.published for doc in docs})
    quotes: list[Quote] = []
    for doc in docs:
        canonical = {start: name for (doc_id, start), name in index.canonical.items() if doc_id == doc.id}
        quotes += find_quotes(doc.id, doc.text, prepared.sentences[doc.id], mentions[doc.id], canonical, index.titles)
    summary = ()
    if settings.summary:
        from tidings.pipeline import summarize_prepared

        summary = summarize_prepared(prepared, full).sentences
    return Analysis(
        documents=tuple(docs),
        claims=tuple(groups),
        timeline=tuple(_timeline(dates, prepared.sentences, docs, prepared.dedup)),
        dates=tuple(dates),
        quotes=tuple(_quote_groups(quotes, prepared.dedup)),
        entities=tuple(e for e in entities if e.type in ("person", "organization", "place")),
        summary=tuple(summary),
        backend=finder.name,
        meta={"quotes": quotes, "problems": list(prepared.problems)},
    )
