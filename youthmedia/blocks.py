"""The answers an estimator works on: blocks of columns (one variable, a list of 0/1
variables, a multiple-response set, numbers) and the by-groups (domains).

A :class:`_Block` is what one variable (or set) contributes to an estimate: the category code
of each row (a categorical), or values ``u`` and answered masks ``d`` (rows × columns); a
:class:`_Groups` the domain of each row. Both are read from the Survey's data and codebook
once per call and handed to :func:`youthmedia.design.domain_estimates`.

Examples
--------
>>> _names("a"), _names(["a", "b"])
(['a'], ['a', 'b'])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .errors import ConfigError, DataError
from .survey import Survey


# --------------------------------------------------------------------------------------------
# Blocks: the columns one variable (or set) contributes
# --------------------------------------------------------------------------------------------
@dataclass
class _Block:
    """Numerators ``u`` and answered masks ``d`` (rows × k), or a category code per row."""

    name: str                      # the variable (or set) name
    u: np.ndarray | None           # values (0 where not answered); None for code blocks
    d: np.ndarray | None           # 1 where the row answered this column, else 0
    variables: list[str]           # per column: the variable it belongs to
    categories: list[str]          # per column: the category label ("" for means)
    kind: str                      # categorical | binary | numeric
    translations: dict             # lang -> {variable: {file label: translated}}
    codes: np.ndarray | None = None  # categorical: category per row (-1 = not answered)

    @property
    def k(self) -> int:
        return len(self.categories)

    @property
    def answered(self) -> np.ndarray:
        """Rows that answered at least one column."""
        return self.codes >= 0 if self.codes is not None else self.d.max(axis=1) > 0


def _is_binary(values: np.ndarray) -> bool:
    v = values[~np.isnan(values)]
    return v.size > 0 and bool(np.all((v == 0) | (v == 1)))


def _numeric_codes(survey: Survey, name: str) -> np.ndarray | None:
    """Numeric codes of a column (Categoricals mapped back to codes), or None if not numeric."""
    col = survey.data[name]
    if pd.api.types.is_bool_dtype(col.dtype):
        return col.to_numpy(dtype=float, na_value=np.nan)
    if isinstance(col.dtype, pd.CategoricalDtype):
        back = {str(lab): code for code, lab in survey.codebook.get(name).value_labels.items()}
        values = []
        for cat in col.cat.categories:
            v = _as_float(back.get(str(cat), cat))
            if math.isnan(v):
                return None
            values.append(v)
        lookup = np.append(np.asarray(values, dtype=float), np.nan)
        return lookup[col.cat.codes.to_numpy()]     # code -1 (missing) -> the trailing NaN
    if pd.api.types.is_numeric_dtype(col.dtype):
        return col.to_numpy(dtype=float, na_value=np.nan)
    return None


def _var_translations(survey: Survey, name: str, labels: dict[Any, str],
                      key: str | None = None) -> dict:
    """lang -> {key (default name): {file label: translated}} for a variable's value labels."""
    var = survey.codebook.get(name)
    out: dict = {}
    for lang in var.translations:
        trans = var.value_labels_in(lang)
        table = {str(labels[c]): str(trans[c]) for c in labels if c in trans}
        if table:
            out.setdefault(lang, {})[key or name] = table
    return out


def _categorical_block(survey: Survey, name: str) -> _Block:
    """Each category of ``name`` a column: value labels for numbers, sorted text otherwise."""
    col = survey.data[name]
    file_labels = {c: str(lab) for c, lab in survey.codebook.get(name).value_labels.items()}
    if isinstance(col.dtype, pd.CategoricalDtype):
        cats, codes = [str(c) for c in col.cat.categories], col.cat.codes.to_numpy()
    elif pd.api.types.is_numeric_dtype(col.dtype):
        values = col.to_numpy(dtype=float, na_value=np.nan)
        uniq = np.unique(values[~np.isnan(values)])
        labelled = {_as_float(c): lab for c, lab in file_labels.items()}
        cats = [labelled.get(v, str(int(v)) if v.is_integer() else f"{v:g}") for v in uniq]
        codes = pd.Categorical(values, categories=uniq).codes
    else:
        text = col.astype(object).map(lambda x: None if pd.isna(x) else str(x))
        cats, file_labels = sorted(set(text.dropna())), {}
        codes = pd.Categorical(text, categories=cats).codes
    return _Block(name, None, None, [name] * len(cats), cats, "categorical",
                  _var_translations(survey, name, file_labels), np.asarray(codes, dtype=np.int64))


