"""Disclosure control: small-cell suppression and identifying columns (youthmedia.privacy).

Every expected suppression below is worked out by hand in the comments from the rules in the
module docstring: a row is suppressed when n < min_n; a set of rows that adds up to a shown or
known whole (categories of one question in one group; groups of one by-variable next to their
margin row) must hold either no suppressed row or at least two whose n add up to min_n or more,
adding the smallest-n row (then the smallest estimate) first.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pyreadstat
import pytest

import youthmedia as ym
from youthmedia import privacy
from youthmedia.codebook import Codebook, MRSet, Variable
from youthmedia.errors import ConfigError, DisclosureError, YouthmediaWarning
from youthmedia.privacy import (
    NOT_IDENTIFYING,
    drop_identifying,
    footnotes,
    get_thresholds,
    identifying_columns,
    identifying_text,
    reason_text,
    refuse_identifying,
    suppress,
    thresholds,
)
from youthmedia.result import Result
from youthmedia.survey import Source, Survey


@pytest.fixture(autouse=True)
def _clean_thresholds(monkeypatch):
    """Every test starts from the defaults, whatever the environment or another test set."""
    monkeypatch.delenv(privacy.ENV_MIN_N, raising=False)
    monkeypatch.delenv(privacy.ENV_INDICATIVE_N, raising=False)


def rows_of(result: pd.DataFrame, **where) -> pd.DataFrame:
    mask = np.ones(len(result), dtype=bool)
    for col, value in where.items():
        mask &= (result[col] == value).to_numpy()
    return result[mask]


def one(result: pd.DataFrame, **where) -> pd.Series:
    sub = rows_of(result, **where)
    assert len(sub) == 1, f"expected one row for {where}, got {len(sub)}"
    return sub.iloc[0]


# ================================================================================================
# Thresholds
# ================================================================================================


def test_default_thresholds_are_10_and_30():
    assert get_thresholds() == (10, 30)


def test_thresholds_in_a_block_and_from_the_environment(monkeypatch):
    with thresholds(min_n=5, indicative_n=20) as th:
        assert th == (5, 20) == get_thresholds()
        with thresholds(min_n=20, indicative_n=50):
            assert get_thresholds() == (20, 50)
        assert get_thresholds() == (5, 20)
    assert get_thresholds() == (10, 30)
    monkeypatch.setenv("YOUTHMEDIA_MIN_N", "15")
    monkeypatch.setenv("YOUTHMEDIA_INDICATIVE_N", "50")
    assert get_thresholds() == (15, 50)
    with thresholds(min_n=8):  # the block wins over the environment
        assert get_thresholds() == (8, 50)


def test_bad_environment_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("YOUTHMEDIA_MIN_N", "tien")
    with pytest.raises(ConfigError, match="YOUTHMEDIA_MIN_N"):
        get_thresholds()


@pytest.mark.parametrize("bad", [-1, 2.5, "tien", True, [10], float("nan")])
def test_bad_threshold_is_config_error(bad):
    with pytest.raises(ConfigError, match="min_n"), thresholds(min_n=bad):
        pass


def test_indicative_below_min_is_config_error():
    with pytest.raises(ConfigError, match="indicative_n"), thresholds(min_n=20, indicative_n=10):
        pass
    r = Result.from_rows([{"variable": "x", "category": "ja", "estimate": 0.5, "n": 12}])
    with pytest.raises(ConfigError, match="indicative_n"):
        suppress(r, min_n=20, indicative_n=10)


def test_min_n_alone_above_indicative_lifts_indicative():
    # min_n=50 with the default indicative_n=30: the indicative band would be empty, so it
    # becomes 50 as well; n = 40 is suppressed, not indicative.
    r = Result.from_rows([{"variable": "x", "category": "ja", "estimate": 0.5, "n": 40}])
    out = suppress(r, min_n=50)
    assert bool(out.loc[0, "suppressed"]) and out.loc[0, "reason"] == "small_n"
    assert out.meta.privacy["indicative_n"] == 50


# ================================================================================================
# Primary suppression and the indicative flag
# ================================================================================================


def share_by_gender(margin: bool = False, n_anders: int = 4) -> Result:
    """Shares of 'gebruikt TikTok' (ja/nee) by gender, as an estimator returns them."""
    rows = []
    groups = [("jongen", 200, 0.70), ("meisje", 210, 0.80), ("anders", n_anders, 0.50)]
    if margin:
        groups.append(("Totaal", 200 + 210 + n_anders, 0.75))
    for g, n, p in groups:
        for cat, est in (("ja", p), ("nee", 1 - p)):
            rows.append(
                {
                    "gender": g,
                    "variable": "tiktok",
                    "category": cat,
                    "estimate": est,
                    "se": 0.03,
                    "ci_low": est - 0.06,
                    "ci_high": est + 0.06,
                    "n": n,
                    "n_eff": n * 0.9,
                    "base": n * 1.1,
                }
            )
    return Result.from_rows(rows, by=["gender"], kind="share", weighted=True)


def test_small_group_is_suppressed_and_its_numbers_are_gone():
    r = share_by_gender()
    out = suppress(r)
    # anders: n = 4 < 10 -> both its rows suppressed; jongen (200) and meisje (210) are not.
    assert rows_of(out, gender="anders")["suppressed"].tolist() == [True, True]
    assert not rows_of(out, gender="jongen")["suppressed"].any()
    assert not rows_of(out, gender="meisje")["suppressed"].any()
    anders = rows_of(out, gender="anders")
    for col in ("estimate", "se", "ci_low", "ci_high"):
        assert anders[col].isna().all(), col
    assert anders["reason"].tolist() == ["small_n", "small_n"]
    # The base stays visible for a share (the size of the group, not an answer).
    assert anders["n"].tolist() == [4, 4]
    assert anders["n_eff"].notna().all() and anders["base"].notna().all()
    # The other groups keep their numbers.
    assert one(out, gender="jongen", category="ja")["estimate"] == pytest.approx(0.70)
    # Nothing about the suppressed value survives anywhere in the table.
    assert not (out.select_dtypes("number") == 0.5).any().any()


def test_input_result_is_not_changed_and_meta_kept():
    r = share_by_gender()
    r.test = {"statistic": 1.0}
    before = r.to_frame()
    out = suppress(r)
    pd.testing.assert_frame_equal(r.to_frame(), before)
    assert isinstance(out, Result)
    assert out.meta.kind == "share" and out.meta.weighted is True
    assert out.test == {"statistic": 1.0}
    assert out.meta.privacy == {
        "min_n": 10,
        "indicative_n": 30,
        "suppressed": 2,
        "small_n": 2,
        "complementary": 0,
        "indicative": 0,
        "base_hidden": False,
        "partial": 0,
    }
    assert not r.meta.privacy


@pytest.mark.parametrize(
    ("n", "suppressed", "reason"),
    [
        (9, True, "small_n"),  # 9 < 10
        (10, False, "indicative"),  # 10 is not below 10, but below 30
        (29, False, "indicative"),
        (30, False, ""),  # 30 is not below 30
        (0, True, "small_n"),
    ],
)
def test_threshold_boundaries(n, suppressed, reason):
    r = Result.from_rows(
        [{"variable": "x", "category": "ja", "estimate": 0.4, "n": n}], kind="mean"
    )
    out = suppress(r)
    assert bool(out.loc[0, "suppressed"]) is suppressed
    assert out.loc[0, "reason"] == reason
    assert math.isnan(out.loc[0, "estimate"]) is suppressed


def test_thresholds_per_call_and_per_session():
    r = Result.from_rows([{"variable": "x", "estimate": 2.5, "n": 7}], kind="mean")
    assert bool(suppress(r)["suppressed"].iloc[0])  # 7 < 10
    assert not bool(suppress(r, min_n=5)["suppressed"].iloc[0])  # 7 >= 5
    with thresholds(min_n=5, indicative_n=8):
        out = suppress(r)
        assert not out["suppressed"].iloc[0] and out["reason"].iloc[0] == "indicative"  # 5<=7<8
        assert bool(suppress(r, min_n=8)["suppressed"].iloc[0])  # the call wins


def test_unknown_base_is_left_alone():
    r = Result.from_rows([{"variable": "x", "category": "ja", "estimate": 0.4, "n": np.nan}])
    out = suppress(r)
    assert not bool(out.loc[0, "suppressed"]) and out.loc[0, "estimate"] == 0.4


def test_no_n_column_is_config_error():
    with pytest.raises(ConfigError, match="'n'"):
        suppress(pd.DataFrame({"estimate": [0.5]}))


def test_suppress_is_idempotent_and_keeps_other_reasons():
    r = share_by_gender(margin=True)
    r.loc[0, "reason"] = "no_variance"  # an estimator's own note on jongen/ja
    once = suppress(r)
    twice = suppress(once)
    pd.testing.assert_frame_equal(once.to_frame(), twice.to_frame())
    # jongen is hidden to protect anders (see the margin test); its own note is kept after ours.
    assert once.loc[0, "reason"] == "complementary;no_variance"


# ================================================================================================
# Complementary suppression
# ================================================================================================


def test_margin_row_makes_next_smallest_group_suppressed():
    # Totaal (n = 414) is the weighted mean of jongen (200), meisje (210) and anders (4):
    # with only anders hidden, 414·p_tot − 200·p_j − 210·p_m gives 4·p_anders back.
    # So the next-smallest group, jongen (200 < 210), is hidden too, in both categories.
    out = suppress(share_by_gender(margin=True))
    assert rows_of(out, gender="anders")["reason"].tolist() == ["small_n", "small_n"]
    assert rows_of(out, gender="jongen")["reason"].tolist() == ["complementary", "complementary"]
    assert rows_of(out, gender="jongen")["estimate"].isna().all()
    assert not rows_of(out, gender="meisje")["suppressed"].any()
    assert not rows_of(out, gender="Totaal")["suppressed"].any()
    assert out.meta.privacy["complementary"] == 2


def test_without_margin_row_no_complementary_suppression():
    # Without the total in the table, the anders share cannot be computed from this table.
    out = suppress(share_by_gender(margin=False))
    assert out["suppressed"].sum() == 2
    assert out.meta.privacy["complementary"] == 0


def test_one_hidden_category_of_a_share_hides_the_next_smallest():
    # In one group the shares of a question sum to 100 %: nooit 0.50, soms 0.30, vaak 0.20.
    # 'vaak' was suppressed upstream (reason kept); with only it hidden, 1 − 0.50 − 0.30 = 0.20
    # gives it back. All bases are 100, so the next-smallest is the smallest share: soms (0.30).
    r = Result.from_rows(
        [
            {
                "variable": "freq",
                "category": "nooit",
                "estimate": 0.50,
                "n": 100,
                "suppressed": False,
            },
            {
                "variable": "freq",
                "category": "soms",
                "estimate": 0.30,
                "n": 100,
                "suppressed": False,
            },
            {
                "variable": "freq",
                "category": "vaak",
                "estimate": 0.20,
                "n": 100,
                "suppressed": True,
                "reason": "unstable",
            },
        ],
        kind="share",
    )
    out = suppress(r)
    assert out["suppressed"].tolist() == [False, True, True]
    assert out["reason"].tolist() == ["", "complementary", "unstable"]
    assert out["estimate"].isna().tolist() == [False, True, True]


def test_crosstab_counts_with_margins():
    # Counts of 'hoe vaak gepest' by gender, n = unweighted cell count, with Totaal rows
    # (category margin) and a Totaal group (gender margin):
    #
    #             nooit  soms  vaak | Totaal
    #   jongen      40     3    12  |   55
    #   meisje      50    20    25  |   95
    #   Totaal      90    23    37  |  150
    #
    # soms/jongen: 3 < 10 -> small_n. Its row (jongen) sums to 55: the next-smallest jongen
    # cell is vaak (12) -> complementary; hidden jongen cells 3 + 12 = 15 >= 10, done.
    # Its column (soms) sums to 23: the next-smallest soms cell is meisje (20) -> complementary.
    # Column vaak now has one hidden cell (jongen 12): next-smallest vaak cell is meisje (25).
    # Row meisje now has soms (20) and vaak (25) hidden: two cells, 45 >= 10, done.
    # Column nooit and the Totaal row/column stay visible.
    table = {
        ("jongen", "nooit"): 40,
        ("jongen", "soms"): 3,
        ("jongen", "vaak"): 12,
        ("jongen", "Totaal"): 55,
        ("meisje", "nooit"): 50,
        ("meisje", "soms"): 20,
        ("meisje", "vaak"): 25,
        ("meisje", "Totaal"): 95,
        ("Totaal", "nooit"): 90,
        ("Totaal", "soms"): 23,
        ("Totaal", "vaak"): 37,
        ("Totaal", "Totaal"): 150,
    }
    rows = [
        {"gender": g, "variable": "gepest", "category": c, "estimate": float(k) * 1.02, "n": k}
        for (g, c), k in table.items()
    ]
    out = suppress(Result.from_rows(rows, by=["gender"], kind="count"))
    hidden = {(r.gender, r.category): r.reason for r in out.itertuples() if r.suppressed}
    assert hidden == {
        ("jongen", "soms"): "small_n",
        ("jongen", "vaak"): "complementary",
        ("meisje", "soms"): "complementary",
        ("meisje", "vaak"): "complementary",
    }
    # In a count table n is the cell itself: hidden too.
    assert rows_of(out, gender="jongen", category="soms")["n"].isna().all()
    assert rows_of(out, gender="meisje", category="vaak")["n"].isna().all()
    assert out.meta.privacy["base_hidden"] is True
    # Every visible row of the table keeps its count.
    assert one(out, gender="Totaal", category="Totaal")["n"] == 150


def test_crosstab_groups_are_protected_without_a_margin_row():
    # A crosstab gender × victim as the estimator returns it: row percentages with n the row
    # base, plus counts and column percentages. Counts jongen/ja 11 and col_pct 0.458 give the
    # 'ja' column total 11 / 0.458 = 24, so with only anders (n = 6) hidden its 'ja' count would
    # be 24 − 11 − 11 = 2. The next-smallest gender, jongen (97 < 117), is hidden too.
    rows = []
    for g, n, cells in (
        ("anders", 6, [(0.33, 2, 0.083), (0.67, 4, 0.023)]),
        ("jongen", 97, [(0.11, 11, 0.458), (0.89, 86, 0.489)]),
        ("meisje", 117, [(0.09, 11, 0.458), (0.91, 106, 0.489)]),
    ):
        for cat, (e, count, col_pct) in zip(("ja", "nee"), cells, strict=True):
            rows.append(
                {
                    "gender": g,
                    "variable": "victim",
                    "category": cat,
                    "estimate": e,
                    "n": n,
                    "count": float(count),
                    "col_pct": col_pct,
                }
            )
    out = suppress(Result.from_rows(rows, by=["gender"], kind="crosstab"))
    assert out["reason"].tolist() == ["small_n"] * 2 + ["complementary"] * 2 + [""] * 2
    assert out.loc[out["suppressed"], ["estimate", "count", "col_pct"]].isna().all().all()
    # Told that only row percentages are shown, the crosstab is protected like a share.
    r = Result.from_rows(rows, by=["gender"], kind="crosstab", margins_known=False)
    assert suppress(r)["reason"].tolist() == ["small_n"] * 2 + [""] * 4


def test_two_small_cells_that_add_up_below_min_n_take_a_third():
    # Counts 2, 3, 40, 50 with a Totaal of 95: hiding 2 and 3 still leaves 2 + 3 = 5 recoverable
    # as a group of five from the total, so the next-smallest cell (40) is hidden as well.
    rows = [
        {"variable": "q", "category": c, "estimate": float(k), "n": k}
        for c, k in (("a", 2), ("b", 3), ("c", 40), ("d", 50), ("Totaal", 95))
    ]
    out = suppress(Result.from_rows(rows, kind="count"))
    assert out["reason"].tolist() == ["small_n", "small_n", "complementary", "", ""]


def test_ties_broken_by_smallest_estimate():
    # Only x is hidden (5 < 10); y and z both have n = 50, z's estimate is smaller -> z goes.
    rows = [
        {"variable": "q", "category": c, "estimate": e, "n": n}
        for c, e, n in (("x", 0.05, 5), ("y", 0.60, 50), ("z", 0.35, 50))
    ]
    # Different n within one question and group only happens with per-item bases; the rule holds.
    out = suppress(Result.from_rows(rows, kind="share"))
    assert out["reason"].tolist() == ["small_n", "", "complementary"]


def test_means_by_group_with_total_row():
    # Mean hours by school level with an overall mean: vmbo 6 < 10 hidden, and the overall
    # mean would give it back, so the next-smallest level (havo, 40) goes as well.
    rows = [
        {"school": s, "variable": "hours", "estimate": e, "n": n}
        for s, e, n in (("vmbo", 3.1, 6), ("havo", 2.4, 40), ("vwo", 2.0, 80), ("Alle", 2.2, 126))
    ]
    out = suppress(Result.from_rows(rows, by=["school"], kind="mean"))
    assert out["reason"].tolist() == ["small_n", "complementary", "", ""]


def test_means_without_margin_and_several_variables_in_a_group():
    # Means of different variables in one group do not add up to anything: no complementary.
    rows = [
        {"variable": v, "estimate": e, "n": n}
        for v, e, n in (("hours", 2.0, 8), ("sleep", 8.0, 50), ("sport", 3.0, 50))
    ]
    out = suppress(Result.from_rows(rows, kind="mean"))
    assert out["reason"].tolist() == ["small_n", "", ""]


def test_margin_label_from_meta():
    rows = [
        {"regio": g, "variable": "x", "category": "ja", "estimate": e, "n": n}
        for g, e, n in (
            ("Noord", 0.4, 3),
            ("Zuid", 0.5, 60),
            ("Oost", 0.6, 70),
            ("Nederland", 0.55, 133),
        )
    ]
    out = suppress(Result.from_rows(rows, by=["regio"], kind="mean", margin_label="Nederland"))
    # Nederland is the margin: Noord (3) hidden, next-smallest region Zuid (60) too.
    assert out["reason"].tolist() == ["small_n", "complementary", "", ""]


def test_extra_columns_do_not_leak():
    r = share_by_gender()
    r["deff"] = 1.3
    r["pct_text"] = [f"{100 * e:.1f}%" for e in r["estimate"]]
    r["platform_label"] = "TikTok"
    r["significant"] = True
    out = suppress(r)
    anders = rows_of(out, gender="anders")
    assert anders["deff"].isna().all()
    assert anders["pct_text"].tolist() == ["", ""]  # "50.0%" must not survive
    assert anders["platform_label"].tolist() == ["TikTok", "TikTok"]  # a label, kept
    assert anders["significant"].isna().all()
    assert one(out, gender="jongen", category="ja")["pct_text"] == "70.0%"


def test_statistics_on_another_base():
    # A crosstab row (gender) base of 94 is fine for the row percentage, but the column
    # percentage of 'ja' rests on the 6 victims in that column: 6 < 10, so col_pct goes, the
    # row's estimate stays. 'nee' column base 196 -> kept.
    rows = [
        {
            "g": g,
            "variable": "victim",
            "category": c,
            "estimate": e,
            "n": n,
            "col_pct": cp,
            "col_n": cn,
        }
        for g, c, e, n, cp, cn in (
            ("jongen", "ja", 0.04, 94, 0.67, 6),
            ("jongen", "nee", 0.96, 94, 0.46, 196),
            ("meisje", "ja", 0.02, 108, 0.33, 6),
            ("meisje", "nee", 0.98, 108, 0.54, 196),
        )
    ]
    r = Result.from_rows(rows, by=["g"], kind="crosstab", bases={"col_pct": "col_n"})
    out = suppress(r)
    assert not out["suppressed"].any()
    assert out["col_pct"].isna().tolist() == [True, False, True, False]
    assert out["estimate"].tolist() == [0.04, 0.96, 0.02, 0.98]
    assert out.meta.privacy["partial"] == 2
    r.with_meta(bases={"col_pct": "col_base"})
    with pytest.raises(ConfigError, match="'col_base'"):
        suppress(r)


# ================================================================================================
# Reason words and footnotes
# ================================================================================================


def test_reason_text_in_both_languages():
    assert reason_text("small_n", "nl") == "n < 10"
    assert reason_text("indicative", "nl") == "indicatief: n < 30"
    assert reason_text("indicative", "en", indicative_n=1500) == "indicative: n < 1,500"
    assert reason_text("indicative", "nl", indicative_n=1500) == "indicatief: n < 1.500"
    assert reason_text("complementary", "en") == "complementary suppression"
    assert reason_text("complementary;no_variance", "nl") == "aanvullend onderdrukt; no_variance"
    assert reason_text("", "nl") == ""
    with pytest.raises(ConfigError, match="'fr'"):
        reason_text("small_n", "fr")


def test_footnotes_name_the_thresholds_the_result_was_made_with():
    rows = [
        {"variable": "x", "category": c, "estimate": e, "n": n}
        for c, e, n in (("a", 0.1, 3), ("b", 0.2, 12), ("c", 0.7, 40), ("Totaal", 1.0, 55))
    ]
    out = suppress(Result.from_rows(rows, kind="count"), min_n=5, indicative_n=20)
    # a: 3 < 5 small_n; b: next-smallest (12) complementary; c: 40, nothing.
    assert out["reason"].tolist() == ["small_n", "complementary", "", ""]
    assert footnotes(out, "nl") == [
        "– = niet getoond: gebaseerd op minder dan 5 respondenten (n < 5).",
        "– = niet getoond om een kleine groep elders in de tabel te beschermen "
        "(aanvullende onderdrukking).",
    ]
    ind = suppress(Result.from_rows([{"variable": "x", "estimate": 1.0, "n": 15}], kind="mean"))
    assert footnotes(ind, "en") == [
        "Indicative: based on fewer than 30 respondents (n < 30); read with care."
    ]
    assert footnotes(suppress(share_by_gender(n_anders=300)), "nl") == []


# ================================================================================================
# Identifying columns: by name
# ================================================================================================

N = 12
NAMES = [
    "Sanne de Vries",
    "Daan Jansen",
    "Emma Bakker",
    "Lucas van Dijk",
    "Julia Visser",
    "Noah Smit",
    "Tess Meijer",
    "Sem de Boer",
    "Lotte Mulder",
    "Finn de Groot",
    "Zoë Bos",
    "Levi Vos",
]
EMAILS = [f"leerling{i}@school{i % 3}.nl" for i in range(N)]
PHONES_NL = [
    "06-12345678",
    "0612345679",
    "06 1234 5670",
    "+31 6 12345671",
    "+31612345672",
    "0031 6 12345673",
    "06-23456789",
    "06-34567890",
    "0645678901",
    "06 56789012",
    "020-1234567",
    "010 123 4567",
]
IPS = [
    "192.168.1.10",
    "10.0.0.2",
    "84.23.171.5",
    "145.97.3.120",
    "2001:db8::1",
    "31.201.7.9",
    "77.161.5.3",
    "213.84.9.1",
    "62.45.8.200",
    "80.100.3.4",
    "2a02:a46d::5",
    "94.208.1.6",
]
POSTCODES = [
    "1234 AB",
    "3511AX",
    "9712 CP",
    "5611 AZ",
    "2311 EZ",
    "6811 KL",
    "7511 JG",
    "8011 PK",
    "4811 XB",
    "1012 JS",
    "3011 AD",
    "2511 CV",
]
BIRTHDATES = [
    "14-03-2010",
    "02-11-2008",
    "27-07-2011",
    "09-01-2007",
    "30-05-2009",
    "18-12-2010",
    "05-06-2012",
    "21-09-2008",
    "11-02-2009",
    "03-10-2011",
    "25-04-2007",
    "16-08-2010",
]
OPEN = [
    "Ik zit vaak tot laat op TikTok en dan ben ik moe op school",
    "Mijn ouders vinden dat ik te veel op mijn telefoon zit",
    "Soms word ik gepest in de groepsapp van de klas",
    "Instagram maakt me onzeker over hoe ik eruit zie",
    "Ik gebruik Snapchat vooral om met vrienden te praten",
    "Geen idee eigenlijk, gewoon als ik me verveel",
    "YouTube filmpjes kijken over gamen en Minecraft",
    "Ik heb een keer een nare foto van mezelf rond zien gaan",
    "Na het avondeten mag ik niet meer op mijn mobiel",
    "Mijn broertje kijkt mee als ik berichten stuur",
    "WhatsApp is handig voor huiswerk vragen aan klasgenoten",
    "Ik vind BeReal leuk omdat het echt is",
]


def frame_with(col: str, values: list) -> pd.DataFrame:
    """An ordinary survey frame plus one column under test."""
    rng = np.random.default_rng(7)
    base = pd.DataFrame(
        {
            "resp_id": np.arange(1, N + 1),
            "age": rng.integers(12, 18, N),
            "gender": pd.Categorical(rng.choice(["jongen", "meisje"], N)),
            "hours": rng.uniform(0, 6, N).round(1),
        }
    )
    base[col] = values[:N]
    return base


@pytest.mark.parametrize(
    ("col", "values", "kind"),
    [
        ("naam", NAMES, "name"),
        ("Naam", NAMES, "name"),
        ("voornaam", [n.split()[0] for n in NAMES], "name"),
        ("achternaam", [n.split()[-1] for n in NAMES], "name"),
        ("First name", NAMES, "name"),
        ("last_name", [n.split()[-1] for n in NAMES], "name"),
        ("RecipientLastName", NAMES, "name"),
        ("gebruikersnaam", [f"user_{i}" for i in range(N)], "name"),
        ("e-mail", EMAILS, "email"),
        ("E-mailadres", EMAILS, "email"),
        ("Email Address", EMAILS, "email"),
        ("email_ouder", EMAILS, "email"),
        ("RecipientEmail", EMAILS, "email"),
        ("telefoon", PHONES_NL, "phone"),
        ("telefoonnummer", PHONES_NL, "phone"),
        ("mobiel", PHONES_NL, "phone"),
        ("mobiel_nummer", PHONES_NL, "phone"),
        ("phone_number", PHONES_NL, "phone"),
        ("Mobile", PHONES_NL, "phone"),
        ("IP", IPS, "ip"),
        ("IPAddress", IPS, "ip"),
        ("ip_adres", IPS, "ip"),
        ("postcode", POSTCODES, "postcode"),
        ("Zip code", POSTCODES, "postcode"),
        ("adres", [f"Dorpsstraat {i}" for i in range(N)], "address"),
        ("street_address", [f"Main Street {i}" for i in range(N)], "address"),
        ("leerlingnummer", list(range(1, N + 1)), "id_number"),
        ("leerling_nr", list(range(101, 101 + N)), "id_number"),
        ("clientnummer", [f"C{i:05d}" for i in range(N)], "id_number"),
        ("cliëntnummer", [f"C{i:05d}" for i in range(N)], "id_number"),
        ("BSN", [f"{i:09d}" for i in range(N)], "id_number"),
        ("student_id", list(range(2000, 2000 + N)), "id_number"),
        ("ExternalReference", [f"x{i}" for i in range(N)], "id_number"),
        ("geboortedatum", BIRTHDATES, "birth_date"),
        ("date_of_birth", BIRTHDATES, "birth_date"),
        ("DOB", BIRTHDATES, "birth_date"),
        ("LocationLatitude", list(np.linspace(51.5, 53.1, N)), "location"),
        ("toelichting", OPEN, "free_text"),
        ("Q7_4_TEXT", OPEN, "free_text"),
        ("anders_namelijk", ["Roblox", "Twitch", "Pinterest"] * 4, "free_text"),
    ],
)
def test_identifier_found_by_name(col, values, kind):
    found = identifying_columns(frame_with(col, values))
    assert found == {col: f"{kind}:name"}


# ================================================================================================
# Identifying columns: by content
# ================================================================================================

# Valid BSNs (11-test: 9·d1 + 8·d2 + … + 2·d8 − d9 is a multiple of 11), by hand:
#   111222333: 9+8+7+12+10+8+9+6 = 69, 69 − 3 = 66 = 6·11
#   123456782: 9+16+21+24+25+24+21+16 = 156, 156 − 2 = 154 = 14·11
#   999999990: 9·44 = 396, 396 − 0 = 396 = 36·11
#   100000009: 9, 9 − 9 = 0 = 0·11
#   192837465: 9+72+14+48+15+24+12+12 = 206, 206 − 5 = 201 ≠ 11·k  (NOT valid, one in five)
BSNS = ["111222333", "123456782", "999999990", "100000009", "192837465"]


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (EMAILS, "email"),
        (PHONES_NL, "phone"),
        (
            [
                "+44 20 7946 0958",
                "+1 212 555 0123",
                "+49 30 1234567",
                "+32 2 123 45 67",
                "+33 1 23 45 67 89",
            ]
            * 3,
            "phone",
        ),
        (IPS, "ip"),
        (POSTCODES, "postcode"),
        (BSNS * 3, "id_number"),
        (BIRTHDATES, "birth_date"),
        (
            ["2010-03-14", "2008-11-02", "2011-07-27", "2007-01-09", "2009-05-30", "2010-12-18"]
            * 2,
            "birth_date",
        ),
        (NAMES, "name"),
        (OPEN, "free_text"),
    ],
)
def test_identifier_found_by_content(values, kind):
    df = frame_with("v17", (values * 3)[:N])
    assert identifying_columns(df) == {"v17": f"{kind}:content"}


def test_numbers_stored_as_numbers():
    # BSN as integers (a leading zero would be lost, 100000009 keeps its nine digits).
    df = frame_with("v1", [int(b) for b in BSNS * 3][:N])
    assert identifying_columns(df) == {"v1": "id_number:content"}
    # Dutch mobile numbers read as numbers lose their 0: 612345678 (9 digits, starting with 6).
    df = frame_with("v2", [612345678 + 7919 * i for i in range(N)])
    assert identifying_columns(df) == {"v2": "phone:content"}


def test_birth_dates_as_datetimes():
    dates = pd.to_datetime(BIRTHDATES, format="%d-%m-%Y")
    assert identifying_columns(frame_with("v3", list(dates))) == {"v3": "birth_date:content"}
    objs = [d.date() for d in dates]
    assert identifying_columns(frame_with("v4", objs)) == {"v4": "birth_date:content"}


def test_an_email_typed_into_an_open_answer_is_counted_as_anders():
    """A few identifying answers among ordinary ones: the question stays, those answers are
    counted as "anders" and never shown (issue 13: "Vraag 7")."""
    answers = ["leuk", "niks", "mail me: sanne.devries@gmail.com", "weet ik niet", "leuk"] * 3
    assert identifying_columns(frame_with("opm", answers[:N])) == {}
    with pytest.warns(YouthmediaWarning, match="'opm'.*anders.*e-mail address"):
        s = privacy.protect(Survey(frame_with("opm", answers[:N])))
    assert "anders" in set(s.data["opm"]) and not s.data["opm"].astype(str).str.contains("@").any()
    answers = ["leuk", "bel me op 06-12345678", "niks", "leuk"] * 3
    with pytest.warns(YouthmediaWarning, match="phone number"):
        s = privacy.protect(Survey(frame_with("x", answers[:N])))
    assert not s.data["x"].astype(str).str.contains("06").any()


def test_identifiers_in_a_real_spss_file(tmp_path):
    """Written by pyreadstat as SPSS, read back, then searched: dates as SPSS dates."""
    df = pd.DataFrame(
        {
            "resp_id": np.arange(1, N + 1, dtype=float),
            "leeftijd": np.array([12, 13, 14, 15, 16, 17] * 2, dtype=float),
            "v5": EMAILS,
            "gebdat": pd.to_datetime(BIRTHDATES, format="%d-%m-%Y"),
            "v9": [dt.date(2010, 1, 1) + dt.timedelta(days=397 * i) for i in range(N)],
            "opmerking": OPEN,
        }
    )
    path = tmp_path / "klas.sav"
    pyreadstat.write_sav(df, str(path), variable_format={"v9": "EDATE10"})
    back, meta = pyreadstat.read_sav(str(path))
    assert identifying_columns(back) == {
        "v5": "email:content",
        "gebdat": "birth_date:name",
        "v9": "birth_date:content",
        "opmerking": "free_text:name",
    }


# ================================================================================================
# No false alarms
# ================================================================================================


def realistic_survey(n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(2024)
    platforms = ["WhatsApp", "TikTok", "Instagram", "Snapchat", "YouTube", "BeReal", "Discord"]
    return pd.DataFrame(
        {
            "ID": np.arange(1, n + 1),
            "resp_id": np.arange(1001, 1001 + n),
            "ResponseId": [f"R_{x:x}" for x in rng.integers(10**12, 10**13, n)],
            "Begintijd": pd.date_range("2023-03-06 08:30", periods=n, freq="3min"),
            "Tijd van voltooien": pd.date_range("2023-03-06 08:40", periods=n, freq="3min"),
            "invuldatum": pd.to_datetime(rng.choice(pd.date_range("2019-03-04", periods=12), n)),
            "Naam": "anonymous",
            "E-mail": "anonymous",
            "age": rng.integers(10, 19, n),
            "geboortejaar": rng.integers(2005, 2013, n),
            "gender": pd.Categorical(rng.choice(["jongen", "meisje", "anders"], n)),
            "school_level": rng.choice(["vmbo", "havo", "vwo", "mbo"], n),
            "leeftijdsgroep": rng.choice(["10-12 jaar", "13-15 jaar", "16-18 jaar"], n),
            "region": rng.choice(["Noord", "Oost", "Zuid", "West"], n),
            "woonplaats": rng.choice(
                ["Amsterdam", "Utrecht", "Zwolle", "Ede", "Delft", "Leiden"], n
            ),
            "pc4": rng.integers(1000, 10000, n),
            "postcode": [str(x) for x in rng.integers(1000, 10000, n)],  # PC4 stored as text
            "school_naam": rng.choice(["Het Lyceum", "De Brug", "Sint Jan"], n),
            "app_naam": rng.choice(platforms, n),
            "favoriete_app": rng.choice(platforms, n),
            "platforms": [
                ";".join(sorted(rng.choice(platforms, rng.integers(1, 5), replace=False))) + ";"
                for _ in range(n)
            ],
            "influencer": rng.choice(["Enzo Knol", "Dylan Haegens", "Famke Louise", "Kalvijn"], n),
            "telefoon": rng.choice(["ja", "nee"], n),
            "mobile": rng.integers(0, 2, n),
            "smartphone": rng.integers(0, 2, n),
            "phone_hours": rng.integers(0, 10, n),
            "mobiel_gebruik": rng.choice(["nooit", "soms", "vaak", "altijd"], n),
            "hoe_vaak_gemaild": rng.integers(1, 6, n),
            "hours": rng.gamma(2.0, 1.5, n).round(1),
            "weight": rng.uniform(0.4, 2.5, n),
            "smds_1": rng.integers(0, 2, n),
            "bsmas_total": rng.integers(6, 31, n),
            "year": rng.choice([2015, 2019, 2023], n),
            "heeft_paspoort": rng.choice(["ja", "nee"], n),
            "anders_namelijk": [None] * n,
            "leerling": rng.choice(["ja", "nee"], n),
        }
    )


def test_no_false_alarms_on_a_realistic_survey():
    assert identifying_columns(realistic_survey()) == {}


def test_no_false_alarms_on_the_real_spss_test_files(testdata):
    files = sorted(testdata.glob("*/*.sav"))
    assert files, "no .sav files in the test data"
    for path in files:
        try:
            df, meta = pyreadstat.read_sav(str(path))
        except OverflowError:  # haven/datetime.sav (see its README)
            df, meta = pyreadstat.read_sav(str(path), disable_datetime_conversion=True)
        cb = Codebook(
            {
                c: Variable(
                    c,
                    label=meta.column_names_to_labels.get(c),
                    value_labels=meta.variable_value_labels.get(c, {}),
                )
                for c in df.columns
            }
        )
        assert identifying_columns(df, cb) == {}, path.name


def test_a_labelled_yes_no_question_about_email_is_not_an_email_column():
    # "Heb je een e-mailadres?" with codes 1 = ja, 2 = nee.
    df = frame_with("email", [1, 2] * 6)
    cb = Codebook(
        {
            "email": Variable(
                "email", label="Heb je een e-mailadres?", value_labels={1: "ja", 2: "nee"}
            )
        }
    )
    assert identifying_columns(df, cb) == {}


# ================================================================================================
# The codebook: labels, marks and overrides
# ================================================================================================


def test_found_by_variable_label():
    df = frame_with("v7", EMAILS[:3] + ["geen"] * 9)
    cb = Codebook({"v7": Variable("v7", label="Wat is je e-mailadres? (mag leeg)")})
    # only 3 of 12 values are addresses, so the content rule alone does not decide: the label does.
    assert identifying_columns(df, cb) == {"v7": "email:label"}
    df = frame_with("v8", NAMES)
    cb = Codebook({"v8": Variable("v8", label="Wat is je voornaam?")})
    assert identifying_columns(df, cb) == {"v8": "name:label"}


def test_codebook_mark_and_override():
    df = frame_with("klas", ["2a", "2b"] * 6)
    cb = Codebook({"klas": Variable("klas", identifying=True, identifying_reason="small classes")})
    assert identifying_columns(df, cb) == {"klas": "small classes"}
    df = frame_with("naam", NAMES)
    cb = Codebook({"naam": Variable("naam", identifying_reason=NOT_IDENTIFYING)})
    assert identifying_columns(df, cb) == {}
    assert identifying_columns(frame_with("naam", NAMES), only=["age", "naam"]) == {
        "naam": "name:name"
    }
    assert identifying_columns(frame_with("naam", NAMES), only=["age"]) == {}


def test_protect_marks_a_copy_of_the_codebook():
    df = frame_with("e-mail", EMAILS)
    df["opmerking"] = OPEN
    s = Survey(df)
    marked = privacy.protect(s, warn=False)
    assert marked.codebook.identifying == ["e-mail", "opmerking"]
    assert marked.codebook["e-mail"].identifying_reason == "email:name"
    assert s.codebook.identifying == []  # the original is untouched
    assert marked.data.equals(s.data)  # data unchanged


def test_identifying_text():
    assert identifying_text("email:name", "nl") == "e-mailadres (kolomnaam)"
    assert identifying_text("free_text:content", "en") == "free-text answers (content)"
    assert identifying_text("birth_date:label", "nl") == "exacte (geboorte)datum (vraagtekst)"
    assert identifying_text("small classes", "en") == "small classes"


# ================================================================================================
# What leaves the machine
# ================================================================================================


def survey_with_identifiers() -> Survey:
    df = frame_with("naam", NAMES)
    df["emailadres"] = EMAILS
    df["use_tiktok"] = [1, 0] * 6
    df["use_whatsapp"] = [1, 1, 0] * 4
    cb = Codebook(
        {c: Variable(c) for c in df.columns},
        mr_sets={
            "platforms": MRSet("platforms", variables=["use_tiktok", "use_whatsapp"]),
            "contact": MRSet("contact", variables=["naam", "emailadres"]),
        },
        groups={"contact": ["naam", "emailadres"], "mix": ["naam", "age"]},
    )
    return Survey(df, cb, source=Source(path="klas.csv"))


def test_drop_identifying():
    s = survey_with_identifiers()
    dropped = drop_identifying(s)
    assert dropped.columns == ["resp_id", "age", "gender", "hours", "use_tiktok", "use_whatsapp"]
    assert isinstance(dropped, Survey)
    assert "naam" not in dropped.data.columns and "emailadres" not in dropped.codebook
    assert list(dropped.codebook.mr_sets) == ["platforms"]
    assert dropped.codebook.groups == {"mix": ["age"]}
    assert "naam" in s.data.columns  # the input survey is untouched
    assert list(drop_identifying(s.data).columns) == dropped.columns


def test_refuse_identifying_stops_a_by_variable():
    s = survey_with_identifiers()
    refuse_identifying(s, ["age", "gender"])  # fine
    with pytest.raises(DisclosureError, match="'naam'.*name"):
        refuse_identifying(s, ["gender", "naam"], what="a figure")
    marked = Survey(
        frame_with("klas", ["2a", "2b"] * 6), Codebook({"klas": Variable("klas", identifying=True)})
    )
    with pytest.raises(DisclosureError, match="'klas'"):
        refuse_identifying(marked, ["klas"])


def test_lazy_public_name():
    assert ym.privacy.suppress is suppress


def test_sidecar_identifying_false_overrules_detection(tmp_path):
    """A real CSV with a codebook sidecar, through ym.load: the user's word wins."""
    pd.DataFrame({"naam": NAMES[:3], "age": [13, 14, 15]}).to_csv(
        tmp_path / "klas.csv", index=False
    )
    s = ym.load(tmp_path / "klas.csv")
    assert list(identifying_columns(s.data, s.codebook)) == ["naam"]
    (tmp_path / "klas.codebook.yaml").write_text("variables:\n  naam:\n    identifying: false\n")
    s = ym.load(tmp_path / "klas.csv")
    assert s.codebook["naam"].identifying_reason == NOT_IDENTIFYING
    assert identifying_columns(s.data, s.codebook) == {}


