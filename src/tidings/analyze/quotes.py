"""Quotes and their speakers.

Journalism attributes quotes in a few fixed shapes, which rules read
reliably: ``“…,” said Georgy Kunadze``, ``“…,” Castaneda said``, ``X said:
“…”``, ``“…,” according to the State Department``; a quote with no
attribution continues the previous quote's speaker (paragraph-split
quotes); "he said" / "she said" is the subject of the nearest preceding
sentence that names a person (the previous quote's speaker when that
sentence names several); a description ("the GOP leader", "the minister")
is the most recently mentioned person who carried that title.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from tidings.analyze.model import Quote
from tidings.analyze.nlp import Mention
from tidings.model import Sentence

_VERBS = (
    r"(?:said|says|told|tells|added|adds|explained|explains|wrote|writes|tweeted|asked|continued|insisted|noted|warned|"
    r"recalled|responded|replied|argued|vowed|stated|declared|acknowledged|admitted|announced|concluded|cautioned)"
)
_QUOTE = re.compile(r"“[^“”]+”|“[^“”\n]+(?=\n|$)|\"[^\"\n]+\"")
_AFTER_VERB_FIRST = re.compile(rf"^[,.!?]?\s*{_VERBS}\s+(?P<sp>[^.;:“\"]{{2,120}}?)(?=[,.;:]|$)")
_AFTER_SPEAKER_FIRST = re.compile(rf"^[,.!?]?\s*(?P<sp>[^.;:“\"]{{1,90}}?)\s+{_VERBS}\b")
_ACCORDING = re.compile(r"according to (?P<sp>[^,.;:“\"]{2,80})", re.IGNORECASE)
_BEFORE = re.compile(rf"(?P<sp>[^.;:!?“”\"]{{1,100}}?)\s+{_VERBS}\b[^“\".;]{{0,60}}?[,:]?\s*(?:that\s+)?$")
_MID = re.compile(rf"\b(?P<sp>he|she|[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*)\s+{_VERBS}\b")
_PRONOUNS = {"he", "she", "they"}
_DESCRIPTION_HEAD = re.compile(r"(\w+)\s*$")


def _quote_spans(text: str) -> list[tuple[int, int]]:
    out = []
    for match in _QUOTE.finditer(text):
        inner = match.group(0).strip('“”"')
        if len(inner.split()) >= 4:
            out.append(match.span())
    return out


def _sentence_of(sentences: Sequence[Sentence], position: int) -> int:
    for s in sentences:
        if s.start <= position < s.end:
            return s.index
    return max((s.index for s in sentences if s.start <= position), default=0)


class _Resolver:
    def __init__(
        self,
        text: str,
        sentences: Sequence[Sentence],
        mentions: Sequence[Mention],
        canonical: Mapping[int, str],
        titles: Mapping[str, frozenset[str]],
        spans: Sequence[tuple[int, int]],
    ) -> None:
        self.text = text
        self.sentences = sentences
        inside = [(s, e) for s, e in spans]
        self.mentions = [m for m in mentions if not any(s <= m.start < e for s, e in inside)]
        self.canonical = canonical
        self.titles = titles

    def name(self, m: Mention) -> str:
        return self.canonical.get(m.start, m.text)

    def in_range(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if start <= m.start and m.end <= end]

    def phrase(self, start: int, end: int, before: int, previous: str | None) -> tuple[str | None, str]:
        """The speaker a phrase names: (name, how)."""
        raw = self.text[start:end].strip(" ,")
        if "," in raw and raw.rsplit(",", 1)[1].strip().lower() in _PRONOUNS:  # "But it wasn't clear, he said"
            start = start + self.text[start:end].rfind(",") + 1
            raw = raw.rsplit(",", 1)[1].strip()
        word = raw.lower()
        if word in _PRONOUNS:
            return self.pronoun(before, previous), "pronoun"
        found = self.in_range(start, end)
        people = [m for m in found if m.type == "person"]
        if people:
            return self.name(people[0]), "name"
        if found:
            return self.name(found[0]), "name"
        description = re.sub(r"^(?:the|a|an|his|her|their|its)\s+", "", raw, flags=re.IGNORECASE)
        head = _DESCRIPTION_HEAD.search(description)
        if (head and raw[:1].islower()) or raw.lower().startswith("the "):
            owner = self.titled(head.group(1).lower() if head else "", before)
            if owner:
                return owner, "description"
        if not description or len(description.split()) > 8:
            return None, "none"
        return description, "description"

    def titled(self, head: str, before: int) -> str | None:
        if not head:
            return None
        for m in sorted((m for m in self.mentions if m.end <= before and m.type == "person"), key=lambda m: -m.start):
            if head in self.titles.get(self.name(m), frozenset()) or head in (m.title or "").lower().split():
                return self.name(m)
            if any(head in t.split() for t in self.titles.get(self.name(m), frozenset())):
                return self.name(m)
        return None

    def pronoun(self, before: int, previous: str | None) -> str | None:
        people = [m for m in self.mentions if m.end <= before and m.type == "person"]
        if not people:
            return None
        nearest = people[-1]
        sentence = _sentence_of(self.sentences, nearest.start)
        here = _sentence_of(self.sentences, before)
        if here - sentence > 3:
            return previous
        in_sentence = [m for m in people if _sentence_of(self.sentences, m.start) == sentence]
        names = list(dict.fromkeys(self.name(m) for m in in_sentence))
        if previous and previous in names:
            return previous
        return names[0]


def find_quotes(
    doc_id: str,
    text: str,
    sentences: Sequence[Sentence],
    mentions: Sequence[Mention],
    canonical: Mapping[int, str],
    titles: Mapping[str, frozenset[str]],
) -> list[Quote]:
    """Quotes of one document with their speakers (``canonical`` maps a mention's start to its entity name)."""
    spans = _quote_spans(text)
    resolver = _Resolver(text, sentences, mentions, canonical, titles, spans)
    quotes: list[Quote] = []
    previous: str | None = None
    previous_end = -1
    for start, end in spans:
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        after = text[end:line_end]
        line_start = text.rfind("\n", 0, start) + 1
        before_text = text[line_start:start]
        cut = max(before_text.rfind(". "), before_text.rfind("? "), before_text.rfind("! "), before_text.rfind("” "))
        clause_start = line_start + (cut + 2 if cut >= 0 else 0)
        before = text[clause_start:start]
        speaker: str | None = None
        how = "none"
        for rx in (_AFTER_VERB_FIRST, _AFTER_SPEAKER_FIRST, _ACCORDING):
            match = rx.match(after) if rx is not _ACCORDING else rx.match(after.lstrip(" ,"))
            if match:
                offset = end + (after.find(after.lstrip(" ,")) if rx is _ACCORDING else 0)
                speaker, how = resolver.phrase(offset + match.start("sp"), offset + match.end("sp"), start, previous)
                if speaker:
                    break
        if not speaker and (match := _BEFORE.search(before)):
            speaker, how = resolver.phrase(
                clause_start + match.start("sp"), clause_start + match.end("sp"), start, previous
            )
        if not speaker and (match := _ACCORDING.search(before)):
            speaker, how = resolver.phrase(
                clause_start + match.start("sp"), clause_start + match.end("sp"), start, previous
            )
        if not speaker:
            mids = list(_MID.finditer(before))
            if mids:
                m = mids[-1]
                speaker, how = resolver.phrase(
                    clause_start + m.start("sp"), clause_start + m.end("sp"), start, previous
                )
        if not speaker and previous and start - previous_end < 600:
            speaker, how = previous, "continuation"
        quotes.append(Quote(text[start:end].strip('“”"'), speaker, doc_id, start, end, how if speaker else "none"))
        if speaker:
            previous, previous_end = speaker, end
    # a quote opening a paragraph may be attributed by the next quote in it ("…?” … ,” Schumer said.)
    out: list[Quote] = []
    for i, q in enumerate(quotes):
        if q.speaker is None and i + 1 < len(quotes) and quotes[i + 1].speaker and quotes[i + 1].start - q.end < 300:
            q = Quote(q.quote, quotes[i + 1].speaker, q.doc_id, q.start, q.end, "continuation")
        out.append(q)
    return out
