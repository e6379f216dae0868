"""Calibration (GREG, raking, logit, with bounds), weight trimming and weighting efficiency,
as R's ``calibrate``, ``trimWeights`` and the usual Kish summaries.

:func:`calibrate` adjusts the weights so that the weighted totals of the calibration
variables equal known population totals, exactly as R's ``calibrate`` (``grake``: Newton
steps on the calibration equations, ``epsilon = 1e-7``, ``maxit = 50``); Taylor variances
then use the residuals of the regression on those variables (R's ``greg_calibration``),
replicate designs calibrate every replicate. :func:`trim_weights` is R's ``trimWeights``.
:func:`weights_summary` tells how much the weights cost in precision.

Examples
--------
>>> import pandas as pd
>>> from youthmedia.survey import Survey
>>> s = Survey(pd.DataFrame({"g": ["a", "a", "b", "b"], "w": [1.0, 1.0, 1.0, 3.0]}))
>>> s = s.with_design(weight="w")
>>> from youthmedia import design
>>> design.weights(calibrate(s, {"g": {"a": 10, "b": 30}})).tolist()
[5.0, 5.0, 7.5, 22.5]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from . import design as dz
from .errors import ConfigError, DataError
from .survey import Survey

__all__ = ["calibrate", "trim_weights", "weights_summary"]

CALFUNS = ("linear", "raking", "logit")


# --------------------------------------------------------------------------------------------
# Calibration functions (R's cal.linear, cal.raking, cal.logit): g = 1 + Fm1(u), dF(u)
# --------------------------------------------------------------------------------------------
def _fm1(calfun: str, u: np.ndarray, lo: float, hi: float) -> np.ndarray:
    with np.errstate(over="ignore", invalid="ignore"):
        if calfun == "linear":
            return np.minimum(np.maximum(u + 1, lo), hi) - 1
        if calfun == "raking":
            return np.minimum(np.maximum(np.exp(u), lo), hi) - 1
        a = (hi - lo) / ((hi - 1) * (1 - lo))
        e = np.exp(a * u)
        return (lo * (hi - 1) + hi * (1 - lo) * e) / (hi - 1 + (1 - lo) * e) - 1


def _df(calfun: str, u: np.ndarray, lo: float, hi: float) -> np.ndarray:
    inside = (u < hi - 1) & (u > lo - 1)
    with np.errstate(over="ignore", invalid="ignore"):
        if calfun == "linear":
            return inside.astype(float)
        if calfun == "raking":
            return np.where(inside, np.exp(u), 0.0)
        a = (hi - lo) / ((hi - 1) * (1 - lo))
        e = np.exp(a * u)
        den = hi - 1 + (1 - lo) * e
        return hi * (1 - lo) * e * a / den - (lo * (hi - 1) + hi * (1 - lo) * e) * ((1 - lo) * e * a) / den ** 2


def _grake(X: np.ndarray, w: np.ndarray, pop: np.ndarray, calfun: str, lo: float, hi: float,
           maxit: int = 50, epsilon: float = 1e-7) -> tuple[np.ndarray, float | None]:
    """R's ``grake``: the g-weights and the misfit left when it failed (None: converged)."""
    total = X.T @ w
    with np.errstate(divide="ignore", invalid="ignore"):
        scales = pop / total
    scale = None
    if np.min(scales) > 20:                         # R rescales when far off (SOMETHRESHOLD)
        scale = float(np.mean(scales))
        w, total = w * scale, total * scale
    eta = np.zeros(X.shape[1])
    u = X @ eta
    it, failed = 1, None
    while True:
        deriv = _df(calfun, u, lo, hi)
        T = (X * (w * deriv)[:, None]).T @ X
        misfit = pop - total - X.T @ (w * _fm1(calfun, u, lo, hi))
        deta = np.linalg.pinv(T, rcond=256 * np.finfo(float).eps) @ misfit
        eta = eta + deta
        u = X @ eta
        g, d = 1 + _fm1(calfun, u, lo, hi), _df(calfun, u, lo, hi)
        while it < maxit and not (np.isfinite(g).all() and np.isfinite(d).all()):
            it += 1                                  # step halving
            deta = deta / 2
            eta = eta - deta
            u = X @ eta
            g, d = 1 + _fm1(calfun, u, lo, hi), _df(calfun, u, lo, hi)
        misfit = pop - total - X.T @ (w * _fm1(calfun, u, lo, hi))
        rel = np.abs(misfit) / (1 + np.abs(pop))
        if np.all(rel < epsilon):
            break
        it += 1
        if it > maxit:
            failed = float(np.max(rel))
            break
    g = 1 + _fm1(calfun, u, lo, hi)
    return (g * scale if scale is not None else g), failed


