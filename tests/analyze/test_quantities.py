"""Quantity parsing and the interval compatibility rule, pinned."""

from __future__ import annotations

import math

import pytest

from tidings.analyze.model import Interval
from tidings.analyze.quantities import compatible, find_quantities, parse_quantity


@pytest.mark.parametrize(
    ("text", "low", "high", "dimension"),
    [
        ("some 8,000", 7500.0, 8500.0, "count"),  # the values that round to 8,000 (narrower than +-10%)
        ("about 8,000", 7500.0, 8500.0, "count"),
        ("about 1,000", 900.0, 1100.0, "count"),  # +-half a unit would be +-500: capped at +-10%
        ("about 125", 112.5, 137.5, "count"),  # no trailing zero, no rounding said: +-10%
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
        ("two hundred and twenty", 220.0, 220.0, "count"),  # "and" inside a number said in words
        ("6 inches", 0.1524, 0.1524, "length"),
        ("2.5 kg", 2.5, 2.5, "weight"),
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
        ("approximately 800,000", "roughly 700,000", False),  # different leading digit at the same precision
        ("about 800,000", "about 760,000", True),
        ("about 800,000", "about 750,000", True),  # 750,000 rounds to 800,000
        ("about 700,000", "about 760,000", False),  # 760,000 rounds to 800,000 at that precision
        ("around 1.2 million", "around 1.3 million", False),
        ("about 70", "about 80", False),
        ("about a dozen", "10", False),
        ("about a dozen", "11", True),
        ("about 100", "about 110", True),  # "about 100" keeps its +-10%
    ],
)
def test_compatibility(a, b, expected):
    assert compatible(parse_quantity(a), parse_quantity(b)) is expected


def test_years_times_ages_and_scores_are_not_quantities():
    text = "In 2017 the 29-year-old arrived at 2:30 p.m.; Croatia won 2-1 on Feb. 24, 1927, magnitude 7.1 in iOS 5.0.1."
    assert [q.text for q in find_quantities(text)] == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("at least 300 to 400 people died", [("at least 300 to 400", 300.0, 420.0)]),  # each end as written
        ("two or three people were hurt", [("two or three", 2.0, 3.0)]),
        ("between 20 and 30 homes burned", [("20 and 30", 20.0, 30.0)]),
        ("the toll rose from 7 to 9", [("9", 9.0, 9.0)]),  # a change, not a range ("from 7" is no count)
        ("rose from about 70 to 90", [("about 70", 65.0, 75.0), ("90", 90.0, 90.0)]),
        ("the bill passed 52 to 48", [("52", 52.0, 52.0), ("48", 48.0, 48.0)]),  # a tally
        ("10 dead and 20 hurt", [("10", 10.0, 10.0), ("20", 20.0, 20.0)]),  # "and" joins only after "between"
    ],
)
def test_ranges(text, found):
    assert [(q.text, q.interval.low, q.interval.high) for q in find_quantities(text)] == found


def test_vague_amounts_of_a_currency_are_money():
    (q,) = find_quantities("The donors gave hundreds of thousands of dollars to the campaign.")
    assert (q.text, q.dimension, q.interval.low) == ("hundreds of thousands", "money:USD", 200_000.0)
    assert find_quantities("Millions of people watched.")[0].dimension == "count"


def test_an_age_between_commas_after_a_name_is_not_a_count():
    assert [q.text for q in find_quantities("Maria Lopez, 34, and Tom Reed, 41, were arrested on Friday.")] == []
    assert [q.text for q in find_quantities("In Lyon, 34 people were arrested.")] == ["34"]


def test_spans_point_into_the_text():
    text = "Officials said 48 people were killed and about a dozen injured."
    for q in find_quantities(text):
        assert text[q.start : q.end] == q.text


def test_rounding_interval_is_open_at_the_top_only():
    rounded = parse_quantity("about 800,000").interval
    assert (rounded.low, rounded.high, rounded.open_high) == (750_000.0, 850_000.0, True)
    assert rounded.as_dict()["open_high"] is True
    assert rounded.overlaps(Interval(740_000.0, 750_000.0))  # the closed bottom end is in
    assert not rounded.overlaps(Interval(850_000.0, 900_000.0))  # the open top end is not
    assert not Interval(850_000.0, 900_000.0).overlaps(rounded)  # either way round


@pytest.mark.parametrize(
    "text",
    [
        "The pilots of Flight 214 landed short of the runway.",  # a name, not a count
        "as the report found.”5 Officials said",  # a footnote marker glued to a closing quote
        "See note [46] for the sources.",
        "The 5G network and 4chan boards",
        "On 8 March the plane vanished.",
    ],
)
def test_numbers_that_name_rather_than_count(text):
    assert [q.text for q in find_quantities(text)] == []


def test_a_number_after_an_opening_quote_is_a_count():
    assert [q.text for q in find_quantities('The spokesman said: "Three people were injured."')] == ["Three"]


def test_pounds_are_a_weight_where_the_sentence_weighs_something():
    (q,) = find_quantities("The baby weighed 7 pounds at birth.")
    assert q.dimension == "weight"
    (q,) = find_quantities("The fine was 7 pounds.")
    assert q.dimension == "money:GBP"


def test_a_bare_number_before_a_percentage_takes_its_unit():
    (q,) = find_quantities("The tax rate is 33 to 38 percent, depending on the county.")
    assert (q.text, q.interval.low, q.interval.high, q.dimension) == ("33 to 38 percent", 33, 38, "percent")
