"""Speed and memory scaling: wall time and peak RSS of tidings and its peers as a cluster grows.

Clusters of exactly N documents are pooled from the summarization dev sets (Multi-News articles in file
order, then WCEP articles in file order, cycling when N exceeds the distinct articles). Every (system, N)
run happens in a fresh child process (this script with ``--child``), so each peak RSS is that run's own:
the parent waits for the child with ``os.wait4`` and reads the kernel's high-water mark ``ru_maxrss``. The
clock starts when the child is ready (data loaded, libraries imported by a warm-up call on a 2-document
cluster) and stops when the system has returned its sentences; a run past the time limit is killed and
recorded as a timeout, and the larger sizes of that system are skipped. tidings is also run once with its
stages timed separately (and once under cProfile) on the largest size, to show where the time goes.

    python benchmarks/scaling.py [--sizes 5,50,500,5000] [--systems tidings,sumy-lexrank,...]
                                 [--time-limit 120] [--words 300] [--multinews FILE] [--wcep FILE] [--output FILE]

Defaults read ../shared/data/summarization-dev/ relative to the repository root (licensed data, never copied
into the repository) and write ``benchmarks/results/scaling.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import itertools
import json
import math
import os
import platform
import pstats
import resource
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from tidings.evaluate.clusters import Article, Cluster, read_clusters

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "summarization-dev"
DEFAULT_MULTINEWS = DATA / "multinews-val250.jsonl"
DEFAULT_WCEP = DATA / "wcep-train923.jsonl"
DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "scaling.md"
DEFAULT_SIZES = (5, 50, 100, 200, 500, 1000, 2000, 5000)
HEADLINE_SIZES = (5, 50, 500, 5000)
# tidings-workers: tidings with as many processes as `tidings summarize` starts by default (CPU cores, at most 4)
SYSTEMS = (
    "tidings",
    "tidings-workers",
    "lead",
    "sumy-lexrank",
    "sumy-textrank",
    "sumy-lsa",
    "summa-textrank",
    "lexrank",
)
VERSIONS = ("tidings", "sumy", "summa", "lexrank", "nltk", "numpy", "scipy", "scikit-learn", "datasketch", "pysbd")
STAGES = ("ingest", "clean", "segment", "dedup", "summarize")
MIB = 1024 * 1024


# ---------------------------------------------------------------- data


def _articles(paths: list[Path]) -> Iterator[Article]:
    for path in paths:
        for cluster in read_clusters(path):
            yield from cluster.articles


def pooled_cluster(n: int, paths: list[Path]) -> tuple[Cluster, int]:
    """A cluster of exactly ``n`` articles taken in file order; returns it and how many are distinct."""
    distinct: list[Article] = []
    for article in _articles(paths):
        if len(distinct) >= n:
            break
        distinct.append(article)
    if not distinct:
        raise SystemExit(f"no articles in {', '.join(map(str, paths))}")
    articles = tuple(distinct[i % len(distinct)] for i in range(n))
    return Cluster(id=f"pool{n}", reference="", articles=articles), len(distinct)


# ---------------------------------------------------------------- child side


def _system(name: str):
    from tidings.evaluate.baselines import BASELINES, tidings_system
    from tidings.processes import one_blas_thread

    if name.startswith("tidings"):
        one_blas_thread()  # as the `tidings` command runs (the peers run as their users run them)
    if name == "tidings-workers":
        return tidings_system(workers=min(4, os.cpu_count() or 1))
    return tidings_system() if name == "tidings" else BASELINES[name]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(name: str, n: int, words: int, paths: list[Path]) -> None:
    """Run one system on one pooled cluster; print "ready", then one JSON line with the result."""
    system = _system(name)
    warm, _ = pooled_cluster(2, paths)
    system(warm, words)  # imports, lazy singletons (the splitter), first-call caches
    cluster, distinct = pooled_cluster(n, paths)
    n_words = sum(len(a.text.split()) for a in cluster.articles)
    before = _peak_mib()
    print("ready", flush=True)
    started, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    out = system(cluster, words)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu + _children_cpu() - children  # worker processes, once joined, count too
    result = {"seconds": seconds, "cpu": cpu, "before_mib": before, "distinct": distinct, "words_in": n_words}
    result["words_out"] = sum(len(s.split()) for s in out)
    print(json.dumps(result), flush=True)


def stages_child(n: int, words: int, paths: list[Path], profile: bool) -> None:
    """tidings on one pooled cluster with each stage's seconds summed (the pipeline's own calls, wrapped)."""
    import tidings.pipeline as pipeline
    from tidings.evaluate import clusters

    totals = dict.fromkeys(STAGES, 0.0)
    cpu = dict.fromkeys(STAGES, 0.0)
    peak = dict.fromkeys(STAGES, 0.0)

    def timed(stage: str, fn):
        def wrapper(*args, **kwargs):
            started, cpu_started = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                totals[stage] += time.perf_counter() - started
                cpu[stage] += time.process_time() - cpu_started
                peak[stage] = _peak_mib()

        return wrapper

    clusters.Cluster.documents = timed("ingest", clusters.Cluster.documents)
    pipeline.clean_document = timed("clean", pipeline.clean_document)
    pipeline.segment = timed("segment", pipeline.segment)
    pipeline.deduplicate = timed("dedup", pipeline.deduplicate)
    pipeline.summarize_sentences = timed("summarize", pipeline.summarize_sentences)
    system = _system("tidings")
    system(pooled_cluster(2, paths)[0], words)
    cluster, _ = pooled_cluster(n, paths)
    for table in (totals, cpu, peak):
        table.update(dict.fromkeys(STAGES, 0.0))
    print("ready", flush=True)
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    system(cluster, words)
    if profiler:
        profiler.disable()
    total = time.perf_counter() - started
    result: dict[str, object] = {"total": total, "stages": totals, "cpu": cpu, "peak": peak}
    if profiler:
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream)
        rows = []
        for (filename, line, func), (_cc, calls, tottime, cumtime, _) in stats.stats.items():
            rows.append((tottime, cumtime, calls, _where(filename, line, func)))
        rows.sort(reverse=True)
        result["profile"] = rows[:15]
    print(json.dumps(result), flush=True)


def _where(filename: str, line: int, func: str) -> str:
    path = Path(filename)
    parts = path.parts
    for anchor in ("site-packages", "src", "lib"):
        if anchor in parts:
            path = Path(*parts[len(parts) - parts[::-1].index(anchor) :])
            break
    return f"{path}:{line}({func})" if filename != "~" else func


# ---------------------------------------------------------------- parent side


def _child_cmd(args: argparse.Namespace, *extra: str) -> list[str]:
    return [
        sys.executable,
        str(Path(__file__).resolve()),
        "--words",
        str(args.words),
        "--multinews",
        str(args.multinews),
        "--wcep",
        str(args.wcep),
        *extra,
    ]


def run_child(cmd: list[str], limit: float) -> dict[str, object]:
    """Start a child, give it ``limit`` seconds after it says "ready", and return its result and peak RSS."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    first = proc.stdout.readline().strip()  # "ready", or "" when the child died before its run
    deadline = time.perf_counter() + limit
    timed_out = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            os.kill(proc.pid, signal.SIGKILL)
            _, status, usage = os.wait4(proc.pid, 0)
            timed_out = True
            break
        time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped: keep Popen from waiting again
    rest = proc.stdout.read()
    proc.stdout.close()
    result: dict[str, object] = {"peak_mib": usage.ru_maxrss / 1024, "timeout": timed_out}
    lines = [line for line in ([first] if first != "ready" else []) + rest.splitlines() if line.strip()]
    if not timed_out:
        if proc.returncode != 0 or not lines:
            result["error"] = f"exit status {proc.returncode}"
        else:
            result.update(json.loads(lines[-1]))
    return result


