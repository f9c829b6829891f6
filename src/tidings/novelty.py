"""Novelty: what the articles that came later report that the earlier ones did not.

A reader who comes back to a story wants what changed, not the story again.
A sentence of a later article is *new* when nothing known before says it:

* it is not a near-duplicate (in words) of any earlier sentence (the
  dedup groups of :mod:`tidings.dedup`, computed over all the articles);
* it is not a paraphrase of any earlier sentence (the same judge the
  summarizer uses, :mod:`tidings.paraphrase`, run against *every* earlier
  sentence, not only against an earlier summary: "the toll rose to 17" is
  not new if an earlier article said so, summarized or not);
* it adds something: at least one figure or name, or two content words,
  that no earlier sentence has.

A sentence that reports a figure no earlier sentence has is new even when
it otherwise reads like an earlier one: "the repairs cost 52 million"
after "48 million", or a toll that rose, is exactly what a returning reader
wants to see (years do not count as such figures).

The new sentences are then chosen and cited like a summary
(:func:`tidings.summarize.summarize_sentences`, restricted to them), so the
most salient news comes first and two new sentences never say one thing.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from tidings.config import SummarizeConfig
from tidings.dedup import DedupResult, content_tokens
from tidings.model import Document, Sentence, SummarySentence
from tidings.paraphrase import ParaphraseJudge
from tidings.summarize import summarize_sentences

_NAME_OR_FIGURE = re.compile(r"\b(?:\d[\d,.]*|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*)\b")
_FIGURE = re.compile(r"(?<![\w.,-])\d[\d,]*(?:\.\d+)?(?![\w,]*\d)")
_YEAR = re.compile(r"(?:1[89]|20)\d\d")


def _figures(text: str) -> set[str]:
    """The numbers a sentence states, years left out: ``{"52", "10000"}``."""
    found = {m.group().replace(",", "") for m in _FIGURE.finditer(text)}
    return {f for f in found if not _YEAR.fullmatch(f)}


def _specifics(text: str) -> set[str]:
    """Figures and capitalised names in a sentence (its first word only if it is a name in the middle too)."""
    found = {m.group().lower() for m in _NAME_OR_FIGURE.finditer(text) if m.start() > 0 or m.group()[0].isdigit()}
    return {f.replace(",", "") for f in found}


def novel_sentences(
    sentences: dict[str, list[Sentence]], dedup: DedupResult, known: Collection[str], judge: str = "static"
) -> set[tuple[str, int]]:
    """Keys ``(doc_id, index)`` of the sentences of documents not in ``known`` that say something new."""
    old = [s for doc_id in known for s in sentences.get(doc_id, ())]
    fresh = [s for doc_id, ss in sentences.items() if doc_id not in known for s in ss]
    if not fresh:
        return set()
    if not old:
        return {(s.doc_id, s.index) for s in fresh}
    old_keys = {(s.doc_id, s.index) for s in old}
    old_words: set[str] = set().union(*(content_tokens(s.text) for s in old))
    old_specifics: set[str] = set().union(*(_specifics(s.text) for s in old))
    old_figures: set[str] = set().union(*(_figures(s.text) for s in old))
    candidates, changed = [], set()
    for s in fresh:
        if any(k in old_keys for k in dedup.duplicates(s)):
            continue  # the same sentence (give or take a few words) was printed before
        if _figures(s.text) - old_figures:
            changed.add((s.doc_id, s.index))
            continue
        new_words = content_tokens(s.text) - old_words
        if len(new_words) >= 2 or _specifics(s.text) - old_specifics:
            candidates.append(s)
    if not candidates:
        return changed
    from tidings.embed import encode

    texts = [s.text for s in candidates] + [s.text for s in old]
    paraphrases = ParaphraseJudge(texts, encode(texts), judge)
    earlier = list(range(len(candidates), len(texts)))
    return changed | {(s.doc_id, s.index) for i, s in enumerate(candidates) if paraphrases.repeats(i, earlier) is None}


def whats_new(
    docs: Sequence[Document],
    sentences: dict[str, list[Sentence]],
    dedup: DedupResult,
    known: Collection[str],
    config: SummarizeConfig | None = None,
) -> list[SummarySentence]:
    """Cited sentences, from the documents not in ``known``, that report what the known ones did not.

    Empty when nothing is new. The budget is the summarizer's (``config``); the selection is scored over
    the whole story, so the news that matters most to it comes first.
    """
    config = config or SummarizeConfig()
    judge = "static" if config.paraphrase == "off" else config.paraphrase
    new = novel_sentences(sentences, dedup, set(known), judge)
    if not new:
        return []
    return summarize_sentences(docs, sentences, dedup, config, eligible=lambda s: (s.doc_id, s.index) in new)
