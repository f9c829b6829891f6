"""The command line as a user runs it: outputs, messages on stderr, exit codes."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tidings.cli import app

runner = CliRunner()


def test_summarize_markdown(seed_dir: Path):
    result = runner.invoke(app, ["summarize", str(seed_dir), "--words", "100"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Summary")
    assert "## Sources" in result.stdout
    assert re.search(r"\[\d\]", result.stdout)


def test_summarize_json_to_file(seed_dir: Path, tmp_path: Path):
    out = tmp_path / "s.json"
    result = runner.invoke(app, ["summarize", str(seed_dir), "-f", "json", "-o", str(out)])
    assert result.exit_code == 0
    data = json.loads(out.read_text())
    assert len(data["documents"]) == 5 and data["summary"]


def test_sentence_budget(seed_dir: Path):
    result = runner.invoke(app, ["summarize", str(seed_dir), "--sentences", "2", "-f", "json"])
    assert len(json.loads(result.stdout)["summary"]) == 2


def test_problems_go_to_stderr_and_exit_nonzero_only_when_nothing_is_left(seed_dir: Path, tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = runner.invoke(app, ["summarize", str(seed_dir / "004_b6c3893914511af6.txt"), str(empty)])
    assert result.exit_code == 0
    assert f"{empty}: empty file" in result.stderr
    result = runner.invoke(app, ["summarize", str(empty)])
    assert result.exit_code == 1
    assert "nothing could be summarized" in result.stderr
    assert "Traceback" not in result.output


def test_missing_file_and_bad_format(tmp_path: Path):
    result = runner.invoke(app, ["summarize", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert "no such file" in result.stderr
    result = runner.invoke(app, ["summarize", str(tmp_path), "--format", "pdf"])
    assert result.exit_code == 2


def test_clean_prints_body_and_explains(seed_dir: Path):
    path = str(seed_dir / "001_e5c2f623928b32d8.txt")
    result = runner.invoke(app, ["clean", path])
    assert result.exit_code == 0
    assert "Please enter your comment" not in result.stdout
    assert "Kim has two urgent worries as he heads to the summit." in result.stdout
    result = runner.invoke(app, ["clean", path, "--explain"])
    assert "comment form" in result.stdout


def test_clean_json(seed_dir: Path):
    result = runner.invoke(app, ["clean", str(seed_dir / "003_6b6fe71888c2a9d9.txt"), "--json"])
    data = json.loads(result.stdout)
    assert data["published"].startswith("2019-04-17")
    assert any(line["reason"] == "photo caption or credit" for line in data["lines"])


def test_stdin(seed_dir: Path):
    text = (seed_dir / "004_b6c3893914511af6.txt").read_text()
    result = runner.invoke(app, ["summarize", "-", "--words", "60"], input=text)
    assert result.exit_code == 0, result.stderr
    assert "stdin" in result.stdout or "Kim-Putin" in result.stdout


def test_bad_config_is_one_line(tmp_path: Path, seed_dir: Path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[summarize]\nwords = -3\n")
    proc = subprocess.run(
        [sys.executable, "-c", "from tidings.cli import main; main()", "summarize", str(seed_dir), "-c", str(cfg)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == "tidings: summarize.words must be positive, got -3"


def test_archive_commands(seed_dir: Path, tmp_path: Path):
    db = str(tmp_path / "a.db")
    result = runner.invoke(app, ["ingest", str(seed_dir), "--db", db, "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["added"] == 5
    result = runner.invoke(app, ["stories", "--db", db, "--json", "--all"])
    [story] = json.loads(result.stdout)
    assert set(story) >= {"id", "title", "summary", "documents", "independent_sources", "first_seen", "last_seen"}
    assert story["independent_sources"] == 5 and len(story["documents"]) == 5
    assert set(story["documents"][0]) >= {"id", "url", "title", "published", "copy_of"}
    assert story["summary"] and story["summary"][0]["sources"]
    result = runner.invoke(app, ["story", str(story["id"]), "--db", db])
    assert result.exit_code == 0 and "independent source" in result.stdout and "## Sources" in result.stdout
    assert "## Where the sources disagree" in result.stdout and "## Timeline" in result.stdout
    assert "8,000" in result.stdout and "Tens of thousands" in result.stdout  # the seed cluster's disagreement
    plain = runner.invoke(app, ["story", str(story["id"]), "--db", db, "--no-analysis"]).stdout
    assert "## Sources" in plain and "## Timeline" not in plain
    data = json.loads(runner.invoke(app, ["story", str(story["id"]), "--db", db, "--format", "json"]).stdout)
    assert data["analysis"]["disagreements"] and data["analysis"]["timeline"] and "summary" not in data["analysis"]
    html = runner.invoke(app, ["story", str(story["id"]), "--db", db, "--format", "html"]).stdout
    assert html.startswith("<!doctype html>") and '<section class="analysis">' in html
    assert html.index('<section class="analysis">') < html.index("</main>")
    assert runner.invoke(app, ["story", "999", "--db", db]).exit_code == 1
    quiet = runner.invoke(app, ["stories", "--db", db, "--since", "2d"])  # the seed cluster is from 2019
    assert quiet.exit_code == 0 and "no stories active in the last 2d" in quiet.stdout + quiet.stderr
    assert runner.invoke(app, ["stories", "--db", db, "--since", "2 fortnights"]).exit_code == 2


def test_archive_commands_without_archive(tmp_path: Path):
    result = runner.invoke(app, ["stories", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no archive" in result.stderr


def _unboxed(text: str) -> str:
    """rich's help and error boxes as one line of words."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def test_words_and_sentences_together_are_refused(seed_dir: Path):
    result = runner.invoke(app, ["summarize", str(seed_dir), "--words", "100", "--sentences", "2"])
    assert result.exit_code == 2
    assert "--words or --sentences, not both" in _unboxed(result.stderr)


