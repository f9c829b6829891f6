"""The ``tidings`` command line: wiring only, every decision lives in the library.

User errors (a missing file, a bad option, nothing usable) print one line
on stderr and exit non-zero; a traceback means a bug.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tidings.config import Config
from tidings.errors import TidingsError
from tidings.processes import one_blas_thread

if TYPE_CHECKING:
    from tidings.model import Summary

app = typer.Typer(
    name="tidings",
    help="Turn a pile of news articles into stories a person can trust.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

ConfigOption = Annotated[
    Path | None, typer.Option("--config", "-c", help="TOML file with settings (see README).", dir_okay=False)
]


def _err(message: str) -> None:
    typer.echo(f"tidings: {message}", err=True)


def _load_config(path: Path | None) -> Config:
    return Config.from_toml(path) if path else Config()


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    tmp = output.with_name(f".{output.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(output)  # atomic: a reader never sees half a file


@app.command()
def summarize(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories or - for stdin (.txt, .html, .jsonl).")],
    words: Annotated[int | None, typer.Option("--words", "-w", help="Length budget in words.", min=1)] = None,
    sentences: Annotated[
        int | None, typer.Option("--sentences", "-s", help="Length budget in sentences.", min=1)
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, text, json or html.")] = "md",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            help="Processes reading, cleaning and splitting articles (default: CPU cores, at most 4).",
            min=1,
        ),
    ] = min(4, os.cpu_count() or 1),
    config: ConfigOption = None,
) -> None:
    """Summarize articles about one event; every sentence cites its sources."""
    from tidings.pipeline import summarize_paths
    from tidings.render import FORMATS, render

    if fmt not in FORMATS:
        raise typer.BadParameter(f"choose from {', '.join(FORMATS)}", param_hint="--format")
    if words is not None and sentences is not None:
        raise typer.BadParameter("give one length budget: --words or --sentences, not both", param_hint="--sentences")
    cfg = _load_config(config)
    if words is not None or sentences is not None:
        cfg = cfg.with_summarize(words=words, sentences=sentences)
        if sentences is not None and words is None:
            cfg = Config(cfg.ingest, cfg.dedup, _without_word_budget(cfg))
    result = summarize_paths(inputs, cfg, workers=workers)
    for problem in result.problems:
        _err(str(problem))
    if not result.documents:
        _err("nothing could be summarized")
        raise typer.Exit(1)
    _write(render(result, fmt), output)


def _without_word_budget(cfg: Config):
    from dataclasses import replace

    return replace(cfg.summarize, words=None)


@app.command()
def clean(
    file: Annotated[str, typer.Argument(help="A .txt, .html or .jsonl file, or - for stdin.")],
    explain: Annotated[
        bool, typer.Option("--explain", help="Show every line with the reason it was kept or dropped.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON: the body, metadata and line verdicts.")] = False,
    config: ConfigOption = None,
) -> None:
    """Print the article body without the boilerplate."""
    from tidings.clean import clean_document
    from tidings.ingest import load

    cfg = _load_config(config)
    loaded = load([file], cfg.ingest)
    for problem in loaded.problems:
        _err(str(problem))
    if not loaded.documents:
        raise typer.Exit(1)
    out: list[dict[str, object]] = []
    for doc in loaded.documents:
        result = clean_document(doc)
        if as_json:
            out.append(
                {
                    "id": doc.id,
                    "title": result.document.title,
                    "published": result.document.published.isoformat() if result.document.published else None,
                    "outlet": result.document.outlet,
                    "text": result.document.text,
                    "lines": [
                        {"line": ln.number, "reason": ln.reason, "text": ln.text} for ln in result.lines if ln.text
                    ],
                }
            )
        elif explain:
            for ln in result.lines:
                if ln.text:
                    mark = " " if ln.kept else "-"
                    typer.echo(f"{mark} {ln.number:4d} {ln.reason:<32} {ln.text}")
        else:
            if result.document.title:
                typer.echo(result.document.title + "\n")
            typer.echo(result.document.text)
    if as_json:
        typer.echo(json.dumps(out if len(out) > 1 else out[0], ensure_ascii=False, indent=2))


@app.command("eval")
def eval_summaries(
    clusters: Annotated[Path, typer.Argument(help="JSONL: one cluster per line (id, summary, articles).", exists=True)],
    words: Annotated[int | None, typer.Option("--words", "-w", help="Budget (default: the dataset's protocol).")] = (
        None
    ),
    baselines: Annotated[
        str, typer.Option("--baselines", "-b", help="Comma-separated: lead, random, oracle, sumy-lexrank, ... or none.")
    ] = "lead,random,oracle",
    predictions: Annotated[
        Path | None, typer.Option("--predictions", "-p", help="Write tidings' summaries here as JSONL (id, summary).")
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="Only the first N clusters.", min=1)] = None,
    config: ConfigOption = None,
) -> None:
    """ROUGE of tidings and baselines against the clusters' human summaries, run side by side."""
    from tidings.evaluate.baselines import BASELINES, tidings_system
    from tidings.evaluate.clusters import read_clusters
    from tidings.evaluate.harness import evaluate
    from tidings.evaluate.report import comparison, rouge_table
    from tidings.evaluate.rouge import protocol_for, truncate

    names = [b.strip() for b in baselines.split(",") if b.strip() and b.strip() != "none"]
    unknown = [n for n in names if n not in BASELINES]
    if unknown:
        raise typer.BadParameter(f"unknown baseline(s) {', '.join(unknown)}; known: {', '.join(BASELINES)}")
    protocol = protocol_for(str(clusters), words)
    data = list(read_clusters(clusters, limit=limit))
    if not data:
        _err(f"{clusters}: no clusters")
        raise typer.Exit(1)
    systems = {"tidings": tidings_system(_load_config(config), corpus=data), **{n: BASELINES[n] for n in names}}
    if "oracle" in systems and not protocol.stemming:
        from functools import partial

        systems["oracle"] = partial(BASELINES["oracle"], stemming=False)
    runs = evaluate(data, systems, protocol)
    typer.echo(f"{len(data)} clusters from {clusters}\n")
    typer.echo(rouge_table(runs, protocol) + "\n")
    typer.echo(comparison(runs))
    if predictions is not None:
        rows = [
            json.dumps({"id": c.id, "summary": " ".join(truncate(runs["tidings"].outputs[c.id], protocol.words))})
            for c in data
        ]
        _write("\n".join(rows) + "\n", predictions)


