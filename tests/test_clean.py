"""The cleaner on the labelled seed cluster and on hand-written pages from other site templates."""

import json
from pathlib import Path

import pytest

from tidings.clean import clean_document, clean_lines, clean_text
from tidings.ingest import load, normalize_text
from tidings.model import Document


def _score(kept: set[int], gold: set[int], tp_fp_fn: list[int]) -> None:
    tp_fp_fn[0] += len(kept & gold)
    tp_fp_fn[1] += len(kept - gold)
    tp_fp_fn[2] += len(gold - kept)


def test_seed_cluster_precision_and_recall(seed_dir: Path, fixtures: Path):
    """Line-level precision/recall of the kept body lines against hand labels (reported in the closing note)."""
    labels = json.loads((fixtures / "seed_labels.json").read_text())
    counts = [0, 0, 0]
    for name, gold in labels.items():
        if name.startswith("_"):
            continue
        result = clean_document(load([seed_dir / name]).documents[0])
        kept = {line.number for line in result.lines if line.kept}
        _score(kept, set(gold["body"]), counts)
    tp, fp, fn = counts
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    print(f"seed cleaner: precision {precision:.3f} recall {recall:.3f} ({tp} tp, {fp} fp, {fn} fn)")
    assert precision >= 0.97
    assert recall >= 0.97


def test_seed_metadata_from_junk(seed_dir: Path, fixtures: Path):
    labels = json.loads((fixtures / "seed_labels.json").read_text())
    for name, gold in labels.items():
        if name.startswith("_"):
            continue
        doc = clean_document(load([seed_dir / name]).documents[0]).document
        assert doc.title == gold["title"]
        if "outlet" in gold:
            assert doc.outlet == gold["outlet"]
        if "published" in gold:
            assert doc.published.date().isoformat() == gold["published"]


def _labelled(path: Path) -> tuple[str, list[str]]:
    raw = path.read_text(encoding="utf-8").split("\n")
    return "\n".join(line[2:] for line in raw), [line[:2] for line in raw]


@pytest.mark.parametrize("name", ["harbour_bridge.txt", "vaccine_trial.txt"])
def test_generalises_to_other_templates(fixtures: Path, name: str):
    text, labels = _labelled(fixtures / "clean" / name)
    _, lines, meta = clean_lines(normalize_text(text))
    wrong = [
        (lab, ln.reason, ln.text)
        for lab, ln in zip(labels, lines, strict=False)
        if ln.text and (lab == "+ ") != ln.kept
    ]
    assert wrong == []
    title = next(ln.text for lab, ln in zip(labels, lines, strict=False) if lab == "# ")
    assert meta["title"] == title


def test_every_dropped_line_has_a_reason(seed_dir: Path):
    result = clean_document(load([seed_dir / "001_e5c2f623928b32d8.txt"]).documents[0])
    reasons = {line.reason for line in result.dropped}
    assert {"comment form", "teaser header", "photo caption or credit", "spam notice"} <= reasons
    assert "" not in reasons


def test_dateline_prefix_is_stripped():
    body = clean_text("Title here\n\nTOKYO — Vladimir Putin and Kim Jong Un may finally be ready to meet.")
    assert body == "Vladimir Putin and Kim Jong Un may finally be ready to meet."
    body = clean_text("WASHINGTON (AP) — The Senate voted on Tuesday to pass the bill after a long debate.")
    assert body.startswith("The Senate voted")
    for dateline in (
        "LIVERPOOL, England, Sept 24 (Reuters) - ",
        "Aug. 22 (UPI) -- ",
        "(CNN) -- ",
        "Berlin (AFP) - ",
        "WIMBLEDON, England—",
        "PARIS, Aug 1 — ",
        "SÃO PAULO -- ",
        "MIAMI (CBSMiami/AP) — ",
        "By The Associated Press KATHMANDU, Nepal (AP) — ",
        "(CNN) ",
        "— ",
    ):
        body = clean_text(f"{dateline}The Senate voted on Tuesday to pass the bill after a long debate.")
        assert body.startswith("The Senate voted"), dateline


def test_a_sentence_with_a_dash_is_not_a_dateline():
    for text in (
        "The Vegas Golden Knights are going to the Stanley Cup Final — with a chip on their shoulder.",
        "US newspapers to Trump - We are not the enemies of the people, editorials said on Thursday.",
    ):
        assert clean_text(text) == text


