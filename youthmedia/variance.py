"""The variance engine's arithmetic behind :mod:`youthmedia.design` (no Survey, no input checks):
Taylor variances of influence values stage by stage with calibration residuals (R's
``svyrecvar``), domain estimates from ``numpy.bincount`` sums per (PSU, domain) pair, replicate
estimates from one sparse product with the replicate weights (R's ``svrVar``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

_CHUNK = 1 << 17  # rows per pass over the data: the temporaries stay a few MB


@dataclass(frozen=True)
class Stage:
    """One sampling stage: units (PSUs), their strata and variance scale factors."""

    unit: np.ndarray | None  # unit code per row (None: each row is its own unit)
    n_units: int
    unit_stratum: np.ndarray  # stratum code per unit
    stratum_n: np.ndarray  # units per stratum
    stratum_centre: np.ndarray  # bool: centre the unit totals (False: "adjust" lonely PSU)
    stratum_scale: np.ndarray  # (1 - f) n_h / (n_h - 1) [× earlier stages' fractions]
    multiplier: float = 1.0  # "average" lonely PSU: strata / strata with a variance
    lonely: np.ndarray | None = None  # "average": the strata holding a single PSU

    @cached_property
    def unit_scale(self) -> np.ndarray:
        return self.stratum_scale[self.unit_stratum]

    @property
    def centre_factor(self) -> np.ndarray:
        """Per stratum c_h / n_h of the centring term (0 where not centred)."""
        n = self.stratum_n
        return np.where(self.stratum_centre & (n > 0), self.stratum_scale / np.maximum(n, 1), 0.0)

    def averaged(self, V: np.ndarray, present: np.ndarray) -> np.ndarray:
        """R's ``onestage`` with ``lonely_psu="average"``: × the strata present in each
        estimate's domain (``present``: strata × estimates) over those with a variance."""
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
    T0, c = stage.totals(Z), stage.unit_scale
    T0 = T0.tocsc() if sp.issparse(T0) else T0
    if full:
        V = _dense(T0.T @ (sp.diags(c) @ T0 if sp.issparse(T0) else c[:, None] * T0))
    else:
        V = _dense(T0.multiply(T0).T @ c).ravel() if sp.issparse(T0) else c @ (T0 * T0)
    B = _indicator(stage.unit_stratum, len(stage.stratum_n))  # strata × units
    S = _dense(B @ T0)
    if E is not None:
        AE = stage.totals(E)
        cAE = sp.diags(c) @ AE
        X, Y = _dense(T0.T @ cAE), _dense(AE.T @ cAE)  # m × L, L × L
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


def _calibration_residuals(design: Any, Z) -> tuple[Any, np.ndarray | None]:
    """R's post-stratification/raking residuals as a low-rank correction ``Z − E M``."""
    if not design._calibration:
        return None, None
    Es: list = []
    Ms: list[np.ndarray] = []
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
    return sp.hstack(Es).tocsr(), np.vstack(Ms)


def taylor_var(design: Any, Z, full: bool) -> np.ndarray:
    """Sum of the stages' variance contributions (after calibration residuals)."""
    E, M = _calibration_residuals(design, Z)
    return sum(_stage_var(stage, Z, E, M, full) for stage in design._stages)


