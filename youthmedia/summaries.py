"""Quantiles, ratios, variances, t-tests and linear contrasts, as R's survey computes them.

Each estimator takes a :class:`~youthmedia.survey.Survey` and returns a tidy
:class:`~youthmedia.result.Result` with the same columns as :func:`youthmedia.estimate.mean`
(``by=`` domains, suppression of small groups, labels). Variances come from the design
(:func:`youthmedia.design.vcov` for Taylor designs, :func:`youthmedia.design.replicate_vcov`
for replicate weights). A domain is R's ``svyby``: the rows of the group that answered, the
design's PSUs, strata and degrees of freedom of that subset. The Result's ``meta.vcov``
holds the covariance of its estimates, which :func:`contrast` uses.

Examples
--------
>>> import pandas as pd
>>> from youthmedia.survey import Survey
>>> s = Survey(pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0, 10.0] * 4}))
>>> float(quantile(s, "y", q=0.5).loc[0, "estimate"])
3.0
>>> float(ratio(s, "y", "y").loc[0, "estimate"]), float(ratio(s, "y", "y").loc[0, "se"])
(1.0, 0.0)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy import stats

from . import blocks as bl
from . import design as dz
from .assembly import _finish, _labels_meta, _meta, _used, row_keys
from .errors import ConfigError, DataError
from .intervals import _check_level
from .result import Result
from .survey import Survey

__all__ = ["contrast", "quantile", "ratio", "ttest", "var"]


# --------------------------------------------------------------------------------------------
# Shared machinery: domains, weighted ratios and their variance, the Result
# --------------------------------------------------------------------------------------------
@dataclass
class _Domain:
    label: tuple[str, ...]
    rows: np.ndarray          # bool: in the group (whatever was answered)


def _domains(survey: Survey, by: str | Sequence[str] | None) -> tuple[list[str], list[_Domain], dict]:
    groups = bl._groups(survey, by)
    doms = [_Domain(lab, groups.code == g) for g, lab in enumerate(groups.labels)]
    return list(groups.by), doms, groups.categories


def _values(survey: Survey, name: str) -> np.ndarray:
    """A numeric variable as floats (NaN where missing; a labelled one by its codes)."""
    bl._require(survey, name)
    block = bl._numeric_block(survey, [name])
    return np.where(block.d[:, 0] > 0, block.u[:, 0], np.nan)


def _columns(values: list[np.ndarray], masks: list[np.ndarray]) -> sp.csc_matrix:
    """rows × m sparse: column j holds ``values[j]`` on the rows of ``masks[j]`` (a domain),
    zero elsewhere — 80 countries of 600,000 rows stay 600,000 values, not 48 million."""
    n = len(masks[0]) if masks else 0
    idx = [np.flatnonzero(m) for m in masks]
    data = np.concatenate([v[i] for v, i in zip(values, idx, strict=True)]) if idx else []
    indptr = np.concatenate([[0], np.cumsum([len(i) for i in idx])])
    return sp.csc_matrix((data, np.concatenate(idx) if idx else [], indptr), shape=(n, len(idx)))


def _ratio_stats(survey: Survey, a: sp.csc_matrix, b: sp.csc_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Estimates Σ w a_j / Σ w b_j (columns of rows × m sparse matrices, 0 outside a domain)
    and their covariance: Taylor through the influence w (a − θ b)/Σ w b (R's ``svyratio``),
    or the same ratio under each replicate weight (R's ``svrVar``)."""
    design = dz.effective_design(survey)
    w = np.nan_to_num(dz.weights(survey))
    with np.errstate(invalid="ignore", divide="ignore"):
        den = b.T @ w
        est = np.where(den != 0, (a.T @ w) / den, np.nan)
    if design.is_replicate:
        rep = dz.replicate_weights(survey)
        with np.errstate(invalid="ignore", divide="ignore"):
            rb = np.asarray(b.T @ rep).T
            thetas = np.where(rb != 0, np.asarray(a.T @ rep).T / rb, np.nan)
        return est, dz.replicate_vcov(survey, thetas, est)
    scale = sp.diags(1.0 / np.where(den != 0, den, 1.0))
    Z = sp.diags(w) @ (a - b @ sp.diags(np.nan_to_num(est))) @ scale
    return est, dz.vcov(survey, Z.tocsr())


