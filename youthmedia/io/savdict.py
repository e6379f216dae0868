"""The dictionary of a .sav/.zsav read byte by byte (layout: GNU PSPP, "System File Format"): the
``WEIGHT BY`` variable pyreadstat does not expose, and checks of what its C reader trusts."""

from __future__ import annotations

import codecs
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, NamedTuple

from ..errors import DataError

HEADER_SIZE = 176
_ZLIB_MAX_RATIO = 1032  # the most a zlib stream can shrink its input (deflate: about 1032:1)
WEIGHT_INDEX_OFFSET = 76  # rec_type[4] prod_name[60] layout_code compression nominal_case_size
#: SPSS code-page numbers (character-set record, subtype 3) met in practice
_CODEPAGES = {65001: "utf-8", 28591: "latin-1", 20127: "ascii", 2: "latin-1", 3: "latin-1"}
_CODEPAGES |= {cp: f"cp{cp}" for cp in (437, 850, *range(1250, 1258))}


class VarRecord(NamedTuple):
    """A variable record: 1-based ``index``; ``width`` 0 numeric, string width, -1 continuation;
    formats ``(type << 16) | (width << 8) | decimals`` with type 1 = A, 2 = AHEX."""

    index: int
    width: int
    short_name: str
    name: str
    print_format: int
    write_format: int


@dataclass
class SavDictionary:
    path: str
    magic: bytes
    endian: str
    compression: int
    weight_index: int
    ncases: int
    records: list[VarRecord] = field(default_factory=list)
    encoding: str | None = None
    termination_offset: int = 0
    #: (dictionary index, raw 8-byte value) of each value label of a string variable
    string_label_values: list[tuple[int, bytes]] = field(default_factory=list)

    def variables(self) -> list[tuple[int, str, str]]:
        """``(index, short name, long name)`` of each variable."""
        return [(r.index, r.short_name, r.name) for r in self.records if r.width >= 0]

    @property
    def weight(self) -> str | None:
        if self.weight_index <= 0:
            return None
        found = [r.name for r in self.records if r.index == self.weight_index and r.width == 0]
        if not found:
            raise DataError(
                f"{self.path}: the header names variable #{self.weight_index} as the weight, but no numeric variable has that index; the file is damaged — save it again in SPSS."
            )
        return found[0]


def _damaged(path: str, what: str) -> DataError:
    return DataError(
        f"{path}: the SPSS dictionary is damaged ({what}); copy the file again from its source, or open it in SPSS and save it again."
    )


def _decode(raw: bytes, encoding: str | None) -> str:
    for enc in (e for e in (encoding, "utf-8", "cp1252") if e):
        try:
            return raw.decode(enc)
        except (UnicodeDecodeError, LookupError, ValueError):  # ValueError: a NUL in the name
            continue
    return raw.decode("latin-1")  # decodes every byte


def parse_dictionary(path: str | Path) -> SavDictionary:
    """The header and dictionary of a ``.sav``/``.zsav`` file; a DataError when it is damaged."""
    path = str(path)
    with open(path, "rb") as fh:
        header = fh.read(HEADER_SIZE)
        if header[:4] in (b"$FL2", b"$FL3") and len(header) < HEADER_SIZE:
            raise DataError(
                f"{path}: the SPSS file ends inside its {HEADER_SIZE}-byte header ({len(header)} bytes); it is truncated — copy it again from its source."
            )
        if len(header) < HEADER_SIZE or header[:4] not in (b"$FL2", b"$FL3"):
            raise DataError(
                f"{path}: not an SPSS system file (no '$FL2'/'$FL3' header); check that it really is a .sav/.zsav file, or export it again from SPSS."
            )
        endian = next((e for e in "<>" if struct.unpack(f"{e}i", header[64:68])[0] in (2, 3)), None)
        if endian is None:
            raise _damaged(path, "its header has an unknown layout code")
        out = SavDictionary(path, header[:4], endian, *struct.unpack(f"{endian}3i", header[72:84]))
        walk = _Walk(fh, out)
        while walk.record(walk.ints(1)[0]):
            pass
    return walk.finish()


