"""Codes to analysis-ready columns for every format, in one pass: user-missing codes to NaN
(counting what each excluded), value labels to ordered Categoricals."""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Codebook, Variable
from ..errors import DataError


def normalize_code(value: Any) -> Any:
    """A code as a plain Python value: ``1.0`` -> ``1``, numpy scalars -> Python, strings kept."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return value


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float, np.number)) and not isinstance(x, bool)


def apply_codes(df: pd.DataFrame, codebook: Codebook, where: str, dates: Any = ()) -> pd.DataFrame:
    """User-missing codes to NaN (counted), labelled codes to ordered Categoricals, in place."""
    dtypes: dict[tuple, pd.CategoricalDtype] = {}  # one dtype per answer list: 1–4 scales share
    for name in df.columns:
        var, col = codebook.variables.get(name), df[name]
        if var is None:
            continue
        numeric = pd.api.types.is_numeric_dtype(col)
        values = col.to_numpy(dtype=float, na_value=np.nan) if numeric else None
        hit = _missing(var, values if numeric else col)
        if hit is not None:  # numbers: one numpy pass (pandas' mask costs as much as the read)
            values = np.where(hit, np.nan, values) if numeric else None
            col = pd.Series(values, index=df.index) if numeric else col.mask(hit)
        coded = None
        labelled = bool(var.value_labels) and name not in dates
        if labelled and not isinstance(col.dtype, pd.CategoricalDtype):
            labels = {normalize_code(k): str(v) for k, v in var.value_labels.items()}
            var.value_labels = _unique_labels(labels)
            order = _order(var)
            cats = tuple(var.value_labels[c] for c in order)
            dtype = dtypes.setdefault(cats, pd.CategoricalDtype(list(cats), ordered=True))
            coded = _labelled(col, values, var, order, dtype, f"{where}: value labels of {name!r}")
        if coded is not None or hit is not None:
            df[name] = col if coded is None else coded
    return df


def _missing(var: Variable, values: Any) -> np.ndarray | None:
    """Where ``values`` hold a user-missing code (counted per code); ``None`` when nowhere."""
    if not (var.missing_values or var.missing_ranges):
        return None
    numeric, var.missing_counts = isinstance(values, np.ndarray), {}
    if not numeric:
        values = np.asarray(
            [v.rstrip() if isinstance(v, str) else v for v in values.astype(object)], dtype=object
        )
    tests = []
    for c in var.missing_values:
        try:
            code = float(c) if numeric else str(c).rstrip()
        except (TypeError, ValueError):
            continue
        tests.append((str(normalize_code(c)), np.asarray(values == code, dtype=bool)))
    for lo, hi in var.missing_ranges:
        if numeric:
            m = (values >= float(lo)) & (values <= float(hi))
        else:
            m = np.asarray([isinstance(v, str) and lo <= v <= hi for v in values], dtype=bool)
        tests.append((f"{normalize_code(lo)}..{normalize_code(hi)}", m))
    hit = np.zeros(len(values), dtype=bool)
    for key, m in tests:
        var.missing_counts[key] = int(np.count_nonzero(m & ~hit))
        hit |= m
    return hit if hit.any() else None


def _unique_labels(labels: dict[Any, str]) -> dict[Any, str]:
    """Duplicate labels made unique by their code: ``"weet niet (8)"``, ``"weet niet (9)"``."""
    seen = Counter(labels.values())
    out = {code: (f"{lab} ({code})" if seen[lab] > 1 else lab) for code, lab in labels.items()}
    if len(set(out.values())) < len(out):  # "a (1)" already a label elsewhere: number them all
        out = {code: f"{lab} [{code}]" for code, lab in labels.items()}
    return out


def _order(var: Variable) -> list[Any]:
    """The non-missing codes: numbers in numeric order, then text codes in the codebook's."""
    codes = sorted(
        enumerate(var.value_labels),
        key=lambda ic: (0, float(ic[1]), 0) if _is_number(ic[1]) else (1, 0.0, ic[0]),
    )
    return [c for _i, c in codes if not var.is_missing_code(c)]


def _numbers(values: np.ndarray, var: Variable, order: list, dtype: Any) -> pd.Categorical | None:
    """Numeric codes -> Categorical of their labels; ``None`` when partly labelled."""
    codes, known = np.full(len(values), -1, dtype=np.int32), np.isnan(values)
    position = {c: i for i, c in enumerate(order)}
    for c in var.value_labels:  # a few labels: a comparison each (a labelled missing code: NaN)
        m = values == float(c)
        known |= m
        if c in position:
            codes += np.int32(position[c] + 1) * m
    if not known.all():
        return None
    return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)


def _labelled(
    col: pd.Series, values: Any, var: Variable, order: list, dtype: Any, where: str
) -> pd.Categorical | None:
    labels = var.value_labels
    numeric_codes = all(_is_number(c) for c in labels)
    if values is not None:
        if not numeric_codes:
            bad = ", ".join([repr(c) for c in labels if not _is_number(c)][:3])
            raise DataError(
                f"{where} use text codes ({bad}) but the column holds numbers; give the numeric codes used in the data."
            )
        return _numbers(values, var, order, dtype)
    text = col.astype(object).map(lambda v: (v.strip() or None) if isinstance(v, str) else v)
    present = text.dropna()
    if numeric_codes:
        numbers = pd.to_numeric(text, errors="coerce")
        if numbers[present.index].notna().all():  # text holding the codes
            return _numbers(numbers.to_numpy(dtype=float, na_value=np.nan), var, order, dtype)
        stray = sorted({str(v) for v in present if v not in set(labels.values())})
        if stray:
            raise DataError(
                f"{where} give numeric codes ({', '.join(map(str, list(labels)[:4]))}) but the column holds {', '.join(map(repr, stray[:4]))}; give the codes used in the data (or leave out `values:` for this variable)."
            )
        return pd.Categorical(text.where(text.isin(dtype.categories)), dtype=dtype)
    if not set(present.astype(str)) <= {str(c) for c in labels}:
        return None
    lookup = {str(c): labels[c] for c in order}
    return pd.Categorical(
        text.map(lambda v: None if v is None or v != v else lookup.get(str(v))), dtype=dtype
    )
