"""Where sources disagree, when the cross-source analysis (:mod:`tidings.analyze`) is installed.

The service does no analysis of its own: it calls ``tidings.analyze.analyze``
on the story's archived (already cleaned) documents and keeps the
``disagreements`` of ``analysis_json``, the stable JSON contract. Without the
module, or if it fails on a story, the story page simply has no
disagreements section; a failure there must never take the page down.
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


def story_disagreements(documents: Sequence[Document], config: Config) -> list[dict[str, Any]] | None:
    """The ``disagreements`` of the story's analysis, or None when no analysis is available for it."""
    if len(documents) < 2 or not available():
        return None
    module = importlib.import_module("tidings.analyze")
    try:
        data = module.analysis_json(module.analyze(prepare(documents, config, clean=False), config))
    except Exception:  # an optional, separately developed stage: log it, leave the section out
        log.exception("cross-source analysis failed for %d documents", len(documents))
        return None
    disagreements = data.get("disagreements") if isinstance(data, dict) else None
    return list(disagreements) if isinstance(disagreements, list) else None
