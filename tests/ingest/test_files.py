import json

from tidings.config import IngestConfig
from tidings.ingest import expand_inputs, load
from tidings.ingest.files import count_records
from tidings.pipeline import prepare
from tidings.progress import record_counter

ARTICLE = (
    "Bridge to reopen\n\nThe city's main harbour bridge will reopen to traffic on Monday after a three-week closure "
    "for emergency repairs, the transport ministry said on Friday. Engineers found cracks in two steel supports.\n"
)


def test_directory_expands_to_supported_files(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.html").write_text("<html><body><article><p>" + ARTICLE + "</p></article></body></html>")
    (tmp_path / "notes.md").write_text("ignored")
    files, problems = expand_inputs([tmp_path])
    assert [f.name for f in files] == ["a.txt", "b.html"]
    assert problems == []


def test_missing_and_empty_directory(tmp_path):
    (tmp_path / "empty").mkdir()
    _, problems = expand_inputs([tmp_path / "nope.txt", tmp_path / "empty"])
    reasons = [p.reason for p in problems]
    assert "no such file or directory" in reasons
    assert any("directory has no" in r for r in reasons)


def test_bad_inputs_become_problems_and_good_ones_survive(tmp_path):
    (tmp_path / "good.txt").write_text(ARTICLE)
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blank.txt").write_text("   \n\n  ")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "noarticle.html").write_text("<html><head><title>Login</title></head><body><form></form></body></html>")
    (tmp_path / "latin1.txt").write_bytes(ARTICLE.replace("city's", "cité's").encode("cp1252"))
    loaded = load([tmp_path])
    by_input = {p.input.rsplit("/", 1)[-1]: p.reason for p in loaded.problems}
    assert by_input["empty.txt"] == "empty file"
    assert by_input["blank.txt"] == "empty file"
    assert "binary" in by_input["binary.txt"]
    assert "no article" in by_input["noarticle.html"]
    assert sorted(d.id for d in loaded.documents) == ["good", "latin1"]
    assert "cité's" in next(d for d in loaded.documents if d.id == "latin1").text


def test_size_cap_refuses_without_reading(tmp_path):
    big = tmp_path / "huge.txt"
    with big.open("wb") as f:
        f.seek(3 * 1024 * 1024)
        f.write(b"x")
    loaded = load([big], IngestConfig(max_bytes=1024 * 1024))
    assert loaded.documents == []
    assert "too large" in loaded.problems[0].reason


def test_jsonl_documents_and_bad_lines(tmp_path):
    path = tmp_path / "docs.jsonl"
    lines = [
        json.dumps(
            {
                "text": ARTICLE,
                "title": "Bridge",
                "url": "https://x.example/1",
                "source": "Daily",
                "published": "2024-03-12",
            }
        ),
        "{not json",
        json.dumps({"title": "no text"}),
        "",
        json.dumps({"id": "custom", "text": ARTICLE}),
    ]
    path.write_text("\n".join(lines))
    loaded = load([path])
    assert [d.id for d in loaded.documents] == ["docs-1", "custom"]
    first = loaded.documents[0]
    assert (first.title, first.url, first.outlet) == ("Bridge", "https://x.example/1", "Daily")
    assert first.published.date().isoformat() == "2024-03-12"
    assert [p.input.rsplit(":", 1)[-1] for p in loaded.problems] == ["2", "3"]
    assert "invalid JSON" in loaded.problems[0].reason
    assert first.path == f"{path}:1"  # a record's provenance is its line


def test_a_dataset_cluster_line_gives_each_of_its_articles(tmp_path):
    path = tmp_path / "clusters.jsonl"
    cluster = {
        "id": "mn-7",
        "summary": "The harbour bridge reopens on Monday.",
        "articles": [
            {"title": "Bridge to reopen", "text": ARTICLE, "url": "https://x.example/a", "time": "2024-03-12"},
            {"title": "no text here"},
            {"text": ARTICLE.replace("Monday", "Tuesday")},
        ],
    }
    path.write_text(json.dumps(cluster) + "\n" + json.dumps({"id": "plain", "text": ARTICLE}) + "\n")
    loaded = load([path])
    assert [d.id for d in loaded.documents] == ["mn-7/0", "mn-7/2", "plain"]  # as the evaluation names them
    assert loaded.documents[0].published.date().isoformat() == "2024-03-12"
    assert loaded.documents[0].title == "Bridge to reopen"
    (problem,) = loaded.problems
    assert problem.input.startswith(f"{path}:1 article 1") and "text" in problem.reason


def test_problems_with_jsonl_records_name_the_line_and_the_record(tmp_path):
    path = tmp_path / "all.jsonl"
    records = [
        {"id": "r1", "text": ARTICLE},
        {"id": "r2", "text": "Too short.", "url": "https://x.example/2"},
        {"id": "r3", "text": "Too short as well."},
        {"text": "<html><body><nav>Home</nav></body></html>"},
        {"id": 4, "title": "no text"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records))
    loaded = load([path])
    prepared = prepare(loaded.documents)
    problems = [str(p) for p in loaded.problems + prepared.problems]
    assert problems == [
        f"{path}:4: no article text found in the HTML page",
        f'{path}:5 (id 4): expected an object with a "text" string',
        f"{path}:2 (https://x.example/2): no article text after removing boilerplate (2 words left)",
        f"{path}:3 (id r3): no article text after removing boilerplate (4 words left)",
    ]


def test_duplicate_stems_get_unique_ids(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "story.txt").write_text(ARTICLE)
    (tmp_path / "b" / "story.txt").write_text(ARTICLE)
    ids = [d.id for d in load([tmp_path]).documents]
    assert ids == ["story", "story-2"]


def test_jsonl_script_urls_are_dropped_and_reported(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"text": ARTICLE, "url": "javascript:alert(1)"}) + "\n")
    loaded = load([path])
    [doc] = loaded.documents
    assert doc.url is None
    [problem] = loaded.problems
    assert problem.input.endswith(":1") and "url dropped" in problem.reason and "javascript" in problem.reason


