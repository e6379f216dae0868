"""Write SPSS ``.sav``/``.zsav`` files with multiple-response sets and a weight.

pyreadstat writes data, variable and value labels, missing ranges and measurement levels, but
neither SPSS multiple-response sets nor the file's weight variable (``WEIGHT BY``).
:func:`write_sav` writes with pyreadstat to a temporary file, then adds both the way SPSS
stores them — an extension record (type 7, subtype 7) just before the dictionary-termination
record, and the ``weight_index`` in the file header — and finally renames the file into place,
so a reader never sees a half-written file.

Examples
--------
>>> import pandas as pd
>>> from youthmedia.codebook import MRSet
>>> from youthmedia.io.spss_write import write_sav
>>> df = pd.DataFrame({"use_wa": [1.0, 0.0], "use_ig": [1.0, 1.0], "w": [0.5, 1.5]})
>>> import tempfile, pathlib
>>> path = write_sav(df, pathlib.Path(tempfile.mkdtemp()) / "example.sav", weight="w",
...                  mr_sets={"platforms": MRSet("platforms", "Platforms used", "dichotomy",
...                                              ["use_wa", "use_ig"], 1)})
>>> import pyreadstat
>>> sorted(pyreadstat.read_sav(path)[1].mr_sets)
['platforms']
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..codebook import MRSet
from ..errors import ConfigError, DataError
from ..files import atomic_path
from .savdict import WEIGHT_INDEX_OFFSET, SavDictionary, parse_dictionary

__all__ = ["mrset_record_text", "write_sav"]


def write_sav(
    df: pd.DataFrame,
    path: str | Path,
    *,
    mr_sets: Mapping[str, MRSet] | None = None,
    weight: str | None = None,
    **pyreadstat_write_sav_kwargs: Any,
) -> Path:
    """Write ``df`` as an SPSS system file, with multiple-response sets and a weight.

    Parameters
    ----------
    df : pandas.DataFrame
        The data (numeric codes, strings, dates) as :func:`pyreadstat.write_sav` accepts it.
    path : str or Path
        Target ``.sav`` (or ``.zsav`` with ``compress=True``); written atomically.
    mr_sets : dict of str to MRSet, optional
        Multiple-response sets (name without ``$``). Dichotomy sets count ``counted_value``;
        category sets hold the chosen categories.
    weight : str, optional
        A numeric column to declare as the file's weight (SPSS ``WEIGHT BY``).
    **pyreadstat_write_sav_kwargs
        Passed on to :func:`pyreadstat.write_sav` (``column_labels``,
        ``variable_value_labels``, ``missing_ranges``, ``variable_measure``, ``file_label``,
        ``compress``, ...).

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ConfigError
        When a set member or the weight is not a column of ``df`` or the weight is not numeric.

    Examples
    --------
    >>> import pandas as pd
    >>> write_sav(pd.DataFrame({"x": [1.0, 2.0]}), "/tmp/x.sav")       # doctest: +ELLIPSIS
    PosixPath('/tmp/x.sav')
    """
    import pyreadstat

    path = Path(path)
    mr_sets = dict(mr_sets or {})
    columns = [str(c) for c in df.columns]
    for set_name, mrset in mr_sets.items():
        unknown = [v for v in mrset.variables if v not in columns]
        if unknown or not mrset.variables:
            raise ConfigError(
                f"Multiple-response set {set_name!r} names columns that are not in the data: "
                f"{', '.join(unknown) or '(none given)'}; give existing column names."
            )
        if mrset.kind not in ("dichotomy", "category"):
            raise ConfigError(
                f"Multiple-response set {set_name!r} has kind {mrset.kind!r}; "
                "use 'dichotomy' or 'category'."
            )
    if weight is not None:
        if weight not in columns:
            raise ConfigError(
                f"The weight {weight!r} is not a column of the data; "
                f"columns: {', '.join(columns[:12])}."
            )
        if not pd.api.types.is_numeric_dtype(df[weight]):
            raise ConfigError(f"The weight {weight!r} must be numeric, not {df[weight].dtype}.")

    with atomic_path(path, data=True) as tmp:
        try:
            pyreadstat.write_sav(df, str(tmp), **pyreadstat_write_sav_kwargs)
        except (pyreadstat.PyreadstatError, pyreadstat.ReadstatError) as exc:
            raise DataError(
                f"{path}: pyreadstat could not write the data as SPSS: {exc}; "
                "check the column types and labels given."
            ) from None
        if mr_sets or weight is not None:
            _patch(tmp, mr_sets, weight)
    return path


def mrset_record_text(mr_sets: Mapping[str, MRSet], short_names: Mapping[str, bytes]) -> bytes:
    """The body of an SPSS multiple-response-set record (type 7, subtype 7).

    One line per set: ``$name=D<len> <counted> <labellen> <label> var1 var2`` for dichotomy
    sets, ``$name=C <labellen> <label> var1 var2`` for category sets. Members are written by
    their short (8-byte) names, as SPSS does; readers map them back to the long names.
    """
    lines = []
    for name, mrset in mr_sets.items():
        set_name = str(name).lstrip("$")
        label = " ".join((mrset.label or "").split()).encode("utf-8")
        if mrset.kind == "dichotomy":
            counted = str(_counted(mrset.counted_value)).encode("utf-8")
            kind = b"D" + str(len(counted)).encode() + b" " + counted
        else:
            kind = b"C"
        members = b" ".join(short_names[v].lower() for v in mrset.variables)
        lines.append(
            b"$"
            + set_name.encode("utf-8")
            + b"="
            + kind
            + b" "
            + str(len(label)).encode()
            + b" "
            + label
            + b" "
            + members
            + b"\n"
        )
    return b"".join(lines)


def _counted(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _patch(tmp: Path, mr_sets: Mapping[str, MRSet], weight: str | None) -> None:
    d = parse_dictionary(tmp)
    short_of = {d.name_of(r): r.raw_name for r in d.records if r.width >= 0}
    raw = bytearray(tmp.read_bytes())
    if weight is not None:
        index = next(i for i, _s, long in d.variables() if long == weight)
        raw[WEIGHT_INDEX_OFFSET : WEIGHT_INDEX_OFFSET + 4] = struct.pack(f"{d.endian}i", index)
    if mr_sets:
        body = mrset_record_text(mr_sets, short_of)
        record = struct.pack(f"{d.endian}4i", 7, 7, 1, len(body)) + body
        at = d.termination_offset
        raw[at:at] = record
        _shift_zsav(raw, d, at, len(record))
    tmp.write_bytes(bytes(raw))


def _shift_zsav(raw: bytearray, d: SavDictionary, at: int, delta: int) -> None:
    """Move the absolute offsets of a .zsav's zlib header and trailer by ``delta`` bytes.

    A .zsav stores, right after the dictionary, a 24-byte zlib header with the file offsets of
    itself and of the trailer; the trailer lists each compressed block's offsets.
    """
    if not d.is_zsav:
        return
    e = d.endian
    zh = d.termination_offset + 8 + (delta if d.termination_offset >= at else 0)
    zheader_ofs, ztrailer_ofs, ztrailer_len = struct.unpack(f"{e}3q", raw[zh : zh + 24])
    if zheader_ofs + delta != zh:
        raise DataError(f"{d.path}: unexpected zlib header in the .zsav written by pyreadstat.")
    ztrailer_ofs += delta
    raw[zh : zh + 24] = struct.pack(f"{e}3q", zheader_ofs + delta, ztrailer_ofs, ztrailer_len)
    n_blocks = struct.unpack(f"{e}i", raw[ztrailer_ofs + 20 : ztrailer_ofs + 24])[0]
    for k in range(n_blocks):
        pos = ztrailer_ofs + 24 + 24 * k
        u_ofs, c_ofs = struct.unpack(f"{e}2q", raw[pos : pos + 16])
        raw[pos : pos + 16] = struct.pack(f"{e}2q", u_ofs + delta, c_ofs + delta)
