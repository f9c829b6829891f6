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


def test_plain_english_needs_no_model_and_other_languages_still_get_it():
    from tidings.ingest import language

    english = (
        "The council said on Thursday that the bridge, which has been closed for two years, would reopen "
        "next week. Their engineers have finished the repairs and the city expects traffic to return."
    )
    language._identifier.cache_clear()
    assert language.detect_language(english) == "en"
    assert language._identifier.cache_info().misses == 0  # decided without loading the model
    others = {
        "de": "Der Stadtrat hat am Donnerstag gesagt, dass die Brücke, die seit zwei Jahren gesperrt ist, nächste "
        "Woche wieder geöffnet wird. Die Ingenieure haben die Reparaturen abgeschlossen und was kommt, ist Verkehr.",
        "nl": "De gemeenteraad zei donderdag dat de brug, die al twee jaar gesloten is, volgende week weer opengaat. "
        "Het was een lange periode en de ingenieurs hebben de reparaties afgerond, zei hij.",
        "es": "El ayuntamiento dijo el jueves que el puente, que ha estado cerrado durante dos años, volverá a abrir "
        "la próxima semana. He visto que los ingenieros han terminado las reparaciones.",
    }
    for code, text in others.items():
        assert not language.plainly_english(text), code
        assert language.detect_language(text) == code
