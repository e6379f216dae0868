"""The measured steps: youthmedia, its floor and its peers, each as ``setup`` + ``run``.

Every (step, tool) pair runs in its own Python process (``python -m bench.steps STEP TOOL``),
so that its peak memory is its own: before each timed run the process resets the kernel's
high-water mark of its resident memory (``/proc/self/clear_refs``, Linux ≥ 4.0) and reads it
back afterwards (``VmHWM``), which counts C allocations (pyreadstat, numpy, BLAS) that
``tracemalloc`` cannot see. Where the kernel does not offer the reset, a psutil thread samples
the RSS every 2 ms instead. "peak" is the high-water mark minus the RSS the run started from:
the memory the step itself needed on top of its inputs.

A run writes the numbers it produced, in one tidy shape (``group``, ``variable``,
``category``, ``estimate``, ``se``; codes, not labels), so that ``bench/run.py`` can check that
youthmedia, the floor and the peers agree.

Examples
--------
>>> from bench.steps import STEPS
>>> sorted(STEPS)                      # doctest: +NORMALIZE_WHITESPACE
['app', 'crosstab', 'deck', 'deck_200', 'growth', 'issue4', 'load_all', 'load_selected', 'models_lin',
 'models_rep', 'privacy_gate', 'shares_lin', 'shares_rep', 'summaries']
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from bench import generate as gen

HERE = Path(__file__).resolve().parent
OUT = gen.WORK / "out"
ISSUE4_ROWS = 1_000_000
TAYLOR = {"strata": gen.STRATUM, "cluster": gen.PSU}

warnings.filterwarnings("ignore", category=FutureWarning)  # samplics' "archived" notice


# --------------------------------------------------------------------------------------------
# Memory
# --------------------------------------------------------------------------------------------
def _status(key: str) -> int:
    """A ``/proc/self/status`` entry in bytes (0 where unavailable)."""
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return 0
    m = re.search(rf"^{key}:\s+(\d+)\s+kB", text, re.M)
    return int(m.group(1)) * 1024 if m else 0


class PeakMeter:
    """Peak resident memory of this process during a block, above where it started."""

    def __init__(self) -> None:
        self.exact = self._can_reset()
        self.start = self.peak = 0

    @staticmethod
    def _can_reset() -> bool:
        try:
            with open("/proc/self/clear_refs", "w") as fh:
                fh.write("5")
            return _status("VmHWM") > 0
        except OSError:
            return False

    def __enter__(self) -> PeakMeter:
        gc.collect()
        self._children = ChildPeaks()
        self.start = _status("VmRSS")
        if self.exact:
            with open("/proc/self/clear_refs", "w") as fh:
                fh.write("5")
        else:
            import psutil

            proc = psutil.Process()
            self._stop = threading.Event()
            self._max = proc.memory_info().rss
            self.start = self._max

            def sample() -> None:
                while not self._stop.is_set():
                    self._max = max(self._max, proc.memory_info().rss)
                    self._stop.wait(0.002)

            self._thread = threading.Thread(target=sample, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.exact:
            self.peak = _status("VmHWM")
        else:
            self._stop.set()
            self._thread.join()
            self.peak = self._max
        self._children.stop()

    @property
    def extra(self) -> int:
        """What the step needed: this process above its start, plus every worker's peak."""
        return max(self.peak - self.start, 0) + self.children

    @property
    def children(self) -> int:
        """The sum of the peaks (VmHWM) of the processes the step started."""
        return self._children.total


