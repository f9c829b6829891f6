"""Language identification with py3langid (a small model shipped in the package).

The cleaner, splitter and summarizer are tuned for English; an article in
another language is reported instead of producing a garbled summary.

Nearly every input is plainly English, and loading py3langid's model costs
about half a second per process (more than summarizing a small cluster), so
plain English is recognised first by its function words: in running English
text about one word in six is one of a handful ("the", "and", "of", "that",
...; words that are also common words of other languages, such as "is",
"was" or "he", are left out), in other languages next to none. Measured
against py3langid: of the 1,685 dev articles the fast path decides 1,645
and of WCXB's 1,473 dev pages 1,225, every one English by the model too;
no page the model calls another language reaches the bar (the highest,
Bulgarian, 0.065 against 0.10; pages it is unsure about reach 0.098).
Anything else goes to the model.
"""

from __future__ import annotations

import re
from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

_SAMPLE_CHARS = 3000
_MIN_WORDS = 12
_MIN_CONFIDENCE = 0.75
_WORD = re.compile(r"[^\W\d_]+")
# frequent English function words that are not words of other Latin-script languages
_ENGLISH = frozenset(
    "the and of that with were which this have has from would their they been are its it she".split()  # noqa: SIM905
)
_PLAINLY_ENGLISH = 0.10  # share of the sample's words from _ENGLISH at or above which no model is asked


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def plainly_english(sample: str) -> bool:
    """Whether the text's function words leave no doubt that it is English (no model needed)."""
    words = _WORD.findall(sample.lower())
    if len(words) < _MIN_WORDS * 2:
        return False
    return sum(1 for w in words if w in _ENGLISH) / len(words) >= _PLAINLY_ENGLISH


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or ``None`` when unsure (too short or mixed).

    >>> detect_language("The president met the leader of North Korea in Vladivostok on Thursday.")
    'en'
    """
    sample = text[:_SAMPLE_CHARS]
    if len(sample.split()) < _MIN_WORDS:
        return None
    if plainly_english(sample):
        return "en"
    lang, prob = _identifier().classify(sample)
    return str(lang) if prob >= _MIN_CONFIDENCE else None
