"""Calendar vocabulary shared by the stages that must not mistake a date for a name or a topic.

Clustering drops these words from story keys, the analysis uses them to find and resolve dates and
to keep "Monday" out of the people it lists.
"""

from __future__ import annotations

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
CALENDAR_WORDS = frozenset(WEEKDAYS + MONTHS)
