"""SPSS (.sav, .zsav, .por) and Stata (.dta) files through pyreadstat and polars-readstat: labels,
user-missing codes (kept as codes for :func:`load` to count), multiple-response sets, the
header's weight (:mod:`.savdict`) and dates (one out-of-range date cannot stop the load)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from ..codebook import Codebook, MRSet, Variable
from ..errors import DataError, YouthmediaWarning
from .labels import normalize_code
from .savdict import check_readable, parse_dictionary
from .table import RawRead, check_columns

WHAT = {"sav": "SPSS file", "zsav": "compressed SPSS file", "por": "SPSS portable file"}
WHAT["dta"] = "Stata file"
_SPSS_TYPES = {
    **dict.fromkeys("DATE ADATE EDATE JDATE SDATE QYR MOYR WKYR".split(), "date"),
    **dict.fromkeys(["DATETIME", "YMDHMS"], "datetime"),
    **dict.fromkeys(["TIME", "DTIME", "MTIME"], "time"),
    **dict.fromkeys(["A", "AHEX"], "string"),
}
_FAILURES = (UnicodeError, OverflowError, OSError, ValueError, KeyError, IndexError, MemoryError)


class DateSpec(NamedTuple):
    """How a stored number becomes a date: ``epoch + value * unit`` (``unit`` in seconds)."""

    kind: str  # "date" | "datetime" | "time"
    epoch: str = "1582-10-14"
    unit: float = 1.0


_SPSS_DATES = {k: DateSpec(k) for k in ("date", "datetime", "time")}
_STATA_DATES = {"date": DateSpec("date", "1960-01-01", 86400.0)}
_STATA_DATES["datetime"] = DateSpec("datetime", "1960-01-01", 0.001)
_YEARS = ("0001-01-01", "9999-12-31T23:59:59")  # the range of dates: years 1–9999


def _type(fmt: str | None, stata: bool) -> str:
    """Storage type from an SPSS format or a Stata display format."""
    if not stata:
        return _SPSS_TYPES.get(re.match(r"[A-Za-z]*", fmt or "").group(0).upper(), "numeric")
    f = (fmt or "").lower().lstrip("%-")
    if f.startswith(("td", "d")) and not f[:2].isdigit():
        return "date"
    return "datetime" if f.startswith("tc") else "string" if f.endswith("s") else "numeric"


def read_spss(
    path: str | Path,
    kind: str,
    *,
    columns: list[str] | None = None,
    encoding: str | None = None,
) -> RawRead:
    """Read an SPSS or Stata file (``kind``: sav, zsav, por, dta) as codes plus codebook."""
    import pyreadstat

    path, what, expected, weight = str(path), WHAT[kind], None, None
    enc = {"encoding": encoding} if encoding else {}
    func = {"por": pyreadstat.read_por, "dta": pyreadstat.read_dta}.get(kind, pyreadstat.read_sav)
    sav = kind in ("sav", "zsav")
    if sav:
        dictionary = parse_dictionary(path)  # before pyreadstat, whose C reader trusts it
        expected, weight = check_readable(dictionary, encoding), dictionary.weight
    extra = {"user_missing": True, **enc} if sav else enc
    _, meta = _call(func, path, what, metadataonly=True, **extra)
    known = list(meta.column_names)
    usecols = check_columns(path, columns, known) or known
    df = _data(func, path, what, meta, usecols, extra, sav and not encoding)
    if expected is not None and 0 <= expected and len(df) < expected:
        raise DataError(
            f"{path}: the header promises {expected} cases but only {len(df)} could be read; the file is truncated — copy it again from its source."
        )
    used: dict[str, Any] = {"format": kind, **enc}
    codebook = _codebook(meta, [str(c) for c in df.columns], kind == "dta")
    codebook.weight = weight if weight in codebook.variables else None
    if weight is not None and codebook.weight is None:
        used["weight_not_loaded"] = weight
    epochs = _STATA_DATES if kind == "dta" else _SPSS_DATES
    dates = {n: epochs[v.type] for n, v in codebook.variables.items() if v.type in epochs}
    return RawRead(df, codebook, "stata" if kind == "dta" else "spss", used, known, dates)


def _call(func: Callable, path: str, what: str, **kwargs: Any):
    """Call a pyreadstat reader; every failure becomes one clear :class:`DataError`."""
    import pyreadstat

    try:
        return func(path, **kwargs)
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, *_FAILURES) as exc:
        msg = " ".join(str(exc).split()) or type(exc).__name__
        if isinstance(exc, UnicodeError) or re.search("encoding|iconv|byte sequence", msg, re.I):
            raise DataError(
                f"{path}: the text in this {what} cannot be decoded ({msg}); pass the file's real encoding, e.g. load(path, encoding='cp1252')."
            ) from None
        raise DataError(
            f"{path}: this {what} cannot be read ({msg}); it is truncated or damaged — copy it again from its source, or open it in SPSS/Stata and save it again."
        ) from None


def _data(
    func: Any, path: str, what: str, meta: Any, usecols: list[str], extra: dict, fast: bool
) -> pd.DataFrame:
    """The codes: by polars-readstat where it can (faster), dates and coded text by pyreadstat."""
    coded = set(meta.missing_user_values or {}) | set(meta.missing_ranges or {})
    kinds = {n: _type(f, False) for n, f in (meta.original_variable_types or {}).items()}
    slow = {n for n, k in kinds.items() if k != "numeric" and (k != "string" or n in coded)}
    quick = _polars(path, [c for c in usecols if c not in slow], coded) if fast else None
    slow = [c for c in usecols if quick is None or c not in quick.columns]
    if not slow:
        return quick[usecols]
    kwargs = {"usecols": slow, "disable_datetime_conversion": True, **extra}
    df, _ = _call(func, path, what, **kwargs)
    if quick is not None and len(quick) != len(df):  # another number of rows: pyreadstat decides
        df, _ = _call(func, path, what, **{**kwargs, "usecols": usecols})
    elif quick is not None:
        df = pd.concat([df, quick], axis=1)
    return df[usecols]


def _polars(path: str, columns: list[str], coded: set[str]) -> pd.DataFrame | None:
    """``columns`` by polars-readstat, user-missing codes put back; ``None`` when it cannot."""
    if not columns:
        return None
    try:
        import polars as pl
        import polars_readstat as prs

        coded = [c for c in columns if c in coded]
        nulls = prs.InformativeNullOpts(coded, "struct", use_value_labels=False) if coded else None
        df = prs.read_readstat(path, columns=columns, informative_nulls=nulls)
        df = df.with_columns(  # the struct columns freed before the copy to pandas
            pl.coalesce(pl.col(c).struct[0], pl.col(c).struct[1].cast(pl.Float64)).alias(c)
            for c in coded
        )
        return df.to_pandas()
    except BaseException as exc:  # a Rust panic is a BaseException (pyo3's PanicException)
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return None


def _codebook(meta: Any, columns: list[str], stata: bool) -> Codebook:
    """A :class:`Codebook` from a pyreadstat metadata object, for ``columns``."""
    formats, rtypes = meta.original_variable_types or {}, meta.readstat_variable_types or {}
    vlabels, measures = meta.variable_value_labels or {}, meta.variable_measure or {}
    missing = {**(meta.missing_user_values or {}), **(meta.missing_ranges or {})}
    variables = {}
    for name in columns:
        fmt, rtype = formats.get(name), rtypes.get(name)
        vtype = "string" if rtype == "string" else _type(fmt, stata)
        vtype = "numeric" if vtype == "string" and rtype not in (None, "string") else vtype
        label = (meta.column_names_to_labels or {}).get(name) or None
        measure = measures.get(name, "unknown")
        measure = measure if measure in ("nominal", "ordinal", "scale") else "unknown"
        labels = {normalize_code(k): str(v) for k, v in (vlabels.get(name) or {}).items()}
        var = variables[name] = Variable(name, label, vtype, measure, labels, format=fmt)
        pairs = [
            (i["lo"], i["hi"]) if isinstance(i, dict) else (i, i) for i in missing.get(name, [])
        ]
        pairs = [(normalize_code(lo), normalize_code(hi)) for lo, hi in pairs]
        var.missing_values = [lo for lo, hi in pairs if lo == hi]
        var.missing_ranges = [(lo, hi) for lo, hi in pairs if lo != hi]
    mr_sets = {}
    for raw_name, spec in (getattr(meta, "mr_sets", None) or {}).items():
        members = list(spec.get("variable_list", []))
        if not members or not all(v in variables for v in members):
            continue
        name = str(raw_name).lstrip("$")
        dichotomy = bool(spec.get("is_dichotomy")) or spec.get("type") in ("D", "E")
        counted = normalize_code(spec.get("counted_value")) if dichotomy else None
        kind = "dichotomy" if dichotomy else "category"
        mr_sets[name] = MRSet(name, spec.get("label") or None, kind, members, counted)
        for v in members:
            variables[v].group = variables[v].group or name
    return Codebook(
        variables, mr_sets, file_label=meta.file_label or None, encoding=meta.file_encoding or None
    )


def convert_dates(df: pd.DataFrame, specs: dict[str, DateSpec], where: str) -> dict[str, int]:
    """Stored numbers -> dates in ``df`` (in place); out-of-range ones NaT, counted and warned."""
    failed = {}
    for name, (kind, epoch, unit) in specs.items():
        if name not in df.columns or not pd.api.types.is_numeric_dtype(df[name]):
            continue
        raw = df[name].astype(float).to_numpy() * unit
        finite, start = np.isfinite(raw), np.datetime64(epoch, "s")
        lo, hi = ((np.datetime64(d, "s") - start) / np.timedelta64(1, "s") for d in _YEARS)
        ok = finite & ((np.abs(raw) < 9e9) if kind == "time" else (raw >= lo) & (raw <= hi))
        micro = np.round(np.where(ok, raw, 0.0) * 1e6).astype("int64").astype("timedelta64[us]")
        values = micro if kind == "time" else start.astype("datetime64[us]") + micro
        df[name] = pd.Series(np.where(ok, values, values.dtype.type("NaT")), index=df.index)
        bad = int((finite & ~ok).sum())
        if bad:
            failed[name] = bad
            warnings.warn(
                f"{where}: {bad} value(s) of {name!r} are out of the range of dates (years 1–9999) and were made missing; check them in the source file.",
                YouthmediaWarning,
                stacklevel=4,
            )
    return failed