def test_identifiers_are_kept_per_survey(tmp_path):
    """Loading survey B (whose name column holds 'Zonnebloem') does not change what an output of
    survey A (whose schools are called that) may show; B's outputs are still checked."""
    schools = ["Zonnebloem", "Regenboog"] * 15
    pd.DataFrame({"school": schools, "q": ["ja", "nee", "ja"] * 10}).to_csv(
        tmp_path / "a.csv", index=False
    )
    nicknames = ["Zonnebloem", "Regenboog", "Sterretje", "Kikker", "Bolletje", "Vlinder"]
    pd.DataFrame({"naam": nicknames, "age": [13, 14, 15, 13, 14, 15]}).to_csv(
        tmp_path / "b.csv", index=False
    )
    a = ym.load(tmp_path / "a.csv")
    with pytest.warns(YouthmediaWarning, match="'naam' left out"):
        b = ym.load(tmp_path / "b.csv")
    out = ym.export.write_csv(ym.share(a, "q", by="school"), tmp_path / "a_tables.csv")
    assert "Zonnebloem" in out.read_text(encoding="utf-8-sig")
    with pytest.raises(DisclosureError, match="column 'naam'"):
        privacy.gate(["School Zonnebloem"], "b.pptx", [b])
    privacy.gate(["School Zonnebloem"], "a.pptx", [a])
    with pytest.raises(DisclosureError):  # origin unknown: every survey of this process
        privacy.gate(["School Zonnebloem"], "x.txt")
    # a survey made in memory keeps its own identifiers too, and forgets them with itself
    m = privacy.protect(Survey(pd.DataFrame({"naam": nicknames, "x": range(6)})), warn=False)
    with pytest.raises(DisclosureError):
        privacy.gate(["Kikker"], "m.txt", [m])
    assert privacy._index(m).judged == {"naam", "x"}


def test_a_file_digest_is_no_phone_number():
    """describe and the report show SHA-256 digests; hex holding "06" and eight digits is no
    phone number (a .sav's digest changes with its header's time: this failed now and then)."""
    digest = "3fa0612345678e9b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b"
    privacy.gate([f"SHA-256 {digest}", f"sha256 {digest[:16]}…"], "describe")
    with pytest.raises(DisclosureError, match="phone"):
        privacy.gate(["bel me: 0612345678"], "describe")