@app.command("eval-extraction")
def eval_extraction(
    data: Annotated[
        Path,
        typer.Argument(
            help="A benchmark folder as it comes (AEB, WCXB, L3S-GN1, Dragnet, trafilatura's eval corpus)"
            " or, with GROUND_TRUTH, a folder of pages <id>.html(.gz)."
        ),
    ],
    ground_truth: Annotated[
        Path | None, typer.Argument(help='AEB ground truth JSON: {id: {"articleBody": str, "url": str}}.')
    ] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="Only pages of this type (WCXB: article, forum, product, ...).")
    ] = None,
    predictions: Annotated[
        Path | None,
        typer.Option("--predictions", "-p", help="Write tidings' bodies here, shaped like the AEB ground truth."),
    ] = None,
    systems: Annotated[
        str | None,
        typer.Option("--systems", "-s", help="Comma-separated: tidings, trafilatura, readability, ... (default: all)."),
    ] = None,
) -> None:
    """Article-extraction precision/recall/F1 (Article Extraction Benchmark metric), tidings beside its peers."""
    from tidings.evaluate.datasets import load_dataset
    from tidings.evaluate.extraction import (
        evaluate_extraction,
        fragments,
        parse_systems,
        predictions_json,
        snippet_text_table,
        text_table,
    )
    from tidings.progress import progress_bar

    try:
        names = parse_systems(systems)
        if predictions is not None and "tidings" not in names:
            raise TidingsError("--predictions writes the tidings system's output: include tidings in --systems")
        dataset = load_dataset(data, ground_truth, kind=kind)
    except TidingsError as exc:
        _err(str(exc))
        raise typer.Exit(2) from None
    pages = dataset.pages
    if not pages:
        _err(f"{ground_truth or data}: no pages to score")
        raise typer.Exit(1)
    with progress_bar(len(pages) * len(names), "extracting") as advance:
        runs = evaluate_extraction(pages, names, on_page=advance)
    typer.echo(f"{len(pages)} pages from {data} ({dataset.layout}{', ' + kind if kind else ''})\n")
    if any(run.scores for run in runs):
        typer.echo(text_table(runs))
    if any(run.snippets for run in runs):
        typer.echo("must-have and must-not strings:\n" + snippet_text_table(runs))
    by_name = {run.name: run for run in runs}
    if "tidings" in by_name and "trafilatura" in by_name and by_name["trafilatura"].scores:
        cut = fragments(by_name["tidings"], by_name["trafilatura"])
        typer.echo(
            f"pages where tidings keeps under a third of what trafilatura finds while trafilatura scores F1 > 0.7:"
            f" {len(cut)}{' (' + ', '.join(cut[:10]) + ')' if cut else ''}"
        )
    if predictions is not None:
        _write(json.dumps(predictions_json(by_name["tidings"]), ensure_ascii=False, indent=1) + "\n", predictions)


