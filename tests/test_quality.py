"""Redundancy and junk measures of the evaluation, and corpus-level boilerplate."""

import zlib

import numpy as np

from tidings.clean import CorpusBoilerplate
from tidings.evaluate.clusters import Article, Cluster
from tidings.evaluate.quality import corpus_boilerplate, junk, redundancy


def _fake_encoder(texts):
    """Texts sharing their first word get the same vector: a stand-in for MiniLM."""
    rows = np.zeros((len(texts), 8), dtype=np.float32)
    for i, t in enumerate(texts):
        rows[i, zlib.crc32(t.split()[0].encode()) % 8] = 1.0
    return rows


def test_redundancy_share_counts_summaries_with_a_pair() -> None:
    outputs = {"a": ["Kim met Putin.", "Kim and Putin met."], "b": ["Kim met Putin.", "Rain fell."]}
    result = redundancy(outputs, _fake_encoder)
    assert result.redundant == 1 and result.share == 0.5 and "a" in result.pairs


def test_corpus_boilerplate_needs_unrelated_clusters() -> None:
    widget = "When you tweet with a location, Twitter stores that location."
    clusters = [
        Cluster(f"c{i}", "ref", (Article(None, f"Story {i} happened today in town {i}. {widget}", None, None),))
        for i in range(3)
    ]
    index = corpus_boilerplate(clusters)
    assert index.is_boilerplate(widget)
    assert not index.is_boilerplate("Story 1 happened today in town 1.")
    found = junk({"c0": [widget]}, index)
    assert set(found["c0"]) == {"phrase", "repeated"}


def test_one_story_repeating_a_sentence_is_not_boilerplate() -> None:
    index = CorpusBoilerplate(min_groups=2)
    index.add("story", ["Kim met Putin in Vladivostok on Thursday."] * 5)
    index.add("story", ["Kim met Putin in Vladivostok on Thursday."])
    assert not index.is_boilerplate("Kim met Putin in Vladivostok on Thursday.")
    assert len(index) == 0
