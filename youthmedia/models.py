"""Design-based regression (as R's ``svyglm``) and a two-group comparison for workshops.

``glm`` fits a weighted linear (``family="gaussian"``) or logistic (``family="binomial"``)
regression by iteratively reweighted least squares and gives design-based standard errors:
the sandwich whose "meat" is the design's with-replacement (ultimate-cluster) variance of the
estimating functions — exactly what ``svyglm`` computes — or, for a survey with replicate
weights, the replicate variance of refitted coefficients. p-values and intervals use a
t distribution with ``svyglm``'s residual degrees of freedom: the design's degrees of freedom
(PSUs − strata) + 1 − the number of coefficients.

Examples
--------
>>> import pandas as pd
>>> from youthmedia.survey import Survey
>>> from youthmedia.models import glm
>>> s = Survey(pd.DataFrame({"y": [1.0, 2.0, 2.5, 4.0], "x": [0.0, 1.0, 2.0, 3.0]}))
>>> fit = glm(s, "y ~ x")
>>> [round(v, 2) for v in fit["estimate"]]
[0.95, 0.95]
"""

from __future__ import annotations

import math
import re
import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .errors import ConfigError, DataError, YouthmediaWarning
from .result import Result
from .survey import Survey

__all__ = ["glm"]

FAMILIES = ("gaussian", "binomial")
INTERCEPT = "(Intercept)"