DbOption = Annotated[Path, typer.Option("--db", help="The archive (SQLite file; created if missing).")]
DEFAULT_DB = Path("tidings.db")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> timedelta:
    """'90s', '10m', '2h', '2d', '1w' as a timedelta."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*", text.lower())
    if not match:
        raise typer.BadParameter(f"{text!r} is not a duration like 30m, 2h, 2d or 1w")
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2)])


def parse_since(text: str) -> datetime:
    """A point in time: a duration back from now ('2d', '3h') or an ISO date or time (UTC unless it says)."""
    if re.fullmatch(r"\s*\d+(?:\.\d+)?\s*[smhdwSMHDW]\s*", text):
        return datetime.now(UTC) - parse_duration(text)
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is neither a duration like 2d nor an ISO time like 2026-11-30T08:00"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


AllowPrivate = Annotated[
    bool, typer.Option("--allow-private", help="Allow fetching private, loopback and link-local addresses.")
]
AllowNetwork = Annotated[
    list[str] | None, typer.Option("--allow-network", help="Allow this network only (CIDR, e.g. 10.1.0.0/16).")
]


def _fetch_config(cfg: Config, allow_private: bool, allow_network: list[str] | None) -> Config:
    from dataclasses import replace

    if not allow_private and not allow_network:
        return cfg
    networks = tuple(cfg.fetch.allow_networks) + tuple(allow_network or ())
    return replace(
        cfg, fetch=replace(cfg.fetch, allow_private=allow_private or cfg.fetch.allow_private, allow_networks=networks)
    )


@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories, JSONL, - for stdin, page or feed URLs.")],
    db: DbOption = DEFAULT_DB,
    summaries: Annotated[
        bool, typer.Option("--summaries/--no-summaries", help="Recompute summaries of changed stories.")
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the ingest report as JSON.")] = False,
    allow_private: AllowPrivate = False,
    allow_network: AllowNetwork = None,
    workers: Annotated[
        int, typer.Option("--workers", help="Processes preparing articles (default: CPU cores, at most 4).", min=1)
    ] = min(4, os.cpu_count() or 1),
    config: ConfigOption = None,
) -> None:
    """Add articles (files, pages, feeds) to the archive, grouping them into stories."""
    from itertools import chain

    from tidings.ingest import Fetcher, iter_inputs
    from tidings.ingest.files import count_records
    from tidings.ingest.sources import is_url, read_urls
    from tidings.progress import record_counter
    from tidings.store import Archive
    from tidings.stream import canonical_url
    from tidings.stream import ingest as ingest_items

    cfg = _fetch_config(_load_config(config), allow_private, allow_network)
    urls = [i for i in inputs if is_url(i)]
    paths = [i for i in inputs if not is_url(i)]
    total = None if urls else count_records(paths)
    with Archive(db) as archive, Fetcher(cfg.fetch) as fetcher, record_counter("ingesting", total) as advance:
        reads = chain(
            iter_inputs(paths, cfg.ingest, defer=True) if paths else (),
            read_urls(urls, fetcher, cfg.ingest, known=lambda link: archive.has_url(canonical_url(link)), tallies=True),
        )
        report = ingest_items(archive, reads, cfg, summaries=summaries, workers=workers, on_item=advance)
    _print_report(report, as_json)
    if report.added == 0 and report.duplicates == 0 and report.problems:
        raise typer.Exit(1)


@app.command()
def watch(
    feeds: Annotated[Path, typer.Argument(help="A text file of feed URLs, one per line (# comments).")],
    every: Annotated[str, typer.Option("--every", help="Polling interval, e.g. 10m.")] = "10m",
    once: Annotated[bool, typer.Option("--once", help="Poll every feed once and exit.")] = False,
    db: DbOption = DEFAULT_DB,
    allow_private: AllowPrivate = False,
    allow_network: AllowNetwork = None,
    config: ConfigOption = None,
) -> None:
    """Poll RSS/Atom feeds and ingest their new items, until interrupted."""
    import time

    from tidings.ingest import Fetcher, read_feed_list
    from tidings.store import Archive
    from tidings.stream import poll_feeds

    cfg = _fetch_config(_load_config(config), allow_private, allow_network)
    interval = parse_duration(every).total_seconds()
    urls = read_feed_list(feeds, cfg.fetch)
    with Archive(db) as archive, Fetcher(cfg.fetch) as fetcher:
        try:
            while True:
                started = time.monotonic()
                report = poll_feeds(archive, urls, fetcher, cfg)
                stamp = datetime.now(UTC).strftime("%H:%M:%S")
                typer.echo(f"{stamp} polled {len(urls)} feed(s): ", nl=False)
                _print_report(report, as_json=False)
                if once:
                    break
                time.sleep(max(0.0, interval - (time.monotonic() - started)))
        except KeyboardInterrupt:
            typer.echo("stopped", err=True)


feeds_app = typer.Typer(help="The archive's feed subscriptions (the ones `tidings serve` polls).", no_args_is_help=True)
app.add_typer(feeds_app, name="feeds")


@feeds_app.command("list")
def feeds_list(
    db: DbOption = DEFAULT_DB, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
) -> None:
    """Subscribed feeds: id, URL, and how the last poll went."""
    from tidings.store import Archive

    with Archive(db) as archive:
        rows = archive.feed_rows()
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
    elif not rows:
        typer.echo("no feeds subscribed", err=True)
    for row in [] if as_json else rows:
        typer.echo(f"{row['id']}\t{row['url']}\t{row['last_status'] or 'not polled yet'}")


@feeds_app.command("add")
def feeds_add(
    url: Annotated[str, typer.Argument(help="An RSS or Atom feed (http or https).")],
    db: DbOption = DEFAULT_DB,
    allow_private: AllowPrivate = False,
    allow_network: AllowNetwork = None,
) -> None:
    """Subscribe to a feed (checked under the fetch rules; polled by `tidings serve`)."""
    from tidings.errors import InputError
    from tidings.ingest import check_url
    from tidings.store import Archive

    cfg = _fetch_config(Config(), allow_private, allow_network)
    try:
        checked = check_url(url, cfg.fetch, resolve=False)
    except InputError as exc:
        _err(f"{url}: {exc}")
        raise typer.Exit(2) from None
    with Archive(db) as archive:
        feed_id, new = archive.subscribe(checked)
    typer.echo(f"{feed_id}\t{checked}\t{'subscribed' if new else 'already subscribed'}")


@feeds_app.command("remove")
def feeds_remove(
    feed: Annotated[str, typer.Argument(help="The feed's id (see `tidings feeds list`) or its URL.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Unsubscribe from a feed; its articles stay in the archive."""
    from tidings.store import Archive

    with Archive(db) as archive:
        url = archive.unsubscribe(int(feed) if feed.isdigit() else feed)
    if url is None:
        _err(f"no feed {feed} (see tidings feeds list)")
        raise typer.Exit(1)
    typer.echo(f"unsubscribed from {url}")


