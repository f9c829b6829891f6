"""Render summaries as Markdown, plain text, standalone HTML and JSON.

The JSON shape is a contract other programs rely on: the keys documented
in the README (``summary[].text``, ``summary[].sources``, ``documents[]``,
``problems[]``) stay stable; new keys may be added. HTML goes through a
Jinja2 template with autoescaping, so nothing from an input document can
inject markup.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from tidings.model import Document, Summary

FORMATS = ("md", "text", "json", "html")


def _date(value: datetime | None) -> str | None:
    return value.date().isoformat() if value else None


def document_json(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "path": doc.path,
        "url": doc.url,
        "title": doc.title,
        "outlet": doc.outlet,
        "published": doc.published.isoformat() if doc.published else None,
        "copy_of": doc.copy_of,
        "language": doc.language,
        "format": doc.format,
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
            }
            for s in summary.sentences
        ],
        "documents": [document_json(d) for d in summary.documents],
        "problems": [{"input": p.input, "reason": p.reason} for p in summary.problems],
        "independent_sources": summary.independent_sources,
        "words": summary.n_words,
    }


def _numbers(summary: Summary) -> dict[str, int]:
    return {doc.id: n for n, doc in enumerate(summary.documents, start=1)}


def _source_line(doc: Document, numbers: dict[str, int], markdown: bool) -> str:
    title = doc.title or doc.id
    parts = [f"**{title}**" if markdown else title]
    meta = ", ".join(x for x in (doc.outlet, _date(doc.published)) if x)
    if meta:
        parts.append(meta)
    where = doc.url or doc.path
    if where:
        parts.append(f"<{where}>" if markdown and doc.url else (f"`{where}`" if markdown else where))
    if doc.copy_of:
        parts.append(f"copy of [{numbers[doc.copy_of]}]")
    return " — ".join(parts)


def _plain(summary: Summary, markdown: bool) -> str:
    numbers = _numbers(summary)
    lines: list[str] = []
    heading = "# Summary" if markdown else "SUMMARY"
    lines += [heading, ""]
    if not summary.sentences:
        lines += ["(nothing to summarize)", ""]
    for s in summary.sentences:
        refs = "".join(f"[{numbers[d]}]" for d in s.sources)
        lines.append(f"{s.text} {refs}")
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
        lines += [f"- {p.input}: {p.reason}" for p in summary.problems]
    return "\n".join(lines).rstrip() + "\n"


@lru_cache(maxsize=1)
def _env() -> Environment:
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
        numbers = _numbers(summary)
        return (
            _env()
            .get_template("summary.html")
            .render(summary=summary, numbers=numbers, date=_date, title=_page_title(summary))
        )
    raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")


def _page_title(summary: Summary) -> str:
    for doc in summary.documents:
        if doc.title and doc.copy_of is None:
            return doc.title
    return "Summary"
