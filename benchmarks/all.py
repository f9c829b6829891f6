"""Run every benchmark one after another, then gather their results into benchmarks/RESULTS.md.

Usage: python benchmarks/all.py [--only stories,load] [--collect-only]

Each benchmark writes its own file under benchmarks/results/ (machine, date, versions, command and numbers
side by side with the peers it runs in the same process); this script runs them in sequence, never two at
once (they measure time on a shared CPU), and concatenates the files into one RESULTS.md. With
--collect-only it only rebuilds RESULTS.md from the files already there.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# (script and its arguments, the results file it writes), in the order the pipeline runs.
BENCHMARKS = [
    ("extraction.py", "extraction.md"),
    ("dates.py", "dates.md"),
    ("summarization.py", "summarization.md"),
    ("semantic.py", "semantic.md"),
    ("scaling.py", "scaling.md"),
    ("stories.py", "stories.md"),
    ("analysis.py", "analysis.md"),
    ("load.py", "load.md"),
    ("batch.py", "batch.md"),
]


def collect(results: Path, out: Path) -> None:
    """Concatenate the result files into ``out``, with a table of contents."""
    present = [(script, results / name) for script, name in BENCHMARKS if (results / name).exists()]
    lines = [
        "# Benchmark results",
        "",
        "Gathered by `python benchmarks/all.py` from the files in `benchmarks/results/`; each section names the",
        "machine, date, versions and the exact command that produced it.",
        "",
    ]
    lines += [f"- [{path.stem}](results/{path.name}): `python benchmarks/{script}`" for script, path in present]
    for _, path in present:
        text = path.read_text(encoding="utf-8").strip()
        body = "\n".join(("#" + line) if line.startswith("#") else line for line in text.splitlines())
        lines += ["", body]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated benchmark names (e.g. stories,load)")
    parser.add_argument("--collect-only", action="store_true")
    args = parser.parse_args()
    wanted = set(args.only.split(",")) if args.only else None
    failed = []
    if not args.collect_only:
        for script, _ in BENCHMARKS:
            name, *options = script.split()
            if wanted is not None and Path(name).stem not in wanted:
                continue
            start = time.perf_counter()
            print(f"== {script}", file=sys.stderr, flush=True)
            rc = subprocess.call([sys.executable, str(HERE / name), *options])
            print(f"== {script}: exit {rc} after {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
            if rc:
                failed.append(script)
    collect(HERE / "results", HERE / "RESULTS.md")
    print(f"wrote {HERE / 'RESULTS.md'}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
