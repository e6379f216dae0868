"""What the SPSS and Stata readers share: calling pyreadstat safely, its metadata as a Codebook,
and turning stored date numbers into dates.

Examples
--------
>>> from youthmedia.io.readstat import spss_type
>>> spss_type("ADATE10"), spss_type("DATETIME20"), spss_type("F8.2"), spss_type("A40")
('date', 'datetime', 'numeric', 'string')
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Codebook, MRSet, Variable
from ..errors import ConfigError, DataError, YouthmediaWarning
from .labels import normalize_code

__all__ = [
    "DateSpec",
    "RawRead",
    "call_pyreadstat",
    "check_columns",
    "codebook_from_meta",
    "convert_dates",
    "spss_type",
]

_SPSS_DATE = {"DATE", "ADATE", "EDATE", "JDATE", "SDATE", "QYR", "MOYR", "WKYR"}
_SPSS_DATETIME = {"DATETIME", "YMDHMS"}
_SPSS_TIME = {"TIME", "DTIME", "MTIME"}
MEASURES = {"nominal", "ordinal", "scale"}


@dataclass(frozen=True)
class DateSpec:
    """How a stored number becomes a date: ``epoch + value * unit`` (``unit`` in seconds)."""

    kind: str  # "date" | "datetime" | "time"
    epoch: str = "1582-10-14"
    unit: float = 1.0


@dataclass
class RawRead:
    """What a reader hands to :func:`youthmedia.io.load`: codes, codebook, and how it read."""

    data: pd.DataFrame
    codebook: Codebook
    reader: str
    options: dict[str, Any] = field(default_factory=dict)
    all_columns: list[str] = field(default_factory=list)
    dates: dict[str, DateSpec] = field(default_factory=dict)


def spss_type(fmt: str | None) -> str:
    """Storage type from an SPSS format: numeric, string, date, datetime or time."""
    if not fmt:
        return "numeric"
    head = re.match(r"[A-Za-z]+", fmt)
    word = head.group(0).upper() if head else ""
    if word in ("A", "AHEX"):
        return "string"
    if word in _SPSS_DATE:
        return "date"
    if word in _SPSS_DATETIME:
        return "datetime"
    if word in _SPSS_TIME:
        return "time"
    return "numeric"


def call_pyreadstat(func: Callable, path: str, what: str, **kwargs: Any):
    """Call a pyreadstat reader; every failure becomes one clear :class:`DataError`."""
    import pyreadstat

    try:
        return func(path, **kwargs)
    except (
        pyreadstat.ReadstatError,
        pyreadstat.PyreadstatError,
        UnicodeError,
        OverflowError,
        OSError,
        ValueError,
        KeyError,
        IndexError,
        MemoryError,
    ) as exc:
        msg = " ".join(str(exc).split()) or type(exc).__name__
        if (
            isinstance(exc, UnicodeError)
            or "encoding" in msg.lower()
            or "iconv" in msg.lower()
            or "byte sequence" in msg.lower()
        ):
            raise DataError(
                f"{path}: the text in this {what} cannot be decoded ({msg}); pass the file's "
                "real encoding, e.g. load(path, encoding='cp1252')."
            ) from None
        raise DataError(
            f"{path}: this {what} cannot be read ({msg}); it is truncated or damaged — "
            "copy it again from its source, or open it in SPSS/Stata and save it again."
        ) from None


def check_columns(path: str, columns: list[str] | None, known: list[str]) -> list[str] | None:
    """``columns`` as a list, or a :class:`ConfigError` naming the unknown ones."""
    if columns is None:
        return None
    if isinstance(columns, str):
        columns = [columns]
    columns = list(dict.fromkeys(str(c) for c in columns))
    unknown = [c for c in columns if c not in known]
    if unknown:
        from ..codebook import _preview

        raise ConfigError(
            f"{path}: no variable(s) {', '.join(map(repr, unknown))} in this file; "
            f"known variables: {_preview(known, 40)}."
        )
    return columns


def _missing(spec: list[Any]) -> tuple[list[Any], list[tuple[Any, Any]]]:
    values, ranges = [], []
    for item in spec or []:
        if isinstance(item, dict):
            lo, hi = normalize_code(item.get("lo")), normalize_code(item.get("hi"))
            if lo == hi:
                values.append(lo)
            else:
                ranges.append((lo, hi))
        else:
            values.append(normalize_code(item))
    return values, ranges


def codebook_from_meta(
    meta: Any,
    columns: list[str],
    type_of: Callable[[str | None], str],
) -> Codebook:
    """A :class:`Codebook` from a pyreadstat metadata object, for ``columns``."""
    labels = meta.column_names_to_labels or {}
    formats = meta.original_variable_types or {}
    rtypes = meta.readstat_variable_types or {}
    measures = meta.variable_measure or {}
    vlabels = meta.variable_value_labels or {}
    missing = {**(meta.missing_user_values or {}), **(meta.missing_ranges or {})}
    variables = {}
    for name in columns:
        fmt = formats.get(name)
        vtype = "string" if rtypes.get(name) == "string" else type_of(fmt)
        if vtype == "string" and rtypes.get(name) not in (None, "string"):
            vtype = "numeric"
        values, ranges = _missing(missing.get(name, []))
        measure = measures.get(name, "unknown")
        variables[name] = Variable(
            name=name,
            label=labels.get(name) or None,
            type=vtype,
            measure=measure if measure in MEASURES else "unknown",
            value_labels={normalize_code(k): str(v) for k, v in (vlabels.get(name) or {}).items()},
            missing_values=values,
            missing_ranges=ranges,
            format=fmt,
        )
    mr_sets = {}
    for raw_name, spec in (getattr(meta, "mr_sets", None) or {}).items():
        members = [v for v in spec.get("variable_list", [])]
        if not members or not all(v in variables for v in members):
            continue
        name = str(raw_name).lstrip("$")
        dichotomy = bool(spec.get("is_dichotomy")) or spec.get("type") in ("D", "E")
        mr_sets[name] = MRSet(
            name=name,
            label=spec.get("label") or None,
            kind="dichotomy" if dichotomy else "category",
            variables=members,
            counted_value=normalize_code(spec.get("counted_value")) if dichotomy else None,
        )
        for v in members:
            variables[v].group = variables[v].group or name
    return Codebook(
        variables=variables,
        mr_sets=mr_sets,
        file_label=meta.file_label or None,
        encoding=meta.file_encoding or None,
    )


def convert_dates(
    df: pd.DataFrame, specs: dict[str, DateSpec], where: str, inplace: bool = False
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Stored numbers -> ``datetime64`` (dates, datetimes) or ``timedelta64`` (times).

    Values outside the years 1–9999 become missing (NaT); a :class:`YouthmediaWarning` names
    the variable and how many values. Returns the frame and ``{name: n_unconverted}``;
    ``inplace=True`` replaces the columns of ``df`` one by one (and returns it).
    """
    from .labels import _setter

    out, put = _setter(df, inplace)
    failed = {}
    lo_year = np.datetime64("0001-01-01", "s")
    hi_year = np.datetime64("9999-12-31T23:59:59", "s")
    for name, spec in specs.items():
        if name not in df.columns or not pd.api.types.is_numeric_dtype(df[name]):
            continue
        raw = df[name].astype(float).to_numpy() * spec.unit
        finite = np.isfinite(raw)
        if spec.kind == "time":
            ok = finite & (np.abs(raw) < 9e9)
            secs = np.where(ok, raw, np.nan)
            put(name, pd.to_timedelta(np.round(secs * 1e6), unit="us").astype("timedelta64[us]"))
        else:
            epoch = np.datetime64(spec.epoch, "s")
            lo = float((lo_year - epoch) / np.timedelta64(1, "s"))
            hi = float((hi_year - epoch) / np.timedelta64(1, "s"))
            ok = finite & (raw >= lo) & (raw <= hi)
            micro = np.where(ok, np.round(np.where(ok, raw, 0.0) * 1e6), 0).astype("int64")
            values = epoch.astype("datetime64[us]") + micro.astype("timedelta64[us]")
            values = np.where(ok, values, np.datetime64("NaT", "us"))
            put(name, pd.Series(values, index=df.index, dtype="datetime64[us]"))
        bad = int((finite & ~ok).sum())
        if bad:
            failed[name] = bad
            warnings.warn(
                f"{where}: {bad} value(s) of {name!r} are out of the range of dates "
                f"(years 1–9999) and were made missing; check them in the source file.",
                YouthmediaWarning,
                stacklevel=4,
            )
    if out:
        df = df.assign(**out)
    return df, failed
