"""Load test of `tidings serve` on loopback: concurrent readers and writers against a real uvicorn server.

Usage: python benchmarks/load.py [--articles 10000] [--clients 50] [--writers 2] [--seconds 60] [--think 0,0.25]
                                 [--data ../shared/data/summarization-dev] [--db PATH] [--out benchmarks/results]

The archive is built at benchmark time from synthetic articles (`stories.synthetic()`: dev clusters re-issued
under new identities, 500 articles a day), with every story's summary cached as `tidings ingest` leaves it;
the data is licensed, so the archive goes to a temporary folder (or to --db, to reuse it between runs; never
commit it). The server runs as `tidings serve` in its own process (one uvicorn process, the background worker
on). For --seconds, --clients concurrent clients run in this process (asyncio, keep-alive HTTP/1.1): --writers
of them post new articles back to back, the others read back to back:

- story reads: a story page (`/stories/{id}`) or the API's story (`/api/stories/{id}`), ids drawn at random,
- front pages (`/`, the ranked current window, and `/api/stories?offset=...`) and searches (`/api/search`).

With --think T each client pauses a random 0..2T seconds between requests (people reading); without, the
clients are closed-loop and the latency is mostly queueing (Little's law: clients / throughput).

Reported: requests/s, p50/p99 latency per kind, the number of 5xx answers (must be 0), and whether every
accepted document is in the archive afterwards (read back through a fresh connection after the server
stopped). Writes benchmarks/results/load.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

from tidings.config import Config
from tidings.evaluate.clusters import read_clusters
from tidings.store import Archive
from tidings.stream import ingest, story_summary

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stories import DATASETS, synthetic
from summarization import machine, versions

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "load-test-token-0123456789"
VERSIONS = ["tidings", "fastapi", "starlette", "uvicorn", "uvloop", "httptools", "pydantic"]


def server_versions() -> str:
    import sqlite3

    return versions(VERSIONS) + f", SQLite {sqlite3.sqlite_version}"


# -- the archive -----------------------------------------------------------------------------------------


def _summarize(args: tuple[str, list[int]]) -> int:
    path, ids = args
    with Archive(path) as archive:
        for story_id in ids:
            story_summary(archive, story_id)
    return len(ids)


def build(db: Path, data: Path, n: int) -> tuple[float, float]:
    """Ingest n synthetic articles, then cache every story's summary (two processes); returns both times."""
    clusters = [c for name in DATASETS for c in read_clusters(data / name)]
    start = time.perf_counter()
    with Archive(db) as archive:
        ingest(archive, ((d, None) for d, _ in synthetic(clusters, n)), Config(), summaries=False, workers=2)
        stale = archive.stale_stories()
    took_ingest = time.perf_counter() - start
    start = time.perf_counter()
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_summarize, [(str(db), stale[i::8]) for i in range(8)]))
    return took_ingest, time.perf_counter() - start


def extra_articles(data: Path, n: int, count: int) -> list[dict]:
    """Articles for the writers: the synthetic stream continued past the archive's n."""
    clusters = [c for name in DATASETS for c in read_clusters(data / name)]
    out = []
    for i, (doc, _) in enumerate(synthetic(clusters, n + count)):
        if i >= n:
            published = doc.published.isoformat() if doc.published else None
            out.append({"text": doc.text, "title": doc.title, "url": doc.url + "?load", "published": published})
    return out


# -- the server ------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "TIDINGS_TOKEN": TOKEN}
    cmd = [sys.executable, "-c", "from tidings.cli import main; main()", "serve", "--db", str(db), "--port", str(port)]
    with log.open("w") as sink:  # the child keeps its own descriptor
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=sink)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            status = httpx.get(f"http://127.0.0.1:{port}/api/status", timeout=2)
            if status.status_code == 200 and status.json()["ready"]:  # story index loaded, compute process up
                return proc
            time.sleep(0.2)
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"server did not start: {log.read_text()[-2000:]}")


def cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU time (user + system) of a process, and of its living children, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")

    def one(p: int | str) -> float:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / ticks

    children: set[str] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):  # a child belongs to the thread that started it
        try:
            children.update((task / "children").read_text().split())
        except OSError:
            continue
    return one(pid), sum(one(c) for c in children)


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


# -- the clients -----------------------------------------------------------------------------------------


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)
    accepted: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def record(self, kind: str, status: int, seconds: float) -> None:
        self.latencies.setdefault(kind, []).append(seconds)
        self.statuses[status] = self.statuses.get(status, 0) + 1


