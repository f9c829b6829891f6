"""Claims with quantities, aligned across sources by what they say: disagreements, changes, agreements.

A claim is a quantity in a sentence plus what it measures: the counted noun
after it ("8,000 North Korean migrant labourers" -> worker, "a five-page
note" -> page), the news outcome it counts (:data:`EVENTS`: killed,
injured, missing, arrested, evacuated...), its scope words ("federal",
"critically"), whether it is part of a total ("nine of the ten", "of
those, 20"), an increment ("65 more") or per unit ("$50,000 each", never a
claim), the event, places and weekdays its clause names, when it happened
(dates, years, "last month"), and the clause around it with every figure
masked; ages are claims about a named person.

Two claims from different sources are compared only when nothing keeps them
apart (:func:`apart`: another place, day, scope, part, outcome...) and their
clauses say the same thing (:class:`Meaning`: cosine of the masked clauses
embedded with :func:`tidings.embed.encode`, at least the bar, and each the
other's closest reading). Compared claims whose values cannot both be true
are a disagreement (:func:`align`), unless a source also gives a figure
compatible with the other's, or the text or the publication times say that
one count came later ("the toll has risen to 23"): that is a change over
time, earlier figure first. Below the bar nothing is shown. A disagreement
lists only values compared directly (pairs, not chains of look-alikes);
every value is reported with its sources and attributions.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta

from tidings.analyze.entities import name_key
from tidings.analyze.model import Claim, ClaimGroup, ClaimValue, DateMention, Interval, Quantity
from tidings.analyze.nlp import TITLES
from tidings.analyze.quantities import find_quantities
from tidings.calendar import CALENDAR_WORDS, WEEKDAYS
from tidings.dedup import DedupResult, content_tokens
from tidings.model import Citation, Sentence


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: The outcomes news counts again and again, each with the words that name it, so that "at least nine
#: people were killed", "nine dead" and "the death toll climbed to 15" are one measure and "two injured
#: sailors were evacuated" is not the count of the injured. Small on purpose: a word is listed only when,
#: in the clause of a count, it names that outcome and nothing else ("held" is also "held a rally", "shot"
#: is killed or hurt, so neither is here; nor "hospitalised": only some of the injured are). "fatally/mortally
#: wounded" is counted as dead (see ``_event``).
EVENTS: Mapping[str, frozenset[str]] = {
    "dead": _words(
        "killed kill kills killing dead died die dies death deaths fatality fatalities toll lives perished drowned"
    ),
    "injured": _words("injured injuring injure injures injury injuries wound wounded wounding hurt"),
    "missing": _words("missing unaccounted"),
    "arrested": _words("arrested arrest arrests arresting detained detain detaining detention custody apprehended"),
    "evacuated": _words("evacuated evacuate evacuating evacuation evacuations evacuees"),
    "rescued": _words("rescued rescue rescuing"),
    "displaced": _words("displaced homeless"),
    "charged": _words("charged indicted"),
}
_EVENT_OF = {word: family for family, words in EVENTS.items() for word in words}
#: outcomes that happen to people: a bare number in their clause ("20 were missing", "killed 22") counts people
_HUMAN_EVENTS = frozenset({"dead", "injured", "missing", "arrested", "rescued", "displaced", "charged"})
_FATAL = frozenset({"fatally", "mortally"})

#: counted nouns that name the same thing (singular forms; plurals are folded by ``_norm``): the words outlets
#: choose by house style for one group ("labourers"/"workers"/"employees", "immigrants"/"migrants"/"aliens")
_SYNONYMS = {
    "labourer": "worker", "laborer": "worker", "employee": "worker", "employed": "work", "working": "work",
    "employ": "work", "person": "people", "individual": "people", "resident": "people", "other": "people",
    "home": "house", "kid": "child", "children": "child", "men": "man", "women": "woman", "migrant": "immigrant",
    "alien": "immigrant", "car": "vehicle", "automobile": "vehicle", "pupil": "student", "youngster": "child",
    "residence": "house", "dwelling": "house", "aircraft": "plane", "airplane": "plane", "jet": "plane",
    "airliner": "plane", "vessel": "ship", "boat": "ship", "firearm": "gun", "troop": "soldier",
    "serviceman": "soldier", "servicemen": "soldier", "shop": "store", "outlet": "store",
}  # fmt: skip
_TIME_HEADS = {
    "year", "month", "week", "day", "hour", "minute", "second", "time", "times", "decade", "century", "old", "am",
    "pm", "inch", "point", "percent", "goal", "seat", "vote", "ton", "tons", "foot", "feet", "mile", "block",
}  # fmt: skip
_STOP_HEAD = re.compile(
    r"^(?:in|on|at|to|of|for|by|from|with|and|or|but|that|who|whose|which|were|was|are|is|have|has|had|be|been|still|"
    r"also|more|than|as|the|a|an|its|their|his|her|said|says|including|inside|across|during|after|before|when|"
    r"where|while|because|if|since|until|adjacent|nearby|near|close|involved|affected|aboard|nationwide|worldwide|"
    r"overall|total|altogether|each|apiece|alone|combined|already|now|then|so|too|there|here|"
    # irregular past tenses (regular ones end in -ed): "700,000 households lost power" counts households
    r"lost|left|fled|fell|rose|took|made|went|came|gave|found|got|told|won|ran|saw|became|began|brought|built|"
    r"bought|caught|chose|drove|fought|kept|knew|led|met|paid|sent|spent|stood|struck|swept|thought|threw|wrote)$",
    re.IGNORECASE,
)
#: "125 miles northwest of Las Vegas": a direction (lower case: "North Korean" is a name) ends the phrase
_DIRECTION = re.compile(
    r"^(?:north|south|east|west|northeast|northwest|southeast|southwest|away|outside|off|offshore|inland|upstream|"
    r"downstream)$"
)
_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d[\d,.]*|[,;:()—–.!?“”\"]")
#: words that end the clause of a count when reading away from it: its outcome word is not past them
_CLAUSE_BREAK = frozenset(
    {"and", "but", "while", "whereas", "although", "though", "when", "because", "after", "before", "as", "since"}
)
_WINDOW = 6  # words read each way for a count's outcome word
_PARTICIPLE = re.compile(r"^(?!including$)[a-z]+ing$")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
#: an earlier, other event or a long period: a figure in such a clause is background, not the story's own count
_BACKGROUND = re.compile(
    r"\b(?:last|past|previous|prior)\s+(?:year|month|decade|summer|winter|spring|autumn|fall)\b"
    r"|\bearlier\s+this\s+(?:year|month)\b|\b(?:a|one|two|three|four|five|several|many|\d+)\s+(?:years?|months?|"
    r"decades?)\s+ago\b|\bsince\s+(?:19|20)\d\d\b|\bso\s+far\s+this\s+year\b|\bin\s+recent\s+(?:years|months)\b"
    r"|\b(?:previous|prior|earlier|similar)\s+(?:attacks?|incidents?|accidents?|disasters?|crash(?:es)?)\b"
    # a running total over a long period is not one event's count
    r"|\b(?:year|month|decade)s?-long\b|\bsince\s+the\s+(?:start|beginning|outbreak)\b",
    re.IGNORECASE,
)
_SAME_EVENT_DAYS = 7
_TIME_AFTER = 10  # words after a figure that its time phrases may sit in
_PROJECTION = re.compile(
    r"\b(?:by (?:19|20)\d\d|target|goal|wants? to|plans? to|aims? to|hopes? to|fold|projected|forecast|expected to|"
    r"could reach|as possible)\w*|\bto (?:boost|increase|raise|reach|cut|reduce)\b",
    re.IGNORECASE,
)
_PARTITIVE_REFERENCE = re.compile(r"^\s*(?:out\s+)?of\s+(?:those|them|these|whom|which)\b", re.IGNORECASE)
_WORD_NUMBERS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen"
)
_WORD_VALUES = {w: i + 1 for i, w in enumerate(_WORD_NUMBERS.split("|")[:20])}
_PART_BEFORE = re.compile(
    rf"\b(?:\d[\d,.]*|{_WORD_NUMBERS})\s+(?:out\s+)?of\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+)?$",
    re.IGNORECASE,
)
#: "nine of the ten turbines", "nine of the passengers": the figure counts part of a whole
_PART_AFTER = re.compile(
    rf"^\s*(?:out\s+)?of\s+(?:(?:the\s+|its\s+|their\s+|his\s+|her\s+)?(?:\d[\d,.]*|{_WORD_NUMBERS})\b|"
    r"(?:the|its|their|his|her)\s+[a-z])",
    re.IGNORECASE,
)
#: "of that, plants make up 450", "among them 20 children", "including two officers": a part of a total said before
_PART_MARKER = re.compile(
    r"\b(?:of\s+(?:that|those|them|these|which|whom|this)|among\s+(?:them|those|these|the\s+dead|the\s+victims)|"
    r"including|includ(?:es|ed)|of\s+the\s+total)\b[^.;:]{0,40}$",
    re.IGNORECASE,
)
#: "four payments of $50,000 each", "each will receive $1.84 million", "$3 a head": a per-unit figure, not a total
_EACH_AFTER = re.compile(r"^[^.;:,]{0,30}?\b(?:each|apiece|a\s+piece|per\s+(?:person|head|capita))\b", re.IGNORECASE)
_EACH_BEFORE = re.compile(
    r"\b(?:each|every|per)\s+(?:[a-z]+\s+){0,2}(?:will|would|could|gets?|got|receives?|received|"
    r"pays?|paid|earns?|earned|is|was|has|had)\b[^.;:]{0,40}$",
    re.IGNORECASE,
)
#: the figure is a later value of a count that changes: "the toll has risen to 23", "now stands at 40"
_RISE = re.compile(
    r"\b(?:ris(?:e|es|en|ing)|rose|climb(?:s|ed|ing)?|increas(?:e|es|ed|ing)|jump(?:s|ed)?|gr[eo]w(?:n|s)?|"
    r"soar(?:s|ed)?|mount(?:s|ed)?|swell(?:s|ed)?|swollen|revised|updated|raised|went\s+up|stands?\s+at|"
    r"has\s+reached|reached)\b(?:\s+\w+){0,3}\s+(?:to|at)?\s*$",
    re.IGNORECASE,
)
#: words that set what part of a count a figure is: "federal charges", "critically injured", "confirmed cases"
_SCOPE = {
    "federal": "federal", "state": "state", "local": "local", "county": "county", "national": "national",
    "international": "international", "domestic": "domestic", "foreign": "foreign", "critical": "critical",
    "critically": "critical", "serious": "critical", "seriously": "critical", "severe": "critical",
    "severely": "critical", "gravely": "critical", "minor": "minor", "slightly": "minor", "confirmed": "confirmed",
    "suspected": "suspected", "probable": "suspected", "possible": "suspected", "civilian": "civilian",
    "civilians": "civilian", "military": "military", "male": "male", "female": "female", "adult": "adult",
    "juvenile": "juvenile", "fatal": "fatal", "nonfatal": "nonfatal", "felony": "felony",
    "misdemeanor": "misdemeanor", "registered": "registered", "active": "active", "former": "former",
    "paralympic": "paralympic", "olympic": "olympic", "primary": "primary", "general": "general",
    "daily": "daily", "weekly": "weekly", "monthly": "monthly", "annual": "annual", "initially": "initial",
    "initial": "initial",
}  # fmt: skip
#: what happened, for a toll: figures of a tsunami and of a landslide in one story are different events
_EVENT_NOUNS = {
    "earthquake": "quake", "quake": "quake", "tremor": "quake", "tsunami": "tsunami", "landslide": "landslide",
    "mudslide": "landslide", "flood": "flood", "flooding": "flood", "floods": "flood", "storm": "storm",
    "hurricane": "storm", "typhoon": "storm", "cyclone": "storm", "tornado": "tornado", "fire": "fire",
    "blaze": "fire", "wildfire": "fire", "explosion": "explosion", "blast": "explosion", "bombing": "explosion",
    "bomb": "explosion", "shooting": "shooting", "gunfire": "shooting", "crash": "crash", "collision": "crash",
    "derailment": "crash", "eruption": "eruption", "stampede": "stampede", "collapse": "collapse",
    "riot": "riot", "riots": "riot", "protest": "protest", "protests": "protest", "clashes": "clash",
    "clash": "clash", "raid": "raid", "airstrike": "airstrike",
    "airstrikes": "airstrike", "strike": "airstrike", "outbreak": "outbreak", "epidemic": "outbreak",
    "heatwave": "heat", "avalanche": "avalanche", "capsizing": "sinking", "sinking": "sinking",
    "capsize": "sinking", "capsized": "sinking", "shipwreck": "sinking",
}  # fmt: skip
_AGE = re.compile(
    rf"\b(?P<n>\d{{1,3}}|(?:{_WORD_NUMBERS})(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)-year-old\b",
    re.IGNORECASE,
)
_AGE_APPOSITION = re.compile(r"(?P<name>(?:[A-Z][\w’'.-]+\s+){0,3}[A-Z][\w’'-]+),\s+(?P<n>\d{1,3}),")
_NAME_PATTERN = r"(?P<name>(?:[A-Z][\w’'.-]+\s+){0,3}[A-Z][\w’'-]+)"
#: "Kroll was 34.", "He was 35.", "Smith is 61 years old;": an age said of a name or a pronoun, with nothing after
#: it ("was 19 when he enlisted" is an age at another time)
_AGE_WAS = re.compile(
    rf"(?:\b(?P<pronoun>[Hh]e|[Ss]he)|{_NAME_PATTERN})\s+(?:was|is)\s+(?P<n>\d{{1,3}})(?:\s+years?\s+old)?\s*(?:[.;]|$)"
)
#: "Balin, aged 76,", "who died on Sunday aged 82", "died Thursday at the age of 76"
_AGED = re.compile(r"\b(?:aged|at\s+(?:the\s+)?age\s+(?:of\s+)?)(?P<n>\d{1,3})\b(?!\s*(?:-|to|and|or|%|percent))")
_RATE_UNITS = {
    "day": "day", "night": "day", "week": "week", "month": "month", "year": "year", "hour": "hour",
    "minute": "minute", "person": "person", "head": "person", "capita": "person", "household": "household",
    "barrel": "barrel", "share": "share", "ton": "ton", "tonne": "ton", "gallon": "gallon", "litre": "litre",
    "liter": "litre", "kilogram": "kilogram", "piece": "piece", "daily": "day", "weekly": "week",
    "monthly": "month", "annually": "year", "yearly": "year", "annual": "year",
}  # fmt: skip
_RATE = re.compile(
    r"^[^.;:()—–]{0,24}?(?:\b(?:a|an|per|each|every)\s+|/\s*)(?P<unit>[a-z]+)|^\s*(?P<adverb>daily|weekly|monthly|"
    r"annually|yearly)\b",
    re.IGNORECASE,
)
_LIST_GAP = 3  # words: a run of three or more same-kind figures this close is a list (a table, a breakdown)
_INCLUDING_ATTACKERS = re.compile(
    rf"^[^.;:]{{0,60}}?\bincluding\s+(?:the\s+)?(?:(?P<n>\d+|{_WORD_NUMBERS})\s+)?(?:suspected\s+)?"
    r"(?:gunm[ae]n|attackers?|assailants?|shooters?|bombers?|perpetrators?|hijackers?|terrorists?)\b",
    re.IGNORECASE,
)
_ACCORDING = re.compile(r"according to ([^,.;:“\"]{2,80})", re.IGNORECASE)
_SAID = re.compile(r",\s*((?:the\s+)?[A-Z][^,.;:“\"]{1,60}?)\s+(?:said|says|reported|estimated|announced)\b")


#: adjectives of extent after a counted unit ("eight pages long", "40 storeys tall"): the unit is the noun
_EXTENT = _words("long tall wide deep high thick")


def _norm(word: str) -> str:
    """A word's comparable form: lower case, singular, counted-noun synonyms and outcome families folded."""
    word = word.lower().strip("’'")
    if word in _SYNONYMS:
        return _SYNONYMS[word]
    if word in _EVENT_OF:
        return _EVENT_OF[word]
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return _SYNONYMS.get(word, _EVENT_OF.get(word, word))