# --------------------------------------------------------------------------------------------
# glm
# --------------------------------------------------------------------------------------------
def glm(
    survey: Survey,
    formula: str,
    family: str = "gaussian",
    *,
    level: float = 0.95,
    df: float | None = None,
    lang: str | None = None,
) -> Result:
    """Weighted linear or logistic regression with design-based standard errors.

    Parameters
    ----------
    survey : Survey
        With or without a design; without one, every respondent weighs 1 and the standard
        errors are the robust (sandwich) ones of a simple random sample.
    formula : str
        A patsy formula, ``"outcome ~ x1 + x2 + C(group)"``. Labelled variables (Categoricals)
        enter with treatment coding against their first category. Variable names that are not
        Python names (``sch.wide``) may be written as they are; they are quoted for you.
        For ``family="binomial"`` the outcome is 0/1 (proportions allowed), a two-category
        labelled variable (the second category counts as 1, as in R), or an expression such as
        ``I(sch_wide == 'Yes')``.
    family : {"gaussian", "binomial"}
        Identity link or logit link (quasi-binomial: non-integer weights are fine).
    level : float
        Confidence level of the intervals.
    df : float, optional
        Degrees of freedom of the t distribution for p-values and intervals. Default:
        ``svyglm``'s residual df, design df + 1 − number of coefficients. ``float("inf")`` gives
        normal-based intervals (R's ``confint.svyglm`` default).
    lang : str, optional
        Language of the term labels (codebook translations).

    Returns
    -------
    Result
        One row per coefficient (kind ``"glm"``): the standard Result columns (``variable``,
        ``category`` — the level for a categorical term —, ``estimate``, ``se``, ``ci_low``,
        ``ci_high``, ``n``, ``base``) and ``term`` (R-style name; ``(Intercept)``), ``label``,
        ``statistic`` (t), ``df``, ``p``; for binomial also ``odds_ratio``, ``or_ci_low``,
        ``or_ci_high``. ``meta["model"]`` holds the formula, family, n, df, deviance and
        convergence; ``meta["vcov"]`` the coefficient covariance matrix.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> from youthmedia.models import glm
    >>> s = Survey(pd.DataFrame({"y": [0, 1, 0, 1, 1, 0], "x": [1.0, 2, 3, 4, 5, 3]}))
    >>> fit = glm(s, "y ~ x", family="binomial")
    >>> list(fit["term"])
    ['(Intercept)', 'x']
    """
    if family not in FAMILIES:
        raise ConfigError(f"family={family!r} is not supported; use 'gaussian' or 'binomial'.")
    if not 0 < level < 1:
        raise ConfigError(f"level={level!r} must be between 0 and 1, e.g. 0.95.")
    y, X, used, info = _model_frame(survey, formula, family, lang)
    w_all = _weights(survey)
    w = w_all[used]
    if not np.all(np.isfinite(w)):
        raise DataError("The weights are missing on some rows used by the model; "
                        "drop those rows or fix the weight column.")
    wn = w / w_all[np.isfinite(w_all)].mean()      # svyglm's normalised weights
    beta, mu, mu_w, iters, converged, deviance = _irls(X, y, wn, family)
    if not converged:
        warnings.warn(
            f"The {family} model {formula!r} did not converge in {iters} iterations; "
            "its coefficients are unreliable (perhaps perfect separation).",
            YouthmediaWarning, stacklevel=2,
        )
    if family == "binomial" and (np.any(mu < 1e-10) or np.any(mu > 1 - 1e-10)):
        warnings.warn(
            f"In {formula!r} some fitted probabilities are 0 or 1 (perfect separation); the "
            "coefficients and odds ratios of the separating terms are not meaningful.",
            YouthmediaWarning, stacklevel=2,
        )
    # svyglm: estfun = X · working residual · working weight, with the working weights (and
    # the bread) from the last IRLS iteration and the residuals from the final fit
    if family == "binomial":
        work_w = wn * mu_w * (1 - mu_w)
        score_w = work_w * (y - mu) / (mu * (1 - mu))
    else:
        work_w, score_w = wn, wn * (y - mu)
    bread = np.linalg.inv(X.T @ (work_w[:, None] * X))
    p = X.shape[1]
    replicate = _replicate_weights(survey)
    if replicate is None:
        infl = np.zeros((survey.n, p))
        infl[used] = (X * score_w[:, None]) @ bread
        vcov, design_df = _vcov(survey, infl, used=used)
    else:
        reps = np.array([_irls(X, y, r[used] / w_all[np.isfinite(w_all)].mean(), family,
                               start=beta)[0] for r in replicate.T])
        vcov, design_df = _replicate_vcov(survey, beta, reps)
    resid_df = design_df + 1 - p
    use_df = resid_df if df is None else float(df)
    if not use_df > 0:
        raise DataError(
            f"The model {formula!r} has {p} coefficients but the design has only {design_df:g} "
            "degrees of freedom; use fewer predictors or a design with more clusters."
        )
    se = np.sqrt(np.diag(vcov))
    with np.errstate(divide="ignore", invalid="ignore"):
        tstat = beta / se
    dist = stats.norm if math.isinf(use_df) else stats.t(use_df)
    pval = 2 * dist.sf(np.abs(tstat))
    q = dist.ppf(1 - (1 - level) / 2)
    rows = []
    for j, term in enumerate(info["terms"]):
        row = {
            "term": term["term"],
            "label": term["label"],
            "variable": term["variable"],
            "category": term["category"],
            "estimate": beta[j],
            "se": se[j],
            "ci_low": beta[j] - q * se[j],
            "ci_high": beta[j] + q * se[j],
            "statistic": tstat[j],
            "df": use_df,
            "p": pval[j],
            "n": int(used.sum()),
            "base": float(w.sum()),
        }
        if family == "binomial":
            row["odds_ratio"] = math.exp(beta[j])
            row["or_ci_low"] = math.exp(row["ci_low"])
            row["or_ci_high"] = math.exp(row["ci_high"])
        rows.append(row)
    names = [t["term"] for t in info["terms"]]
    notes = [
        f"{'Logistic' if family == 'binomial' else 'Linear'} regression, "
        f"{'weighted' if survey.design is not None else 'unweighted'}; design-based standard "
        f"errors ({'replicate weights' if replicate is not None else 'linearisation'}); "
        f"t tests with {use_df:g} df. Associations, not causes."
    ]
    if info["dropped"]:
        notes.append(f"{info['dropped']} respondent(s) with a missing value on a model variable "
                     "left out.")
    out = Result.from_rows(
        rows,
        kind="glm",
        variables=[info["outcome"]],
        weighted=survey.design is not None,
        design=repr(survey.design) if survey.design is not None else "unweighted",
        ci=f"t({use_df:g})" if not math.isinf(use_df) else "normal",
        level=level,
        n_total=int(used.sum()),
        labels={lang: {info["outcome"]: info["outcome_label"]}},
        notes=notes,
        model={
            "formula": formula,
            "family": family,
            "link": "logit" if family == "binomial" else "identity",
            "outcome": info["outcome"],
            "n": int(used.sum()),
            "dropped": info["dropped"],
            "df_residual": resid_df,
            "df_design": design_df,
            "deviance": deviance,
            "iterations": iters,
            "converged": converged,
        },
        vcov=pd.DataFrame(vcov, index=names, columns=names),
    )
    front = ["term", "label", "estimate", "se", "statistic", "df", "p", "ci_low", "ci_high"]
    if family == "binomial":
        front += ["odds_ratio", "or_ci_low", "or_ci_high"]
    ordered = front + [c for c in out.columns if c not in front]
    meta = out.meta
    out = Result(pd.DataFrame(out)[ordered])
    out.meta, out.test = meta, None
    return out


