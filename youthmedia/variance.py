"""The arithmetic behind :mod:`youthmedia.design`: Taylor variances stage by stage (R's
``svyrecvar``), domain sums per (PSU, domain) pair, replicate variances (R's ``svrVar``)."""

from __future__ import annotations

import os
from collections import namedtuple
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import scipy.linalg
import scipy.sparse as sp
from threadpoolctl import ThreadpoolController

_CHUNK = 1 << 17  # rows per pass over the data: the temporaries stay a few MB
_PIECE = 1 << 11  # rows per replicate product: its columns stay in the CPU cache
_RUN = 1 << 15  # rows of a thread's run of replicate products
_THREADS = min(4, os.cpu_count() or 1)  # threads sharing the replicate products
_BLAS = ThreadpoolController()  # made once: it looks up the loaded BLAS libraries (2 ms)


@dataclass(frozen=True)
class Stage:
    """One sampling stage: units (PSUs), their strata and variance scale factors."""

    unit: np.ndarray | None  # unit code per row (None: each row is its own unit)
    unit_stratum: np.ndarray  # stratum code per unit
    stratum_n: np.ndarray  # units per stratum
    stratum_centre: np.ndarray  # bool: centre the unit totals (False: "adjust" lonely PSU)
    stratum_scale: np.ndarray  # (1 - f) n_h / (n_h - 1) [× earlier stages' fractions]
    multiplier: float = 1.0  # "average" lonely PSU: strata / strata with a variance
    lonely: np.ndarray | None = None  # "average": the strata holding a single PSU

    @property
    def n_units(self) -> int:
        return len(self.unit_stratum)

    @cached_property
    def unit_scale(self) -> np.ndarray:
        return self.stratum_scale[self.unit_stratum]

    @property
    def centre_factor(self) -> np.ndarray:
        """Per stratum c_h / n_h of the centring term (0 where not centred)."""
        n = self.stratum_n
        return np.where(self.stratum_centre & (n > 0), self.stratum_scale / np.maximum(n, 1), 0.0)

    def averaged(self, V: np.ndarray, present: np.ndarray) -> np.ndarray:
        """R's lonely "average": × the domain's strata (``present``) over those with a variance."""
        n, ok = present.sum(axis=0), (present & ~self.lonely[:, None]).sum(axis=0)
        f = np.where(ok > 0, n / np.maximum(ok, 1), 1.0)
        return V * (np.sqrt(np.outer(f, f)) if V.ndim == 2 else f)

    def totals(self, Z):
        """Unit totals of the rows of ``Z`` (units × columns)."""
        return Z if self.unit is None else _indicator(self.unit, self.n_units) @ Z


def _dense(x) -> np.ndarray:
    return np.asarray(x.toarray() if sp.issparse(x) else x, dtype=float)


def _indicator(key: np.ndarray, nkeys: int) -> sp.csr_matrix:
    """nkeys × rows: row i in column i of row ``key[i]`` (rows with key < 0 left out)."""
    ok = np.flatnonzero(key >= 0)
    return sp.csr_matrix((np.ones(len(ok)), (key[ok], ok)), shape=(nkeys, len(key)))


def _stage_var(stage: Stage, Z, E, M: np.ndarray | None, full: bool) -> np.ndarray:
    """One stage's variance of influence ``Z`` with calibration residuals ``A Z − (A E) M``."""
    T0, c = stage.totals(Z), sp.diags(stage.unit_scale)
    sq = T0.multiply(T0) if sp.issparse(T0) else T0 * T0
    V = _dense(T0.T @ (c @ T0)) if full else _dense(sq.T @ stage.unit_scale).ravel()
    B = _indicator(stage.unit_stratum, len(stage.stratum_n))  # strata × units
    S = _dense(B @ T0)
    if E is not None:
        AE = stage.totals(E)
        X, Y = _dense(T0.T @ (c @ AE)), _dense(AE.T @ (c @ AE))  # m × L, L × L
        if full:
            V = V - X @ M - (X @ M).T + M.T @ Y @ M
        else:
            V = V - 2 * np.sum(X * M.T, axis=1) + np.sum(M * (Y @ M), axis=0)
        S = S - _dense(B @ AE) @ M
    dfac = stage.centre_factor
    V = V - S.T @ (dfac[:, None] * S) if full else V - dfac @ (S * S)
    if stage.lonely is None or E is not None:  # a calibrated design keeps all its strata
        return V * stage.multiplier
    # "average": R counts the strata of the domain's rows, here those with a non-zero influence
    nz = (Z != 0) if sp.issparse(Z) else sp.csr_matrix(Z != 0)
    row_stratum = stage.unit_stratum if stage.unit is None else stage.unit_stratum[stage.unit]
    present = _dense(_indicator(row_stratum, len(stage.stratum_n)) @ nz.astype(float)) > 0
    return stage.averaged(V, present)


