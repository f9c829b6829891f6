"""Article-extraction quality on the Article Extraction Benchmark's metric, with the peers run side by side.

The metric is a faithful port of ``evaluate.py`` from scrapinghub/article-extraction-benchmark
(https://github.com/scrapinghub/article-extraction-benchmark/blob/master/evaluate.py), so numbers printed here
can be compared with the benchmark's published table:

* text is tokenized with ``\\w+`` (Unicode), and cut into 4-token shingles (a text of fewer than 4 tokens is
  one shorter shingle, an empty text none);
* per page, shingle counts give TP/FP/FN, normalised to sum to 1 so that long pages do not weigh more;
* precision is averaged over the pages whose prediction has shingles (TP+FP > 0), recall over the pages whose
  ground truth has shingles (TP+FN > 0): an empty prediction therefore costs recall but not precision;
* F1 is the harmonic mean of the *mean* precision and the *mean* recall (not the mean of per-page F1s);
* accuracy is the share of pages whose token sequence equals the ground truth's exactly.

Scoring one page (:func:`score_page`) is separate from aggregation (:func:`aggregate`), as in the benchmark.
Peers (trafilatura, readability-lxml, newspaper4k, goose3) are optional dependencies imported when used; each
is called the way the benchmark's own runner scripts call it, in this process, without network access. A peer
that raises on a page predicts nothing for it (scored as the benchmark scores an empty prediction) and the
failure is counted.
"""

from __future__ import annotations

import contextlib
import re
import statistics
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from tidings.errors import InputError
from tidings.evaluate.datasets import Page
from tidings.evaluate.datasets import load_ground_truth as load_ground_truth
from tidings.evaluate.datasets import load_pages as load_pages
from tidings.evaluate.datasets import page_id as page_id
from tidings.evaluate.datasets import read_html as read_html

SHINGLE = 4
_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)

# -- metric -------------------------------------------------------------------


def tokenize(text: str | None) -> list[str]:
    """The benchmark's tokens: runs of word characters, case kept (``None`` is empty)."""
    return _TOKEN_RE.findall(text or "")


def shingles(text: str | None, n: int = SHINGLE) -> Counter[tuple[str, ...]]:
    """Counts of n-token shingles; a text of fewer than ``n`` tokens is one shorter shingle.

    >>> sorted(shingles("a b c d e").items())
    [(('a', 'b', 'c', 'd'), 1), (('b', 'c', 'd', 'e'), 1)]
    >>> shingles("a b")
    Counter({('a', 'b'): 1})
    """
    tokens = tokenize(text)
    return Counter(shingle for i in range(max(1, len(tokens) - n + 1)) if (shingle := tuple(tokens[i : i + n])))


@dataclass(frozen=True, slots=True)
class PageScore:
    """One page's shingle TP/FP/FN, normalised to sum to 1 (all 0 when both texts are empty)."""

    tp: float
    fp: float
    fn: float
    exact: bool

    @property
    def precision(self) -> float | None:
        """``None`` when the prediction has no shingles: the benchmark leaves such pages out of the mean."""
        if self.tp + self.fp <= 0:
            return None
        if self.fp == self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        """``None`` when the ground truth has no shingles: the benchmark leaves such pages out of the mean."""
        if self.tp + self.fn <= 0:
            return None
        if self.fp == self.fn == 0:
            return 1.0
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        """Per-page F1, for finding the pages that went wrong (the benchmark does not average it)."""
        p, r = self.precision or 0.0, self.recall or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


def score_page(prediction: str | None, truth: str | None, n: int = SHINGLE) -> PageScore:
    """Score one extracted body against the ground truth, exactly as the benchmark does.

    >>> s = score_page("the cat sat on the mat", "the cat sat on the mat today")
    >>> (s.tp, s.fp, s.fn), s.precision, s.recall
    ((0.75, 0.0, 0.25), 1.0, 0.75)
    """
    true, pred = shingles(truth, n), shingles(prediction, n)
    tp = fp = fn = 0.0
    for key in true.keys() | pred.keys():
        t, p = true.get(key, 0), pred.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    if total > 0:
        tp, fp, fn = tp / total, fp / total, fn / total
    return PageScore(tp, fp, fn, tokenize(truth) == tokenize(prediction))


@dataclass(frozen=True, slots=True)
class Aggregate:
    """Means over pages, the benchmark's way (F1 from the mean precision and mean recall)."""

    precision: float
    recall: float
    f1: float
    accuracy: float
    pages: int