def test_long_paragraph_mentioning_boilerplate_words_is_kept():
    para = (
        "A Shalimar woman has a warning for them. She says her implants nearly killed her. You may have seen some of "
        "the articles popping up on Facebook and various websites, linking mold in saline implants to a host of "
        "health problems, and you can click here or subscribe to our newsletter, she joked, but the story is real "
        "and it started in 2011 when she suddenly began gaining weight and losing her vision."
    )
    body = clean_text(f"Local woman warns of implant dangers\n\n{para}")
    assert body == para


def test_headline_glued_to_body_is_removed():
    d = Document(
        id="x",
        title="Republicans Keep Senate Majority",
        text="Republicans Keep Senate Majority Republicans will maintain control of the Senate for two more years.",
    )
    assert clean_document(d).document.text == "Republicans will maintain control of the Senate for two more years."
    glued = Document(
        id="y",
        title="Serbia talks up armed intervention",
        text="Serbia talks up armed intervention PRISTINA, Kosovo (AP) — Serbia threatened an armed intervention.",
    )
    assert clean_document(glued).document.text == "Serbia threatened an armed intervention."


def test_hard_wrapped_text_is_unwrapped():
    text = (
        "Bridge reopens\n\nThe city's main harbour bridge will reopen to traffic\non Monday after a three-week "
        "closure, the ministry\nsaid on Friday."
    )
    body = clean_text(text)
    assert body == (
        "The city's main harbour bridge will reopen to traffic on Monday after a three-week closure, the ministry "
        "said on Friday."
    )


def test_thin_page_keeps_its_headline_like_lead():
    """A page that is only its headline and a one-line lead is thin, not empty."""
    text = "Japan to leave whaling body\n\nTOKYO (AP) — Japan says it will leave the whaling body and resume hunts"
    body = clean_text(text)
    assert "Japan says it will leave the whaling body" in body


def test_page_of_only_comment_prompts_stays_empty():
    body = clean_text("Leave a reply\n\nPlease enter your comment!\n\nPlease enter your name here")
    assert body == ""


def test_caption_inside_a_paragraph_is_not_a_line_verdict():
    para = (
        "In this April 15, 2015 photo, a large crowd lines up outside a new store in Atlantic City. "
        "Outdoor gear giants Bass Pro and Cabela's will combine in a deal worth $4.5 billion, the companies said."
    )
    body = clean_text(f"Bass Pro to buy Cabela's\n\n{para}")
    assert body == para  # the line is a paragraph; the caption sentence is left to the summarizer's filter


def test_clean_text_returns_text_and_clean_lines_the_verdicts():
    text = "Big Headline\n\nThe mayor said the bridge will reopen on Monday.\n\nLeave a reply"
    assert clean_text(text) == "The mayor said the bridge will reopen on Monday."
    result = clean_lines(text)
    assert result.body == clean_text(text) and result.meta["title"] == "Big Headline"
    assert [line.reason for line in result.lines if line.text][-1] == "comment form"


def test_pointers_to_more_elsewhere_are_site_chrome_but_for_more_than_is_not():
    from tidings.clean import boilerplate_reason

    assert boilerplate_reason("For more on Rihanna, head over to Billboard.")
    assert boilerplate_reason("For the latest updates on the sell-off, check Markets Insider")
    assert boilerplate_reason("For more about chronic pain, visit the U.S. National Library of Medicine.")
    assert boilerplate_reason("For more than a decade, he led the company, visiting every branch himself.") is None
    assert boilerplate_reason("For more details, the council said, residents should wait for Monday's report.") is None