def _print_report(report, as_json: bool) -> None:  # noqa: ANN001 - IngestReport, imported lazily
    for problem in report.problems:
        _err(str(problem))
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2))
        return
    for tally in report.feeds.values():
        typer.echo(f"feed {tally}")
    typer.echo(
        f"added {report.added} article(s): {report.duplicates} already archived, {report.copies} copies of earlier"
        f" articles, {report.stories_created} new stor{'y' if report.stories_created == 1 else 'ies'},"
        f" {len(report.touched)} stor{'y' if len(report.touched) == 1 else 'ies'} updated, {report.merges} merge(s),"
        f" {len(report.problems)} problem(s)"
    )


@app.command()
def stories(
    db: DbOption = DEFAULT_DB,
    since: Annotated[str | None, typer.Option("--since", help="Only stories active in this window, e.g. 2d.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (the same as --format json).")] = False,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", help="text, json, or atom (a feed: one entry per story, what is new first)."),
    ] = "text",
    base_url: Annotated[
        str | None,
        typer.Option("--base-url", help="With --format atom: the tidings server the entries link to."),
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Every story, not only the --limit most recent (single-article ones too).")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", help="At most this many (ignored with --all).", min=1)] = 20,
) -> None:
    """Stories, most recently active first: title, articles, independent sources, span."""
    from tidings.follow import latest_new_json
    from tidings.render import story_span
    from tidings.store import Archive
    from tidings.titles import display_title

    fmt = "json" if as_json else fmt
    if fmt not in ("text", "json", "atom"):
        raise typer.BadParameter("choose from text, json, atom", param_hint="--format")
    if not db.exists():
        _err(f"{db}: no archive here (run tidings ingest first, or pass --db)")
        raise typer.Exit(1)
    cutoff = datetime.now(UTC) - parse_duration(since) if since else None
    with Archive(db) as archive:
        if fmt == "json":  # written a chunk of stories at a time: an archive of 100k stories need not fit in memory
            _echo_json_list(_stories_json(archive, cutoff, None if show_all else limit))
            return
        rows = [_current(archive, row) for row in archive.stories(since=cutoff, limit=None if show_all else limit)]
        out = [(row, latest_new_json(archive, row.id) if fmt == "atom" else []) for row in rows]
    if fmt == "atom":
        from tidings import atom

        entries = [atom.story_entry(r, n, base=base_url) for r, n in out]
        feed_id = f"{base_url.rstrip('/')}/" if base_url else f"tag:tidings,2026:archive/{db.resolve()}"
        sys.stdout.buffer.write(atom.render_atom(feed_id, f"tidings: stories in {db.name}", entries, link=base_url))
        return
    if not out:
        typer.echo("no stories" + (f" active in the last {since}" if since else "") + f" in {db}")
        return
    for row, _ in out:
        lead = (row.summary or {}).get("summary") or [{}]
        typer.echo(f"[{row.id}] {display_title(row.title, lead[0].get('text'))}")
        span = story_span(row)
        typer.echo(f"     {row.size} article(s), {row.independent} independent source(s), {span}")
        if lead[0].get("text"):
            typer.echo(f"     {lead[0]['text'][:200]}")
        typer.echo("")