def _counts(survey: Survey, rows: np.ndarray, domain_df: bool = False) -> dict[str, float]:
    """n, Kish n_eff, weighted base and df of a domain. The df: PSUs − strata of the domain
    (Taylor, as estimate.mean); for replicate designs the design's, as estimate.mean, or with
    ``domain_df`` the rank of the domain's replicate weights − 1 (R's degf of the subset,
    which svyquantile's interval uses)."""
    w = np.nan_to_num(dz.weights(survey))
    used = rows & (w > 0)
    design = dz.effective_design(survey)
    if not rows.any():
        df = 0.0
    elif design.is_replicate and not domain_df:
        df = design.degf
    else:
        df = dz.degf(survey, rows=rows)
    return {"n": int(used.sum()), "n_eff": dz.kish_neff(survey, rows=used) if used.any() else 0.0,
            "base": float(w[used].sum()), "df": df}


def _result(survey: Survey, by: list[str], cats: dict, rows: list[dict], kind: str,
            variables: list[str], level: float, vcov: np.ndarray | None, ci: str = "t") -> Result:
    """The Result of ``rows`` (each with its ``by`` labels), through the privacy rules."""
    if not rows:
        raise DataError(f"No respondents answered {', '.join(variables)}"
                        f"{' in any group of ' + ', '.join(by) if by else ''}.")
    frame = pd.DataFrame(rows)
    for b in by:
        frame[b] = pd.Categorical(frame[b], categories=cats[b], ordered=True)
    frame["suppressed"], frame["reason"] = False, ""
    design = dz.effective_design(survey)
    used = np.logical_or.reduce([survey.data[v].notna().to_numpy() for v in variables if v in survey.data])
    result = Result.from_rows(frame, **_meta(
        survey, design, kind, ci, level, by=by, variables=variables, vcov=vcov,
        labels=_labels_meta(survey, list(dict.fromkeys(variables + by))),
        n_total=_used(survey, design, used)))
    return _finish(result, survey)


def _t_interval(est: np.ndarray, se: np.ndarray, df: np.ndarray, level: float):
    q = stats.t.ppf(1 - (1 - level) / 2, np.maximum(df, 1))
    return est - q * se, est + q * se


def _row(by: list[str], dom: _Domain, variable: str, category: str, est: float, se: float,
         lo: float, hi: float, counts: dict, **extra: Any) -> dict:
    row = dict(zip(by, dom.label, strict=True))
    row.update({"variable": variable, "category": category, "estimate": est, "se": se,
                "ci_low": lo, "ci_high": hi, **counts, **extra})
    return row


# --------------------------------------------------------------------------------------------
# ratio, var
# --------------------------------------------------------------------------------------------
def ratio(survey: Survey, numerator: str, denominator: str, by: str | Sequence[str] | None = None,
          level: float = 0.95) -> Result:
    """The ratio of two weighted totals, Σ w y / Σ w x (R's ``svyratio``).

    Respondents who answered both variables are used; the SE is the linearised
    (or replicate) variance, the interval a t interval on the domain's design df.

    Parameters
    ----------
    survey : Survey
    numerator, denominator : str
        Numeric variables.
    by : str or list of str, optional
        Domains (R's ``svyby(~y, ~g, design, svyratio, denominator = ~x)``).
    level : float

    Returns
    -------
    Result
        ``variable`` is ``"numerator/denominator"``.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> s = Survey(pd.DataFrame({"y": [2.0, 4.0] * 10, "x": [1.0, 1.0] * 10}))
    >>> float(ratio(s, "y", "x").loc[0, "estimate"])       # 60 / 20
    3.0
    """
    _check_level(level)
    y, x = _values(survey, numerator), _values(survey, denominator)
    both = ~np.isnan(y) & ~np.isnan(x)
    by_, doms, cats = _domains(survey, by)
    doms = [d for d in doms if (d.rows & both).any()]
    masks = [d.rows & both for d in doms]
    est, V = _ratio_stats(survey, _columns([y] * len(doms), masks), _columns([x] * len(doms), masks))
    se = np.sqrt(np.maximum(np.diag(V), 0))
    counts = [_counts(survey, d.rows & both) for d in doms]
    lo, hi = _t_interval(est, se, np.array([c["df"] for c in counts]), level)
    name = f"{numerator}/{denominator}"
    rows = [_row(by_, d, name, "", est[j], se[j], lo[j], hi[j], counts[j])
            for j, d in enumerate(doms)]
    return _result(survey, by_, cats, rows, "ratio", [numerator, denominator], level, V)


