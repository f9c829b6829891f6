"""What's-new benchmark: dev clusters split by time, earlier half known, the rest arriving later.

    python benchmarks/novelty.py [--limit N] [--labels F] [--dump-sample DIR]

For every dev cluster with three or more usable articles (Multi-News val, WCEP train, from
../shared/data/summarization-dev, read at run time), the articles are ordered by publication time
(then by their order in the cluster) and the first half is what a reader already knew. For the rest,
:func:`tidings.novelty.whats_new` chooses the "What's new" sentences with the defaults a user gets.
Measured:

- every new sentence cites only later articles;
- repetition: the share of new sentences whose MiniLM cosine (``tidings[semantic]``, the issue's yardstick,
  not the judge tidings uses) to some earlier sentence is >= 0.8;
- on a hand-labelled sample (``--labels``, written from the articles alone before tidings' output on them
  was looked at), the share of the later articles' new facts that "What's new" reports (a fact counts as
  reported when a new sentence, or one of its citations, is one of the sentences the labeller gave for it);
- seconds per cluster.

``--dump-sample DIR`` writes the sample to label: per cluster the earlier and later articles as segmented
sentences with their keys (``doc_id:index``), nothing of tidings' selection.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from tidings.config import Config
from tidings.dedup import deduplicate
from tidings.evaluate.clusters import Cluster, read_clusters
from tidings.model import SummarySentence
from tidings.novelty import whats_new
from tidings.pipeline import Prepared, prepare
from tidings.summarize import summarize_sentences

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "summarization-dev"
SETS = {"multinews": "multinews-val250.jsonl", "wcep": "wcep-train923.jsonl"}
SAMPLE_SEED = 16


def split(prepared: Prepared) -> tuple[list[str], list[str]]:
    """Document ids known before and arriving after: publication order (then cluster order), first half known."""
    order = sorted(
        range(len(prepared.documents)),
        key=lambda i: (prepared.documents[i].published or datetime.min.replace(tzinfo=UTC), i),
    )
    ids = [prepared.documents[i].id for i in order]
    half = len(ids) // 2
    return ids[:half], ids[half:]


def clusters(limit: int | None) -> list[tuple[str, Cluster]]:
    out = []
    for name, file in SETS.items():
        out += [(name, c) for c in read_clusters(DATA / file, limit)]
    return out


def key_of(prepared: Prepared, doc_id: str, start: int) -> str:
    for s in prepared.sentences[doc_id]:
        if s.start <= start < s.end:
            return f"{doc_id}:{s.index}"
    raise ValueError(f"no sentence at {doc_id}:{start}")


def sample(items: list[tuple[str, Cluster, Prepared]], per_set: int) -> list[tuple[str, Cluster, Prepared]]:
    """A seeded sample of clusters of 3-8 articles, ``per_set`` from each data set."""
    rng = random.Random(SAMPLE_SEED)
    chosen = []
    for name in SETS:
        pool = [it for it in items if it[0] == name and 3 <= len(it[2].documents) <= 8]
        chosen += rng.sample(pool, min(per_set, len(pool)))
    return chosen


def _article(prepared: Prepared, doc_id: str) -> dict[str, object]:
    doc = next(d for d in prepared.documents if d.id == doc_id)
    return {
        "id": doc_id,
        "title": doc.title,
        "published": doc.published.isoformat() if doc.published else None,
        "sentences": [{"key": f"{doc_id}:{s.index}", "text": s.text} for s in prepared.sentences[doc_id]],
    }


def dump_sample(items: list[tuple[str, Cluster, Prepared]], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, cluster, prepared in items:
        earlier, later = split(prepared)
        record = {
            "set": name,
            "cluster": cluster.id,
            "earlier": [_article(prepared, i) for i in earlier],
            "later": [_article(prepared, i) for i in later],
        }
        text = json.dumps(record, indent=1, ensure_ascii=False)
        (out / f"{name}-{cluster.id.replace('/', '_')}.json").write_text(text)


def naive_new(prepared: Prepared, later: list[str], config: Config) -> list[SummarySentence]:
    """The peer: a summary of the later articles alone (what a tool without novelty would show as an update)."""
    docs = [d for d in prepared.documents if d.id in set(later)]
    sentences = {d.id: prepared.sentences[d.id] for d in docs}
    docs, dedup = deduplicate(docs, sentences, config.dedup)
    return summarize_sentences(docs, sentences, dedup, config.summarize)


def keys(prepared: Prepared, sentence: SummarySentence) -> set[str]:
    return {key_of(prepared, c.doc_id, c.start) for c in sentence.citations}


def evaluate(items: list[tuple[str, Cluster, Prepared]], args: argparse.Namespace, config: Config) -> int:
    from tidings.semantic import shared_encoder

    minilm = shared_encoder()
    labels = json.loads(args.labels.read_text())["clusters"] if args.labels.exists() else {}
    systems = {"tidings what's new": None, "peer: summary of the later articles": None}
    stats = {
        name: {
            "clusters": 0,
            "sentences": 0,
            "words": 0,
            "empty": 0,
            "earlier_cited": 0,
            "repeats": 0,
            "seconds": 0.0,
            "facts": 0,
            "facts_found": 0,
            "labelled_sentences": 0,
            "on_fact": 0,
            "per_set": {},
        }
        for name in systems
    }
    shown: list[dict[str, object]] = []
    for name, cluster, prepared in items:
        earlier, later = split(prepared)
        if not earlier:
            continue
        label_key = f"{name}-{cluster.id.replace('/', '_')}"
        facts = labels.get(label_key)
        old = [s.text for i in earlier for s in prepared.sentences[i]]
        old_vecs = minilm.encode(old)
        for system in systems:
            t0 = time.perf_counter()
            if system.startswith("tidings"):
                new = whats_new(prepared.documents, prepared.sentences, prepared.dedup, earlier, config.summarize)
            else:
                new = naive_new(prepared, later, config)
            st = stats[system]
            st["seconds"] += time.perf_counter() - t0
            st["clusters"] += 1
            st["sentences"] += len(new)
            st["words"] += sum(len(s.text.split()) for s in new)
            st["empty"] += not new
            st["earlier_cited"] += sum(1 for s in new if set(s.sources) & set(earlier))
            per = st["per_set"].setdefault(name, {"clusters": 0, "sentences": 0, "repeats": 0})
            per["clusters"] += 1
            per["sentences"] += len(new)
            if new:
                cos = minilm.encode([s.text for s in new]) @ old_vecs.T
                repeats = int((cos.max(axis=1) >= 0.8).sum())
                st["repeats"] += repeats
                per["repeats"] += repeats
            if facts is not None:
                cited = [keys(prepared, s) for s in new]
                found = sum(1 for f in facts if any(set(f["sentences"]) & c for c in cited))
                st["facts"] += len(facts)
                st["facts_found"] += found
                st["labelled_sentences"] += len(new)
                fact_keys = set().union(*(set(f["sentences"]) for f in facts)) if facts else set()
                st["on_fact"] += sum(1 for c in cited if c & fact_keys)
                if system.startswith("tidings"):
                    shown.append(
                        {"cluster": label_key, "new": [s.text for s in new], "facts": len(facts), "found": found}
                    )
    report(stats, shown, args, len(items))
    return 0


def report(stats: dict, shown: list[dict[str, object]], args: argparse.Namespace, n_items: int) -> None:
    import tidings

    print(f"# What's new on dev clusters split by time ({datetime.now(UTC):%Y-%m-%d})\n")
    print(
        f"Machine: {platform.machine()}, {platform.python_version()}, tidings {tidings.__version__}; "
        f"command: `python benchmarks/novelty.py{' --limit ' + str(args.limit) if args.limit else ''}`\n"
    )
    print(f"{n_items} clusters with 3+ usable articles; the earlier half known, the rest arriving later.\n")
    print(
        "| system | clusters | sentences/cluster | words/cluster | nothing new | cites an earlier article |"
        " repeats an earlier sentence (MiniLM >= 0.8) | labelled facts reported | shown sentences on a labelled fact"
        " | s/cluster |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, st in stats.items():
        n = max(st["clusters"], 1)
        k = max(st["sentences"], 1)
        facts = f"{st['facts_found']}/{st['facts']} ({st['facts_found'] / max(st['facts'], 1):.2f})"
        on = f"{st['on_fact']}/{st['labelled_sentences']} ({st['on_fact'] / max(st['labelled_sentences'], 1):.2f})"
        print(
            f"| {name} | {st['clusters']} | {st['sentences'] / n:.2f} | {st['words'] / n:.1f} | {st['empty']} |"
            f" {st['earlier_cited']} | {st['repeats']}/{st['sentences']} ({st['repeats'] / k:.3f}) | {facts} |"
            f" {on} | {st['seconds'] / n:.3f} |"
        )
    print("\nPer data set (repeats / sentences):\n")
    for name, st in stats.items():
        parts = [
            f"{s}: {p['repeats']}/{p['sentences']} over {p['clusters']} clusters" for s, p in st["per_set"].items()
        ]
        print(f"- {name}: " + "; ".join(parts))
    if args.json:
        args.json.write_text(json.dumps({"stats": stats, "shown": shown}, indent=1, ensure_ascii=False))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="clusters per data set (default all)")
    parser.add_argument("--labels", type=Path, default=Path(__file__).with_name("novelty-labels.json"))
    parser.add_argument("--dump-sample", type=Path, default=None)
    parser.add_argument("--per-set", type=int, default=10)
    parser.add_argument("--json", type=Path, default=None, help="write the numbers and the labelled clusters' output")
    args = parser.parse_args()
    config = Config()
    items = []
    for name, cluster in clusters(args.limit):
        prepared = prepare(cluster.documents(), config)
        if len(prepared.documents) >= 3:
            items.append((name, cluster, prepared))
    if args.dump_sample:
        dump_sample(sample(items, args.per_set), args.dump_sample)
        return 0
    return evaluate(items, args, config)


if __name__ == "__main__":
    sys.exit(main())
