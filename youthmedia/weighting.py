"""Weighting as R's ``calibrate``, ``postStratify``, ``rake`` and ``trimWeights`` (Taylor
designs keep R's calibration residuals; replicate designs calibrate every replicate)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from .design import effective_design, replicate_weights, reweighted, weights
from .errors import ConfigError, DataError
from .survey import Survey
from .variance import _indicator

__all__ = ["calibrate", "poststratify", "rake", "trim_weights"]

CALFUNS = ("linear", "raking", "logit")


def _calfun(calfun: str, u: np.ndarray, lo: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
    """g − 1 and its derivative, as R's ``cal.linear``, ``cal.raking`` and ``cal.logit``."""
    with np.errstate(over="ignore", invalid="ignore"):
        if calfun == "logit":
            e = np.exp((hi - lo) / ((hi - 1) * (1 - lo)) * u)
            den = hi - 1 + (1 - lo) * e
            return (lo * (hi - 1) + hi * (1 - lo) * e) / den - 1, e * ((hi - lo) / den) ** 2
        g = u + 1 if calfun == "linear" else np.exp(u)
        inside = (u < hi - 1) & (u > lo - 1)
        return np.clip(g, lo, hi) - 1, np.where(inside, 1.0 if calfun == "linear" else g, 0.0)


def _grake(
    X, w, pop, calfun: str, lo: float, hi: float, maxit: int, eps: float
) -> tuple[np.ndarray, float | None]:
    """R's ``grake``: the g-weights and the misfit left when it failed (None: converged)."""
    total = X.T @ w
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = float(np.mean(pop / total)) if np.min(pop / total) > 20 else 1.0  # R's rescaling
    w, total = w * scale, total * scale
    eta, u, it = np.zeros(X.shape[1]), np.zeros(len(w)), 1
    while True:
        fm1, df = _calfun(calfun, u, lo, hi)
        T = (X * (w * df)[:, None]).T @ X
        deta = np.linalg.pinv(T, rcond=256 * np.finfo(float).eps) @ (pop - total - X.T @ (w * fm1))
        eta = eta + deta
        u = X @ eta
        while it < maxit and not np.isfinite(np.stack(_calfun(calfun, u, lo, hi))).all():
            it, deta = it + 1, deta / 2  # step halving
            eta = eta - deta
            u = X @ eta
        fm1 = _calfun(calfun, u, lo, hi)[0]
        rel = np.abs(pop - total - X.T @ (w * fm1)) / (1 + np.abs(pop))
        if np.all(rel < eps) or (it := it + 1) > maxit:
            return (1 + fm1) * scale, None if np.all(rel < eps) else float(np.max(rel))


def _base_weights(survey: Survey) -> np.ndarray:
    w = weights(survey)
    if np.isnan(w).any():
        raise DataError(
            f"The weight '{effective_design(survey).weight}' has missing values; calibration "
            "needs a weight for every respondent."
        )
    return w.copy()


def _cells(survey: Survey, var: str | Sequence[str], population: Any, w: np.ndarray):
    """Each row's population cell (-1: none; keys match labels, codes or numbers), targets."""
    names = [var] if isinstance(var, str) else list(var)
    shown = " × ".join(names)
    for nm in names:
        if (k := int(survey[nm].isna().sum())) > 0:
            raise DataError(
                f"The calibration variable '{nm}' has {k} missing value(s); every respondent "
                "needs a category to be weighted."
            )
    if not isinstance(population, Mapping) or not population:
        raise ConfigError(
            f"The population for '{shown}' must be a dict {{category: count or share}}."
        )
    keys, targets = list(population), np.array([float(v) for v in population.values()])
    if np.any(~np.isfinite(targets)) or np.any(targets < 0):
        raise ConfigError(f"The population for '{shown}' has negative or missing figures.")
    if abs(targets.sum() - 1) < 1e-6 and np.all(targets <= 1):
        targets = targets * w.sum()  # shares -> counts on the current weighted total
    if len(names) > 1 and not all(isinstance(k, tuple) and len(k) == len(names) for k in keys):
        raise ConfigError(
            f"Population keys for {shown} must be tuples of {len(names)} categories, e.g. "
            f"{tuple('…' for _ in names)}."
        )
    hits = np.ones((len(keys), survey.n), dtype=bool)
    for pos, nm in enumerate(names):
        labels = {str(code): str(lab) for code, lab in survey.codebook.get(nm).value_labels.items()}
        values = survey.data[nm].astype(object)
        text = values.map(str).to_numpy()
        number = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        for j, key in enumerate(keys):
            key = key[pos] if len(names) > 1 else key
            hit = text == str(key)
            hit = text == labels[str(key)] if not hit.any() and str(key) in labels else hit
            try:
                hits[j] &= hit if hit.any() else number == float(key)
            except (TypeError, ValueError):
                hits[j] &= hit
    cell = np.where(hits.any(axis=0), np.argmax(hits, axis=0), -1)
    if (missing := (cell < 0) & (w > 0)).any():
        cats = sorted(set(survey.data.loc[missing, names].astype(str).agg(" × ".join, axis=1)))
        raise DataError(
            f"Category {', '.join(map(repr, cats[:5]))} of '{shown}' has respondents but no "
            "population figure; add it to the population margin."
        )
    sums = np.bincount(cell[cell >= 0], weights=w[cell >= 0], minlength=len(keys))
    if (absent := (sums <= 0) & (targets > 0)).any():
        raise DataError(
            f"Population category {', '.join(repr(keys[i]) for i in np.flatnonzero(absent))} of "
            f"'{shown}' has no respondents in the data, so it cannot be weighted up; merge it "
            "with a neighbouring category or drop it from the margin."
        )
    return cell, targets