def var(survey: Survey, variable: str, by: str | Sequence[str] | None = None,
        level: float = 0.95) -> Result:
    """The population variance of a numeric variable (R's ``svyvar``).

    Σ w (y − ȳ)² / Σ w × n/(n − 1); its SE is that of the mean of (y − ȳ)² n/(n − 1), as R.
    R's n: in a Taylor design the rows of the domain with a weight above 0 (those missing
    ``variable`` too); in a replicate design the domain's rows that answered.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> s = Survey(pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0] * 5}))
    >>> round(float(var(s, "y").loc[0, "estimate"]), 6)      # 1.25 × 20/19
    1.315789
    """
    _check_level(level)
    y = _values(survey, variable)
    ok = ~np.isnan(y)
    design = dz.effective_design(survey)
    w = np.nan_to_num(dz.weights(survey))
    by_, doms, cats = _domains(survey, by)
    doms = [d for d in doms if (d.rows & ok).any()]
    yy = np.nan_to_num(y)
    masks = [d.rows & ok for d in doms]
    a_cols = []
    for d, r in zip(doms, masks, strict=True):
        n = (d.rows & (w != 0)).sum() if not design.is_replicate else r.sum()
        mean = np.sum(w[r] * yy[r]) / np.sum(w[r])
        a_cols.append((yy - mean) ** 2 * n / (n - 1))
    ones = np.ones(len(yy))
    b = _columns([ones] * len(doms), masks)
    est, V = _ratio_stats(survey, _columns(a_cols, masks), b)
    if design.is_replicate:       # R's svyvar.svyrep.design: the mean again in each replicate
        rep = dz.replicate_weights(survey)
        nn = np.array([r.sum() for r in masks], dtype=float)
        y1, y2 = _columns([yy] * len(doms), masks), _columns([yy * yy] * len(doms), masks)
        with np.errstate(invalid="ignore", divide="ignore"):
            s0, s1, s2 = (np.asarray(m.T @ rep).T for m in (b, y1, y2))
            thetas = (s2 / s0 - (s1 / s0) ** 2) * nn / (nn - 1)
        V = dz.replicate_vcov(survey, thetas, est)
    se = np.sqrt(np.maximum(np.diag(V), 0))
    counts = [_counts(survey, d.rows & ok) for d in doms]
    lo, hi = _t_interval(est, se, np.array([c["df"] for c in counts]), level)
    rows = [_row(by_, d, variable, "", est[j], se[j], lo[j], hi[j], counts[j])
            for j, d in enumerate(doms)]
    return _result(survey, by_, cats, rows, "variance", [variable], level, V)


# --------------------------------------------------------------------------------------------
# quantile
# --------------------------------------------------------------------------------------------
def _qrule_math(x: np.ndarray, w: np.ndarray, p: float) -> float:
    """R's ``qrule_math``: the smallest x whose weighted CDF reaches p (the lower value when a
    cumulative weight equals p·Σw exactly)."""
    keep = w != 0
    x, w = x[keep], w[keep]
    order = np.argsort(x, kind="stable")
    # R's cumsum and sum add in long double and round each result to double: the same here,
    # so that a cumulative weight hits p·Σw exactly where R's does
    xs, cw = x[order], np.cumsum(w[order].astype(np.longdouble)).astype(float)
    hit = np.flatnonzero(cw <= p * cw[-1])
    pos = int(hit[-1]) if hit.size else 0          # R's last(): 1 (here 0) when none
    if p - cw[pos] / cw[-1] == 0:
        return float(xs[pos])
    return float(xs[min(pos + 1, len(xs) - 1)])


