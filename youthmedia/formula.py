"""Model formulas: a patsy formula on a Survey -> outcome, design matrix, rows used, and the
terms' readable labels (codebook labels, category levels, reference category; nl/en).

Examples
--------
>>> import pandas as pd
>>> from youthmedia.survey import Survey
>>> y, X, used, info = model_frame(Survey(pd.DataFrame({"y": [1.0, 2, None], "x": [0.0, 1, 2]})),
...                                "y ~ x", "gaussian")
>>> X.shape, info["dropped"], [t["term"] for t in info["terms"]]
((2, 2), 1, ['(Intercept)', 'x'])
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from .errors import ConfigError, DataError
from .survey import Survey

__all__ = ["model_frame", "outcome_short", "term_info", "translate_level"]

INTERCEPT = "(Intercept)"
_NAME = r'(?<![\w."\']){}(?![\w."\'])'  # a column name, not part of a longer name or a string
_LEVEL = re.compile(r"^(?P<code>.*)\[(?:T\.)?(?P<level>.*)\]$")


def model_frame(survey: Survey, formula: str, family: str, lang: str | None = None):
    """The outcome, design matrix, rows used and terms of ``formula`` (R's ``model.frame``:
    a row missing a variable the formula names is left out, also inside an expression)."""
    import patsy

    lhs, _, rhs = formula.partition("~") if isinstance(formula, str) else ("", "", "")
    if not lhs.strip() or not rhs.strip():
        raise ConfigError(f"formula={formula!r} needs an outcome and predictors: 'y ~ x1 + x2'.")
    data, outcome = survey.data, lhs.strip()
    columns = [str(c) for c in data.columns]
    frame = (
        data.assign(**{outcome: _outcome_column(survey, outcome, family)})
        if outcome in columns
        else data
    )
    odd = sorted((c for c in columns if not c.isidentifier()), key=len, reverse=True)
    quoted = formula
    for name in odd:  # patsy needs Q("...") around a name that is no Python identifier
        quoted = re.sub(_NAME.format(re.escape(name)), lambda _m, n=name: f'Q("{n}")', quoted)
    named = [c for c in columns if re.search(_NAME.format(re.escape(c)), formula)]
    frame = frame[frame[named].notna().all(axis=1)]
    try:
        y_df = patsy.dmatrices(quoted, frame, return_type="dataframe", NA_action="drop")[0]
    except patsy.PatsyError as exc:
        known = f"{', '.join(columns[:12])}{' …' if len(columns) > 12 else ''}"
        raise ConfigError(
            f"Cannot use formula {formula!r}: {str(exc).splitlines()[0]}. Known variables: {known}."
        ) from None
    if not (used := np.asarray(data.index.isin(y_df.index))).any():
        raise DataError(f"No respondent has a value on every variable of {formula!r}.")
    sub = frame.loc[frame.index.isin(y_df.index)]  # again, without categories nobody here has
    for c in [c for c in sub.columns if isinstance(sub[c].dtype, pd.CategoricalDtype)]:
        sub[c] = sub[c].cat.remove_unused_categories()
    y_df, X_df = patsy.dmatrices(quoted, sub, return_type="dataframe", NA_action="raise")
    y, X, extra = _outcome_vector(y_df, family, formula), X_df.to_numpy(dtype=float), {}
    if family == "ordinal":  # the cut-points take the intercept's place
        y, extra["levels"] = _ordinal_levels(survey, outcome, y, formula)
        X = X[:, [c != "Intercept" for c in X_df.columns]]
    if (rank := np.linalg.matrix_rank(X)) < X.shape[1]:
        raise DataError(
            f"The predictors of {formula!r} are collinear (rank {rank} of {X.shape[1]} columns: {', '.join(X_df.columns)}); leave out a predictor or merge categories."
        )
    terms = [
        t
        for t in term_info(survey, X_df.design_info, lang)
        if family != "ordinal" or t["term"] != INTERCEPT
    ]
    label = survey.codebook.label(outcome, lang) if outcome in columns else outcome
    info = dict(terms=terms, outcome=outcome, outcome_label=label, dropped=int((~used).sum()))
    return y, X, used, {**extra, **info, "design_info": X_df.design_info}


def outcome_short(survey: Survey, name: str, family: str, lang: str) -> str:
    """A short name of the outcome for headlines: the counted category of a labelled yes/no
    outcome ("problematisch gebruik"), else the variable label."""
    if name not in survey.data.columns:
        return name
    col = survey.data[name]
    if (
        family == "binomial"
        and isinstance(col.dtype, pd.CategoricalDtype)
        and len(col.cat.categories) == 2
    ):
        return str(translate_level(survey, name, col.cat.categories[1], lang))
    return survey.codebook.label(name, lang)


def _ordinal_levels(survey: Survey, name: str, y: np.ndarray, formula: str):
    """The outcome as 0 … K−1 over the categories present, and those categories' labels."""
    values, codes = np.unique(y, return_inverse=True)
    col = survey.data.get(name)
    if col is not None and survey.codebook.get(name).measure == "nominal":
        raise ConfigError(
            f"{name!r} is nominal in the codebook (its answers have no order); an ordinal model needs ordered answers. If they are ordered, set 'measure: ordinal' for it in the codebook sidecar."
        )
    if len(values) < 3:
        raise ConfigError(
            f"The outcome of {formula!r} has {len(values)} categories among the respondents used; an ordinal model needs 3 or more (for two: ym.glm(..., family='binomial'))."
        )
    labelled = col is not None and isinstance(col.dtype, pd.CategoricalDtype)
    return codes.astype(int), [
        col.cat.categories[int(v) - 1] if labelled else f"{v:g}" for v in values
    ]


