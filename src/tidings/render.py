"""Render summaries as Markdown, plain text, standalone HTML and JSON.

The JSON shape is a contract other programs rely on: the keys documented
in the README (``summary[].text``, ``summary[].sources``, ``documents[]``,
``problems[]``) stay stable; new keys may be added. HTML goes through a
Jinja2 template with autoescaping, so nothing from an input document can
inject markup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from tidings.ingest.urls import web_url
from tidings.model import Citation, Document, Problem, Summary, SummarySentence
from tidings.titles import display_title, story_title

if TYPE_CHECKING:
    from jinja2 import Environment

    from tidings.follow import StoryNews
    from tidings.store import StoryRow

FORMATS = ("md", "text", "json", "html")


def _date(value: datetime | None) -> str | None:
    return value.date().isoformat() if value else None


# Brackets, not parentheses: with every "[" and "]" escaped no link can start, and news is full of "(AP)".
_MD_SPECIAL = re.compile(r"([\\`*{}\[\]<>#+!|~&]|(?<!\w)_|_(?!\w))")  # an underscore inside a word is plain
_MD_LINE_START = re.compile(r"^(\s*)(\d*)([-+=>.)])")  # a list marker is escaped at its punctuation: "1\\."


def md_escape(text: str) -> str:
    """Text from an article, safe in Markdown: no markup, no raw HTML, no links it did not have as text.

    Titles and sentences come from web pages; rendered by a Markdown viewer, ``**<img onerror=…>**`` or
    ``[x](javascript:…)`` would be live. Every character CommonMark gives a meaning is backslash-escaped.

    >>> print(md_escape("<script>alert(1)</script> [x](javascript:y) *b*"))
    \\<script\\>alert(1)\\</script\\> \\[x\\](javascript:y) \\*b\\*
    """
    escaped = _MD_SPECIAL.sub(r"\\\1", text)
    return "\n".join(_MD_LINE_START.sub(_escape_line_start, line) for line in escaped.split("\n"))


def _escape_line_start(found: re.Match[str]) -> str:
    indent, number, mark = found.groups()
    if bool(number) != (mark in ".)"):
        return found.group()  # "1-2 win", ".5 percent": no marker
    return f"{indent}{number}\\{mark}"


def md_link(url: str | None) -> str | None:
    """An autolink for a web address (http or https, as a browser reads it); None for anything else."""
    href = web_url(url)
    return f"<{href}>" if href else None


def document_json(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "path": doc.path,
        "url": doc.url,
        "title": doc.title,
        "outlet": doc.outlet,
        "published": doc.published.isoformat() if doc.published else None,
        "published_source": doc.published_source,
        "copy_of": doc.copy_of,
        "language": doc.language,
        "format": doc.format,
        "background": doc.background,
    }


def summary_json(summary: Summary) -> dict[str, Any]:
    """The JSON-ready dict of a summary (see the module docstring for the contract)."""
    return {
        "summary": [
            {
                "text": s.text,
                "sources": s.sources,
                "independent_sources": s.independent,
                "citations": [{"document": c.doc_id, "start": c.start, "end": c.end} for c in s.citations],
                "fallback": s.fallback,
                "background": s.background,
            }
            for s in summary.sentences
        ],
        "documents": [document_json(d) for d in summary.documents],
        "problems": [{"input": p.input, "reason": p.reason} for p in summary.problems],
        "independent_sources": summary.independent_sources,
        "words": summary.n_words,
        "fallback": summary.fallback,
    }


def summary_from_json(data: Mapping[str, Any], documents: Sequence[Document]) -> Summary | None:
    """The :class:`Summary` a :func:`summary_json` dict was made from, over the documents it names.

    ``documents`` are the stored ones; what the summary decided about each (copy of which, background) is
    taken from ``data``. None when a document it names is missing (the story changed: summarize again).
    """
    by_id = {d.id: d for d in documents}
    try:
        docs = tuple(
            replace(by_id[d["id"]], copy_of=d.get("copy_of"), background=bool(d.get("background")))
            for d in data.get("documents", [])
        )
        sentences = tuple(
            SummarySentence(
                text=s["text"],
                citations=tuple(Citation(c["document"], int(c["start"]), int(c["end"])) for c in s["citations"]),
                independent=int(s.get("independent_sources", 1)),
                fallback=bool(s.get("fallback")),
                background=bool(s.get("background")),
            )
            for s in data.get("summary", [])
        )
    except (KeyError, TypeError, ValueError):
        return None
    problems = tuple(Problem(p["input"], p["reason"]) for p in data.get("problems", []) if "input" in p)
    return Summary(sentences, docs, problems, int(data.get("independent_sources", 0)))


def citation_numbers(summary: Summary) -> dict[str, int]:
    """The number each source has in rendered citations ([1], [2], ...): its place in the summary's documents."""
    return {doc.id: n for n, doc in enumerate(summary.documents, start=1)}


