from tidings.ingest.language import detect_language


def test_english_and_french():
    assert detect_language("The president met the leader of North Korea in Vladivostok on Thursday for talks.") == "en"
    fr = (
        "Le président russe a rencontré jeudi le dirigeant nord-coréen à Vladivostok "
        "pour des entretiens sur le nucléaire."
    )
    assert detect_language(fr) == "fr"


def test_too_short_is_unknown():
    assert detect_language("Hello world") is None
