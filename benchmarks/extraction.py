"""Article-extraction benchmark: tidings' HTML path against its peers, per dataset, on the AEB metric.

Runs every extraction system in this process on the same pages (so the seconds compare), scores them with
the Article Extraction Benchmark's metric (see ``tidings.evaluate.extraction``) and, where a dataset has them,
with its must-have / must-not strings, and writes a Markdown section per dataset with the machine, date,
package versions, the exact command and the tables to ``benchmarks/results/extraction.md``.

    python benchmarks/extraction.py [--sh DIR] [--wcxb DIR] [--l3s DIR] [--dragnet DIR] [--trafilatura-eval DIR]
                                    [--systems tidings,trafilatura,...] [--limit N] [--output FILE]

``--sh`` defaults to ../shared/data/extraction-dev (ScrapingHub's AEB pages, the set tidings was first developed
on); the others are read as they come (see ``tidings.evaluate.datasets``) and skipped when not given. WCXB is
scored on its dev split's article pages only (its test split is held out). Every dataset is also reported
in two halves: the half the extraction rules were developed on ("tune") and the rest ("confirm"); Dragnet's
halves are its authors' training and test lists, the others' are the parity of the SHA-1 of the page id. None
of the pages are in the repository (licences: AEB and WCXB CC-BY-4.0, L3S-GN1 research use, Dragnet AGPL).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import platform
import shlex
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from tidings.evaluate.datasets import Dataset, Page, load_dataset
from tidings.evaluate.extraction import (
    SystemRun,
    evaluate_extraction,
    fragments,
    markdown_table,
    package_version,
    paired_bootstrap_f1,
    parse_systems,
    snippet_markdown_table,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SH = ROOT.parent / "shared" / "data" / "extraction-dev"
DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "extraction.md"
PEERS = ("trafilatura", "trafilatura-precision", "readability")
MAIN_SYSTEMS = ("tidings", *PEERS)
# Published F1 on the full 181-page AEB set (the dev split's README), for orientation only: other pages.
PUBLISHED = {"trafilatura": 0.958, "readability": 0.922, "newspaper4k": 0.949, "goose3": 0.896}
DATASETS = {
    "sh": ("ScrapingHub AEB dev pages (extraction-dev)", None),
    "wcxb": ("WCXB dev split, article pages", "article"),
    "l3s": ("L3S-GN1 (headline, full text and supplemental blocks as ground truth)", None),
    "dragnet": ("Dragnet (text before the comments marker as ground truth)", None),
    "trafilatura-eval": ("trafilatura's evaluation corpus (must-have / must-not strings only)", None),
}


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def ram_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except (OSError, ValueError):
        pass
    return None


def command_line() -> str:
    """The command as typed, relative to the repository root when run from there."""
    script = Path(sys.argv[0])
    with contextlib.suppress(ValueError):
        script = script.resolve().relative_to(Path.cwd())
    return shlex.join(["python", str(script), *sys.argv[1:]])


def is_tune(page: Page) -> bool:
    """The half the extraction rules were developed on: Dragnet's training list, else an even SHA-1 of the id."""
    if page.split in ("training", "test"):
        return page.split == "training"
    return int(hashlib.sha1(page.id.encode()).hexdigest(), 16) % 2 == 0