def aggregate(scores: Iterable[PageScore]) -> Aggregate:
    """Mean precision and recall over the pages where each is defined, and their harmonic mean.

    >>> a = aggregate([score_page("a b c d", "a b c d"), score_page("", "a b c d")])
    >>> a.precision, a.recall, a.f1, a.accuracy
    (1.0, 0.5, 0.6666666666666666, 0.5)
    """
    scores = list(scores)
    precisions = [p for s in scores if (p := s.precision) is not None]
    recalls = [r for s in scores if (r := s.recall) is not None]
    precision = statistics.mean(precisions) if precisions else 0.0
    recall = statistics.mean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = statistics.mean(float(s.exact) for s in scores) if scores else 0.0
    return Aggregate(precision, recall, f1, accuracy, len(scores))


@dataclass(frozen=True, slots=True)
class SnippetScore:
    """Must-have strings found and missed, must-not strings leaked and kept out, on one page.

    Matching is trafilatura's (``tests/eval_common.py``): a substring test after collapsing whitespace, case
    kept, so a snippet split by a stray line break still counts.
    """

    found: int
    missed: int
    leaked: int
    kept_out: int


def _squash(text: str) -> str:
    return " ".join(text.split())


def score_snippets(prediction: str | None, must: Sequence[str], must_not: Sequence[str]) -> SnippetScore:
    """Count which snippets an extraction contains.

    >>> score_snippets("The body text. Share this", ["body  text"], ["Share this", "Cookies"])
    SnippetScore(found=1, missed=0, leaked=1, kept_out=1)
    """
    text = _squash(prediction or "")
    found = sum(_squash(s) in text for s in must)
    leaked = sum(_squash(s) in text for s in must_not)
    return SnippetScore(found, len(must) - found, leaked, len(must_not) - leaked)


@dataclass(frozen=True, slots=True)
class SnippetAggregate:
    """Snippet counts summed over pages: precision = found / (found + leaked), recall = found / must-haves."""

    found: int
    missed: int
    leaked: int
    kept_out: int

    @property
    def precision(self) -> float:
        return self.found / (self.found + self.leaked) if self.found + self.leaked else 0.0

    @property
    def recall(self) -> float:
        return self.found / (self.found + self.missed) if self.found + self.missed else 0.0

    @property
    def f1(self) -> float:
        denominator = 2 * self.found + self.leaked + self.missed
        return 2 * self.found / denominator if denominator else 0.0


def aggregate_snippets(scores: Iterable[SnippetScore]) -> SnippetAggregate:
    """Sum the counts over pages, as trafilatura's evaluation does."""
    scores = list(scores)
    return SnippetAggregate(
        sum(s.found for s in scores),
        sum(s.missed for s in scores),
        sum(s.leaked for s in scores),
        sum(s.kept_out for s in scores),
    )


# -- data -----------------------------------------------------------------------

# The readers live in tidings.evaluate.datasets (imported above, so the names stay importable from here).


# -- systems --------------------------------------------------------------------

Extractor = Callable[[str, str | None], str]
"""An extractor maps (html, url) to the article body as plain text (empty when it finds none)."""


def tidings_extract(html: str, url: str | None = None) -> str:
    """Our HTML path: the body ingest hands to the pipeline (extracted, then normalised)."""
    from tidings.ingest import document_from_text

    try:
        return document_from_text(html, doc_id="page", url=url, is_html=True).text
    except InputError:
        return ""  # no article found: an empty prediction, not a crash


def tidings_clean_extract(html: str, url: str | None = None) -> str:
    """The HTML path followed by the pipeline's plain-text line cleaner, i.e. what the summarizer reads.

    Reported separately because the cleaner also drops subheadings and short fragments on purpose
    (they make poor summary sentences), which the benchmark counts as lost body text.
    """
    from tidings.clean import clean_document
    from tidings.ingest import document_from_text

    try:
        doc = document_from_text(html, doc_id="page", url=url, is_html=True)
    except InputError:
        return ""
    return clean_document(doc).document.text


def trafilatura_extract(html: str, url: str | None = None) -> str:
    """trafilatura's default mode, called as the benchmark's runner calls it."""
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False) or ""


def trafilatura_precision_extract(html: str, url: str | None = None) -> str:
    """trafilatura tuned for precision (``favor_precision=True``)."""
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False, favor_precision=True) or ""


def readability_extract(html: str, url: str | None = None) -> str:
    """readability-lxml's summary, converted to text with paragraph breaks."""
    from readability import Document

    from tidings.ingest.html import html_to_text

    return html_to_text(Document(html, url=url).summary(html_partial=True))


def newspaper_extract(html: str, url: str | None = None) -> str:
    """newspaper4k on the given HTML; image fetching is off so nothing touches the network."""
    import newspaper

    article = newspaper.Article(url or "http://localhost/", fetch_images=False)
    article.download(input_html=html)
    article.parse()
    return article.text or ""


def goose_extract(html: str, url: str | None = None) -> str:
    """goose3 on the given HTML (``raw_html``: no download)."""
    from goose3 import Goose

    with Goose() as goose:
        return goose.extract(raw_html=html).cleaned_text or ""


