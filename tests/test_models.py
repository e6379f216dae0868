"""Design-based regression against R's ``svyglm`` (api data) and by hand."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from youthmedia.codebook import Codebook, Variable
from youthmedia.errors import ConfigError, DataError
from youthmedia.models import glm
from youthmedia.models import ordinal as ym_ordinal
from youthmedia.result import Result
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
    # svyglm(api00 ~ ell + meals + mobility, design = dstrat)
    s = Survey(_api("apistrat")).with_design(weight="pw", strata="stype")
    fit = glm(s, "api00 ~ ell + meals + mobility")
    assert _check_against(fit, "strat_glm_gaussian") == 8
    # svyglm's residual df: degf(dstrat) = 200 − 3 strata = 197, + 1 − 4 coefficients = 194
    assert (fit["df"] == 194).all()
    t = fit["estimate"] / fit["se"]
    assert np.allclose(fit["p"], 2 * stats.t.sf(np.abs(t), 194))


def test_logistic_matches_svyglm_clustered():
    # svyglm(I(sch.wide == 'Yes') ~ ell + meals, design = dclus1, family = quasibinomial())
    s = Survey(_api("apiclus1")).with_design(weight="pw", cluster="dnum")
    fit = glm(s, "I(sch.wide == 'Yes') ~ ell + meals", family="binomial")
    assert _check_against(fit, "clus1_glm_logit") == 6
    # 15 districts − 1 = 14 design df, + 1 − 3 coefficients = 12
    assert (fit["df"] == 12).all()
    assert np.allclose(fit["odds_ratio"], np.exp(fit["estimate"]))
    assert np.allclose(fit["or_ci_low"], np.exp(fit["ci_low"]))


def test_labelled_outcome_and_formula_with_dotted_names():
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
    data = pd.DataFrame(
        {
            "y": [1.0, 3.0, 6.0, 8.0],
            "gender": pd.Categorical(
                ["jongen", "jongen", "meisje", "meisje"],
                categories=["jongen", "meisje"],
                ordered=True,
            ),
        }
    )
    cb = Codebook(
        {
            "y": Variable("y", label="Score"),
            "gender": Variable(
                "gender",
                label="Geslacht",
                value_labels=labels,
                translations={"en": {"label": "Gender", "values": {1: "boy", 2: "girl"}}},
            ),
        }
    )
    fit = glm(Survey(data, cb), "y ~ gender")
    assert list(fit["estimate"]) == pytest.approx([2.0, 5.0])
    row = fit[fit["variable"] == "gender"].iloc[0]
    assert row["category"] == "meisje"
    assert row["label"] == "Geslacht: meisje (t.o.v. jongen)"
    assert fit.meta.kind == "glm" and fit.meta.model["n"] == 4
    english = glm(Survey(data, cb), "y ~ gender", lang="en")
    assert list(english["label"]) == ["Intercept", "Gender: girl (vs boy)"]


def test_missing_rows_are_left_out_and_counted():
    data = pd.DataFrame({"y": [1.0, 2.0, 2.5, 4.0, np.nan], "x": [0.0, 1.0, 2.0, 3.0, 1.0]})
    fit = glm(Survey(data), "y ~ x")
    assert fit.meta.model["dropped"] == 1 and (fit["n"] == 4).all()
    assert fit.set_index("term").loc["x", "estimate"] == pytest.approx(0.95)
    # an expression of a missing value is missing too (R's model.frame), not False
    data = data.assign(y=[0.0, 1.0, 0.0, 1.0, np.nan], z=[1.0, 2.0, 3.0, 4.0, 5.0])
    fit = glm(Survey(data), "I(y >= 1) ~ z", family="binomial")
    assert fit.meta.model["dropped"] == 1 and (fit["n"] == 4).all()


def test_bad_models_are_clear_errors():
    s = Survey(pd.DataFrame({"y": [0.0, 2.0, 1.0], "x": [1.0, 2.0, 3.0], "z": [2.0, 4.0, 6.0]}))
    with pytest.raises(ConfigError, match="family"):
        glm(s, "y ~ x", family="gamma")
    with pytest.raises(DataError, match="negative values"):
        glm(s.replace(data=s.data.assign(y=[-1.0, 2.0, 1.0])), "y ~ x", family="poisson")
    with pytest.raises(ConfigError, match="3 or more"):
        ym_ordinal(s.replace(data=s.data.assign(y=[1.0, 2.0, 1.0])), "y ~ x")
    with pytest.raises(DataError, match="outside 0–1"):
        glm(s, "y ~ x", family="binomial")
    with pytest.raises(DataError, match="collinear"):
        glm(s, "y ~ x + z")
    with pytest.raises(ConfigError, match="Cannot use formula"):
        glm(s, "y ~ nothere")
    with pytest.raises(ConfigError, match="outcome and predictors"):
        glm(s, "y x")
    # x <= 2: always 0, x >= 3: always 1 -> no finite maximum-likelihood slope
    separated = Survey(pd.DataFrame({"y": [0, 0, 0, 1, 1, 1], "x": [1.0, 2, 2, 3, 4, 5]}))
    with pytest.raises(DataError, match="separates the outcome perfectly"):
        glm(separated, "y ~ x", family="binomial")
    # quasi-complete: x = 2 holds both answers; still no finite slope
    quasi = Survey(pd.DataFrame({"y": [0, 0, 1, 0, 1, 1], "x": [1.0, 2, 2, 2, 4, 5]}))
    with pytest.raises(DataError, match="separates the outcome perfectly"):
        glm(quasi, "y ~ x", family="binomial")


# --------------------------------------------------------------------------------------------
# An intercept-only model is the weighted mean: R's svymean references, under every design
# --------------------------------------------------------------------------------------------
def _one(row_id: str, quantity: str, term: str) -> float:
    rows = _reference(row_id)
    hit = rows[(rows["quantity"] == quantity) & (rows["term"] == term)]
    assert len(hit) == 1
    return float(hit["value"].iloc[0])


@pytest.mark.parametrize(
    ("row_id", "data", "design"),
    [
        ("strat_mean_api00", "apistrat", {"weight": "pw", "strata": "stype"}),
        ("stratfpc_mean_api00", "apistrat", {"weight": "pw", "strata": "stype", "fpc": "fpc"}),
        ("clus2_mean_api00", "apiclus2", {"weight": "pw", "cluster": ["dnum", "snum"]}),
    ],
)
def test_intercept_only_is_svymean(row_id, data, design):
    s = Survey(_api(data)).with_design(**design)
    fit = glm(s, "api00 ~ 1").set_index("term").loc["(Intercept)"]
    assert fit["estimate"] == pytest.approx(_one(row_id, "estimate", "api00"), rel=1e-6)
    assert fit["se"] == pytest.approx(_one(row_id, "se", "api00"), rel=1e-6)


@pytest.mark.parametrize(
    ("row_id", "data", "prefix", "options"),
    [
        ("clus1_jk1_mean_api00", "apiclus1_jk1_weights", "jk1_", {"method": "JK1"}),
        ("strat_fay_mean_api00", "apistrat_fay_weights", "fay_", {"method": "Fay", "rho": 0.5}),
        (
            "strat_fay_mse_mean_api00",
            "apistrat_fay_weights",
            "fay_",
            {"method": "Fay", "rho": 0.5, "mse": True},
        ),
    ],
)
def test_intercept_only_with_replicate_weights(row_id, data, prefix, options):
    s = Survey(_api(data)).with_replicates(prefix, weight="pw", **options)
    fit = glm(s, "api00 ~ 1").set_index("term").loc["(Intercept)"]
    assert fit["estimate"] == pytest.approx(_one(row_id, "estimate", "api00"), rel=1e-6)
    assert fit["se"] == pytest.approx(_one(row_id, "se", "api00"), rel=1e-6)


def test_logistic_intercept_only_is_the_logit_of_the_share():
    # svymean(~awards, dstrat): p = share "Yes"; the intercept is logit(p) and, by the delta
    # method (exact for the linearised variance), its SE is se(p) / (p (1 − p))
    p = _one("strat_share_awards", "estimate", "awardsYes")
    se_p = _one("strat_share_awards", "se", "awardsYes")
    s = Survey(_api("apistrat")).with_design(weight="pw", strata="stype")
    fit = glm(s, "I(awards == 'Yes') ~ 1", family="binomial").iloc[0]
    assert fit["estimate"] == pytest.approx(math.log(p / (1 - p)), rel=1e-6)
    assert fit["se"] == pytest.approx(se_p / (p * (1 - p)), rel=1e-6)
    assert fit["odds_ratio"] == pytest.approx(p / (1 - p), rel=1e-6)


# --------------------------------------------------------------------------------------------
# compare
# --------------------------------------------------------------------------------------------
def _two_groups(yes_girls: int, yes_boys: int) -> Survey:
    """Ten girls and ten boys, unweighted; ``yes_*`` of each answered "ja"."""
    answers = (
        ["ja"] * yes_girls
        + ["nee"] * (10 - yes_girls)
        + ["ja"] * yes_boys
        + ["nee"] * (10 - yes_boys)
    )
    data = pd.DataFrame(
        {
            "problem": pd.Categorical(answers, categories=["nee", "ja"], ordered=True),
            "gender": pd.Categorical(
                ["meisje"] * 10 + ["jongen"] * 10, categories=["jongen", "meisje"], ordered=True
            ),
        }
    )
    cb = Codebook(
        {
            "problem": Variable(
                "problem", label="Problematisch gebruik", value_labels={0: "nee", 1: "ja"}
            ),
            "gender": Variable(
                "gender",
                label="Geslacht",
                value_labels={1: "jongen", 2: "meisje"},
                translations={"en": {"label": "Gender", "values": {1: "boy", 2: "girl"}}},
            ),
        }
    )
    return Survey(data, cb)


NAMES_NL = {"meisje": "meisjes", "jongen": "jongens"}
NAMES_EN = {"meisje": "girls", "jongen": "boys"}


def test_compare_clear_difference_by_hand_in_both_languages():
    from youthmedia.summaries import compare

    # girls 8/10, boys 2/10: d = 0.6. Each row is a PSU (n = 20, df = 19). Influence of a group
    # share: (y − p)/10 in the group; Σ² = (8·0.04 + 2·0.64)/100 = 0.016 for each group, no
    # covariance; var(d) = 20/19 · 0.032, se = 0.183533; t(0.975, 19) = 2.093 (table):
    # CI 0.6 ± 0.3841 = (0.216, 0.984) -> "22 tot 98" percentage points
    s = _two_groups(8, 2)
    nl = compare(
        s,
        "problem",
        "gender",
        groups=("meisje", "jongen"),
        names=NAMES_NL,
        what="problematisch gebruik",
    )
    diff = nl.iloc[2]
    assert diff["estimate"] == pytest.approx(0.6)
    assert diff["se"] == pytest.approx(math.sqrt(20 / 19 * 0.032), rel=1e-12)
    assert diff["df"] == 19
    assert diff["ci_low"] == pytest.approx(0.6 - 2.093024 * math.sqrt(20 / 19 * 0.032), abs=1e-6)
    assert nl.test["clear"] and nl.test["p"] < 0.05
    assert nl.meta.sentence == (
        "Problematisch gebruik komt vaker voor bij meisjes (80%) dan bij jongens (20%): "
        "60 procentpunt meer (95%-BI 22 tot 98). "
        "Dit is een samenhang, geen bewijs van oorzaak en gevolg."
    )
    en = compare(
        s,
        "problem",
        "gender",
        groups=("meisje", "jongen"),
        lang="en",
        names=NAMES_EN,
        what="problematic use",
    )
    assert en.meta.sentence == (
        "Problematic use is more common among girls (80%) than among boys (20%): "
        "60 percentage points more (95% CI 22 to 98). "
        "This is an association, not evidence of cause and effect."
    )
    # reversed order: the same difference, told the other way round
    rev = compare(
        s,
        "problem",
        "gender",
        groups=("jongen", "meisje"),
        lang="en",
        names=NAMES_EN,
        what="problematic use",
    )
    assert rev.meta.sentence.startswith(
        "Problematic use is less common among boys (20%) than among girls (80%): "
        "60 percentage points fewer (95% CI 22 to 98)."
    )


def test_compare_unclear_difference_by_hand_in_both_languages():
    from youthmedia.summaries import compare

    # girls 5/10, boys 4/10: d = 0.1; Σ² = 10·0.25/100 = 0.025 and (4·0.36 + 6·0.16)/100 = 0.024;
    # var(d) = 20/19 · 0.049, se = 0.22711; CI 0.1 ± 2.093024 · 0.22711 = (−0.375, 0.575)
    s = _two_groups(5, 4)
    nl = compare(
        s,
        "problem",
        "gender",
        groups=("meisje", "jongen"),
        names=NAMES_NL,
        what="problematisch gebruik",
    )
    assert nl.iloc[2]["se"] == pytest.approx(math.sqrt(20 / 19 * 0.049), rel=1e-12)
    assert not nl.test["clear"]
    assert nl.meta.sentence == (
        "Er is geen duidelijk verschil in problematisch gebruik tussen meisjes (50%) en jongens "
        "(40%): het verschil van 10 procentpunt (95%-BI −38 tot 58) kan ook op toeval berusten."
    )
    assert nl.meta.sentences["en"] == (
        "There is no clear difference in problematisch gebruik between meisjes (50%) and jongens "
        "(40%): the difference of 10 percentage points (95% CI −38 to 58) could be due to chance."
    )
    en = compare(s, "problem", "gender", groups=("meisje", "jongen"), lang="en")
    # default names: the (translated) group labels and, as the counted category is a bare
    # "ja", the variable label, quoted
    assert en.meta.sentence.startswith(
        "There is no clear difference in ‘Problematisch gebruik’ between ‘girl’ (50%) and "
        "‘boy’ (40%)"
    )
    for text in (nl.meta.sentence, en.meta.sentence):
        assert "oorzaak" not in text and "cause" not in text


def test_compare_groups_match_svyby():
    from youthmedia.summaries import compare

    # svyby(~api00, ~stype, dclus1, svymean): E and H
    s = Survey(_api("apiclus1")).with_design(weight="pw", cluster="dnum")
    out = compare(s, "api00", "stype", groups=("E", "H"), lang="en")
    for j, g in enumerate(("E", "H")):
        assert out.iloc[j]["estimate"] == pytest.approx(
            _one("clus1_by_stype_mean_api00", "estimate", g), rel=1e-6
        )
        assert out.iloc[j]["se"] == pytest.approx(
            _one("clus1_by_stype_mean_api00", "se", g), rel=1e-6
        )
    assert out.meta.measure == "mean" and out.iloc[2]["df"] == 14
    assert out.meta.sentence.startswith("There is no clear difference in")
    # svyby(~sch.wide, ~awards, dstrat, svymean): share "Yes" among schools without awards
    s = Survey(_api("apistrat")).with_design(weight="pw", strata="stype")
    data = s.data.copy()
    data["sch.wide"] = pd.Categorical(data["sch.wide"], categories=["No", "Yes"])
    s = s.replace(data=data)
    out = compare(s, "sch.wide", "awards", groups=("Yes", "No"))
    assert out.iloc[1]["estimate"] == pytest.approx(
        _one("strat_by_awards_share_sch.wide", "estimate", "No:sch.wideYes"), rel=1e-6
    )
    assert out.iloc[1]["se"] == pytest.approx(
        _one("strat_by_awards_share_sch.wide", "se", "No:sch.wideYes"), rel=1e-6
    )
    assert out.iloc[0]["estimate"] == 1.0 and out.iloc[0]["se"] == 0.0


def test_compare_states_a_published_definition_and_refuses_vague_requests():
    from youthmedia.scales import smds
    from youthmedia.summaries import compare

    rows = {f"smds_{i}": [1] * 6 + [0] * 6 for i in range(1, 10)}
    rows["gender"] = ["meisje"] * 3 + ["jongen"] * 3 + ["meisje"] * 3 + ["jongen"] * 3
    scored = smds(Survey(pd.DataFrame(rows)))
    out = compare(scored, "smds_problematic", "gender", groups=("meisje", "jongen"), lang="en")
    notes = [note["en"] for note in out.meta.notes]
    assert any("at least 6 of the 9" in note and "HBSC" in note for note in notes)
    assert any("ja op minstens 6" in note["nl"] for note in out.meta.notes)
    three = Survey(pd.DataFrame({"y": [1, 0, 1], "g": ["a", "b", "c"]}))
    with pytest.raises(ConfigError, match="name the two"):
        compare(three, "y", "g")
    with pytest.raises(ConfigError, match="not a group"):
        compare(three, "y", "g", groups=("a", "z"))


# --------------------------------------------------------------------------------------------
# Coefficient plot
# --------------------------------------------------------------------------------------------
def _logit_result() -> Result:
    # odds ratios 2.0 [1.5; 2.7] (clear: the interval lies above 1) and 0.9 [0.7; 1.1] (not)
    rows = [
        {
            "term": "(Intercept)",
            "label": "Constante",
            "estimate": -2.0,
            "ci_low": -2.5,
            "ci_high": -1.5,
        },
        {
            "term": "gender[T.meisje]",
            "label": "Geslacht: meisje (t.o.v. jongen)",
            "estimate": math.log(2.0),
            "ci_low": math.log(1.5),
            "ci_high": math.log(2.7),
        },
        {
            "term": "age",
            "label": "Leeftijd",
            "estimate": math.log(0.9),
            "ci_low": math.log(0.7),
            "ci_high": math.log(1.1),
        },
    ]
    return Result.from_rows(
        rows,
        kind="glm",
        model={"family": "binomial", "outcome": "smds"},
        labels={"nl": {"smds": "problematisch gebruik", "gender": "Geslacht", "age": "Leeftijd"}},
        term_variables={"gender[T.meisje]": "gender", "age": "age"},
        source={"name": "Toets", "year": "2024"},
        n_total=500,
        weighted=True,
    )


def test_coefplot_draws_odds_ratios_and_names_only_clear_terms():
    from matplotlib.colors import to_hex

    from youthmedia.figures.coefplot import coefplot
    from youthmedia.figures.theme import Theme

    theme = Theme.light()
    fig = coefplot(_logit_result(), lang="nl")
    assert [round(float(v), 3) for v in fig.get_size_inches()] == [13.333, 7.5]
    assert fig.slide.headline == "Problematisch gebruik: duidelijke samenhang met geslacht"
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    # the reference line at OR = 1, one interval line and one dot per term (constant left out)
    vlines = [
        ln for ln in ax.lines if len(set(ln.get_xdata())) == 1 and list(ln.get_xdata())[0] == 1
    ]
    assert vlines
    intervals = {
        round(float(ln.get_xdata()[0]), 6): to_hex(ln.get_color())
        for ln in ax.lines
        if len(ln.get_xdata()) == 2 and ln.get_xdata()[0] != ln.get_xdata()[1]
    }
    assert intervals == {1.5: to_hex(theme.primary), 0.7: to_hex(theme.missing)}
    assert "2,00 (95%-BI 1,50 tot 2,70)" in fig.slide.alt_text
    assert fig.slide.source == "Bron: Toets 2024; n = 500; gewogen"


def test_coefplot_from_glm_in_english_and_refusals():
    from youthmedia.figures.coefplot import coefplot

    s = Survey(pd.DataFrame({"y": [1.0, 2.0, 2.5, 4.0, 3.0, 5.0], "x": [0.0, 1, 2, 3, 2, 4]}))
    fig = coefplot(glm(s, "y ~ x"), lang="en", theme="dark")
    assert fig.axes[0].get_xscale() == "linear"
    assert fig.slide.subtitle.startswith("Coefficients with 95% confidence intervals")
    with pytest.raises(ConfigError, match="logistic"):
        coefplot(glm(s, "y ~ x"), odds_ratios=True)
    with pytest.raises(ConfigError, match="not one"):
        coefplot(Result.from_rows([{"variable": "x", "estimate": 1.0}], kind="share"))
    with pytest.raises(ConfigError, match="only a constant"):
        coefplot(glm(s, "y ~ 1"))


# --------------------------------------------------------------------------------------------
# svyglm (quasipoisson, replicate designs) and svyolr: tests/reference/make_models_reference.R
# --------------------------------------------------------------------------------------------
def _models_reference(row_id: str) -> pd.DataFrame:
    ref = pd.read_csv(REF / "models_reference.csv", keep_default_na=False)
    rows = ref[ref["id"] == row_id]
    assert len(rows), row_id
    return rows


def _with_columns(base: str, extra: str, prefix: str) -> pd.DataFrame:
    """The api data with the replicate weights the R script read (same rows, same order)."""
    data, reps = _api(base), _api(extra)
    assert (data["cds"].astype(str) == reps["cds"].astype(str)).all()
    return pd.concat([data, reps[[c for c in reps.columns if c.startswith(prefix)]]], axis=1)


def _band(data: pd.DataFrame) -> pd.DataFrame:
    # R: cut(api00, c(-Inf, 600, 700, 800, Inf)) — intervals closed on the right
    band = pd.cut(
        data["api00"],
        [-np.inf, 600, 700, 800, np.inf],
        labels=["low", "mid", "high", "top"],
        right=True,
    )
    return data.assign(
        band=pd.Categorical(band, categories=["low", "mid", "high", "top"], ordered=True)
    )


def _corners() -> pd.DataFrame:
    data = pd.read_csv(REF / "models_corners.csv")
    data["answer"] = pd.Categorical(
        data["answer"], ordered=True, categories=["never", "sometimes", "often", "always"]
    )
    return data


def _design(name: str) -> Survey:
    if name == "strat":
        return Survey(_band(_api("apistrat"))).with_design(weight="pw", strata="stype")
    if name == "clus1":
        return Survey(_band(_api("apiclus1"))).with_design(weight="pw", cluster="dnum")
    if name == "jk1":
        data = _band(_with_columns("apiclus1", "apiclus1_jk1_weights", "jk1_"))
        return Survey(data).with_replicates("jk1_", weight="pw", method="JK1")
    if name == "fay":
        data = _with_columns("apistrat", "apistrat_fay_weights", "fay_")
        return Survey(data).with_replicates("fay_", weight="pw", method="Fay", rho=0.5)
    if name == "boot":
        data = _with_columns("apistrat", "apistrat_boot_weights", "bs_")
        return Survey(data).with_replicates("bs_", weight="pw", method="bootstrap")
    if name == "corner":
        return Survey(_corners()).with_design(weight="wgt", strata="stratum", cluster="psu")
    return Survey(_corners()).with_replicates("bs_", weight="wgt", method="bootstrap")


def _r_term(term: str) -> str:
    """patsy's ``stype[T.H]`` as R's ``stypeH``."""
    return re.sub(r"^(.*)\[T\.(.*)\]$", r"\1\2", term)


def _check_models(fit: Result, row_id: str, rel: float = 1e-6) -> int:
    table = fit.assign(term=[_r_term(t) for t in fit["term"]]).set_index("term")
    checked = 0
    for row in _models_reference(row_id).itertuples():
        if row.quantity in ("estimate", "se"):
            got = table.loc[row.term, row.quantity]
        elif row.quantity in ("dispersion", "iterations", "df_residual"):
            got = fit.meta.model[row.quantity]
        else:
            continue
        assert got == pytest.approx(float(row.value), rel=rel), (row_id, row.term, row.quantity)
        checked += 1
    return checked


GLM_CASES = [
    ("strat_glm_poisson", "strat", "api.stu ~ ell + meals + stype", "poisson"),
    ("clus1_glm_poisson", "clus1", "enroll ~ ell + meals", "poisson"),
    ("jk1_glm_gaussian", "jk1", "api00 ~ ell + meals + mobility", "gaussian"),
    ("jk1_glm_logit", "jk1", "I(sch.wide == 'Yes') ~ ell + meals", "binomial"),
    ("fay_glm_logit", "fay", "I(sch.wide == 'Yes') ~ api00", "binomial"),
    ("boot_glm_poisson", "boot", "api00 ~ stype", "poisson"),
    ("boot_glm_logit", "boot", "I(sch.wide == 'Yes') ~ api00", "binomial"),
    # near-separation (a slope of 11.7 on a standard normal x; 9 IRLS iterations in R), under
    # strata and clusters and with bootstrap replicates refitted to R's stopping point
    ("corner_near_logit", "corner", "near ~ x", "binomial"),
    ("corner_near_boot_logit", "corner_boot", "near ~ x", "binomial"),
    ("corner_poisson", "corner", "count ~ x + group", "poisson"),
    ("corner_boot_poisson", "corner_boot", "count ~ x + group", "poisson"),
]


@pytest.mark.parametrize(("row_id", "design", "formula", "family"), GLM_CASES)
def test_glm_matches_svyglm(row_id, design, formula, family):
    fit = glm(_design(design), formula, family=family)
    # every coefficient and SE, the dispersion summary.svyglm reports and the residual df
    assert _check_models(fit, row_id) >= 6
    if family == "poisson":
        assert np.allclose(fit["rate_ratio"], np.exp(fit["estimate"]))


# svyolr.svyrep.design passes control= to the full-sample polr only: its replicate refits stop
# where BFGS's default (reltol 1e-8) stops them, which moves R's replicate SEs by up to ~2e-5
# (relative) from the SEs of refits run to their maxima, as here.
OLR_CASES = [
    ("strat_olr", "strat", "band ~ ell + meals", 1e-6),
    ("clus1_olr", "clus1", "band ~ ell + meals + stype", 1e-6),
    ("jk1_olr", "jk1", "band ~ ell + meals", 1e-4),
    ("corner_olr", "corner", "answer ~ x + group", 1e-6),
    ("corner_boot_olr", "corner_boot", "answer ~ x + group", 1e-4),
]


@pytest.mark.parametrize(("row_id", "design", "formula", "rel"), OLR_CASES)
def test_ordinal_matches_svyolr(row_id, design, formula, rel):
    fit = ym_ordinal(_design(design), formula)
    # R run to the maximum (optim reltol 1e-15): coefficients, cut-points and SEs
    assert _check_models(fit, row_id + "_max", rel=rel) >= 10
    estimates = _models_reference(row_id + "_max").query("quantity == 'estimate'")
    table = fit.assign(term=[_r_term(t) for t in fit["term"]]).set_index("term")
    assert np.allclose(
        table.loc[estimates["term"], "estimate"],
        estimates["value"].astype(float),
        rtol=1e-6,
        atol=0,
    )
    # R's default call stops BFGS early: within 1% of a standard error of the maximum
    table = fit.assign(term=[_r_term(t) for t in fit["term"]]).set_index("term")
    for row in _models_reference(row_id).itertuples():
        if row.quantity == "estimate":
            assert (
                abs(table.loc[row.term, "estimate"] - float(row.value))
                < 0.01 * table.loc[row.term, "se"]
            ), row.term
    assert fit.meta.model["cut_points"][0] in set(fit["term"])
    coef = fit[~fit["term"].isin(fit.meta.model["cut_points"])]
    assert np.allclose(coef["odds_ratio"], np.exp(coef["estimate"]))


def test_ordinal_labelled_outcome_coefplot_and_refusals():
    from youthmedia.figures import coefplot

    fit = ym_ordinal(_design("corner"), "answer ~ x + group", lang="en")
    assert fit.meta.model["cut_points"] == ["never|sometimes", "sometimes|often", "often|always"]
    assert fit.meta.model["df_residual"] == 36 - 3  # 40 PSUs − 4 strata − 3 coefficients
    assert fit.meta.model["dropped"] == 2 and (fit["n"] == 158).all()
    fig = coefplot(fit, lang="en")  # odds ratios of the 3 effects, no cut-points
    assert "never|sometimes" not in " ".join(t.get_text() for t in fig.axes[0].get_yticklabels())
    s = Survey(pd.DataFrame({"a": ["x", "y", "x", "y"], "v": [1.0, 2, 3, 4]}))
    with pytest.raises(ConfigError, match="3 or more"):
        ym_ordinal(s.replace(data=s.data.assign(a=[1.0, 2, 2, 1])), "a ~ v")
    nominal = Survey(
        pd.DataFrame({"a": [1, 2, 3, 2], "v": [1.0, 2, 3, 4]}),
        Codebook({"a": Variable("a", measure="nominal"), "v": Variable("v")}),
    )
    with pytest.raises(ConfigError, match="nominal in the codebook"):
        ym_ordinal(nominal, "a ~ v")


@pytest.mark.parametrize("module", ["youthmedia.models", "youthmedia.summaries"])
def test_docstring_examples_run(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0


def test_coefplot_of_a_poisson_model_draws_rate_ratios():
    from youthmedia.figures import coefplot

    fit = glm(_design("corner"), "count ~ x + group", family="poisson")
    fig = coefplot(fit, lang="en")
    assert fig.slide.subtitle.startswith("Rate ratios with 95")
    assert "log-linear (Poisson)" in fig.slide.subtitle
    assert fig.axes[0].get_xscale() == "log"


# -- the headline's group test: svyby(covmat = TRUE) + svycontrast -------------------------------
def _pair_case(case: str):
    from youthmedia.estimate import mean, share

    def api(name, **design):
        data = _api(name)
        for col in ("stype", "sch.wide", "awards"):
            if col in data:
                data[col] = pd.Categorical(
                    data[col], sorted(data[col].dropna().unique()), ordered=True
                )
        if "api00" in data and name == "apiclus1":
            data["lev3"] = pd.cut(
                data["api00"],
                [-np.inf, 600, 700, np.inf],
                right=True,
                labels=["low", "mid", "high"],
            )
        if name == "apiclus1_jk1_weights":
            reps = [c for c in data.columns if c.startswith("jk1_")]
            return Survey(data).with_replicates(reps, method="JK1", weight="pw")
        return Survey(data).with_design(weight="pw", **design)

    clus1 = {"cluster": "dnum"}
    return {
        "clus1_schwide": lambda: share(api("apiclus1", **clus1), "sch.wide", by="stype"),
        "clus1_api00": lambda: mean(api("apiclus1", **clus1), "api00", by="stype"),
        "clus2_awards": lambda: share(
            api("apiclus2", cluster=["dnum", "snum"]), "awards", by="stype"
        ),
        "clus1_lev3_midhigh": lambda: share(api("apiclus1", **clus1), "lev3", by="stype"),
        "clus1_jk1_api00": lambda: mean(api("apiclus1_jk1_weights"), "api00", by="stype"),
    }[case]()


def test_pair_test_matches_svycontrast_on_svyby_covmat():
    """Every row of pairs_reference.csv (make_pairs_reference.R): difference, SE with the design
    covariance between the groups, and p; the independent-SE test would differ."""
    from youthmedia.figures.data import plot_table
    from youthmedia.summaries import pair_test

    ref = pd.read_csv(REF / "pairs_reference.csv")
    for _, row in ref.iterrows():
        case = "_".join(row["id"].split("_")[:-2])
        r = _pair_case(case)
        sides: dict[int, dict] = {1: {}, -1: {}}
        for term in row["contrast"].split(";"):
            name, coef = term.split("=")
            group, _, cat = name.partition(":")
            side = sides[int(coef)]
            side.update(groups=(group,), variable=r["variable"].iloc[0])
            side.setdefault("cells", []).append(re.sub(r"^(sch\.wide|awards|lev3)", "", cat))
        a, b = (
            {**s, "category": s["cells"][0] if s["cells"][0] else ""} for s in (sides[1], sides[-1])
        )
        if not a["cells"][0]:  # a mean: no category
            a.pop("cells"), b.pop("cells")
        est, se, p = pair_test(r, a, b)
        assert est == pytest.approx(row["estimate"], rel=1e-6), row["id"]
        assert se == pytest.approx(row["se"], rel=1e-6), row["id"]
        assert p == pytest.approx(row["p"], rel=1e-6), row["id"]
        ra = r[(r["stype"] == a["groups"][0]) & (r["category"].astype(str) == a["category"])]
        rb = r[(r["stype"] == b["groups"][0]) & (r["category"].astype(str) == b["category"])]
        independent = math.hypot(float(ra["se"].iloc[0]), float(rb["se"].iloc[0]))
        if "cells" not in a:
            assert abs(independent - se) > 1e-3 * se, row["id"]
    # rows of a plot table (translated groups) find the same cells
    r = _pair_case("clus1_schwide")
    t = plot_table(r, "en", category="Yes")
    assert pair_test(r, t.iloc[0], t.iloc[1], "en")[1] == pytest.approx(0.102633967833947, rel=1e-6)


def test_pair_test_without_covariance_treats_groups_as_independent():
    from youthmedia.summaries import pair_test

    r = Result.from_rows(
        [
            {"g": "a", "variable": "y", "estimate": 0.3, "se": 0.03, "n": 500},
            {"g": "b", "variable": "y", "estimate": 0.2, "se": 0.04, "n": 500},
        ],
        by=["g"],
    )
    est, se, p = pair_test(r, r.iloc[0], r.iloc[1])
    assert (est, se) == (pytest.approx(0.1), pytest.approx(0.05))  # √(0.03² + 0.04²)
    assert p == pytest.approx(2 * stats.norm.sf(2.0))
    # rows that are not the Result's: their own numbers, as independent groups
    other = {"groups": ("c",), "variable": "y", "category": "", "estimate": 0.1, "se": 0.04}
    assert pair_test(r, r.iloc[0], other)[:2] == (pytest.approx(0.2), pytest.approx(0.05))
    with pytest.raises(ConfigError, match="two rows of the Result"):
        pair_test(r, {"groups": ("c",), "variable": "y", "category": ""}, r.iloc[1])


def test_headline_group_test_uses_the_covariance_between_groups():
    """Girls and boys in the same 20 schools: school levels differ a lot, the girls are 6 points
    higher in every school (by construction). Independent SEs (√(0.041² + 0.042²) = 0.059) call
    the 6-point gap unclear; the design test (groups share PSUs) sees it in every school."""
    from youthmedia.estimate import share
    from youthmedia.figures import headline
    from youthmedia.figures.data import plot_table

    rows = []
    for c in range(20):
        base = 0.1 + 0.6 * c / 19
        for g, p in (("meisje", base + 0.06), ("jongen", base)):
            k = round(p * 20)
            rows += [
                {
                    "school": c,
                    "gender": g,
                    "y": "vaak" if i < k // 2 else "soms" if i < k else "nooit",
                }
                for i in range(20)
            ]
    d = pd.DataFrame(rows)
    d["gender"] = pd.Categorical(d["gender"], ["jongen", "meisje"])
    d["y"] = pd.Categorical(d["y"], ["nooit", "soms", "vaak"], ordered=True)
    s = Survey(d).with_design(cluster="school")
    r = share(s, "y", by="gender")
    assert r["se"].min() > 0.02
    text = headline.groups(plot_table(r, "nl", all_categories=True), r, "nl")
    assert text.endswith("jongen 40%, meisje 46%; duidelijk verschil"), text
    from youthmedia.figures import charts  # the stacked-bar chart's headline: the same test

    fig = charts.diverging(r)
    assert fig.slide.headline.endswith("jongen 40%, meisje 46%; duidelijk verschil")
