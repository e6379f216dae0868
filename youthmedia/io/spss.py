"""SPSS (.sav, .zsav, .por) and Stata (.dta) files through pyreadstat and polars-readstat, with
everything their dictionary holds.

User-missing codes are read as codes, so that :func:`load` can count what each excluded; dates
are converted by :func:`.readstat.convert_dates`, so one out-of-range date cannot stop the load;
the SPSS weight comes from the file header (:mod:`.savdict`), checked before a reader opens it.

>>> read_spss("data/youth_social_media_demo.sav", "sav").codebook.weight
'weight'
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ConfigError, DataError
from .readstat import (
    DateSpec,
    RawRead,
    call_pyreadstat,
    check_columns,
    codebook_from_meta,
    spss_type,
    stata_type,
)
from .savdict import SavDictionary, check_readable, parse_dictionary

WHAT = {"sav": "SPSS file", "zsav": "compressed SPSS file", "por": "SPSS portable file"}
WHAT["dta"] = "Stata file"
_ZLIB_MAX_RATIO = 1032  # the most a zlib stream can shrink its input (deflate: about 1032:1)
_STATA_DATES = {"date": DateSpec("date", "1960-01-01", 86400.0)}
_STATA_DATES["datetime"] = DateSpec("datetime", "1960-01-01", 0.001)


def read_spss(
    path: str | Path,
    kind: str,
    *,
    columns: list[str] | None = None,
    encoding: str | None = None,
    **options: Any,
) -> RawRead:
    """Read an SPSS or Stata file (``kind``: sav, zsav, por, dta) as codes plus codebook (only
    ``columns`` from disk); ``encoding`` overrides the file's own."""
    import pyreadstat

    path, what, expected, weight = str(path), WHAT[kind], None, None
    if options:
        raise ConfigError(
            f"{path}: unknown option(s) for a {what}: {', '.join(options)}; it takes columns=, encoding= and codebook=."
        )
    if kind == "por" and encoding:
        raise ConfigError(f"{path}: encoding= is not supported for SPSS portable files.")
    enc = {"encoding": encoding} if encoding else {}
    func = {"por": pyreadstat.read_por, "dta": pyreadstat.read_dta}.get(kind, pyreadstat.read_sav)
    extra = {"user_missing": True, **enc} if kind in ("sav", "zsav") else enc
    if kind in ("sav", "zsav"):
        dictionary = parse_dictionary(path)  # before pyreadstat, whose C reader trusts it
        check_readable(dictionary, encoding)
        expected = _check_case_count(path, dictionary)
        if dictionary.is_zsav:
            _check_zsav_index(path, dictionary)
        weight = dictionary.weight
    _, meta = call_pyreadstat(func, path, what, metadataonly=True, **extra)
    known = list(meta.column_names)
    usecols = check_columns(path, columns, known) or known
    df = _data(func, path, what, meta, usecols, extra, kind in ("sav", "zsav") and not encoding)
    if expected is not None and 0 <= expected and len(df) < expected:
        raise DataError(
            f"{path}: the header promises {expected} cases but only {len(df)} could be read; the file is truncated — copy it again from its source."
        )
    used: dict[str, Any] = {"format": kind, **enc}
    type_of = stata_type if kind == "dta" else spss_type
    codebook = codebook_from_meta(meta, [str(c) for c in df.columns], type_of)
    if weight is not None and weight in codebook.variables:
        codebook.weight = weight
    elif weight is not None:
        used["weight_not_loaded"] = weight
    dates = {n: v.type for n, v in codebook.variables.items()}
    if kind == "dta":
        dates = {n: _STATA_DATES[t] for n, t in dates.items() if t in _STATA_DATES}
    else:
        dates = {n: DateSpec(t) for n, t in dates.items() if t in ("date", "datetime", "time")}
    return RawRead(df, codebook, "stata" if kind == "dta" else "spss", used, known, dates)


def _data(
    func: Any, path: str, what: str, meta: Any, usecols: list[str], extra: dict, fast: bool
) -> pd.DataFrame:
    """The columns' codes (user-missing codes kept): from polars-readstat where it can (several
    times faster; the same values as pyreadstat on every test file), dates and text with
    missing codes from pyreadstat (dates as numbers)."""
    coded = set(meta.missing_user_values or {}) | set(meta.missing_ranges or {})
    kinds = {n: spss_type(f) for n, f in (meta.original_variable_types or {}).items()}
    slow = {n for n, k in kinds.items() if k != "numeric" and (k != "string" or n in coded)}
    quick = _polars(path, [c for c in usecols if c not in slow], coded) if fast else None
    slow = [c for c in usecols if quick is None or c not in quick.columns]
    if not slow:
        return quick[usecols]
    kwargs = {"usecols": slow, "disable_datetime_conversion": True, **extra}
    df, _ = call_pyreadstat(func, path, what, **kwargs)
    if quick is not None and len(quick) != len(df):  # another number of rows: pyreadstat decides
        df, _ = call_pyreadstat(func, path, what, **{**kwargs, "usecols": usecols})
    elif quick is not None:
        df = pd.concat([df, quick], axis=1)
    return df[usecols]