def _measure(sentence: str, q_start: int, q_end: int) -> tuple[str, str | None] | None:
    """The noun phrase after a quantity and its head ("North Korean migrant labourers", "worker").

    ``None`` for a partitive reference ("six of those arrested", "two of them"): the figure counts part of
    a set named elsewhere, and what that part is ("...are Klan supporters") is not next to it.
    """
    after = sentence[q_end:]
    if _PARTITIVE_REFERENCE.match(after):
        return None
    compound = re.match(r"^-([a-z]+)\b\s*((?:[A-Za-z][\w’'-]*\s*){0,2})", after)
    if compound and _norm(compound.group(1)) not in _TIME_HEADS:  # "a five-page note", "a 30-car pileup"
        rest = compound.group(2).split()
        kept = [w for w in rest if not _STOP_HEAD.match(w) and w.isalpha()][:1]
        return " ".join([compound.group(1), *kept]), _norm(compound.group(1))
    after = re.sub(
        rf"^\s*(?:out\s+)?of\s+(?:(?:the|its|their|his|her)\s+)?(?:(?:{_WORD_NUMBERS}|\d[\d,.]*)\s+)?",
        " ",
        after,
        flags=re.IGNORECASE,
    )
    words = re.findall(r"(?:[A-Z]\.){2,}|[A-Za-z][\w’'-]*|[,.;:()—–]", after)[:6]  # "U.S. forces": one word
    phrase: list[str] = []
    for w in words:
        if not w[0].isalpha() or _STOP_HEAD.match(w) or _DIRECTION.match(w) or w.lower() in CALENDAR_WORDS:
            break
        if phrase and (w.endswith("ing") or (w.endswith("ed") and _EVENT_OF.get(w.lower()) != "injured")):
            break
        if phrase and w.lower() in _EVENT_OF:  # "six teachers dead", "34 others missing": said of the noun
            break
        if phrase and w.islower() and w.endswith("ly") and len(w) > 4:  # "two ads randomly assigned": an adverb
            break
        phrase.append(w)
        if len(phrase) == 4:
            break
    while phrase and phrase[-1].lower() in ("other", "others", "more"):
        phrase.pop()
    if len(phrase) > 1 and phrase[-1].lower() in _EXTENT:  # "eight pages long": pages are what is counted
        phrase.pop()
    if not phrase:
        return "", None
    joined = re.match(rf"^\W*{re.escape(' '.join(phrase))}\s+and\s+([a-z][\w-]*)\b(?!\s+\d)", after.lstrip())
    if joined and not _STOP_HEAD.match(joined.group(1)):
        # "239 passengers and crew": one count of two groups, never the count of either
        return f"{' '.join(phrase)} and {joined.group(1)}", f"{_norm(phrase[-1])}+{_norm(joined.group(1))}"
    return " ".join(phrase), _norm(phrase[-1])


