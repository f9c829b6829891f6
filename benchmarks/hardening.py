"""The service under hostile and heavy use, before and after the hardening (issue: the service holds under attack).

Usage: python benchmarks/hardening.py [--articles 10000] [--db PATH] [--before 950d6b2] [--seconds 30]
                                      [--out benchmarks/results]

Four measurements, each side by side with the code before the hardening (a git worktree of ``--before``, run
by the same interpreter; its numbers are capped, since the point of the fixes is that they did not finish):

1. **Search cost** against terms and matches per document, on a copy of the archive with four pages that
   repeat one sentence 100, 1,000, 10,000 and ~11,000 times (1 MB). "before" is the SQL query of ``--before``
   (terms not deduplicated, FTS5's ``snippet()`` in the query), in a child process killed after 60 s (one
   snippet() call cannot be interrupted); "after" is ``Archive.search`` under the server's time budget.
2. **Summarize memory and time against repetition**: ``tidings summarize`` on one page of a repeated
   sentence, 32 KB to 8 MB, each in a fresh process (peak RSS from the kernel), capped at 120 s and 12 GB.
3. **Reads while the worst searches run**: ``tidings serve`` on the archive; 16 clients read stories back to
   back while 4 clients send the worst searches back to back (the same word 125 times, the 1 MB page's words,
   the deepest search page allowed). p50/p99 of the story reads, and what the attackers got.
4. **Two writers**: the server takes posts from 20 clients while a ``tidings ingest`` process adds other
   articles to the same archive. Afterwards: stories whose size differs from their documents, stories that
   mix articles of different synthetic events (against the same articles ingested by one process, in the
   same order of arrival, as a control), and accepted documents lost.

The archive is synthetic (``stories.synthetic``: dev clusters re-issued under new identities), built in a
temporary folder (or ``--db``); the data is licensed: never commit it. Writes benchmarks/results/hardening.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import TOKEN, Connection, build, free_port, load_average, percentile, server_versions, start_server
from stories import DATASETS, synthetic
from summarization import machine
from tidings.evaluate.clusters import read_clusters
from tidings.model import Document
from tidings.store import Archive
from tidings.stream import ingest

ROOT = Path(__file__).resolve().parent.parent
SENTENCE = "The Council approved the bridge plan on Tuesday after a long debate about costs and traffic. "
WORST = "+".join(["the"] * 125)


# -- helpers ---------------------------------------------------------------------------------------------


def before_tree(commit: str, work: Path) -> Path:
    """A checkout of the code before the hardening (a detached git worktree), for side-by-side runs."""
    tree = work / f"tidings-{commit}"
    if not tree.exists():
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(tree), commit], cwd=ROOT, check=True, capture_output=True
        )
    return tree


def drop_tree(tree: Path) -> None:
    subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)


def add_repeated_pages(db: Path) -> dict[int, str]:
    """Pages repeating one sentence n times; returns n -> document id."""
    out = {}
    with Archive(db) as archive:
        for n in (100, 1_000, 10_000, (1 << 20) // len(SENTENCE)):
            doc = Document(id=f"rep{n}", text=SENTENCE * n, url=f"https://repeat.example/{n}", title=f"Repeated {n}")
            ingest(archive, [(doc, None)], summaries=False)
            out[n] = archive.conn.execute("SELECT id FROM documents WHERE url = ?", (doc.url,)).fetchone()[0]
    return out


def old_search(conn: sqlite3.Connection, query: str, limit: int, offset: int) -> list:
    """The search of the code before the hardening, verbatim in effect: every term quoted, none dropped,
    FTS5's snippet() evaluated in the query."""
    match = " ".join(f'"{t}"' for t in query.replace('"', " ").split() if t)
    return conn.execute(
        "SELECT d.id, d.story_id, d.title, snippet(documents_fts, 1, '[', ']', ' … ', 12) AS snip"
        " FROM documents_fts JOIN documents d ON d.rowid = documents_fts.rowid"
        " WHERE documents_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?",
        (match, limit, offset),
    ).fetchall()


def timed(fn, cap: float, conn: sqlite3.Connection) -> str:
    """Time one query of the new code, under the progress-handler budget the server uses."""
    deadline = time.monotonic() + cap
    conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 20_000)
    start = time.perf_counter()
    try:
        fn()
    except sqlite3.OperationalError as exc:
        if "interrupted" not in str(exc):
            raise
        return f"> {cap:.0f} s (stopped)"
    finally:
        conn.set_progress_handler(None, 0)
    return f"{(time.perf_counter() - start) * 1000:,.0f} ms"


def _old_search_child(db: str, query: str, offset: int) -> None:
    with sqlite3.connect(db) as conn:
        old_search(conn, query, 21, offset)


