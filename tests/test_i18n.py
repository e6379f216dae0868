"""Dutch and English strings and number formats."""

import math

import pytest

from youthmedia import i18n
from youthmedia.errors import ConfigError


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (0.125, "nl", 1, "12,5%"),
        (0.125, "en", 1, "12.5%"),
        (0.5, "nl", 0, "50%"),
        (1.0, "en", 0, "100%"),
        (0.0, "nl", 0, "0%"),
        (0.004, "nl", 0, "<1%"),  # a small share is never shown as nothing
        (0.996, "en", 0, ">99%"),  # an almost universal one never as everyone
        (0.0004, "en", 1, "<0.1%"),
        (12.345, "nl", 0, "1.235%"),  # 1,234.5% rounds half up to 1.235%; thousands separator
        (0.125, "nl", 0, "13%"),  # halves away from zero, not to even (Python's round: 12)
        (0.145, "en", 0, "15%"),  # 0.145 * 100 is 14.499999999999998 in binary: still 15
        (0.155, "en", 1, "15.5%"),
    ],
)
def test_percent(value, lang, decimals, expected):
    assert i18n.percent(value, lang, decimals) == expected


def test_numbers_and_separators():
    assert i18n.integer(1512, "nl") == "1.512"
    assert i18n.integer(1512, "en") == "1,512"
    assert i18n.number(1234567.891, "nl", 2) == "1.234.567,89"
    assert i18n.number(1234567.891, "en", 2) == "1,234,567.89"
    assert i18n.number(-0.04, "nl", 1) == "0,0"  # no "-0,0"
    assert i18n.number(-2.5, "nl", 1) == "-2,5"
    assert i18n.number(float("nan"), "nl") == ""
    assert i18n.percent(None, "en") == ""


def test_percent_range_and_join():
    assert i18n.percent_range(0.12, 0.155, "nl", 1) == "12,0–15,5%"
    assert i18n.percent_range(0.12, math.nan, "nl") == ""
    assert i18n.join(["a"], "nl") == "a"
    assert i18n.join(["a", "b"], "en") == "a and b"
    assert i18n.join(["a", "b", "c"], "nl", word="or") == "a, b of c"


def test_strings_exist_in_both_languages():
    for key, texts in i18n.STRINGS.items():
        assert set(texts) == set(i18n.LANGS), key
        # the same fields in both languages, so a template never fails in one of them
        fields_nl = {f for f in __import__("string").Formatter().parse(texts["nl"]) if f[1]}
        fields_en = {f for f in __import__("string").Formatter().parse(texts["en"]) if f[1]}
        assert {f[1] for f in fields_nl} == {f[1] for f in fields_en}, key


def test_text_in_and_unknown_language():
    assert i18n.text_in({"nl": "Geslacht", "en": "Gender"}, "en") == "Gender"
    assert i18n.text_in({"nl": "Geslacht"}, "en") == "Geslacht"
    assert i18n.text_in("plain", "en") == "plain"
    with pytest.raises(ConfigError, match="'de'"):
        i18n.t("source", "de")
    assert i18n.check_lang(None) == "nl"