# --------------------------------------------------------------------------------------------
# The calibration model matrix from a population given per variable
# --------------------------------------------------------------------------------------------
def _model(survey: Survey, population: Mapping[str, Any], w: np.ndarray):
    """Columns (rows × p), population totals (p) and their names: every category of each
    categorical margin ({category: count or share}), and each number's total ({var: total});
    ``"(Intercept)"``: the population size when no categorical margin gives it."""
    if not isinstance(population, Mapping) or not population:
        raise ConfigError("calibrate needs population totals: {variable: {category: count}} for "
                          "a category, {variable: total} for a number, e.g. {'gender': {'boy': "
                          "510, 'girl': 490}, 'hours': 2400}.")
    cols, pops, names = [], [], []
    size = None
    for var, pop in population.items():
        if var == "(Intercept)":
            size = float(pop)
            continue
        if isinstance(pop, Mapping):
            cell, targets, keys = dz.population_cells(survey, var, pop, float(w.sum()))
            for j, k in enumerate(keys):
                cols.append((cell == j).astype(float))
                pops.append(targets[j])
                names.append(f"{var}={k}")
            continue
        survey.require(var)
        x = pd.to_numeric(survey.data[var], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        if np.isnan(x[w > 0]).any():
            raise DataError(f"The calibration variable '{var}' has missing or non-numeric values "
                            "among weighted respondents; every respondent needs a value.")
        cols.append(np.nan_to_num(x))
        pops.append(float(pop))
        names.append(var)
    if size is not None:
        cols.insert(0, np.ones(len(w)))
        pops.insert(0, size)
        names.insert(0, "(Intercept)")
    if not cols:
        raise ConfigError("calibrate: give at least one calibration variable besides '(Intercept)'.")
    return np.column_stack(cols), np.asarray(pops, dtype=float), names


def calibrate(survey: Survey, population: Mapping[str, Any], calfun: str = "linear",
              bounds: tuple[float, float] | None = None, maxit: int = 50,
              epsilon: float = 1e-7) -> Survey:
    """Calibrate the weights to population totals (R's ``calibrate``).

    Parameters
    ----------
    survey : Survey
    population : dict
        ``{variable: {category: count}}`` for a categorical variable (every category; shares
        summing to 1 are taken of the current weighted total) and ``{variable: total}`` for a
        numeric one; ``"(Intercept)": N`` gives the population size when no categorical
        margin does. R: ``calibrate(design, ~g + x, c(`(Intercept)` = N, gB = ..., x = ...))``.
    calfun : {"linear", "raking", "logit"}
        GREG (linear), raking (exponential) or logit calibration (needs finite bounds).
    bounds : (lower, upper), optional
        Bounds on g = new weight / old weight, e.g. ``(0.5, 2)``.
    maxit, epsilon :
        R's iteration limit and relative tolerance on the calibration equations.

    Returns
    -------
    Survey
        A copy whose weighted totals of the calibration variables equal ``population``.

    Raises
    ------
    DataError
        A category without respondents or population figure; no solution within the bounds.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> from youthmedia.design import weights
    >>> d = pd.DataFrame({"g": ["a", "b"] * 5, "x": [1.0, 2.0, 3.0, 4.0, 5.0] * 2})
    >>> s = calibrate(Survey(d), {"g": {"a": 50, "b": 50}, "x": 320}, calfun="raking")
    >>> round(float((weights(s) * d["x"]).sum()), 6)
    320.0
    """
    if calfun not in CALFUNS:
        raise ConfigError(f"calfun={calfun!r} is not one of {', '.join(CALFUNS)}.")
    lo, hi = (-np.inf, np.inf) if bounds is None else (float(bounds[0]), float(bounds[1]))
    if calfun == "logit" and not (np.isfinite(lo) and np.isfinite(hi) and lo < 1 < hi):
        raise ConfigError("Logit calibration needs finite bounds around 1, e.g. bounds=(0.5, 2).")
    if lo >= hi:
        raise ConfigError(f"bounds={bounds!r}: the lower bound must be below the upper one.")
    design = dz.effective_design(survey)
    w = dz.weights(survey)
    if np.isnan(w).any():
        raise DataError(f"The weight '{design.weight}' has missing values; calibration needs a "
                        "weight for every respondent.")
    X, pop, names = _model(survey, population, w)
    g, failed = _grake(X, w, pop, calfun, lo, hi, maxit, epsilon)
    if failed is not None:
        raise DataError(f"Calibration to {', '.join(names)} did not converge (relative misfit "
                        f"{failed:.2g} after {maxit} steps): the totals may be impossible within "
                        f"bounds={bounds} or contradict each other; widen the bounds or check them.")
    desc = f"calibrated ({calfun}) to " + ", ".join(f"'{v}'" for v in population)
    new_w = w * g
    if design.is_replicate:   # R's calibrate.svyrep.design: each replicate calibrated itself
        rep = dz.replicate_weights(survey)
        for j in range(rep.shape[1]):
            gj, failed = _grake(X, rep[:, j], pop, calfun, lo, hi, maxit, epsilon)
            rep[:, j] *= gj
        return dz.reweighted(survey, new_w, desc, rep=rep)
    # R's greg_calibration: influence residuals of the regression on X with weights w
    T = X.T @ (X * w[:, None])
    K = np.linalg.pinv(T) @ (X / np.where(g != 0, g, 1.0)[:, None]).T
    return dz.reweighted(survey, new_w, desc, residual=(X * (g * w)[:, None], K))


def trim_weights(survey: Survey, lower: float = -np.inf, upper: float = np.inf,
                 strict: bool = False) -> Survey:
    """Trim the weights to [lower, upper] (R's ``trimWeights``).

    What is cut off (or added) is spread equally over the respondents whose weights were
    inside the limits, so the total weight stays the same; ``strict=True`` repeats until
    no weight is outside (R's ``strict``). Variances use the trimmed weights as design
    weights, as R.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> from youthmedia.design import weights
    >>> s = Survey(pd.DataFrame({"w": [1.0, 1.0, 1.0, 9.0]})).with_design(weight="w")
    >>> weights(trim_weights(s, upper=5)).tolist()       # 4 cut off, 4/3 to each other
    [2.333333333333333, 2.333333333333333, 2.333333333333333, 5.0]
    """
    if lower >= upper:
        raise ConfigError(f"trim_weights: lower ({lower}) must be below upper ({upper}).")
    design = dz.effective_design(survey)
    w = np.nan_to_num(dz.weights(survey))
    w0 = w
    for _ in range(1000 if strict else 1):
        outside = (w < lower) | (w > upper)
        if not outside.any():
            break
        if outside.all():
            raise DataError(f"Every weight is outside [{lower:g}, {upper:g}]; there is nobody "
                            "to give the trimmed weight to — widen the limits.")
        new = np.clip(w, lower, upper)
        new[~outside] += (w - new).sum() / (~outside).sum()
        w = new
    if w is w0:
        return survey
    desc = f"weights trimmed to [{lower:g}, {upper:g}]"
    rep = None
    if design.is_replicate:   # each replicate scaled as its full-sample weight
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(w0 > 0, w / w0, 0.0)
        rep = dz.replicate_weights(survey) * ratio[:, None]
    return dz.reweighted(survey, w, desc, rep=rep)


def weights_summary(survey: Survey, k: float = 3.0) -> pd.Series:
    """How much the weights cost: Kish's effective n and design effect due to weighting.

    Over the respondents with a weight above 0: ``n``, ``sum``, ``min``, ``max``, ``median``,
    ``mean``, ``cv`` (standard deviation / mean, with divisor n), ``n_eff`` = (Σw)²/Σw²,
    ``deff`` = n / n_eff = 1 + cv², and ``share_above_k_median``: the share of respondents
    whose weight is above k × the median (``k``).

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> s = Survey(pd.DataFrame({"w": [1.0, 1.0, 1.0, 5.0]})).with_design(weight="w")
    >>> r = weights_summary(s)
    >>> float(r["n_eff"]), float(r["deff"]), float(r["share_above_k_median"])   # 64/28
    (2.2857142857142856, 1.75, 0.25)
    """
    w = np.nan_to_num(dz.weights(survey))
    w = w[w > 0]
    if not len(w):
        raise DataError("No respondent has a weight above 0.")
    mean = float(w.mean())
    cv = float(w.std() / mean)
    n_eff = float(w.sum() ** 2 / np.sum(w * w))
    med = float(np.median(w))
    return pd.Series({"n": len(w), "sum": float(w.sum()), "min": float(w.min()),
                      "max": float(w.max()), "median": med, "mean": mean, "cv": cv,
                      "n_eff": n_eff, "deff": len(w) / n_eff, "k": float(k),
                      "share_above_k_median": float(np.mean(w > k * med))}, dtype=object)