class _Walk:
    def __init__(self, fh: BinaryIO, out: SavDictionary) -> None:
        self.fh, self.out, self.path = fh, out, out.path
        self.index = self.continuations = 0  # continuations: segments a string still needs
        self.pending: list[tuple[int, int, bytes, int, int]] = []
        self.widths: dict[int, int] = {}
        self.long_names = self.very_long = b""

    def damaged(self, what: str) -> DataError:
        return _damaged(self.path, what)

    def read(self, n: int) -> bytes:
        data = self.fh.read(n)
        if len(data) != n:
            raise DataError(
                f"{self.path}: the SPSS file ends in the middle of its dictionary (truncated or damaged); copy it again from its source or re-save it in SPSS."
            )
        return data

    def ints(self, n: int) -> tuple[int, ...]:
        return struct.unpack(f"{self.out.endian}{n}i", self.read(4 * n))

    def record(self, rec_type: int) -> bool:
        if rec_type != 2 and self.continuations:
            raise self.damaged(
                f"variable #{self.index} is a string that misses {self.continuations} of its continuation records",
            )
        if rec_type == 999:
            self.out.termination_offset = self.fh.tell() - 4
            self.read(4)
            return False
        handlers = {2: self.variable, 3: self.value_labels, 6: self.documents, 7: self.extension}
        if rec_type not in handlers:
            raise self.damaged(f"unknown record type {rec_type}")
        handlers[rec_type]()
        return True

    def variable(self) -> None:
        width, has_label, n_missing, print_fmt, write_fmt = self.ints(5)
        name = self.read(8)
        index = self.index = self.index + 1
        # a numeric record whose width byte flipped to 512 makes pyreadstat read past its buffers
        if not -1 <= width <= 255:
            raise self.damaged(f"variable #{index} has an impossible width ({width})")
        if width == -1 and not self.continuations:
            raise self.damaged(f"record #{index} continues a string variable that is not there")
        if width >= 0 and self.continuations:
            raise self.damaged(f"variable #{index} starts inside the string variable before it")
        self.continuations = self.continuations - 1 if width == -1 else max((width + 7) // 8 - 1, 0)
        if has_label not in (0, 1) or n_missing not in (-3, -2, 0, 1, 2, 3):
            raise self.damaged(
                f"variable #{index} has an impossible label flag ({has_label}) or missing-value count ({n_missing})",
            )
        self.pending.append((index, width, name, print_fmt, write_fmt))
        self.widths[index] = width
        if has_label:
            length = self.ints(1)[0]
            if not 0 <= length <= 1 << 20:
                raise self.damaged(f"a variable label has an impossible length ({length})")
            self.read((length + 3) // 4 * 4)
        self.read(8 * abs(n_missing))

    def value_labels(self) -> None:
        values = []
        for _ in range(self.ints(1)[0]):
            values.append(self.read(8))
            self.read((self.read(1)[0] + 1 + 7) // 8 * 8 - 1)
        if self.ints(1)[0] != 4:
            raise self.damaged("a value-label record is not followed by its variable list")
        count = self.ints(1)[0]
        if not 0 < count <= self.index:
            raise self.damaged(f"a value-label record applies to {count} variables of {self.index}")
        kinds = set()
        for var in self.ints(count):
            if not 0 < var <= self.index or self.widths.get(var, -1) < 0:
                raise self.damaged(
                    f"a value-label record names variable #{var}, which is not a variable",
                )
            kinds.add(self.widths[var] > 0)
            if len(kinds) > 1:
                raise self.damaged(
                    "a value-label record is shared by a string and a numeric variable"
                )
            if self.widths[var] > 0:  # labels of a string variable: text values
                self.out.string_label_values.extend((var, v) for v in values)
                values = []

    def documents(self) -> None:
        count = self.ints(1)[0]
        if not 0 <= count <= 1 << 16:
            raise self.damaged(f"a document record claims {count} lines")
        self.read(80 * count)

    def extension(self) -> None:
        subtype, size, count = self.ints(3)
        if size < 0 or count < 0 or size * count > 1 << 30:
            raise self.damaged("an extension record has an impossible size")
        body, out = self.read(size * count), self.out
        if subtype == 13:
            self.long_names = body
        elif subtype == 14:
            self.very_long = body
        elif subtype == 20:
            out.encoding = body.decode("ascii", "replace").strip().lower() or None
        elif subtype == 3 and size == 4 and count >= 8 and out.encoding is None:
            out.encoding = _CODEPAGES.get(struct.unpack(f"{out.endian}8i", body[:32])[7])

    def finish(self) -> SavDictionary:
        out = self.out
        pairs = (p.partition(b"=") for p in self.long_names.split(b"\t"))
        long_names = {
            s.strip().upper(): _decode(v.strip(b"\x00"), out.encoding) for s, sep, v in pairs if sep
        }
        pairs = (p.strip(b"\x00").partition(b"=") for p in self.very_long.split(b"\t"))
        widths = ((s, w) for s, sep, w in pairs if sep and w.strip().isdigit())
        segments = {s.strip().upper(): (int(w) + 251) // 252 for s, w in widths}  # 252 bytes each
        ghosts = 0
        for idx, width, raw, print_fmt, write_fmt in self.pending:
            raw = raw.rstrip(b" \x00")
            key, short = raw.upper(), _decode(raw, out.encoding)
            if width >= 0 and ghosts:
                ghosts, width = ghosts - 1, -1  # a 252-byte segment of the very long string before
            elif width >= 0:
                ghosts = segments.get(key, 1) - 1
            long = long_names.get(key, short)
            out.records.append(VarRecord(idx, width, short, long, print_fmt, write_fmt))
        return out


def check_readable(dictionary: SavDictionary, encoding: str | None = None) -> int:
    """Refuse what crashes pyreadstat's C reader; return the header's case count (-1: unknown)."""
    for which in (1, 2):  # short names, then the long names given to them
        seen: dict[str, int] = {}
        for entry in dictionary.variables():
            first = seen.setdefault(entry[which].upper(), entry[0])
            if first != entry[0]:
                what = f"variables #{first} and #{entry[0]} are both named {entry[which]!r}"
                raise _damaged(dictionary.path, what)
    for r in (r for r in dictionary.records if r.width >= 0):
        strings = {((fmt >> 16) & 0xFF) in (1, 2) for fmt in (r.print_format, r.write_format)}
        if strings != {r.width > 0}:  # format type 1 = A, 2 = AHEX: a string's
            what = "a string with a numeric" if r.width else "a number with a string"
            raise _damaged(dictionary.path, f"variable #{r.index} ({r.name}) is {what} format")
    encoding = encoding or dictionary.encoding
    try:
        codecs.lookup(encoding or "ascii")
    except (LookupError, ValueError):  # ValueError: a NUL in the name
        encoding = None  # pyreadstat names an unknown encoding itself
    for index, raw in dictionary.string_label_values if encoding else ():
        try:
            raw.decode(encoding)
        except UnicodeDecodeError:  # pyreadstat crashes (segfault) converting such a value
            raise DataError(
                f"{dictionary.path}: a value label of variable #{index} has the value {raw!r}, which is not {encoding} text; pass the file's real encoding, e.g. load(path, encoding='cp1252'), or copy the file again (it may be damaged)."
            ) from None
    expected = _check_case_count(dictionary.path, dictionary)
    if dictionary.magic == b"$FL3":
        _check_zsav_index(dictionary.path, dictionary)
    return expected


def _check_case_count(path: str, dictionary: SavDictionary) -> int:
    """The header's case count, refused when the data after the dictionary cannot hold it."""
    expected = dictionary.ncases
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
    """The block index of a .zsav checked against the file (pyreadstat trusts its sizes)."""
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
        bad = zheader_ofs != at or ztrailer_len < 24 or (ztrailer_len - 24) % 24
        if bad or not at + 24 <= ztrailer_ofs <= size - ztrailer_len:
            raise damaged("its header points outside the file")
        fh.seek(ztrailer_ofs)
        trailer = fh.read(ztrailer_len)
    _bias, _zero, block_size, n_blocks = struct.unpack(f"{d.endian}2q2i", trailer[:24])
    if n_blocks != (ztrailer_len - 24) // 24 or block_size <= 0:
        raise damaged(f"{n_blocks} blocks listed in {ztrailer_len} bytes")
    for i in range(n_blocks):
        _uofs, cofs, usize, csize = struct.unpack_from(f"{d.endian}2q2i", trailer, 24 + 24 * i)
        if not (0 < usize <= block_size and 0 < csize and at + 24 <= cofs <= ztrailer_ofs - csize):
            raise damaged(f"block {i + 1} of {n_blocks} has impossible sizes")