def taylor_var(design: Any, Z, full: bool) -> np.ndarray:
    """Sum of the stages' variances of ``Z`` after R's calibration residuals ``Z − E M``."""
    Es, Ms = [], []
    for kind, margins in design._calibration:
        idx = list(range(len(Es), len(Es) + len(margins)))
        Es += [Q for Q, _ in margins]
        Ms += [np.zeros((Q.shape[1], Z.shape[1])) for Q, _ in margins]
        for _ in range(10 if kind == "rake" else 1):  # R's svyrecvar: 10 raking sweeps
            for (_, K), j in zip(margins, idx, strict=True):
                cur = _dense(K @ Z)
                for E_p, M_p in zip(Es, Ms, strict=True):
                    cur = cur - _dense(K @ E_p) @ M_p if np.any(M_p) else cur
                Ms[j] = Ms[j] + cur
    E, M = (sp.hstack(Es).tocsr(), np.vstack(Ms)) if Es else (None, None)
    return sum(_stage_var(stage, Z, E, M, full) for stage in design._stages)


def rep_var(design: Any, thetas: np.ndarray, estimate: np.ndarray, full: bool) -> np.ndarray:
    """R's ``svrVar``: scale · Σ_r rscale_r (θ_r − centre)², NaN replicates left out."""
    th, rs = (thetas if thetas.ndim == 2 else thetas[:, None]), design.rscales
    use = ~(nan := np.isnan(th)) & (rs > 0)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = estimate if design.mse else np.where(use, th, 0.0).sum(0) / use.sum(0)
    dev = np.where(nan, 0.0, th - centre) * np.sqrt(rs)[:, None]
    return design.scale * (dev.T @ dev if full else np.einsum("ij,ij->j", dev, dev))


# (PSU, or stratum when rows are PSUs; group) pairs: each row's pair (-1: none), each pair's
# outer cell and group; ``inv``: each pair's (stratum, group) pair, whose are ``sh`` and ``sg``
_Pairs = namedtuple("_Pairs", "row outer group G inv sh sg")


