"""Stories: clustering quality online and in batch on two dev streams, their agreement, and ingest at scale.

Usage: python benchmarks/stories.py [--data ../shared/data/summarization-dev] [--sizes 1000,10000,100000]
                                    [--skip-quality] [--skip-scale] [--workers 2] [--ablations static,minilm]
                                    [--label NAME]

Quality, on two streams built from the dev data (Multi-News val 250 + WCEP train 923; every gold cluster is
one story):

- **dev**: all articles pooled and shuffled (seed 0); the files carry no dates, so nothing goes cold;
- **hard**: only the events of a kind that recurs (storms, earthquakes, floods, wildfires, elections,
  shootings, bombings, crashes, protests: picked by keywords in the gold summary's first sentence), every
  article published within the same 48 hours, in time order: the clusterer must tell apart similar events
  of the same days, not only different topics.

Each stream is ingested one article at a time through the real archive path (`tidings ingest` minus the
CLI), and run through `tidings batch` (local engine) as JSONL with ids in stream order; both are compared
with the gold stories (B-cubed) and with each other (B-cubed agreement of the batch's stories against the
archive's). In the same run: the offline baseline, agglomerative clustering (TF-IDF, cosine, average link)
over all articles at once at several distance thresholds (the best is tuned on the stream itself); all
singletons; and two ablations that add sentence embeddings (title and lead) to the archive's scoring
(cosine of the article's embedding with its story's mean embedding, weight 0.1, threshold re-tuned): the
bundled static encoder (`tidings.embed`), and with `--ablations static,minilm` the MiniLM ONNX model of the
`semantic` extra.

Scale: streams of N synthetic articles built from the dev articles. Each synthetic story is a dev cluster
under a new identity (its capitalised words get a story-specific suffix, 10% of its sentences are
dropped), published within a day and a half of a start time that advances 500 articles a day, so stories
go cold as they would in a real feed. Reported: articles per second for ingest + clustering (summaries
off, as `tidings ingest --no-summaries`), peak RSS of the writer and of the worker processes (each size in
a fresh process), the writer's CPU time per article (less sensitive than wall time to other work on a shared
machine), stories formed, and B-cubed against the synthetic stories.

`--label` names the tidings rows (to run this script against an older tidings for a before/after).
Writes benchmarks/results/stories.md (or --out).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

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
KINDS = {
    "storm": r"\b(hurricane|typhoon|cyclone|tropical storm|tornado(es)?|winter storm|blizzard)\b",
    "quake": r"\b(earthquake|quake|tsunami|volcan\w*|eruption)\b",
    "flood": r"\b(flood\w*|landslide|mudslide)\b",
    "wildfire": r"\b(wildfire|forest fire|bushfire)s?\b",
    "election": r"\b(election|elected|referendum|runoff|primaries|primary|re-?election"
    r"|wins? (the )?(presidency|vote))\b",
    "shooting": r"\b(shooting|gunman|gunmen|shot dead|shot and killed|opens? fire|opened fire)\b",
    "bombing": r"\b(bomb\w*|suicide attack|explosion|blast)\b",
    "crash": r"\b(plane crash|crash\w*|derail\w*|airliner|capsiz\w*|sinks?|collision)\b",
    "protest": r"\b(protest\w*|demonstrat\w*|riot\w*)\b",
}


# -- the streams -------------------------------------------------------------------------------------


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


def kind_of(cluster: Cluster, dataset: str) -> str | None:
    """The kind of event a gold story is, from its summary's first sentence (None: not a recurring kind)."""
    text = cluster.reference
    if dataset.startswith("multinews"):
        text = re.split(r"(?<=[.!?])\s", text.lstrip("– "), maxsplit=1)[0]
    for kind, pattern in KINDS.items():
        if re.search(pattern, text, re.IGNORECASE):
            return kind
    return None


