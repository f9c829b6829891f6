import random

import pytest

from tidings.errors import InputError
from tidings.ingest.decode import decode_bytes, looks_binary, normalize_text


def test_utf8_with_bom():
    assert decode_bytes("\ufeffKim’s visit".encode()) == "Kim’s visit"


def test_windows_1252_is_detected():
    text = "Café naïve — résumé of the talks, which ended on Thursday in the capital."
    assert decode_bytes(text.encode("cp1252")) == text


def test_binary_is_refused():
    with pytest.raises(InputError, match="binary"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


def test_looks_binary_accepts_plain_text():
    assert not looks_binary(b"Plain text\nwith lines\tand tabs.")


def test_normalize_repairs_mojibake_and_spaces():
    raw = "The Kremlinâ€™s\u00a0spokesman  said\u200b so.\r\nNext line  "
    assert normalize_text(raw) == "The Kremlin’s spokesman said so.\nNext line"


def test_every_whitespace_run_but_a_newline_becomes_one_space():
    import re

    from tidings.ingest.decode import _SPACES

    spaces = [chr(c) for c in range(0x110000) if re.fullmatch(r"\s", chr(c)) and chr(c) != "\n"]
    assert len(spaces) > 20
    for a in spaces:
        for b in [*spaces, "", "\n"]:
            raw = f"x{a}y{a}{b}z {b}w{b}"
            assert _SPACES.sub(" ", raw) == re.sub(r"[^\S\n]+", " ", raw), repr(raw)


def test_normalize_keeps_line_numbers():
    raw = "a\n\n\n\nb"
    assert normalize_text(raw).split("\n") == ["a", "", "", "", "b"]


def test_utf16_with_bom():
    assert decode_bytes("Kim’s visit".encode("utf-16")) == "Kim’s visit"


def test_text_ftfy_would_leave_alone_skips_it_and_comes_out_the_same():
    import unicodedata

    import ftfy

    from tidings.ingest.decode import _FTFY_WORK, normalize_text

    samples = [
        "Plain English news, with \u201ccurly quotes\u201d, an em dash \u2014 and an ellipsis\u2026",
        "The Kremlin\u00e2\u20ac\u2122s spokesman",  # mojibake: repaired
        "caf\u00e9 x &amp; y \ufb01ne \uff26ull a\u2028b \u0432\u0402\u2122",
        "AT&T and Q&A & more; R&D.",  # ampersands outside an entity: nothing for ftfy
        "Fish &amp; chips &#8217; &#x2019; &eacute; &AMP; &nbsp;",  # entities: ftfy decodes them
    ]
    for text in samples:
        fixed = ftfy.fix_text(text, uncurl_quotes=False, fix_line_breaks=True, normalization="NFC")
        expected = normalize_text(unicodedata.normalize("NFC", fixed))
        assert normalize_text(text) == expected, text
    assert not _FTFY_WORK.search(samples[0]) and _FTFY_WORK.search(samples[1])
    assert not _FTFY_WORK.search(samples[3]) and _FTFY_WORK.search(samples[4])
    assert normalize_text(samples[1]) == "The Kremlin\u2019s spokesman"


def test_looks_binary_counts_control_bytes_as_a_byte_by_byte_count_does():
    def reference(data: bytes) -> bool:
        head = data[:8192]
        if not head:
            return False
        return b"\x00" in head or sum(1 for b in head if b < 9 or 13 < b < 32) / len(head) > 0.05

    rng = random.Random(3)
    for _ in range(3000):
        n = rng.randint(0, 300)
        rate = rng.choice([0.0, 0.03, 0.05, 0.06, 0.2])
        data = bytes(rng.randrange(1, 32) if rng.random() < rate else rng.randrange(32, 256) for _ in range(n))
        assert looks_binary(data) == reference(data), data
    assert looks_binary(b"a" * 94 + b"\x01" * 6) and not looks_binary(b"a" * 95 + b"\t\n\r\x0b\x0c")
