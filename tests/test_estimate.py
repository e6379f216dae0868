"""Estimators: the Result contract, labels, categories, intervals, crosstabs, bad input."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import youthmedia as ym
from youthmedia import i18n
from youthmedia.codebook import Codebook, MRSet, Variable
from youthmedia.figures import charts
from youthmedia.result import COLUMNS, ChisqResult
from youthmedia.survey import Source

DEMO = Path(__file__).resolve().parents[1] / "data" / "youth_social_media_demo.sav"


def labelled() -> ym.Survey:
    """Gender (3 labelled categories, one never chosen), a 1–5 scale, a 0/1 item, weights."""
    rng = np.random.default_rng(7)
    n = 60
    gender = pd.Categorical(
        rng.choice(["jongen", "meisje"], n), categories=["jongen", "meisje", "anders"], ordered=True
    )
    data = pd.DataFrame(
        {
            "gender": gender,
            "freq": pd.Categorical(
                rng.choice(["nooit", "soms", "vaak"], n),
                categories=["nooit", "soms", "vaak"],
                ordered=True,
            ),
            "likert": rng.integers(1, 6, n).astype(float),
            "tiktok": rng.integers(0, 2, n).astype(float),
            "hours": rng.gamma(2, 1.5, n),
            "w": rng.uniform(0.5, 2, n),
            "wave": np.repeat([2019, 2023], n // 2),
        }
    )
    data.loc[[3, 8], "tiktok"] = np.nan  # user-missing: NaN, never an answer
    cb = Codebook(
        {
            "gender": Variable(
                "gender",
                label="Geslacht",
                value_labels={1: "jongen", 2: "meisje", 3: "anders"},
                translations={
                    "en": {"label": "Gender", "values": {1: "boy", 2: "girl", 3: "other"}}
                },
            ),
            "freq": Variable(
                "freq", label="Hoe vaak", value_labels={1: "nooit", 2: "soms", 3: "vaak"}
            ),
            "likert": Variable(
                "likert", label="Eens", value_labels={1: "helemaal oneens", 5: "helemaal eens"}
            ),
            "tiktok": Variable(
                "tiktok", label="Gebruikt TikTok", translations={"en": {"label": "Uses TikTok"}}
            ),
            "hours": Variable("hours", label="Uren online"),
            "w": Variable("w"),
            "wave": Variable("wave", label="Golf"),
        }
    )
    src = Source(path="klas.sav", sha256="abc", name="Klas", year="2023")
    return ym.Survey(data, cb, source=src).with_design(weight="w")


# -- the Result contract ------------------------------------------------------------------------
def test_share_result_columns_labels_and_meta():
    s = labelled()
    r = ym.share(s, "freq", by="gender")
    assert list(r.columns[: 1 + len(COLUMNS)]) == ["gender", *COLUMNS]
    assert {"deff", "df"} <= set(r.columns)
    # categories and groups are ordered Categoricals in codebook order; the empty group
    # ("anders": nobody) is left out of the rows but kept in the categories
    assert r["category"].cat.ordered and r["category"].cat.categories.tolist() == [
        "nooit",
        "soms",
        "vaak",
    ]
    assert r["gender"].cat.categories.tolist() == ["jongen", "meisje", "anders"]
    assert r["gender"].astype(str).unique().tolist() == ["jongen", "meisje"]
    # shares within each group add up to 1
    assert r.groupby("gender", observed=True)["estimate"].sum().tolist() == pytest.approx([1, 1])
    m = r.meta
    assert m.kind == "share" and m.by == ["gender"] and m.variables == ["freq"]
    assert m.labels[None]["gender"] == "Geslacht" and m.labels["en"]["gender"] == "Gender"
    assert m.value_labels["en"]["gender"] == {"jongen": "boy", "meisje": "girl", "anders": "other"}
    assert m.weighted is True and "weight 'w'" in m.design["en"] and "weging 'w'" in m.design["nl"]
    assert m.ci["en"] == "logit" and m.level == 0.95
    assert m.source == {"name": "Klas", "year": "2023", "path": "klas.sav", "sha256": "abc"}
    assert m.n_total == 60
    # the privacy rules ran: nothing below 10, but the groups of about 30 are flagged
    assert not r["suppressed"].any() and r.meta.privacy["min_n"] == 10
    small = (r["n"] < 30).to_numpy()
    assert small.any() and (r["reason"][small] == "indicative").all()
    assert (r["reason"][~small] == "").all()
    assert r.label("gender", "en") == "Gender"
    assert r.category_label("gender", "meisje", "en") == "girl"


def test_unchosen_category_has_a_zero_share():
    r = ym.share(labelled(), "gender")
    assert r["category"].astype(str).tolist() == ["jongen", "meisje", "anders"]
    assert r.loc[2, "estimate"] == 0 and r.loc[2, "ci_low"] == 0
    assert r.loc[2, "ci_high"] > 0  # Clopper–Pearson upper bound, not [0, 0]


def test_zero_one_variable_gives_the_share_of_ones_and_skips_missing():
    s = labelled()
    r = ym.share(s, "tiktok")
    d = s.data.dropna(subset=["tiktok"])
    assert len(r) == 1
    assert r.loc[0, "variable"] == "tiktok" and r.loc[0, "category"] == "Gebruikt TikTok"
    assert r.loc[0, "estimate"] == pytest.approx(np.sum(d.w * d.tiktok) / d.w.sum())
    assert r.loc[0, "n"] == 58  # two user-missing answers do not count
    assert r.meta.value_labels["en"]["tiktok"] == {"Gebruikt TikTok": "Uses TikTok"}


def test_partly_labelled_numeric_scale_shares_use_labels_where_known():
    r = ym.share(labelled(), "likert")
    assert r["category"].astype(str).tolist() == ["helemaal oneens", "2", "3", "4", "helemaal eens"]


def test_mean_of_a_labelled_variable_uses_its_codes():
    s = labelled()
    r = ym.mean(s, "freq")
    codes = s.data["freq"].cat.codes + 1  # nooit=1, soms=2, vaak=3
    assert r.loc[0, "estimate"] == pytest.approx(np.sum(s.data.w * codes) / s.data.w.sum())
    assert r.loc[0, "category"] == ""


def test_total_of_a_categorical_is_its_weighted_counts():
    s = labelled()
    r = ym.total(s, "gender")
    assert r["estimate"].sum() == pytest.approx(s.data.w.sum())
    assert r.loc[0, "estimate"] == pytest.approx(s.data.w[s.data.gender == "jongen"].sum())


def test_share_by_group_with_an_empty_group_zero_weights_and_missing_answers_by_hand():
    # Each row its own PSU, one stratum (R's svydesign(ids=~1, weights=~w)): for group g and
    # answer k, p = Σ_g w 1[k] / Σ_g w and var = n/(n − 1) Σ_g w²(1[k] − p)² / W_g², n = every
    # row of the design (svyby keeps them all); the centring term is 0. Group "c" has no rows,
    # so no line; n counts who answered with a weight above 0.
    rng = np.random.default_rng(11)
    g = rng.choice(["a", "b"], 60)
    y = rng.choice(["ja", "nee", "soms"], 60).astype(object)
    y[rng.random(60) < 0.15] = None
    w = rng.uniform(0.5, 3, 60).round(2)
    w[rng.random(60) < 0.1] = 0.0
    d = pd.DataFrame({"g": pd.Categorical(g, ["a", "b", "c"]), "y": y, "w": w})
    r = ym.share(ym.Survey(d).with_design(weight="w"), "y", by="g")
    assert sorted(set(r["g"].astype(str))) == ["a", "b"]
    for (grp, cat), row in r.set_index(["g", "category"]).iterrows():
        inn = (d.g == grp) & d.y.notna()
        W, hit = d.w[inn].sum(), (d.y[inn] == cat).to_numpy()
        p = d.w[inn][hit].sum() / W
        var = 60 / 59 * np.sum(d.w[inn] ** 2 * (hit - p) ** 2) / W**2
        assert row["estimate"] == pytest.approx(p, rel=1e-12)
        assert row["se"] == pytest.approx(math.sqrt(var), rel=1e-12)
        assert row["n"] == int((inn & (d.w > 0)).sum())


def test_two_by_variables():
    r = ym.mean(labelled(), "hours", by=["wave", "gender"])
    assert list(r.columns[:2]) == ["wave", "gender"]
    assert len(r) == 4 and r.meta.by == ["wave", "gender"]


# -- intervals ----------------------------------------------------------------------------------
def test_wilson_interval_uses_kish_effective_n():
    s = labelled()
    r = ym.share(s, "tiktok", ci="wilson")
    p, n = r.loc[0, "estimate"], r.loc[0, "n_eff"]
    z = stats.t.ppf(0.975, r.loc[0, "df"])
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    assert r.loc[0, "ci_low"] == pytest.approx(centre - half)
    assert r.loc[0, "ci_high"] == pytest.approx(centre + half)


@pytest.mark.parametrize("ci", ["logit", "likelihood", "beta", "xlogit", "asin", "mean", "wilson"])
def test_every_interval_holds_the_estimate_and_stays_in_0_1(ci):
    r = ym.share(labelled(), "freq", by="gender", ci=ci)
    assert (r["ci_low"] <= r["estimate"] + 1e-12).all() and (
        r["estimate"] <= r["ci_high"] + 1e-12
    ).all()
    assert (r["ci_low"] >= 0).all() and (r["ci_high"] <= 1).all()
    wider = ym.share(labelled(), "freq", by="gender", ci=ci, level=0.99)
    assert ((wider["ci_high"] - wider["ci_low"]) >= (r["ci_high"] - r["ci_low"]) - 1e-12).all()


# -- crosstab and differences -------------------------------------------------------------------
def test_crosstab_percentages_add_up_and_carry_the_test():
    s = labelled()
    t = ym.crosstab(s, "freq", "gender")  # freq within each gender
    assert t.meta.kind == "crosstab"
    assert t.groupby("gender", observed=True)["estimate"].sum().tolist() == pytest.approx([1, 1])
    assert t.groupby("category", observed=True)["col_pct"].sum().tolist() == pytest.approx(
        [1, 1, 1]
    )
    assert t["cell_pct"].sum() == pytest.approx(1)
    assert t["count"].sum() == pytest.approx(s.data.w.sum())
    assert t["cell_n"].sum() == 60
    assert isinstance(t.test, ChisqResult) and 0 <= t.test.p <= 1
    assert t.test == ym.chisq(s, "gender", "freq")


def test_difference_between_waves_of_a_mean():
    s = labelled()
    r = ym.difference(s, "hours", by="wave", groups=(2019, 2023))
    d = s.data
    a = d[d.wave == 2019]
    b = d[d.wave == 2023]
    ma, mb = np.sum(a.w * a.hours) / a.w.sum(), np.sum(b.w * b.hours) / b.w.sum()
    assert r.loc[0, "estimate"] == pytest.approx(mb - ma)
    assert r.loc[0, "estimate_a"] == pytest.approx(ma)
    # disjoint groups of an unclustered sample: SE² = SE_a² + SE_b² (no covariance)
    se = ym.mean(s, "hours", by="wave")["se"].to_numpy()
    assert r.loc[0, "se"] == pytest.approx(math.sqrt(se[0] ** 2 + se[1] ** 2))
    assert r.meta.kind == "difference"
    with pytest.raises(ym.ConfigError, match="2021"):
        ym.difference(s, "hours", by="wave", groups=(2019, 2021))


def test_replicate_difference_is_the_difference_in_every_replicate():
    s = labelled()
    jk = s.with_design(weight="w", cluster=None).to_replicates("JK1")
    r = ym.difference(jk, "tiktok", by="wave")
    thetas = []
    for col in range(jk.design.replicates.shape[1]):
        w = jk.design.replicates[:, col]
        d = jk.data.assign(rw=w).dropna(subset=["tiktok"])
        m = [np.sum(g.rw * g.tiktok) / g.rw.sum() for _, g in d.groupby("wave")]
        thetas.append(m[1] - m[0])
    thetas = np.array(thetas)
    R = len(thetas)
    var = (R - 1) / R * np.sum((thetas - thetas.mean()) ** 2)  # JK1: (R-1)/R Σ(θr − θ̄)²
    assert r.loc[0, "se"] == pytest.approx(math.sqrt(var))


# -- bad input ----------------------------------------------------------------------------------
def test_bad_input_names_the_culprit():
    s = labelled()
    with pytest.raises(ym.ConfigError, match="'gendr'"):
        ym.share(s, "gendr")
    with pytest.raises(ym.ConfigError, match="ci='normal'"):
        ym.share(s, "gender", ci="normal")
    with pytest.raises(ym.ConfigError, match="level"):
        ym.mean(s, "hours", level=95)
    one = s.replace(data=s.data.assign(grp="alle"))
    with pytest.raises(ym.DataError, match="by-variable 'grp' has a single category"):
        ym.share(one.with_design(weight="w"), "freq", by="grp")
    empty = s.replace(data=s.data.assign(none=np.nan)).with_design(weight="w")
    with pytest.raises(ym.DataError, match="'none'.*no answers"):
        ym.mean(empty, "none")
    with pytest.raises(ym.DataError, match="'none'"):
        ym.share(empty, "none")
    with pytest.raises(ym.DataError, match="'gender' is not numeric"):
        ym.mean(
            s.replace(data=s.data.assign(gender=s.data.gender.astype(str))).with_design(weight="w"),
            "gender",
        )


def test_multiple_response_category_set():
    # two "name up to two platforms" columns holding codes 1 = TikTok, 2 = YouTube, 3 = X
    d = pd.DataFrame({"p1": [1, 2, 1, np.nan], "p2": [2, np.nan, 3, np.nan]})
    cb = Codebook(
        {
            "p1": Variable("p1", value_labels={1: "TikTok", 2: "YouTube", 3: "X"}),
            "p2": Variable("p2", value_labels={1: "TikTok", 2: "YouTube", 3: "X"}),
        },
        mr_sets={"top": MRSet("top", label="Favoriet", kind="category", variables=["p1", "p2"])},
    )
    with ym.privacy.thresholds(min_n=0, indicative_n=0):  # four rows: arithmetic, not privacy
        r = ym.share(ym.Survey(d, cb), "top")
    # three respondents answered; TikTok 2/3, YouTube 2/3, X 1/3
    assert r["category"].astype(str).tolist() == ["TikTok", "YouTube", "X"]
    assert r["estimate"].tolist() == pytest.approx([2 / 3, 2 / 3, 1 / 3])


# -- a real SPSS file ---------------------------------------------------------------------------
def test_demo_spss_file_user_missing_never_counts():
    if not DEMO.exists():
        pytest.skip(f"{DEMO} is absent")
    s = ym.load(DEMO)
    r = ym.mean(s, "hours_online")
    excluded = s.codebook["hours_online"].missing_counts
    assert sum(excluded.values()) > 0  # the file has user-missing codes 98/99
    assert r.loc[0, "n"] == s.data["hours_online"].notna().sum()
    assert r.loc[0, "estimate"] < 24  # 98/99 ("don't know") not averaged in
    assert r.meta.weighted and "declared" in r.meta.design["en"]
    sets = ym.share(s, "platforms", by="gender")
    assert set(sets["variable"]) == set(s.codebook.mr_sets["platforms"].variables)


# -- multiple-response options that were not offered ---------------------------------------------
def _platform_set(data: pd.DataFrame) -> ym.Survey:
    members = [c for c in ("a", "b", "c") if c in data]
    cb = Codebook(
        {
            **{m: Variable(m, label=f"Gebruikt {m.upper()}") for m in members},
            "wave": Variable("wave", label="Meting"),
            "w": Variable("w"),
        },
        mr_sets={
            "apps": MRSet(
                "apps", label="Welke apps?", kind="dichotomy", variables=members, counted_value=1
            )
        },
    )
    return ym.Survey(data, cb).with_design(weight="w")


def test_mr_option_not_offered_has_no_base_not_a_zero_share():
    nan = np.nan
    # wave 1 did not offer option c (missing for everyone); row 4 skipped the question; in
    # wave 2 the last respondent left c open
    d = pd.DataFrame(
        {
            "wave": [1, 1, 1, 1, 2, 2, 2, 2, 2],
            "a": [1, 0, 1, nan, 1, 1, 0, 0, 1],
            "b": [0, 1, 1, nan, 0, 1, 0, 1, 0],
            "c": [nan, nan, nan, nan, 1, 0, 0, 1, nan],
            "w": [1.0, 2, 3, 4, 1, 2, 3, 4, 5],
        }
    )
    with ym.privacy.thresholds(min_n=0, indicative_n=0):  # a 9-row example, not a privacy test
        r = ym.share(_platform_set(d), "apps", by="wave")
    got = {
        (int(str(g)), v): row
        for (g, v), row in zip(
            zip(r["wave"], r["variable"], strict=True), r.to_dict("records"), strict=True
        )
    }
    # wave 1: answered rows weigh 1, 2, 3: a = (1 + 3)/6, b = (2 + 3)/6; c was not asked
    assert got[1, "a"]["estimate"] == pytest.approx(4 / 6)
    assert got[1, "b"]["estimate"] == pytest.approx(5 / 6)
    c1 = got[1, "c"]
    assert c1["reason"] == "not_asked" and not c1["suppressed"]
    assert all(math.isnan(c1[k]) for k in ("estimate", "se", "ci_low", "ci_high", "n", "base"))
    # wave 2: a and b over weights 1+2+3+4+5 = 15; c only over those it was asked: 1+2+3+4 = 10
    assert got[2, "a"]["estimate"] == pytest.approx((1 + 2 + 5) / 15)
    assert got[2, "b"]["estimate"] == pytest.approx((2 + 4) / 15)
    assert got[2, "c"]["estimate"] == pytest.approx((1 + 4) / 10)
    assert (got[2, "c"]["n"], got[2, "a"]["n"]) == (4, 5)
    # the overall share of c rests on wave 2 alone
    with ym.privacy.thresholds(min_n=0, indicative_n=0):
        overall = ym.share(_platform_set(d), "apps").set_index("variable")
    assert overall.loc["c", "estimate"] == pytest.approx(0.5)
    assert overall.loc["a", "estimate"] == pytest.approx((1 + 3 + 1 + 2 + 5) / (6 + 15))
    # a difference between the waves has no number for c, and says why
    with ym.privacy.thresholds(min_n=0, indicative_n=0):
        diff = ym.difference(_platform_set(d), "apps", by="wave").set_index("variable")
    assert math.isnan(diff.loc["c", "estimate"]) and diff.loc["c", "reason"] == "not_asked"
    assert diff.loc["a", "estimate"] == pytest.approx(8 / 15 - 4 / 6)


def test_mr_set_that_leaves_unchosen_options_empty_counts_them_as_not_chosen():
    # some files code a ticked box 1 and leave the others empty: no member ever holds 0
    nan = np.nan
    d = pd.DataFrame(
        {"a": [1, nan, 1, nan], "b": [nan, 1, 1, nan], "w": [1.0, 1, 2, 1], "wave": [1, 1, 1, 1]}
    )
    with ym.privacy.thresholds(min_n=0, indicative_n=0):
        r = ym.share(_platform_set(d), "apps").set_index("variable")
    # three answered (weights 1, 1, 2): a = (1 + 2)/4, b = (1 + 2)/4 — not 100 %
    assert r["estimate"].tolist() == pytest.approx([0.75, 0.75])


def test_demo_tiktok_and_bereal_not_asked_in_early_waves():
    if not DEMO.exists():
        pytest.skip(f"{DEMO} is absent")
    s = ym.load(DEMO)
    r = ym.share(s, "platforms", by="wave")
    d = s.data
    members = s.codebook.mr_sets["platforms"].variables
    answered = d[members].notna().any(axis=1).to_numpy()
    w = d["weight"].to_numpy(dtype=float)
    wave = d["wave"].astype(str).to_numpy()
    n_all = len(d)
    for row in r.itertuples(index=False):
        y = (d[row.variable].astype(str) == "gekozen").to_numpy(dtype=float)  # code 1
        dom = answered & (wave == str(row.wave)) & d[row.variable].notna().to_numpy()
        if not dom.any():
            # TikTok 2015, BeReal 2015 and 2019: not offered; no 0 % with an interval
            assert (row.variable, str(row.wave)) in {
                ("use_tiktok", "2015"),
                ("use_bereal", "2015"),
                ("use_bereal", "2019"),
            }
            assert math.isnan(row.estimate) and math.isnan(row.ci_low) and row.reason == "not_asked"
            continue
        p = np.sum(w[dom] * y[dom]) / np.sum(w[dom])
        # Taylor SE of a domain ratio, R's svymean on svydesign(ids=~1, weights=~weight):
        # z_i = w_i (y_i - p) / Σ_dom w over the domain, 0 elsewhere; var = n/(n-1) Σ z_i²
        z = np.where(dom, w * (y - p), 0.0) / np.sum(w[dom])
        se = math.sqrt(n_all / (n_all - 1) * np.sum(z**2))
        assert row.estimate == pytest.approx(p, rel=1e-12), (row.variable, row.wave)
        assert row.se == pytest.approx(se, rel=1e-9), (row.variable, row.wave)
        assert row.n == dom.sum()
    assert {
        (v, str(g))
        for v, g, why in zip(r["variable"], r["wave"], r["reason"], strict=True)
        if why == "not_asked"
    } == {("use_tiktok", "2015"), ("use_bereal", "2015"), ("use_bereal", "2019")}


def test_trend_of_an_option_not_asked_draws_no_zero():
    if not DEMO.exists():
        pytest.skip(f"{DEMO} is absent")
    from youthmedia.figures import charts

    s = ym.load(DEMO)
    fig = charts.trend(ym.share(s, "platforms", by="wave"))
    lines = {
        ln.get_label(): ln
        for ax in fig.axes
        for ln in ax.get_lines()
        if ln.get_gid() == "youthmedia-line"
    }
    tiktok = lines["TikTok"]
    xs, ys = np.asarray(tiktok.get_xdata(), float), np.asarray(tiktok.get_ydata(), float)
    assert math.isnan(ys[xs == 2015][0])  # no point, let alone 0 %, in 2015
    assert ys[xs == 2023][0] > 0.5
    assert any("niet gevraagd" in note for note in fig.slide.footnotes)
    head = fig.slide.headline
    assert not ("TikTok" in head and "2015" in head)  # no "TikTok rose from 0% (2015)"


# -- privacy: every estimator's Result passes the privacy rules ----------------------------------
def _class(n_small: int = 4) -> ym.Survey:
    """40 pupils in group a and n_small in group b; y = 1 for every other pupil."""
    n = 40 + n_small
    d = pd.DataFrame(
        {
            "g": ["a"] * 40 + ["b"] * n_small,
            "y": [1.0, 0.0] * (n // 2) + [1.0] * (n % 2),
            "hours": np.arange(n, dtype=float),
            "email": [f"leerling{i}@school.nl" for i in range(n)],
        }
    )
    return ym.Survey(d)


def test_small_groups_are_suppressed_by_default_and_thresholds_are_explicit():
    s = _class(4)
    r = ym.share(s, "y", by="g").set_index("g")
    # group a: n = 40, shown (20 of 40); group b: n = 4 < 10, hidden with its reason
    assert r.loc["a", "estimate"] == pytest.approx(0.5) and not r.loc["a", "suppressed"]
    assert r.loc["b", "suppressed"] and r.loc["b", "reason"] == "small_n"
    assert math.isnan(r.loc["b", "estimate"]) and math.isnan(r.loc["b", "ci_high"])
    assert r.loc["b", "n"] == 4  # the base stays visible
    m = ym.mean(s, "hours", by="g").set_index("g")
    assert math.isnan(m.loc["b", "estimate"]) and m.loc["a", "estimate"] == pytest.approx(19.5)
    # group b of 12: shown but indicative (n < 30)
    r12 = ym.share(_class(12), "y", by="g").set_index("g")
    assert not r12.loc["b", "suppressed"] and r12.loc["b", "reason"] == "indicative"
    # the thresholds are the privacy module's: lowered explicitly, group b of 4 is shown
    with ym.privacy.thresholds(min_n=3, indicative_n=5):
        low = ym.share(s, "y", by="g").set_index("g")
    assert (
        low.loc["b", "estimate"] == pytest.approx(2 / 4) and low.loc["b", "reason"] == "indicative"
    )
    assert low.meta.privacy["min_n"] == 3


def test_identifying_column_as_variable_or_by_is_refused():
    s = _class(4)
    with pytest.raises(ym.DisclosureError, match="'email'"):
        ym.share(s, "email")
    with pytest.raises(ym.DisclosureError, match="'email'"):
        ym.mean(s, "hours", by="email")
    with pytest.raises(ym.DisclosureError, match="'email'"):
        ym.crosstab(s, "g", "email")
    with pytest.raises(ym.DisclosureError, match="'email'"):
        ym.chisq(s, "email", "g")
    ym.share(s, "y", by="g")  # the other columns are fine


def test_crosstab_bases_cell_row_and_column():
    # a = x (30 pupils: 25 p, 5 q) and y (40 pupils: 37 p, 3 q); column q has 5 + 3 = 8 pupils
    d = pd.DataFrame(
        {"a": ["x"] * 30 + ["y"] * 40, "b": ["p"] * 25 + ["q"] * 5 + ["p"] * 37 + ["q"] * 3}
    )
    t = ym.crosstab(ym.Survey(d), "b", "a")  # b within each a
    cells = {
        (str(a), str(b)): row
        for a, b, row in zip(t["a"], t["category"], t.to_dict("records"), strict=True)
    }
    assert [cells[k]["cell_n"] for k in (("x", "p"), ("x", "q"), ("y", "p"), ("y", "q"))] == [
        25,
        5,
        37,
        3,
    ]
    assert [cells[k]["n"] for k in (("x", "p"), ("x", "q"), ("y", "p"), ("y", "q"))] == [
        30,
        30,
        40,
        40,
    ]
    assert [cells[k]["col_n"] for k in (("x", "p"), ("x", "q"), ("y", "p"), ("y", "q"))] == [
        62,
        8,
        62,
        8,
    ]
    assert t.meta.bases == {"col_pct": "col_n", "col_pct_se": "col_n"}
    # row percentages rest on 30 and 40 pupils: shown; column q rests on 8: its % is blanked
    assert cells["x", "q"]["estimate"] == pytest.approx(5 / 30)
    assert cells["x", "p"]["col_pct"] == pytest.approx(25 / 62)
    assert math.isnan(cells["x", "q"]["col_pct"]) and math.isnan(cells["y", "q"]["col_pct_se"])
    with ym.privacy.thresholds(min_n=5, indicative_n=5):
        shown = ym.crosstab(ym.Survey(d), "b", "a")
    assert shown["col_pct"].tolist() == pytest.approx([25 / 62, 5 / 8, 37 / 62, 3 / 8])


# -- notes in Dutch and English -------------------------------------------------------------------
def test_notes_are_dutch_and_english_and_reach_figures_and_repr():
    from youthmedia import standard
    from youthmedia.figures import charts

    # nobody in this class uses X: 0 %, whose interval is Clopper–Pearson (a note says so)
    d = pd.DataFrame({"tiktok": [1.0, 0.0] * 20, "x": [0.0] * 40, "g": ["a", "b"] * 20})
    s = ym.Survey(
        d,
        Codebook(
            {
                "tiktok": Variable("tiktok", label="TikTok"),
                "x": Variable("x", label="X"),
                "g": Variable("g", label="Klas"),
            }
        ),
    )
    r = ym.share(s, ["tiktok", "x"])
    (note,) = r.meta.notes
    assert (
        set(note) == {"nl", "en"}
        and "Clopper–Pearson" in note["nl"]
        and "Waar een aandeel" in note["nl"]
    )
    assert "Note: Where a share is 0% or 100%" in repr(r)
    fig = charts.bars(r, lang="nl")
    assert note["nl"] in fig.slide.footnotes and note["en"] not in fig.slide.footnotes
    assert note["en"] in charts.bars(r, lang="en").slide.footnotes
    # the difference note, group labels and all
    diff = ym.difference(s, "tiktok", by="g", groups=("a", "b"))
    assert diff.meta.notes == [
        {
            "nl": "Verschil = b − a in procentpunten.",
            "en": "Difference = b − a in percentage points.",
        }
    ]
    # a crosstab without a test says why, in both languages
    one = ym.Survey(pd.DataFrame({"x": ["nee"] * 40, "g": ["a", "b"] * 20}))
    t = ym.crosstab(one, "x", "g")
    assert t.test is None and "maar één categorie" in t.notes_in("nl")[-1]
    assert t.notes_in("en")[-1].startswith("No test of independence")
    # batteries stack such Results without tripping over the (unhashable) dict notes
    both = standard._combine([ym.share(s, "x"), ym.share(s, "x")])
    assert both.meta.notes == [note]


def test_mean_of_several_variables_is_one_table():
    """Two means (hand: (1+2+6)/3 = 3 and (2+4)/2 = 3) in one Result: the empty category of
    each mean is one category, not two."""
    d = pd.DataFrame({"a": [1.0, 2.0, 6.0] * 10, "b": [2.0, 4.0, np.nan] * 10})
    r = ym.mean(ym.Survey(d), ["a", "b"])
    assert r["variable"].astype(str).tolist() == ["a", "b"]
    assert r["estimate"].tolist() == pytest.approx([3.0, 3.0])
    assert list(r["category"].cat.categories) == [""]


@pytest.mark.parametrize("replicate", [False, True])
def test_design_and_interval_words_follow_the_deck_language(replicate):
    """Speaker notes and footnotes of a Dutch deck carry no English design text (and the other
    way round): the design line and interval method come from the i18n catalogue."""
    rng = np.random.default_rng(3)
    d = pd.DataFrame(
        {
            "y": rng.integers(0, 2, 80).astype(float),
            "w": rng.uniform(1, 3, 80),
            "school": np.repeat(["a", "b", "c", "d"], 20),
            "klas": np.arange(80) // 5,
        }
    )
    s = ym.Survey(d).with_design(weight="w", strata="school", cluster="klas")
    s = s.to_replicates("JKn") if replicate else s
    r = ym.share(s, "y", ci="beta")
    assert set(r.meta.design) == set(r.meta.ci) == {"nl", "en"}
    nl, en = charts.bars(r, lang="nl").slide.notes, charts.bars(r, lang="en").slide.notes
    assert (
        "Steekproefontwerp: weging 'w'" in nl
        and "Betrouwbaarheidsinterval: Korn–Graubard (bèta)" in nl
    )
    assert "Design: weight 'w'" in en and "Confidence interval: Korn–Graubard (beta)" in en
    if replicate:
        assert (
            "JKn-replicatiegewichten (16 replicaties) gemaakt uit strata 'school' en clusters 'klas'"
            in nl
        )
        assert (
            "JKn replicate weights (16 replicates) built from strata 'school' and clusters 'klas'"
            in en
        )
    else:
        assert "strata 'school'; clusters 'klas'; Taylor-linearisatie" in nl
        assert "strata 'school'; clusters 'klas'; Taylor linearisation" in en
    for english in ("weight '", "replicate", "linearisation", "built from", "Design:"):
        assert english not in nl
    for dutch in ("weging", "replicatie", "linearisatie", "gemaakt uit", "Steekproefontwerp"):
        assert dutch not in en
    # an unweighted file without a design says so in both languages
    plain = ym.share(ym.Survey(d[["y"]]), "y")
    assert plain.meta.design == {"nl": i18n.t("design_srs", "nl"), "en": i18n.t("design_srs", "en")}
