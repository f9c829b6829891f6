"""Clean: remove web boilerplate from article text, plain text included.

Scraped articles arrive wrapped in junk that HTML extractors cannot see
once the markup is gone: comment forms, "Must Read" teasers of unrelated
stories, photo captions (often twice), credits, bylines, datelines,
breadcrumbs, share lines, reader comments, repeated headlines.

The cleaner works line by line (a line is a paragraph in scraped text)
in three passes:

1. **Shape and pattern**: each line gets features that generalise across
   sites (families of boilerplate phrases, length, terminal punctuation,
   capitalisation, trailing credits, ellipsis-truncated teasers).
2. **Context**: repeated lines and headline copies, caption pairs,
   teaser blocks that follow a "Related"/"Must Read" header, and the
   tail after the article ends (comment section, teasers), which is cut
   only once most of the body lies above it.
3. **Metadata**: what the junk tells us is kept: the headline becomes the
   title, a standalone date the publication date, "Source: X" the outlet.

Every dropped line carries a reason, so ``tidings clean --explain`` can
show why, and the labelled fixture in the tests measures precision and
recall of the kept lines.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import NamedTuple, Protocol

from tidings.ingest.dates import parse_date
from tidings.ingest.urls import host
from tidings.model import Document

# -- phrase families ---------------------------------------------------------
# Each family is a handful of patterns describing a *kind* of boilerplate
# (not strings from one site); lines are matched case-insensitively.


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


_WORD_RUN = re.compile(r"[a-z0-9]+")
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")  # the non-ASCII letters re.IGNORECASE equates with ASCII


class _Family:
    """A phrase family searched the fast way, with the same verdicts as one search of all its patterns (``regex``).

    Python's ``re`` tries every alternative of a pattern at every position, and
    a pattern anchored at the start is cheap only when it stands alone. So the
    patterns anchored at the start are matched there, together; each other rule
    is searched only in a text that holds, as a whole word, one of the words
    listed with it (the words the rule delimits with ``\b`` or whitespace, so
    that they are word runs of the lower-cased text too).
    """

    def __init__(self, *, start: tuple[str, ...] = (), rules: tuple[tuple[str, str], ...] = ()) -> None:
        self._patterns = (*(f"^(?:{p})" for p in start), *(pattern for _, pattern in rules))
        self._start = _rx(*start) if start else None
        self._rules = tuple((frozenset(words.split()), _rx(pattern)) for words, pattern in rules)

    @functools.cached_property
    def regex(self) -> re.Pattern[str]:
        """All the patterns as one search: the reference the fast way must agree with (compiled on first use)."""
        return _rx(*self._patterns)

    def search(self, text: str, words: set[str] | None = None) -> bool:
        """Whether the family occurs in ``text``; ``words``: its :func:`_word_runs`, if known (None: search all)."""
        if self._start is not None and self._start.match(text):
            return True
        return any((words is None or not keys.isdisjoint(words)) and rx.search(text) for keys, rx in self._rules)


def _word_runs(text: str, lowered: str) -> set[str] | None:
    """The word runs of a lower-cased text, or None when a letter that re.IGNORECASE folds to ASCII hides one."""
    return None if _FOLDS_TO_ASCII.search(text) else set(_WORD_RUN.findall(lowered))


COMMENT_FORM = _Family(
    start=(r"\s*\d+\s+(comments?|replies|responses)\s*$", r"\s*(comments?|replies|discussion)\s*(\(\d+\))?\s*:?\s*$"),
    rules=(
        ("reply comment response", r"\b(leave|post|add|write|submit)\s+(a|your)\s+(reply|comment|response)\b"),
        ("please", r"\bplease\s+(enter|type|fill in|provide)\s+your\s+(comment|name|e-?mail)"),
        ("email mail", r"\byour\s+e-?mail\s+(address\s+)?will\s+not\s+be\s+published"),
        ("required", r"\brequired\s+fields\s+are\s+marked"),
        ("first", r"\bbe\s+the\s+first\s+to\s+(comment|reply|review)"),
        ("log sign login signin", r"\b(log|sign)\s*in\s+to\s+(comment|reply|post)"),
        ("notify", r"\bnotify\s+me\s+of\s+(follow-?up|new)\s+(comments|posts)"),
        ("save", r"\bsave\s+my\s+name,?\s+e-?mail"),
        ("comment comments", r"\bcomments?\s+(are|have been)\s+(closed|disabled)"),
        ("comments", r"\b(view|show|load|read)\s+(all\s+)?(\d+\s+)?comments\b"),
        ("join", r"\bjoin\s+the\s+(conversation|discussion)\b"),
    ),
)
SPAM_NOTICE = _Family(
    rules=(
        ("akismet", r"\bakismet\b"),
        ("spam", r"\breduce\s+spam\b"),
        ("comment", r"\bcomment\s+data\s+is\s+processed"),
    )
)
_CHROME_START = (
    r"\s*(share|tweet|email|e-mail|print|pin|save|reddit|whatsapp|facebook|twitter|linkedin)"
    r"(\s+(this|on|via|to)(\s+\w+){0,3})?\s*$",
    # a row of share buttons: "share tweet pin email"
    r"(?:\s*(?:share|tweet|e-?mail|print|pin|save|reddit|whatsapp|facebook|twitter|linkedin|comments?)\b[\s|,/·•]*){2,}$",
    r"\s*breaking\s+news\s+(e-?mails|alerts)\b",
    r"\s*advertisement\s*$|\s*sponsored(\s+content)?\s*$|\s*ad\s*$",
    r"\s*(©|copyright\s+(©\s*)?\d{4})",
    r"\s*(view|see|read)\s+(the\s+)?(original|source|full\s+(article|story))\s*\.?\s*$",
    r"\s*(article|story|originally\s+published)\s+(at|on|from|via|in)\s+[\w .'-]{2,40}$",
    # an outlet's app and alerts: "Get the CBS app for iPhone & iPad!", "Or, keep up-to-date on the latest news and
    # weather with the Denver7 apps for iPhone/iPads"
    r"\s*(or,?\s+)?(download|get|install)\s+(the|our)\s+([\w&.'’-]+\s+){0,3}apps?\b",
    r"\s*(continue|keep)\s+reading\b",
    # correction notices: about the article, not the news
    r"\s*(\*\s*)?(correction\s*:?\s*)?(an?\s+)?(earlier|previous)\s+version\s+of\s+this\s+(article|story|post|report)\b",
    r"\s*(update\s*:\s*)?(this|the)\s+(article|story|post|report)\s+(has\s+been|was)\s+(updated|corrected|amended)\b",
    # a web archive's notes about its own crawl: "The seed for Wide00014 was:", "Slash pages from every domain"
    r"\s*these\s+crawls\s+are\s+part\s+of\b|\s*the\s+seed\s+for\s+\S+\s+was\b|\s*slash\s+pages\s+from\s+every\s+domain\b",
    # "For more on Rihanna, head over to Billboard.", "For the latest updates, check Markets Insider"
    r"\s*for\s+(more|further|the\s+latest|additional)\b(?!\s+than)[^.!?]{0,80}?,\s*(please\s+)?"
    r"(head|go|visit|check|see|click|read|follow|tune|sign|subscribe|download|watch|listen|call|contact|e-?mail|"
    r"log|browse|look|like|find)\b",
    r"\s*(tags?|topics?|filed\s+under|categories|keywords)\s*:",
    r"\s*add\s+a\s+location\s+to\s+your\b",  # "Add a location to your Tweets"
)
# Site chrome found anywhere in a text, rule by rule with its words ("top" only for "back to top").
_CHROME_RULES = (
    ("share post", r"\b(share|post)\s+(this|on)\s+(article|story|page|facebook|twitter|linkedin|whatsapp)\b"),
    (
        "subscribe signup sign register",
        r"\b(subscribe|sign\s*up|register)\b.{0,40}\b(newsletters?|updates|alerts|inbox|our|free|today|now)\b",
    ),
    ("sign signup", r"\bsign\s*up\s+for\b.{0,100}\b(letter|newsletters?|briefing|digest|inbox)\b"),
    (
        "alerts updates emails newsletter newsletters",
        r"\b(get|receive)\s+(breaking\s+news|news|email|e-mail)\s+(alerts|updates|emails|newsletters?)\b",
    ),
    (
        "tweet location",
        r"\btweet\s+with\s+a\s+location\b|\btweet\s+location\s+history\b|\blocation\s+information\s+to\s+your\s+tweets\b",
    ),
    ("follow", r"\bfollow\s+us\s+on\b"),
    # "Join us on Facebook Like us and you'll find top breaking news in your Facebook newsfeed."
    ("join like", r"\b(join|like)\s+us\s+on\s+(facebook|twitter|instagram)\b|\blike\s+us\b.{0,60}\bnews\s*feed\b"),
    # "... then share your own thoughts on the ceremony in the comments"
    ("share", r"\bshare\s+your\s+(own\s+)?(thoughts|views|opinions?)\b.{0,60}\bcomments?\b"),
    ("click", r"\bclick\s+here\b"),
    ("reserved", r"\ball\s+rights\s+reserved\b"),
    ("cookies", r"\b(we\s+use|this\s+(site|website)\s+uses)\s+cookies\b"),
    ("skip top", r"\bskip\s+to\s+(main\s+)?content\b|\bback\s+to\s+top\b"),
    ("published posted", r"\bthis\s+(content|article|story|post)\s+was\s+(originally\s+)?(published|posted)\b"),
    ("app", r"\bdownload\s+(our|the)\s+(free\s+)?app\b|\bin\s+your\s+app\s+store\b"),
    (
        "app apps alerts newsletter newsletters mailing",
        r"\b(stay|keep)\s+up[- ]to[- ]date\b.{0,80}\b(apps?|alerts|newsletters?|mailing\s+list)\b",
    ),
    (
        "access subscriber subscribers reserved",
        r"\b(get|enjoy)\s+(unlimited\s+)?(digital\s+)?access\b|\bsubscribers?\s+only\b|\breserved\s+for\s+(our\s+)?subscribers\b",
    ),
    # notes that the article itself will change: "This is a developing story. Stay with KDKA for updates."
    (
        "updates details latest",
        r"\b(refresh\s+this\s+page|check\s+back|stay\s+with\s+[\w.' ]{2,30}?)\s+for\s+(regular\s+|more\s+)?"
        r"(updates|details|the\s+latest)\b",
    ),
    (
        "developing update",
        r"\bthis\s+is\s+a\s+developing\s+(story|situation)\b|\bwill\s+update\s+this\s+(story|article|post|report|page)\b",
    ),
    # a web archive's notes about its own crawl, printed on every archived page
    (
        "crawl heritrix domain interdomain",
        r"\bcrawl\s+of\s+outlinks\b|\bheritrix\b|\b(warc\s+files|seed\s+list)\b.{0,40}\bcrawl\b|"
        r"\bdonating\s+their\s+crawl\s+data\b|\binter-?domain\s+(navigational\s+)?link",
    ),
    ("wayback", r"\badded\s+to\s+the\s+wayback\s+machine\b"),
    (
        "referenced archived captures",
        r"\bas\s+the\s+pages\s+that\s+are\s+referenced\s+are\s+changed\b|\breferences\s+to\s+these\s+archived\s+pages\b"
        r"|\bweb\s+captures\s+(of|are\s+available)\b",
    ),
    ("archive", r"\busing\s+the\s+archive-it\s+service\b"),
    ("broken 404", r"\bfix\s+all\s+broken\s+links\s+on\s+the\s+web\b|\bno\s+more\s+404\b"),
    ("collection", r"\bfor\s+more\s+information\s+about\s+this\s+collection\b"),
    ("urls", r"\bmost\s+highly\s+ranked\s+urls\s+per\s+domain\b"),
    # newsletter sign-up forms: "Just fill in your contact details in the form below to join our mailing list"
    ("join", r"\bjoin\s+our\s+(mailing\s+list|newsletters?|e-?mail\s+list)\b"),
    # "ES News email The latest headlines in your inbox", "Enter your email address Continue"
    ("inbox", r"\b(latest|top|best|breaking)\s+(news|headlines|stories)\b.{0,30}\b(to|in)\s+your\s+inbox\b"),
    ("enter", r"\benter\s+your\s+e-?mail\s+address\b"),
    ("fill", r"\bfill\s+in\s+your\s+(contact\s+)?details\b"),
    # a player or a share button's own text: "Please enable Javascript to watch this video", "Click to email this to
    # a friend (Opens in new window)"
    ("javascript", r"\bplease\s+enable\s+javascript\b"),
    ("click opens", r"\bclick\s+to\s+(e-?mail|share|print|tweet)\b|\(opens\s+in\s+(a\s+)?new\s+window\)"),
    # a video gallery's buttons inside a line ("AP 3 of 68 Skip in Skip x Embed x Share CLOSE BABY, IT'S COLD...")
    ("skip", r"\bskip\s+in\s+skip\s+x\s+embed\s+x\s+share\b"),
    ("assets", r"\b\d+\s+related\s+media\s+assets\b"),  # "2 related media assets (image or videos) available."
)
SITE_CHROME = _Family(start=_CHROME_START, rules=_CHROME_RULES)
# A video player's notice, glued by scrapers to whatever follows ("Media playback is unsupported on your device Media
# caption ... At least 18 people have been killed"): cut out wherever it stands, the rest of the line kept.
PLAYER_NOTICE = re.compile(r"\bmedia\s+playback\s+is\s+(?:unsupported|not\s+supported)\s+on\s+your\s+device\b\s*", re.I)
# A status label set before a line with a bar ("Updated | When the first humans left Africa..."): the line is kept.
# So are the words of a video player's or a photo's buttons printed before a line ("CLOSE Skip in Skip x Embed x
# Share Late Wednesday afternoon, ...", "Buy Photo Genesee County health official..."): cut, the rest kept.
STATUS_LABEL = re.compile(
    r"^[ \t]*(?:(?i:updated|update|posted|published|breaking)[ \t]*\|[ \t]*"
    r"|(?:CLOSE[ \t]+)?Skip in Skip x Embed x Share[ \t]*|(?:CLOSE|Buy Photo)[ \t]+(?=[A-Z][a-z]))",
    re.M,
)
NAVIGATION = re.compile(r"^\s*[^|›»•·/]{1,30}(?:\s[|›»•·/]\s[^|›»•·/]{1,30}){2,}\s*$")
CREDIT_START = _rx(
    r"^\s*(ap|afp|epa|reuters|getty(\s+images)?|shutterstock|xinhua|ani|pti)\s*(photo|images?|/|$)",
    r"^\s*(file|handout)\s*(photo)?\s*[-–—:|]",
)
CREDIT = _rx(
    r"(image|photo|picture|video|graphic)\s*(copyright|caption|credit|source)",
    r"\b(combination|file|handout|undated|archive)\s+(file\s+)?(photo|picture|image)s?\b",
    r"^\s*(photo|photograph|picture|image|caption|credit|video)s?\s*:",
    r"\b(photo|photograph|picture|image)\s*:\s*[A-Z]",
    r"\((photo|image|picture|video)s?\s*(by|:|credit)",
    r"\b(photo|image|picture)s?\s+(by|courtesy\s+of)\s+[A-Z]",
    r"\b(ap|afp|epa|reuters)\s+photos?\b|\bgetty\s+images\b|\b(enlarge|close)\s+(image|photo)\b",
    r"^\s*in\s+th(is|ese)\s+([\w,.-]+\s+){0,7}(photos?|images?|pictures?|photographs?|frame\s+grab)\b",
    r"\bhide\s+caption\s+\d+\s+of\s+\d+\b",  # a gallery's slides: "Hide Caption 1 of 6 Photos: Sinking of the ..."
    # "Aurelie Chatelain, in this photograph provided by the Caudry City Hall April 22, 2015, is seen ..."
    r"\bin\s+th(is|ese)\s+(\w+\s+){0,2}(photos?|photographs?|images?|pictures?)\s+"
    r"(provided|released|taken|obtained|distributed|made\s+available)\b",
)
TRAILING_CREDIT = re.compile(
    r"\((?:ap|afp|reuters|epa|getty images?|[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)*/[^()]{2,60}|"
    r"(?:photo|image|video)[^()]{0,60})\)\s*$",
    re.IGNORECASE,
)
# "... liked what he heard. REUTERS/Jonathan Ernst", "AP Photo/David Zalubowski": an agency's photo credit ending a
# caption line (capitalised names only, no full stop: "a Reuters/Ipsos poll." is a sentence)
TRAILING_SLASH_CREDIT = re.compile(
    r"\b(?:REUTERS|Reuters|AFP|AP Photo|EPA(?:-EFE)?|Getty Images|Xinhua)\s?/\s?(?!Ipsos|NORC|YouGov|Marist)"
    r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3}"
    r"(?:\s?/\s?[A-Z][A-Za-z ]{1,20})?\s*$"
)
# "Eric Gay / AP Senator Wendy Davis listens...", "| John Shinkle/POLITICO ...", "Christina House / For The Times ...":
# a photographer's name and outlet opening a caption
SLASH_CREDIT = re.compile(
    r"^\s*(?:\|\s*)?(?:credit:?\s+)?(?!The\s)[A-Z][a-z]+(?:\s+[A-Z][a-z'’-]+){1,2}\s*/\s*"
    r"(?:[A-Z]{2,}\b|(?:For\s+)?The\s+[A-Z]\w+|Getty\b|Handout\b|Reuters\b|[A-Z][a-z]+\s+(?:Times|Post|News|Press)\b)"
)
TEASER_HEADER = _rx(
    r"^\s*(must\s+reads?|related(\s+(articles?|stories|posts|coverage|news|content|links|topics))?|"
    r"read\s+(more|next|also)|more\s+(from|on|in|stories|news)(\s+[\w ]{1,30})?|also\s+read|see\s+also|"
    r"recommended(\s+for\s+you)?|you\s+(may|might)\s+(also\s+)?(like|enjoy|be\s+interested\s+in)|"
    r"trending(\s+(now|stories|news))?|popular(\s+(now|stories|articles))?|most\s+(read|popular|viewed|shared)|"
    r"latest(\s+(news|stories|articles))?|top\s+stories|editor'?s?\s+picks?|don'?t\s+miss|"
    r"what\s+to\s+read\s+next|around\s+the\s+web|sponsored\s+stories|more\s+to\s+explore)\s*:?\s*$",
)
TEASER_INLINE = _rx(
    r"^\s*(related|read\s+more|read\s+next|read\s+also|also\s+read|see\s+also|more|trending(\s+news)?|"
    r"must\s+read|watch|listen|recommended|don'?t\s+miss)\s*[:|»>–—-]\s*\S",
)
BREADCRUMB = re.compile(
    r"^\s*home\s*(?:[›»>/|•]|\s+(?:news|world|politics|business|sports?|tech(?:nology)?|science|health|"
    r"opinion|entertainment|local|national|international|asia|europe|africa|americas|us|uk)\b)",
    re.IGNORECASE,
)
BYLINE = _Family(
    start=(
        r"\s*(by|written\s+by|posted\s+by|words\s+by|story\s+by)\s+[A-Z][\w.'-]+(\s+[A-Z][\w.'-]+){0,4}"
        r"(\s*(,|and|\||-|–)\s*[\w .'-]{0,60})?\s*$",
        r"\s*\(?(reporting|writing|editing|additional\s+reporting)\s+by\s+",
        r"\s*[A-Z][\w'-]+(\s+[A-Z][\w'-]+)?\s+reported\s+from\s+[A-Z][\w ,.'-]{2,40}\.?\s*$",
        r"\s*(posted|published|updated|last\s+updated|first\s+published)\s*(on|at|:)?\s+\S.{0,60}$",
        r"\s*[\w.+-]+@[\w-]+\.[\w.-]+\s*$",
    ),
    rules=(("contributed", r"\bcontributed\s+(to\s+)?(this\s+)?(report|story|article)\b"),),
)
SOURCE_LINE = re.compile(r"^\s*(?:source|via|courtesy(?:\s+of)?)\s*[:|-]\s*([A-Z][\w .&'-]{1,60}?)\s*\.?\s*$", re.I)
COMMENT_AUTHOR = re.compile(
    r"^\s*(?:\d+\.\s*)?(?:@?[A-Z][\w.'-]*|[a-z][\w.-]*\d[\w.-]*)(?:\s+[A-Z][\w.'-]*){0,3}\s+"
    r"(?:says|said|wrote|writes|replied|commented)\s*:?\s*$"
    r"|^\s*(?:\d+\.\s*)?[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3}\s+(?:on\s+)?"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}\s+(?:at\s+)?\d{1,2}:\d{2}",
)
_CAPS = r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ.'’-]+"  # SÃO PAULO, N'DJAMENA
_MONTH_DAY = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:,\s*\d{4})?"
_AGENCY = r"(?:\([A-Za-z][\w .&/'-]{0,30}\)|/[A-Za-z][\w ]{1,20}/)"  # (AP), (CBSMiami/AP), /PRNewswire/
_REGION = r"[A-Z][\w.]+(?:\s+[A-Z][\w.]+)?"
_WIRES = r"AP|Reuters|AFP|UPI|Bloomberg"  # agencies named in brackets in a dateline ("(AP)"), with CNN
# "WASHINGTON (AP) — ", "LIVERPOOL, England, Sept 24 (Reuters) - ", "Aug. 22 (UPI) -- ", "(CNN) -- ",
# "Berlin (AFP) - ", "PARIS, Aug 1 — ": a place in capitals, or a place in title case only with an agency or a day;
# or only the dash, where a scraper kept nothing else ("— For years, ...").
DATELINE_PREFIX = re.compile(
    # "(CNN) A Detroit man...", "Tokyo (CNN) Seven US sailors..."
    r"^\s*(?:(?:[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}\s+)?"
    rf"\((?:CNN[\w ]{{0,12}}|{_WIRES})\)\s+(?=[A-Z\"“‘'])|"
    r"(?:By\s+(?:The\s+)?Associated\s+Press\s+)?(?:"
    rf"{_CAPS}(?:\s+{_CAPS}){{0,3}}(?:,\s*(?:{_MONTH_DAY}|{_REGION})){{0,2}}(?:\s*{_AGENCY})?"
    rf"|[A-Z][a-z]+(?:\s+[A-Z][a-z]+){{0,2}}(?:,\s*{_MONTH_DAY})?\s*{_AGENCY}"
    rf"|[A-Z][a-z]+(?:\s+[A-Z][a-z]+){{0,2}},\s*{_MONTH_DAY}"
    rf"|{_MONTH_DAY}\s*{_AGENCY}"
    rf"|{_AGENCY}"
    r"|)(?:\s*[—–]\s*|\s*(?:--|-)\s+)(?=[A-Z\"“‘']))"  # "WIMBLEDON, England—At": a dash may touch its words
)
# A dateline inside a line starts the article there: what the scraper glued before it on the same line is a
# headline, a teaser or a photo's credit ("Mayor says SpaceX to build new rocket LOS ANGELES (AP) — SpaceX has...").
# Only an agency's dateline, after a word that is not in capitals (so "NEW YORK (AP)" is not cut after "NEW").
_AGENCY_MARK = re.compile(rf"\((?:CNN|{_WIRES})\)")
INNER_DATELINE = re.compile(
    r"(?<=[a-z0-9.…!?\"”’)])\s+"
    rf"(?={_CAPS}(?:\s+{_CAPS}){{0,3}}(?:,\s*(?:{_MONTH_DAY}|{_REGION})){{0,2}}\s*{_AGENCY_MARK.pattern}\s*(?:[—–]|--?)\s)"
)
# A dateline set off by a colon or ">>" ("BEIJING: ...", "YOKOSUKA, Japan >> Navy divers ..."); a transcript labels
# its speakers the same way ("PRESIDENT OBAMA: Great to be here."), so only a label heard once opening the body goes.
LABEL_PREFIX = re.compile(rf"^\s*({_CAPS}(?:\s+{_CAPS}){{0,3}}(?:,\s*{_REGION})?)\s*(?::|>>)\s+(?=[A-Z\"“‘'])")
DATELINE_ALONE = re.compile(r"^[A-Z][A-Z.'-]+(?:\s+[A-Z][A-Z.'-]+){0,3}(?:,\s*[A-Z][\w.]+(?:\s+[A-Z][\w.]+)?)?$")
LETTER = re.compile(r"[^\W\d_]")
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
TERMINAL = re.compile(r"[.!?]['\"”’»)\]]*$|[.!?]\s*\(\w+\)$")
QUESTION_HEADING = re.compile(
    r"^(what|why|how|who|whom|where|when|which|is|are|will|would|can|could|should|does|do|did|was|were|has|have)"
    r"\b[^,;:]*\?$",
    re.IGNORECASE,
)
ELLIPSIS_END = re.compile(r"(\.\.\.|…)\s*['\"”’»]?\s*$|\[\s*(…|\.\.\.)\s*\]")

# Drop reasons, grouped for reporting.
KEEP = "body"
TITLE = "title"
CAPTION = "photo caption or credit"

_HEAD_LINES = 8  # headline, deks and metadata appear within the first lines
_DATED_ENTRIES = 3  # date lines from which a text is a page of dated entries, not one dated article
_TAIL_SHARE = 0.55  # an end-of-article marker cuts the rest only below this share of the text


@dataclass(frozen=True, slots=True)
class Line:
    """One input line and the cleaner's verdict on it."""

    number: int
    text: str
    reason: str

    @property
    def kept(self) -> bool:
        return self.reason == KEEP


