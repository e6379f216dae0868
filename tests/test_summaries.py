"""quantile, ratio, var, ttest and contrast against R's survey 4.1.1 (to 1e-6), and their
properties. Values: tests/reference/stats_reference.csv (make_stats_reference.R)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_r_corners import made_data, r_value

import youthmedia as ym

REF = Path(__file__).resolve().parent / "reference"


@cache
def api(name: str) -> pd.DataFrame:
    data = pd.read_csv(REF / "api" / f"{name}.csv")
    for col in ("stype", "sch.wide"):
        data[col] = pd.Categorical(data[col], categories=sorted(data[col].dropna().unique()))
    data["growth_99"] = data["api00"] - data["api99"]
    return data


def clus1():
    return ym.Survey(api("apiclus1")).with_design(weight="pw", cluster="dnum")


def strat():
    return ym.Survey(api("apistrat")).with_design(weight="pw", strata="stype")


def made_brr():
    return ym.Survey(made_data()).with_design(weight="w", strata="h", cluster="psu")


def close(got, id_, quantity, term="", rel=1e-6):
    assert float(got) == pytest.approx(r_value(id_, quantity, term), rel=rel, abs=1e-10), \
        (id_, quantity, term)


# -- quantile ---------------------------------------------------------------------------------
@pytest.mark.parametrize("make, var, qs, id_", [
    (clus1, "api00", [0.1, 0.25, 0.5, 0.9], "clus1_quantile_api00"),
    (strat, "enroll", [0.5, 0.75], "strat_quantile_enroll"),
    (lambda: clus1().to_replicates("JK1"), "api00", [0.25, 0.5], "clus1_jk1_quantile_api00"),
    (made_brr, "yna", [0.33, 0.5], "made_quantile_yna"),
])
def test_quantile_matches_svyquantile(make, var, qs, id_):
    r = ym.quantile(make(), var, q=qs)
    for _, row in r.iterrows():
        for col in ("estimate", "ci_low", "ci_high", "se"):
            close(row[col], id_, col, row["category"])


@pytest.mark.parametrize("make, qs, prefix", [
    (clus1, [0.5], "clus1_quantile_api00_stype_"),
    (lambda: strat().to_replicates("JKn"), [0.25, 0.5], "strat_jkn_quantile_api00_stype_"),
])
def test_quantile_by_domain(make, qs, prefix):
    r = ym.quantile(make(), "api00", q=qs, by="stype")
    assert len(r) == 3 * len(qs)
    for _, row in r.iterrows():
        for col in ("estimate", "ci_low", "ci_high", "se"):
            close(row[col], prefix + str(row["stype"]), col, row["category"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 24, allow_nan=False), min_size=12, max_size=40),
       st.floats(-50, 50, allow_nan=False))
def test_quantiles_monotone_and_shift_equivariant(values, shift):
    d = pd.DataFrame({"y": values, "w": [1 + (i % 3) for i in range(len(values))]})
    s = ym.Survey(d).with_design(weight="w")
    qs = [0.1, 0.25, 0.5, 0.75, 0.9]
    est = ym.quantile(s, "y", q=qs)["estimate"].to_numpy()
    assert np.all(np.diff(est) >= 0)
    d2 = d.assign(y=d["y"] + shift)
    est2 = ym.quantile(ym.Survey(d2).with_design(weight="w"), "y", q=qs)["estimate"].to_numpy()
    np.testing.assert_allclose(est2, est + shift, atol=1e-9)


def test_quantile_bad_q():
    with pytest.raises(ym.ConfigError, match="between 0 and 1"):
        ym.quantile(clus1(), "api00", q=50)


# -- ratio --------------------------------------------------------------------------------------
@pytest.mark.parametrize("make, id_", [
    (clus1, "clus1_ratio"), (strat, "strat_ratio"),
    (lambda: clus1().to_replicates("JK1"), "clus1_jk1_ratio"),
])
def test_ratio_matches_svyratio(make, id_):
    row = ym.ratio(make(), "api.stu", "enroll").iloc[0]
    close(row["estimate"], id_, "estimate", "api.stu/enroll")
    close(row["se"], id_, "se", "api.stu/enroll")


def test_ratio_by_domain_and_missing():
    r = ym.ratio(clus1(), "api.stu", "enroll", by="stype")
    for _, row in r.iterrows():
        close(row["estimate"], "clus1_by_stype_ratio", "estimate", str(row["stype"]))
        close(row["se"], "clus1_by_stype_ratio", "se", str(row["stype"]))
    row = ym.ratio(made_brr().to_replicates("BRR"), "yna", "x").iloc[0]
    close(row["estimate"], "made_ratio_yna_x", "estimate", "yna/x")
    row = ym.ratio(made_brr(), "yna", "x").iloc[0]
    close(row["se"], "made_ratio_yna_x", "se", "yna/x")


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0.1, 100, allow_nan=False), min_size=12, max_size=30))
def test_ratio_of_a_variable_to_itself_is_one(values):
    d = pd.DataFrame({"y": values, "c": [i % 4 for i in range(len(values))]})
    row = ym.ratio(ym.Survey(d).with_design(cluster="c"), "y", "y").iloc[0]
    assert row["estimate"] == pytest.approx(1.0)
    assert row["se"] == pytest.approx(0.0, abs=1e-9)


# -- var ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("make, id_", [
    (clus1, "clus1_var_api00"), (strat, "strat_var_api00"),
    (lambda: clus1().to_replicates("JK1"), "clus1_jk1_var_api00"),
])
def test_var_matches_svyvar(make, id_):
    row = ym.var(make(), "api00").iloc[0]
    term = "" if "jk1" in id_ else "api00"      # R names a replicate svyvar's value ""
    close(row["estimate"], id_, "estimate", term)
    close(row["se"], id_, "se", term)


@pytest.mark.parametrize("make, id_", [
    (clus1, "clus1_by_stype_var_api00"),
    (lambda: strat().to_replicates("JKn"), "strat_jkn_by_stype_var_api00"),
])
def test_var_by_domain(make, id_):
    for _, row in ym.var(make(), "api00", by="stype").iterrows():
        close(row["estimate"], id_, "estimate", str(row["stype"]))
        close(row["se"], id_, "se", str(row["stype"]))


def test_var_with_missing_values():
    row = ym.var(made_brr(), "yna").iloc[0]
    close(row["estimate"], "made_var_yna", "estimate", "yna")
    close(row["se"], "made_var_yna", "se", "yna")


# -- ttest --------------------------------------------------------------------------------------
@pytest.mark.parametrize("make, var, group, id_", [
    (clus1, "api00", "sch.wide", "clus1_ttest_api00_schwide"),
    (strat, "api00", "sch.wide", "strat_ttest_api00_schwide"),
    (lambda: clus1().to_replicates("JK1"), "api00", "sch.wide", "clus1_jk1_ttest_api00_schwide"),
    (made_brr, "yna", "dom", "made_ttest_yna_dom"),
    (clus1, "growth_99", None, "clus1_ttest_onesample_growth"),
])
def test_ttest_matches_svyttest(make, var, group, id_):
    row = ym.ttest(make(), var, group).iloc[0]
    for col in ("estimate", "statistic", "df", "p", "ci_low", "ci_high"):
        close(row[col], id_, col)


# -- contrast -----------------------------------------------------------------------------------
def test_contrast_matches_svycontrast():
    r = ym.contrast(ym.mean(strat(), ["api00", "api99"]), {"api00": 1, "api99": -1}).iloc[0]
    close(r["estimate"], "strat_contrast_api00_api99", "estimate", "contrast")
    close(r["se"], "strat_contrast_api00_api99", "se", "contrast")
    m = ym.mean(clus1().to_replicates("JK1"), "api00", by="stype")
    r = ym.contrast(m, {"E": 1, "H": -0.5, "M": -0.5}).iloc[0]
    close(r["estimate"], "clus1_jk1_contrast_stype", "estimate", "contrast")
    close(r["se"], "clus1_jk1_contrast_stype", "se", "contrast")
    t = ym.total(clus1(), "stype")
    r = ym.contrast(t, [1, 1, 0]).iloc[0]
    close(r["estimate"], "clus1_contrast_total_stype", "estimate", "contrast")
    close(r["se"], "clus1_contrast_total_stype", "se", "contrast")


def test_contrast_needs_covariance_and_known_rows():
    m = ym.mean(clus1(), "api00", by="stype")
    with pytest.raises(ym.ConfigError, match="matches 0 rows"):
        ym.contrast(m, {"X": 1})
    q = ym.quantile(clus1(), "api00")
    with pytest.raises(ym.ConfigError, match="covariance"):
        ym.contrast(q, [1])


# -- the median chart -----------------------------------------------------------------------------
def test_a_skewed_number_is_charted_by_its_median_with_its_interval():
    from youthmedia.figures import charts

    s = clus1()
    q = ym.quantile(s, "enroll")
    fig = charts.bars(q, lang="en")
    assert fig.slide.headline.startswith("enroll (median): ")
    segments = [seg for coll in fig.axes[0].collections for seg in coll.get_segments()]
    ends = sorted(float(x) for seg in segments for x in seg[:, 0])
    assert ends == pytest.approx(sorted([q.loc[0, "ci_low"], q.loc[0, "ci_high"]]))
    nl = charts.auto(ym.quantile(s, "enroll", by="stype", q=0.25), lang="nl")
    assert "(25e percentiel)" in nl.slide.headline


# -- privacy and bad input ----------------------------------------------------------------------
def test_small_domains_are_suppressed_like_the_other_estimators():
    d = made_data()
    d["tiny"] = np.where(np.arange(len(d)) < 6, "few", "many")
    s = ym.Survey(d).with_design(weight="w")
    for r in (ym.quantile(s, "y", by="tiny"), ym.ratio(s, "y", "x", by="tiny"),
              ym.var(s, "y", by="tiny")):
        few = r[r["tiny"] == "few"].iloc[0]
        assert bool(few["suppressed"]) and np.isnan(few["estimate"])
        assert r.meta.privacy["min_n"] == 10


def test_bad_input_is_one_clear_line():
    d = made_data()
    s = ym.Survey(d).with_design(weight="w")
    with pytest.raises(ym.DataError, match="'dom'.*not numeric|not numeric"):
        ym.quantile(s, "dom")
    with pytest.raises(ym.DataError, match="exactly two categories"):
        ym.ttest(s, "y", "r")
    with pytest.raises(ym.ConfigError, match="Unknown variable"):
        ym.ratio(s, "y", "nope")


def test_wave_difference_is_a_special_case_of_contrast():
    s = clus1()
    diff = ym.difference(s, "api00", by="stype", groups=("E", "M"), statistic="mean").iloc[0]
    con = ym.contrast(ym.mean(s, "api00", by="stype"), {"M": 1, "E": -1}).iloc[0]
    assert con["estimate"] == pytest.approx(diff["estimate"], rel=1e-10)
    assert con["se"] == pytest.approx(diff["se"], rel=1e-10)
    # and both are R's svycontrast of the svyby means (tests/reference/extra_reference.csv)
    rep = clus1().to_replicates("JK1")
    diff = ym.difference(rep, "sch.wide", by="stype", groups=("H", "M"))
    diff = diff[diff["category"] == "Yes"].iloc[0]
    shares = ym.share(rep, "sch.wide", by="stype")
    con = ym.contrast(shares, {("M", "sch.wide", "Yes"): 1, ("H", "sch.wide", "Yes"): -1}).iloc[0]
    assert con["estimate"] == pytest.approx(diff["estimate"], rel=1e-10)
    assert con["se"] == pytest.approx(diff["se"], rel=1e-8)


def test_kept_covariance_says_nothing_of_suppressed_rows():
    d = made_data()
    d["tiny"] = np.where(np.arange(len(d)) < 6, "few", "many")
    for r in (ym.mean(ym.Survey(d), "y", by="tiny"), ym.ratio(ym.Survey(d), "y", "x", by="tiny")):
        hidden = r["suppressed"].to_numpy(dtype=bool)
        assert hidden.any()
        V = r.meta.vcov.to_numpy()
        assert np.isnan(V[hidden]).all() and np.isnan(V[:, hidden]).all()
        assert np.isfinite(V[~hidden][:, ~hidden]).all()


def test_contrast_follows_rows_through_sorting_and_filtering():
    m = ym.mean(clus1(), "api00", by="stype")
    want = ym.contrast(m, {"M": 1, "E": -1}).iloc[0]
    resorted = m.sort_values("estimate")
    got = ym.contrast(resorted, {"M": 1, "E": -1}).iloc[0]
    assert (got["estimate"], got["se"]) == pytest.approx((want["estimate"], want["se"]), rel=1e-12)
    two = m[m["stype"] != "H"]
    got = ym.contrast(two, [-1, 1]).iloc[0]
    assert (got["estimate"], got["se"]) == pytest.approx((want["estimate"], want["se"]), rel=1e-12)
