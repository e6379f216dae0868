"""The variance engine's arithmetic behind :mod:`youthmedia.design`'s public interface.

:func:`youthmedia.design.vcov`, :func:`~youthmedia.design.replicate_vcov` and
:func:`~youthmedia.design.domain_estimates` compute with what is here: the Taylor variance of an
influence matrix stage by stage with calibration residuals (R's ``svyrecvar``), the one-stage
path for domain shares, means and totals (``numpy.bincount`` sums per (PSU, domain) pair, never
an n × estimates matrix), and replicate estimates as one BLAS product per group (R's
``svrVar``). Nothing here reads a Survey or checks input.

Examples
--------
>>> import numpy as np
>>> _sum_by(np.array([0, 1, 0]), 2, np.array([[1.0], [2.0], [3.0]])).ravel().tolist()
[4.0, 2.0]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp


@dataclass(frozen=True)
class Stage:
    """One sampling stage: units (PSUs), their strata and variance scale factors."""

    unit: np.ndarray | None  # unit code per row (None: each row is its own unit)
    n_units: int
    unit_stratum: np.ndarray  # stratum code per unit
    unit_scale: np.ndarray  # per unit: (1 - f) n_h / (n_h - 1) [x earlier fractions]
    stratum_n: np.ndarray  # units per stratum
    stratum_centre: np.ndarray  # bool: centre the unit totals (False: "adjust" lonely PSU)
    stratum_scale: np.ndarray  # per stratum (for the centring term)
    multiplier: float = 1.0  # "average" lonely PSU: strata / strata with a variance
    lonely: np.ndarray | None = None  # "average": the strata holding a single PSU

    def average_factor(self, present: np.ndarray) -> np.ndarray | float:
        """R's ``onestage`` factor of ``lonely_psu="average"`` per estimate: the strata present
        in its domain (``present``: strata × estimates) over those of them with a variance."""
        if self.lonely is None:
            return 1.0
        n = present.sum(axis=0).astype(float)
        ok = (present & ~self.lonely[:, None]).sum(axis=0).astype(float)
        return np.where(ok > 0, n / np.maximum(ok, 1.0), 1.0)

    def scaled(self, V: np.ndarray, factor: np.ndarray | float) -> np.ndarray:
        """``V`` (variances, or a covariance) times the per-estimate factors."""
        if np.isscalar(factor):
            return V * factor
        return V * (np.sqrt(np.outer(factor, factor)) if V.ndim == 2 else factor)

    def totals(self, Z):
        """Unit totals of the rows of ``Z`` (units × columns)."""
        if self.unit is None:
            return Z
        n = len(self.unit)
        A = sp.csr_matrix((np.ones(n), (self.unit, np.arange(n))), shape=(self.n_units, n))
        return A @ Z

    @property
    def centre_factor(self) -> np.ndarray:
        """Per stratum c_h / n_h of the centring term (0 where not centred)."""
        n = self.stratum_n
        cen = self.stratum_centre & (n > 0)
        return np.where(cen, self.stratum_scale / np.where(n > 0, n, 1), 0.0)


# --------------------------------------------------------------------------------------------
# Taylor linearisation of an influence matrix (R: svyrecvar)
# --------------------------------------------------------------------------------------------
def _dense(x) -> np.ndarray:
    return np.asarray(x.toarray() if sp.issparse(x) else x, dtype=float)


def _stage_var(stage: Any, Z, E, M: np.ndarray | None, full: bool) -> np.ndarray:
    """Variance contribution of one stage for influence ``Z`` (rows × m), with low-rank
    calibration residuals ``T = A Z - (A E) M``."""
    T0 = stage.totals(Z)
    c = stage.unit_scale
    if sp.issparse(T0):
        T0 = T0.tocsc()
    # T'CT
    if full:
        CT = sp.diags(c) @ T0 if sp.issparse(T0) else c[:, None] * T0
        V = _dense(T0.T @ CT)
    else:
        sq = T0.multiply(T0) if sp.issparse(T0) else T0 * T0
        V = _dense(sq.T @ c).ravel() if sp.issparse(sq) else c @ sq
    H, dfac = len(stage.stratum_n), stage.centre_factor
    B = _indicator(stage.unit_stratum, H)  # strata × units: sums for the centring term
    S = _dense(B @ T0)
    if E is not None:
        AE = stage.totals(E)
        cAE = sp.diags(c) @ AE
        X = _dense(T0.T @ cAE)  # m × L
        Y = _dense(AE.T @ cAE)  # L × L
        if full:
            XM = X @ M
            V = V - XM - XM.T + M.T @ Y @ M
        else:
            V = V - 2 * np.sum(X * M.T, axis=1) + np.sum(M * (Y @ M), axis=0)
        S = S - _dense(B @ AE) @ M
    if full:
        V = V - S.T @ (dfac[:, None] * S)
    else:
        V = V - dfac @ (S * S)
    if stage.lonely is None or E is not None:
        return V * stage.multiplier
    # "average" lonely PSUs: R's onestage counts the strata of the domain's rows (the subset),
    # here those holding a row with a non-zero influence (a calibrated design keeps every row
    # in R's subset, so all its strata count: the design's multiplier above)
    nz = (Z != 0) if sp.issparse(Z) else sp.csr_matrix(Z != 0)
    rows_stratum = stage.unit_stratum if stage.unit is None else stage.unit_stratum[stage.unit]
    present = _dense(_indicator(rows_stratum, H) @ nz.astype(float)) > 0
    return stage.scaled(V, stage.average_factor(present))


def _calibration_residuals(design: Any, Z) -> tuple[Any, np.ndarray | None]:
    """R's post-stratification/raking residuals as a low-rank correction ``Z - E M``."""
    if not design._calibration:
        return None, None
    Es: list = []
    Ms: list[np.ndarray] = []
    for item in design._calibration:
        kind, margins = item
        reps = 10 if kind == "rake" else 1
        idx = []
        for Q, _K in margins:
            idx.append(len(Es))
            Es.append(Q)
            Ms.append(np.zeros((Q.shape[1], Z.shape[1])))
        for _ in range(reps):
            for (_Q, K), j in zip(margins, idx, strict=True):
                cur = _dense(K @ Z)
                for E_p, M_p in zip(Es, Ms, strict=True):
                    if np.any(M_p):
                        cur = cur - _dense(K @ E_p) @ M_p
                Ms[j] = Ms[j] + cur
    return sp.hstack(Es).tocsr(), np.vstack(Ms)


