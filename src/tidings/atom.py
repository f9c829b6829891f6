"""Atom feeds out: the current stories, and one story's updates, for any feed reader.

Written with feedgen (well-kept, lxml-based, escapes what it is given), so
the XML is valid by construction; the entry content is HTML that this module
escapes itself (article text is never trusted). Every link is absolute:
a feed reader has no page to resolve a relative one against, so without a
base URL (the CLI) entries link to the original articles only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from html import escape
from typing import TYPE_CHECKING, Any

from tidings.ingest.urls import web_url

if TYPE_CHECKING:
    from tidings.store import StoryRow

GENERATOR = "tidings"


@dataclass(frozen=True, slots=True)
class Entry:
    """One feed entry: a story, or one update of a story."""

    id: str
    title: str
    updated: datetime
    content: str  # escaped HTML
    link: str | None = None
    published: datetime | None = None


def story_id_uri(story_id: int, base: str | None) -> str:
    """A story's permanent id: its page on this server, or a tag URI when there is no server."""
    return f"{base.rstrip('/')}/stories/{story_id}" if base else f"tag:tidings,2026:story/{story_id}"


def _cited(sentences: Sequence[Mapping[str, Any]], numbers: Mapping[str, int], links: Mapping[str, str]) -> str:
    out = []
    for s in sentences:
        refs = []
        for doc_id in s.get("sources", []):
            if doc_id not in numbers:
                continue
            n = numbers[doc_id]
            href = links.get(doc_id)
            refs.append(f'<a href="{escape(href)}">[{n}]</a>' if href else f"[{n}]")
        out.append(f"<p>{escape(str(s.get('text', '')))} {' '.join(refs)}</p>")
    return "\n".join(out)


def _sources(documents: Sequence[Mapping[str, Any]], numbers: Mapping[str, int], links: Mapping[str, str]) -> str:
    items = []
    for d in documents:
        if d.get("id") not in numbers:
            continue
        title = escape(str(d.get("title") or "Untitled article"))
        href = links.get(d["id"])
        label = f'<a href="{escape(href)}">{title}</a>' if href else title
        outlet = f" — {escape(str(d['outlet']))}" if d.get("outlet") else ""
        items.append(f"<li>[{numbers[d['id']]}] {label}{outlet}</li>")
    return f"<ul>{''.join(items)}</ul>" if items else ""


def links(documents: Sequence[Mapping[str, Any]], base: str | None) -> dict[str, str]:
    """Where a citation points: the article on this server (with a base URL), else the original page."""
    out = {}
    for d in documents:
        if base:
            out[d["id"]] = f"{base.rstrip('/')}/documents/{d['id']}"
        elif url := web_url(d.get("url")):
            out[d["id"]] = url
    return out


def story_content(
    summary: Sequence[Mapping[str, Any]],
    documents: Sequence[Mapping[str, Any]],
    new: Sequence[Mapping[str, Any]] = (),
    *,
    base: str | None = None,
) -> str:
    """An entry's HTML: what is new (if anything), the cited summary, the sources."""
    numbers = {d["id"]: n for n, d in enumerate(documents, start=1)}
    to = links(documents, base)
    parts = []
    if new:
        parts += ["<p><strong>What's new</strong></p>", _cited(new, numbers, to), "<p><strong>The story</strong></p>"]
    parts += [_cited(summary, numbers, to), "<p><strong>Sources</strong></p>", _sources(documents, numbers, to)]
    return "\n".join(p for p in parts if p)


def render_atom(
    feed_id: str,
    title: str,
    entries: Sequence[Entry],
    *,
    link: str | None = None,
    self_link: str | None = None,
    subtitle: str | None = None,
) -> bytes:
    """A valid Atom 1.0 document (UTF-8) of ``entries``; the feed is as recent as its newest entry."""
    from feedgen.feed import FeedGenerator

    fg = FeedGenerator()
    fg.id(feed_id)
    fg.title(title)
    fg.generator(GENERATOR)
    fg.updated(max((e.updated for e in entries), default=datetime(2000, 1, 1, tzinfo=UTC)))
    fg.author({"name": "tidings"})  # Atom wants an author; the articles' own are in each entry's sources
    if subtitle:
        fg.subtitle(subtitle)
    if link:
        fg.link(href=link, rel="alternate")
    if self_link:
        fg.link(href=self_link, rel="self")
    for e in reversed(entries):  # feedgen prepends each entry: add oldest first to keep the given order
        fe = fg.add_entry()
        fe.id(e.id)
        fe.title(e.title)
        fe.updated(e.updated)
        if e.published:
            fe.published(e.published)
        if e.link:
            fe.link(href=e.link, rel="alternate")
        fe.content(e.content, type="html")
    return fg.atom_str(pretty=True)


def _title(story: StoryRow) -> str:
    if story.title:
        return story.title
    lead = ((story.summary or {}).get("summary") or [{}])[0].get("text", "")
    return lead[:110].rsplit(" ", 1)[0] + "…" if len(lead) > 110 else lead or f"Story {story.id}"


def story_entry(story: StoryRow, new: Sequence[Mapping[str, Any]] = (), *, base: str | None = None) -> Entry:
    """A story as one entry, updated whenever an article joins it: what is new, then the cited summary."""
    summary = story.summary or {}
    documents = summary.get("documents", [])
    return Entry(
        id=story_id_uri(story.id, base),
        title=_title(story),
        updated=story.last_seen or datetime.now(UTC),
        published=story.first_seen,
        link=f"{base.rstrip('/')}/stories/{story.id}" if base else None,
        content=story_content(summary.get("summary", []), documents, new, base=base),
    )


def update_entries(story: StoryRow, updates: Sequence[Mapping[str, Any]], *, base: str | None = None) -> list[Entry]:
    """One entry per update of the story (newest first): the articles that arrived and what they added."""
    documents = (story.summary or {}).get("documents", [])
    by_id = {d["id"]: d for d in documents}
    numbers = {d["id"]: n for n, d in enumerate(documents, start=1)}
    to = links(documents, base)
    out = []
    for k, u in enumerate(updates):
        at = datetime.fromisoformat(u["at"])
        arrived = [by_id[i] for i in u["documents"] if i in by_id]
        outlets = ", ".join(dict.fromkeys(str(d["outlet"]) for d in arrived if d.get("outlet")))
        first = k == len(updates) - 1
        n = len(u["documents"])
        title = f"{'The story began' if first else 'Update'}: {n} article{'s' * (n != 1)}" + (
            f" ({outlets})" if outlets else ""
        )
        body = [_cited(u["new"], numbers, to)] if u["new"] else []
        if not first and not u["new"]:
            body.append("<p>Nothing new: these articles restate what was known.</p>")
        body.append(_sources(arrived, numbers, to))
        out.append(
            Entry(
                id=f"{story_id_uri(story.id, base)}#update-{at.strftime('%Y%m%dT%H%M%S%f')}",
                title=title,
                updated=at,
                link=f"{base.rstrip('/')}/stories/{story.id}" if base else None,
                content="\n".join(b for b in body if b),
            )
        )
    return out