def _outcome_column(survey: Survey, name: str, family: str) -> pd.Series:
    """The outcome as numbers: a labelled one by its categories (binomial: the second is 1,
    as R), its codes (measure ``scale``) or in code order (ordinal)."""
    col = survey.data[name]
    if not isinstance(col.dtype, pd.CategoricalDtype):
        if not pd.api.types.is_numeric_dtype(col):
            raise ConfigError(
                f"The outcome {name!r} is not numeric (dtype {col.dtype}); give codes or a labelled variable."
            )
        return col.astype(float)
    cats, measure = list(col.cat.categories), survey.codebook.get(name).measure
    if family == "ordinal":
        return pd.Series(col.cat.codes.to_numpy() + 1.0, index=col.index).where(col.notna())
    if family == "binomial" and len(cats) != 2:
        raise ConfigError(
            f"The outcome {name!r} has {len(cats)} categories ({', '.join(map(str, cats))}); a logistic model needs two. Make a 0/1 variable, e.g. I({name} == '{cats[-1]}')."
        )
    if family == "binomial":
        return (col == cats[1]).astype(float).where(col.notna())
    if measure != "scale":
        raise ConfigError(
            f"The outcome {name!r} is a labelled {measure} variable; a linear model of its codes needs measure 'scale' in the codebook. Use family='binomial' on a yes/no version instead."
        )
    return pd.to_numeric(survey.codes(name), errors="coerce").astype(float)


def _outcome_vector(y_df: pd.DataFrame, family: str, formula: str) -> np.ndarray:
    """The outcome column of patsy's matrix (a two-level factor: its second level), checked."""
    if y_df.shape[1] != 1 and not (y_df.shape[1] == 2 and family == "binomial"):
        raise ConfigError(
            f"The outcome of {formula!r} gives {y_df.shape[1]} columns ({', '.join(y_df.columns)}); it must be one number per respondent."
        )
    y = y_df.iloc[:, -1].to_numpy(dtype=float)
    if family == "binomial" and (y.min() < 0 or y.max() > 1):
        raise DataError(
            f"The outcome of {formula!r} has values outside 0–1 (from {y.min():g} to {y.max():g}); a logistic model needs 0/1. Write e.g. I({formula.split('~')[0].strip()} >= 6)."
        )
    if family == "poisson" and y.min() < 0:
        raise DataError(
            f"The outcome of {formula!r} has negative values ({y.min():g}); a log-linear (poisson) model needs counts of 0 or more."
        )
    return y


def term_info(survey: Survey, design_info: Any, lang: str | None) -> list[dict[str, str]]:
    """Per design column: R-style term, its variable, category level and a readable label."""
    columns, nl = {str(c) for c in survey.data.columns}, lang in (None, "nl")
    out = []
    for name in design_info.column_names:
        if name == "Intercept":
            out.append(
                dict(
                    term=INTERCEPT,
                    variable="",
                    category="",
                    group=None,
                    label="Constante" if nl else "Intercept",
                )
            )
            continue
        labels, variables, levels, group = [], [], [], None
        for part in (parts := name.split(":")):
            m = _LEVEL.match(part)
            code, level = (m["code"], m["level"]) if m else (part, "")
            var = _factor_variable(code, columns)
            variables.append(var or code)
            levels.append(level)
            base = survey.codebook.label(var, lang) if var else code
            if level:
                ref = translate_level(survey, var, _reference_level(design_info, code), lang)
                level = translate_level(survey, var, level, lang)
                vs = f" ({'t.o.v.' if nl else 'vs'} {ref})" if ref is not None else ""
                group, base = (base + vs, str(level)), f"{base}: {level}{vs}"
            labels.append(base)
        # group: (heading, level) of a single categorical term, for plots
        out.append(
            dict(
                term=name,
                variable=variables[0],
                category=":".join(lv for lv in levels if lv),
                label=" × ".join(labels),
                group=group if len(parts) == 1 else None,
            )
        )
    return out


def translate_level(survey: Survey, var: str | None, level: Any, lang: str | None) -> Any:
    """A category (a file value label) in ``lang``, where the codebook translates it."""
    return (
        level
        if var is None or level is None
        else survey.codebook.get(var).value_label_in(level, lang)
    )


def _factor_variable(code: str, columns: set[str]) -> str | None:
    """The column behind a patsy factor: ``x``, ``C(x)``, ``Q("x.y")`` or ``C(Q("x.y"))``."""
    m = re.fullmatch(r'(?:C\()?Q\("(?P<n>[^"]+)"\)\)?|C\((?P<c>[^,()]+)(?:,.*)?\)', code)
    name = code if code in columns else (m["n"] or m["c"].strip()) if m else None
    return name if name in columns else None


def _reference_level(design_info: Any, code: str) -> Any:
    for factor, finfo in design_info.factor_infos.items():
        if factor.name() == code and finfo.type == "categorical" and finfo.categories:
            return finfo.categories[0]
    return None