def _stories_json(archive: Any, since: datetime | None, limit: int | None) -> Iterator[dict[str, Any]]:
    """The listed stories as JSON objects (each with a current summary), read a chunk at a time."""
    from tidings.render import story_json

    for chunk in archive.story_chunks(since=since, limit=limit):
        rows = [_current(archive, row) for row in chunk]
        headers = archive.story_document_headers([row.id for row in rows])
        yield from (story_json(row, row.summary, headers.get(row.id, [])) for row in rows)


def _echo_json_list(items: Iterable[Any]) -> None:
    """Print ``json.dumps(list(items), ensure_ascii=False, indent=2)``, an item at a time.

    An item's own newlines are all structural (a JSON string holds none), so indenting it one level more is a
    replacement; the list of every story of a large archive is never built, as one object nor as one string.
    Each item is written by orjson, byte for byte what the standard library writes for strings, integers,
    booleans, null, lists and objects (a float may take another valid form: ``1e-05`` as ``0.00001``) and a
    dozen times faster (the standard library's encoder is pure Python when it indents: two thirds of listing
    every story); what orjson refuses (an integer beyond 64 bits) the standard library writes.
    """
    import orjson

    opened = False
    for item in items:
        try:
            text = orjson.dumps(item, option=orjson.OPT_INDENT_2).decode()
        except (orjson.JSONEncodeError, TypeError):
            text = json.dumps(item, ensure_ascii=False, indent=2)
        text = text.replace("\n", "\n  ")
        sys.stdout.write((",\n  " if opened else "[\n  ") + text)
        opened = True
    sys.stdout.write("\n]\n" if opened else "[]\n")