def timed_old(db: Path, query: str, offset: int, cap: float) -> str:
    """Time the old query in a child process, killed at ``cap``: FTS5's snippet() runs inside one SQLite
    instruction, where no progress handler (the server's time budget) can interrupt it."""
    child = multiprocessing.get_context("spawn").Process(target=_old_search_child, args=(str(db), query, offset))
    start = time.perf_counter()
    child.start()
    child.join(cap)
    if child.is_alive():
        child.kill()
        child.join()
        return f"> {cap:.0f} s (killed)"
    return f"{(time.perf_counter() - start) * 1000:,.0f} ms (incl. ~0.1 s process start)"


# -- 1. search -------------------------------------------------------------------------------------------


def search_costs(db: Path) -> list[str]:
    queries = [
        ("1 term, matches most documents", "the", 0),
        ("the same word 10 times", " ".join(["the"] * 10), 0),
        ("the same word 125 times", " ".join(["the"] * 125), 0),
        ("12 distinct common words", "the of and to in for on that with said was from", 0),
        ("2 words of the repeated pages", "Council bridge", 0),
        ("1 term, result 981 (deepest page)", "the", 980),
        ("1 term, result 19,981 (page 1,000 before)", "the", 19_980),
    ]
    rows = ["| query | before | after |", "|---|---:|---:|"]
    with Archive(db) as archive:
        conn = archive.conn
        for label, query, offset in queries:
            before = timed_old(db, query, offset, 60)
            if offset > 1000:
                after = "refused (422): at most 1,000 results"
            else:
                after = timed(lambda q=query, o=offset: archive.search(q, limit=21, offset=o), 30, conn)
            rows.append(f"| {label} | {before} | {after} |")
    return rows


# -- 2. summarize memory ---------------------------------------------------------------------------------


def summarize_cost(tree: Path | None, path: Path, cap_s: float = 120, cap_bytes: int = 12 << 30) -> str:
    env = {**os.environ, "PYTHONPATH": str((tree or ROOT) / "src")}

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap_bytes, cap_bytes))

    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from tidings.cli import main; main()", "summarize", str(path), "-f", "json"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=limits,
    )
    try:
        _, err = proc.communicate(timeout=cap_s)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return f"> {cap_s:.0f} s (stopped)"
    took = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child so far, MiB
    if proc.returncode != 0:
        tail = err.decode(errors="replace").strip().splitlines()[-1:] or ["?"]
        return f"failed after {took:.0f} s: {tail[0][:60]}"
    return f"{took:.1f} s, {peak:,.0f} MiB"


