"""Bytes to clean unicode text.

Scraped text arrives in every encoding and with every kind of damage:
Windows-1252 files, UTF-8 read as Latin-1 and saved again (mojibake),
non-breaking spaces, zero-width characters, CRLF line ends. Everything
downstream assumes NFC unicode with plain spaces and ``\\n`` line ends.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer
import ftfy

from tidings.errors import InputError

_SNIFF = 8192
_CONTROL_BYTES = bytes(range(9)) + bytes(range(14, 32))  # C0 controls other than tab and line ends
# Whitespace other than a newline that is not already a single space: a run of two or more, or one tab, no-break
# space or the like (matching every single space between words, only to put it back, took twice as long).
_SPACES = re.compile(r"[^\S\n]{2,}|[^\S\n ]")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Single-byte codepages charset-normalizer may pick where Windows-1252 is
# far more likely on the web (WHATWG treats Latin-1 as Windows-1252 too).
_WESTERN = {"cp1250", "cp1252", "latin_1", "iso8859_15", "iso8859_2", "cp1257", "mac_roman", "cp850"}


def looks_binary(data: bytes) -> bool:
    """True for content that is not text: NUL bytes or many control bytes."""
    head = data[:_SNIFF]
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))  # in C: a byte-by-byte loop was 3% of a write
    return controls / len(head) > 0.05


def decode_bytes(data: bytes) -> str:
    """Decode bytes of unknown encoding, refusing binary content.

    UTF-8 (with or without BOM) is tried first because it is by far the
    most common and never decodes binary garbage by accident; otherwise
    charset-normalizer guesses, preferring Windows-1252 among near-equal
    Western codepages.

    >>> decode_bytes("caf\\u00e9".encode("cp1252"))
    'café'
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")  # its NUL bytes would look binary
    if looks_binary(data):
        raise InputError("binary content, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if sum(1 for b in data[:_SNIFF] if b < 0x80) >= 0.7 * len(data[:_SNIFF]):
        # mostly ASCII with a few high bytes: a Western single-byte page; guessing on so little evidence misleads
        return data.decode("cp1252", errors="replace")
    matches = charset_normalizer.from_bytes(data[: 4 * 1024 * 1024])
    best = matches.best()
    if best is None:
        raise InputError("cannot detect the text encoding (binary or corrupted)")
    encoding = best.encoding
    if encoding in _WESTERN and encoding != "cp1252":
        try:
            data.decode("cp1252")
            encoding = "cp1252"
        except UnicodeDecodeError:
            pass
    return data.decode(encoding, errors="replace")


# Characters ftfy can act on. Mojibake always holds a character of U+0080-U+00FF (the lead bytes of UTF-8 read
# as Latin-1, cp1252 or MacRoman) or, read as cp1251, a Cyrillic letter; ftfy's other repairs concern HTML
# entities, C0/C1 controls, terminal escapes, line and paragraph separators, surrogates, replacement
# characters, ligatures and full-width forms. Text with none of them (most English news) comes out of ftfy
# unchanged but for NFC and line breaks, which are done below anyway: ftfy, the costliest step of reading
# an article, is skipped for it (a test checks the two agree on such text). An ampersand only counts in an
# entity as ftfy's own pattern finds one ("AT&T", "Q&A" are left alone): it sent four in ten articles to ftfy.
_FTFY_WORK = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\u00ff\u0400-\u04ff\u2028\u2029\ud800-\udfff\ufb00-\ufb06\uff01-\uff5e\ufffd]"
    "|&#?[0-9A-Za-z]{1,24};"
)


def normalize_text(text: str) -> str:
    """Repair mojibake, NFC-normalise and tidy whitespace, keeping every line (line numbers stay valid).

    >>> normalize_text("The Kremlin\\u00e2\\u20ac\\u2122s  \\u00a0spokesman\\r\\n")
    'The Kremlin’s spokesman'
    """
    if _FTFY_WORK.search(text):  # otherwise ftfy has nothing to repair (and it is the costliest step here)
        text = ftfy.fix_text(text, uncurl_quotes=False, fix_line_breaks=True, normalization="NFC")
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return text.rstrip()  # leading blank lines stay, so line numbers match the input
