"""Language identification with py3langid (a small model shipped in the package).

The cleaner, splitter and summarizer are tuned for English; an article in
another language is reported instead of producing a garbled summary.
"""

from __future__ import annotations

from functools import lru_cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

_SAMPLE_CHARS = 3000
_MIN_WORDS = 12
_MIN_CONFIDENCE = 0.75


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or ``None`` when unsure (too short or mixed).

    >>> detect_language("The president met the leader of North Korea in Vladivostok on Thursday.")
    'en'
    """
    sample = text[:_SAMPLE_CHARS]
    if len(sample.split()) < _MIN_WORDS:
        return None
    lang, prob = _identifier().classify(sample)
    return str(lang) if prob >= _MIN_CONFIDENCE else None