def taylor_var(design: Any, Z, full: bool) -> np.ndarray:
    """Sum of the stages' variance contributions (after calibration residuals)."""
    E, M = _calibration_residuals(design, Z)
    return sum(_stage_var(stage, Z, E, M, full) for stage in design._stages)


# --------------------------------------------------------------------------------------------
# Replicate variance (R: svrVar)
# --------------------------------------------------------------------------------------------
def rep_var(design: Any, thetas: np.ndarray, estimate: np.ndarray, full: bool) -> np.ndarray:
    th = thetas if thetas.ndim == 2 else thetas[:, None]
    rs = design.rscales
    ok = ~np.isnan(th)
    if design.mse:
        centre = np.broadcast_to(estimate, th.shape[1:])
    else:
        use = ok & (rs > 0)[:, None]
        with np.errstate(invalid="ignore", divide="ignore"):
            centre = np.where(use, th, 0.0).sum(axis=0) / use.sum(axis=0)
    dev = np.where(ok, th - centre, 0.0) * np.sqrt(rs)[:, None]
    if full:
        return design.scale * (dev.T @ dev)
    return design.scale * np.einsum("ij,ij->j", dev, dev)


# --------------------------------------------------------------------------------------------
# Domain estimates: sums per (PSU, domain) pair
# --------------------------------------------------------------------------------------------
_CHUNK = 1 << 17  # rows per pass over the data: the temporaries stay a few MB


