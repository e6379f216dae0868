"""Designs: validation, replicate construction, calibration, lonely PSUs, the public engine."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import youthmedia as ym
from youthmedia import design as dz
from youthmedia.codebook import Codebook, Variable


def frame(n=12, seed=3):
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "h": np.repeat(["a", "b", "c"], n // 3),
            "psu": np.tile([1, 1, 2, 2], n // 4),
            "w": rng.uniform(1, 3, n),
            "y": rng.integers(0, 2, n).astype(float),
            "x": rng.normal(10, 2, n),
        }
    )


# -- weights --------------------------------------------------------------------------------
def test_negative_weight_is_a_data_error_naming_the_column():
    d = frame()
    d.loc[3, "w"] = -1.0
    with pytest.raises(ym.DataError, match="'w'.*negative"):
        ym.Survey(d).with_design(weight="w")


def test_non_numeric_weight_is_a_data_error():
    d = frame()
    d["w"] = d["w"].astype(str)
    d.loc[2, "w"] = "heavy"
    with pytest.raises(ym.DataError, match="'w'.*not numeric"):
        ym.Survey(d).with_design(weight="w")


def test_missing_weight_on_a_row_in_use_is_a_data_error():
    d = frame()
    d.loc[0, "w"] = np.nan
    s = ym.Survey(d).with_design(weight="w")
    with pytest.raises(ym.DataError, match="weight 'w' is missing"):
        ym.share(s, "y")
    # ... but not when that row does not answer the question
    d.loc[0, "y"] = np.nan
    assert ym.share(ym.Survey(d).with_design(weight="w"), "y").loc[0, "n"] == 11


def test_unknown_design_columns_are_config_errors():
    with pytest.raises(ym.ConfigError, match="'wt'"):
        ym.Survey(frame()).with_design(weight="wt")
    with pytest.raises(ym.ConfigError, match="lonely_psu"):
        ym.Survey(frame()).with_design(weight="w", lonely_psu="ignore")


def test_strata_with_missing_values_is_a_data_error():
    d = frame()
    d["h"] = d["h"].astype(object)
    d.loc[4, "h"] = None
    with pytest.raises(ym.DataError, match="strata variable 'h'.*missing"):
        ym.Survey(d).with_design(weight="w", strata="h")


def test_clusters_must_be_nested_unless_told():
    with pytest.raises(ym.ConfigError, match="nest=True"):
        ym.Survey(frame()).with_design(weight="w", strata="h", cluster="psu")
    s = ym.Survey(frame()).with_design(weight="w", strata="h", cluster="psu", nest=True)
    assert s.design.degf == 6 - 3  # 2 PSUs in each of 3 strata


def test_declared_weight_is_used_without_a_design():
    d = frame()
    cb = Codebook({c: Variable(c) for c in d.columns}, weight="w")
    s = ym.Survey(d, cb)
    r = ym.share(s, "y")
    assert r.loc[0, "estimate"] == pytest.approx(np.sum(d.w * d.y) / d.w.sum())
    assert r.meta.weighted is True
    assert "declared" in r.meta.design["en"]
    unweighted = ym.share(ym.Survey(d), "y")
    assert unweighted.loc[0, "estimate"] == pytest.approx(d.y.mean())
    assert unweighted.meta.weighted is False


def test_kish_effective_n():
    s = ym.Survey(pd.DataFrame({"w": [1.0, 1.0, 2.0]})).with_design(weight="w")
    assert s.weights_summary()["n_eff"] == pytest.approx(16 / 6)  # (Σw)²/Σw² = 16/6


def test_design_must_match_the_rows():
    s = ym.Survey(frame()).with_design(weight="w")
    smaller = s.replace(data=s.data.iloc[:6])
    with pytest.raises(ym.ConfigError, match="design was made for 12 rows"):
        ym.share(smaller, "y")


# -- lonely PSUs ------------------------------------------------------------------------------
def test_single_psu_stratum_fails_by_default_and_adjusts_on_request():
    d = frame()
    d.loc[d.h == "c", "psu"] = 1  # stratum c: one PSU
    with pytest.raises(ym.DataError, match="single PSU.*lonely_psu"):
        ym.Survey(d).with_design(weight="w", strata="h", cluster="psu", nest=True)
    ok = ym.Survey(d).with_design(
        weight="w", strata="h", cluster="psu", nest=True, lonely_psu="certainty"
    )
    adj = ym.Survey(d).with_design(
        weight="w", strata="h", cluster="psu", nest=True, lonely_psu="adjust"
    )
    # "adjust" centres the lonely stratum at the overall mean: never less variance than
    # "certainty", which gives it none
    assert ym.mean(adj, "x").loc[0, "se"] >= ym.mean(ok, "x").loc[0, "se"]


# -- replicates --------------------------------------------------------------------------------
def test_replicates_need_the_full_sample_weight():
    d = frame()
    d["r1"], d["r2"] = d.w * 2, d.w * 0.5
    with pytest.raises(ym.ConfigError, match="full-sample weight"):
        ym.Survey(d).with_replicates(["r1", "r2"], method="BRR")
    with pytest.raises(ym.ConfigError, match="rho"):
        ym.Survey(d).with_replicates(["r1", "r2"], method="Fay", weight="w")
    with pytest.raises(ym.ConfigError, match="Replicate method"):
        ym.Survey(d).with_replicates(["r1", "r2"], method="jackhammer", weight="w")
    with pytest.raises(ym.ConfigError, match="Unknown variable.*'r9'"):
        ym.Survey(d).with_replicates(["r1", "r9"], method="BRR", weight="w")


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (lambda r: r.where(r.index != 3), "'r2' has missing values"),
        (lambda r: r.where(r.index != 3, -1.0), "'r2' .*has 1 negative value.*-1 in row 3"),
        (lambda r: r.where(r.index != 3, np.inf), "'r2' .* infinite"),
        (lambda r: r * 0, "'r2' .* 0 or missing for every respondent"),
        (lambda r: r.round().astype("Int64").where(r.index != 3), "'r2' has missing values"),
        (lambda r: r.astype(str).where(r.index != 3, "twee"), "'r2' .*not numeric.*'twee'"),
    ],
)
def test_a_bad_replicate_column_is_named(bad, message):
    d = frame()
    d["r1"], d["r2"], d["r3"] = d.w * 2, bad(d.w * 0.5), d.w
    with pytest.raises(ym.DataError, match=message):
        ym.Survey(d).with_replicates(["r1", "r2", "r3"], method="BRR", weight="w")


def test_replicate_prefix_and_scales():
    d = frame()
    for i in range(4):
        d[f"rep_{i}"] = d.w * (1 + (i % 2))
    s = ym.Survey(d).with_replicates("rep_", method="bootstrap", weight="w")
    assert s.design.replicate_columns == ("rep_0", "rep_1", "rep_2", "rep_3")
    assert s.design.scale == pytest.approx(1 / 3)  # bootstrap: 1/(R-1)
    s = ym.Survey(d).with_replicates("rep_", method="Fay", rho=0.5, weight="w")
    assert s.design.scale == pytest.approx(1 / (4 * 0.25))  # Fay: 1/(R(1-rho)²)


def test_replicate_columns_of_one_block_are_used_in_place():
    # float columns side by side (as a loaded file holds them): the design reads them where they
    # are, no 2-D copy; an integer column among them is copied as floats. JK1 by hand: θ_r =
    # Σ r y / Σ r, var = (R − 1)/R Σ (θ_r − mean θ_r)²
    rng = np.random.default_rng(3)
    reps = pd.DataFrame(rng.uniform(0.5, 2, (50, 4)), columns=[f"r{i}" for i in range(4)])
    d = pd.concat([pd.DataFrame({"w": np.ones(50), "y": rng.normal(size=50)}), reps], axis=1)
    for col in (None, "r0"):
        if col:
            d[col] = (d[col] * 4).round().astype(int)
        s = ym.Survey(d).with_replicates("r", method="JK1", weight="w")
        assert np.shares_memory(s.design._rep, s.data["r2"].to_numpy()) == (col is None)
        theta = (d[reps.columns].T @ d.y) / d[reps.columns].sum()
        se = np.sqrt(3 / 4 * np.sum((theta - theta.mean()) ** 2))
        assert ym.mean(s, "y").loc[0, "se"] == pytest.approx(se, rel=1e-12)


@pytest.mark.parametrize("sort", [False, True])
def test_replicate_shares_by_group_of_many_rows_by_hand(sort):
    # 70,001 rows: several threads' runs of products, groups split between them, rows sorted by
    # group or not. Fay by hand (R's svrVar, mse=FALSE): θ_r = Σ_g r 1[k] / Σ_g r over those who
    # answered, var = 1/(R (1 − ρ)²) Σ_r (θ_r − mean θ_r)²; the estimate uses w.
    rng, n, R = np.random.default_rng(5), 70_001, 6
    d = pd.DataFrame(
        {"g": rng.choice(list("abcdefg"), n, p=[0.3, 0.3, 0.2, 0.1, 0.05, 0.049, 0.001])}
    )
    d["y"] = pd.Categorical(rng.choice(["ja", "nee", "soms", None], n, p=[0.4, 0.3, 0.2, 0.1]))
    d["w"] = rng.uniform(0.5, 3, n)
    for r in range(R):
        d[f"r{r}"] = d.w * np.where(rng.random(n) < 0.5, 1.5, 0.5)
    d = d.sort_values("g", kind="stable", ignore_index=True) if sort else d
    s = ym.Survey(d).with_replicates("r", method="Fay", rho=0.5, weight="w")
    res = ym.share(s, "y", by="g").set_index(["g", "category"])
    assert len(res) == 7 * 3
    reps = [f"r{r}" for r in range(R)]
    for (grp, cat), row in res.iterrows():
        inn = (d.g == grp) & d.y.notna()
        hit = (d.y[inn] == cat).to_numpy()
        theta = d.loc[inn, reps][hit].sum() / d.loc[inn, reps].sum()
        var = np.sum((theta - theta.mean()) ** 2) / (R * 0.5**2)
        assert row["estimate"] == pytest.approx(d.w[inn][hit].sum() / d.w[inn].sum(), rel=1e-12)
        assert row["se"] == pytest.approx(np.sqrt(var), rel=1e-10)


def test_brr_of_a_total_equals_the_taylor_variance():
    # With two PSUs per stratum and a fully balanced (Hadamard) set of half-samples the BRR
    # variance of a linear statistic is exactly Σ_h (t_h1 − t_h2)², the Taylor variance.
    s = ym.Survey(frame(24)).with_design(weight="w", strata="h", cluster="psu", nest=True)
    taylor = ym.total(s, "x").loc[0, "se"]
    brr = ym.total(s.to_replicates("BRR"), "x").loc[0, "se"]
    assert brr == pytest.approx(taylor, rel=1e-10)
    fay = ym.total(s.to_replicates("Fay", rho=0.3), "x").loc[0, "se"]
    assert fay == pytest.approx(taylor, rel=1e-10)


def test_brr_needs_two_psus_per_stratum():
    d = frame(12)
    d["psu"] = np.tile([1, 2, 3, 4], 3)
    d["h"] = np.repeat(["a", "b", "c"], 4)
    s = ym.Survey(d).with_design(weight="w", strata="h", cluster="psu", nest=True)
    with pytest.raises(ym.DataError, match="two PSUs"):
        s.to_replicates("BRR")


def test_jackknife_of_a_total_equals_the_taylor_variance():
    # JKn: deleting PSU j in stratum h changes the total by n_h/(n_h-1)(t̄_h - t_hj) ... whose
    # scaled squares add up to the Taylor estimator exactly for a linear statistic.
    s = ym.Survey(frame(24)).with_design(weight="w", strata="h", cluster="psu", nest=True)
    taylor = ym.total(s, "x").loc[0, "se"]
    assert ym.total(s.to_replicates("JKn"), "x").loc[0, "se"] == pytest.approx(taylor, rel=1e-10)


def test_jk1_of_a_census_has_zero_variance_as_r():
    # R: as.svrepdesign(svydesign(ids=~1, fpc=~fpc), type="JK1") with fpc = N gives scale 0
    # and svymean SE 0 (the whole population); JKn with every stratum complete is an error.
    d = frame(24).assign(N=24.0)
    r = ym.Survey(d).with_design(fpc="N").to_replicates("JK1")
    res = ym.mean(r, "x")
    assert res.loc[0, "estimate"] == pytest.approx(d.x.mean(), rel=1e-12)
    assert res.loc[0, "se"] == 0.0
    with pytest.raises(ym.DataError, match="no replicate"):
        ym.Survey(d.assign(N=8.0)).with_design(strata="h", fpc="N").to_replicates("JKn")


def test_bootstrap_is_reproducible_with_a_seed():
    s = ym.Survey(frame(24)).with_design(weight="w", strata="h")
    a = s.to_replicates("bootstrap", replicates=30, seed=1)
    b = s.to_replicates("bootstrap", replicates=30, seed=1)
    assert np.array_equal(a.design.replicates, b.design.replicates)
    assert a.design.replicates.shape == (24, 30)


def test_mse_centres_on_the_full_sample_estimate():
    d = frame()
    d["r1"], d["r2"], d["r3"] = d.w * 1.5, d.w * 0.5, d.w
    base = ym.Survey(d)
    plain = ym.mean(base.with_replicates(["r1", "r2", "r3"], method="other", weight="w"), "x")
    mse = ym.mean(
        base.with_replicates(["r1", "r2", "r3"], method="other", weight="w", mse=True), "x"
    )
    # Σ(θ_r − θ̂)² = Σ(θ_r − θ̄)² + R(θ̄ − θ̂)² ≥ Σ(θ_r − θ̄)²
    assert mse.loc[0, "se"] >= plain.loc[0, "se"]


# -- calibration --------------------------------------------------------------------------------
def test_margin_category_missing_from_the_data_is_a_data_error():
    s = ym.Survey(frame())
    with pytest.raises(ym.DataError, match="'d'.*no respondents"):
        ym.poststratify(s, "h", {"a": 10, "b": 10, "c": 10, "d": 5})
    with pytest.raises(ym.DataError, match="'c' of 'h'.*no population figure"):
        ym.rake(s, {"h": {"a": 10, "b": 10}})


def test_raking_margins_that_cannot_be_met_are_a_data_error():
    s = ym.Survey(frame())
    # the margins disagree about the total (100 vs 200): no weights satisfy both
    with pytest.raises(ym.DataError, match="different sizes"):
        ym.rake(s, {"h": {"a": 30, "b": 30, "c": 40}, "psu": {1: 100, 2: 100}})
    # every respondent of stratum a is in PSU 1 or 2 alike... make a empty of PSU 2 and ask
    # PSU 2 to hold more than b and c together: impossible, so no convergence
    d = frame()
    d.loc[d.h == "a", "psu"] = 1
    with pytest.raises(ym.DataError, match="did not converge"):
        ym.rake(
            ym.Survey(d), {"h": {"a": 80, "b": 10, "c": 10}, "psu": {1: 10, 2: 90}}, max_iter=30
        )


def test_raking_reaches_the_margins():
    s = ym.Survey(frame(24)).with_design(weight="w")
    r = ym.rake(s, {"h": {"a": 300, "b": 300, "c": 400}, "psu": {1: 600, 2: 400}})
    w = dz.weights(r)
    d = r.data
    assert w[d.h == "c"].sum() == pytest.approx(400, rel=1e-6)
    assert w[d.psu == 1].sum() == pytest.approx(600, rel=1e-6)
    assert "raked" in r.design.calibrated[-1]


def test_public_vcov_matches_the_estimators():
    # the engine the models module builds on: vcov(survey, influence)
    s = ym.Survey(frame(24)).with_design(weight="w", strata="h", cluster="psu", nest=True)
    d, w = s.data, s.design.weights
    m = np.sum(w * d.x) / w.sum()
    infl = (w * (d.x - m) / w.sum()).to_numpy()
    v = dz.vcov(s, infl[:, None])
    assert np.sqrt(v[0, 0]) == pytest.approx(ym.mean(s, "x").loc[0, "se"])
    assert dz.vcov(s, infl, full=False).shape == (1,)
    with pytest.raises(ym.ConfigError, match="replicate"):
        dz.vcov(s.to_replicates("JKn"), infl)


def test_poststratify_to_cross_classified_cells_and_codes():
    # cells (a, x), (a, y), (b, y) hold one respondent each: weights become the cell counts
    d = pd.DataFrame({"g1": ["a", "a", "b"], "g2": ["x", "y", "y"], "v": [1.0, 2.0, 3.0]})
    s = ym.poststratify(
        ym.Survey(d), ["g1", "g2"], {("a", "x"): 10, ("a", "y"): 20, ("b", "y"): 30}
    )
    assert dz.weights(s).tolist() == [10.0, 20.0, 30.0]
    assert "g1 × g2" in s.design.calibrated[-1]
    with pytest.raises(ym.ConfigError, match="tuples"):
        ym.poststratify(ym.Survey(d), ["g1", "g2"], {"a": 10})
    # population keyed by codes of a labelled variable
    cb = Codebook({"g": Variable("g", value_labels={1: "jong", 2: "oud"}), "v": Variable("v")})
    lab = pd.DataFrame(
        {"g": pd.Categorical(["jong", "oud", "oud"], ["jong", "oud"]), "v": [1.0, 2, 3]}
    )
    s = ym.poststratify(ym.Survey(lab, cb), "g", {1: 50, 2: 50})
    assert dz.weights(s).tolist() == [50.0, 25.0, 25.0]


def test_replicate_method_must_fit_the_design():
    strat = ym.Survey(frame(24)).with_design(weight="w", strata="h")
    with pytest.raises(ym.ConfigError, match="JK1.*JKn"):
        strat.to_replicates("JK1")
    with pytest.raises(ym.ConfigError, match="stratified"):
        ym.Survey(frame(24)).with_design(weight="w").to_replicates("JKn")
    assert strat.to_replicates().design.method == "JKn"  # "auto", as R
    assert ym.Survey(frame(24)).to_replicates().design.method == "JK1"


def test_bootstrap_variance_of_a_total_is_close_to_taylor():
    # R's bootweights: n_h PSUs drawn with replacement per stratum, scale n̄/((n̄-1)(R-1)):
    # unbiased for the with-replacement variance; with 4000 replicates within a few percent.
    s = ym.Survey(frame(24)).with_design(weight="w", strata="h")
    taylor = ym.total(s, "x").loc[0, "se"]
    boot = ym.total(s.to_replicates("bootstrap", replicates=4000, seed=11), "x").loc[0, "se"]
    assert boot == pytest.approx(taylor, rel=0.08)


def test_replicate_vcov_for_models():
    # R's svrVar: scale · Σ rscales (θ_r − θ̄)²; JK1 with 3 replicates → scale 2/3
    d = pd.DataFrame({"w": [1.0, 1, 1], "c": [1, 2, 3], "y": [1.0, 2, 6]})
    s = ym.Survey(d).with_design(weight="w", cluster="c").to_replicates("JK1")
    thetas = np.array([[4.0], [3.5], [1.5]])  # the mean without each PSU
    v = dz.replicate_vcov(s.design, thetas, np.array([3.0]))
    # θ̄ = 3; Σ(θ − θ̄)² = 1 + 0.25 + 2.25 = 3.5; × 2/3 = 7/3 (= the Taylor var(y)/n)
    assert v[0, 0] == pytest.approx(7 / 3)
    with ym.privacy.thresholds(min_n=0):  # three respondents: no suppression here
        assert ym.mean(s, "y").loc[0, "se"] == pytest.approx(np.sqrt(7 / 3))


def test_degf_of_a_subset_as_r_degf_of_subset():
    # strata 1: PSUs 1, 2; stratum 2: PSUs 3, 4, 5, but PSU 4's one row weighs 0 and R's
    # degf counts only rows with a weight (weights(design) != 0): 4 PSUs − 2 strata = 2
    d = pd.DataFrame(
        {
            "h": [1, 1, 1, 2, 2, 2],
            "psu": [1, 1, 2, 3, 4, 5],
            "w": [1.0, 1, 1, 1, 0, 1],
            "y": [1.0, 2, 3, 4, 5, 6],
        }
    )
    s = ym.Survey(d).with_design(weight="w", strata="h", cluster="psu")
    assert dz.degf(s) == 2.0
    # stratum 2 only: PSUs 3 and 5 (PSU 4's one row weighs 0) − 1 stratum = 1
    assert dz.degf(s, rows=(d["h"] == 2).to_numpy()) == 1.0
    # rows 0 and 3: PSUs 1 and 3 in two strata -> 0
    assert dz.degf(s, rows=np.array([True, False, False, True, False, False])) == 0.0
    # JK1 on three one-row PSUs: the replicate weights [[0, 1.5, 1.5], [1.5, 0, 1.5],
    # [1.5, 1.5, 0]] have rank 3 -> degf 2; rows 0 and 1 keep a rank-2 block -> 1
    r = (
        ym.Survey(pd.DataFrame({"w": [1.0, 1, 1], "c": [1, 2, 3]}))
        .with_design(weight="w", cluster="c")
        .to_replicates("JK1")
    )
    assert dz.degf(r) == 2.0 and dz.degf(r, rows=np.array([True, True, False])) == 1.0


def test_sums_over_chunks_of_rows_equal_one_pass(monkeypatch):
    # large files are summed _CHUNK rows at a time; every row must land in its own cell
    from youthmedia import variance

    d = frame(48).assign(g=lambda f: f.index % 3, r1=lambda f: f.w * 1.1, r2=lambda f: f.w * 0.9)
    d["r3"] = d["w"] * np.tile([0.5, 1.5], 24)
    taylor = ym.Survey(d).with_design(weight="w", strata="h", cluster="psu", nest=True)
    rep = ym.Survey(d).with_replicates(["r1", "r2", "r3"], method="bootstrap", weight="w")

    def run():
        return [
            f(s, v, by="g")[["estimate", "se"]].to_numpy()
            for s in (taylor, rep)
            for f, v in ((ym.share, "y"), (ym.mean, "x"))
        ]

    whole = run()
    monkeypatch.setattr(variance, "_CHUNK", 5)
    for a, b in zip(whole, run(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_replicate_degf_is_the_rank_of_the_weights_minus_one():
    """R: degf(svrepdesign) = qr(weights)$rank - 1. Ranks built by hand: 12 replicates made of
    4 distinct columns have rank 4; a replicate that differs from another on 3 of 40,000 rows
    only (rows the sampled rank check skips) still adds one to the rank."""
    rng = np.random.default_rng(5)
    base = rng.uniform(0.5, 2.0, (40_000, 4))
    d = pd.DataFrame(np.repeat(base, 3, axis=1), columns=[f"r{i}" for i in range(12)])
    d["w"] = 1.0
    cols = [f"r{i}" for i in range(12)]
    s = ym.Survey(d).with_replicates(cols, method="bootstrap", weight="w")
    assert s.design.degf == 4 - 1
    d.loc[[1, 20_001, 39_998], "r5"] += 1.0  # r5 is no copy of r3/r4 any more
    s = ym.Survey(d).with_replicates(cols, method="bootstrap", weight="w")
    assert s.design.degf == 5 - 1
    full = ym.Survey(pd.DataFrame(rng.uniform(0.5, 2, (500, 12)), columns=cols).assign(w=1.0))
    assert full.with_replicates(cols, method="bootstrap", weight="w").design.degf == 12 - 1
