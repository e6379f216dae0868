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