def scaling_exponent(points: list[tuple[int, float]]) -> tuple[float, list[int]] | None:
    """Least-squares slope of log(seconds) against log(N), over N >= 50 when two such sizes finished."""
    use = [(n, s) for n, s in points if n >= 50 and s > 0]
    if len(use) < 2:
        use = [(n, s) for n, s in points if s > 0]
    if len(use) < 2:
        return None
    xs = [math.log(n) for n, _ in use]
    ys = [math.log(s) for _, s in use]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
    return slope, [n for n, _ in use]


def _cell(run: dict[str, object] | None, limit: float) -> str:
    if run is None:
        return "—"
    if run.get("skipped"):
        return "skipped"
    if run["timeout"]:
        return f"timeout >{limit:.0f} s ({run['peak_mib']:.0f} MiB so far)"
    if "error" in run:
        return f"error ({run['error']})"
    return f"{_seconds(float(run['seconds']))} / {run['peak_mib']:.0f}"


def _seconds(s: float) -> str:
    return f"{s:.3f}" if s < 1 else f"{s:.2f}" if s < 10 else f"{s:.1f}" if s < 100 else f"{s:.0f}"


def cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def ram_gib() -> float | None:
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    return None


def package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def command_line() -> str:
    """The command as typed, relative to the repository root when run from there."""
    script = Path(sys.argv[0])
    with contextlib.suppress(ValueError):
        script = script.resolve().relative_to(Path.cwd())
    return shlex.join(["python", str(script), *sys.argv[1:]])


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def report(
    args: argparse.Namespace,
    runs: dict[str, dict[int, dict[str, object]]],
    stages: dict[str, object] | None,
    wall: float,
) -> str:
    sizes, limit = args.sizes, args.time_limit
    ram = ram_gib()
    available = sum(1 for _ in _articles([args.multinews, args.wcep]))
    words_in = {n: r["words_in"] for per in runs.values() for n, r in per.items() if "words_in" in r}
    lines = [
        "## Speed and memory scaling",
        "",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {cpu_model()}, {os.cpu_count()} cores, {f'{ram:.0f} GiB RAM' if ram else 'RAM unknown'}, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}",
        "- versions: " + ", ".join(f"{p} {package_version(p)}" for p in VERSIONS),
        f"- command: `{command_line()}` ({wall / 60:.1f} min in all; one child process per run, one run at a time)",
        f"- data: articles of `{args.multinews.name}` then `{args.wcep.name}` in file order, the first N of them "
        f"as one cluster ({available:,} distinct articles available; larger N cycle through them again, so "
        "those clusters also contain exact copies, like heavy wire syndication); budget "
        f"{args.words} words",
        f"- load average (1 min) {args.load[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end: other work "
        "on the machine slows wall times, so CPU seconds are given too",
        "- input words per cluster: " + ", ".join(f"N={n}: {int(w):,}" for n, w in sorted(words_in.items())),
        "",
        "Cells are *seconds / peak MiB* for one cluster of N documents: wall time of the `system(cluster, "
        "words)` call alone (data loaded and libraries imported beforehand by a warm-up call on a 2-document "
        "cluster), and the child process's peak resident set size (`ru_maxrss` from `os.wait4`: the kernel's "
        "high-water mark, which includes the interpreter, the libraries and the loaded articles). "
        f"A run is killed after {limit:.0f} s, and the larger sizes of that system are then skipped.",
        "",
        "| system | " + " | ".join(f"N={n:,}" for n in sizes) + " | exponent (sizes fitted) | before run |",
        "|---|" + "---:|" * len(sizes) + "---:|---:|",
    ]
    exponents: dict[str, float] = {}
    for name, per in runs.items():
        points = [(n, float(r["seconds"])) for n, r in sorted(per.items()) if "seconds" in r]
        fit = scaling_exponent(points)
        if fit:
            exponents[name] = fit[0]
        fitted = f"{fit[0]:.2f} ({', '.join(map(str, fit[1]))})" if fit else "—"
        before = [float(r["before_mib"]) for r in per.values() if "before_mib" in r]
        cells = [_cell(per.get(n), limit) for n in sizes]
        lines.append(
            f"| {name} | " + " | ".join(cells) + f" | {fitted} | {f'{min(before):.0f} MiB' if before else '—'} |"
        )
    lines += [
        "",
        "*exponent*: least-squares slope of log(seconds) against log(N) over the sizes that finished, N ≥ 50 "
        "when at least two of those finished (otherwise all finished sizes); 1 is linear, 2 quadratic. "
        "*before run*: peak RSS of the child just before the timed call (interpreter, libraries, articles).",
    ]
    lines += [
        "",
        "CPU seconds (user + system, all threads) of the same calls:",
        "",
        "| system | " + " | ".join(f"N={n:,}" for n in sizes) + " |",
        "|---|" + "---:|" * len(sizes),
    ]
    for name, per in runs.items():
        cpu = [_seconds(float(per[n]["cpu"])) if "cpu" in per.get(n, {}) else "—" for n in sizes]
        lines.append(f"| {name} | " + " | ".join(cpu) + " |")
    if stages:
        st = stages["stages"]
        assert isinstance(st, dict)
        total = float(stages["total"])
        other = total - sum(st.values())
        lines += [
            "",
            f"### Where tidings spends its time (N={stages['n']:,}, one run, {total:.1f} s)",
            "",
            "| stage | seconds | share | CPU seconds | peak RSS when it last ended |",
            "|---|---:|---:|---:|---:|",
        ]
        cpu, peak = stages.get("cpu") or {}, stages.get("peak") or {}
        for stage in STAGES:
            lines.append(
                f"| {stage} | {st[stage]:.2f} | {st[stage] / total:.0%} | {cpu[stage]:.2f} | {peak[stage]:.0f} MiB |"
                if stage in cpu and stage in peak
                else f"| {stage} | {st[stage]:.2f} | {st[stage] / total:.0%} | — | — |"
            )
        lines.append(f"| other (pipeline glue) | {other:.2f} | {other / total:.0%} | | |")
        lines += [
            "",
            "*ingest* is `Cluster.documents()` (text normalisation, date parsing); the other stages are the "
            "pipeline's calls to `clean_document`, `segment`, `deduplicate` and `summarize_sentences`, timed by "
            "wrapping them.",
        ]
        if stages.get("profile"):
            lines += [
                "",
                f"Top functions by own time under cProfile (a separate run; {float(stages['profile_total']):.1f} s "
                "with the profiler's overhead):",
                "",
                "| own s | cumulative s | calls | function |",
                "|---:|---:|---:|---|",
            ]
            for tottime, cumtime, calls, where in stages["profile"]:
                lines.append(f"| {tottime:.2f} | {cumtime:.2f} | {calls:,} | `{where}` |")
    lines += ["", "### Reading", "", reading(runs, exponents, stages, limit)]
    return "\n".join(lines).rstrip() + "\n"


