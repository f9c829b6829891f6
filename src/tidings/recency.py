"""Recency: which articles of a story are background, written before the story happened.

A cluster about this week's summit often holds an older piece on the same
people (last year's preparations, a profile). Told in the present tense, its
"visited Pyongyang on Wednesday" reads as this week's news. An article is
*background* when

* it has a publication date more than ``background_days`` before the
  story's (the median date of its dated articles), or
* it is undated, and its text places it earlier: the newest year it
  mentions is at least two years before the story's year (the publication
  year of the dated articles, else the newest year most of the others
  mention), and it names few of the things the other sources agree on
  (the *news core*: the names that at least two other independent sources
  use in their opening sentences; an older piece cannot name the events
  that made the news).

Both tests are conservative: a story whose year cannot be told, or whose
articles mention no year, has no background article. With fewer than three
independent sources there is no "other sources agree" to lean on, so only
publication dates count.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import timedelta
from statistics import median_low

from tidings.dedup import DedupResult
from tidings.model import Document, Sentence
from tidings.stopwords import ENGLISH_STOP_WORDS

_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_NAME = re.compile(r"\b[A-Z][a-z]{2,}\b")
_NOT_NAMES = frozenset(ENGLISH_STOP_WORDS | {"president", "leader", "minister", "officials", "said", "says"})
_YEAR_GAP = 2  # an undated article's newest year this far before the story's: a candidate for background
_MIN_COVERAGE = 2 / 3  # ... unless it names at least this share of the news core the other sources open with


def _names(text: str) -> set[str]:
    """Capitalised words (names, places, months), lower-cased; sentence-initial function words left out."""
    return {m.lower() for m in _NAME.findall(text)} - _NOT_NAMES


def _newest_year(text: str, story_year: int | None = None) -> int | None:
    years = [int(y) for y in _YEAR.findall(text)]
    if story_year is not None:
        years = [y for y in years if y <= story_year]  # "by 2020" is a plan, not a date of writing
    return max(years) if years else None


def mark_background(
    docs: Sequence[Document],
    sentences: Mapping[str, Sequence[Sentence]],
    dedup: DedupResult,
    background_days: float = 30.0,
) -> list[Document]:
    """The documents with ``background`` set on those written before the story (see the module docstring)."""
    if len(docs) < 2:
        return list(docs)
    dated = [d.published for d in docs if d.published is not None]
    reference = median_low(dated) if dated else None
    flags: dict[str, bool] = {}
    if reference is not None:
        cutoff = reference - timedelta(days=background_days)
        for d in docs:
            if d.published is not None:
                flags[d.id] = d.published < cutoff
    undated = [d for d in docs if d.published is None]
    if undated and len({dedup.root(d.id) for d in docs}) >= 3:
        # one stray date (a scraped "30 November" read in the year of the scrape) must not set the year
        story_year = reference.year if reference is not None and 2 * len(dated) >= len(docs) else None
        story_year = story_year or _consensus_year(docs) or (reference.year if reference is not None else None)
        if story_year is not None:
            core = _NewsCore(docs, sentences, dedup)
            for d in undated:
                newest = _newest_year(d.text, story_year)
                if newest is None or story_year - newest < _YEAR_GAP:
                    continue
                if core.coverage(d) < _MIN_COVERAGE:
                    flags[d.id] = True
    return [replace(d, background=True) if flags.get(d.id) else d for d in docs]


def _opening(sentences: Sequence[Sentence]) -> Sequence[Sentence]:
    """The sentences that carry an article's news: the first few (at least 3, at most a fifth beyond that)."""
    return sentences[: max(3, len(sentences) // 5)]


def _consensus_year(docs: Sequence[Document]) -> int | None:
    """The newest year mentioned by most articles (at least two), or ``None``."""
    counts = Counter(y for d in docs if (y := _newest_year(d.text)) is not None)
    if not counts:
        return None
    year, n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    return year if n >= 2 else None


class _NewsCore:
    """The names each source's articles open with, counted once over the story (a document's coverage is then
    told from its own source's names, not by counting the others again for every candidate)."""

    def __init__(self, docs: Sequence[Document], sentences: Mapping[str, Sequence[Sentence]], dedup: DedupResult):
        self.dedup = dedup
        self.by_root: dict[str, set[str]] = {}
        for d in docs:
            opening = " ".join(s.text for s in _opening(sentences.get(d.id, ())))
            self.by_root.setdefault(dedup.root(d.id), set()).update(_names(opening))
        counts = Counter(n for names in self.by_root.values() for n in names)
        self.twice = {n for n, c in counts.items() if c == 2}  # in the core unless one of the two is the doc's own
        self.thrice = {n for n, c in counts.items() if c >= 3}  # in the core whoever asks

    def coverage(self, doc: Document) -> float:
        """Share of the news core that ``doc`` names: the names at least two *other* sources open with."""
        if len(self.by_root) < 3:  # fewer than two other sources
            return 1.0
        own = self.by_root.get(self.dedup.root(doc.id), set())
        twice_others = self.twice - own
        size = len(self.thrice) + len(twice_others)
        if not size:
            return 1.0
        names = _names(doc.text)
        return (len(self.thrice & names) + len(twice_others & names)) / size
