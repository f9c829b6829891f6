"""Sentence splitting on the cases that break naive splitters in news text."""

import importlib
import random
import re

import pytest

from tidings.model import Document
from tidings.segment import segment, split_sentences

HARD = [
    (
        "The U.S. Senate voted on Feb. 27-28 in Washington. Mr. Smith said the $100 million deal was done.",
        ["The U.S. Senate voted on Feb. 27-28 in Washington.", "Mr. Smith said the $100 million deal was done."],
    ),
    (
        'He said, "We will go." Then he left. J.R.R. Tolkien wrote it. Dr. A. B. Jones agreed.',
        ['He said, "We will go."', "Then he left.", "J.R.R. Tolkien wrote it.", "Dr. A. B. Jones agreed."],
    ),
    (
        "Shares rose 3.5% to $12.50 at 4 p.m. on Monday. The U.N. Security Council met in N.Y. on Jan. 5.",
        ["Shares rose 3.5% to $12.50 at 4 p.m. on Monday.", "The U.N. Security Council met in N.Y. on Jan. 5."],
    ),
    (
        "Gen. Mark Milley, the U.S. Army chief, spoke. Sen. John McCain (R-Ariz.) disagreed.",
        ["Gen. Mark Milley, the U.S. Army chief, spoke.", "Sen. John McCain (R-Ariz.) disagreed."],
    ),
    (
        "“Russia wants to be the groom,” said Georgy Kunadze. “It’s a sideshow.”",
        ["“Russia wants to be the groom,” said Georgy Kunadze.", "“It’s a sideshow.”"],
    ),
    (
        "The company, Acme Inc., said profit fell. It was No. 1 in the U.K. last year.",
        ["The company, Acme Inc., said profit fell.", "It was No. 1 in the U.K. last year."],
    ),
    (
        "The Kremlin officially announced on Apr. 18 that Kim will visit. The forum ends on Apr. 26-27.",
        ["The Kremlin officially announced on Apr. 18 that Kim will visit.", "The forum ends on Apr. 26-27."],
    ),
]


@pytest.mark.parametrize(("text", "expected"), HARD)
def test_hard_cases(text, expected):
    assert split_sentences(text) == expected


def test_spans_point_into_the_document():
    text = "First para. Mr. Lee spoke.\n\nSecond para has U.S. troops.\nStill the same paragraph."
    doc = Document(id="d", text=text)
    sentences = segment(doc)
    assert [s.text for s in sentences] == [
        "First para.",
        "Mr. Lee spoke.",
        "Second para has U.S. troops.",
        "Still the same paragraph.",
    ]
    for s in sentences:
        assert text[s.start : s.end] == s.text
    assert [s.paragraph for s in sentences] == [0, 0, 1, 1]
    assert [s.index for s in sentences] == [0, 1, 2, 3]


def test_very_long_paragraph_is_split_without_losing_text():
    sentence = "The committee met again on Tuesday and agreed on nothing at all. "
    text = sentence * 300
    sentences = segment(Document(id="d", text=text.strip()))
    assert len(sentences) == 300
    assert all(s.text == sentence.strip() for s in sentences)


SAME_AS_PYSBD = [
    *(text for text, _ in HARD),
    "It rained.  It rained. It rained.\rThen it stopped.",  # repeated sentences, pysbd's own line break
    "Prices fell (see chart).. Analysts were surprised!!! Were they? “Yes.” 1. First item 2. Second item",
    "   leading and trailing space. Two  spaces inside.   ",
    "No one came. The no. 2 seed won. St Paul met St. Louis at 5 p.m. in the U.S. on Jan. 5, not Jan 6. Gen. X left.",
    "Approx. 5 people, e.g. Mr. Li and Ms. Wu (Ph.D.), saw Dr. Who; fig. 3 shows it.",
    "He met the \u212aing. Gen. \u017ft. Paul saw İnc. and \u0131nc. staff {st} come; “No. 1,” said Sgt. Ray.",
    "NO. 5 was first. The ST. Louis Co. said it first stayed at No. 9 in Calif. near Ft. Worth.",
    "a",
    "The stadium was in first place. Most staff stayed in St. Louis, not in Stanford, with a Co. that no one knew.",
    "Nov. 5: Inc. and inc. rose; INC. fell. The co-op (Co. Ltd.) and the co. sold. He came at approx. 9.",
]


