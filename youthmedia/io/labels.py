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
        if var is None or not (var.missing_values or var.missing_ranges):
            continue
        col = df[name]
        var.missing_counts = {}
        hit = _missing_rows(col, var.missing_values, var.missing_ranges, var.missing_counts)
        if hit.any():
            put(name, col.mask(hit))
    return df.assign(**out) if out else df


def _missing_rows(
    col: pd.Series, codes: list[Any], ranges: list[tuple[Any, Any]], counts: dict[str, int]
) -> np.ndarray:
    """Rows holding a user-missing code or a value in a missing range (counted in ``counts``)."""
    if pd.api.types.is_numeric_dtype(col):
        values = col.to_numpy(dtype=float, na_value=np.nan)

        def code(c: Any) -> Any:
            try:
                return float(c)
            except (TypeError, ValueError):
                return None

        def within(lo: Any, hi: Any) -> np.ndarray:
            return (values >= float(lo)) & (values <= float(hi))
    else:
        values = np.asarray(
            [v.rstrip() if isinstance(v, str) else v for v in col.astype("object")], dtype=object
        )

        def code(c: Any) -> Any:
            return str(c).rstrip()

        def within(lo: Any, hi: Any) -> np.ndarray:
            return np.asarray([isinstance(v, str) and lo <= v <= hi for v in values], dtype=bool)

    hit = np.zeros(len(values), dtype=bool)
    tests = [
        (code_key(c), lambda c=c: np.asarray(values == code(c), dtype=bool))
        for c in codes
        if code(c) is not None
    ]
    tests += [
        (f"{code_key(lo)}..{code_key(hi)}", lambda lo=lo, hi=hi: within(lo, hi))
        for lo, hi in ranges
    ]
    for key, test in tests:
        m = test() & ~hit
        counts[key] = int(np.count_nonzero(m))
        hit |= m
    return hit


def _unique_labels(labels: dict[Any, str]) -> dict[Any, str]:
    """Duplicate labels made unique by their code: ``"weet niet (8)"``, ``"weet niet (9)"``."""
    seen = Counter(labels.values())
    if all(n == 1 for n in seen.values()):
        return labels
    out = {code: (f"{lab} ({code})" if seen[lab] > 1 else lab) for code, lab in labels.items()}
    if len(set(out.values())) < len(out):  # "a (1)" already a label elsewhere: number them all
        out = {code: f"{lab} [{code}]" for code, lab in labels.items()}
    return out


def _sort_codes(codes: list[Any]) -> list[Any]:
    """Numeric codes in numeric order, then text codes in the codebook's order (a sidecar's
    ``values: {Nooit: Nooit, Soms: Soms, Vaak: Vaak}`` is a scale in that order)."""
    return [
        c
        for _i, c in sorted(
            enumerate(codes),
            key=lambda ic: (0, float(ic[1]), 0) if _is_number(ic[1]) else (1, 0.0, ic[0]),
        )
    ]


def _labelled_numbers(col: pd.Series, labels: dict[Any, str], var: Any) -> pd.Categorical | None:
    """Numeric codes -> ordered Categorical of their labels in code order, by one search of the
    sorted codes; ``None`` when a value has no label (partly labelled: stays numeric).
    User-missing codes have no category."""
    values = col.to_numpy(dtype=float, na_value=np.nan)
    order = [c for c in _sort_codes(list(labels)) if not var.is_missing_code(c)]
    category_of = {float(c): i for i, c in reversed(list(enumerate(order)))}
    keys = np.unique(np.asarray([float(c) for c in labels], dtype=float))
    lut = np.asarray([category_of.get(float(k), -1) for k in keys] + [-1], dtype=np.int64)
    pos = np.searchsorted(keys, values)  # NaN sorts after every key: len(keys)
    found = keys[np.minimum(pos, len(keys) - 1)] == values
    if not (found | np.isnan(values)).all():
        return None
    return pd.Categorical.from_codes(
        lut[np.where(found, pos, len(keys))], categories=[labels[c] for c in order], ordered=True
    )


def apply_value_labels(
    df: pd.DataFrame, codebook: Codebook, where: str, inplace: bool = False
) -> pd.DataFrame:
    """Turn fully labelled variables into ordered Categoricals of their labels, in code order.

    A variable whose value labels cover every non-missing value becomes an ordered Categorical
    whose categories are the labels of its non-missing codes in code order (labelled codes
    nobody chose included). A numeric variable with only some values labelled stays numeric.
    Duplicate labels are made unique with their code, in the codebook too, so that
    :meth:`Survey.codes` maps back exactly. ``inplace=True`` replaces the columns of ``df`` one
    by one (and returns it).

    Raises
    ------
    DataError
        When the labels' codes cannot be codes of the column (numeric codes for a text column
        holding neither numbers nor the labels themselves, or text codes for a numeric column).
    """
    out, put = _setter(df, inplace)
    for name in df.columns:
        var = codebook.variables.get(name)
        col = df[name]
        if var is None or not var.value_labels or isinstance(col.dtype, pd.CategoricalDtype):
            continue
        var.value_labels = _unique_labels(
            {normalize_code(k): str(v) for k, v in var.value_labels.items()}
        )
        coded = _labelled(col, var, f"{where}: value labels of {name!r}")
        if coded is not None:  # None: partly labelled, stays as it is
            put(name, coded)
    return df.assign(**out) if out else df


def _labelled(col: pd.Series, var: Any, where: str) -> pd.Categorical | None:
    labels = var.value_labels
    numeric_codes = all(_is_number(c) for c in labels)
    if pd.api.types.is_numeric_dtype(col):
        if not numeric_codes:
            bad = [c for c in labels if not _is_number(c)][:3]
            raise DataError(
                f"{where} use text codes ({', '.join(map(repr, bad))}) but the "
                "column holds numbers; give the numeric codes used in the data."
            )
        return _labelled_numbers(col, labels, var)
    text = col.astype("object").map(lambda v: (v.strip() or None) if isinstance(v, str) else v)
    present = text.dropna()
    order = [c for c in _sort_codes(list(labels)) if not var.is_missing_code(c)]
    cats = [labels[c] for c in order]
    if numeric_codes:
        numbers = pd.to_numeric(text, errors="coerce")
        if numbers[present.index].notna().all():  # text holding the codes
            return _labelled_numbers(numbers, labels, var)
        stray = sorted({str(v) for v in present if v not in set(labels.values())})
        if stray:
            raise DataError(
                f"{where} give numeric codes ({', '.join(map(str, list(labels)[:4]))}) "
                f"but the column holds {', '.join(map(repr, stray[:4]))}; give the "
                "codes used in the data (or leave out `values:` for this variable)."
            )
        return pd.Categorical(text.where(text.isin(cats)), categories=cats, ordered=True)
    if not set(present.astype(str)) <= {str(c) for c in labels}:
        return None
    lookup = {str(c): labels[c] for c in order}
    return pd.Categorical(
        text.map(lambda v: None if v is None or v != v else lookup.get(str(v))),
        categories=cats,
        ordered=True,
    )