def _current(archive: Any, row: Any, config: Config | None = None) -> Any:  # Archive, StoryRow: lazy imports
    """The story row with a current summary: only a story that changed since its summary is summarized again."""
    from tidings.stream import story_summary

    if row.summary_is_current:
        return row
    story_summary(archive, row.id, config)
    return archive.story(row.id) or row


@app.command()
def digest(
    db: DbOption = DEFAULT_DB,
    since: Annotated[
        str, typer.Option("--since", help="The period: a duration back from now (1d, 12h) or an ISO time.")
    ] = "1d",
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, html or json.")] = "md",
    limit: Annotated[int, typer.Option("--limit", help="At most this many stories.", min=1)] = 10,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    config: ConfigOption = None,
) -> None:
    """A briefing of the period's top stories (ranked as on the front page): each with what is new, cited."""
    from dataclasses import replace

    from tidings.follow import story_news
    from tidings.render import render_digest
    from tidings.store import Archive

    if fmt not in ("md", "html", "json"):
        raise typer.BadParameter("choose from md, html, json", param_hint="--format")
    start = parse_since(since)
    if not db.exists():
        _err(f"{db}: no archive here (run tidings ingest first, or pass --db)")
        raise typer.Exit(1)
    cfg = _load_config(config)
    # a briefing is read in two minutes: what is new in a story is told in a few sentences
    brief = replace(cfg, summarize=replace(cfg.summarize, words=min(cfg.summarize.words or 80, 80), sentences=None))
    items = []
    with Archive(db) as archive:
        for row in archive.ranked_stories(start=start, limit=limit):
            row = _current(archive, row, cfg)
            began = bool(row.first_seen and row.first_seen > start)
            news = None if began else story_news(archive, row.id, start, brief)
            items.append((row, row.summary or {}, news.new if news else (), began))
    _write(render_digest(items, start, fmt), output)


