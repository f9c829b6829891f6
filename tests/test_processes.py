"""Worker processes end with their parent, even when the parent is killed."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

PARENT = """
import sys, time
from concurrent.futures import ProcessPoolExecutor
from tidings.processes import exit_with_parent

def pid():
    import os
    return os.getpid()

if __name__ == "__main__":
    with ProcessPoolExecutor(1, initializer=exit_with_parent) as pool:
        print(pool.submit(pid).result(), flush=True)
        time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z")


def test_pool_workers_exit_when_the_parent_is_killed(tmp_path: Path):
    script = tmp_path / "parent.py"
    script.write_text(PARENT)
    with subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True) as parent:
        child = int(parent.stdout.readline())
        assert _alive(child)
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 30
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(child)
