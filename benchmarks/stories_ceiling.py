"""Stories: how far B-cubed can go on the two dev streams, and which gold pairs stand in the way.

Usage: python benchmarks/stories_ceiling.py [--data ../shared/data/summarization-dev] [--out FILE] [--minilm]

The analysis behind issue 13's target (B³ F1 >= 0.92 on the dev stream). On the streams of
``benchmarks/stories.py`` (same builders, same order) it reports:

- **where the points go**: the archive's clusterer replayed article by article (the same
  :class:`tidings.cluster.StoryIndex` and running IDF as ``tidings ingest``, exact duplicates following their
  first copy; it must reproduce the online row of ``stories.md``), its precision and recall losses by dataset;
- **the gold pairs**: every same-story article pair by the TF-IDF cosine of its two articles (the vectors the
  batch uses: IDF over the whole stream), how many the clusterer joined, and how many *different*-story pairs
  are as close;
- **ceilings**: B³ of the gold clustering itself (exact duplicates still follow their first copy), and of the
  clusterer's stories after joining, for free and without a single wrong join, every same-story pair above a
  cosine;
- **the best content-only second pass**: a logistic regression over article pairs (TF-IDF cosine, the static
  encoder's cosine of the texts and of title + lead, shared figures, shared names weighted by rarity, overlap
  of the fifteen most salient terms; with ``--minilm`` also MiniLM's cosine of title + text, from the
  ``semantic`` extra, about a minute more) fitted *on the dev stream's own labels* (in-sample: an upper bound,
  not a method), whose pairs above a probability are joined on top of the clusterer's stories; the threshold
  is chosen per stream, again in its favour;
- **page furniture**: texts that are word for word the same in several gold stories (scraped site notices
  in Multi-News), and what B³ would be if they were set aside instead of following their first copy.

Writes benchmarks/results/stories-ceiling.md (or --out).
"""

from __future__ import annotations

import argparse
import math
import re
import shlex
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from tidings.cluster import DocumentFrequencies, StoryIndex, lead
from tidings.config import Config
from tidings.evaluate.clustering import bcubed
from tidings.model import Problem
from tidings.stream import Article, prepare_article

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stories import dev_stream, hard_stream
from summarization import machine, versions

ROOT = Path(__file__).resolve().parent.parent
BANDS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 1.01)
JOIN_FLOORS = (0.1, 0.15, 0.2, 0.25)
_FIGURE = re.compile(r"\b\d[\d,.]*\d\b|\b\d\d\b")
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)*)")


class Stream:
    """A stream's articles as the archive prepares them, its gold labels, and the clusterer's labels."""

    def __init__(self, docs: Sequence, gold: Sequence[str], config: Config) -> None:
        self.gold = list(gold)
        prepared = [prepare_article(d, None, config) for d in docs]
        self.articles: list[Article | None] = [None if isinstance(a, Problem) else a for a in prepared]
        self.labels = self._replay(config)
        seen: set[str] = set()
        self.kept = []  # first copy of each text: the articles the clusterer actually placed
        for i, a in enumerate(self.articles):
            if a is not None and a.digest not in seen:
                seen.add(a.digest)
                self.kept.append(i)
        frequencies = DocumentFrequencies()
        for i in self.kept:
            frequencies.add(self.articles[i].counts)
        self.cos = _cosines([frequencies.vector(self.articles[i].counts) for i in self.kept])
        self.kept_gold = np.array([self.gold[i] for i in self.kept])

    def _replay(self, config: Config) -> list[object]:
        """The archive's clusterer, article by article (``tidings ingest`` without the archive around it)."""
        index, frequencies = StoryIndex(config.cluster), DocumentFrequencies()
        into: dict[int, int] = {}
        first: dict[str, object] = {}
        labels: list[object] = []
        for i, a in enumerate(self.articles):
            if a is None:
                labels.append(f"problem-{i}")
            elif a.digest in first:
                labels.append(first[a.digest])
            else:
                frequencies.add(a.counts)
                placed = index.assign(frequencies.vector(a.counts), a.document.published)
                into.update((source, target) for source, target, _ in placed.merged)
                labels.append(placed.story_id)
                first[a.digest] = placed.story_id
        return [_follow(into, label) for label in labels]

    def pairs(self, floor: float) -> tuple[np.ndarray, np.ndarray]:
        """Kept-article index pairs (a < b) whose cosine is at least ``floor``."""
        a, b = np.where(np.triu(self.cos, 1) >= floor)
        return a, b

    def joined(self, a: np.ndarray, b: np.ndarray) -> list[object]:
        """The clusterer's labels after joining the stories of each pair (kept-article indices)."""
        into: dict[object, object] = {}
        for x, y in zip(a, b, strict=True):
            rx, ry = _follow(into, self.labels[self.kept[x]]), _follow(into, self.labels[self.kept[y]])
            if rx != ry:
                into[rx] = ry
        return [_follow(into, label) for label in self.labels]


