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
import string
import sys
from array import array
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache

import pysbd
from pysbd.between_punctuation import BetweenPunctuation
from pysbd.lang.english import English
from pysbd.lists_item_replacer import ListItemReplacer
from pysbd.processor import Processor
from pysbd.utils import Rule, Text

from tidings.model import Document, Sentence

_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\n)[^\n]+)*")
_CHUNK = 4000  # pysbd's regexes get slow on huge paragraphs; split those at line or sentence-like breaks first
_SOFT_BREAK = re.compile(r"(?<=[.!?][\"”’'])\s+(?=[A-Z\"“])|(?<=[a-z]{3}[.!?])\s+(?=[A-Z\"“])")


_TRAILING_SPACE = re.compile(r"\s*")


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=False)


# The only characters other than ASCII letters that re.IGNORECASE matches with an ASCII letter (İ ı ſ K);
# tests/test_segment.py checks this against every code point.
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")


@lru_cache(maxsize=256)  # one entry per abbreviation (188)
def _abbreviation_patterns(stripped: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """pysbd's two patterns for one abbreviation, exactly as it builds them, compiled once."""
    return (
        re.compile(r"(?:^|\s|\r|\n){}".format(stripped), re.IGNORECASE),  # noqa: UP032 - pysbd's spelling
        re.compile(r"(?<={" + str(re.escape(stripped)) + "} ).{1}"),
    )


# pysbd's abbreviations, stripped as it strips them, and whether each is plain ASCII letters
_PYSBD_ABBREVIATIONS = tuple(
    (a, a.isascii() and a.isalpha()) for a in (abbr.strip() for abbr in English.Abbreviation.ABBREVIATIONS)
)
_LETTER_ABBREVIATIONS = frozenset(a for a, letters in _PYSBD_ABBREVIATIONS if letters)
_LONGEST = max(map(len, _LETTER_ABBREVIATIONS))
_LETTERS_BEFORE_STOP = re.compile(r"[a-z]+(?=\.)")


def _letter_candidates(lowered: str) -> set[str]:
    """The letter-only abbreviations that open a word of ``lowered`` (at its start or after whitespace) and
    appear before a full stop somewhere in it: the only ones pysbd's replacement can act on (it protects a
    period right after one). The stops are fewer than the words, so the search starts from them."""
    before_stops = {
        run[-n:]
        for run in set(_LETTERS_BEFORE_STOP.findall(lowered))
        for n in range(1, min(len(run), _LONGEST) + 1)
        if run[-n:] in _LETTER_ABBREVIATIONS
    }
    return {a for a in before_stops if _opens_a_word(lowered, a)}


def _opens_a_word(lowered: str, letters: str) -> bool:
    """Whether ``letters`` occur at the start of ``lowered`` or after whitespace (``str.isspace`` is the
    ``\\s`` of a str pattern)."""
    at = lowered.find(letters)
    while at >= 0:
        if at == 0 or lowered[at - 1].isspace():
            return True
        at = lowered.find(letters, at + 1)
    return False


class _AbbreviationReplacer(English.AbbreviationReplacer):
    """pysbd's English abbreviation replacer, minus the work that cannot change anything.

    pysbd looks for each of its 188 abbreviations (case-insensitively, at the
    start of the text or after whitespace) wherever the lower-cased text
    contains it, mostly inside other words ("st" in "first"). When the
    abbreviation is plain ASCII letters and the text has none of the four
    other characters that ``re.IGNORECASE`` equates with ASCII letters, the
    lower-cased text tells exactly whether the pattern can match, and it is
    not run when it cannot, nor when the text has no full stop right after
    the abbreviation (the only thing a match can change). pysbd's second
    pattern looks for the abbreviation in braces (``"{st} "``), so it is not
    run on text without a ``{``. Both patterns are compiled once instead of looked up in the ``re``
    module's cache on every call.

    For every occurrence found, pysbd runs a ``re.sub`` over the whole text
    that protects a period right after it. The pattern is the occurrence as
    written followed by ``\\.``, so when the text does not contain that
    literal, the substitution is skipped; occurrences that are not plain
    letters and digits still go through pysbd.
    """

    def search_for_abbreviations_in_string(self, text: str) -> str:
        lowered = text.lower()
        candidates = _letter_candidates(lowered) if _FOLDS_TO_ASCII.search(text) is None else None
        braces = "{" in text
        for stripped, letters in _PYSBD_ABBREVIATIONS:
            if candidates is not None and letters:
                if stripped not in candidates:
                    continue
            elif stripped not in lowered:
                continue
            starts, next_word = _abbreviation_patterns(stripped)
            abbrev_match = starts.findall(text)
            if not abbrev_match:
                continue
            char_array = next_word.findall(text) if braces else []
            for ind, match in enumerate(abbrev_match):
                text = self.scan_for_replacements(text, match, ind, char_array)
        return text

    def scan_for_replacements(self, txt: str, am: str, ind: int, char_array: list[str]) -> str:
        stripped = am.strip()
        if stripped.isalnum() and f"{stripped}." not in txt:
            return txt
        return super().scan_for_replacements(txt, am, ind, char_array)

    def replace_multi_period_abbreviations(self) -> None:
        """Only where a full stop precedes a letter ("U.S."), as every match has one."""
        if _STOP_BEFORE_LETTER.search(self.text):
            super().replace_multi_period_abbreviations()

    def replace_abbreviation_as_sentence_boundary(self) -> str:
        """Only where a protected stop ("∯") is, as every match has one."""
        return super().replace_abbreviation_as_sentence_boundary() if "∯" in self.text else self.text


# What a list item that pysbd's list rules act on needs: a lower-case letter ("a.", "iv.") or a number of one or
# two digits ("1.", "12.)") opening a word and followed by a full stop, or a closing parenthesis; the rules
# change nothing unless two such items follow each other ("a." then "b.", "1." then "2."), or the text holds
# one of their own markers.
_LETTER_ITEM = re.compile(r"(?<!\S)[a-z]\.")
_NUMBER_ITEM = re.compile(r"(?<![^\s\-⁃])\d{1,2}\.[\s)]")


def _may_hold_a_list(text: str) -> bool:
    """Whether pysbd's list rules could change ``text`` (False: they certainly leave it as it is)."""
    return (
        "♨" in text
        or "☝" in text
        or text.count(")") >= 2
        or len(_LETTER_ITEM.findall(text)) >= 2
        or len(_NUMBER_ITEM.findall(text)) >= 2
    )


# pysbd applies its rules one ``re.sub`` at a time, some sixty on every piece it judges, and most cannot match
# there: a symbol it substitutes and later puts back ("∯", "♨"), "a∯m∯" before a capital, "°." before a number,
# "Co." before "KG", a digit and a full stop opening the text. Each rule below runs only on text holding what any
# of its matches needs (a rule not listed always runs); tests/test_segment.py checks every rule both ways. The
# patch below is global, but changes no result of pysbd's: only skips substitutions that would change nothing.
_LITERAL = re.compile(r"(?:[^\\.^$*+?{}\[\]|()]|\\[^A-Za-z0-9])+")
_SPACED_STOPS = re.compile(r"\.\s\.")


def _spaced_stops(text: str) -> bool:
    return _SPACED_STOPS.search(text) is not None


_RULE_NEEDS: dict[str, Callable[[str], bool]] = {
    **{
        f"(?<={before})∯(?=\\s[A-Z])": (lambda text, lit=f"{before}∯": lit in text)
        for before in (" P∯M", "A∯M", "p∯m", "a∯m")
    },
    r"(\s\.){3}\s": _spaced_stops,
    r"(?<=[a-z])(\.\s){3}\.($|\\n)": _spaced_stops,
    r"(?<=\S)\.{3}(?=\.\s[A-Z])": lambda text: "...." in text,
    r"(?<=[a-zA-z]°)\.(?=\s*\d+)": lambda text: "°." in text,
    r"(?<=Co)\.(?=\sKG)": lambda text: "KG" in text,
    r"(?<=\r\d)\.(?=(\s\S)|\))": lambda text: "\r" in text,
    r"(?<=^\d)\.(?=(\s\S)|\))": lambda text: text[1:2] == ".",
    r"(?<=^\d\d)\.(?=(\s\S)|\))": lambda text: text[2:3] == ".",
    r"(?<=^[A-Z])\.(?=\s)": lambda text: text[1:2] == ".",
    r"\.(?='s\s)|\.(?='s$)|\.(?='s\Z)": lambda text: ".'s" in text,
}


# A pattern that opens with a lookbehind, then a full stop ("(?<=\d)\.(?=\S)"): the regex engine tries the
# lookbehind at every position; the rest alone, which every match also matches, jumps from stop to stop.
_LEADING_LOOKBEHIND = re.compile(r"\(\?<=[^()]*\)(?=\\\.)")


@lru_cache(maxsize=512)
def _rule_plan(pattern: str) -> tuple[re.Pattern[str], Callable[[str], bool] | None]:
    """A rule's pattern compiled once, and the test its text must pass for it to match (None: always run)."""
    if _LITERAL.fullmatch(pattern):
        literal = re.sub(r"\\(.)", r"\1", pattern)
        return re.compile(pattern), lambda text: literal in text
    needs = _RULE_NEEDS.get(pattern)
    if needs is None and (lookbehind := _LEADING_LOOKBEHIND.match(pattern)):
        rest = re.compile(pattern[lookbehind.end() :])
        needs = lambda text: rest.search(text) is not None  # noqa: E731 - one of the tests in a table
    return re.compile(pattern), needs


def _apply(self: str, *rules: Rule) -> str:
    """``pysbd.utils.Text.apply``: the same substitutions, skipping those that cannot match."""
    text = self
    for rule in rules:
        pattern, needs = _rule_plan(rule.pattern)
        if needs is None or needs(text):
            text = pattern.sub(rule.replacement, text)
    return str(text) if rules and type(text) is not str else text


Text.apply = _apply  # pysbd's modules all call it; pysbd 0.3.4 is its last release


_STOP_BEFORE_LETTER = re.compile(r"\.[a-z]", re.IGNORECASE)
_REFERENCE_START = re.compile(r"[.∯][\[\d]")  # a stop before a bracket or a digit: "Smith.[15] ", "Smith.15 "
_CONTINUOUS = ("!!", "??", "!?", "?!")


class _BetweenPunctuation(BetweenPunctuation):
    """pysbd's protection of the marks inside quotations, brackets and dashes, each step only on text that opens
    what it looks for."""

    def sub_punctuation_between_quotes_and_parens(self, txt: str) -> str:
        for opener, step in (
            ("'", self.sub_punctuation_between_single_quotes),
            ("‘", self.sub_punctuation_between_single_quote_slanted),
            ('"', self.sub_punctuation_between_double_quotes),
            ("[", self.sub_punctuation_between_square_brackets),
            ("(", self.sub_punctuation_between_parens),
            ("«", self.sub_punctuation_between_quotes_arrow),
            ("--", self.sub_punctuation_between_em_dashes),
            ("“", self.sub_punctuation_between_quotes_slanted),
        ):
            if opener in txt:
                txt = step(txt)
        return txt


class _Processor(Processor):
    """pysbd's processor, with the replacer above, and its list rules (a tenth of its time: seven scans of the
    text by patterns that try every position) only run on text that could hold a list."""

    def abbreviations_replacer(self) -> _AbbreviationReplacer:
        return _AbbreviationReplacer(self.text, self.lang)

    def between_punctuation_processor(self, txt: str) -> _BetweenPunctuation:
        return _BetweenPunctuation(txt)

    def replace_periods_before_numeric_references(self) -> None:
        if _REFERENCE_START.search(self.text):
            super().replace_periods_before_numeric_references()

    def replace_continuous_punctuation(self) -> None:
        if any(pair in self.text for pair in _CONTINUOUS):
            super().replace_continuous_punctuation()

    def process(self) -> list[str] | str:
        """``Processor.process`` of pysbd 0.3.4, step for step, but for the test before the list rules."""
        if not self.text:
            return self.text
        self.text = self.text.replace("\n", "\r")
        if _may_hold_a_list(self.text):
            self.text = ListItemReplacer(self.text).add_line_break()
        self.replace_abbreviations()
        self.replace_numbers()
        self.replace_continuous_punctuation()
        self.replace_periods_before_numeric_references()
        self.text = Text(self.text).apply(
            self.lang.Abbreviation.WithMultiplePeriodsAndEmailRule, self.lang.GeoLocationRule, self.lang.FileFormatRule
        )
        return self.split_into_segments()


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


# A boundary no rule of pysbd's would keep: a whole word of two or more letters, digits may follow ("mp3"; not
# one of pysbd's abbreviations), or a number after a word ("in May 2011. That"; not a list's "2."), ends in
# . ! or ?, closing quotes or brackets may follow, then space and a capital letter, possibly after an opening
# quote. Everything else that could end a sentence is pysbd's to judge. As one regular expression (the tests
# keep it as the reference):
#   (?:(?<![\w.'’-])([A-Za-z][a-z]+[a-z0-9]*)|(?<=[A-Za-z] )\d+)([.!?])([\"”’')\]]*)(\s+)(?=[\"“‘(\[]?[A-Z])
# which tries every position of the text (13 MB/s); :func:`_sure_boundaries` finds the marks first and reads the
# word before each one, with the same result (90 MB/s).
_MARK_BEFORE_CAPITAL = re.compile(r"[.!?]([\"”’')\]]*)(\s+)(?=[\"“‘(\[]?[A-Z])")
_LOWER = frozenset(string.ascii_lowercase)
_LOWER_OR_DIGIT = _LOWER | frozenset(string.digits)
_UPPER = frozenset(string.ascii_uppercase)
_LETTER = _LOWER | _UPPER
_NOT_BEFORE_WORD = frozenset(".'’-_")  # with letters and digits (a word character, as \w)


def _sure_boundaries(text: str) -> Iterator[tuple[str | None, int, int, int]]:
    """Each sure boundary: (the word before the mark, or None after a number; the mark's position; the end of
    its closing quotes or brackets; the start of the next sentence)."""
    floor = 0
    for found in _MARK_BEFORE_CAPITAL.finditer(text):
        mark = found.start()
        start = mark
        while start > floor and text[start - 1] in _LOWER_OR_DIGIT:
            start -= 1
        if start > floor and text[start - 1] in _UPPER:
            start -= 1
        if (
            start + 1 < mark
            and text[start] in _LETTER
            and text[start + 1] in _LOWER
            and (start == 0 or not (text[start - 1].isalnum() or text[start - 1] in _NOT_BEFORE_WORD))
        ):
            word: str | None = text[start:mark]
        else:
            start = mark
            while start > floor and text[start - 1].isdecimal():
                start -= 1
            if not (start < mark and start >= 2 and text[start - 1] == " " and text[start - 2] in _LETTER):
                continue
            word = None
        yield word, mark, found.end(1), found.end(2)
        floor = found.end(2)


_ABBREVIATIONS = frozenset(a.lower() for a, _ in _PYSBD_ABBREVIATIONS)
_MARK = re.compile(r"[.!?][\"”’')\]]*\s")  # a mark that could end a sentence: space follows it
# Marks that pysbd never cuts at, so they need not go to it: a dotted abbreviation before a lower-case word
# ("U.S. troops", "5 p.m. on Sunday"), a title before a name ("Sen. Lindsey Graham"), a month or "No." before
# a number ("Feb. 1", "No. 15").
_DOTTED = re.compile(r"(?:\b[A-Za-z]\.){2,}$")
_LOWER_WORD = re.compile(r"\s+[a-z]+[\s,;:]")
_TITLE = re.compile(r"(?<![\w.])(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|St|Lt|Gen|Col|Capt|Sgt|Prof|Rev|Gov|Pres|Supt|Atty)\.$")
_NAME = re.compile(r"\s[A-Z][a-z]")
_BEFORE_NUMBER = re.compile(r"(?<![\w.])(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No)\.$")
_NUMBER = re.compile(r"\s\d")
_END = re.compile(r"[.!?][\"”’')\]]*\s*$")
# pysbd's own abbreviation rules, for a full stop right before a space. It protects the stop after a single
# capital ("J. T. O'Grady"), after a dotted abbreviation ("U.S. Senate") and after a courtesy or military title
# ("Ms. O'Sullivan") whatever follows; after one of its number abbreviations ("No.") before a number or a
# parenthesis; after any other abbreviation of its list ("Inc.") before a lower-case word, a number, "(" or "I".
# It puts a stop back only after "a.m." or "p.m." before a capital, or before one of its sentence starters ("in
# the U.S. The"): those still go to pysbd.
_PREPOSITIVE = frozenset(English.Abbreviation.PREPOSITIVE_ABBREVIATIONS)
_NUMBER_ABBREVIATIONS = frozenset(English.Abbreviation.NUMBER_ABBREVIATIONS)
_WORD_BEFORE = re.compile(r"(?<![^\s])[A-Za-z]+\.$")
_AFTER_ABBREVIATION = re.compile(r"\s(?:[a-z\d(]|I\s|I'm|I'll)")
_AFTER_NUMBER_ABBREVIATION = re.compile(r"\s(?:\d|\s*\()")
_CLOCK = re.compile(r"[ap]\.m\.$", re.IGNORECASE)
_SENTENCE_STARTER = re.compile(rf"\s+(?:{'|'.join(English.AbbreviationReplacer.SENTENCE_STARTERS)})\b")


def _double_quotes(text: str, start: int, end: int) -> int:
    """How many double quotation marks ``text[start:end]`` holds: a quotation opened in a piece is still open
    where an odd number precede (news text mixes curly and straight marks, so any two close a quotation)."""
    return text.count("“", start, end) + text.count("”", start, end) + text.count('"', start, end)


def _fast_pieces(text: str) -> list[tuple[str, bool]]:
    """The text cut at sure boundaries: (piece, needs pysbd).

    A boundary inside a quotation is not sure (pysbd keeps a quoted passage together). A piece needs
    pysbd when a mark that could end a sentence (followed by a space) appears before its very end
    ("U.S. troops", "Mr. Lee", an ellipsis, a numbered list, a quoted question); without one ("3.5%",
    "example.com" do not count) it is a single sentence whoever judges it.
    """
    out: list[tuple[str, bool]] = []
    start = counted = quotes = 0  # the quotation marks of text[start:counted], counted once each
    for word, mark, end, following in _sure_boundaries(text):
        if word is not None and word.lower() in _ABBREVIATIONS:
            continue
        quotes += _double_quotes(text, counted, end)
        counted = end
        if quotes % 2 == 1:  # inside a quotation
            continue
        out.append((text[start:end], _hard(text, start, mark, end)))
        start = counted = following
        quotes = 0
    if start < len(text):
        piece = text[start:]
        tail = _END.search(piece)
        out.append((piece, _hard(piece, 0, tail.start() if tail else len(piece), len(piece))))
    return out


# Spans inside which pysbd protects every mark (its "between punctuation" rules, as it writes them for text
# without backslashes): a double-quoted, curly-quoted, bracketed or parenthesised passage. "“It was hard. We
# tried,” he said." is one sentence whoever judges it.
_ENCLOSED = re.compile(r'"[^"\\]+"|“[^”\\]+”|\[[^\]\\]+\]|\([^()\\]+\)')
_OPENERS = re.compile(r'["“(\[]')


# pysbd's own exceptions: a passage enclosed at the start of a sentence and followed by a capital is a sentence
# ("(Feb. 5) AP"), unless a quotation ends in a comma ('"We won," Lee said'); list items inside a quotation are
# split ("1. They will pay"); a mark glued to a quotation ('commitments."I have') ends a sentence.
_CAPITAL_AFTER = re.compile(r"\s[A-Z]")
_LIST_ITEM = re.compile(r"(?<![\w.])(?:\d{1,2}|[A-Za-z])[.)]\s")
_GLUED_QUOTE = re.compile(r"[.!?](?:[\"”’]+[\"“]?|[\"“])[A-Z]")


def _enclosed(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """The spans of the piece ``text[start:stop]`` inside which pysbd protects every mark (none in a piece that
    opens none, that pysbd is given in chunks, or where one of pysbd's exceptions could apply)."""
    if stop - start > _CHUNK or not _OPENERS.search(text, start, stop):
        return []
    spans = [m.span() for m in _ENCLOSED.finditer(text, start, stop)]
    if (
        any(
            _CAPITAL_AFTER.match(text, right) and (text[right - 1] == ")" or text[right - 2] != ",")
            for _, right in spans
        )
        or _LIST_ITEM.search(text, start, stop)
        or _GLUED_QUOTE.search(text, start, stop)
    ):
        return []
    return spans


def _hard(text: str, start: int, end: int, stop: int) -> bool:
    """Whether ``text[start:end]``, in the piece ``text[start:stop]``, holds a mark that pysbd must judge (see
    :func:`_fast_pieces`)."""
    enclosed: list[tuple[int, int]] | None = None
    listed: bool | None = None
    span = 0  # the first enclosed span that does not end before this mark (both run left to right)
    for mark in _MARK.finditer(text, start, end):
        at, before = mark.start() + 1, max(start, mark.start() - 12)
        if enclosed is None:
            enclosed = _enclosed(text, start, stop)
        while span < len(enclosed) and enclosed[span][1] <= mark.start():
            span += 1
        if span < len(enclosed) and enclosed[span][0] < mark.start() and mark.end() < enclosed[span][1]:
            continue
        if (
            (_DOTTED.search(text, before, at) and _LOWER_WORD.match(text, at))
            or (_TITLE.search(text, before, at) and _NAME.match(text, at))
            or (_BEFORE_NUMBER.search(text, before, at) and _NUMBER.match(text, at))
            or _abbreviation_kept(text, before, at)
        ):
            if listed is None:  # pysbd's list rules may cut anywhere in a list ("1) Capt. Lee 2) Tax")
                listed = _may_hold_a_list(text[start:stop])
            if not listed:
                continue
        return True
    return False


def _abbreviation_kept(text: str, before: int, at: int) -> bool:
    """Whether pysbd's abbreviation rules keep the full stop ending at ``at`` inside its sentence (see
    :data:`_PREPOSITIVE`), ``before`` a few characters back."""
    if text[at - 1 : at + 1] != ". " or _SENTENCE_STARTER.match(text, at) or "{" in text:
        return False
    if _DOTTED.search(text, before, at):
        return not _CLOCK.search(text, before, at)
    word = _WORD_BEFORE.search(text, max(0, at - _LONGEST - 2), at)
    if word is None:
        return False
    lowered = text[word.start() : at - 1].lower()
    if (len(lowered) == 1 and text[word.start()].isupper()) or lowered in _PREPOSITIVE:
        return True
    if lowered in _NUMBER_ABBREVIATIONS:
        return _AFTER_NUMBER_ABBREVIATION.match(text, at) is not None
    return lowered in _ABBREVIATIONS and _AFTER_ABBREVIATION.match(text, at) is not None


# Two sentences glued by a scraper that dropped the space ("nearby islands.The Pacific Tsunami Warning
# Center said"): a lower-case word, its full stop, perhaps a closing or an opening quote, then a capitalised word.
_GLUED = re.compile(r"[a-z]{2}[.!?]([\"”’]?)[“\"]?(?=[A-Z][a-z]|I['’][a-z]|[A-Z]{2,}\s)")  # "injuries.OSU security"
_TOKEN_START = re.compile(r"\S*$")


def _unglued(text: str) -> list[str]:
    """``text`` cut where two sentences were glued together, unless the mark sits inside a web address,
    an e-mail address or a dotted name ("example.org.The" is left alone: its token has a dot before).

    A straight quote after the mark closes a quotation when one is open, else it opens the next sentence.

    >>> _unglued('Near islands.The center said so.“It is” over. He said."No." See www.example.org.The end.')
    ['Near islands.', 'The center said so.', '“It is” over. He said.', '"No." See www.example.org.The end.']
    """
    out: list[str] = []
    start = 0
    for found in _GLUED.finditer(text):
        token = _TOKEN_START.search(text, start, found.start()).group()
        if any(c in token for c in "./@:"):
            continue
        cut = found.end(1) if found.group(1) in ("”", "’") else found.start(1)
        if found.group(1) == '"' and text.count('"', start, found.start(1)) % 2 == 1:
            cut = found.end(1)  # it closes a quotation
        out.append(text[start:cut])
        start = cut
    out.append(text[start:])
    return out


def split_sentences(text: str) -> list[str]:
    """Split a paragraph of text into sentences (no spans).

    Most sentence ends in news are unambiguous (a plain word, a full stop, a capital after it); those
    are cut without pysbd (about 20 times slower), which judges only the pieces that hold a mark it
    might read otherwise: abbreviations, initials, decimals, ellipses, lists. pysbd given a whole
    paragraph splits 12% of the development paragraphs differently (15,384, dev and synthetic),
    mostly where it pairs quotation marks across sentences and joins them ("...back down.’ Unions
    put"), or cuts inside a word ("nature—fireworks!—of"); in a sample of eight, the split here read
    better in six, pysbd's in one (it keeps a two-sentence quotation whole).

    >>> split_sentences("The U.S. Senate met on Feb. 27. Mr. Smith spoke.")
    ['The U.S. Senate met on Feb. 27.', 'Mr. Smith spoke.']
    """
    return list(iter_sentences(text))


def iter_sentences(text: str) -> Iterator[str]:
    """:func:`split_sentences`, one sentence at a time: a caller that needs only the first (a headline) does
    not pay pysbd for the rest."""
    for part in _unglued(text) if _GLUED.search(text) else (text,):
        for piece, hard in _fast_pieces(part):
            if not hard:
                if piece.strip():
                    yield piece.strip()
                continue
            for chunk in _chunks(piece):
                yield from (s.strip() for s in _pysbd_segment(chunk) if s.strip())


def split_sentences_pysbd(text: str) -> list[str]:
    """:func:`split_sentences` with pysbd judging every boundary (the reference the fast path is checked against)."""
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


def pack(sentences: Sequence[Sentence]) -> bytes:
    """Sentences' spans and paragraphs as little-endian 32-bit triples (an archive keeps them with the text)."""
    values = array("i", (v for s in sentences for v in (s.start, s.end, s.paragraph)))
    if sys.byteorder == "big":
        values.byteswap()
    return values.tobytes()


def unpack(doc: Document, packed: bytes) -> list[Sentence]:
    """The sentences that :func:`pack` kept, on the very text they were split from.

    >>> doc = Document(id="d", text="It rained. Mr. Lee stayed home.\\n\\nThen it stopped.")
    >>> unpack(doc, pack(segment(doc))) == segment(doc)
    True
    """
    values = array("i")
    values.frombytes(packed)
    if sys.byteorder == "big":
        values.byteswap()
    return [
        Sentence(doc_id=doc.id, index=i, start=start, end=end, text=doc.text[start:end], paragraph=paragraph)
        for i, (start, end, paragraph) in enumerate(zip(values[0::3], values[1::3], values[2::3], strict=True))
    ]
