"""Story titles: what a reader sees first, so never "Story 67" and never nothing.

A story is called by the headline of its most central original article: the
titled article (not a syndicated copy) whose title and lead are closest to
the story's centre. "Central" uses the bundled sentence encoder
(:func:`tidings.embed.encode`), because articles about one event share its
meaning more than its words. When no original article has a title (datasets
and scraped text often carry none), the title is made from the lead of the
story's summary: its first sentence without dateline or dash, cut at a clause
boundary to headline length.

Both the archive (:mod:`tidings.stream`) and the batch
(:mod:`tidings.batch.core`) call :func:`story_title`, so a story gets the same
title either way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from tidings.cluster import lead
from tidings.model import Document, Summary
from tidings.segment import iter_sentences

HEADLINE_WORDS = 12  # longer than this reads as a sentence, not a headline
_WHOLE_SLACK = 2  # a sentence this many words over headline length is shown whole, not cut
_MIN_CLAUSE_WORDS = 5  # a cut earlier than this leaves a fragment
# "WASHINGTON (AP) — ", "LONDON, April 2 (Reuters) - ", and the "– " Multi-News summaries open with
_DATELINE = re.compile(r"^\s*(?:[–—-]\s+|[A-Z][A-Z .,'’-]{1,40}(?:\([^)]{1,40}\))?\s*[—–-]{1,2}\s+)")
_CLAUSE = re.compile(r"(?:,[\"”’]?|;|:|\s[—–-])\s")
# A sentence that opens with a clause or phrase setting the scene ("Following the defeat on Wednesday, Rapinoe
# responded...", "Hours after police arrested him, his attorney said..."): a headline of its main clause says what
# happened; one cut after the opening says nothing.
_OPENING = re.compile(
    r"^(?:(?:after|following|when|while|as|for|in|on|at|to|with|without|despite|amid|during|before|since|because|"
    r"if|although|though|once|until|unlike|under|from|by|according|then|now|meanwhile|however|earlier|later|near|"
    r"across|inside|outside|around|through|throughout|within|among|against|behind|beyond|over|into|along|toward|"
    r"towards)\b"
    r"|(?:[\w-]+\s+){1,3}(?:after|before|ago)\b|(?:last|this|next)\s+(?:week|month|year|night|weekend)\b)",
    re.IGNORECASE,
)
_CONTINUES = frozenset({"and", "or", "but", "nor", "which", "who", "whose", "where"})
_PRONOUN_START = re.compile(r"^(?:it|they|them|he|him|she|we|i|you|this|that|these|those|there)\b", re.I)
_BRACKETED = re.compile(r"\s*\([^()]*\)")
_WEAK_END = frozenset({"a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "for", "with", "at", "by", "as"})


_AGE_NEXT = re.compile(r"\d{1,3},")  # "Dwight Smith, 30, and ...": an age set off by commas follows the mark
_AGE_BEFORE = re.compile(r",\s*\d{1,3}$")  # ... or ends just before it


def _in_age(sentence: str, match: re.Match[str]) -> bool:
    """Whether a clause mark opens or closes an age set off by commas (no clause ends there)."""
    return bool(_AGE_NEXT.match(sentence, match.end()) or _AGE_BEFORE.search(sentence, 0, match.start()))


def headline_from(text: str, words: int = HEADLINE_WORDS) -> str | None:
    """A headline from the lead of a text: its first sentence, without dateline, cut to headline length.

    An opening clause that sets the scene is left out when the main clause can stand alone, brackets are
    left out, and a cut never ends an opening clause or a quotation that is still open: what is left says
    what happened (benchmarks/titles.py measures it against the headlines of titled articles).

    >>> headline_from("– Sweden is the world's goodest country, according to a new index. It beat 162 others.")
    "Sweden is the world's goodest country, according to a new index"
    >>> headline_from("A 7.1 earthquake strikes Mexico, killing at least 220 people and felling dozens of buildings.")
    'A 7.1 earthquake strikes Mexico'
    >>> headline_from("Hours after police charged Cardell Hayes with murder, his attorney said there was more to it.")
    'His attorney said there was more to it'
    >>> headline_from("WASHINGTON (AP) — The Senate passed the bill late on Tuesday.")
    'The Senate passed the bill late on Tuesday'
    >>> headline_from("Katharine Brown was one of David O. Selznick's most trusted employees. She read the book first.")
    "Katharine Brown was one of David O. Selznick's most trusted employees"
    """
    text = _DATELINE.sub("", " ".join(text[:2000].split()), count=1)  # the first sentence is all it needs
    sentence = next(iter_sentences(text), "").strip()  # the segmenter: "David O. Selznick" is not an end
    sentence = _main_clause(_BRACKETED.sub("", sentence).rstrip(" ."))
    if not sentence:
        return None
    tokens = sentence.split()
    if len(tokens) <= words + _WHOLE_SLACK:
        return sentence
    cut = None
    opening = _OPENING.match(sentence) is not None
    for k, match in enumerate(_CLAUSE.finditer(sentence)):
        head = sentence[: match.start()]
        n = len(head.split())
        if n > words:
            break
        closes = not (k == 0 and opening) and not _open_quote(head) and not _in_age(sentence, match)
        if n >= _MIN_CLAUSE_WORDS and closes:
            cut = match.start()
    if cut is not None:
        return sentence[:cut].rstrip(" ,;:—–-")
    kept = tokens[:words]
    while len(kept) > _MIN_CLAUSE_WORDS and kept[-1].lower().strip(",;:") in _WEAK_END:
        kept.pop()
    return " ".join(kept).rstrip(",;:") + "…"


def central_article(documents: Sequence[Document]) -> Document | None:
    """The titled original article closest to the story's centre (None when no original has a title).

    The centre is the mean of every article's vector (title and lead), copies included: a widely
    syndicated version is what the story is about. Ties go to the earlier article in the given order.
    """
    candidates = [i for i, d in enumerate(documents) if d.title and d.copy_of is None]
    if not candidates:
        return None
    if len(candidates) == 1:
        return documents[candidates[0]]
    from tidings.embed import encode  # the model loads on first use (about 0.1 s)

    vectors = encode([f"{d.title or ''}. {lead(d.text)}" for d in documents])
    centre = vectors.mean(axis=0)
    scores = vectors[candidates] @ centre
    return documents[candidates[int(np.argmax(scores))]]


def story_title(documents: Sequence[Document], summary: Summary | None = None) -> str | None:
    """A story's title: its most central original article's headline, else a headline from its summary's lead.

    Without a summary, the lead of its first article stands in; None only for a story without text.
    """
    central = central_article(documents)
    if central is not None and central.title:
        return central.title
    if summary is not None and summary.sentences:
        return headline_from(summary.sentences[0].text)
    for doc in documents:
        if made := headline_from(doc.text):
            return made
    return None


def _open_quote(text: str) -> bool:
    return text.count("“") > text.count("”") or text.count('"') % 2 == 1


def _main_clause(sentence: str) -> str:
    """The sentence without its opening clause, when it has one and what follows can stand alone."""
    for _ in range(2):  # "Then, near the intersection of Magazine and St. Andrew, more video captures..."
        first = _CLAUSE.search(sentence)
        if first is None or not _OPENING.match(sentence):
            break
        rest = sentence[first.end() :]
        if len(rest.split()) < 3 or _PRONOUN_START.match(rest) or rest.split()[0].lower() in _CONTINUES:
            break
        sentence = rest[:1].upper() + rest[1:]
    return sentence


def display_title(title: str | None, lead_sentence: str | None = None) -> str:
    """What to show for a story: its title, else a headline from its summary's lead (for an archive made
    before stories always had one); "Untitled story" only when there is neither."""
    return title or (headline_from(lead_sentence) if lead_sentence else None) or "Untitled story"
