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

__all__ = ["compare", "glm"]

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
    if family == "binomial" and (not np.all(np.isfinite(beta)) or np.any(mu < 1e-10)
                                 or np.any(mu > 1 - 1e-10)):
        raise DataError(
            f"The logistic model {formula!r} cannot be estimated: a predictor (or a combination) "
            "separates the outcome perfectly, so some fitted probabilities are 0 or 1 and its "
            "odds ratio is infinite. Merge small categories or leave that predictor out."
        )
    if not converged:
        warnings.warn(
            f"The {family} model {formula!r} did not converge in {iters} iterations; "
            "treat its coefficients with caution.",
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
    from . import design as design_mod

    eff = design_mod.effective_design(survey)
    weighted = eff.weight is not None
    how = {"nl": "vervangingsgewichten" if replicate is not None else "linearisatie",
           "en": "replicate weights" if replicate is not None else "linearisation"}
    notes: list[Any] = [{
        "nl": f"{'Logistische' if family == 'binomial' else 'Lineaire'} regressie, "
              f"{'gewogen' if weighted else 'ongewogen'}; standaardfouten volgens het "
              f"steekproefontwerp ({how['nl']}); t-toetsen met {use_df:g} vrijheidsgraden. "
              "Samenhang, geen oorzaak en gevolg.",
        "en": f"{'Logistic' if family == 'binomial' else 'Linear'} regression, "
              f"{'weighted' if weighted else 'unweighted'}; design-based standard errors "
              f"({how['en']}); t tests with {use_df:g} df. Associations, not cause and effect.",
    }]
    if info["dropped"]:
        notes.append({
            "nl": f"{info['dropped']} respondent(en) met een ontbrekende waarde op een "
                  "modelvariabele weggelaten.",
            "en": f"{info['dropped']} respondent(s) with a missing value on a model variable "
                  "left out.",
        })
    per_lang = {lg: _term_info(survey, info["design_info"], lg) for lg in ("nl", "en")}
    term_labels = {lg: {t["term"]: t["label"] for t in terms} for lg, terms in per_lang.items()}
    term_groups = {lg: {t["term"]: t["group"] for t in terms} for lg, terms in per_lang.items()}
    term_variables = {t["term"]: t["variable"] for t in info["terms"]}
    out = Result.from_rows(
        rows,
        kind="glm",
        variables=[info["outcome"]],
        weighted=weighted,
        design=eff.describe(),
        ci=f"t({use_df:g})" if not math.isinf(use_df) else "normal",
        level=level,
        n_total=int(used.sum()),
        source=_source_meta(survey),
        labels={lg: {**{v: survey.codebook.label(v, lg) for v in term_variables.values()
                        if v in survey.data.columns},
                     info["outcome"]: (survey.codebook.label(info["outcome"], lg)
                                       if info["outcome"] in survey.data.columns
                                       else info["outcome"])}
                for lg in (None, "nl", "en")},
        term_labels=term_labels,
        term_groups=term_groups,
        term_variables=term_variables,
        outcome_short={lg: _outcome_short(survey, info["outcome"], family, lg)
                       for lg in ("nl", "en")},
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
        mu = _expit(eta)
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
        mu = _expit(eta)
        dev = _binomial_deviance(y, mu, w)
        if not np.isfinite(dev):
            break
        if abs(dev - dev_old) / (abs(dev) + 0.1) < epsilon:
            converged = True
            break
        dev_old = dev
    return beta, mu, mu_prev, it, converged, float(dev)


def _expit(eta: np.ndarray) -> np.ndarray:
    """The inverse logit with R's thresholds (|eta| <= 30), so that mu stays inside (0, 1)."""
    return 1 / (1 + np.exp(-np.clip(eta, -30.0, 30.0)))


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
        "design_info": X_df.design_info,
    }


def _outcome_short(survey: Survey, name: str, family: str, lang: str) -> str:
    """A short name of the outcome for headlines: the counted category of a labelled yes/no
    outcome ("problematisch gebruik"), else the variable label."""
    if name not in survey.data.columns:
        return name
    col = survey.data[name]
    if family == "binomial" and isinstance(col.dtype, pd.CategoricalDtype):
        cats = list(col.cat.categories)
        if len(cats) == 2:
            return str(_translate_level(survey, name, cats[1], lang))
    return survey.codebook.label(name, lang)


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
            out.append({"term": INTERCEPT, "variable": "", "category": "", "group": None,
                        "label": "Constante" if lang in (None, "nl") else "Intercept"})
            continue
        parts = name.split(":")
        labels, variables, levels = [], [], []
        group = None
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
                heading = base + (f" ({vs} {ref})" if ref is not None else "")
                group = (heading, str(level))
                base = f"{base}: {level}" + (f" ({vs} {ref})" if ref is not None else "")
            labels.append(base)
        out.append({
            "term": name,
            "variable": variables[0],
            "category": ":".join(lv for lv in levels if lv),
            "label": " × ".join(labels),
            # for plots: (heading, level) of a single categorical term, else None
            "group": group if len(parts) == 1 else None,
        })
    return out


def _translate_level(survey: Survey, var: str | None, level: Any, lang: str | None) -> Any:
    """A category (a file value label) in ``lang``, where the codebook translates it."""
    if var is None or level is None:
        return level
    return survey.codebook.get(var).value_label_in(level, lang)


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
# Design access: weights, degrees of freedom and variances all come from ``design``
# --------------------------------------------------------------------------------------------
def _source_meta(survey: Survey) -> dict[str, Any]:
    src = survey.source
    return {"name": src.name or (src.display_name if src.path else None), "year": src.year,
            "path": src.path, "sha256": src.sha256}


def _weights(survey: Survey) -> np.ndarray:
    """The analysis weights (the declared weight, or ones, without a design)."""
    from . import design

    return design.weights(survey)


def _replicate_weights(survey: Survey) -> np.ndarray | None:
    from . import design

    return design.replicate_weights(survey)


def _vcov(survey: Survey, influence: np.ndarray, used: np.ndarray) -> tuple[np.ndarray, float]:
    """Design covariance of the summed influence and the degrees of freedom of the rows used.

    ``influence`` has one row per respondent (zero where not used; those rows stay in their
    strata and clusters, as R's subset of a design). The df is R's ``degf`` of that subset:
    PSUs minus strata among the rows used.
    """
    from . import design

    V = design.vcov(survey, influence)
    return V, design.degf(survey, rows=np.asarray(used, dtype=bool))


def _replicate_vcov(survey: Survey, beta: np.ndarray, reps: np.ndarray) -> tuple[np.ndarray, float]:
    from . import design

    return design.replicate_vcov(survey, reps, beta), design.degf(survey)


# --------------------------------------------------------------------------------------------
# compare: two groups, one difference, one sentence
# --------------------------------------------------------------------------------------------
def compare(
    survey: Survey,
    outcome: str,
    by: str,
    groups: tuple[Any, Any] | list[Any] | None = None,
    lang: str = "nl",
    *,
    category: Any = None,
    level: float = 0.95,
    names: dict[Any, Any] | None = None,
    what: str | dict[str, str] | None = None,
) -> Result:
    """Compare two groups on a yes/no outcome (a share) or a number (a mean), for a workshop.

    "Is problematic use more common among girls than boys?" —
    ``compare(s, "smds_problematic", by="gender", groups=("meisje", "jongen"))``.

    Parameters
    ----------
    survey : Survey
    outcome : str
        A two-category labelled variable (the share of its second category — "ja", "problematic
        use" — unless ``category`` says otherwise), a labelled variable with ``category``, a 0/1
        variable, or a numeric variable (then means are compared).
    by : str
        The grouping variable.
    groups : (first, second), optional
        The two groups (value labels or codes). The difference is first − second. Default: the
        two categories of ``by`` when it has exactly two.
    lang : {"nl", "en"}
        Language of the sentence.
    category : label or list of labels, optional
        For a labelled outcome: the category (or categories) whose share is compared.
    level : float
    names : dict, optional
        How to call the groups in the sentence (``{"meisje": "meisjes", "jongen": "jongens"}``),
        or per language (``{"nl": {...}, "en": {"meisje": "girls", "jongen": "boys"}}``);
        default the group labels (translated where the codebook can) in quotes.
    what : str or dict, optional
        What is compared, for the sentence ("problematisch gebruik"), or per language
        (``{"nl": "problematisch gebruik", "en": "problematic use"}``); default the counted
        category's label (shares) or the variable label (means), in quotes.

    Returns
    -------
    Result
        Three rows (kind ``"difference"``): the two groups and their difference (first −
        second), each with estimate, se, CI, n and weighted base; the difference row also has
        ``statistic`` (t), ``df`` and ``p``. ``meta["sentence"]`` is the sentence in ``lang``,
        ``meta["sentences"]`` both languages, ``.test`` the t test of the difference, and
        ``meta["notes"]`` the definition of a published scale where the outcome is one.

    Notes
    -----
    The numbers come from :func:`youthmedia.estimate.share` / ``mean`` (the groups, as R's
    ``svyby`` with ``svyciprop`` intervals) and :func:`youthmedia.estimate.difference` (the
    difference, its SE including the groups' covariance, as ``svycontrast``, with a t test on the
    design's degrees of freedom). The difference is "clear" when its CI excludes zero (equivalently, the
    t test with the design's df has p < 1 − level); otherwise the sentence says there is no
    clear difference. A clear difference is described as an association, never as a cause.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> from youthmedia.models import compare
    >>> s = Survey(pd.DataFrame({"y": [1, 0, 1, 0, 1, 1, 0, 0] * 3, "g": list("aaaabbbb") * 3}))
    >>> compare(s, "y", "g", lang="en").meta["sentence"].startswith("There is no clear difference")
    True
    """
    from . import design as design_mod
    from . import estimate, i18n
    from .scales import definition_note

    lang = i18n.check_lang(lang)
    if not 0 < level < 1:
        raise ConfigError(f"level={level!r} must be between 0 and 1, e.g. 0.95.")
    survey.require(outcome, by)
    if outcome == by:
        raise ConfigError(f"outcome and by are both {outcome!r}; compare two different variables.")
    work, kind, counted = _compare_outcome(survey, outcome, category)
    g1, g2 = _compare_groups(survey, by, groups)
    # estimate.difference gives b − a for groups=(a, b): ask for (second, first)
    diff = estimate.difference(work, outcome, by, groups=(g2, g1), statistic=kind, level=level)
    d = diff.iloc[0]
    lab1, lab2 = d["group_b"], d["group_a"]
    fn = estimate.share if kind == "share" else estimate.mean
    per_group = pd.DataFrame(fn(work, outcome, by=by, level=level))
    per_group = per_group[per_group["variable"] == outcome]
    rows = []
    for lab in (lab1, lab2):
        hit = per_group[per_group[by].astype(object) == lab]
        if hit.empty:
            raise DataError(f"Nobody in group {lab!r} of {by!r} answered {outcome!r}; there is "
                            "nothing to compare.")
        g = hit.iloc[0]
        rows.append({by: str(lab), "variable": outcome, "category": counted or "",
                     "estimate": g["estimate"], "se": g["se"], "ci_low": g["ci_low"],
                     "ci_high": g["ci_high"], "n": int(g["n"]), "n_eff": g["n_eff"],
                     "base": g["base"], "df": g.get("df", math.nan)})
    diff_label = f"{lab1} − {lab2}"
    tstat, df, p = float(d["t"]), float(d["df"]), float(d["p"])
    rows.append({by: diff_label, "variable": outcome, "category": counted or "",
                 "estimate": d["estimate"], "se": d["se"], "ci_low": d["ci_low"],
                 "ci_high": d["ci_high"], "n": int(d["n"]), "n_eff": d["n_eff"], "base": d["base"],
                 "statistic": tstat, "df": df, "p": p})
    est = np.array([rows[0]["estimate"], rows[1]["estimate"], d["estimate"]], dtype=float)
    lo, hi = float(d["ci_low"]), float(d["ci_high"])
    clear = not (lo <= 0 <= hi)
    texts = {
        lg: _sentence(kind, _what(survey, outcome, counted, what, lg),
                      _group_name(survey, by, lab1, names, lg),
                      _group_name(survey, by, lab2, names, lg), est, lo, hi, clear, level, lg)
        for lg in i18n.LANGS
    }
    notes: list[Any] = []
    if definition_note(survey, outcome, "en"):
        notes.append({lg: definition_note(survey, outcome, lg) for lg in i18n.LANGS})
    notes.append({
        "nl": f"Verschil {diff_label}: t-toets met {df:g} vrijheidsgraden, "
              f"p = {i18n.number(p, 'nl', 3)}.",
        "en": f"Difference {diff_label}: t test with {df:g} degrees of freedom, p = {p:.3f}.",
    })
    eff = design_mod.effective_design(survey)
    out = Result.from_rows(
        rows, kind="difference", by=[by], variables=[outcome], percent=kind == "share",
        weighted=eff.weight is not None, design=eff.describe(), source=_source_meta(survey),
        ci="logit (groups), t (difference)" if kind == "share" else "t", level=level,
        n_total=int(d["n"]),
        labels={None: {outcome: survey.codebook.label(outcome), by: survey.codebook.label(by)},
                **{lg: {outcome: survey.codebook.label(outcome, lg),
                        by: survey.codebook.label(by, lg)} for lg in i18n.LANGS}},
        notes=notes, sentence=texts[lang], sentences=texts, clear=clear, measure=kind,
    )
    out.test = {"method": "t test of the difference (design-based, as svycontrast)",
                "statistic": tstat, "df": df, "p": p, "difference": float(d["estimate"]),
                "ci_low": lo, "ci_high": hi, "clear": clear}
    return out


def _compare_outcome(survey: Survey, outcome: str, category: Any) -> tuple[Survey, str, Any]:
    """The survey with the outcome as 0/1 (a share) or as numbers (a mean), the kind, and the
    label of the counted category."""
    from .codebook import Codebook, Variable

    col = survey.data[outcome]
    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = list(col.cat.categories)
        if category is None:
            if len(cats) != 2:
                raise ConfigError(
                    f"{outcome!r} has {len(cats)} categories ({', '.join(map(str, cats))}); say "
                    f"which one to compare with category=..., e.g. category={cats[-1]!r}."
                )
            chosen = [cats[1]]
        else:
            chosen = list(category) if isinstance(category, (list, tuple, set)) else [category]
            unknown = [c for c in chosen if c not in cats]
            if unknown:
                raise ConfigError(f"category {unknown[0]!r} is not a category of {outcome!r}; "
                                  f"its categories: {', '.join(map(str, cats))}.")
        y = col.isin(chosen).astype(float).where(col.notna())
        data = survey.data.copy()
        data[outcome] = y.to_numpy(dtype=float)
        variables = dict(survey.codebook.variables)
        old = survey.codebook.get(outcome)
        variables[outcome] = Variable(outcome, label=old.label, measure="nominal",
                                      translations={lg: {"label": t.get("label")}
                                                    for lg, t in old.translations.items()
                                                    if t.get("label")})
        cb = survey.codebook
        codebook = Codebook(variables=variables, mr_sets=dict(cb.mr_sets), groups=dict(cb.groups),
                            file_label=cb.file_label, encoding=cb.encoding, weight=cb.weight)
        return survey.replace(data=data, codebook=codebook), "share", " / ".join(map(str, chosen))
    if category is not None:
        raise ConfigError(f"{outcome!r} has no value labels; category= applies to labelled "
                          "variables only.")
    if not pd.api.types.is_numeric_dtype(col):
        raise ConfigError(f"{outcome!r} is neither labelled nor numeric (dtype {col.dtype}).")
    y = col.to_numpy(dtype=float, na_value=np.nan)
    vals = set(np.unique(y[~np.isnan(y)]).tolist())
    return survey, ("share" if vals <= {0.0, 1.0} else "mean"), None


def _compare_groups(survey: Survey, by: str, groups: Any) -> tuple[Any, Any]:
    col = survey.data[by]
    present = [v for v in (col.cat.categories if isinstance(col.dtype, pd.CategoricalDtype)
                           else pd.unique(col.dropna())) if (col == v).any()]
    if groups is None:
        if len(present) != 2:
            raise ConfigError(
                f"{by!r} has {len(present)} groups ({', '.join(map(str, present))}); name the two "
                "to compare with groups=(first, second)."
            )
        groups = present
    groups = list(groups)
    if len(groups) != 2 or groups[0] == groups[1]:
        raise ConfigError(f"groups={groups!r} must name two different groups of {by!r}.")
    codes = set(survey.codes(by).dropna().tolist())
    for g in groups:
        if g not in present and g not in codes:
            raise ConfigError(f"{g!r} is not a group of {by!r}; its groups: "
                              f"{', '.join(map(str, present))}.")
    return groups[0], groups[1]


def _group_name(survey: Survey, by: str, group: Any, names: dict[Any, Any] | None,
                lang: str) -> str:
    if names and lang in names and isinstance(names[lang], dict):
        names = names[lang]
    if names and group in names and isinstance(names[group], str):
        return names[group]
    translated = _translate_level(survey, by, group, lang)
    return f"‘{translated}’"


_GENERIC_YES = re.compile(r"^(ja|yes|gekozen|geselecteerd|selected|chosen|aangevinkt|checked|"
                          r"waar|true|genoemd|mentioned|1)$", re.IGNORECASE)


def _what(survey: Survey, outcome: str, counted: Any, what: str | dict[str, str] | None,
          lang: str) -> str:
    if isinstance(what, dict):
        what = what.get(lang)
    if what:
        return what
    if counted is not None and not _GENERIC_YES.match(str(counted).strip()):
        return f"‘{' / '.join(str(_translate_level(survey, outcome, c, lang)) for c in str(counted).split(' / '))}’"
    return f"‘{survey.codebook.label(outcome, lang)}’"


def _sentence(kind: str, what: str, name1: str, name2: str, est: np.ndarray, lo: float,
              hi: float, clear: bool, level: float, lang: str) -> str:
    """One plain sentence (two when the difference is clear: the second says it is no cause)."""
    from . import i18n

    share = kind == "share"
    scale = 100.0 if share else 1.0
    d, lo_, hi_ = est[2] * scale, lo * scale, hi * scale
    if share:
        # whole percentage points, unless that would hide what matters: a clear difference
        # whose interval starts below 1 point (it would read "0 to ..."), or small values
        near = min(abs(lo_), abs(hi_)) if clear else abs(d)
        dec = 0 if max(abs(lo_), abs(hi_)) >= 10 or (near >= 1 and abs(d) >= 1) else 1
    else:
        dec = _mean_decimals(est)

    def num(x: float) -> str:
        text = i18n.number(x, lang, dec)
        return text.replace("-", "−")

    def level_of(x: float) -> str:
        return i18n.percent(x, lang, 0) if share else num(x)

    ci = (f"{i18n.number(100 * level, lang, 0)}%-BI" if lang == "nl"
          else f"{i18n.number(100 * level, lang, 0)}% CI")
    e1, e2 = level_of(est[0]), level_of(est[1])
    unit_nl, unit_en = "procentpunt", ("percentage point" if abs(round(d, dec)) == 1
                                       else "percentage points")
    cause = {"nl": "Dit is een samenhang, geen bewijs van oorzaak en gevolg.",
             "en": "This is an association, not evidence of cause and effect."}[lang]
    if not clear:
        if lang == "nl":
            diff = f"{num(d)} {unit_nl}" if share else num(d)
            return (f"Er is geen duidelijk verschil in {what} tussen {name1} ({e1}) en {name2} "
                    f"({e2}): het verschil van {diff} ({ci} {num(lo_)} tot {num(hi_)}) kan ook "
                    "op toeval berusten.")
        diff = f"{num(d)} {unit_en}" if share else num(d)
        return (f"There is no clear difference in {what} between {name1} ({e1}) and {name2} "
                f"({e2}): the difference of {diff} ({ci} {num(lo_)} to {num(hi_)}) could be "
                "due to chance.")
    up = d > 0
    a, b = (lo_, hi_) if up else (-hi_, -lo_)
    size = num(abs(d))
    if share:
        if lang == "nl":
            return (f"{_cap(what)} komt {'vaker' if up else 'minder vaak'} voor bij {name1} "
                    f"({e1}) dan bij {name2} ({e2}): {size} {unit_nl} "
                    f"{'meer' if up else 'minder'} ({ci} {num(a)} tot {num(b)}). {cause}")
        return (f"{_cap(what)} is {'more' if up else 'less'} common among {name1} ({e1}) than "
                f"among {name2} ({e2}): {size} {unit_en} {'more' if up else 'fewer'} "
                f"({ci} {num(a)} to {num(b)}). {cause}")
    if lang == "nl":
        return (f"Het gemiddelde van {what} is {'hoger' if up else 'lager'} bij {name1} ({e1}) "
                f"dan bij {name2} ({e2}): {size} {'hoger' if up else 'lager'} "
                f"({ci} {num(a)} tot {num(b)}). {cause}")
    return (f"The average of {what} is {'higher' if up else 'lower'} among {name1} ({e1}) than "
            f"among {name2} ({e2}): {size} {'higher' if up else 'lower'} "
            f"({ci} {num(a)} to {num(b)}). {cause}")


def _mean_decimals(est: np.ndarray) -> int:
    spread = max(abs(float(est[0])), abs(float(est[1])), 1e-12)
    return 0 if spread >= 100 else (1 if spread >= 1 else 2)


def _cap(text: str) -> str:
    if text.startswith("‘") and len(text) > 1:
        return "‘" + text[1].upper() + text[2:]
    return text[:1].upper() + text[1:]
