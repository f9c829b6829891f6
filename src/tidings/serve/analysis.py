"""The story page's cross-source analysis, when :mod:`tidings.analyze` is installed.

The service does no analysis of its own: it calls ``tidings.analyze.analyze``
on the story's archived (already cleaned) documents and keeps
``analysis_json``, the stable JSON contract (disagreements, changes,
timeline, quotes, people). Without the module, or if it fails on a story,
the story page simply has no analysis sections; a failure there must never
take the page down.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from tidings.config import Config
from tidings.model import Document
from tidings.pipeline import prepare

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def available() -> bool:
    """Whether ``tidings.analyze`` can be imported and exposes ``analyze`` and ``analysis_json`` (checked once)."""
    try:
        module = importlib.import_module("tidings.analyze")
    except ImportError:
        return False
    return callable(getattr(module, "analyze", None)) and callable(getattr(module, "analysis_json", None))


def story_analysis(documents: Sequence[Document], config: Config) -> dict[str, Any] | None:
    """The story's analysis as ``analysis_json`` (without summary and documents), or None when there is none."""
    if not documents or not available():
        return None
    module = importlib.import_module("tidings.analyze")
    try:
        data = module.analysis_json(module.analyze(prepare(documents, config, clean=False), config))
    except Exception:  # an optional, separately developed stage: log it, leave the section out
        log.exception("cross-source analysis failed for %d documents", len(documents))
        return None
    if not isinstance(data, dict):
        return None
    return {k: v for k, v in data.items() if k not in ("summary", "documents")}