def test_a_photographers_credit_opening_a_caption_and_correction_notices_are_boilerplate():
    from tidings.clean import boilerplate_reason

    assert boilerplate_reason("Eric Gay / AP Senator Wendy Davis listens as the Texas Senate debates the bill.")
    assert boilerplate_reason("| John Shinkle/POLITICO Congressional leaders reach budget deal on spending caps.")
    assert boilerplate_reason("Christina House / For The Times James Price, 22, wears red shoes at the event.")
    assert boilerplate_reason("The Salk/OHSU team also found that its gene correction did not cause mutations.") is None
    assert boilerplate_reason(
        "Join us on Facebook Like us and you'll find top breaking news in your Facebook newsfeed."
    )
    assert boilerplate_reason(
        "Have a look at the top moments in our gallery, then share your own thoughts in the comments."
    )
    assert boilerplate_reason("Fans shared their thoughts on the ceremony, the network said on Monday.") is None
    # an agency's credit ending a caption line, which was taken for an untitled article's headline
    assert boilerplate_reason("Bernie Sanders (2nd row down, center) liked what he heard. REUTERS/Jonathan Ernst")
    assert boilerplate_reason("Fans will swap the misspelled jerseys. AP Photo/David Zalubowski")
    assert boilerplate_reason("A store in St. Moritz, March 15, 2016. REUTERS/Arnd Wiegmann/File Photo")
    assert boilerplate_reason("Approval slipped to 38 percent in a Reuters/Ipsos poll.") is None
    assert boilerplate_reason("Trump approval slips in latest Reuters/Ipsos Poll") is None
    assert boilerplate_reason("An earlier version of this post incorrectly gave the suspect's name as Jones.")
    assert boilerplate_reason("This story has been corrected to show Gomes lived in Raynham, not Rayham.")
    assert boilerplate_reason("This story has been a long time coming, officials said on Monday.") is None
    assert boilerplate_reason("Update: The post has been updated to include comments from the airlines.")
    assert boilerplate_reason("This is a developing story. Stay with example.com for updates.")
    assert boilerplate_reason("Stay with KXYZ for the latest on this developing story.")
    assert boilerplate_reason("Check back for details as they develop.")
    assert boilerplate_reason("The outlet will update this story as more information becomes available.")
    assert boilerplate_reason("Rescuers stayed with the climbers for hours, officials said.") is None
    assert boilerplate_reason("The situation is developing quickly, the governor said on Sunday.") is None
    assert boilerplate_reason("Crawl of outlinks from wikipedia.org started March, 2016.")
    assert boilerplate_reason("We used Heritrix (3.1.1-SNAPSHOT) crawler software and respected robots.txt directives.")
    assert boilerplate_reason("Starting in 1996, Alexa Internet has been donating their crawl data to the Archive.")
    assert boilerplate_reason("These crawls are part of an effort to archive pages as they are created.")


def test_news_alert_prompts_are_site_chrome_but_news_about_alerts_is_not():
    from tidings.clean import boilerplate_reason

    assert boilerplate_reason("Breaking News Emails Get breaking news alerts and special reports.")
    assert boilerplate_reason("Receive email alerts when we publish.")
    assert boilerplate_reason("The station got news alerts about the storm from residents.") is None


def test_an_outlets_app_promotion_is_site_chrome_but_news_about_apps_is_not():
    from tidings.clean import boilerplate_reason

    assert boilerplate_reason("Or, keep up-to-date on the latest news and weather with the KXYZ apps for iPhone/iPads.")
    assert boilerplate_reason("Download the KXYZ news app in your app store to stay up-to-date while on the go.")
    assert boilerplate_reason("Get the Channel 9 app for iPhone & iPad!")
    assert boilerplate_reason("Sign in to update your profile and keep up to date with mobile alerts.")
    assert boilerplate_reason("More games and apps are available in the Lenovo App Store, the company said.") is None
    assert boilerplate_reason("Users who download the TikTok app must now confirm their age, regulators said.") is None


def test_labels_bylines_relative_times_and_player_text_above_the_body_are_not_its_headline():
    body = "Kim Jong Un will meet Putin in Vladivostok next week, the Kremlin said on Thursday in a statement."
    for furniture in (
        "2 years ago",
        "/ Updated By Ana Ruiz",
        "English >> World",
        "Please enable Javascript to watch this video",
        "Click to email this to a friend (Opens in new window)",
        "Media playback is unsupported on your device Media caption Kim arrives by train",
    ):
        assert "title" not in clean_lines(f"{furniture}\n\n{body}")[2], furniture
    assert clean_lines(f"English >> World\nKim to meet Putin in Vladivostok\n{body}")[2]["title"] == (
        "Kim to meet Putin in Vladivostok"
    )
    opening = "Senator Ana Ruiz used the morning session to take a shot at the governor's budget, announcing a bill:"
    assert "title" not in clean_lines(f"{opening}\n\nNo new taxes this year.\n\n{body}")[2]  # the body's first line