def _binary_block(survey: Survey, names: Sequence[str], counted: Any = None,
                  answered: np.ndarray | None = None, set_name: str | None = None,
                  missing_is_no: bool = False) -> _Block:
    """0/1 columns: each variable's share of those who answered it.

    With ``answered`` (a multiple-response set: who answered the question), a member's base is
    the respondents who answered the question *and* for whom the member is not missing — an
    option that was not offered (TikTok in 2015) has no base rather than counting as "not
    chosen". ``missing_is_no`` is for files that leave unchosen options empty: there a missing
    member among those who answered counts as "not chosen".
    """
    cols_u, cols_d = [], []
    trans: dict = {}
    for name in names:
        if counted is not None:
            sel = _counted_mask(survey, name, counted)
            miss = survey.data[name].isna().to_numpy()
            values = np.where(miss, np.nan, sel.astype(float))
        else:
            values = _numeric_codes(survey, name)
            if values is None or not _is_binary(values):
                raise DataError(
                    f"Variable '{name}' is not a 0/1 variable (values "
                    f"{_preview_values(survey.data[name])}); pass it on its own for the share of "
                    "each category, or make it 0/1."
                )
        if answered is None:
            d = (~np.isnan(values)).astype(float)
        elif missing_is_no:
            d = answered.astype(float)
        else:
            d = (answered & ~np.isnan(values)).astype(float)
        cols_u.append(np.nan_to_num(values) * d)
        cols_d.append(d)
        var = survey.codebook.get(name)
        for lang in var.translations:
            lab = var.label_in(lang)
            if lab != var.label_in(None):
                trans.setdefault(lang, {})[name] = {survey.codebook.label(name): lab}
    cats = [survey.codebook.label(nm) for nm in names]
    return _Block(set_name or ",".join(names), np.column_stack(cols_u), np.column_stack(cols_d),
                  list(names), cats, "binary", trans)


def _preview_values(col: pd.Series) -> str:
    vals = pd.unique(col.dropna())[:5]
    return ", ".join(map(str, vals))


def _mr_block(survey: Survey, set_name: str) -> _Block:
    mr = survey.codebook.mr_sets[set_name]
    members = list(mr.variables)
    survey.require(*members)
    answered = np.zeros(survey.n, dtype=bool)
    for m in members:
        answered |= survey.data[m].notna().to_numpy()
    if mr.kind == "dichotomy":
        return _binary_block(survey, members, counted=mr.counted_value, answered=answered,
                             set_name=set_name,
                             missing_is_no=_unchosen_left_empty(survey, members, mr.counted_value))
    # category set: members hold the chosen categories' codes
    first = survey.codebook.get(members[0])
    options = dict(first.value_labels)
    codes = [survey.codes(m) for m in members]
    if not options:
        seen = sorted({v for c in codes for v in c.dropna().tolist()}, key=str)
        options = {v: str(v) for v in seen}
    u = np.zeros((survey.n, len(options)))
    for j, code in enumerate(options):
        hit = np.zeros(survey.n, dtype=bool)
        for c in codes:
            hit |= (c.astype(object) == code).to_numpy(dtype=bool, na_value=False) | (
                pd.to_numeric(c, errors="coerce") == _as_float(code)).to_numpy(dtype=bool, na_value=False)
        u[:, j] = hit
    d = np.repeat(answered.astype(float)[:, None], len(options), axis=1)
    cats = [str(v) for v in options.values()]
    return _Block(set_name, u * d, d, [set_name] * len(options), cats, "categorical",
                  _var_translations(survey, members[0], options, set_name))


def _counted_mask(survey: Survey, name: str, counted: Any) -> np.ndarray:
    """Rows where ``name`` holds the counted value of a dichotomy set."""
    codes = survey.codes(name)
    num = pd.to_numeric(codes, errors="coerce")
    try:
        sel = (num == float(counted)) if num.notna().any() else (codes.astype(object) == counted)
    except (TypeError, ValueError):
        sel = codes.astype(object) == counted
    return sel.to_numpy(dtype=bool, na_value=False)


