from riskmodel.present.i18n import LANGUAGES, TEXT, t


def test_every_text_exists_in_every_language():
    for key, texts in TEXT.items():
        assert set(texts) == set(LANGUAGES), key
        assert all(value.strip() for value in texts.values()), key


def test_placeholders_match_between_languages():
    import string
    for key, texts in TEXT.items():
        fields = [{f for _, f, _, _ in string.Formatter().parse(v) if f} for v in texts.values()]
        assert all(f == fields[0] for f in fields), key
    assert t("recommended", "ko", option="x") == "권고안: x"