def test_a_players_notice_is_cut_out_and_the_rest_of_its_line_kept():
    text = (
        "Train derails in Taiwan\n\nMedia playback is unsupported on your device At least 18 people were killed"
        " when a passenger train derailed in Taiwan on Sunday, officials said on Monday evening."
    )
    body = clean_text(text)
    assert "Media playback" not in body and body.startswith("At least 18 people were killed")
    labelled = clean_text("Updated | When the first humans left Africa around 100,000 years ago, they got shorter.")
    assert labelled == "When the first humans left Africa around 100,000 years ago, they got shorter."


def test_a_section_label_above_the_headline_is_not_the_title():
    body = "Kim Jong Un will meet Putin in Vladivostok next week, the Kremlin said on Thursday in a statement."
    _, lines, meta = clean_lines(f"World News\nKim to meet Putin in Vladivostok\n{body}")
    assert meta["title"] == "Kim to meet Putin in Vladivostok"
    assert [line.reason for line in lines][:2] == ["heading", "title"]
    cleaned, _, meta = clean_lines(f"Features\n\n{body}")
    assert "title" not in meta and cleaned.strip() == body  # no headline at all: none is made up from the label
    assert clean_lines(f"Brexit delayed again\n\n{body}")[2]["title"] == "Brexit delayed again"
    for credit in ("Copyright Marvel Comics", "© Reuters 2019"):  # a credit is never the headline
        assert "title" not in clean_lines(f"{credit}\n\n{body}")[2]


def test_a_page_of_dated_entries_is_not_dated_by_its_first_entry():
    entry = "We thank all of you who gave to the relief fund in the last year, the foundation said on Monday."
    page = "\n\n".join(f"{day}\n\n{entry}" for day in ("April 10th, 2016", "June 4th, 2015", "April 13, 2015"))
    assert "published" not in clean_lines(page)[2]  # three entries: the newest one's date is not the page's
    assert clean_lines(f"April 10th, 2016\n\n{entry}")[2]["published"].year == 2016  # one dated article


def test_keyword_guards_never_change_a_verdict(seed_dir):
    """boilerplate_reason skips a costly search when none of its family's words occur; the verdicts must be
    those of the plain searches, in the same order, on real lines and sentences and on each family's junk."""
    import importlib

    from tidings.segment import split_sentences

    c = importlib.import_module("tidings.clean")  # the module, not the package's clean() function

    def unguarded(text: str) -> str | None:
        n = len(text.split())
        checks = (
            (c.COMMENT_FORM.regex.search(text), "comment form"),
            (c.SPAM_NOTICE.regex.search(text), "spam notice"),
            (
                c.CREDIT_START.match(text)
                or c.CREDIT.search(text)
                or ((c.TRAILING_CREDIT.search(text) or c.SLASH_CREDIT.match(text)) and n <= 60),
                c.CAPTION,
            ),
            (c.SITE_CHROME.regex.search(text), "share, subscribe or site chrome"),
            (c.TEASER_INLINE.match(text) and n <= 25, "teaser of another story"),
            (c.COMMENT_AUTHOR.match(text), "reader comment"),
            (c.BYLINE.regex.search(text) and n <= 30, "byline or credit line"),
        )
        return next((reason for hit, reason in checks if hit), None)

    junk = [
        "Ad", "Share this", "Log in to comment.", "Be the first to reply!", "Click HERE for more.", "© 2019 Reuters",
        "Tags: Russia, Korea", "Get breaking news alerts in your inbox.", "Image copyright AFP", "Getty Images",
        "ALL RIGHTS RESERVED.", "Continue reading", "Sponsored content", "Comments (12)", "Photo: John Smith/AP",
        "BACK TO TOP", "This is a developing story.", "Download the Click2Houston news app", "Leave a Reply",
        "Jane Roe contributed to this report.", "Posted by Jane Roe", "Comment data is processed by Akismet",
        "Click to email this to a friend (Opens in new window)", "SIGN UP for our newsletter today",
        "\u017fhare this article on Facebook", "Please \u212aeep reading: log in to comment",  # letters re.I folds
    ]  # fmt: skip
    misses = ["Back to the topic.", "Shares fell.", "The post office closed.", "He signed up to fight."]
    texts = [line for p in sorted(seed_dir.glob("*.txt")) for line in p.read_text(encoding="utf-8").split("\n")]
    strings = {s for t in texts if t.strip() for s in (t.strip(), *split_sentences(t.strip()))} | set(junk + misses)
    strings |= {s.upper() for s in strings} | {f"  {s}" for s in strings}
    assert all(c.boilerplate_reason(s) == unguarded(s) for s in strings)
    assert all(c.boilerplate_reason(s) is not None for s in junk)
    assert all(c.boilerplate_reason(s) is None for s in misses)


