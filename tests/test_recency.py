"""Background articles: written before the story, by date or by what their text mentions."""

from datetime import UTC, datetime

from tidings.dedup import deduplicate
from tidings.model import Document
from tidings.recency import mark_background
from tidings.segment import segment

NEWS = [
    "Kim Jong Un will meet Vladimir Putin in Vladivostok next week, the Kremlin said after the Hanoi summit "
    "with Trump collapsed in 2019. The talks are expected to focus on sanctions.",
    "The Kremlin confirmed that Putin and Kim will hold talks in Vladivostok, weeks after the failed Hanoi summit "
    "with Trump. Russia wants a bigger role on the peninsula.",
    "Putin is to host Kim in Vladivostok, the Kremlin said, after Trump walked out of the Hanoi talks in 2019. "
    "North Korean workers must leave Russia by the end of the year.",
]
OLD = (
    "Russian Deputy Foreign Minister Igor Morgulov visited Pyongyang on Wednesday to prepare a first summit. "
    "In the spring of 2015, Pyongyang and Moscow discussed a visit by Kim, but he backed out at the last moment."
)


def _prepared(texts: list[str], published: list[datetime | None] | None = None) -> list[Document]:
    published = published or [None] * len(texts)
    docs = [Document(id=f"d{i}", text=t, published=p) for i, (t, p) in enumerate(zip(texts, published, strict=True))]
    sentences = {d.id: segment(d) for d in docs}
    marked, dedup = deduplicate(docs, sentences)
    return mark_background(marked, sentences, dedup)


def test_an_undated_older_article_without_the_news_core_is_background() -> None:
    flags = [d.background for d in _prepared([*NEWS, OLD])]
    assert flags == [False, False, False, True]


def test_a_dated_article_long_before_the_others_is_background() -> None:
    day = datetime(2019, 4, 20, tzinfo=UTC)
    old = datetime(2018, 4, 12, tzinfo=UTC)
    flags = [d.background for d in _prepared([*NEWS, NEWS[0] + " More."], [day, day, day, old])]
    assert flags == [False, False, False, True]


def test_nothing_is_background_without_enough_sources_or_years() -> None:
    assert not any(d.background for d in _prepared([NEWS[0], OLD]))
    no_years = [t.replace("in 2019", "") for t in NEWS] + [OLD.replace("2015", "the past")]
    assert not any(d.background for d in _prepared(no_years))


def test_coverage_is_the_share_of_names_at_least_two_other_sources_open_with() -> None:
    """The news core counted once per story gives what counting the other sources for each document gives."""
    import random
    from collections import Counter

    from tidings.dedup import DedupResult
    from tidings.recency import _names, _NewsCore, _opening

    rng = random.Random(7)
    vocabulary = ["Kim", "Putin", "Vladivostok", "Moscow", "Peskov", "Hanoi", "Trump", "Seoul", "April", "Xi"]
    for _ in range(50):
        docs = [
            Document(id=f"d{i}", text=" ".join(rng.sample(vocabulary, rng.randint(1, 6))) + " met.")
            for i in range(rng.randint(2, 7))
        ]
        copies = {d.id: docs[0].id for d in docs[1:] if rng.random() < 0.3}
        dedup = DedupResult(groups={}, copy_of=copies)
        sentences = {d.id: segment(d) for d in docs}
        core = _NewsCore(docs, sentences, dedup)
        for doc in docs:
            others: dict[str, set[str]] = {}
            for d in docs:
                if dedup.root(d.id) != dedup.root(doc.id):
                    opening = " ".join(s.text for s in _opening(sentences[d.id]))
                    others.setdefault(dedup.root(d.id), set()).update(_names(opening))
            counts = Counter(n for names in others.values() for n in names)
            wanted = {n for n, c in counts.items() if c >= 2}
            expected = 1.0 if len(others) < 2 or not wanted else len(wanted & _names(doc.text)) / len(wanted)
            assert core.coverage(doc) == expected
