"""Properties that must hold for any data: checked on random small designs (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import youthmedia as ym
from youthmedia import design as dz


@pytest.fixture(scope="module", autouse=True)
def _no_small_cell_suppression():
    """Generated designs have groups of a few respondents; these properties are about the
    arithmetic, so small-cell suppression (n < 10 hidden) is switched off explicitly here."""
    with ym.privacy.thresholds(min_n=0, indicative_n=0):
        yield


@st.composite
def designs(draw):
    """2–4 strata, each with 2–4 PSUs of 1–4 respondents; weights, a 0/1 item, a number,
    a three-category answer with some missing, and two groups."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    rows = []
    for h in range(draw(st.integers(2, 4))):
        for c in range(draw(st.integers(2, 4))):
            for _ in range(draw(st.integers(1, 4))):
                rows.append((h, c))
    n = len(rows)
    d = pd.DataFrame(rows, columns=["h", "c"])
    d["w"] = rng.uniform(0.5, 3, n)
    d["y"] = rng.integers(0, 2, n).astype(float)
    d["x"] = rng.normal(5, 2, n)
    cat = rng.choice(["a", "b", "c"], n).astype(object)
    cat[rng.random(n) < 0.15] = None
    d["cat"] = pd.Categorical(cat, categories=["a", "b", "c"], ordered=True)
    d["g"] = np.where(np.arange(n) % 2 == 0, "even", "odd")
    return ym.Survey(d).with_design(weight="w", strata="h", cluster="c", nest=True)


@settings(max_examples=40, deadline=None)
@given(designs())
def test_fast_estimates_agree_with_the_general_influence_engine(s):
    """The cell-sum path of the estimators and the row-level vcov() give the same SEs."""
    d, w = s.data, s.design.weights
    for g in ("even", "odd"):
        dom = (d.g == g).to_numpy()
        m = np.sum(w[dom] * d.x[dom]) / w[dom].sum()
        infl = np.where(dom, w * (d.x - m) / w[dom].sum(), 0.0)
        se = np.sqrt(dz.vcov(s, infl)[0, 0])
        r = ym.mean(s, "x", by="g")
        assert r.loc[r.g == g, "se"].iloc[0] == pytest.approx(se, rel=1e-9, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(designs(), st.floats(0.01, 100))
def test_shares_do_not_depend_on_the_scale_of_the_weights(s, c):
    r1 = ym.share(s, "cat", by="g")
    scaled = s.replace(data=s.data.assign(w=s.data.w * c)).with_design(
        weight="w", strata="h", cluster="c", nest=True
    )
    r2 = ym.share(scaled, "cat", by="g")
    assert r2["estimate"].to_numpy() == pytest.approx(r1["estimate"].to_numpy())
    assert r2["se"].to_numpy() == pytest.approx(r1["se"].to_numpy(), abs=1e-12)
    # totals scale with the weights, and so do their SEs
    t1, t2 = ym.total(s, "x"), ym.total(scaled, "x")
    assert t2.loc[0, "estimate"] == pytest.approx(c * t1.loc[0, "estimate"])
    assert t2.loc[0, "se"] == pytest.approx(c * t1.loc[0, "se"])


@settings(max_examples=40, deadline=None)
@given(designs())
def test_shares_add_to_one_and_intervals_hold_the_estimate(s):
    r = ym.share(s, "cat", by="g", ci="beta")
    sums = r.groupby("g", observed=True)["estimate"].sum().to_numpy()
    assert sums == pytest.approx(np.ones_like(sums))
    ok = r["se"] > 0
    assert (r.loc[ok, "ci_low"] <= r.loc[ok, "estimate"] + 1e-12).all()
    assert (r.loc[ok, "estimate"] <= r.loc[ok, "ci_high"] + 1e-12).all()
    # respondents: those who answered, by group
    answered = s.data.dropna(subset=["cat"]).groupby("g").size()
    assert r.groupby("g", observed=True)["n"].first().tolist() == answered.tolist()


@settings(max_examples=25, deadline=None)
@given(designs())
def test_difference_se_uses_the_covariance_of_the_two_groups(s):
    """SE of (b − a) from difference() = sqrt(v_a + v_b − 2 cov) from the general engine."""
    d, w = s.data, s.design.weights
    cols = []
    for g in ("even", "odd"):
        dom = (d.g == g).to_numpy()
        m = np.sum(w[dom] * d.x[dom]) / w[dom].sum()
        cols.append(np.where(dom, w * (d.x - m) / w[dom].sum(), 0.0))
    V = dz.vcov(s, np.column_stack(cols))
    se = np.sqrt(V[0, 0] + V[1, 1] - 2 * V[0, 1])
    r = ym.difference(s, "x", by="g", groups=("even", "odd"))
    assert r.loc[0, "se"] == pytest.approx(se, rel=1e-9, abs=1e-12)
