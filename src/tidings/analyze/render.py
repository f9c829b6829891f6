"""The analysis as JSON (a stable contract), Markdown and standalone HTML (escaped).

JSON keeps at least ``disagreements[].about/values[].value/quote/sources``,
``timeline[].date/event/sources``, ``quotes[].speaker/quote/sources`` and
``entities[].name/type/mentions``; new keys may be added, none removed.
``changes[]`` (a count that changed over time) has the shape of a disagreement,
its two values the earlier figure and the later one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from html import escape
from typing import Any

from tidings.analyze.model import Analysis, ClaimGroup, ClaimValue, DateMention
from tidings.render import document_json, md_escape

FORMATS = ("json", "md", "html")


def _unplaced(analysis: Analysis) -> list[tuple[list[str], str, str]]:
    """Unresolved date expressions grouped by the sentence they are in: (expressions, sentence, document).

    "April" five times in one article is one line per sentence, with the sentence that says what happens
    then: the reader learns what is expected "next week" even when the article's own date is unknown.
    """
    grouped: dict[tuple[str, str], list[str]] = {}
    for d in analysis.unresolved_dates:
        said = grouped.setdefault((d.doc_id, d.sentence), [])
        if d.text not in said:
            said.append(d.text)
    return [(said, sentence, doc_id) for (doc_id, sentence), said in grouped.items()]


def _value_json(v: ClaimValue) -> dict[str, Any]:
    return {
        "value": v.value,
        "interval": v.interval.as_dict(),
        "quote": " ".join(v.quote.split()),
        "sources": list(v.sources),
        "independent_sources": v.independent,
        "attributions": list(v.attributions),
        "citations": [{"document": c.doc_id, "start": c.start, "end": c.end} for c in v.citations],
        "published": v.published.isoformat() if v.published else None,
    }


def _group_json(g: ClaimGroup) -> dict[str, Any]:
    return {
        "about": g.about,
        "dimension": g.dimension,
        "values": [_value_json(v) for v in g.values],
        "independent_sources": g.independent,
    }


def _date_json(d: DateMention) -> dict[str, Any]:
    return {
        "document": d.doc_id,
        "start": d.start,
        "end": d.end,
        "text": d.text,
        "date": d.date.isoformat() if d.date else None,
        "precision": d.precision,
        "reason": d.reason,
    }


def analysis_json(analysis: Analysis) -> dict[str, Any]:
    """The JSON-ready dict of an analysis (see the module docstring for the contract)."""
    return {
        "disagreements": [_group_json(g) for g in analysis.disagreements],
        "changes": [_group_json(g) for g in analysis.changes],
        "claims": [{**_group_json(g), "conflict": g.conflict, "kind": g.kind} for g in analysis.claims],
        "timeline": [
            {
                "date": e.date.isoformat(),
                "precision": e.precision,
                "event": e.event,
                "kind": e.kind,
                "sources": list(e.sources),
                "independent_sources": e.independent,
                "citations": [{"document": c.doc_id, "start": c.start, "end": c.end} for c in e.citations],
            }
            for e in analysis.timeline
        ],
        "unresolved_dates": [_date_json(d) for d in analysis.unresolved_dates],
        "quotes": [
            {
                "speaker": q.speaker,
                "quote": q.quote,
                "sources": list(q.sources),
                "independent_sources": q.independent,
                "citations": [{"document": c.doc_id, "start": c.start, "end": c.end} for c in q.citations],
            }
            for q in analysis.quotes
        ],
        "entities": [
            {
                "name": e.name,
                "type": e.type,
                "mentions": e.mentions,
                "variants": list(e.variants),
                "sources": list(e.sources),
                "independent_sources": e.independent,
            }
            for e in analysis.entities
        ],
        "summary": [
            {"text": s.text, "sources": s.sources, "independent_sources": s.independent} for s in analysis.summary
        ],
        "documents": [document_json(d) for d in analysis.documents],
        "backend": analysis.backend,
    }


def _numbers(analysis: Analysis) -> dict[str, int]:
    return {doc.id: n for n, doc in enumerate(analysis.documents, start=1)}


def _refs(doc_ids: Any, numbers: dict[str, int]) -> str:
    return "".join(f"[{numbers[d]}]" for d in doc_ids if d in numbers)


def _when(v: ClaimValue, numbers: dict[str, int], t: Callable[[str], str]) -> str:
    """A value with its sources and, where known, when it was published: "nine [2] (2018-12-31)"."""
    stamp = f" ({v.published.date().isoformat()})" if v.published else ""
    return f"{t(v.value)} {_refs(v.sources, numbers)}{stamp}"


def _section_lines(analysis: Analysis, n: dict[str, int], t: Callable[[str], str] = md_escape) -> list[str]:
    """Disagreements, timeline, quotes and names as Markdown lines, citing documents by ``n``; ``t`` escapes
    what comes from the articles (Markdown's escaping; none for lines that are escaped as HTML after)."""
    lines = ["## Where the sources disagree", ""]
    if not analysis.disagreements:
        lines += ["No incompatible figures found.", ""]
    for g in analysis.disagreements:
        lines.append(f"- **{t(g.about)}**")
        for v in g.values:
            who = f" (according to {t(', '.join(v.attributions))})" if v.attributions else ""
            lines.append(f"  - {t(v.value)}{who} {_refs(v.sources, n)}: “{t(' '.join(v.quote.split()))}”")
    if analysis.changes:
        lines += ["", "## What changed over time", ""][not lines[-1] :]
    for g in analysis.changes:
        earlier, later = g.values
        verb = "rose" if later.interval.effective[0] > earlier.interval.effective[1] else "went"
        lines.append(f"- **{t(g.about)}** {verb} from {_when(earlier, n, t)} to {_when(later, n, t)}")
        for v in g.values:
            lines.append(f"  - {t(v.value)} {_refs(v.sources, n)}: “{t(' '.join(v.quote.split()))}”")
    lines += ["", "## Timeline", ""]
    for e in analysis.timeline:
        label = {"week": "week of ", "month": "", "year": ""}.get(e.precision, "")
        shown = e.date.isoformat()[: {"month": 7, "year": 4}.get(e.precision, 10)]
        lines.append(f"- **{label}{shown}** {t(e.event)} {_refs(e.sources, n)}")
    if analysis.unresolved_dates:
        lines += ["", "Not placed on the timeline (no publication date to resolve them against):", ""]
        for said, sentence, doc_id in _unplaced(analysis):
            quoted = ", ".join(f"“{t(phrase)}”" for phrase in said)
            where = f": {t(sentence)}" if sentence else ""
            lines.append(f"- {quoted}{where} {_refs([doc_id], n)}")
    lines += ["", "## Quotes", ""]
    for q in analysis.quotes:
        lines.append(f"- **{t(q.speaker) if q.speaker else 'unknown speaker'}**: “{t(q.quote)}” {_refs(q.sources, n)}")
    lines += ["", "## People, organisations, places", ""]
    for e in analysis.entities[:40]:
        variants = f" (also: {t(', '.join(e.variants[:4]))})" if e.variants else ""
        lines.append(f"- {t(e.name)} — {e.type}, {e.mentions} mention{'s' * (e.mentions != 1)}{variants}")
    return lines


def _markdown(analysis: Analysis, t: Callable[[str], str] = md_escape) -> str:
    n = _numbers(analysis)
    lines = ["# Analysis", ""]
    if analysis.summary:
        lines += ["## Summary", ""]
        for s in analysis.summary:
            lines += [f"{t(s.text)} {_refs(s.sources, n)} *({s.independent} independent)*", ""]
    lines += _section_lines(analysis, n, t)
    lines += ["", "## Sources", ""]
    for doc in analysis.documents:
        where = doc.path or doc.url or doc.id
        lines.append(f"{n[doc.id]}. {t(doc.title or doc.id)} — {t(where) if t is md_escape else where}")
    return "\n".join(lines).rstrip() + "\n"


def _as_is(text: str) -> str:
    return text  # for lines that are escaped as HTML afterwards


def _html_lines(lines: list[str]) -> list[str]:
    body = []
    for line in lines:
        if line.startswith("## "):
            body.append(f"<h2>{escape(line[3:])}</h2>")
        elif line.startswith("# "):
            body.append(f"<h1>{escape(line[2:])}</h1>")
        elif line.strip():
            body.append(f"<p>{escape(line.replace('**', ''))}</p>")
    return body


def _html(analysis: Analysis) -> str:
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Analysis</title></head><body>\n'
        + "\n".join(_html_lines(_markdown(analysis, _as_is).splitlines()))
        + "\n</body></html>\n"
    )


def render_sections(analysis: Analysis, fmt: str, numbers: dict[str, int]) -> str | dict[str, Any]:
    """The analysis sections to append to a story rendered elsewhere, citing documents by its ``numbers``.

    ``json`` gives the dict of :func:`analysis_json` without its own summary and documents; ``md``
    Markdown sections; ``html`` an escaped fragment.
    """
    if fmt == "json":
        return {k: v for k, v in analysis_json(analysis).items() if k not in ("summary", "documents")}
    lines = _section_lines(analysis, numbers, md_escape if fmt == "md" else _as_is)
    if fmt == "md":
        return "\n".join(lines).rstrip() + "\n"
    if fmt == "html":
        return '<section class="analysis">\n' + "\n".join(_html_lines(lines)) + "\n</section>\n"
    raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")


def render_analysis(analysis: Analysis, fmt: str = "md") -> str:
    """Render an analysis as ``json``, ``md`` or ``html`` (everything from the inputs escaped)."""
    if fmt == "json":
        return json.dumps(analysis_json(analysis), ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        return _markdown(analysis)
    if fmt == "html":
        return _html(analysis)
    raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
