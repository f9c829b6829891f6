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


def test_names_brands_and_long_sentences_are_not_marks() -> None:
    """Marks that fired on clean news (dev data: 38 of 40 sampled sentences that lost their mark were clean)."""
    assert marks("YouTube said ProPublica and LinkedIn had asked MacPherson about #BoycottStarbucks.") == 0
    assert marks("iOS 11 is around the corner and eBay is ready.") == 0
    assert marks("It stars an A-list cast aboard the MY Octopus.") == 0
    long_echo = (
        "North Korea is canceling a high-level meeting between the two countries and is threatening also to "
        "cancel a summit with the United States."
    )
    assert marks(long_echo) == 0
    # English's own doublings and names doubled from a short word (62 dev sentences on the "La La Land" mix-up)
    assert marks("'La La Land' stars Emma Stone and Ryan Gosling backstage at the 89th Academy Awards.") == 0
    assert marks("I feel that that pride is too much, and policy had had to adapt, Aldana said.") == 0
    # the marks themselves still fire
    assert marks("But Moscow is unlikely to disrupt U.S.-led efforts to press North North Korea, experts say.") >= 1
    assert marks("The plane was was provided by the committee, officials said.") >= 1
    assert marks("The crowd cheered the paradesImage caption of the day.") >= 1
    assert marks("Donald John TrumpTrump Jr. getting paid to speak at the university.") >= 1
    assert marks("less England's Raheem Sterling is stopped by Croatia's Dejan Lovren.") >= 1
    assert marks("It was the the biggest win, and a his first.") >= 1


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
    # measured: precision 1.00 (4 of 4; 0.80 before the echo window), recall 0.24 (4 of 17);
    # see benchmarks/results/summarization-issue12.md
    assert true / len(flagged) >= 0.75 and true >= 4


def test_a_marks_cheap_pattern_is_in_every_match_of_the_mark() -> None:
    """Each mark is searched only where its cheap pattern is found, so that one must hold wherever the mark does
    (checked on the examples here and on variations of each; 162,529 dev sentences scored the same either way)."""
    from tidings.fluency import _MARKS, _echo

    examples = [
        "He left for Hanoi , Vietnam after the summit .",
        "Is it over ? she asked ; nobody answered : silence !",
        "The crowd cheered the paradesImage caption, and TrumpTrump Jr. spoke.",
        "It has been attributed to serpentine in the mantle wedge11,12,13,14.",
        "Thermal modelling (Fig. 6) and (Figures 2) and (ref. 3) and (Figs 4) agree.",
        "A gluedWord here, a nameName there, a wordX there.",
        "He said\t, then\u00a0; then went.",
        "The talks ended .",
        "Warm in the mantle wedge11,12.",
        "It warmed (Fig. 6) again.",
        "As the study shows (ref. 3).",
        "Donald John TrumpTrump Jr. spoke.",
    ]
    variants = [v for e in examples for v in (e, e.lower(), e.upper(), e.replace(" ", "  "))]
    for needs, pattern in _MARKS:
        if needs is None:
            continue
        matched = [v for v in variants if pattern.search(v)]
        assert matched, pattern.pattern  # the examples exercise every mark that has a cheap pattern
        assert [v for v in matched if not needs.search(v)] == [], pattern.pattern
    # the echo's shortcut: two different words of one stem share their first four letters
    assert _echo("Kim meets for his first personal meeting with Putin.")
    assert not _echo("Kim met for his first personal talks with Putin.")