@dataclass
class _Pairs:
    """The (outer cell, group) pairs that hold rows: the only cells the sums need.

    The outer cell is the PSU (a cluster design), the stratum (rows are the PSUs) or one cell
    for all (replicate designs). 20,000 schools × 80 countries are 1.6 million cells but only
    some 20,000 pairs hold students: sums and variances run over those, and the empty cells —
    which add exact zeros to every formula — are never made.
    """

    row: np.ndarray  # pair of each row (-1: outside every group)
    outer: np.ndarray  # outer cell of each pair
    group: np.ndarray  # group of each pair
    G: int
    _strata: tuple | None = None

    @property
    def P(self) -> int:
        return len(self.group)

    def strata(self, stage) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(stratum, group) pairs of a cluster design: per pair its (stratum, group) pair, and
        per (stratum, group) pair its stratum and group."""
        if self._strata is None:
            hg = stage.unit_stratum[self.outer] * self.G + self.group
            ids, inv = np.unique(hg, return_inverse=True)
            self._strata = (inv.ravel(), ids // self.G, ids % self.G)
        return self._strata


def _pairs(code: np.ndarray, G: int, outer: np.ndarray | None, n_outer: int, cache: list) -> _Pairs:
    """The pairs of ``outer`` cells and groups that occur (kept in ``cache`` for the next
    block: every variable of a call shares them)."""
    for o, c, pairs in cache:
        if o is outer and c is code:
            return pairs
    n = len(code)

    def keys(sl: slice) -> np.ndarray:  # the cell of each row (-1: outside every group)
        key = outer[sl] * G
        key += code[sl]
        key[code[sl] < 0] = -1
        return key

    size = n_outer * G
    if outer is None or n_outer == 1:  # one outer cell: the pair is the group
        seen = np.zeros(G + 1, dtype=bool)  # the last cell: key -1 (outside every group)
        seen[code] = True
        ids = np.flatnonzero(seen[:-1])
        if len(ids) == G:
            row = code  # every group occurs: the pair is the group code
        else:
            lookup = np.full(G + 1, -1, dtype=np.int64)
            lookup[ids] = np.arange(len(ids))
            row = lookup[code]
    elif size <= 4 * n + 4096:  # mark the cells that occur (in chunks): no sort
        seen = np.zeros(size + 1, dtype=bool)
        for a in range(0, n, _CHUNK):
            seen[keys(slice(a, a + _CHUNK))] = True
        ids = np.flatnonzero(seen[:-1])
        lookup = np.full(size + 1, -1, dtype=np.int32 if len(ids) < 2**31 else np.int64)
        lookup[ids] = np.arange(len(ids))
        row = np.empty(n, dtype=lookup.dtype)
        for a in range(0, n, _CHUNK):
            row[a : a + _CHUNK] = lookup[keys(slice(a, a + _CHUNK))]
    else:
        key = keys(slice(None))
        inside = key >= 0
        ids, inv = np.unique(key[inside], return_inverse=True)
        row = np.full(n, -1, dtype=np.int64)
        row[inside] = inv.ravel()
    pairs = _Pairs(row, ids // G, ids % G, G)
    cache.append((outer, code, pairs))
    return pairs


def _sum_by(index: np.ndarray, n: int, X: np.ndarray) -> np.ndarray:
    """Sums of the rows of ``X`` (m × k) by ``index`` (m values in 0..n-1): n × k."""
    out = np.empty((n, X.shape[1]))
    for j in range(X.shape[1]):
        out[:, j] = np.bincount(index, X[:, j], n)
    return out


def _pair_matrix(
    rows: np.ndarray, group: np.ndarray, X: np.ndarray, nrows: int, G: int
) -> sp.csr_matrix:
    """``X`` (pairs × k) as a sparse nrows × (G·k) matrix: pair p's k values in row ``rows[p]``,
    in its group's columns."""
    k = X.shape[1]
    cols = (group * k)[:, None] + np.arange(k)[None, :]
    return sp.csr_matrix((X.ravel(), (np.repeat(rows, k), cols.ravel())), shape=(nrows, G * k))


