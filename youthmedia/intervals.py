"""Intervals for shares: R's ``svyciprop`` methods and Wilson's on Kish's n_eff; Clopper–Pearson
on n_eff, with a note, where a share is 0 or 1 or has no variance. t quantiles."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import expit as _expit

from . import design as dz
from . import i18n
from .errors import ConfigError

CI_METHODS = ("logit", "likelihood", "beta", "xlogit", "asin", "mean", "wilson")

#: Caveats for footnotes and speaker notes, ``{lang: text}`` from the i18n catalogue.
NOTES = {k: i18n.both(f"note_{k}") for k in ("clopper_pearson", "likelihood_fallback")}


def _q(level: float, df: np.ndarray) -> np.ndarray:
    dfs, at = np.unique(np.maximum(df, 1), return_inverse=True)  # mostly one df: one quantile
    return stats.t.ppf(1 - (1 - level) / 2, dfs)[at.reshape(np.shape(df))]


def _check_level(level: float, ci: str = "t") -> None:
    if ci != "t" and ci not in CI_METHODS:
        raise ConfigError(f"ci={ci!r} is not one of {', '.join(CI_METHODS)}.")
    if not 0 < level < 1:
        raise ConfigError(f"level={level!r} must be between 0 and 1 (e.g. 0.95).")


def bounds(ci: str, e: Any, level: float, design: dz.Design) -> tuple:
    """SEs, bounds, notes and where Clopper–Pearson was used; ``ci`` not a share method: t."""
    p, df, alpha = e.est, e.df, 1 - level
    se, q, notes = _se(e.var), _q(level, df), []
    if ci not in CI_METHODS:
        return se, p - q * se, p + q * se, notes, None
    with np.errstate(invalid="ignore", divide="ignore"):
        pq = p * (1 - p)
        if ci in ("logit", "xlogit", "likelihood"):
            se_l = se / pq
            if ci != "xlogit" and e.thetas is not None:  # from the replicates, as R's svyglm
                lt, full = np.log(e.thetas / (1 - e.thetas)), np.log(p / (1 - p))
                bad = ~np.isfinite(lt) & ~np.isnan(e.thetas)
                v = dz.replicate_vcov(design, np.where(bad, np.nan, lt), full, False)
                ok = ~bad.any(axis=0) & np.isfinite(v)
                se_l = np.where(ok, np.sqrt(np.maximum(v, 0)), se_l)
            lo, hi = _expit(np.log(p / (1 - p)) + np.multiply.outer([-1, 1], q * se_l))
            if ci == "likelihood":
                lo_l, hi_l = _likelihood_ci(e, se_l, level)
                walked = ~np.isnan(lo_l) & ~np.isnan(hi_l)
                if (~walked & (p > 0) & (p < 1) & (se > 0)).any():
                    notes.append(dict(NOTES["likelihood_fallback"]))
                lo, hi = np.where(walked, lo_l, lo), np.where(walked, hi_l, hi)
        elif ci == "asin":
            a, se_a = np.arcsin(np.sqrt(p)), se / (2 * np.sqrt(pq))
            lo, hi = np.sin(np.clip(a + np.multiply.outer([-1, 1], q * se_a), 0, np.pi / 2)) ** 2
        elif ci == "beta":  # Korn–Graubard: the effective n scaled by the t quantiles
            neff = pq / se**2 * (_q(level, e.n - 1) / q) ** 2
            lo = stats.beta.ppf(alpha / 2, neff * p, neff * (1 - p) + 1)
            hi = stats.beta.ppf(1 - alpha / 2, neff * p + 1, neff * (1 - p))
        elif ci == "mean":
            lo, hi = np.clip(p + np.multiply.outer([-1, 1], q * se), 0, 1)
        else:  # wilson, on Kish's effective n
            n, z2 = e.neff, q * q
            centre = (p + z2 / (2 * n)) / (1 + z2 / n)
            half = q / (1 + z2 / n) * np.sqrt(pq / n + z2 / (4 * n * n))
            lo, hi = centre - half, centre + half
    # nothing to go on (p = 0 or 1, or no variance): Clopper–Pearson on n_eff. A variance that is
    # 0 in exact arithmetic comes out as ~1e-17 and its √ must not flip the method with the
    # weights' scale; a real SE of a share is far above 1e-7 (n = 10⁹ gives 1.6e-5)
    edge = ((p <= 0) | (p >= 1) | ~(se > 1e-7)) & (e.n > 0)
    if edge.any():
        at = np.flatnonzero(edge)
        n = np.maximum(e.neff[at], 1)
        x = p[at] * n
        with np.errstate(invalid="ignore"):
            lo[at] = np.where(x > 0, stats.beta.ppf(alpha / 2, x, n - x + 1), 0.0)
            hi[at] = np.where(x < n, stats.beta.ppf(1 - alpha / 2, x + 1, n - x), 1.0)
        notes.append(dict(NOTES["clopper_pearson"]))
    return se, lo, hi, notes, np.asarray(edge, dtype=bool)


def _likelihood_ci(e: Any, se_beta: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """R's svyciprop(method="likelihood"): the rescaled binomial profile, as R's confint."""
    lo, hi = np.full(len(e.est), np.nan), np.full(len(e.est), np.nan)
    for j, p in enumerate(e.est):
        n, se = e.n[j], se_beta[j]
        if not (0 < p < 1) or n < 2 or not np.isfinite(se) or se <= 0:
            continue
        # dispersion = svyvar of the Pearson residuals (y - p)/sqrt(p(1-p)) (R's
        # residuals.svyglm divides the prior weights out): exactly n/(n-1) for a 0/1 outcome
        disp, b0 = n / (n - 1), math.log(p / (1 - p))

        def dev(beta: float, p=p, n=n) -> float:  # logaddexp: no log(0) or overflow far out
            return 2 * n * (p * np.logaddexp(0.0, -beta) + (1 - p) * np.logaddexp(0.0, beta))

        lam = se**2 * n * p * (1 - p)  # the SE² over the naive binomial variance
        alpha = stats.norm.cdf(stats.t.ppf((1 - level) / 2, e.df[j]) * math.sqrt(lam)) / 2
        zmax = math.sqrt(stats.f.isf(alpha, 1, n - 1))
        if not math.isfinite(zmax):
            continue  # no profile to walk (alpha underflows to 0): the caller uses logit
        betas, zs = [b0], [0.0]
        for sgn in (-1, 1):
            step, z = 1, 0.0
            while step < 10 and abs(z) < zmax:
                betas.append(b0 + sgn * step * zmax / 5 * se)
                zs.append(z := sgn * math.sqrt(max((dev(betas[-1]) - dev(b0)) / disp, 0.0)))
                step += 1
        order = np.argsort(zs, kind="stable")
        sx, sy = _r_spline(np.asarray(betas)[order], np.asarray(zs)[order], 3 * len(betas))
        at = np.array([1, -1]) * stats.norm.ppf(2 * alpha)  # R's approx(): ties averaged, NA out
        back = pd.Series(sx).groupby(sy).mean()
        inside = (at >= back.index[0]) & (at <= back.index[-1])
        lo[j], hi[j] = _expit(np.where(inside, np.interp(at, back.index, back.to_numpy()), np.nan))
    return lo, hi


def _r_spline(x: np.ndarray, y: np.ndarray, nout: int) -> tuple[np.ndarray, np.ndarray]:
    """R's ``spline(x, y, n)`` (Forsythe–Malcolm–Moler ends) at ``n`` even points."""
    o = np.argsort(x, kind="stable")
    x, y = np.asarray(x, float)[o], np.asarray(y, float)[o]
    h, delta, sigma = np.diff(x), np.diff(y) / np.diff(x), np.zeros(len(x))
    if len(x) >= 3:  # the tridiagonal system of R's fmm_spline, solved at once
        A = np.diag(np.r_[-h[0], 2 * (h[:-1] + h[1:]), -h[-1]]) + np.diag(h, 1) + np.diag(h, -1)
        rhs = np.r_[0.0, np.diff(delta), 0.0]
        if len(x) > 3:
            q = np.diff(delta) / (x[2:] - x[:-2])
            rhs[0] = (q[1] - q[0]) * h[0] ** 2 / (x[3] - x[0])
            rhs[-1] = (q[-2] - q[-1]) * h[-1] ** 2 / (x[-1] - x[-4])
        sigma = np.linalg.solve(A, rhs)
    b = np.r_[delta - h * (sigma[1:] + 2 * sigma[:-1]), delta[-1] + h[-1] * (sigma[-2] + 2 * sigma[-1])]  # fmt: skip
    c, d = 3 * sigma, np.diff(sigma) / h
    xout = np.linspace(x[0], x[-1], nout)
    i = np.clip(np.searchsorted(x, xout, side="right") - 1, 0, len(x) - 1)
    dx = xout - x[i]
    return xout, y[i] + dx * (b[i] + dx * (c[i] + dx * np.r_[d, d[-1]][i]))


def _se(var: np.ndarray) -> np.ndarray:
    """Standard errors from variances or a covariance matrix (NaN stays NaN)."""
    v = np.diag(var) if var.ndim == 2 else var
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(v), np.sqrt(np.maximum(v, 0)), np.nan)


def t_test(est: Any, se: Any, df: Any) -> tuple:
    """t = est / se and its two-sided p on ``df`` (at least 1)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.asarray(est, dtype=float) / se
    return t, 2 * stats.t.sf(np.abs(t), np.maximum(df, 1))
