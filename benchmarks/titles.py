"""Headlines made from a lead, against the headline the article's own editors wrote.

    python benchmarks/titles.py [--wcxb PATH/TO/WCXB] [--show N] [--output FILE]

A story whose articles carry no title (datasets, scraped text) is called by a headline made from the lead of
its summary (``tidings.titles.headline_from``). This measures that maker on articles that do carry a title:
the headline made from the article's body against its real title, by ROUGE-1/2/L F1 (stemmed), with the share
of made headlines that end inside an opening clause ("Following the defeat on Wednesday") or inside brackets.

- WCEP train 923 (../shared/data/summarization-dev, licensed, never copied): every titled article (the
  development set: rules are tuned on it);
- WCXB dev (``--wcxb``: a checkout of Murrough-Foley/web-content-extraction-benchmark; dev split only, as
  ENVIRONMENT.md asks): every page WCXB types as an article, its ground-truth title and main content (a
  second, different data set: a change must not lose there what it gains on WCEP).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import re
import statistics
from datetime import UTC, datetime
from pathlib import Path

from rouge_score import rouge_scorer

from tidings.evaluate.clusters import read_clusters
from tidings.ingest.decode import normalize_text
from tidings.titles import headline_from

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "summarization-dev"
_OPENING = re.compile(
    r"^(?:after|following|when|while|as|for|in|on|at|to|with|despite|amid|during|before|since|because|if|"
    r"although|though|once|until|then|now|hours|days|weeks|months|years|\w+ed|\w+ing)\b",
    re.IGNORECASE,
)


def pairs_wcep() -> list[tuple[str, str]]:
    return [
        (normalize_text(a.title), normalize_text(a.text))
        for c in read_clusters(DATA / "wcep-train923.jsonl")
        for a in c.articles
        if a.title and a.text.strip()
    ]


def pairs_wcxb(root: Path) -> list[tuple[str, str]]:
    out = []
    for path in sorted((root / "dev" / "ground-truth").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        internal, truth = data.get("_internal"), data.get("ground_truth")
        internal = ast.literal_eval(internal) if isinstance(internal, str) else internal or {}
        truth = ast.literal_eval(truth) if isinstance(truth, str) else truth or {}
        if internal.get("page_type", {}).get("primary") != "article":
            continue
        title, text = truth.get("title"), truth.get("main_content")
        if isinstance(title, str) and title.strip() and isinstance(text, str) and text.strip():
            out.append((normalize_text(title), normalize_text(text)))
    return out


def _broken(made: str, lead: str) -> bool:
    """A made headline that stops inside an opening clause or inside brackets or quotes."""
    unbalanced = made.count("(") != made.count(")") or made.count("“") != made.count("”") or made.count('"') % 2
    opening = bool(_OPENING.match(made)) and lead[len(made) :].lstrip().startswith(",")
    return bool(unbalanced or opening)


def measure(pairs: list[tuple[str, str]], show: int) -> dict[str, float]:
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    scores: dict[str, list[float]] = {"rouge1": [], "rouge2": [], "rougeL": []}
    broken = words = made_n = 0
    for k, (title, text) in enumerate(pairs):
        made = headline_from(text) or ""
        if made:
            made_n += 1
            words += len(made.split())
            lead = " ".join(text[:2000].split())
            broken += _broken(made, lead[lead.find(made[:20]) :] if made[:20] in lead else made)
        result = scorer.score(title, made)
        for key in scores:
            scores[key].append(result[key].fmeasure)
        if k < show:
            print(f"  title: {title}\n  made:  {made}\n")
    return {
        "articles": len(pairs),
        **{key: 100 * statistics.mean(v) for key, v in scores.items()},
        "words": words / max(1, made_n),
        "broken": 100 * broken / max(1, made_n),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wcxb", type=Path)
    parser.add_argument("--show", type=int, default=0, help="print the first N WCEP pairs")
    parser.add_argument("--label", default="this tree")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args()
    rows = [("WCEP train 923, titled articles", measure(pairs_wcep(), args.show))]
    if args.wcxb:
        rows.append(("WCXB dev, article pages", measure(pairs_wcxb(args.wcxb), 0)))
    lines = [
        f"## {args.label}: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()} ({os.cpu_count()} cores),"
        f" Python {platform.python_version()}",
        "",
        "| data | articles | R-1 | R-2 | R-L | words | ends in an opening clause or open bracket % |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {name} | {r['articles']:,} | {r['rouge1']:.2f} | {r['rouge2']:.2f} | {r['rougeL']:.2f} |"
            f" {r['words']:.1f} | {r['broken']:.1f} |"
            for name, r in rows
        ),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.output:
        with args.output.open("a", encoding="utf-8") as out:
            out.write(text + "\n")


if __name__ == "__main__":
    main()
