"""Worker processes end with their parent, even when the parent is killed, and run BLAS on one thread."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

PARENT = """
import sys, time
from concurrent.futures import ProcessPoolExecutor
from tidings.processes import init_worker

def pid():
    import os
    return os.getpid()

if __name__ == "__main__":
    with ProcessPoolExecutor(1, initializer=init_worker) as pool:
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


BLAS = """
import json, sys
{before}
from threadpoolctl import threadpool_info
from tidings.processes import one_blas_thread
one_blas_thread()
import numpy
print(json.dumps([lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]))
"""


def _blas_threads(env_threads: str | None, numpy_first: bool) -> list[int]:
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS") and k != "VECLIB_MAXIMUM_THREADS"}
    if env_threads:
        env["OPENBLAS_NUM_THREADS"] = env["MKL_NUM_THREADS"] = env_threads
    code = BLAS.format(before="import numpy" if numpy_first else "")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_one_blas_thread_whether_numpy_was_loaded_before_or_after():
    assert _blas_threads(None, numpy_first=False) == [1]
    assert _blas_threads(None, numpy_first=True) == [1]


def test_a_users_thread_setting_is_kept():
    if (os.cpu_count() or 1) < 2:
        return  # one core: OpenBLAS runs one thread whatever is asked
    assert _blas_threads("2", numpy_first=True) == [2]
