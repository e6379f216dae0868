"""SPSS files (.sav, .zsav, .por) through pyreadstat, with everything their dictionary holds.

User-missing codes are read as codes (``user_missing=True``) so that :func:`youthmedia.io.load`
can count what each code excluded before making them missing. Dates are converted here rather
than by pyreadstat, so that one out-of-range date cannot stop the load. The weight variable,
which pyreadstat does not expose, comes from the file header (:mod:`.savdict`).

Examples
--------
>>> from youthmedia.io.spss import read_spss
>>> raw = read_spss("data/youth_social_media_demo.sav", "sav")          # doctest: +SKIP
>>> raw.codebook.weight                                                  # doctest: +SKIP
'weight'
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

from ..errors import ConfigError, DataError
from .readstat import (
    DateSpec,
    RawRead,
    call_pyreadstat,
    check_columns,
    codebook_from_meta,
    spss_type,
)
from .savdict import parse_dictionary

__all__ = ["read_spss"]

WHAT = {"sav": "SPSS file", "zsav": "compressed SPSS file", "por": "SPSS portable file"}


def read_spss(path: str | Path, kind: str, *, columns: list[str] | None = None,
              encoding: str | None = None, **options: Any) -> RawRead:
    """Read an SPSS ``.sav``/``.zsav``/``.por`` file as codes plus codebook.

    Parameters
    ----------
    path : str or Path
    kind : {"sav", "zsav", "por"}
    columns : list of str, optional
        Read only these variables from disk.
    encoding : str, optional
        Override the file's own character encoding (``"cp1252"``, ...); .sav/.zsav only.

    Returns
    -------
    RawRead
    """
    import pyreadstat

    if options:
        raise ConfigError(f"{path}: unknown option(s) for SPSS files: {', '.join(options)}; "
                          "SPSS files take columns=, encoding= and codebook=.")
    path = str(path)
    what = WHAT[kind]
    if kind == "por":
        if encoding:
            raise ConfigError(f"{path}: encoding= is not supported for SPSS portable files.")
        func, extra = pyreadstat.read_por, {}
    else:
        func, extra = pyreadstat.read_sav, {"user_missing": True}
        if encoding:
            extra["encoding"] = encoding
    _, meta0 = call_pyreadstat(func, path, what, metadataonly=True,
                               **{k: v for k, v in extra.items() if k == "encoding"})
    known = list(meta0.column_names)
    usecols = check_columns(path, columns, known)
    df, meta = call_pyreadstat(func, path, what, usecols=usecols,
                               disable_datetime_conversion=True, **extra)
    names = [str(c) for c in df.columns]
    options_used: dict[str, Any] = {"format": kind}
    if encoding:
        options_used["encoding"] = encoding
    declared_weight = None
    if kind != "por":
        dictionary = parse_dictionary(path)
        expected = _ncases(path, dictionary.endian)
        if expected >= 0 and len(df) < expected:
            raise DataError(
                f"{path}: the header promises {expected} cases but only {len(df)} could be read; "
                "the file is truncated — copy it again from its source."
            )
        declared_weight = dictionary.weight
    codebook = codebook_from_meta(meta, names, spss_type)
    if declared_weight is not None:
        if declared_weight in codebook.variables:
            codebook.weight = declared_weight
        else:
            options_used["weight_not_loaded"] = declared_weight
    dates = {n: DateSpec(v.type) for n, v in codebook.variables.items()
             if v.type in ("date", "datetime", "time")}
    reader = "spss"
    return RawRead(df, codebook, reader, options_used, known, dates)


def _ncases(path: str, endian: str) -> int:
    with open(path, "rb") as fh:
        fh.seek(80)
        raw = fh.read(4)
    return struct.unpack(f"{endian}i", raw)[0] if len(raw) == 4 else -1
