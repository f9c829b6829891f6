"""Stories over a stream: clustering quality on the dev stream, and ingest throughput and memory at scale.

Usage: python benchmarks/stories.py [--data ../shared/data/summarization-dev] [--sizes 1000,10000,100000]
                                    [--skip-quality] [--skip-scale] [--workers 2]

Quality: every gold cluster of Multi-News val + WCEP train is one story; all articles are pooled and
shuffled (the files carry no dates), ingested one by one through the real archive path (`tidings ingest`
minus the CLI), and the resulting stories are compared with the gold ones (B-cubed). The offline
baseline, agglomerative clustering (TF-IDF, cosine, average link) over all articles at once, runs in the
same script over the same cleaned texts at several distance thresholds.

Scale: streams of N synthetic articles built from the dev articles. Each synthetic story is a dev
cluster under a new identity (its capitalised words get a story-specific suffix, 10% of its sentences
are dropped), published within a day and a half of a start time that advances 500 articles a day, so
stories go cold as they would in a real feed. Reported: articles per second for ingest + clustering
(summaries off, as `tidings ingest --no-summaries`), peak RSS of the writer and of the worker processes
(each size in a fresh process),
stories formed, and B-cubed against the synthetic stories.

Writes benchmarks/results/stories.md.
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tidings.config import Config
from tidings.evaluate.clustering import bcubed
from tidings.evaluate.clusters import Cluster, read_clusters
from tidings.model import Document, Problem
from tidings.store import Archive
from tidings.stream import content_hash, ingest, prepare_article

sys.path.insert(0, str(Path(__file__).resolve().parent))
from summarization import machine, versions

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ("multinews-val250.jsonl", "wcep-train923.jsonl")
THRESHOLDS = (0.6, 0.65, 0.7, 0.75, 0.8)


def dev_stream(data: Path, seed: int = 0) -> tuple[list[Document], list[str]]:
    docs, gold = [], []
    for name in DATASETS:
        for cluster in read_clusters(data / name):
            for doc in cluster.documents():
                docs.append(doc)
                gold.append(cluster.id)
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    return [docs[i] for i in order], [gold[i] for i in order]


def online(docs: list[Document], config: Config, workers: int) -> tuple[list[object], float]:
    """Ingest through the archive; label each input with the story its article (or its duplicate) landed in."""
    with tempfile.TemporaryDirectory() as tmp, Archive(Path(tmp) / "bench.db") as archive:
        start = time.perf_counter()
        ingest(archive, ((d, None) for d in docs), config, summaries=False, workers=workers)
        took = time.perf_counter() - start
        labels: list[object] = []
        for i, doc in enumerate(docs):
            article = prepare_article(doc, None, config)
            row = None
            if not isinstance(article, Problem):
                row = archive.conn.execute(
                    "SELECT story_id FROM documents WHERE content_hash = ?", (content_hash(article.document.text),)
                ).fetchone()
            story = archive.resolve_story(row[0]) if row else None
            labels.append(story if story is not None else f"unused-{i}")
    return labels, took


def offline(docs: list[Document], config: Config) -> dict[float, object]:
    """Agglomerative clustering of all cleaned articles at once (the batch baseline)."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = []
    for doc in docs:
        article = prepare_article(doc, None, config)
        cleaned = doc if isinstance(article, Problem) else article.document
        texts.append(f"{cleaned.title or ''} {cleaned.text}")
    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts).toarray()
    out = {}
    for threshold in THRESHOLDS:
        model = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
        )
        out[threshold] = list(model.fit_predict(matrix))
    return out


def quality(data: Path, config: Config, workers: int) -> str:
    docs, gold = dev_stream(data)
    labels, took = online(docs, config, workers)
    ours = bcubed(labels, gold)
    rows = [
        f"Dev stream: {len(docs)} articles, {len(set(gold))} gold stories (Multi-News val 250 + WCEP train 923),"
        " shuffled with seed 0 (no dates in the files, so nothing goes cold).",
        "",
        "| method | B³ precision | B³ recall | B³ F1 | stories | seconds |",
        "|---|---:|---:|---:|---:|---:|",
        f"| tidings online (threshold {config.cluster.threshold}) | {ours.precision:.3f} | {ours.recall:.3f} "
        f"| **{ours.f1:.3f}** | {ours.n_predicted} | {took:.1f} |",
    ]
    start = time.perf_counter()
    baseline = offline(docs, config)
    took = (time.perf_counter() - start) / len(THRESHOLDS)
    best = max(baseline, key=lambda t: bcubed(baseline[t], gold).f1)
    for threshold, predicted in baseline.items():
        s = bcubed(predicted, gold)
        mark = " (best)" if threshold == best else ""
        rows.append(
            f"| offline agglomerative, distance {threshold}{mark} | {s.precision:.3f} | {s.recall:.3f} "
            f"| {s.f1:.3f} | {s.n_predicted} | {took:.1f} |"
        )
    singletons = bcubed(list(range(len(gold))), gold)
    rows.append(f"| all singletons | 1.000 | {singletons.recall:.3f} | {singletons.f1:.3f} | {len(gold)} | - |")
    return "\n".join(rows)


