"""No false identifiers on real answer wording (survey answer texts are not addresses or names)."""

import warnings
from pathlib import Path

import pytest

import youthmedia as ym
from youthmedia.identifiers import kind_of

YRBS = Path(__file__).resolve().parents[1].parent / "shared" / "testdata" / "yrbs" / "yrbs2019.sav"


@pytest.mark.parametrize(
    "text",
    [
        "During the past 12 months",
        "None during past 3 months",
        "at least 1 time in the last 2 weeks",
        "the first 3 days",
        "Between 12 and 24 months ago",
        "1 person",
        "6 or more people",
    ],
)
def test_answer_wording_is_not_identifying(text):
    assert kind_of(text) is None


@pytest.mark.parametrize(
    "text", ["Kerkstraat 12", "kerkstraat 12a", "Stationsweg 3", "12 Main Street", "4 Oak Rd"]
)
def test_addresses_still_found(text):
    assert kind_of(text) == "address"


def test_real_national_survey_loses_no_question_to_the_detector():
    if not YRBS.exists():
        pytest.skip(f"outside test data absent: {YRBS}")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ym.load(YRBS)
    privacy = [str(w.message) for w in caught if "privacy" in str(w.message)]
    assert privacy == []


def test_a_hash_is_no_bsn():
    # describe prints a file's sha256; nine digits inside a hex string are no BSN
    assert kind_of("sha256 a3f1234567829bc0") is None
    assert kind_of("BSN: 123456782") == "bsn"


#: Real phone formats (NL mobile and landline, with +31, 0031, (0), other countries).
PHONES = ["06-12345678", "06 12 34 56 78", "0612345678", "+31 6 1234 5678", "+31612345678"]
PHONES += ["+31 (0)6 1234 5678", "0031 6 12345678", "020-1234567", "020 123 4567", "0513-123456"]
PHONES += ["+44 20 7946 0958", "+1 212 555 0100", "bel me: 06-1234 5678"]
#: Ordinary slide and table text: counts, changes, percentages, years, intervals, dates of a wave.
SLIDE_TEXT = ["… (+140)", "+140 jongeren", "(+2) (+140) (+12)", "Gepest online (+12%)", "+1 234"]
SLIDE_TEXT += ["n = 1.514", "n = 12.345", "gewogen n = 12.345.678", "1.234.567 respondenten"]
SLIDE_TEXT += ["2015–2023", "2015-2023", "Schooljaar 2022/2023", "Meting 2019 t/m 2023"]
SLIDE_TEXT += ["95%-BI 12,3–15,8", "OR 1,23 (0,98–1,54)", "Toename +3,5 procentpunt", "p < 0,001"]
SLIDE_TEXT += ["Bron: Jeugdmonitor 2023, n = 1.514", "3 op de 10 jongeren (28%)", "0-4 uur"]
SLIDE_TEXT += ["Leeftijd 12-16 jaar", "Arbeidsmarkt 2023", "onderweg 2 uur", "€ 1.234.567,89"]
SLIDE_TEXT += ["Jaren 2015, 2017, 2019, 2021, 2023", "+3\n2015\n2023", "versie 1.2.3", "12:30:00"]


@pytest.mark.parametrize("text", PHONES)
def test_real_phone_numbers_are_found(text):
    assert kind_of(text) == "phone"


@pytest.mark.parametrize("text", SLIDE_TEXT)
def test_ordinary_slide_text_is_no_identifier(text):
    assert kind_of(text) is None
    ym.privacy.gate([text, "Gepest online", "2019"], "deck.pptx")  # cells joined: no phone


def test_a_date_many_respondents_chose_is_no_birth_date():
    import pandas as pd

    from youthmedia.identifiers import scan_answers

    counts = pd.Series({"voor 1 januari 2020": 40, "na 1 januari 2020": 25, "14 maart 2009": 1})
    assert scan_answers(counts, 10) == {"14 maart 2009": "birth_date"}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("mail me: sanne@example.nl", "email"),
        ("1234.56.782", "bsn"),
        ("14 maart 2009", "birth_date"),
        ("NL91 ABNA 0417 1643 00", "iban"),
        ("sanne de vries", "name"),
        ("vaak", None),
        ("bel 06-12345678", "phone"),
    ],
)
def test_kinds_of_identifier(text, kind):
    assert kind_of(text) == kind
    assert kind_of(text, kinds=["url"]) is None


@pytest.mark.parametrize("text", ["0044 20 7946 0958", "0032 2 123 45 67", "tel. 0049 30 1234567"])
def test_international_numbers_dialled_with_00_are_phone_numbers(text):
    assert kind_of(text) == "phone"


@pytest.mark.parametrize(
    "text",
    [
        "12:30:00",
        "p < 0,001",
        "n = 1.000.000",
        "2000 jongeren",
        "life_sat  -0.08484 0.04425 -0.172 0.002358 3022 2,614.5 3,022.0",  # a printed table
        "p 0,001234 5678 9012",
    ],
)
def test_zeros_in_ordinary_text_are_no_phone_number(text):
    assert kind_of(text) is None


def test_a_survey_wave_label_is_no_postcode():
    import pandas as pd

    from youthmedia.privacy import identifying_columns

    for text in ("YRBS 2019 US", "PISA 2022 NL", "HBSC 2021 BE"):
        assert kind_of(text) is None
    for text in ("2019 US", "1234 AB", "Dorpsstraat 12, 2019 US Haarlem", "Postcode: 2019 US"):
        assert kind_of(text) == "postcode"
    waves = pd.DataFrame({"wave": ["YRBS 2019 US"] * 20 + ["YRBS 2017 US"] * 20})
    assert identifying_columns(waves) == {}
    codes = pd.DataFrame({"v": ["2019 US", "1234 AB", "3511 AX", "9712 CP"] * 5})
    assert identifying_columns(codes) == {"v": "postcode:content"}