def _qualifier(measure: str) -> frozenset[str]:
    """The capitalised words before the counted noun: whose people or things they are ("U.S.", "North Korean").

    "12,800 U.S. forces" and "10,000 South Korean military personnel" count different groups, while "8,000
    workers" can be the same as "8,000 North Korean workers": only two qualifiers with nothing in common
    tell claims apart (see :func:`same_quantity`).
    """
    words = measure.split()[:-1]
    return frozenset(w.lower().rstrip(".") for w in words if w[:1].isupper())


def _clause(text: str, forward: bool) -> list[str]:
    """Words of ``text`` read away from a quantity, up to the end of its clause (or ``_WINDOW`` words).

    Reading forward, commas do not end the clause ("Eight people, including two children, were injured")
    unless a participle follows ("sickened 87 people, killing nine": the nine are the dead, not the 87);
    reading backward they do ("..., and 12 people were arrested" is not governed by what precedes the comma).
    """
    tokens = _TOKEN.findall(text)
    if not forward:
        tokens.reverse()
    out: list[str] = []
    for n, token in enumerate(tokens):
        low = token.lower()
        if forward and token == "," and n + 1 < len(tokens) and _PARTICIPLE.match(tokens[n + 1]):
            break  # ", killing nine": a participial clause tells another outcome
        if (token == "," and forward) or token[0].isdigit():
            continue
        if not token[0].isalpha() or low in _CLAUSE_BREAK:
            break
        out.append(low)
        if len(out) == _WINDOW:
            break
    return out


def _event(sentence: str, q_start: int, q_end: int) -> str | None:
    """The outcome a count counts (a key of :data:`EVENTS`), or ``None``.

    Looked for, in this order: the word that governs the number ("killed at least nine", "the evacuation of
    about 70", "evacuated two injured sailors" is the count of the evacuated), then the rest of its clause
    after it ("12 people were arrested", "four injured people", "34 others missing"), then before it
    ("Initially arrested were five"). Never across "and", "but", "when"...: in "the collapse of three
    houses and the evacuation of about 70 homes" the three houses were not evacuated.
    """
    before = _clause(sentence[:q_start], forward=False)
    governing = next((w for w in before if w not in ("of", "the", "a", "an", "to", "by")), None)
    found: tuple[str, int, list[str]] | None = None
    if governing is not None and governing in _EVENT_OF:
        found = (governing, before.index(governing), before)
    else:
        for words in (_clause(sentence[q_end:], forward=True), before):
            hit = next((i for i, w in enumerate(words) if w in _EVENT_OF), None)
            if hit is not None:
                found = (words[hit], hit, words)
                break
    if found is None:
        return None
    word, at, words = found
    family = _EVENT_OF[word]
    # the word written just before the outcome word (``before`` is read backwards, so it comes after there)
    earlier = at + 1 if words is before else at - 1
    modifier = words[earlier] if 0 <= earlier < len(words) else None
    if family == "injured" and modifier in _FATAL:  # "fatally wounded" is a death
        return "dead"
    return family


_FILLERS = _words(
    "were was are is have has had been being still remain remained remains others more also now later reportedly "
    "feared believed presumed confirmed"
)


def _bare_count(sentence: str, q_start: int, q_end: int) -> bool:
    """Whether a number without a noun is itself the count of an outcome ("20 were missing", "killed 22").

    Only when the outcome word governs it or follows it with nothing but auxiliaries between: in "Lowe, who
    was 40 at the time of his death" the number is an age, though a death is in its clause.
    """
    before = _clause(sentence[:q_start], forward=False)
    governing = next((w for w in before if w not in ("of", "the", "a", "an", "to", "by")), None)
    if governing in _EVENT_OF:
        return True
    after = _clause(sentence[q_end:], forward=True)
    following = next((w for w in after if w not in _FILLERS), None)
    return following in _EVENT_OF


#: where a figure's clause ends: a semicolon, a colon, brackets, a dash, quotation marks, a sentence end inside it
_CLAUSE_EDGE = re.compile(r"[;:!?()\[\]—“”\"]|(?<![A-Z])\.\s+(?=[A-Z“\"‘'])|\s[–-]\s")  # "U.S. troops": no end
_FIGURE = re.compile(r"\d[\d,.]*")
_CLAUSE_WORDS = 12  # words each way: what the claim says
_NEAR_WORDS = 5  # words each way: what the figure itself counts
_NEXT_WORDS = 3  # words each way: the words next to it ("households lost power")
#: "in Aleppo", "at Soldier Field", "across Syria": where a clause says something happened
_PLACE = re.compile(r"\b(?i:in|at|near|across|outside|throughout)\s+(?:the\s+)?((?:[A-Z][\w’'.-]*\s*){1,3})")
_WEEKDAY = re.compile(r"\b(?:" + "|".join(d.capitalize() for d in WEEKDAYS) + r")\b")
#: "65 more were killed", "another 20", "12 new cases": a figure that adds to a count, not the count
_INCREMENT_AFTER = re.compile(r"^\s*(?:more|additional|extra|further|new)\b", re.IGNORECASE)
_INCREMENT_BEFORE = re.compile(r"\b(?:another|an\s+additional|an\s+extra|a\s+further)\s+$", re.IGNORECASE)
#: "from 50% ... to 74%": the first figure is the value before a change the sentence reports
_FROM_TO = re.compile(r"\bfrom\s+$", re.IGNORECASE), re.compile(r"^[^.;:]{0,60}?\bto\s+\S*\d", re.IGNORECASE)
_NOT = re.compile(r"\b(?:not|never)\s+$", re.IGNORECASE)
#: "23% ..., up from 17% in 2009": the figure a change started from
_UP_FROM = re.compile(
    r"\b(?:up|down|rising|falling|risen|fallen|rose|fell|increased|decreased)\s+from\s+$", re.IGNORECASE
)
_CROWDED = 3  # other figures in a clause that make it a list or a table
#: "his two kids", "her six children": a count said of someone, kept apart from one said of someone else
_OWNER = re.compile(r"\b(his|her|their|its|our|my|your)\s+(?:own\s+)?$", re.IGNORECASE)


