"""Full-text search with bounded work per request: the query's terms and the snippets around matches.

SQLite's FTS5 finds and ranks the documents; two things are kept out of
it because their cost is not bounded by the request:

* **Terms.** A query is cut into at most :data:`MAX_TERMS` distinct words
  (case folded, control characters dropped, each quoted so that user input
  is never FTS syntax). ``the the the …`` 125 times is one term, not 125.
* **Snippets.** FTS5's ``snippet()`` is evaluated for every matching row
  the sorter sees and grows with the square of the matches inside one
  document, so one 1 MB page repeating a sentence could hold a search for
  minutes. Snippets are made here instead, for the rows of the page only,
  from one linear regular-expression scan that stops after
  :data:`MAX_MATCHES` matches.
"""

from __future__ import annotations

import re

MAX_TERMS = 12
MAX_TERM_CHARS = 64
MAX_MATCHES = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WORD = re.compile(r"\w+", re.UNICODE)
# Endings the porter stemmer (FTS5's tokenizer) removes, so "bridges" also marks "bridge" and "bridging".
_ENDINGS = ("ational", "ations", "ation", "ingly", "ings", "ing", "edly", "ies", "ied", "es", "ed", "ly", "s", "e")


def query_terms(query: str) -> list[str]:
    """The distinct words of a query, in order, at most :data:`MAX_TERMS` of them.

    >>> query_terms('the The  "bridge" the\\x00 council')
    ['the', 'bridge', 'council']
    """
    terms: dict[str, None] = {}
    for word in _WORD.findall(_CONTROL.sub(" ", query).casefold()):
        terms.setdefault(word[:MAX_TERM_CHARS], None)
        if len(terms) == MAX_TERMS:
            break
    return list(terms)


def match_expression(terms: list[str]) -> str:
    """An FTS5 MATCH expression requiring every term, each quoted (never parsed as FTS syntax)."""
    return " ".join('"' + t.replace('"', "") + '"' for t in terms)


def _stem(term: str) -> str:
    for ending in _ENDINGS:
        if term.endswith(ending) and len(term) - len(ending) >= 3:
            return term[: -len(ending)]
    return term


def _pattern(term: str) -> str:
    """A word with the term's stem and any ending; short or numeric terms as whole words only."""
    stem = _stem(term)
    if len(stem) >= 3 and stem.isalpha():
        return re.escape(stem) + r"\w*"
    return re.escape(term) + r"\b"


def snippet(text: str, terms: list[str], marks: tuple[str, str] = ("[", "]"), words: int = 24) -> str:
    """About ``words`` words of ``text`` around the densest run of matched terms, each match wrapped in ``marks``.

    One linear scan that looks at no more than :data:`MAX_MATCHES` matches, whatever the document's size.

    >>> snippet("Officials said the new bridges over the river will open in May.", ["bridge"], words=6)
    '… the new [bridges] over the river …'
    """
    if not terms or not text:
        return text[:200]
    pattern = re.compile(r"\b(?:" + "|".join(_pattern(t) for t in terms) + r")", re.IGNORECASE)
    hits: list[tuple[int, int, str]] = []
    for found in pattern.finditer(text):
        hits.append((found.start(), found.end(), _stem(found.group().casefold())))
        if len(hits) >= MAX_MATCHES:
            break
    if not hits:
        return _window(text, 0, words, [], marks)
    best, best_score = 0, -1
    reach = words * 8  # characters: about the snippet's width
    for i, (start, _, _) in enumerate(hits):
        distinct = {stem for s, _, stem in hits[i:] if s - start <= reach}
        if len(distinct) > best_score:
            best, best_score = i, len(distinct)
    return _window(text, hits[best][0], words, hits, marks)


def _window(text: str, at: int, words: int, hits: list[tuple[int, int, str]], marks: tuple[str, str]) -> str:
    """``words`` words of text starting a few words before position ``at``, with the hits inside it marked."""
    before = list(_WORD.finditer(text, max(0, at - 200), at))[-words // 4 :] if at else []
    start = before[0].start() if before else at
    after = []
    for found in _WORD.finditer(text, start):
        after.append(found)
        if len(after) >= words:
            break
    end = after[-1].end() if after else min(len(text), start + 200)
    out, position = [], start
    for s, e, _ in hits:
        if s >= start and e <= end and s >= position:
            out += [text[position:s], marks[0], text[s:e], marks[1]]
            position = e
    out.append(text[position:end])
    body = " ".join("".join(out).split())
    return ("… " if start > 0 else "") + body + (" …" if end < len(text) else "")