@app.command()
def story(
    story_id: Annotated[int, typer.Argument(help="Story id (from tidings stories).")],
    db: DbOption = DEFAULT_DB,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, json or html.")] = "md",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    with_analysis: Annotated[
        bool,
        typer.Option("--analysis/--no-analysis", help="Add where the sources disagree, a timeline, quotes and names."),
    ] = True,
    new_since: Annotated[
        str | None,
        typer.Option(
            "--new-since",
            help="Add what is new since then (a duration back from now like 2d, or an ISO time): sentences of the"
            " articles that arrived later that report what the earlier ones did not.",
        ),
    ] = None,
    config: ConfigOption = None,
) -> None:
    """One story: the cited summary, its sources grouped by syndication, and the cross-source analysis."""
    from tidings.follow import story_news
    from tidings.render import render_story
    from tidings.store import Archive
    from tidings.stream import story_summary

    if fmt not in ("md", "json", "html"):
        raise typer.BadParameter("choose from md, json, html", param_hint="--format")
    since = parse_since(new_since) if new_since is not None else None
    if not db.exists():
        _err(f"{db}: no archive here (run tidings ingest first, or pass --db)")
        raise typer.Exit(1)
    cfg = _load_config(config)
    news = None
    with Archive(db) as archive:
        live = archive.resolve_story(story_id)
        if live is None:
            _err(f"no story {story_id} in {db}")
            raise typer.Exit(1)
        if since is not None:
            news = story_news(archive, live, since, cfg)
            summary = news.summary if news else None
        else:
            summary = story_summary(archive, live, cfg if config else None)  # the cached summary unless --config
        row = archive.story(live)
        docs = [d.document for d in archive.story_documents(live)]
    if summary is None or row is None:
        _err(f"story {story_id} has no documents")
        raise typer.Exit(1)
    sections = _analysis_sections(summary, fmt, cfg) if with_analysis else None
    _write(render_story(row, summary, docs, fmt, sections, news), output)


def _analysis_sections(summary: Summary, fmt: str, config: Config) -> str | dict[str, Any]:
    """The story's cross-source analysis rendered in ``fmt``, citing sources by the story's numbers."""
    from tidings.analyze import analyze
    from tidings.analyze.render import render_sections
    from tidings.pipeline import prepare
    from tidings.render import citation_numbers

    analysis = analyze(prepare(list(summary.documents), config, clean=False), config)
    return render_sections(analysis, fmt, citation_numbers(summary))


@app.command("analyze")
def analyze_command(
    inputs: Annotated[list[str], typer.Argument(help="Files, directories or - for stdin (.txt, .html, .jsonl).")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="json, md or html.")] = "md",
    backend: Annotated[
        str | None, typer.Option("--backend", help="Name finder: auto, rules or spacy (default: config).")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    config: ConfigOption = None,
) -> None:
    """Who says what, when, and where the sources disagree (figures, timeline, quotes, names)."""
    from dataclasses import replace

    from tidings.analyze import analyze, render_analysis
    from tidings.analyze.render import FORMATS as ANALYSIS_FORMATS
    from tidings.ingest import load
    from tidings.pipeline import prepare

    if fmt not in ANALYSIS_FORMATS:
        raise typer.BadParameter(f"choose from {', '.join(ANALYSIS_FORMATS)}", param_hint="--format")
    cfg = _load_config(config)
    if backend is not None:
        cfg = replace(cfg, analyze=replace(cfg.analyze, backend=backend))
    loaded = load(inputs, cfg.ingest)
    prepared = prepare(loaded.documents, cfg)
    for problem in [*loaded.problems, *prepared.problems]:
        _err(str(problem))
    if not prepared.documents:
        _err("nothing could be analyzed")
        raise typer.Exit(1)
    try:
        analysis = analyze(prepared, cfg)
    except TidingsError as exc:
        _err(str(exc))
        raise typer.Exit(2) from None
    _write(render_analysis(analysis, fmt), output)


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=0, max=65535)] = 8000,
    token_file: Annotated[
        Path | None,
        typer.Option(
            "--token-file", help="File whose first line is the write token (default: $TIDINGS_TOKEN).", dir_okay=False
        ),
    ] = None,
    access_log: Annotated[bool, typer.Option("--access-log", help="Log every request (on stderr).")] = False,
    allow_private: AllowPrivate = False,
    allow_network: AllowNetwork = None,
    config: ConfigOption = None,
) -> None:
    """Serve the archive: web pages at /, a JSON API at /api (OpenAPI docs at /docs)."""
    try:
        from tidings.serve.server import read_token
        from tidings.serve.server import serve as run_server
    except ImportError as exc:
        _err(f"tidings serve needs the serve extra (pip install 'tidings[serve]'): {exc}")
        raise typer.Exit(2) from None

    cfg = _fetch_config(_load_config(config), allow_private, allow_network)
    token = read_token(token_file)
    if token is None:
        _err("no token (TIDINGS_TOKEN or --token-file): serving read-only, write endpoints answer 503")
    typer.echo(f"serving {db} at http://{host}:{port}/ (API docs at /docs)", err=True)
    run_server(db, cfg, token, host, port, access_log=access_log)


