"""The engine-independent pieces of the batch algorithm."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tidings.batch import core, inputs
from tidings.cluster import DocumentFrequencies
from tidings.config import Config
from tidings.errors import ConfigError, InputError


def test_published_roundtrip_is_exact():
    when = datetime(2024, 3, 4, 8, 0, 0, 123456, tzinfo=UTC)
    assert core.from_us(core.published_us(when)) == when
    assert core.published_us(None) is None


def test_order_key_puts_undated_last_then_orders_by_id():
    keys = [core.order_key(None, "a"), core.order_key(5, "z"), core.order_key(5, "b")]
    assert sorted(keys) == [(5, "b"), (5, "z"), (core._LAST, "a")]


def test_tfidf_is_document_frequencies_vector_in_term_order():
    terms, counts, dfs = [30, 10, 20], [1.0, 3.0, 2.0], [1, 4, 2]
    keys, weights = core.tfidf(terms, counts, dfs, 10)
    expected = DocumentFrequencies({10: 4, 20: 2, 30: 1}, 10).vector({10: 3.0, 20: 2.0, 30: 1.0})
    assert keys == [10, 20, 30]
    assert weights == [expected[t] for t in keys]


def test_huge_lsh_buckets_pair_as_a_star():
    assert sorted(core.bucket_pairs(["c", "a", "b"], 3)) == [("a", "b"), ("a", "c"), ("b", "c")]
    assert sorted(core.bucket_pairs(["c", "a", "b", "d"], 3)) == [("a", "b"), ("a", "c"), ("a", "d")]


def test_components_are_labelled_by_their_smallest_id():
    labels = core.components([("d", "c"), ("c", "a"), ("x", "y")])
    assert labels == {"a": "a", "c": "a", "d": "a", "x": "x", "y": "x"}


def _row(doc_id: str, published: int | None, terms: dict[int, float]) -> tuple[str, int | None, list[int], list[float]]:
    return doc_id, published, list(terms), list(terms.values())


def test_story_pass_is_the_archives_clusterer():
    """Same vectors, same order: the batch pass places articles exactly as the online index does."""
    from tidings.cluster import StoryIndex

    day = 86_400_000_000
    rows = [
        _row("a", 0, {1: 0.8, 2: 0.6}),
        _row("b", day, {1: 0.6, 2: 0.8}),  # joins a
        _row("c", 2 * day, {3: 1.0}),  # a story of its own
        _row("d", 9 * day, {1: 0.8, 2: 0.6}),  # like a, but a week later: a's story has gone cold
    ]
    placed = [(doc, story) for doc, story, into in core.assign_stories(rows, Config().cluster) if doc]
    index = StoryIndex(Config().cluster)
    online = [(doc, index.assign(dict(zip(t, w, strict=True)), core.from_us(p)).story_id) for doc, p, t, w in rows]
    assert placed == online == [("a", 1), ("b", 1), ("c", 2), ("d", 3)]


def test_merges_are_yielded_and_resolved_through_chains():
    config = Config().cluster
    both = {1: 0.7071, 2: 0.7071}
    rows = [_row("a", None, {1: 1.0}), _row("b", None, {2: 1.0}), _row("c", None, both), _row("d", None, both)]
    out = list(core.assign_stories(rows, config, first_story=10))
    assert out[:3] == [("a", 10, None), ("b", 11, None), ("c", 11, None)]
    assert out[3:] == [("d", 10, None), (None, 11, 10)]  # d fits both; their centroids have grown close: merged
    assert core.resolve_merges([(7, 5), (5, 2), (9, 8)]) == {7: 2, 5: 2, 9: 8}


def test_prepare_record_problems_name_their_input():
    config = Config()
    assert core.prepare_record("f:1", b"{not json", config)["problem"].startswith("invalid JSON")
    assert core.prepare_record("f:2", {"title": "x"}, config)["problem"] == 'expected an object with a "text" string'
    cluster = core.prepare_record("f:4", json.dumps({"id": "c", "articles": [{"text": "x"}]}), config)
    assert "cluster" in cluster["problem"] and "tidings ingest" in cluster["problem"]  # says what reads it
    short = core.prepare_record("f:3", json.dumps({"text": "Too short."}), config)
    assert short["where"] == "f:3" and "boilerplate" in short["problem"]


def test_prepare_record_derives_ids_from_the_canonical_url():
    text = "The council met on Tuesday and voted to build a new tram line across the city. " * 2
    a = core.prepare_record("f:1", {"text": text, "url": "https://x.example/a?utm_source=rss"}, Config())
    b = core.prepare_record("f:2", {"text": text + " More.", "url": "https://X.example/a"}, Config())
    assert a["problem"] is None and a["id"] == b["id"] == core.document_id("https://x.example/a", "")
    assert a["terms"] == sorted(a["terms"]) and len(a["bands"]) == 16


def test_batch_config_is_validated():
    with pytest.raises(ConfigError, match=r"batch\.max_bucket"):
        Config.from_dict({"batch": {"max_bucket": 1}})
    with pytest.raises(ConfigError, match="unknown key"):
        Config.from_dict({"batch": {"threshold": 0.3}})  # stories follow [cluster], as in the archive


def test_inputs_expand_directories_and_refuse_remote_paths(tmp_path):
    (tmp_path / "a.jsonl").write_text("{}\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.parquet").write_bytes(b"")
    (tmp_path / "_SUCCESS").write_text("")
    assert [(p.rsplit("/", 1)[1], f) for p, f in inputs.expand([str(tmp_path)])] == [
        ("a.jsonl", "jsonl"),
        ("b.parquet", "parquet"),
    ]
    with pytest.raises(InputError, match="engine spark"):
        inputs.expand(["s3a://bucket/news/"])
    with pytest.raises(InputError, match="no such file"):
        inputs.expand([str(tmp_path / "missing*.jsonl")])
