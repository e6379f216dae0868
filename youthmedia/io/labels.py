"""From codes to analysis-ready columns: user-missing codes to NaN, value labels to Categoricals.

Every reader hands over the codes as the file holds them plus a :class:`~youthmedia.codebook.Codebook`;
these steps are the same for every format.

Examples
--------
>>> import pandas as pd
>>> from youthmedia.codebook import Codebook, Variable
>>> from youthmedia.io.labels import apply_missing, apply_value_labels
>>> cb = Codebook({"g": Variable("g", value_labels={1: "jongen", 2: "meisje"}, missing_values=[9])})
>>> df = apply_value_labels(apply_missing(pd.DataFrame({"g": [1.0, 2.0, 9.0]}), cb), cb, "klas.csv")
>>> df["g"].tolist(), cb["g"].missing_counts
(['jongen', 'meisje', nan], {'9': 1})
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Codebook
from ..errors import DataError

__all__ = ["apply_missing", "apply_value_labels", "code_key", "normalize_code"]


def normalize_code(value: Any) -> Any:
    """A code as a plain Python value: ``1.0`` -> ``1``, numpy scalars -> Python, strings kept."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return value


def code_key(value: Any) -> str:
    """The key of a code in ``Variable.missing_counts`` (``"9"``, ``"98..99"``)."""
    return str(normalize_code(value))


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float, np.number)) and not isinstance(x, bool)


def _setter(df: pd.DataFrame, inplace: bool) -> tuple[dict[str, Any], Any]:
    """Where a step puts its new columns: straight into ``df`` (``inplace``: each old column
    can be freed at once, so a large frame never exists twice) or into a dict assigned at the
    end (``df`` untouched)."""
    out: dict[str, Any] = {}

    def put(name: str, value: Any) -> None:
        if inplace:
            df[name] = value
        else:
            out[name] = value
    return out, put


def apply_missing(df: pd.DataFrame, codebook: Codebook, inplace: bool = False) -> pd.DataFrame:
    """Set user-missing codes and ranges to missing, counting what each excluded.

    The counts go to ``Variable.missing_counts`` (keys ``"9"`` or ``"98..99"``); a value that
    is both a listed code and inside a range counts once, for the code. ``inplace=True``
    replaces the columns of ``df`` one by one (and returns it) instead of returning a new frame.
    """
    out, put = _setter(df, inplace)
    for name in df.columns:
        var = codebook.variables.get(name)
        col = df[name]
        if var is None or not (var.missing_values or var.missing_ranges):
            continue
        counts: dict[str, int] = {}
        numeric = pd.api.types.is_numeric_dtype(col)
        if numeric:
            hit = _numeric_missing(col, var.missing_values, var.missing_ranges, counts)
            var.missing_counts = counts
            if hit.any():
                put(name, col.mask(hit))
            continue
        hit = pd.Series(False, index=col.index)
        for code in var.missing_values:
            if numeric and not _is_number(code):
                try:
                    code = float(code)
                except (TypeError, ValueError):
                    continue
            if numeric:
                m = col.eq(code).fillna(False).astype(bool) & ~hit
            else:
                text = col.astype("object").map(lambda v: v.rstrip() if isinstance(v, str) else v)
                m = text.eq(str(code).rstrip()).fillna(False).astype(bool) & ~hit
            counts[code_key(code)] = int(m.sum())
            hit |= m
        for low, high in var.missing_ranges:
            if numeric:
                m = ((col >= float(low)) & (col <= float(high))).fillna(False).astype(bool) & ~hit
            else:
                values = col.astype("object")
                m = values.map(lambda v, lo=low, hi=high: isinstance(v, str) and lo <= v <= hi)
                m = m.astype(bool) & ~hit
            counts[f"{code_key(low)}..{code_key(high)}"] = int(m.sum())
            hit |= m
        var.missing_counts = counts
        if hit.any():
            put(name, col.mask(hit))
    if out:
        df = df.assign(**out)
    return df


