"""The local engine's rows on disk: chunk sizes change nothing, a stopped run resumes, orders match core's."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from tidings.batch import core, local, run_batch
from tidings.batch.core import replace_config
from tidings.batch.spill import DEDUP_ORDER, WORK_FOLDER
from tidings.config import Config

pq = pytest.importorskip("pyarrow.parquet")

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "batch" / "articles.jsonl"
TABLES = {"documents": "id", "stories": "story_id", "problems": "input"}


def tables(out: Path) -> dict[str, list[dict]]:
    return {
        name: sorted(pq.read_table(out / f"{name}.parquet").to_pylist(), key=lambda r, k=key: r[k])
        for name, key in TABLES.items()
    }


def counts(out: Path) -> dict:
    report = json.loads((out / "report.json").read_text())
    return {k: v for k, v in report.items() if k != "timings"}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reference") / "out"
    run_batch([str(FIXTURE)], out, Config(), engine="local")
    return out


def test_chunk_of_one_gives_the_same_tables(reference: Path, tmp_path: Path):
    """Every chunk boundary in every step (one record, one pair, one placement at a time) changes nothing."""
    run_batch([str(FIXTURE)], tmp_path / "out", replace_config(Config(), chunk=1, cache_mib=1), engine="local")
    assert tables(tmp_path / "out") == tables(reference)
    assert counts(tmp_path / "out") == counts(reference)
    assert not (tmp_path / "out" / WORK_FOLDER).exists()  # the work folder goes once the tables are written


def _stop_at(monkeypatch: pytest.MonkeyPatch, name: str, after: int) -> None:
    """Make ``local.<name>`` raise on its call number ``after`` + 1, as a killed run would stop there."""
    real = getattr(local, name)
    calls = {"n": 0}

    def failing(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] > after:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(local, name, failing)


@pytest.mark.parametrize(("step", "after"), [("_prepare_chunk", 3), ("_summarize_chunk", 2)])
def test_a_stopped_run_resumes_without_duplicates(
    reference: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str, after: int
):
    config = replace_config(Config(), chunk=2)
    out = tmp_path / "out"
    with monkeypatch.context() as patch:
        _stop_at(patch, step, after)
        with pytest.raises(KeyboardInterrupt):
            run_batch([str(FIXTURE)], out, config, engine="local")
    assert (out / WORK_FOLDER).is_dir()
    done: list[int] = []
    real = local._summarize_chunk if step == "_summarize_chunk" else local._prepare_chunk
    monkeypatch.setattr(local, step, lambda chunk, **kw: done.append(len(chunk)) or real(chunk, **kw))
    run_batch([str(FIXTURE)], out, config, engine="local")
    assert tables(out) == tables(reference)
    assert counts(out) == counts(reference)
    total = 16 if step == "_prepare_chunk" else 4  # records in the fixture, or its stories
    assert 0 < sum(done) < total  # only what the stopped run had not finished


def test_other_inputs_start_afresh(reference: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A work folder left by a run over other records is not resumed (its rows would be mixed in)."""
    other = tmp_path / "other.jsonl"
    other.write_text("\n".join(FIXTURE.read_text().splitlines()[:5]) + "\n")
    out = tmp_path / "out"
    with monkeypatch.context() as patch:
        _stop_at(patch, "_summarize_chunk", 0)
        with pytest.raises(KeyboardInterrupt):
            run_batch([str(other)], out, Config(), engine="local")
    run_batch([str(FIXTURE)], out, Config(), engine="local")
    assert tables(out) == tables(reference)


def test_dedup_order_in_sql_is_core_dedup_key():
    """The work file sorts duplicates exactly as :func:`core.dedup_key` (and then by input position)."""
    import sqlite3

    rows = [
        {"id": "b", "published": None, "digest": "x", "title": None, "outlet": "O", "text": "t"},
        {"id": "b", "published": None, "digest": "x", "title": "", "outlet": "O", "text": "s"},
        {"id": "a", "published": 5, "digest": "y", "title": "Zürich", "outlet": None, "text": "t"},
        {"id": "a", "published": 5, "digest": "y", "title": "Zoo", "outlet": None, "text": "t"},
        {"id": "a", "published": 5, "digest": "y", "title": "Z\U0001f600", "outlet": None, "text": "t"},
        {"id": "é", "published": 5, "digest": "y", "title": "T", "outlet": None, "text": "t"},
        {"id": "a", "published": 3, "digest": "z", "title": "T", "outlet": "P", "text": "t"},
        {"id": "a", "published": 3, "digest": "z", "title": "T", "outlet": "P", "text": "t"},
    ]
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE rows (rowkey, okey, id, digest, title, outlet, exact)")
    for n, r in enumerate(rows):
        conn.execute(
            "INSERT INTO rows VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                n,
                core.order_key(r["published"], "")[0],
                r["id"],
                r["digest"],
                r["title"],
                r["outlet"],
                core.exact_hash(r["text"]),
            ),
        )
    in_sql = [n for (n,) in conn.execute(f"SELECT rowkey FROM rows ORDER BY {DEDUP_ORDER}")]
    assert in_sql == sorted(range(len(rows)), key=lambda n: core.dedup_key(rows[n]))


def test_document_frequencies_merge_exactly(monkeypatch: pytest.MonkeyPatch):
    import numpy as np

    monkeypatch.setattr(local, "_MERGE_TERMS", 3)  # merge after every document or two
    docs = [np.array(t, dtype=np.int64) for t in ([1, 5, -7], [5], [2**62, 1], [], [-7, 5])]
    terms, dfs = local.document_frequencies(iter(docs))
    assert dict(zip(terms.tolist(), dfs.tolist(), strict=True)) == {-7: 2, 1: 2, 5: 3, 2**62: 1}
    assert terms.tolist() == sorted(terms.tolist())


def test_config_rejects_a_chunk_of_nothing():
    from tidings.errors import ConfigError

    with pytest.raises(ConfigError, match=r"batch\.chunk"):
        replace(Config().batch, chunk=0)