@pytest.mark.parametrize("text", SAME_AS_PYSBD)
def test_fast_path_matches_pysbd(text):
    from tidings.segment import _pysbd_segment, _segmenter

    assert _pysbd_segment(text) == _segmenter().segment(text)


def test_characters_that_ignorecase_equates_with_ascii_letters():
    import re

    from tidings.segment import _FOLDS_TO_ASCII

    found = {chr(u) for u in range(0x80, 0x110000) if re.fullmatch("[a-z]", chr(u), re.IGNORECASE)}
    assert found == set(_FOLDS_TO_ASCII.pattern.strip("[]"))


@pytest.fixture
def pysbd_calls(monkeypatch):
    """The texts handed to pysbd while the test runs, in order (pysbd still splits them)."""
    segment_module = importlib.import_module("tidings.segment")
    calls = []
    real = segment_module._pysbd_segment
    monkeypatch.setattr(segment_module, "_pysbd_segment", lambda text: calls.append(text) or real(text))
    return calls


def test_plain_boundaries_are_cut_without_pysbd(pysbd_calls):
    segment_module = importlib.import_module("tidings.segment")
    calls = pysbd_calls
    text = (
        'The talks ended on Friday. "We made progress," she said. Prices rose 3.5% in June. Mr. Lee flew to the'
        " U.S. Embassy in Paris. He was born in 1970. She came on Feb. 5 with Sen. Lindsey Graham at 5 p.m. on Sunday."
    )
    assert split_sentences(text) == [
        "The talks ended on Friday.",
        '"We made progress," she said.',
        "Prices rose 3.5% in June.",
        "Mr. Lee flew to the U.S. Embassy in Paris.",
        "He was born in 1970.",
        "She came on Feb. 5 with Sen. Lindsey Graham at 5 p.m. on Sunday.",
    ]
    # no piece goes to pysbd: a title before a name, "U.S." before a word that does not start sentences, a month
    # before a day and "p.m." before a lower-case word never end a sentence there
    assert calls == []
    # one sentence at a time: the first costs no pysbd call for the pieces after it
    calls.clear()
    assert next(segment_module.iter_sentences(text)) == "The talks ended on Friday." and calls == []
    assert list(segment_module.iter_sentences(text)) == split_sentences(text)


ENCLOSED = [
    ("“It was hard. We tried,” he said. Then he left.", ["“It was hard. We tried,” he said.", "Then he left."]),
    ('He said "it is over. Done," and left. Rain fell.', ['He said "it is over. Done," and left.', "Rain fell."]),
    ("Lee (Ph.D. Harvard, 1990) spoke. Rain fell.", ["Lee (Ph.D. Harvard, 1990) spoke.", "Rain fell."]),
]
# pysbd's exceptions: an enclosed passage followed by a capital, a list inside a quotation, a mark glued to a quote
TO_PYSBD = [
    "(Lee Co. Ltd) Shares fell. Rain fell.",
    '"Jail! Deep State must act? Also on Comey" And so it began. Rain fell.',
    "“If they do: 1. They pay. 2. They lose,” he said. Rain fell.",
    'He spoke of commitments."I have said it. We will act," he said. Rain fell.',
]


@pytest.mark.parametrize(("text", "expected"), ENCLOSED)
def test_marks_inside_a_quotation_or_parentheses_need_no_pysbd(pysbd_calls, text, expected):
    segment_module = importlib.import_module("tidings.segment")
    calls = pysbd_calls
    assert split_sentences(text) == expected == segment_module.split_sentences_pysbd(text)
    assert calls == [] or calls == [text]  # the last call: the pysbd reference itself
    calls.clear()
    split_sentences(text)
    assert calls == []


@pytest.mark.parametrize("text", TO_PYSBD)
def test_pysbd_judges_the_passages_it_treats_specially(pysbd_calls, text):
    segment_module = importlib.import_module("tidings.segment")
    calls = pysbd_calls
    assert split_sentences(text)[-1] == "Rain fell."
    assert calls, "the piece with the exception went to pysbd"
    assert split_sentences(text) == segment_module.split_sentences_pysbd(text)