class Connection:
    """One keep-alive HTTP/1.1 connection, hand-rolled: about a tenth of httpx's CPU per request, so the
    clients (which share the machine with the server) take as little of it as possible."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes = b"", headers: str = "") -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\n{headers}"
        if body:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.writer.write(head.encode() + b"\r\n" + body)
        try:
            status_line = await self.reader.readuntil(b"\r\n")
            raw_headers = await self.reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            self.writer = None
            raise
        length = 0
        for line in raw_headers.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        payload = await self.reader.readexactly(length)
        return int(status_line.split()[1]), payload


async def reader(
    conn: Connection, ids: list[int], tally: Tally, until: float, rng: random.Random, think: float
) -> None:
    while time.monotonic() < until:
        roll = rng.random()
        if roll < 0.4:
            kind, url = "story page", f"/stories/{rng.choice(ids)}"
        elif roll < 0.8:
            kind, url = "story API", f"/api/stories/{rng.choice(ids)}"
        elif roll < 0.87:
            kind, url = "front page", "/"
        elif roll < 0.93:
            kind, url = "story list API", f"/api/stories?offset={rng.randrange(0, 2000)}"
        else:
            kind, url = "search API", f"/api/search?q={rng.choice(['president', 'election', 'storm', 'court'])}"
        start = time.perf_counter()
        try:
            status, _ = await conn.request("GET", url)
        except (OSError, asyncio.IncompleteReadError) as exc:
            tally.failures.append(f"{url}: {exc!r}")
            continue
        tally.record(kind, status, time.perf_counter() - start)
        if think:
            await asyncio.sleep(rng.uniform(0, 2 * think))


async def writer(conn: Connection, articles: list[dict], tally: Tally, until: float, think: float) -> None:
    auth = f"Authorization: Bearer {TOKEN}\r\n"
    while articles and time.monotonic() < until:
        article = articles.pop()
        start = time.perf_counter()
        try:
            status, payload = await conn.request("POST", "/api/documents", json.dumps(article).encode(), auth)
        except (OSError, asyncio.IncompleteReadError) as exc:
            tally.failures.append(f"POST {article['url']}: {exc!r}")
            continue
        tally.record("post", status, time.perf_counter() - start)
        if status in (200, 201):
            tally.accepted += [r["id"] for r in json.loads(payload)["results"] if r["id"]]
        else:
            tally.refused.append(article["url"])
        if think:
            await asyncio.sleep(random.uniform(0, 2 * think))


async def drive(
    port: int, ids: list[int], articles: list[dict], clients: int, writers: int, seconds: float, think: float
) -> Tally:
    tally = Tally()
    conns = [Connection("127.0.0.1", port) for _ in range(clients)]
    for conn in conns:  # warm up: connections, and the server's per-thread SQLite connections
        await conn.request("GET", "/api/status")
    until = time.monotonic() + seconds
    tasks = [writer(conns[i], articles, tally, until, think) for i in range(writers)]
    tasks += [reader(conns[i], ids, tally, until, random.Random(i), think) for i in range(writers, clients)]
    await asyncio.gather(*tasks)
    for conn in conns:
        if conn.writer is not None:
            conn.writer.close()
    return tally


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def report(tally: Tally, seconds: float, lost: int, kept: int) -> list[str]:
    total = sum(len(v) for v in tally.latencies.values())
    rows = [
        "| requests | count | requests/s | p50 (ms) | p99 (ms) | max (ms) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    groups = {**tally.latencies, "story reads (page + API)": tally.latencies.get("story page", [])}
    groups["story reads (page + API)"] = groups["story reads (page + API)"] + tally.latencies.get("story API", [])
    for kind, values in groups.items():
        rows.append(
            f"| {kind} | {len(values):,} | {len(values) / seconds:.1f} | {percentile(values, 0.5) * 1000:.1f} "
            f"| {percentile(values, 0.99) * 1000:.1f} | {max(values, default=0) * 1000:.1f} |"
        )
    errors = sum(n for status, n in tally.statuses.items() if status >= 500)
    rows += [
        "",
        f"- all requests: {total:,} in {seconds:.0f} s = **{total / seconds:.0f} requests/s**",
        f"- statuses: {', '.join(f'{s}: {n:,}' for s, n in sorted(tally.statuses.items()))}; **5xx: {errors}**;"
        f" connection failures: {len(tally.failures)}",
        f"- documents accepted by POST: {len(tally.accepted):,}; found in the archive afterwards: {kept:,}; "
        f"**lost: {lost}**",
    ]
    return rows


@dataclass
class Run:
    think: float
    tally: Tally
    lost: int
    kept: int
    integrity: str
    load: tuple[str, str]
    cpu: tuple[float, float, float]  # server, its compute processes, clients


def scenario(db: Path, work: Path, args: argparse.Namespace, think: float) -> Run:
    """One run against a fresh copy of the archive and a fresh server."""
    run_db = work / f"run-{think:g}.db"
    shutil.copyfile(db, run_db)  # the run writes: keep the built archive as it was
    with Archive(run_db) as archive:
        ids = [r[0] for r in archive.conn.execute("SELECT id FROM stories WHERE merged_into IS NULL")]
    articles = extra_articles(args.data, args.articles, 5000)
    port = free_port()
    log = work / f"server-{think:g}.log"
    server = start_server(run_db, port, log)
    try:
        load_before = load_average()
        server_cpu, client_cpu = cpu_seconds(server.pid), time.process_time()
        tally = asyncio.run(drive(port, ids, articles, args.clients, args.writers, args.seconds, think))
        after = cpu_seconds(server.pid)
        cpu = (after[0] - server_cpu[0], after[1] - server_cpu[1], time.process_time() - client_cpu)
        load_after = load_average()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
        problems = [line for line in log.read_text().splitlines() if "ERROR" in line or "Traceback" in line]
        if problems:
            print("server errors:", *problems[:20], sep="\n")
    with Archive(run_db) as archive:
        kept = sum(archive.document(doc_id) is not None for doc_id in set(tally.accepted))
        integrity = archive.conn.execute("PRAGMA integrity_check").fetchone()[0]
    return Run(think, tally, len(set(tally.accepted)) - kept, kept, integrity, (load_before, load_after), cpu)


def section(run: Run, args: argparse.Namespace) -> list[str]:
    pace = f"pausing {run.think:g} s on average between requests" if run.think else "back to back (no think time)"
    total = sum(len(v) for v in run.tally.latencies.values())
    return [
        f"### {args.clients} clients, {pace}",
        "",
        f"- {args.writers} clients post new articles, {args.clients - args.writers} read, for {args.seconds:.0f} s",
        f"- machine load average (1, 5, 15 min) before / after: {run.load[0]} / {run.load[1]}",
        f"- archive integrity after the run: {run.integrity}",
        "",
        *report(run.tally, args.seconds, run.lost, run.kept),
        f"- CPU over the {args.seconds:.0f} s: server {run.cpu[0]:.1f} s ({1000 * run.cpu[0] / max(1, total):.2f} ms"
        f" per request), its compute processes {run.cpu[1]:.1f} s (cleaning posts, summaries, analyses),"
        f" clients {run.cpu[2]:.1f} s",
        "",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--think", default="0,0.25", help="Mean pauses of a client between requests (s), one run each, e.g. 0,0.25."
    )
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "summarization-dev")
    parser.add_argument("--db", type=Path, help="Build the archive here (or reuse it); default: a temporary folder.")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args()

    tmp = None if args.db else Path(tempfile.mkdtemp(prefix="tidings-load-"))
    db = args.db or tmp / "load.db"  # type: ignore[operator]
    work = Path(tempfile.mkdtemp(prefix="tidings-load-run-"))
    try:
        built = "reused"
        if not db.exists():
            took_ingest, took_summaries = build(db, args.data, args.articles)
            built = f"built in {took_ingest:.0f} s (ingest) + {took_summaries:.0f} s (summaries, 2 processes)"
        print(f"archive {db}: {built}", flush=True)
        with Archive(db) as archive:
            n_docs, n_stories = archive.count_documents(), archive.count_stories()
        runs = []
        for think in [float(t) for t in args.think.split(",") if t.strip()]:
            runs.append(scenario(db, work, args, think))
            print("\n".join(section(runs[-1], args)), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    lines = [
        "## Service under load (`tidings serve` on loopback)",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {machine()}",
        f"- versions: {server_versions()}",
        f"- command: `python benchmarks/load.py {' '.join(sys.argv[1:])}`".replace(" `", "`"),
        f"- archive: {n_docs:,} synthetic articles in {n_stories:,} stories, every summary cached ({built})",
        "- clients: asyncio in one process, keep-alive HTTP/1.1; server: `tidings serve` (one uvicorn process with"
        " its worker thread, and its compute processes); all on the same 2 cores, shared with whatever else runs",
        "",
    ]
    for run in runs:
        lines += section(run, args)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "load.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {args.out / 'load.md'}")


if __name__ == "__main__":
    main()