def test_spacy_backend_without_the_extra_names_it(seed_dir: Path, monkeypatch):
    import tidings.analyze.nlp

    monkeypatch.setattr(tidings.analyze.nlp, "spacy_available", lambda: False)
    result = runner.invoke(app, ["analyze", str(seed_dir), "--backend", "spacy"])
    assert (result.exit_code == 2 and result.exception is None) or isinstance(result.exception, SystemExit)
    assert "pip install 'tidings[analyze]'" in result.stderr and "Traceback" not in result.output


def test_all_help_says_what_it_does():
    text = _unboxed(runner.invoke(app, ["stories", "--help"]).stdout)
    assert "not only the --limit most recent" in text and "singletons included" not in text


def test_help_is_wide_when_the_terminal_width_is_unknown(tmp_path: Path):
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("COLUMNS", "TERMINAL_WIDTH")}
    out = subprocess.run(
        [sys.executable, "-c", "from tidings.cli import main; main()", "ingest", "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    assert max(len(line) for line in out.splitlines()) > 100  # not rich's 80-column guess
    assert "The archive (SQLite file; created if missing)." in out  # one description on one line


@pytest.mark.parametrize(
    "items",
    [
        [],
        [{"a": 1}],
        [{"t": "line one\nline two “quoted” é", "n": [1, 2.5, None, True], "e": {}}, [], "x", 3],
        # what JSON escapes and what it leaves (controls, quotes, backslashes; DEL, line separators, CJK, emoji)
        [{'k"\\': '\x00\x01\x1f\t\r\x08\x0c"\\/\x7f\u2028\u2029中😀', "deep": [[[{}]], {"x": [False, -7]}]}],
        [{"big": 2**70, "small": -(2**70)}],  # orjson refuses these: the standard library writes them
    ],
)
def test_streamed_json_list_is_the_indented_dump_byte_for_byte(items, capsys):
    from tidings.cli import _echo_json_list

    _echo_json_list(iter(items))
    assert capsys.readouterr().out == json.dumps(items, ensure_ascii=False, indent=2) + "\n"
