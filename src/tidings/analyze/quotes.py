"""Quotes and their speakers.

Journalism attributes quotes in a few fixed shapes, which rules read
reliably: ``“…,” said Georgy Kunadze``, ``“…,” Castaneda said``, ``X said:
“…”``, ``X called the deal “…”``, ``“…,” according to the State
Department``, a paragraph ending ``… released this statement:`` before the
quote. What the attribution names is then resolved to a person or an
organisation:

- a name in it (the person first: "said Anaheim resident Joe Castaneda" is
  Castaneda, not Anaheim);
- "he", "she": a small coreference step: the previous quote's speaker when
  nobody new became the subject or spoke in between, else the subject of the
  nearest sentence naming a person, skipping people whose gender (from titles
  and the pronouns that follow them) does not match, people named after a
  "she" or "he" that is itself the subject ("she was replaced by X"), and the
  one told ("told CNN's X"); "X's wife" is a "she";
- a description: "the GOP leader" is the last person named with that title
  or, failing that, the person the text was just about; "a man who lived
  nearby" stays a description; "the airline", "the treasury", "the group"
  are the organisation named before, or the description itself;
- a document ("the statement said", "according to the report") is the
  person or organisation that issued it, or nobody: a report is never a
  speaker, nor is a stray word.

Quoted titles of works ("Sex and the City", "Where Have You Been") are not
quotes and are left out. A news outlet credited for the words ("told Reuters",
"according to the ABC", a closing "— AFP") is not their speaker; it speaks
only as "the Trouw daily said". Marks that cleaning glued to words
('yesterday."The'), doubled ('agreed”,”') or left open before the next quote
opens are read as the writer meant them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

from tidings.analyze.model import Quote
from tidings.analyze.nlp import DEMONYMS, ORG_WORDS, PLACES, TITLES, Mention
from tidings.calendar import CALENDAR_WORDS, WEEKDAYS
from tidings.model import Sentence


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_VERB_WORDS = (
    "said says told tells added adds explained explains wrote writes tweeted asked asks continued insisted noted "
    "warned recalled responded replied argued vowed stated declared acknowledged admitted announced concluded "
    "cautioned posted predicted remarked observed conceded confirmed stressed urged claimed maintained maintains "
    "boasted boasts crowed crows joked jokes quipped quips complained complains lamented laments testified "
    "reads states say tell write add note explain insist warn argue recalls cried cries replies shouted yelled "
    "screamed wondered wonders continues reiterated reiterates emphasized emphasised reported reports ruled"
)
#: verbs of a stance taken that a quote right after illustrates: "Sean Simpson commended the staff. “They got us out …”"
_STANCE = (
    r"(?:explain|describ|recount|commend|prais|criticiz|criticis|thank|blam|defend|welcom|reject|dismiss|address|"
    r"apologiz|apologis|reflect|react)(?:s|es|e|ed|d)?"
)
#: what may stand between a speaker and the verb: "She later added", "Trump once infamously crowed"
_ADVERBS = (
    r"(?:(?:also|later|then|again|once|first|further|previously|earlier|recently|repeatedly|reportedly|"
    r"infamously|famously|publicly|privately|angrily|flatly|bluntly|simply|quickly|proudly|openly)\s+){0,2}"
)
_VERBS = "(?:" + "|".join(_VERB_WORDS.split()) + ")"
#: verbs that quote their object in the same sentence: "Cleaver called the deal “a sugar-coated Satan sandwich”"
_FRAMING = (
    r"(?:" + "|".join(_VERB_WORDS.split()) + r"|call(?:s|ed)?|describ(?:es|ed)|term(?:s|ed)|label(?:s|led|ed)|"
    r"dubb(?:ed)?|promis(?:es|ed)|demand(?:s|ed)|accus(?:es|ed)|says?|saying|telling|adding|writing)"
)
_ABBREVIATION = (
    r"(?:[A-Z]|Adm|Sen|Gov|Rep|Reps|Sens|Dr|Mr|Mrs|Ms|Lt|Col|Gen|Capt|Sgt|St|Jr|Sr|Rev|Prof|Cmdr|Brig|Maj|Cpl|Pvt|"
    r"Supt|Insp|Det|Atty|Fr|Gens|U\.S|No)\."
)
_PHRASE = rf"(?:{_ABBREVIATION}|[^.;:“”\"])"
_AFTER_VERB_FIRST = re.compile(rf"^[,.!?]?\s*{_VERBS}\s+(?P<sp>{_PHRASE}{{2,160}})")
_SPEAKING = rf"(?:{_VERBS}|(?:was|were|is|are)\s+quoted(?:\s+as\s+saying)?)"
_AFTER_SPEAKER_FIRST = re.compile(rf"^[,.!?]?\s*(?P<sp>{_PHRASE}{{1,150}}?)\s+{_SPEAKING}\b(?P<rest>.{{0,12}})")
#: "“…” — Damian Lewis, on whether fans …": a dash before the speaker, as under a pull quote
_AFTER_DASH = re.compile(r"^\s*[—–]\s*(?P<sp>[A-Z][^,.;:“”\"—–]{1,60})")
#: a credit line after a story's last quote: "— AP reporters … contributed to this report", "— Reporting by …"
_CREDIT = re.compile(r"\b(?:contributed|reporting by|writing by|editing by|compiled by)\b", re.IGNORECASE)
#: "…!” The Morning News said it was …": a verb with its own clause after it opens a new statement
#: a speech verb followed by the clause it reports ("said Hermine had formed"), not by the end of an attribution
_REPORTS = re.compile(
    rf"\s+{_SPEAKING}\s+(?:[\w’'-]+\s+){{0,4}}?(?:had|has|have|was|were|is|are|will|would|could|can|may|might)\b"
)
_OWN_CLAUSE = re.compile(r"^\s+(?:that|it|he|she|they|we|there|this|his|her|their|its)\b", re.IGNORECASE)
#: an attribution closing the sentence after the rest of it: "The tsunami “…” of part of the volcano, said David
#: Rothery.", "… to bring gold “…” into Iran, according to the governor, Karim Massoud."
_TAIL = re.compile(
    rf",\s+(?:{_VERBS}\s+(?P<after>{_PHRASE}{{2,120}}?)|(?i:according\s+to)\s+(?P<according>{_PHRASE}{{2,120}}?)|"
    rf"(?P<before>{_PHRASE}{{2,60}}?)\s+{_VERBS})\s*[.!?]?\s*$"
)
_VERB_BEFORE = re.compile(rf"\s{_VERBS}\b")
#: what follows a plural noun that looks like a verb ("member states have", "the notes were"), never "said"
_AUXILIARY = re.compile(r"\s*(?:have|has|had|are|were|is|was|will|would|can|could|must|should|may|might|do|did)\b")
_ACCORDING = re.compile(rf"(?i:according to) (?P<sp>{_PHRASE}{{2,120}})")
_MID = re.compile(
    rf"\b(?P<sp>[Hh]e|[Ss]he|[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)*)(?:\s+(?:has|have|had))?\s+{_ADVERBS}{_FRAMING}\b"
)
#: "he decided, “I’m not going to work …”": a thought quoted right after its thinker and a comma
_THOUGHT = re.compile(
    r"\b(?P<sp>[Hh]e|[Ss]he|[A-Z][\w’'-]+)\s+(?:thought|decided|wondered|figured|reasoned|mused|realized|realised)"
    r"(?:\s+to\s+(?:him|her)self)?\s*[,:]\s*$"
)
_PRONOUNS = {"he": "m", "she": "f", "they": None}
#: a sentence whose subject is "he" or "she", after an opening phrase: "The day before, she had canceled …"
_PRONOUN_SUBJECT = re.compile(r"\W*(?:[A-Z][^,.;:“”\"]{0,40},\s+)?(?P<p>[Hh]e|[Ss]he)\s+[a-z]")
#: "He said …", "“…,” she said on one radio show": a sentence whose speaker is a pronoun
_PRONOUN_SAID = re.compile(rf"(?:^\W*|[”\"],?\s+)(?P<p>[Hh]e|[Ss]he)\s+{_ADVERBS}{_VERBS}\b")
#: "the company", "the agency", "the weather service": an organisation named before, or the description itself
_ORG_HEADS = ORG_WORDS | _words(
    "firm embassy consulate campaign family organization organisation group airline carrier regulator watchdog "
    "treasury panel tribunal station broadcaster monitor observatory charity"
)
#: "a statement from the Indian international airline": who issued a document, by description
_ISSUED_BY = re.compile(r"\b(?:from|by)\s+(?P<who>(?:the|its|their)\s+(?:[\w’'-]+\s+){0,3}(?P<head>[a-z]+))$")
_ANY_ORG = _words("company firm agency organization organisation group")
#: words in an organisation's name that a description's head stands for: "the airline" is "Jet Airways"
_HEAD_NAMES = {"airline": {"airline", "airlines", "airways", "air"}, "carrier": {"airlines", "airways", "air"}}
#: "the Qingyuan public security department said", "Kyodo said": who spoke last, for a following "it said"
_SUBJECT_SAID = re.compile(
    r"(?:^|[,;]\s+|\.\s+)(?P<sp>(?:[Tt]he|[Aa]n?)\s+[^,.;:“”\"]{2,60}?|[A-Z][^,.;:“”\"]{1,60}?)"
    r"(?:,\s+(?:which|who)\s[^,]{0,100},)?\s+(?:said|says|announced|added|stated|wrote|posted|reported)\b"
)
#: a sentence that opens with its subject and a speech verb: "The US treasury said it declined to comment, but …"
_OPENING_SPEAKER = re.compile(rf"\W*(?P<sp>[A-Z][^,.;:“”\"]{{1,80}}?)\s+{_ADVERBS}{_VERBS}\b")
#: "a narrator who introduces Mr. Baghdadi and adds": the one described speaks, not the name in the clause
_WHO_AND = re.compile(
    r"(?P<who>\b(?:[Aa]n?|[Tt]he|[Aa]nother)\s+(?:[\w’'-]+\s+){0,2}?(?P<head>[a-z]+))\s+who\s+"
    rf"{_PHRASE}{{1,100}}?\s+and\s*$"
)
#: a name followed by its speech verb: "Satish Nair, stated that …", "Smith said"
_NEW_SPEAKER = re.compile(rf"^,?\s+(?:has\s+|had\s+)?{_ADVERBS}{_VERBS}\b")
#: what follows the name of someone who spoke: "said", ", who made the bust with his brother, said"
_SPOKE = re.compile(rf"^(?:,[^,“”\"]{{0,80}},)?\s+(?:has\s+|had\s+)?{_ADVERBS}(?:{_VERBS})\b")
#: a sentence opening with an unnamed speaker: "The Uber driver told state police …", "His mother recalled …"
_DESCRIBED_SUBJECT = re.compile(
    rf"\W*(?:(?:And|But|So|Yet|Then)\s+)?(?P<who>(?:[Tt]he|[Aa]n?|[Aa]nother|[Hh]is|[Hh]er|[Tt]heir|[A-Z][\w-]+['’]s)\s+(?:[\w’'-]+\s+){{0,3}}?"
    rf"(?P<head>[a-z]+))(?:\s+(?:who|which|that)\s+[^,.;:“”\"]{{0,100}}?|,\s+(?:who|which)\s+[^,.;:“”\"]{{0,100}},|"
    rf"\s+(?:based|living|working|speaking|familiar)\s+[^,.;:“”\"]{{0,60}}?)?"
    rf"\s+{_ADVERBS}{_VERBS}\b"
)
_TITLE_REACH = 6  # sentences back that "the spokesman" may refer to someone named with that title
_AGE_HEAD = re.compile(r"^\d+-year-old$|^[a-z]+-year-old$")
#: a participle or verb after the subject's clause: "The President, speaking on TV, ..., saying “…”"
_PARTICIPLE = re.compile(
    r"\b(?:saying|adding|telling|writing|noting|arguing|insisting|declaring|warning|accusing|calling|describing|"
    r"urging|promising|vowing|explaining|asking|recalling)\b"
)
#: words that are never a speaker on their own, left over when a pattern catches part of a sentence
_STRAY = _words("and or but then also so as while when who which that this these those there here one another some all")
#: things that hold words but do not speak: a quote "from" one of these belongs to whoever issued it
_DOCUMENT = _words(
    "statement statements report reports release study survey poll letter memo memorandum document "
    "documents indictment complaint affidavit warrant filing filings ruling website site post posts tweet "
    "tweets message note paper article story video email e-mail blog notice lawsuit suit order transcript "
    "book column editorial record records minutes summary analysis research data forecast advisory bulletin"
)
#: heads of descriptions that name a person: "another council member", "a man who lived nearby"
_PERSON_HEADS = (
    _words(
        "man woman boy girl men women witness witnesses resident residents member members lawyer lawyers "
        "attorney attorneys officer officers source sources friend friends neighbor neighbour neighbors "
        "neighbours analyst analysts expert experts student students worker workers employee employees "
        "manager executive aide aides adviser advisor advisers advisors parent parents mother father son "
        "daughter wife husband sister brother survivor survivors victim victims doctor doctors nurse "
        "teacher professor researcher researchers scientist scientists owner customer fan fans driver "
        "pilot soldier activist activists protester protesters organizer organiser candidate voter voters "
        "person people someone participant observer observers insider insiders diplomat diplomats staffer "
        "staffers strategist consultant fellow colleague colleagues official officials spokesman "
        "spokeswoman spokesperson representative representatives contender candidate hopeful nominee "
        "lawmaker lawmakers legislator politician republican democrat conservative liberal independent "
        "veteran star actor actress singer rapper player coach founder owner boss host anchor "
        "correspondent reporter writer author historian economist fighter fighters militant militants rebel "
        "rebels gunman elder elders villager villagers farmer farmers guard guards commander medic paramedic "
        "firefighter engineer investigator investigators detective prosecutor prosecutors student passenger "
        "passengers narrator commuter commuters traveler travelers traveller travellers shopper shoppers visitor "
        "visitors tourist tourists bystander bystanders onlooker onlookers spectator spectators"
    )
    | TITLES
)
_ROLE_GENDER = {
    "mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sir": "m", "lady": "f", "king": "m", "queen": "f",
    "prince": "m", "princess": "f", "spokesman": "m", "spokeswoman": "f", "congressman": "m",
    "congresswoman": "f", "chairman": "m", "chairwoman": "f", "actress": "f", "actor": "m", "father": "m",
    "mother": "f", "husband": "m", "wife": "f", "son": "m", "daughter": "f", "brother": "m", "sister": "f",
    "businessman": "m", "businesswoman": "f", "grandmother": "f", "grandfather": "m", "uncle": "m", "aunt": "f",
}  # fmt: skip
_DESCRIPTION_HEAD = re.compile(r"([\w’'-]+)\s*$")
_OPENS = re.compile(r"(?:^|[.!?][\"”’']?\s+|\n\s*)(?:[A-Z][\w’'-]*\.?\s+)*$")
_TITLE_CUE = re.compile(
    r"\b(?:titled|entitled|headlined|called|named|dubbed|labell?ed|reading|sign|slogan|hashtag|"
    r"(?:the|her|his|their|its|a|an|new|latest|hit) (?:film|movie|"
    r"song|single|album|book|novel|show|series|episode|documentary|play|musical|program|programme|campaign|song|"
    r"poem|painting|game|app|report|study|paper|exhibit|exhibition|track|hit|record|title))\s*:?\s*$",
    re.IGNORECASE,
)
_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "or",
        "but",
        "nor",
        "as",
        "is",
        "be",
        "vs",
        "vs.",
        "de",
        "la",
        "le",
    ]
)


def _looks_like_title(inner: str, before: str, after: str) -> bool:
    """A quoted title of a work ("Sex and the City", "Don't Stop the Music,") rather than speech.

    Title case (every word that is not a small word capitalised), no sentence inside, and no speech verb
    right after it; or any short span right after a cue such as "titled", "the film", "a sign reading".
    """
    words = re.findall(r"[\w’'&-]+", inner)
    if not words:
        return False
    speech_after = re.match(rf"^[,!?]?\s*(?:[\w’'.-]+\s+){{0,4}}{_VERBS}\b", after)  # “…,” the senator said
    if _TITLE_CUE.search(before[-40:]) and len(words) <= 12 and not speech_after:
        return True
    if len(words) > 12 or re.search(r"[.!?;]\s+\S", inner.strip()):
        return False
    content = [w for w in words if w.lower() not in _SMALL_WORDS]
    capitalised = sum(w[:1].isupper() or w[:1].isdigit() for w in content)
    if not content or capitalised < len(content) or not words[0][:1].isupper():
        return False
    if speech_after:  # “Make America Great Again,” Trump said: a slogan someone said
        return False
    return not re.search(r"\b(?:I|We|My|Our)\b", inner)  # the first person: speech


def _marks(text: str) -> list[tuple[int, str]]:
    """Quotation marks as (position, "open" | "close"); a straight mark is read by what stands next to it."""
    out = []
    for match in re.finditer(r"[“”\"]", text):
        at, mark = match.start(), match.group(0)
        if mark == "“":
            out.append((at, "open"))
        elif mark == "”":
            out.append((at, "close"))
        else:
            before = text[at - 1] if at else " "
            after = text[at + 1] if at + 1 < len(text) else " "
            if (before.isspace() and (after.isspace() or after in ".,;:!?)")) and at + 1 < len(text):
                out.append((at, "toggle"))  # 'am I being an all-star?' " she recalled': a space on both sides
            elif before.isspace() or before in "([{—–-/" or at == 0:
                out.append((at, "open"))
            elif before in ".!?" and after.isupper():  # 'yesterday."The US…': paragraphs run together; it opens
                out.append((at, "open"))  # the next quote (and closes one left open, see _raw_spans)
            elif before in ",.!?;:" or after.isspace() or after in ".,;:!?)]}—–-" or at + 1 == len(text):
                out.append((at, "close"))  # 'site,"tweeted PM Modi': a comma before it closes the quote
            else:  # glued on both sides ('the"terrorist" explosion'): whichever the open quote needs
                out.append((at, "toggle"))
    return out


def _raw_spans(text: str) -> list[tuple[int, int]]:
    """Quoted spans, curly and straight marks mixed (“…," is a quote); an unclosed quote runs to its paragraph end."""
    spans = []
    opened: int | None = None
    nested = False  # inside “…”, a straight pair is a quote within the quote: “… and said "au revoir" …”
    for at, kind in _marks(text):
        if opened is not None:
            newline = text.find("\n", opened, at)
            if newline >= 0:  # journalism leaves a paragraph's quote open when the next paragraph continues it
                spans.append((opened, newline))
                opened, nested = None, False
        inner_pair = nested or (kind == "open" and re.match(r'[^“”\n]*"[^“”\n]*”', text[at + 1 :]))
        if opened is not None and text[opened] == "“" and text[at] == '"' and inner_pair:
            nested = not nested
            continue
        if kind == "open" and opened is not None and re.search(r"[.!?:]\s*$", text[opened:at]):
            spans.append((opened, at))  # “… planning. “We would…: a quote left open before the next opens
            opened = None
        if kind == "open" or (kind == "toggle" and opened is None):
            opened, nested = at, False
        elif opened is not None:
            spans.append((opened, at + 1))
            opened, nested = None, False
    if opened is not None:
        end = text.find("\n", opened)
        spans.append((opened, len(text) if end < 0 else end))
    return spans


def _quote_spans(text: str) -> list[tuple[int, int]]:
    out = []
    for start, end in _raw_spans(text):
        inner = text[start:end].strip('“”"')
        if len(inner.split()) < 4:
            continue
        before = text[max(0, start - 60) : start]
        after = text[end : end + 80]
        if _looks_like_title(inner, before, after):
            continue
        out.append((start, end))
    return out


def _sentence_of(sentences: Sequence[Sentence], position: int) -> int:
    for s in sentences:
        if s.start <= position < s.end:
            return s.index
    return max((s.index for s in sentences if s.start <= position), default=0)


class _Resolver:
    """Resolves what an attribution names to a speaker, within one document."""

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
        quoted = _raw_spans(text)  # with short quotes and titles of works: "the song “Don't Stop Me Now”"
        self.mentions = [
            m
            for m in mentions
            if not any(s <= m.start < e for s, e in (*spans, *quoted))
            and not re.search(r"[/\[\]|@]", m.text + canonical.get(m.start, ""))
        ]  # "Mike Coppola/Getty Images] Journey": a photo credit run into the text is nobody
        self.spans = spans
        self.canonical = canonical
        self.titles = titles
        self.gender = self._genders()
        self.previous_end = -1  # where the last attributed quote ended (set by find_quotes)

    def name(self, m: Mention) -> str:
        return self.canonical.get(m.start, m.text)

    def in_range(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if start <= m.start and m.end <= end]

    def _genders(self) -> dict[str, str]:
        """Gender per person from titles ("Mr", "spokeswoman") and the pronoun that opens the next sentence.

        Only what the text itself says; a person without such evidence has no gender and matches any pronoun.
        """
        votes: dict[str, Counter[str]] = {}
        people = [m for m in self.mentions if m.type == "person"]
        for m in people:
            # the word right before the name ("spokeswoman Jane Doe"), not "Queen guitarist Brian May"
            words = [w.lower().rstrip(".") for w in (m.title or "").split()]
            words += [w.lower().rstrip(".,") for w in self.text[max(0, m.start - 30) : m.start].split()[-1:]]
            for w in words:
                if w in _ROLE_GENDER:
                    votes.setdefault(self.name(m), Counter())[_ROLE_GENDER[w]] += 2
        by_sentence: dict[int, list[Mention]] = {}
        for m in people:
            by_sentence.setdefault(_sentence_of(self.sentences, m.start), []).append(m)
        for s in self.sentences:
            named = {self.name(m) for m in by_sentence.get(s.index, [])}
            if len(named) != 1 or s.index + 1 >= len(self.sentences):
                continue
            following = self.sentences[s.index + 1].text
            pronoun = re.match(r"\W*(He|She|His|Her)\b", following)
            if pronoun and not by_sentence.get(s.index + 1):
                votes.setdefault(next(iter(named)), Counter())["m" if pronoun.group(1) in ("He", "His") else "f"] += 1
        return {
            name: c.most_common(1)[0][0]
            for name, c in votes.items()
            if len(c) == 1 or c.most_common(2)[1][1] * 2 < c.most_common(1)[0][1]
        }

    def fits(self, name: str, gender: str | None) -> bool:
        return gender is None or self.gender.get(name, gender) == gender

    def phrase(
        self, start: int, end: int, before: int, previous: str | None, verb_first: bool
    ) -> tuple[str | None, str]:
        """The speaker a phrase names: (name, how).

        A phrase with commas ("Jeff Hanson, a spokesman for the district,", "against IS, the Amaq agency") is
        read part by part: a part naming a person wins, else the part next to the verb; relative clauses
        ("who was in Brussels for a European Union summit") are skipped.
        """
        parts = []
        for match in re.finditer(r"[^,()]+", self.text[start:end]):
            text = match.group(0).strip().rstrip(".")
            if not verb_first and parts and re.match(r"(?:who|whose)\b", text, re.IGNORECASE):
                break  # "May, who has a doctorate from Imperial College, London, says": London is in the clause
            if start + match.end() == end and re.match(r"as\s+(?:the|a|an|his|her|their)\s", text):
                text = text[3:]  # "—for, as the doctor writes, “…”": the one who writes
            if text and not re.match(
                r"(?:who|which|where|when|whose|while|whereas|although|though|as|after|before|if|because|since|"
                r"once|until|unless|in|at|on|during|near|inside|outside)\b",  # "The panel, in San Antonio, ruled"
                text,
                re.IGNORECASE,
            ):
                parts.append((start + match.start(), start + match.end(), text))
        if not parts:
            return None, "none"
        for p_start, p_end, _ in parts:
            people = [
                m
                for m in self.in_range(p_start, p_end)
                if m.type == "person"
                and not _described(m)
                and not _AFFILIATION.search(self.text[p_start : m.start])
                and not all(w.lower().strip(".") in TITLES for w in m.text.split())  # "Inspector General, ATS, …"
                and not (m.text.split()[-1].lower() in TITLES and len(parts) > 1)  # "Senate Leader, Ahmed Lawan,"
            ]
            named_later = any(
                m.type == "person" and not _possessive(self.text, m)
                for q_start, q_end, _ in parts[1:]
                for m in self.in_range(q_start, q_end)
            )  # "Rouhani's deputy chief of staff, Hamid Aboutalebi": the name in apposition
            for m in reversed(people):  # "McSally campaign CEO Jim Bognet": the name next to the verb
                relation = _RELATION.match(self.text[m.end : p_end])
                if relation and relation.group("head") in _PERSON_HEADS and not named_later:  # "Paul Conroy's wife"
                    return self.text[m.start : m.end + relation.end()], "description"
                if not self.text[m.end : m.end + 2].startswith(("'s", "’s")):
                    return self.name(m), "name"
        p_start, p_end, raw = parts[0] if verb_first else parts[-1]
        last = parts[-1][2]
        place = last.lower() in PLACES or any(m.type == "place" for m in self.in_range(parts[-1][0], parts[-1][1]))
        if verb_first and len(parts) > 1 and raw[:1].islower() and not place and (named := self.bare_name(last)):
            return named, "name"  # "said one of the assembly's most prominent members, Diosdado Cabello"
        return self.part(p_start, p_end, raw, before, previous)

    def part(self, start: int, end: int, raw: str, before: int, previous: str | None) -> tuple[str | None, str]:
        """The speaker one comma-free phrase names (no person name in it)."""
        raw = re.sub(r"\s+(?:that|which|who)$", "", raw)  # "an affidavit that (says)"
        word = raw.lower()
        if word in _PRONOUNS:
            return self.pronoun(before, previous, _PRONOUNS[word]), "pronoun"
        if word == "it":
            return self.it(before), "pronoun"
        if word in _STRAY:
            return None, "none"
        found = self.in_range(start, end)
        orgs = [m for m in found if m.type in ("organization", "group")]
        description = re.sub(r"^(?:the|a|an|another|one|his|her|their|its|our)\s+", "", raw, flags=re.IGNORECASE)
        core = re.split(
            r"\s+(?:who|which|that|of|for|from|at|in|with|on|and|by|signed|issued|released|published|written|sent)\s+",
            description,
        )[0]
        head_match = _DESCRIPTION_HEAD.search(core)
        head = head_match.group(1).lower() if head_match else ""
        if head in _DOCUMENT:
            issuer = self.issuer(start, [m for m in orgs if not _described(m)], head)  # not "Indian"
            source = _ISSUED_BY.search(raw)
            if issuer is None and source and source.group("head") in _ORG_HEADS:  # "a statement from the airline"
                issuer = self.organisation(min(start, before), source.group("head")) or source.group("who")
            owner = re.search(r"([\w’'-]+)\s+[\w-]+$", core)  # "an embassy statement", "a police statement"
            word = re.sub(r"['’]s$", "", owner.group(1)) if owner else ""
            if issuer is None and word[:1].isupper():
                issuer = word
            elif issuer is None and word.lower() in _ORG_HEADS:  # "the agency's forecast": the agency named before
                owned = owner is not None and word != owner.group(1)  # a possessive: look up whose
                issuer = (self.organisation(min(start, before), word.lower()) if owned else None) or word
            return issuer, "document"
        definite = bool(re.match(r"(?:the|his|her|their|its)\s", raw, re.IGNORECASE))
        outlet = re.findall(r"\b[A-Z][\w’'&.-]*(?:\s+[A-Z][\w’'&.-]*)*", core) if head in _OUTLET_HEADS else []
        if definite and outlet:
            return outlet[0], "name"  # "the Trouw daily said": the paper speaks for itself
        if _AGE_HEAD.match(head):  # "said the 60-year-old": the person the text was just about
            return self.recent_subject(before), "description"
        places = [m for m in found if m.type == "place"]
        if places and len(found) == 1 and self.text[places[0].start : places[0].end].strip() == raw.strip():
            return self.name(places[0]), "name"  # "Russia said": the government
        named = re.search(r"\b(?:[A-Z][\w’'-]+\s+)*[A-Z][\w’'-]+$", raw)
        if named and found and named.start() > 0 and raw[: named.start()].split()[-1].lower() in _PERSON_HEADS:
            return self.bare_name(named.group(0)) or named.group(0), "name"  # "fan Jordan Deuschleman"
        if head not in _PERSON_HEADS and head.endswith("s") and head[:-1] in _PERSON_HEADS:
            text = re.split(r"\s+(?:who|which|that|in|on)\s+", raw)[0]  # "write the authors": a group, not one of them
            return (text if 0 < len(text.split()) <= 8 else None), "description"
        if head in _PERSON_HEADS:
            agent = _agent(raw, head)  # "The Fitbit representative", "an agency official": who they speak for
            if definite or (not raw[:1].islower() and head in TITLES):
                owner = self.titled(head, before)
                if owner:
                    return owner, "description"
                if agent is None and (owner := self.recent_subject(before, described=True)):
                    if _DESCRIBED_SUBJECT.match(owner + " said"):  # "Another … attorney … said …. “…,” said the lawyer"
                        return re.split(r"\s+(?:who|which|that)\s+", raw)[0], "description"
                    return owner, "description"
            if orgs and head in TITLES:  # "a DHS spokeswoman": nobody named, the organisation speaks
                return self.name(orgs[0]), "name"
            if agent is not None and not agent.islower():
                return agent, "name"  # "The Fitbit representative": Fitbit
            if agent is not None and (owner := self.organisation(min(start, before), agent)):
                return owner, "name"  # "an agency official": the agency named before (not "… in an email to CNN")
            text = re.split(r"\s+(?:who|which|that)\s+", raw)[0]
            return (text if 0 < len(text.split()) <= 8 else None), "description"
        if orgs:
            return self.name(orgs[0]), "name"
        if head in ORG_WORDS and re.search(r"\b[A-Z]", description):  # "the Amaq agency": an organisation
            return description, "description"
        if head in _ORG_HEADS and (re.match(r"(?:the|its|their)\s", raw, re.IGNORECASE) or raw == head):
            return self.organisation(before, head) or raw, "description"  # "the company", "the weather service"
        return self.bare_name(raw), "name"

    def organisation(self, before: int, head: str) -> str | None:
        """The organisation "the company" or "the weather service" refers to: the last one named in the three
        sentences before whose name has that head word ("National Weather Service", "Jet Airways" for "the
        airline"); for a word that names any organisation ("company", "group"), the last one named, preferring
        one said to speak ("The Syrian Observatory … said …" over a town it names)."""
        here = _sentence_of(self.sentences, before)
        named = [
            m
            for m in self.mentions
            if m.type == "organization"
            and m.end <= before
            and here - _sentence_of(self.sentences, m.start) <= 3
            and not _outlet(self.name(m))  # "AFP adds: …": the agency reports, "the monitoring group" is another
        ]
        words = _HEAD_NAMES.get(head, {head})
        with_head = [m for m in named if words & set(m.text.lower().split())]
        if with_head:
            return self.name(with_head[-1])
        speaking = [m for m in named if _SPOKE.match(self.text[m.end : m.end + 120])]
        return self.name((speaking or named)[-1]) if named and head in _ANY_ORG else None

    def it(self, before: int) -> str | None:
        """What "it said" refers to: the organisation or body that last spoke in the two sentences before
        ("the Qingyuan public security department said on its Weibo account. “…,” it said")."""
        here = _sentence_of(self.sentences, before)
        window = [s for s in self.sentences if here - 2 <= s.index <= here and s.start < before]
        for sentence in reversed(window):
            text = self.text[sentence.start : min(sentence.end, before)]
            for match in reversed(list(_SUBJECT_SAID.finditer(text))):
                phrase = match.group("sp")
                if phrase.split()[0].lower() in _STRAY | {"it"} or phrase.split()[-1].lower() in _PRONOUNS:
                    continue
                at = sentence.start + match.start("sp")
                speaker, how = self.part(at, at + len(phrase), phrase, before, None)
                if speaker and how != "pronoun":
                    return speaker
        return None

    def bare_name(self, raw: str) -> str | None:
        """A capitalised name the finder did not tag ("Hanson" after a quote): a known person it ends, or itself."""
        words = raw.split()
        while len(words) > 1 and words[0].lower().rstrip(".") in TITLES:  # "Mr. Obama" is Barack Obama
            words = words[1:]
        if not 1 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
            return None
        if words[-1].lower().strip(".") in _DOCUMENT or raw.lower() in _STRAY:
            return None
        bare = [re.sub(r"['’]s$", "", w.lower().strip(".")) for w in words]
        if any(w in WEEKDAYS for w in bare) or (len(bare) == 1 and bare[0] in _MONTHS_NOT_NAMES):
            return None  # "Saturday", "Monday's", "September": a date left in the attribution, never a speaker
        known = {self.name(m) for m in self.mentions if m.type == "person"}
        for name in sorted(known, key=len, reverse=True):
            if name.split()[-len(words) :] == words:
                return name
        return " ".join(words)

    def titled(self, head: str, before: int) -> str | None:
        """The last person named before ``before`` whose title includes ``head`` ("leader", "spokesman")."""
        here = _sentence_of(self.sentences, before)
        near = (m for m in self.mentions if m.end <= before and m.type == "person")
        near = (m for m in near if here - _sentence_of(self.sentences, m.start) <= _TITLE_REACH)
        for m in sorted(near, key=lambda m: -m.start):
            known = self.titles.get(self.name(m), frozenset())
            if any(head in t.split() for t in known) or head in (m.title or "").lower().split():
                return self.name(m)
        return None

    def recent_subject(
        self, before: int, gender: str | None = None, window: int = 2, described: bool = False
    ) -> str | None:
        """The person the text was just about: the first person named in the nearest sentences before ``before``;
        with ``described``, a sentence that opens with an unnamed speaker ("The Uber driver told state police …")
        stops the search at that description."""
        here = _sentence_of(self.sentences, before)
        for index in range(here, max(-1, here - window - 1), -1):
            sentence = next((s for s in self.sentences if s.index == index), None)
            if described and sentence is not None and sentence.start < before:
                opener = _DESCRIBED_SUBJECT.match(self.text[sentence.start : before])
                head = opener.group("head").lower() if opener else ""
                if opener and head in _PERSON_HEADS and self.fits_role(head, gender):
                    return opener.group("who")  # who opens the sentence speaks; names after it are objects
            in_sentence = [
                m
                for m in self.mentions
                if m.type == "person"
                and m.end <= before
                and _sentence_of(self.sentences, m.start) == index
                and not _owns_other(self.text, m)  # "released by Allen's company": whose, not who
                and not _LISTENER.search(self.text[max(0, m.start - 40) : m.start])  # "told CNN's Chris Cuomo"
            ]
            fitting = [m for m in in_sentence if self.fits(self.name(m), gender)]
            subject = _PRONOUN_SUBJECT.match(sentence.text) if sentence is not None else None
            if subject and (gender is None or _PRONOUNS[subject.group("p").lower()] == gender):
                cut = sentence.start + subject.start("p")  # "The day before, she … was replaced by Giuliani":
                fitting = [m for m in fitting if m.start < cut]  # she is someone named before; he is an object
            related = [  # "Smith's wife had gotten out of the car": "she" is the wife, not Smith
                (m, relation)
                for m in self.mentions
                if gender
                and m.type == "person"
                and m.end <= before
                and _sentence_of(self.sentences, m.start) == index
                and (relation := _RELATION.match(self.text[m.end : m.end + 40]))
                and _ROLE_GENDER.get(relation.group("head")) == gender
            ]
            if related and (not fitting or related[0][0].start <= fitting[0].start):
                m, relation = related[0]
                return self.text[m.start : m.end + relation.end()]
            speaking = [m for m in fitting if _SPOKE.match(self.text[m.end : m.end + 120])]
            if speaking or fitting:  # "… with the Journal du Dimanche, Professor Carpentier said …": who spoke
                return self.name((speaking or fitting)[0])
        return None

    def fits_role(self, head: str, gender: str | None) -> bool:
        """Whether a description's head word ("spokeswoman", "father") agrees with a pronoun's gender."""
        return gender is None or _ROLE_GENDER.get(head, gender) == gender

    def topic_changed(self, start: int, end: int, keep: str | None) -> bool:
        """Whether the text between two quotes is about someone else: a person other than ``keep`` named in a
        sentence with no quote in it ("This is where Conway went into ultimate spin mode."; a few words in quotation
        marks are no quote), opening one, or said to speak there ("One of them, Satish Nair, stated that …")."""
        for m in self.mentions:
            if m.type != "person" or not start <= m.start < end or self.name(m) == keep or _owns_other(self.text, m):
                continue
            sentence = next((s for s in self.sentences if s.start <= m.start < s.end), None)
            if sentence is None or re.match(r"\W*(?:He|She|They)\b", sentence.text):
                continue  # "She added that … Whitaker …": still about the one speaking
            if not any(s < sentence.end and sentence.start < e for s, e in self.spans):
                return True
            if _NEW_SPEAKER.match(self.text[m.end : m.end + 40]) and not sentence.start <= start < sentence.end:
                return True  # not in the last quote's own attribution ("Gwynne Shotwell, SpaceX COO, said")
            if _OPENS.search(self.text[max(0, m.start - 40) : m.start]):  # titles aside, it opens the sentence
                return True
        return False

    def introduced(self, start: int, end: int) -> bool:
        """Whether a sentence between two quotes, with no quote of its own, names a person: the text turns to
        someone (perhaps the next quote's speaker), so the earlier quote is not theirs."""
        for m in self.in_range(start, end):
            sentence = next((s for s in self.sentences if s.start <= m.start < s.end), None)
            if m.type != "person" or sentence is None or re.search(r"[“”\"]", sentence.text):
                continue
            if not re.search(r"[”\"]\s*$", self.text[max(0, sentence.start - 3) : sentence.start]):
                return True  # not '“Okay!” Weiner said loudly.', which a segmenter may cut after the mark
        return False

    def person_like(self, speaker: str | None) -> bool:
        """Whether a speaker found so far can be a person ("he" or "she" may refer back to it): a name some
        person is known by (the surname is enough), else anything but an organisation, a place or a document."""
        if not speaker:
            return False
        last = speaker.split()[-1]
        if any(self.name(m).split()[-1] == last for m in self.mentions if m.type == "person"):
            return True
        if any(self.name(m) == speaker for m in self.mentions):
            return False  # known, and only as an organisation, a place or a group
        return last.lower() not in _ORG_HEADS | _DOCUMENT

    def pronoun(self, before: int, previous: str | None, gender: str | None) -> str | None:
        """Who "he" or "she" is, and what the text now knows of that person's gender."""
        found = self._pronoun(before, previous, gender)
        if found and gender:
            self.gender.setdefault(found, gender)  # "…,” she said: Selina Brace is a "she" from now on
        return found

    def _pronoun(self, before: int, previous: str | None, gender: str | None) -> str | None:
        if not self.person_like(previous):
            previous = None
        people = [m for m in self.mentions if m.end <= before and m.type == "person"]
        if not people:
            return previous if previous and self.fits(previous, gender) else None
        recent = self.previous_end >= 0 and before - self.previous_end < 800
        if (
            previous
            and self.fits(previous, gender)
            and recent
            and not self.topic_changed(self.previous_end, before, previous)
        ):
            return previous
        here = _sentence_of(self.sentences, before)
        nearest = _sentence_of(self.sentences, people[-1].start)
        if here - nearest > 3:
            return previous
        return self.recent_subject(before, gender, window=3, described=True) or (
            previous if previous and self.fits(previous, gender) else None
        )

    def narrator(self, start: int, previous_speaker: str | None = None) -> str | None:
        """The subject of the sentence right before a quote that opens its own sentence, when that sentence says
        the subject spoke or wrote ("Sam Gyimah … explained why he could not support the deal. “This is like …”");
        a "he" or "she" there is resolved as any pronoun ("“I’m not racist,” he said on one radio show. “…”")."""
        here = _sentence_of(self.sentences, start)
        previous = next((s for s in self.sentences if s.index == here - 1), None)
        if previous is None or start - previous.end > 4:
            return None
        if any(previous.start <= s < previous.end for s, _ in self.spans):  # a quote of its own ("90% sure" is not)
            return None
        if not re.search(rf"\b(?:{_VERBS}|{_STANCE})\b", previous.text):
            return None
        opener = _DESCRIBED_SUBJECT.match(self.text[previous.start : previous.end])
        if opener and opener.group("head").lower() in _PERSON_HEADS:
            return opener.group("who")  # "Vanessa’s friends say …", "The Uber driver told police …"
        people = [m for m in self.in_range(previous.start, previous.end) if m.type == "person"]
        if people and re.match(r"\W*(?:[A-Z][\w.’'-]*\s+){0,4}$", self.text[previous.start : people[0].start]):
            return self.name(people[0])  # named at the start of that sentence: its subject
        for m in people:  # "“They kept coming,” Williams said. “Guys with helmets …”"
            if re.search(r"[”\"],?\s+$", self.text[previous.start : m.start]) and _SPOKE.match(self.text[m.end :]):
                return self.name(m)
            if re.search(rf"[”\"],?\s+{_VERBS}\s+(?:[\w.’'-]+\s+){{0,4}}$", self.text[previous.start : m.start]):
                return self.name(m)  # "“They're in limbo,” said Gustavo Salvador, a Red Cross worker. “Many …”"
        for m in people:  # "Of the two dogs injured, Banjo and Crosby, King said one might have …"
            if _SPOKE.match(self.text[m.end : previous.end]) and not _possessive(self.text, m):
                return self.name(m)
        if pronoun := _PRONOUN_SAID.search(previous.text):
            at = previous.start + pronoun.start("p")
            return self.pronoun(at, previous_speaker, _PRONOUNS[pronoun.group("p").lower()])
        return None

    def issuer(self, start: int, orgs: Sequence[Mention], noun: str) -> str | None:
        """Who issued the document a quote comes from ("the statement said"): named in the phrase, or the
        person or organisation that a nearby sentence says released that kind of document."""
        if orgs:
            return self.name(orgs[0])
        kinds = "statement|release|message" if noun in ("statement", "release", "message") else re.escape(noun)
        window_start = max(0, start - 400)
        window = self.text[window_start:start]
        issued = list(
            re.finditer(
                rf"(?:{kinds})\s+(?:(?:on|late|early)\s+\w+\s+)?(?:from|by|of)\s+|"
                rf"\b(?:said|says|released|issued|posted|offered|sent|wrote|published)\b[^.]{{0,40}}\b(?:{kinds})\b",
                window,
                re.IGNORECASE,
            )
        )
        if not issued:
            return None
        hit = issued[-1]
        if hit.group(0).lower().rstrip().endswith(("from", "by", "of")):
            after = self.in_range(window_start + hit.end(), window_start + hit.end() + 80)
            named = [m for m in after if m.type in ("person", "organization", "group", "place") and not _described(m)]
            return self.name(named[0]) if named else None
        at = window_start + hit.start()
        sentence = next((s for s in self.sentences if s.start <= at < s.end), None)
        candidates = self.in_range(sentence.start if sentence else at - 200, at)
        named = [m for m in candidates if m.type in ("person", "organization", "group") and not _described(m)]
        return self.name(named[0]) if named else None


#: months that are not also first names or surnames ("Theresa May", "June Carter")
_MONTHS_NOT_NAMES = CALENDAR_WORDS - set(WEEKDAYS) - {"may", "june", "april", "august"}
_AGENT_HEADS = _words("spokesman spokeswoman spokesperson representative official officials executive aide staffer")


def _agent(raw: str, head: str) -> str | None:
    """The organisation a spokesperson-like description names ("The Fitbit representative" -> "Fitbit",
    "an agency official" -> "agency"), else ``None``."""
    if head not in _AGENT_HEADS:
        return None
    match = re.match(r"(?:the|an?|one)\s+(?P<org>(?:[A-Z][\w&.’'-]*\s+)+|[a-z]+\s+)(?:[a-z-]+\s+)?[a-z]+$", raw, re.I)
    if match is None:
        return None
    org = match.group("org").strip()
    return org if org[:1].isupper() or org.lower() in _ORG_HEADS else None


def _possessive(text: str, m: Mention) -> bool:
    """A name in the possessive ("Romney's digital director"): whose, not who."""
    return text[m.end : m.end + 2] in ("'s", "’s")


def _owns_other(text: str, m: Mention) -> bool:
    """A name owning an organisation or another person ("Allen's company", "Romney's digital director"): the
    sentence is about them, not about the name ("Brown's Plan B" still is about Brown)."""
    owned = re.match(r"['’]s((?:\s+[a-z-]+){1,3})", text[m.end : m.end + 40])  # "Trump's national security advisor"
    return bool(owned) and any(w in _ORG_HEADS | _PERSON_HEADS for w in owned.group(1).split())


#: what may stand between "said" and a partial quote it reports: a time, then "that"
_REPORTED = re.compile(r"^(?:\s+(?:on\s+)?[A-Z]?[a-z]+day)?\s+that\b")


def _clause_subject(resolver: _Resolver, text: str, start: int, end: int) -> tuple[str | None, str]:
    """Who speaks a partial quote inside a sentence: the first person or organisation it names, except an
    organisation the person speaks for ("Mint spokesman Adam Stump") or a name in the possessive ("Romney's
    digital director Zac Moffatt"); "McSally’s campaign sent out a request for an “army of attorneys”" is
    the campaign."""
    named = [m for m in resolver.in_range(start, end) if m.type in ("person", "organization")]
    subjects = [m for m in named if not _possessive(text, m) and not _TOLD.search(text[max(0, m.start - 12) : m.start])]
    if (
        len(subjects) > 1
        and subjects[0].type != "person"
        and subjects[1].type == "person"
        and _TITLED_NEXT.match(text[subjects[0].end : subjects[1].start])
    ):
        subjects = subjects[1:]
    owner = _OWNED.match(text[named[0].end : end]) if named and _possessive(text, named[0]) else None
    if owner and owner.group("head") in _ORG_HEADS | _PERSON_HEADS and (not subjects or owner.end() < 20):
        return text[named[0].start : named[0].end + owner.end()], "description"
    return (resolver.name(subjects[0]), "subject") if subjects else (None, "none")


#: news agencies and outlets: they report what someone said; they speak only as "the Trouw daily said"
_AGENCIES = _words(
    "reuters afp ap bbc cnn abc nbc cbs msnbc npr pbs pti ani ians nan xinhua tass ria interfax kyodo yonhap "
    "anadolu irna isna bernama efe ansa dpa tmz gizmodo bloomberg politico axios"
)
_OUTLET_HEADS = _words(
    "news times post journal tribune herald telegraph guardian gazette chronicle daily newspaper paper "
    "magazine tabloid weekly radio television tv broadcaster broadcasting network channel wire press"
)


def _outlet(name: str) -> bool:
    """Whether a speaker found is a news outlet ("AFP", "the Australian Broadcasting Corporation")."""
    words = [w.strip(".,’'").lower() for w in name.split()]
    words = [w for w in words if w and w != "the"]
    if not words:
        return False
    if " ".join(words) in ("associated press", "agence france-presse", "france presse") or words[-1] in _AGENCIES:
        return True
    named = re.sub(r"^[Tt]he\s+", "", name)[:1].isupper()  # "the Trouw daily", not "the local paper"
    return named and (words[-1] in _OUTLET_HEADS or words[-2:] == ["broadcasting", "corporation"])


#: "Cain told CNN’s Chris Cuomo that …": the one told, not the "he" who said what follows
_LISTENER = re.compile(r"\b(?:told|tells|asked|asks)\s+(?:[A-Z][\w.&-]*['’]s\s+)?(?:[a-z-]+\s+){0,2}$")
#: "told Reuters", "said in an interview with CNN": who was told, not who spoke
_TOLD = re.compile(r"\b(?:told|tells|telling|to|with)\s+(?:the\s+)?$")
#: "said Melodye Shore of Laguna Niguel": a name after "of" or "from" is where the speaker is from
_AFFILIATION = re.compile(r"\b(?:of|from|at|in|for|with)\s+(?:the\s+)?$")
#: what stands between an organisation and the person who speaks for it: "Mint spokesman ", "CIA director "
_TITLED_NEXT = re.compile(r"^\s+(?:[a-z-]+\s+){1,3}$")
#: "’s campaign", "'s longtime lawyer": what a possessive name owns
_OWNED = re.compile(r"^['’]s\s+(?:[a-z-]+\s+){0,2}?(?P<head>[a-z]+)\b")


def _described(m: Mention) -> bool:
    """A "name" that is a description: "South Carolina Republican", "the North Korean" (a party, a nationality)."""
    return m.text.split()[-1].lower() in DEMONYMS


#: "'s wife", "’s longtime lawyer": whose relative, lawyer or spokesman someone is
_RELATION = re.compile(r"^['’]s\s+(?:[a-z-]+\s+){0,2}?(?P<head>[a-z-]+)\b")


def _named_after_verb(resolver: _Resolver, end: int, match: re.Match[str]) -> str | None:
    """The person named right after the verb when what comes before it names nobody: in "“…,” both Democratic
    and Republican, says David Graham" the words before "says" finish the quoted sentence."""
    if any(m.type == "person" for m in resolver.in_range(end + match.start("sp"), end + match.end("sp"))):
        return None
    verb = resolver.text[end + match.end("sp") : end + match.start("rest")].split()
    if match.group("sp").strip().lower() in _PRONOUNS or not verb or verb[-1] in ("told", "tells", "asked", "asks"):
        return None  # "she told Davao Today": who was told
    verb_end = end + match.start("rest")
    named = [m for m in resolver.in_range(verb_end, verb_end + 40) if m.type == "person"]
    if named and re.fullmatch(r"\s+", resolver.text[verb_end : named[0].start]):
        return resolver.name(named[0])
    return None


def _colon_intro(text: str, start: int) -> tuple[int, int] | None:
    """The line before a quote that opens its own paragraph, when that line ends with a colon."""
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip():
        return None
    k = line_start - 1
    while k > 0 and text[k - 1] in "\n ":
        k -= 1
    previous_start = text.rfind("\n", 0, k) + 1
    line = text[previous_start:k]
    if line.rstrip().endswith(":") and len(line.split()) <= 40:
        return previous_start, k
    return None


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
    inside: list[bool] = []  # per quote: whether it stands inside a sentence of the writer's
    previous: str | None = None
    previous_end = -1
    for start, end in spans:
        resolver.previous_end = previous_end
        inner = text[start:end].strip('“”"').rstrip()
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        after = re.sub(r"^([,.]?)[”\"](?=\s)", r"\1 ", text[end:line_end])  # 'agreed”,” he told': a doubled mark
        line_start = text.rfind("\n", 0, start) + 1
        sentence = next((s for s in sentences if s.start <= start < s.end), None)
        clause_start = max(line_start, sentence.start if sentence else line_start)
        before_text = text[clause_start:start]
        cut = max(before_text.rfind("? "), before_text.rfind("! "))  # a question ends a clause inside a sentence
        clause_start += cut + 2 if cut >= 0 else 0
        for s_start, s_end in spans:  # a quoted sentence ends a clause too: “… we need. “It will …”
            if clause_start <= s_start and s_end <= start and re.search(r"[.!?][”\"]?\s*$", text[s_start:s_end]):
                clause_start = s_end
        before = text[clause_start:start]
        speaker: str | None = None
        how = "none"
        attributed = False  # an attribution to a document nobody can be named for: no guessing after it
        ends_sentence = (re.search(r"\.[’']?$", inner) and not re.match(r"^\s*[a-z]", after)) or bool(
            re.match(r"[.!?]\s+[A-Z]", after)  # “…”. Human Rights Watch said …: the next sentence's subject
        )
        dash = _AFTER_DASH.match(after)
        if dash and _CREDIT.search(after[: dash.end() + 80]):
            dash = None  # "—Associated Press reporters Margaret Stafford … contributed to this report": the writers
        if dash and not _outlet(dash.group("sp").strip()):  # "— AFP" closing a story credits the agency
            speaker, how = resolver.phrase(end + dash.start("sp"), end + dash.end("sp"), start, previous, True)
        if not speaker and not ends_sentence:
            for rx in (_AFTER_VERB_FIRST, _AFTER_SPEAKER_FIRST, _ACCORDING):
                match = rx.match(after) if rx is not _ACCORDING else rx.match(after.lstrip(" ,"))
                if (
                    match
                    and rx is _AFTER_SPEAKER_FIRST
                    and _OWN_CLAUSE.match(match.group("rest"))
                    and not re.search(r"\b(?:told|tells|asked|asks)\s*$", after[: match.start("rest")])
                ):  # "Trump told his rival": whom he told
                    continue  # “…!” The Morning News said it was …: a statement of its own
                if (
                    match
                    and rx is _AFTER_SPEAKER_FIRST
                    and re.search(r"[?!][’']?$", inner)
                    and _REPORTS.match(after[match.end("sp") :])
                ):
                    continue  # “… or what?'” Elsewhere, the center said Hermine had formed: a new statement
                if match and rx is _AFTER_SPEAKER_FIRST and (named := _named_after_verb(resolver, end, match)):
                    speaker, how = named, "name"  # “…,” both Democratic and Republican, says David Graham
                    break
                if match and rx is _ACCORDING and _outlet(match.group("sp").strip()) and _VERB_BEFORE.search(before):
                    continue  # Ashton said the man had “…,” according to the ABC: the outlet reports Ashton
                if match:
                    offset = end + (after.find(after.lstrip(" ,")) if rx is _ACCORDING else 0)
                    speaker, how = resolver.phrase(
                        offset + match.start("sp"), offset + match.end("sp"), start, previous, rx is _AFTER_VERB_FIRST
                    )
                    attributed = how == "document"
                    if speaker or attributed:
                        break
        if not speaker and not attributed:
            for verb in reversed(list(re.finditer(rf"\s+{_VERBS}\b", before))):  # the verb nearest the quote
                tail = before[verb.end() :]
                if _AUXILIARY.match(tail):
                    continue  # "member states have “…”": a noun, not a verb
                reach = 160 if _REPORTED.match(tail) else 60  # "said Thursday that a threat … is “…”"
                if len(tail) > reach or re.search(r"[“”\".;]", tail) or not before[: verb.start()].strip():
                    continue
                quoted = [e for s_, e in spans if clause_start <= s_ and e <= clause_start + verb.start()]
                subject_start = max([clause_start, *quoted])  # “…” but included an affidavit that says: after it
                who = _WHO_AND.search(before[: verb.start()])
                if who and who.group("head") in _PERSON_HEADS:  # "a narrator who introduces Mr. Baghdadi and adds"
                    speaker, how = who.group("who"), "description"
                    break
                speaker, how = resolver.phrase(subject_start, clause_start + verb.start(), start, previous, False)
                attributed = how == "document"
                break
        if not speaker and not attributed and (match := _ACCORDING.search(before)):
            speaker, how = resolver.phrase(
                clause_start + match.start("sp"), clause_start + match.end("sp"), start, previous, True
            )
        if not speaker:
            mids = list(_MID.finditer(before)) or list(_THOUGHT.finditer(before))
            if mids:
                m = mids[-1]
                speaker, how = resolver.phrase(
                    clause_start + m.start("sp"), clause_start + m.end("sp"), start, previous, False
                )
        if not speaker and not attributed and (framing := _PARTICIPLE.search(before)):
            subjects = [
                m
                for m in resolver.in_range(clause_start, clause_start + framing.start())
                if m.type in ("person", "organization") and not _possessive(text, m)
            ]
            people = [m for m in subjects if m.type == "person"][-1:]  # "Romney's digital director Zac Moffatt"
            first = re.match(r"\s*([^,]{2,60}?)(?=,|\s+(?:has|have|had|is|was|were|did|made|took)\b)", before)
            titled = first and re.fullmatch(
                r"(?:[Tt]he|[Hh]is|[Hh]er)\s+(?:[\w-]+\s+){0,2}(?P<head>[\w-]+)", first.group(1)
            )
            if titled and titled.group("head").lower() in _PERSON_HEADS:  # "The President, speaking on his TV show …"
                subjects = []
            if subjects:
                speaker, how = resolver.name((people or subjects)[0]), "subject"
            else:
                if first:
                    speaker, how = resolver.part(
                        clause_start + first.start(1), clause_start + first.end(1), first.group(1), start, previous
                    )
        if not speaker and (intro := _colon_intro(text, start)):
            named = [m for m in resolver.in_range(*intro) if m.type in ("person", "organization", "group")]
            named.sort(key=lambda m: m.type != "person")  # "Mint spokesman Adam Stump issued this statement:"
            speaker, how = (resolver.name(named[0]), "introduction") if named else (None, "none")
        embedded = bool(before.strip())  # a partial quote inside someone's sentence: that sentence's subject
        rest = text[end : sentence.end] if sentence and sentence.end > end else ""
        another = any(end <= s_start < end + len(rest) for s_start, _ in spans)  # the tail is another quote's
        if not speaker and not attributed and embedded and not another and (tail := _TAIL.search(rest)):
            group = next(g for g in ("after", "according", "before") if tail.group(g))
            speaker, how = resolver.phrase(end + tail.start(group), end + tail.end(group), start, previous, True)
        if not speaker and not attributed and embedded and (opening := _OPENING_SPEAKER.match(before)):
            speaker, how = resolver.phrase(  # "The US treasury said it declined …, but … that the commission was “…”"
                clause_start + opening.start("sp"), clause_start + opening.end("sp"), start, previous, False
            )
            attributed = how == "document"
        if not speaker and not attributed and embedded and not re.match(r"\s*(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t)\b", before):
            speaker, how = _clause_subject(resolver, text, clause_start, start)
        if not speaker and not attributed and not embedded and (lead := resolver.narrator(start, previous)):
            speaker, how = lead, "introduction"
        if (
            not speaker
            and not attributed
            and not embedded
            and previous
            and start - previous_end < 600
            and not resolver.topic_changed(previous_end, start, previous)
        ):
            speaker, how = previous, "continuation"
        if (
            not speaker
            and not attributed
            and embedded
            and previous
            and quotes
            and quotes[-1].speaker == previous  # the quote just before is that speaker's, not someone else's
            and len(before.split()) <= 6
            and not before.rstrip().endswith(":")  # "Per a little bird: “…”": an attribution of its own
            and _sentence_of(sentences, start) - _sentence_of(sentences, previous_end) <= 1
            and not any(m.type in ("person", "organization") for m in resolver.in_range(clause_start, start))
            and not resolver.topic_changed(previous_end, start, previous)
        ):
            speaker, how = previous, "continuation"  # “…,” Kreidberg told Gizmodo. It “opens the door …”
        how = how if speaker or attributed else "none"
        quotes.append(Quote(text[start:end].strip('“”"'), speaker, doc_id, start, end, how))
        inside.append(embedded)
        if speaker:
            previous, previous_end = speaker, end
        elif attributed:  # "…,” according to the criminal complaint: the next quote does not go back further
            previous = None
    # a quote opening a paragraph may be attributed by the next quote in it ("…?” … ,” Schumer said.)
    out: list[Quote] = []
    for i, q in enumerate(quotes):
        following = quotes[i + 1] if i + 1 < len(quotes) else None
        if (
            q.how == "none"
            and not inside[i]  # "… for its “rupture of the democratic order.” Maduro responded …": not Maduro's
            and following
            and following.speaker
            and following.start - q.end < 300
            and not resolver.introduced(q.end, following.start)  # “…” Also, Mr X said that … “…,” he said
        ):
            q = Quote(q.quote, following.speaker, q.doc_id, q.start, q.end, "continuation")
        out.append(q)
    return out
