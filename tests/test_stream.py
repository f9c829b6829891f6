"""The stream ingester: several writers of one archive never corrupt its stories."""

import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from tidings.errors import TidingsError
from tidings.model import Document
from tidings.store import Archive
from tidings.stream import IngestReport, StreamIngester, _windows, prepare_article

VOLCANO = (
    "The Mount Etna volcano erupted on Sunday, sending a column of ash and lava over Sicily. Flights at Catania "
    "airport were suspended as ash fell on nearby villages, and civil protection officials closed two roads. "
    "Volcanologists said the eruption of Etna was the strongest in a decade and lava flows were moving slowly."
)
VOLCANO_2 = (
    "Ash from Mount Etna closed Catania airport on Sunday after the volcano erupted overnight in Sicily. "
    "Lava flows moved down the eastern flank of Etna and volcanologists warned the eruption could continue. "
    "Civil protection officials in Sicily closed roads near the villages below the crater."
)
FOOTBALL = (
    "Manchester United beat Liverpool 2-1 at Old Trafford on Saturday with a late goal from their striker. "
    "The Premier League match was decided in stoppage time, and the United manager praised the crowd. "
    "Liverpool's coach said his team had deserved a draw after dominating possession in the second half."
)


def _doc(doc_id: str, text: str) -> Document:
    return Document(id=doc_id, text=text, url=f"https://news.example/{doc_id}", title=doc_id)


def _consistent(archive: Archive) -> list[tuple[int, int, int]]:
    """(story, size, documents) for every live story whose size differs from its documents."""
    rows = archive.conn.execute(
        "SELECT s.id, s.size, (SELECT COUNT(*) FROM documents d WHERE d.story_id = s.id) FROM stories s"
        " WHERE s.merged_into IS NULL"
    ).fetchall()
    return [tuple(r) for r in rows if r[1] != r[2]]


def test_two_writers_never_share_a_story_id(tmp_path: Path):
    # A server keeps one ingester for life; a CLI ingest writes the same file meanwhile.
    path = tmp_path / "a.db"
    with Archive(path) as server_db, Archive(path) as cli_db:
        server = StreamIngester(server_db)
        server.add(_doc("volcano-1", VOLCANO), report=IngestReport())
        cli = StreamIngester(cli_db)
        cli.add(_doc("football", FOOTBALL), report=IngestReport())  # story 2, unknown to the server's index
        report = IngestReport()
        server.add(_doc("volcano-2", VOLCANO_2), report=report)
        server.add(_doc("football-2", FOOTBALL.replace("Saturday", "Saturday evening")), report=report)
        stories = {s.id: s for s in server_db.stories()}
        members = {sid: {d.document.title for d in server_db.story_documents(sid)} for sid in stories}
        assert sorted(members.values(), key=sorted) == [{"football", "football-2"}, {"volcano-1", "volcano-2"}]
        assert _consistent(server_db) == []


def test_a_stale_story_write_is_an_error_not_an_upsert(tmp_path: Path):
    with Archive(tmp_path / "a.db") as archive:
        ingester = StreamIngester(archive)
        ingester.add(_doc("volcano-1", VOLCANO))
        story = next(iter(ingester.index.stories.values()))
        with pytest.raises(TidingsError, match="already exists"), archive.transaction():
            archive.save_story(story, "again", new=True)
        with pytest.raises(TidingsError, match="not a live story"), archive.transaction():
            archive.save_story(replace(story, id=story.id + 1), "gone", new=False)


def test_summaries_after_an_ingest_are_computed_in_parallel_and_all_cached(tmp_path: Path):
    from tidings.stream import ingest

    vocabulary = [f"{a}{b}" for a in ("bar", "cor", "dun", "fel", "gri", "hol", "jun", "kel") for b in "aeiouy"]
    docs = []
    for n in range(24):  # 24 articles on 24 unrelated made-up topics: 24 stories, enough for two processes
        words = [vocabulary[(n * 2 + k) % len(vocabulary)] + f"z{n}" for k in range(6)]
        sentences = [f"The {words[k]} of {words[(k + 1) % 6]} and the {words[(k + 2) % 6]}." for k in range(6)]
        docs.append((_doc(f"doc-{n}", " ".join(sentences * 2)), None))
    with Archive(tmp_path / "a.db") as archive:
        report = ingest(archive, docs, workers=2)
        stories = archive.stories()
        assert report.added == 24 and len(stories) == 24
        assert all(s.summary_is_current for s in stories)
        assert all(s.summary["summary"] for s in stories)


def test_a_report_forgets_touched_stories_that_were_merged_away():
    report = IngestReport()
    report.absorb(IngestReport(added=2, touched={1, 2}))
    report.absorb(IngestReport(added=1, touched={3}, merged_away={2}))
    report.absorb(IngestReport(added=1, touched={4}))
    assert report.touched == {1, 3, 4} and report.merged_away == {2} and report.added == 4