def _sparse_block(values: np.ndarray, group: np.ndarray, G: int) -> sp.csr_matrix:
    """rows × (G·k) with row i's k values in its group's columns (zeros outside any group)."""
    n, k = values.shape
    g = np.where(group >= 0, group, 0)
    data = np.where((group >= 0)[:, None], values, 0.0).ravel()
    indices = (g[:, None] * k + np.arange(k)[None, :]).ravel()
    indptr = np.arange(0, n * k + 1, k)
    return sp.csr_matrix((data, indices, indptr), shape=(n, G * k))


def _indicator(key: np.ndarray, nkeys: int, values: np.ndarray | None = None) -> sp.csr_matrix:
    """nkeys × rows: row i in column i of row ``key[i]`` (rows with key < 0 left out)."""
    ok = np.flatnonzero(key >= 0)
    data = np.ones(len(ok)) if values is None else values[ok]
    return sp.csr_matrix((data, (key[ok], ok)), shape=(nkeys, len(key)))


def _cell_sums(pairs: _Pairs, block: Any, w: np.ndarray) -> dict[str, np.ndarray]:
    """Per pair and column: S1 = Σ w u, S0 = Σ w d, Q2 = Σ w² u², Q1 = Σ w² u, Q0 = Σ w² d,
    SU2 = Σ w u², N = Σ [w > 0] d (pairs × k; S0, Q0 and N of a categorical block are the same
    for every column: pairs × 1). The rows are summed in chunks, so the memory this needs
    beside the data does not grow with the number of rows."""
    k, P, n = block.k, pairs.P, len(w)
    step = _CHUNK
    if block.codes is not None:
        S1, Q1 = np.zeros(P * k), np.zeros(P * k)
        S0, Q0, N = np.zeros(P), np.zeros(P), np.zeros(P)
        for a in range(0, n, step):
            row, codes = pairs.row[a : a + step], block.codes[a : a + step]
            ok = row >= 0
            ok &= codes >= 0
            pp = row[ok].astype(np.intp, copy=False)  # bincount wants intp
            idx = pp * k
            idx += codes[ok]
            ww = w[a : a + step][ok]
            S1 += np.bincount(idx, ww, P * k)
            S0 += np.bincount(pp, ww, P)
            N += np.bincount(pp if ww.min(initial=1.0) > 0 else pp[ww > 0], minlength=P)
            np.multiply(ww, ww, out=ww)  # w² (ww is a copy)
            Q1 += np.bincount(idx, ww, P * k)
            Q0 += np.bincount(pp, ww, P)
        S1, Q1 = S1.reshape(P, k), Q1.reshape(P, k)
        return {
            "S1": S1,
            "S0": S0[:, None],
            "Q2": Q1,
            "Q1": Q1,
            "Q0": Q0[:, None],
            "SU2": S1,
            "N": N[:, None],
        }
    out = {nm: np.zeros((P, k)) for nm in ("S1", "S0", "Q2", "Q1", "Q0", "SU2", "N")}
    for a in range(0, n, step):
        sl = slice(a, a + step)
        u, d, wc = block.u[sl], block.d[sl], w[sl, None]
        M = _indicator(pairs.row[sl], P)
        wu = wc * u
        out["S1"] += M @ wu
        out["S0"] += M @ (wc * d)
        out["Q2"] += M @ (wu * wu)
        out["Q1"] += M @ (wu * wc)
        out["Q0"] += M @ ((wc * wc) * d)
        out["SU2"] += M @ (wu * u)
        out["N"] += M @ ((wc > 0) * d)
    return out


