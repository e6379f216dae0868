"""Model formulas: a patsy formula on a Survey -> outcome, design matrix, rows used, and the
terms' readable labels (codebook labels, category levels, reference category; nl/en).

Examples
--------
>>> import pandas as pd
>>> from youthmedia.survey import Survey
>>> from youthmedia.formula import model_frame
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


_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


_NAME = r'(?<![\w."\']){}(?![\w."\'])'  # a column name, not part of a longer name or a string


def _quote_names(formula: str, columns: list[str]) -> str:
    """Wrap column names that are not Python identifiers in ``Q("...")`` for patsy."""
    odd = sorted((c for c in columns if not _IDENT.match(c)), key=len, reverse=True)
    for name in odd:
        pattern = _NAME.format(re.escape(name))
        formula = re.sub(pattern, lambda _m, n=name: f'Q("{n}")', formula)
    return formula


def model_frame(
    survey: Survey, formula: str, family: str, lang: str | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
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
    # R's model.frame: a row missing any variable the formula names is left out, also where an
    # expression such as I(x >= 3) would turn the missing value into False
    named = [c for c in columns if re.search(_NAME.format(re.escape(c)), formula)]
    frame = frame[frame[named].notna().all(axis=1)] if named else frame
    try:
        y_df, X_df = patsy.dmatrices(quoted, frame, return_type="dataframe", NA_action="drop")
    except patsy.PatsyError as exc:
        msg = str(exc).splitlines()[0]
        raise ConfigError(
            f"Cannot use formula {formula!r}: {msg}. Known variables: "
            f"{', '.join(columns[:12])}{' …' if len(columns) > 12 else ''}."
        ) from None
    keep = frame.index.isin(y_df.index)
    used = np.asarray(data.index.isin(y_df.index))
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
    extra: dict[str, Any] = {}
    if family == "ordinal":
        y, extra["levels"] = _ordinal_levels(survey, lhs_text, y, formula)
        X = X[:, [c != "Intercept" for c in X_df.columns]]  # the cut-points take its place
    rank = np.linalg.matrix_rank(X)
    if rank < X.shape[1]:
        raise DataError(
            f"The predictors of {formula!r} are collinear (rank {rank} of {X.shape[1]} columns: "
            f"{', '.join(X_df.columns)}); leave out a predictor or merge categories."
        )
    terms = [
        t
        for t in term_info(survey, X_df.design_info, lang=lang)
        if family != "ordinal" or t["term"] != INTERCEPT
    ]
    return (
        y,
        X,
        used,
        {
            **extra,
            "terms": terms,
            "outcome": outcome,
            "outcome_label": survey.codebook.label(outcome, lang)
            if outcome in columns
            else outcome,
            "dropped": int((~used).sum()),
            "design_info": X_df.design_info,
        },
    )


def outcome_short(survey: Survey, name: str, family: str, lang: str) -> str:
    """A short name of the outcome for headlines: the counted category of a labelled yes/no
    outcome ("problematisch gebruik"), else the variable label."""
    if name not in survey.data.columns:
        return name
    col = survey.data[name]
    if family == "binomial" and isinstance(col.dtype, pd.CategoricalDtype):
        cats = list(col.cat.categories)
        if len(cats) == 2:
            return str(translate_level(survey, name, cats[1], lang))
    return survey.codebook.label(name, lang)


def _ordinal_levels(
    survey: Survey, name: str, y: np.ndarray, formula: str
) -> tuple[np.ndarray, list[Any]]:
    """The outcome as 0 … K−1 over the categories present, and those categories' labels."""
    values, codes = np.unique(y, return_inverse=True)
    col = survey.data[name] if name in survey.data.columns else None
    if col is not None and survey.codebook.get(name).measure == "nominal":
        raise ConfigError(
            f"{name!r} is nominal in the codebook (its answers have no order); an "
            "ordinal model needs ordered answers. If they are ordered, set "
            "'measure: ordinal' for it in the codebook sidecar."
        )
    if col is not None and isinstance(col.dtype, pd.CategoricalDtype):
        labels = [col.cat.categories[int(v) - 1] for v in values]
    else:
        labels = [f"{v:g}" for v in values]
    if len(values) < 3:
        raise ConfigError(
            f"The outcome of {formula!r} has {len(values)} categories among the "
            "respondents used; an ordinal model needs 3 or more (for two: "
            "ym.glm(..., family='binomial'))."
        )
    return codes.astype(int), labels


