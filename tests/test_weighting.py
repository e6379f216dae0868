"""calibrate, trim_weights and weights_summary against R's survey 4.1.1 (calibrate, trimWeights;
tests/reference/stats_reference.csv) and by hand; margins reproduced exactly (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_r_corners import made_data, r_value
from test_summaries import api, clus1, strat

import youthmedia as ym
from youthmedia import design as dz

# R: c(`(Intercept)` = 6194, stypeH = 755, stypeM = 1018, api99 = 3914069)
POP = {"stype": {"E": 6194 - 755 - 1018, "H": 755, "M": 1018}, "api99": 3914069}
CASES = {
    "linear": {},
    "linear_bounded": {"bounds": (0.45, 1.75)},
    "raking": {"calfun": "raking"},
    "logit": {"calfun": "logit", "bounds": (0.4, 2)},
}


def close(got, id_, quantity, term="", rel=1e-6):
    assert float(got) == pytest.approx(r_value(id_, quantity, term), rel=rel), (id_, quantity, term)


@pytest.mark.parametrize("name", list(CASES))
def test_calibrate_matches_r(name):
    s = ym.calibrate(clus1(), POP, **CASES[name])
    w = dz.weights(s)
    close(w.min(), f"clus1_cal_{name}_weights", "min")
    close(w.max(), f"clus1_cal_{name}_weights", "max")
    close(np.sum(w * w), f"clus1_cal_{name}_weights", "sum_sq")
    row = ym.mean(s, "api00").iloc[0]
    close(row["estimate"], f"clus1_cal_{name}_mean_api00", "estimate", "api00")
    close(row["se"], f"clus1_cal_{name}_mean_api00", "se", "api00")
    row = ym.total(s, "enroll").iloc[0]
    close(row["estimate"], f"clus1_cal_{name}_total_enroll", "estimate", "enroll")
    close(row["se"], f"clus1_cal_{name}_total_enroll", "se", "enroll")
    for _, row in ym.mean(s, "api00", by="stype").iterrows():
        g = str(row["stype"])
        close(row["estimate"], f"clus1_cal_{name}_by_stype_mean_api00", "estimate", g)
        close(row["se"], f"clus1_cal_{name}_by_stype_mean_api00", "se", g)


def test_calibrate_replicate_design_calibrates_each_replicate():
    s = ym.calibrate(clus1().to_replicates("JK1"), POP, calfun="raking")
    row = ym.mean(s, "api00").iloc[0]
    close(row["estimate"], "clus1_cal_jk1_raking_mean_api00", "estimate", "api00")
    close(row["se"], "clus1_cal_jk1_raking_mean_api00", "se", "api00")
    row = ym.total(s, "enroll").iloc[0]
    close(row["se"], "clus1_cal_jk1_raking_total_enroll", "se", "enroll")


def test_calibrate_numeric_margins_with_population_size():
    s = ym.Survey(made_data()).with_design(weight="w", strata="h", cluster="psu")
    s = ym.calibrate(s, {"(Intercept)": 600, "x": 300, "y": 4300}, calfun="raking")
    row = ym.mean(s, "yna").iloc[0]
    close(row["estimate"], "made_cal_raking_mean_yna", "estimate", "yna")
    close(row["se"], "made_cal_raking_mean_yna", "se", "yna")


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from("abc"), st.floats(0.5, 5), st.floats(0, 10)),
        min_size=15,
        max_size=40,
    ),
    st.sampled_from(["linear", "raking"]),
)
def test_calibrated_weights_reproduce_their_margins(rows, calfun):
    d = pd.DataFrame(rows, columns=["g", "w", "x"])
    d["g"] = pd.Categorical(d["g"])
    present = sorted(set(d["g"]))
    pop = {"g": {c: 100.0 + 10 * i for i, c in enumerate(present)}}
    pop["x"] = float(np.sum(list(pop["g"].values()))) * 4.0
    s = ym.Survey(d).with_design(weight="w")
    try:
        w = dz.weights(ym.calibrate(s, pop, calfun=calfun))
    except ym.DataError:  # raking may have no solution (e.g. x all 0 in the sample)
        return
    for c in present:
        assert w[(d["g"] == c).to_numpy()].sum() == pytest.approx(pop["g"][c], rel=1e-6)
    assert float(w @ d["x"]) == pytest.approx(pop["x"], rel=1e-6)


def test_calibrate_bad_input():
    with pytest.raises(ym.ConfigError, match="finite bounds"):
        ym.calibrate(clus1(), POP, calfun="logit")
    with pytest.raises(ym.ConfigError, match="calfun"):
        ym.calibrate(clus1(), POP, calfun="cubic")
    with pytest.raises(ym.DataError, match="no population figure"):
        ym.calibrate(clus1(), {"stype": {"E": 10, "H": 5}})
    with pytest.raises(ym.DataError, match="did not converge"):
        ym.calibrate(clus1(), POP, bounds=(0.9, 1.1))


def test_trim_weights_matches_r():
    for strict, id_ in ((False, "strat_trim"), (True, "strat_trim_strict")):
        s = ym.trim_weights(strat(), lower=20, upper=40, strict=strict)
        row = ym.mean(s, "api00").iloc[0]
        close(row["estimate"], f"{id_}_mean_api00", "estimate", "api00")
        close(row["se"], f"{id_}_mean_api00", "se", "api00")
        close(dz.weights(s).max(), f"{id_}_weights", "max")
    w = dz.weights(ym.trim_weights(strat(), lower=20, upper=40))
    close(np.sum(w * w), "strat_trim_weights", "sum_sq")
    assert w.sum() == pytest.approx(api("apistrat")["pw"].sum())


def test_weights_summary_by_hand():
    d = pd.DataFrame({"w": [1.0, 1.0, 2.0, 2.0, 10.0, 0.0]})
    r = ym.Survey(d).with_design(weight="w").weights_summary()
    # five weights above 0: Σw = 16, Σw² = 110, n_eff = 256/110; median 2, one above 3 × 2
    assert r["n"] == 5 and r["n_eff"] == pytest.approx(256 / 110)
    assert r["deff"] == pytest.approx(5 * 110 / 256)
    assert r["cv"] == pytest.approx(np.sqrt(110 / 5 - 3.2**2) / 3.2)
    assert r["deff"] == pytest.approx(1 + r["cv"] ** 2)
    assert (r["min"], r["max"], r["share_above_k_median"]) == (1.0, 10.0, 0.2)


def test_describe_shows_weighting_efficiency():
    from youthmedia import describe

    s = ym.Survey(pd.DataFrame({"w": [1.0, 1.0, 2.0, 2.0, 10.0]})).with_design(weight="w")
    text = " ".join(describe.render(s, lang="en").split())
    assert "effective n 2.33 of 5 (design effect 2.15)" in text
    assert "20.0% above 3× the median" in text


def test_rake_ignores_a_zero_weight_row_without_a_population_figure():
    # a weight-0 respondent outside every margin category is in no cell: the raked weights and
    # the mean are those of raking without it (by hand: it adds nothing to any cell sum)
    rng = np.random.default_rng(1)
    d = pd.DataFrame(
        {"a": rng.choice(["x", "y"], 60), "b": rng.choice(["p", "q"], 60)}
        | {"w": rng.uniform(1, 3, 60), "y": rng.normal(size=60)}
    )
    d.loc[59, ["a", "w"]] = ["z", 0.0]
    margins = {"a": {"x": 300, "y": 700}, "b": {"p": 500, "q": 500}}
    with_row = ym.rake(ym.Survey(d).with_design(weight="w"), margins)
    without = ym.rake(ym.Survey(d.iloc[:59]).with_design(weight="w"), margins)
    np.testing.assert_allclose(dz.weights(with_row)[:59], dz.weights(without), rtol=1e-12)
    got = ym.mean(with_row, "y").loc[0]
    assert got["estimate"] == pytest.approx(ym.mean(without, "y").loc[0, "estimate"], rel=1e-12)
    assert np.isfinite(got["se"]) and got["se"] > 0
