"""The engine-independent pieces of the batch algorithm."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tidings.batch import core, inputs
from tidings.cluster import DocumentFrequencies
from tidings.config import BatchConfig, Config
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


def test_dot_is_the_cosine_of_normalised_vectors():
    assert core.dot([1, 2], [0.6, 0.8], [2, 3], [1.0, 0.0]) == pytest.approx(0.8)
    assert core.dot([1], [1.0], [2], [1.0]) == 0.0


def test_block_terms_skip_unique_and_too_common_terms():
    config = BatchConfig(block_terms=2, max_block=2, max_df=0.5)
    # term 1 in one document only, term 5 in 6 of 10 (> max_df), terms 2-4 usable; strongest first
    chosen = core.block_terms([1, 2, 3, 4, 5], [0.9, 0.1, 0.5, 0.3, 0.8], [1, 2, 5, 3, 6], 10, config)
    assert chosen == [3, 4]


def test_time_blocks_meet_within_the_window_only():
    config = BatchConfig(window_days=1.0)
    day = 86_400_000_000
    a, b = 10 * day + 5, 11 * day + 3  # adjacent buckets, less than a day apart
    home_a = {(t, bk) for t, bk, home in core.block_keys([7], a, config) if home}
    visit_a = {(t, bk) for t, bk, home in core.block_keys([7], a, config) if not home}
    home_b = {(t, bk) for t, bk, home in core.block_keys([7], b, config) if home}
    assert visit_a == home_b and home_a != home_b
    assert core.in_window(a, b, config) and not core.in_window(a, b + day, config)
    assert core.in_window(None, None, config) and not core.in_window(None, a, config)
    assert core.block_keys([7], None, config) == [(7, core.UNDATED, True)]


def test_block_pairs_are_ordered_and_skip_visitor_pairs():
    assert sorted(core.block_pairs(["c", "a"], ["b", "z"])) == [
        ("a", "b"),
        ("a", "c"),
        ("a", "z"),
        ("b", "c"),
        ("c", "z"),
    ]


def test_huge_lsh_buckets_pair_as_a_star():
    assert sorted(core.bucket_pairs(["c", "a", "b"], 3)) == [("a", "b"), ("a", "c"), ("b", "c")]
    assert sorted(core.bucket_pairs(["c", "a", "b", "d"], 3)) == [("a", "b"), ("a", "c"), ("a", "d")]


def test_components_are_labelled_by_their_smallest_id():
    labels = core.components([("d", "c"), ("c", "a"), ("x", "y")])
    assert labels == {"a": "a", "c": "a", "d": "a", "x": "x", "y": "x"}


def test_oversized_component_is_split_at_its_weak_link():
    config = BatchConfig(max_story=3, threshold=0.3, split_step=0.05)
    edges = [("a", "b", 0.9), ("b", "c", 0.8), ("c", "d", 0.32), ("d", "e", 0.7), ("e", "f", 0.9)]
    labels = core.split_component(list("abcdef"), edges, config)
    assert labels == {"a": "a", "b": "a", "c": "a", "d": "d", "e": "d", "f": "d"}


def test_copies_never_split():
    config = BatchConfig(max_story=2)
    labels = core.split_component(["a", "b", "c"], [("a", "b", 1.0), ("b", "c", 1.0)], config)
    assert set(labels.values()) == {"a"}


def test_prepare_record_problems_name_their_input():
    config = Config()
    assert core.prepare_record("f:1", b"{not json", config)["problem"].startswith("invalid JSON")
    assert core.prepare_record("f:2", {"title": "x"}, config)["problem"] == 'expected an object with a "text" string'
    short = core.prepare_record("f:3", json.dumps({"text": "Too short."}), config)
    assert short["where"] == "f:3" and "boilerplate" in short["problem"]


def test_prepare_record_derives_ids_from_the_canonical_url():
    text = "The council met on Tuesday and voted to build a new tram line across the city. " * 2
    a = core.prepare_record("f:1", {"text": text, "url": "https://x.example/a?utm_source=rss"}, Config())
    b = core.prepare_record("f:2", {"text": text + " More.", "url": "https://X.example/a"}, Config())
    assert a["problem"] is None and a["id"] == b["id"] == core.document_id("https://x.example/a", "")
    assert a["terms"] == sorted(a["terms"]) and len(a["bands"]) == 16


def test_batch_config_is_validated():
    with pytest.raises(ConfigError, match=r"batch\.threshold"):
        Config.from_dict({"batch": {"threshold": 1.5}})


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
