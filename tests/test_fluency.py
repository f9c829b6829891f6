"""Garbling marks, and their precision on the frozen hand labels of the seed cluster."""

import json
from collections import defaultdict
from pathlib import Path

from tidings.fluency import doc_rate, garble_score, marks

LABELS = Path(__file__).parent / "fixtures" / "wellformed_labels.json"


def test_marks_of_spinning_and_scraping() -> None:
    assert marks("The talks ended on Friday, officials said.") == 0
    assert marks("Moscow been pushing for sanctions to be eased.") >= 1
    assert marks("efforts to pressure North North to unwind its program.") >= 1
    assert marks("a compromise which would see the some easing of sanctions.") >= 1
    assert marks("Kim meets for his first personal meeting with Putin.") >= 1
    assert marks("He left for Hanoi , Vietnam after the summit.") >= 1
    assert marks("It has been attributed to serpentine in the mantle wedge11,12,13,14.") >= 1
    assert marks("Thermal modelling of the subduction system (Fig. 6) suggests a limit.") >= 1
    assert marks("The vote was held on May 3, 4 and 5 in 2016, officials said.") == 0


def test_document_rate_raises_every_sentence_of_a_marked_document() -> None:
    rate = doc_rate(["A clean sentence here.", "Moscow been pushing hard."])
    assert rate == 0.5
    assert garble_score("A clean sentence here.", rate) > garble_score("A clean sentence here.")


def test_precision_on_the_hand_labels_stays_high() -> None:
    rows = json.loads(LABELS.read_text(encoding="utf-8"))["sentences"]
    by_doc: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_doc[row["doc"]].append(row["text"])
    rate = {d: doc_rate(t) for d, t in by_doc.items()}
    flagged = [r for r in rows if garble_score(r["text"], rate[r["doc"]]) >= 1]
    true = sum(r["garbled"] for r in flagged)
    # measured: precision 0.80 (4 of 5), recall 0.24 (4 of 17); see benchmarks/results/summarization.md
    assert true / len(flagged) >= 0.75 and true >= 4
