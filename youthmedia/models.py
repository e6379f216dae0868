"""Design-based regression, as R's ``svyglm`` (fitted by statsmodels) and ``svyolr``: the
sandwich whose meat is the design variance of the estimating functions
(:func:`youthmedia.design.vcov`), or the replicate variance of refits; t tests on R's df.
"""

from __future__ import annotations

import gc
import math
import re
import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.optimize import linprog
from scipy.special import expit

from . import design, i18n
from .blocks import _source_meta, design_text
from .errors import ConfigError, DataError, YouthmediaWarning
from .result import Result
from .survey import Survey

__all__ = ["glm", "ordinal"]

_NAME = r'(?<![\w."\']){}(?![\w."\'])'  # a column name, not part of a longer name or a string
_LEVEL = re.compile(r"^(?P<code>.*)\[(?:T\.)?(?P<level>.*)\]$")
_FACTOR = re.compile(r'(?:C\()?Q\("(?P<n>[^"]+)"\)\)?|C\((?P<c>[^,()]+)(?:,.*)?\)')

_LINK = {"gaussian": "identity", "binomial": "logit", "poisson": "log"}
_RATIO = {"binomial": "odds_ratio", "ordinal": "odds_ratio", "poisson": "rate_ratio"}


def glm(
    survey: Survey,
    formula: str,
    family: str = "gaussian",
    *,
    level: float = 0.95,
    df: float | None = None,
    lang: str | None = None,
) -> Result:
    """Weighted linear, logistic or log-linear regression with design-based standard errors.

    Parameters
    ----------
    survey : Survey
    formula : str
        A patsy formula, ``"y ~ x1 + C(group)"`` (treatment coding against the first category).
        Binomial: a 0/1 outcome, a two-category labelled one (the second is 1, as in R) or
        ``I(sch_wide == 'Yes')``; poisson: a count.
    family : {"gaussian", "binomial", "poisson"}
        R's ``gaussian()``, ``quasibinomial()``, ``quasipoisson()``.
    level, df, lang : optional
        Interval level; the t df (default ``svyglm``'s residual df; ``inf``: normal); the
        language of term labels.

    Returns
    -------
    Result
        One row per coefficient: ``term``, ``label``, ``estimate``, ``se``, ``statistic``,
        ``df``, ``p``, the interval, ``odds_ratio``/``rate_ratio`` with theirs; ``meta.model``
        (as ``summary.svyglm``) and ``meta.vcov``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = Survey(pd.DataFrame({"n": [0, 2, 1, 4, 3, 2], "x": [1.0, 2, 3, 4, 5, 3]}))
    >>> round(float(glm(s, "n ~ x", family="poisson")["rate_ratio"].iloc[1]), 4)   # R: glm
    1.5195
    """
    if family not in _LINK:
        raise ConfigError(f"family={family!r} is not supported; use 'gaussian', 'binomial' or 'poisson' (for an ordered answer: ym.ordinal).")  # fmt: skip
    y, X, used, info, w = _model_frame(survey, formula, family, level)
    fit = _fit(X, y, w, family)
    mu, eps = np.asarray(fit.mu)[w > 0], 10 * np.finfo(float).eps
    if family == "binomial" and not (fit.converged and np.all((mu > eps) & (mu < 1 - eps))):
        # refuse a (quasi-)separated outcome (Albert & Anderson 1984), by a linear programme
        Xk, yk = X[w > 0], y[w > 0]
        sign = np.where(yk >= 1, 1.0, np.where(yk <= 0, -1.0, 0.0))
        signed, frac = sign[sign != 0, None] * Xk[sign != 0], Xk[sign == 0]
        eq = dict(A_eq=frac, b_eq=np.zeros(len(frac))) if len(frac) else {}
        res = linprog(-signed.sum(axis=0), -signed, np.zeros(len(signed)), bounds=(-1, 1), **eq)
        if res.status == 0 and -res.fun > 1e-7 * max(1.0, np.abs(signed).sum(axis=1).max()):
            raise DataError(f"The logistic model {formula!r} cannot be estimated: a predictor (or a combination) separates the outcome perfectly, so some fitted probabilities are 0 or 1 and its odds ratio is infinite. Merge small categories or leave that predictor out.")  # fmt: skip
    if not fit.converged:
        warnings.warn(f"The {family} model {formula!r} did not converge in 25 iterations; treat its coefficients with caution.", YouthmediaWarning, stacklevel=2)  # fmt: skip
    beta = np.asarray(fit.params, dtype=float)
    # svy.varcoef: estfun = X · working residual · working weight, times the bread
    infl = X * (fit.resid_working * fit.model.weights)[:, None] @ fit.normalized_cov_params
    refit = lambda r: _fit(X, y, r / r.sum(), family, beta).params  # noqa: E731  # svyglm.svyrep.design
    vcov, ddf = design_vcov(survey, used, beta, infl, refit)
    model = dict(family=family, link=_LINK[family], deviance=float(fit.deviance), df_design=ddf)
    model |= dict(iterations=int(fit.fit_history["iteration"]), converged=bool(fit.converged))
    # the dispersion of summary.svyglm (svyvar of the Pearson residuals) or of svrepglm
    fitted, dw = np.asarray(fit.mu, dtype=float), design.weights(survey)[used]
    replicate = design.effective_design(survey).is_replicate
    r = (y - fitted) / np.sqrt(fit.family.variance(fitted))
    r = r * math.sqrt(w.sum() if replicate else w.mean())
    n, centred = int(np.sum(dw != 0)), r if replicate else r - np.sum(dw * r) / np.sum(dw)
    dispersion = np.sum(dw * centred**2) / np.sum(dw) * (1 if replicate else n / (n - 1))
    model |= dict(dispersion=float(dispersion))
    return _result(survey, formula, info, beta, vcov, used, ddf + 1 - len(beta), level, df, model, lang)  # fmt: skip