def rep_var(design: Any, thetas: np.ndarray, estimate: np.ndarray, full: bool) -> np.ndarray:
    """R's ``svrVar``: scale · Σ_r rscale_r (θ_r − centre)², NaN replicates left out."""
    th, rs = (thetas if thetas.ndim == 2 else thetas[:, None]), design.rscales
    nan = np.isnan(th)
    use = ~nan & (rs > 0)[:, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = estimate if design.mse else np.where(use, th, 0.0).sum(0) / use.sum(0)
    dev = np.where(nan, 0.0, th - centre) * np.sqrt(rs)[:, None]
    return design.scale * (dev.T @ dev if full else np.einsum("ij,ij->j", dev, dev))


@dataclass
class _Pairs:
    """The (outer cell, group) pairs that hold rows (outer: the PSU, the stratum when rows are
    the PSUs, or one cell): 20,000 schools × 80 countries hold only some 20,000 pairs."""

    row: np.ndarray  # pair of each row (-1: outside every group)
    outer: np.ndarray  # outer cell of each pair
    group: np.ndarray  # group of each pair
    G: int
    _strata: tuple | None = None

    def strata(self, stage) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per pair its (stratum, group) pair; per (stratum, group) pair its stratum and group."""
        if self._strata is None:
            ids, inv = np.unique(
                stage.unit_stratum[self.outer] * self.G + self.group, return_inverse=True
            )
            self._strata = (inv.ravel(), ids // self.G, ids % self.G)
        return self._strata


def _pairs(code: np.ndarray, G: int, outer: np.ndarray | None, n_outer: int, cache: list) -> _Pairs:
    """The pairs of ``outer`` cells and groups that occur (cached for the call's next block)."""
    for o, c, pairs in cache:
        if o is outer and c is code:
            return pairs
    if outer is None or n_outer == 1:  # one outer cell: the pair is the group
        ids = np.flatnonzero(np.bincount(code[code >= 0], minlength=G))
        lookup = np.full(G + 1, -1, dtype=np.int64)
        lookup[ids] = np.arange(len(ids))
        row = code if len(ids) == G else lookup[code]
    else:  # the (outer, group) cells that occur, numbered in sorted order
        row, ids = pd.factorize(np.where(code >= 0, outer * G + code, -1), sort=True)
        if len(ids) and ids[0] < 0:  # rows outside every group
            row, ids = row - 1, ids[1:]
    pairs = _Pairs(row, ids // G, ids % G, G)
    cache.append((outer, code, pairs))
    return pairs


def _sum_by(index: np.ndarray, n: int, X: np.ndarray) -> np.ndarray:
    """Sums of the rows of ``X`` (m × k) by ``index`` (m values in 0..n-1): n × k."""
    return np.column_stack([np.bincount(index, X[:, j], n) for j in range(X.shape[1])]).reshape(
        n, -1
    )


def _cell_sums(pairs: _Pairs, block: Any, w: np.ndarray) -> dict[str, np.ndarray]:
    """Per pair and column (pairs × k): S1 = Σwu, S0 = Σwd, Q2 = Σw²u², Q1 = Σw²u, Q0 = Σw²d,
    SU2 = Σwu², N = Σ[w > 0]d, in row chunks."""
    k, P = block.k, len(pairs.group)
    out = {nm: np.zeros((P, k)) for nm in ("S1", "S0", "Q2", "Q1", "Q0", "SU2", "N")}
    for a in range(0, len(w), _CHUNK):
        sl = slice(a, a + _CHUNK)
        if block.codes is not None:  # a category per row: Σ by (pair, category) and by pair
            row, codes, ww = pairs.row[sl], block.codes[sl], w[sl]
            ok = (row >= 0) & (codes >= 0)
            p, ww = row[ok].astype(np.intp), ww[ok]
            idx = p * k + codes[ok]
            w2, pos = ww * ww, p if ww.min(initial=1.0) > 0 else p[ww > 0]
            S1, Q1 = (np.bincount(idx, x, P * k).reshape(P, k) for x in (ww, w2))
            S0, Q0 = (np.bincount(p, x, P)[:, None] for x in (ww, w2))
            sums = (S1, S0, Q1, Q1, Q0, S1, np.bincount(pos, minlength=P)[:, None])
        else:
            ok = pairs.row[sl] >= 0
            p, wc, u, d = pairs.row[sl][ok], w[sl][ok][:, None], block.u[sl][ok], block.d[sl][ok]
            wu = wc * u
            x = (wu, wc * d, wu * wu, wu * wc, wc * wc * d, wu * u, (wc > 0) * d)
            sums = [_sum_by(p, P, v) for v in x]
        for nm, v in zip(out, sums, strict=True):
            out[nm] += v
    return out


def _pair_matrix(rows: np.ndarray, group: np.ndarray, X: np.ndarray, nrows: int, G: int):
    """``X`` (pairs × k) as sparse nrows × (G·k): pair p's values in row ``rows[p]``."""
    k = X.shape[1]
    cols = (group * k)[:, None] + np.arange(k)
    return sp.csr_matrix((X.ravel(), (np.repeat(rows, k), cols.ravel())), shape=(nrows, G * k))


def _fast_var(stage, pairs: _Pairs, cs, est, denom, ratio, k, full) -> np.ndarray:
    """Single-stage Taylor variances (or covariance) from the pair sums: Σ_h c_h (Σ_j T_hj² −
    (Σ_j T_hj)²/n_h), T_hj the influence total of PSU j, never an n × estimates matrix."""
    G, g, o = pairs.G, pairs.group, pairs.outer
    theta = np.nan_to_num(est).reshape(G, k)
    th, D = theta[g], np.where(denom > 0, denom, 1.0).reshape(G, k)[g]  # pairs × k
    T = (cs["S1"] - th * cs["S0"]) / D if ratio else cs["S1"]  # influence total per pair
    if stage.unit is None:  # rows are the PSUs, pairs (stratum, group): Σ T² from sums of squares
        c, sh, sg, S = stage.stratum_scale[o][:, None], o, g, T
        if full:  # a code block: Σ w²(e − θ)(e − θ)ᵀ/D² = diag(Q1) − Q1θᵀ − θQ1ᵀ + Q0θθᵀ
            A = _sum_by(g, G, c * cs["Q1"] / (D * D if ratio else 1.0))
            b = _sum_by(g, G, c * cs["Q0"] / (D * D))[:, 0]
            At = A[:, :, None] * theta[:, None, :]  # G × k × k blocks on the diagonal
            tt = b[:, None, None] * theta[:, :, None] * theta[:, None, :]
            first = np.zeros((G, k, G, k))
            first[np.arange(G), :, np.arange(G)] = A[:, :, None] * np.eye(k) - ratio * (
                At + At.transpose(0, 2, 1) - tt
            )
            first = first.reshape(G * k, G * k)
        else:
            sq = cs["Q2"] - 2 * th * cs["Q1"] + th * th * cs["Q0"]
            first = _sum_by(g, G, c * (sq / (D * D) if ratio else cs["Q2"])).ravel()
    else:
        (inv, sh, sg), c = pairs.strata(stage), stage.unit_scale[o][:, None]
        S = _sum_by(inv, len(sh), T)  # per (stratum, group): Σ of its PSUs' totals
        if full:
            T0 = _pair_matrix(o, g, T, stage.n_units, G)
            first = (T0.T @ (sp.diags(stage.unit_scale) @ T0)).toarray()
        else:
            first = _sum_by(g, G, c * T * T).ravel()
    dfac = stage.centre_factor
    if full:
        Ssp = _pair_matrix(sh, sg, S, len(stage.stratum_n), G)
        var = first - (Ssp.T @ (sp.diags(dfac) @ Ssp)).toarray()
    else:
        var = first - _sum_by(sg, G, dfac[sh][:, None] * S * S).ravel()
    if stage.lonely is None:
        return var * stage.multiplier
    ps = o if stage.unit is None else stage.unit_stratum[o]  # strata present in each domain
    present = np.zeros((len(stage.stratum_n), G * k), dtype=bool)
    cols = (g * k)[:, None] + np.arange(k)
    np.logical_or.at(present, (np.broadcast_to(ps[:, None], cols.shape), cols), cs["N"] > 0)
    return stage.averaged(var, present)


def _fast_df(stage, pairs: _Pairs, N: np.ndarray) -> np.ndarray:
    """PSUs minus strata among each domain's rows with a weight (R's degf of the subset)."""
    G, g, has = pairs.G, pairs.group, (N > 0).astype(float)
    if stage.unit is None:
        n_psu, n_str = _sum_by(g, G, N), _sum_by(g, G, has)
    else:
        inv, sh, sg = pairs.strata(stage)
        n_psu, n_str = _sum_by(g, G, has), _sum_by(sg, G, (_sum_by(inv, len(sh), has) > 0) * 1.0)
    return np.maximum(n_psu - n_str, 1.0).ravel()


def _sparse_block(values: np.ndarray, group: np.ndarray, G: int) -> sp.csr_matrix:
    """rows × (G·k) with row i's k values in its group's columns (zeros outside any group)."""
    n, k = values.shape
    data = np.where((group >= 0)[:, None], values, 0.0).ravel()
    indices = (np.maximum(group, 0)[:, None] * k + np.arange(k)).ravel()
    return sp.csr_matrix((data, indices, np.arange(0, n * k + 1, k)), shape=(n, G * k))


def _u_d(block: Any) -> tuple[np.ndarray, np.ndarray]:
    """A block's values and answered masks (rows × k); a categorical block as 0/1 columns."""
    if block.codes is None:
        return block.u * block.d, block.d
    u = (block.codes[:, None] == np.arange(block.k)).astype(float)
    return u, np.broadcast_to((block.codes >= 0)[:, None], u.shape).astype(float)


def _influence(block: Any, code: np.ndarray, G: int, est, denom, w, ratio) -> sp.csr_matrix:
    """Rows × (group, column) influence: w (u − θ d) / Σw (shares, means) or w u (totals)."""
    U, D = (_sparse_block(x, code, G) for x in _u_d(block))
    rows = np.repeat(np.arange(U.shape[0]), np.diff(U.indptr))
    safe, theta = np.where(denom > 0, denom, 1.0), np.nan_to_num(est)
    U.data = w[rows] * ((U.data - D.data * theta[U.indices]) / safe[U.indices] if ratio else U.data)
    return U


def _replicate_sums(rep: np.ndarray, blocks: list, code: np.ndarray, G: int, w: np.ndarray) -> list:
    """Per block the replicate numerators and denominators (R × G·k) and a categorical block's
    sums S1, S0, N, Q0 and SU2: one sparse product of every categorical block's (group,
    category) indicators with the replicate weights and [w, w > 0, w²] (rows in chunks)."""
    R, out = rep.shape[1], {}
    cat = [b for b in blocks if b.codes is not None]
    offsets = np.cumsum([0] + [b.k for b in cat])
    K = int(offsets[-1])
    sums, ext = np.zeros((G * K, R)), np.zeros((G * K, 3))
    for a in range(0, len(code) if cat else 0, _CHUNK):
        sl = slice(a, a + _CHUNK)
        inside = code[sl] >= 0
        cell = np.stack(
            [
                np.where(inside & (b.codes[sl] >= 0), code[sl] * K + b.codes[sl] + o, -1)
                for b, o in zip(cat, offsets[:-1], strict=True)
            ],
            axis=1,
        )
        ok = cell >= 0
        indptr = np.concatenate([[0], np.cumsum(ok.sum(axis=1))])
        M = sp.csr_matrix((np.ones(indptr[-1]), cell[ok], indptr), shape=(len(cell), G * K)).T
        sums += M @ rep[sl]
        ext += M @ np.column_stack([w[sl], w[sl] > 0, w[sl] ** 2])
    sums, ext = sums.reshape(G, K, R), ext.reshape(G, K, 3)
    for b, off in zip(cat, offsets[:-1], strict=True):
        num, e = sums[:, off : off + b.k], ext[:, off : off + b.k]
        den, per = (np.repeat(x.sum(axis=1, keepdims=True), b.k, axis=1) for x in (num, e))
        S0, N, Q0 = per.transpose(2, 0, 1)
        tot = {"S1": e[:, :, 0], "SU2": e[:, :, 0], "S0": S0, "N": N, "Q0": Q0}
        out[id(b)] = (
            *(x.transpose(2, 0, 1).reshape(R, -1) for x in (num, den)),
            {nm: v.ravel() for nm, v in tot.items()},
        )
    for b in blocks:
        if b.codes is None:
            out[id(b)] = (*((_sparse_block(x, code, G).T @ rep).T for x in (b.u * b.d, b.d)), None)
    return [out[id(b)] for b in blocks]


@dataclass
class Domains:
    """Estimates of every (domain, column) of a block, group-major, with ``var`` (variances or
    covariance), unweighted ``n``, weighted ``base`` (Σw) and ``numer``, ``w2`` (Σw², Kish's
    n_eff), ``su2`` (Σwu², design effect), ``df`` and replicate estimates ``thetas`` (R × m)."""

    est: np.ndarray
    var: np.ndarray
    n: np.ndarray
    base: np.ndarray
    numer: np.ndarray
    w2: np.ndarray
    su2: np.ndarray
    df: np.ndarray
    thetas: np.ndarray | None


def domains(
    design: Any, blocks: list, code, G: int, ratio: bool, full: bool, cache: list
) -> list[Domains]:
    """The engine behind :func:`youthmedia.design.domain_estimates` (see there)."""
    w = np.nan_to_num(design._w)  # missing weights only outside the rows in use
    reps = [None] * len(blocks)
    if design.is_replicate:
        reps = _replicate_sums(design._rep, blocks, code, G, w)
    return [
        _domains(design, b, code, G, ratio, full, cache, w, r)
        for b, r in zip(blocks, reps, strict=True)
    ]


def _domains(design, block, code, G, ratio, full, cache, w, rep) -> Domains:
    stage, thetas = (design._stages or [None])[0], None
    if rep is None or rep[2] is None:  # sums per (PSU, group), or (stratum, group) pair
        outer, n_outer = None, 1
        if stage is not None:
            outer, n_outer = (stage.unit, stage.n_units)
            if stage.unit is None:
                outer, n_outer = stage.unit_stratum, len(stage.stratum_n)
        pairs = _pairs(code, G, outer, n_outer, cache)
        cs = _cell_sums(pairs, block, w)
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
    elif (
        design._calibration
        or len(design._stages) > 1
        or (full and stage.unit is None and block.codes is None)
    ):  # the row influences
        var = taylor_var(design, _influence(block, code, G, est, denom, w, ratio), full)
    else:
        var = _fast_var(stage, pairs, cs, est, denom, ratio, block.k, full)
    if rep is None:
        df = _fast_df(stage, pairs, cs["N"])
    return Domains(est, var, tot["N"], denom, numer, tot["Q0"], tot["SU2"], df, thetas)