@app.command("batch")
def batch_command(
    source: Annotated[str, typer.Argument(metavar="INPUT", help="JSONL or Parquet: file, directory, glob or URL.")],
    output: Annotated[str, typer.Argument(metavar="OUTPUT", help="Directory for the Parquet tables and report.json.")],
    engine: Annotated[str, typer.Option("--engine", help="local (one machine) or spark.")] = "local",
    spark_master: Annotated[
        str | None, typer.Option("--spark-master", help="local[2], spark://host:7077, yarn (default: spark-submit's).")
    ] = None,
    input_format: Annotated[str, typer.Option("--input-format", help="auto, jsonl or parquet.")] = "auto",
    workers: Annotated[
        int, typer.Option("--workers", help="Local engine: processes (default: CPU cores).", min=1)
    ] = os.cpu_count() or 1,
    partitions: Annotated[int | None, typer.Option("--partitions", help="Spark shuffle partitions.", min=1)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    config: ConfigOption = None,
) -> None:
    """Cluster, deduplicate and summarize a whole archive into Parquet tables (documents, stories)."""
    from tidings.batch import ENGINES, run_batch
    from tidings.batch.core import replace_config

    if engine not in ENGINES:
        raise typer.BadParameter(f"choose from {', '.join(ENGINES)}", param_hint="--engine")
    cfg = replace_config(_load_config(config), partitions=partitions)
    try:
        report = run_batch(
            [source], output, cfg, engine=engine, master=spark_master, workers=workers, input_format=input_format
        )
    except TidingsError as exc:
        _err(str(exc))
        raise typer.Exit(2) from None
    for problem in report.problem_samples[:20]:
        _err(f"{problem['input']}: {problem['reason']}")
    if report.problems > 20:
        _err(f"... and {report.problems - 20} more problem(s): see {output}/problems.parquet")
    typer.echo(json.dumps(report.as_dict(), indent=2) if as_json else report.summary_line())
    if report.documents == 0:
        raise typer.Exit(1)


_HELP_WIDTH = 120


def _help_width() -> None:
    """Give ``--help`` room when the terminal's width is unknown.

    rich, which draws typer's help, assumes 80 columns when it sees no terminal (a pipe, a file, a CI log)
    and wraps every option's description into a narrow box; without a terminal to fit, the width the
    code and docs use reads better. ``COLUMNS`` or ``TERMINAL_WIDTH`` still decide when set. Told through
    ``TERMINAL_WIDTH``, which typer reads when it first draws help, so that a command that prints no help
    does not import typer's rich helpers (80 ms of start-up).
    """
    if "COLUMNS" not in os.environ and not sys.stdout.isatty():
        os.environ.setdefault("TERMINAL_WIDTH", str(_HELP_WIDTH))


def main() -> None:
    """Console entry point: user errors become one line on stderr and exit code 2."""
    _help_width()
    one_blas_thread()
    try:
        app()
    except TidingsError as exc:
        _err(str(exc))
        sys.exit(2)


if __name__ == "__main__":
    main()