def _unchosen_left_empty(survey: Survey, members: Sequence[str], counted: Any) -> bool:
    """Whether a dichotomy set codes "not chosen" as missing (no member ever holds another
    value than the counted one): then a missing member cannot mean "not offered"."""
    for m in members:
        present = survey.data[m].notna().to_numpy()
        if (present & ~_counted_mask(survey, m, counted)).any():
            return False
    return True


def _as_float(x: Any) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def _numeric_block(survey: Survey, names: Sequence[str]) -> _Block:
    cols_u, cols_d = [], []
    for name in names:
        values = _numeric_codes(survey, name)
        if values is None:
            raise DataError(f"Variable '{name}' is not numeric (values "
                            f"{_preview_values(survey.data[name])}); a mean needs numbers — use "
                            "share() for the share of each category.")
        d = (~np.isnan(values)).astype(float)
        cols_u.append(np.nan_to_num(values))
        cols_d.append(d)
    return _Block(",".join(names), np.column_stack(cols_u), np.column_stack(cols_d), list(names),
                  [""] * len(names), "numeric", {})


def _names(variables: str | Sequence[str]) -> list[str]:
    if isinstance(variables, str):
        return [variables]
    names = [str(v) for v in variables]
    if not names:
        raise ConfigError("Give at least one variable.")
    return names


def _share_blocks(survey: Survey, variables: str | Sequence[str]) -> list[_Block]:
    """A set, a 0/1 variable or a list of them as one block; otherwise one block per variable."""
    names = _names(variables)
    if len(names) == 1 and names[0] not in survey.data.columns and names[0] in survey.codebook.mr_sets:
        return [_mr_block(survey, names[0])]
    for nm in names:
        _require(survey, nm)
    binary = [not isinstance(survey.data[nm].dtype, pd.CategoricalDtype) or len(names) > 1
              for nm in names]
    binary = [b and (v := _numeric_codes(survey, nm)) is not None and _is_binary(v)
              for b, nm in zip(binary, names, strict=True)]
    if all(binary):
        return [_binary_block(survey, names)]
    return [_categorical_block(survey, nm) if len(names) == 1 else _share_blocks(survey, nm)[0]
            for nm in names]


def _require(survey: Survey, name: str) -> None:
    if name not in survey.data.columns:
        sets = list(survey.codebook.mr_sets)
        if sets:
            from .codebook import _preview

            raise ConfigError(f"Unknown variable {name!r} in {survey.source.path or 'this survey'}; "
                              f"known variables: {_preview(survey.columns)}; "
                              f"multiple-response sets: {', '.join(sets)}.")
        survey.require(name)


# --------------------------------------------------------------------------------------------
# Groups (by=)
# --------------------------------------------------------------------------------------------
@dataclass
class _Groups:
    by: list[str]
    code: np.ndarray                   # group per row, -1 = not in any group
    labels: list[tuple[str, ...]]      # per group
    categories: dict[str, list[str]]   # per by-variable, in order
    translations: dict
    memo: list = field(default_factory=list, repr=False)   # (outer, code, _Pairs) seen

    @property
    def G(self) -> int:
        return len(self.labels)


def _groups(survey: Survey, by: str | Sequence[str] | None) -> _Groups:
    """The domain of each row: the cross of the ``by`` variables' categories."""
    if by is None:
        return _Groups([], np.zeros(survey.n, dtype=np.int64), [()], {}, {})
    names = _names(by)
    survey.require(*names)
    code, labels, cats, trans = None, [()], {}, {}
    where = f" in {survey.source.path}" if survey.source.path else ""
    for nm in names:
        blk = _categorical_block(survey, nm)
        observed = np.flatnonzero(np.bincount(blk.codes + 1, minlength=blk.k + 1)[1:])
        if observed.size == 0:
            raise DataError(f"The by-variable '{nm}' has no values{where} (all missing); a "
                            "breakdown needs at least two groups — choose another by= variable.")
        if observed.size < 2:
            raise DataError(f"The by-variable '{nm}' has a single category "
                            f"({blk.categories[observed[0]]!r}) among the respondents{where}; a "
                            "breakdown needs at least two groups — drop by= or check your filter.")
        c = blk.codes
        code = c if code is None else np.where((code >= 0) & (c >= 0), code * blk.k + c, -1)
        cats[nm] = blk.categories
        labels = [lab + (cat,) for lab in labels for cat in blk.categories]
        for lang, t in blk.translations.items():
            trans.setdefault(lang, {}).update(t)
    return _Groups(names, code, labels, cats, trans)