def test_no_cut_inside_a_quotation():
    text = '"We will defeat you. You will not win," he said. The vigil went on.'
    assert split_sentences(text)[-1] == "The vigil went on."
    assert split_sentences(text)[0].startswith('"We will defeat you.')


def test_seed_cluster_splits_exactly_as_pysbd(seed_dir):
    from tidings.clean import clean_document
    from tidings.segment import _PARAGRAPH, split_sentences_pysbd

    for path in sorted(seed_dir.glob("*.txt")):
        text = clean_document(Document(id="x", text=path.read_text(encoding="utf-8"))).document.text
        for match in _PARAGRAPH.finditer(text):
            paragraph = match.group().replace("\n", " ")
            assert split_sentences(paragraph) == split_sentences_pysbd(paragraph)


def test_sentences_glued_without_a_space_are_split_but_addresses_are_not():
    text = (
        'A tsunami threat to nearby islands.The warning center said waves were possible. He said."We are ready."'
        "The crowd cheered. See www.example.org.The end came at Amazon.com today."
    )
    assert split_sentences(text) == [
        "A tsunami threat to nearby islands.",
        "The warning center said waves were possible.",
        "He said.",
        '"We are ready."',
        "The crowd cheered.",
        "See www.example.org.The end came at Amazon.com today.",
    ]
    assert split_sentences("None had serious injuries.OSU security declared the campus secure on Monday.") == [
        "None had serious injuries.",
        "OSU security declared the campus secure on Monday.",
    ]


def test_packed_sentences_come_back_exactly():
    from tidings.model import Document
    from tidings.segment import pack, segment, unpack

    doc = Document(id="d", text="Zoë’s café opened. “It’s 5 p.m.,” she said — ok?\n\nNew paragraph here. 東京 too.")
    sentences = segment(doc)
    assert len(pack(sentences)) == 12 * len(sentences)
    assert unpack(doc, pack(sentences)) == sentences
    assert unpack(doc, b"") == []


# The sure boundary as one regular expression: what :func:`tidings.segment._sure_boundaries` must find.
SURE_BOUNDARY = re.compile(
    r"(?:(?<![\w.'’-])([A-Za-z][a-z]+[a-z0-9]*)|(?<=[A-Za-z] )\d+)([.!?])([\"”’')\]]*)(\s+)(?=[\"“‘(\[]?[A-Z])"
)


def _reference_boundaries(text):
    return [(m.group(1), m.start(2), m.end(3), m.end(4)) for m in SURE_BOUNDARY.finditer(text)]


def test_sure_boundaries_are_the_reference_expressions():
    from tidings.segment import _sure_boundaries

    rng = random.Random(7)
    alphabet = "aAbZz09 .!?\"”’')]“‘([_-'é٣\u00a0\n"
    words = ["It", "rained", "mp3", "U.S", "Mr", "in", "May", "2011", "x", "Ab", "aB", "é", "٣٣", "co-op"]
    texts = [
        "It rained. Then in May 2011. That mp3. He came! Why? “Yes.” (Done.) 'Quoted.' Mr. Lee. in 2. X. A",
        "a.B ab. C Ab.\u00a0D _ab. E -ab. F .ab. G 'ab. H ’ab. I 1ab. J é ab. K a 12. L ab 12. M ٣ 12. N",
    ]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(20_000)]
    texts += [
        " ".join(rng.choice(words) + rng.choice(["", ".", "!", "?", '."', ".)"]) for _ in range(rng.randint(1, 12)))
        for _ in range(20_000)
    ]
    for text in texts:
        assert list(_sure_boundaries(text)) == _reference_boundaries(text), text


