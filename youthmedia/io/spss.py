"""SPSS files (.sav, .zsav, .por) through pyreadstat, with everything their dictionary holds.

User-missing codes are read as codes (``user_missing=True``) so that :func:`youthmedia.io.load`
can count what each code excluded before making them missing. A large file is read with
pyreadstat's own ``read_file_in_chunks`` (each chunk by several processes through its
``read_file_multiprocessing`` when the file is large and processes can be forked), the chunks
copied into one array per column as they come: pyreadstat's single frame would need twice the
data's memory; in chunks the whole load needs about 1.25 times it. Dates are converted here rather
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

import functools
import multiprocessing
import os
import struct
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
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

__all__ = ["read_spss"]

WHAT = {"sav": "SPSS file", "zsav": "compressed SPSS file", "por": "SPSS portable file"}

#: a file whose data (8 bytes a value) take more than this is read in row chunks
CHUNK_BYTES = 16 * 2**20
#: at most this many chunks: each chunk's reader skips the rows before it, which costs a
#: decompression pass in a .zsav (fewer chunks there) and little elsewhere
MAX_CHUNKS = {"sav": 8, "zsav": 4}
#: a file whose rows (all columns, 8 bytes a value) take at least this is read by several
#: processes (pyreadstat's read_file_multiprocessing), where the system can fork them
PROCESS_BYTES = 128 * 2**20
MAX_WORKERS = 4


def read_spss(
    path: str | Path,
    kind: str,
    *,
    columns: list[str] | None = None,
    encoding: str | None = None,
    **options: Any,
) -> RawRead:
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
        raise ConfigError(
            f"{path}: unknown option(s) for SPSS files: {', '.join(options)}; "
            "SPSS files take columns=, encoding= and codebook=."
        )
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
    dictionary, expected = _checked_dictionary(path, encoding) if kind != "por" else (None, None)
    _, meta0 = call_pyreadstat(
        func, path, what, metadataonly=True, **{k: v for k, v in extra.items() if k == "encoding"}
    )
    known = list(meta0.column_names)
    usecols = check_columns(path, columns, known)
    chunks = _n_chunks(kind, expected, len(usecols) if usecols is not None else len(known))
    workers = _n_workers(expected, len(known)) if kind in MAX_CHUNKS and expected else 1
    if chunks > 1 or workers > 1:
        df, meta = _read_in_chunks(func, path, what, usecols, extra, expected, chunks, workers)
    else:
        df, meta = call_pyreadstat(
            func, path, what, usecols=usecols, disable_datetime_conversion=True, **extra
        )
    if expected is not None and 0 <= expected and len(df) < expected:
        raise DataError(
            f"{path}: the header promises {expected} cases but only {len(df)} could be read; "
            "the file is truncated — copy it again from its source."
        )
    used: dict[str, Any] = {"format": kind, **({"encoding": encoding} if encoding else {})}
    codebook = codebook_from_meta(meta, [str(c) for c in df.columns], spss_type)
    weight = dictionary.weight if dictionary is not None else None
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


def _checked_dictionary(path: str, encoding: str | None) -> tuple[SavDictionary, int]:
    """The dictionary and case count of a .sav/.zsav, checked before pyreadstat sees the file:
    its C reader trusts the dictionary (a damaged width reads past its buffers) and allocates
    the header's case count up front (10⁹ cases in a 300 kB file would exhaust the memory)."""
    dictionary = parse_dictionary(path)
    check_readable(dictionary, encoding)
    expected = _ncases(path, dictionary.endian)
    _check_case_count(path, dictionary, expected)
    if dictionary.is_zsav:
        _check_zsav_index(path, dictionary)
    return dictionary, expected