SYSTEMS: dict[str, Extractor] = {
    "tidings": tidings_extract,
    "tidings-clean": tidings_clean_extract,
    "trafilatura": trafilatura_extract,
    "trafilatura-precision": trafilatura_precision_extract,
    "readability": readability_extract,
    "newspaper4k": newspaper_extract,
    "goose3": goose_extract,
}

_PACKAGES = {
    "tidings": "tidings",
    "tidings-clean": "tidings",
    "trafilatura": "trafilatura",
    "trafilatura-precision": "trafilatura",
    "readability": "readability-lxml",
    "newspaper4k": "newspaper4k",
    "goose3": "goose3",
}


_MODULES = {"readability": "readability", "newspaper4k": "newspaper", "goose3": "goose3"}


def missing_packages(systems: Iterable[str]) -> list[str]:
    """Packages the given systems need that are not installed (peers are optional: the ``eval`` extra)."""
    from importlib.util import find_spec

    return sorted({_PACKAGES[s] for s in systems if s in _MODULES and find_spec(_MODULES[s]) is None})


def package_version(system: str) -> str | None:
    """Installed version of the package behind a system, ``None`` when it is not installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(_PACKAGES.get(system, system))
    except PackageNotFoundError:
        return None


def parse_systems(spec: str | None) -> list[str]:
    """``"tidings,trafilatura"`` -> names, checked against :data:`SYSTEMS` (``None``: all that are installed)."""
    if spec is None:
        return [s for s in SYSTEMS if not missing_packages([s])]
    names = [s.strip() for s in spec.split(",") if s.strip()]
    unknown = [s for s in names if s not in SYSTEMS]
    if unknown or not names:
        raise InputError(f"unknown system(s) {', '.join(unknown) or '(none given)'}; choose from {', '.join(SYSTEMS)}")
    if missing := missing_packages(names):
        raise InputError(f"not installed: {', '.join(missing)} (pip install 'tidings[eval]')")
    return list(dict.fromkeys(names))


# -- runs -----------------------------------------------------------------------


@dataclass
class SystemRun:
    """One system's predictions, per-page scores (shingles where the page has a body, snippets where it has
    snippets), timings and failures."""

    name: str
    predictions: dict[str, str] = field(default_factory=dict)
    scores: dict[str, PageScore] = field(default_factory=dict)
    snippets: dict[str, SnippetScore] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)

    def summary(self, pages: Iterable[str] | None = None) -> Aggregate:
        """The AEB aggregate, over all scored pages or the given ones."""
        chosen = self.scores if pages is None else {p: self.scores[p] for p in pages if p in self.scores}
        return aggregate(chosen.values())

    def snippet_summary(self, pages: Iterable[str] | None = None) -> SnippetAggregate:
        chosen = self.snippets if pages is None else {p: self.snippets[p] for p in pages if p in self.snippets}
        return aggregate_snippets(chosen.values())

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def run_system(
    name: str, extractor: Extractor, pages: Sequence[Page], on_page: Callable[[], None] | None = None
) -> SystemRun:
    """Run one extractor on every page and score it.

    Peers' warnings (deprecations, parser complaints) are silenced around the call only, so a test run that
    turns warnings into errors still measures them, and what they print goes to stderr, not into our table.
    A crash predicts nothing for that page and is recorded.
    """
    run = SystemRun(name)
    for page in pages:
        start = time.perf_counter()
        try:
            with warnings.catch_warnings(), contextlib.redirect_stdout(sys.stderr):  # peers print chatter
                warnings.simplefilter("ignore")
                text = extractor(page.html, page.url)
        except Exception as exc:  # noqa: BLE001 - a peer's crash is a measured outcome
            run.failures[page.id] = f"{type(exc).__name__}: {exc}"
            text = ""
        run.seconds[page.id] = time.perf_counter() - start
        run.predictions[page.id] = text
        if page.truth is not None:
            run.scores[page.id] = score_page(text, page.truth)
        if page.must or page.must_not:
            run.snippets[page.id] = score_snippets(text, page.must, page.must_not)
        if on_page:
            on_page()
    return run


def evaluate_extraction(
    pages: Sequence[Page],
    systems: Sequence[str] | Mapping[str, Extractor],
    on_page: Callable[[], None] | None = None,
) -> list[SystemRun]:
    """Run and score several systems on the same pages, in this process (so timings compare)."""
    chosen = systems if isinstance(systems, Mapping) else {name: SYSTEMS[name] for name in systems}
    return [run_system(name, extractor, pages, on_page) for name, extractor in chosen.items()]


@dataclass(frozen=True, slots=True)
class Difference:
    """Difference in F1 (a - b) over the same pages, with a paired bootstrap confidence interval."""

    mean: float
    low: float
    high: float


def paired_bootstrap_f1(
    a: SystemRun, b: SystemRun, *, samples: int = 2000, confidence: float = 0.95, seed: int = 0
) -> Difference:
    """Resample pages with replacement and recompute both systems' F1 on each sample.

    91 pages is a small benchmark: the interval says whether a difference in F1 is more than page luck.
    """
    import random

    ids = [i for i in a.scores if i in b.scores]
    if not ids:
        return Difference(0.0, 0.0, 0.0)
    rng = random.Random(seed)
    diffs = []
    for _ in range(samples):
        pick = [ids[rng.randrange(len(ids))] for _ in ids]
        diffs.append(aggregate(a.scores[i] for i in pick).f1 - aggregate(b.scores[i] for i in pick).f1)
    diffs.sort()
    tail = (1 - confidence) / 2
    low, high = diffs[int(tail * (samples - 1))], diffs[int((1 - tail) * (samples - 1))]
    return Difference(aggregate(a.scores[i] for i in ids).f1 - aggregate(b.scores[i] for i in ids).f1, low, high)


def predictions_json(run: SystemRun) -> dict[str, dict[str, str]]:
    """Predictions in the ground truth's shape, so anyone can re-score them with the benchmark's script."""
    return {page: {"articleBody": text} for page, text in run.predictions.items()}


def fragments(run: SystemRun, reference: SystemRun, *, good: float = 0.7, share: float = 1 / 3) -> list[str]:
    """Pages where ``run`` kept less than ``share`` of the tokens ``reference`` found while ``reference`` scored
    an F1 above ``good``: the article cut to a fragment (the issue that asked for this check used trafilatura's
    default mode as the reference).
    """
    out = []
    for page, score in reference.scores.items():
        mine, theirs = run.predictions.get(page, ""), reference.predictions.get(page, "")
        if score.f1 > good and len(tokenize(mine)) < share * len(tokenize(theirs)):
            out.append(page)
    return sorted(out)


TABLE_HEADER = ("system", "precision", "recall", "F1", "accuracy", "failures", "s/page")


def table_rows(runs: Sequence[SystemRun], pages: Iterable[str] | None = None) -> list[tuple[str, ...]]:
    """One formatted row per system, in :data:`TABLE_HEADER` order (over all pages, or the given ones)."""
    chosen = None if pages is None else set(pages)
    rows = []
    for run in runs:
        agg = run.summary(chosen)
        seconds = [t for p, t in run.seconds.items() if chosen is None or p in chosen]
        failures = [p for p in run.failures if chosen is None or p in chosen]
        rows.append(
            (
                run.name,
                f"{agg.precision:.3f}",
                f"{agg.recall:.3f}",
                f"{agg.f1:.3f}",
                f"{agg.accuracy:.3f}",
                str(len(failures)),
                f"{sum(seconds) / max(1, len(seconds)):.3f}",
            )
        )
    return rows


SNIPPET_HEADER = ("system", "must-have found", "must-not leaked", "precision", "recall", "F1")


def snippet_rows(runs: Sequence[SystemRun], pages: Iterable[str] | None = None) -> list[tuple[str, ...]]:
    """One formatted row per system, in :data:`SNIPPET_HEADER` order."""
    rows = []
    for run in runs:
        agg = run.snippet_summary(pages)
        rows.append(
            (
                run.name,
                f"{agg.found} / {agg.found + agg.missed}",
                f"{agg.leaked} / {agg.leaked + agg.kept_out}",
                f"{agg.precision:.3f}",
                f"{agg.recall:.3f}",
                f"{agg.f1:.3f}",
            )
        )
    return rows


def _text(header: Sequence[str], body: Sequence[Sequence[str]]) -> str:
    rows = [tuple(header), *body]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _markdown(header: Sequence[str], body: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines) + "\n"


def text_table(runs: Sequence[SystemRun], pages: Iterable[str] | None = None) -> str:
    """The results as an aligned plain-text table (system left, numbers right)."""
    return _text(TABLE_HEADER, table_rows(runs, pages))


def markdown_table(runs: Sequence[SystemRun], pages: Iterable[str] | None = None) -> str:
    """The results as a Markdown table."""
    return _markdown(TABLE_HEADER, table_rows(runs, pages))


def snippet_text_table(runs: Sequence[SystemRun], pages: Iterable[str] | None = None) -> str:
    """The snippet scores as an aligned plain-text table."""
    return _text(SNIPPET_HEADER, snippet_rows(runs, pages))


def snippet_markdown_table(runs: Sequence[SystemRun], pages: Iterable[str] | None = None) -> str:
    """The snippet scores as a Markdown table."""
    return _markdown(SNIPPET_HEADER, snippet_rows(runs, pages))
