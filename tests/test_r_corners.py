"""The R corners of issue 16, each reproduced to 1e-6 against R's survey 4.1.1.

Values: tests/reference/stats_reference.csv, made by tests/reference/make_stats_reference.R on
data built there and again here (:func:`made_data`) by the same arithmetic.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import youthmedia as ym

REF = Path(__file__).resolve().parent / "reference"
TABLE = pd.read_csv(REF / "stats_reference.csv", keep_default_na=False)


def r_value(id_: str, quantity: str, term: str = "") -> float:
    hit = TABLE[(TABLE["id"] == id_) & (TABLE["quantity"] == quantity) & (TABLE["term"] == term)]
    assert len(hit) == 1, (id_, quantity, term)
    return float(hit["value"].iloc[0])


def made_data() -> pd.DataFrame:
    """The data of make_stats_reference.R: 120 rows; 12 strata ``h`` of two PSUs ``psu`` (the
    higher id first in odd strata); 5 strata ``s5`` with PSUs ``cl``, strata 4 and 5 a single
    PSU each; domain ``dom``; ``r``/``c`` and ``yna`` with missing values."""
    i = np.arange(120)
    h = i // 10 + 1
    d = pd.DataFrame(
        {
            "h": h,
            "y": (i * 37 % 101) / 10 + h / 3,
            "x": ((i * 13) % 11 < 5).astype(float),
            "w": 1 + (i % 7) / 2,
            "s5": i // 24 + 1,
        }
    )
    d["psu"] = h * 10 + 1 + (i + h) % 2
    d["cl"] = np.where(d["s5"] <= 3, 100 + i // 6, 200 + d["s5"])
    d["dom"] = np.where(d["s5"] <= 2, "A", np.where(d["s5"] >= 4, "B", np.where(i % 2, "B", "A")))
    r = np.array(["r1", "r2", "r3"])[(i * 5) % 3]
    c = np.where((r == "r1") & (i % 4 != 1), "c1", np.where((i * 7) % 5 < 2, "c2", "c1"))
    d["r"] = pd.Series(r).where(i % 11 != 3)
    d["c"] = pd.Series(c).where(i % 9 != 0)
    d["yna"] = d["y"].where(i % 13 != 5)
    return d


def test_made_data_is_r_data():
    frozen = pd.read_csv(REF / "stats_made_data.csv")
    mine = made_data()
    for col in frozen.columns:
        if pd.api.types.is_numeric_dtype(frozen[col]):
            np.testing.assert_allclose(
                mine[col].to_numpy(float), frozen[col].to_numpy(float), rtol=1e-12
            )
        else:
            assert (
                frozen[col].fillna("NA").astype(str).tolist()
                == mine[col].fillna("NA").astype(str).tolist()
            )


def check(result: ym.Result, id_: str, terms: list[str]) -> None:
    for (_, row), term in zip(result.iterrows(), terms, strict=True):
        for q in ("estimate", "se"):
            assert float(row[q]) == pytest.approx(r_value(id_, q, term), rel=1e-6), (id_, q, term)


@pytest.mark.parametrize("lonely", ["adjust", "average", "remove"])
def test_jkn_replicates_follow_lonely_psu(lonely):
    # R's jknweights: "adjust" adds a replicate per lonely stratum, "average" scales by
    # PSUs / replicates; youthmedia dropped them in every case (SEs 8-12 % too small)
    s = ym.Survey(made_data()).with_design(weight="w", strata="s5", cluster="cl", lonely_psu=lonely)
    rep = s.to_replicates("JKn")
    check(ym.mean(rep, "y"), f"made_jkn_{lonely}_mean_y", ["y"])
    check(ym.total(rep, "x"), f"made_jkn_{lonely}_total_x", ["x"])


@pytest.mark.parametrize("lonely", ["adjust", "average", "remove"])
def test_lonely_average_counts_the_domain_strata(lonely):
    # R's onestage on the domain's subset: group A (strata 1-3, none lonely) gets 3/3, group B
    # (strata 3-5, two lonely) 3/1 — not the design's 5/3
    s = ym.Survey(made_data()).with_design(weight="w", strata="s5", cluster="cl", lonely_psu=lonely)
    check(ym.mean(s, "y", by="dom"), f"made_taylor_{lonely}_by_dom_mean_y", ["A", "B"])
    check(ym.mean(s, "y"), f"made_taylor_{lonely}_mean_y", ["y"])


def test_lonely_average_domain_through_public_vcov():
    from youthmedia import design as dz

    d = made_data()
    s = ym.Survey(d).with_design(weight="w", strata="s5", cluster="cl", lonely_psu="average")
    w = d["w"].to_numpy()
    inB = (d["dom"] == "B").to_numpy()
    theta = np.sum(w[inB] * d["y"][inB]) / w[inB].sum()
    z = np.where(inB, w * (d["y"] - theta) / w[inB].sum(), 0.0)
    se = float(np.sqrt(dz.vcov(s, z[:, None])[0, 0]))
    assert se == pytest.approx(r_value("made_taylor_average_by_dom_mean_y", "se", "B"), rel=1e-6)


def test_brr_and_fay_take_hadamard_rows_in_r_strata_order():
    # strata 1..12 as R holds them ("1", "10", "11", "12", "2", ...), the first PSU of a stratum
    # the one first in the data, and R's Hadamard matrix (16 replicates for 12 strata)
    s = ym.Survey(made_data()).with_design(weight="w", strata="h", cluster="psu")
    brr = s.to_replicates("BRR")
    assert brr.design.replicates.shape[1] == r_value("made_brr_nrep", "n")
    check(ym.mean(brr, "y"), "made_brr_mean_y", ["y"])
    fay = s.to_replicates("Fay", rho=0.3)
    check(ym.mean(fay, "y"), "made_fay_mean_y", ["y"])
    check(ym.mean(fay, "y", by="dom"), "made_fay_by_dom_mean_y", ["A", "B"])


@pytest.mark.parametrize("statistic", ["Chisq", "F"])
def test_chisq_scales_x2_by_every_row(statistic):
    s = ym.Survey(made_data()).with_design(weight="w")
    t = ym.chisq(s, "r", "c", statistic=statistic)
    assert t["statistic"] == pytest.approx(
        r_value(f"made_chisq_{statistic}", "statistic"), rel=1e-6
    )
    assert t["p"] == pytest.approx(r_value(f"made_chisq_{statistic}", "p"), rel=1e-6)


def test_lonely_average_in_a_calibrated_design_counts_every_stratum():
    # R keeps all rows of a calibrated design in a domain's subset (prob = Inf), so its
    # onestage sees every stratum: the design's 5/3, not the domain's
    s = ym.Survey(made_data()).with_design(
        weight="w", strata="s5", cluster="cl", lonely_psu="average"
    )
    s = ym.calibrate(s, {"(Intercept)": 500, "x": 260})
    check(ym.mean(s, "y", by="dom"), "made_taylor_average_calibrated_by_dom_mean_y", ["A", "B"])