def _fast_var(stage, pairs: _Pairs, cs, est, denom, ratio, k, full) -> np.ndarray:
    """Single-stage Taylor variances (or the covariance) from the pair sums: the with-
    replacement estimator Σ_h c_h (Σ_j T_hj² − (Σ_j T_hj)²/n_h) with T_hj the influence total
    of PSU j, never an n × estimates matrix."""
    G = pairs.G
    g, o = pairs.group, pairs.outer
    th = np.nan_to_num(est).reshape(G, k)[g]  # pairs × k
    D = np.where(denom > 0, denom, 1.0).reshape(G, k)
    D = D[:, :1][g] if cs["S0"].shape[1] == 1 else D[g]  # one base per group: pairs × 1
    if ratio:  # influence total per pair
        T = th * cs["S0"]
        np.subtract(cs["S1"], T, out=T)
        T /= D
    else:
        T = cs["S1"]
    if stage.unit is None:
        # rows are the PSUs and the pairs (stratum, group): Σ T² from sums of squares
        c = stage.stratum_scale[o][:, None]
        if full:  # a code block: Σ w²(e_c − θ)(e_c − θ)ᵀ/D² = diag(Q1) − Q1θᵀ − θQ1ᵀ + Q0θθᵀ
            A = _sum_by(g, G, c * cs["Q1"] / (D * D if ratio else 1.0))
            b = _sum_by(g, G, c * cs["Q0"] / (D * D))[:, 0]
            theta = np.nan_to_num(est).reshape(G, k)
            first = np.zeros((G * k, G * k))
            for gi in range(G):
                blk = np.diag(A[gi])
                if ratio:
                    blk = (
                        blk
                        - np.outer(A[gi], theta[gi])
                        - np.outer(theta[gi], A[gi])
                        + b[gi] * np.outer(theta[gi], theta[gi])
                    )
                first[gi * k : (gi + 1) * k, gi * k : (gi + 1) * k] = blk
        else:
            if ratio:
                sumT2 = (cs["Q2"] - 2 * th * cs["Q1"] + th * th * cs["Q0"]) / (D * D)
            else:
                sumT2 = cs["Q2"]
            first = _sum_by(g, G, c * sumT2).ravel()
        sh, sg, S = o, g, T  # one (stratum, group) pair per pair already
    else:
        del th, D
        if full and G == 1:  # one group: the pairs are the PSUs
            first = T.T @ (stage.unit_scale[o][:, None] * T)
        elif full:
            T0 = _pair_matrix(o, g, T, stage.n_units, G)
            first = (T0.T @ (sp.diags(stage.unit_scale) @ T0)).toarray()
        else:
            T2 = T * T
            T2 *= stage.unit_scale[o][:, None]
            first = _sum_by(g, G, T2).ravel()
            del T2
        inv, sh, sg = pairs.strata(stage)
        S = _sum_by(inv, len(sh), T)  # per (stratum, group): Σ of its PSUs' totals
    dfac = stage.centre_factor
    if full and G == 1:
        var = first - S.T @ (dfac[sh][:, None] * S)
    elif full:
        Ssp = _pair_matrix(sh, sg, S, len(stage.stratum_n), G)
        var = first - (Ssp.T @ (sp.diags(dfac) @ Ssp)).toarray()
    else:
        var = first - _sum_by(sg, G, dfac[sh][:, None] * S * S).ravel()
    if stage.lonely is None:
        return var * stage.multiplier
    # "average" lonely PSUs: the strata present in each domain (R's onestage on the subset)
    H = len(stage.stratum_n)
    ps = o if stage.unit is None else stage.unit_stratum[o]
    present = np.zeros((H, G * k), dtype=bool)
    cols = (g * k)[:, None] + np.arange(k)[None, :]
    np.logical_or.at(present, (np.broadcast_to(ps[:, None], cols.shape), cols), cs["N"] > 0)
    return stage.scaled(var, stage.average_factor(present))


def _fast_df(stage, pairs: _Pairs, N: np.ndarray) -> np.ndarray:
    """PSUs minus strata among each domain's rows with a weight (R's degf of the subset)."""
    G, g = pairs.G, pairs.group
    has = (N > 0).astype(float)
    if stage.unit is None:
        n_psu = _sum_by(g, G, N)
        n_str = _sum_by(g, G, has)
    else:
        n_psu = _sum_by(g, G, has)
        inv, sh, sg = pairs.strata(stage)
        per = (_sum_by(inv, len(sh), has) > 0).astype(float)
        n_str = _sum_by(sg, G, per)
    return np.maximum(n_psu - n_str, 1.0).ravel().astype(float)