def hard_stream(data: Path, seed: int = 0) -> tuple[list[Document], list[str], dict[str, int]]:
    """Same-kind events published within the same 48 hours, in time order."""
    rng = random.Random(seed)
    t0 = datetime(2024, 6, 3, tzinfo=UTC)
    items, kinds = [], {}
    for name in DATASETS:
        for cluster in read_clusters(data / name):
            kind = kind_of(cluster, name)
            if kind is None:
                continue
            kinds[kind] = kinds.get(kind, 0) + 1
            for doc in cluster.documents():
                when = t0 + timedelta(seconds=rng.uniform(0, 48 * 3600))
                items.append((when, replace(doc, published=when), cluster.id))
    items.sort(key=lambda x: x[0])
    return [d for _, d, _ in items], [g for _, _, g in items], kinds


# -- tidings online and in batch ---------------------------------------------------------------------


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


def batch(docs: list[Document], config: Config, workers: int) -> tuple[list[object], float, str]:
    """`tidings batch` (local engine) over the stream as JSONL, ids in stream order; labels as for :func:`online`."""
    import pyarrow.parquet as pq

    from tidings.batch import run_batch

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "stream.jsonl"
        with source.open("w", encoding="utf-8") as out:
            for i, d in enumerate(docs):
                record = {"id": f"x{i:05d}", "text": d.text, "title": d.title, "url": d.url}
                if d.published is not None:
                    record["published"] = d.published.isoformat()
                out.write(json.dumps(record) + "\n")
        start = time.perf_counter()
        report = run_batch([str(source)], Path(tmp) / "out", config, workers=workers)
        took = time.perf_counter() - start
        rows = pq.read_table(Path(tmp) / "out" / "documents.parquet").to_pylist()
    story = {r["id"]: r["story_id"] for r in rows}
    by_hash = {r["content_hash"]: r["story_id"] for r in rows}
    labels: list[object] = []
    for i, d in enumerate(docs):
        sid = story.get(f"x{i:05d}")
        if sid is None:  # an exact duplicate follows the document kept in its place; a problem is alone
            article = prepare_article(d, None, config)
            sid = None if isinstance(article, Problem) else by_hash.get(content_hash(article.document.text))
        labels.append(sid or f"unused-{i}")
    return labels, took, report.summary_line()


# -- peers and ablations ---------------------------------------------------------------------------------


def cleaned_texts(docs: list[Document], config: Config) -> list[str]:
    texts = []
    for doc in docs:
        article = prepare_article(doc, None, config)
        cleaned = doc if isinstance(article, Problem) else article.document
        texts.append(f"{cleaned.title or ''} {cleaned.text}")
    return texts


