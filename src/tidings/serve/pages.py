"""What the service shows, as plain data: the web pages' view models and the API's JSON shapes.

Route handlers only fetch rows from the archive and pass them here; the
templates (``web_*.html``, autoescaped) only lay these values out. Keeping
the formatting in pure functions makes it testable without a server, and
keeps the two faces of the service (HTML and JSON) saying the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, select_autoescape

from tidings.follow import updates
from tidings.ingest.urls import host, web_url
from tidings.model import Document
from tidings.render import document_json, syndication_groups
from tidings.store import StoredDocument, StoryRow
from tidings.titles import display_title

RANK_RULE = (
    "Stories are ordered by the day (UTC) of their latest article, newest day first; within a day, stories "
    "reported by more independent sources come first, then those with more articles. Syndicated and rewritten "
    "copies of one report count as one source."
)
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"  # search-hit marks: control characters never found in archived text


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The templates' Jinja2 environment: every value is HTML-escaped unless a template says otherwise."""
    env = Environment(
        loader=PackageLoader("tidings", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = day
    env.filters["safe_url"] = safe_url
    env.globals["plural"] = plural
    env.globals["date_sources"] = DATE_SOURCES
    return env


# -- small formats ---------------------------------------------------------------------------------------


def safe_url(url: str | None) -> str | None:
    """The URL as a browser would follow it, if it may be a link (http or https); no ``javascript:`` links.

    >>> safe_url("https://example.com/a"), safe_url("javascript:alert(1)"), safe_url(" HTTP://x.org/")
    ('https://example.com/a', None, 'http://x.org/')
    """
    return web_url(url)


def day(value: datetime | None) -> str:
    """A date as readers write it: ``17 Apr 2019``.

    >>> from datetime import UTC
    >>> day(datetime(2019, 4, 7, 15, 0, tzinfo=UTC))
    '7 Apr 2019'
    """
    return f"{value.day} {value:%b %Y}" if value else ""


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 article``, ``5 articles``, ``2 independent sources``."""
    return f"{n} {word if n == 1 else many or word + 's'}"


def span(first: datetime | None, last: datetime | None) -> str:
    """A story's time span: ``17 Apr 2019``, or ``17 – 19 Apr 2019`` when it runs over days.

    >>> from datetime import UTC
    >>> span(datetime(2019, 4, 17, tzinfo=UTC), datetime(2019, 4, 19, tzinfo=UTC))
    '17 Apr 2019 – 19 Apr 2019'
    """
    if not first or not last or first.date() == last.date():
        return day(last or first)
    return f"{day(first)} – {day(last)}"


def counts(size: int, independent: int) -> str:
    """``5 articles from 3 independent sources``."""
    return f"{plural(size, 'article')} from {plural(independent, 'independent source')}"


def known_outlet(doc: Document) -> str | None:
    """Who published it: the outlet, else the web site's host, else None."""
    if doc.outlet:
        return doc.outlet
    if name := host(doc.url):
        return name.removeprefix("www.")
    return None


def outlet(doc: Document) -> str:
    """Who published it, or a plain "outlet not known"."""
    return known_outlet(doc) or "outlet not known"


# -- the front page --------------------------------------------------------------------------------------


def lead(summary: Mapping[str, Any] | None, chars: int = 260) -> str:
    """The first sentences of a cached summary, about two lines' worth (cut at a word, with an ellipsis)."""
    sentences = [s.get("text", "") for s in (summary or {}).get("summary", [])]
    text = ""
    for sentence in sentences:
        text = f"{text} {sentence}".strip()
        if len(text) >= chars:
            break
    if len(text) <= chars:
        return text
    return text[:chars].rsplit(" ", 1)[0].rstrip(",;:") + "…"


@dataclass(frozen=True, slots=True)
class StoryCard:
    id: int
    title: str
    lead: str
    counts: str
    span: str
    when: datetime | None  # the latest publication date, else (an undated story) when it was last seen
    outlets: str = ""
    ago: str = ""


def outlets(summary: Mapping[str, Any] | None, most: int = 4) -> str:
    """Who reported the story, from its cached summary's documents: ``AP, Reuters, bbc.co.uk and 3 more``."""
    names: list[str] = []
    for d in (summary or {}).get("documents", []):
        name = d.get("outlet") or (host(d.get("url")) or "").removeprefix("www.")
        if name and name not in names:
            names.append(name)
    if len(names) <= most:
        return ", ".join(names)
    return f"{', '.join(names[:most])} and {len(names) - most} more"


DATE_SOURCES = {
    "metadata": "date from the page",
    "feed": "date from the feed",
    "url": "date from the address",
    "text": "date from the article's byline or dateline",
}
"""How a document page says where its publication date was found."""


def story_title(row: StoryRow) -> str:
    """The story's title; an archive made before every story had one gets a headline from its summary's lead."""
    sentences = (row.summary or {}).get("summary") or [{}]
    return display_title(row.title, sentences[0].get("text"))


def story_span(row: StoryRow) -> str:
    """The span of a story's publication dates, or, when none of its articles is dated, a plain statement of it
    with the day tidings first saw the story (which is not when it was published)."""
    if row.dated:
        return span(row.first_published, row.last_published)
    return f"no publication date · first seen {day(row.first_seen)}" if row.first_seen else "no publication date"


def story_card(row: StoryRow) -> StoryCard:
    return StoryCard(
        id=row.id,
        title=story_title(row),
        lead=lead(row.summary),
        counts=counts(row.size, row.independent),
        span=story_span(row),
        when=row.last_published or row.last_seen,
        outlets=outlets(row.summary),
        ago=ago(row.last_seen),
    )


@dataclass(frozen=True, slots=True)
class Window:
    """The stories a front page lists: latest article in ``[start, end)``, and how to say and link that."""

    start: datetime | None
    end: datetime | None
    date_from: str
    date_to: str
    current: bool
    query: dict[str, str]
    older: str | None


def _date(name: str, value: str | None) -> date | None:
    if not value or not value.strip():
        return None
    try:
        found = date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{name}: {value.strip()[:40]!r} is not a date like 2024-03-12") from None
    if not 1000 <= found.year <= 9000:
        raise ValueError(f"{name}: {found.isoformat()} is out of range (years 1000 to 9000)")
    return found


def _midnight(d: date) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=UTC)


def front_window(latest: datetime | None, days: int, date_from: str | None, date_to: str | None) -> Window:
    """The date filter as a window; without one, the ``days`` (UTC) days up to the archive's newest activity.

    Raises ValueError, naming the field, for a date that cannot be read or a range that ends before it starts.

    >>> w = front_window(datetime(2024, 3, 12, 9, tzinfo=UTC), 3, None, None)
    >>> w.start.isoformat(), w.end, w.older
    ('2024-03-10T00:00:00+00:00', None, '/?to=2024-03-09')
    >>> front_window(None, 3, "2024-03-01", "2024-03-02").end.isoformat()
    '2024-03-03T00:00:00+00:00'
    """
    first, last = _date("from", date_from), _date("to", date_to)
    if first and last and last < first:
        raise ValueError(f"to ({last}) is before from ({first})")
    current = first is None and last is None
    if current and latest is not None:
        first = (latest - timedelta(days=days - 1)).date()
    start = _midnight(first) if first else None
    end = _midnight(last) + timedelta(days=1) if last else None
    query = {k: v.isoformat() for k, v in (("from", first), ("to", last)) if v and not current}
    older = f"/?{urlencode({'to': (first - timedelta(days=1)).isoformat()})}" if first else None
    shown = (first.isoformat() if first else "", last.isoformat() if last else "")
    return Window(start, end, *shown, current, query, older)


@dataclass(frozen=True, slots=True)
class Pager:
    page: int
    pages: int
    total: int
    prev: str | None
    next: str | None


def pager(total: int, page: int, size: int, query: Mapping[str, str], path: str = "/") -> Pager:
    """Page ``page`` of ``total`` items, ``size`` a page, with links that keep the other query parameters.

    >>> p = pager(45, 2, 20, {"to": "2024-03-09"})
    >>> (p.page, p.pages, p.prev, p.next)
    (2, 3, '/?to=2024-03-09&page=1', '/?to=2024-03-09&page=3')
    """
    pages = max(1, -(-total // size))
    page = min(max(1, page), pages)

    def link(n: int) -> str:
        return f"{path}?{urlencode({**query, 'page': n})}"

    return Pager(page, pages, total, link(page - 1) if page > 1 else None, link(page + 1) if page < pages else None)


# -- the story page --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ref:
    """One citation of a summary sentence: its number, the source page anchor, and a hover text."""

    number: int
    doc_id: str
    href: str
    hint: str


@dataclass(frozen=True, slots=True)
class CitedSentence:
    text: str
    refs: tuple[Ref, ...]
    independent: int


def source_hint(doc: Document) -> str:
    """``Hankyoreh, 17 Apr 2019 — Kim to travel to Russia``: what a citation's hover text says."""
    head = ", ".join(x for x in (outlet(doc), day(doc.published)) if x)
    return f"{head} — {doc.title}" if doc.title else head


def document_href(doc_id: str, anchor: int | None = None) -> str:
    return f"/documents/{doc_id}" + (f"#s{anchor}" if anchor is not None else "")


def numbering(summary: Mapping[str, Any] | None, documents: Sequence[Document]) -> dict[str, int]:
    """Source numbers: the summary's own document order, then articles that arrived after it."""
    order = [d.get("id") for d in (summary or {}).get("documents", [])]
    order += [d.id for d in documents]
    numbers: dict[str, int] = {}
    for doc_id in order:
        if doc_id and doc_id not in numbers:
            numbers[doc_id] = len(numbers) + 1
    return numbers


def cited_summary(
    summary: Mapping[str, Any] | None, documents: Sequence[Document], numbers: Mapping[str, int], key: str = "summary"
) -> list[CitedSentence]:
    """The cached summary's sentences (or its ``new`` ones), each citation a link to the sentence in its source."""
    by_id = {d.id: d for d in documents}
    out = []
    for k, sentence in enumerate((summary or {}).get(key, []), start=1):
        refs = []
        for doc_id in sentence.get("sources", []):
            doc = by_id.get(doc_id)
            if doc is None or doc_id not in numbers:  # a source merged away or removed since the summary
                continue
            anchor = k if key == "summary" else None  # the page highlights the summary's sentences only
            refs.append(Ref(numbers[doc_id], doc_id, document_href(doc_id, anchor), source_hint(doc)))
        out.append(CitedSentence(sentence.get("text", ""), tuple(refs), int(sentence.get("independent_sources", 1))))
    return out


# -- following a story -------------------------------------------------------------------------------------


def visit_cookie(story_id: int) -> str:
    """The cookie that remembers a reader's last visit to one story's page."""
    return f"seen_{story_id}"


def now_stamp() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def last_visit(cookie: str | None) -> datetime | None:
    """The time a visit cookie holds, or None when it is missing or not a time this server wrote."""
    if not cookie or len(cookie) > 40:
        return None
    try:
        when = datetime.fromisoformat(cookie)
    except ValueError:
        return None
    if when.tzinfo is None or not 1000 <= when.year <= 8999:
        return None
    return when.astimezone(UTC)


def arrived_since(stored: Iterable[StoredDocument], since: datetime) -> int:
    """How many of the story's articles arrived after ``since``."""
    return sum(1 for s in stored if s.ingested_at > since)


@dataclass(frozen=True, slots=True)
class UpdateView:
    at: datetime
    ago: str
    items: tuple[tuple[int, Document, str, str], ...]  # number, document, outlet, href


def update_views(stored: Sequence[StoredDocument], numbers: Mapping[str, int], limit: int = 12) -> list[UpdateView]:
    """The story's arrivals grouped into updates, newest first: when, and which articles (with their outlets)."""
    by_id = {s.document.id: s.document for s in stored}
    now = datetime.now(UTC)
    out = []
    for at, ids in updates(stored)[::-1][:limit]:
        items = tuple((numbers.get(i, 0), by_id[i], known_outlet(by_id[i]) or "", document_href(i)) for i in ids)
        out.append(UpdateView(at, ago(at, now), items))
    return out


def ago(when: datetime | None, now: datetime | None = None) -> str:
    """A time relative to now, as readers say it: ``just now``, ``5 min ago``, ``3 h ago``, ``2 days ago``, or the day.

    >>> from datetime import UTC
    >>> now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    >>> [ago(now - timedelta(minutes=m), now) for m in (0, 5, 180, 2 * 1440, 40 * 1440)]
    ['just now', '5 min ago', '3 h ago', '2 days ago', '21 Oct 2026']
    """
    if when is None:
        return ""
    now = now or datetime.now(UTC)
    seconds = (now - when).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    if seconds < 14 * 86400:
        return plural(int(seconds // 86400), "day") + " ago"
    return day(when)


@dataclass(frozen=True, slots=True)
class SourceItem:
    number: int
    doc: Document
    outlet: str
    href: str
    external: str | None


@dataclass(frozen=True, slots=True)
class SourceGroup:
    label: str
    items: tuple[SourceItem, ...]


def source_groups(documents: Sequence[Document], numbers: Mapping[str, int]) -> list[SourceGroup]:
    """Sources grouped by syndication (``AP story, carried by 7 outlets``), then the independent reports.

    A group is an original and its copies (syndicated or machine-rewritten): one independent source.
    """

    def item(d: Document) -> SourceItem:
        return SourceItem(numbers.get(d.id, 0), d, outlet(d), document_href(d.id), safe_url(d.url))

    carried, alone = [], []
    for members in syndication_groups(list(documents)):
        if len(members) == 1:
            alone.append(item(members[0]))
            continue
        first = members[0]
        name = first.outlet or (outlet(first) if first.url else None) or first.title or "One"
        carried.append(SourceGroup(f"{name} story, carried by {len(members)} outlets", tuple(map(item, members))))
    carried.sort(key=lambda g: (-len(g.items), min(i.number for i in g.items)))
    if alone:
        label = "Independent reports" if carried else plural(len(alone), "independent report")
        carried.append(SourceGroup(label, tuple(sorted(alone, key=lambda i: i.number))))
    return carried


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    when: datetime
    dated: bool
    number: int
    doc: Document
    outlet: str
    href: str


def timeline(documents: Iterable[StoredDocument], numbers: Mapping[str, int]) -> list[TimelineEntry]:
    """Articles in the order they appeared: by publication time, or by arrival when undated."""
    entries = [
        TimelineEntry(
            when=s.document.published or s.ingested_at,
            dated=s.document.published is not None,
            number=numbers.get(s.document.id, 0),
            doc=s.document,
            outlet=outlet(s.document),
            href=document_href(s.document.id),
        )
        for s in documents
    ]
    entries.sort(key=lambda e: (e.when, e.number))
    return entries


@dataclass(frozen=True, slots=True)
class ClaimedValue:
    value: str
    quote: str
    refs: tuple[Ref, ...]


@dataclass(frozen=True, slots=True)
class Disagreement:
    about: str
    claims: tuple[ClaimedValue, ...]


def disagreement_views(
    disagreements: Sequence[Mapping[str, Any]], documents: Sequence[Document], numbers: Mapping[str, int]
) -> list[Disagreement]:
    """The analysis's disagreements, each value with its sources as numbered links (unknown ids dropped)."""
    by_id = {d.id: d for d in documents}
    out = []
    for item in disagreements:
        claims = []
        for value in item.get("values", []):
            refs = _refs(value.get("sources", []), by_id, numbers)
            claims.append(ClaimedValue(str(value.get("value", "")), str(value.get("quote", "")), refs))
        if len(claims) > 1:
            out.append(Disagreement(str(item.get("about", "")), tuple(claims)))
    return out


@dataclass(frozen=True, slots=True)
class CitedItem:
    """One line of an analysis section: a lead (date, speaker, name), its text, and its sources."""

    lead: str
    text: str
    refs: tuple[Ref, ...]


@dataclass(frozen=True, slots=True)
class AnalysisView:
    """The story page's analysis sections, as ``tidings story`` shows them."""

    disagreements: list[Disagreement]
    changes: list[Disagreement]
    timeline: list[CitedItem]
    quotes: list[CitedItem]
    people: list[CitedItem]


def _refs(doc_ids: Iterable[str], by_id: Mapping[str, Document], numbers: Mapping[str, int]) -> tuple[Ref, ...]:
    return tuple(
        Ref(numbers[d], d, document_href(d), source_hint(by_id[d])) for d in doc_ids if d in by_id and d in numbers
    )


def analysis_view(
    found: Mapping[str, Any] | None,
    documents: Sequence[Document],
    numbers: Mapping[str, int],
    *,
    quotes: int = 8,
    people: int = 10,
) -> AnalysisView | None:
    """The analysis JSON of a story (see :mod:`tidings.analyze.render`) as page sections; None without one."""
    if found is None:
        return None
    by_id = {d.id: d for d in documents}
    events = [
        CitedItem(_event_date(e), str(e.get("event", "")), _refs(e.get("sources", []), by_id, numbers))
        for e in found.get("timeline", [])
        if e.get("kind") != "published"  # the page lists the articles by date already
    ]
    said = [
        CitedItem(
            str(q.get("speaker") or "unnamed"), str(q.get("quote", "")), _refs(q.get("sources", []), by_id, numbers)
        )
        for q in found.get("quotes", [])[:quotes]
    ]
    named = [e for e in found.get("entities", []) if e.get("type") == "person"][:people]
    who = [
        CitedItem(
            str(e.get("name", "")),
            plural(int(e.get("mentions", 0)), "mention"),
            _refs(e.get("sources", []), by_id, numbers),
        )
        for e in named
    ]
    return AnalysisView(
        disagreement_views(found.get("disagreements", []), documents, numbers),
        disagreement_views(found.get("changes", []), documents, numbers),
        events,
        said,
        who,
    )


def _event_date(event: Mapping[str, Any]) -> str:
    """An event's date at the precision the text gave it: ``17 Apr 2019``, ``Apr 2019`` or ``2019``."""
    try:
        when = date.fromisoformat(str(event.get("date", ""))[:10])
    except ValueError:
        return str(event.get("date", ""))
    precision = event.get("precision")
    if precision == "year":
        return str(when.year)
    if precision == "month":
        return f"{when:%b %Y}"
    return f"{when.day} {when:%b %Y}"


# -- the source page -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of article text; ``mark`` is the summary sentence it was cited for, ``anchor`` where a link lands."""

    text: str
    mark: int | None = None
    anchor: str | None = None


def cited_spans(summary: Mapping[str, Any] | None, doc_id: str) -> list[tuple[int, int, int]]:
    """(start, end, summary sentence number) of every citation of ``doc_id`` in a cached summary."""
    spans = []
    for k, sentence in enumerate((summary or {}).get("summary", []), start=1):
        for c in sentence.get("citations", []):
            if c.get("document") == doc_id and isinstance(c.get("start"), int) and isinstance(c.get("end"), int):
                spans.append((c["start"], c["end"], k))
    return sorted(spans)


def highlight(text: str, spans: Sequence[tuple[int, int, int]]) -> list[list[Piece]]:
    """The text as paragraphs of pieces, the cited spans marked, and an anchor where each sentence starts.

    Overlapping spans become one mark (the earlier sentence's); a sentence whose span starts inside
    another's still gets its anchor there, as an empty piece, so every citation link lands.

    >>> [[(p.text, p.mark) for p in para] for para in highlight("Ab cd.\\n\\nEf gh.", [(3, 10, 1)])]
    [[('Ab ', None), ('cd.', 1)], [('Ef', 1), (' gh.', None)]]
    """
    marks: list[tuple[int, int, int]] = []
    anchors: dict[int, list[int]] = {}
    for start, end, k in sorted(spans):
        start, end = max(0, start), min(len(text), end)
        if start >= end:
            continue
        if k not in {a for ks in anchors.values() for a in ks}:
            anchors.setdefault(start, []).append(k)
        if marks and start < marks[-1][1]:
            prev = marks[-1]
            marks[-1] = (prev[0], max(prev[1], end), prev[2])
        else:
            marks.append((start, end, k))

    def mark_at(position: int) -> int | None:
        return next((k for s, e, k in marks if s <= position < e), None)

    paragraphs: list[list[Piece]] = []
    position = 0
    for raw in text.split("\n"):
        p0, p1 = position, position + len(raw)
        position = p1 + 1
        if not raw.strip():
            continue
        cuts = {p0, p1} | {x for s, e, _ in marks for x in (s, e) if p0 < x < p1} | {a for a in anchors if p0 <= a < p1}
        bounds = sorted(cuts)
        pieces: list[Piece] = []
        for a, b in pairwise(bounds):
            ids = [f"s{k}" for k in anchors.get(a, [])]
            pieces += [Piece("", None, extra) for extra in ids[1:]]
            pieces.append(Piece(text[a:b], mark_at(a), ids[0] if ids else None))
        paragraphs.append(_joined(pieces))
    return paragraphs


def _joined(pieces: list[Piece]) -> list[Piece]:
    """Adjacent pieces with the same mark and no anchor between them as one piece."""
    out: list[Piece] = []
    for piece in pieces:
        if out and piece.anchor is None and piece.text and out[-1].text and out[-1].mark == piece.mark:
            out[-1] = Piece(out[-1].text + piece.text, piece.mark, out[-1].anchor)
        else:
            out.append(piece)
    return out


def snippet_pieces(snippet: str) -> list[tuple[str, bool]]:
    """A search snippet made with :data:`MARK_OPEN`/:data:`MARK_CLOSE` as (text, is_match) runs."""
    out = []
    for i, part in enumerate(snippet.replace(MARK_CLOSE, MARK_OPEN).split(MARK_OPEN)):
        if part:
            out.append((part, i % 2 == 1))
    return out


def snippet_text(snippet: str) -> str:
    """A search snippet for JSON: matches in [brackets], as ``Archive.search`` gives them by default."""
    return snippet.replace(MARK_OPEN, "[").replace(MARK_CLOSE, "]")


# -- the API's JSON --------------------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def story_item_json(row: StoryRow) -> dict[str, Any]:
    """A story in a list: counts, span, and its cached summary (``summary_current`` false while it is refreshed)."""
    return {
        "id": row.id,
        "title": story_title(row),
        "size": row.size,
        "independent_sources": row.independent,
        "first_published": _iso(row.first_published),
        "last_published": _iso(row.last_published),
        "first_seen": _iso(row.first_seen),
        "last_seen": _iso(row.last_seen),
        "summary": (row.summary or {}).get("summary", []),
        "summary_current": row.summary_is_current,
        "href": f"/api/stories/{row.id}",
        "html": f"/stories/{row.id}",
    }


def story_detail_json(
    row: StoryRow, documents: Sequence[StoredDocument], merged_from: Sequence[int], requested: int
) -> dict[str, Any]:
    """A story with its articles (as ``tidings story --format json`` lists them) and the ids merged into it."""
    return {
        **story_item_json(row),
        "requested_id": requested,
        "merged_from": sorted(merged_from),
        "documents": [
            {
                **{k: v for k, v in document_json(s.document).items() if k != "path"},  # no server file paths
                "ingested_at": _iso(s.ingested_at),
                "href": f"/api/documents/{s.document.id}",
            }
            for s in documents
        ],
    }


def document_detail_json(stored: StoredDocument, story: int | None, spans: Sequence[tuple[int, int, int]]) -> dict:
    """A document with its cleaned text and the spans of it that the story's summary cites."""
    return {
        **{k: v for k, v in document_json(stored.document).items() if k != "path"},  # no server file paths
        "text": stored.document.text,
        "story": story,
        "ingested_at": _iso(stored.ingested_at),
        "cited": [{"sentence": k, "start": s, "end": e} for s, e, k in spans],
        "href": f"/api/documents/{stored.document.id}",
        "html": f"/documents/{stored.document.id}",
    }