class ChildPeaks:
    """The high-water marks (VmHWM, the kernel's own peak) of the processes a step starts, kept
    by a watcher *process* that polls them every 5 ms (a poll misses nothing but a worker that
    lives under 5 ms). A watcher thread perturbed what it measured: each poll reads the
    ``children`` file of every thread (23 in a process that has loaded polars and pyarrow),
    0.45 ms holding the GIL every 5 ms, which made the deck 20 % slower."""

    def __init__(self) -> None:
        self._proc = subprocess.Popen(
            [sys.executable, "-c", _WATCHER, str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self._proc.stdout.readline()  # "ready": the watcher runs before the timed step starts
        self.peaks: dict[int, int] = {}

    def stop(self) -> None:
        out, _ = self._proc.communicate("")  # closing its stdin ends the watcher
        self.peaks = {int(k): v for k, v in json.loads(out or "{}").items()}

    @property
    def total(self) -> int:
        return sum(self.peaks.values())


_WATCHER = r"""
import json, os, re, select, sys
parent, me, peaks = int(sys.argv[1]), os.getpid(), {}
def children(pid):
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for t in tasks:
            try:
                with open(f"/proc/{p}/task/{t}/children") as fh:
                    kids = [int(x) for x in fh.read().split() if int(x) != me]
            except (OSError, ValueError):
                continue
            out += kids
            todo += kids
    return out
print("ready", flush=True)
while not select.select([sys.stdin], [], [], 0.005)[0]:
    for pid in children(parent):
        try:
            with open(f"/proc/{pid}/status") as fh:
                m = re.search(r"^VmHWM:\s+(\d+)\s+kB", fh.read(), re.M)
        except OSError:
            continue
        if m:
            peaks[pid] = max(peaks.get(pid, 0), int(m.group(1)) * 1024)
print(json.dumps(peaks))
"""


# --------------------------------------------------------------------------------------------
# Inputs shared by the steps
# --------------------------------------------------------------------------------------------
@dataclass
class Ctx:
    """What a step knows: the file, its layout and the options of the run."""

    path: Path
    scale: float
    lay: gen.Layout
    budget: float = 120.0  # seconds a slow peer may spend before extrapolating
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def selected(self) -> list[str]:
        return self.lay.selected

    @property
    def xtab(self) -> tuple[str, str]:
        return self.lay.items4[10], self.lay.items5[10]

    @property
    def estimate_columns(self) -> list[str]:
        return [
            gen.GROUP,
            gen.STRATUM,
            gen.PSU,
            *self.selected,
            *self.xtab,
            gen.WEIGHT,
            *gen.REPLICATES,
        ]


def prep_dir(ctx: Ctx) -> Path:
    d = gen.WORK / "prep" / ctx.path.stem
    d.mkdir(parents=True, exist_ok=True)
    return d


def codes_frame(ctx: Ctx) -> pd.DataFrame:
    """The estimate steps' columns as pyreadstat reads them (user-missing codes -> NaN).

    Read once per file and kept as a pickle, so every step process starts from the same
    numbers in a second rather than re-parsing the .sav.
    """
    cache = prep_dir(ctx) / "codes.pkl"
    if cache.exists():
        return pd.read_pickle(cache)
    import pyreadstat

    df, _ = pyreadstat.read_sav(str(ctx.path), usecols=ctx.estimate_columns)
    df = df.astype("float64")
    df.to_pickle(cache)
    return df


def ym_survey(ctx: Ctx, columns: list[str] | None = None):
    """youthmedia's Survey of the estimate columns (an untimed setup)."""
    import youthmedia as ym

    return ym.load(ctx.path, columns=columns or ctx.estimate_columns)


def issue4_frame() -> pd.DataFrame:
    """1,000,000 respondents: a 10-category answer by a 10-category group, with a weight."""
    cache = gen.WORK / "prep" / f"issue4_{ISSUE4_ROWS}.pkl"
    if cache.exists():
        return pd.read_pickle(cache)
    cache.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(4)
    n = ISSUE4_ROWS
    g = rng.integers(1, 11, n)
    p = rng.dirichlet(np.ones(10), 10)
    cum = p.cumsum(axis=1)[g - 1]
    y = (rng.random(n)[:, None] > cum).sum(axis=1) + 1.0
    y = np.minimum(y, 10.0)
    y[rng.random(n) < 0.02] = np.nan
    w = np.round(rng.lognormal(0, 0.5, n) * 50, 4)
    df = pd.DataFrame({"g": g.astype(float), "y": y, "w": w})
    df.to_pickle(cache)
    return df


def issue4_survey():
    """The issue-4 data as a loaded youthmedia Survey (labelled categoricals, a weight)."""
    from youthmedia.codebook import Codebook, Variable
    from youthmedia.survey import Survey

    df = issue4_frame()
    glabels = {float(i): f"Group {i}" for i in range(1, 11)}
    ylabels = {float(i): f"Answer {i}" for i in range(1, 11)}
    data = pd.DataFrame(
        {
            "g": pd.Categorical.from_codes(
                df["g"].to_numpy().astype(int) - 1, categories=list(glabels.values()), ordered=True
            ),
            "y": pd.Categorical.from_codes(
                np.nan_to_num(df["y"].to_numpy(), nan=0).astype(int) - 1,
                categories=list(ylabels.values()),
                ordered=True,
            ),
            "w": df["w"],
        }
    )
    cb = Codebook(
        {
            "g": Variable("g", value_labels=glabels),
            "y": Variable("y", value_labels=ylabels),
            "w": Variable("w"),
        }
    )
    return Survey(data, cb)  # the design is built in the timed run


# --------------------------------------------------------------------------------------------
# Tidy results
# --------------------------------------------------------------------------------------------
def tidy_ym(result: Any, survey: Any, group: str | None) -> pd.DataFrame:
    """A youthmedia Result as codes: group, variable, category, estimate, se."""
    frame = pd.DataFrame(result)
    out = pd.DataFrame({"variable": frame["variable"].astype(str)})
    if group:
        back = {lab: code for code, lab in survey.codebook[group].value_labels.items()}
        out["group"] = frame[group].astype(str).map(back).astype(float)
    else:
        out["group"] = -1.0
    cats = []
    for var, cat in zip(frame["variable"].astype(str), frame["category"].astype(str), strict=True):
        back = {lab: code for code, lab in survey.codebook[var].value_labels.items()}
        cats.append(float(back.get(cat, np.nan)))
    out["category"] = cats
    out["estimate"] = frame["estimate"].to_numpy(dtype=float)
    out["se"] = frame["se"].to_numpy(dtype=float)
    return out[["group", "variable", "category", "estimate", "se"]]


def _save(step: str, tool: str, frame: pd.DataFrame | None) -> None:
    if frame is None:
        return
    OUT.mkdir(parents=True, exist_ok=True)
    frame.to_csv(OUT / f"{step}.{tool}.csv", index=False, float_format="%.17g")


# --------------------------------------------------------------------------------------------
# Floors: plain pandas groupby of the weighted sums (+ the numpy lines that make SEs of them)
# --------------------------------------------------------------------------------------------
def _fay_se(theta: np.ndarray) -> np.ndarray:
    """R's svrVar for Fay: 1/(R (1-rho)^2) Σ (θ_r - mean θ)^2 (replicates in columns)."""
    R = theta.shape[1]
    centred = theta - theta.mean(axis=1, keepdims=True)
    return np.sqrt((centred**2).sum(axis=1) / (R * (1 - gen.RHO) ** 2))


def floor_shares_rep(df: pd.DataFrame, variables: list[str], group: str) -> pd.DataFrame:
    """Per variable one sparse (cell × row) indicator times the rows × 81 weights: the 81
    weighted sums of every (group, category) cell, then R's Fay variance of their ratios."""
    import scipy.sparse as sp

    W = np.ascontiguousarray(df[[gen.WEIGHT, *gen.REPLICATES]].to_numpy(dtype=float))
    g_codes, g_vals = pd.factorize(df[group], sort=True)
    G, n = len(g_vals), len(df)
    out = []
    for v in variables:
        y = df[v].to_numpy()
        ok = np.flatnonzero(~np.isnan(y))
        k = y[ok].astype(np.intp)
        K = int(k.max()) + 1
        M = sp.csr_matrix((np.ones(len(ok)), (g_codes[ok] * K + k, ok)), shape=(G * K, n))
        sums = (M @ W).reshape(G, K, -1)  # group × category × 81
        shares = sums / sums.sum(axis=1, keepdims=True)
        cg, ck = np.nonzero(sums[:, :, 0] > 0)
        out.append(
            pd.DataFrame(
                {
                    "group": np.asarray(g_vals, float)[cg],
                    "variable": v,
                    "category": ck.astype(float),
                    "estimate": shares[cg, ck, 0],
                    "se": _fay_se(shares[cg, ck, 1:]),
                }
            )
        )
    return pd.concat(out, ignore_index=True)


def limit_setup(df: pd.DataFrame, variables: list[str], group: str) -> dict:
    """The replicate limit's inputs: the 81 weights and the 0/1 indicators of every category
    of every variable, rows sorted by group (untimed: only the products are the limit)."""
    order = np.argsort(df[group].to_numpy(), kind="stable")
    W = np.ascontiguousarray(df[[gen.WEIGHT, *gen.REPLICATES]].to_numpy(dtype=float)[order])
    cols = []
    for v in variables:
        y = df[v].to_numpy()[order]
        for c in np.unique(y[~np.isnan(y)]):
            cols.append(y == c)
    X = np.ascontiguousarray(np.column_stack(cols), dtype=float)
    g = df[group].to_numpy()[order]
    bounds = np.flatnonzero(np.r_[True, g[1:] != g[:-1], True])
    return {"W": W, "X": X, "bounds": bounds}


def limit_shares_rep(inp: dict) -> list[np.ndarray]:
    """The physical limit of replicate shares: per group one BLAS product of its rows'
    81 weights with the indicators of all categories of all variables (81 × cells)."""
    W, X, b = inp["W"], inp["X"], inp["bounds"]
    return [W[b[i] : b[i + 1]].T @ X[b[i] : b[i + 1]] for i in range(len(b) - 1)]


def _codes(df: pd.DataFrame, name: str | None, n: int) -> tuple[np.ndarray, np.ndarray]:
    if name is None:
        return np.zeros(n, dtype=np.intp), np.array([-1.0])
    codes, values = pd.factorize(df[name], sort=True)
    return codes.astype(np.intp), np.asarray(values, dtype=float)


def floor_share_srs(df: pd.DataFrame, y: str, group: str, weight: str) -> pd.DataFrame:
    """The share of each answer code by group with its SE, rows as PSUs and no strata: two
    ``numpy.bincount`` sums (w and w² per group × code) and R's with-replacement variance
    var = n/(n-1) Σ_g-rows w²(1[k] − p)²/W² − (Σ w(1[k] − p)/W)²/(n-1), the codes used as bins.
    """
    yv, gv, wv = (df[c].to_numpy() for c in (y, group, weight))
    ok = ~np.isnan(yv)
    k, g, w = yv[ok].astype(np.intp), gv[ok].astype(np.intp), wv[ok]
    K, G, n = int(k.max()) + 1, int(g.max()) + 1, len(df)
    S = np.bincount(g * K + k, w, G * K).reshape(G, K)
    Q = np.bincount(g * K + k, w * w, G * K).reshape(G, K)
    W = S.sum(axis=1, keepdims=True)
    P = S / np.where(W > 0, W, 1)
    B = (Q - 2 * P * Q + P * P * Q.sum(axis=1, keepdims=True)) / np.where(W > 0, W, 1) ** 2
    V = n / (n - 1) * B  # Σ_j z_j = 0 within the one stratum: no centring term
    cg, ck = np.nonzero(S > 0)
    return pd.DataFrame(
        {
            "group": cg.astype(float),
            "variable": y,
            "category": ck.astype(float),
            "estimate": P[cg, ck],
            "se": np.sqrt(V[cg, ck]),
        }
    )


def floor_shares_lin(
    df: pd.DataFrame,
    variables: list[str],
    group: str | None,
    strata: str | None,
    psu: str | None,
    weight: str,
) -> pd.DataFrame:
    """Taylor linearisation (with-replacement, ultimate clusters) from ``numpy.bincount`` sums.

    For the share p of category k in group g: z_j = (S_jgk - p S_jg) / W_g per PSU j, and
    var = Σ_h n_h/(n_h - 1) (Σ_j z_hj² - (Σ_j z_hj)² / n_h) with n_h the PSUs of stratum h
    (every PSU of the design, as R's ``svyby`` keeps the whole design for each domain). Without
    PSUs each row is one: Σ z² comes from the sums of w² per (stratum, group, category).
    """
    n = len(df)
    g, g_vals = _codes(df, group, n)
    h, _ = _codes(df, strata, n) if strata else (np.zeros(n, dtype=np.intp), None)
    G, H = len(g_vals), int(h.max()) + 1 if strata else 1
    w_all = df[weight].to_numpy(dtype=float)
    if psu:
        j, _ = _codes(df, psu, n)
        h_of_j = np.zeros(int(j.max()) + 1, dtype=np.intp)
        h_of_j[j] = h
        pair, pairs = pd.factorize(j * G + g)  # (PSU, group) pairs with rows
        pg, ph = pairs % G, h_of_j[pairs // G]
        n_h = np.bincount(h_of_j, minlength=H).astype(float)
    else:
        pair, pg, ph = None, None, None
        n_h = np.bincount(h, minlength=H).astype(float) if strata else np.array([float(n)])
    c_h = np.where(n_h > 1, n_h / np.maximum(n_h - 1, 1), 0.0)
    out = []
    for v in variables:
        y = df[v].to_numpy()
        ok = ~np.isnan(y)
        k, w, gg = y[ok].astype(np.intp), w_all[ok], g[ok]
        K = int(k.max()) + 1
        if psu:
            cell = np.bincount(gg * K + k, w, G * K).reshape(G, K)
        else:  # rows are PSUs: sums of w and w² per (stratum, group, category)
            hgk = ((h[ok] * G + gg) * K if strata else gg * K) + k
            S = np.bincount(hgk, w, H * G * K).reshape(H * G, K)
            Q = np.bincount(hgk, w * w, H * G * K).reshape(H * G, K)
            cell = S.reshape(H, G, K).sum(axis=0)
        Wg = cell.sum(axis=1)
        P = cell / np.where(Wg > 0, Wg, 1)[:, None]
        if psu:
            S = np.bincount(pair[ok] * K + k, w, len(pairs) * K).reshape(-1, K)
            Z = (S - P[pg] * S.sum(axis=1, keepdims=True)) / Wg[pg][:, None]
            hg = ph * G + pg
            A = np.column_stack([np.bincount(hg, Z[:, c], H * G) for c in range(K)])
            B = np.column_stack([np.bincount(hg, Z[:, c] ** 2, H * G) for c in range(K)])
        else:  # Σ w²(1[k] − p)² / W² per (stratum, group)
            Q0, S0 = Q.sum(axis=1), S.sum(axis=1)
            Pr, Wr = P[np.arange(H * G) % G], np.where(Wg > 0, Wg, 1)[np.arange(H * G) % G]
            B = (Q - 2 * Pr * Q + Pr * Pr * Q0[:, None]) / Wr[:, None] ** 2
            A = (S - Pr * S0[:, None]) / Wr[:, None]
        nh = n_h[np.arange(H * G) // G][:, None]
        part = c_h[np.arange(H * G) // G][:, None] * (B - A**2 / np.maximum(nh, 1))
        V = part.reshape(H, G, K).sum(axis=0)
        cg, ck = np.nonzero(cell > 0)
        out.append(
            pd.DataFrame(
                {
                    "group": g_vals[cg],
                    "variable": v,
                    "category": ck.astype(float),
                    "estimate": P[cg, ck],
                    "se": np.sqrt(V[cg, ck]),
                }
            )
        )
    return pd.concat(out, ignore_index=True)


# --------------------------------------------------------------------------------------------
# Peers
# --------------------------------------------------------------------------------------------
def _over_budget(ctx: Ctx, t0: float, done: int, total: int) -> bool:
    """Stop a slow peer after ``ctx.budget`` seconds (at least one variable done)."""
    return (
        done >= 1 and done < total and (time.perf_counter() - t0) * (done + 1) / done > ctx.budget
    )


def samplics_shares(
    ctx: Ctx,
    df: pd.DataFrame,
    variables: list[str],
    replicate: bool,
    group: str | None = gen.GROUP,
    weight: str = gen.WEIGHT,
    strata: str | None = gen.STRATUM,
    psu: str | None = gen.PSU,
) -> tuple[pd.DataFrame, dict]:
    from samplics import PopParam, ReplicateEstimator, RepMethod, TaylorEstimator

    out, t0 = [], time.perf_counter()
    done = 0
    for v in variables:
        ok = df[v].notna().to_numpy()
        y = df[v].to_numpy()[ok]
        dom = df[group].to_numpy()[ok] if group else None
        if replicate:
            est = ReplicateEstimator(RepMethod.brr, PopParam.prop, fay_coef=gen.RHO)
            est.estimate(
                y=y,
                samp_weight=df[weight].to_numpy()[ok],
                rep_weights=df[gen.REPLICATES].to_numpy()[ok],
                domain=dom,
                conservative=False,
            )
        else:
            est = TaylorEstimator(PopParam.prop)
            est.estimate(
                y=y,
                samp_weight=df[weight].to_numpy()[ok],
                stratum=df[strata].to_numpy()[ok] if strata else None,
                psu=df[psu].to_numpy()[ok] if psu else None,
                domain=dom,
            )
        for gk, cats in est.point_est.items() if group else [(-1.0, est.point_est)]:
            ses = est.stderror[gk] if group else est.stderror
            for k, p in cats.items():
                out.append((float(gk), v, float(k), float(p), float(ses[k])))
        done += 1
        if _over_budget(ctx, t0, done, len(variables)):
            break
    frame = pd.DataFrame(out, columns=["group", "variable", "category", "estimate", "se"])
    return frame, {
        "fraction": done / len(variables),
        "note": f"samplics ran {done} of {len(variables)} variables; time × "
        f"{len(variables) / done:g}"
        if done < len(variables)
        else "",
    }


def svy_shares(
    df: pd.DataFrame,
    variables: list[str],
    replicate: bool,
    group: str | None = gen.GROUP,
    weight: str = gen.WEIGHT,
    strata: str | None = gen.STRATUM,
    psu: str | None = gen.PSU,
) -> pd.DataFrame:
    import polars as pl
    import svy

    cols = [c for c in dict.fromkeys([group, weight, strata, psu, *variables]) if c]
    if replicate:
        cols += gen.REPLICATES
        design = svy.Design(
            wgt=weight,
            rep_wgts=svy.BrrWgts(prefix="W_FSTURWT", n_reps=gen.N_REPS, fay_coef=gen.RHO),
        )
    else:
        design = svy.Design(wgt=weight, stratum=strata, psu=psu)
    sample = svy.Sample(pl.from_pandas(df[cols]), design)
    kw = {"method": "replication", "fay_coef": gen.RHO} if replicate else {}
    ests = sample.estimation.prop(list(variables), by=group, drop_nulls=True, **kw)
    out = []
    for v, e in zip(variables, ests if isinstance(ests, list) else [ests], strict=True):
        t = e.to_polars().to_pandas()
        out.append(
            pd.DataFrame(
                {
                    "group": t[group].astype(float) if group else -1.0,
                    "variable": v,
                    "category": t[v].astype(float),
                    "estimate": t["est"],
                    "se": t["se"],
                }
            )
        )
    return pd.concat(out, ignore_index=True)


R_SCRIPT = HERE / "peers.R"


def r_available() -> str | None:
    """``None`` when R with the survey package can run, else why not."""
    from shutil import which

    if which("Rscript") is None:
        return "R not installed"
    ok = subprocess.run(
        ["Rscript", "-e", "library(survey); library(haven)"], capture_output=True, text=True
    )
    if ok.returncode != 0:
        return "R's survey or haven package not installed"
    return None


def run_r(task: str, ctx: Ctx, data: Path, repeats: int) -> dict:
    """Run one task of ``peers.R``; it times itself and writes its estimates as CSV."""
    OUT.mkdir(parents=True, exist_ok=True)
    res_json = OUT / f"{task}.R.json"
    cmd = [
        "Rscript",
        str(R_SCRIPT),
        task,
        str(data),
        str(OUT / f"{task}.R.csv"),
        str(res_json),
        str(repeats),
        str(ctx.budget),
        ",".join(ctx.selected),
        ",".join(ctx.xtab),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"R failed: {proc.stderr.strip()[-800:]}")
    return json.loads(res_json.read_text())


# --------------------------------------------------------------------------------------------
# The steps
# --------------------------------------------------------------------------------------------
@dataclass
class Tool:
    """One measured implementation of a step."""

    setup: Callable[[Ctx], Any]
    run: Callable[[Ctx, Any], Any]
    tidy: Callable[[Ctx, Any, Any], pd.DataFrame | None] = lambda ctx, inp, res: None
    max_repeats: int | None = None
    role: str = "peer"  # youthmedia | floor | peer


def _load_tools(columns: Callable[[Ctx], list[str] | None]) -> dict[str, Tool]:
    def ym_load(ctx: Ctx, _: Any) -> Any:
        import youthmedia as ym

        return ym.load(ctx.path, columns=columns(ctx))

    def pyr_load(ctx: Ctx, _: Any) -> Any:
        import pyreadstat

        return pyreadstat.read_sav(str(ctx.path), usecols=columns(ctx))

    def pyr_mp(ctx: Ctx, _: Any) -> Any:
        import pyreadstat

        return pyreadstat.read_file_multiprocessing(
            pyreadstat.read_sav, str(ctx.path), num_processes=2, usecols=columns(ctx)
        )

    def polars_readstat(ctx: Ctx, _: Any) -> Any:
        import polars_readstat as prs

        scan = prs.ScanReadstat(str(ctx.path))
        meta = scan.metadata  # variable and value labels, user-missing codes
        return prs.read_readstat(str(ctx.path), columns=columns(ctx)), meta

    def ambers_setup(ctx: Ctx) -> None:
        probe = subprocess.run(
            [sys.executable, "-c", "import ambers"], capture_output=True, text=True
        )
        if probe.returncode != 0:
            why = (
                f"killed by signal {-probe.returncode}"
                if probe.returncode < 0
                else (probe.stderr.strip().splitlines() or ["failed"])[-1]
            )
            raise RuntimeError(
                f"ambers cannot be imported with Python {sys.version.split()[0]}: {why}"
            )

    def ambers_load(ctx: Ctx, _: Any) -> Any:
        import ambers

        return ambers.read_sav(str(ctx.path), columns=columns(ctx))

    def size(ctx: Ctx, inp: Any, res: Any) -> None:
        frame = res[0] if isinstance(res, tuple) else res.data
        if hasattr(frame, "estimated_size"):  # polars
            ctx.state["data_bytes"] = int(frame.estimated_size())
        else:
            ctx.state["data_bytes"] = int(frame.memory_usage(deep=True).sum())
        ctx.state["shape"] = list(frame.shape)

    def ym_import(ctx: Ctx) -> None:
        import youthmedia.io  # noqa: F401  (imports are not part of the load)
        import youthmedia.io.spss  # noqa: F401

    return {
        "youthmedia": Tool(ym_import, ym_load, size, role="youthmedia"),
        "pyreadstat": Tool(lambda ctx: None, pyr_load, size, role="floor"),
        "pyreadstat-2proc": Tool(lambda ctx: None, pyr_mp, size),
        "polars-readstat": Tool(lambda ctx: None, polars_readstat, size),
        "ambers": Tool(ambers_setup, ambers_load, size),
    }


def _shares_tools(replicate: bool) -> dict[str, Tool]:
    step = "shares_rep" if replicate else "shares_lin"

    def ym_run(ctx: Ctx, s: Any) -> Any:
        """What a user pays in a session: the design from the loaded Survey, then the shares."""
        import youthmedia as ym

        if replicate:
            s = s.with_replicates(gen.REPLICATES, method="Fay", rho=gen.RHO, weight=gen.WEIGHT)
        else:
            s = s.with_design(weight=gen.WEIGHT, **TAYLOR)
        return ym.share(s, ctx.selected, by=gen.GROUP)

    def floor_run(ctx: Ctx, df: pd.DataFrame) -> pd.DataFrame:
        if replicate:
            return floor_shares_rep(df, ctx.selected, gen.GROUP)
        return floor_shares_lin(df, ctx.selected, gen.GROUP, gen.STRATUM, gen.PSU, gen.WEIGHT)

    def samplics_run(ctx: Ctx, df: pd.DataFrame) -> Any:
        frame, info = samplics_shares(ctx, df, ctx.selected, replicate)
        ctx.state.update(info)
        return frame

    def r_run(ctx: Ctx, _: Any) -> Any:
        info = run_r(step, ctx, ctx.path, 1)
        ctx.state.update(info)
        return info

    tools = {
        "youthmedia": Tool(
            lambda ctx: ym_survey(ctx),
            ym_run,
            lambda ctx, s, r: tidy_ym(r, s, gen.GROUP),
            role="youthmedia",
        ),
        "floor": Tool(codes_frame, floor_run, lambda ctx, i, r: r, role="floor"),
        "samplics": Tool(codes_frame, samplics_run, lambda ctx, i, r: r, max_repeats=1),
        "svy": Tool(
            codes_frame,
            lambda ctx, df: svy_shares(df, ctx.selected, replicate),
            lambda ctx, i, r: r,
        ),
        "R": Tool(lambda ctx: None, r_run, max_repeats=1),
    }
    if replicate:
        tools["limit"] = Tool(
            lambda ctx: limit_setup(codes_frame(ctx), ctx.selected, gen.GROUP),
            lambda ctx, inp: limit_shares_rep(inp),
            role="limit",
        )
    return tools


def _crosstab_tools() -> dict[str, Tool]:
    def ym_setup(ctx: Ctx) -> Any:
        return ym_survey(ctx)

    def ym_run(ctx: Ctx, s: Any) -> Any:
        import youthmedia as ym

        a, b = ctx.xtab
        return ym.crosstab(s.with_design(weight=gen.WEIGHT, **TAYLOR), b, a)  # b within each a

    def ym_tidy(ctx: Ctx, s: Any, res: Any) -> pd.DataFrame:
        a, b = ctx.xtab
        frame = pd.DataFrame(res)
        ra = {lab: c for c, lab in s.codebook[a].value_labels.items()}
        rb = {lab: c for c, lab in s.codebook[b].value_labels.items()}
        cells = pd.DataFrame(
            {
                "group": frame[a].astype(str).map(ra).astype(float),
                "variable": b,
                "category": frame["category"].astype(str).map(rb).astype(float),
                "estimate": frame["estimate"],
                "se": frame["se"],
            }
        )
        t = res.test
        return pd.concat(
            [cells, _test_rows(t["statistic"], t["ndf"], t["ddf"], t["p"])], ignore_index=True
        )

    def floor_run(ctx: Ctx, df: pd.DataFrame) -> Any:
        from scipy.stats import chi2_contingency

        a, b = ctx.xtab
        ok = df[a].notna() & df[b].notna()
        table = df[ok].groupby([a, b])[gen.WEIGHT].sum().unstack(fill_value=0.0)
        counts = table / table.to_numpy().sum() * int(ok.sum())
        stat = chi2_contingency(counts.to_numpy(), correction=False)
        return table.div(table.sum(axis=1), axis=0), stat

    def samplics_run(ctx: Ctx, df: pd.DataFrame) -> Any:
        from samplics import CrossTabulation, PopParam

        a, b = ctx.xtab
        ok = (df[a].notna() & df[b].notna()).to_numpy()
        tab = CrossTabulation(PopParam.prop)
        tab.tabulate(
            vars=df.loc[ok, [a, b]],
            samp_weight=df[gen.WEIGHT].to_numpy()[ok],
            stratum=df[gen.STRATUM].to_numpy()[ok],
            psu=df[gen.PSU].to_numpy()[ok],
            remove_nan=True,
        )
        return tab

    def samplics_tidy(ctx: Ctx, df: Any, tab: Any) -> pd.DataFrame:
        s = tab.stats["Pearson-Adj"]
        return _test_rows(s["f_value"], s["df_num"], s["df_den"], s["p_value"])

    def svy_run(ctx: Ctx, df: pd.DataFrame) -> Any:
        import polars as pl
        import svy

        a, b = ctx.xtab
        d = pl.from_pandas(df[[a, b, gen.WEIGHT, gen.STRATUM, gen.PSU]])
        sample = svy.Sample(d, svy.Design(wgt=gen.WEIGHT, stratum=gen.STRATUM, psu=gen.PSU))
        return sample.categorical.tabulate(a, b, drop_nulls=True)

    def svy_tidy(ctx: Ctx, df: Any, tab: Any) -> pd.DataFrame:
        f = tab.stats.f
        return _test_rows(f.value, f.df_num, f.df_den, f.p_value)

    def r_run(ctx: Ctx, _: Any) -> Any:
        info = run_r("crosstab", ctx, ctx.path, 3)
        ctx.state.update(info)
        return info

    return {
        "youthmedia": Tool(ym_setup, ym_run, ym_tidy, role="youthmedia"),
        "floor": Tool(codes_frame, floor_run, role="floor"),
        "samplics": Tool(codes_frame, samplics_run, samplics_tidy),
        "svy": Tool(codes_frame, svy_run, svy_tidy),
        "R": Tool(lambda ctx: None, r_run, max_repeats=1),
    }


def _test_rows(stat: float, ndf: float, ddf: float, p: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group": -1.0,
            "variable": ["test:F", "test:ndf", "test:ddf", "test:p"],
            "category": -1.0,
            "estimate": [stat, ndf, ddf, p],
            "se": 0.0,
        }
    )


def _floor_deck(tables: list, path: Path) -> Path:
    """Plain matplotlib + python-pptx: one bar chart per table on a full-slide picture."""
    import io

    import matplotlib.pyplot as plt
    from pptx import Presentation
    from pptx.util import Emu

    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(12192000), Emu(6858000)
    for v, t in tables:
        fig, ax = plt.subplots(figsize=(13.333, 7.5))
        ax.barh([str(int(k)) for k in t.index], t.to_numpy())
        ax.set_title(v)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=200)
        plt.close(fig)
        slide = prs.slides.add_slide(prs.slide_layouts[6])
        buf.seek(0)
        slide.shapes.add_picture(buf, 0, 0, width=prs.slide_width)
    prs.save(str(path))
    return path


def _floor_tables(ctx: Ctx, names: list[str]) -> list:
    import matplotlib

    matplotlib.use("Agg")
    df = (
        codes_frame(ctx)
        if set(names) <= set(ctx.estimate_columns)
        else pd.read_pickle(_deck200_codes(ctx))
    )
    out = []
    for v in names:
        t = df[df[v].notna()].groupby(v)[gen.WEIGHT].sum()
        out.append((v, t / t.sum()))
    return out


DECK_SLIDES = 200


def _deck200_names(ctx: Ctx) -> list[str]:
    """200 labelled items (four- and five-point) of the file: one chart each."""
    return (ctx.lay.items4 + ctx.lay.items5)[:DECK_SLIDES]


def _deck200_codes(ctx: Ctx) -> Path:
    cache = prep_dir(ctx) / "deck200.pkl"
    if not cache.exists():
        import pyreadstat

        df, _ = pyreadstat.read_sav(str(ctx.path), usecols=[gen.WEIGHT, *_deck200_names(ctx)])
        df.astype("float64").to_pickle(cache)
    return cache


def _deck_tools() -> dict[str, Tool]:
    """20 bar charts in a deck: youthmedia's figures + deck writer against the plain floor."""

    def ym_setup(ctx: Ctx) -> Any:
        import matplotlib

        matplotlib.use("Agg")
        import youthmedia as ym

        s = ym_survey(ctx).with_design(weight=gen.WEIGHT, **TAYLOR)
        return [ym.share(s, v) for v in ctx.selected]

    def ym_run(ctx: Ctx, results: list) -> Any:
        from youthmedia import export, figures

        figs = (figures.bars(r, lang="en") for r in results)  # drawn one at a time
        return export.write_deck(figs, gen.WORK / "deck_youthmedia.pptx")

    return {
        "youthmedia": Tool(ym_setup, ym_run, role="youthmedia"),
        "floor": Tool(
            lambda ctx: _floor_tables(ctx, ctx.selected),
            lambda ctx, t: _floor_deck(t, gen.WORK / "deck_floor.pptx"),
            role="floor",
        ),
    }


def _deck200_tools() -> dict[str, Tool]:
    """``youthmedia slides`` of 200 questions (standard.write_deck from a loaded survey:
    estimates, charts, contents slide) against the floor's 200 plain charts; its peak memory
    must stay under 500 MB however many slides."""

    def ym_setup(ctx: Ctx) -> Any:
        import matplotlib

        matplotlib.use("Agg")
        return ym_survey(ctx, [gen.WEIGHT, gen.STRATUM, gen.PSU, *_deck200_names(ctx)])

    def ym_run(ctx: Ctx, s: Any) -> Any:
        from youthmedia import standard

        s = s.with_design(weight=gen.WEIGHT, **TAYLOR)
        return standard.write_deck(
            s, gen.WORK / "deck200_youthmedia.pptx", lang="en", questions=_deck200_names(ctx), by=[]
        )

    return {
        "youthmedia": Tool(ym_setup, ym_run, role="youthmedia", max_repeats=1),
        "floor": Tool(
            lambda ctx: _floor_tables(ctx, _deck200_names(ctx)),
            lambda ctx, t: _floor_deck(t, gen.WORK / "deck200_floor.pptx"),
            role="floor",
            max_repeats=1,
        ),
    }


def _issue4_tools() -> dict[str, Tool]:
    def ym_run(ctx: Ctx, s: Any) -> Any:
        import youthmedia as ym

        return ym.share(s.with_design(weight="w"), "y", by="g")

    def floor_run(ctx: Ctx, df: pd.DataFrame) -> pd.DataFrame:
        return floor_share_srs(df, "y", "g", "w")

    def samplics_run(ctx: Ctx, df: pd.DataFrame) -> pd.DataFrame:
        frame, info = samplics_shares(
            ctx, df, ["y"], False, group="g", weight="w", strata=None, psu=None
        )
        return frame

    def svy_run(ctx: Ctx, df: pd.DataFrame) -> pd.DataFrame:
        return svy_shares(df, ["y"], False, group="g", weight="w", strata=None, psu=None)

    def r_run(ctx: Ctx, _: Any) -> Any:
        path = gen.WORK / "prep" / "issue4.csv"
        if not path.exists():
            issue4_frame().to_csv(path, index=False, float_format="%.17g")
        info = run_r("issue4", ctx, path, 3)
        ctx.state.update(info)
        return info

    return {
        "youthmedia": Tool(
            lambda ctx: issue4_survey(),
            ym_run,
            lambda ctx, s, r: tidy_ym(r, s, "g"),
            role="youthmedia",
        ),
        "floor": Tool(lambda ctx: issue4_frame(), floor_run, lambda ctx, i, r: r, role="floor"),
        "samplics": Tool(lambda ctx: issue4_frame(), samplics_run, lambda ctx, i, r: r),
        "svy": Tool(lambda ctx: issue4_frame(), svy_run, lambda ctx, i, r: r),
        "R": Tool(lambda ctx: None, r_run, max_repeats=1),
    }


# issue 16's estimators (youthmedia.summaries) by country on the Fay replicate design
SUMMARY_VARS = ("PV1MATH", "PV2MATH")


def tidy_summaries(results: Any, survey: Any) -> pd.DataFrame:
    """quantile / ratio / var Results as codes: group, variable ("median:PV1MATH" ...), -1."""
    back = {lab: code for code, lab in survey.codebook[gen.GROUP].value_labels.items()}
    frames = []
    for name, res in results.items():
        frame = pd.DataFrame(res)
        frames.append(
            pd.DataFrame(
                {
                    "group": frame[gen.GROUP].astype(str).map(back).astype(float),
                    "variable": name,
                    "category": -1.0,
                    "estimate": frame["estimate"].to_numpy(dtype=float),
                    "se": frame["se"].to_numpy(dtype=float),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def _summaries_tools() -> dict[str, Tool]:
    def ym_setup(ctx: Ctx) -> Any:
        s = ym_survey(ctx, [gen.GROUP, *SUMMARY_VARS, gen.WEIGHT, *gen.REPLICATES])
        return s.with_replicates(gen.REPLICATES, method="Fay", rho=gen.RHO, weight=gen.WEIGHT)

    def ym_run(ctx: Ctx, s: Any) -> Any:
        import youthmedia as ym

        a, b = SUMMARY_VARS
        return {
            f"median:{a}": ym.quantile(s, a, q=0.5, by=gen.GROUP),
            f"ratio:{a}/{b}": ym.ratio(s, a, b, by=gen.GROUP),
            f"var:{a}": ym.var(s, a, by=gen.GROUP),
        }

    def r_run(ctx: Ctx, _: Any) -> Any:
        info = run_r("summaries", ctx, ctx.path, 1)
        ctx.state.update(info)
        return info

    return {
        "youthmedia": Tool(
            ym_setup, ym_run, lambda ctx, s, r: tidy_summaries(r, s), role="youthmedia"
        ),
        "R": Tool(lambda ctx: None, r_run, max_repeats=1),
    }


GROWTH_ROWS = (1_000_000, 4_000_000, 16_000_000)
GROWTH_GROUPS = (10, 1000)


def growth_frame(rows: int, groups: int, seed: int = 19) -> pd.DataFrame:
    """``rows`` respondents: a 10-category answer (2 % missing) by ``groups`` groups, a weight."""
    rng = np.random.default_rng(seed)
    y = rng.integers(1, 11, rows).astype(float)
    y[rng.random(rows) < 0.02] = np.nan
    return pd.DataFrame(
        {
            "g": rng.integers(1, groups + 1, rows).astype(float),
            "y": y,
            "w": np.round(rng.lognormal(0, 0.5, rows) * 50, 4),
        }
    )


def growth_survey(df: pd.DataFrame):
    """The growth data as a loaded youthmedia Survey (labelled categoricals, no design yet)."""
    from youthmedia.codebook import Codebook, Variable
    from youthmedia.survey import Survey

    G = int(df["g"].max())
    gl = {float(i): f"Group {i}" for i in range(1, G + 1)}
    yl = {float(i): f"Answer {i}" for i in range(1, 11)}
    data = pd.DataFrame(
        {
            "g": pd.Categorical.from_codes(
                df["g"].to_numpy().astype(int) - 1, categories=list(gl.values())
            ),
            "y": pd.Categorical.from_codes(
                np.nan_to_num(df["y"].to_numpy(), nan=0).astype(int) - 1,
                categories=list(yl.values()),
            ),
            "w": df["w"],
        }
    )
    return Survey(
        data,
        Codebook(
            {
                "g": Variable("g", value_labels=gl),
                "y": Variable("y", value_labels=yl),
                "w": Variable("w"),
            }
        ),
    )


def _growth_tools() -> dict[str, Tool]:
    """Share with SEs by group at 1M, 4M and 16M rows (× ``--scale``), 10 and 1,000 groups:
    the best of 3 runs of each, kept in ``growth`` (the step's own time is their sum)."""

    def run(tool: str) -> Callable[[Ctx, Any], Any]:
        def go(ctx: Ctx, _: Any) -> Any:
            import youthmedia as ym

            table = []
            for rows in GROWTH_ROWS:
                n = max(int(rows * ctx.scale), 1000)
                for groups in GROWTH_GROUPS:
                    df = growth_frame(n, groups)
                    inp = growth_survey(df) if tool == "youthmedia" else df
                    best = np.inf
                    for _ in range(3):
                        t0 = time.perf_counter()
                        if tool == "youthmedia":
                            ym.share(inp.with_design(weight="w"), "y", by="g")
                        else:
                            floor_share_srs(inp, "y", "g", "w")
                        best = min(best, time.perf_counter() - t0)
                    table.append({"rows": n, "groups": groups, "seconds": best})
                    del df, inp
            ctx.state["growth"] = table
            return table

        return go

    return {
        "youthmedia": Tool(lambda ctx: None, run("youthmedia"), role="youthmedia", max_repeats=1),
        "floor": Tool(lambda ctx: None, run("floor"), role="floor", max_repeats=1),
    }


def _app_tools() -> dict[str, Tool]:
    """Issue 18: the app page's work from an upload of the bundled Forms class survey to the
    slide previews (read, understand, compute, draw the figures and their thumbnails)."""

    def setup(ctx: Ctx) -> Any:
        import matplotlib

        matplotlib.use("Agg")
        from youthmedia.app.page import warm

        warm()  # as the page does while the trainer picks a file
        forms = HERE.parent / "data" / "klas_enquete_forms.csv"
        return forms.read_bytes(), Path(tempfile.mkdtemp(dir=gen.WORK))

    def run(ctx: Ctx, inp: Any) -> Any:
        from youthmedia.app.page import Page

        data, folder = inp
        cpu, wall, first = time.process_time(), time.perf_counter(), []
        page = Page(workdir=Path(tempfile.mkdtemp(dir=folder)))
        page.thumbs.observe(
            lambda ch: (
                first.append(  # the first preview on the page
                    (time.process_time() - cpu, time.perf_counter() - wall)
                )
                if ch["new"] and not first
                else None
            ),
            names="children",
        )
        page.open_bytes(data, "klas_enquete_forms.csv")
        slides = len(page.slides())
        ctx.state["note"] = (
            f"{slides} slide previews; CPU time {time.process_time() - cpu:.1f} s "
            f"(first preview shown after {first[0][0]:.1f} s CPU, "
            f"{first[0][1]:.1f} s wall; wall time of all above; load average "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
        )
        return slides

    return {"youthmedia": Tool(setup, run, role="youthmedia")}


#: the models steps: predictors, and the three models on the 4- and 5-point items of ``xtab``
MODEL_X = ("ESCS", "PV1MATH")


def models_frame(ctx: Ctx) -> pd.DataFrame:
    """The models steps' columns as codes (user-missing -> NaN), kept as a pickle."""
    cache = prep_dir(ctx) / "models.pkl"
    if cache.exists():
        return pd.read_pickle(cache)
    import pyreadstat

    cols = [gen.STRATUM, gen.PSU, *ctx.xtab, *MODEL_X, gen.WEIGHT, *gen.REPLICATES]
    df = pyreadstat.read_sav(str(ctx.path), usecols=cols)[0].astype("float64")
    df.to_pickle(cache)
    return df


def _models_tools(replicate: bool) -> dict[str, Tool]:
    """svyglm (quasibinomial, quasipoisson) and svyolr, as youthmedia and R fit them."""

    def ym_setup(ctx: Ctx) -> Any:
        from youthmedia.survey import Survey

        s = Survey(models_frame(ctx))
        if replicate:
            return s.with_replicates(gen.REPLICATES, method="Fay", rho=0.5, weight=gen.WEIGHT)
        return s.with_design(weight=gen.WEIGHT, **TAYLOR)

    def ym_run(ctx: Ctx, s: Any) -> Any:
        import youthmedia as ym

        (a, b), x = ctx.xtab, " + ".join(MODEL_X)
        return {
            "logit": ym.glm(s, f"I({a} >= 3) ~ {x}", family="binomial"),
            "poisson": ym.glm(s, f"{b} ~ {x}", family="poisson"),
            "olr": ym.ordinal(s, f"{a} ~ {x}"),
        }

    def ym_tidy(ctx: Ctx, s: Any, res: Any) -> pd.DataFrame:
        return pd.concat(
            [
                pd.DataFrame(
                    {
                        "group": -1.0,
                        "variable": [f"model:{k}:{j}" for j in range(len(r))],
                        "category": -1.0,
                        "estimate": r["estimate"].to_numpy(),
                        "se": r["se"].to_numpy(),
                    }
                )
                for k, r in res.items()
            ]
        )

    def r_run(ctx: Ctx, _: Any) -> Any:
        info = run_r("models_rep" if replicate else "models_lin", ctx, ctx.path, 1)
        ctx.state.update(info)
        return info

    return {
        "youthmedia": Tool(ym_setup, ym_run, ym_tidy, role="youthmedia"),
        "R": Tool(lambda ctx: None, r_run, max_repeats=1),
    }


def _gate_tools() -> dict[str, Tool]:
    """The privacy gate (issue 13) against the writing it guards.

    youthmedia: only the gate — every figure's texts and the bytes of the standard workbook
    and deck of the bundled demo data checked as :mod:`youthmedia.files` does before writing.
    floor: writing that workbook and deck (estimates, figures, XLSX, PPTX) with the gate off.
    ``make report`` writes these and much more, so gate / floor bounds the gate's share of it.
    """
    demo = HERE.parent / "data" / "youth_social_media_demo.sav"

    def ym_setup(ctx: Ctx) -> Any:
        import matplotlib

        matplotlib.use("Agg")
        from youthmedia import export, standard

        out = OUT / "gate"
        figs = standard.build_figures(demo)
        paths = [
            standard.write_tables(demo, out / "tables.xlsx"),
            export.write_deck(figs, out / "deck.pptx"),
        ]
        return figs, [(p, p.read_bytes()) for p in paths]

    def ym_run(ctx: Ctx, inp: Any) -> Any:
        from youthmedia import privacy

        figs, blobs = inp
        for fig in figs:
            privacy.gate_figure(fig)
        for path, blob in blobs:
            privacy.gate_file(path, blob)
        return len(blobs)

    def floor_run(ctx: Ctx, _: Any) -> Any:
        import matplotlib

        matplotlib.use("Agg")
        from youthmedia import files, privacy, standard

        out, saved = OUT / "gate_floor", list(files._CHECKS)
        files._CHECKS.clear()
        gate_figure, privacy.gate_figure = privacy.gate_figure, lambda fig, where="": None
        try:
            standard.write_tables(demo, out / "tables.xlsx")
            return standard.write_deck(demo, out / "deck.pptx")
        finally:
            files._CHECKS.extend(saved)
            privacy.gate_figure = gate_figure

    return {
        "youthmedia": Tool(ym_setup, ym_run, role="youthmedia"),
        "floor": Tool(lambda ctx: None, floor_run, max_repeats=3, role="floor"),
    }


STEPS: dict[str, dict[str, Tool]] = {
    "load_all": _load_tools(lambda ctx: None),
    "load_selected": _load_tools(lambda ctx: ctx.selected),
    "shares_rep": _shares_tools(True),
    "shares_lin": _shares_tools(False),
    "crosstab": _crosstab_tools(),
    "deck": _deck_tools(),
    "deck_200": _deck200_tools(),
    "issue4": _issue4_tools(),
    "summaries": _summaries_tools(),
    "app": _app_tools(),
    "growth": _growth_tools(),
    "models_lin": _models_tools(False),
    "models_rep": _models_tools(True),
    "privacy_gate": _gate_tools(),
}


# --------------------------------------------------------------------------------------------
# One (step, tool) in this process
# --------------------------------------------------------------------------------------------
#: modules each tool imports before its timed runs: an import (scipy.stats alone is ~80 MB of
#: resident memory) is not part of a step's time or peak memory, for any tool
IMPORTS: dict[str, tuple[str, ...]] = {
    "youthmedia": (
        "youthmedia.estimate",
        "youthmedia.summaries",
        "youthmedia.figures",
        "youthmedia.export",
        "youthmedia.io.spss",
        "pyreadstat",
        "youthmedia.models",
        "statsmodels.genmod.generalized_linear_model",
        "patsy",
    ),
    "floor": ("scipy.stats", "matplotlib.pyplot", "pptx"),
    "samplics": ("samplics",),
    "svy": ("svy", "polars"),
    "pyreadstat": ("pyreadstat",),
    "pyreadstat-2proc": ("pyreadstat",),
    "polars-readstat": ("polars_readstat", "polars"),
    "limit": (),
}


def _preimport(tool_name: str) -> None:
    import importlib

    for mod in IMPORTS.get(tool_name, ()):
        try:
            importlib.import_module(mod)
        except ImportError:
            pass  # the run itself reports a missing tool


def measure(step: str, tool_name: str, ctx: Ctx, repeats: int) -> dict:
    tool = STEPS[step][tool_name]
    if tool.max_repeats is not None:
        repeats = min(repeats, tool.max_repeats)
    inp = tool.setup(ctx)
    _preimport(tool_name)
    times, extras, peaks, kids = [], [], [], []
    meter_exact = True
    res = None
    for _ in range(repeats):
        res = None
        gc.collect()
        with PeakMeter() as meter:
            t0 = time.perf_counter()
            res = tool.run(ctx, inp)
            dt = time.perf_counter() - t0
        meter_exact = meter.exact
        times.append(dt)
        extras.append(meter.extra)
        peaks.append(meter.peak)
        kids.append(meter.children)
        if tool.role == "peer" and sum(times) > ctx.budget:
            break  # a slow peer: fewer repeats (the report shows n)
    tidy = tool.tidy(ctx, inp, res)
    _save(step, tool_name, tidy)
    info = {
        "step": step,
        "tool": tool_name,
        "role": tool.role,
        "times": times,
        "median": statistics.median(times),
        "repeats": len(times),
        "peak_extra": max(extras),
        "peak_rss": max(peaks),
        "peak_children": max(kids),
        "memory_method": "VmHWM reset" if meter_exact else "psutil sampling (2 ms)",
    }
    # R and extrapolating peers report their own timing
    if "seconds" in ctx.state:  # R: time measured inside R, around the estimates only
        info["times"] = ctx.state["seconds"]
        info["median"] = statistics.median(ctx.state["seconds"])
        info["repeats"] = len(ctx.state["seconds"])
        info["peak_rss"] = ctx.state.get("peak_rss", 0)
        info["peak_extra"] = None
    if ctx.state.get("fraction", 1.0) < 1.0:
        info["measured"] = info["median"]
        info["median"] = info["median"] / ctx.state["fraction"]
    for key in ("note", "fraction", "data_bytes", "shape", "growth", "r_version", "survey_version"):
        if key in ctx.state:
            info[key] = ctx.state[key]
    return info


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run one benchmark step with one tool.")
    parser.add_argument("step", choices=sorted(STEPS))
    parser.add_argument("tool")
    parser.add_argument("--path", required=True)
    parser.add_argument("--scale", type=float, required=True)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--budget", type=float, default=120.0)
    parser.add_argument("--json", required=True)
    args = parser.parse_args(argv)
    ctx = Ctx(Path(args.path), args.scale, gen.layout(0), budget=args.budget)
    info = measure(args.step, args.tool, ctx, args.repeats)
    Path(args.json).write_text(json.dumps(info))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