def _influence(block: Any, code: np.ndarray, G: int, est, denom, w, ratio) -> sp.csr_matrix:
    """Rows × (group, column) influence values: w (u − θ d) / Σw (shares, means) or w u
    (totals). A categorical block is built from its codes (k values per answering row) rather
    than from rows × k indicator arrays."""
    k = block.k
    n = len(code)
    safe = np.where(denom > 0, denom, 1.0)
    theta = np.nan_to_num(est)
    if block.codes is not None:
        rows = np.flatnonzero((code >= 0) & (block.codes >= 0))
        g, c, wr = code[rows], block.codes[rows], w[rows]
        counts = np.zeros(n, dtype=np.int64)
        if ratio:
            cols = (g * k)[:, None] + np.arange(k)[None, :]
            vals = -theta[cols]
            vals[np.arange(len(rows)), c] += 1.0
            vals *= wr[:, None] / safe[cols]
            counts[rows] = k
        else:
            cols = (g * k + c)[:, None]
            vals = wr[:, None]
            counts[rows] = 1
        indptr = np.concatenate([[0], np.cumsum(counts)])
        return sp.csr_matrix((vals.ravel(), cols.ravel(), indptr), shape=(n, G * k))
    U = _sparse_block(block.u * block.d, code, G)
    D = _sparse_block(block.d, code, G)
    Z = U.copy()
    rows = np.repeat(np.arange(U.shape[0]), np.diff(U.indptr))
    if ratio:
        Z.data = w[rows] * (U.data - D.data * theta[U.indices]) / safe[U.indices]
    else:
        Z.data = w[rows] * U.data
    return Z


def _replicate_sums(rep: np.ndarray, blocks: list, code: np.ndarray, G: int, w: np.ndarray) -> list:
    """Per block the replicate numerators and denominators (R × G·k each) and, for a
    categorical block, its full-sample sums (as :func:`_domains`' ``tot``).

    One sparse product of the (group, category) indicators of every categorical block with
    the replicate weights and with w, [w > 0] and w², reading the rows in order (chunks keep
    the indicators small); per numeric block one product with its values and answered masks.
    """
    R, n, out = rep.shape[1], len(code), {}
    cat = [b for b in blocks if b.codes is not None]
    offsets = np.cumsum([0] + [b.k for b in cat])
    K = int(offsets[-1])
    sums, ext = np.zeros((G * K, R)), np.zeros((G * K, 3))
    for a in range(0, n if cat else 0, _CHUNK):
        sl = slice(a, a + _CHUNK)
        cell = np.stack(
            [
                np.where((b.codes[sl] >= 0) & (code[sl] >= 0), code[sl] * K + b.codes[sl] + o, -1)
                for b, o in zip(cat, offsets, strict=False)
            ],
            axis=1,
        )  # rows × blocks
        ok = cell >= 0
        indptr = np.concatenate([[0], np.cumsum(ok.sum(axis=1))])
        M = sp.csr_matrix((np.ones(indptr[-1]), cell[ok], indptr), shape=(len(cell), G * K)).T
        wc = w[sl]
        sums += M @ rep[sl]
        ext += M @ np.column_stack([wc, wc > 0, wc * wc])
    sums, ext = sums.reshape(G, K, R), ext.reshape(G, K, 3)
    for b, off in zip(cat, offsets, strict=False):
        num, e = sums[:, off : off + b.k], ext[:, off : off + b.k]  # G × k × R, G × k × 3
        per_group = np.repeat(e.sum(axis=1), b.k, axis=0).reshape(G, b.k, 3)
        tot = {
            "S1": e[:, :, 0].ravel(),
            "S0": per_group[:, :, 0].ravel(),
            "N": per_group[:, :, 1].ravel(),
            "Q0": per_group[:, :, 2].ravel(),
        }
        tot["SU2"] = tot["S1"]
        den = np.repeat(num.sum(axis=1, keepdims=True), b.k, axis=1)  # a group's base
        out[id(b)] = (*(x.transpose(2, 0, 1).reshape(R, G * b.k) for x in (num, den)), tot)
    for b in blocks:
        if b.codes is None:
            num, den = ((_sparse_block(x, code, G).T @ rep).T for x in (b.u * b.d, b.d))
            out[id(b)] = (num, den, None)
    return [out[id(b)] for b in blocks]