def _polars(path: str, columns: list[str], coded: set[str]) -> pd.DataFrame | None:
    """``columns`` read by polars-readstat, user-missing codes put back from its indicators;
    ``None`` when none are asked, it is not installed or it fails (pyreadstat then reads)."""
    if not columns:
        return None
    try:
        import polars as pl
        import polars_readstat as prs

        coded = [c for c in columns if c in coded]
        nulls = prs.InformativeNullOpts(coded, "struct", use_value_labels=False) if coded else None
        df = prs.read_readstat(path, columns=columns, informative_nulls=nulls)
        return df.with_columns(
            pl.coalesce(pl.col(c).struct[0], pl.col(c).struct[1].cast(pl.Float64)).alias(c)
            for c in coded
        ).to_pandas()
    except BaseException as exc:  # a Rust panic is a BaseException (pyo3's PanicException)
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return None


def _check_case_count(path: str, dictionary: SavDictionary) -> int:
    """The header's case count, refused when the file's size cannot hold it (pyreadstat
    allocates it up front): each case takes ``8 × segments`` bytes uncompressed, at least one
    command byte per segment compressed, and that over zlib's largest ratio in a .zsav."""
    with open(path, "rb") as fh:
        fh.seek(80)
        raw = fh.read(4)
    expected = struct.unpack(f"{dictionary.endian}i", raw)[0] if len(raw) == 4 else -1
    if expected <= 0:
        return expected  # -1: unknown, pyreadstat counts the cases itself
    segments = max(len(dictionary.records), 1)
    data_bytes = max(Path(path).stat().st_size - (dictionary.termination_offset + 8), 0)
    per_case = {0: 8.0 * segments, 1: float(segments)}.get(
        dictionary.compression, segments / _ZLIB_MAX_RATIO
    )
    most = int(data_bytes / per_case)
    if expected > most:
        raise DataError(
            f"{path}: the header promises {expected:,} cases, but the {data_bytes:,} bytes of data after the dictionary can hold at most {most:,}; the file is truncated or its header damaged — copy it again from its source, or open it in SPSS and save it again."
        )
    return expected


def _check_zsav_index(path: str, d: SavDictionary) -> None:
    """The block index of a .zsav (zheader and ztrailer) checked against the file: pyreadstat
    takes its sizes as they are (a damaged one allocates gigabytes or reads past the file)."""
    size, at = Path(path).stat().st_size, d.termination_offset + 8

    def damaged(what: str) -> DataError:
        return DataError(
            f"{path}: the block index of this compressed SPSS file is damaged ({what}); the file is truncated or corrupt — copy it again from its source, or open it in SPSS and save it again."
        )

    with open(path, "rb") as fh:
        fh.seek(at)
        head = fh.read(24)
        if len(head) < 24:
            raise damaged("it ends before its compressed data")
        zheader_ofs, ztrailer_ofs, ztrailer_len = struct.unpack(f"{d.endian}3q", head)
        if (
            zheader_ofs != at
            or not at + 24 <= ztrailer_ofs <= size - ztrailer_len
            or ztrailer_len < 24
            or (ztrailer_len - 24) % 24
        ):
            raise damaged("its header points outside the file")
        fh.seek(ztrailer_ofs)
        trailer = fh.read(ztrailer_len)
    _bias, _zero, block_size, n_blocks = struct.unpack(f"{d.endian}2q2i", trailer[:24])
    if n_blocks != (ztrailer_len - 24) // 24 or block_size <= 0:
        raise damaged(f"{n_blocks} blocks listed in {ztrailer_len} bytes")
    for i in range(n_blocks):
        _uofs, cofs, usize, csize = struct.unpack_from(f"{d.endian}2q2i", trailer, 24 + 24 * i)
        if not (
            0 < usize <= block_size
            and 0 < csize
            and at + 24 <= cofs
            and cofs + csize <= ztrailer_ofs
        ):
            raise damaged(f"block {i + 1} of {n_blocks} has impossible sizes")
