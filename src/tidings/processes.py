"""Worker processes that end with the process that started them.

A pool's workers wait for work on a pipe from their parent. If the parent
dies without closing the pool (``kill -9``, the OOM killer), nothing tells
them: they stay alive under PID 1, each holding its memory (a server's
compute processes hold ~170 MB). :func:`exit_with_parent`, run in a
worker's initializer, watches for the parent to go and exits then.
"""

from __future__ import annotations

import os
import threading
import time

_INTERVAL = 1.0  # seconds between two looks at the parent


def exit_with_parent() -> None:
    """Start a daemon thread that ends this process once its parent is gone (it is then re-parented)."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(_INTERVAL)
            if os.getppid() != parent:
                os._exit(0)  # no cleanup: the parent that would collect results is gone

    threading.Thread(target=watch, name="tidings-parent-watch", daemon=True).start()