_CAPITAL = re.compile(r"\b([A-Z][a-z]+)\b")


def _renamer(suffix: str):
    return lambda text: _CAPITAL.sub(lambda m: m.group(1) + suffix, text)


def synthetic(clusters: list[Cluster], n: int, seed: int = 1) -> Iterator[tuple[Document, int]]:
    """N articles: dev clusters re-issued under new identities, 500 articles a day."""
    rng = random.Random(seed)
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    made, story = 0, 0
    while made < n:
        cluster = rng.choice(clusters)
        story += 1
        start = t0 + timedelta(days=made / 500)
        rename = _renamer(f"{story:x}")
        for j, article in enumerate(cluster.articles):
            if made >= n:
                return
            sentences = re.split(r"(?<=[.!?])\s+", article.text)
            kept = [s for s in sentences if rng.random() > 0.1] or sentences
            text = rename(" ".join(kept))
            title = rename(article.title) if article.title else None
            when = start + timedelta(hours=rng.uniform(0, 36))
            url = f"https://synthetic.example/{story}/{j}"
            yield Document(id=url, text=text, title=title, url=url, published=when), story
            made += 1


def peak_mib() -> tuple[float, float]:
    """Peak RSS of this process and of its largest child, in MiB.

    This process's peak is VmHWM, the high-water mark of its own address space: ``ru_maxrss``
    survives ``execve``, so a child started by a big parent would report the parent's peak.
    """
    with Path("/proc/self/status").open(encoding="ascii") as status:
        self_kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    children_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return self_kib / 1024, children_kib / 1024


def scale_row(data: Path, n: int, config: Config, workers: int) -> str:
    """One size, measured in this process (run in a fresh one, so peak RSS is this size's own)."""
    clusters = [c for name in DATASETS for c in read_clusters(data / name)]
    gold: dict[str, int] = {}

    def items() -> Iterator[tuple[Document, None]]:
        for doc, story in synthetic(clusters, n):
            gold[doc.url or doc.id] = story
            yield doc, None

    with tempfile.TemporaryDirectory() as tmp, Archive(Path(tmp) / "scale.db") as archive:
        start = time.perf_counter()
        report = ingest(archive, items(), config, summaries=False, workers=workers)
        took = time.perf_counter() - start
        pairs = archive.conn.execute("SELECT url, story_id FROM documents").fetchall()
        predicted = [archive.resolve_story(story) for _, story in pairs]
        truth = [gold[url] for url, _ in pairs]
    s = bcubed(predicted, truth)
    writer, workers_peak = peak_mib()
    return (
        f"| {n:,} | {took:.0f} | {report.added / took:.0f} | {writer:.0f} | {workers_peak:.0f} "
        f"| {s.n_predicted:,} | {s.n_gold:,} | {s.f1:.3f} |"
    )


def scale(data: Path, sizes: list[int], workers: int) -> str:
    rows = [
        "| articles | seconds | articles/s | writer peak RSS (MiB) | worker peak RSS (MiB) | stories "
        "| synthetic stories | B³ F1 |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        child = [sys.executable, __file__, "--data", str(data), "--workers", str(workers), "--child-size", str(n)]
        rows.append(subprocess.run(child, check=True, capture_output=True, text=True).stdout.strip())
        print(rows[-1], flush=True)
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "summarization-dev")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--child-size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    config = Config()
    if args.child_size:
        print(scale_row(args.data, args.child_size, config, args.workers))
        return
    sections = [
        "## Stories over a stream",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {machine()}",
        f"- versions: {versions()}",
        f"- command: `python benchmarks/stories.py {' '.join(sys.argv[1:])}`".replace(" `", "`"),
        "",
    ]
    if not args.skip_quality:
        sections += ["### Clustering quality (dev stream)", "", quality(args.data, config, args.workers), ""]
        print("\n".join(sections), flush=True)
    if not args.skip_scale:
        sizes = [int(s) for s in args.sizes.split(",") if s]
        sections += [
            f"### Ingest + clustering throughput ({args.workers} worker processes, one writer)",
            "",
            scale(args.data, sizes, args.workers),
            "",
        ]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "stories.md").write_text("\n".join(sections), encoding="utf-8")
    print("\n".join(sections))


if __name__ == "__main__":
    main()
