"""Small cases a reader can check on paper: three respondents, two weights.

Notation: w = weights, y = answers, p = Σwy/Σw. The Taylor (linearisation) variance of a
ratio with each respondent its own PSU in one stratum of n is
    n/(n-1) · Σ (z_i - z̄)²,   z_i = w_i (y_i - p) / Σw        (z̄ = 0 for a ratio)
and of a total, with z_i = w_i y_i.  (R: svydesign(ids = ~1, weights = ~w).)
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import youthmedia as ym
from youthmedia import design as dz
from youthmedia.codebook import Codebook, MRSet, Variable


@pytest.fixture(autouse=True)
def _no_small_cell_suppression():
    """These hand examples have a handful of respondents: every estimate would be suppressed
    (n < 10) by the privacy rules the estimators apply. They test the arithmetic, so the
    thresholds are set to 0 here, explicitly, for this module only."""
    with ym.privacy.thresholds(min_n=0, indicative_n=0):
        yield


def three() -> ym.Survey:
    # respondent:  1    2    3
    # y (0/1):     1    0    1
    # x:           2    4    7
    # w:           1    1    2
    data = pd.DataFrame({"y": [1, 0, 1], "x": [2.0, 4.0, 7.0], "w": [1.0, 1.0, 2.0]})
    return ym.Survey(data).with_design(weight="w")


def test_weighted_share_and_its_se():
    r = ym.share(three(), "y")
    # p = (1·1 + 1·0 + 2·1) / (1 + 1 + 2) = 3/4
    assert r.loc[0, "estimate"] == pytest.approx(0.75)
    # z = [1·(1-.75), 1·(0-.75), 2·(1-.75)] / 4 = [0.0625, -0.1875, 0.125]
    # var = 3/2 · (0.00390625 + 0.03515625 + 0.015625) = 3/2 · 0.0546875 = 0.08203125
    assert r.loc[0, "se"] == pytest.approx(math.sqrt(0.08203125))
    # n = 3 respondents; weighted base Σw = 4; Kish n_eff = 4² / (1 + 1 + 4) = 16/6
    assert r.loc[0, "n"] == 3
    assert r.loc[0, "base"] == pytest.approx(4.0)
    assert r.loc[0, "n_eff"] == pytest.approx(16 / 6)


def test_weighted_mean_and_its_se():
    r = ym.mean(three(), "x")
    # mean = (2 + 4 + 2·7) / 4 = 20/4 = 5
    assert r.loc[0, "estimate"] == pytest.approx(5.0)
    # z = [1·(2-5), 1·(4-5), 2·(7-5)] / 4 = [-0.75, -0.25, 1.0];  Σz² = 1.625
    # var = 3/2 · 1.625 = 2.4375
    assert r.loc[0, "se"] == pytest.approx(math.sqrt(2.4375))
    # t interval with df = 3 PSUs − 1 stratum = 2
    q = stats.t.ppf(0.975, 2)
    assert r.loc[0, "ci_low"] == pytest.approx(5 - q * math.sqrt(2.4375))


def test_weighted_total_and_its_se():
    r = ym.total(three(), "x")
    # total = 1·2 + 1·4 + 2·7 = 20;  z = w·x = [2, 4, 14], z̄ = 20/3
    # Σ(z - z̄)² = (196 + 64 + 484)/9 = 744/9;  var = 3/2 · 744/9 = 124
    assert r.loc[0, "estimate"] == pytest.approx(20.0)
    assert r.loc[0, "se"] == pytest.approx(math.sqrt(124.0))


def test_stratified_total():
    # stratum:  a  a  b  b
    # x:        1  3  2  6
    # w:        1  1  2  2      z = w·x = [1, 3, 4, 12]
    # stratum a: z̄ = 2, Σ(z-z̄)² = 2 → ·2/(2-1) = 4;  stratum b: z̄ = 8, Σ = 32 → 64
    d = pd.DataFrame({"h": list("aabb"), "x": [1.0, 3, 2, 6], "w": [1.0, 1, 2, 2]})
    r = ym.total(ym.Survey(d).with_design(weight="w", strata="h"), "x")
    assert r.loc[0, "estimate"] == pytest.approx(20.0)
    assert r.loc[0, "se"] == pytest.approx(math.sqrt(68.0))
    # with a population of 4 units per stratum (fpc): each stratum × (1 - 2/4) → 34
    d["N"] = 4
    r = ym.total(ym.Survey(d).with_design(weight="w", strata="h", fpc="N"), "x")
    assert r.loc[0, "se"] == pytest.approx(math.sqrt(34.0))


def test_clustered_total_uses_cluster_totals():
    # cluster:  1  1  2  2   (one stratum, two PSUs)
    # x·w:      1  3  4 12   cluster totals 4 and 16, mean 10
    # var = 2/(2-1) · ((4-10)² + (16-10)²) = 2 · 72 = 144
    d = pd.DataFrame({"c": [1, 1, 2, 2], "x": [1.0, 3, 2, 6], "w": [1.0, 1, 2, 2]})
    r = ym.total(ym.Survey(d).with_design(weight="w", cluster="c"), "x")
    assert r.loc[0, "se"] == pytest.approx(12.0)
    assert dz.degf(ym.Survey(d).with_design(weight="w", cluster="c")) == 1


def test_domain_share_and_difference():
    # group:  a  a  b  b      unweighted
    # y:      1  0  1  1      p_a = 1/2, p_b = 1
    # z for a (Σw_a = 2): [(1-.5)/2, (0-.5)/2, 0, 0] = [.25, -.25, 0, 0]; z̄ = 0
    # var_a = 4/3 · (.0625 + .0625) = 1/6;  var_b = 0 (every b says 1); cov = 0
    d = pd.DataFrame({"y": [1, 0, 1, 1], "g": list("aabb")})
    s = ym.Survey(d)
    r = ym.share(s, "y", by="g")
    assert r["estimate"].tolist() == pytest.approx([0.5, 1.0])
    assert r["se"].tolist() == pytest.approx([math.sqrt(1 / 6), 0.0])
    diff = ym.difference(s, "y", by="g", groups=("a", "b"))
    assert diff.loc[0, "estimate"] == pytest.approx(0.5)  # 1 − 1/2
    assert diff.loc[0, "se"] == pytest.approx(math.sqrt(1 / 6))
    # t = 0.5 / sqrt(1/6) on df = 4 PSUs − 1 stratum = 3
    t = 0.5 / math.sqrt(1 / 6)
    assert diff.loc[0, "p"] == pytest.approx(2 * stats.t.sf(t, 3))


def test_pearson_and_rao_scott_on_a_simple_random_sample():
    # a = x: 6 say p, 4 say q;  a = y: 2 say p, 8 say q;  unweighted, n = 20.
    # table [[6, 4], [2, 8]]; row sums 10, 10; column sums 8, 12; expected [[4, 6], [4, 6]]
    # X² = 2·(2²/4 + 2²/6) = 2·(1 + 2/3) = 10/3
    # For an SRS with the with-replacement estimator V(p) = (diag p − pp')/(n−1), and with
    # no empty cell C'(diag p)⁻¹pp'(diag p)⁻¹C = C'11'C = 0, so the generalised design
    # effect is Δ = N/(n−1) = 20/19: first order X²/Δ on 1 df; F = X²/Δ on (1, 19) df.
    d = pd.DataFrame(
        {"a": ["x"] * 10 + ["y"] * 10, "b": ["p"] * 6 + ["q"] * 4 + ["p"] * 2 + ["q"] * 8}
    )
    s = ym.Survey(d)
    chi = ym.chisq(s, "a", "b", statistic="Chisq")
    assert chi.statistic == pytest.approx(10 / 3)
    assert chi.df == 1
    assert chi.p == pytest.approx(stats.chi2.sf((10 / 3) / (20 / 19), 1))
    f = ym.chisq(s, "a", "b")
    assert f.statistic == pytest.approx((10 / 3) * 19 / 20)
    assert f.ndf == pytest.approx(1.0)
    assert f.ddf == pytest.approx(19.0)
    assert f.p == pytest.approx(stats.f.sf((10 / 3) * 19 / 20, 1, 19))


def test_multiple_response_set_counts_respondents_who_answered_the_question():
    # respondent:   1    2    3
    # use_a:        1    0    –      (– = missing: did not answer)
    # use_b:        0    –    –
    # w:            1    3    5
    # Respondent 3 answered none of the set: left out. Respondent 2 answered the question but
    # has no answer for use_b (an option not put to them): left out of b's base, not counted
    # as "not chosen" (b may not have been offered; a file that leaves unticked boxes empty
    # never holds a 0, and there a missing member does count as "not chosen").
    # share a = 1·1 / (1 + 3) = 1/4 (n = 2);  share b = 0 / 1 = 0 (n = 1)
    d = pd.DataFrame({"use_a": [1, 0, np.nan], "use_b": [0, np.nan, np.nan], "w": [1.0, 3, 5]})
    cb = Codebook(
        {
            "use_a": Variable("use_a", label="App A"),
            "use_b": Variable("use_b", label="App B"),
            "w": Variable("w"),
        },
        mr_sets={"apps": MRSet("apps", label="Which apps?", variables=["use_a", "use_b"])},
    )
    s = ym.Survey(d, cb).with_design(weight="w")
    r = ym.share(s, "apps")
    assert r["variable"].tolist() == ["use_a", "use_b"]
    assert r["category"].astype(str).tolist() == ["App A", "App B"]
    assert r["estimate"].tolist() == pytest.approx([0.25, 0.0])
    assert r["n"].tolist() == [2, 1]
    assert r["base"].tolist() == pytest.approx([4.0, 1.0])
    assert r.meta.n_total == 2
    # a list of 0/1 variables: each one's share of those who answered *it*
    r = ym.share(s, ["use_a", "use_b"])
    assert r["estimate"].tolist() == pytest.approx([0.25, 0.0])
    assert r["n"].tolist() == [2, 1]


def test_poststratification_weights():
    # group: a a b ; population a = 10, b = 30 → a rows get 10/2 = 5 each, b gets 30
    s = ym.Survey(pd.DataFrame({"g": ["a", "a", "b"], "y": [1.0, 0.0, 1.0]}))
    ps = ym.poststratify(s, "g", {"a": 10, "b": 30})
    assert dz.weights(ps).tolist() == [5.0, 5.0, 30.0]
    # share of y = (5 + 30) / 40 = 7/8; shares instead of counts give the same weights × 3/40
    assert ym.share(ps, "y").loc[0, "estimate"] == pytest.approx(7 / 8)
    ps2 = ym.poststratify(s, "g", {"a": 0.25, "b": 0.75})
    assert dz.weights(ps2).tolist() == pytest.approx([0.375, 0.375, 2.25])


def test_raking_two_margins():
    # a: x x y y ; b: p q p q ; margins a (30, 70), b (50, 50): each a-cell splits evenly
    s = ym.Survey(pd.DataFrame({"a": list("xxyy"), "b": list("pqpq")}))
    r = ym.rake(s, {"a": {"x": 30, "y": 70}, "b": {"p": 50, "q": 50}})
    assert dz.weights(r).tolist() == pytest.approx([15, 15, 35, 35])
