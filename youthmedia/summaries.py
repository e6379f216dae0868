"""Quantiles, ratios, variances, t-tests and linear contrasts, as R's survey computes them.

Each returns a Result as :func:`youthmedia.estimate.mean` does, variances from
:func:`youthmedia.design.vcov` or ``replicate_vcov``; ``meta.vcov`` serves :func:`contrast`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy import stats

from . import blocks as bl
from . import design as dz
from .errors import ConfigError, DataError
from .intervals import _check_level, _q
from .result import Result
from .survey import Survey

__all__ = ["contrast", "quantile", "ratio", "ttest", "var"]
By = str | Sequence[str] | None


def _domains(survey: Survey, by, ok: np.ndarray) -> tuple[bl._Groups, list[int], list[np.ndarray]]:
    """The by-groups, those holding a row with ``ok``, and each one's rows (in the group)."""
    grp = bl._groups(survey, by)
    keep = [g for g in range(grp.G) if ((grp.code == g) & ok).any()]
    return grp, keep, [grp.code == g for g in keep]


def _values(survey: Survey, name: str) -> np.ndarray:
    """A numeric variable as floats (NaN where missing; a labelled one by its codes)."""
    block = bl._numeric_block(survey, [name])
    return np.where(block.d[:, 0] > 0, block.u[:, 0], np.nan)


def _columns(values, masks: list[np.ndarray]) -> sp.csc_matrix:
    """rows × m sparse: column j holds ``values[j]`` (or ``values``) on the rows of ``masks[j]``,
    0 elsewhere — 80 countries of 600,000 rows stay 600,000 values, not 48 million."""
    values = [values] * len(masks) if isinstance(values, np.ndarray) else values
    idx = [np.flatnonzero(m) for m in masks]
    data = np.concatenate([v[i] for v, i in zip(values, idx, strict=True)])
    indptr = np.concatenate([[0], np.cumsum([len(i) for i in idx])])
    return sp.csc_matrix((data, np.concatenate(idx), indptr), shape=(len(masks[0]), len(idx)))


def _ratio_stats(survey: Survey, a: sp.csc_matrix, b: sp.csc_matrix) -> tuple:
    """Σ w a_j / Σ w b_j per column and their covariance: Taylor through the influence
    w (a − θ b)/Σ w b (R's ``svyratio``), or the ratio under each replicate weight (``svrVar``)."""
    w = np.nan_to_num(dz.weights(survey))
    with np.errstate(invalid="ignore", divide="ignore"):
        den = b.T @ w
        est = np.where(den != 0, (a.T @ w) / den, np.nan)
    if dz.effective_design(survey).is_replicate:
        rep = dz.replicate_weights(survey)
        with np.errstate(invalid="ignore", divide="ignore"):
            rb = np.asarray(b.T @ rep).T
            thetas = np.where(rb != 0, np.asarray(a.T @ rep).T / rb, np.nan)
        return est, dz.replicate_vcov(survey, thetas, est)
    scale = sp.diags(1.0 / np.where(den != 0, den, 1.0))
    Z = sp.diags(w) @ (a - b @ sp.diags(np.nan_to_num(est))) @ scale
    return est, dz.vcov(survey, Z.tocsr())


def _counts(survey: Survey, rows: np.ndarray, domain_df: bool = False) -> dict[str, float]:
    """n, Kish n_eff, weighted base and df of a domain: PSUs − strata of the domain (Taylor),
    the design's (replicates), or with ``domain_df`` the rank of the domain's replicate weights
    − 1 (R's degf of the subset, which svyquantile's interval uses)."""
    w = np.nan_to_num(dz.weights(survey))
    used = rows & (w > 0)
    design = dz.effective_design(survey)
    df = design.degf if design.is_replicate and not domain_df else dz.degf(survey, rows=rows)
    n_eff = dz.kish_neff(survey, rows=used) if used.any() else 0.0
    return {"n": int(used.sum()), "n_eff": n_eff, "base": float(w[used].sum()), "df": df}


def _row(labels: dict, variable, category, est, se, level, counts, lo=None, hi=None, **extra):
    """A Result row; without ``lo``/``hi`` a t interval on ``counts["df"]``."""
    q = float(_q(level, np.array([counts["df"]]))[0])
    lo, hi = (est - q * se, est + q * se) if lo is None else (lo, hi)
    row = {"variable": variable, "category": category, "estimate": est, "se": se}
    return labels | row | {"ci_low": lo, "ci_high": hi} | counts | extra


