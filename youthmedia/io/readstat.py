"""What the pyreadstat-based readers share: calling pyreadstat safely, its metadata as a
Codebook, stored date numbers as dates.

Examples
--------
>>> from youthmedia.io.readstat import spss_type, stata_type
>>> spss_type("ADATE10"), spss_type("DATETIME20"), spss_type("F8.2"), spss_type("A40")
('date', 'datetime', 'numeric', 'string')
>>> stata_type("%td"), stata_type("%tc"), stata_type("%9.0g"), stata_type("%20s")
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

_SPSS_TYPES = {
    **dict.fromkeys("DATE ADATE EDATE JDATE SDATE QYR MOYR WKYR".split(), "date"),
    **dict.fromkeys(["DATETIME", "YMDHMS"], "datetime"),
    **dict.fromkeys(["TIME", "DTIME", "MTIME"], "time"),
    **dict.fromkeys(["A", "AHEX"], "string"),
}
_FAILURES = (UnicodeError, OverflowError, OSError, ValueError, KeyError, IndexError, MemoryError)


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
    word = re.match(r"[A-Za-z]*", fmt or "").group(0).upper()
    return _SPSS_TYPES.get(word, "numeric")


def call_pyreadstat(func: Callable, path: str, what: str, **kwargs: Any):
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


def check_columns(path: str, columns: list[str] | None, known: list[str]) -> list[str] | None:
    """``columns`` without repeats, or a :class:`ConfigError` naming the unknown ones."""
    if columns is None:
        return None
    columns = list(dict.fromkeys(str(c) for c in columns))
    unknown = [c for c in columns if c not in known]
    if unknown:
        from ..codebook import _preview

        raise ConfigError(
            f"{path}: no variable(s) {', '.join(map(repr, unknown))} in this file; known variables: {_preview(known, 40)}."
        )
    return columns


def _missing(spec: list[Any]) -> tuple[list[Any], list[tuple[Any, Any]]]:
    """pyreadstat's user-missing codes and ranges as (codes, ranges)."""
    pairs = [(i["lo"], i["hi"]) if isinstance(i, dict) else (i, i) for i in spec or []]
    pairs = [(normalize_code(lo), normalize_code(hi)) for lo, hi in pairs]
    return [lo for lo, hi in pairs if lo == hi], [(lo, hi) for lo, hi in pairs if lo != hi]


def codebook_from_meta(
    meta: Any, columns: list[str], type_of: Callable[[str | None], str]
) -> Codebook:
    """A :class:`Codebook` from a pyreadstat metadata object, for ``columns``."""
    formats, rtypes = meta.original_variable_types or {}, meta.readstat_variable_types or {}
    vlabels, measures = meta.variable_value_labels or {}, meta.variable_measure or {}
    missing = {**(meta.missing_user_values or {}), **(meta.missing_ranges or {})}
    variables = {}
    for name in columns:
        fmt, rtype = formats.get(name), rtypes.get(name)
        vtype = "string" if rtype == "string" else type_of(fmt)
        vtype = "numeric" if vtype == "string" and rtype not in (None, "string") else vtype
        label = (meta.column_names_to_labels or {}).get(name) or None
        measure = measures.get(name, "unknown")
        measure = measure if measure in ("nominal", "ordinal", "scale") else "unknown"
        labels = {normalize_code(k): str(v) for k, v in (vlabels.get(name) or {}).items()}
        var = variables[name] = Variable(name, label, vtype, measure, labels, format=fmt)
        var.missing_values, var.missing_ranges = _missing(missing.get(name, []))
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
    """Stored numbers -> ``datetime64``/``timedelta64`` in ``df`` (in place); values outside the
    years 1–9999 become NaT with one warning per variable. Returns ``{name: n_unconverted}``."""
    failed = {}
    for name, spec in specs.items():
        if name not in df.columns or not pd.api.types.is_numeric_dtype(df[name]):
            continue
        raw = df[name].astype(float).to_numpy() * spec.unit
        finite = np.isfinite(raw)
        if spec.kind == "time":
            ok = finite & (np.abs(raw) < 9e9)
            df[name] = pd.to_timedelta(np.round(np.where(ok, raw, np.nan) * 1e6), unit="us").astype(
                "timedelta64[us]"
            )
        else:
            epoch = np.datetime64(spec.epoch, "s")
            lo, hi = (
                (np.datetime64(d, "s") - epoch) / np.timedelta64(1, "s")
                for d in ("0001-01-01", "9999-12-31T23:59:59")
            )
            ok = finite & (raw >= lo) & (raw <= hi)
            micro = np.round(np.where(ok, raw, 0.0) * 1e6).astype("int64").astype("timedelta64[us]")
            values = np.where(
                ok, epoch.astype("datetime64[us]") + micro, np.datetime64("NaT", "us")
            )
            df[name] = pd.Series(values, index=df.index, dtype="datetime64[us]")
        bad = int((finite & ~ok).sum())
        if bad:
            failed[name] = bad
            warnings.warn(
                f"{where}: {bad} value(s) of {name!r} are out of the range of dates (years 1–9999) and were made missing; check them in the source file.",
                YouthmediaWarning,
                stacklevel=4,
            )
    return failed


def stata_type(fmt: str | None) -> str:
    """Storage type from a Stata display format."""
    f = (fmt or "").lower().lstrip("%-")
    if f.startswith(("td", "d")) and not f[:2].isdigit():
        return "date"
    return "datetime" if f.startswith("tc") else "string" if f.endswith("s") else "numeric"
