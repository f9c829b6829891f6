"""Claims with quantities, aligned across sources, and the disagreements among them.

A claim is a quantity in a sentence plus what it measures: the counted noun
after it ("8,000 North Korean migrant labourers" -> worker), the news
outcome it counts (:data:`EVENTS`: killed, injured, missing, arrested,
evacuated...), the words around it, and when it happened (dates, years,
"last month"). Two claims from different documents are about the same
quantity when all of these agree (:func:`same_quantity`): the same
dimension, the same counted noun, the same outcome, no conflicting time,
and, where no outcome anchors the count, enough shared context words
(``align_threshold``, Jaccard). Aligned claims from two sources whose
values cannot both be true are a disagreement (:func:`align`); every value
is reported with its sources and attributions, never one side only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from tidings.analyze.model import Claim, ClaimGroup, ClaimValue, DateMention, Interval, Quantity
from tidings.analyze.quantities import find_quantities
from tidings.dedup import DedupResult, content_tokens, jaccard
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
    "alien": "immigrant",
}  # fmt: skip
_TIME_HEADS = {
    "year", "month", "week", "day", "hour", "minute", "second", "time", "times", "decade", "century", "old", "am",
    "pm", "inch", "point", "percent", "goal", "seat", "vote", "ton", "tons", "foot", "feet", "mile", "block",
}  # fmt: skip
_STOP_HEAD = re.compile(
    r"^(?:in|on|at|to|of|for|by|from|with|and|or|but|that|who|which|were|was|are|is|have|has|had|be|been|still|"
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
_NOUN_FIGURE_FACTOR = 2.5  # how much more context a percentage or sum with a noun needs than a count
_TIME_AFTER = 10  # words after a figure that its time phrases may sit in
_PROJECTION = re.compile(
    r"\b(?:by (?:19|20)\d\d|target|goal|wants? to|plans? to|aims? to|hopes? to|fold|projected|forecast|expected to|"
    r"could reach|increase|raise|boost)\w*",
    re.IGNORECASE,
)
_PARTITIVE_REFERENCE = re.compile(r"^\s*(?:out\s+)?of\s+(?:those|them|these|whom|which)\b", re.IGNORECASE)
_WORD_NUMBERS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|dozen"
)
_WORD_VALUES = {w: i + 1 for i, w in enumerate(_WORD_NUMBERS.split("|")[:20])}
_PART_BEFORE = re.compile(rf"\b(?:\d[\d,.]*|{_WORD_NUMBERS})\s+(?:out\s+)?of\s*$", re.IGNORECASE)
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
_UNIT_WORDS = _words(
    "dollar dollars percent cent pound pounds euro euros yuan yen rupee rupees ruble rubles rouble roubles mile "
    "miles kilometer kilometers kilometre kilometres km meter meters metre metres feet foot ft us million billion "
    "trillion thousand"
)
_LIST_GAP = 6  # words: a run of three or more same-kind figures this close is a list (a table, a breakdown)
_INCLUDING_ATTACKERS = re.compile(
    rf"^[^.;:]{{0,60}}?\bincluding\s+(?:the\s+)?(?:(?P<n>\d+|{_WORD_NUMBERS})\s+)?(?:suspected\s+)?"
    r"(?:gunm[ae]n|attackers?|assailants?|shooters?|bombers?|perpetrators?|hijackers?|terrorists?)\b",
    re.IGNORECASE,
)
_ACCORDING = re.compile(r"according to ([^,.;:“\"]{2,80})", re.IGNORECASE)
_SAID = re.compile(r",\s*((?:the\s+)?[A-Z][^,.;:“\"]{1,60}?)\s+(?:said|says|reported|estimated|announced)\b")


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
    after = re.sub(rf"^\s*(?:out\s+)?of\s+(?:(?:{_WORD_NUMBERS})\s+)?", " ", after, flags=re.IGNORECASE)
    words = re.findall(r"(?:[A-Z]\.){2,}|[A-Za-z][\w’'-]*|[,.;:()—–]", after)[:6]  # "U.S. forces": one word
    phrase: list[str] = []
    for w in words:
        if not w[0].isalpha() or _STOP_HEAD.match(w) or _DIRECTION.match(w):
            break
        if phrase and (w.endswith("ing") or (w.endswith("ed") and _EVENT_OF.get(w.lower()) != "injured")):
            break
        if phrase and w.lower() in _EVENT_OF:  # "six teachers dead", "34 others missing": said of the noun
            break
        phrase.append(w)
        if len(phrase) == 4:
            break
    while phrase and phrase[-1].lower() in ("other", "others", "more"):
        phrase.pop()
    if not phrase:
        return "", None
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


def _window(sentence: str, q_start: int, q_end: int, size: int = 8) -> frozenset[str]:
    before = re.findall(r"[^\W\d_]+", sentence[:q_start])[-size:]
    after = re.findall(r"[^\W\d_]+", sentence[q_end:])[:size]
    tokens = content_tokens(" ".join(before + after))
    return frozenset(_norm(t) for t in tokens if not t.isdigit())


def _key(sentence: str, q_start: int, q_end: int) -> frozenset[str]:
    """The words that name what a figure without a counted noun measures: its clause, 4 words back, 5 on.

    "$3,100 a day for protection", "about 125 miles northwest of Las Vegas": units are left out (the
    dimension already says them), so what is left is the thing measured.
    """
    before = _clause(sentence[:q_start], forward=False)[:4]
    after = []
    for token in _TOKEN.findall(sentence[q_end:]):
        if not token[0].isalpha():
            if token[0].isdigit():
                continue
            break
        after.append(token)
        if len(after) == 5:
            break
    words = content_tokens(" ".join(before + after))
    return frozenset(_norm(w) for w in words if w not in _UNIT_WORDS)


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
    for s in sentences:
        quantities = find_quantities(s.text, offset=s.start, soft_factor=soft_factor)
        listed = _listed(quantities, s.text)
        dated = [m for m in dates if m.date and s.start <= m.start < s.end]
        projection = bool(_PROJECTION.search(s.text))
        attribution = _attribution(s.text)
        for n, q in enumerate(quantities):
            local_start, local_end = q.start - s.start, q.end - s.start
            measured = _measure(s.text, local_start, local_end)
            if measured is None:
                continue
            measure, head = measured
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
            begin, reach = _time_reach(s.text, local_start, local_end)
            timed = [m for m in dated if begin <= m.start - s.start < reach]
            when = frozenset(m.date for m in timed if m.precision in ("day", "week") and m.date)
            scope = frozenset(_YEAR.findall(s.text[begin:reach]))
            ends = [_period_end(m) for m in timed] + [date(int(y), 12, 31) for y in scope]  # "the 1985 quake"
            background = bool(_BACKGROUND.search(s.text[begin:reach])) or (
                published is not None and any((published - end).days >= _SAME_EVENT_DAYS for end in ends)
            )
            out.append(
                Claim(
                    doc_id=doc_id,
                    sentence=s.index,
                    quantity=q,
                    measure=measure or q.dimension,
                    context=_window(s.text, local_start, local_end) - {head or ""},
                    quote=s.text,
                    attribution=attribution,
                    predicate=event,
                    scope=scope,
                    head=head,
                    qualifier=_qualifier(measure),
                    projection=projection,
                    key=_key(s.text, local_start, local_end) if head is None else frozenset(),
                    endpoint=_endpoint(s.text[local_end:]) if q.dimension == "length" else frozenset(),
                    rate=_rate(s.text[local_end:]),
                    whole=bool(_PART_BEFORE.search(s.text[:local_start])),
                    when=when,
                    background=background,
                    includes=_included_attackers(s.text[local_end:]) if event == "dead" else 0,
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


def same_quantity(a: Claim, b: Claim, threshold: float) -> bool:
    """Whether two claims measure the same thing (see the module docstring).

    A count of a named thing and a named outcome ("12 people were arrested", "13 people are in custody")
    needs nothing more: within one story two sources counting the arrested people at the same time count
    the same thing, however differently the sentences run. Without an outcome, the count ("8,000 North
    Korean workers") needs shared words around the figure (``threshold``, Jaccard; the whole sentence was
    tried and aligned different figures in long sentences that share a topic); a figure without a counted noun
    (money, percentages) needs two shared words naming what it measures (``Claim.key``) and much shared
    context, a distance the
    place it is measured from. Before any of that: a different dimension, a target against a figure, a
    rate against a total, a whole against its part ("four of five"), a different outcome, or a different
    time (``_same_time``) is a different quantity; a precise figure stated twice is the same one.
    """
    if a.quantity.dimension != b.quantity.dimension:
        return False
    if (
        _precise(a.quantity)
        and a.quantity.interval == b.quantity.interval
        and (a.head == b.head or a.head is None or b.head is None)
    ):
        return True  # "$136,927.07" twice: one fact (unless it counts two different things)
    if a.projection != b.projection:  # a target ("to $1 billion by 2020") is not a rival figure
        return False
    if a.rate != b.rate or a.whole != b.whole:  # "$3,100 a day" is not "$66,000"; "four of five": five is the whole
        return False
    if a.predicate != b.predicate:  # "two injured sailors were evacuated" is not "three sailors were injured"
        return False
    if not _same_time(a, b):
        return False
    if a.head is not None or b.head is not None:
        if a.head != b.head or (a.qualifier and b.qualifier and not a.qualifier & b.qualifier):
            return False
        if a.predicate is not None:
            return True
        # the noun after a percentage or a sum ("57 percent efficiency", "$5 million budget") names a kind of
        # figure that one story gives for several things (each product, each year): ask for more shared context
        bar = threshold if a.quantity.dimension == "count" else _NOUN_FIGURE_FACTOR * threshold
        return jaccard(a.context, b.context) >= bar
    if a.endpoint or b.endpoint:  # a distance is named by where it is measured from
        return bool(a.endpoint & b.endpoint)
    # two shared words can be generic ("lump sum", "spending cuts"): the context must match as well, as much
    # as for a percentage or sum with a noun
    return len(a.key & b.key) >= 2 and jaccard(a.context, b.context) >= _NOUN_FIGURE_FACTOR * threshold


def _value_text(q: Quantity) -> str:
    return q.text


def compatible_claims(a: Claim, b: Claim) -> bool:
    """Whether two aligned claims' values can both be true.

    Their intervals overlap, or one is a toll stated "including the gunman" (or the N attackers) and the
    other is that many lower: sources differ on whether a toll counts the attackers, and "20 dead,
    including the three gunmen" and "17 killed" then say the same thing.
    """
    if a.quantity.interval.overlaps(b.quantity.interval):
        return True
    return any(
        x.includes
        and Interval(x.quantity.interval.low - x.includes, x.quantity.interval.high - x.includes).overlaps(
            y.quantity.interval
        )
        for x, y in ((a, b), (b, a))
    )


def _disagree(items: Sequence[Claim], dedup: DedupResult, threshold: float) -> bool:
    """Whether two claims of the group from different sources are directly aligned and incompatible.

    Directly aligned, not linked through a chain of look-alikes. Not when either source also states the
    other's figure: a source that says "two people have been stabbed" early and "three people stabbed"
    later agrees with one that says three, and only updated its own count; the figures are still listed
    in the group. A source that updates its count ("34 missing", later "at least 16 still missing")
    still disagrees with another giving a third figure ("20 were missing").
    """
    stated: dict[str, set[tuple[float, float]]] = defaultdict(set)
    for c in items:
        stated[dedup.root(c.doc_id)].add((c.quantity.interval.low, c.quantity.interval.high))
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            ra, rb = dedup.root(a.doc_id), dedup.root(b.doc_id)
            if ra == rb or compatible_claims(a, b) or not same_quantity(a, b, threshold):
                continue
            if (b.quantity.interval.low, b.quantity.interval.high) in stated[ra]:
                continue
            if (a.quantity.interval.low, a.quantity.interval.high) in stated[rb]:
                continue
            return True
    return False


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
        groups.append(
            ClaimGroup(
                about=_about(items),
                dimension=items[0].quantity.dimension,
                values=tuple(sorted(values, key=lambda v: v.interval.effective)),
                independent=len(roots),
                conflict=_disagree(items, dedup, threshold),
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