def _t_rows(survey, grp, keep, name, est, V, masks, level) -> list[dict]:
    """One row per domain: the estimate, its SE and t interval on the domain's df, counts."""
    se = np.sqrt(np.maximum(np.diag(V), 0))
    return [
        _row(_labels(grp, g), name, "", est[j], se[j], level, _counts(survey, masks[j]))
        for j, g in enumerate(keep)
    ]


def _labels(grp: bl._Groups, g: int) -> dict:
    return dict(zip(grp.by, grp.labels[g], strict=True))


def _done(survey, grp, rows, kind, variables, level, vcov, ci="t") -> Result:
    if not rows:
        where = f" in any group of {', '.join(grp.by)}" if grp and grp.by else ""
        raise DataError(f"No respondents answered {', '.join(variables)}{where}.")
    used = np.logical_or.reduce([survey.data[v].notna().to_numpy() for v in variables])
    design, frame = dz.effective_design(survey), pd.DataFrame(rows)
    return bl._result(survey, design, frame, kind, ci, level, variables, grp, used, vcov=vcov)


def ratio(
    survey: Survey, numerator: str, denominator: str, by: By = None, level: float = 0.95
) -> Result:
    """The ratio of two weighted totals, Σ w y / Σ w x (R's ``svyratio``), among those who
    answered both; t interval on the domain's df; ``variable`` is "numerator/denominator".

    Examples
    --------
    >>> import pandas as pd
    >>> s = Survey(pd.DataFrame({"y": [2.0, 4.0] * 10, "x": [1.0, 1.0] * 10}))
    >>> float(ratio(s, "y", "x").loc[0, "estimate"])       # 60 / 20
    3.0
    """
    _check_level(level)
    y, x = _values(survey, numerator), _values(survey, denominator)
    both = ~np.isnan(y) & ~np.isnan(x)
    grp, keep, masks = _domains(survey, by, both)
    masks = [m & both for m in masks]
    est, V = _ratio_stats(survey, _columns(y, masks), _columns(x, masks))
    rows = _t_rows(survey, grp, keep, f"{numerator}/{denominator}", est, V, masks, level)
    return _done(survey, grp, rows, "ratio", [numerator, denominator], level, V)


def var(survey: Survey, variable: str, by: By = None, level: float = 0.95) -> Result:
    """The population variance of a numeric variable (R's ``svyvar``).

    Σ w (y − ȳ)² / Σ w × n/(n − 1), its SE that of the mean of (y − ȳ)² n/(n − 1); R's n: the
    domain's rows with a weight above 0 (Taylor), or those that answered (replicates).

    Examples
    --------
    >>> import pandas as pd
    >>> s = Survey(pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0] * 5}))
    >>> round(float(var(s, "y").loc[0, "estimate"]), 6)      # 1.25 × 20/19
    1.315789
    """
    _check_level(level)
    y = _values(survey, variable)
    ok, yy = ~np.isnan(y), np.nan_to_num(y)
    rep = dz.effective_design(survey).is_replicate
    w = np.nan_to_num(dz.weights(survey))
    grp, keep, rows = _domains(survey, by, ok)
    masks, a_cols = [r & ok for r in rows], []
    for d, r in zip(rows, masks, strict=True):
        n = r.sum() if rep else (d & (w != 0)).sum()
        a_cols.append((yy - np.sum(w[r] * yy[r]) / np.sum(w[r])) ** 2 * n / (n - 1))
    b = _columns(np.ones(len(yy)), masks)
    est, V = _ratio_stats(survey, _columns(a_cols, masks), b)
    if rep:  # R's svyvar.svyrep.design: the mean again in each replicate
        nn = np.array([r.sum() for r in masks], dtype=float)
        y1, y2 = _columns(yy, masks), _columns(yy * yy, masks)
        with np.errstate(invalid="ignore", divide="ignore"):
            s0, s1, s2 = (np.asarray(m.T @ dz.replicate_weights(survey)).T for m in (b, y1, y2))
            thetas = (s2 / s0 - (s1 / s0) ** 2) * nn / (nn - 1)
        V = dz.replicate_vcov(survey, thetas, est)
    rows = _t_rows(survey, grp, keep, variable, est, V, masks, level)
    return _done(survey, grp, rows, "variance", [variable], level, V)


