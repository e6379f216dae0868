"""Column types for files that carry none (CSV, Excel): numbers with a decimal comma or
thousands separators, dates in the common spreadsheet spellings, text.

Examples
--------
>>> from youthmedia.io.infer import guess_decimal, infer_column
>>> guess_decimal(["7,5", "8", "6,25"], delimiter=";")
','
>>> infer_column(["7,5", "8", "", "1.234,5"], decimal=",").tolist()
[7.5, 8.0, nan, 1234.5]
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError

__all__ = ["NA_TOKENS", "clean_header", "guess_decimal", "infer_column", "parse_number"]

NA_TOKENS = frozenset(
    {"", "NA", "N/A", "n/a", "#N/A", "#NULL!", "NaN", "nan", "NULL", "null", "#N/B", "#NB"}
)

_COMMA_DEC = re.compile(r"^[+-]?\d+,\d+$")
_DOT_DEC = re.compile(r"^[+-]?\d+\.\d+$")
_NUM_DOT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_NUM_COMMA = re.compile(r"^[+-]?(\d+,?\d*|,\d+)([eE][+-]?\d+)?$")
_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d*)?$")
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_DATE_ISO = re.compile(
    r"^\d{4}[-/]\d{1,2}[-/]\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?"
    r"( ?[AaPp]\.? ?[Mm]\.?)?)?$"
)
_DATE_DMY = re.compile(
    r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{2}|\d{4})( \d{1,2}:\d{2}(:\d{2})?"
    r"( ?[AaPp]\.? ?[Mm]\.?)?)?$"
)
_TZ = re.compile(r"\s*(GMT|UTC|CET|CEST)\s*([+-]\d{1,2}(:?\d{2})?)?$")


def is_na(value: Any) -> bool:
    """Whether a cell is empty (``""``, ``NA``, ``#N/A``, ``#NULL!``, NaN, None)."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str):
        return value.strip() in NA_TOKENS
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def guess_decimal(values: Sequence[Any], delimiter: str | None = None) -> str:
    """``","`` when the numbers are written with a decimal comma (Dutch Excel), else ``"."``."""
    if delimiter == ",":
        return "."
    comma = dot = 0
    for v in values:
        if not isinstance(v, str):
            continue
        v = v.strip()
        if _COMMA_DEC.match(v) or (_THOUSANDS_DOT.match(v) and "," in v):
            comma += 1
        elif _DOT_DEC.match(v) and not _THOUSANDS_DOT.match(v):
            dot += 1
    return "," if comma > dot else "."


def parse_number(text: str, decimal: str = ".", thousands: str | None = None) -> float | None:
    """A number written as text, or ``None``. ``thousands=None`` accepts grouped digits only
    in their unambiguous form (``1.234,5`` with a decimal comma, ``1,234.5`` with a point)."""
    v = text.strip().replace("\u00a0", "").replace("\u202f", "")
    if decimal == ",":
        if thousands in (None, ".") and _THOUSANDS_DOT.match(v):
            v = v.replace(".", "")
        elif _NUM_COMMA.match(v):
            pass
        elif _NUM_DOT.match(v):
            return float(v)  # a point typed in a decimal-comma file ("1.5")
        else:
            return None
        v = v.replace(",", ".")
    else:
        if thousands in (None, ",") and _THOUSANDS_COMMA.match(v):
            v = v.replace(",", "")
        elif not _NUM_DOT.match(v):
            return None
    try:
        return float(v)
    except ValueError:
        return None


def _parse_dates(texts: list[str], dayfirst_hint: bool) -> tuple[list[Any], str] | None:
    cleaned = [_TZ.sub("", t.strip()) for t in texts]
    iso = all(_DATE_ISO.match(t) for t in cleaned)
    dmy = [_DATE_DMY.match(t) for t in cleaned]
    if not iso and not all(dmy):
        return None
    dayfirst = False
    if not iso:
        first = [int(m.group(1)) for m in dmy]
        second = [int(m.group(3)) for m in dmy]
        if max(first) > 12 and max(second) > 12:
            return None
        if max(first) > 12:
            dayfirst = True
        elif max(second) > 12:
            dayfirst = False
        else:
            dayfirst = dayfirst_hint or dmy[0].group(2) in "-."
    parsed = pd.to_datetime(pd.Series(cleaned), dayfirst=dayfirst, format="mixed", errors="coerce")
    if parsed.isna().any():
        return None
    has_time = any(":" in t for t in cleaned)
    return list(parsed), ("datetime" if has_time else "date")


def infer_column(
    values: Sequence[Any], decimal: str = ".", thousands: str | None = None, dayfirst: bool = True
) -> pd.Series:
    """The best-fitting pandas column for a list of cells (text or spreadsheet values).

    Numbers (with the file's decimal mark) -> ``int64`` when whole and complete, else
    ``float64``; dates -> ``datetime64``; anything else -> text with surrounding spaces removed.
    Empty cells and the usual missing markers (``NA``, ``#N/A``, ``#NULL!``) are missing.
    """
    cells = list(values)
    present = [(i, v) for i, v in enumerate(cells) if not is_na(v)]
    n = len(cells)
    if not present:
        return pd.Series([np.nan] * n, dtype="float64")
    # numbers
    nums: list[float | None] = []
    for _i, v in present:
        if isinstance(v, bool):
            nums.append(None)
        elif isinstance(v, (int, float, np.number)):
            nums.append(float(v))
        elif isinstance(v, str):
            nums.append(parse_number(v, decimal, thousands))
        else:
            nums.append(None)
        if nums[-1] is None:
            break
    if len(nums) == len(present) and all(x is not None for x in nums):
        out = np.full(n, np.nan)
        for (i, _v), x in zip(present, nums, strict=True):
            out[i] = x
        finite = out[~np.isnan(out)]
        if (
            len(present) == n
            and np.all(finite == np.round(finite))
            and np.all(np.abs(finite) < 2**53)
        ):
            return pd.Series(out.astype("int64"))
        return pd.Series(out, dtype="float64")
    # spreadsheet dates
    if all(isinstance(v, (_dt.date, pd.Timestamp, np.datetime64)) for _i, v in present):
        out = pd.Series([pd.NaT] * n, dtype="datetime64[us]")
        for i, v in present:
            out.iloc[i] = pd.Timestamp(v)
        return out
    if all(isinstance(v, str) for _i, v in present):
        got = _parse_dates([v for _i, v in present], dayfirst)
        if got is not None:
            parsed, _kind = got
            out = pd.Series([pd.NaT] * n, dtype="datetime64[us]")
            out.iloc[[i for i, _v in present]] = (
                pd.Series(parsed).astype("datetime64[us]").to_numpy()
            )
            return out
    text = [None] * n
    for i, v in present:
        text[i] = v.strip() if isinstance(v, str) else _as_text(v)
    return pd.Series(text, dtype="str")


def _as_text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (_dt.datetime, pd.Timestamp)):
        return v.isoformat(sep=" ")
    return str(v)


def column_type(col: pd.Series) -> str:
    """Codebook type of an inferred column."""
    if pd.api.types.is_datetime64_any_dtype(col):
        times = col.dropna()
        if len(times) and (times.dt.normalize() != times).any():
            return "datetime"
        return "date"
    if pd.api.types.is_timedelta64_dtype(col):
        return "time"
    if pd.api.types.is_numeric_dtype(col):
        return "numeric"
    return "string"


def clean_header(names: Sequence[Any], where: str) -> list[str]:
    """Column names from a header row: trimmed, blanks named ``column_<n>``, duplicates refused."""
    out = []
    for i, raw in enumerate(names):
        if isinstance(raw, str):
            name = raw.strip()
        else:
            name = "" if is_na(raw) else _as_text(raw).strip()
        out.append(name or f"column_{i + 1}")
    dupes = [name for name, k in Counter(out).items() if k > 1]
    if dupes:
        raise DataError(
            f"{where}: duplicate column name(s) {', '.join(map(repr, dupes))} in the header; "
            "give each column its own name (e.g. add a number) and load it again."
        )
    return out
