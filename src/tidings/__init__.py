"""tidings: turn a pile of news articles into stories a person can trust.

The public API works on plain strings as well as on :class:`Document` objects::

    >>> from tidings import summarize
    >>> summary = summarize([text_a, text_b], words=120)  # doctest: +SKIP
    >>> for sentence in summary.sentences:  # doctest: +SKIP
    ...     print(sentence.text, sentence.sources)

Stages, one module each, wired by :mod:`tidings.pipeline`:
ingest -> clean -> segment -> dedup -> summarize -> render.
(The name ``tidings.summarize`` here is the function; the stage module is
still importable as ``from tidings.summarize import summarize_sentences``.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tidings.lazy import make_lazy

if TYPE_CHECKING:
    from tidings.clean import clean, clean_document, clean_text
    from tidings.config import Config, DedupConfig, IngestConfig, SummarizeConfig
    from tidings.dedup import deduplicate
    from tidings.errors import ConfigError, InputError, TidingsError
    from tidings.ingest import load
    from tidings.model import Citation, Document, Problem, Sentence, Summary, SummarySentence
    from tidings.pipeline import prepare, summarize, summarize_paths
    from tidings.render import render, summary_json
    from tidings.segment import segment, split_sentences

# Where each public name lives. Imported on first use (PEP 562), so that ``import tidings.cli`` for
# ``tidings --help`` does not load scikit-learn, scipy and the rest of the pipeline.
_EXPORTS = {
    "clean": "tidings.clean",
    "clean_document": "tidings.clean",
    "clean_text": "tidings.clean",
    "Config": "tidings.config",
    "DedupConfig": "tidings.config",
    "IngestConfig": "tidings.config",
    "SummarizeConfig": "tidings.config",
    "deduplicate": "tidings.dedup",
    "ConfigError": "tidings.errors",
    "InputError": "tidings.errors",
    "TidingsError": "tidings.errors",
    "load": "tidings.ingest",
    "Citation": "tidings.model",
    "Document": "tidings.model",
    "Problem": "tidings.model",
    "Sentence": "tidings.model",
    "Summary": "tidings.model",
    "SummarySentence": "tidings.model",
    "prepare": "tidings.pipeline",
    "summarize": "tidings.pipeline",
    "summarize_paths": "tidings.pipeline",
    "render": "tidings.render",
    "summary_json": "tidings.render",
    "segment": "tidings.segment",
    "split_sentences": "tidings.segment",
}


make_lazy(__name__, _EXPORTS)

__version__ = "0.1.0"

__all__ = [
    "Citation",
    "Config",
    "ConfigError",
    "DedupConfig",
    "Document",
    "IngestConfig",
    "InputError",
    "Problem",
    "Sentence",
    "SummarizeConfig",
    "Summary",
    "SummarySentence",
    "TidingsError",
    "__version__",
    "clean",
    "clean_document",
    "clean_text",
    "deduplicate",
    "load",
    "prepare",
    "render",
    "segment",
    "split_sentences",
    "summarize",
    "summarize_paths",
    "summary_json",
]