def test_a_paragraph_of_junk_sentences_and_web_archive_notes_are_removed():
    article = "The city council voted on Tuesday to close the harbour bridge for three weeks of emergency repairs."
    junk = [
        "You can add location information to your Tweets, such as your city or precise location, from the web and via"
        " third-party applications. You always have the option to delete your Tweet location history. Learn more",
        "Starting in 1996, Alexa Internet has been donating their crawl data to the Internet Archive. Flowing in every"
        " day, these data are added to the Wayback Machine after an embargo period.",
        "The seed for Wide00014 was:",
        "-- up to a maximum of 100 most highly ranked URLs per domain",
        "Just fill in your contact details in the form below to join our mailing list and keep up to date with us.",
        "share tweet pin email",
        "These crawls are part of an effort to archive pages as they are created and archive the pages that they"
        " refer to. That way, as the pages that are referenced are changed or taken from the web, a link to the"
        " version that was live when the page was written will be preserved. The goal is to fix all broken links on"
        " the web .",
    ]
    kept = [  # a paragraph that merely mentions subscribing stays
        "Readers who subscribe to the paper were told of the closure first. Engineers said the cracks were found in"
        " two steel supports during a routine inspection last month, and that repairs could not wait any longer.",
    ]
    body, _, meta = clean_lines("\n\n".join([junk[-1], article, *junk[:-1], *kept]))
    assert article in body and all(k in body for k in kept)
    assert not any(j in body for j in junk) and meta.get("title") != "share tweet pin email"
    # a salutation is no headline, and the line after it is not one either
    _, _, meta = clean_lines("To our community,\n\nOn our journey to connect the world, we often discuss products.")
    assert "title" not in meta


def test_an_agency_dateline_inside_a_line_starts_the_article_there():
    """A headline, a truncated teaser or a photo's credit glued before the dateline is cut off and judged alone."""
    glued = {
        "Mayor says SpaceX to build new rocket in Port of Los Angeles LOS ANGELES (AP) — ": "title",
        "Police say a suspect shot a man at a store and then fled… JEFFERSONTOWN, Ky. (AP) — ": "truncated teaser",
        "Leung attends a forum in Hong Kong March 12, 2012. REUTERS/Bobby Yip/File Photo HONG KONG (Reuters) - ": (
            "photo caption or credit"
        ),
    }
    lead = "The city said on Tuesday that the plant will employ 700 people by the end of next year."
    for head, reason in glued.items():
        result = clean_lines(head + lead)
        assert result.body == lead
        assert result.lines[0].reason == reason and result.lines[0].number == result.lines[1].number == 1
    # a dateline that opens its line is not cut inside ("NEW YORK", not "NEW" + "YORK (AP)")
    assert clean_lines(f"NEW YORK (AP) — {lead}").body == lead


def test_player_and_photo_buttons_before_a_line_are_cut_and_the_line_kept():
    lead = "Late Wednesday afternoon, the president spoke with KSDK-TV about sanctions against Russia."
    for chrome in ("CLOSE Skip in Skip x Embed x Share ", "Skip in Skip x Embed x Share ", "CLOSE ", "Buy Photo "):
        assert clean_text(chrome + lead) == lead
    # inside a line, the buttons mark a video gallery's caption: the line goes
    gallery = "(Jan. 18) AP 3 of 68 Skip in Skip x Embed x Share CLOSE BABY, IT'S COLD OUTSIDE Frigid air brings snow."
    assert clean_text(f"{lead}\n\n{gallery}") == lead
    assert clean_text(f"{lead}\n\n2 related media assets (image or videos) available.") == lead
    slide = "Hide Caption 1 of 6 Photos: Sinking of the Musashi A Japanese battleship sails near Brunei in 1944."
    assert clean_text(f"{lead}\n\n{slide}") == lead
    caption = "Aurelie Chatelain, in this photograph provided by the town hall on April 22, is seen at a race."
    assert clean_text(f"{lead}\n\n{caption}") == lead
    # a headline that merely starts with the word stays whole
    close_call = "CLOSE CALLS like this one are rare, the pilot said after an engine failed over the Atlantic."
    assert clean_text(close_call) == close_call


