"""Weighting: post-stratification, raking and calibration (GREG, raking, logit, with bounds),
weight trimming, as R's ``postStratify``, ``rake``, ``calibrate`` and ``trimWeights``.

Taylor variances then use the residuals of the calibration (R's ``greg_calibration``);
replicate designs calibrate every replicate.

Examples
--------
>>> import pandas as pd
>>> from youthmedia.survey import Survey
>>> s = Survey(pd.DataFrame({"g": ["a", "a", "b", "b"], "w": [1.0, 1.0, 1.0, 3.0]}))
>>> s = s.with_design(weight="w")
>>> weights(calibrate(s, {"g": {"a": 10, "b": 30}})).tolist()
[5.0, 5.0, 7.5, 22.5]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .design import effective_design, replicate_weights, reweighted, weights
from .errors import ConfigError, DataError
from .survey import Survey, weights_summary  # noqa: F401  (re-exported)

__all__ = ["calibrate", "poststratify", "rake", "trim_weights", "weights_summary"]

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
        return (
            hi * (1 - lo) * e * a / den
            - (lo * (hi - 1) + hi * (1 - lo) * e) * ((1 - lo) * e * a) / den**2
        )


def _grake(
    X: np.ndarray,
    w: np.ndarray,
    pop: np.ndarray,
    calfun: str,
    lo: float,
    hi: float,
    maxit: int = 50,
    epsilon: float = 1e-7,
) -> tuple[np.ndarray, float | None]:
    """R's ``grake``: the g-weights and the misfit left when it failed (None: converged)."""
    total = X.T @ w
    with np.errstate(divide="ignore", invalid="ignore"):
        scales = pop / total
    scale = None
    if np.min(scales) > 20:  # R rescales when far off (SOMETHRESHOLD)
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
            it += 1  # step halving
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
        raise ConfigError(
            "calibrate needs population totals: {variable: {category: count}} for "
            "a category, {variable: total} for a number, e.g. {'gender': {'boy': "
            "510, 'girl': 490}, 'hours': 2400}."
        )
    cols, pops, names = [], [], []
    size = None
    for var, pop in population.items():
        if var == "(Intercept)":
            size = float(pop)
            continue
        if isinstance(pop, Mapping):
            cell, targets, keys = _population_cells(survey, var, pop, float(w.sum()))
            for j, k in enumerate(keys):
                cols.append((cell == j).astype(float))
                pops.append(targets[j])
                names.append(f"{var}={k}")
            continue
        survey.require(var)
        x = pd.to_numeric(survey.data[var], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        if np.isnan(x[w > 0]).any():
            raise DataError(
                f"The calibration variable '{var}' has missing or non-numeric values "
                "among weighted respondents; every respondent needs a value."
            )
        cols.append(np.nan_to_num(x))
        pops.append(float(pop))
        names.append(var)
    if size is not None:
        cols.insert(0, np.ones(len(w)))
        pops.insert(0, size)
        names.insert(0, "(Intercept)")
    if not cols:
        raise ConfigError(
            "calibrate: give at least one calibration variable besides '(Intercept)'."
        )
    return np.column_stack(cols), np.asarray(pops, dtype=float), names


def calibrate(
    survey: Survey,
    population: Mapping[str, Any],
    calfun: str = "linear",
    bounds: tuple[float, float] | None = None,
    maxit: int = 50,
    epsilon: float = 1e-7,
) -> Survey:
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
    design = effective_design(survey)
    w = weights(survey)
    if np.isnan(w).any():
        raise DataError(
            f"The weight '{design.weight}' has missing values; calibration needs a "
            "weight for every respondent."
        )
    X, pop, names = _model(survey, population, w)
    g, failed = _grake(X, w, pop, calfun, lo, hi, maxit, epsilon)
    if failed is not None:
        raise DataError(
            f"Calibration to {', '.join(names)} did not converge (relative misfit "
            f"{failed:.2g} after {maxit} steps): the totals may be impossible within "
            f"bounds={bounds} or contradict each other; widen the bounds or check them."
        )
    desc = f"calibrated ({calfun}) to " + ", ".join(f"'{v}'" for v in population)
    new_w = w * g
    if design.is_replicate:  # R's calibrate.svyrep.design: each replicate calibrated itself
        rep = replicate_weights(survey)
        for j in range(rep.shape[1]):
            gj, failed = _grake(X, rep[:, j], pop, calfun, lo, hi, maxit, epsilon)
            rep[:, j] *= gj
        return reweighted(survey, new_w, desc, rep=rep)
    # R's greg_calibration: influence residuals of the regression on X with weights w
    T = X.T @ (X * w[:, None])
    K = np.linalg.pinv(T) @ (X / np.where(g != 0, g, 1.0)[:, None]).T
    Q, K = sp.csr_matrix(X * (g * w)[:, None]), sp.csr_matrix(K)
    return reweighted(survey, new_w, desc, calibration=("post", ((Q, K),)))


def trim_weights(
    survey: Survey, lower: float = -np.inf, upper: float = np.inf, strict: bool = False
) -> Survey:
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
    design = effective_design(survey)
    w = np.nan_to_num(weights(survey))
    w0 = w
    for _ in range(1000 if strict else 1):
        outside = (w < lower) | (w > upper)
        if not outside.any():
            break
        if outside.all():
            raise DataError(
                f"Every weight is outside [{lower:g}, {upper:g}]; there is nobody "
                "to give the trimmed weight to — widen the limits."
            )
        new = np.clip(w, lower, upper)
        new[~outside] += (w - new).sum() / (~outside).sum()
        w = new
    if w is w0:
        return survey
    desc = f"weights trimmed to [{lower:g}, {upper:g}]"
    rep = None
    if design.is_replicate:  # each replicate scaled as its full-sample weight
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(w0 > 0, w / w0, 0.0)
        rep = replicate_weights(survey) * ratio[:, None]
    return reweighted(survey, w, desc, rep=rep)


# --------------------------------------------------------------------------------------------
# Post-stratification and raking (R's postStratify and rake)
# --------------------------------------------------------------------------------------------
def _population_table(
    survey: Survey, var: str | Sequence[str], population: Mapping[Any, float], total: float
) -> tuple[np.ndarray, np.ndarray, list[Any]]:
    """Each row's population category (-1: none), the targets and their keys.

    Several variables are cross-classified (keys are tuples). A key matches a row by its
    label, its code (through the value labels) or its number.
    """
    names = [var] if isinstance(var, str) else list(var)
    survey.require(*names)
    shown = " × ".join(names)
    for nm in names:
        if (k := int(survey.data[nm].isna().sum())) > 0:
            raise DataError(
                f"The calibration variable '{nm}' has {k} missing value(s); every "
                "respondent needs a category to be weighted."
            )
    if not isinstance(population, Mapping) or not population:
        raise ConfigError(
            f"The population for '{shown}' must be a dict {{category: count or share}}."
        )
    keys = list(population)
    targets = np.array([float(population[k]) for k in keys])
    if np.any(~np.isfinite(targets)) or np.any(targets < 0):
        raise ConfigError(f"The population for '{shown}' has negative or missing figures.")
    if abs(targets.sum() - 1) < 1e-6 and np.all(targets <= 1):
        targets = targets * total  # shares -> counts on the current weighted total
    if len(names) > 1 and not all(isinstance(k, tuple) and len(k) == len(names) for k in keys):
        raise ConfigError(
            f"Population keys for {shown} must be tuples of {len(names)} "
            f"categories, e.g. {tuple('…' for _ in names)}."
        )
    hits = np.ones((len(keys), survey.n), dtype=bool)
    for pos, nm in enumerate(names):
        labels = {str(code): str(lab) for code, lab in survey.codebook.get(nm).value_labels.items()}
        values = survey.data[nm].astype(object)
        text = values.map(str).to_numpy()
        number = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        for j, key in enumerate(keys):
            k = str(key[pos] if len(names) > 1 else key)
            hit = text == k
            if not hit.any() and k in labels:
                hit = text == labels[k]
            if not hit.any():
                try:
                    hit = number == float(key[pos] if len(names) > 1 else key)
                except (TypeError, ValueError):
                    pass
            hits[j] &= hit
    cell = np.where(hits.any(axis=0), np.argmax(hits, axis=0), -1)
    return cell, targets, keys


def _population_cells(
    survey: Survey,
    var: str | Sequence[str],
    population: Mapping[Any, float],
    total: float,
    w: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, list[Any]]:
    """:func:`_population_table`, checked: a category with respondents but no figure, or a
    figure without respondents, is a DataError."""
    cell, targets, keys = _population_table(survey, var, population, total)
    w = np.nan_to_num(weights(survey)) if w is None else w
    names = [var] if isinstance(var, str) else list(var)
    if (missing := (cell < 0) & (w > 0)).any():
        rows = survey.data.loc[missing, names].astype(str)
        cats = sorted({" × ".join(r) for r in rows.itertuples(index=False, name=None)})
        raise DataError(
            f"Category {', '.join(map(repr, cats[:5]))} of '{' × '.join(names)}' has "
            "respondents but no population figure; add it to the population margin."
        )
    sums = np.bincount(cell[cell >= 0], weights=w[cell >= 0], minlength=len(keys))
    if (absent := (sums <= 0) & (targets > 0)).any():
        missing = ", ".join(repr(keys[i]) for i in np.flatnonzero(absent))
        raise DataError(
            f"Population category {missing} of '{' × '.join(names)}' has no "
            "respondents in the data, so it cannot be weighted up; merge it with a "
            "neighbouring category or drop it from the margin."
        )
    return cell, targets, keys


def _base_weights(survey: Survey) -> np.ndarray:
    design = effective_design(survey)
    if np.isnan(design.weights).any():
        raise DataError(
            f"The weight '{design.weight}' has missing values; calibration needs a "
            "weight for every respondent."
        )
    return design.weights.copy()


def _poststrat_step(w: np.ndarray, cell: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Weights (a vector, or rows × replicates) scaled so that each cell's sum is its target."""
    L = len(targets)
    if w.ndim == 1:
        sums = np.bincount(cell, weights=w, minlength=L)
    else:
        sums = (
            sp.csr_matrix((np.ones(len(cell)), (cell, np.arange(len(cell)))), shape=(L, len(cell)))
            @ w
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        t = targets if w.ndim == 1 else targets[:, None]
        return w * np.where(sums > 0, t / sums, 0.0)[cell]


def _post_matrices(cell: np.ndarray, L: int, psw: np.ndarray, oldw: np.ndarray, rake: bool):
    """Sparse Q (rows × cells: psw) and K (cells × rows) with correction = Q (K Z)."""
    n, rows = len(cell), np.arange(len(cell))
    psw_safe = np.where((psw == 0) & (oldw == 0), 1.0, psw)
    Q = sp.csr_matrix((psw_safe, (rows, cell)), shape=(n, L))
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = np.where(psw_safe > 0, 1.0 / psw_safe, 0.0)
        if rake:  # R: ave(x / psw, margin): plain mean within the margin's cells
            den, vals = np.bincount(cell, minlength=L).astype(float), inv
        else:  # R: sum(x * oldw / psw) / sum(oldw)
            den, vals = np.bincount(cell, weights=oldw, minlength=L), oldw * inv
        scale = np.where(den > 0, 1.0 / den, 0.0)
    return Q, sp.csr_matrix((vals * scale[cell], (cell, rows)), shape=(L, n))


def poststratify(
    survey: Survey, var: str | Sequence[str], population: Mapping[Any, float]
) -> Survey:
    """Post-stratify the weights so that the weighted counts of ``var`` equal ``population``.

    As R's ``postStratify``: the variance uses residuals within post-strata (Taylor designs),
    and each replicate is post-stratified too (replicate designs).

    Parameters
    ----------
    survey : Survey
    var : str or list of str
        A categorical variable without missing values, or several (cross-classified cells).
    population : dict
        Category (label or code; a tuple of them for several variables) -> population
        count; or shares summing to 1 (then the current weighted total is kept).

    Returns
    -------
    Survey
        A copy with the calibrated design.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> s = Survey(pd.DataFrame({"g": ["a", "a", "b"], "y": [1.0, 2.0, 3.0]}))
    >>> weights(poststratify(s, "g", {"a": 10, "b": 30})).tolist()
    [5.0, 5.0, 30.0]
    """
    w = _base_weights(survey)
    cell, targets, keys = _population_cells(survey, var, population, float(w.sum()), w)
    new_w = _poststrat_step(w, cell, targets)
    desc = f"post-stratified to '{' × '.join([var] if isinstance(var, str) else var)}'"
    rep = replicate_weights(survey)
    if rep is not None:
        return reweighted(survey, new_w, desc, rep=_poststrat_step(rep, cell, targets))
    mats = _post_matrices(cell, len(keys), new_w, w, rake=False)
    return reweighted(survey, new_w, desc, calibration=("post", (mats,)))


def rake(
    survey: Survey,
    margins: Mapping[str, Mapping[Any, float]],
    max_iter: int = 50,
    tol: float = 1e-6,
) -> Survey:
    """Rake the weights (iterative proportional fitting) to population margins, as R's ``rake``.

    Parameters
    ----------
    survey : Survey
    margins : dict
        ``{variable: {category: population count or share}}``; every respondent needs a
        category in every margin.
    max_iter : int
        Sweeps over all margins before giving up (R: ``control$maxit``).
    tol : float
        Convergence: the largest change of a weighted cell count of the joint table of the
        margin variables between sweeps; below 1 it is relative to the total weight
        (R's ``control$epsilon`` rule). R's default is ``max_iter=10, tol=1``.

    Returns
    -------
    Survey

    Raises
    ------
    DataError
        A margin category without respondents, or no convergence (the margins contradict
        each other, e.g. different totals).

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> s = Survey(pd.DataFrame({"a": ["x", "x", "y", "y"], "b": ["p", "q", "p", "q"]}))
    >>> r = rake(s, {"a": {"x": 30, "y": 70}, "b": {"p": 50, "q": 50}})
    >>> weights(r).round(6).tolist()
    [15.0, 15.0, 35.0, 35.0]
    """
    if not isinstance(margins, Mapping) or not margins:
        raise ConfigError("rake needs margins as {variable: {category: population count}}.")
    w = _base_weights(survey)
    found = [_population_cells(survey, v, pop, float(w.sum()), w) for v, pop in margins.items()]
    cells, targets = [f[0] for f in found], [f[1] for f in found]
    totals = [float(t.sum()) for t in targets]
    if max(totals) - min(totals) > 1e-6 * max(totals):
        shown = ", ".join(f"'{v}' {t:g}" for v, t in zip(margins, totals, strict=True))
        raise DataError(
            f"The raking margins describe populations of different sizes ({shown}); "
            "give every margin the same total (or shares)."
        )
    eps = tol * w.sum() if tol < 1 else tol
    rep = replicate_weights(survey)
    steps = _rake_sweeps(w, rep, cells, targets, max_iter, eps)
    if steps is None:
        raise DataError(
            f"Raking did not converge in {max_iter} sweeps over {', '.join(map(str, margins))}; "
            "some combination of categories may be empty in the data, or raise max_iter."
        )
    (new_w, new_rep), prev_w, step_w = steps
    desc = "raked to " + ", ".join(f"'{v}'" for v in margins)
    if rep is not None:
        return reweighted(survey, new_w, desc, rep=new_rep)
    mats = tuple(
        _post_matrices(c, len(t), sw, pw, rake=True)
        for c, t, sw, pw in zip(cells, targets, step_w, prev_w, strict=True)
    )
    return reweighted(survey, new_w, desc, calibration=("rake", mats))


def _rake_sweeps(
    w: np.ndarray,
    rep: np.ndarray | None,
    cells: list[np.ndarray],
    targets: list[np.ndarray],
    max_iter: int,
    eps: float,
):
    """Post-stratify to each margin in turn until the joint table's weighted counts change by
    less than ``eps``: ((weights, replicates), the weights before and after each margin's
    step in the last sweep), or None when it does not converge."""
    joint = np.zeros(len(w), dtype=np.int64)
    for cell, t in zip(cells, targets, strict=True):
        joint = joint * len(t) + cell
    joint = pd.factorize(joint)[0]
    old = np.bincount(joint, weights=w)
    for _ in range(max_iter):
        prev_w, step_w = [], []
        for cell, t in zip(cells, targets, strict=True):
            prev_w.append(w)
            w = _poststrat_step(w, cell, t)
            step_w.append(w)
            rep = None if rep is None else _poststrat_step(rep, cell, t)
        new = np.bincount(joint, weights=w)
        if np.max(np.abs(new - old)) < eps:
            off = [
                np.max(np.abs(np.bincount(c, weights=w, minlength=len(t)) - t))
                / max(eps, 1e-6 * t.sum())
                for c, t in zip(cells, targets, strict=True)
            ]
            return ((w, rep), prev_w, step_w) if max(off) <= 10 else None
        old = new
    return None
