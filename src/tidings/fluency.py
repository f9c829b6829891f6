"""Fluency: how likely a sentence is garbled (machine-spun, mistranslated, broken by scraping).

Spinning software swaps words for "synonyms" and leaves marks a reader
trips over; so do scrapers and hasty editing. No language model ships
with tidings, so the signal is a handful of marks that clean news prose
rarely shows, each cheap to test:

* a space before punctuation ("Hanoi , after"), a doubled word ("North
  North"), a determiner clash ("the some easing");
* a word echoed in another form a few words later ("meets for his first
  personal meeting"), the mark of a verb spun into a noun or back;
* "been" with no "has/have/had" before it ("Moscow been pushing");
* words glued together ("paradesImage"), a lower-case start;
* a scientific paper's apparatus ("the mantle wedge11,12,13", "(Fig. 6)"): a
  reader of the news wants the finding, told by a journalist.

A document's marks also colour its other sentences: spinning is done to a
whole article, so one whose sentences are often marked is suspect as a
whole (``doc_prior``). The summarizer prefers, among sentences saying the
same thing, the one from the cleanest source, and scores garbled ones down.
Precision and recall on hand-labelled sentences are in
``benchmarks/results/summarization-issue12.md``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from tidings.stopwords import ENGLISH_STOP_WORDS

# Each mark's pattern, after a cheaper one that every match of it contains (or None): a clean sentence, most of
# them, is cleared by the cheap one (the marks were a fifth of a story's summary; about a third less this way).
_MARKS: tuple[tuple[re.Pattern[str] | None, re.Pattern[str]], ...] = (
    (re.compile(r"\s[,;:!?.]"), re.compile(r"\w\s[,;:!?](?!\d)|\w\s\.(?!\d|\.)")),  # space before punctuation
    # a doubled word ("was was", "North North"), but not English's own ("that that", "had had") nor a name made
    # by doubling a short capitalised word ("La La Land", "Cha Cha", "Miu Miu")
    (
        None,
        re.compile(r"\b(?!(?:that|had) (?:that|had)\b)(?!(?-i:([A-Z][a-z]{1,3}) \1\b))(\w{2,}) \2\b", re.IGNORECASE),
    ),
    # a determiner clash ("the some easing"); a capital after it is a name or a grade ("the MY Octopus", "an A-list")
    (None, re.compile(r"\b(?i:the|a|an) (the|a|an|some|this|these|those|my|his|its|our|their)\b")),
    # glued words ("paradesImage"): a lower-case word runs into a capitalised one; a name written in camel case
    # starts with a capital ("YouTube", "ProPublica", "LinkedIn") and a brand with one letter ("iPhone", "eBay");
    # a name glued to itself is a scraped hover card ("Donald John TrumpTrump Jr. getting ..."). Either way a
    # lower-case letter runs into a capital.
    (re.compile(r"[a-z][A-Z]"), re.compile(r"(?<![\w@#/.])[a-z]{3,}[A-Z][a-z]|\b([A-Z][a-z]{2,})\1\b")),
    (None, re.compile(r"^(?![a-z]+[A-Z])[a-z]")),  # starts mid-sentence ("iOS 11 is ..." does not)
    # a paper: "wedge11,12", "(Fig. 6)"
    (
        re.compile(r"\d,\d|\([Fr]"),
        re.compile(r"[a-z]{3}\d{1,3}(?:,\d{1,3})+\b|\((?:Figs?|Figures?|ref)\.?\s*\d"),
    ),
)
# "Moscow been pushing": searched only in a sentence holding " been" (its look-behinds run at every position)
_BEEN = re.compile(r"(?<!\bhas )(?<!\bhave )(?<!\bhad )(?<!\bhaving )(?<!['’]ve )(?<!\bnot )\b[A-Z][a-z]+ been\b")
_WORD = re.compile(r"[a-z]{4,}")
_SUFFIX = re.compile(r"(ings|ing|ed|es|s|ions|ion|ments|ment)$")
_ECHO_WINDOW = 4  # words of four letters or more between an echo's two forms
DOC_PRIOR = 0.5  # weight of the document's own rate of marked sentences


def _stem(word: str) -> str:
    return _SUFFIX.sub("", word)


def _echo(text: str) -> bool:
    """Two different content words of one stem, close together ("meets for his first personal meeting").

    Only within ``_ECHO_WINDOW`` words (of four letters or more): a long
    sentence naturally comes back to a stem ("is canceling a high-level
    meeting ... and is threatening also to cancel a summit"), and news leads
    are long; spinning echoes a word where it swapped it.
    """
    words = _WORD.findall(text)
    distinct = set(words)
    if len({word[:4] for word in distinct}) == len(distinct):
        return False  # two different words of one stem (four letters or more) share their first four letters
    seen: dict[str, tuple[str, int]] = {}
    for position, word in enumerate(words):
        if word in ENGLISH_STOP_WORDS:
            continue
        stem = _stem(word)
        if len(stem) < 4:
            continue
        previous = seen.get(stem)
        seen[stem] = (word, position)
        if previous is None:
            continue
        other, at = previous
        if (
            other != word
            and position - at <= _ECHO_WINDOW
            and (not (other.startswith(word) or word.startswith(other)) or abs(len(other) - len(word)) >= 3)
        ):
            return True
    return False


@functools.lru_cache(maxsize=8192)  # asked twice of each sentence of a summary (document rate, then score)
def marks(text: str) -> int:
    """How many kinds of garbling marks a sentence shows (0 for clean prose).

    >>> marks("Kim will meet Putin in Vladivostok next week, the Kremlin said.")
    0
    >>> marks("Kim meets for his first personal meeting with Putin , officials said.")
    2
    """
    found = sum(1 for needs, rx in _MARKS if (needs is None or needs.search(text)) and rx.search(text))
    found += _echo(text)
    return found + 1 if " been" in text and _BEEN.search(text) else found


def doc_rate(texts: Iterable[str]) -> float:
    """Share of a document's sentences with at least one mark."""
    flags = [marks(t) > 0 for t in texts]
    return sum(flags) / len(flags) if flags else 0.0


def garble_score(text: str, rate: float = 0.0) -> float:
    """A sentence's marks plus ``DOC_PRIOR`` times its document's rate of marked sentences."""
    return marks(text) + DOC_PRIOR * rate