def offline(texts: list[str]) -> dict[float, list[object]]:
    """Agglomerative clustering of all cleaned articles at once (TF-IDF, cosine, average link)."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(texts).toarray()
    out = {}
    for threshold in THRESHOLDS:
        model = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
        )
        out[threshold] = list(model.fit_predict(matrix))
    return out


def embed_articles(docs: list[Document], config: Config, encode: Callable[[Sequence[str]], np.ndarray]) -> list:
    """Each input prepared as the archive prepares it, with the embedding of its cleaned title and lead, centred on
    the stream's mean (a static model's raw cosines are high for any two news texts); None for a problem."""
    from tidings.cluster import lead

    articles = [prepare_article(d, None, config) for d in docs]
    usable = [a for a in articles if not isinstance(a, Problem)]
    vectors = encode([f"{a.document.title or ''}. {lead(a.document.text)}" for a in usable])
    vectors = vectors - vectors.mean(axis=0)
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    it = iter(vectors)
    return [None if isinstance(a, Problem) else (a, next(it)) for a in articles]


def embedding_blend(embedded: list, config: Config, weight: float, threshold: float) -> list[object]:
    """The archive's clusterer with an embedding term added to its score (an ablation, not what tidings runs).

    Score of a candidate story = cosine(TF-IDF, centroid) + ``weight`` x cosine(article embedding, story's mean
    embedding). Exact duplicates follow their first copy, as in the archive.
    """
    from tidings.cluster import DocumentFrequencies, StoryIndex, cosine

    sums: dict[int, np.ndarray] = {}

    class Blend(StoryIndex):
        current: np.ndarray

        def candidates(self, vec, when):
            out = []
            for _, sid in super().candidates(vec, when):
                total = sums.get(sid)
                semantic = float(self.current @ total / (np.linalg.norm(total) or 1.0)) if total is not None else 0.0
                out.append((cosine(vec, self.stories[sid].centroid) + weight * semantic, sid))
            out.sort(reverse=True)
            return out

    index = Blend(replace(config.cluster, threshold=threshold))
    frequencies = DocumentFrequencies()
    first: dict[str, object] = {}
    labels: list[object] = []
    for i, item in enumerate(embedded):
        if item is None:
            labels.append(f"unused-{i}")
            continue
        article, vector = item
        if article.digest in first:
            labels.append(first[article.digest])
            continue
        frequencies.add(article.counts.keys())
        index.current = vector
        placed = index.assign(frequencies.vector(article.counts), article.document.published)
        for source, target, _ in placed.merged:
            sums[target] = sums.get(target, 0) + sums.pop(source, 0)
            labels = [target if label == source else label for label in labels]
            first = {k: (target if v == source else v) for k, v in first.items()}
        sums[placed.story_id] = sums.get(placed.story_id, 0) + vector
        labels.append(placed.story_id)
        first[article.digest] = placed.story_id
    return labels


def _static_encoder() -> Callable[[Sequence[str]], np.ndarray]:
    from tidings.embed import encode

    return encode


def _minilm_encoder() -> Callable[[Sequence[str]], np.ndarray]:
    from tidings.semantic import shared_encoder

    return shared_encoder().encode


# -- the quality section ---------------------------------------------------------------------------------


def _row(name: str, labels: Sequence[object], gold: Sequence[object], seconds: str, extra: str = "") -> str:
    s = bcubed(labels, gold)
    return f"| {name} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.n_predicted} | {seconds} |{extra}"


def quality_table(
    name: str, docs: list[Document], gold: list[str], config: Config, workers: int, label: str, ablations: str
) -> list[str]:
    rows = [
        f"| method ({name} stream) | B³ precision | B³ recall | B³ F1 | stories | seconds | agreement with online |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    ours, took = online(docs, config, workers)
    rows.append(_row(f"**{label} online** (`tidings ingest`)", ours, gold, f"{took:.1f}", " - |"))
    print(rows[-1], flush=True)
    in_batch, took, summary = batch(docs, config, workers)
    agreement = bcubed(in_batch, ours).f1
    rows.append(
        _row(f"**{label} batch** (`tidings batch`, local)", in_batch, gold, f"{took:.1f}", f" {agreement:.3f} |")
    )
    print(rows[-1], flush=True)
    texts = cleaned_texts(docs, config)
    start = time.perf_counter()
    baseline = offline(texts)
    took = (time.perf_counter() - start) / len(THRESHOLDS)
    best = max(baseline, key=lambda t: bcubed(baseline[t], gold).f1)
    for threshold, predicted in baseline.items():
        mark = " (best, tuned on this stream)" if threshold == best else ""
        rows.append(_row(f"offline average link, distance {threshold}{mark}", predicted, gold, f"{took:.1f}", " - |"))
    singletons = list(range(len(gold)))
    rows.append(_row("all singletons", singletons, gold, "-", " - |"))
    encoders = {
        "static": ("static encoder (tidings.embed)", _static_encoder),
        "minilm": ("MiniLM ONNX", _minilm_encoder),
    }
    for encoder_name, make in (encoders[a] for a in ablations.split(",") if a):
        start = time.perf_counter()
        embedded = embed_articles(docs, config, make())
        encoding = time.perf_counter() - start
        for threshold in (0.3, 0.33):
            start = time.perf_counter()
            labels = embedding_blend(embedded, config, 0.1, threshold)
            took = time.perf_counter() - start + encoding
            blend = f"ablation: + {encoder_name} x 0.1, threshold {threshold}"
            rows.append(_row(blend, labels, gold, f"{took:.1f}", " - |"))
            print(rows[-1], flush=True)
    rows += ["", summary]
    return rows


def quality(data: Path, config: Config, workers: int, label: str, ablations: str) -> str:
    docs, gold = dev_stream(data)
    hard_docs, hard_gold, kinds = hard_stream(data)
    lines = [
        f"**Dev stream**: {len(docs)} articles, {len(set(gold))} gold stories (Multi-News val 250 + WCEP train 923),"
        " shuffled with seed 0, undated (nothing goes cold).",
        "",
        *quality_table("dev", docs, gold, config, workers, label, ablations),
        "",
        f"**Hard stream**: {len(hard_docs)} articles, {len(set(hard_gold))} gold stories of recurring kinds ("
        + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items(), key=lambda kv: -kv[1]))
        + "), all published within 48 hours, in time order.",
        "",
        *quality_table("hard", hard_docs, hard_gold, config, workers, label, ablations),
    ]
    return "\n".join(lines)


# -- scale -------------------------------------------------------------------------------------------------

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


def scale_row(data: Path, n: int, config: Config, workers: int, label: str) -> str:
    """One size, measured in this process (run in a fresh one, so peak RSS is this size's own)."""
    clusters = [c for name in DATASETS for c in read_clusters(data / name)]
    gold: dict[str, int] = {}

    def items() -> Iterator[tuple[Document, None]]:
        for doc, story in synthetic(clusters, n):
            gold[doc.url or doc.id] = story
            yield doc, None

    with tempfile.TemporaryDirectory() as tmp, Archive(Path(tmp) / "scale.db") as archive:
        start, cpu = time.perf_counter(), time.process_time()
        report = ingest(archive, items(), config, summaries=False, workers=workers)
        took, cpu = time.perf_counter() - start, time.process_time() - cpu
        pairs = archive.conn.execute("SELECT url, story_id FROM documents").fetchall()
        predicted = [archive.resolve_story(story) for _, story in pairs]
        truth = [gold[url] for url, _ in pairs]
    s = bcubed(predicted, truth)
    writer, workers_peak = peak_mib()
    return (
        f"| {label} | {n:,} | {took:.0f} | {report.added / took:.0f} | {1000 * cpu / report.added:.1f} | {writer:.0f} "
        f"| {workers_peak:.0f} | {s.n_predicted:,} | {s.n_gold:,} | {s.f1:.3f} |"
    )


def scale(data: Path, sizes: list[int], workers: int, label: str) -> str:
    rows = [
        "| tidings | articles | seconds | articles/s | writer CPU ms/article | writer peak RSS (MiB) "
        "| worker peak RSS (MiB) | stories | synthetic stories | B³ F1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        child = [sys.executable, __file__, "--data", str(data), "--workers", str(workers), "--child-size", str(n)]
        child += ["--label", label]
        rows.append(subprocess.run(child, check=True, capture_output=True, text=True).stdout.strip())
        print(rows[-1], flush=True)
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "summarization-dev")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "stories.md")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--label", default="tidings")
    parser.add_argument(
        "--ablations", default="static", help="embedding ablations: static, minilm (slow: ~10 articles/s here), or ''"
    )
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--child-size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    config = Config()
    if args.child_size:
        print(scale_row(args.data, args.child_size, config, args.workers, args.label))
        return
    sections = [
        "## Stories",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {machine()}",
        f"- versions: {versions()}",
        f"- command: `{shlex.join(['python', 'benchmarks/stories.py', *sys.argv[1:]])}`",
        "",
    ]
    if not args.skip_quality:
        sections += ["### Clustering quality", "", quality(args.data, config, args.workers, args.label, args.ablations)]
        sections.append("")
        print("\n".join(sections), flush=True)
    if not args.skip_scale:
        sizes = [int(s) for s in args.sizes.split(",") if s]
        sections += [
            f"### Ingest + clustering throughput ({args.workers} worker processes, one writer)",
            "",
            scale(args.data, sizes, args.workers, args.label),
            "",
        ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(sections), encoding="utf-8")
    print("\n".join(sections))


if __name__ == "__main__":
    main()
