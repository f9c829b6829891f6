"""Cross-source analysis: who says what, when, and where the sources disagree.

``analyze(prepared, config) -> Analysis`` and ``analysis_json(analysis)`` are
the stable entry points (the web service calls them)::

    >>> from tidings.analyze import analyze, analysis_json  # doctest: +SKIP
    >>> data = analysis_json(analyze(prepare(documents)))  # doctest: +SKIP
    >>> data["disagreements"][0]["values"]  # doctest: +SKIP

Modules: :mod:`.quantities` (numbers as intervals), :mod:`.dates`
(resolution against publication dates), :mod:`.nlp` (spaCy or rules for
names), :mod:`.entities` (merging variants), :mod:`.quotes` (speakers),
:mod:`.claims` (alignment, disagreements, changes over time), :mod:`.render` (JSON,
Markdown, HTML).
"""

from tidings.analyze.core import analyze
from tidings.analyze.model import Analysis, ClaimGroup, ClaimValue, DateMention, Entity, Interval, QuoteGroup
from tidings.analyze.render import analysis_json, render_analysis

__all__ = [
    "Analysis",
    "ClaimGroup",
    "ClaimValue",
    "DateMention",
    "Entity",
    "Interval",
    "QuoteGroup",
    "analysis_json",
    "analyze",
    "render_analysis",
]
