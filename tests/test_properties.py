"""Properties of the estimators that must hold for any data (hypothesis).

Random small surveys — 2 to 40 respondents, a categorical answer with 2–4 options and missing
values, two or three groups (one may hold a single respondent), positive weights — under six
designs: unweighted, weighted, stratified, clustered, stratified and clustered, and replicate
weights built from that (JKn). For each:

* the shares of a question add up to 100 % in every group;
* every interval method gives an interval within [0, 1] that holds its estimate;
* multiplying all weights by a constant changes no share, mean, SE or interval (the weighted
  base scales with it);
* the order of the rows changes nothing;
* a respondent with weight 0 changes no estimate and no unweighted count;
* unweighted, whole sample: the share is count / m and its SE the textbook with-replacement
  one, √(p(1 − p)/(m − 1)), with R's domain correction when some did not answer.

Small-cell suppression is switched off here (``min_n=1``): these are properties of the numbers,
and suppression (tested in test_privacy.py) would blank the small groups they are about.

Settings are CI-friendly and reproducible: ``derandomize=True`` (the same examples every run),
``deadline=None``, at most 60 examples per property.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import youthmedia as ym
from youthmedia import privacy

CI_METHODS = ("logit", "likelihood", "beta", "xlogit", "asin", "mean", "wilson")
DESIGNS = ("unweighted", "weighted", "strata", "cluster", "strata+cluster", "replicate")
SETTINGS = settings(
    max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
TOL = 1e-9
#: numbers only, quietly: an overflow or 0/0 on the way is a failure, not a warning to users
pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")


@pytest.fixture(autouse=True)
def _no_suppression():
    with privacy.thresholds(min_n=1, indicative_n=1):
        yield


@st.composite
def frames(draw, min_n: int = 2) -> pd.DataFrame:
    """One row per respondent: answer ``y`` (categorical, some missing), number ``x``, group
    ``g`` (both 'a' and 'b' present), weight ``w``, stratum ``h`` and cluster ``c`` with at
    least two clusters in each stratum."""
    n = draw(st.integers(min_n, 40))
    k = draw(st.integers(2, 4))
    options = ["nooit", "soms", "vaak", "altijd"][:k]
    y = draw(st.lists(st.sampled_from(options + [None]), min_size=n, max_size=n))
    if all(v is None for v in y):
        y[0] = options[0]
    g = draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=n, max_size=n))
    g[0], g[1] = "a", "b"
    w = draw(st.lists(st.floats(0.05, 50, allow_nan=False), min_size=n, max_size=n))
    x = draw(st.lists(st.integers(0, 10), min_size=n, max_size=n))
    h = [i % 2 for i in range(n)]
    c = [i % 4 for i in range(n)]  # stratum 0 holds clusters 0 and 2, stratum 1 clusters 1, 3
    return pd.DataFrame(
        {
            "y": pd.Categorical(y, categories=options, ordered=True),
            "x": np.array(x, dtype=float),
            "g": g,
            "w": w,
            "h": h,
            "c": c,
        }
    )


def survey(frame: pd.DataFrame, design: str) -> ym.Survey:
    s = ym.Survey(frame)
    if design == "unweighted":
        return s
    if design == "weighted":
        return s.with_design(weight="w")
    if design == "strata":
        return s.with_design(weight="w", strata="h", lonely_psu="adjust")
    if design == "cluster":
        return s.with_design(weight="w", cluster="c")
    s = s.with_design(weight="w", strata="h", cluster="c", lonely_psu="adjust")
    if design == "replicate":
        assume(len(frame) >= 4)  # JKn needs two PSUs in a stratum (else a DataError)
        return s.to_replicates("JKn")
    return s


def _keyed(r: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    out = pd.DataFrame(r).copy()
    for k in keys:
        out[k] = out[k].astype(str)
    return out.sort_values(keys).reset_index(drop=True)


def _same(
    a: pd.DataFrame, b: pd.DataFrame, cols: list[str], keys: list[str], scale: float = 1.0
) -> None:
    """Equal up to rounding. A variance from sums of squares loses about half the digits
    when it should be 0 (one respondent in a group): its SE comes out near 1e-8 × the size of
    the values and weights, not 0, and a t quantile on 1 df multiplies that by 12.7 in the
    interval; ``scale`` bounds that size."""
    a, b = _keyed(a, keys), _keyed(b, keys)
    assert a[keys].equals(b[keys])
    for col in cols:
        atol = 1e-7 * scale if col in ("se", "ci_low", "ci_high") else 1e-12
        np.testing.assert_allclose(
            a[col].to_numpy(float), b[col].to_numpy(float), rtol=1e-7, atol=atol, err_msg=col
        )


# -- shares add up, intervals hold ----------------------------------------------------------------
@SETTINGS
@given(frames(), st.sampled_from(DESIGNS))
def test_shares_of_a_question_add_up_to_100_percent_in_every_group(frame, design):
    r = ym.share(survey(frame, design), "y", by="g")
    sums = r.groupby("g", observed=True)["estimate"].sum()
    assert np.allclose(sums.to_numpy(), 1.0, atol=TOL), sums
    # every group that answered is there, with its unweighted count
    answered = frame.dropna(subset=["y"]).groupby("g").size()
    assert r.groupby("g", observed=True)["n"].first().to_dict() == answered.to_dict()
    whole = ym.share(survey(frame, design), "y")
    assert whole["estimate"].sum() == pytest.approx(1.0, abs=TOL)


@SETTINGS
@given(frames(), st.sampled_from(DESIGNS), st.sampled_from(CI_METHODS))
def test_every_interval_holds_its_estimate_within_0_and_1(frame, design, ci):
    r = ym.share(survey(frame, design), "y", by="g", ci=ci)
    lo, est, hi = (r[c].to_numpy(float) for c in ("ci_low", "estimate", "ci_high"))
    assert not np.isnan(lo).any() and not np.isnan(hi).any(), r
    assert (lo >= -TOL).all() and (hi <= 1 + TOL).all(), r
    assert (lo <= est + TOL).all() and (est <= hi + TOL).all(), r
    assert (r["se"] >= 0).all()


@SETTINGS
@given(frames(), st.sampled_from(DESIGNS))
def test_means_lie_between_the_smallest_and_largest_answer(frame, design):
    r = ym.mean(survey(frame, design), "x", by="g")
    for _, row in r.iterrows():
        values = frame.loc[frame["g"] == row["g"], "x"]
        assert values.min() - TOL <= row["estimate"] <= values.max() + TOL
        assert row["ci_low"] <= row["estimate"] + TOL <= row["ci_high"] + 2 * TOL


# -- invariances ---------------------------------------------------------------------------------
@SETTINGS
@given(
    frames(),
    st.sampled_from(DESIGNS[1:]),
    st.sampled_from([1e-3, 0.37, 3.0, 1234.5]),
    st.sampled_from(CI_METHODS),
)
def test_multiplying_all_weights_changes_no_share_se_or_interval(frame, design, c, ci):
    r1 = ym.share(survey(frame, design), "y", by="g", ci=ci)
    r2 = ym.share(survey(frame.assign(w=frame["w"] * c), design), "y", by="g", ci=ci)
    _same(r1, r2, ["estimate", "se", "ci_low", "ci_high", "n", "n_eff"], ["g", "category"])
    np.testing.assert_allclose(
        r2["base"].to_numpy(float), c * r1["base"].to_numpy(float), rtol=1e-9
    )
    m1 = ym.mean(survey(frame, design), "x", by="g")
    m2 = ym.mean(survey(frame.assign(w=frame["w"] * c), design), "x", by="g")
    _same(m1, m2, ["estimate", "se", "ci_low", "ci_high"], ["g"], scale=100)


@SETTINGS
@given(frames(), st.sampled_from(DESIGNS), st.randoms(use_true_random=False))
def test_row_order_changes_nothing(frame, design, rnd):
    order = list(range(len(frame)))
    rnd.shuffle(order)
    shuffled = frame.iloc[order].reset_index(drop=True)
    r1 = ym.share(survey(frame, design), "y", by="g", ci="beta")
    r2 = ym.share(survey(shuffled, design), "y", by="g", ci="beta")
    _same(r1, r2, ["estimate", "se", "ci_low", "ci_high", "n", "n_eff", "base"], ["g", "category"])
    m1 = ym.mean(survey(frame, design), "x")
    m2 = ym.mean(survey(shuffled, design), "x")
    _same(m1, m2, ["estimate", "se", "ci_low", "ci_high"], ["variable"], scale=100)


@SETTINGS
@given(frames(), st.sampled_from(["weighted", "strata", "cluster", "strata+cluster"]))
def test_a_respondent_with_weight_zero_changes_no_estimate(frame, design):
    extra = frame.iloc[[0]].assign(w=0.0, y=frame["y"].iloc[-1], x=99.0)
    with_zero = pd.concat([frame, extra], ignore_index=True)
    with_zero["y"] = pd.Categorical(
        with_zero["y"], categories=frame["y"].cat.categories, ordered=True
    )
    r1 = ym.share(survey(frame, design), "y", by="g")
    r2 = ym.share(survey(with_zero, design), "y", by="g")
    _same(r1, r2, ["estimate", "n", "base", "n_eff"], ["g", "category"])
    m1, m2 = ym.mean(survey(frame, design), "x"), ym.mean(survey(with_zero, design), "x")
    assert m2.loc[0, "estimate"] == pytest.approx(m1.loc[0, "estimate"], rel=1e-12)


# -- against the textbook -------------------------------------------------------------------------
@SETTINGS
@given(frames(min_n=3))
def test_unweighted_share_and_se_are_the_textbook_ones(frame):
    """By hand: N respondents, m of whom answered, p = count / m. As R's
    ``svymean(~y, svydesign(ids=~1, ...), na.rm=TRUE)``, the answered are a domain of all N:
    z_i = (y_i − p)/m for those who answered, 0 for the others, Σz = 0, so
    v = N/(N − 1) · Σz² = N · p(1 − p) / ((N − 1) · m) — p(1 − p)/(m − 1) when nobody skipped."""
    r = ym.share(ym.Survey(frame), "y")
    answered = frame["y"].dropna()
    N, m = len(frame), len(answered)
    for _, row in r.iterrows():
        p = float((answered == row["category"]).sum()) / m
        assert row["estimate"] == pytest.approx(p, abs=1e-12)
        se = np.sqrt(N * p * (1 - p) / ((N - 1) * m))
        assert row["se"] == pytest.approx(se, rel=1e-9, abs=1e-12)
        assert row["n"] == m
