"""Segment: split cleaned documents into sentences with exact character spans.

News text is hard on sentence splitters: "U.S.", "Mr.", "Feb. 27-28",
"$100 million", initials, quotes ending in a full stop. pysbd (a port of
the rule-based Pragmatic Segmenter, maintained, no model) gets these
right where fast statistical splitters do not (see tests/test_segment.py
for the cases). Paragraphs are split separately, since a sentence never
crosses a paragraph break in an article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import pysbd
from pysbd.lang.english import English
from pysbd.processor import Processor

from tidings.model import Document, Sentence

_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]+)*")
_CHUNK = 4000  # pysbd's regexes get slow on huge paragraphs; split those at line or sentence-like breaks first
_SOFT_BREAK = re.compile(r"(?<=[.!?][\"”’'])\s+(?=[A-Z\"“])|(?<=[a-z]{3}[.!?])\s+(?=[A-Z\"“])")


_TRAILING_SPACE = re.compile(r"\s*")


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=False)


class _AbbreviationReplacer(English.AbbreviationReplacer):
    """pysbd's English abbreviation replacer, minus the substitutions that cannot change anything.

    For every occurrence of a known abbreviation at a word start ("st" in
    "stayed", "no" in "not" count), pysbd runs a ``re.sub`` over the whole
    text that protects a period right after it. The pattern is the
    occurrence as written followed by ``\\.``, so when the text does not
    contain that literal, the substitution is skipped here; occurrences that
    are not plain letters and digits still go through pysbd.
    """

    def scan_for_replacements(self, txt: str, am: str, ind: int, char_array: list[str]) -> str:
        stripped = am.strip()
        if stripped.isalnum() and f"{stripped}." not in txt:
            return txt
        return super().scan_for_replacements(txt, am, ind, char_array)


class _Processor(Processor):
    def abbreviations_replacer(self) -> _AbbreviationReplacer:
        return _AbbreviationReplacer(self.text, self.lang)


def _pysbd_segment(text: str) -> list[str]:
    """``pysbd.Segmenter.segment(text)``, without its wasted work (see also :class:`_AbbreviationReplacer`).

    pysbd's segmenter processes the text into sentences, then maps each one
    back onto the original text with ``re.finditer(re.escape(sentence) +
    "\\s*", text)``: a new pattern for every sentence, which floods the ``re``
    module's cache (so pysbd's own fixed patterns get recompiled too) and
    cost over a third of the splitting time. This does the same mapping with
    ``str.find``: for each sentence, the first of its non-overlapping
    occurrences (scanning from the start) that ends after the previous
    sentence ended, with the whitespace that follows it; a sentence the
    processor altered is not found and is left out, as pysbd does.

    >>> text = "It rained.  Mr. Lee stayed home. It rained."
    >>> _pysbd_segment(text) == _segmenter().segment(text)
    True
    """
    if not text:
        return []
    out: list[str] = []
    prior_end = 0
    for sentence in _Processor(text, _segmenter().language_module).process():
        if not sentence:  # never seen; keep pysbd's exact semantics for an empty pattern
            for match in re.finditer(r"\s*", text):
                if match.end() > prior_end:
                    out.append(match.group())
                    prior_end = match.end()
                    break
            continue
        position = 0
        while (start := text.find(sentence, position)) >= 0:
            end = _TRAILING_SPACE.match(text, start + len(sentence)).end()
            if end > prior_end:
                out.append(text[start:end])
                prior_end = end
                break
            position = end
    return out


def _chunks(paragraph: str) -> list[str]:
    if len(paragraph) <= _CHUNK:
        return [paragraph]
    out, current = [], ""
    for piece in _SOFT_BREAK.split(paragraph):
        if current and len(current) + len(piece) > _CHUNK:
            out.append(current)
            current = piece
        else:
            current = f"{current} {piece}" if current else piece
    if current:
        out.append(current)
    return out


def split_sentences(text: str) -> list[str]:
    """Split a paragraph of text into sentences (no spans).

    >>> split_sentences("The U.S. Senate met on Feb. 27. Mr. Smith spoke.")
    ['The U.S. Senate met on Feb. 27.', 'Mr. Smith spoke.']
    """
    out: list[str] = []
    for chunk in _chunks(text):
        out.extend(s.strip() for s in _pysbd_segment(chunk) if s.strip())
    return out


def segment(doc: Document) -> list[Sentence]:
    """Sentences of a document, each with its span in ``doc.text``.

    >>> doc = Document(id="d", text="It rained. Mr. Lee stayed home.\\n\\nThen it stopped.")
    >>> [(s.text, s.paragraph) for s in segment(doc)]
    [('It rained.', 0), ('Mr. Lee stayed home.', 0), ('Then it stopped.', 1)]
    """
    sentences: list[Sentence] = []
    flat = doc.text.replace("\n", " ")  # same offsets, so spans found here hold in doc.text
    for paragraph_no, match in enumerate(_PARAGRAPH.finditer(doc.text)):
        cursor = match.start()
        for piece in split_sentences(flat[match.start() : match.end()]):
            start = flat.find(piece, cursor, match.end())
            if start < 0:
                # the splitter normalised something inside the piece; locate by its first word instead
                start = flat.find(piece.split()[0], cursor, match.end())
                if start < 0:
                    continue
                end = min(match.end(), start + len(piece))
            else:
                end = start + len(piece)
            sentences.append(
                Sentence(
                    doc_id=doc.id,
                    index=len(sentences),
                    start=start,
                    end=end,
                    text=doc.text[start:end],
                    paragraph=paragraph_no,
                )
            )
            cursor = end
    return sentences


def segment_all(docs: Iterable[Document]) -> dict[str, list[Sentence]]:
    """Sentences of every document, keyed by document id."""
    return {doc.id: segment(doc) for doc in docs}