def _fit(X: np.ndarray, y: np.ndarray, w: np.ndarray, family: str, start: Any = None) -> Any:
    """statsmodels' GLM by IRLS as R's ``glm.fit``: its mustart, stopping rule and 25 steps."""
    from statsmodels.genmod import families
    from statsmodels.genmod.generalized_linear_model import GLM

    fam = getattr(families, family.title())()
    if start is None and family != "gaussian":  # (a gaussian fit is one least-squares step)
        mustart = (w * y + 0.5) / (w + 1) if family == "binomial" else y + 0.1
        fam.starting_mu = lambda _y: mustart
    with warnings.catch_warnings(action="ignore"), np.errstate(all="ignore"):  # separation
        glm = GLM(y, X, family=fam, var_weights=w)
        return glm.fit(start_params=start, maxiter=25, tol=1e-9, atol=1e-9, rtol=1e-8)


def ordinal(
    survey: Survey,
    formula: str,
    *,
    level: float = 0.95,
    df: float | None = None,
    lang: str | None = None,
) -> Result:
    """Proportional-odds regression of an ordered answer (logit P(≤ k) = ζₖ − x·β), as ``svyolr``.

    Parameters
    ----------
    survey : Survey
    formula : str
        ``"answer ~ x1 + C(group)"``; the outcome labelled (in code order) or numbers, with
        at least 3 categories.
    level, df, lang : optional
        As :func:`glm`; default df: design df − number of coefficients.

    Returns
    -------
    Result
        As :func:`glm`, then one row per cut-point (term ``"low|mid"``).

    Examples
    --------
    >>> import pandas as pd
    >>> s = Survey(pd.DataFrame({"a": [1, 2, 3, 2, 3, 1, 3, 2, 1, 3],
    ...                          "x": [0.1, 0.5, 0.9, 0.2, 0.7, 0.6, 0.4, 0.8, 0.3, 0.9]}))
    >>> list(ordinal(s, "a ~ x")["term"])
    ['x', '1|2', '2|3']
    """
    y, X, used, info, w = _model_frame(survey, formula, "ordinal", level)
    fit = _olr(X, y, w)
    if not fit.mle_retvals["converged"]:
        warnings.warn(f"The ordinal model {formula!r} did not converge; treat its coefficients with caution.", YouthmediaWarning, stacklevel=2)  # fmt: skip
    p, u, score = X.shape[1], fit.params, fit.model.score_obs
    natural = lambda v: np.r_[v[:p], fit.model.transform_threshold_params(v)[1:-1]]  # noqa: E731
    # svyolr: scores times optim's Hessian (central differences, steps of 1e-3)
    hess = np.array([score(u + e).sum(0) - score(u - e).sum(0) for e in np.eye(len(u)) / 1e3])
    jac = np.eye(len(u))  # d(β, ζ) / d(β, ζ₁, log diffs): svyolr's cut-points
    jac[p:, p:] = np.tril(np.ones((len(u) - p,) * 2)) * np.r_[1.0, np.exp(u[p + 1 :])]
    infl = score(u) @ np.linalg.pinv(-(hess + hess.T) / 4e-3) @ jac.T
    refit = lambda r: natural(_olr(X, y, r, start=u).params)  # noqa: E731
    theta = natural(u)
    vcov, ddf = design_vcov(survey, used, theta, infl, refit)
    levels = [str(v) for v in info["levels"]]
    cuts = info["cuts"] = [f"{a}|{b}" for a, b in zip(levels[:-1], levels[1:], strict=True)]
    deviance = -2 * float(fit.model.loglike(u)) / w.mean()
    model = dict(family="ordinal", link="logit", levels=info["levels"], cut_points=cuts)
    model |= dict(deviance=deviance, iterations=fit.mle_retvals["iterations"])
    model |= dict(converged=fit.mle_retvals["converged"], df_design=ddf)
    return _result(survey, formula, info, theta, vcov, used, ddf - p, level, df, model, lang)