def _source_line(doc: Document, numbers: dict[str, int], markdown: bool) -> str:
    title = doc.title or "Untitled article"
    parts = [f"**{md_escape(title)}**" if markdown else title]
    meta = ", ".join(x for x in (doc.outlet, _date(doc.published)) if x)
    if meta:
        parts.append(md_escape(meta) if markdown else meta)
    if not markdown:
        where = web_url(doc.url) or doc.path
    else:
        where = md_link(doc.url) or (md_escape(doc.path) if doc.path else None)
    if where:
        parts.append(where)
    if doc.copy_of:
        parts.append(f"copy of [{numbers[doc.copy_of]}]")
    if doc.background:
        parts.append("background: written before the story")
    return " — ".join(parts)


def _plain(summary: Summary, markdown: bool) -> str:
    numbers = citation_numbers(summary)
    lines: list[str] = []
    heading = "# Summary" if markdown else "SUMMARY"
    lines += [heading, ""]
    if not summary.sentences:
        lines += ["(nothing to summarize)", ""]
    if summary.fallback:
        lines += ["(no sentence qualified for a summary; the opening of an article follows)", ""]
    for s in summary.sentences:
        refs = "".join(f"[{numbers[d]}]" for d in s.sources)
        label = "Background: " if s.background else ""
        lines.append(f"{label}{md_escape(s.text) if markdown else s.text} {refs}")
        lines.append("") if markdown else None
    n_docs = len(summary.documents)
    basis = f"Based on {n_docs} article{'s' * (n_docs != 1)} from {summary.independent_sources} independent source"
    basis += "s." if summary.independent_sources != 1 else "."
    lines += ([f"*{basis}*"] if markdown else ["", basis]) + [""]
    lines += ["## Sources" if markdown else "SOURCES", ""]
    for doc in summary.documents:
        lines.append(f"{numbers[doc.id]}. {_source_line(doc, numbers, markdown)}")
    if summary.problems:
        lines += ["", "## Not used" if markdown else "NOT USED", ""]
        lines += [f"- {md_escape(p.input) if markdown else p.input}: {p.reason}" for p in summary.problems]
    return "\n".join(lines).rstrip() + "\n"


