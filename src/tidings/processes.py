"""Worker processes: they end with the process that started them, and they share the cores fairly.

A pool's workers wait for work on a pipe from their parent. If the parent
dies without closing the pool (``kill -9``, the OOM killer), nothing tells
them: they stay alive under PID 1, each holding its memory (a server's
compute processes hold ~170 MB). :func:`exit_with_parent`, run in a
worker's initializer, watches for the parent to go and exits then.

tidings' matrices are small (a story's sentences by a few hundred
dimensions), and its parallelism is processes. A BLAS library's own thread
pool (OpenBLAS starts one thread per core) only spins on the cores the other
processes need: a 10,000-article ``tidings ingest`` on two cores took 15%
more CPU and 12% more time with it, a 1,500-article summary 4-14% more time
(``benchmarks/results/ingest.md``). :func:`one_blas_thread` turns it off
unless the user asked for threads.
"""

from __future__ import annotations

import os
import sys
import threading
import time

_INTERVAL = 1.0  # seconds between two looks at the parent
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")


def exit_with_parent() -> None:
    """Start a daemon thread that ends this process once its parent is gone (it is then re-parented)."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(_INTERVAL)
            if os.getppid() != parent:
                os._exit(0)  # no cleanup: the parent that would collect results is gone

    threading.Thread(target=watch, name="tidings-parent-watch", daemon=True).start()


def one_blas_thread() -> None:
    """Run BLAS on one thread in this process and its children, unless a ``*_NUM_THREADS`` variable says otherwise.

    The variables reach a library loaded later (and child processes); threadpoolctl reaches one loaded already.
    """
    if any(name in os.environ for name in BLAS_THREADS):
        return
    for name in BLAS_THREADS[:2]:
        os.environ[name] = "1"
    if "numpy" in sys.modules:  # its BLAS is loaded and has read the environment already
        from threadpoolctl import threadpool_limits

        threadpool_limits(1, user_api="blas")


def init_worker() -> None:
    """A pool worker's initializer: end with the parent, one BLAS thread (the pool is the parallelism)."""
    exit_with_parent()
    one_blas_thread()
