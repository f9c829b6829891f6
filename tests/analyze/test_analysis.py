"""The seed cluster end to end: the worker-count disagreement, quotes, entities, JSON shape, CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from typer.testing import CliRunner

from tidings.analyze import analysis_json, analyze, render_analysis
from tidings.analyze.entities import merge_entities
from tidings.analyze.nlp import Mention, RuleFinder
from tidings.analyze.quotes import find_quotes
from tidings.cli import app
from tidings.config import AnalyzeConfig
from tidings.model import Document
from tidings.pipeline import prepare
from tidings.segment import segment

WORKERS = {"some 8,000": "004_b6c3893914511af6", "More than 10,000": "001_e5c2f623928b32d8",
           "Tens of thousands": "003_6b6fe71888c2a9d9"}  # fmt: skip


def _workers(analysis) -> list:
    return [g for g in analysis.disagreements if {v.value for v in g.values} & set(WORKERS)]


def test_seed_worker_disagreements_are_pairs_with_sources_and_attribution(seed_rules):
    groups = _workers(seed_rules)
    # 8,000 disagrees with both; "more than 10,000" and "tens of thousands" can both be true, so never one group
    assert sorted(sorted(v.value for v in g.values) for g in groups) == [
        ["More than 10,000", "some 8,000"],
        ["Tens of thousands", "some 8,000"],
    ]
    for group in groups:
        by_value = {v.value: v for v in group.values}
        for value, v in by_value.items():
            assert v.sources == (WORKERS[value],)
        assert by_value["some 8,000"].attributions == ("Russia’s foreign ministry",)
        assert group.independent == 2


def test_compatible_figures_are_not_disagreements(seed_rules):
    flagged = {v.value for g in seed_rules.disagreements for v in g.values}
    assert "about $100 million" not in flagged  # the $1 billion is a target, not a rival figure


def test_seed_quotes_with_named_and_pronoun_speakers(seed_rules):
    speakers = {q.quote[:30].strip(): q.speaker for q in seed_rules.quotes}
    assert speakers["Russia wants to be the groom a"] == "Georgy Kunadze"
    assert speakers["Russia can have some say in Py"] == "Andrei Lankov"  # “…,” he said
    assert speakers["will never vote on North Korea"] == "Georgy Kunadze"  # it wasn't clear, he said, …


def test_pronoun_speaker_is_the_subject_of_the_nearest_sentence_naming_a_person():
    text = (
        "Andrei Lankov, an expert at Kookmin University, said Russia wanted a role.\n\n"
        "“Russia can have some say in Pyongyang but only if it pays,” he said."
    )
    doc = Document(id="d", text=text)
    mentions = RuleFinder().mentions(text)
    index = merge_entities({"d": mentions})
    canonical = {start: name for (_, start), name in index.canonical.items()}
    (quote,) = find_quotes("d", text, segment(doc), mentions, canonical, index.titles)
    assert (quote.speaker, quote.how) == ("Andrei Lankov", "pronoun")


def test_entity_variants_merge():
    mentions = {
        "a": [Mention(0, 11, "Kim Jong Un", "person"), Mention(20, 23, "Kim", "person")],
        "b": [Mention(0, 11, "Kim Jong-un", "person"), Mention(30, 41, "Kim Jong-un", "person")],
        "c": [
            Mention(0, 3, "Kim", "person"),
            Mention(10, 24, "Vladimir Putin", "person"),
            Mention(40, 45, "Putin", "person"),
        ],
    }
    index = merge_entities(mentions)
    names = {e.name: e for e in index.entities}
    kim = next(e for e in index.entities if "Kim" in e.name)
    assert kim.mentions == 5 and set(kim.variants) | {kim.name} == {"Kim Jong Un", "Kim Jong-un", "Kim"}
    assert names["Vladimir Putin"].mentions == 2


def test_initials_merge_with_the_acronym_and_a_cut_compound_shows_without_its_hyphen():
    mentions = {
        "a": [Mention(0, 4, "U.S.", "place"), Mention(9, 21, "North Korea-", "place")],
        "b": [Mention(0, 2, "US", "place"), Mention(5, 8, "U.S", "place"), Mention(9, 20, "North Korea", "place")],
    }
    names = {e.name: e for e in merge_entities(mentions).entities}
    (us,) = [e for e in names.values() if "US" in {e.name, *e.variants}]
    assert us.mentions == 3 and {us.name, *us.variants} == {"U.S.", "US", "U.S"}
    assert names["North Korea"].mentions == 2 and names["North Korea"].variants == ()


def test_seed_entities_merge_kim_variants(seed_rules):
    kim = next(e for e in seed_rules.entities if e.name in ("Kim Jong Un", "Kim Jong-un"))
    assert {"Kim Jong Un", "Kim Jong-un"} <= {kim.name, *kim.variants}
    assert kim.independent == 5


def test_relative_dates_resolve_per_article_and_unresolved_are_listed(seed_rules):
    dated = {(e.date.isoformat(), e.precision) for e in seed_rules.timeline}
    assert ("2019-04-22", "week") in dated  # "next week" in the article published 2019-04-17
    unresolved = {(d.doc_id, d.text) for d in seed_rules.unresolved_dates}
    assert ("002_7226cadd0e561270", "next week") in unresolved  # that article has no publication date


def test_unplaced_dates_are_listed_once_per_sentence_with_the_sentence():
    text = (
        "The Kremlin announced on Apr. 18 that Kim will visit Russia in the second half of April. "
        "Experts had expected Xi to visit in April. Kim may travel again in April or May."
    )
    analysis = analyze(prepare([Document(id="a", text=text)]), AnalyzeConfig(backend="rules", summary=False))
    markdown = render_analysis(analysis, "md")
    unplaced = markdown.split("Not placed on the timeline")[1].split("## Quotes")[0]
    lines = [line for line in unplaced.splitlines() if line.startswith("- ")]
    assert lines[0].startswith("- “Apr. 18”, “April”: The Kremlin announced on Apr. 18 that Kim will visit Russia")
    assert sum("“April”" in line for line in lines) == 3 and len(lines) == 3  # one line per sentence, not per word


def test_syndicated_copies_count_once():
    text = "Some 8,000 North Korean workers are employed in Russia, the ministry said on Monday, officials added."
    other = (
        "More than 10,000 North Korean workers are still employed in Russia, officials say, and the count is rising."
    )
    docs = [
        Document(id="a", text=text, published=datetime(2019, 4, 17, tzinfo=UTC)),
        Document(id="b", text=text, published=datetime(2019, 4, 18, tzinfo=UTC)),
        Document(id="c", text=other),
    ]
    result = analyze(prepare(docs), AnalyzeConfig(backend="rules", summary=False))
    (group,) = result.disagreements
    low = group.values[0]
    assert set(low.sources) == {"a", "b"} and low.independent == 1 and group.independent == 2


def test_json_shape(seed_rules):
    data = analysis_json(seed_rules)
    json.dumps(data)
    assert {"disagreements", "timeline", "quotes", "entities"} <= set(data)
    d = data["disagreements"][0]
    assert isinstance(d["about"], str) and {"value", "quote", "sources"} <= set(d["values"][0])
    assert {"date", "event", "sources"} <= set(data["timeline"][0])
    assert len(data["timeline"][0]["date"]) == 10
    assert {"speaker", "quote", "sources"} <= set(data["quotes"][0])
    assert {"name", "type", "mentions"} <= set(data["entities"][0])


def test_a_change_over_time_is_rendered_as_such():
    early = "Rescuers said the landslide near the mountain village killed at least nine people on Monday."
    late = "The death toll from the landslide in the mountain village has climbed to 15, the disaster agency said."
    docs = [Document(id="a", text=early), Document(id="b", text=late)]
    result = analyze(prepare(docs, clean=False), AnalyzeConfig(backend="rules", summary=False))
    data = analysis_json(result)
    assert data["disagreements"] == []
    assert [[v["value"] for v in c["values"]] for c in data["changes"]] == [["at least nine", "15"]]
    markdown = render_analysis(result, "md")
    assert "## What changed over time" in markdown
    assert "rose from at least nine [1] to 15 [2]" in markdown


def test_cli_analyze(seed_dir):
    runner = CliRunner()
    result = runner.invoke(app, ["analyze", str(seed_dir), "--format", "json", "--backend", "rules"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert any({v["value"] for v in d["values"]} == {"some 8,000", "More than 10,000"} for d in data["disagreements"])
    md = runner.invoke(app, ["analyze", str(seed_dir), "--backend", "rules"])
    assert md.exit_code == 0 and "Where the sources disagree" in md.stdout
    html = runner.invoke(app, ["analyze", str(seed_dir), "--format", "html", "--backend", "rules"])
    assert html.exit_code == 0 and html.stdout.startswith("<!doctype html>")
    bad = runner.invoke(app, ["analyze", str(seed_dir), "--format", "pdf"])
    assert bad.exit_code != 0


def test_spacy_path_finds_the_same_disagreement(seed_spacy):
    assert seed_spacy.backend == "spacy"
    assert {v.value for g in _workers(seed_spacy) for v in g.values} == set(WORKERS)
    speakers = {q.quote[:30]: q.speaker for q in seed_spacy.quotes}
    assert speakers["Russia wants to be the groom a"] == "Georgy Kunadze"


def test_markdown_shows_article_text_as_text():
    # Quotes, names and sentences come from web pages: in the analysis' Markdown, as in the summary's, a renderer
    # must make no link, image, HTML or emphasis of them; in its HTML they are escaped.
    from markdown_it import MarkdownIt

    hostile = "[click](javascript:alert(1)) <img src=x onerror=alert(1)> *now*"
    text = (
        f"“{hostile} is what we found,” Mayor Jane Smith said on Monday. Some 8,000 workers were sent home in "
        f"May 2019, the ministry said. More than 10,000 workers were sent home in May 2019, officials said."
    )
    docs = [Document(id="a", text=text, title=f"Title {hostile}"), Document(id="b", text=text.replace("8,000", "9"))]
    analysis = analyze(prepare(docs), AnalyzeConfig(backend="rules", summary=False))
    markdown = render_analysis(analysis, "md")
    assert "javascript" in markdown  # the text is there, as text
    tokens = [t for block in MarkdownIt("commonmark").parse(markdown) for t in (block.children or [block])]
    assert not {t.type for t in tokens} & {"link_open", "image", "html_inline", "html_block", "em_open"}
    html = render_analysis(analysis, "html")
    assert "<img" not in html and "&lt;img" in html and "\\[" not in html
