"""Systems compared in the harness: tidings, simple baselines and the tools people use.

Every system maps a cluster and a word budget to a list of sentences,
in the order they should be read. Peers get the raw article texts, as a
user would give them; sentences are split with the same splitter for
every system that needs one. The peers (sumy, summa, lexrank) are
optional dependencies (the ``eval`` extra) imported when used.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import replace

from tidings.config import Config
from tidings.evaluate.clusters import Cluster
from tidings.segment import split_sentences

System = Callable[[Cluster, int], list[str]]


def _article_sentences(cluster: Cluster) -> list[list[str]]:
    out = []
    for article in cluster.articles:
        sentences: list[str] = []
        for paragraph in article.text.split("\n"):
            if paragraph.strip():
                sentences.extend(split_sentences(paragraph.strip()))
        out.append(sentences)
    return out


def _fill(candidates: Sequence[str], words: int) -> list[str]:
    """Take sentences in order until the budget is reached (the last one is truncated by the scorer)."""
    out, total = [], 0
    for sentence in candidates:
        if total >= words:
            break
        out.append(sentence)
        total += len(sentence.split())
    return out


def lead(cluster: Cluster, words: int) -> list[str]:
    """First sentences of each article, round-robin (article 1's first, article 2's first, ...)."""
    docs = _article_sentences(cluster)
    ordered = [doc[i] for i in range(max(map(len, docs), default=0)) for doc in docs if i < len(doc)]
    return _fill(ordered, words)


def random_baseline(cluster: Cluster, words: int, seed: int = 13) -> list[str]:
    """Random sentences (fixed seed per cluster, so runs are repeatable)."""
    sentences = [s for doc in _article_sentences(cluster) for s in doc]
    rng = random.Random(f"{seed}:{cluster.id}")
    rng.shuffle(sentences)
    return _fill(sentences, words)


def oracle(cluster: Cluster, words: int, *, stemming: bool = True) -> list[str]:
    """Greedy extractive oracle: add the sentence that most raises ROUGE-1 + ROUGE-2 F1 against the reference.

    An upper bound for sentence-extraction systems (it reads the reference).
    """
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=stemming)
    reference = cluster.reference.lstrip("–— -")
    pool = [s for doc in _article_sentences(cluster) for s in doc if len(s.split()) >= 4]
    chosen: list[str] = []
    best = 0.0
    while pool and sum(len(s.split()) for s in chosen) < words:
        scored = []
        for i, s in enumerate(pool):
            text = " ".join([*chosen, s])
            text = " ".join(text.split()[:words])
            r = scorer.score(reference, text)
            scored.append((r["rouge1"].fmeasure + r["rouge2"].fmeasure, i))
        value, i = max(scored)
        if value <= best:
            break
        best = value
        chosen.append(pool.pop(i))
    return chosen


class _SumyTokenizer:
    """sumy's default tokenizer needs NLTK's punkt data; this one needs no download."""

    language = "english"

    def __init__(self) -> None:
        from nltk.tokenize import NLTKWordTokenizer

        self._words = NLTKWordTokenizer()

    def to_sentences(self, paragraph: str) -> list[str]:
        return split_sentences(paragraph)

    def to_words(self, sentence: str) -> list[str]:
        return [w for w in self._words.tokenize(sentence) if any(c.isalnum() for c in w)]


def _sumy(kind: str) -> System:
    def run(cluster: Cluster, words: int) -> list[str]:
        from sumy.nlp.stemmers import Stemmer
        from sumy.parsers.plaintext import PlaintextParser
        from sumy.summarizers.lex_rank import LexRankSummarizer
        from sumy.summarizers.lsa import LsaSummarizer
        from sumy.summarizers.text_rank import TextRankSummarizer
        from sumy.utils import get_stop_words

        cls = {"lexrank": LexRankSummarizer, "lsa": LsaSummarizer, "textrank": TextRankSummarizer}[kind]
        text = "\n\n".join(a.text for a in cluster.articles)
        parser = PlaintextParser.from_string(text, _SumyTokenizer())
        summarizer = cls(Stemmer("english"))
        summarizer.stop_words = get_stop_words("english")
        n_sentences = len(parser.document.sentences)
        avg = max(1.0, sum(len(str(s).split()) for s in parser.document.sentences) / max(1, n_sentences))
        count = min(n_sentences, math.ceil(words / avg) + 1)
        while True:
            picked = [str(s) for s in summarizer(parser.document, count)]
            if sum(len(s.split()) for s in picked) >= words or count >= n_sentences:
                return _fill(picked, words)
            count = min(n_sentences, count + max(1, count // 4))

    run.__name__ = f"sumy_{kind}"
    return run


def summa_textrank(cluster: Cluster, words: int) -> list[str]:
    """summa's TextRank with its own word budget."""
    from summa.summarizer import summarize

    text = "\n".join(a.text for a in cluster.articles)
    out = summarize(text, words=words, split=True)
    return _fill(out, words)


def lexrank_pkg(cluster: Cluster, words: int) -> list[str]:
    """The ``lexrank`` package (continuous LexRank with its bundled stop words)."""
    from lexrank import STOPWORDS, LexRank

    docs = _article_sentences(cluster)
    sentences = [s for doc in docs for s in doc]
    if not sentences:
        return []
    ranker = LexRank(docs, stopwords=STOPWORDS["en"])
    scores = ranker.rank_sentences(sentences, threshold=None, fast_power_method=True)
    order = sorted(range(len(sentences)), key=lambda i: -scores[i])
    return _fill([sentences[i] for i in order], words)


def tidings_system(config: Config | None = None, corpus: Sequence[Cluster] | None = None, workers: int = 1) -> System:
    """tidings itself: the full pipeline (clean, segment, dedup, summarize) on the cluster's articles.

    ``corpus`` is the data set being evaluated: sentences that recur verbatim
    across its unrelated clusters are boilerplate (as an archive's would be). ``workers`` > 1 cleans and
    splits a large cluster's articles in that many processes, as ``tidings summarize`` does by default.
    """
    from tidings.evaluate.quality import corpus_boilerplate
    from tidings.pipeline import prepare, summarize_prepared

    base = config or Config()
    boilerplate = corpus_boilerplate(corpus) if corpus else None

    def run(cluster: Cluster, words: int) -> list[str]:
        cfg = replace(base, summarize=replace(base.summarize, words=words, sentences=None, overflow=True))
        prepared = prepare(cluster.documents(), cfg, workers=workers)
        return [s.text for s in summarize_prepared(prepared, cfg, boilerplate=boilerplate).sentences]

    run.__name__ = "tidings"
    return run


BASELINES: dict[str, System] = {
    "lead": lead,
    "random": random_baseline,
    "oracle": oracle,
    "sumy-lexrank": _sumy("lexrank"),
    "sumy-lsa": _sumy("lsa"),
    "sumy-textrank": _sumy("textrank"),
    "summa-textrank": summa_textrank,
    "lexrank": lexrank_pkg,
}
"""Baselines by name; ``oracle`` reads the reference and is an upper bound, not a competitor."""