@lru_cache(maxsize=1)
def _env() -> Environment:
    # Imported here: text, Markdown and JSON output, what the CLI prints by default, need no templates.
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(
        loader=PackageLoader("tidings", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(summary: Summary, fmt: str = "md") -> str:
    """Render a summary in one of :data:`FORMATS`."""
    if fmt == "json":
        return json.dumps(summary_json(summary), ensure_ascii=False, indent=2) + "\n"
    if fmt in ("md", "text"):
        return _plain(summary, markdown=fmt == "md")
    if fmt == "html":
        numbers = citation_numbers(summary)
        return (
            _env()
            .get_template("summary.html")
            .render(summary=summary, numbers=numbers, date=_date, title=_page_title(summary))
        )
    raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")


def _page_title(summary: Summary) -> str:
    """What the summarized articles are about: named as a story is (:func:`tidings.titles.story_title`)."""
    return story_title(summary.documents, summary) or "Summary"


def syndication_groups(documents: Sequence[Document]) -> list[list[Document]]:
    """Documents grouped by independent source: each original first, then its copies."""
    by_root: dict[str, list[Document]] = {}
    for doc in documents:
        by_root.setdefault(doc.copy_of or doc.id, []).append(doc)
    groups = []
    for root, members in by_root.items():
        members.sort(key=lambda d: (d.id != root, d.published or datetime.max.replace(tzinfo=UTC)))
        groups.append(members)
    return groups


def new_json(sentences: Sequence[SummarySentence]) -> list[dict[str, Any]]:
    """The ``new`` key of a story: what arrived since the reader last looked, cited."""
    return [{"text": s.text, "sources": s.sources, "independent_sources": s.independent} for s in sentences]


_STORY_DOCUMENT_KEYS = ("id", "url", "title", "published", "published_source", "copy_of", "outlet")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _title(story: StoryRow, summary: Summary | Mapping[str, Any] | None) -> str:
    if isinstance(summary, Summary):
        lead = summary.sentences[0].text if summary.sentences else None
    else:
        lead = ((summary or {}).get("summary") or [{}])[0].get("text")
    return display_title(story.title, lead)


def story_span(story: StoryRow) -> str:
    """When a story happened: the span of its articles' publication dates, or a plain statement that none is
    dated (with when tidings first saw it, which is not when it was published)."""
    if story.first_published or story.last_published:
        first, last = _date(story.first_published), _date(story.last_published)
        return first if first == last or not first else f"{first} – {last}"
    return f"no publication date (first seen {_date(story.first_seen)})" if story.first_seen else "no publication date"


def story_json(
    story: StoryRow, summary: Summary | Mapping[str, Any] | None, documents: Sequence[Document]
) -> dict[str, Any]:
    """A story as JSON: the keys of `tidings stories --json` plus the cited summary (computed or as cached).

    ``first_published``/``last_published`` span the articles' publication dates (null when none is dated);
    ``first_seen``/``last_seen`` are when its first and latest article were archived.
    """
    if isinstance(summary, Summary):
        data: Mapping[str, Any] = summary_json(summary)
    else:
        data = summary or {"summary": [], "problems": []}
    return {
        "id": story.id,
        "title": _title(story, summary),
        "summary": data["summary"],
        "documents": [{k: v for k, v in document_json(d).items() if k in _STORY_DOCUMENT_KEYS} for d in documents],
        "independent_sources": story.independent,
        "first_published": _iso(story.first_published),
        "last_published": _iso(story.last_published),
        "first_seen": _iso(story.first_seen),
        "last_seen": _iso(story.last_seen),
        "size": story.size,
    }


def _news_md(news: StoryNews, numbers: dict[str, int]) -> list[str]:
    """The "What's new" section, first in the story: it is what a returning reader came for."""
    since = news.since.strftime("%Y-%m-%d %H:%M UTC")
    added = len(news.added)
    lines = [f"## What's new since {since}", ""]
    if not news.new:
        what = "No article arrived."
        if added:
            what = f"{added} article{'s' * (added != 1)} arrived, adding nothing the earlier ones had not said."
        return [*lines, f"Nothing new. {what}", "", "## The story", ""]
    lines += [f"- {md_escape(s.text)} " + "".join(f"[{numbers[d]}]" for d in s.sources) for s in news.new]
    return [*lines, "", "## The story", ""]


def _group_label(group: Sequence[Document]) -> str:
    first = group[0]
    name = first.outlet or first.title or first.id
    if len(group) == 1:
        return name
    return f"{name} story, carried by {len(group)} outlets"


def render_story(
    story: StoryRow,
    summary: Summary,
    documents: Sequence[Document],
    fmt: str = "md",
    analysis: str | dict[str, Any] | None = None,
    news: StoryNews | None = None,
) -> str:
    """One story: cited summary, sources grouped by syndication, span.

    ``analysis`` is the cross-source analysis already rendered in ``fmt`` (a dict for json, escaped
    HTML for html, Markdown for md), placed after the story. ``news`` adds "What's new" since the
    reader last looked.
    """
    if fmt == "json":
        data = story_json(story, summary, documents)
        if news is not None:
            data["new"] = new_json(news.new)
            data["new_since"] = news.since.isoformat()
            data["added"] = list(news.added)
        if analysis is not None:
            data["analysis"] = analysis
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        numbers = citation_numbers(summary)
        return (
            _env()
            .get_template("summary.html")
            .render(
                summary=summary,
                numbers=numbers,
                date=_date,
                title=_title(story, summary),
                analysis=Markup(analysis) if analysis else None,  # escaped by its renderer
                news=news,
            )
        )
    if fmt not in ("md", "text"):
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    numbers = citation_numbers(summary)
    lines = [f"# {md_escape(_title(story, summary))}", ""]
    lines.append(
        f"Story {story.id} · {story.size} article{'s' * (story.size != 1)} from {story.independent} independent "
        f"source{'s' * (story.independent != 1)} · {story_span(story)}"
    )
    lines.append("")
    if news is not None:
        lines += _news_md(news, numbers)
    for s in summary.sentences:
        lines += [f"{md_escape(s.text)} " + "".join(f"[{numbers[d]}]" for d in s.sources), ""]
    lines += ["## Sources", ""]
    for group in syndication_groups(summary.documents):
        if len(group) > 1:
            lines.append(f"- {md_escape(_group_label(group))}:")
            lines += [f"  {numbers[d.id]}. {_source_line(d, numbers, True)}" for d in group]
        else:
            lines.append(f"{numbers[group[0].id]}. {_source_line(group[0], numbers, True)}")
    text = "\n".join(lines).rstrip() + "\n"
    return text + "\n" + analysis if isinstance(analysis, str) else text


def _context(summary: Mapping[str, Any], new: Sequence[SummarySentence], began: bool) -> list[Mapping[str, Any]]:
    """What a digest tells of a story besides what is new: all of a story that began in the period, else two
    sentences of its summary that the new ones do not already say."""
    told = {s.text for s in new}
    sentences = [s for s in summary.get("summary", []) if s.get("text") not in told]
    return sentences if began or not new else sentences[:2]


def render_digest(
    items: Sequence[tuple[StoryRow, Mapping[str, Any], Sequence[SummarySentence], bool]],
    since: datetime,
    fmt: str = "md",
) -> str:
    """A briefing of the period's top stories: ``(story, cached summary, what is new, began in the period)``.

    A story that began in the period is told by its summary; one that was known before by what is new
    (its summary follows, shorter, for context).
    """
    if fmt == "json":
        data = {
            "since": since.isoformat(),
            "stories": [
                {
                    "id": row.id,
                    "title": row.title,
                    "began": began,
                    "size": row.size,
                    "independent_sources": row.independent,
                    "last_seen": row.last_seen.isoformat() if row.last_seen else None,
                    "new": new_json(new),
                    "summary": list(summary.get("summary", [])),
                }
                for row, summary, new, began in items
            ],
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        return (
            _env()
            .get_template("digest.html")
            .render(items=[(*item, _context(item[1], item[2], item[3])) for item in items], since=since, date=_date)
        )
    if fmt not in ("md", "text"):
        raise ValueError(f"unknown format {fmt!r} (choose from md, json, html)")
    stamp = since.strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"# What happened since {stamp}", ""]
    if not items:
        lines.append("No story had a new article in this period.")
    for row, summary, new, began in items:
        docs = [d.get("id") for d in summary.get("documents", [])]
        numbers = {d: n for n, d in enumerate(docs, start=1)}

        def cite(sources: Sequence[str], numbers: dict[str, int] = numbers) -> str:
            return "".join(f"[{numbers[d]}]" for d in sources if d in numbers)

        title = md_escape(row.title) if row.title else f"Story {row.id}"
        what = "new story" if began else "updated"
        counts = f"{row.size} articles, {row.independent} independent"
        lines += [f"## {title}", "", f"Story {row.id} · {what} · {counts}", ""]
        if new and not began:
            lines += ["What's new:", ""]
            lines += [f"- {md_escape(s.text)} {cite(s.sources)}" for s in new]
            lines.append("")
        told = _context(summary, new, began)
        lines += [" ".join(f"{md_escape(s.get('text', ''))} {cite(s.get('sources', []))}" for s in told), ""]
    return "\n".join(lines).rstrip() + "\n"
