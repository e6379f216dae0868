"""Design-based regression against R's ``svyglm`` (api data) and by hand."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from youthmedia.codebook import Codebook, Variable
from youthmedia.errors import ConfigError, DataError
from youthmedia.models import glm
from youthmedia.survey import Survey

REF = Path(__file__).resolve().parent / "reference"


def _api(name: str) -> pd.DataFrame:
    path = REF / "api" / f"{name}.csv"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return pd.read_csv(path)


def _reference(row_id: str) -> pd.DataFrame:
    ref = pd.read_csv(REF / "survey_reference.csv", keep_default_na=False)
    rows = ref[ref["id"] == row_id]
    assert len(rows), row_id
    return rows


def _check_against(fit, row_id: str) -> int:
    table = fit.set_index("term")
    checked = 0
    for row in _reference(row_id).itertuples():
        col = {"estimate": "estimate", "se": "se"}[row.quantity]
        assert table.loc[row.term, col] == pytest.approx(row.value, rel=1e-6), (row.term, col)
        checked += 1
    return checked


# --------------------------------------------------------------------------------------------
# R references (every *_glm_* row)
# --------------------------------------------------------------------------------------------
def test_gaussian_matches_svyglm_stratified():
    pytest.importorskip("youthmedia.design", reason="the design module is not there yet")
    # svyglm(api00 ~ ell + meals + mobility, design = dstrat)
    s = Survey(_api("apistrat")).with_design(weight="pw", strata="stype")
    fit = glm(s, "api00 ~ ell + meals + mobility")
    assert _check_against(fit, "strat_glm_gaussian") == 8
    # svyglm's residual df: degf(dstrat) = 200 − 3 strata = 197, + 1 − 4 coefficients = 194
    assert (fit["df"] == 194).all()
    t = fit["estimate"] / fit["se"]
    assert np.allclose(fit["p"], 2 * stats.t.sf(np.abs(t), 194))


def test_logistic_matches_svyglm_clustered():
    pytest.importorskip("youthmedia.design", reason="the design module is not there yet")
    # svyglm(I(sch.wide == 'Yes') ~ ell + meals, design = dclus1, family = quasibinomial())
    s = Survey(_api("apiclus1")).with_design(weight="pw", cluster="dnum")
    fit = glm(s, "I(sch.wide == 'Yes') ~ ell + meals", family="binomial")
    assert _check_against(fit, "clus1_glm_logit") == 6
    # 15 districts − 1 = 14 design df, + 1 − 3 coefficients = 12
    assert (fit["df"] == 12).all()
    assert np.allclose(fit["odds_ratio"], np.exp(fit["estimate"]))
    assert np.allclose(fit["or_ci_low"], np.exp(fit["ci_low"]))


def test_labelled_outcome_and_formula_with_dotted_names():
    pytest.importorskip("youthmedia.design", reason="the design module is not there yet")
    # the same model, with sch.wide a labelled Categorical (No < Yes: Yes counts as 1, as in R)
    data = _api("apiclus1")
    data["sch.wide"] = pd.Categorical(data["sch.wide"], categories=["No", "Yes"], ordered=True)
    s = Survey(data).with_design(weight="pw", cluster="dnum")
    fit = glm(s, "sch.wide ~ ell + meals", family="binomial")
    _check_against(fit, "clus1_glm_logit")


# --------------------------------------------------------------------------------------------
# By hand
# --------------------------------------------------------------------------------------------
def test_unweighted_ols_and_its_sandwich_by_hand():
    # x = 0..3, y = (1, 2, 2.5, 4): x̄ = 1.5, ȳ = 2.375, Sxx = 5, Sxy = 4.75
    # slope 0.95, intercept 2.375 − 1.5 · 0.95 = 0.95; residuals (.05, .1, −.35, .2)
    # slope influence (x − x̄)·e/Sxx = (−.015, −.01, −.035, .06); variance as svyglm without a
    # design: n/(n − 1) Σ infl² = 4/3 · 0.00515; df = (4 − 1) + 1 − 2 = 2
    s = Survey(pd.DataFrame({"y": [1.0, 2.0, 2.5, 4.0], "x": [0.0, 1.0, 2.0, 3.0]}))
    fit = glm(s, "y ~ x").set_index("term")
    assert fit.loc["x", "estimate"] == pytest.approx(0.95, rel=1e-12)
    assert fit.loc["(Intercept)", "estimate"] == pytest.approx(0.95, rel=1e-12)
    assert fit.loc["x", "se"] == pytest.approx(math.sqrt(4 / 3 * 0.00515), rel=1e-12)
    assert fit.loc["x", "df"] == 2
    half = stats.t.ppf(0.975, 2) * math.sqrt(4 / 3 * 0.00515)
    assert fit.loc["x", "ci_low"] == pytest.approx(0.95 - half, rel=1e-12)


def test_categorical_predictor_treatment_coding_and_labels():
    # two groups, y = 1, 3 (jongen) and 6, 8 (meisje): intercept = mean of jongen = 2,
    # meisje effect = 7 − 2 = 5
    labels = {1: "jongen", 2: "meisje"}
    data = pd.DataFrame({
        "y": [1.0, 3.0, 6.0, 8.0],
        "gender": pd.Categorical(["jongen", "jongen", "meisje", "meisje"],
                                 categories=["jongen", "meisje"], ordered=True),
    })
    cb = Codebook({"y": Variable("y", label="Score"),
                   "gender": Variable("gender", label="Geslacht", value_labels=labels,
                                      translations={"en": {"label": "Gender",
                                                          "values": {1: "boy", 2: "girl"}}})})
    fit = glm(Survey(data, cb), "y ~ gender")
    assert list(fit["estimate"]) == pytest.approx([2.0, 5.0])
    row = fit[fit["variable"] == "gender"].iloc[0]
    assert row["category"] == "meisje"
    assert row["label"] == "Geslacht: meisje (t.o.v. jongen)"
    assert fit.meta["kind"] == "glm" and fit.meta["model"]["n"] == 4
    english = glm(Survey(data, cb), "y ~ gender", lang="en")
    assert list(english["label"]) == ["Intercept", "Gender: girl (vs boy)"]


def test_missing_rows_are_left_out_and_counted():
    data = pd.DataFrame({"y": [1.0, 2.0, 2.5, 4.0, np.nan], "x": [0.0, 1.0, 2.0, 3.0, 1.0]})
    fit = glm(Survey(data), "y ~ x")
    assert fit.meta["model"]["dropped"] == 1 and (fit["n"] == 4).all()
    assert fit.set_index("term").loc["x", "estimate"] == pytest.approx(0.95)


def test_bad_models_are_clear_errors():
    s = Survey(pd.DataFrame({"y": [0.0, 2.0, 1.0], "x": [1.0, 2.0, 3.0], "z": [2.0, 4.0, 6.0]}))
    with pytest.raises(ConfigError, match="family"):
        glm(s, "y ~ x", family="poisson")
    with pytest.raises(DataError, match="outside 0–1"):
        glm(s, "y ~ x", family="binomial")
    with pytest.raises(DataError, match="collinear"):
        glm(s, "y ~ x + z")
    with pytest.raises(ConfigError, match="Cannot use formula"):
        glm(s, "y ~ nothere")
    with pytest.raises(ConfigError, match="outcome and predictors"):
        glm(s, "y x")