def test_a_current_summary_is_read_from_the_cache_as_it_was_computed(tmp_path: Path):
    from tidings.config import Config
    from tidings.render import summary_json
    from tidings.stream import ingest, story_summary

    with Archive(tmp_path / "a.db") as archive:
        ingest(archive, [(_doc("v1", VOLCANO), None), (_doc("v2", VOLCANO_2), None)])
        (story,) = archive.stories()
        cached = story_summary(archive, story.id)
        fresh = story_summary(archive, story.id, Config())  # a caller's own settings: recomputed
        assert summary_json(cached) == summary_json(fresh) == story.summary
        assert [d.id for d in cached.documents] == [d["id"] for d in story.summary["documents"]]


def test_an_archive_made_before_lines_were_counted_has_them_counted_by_the_next_ingest(tmp_path: Path):
    import sqlite3

    from tidings.clean import line_keys
    from tidings.stream import ingest

    widget = "Our newsroom relies on readers like you, so please consider a small monthly gift to keep us going."
    (key,) = line_keys(widget)
    docs = [_doc(name, f"{widget}\n{text}") for name, text in {"volcano": VOLCANO, "football": FOOTBALL}.items()]
    path = tmp_path / "old.db"
    with Archive(path) as archive:
        ingest(archive, [(d, None) for d in docs])
        assert archive.repeated_lines([key], 2) == {key}
    conn = sqlite3.connect(path)  # as an archive of schema 5 holding documents archived before it counted lines
    conn.executescript(
        "DELETE FROM line_stories; DELETE FROM meta WHERE key = 'recount_lines';"
        " ALTER TABLE documents DROP COLUMN sentences; PRAGMA user_version=5;"
    )
    conn.close()
    with Archive(path) as archive:  # the upgrade flags the recount
        assert archive.lines_need_recount() and not archive.repeated_lines([key], 2)
        ingest(archive, [])  # the next ingest, even of nothing, counts what is archived
        assert not archive.lines_need_recount()
        assert archive.repeated_lines([key], 2) == {key}
    with Archive(tmp_path / "new.db") as archive:  # a new archive has nothing to recount
        assert not archive.lines_need_recount()


def test_a_line_printed_in_articles_of_three_stories_is_boilerplate_in_their_summaries(tmp_path: Path):
    from tidings.config import Config, SummarizeConfig
    from tidings.stream import ingest, story_summary

    widget = "Our newsroom relies on readers like you, so please consider a small monthly gift to keep us going."
    floods = (
        "Floods swept through the river valley on Monday after three days of heavy rain, forcing hundreds of"
        " families from their homes. Rescue teams used boats to reach villages cut off by the water."
    )
    texts = {"volcano": VOLCANO, "football": FOOTBALL, "floods": floods}
    docs = [_doc(name, f"{widget}\n{text}") for name, text in texts.items()]
    for config, expected in ((Config(), False), (Config(summarize=SummarizeConfig(repeated_line_stories=0)), True)):
        with Archive(tmp_path / f"{expected}.db") as archive:
            ingest(archive, [(d, None) for d in docs], config)
            stories = archive.stories()
            assert len(stories) == 3
            for story in stories:
                texts_of = [s.text for s in story_summary(archive, story.id, config).sentences]
                assert texts_of and (widget in texts_of) is expected


def test_the_archive_keeps_each_documents_sentences_and_summaries_use_them(tmp_path: Path, monkeypatch):
    import tidings.pipeline as pipeline
    from tidings.render import summary_json
    from tidings.segment import segment
    from tidings.stream import ingest, story_summary

    text = "Mr. Lee said the U.S. Senate met at 5 p.m. on Feb. 27.\n\n" + VOLCANO + "\n\n" + VOLCANO_2
    with Archive(tmp_path / "a.db") as archive:
        ingest(archive, [(_doc("v", text), None), (_doc("v2", VOLCANO_2 + "\n\n" + VOLCANO), None)])
        (story_id,) = {d.story_id for d in map(archive.document, _ids(archive))}
        stored = archive.story_documents(story_id)
        assert all(d.sentences is not None for d in stored)
        assert [pipeline.prepare_stored(stored).sentences[d.document.id] for d in stored] == [
            segment(d.document) for d in stored
        ]
        kept = summary_json(story_summary(archive, story_id, pipeline.Config()))
        calls = []
        monkeypatch.setattr(pipeline, "segment", lambda doc, **kw: calls.append(doc.id) or segment(doc, **kw))
        assert summary_json(story_summary(archive, story_id, pipeline.Config())) == kept
        assert calls == []  # nothing was split again
        archive.conn.execute("UPDATE documents SET sentences = NULL")  # as archived before sentences were kept
        assert summary_json(story_summary(archive, story_id, pipeline.Config())) == kept
        assert sorted(calls) == sorted(d.document.id for d in stored)