def _n_chunks(kind: str, expected: int | None, ncols: int) -> int:
    """How many row chunks to read a file in (1: at once)."""
    if kind not in MAX_CHUNKS or not expected or expected <= 1:
        return 1  # .por, or no case count in the header
    size = 8 * expected * max(ncols, 1)
    return int(min(MAX_CHUNKS[kind], max(1, -(-size // CHUNK_BYTES)), expected))


def _n_workers(expected: int, file_cols: int) -> int:
    """How many processes read the file (1: this one): several when its rows — all of which
    every reader decodes, whichever columns it keeps — take at least ``PROCESS_BYTES``, and
    worker processes can be forked (not on Windows or macOS, not from a daemonic process)."""
    if 8 * expected * file_cols < PROCESS_BYTES:
        return 1
    if (
        sys.platform in ("win32", "darwin")
        or "fork" not in multiprocessing.get_all_start_methods()
        or multiprocessing.current_process().daemon
    ):
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def _parts(
    func: Callable,
    path: str,
    what: str,
    kwargs: dict[str, Any],
    expected: int,
    step: int,
    workers: int,
) -> Iterator[tuple[pd.DataFrame, Any]]:
    """The row chunks of ``step`` rows, from pyreadstat's ``read_file_in_chunks`` (each chunk
    split over ``workers`` processes by its ``read_file_multiprocessing``); a failure becomes
    the one-line DataError of :func:`call_pyreadstat`."""
    import pyreadstat

    if "encoding" in kwargs:  # its own dictionary read must decode the file too
        kwargs = dict(kwargs)
        func = functools.partial(func, encoding=kwargs.pop("encoding"))
    chunks = pyreadstat.read_file_in_chunks(
        func,
        path,
        chunksize=step,
        limit=expected,
        multiprocess=workers > 1,
        num_processes=workers,
        num_rows=expected,
        **kwargs,
    )
    while True:
        part = call_pyreadstat(lambda _path: next(chunks, None), path, what)
        if part is None:
            return
        yield part


def _read_in_chunks(
    func: Callable,
    path: str,
    what: str,
    usecols: list[str] | None,
    extra: dict[str, Any],
    expected: int,
    chunks: int,
    workers: int = 1,
) -> tuple[pd.DataFrame, Any]:
    """Read ``expected`` rows in ``chunks`` parts into one array per column.

    Returns a frame with one block per column (``copy=False``, never consolidated) and the
    metadata of the first chunk: the load needs about the data's memory plus one chunk
    (pyreadstat's own concatenation would need twice the data). Fewer rows than promised end
    the reading early; the caller reports the truncation.
    """
    step = -(-expected // chunks)
    columns: dict[str, np.ndarray] = {}
    meta = None
    filled = 0
    kwargs = {"usecols": usecols, "disable_datetime_conversion": True, **extra}
    for part, part_meta in _parts(func, path, what, kwargs, expected, step, workers):
        values = None
        if meta is None:
            meta = part_meta
            for name in part.columns:
                columns[str(name)] = np.empty(
                    expected, dtype=part[name].dtype if part[name].dtype.kind in "biuf" else object
                )
        rows = min(len(part), expected - filled)
        for name in part.columns:
            target = columns[str(name)]
            values = part[name].to_numpy()[:rows]
            if (
                values.dtype != target.dtype
                and values.dtype.kind in "biuf"
                and target.dtype.kind in "biuf"
            ):
                kind = np.result_type(values.dtype, target.dtype)
                if kind != target.dtype:
                    target = columns[str(name)] = target.astype(kind)
            elif values.dtype != target.dtype and target.dtype != object:
                target = columns[str(name)] = target.astype(object)
            target[filled : filled + rows] = values
        filled += rows
        del part, part_meta, values  # (a view into the chunk) before the next chunk is read
        if rows < step:
            break  # the file ends early (truncated), or it is all read
    if filled < expected:
        columns = {name: arr[:filled].copy() for name, arr in columns.items()}
    return pd.DataFrame(columns, copy=False), meta


#: the most a zlib stream can shrink its input (deflate's limit is about 1032:1)
_ZLIB_MAX_RATIO = 1032


def _check_case_count(path: str, dictionary: SavDictionary, expected: int) -> None:
    """Refuse a header whose case count the file's size cannot hold.

    Each case takes ``8 × segments`` bytes uncompressed, at least one command byte per
    8-byte segment with bytecode compression, and at least that divided by zlib's largest
    ratio in a .zsav file.
    """
    if expected <= 0:
        return  # -1: unknown, pyreadstat counts the cases itself
    segments = max(len(dictionary.records), 1)
    data_bytes = max(Path(path).stat().st_size - (dictionary.termination_offset + 8), 0)
    per_case = {0: 8.0 * segments, 1: float(segments)}.get(
        dictionary.compression, segments / _ZLIB_MAX_RATIO
    )
    most = int(data_bytes / per_case)
    if expected > most:
        raise DataError(
            f"{path}: the header promises {expected:,} cases, but the {data_bytes:,} bytes of "
            f"data after the dictionary can hold at most {most:,}; the file is truncated or its "
            "header damaged — copy it again from its source, or open it in SPSS and save it again."
        )


def _check_zsav_index(path: str, d: SavDictionary) -> None:
    """Check the block index of a .zsav file (PSPP's zheader and ztrailer) against the file.

    pyreadstat takes the block sizes from it as they are; a damaged size makes it try to
    allocate gigabytes ("Unable to allocate memory") or read past the file.
    """
    size = Path(path).stat().st_size
    at = d.termination_offset + 8

    def damaged(what: str) -> DataError:
        return DataError(
            f"{path}: the block index of this compressed SPSS file is damaged "
            f"({what}); the file is truncated or corrupt — copy it again from its "
            "source, or open it in SPSS and save it again."
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


def _ncases(path: str, endian: str) -> int:
    with open(path, "rb") as fh:
        fh.seek(80)
        raw = fh.read(4)
    return struct.unpack(f"{endian}i", raw)[0] if len(raw) == 4 else -1