def reading(
    runs: dict[str, dict[int, dict[str, object]]],
    exponents: dict[str, float],
    stages: dict[str, object] | None,
    limit: float,
) -> str:
    """One paragraph stating what the numbers say against the targets."""

    def seconds(name: str, n: int) -> float | None:
        r = runs.get(name, {}).get(n)
        return float(r["seconds"]) if r and "seconds" in r else None

    def peak(name: str, n: int) -> float | None:
        r = runs.get(name, {}).get(n)
        return float(r["peak_mib"]) if r and "seconds" in r else None

    parts: list[str] = []
    peers = [p for p in runs if p not in ("tidings", "lead")]
    if peers:
        fitted = [f"{p} {exponents[p]:.1f}" for p in peers if p in exponents]
        if fitted:
            parts.append(f"Fitted exponents of the peers: {', '.join(fitted)}.")
        finished = {p: max((n for n, r in runs[p].items() if "seconds" in r), default=0) for p in peers}
        over = [p for p in peers if any(r.get("timeout") for r in runs[p].values())]
        if over:
            parts.append(
                f"{', '.join(over)} ran past {limit:.0f} s (largest size finished: "
                + ", ".join(f"{p} N={finished[p]}" for p in over)
                + ")."
            )
        big = [(p, peak(p, n), n) for p in peers for n in sorted(runs[p]) if (peak(p, n) or 0) > 1024]
        if big:
            p, mib, n = big[0]
            parts.append(f"{p} already needs {mib / 1024:.1f} GiB at N={n}.")
    t500, lex50 = seconds("tidings", 500), seconds("sumy-lexrank", 50)
    if t500 is not None and lex50 is not None:
        verdict = "faster" if t500 < lex50 else "slower"
        c500, clex50 = runs["tidings"][500].get("cpu"), runs["sumy-lexrank"][50].get("cpu")
        cpu_note = (
            f"; in CPU seconds {float(c500):.1f} against {float(clex50):.1f}" if c500 is not None and clex50 else ""
        )
        parts.append(
            f"tidings summarizes 500 documents in {t500:.1f} s, {verdict} than sumy LexRank summarizes 50 "
            f"({lex50:.1f} s{cpu_note})."
        )
    if "tidings" in exponents:
        parts.append(f"tidings' time grows as N^{exponents['tidings']:.2f}.")
    big_n = max((n for n, r in runs.get("tidings", {}).items() if "seconds" in r), default=None)
    if big_n:
        parts.append(
            f"At N={big_n:,} it takes {seconds('tidings', big_n):.1f} s and peaks at "
            f"{peak('tidings', big_n):.0f} MiB ({'under' if (peak('tidings', big_n) or 0) < 1024 else 'over'} "
            "1 GiB)."
        )
    if stages:
        st = stages["stages"]
        assert isinstance(st, dict)
        total = float(stages["total"])
        top = sorted(st.items(), key=lambda kv: -kv[1])[:2]
        parts.append(
            "Most of its time goes to "
            + " and ".join(f"{stage} ({seconds_ / total:.0%})" for stage, seconds_ in top)
            + f" at N={stages['n']:,}."
        )
        peaks = stages.get("peak")
        if isinstance(peaks, dict) and peaks:
            rise = [(peaks[b] - peaks[a], b) for a, b in itertools.pairwise(STAGES) if a in peaks and b in peaks]
            if rise:
                mib, stage = max(rise)
                parts.append(f"The largest rise of its peak memory, {mib:.0f} MiB, comes in {stage}.")
    return " ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="comma-separated cluster sizes")
    parser.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated systems")
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds per run before it is killed")
    parser.add_argument("--words", type=int, default=300, help="summary budget in words (Multi-News protocol)")
    parser.add_argument("--multinews", type=Path, default=DEFAULT_MULTINEWS, help="first source of articles")
    parser.add_argument("--wcep", type=Path, default=DEFAULT_WCEP, help="second source of articles")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="Markdown file to write")
    parser.add_argument("--stages", type=int, default=None, help="N for the per-stage run (default: largest size)")
    parser.add_argument("--no-stages", action="store_true", help="skip the per-stage and profile runs of tidings")
    parser.add_argument("--child", nargs=2, metavar=("SYSTEM", "N"), help=argparse.SUPPRESS)
    parser.add_argument("--stages-child", type=int, metavar="N", help=argparse.SUPPRESS)
    parser.add_argument("--profile", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    paths = [args.multinews, args.wcep]

    if args.child:
        child(args.child[0], int(args.child[1]), args.words, paths)
        return 0
    if args.stages_child is not None:
        stages_child(args.stages_child, args.words, paths, args.profile)
        return 0

    args.sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    systems = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = [s for s in systems if s not in SYSTEMS]
    if unknown:
        parser.error(f"unknown systems: {', '.join(unknown)} (known: {', '.join(SYSTEMS)})")
    for path in paths:
        if not path.is_file():
            parser.error(f"no such file: {path}")

    started = time.perf_counter()
    args.load = os.getloadavg()
    runs: dict[str, dict[int, dict[str, object]]] = {}
    for name in systems:
        runs[name] = {}
        stop = False
        for n in args.sizes:
            if stop:
                runs[name][n] = {"skipped": True, "timeout": False}
                continue
            run = run_child(_child_cmd(args, "--child", name, str(n)), args.time_limit)
            runs[name][n] = run
            _log(f"{name:15} N={n:5}: {_cell(run, args.time_limit)}")
            stop = bool(run["timeout"] or "error" in run)

    stages: dict[str, object] | None = None
    if not args.no_stages and "tidings" in systems:
        n = args.stages or max(args.sizes)
        limit = 10 * args.time_limit
        plain = run_child(_child_cmd(args, "--stages-child", str(n)), limit)
        profiled = run_child(_child_cmd(args, "--stages-child", str(n), "--profile"), limit)
        if "total" in plain:
            stages = {
                "n": n,
                "total": plain["total"],
                "stages": plain["stages"],
                "cpu": plain.get("cpu"),
                "peak": plain.get("peak"),
            }
            _log(f"stages at N={n}: " + ", ".join(f"{k} {v:.2f} s" for k, v in plain["stages"].items()))
            if "profile" in profiled:
                stages["profile"] = profiled["profile"]
                stages["profile_total"] = profiled["total"]

    text = report(args, runs, stages, time.perf_counter() - started)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
