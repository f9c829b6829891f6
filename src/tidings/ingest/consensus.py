"""One article body from several extractions of the same page, chosen by where they agree.

Every extractor is right most of the time and wrong in its own way, so no single one is trusted and no
threshold is tuned to one benchmark's sites. What is used instead holds on any page:

* **Agreement between independent algorithms.** trafilatura's default and precise modes are one family (they
  share their mistakes: the same comment box or "related" block passes both); readability-lxml scores the
  ancestors of paragraphs and errs elsewhere. A paragraph that both families keep is body; the body is the
  run of paragraphs from the first to the last such paragraph, and inside it a paragraph kept by one
  extractor stays when a second one keeps it too or when it reads as running text.
* **Relative size.** An extraction much smaller than another that contains it found a fragment (a teaser,
  one box of the page), not the article: less than a third is the test, the same proportion the issue that
  asked for this used to call a page "cut to a fragment". When readability only confirms a fragment of what
  both trafilatura modes agree on, trafilatura's agreement decides the extent; when the precise mode and
  readability each found a different small part of what the default mode holds, the default mode's
  running text is the article.
* **Shape.** Running text is a paragraph of at least a dozen words that is not mostly link text and ends a
  sentence (or is long); a list or table row is not. Running text next to the agreed body (a standfirst
  above it, a lead paragraph one extractor missed) joins it; lists and link blocks do not. A paragraph
  printed twice is kept once.

The caller supplies the extractions (plain text, a line per block) and says what running text is (it knows
the page's links); nothing here parses HTML. Measured on four benchmarks in
``benchmarks/results/extraction.md``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

DEFAULT, PRECISE, READABILITY = "default", "precise", "readability"
TRAFILATURA = frozenset({DEFAULT, PRECISE})
_SHINGLE = 4
_AGREE = 0.5  # share of a paragraph's shingles another extraction must contain to confirm it
_FRAGMENT = 1 / 3  # an extraction this much smaller than another has found a part, not the article
_RUNS = 5  # running-text paragraphs outside the chosen body that make it a fragment of the default mode's
_RUN_SHARE = 0.7
_TOKEN = re.compile(r"\w+")
_LIST_ITEM = ("- ", "* ", "| ")

Prose = Callable[[str], bool]
"""Says whether a paragraph reads as running text (the caller knows the page's links)."""


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _grams(words: list[str]) -> set[tuple[str, ...]]:
    return set(zip(*(words[i:] for i in range(_SHINGLE)), strict=False))


def paragraphs(text: str | None) -> list[str]:
    """The non-empty lines of an extraction."""
    return [line for line in (text or "").split("\n") if line.strip()]


class Shingles:
    """Lower-cased 4-word shingles of a text, to ask whether it contains a paragraph."""

    def __init__(self, text: str | None) -> None:
        self.grams = _grams(tokens(text or ""))
        self.lines = {" ".join(tokens(line)) for line in (text or "").split("\n")}

    def __len__(self) -> int:
        return len(self.grams)

    def confirms(self, paragraph: str) -> bool:
        """Most of the paragraph's shingles are there; a paragraph too short for one must be a whole line there."""
        words = tokens(paragraph)
        if len(words) < _SHINGLE:
            return bool(words) and " ".join(words) in self.lines
        grams = list(zip(*(words[i:] for i in range(_SHINGLE)), strict=False))
        return sum(g in self.grams for g in grams) / len(grams) >= _AGREE


@dataclass(frozen=True, slots=True)
class Voted:
    """A paragraph of the merged sequence and the extractions that contain it."""

    text: str
    votes: frozenset[str]

    @property
    def agreed(self) -> bool:
        """Kept by both families: readability and a trafilatura mode."""
        return READABILITY in self.votes and bool(self.votes & TRAFILATURA)


def align(texts: Mapping[str, str]) -> list[Voted]:
    """All extractions' paragraphs in page order, each with the extractions that contain it.

    The default mode's paragraphs are the frame (it keeps the most); a paragraph only another extraction has
    goes before the first default paragraph that the next shared one of that extraction maps to, or at the
    end, so a lead paragraph trafilatura missed still comes first.
    """
    frame = paragraphs(texts.get(DEFAULT))
    index = {name: Shingles(text) for name, text in texts.items()}
    first_at: dict[tuple[str, ...], int] = {}
    for position, paragraph in enumerate(frame):
        for gram in _grams(tokens(paragraph)):
            first_at.setdefault(gram, position)
    before: dict[int, list[tuple[str, str]]] = {}
    tail: list[tuple[str, str]] = []
    for name, text in texts.items():
        if name == DEFAULT:
            continue
        pending: list[tuple[str, str]] = []
        for paragraph in paragraphs(text):
            if DEFAULT in index and index[DEFAULT].confirms(paragraph):
                hits = [first_at[g] for g in _grams(tokens(paragraph)) if g in first_at]
                if hits and pending:
                    before.setdefault(min(hits), []).extend(pending)
                    pending = []
            else:
                pending.append((name, paragraph))
        tail += pending

    def voted(paragraph: str, own: str) -> Voted:
        return Voted(paragraph, frozenset({own} | {n for n, i in index.items() if n != own and i.confirms(paragraph)}))

    out: list[Voted] = []
    seen: set[str] = set()

    def extra(name: str, paragraph: str) -> None:
        key = " ".join(tokens(paragraph))
        if key not in seen:
            seen.add(key)
            out.append(voted(paragraph, name))

    for position, paragraph in enumerate(frame):
        for name, other in before.get(position, ()):
            extra(name, other)
        out.append(voted(paragraph, DEFAULT))
    for name, other in tail:
        extra(name, other)
    return out


def _span(flags: list[bool]) -> tuple[int, int]:
    return flags.index(True), len(flags) - 1 - flags[::-1].index(True)


def _size(sequence: Iterable[Voted]) -> int:
    return sum(len(_grams(tokens(v.text))) for v in sequence)


def dedupe(kept: Iterable[str]) -> list[str]:
    """Each paragraph once (pages print a teaser, a pull quote or the whole article twice)."""
    seen: set[str] = set()
    out = []
    for paragraph in kept:
        key = " ".join(tokens(paragraph))
        if len(key.split()) >= 5 and key in seen:
            continue
        seen.add(key)
        out.append(paragraph)
    return out


def running(paragraph: str, prose: Prose) -> bool:
    """Running text, not a list or table row: what an article is made of."""
    return not paragraph.lstrip().startswith(_LIST_ITEM) and prose(paragraph)


def _extent(sequence: list[Voted], precise: Shingles, other: Shingles) -> tuple[int, int] | None:
    """First and last paragraph of the body: where the two families agree, unless that is a fragment."""
    agreed = [v.agreed for v in sequence]
    both_modes = [v.votes >= TRAFILATURA for v in sequence]
    agreed_size = _size(v for v, a in zip(sequence, agreed, strict=True) if a)
    if any(agreed) and agreed_size >= _FRAGMENT * _size(v for v, b in zip(sequence, both_modes, strict=True) if b):
        first, last = _span(agreed)
        inside_precise = len(other.grams & precise.grams) >= 2 / 3 * len(other)
        if len(other) and inside_precise and len(other) < _FRAGMENT * len(precise):
            # readability found a part of what the precise mode found: the precise mode gives the extent
            with_precise = _span([PRECISE in v.votes for v in sequence])
            first, last = min(first, with_precise[0]), max(last, with_precise[1])
        return first, last
    if any(both_modes):  # readability agrees with little of what both trafilatura modes keep
        return _span(both_modes)
    return _span(agreed) if any(agreed) else None


def choose(texts: Mapping[str, str | None], prose: Prose, *, strict: bool = False) -> list[str]:
    """The article's paragraphs, from the extractions by name (:data:`DEFAULT`, :data:`PRECISE`, :data:`READABILITY`).

    ``strict`` keeps only paragraphs two extractions agree on: no single-extractor paragraph, however
    prose-like, and no growing of the body past the agreed span.
    """
    present = {name: text for name, text in texts.items() if text and text.strip()}
    if not present:
        return []
    default, precise, other = (Shingles(present.get(n)) for n in (DEFAULT, PRECISE, READABILITY))
    smaller = min(len(precise), len(other))
    if (
        len(precise) < _FRAGMENT * len(default)
        and len(other.grams & default.grams) < _FRAGMENT * len(default)
        and (not smaller or len(precise.grams & other.grams) < 0.5 * smaller)
        and len(tokens(present.get(DEFAULT, ""))) >= 10
    ):  # the precise mode and readability each found a different small part of the default mode's text
        return dedupe(p for p in paragraphs(present[DEFAULT]) if prose(p))
    sequence = align(present)
    extent = _extent(sequence, precise, other)
    if extent is None:  # no two extractions agree on anything: the precise mode, else the default, else readability
        name = next((n for n in (PRECISE, DEFAULT, READABILITY) if len(tokens(present.get(n, ""))) >= 10), None)
        return dedupe(paragraphs(present.get(name or READABILITY)))
    first, last = extent
    keep = [
        first <= i <= last and (len(v.votes) >= 2 or (not strict and prose(v.text))) for i, v in enumerate(sequence)
    ]
    if not strict:
        for step, start in ((-1, first - 1), (1, last + 1)):  # grow the body by the running text next to it
            i = start
            while 0 <= i < len(sequence) and sequence[i].votes != {DEFAULT} and prose(sequence[i].text):
                keep[i] = True
                i += step
    return dedupe(v.text for v, k in zip(sequence, keep, strict=True) if k)


def restore(kept: list[str], default: str | None, prose: Prose) -> list[str] | None:
    """The default mode's running text when what was kept is a fragment of it, else ``None``.

    Both precise extractors sometimes agree on a side block ("more from this section") while the default
    mode holds the article: kept text under a third of the default mode's, with at least five
    running-text paragraphs outside it making most of the rest, is such a fragment.
    """
    frame = paragraphs(default)
    if len(tokens("\n".join(kept))) * 3 >= len(tokens(default or "")):
        return None
    inside = Shingles("\n".join(kept))
    rest = [p for p in frame if not inside.confirms(p)]
    runs = [p for p in rest if running(p, prose)]
    if len(runs) < _RUNS or sum(len(p.split()) for p in runs) < _RUN_SHARE * sum(len(p.split()) for p in rest):
        return None
    return dedupe(p for p in frame if inside.confirms(p) or running(p, prose))