def test_a_cnn_dateline_without_a_dash_is_cut():
    lead = "Seven US sailors are missing after the warship and a merchant ship collided, the US Navy said."
    assert clean_text(f"Tokyo (CNN) {lead}") == lead
    assert clean_text(f"Washington (CNN) {lead}") == lead


def test_a_title_loses_its_sites_name_and_the_body_its_repeated_headline():
    lead = "The Italian captain of the cruise liner that crashed into a reef in 2012 reported to prison on Sunday."
    doc = Document(
        id="d",
        title="Costa Concordia captain heads to prison over 2012 shipwreck | Toronto Star",
        text=f"Costa Concordia captain heads to prison over 2012 shipwreck\n\n{lead}",
    )
    cleaned = clean_document(doc).document
    assert cleaned.title == "Costa Concordia captain heads to prison over 2012 shipwreck"
    assert cleaned.text == lead
    # a dash names the site only when the page's address or outlet says so
    site = Document(
        id="s", text=lead, title="Serena wins first match since birth - NDTV Sports", url="https://ndtv.com/a"
    )
    assert clean_document(site).document.title == "Serena wins first match since birth"
    quoted = Document(
        id="q", text=lead, title="US tells Turkey it will end support for YPG - Anadolu", url="https://reuters.com/a"
    )
    assert clean_document(quoted).document.title.endswith("- Anadolu")


def test_a_dateline_set_off_by_a_colon_opens_the_body_but_a_speakers_label_stays():
    lead = "China said on Tuesday that it will cut tariffs on imported cars from next month."
    assert clean_text(f"BEIJING: {lead}") == lead
    assert clean_text(f"YOKOSUKA, Japan >> {lead}") == lead
    transcript = "OBAMA: Great to be here with you.\n\nHOST: Thanks for joining us.\n\nOBAMA: Happy to do it."
    assert clean_text(transcript).startswith("OBAMA: Great to be here")


def test_a_caption_with_an_agency_credit_is_not_taken_for_the_headline():
    from tidings.clean import clean_lines

    text = (
        "Bernie Sanders (2nd row down, center) liked what he heard. REUTERS/Jonathan Ernst\n\n"
        "Sen. Bernie Sanders was the lone Democratic presidential hopeful in the House chamber for the pope's speech. "
        "When he left, he was beaming."
    )
    cleaned = clean_lines(text)
    assert cleaned.lines[0].reason == "photo caption or credit"
    assert "title" not in cleaned.meta
    assert cleaned.body.startswith("Sen. Bernie Sanders")


def test_story_cards_inside_an_article_are_teasers_and_a_doubled_headline_on_top_is_the_title():
    from tidings.clean import clean_lines

    body = "Amanda Longacre was stripped of her crown because of her age, pageant officials said on Tuesday."
    card = (
        "Rocky The Bobcat Back On The Loose In South Jersey Rocky The Bobcat Back On The Loose In South Jersey "
        "South Jersey residents be on the lookout, as Rocky the bobcat is on the run!"
    )
    after = "Longacre, 24, said she had accurately reported her birth date on every application she filed."
    cleaned = clean_lines(f"{body}\n\n{card}\n\n{after}")
    assert "bobcat" not in cleaned.body.lower() and cleaned.body.count("Longacre") == 2
    assert {line.reason for line in cleaned.lines if "Bobcat" in line.text or "bobcat" in line.text} == {
        "teaser of another story"
    }
    # one at the top: the article's own headline printed twice; its lead is the article
    top = clean_lines(
        "Police in protective suits at The Maltings following the attack "
        "Police in protective suits at The Maltings following the attack "
        "Yulia Skripal has said her strength is growing daily, in her first statement since the poisoning."
    )
    assert top.meta["title"] == "Police in protective suits at The Maltings following the attack"
    assert top.body.startswith("Yulia Skripal has said")
    # several at the top: a list of other stories
    listing = clean_lines(card + "\n\n" + card.replace("Rocky", "Ruby").replace("bobcat", "lynx"))
    assert all(line.reason == "teaser of another story" for line in listing.lines if line.text.strip())
    # a doubled sentence is not a card, nor a doubled phrase inside the text
    assert clean_lines("A plane crashed in Iran, state media said. A plane crashed in Iran, state media said.").body
    assert (
        "twoeagles"
        in clean_lines(
            f"{body}\n\nThe Two Eagles website, The Two Eagles website, twoeagles.com , tracks the balloon."
        ).body
    )