def design_vcov(survey: Survey, rows: np.ndarray, theta: Any, influence: np.ndarray, refit):
    """Covariance of ``theta`` and df: the ``rows``' influence, or ``refit(w)`` per replicate."""
    if (reps := design.replicate_weights(survey)) is None:
        infl = np.zeros((survey.n, len(theta)))
        infl[rows] = influence
        return design.vcov(survey, infl), design.degf(survey, rows=rows)
    thetas = []  # a statsmodels fit is a reference cycle holding copies of the rows: freed at
    for r in reps[rows].T:  # once, not when the GC next runs (6.5 GB → 1.1 GB for three models
        thetas.append(refit(r))  # with 80 replicates on 600,000 rows)
        gc.collect(1)
    return design.replicate_vcov(survey, np.array(thetas), np.asarray(theta)), design.degf(survey)


def _olr(X: np.ndarray, y: np.ndarray, w: np.ndarray, start: np.ndarray | None = None) -> Any:
    """statsmodels' proportional-odds model with the weights in its likelihood, maximised."""
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    class Weighted(OrderedModel):
        def loglikeobs(self, params: np.ndarray) -> np.ndarray:
            return w * super().loglikeobs(params)

        def score_obs(self, u: np.ndarray) -> np.ndarray:  # analytic, per row
            p, cuts, rows = X.shape[1], self.transform_threshold_params(u), np.arange(len(y))
            up, lo = expit(cuts[y + 1] - X @ u[:p]), expit(cuts[y] - X @ u[:p])
            d = np.zeros((len(y), len(cuts)))
            d[rows, y + 1], d[rows, y] = up * (1 - up), -lo * (1 - lo)
            d *= (w / (up - lo))[:, None]  # a cut-point moves every cut above it: Σ from the top
            scale = np.exp(np.concatenate([[0.0], u[p + 1 :]]))  # dζ / d(ζ₁, log diffs)
            above = np.cumsum(d[:, -2:0:-1], axis=1)[:, ::-1] * scale
            return np.hstack([-X * d.sum(axis=1, keepdims=True), above])

        def score(self, params: np.ndarray) -> np.ndarray:
            return self.score_obs(params).sum(axis=0)

        def hessian(self, u: np.ndarray, h: float = 1e-7) -> np.ndarray:  # of the analytic score
            return np.array([self.score(u + e) for e in np.eye(len(u)) * h] - self.score(u)) / h

    model = Weighted(y, X, distr="logit")
    with warnings.catch_warnings(action="ignore"), np.errstate(all="ignore"):
        return model.fit(start, method="newton", maxiter=100, tol=1e-10, disp=False, skip_hessian=True)  # fmt: skip