def section(key: str, dataset: Dataset, runs: list[SystemRun], wall: float) -> list[str]:
    title, _ = DATASETS[key]
    pages = dataset.pages
    tune = [p.id for p in pages if is_tune(p)]
    confirm = [p.id for p in pages if not is_tune(p)]
    by_name = {run.name: run for run in runs}
    lines = [f"### {title}", "", f"{len(pages)} pages ({dataset.layout} layout), {wall:.0f} s for all systems.", ""]
    if any(run.scores for run in runs):
        lines += ["All pages:", "", markdown_table(runs)]
        lines += [f"Tune half ({len(tune)} pages):", "", markdown_table(runs, tune)]
        lines += [f"Confirm half ({len(confirm)} pages):", "", markdown_table(runs, confirm)]
        if "tidings" in by_name:
            for peer in PEERS:
                if peer in by_name:
                    d = paired_bootstrap_f1(by_name["tidings"], by_name[peer])
                    lines.append(
                        f"- F1 tidings − {peer}: {d.mean:+.4f} (95% paired bootstrap interval over pages "
                        f"{d.low:+.4f} … {d.high:+.4f})"
                    )
            if "trafilatura" in by_name:
                cut = fragments(by_name["tidings"], by_name["trafilatura"])
                shown = ", ".join(f"`{c}`" for c in cut[:10])
                lines.append(
                    "- pages where tidings keeps under a third of the tokens trafilatura's default mode finds while "
                    f"trafilatura scores F1 > 0.7: {len(cut)}{' (' + shown + ')' if cut else ''}"
                )
            lines.append("")
    if any(run.snippets for run in runs):
        lines += ["Must-have strings found and must-not strings leaked (summed over pages):", ""]
        lines += [snippet_markdown_table(runs), ""]
    failures = [(run.name, page, why) for run in runs for page, why in sorted(run.failures.items())]
    if failures:
        lines += ["Failures (scored as empty predictions):", ""]
        lines += [f"- {name} on `{page[:24]}`: {why.splitlines()[0][:160]}" for name, page, why in failures[:20]]
        lines.append("")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sh", type=Path, default=DEFAULT_SH, help="AEB folder with html/ and ground-truth.json")
    for key in ("wcxb", "l3s", "dragnet", "trafilatura-eval"):
        parser.add_argument(f"--{key}", type=Path, default=None, help=f"{DATASETS[key][0]}: the folder as it comes")
    parser.add_argument("--systems", default=None, help="comma-separated systems (default: tidings and its 3 peers;")
    parser.add_argument("--limit", type=int, default=None, help="only the first N pages of each dataset")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="Markdown file to write")
    args = parser.parse_args(argv)

    chosen = {"sh": args.sh, "wcxb": args.wcxb, "l3s": args.l3s, "dragnet": args.dragnet}
    chosen["trafilatura-eval"] = args.trafilatura_eval
    names = parse_systems(args.systems or ",".join(MAIN_SYSTEMS))
    started = time.perf_counter()
    sections: list[str] = []
    for key, folder in chosen.items():
        if folder is None:
            continue
        dataset = load_dataset(folder, kind=DATASETS[key][1])
        if args.limit:
            dataset = Dataset(dataset.name, dataset.layout, dataset.pages[: args.limit])
        systems = names if key != "sh" or args.systems else parse_systems(None)  # AEB: every installed peer
        t0 = time.perf_counter()
        runs = evaluate_extraction(dataset.pages, systems)
        sections += section(key, dataset, runs, time.perf_counter() - t0)
        print(f"{key}: {len(dataset.pages)} pages done", file=sys.stderr, flush=True)
    wall = time.perf_counter() - started

    ram = ram_gib()
    lines = [
        "## Article extraction (AEB metric), per dataset",
        "",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {cpu_model()}, {os.cpu_count()} cores, {f'{ram:.0f} GiB RAM' if ram else 'RAM unknown'}, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}",
        "- versions: "
        + ", ".join(
            f"{p} {package_version(p) or '?'}"
            for p in ("tidings", "trafilatura", "readability-lxml", "newspaper4k", "goose3")
        ),
        f"- command: `{command_line()}` ({wall:.0f} s in all, one process, systems run one after another)",
        "",
        "Precision and recall are averaged over pages (where defined), F1 is their harmonic mean, accuracy is",
        "the share of pages extracted token for token; s/page is mean wall time per page in this process (tidings",
        "runs both trafilatura modes and readability on every page, so its time includes theirs). Snippet scores",
        "follow trafilatura's evaluation: a must-have string found counts for recall, a must-not string present",
        "against precision.",
        "",
        *sections,
        "Published F1 on the full 181-page AEB set, for orientation (different pages): "
        + ", ".join(f"{name} {f1:.3f}" for name, f1 in PUBLISHED.items())
        + ".",
    ]
    text = "\n".join(lines).rstrip() + "\n"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