def _ratios(num: np.ndarray, den: np.ndarray, ratio: bool) -> np.ndarray:
    if not ratio:
        return num
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


@dataclass
class Domains:
    """Estimates of every (domain, column) of a block, group-major, with what the estimators
    build on them: ``var`` (variances, or the covariance when asked), unweighted ``n``,
    weighted ``base`` (Σw), ``w2`` (Σw², for Kish's n_eff), ``su2`` (Σw u², for the design
    effect), design ``df`` per estimate and the replicate estimates ``thetas`` (R × m)."""

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
    design: Any, blocks: list, code: np.ndarray, G: int, ratio: bool, full: bool, cache: list
) -> list[Domains]:
    """The engine behind :func:`youthmedia.design.domain_estimates` (see there)."""
    w = design._w
    if np.isnan(w).any():
        w = np.nan_to_num(w)  # missing weights only outside the rows in use
    reps = (
        _replicate_sums(design._rep, blocks, code, G, w)
        if design.is_replicate
        else [None] * len(blocks)
    )
    return [
        _domains(design, b, code, G, ratio, full, cache, w, r)
        for b, r in zip(blocks, reps, strict=True)
    ]


def _domains(
    design: Any,
    block: Any,
    code: np.ndarray,
    G: int,
    ratio: bool,
    full: bool,
    cache: list,
    w: np.ndarray,
    rep_sums: tuple | None,
) -> Domains:
    k = block.k
    if rep_sums is not None and rep_sums[2] is not None:  # a categorical block's sums are there
        return _replicate_domains(design, rep_sums, ratio, full)
    stage = design._stages[0] if design._stages else None
    if design.is_replicate or stage is None:
        outer, n_outer = None, 1
    elif stage.unit is not None:
        outer, n_outer = stage.unit, stage.n_units
    else:
        outer, n_outer = stage.unit_stratum, len(stage.stratum_n)
    pairs = _pairs(code, G, outer, n_outer, cache)
    cs = _cell_sums(pairs, block, w)
    cs["N"] = np.broadcast_to(cs["N"], (pairs.P, k))
    tot = {nm: np.broadcast_to(_sum_by(pairs.group, G, v), (G, k)).ravel() for nm, v in cs.items()}
    numer, denom = tot["S1"], tot["S0"]
    with np.errstate(invalid="ignore", divide="ignore"):
        est = np.where(denom > 0, numer / denom, np.nan) if ratio else numer.copy()
    thetas = None
    # single stage, no calibration: variances from the pair sums (a covariance too, except for
    # 0/1 or numeric columns when the rows are the PSUs: that needs Σ w² u_j u_l)
    simple = (
        stage is not None
        and not design._calibration
        and len(design._stages) == 1
        and (not full or block.codes is not None or stage.unit is not None)
    )
    if rep_sums is not None:
        thetas = _ratios(*rep_sums[:2], ratio)
        var = rep_var(design, thetas, est, full)
        df = np.full(len(est), design.degf)
    elif simple:
        var = _fast_var(stage, pairs, cs, est, denom, ratio, k, full)
        df = _fast_df(stage, pairs, cs["N"])
    else:
        # multistage, calibrated, or a covariance of numeric columns: the row influences
        var = taylor_var(design, _influence(block, code, G, est, denom, w, ratio), full)
        df = _fast_df(stage, pairs, cs["N"])
    return Domains(est, var, tot["N"], denom, numer, tot["Q0"], tot["SU2"], df, thetas)


def _replicate_domains(design: Any, rep_sums: tuple, ratio: bool, full: bool) -> Domains:
    """A categorical block's estimates from the replicate products (R's ``svrVar``)."""
    num, den, tot = rep_sums
    numer, denom = tot["S1"], tot["S0"]
    with np.errstate(invalid="ignore", divide="ignore"):
        est = np.where(denom > 0, numer / denom, np.nan) if ratio else numer.copy()
    thetas = _ratios(num, den, ratio)
    var = rep_var(design, thetas, est, full)
    df = np.full(len(est), design.degf)
    return Domains(est, var, tot["N"], denom, numer, tot["Q0"], tot["SU2"], df, thetas)
