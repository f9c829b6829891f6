import pytest

from tidings.evaluate.clustering import bcubed


def test_bcubed_pinned():
    s = bcubed([1, 1, 2, 3], ["a", "a", "a", "b"])
    # item precisions: 1, 1, 1, 1 -> 1.0; recalls: 2/3, 2/3, 1/3, 1 -> 2/3
    assert s.precision == pytest.approx(1.0)
    assert s.recall == pytest.approx(2 / 3)
    assert s.f1 == pytest.approx(0.8)
    assert (s.n_predicted, s.n_gold) == (3, 2)


def test_bcubed_rejects_length_mismatch():
    with pytest.raises(ValueError):
        bcubed([1], ["a", "b"])
