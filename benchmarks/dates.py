"""Publication dates: how often tidings dates a document, how often the date is right, and where it came from.

Usage: python benchmarks/dates.py [--data ../shared/data/extraction-dev] [--out benchmarks/results/dates.md]
       [--wcxb <checkout of web-content-extraction-benchmark>]

Labelled items (labels frozen before tidings was run on them):

- the 91 pages of ../shared/data/extraction-dev, dated by hand (``benchmarks/labels/extraction-dev-dates.json``);
- 17 pages and 8 feed items written for the hard cases (``tests/fixtures/dates/``: copyright footers, sidebar
  dates, a year in the text, zero dates, dates in URLs, datelines and bylines, a modified date only).

Each page goes through the real ingest path (``document_from_text`` with the page's URL, as ``tidings ingest``
does for a fetched page); each feed item through the feed path (``parse_feed`` then ``read_feed`` with a
fetcher that fails, so the feed's own content is used, as when an item's page cannot be fetched). A date is
right when its calendar day (in its own offset or in UTC) is one of the label's acceptable days.
Reported: precision of ``published`` (right / dated), the share of documents dated, recall (right / labelled
dated), undated documents kept undated, and a breakdown by ``published_source``. Peers in the same run:
trafilatura's own date (what tidings used before) and htmldate (markup only, and with its extensive search).

With ``--wcxb``, also WCXB's dev article pages (its ``dev/`` split only; its test split is not used), in two
halves fixed by a hash of the page's name: half A, whose wrong dates were read to write date rules, and half B,
held out (only its summary numbers are looked at). WCXB's labels take a page's shown date, which is often its
"Updated" date; tidings reports the first publication by design, so precision is given both on every page and
with the pages whose label is a date the page states as its modification left out.

Writes benchmarks/results/dates.md.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import shlex
import sys
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from dateutil import parser as date_parser

sys.path.insert(0, str(Path(__file__).resolve().parent))
from summarization import machine, versions
from tidings.ingest.feeds import parse_feed
from tidings.ingest.files import document_from_text
from tidings.ingest.sources import FeedTally, read_feed
from tidings.model import Problem

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "dates"
LABELS = ROOT / "benchmarks" / "labels" / "extraction-dev-dates.json"


@dataclass(frozen=True, slots=True)
class Item:
    """One labelled document: where it comes from, its acceptable days (None: undated) and how to read it."""

    name: str
    kind: str  # "page" or "feed item"
    days: frozenset[date] | None
    html: str | None = None
    url: str | None = None
    update_label: bool = False  # the label is a date the page states as its modification (WCXB)


def _days(value: list[str] | None) -> frozenset[date] | None:
    return None if value is None else frozenset(date.fromisoformat(d) for d in value)


def load_items(data: Path) -> list[Item]:
    items = []
    labels = json.loads(LABELS.read_text(encoding="utf-8"))["pages"]
    for page_id, label in sorted(labels.items()):
        html = gzip.decompress((data / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8", "replace")
        items.append(Item(f"extraction-dev/{page_id[:12]}", "page", _days(label["published"]), html, label["url"]))
    own = json.loads((FIXTURES / "labels.json").read_text(encoding="utf-8"))
    for name, label in own["pages"].items():
        html = (FIXTURES / name).read_text(encoding="utf-8")
        items.append(Item(f"fixture/{name}", "page", _days(label["published"]), html, label["url"]))
    for name, label in own["feed_items"].items():
        items.append(Item(f"fixture/{name}", "feed item", _days(label["published"])))
    return items


def wcxb_half(name: str) -> str:
    """``A`` (tuning: its wrong dates were read) or ``B`` (held out), fixed by a hash of the page's name."""
    return "AB"[hashlib.sha1(name.removeprefix("wcxb/").encode()).digest()[0] % 2]


def load_wcxb(root: Path) -> list[Item]:
    """WCXB's dev articles (``dev/ground-truth/*.json`` and ``dev/html/*.html.gz`` under ``root``).

    Their ``publish_date`` was labelled by WCXB's authors, not here. A month-only label ("2015-11") is skipped;
    a null label is an undated page.
    """
    items = []
    for truth in sorted((root / "dev" / "ground-truth").glob("*.json")):
        label = json.loads(truth.read_text(encoding="utf-8"))
        if label["_internal"]["page_type"]["primary"] != "article":
            continue
        day = label["ground_truth"].get("publish_date")
        if day and len(day) < 10:
            continue
        page = root / "dev" / "html" / f"{truth.stem}.html.gz"
        html = gzip.decompress(page.read_bytes()).decode("utf-8", "replace")
        days = _days([day[:10]] if day else None)
        update = days is not None and label_is_update(html, next(iter(days)))
        items.append(Item(f"wcxb/{truth.stem}", "page", days, html, label.get("url"), update))
    return items