# --------------------------------------------------------------------------------------------
# Fitting
# --------------------------------------------------------------------------------------------
def _irls(X: np.ndarray, y: np.ndarray, w: np.ndarray, family: str,
          start: np.ndarray | None = None, maxit: int = 25, epsilon: float = 1e-8
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int, bool, float]:
    """Weighted least squares (gaussian) or IRLS for the logit link, step for step as R's
    ``glm.fit`` (start, convergence rule |dev − dev_old| / (|dev| + 0.1) < 1e-8, at most 25
    iterations), so that coefficients *and* the working weights the sandwich uses agree with
    ``svyglm`` to far below 1e-6.

    Returns beta, the final fitted means, the fitted means the last working weights came from,
    the number of iterations, whether it converged, and the deviance. ``w`` should be
    normalised to mean 1 (as ``svyglm`` does) for the convergence rule to be R's.
    """
    if family == "gaussian":
        beta = _solve(X, w, y)
        mu = X @ beta
        return beta, mu, mu, 1, True, float(np.sum(w * (y - mu) ** 2))
    if start is None:
        mu = (w * y + 0.5) / (w + 1)
        eta = np.log(mu / (1 - mu))
    else:
        beta = np.asarray(start, dtype=float)
        eta = X @ beta
        mu = 1 / (1 + np.exp(-eta))
    dev_old = _binomial_deviance(y, mu, w)
    converged = False
    it = 0
    mu_prev = mu
    for it in range(1, maxit + 1):  # noqa: B007
        mu_prev = mu
        var = mu * (1 - mu)
        z = eta + (y - mu) / var
        beta = _solve(X, w * var, z)
        eta = X @ beta
        mu = 1 / (1 + np.exp(-eta))
        dev = _binomial_deviance(y, mu, w)
        if abs(dev - dev_old) / (abs(dev) + 0.1) < epsilon:
            converged = True
            break
        dev_old = dev
    return beta, mu, mu_prev, it, converged, float(dev)


def _solve(X: np.ndarray, w: np.ndarray, z: np.ndarray) -> np.ndarray:
    sw = np.sqrt(w)
    beta, *_ = np.linalg.lstsq(X * sw[:, None], z * sw, rcond=None)
    return beta


def _binomial_deviance(y: np.ndarray, mu: np.ndarray, w: np.ndarray) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(y > 0, y * np.log(y / mu), 0.0)
        b = np.where(y < 1, (1 - y) * np.log((1 - y) / (1 - mu)), 0.0)
    return float(2 * np.sum(w * (a + b)))


# --------------------------------------------------------------------------------------------
# Model frame: formula -> y, X, rows used, term labels
# --------------------------------------------------------------------------------------------
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _quote_names(formula: str, columns: list[str]) -> str:
    """Wrap column names that are not Python identifiers in ``Q("...")`` for patsy."""
    odd = sorted((c for c in columns if not _IDENT.match(c)), key=len, reverse=True)
    for name in odd:
        pattern = r'(?<![\w."\'])' + re.escape(name) + r'(?![\w"\'])'
        formula = re.sub(pattern, lambda _m, n=name: f'Q("{n}")', formula)
    return formula


