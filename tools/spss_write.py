"""Write SPSS ``.sav``/``.zsav`` files with multiple-response sets and a weight, for the demo
data (``make_demo_data.py``) and the tests' files (``load_tool("spss_write")``): pyreadstat
writes the rest; both are added as SPSS stores them (an extension record, type 7 subtype 7,
before the dictionary-termination record; the header's ``weight_index``). Not part of the
package: youthmedia reads survey files, it does not write SPSS files.
"""

from __future__ import annotations

import struct
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from youthmedia.codebook import MRSet
from youthmedia.errors import ConfigError, DataError
from youthmedia.files import atomic_path
from youthmedia.io.labels import normalize_code
from youthmedia.io.savdict import WEIGHT_INDEX_OFFSET, SavDictionary, parse_dictionary


def write_sav(
    df: pd.DataFrame,
    path: str | Path,
    *,
    mr_sets: Mapping[str, MRSet] | None = None,
    weight: str | None = None,
    **pyreadstat_write_sav_kwargs: Any,
) -> Path:
    """Write ``df`` atomically as an SPSS file with multiple-response sets and a weight; other
    keywords go to :func:`pyreadstat.write_sav`."""
    import pyreadstat

    path, mr_sets, columns = Path(path), dict(mr_sets or {}), [str(c) for c in df.columns]
    for set_name, mrset in mr_sets.items():
        unknown = [v for v in mrset.variables if v not in columns]
        if unknown or not mrset.variables:
            raise ConfigError(
                f"Multiple-response set {set_name!r} names columns that are not in the data: {', '.join(unknown) or '(none given)'}; give existing column names."
            )
        if mrset.kind not in ("dichotomy", "category"):
            raise ConfigError(
                f"Multiple-response set {set_name!r} has kind {mrset.kind!r}; use 'dichotomy' or 'category'."
            )
    if weight is not None and weight not in columns:
        raise ConfigError(
            f"The weight {weight!r} is not a column of the data; columns: {', '.join(columns[:12])}."
        )
    if weight is not None and not pd.api.types.is_numeric_dtype(df[weight]):
        raise ConfigError(f"The weight {weight!r} must be numeric, not {df[weight].dtype}.")
    with atomic_path(path, survey_data=True) as tmp:
        try:
            pyreadstat.write_sav(df, str(tmp), **pyreadstat_write_sav_kwargs)
        except (pyreadstat.PyreadstatError, pyreadstat.ReadstatError) as exc:
            raise DataError(
                f"{path}: pyreadstat could not write the data as SPSS: {exc}; check the column types and labels given."
            ) from None
        if mr_sets or weight is not None:
            _patch(tmp, mr_sets, weight)
    return path


def mrset_record_text(mr_sets: Mapping[str, MRSet], short_names: Mapping[str, bytes]) -> bytes:
    """One line per set: ``$name=D<len> <counted> <labellen> <label> var1 var2`` (dichotomy) or
    ``$name=C <labellen> <label> var1 var2`` (category), members by their short names."""
    lines = []
    for name, mrset in mr_sets.items():
        label = " ".join((mrset.label or "").split()).encode("utf-8")
        counted = str(normalize_code(mrset.counted_value)).encode()
        kind = b"D%d %s" % (len(counted), counted) if mrset.kind == "dichotomy" else b"C"
        members = b" ".join(short_names[v].lower() for v in mrset.variables)
        lines.append(
            b"$%s=%s %d %s %s\n"
            % (str(name).lstrip("$").encode(), kind, len(label), label, members)
        )
    return b"".join(lines)


def _patch(tmp: Path, mr_sets: Mapping[str, MRSet], weight: str | None) -> None:
    d = parse_dictionary(tmp)
    raw = bytearray(tmp.read_bytes())
    if weight is not None:
        index = next(i for i, _s, long in d.variables() if long == weight)
        raw[WEIGHT_INDEX_OFFSET : WEIGHT_INDEX_OFFSET + 4] = struct.pack(f"{d.endian}i", index)
    if mr_sets:
        body = mrset_record_text(mr_sets, {r.name: r.raw_name for r in d.records if r.width >= 0})
        record = struct.pack(f"{d.endian}4i", 7, 7, 1, len(body)) + body
        raw[d.termination_offset : d.termination_offset] = record
        if d.is_zsav:
            _shift_zsav(raw, d, len(record))
    tmp.write_bytes(bytes(raw))


def _shift_zsav(raw: bytearray, d: SavDictionary, delta: int) -> None:
    """Move a .zsav's zlib header and trailer offsets by the ``delta`` bytes inserted."""
    e, zh = d.endian, d.termination_offset + 8 + delta
    zheader_ofs, ztrailer_ofs, ztrailer_len = struct.unpack(f"{e}3q", raw[zh : zh + 24])
    if zheader_ofs + delta != zh:
        raise DataError(f"{d.path}: unexpected zlib header in the .zsav written by pyreadstat.")
    ztrailer_ofs += delta
    raw[zh : zh + 24] = struct.pack(f"{e}3q", zheader_ofs + delta, ztrailer_ofs, ztrailer_len)
    for k in range(struct.unpack(f"{e}i", raw[ztrailer_ofs + 20 : ztrailer_ofs + 24])[0]):
        pos = ztrailer_ofs + 24 + 24 * k
        u_ofs, c_ofs = struct.unpack(f"{e}2q", raw[pos : pos + 16])
        raw[pos : pos + 16] = struct.pack(f"{e}2q", u_ofs + delta, c_ofs + delta)
