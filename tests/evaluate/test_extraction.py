"""The AEB metric pinned on hand-computed examples, the page loaders, the runner and the CLI command."""

import gzip
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tidings.cli import app
from tidings.errors import InputError
from tidings.evaluate.extraction import (
    SYSTEMS,
    PageScore,
    aggregate,
    evaluate_extraction,
    load_ground_truth,
    load_pages,
    markdown_table,
    page_id,
    parse_systems,
    predictions_json,
    read_html,
    score_page,
    shingles,
)

runner = CliRunner()


@pytest.fixture
def extraction_dir(fixtures: Path) -> Path:
    return fixtures / "extraction"


# -- metric: every number below is worked out by hand ------------------------------------------


def test_tokens_and_shingles():
    # 5 tokens -> 2 four-token shingles; punctuation separates tokens; case is kept
    assert shingles("A b, c-d e") == {("A", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    # fewer than 4 tokens: one shorter shingle; nothing for an empty text
    assert shingles("a b") == {("a", "b"): 1}
    assert shingles("") == {} and shingles(None) == {}


def test_identical_texts():
    s = score_page("a b c d e", "a b c d e")
    assert (s.tp, s.fp, s.fn) == (1.0, 0.0, 0.0)
    assert s.precision == 1.0 and s.recall == 1.0 and s.exact


def test_one_wrong_token_at_the_end():
    # truth shingles abcd bcde cdef, prediction abcd bcde cdex: tp=2 fp=1 fn=1, normalised by 4
    s = score_page("a b c d e x", "a b c d e f")
    assert (s.tp, s.fp, s.fn) == (0.5, 0.25, 0.25)
    assert s.precision == pytest.approx(2 / 3) and s.recall == pytest.approx(2 / 3)
    assert not s.exact


def test_repeated_shingles_are_counted():
    # truth "a b c d a b c d": abcd x2, bcda, cdab, dabc (5); prediction abcd once: tp=1 fn=4
    s = score_page("a b c d", "a b c d a b c d")
    assert (s.tp, s.fp, s.fn) == (0.2, 0.0, 0.8)
    assert s.precision == 1.0 and s.recall == pytest.approx(0.2)


def test_case_matters_as_in_the_benchmark():
    s = score_page("The cat sat on", "the cat sat on")
    assert s.precision == 0.0 and s.recall == 0.0


def test_empty_prediction_has_no_precision_and_zero_recall():
    s = score_page("", "a b c d")
    assert (s.tp, s.fp, s.fn) == (0.0, 0.0, 1.0)
    assert s.precision is None and s.recall == 0.0


def test_empty_truth_has_no_recall():
    s = score_page("a b", "")
    assert s.precision == 0.0 and s.recall is None


def test_both_empty_count_for_nothing_but_accuracy():
    s = score_page(None, "")
    assert (s.tp, s.fp, s.fn) == (0.0, 0.0, 0.0)
    assert s.precision is None and s.recall is None and s.exact


def test_aggregate_skips_undefined_and_takes_f1_of_the_means():
    pages = [
        score_page("a b c d e", "a b c d e"),  # P 1, R 1
        score_page("a b c d e x", "a b c d e f"),  # P 2/3, R 2/3
        score_page("", "a b c d"),  # P -, R 0
        score_page("a b", ""),  # P 0, R -
    ]
    agg = aggregate(pages)
    assert agg.precision == pytest.approx(5 / 9)  # (1 + 2/3 + 0) / 3
    assert agg.recall == pytest.approx(5 / 9)  # (1 + 2/3 + 0) / 3
    assert agg.f1 == pytest.approx(5 / 9)
    assert agg.accuracy == 0.25 and agg.pages == 4


def test_f1_is_not_the_mean_of_page_f1s():
    pages = [score_page("a b c d", "a b c d a b c d"), score_page("a b c d e x", "a b c d e f")]
    agg = aggregate(pages)
    # mean P = (1 + 2/3) / 2 = 5/6, mean R = (0.2 + 2/3) / 2 = 13/30, F1 = 2PR/(P+R) = 65/114
    assert agg.precision == pytest.approx(5 / 6)
    assert agg.recall == pytest.approx(13 / 30)
    assert agg.f1 == pytest.approx(65 / 114)
    assert agg.f1 != pytest.approx(sum(s.f1 for s in pages) / 2)


def test_aggregate_of_nothing_is_zero():
    agg = aggregate([])
    assert (agg.precision, agg.recall, agg.f1, agg.pages) == (0.0, 0.0, 0.0, 0)


def test_page_score_is_frozen():
    s = score_page("a", "a")
    assert isinstance(s, PageScore)
    with pytest.raises(AttributeError):
        s.tp = 0.5  # type: ignore[misc]


# -- loaders -------------------------------------------------------------------------------------


def test_page_ids():
    assert page_id(Path("abc123.html.gz")) == "abc123"
    assert page_id(Path("ferry-strike.html")) == "ferry-strike"
    assert page_id(Path("x.HTM")) == "x"


def test_load_pages(extraction_dir: Path):
    pages = load_pages(extraction_dir / "html", extraction_dir / "ground-truth.json")
    assert [p.id for p in pages] == ["ferry-strike", "orchard-frost"]
    ferry = pages[0]
    assert "<h1>Ferry crews strike over rosters</h1>" in ferry.html
    assert ferry.truth.startswith("Ferry crews on the island routes")
    assert ferry.url == "https://coastline.example.com/local/ferry-strike"


def test_gzip_pages_are_read(extraction_dir: Path, tmp_path: Path):
    html_dir = tmp_path / "html"
    html_dir.mkdir()
    for src in (extraction_dir / "html").iterdir():
        (html_dir / f"{src.name}.gz").write_bytes(gzip.compress(src.read_bytes()))
    pages = load_pages(html_dir, extraction_dir / "ground-truth.json")
    assert [p.id for p in pages] == ["ferry-strike", "orchard-frost"]
    assert read_html(html_dir / "ferry-strike.html.gz") == (extraction_dir / "html" / "ferry-strike.html").read_text()


def test_missing_page_is_an_error(extraction_dir: Path, tmp_path: Path):
    html_dir = tmp_path / "html"
    html_dir.mkdir()
    shutil.copy(extraction_dir / "html" / "ferry-strike.html", html_dir)
    (html_dir / "unrelated.html").write_text("<html></html>")  # pages without ground truth are ignored
    with pytest.raises(InputError, match="orchard-frost"):
        load_pages(html_dir, extraction_dir / "ground-truth.json")


def test_bad_ground_truth(tmp_path: Path):
    with pytest.raises(InputError, match="no such file"):
        load_ground_truth(tmp_path / "missing.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"a": "not an object"}')
    with pytest.raises(InputError, match="expected"):
        load_ground_truth(bad)
    bad.write_text("{not json")
    with pytest.raises(InputError, match="JSON"):
        load_ground_truth(bad)


def test_parse_systems():
    assert parse_systems(None)[:2] == ["tidings", "tidings-clean"]
    assert set(parse_systems(None)) <= set(SYSTEMS)
    assert parse_systems("tidings, trafilatura,tidings") == ["tidings", "trafilatura"]
    with pytest.raises(InputError, match="nope"):
        parse_systems("tidings,nope")


# -- runner ---------------------------------------------------------------------------------------


def test_run_scores_and_counts_failures(extraction_dir: Path):
    pages = load_pages(extraction_dir / "html", extraction_dir / "ground-truth.json")

    def crashes(html: str, url: str | None = None) -> str:
        raise RuntimeError("boom")

    def copies_truth(html: str, url: str | None = None) -> str:
        return next(p.truth for p in pages if p.html == html)

    crash, perfect = evaluate_extraction(pages, {"crash": crashes, "oracle": copies_truth})
    assert set(crash.failures) == {"ferry-strike", "orchard-frost"}
    assert crash.failures["ferry-strike"] == "RuntimeError: boom"
    assert crash.summary().recall == 0.0 and crash.summary().precision == 0.0
    assert perfect.summary().f1 == 1.0 and not perfect.failures
    assert predictions_json(perfect)["ferry-strike"]["articleBody"] == pages[0].truth
    table = markdown_table([crash, perfect])
    assert "| oracle | 1.000 | 1.000 | 1.000 | 1.000 | 0 |" in table
    assert "| crash | 0.000 | 0.000 | 0.000 | 0.000 | 2 |" in table


def test_tidings_and_trafilatura_on_the_fixture(extraction_dir: Path):
    pages = load_pages(extraction_dir / "html", extraction_dir / "ground-truth.json")
    ours, theirs = evaluate_extraction(pages, ["tidings", "trafilatura"])
    assert ours.summary().f1 > 0.95 and theirs.summary().f1 > 0.9
    assert not ours.failures and not theirs.failures
    assert "Ferry crews strike over rosters" not in ours.predictions["ferry-strike"]  # headline is metadata
    assert "Bridge repairs" not in ours.predictions["ferry-strike"]  # a list of links is not the body


@pytest.mark.parametrize("system", ["readability", "newspaper4k", "goose3"])
def test_peers_run_offline(extraction_dir: Path, system: str):
    pytest.importorskip({"readability": "readability", "newspaper4k": "newspaper", "goose3": "goose3"}[system])
    pages = load_pages(extraction_dir / "html", extraction_dir / "ground-truth.json")
    (run,) = evaluate_extraction(pages, [system])
    assert not run.failures, run.failures
    assert run.summary().recall > 0.8


# -- CLI ------------------------------------------------------------------------------------------


def test_cli_table_and_predictions(extraction_dir: Path, tmp_path: Path):
    out = tmp_path / "pred.json"
    result = runner.invoke(
        app,
        [
            "eval-extraction",
            str(extraction_dir / "html"),
            str(extraction_dir / "ground-truth.json"),
            "--systems",
            "tidings,trafilatura",
            "--predictions",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "tidings" in result.stdout and "trafilatura" in result.stdout
    assert "F1" in result.stdout
    predictions = json.loads(out.read_text())
    assert set(predictions) == {"ferry-strike", "orchard-frost"}
    assert predictions["orchard-frost"]["articleBody"].startswith("A late frost")


def test_cli_user_errors(extraction_dir: Path, tmp_path: Path):
    result = runner.invoke(app, ["eval-extraction", str(tmp_path / "nope"), str(extraction_dir / "ground-truth.json")])
    assert result.exit_code != 0
    assert "not a directory" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    result = runner.invoke(
        app,
        ["eval-extraction", str(extraction_dir / "html"), str(extraction_dir / "ground-truth.json"), "--systems", "x"],
    )
    assert result.exit_code != 0
    assert "unknown system" in result.stderr


def test_paired_bootstrap_f1():
    from tidings.evaluate.extraction import SystemRun, paired_bootstrap_f1

    good, bad = SystemRun("good"), SystemRun("bad")
    for i in range(10):
        good.scores[str(i)] = score_page("a b c d e", "a b c d e")
        bad.scores[str(i)] = score_page("a b c d e x", "a b c d e f")
    diff = paired_bootstrap_f1(good, bad, samples=200)
    assert diff.mean == pytest.approx(1 / 3) and diff.low == pytest.approx(1 / 3) and diff.high == pytest.approx(1 / 3)
    assert paired_bootstrap_f1(good, SystemRun("empty")).mean == 0.0