def _numeric_missing(col: pd.Series, codes: list[Any], ranges: list[tuple[Any, Any]],
                     counts: dict[str, int]) -> np.ndarray:
    """Rows of a numeric column holding a user-missing code or a value in a missing range
    (as numpy comparisons on the column's values: no pandas Series per code)."""
    values = col.to_numpy(dtype=float, na_value=np.nan)
    hit = np.zeros(len(values), dtype=bool)
    for code in codes:
        if not _is_number(code):
            try:
                code = float(code)
            except (TypeError, ValueError):
                continue
        m = values == code
        m &= ~hit
        counts[code_key(code)] = int(np.count_nonzero(m))
        hit |= m
    for low, high in ranges:
        m = (values >= float(low)) & (values <= float(high))
        m &= ~hit
        counts[f"{code_key(low)}..{code_key(high)}"] = int(np.count_nonzero(m))
        hit |= m
    return hit


def _unique_labels(labels: dict[Any, str]) -> dict[Any, str]:
    """Make duplicate labels unique by adding their code: ``"weet niet (8)"``, ``"weet niet (9)"``."""
    seen = Counter(labels.values())
    if all(n == 1 for n in seen.values()):
        return labels
    out = {code: (f"{lab} ({code})" if seen[lab] > 1 else lab) for code, lab in labels.items()}
    if len(set(out.values())) < len(out):  # "a (1)" already a label elsewhere: number them all
        out = {code: f"{lab} [{code}]" for code, lab in labels.items()}
    return out


def _sort_codes(codes: list[Any]) -> list[Any]:
    """Numeric codes in numeric order, then text codes in the order the codebook gives them
    (a sidecar's ``values: {Nooit: Nooit, Soms: Soms, Vaak: Vaak}`` is a scale in that order;
    text has no other order to go by)."""
    try:
        ranked = sorted(enumerate(codes), key=lambda ic: (0, float(ic[1]), 0) if _is_number(ic[1])
                        else (1, 0.0, ic[0]))
    except (TypeError, ValueError):  # pragma: no cover - mixed exotic types
        return list(codes)
    return [c for _i, c in ranked]


def _categorical_of_numbers(col: pd.Series, keys: list[float], cats: list[str]) -> pd.Categorical:
    """Numeric codes -> ordered Categorical of ``cats`` (``keys[i]`` is the code of ``cats[i]``).

    Built from positions (``Categorical.from_codes``) rather than by mapping every value to its
    label and hashing the labels again: 20x faster on large files. Values that are not a key
    (missing) become NaN.
    """
    values = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if not keys:
        return pd.Categorical.from_codes(np.full(len(values), -1), categories=cats, ordered=True)
    arr = np.asarray(keys, dtype=float)
    sorter = np.argsort(arr, kind="stable")
    pos = np.clip(np.searchsorted(arr, values, sorter=sorter), 0, len(arr) - 1)
    idx = sorter[pos]
    codes = np.where(arr[idx] == values, idx, -1)
    return pd.Categorical.from_codes(codes, categories=cats, ordered=True)


def _labelled_numbers(col: pd.Series, labels: dict[Any, str], var: Any) -> pd.Categorical | None:
    """A numeric column as an ordered Categorical of its labels in code order, in one search
    of the sorted codes; ``None`` when a value has no label (partly labelled: stays numeric).
    Values at user-missing codes become NaN (they have no category)."""
    values = col.to_numpy(dtype=float, na_value=np.nan)
    order = [c for c in _sort_codes(list(labels)) if not var.is_missing_code(c)]
    cats = [labels[c] for c in order]
    category_of = {float(c): i for i, c in reversed(list(enumerate(order)))}
    keys = np.unique(np.asarray([float(c) for c in labels], dtype=float))
    lut = np.asarray([category_of.get(float(k), -1) for k in keys] + [-1], dtype=np.int64)
    pos = np.searchsorted(keys, values)            # NaN sorts after every key: len(keys)
    found = keys[np.minimum(pos, len(keys) - 1)] == values
    if not (found | np.isnan(values)).all():
        return None
    codes = lut[np.where(found, pos, len(keys))]
    return pd.Categorical.from_codes(codes, categories=cats, ordered=True)


