"""Entities: name mentions merged across variants, spellings and descriptions.

"Kim Jong Un", "Kim Jong-un", "Kim" and "North Korean leader" are one
person when the cluster supports it: spellings merge on their normalised
words; a short form joins the full name it is part of when that name is
the clear majority among the candidates (in its own document first, across
the cluster otherwise); a description seen as a title of one person ("North
Korean leader Kim Jong Un") counts as a mention of that person where it
stands alone ("the North Korean leader").
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tidings.analyze.model import Entity
from tidings.analyze.nlp import Mention
from tidings.dedup import DedupResult


def name_key(name: str) -> tuple[str, ...]:
    """Words of a name without case, hyphens, dots or possessives: the spelling-insensitive identity.

    >>> name_key("Kim Jong-un") == name_key("Kim Jong Un")
    True
    >>> name_key("U.S.") == name_key("US") == name_key("U.S")
    True
    """
    name = re.sub(r"['’]s?\b", "", name.lower())
    name = re.sub(r"\b([a-z])\.(?=[a-z]\b)", r"\1", name)  # initials: "u.s." is "us"
    return tuple(w for w in re.split(r"[\s\-.]+", name) if w)


def _surface(text: str) -> str:
    """A mention as shown: without the hyphen of a compound it was cut from ("North Korea-" of "North Korea-Russia")."""
    return text.strip(" -–—")


@dataclass
class _Cluster:
    key: tuple[str, ...]
    type: str
    surfaces: Counter[str]
    docs: set[str]
    mentions: int = 0
    titles: Counter[str] | None = None


@dataclass(frozen=True, slots=True)
class EntityIndex:
    """Merged entities and, for each mention (doc id, start), the canonical name it belongs to."""

    entities: tuple[Entity, ...]
    canonical: Mapping[tuple[str, int], str]
    types: Mapping[str, str]
    titles: Mapping[str, frozenset[str]]


def merge_entities(mentions: Mapping[str, Sequence[Mention]], dedup: DedupResult | None = None) -> EntityIndex:
    """Merge mentions per document into cluster-wide entities (see the module docstring for the rules)."""
    clusters: dict[tuple[str, ...], _Cluster] = {}
    for doc_id, items in mentions.items():
        for m in items:
            key = name_key(m.text)
            if not key:
                continue
            c = clusters.setdefault(key, _Cluster(key, m.type, Counter(), set(), 0, Counter()))
            surface = _surface(m.text)
            c.surfaces[surface] += 1
            c.docs.add(doc_id)
            c.mentions += 1
            if m.title:
                c.titles[m.title.lower()] += 1  # type: ignore[index]
            if c.type != "person" and m.type == "person" and c.surfaces[surface] > 1:
                c.type = "person"
    # types by majority vote of their mentions
    votes: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for items in mentions.values():
        for m in items:
            votes[name_key(m.text)][m.type] += 1
    for key, c in clusters.items():
        c.type = votes[key].most_common(1)[0][0]
    # short forms -> full names
    parent: dict[tuple[str, ...], tuple[str, ...]] = {}
    people = [c for c in clusters.values() if c.type == "person" and len(c.key) > 1]
    for c in clusters.values():
        if len(c.key) > 2 or c.type != "person":
            continue
        candidates = [
            p
            for p in people
            if p.key != c.key and len(p.key) > len(c.key) and _is_part(c.key, p.key) and p.type == "person"
        ]
        if not candidates:
            continue
        candidates.sort(key=lambda p: p.mentions, reverse=True)
        if len(candidates) == 1 or candidates[0].mentions >= 2 * candidates[1].mentions:
            parent[c.key] = candidates[0].key

    def root(key: tuple[str, ...]) -> tuple[str, ...]:
        seen = set()
        while key in parent and key not in seen:
            seen.add(key)
            key = parent[key]
        return key

    merged: dict[tuple[str, ...], list[_Cluster]] = defaultdict(list)
    for key, c in clusters.items():
        merged[root(key)].append(c)
    canonical: dict[tuple[str, int], str] = {}
    names: dict[tuple[str, ...], str] = {}
    entities: list[Entity] = []
    titles: dict[str, frozenset[str]] = {}
    types: dict[str, str] = {}
    for key, members in merged.items():
        head = clusters[key]
        surfaces = Counter[str]()
        docs: set[str] = set()
        all_titles: Counter[str] = Counter()
        for m in members:
            surfaces.update(m.surfaces)
            docs |= m.docs
            all_titles.update(m.titles or {})
        name = head.surfaces.most_common(1)[0][0]
        names[key] = name
        mentions_n = sum(m.mentions for m in members)
        independent = dedup.independent(docs) if dedup else len(docs)
        entities.append(
            Entity(
                name=name,
                type=head.type,
                mentions=mentions_n,
                variants=tuple(s for s, _ in surfaces.most_common() if s != name),
                sources=tuple(sorted(docs)),
                independent=independent,
            )
        )
        titles[name] = frozenset(all_titles)
        types[name] = head.type
    for doc_id, items in mentions.items():
        for m in items:
            key = name_key(m.text)
            if key:
                canonical[(doc_id, m.start)] = names[root(key)]
    entities.sort(key=lambda e: (-e.mentions, e.name))
    return EntityIndex(tuple(entities), canonical, types, titles)


def _is_part(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """A short name is the first or last word(s) of a full one ("Kim", "Putin", "Lankov")."""
    n = len(short)
    return full[:n] == short or full[-n:] == short


def count_descriptions(texts: Mapping[str, str], index: EntityIndex) -> dict[str, int]:
    """Extra mentions from titles used alone ("the North Korean leader" -> the one person titled so)."""
    by_title: dict[str, set[str]] = defaultdict(set)
    for name, person_titles in index.titles.items():
        for title in person_titles:
            if len(title.split()) >= 2:
                by_title[title].add(name)
    extra: Counter[str] = Counter()
    for title, owners in by_title.items():
        if len(owners) != 1:
            continue
        owner = next(iter(owners))
        rx = re.compile(rf"\bthe {re.escape(title)}\b(?!\s+[A-Z])", re.IGNORECASE)
        extra[owner] += sum(len(rx.findall(text)) for text in texts.values())
    return dict(extra)
