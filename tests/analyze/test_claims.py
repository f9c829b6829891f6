"""Claim extraction and alignment rules, each pinned by sentences written for the test."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tidings.analyze import analyze
from tidings.analyze.claims import compatible_claims, extract_claims, same_quantity
from tidings.analyze.dates import find_dates
from tidings.analyze.model import Claim
from tidings.config import AnalyzeConfig
from tidings.model import Document, Sentence
from tidings.pipeline import prepare

THRESHOLD = AnalyzeConfig().align_threshold


def claims(text: str, doc_id: str = "d", published: date | None = None) -> list[Claim]:
    """Claims of one sentence, dated against ``published`` like the analysis does."""
    sentence = Sentence(doc_id, 0, 0, len(text), text)
    return extract_claims(doc_id, [sentence], dates=find_dates(text, doc_id, published), published=published)


def claim(text: str, figure: str, doc_id: str = "d", published: date | None = None) -> Claim:
    return next(c for c in claims(text, doc_id, published) if c.quantity.text == figure)


def aligned(a: Claim, b: Claim) -> bool:
    return same_quantity(a, b, THRESHOLD)


FILLERS = (  # enough words for an article, and different ones, so that no two documents look syndicated
    "Residents gathered in the square that evening while reporters waited outside the town hall for news.",
    "The mayor thanked the volunteers and asked drivers to avoid the main road until further notice.",
    "Local schools stayed open, and the regional council promised a full review of its emergency plans.",
)


def _analyze(texts: tuple[str, ...], published: datetime | None = None):
    docs = [Document(id=f"d{n}", text=f"{text}\n\n{FILLERS[n]}", published=published) for n, text in enumerate(texts)]
    return analyze(prepare(docs, clean=False), AnalyzeConfig(backend="rules", summary=False))


def disagreements(*texts: str, published: datetime | None = None) -> list[list[str]]:
    return [sorted(v.value for v in group.values) for group in _analyze(texts, published).disagreements]


def changes(*texts: str) -> list[list[str]]:
    return [[v.value for v in group.values] for group in _analyze(texts).changes]


# what is counted: the outcome (EVENTS) and the counted noun


def test_outcome_words_of_one_family_are_one_measure():
    toll = claim("The death toll from the flood in the river valley stood at 23, officials announced.", "23")
    killed = claim("The flood in the river valley killed 14 people, officials announced.", "14")
    assert (toll.head, toll.predicate) == (killed.head, killed.predicate) == ("people", "dead")
    assert aligned(toll, killed) and not compatible_claims(toll, killed)


def test_an_open_bound_is_not_contradicted_by_a_larger_figure():
    at_least = claim("The flood in the river valley killed at least 14 people, officials said.", "at least 14")
    more = claim("The flood in the river valley killed 40 people, officials said.", "40")
    fewer = claim("The flood in the river valley killed 9 people, officials said.", "9")
    assert compatible_claims(at_least, more)  # "at least 14" is true of 40, however far above
    assert not compatible_claims(at_least, fewer)
    assert compatible_claims(claim("Up to 30 people were hurt in the flood.", "Up to 30"), fewer)


def test_the_word_governing_the_number_wins_over_an_adjective_after_it():
    moved = claim("Helicopters airlifted and evacuated four injured climbers from the ridge.", "four")
    hurt = claim("At least six other climbers were injured on the ridge.", "At least six")
    assert moved.predicate == "evacuated" and hurt.predicate == "injured"
    assert not aligned(moved, hurt)


def test_an_outcome_word_does_not_reach_across_and():
    c = claims("The blast caused the collapse of five houses and the evacuation of about 40 homes nearby.")
    by_figure = {x.quantity.text: x for x in c}
    assert by_figure["five"].predicate is None
    assert (by_figure["about 40"].head, by_figure["about 40"].predicate) == ("house", "evacuated")


def test_a_participial_clause_after_a_comma_tells_another_outcome():
    c = {x.quantity.text: x for x in claims("The outbreak sickened 40 people in the county, killing three.")}
    assert c["40"].predicate is None and c["three"].predicate == "dead"
    assert claim("Nine people, including two children, were injured.", "Nine").predicate == "injured"


def test_an_outcome_word_after_the_noun_ends_the_measured_phrase():
    c = claim("The attack left 12 pupils and three teachers dead at the school.", "three")
    assert (c.measure, c.head, c.predicate) == ("teachers", "teacher", "dead")


def test_a_count_with_an_outcome_is_not_the_same_measure_as_one_without():
    arrested = claim("Police arrested nine protesters outside the embassy.", "nine")
    present = claim("About 200 protesters gathered outside the embassy.", "About 200")
    assert arrested.head == present.head == "protester"
    assert not aligned(arrested, present)


def test_fatally_wounded_is_a_death():
    assert claim("Three guards were fatally wounded in the raid.", "Three").predicate == "dead"
    assert claim("Three guards were wounded in the raid.", "Three").predicate == "injured"


def test_a_bare_number_counts_people_only_next_to_its_outcome():
    assert claim("Officials said 12 were missing after the ferry sank.", "12").measure == "people missing"
    assert claim("The storm killed 31 and flattened crops.", "31").head == "people"
    assert claim("Divers found the ferry, and 17 others missing were named.", "17").predicate == "missing"
    assert [c.quantity.text for c in claims("Ortiz, who was 52 at the time of his death, led the crew.")] == []


def test_counted_noun_synonyms_of_house_style():
    a = claim("Some 3,000 migrants crossed the border at the river in the spring surge.", "Some 3,000")
    b = claim("About 5,000 immigrants crossed the border at the river in the spring surge.", "About 5,000")
    c = claim("Nearly 4,000 illegal aliens crossed the border at the river in the spring surge.", "Nearly 4,000")
    assert a.head == b.head == c.head == "immigrant"
    assert aligned(a, b) and aligned(b, c)


def test_counts_without_an_outcome_align_on_the_words_around_them():
    a = claim("About 40,000 seasonal farmhands from abroad picked the harvest this summer.", "About 40,000")
    b = claim("Roughly 30,000 seasonal farmhands from abroad picked the harvest, the union said.", "Roughly 30,000")
    # a long sentence sharing the topic but not the measured phrase (whole-sentence overlap would align it)
    topic = claim(
        "The union, which says the harvest this summer depended on seasonal labour from abroad, counts 3,000 "
        "farmhands among its members.",
        "3,000",
    )
    assert aligned(a, b) and not compatible_claims(a, b)
    assert not aligned(a, topic)


def test_counted_nouns_that_name_one_thing_align_by_their_embeddings():
    a = claim("About 300 physicians signed the letter to the health minister on Monday.", "About 300")
    b = claim("Some 450 doctors signed the letter to the health minister on Monday.", "Some 450", "e")
    c = claim("Some 450 students signed the letter to the health minister on Monday.", "Some 450", "f")
    assert (a.head, b.head) == ("physician", "doctor")
    assert aligned(a, b) and not aligned(a, c)


def test_tolls_of_another_place_another_day_or_an_increment_are_apart():
    damascus = claim("On Saturday, suicide bombings in Damascus killed 27 people, activists said.", "27")
    aleppo = claim("On Saturday, a car bomb in Aleppo killed 31 people, activists said.", "31", "e")
    sunday = claim("On Sunday, suicide bombings in Damascus killed 30 people, activists said.", "30", "f")
    more = claim("On Saturday, 35 more were killed in Damascus, activists said.", "35", "g")
    same = claim("On Saturday, suicide bombings in Damascus killed 30 people, the agency said.", "30", "h")
    assert damascus.places == {"damascus"} and more.increment
    assert not aligned(damascus, aleppo)
    assert not aligned(damascus, sunday)
    assert not aligned(damascus, more)
    assert aligned(damascus, same) and not compatible_claims(damascus, same)


def test_a_count_of_two_groups_or_of_someone_else_is_apart():
    both = claim("The plane disappeared with 239 passengers and crew aboard last week.", "239")
    some = claim("Relatives of the 153 passengers aboard the plane last week waited for news.", "153", "e")
    assert both.head == "passenger+crew" and some.head == "passenger"
    assert not aligned(both, some)
    his = claim("The officer thought of his two kids at home that night.", "two")
    hers = claim("The mother said she would do anything for her six kids at home.", "six", "e")
    assert (his.owner, hers.owner) == ("his", "her") and not aligned(his, hers)


def test_a_sentence_that_also_states_a_fitting_figure_is_no_dispute():
    found = disagreements(
        "The stolen gold coins add up in face value to $30,000, and the gold coins found to nearly $30,000.",
        "The gold coins found add up in face value to $27,000, the dealer said.",
    )
    assert found == []  # the stolen coins' $30,000 reads closest, but "nearly $30,000" fits $27,000


def test_a_starting_value_or_a_denied_figure_is_no_claim():
    assert [c.quantity.text for c in claims("The share of voters rose to 23%, up from 17% in 2009.")] == ["23%"]
    assert [c.quantity.text for c in claims("It lifted the share of repaired embryos from 50% to 74%.")] == ["74%"]
    text = "They found that 72 per cent of the embryos, not 50 per cent, were free of the gene."
    assert [c.quantity.text for c in claims(text)] == ["72 per cent"]


def test_figures_in_a_crowded_clause_are_a_table():
    text = "Police counted 120 protesters, 45 officers, 30 vans and 12 horses at the scene."
    assert len(claims(text)) == 4 and all(c.listed for c in claims(text))
    assert not claim("Police counted 120 protesters at the scene.", "120").listed


def test_capitalised_qualifiers_with_nothing_in_common_count_different_groups():
    ours = claim("About 9,000 U.S. troops joined the drill near the border this week.", "About 9,000")
    theirs = claim("Some 14,000 South Korean troops joined the drill near the border this week.", "Some 14,000")
    plain = claim("Some 14,000 troops joined the drill near the border this week.", "Some 14,000", "e")
    assert ours.qualifier == {"u.s"} and theirs.qualifier == {"south", "korean"}
    assert not aligned(ours, theirs)
    assert aligned(ours, plain)  # no qualifier: nothing tells them apart


def test_a_percentage_with_a_noun_needs_more_shared_context_than_a_count():
    a = claim("The new catalyst made ethanol with 40 percent efficiency in the lab.", "40 percent")
    b = claim("The old catalyst made propanol with 12 percent efficiency at low voltage.", "12 percent")
    assert a.head == b.head == "efficiency"
    assert not aligned(a, b)
    c = claim("The new catalyst made ethanol with 45 percent efficiency in the lab tests.", "45 percent")
    assert aligned(a, c)


def test_a_partitive_reference_has_no_measure_and_the_whole_is_apart():
    assert [c.quantity.text for c in claims("Four of those detained were released on bail.")] == []
    parts = {c.quantity.text: c for c in claims("The jury convicted him on two of six counts of fraud.")}
    assert parts["two"].head == parts["six"].head == "count" and parts["six"].whole and not parts["two"].whole
    assert not aligned(parts["six"], claim("The jury convicted him on three counts of fraud.", "three", "e"))


def test_a_part_of_a_total_is_not_the_total():
    part = claim("Nine of the passengers were children, the airline said.", "Nine")
    plain = claim("Twelve passengers were on board the small plane, the airline said.", "Twelve", "e")
    assert part.part and not plain.part
    assert not aligned(part, plain)
    of_those = claim("Police detained 30 people, and of those, 20 were charged.", "20")
    assert of_those.part


def test_a_per_unit_figure_is_not_a_claim():
    assert [c.quantity.text for c in claims("The four winners will receive $50,000 each.")] == ["four"]
    assert [c.quantity.text for c in claims("Each family got $1,200 from the fund.")] == []


def test_scope_words_keep_counts_apart():
    federal = claim("He faces three federal charges over the scheme, prosecutors said.", "three")
    state = claim("He faces five state charges over the scheme, prosecutors said.", "five", "e")
    plain = claim("He faces five charges over the scheme, prosecutors said.", "five", "f")
    assert not aligned(federal, state)
    assert not aligned(federal, plain)
    critical = claim("Four people were critically injured in the blast at the plant.", "Four")
    injured = claim("Eleven people were injured in the blast at the plant.", "Eleven", "e")
    assert not aligned(critical, injured)


def test_figures_in_sentences_about_other_countries_or_events_are_apart():
    here = claim("The earthquake in Peru killed 40 people, officials said.", "40")
    there = claim("The earthquake in Chile killed 12 people, officials said.", "12", "e")
    assert not aligned(here, there)
    tsunami = claim("The tsunami that followed killed 437 people along the coast.", "437")
    landslide = claim("The landslide killed 20 people along the coast road.", "20", "e")
    assert not aligned(tsunami, landslide)


def test_ages_of_one_person_disagree_and_a_namesake_is_someone_else():
    found = disagreements(
        "Pasztor also admitted to shooting her neighbour, 66-year-old Frank Macomber, near the road.",
        "Macomber, 65, was found shot near the road. Frank Macomber had lived there for years.",
    )
    assert found == [["65", "66-year-old"]]
    worded = disagreements(
        "Twenty-eight-year-old Geraldine Alcorn was arraigned on Wednesday. Geraldine Alcorn, 28, was released.",
        "The teacher, identified as 29-year-old Geraldine Alcorn, faces several charges.",
    )
    assert worded == [["29-year-old", "Twenty-eight-year-old"]]  # one value, however it is written
    mother = "Amber Pasztor told police what happened. Pasztor, 29, was arrested on Monday."
    child = "The girl, 6-year-old Rene Pasztor, was found on Monday."
    assert disagreements(mother, child) == []


def test_ages_said_in_a_clause_of_their_own_or_at_a_death():
    found = disagreements(
        "Lena Okafor, who founded the bakery chain, has died at her home in Leeds. She was 61.",
        "Bakery founder Lena Okafor has died after a short illness, her family said. Okafor was 62.",
    )
    assert found == [["61", "62"]]
    (c,) = claims("Marty Quill died on Thursday at the age of 76.")
    assert (c.subject, c.quantity.text) == (("marty", "quill"), "76")
    assert claims("He was 19 when he enlisted in the army.") == []  # an age at another time
    assert [c.measure for c in claims("Turnout was 60.")] == []  # not a person


def test_a_pronoun_age_needs_a_sentence_that_opens_with_one_full_name():
    sentences = [Sentence("d", i, 0, 0, t) for i, t in enumerate(["Jo Reyes and Sam Ott met in May.", "He was 40."])]
    assert extract_claims("d", sentences) == []
    sentences = [Sentence("d", i, 0, 0, t) for i, t in enumerate(["Jo Reyes met Sam Ott in May.", "He was 40."])]
    assert [c.subject for c in extract_claims("d", sentences)] == [("jo", "reyes")]


def test_a_number_of_pages_in_a_compound_is_a_count_of_pages():
    (c,) = claims("He left a five-page note for his family.")
    assert c.head == "page"
    (long,) = claims("The note he left in his car was eight pages long.")
    assert long.head == "page"  # "pages long": what is counted is pages


# when: dates, years and earlier events


def test_figures_dated_a_week_or_more_apart_are_different_events():
    day = date(2021, 3, 15)
    now = claim("Four people were killed in the crash on Saturday near the junction.", "Four", "a", day)
    before = claim("The crash on March 1 that killed nine people closed the junction.", "nine", "b", day)
    same_day = claim("The crash on Saturday killed six people near the junction.", "six", "c", day)
    next_day = claim("The crash on Sunday killed six people near the junction.", "six", "c", day)
    assert now.when and before.when
    assert not aligned(now, before)
    assert aligned(now, same_day)
    assert not aligned(now, next_day)  # a toll of another day: in a story of several attacks, another attack


def test_an_earlier_event_is_background_and_not_aligned_with_the_story():
    story = claim("Seven miners were killed in the collapse at the pit.", "Seven")
    earlier = claim("Last year, a collapse at another pit killed eleven miners.", "eleven")
    assert earlier.background and not story.background
    assert not aligned(story, earlier)


def test_a_month_dated_before_publication_is_background():
    day = date(2020, 10, 6)
    assert claim("In mid-September, at least 30 people were killed in floods.", "at least 30", "d", day).background
    assert not claim("In October, at least 30 people were killed in floods.", "at least 30", "d", day).background


def test_a_past_year_is_background_once_the_publication_date_is_known():
    text = "It was the anniversary of the 1999 quake, which killed thousands of people in the valley."
    assert claim(text, "thousands", "d", date(2021, 6, 1)).background
    assert not claim(text, "thousands", "d", None).background  # no date to tell the past by
    assert not claim("The 2021 quake killed 40 people in the valley.", "40", "d", date(2021, 6, 1)).background


def test_a_running_total_over_a_long_period_is_background():
    assert claim("More than 9,000 people have died in the decade-long conflict.", "More than 9,000").background
    assert claim("Since the start of the war, 40,000 people were displaced.", "40,000").background
    assert not claim("At least 12 people died in the shelling on the market.", "At least 12").background


def test_time_phrases_stop_at_a_sentence_end_left_inside_a_quote():
    text = '"We reviewed nine cases in that ward. Since the start of the inquiry, more came," she said.'
    assert not claim(text, "nine").background


def test_a_time_phrase_far_after_the_figure_belongs_to_another_clause():
    text = "The bill would cover about 90,000 teachers hired under the state programme that the governor cut last year."
    assert not claim(text, "about 90,000").background
    assert claim("About 90,000 teachers were hired last year.", "About 90,000").background


# figures without a counted noun: rates, keys, lists, fingerprints


def test_a_rate_is_not_a_total():
    rate = claim("The guards billed $2,400 a day for the detail at the court building.", "$2,400")
    total = claim("The guards billed $50,000 for the detail at the court building.", "$50,000")
    assert rate.rate == "day" and total.rate is None
    assert not aligned(rate, total)


def test_distances_align_on_the_place_they_are_measured_from():
    a = claim("The crater lies about 300 miles southwest of Denver, in the desert.", "about 300 miles")
    b = claim("Scientists reached the crater, some 180 miles south of Denver, on foot.", "some 180 miles")
    other = claim("The crater lies 40 miles from the nearest road.", "40 miles")
    assert aligned(a, b) and not compatible_claims(a, b)
    assert not aligned(a, other)


def test_figures_in_a_list_without_nouns_are_not_claims():
    text = "Prices: Boston ($41,200), Austin ($38,900), Denver ($36,450) and Miami ($35,100) topped the list."
    assert claims(text) == []


def test_a_sum_without_a_noun_aligns_on_what_its_clause_says():
    winner = claim(
        "She cashed the ticket without telling her colleagues and walked away with $2 million in one lump sum "
        "after taxes.",
        "$2 million",
    )
    budget = claim("The lottery commission spent $3 million on advertising the draw this year.", "$3 million")
    assert not aligned(winner, budget)
    same = claim("Her colleagues said she walked away with $3 million in one lump sum after taxes.", "$3 million")
    assert aligned(winner, same)


def test_a_precise_figure_stated_twice_is_one_fact():
    a = claim("She wired the fund $48,316.52 on the last day.", "$48,316.52", "a")
    b = claim("Records show a transfer of $48,316.52 from her bank.", "$48,316.52", "b")
    assert aligned(a, b)


def test_a_toll_including_the_attackers_agrees_with_one_without_them():
    with_them = claim("The siege left 15 people dead, including the two gunmen.", "15")
    without = claim("The gunmen killed 13 people during the siege.", "13")
    assert with_them.includes == 2 and aligned(with_them, without)
    assert compatible_claims(with_them, without)
    assert not compatible_claims(with_them, claim("The gunmen killed 11 people during the siege.", "11"))


# end to end: what is flagged


def test_a_toll_and_a_kill_count_disagree_across_sources():
    found = disagreements(
        "The death toll from the mudslide in the hill district stood at 23, the agency said.",
        "Villagers dug through the mud after the mudslide killed 14 people in the hill district.",
    )
    assert found == [["14", "23"]]


def test_figures_far_apart_are_different_facts():
    found = disagreements(
        "The mudslide in the hill district killed 14 people, the agency said.",
        "Landslides in the hill district have killed 210 people, the agency said.",
    )
    assert found == []


def test_a_toll_that_rose_to_a_higher_figure_is_a_change_not_a_disagreement():
    texts = (
        "The death toll from the mudslide in the hill district has risen to 23, the agency said.",
        "The mudslide in the hill district killed at least 14 people, the agency said.",
    )
    assert disagreements(*texts) == []
    assert changes(*texts) == [["at least 14", "23"]]  # earlier, then later


def test_a_toll_the_text_says_rose_is_a_change_however_far_it_rose():
    texts = (
        "State television says five people have died after two dragon boats capsized in the river.",
        "The fire department says the death toll from the capsize of two dragon boats has risen to 17.",
    )
    assert disagreements(*texts) == []
    assert changes(*texts) == [["five", "17"]]


def test_a_running_count_published_a_day_apart_is_a_change():
    early = Document(id="d0", text=f"Nine people were killed when the ferry sank off the coast.\n\n{FILLERS[0]}",
                     published=datetime(2020, 5, 1, 8, tzinfo=UTC))  # fmt: skip
    late = Document(id="d1", text=f"Divers said on Saturday that 15 people were killed in the ferry sinking.\n\n"
                    f"{FILLERS[1]}", published=datetime(2020, 5, 2, 8, tzinfo=UTC))  # fmt: skip
    result = analyze(prepare([late, early], clean=False), AnalyzeConfig(backend="rules", summary=False))
    assert not result.disagreements
    (change,) = result.changes
    assert [(v.value, v.sources) for v in change.values] == [("Nine", ("d0",)), ("15", ("d1",))]
    assert change.values[0].published == datetime(2020, 5, 1, 8, tzinfo=UTC)


def test_a_source_that_also_states_the_other_figure_only_updated_itself():
    early, late = "Police said two people were hurt at the rally.", "Later, police said three people were hurt there."
    assert disagreements(early + " " + late, "Three people were hurt at the rally, police said.") == []


def test_an_open_bound_fits_anything_above_it_so_it_excuses_nothing():
    first = "The flood left 30 people missing in the valley. By evening, at least 21 people were still missing."
    assert disagreements(first, "Officials said 26 were missing in the valley.") == [["26", "30"]]


def test_compatible_figures_on_both_sides_are_no_disagreement():
    first = "Police said 12 people were hurt at the rally. A spokesman later said 14 people were hurt at the rally."
    assert disagreements(first, "Fourteen people were hurt at the rally, police said.") == []


def test_a_disagreement_lists_pairs_compared_directly_not_chains():
    found = disagreements(
        "Twelve people were injured in the crash on the bridge, police said.",
        "The crash on the bridge left 14 people injured, a hospital spokeswoman told reporters.",
        "About 15 people were injured in the bridge crash, according to the fire brigade.",
    )
    assert ["14", "About 15"] not in found  # compatible: never shown as disagreeing with each other
    assert ["14", "Twelve"] in found


@pytest.mark.parametrize(
    ("other", "flagged"),
    [
        ("Utility crews said roughly 600,000 households lost power, and repairs could take days.", True),
        ("Utility crews said about 700,000 households lost power, and repairs could take days.", False),
    ],
)
def test_round_approximations_that_differ_in_their_leading_digit_disagree(other, flagged):
    # [650,000, 750,000) and [550,000, 650,000): +-10% would have let them overlap
    found = disagreements("Approximately 700,000 households lost power when the storm hit the coast on Tuesday.", other)
    assert bool(found) is flagged
