"""Choosing the body from three extractions: each rule on hand-written extractions of one imagined page."""

from tidings.ingest.consensus import DEFAULT, PRECISE, READABILITY, align, choose, dedupe, restore

BODY = [
    "The regional parliament voted on Tuesday to ban single-use plastic cups from all public events next summer.",
    "Supporters said the ban would cut thousands of tonnes of waste a year across the whole region.",
    "Opponents warned that small event organisers would struggle to pay for reusable cups and washing machines.",
    "The law gives organisers a year to adapt and sets up a fund to help those with fewer than fifty staff.",
    "The first events under the new rules are the summer festivals, which start in the middle of June.",
    "Officials said inspectors would visit the largest festivals first and issue warnings before any fines.",
]
LEAD = "BRUSSELS — Lawmakers in the region have approved the strictest rules on plastic at events in the country."
STANDFIRST = "Organisers get a year to switch to reusable cups under the new regional law, and help to pay for it."
MENU = ["Home", "News", "Sport"]
AUTHOR = "Jane Example writes about the environment and has covered the regional parliament since 2010."
RELATED = [
    "More from this section: council votes to close three libraries after a long fight over its budget cuts.",
    "Ten things to know about the new recycling rules, from bottle deposits to the colour of your bins.",
]


def prose(paragraph: str) -> bool:
    """Running text for these tests: a dozen words or more, ending a sentence, not link text (the related
    stories are links on the page)."""
    return paragraph not in RELATED and len(paragraph.split()) >= 12 and paragraph.rstrip().endswith((".", "!", "?"))


def lines(*groups: list[str]) -> str:
    return "\n".join(p for group in groups for p in group)


def test_body_is_where_both_families_agree_and_junk_outside_it_goes():
    texts = {
        DEFAULT: lines(MENU, BODY, RELATED),  # the default mode keeps the menu and the related stories
        PRECISE: lines(BODY, RELATED[:1]),  # the precise mode keeps one related story
        READABILITY: lines(BODY),
    }
    assert choose(texts, prose) == BODY


def test_running_text_next_to_the_body_joins_it_but_not_from_the_default_mode_alone():
    texts = {
        DEFAULT: lines(BODY, [AUTHOR]),  # running text only the default mode has
        PRECISE: lines(BODY),
        READABILITY: lines([STANDFIRST, LEAD], BODY),  # readability keeps the standfirst and the lead
    }
    assert choose(texts, prose) == [STANDFIRST, LEAD, *BODY]  # in page order, before the body
    assert choose(texts, prose, strict=True) == BODY


def test_readability_finding_a_fragment_does_not_cut_the_article():
    texts = {DEFAULT: lines(MENU, BODY), PRECISE: lines(BODY), READABILITY: BODY[2]}
    assert choose(texts, prose) == BODY


def test_readability_finding_another_block_leaves_the_trafilatura_agreement():
    texts = {DEFAULT: lines(BODY, RELATED), PRECISE: lines(BODY), READABILITY: lines(["Sign up for our newsletter"])}
    assert choose(texts, prose) == BODY


def test_a_wrong_small_block_of_the_precise_mode_is_outvoted():
    texts = {DEFAULT: lines(BODY, RELATED), PRECISE: RELATED[0], READABILITY: lines(BODY)}
    assert choose(texts, prose) == BODY


def test_two_different_fragments_leave_the_default_modes_running_text():
    texts = {DEFAULT: lines(MENU, BODY), PRECISE: BODY[0], READABILITY: BODY[5]}
    assert choose(texts, prose) == BODY  # the menu is not running text


def test_without_any_agreement_the_precise_mode_decides():
    texts = {DEFAULT: None, PRECISE: lines(BODY), READABILITY: lines(RELATED)}
    assert choose(texts, prose) == BODY
    assert choose({DEFAULT: None, PRECISE: None, READABILITY: None}, prose) == []


def test_a_lead_only_readability_has_goes_before_the_body():
    sequence = align({DEFAULT: lines(BODY), PRECISE: lines(BODY[1:]), READABILITY: lines([LEAD], BODY)})
    assert [v.text for v in sequence] == [LEAD, *BODY]
    assert sequence[0].votes == {READABILITY}
    assert sequence[1].votes == {DEFAULT, READABILITY}
    assert sequence[2].votes == {DEFAULT, PRECISE, READABILITY}


def test_restore_the_default_mode_when_the_choice_is_a_fragment_of_it():
    default = lines(MENU, [RELATED[0]], BODY)
    assert restore([RELATED[0]], default, prose) == [RELATED[0], *BODY]
    assert restore(BODY, default, prose) is None  # not a fragment
    assert (
        restore(
            [RELATED[0]], lines([RELATED[0]], ["- a list item of a dozen words or more, ending with a dot."] * 9), prose
        )
        is None
    )


def test_paragraphs_printed_twice_are_kept_once():
    assert dedupe([BODY[0], BODY[1], BODY[0], "Share", "Share"]) == [BODY[0], BODY[1], "Share", "Share"]
