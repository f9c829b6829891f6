"""Progress bars that appear on a terminal and stay quiet when piped.

Long batches show a rich progress bar on stderr when stderr is a
terminal; in pipes, CI logs and tests nothing is drawn.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

_MIN_ITEMS = 20


def interactive() -> bool:
    """True when a human is watching stderr."""
    return sys.stderr.isatty()


def progress(items: Sequence[T], description: str, *, min_items: int = _MIN_ITEMS) -> Iterator[T]:
    """Iterate over ``items``, drawing a bar when the batch is long and stderr is a terminal."""
    if len(items) < min_items or not interactive():
        yield from items
        return
    from rich.progress import track

    yield from track(items, description=description, transient=True, console=_console())


def _console():
    from rich.console import Console

    return Console(stderr=True)


@contextmanager
def record_counter(description: str, total: int | None = None) -> Iterator[Callable[[], None]]:
    """A bar counting records as they are read, advanced by calling the yielded function.

    ``total`` is an estimate where the inputs allow one (lines of JSONL files, files of a folder) and
    ``None`` where they do not (feeds: entries are known only once fetched); the bar then shows the
    count and the elapsed time. Nothing is drawn when stderr is not a terminal, or for a few records.
    """
    if not interactive() or (total is not None and total < _MIN_ITEMS):
        yield lambda: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()]
    columns += [TextColumn("records"), TimeElapsedColumn()]
    with Progress(*columns, console=_console(), transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda: bar.advance(task)


@contextmanager
def progress_bar(total: int, description: str) -> Iterator[Callable[[], None]]:
    """A bar advanced by calling the yielded function; a no-op when not on a terminal."""
    if total < _MIN_ITEMS or not interactive():
        yield lambda: None
        return
    from rich.progress import Progress

    with Progress(console=_console(), transient=True) as bar:
        task = bar.add_task(description, total=total)
        yield lambda: bar.advance(task)