def _sides(sentence: str, q_start: int, q_end: int) -> tuple[str, str]:
    """The words of a figure's clause before and after it."""
    left, right = sentence[:q_start], sentence[q_end:]
    if edges := list(_CLAUSE_EDGE.finditer(left)):
        left = left[edges[-1].end() :]
    if edge := _CLAUSE_EDGE.search(right):
        right = right[: edge.start()]
    return " ".join(left.split()[-_CLAUSE_WORDS:]), " ".join(right.split()[:_CLAUSE_WORDS])


def _masked(left: str, right: str, words: int) -> str:
    """The clause with every figure taken out: what is said about the number, not the number."""
    return " ".join(_FIGURE.sub(" ", left).split()[-words:] + _FIGURE.sub(" ", right).split()[:words])


def _places(text: str) -> frozenset[str]:
    """The names a clause says something happened in, at or near ("in Aleppo" -> {aleppo})."""
    found = set()
    for match in _PLACE.finditer(text):
        for word in match.group(1).split():
            word = word.strip(".,’'").lower()
            if word and word not in CALENDAR_WORDS:
                found.add(word)
    return frozenset(found)


_ENDPOINT = re.compile(r"^\s*(?:[a-z]+\s+){0,2}?(?:of|from)\s+(?:the\s+)?((?:[\w’'-]+[ \t]*){1,4})")


def _endpoint(after: str) -> frozenset[str]:
    """Where a distance is measured from: "125 miles northwest of Las Vegas" -> {las, vegas}.

    The direction is left out ("north" and "northwest of Las Vegas" measure the same distance), and a
    distance without one ("a 200-metre gorge") has none.
    """
    match = _ENDPOINT.match(after)
    if match is None:
        return frozenset()
    words = []
    for word in match.group(1).split():
        if word.lower() in _CLAUSE_BREAK or word.lower() in ("that", "which", "who", "where"):
            break
        words.append(word)
    return frozenset(_norm(w) for w in content_tokens(" ".join(words)))


def _rate(after: str) -> str | None:
    """The unit of a rate ("$3,100 a day", "5,000 barrels per day", "$40,000 annually"), else ``None``."""
    match = _RATE.match(after)
    if match is None:
        return None
    word = (match.group("unit") or match.group("adverb") or "").lower()
    return _RATE_UNITS.get(word) or _RATE_UNITS.get(word.rstrip("s"))


def _included_attackers(after: str) -> int:
    """How many attackers a toll says it includes ("20 dead, including the three gunmen" -> 3), else 0."""
    match = _INCLUDING_ATTACKERS.match(after)
    if match is None:
        return 0
    n = match.group("n")
    if n is None:
        return 1
    return int(n) if n.isdigit() else _WORD_VALUES.get(n.lower(), 0)


def _modifiers(sentence: str, q_start: int, q_end: int, measure: str) -> frozenset[str]:
    """The scope words of a figure: in its measured phrase, just before it, or just before its outcome word.

    "three federal charges", "five critically injured", "12 confirmed cases" each count part of a larger
    whole; a figure with a scope word is not the same quantity as one without (or with another).
    """
    words = [w.lower() for w in measure.split()[:-1]]
    words += [w.lower() for w in re.findall(r"[A-Za-z]+", sentence[:q_start])[-1:]]
    after = re.findall(r"[A-Za-z]+", sentence[q_end:])[: len(measure.split()) + 3]
    words += [w.lower() for n, w in enumerate(after) if n + 1 < len(after) and after[n + 1].lower() in _EVENT_OF]
    return frozenset(_SCOPE[w] for w in words if w in _SCOPE)


