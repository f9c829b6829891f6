"""Quantity parsing and the interval compatibility rule, pinned."""

from __future__ import annotations

import math

import pytest

from tidings.analyze.quantities import compatible, find_quantities, parse_quantity


@pytest.mark.parametrize(
    ("text", "low", "high", "dimension"),
    [
        ("some 8,000", 7200.0, 8800.0, "count"),
        ("about 8,000", 7200.0, 8800.0, "count"),
        ("more than 10,000", 10000.0, math.inf, "count"),
        ("tens of thousands", 20000.0, 99999.0, "count"),
        ("dozens", 24.0, 99.0, "count"),
        ("12", 12.0, 12.0, "count"),
        ("29,000", 27550.0, 30450.0, "count"),
        ("eight thousand", 7600.0, 8400.0, "count"),
        ("twenty-five", 25.0, 25.0, "count"),
        ("about $100 million", 90e6, 110e6, "money:USD"),
        ("$100m", 95e6, 105e6, "money:USD"),
        ("1 billion US dollars", 950e6, 1050e6, "money:USD"),
        ("less than 2%", 0.0, 2.0, "percent"),
        ("nearly 3 percent", 2.7, 3.0, "percent"),
    ],
)
def test_intervals(text, low, high, dimension):
    q = parse_quantity(text)
    assert q is not None and q.dimension == dimension
    assert q.interval.low == pytest.approx(low)
    assert q.interval.high == pytest.approx(high)


def test_soft_upper_bound_of_more_than():
    q = parse_quantity("more than 10,000")
    assert q.interval.soft_high == pytest.approx(15000.0)
    assert q.interval.effective == (10000.0, 15000.0)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("about 100 million dollars", "$100m", True),
        ("some 8,000", "more than 10,000", False),
        ("some 8,000", "tens of thousands", False),
        ("more than 10,000", "tens of thousands", False),  # soft bound 15,000 < 20,000
        ("more than 60", "68", True),
        ("dozens", "68", True),
        ("12", "13", False),
        ("29,000", "29,060", True),
        ("10", "$10", False),  # different dimensions never compare
        ("700ft", "200-metre", True),  # lengths are compared in metres
        ("125 miles", "90 miles", False),
    ],
)
def test_compatibility(a, b, expected):
    assert compatible(parse_quantity(a), parse_quantity(b)) is expected


def test_years_times_ages_and_scores_are_not_quantities():
    text = "In 2017 the 29-year-old arrived at 2:30 p.m.; Croatia won 2-1 on Feb. 24, 1927, magnitude 7.1 in iOS 5.0.1."
    assert [q.text for q in find_quantities(text)] == []


def test_spans_point_into_the_text():
    text = "Officials said 48 people were killed and about a dozen injured."
    for q in find_quantities(text):
        assert text[q.start : q.end] == q.text