def _result(survey, formula, info, beta, vcov, used, df_default, level, df, model, lang) -> Result:
    """One row per coefficient (and cut-point) with t tests, intervals and ratios, and its meta."""
    use_df, n, outcome = df_default if df is None else float(df), int(used.sum()), info["outcome"]
    if not use_df > 0:
        raise DataError(f"The model {formula!r} has {len(beta)} coefficients but the design has only {df_default + len(beta):g} degrees of freedom; use fewer predictors or a design with more clusters.")  # fmt: skip
    terms = {lg: _terms(survey, info, lg) for lg in (lang, "nl", "en")}
    rows, se, cuts = pd.DataFrame(terms[lang]), np.sqrt(np.diag(vcov)), info.get("cuts", [])
    dist = stats.norm if math.isinf(use_df) else stats.t(use_df)
    half = dist.ppf(1 - (1 - level) / 2) * se
    with np.errstate(divide="ignore", invalid="ignore"):
        t = beta / se
    out = rows[["term", "label"]].assign(estimate=beta, se=se, statistic=t, df=use_df)
    out = out.assign(p=2 * dist.sf(np.abs(t)), ci_low=beta - half, ci_high=beta + half)
    front = list(out.columns)
    if ratio := _RATIO.get(model["family"]):
        front += [ratio, f"{ratio[0]}r_ci_low", f"{ratio[0]}r_ci_high"]
    for col, v in zip(front[len(out.columns) :], (beta, beta - half, beta + half), strict=False):
        out[col] = np.where(rows["term"].isin(cuts), np.nan, np.exp(v))
    out = out.assign(variable=rows["variable"], category=rows["category"], n=n)
    eff, names = design.effective_design(survey), list(out["term"])
    out["base"], weighted = float(design.weights(survey)[used].sum()), eff.weight is not None
    ci = i18n.both("ci_normal") if math.isinf(use_df) else i18n.both("ci_t_df", df=f"{use_df:g}")
    words = dict(name=i18n.both("model_" + model["family"]), w=i18n.both("weighted" if weighted else "unweighted"))  # fmt: skip
    how = i18n.both("model_replicate" if eff.is_replicate else "model_linear")
    notes = [i18n.both("model_note", **words, how=how, df=f"{use_df:g}")]
    notes += [i18n.both("model_dropped", n=info["dropped"])] if info["dropped"] else []
    fixed = dict(formula=formula, outcome=outcome, n=n, dropped=info["dropped"])
    term_variables = {t["term"]: t["variable"] for t in terms["nl"] if t["term"] not in cuts}
    known = [v for v in [*term_variables.values(), outcome] if v in survey.data.columns]
    labels = {lg: {outcome: outcome, **{v: survey.codebook.label(v, lg) for v in known}} for lg in (None, "nl", "en")}  # fmt: skip
    short = {lg: survey.codebook.label(outcome, lg) for lg in ("nl", "en")}
    col = survey.data.get(outcome, pd.Series())  # a yes/no outcome: named by its counted category
    if model["family"] == "binomial" and col.dtype == "category" and len(col.cat.categories) == 2:
        short = {lg: str(_level(survey, outcome, col.cat.categories[1], lg)) for lg in short}
    meta = dict(kind="glm", variables=[outcome], weighted=weighted, design=design_text(eff))
    meta |= dict(ci=ci, level=level, n_total=n, source=_source_meta(survey), notes=notes)
    meta |= dict(model={**fixed, "df_residual": df_default, **model}, labels=labels)
    meta |= dict(outcome_short=short)
    meta |= dict(vcov=pd.DataFrame(vcov, index=names, columns=names), term_variables=term_variables)  # fmt: skip
    meta |= dict(term_labels={lg: {t["term"]: t["label"] for t in terms[lg]} for lg in ("nl", "en")})  # fmt: skip
    meta |= dict(term_groups={lg: {t["term"]: t["group"] for t in terms[lg]} for lg in ("nl", "en")})  # fmt: skip
    res = Result.from_rows(out, **meta)
    return res[front + [c for c in res.columns if c not in front]]


