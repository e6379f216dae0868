"""Quantiles, ratios, variances, t-tests and linear contrasts as R's survey computes them: a
Result as :func:`youthmedia.estimate.mean`'s, variances from :func:`youthmedia.design.vcov`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from . import blocks as bl
from . import design as dz
from . import intervals as iv
from .errors import ConfigError, DataError
from .intervals import _check_level, _q
from .result import Result
from .survey import Survey

__all__ = ["contrast", "quantile", "ratio", "ttest", "var"]
By = str | Sequence[str] | None


def _values(survey: Survey, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Who answered a numeric variable and its values (0 where missing; labelled: its codes)."""
    block = bl._numeric_block(survey, [name])
    return block.d[:, 0] > 0, block.u[:, 0]


def _masks(survey: Survey, by, ok: np.ndarray) -> tuple[bl._Groups, list[np.ndarray]]:
    """The by-groups and each one's rows with ``ok``."""
    grp = bl._groups(survey, by)
    return grp, [(grp.code == g) & ok for g in range(grp.G)]


def _columns(values, masks: list[np.ndarray]) -> sp.csc_matrix:
    """rows × m sparse: ``values[j]`` (or ``values``) on the rows of ``masks[j]``, else 0."""
    values = [values] * len(masks) if isinstance(values, np.ndarray) else values
    idx = [np.flatnonzero(m) for m in masks]
    data = np.concatenate([v[i] for v, i in zip(values, idx, strict=True)])
    indptr = np.concatenate([[0], np.cumsum([len(i) for i in idx])])
    return sp.csc_matrix((data, np.concatenate(idx), indptr), shape=(len(masks[0]), len(idx)))


def _ratio_stats(survey: Survey, a: sp.csc_matrix, b: sp.csc_matrix) -> tuple:
    """Σ w a_j / Σ w b_j per column and their covariance, as R's ``svyratio``."""
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


def _result(survey, grp, ok, est, V, kind, name, variables, level, cats=("",), df=None, **extra):
    """The Result of ``est`` (per group, one per ``cats``), ``V``; n, df ... of the rows ``ok``."""
    _check_level(level)
    design, k = dz.effective_design(survey), len(cats)
    block = bl._values_block(name, [ok * 1.0] * k, [ok] * k, [name] * k, list(cats), {})
    (e,) = bl._compute(survey, design, [block], grp)
    e.est, e.var, e.deff, e.df = est, V, np.full(len(est), np.nan), e.df if df is None else df
    ci = "woodruff" if kind == "quantile" else "t"
    return bl._assemble(survey, design, [block], [e], grp, kind, ci, level, variables, extra)


def ratio(
    survey: Survey, numerator: str, denominator: str, by: By = None, level: float = 0.95
) -> Result:
    """The ratio Σ w y / Σ w x among those who answered both (R's ``svyratio``), t interval.

    Examples
    --------
    >>> import pandas as pd
    >>> s = Survey(pd.DataFrame({"y": [2.0, 4.0] * 10, "x": [1.0, 1.0] * 10}))
    >>> float(ratio(s, "y", "x").loc[0, "estimate"])       # 60 / 20
    3.0
    """
    (oky, y), (okx, x) = _values(survey, numerator), _values(survey, denominator)
    both = oky & okx
    grp, masks = _masks(survey, by, both)
    est, V = _ratio_stats(survey, _columns(y, masks), _columns(x, masks))
    name = f"{numerator}/{denominator}"
    return _result(survey, grp, both, est, V, "ratio", name, [numerator, denominator], level)


def var(survey: Survey, variable: str, by: By = None, level: float = 0.95) -> Result:
    """The population variance Σ w (y − ȳ)² / Σ w × n/(n − 1) of a numeric variable, its SE that
    of the mean of (y − ȳ)² n/(n − 1) (R's ``svyvar``: n the domain's rows weighted above 0).

    Examples
    --------
    >>> import pandas as pd
    >>> s = Survey(pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0] * 5}))
    >>> round(float(var(s, "y").loc[0, "estimate"]), 6)      # 1.25 × 20/19
    1.315789
    """
    ok, yy = _values(survey, variable)
    rep = dz.effective_design(survey).is_replicate
    w = np.nan_to_num(dz.weights(survey))
    grp, masks = _masks(survey, by, ok)
    a_cols = []
    for g, r in enumerate(masks):
        n = r.sum() if rep else ((grp.code == g) & (w != 0)).sum()
        with np.errstate(invalid="ignore", divide="ignore"):
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
    return _result(survey, grp, ok, est, V, "variance", variable, [variable], level)


