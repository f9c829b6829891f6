"""Sentence embeddings in the base install: a static model distilled from all-MiniLM-L6-v2, numpy only.

Why a static model: paraphrase ("Kim will travel to Russia" / "the North
Korean leader is heading to Vladivostok") is invisible to word overlap, and a
transformer costs ~100 sentences per second per core here. A model2vec
distillation (one vector per word piece, computed once by passing each piece
through MiniLM; see ``tools/distill_static_model.py``) gives a sentence
vector as the mean of its pieces' vectors: tens of thousands of sentences a
second, no torch, no onnxruntime, no download, 6.7 MB of int8 weights inside
the package (``data/minilm-static.npz``; provenance and licence in
``data/README.md``).

Tokenization is BERT's uncased WordPiece, reimplemented here with the
vocabulary of ``data/minilm-tokenizer.json`` (the same file the ``semantic``
extra uses), so the model needs nothing but numpy and scipy. Pieces are
cached per word (per whitespace-separated token in a text that is not
ASCII), so a long stream pays the slow path once per distinct word.

Vectors are L2-normalised (a text without a known piece gets a zero row),
so dot products are cosines. Issue 13 (story clustering) reuses
:func:`encode`.

>>> import numpy as np
>>> v = encode(["Kim will meet Putin in Vladivostok.", "Putin and Kim are to hold talks in Vladivostok."])
>>> v.shape[0], bool(np.isclose(np.linalg.norm(v[0]), 1.0)), bool(v[0] @ v[1] > 0.6)
(2, True, True)
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import threading
import unicodedata
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np
from scipy import sparse

from tidings.errors import TidingsError

MODEL_FILE = "minilm-static.npz"
MODEL_SHA256 = "caa30aeb94ce489d3bf7a2c937fa82eed248f283fece3c7e2610e450838637d5"
VOCAB_FILE = "minilm-tokenizer.json"
VOCAB_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
MAX_PIECES = 512  # per text, as model2vec's own encoder
_MAX_WORD_CHARS = 100  # BERT: a longer word is one unknown piece
_CACHE_LIMIT = 500_000  # distinct tokens remembered before the cache is emptied


class EmbeddingError(TidingsError):
    """The bundled embedding model is missing or is not the pinned file."""


def _data_path(name: str) -> Path:
    return Path(str(resources.files("tidings") / "data" / name))


def _verified(path: Path, expected: str) -> bytes:
    try:
        payload = path.read_bytes()
    except OSError as exc:
        raise EmbeddingError(f"embedding file {path} cannot be read ({exc}); reinstall tidings") from None
    actual = hashlib.sha256(payload).hexdigest()
    if actual != expected:
        raise EmbeddingError(f"embedding file {path} failed its checksum (sha256 {actual}, expected {expected})")
    return payload


def _is_punctuation(char: str) -> bool:
    """BERT's rule: ASCII symbols count as punctuation, and so does every Unicode P* character."""
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_cjk(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B81F
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )


_ASCII_WORDS = re.compile(r"[a-z0-9]+|[!-/:-@\[-`{-~]")  # BERT's rule on ASCII: symbols are punctuation
_ASCII_CONTROL = dict.fromkeys([*range(32), 127])  # removed (joining what they separated), as BERT does
# The same for a whole ASCII text: what ``str.split`` splits on becomes a space, other controls are removed.
_ASCII_TEXT = {**_ASCII_CONTROL, **dict.fromkeys(map(ord, "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"), " ")}
_ASCII_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")  # most sentences have none: then the table is not applied
# Punctuation outside ASCII that English news is full of (a quarter of its sentences hold one): each is a Unicode
# P* character that lower-casing, NFD and accent stripping leave as it is, so the basic tokenizer makes it a word
# of its own, as it does an ASCII symbol; a text with no other non-ASCII character takes the one-pass path.
_NEWS_PUNCTUATION = "‘’‚“”„–—…•′″"
_OTHER_THAN_NEWS_TEXT = re.compile(f"[^\\x00-\\x7f{_NEWS_PUNCTUATION}]")
_NEWS_WORDS = re.compile(f"[a-z0-9]+|[!-/:-@\\[-`{{-~{_NEWS_PUNCTUATION}]")


def _basic_words(token: str) -> list[str]:
    """BERT's basic tokenizer on one whitespace-free token: clean, lower-case, strip accents, split punctuation."""
    if token.isascii():  # nearly every token of English news: no accents, no CJK, punctuation by table
        return _ASCII_WORDS.findall(token.translate(_ASCII_CONTROL).lower())
    return _unicode_words(token)


def _unicode_words(token: str) -> list[str]:
    """The basic tokenizer for any token, character by character (what the ASCII shortcut must equal)."""
    chars = []
    for char in token:
        code = ord(char)
        if code == 0 or code == 0xFFFD or unicodedata.category(char) in ("Cc", "Cf"):
            continue
        chars.append(f" {char} " if _is_cjk(code) else char)
    text = unicodedata.normalize("NFD", "".join(chars).lower())
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    words: list[str] = []
    for part in text.split():
        current = ""
        for char in part:
            if _is_punctuation(char):
                if current:
                    words.append(current)
                    current = ""
                words.append(char)
            else:
                current += char
        if current:
            words.append(current)
    return words


