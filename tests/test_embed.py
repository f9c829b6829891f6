"""The bundled static sentence encoder (base install, numpy only)."""

import hashlib
from pathlib import Path

import numpy as np
import pytest

from tidings import embed
from tidings.embed import EmbeddingError, StaticEmbedding, WordPiece, encode
from tidings.represent import get_representation

MEET = "Putin and Kim will meet next week in Vladivostok, the Kremlin said."
PARAPHRASE = "The Kremlin announced that the Russian and North Korean leaders will hold talks in Vladivostok next week."
UNRELATED = "Heavy rain flooded parts of southern England on Tuesday, closing schools and roads."


def test_vectors_are_unit_rows_and_paraphrases_are_closer_than_unrelated() -> None:
    v = encode([MEET, PARAPHRASE, UNRELATED])
    assert v.shape == (3, embed.default_model().dims) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2


def test_empty_input_and_text_without_pieces() -> None:
    assert encode([]).shape == (0, embed.default_model().dims)
    v = encode(["", "   "])
    assert not v.any()


def test_wordpiece_follows_bert_uncased_rules() -> None:
    vocab = {p: i for i, p in enumerate(["[UNK]", "kim", "'", "s", "vlad", "##ivo", "##stok", ",", "cafe", "."])}
    wp = WordPiece(vocab)
    assert wp.ids("Kim's Vladivostok, CAFÉ.") == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert wp.ids("zzz kim") == [1]  # an unknown word is left out, not averaged in


def test_same_pieces_as_the_reference_tokenizer_when_available() -> None:
    tokenizers = pytest.importorskip("tokenizers")
    path = Path(str(embed._data_path(embed.VOCAB_FILE)))
    reference = tokenizers.Tokenizer.from_file(str(path))
    reference.no_padding()
    reference.no_truncation()
    unk = reference.token_to_id("[UNK]")
    ours = embed.default_model().tokenizer
    for text in (MEET, "Kim Jong-un’s $100m “deal” — naïve café, 3.5%… 北京 ＡＢＣ", "e-mail: a_b@c.org (U.N.)"):
        expected = [i for i in reference.encode(text, add_special_tokens=False).ids if i != unk]
        assert ours.ids(text) == expected


def test_a_swapped_model_file_fails_its_checksum(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / embed.MODEL_FILE
    bad.write_bytes(b"not a model")
    monkeypatch.setattr(embed, "_data_path", lambda name: bad if name == embed.MODEL_FILE else tmp_path / name)
    with pytest.raises(EmbeddingError, match="checksum"):
        StaticEmbedding.from_files()
    assert hashlib.sha256(b"not a model").hexdigest() != embed.MODEL_SHA256


def test_static_representation_backend() -> None:
    rep = get_representation("static")
    rows = rep.fit_transform([MEET, PARAPHRASE])
    assert rows.shape[0] == 2 and float(rows[0] @ rows[1]) > 0.6


def test_the_ascii_shortcut_of_the_basic_tokenizer_is_the_general_rule():
    from tidings.embed import _basic_words, _unicode_words

    tokens = ["(U.S.)", "don't", "$1,000.50", "#tag", "@user", "a_b", "~~", "e-mail", "a\x01b", "x\x7fy", "Putin,"]
    tokens += [f"{chr(i)}x{chr(i)}Y" for i in range(128)]
    for token in tokens:
        assert _basic_words(token) == _unicode_words(token), repr(token)


def _token_by_token(wp: embed.WordPiece, text: str) -> list[int]:
    """The general rule: each whitespace token through the basic tokenizer, then the piece cap and unknowns."""
    out: list[int] = []
    for token in text.split():
        out.extend(wp._token(token))
    return [i for i in out[: embed.MAX_PIECES] if i != wp.unk_id]


def test_a_whole_ascii_text_gets_the_pieces_of_its_tokens_one_by_one():
    """The one-pass word path for ASCII text equals the token-by-token rule, controls and the piece cap included."""
    wp = embed.default_model().tokenizer

    texts = [MEET, "a\tb\nc\x1cd\x01e\x7ff", "x\x00y", 'Trump\'s,"quote"--dash', "a" * 150 + " b", "word " * 700]
    texts += [f"Kim{chr(i)}Putin {chr(i)}x" for i in range(128)]
    for text in texts:
        assert text.isascii() and wp.ids(text) == _token_by_token(wp, text), repr(text)


def test_news_punctuation_is_what_the_basic_tokenizer_splits_off_unchanged():
    """Each non-ASCII character of the one-pass path is punctuation to BERT and survives lower-casing, NFD and
    accent stripping as itself: the general rule makes it a word of its own, as the one-pass path does."""
    import unicodedata

    from tidings.embed import _NEWS_PUNCTUATION, _is_punctuation, _unicode_words

    for char in _NEWS_PUNCTUATION:
        assert not char.isascii() and _is_punctuation(char), repr(char)
        assert char.lower() == char == unicodedata.normalize("NFD", char), repr(char)
        assert _unicode_words(f"a{char}b") == ["a", char, "b"], repr(char)


def test_news_text_with_curly_quotes_and_dashes_gets_the_pieces_of_its_tokens_one_by_one():
    """Random texts of letters, digits, ASCII symbols and controls, news punctuation and (sometimes) a character
    outside it: the same pieces as the general rule, token by token, whichever path a text takes."""
    import random

    from tidings.embed import _NEWS_PUNCTUATION

    wp = embed.default_model().tokenizer

    rng = random.Random(15)
    alphabet = "abcKPz019 ,.'\"-$(\t\n\x01\x1f" + _NEWS_PUNCTUATION * 2 + "Putin "
    others = "é\xa0£ü\u200b\u2009中"
    fast = 0
    for _ in range(3000):
        chars = rng.choices(alphabet, k=rng.randint(0, 60))
        if rng.random() < 0.2:
            chars.insert(rng.randint(0, len(chars)), rng.choice(others))
        text = "".join(chars)
        fast += not text.isascii() and not any(c in others for c in text)
        assert wp.ids(text) == _token_by_token(wp, text), repr(text)
    assert fast > 1000  # the new path was taken