def _outcome_column(survey: Survey, name: str, family: str) -> pd.Series:
    col = survey.data[name]
    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = list(col.cat.categories)
        if family == "ordinal":  # categories in their (code) order
            return pd.Series(col.cat.codes.to_numpy() + 1.0, index=col.index).where(col.notna())
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
        raise ConfigError(
            f"The outcome {name!r} is not numeric (dtype {col.dtype}); give codes "
            "or a labelled variable."
        )
    if family == "binomial":
        vals = col.dropna()
        if len(vals) and (vals.min() < 0 or vals.max() > 1):
            raise DataError(
                f"The outcome {name!r} has values outside 0–1 (from {vals.min():g} to "
                f"{vals.max():g}); a logistic model needs 0/1. Write e.g. I({name} >= 6)."
            )
    if family == "poisson" and (col.dropna() < 0).any():
        raise DataError(
            f"The outcome {name!r} has negative values ({col.min():g}); a "
            "log-linear (poisson) model needs counts of 0 or more."
        )
    return col.astype(float)


def _outcome_vector(y_df: pd.DataFrame, family: str, formula: str) -> np.ndarray:
    if y_df.shape[1] == 1:
        y = y_df.iloc[:, 0].to_numpy(dtype=float)
    elif y_df.shape[1] == 2 and family == "binomial":
        y = y_df.iloc[:, 1].to_numpy(dtype=float)  # second level = 1, as R
    else:
        raise ConfigError(
            f"The outcome of {formula!r} gives {y_df.shape[1]} columns "
            f"({', '.join(y_df.columns)}); it must be one number per respondent."
        )
    if family == "binomial" and (y.min() < 0 or y.max() > 1):
        raise DataError(
            f"The outcome of {formula!r} has values outside 0–1; a logistic model "
            "needs a 0/1 outcome."
        )
    if family == "poisson" and y.min() < 0:
        raise DataError(
            f"The outcome of {formula!r} has negative values; a log-linear "
            "(poisson) model needs counts of 0 or more."
        )
    return y


_LEVEL = re.compile(r"^(?P<code>.*)\[(?:T\.)?(?P<level>.*)\]$")


def term_info(survey: Survey, design_info: Any, lang: str | None) -> list[dict[str, str]]:
    """Per design column: R-style term, its variable, category level and a readable label."""
    columns = {str(c) for c in survey.data.columns}
    out = []
    for name in design_info.column_names:
        if name == "Intercept":
            out.append(
                {
                    "term": INTERCEPT,
                    "variable": "",
                    "category": "",
                    "group": None,
                    "label": "Constante" if lang in (None, "nl") else "Intercept",
                }
            )
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
                ref = translate_level(survey, var, ref, lang)
                level = translate_level(survey, var, level, lang)
                vs = "t.o.v." if lang in (None, "nl") else "vs"
                heading = base + (f" ({vs} {ref})" if ref is not None else "")
                group = (heading, str(level))
                base = f"{base}: {level}" + (f" ({vs} {ref})" if ref is not None else "")
            labels.append(base)
        out.append(
            {
                "term": name,
                "variable": variables[0],
                "category": ":".join(lv for lv in levels if lv),
                "label": " × ".join(labels),
                # for plots: (heading, level) of a single categorical term, else None
                "group": group if len(parts) == 1 else None,
            }
        )
    return out


def translate_level(survey: Survey, var: str | None, level: Any, lang: str | None) -> Any:
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