def _qrule_math(x: np.ndarray, w: np.ndarray, p: float) -> float:
    """R's ``qrule_math``: the smallest x whose weighted CDF reaches p."""
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
    """Weighted quantiles ``q`` (R's ``svyquantile``, ``qrule = "math"``) with Woodruff's
    interval (``se`` its width / 2t); a row per group and quantile (``q``).

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
    ok, yy = _values(survey, variable)
    w = np.nan_to_num(dz.weights(survey))
    grp, rows = _masks(survey, by, ok & (w > 0))
    masks, ps = [r for r in rows for _ in qs], qs * grp.G
    qhat = [_qrule_math(yy[r], w[r], p) if r.any() else np.nan for r, p in zip(masks, ps, strict=True)]  # fmt: skip
    below = [(yy <= qh).astype(float) for qh in qhat]
    pm, V = _ratio_stats(survey, _columns(below, masks), _columns(np.ones(len(yy)), masks))
    df = np.array([dz.degf(survey, rows=r) for r in masks])
    t, pse = _q(level, df), np.sqrt(np.maximum(np.diag(V), 0))
    lo, hi = np.full(len(masks), np.nan), np.full(len(masks), np.nan)
    for j, r in enumerate(masks):  # Woodruff: the interval of the CDF, turned back into values
        plo, phi = pm[j] - t[j] * pse[j], pm[j] + t[j] * pse[j]
        lo[j] = np.nan if plo < 0 or not r.any() else _qrule_math(yy[r], w[r], plo)
        hi[j] = np.nan if phi > 1 or not r.any() else _qrule_math(yy[r], w[r], phi)
    cats, extra = [f"{p:g}" for p in qs], dict(ci_low=lo, ci_high=hi, se=(hi - lo) / (2 * t), q=ps)
    return _result(survey, grp, ok & (w > 0), np.array(qhat), np.diag(V), "quantile", variable, [variable], level, cats, df, **extra)  # fmt: skip


def ttest(survey: Survey, variable: str, group: str | None = None, level: float = 0.95) -> Result:
    """Design-based t-test (R's ``svyttest``) of the means of ``group``'s two categories
    (second − first), or of the mean against 0: one row with ``statistic``, ``df``, ``p``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"y": [1.0, 2.0, 3.0, 5.0] * 6, "g": ["a", "a", "b", "b"] * 6})
    >>> float(ttest(Survey(d), "y", "g").loc[0, "estimate"])     # 4 − 1.5
    2.5
    """
    ok, yy = _values(survey, variable)
    masks, label, c = [ok], "mean", np.array([1.0])
    if group is not None:
        grp, masks = _masks(survey, group, ok)
        keep = [g for g, m in enumerate(masks) if m.any()]
        if len(keep) != 2:
            raise DataError(
                f"ttest needs a group with exactly two categories among those who "
                f"answered '{variable}'; '{group}' has {len(keep)}."
            )
        masks, c = [masks[g] for g in keep], np.array([-1.0, 1.0])
        label = f"{grp.labels[keep[1]][0]} − {grp.labels[keep[0]][0]}"
    est, V = _ratio_stats(survey, _columns(yy, masks), _columns(np.ones(len(yy)), masks))
    used = np.logical_or.reduce(masks)
    diff, var_, df = c @ est, np.array([[c @ V @ c]]), dz.degf(survey, rows=used) - 1
    t, p = iv.t_test(diff, np.sqrt(max(var_[0, 0], 0.0)), df)
    return _result(survey, bl._one(survey), used, np.array([diff]), var_, "ttest", variable, [variable, *filter(None, [group])], level, [label], np.array([df]), statistic=[t], p=[p])  # fmt: skip


def row_vcov(result: Result) -> np.ndarray | None:
    """``meta.vcov`` in the Result's row order; None where it has none or rows changed."""
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
        one = len(want) == 1
        hits = [
            i for i, key in enumerate(keys) if key[: len(want)] == want or one and want[0] in key
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
    """Σ c_i θ_i of a Result's estimates (R's ``svycontrast``); ``weights``: one per row, or
    ``{row: c}`` naming a row by its group label, variable or category (or a tuple).

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
    q = float(_q(level, np.array(df)))
    row = dict(variable="contrast", category=label, estimate=value, se=se, n=n, df=df)
    row |= dict(ci_low=value - q * se, ci_high=value + q * se)
    out = Result.from_rows([row], result.meta, kind="contrast", by=[], level=level, privacy={})
    k = bl.row_keys(out)
    return out.with_meta(vcov=pd.DataFrame([[se * se]], index=k, columns=k))
