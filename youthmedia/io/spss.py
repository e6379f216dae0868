"""SPSS files (.sav, .zsav, .por) through pyreadstat, with everything their dictionary holds.

User-missing codes are read as codes (``user_missing=True``), so that :func:`load` can count
what each excluded; dates are converted by :func:`.readstat.convert_dates`, so one out-of-range
date cannot stop the load; the weight comes from the file header (:mod:`.savdict`), which is
checked before pyreadstat reads the file. A file whose rows take ≥ ``PROCESS_BYTES`` is read by
pyreadstat's ``read_file_multiprocessing`` where processes can be forked.

Examples
--------
>>> read_spss("data/youth_social_media_demo.sav", "sav").codebook.weight
'weight'
"""

from __future__ import annotations

import multiprocessing
import os
import struct
import sys
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
)
from .savdict import SavDictionary, check_readable, parse_dictionary

WHAT = {"sav": "SPSS file", "zsav": "compressed SPSS file", "por": "SPSS portable file"}
#: a file whose rows (all columns, 8 bytes a value) take at least this is read by processes
PROCESS_BYTES = 128 * 2**20
MAX_WORKERS = 4
#: the most a zlib stream can shrink its input (deflate's limit is about 1032:1)
_ZLIB_MAX_RATIO = 1032


def read_spss(
    path: str | Path,
    kind: str,
    *,
    columns: list[str] | None = None,
    encoding: str | None = None,
    **options: Any,
) -> RawRead:
    """Read an SPSS ``.sav``/``.zsav``/``.por`` file as codes plus codebook (only ``columns``
    from disk); ``encoding`` overrides a .sav/.zsav file's own."""
    import pyreadstat

    if options:
        raise ConfigError(
            f"{path}: unknown option(s) for SPSS files: {', '.join(options)}; SPSS files take columns=, encoding= and codebook=."
        )
    path, what, expected, weight = str(path), WHAT[kind], None, None
    enc = {"encoding": encoding} if encoding else {}
    if kind == "por":
        if encoding:
            raise ConfigError(f"{path}: encoding= is not supported for SPSS portable files.")
        func, extra = pyreadstat.read_por, {}
    else:
        func, extra = pyreadstat.read_sav, {"user_missing": True, **enc}
        dictionary = parse_dictionary(path)  # before pyreadstat, whose C reader trusts it
        check_readable(dictionary, encoding)
        expected = _check_case_count(path, dictionary)
        if dictionary.is_zsav:
            _check_zsav_index(path, dictionary)
        weight = dictionary.weight
    _, meta = call_pyreadstat(func, path, what, metadataonly=True, **{**extra, "usecols": None})
    known = list(meta.column_names)
    usecols = check_columns(path, columns, known) or known
    df = _data(func, path, what, meta, usecols, extra, expected, kind != "por" and not encoding)
    if expected is not None and 0 <= expected and len(df) < expected:
        raise DataError(
            f"{path}: the header promises {expected} cases but only {len(df)} could be read; the file is truncated — copy it again from its source."
        )
    used: dict[str, Any] = {"format": kind, **enc}
    codebook = codebook_from_meta(meta, [str(c) for c in df.columns], spss_type)
    if weight is not None and weight in codebook.variables:
        codebook.weight = weight
    elif weight is not None:
        used["weight_not_loaded"] = weight
    dates = {
        n: DateSpec(v.type)
        for n, v in codebook.variables.items()
        if v.type in ("date", "datetime", "time")
    }
    return RawRead(df, codebook, "spss", used, known, dates)


def _data(
    func: Any,
    path: str,
    what: str,
    meta: Any,
    usecols: list[str],
    extra: dict[str, Any],
    expected: int | None,
    fast_reader: bool,
) -> pd.DataFrame:
    """The columns' codes: those holding user-missing codes or dates from pyreadstat (codes
    kept, dates as numbers), the others from polars-readstat where it can (7x faster on the
    bench's file; the same dtypes and values as pyreadstat on every test file)."""
    import pyreadstat

    special = set(meta.missing_user_values or {}) | set(meta.missing_ranges or {})
    special |= {
        n
        for n, f in (meta.original_variable_types or {}).items()
        if spss_type(f) not in ("numeric", "string")
    }
    fast = _polars(path, [c for c in usecols if c not in special]) if fast_reader else None
    slow = [c for c in usecols if fast is None or c not in fast.columns]
    if not slow:
        return fast[usecols]
    kwargs = {"usecols": slow, "disable_datetime_conversion": True, **extra}
    workers = _n_workers(expected, len(meta.column_names)) if expected and expected > 0 else 1
    if workers > 1:
        multi = pyreadstat.read_file_multiprocessing
        read = lambda p, **k: multi(func, p, num_processes=workers, num_rows=expected, **k)  # noqa: E731
    else:
        read = func
    df, _ = call_pyreadstat(read, path, what, **kwargs)
    if fast is not None and len(fast) != len(df):  # another number of rows: pyreadstat decides
        df, _ = call_pyreadstat(read, path, what, **{**kwargs, "usecols": usecols})
    elif fast is not None:
        df = pd.concat([df, fast], axis=1)
    return df[usecols]


def _polars(path: str, columns: list[str]) -> pd.DataFrame | None:
    """``columns`` read by polars-readstat as pandas, or ``None`` (none asked, not installed,
    or it failed: pyreadstat then reads them and names what is wrong)."""
    if not columns:
        return None
    try:
        import polars_readstat

        return polars_readstat.read_readstat(path, columns=columns).to_pandas()
    except BaseException as exc:  # a Rust panic is a BaseException (pyo3's PanicException)
        if isinstance(exc, (KeyboardInterrupt, SystemExit)):
            raise
        return None


def _n_workers(expected: int, file_cols: int) -> int:
    """Processes to read with: several for ≥ ``PROCESS_BYTES`` of rows, where fork exists."""
    if (
        8 * expected * file_cols < PROCESS_BYTES
        or sys.platform in ("win32", "darwin")
        or "fork" not in multiprocessing.get_all_start_methods()
        or multiprocessing.current_process().daemon
    ):
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


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
