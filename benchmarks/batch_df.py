"""The local batch engine's document-frequency step alone: peak memory and CPU on a synthetic term stream.

Usage: python benchmarks/batch_df.py [--documents 50000,150000] [--tidings-src PATH]

Each document holds 200 distinct term ids: half from a shared vocabulary of two million, half near-unique (the
renamed entities of the synthetic corpora of benchmarks/batch.py), so the vocabulary grows with the archive as
it does there. Each size runs in a fresh process (peak RSS is per process); ``--tidings-src`` runs another
checkout's ``src`` (e.g. the code before a change) in the same minutes. Prints one line per size.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time

import numpy as np


def child(documents: int) -> None:
    from tidings.batch import local

    rng = np.random.default_rng(0)

    def docs():
        for _ in range(documents):
            shared = rng.integers(0, 2_000_000, size=100)
            rare = rng.integers(1 << 40, 1 << 62, size=100)
            yield np.unique(np.concatenate([shared, rare]).astype(np.int64))

    start = time.process_time()
    terms, dfs = local.document_frequencies(docs())
    cpu = time.process_time() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(
        f"{documents:,} documents: {len(terms):,} terms, {int((dfs > 1).sum()):,} in two or more; "
        f"peak {peak:,} MiB, {cpu:.1f} s CPU ({local.__file__})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", default="50000,150000")
    parser.add_argument("--tidings-src", help="run this checkout's src/ instead of the installed tidings")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    env = dict(os.environ)
    if args.tidings_src:
        env["PYTHONPATH"] = args.tidings_src
    for size in args.documents.split(","):
        subprocess.run([sys.executable, __file__, "--child", size], env=env, check=True)


if __name__ == "__main__":
    main()
