"""Checks shared by several tests."""

import re

WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def containment(sentence: str, doc_text: str) -> float:
    """Share of the sentence's words found within one window of the document (as the shared validator does)."""
    target: dict[str, int] = {}
    for w in words(sentence):
        target[w] = target.get(w, 0) + 1
    n = sum(target.values())
    doc = words(doc_text)
    if n == 0:
        return 0.0
    win, step, best = max(n, int(n * 1.5)), max(1, n // 4), 0.0
    for start in range(0, max(1, len(doc) - n + 1), step):
        have: dict[str, int] = {}
        for w in doc[start : start + win]:
            have[w] = have.get(w, 0) + 1
        best = max(best, sum(min(c, have.get(w, 0)) for w, c in target.items()) / n)
    return best


def jaccard_words(a: str, b: str) -> float:
    sa, sb = set(words(a)), set(words(b))
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


# Three short articles about one event: a wire story, a machine-spun rewrite of it, and an independent report.
WIRE = (
    "North Korean leader Kim Jong Un will travel to Russia this month for his first summit with Vladimir Putin, "
    "the Kremlin said on Thursday. The two leaders are expected to meet in the port city of Vladivostok. "
    "Russia wants a bigger role in talks over the North's nuclear weapons program. "
    "About 10,000 North Korean workers in Russia must be sent home by the end of the year under UN sanctions. "
    "Kim's summit with Donald Trump in Hanoi collapsed in February without an agreement."
)
# A machine-spun rewrite: words swapped, order kept, a space before a comma.
SPUN = (
    "North Korean chief Kim Jong Un will journey to Russia this month for his first summit with Vladimir Putin , "
    "the Kremlin stated on Thursday. The two leaders are anticipated to meet in the port town of Vladivostok. "
    "Russia desires a larger role in talks over the North's nuclear weapons programme. "
    "About 10,000 North Korean employees in Russia must be sent home by the end of the year under UN sanctions. "
    "Kim's summit with Donald Trump in Hanoi collapsed in February with no agreement."
)
OTHER = (
    "Kim Jong Un is expected in Vladivostok for talks with Vladimir Putin, officials in Seoul said. "
    "Analysts say Pyongyang is looking for economic help after sanctions stalled its trade with China. "
    "Russia has sent wheat to North Korea this year as food shortages loom."
)