def _ids(archive: Archive) -> list[str]:
    return [r[0] for r in archive.conn.execute("SELECT id FROM documents")]


def test_signature_permutations_are_datasketch_2s_for_the_seed():
    datasketch = pytest.importorskip("datasketch")
    if int(datasketch.__version__.split(".")[0]) < 2:
        pytest.skip("datasketch 1 has no affine32 scheme")
    from tidings import stream

    expected = datasketch.MinHash(num_perm=64, seed=11, scheme="affine32").permutations
    assert np.array_equal(stream._PERMUTATIONS, expected) and stream._PERMUTATIONS.dtype == np.uint32


def test_the_stream_module_does_not_import_datasketch():
    code = "import sys, tidings.stream; print('datasketch' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"


def _filler(i: int) -> str:
    towns = ["Aarhus", "Bergen", "Cork", "Dundee", "Exeter", "Faro", "Graz", "Hull", "Izmir", "Jena"]
    things = ["tram line", "library", "harbour wall", "school roof", "bus depot", "swimming pool", "market hall"]
    town, thing = towns[i % len(towns)], things[i % len(things)]
    return (
        f"The council of {town} approved {i + 3} million euros on Tuesday to rebuild the {thing} near the old "
        f"station. Work on the {thing} will start in spring and last {i % 5 + 2} years, the mayor of {town} said. "
        f"Residents of {town} had campaigned for the {thing} since {1990 + i % 30}."
    )


def test_how_articles_are_grouped_into_transactions_changes_no_story(tmp_path: Path):
    # An Etna report, 70 articles ten days later (the Etna story is cold once the index is pruned), then a
    # second Etna report dated the next day: whether it still finds the first depends on when the index was
    # last pruned, which is counted in articles, not in transactions.
    t0 = datetime(2024, 1, 1, tzinfo=UTC)
    docs = [replace(_doc("etna-1", VOLCANO), published=t0)]
    docs += [replace(_doc(f"town-{i}", _filler(i)), published=t0 + timedelta(days=10)) for i in range(70)]
    docs.append(replace(_doc("etna-2", VOLCANO_2), published=t0 + timedelta(days=1)))
    placed = []
    for size in (1, 64, 200):
        with Archive(tmp_path / f"{size}.db") as archive:
            ingester = StreamIngester(archive)
            articles = [prepare_article(d, None, ingester.config) for d in docs]
            for k in range(0, len(articles), size):
                ingester.commit_many(articles[k : k + size], IngestReport())
            rows = archive.conn.execute("SELECT title, story_id FROM documents ORDER BY seq").fetchall()
            placed.append([tuple(r) for r in rows])
    assert len(placed[0]) == len(docs)
    assert placed[0] == placed[1] == placed[2]


def test_windows_start_small_and_keep_every_item_in_order():
    windows = list(_windows(range(1000), 256))
    assert [len(w) for w in windows] == [64, 128, 256, 256, 256, 40]
    assert [x for w in windows for x in w] == list(range(1000))
    assert [len(w) for w in _windows(range(10), 4)] == [4, 4, 2] and list(_windows([], 256)) == []


def _blocks(first: int, last: int) -> str:
    """Sentences ``first``..``last`` of a made-up text, each with six made-up words no other sentence uses."""
    return " ".join(
        "The " + " ".join(f"{stem}{k}x" for stem in ("brondel", "cavish", "dulmer", "fennow", "garth", "hesk")) + "."
        for k in range(first, last + 1)
    )


def test_a_rewrite_of_a_copy_joins_the_copys_original(tmp_path: Path):
    # B copies A; C rewrites B further, too far from A to be A's copy on its own: C is still A's copy, through
    # B, the most similar match. An unrelated article matches nothing.
    texts = {"a": _blocks(1, 6), "b": _blocks(2, 7), "c": _blocks(3, 8), "other": FOOTBALL}
    with Archive(tmp_path / "a.db") as archive:
        ingester = StreamIngester(archive)
        articles = {k: prepare_article(_doc(k, text), None, ingester.config) for k, text in texts.items()}
        signatures = {k: np.frombuffer(a.signature, dtype=np.uint64) for k, a in articles.items()}

        def similarity(x: str, y: str) -> float:
            return float(np.mean(signatures[x] == signatures[y]))

        threshold = ingester.config.cluster.copy_jaccard
        assert similarity("c", "a") < threshold <= min(similarity("c", "b"), similarity("b", "a"))
        ingester.commit_many(list(articles.values()), IngestReport())
        copy_of = dict(archive.conn.execute("SELECT title, copy_of FROM documents").fetchall())
        ids = dict(archive.conn.execute("SELECT title, id FROM documents").fetchall())
        assert copy_of == {"a": None, "b": ids["a"], "c": ids["a"], "other": None}