def apply_value_labels(df: pd.DataFrame, codebook: Codebook, where: str,
                       inplace: bool = False) -> pd.DataFrame:
    """Turn fully labelled variables into ordered Categoricals of their labels, in code order.

    A variable whose value labels cover every non-missing value becomes an ordered Categorical
    whose categories are the labels of its non-missing codes in code order (labelled codes
    nobody chose included). A numeric variable with only some values labelled stays numeric.
    Duplicate labels are made unique with their code, in the codebook too, so that
    :meth:`Survey.codes` maps back exactly.

    Raises
    ------
    DataError
        When the labels' codes cannot be codes of the column (numeric codes for a text column
        holding neither numbers nor the labels themselves, or text codes for a numeric column).

    ``inplace=True`` replaces the columns of ``df`` one by one (and returns it).
    """
    out, put = _setter(df, inplace)
    for name in df.columns:
        var = codebook.variables.get(name)
        if var is None or not var.value_labels:
            continue
        col = df[name]
        if isinstance(col.dtype, pd.CategoricalDtype):
            continue
        labels = {normalize_code(k): str(v) for k, v in var.value_labels.items()}
        labels = _unique_labels(labels)
        var.value_labels = labels
        numeric_codes = all(_is_number(c) for c in labels)
        if pd.api.types.is_numeric_dtype(col):
            if not numeric_codes:
                bad = [c for c in labels if not _is_number(c)][:3]
                raise DataError(
                    f"{where}: value labels of {name!r} use text codes ({', '.join(map(repr, bad))}) "
                    "but the column holds numbers; give the numeric codes used in the data."
                )
            coded = _labelled_numbers(col, labels, var)
            if coded is not None:   # None: partly labelled, stays as it is
                put(name, coded)
            continue
        present = col.dropna()
        values = present.astype("object").map(lambda v: v.strip() if isinstance(v, str) else v)
        values = values[values != ""]
        if numeric_codes:
            as_num = pd.to_numeric(values, errors="coerce")
            if as_num.notna().all():
                values = as_num.astype(float)
                col = pd.to_numeric(col.astype("object").map(
                    lambda v: v.strip() if isinstance(v, str) else v).replace("", np.nan),
                    errors="coerce")
            else:
                label_set = set(labels.values())
                stray = sorted({str(v) for v in values if v not in label_set})
                if stray:
                    raise DataError(
                        f"{where}: value labels of {name!r} give numeric codes "
                        f"({', '.join(map(str, list(labels)[:4]))}) but the column holds "
                        f"{', '.join(map(repr, stray[:4]))}; give the codes used in the data "
                        "(or leave out `values:` for this variable)."
                    )
                # the column already holds the labels themselves: keep them, in code order
                missing_labels = {labels[c] for c in labels if var.is_missing_code(c)}
                cats = [labels[c] for c in _sort_codes(list(labels))
                        if labels[c] not in missing_labels]
                text = col.astype("object").map(lambda v: v.strip() if isinstance(v, str) else v)
                text = text.where(text.isin(cats))
                put(name, pd.Categorical(text, categories=cats, ordered=True))
                continue
        else:
            values = values.astype(str)
        codes_present = set(values.unique().tolist())
        label_codes = {(float(c) if _is_number(c) else str(c)) for c in labels}
        if not codes_present <= label_codes:
            continue  # partly labelled (e.g. end points of a 0–10 ladder): stays as it is
        order = [c for c in _sort_codes(list(labels)) if not var.is_missing_code(c)]
        cats = [labels[c] for c in order]
        lookup = {(float(c) if _is_number(c) else str(c)): labels[c] for c in order}
        if numeric_codes:
            put(name, _categorical_of_numbers(col, [float(c) for c in order], cats))
            continue
        mapped = col.astype("object").map(
            lambda v, lk=lookup: lk.get(str(v).strip()) if pd.notna(v) else None)
        put(name, pd.Categorical(mapped, categories=cats, ordered=True))
    if out:
        df = df.assign(**out)
    return df