# -- formulas: a patsy formula on a Survey -> outcome, design matrix, rows used, term labels --
def _model_frame(survey: Survey, formula: str, family: str, level: float):
    """y, X, rows used, info and svyglm's prior weights; as model.frame, drops incomplete rows."""
    import patsy

    if not 0 < level < 1:
        raise ConfigError(f"level={level!r} must be between 0 and 1, e.g. 0.95.")
    lhs, _, rhs = formula.partition("~") if isinstance(formula, str) else ("", "", "")
    if not lhs.strip() or not rhs.strip():
        raise ConfigError(f"formula={formula!r} needs an outcome and predictors: 'y ~ x1 + x2'.")
    data, outcome, columns = survey.data, lhs.strip(), [str(c) for c in survey.data.columns]
    quoted, found = formula, lambda c, text: re.search(_NAME.format(re.escape(c)), text)
    for name in sorted((c for c in columns if not c.isidentifier()), key=len, reverse=True):
        quoted = re.sub(_NAME.format(re.escape(name)), lambda _, n=name: f'Q("{n}")', quoted)
    named = [c for c in columns if found(c, formula)]
    frame = data[named][data[named].notna().all(axis=1)]
    if outcome in columns:
        frame = frame.assign(**{outcome: _outcome_column(survey, outcome, family).loc[frame.index]})
    cats = [c for c in named if isinstance(frame[c].dtype, pd.CategoricalDtype)]
    frame = frame.assign(**{c: frame[c].cat.remove_unused_categories() for c in cats})
    try:
        y_df, X_df = patsy.dmatrices(quoted, frame, return_type="dataframe", NA_action="drop")
    except patsy.PatsyError as exc:
        known = f"{', '.join(columns[:12])}{' …' if len(columns) > 12 else ''}"
        raise ConfigError(f"Cannot use formula {formula!r}: {str(exc).splitlines()[0]}. Known variables: {known}.") from None  # fmt: skip
    if not (used := np.asarray(data.index.isin(y_df.index))).any():
        raise DataError(f"No respondent has a value on every variable of {formula!r}.")
    (y, extra), X = _outcome_vector(y_df, survey, outcome, family, formula), X_df.to_numpy(float)
    if family == "ordinal":  # the cut-points take the intercept's place
        X = X[:, [c != "Intercept" for c in X_df.columns]]
    if (rank := np.linalg.matrix_rank(X)) < X.shape[1]:
        raise DataError(f"The predictors of {formula!r} are collinear (rank {rank} of {X.shape[1]} columns: {', '.join(X_df.columns)}); leave out a predictor or merge categories.")  # fmt: skip
    w_all = design.weights(survey)
    if not np.all(np.isfinite(w := w_all[used])):
        raise DataError("The weights are missing on some rows used by the model; drop those rows or fix the weight column.")  # fmt: skip
    info = dict(outcome=outcome, dropped=int((~used).sum()), design_info=X_df.design_info)
    return y, X, used, {**extra, **info}, w / w_all[np.isfinite(w_all)].mean()


def _outcome_column(survey: Survey, name: str, family: str) -> pd.Series:
    """The outcome as numbers: binomial 2nd category = 1 (as R), scale codes, ordinal order."""
    col = survey.data[name]
    if not isinstance(col.dtype, pd.CategoricalDtype):
        if not pd.api.types.is_numeric_dtype(col):
            raise ConfigError(f"The outcome {name!r} is not numeric (dtype {col.dtype}); give codes or a labelled variable.")  # fmt: skip
        return col.astype(float)
    cats, measure = list(col.cat.categories), survey.codebook.get(name).measure
    if family == "ordinal":
        return pd.Series(col.cat.codes.to_numpy() + 1.0, index=col.index).where(col.notna())
    if family == "binomial" and len(cats) != 2:
        raise ConfigError(f"The outcome {name!r} has {len(cats)} categories ({', '.join(map(str, cats))}); a logistic model needs two. Make a 0/1 variable, e.g. I({name} == '{cats[-1]}').")  # fmt: skip
    if family == "binomial":
        return (col == cats[1]).astype(float).where(col.notna())
    if measure != "scale":
        raise ConfigError(f"The outcome {name!r} is a labelled {measure} variable; a linear model of its codes needs measure 'scale' in the codebook. Use family='binomial' on a yes/no version instead.")  # fmt: skip
    return pd.to_numeric(survey.codes(name), errors="coerce").astype(float)