def summarize_costs(tree: Path, work: Path) -> list[str]:
    rows = ["| repeated text | before | after |", "|---|---:|---:|"]
    for kb in (32, 256, 512, 1024, 8192):
        path = work / f"repeat-{kb}.txt"
        path.write_text(SENTENCE * (kb * 1024 // len(SENTENCE)), encoding="utf-8")
        after = _isolated(None, path)
        before = _isolated(tree, path)
        rows.append(f"| {kb:,} KB | {before} | {after} |")
    return rows


def _isolated(tree: Path | None, path: Path) -> str:
    """summarize_cost in a fresh intermediate process, so the peak RSS read is this run's alone."""
    where = f"Path({str(tree)!r})" if tree else "None"
    code = (
        f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); from hardening import summarize_cost;"
        f" from pathlib import Path; print(summarize_cost({where}, Path({str(path)!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=400)
    return out.stdout.strip() or f"error: {out.stderr.strip()[-200:]}"


# -- 3. reads under attack -------------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[str, dict[int, int]] = field(default_factory=dict)

    def record(self, kind: str, status: int, seconds: float) -> None:
        self.latencies.setdefault(kind, []).append(seconds)
        counts = self.statuses.setdefault(kind, {})
        counts[status] = counts.get(status, 0) + 1


async def _loop(conn: Connection, kind: str, paths: list[str], tally: Tally, until: float, rng: random.Random) -> None:
    while time.monotonic() < until:
        path = rng.choice(paths)
        start = time.perf_counter()
        try:
            status, _ = await conn.request("GET", path)
        except (OSError, asyncio.IncompleteReadError):
            status = 0
        tally.record(kind, status, time.perf_counter() - start)


async def _attack(port: int, ids: list[int], seconds: float, attackers: int, readers: int) -> Tally:
    tally = Tally()
    conns = [Connection("127.0.0.1", port) for _ in range(attackers + readers)]
    for conn in conns:
        await conn.request("GET", "/api/status")
    until = time.monotonic() + seconds
    attacks = [f"/api/search?q={WORST}", "/search?q=Council+bridge", "/search?q=the&page=50", f"/search?q={WORST}"]
    stories = [f"/stories/{i}" for i in ids[:2000]] + [f"/api/stories/{i}" for i in ids[:2000]]
    tasks = [_loop(conns[i], "worst searches", attacks, tally, until, random.Random(i)) for i in range(attackers)]
    tasks += [
        _loop(conns[i], "story reads", stories, tally, until, random.Random(i)) for i in range(attackers, len(conns))
    ]
    await asyncio.gather(*tasks)
    return tally


def reads_under_attack(db: Path, work: Path, seconds: float) -> list[str]:
    run_db = work / "attack.db"
    shutil.copyfile(db, run_db)
    with Archive(run_db) as archive:
        ids = [r[0] for r in archive.conn.execute("SELECT id FROM stories WHERE merged_into IS NULL ORDER BY id")]
    port = free_port()
    server = start_server(run_db, port, work / "attack.log")
    try:
        tally = asyncio.run(_attack(port, ids, seconds, attackers=4, readers=16))
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
    rows = ["| requests | count | p50 (ms) | p99 (ms) | max (ms) | statuses |", "|---|---:|---:|---:|---:|---|"]
    for kind, values in tally.latencies.items():
        statuses = ", ".join(f"{s}: {n:,}" for s, n in sorted(tally.statuses[kind].items()))
        rows.append(
            f"| {kind} | {len(values):,} | {percentile(values, 0.5) * 1000:.1f} | {percentile(values, 0.99) * 1000:.1f}"
            f" | {max(values) * 1000:.1f} | {statuses} |"
        )
    return rows


# -- 4. two writers ----------------------------------------------------------------------------------------


def _articles(data: Path, skip: int, count: int) -> list[tuple[dict, int]]:
    clusters = [c for name in DATASETS for c in read_clusters(data / name)]
    out = []
    for i, (doc, gold) in enumerate(synthetic(clusters, skip + count, seed=7)):
        if i >= skip:
            published = doc.published.isoformat() if doc.published else None
            record = {"text": doc.text, "title": doc.title, "url": doc.url + "?w", "published": published}
            out.append((record, gold))
    return out


async def _post(port: int, records: list[dict], clients: int) -> tuple[list[str], dict[str, int]]:
    """Post every record, one per request; the ids accepted, and what became of each (status: reason)."""
    accepted: list[str] = []
    outcomes: dict[str, int] = {}
    auth = f"Authorization: Bearer {TOKEN}\r\n"
    queue = list(reversed(records))

    async def one(conn: Connection) -> None:
        while queue:
            record = queue.pop()
            status, payload = await conn.request("POST", "/api/documents", json.dumps(record).encode(), auth)
            body = json.loads(payload)
            if status in (200, 201):
                accepted.extend(r["id"] for r in body["results"] if r["id"])
            reason = ((body.get("results") or [{}])[0].get("reason") or body.get("error") or "").split(" (")[0]
            key = f"{status}" + (f": {reason[:60]}" if status not in (200, 201) else "")
            outcomes[key] = outcomes.get(key, 0) + 1

    await asyncio.gather(*(one(Connection("127.0.0.1", port)) for _ in range(clients)))
    return accepted, outcomes


def _mixing(archive: Archive, gold: dict[str, int]) -> tuple[int, int, int]:
    """(stories whose size differs from their documents, stories holding articles of 2+ synthetic events,
    stories with any of the run's articles)."""
    wrong_size = archive.conn.execute(
        "SELECT COUNT(*) FROM stories s WHERE merged_into IS NULL"
        " AND size != (SELECT COUNT(*) FROM documents d WHERE d.story_id = s.id)"
    ).fetchone()[0]
    events: dict[int, set[int]] = {}
    for url, story in archive.conn.execute("SELECT url, story_id FROM documents WHERE url LIKE '%?w'"):
        events.setdefault(story, set()).add(gold[url])
    return wrong_size, sum(len(e) > 1 for e in events.values()), len(events)


def _when(record: dict) -> datetime | None:
    return datetime.fromisoformat(record["published"]) if record["published"] else None


def two_writers(db: Path, data: Path, work: Path, n: int, clients: int = 20) -> list[str]:
    articles = _articles(data, n + 6000, 2000)  # beyond what the archive and the attack run hold
    gold = {a["url"]: g for a, g in articles}
    api, cli = [a for i, (a, _) in enumerate(articles) if i % 2 == 0], [a for i, (a, _) in enumerate(articles) if i % 2]
    run_db, control_db = work / "writers.db", work / "control.db"
    shutil.copyfile(db, run_db)
    shutil.copyfile(db, control_db)
    jsonl = work / "cli.jsonl"
    jsonl.write_text("".join(json.dumps(a) + "\n" for a in cli), encoding="utf-8")
    port = free_port()
    server = start_server(run_db, port, work / "writers.log")
    try:
        ingest_cmd = [
            sys.executable,
            "-c",
            "from tidings.cli import main; main()",
            "ingest",
            str(jsonl),
            "--db",
            str(run_db),
        ]
        started = time.perf_counter()
        cli_proc = subprocess.Popen(ingest_cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        accepted, outcomes = asyncio.run(_post(port, api, clients))
        cli_proc.wait(timeout=1800)
        took = time.perf_counter() - started
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=120)
    with Archive(run_db) as archive:
        lost = sum(archive.document(d) is None for d in set(accepted))
        wrong, mixed, touched = _mixing(archive, gold)
        cli_docs = archive.conn.execute(  # a JSONL record's path is its file:line
            "SELECT COUNT(*) FROM documents WHERE path = ? OR path LIKE ?", (str(jsonl), f"{jsonl}:%")
        ).fetchone()[0]
    with Archive(control_db) as archive:  # one writer, the same articles interleaved as they would arrive
        order = [a for pair in zip(api, cli, strict=False) for a in pair]
        docs = [
            (Document(id=a["url"], text=a["text"], title=a["title"], url=a["url"], published=_when(a)), None)
            for a in order
        ]
        ingest(archive, docs, summaries=False)
        c_wrong, c_mixed, c_touched = _mixing(archive, gold)
    return [
        f"- {len(api):,} articles posted by {clients} clients (one per request) while `tidings ingest` added"
        f" {len(cli):,} others from a JSONL file to the same archive: {took:.0f} s",
        f"- answers to the posts: {'; '.join(f'{k} × {n:,}' for k, n in sorted(outcomes.items()))}",
        f"- accepted by the API: {len(set(accepted)):,}; ingested by the CLI: {cli_docs:,} of {len(cli):,};"
        f" **accepted documents lost: {lost}**",
        f"- **stories whose size differs from their documents: {wrong}** (before the fix: 3,625 of 5,163 after a"
        " mixed CLI + 20-client API run, as reported in the issue)",
        f"- stories holding articles of two or more synthetic events: **{mixed} of {touched}** stories with the run's"
        f" articles; control (the same articles through one writer): {c_mixed} of {c_touched} (wrong sizes: {c_wrong})."
        " What remains is the clustering's own error rate, not the writers'.",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "summarization-dev")
    parser.add_argument("--db", type=Path, help="Build the archive here (or reuse it); default: a temporary folder.")
    parser.add_argument("--before", default="950d6b2", help="The commit to compare with.")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--sections", default="1,2,3,4", help="Which measurements to run (a rerun of some).")
    parser.add_argument("--name", default="hardening.md", help="The results file's name in --out.")
    args = parser.parse_args()
    chosen = {int(s) for s in args.sections.split(",")}

    work = Path(tempfile.mkdtemp(prefix="tidings-hardening-"))
    tree = before_tree(args.before, work)
    load_before = load_average()
    try:
        db = args.db or work / "base.db"
        built = "reused"
        if not db.exists():
            took_ingest, took_summaries = build(db, args.data, args.articles)
            built = f"built in {took_ingest:.0f} s (ingest) + {took_summaries:.0f} s (summaries)"
        attacked = work / "attacked.db"
        shutil.copyfile(db, attacked)
        add_repeated_pages(attacked)
        with Archive(attacked) as archive:
            n_docs, n_stories = archive.count_documents(), archive.count_stories()
        runs = {
            1: ("1. Search time against terms and matches per document (in process)", lambda: search_costs(attacked)),
            2: (
                "2. `tidings summarize` on one page of a repeated sentence (fresh process each)",
                lambda: summarize_costs(tree, work),
            ),
            3: (
                f"3. Story reads while the worst searches run (`tidings serve`, {args.seconds:.0f} s)",
                lambda: reads_under_attack(attacked, work, args.seconds),
            ),
            4: (
                "4. Two writers on one archive (`tidings serve` + `tidings ingest`)",
                lambda: two_writers(db, args.data, work, args.articles),
            ),
        }
        sections = {title: run() for n, (title, run) in runs.items() if n in chosen}
    finally:
        drop_tree(tree)
        shutil.rmtree(work, ignore_errors=True)
    lines = [
        "## The service under hostile and heavy use",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {machine()}",
        f"- versions: {server_versions()}",
        f"- command: `python benchmarks/hardening.py {' '.join(sys.argv[1:])}`".replace(" `", "`"),
        f"- archive: {n_docs:,} synthetic articles in {n_stories:,} stories ({built}), plus four pages repeating"
        " one sentence 100 to ~11,000 times",
        f"- before = commit {args.before} (the code the issue was reported on), run by the same interpreter",
        f"- machine load average (1, 5, 15 min) at the start / end: {load_before} / {load_average()}"
        " (other work shared the two cores: latencies are upper bounds)",
        "",
    ]
    for title, rows in sections.items():
        lines += [f"### {title}", "", *rows, ""]
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / args.name).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