def quantile(survey: Survey, variable: str, q: float | Sequence[float] = 0.5,
             by: str | Sequence[str] | None = None, level: float = 0.95) -> Result:
    """Weighted quantiles with Woodruff intervals (R's ``svyquantile`` with its defaults,
    ``qrule = "math"``, ``interval.type = "mean"``).

    The estimate is the smallest value whose weighted cumulative share reaches ``q``. The
    interval: the share at or below the estimate with its design SE gives a t interval
    (domain design df) for the CDF, turned back into values by the same rule; ``se`` is its
    width / (2 t), as R reports it. Where the CDF interval leaves 0–1 the bound is NaN, as R.

    Parameters
    ----------
    survey : Survey
    variable : str
        A numeric variable.
    q : float or list of float
        Quantile(s) between 0 and 1 (``0.5``: the median).
    by : str or list of str, optional
    level : float

    Returns
    -------
    Result
        One row per group and quantile; ``category`` is the quantile as text ("0.5") and
        the column ``q`` the number.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> s = Survey(pd.DataFrame({"hours": [0.5, 1.0, 2.0, 3.0, 8.0] * 6}))
    >>> quantile(s, "hours", q=[0.25, 0.5])["estimate"].tolist()
    [1.0, 2.0]
    """
    _check_level(level)
    qs = [q] if np.isscalar(q) else list(q)
    if not qs or any(not 0 <= float(p) <= 1 for p in qs):
        raise ConfigError(f"q={q!r}: give quantiles between 0 and 1 (e.g. q=0.5 for the median).")
    y = _values(survey, variable)
    ok = ~np.isnan(y)
    w = np.nan_to_num(dz.weights(survey))
    by_, doms, cats = _domains(survey, by)
    doms = [d for d in doms if (d.rows & ok & (w > 0)).any()]
    yy = np.nan_to_num(y)
    qhat, a_cols, masks = [], [], []
    for d in doms:
        r = d.rows & ok
        for p in qs:
            qh = _qrule_math(yy[r], w[r], float(p))
            qhat.append(qh)
            a_cols.append((yy <= qh).astype(float))
            masks.append(r)
    ones = np.ones(len(yy))
    pm, V = _ratio_stats(survey, _columns(a_cols, masks), _columns([ones] * len(masks), masks))
    pse = np.sqrt(np.maximum(np.diag(V), 0))
    rows, j = [], 0
    for d in doms:
        r = d.rows & ok
        counts = _counts(survey, r, domain_df=True)
        t = stats.t.ppf(1 - (1 - level) / 2, max(counts["df"], 1))
        for p in qs:
            plo, phi = pm[j] - t * pse[j], pm[j] + t * pse[j]
            lo = np.nan if plo < 0 else _qrule_math(yy[r], w[r], plo)
            hi = np.nan if phi > 1 else _qrule_math(yy[r], w[r], phi)
            rows.append(_row(by_, d, variable, f"{float(p):g}", qhat[j], (hi - lo) / (2 * t),
                             lo, hi, counts, q=float(p)))
            j += 1
    return _result(survey, by_, cats, rows, "quantile", [variable], level, None, ci="woodruff")


# --------------------------------------------------------------------------------------------
# ttest
# --------------------------------------------------------------------------------------------
def ttest(survey: Survey, variable: str, group: str | None = None, level: float = 0.95) -> Result:
    """Design-based t-test (R's ``svyttest``): the difference in means between the two
    categories of ``group`` (second minus first), or the mean against 0 without ``group``.

    The difference and its SE are those of R's ``svyglm(y ~ group)``; the test uses t with
    the design df of the respondents who answered both, minus 1.

    Returns
    -------
    Result
        One row: ``estimate`` (difference in means), ``se``, ``ci_low``/``ci_high``,
        ``statistic`` (t), ``df`` and ``p``.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> d = pd.DataFrame({"y": [1.0, 2.0, 3.0, 5.0] * 6, "g": ["a", "a", "b", "b"] * 6})
    >>> float(ttest(Survey(d), "y", "g").loc[0, "estimate"])     # 4 − 1.5
    2.5
    """
    _check_level(level)
    y = _values(survey, variable)
    ok = ~np.isnan(y)
    yy = np.nan_to_num(y)
    if group is None:
        est, V = _ratio_stats(survey, _columns([yy], [ok]), _columns([np.ones(len(yy))], [ok]))
        diff, var_, rows_used, label = est[0], V[0, 0], ok, "mean"
    else:
        by_, doms, _ = _domains(survey, group)
        doms = [d for d in doms if (d.rows & ok).any()]
        if len(doms) != 2:
            raise DataError(f"ttest needs a group with exactly two categories among those who "
                            f"answered '{variable}'; '{group}' has {len(doms)}.")
        masks = [d.rows & ok for d in doms]
        est, V = _ratio_stats(survey, _columns([yy, yy], masks),
                              _columns([np.ones(len(yy))] * 2, masks))
        c = np.array([-1.0, 1.0])
        diff, var_ = float(c @ est), float(c @ V @ c)
        rows_used = ok & (doms[0].rows | doms[1].rows)
        label = f"{doms[1].label[0]} − {doms[0].label[0]}"
    se = float(np.sqrt(max(var_, 0.0)))
    df = dz.degf(survey, rows=rows_used) - 1
    t = diff / se if se > 0 else np.nan
    p = float(2 * stats.t.sf(abs(t), df)) if np.isfinite(t) else np.nan
    lo, hi = _t_interval(np.array([diff]), np.array([se]), np.array([df]), level)
    counts = _counts(survey, rows_used)
    row = _row([], _Domain((), rows_used), variable, label, diff, se, lo[0], hi[0],
               {**counts, "df": df}, statistic=t, p=p)
    return _result(survey, [], {}, [row], "ttest", [variable] + ([group] if group else []),
                   level, np.array([[var_]]))