def test_list_rules_are_skipped_only_where_they_change_nothing():
    from pysbd.lists_item_replacer import ListItemReplacer

    from tidings.segment import _may_hold_a_list

    rng = random.Random(11)
    tokens = ["a.", "b.", "c)", "(d)", "i.", "ii)", "iv.", "v.", "1.", "2.", "3)", "12.", "13.", "9.", "0.", "word"]
    tokens += ["-1.", "⁃2.", "x-3.", "2011.", "(", ")", "♨", "☝", "Feb.", "p.m.", "A.", "\r", "for 1."]
    texts = [" ".join(rng.choice(tokens) for _ in range(rng.randint(1, 8))) for _ in range(30_000)]
    changed = 0
    for text in texts:
        if ListItemReplacer(text).add_line_break() != text:
            changed += 1
            assert _may_hold_a_list(text), text
    assert changed > 1000  # the generated texts do exercise the rules
    assert not _may_hold_a_list("On Feb. 5 at 5 p.m. the U.S. team (led by Lee) won 2-1. It was 2011. Fans cheered.")


def test_stops_pysbd_keeps_after_abbreviations_need_no_pysbd(pysbd_calls):
    segment_module = importlib.import_module("tidings.segment")
    calls = pysbd_calls
    text = (
        "Judge Oliver J. T. O’Grady of the U.S. Senate panel met Ms. O’Sullivan and Dr. “Bo” Li on Friday. "
        "Acme Inc. filed suit, citing No. (5) of its rules and Fig. 4 of the code. Rain fell."
    )
    expected = [
        "Judge Oliver J. T. O’Grady of the U.S. Senate panel met Ms. O’Sullivan and Dr. “Bo” Li on Friday.",
        "Acme Inc. filed suit, citing No. (5) of its rules and Fig. 4 of the code.",
        "Rain fell.",
    ]
    assert split_sentences(text) == expected and calls == []
    assert segment_module.split_sentences_pysbd(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "He was born in the U.S. The family moved.",  # a sentence starter after "U.S.": pysbd ends the sentence
        "It opens at 9 a.m. Tickets are free.",  # "a.m." before a capital
        "The rival is Acme Inc. Shares fell.",  # an abbreviation before a capital
        "Article I. The Congress shall meet.",  # "I." before a sentence starter
    ],
)
def test_stops_pysbd_may_end_after_abbreviations_go_to_pysbd(pysbd_calls, text):
    segment_module = importlib.import_module("tidings.segment")
    calls = pysbd_calls
    assert split_sentences(text) == segment_module.split_sentences_pysbd(text)
    assert calls and len(split_sentences(text)) == 2


def test_every_stop_kept_by_the_abbreviation_rules_is_kept_by_pysbd():
    """Each of pysbd's abbreviations, single capitals and dotted abbreviations, in three cases, before words of
    every kind, in a few settings (lists among them): wherever the rules keep a stop and no pysbd call is made,
    pysbd finds one sentence."""
    from pysbd.lang.english import English

    segment_module = importlib.import_module("tidings.segment")
    abbreviations = sorted({a.strip() for a in English.Abbreviation.ABBREVIATIONS if a.strip().isalpha()})
    words = [w for a in abbreviations for w in (a, a.capitalize(), a.upper())]
    words += ["A", "I", "J", "U.S", "U.K", "D.C", "a.m", "P.M", "i.v", "Ph.D", "Ravi v"]
    following = ["then", "Then", "The", "There", "I", "I'm", "5", "(AP)", "Millions", "O’Grady", "“Yes"]
    forms = [
        "{w}. {f} gamma delta.",
        "Alpha {w}. {f} gamma delta.",
        "Alpha ({w}. {f} gamma) delta.",
        "1. Al {w}. {f} 2. B.",
        "1) Al {w}. {f} 2) B.",
    ]
    kept = 0
    for form in forms:
        for word in words:
            for after in following:
                text = form.format(w=word, f=after)
                stop = text.index(". ", len(form.split("{w}")[0]) + len(word) - 1) + 1
                if not segment_module._abbreviation_kept(text, max(0, stop - 12), stop):
                    continue
                kept += 1
                if not segment_module._hard(text, 0, len(text) - 1, len(text)):  # one sentence, without pysbd
                    assert len(segment_module._pysbd_segment(text)) == 1, text
    assert kept > 2000  # the rules do keep stops here (a broken rule that keeps none would pass otherwise)