_STATED = r"""\W{0,12}(?:content\W{1,3})?(?:on|at)?\W{0,6}(?:[A-Za-z]+,\s*)?([^<>"']{8,40})"""
_CHANGED = re.compile(
    r"(?:datemodified|modified_time|updated_time|date_updated|dateupdate|updated_at|lastreviewed|last[ -]?updated"
    r"|last[ -]?modified|\bupdated|\bmodified)" + _STATED,
    re.IGNORECASE,
)
_ISSUED = re.compile(
    r"(?:datepublished|published_time|publish_date|date_published|\bpublished|\bposted)" + _STATED, re.IGNORECASE
)


def _stated_days(pattern: re.Pattern[str], html: str) -> set[date]:
    """The days written after a label (``dateModified``, "Updated on", "Published") in a page's HTML."""
    days = set()
    for match in pattern.finditer(html):
        text = re.sub(r"T[\d:.]+.*$", "", match.group(1).strip())  # an ISO date's time part
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # zone names: only the day matters
                days.add(date_parser.parse(text, fuzzy=True, default=datetime(1, 1, 1)).date())
        except (ValueError, OverflowError):
            continue
    return days


def label_is_update(html: str, day: date) -> bool:
    """Whether ``day`` is a date the page states as its modification ("Updated March 3, 2020",
    ``dateModified``) and not also one it states as its publication (the labelling convention, not an error)."""
    return day in _stated_days(_CHANGED, html) and day not in _stated_days(_ISSUED, html)


class _NoFetch:
    """A fetcher that fails every page, so feed items are read from the feed's own content."""

    def fetch_many(self, urls: Iterable[str]) -> list[Problem]:
        return [Problem(u, "not fetched in this benchmark") for u in urls]


def feed_documents() -> dict[str, tuple[datetime | None, str | None]]:
    """``feed file#guid`` -> (published, published_source) through the feed path."""
    out = {}
    for name in ("feed.rss", "feed.atom"):
        feed = parse_feed((FIXTURES / name).read_bytes(), "https://gazette.example/feed")
        reads = [r for r in read_feed(feed, _NoFetch()) if not isinstance(r, FeedTally)]  # type: ignore[arg-type]
        for entry, read in zip(feed.items, reads, strict=True):
            doc = None if isinstance(read, Problem) else read.document
            published = doc.published if doc else None
            out[f"{name}#{(entry.guid or '').rsplit('/', 1)[-1]}"] = (
                published,
                getattr(doc, "published_source", None) if doc else None,
            )
    return out


def tidings_page(item: Item) -> tuple[datetime | date | None, str | None]:
    try:
        doc = document_from_text(item.html or "", doc_id=item.name, url=item.url, is_html=True)
    except Exception:  # noqa: BLE001 - a page with no article is simply undated here
        return None, "no article"
    return doc.published, getattr(doc, "published_source", None)


def trafilatura_page(item: Item) -> tuple[datetime | date | None, str | None]:
    import trafilatura

    meta = trafilatura.extract_metadata(item.html or "", default_url=item.url)
    return (date.fromisoformat(meta.date[:10]) if meta and meta.date else None), None


def htmldate_page(extensive: bool) -> Callable[[Item], tuple[datetime | date | None, str | None]]:
    def run(item: Item) -> tuple[datetime | date | None, str | None]:
        from htmldate import find_date

        found = find_date(item.html or "", url=item.url, extensive_search=extensive, original_date=True)
        return (date.fromisoformat(found[:10]) if found else None), None

    return run


def right(found: datetime | date | None, days: frozenset[date] | None) -> bool | None:
    """None when nothing was found; else whether the day found is acceptable (never, for an undated item)."""
    if found is None:
        return None
    if days is None:
        return False
    candidates = {found.date(), found.astimezone(UTC).date()} if isinstance(found, datetime) else {found}
    return bool(candidates & days)


@dataclass
class Score:
    items: int = 0
    dated: int = 0
    correct: int = 0
    labelled: int = 0
    undated_labels: int = 0
    kept_undated: int = 0
    seconds: float = 0.0
    dated_not_update: int = 0  # dated, on pages whose label is not an update date
    correct_not_update: int = 0

    def row(self, name: str, updates: bool = False) -> str:
        """One table row; with ``updates``, also the precision with update-labelled pages left out."""
        precision = self.correct / self.dated if self.dated else 0.0
        recall = self.correct / self.labelled if self.labelled else 0.0
        other = self.correct_not_update / self.dated_not_update if self.dated_not_update else 0.0
        return (
            f"| {name} | {self.items} | {self.dated} ({self.dated / self.items:.0%}) | **{precision:.3f}** "
            + (f"| {other:.3f} " if updates else "")
            + f"| {recall:.3f} | {self.kept_undated}/{self.undated_labels} | {self.seconds:.1f} |"
        )