# --------------------------------------------------------------------------------------------
# contrast
# --------------------------------------------------------------------------------------------
def _row_keys(result: Result) -> list[tuple]:
    by = list(result.meta.by)
    keys = []
    for _, row in result.iterrows():
        keys.append(tuple(str(row[b]) for b in by) + (str(row["variable"]), str(row["category"])))
    return keys


def _coefficients(result: Result, weights: Mapping[Any, float] | Sequence[float]) -> np.ndarray:
    m = len(result)
    if not isinstance(weights, Mapping):
        c = np.asarray(list(weights), dtype=float)
        if c.shape != (m,):
            raise ConfigError(f"contrast weights: give {m} numbers (one per row), or a dict.")
        return c
    keys = _row_keys(result)
    c = np.zeros(m)
    for k, v in weights.items():
        want = tuple(map(str, k)) if isinstance(k, tuple) else (str(k),)
        hits = [i for i, key in enumerate(keys)
                if key[:len(want)] == want or want[0] in key and len(want) == 1]
        if len(hits) != 1:
            raise ConfigError(f"contrast weight {k!r} matches {len(hits)} rows of the Result; "
                              "name one row by its group label, variable or category (or a "
                              "tuple of them), or give one number per row.")
        c[hits[0]] = float(v)
    return c


def contrast(result: Result, weights: Mapping[Any, float] | Sequence[float],
             level: float = 0.95) -> Result:
    """A linear combination Σ c_i θ_i of a Result's estimates with its SE (R's ``svycontrast``).

    Parameters
    ----------
    result : Result
        From an estimator that keeps the covariance of its estimates (``meta.vcov``):
        ``mean``, ``share``, ``total`` (up to 100 estimates), ``ratio``, ``var``.
    weights : dict or list of float
        ``{row: coefficient}`` with a row named by its group label (``"E"``), variable or
        category, or a tuple of them; or one coefficient per row. Rows not named get 0.
    level : float

    Returns
    -------
    Result
        One row: ``estimate``, ``se``, t interval on the smallest df of the rows used.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> from youthmedia.estimate import mean
    >>> d = pd.DataFrame({"y": [1.0, 2.0, 4.0, 6.0] * 5, "g": ["a", "a", "b", "b"] * 5})
    >>> float(contrast(mean(Survey(d), "y", by="g"), {"b": 1, "a": -1}).loc[0, "estimate"])
    3.5
    """
    _check_level(level)
    V = result.meta.vcov
    if V is None:
        raise ConfigError("This Result does not carry the covariance of its estimates (a "
                          f"{result.meta.kind} result, or more than 100 estimates); "
                          "contrast works on mean, share, total, ratio and var results.")
    keys = row_keys(result)
    if not isinstance(V, pd.DataFrame) or not set(keys) <= set(V.index) or len(set(keys)) < len(keys):
        raise ConfigError("The rows of this Result no longer match the covariance it was "
                          "estimated with; use contrast on the Result as the estimator returned it.")
    V = V.loc[keys, keys].to_numpy()
    c = _coefficients(result, weights)
    used = c != 0
    est = result["estimate"].to_numpy(dtype=float)
    if np.isnan(est[used]).any() or result["suppressed"].to_numpy(dtype=bool)[used].any():
        raise DataError("A row in the contrast is suppressed (too few respondents) or has no "
                        "estimate; leave it out of the weights.")
    value = float(c[used] @ est[used])
    se = float(np.sqrt(max(c[used] @ V[np.ix_(used, used)] @ c[used], 0.0)))
    df = float(np.nanmin(result["df"].to_numpy(dtype=float)[used])) if "df" in result else np.inf
    lo, hi = _t_interval(np.array([value]), np.array([se]), np.array([df]), level)
    keys = _row_keys(result)
    label = " ".join(f"{'+' if v > 0 else '−'}{abs(v):g}×{'/'.join(k for k in keys[i] if k)}"
                     for i, v in enumerate(c) if v)
    n = result["n"].to_numpy(dtype=float)[used]
    row = {"variable": "contrast", "category": label, "estimate": value, "se": se,
           "ci_low": lo[0], "ci_high": hi[0], "n": int(np.nanmin(n)), "df": df,
           "suppressed": False, "reason": ""}
    out = Result.from_rows([row], result.meta, kind="contrast", by=[], level=level, privacy={})
    return out.with_meta(vcov=pd.DataFrame([[se * se]], index=row_keys(out), columns=row_keys(out)))