@dataclass(frozen=True, slots=True)
class Cleaned:
    """A cleaned document and the verdict on each of its lines."""

    document: Document
    lines: tuple[Line, ...]

    @property
    def dropped(self) -> list[Line]:
        return [line for line in self.lines if not line.kept and line.text]

    @property
    def captions(self) -> str:
        """The lines dropped as photo captions: all a caption-only page says about its event."""
        return "\n\n".join(line.text for line in self.lines if line.reason == CAPTION)


def _words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def _similar_sets(wa: set[str], wb: set[str], threshold: float = 0.75) -> bool:
    """Near-identical word sets: high Jaccard, or one nearly contained in the other of similar size."""
    if not wa or not wb:
        return False
    small, large = sorted((len(wa), len(wb)))
    if large > 2 * small and small < threshold * large:
        return False  # sizes too far apart for either test: skip the set operations
    overlap = len(wa & wb)
    contained = small >= 4 and large <= 2 * small and overlap / small >= 0.9
    return contained or overlap / (len(wa) + len(wb) - overlap) >= threshold


def _is_title_case(text: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", text) if len(w) > 3]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) / len(words) >= 0.8


def _is_all_caps(text: str) -> bool:
    letters = LETTER.findall(text)
    return len(letters) >= 3 and all(c.isupper() for c in letters if c.isalpha() and c.lower() != c.upper())


# Words at least one of which every alternative of CREDIT contains (lower-cased): a text holding none of them
# cannot match, so its costly case-insensitive search is skipped (tests/test_clean.py compares the verdicts with
# the unguarded searches). Its patterns do not delimit their words, so the guard is by substring.
_CREDIT_KEYS = ("image", "photo", "picture", "video", "graphic", "caption", "credit", "getty", "frame")


_LONG = 30  # a longer line holding several sentences is a paragraph that may merely mention "subscribe"
_SENTENCE_BREAK = re.compile(r"[.!?][\"”’')\]]*\s+[\"“‘(]?[A-Z]")


@functools.lru_cache(maxsize=8192)  # the summarizer asks it of a sentence in several places
def boilerplate_reason(text: str) -> str | None:
    """Why a line or sentence is boilerplate by its wording alone, or ``None``.

    The phrase families only: comment forms, spam notices, captions and
    credits, share and subscribe prompts, teasers, reader comments, bylines.
    The summarizer applies this to single sentences too, because scraped
    paragraphs sometimes carry a caption or a credit inside them.

    >>> boilerplate_reason("In this April 15, 2015 photo, crowds line up outside the new store.")
    'photo caption or credit'
    >>> boilerplate_reason("The store opened on April 15, 2015.") is None
    True
    """
    n_words = len(text.split())
    lowered = text.lower()
    words = _word_runs(text, lowered)
    if COMMENT_FORM.search(text, words):
        return "comment form"
    if SPAM_NOTICE.search(text, words):
        return "spam notice"
    if (
        CREDIT_START.match(text)
        or (any(k in lowered for k in _CREDIT_KEYS) and CREDIT.search(text))
        or (
            (TRAILING_CREDIT.search(text) or TRAILING_SLASH_CREDIT.search(text) or SLASH_CREDIT.match(text))
            and n_words <= 60
        )
    ):
        return CAPTION
    if SITE_CHROME.search(text, words):
        return "share, subscribe or site chrome"
    if TEASER_INLINE.match(text) and n_words <= 25:
        return "teaser of another story"
    if COMMENT_AUTHOR.match(text):
        return "reader comment"
    if n_words <= 30 and BYLINE.search(text, words):
        return "byline or credit line"
    return None


def _paragraph_reason(text: str, first_end: int) -> str | None:
    """A paragraph is boilerplate when every sentence in it is ("You can add location information to your
    Tweets... You always have the option to delete your Tweet location history. Learn more"); one that merely
    mentions "subscribe" is not. Its first sentence is asked first: most paragraphs stop there."""
    if boilerplate_reason(text[:first_end].strip()) is None:
        return None
    from tidings.segment import split_sentences  # the segmenter is needed only for a paragraph that opens as junk

    reasons = [boilerplate_reason(s) for s in split_sentences(text) if len(s.split()) > 2]
    return reasons[0] if len(reasons) >= 2 and all(reasons) else None


def _shape_reason(text: str) -> str | None:
    """Reasons that follow from the line alone."""
    n_words = len(text.split())
    if not LETTER.search(text):
        return "separator"
    if CREDIT_START.match(text) or (TRAILING_CREDIT.search(text) and n_words <= 60):
        return CAPTION
    if n_words > _LONG and (first_break := _SENTENCE_BREAK.search(text)):
        return _paragraph_reason(text, first_break.start() + 1)
    if TEASER_HEADER.match(text):
        return "teaser header"
    if BREADCRUMB.match(text) or NAVIGATION.match(text):
        return "breadcrumb or navigation"
    if reason := boilerplate_reason(text):
        return reason
    if SOURCE_LINE.match(text) and n_words <= 8:
        return "source line"
    if BYLINE.search(text) and n_words <= 30:
        return "byline or credit line"
    if n_words <= 8 and parse_date(re.sub(r"^(published|updated|posted)\s*:?\s*", "", text, flags=re.I)):
        return "date line"
    if DATELINE_ALONE.match(text) and n_words <= 4:
        return "dateline"
    if ELLIPSIS_END.search(text) and n_words <= 60:
        return "truncated teaser"
    if _is_all_caps(text) and n_words <= 15:
        return "heading"
    if QUESTION_HEADING.match(text) and n_words <= 14:
        return "heading"
    if not TERMINAL.search(text):
        if n_words <= 14 or _is_title_case(text):
            return "heading"
        if n_words < 25:
            return "fragment without sentence end"
    return None


def _unwrap(lines: list[str]) -> list[tuple[int, str]]:
    """Join hard-wrapped lines (a line ending mid-sentence, the next starting lowercase).

    Returns (first line number, text) pairs; line numbers are 1-based.
    """
    out: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if (
            out
            and line
            and out[-1][1]
            and line[0].islower()
            and not TERMINAL.search(out[-1][1])
            and not out[-1][1].endswith(":")
        ):
            out[-1] = (out[-1][0], f"{out[-1][1]} {line}")
        else:
            out.append((number, line))
    return out


# A story card: its headline printed twice, then its lead ("Pedestrian Struck, Killed In Pennsauken Township
# Pedestrian Struck, Killed In Pennsauken Township SkyFOX flew over the scene ..."), as a local news site lists its
# other stories inside an article, or a gallery its photos ("Photos: The search for MH370 Photos: The search for
# MH370 Two years after ..."). The headline is four words or more, with letters, not ending a sentence or a clause;
# the lead starts with a capital.
_DOUBLED_HEAD = re.compile(r"\s*((?:\S+\s+){3,24}?\S*[^\s.,;])\s+\1\s+(?=[\"“‘(]?[A-Z])")
_LETTERS = re.compile(r"[A-Za-z]{2}")
CARD = "teaser of another story"


def _split_cards(lines: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], set[int]]:
    """Lines with a card's doubled headline cut into the headline and the lead (the second copy dropped), and the
    indices of those headlines.

    >>> _split_cards([(3, "Fire Displaces 18 People Fire Displaces 18 People A fire destroyed homes.")])
    ([(3, 'Fire Displaces 18 People'), (3, 'A fire destroyed homes.')], {0})
    """
    out: list[tuple[int, str]] = []
    heads: set[int] = set()
    for number, line in lines:
        found = _DOUBLED_HEAD.match(line) if line else None
        if found is None or not _LETTERS.search(found.group(1)):
            out.append((number, line))
            continue
        heads.add(len(out))
        out.extend([(number, found.group(1).strip()), (number, line[found.end() :])])
    return out, heads