def _anchors(sentence: str) -> frozenset[str]:
    """Countries and US states named in the sentence: figures of a storm in Texas and one in Europe differ.

    Cities are left out: "Jakarta" and "Indonesia" name one landslide, and a gazetteer of containment is more
    than a sentence check needs.
    """
    found = set()
    for match in re.finditer(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?", sentence):
        for part in (match.group(0).lower(), match.group(0).split()[-1].lower()):
            if part in _REGIONS:
                found.add(part)
    return frozenset(found)


def _event_noun(sentence: str, q_start: int, q_end: int) -> str | None:
    """The kind of event a figure's clause names, nearest to the figure ("a tsunami that killed 437")."""
    begin = max(sentence.rfind(p, 0, q_start) for p in (". ", "; "))
    before = re.findall(r"[a-z]+", sentence[begin + 1 : q_start].lower())
    for word in reversed(before):
        if word in _EVENT_NOUNS:
            return _EVENT_NOUNS[word]
    after = re.findall(r"[a-z]+", sentence[q_end:].lower())[:12]
    return next((_EVENT_NOUNS[w] for w in after if w in _EVENT_NOUNS), None)


def _part(q: Quantity, after: str, before: str) -> str:
    """How a figure counts part of a total: "of" ("nine of the ten"), "marked" ("including three"), or "".

    A percentage is a share by nature: "72.4 per cent of the embryos" is the whole's figure.
    """
    if q.dimension == "percent":
        return ""
    if _PART_AFTER.match(after):
        return "of"
    return "marked" if _PART_MARKER.search(before) else ""


def _each(sentence: str, q_start: int, q_end: int) -> bool:
    """Whether a figure is per unit ("$50,000 each", "each will receive $1.84 million")."""
    clause_start = max(sentence.rfind(p, 0, q_start) for p in (". ", "; ", ": "))
    return bool(_EACH_AFTER.match(sentence[q_end:]) or _EACH_BEFORE.search(sentence[clause_start + 1 : q_start]))


def _ages(s: Sentence, previous: Sequence[str] = ()) -> list[tuple[Quantity, tuple[str, ...]]]:
    """Ages stated of a named person: "29-year-old Geraldine Alcorn", "Geraldine Alcorn, 28,", "Kroll was 34.",
    "Marty Balin died Thursday at the age of 76" (the person who opens the sentence), and "He was 35." after a
    sentence that opens with a full name (``previous``: the texts of the sentences before, nearest last)."""
    found = []
    for match in _AGE_WAS.finditer(s.text):
        value = _age_value(match.group("n"))
        if match.group("pronoun"):
            names = _opening_name(previous)
        else:
            names = (
                name_key(match.group("name")) if match.group("name").split()[0].lower() not in _SENTENCE_OPENERS else ()
            )
        if value and 0 < value < 120 and names:
            found.append((_age_quantity(s, match.start("n"), match.end("n"), value), names))
    for match in _AGED.finditer(s.text):
        value = _age_value(match.group("n"))
        names = _opening_name([s.text[: match.start()]])  # the subject: "Marty Balin died … at the age of 76"
        if value and 0 < value < 120 and names:
            found.append((_age_quantity(s, match.start("n"), match.end("n"), value), names))
    for match in _AGE.finditer(s.text):
        name = re.match(r"\s+((?:[A-Z][\w’'.-]+\s+){0,3}[A-Z][\w’'-]+)", s.text[match.end() :])
        before = re.search(r"((?:[A-Z][\w’'.-]+\s+){0,3}[A-Z][\w’'-]+),\s+(?:an?|the)\s+$", s.text[: match.start()])
        who = name.group(1) if name else before.group(1) if before else None
        value = _age_value(match.group("n"))
        if who and value:
            found.append((_age_quantity(s, match.start(), match.end(), value), name_key(who)))
    for match in _AGE_APPOSITION.finditer(s.text):
        value = _age_value(match.group("n"))
        if value and 0 < value < 120 and match.group("name").split()[0].lower() not in _SENTENCE_OPENERS:
            found.append((_age_quantity(s, match.start("n"), match.end("n"), value), name_key(match.group("name"))))
    return [(q, who) for q, who in found if len(who) >= 1 and who[-1] not in _NOT_NAMES]


def _opening_name(previous: Sequence[str]) -> tuple[str, ...]:
    """The name key of the person who opens the nearest of the sentences before a "He was 35.": the subject the
    pronoun continues ("Colin Kroll, who co-founded the app, has died. He was 35.")."""
    for text in reversed(previous):
        match = re.match(r"\W*(?P<name>[A-Z][\w’'.-]+(?:\s+[A-Z][\w’'-]+)+)\b(?!\s*:|\s+(?:and|&)\s+[A-Z])", text)
        words = [w for w in name_key(match.group("name")) if len(w) > 1] if match else []
        while words and words[0] in TITLES:  # "President Barack Obama", "Sgt. Joe Serna"
            words = words[1:]
        if len(words) >= 2:
            return tuple(words[-2:]) if words[0] not in _SENTENCE_OPENERS else ()
        if re.match(r"\W*(?:He|She)\b", text):
            continue  # "He co-founded Vine. He was 35.": still the same person, one sentence further back
        # a compound subject ("Jo Reyes and Sam Ott met …") or none: "he" could be either
        return ()
    return ()


def _full_names(sentences: Sequence[Sentence]) -> dict[str, set[tuple[str, ...]]]:
    """Surname -> the full names (name keys) a document gives with it ("Amber Pasztor", "Rene Pasztor")."""
    out: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for s in sentences:
        for match in re.finditer(r"\b(?:[A-Z][\w’'.-]*\s+)+[A-Z][\w’'-]+", s.text):
            key = [w for w in name_key(match.group(0)) if len(w) > 1]  # the last two words, initials aside
            if len(key) >= 2 and key[-2] not in _SENTENCE_OPENERS and key[-1] not in _NOT_NAMES:
                out[key[-1]].add((key[-2], key[-1]))
    return out


_REGIONS = _words(
    "afghanistan albania algeria argentina armenia australia austria azerbaijan bahrain bangladesh belarus "
    "belgium bolivia bosnia brazil britain bulgaria cambodia cameroon canada chile china colombia congo croatia "
    "cuba cyprus denmark ecuador egypt england ethiopia finland france georgia germany ghana greece guatemala "
    "haiti honduras hungary iceland india indonesia iran iraq ireland israel italy japan jordan kazakhstan kenya "
    "korea kosovo kuwait laos latvia lebanon libya lithuania malaysia mali mexico moldova mongolia morocco "
    "myanmar nepal netherlands nicaragua niger nigeria norway oman pakistan panama paraguay peru philippines "
    "poland portugal qatar romania russia rwanda scotland senegal serbia singapore slovakia slovenia somalia "
    "spain sudan sweden switzerland syria taiwan tanzania thailand tunisia turkey uganda ukraine uruguay "
    "uzbekistan venezuela vietnam wales yemen zambia zimbabwe europe asia africa australia california texas "
    "florida nevada oregon alabama michigan ohio virginia pennsylvania iowa nebraska missouri kansas oklahoma "
    "arizona utah colorado montana idaho wyoming maine vermont massachusetts connecticut maryland delaware "
    "tennessee kentucky indiana illinois wisconsin minnesota louisiana arkansas mississippi alaska hawaii"
)
_SENTENCE_OPENERS = _words("the a an in on at by for and but so as of")
_NOT_NAMES = _words("police officials officers students residents")


def _age_value(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    total = 0
    for part in text.lower().split("-"):
        if part not in _WORD_VALUES and part not in _TENS:
            return None
        total += _TENS.get(part, _WORD_VALUES.get(part, 0))
    return total or None


_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}


def _age_quantity(s: Sentence, start: int, end: int, value: int) -> Quantity:
    return Quantity(s.text[start:end], s.start + start, s.start + end, Interval(value, value), "age")


def _attribution(sentence: str) -> str | None:
    if match := _ACCORDING.search(sentence):
        return match.group(1).strip()
    if match := _SAID.search(sentence):
        return match.group(1).strip()
    return None


def _listed(quantities: Sequence[Quantity], text: str) -> set[int]:
    """Indexes of figures in a list: three or more of one dimension, each within ``_LIST_GAP`` words of the next.

    In "Long Island ($55,327), New Jersey ($53,986), Westchester ($52,954)" every figure has the others'
    words around it, so a window cannot tell what each measures; a counted noun still can ("five Klan
    members ... seven counter-protesters"), so only figures without one are set aside (see ``extract_claims``).
    """
    out: set[int] = set()
    run: list[int] = []
    for i, q in enumerate(quantities):
        if run:
            prev = quantities[run[-1]]
            gap = len(re.findall(r"[^\W\d_]+", text[prev.end : q.start]))
            if prev.dimension != q.dimension or gap > _LIST_GAP:
                if len(run) >= 3:
                    out.update(run)
                run = []
        run.append(i)
    if len(run) >= 3:
        out.update(run)
    return out


def _period_end(mention: DateMention) -> date:
    """The last day of the period a resolved date mention names (its ``date`` is the first)."""
    assert mention.date is not None
    start = mention.date
    if mention.precision == "week":
        return start + timedelta(days=6)
    if mention.precision == "month":  # "early/mid-/late August": the first, second or last third of it
        last = date(start.year + start.month // 12, start.month % 12 + 1, 1) - timedelta(days=1)
        part = re.match(r"(early|mid)\b", mention.text.lower())
        return last if part is None else start.replace(day=10 if part.group(1) == "early" else 20)
    if mention.precision == "year":
        return date(start.year, 12, 31)
    return start


_SENTENCE_END = re.compile(r"[.!?][\"”’']?\s+(?=[\"“‘']?[A-Z])")


def _time_reach(sentence: str, q_start: int, q_end: int) -> tuple[int, int]:
    """The span whose time phrases date a figure: its sentence before it, ``_TIME_AFTER`` words after it.

    A time phrase before the figure sets the time of its clause ("In mid-August, at least 34 people were
    killed"); one far after it usually belongs to another clause ("700,000 immigrants enrolled in the program
    the administration rescinded last year"). Neither crosses a sentence end the segmenter left inside
    (quoted speech: "...six collapses during the same period. Since the start of our inquiries...").
    """
    begin = max((m.end() for m in _SENTENCE_END.finditer(sentence, 0, q_start)), default=0)
    words = list(re.finditer(r"\S+", sentence[q_end:]))
    end = q_end + words[_TIME_AFTER - 1].end() if len(words) >= _TIME_AFTER else len(sentence)
    stop = _SENTENCE_END.search(sentence, q_end, end)
    return begin, stop.start() + 1 if stop else end


def extract_claims(
    doc_id: str,
    sentences: Sequence[Sentence],
    soft_factor: float = 1.5,
    dates: Sequence[DateMention] = (),
    published: date | None = None,
) -> list[Claim]:
    """Claims of one document: counts of a named thing or outcome, money, percentages and lengths.

    ``dates`` are the document's date mentions (:func:`tidings.analyze.dates.find_dates`, resolved against
    ``published``): those that date a figure (see ``_time_reach``) keep a toll of another week's attack
    apart from this one's, and a figure dated a week or more before publication (a date, or a bare year
    as in "the 1985 earthquake") is background (an earlier event), like one in a sentence that says "last
    month", "a year ago" or "since 2015".
    """
    out: list[Claim] = []
    people = _full_names(sentences)
    for s in sentences:
        quantities = find_quantities(s.text, offset=s.start, soft_factor=soft_factor)
        listed = _listed(quantities, s.text)
        dated = [m for m in dates if m.date and s.start <= m.start < s.end]
        projection = bool(_PROJECTION.search(s.text))
        attribution = _attribution(s.text)
        anchors = _anchors(s.text)
        outcomes = frozenset(_EVENT_OF[w] for w in re.findall(r"[a-z]+", s.text.lower()) if w in _EVENT_OF)
        for n, q in enumerate(quantities):
            local_start, local_end = q.start - s.start, q.end - s.start
            measured = _measure(s.text, local_start, local_end)
            if measured is None:
                continue
            measure, head = measured
            if _each(s.text, local_start, local_end):
                continue  # a per-unit figure: never the total another source gives
            event = _event(s.text, local_start, local_end)
            if head in _EVENT_OF.values():  # "three deaths", "10 injured": the outcome is the measure
                head, event = "people", event or head
            if head is None and q.dimension == "count":
                if re.search(r"\btoll\b", s.text[:local_start], re.IGNORECASE):
                    measure, head, event = "death toll", "people", "dead"
                elif event in _HUMAN_EVENTS and _bare_count(s.text, local_start, local_end):
                    measure, head = f"people {event}", "people"
            if q.dimension == "count" and (head is None or head in _TIME_HEADS):
                continue
            if any(_norm(w) in _TIME_HEADS or w.lower() == "ago" for w in measure.split()):
                continue
            if head is None and n in listed:
                continue
            if _NOT.search(s.text[:local_start]):
                continue  # "not 50 per cent as would have been expected": a figure denied
            if _UP_FROM.search(s.text[:local_start]) or (
                _FROM_TO[0].search(s.text[:local_start]) and _FROM_TO[1].match(s.text[local_end:])
            ):
                continue  # "from 50% to 74%", "up from 17%": the value before a change, not a claim about now
            begin, reach = _time_reach(s.text, local_start, local_end)
            timed = [m for m in dated if begin <= m.start - s.start < reach]
            when = frozenset(m.date for m in timed if m.precision in ("day", "week") and m.date)
            scope = frozenset(_YEAR.findall(s.text[begin:reach]))
            ends = [_period_end(m) for m in timed] + [date(int(y), 12, 31) for y in scope]  # "the 1985 quake"
            background = bool(_BACKGROUND.search(s.text[begin:reach])) or (
                published is not None and any((published - end).days >= _SAME_EVENT_DAYS for end in ends)
            )
            left, right = _sides(s.text, local_start, local_end)
            out.append(
                Claim(
                    doc_id=doc_id,
                    sentence=s.index,
                    quantity=q,
                    measure=measure or q.dimension,
                    quote=s.text,
                    attribution=attribution,
                    predicate=event,
                    scope=scope,
                    head=head,
                    qualifier=_qualifier(measure),
                    projection=projection,
                    endpoint=_endpoint(s.text[local_end:]) if q.dimension == "length" else frozenset(),
                    rate=_rate(s.text[local_end:]),
                    whole=bool(_PART_BEFORE.search(s.text[:local_start])),
                    when=when,
                    background=background,
                    includes=_included_attackers(s.text[local_end:]) if event == "dead" else 0,
                    part=_part(q, s.text[local_end:], s.text[begin:local_start]),
                    modifiers=_modifiers(s.text, local_start, local_end, measure),
                    anchors=anchors,
                    later=bool(_RISE.search(s.text[begin:local_start])),
                    event=_event_noun(s.text, local_start, local_end),
                    clause=_masked(left, right, _CLAUSE_WORDS),
                    near=_masked(left, right, _NEAR_WORDS),
                    next=_masked(left, right, _NEXT_WORDS),
                    places=_places(f"{left} {right}"),
                    days=frozenset(_WEEKDAY.findall(f"{left} {right}")),
                    increment=bool(
                        _INCREMENT_AFTER.match(s.text[local_end:]) or _INCREMENT_BEFORE.search(s.text[:local_start])
                    ),
                    listed=len(_FIGURE.findall(f"{left} {right}")) >= _CROWDED,
                    outcomes=outcomes,
                    owner=owner.group(1).lower() if (owner := _OWNER.search(s.text[:local_start])) else None,
                )
            )
        previous = [p.text for p in sentences if s.index - 3 <= p.index < s.index]
        for q, who in _ages(s, previous):
            if len(who) == 1:  # "Pasztor, 29": the one Pasztor the article names in full, or nobody to compare
                full = people.get(who[0], set())
                if len(full) != 1:
                    continue
                who = next(iter(full))
            who = who[-2:]  # "Officer John Smith": the first name and the surname
            out.append(
                Claim(
                    doc_id=doc_id,
                    sentence=s.index,
                    quantity=q,
                    measure=f"age of {' '.join(w.capitalize() for w in who)}",
                    quote=s.text,
                    head="age",
                    subject=who,
                    background=bool(_BACKGROUND.search(s.text)),
                )
            )
    return out


def _same_time(a: Claim, b: Claim) -> bool:
    """Whether nothing dates the two claims apart.

    Different years in scope, a week or more between their sentences' dates (a story's follow-ups, toll
    updates and arrests come within days; a figure dated further away is another event, such as "the
    bombing on May 22 that killed 22" in a story about a June attack), or one of them about an earlier
    event ("last month", "since 2015", "a year ago") and the other not.
    """
    if a.scope and b.scope and a.scope != b.scope:
        return False
    if a.background != b.background:
        return False
    return not (a.when and b.when and min(abs((x - y).days) for x in a.when for y in b.when) >= _SAME_EVENT_DAYS)


def _precise(q: Quantity) -> bool:
    """A figure with four or more significant digits, not rounded ("$136,927.07", "2,219,807").

    Such a figure stated by two sources is a fingerprint of one fact, whatever the words around it.
    """
    return not q.approximate and len(re.sub(r"\D", "", q.text).strip("0")) >= 4


_FAR_APART = 3.0  # figures this many times apart are two facts far more often than one fact misreported
_SYNONYM = 0.8  # cosine of two counted nouns that name one thing ("cars"/"vehicles", "houses"/"homes")


def _far_apart(a: Quantity, b: Quantity) -> bool:
    """Whether the nearer ends of two figures, each read as what it suggests, are ``_FAR_APART`` times apart.

    "15 killed in Idlib" and "more than 7,500 killed in the crackdown", "22 rejected ballots" and "205 legal
    ballots": when sources misreport one fact they are off by a little, not by an order of magnitude. An
    open bound is read as what it suggests ("at least 144" as 144 to 216, "as many as 125" as 83 to 125),
    or "at least 144" would be near anything.
    """
    (a_low, a_high), (b_low, b_high) = a.interval.effective, b.interval.effective
    low, high = max(a_low, b_low), min(a_high, b_high)
    return low > _FAR_APART * high


def _suggested(q: Quantity) -> float:
    low, high = q.interval.effective
    return low if math.isinf(high) else (low + high) / 2


def _same_outcome(a: Claim, b: Claim) -> bool:
    """The same news outcome, or none named; one count of the dead and one of something else are apart.

    A count whose own outcome was not found still matches one with an outcome when its sentence names
    that outcome ("two people were killed and seven injured in a 25-vehicle pileup").
    """
    if a.predicate == b.predicate:
        return True
    if a.predicate is not None and b.predicate is not None:
        return False
    named, other = (a, b) if a.predicate is not None else (b, a)
    return named.predicate in other.outcomes


def apart(a: Claim, b: Claim) -> str | None:
    """Why two claims cannot measure the same thing, or ``None``: the rules checked before meaning is compared.

    A different dimension; for an age, a different person; a figure in a list or table, an increment ("65
    more"), a target, a rate, a part ("nine of the ten", "of those, 20") or the whole of one, against
    anything but its like; different scope words ("federal" against "state" charges, "critically" injured
    against injured); another outcome (``_same_outcome``); another country, another named place ("in
    Aleppo", "in Damascus"), another weekday or another time (``_same_time``); another kind of event (a
    tsunami, a landslide); capitalised qualifiers with nothing in common ("U.S." and "South Korean"
    troops); a distance measured from another place; figures far apart (``_far_apart``).
    """
    if a.quantity.dimension != b.quantity.dimension:
        return "dimension"
    if a.quantity.dimension == "age":
        return None if _same_person(a.subject, b.subject) and a.background == b.background else "person"
    if a.listed or b.listed:
        return "list"
    if a.increment or b.increment:
        return "increment"
    if a.projection != b.projection or a.rate != b.rate:
        return "target or rate"
    if a.whole != b.whole or a.part != b.part or a.part == "of":  # "eight of the children" and "13 of the 20"
        return "part"  # are subsets chosen by what the sentence says of them, as often two subsets as one
    if a.modifiers != b.modifiers:
        return "scope"
    if not _same_outcome(a, b):
        return "outcome"
    if (a.anchors and b.anchors and not a.anchors & b.anchors) or (a.places and b.places and not a.places & b.places):
        return "place"
    if a.days and b.days and not a.days & b.days:
        return "day"
    if not _same_time(a, b):
        return "time"
    if a.event and b.event and a.event != b.event:
        return "event"
    if a.qualifier and b.qualifier and not a.qualifier & b.qualifier:
        return "qualifier"
    if a.owner and b.owner and a.owner != b.owner:  # "his two kids", "her six kids"
        return "owner"
    if a.endpoint and b.endpoint and not a.endpoint & b.endpoint:
        return "endpoint"
    if _far_apart(a.quantity, b.quantity):
        return "far apart"
    return None


class Meaning:
    """The embedded clauses and counted nouns of a list of claims (:func:`tidings.embed.encode`), for comparing.

    One batch per story: the static encoder embeds thousands of short texts a second, so meaning costs
    less than the rules around it.
    """

    def __init__(self, claims: Sequence[Claim]) -> None:
        from tidings.embed import encode

        self.claims = claims
        n = len(claims)
        texts = [c.clause for c in claims] + [c.near for c in claims] + [c.next for c in claims]
        vectors = encode(texts + [c.head or "" for c in claims])
        self.scopes = (vectors[:n], vectors[n : 2 * n], vectors[2 * n : 3 * n])
        self.head = vectors[3 * n :]

    def similarity(self, i: int, j: int, far: bool = False) -> float | None:
        """How alike claims ``i`` and ``j`` read, from -1 to 1, or ``None`` when they cannot be the same quantity.

        ``None`` when :func:`apart` says so or their counted nouns differ (unless their embeddings say the two
        nouns name one thing; ``far`` lets figures far apart through, for a count the text says rose);
        otherwise the mean cosine of their masked clauses, of their five words each
        side and of their three words each side (what the claim says, what the figure counts, the words
        next to it). An age of one person is itself a subject (1.0), and so is a precise figure ("$136,927.07")
        stated twice.
        """
        a, b = self.claims[i], self.claims[j]
        if (
            a.quantity.dimension == b.quantity.dimension
            and _precise(a.quantity)
            and a.quantity.interval == b.quantity.interval
            and (a.head == b.head or a.head is None or b.head is None)
        ):
            return 1.0  # "$136,927.07" twice: one fact, whatever the words around it
        reason = apart(a, b)
        if reason is not None and not (far and reason == "far apart"):  # a toll may triple as it rises
            return None
        if a.quantity.dimension == "age":
            return 1.0
        if a.head != b.head:
            if a.head is None or b.head is None:
                if a.quantity.dimension == "count":
                    return None
            elif "+" in a.head + b.head or float(self.head[i] @ self.head[j]) < _SYNONYM:
                return None  # "passengers and crew" is never "passengers", however alike the words
        return sum(float(scope[i] @ scope[j]) for scope in self.scopes) / len(self.scopes)


def same_quantity(a: Claim, b: Claim, threshold: float) -> bool:
    """Whether two claims measure the same thing: nothing keeps them apart and they read alike (``threshold``)."""
    similarity = Meaning([a, b]).similarity(0, 1)
    return similarity is not None and similarity >= _bar(a, b, threshold)


def _same_person(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two name keys of one person: the same surname, and the same first name where both give one."""
    if not a or not b or a[-1] != b[-1]:
        return False
    return len(a) == 1 or len(b) == 1 or a[0] == b[0]


def _value_text(q: Quantity) -> str:
    return q.text


def _hard_overlap(a: Interval, b: Interval) -> bool:
    """Whether two intervals meet on their stated bounds: "at least 10" allows 20, whatever "at least" suggests."""
    below = b.low < a.high if a.open_high else b.low <= a.high
    above = a.low < b.high if b.open_high else a.low <= b.high
    return below and above


def compatible_claims(a: Claim, b: Claim) -> bool:
    """Whether two aligned claims' values can both be true.

    Their intervals meet on their stated bounds (an open bound such as "at least 10" or "more than 8,000"
    fits any larger figure, and "up to 125" any smaller one), or one is a toll stated "including the
    gunman" (or the N attackers) and the other is that many lower: sources differ on whether a toll counts
    the attackers, and "20 dead, including the three gunmen" and "17 killed" then say the same thing.
    """
    if _hard_overlap(a.quantity.interval, b.quantity.interval):
        return True
    return any(
        x.includes
        and _hard_overlap(
            Interval(x.quantity.interval.low - x.includes, x.quantity.interval.high - x.includes), y.quantity.interval
        )
        for x, y in ((a, b), (b, a))
    )


#: outcomes whose count changes as a story unfolds: a later, different figure is an update, not a dispute
_RUNNING = frozenset({"dead", "injured", "missing", "arrested", "rescued", "evacuated", "displaced", "charged"})
_APART = timedelta(hours=1)


def _excused(i: int, j: int, claims: Sequence[Claim], edges: Mapping[tuple[int, int], bool]) -> bool:
    """Whether two incompatible figures are no dispute: one source also gives a figure compatible with the other's.

    A source that says "two people were hurt" early and "three" later agrees with one that says three, and
    two sources that agree on a toll do not disagree because a side figure of one got paired with it. An open
    bound ("at least 16") fits every larger figure, so it excuses nothing.
    """
    for k, compatible in edges.items():
        if not compatible:
            continue
        x, y = k
        if math.isinf(claims[x].quantity.interval.high) or math.isinf(claims[y].quantity.interval.high):
            continue
        for mine, theirs in ((i, j), (j, i)):
            for p, q in ((x, y), (y, x)):
                if q == theirs and claims[p].doc_id == claims[mine].doc_id and p != mine:
                    return True
    return False


def _restated(i: int, j: int, claims: Sequence[Claim]) -> bool:
    """Whether the sentence of either figure also states one that fits the other source's.

    "The 1899 heist — $30,000 face value of gold coins — matches the coins found, which were nearly $30,000
    in face value": against "they add up to $27,000", a reader cannot tell which of the two is compared,
    and one of them agrees.
    """
    for mine, theirs in ((i, j), (j, i)):
        a, b = claims[mine], claims[theirs]
        for c in claims:
            if (
                c is not a
                and c.doc_id == a.doc_id
                and c.sentence == a.sentence
                and (c.head == a.head or c.head is None or a.head is None)
                and apart(c, b) is None
                and compatible_claims(c, b)
            ):
                return True
    return False


def _middle(c: Claim) -> float:
    return _suggested(c.quantity)


def _superseded(i: int, j: int, claims: Sequence[Claim], edges: Mapping[tuple[int, int], bool]) -> bool:
    """Whether either source gives another figure for the same quantity that is closer to the other's.

    A live blog that said "three people have been detained" and later "13 people are in custody" disagrees
    with "12 people were arrested" once, by its closest figure; its earlier count is not a second dispute.
    """
    distance = abs(_middle(claims[i]) - _middle(claims[j]))
    for x, y in edges:
        for mine, theirs in ((i, j), (j, i)):
            for p, q in ((x, y), (y, x)):
                if q == theirs and p != mine and claims[p].doc_id == claims[mine].doc_id:
                    if math.isinf(claims[p].quantity.interval.high):
                        continue  # "at least 16" is near anything above it: it supersedes nothing
                    if abs(_middle(claims[p]) - _middle(claims[theirs])) < distance:
                        return True
    return False


def _change(a: Claim, b: Claim, published: Mapping[str, datetime | None]) -> tuple[Claim, Claim] | None:
    """(earlier, later) when two figures are one count that grew between two times, else ``None``.

    The later figure must be above what the earlier one suggests ("at least nine", then "climbed to 15");
    the order comes from the text, when one figure is what the count "rose to" or "climbed to", or from
    publication times an hour or more apart for a count that runs (a toll, the injured, the arrested). A
    later, lower figure is no growth: the sources disagree.
    """
    if a.later != b.later:
        earlier, later = (b, a) if a.later else (a, b)
    else:
        ta, tb = published.get(a.doc_id), published.get(b.doc_id)
        if a.predicate not in _RUNNING or ta is None or tb is None or abs(ta - tb) < _APART:
            return None
        earlier, later = (a, b) if ta < tb else (b, a)
    if later.quantity.interval.low > earlier.quantity.interval.effective[1]:
        return earlier, later
    return None


def _value_key(c: Claim) -> tuple[float, float]:
    """One value whatever its wording: "Twenty-eight-year-old" and "28", "about 800,000" and "some 800,000"."""
    return c.quantity.interval.low, c.quantity.interval.high


def _values(items: Sequence[Claim], dedup: DedupResult, published: Mapping[str, datetime | None]) -> list[ClaimValue]:
    by_value: dict[tuple[float, float], list[Claim]] = defaultdict(list)
    for c in items:
        by_value[_value_key(c)].append(c)
    values = []
    for same in by_value.values():
        sources = tuple(dict.fromkeys(c.doc_id for c in same))
        times = [t for t in (published.get(d) for d in sources) if t is not None]
        values.append(
            ClaimValue(
                value=_value_text(same[0].quantity),
                interval=same[0].quantity.interval,
                quote=same[0].quote,
                sources=sources,
                attributions=tuple(dict.fromkeys(c.attribution for c in same if c.attribution)),
                citations=tuple(Citation(c.doc_id, c.quantity.start, c.quantity.end) for c in same),
                independent=dedup.independent(sources),
                published=min(times) if times else None,
            )
        )
    return values


_OUTCOME_EASE = 0.1  # how much less alike two counts of one named outcome ("killed", "arrested") need to read


def _bar(a: Claim, b: Claim, threshold: float) -> float:
    """How alike two claims must read to be aligned: less when both count one named outcome.

    "12 people were arrested during a brawl" and "13 people are in custody following a violent
    altercation" share few words, but the outcome they count is itself the subject.
    """
    return threshold - _OUTCOME_EASE if a.predicate is not None and a.predicate == b.predicate else threshold


def _mutual(edges: Mapping[tuple[int, int], float], claims: Sequence[Claim]) -> set[tuple[int, int]]:
    """The pairs each of whose claims is the other's closest reading in the other's document.

    A story with several tolls (Damascus on Saturday, Aleppo on Sunday) pairs each figure with the one
    that says the same thing in the other article, never with every look-alike.
    """
    best: dict[tuple[int, str], float] = {}
    for (i, j), similarity in edges.items():
        for mine, theirs in ((i, j), (j, i)):
            key = (mine, claims[theirs].doc_id)
            best[key] = max(best.get(key, -1.0), similarity)
    return {
        (i, j)
        for (i, j), similarity in edges.items()
        if similarity >= best[(i, claims[j].doc_id)] and similarity >= best[(j, claims[i].doc_id)]
    }


def align(
    claims: Sequence[Claim],
    dedup: DedupResult,
    threshold: float = 0.55,
    published: Mapping[str, datetime | None] | None = None,
) -> list[ClaimGroup]:
    """Figures across independent sources: disagreements, changes over time, and agreements.

    Two claims are aligned when nothing keeps them apart (:func:`apart`) and their clauses read alike
    (:class:`Meaning`, at least ``threshold``). A disagreement is a pair of aligned claims that cannot both
    be true, each the other's closest reading (``_mutual``), unless a source also gives a figure compatible
    with the other's or a closer one (``_excused``, ``_superseded``); below the bar a pair is not shown at
    all, since a reader cannot tell a weak guess from a finding. Only figures compared directly are
    reported together (pairs, not chains), each value with all the sources that state it; a change lists
    the earlier value, then the later one.
    """
    published = published or {}
    meaning = Meaning(claims)
    similar: dict[tuple[int, int], float] = {}
    for i, a in enumerate(claims):
        for j in range(i + 1, len(claims)):
            if dedup.root(a.doc_id) == dedup.root(claims[j].doc_id):
                continue
            similarity = meaning.similarity(i, j)
            if similarity is not None and similarity >= _bar(a, claims[j], threshold):
                similar[(i, j)] = similarity
    edges = {pair: compatible_claims(claims[pair[0]], claims[pair[1]]) for pair in similar}
    risen: dict[tuple[int, int], float] = {}  # "the toll has risen to 17" and "five people have died"
    for i, a in enumerate(claims):
        for j in range(i + 1, len(claims)):
            b = claims[j]
            if a.later == b.later or a.predicate is None or a.predicate != b.predicate:
                continue
            if dedup.root(a.doc_id) != dedup.root(b.doc_id) and _change(a, b, {}) is not None:
                similarity = meaning.similarity(i, j, far=True)
                if similarity is not None:
                    risen[(i, j)] = similarity
    conflicts: dict[tuple[int, int], str] = {}
    changes: dict[tuple[tuple[float, float], tuple[float, float]], list[tuple[Claim, Claim]]] = {}
    for i, j in sorted(_mutual(similar, claims)):
        ordered = _change(claims[i], claims[j], published)
        if edges[(i, j)] and ordered is None:
            continue  # agreed: "at least nine" fits 15, unless the text says the count climbed to 15
        if ordered is None and (
            _excused(i, j, claims, edges) or _superseded(i, j, claims, edges) or _restated(i, j, claims)
        ):
            continue
        if ordered is not None:
            changes.setdefault((_value_key(ordered[0]), _value_key(ordered[1])), []).append(ordered)
        else:
            conflicts[(i, j)] = "disagreement"
    for i, j in sorted(_mutual(risen, claims)):
        ordered = _change(claims[i], claims[j], published)
        found = changes.setdefault((_value_key(ordered[0]), _value_key(ordered[1])), []) if ordered else []
        if ordered is not None and (i, j) not in conflicts and ordered not in found:
            found.append(ordered)
    groups = _disagreements(claims, conflicts, dedup, published)
    for pairs in changes.values():
        earlier = _values([p[0] for p in pairs], dedup, published)
        later = _values([p[1] for p in pairs], dedup, published)
        items = [c for p in pairs for c in p]
        groups.append(
            ClaimGroup(
                about=_about(items),
                dimension=items[0].quantity.dimension,
                values=(earlier[0], later[0]),
                independent=len({dedup.root(c.doc_id) for c in items}),
                conflict=False,
                kind="change",
            )
        )
    groups += _agreements(claims, edges, dedup, published)
    order = {"disagreement": 0, "change": 1, "agreement": 2}
    groups.sort(key=lambda g: (order[g.kind], -g.independent, g.about))
    return groups


def _disagreements(
    claims: Sequence[Claim],
    conflicts: Mapping[tuple[int, int], str],
    dedup: DedupResult,
    published: Mapping[str, datetime | None],
) -> list[ClaimGroup]:
    """Groups of values that pairwise disagree, every pair compared directly (greedy cliques over values)."""
    node_of = {i: _value_key(claims[i]) for pair in conflicts for i in pair}
    linked: dict[tuple, set[tuple]] = defaultdict(set)
    members: dict[tuple[tuple, tuple], list[int]] = defaultdict(list)
    for i, j in conflicts:
        u, v = node_of[i], node_of[j]
        if u == v:
            continue
        linked[u].add(v)
        linked[v].add(u)
        members[(u, v)] += [i, j]
        members[(v, u)] += [i, j]
    covered: set[frozenset] = set()
    groups = []
    for i, j in sorted(conflicts, key=lambda p: (-len(linked[node_of[p[0]]] | linked[node_of[p[1]]]), p)):
        u, v = node_of[i], node_of[j]
        if u == v or frozenset((u, v)) in covered:
            continue
        clique = [u, v]
        for w in sorted(linked[u] & linked[v]):
            if all(w in linked[x] for x in clique) and w not in clique:
                clique.append(w)
        used = {k for x in clique for y in clique if x != y for k in members[(x, y)]}
        covered |= {frozenset((x, y)) for x in clique for y in clique if x != y}
        items = [claims[k] for k in sorted(used)]
        groups.append(
            ClaimGroup(
                about=_about(items),
                dimension=items[0].quantity.dimension,
                values=tuple(sorted(_values(items, dedup, published), key=lambda val: val.interval.effective)),
                independent=len({dedup.root(c.doc_id) for c in items}),
                conflict=True,
                kind="disagreement",
            )
        )
    return groups


def _agreements(
    claims: Sequence[Claim],
    edges: Mapping[tuple[int, int], bool],
    dedup: DedupResult,
    published: Mapping[str, datetime | None],
) -> list[ClaimGroup]:
    """Figures that independent sources state alike (compatible and directly aligned), grouped."""
    parent = list(range(len(claims)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for (i, j), compatible in edges.items():
        if compatible:
            parent[find(j)] = find(i)
    members: dict[int, list[Claim]] = defaultdict(list)
    for i, c in enumerate(claims):
        if find(i) != i or any(find(k) == i for k in range(len(claims)) if k != i):
            members[find(i)].append(c)
    groups = []
    for items in members.values():
        roots = {dedup.root(c.doc_id) for c in items}
        if len(roots) < 2:
            continue
        groups.append(
            ClaimGroup(
                about=_about(items),
                dimension=items[0].quantity.dimension,
                values=tuple(sorted(_values(items, dedup, published), key=lambda v: v.interval.effective)),
                independent=len(roots),
                conflict=False,
                kind="agreement",
            )
        )
    return groups


def _about(items: Sequence[Claim]) -> str:
    """What the figures count, for a reader: the commonest measured phrase, with its outcome ("people dead")."""
    measures = [c.measure for c in items if c.measure and c.measure not in ("count", "percent", "length", "weight")]
    measures = [m for m in measures if not m.startswith("money:")]
    if not measures:
        return items[0].quantity.dimension
    counts: Mapping[str, int] = {m: measures.count(m) for m in measures}
    about = max(counts, key=lambda m: (counts[m], -len(m)))
    outcome = items[0].predicate
    if outcome and all(c.predicate == outcome for c in items) and outcome not in about and "toll" not in about:
        about = f"{about} {outcome}"
    return about
