"""Near-duplicate sentences and syndicated / rewritten copies."""

from datetime import UTC, datetime

from tidings import dedup
from tidings.dedup import content_tokens, deduplicate, form_penalty, sentence_groups
from tidings.model import Document, Sentence
from tidings.segment import segment

from .helpers import OTHER, SPUN, WIRE


def _docs(**published):
    docs = [
        Document(id="spun", text=SPUN, published=published.get("spun")),
        Document(id="wire", text=WIRE, published=published.get("wire")),
        Document(id="other", text=OTHER, published=published.get("other")),
    ]
    return docs, {d.id: segment(d) for d in docs}


def test_content_tokens_drop_stop_words_and_possessives():
    assert content_tokens("The Kremlin's spokesman said it was over.") == {"kremlin", "spokesman", "said"}


def test_near_duplicate_sentences_are_grouped():
    docs, sentences = _docs()
    groups = sentence_groups([s for d in docs for s in sentences[d.id]])
    first_wire = ("wire", 0)
    assert ("spun", 0) in groups[first_wire]
    assert not any(key[0] == "other" for key in groups.get(first_wire, ()))


def test_spun_rewrite_is_a_copy_of_the_wire_story():
    docs, sentences = _docs()
    marked, result = deduplicate(docs, sentences)
    copy_of = {d.id: d.copy_of for d in marked}
    # no dates: the better-formed text (no space before a comma) is taken as the original
    assert copy_of == {"spun": "wire", "wire": None, "other": None}
    assert result.independent(["spun", "wire", "other"]) == 2


def test_earlier_publication_wins():
    early, late = datetime(2019, 4, 18, tzinfo=UTC), datetime(2019, 4, 19, tzinfo=UTC)
    docs, sentences = _docs(spun=early, wire=late)
    marked, _ = deduplicate(docs, sentences)
    assert {d.id: d.copy_of for d in marked}["wire"] == "spun"


def test_unrelated_documents_are_independent():
    docs = [Document(id="a", text=WIRE), Document(id="b", text=OTHER)]
    marked, result = deduplicate(docs, {d.id: segment(d) for d in docs})
    assert [d.copy_of for d in marked] == [None, None]
    assert result.independent(["a", "b"]) == 2


def test_form_penalty():
    assert form_penalty("The talks ended on Friday.") == 0
    assert form_penalty("The talks ended on Friday , officials said.") > 0
    assert form_penalty("the the talks ended") > 0


def _counting_jaccard(monkeypatch) -> list[int]:
    calls = [0]
    real = dedup.jaccard

    def counted(a, b):
        calls[0] += 1
        return real(a, b)

    monkeypatch.setattr(dedup, "jaccard", counted)
    return calls


def test_repeated_sentence_costs_linear_work(monkeypatch):
    # One page repeating a sentence 5,000 times used to compare every pair in its LSH bucket (12.5M pairs).
    calls = _counting_jaccard(monkeypatch)
    text = "The Council approved the bridge plan on Tuesday after a long debate about costs."
    sentences = [Sentence("big", i, 0, len(text), text) for i in range(5000)]
    groups = dedup.sentence_groups(sentences)
    assert len(groups[("big", 0)]) == 5000
    assert calls[0] == 0  # identical word sets are joined without comparing them


def test_many_near_duplicates_stay_linear(monkeypatch):
    # Distinct sentences that all look alike share buckets; each is compared with a bounded number of others.
    calls = _counting_jaccard(monkeypatch)
    base = "The Council approved the bridge plan on Tuesday after a long debate about costs"
    sentences = [Sentence("big", i, 0, 0, f"{base} item{i}x.") for i in range(3000)]
    groups = dedup.sentence_groups(sentences)
    assert len(groups[("big", 0)]) == 3000
    assert calls[0] < 3000 * 70  # all pairs would be 4.5M


def test_small_pool_groups_equal_every_pair_compared():
    # The bit-mask comparison of a small pool must join exactly the pairs whose word Jaccard reaches the
    # threshold (then their connected components), as comparing the frozensets one pair at a time does.
    import random

    rng = random.Random(3)
    words = [f"w{k}" for k in range(40)]
    texts = [" ".join(rng.sample(words, rng.randint(4, 9))) + "." for _ in range(120)]
    sentences = [Sentence("d", i, 0, len(t), t) for i, t in enumerate(texts)]
    groups = dedup.sentence_groups(sentences)
    tokens = [content_tokens(t) for t in texts]
    parent = list(range(len(texts)))

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for i in range(len(texts)):
        for j in range(i + 1, len(texts)):
            if dedup.jaccard(tokens[i], tokens[j]) >= 0.5:
                parent[find(j)] = find(i)
    expected: dict[int, list[int]] = {}
    for i in range(len(texts)):
        expected.setdefault(find(i), []).append(i)
    want = {
        ("d", i): tuple(("d", k) for k in members) for members in expected.values() if len(members) > 1 for i in members
    }
    assert groups == want
    assert len(want) > 10  # the pool has real groups, not only singletons
