"""The paraphrase judge: piece alignment over the bundled static embedding."""

import pytest

from tidings.embed import encode
from tidings.paraphrase import ParaphraseJudge

MEET = "Kim Jong Un will meet Vladimir Putin in Vladivostok next week, the Kremlin said on Thursday."
SAME = "The Kremlin said on Thursday that Kim Jong Un is to meet Vladimir Putin in Vladivostok next week."
WORKERS = "About 10,000 North Korean workers in Russia must go home by the end of the year under UN sanctions."
VENUE = "Vladivostok, a port city near the border, has hosted Russian summits with Asian leaders before."


def _judge(texts, **kwargs):
    return ParaphraseJudge(texts, encode(texts), **kwargs)


def test_a_restatement_repeats_and_a_new_fact_does_not():
    judge = _judge([MEET, SAME, WORKERS, VENUE])
    assert judge.repeats(1, [0]) == 0
    assert judge.repeats(2, [0]) is None
    assert judge.repeats(3, [0, 2]) is None  # same place, different fact


def test_nothing_chosen_means_nothing_repeated():
    assert _judge([MEET, SAME]).repeats(1, []) is None


def test_a_stricter_threshold_lets_more_through():
    assert _judge([MEET, SAME], threshold=0.999).repeats(1, [0]) is None


def test_unknown_judge_is_refused():
    with pytest.raises(ValueError, match="unknown paraphrase judge"):
        _judge([MEET], judge="bert")