def _calibrated(survey: Survey, w: np.ndarray, X: np.ndarray, desc: str, solve) -> Survey:
    """``survey`` with ``w`` × ``solve(w)``'s g-weights (replicates too; else GREG residuals)."""
    g, failed = solve(w)
    if failed is not None:
        raise DataError(
            f"Calibration to {desc} did not converge (relative misfit {failed:.2g}): the totals "
            "may be impossible within the bounds or contradict each other; widen the bounds "
            "or check them."
        )
    if (rep := replicate_weights(survey)) is not None:
        for j in range(rep.shape[1]):
            rep[:, j] *= solve(rep[:, j])[0]
        return reweighted(survey, w * g, desc, rep=rep)
    K = np.linalg.pinv(X.T @ (X * w[:, None])) @ (X / np.where(g != 0, g, 1.0)[:, None]).T
    Q = sp.csr_matrix(X * (g * w)[:, None])
    return reweighted(survey, w * g, desc, calibration=("post", ((Q, sp.csr_matrix(K)),)))


def calibrate(
    survey: Survey,
    population: Mapping[str, Any],
    calfun: str = "linear",
    bounds: tuple[float, float] | None = None,
    maxit: int = 50,
    epsilon: float = 1e-7,
) -> Survey:
    """Calibrate the weights to population totals (R's ``calibrate``).

    ``population``: ``{variable: {category: count or share}}``, ``{variable: total}`` for a
    number, ``"(Intercept)": N``; ``calfun``: "linear" (GREG), "raking" or "logit" (finite
    ``bounds`` on g = new / old weight needed); ``maxit``, ``epsilon``: as R's.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
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
    if not isinstance(population, Mapping) or not population:
        raise ConfigError(
            "calibrate needs population totals, e.g. {'gender': {'boy': 510, 'girl': 490}, "
            "'hours': 2400} ({variable: {category: count}} or {variable: total})."
        )
    w = _base_weights(survey)
    cols, pops = [], []
    for var, pop in population.items():
        if isinstance(pop, Mapping):
            cell, targets = _cells(survey, var, pop, w)
            cols += [cell == j for j in range(len(targets))]
            pops += list(targets)
        elif var == "(Intercept)":
            cols, pops = [np.ones(len(w)), *cols], [float(pop), *pops]
        else:
            x = pd.to_numeric(survey[var], errors="coerce").to_numpy(float, na_value=np.nan)
            if np.isnan(x[w > 0]).any():
                raise DataError(
                    f"The calibration variable '{var}' has missing or non-numeric values among "
                    "weighted respondents; every respondent needs a value."
                )
            cols.append(np.nan_to_num(x))
            pops.append(float(pop))
    X, pop = np.column_stack(cols).astype(float), np.asarray(pops, dtype=float)
    desc = f"calibrated ({calfun}) to " + ", ".join(f"'{v}'" for v in population)
    return _calibrated(
        survey, w, X, desc, lambda v: _grake(X, v, pop, calfun, lo, hi, maxit, epsilon)
    )


def trim_weights(
    survey: Survey, lower: float = -np.inf, upper: float = np.inf, strict: bool = False
) -> Survey:
    """Trim the weights to [lower, upper] (R's ``trimWeights``); what is cut off is spread
    equally over the respondents inside (``strict=True``: repeated until none is outside).

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> s = Survey(pd.DataFrame({"w": [1.0, 1.0, 1.0, 9.0]})).with_design(weight="w")
    >>> weights(trim_weights(s, upper=5)).tolist()       # 4 cut off, 4/3 to each other
    [2.333333333333333, 2.333333333333333, 2.333333333333333, 5.0]
    """
    if lower >= upper:
        raise ConfigError(f"trim_weights: lower ({lower}) must be below upper ({upper}).")
    w0 = w = np.nan_to_num(weights(survey))
    for _ in range(1000 if strict else 1):
        if not (outside := (w < lower) | (w > upper)).any():
            break
        if outside.all():
            raise DataError(
                f"Every weight is outside [{lower:g}, {upper:g}]; there is nobody to give the "
                "trimmed weight to — widen the limits."
            )
        new = np.clip(w, lower, upper)
        new[~outside] += (w - new).sum() / (~outside).sum()
        w = new
    if w is w0:
        return survey
    rep = replicate_weights(survey)
    with np.errstate(divide="ignore", invalid="ignore"):  # each replicate scaled as its weight
        rep = None if rep is None else rep * np.where(w0 > 0, w / w0, 0.0)[:, None]
    return reweighted(survey, w, f"weights trimmed to [{lower:g}, {upper:g}]", rep=rep)


def poststratify(
    survey: Survey, var: str | Sequence[str], population: Mapping[Any, float]
) -> Survey:
    """Post-stratify the weights to population counts of ``var`` (R's ``postStratify``).

    ``population``: category (label or code; tuples for several variables) -> count or share.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> s = Survey(pd.DataFrame({"g": ["a", "a", "b"], "y": [1.0, 2.0, 3.0]}))
    >>> weights(poststratify(s, "g", {"a": 10, "b": 30})).tolist()
    [5.0, 5.0, 30.0]
    """
    w = _base_weights(survey)
    cell, targets = _cells(survey, var, population, w)
    X = (cell[:, None] == np.arange(len(targets))).astype(float)
    desc = f"post-stratified to '{' × '.join([var] if isinstance(var, str) else var)}'"
    return _calibrated(survey, w, X, desc, lambda v: (_post_g(v, cell, targets), None))


def _post_g(w: np.ndarray, cell: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """The factors (per row, or rows × replicates) that make each cell's weights sum to its target."""
    sums = _indicator(cell, len(targets)) @ w
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(sums > 0, (targets if w.ndim == 1 else targets[:, None]) / sums, 0.0)[cell]


def rake(
    survey: Survey,
    margins: Mapping[str, Mapping[Any, float]],
    max_iter: int = 50,
    tol: float = 1e-6,
) -> Survey:
    """Rake the weights (iterative proportional fitting) to population margins (R's ``rake``).

    ``margins``: ``{variable: {category: count or share}}``; at most ``max_iter`` sweeps, until
    the joint table's cells change less than ``tol`` (below 1: of the total; R: 10 and 1).

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> s = Survey(pd.DataFrame({"a": ["x", "x", "y", "y"], "b": ["p", "q", "p", "q"]}))
    >>> weights(rake(s, {"a": {"x": 30, "y": 70}, "b": {"p": 50, "q": 50}})).round(6).tolist()
    [15.0, 15.0, 35.0, 35.0]
    """
    if not isinstance(margins, Mapping) or not margins:
        raise ConfigError("rake needs margins as {variable: {category: population count}}.")
    w = _base_weights(survey)
    cells, targets = zip(*[_cells(survey, v, pop, w) for v, pop in margins.items()], strict=True)
    totals = [float(t.sum()) for t in targets]
    if max(totals) - min(totals) > 1e-6 * max(totals):
        shown = ", ".join(f"'{v}' {t:g}" for v, t in zip(margins, totals, strict=True))
        raise DataError(
            f"The raking margins describe populations of different sizes ({shown}); give every "
            "margin the same total (or shares)."
        )
    eps, rep = tol * w.sum() if tol < 1 else tol, replicate_weights(survey)
    joint = np.ravel_multi_index(cells, [len(t) for t in targets], mode="wrap")  # -1: weight 0
    done = False
    for _ in range(max_iter):
        old, ws = np.bincount(joint, weights=w), [w]  # ws: the weights before and after each step
        for cell, t in zip(cells, targets, strict=True):
            w = w * _post_g(w, cell, t)
            ws.append(w)
            rep = None if rep is None else rep * _post_g(rep, cell, t)
        if done := np.max(np.abs(np.bincount(joint, weights=w) - old)) < eps:
            break
    off = max(
        np.max(np.abs(_indicator(c, len(t)) @ w - t) / max(eps, 1e-6 * t.sum()))
        for c, t in zip(cells, targets, strict=True)
    )
    if not done or off > 10:
        raise DataError(
            f"Raking did not converge in {max_iter} sweeps over {', '.join(map(str, margins))}; "
            "some combination of categories may be empty in the data, or raise max_iter."
        )
    desc = "raked to " + ", ".join(f"'{v}'" for v in margins)
    if rep is not None:
        return reweighted(survey, w, desc, rep=rep)
    mats = []  # per margin Q (rows × cells), K (cells × rows) of R's x − psw · ave(x / psw)
    for cell, t, psw, old in zip(cells, targets, ws[1:], ws[:-1], strict=True):
        psw = np.where((psw == 0) & (old == 0), 1.0, psw)
        with np.errstate(divide="ignore", invalid="ignore"):
            count = np.bincount(cell[cell >= 0], minlength=len(t))  # -1: weight 0, no figure
            inv = np.where(psw > 0, 1.0 / psw, 0.0) * np.where(count > 0, 1.0 / count, 0.0)[cell]
        M = _indicator(cell, len(t))
        mats.append((M.T.multiply(psw[:, None]).tocsr(), M.multiply(inv).tocsr()))
    return reweighted(survey, w, desc, calibration=("rake", tuple(mats)))