class WordPiece:
    """BERT uncased WordPiece over a fixed vocabulary: greedy longest match, ``##`` continuations."""

    def __init__(self, vocab: dict[str, int], unk: str = "[UNK]") -> None:
        self.vocab = vocab
        self.unk_id = vocab[unk]
        self._cache: dict[str, tuple[int, ...]] = {}
        self._words: dict[str, tuple[int, ...]] = {}
        self._lock = threading.Lock()

    def _word(self, word: str) -> list[int]:
        if len(word) > _MAX_WORD_CHARS:
            return [self.unk_id]
        ids, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                found = self.vocab.get(piece)
                if found is not None:
                    ids.append(found)
                    break
                end -= 1
            else:
                return [self.unk_id]
            start = end
        return ids

    def _token(self, token: str) -> tuple[int, ...]:
        cached = self._cache.get(token)
        if cached is None:
            cached = tuple(i for word in _basic_words(token) for i in self._word(word))
            self._remember(self._cache, token, cached)
        return cached

    def _remember(self, cache: dict[str, tuple[int, ...]], key: str, value: tuple[int, ...]) -> None:
        with self._lock:
            if len(cache) >= _CACHE_LIMIT:
                cache.clear()
            cache[key] = value

    def ids(self, text: str) -> list[int]:
        """The piece ids of a text, unknown pieces left out (they carry no meaning), at most ``MAX_PIECES``.

        An ASCII text (nearly all English news, also with curly quotes and
        dashes) is split into words in one pass and each word looked up in a
        cache of words: a sentence's tokens ("Trump,", "Trump's") need not
        have been seen before, only its words. Other texts go token by token
        through the full rules.
        """
        out: list[int] = []
        if text.isascii() or not _OTHER_THAN_NEWS_TEXT.search(text):
            cache = self._words
            if _ASCII_CONTROLS.search(text):
                text = text.translate(_ASCII_TEXT)
            for word in _NEWS_WORDS.findall(text.lower()):
                pieces = cache.get(word)
                if pieces is None:
                    pieces = tuple(self._word(word))
                    self._remember(cache, word, pieces)
                out.extend(pieces)
                if len(out) >= MAX_PIECES:
                    break
        else:
            for token in text.split():
                out.extend(self._token(token))
                if len(out) >= MAX_PIECES:
                    break
        unk = self.unk_id
        return [i for i in out[:MAX_PIECES] if i != unk]


class StaticEmbedding:
    """A static sentence encoder: mean of per-piece vectors, L2-normalised.

    ``vectors`` has one row per vocabulary piece. Build it with
    :meth:`from_files` (the bundled model by default).
    """

    def __init__(self, vectors: np.ndarray, tokenizer: WordPiece) -> None:
        if vectors.ndim != 2 or vectors.shape[0] != len(tokenizer.vocab):
            raise ValueError(f"{vectors.shape[0]} vectors for a vocabulary of {len(tokenizer.vocab)} pieces")
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.tokenizer = tokenizer

    @property
    def dims(self) -> int:
        return int(self.vectors.shape[1])

    @classmethod
    def from_files(cls, model: Path | None = None, vocab: Path | None = None) -> StaticEmbedding:
        """Load the int8 vectors and the vocabulary, checking both against their pinned SHA-256 sums.

        Custom paths (a re-distilled model) skip the check.
        """
        import io

        model_path = model or _data_path(MODEL_FILE)
        vocab_path = vocab or _data_path(VOCAB_FILE)
        model_bytes = _verified(model_path, MODEL_SHA256) if model is None else model_path.read_bytes()
        vocab_bytes = _verified(vocab_path, VOCAB_SHA256) if vocab is None else vocab_path.read_bytes()
        with np.load(io.BytesIO(model_bytes)) as data:
            vectors = data["vectors"].astype(np.float32) * data["scales"][:, None]
        pieces = json.loads(vocab_bytes)["model"]["vocab"]
        return cls(vectors, WordPiece(pieces))

    def counts(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Texts × pieces matrix of piece frequencies divided by each text's piece count (rows sum to 1)."""
        indptr = [0]
        indices: list[int] = []
        for text in texts:
            indices.extend(self.tokenizer.ids(text))
            indptr.append(len(indices))
        lengths = np.diff(np.asarray(indptr))
        data = np.repeat(1.0 / np.maximum(lengths, 1), lengths).astype(np.float32)
        matrix = sparse.csr_matrix(
            (data, np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int64)),
            shape=(len(texts), self.vectors.shape[0]),
        )
        matrix.sum_duplicates()
        return matrix

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row per text (zeros for a text with no known piece)."""
        if not len(texts):
            return np.zeros((0, self.dims), dtype=np.float32)
        pooled = np.asarray(self.counts(texts) @ self.vectors, dtype=np.float32)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.where(norms > 0, norms, 1.0)


@functools.cache
def default_model() -> StaticEmbedding:
    """The bundled model, loaded once per process (about 0.1 s)."""
    return StaticEmbedding.from_files()


def encode(texts: Sequence[str]) -> np.ndarray:
    """L2-normalised sentence vectors from the bundled static model (see the module docstring)."""
    return default_model().encode(texts)
