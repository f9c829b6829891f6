"""What's new: a later article's sentence is news only if nothing known before says it, in any words."""

from tests.helpers import OTHER, SPUN, WIRE
from tidings.model import Document
from tidings.novelty import novel_sentences, whats_new
from tidings.pipeline import prepare


def _prepared():
    return prepare([Document(id="wire", text=WIRE), Document(id="spun", text=SPUN), Document(id="other", text=OTHER)])


def test_new_facts_come_from_later_articles_and_repeats_are_not_new():
    p = _prepared()
    new = whats_new(p.documents, p.sentences, p.dedup, known={"wire"})
    texts = " ".join(s.text for s in new)
    assert "wheat" in texts and "economic help" in texts
    assert all(set(s.sources) <= {"spun", "other"} for s in new)
    # the rewrite says what the wire said, word for word or nearly: none of it is new
    assert not any(s.sources[0] == "spun" for s in new)


def test_nothing_is_new_when_the_later_articles_only_restate():
    p = _prepared()
    assert whats_new(p.documents, p.sentences, p.dedup, known={"wire", "other"}) == []


def test_a_paraphrase_of_an_earlier_sentence_is_not_new():
    earlier = Document(
        id="a",
        text="Flooding forced 3,000 people from their homes in Valencia on Tuesday. "
        "Rescue teams used boats to reach families stranded on rooftops in the old town.",
    )
    later = Document(
        id="b",
        text="On Tuesday floods drove 3,000 residents of Valencia out of their homes. "
        "The regional government declared a state of emergency and opened schools as shelters.",
    )
    p = prepare([earlier, later])
    new = novel_sentences(p.sentences, p.dedup, known={"a"})
    texts = [s.text for s in p.sentences["b"] if (s.doc_id, s.index) in new]
    assert texts == ["The regional government declared a state of emergency and opened schools as shelters."]


def test_without_anything_known_every_sentence_is_new():
    p = _prepared()
    new = novel_sentences(p.sentences, p.dedup, known=set())
    assert len(new) == sum(len(v) for v in p.sentences.values())