def test_count_records_for_the_progress_bar(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b.jsonl").write_text("{}\n{}\n{}\n")
    assert count_records([tmp_path]) == 4
    assert count_records(["-"]) is None  # stdin: unknown ahead
    assert count_records([tmp_path / "missing.txt"]) == 1  # reported as one problem


def test_record_counter_is_quiet_when_piped(capsys):
    with record_counter("reading", 100) as advance:
        for _ in range(100):
            advance()
    assert capsys.readouterr().err == ""


def test_deferred_reads_make_the_same_documents_and_problems_in_another_process(tmp_path):
    # An ingest's reader defers making Documents to its workers: the same Documents, and a page with no article
    # is a problem that names its line, whichever process made it.
    import pickle
    from concurrent.futures import ProcessPoolExecutor

    from tidings.ingest import iter_inputs
    from tidings.ingest.files import Unread

    path = tmp_path / "all.jsonl"
    records = [
        {"id": "r1", "text": ARTICLE, "published": "2019-04-17"},
        {"text": "<html><body><nav>Home</nav></body></html>"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records))
    (tmp_path / "b.html").write_text("<html><body><article><p>" + ARTICLE + "</p></article></body></html>")
    inputs = [path, tmp_path / "b.html"]
    deferred = list(iter_inputs(inputs, defer=True))
    assert all(isinstance(item, Unread) for item in deferred)
    with ProcessPoolExecutor(1) as pool:
        made = list(pool.map(Unread.read, deferred))
    direct = list(iter_inputs(inputs))
    assert [pickle.dumps(m) for m in made] == [pickle.dumps(d) for d in direct]
    assert str(made[1]) == f"{path}:2: no article text found in the HTML page"
    assert made[0].document.published is not None and made[2].document.format == "html"