def _follow(into: dict, label: object) -> object:
    while label in into:
        label = into[label]
    return label


def _cosines(vectors: list[dict[int, float]]) -> np.ndarray:
    columns: dict[int, int] = {}
    rows, cols, values = [], [], []
    for r, vec in enumerate(vectors):
        for term, weight in vec.items():
            rows.append(r)
            cols.append(columns.setdefault(term, len(columns)))
            values.append(weight)
    matrix = sp.csr_matrix((values, (rows, cols)), shape=(len(vectors), len(columns)))
    return (matrix @ matrix.T).toarray()


def _score(labels: Sequence[object], gold: Sequence[object]) -> str:
    s = bcubed(labels, gold)
    return f"{s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.n_predicted}"


def losses(stream: Stream) -> list[str]:
    """Each dataset's share of the lost precision and recall (B³ averages over articles, so shares add up)."""
    members: dict[object, list[int]] = defaultdict(list)
    story: dict[object, list[int]] = defaultdict(list)
    for i, (label, gold) in enumerate(zip(stream.labels, stream.gold, strict=True)):
        members[label].append(i)
        story[gold].append(i)
    n = len(stream.gold)
    rows = ["| dataset | articles | precision lost | recall lost |", "|---|---:|---:|---:|"]
    for name in ("multinews", "wcep"):
        lost_p = lost_r = 0.0
        items = [i for i, g in enumerate(stream.gold) if g.startswith(name)]
        for i in items:
            both = sum(1 for j in members[stream.labels[i]] if stream.gold[j] == stream.gold[i])
            lost_p += 1 - both / len(members[stream.labels[i]])
            lost_r += 1 - both / len(story[stream.gold[i]])
        rows.append(f"| {name} | {len(items)} | {lost_p / n:.3f} | {lost_r / n:.3f} |")
    return rows


def census(stream: Stream) -> list[str]:
    """Same-story and different-story pairs by cosine band, and how many same-story pairs the clusterer joined."""
    a, b = np.triu_indices(len(stream.kept), 1)
    cos = stream.cos[a, b]
    same = stream.kept_gold[a] == stream.kept_gold[b]
    story = {label: n for n, label in enumerate(dict.fromkeys(stream.labels))}
    placed = np.array([story[stream.labels[i]] for i in stream.kept])
    together = placed[a] == placed[b]
    rows = [
        "| pair cosine | same-story pairs | of which joined | different-story pairs |",
        "|---|---:|---:|---:|",
    ]
    for lo, hi in pairwise(BANDS):
        band = (cos >= lo) & (cos < hi)
        rows.append(
            f"| {lo:.2f}-{min(hi, 1):.2f} | {np.sum(band & same)} | {np.sum(band & same & together)} "
            f"| {np.sum(band & ~same)} |"
        )
    return rows


def ceilings(stream: Stream) -> list[str]:
    rows = [
        "| clustering | B³ precision | B³ recall | B³ F1 | stories |",
        "|---|---:|---:|---:|---:|",
        f"| the archive's clusterer (replayed: equals `tidings ingest`) | {_score(stream.labels, stream.gold)} |",
    ]
    first: dict[str, object] = {}
    perfect = []
    for i, a in enumerate(stream.articles):
        if a is None:
            perfect.append(f"problem-{i}")
        else:
            perfect.append(first.setdefault(a.digest, stream.gold[i]))
    rows.append(f"| gold stories (exact duplicates follow their first copy) | {_score(perfect, stream.gold)} |")
    for floor in JOIN_FLOORS:
        a, b = stream.pairs(floor)
        same = stream.kept_gold[a] == stream.kept_gold[b]
        labels = stream.joined(a[same], b[same])
        rows.append(
            f"| clusterer + every same-story pair at cosine >= {floor} joined, no wrong join "
            f"| {_score(labels, stream.gold)} |"
        )
    return rows


