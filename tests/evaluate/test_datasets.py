"""Benchmarks read as they come: each layout on a hand-made copy of the two fixture pages, and the CLI on them."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tidings.cli import app
from tidings.errors import InputError
from tidings.evaluate.datasets import detect_layout, l3s_truth, load_dataset
from tidings.evaluate.extraction import SnippetScore, aggregate_snippets, evaluate_extraction, fragments, score_snippets

runner = CliRunner()


@pytest.fixture
def layouts(fixtures: Path) -> Path:
    return fixtures / "extraction" / "layouts"


def test_wcxb_root_reads_the_dev_split_only(layouts: Path):
    dataset = load_dataset(layouts / "wcxb")
    assert dataset.layout == "wcxb"
    assert [p.id for p in dataset.pages] == ["0001", "0002"]  # never test/0900
    first = dataset.pages[0]
    assert (first.kind, first.split, first.url) == (
        "article",
        "dev",
        "https://coastline.example.com/local/ferry-strike",
    )
    assert first.truth.startswith("Ferry crews on the island routes")
    assert first.must == ("Ferry crews on the island routes walked ",) and first.must_not
    assert [p.id for p in load_dataset(layouts / "wcxb", kind="article").pages] == ["0001"]
    with pytest.raises(InputError, match=r"no pages of type 'recipe'.*article, forum"):
        load_dataset(layouts / "wcxb", kind="recipe")
    assert [p.id for p in load_dataset(layouts / "wcxb" / "test").pages] == ["0900"]  # only when asked by name


def test_l3s_truth_counts_each_piece_of_text_once():
    truth = l3s_truth(
        (Path(__file__).parent.parent / "fixtures/extraction/layouts/l3s/annotated/0a1b-ferry.html").read_text()
    )
    assert truth.split("\n") == [
        "Ferry crews strike over rosters",  # headline
        "Ferry crews on the island routes walked off the job on Thursday morning, stranding hundreds of commuters"
        " who rely on the early sailings to reach the mainland.",  # a nested link span is not repeated
        "The union said the stoppage would last 24 hours.",
        "Picture: the ferry terminal on Thursday.",  # supplemental
    ]  # not content (sel0), related (sel4), comments (sel5) and scripts are left out


def test_l3s_dragnet_and_trafilatura_layouts(layouts: Path):
    l3s = load_dataset(layouts / "l3s")
    assert l3s.layout == "l3s-gn1" and l3s.pages[0].url == "https://coastline.example.com/local/ferry-strike"
    assert "<article>" in l3s.pages[0].html
    dragnet = load_dataset(layouts / "dragnet")
    assert [(p.id, p.split) for p in dragnet.pages] == [("R1", "training"), ("T2", "test")]
    assert "Great article" not in dragnet.pages[0].truth  # comments after the marker are not the article
    corpus = load_dataset(layouts / "trafilatura-eval")
    (page,) = corpus.pages
    assert page.truth is None and page.must == ("walked off the job on Thursday morning",)
    assert detect_layout(layouts) == ("l3s-gn1", layouts / "l3s")  # L3S-GN1 sits one folder down in its repository
    with pytest.raises(InputError, match="not a benchmark folder"):
        detect_layout(layouts / "dragnet" / "HTML")


def test_snippets_and_fragments(layouts: Path):
    assert score_snippets("a  b\nc", ["a b c", "x"], ["c", "y"]) == SnippetScore(1, 1, 1, 1)
    agg = aggregate_snippets([score_snippets("a b", ["a b"], ["z"]), score_snippets("q", ["w"], ["q"])])
    assert (agg.precision, agg.recall, agg.f1) == (0.5, 0.5, 0.5)
    pages = load_dataset(layouts / "dragnet").pages
    truth = {p.id: p.truth for p in pages}
    full, cut = evaluate_extraction(
        pages,
        {
            "full": lambda html, url: next(t for t in truth.values() if t[:20] in html.replace("\n", " ")),
            "cut": lambda html, url: "Ferry crews on the island routes walked off the job",
        },
    )
    assert fragments(cut, full) == ["R1", "T2"] and fragments(full, cut) == []


def test_cli_reads_a_dataset_folder_with_snippets(layouts: Path):
    result = runner.invoke(app, ["eval-extraction", str(layouts / "wcxb"), "--systems", "tidings,trafilatura"])
    assert result.exit_code == 0, result.output
    assert "2 pages from" in result.stdout and "(wcxb)" in result.stdout
    assert "must-have and must-not strings" in result.stdout
    assert "under a third of what trafilatura finds" in result.stdout
    result = runner.invoke(app, ["eval-extraction", str(layouts / "trafilatura-eval"), "--systems", "tidings"])
    assert result.exit_code == 0, result.output
    assert "must-have" in result.stdout and "F1" in result.stdout
