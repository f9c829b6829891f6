"""Frozen result types of the analysis stage.

Everything carries provenance (document ids, character spans in the cleaned
text) so a reader can check each claim, date and quote against its source,
and ``independent`` counts syndicated copies once (``DedupResult.root``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime

from tidings.model import Citation, Document, SummarySentence


@dataclass(frozen=True, slots=True)
class Interval:
    """The set of values a quantity allows: ``[low, high]``, with optional soft bounds.

    A soft bound is where a phrase such as "more than 10,000" stops being a
    natural way to say the number (nobody says "more than 10,000" for
    90,000): compatibility uses it, but it is reported separately so a reader
    sees the hard meaning too.
    """

    low: float
    high: float
    soft_low: float | None = None
    soft_high: float | None = None
    open_high: bool = False

    @property
    def effective(self) -> tuple[float, float]:
        low = self.low if self.soft_low is None else max(self.low, self.soft_low)
        high = self.high if self.soft_high is None else min(self.high, self.soft_high)
        return low, high

    def overlaps(self, other: Interval) -> bool:
        """The compatibility rule: two values agree when their effective intervals overlap.

        ``open_high`` marks a rounding interval ``[low, high)``: 750,000 rounds
        to "about 800,000", so "about 700,000" (whose interval ends there,
        open) does not touch it.
        """
        a_low, a_high = self.effective
        b_low, b_high = other.effective
        a_open = self.open_high and a_high == self.high
        b_open = other.open_high and b_high == other.high
        below = b_low < a_high if a_open else b_low <= a_high
        above = a_low < b_high if b_open else a_low <= b_high
        return below and above

    def scaled(self, factor: float) -> Interval:
        """The same interval in another unit (feet to metres, pounds to kilograms)."""
        return Interval(
            self.low * factor,
            self.high * factor,
            None if self.soft_low is None else self.soft_low * factor,
            None if self.soft_high is None else self.soft_high * factor,
            self.open_high,
        )

    def as_dict(self) -> dict[str, float | None]:
        return {
            "low": self.low,
            "high": None if math.isinf(self.high) else self.high,
            "soft_low": self.soft_low,
            "soft_high": self.soft_high,
            "open_high": self.open_high,
        }


@dataclass(frozen=True, slots=True)
class Quantity:
    """A parsed quantity phrase: its words, its interval and what kind of number it is.

    ``dimension`` is ``"count"``, ``"percent"``, ``"money:USD"`` (etc.) or a
    physical dimension (``"length"`` in metres); values of different
    dimensions are never compared.
    """

    text: str
    start: int
    end: int
    interval: Interval
    dimension: str
    approximate: bool = False


@dataclass(frozen=True, slots=True)
class Claim:
    """A quantity as one source states it, with what it measures, when, and who says so.

    ``head`` is the counted noun (normalised), ``qualifier`` the capitalised
    words before it ("North Korean"), ``predicate`` the news outcome
    it counts (a key of :data:`tidings.analyze.claims.EVENTS`) and
    ``outcomes`` every outcome its sentence names, ``endpoint``
    where a distance is measured from ("of Las Vegas"), ``rate`` the
    unit of a rate ("a day"), ``whole`` marks the total in "four of five",
    ``scope`` the years and ``when`` the dates that time it, ``background``
    an earlier event ("last month"), ``includes`` the attackers a toll
    counts ("including the gunman"). ``clause`` is the clause around the
    figure, ``near`` its five words each side and ``next`` its three, all
    with every figure masked: what the claim says, embedded to compare
    claims by meaning.
    ``part`` marks a figure that counts part of a total: ``"of"`` for "nine
    of the ten", "eight of the children", ``"marked"`` for "including three
    children", "of those, 20"; ``increment`` one that adds to another ("65 more"),
    ``listed`` one in a list or table of figures, ``modifiers`` the words
    that scope a count ("federal", "critically"), ``anchors`` the known
    places in its sentence and ``places`` the names after "in", "at",
    "near"... in its clause, ``days`` the weekdays its clause names,
    ``later`` a figure the text says a count rose to, ``subject`` whose
    age an age is (a name's words), ``event`` the kind of event its
    clause names ("tsunami", "landslide"), ``owner`` the possessive before
    it ("his" in "his two kids").
    """

    doc_id: str
    sentence: int
    quantity: Quantity
    measure: str
    quote: str
    attribution: str | None = None
    predicate: str | None = None
    scope: frozenset[str] = frozenset()
    head: str | None = None
    projection: bool = False
    endpoint: frozenset[str] = frozenset()
    qualifier: frozenset[str] = frozenset()
    rate: str | None = None
    whole: bool = False
    when: frozenset[date] = frozenset()
    background: bool = False
    includes: int = 0
    part: str = ""
    modifiers: frozenset[str] = frozenset()
    anchors: frozenset[str] = frozenset()
    later: bool = False
    subject: tuple[str, ...] = ()
    event: str | None = None
    clause: str = ""
    near: str = ""
    next: str = ""
    places: frozenset[str] = frozenset()
    days: frozenset[str] = frozenset()
    increment: bool = False
    listed: bool = False
    outcomes: frozenset[str] = frozenset()
    owner: str | None = None


@dataclass(frozen=True, slots=True)
class ClaimValue:
    """One value of an aligned claim and every source that states it."""

    value: str
    interval: Interval
    quote: str
    sources: tuple[str, ...]
    attributions: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    independent: int = 1
    published: datetime | None = None


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    """Figures about the same quantity across sources, and what a reader should make of them.

    ``kind`` is ``"disagreement"`` (values that cannot both be true, every pair of them compared directly),
    ``"change"`` (a count that changed over time: ``values`` run from the earlier figure to the later one,
    "rose from X to Y") or ``"agreement"``; ``conflict`` is true for disagreements only.
    """

    about: str
    dimension: str
    values: tuple[ClaimValue, ...]
    independent: int
    conflict: bool
    kind: str = "agreement"


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression and what it resolves to against its article's publication date.

    ``date`` is the first day of the period (``precision`` day, week, month or
    year); it is ``None`` with a ``reason`` when the expression cannot be
    resolved (relative, and the article has no publication date), and then
    ``sentence`` is the sentence it stands in (what is expected "next week").
    """

    doc_id: str
    start: int
    end: int
    text: str
    date: date | None
    precision: str
    reason: str | None = None
    sentence: str = ""


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """A dated event, merged across sources that report the same thing on the same date."""

    date: date
    precision: str
    event: str
    sources: tuple[str, ...]
    citations: tuple[Citation, ...]
    independent: int
    kind: str = "event"  # or "published"


@dataclass(frozen=True, slots=True)
class Quote:
    """A quotation and who said it; ``how`` says how the speaker was found."""

    quote: str
    speaker: str | None
    doc_id: str
    start: int
    end: int
    how: str


@dataclass(frozen=True, slots=True)
class QuoteGroup:
    """The same quotation as carried by one or more sources."""

    speaker: str | None
    quote: str
    sources: tuple[str, ...]
    citations: tuple[Citation, ...]
    independent: int


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organisation or place, its name variants merged."""

    name: str
    type: str
    mentions: int
    variants: tuple[str, ...]
    sources: tuple[str, ...]
    independent: int


@dataclass(frozen=True, slots=True)
class Analysis:
    """Who says what, when, and where the sources disagree, for one story."""

    documents: tuple[Document, ...]
    claims: tuple[ClaimGroup, ...]
    timeline: tuple[TimelineEvent, ...]
    dates: tuple[DateMention, ...]
    quotes: tuple[QuoteGroup, ...]
    entities: tuple[Entity, ...]
    summary: tuple[SummarySentence, ...] = ()
    backend: str = "rules"
    meta: dict[str, object] = field(default_factory=dict, compare=False)

    @property
    def disagreements(self) -> tuple[ClaimGroup, ...]:
        return tuple(group for group in self.claims if group.kind == "disagreement")

    @property
    def changes(self) -> tuple[ClaimGroup, ...]:
        return tuple(group for group in self.claims if group.kind == "change")

    @property
    def unresolved_dates(self) -> tuple[DateMention, ...]:
        return tuple(d for d in self.dates if d.date is None)