def _pysbd_rules():
    """Every rule pysbd's English module defines (classes nested in it, lists of rules included)."""
    import inspect

    from pysbd.lang.english import English
    from pysbd.utils import Rule

    found: dict[str, Rule] = {}

    def walk(obj, depth):
        for name in dir(obj):
            value = getattr(obj, name)
            for item in value if isinstance(value, list | tuple) else [value]:
                if isinstance(item, Rule):
                    found[item.pattern] = item
            if inspect.isclass(value) and depth < 3 and value.__module__.startswith("pysbd") and name[:2] != "__":
                walk(value, depth + 1)

    walk(English, 0)
    return list(found.values())


def test_pysbd_rules_skipped_only_where_they_cannot_match():
    from pysbd.utils import Rule

    segment_module = importlib.import_module("tidings.segment")
    # with rules pysbd makes as it goes (its punctuation replacer's), literal or not
    rules = _pysbd_rules() + [Rule(p, "x") for p in ("\\(", "\\\\\\(", "&⎋&", "\\?!", "\\n", "\\.\\.\\.")]
    patterns = {rule.pattern for rule in rules}
    assert set(segment_module._RULE_NEEDS) <= patterns  # a key that is no pysbd pattern would never be used
    assert sum(segment_module._rule_plan(p)[1] is not None for p in patterns) > 35
    rng = random.Random(5)
    alphabet = [*"aAmMpPCoKGs's0159.. . \r\n\t!?\"'(),-°∯∮ƪ⎋&♨☝ȸ\\[]", " P∯M∯", "a∯m∯", "....", "Co. KG", ".'s "]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(6000)]
    texts += ["1. A", "12. B", "A. b", "It was 5 p∯m∯ Then", "See fig°. 5", ". . . . x", "a. . . .", "x.... The"]
    for rule in rules:
        needs = segment_module._rule_plan(rule.pattern)[1]
        skipped = 0
        for text in texts:
            expected = re.sub(rule.pattern, rule.replacement, text)
            assert segment_module._apply(text, rule) == expected, (rule.pattern, text)
            if needs is not None and not needs(text):
                skipped += 1
                assert expected == text, (rule.pattern, text)
        assert needs is None or skipped, rule.pattern  # each test does skip some text


def test_letter_candidates_are_the_abbreviations_that_open_a_word_and_precede_a_stop():
    segment_module = importlib.import_module("tidings.segment")

    def reference(lowered):
        words = set(re.findall(r"(?<!\S)[a-z]+", lowered))
        found = {w[:n] for w in words for n in range(1, len(w) + 1) if w[:n] in segment_module._LETTER_ABBREVIATIONS}
        return {a for a in found if f"{a}." in lowered}

    rng = random.Random(3)
    pieces = [*"abcdefilmnorstuv .\n\t\u00a0\u2003-'(", "inc", "st.", "co.", " u.s.", "no. ", "gen."]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 25))) for _ in range(30_000)]
    texts.append("first. the st. louis inc. (co.) no.\tgen.")
    assert all(segment_module._letter_candidates(t) == reference(t) for t in texts)
    assert segment_module._letter_candidates(texts[-1]) == {"st", "inc", "no", "gen"}
    assert all((re.fullmatch(r"\s", chr(c)) is not None) == chr(c).isspace() for c in range(0x110000))


def test_pysbd_steps_skipped_where_nothing_can_match_change_nothing():
    """Random text rich in what pysbd's skipped steps look for (quotations, brackets, dashes, runs of "!?",
    references after a stop, dotted abbreviations): the processor here splits it as pysbd's own does."""
    from tidings.segment import _pysbd_segment, _segmenter

    rng = random.Random(9)
    tokens = ["It", "rained", "U.S.", "a.m.", "Mr.", "said", "'Go. Now.'", "‘Go. Now!’", '"Yes. No."', "[a. b]"]
    tokens += ["(Feb. 5)", "«Oui. Non.»", "-- x. y --", "!!!", "?!?", "???", "Smith.[15]", "end.12", "The", "I"]
    tokens += ["5.", "e.g.", "x.y", "∯", ".", ",", "Why???", "“Go. Now.”"]
    texts = [" ".join(rng.choice(tokens) for _ in range(rng.randint(1, 14))) for _ in range(3000)]
    for text in texts:
        assert _pysbd_segment(text) == _segmenter().segment(text), text