def _model_frame(survey: Survey, formula: str, family: str, lang: str | None = None) -> tuple[
        np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
    import patsy

    if not isinstance(formula, str) or "~" not in formula:
        raise ConfigError(f"formula={formula!r} needs an outcome and predictors: 'y ~ x1 + x2'.")
    lhs_text, rhs_text = (part.strip() for part in formula.split("~", 1))
    if not lhs_text or not rhs_text:
        raise ConfigError(f"formula={formula!r} needs an outcome and predictors: 'y ~ x1 + x2'.")
    data = survey.data
    columns = [str(c) for c in data.columns]
    outcome = lhs_text
    frame = data
    if lhs_text in columns:
        frame = data.copy()
        frame[lhs_text] = _outcome_column(survey, lhs_text, family)
    quoted = _quote_names(formula, columns)
    try:
        y_df, X_df = patsy.dmatrices(quoted, frame, return_type="dataframe", NA_action="drop")
    except patsy.PatsyError as exc:
        msg = str(exc).splitlines()[0]
        raise ConfigError(f"Cannot use formula {formula!r}: {msg}. Known variables: "
                          f"{', '.join(columns[:12])}{' …' if len(columns) > 12 else ''}.") from None
    keep = frame.index.isin(y_df.index)
    used = np.asarray(keep)
    if used.sum() == 0:
        raise DataError(f"No respondent has a value on every variable of {formula!r}.")
    # second pass on the rows used, without categories nobody in them has
    sub = frame.loc[keep].copy()
    for col in sub.columns:
        if isinstance(sub[col].dtype, pd.CategoricalDtype):
            sub[col] = sub[col].cat.remove_unused_categories()
    y_df, X_df = patsy.dmatrices(quoted, sub, return_type="dataframe", NA_action="raise")
    y = _outcome_vector(y_df, family, formula)
    X = X_df.to_numpy(dtype=float)
    rank = np.linalg.matrix_rank(X)
    if rank < X.shape[1]:
        raise DataError(
            f"The predictors of {formula!r} are collinear (rank {rank} of {X.shape[1]} columns: "
            f"{', '.join(X_df.columns)}); leave out a predictor or merge categories."
        )
    terms = _term_info(survey, X_df.design_info, lang=lang)
    return y, X, used, {
        "terms": terms,
        "outcome": outcome,
        "outcome_label": survey.codebook.label(outcome, lang) if outcome in columns else outcome,
        "dropped": int((~used).sum()),
    }


def _outcome_column(survey: Survey, name: str, family: str) -> pd.Series:
    col = survey.data[name]
    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = list(col.cat.categories)
        if family == "binomial":
            if len(cats) != 2:
                raise ConfigError(
                    f"The outcome {name!r} has {len(cats)} categories ({', '.join(map(str, cats))}); "
                    "a logistic model needs two. Make a 0/1 variable, e.g. "
                    f"I({name} == '{cats[-1]}')."
                )
            return (col == cats[1]).astype(float).where(col.notna())
        if survey.codebook.get(name).measure == "scale":
            return pd.to_numeric(survey.codes(name), errors="coerce").astype(float)
        raise ConfigError(
            f"The outcome {name!r} is a labelled {survey.codebook.get(name).measure} variable; a "
            "linear model of its codes needs measure 'scale' in the codebook. Use "
            "family='binomial' on a yes/no version instead."
        )
    if not pd.api.types.is_numeric_dtype(col):
        raise ConfigError(f"The outcome {name!r} is not numeric (dtype {col.dtype}); give codes "
                          "or a labelled variable.")
    if family == "binomial":
        vals = col.dropna()
        if len(vals) and (vals.min() < 0 or vals.max() > 1):
            raise DataError(
                f"The outcome {name!r} has values outside 0–1 (from {vals.min():g} to "
                f"{vals.max():g}); a logistic model needs 0/1. Write e.g. I({name} >= 6)."
            )
    return col.astype(float)


def _outcome_vector(y_df: pd.DataFrame, family: str, formula: str) -> np.ndarray:
    if y_df.shape[1] == 1:
        y = y_df.iloc[:, 0].to_numpy(dtype=float)
    elif y_df.shape[1] == 2 and family == "binomial":
        y = y_df.iloc[:, 1].to_numpy(dtype=float)     # second level = 1, as R
    else:
        raise ConfigError(f"The outcome of {formula!r} gives {y_df.shape[1]} columns "
                          f"({', '.join(y_df.columns)}); it must be one number per respondent.")
    if family == "binomial" and (y.min() < 0 or y.max() > 1):
        raise DataError(f"The outcome of {formula!r} has values outside 0–1; a logistic model "
                        "needs a 0/1 outcome.")
    return y


_LEVEL = re.compile(r"^(?P<code>.*)\[(?:T\.)?(?P<level>.*)\]$")


def _term_info(survey: Survey, design_info: Any, lang: str | None) -> list[dict[str, str]]:
    """Per design column: R-style term, its variable, category level and a readable label."""
    columns = {str(c) for c in survey.data.columns}
    out = []
    for name in design_info.column_names:
        if name == "Intercept":
            out.append({"term": INTERCEPT, "variable": "", "category": "",
                        "label": "Constante" if lang in (None, "nl") else "Intercept"})
            continue
        parts = name.split(":")
        labels, variables, levels = [], [], []
        for part in parts:
            m = _LEVEL.match(part)
            code, level = (m["code"], m["level"]) if m else (part, "")
            var = _factor_variable(code, columns)
            variables.append(var or code)
            levels.append(level)
            base = survey.codebook.label(var, lang) if var else code
            if level:
                ref = _reference_level(design_info, code)
                ref = _translate_level(survey, var, ref, lang)
                level = _translate_level(survey, var, level, lang)
                vs = "t.o.v." if lang in (None, "nl") else "vs"
                base = f"{base}: {level}" + (f" ({vs} {ref})" if ref is not None else "")
            labels.append(base)
        out.append({
            "term": name,
            "variable": variables[0],
            "category": ":".join(lv for lv in levels if lv),
            "label": " × ".join(labels),
        })
    return out


def _translate_level(survey: Survey, var: str | None, level: Any, lang: str | None) -> Any:
    """A category (a file value label) in ``lang``, where the codebook translates it."""
    if var is None or level is None or lang is None:
        return level
    info = survey.codebook.get(var)
    translated = info.value_labels_in(lang)
    for code, label in info.value_labels.items():
        if str(label) == str(level):
            return translated.get(code, level)
    return level


def _factor_variable(code: str, columns: set[str]) -> str | None:
    if code in columns:
        return code
    m = re.fullmatch(r'(?:C\()?Q\("(?P<n>[^"]+)"\)\)?|C\((?P<c>[^,()]+)(?:,.*)?\)', code)
    if m:
        name = m["n"] or m["c"].strip()
        if name.startswith('Q("') and name.endswith('")'):
            name = name[3:-2]
        return name if name in columns else None
    return None


def _reference_level(design_info: Any, code: str) -> Any:
    for factor, finfo in design_info.factor_infos.items():
        if factor.name() == code and finfo.type == "categorical" and finfo.categories:
            return finfo.categories[0]
    return None


# --------------------------------------------------------------------------------------------
# Design access (weights, variance). One variance engine: the design module's.
# --------------------------------------------------------------------------------------------
def _weights(survey: Survey) -> np.ndarray:
    """The analysis weights (ones without a design)."""
    if survey.design is None:
        return np.ones(survey.n)
    return np.asarray(survey.design.weights, dtype=float)


def _replicate_weights(survey: Survey) -> np.ndarray | None:
    design = survey.design
    if design is None:
        return None
    reps = getattr(design, "replicates", None)
    return None if reps is None else np.asarray(reps, dtype=float)


def _vcov(survey: Survey, influence: np.ndarray, used: np.ndarray) -> tuple[np.ndarray, float]:
    """Design covariance of the summed influence and the design's degrees of freedom.

    ``influence`` has one row per respondent in the survey (zero where not used) and one
    column per statistic; rows not used stay in their strata and clusters (domain estimation).
    """
    design = survey.design
    n = survey.n
    if design is None:
        strata = np.zeros(n)
        clusters = np.arange(n)
        fpc = None
        weights = np.ones(n)
    else:
        strata = _as_codes(getattr(design, "strata", None), n)
        clusters = _as_codes(getattr(design, "cluster", None), n, default=np.arange(n))
        fpc = getattr(design, "fpc", None)
        weights = _weights(survey)
    return _recvar(influence, strata, clusters, fpc), _degf(strata, clusters, used & (weights > 0))


def _as_codes(values: Any, n: int, default: np.ndarray | None = None) -> np.ndarray:
    if values is None:
        return np.zeros(n) if default is None else default
    return pd.factorize(pd.Series(np.asarray(values)))[0]


def _recvar(infl: np.ndarray, strata: np.ndarray, clusters: np.ndarray,
            fpc: np.ndarray | None) -> np.ndarray:
    p = infl.shape[1]
    V = np.zeros((p, p))
    for h in np.unique(strata):
        m = strata == h
        totals = pd.DataFrame(infl[m]).groupby(clusters[m]).sum().to_numpy()
        nh = totals.shape[0]
        if nh < 2:
            raise DataError(f"Stratum {h} has a single PSU; its variance cannot be estimated.")
        centred = totals - totals.mean(axis=0)
        f = 1.0 if fpc is None else 1 - nh / float(np.asarray(fpc)[m][0])
        V += f * nh / (nh - 1) * centred.T @ centred
    return V


def _degf(strata: np.ndarray, clusters: np.ndarray, used: np.ndarray) -> float:
    pairs = pd.DataFrame({"s": strata[used], "c": clusters[used]}).drop_duplicates()
    return float(len(pairs) - pairs["s"].nunique())


def _replicate_vcov(survey: Survey, beta: np.ndarray, reps: np.ndarray) -> tuple[np.ndarray, float]:
    raise ConfigError("Replicate-weight designs are not yet supported by glm.")