def pair_features(stream: Stream, minilm: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Content features of every kept pair at cosine >= 0.1 (below it no pass could join without chaos)."""
    from tidings.embed import encode

    docs = [stream.articles[i].document for i in stream.kept]
    n = len(docs)

    def centred(texts: list[str]) -> np.ndarray:
        vectors = encode(texts)
        vectors = vectors - vectors.mean(axis=0)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)

    body = centred([d.text[:3000] for d in docs])
    head = centred([f"{d.title or ''}. {lead(d.text)}" for d in docs])
    figures = [set(_FIGURE.findall(d.text)) for d in docs]
    names = [{m.lower() for m in _NAME.findall(d.text)} for d in docs]
    name_df = Counter(x for s in names for x in s)
    term_df = Counter(t for i in stream.kept for t in stream.articles[i].counts)

    def salient(counts: dict[int, float]) -> set[int]:
        weight = {t: (1 + math.log(c)) * (math.log(n / term_df[t]) + 1) ** 2 for t, c in counts.items()}
        return set(sorted(weight, key=weight.__getitem__, reverse=True)[:15])

    top = [salient(stream.articles[i].counts) for i in stream.kept]
    a, b = stream.pairs(0.1)
    columns = [
        np.array(
            [
                [
                    stream.cos[i, j],
                    float(body[i] @ body[j]),
                    float(head[i] @ head[j]),
                    math.log1p(len(figures[i] & figures[j])),
                    math.log1p(sum(math.log(n / name_df[w]) for w in names[i] & names[j])),
                    len(top[i] & top[j]) / 15,
                ]
                for i, j in zip(a, b, strict=True)
            ]
        )
    ]
    if minilm:
        from tidings.semantic import shared_encoder

        model = np.asarray(shared_encoder().encode([f"{d.title or ''}. {d.text[:1500]}" for d in docs]))
        model /= np.maximum(np.linalg.norm(model, axis=1, keepdims=True), 1e-9)
        columns.append((model[a] * model[b]).sum(axis=1, keepdims=True))
    return np.hstack(columns), stream.kept_gold[a] == stream.kept_gold[b], a, b


def second_pass(streams: dict[str, Stream], minilm: bool) -> list[str]:
    """The in-sample logistic regression's best join threshold on each stream (fitted on the dev stream)."""
    from sklearn.linear_model import LogisticRegression

    feats = {name: pair_features(s, minilm) for name, s in streams.items()}
    models = [([0], "TF-IDF cosine"), ([0, 1, 2, 3, 4, 5], "+ static encoder, figures, names, terms")]
    if minilm:
        models.append(([0, 1, 2, 3, 4, 5, 6], "+ static encoder, figures, names, terms, MiniLM"))
    rows = [
        "| second pass (fitted on the dev stream's labels) | stream | join at p >= | B³ precision | B³ recall "
        "| B³ F1 | stories |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for columns, label in models:
        x, y, _, _ = feats["dev"]
        model = LogisticRegression(C=10, max_iter=5000).fit(x[:, columns], y)
        for name, stream in streams.items():
            x, _, a, b = feats[name]
            p = model.predict_proba(x[:, columns])[:, 1]
            best = max(
                ((t, bcubed(stream.joined(a[p >= t], b[p >= t]), stream.gold)) for t in np.arange(0.3, 0.95, 0.1)),
                key=lambda ts: ts[1].f1,
            )
            t, s = best
            rows.append(
                f"| {label} | {name} | {t:.1f} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.n_predicted} |"
            )
    return rows


def furniture(stream: Stream) -> list[str]:
    """Texts found word for word in several gold stories, and B³ with them set aside as singletons."""
    stories: dict[str, set[str]] = defaultdict(set)
    for a, gold in zip(stream.articles, stream.gold, strict=True):
        if a is not None:
            stories[a.digest].add(gold)
    shared = {d for d, gs in stories.items() if len(gs) > 1}
    rows = ["| text (start) | gold stories |", "|---|---:|"]
    for digest in sorted(shared, key=lambda d: -len(stories[d])):
        text = next(a.document.text for a in stream.articles if a is not None and a.digest == digest)
        rows.append(f"| {text[:70].replace('|', '/')}... | {len(stories[digest])} |")
    aside = [
        f"aside-{i}" if a is not None and a.digest in shared else label
        for i, (a, label) in enumerate(zip(stream.articles, stream.labels, strict=True))
    ]
    copies = sum(1 for a in stream.articles if a is not None and a.digest in shared)
    rows += [
        "",
        f"{copies} articles; with each set aside on its own instead of following its first copy, the clusterer's "
        f"B³ (precision / recall / F1 / stories) would be {_score(aside, stream.gold).replace(' |', ' /')}.",
    ]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "summarization-dev")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "stories-ceiling.md")
    parser.add_argument("--minilm", action="store_true", help="add MiniLM's cosine to the second pass (extra semantic)")
    args = parser.parse_args()
    config = Config()
    docs, gold = dev_stream(args.data)
    hard_docs, hard_gold, _ = hard_stream(args.data)
    streams = {"dev": Stream(docs, gold, config), "hard": Stream(hard_docs, hard_gold, config)}
    lines = [
        "## Stories: the ceiling of the dev streams",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {machine()}",
        f"- versions: {versions()}",
        f"- command: `{shlex.join(['python', 'benchmarks/stories_ceiling.py', *sys.argv[1:]])}`",
        "",
    ]
    for name, stream in streams.items():
        lines += [f"### {name} stream", "", *ceilings(stream), "", *losses(stream), "", *census(stream), ""]
        lines += ["Texts in several gold stories:", "", *furniture(stream), ""]
    lines += [
        "### Best content-only second pass (an in-sample upper bound)",
        "",
        *second_pass(streams, args.minilm),
        "",
    ]
    text = "\n".join(lines)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
