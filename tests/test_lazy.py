"""Lazy packages: a public function keeps its name even after the submodule of the same name is imported."""

import importlib
import subprocess
import sys


def test_public_functions_win_over_submodules_of_the_same_name():
    import tidings
    import tidings.ingest

    for module in ("tidings.summarize", "tidings.clean", "tidings.render", "tidings.segment", "tidings.ingest.fetch"):
        importlib.import_module(module)
    assert callable(tidings.summarize) and callable(tidings.clean) and callable(tidings.render)
    assert callable(tidings.segment) and callable(tidings.ingest.fetch)
    from tidings import summarize
    from tidings.ingest import fetch

    assert summarize.__module__ == "tidings.pipeline" and fetch.__module__ == "tidings.ingest.fetch"


def test_importing_the_cli_or_a_reader_loads_no_extractor():
    code = (
        "import sys, tidings.cli, tidings.ingest.dates, tidings.ingest.files, tidings.pipeline;"
        "print(sorted(m for m in ('trafilatura', 'httpx', 'sklearn', 'datasketch') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_summarizing_to_text_loads_no_template_engine_or_help_renderer():
    """The seed summary's start-up budget: jinja2 (HTML only) and typer's rich help (help only) stay unloaded."""
    from pathlib import Path

    example = Path(__file__).resolve().parents[1] / "examples" / "seed-cluster"
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print(sorted(m for m in ('jinja2', 'typer.rich_utils')"
        " if m in sys.modules), file=sys.stderr))\n"
        "from tidings.cli import main\n"
        f"sys.argv = ['tidings', 'summarize', {str(example)!r}, '--words', '60']\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "[" in done.stdout  # a summary with its citations was printed
    loaded = done.stderr.strip().splitlines()[-1]
    assert "jinja2" not in loaded and "typer.rich_utils" not in loaded
