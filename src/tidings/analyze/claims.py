"""Claims with quantities, aligned across sources, and the disagreements among them.

A claim is a quantity in a sentence plus what it measures: the head noun
after it ("8,000 North Korean migrant labourers" -> worker), the event word
near it (killed, injured, missing, arrested, evacuated) and the content
words around it. Two claims from different documents are about the same
quantity when they have the same dimension, the same head (after a small
synonym table), no conflicting event word, the same years in scope, and
enough shared context words (``align_threshold``, Jaccard). Aligned claims
whose intervals do not overlap are a disagreement; every value is reported
with its sources and attributions, never one side only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence

from tidings.analyze.model import Claim, ClaimGroup, ClaimValue, Quantity
from tidings.analyze.quantities import find_quantities
from tidings.dedup import DedupResult, content_tokens, jaccard
from tidings.model import Citation, Sentence

_SYNONYMS = {
    "labourer": "worker", "laborer": "worker", "employee": "worker", "employed": "work", "working": "work",
    "employ": "work", "person": "people", "individual": "people", "resident": "people", "death": "dead",
    "killed": "dead", "died": "dead", "fatality": "dead", "toll": "dead", "kill": "dead", "killing": "dead",
    "wounded": "injured", "hurt": "injured", "injury": "injured", "injuring": "injured", "detained": "arrested",
    "custody": "arrested", "captured": "arrested", "held": "arrested", "arrest": "arrested", "home": "house",
    "kid": "child", "children": "child", "men": "man", "women": "woman", "houses": "house", "evacuation": "evacuated",
}  # fmt: skip
_PREDICATES = {"dead", "injured", "missing", "arrested", "evacuated", "rescued", "displaced", "charged"}
_TIME_HEADS = {
    "year", "month", "week", "day", "hour", "minute", "second", "time", "times", "decade", "century", "old", "am",
    "pm", "inch", "point", "percent", "goal", "seat", "vote", "ton", "tons", "foot", "feet", "mile",
}  # fmt: skip
_STOP_HEAD = re.compile(
    r"^(?:in|on|at|to|of|for|by|from|with|and|or|but|that|who|which|were|was|are|is|have|has|had|be|been|still|"
    r"also|more|than|as|the|a|an|its|their|his|her|said|says|including|inside|across|during|after|before)$",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_PROJECTION = re.compile(
    r"\b(?:by (?:19|20)\d\d|target|goal|wants? to|plans? to|aims? to|hopes? to|fold|projected|forecast|expected to|"
    r"could reach|increase|raise|boost)\w*",
    re.IGNORECASE,
)
_ACCORDING = re.compile(r"according to ([^,.;:“\"]{2,80})", re.IGNORECASE)
_SAID = re.compile(r",\s*((?:the\s+)?[A-Z][^,.;:“\"]{1,60}?)\s+(?:said|says|reported|estimated|announced)\b")


def _norm(word: str) -> str:
    word = word.lower()
    if word in _SYNONYMS:
        return _SYNONYMS[word]
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return _SYNONYMS.get(word, word)


def _measure(sentence: str, q_start: int, q_end: int) -> tuple[str, str | None]:
    """The noun phrase after a quantity and its head ("North Korean migrant labourers", "worker")."""
    after = sentence[q_end:]
    after = re.sub(r"^\s*of\s+", " ", after)
    words = re.findall(r"[A-Za-z][\w’'-]*|[,.;:()—–]", after)[:6]
    phrase: list[str] = []
    for w in words:
        if not w[0].isalpha() or _STOP_HEAD.match(w):
            break
        if phrase and (w.endswith("ing") or (w.endswith("ed") and w.lower() not in ("injured", "wounded"))):
            break
        phrase.append(w)
        if len(phrase) == 4:
            break
    while phrase and phrase[-1].lower() in ("other", "others", "more"):
        phrase.pop()
    if not phrase:
        if re.search(r"\btoll\b", sentence[:q_start], re.IGNORECASE):
            return "death toll", "people"
        return "", None
    head = phrase[-1].lower().strip("’'")
    if head in ("injured", "wounded", "missing", "dead", "killed"):
        return " ".join(phrase), "people"
    return " ".join(phrase), _norm(head)


def _window(sentence: str, q_start: int, q_end: int, size: int = 8) -> frozenset[str]:
    before = re.findall(r"[^\W\d_]+", sentence[:q_start])[-size:]
    after = re.findall(r"[^\W\d_]+", sentence[q_end:])[:size]
    tokens = content_tokens(" ".join(before + after))
    return frozenset(_norm(t) for t in tokens if not t.isdigit())


def _predicate(sentence: str, q_start: int, q_end: int) -> str | None:
    """The event word nearest after the quantity (within 6 words), else nearest before (within 4)."""
    after = [_norm(w) for w in re.findall(r"[^\W\d_]+", sentence[q_end:])[:6]]
    before = [_norm(w) for w in re.findall(r"[^\W\d_]+", sentence[:q_start])[-4:]]
    for word in after + before[::-1]:
        if word in _PREDICATES:
            return word
    return None


def _attribution(sentence: str) -> str | None:
    if match := _ACCORDING.search(sentence):
        return match.group(1).strip()
    if match := _SAID.search(sentence):
        return match.group(1).strip()
    return None


def extract_claims(doc_id: str, sentences: Sequence[Sentence], soft_factor: float = 1.5) -> list[Claim]:
    """Claims of one document: quantities with a measured noun, money, percentages and lengths."""
    out: list[Claim] = []
    for s in sentences:
        for q in find_quantities(s.text, offset=s.start, soft_factor=soft_factor):
            local_start, local_end = q.start - s.start, q.end - s.start
            measure, head = _measure(s.text, local_start, local_end)
            if q.dimension == "count" and (head is None or head in _TIME_HEADS):
                continue
            if any(_norm(w) in _TIME_HEADS or w.lower() == "ago" for w in measure.split()):
                continue
            context = _window(s.text, local_start, local_end)
            predicate = _predicate(s.text, local_start, local_end)
            scope = frozenset(_YEAR.findall(s.text))
            projection = bool(_PROJECTION.search(s.text))
            out.append(
                Claim(
                    doc_id=doc_id,
                    sentence=s.index,
                    quantity=q,
                    measure=measure or q.dimension,
                    context=context - {head or ""},
                    quote=s.text,
                    attribution=_attribution(s.text),
                    predicate=predicate if head is not None or q.dimension != "count" else None,
                    scope=scope,
                    head=head,
                    projection=projection,
                )
            )
    return out


def same_quantity(a: Claim, b: Claim, threshold: float) -> bool:
    """Whether two claims measure the same thing (see the module docstring)."""
    if a.quantity.dimension != b.quantity.dimension or (a.scope and b.scope and a.scope != b.scope):
        return False
    if a.projection != b.projection:  # a target ("to $1 billion by 2020") is not a rival figure
        return False
    ha, hb = a.head, b.head
    if a.quantity.dimension == "count" and ha != hb:
        return False
    if a.predicate and b.predicate and a.predicate != b.predicate:
        return False
    if bool(a.predicate) != bool(b.predicate) and a.quantity.dimension == "count" and ha == "people":
        return False
    similarity = jaccard(a.context, b.context)
    if a.quantity.dimension != "count":  # no head noun to anchor money, percentages, lengths: ask for more context
        return similarity >= 2.5 * threshold
    if a.predicate and a.predicate == b.predicate:  # same head and same event word: strong evidence already
        return similarity >= threshold / 2
    return similarity >= threshold


def _value_text(q: Quantity) -> str:
    return q.text


def align(claims: Sequence[Claim], dedup: DedupResult, threshold: float = 0.15) -> list[ClaimGroup]:
    """Group claims across documents and mark groups whose values conflict."""
    parent = list(range(len(claims)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(claims):
        for j in range(i + 1, len(claims)):
            b = claims[j]
            if a.doc_id != b.doc_id and same_quantity(a, b, threshold):
                parent[find(j)] = find(i)
    members: dict[int, list[Claim]] = defaultdict(list)
    for i, c in enumerate(claims):
        members[find(i)].append(c)
    groups: list[ClaimGroup] = []
    for items in members.values():
        roots = {dedup.root(c.doc_id) for c in items}
        if len(roots) < 2:
            continue
        by_value: dict[tuple[float, float, str], list[Claim]] = defaultdict(list)
        for c in items:
            iv = c.quantity.interval
            by_value[(iv.low, iv.high, c.quantity.text.lower())].append(c)
        values: list[ClaimValue] = []
        for same in by_value.values():
            sources = tuple(dict.fromkeys(c.doc_id for c in same))
            values.append(
                ClaimValue(
                    value=_value_text(same[0].quantity),
                    interval=same[0].quantity.interval,
                    quote=same[0].quote,
                    sources=sources,
                    attributions=tuple(dict.fromkeys(c.attribution for c in same if c.attribution)),
                    citations=tuple(Citation(c.doc_id, c.quantity.start, c.quantity.end) for c in same),
                    independent=dedup.independent(sources),
                )
            )
        # a conflict needs two directly aligned claims from different sources, not a chain of look-alikes
        conflict = any(
            dedup.root(a.doc_id) != dedup.root(b.doc_id)
            and same_quantity(a, b, threshold)
            and not (a.quantity.dimension == b.quantity.dimension and a.quantity.interval.overlaps(b.quantity.interval))
            for i, a in enumerate(items)
            for b in items[i + 1 :]
        )
        about = _about(items)
        groups.append(
            ClaimGroup(
                about=about,
                dimension=items[0].quantity.dimension,
                values=tuple(sorted(values, key=lambda v: v.interval.effective)),
                independent=len(roots),
                conflict=conflict,
            )
        )
    groups.sort(key=lambda g: (not g.conflict, -g.independent, g.about))
    return groups


def _about(items: Sequence[Claim]) -> str:
    measures = [c.measure for c in items if c.measure and not c.measure.startswith(("count", "money", "percent"))]
    if not measures:
        return items[0].quantity.dimension
    counts: Mapping[str, int] = {m: measures.count(m) for m in measures}
    return max(counts, key=lambda m: (counts[m], -len(m)))