def evaluate(
    items: list[Item], read: Callable[[Item], tuple[datetime | date | None, str | None]], feed: dict
) -> tuple[Score, dict[str, Counter[str]], list[str]]:
    score = Score()
    by_source: dict[str, Counter[str]] = defaultdict(Counter)
    wrong = []
    start = time.perf_counter()
    for item in items:
        if item.kind == "feed item":
            if not feed:
                continue
            found, source = feed[item.name.removeprefix("fixture/")]
        else:
            found, source = read(item)
        verdict = right(found, item.days)
        score.items += 1
        score.labelled += item.days is not None
        score.undated_labels += item.days is None
        score.kept_undated += item.days is None and found is None
        score.dated += found is not None
        score.correct += bool(verdict)
        score.dated_not_update += found is not None and not item.update_label
        score.correct_not_update += bool(verdict) and not item.update_label
        key = source or ("none" if found is None else "not recorded")
        by_source[key]["documents"] += 1
        by_source[key]["right"] += bool(verdict)
        if verdict is False or (found is None and item.days is not None):
            shown = found.isoformat() if found is not None else "undated"
            expected = "undated" if item.days is None else " or ".join(sorted(d.isoformat() for d in item.days))
            wrong.append(f"- {item.name} ({item.kind}): {shown} [{key}], expected {expected}")
    score.seconds = time.perf_counter() - start
    return score, by_source, wrong


def _peer_rows(pages: list[Item], suffix: str, updates: bool = False) -> list[str]:
    """trafilatura's and htmldate's rows on the same pages (they read pages, not feed items)."""
    peers = (
        ("trafilatura metadata", trafilatura_page),
        ("htmldate, markup only", htmldate_page(False)),
        ("htmldate, extensive search", htmldate_page(True)),
    )
    return [evaluate(pages, read, {})[0].row(name + suffix, updates) for name, read in peers]


def _breakdown(sources: dict[str, Counter[str]]) -> list[str]:
    lines = ["| published_source | documents | right |", "|---|---:|---:|"]
    for source in ("metadata", "feed", "url", "text", "none", "not recorded", "no article"):
        if source in sources:
            lines.append(f"| {source} | {sources[source]['documents']} | {sources[source]['right']} |")
    return lines


def wcxb_section(items: list[Item], label: str) -> str:
    """The same table on WCXB's dev articles, half A (tuning) and half B (held out), with tidings' sources."""
    lines = [
        "",
        "### WCXB dev articles",
        "",
        f"{len(items)} article pages of WCXB's dev split (labels by WCXB's authors), in two halves by a hash of the"
        " page's name: A, whose wrong dates were read to write rules, and B, held out. 'precision, updates out':"
        " precision with the pages whose label is a date the page states as its modification left out (WCXB takes"
        " the shown date, often the 'Updated' one; tidings reports the first publication).",
    ]
    for half, role in (("A", "tuning"), ("B", "held out")):
        pages = [i for i in items if wcxb_half(i.name) == half]
        ours, sources, wrong = evaluate(pages, tidings_page, {})
        lines += [
            "",
            f"#### Half {half} ({role})",
            "",
            f"{len(pages)} pages, {sum(i.days is None for i in pages)} labelled without a date,"
            f" {sum(i.update_label for i in pages)} labelled with a date the page states as its modification.",
            "",
            "| system | documents | dated | precision | precision, updates out | recall | undated kept undated"
            " | seconds |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
            ours.row(label, updates=True),
            *_peer_rows(pages, "", updates=True),
            "",
            "By source (tidings):",
            "",
            *_breakdown(sources),
            "",
            f"Wrong or missed (tidings): {len(wrong)}",
        ]
    return "\n".join([*lines, ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "extraction-dev")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "dates.md")
    parser.add_argument("--label", default="tidings", help="name of the tidings row (e.g. 'tidings before')")
    parser.add_argument(
        "--wcxb", type=Path, help="a checkout of WCXB (web-content-extraction-benchmark): also score its dev articles"
    )
    args = parser.parse_args()
    items = load_items(args.data)
    feed = feed_documents()
    ours, sources, wrong = evaluate(items, tidings_page, feed)
    header = [
        "| system | documents | dated | precision | recall | undated kept undated | seconds |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    rows = [ours.row(args.label), *_peer_rows([i for i in items if i.kind == "page"], " (pages only)")]
    breakdown = _breakdown(sources)
    n_pages = sum(1 for i in items if i.kind == "page")
    text = "\n".join(
        [
            "## Publication dates",
            "",
            f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            f"- machine: {machine()}",
            f"- versions: {versions(['tidings', 'trafilatura', 'htmldate', 'python-dateutil', 'feedparser'])}",
            f"- command: `{shlex.join(['python', 'benchmarks/dates.py', *sys.argv[1:]])}`",
            "",
            f"{len(items)} labelled documents: {n_pages} pages (91 from extraction-dev, {n_pages - 91} fixtures)"
            f" and {len(items) - n_pages} feed items; {sum(i.days is None for i in items)} of them have no"
            " publication date.",
            "",
            *header,
            *rows,
            "",
            "By source (tidings):",
            "",
            *breakdown,
            "",
            "Wrong or missed (tidings):",
            "",
            *(wrong or ["- none"]),
            "",
        ]
    )
    if args.wcxb is not None:
        text += wcxb_section(load_wcxb(args.wcxb), args.label)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
