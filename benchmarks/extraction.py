"""Article-extraction benchmark: tidings' HTML path against its peers, on the AEB metric.

Runs every extraction system in this process on the same pages (so the seconds compare), scores them with
the Article Extraction Benchmark's metric (see ``tidings.evaluate.extraction``), and writes a Markdown
section with the machine, date, package versions, the exact command and the table to
``benchmarks/results/extraction.md``.

    python benchmarks/extraction.py [DATA_DIR] [--systems tidings,trafilatura,...] [--output FILE]

DATA_DIR holds ``html/<id>.html.gz`` and ``ground-truth.json`` (default: ../shared/data/extraction-dev,
relative to the repository root). The pages are licensed data and stay out of the repository.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shlex
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from tidings.evaluate.extraction import (
    evaluate_extraction,
    load_pages,
    markdown_table,
    package_version,
    paired_bootstrap_f1,
    parse_systems,
)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "extraction-dev"
DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "extraction.md"
# Published F1 on the full 181-page AEB set (the dev split's README), for orientation only: other pages.
PUBLISHED = {"trafilatura": 0.958, "readability": 0.922, "newspaper4k": 0.949, "goose3": 0.896}


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "data", nargs="?", type=Path, default=DEFAULT_DATA, help="folder with html/ and ground-truth.json"
    )
    parser.add_argument("--systems", default=None, help="comma-separated systems (default: all installed)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="Markdown file to write")
    args = parser.parse_args(argv)

    names = parse_systems(args.systems)
    pages = load_pages(args.data / "html", args.data / "ground-truth.json")
    started = time.perf_counter()
    runs = evaluate_extraction(pages, names)
    wall = time.perf_counter() - started
    by_name = {run.name: run for run in runs}

    ram = ram_gib()
    lines = [
        "## Article extraction (AEB metric)",
        "",
        f"- data: `{args.data.name}`, {len(pages)} pages",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {cpu_model()}, {os.cpu_count()} cores, {f'{ram:.0f} GiB RAM' if ram else 'RAM unknown'}, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}",
        "- versions: " + ", ".join(f"{p} {package_version(p) or '?'}" for p in _packages(names)),
        f"- command: `{command_line()}` ({wall:.0f} s in all, one process, systems run one after another)",
        "",
        "Precision and recall are averaged over pages (where defined), F1 is their harmonic mean, accuracy is",
        "the share of pages extracted token for token; s/page is mean wall time per page in this process.",
        "",
        markdown_table(runs),
    ]
    if "tidings" in by_name:
        for peer in ("trafilatura-precision", "trafilatura", "readability"):
            if peer in by_name:
                d = paired_bootstrap_f1(by_name["tidings"], by_name[peer])
                lines.append(
                    f"- F1 tidings − {peer}: {d.mean:+.4f} (95% paired bootstrap interval over pages "
                    f"{d.low:+.4f} … {d.high:+.4f})"
                )
        lines.append("")
    lines.append(
        "Published F1 on the full 181-page set, for orientation (different pages): "
        + ", ".join(f"{name} {f1:.3f}" for name, f1 in PUBLISHED.items())
        + "."
    )
    failures = [(run.name, page, why) for run in runs for page, why in sorted(run.failures.items())]
    if failures:
        lines += ["", "Failures (scored as empty predictions):", ""]
        lines += [f"- {name} on `{page[:12]}…`: {why.splitlines()[0][:160]}" for name, page, why in failures]
    text = "\n".join(lines).rstrip() + "\n"

    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return 0


def _packages(names: list[str]) -> list[str]:
    wanted = {"tidings": "tidings", "trafilatura": "trafilatura", "readability": "readability-lxml"}
    wanted |= {"newspaper4k": "newspaper4k", "goose3": "goose3"}
    seen = ["tidings", "trafilatura", "readability"]  # tidings' HTML path uses both
    seen += [n.replace("-precision", "") for n in names]
    return list(dict.fromkeys(wanted[n] for n in seen if n in wanted))


if __name__ == "__main__":
    sys.exit(main())
