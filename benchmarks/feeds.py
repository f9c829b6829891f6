"""Every feed entry accounted for: feedparser's own test feeds, served from 127.0.0.1 and ingested one by one.

    python benchmarks/feeds.py FEEDPARSER_TESTS [--dirs illformed,encoding,wellformed] [--output FILE]

FEEDPARSER_TESTS is the ``tests/`` folder of kurtmckee/feedparser (ill-formed XML, odd encodings, sanitizer
cases: not committed here). Each file is served from a local HTTP server and ingested as ``tidings ingest URL
--allow-private`` would (``read_urls`` and ``stream.ingest`` into one scratch archive). For every feed the
check is that tidings' tally adds up (entries = added + duplicates + refused) and that its entry count equals
what feedparser itself finds in the file; a file that is not a feed must be one problem naming it. Any
exception is counted as a traceback. Entry links point at hosts that do not resolve here, so most entries
end as problems (their page cannot be fetched, and their own text is too short to stand in) or as articles
from their own content: what is measured is that none goes missing.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import feedparser

from summarization import machine, versions
from tidings.config import Config, FetchConfig
from tidings.ingest import Fetcher
from tidings.ingest.sources import read_urls
from tidings.store import Archive
from tidings.stream import ingest

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "feeds.md"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass
class Outcome:
    """What happened to one file."""

    path: str
    kind: str  # "feed", "not a feed" or "traceback"
    entries: int = 0
    expected: int = 0
    added: int = 0
    duplicates: int = 0
    refused: int = 0
    problems: int = 0
    detail: str = ""

    @property
    def accounted(self) -> bool:
        if self.kind == "not a feed":
            return self.problems == 1 and self.expected == 0
        return self.kind == "feed" and self.entries == self.expected == self.added + self.duplicates + self.refused


def run_one(url: str, path: Path, archive: Archive, fetcher: Fetcher, config: Config) -> Outcome:
    expected = len(feedparser.parse(io.BytesIO(path.read_bytes())).entries)
    try:
        report = ingest(archive, read_urls([url], fetcher, config.ingest, tallies=True), config, summaries=False)
    except Exception:  # noqa: BLE001 - counting them is the point
        return Outcome(str(path), "traceback", expected=expected, detail=traceback.format_exc().splitlines()[-1])
    if not report.feeds:
        return Outcome(str(path), "not a feed", expected=expected, problems=len(report.problems))
    (tally,) = report.feeds.values()
    return Outcome(
        str(path),
        "feed",
        tally.entries,
        expected,
        tally.added,
        tally.duplicates,
        tally.refused,
        len(report.problems),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tests", type=Path, help="feedparser's tests/ folder")
    parser.add_argument("--dirs", default="illformed,encoding,wellformed")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(args.tests)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    fetch = FetchConfig(allow_private=True, connect_timeout=1, read_timeout=2, total_timeout=5, min_host_interval=0)
    config = Config(fetch=fetch)
    outcomes: dict[str, list[Outcome]] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, Archive(Path(tmp) / "feeds.db") as archive, Fetcher(fetch) as fetcher:
        for name in args.dirs.split(","):
            files = sorted(p for p in (args.tests / name).rglob("*") if p.is_file())
            outcomes[name] = [
                run_one(f"{base}/{p.relative_to(args.tests).as_posix()}", p, archive, fetcher, config) for p in files
            ]
    wall = time.perf_counter() - started
    server.shutdown()

    lines = [
        "## Feeds: every entry accounted for",
        "",
        f"- data: feedparser's test feeds (`tests/{{{args.dirs}}}` of kurtmckee/feedparser), served from 127.0.0.1",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {machine()}",
        f"- versions: {versions(['tidings', 'feedparser', 'trafilatura'])}",
        f"- command: `python benchmarks/feeds.py {' '.join(sys.argv[1:]) if argv is None else ' '.join(argv)}`"
        f" ({wall:.0f} s)",
        "",
        "A file is accounted for when tidings' tally of it adds up (entries = added + duplicates + refused, each",
        "refused entry a problem naming the feed and the entry) and its entry count equals feedparser's own",
        "count of the file's entries; a file that is no feed at all must be one problem naming it.",
        "",
        "| folder | files | feeds | not feeds | tracebacks | entries | added | duplicates | refused"
        " | feeds with no entries | accounted for |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, rows in outcomes.items():
        kinds = Counter(o.kind for o in rows)
        feeds = [o for o in rows if o.kind == "feed"]
        lines.append(
            f"| {name} | {len(rows)} | {kinds['feed']} | {kinds['not a feed']} | {kinds['traceback']}"
            f" | {sum(o.entries for o in feeds)} | {sum(o.added for o in feeds)} | {sum(o.duplicates for o in feeds)}"
            f" | {sum(o.refused for o in feeds)} | {sum(1 for o in feeds if not o.entries)}"
            f" | {sum(o.accounted for o in rows)} / {len(rows)} |"
        )
    unaccounted = [o for rows in outcomes.values() for o in rows if not o.accounted]
    if unaccounted:
        lines += ["", "Not accounted for:", ""]
        lines += [
            f"- `{Path(o.path).relative_to(args.tests)}`: {o.kind}, tidings {o.entries} entries "
            f"({o.added} added, {o.duplicates} duplicates, {o.refused} refused), feedparser {o.expected}"
            f"{', ' + o.detail if o.detail else ''}"
            for o in unaccounted[:40]
        ]
    text = "\n".join(lines) + "\n"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return 1 if unaccounted else 0


if __name__ == "__main__":
    sys.exit(main())