def _qrule_math(x: np.ndarray, w: np.ndarray, p: float) -> float:
    """R's ``qrule_math``: the smallest x whose weighted CDF reaches p (the lower value when a
    cumulative weight equals p·Σw exactly)."""
    x, w = x[w != 0], w[w != 0]
    order = np.argsort(x, kind="stable")
    # R's cumsum and sum add in long double and round each result to double: the same here,
    # so that a cumulative weight hits p·Σw exactly where R's does
    xs, cw = x[order], np.cumsum(w[order].astype(np.longdouble)).astype(float)
    hit = np.flatnonzero(cw <= p * cw[-1])
    pos = int(hit[-1]) if hit.size else 0  # R's last(): 1 (here 0) when none
    return float(xs[pos] if p - cw[pos] / cw[-1] == 0 else xs[min(pos + 1, len(xs) - 1)])


def quantile(
    survey: Survey,
    variable: str,
    q: float | Sequence[float] = 0.5,
    by: By = None,
    level: float = 0.95,
) -> Result:
    """Weighted quantiles with Woodruff intervals (R's ``svyquantile``, ``qrule = "math"``,
    ``interval.type = "mean"``): the smallest value whose weighted cumulative share reaches
    ``q`` (0.5: the median); the t interval (domain df) of that share turned back into values
    (NaN outside 0–1, as R); ``se`` its width / (2 t). One row per group and quantile
    (``category`` the quantile as text, ``q`` the number).

    Examples
    --------
    >>> import pandas as pd
    >>> s = Survey(pd.DataFrame({"hours": [0.5, 1.0, 2.0, 3.0, 8.0] * 6}))
    >>> quantile(s, "hours", q=[0.25, 0.5])["estimate"].tolist()
    [1.0, 2.0]
    """
    _check_level(level)
    qs = [float(p) for p in ([q] if np.isscalar(q) else q)]
    if not qs or any(not 0 <= p <= 1 for p in qs):
        raise ConfigError(f"q={q!r}: give quantiles between 0 and 1 (e.g. q=0.5 for the median).")
    y = _values(survey, variable)
    ok, yy = ~np.isnan(y), np.nan_to_num(y)
    w = np.nan_to_num(dz.weights(survey))
    grp, keep, rows_ = _domains(survey, by, ok & (w > 0))
    masks = [r & ok for r in rows_ for _ in qs]
    qhat = [_qrule_math(yy[r], w[r], p) for r, p in zip(masks, qs * len(keep), strict=True)]
    below = [(yy <= qh).astype(float) for qh in qhat]
    pm, V = _ratio_stats(survey, _columns(below, masks), _columns(np.ones(len(yy)), masks))
    pse, rows = np.sqrt(np.maximum(np.diag(V), 0)), []
    for j, (r, p) in enumerate(zip(masks, qs * len(keep), strict=True)):
        counts = _counts(survey, r, domain_df=True)
        t = stats.t.ppf(1 - (1 - level) / 2, max(counts["df"], 1))
        plo, phi = pm[j] - t * pse[j], pm[j] + t * pse[j]  # Woodruff: the CDF's interval
        lo = np.nan if plo < 0 else _qrule_math(yy[r], w[r], plo)
        hi = np.nan if phi > 1 else _qrule_math(yy[r], w[r], phi)
        labels = _labels(grp, keep[j // len(qs)])
        se = (hi - lo) / (2 * t)
        rows.append(_row(labels, variable, f"{p:g}", qhat[j], se, level, counts, lo, hi, q=p))
    return _done(survey, grp, rows, "quantile", [variable], level, None, ci="woodruff")


def ttest(survey: Survey, variable: str, group: str | None = None, level: float = 0.95) -> Result:
    """Design-based t-test (R's ``svyttest``): the difference in means between the two
    categories of ``group`` (second − first), or the mean against 0; t on the design df of
    those who answered, minus 1. One row with ``statistic``, ``df`` and ``p``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"y": [1.0, 2.0, 3.0, 5.0] * 6, "g": ["a", "a", "b", "b"] * 6})
    >>> float(ttest(Survey(d), "y", "g").loc[0, "estimate"])     # 4 − 1.5
    2.5
    """
    _check_level(level)
    y = _values(survey, variable)
    ok, yy = ~np.isnan(y), np.nan_to_num(y)
    masks, label, c = [ok], "mean", np.array([1.0])
    if group is not None:
        grp, keep, rows = _domains(survey, group, ok)
        if len(keep) != 2:
            raise DataError(
                f"ttest needs a group with exactly two categories among those who "
                f"answered '{variable}'; '{group}' has {len(keep)}."
            )
        masks, c = [r & ok for r in rows], np.array([-1.0, 1.0])
        label = f"{grp.labels[keep[1]][0]} − {grp.labels[keep[0]][0]}"
    est, V = _ratio_stats(survey, _columns(yy, masks), _columns(np.ones(len(y)), masks))
    diff, var_ = float(c @ est), float(c @ V @ c)
    used = np.logical_or.reduce(masks)
    se, df = float(np.sqrt(max(var_, 0.0))), dz.degf(survey, rows=used) - 1
    t = diff / se if se > 0 else np.nan
    p = float(2 * stats.t.sf(abs(t), df)) if np.isfinite(t) else np.nan
    counts = {**_counts(survey, used), "df": df}
    row = _row({}, variable, label, diff, se, level, counts, statistic=t, p=p)
    names = [variable] + ([group] if group else [])
    return _done(survey, None, [row], "ttest", names, level, np.array([[var_]]))


def row_vcov(result: Result) -> np.ndarray | None:
    """The covariance of a Result's estimates (``meta.vcov``) in its row order, or None where
    it has none or its rows no longer match (filtered or renamed)."""
    V, keys = result.meta.vcov, bl.row_keys(result)
    if isinstance(V, pd.DataFrame) and set(keys) <= set(V.index) and len(set(keys)) == len(keys):
        return V.loc[keys, keys].to_numpy(dtype=float)
    return None


def _coefficients(result: Result, weights: Mapping[Any, float] | Sequence[float]) -> np.ndarray:
    m = len(result)
    if not isinstance(weights, Mapping):
        c = np.asarray(list(weights), dtype=float)
        if c.shape != (m,):
            raise ConfigError(f"contrast weights: give {m} numbers (one per row), or a dict.")
        return c
    keys, c = [tuple(k.split(" | ")) for k in bl.row_keys(result)], np.zeros(m)
    for k, v in weights.items():
        want = tuple(map(str, k)) if isinstance(k, tuple) else (str(k),)
        hits = [
            i
            for i, key in enumerate(keys)
            if key[: len(want)] == want or want[0] in key and len(want) == 1
        ]
        if len(hits) != 1:
            raise ConfigError(
                f"contrast weight {k!r} matches {len(hits)} rows of the Result; name one row by "
                "its group label, variable or category (or a tuple of them), or give one number "
                "per row."
            )
        c[hits[0]] = float(v)
    return c


def contrast(
    result: Result, weights: Mapping[Any, float] | Sequence[float], level: float = 0.95
) -> Result:
    """A linear combination Σ c_i θ_i of a Result's estimates with its SE (R's ``svycontrast``).

    ``result`` carries the covariance of its estimates (``meta.vcov``: ``mean``, ``share``,
    ``total`` of up to 100 estimates, ``ratio``, ``var``); ``weights``: ``{row: coefficient}``,
    a row named by its group label, variable or category (or a tuple), or one per row. One row
    back: ``estimate``, ``se``, t interval on the smallest df of the rows used.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.estimate import mean
    >>> d = pd.DataFrame({"y": [1.0, 2.0, 4.0, 6.0] * 5, "g": ["a", "a", "b", "b"] * 5})
    >>> float(contrast(mean(Survey(d), "y", by="g"), {"b": 1, "a": -1}).loc[0, "estimate"])
    3.5
    """
    _check_level(level)
    if (V := row_vcov(result)) is None:
        raise ConfigError(
            f"This Result does not carry the covariance of its rows (a {result.meta.kind} result,"
            " more than 100 estimates, or rows changed since); contrast works on mean, share, "
            "total, ratio and var results as the estimator returned them."
        )
    c, keys = _coefficients(result, weights), bl.row_keys(result)
    used, est = c != 0, result["estimate"].to_numpy(dtype=float)
    if np.isnan(est[used]).any() or result["suppressed"].to_numpy(dtype=bool)[used].any():
        raise DataError(
            "A row in the contrast is suppressed (too few respondents) or has no estimate; leave "
            "it out of the weights."
        )
    value = float(c[used] @ est[used])
    se = float(np.sqrt(max(c[used] @ V[np.ix_(used, used)] @ c[used], 0.0)))
    df = float(np.nanmin(result["df"].to_numpy(dtype=float)[used])) if "df" in result else np.inf
    label = " ".join(
        f"{'+' if v > 0 else '−'}{abs(v):g}×{'/'.join(k for k in keys[i].split(' | ') if k)}"
        for i, v in enumerate(c)
        if v
    )
    n = int(np.nanmin(result["n"].to_numpy(dtype=float)[used]))
    row = _row(
        {}, "contrast", label, value, se, level, {"n": n, "df": df}, suppressed=False, reason=""
    )
    out = Result.from_rows([row], result.meta, kind="contrast", by=[], level=level, privacy={})
    k = bl.row_keys(out)
    return out.with_meta(vcov=pd.DataFrame([[se * se]], index=k, columns=k))
