"""Stata ``.dta`` files through pyreadstat: variable and value labels, dates, file label.

Stata's extended missing values (``.a`` … ``.z``) are read as missing.

Examples
--------
>>> from youthmedia.io.stata import stata_type
>>> stata_type("%td"), stata_type("%tc"), stata_type("%9.0g"), stata_type("%20s")
('date', 'datetime', 'numeric', 'string')
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .readstat import DateSpec, RawRead, call_pyreadstat, check_columns, codebook_from_meta

__all__ = ["read_stata", "stata_type"]

_SPECS = {
    "date": DateSpec("date", "1960-01-01", 86400.0),
    "datetime": DateSpec("datetime", "1960-01-01", 0.001),
}


def stata_type(fmt: str | None) -> str:
    """Storage type from a Stata display format."""
    f = (fmt or "").lower().lstrip("%-")
    if f.startswith(("td", "d")) and not f[:2].isdigit():
        return "date"
    if f.startswith(("tc",)):
        return "datetime"
    if f.endswith("s"):
        return "string"
    return "numeric"


def read_stata(
    path: str | Path,
    *,
    columns: list[str] | None = None,
    encoding: str | None = None,
    **options: Any,
) -> RawRead:
    """Read a Stata ``.dta`` file as codes plus codebook.

    Parameters
    ----------
    path : str or Path
    columns : list of str, optional
        Read only these variables from disk.
    encoding : str, optional
        For old (pre-Stata 14) files not in the default encoding.
    """
    import pyreadstat

    if options:
        raise ConfigError(
            f"{path}: unknown option(s) for Stata files: {', '.join(options)}; "
            "Stata files take columns=, encoding= and codebook=."
        )
    path = str(path)
    extra = {"encoding": encoding} if encoding else {}
    _, meta0 = call_pyreadstat(pyreadstat.read_dta, path, "Stata file", metadataonly=True, **extra)
    known = list(meta0.column_names)
    usecols = check_columns(path, columns, known)
    df, meta = call_pyreadstat(
        pyreadstat.read_dta,
        path,
        "Stata file",
        usecols=usecols,
        disable_datetime_conversion=True,
        **extra,
    )
    names = [str(c) for c in df.columns]
    codebook = codebook_from_meta(meta, names, stata_type)
    dates = {n: _SPECS[v.type] for n, v in codebook.variables.items() if v.type in _SPECS}
    options_used: dict[str, Any] = {"format": "dta"}
    if encoding:
        options_used["encoding"] = encoding
    return RawRead(df, codebook, "stata", options_used, known, dates)