def _outcome_vector(y_df: pd.DataFrame, survey: Survey, name: str, family: str, formula: str):
    """The outcome column of patsy's matrix (a two-level factor: its second level), checked;
    ordinal: 0 … K−1 over the categories present, and those categories' labels (``levels``)."""
    if y_df.shape[1] != 1 and not (y_df.shape[1] == 2 and family == "binomial"):
        raise ConfigError(f"The outcome of {formula!r} gives {y_df.shape[1]} columns ({', '.join(y_df.columns)}); it must be one number per respondent.")  # fmt: skip
    y = y_df.iloc[:, -1].to_numpy(dtype=float)
    if family == "binomial" and (y.min() < 0 or y.max() > 1):
        raise DataError(f"The outcome of {formula!r} has values outside 0–1 (from {y.min():g} to {y.max():g}); a logistic model needs 0/1. Write e.g. I({formula.split('~')[0].strip()} >= 6).")  # fmt: skip
    if family == "poisson" and y.min() < 0:
        raise DataError(f"The outcome of {formula!r} has negative values ({y.min():g}); a log-linear (poisson) model needs counts of 0 or more.")  # fmt: skip
    if family != "ordinal":
        return y, {}
    values, codes = np.unique(y, return_inverse=True)
    col = survey.data.get(name)
    if col is not None and survey.codebook.get(name).measure == "nominal":
        raise ConfigError(f"{name!r} is nominal in the codebook (its answers have no order); an ordinal model needs ordered answers. If they are ordered, set 'measure: ordinal' for it in the codebook sidecar.")  # fmt: skip
    if len(values) < 3:
        raise ConfigError(f"The outcome of {formula!r} has {len(values)} categories among the respondents used; an ordinal model needs 3 or more (for two: ym.glm(..., family='binomial')).")  # fmt: skip
    labelled = col is not None and isinstance(col.dtype, pd.CategoricalDtype)
    levels = [col.cat.categories[int(v) - 1] if labelled else f"{v:g}" for v in values]
    return codes, {"levels": levels}


def _terms(survey: Survey, info: dict[str, Any], lang: str | None) -> list[dict[str, Any]]:
    """Per coefficient (then cut-point): term, variable, category, label, plot group."""
    columns, cuts = {str(c) for c in survey.data.columns}, info.get("cuts", [])
    design_info = info["design_info"]
    vs, word, out = i18n.t("model_versus", lang), i18n.t("model_intercept", lang), []
    refs = {f.name(): i.categories[0] for f, i in design_info.factor_infos.items() if i.categories}
    for name in [c for c in design_info.column_names if c != "Intercept" or not cuts]:
        if name == "Intercept":  # (an ordinal model's cut-points take its place)
            out.append(dict(term="(Intercept)", variable="", category="", group=None, label=word))  # fmt: skip
            continue
        labels, variables, levels, group = [], [], [], None
        for part in (parts := name.split(":")):
            code, level = m.groups() if (m := _LEVEL.match(part)) else (part, "")
            m = _FACTOR.fullmatch(code)  # the column behind x, C(x), Q("x.y") or C(Q("x.y"))
            var = code if code in columns else (m["n"] or m["c"].strip()) if m else None
            var = var if var in columns else None
            variables.append(var or code)
            levels.append(level)
            base = survey.codebook.label(var, lang) if var else code
            if level:
                ref = _level(survey, var, refs.get(code), lang)
                level, ref = _level(survey, var, level, lang), f" ({vs} {ref})" if ref is not None else ""  # fmt: skip
                group, base = (base + ref, str(level)), f"{base}: {level}{ref}"
            labels.append(base)
        category, single = ":".join(lv for lv in levels if lv), group if len(parts) == 1 else None
        out.append(dict(term=name, variable=variables[0], category=category, label=" × ".join(labels), group=single))  # fmt: skip
    word = i18n.t("model_cut", lang)
    return out + [dict(term=c, variable=info["outcome"], category=c, group=None, label=f"{word} {c}") for c in cuts]  # fmt: skip


def _level(survey: Survey, var: str | None, level: Any, lang: str | None) -> Any:
    """A category (a file value label) in ``lang``, where the codebook translates it."""
    return level if var is None or level is None else survey.codebook.get(var).value_label_in(level, lang)  # fmt: skip