def _mark_cards(lines: list[tuple[int, str]], reasons: dict[int, str], heads: set[int]) -> None:
    """A card inside an article (some line of text before it), or one of several, tells another story: its
    headline and lead go. A single one at the top is the article's own headline printed twice by a scraper: its
    lead is the article's. A headline whose lead is junk ("... The latest headlines in your inbox Enter your email
    address") is the same junk."""
    for head in sorted(heads):
        if reasons.get(head + 1):
            reasons.setdefault(head, reasons[head + 1])
        elif len(heads) > 1 or any(lines[i][1] and i not in reasons for i in range(head)):
            reasons[head] = reasons[head + 1] = CARD


def _split_at_datelines(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Lines cut where an agency's dateline starts the article inside them (each part keeps the line's number).

    >>> _split_at_datelines([(1, "Rain could hinder search CHICO, Calif. (AP) — Searchers combed the hills.")])
    [(1, 'Rain could hinder search'), (1, 'CHICO, Calif. (AP) — Searchers combed the hills.')]
    """
    out: list[tuple[int, str]] = []
    for number, line in lines:
        if line and _AGENCY_MARK.search(line):
            out.extend((number, part) for part in INNER_DATELINE.split(line))
        else:
            out.append((number, line))
    return out


# A site's section label printed above the headline ("Features", "World News", "Asia Pacific"): one
# word, or a few words that all name sections.
_SECTIONS = """news world politics business sport sports features feature opinion opinions top stories story latest
breaking home local national international tech technology science health entertainment culture lifestyle travel
video videos photos photo gallery more related trending popular editorial editorials analysis columns column region
asia pacific europe africa americas middle east us uk economy markets money arts life style weather live updates blog
blogs"""
_SECTION_WORDS = frozenset(_SECTIONS.split())


def _section_label(text: str) -> bool:
    words = re.findall(r"[A-Za-z]+", text)
    return len(text.split()) == 1 or (0 < len(words) <= 3 and all(w.lower() in _SECTION_WORDS for w in words))


# Lines near the top that are never a headline: a label ending in a colon ("The seed for Wide00014 was:"), one
# opening with a mark ("/ Updated By ...", "| Photo ...") or with a byline or a status word ("Updated | When...",
# "Story highlights ..."), a relative time ("2 years ago"), a navigation arrow ("English >> World").
_HEADLINE_MAX_WORDS = 25  # a longer first line is the body starting straight away, whatever it ends with
_NOT_HEADLINE = re.compile(
    r":\s*$|^\s*[/|>»•*+=_~–—©-]|^\s*(updated|posted|published|modified|by|story\s+highlights|media\s+caption|copyright)\b|"
    r"^\s*\d+\s+(second|minute|hour|day|week|month|year)s?\s+ago\s*$|\s>>\s",
    re.IGNORECASE,
)


def _pick_title(lines: list[tuple[int, str]], reasons: dict[int, str]) -> int | None:
    """The headline of a scraped text: the first heading-like line near the top that is not a section label
    (a section label goes with the other page furniture)."""
    seen = 0
    for i, (_, text) in enumerate(lines):
        if not text:
            continue
        seen += 1
        if seen > _HEAD_LINES:
            return None
        reason = reasons.get(i)
        headingish = reason in (None, "heading", "fragment without sentence end")
        if headingish and _section_label(text):
            reasons[i] = "heading"
            continue
        if headingish and text.rstrip().endswith(","):
            return None  # a salutation ("To our community,") or a verse's first line: the text goes on, untitled
        if headingish and _NOT_HEADLINE.search(text) and len(text.split()) <= _HEADLINE_MAX_WORDS:
            continue  # a label, a relative time or a byline above the headline: not it (the body keeps the line)
        # a breadcrumb line ("Home News <headline>") carries the headline after the section names
        if headingish or BREADCRUMB.match(text):
            starts_body = len(text.split()) > _HEADLINE_MAX_WORDS or (TERMINAL.search(text) and text[-1] == ".")
            if reason is None and starts_body:
                return None  # the body starts straight away: no headline line
            return i
    return None


_UPDATED = re.compile(r"^\s*(last\s+)?(updated|modified)\b", re.IGNORECASE)  # when it changed, not when it appeared


class LineCleaning(NamedTuple):
    """What cleaning a text found: its body, a verdict per line, and metadata the junk revealed."""

    body: str
    lines: tuple[Line, ...]
    meta: dict[str, object]


def clean_text(text: str, title: str | None = None) -> str:
    """The body of a scraped text, without the boilerplate (:func:`clean_lines` says why each line went).

    >>> clean_text("Big Headline\\n\\nThe mayor said the bridge will reopen on Monday.\\n\\nLeave a reply")
    'The mayor said the bridge will reopen on Monday.'
    """
    return clean_lines(text, title).body


def clean_lines(text: str, title: str | None = None) -> LineCleaning:
    """Clean one text: its body, line verdicts and the metadata found in the junk.

    Metadata keys: ``title``, ``published``, ``outlet`` (only those found).

    >>> text = "Big Headline\\n\\nThe mayor said the bridge will reopen on Monday.\\n\\nLeave a reply"
    >>> body, lines, meta = clean_lines(text)
    >>> meta["title"], lines[-1].reason
    ('Big Headline', 'comment form')
    """
    lines = _split_at_datelines(_unwrap(STATUS_LABEL.sub("", PLAYER_NOTICE.sub("", text)).split("\n")))
    lines, cards = _split_cards(lines)
    meta: dict[str, object] = {}
    reasons: dict[int, str] = {}
    for i, (_, line) in enumerate(lines):
        if line and (reason := _shape_reason(line)):
            reasons[i] = reason
    _mark_cards(lines, reasons, cards)

    # Metadata hiding in junk lines. A page of dated entries (a blog, a live page, a newsletter archive) has a
    # date line per entry: its first is the newest entry's, not the page's publication date.
    dated_entries = sum(
        1 for i, (_, line) in enumerate(lines) if reasons.get(i) == "date line" and not _UPDATED.match(line)
    )
    for i, (_, line) in enumerate(lines):
        reason = reasons.get(i)
        if (
            reason == "date line"
            and "published" not in meta
            and i < _HEAD_LINES * 2
            and not _UPDATED.match(line)
            and dated_entries < _DATED_ENTRIES
        ):
            meta["published"] = parse_date(re.sub(r"^(published|updated|posted)\s*:?\s*", "", line, flags=re.I))
        elif reason == "source line" and "outlet" not in meta:
            match = SOURCE_LINE.match(line)
            if match:
                meta["outlet"] = match.group(1).strip()

    # Headline: given, or the first heading-like line at the top.
    if title is None:
        idx = _pick_title(lines, reasons)
        if idx is not None:
            head = lines[idx][1]
            if BREADCRUMB.match(head):
                head = re.sub(r"^\s*home\s*[›»>/|•]?\s*(\w+\s*[›»>/|•]?\s*)?", "", head, flags=re.I).strip()
            title = head or None
            reasons[idx] = TITLE
    if title:
        meta["title"] = title

    _mark_duplicates(lines, reasons, title)
    _mark_teaser_blocks(lines, reasons)
    _mark_tail(lines, reasons)
    _keep_something(lines, reasons)

    verdicts: list[Line] = []
    body: list[str] = []
    for i, (number, line) in enumerate(lines):
        reason = reasons.get(i, KEEP) if line else ""
        if reason == KEEP:
            line = DATELINE_PREFIX.sub("", line, count=1)
            if not body and (found := LABEL_PREFIX.match(line)) and _label_count(lines, found.group(1)) == 1:
                line = line[found.end() :]  # "BEIJING: China's jailed ..."; a speaker's label recurs
            body.append(line)
        verdicts.append(Line(number, line, reason))
    return LineCleaning("\n\n".join(body), tuple(verdicts), meta)


def _label_count(lines: list[tuple[int, str]], label: str) -> int:
    """How many lines open with ``label`` set off as :data:`LABEL_PREFIX` sets it off."""
    return sum(1 for _, line in lines if line and (found := LABEL_PREFIX.match(line)) and found.group(1) == label)


_SHAPE_ONLY = frozenset({"heading", "fragment without sentence end", "duplicated headline", "duplicated line"})
_MIN_BODY_WORDS = 15


def _keep_something(lines: list[tuple[int, str]], reasons: dict[int, str]) -> None:
    """When almost nothing survives, take back lines dropped for their shape alone.

    A page whose only text is its headline repeated as a lead ("Japan to
    resume whaling TOKYO (AP) — Japan says it will resume...") is thin but
    real; a page of comment prompts is not, and stays empty.
    """
    kept = sum(len(line.split()) for i, (_, line) in enumerate(lines) if line and i not in reasons)
    if kept >= _MIN_BODY_WORDS:
        return
    for i in [i for i, reason in reasons.items() if reason in _SHAPE_ONLY]:
        del reasons[i]


def _mark_duplicates(lines: list[tuple[int, str]], reasons: dict[int, str], title: str | None) -> None:
    """Repeated headlines, lines repeated elsewhere, and caption pairs."""
    words = [set(_words(line)) if line else set() for _, line in lines]
    title_words = set(_words(title)) if title else set()
    kept: list[int] = []
    for i, (_, line) in enumerate(lines):
        if not line or reasons.get(i) == TITLE:
            continue
        if title_words and _similar_sets(words[i], title_words, 0.8):
            reasons[i] = "duplicated headline"
            continue
        dup = next((j for j in kept if _similar_sets(words[i], words[j])), None)
        if dup is None:
            kept.append(i)
            continue
        if dup not in reasons and (reasons.get(i) or "").startswith("photo") and dup >= i - 2:
            reasons[dup] = CAPTION  # caption printed twice, once with its credit
        reasons.setdefault(i, "duplicated line")
    # A caption printed twice: the copy without the credit comes right before the one with it.
    for i in range(len(lines) - 1):
        if reasons.get(i + 1) == CAPTION and i not in reasons and _similar_sets(words[i], words[i + 1]):
            reasons[i] = CAPTION


def _teaser_like(text: str) -> bool:
    return bool(ELLIPSIS_END.search(text)) or not TERMINAL.search(text) or len(text.split()) <= 12


def _mark_teaser_blocks(lines: list[tuple[int, str]], reasons: dict[int, str]) -> None:
    """Lines after a "Related"/"Must Read" header are teasers while they look like teasers."""
    in_block = False
    for i, (_, line) in enumerate(lines):
        if not line:
            continue
        if reasons.get(i) == "teaser header":
            in_block = True
            continue
        if in_block:
            if reasons.get(i) is None and not _teaser_like(line):
                in_block = False
            else:
                reasons.setdefault(i, "teaser of another story")
                if reasons[i] in ("heading", "fragment without sentence end", "truncated teaser"):
                    reasons[i] = "teaser of another story"


_END_MARKERS = ("comment form", "spam notice", "reader comment", "teaser header")


def _mark_tail(lines: list[tuple[int, str]], reasons: dict[int, str]) -> None:
    """Cut everything after the article's end: the comment section and teaser blocks.

    The first end-of-article marker (comment form, reader comment, teaser
    header) below most of the body text starts the tail. Above that share
    a marker only removes its own line, since sites also put comment links
    or "Related" boxes at the top.
    """
    body_chars = [len(line) if reasons.get(i) is None else 0 for i, (_, line) in enumerate(lines)]
    total = sum(body_chars) or 1
    before = 0
    for i in range(len(lines)):
        if reasons.get(i) in _END_MARKERS and before / total >= _TAIL_SHARE:
            for j in range(i + 1, len(lines)):
                if lines[j][1] and reasons.get(j) in (None, "heading", "fragment without sentence end"):
                    reasons[j] = "after the end of the article"
            return
        before += body_chars[i]


def clean_document(doc: Document) -> Cleaned:
    """Clean a document's text and fill title, date and outlet from what the junk revealed."""
    title = headline(doc.title, doc.url, doc.outlet)
    body, lines, meta = clean_lines(doc.text, title)
    published, source = doc.published, doc.published_source
    if published is None and isinstance(meta.get("published"), datetime):
        published, source = meta["published"], "text"  # type: ignore[assignment]
    cleaned = replace(
        doc,
        text=_strip_leading_title(body, title),
        title=title or headline(_opt(meta.get("title")), doc.url, doc.outlet),
        outlet=doc.outlet or _opt(meta.get("outlet")),
        published=published,
        published_source=source,
    )
    return Cleaned(cleaned, lines)


_TITLE_BAR = re.compile(r"\s+[|｜]\s+")
_TITLE_DASH_TAIL = re.compile(r"\s+[-–—]\s+([^-–—]{2,60})$")
_ALNUM_ONLY = re.compile(r"[^a-z0-9]")
_NOT_A_SITE_LABEL = frozenset(["www", "m", "amp", "mobile", "com", "co", "org", "net", "news", "uk", "au", "in"])


def headline(title: str | None, url: str | None = None, outlet: str | None = None) -> str | None:
    """A page's title without its site's name and section labels.

    Bars separate a headline from the site's name and sections: the part
    with the most words is the headline ("Opinion | Ford Nation rises
    again", "Chinese space lab to crash | DW | 31.03.2018"). A last part after
    a dash goes only when it names the page's own site, from its address or
    outlet ("... - NDTV Sports" on ndtv.com); otherwise it may be an
    attribution ("US tells Turkey it will end support - Anadolu") and stays.

    >>> headline("Costa Concordia captain heads to prison | Toronto Star")
    'Costa Concordia captain heads to prison'
    >>> headline("Serena Williams wins her first match since giving birth - NDTV Sports", "https://sports.ndtv.com/x")
    'Serena Williams wins her first match since giving birth'
    >>> headline("US tells Turkey it will end weapons support for YPG - Anadolu", "https://www.reuters.com/x")
    'US tells Turkey it will end weapons support for YPG - Anadolu'
    """
    if not title:
        return title
    parts = [part for part in _TITLE_BAR.split(title.strip()) if part]
    if len(parts) > 1:
        title = max(parts, key=lambda part: len(part.split()))
    tail = _TITLE_DASH_TAIL.search(title)
    if tail and len(title[: tail.start()].split()) >= 4:
        named = _ALNUM_ONLY.sub("", tail.group(1).lower())
        labels = {_ALNUM_ONLY.sub("", outlet.lower())} if outlet else set()
        labels.update(p for p in (host(url) or "").split(".") if len(p) >= 3 and p not in _NOT_A_SITE_LABEL)
        if named and any(label and (label in named or named in label) for label in labels):
            title = title[: tail.start()]
    return title


def _strip_leading_title(body: str, title: str | None) -> str:
    """Datasets often glue the headline to the first sentence ("Headline Body starts...")."""
    if title and body.lower().startswith(title.lower()) and len(body) > len(title) + 20:
        return DATELINE_PREFIX.sub("", body[len(title) :].lstrip(" :-–—\n"), count=1)
    return body


def _opt(value: object) -> str | None:
    return str(value) if value else None


def clean(doc: Document) -> Document:
    """The document with boilerplate removed (see :func:`clean_document` for the verdicts)."""
    return clean_document(doc).document


# -- corpus-level boilerplate -------------------------------------------------

_KEY_WORD = re.compile(r"[^\W_]+")


def sentence_key(text: str) -> str | None:
    """A sentence's identity for corpus counts: its lower-cased words, or ``None`` when it is too short to judge.

    >>> sentence_key("When you tweet with a location, Twitter stores that location.")
    'when you tweet with a location twitter stores that location'
    """
    words = _KEY_WORD.findall(text.lower())
    return " ".join(words) if len(words) >= 4 else None


class Boilerplate(Protocol):
    """Anything that can tell a sentence is boilerplate from outside its document (corpus or archive counts)."""

    def is_boilerplate(self, text: str) -> bool: ...


def line_key(key: str) -> int:
    """A stable signed 64-bit id of a :func:`sentence_key` (Python's ``hash`` changes between processes)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def line_keys(text: str) -> dict[int, str]:
    """The lines of a cleaned text that are long enough to judge, by :func:`line_key` (for archive counts)."""
    out: dict[int, str] = {}
    for line in text.split("\n"):
        if (key := sentence_key(line)) is not None:
            out[line_key(key)] = line
    return out


class RepeatedLines:
    """Boilerplate that an archive found: lines printed word for word in articles of several stories.

    Widget and paywall text the rules do not know usually sits on a line
    of its own; a sentence is boilerplate when its words are inside one
    of those lines.

    >>> lines = RepeatedLines(["When you tweet with a location, Twitter stores that location. Learn more."])
    >>> lines.is_boilerplate("When you tweet with a location, Twitter stores that location.")
    True
    >>> lines.is_boilerplate("Kim met Putin in Vladivostok on Thursday.")
    False
    """

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = [f" {key} " for line in lines if (key := sentence_key(line)) is not None]

    def is_boilerplate(self, text: str) -> bool:
        key = sentence_key(text)
        return key is not None and any(f" {key} " in line for line in self._lines)

    def __len__(self) -> int:
        return len(self._lines)


class CorpusBoilerplate:
    """Sentences that recur verbatim across unrelated documents: widget text, paywall notices, credits.

    The line cleaner's rules describe kinds of junk; what they miss still
    betrays itself by repetition. A sentence printed word for word in the
    articles of ``min_groups`` different stories (clusters of a data set,
    stories of an archive) is boilerplate whatever its words ("When you
    tweet with a location, Twitter stores that location."), while a wire
    story's sentences repeat only within one story and stay. Memory is one
    short entry per distinct sentence.

    >>> junk = "Support our journalism and become a subscriber today."
    >>> index = CorpusBoilerplate(min_groups=2)
    >>> index.add("story-1", [junk, "Kim met Putin in Vladivostok on Thursday."])
    >>> index.add("story-2", [junk, "The fire spread to three counties overnight."])
    >>> index.is_boilerplate(junk), index.is_boilerplate("Kim met Putin in Vladivostok on Thursday.")
    (True, False)
    """

    def __init__(self, min_groups: int = 3) -> None:
        if min_groups < 2:
            raise ValueError(f"min_groups must be at least 2, got {min_groups}")
        self.min_groups = min_groups
        # per sentence (by hash of its key): the one group it was seen in, the set of them, or None once
        # it reached min_groups (a single group is kept as a plain string: most sentences never repeat)
        self._groups: dict[int, str | set[str] | None] = {}

    def add(self, group: str, sentences: Sequence[str]) -> None:
        """Count the sentences of one story (or cluster) once each."""
        for key in {hash(k) for k in map(sentence_key, sentences) if k}:
            seen = self._groups.get(key, "")
            if seen is None or seen == group:
                continue
            if isinstance(seen, str):
                seen = {seen, group} if seen else {group}
            else:
                seen.add(group)
            self._groups[key] = None if len(seen) >= self.min_groups else (seen if len(seen) > 1 else group)

    def is_boilerplate(self, text: str) -> bool:
        key = sentence_key(text)
        return key is not None and self._groups.get(hash(key), "") is None

    def __len__(self) -> int:
        """How many distinct sentences are boilerplate."""
        return sum(1 for v in self._groups.values() if v is None)
