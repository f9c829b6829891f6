"""Quantities: a small grammar over tokens, values as intervals, and when two values agree.

Why a grammar and not a library: quantulum3 (the maintained extractor) needs
a pickled scikit-learn classifier that no longer loads with current
scikit-learn, takes seconds on first use, misses vague quantities ("tens of
thousands") and glued "2020 – to 1 billion US dollars" into one value;
number-parser and word2number read "eight thousand" but not "1.5 million",
"$100m" or "dozens". News numbers are few patterns::

    [modifier] [currency] number [scale] [unit]      "about $100 million", "more than 2,000 tons"
    [modifier] vague [of]                            "tens of thousands of", "dozens"

Interval rules (documented in the README section and pinned by tests):

- a plain number is exact; a round one (ending in two or more zeros: 8,000,
  29,000) means itself +-5%, rounding being how it was written;
- "about", "around", "roughly", "approximately", "some", "an estimated":
  +-10%, narrowed for a round n to the values that round to it (n +- half
  a unit of its last non-zero digit: "about 800,000" is [750,000,
  850,000), so it disagrees with "roughly 700,000"; see
  :func:`approximate_interval`); "nearly", "almost", "close to", "just
  under": [0.9 n, n];
- "more than", "over", "at least", "upwards of": [n, inf) with a soft upper
  bound of ``soft_factor`` x n; "fewer than", "less than", "under", "at
  most": [0, n]; "up to", "as many as": [n / soft_factor (soft), n];
- "dozens" [24, 99], "hundreds" [200, 999], "thousands" [2000, 9999], "tens of
  thousands" [20000, 99999], "hundreds of thousands", "millions", ... likewise;
  "several hundred" [300, 900], "a few thousand" [2000, 5000];
- "300 to 400", "two or three", "between 20 and 30": [300, 400] and so
  on (not "from 7 to 9": a change);
- two values are compatible when their effective intervals overlap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from tidings.analyze.model import Interval, Quantity

SOFT_FACTOR = 1.5

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12, "a dozen": 12,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SUFFIX_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12}
_VAGUE = {
    "dozens": (24, 99), "scores": (40, 99), "hundreds": (200, 999), "thousands": (2000, 9999),
    "tens of thousands": (20_000, 99_999), "hundreds of thousands": (200_000, 999_999),
    "millions": (2e6, 999_999_999), "tens of millions": (2e7, 99_999_999),
    "hundreds of millions": (2e8, 999_999_999), "billions": (2e9, 999e9),
}  # fmt: skip
_MODIFIERS = {
    "about": "approx", "around": "approx", "roughly": "approx", "approximately": "approx", "some": "approx",
    "an estimated": "approx", "estimated": "approx", "almost": "below", "nearly": "below", "close to": "below",
    "just under": "below", "more than": "above", "over": "above", "at least": "above", "upwards of": "above",
    "just over": "above", "well over": "above", "in excess of": "above", "fewer than": "under",
    "less than": "under", "under": "under", "at most": "under", "no more than": "under", "up to": "upto",
    "as many as": "upto", "as much as": "upto",
}  # fmt: skip
_CURRENCY_SYMBOLS = {"$": "USD", "US$": "USD", "£": "GBP", "€": "EUR", "¥": "JPY"}
_CURRENCY_WORDS = {
    "dollars": "USD", "dollar": "USD", "us dollars": "USD", "u.s. dollars": "USD", "pounds": "GBP",
    "euros": "EUR", "euro": "EUR", "yuan": "CNY", "rupees": "INR", "yen": "JPY", "rubles": "RUB", "roubles": "RUB",
}  # fmt: skip
_LENGTH = {"miles": 1609.344, "mile": 1609.344, "kilometers": 1000.0, "kilometres": 1000.0, "km": 1000.0,
           "meters": 1.0, "metres": 1.0, "meter": 1.0, "metre": 1.0, "m": 1.0, "feet": 0.3048, "foot": 0.3048,
           "ft": 0.3048, "inches": 0.0254, "inch": 0.0254, "yards": 0.9144, "yard": 0.9144, "centimeters": 0.01,
           "centimetres": 0.01, "cm": 0.01, "millimeters": 0.001, "millimetres": 0.001, "mm": 0.001}  # fmt: skip
#: weights in kilograms; "pounds" is a weight only where the sentence weighs something (else it is sterling)
_WEIGHT = {"kilograms": 1.0, "kilogram": 1.0, "kg": 1.0, "kilos": 1.0, "grams": 0.001, "gram": 0.001,
           "tonnes": 1000.0, "tonne": 1000.0, "lbs": 0.45359, "lb": 0.45359, "ounces": 0.02835, "ounce": 0.02835,
           "oz": 0.02835, "pound": 0.45359}  # fmt: skip
_WEIGHT_CONTEXT = re.compile(r"\b(?:weigh\w*|heav\w*|lost|lose|gained|pounds? of|overweight)\b", re.IGNORECASE)
_PERCENT = {"%", "percent", "per cent", "pc"}

_MOD_RX = "|".join(sorted((re.escape(m) for m in _MODIFIERS), key=len, reverse=True))
_WORD_NUM = "|".join(sorted((re.escape(w) for w in _UNITS), key=len, reverse=True))
_VAGUE_RX = "|".join(sorted((re.escape(v) for v in _VAGUE), key=len, reverse=True))
_CUR_WORD_RX = "|".join(sorted((re.escape(w) for w in _CURRENCY_WORDS), key=len, reverse=True))
_LEN_RX = "|".join(sorted((re.escape(w) for w in _LENGTH), key=len, reverse=True))
_WEIGHT_RX = "|".join(sorted((re.escape(w) for w in _WEIGHT), key=len, reverse=True))

_NUMBER = re.compile(
    rf"""
    (?<![\w.$£€¥/:-])
    (?:(?P<mod>{_MOD_RX})\s+)?
    (?:
      (?P<vague>(?:several|a\ few)\s+(?:hundred|thousand|million)|{_VAGUE_RX})(?:\s+of)?
    |
      (?P<cur>US\$|\$|£|€|¥)?\s?
      (?:
        (?P<digits>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)
        (?:\s?(?P<suffix>k|m|mn|bn|tn)\b)?
      | (?P<words>(?:{_WORD_NUM})(?:[\s-](?:{_WORD_NUM}))*
          (?:\s+hundred(?:(?:\s+and)?\s+(?:{_WORD_NUM})(?:[\s-](?:{_WORD_NUM}))*)?(?=[\s,.;:!?)]|$))?)
      )
      (?:\s+(?P<scale>hundred|thousand|million|billion|trillion)s?\b)?
      (?:\s*(?P<pct>%|percent\b|per\ cent\b)
       |\s+(?P<curword>{_CUR_WORD_RX})\b
       |\s?-?(?P<length>{_LEN_RX})\b
       |\s?-?(?P<weight>{_WEIGHT_RX})\b)?
    )
    (?![\w-]*\d)
    """,
    re.IGNORECASE | re.VERBOSE,
)
_YEARISH = re.compile(r"(?:1[5-9]|20)\d\d")
_NOT_A_COUNT_BEFORE = re.compile(
    r"(?:\b(?:in|since|by|until|from|during|of|early|late|mid|year|magnitude|No|number|Nos?|age|aged|"
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?|[-–/:#]|\d)\s*$",
    re.IGNORECASE,
)
_NOT_A_COUNT_AFTER = re.compile(
    r"^(?:\s*(?:-|–)\s*\d|[:.]\d|\s*(?:a\.m\.|p\.m\.|am\b|pm\b|GMT|BST|ET\b|PT\b|CT\b|local time)|-year|-month|-day|"
    r"-week|-hour|-minute|-foot|-metre|-meter|th\b|st\b|nd\b|rd\b|s\b|'s\b)",
    re.IGNORECASE,
)


_MONTH_AFTER = re.compile(
    r"^\s+(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|"
    r"Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b"
)
#: capitalised words that precede a number as a name, not as a modifier of a count ("Flight 214", "Route 66")
_NOT_DESIGNATORS = frozenset(
    re.findall(
        r"\w+",
        "some about around roughly approximately nearly almost over more fewer less under just only at least up to "
        "the a an and or of in on at to for by with from",
    )
)


def _identifier(before: str, after: str, digits: bool) -> bool:
    """A number that names rather than counts: "Flight 214 pilots", "Interstate 35", a footnote "times.”5", "[46]",
    "5G", "4chan", a date "8 March"."""
    if digits and re.search(r"(?:[.”’)\]]|\S[\"'])$", before[-2:]):
        return True  # glued to the end of a sentence or a closing quote: a footnote marker (not an opening quote)
    if before.endswith("[") and after.startswith("]"):
        return True
    if re.match(r"[A-Za-z]", after) or _MONTH_AFTER.match(after):
        return True
    name = re.search(r"(?:^|[^.!?:“\"\s])\s+([A-Z][A-Za-z]+)[ \t]+$", before)
    return bool(name) and name.group(1).lower() not in _NOT_DESIGNATORS


_VAGUE_MONEY = re.compile(rf"^\s*(?:of\s+)?({_CUR_WORD_RX})\b", re.IGNORECASE)
_AGE_APPOSITIVE = re.compile(r"[A-Z][\w'’.-]+,\s*$")


@dataclass(frozen=True, slots=True)
class _Parsed:
    value: float | None
    interval: Interval
    dimension: str
    approximate: bool


def _words_value(words: str) -> float | None:
    total = 0.0
    for part in re.split(r"[\s-]+", words.lower()):
        if part in ("a", "and"):
            continue
        if part == "hundred":  # "two hundred and twenty": what came before, a hundred times
            total *= 100
            continue
        value = _UNITS.get(part)
        if value is None:
            return None
        total += value
    return total or None


def _is_round(value: float) -> bool:
    return value >= 100 and value == int(value) and int(value) % 100 == 0


def exact_interval(value: float) -> Interval:
    """A bare number: exact, or +-5% when written round (two or more trailing zeros).

    >>> exact_interval(29000).overlaps(exact_interval(29060))
    True
    >>> exact_interval(12).overlaps(exact_interval(13))
    False
    """
    if _is_round(value):
        return Interval(value * 0.95, value * 1.05)
    return Interval(value, value)


def approximate_interval(value: float) -> Interval:
    """About N: +-10%, but no wider than the rounding a round N already says.

    Why: a writer who rounds to "about 800,000" has told us the precision
    (the last non-zero digit, here hundreds of thousands), and a reader
    takes "approximately 800,000" and "roughly 700,000" as two different
    figures although +-10% would let them overlap. So for a number ending
    in zeros the interval is the values that round to it, ``N +- half a
    unit of its last non-zero digit`` (half-open: 750,000 rounds to
    800,000, not to 700,000), capped at +-10% so that "about 100" is not
    [50, 150]. Numbers without trailing zeros ("about 12", "about 125")
    carry no rounding, so "about" alone sets the width: +-10%.

    >>> approximate_interval(800_000).overlaps(approximate_interval(700_000))
    False
    >>> approximate_interval(800_000)
    Interval(low=750000.0, high=850000.0, soft_low=None, soft_high=None, open_high=True)
    >>> approximate_interval(1_000).effective
    (900.0, 1100.0)
    """
    tolerance = value * 0.1
    whole = round(value)  # "2.3 billion" is 2299999999.9999995 in floating point
    if value >= 10 and abs(value - whole) <= 1e-9 * value and whole % 10 == 0:
        digits = str(whole)
        unit = 10 ** (len(digits) - len(digits.rstrip("0")))
        if unit / 2 < tolerance:  # the values that round to N: [N - u/2, N + u/2)
            return Interval(value - unit / 2, value + unit / 2, open_high=True)
    return Interval(value - tolerance, value + tolerance)


def modified_interval(value: float, kind: str | None, soft_factor: float = SOFT_FACTOR) -> Interval:
    """The interval of ``value`` under a modifier kind (approx, below, above, under, upto)."""
    if kind == "approx":
        return approximate_interval(value)
    if kind == "below":
        return Interval(value * 0.9, value)
    if kind == "above":
        return Interval(value, float("inf"), soft_high=value * soft_factor)
    if kind == "under":
        return Interval(0.0, value)
    if kind == "upto":
        return Interval(0.0, value, soft_low=value / soft_factor)
    return exact_interval(value)


def _parse(match: re.Match[str], soft_factor: float) -> _Parsed | None:
    mod = (match.group("mod") or "").lower() or None
    kind = _MODIFIERS.get(mod) if mod else None
    if vague := match.group("vague"):
        key = re.sub(r"\s+of$", "", vague.lower())
        if key.startswith(("several", "a few")):
            scale = _SCALES[key.split()[-1]]
            low, high = (3, 9) if key.startswith("several") else (2, 5)
            interval = Interval(low * scale, high * scale)
        else:
            low, high = _VAGUE[key]
            interval = Interval(float(low), float(high))
        if kind == "above":  # "more than tens of thousands": the lower bound stays, the top opens up
            interval = Interval(interval.low, float("inf"), soft_high=interval.high)
        return _Parsed(None, interval, "count", True)
    if match.group("digits"):
        value = float(match.group("digits").replace(",", ""))
    else:
        value = _words_value(match.group("words") or "")
        if value is None:
            return None
    if match.group("suffix"):
        value *= _SUFFIX_SCALES[match.group("suffix").lower()]
    if match.group("scale"):
        value *= _SCALES[match.group("scale").lower()]
    dimension, factor = "count", 1.0
    currency = match.group("cur") or ""
    if currency:
        dimension = f"money:{_CURRENCY_SYMBOLS[currency.upper()]}"
    elif match.group("curword"):
        dimension = f"money:{_CURRENCY_WORDS[match.group('curword').lower()]}"
    elif match.group("pct"):
        dimension = "percent"
    elif match.group("length"):
        dimension, factor = "length", _LENGTH[match.group("length").lower()]
    elif match.group("weight"):
        dimension, factor = "weight", _WEIGHT[match.group("weight").lower()]
    interval = modified_interval(value, kind, soft_factor)
    if factor != 1.0:  # roundness is judged on the number as written, then converted to metres
        interval = interval.scaled(factor)
    return _Parsed(value * factor, interval, dimension, kind is not None)


def find_quantities(text: str, offset: int = 0, soft_factor: float = SOFT_FACTOR) -> list[Quantity]:
    """Every quantity phrase in ``text`` (spans shifted by ``offset``), skipping years, times, ages, ranks.

    >>> [(q.text, q.interval.low, q.dimension) for q in find_quantities("Trade is worth about $100 million.")]
    [('about $100 million', 90000000.0, 'money:USD')]
    >>> [q.text for q in find_quantities("In 2017, 3 people were killed at 2:30 p.m.")]
    ['3']
    """
    out: list[Quantity] = []
    for match in _NUMBER.finditer(text):
        surface = re.sub(r"\s+of$", "", match.group(0).strip(), flags=re.IGNORECASE)
        if not surface or not re.search(r"\d|[a-z]", surface, re.IGNORECASE):
            continue
        before, after = text[: match.start()], text[match.end() :]
        digits = match.group("digits")
        plain = not (
            match.group("cur") or match.group("pct") or match.group("curword") or match.group("scale")
            or match.group("length") or match.group("weight")
        )  # fmt: skip
        if _identifier(before, after, bool(digits)):
            continue
        if digits and plain:
            if _YEARISH.fullmatch(digits) and not match.group("mod"):
                continue
            if _NOT_A_COUNT_BEFORE.search(before[-14:]) and not match.group("mod"):
                continue
            if _NOT_A_COUNT_AFTER.match(after):
                continue
            if "." in digits and not match.group("mod") and not match.group("suffix"):
                continue  # 7.1 magnitude, 5.0.1 versions: not counts
            if _AGE_APPOSITIVE.search(before[-40:]) and after.startswith(",") and len(digits) <= 3:
                continue  # "Kevin Johnson, 25, was arrested": an age
        if match.group("words") and plain and _NOT_A_COUNT_AFTER.match(after):
            continue
        if match.group("words") and match.group("words").lower() in ("one",) and plain and not match.group("mod"):
            continue  # "one of", "one person": more often a pronoun than a count
        parsed = _parse(match, soft_factor)
        if parsed is None:
            continue
        dimension = parsed.dimension
        interval = parsed.interval
        if match.group("vague") and (money := _VAGUE_MONEY.match(after)):  # "millions of dollars" is money
            dimension = f"money:{_CURRENCY_WORDS[money.group(1).lower()]}"
        curword = (match.group("curword") or "").lower()
        if curword in ("pounds", "pound") and _WEIGHT_CONTEXT.search(text):  # "weighs 17 pounds": not sterling
            f = 0.45359
            dimension = "weight"
            interval = interval.scaled(f)
        start = match.start() + (len(match.group(0)) - len(match.group(0).lstrip()))
        out.append(
            Quantity(
                text=surface,
                start=offset + start,
                end=offset + start + len(surface),
                interval=interval,
                dimension=dimension,
                approximate=parsed.approximate,
            )
        )
    return _ranges(out, text, offset)


_RANGE_GAP = re.compile(r"\s*(?:to|or|–|and)\s*", re.IGNORECASE)


def _ranges(found: list[Quantity], text: str, offset: int) -> list[Quantity]:
    """Join "300 to 400", "two or three", "between 20 and 30" into one quantity with both ends.

    Read apart, "at least 300 to 400 people" would be a claim of exactly 400, and "33 to 38 percent" a claim
    of 38 percent (a bare number before a percentage takes its unit). Not "from 7 to 9" (a change,
    "the toll rose from 7 to 9"), not a falling pair ("52 to 48" is a tally), not ends a hundredfold apart
    ("$300 to $400 million" leaves its first scale unsaid), and "and" only after "between".
    """
    out: list[Quantity] = []
    for q in found:
        prev = out[-1] if out else None
        if prev is not None and prev.dimension == "count" and q.dimension == "percent" and not prev.approximate:
            prev = replace(prev, dimension="percent")  # "33 to 38 percent": the unit is said once, at the end
        if prev is not None and prev.dimension == q.dimension:
            gap = text[prev.end - offset : q.start - offset]
            lead = text[max(0, prev.start - offset - 9) : prev.start - offset].lower()
            between = lead.rstrip().endswith("between")
            if (
                _RANGE_GAP.fullmatch(gap)
                and ("and" not in gap.lower() or between)
                and not lead.rstrip().endswith("from")
                and prev.interval.low < q.interval.low
                and q.interval.high <= 100 * max(prev.interval.high, 1.0)
            ):
                out[-1] = Quantity(
                    text=text[prev.start - offset : q.end - offset],
                    start=prev.start,
                    end=q.end,
                    interval=Interval(prev.interval.low, q.interval.high, prev.interval.soft_low, q.interval.soft_high),
                    dimension=q.dimension,
                    approximate=True,
                )
                continue
        out.append(q)
    return out


def parse_quantity(text: str, soft_factor: float = SOFT_FACTOR) -> Quantity | None:
    """The first quantity in a short phrase, or ``None``.

    >>> parse_quantity("tens of thousands").interval
    Interval(low=20000.0, high=99999.0, soft_low=None, soft_high=None, open_high=False)
    >>> parse_quantity("more than 10,000").interval.soft_high
    15000.0
    """
    found = find_quantities(text, soft_factor=soft_factor)
    return found[0] if found else None


def compatible(a: Quantity, b: Quantity) -> bool:
    """Whether two values can both be true: same dimension and overlapping intervals.

    >>> compatible(parse_quantity("about 100 million dollars"), parse_quantity("$100m"))
    True
    >>> compatible(parse_quantity("some 8,000"), parse_quantity("more than 10,000"))
    False
    """
    return a.dimension == b.dimension and a.interval.overlaps(b.interval)
