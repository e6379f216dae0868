"""Every value of R's survey 4.1.1 in tests/reference/survey_reference.csv, reproduced.

The values were computed by tests/reference/make_reference.R (a frozen copy of
../shared/reference) on R's own ``api`` data; the data and replicate weights it wrote are in
tests/reference/api/. Each reference id below maps to the youthmedia call that must give the
same numbers to a relative difference of 1e-6 (absolute 1e-10 for values that are zero).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import youthmedia as ym
from youthmedia import design as dz

REF = Path(__file__).resolve().parent / "reference"
TABLE = pd.read_csv(REF / "survey_reference.csv", keep_default_na=False)

# Regression (svyglm) and Cronbach's alpha belong to the models and scales modules; their
# tests reproduce these rows. Everything else is checked here.
OTHER_MODULES = {"strat_glm_gaussian", "clus1_glm_logit", "strat_cralpha"}
IDS = [i for i in dict.fromkeys(TABLE["id"]) if i not in OTHER_MODULES]


@cache
def api(name: str) -> pd.DataFrame:
    data = pd.read_csv(REF / "api" / f"{name}.csv")
    for col in ("stype", "sch.wide", "awards", "both"):
        if col in data:
            data[col] = pd.Categorical(
                data[col], categories=sorted(data[col].dropna().unique()), ordered=True
            )
    for col, src in (("schwide_yes", "sch.wide"), ("both_yes", "both"), ("stype_h", "stype")):
        if src in data:
            value = "H" if src == "stype" else "Yes"
            data[col] = (data[src].astype(object) == value).astype(float)
    return data


def survey(name: str) -> ym.Survey:
    return ym.Survey(api(name))


def srs():
    return survey("apisrs").with_design(weight="pw")


def strat(fpc=None):
    return survey("apistrat").with_design(weight="pw", strata="stype", fpc=fpc)


def clus1():
    return survey("apiclus1").with_design(weight="pw", cluster="dnum")


def clus2():
    return survey("apiclus2").with_design(weight="pw", cluster=["dnum", "snum"])


def rows(r: ym.Result, quantity_from=("estimate", "se"), key=lambda row: "") -> dict:
    out = {}
    for _, row in r.iterrows():
        for q in quantity_from:
            out[(q, key(row))] = float(row[q])
    return out


def means(r, var):
    return rows(r, key=lambda row: var)


def cats(r, var):
    return rows(r, key=lambda row: f"{var}{row['category']}")


def ciprop(r):
    return rows(r, quantity_from=("estimate", "ci_low", "ci_high"))


POP_STYPE = {"E": 4421, "H": 755, "M": 1018}


def compute(ref_id: str) -> dict:
    m = {
        "srs_mean_api00": lambda: means(ym.mean(srs(), "api00"), "api00"),
        "srs_total_enroll": lambda: means(ym.total(srs(), "enroll"), "enroll"),
        "srs_share_stype": lambda: cats(ym.share(srs(), "stype"), "stype"),
        "strat_mean_api00": lambda: means(ym.mean(strat(), "api00"), "api00"),
        "stratfpc_mean_api00": lambda: means(ym.mean(strat(fpc="fpc"), "api00"), "api00"),
        "strat_share_awards": lambda: cats(ym.share(strat(), "awards"), "awards"),
        "clus1_mean_api00": lambda: means(ym.mean(clus1(), "api00"), "api00"),
        "clus1_total_enroll": lambda: means(ym.total(clus1(), "enroll"), "enroll"),
        "clus1_share_stype": lambda: cats(ym.share(clus1(), "stype"), "stype"),
        "clus2_mean_api00": lambda: means(ym.mean(clus2(), "api00"), "api00"),
        "clus2_share_sch.wide": lambda: cats(ym.share(clus2(), "sch.wide"), "sch.wide"),
        "strat_mean_avg.ed_narm": lambda: means(ym.mean(strat(), "avg.ed"), "avg.ed"),
        "clus1_by_stype_mean_api00": lambda: rows(
            ym.mean(clus1(), "api00", by="stype"), key=lambda row: str(row["stype"])
        ),
        "strat_by_awards_share_sch.wide": lambda: rows(
            ym.share(strat(), "sch.wide", by="awards"),
            key=lambda row: f"{row['awards']}:sch.wide{row['category']}",
        ),
        "clus1_deff_api00": lambda: {
            ("deff", "api00"): float(ym.mean(clus1(), "api00")["deff"][0])
        },
        "srs_kish_neff": lambda: {("n_eff", ""): float(srs().weights_summary()["n_eff"])},
        "strat_kish_neff": lambda: {("n_eff", ""): float(strat().weights_summary()["n_eff"])},
        "clus1_degf": lambda: {("df", ""): dz.degf(clus1())},
        "strat_degf": lambda: {("df", ""): dz.degf(strat())},
        "clus1_chisq_F": lambda: _chisq(clus1(), "sch.wide", "stype", "F"),
        "clus1_chisq_Chisq": lambda: _chisq(clus1(), "sch.wide", "stype", "Chisq"),
        "strat_chisq_F": lambda: _chisq(strat(), "awards", "stype", "F"),
        "clus1_jk1_mean_api00": lambda: means(ym.mean(jk1(), "api00"), "api00"),
        "clus1_jk1_share_stype": lambda: cats(ym.share(jk1(), "stype"), "stype"),
        "clus1_jk1_scale": lambda: {("scale", ""): jk1().design.scale},
        "strat_fay_mean_api00": lambda: means(ym.mean(fay(False), "api00"), "api00"),
        "strat_fay_mse_mean_api00": lambda: means(ym.mean(fay(True), "api00"), "api00"),
        "strat_fay_share_sch.wide": lambda: cats(ym.share(fay(False), "sch.wide"), "sch.wide"),
        "strat_boot_mean_api00": lambda: means(ym.mean(boot(), "api00"), "api00"),
        "clus1_poststrat_mean_api00": lambda: means(
            ym.mean(ym.poststratify(clus1(), "stype", POP_STYPE), "api00"), "api00"
        ),
        "clus1_rake_mean_api00": lambda: means(
            ym.mean(
                ym.rake(
                    clus1(),
                    {"stype": POP_STYPE, "sch.wide": {"No": 1072, "Yes": 5122}},
                    max_iter=10,
                    tol=1,
                ),
                "api00",
            ),
            "api00",
        ),
    }
    for method in ("logit", "likelihood", "asin", "beta", "mean", "xlogit"):
        m[f"clus1_ciprop_{method}"] = lambda mt=method: ciprop(
            ym.share(clus1(), "schwide_yes", ci=mt)
        )
        m[f"strat_ciprop_{method}"] = lambda mt=method: ciprop(ym.share(strat(), "both_yes", ci=mt))
    m["clus1_ciprop_logit_small"] = lambda: ciprop(ym.share(clus1(), "stype_h", ci="logit"))
    m["clus1_ciprop_beta_small"] = lambda: ciprop(ym.share(clus1(), "stype_h", ci="beta"))
    return m[ref_id]()


def _chisq(s, row, col, statistic):
    t = ym.chisq(s, row, col, statistic=statistic)
    out = {("statistic", ""): t.statistic, ("p", ""): t.p}
    if statistic == "F":
        out[("ndf", "")] = t.ndf
        out[("ddf", "")] = t.ddf
    else:
        out[("df", "")] = t.df
    return out


def jk1():
    data = pd.read_csv(REF / "api" / "apiclus1_jk1_weights.csv")
    data["stype"] = pd.Categorical(data["stype"], categories=["E", "H", "M"], ordered=True)
    cols = [c for c in data.columns if c.startswith("jk1_")]
    return ym.Survey(data).with_replicates(cols, method="JK1", weight="pw")


def fay(mse):
    data = pd.read_csv(REF / "api" / "apistrat_fay_weights.csv")
    cols = [c for c in data.columns if c.startswith("fay_")]
    return ym.Survey(data).with_replicates(cols, method="Fay", rho=0.5, weight="pw", mse=mse)


def boot():
    data = pd.read_csv(REF / "api" / "apistrat_boot_weights.csv")
    cols = [c for c in data.columns if c.startswith("bs_")]
    return ym.Survey(data).with_replicates(cols, method="bootstrap", weight="pw")


@pytest.mark.parametrize("ref_id", IDS)
def test_reproduces_r(ref_id):
    expected = TABLE[TABLE["id"] == ref_id]
    got = compute(ref_id)
    for _, row in expected.iterrows():
        key = (row["quantity"], row["term"])
        assert key in got, f"{ref_id}: no {key} in {sorted(got)}"
        want = float(row["value"])
        assert got[key] == pytest.approx(want, rel=1e-6, abs=1e-10), (ref_id, key, got[key], want)


def test_every_reference_row_is_checked_somewhere():
    """Rows not checked here are exactly the regression and alpha rows of other modules."""
    left = set(TABLE["id"]) - set(IDS)
    assert left == OTHER_MODULES
    assert len(TABLE) == 146


def test_jk1_built_from_the_cluster_design_matches_r():
    """as.svrepdesign(dclus1, type="JK1") — built here instead of read from the columns."""
    r = ym.mean(clus1().to_replicates("JK1"), "api00")
    ref = TABLE[(TABLE["id"] == "clus1_jk1_mean_api00") & (TABLE["quantity"] == "se")]["value"]
    assert float(r["se"][0]) == pytest.approx(float(ref.iloc[0]), rel=1e-6)


# --------------------------------------------------------------------------------------------
# Further R values (tests/reference/make_extra_reference.R -> extra_reference.csv)
# --------------------------------------------------------------------------------------------
EXTRA = pd.read_csv(REF / "extra_reference.csv", keep_default_na=False)


def lonely(option):
    data = api("apiclus1").copy()
    top = data["dnum"].max()
    data["lone"] = np.where(data["dnum"] == top, "c", np.where(data["dnum"] < 400, "a", "b"))
    return ym.Survey(data).with_design(
        weight="pw", strata="lone", cluster="dnum", lonely_psu=option
    )


def strat_sw():
    return strat()


def compute_extra(ref_id: str) -> dict:
    pop_sw = {"No": 1072, "Yes": 5122}
    m = {
        "clus2fpc_mean_api00": lambda: means(ym.mean(clus2fpc(), "api00"), "api00"),
        "clus2fpc_total_enroll": lambda: means(ym.total(clus2fpc(), "enroll"), "enroll"),
        "strat_jkn_mean_api00": lambda: means(
            ym.mean(strat().to_replicates("JKn"), "api00"), "api00"
        ),
        "strat_jkn_share_sch.wide": lambda: cats(
            ym.share(strat().to_replicates("JKn"), "sch.wide"), "sch.wide"
        ),
        "lonely_degf": lambda: {("df", ""): dz.degf(lonely("adjust"))},
        "clus1_diff_H_E_api00": lambda: rows(
            ym.difference(clus1(), "api00", by="stype", groups=("E", "H"))
        ),
        "strat_diff_M_H_schwide": lambda: rows(
            ym.difference(strat(), "schwide_yes", by="stype", groups=("H", "M"))
        ),
        "clus1_jk1_by_stype_mean_api00": lambda: rows(
            ym.mean(clus1().to_replicates("JK1"), "api00", by="stype"),
            key=lambda row: str(row["stype"]),
        ),
        "clus1_jk1_chisq_F": lambda: _chisq(clus1().to_replicates("JK1"), "sch.wide", "stype", "F"),
        "clus1_jk1_poststrat_mean_api00": lambda: means(
            ym.mean(ym.poststratify(clus1().to_replicates("JK1"), "stype", POP_STYPE), "api00"),
            "api00",
        ),
        "clus1_jk1_rake_mean_api00": lambda: means(
            ym.mean(
                ym.rake(
                    clus1().to_replicates("JK1"),
                    {"stype": POP_STYPE, "sch.wide": pop_sw},
                    max_iter=10,
                    tol=1,
                ),
                "api00",
            ),
            "api00",
        ),
        "clus1_poststrat_share_sch.wide": lambda: cats(
            ym.share(ym.poststratify(clus1(), "stype", POP_STYPE), "sch.wide"), "sch.wide"
        ),
        "clus1_poststrat_total_enroll": lambda: means(
            ym.total(ym.poststratify(clus1(), "stype", POP_STYPE), "enroll"), "enroll"
        ),
        "clus1_total_stype": lambda: cats(ym.total(clus1(), "stype"), "stype"),
        "clus1_deff_stype": lambda: rows(
            ym.share(clus1(), "stype"),
            quantity_from=("deff",),
            key=lambda row: f"stype{row['category']}",
        ),
        "stratfpc_by_awards_mean_api00": lambda: rows(
            ym.mean(strat(fpc="fpc"), "api00", by="awards"), key=lambda row: str(row["awards"])
        ),
    }
    for option in ("adjust", "certainty", "average", "remove"):
        m[f"lonely_{option}_mean_api00"] = lambda o=option: means(
            ym.mean(lonely(o), "api00"), "api00"
        )
    pop_sw = {"No": 1072, "Yes": 5122}
    m["clus1_poststrat_by_sch.wide_mean_api00"] = lambda: rows(
        ym.mean(ym.poststratify(clus1(), "stype", POP_STYPE), "api00", by="sch.wide"),
        key=lambda row: str(row["sch.wide"]),
    )
    m["clus1_rake_by_stype_mean_api00"] = lambda: rows(
        ym.mean(
            ym.rake(clus1(), {"stype": POP_STYPE, "sch.wide": pop_sw}, max_iter=10, tol=1),
            "api00",
            by="stype",
        ),
        key=lambda row: str(row["stype"]),
    )
    # weights that vary within the cells: poststratify keeps R's GREG residual, rake R's sweeps
    m["strat_poststrat_sch.wide_mean_api00"] = lambda: means(
        ym.mean(ym.poststratify(strat(), "sch.wide", pop_sw), "api00"), "api00"
    )
    m["clus2_poststrat_mean_api00"] = lambda: means(
        ym.mean(ym.poststratify(clus2(), "stype", POP_STYPE), "api00"), "api00"
    )
    m["clus2_rake_mean_api00"] = lambda: means(
        ym.mean(ym.rake(clus2(), {"stype": POP_STYPE}, max_iter=10, tol=1), "api00"), "api00"
    )
    m["strat_rake_mean_api00"] = lambda: means(
        ym.mean(
            ym.rake(strat(), {"stype": POP_STYPE, "sch.wide": pop_sw}, max_iter=10, tol=1), "api00"
        ),
        "api00",
    )
    m["clus2fpc_by_stype_mean_api00"] = lambda: rows(
        ym.mean(clus2fpc(), "api00", by="stype"), key=lambda row: str(row["stype"])
    )
    # crosstab(y, group): y within each group, as svyby(~y, ~group, svymean); "row" reads the
    # table the other way; "total" is the share of the whole table
    m["clus1_xtab_stype_within_sch.wide"] = lambda: rows(
        ym.crosstab(clus1(), "stype", "sch.wide"),
        key=lambda row: f"{row['sch.wide']}:stype{row['category']}",
    )
    m["clus1_xtab_sch.wide_within_stype"] = lambda: rows(
        ym.crosstab(clus1(), "stype", "sch.wide", percent="row"),
        key=lambda row: f"{row['stype']}:sch.wide{row['category']}",
    )
    m["clus1_xtab_total"] = lambda: rows(
        ym.crosstab(clus1(), "stype", "sch.wide", percent="total"),
        key=lambda row: f"interaction(stype, sch.wide){row['category']}.{row['sch.wide']}",
    )
    for method in ("logit", "beta", "likelihood"):
        m[f"clus1_by_stype_ciprop_{method}"] = lambda mt=method: rows(
            ym.share(clus1(), "schwide_yes", by="stype", ci=mt),
            quantity_from=("estimate", "ci_low", "ci_high"),
            key=lambda row: str(row["stype"]),
        )
    return m[ref_id]()


def clus2fpc():
    return survey("apiclus2").with_design(
        weight="pw", cluster=["dnum", "snum"], fpc=["fpc1", "fpc2"]
    )


@pytest.mark.parametrize("ref_id", list(dict.fromkeys(EXTRA["id"])))
def test_reproduces_more_of_r(ref_id):
    expected = EXTRA[EXTRA["id"] == ref_id]
    got = compute_extra(ref_id)
    for _, row in expected.iterrows():
        key = (row["quantity"], row["term"])
        assert key in got, f"{ref_id}: no {key} in {sorted(got)}"
        want = float(row["value"])
        assert got[key] == pytest.approx(want, rel=1e-6, abs=1e-10), (ref_id, key, got[key], want)