def _pairs(code: np.ndarray, G: int, stage: Stage, cache: list) -> _Pairs:
    """The pairs of the stage's outer cells and groups that occur (cached for the next block)."""
    outer = stage.unit_stratum if (rows := stage.unit is None) else stage.unit
    for o, c, pairs in cache:
        if o is outer and c is code:
            return pairs
    if (len(stage.stratum_n) if rows else stage.n_units) == 1:  # the pair is the group
        row, ids = code.astype(np.intp, copy=False), np.arange(G)  # pairs may have no rows
    else:  # the (outer, group) cells that occur, numbered in sorted order
        row, ids = pd.factorize(np.where(code >= 0, outer * G + code, -1), sort=True)
        if len(ids) and ids[0] < 0:  # rows outside every group
            row, ids = row - 1, ids[1:]
    st = ids // G if rows else stage.unit_stratum[ids // G]
    strata, inv = np.unique(st * G + ids % G, return_inverse=True)
    pairs = _Pairs(row, ids // G, ids % G, G, inv.ravel(), strata // G, strata % G)
    cache.append((outer, code, pairs))
    return pairs


def _sum_by(index: np.ndarray, n: int, X: np.ndarray) -> np.ndarray:
    """Sums of the rows of ``X`` (m × k) by ``index`` (m values in 0..n-1): n × k."""
    return np.array([np.bincount(index, X[:, j], n) for j in range(X.shape[1])]).T.reshape(n, -1)


def _code_sums(pairs: _Pairs, block: Any, w: np.ndarray) -> dict[str, np.ndarray]:
    """A categorical block's pairs × k sums (as :func:`replicate_sums`') by bincount."""
    k, n, S1, Q1, N = block.k + 1, (block.k + 1) * len(pairs.group), 0.0, 0.0, 0.0
    for a in range(0, len(w), _CHUNK):  # column 0 of k + 1: no answer; bin n: no pair
        row, ww = pairs.row[a : a + _CHUNK], w[a : a + _CHUNK]
        idx = row * k + block.codes[a : a + _CHUNK] + 1
        idx = idx if row.min(initial=0) >= 0 else np.where(row >= 0, idx, n)
        S1 = S1 + np.bincount(idx, ww, n + 1)[:n]
        Q1 = Q1 + np.bincount(idx, ww * ww, n + 1)[:n]
        pos = np.fmin.reduce(ww, initial=1.0) > 0  # all weights positive: count the rows
        N = N + (np.bincount(idx, None if pos else ww > 0, n + 1)[:n])
    S1, Q1, N = (np.reshape(x, (-1, k))[:, 1:] for x in (S1, Q1, N))
    S0, Q0, N = (np.repeat(x.sum(axis=1, keepdims=True), k - 1, axis=1) for x in (S1, Q1, N))
    return {"S1": S1, "S0": S0, "N": N * 1.0, "Q0": Q0, "SU2": S1, "Q1": Q1, "Q2": Q1}


def _pair_matrix(rows: np.ndarray, group: np.ndarray, X: np.ndarray, nrows: int, G: int):
    """``X`` (pairs × k) as sparse nrows × (G·k): pair p's values in row ``rows[p]``."""
    k = X.shape[1]
    cols = (group * k)[:, None] + np.arange(k)
    return sp.csr_matrix((X.ravel(), (np.repeat(rows, k), cols.ravel())), shape=(nrows, G * k))


def _fast_var(stage, pairs: _Pairs, cs, est, denom, ratio, k, full) -> np.ndarray:
    """One stage's Σ_h c_h (Σ_j T_hj² − (Σ_j T_hj)²/n_h) from the pair sums (T: PSU totals)."""
    G, g, o, rows = pairs.G, pairs.group, pairs.outer, stage.unit is None
    theta = np.nan_to_num(est).reshape(G, k)
    th, D = theta[g], np.where(denom > 0, denom, 1.0).reshape(G, k)[g]  # pairs × k
    T = (cs["S1"] - th * cs["S0"]) / D if ratio else cs["S1"]  # influence total per pair
    inv, sh, sg, D2 = pairs.inv, pairs.sh, pairs.sg, D * D if ratio else 1.0
    c, S = stage.stratum_scale[sh[inv]][:, None], _sum_by(inv, len(sh), T)
    if full and rows:  # a code block: Σ w²(e − θ)(e − θ)ᵀ/D² = diag(Q1) − Q1θᵀ − θQ1ᵀ + Q0θθᵀ
        A, b = (_sum_by(g, G, c * cs[nm] / D2) for nm in ("Q1", "Q0"))
        At, tt = A[:, :, None] * theta[:, None, :], theta[:, :, None] * theta[:, None, :]
        M = A[:, :, None] * np.eye(k) - ratio * (At + At.transpose(0, 2, 1) - b[:, :, None] * tt)
        first = scipy.linalg.block_diag(*M)
    elif full:
        T0 = _pair_matrix(o, g, T, stage.n_units, G)
        first = _dense(T0.T @ sp.diags(stage.unit_scale) @ T0)
    elif rows:
        sq = cs["Q2"] - 2 * th * cs["Q1"] + th * th * cs["Q0"] if ratio else cs["Q2"]
        first = _sum_by(g, G, c * sq / D2).ravel()
    else:
        first = _sum_by(g, G, c * T * T).ravel()
    if full:
        Ssp = _pair_matrix(sh, sg, S, len(stage.stratum_n), G)
        var = first - _dense(Ssp.T @ sp.diags(stage.centre_factor) @ Ssp)
    else:
        var = first - _sum_by(sg, G, stage.centre_factor[sh][:, None] * S * S).ravel()
    if stage.lonely is None:
        return var * stage.multiplier
    present = _pair_matrix(sh[inv], g, cs["N"], len(stage.stratum_n), G) > 0  # domain strata
    return stage.averaged(var, present.toarray())


def _influence(block: Any, code: np.ndarray, G: int, est, denom, w, ratio) -> sp.csr_matrix:
    """Rows × (group, column) influence: w (u − θ d) / Σw (shares, means) or w u (totals)."""
    u, d, k = block.u, block.d, block.k
    if block.codes is not None:  # a categorical block as 0/1 columns
        u = (block.codes[:, None] == np.arange(k)).astype(float)
        d = np.broadcast_to((block.codes >= 0)[:, None], u.shape).astype(float)
    cols = np.maximum(code, 0)[:, None] * k + np.arange(k)
    safe, theta = np.where(denom > 0, denom, 1.0)[cols], np.nan_to_num(est)[cols]
    z = np.where((code >= 0)[:, None], w[:, None] * ((u - d * theta) / safe if ratio else u), 0.0)
    return sp.csr_matrix((z.ravel(), cols.ravel(), np.arange(0, z.size + 1, k)), (len(z), G * k))


def _value_sums(pairs: _Pairs, block: Any, w: np.ndarray) -> dict[str, np.ndarray]:
    """A values block's pairs × k sums (as :func:`replicate_sums`') by bincount."""
    p, ww, u, d = (x[pairs.row >= 0] for x in (pairs.row, w[:, None], block.u, block.d))
    x = {"S1": u * ww, "S0": d * ww, "N": d * (ww > 0), "Q0": d * ww * ww, "SU2": u * u * ww}
    x |= {"Q1": u * ww * ww, "Q2": u * u * ww * ww}
    return {nm: _sum_by(p, len(pairs.group), v) for nm, v in x.items()}


def replicate_sums(rep: np.ndarray, blocks: list, code: np.ndarray, G: int, w) -> list:
    """Per block the replicates' numerators, denominators and the full sample's sums: per group
    (in pieces of at most ``_PIECE`` rows) one BLAS product of its rows' replicate weights, w,
    w > 0 and w² with their columns of every block. Threads with one BLAS thread each take runs
    of pieces: a piece's columns stay in its core's cache (with a two-thread BLAS, building them
    between the products ran 3× slower)."""
    R, widths = rep.shape[1], [b.k * (1 if b.codes is not None else 3) for b in blocks]
    start, sums = np.cumsum([0, *widths]), np.zeros((G, R + 3, sum(widths)))
    order = None if np.all(code[1:] >= code[:-1]) else np.argsort(code, kind="stable")
    bounds = np.searchsorted(code if order is None else code[order], np.arange(G + 1))
    ext, ends = np.column_stack([w, w > 0, w * w]), enumerate(bounds[1:])  # pieces: (group,
    pieces = [(g, a, min(a + _PIECE, z)) for g, z in ends for a in range(bounds[g], z, _PIECE)]
    pieces = np.array(pieces, dtype=int).reshape(-1, 3)  # first, end) of the sorted rows
    runs = np.split(pieces, np.searchsorted(pieces[:, 2], np.arange(1, len(code), _RUN), "right"))

    def work(run: np.ndarray) -> dict:  # X: 1 in each row's category column, values' u, d, u²
        (lo, hi), out, X = run[[0, -1], [1, 2]], {}, np.empty((_PIECE, start[-1] + 1))
        at = np.arange(_PIECE) * X.shape[1]  # each row's first cell in the flat buffer
        cats = np.full((len(blocks), hi - lo), start[-1], np.int32)  # none: the last column
        for j, b in enumerate(blocks):
            if b.codes is not None:
                c = b.codes[slice(lo, hi) if order is None else order[lo:hi]]
                cats[j] = np.where(c >= 0, c + start[j], start[-1])
        for g, a, z in run:  # sorted rows: slices, so views of ``rep``, not copies
            rows, x = slice(a, z) if order is None else order[a:z], X[: z - a]
            x[:] = 0.0
            x.reshape(-1)[(cats[:, a - lo : z - lo] + at[: z - a]).ravel()] = 1
            for b, j in zip(blocks, start, strict=False):
                if b.codes is None:
                    x[:, j : j + 3 * b.k] = np.hstack([b.u[rows], b.d[rows], b.u[rows] ** 2])
            out[g] = out.get(g, 0) + np.vstack([rep[rows].T @ x[:, :-1], ext[rows].T @ x[:, :-1]])
        return out

    with _BLAS.limit(limits=1, user_api="blas"), ThreadPoolExecutor(_THREADS) as pool:
        for part in pool.map(work, [r for r in runs if len(r)]):
            for g, s in part.items():
                sums[g] += s
    sums, out = sums.transpose(0, 2, 1), []
    for b, at, n in zip(blocks, start, widths, strict=False):
        X = sums[:, at : at + n]
        if b.codes is None:  # u, d and u² of each group
            u, d, u2 = (x.reshape(G * b.k, -1) for x in np.split(X, 3, axis=1))
        else:  # a group's denominator: the sum over its categories
            u = u2 = X.reshape(G * b.k, -1)
            d = np.repeat(X.sum(axis=1), b.k, axis=0)
        tot = {"S1": u[:, R], "S0": d[:, R], "N": d[:, R + 1], "Q0": d[:, R + 2], "SU2": u2[:, R]}
        tot |= {"Q1": u[:, R + 2], "Q2": u2[:, R + 2]}
        out.append((u[:, :R].T, d[:, :R].T, tot))
    return out


@dataclass
class Domains:
    """A block's (domain, column) estimates, group-major, with their variances and sums."""

    est: np.ndarray
    var: np.ndarray
    n: np.ndarray
    base: np.ndarray
    numer: np.ndarray
    w2: np.ndarray
    su2: np.ndarray
    df: np.ndarray
    thetas: np.ndarray | None


def domains(design, block, code, G, ratio, full, cache, w, rep) -> Domains:
    """One block's :class:`Domains` (``rep``: its replicate sums; see design.domain_estimates)."""
    stage, thetas = (design._stages or [None])[0], None
    if rep is None:  # sums per (PSU, group), or (stratum, group) when rows are the PSUs
        pairs = _pairs(code, G, stage, cache)
        cs = (_code_sums if block.codes is not None else _value_sums)(pairs, block, w)
        tot = {nm: _sum_by(pairs.group, G, v).ravel() for nm, v in cs.items()}
    else:
        tot = rep[2]
    numer, denom = tot["S1"], tot["S0"]
    with np.errstate(invalid="ignore", divide="ignore"):
        est = np.where(denom > 0, numer / denom, np.nan) if ratio else numer.copy()
        if rep is not None:
            thetas = np.where(rep[1] > 0, rep[0] / rep[1], np.nan) if ratio else rep[0]
    if rep is not None:
        var, df = rep_var(design, thetas, est, full), np.full(len(est), design.degf)
    else:
        # R's degf of each domain: PSUs minus strata among its rows with a weight
        inv, sh, sg, has = pairs.inv, pairs.sh, pairs.sg, (cs["N"] > 0) * 1.0
        psu = _sum_by(pairs.group, G, cs["N"] if stage.unit is None else has)
        df = np.maximum(psu - _sum_by(sg, G, (_sum_by(inv, len(sh), has) > 0) * 1.0), 1).ravel()
        cov_of_rows = full and stage.unit is None and block.codes is None
        if design._calibration or len(design._stages) > 1 or cov_of_rows:  # the row influences
            var = taylor_var(design, _influence(block, code, G, est, denom, w, ratio), full)
        else:
            var = _fast_var(stage, pairs, cs, est, denom, ratio, block.k, full)
    return Domains(est, var, tot["N"], denom, numer, tot["Q0"], tot["SU2"], df, thetas)
