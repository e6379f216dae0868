"""CSV, TSV and TXT files: encoding, delimiter and decimal comma detected, so a Dutch Excel
export reads as it looks; a row that does not fit is a ``DataError`` naming its line."""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ConfigError, DataError, YouthmediaWarning
from .table import RawRead, build_table, clean_header

CANDIDATES = (";", ",", "\t", "|")
_NAMES = {";": "semicolon", ",": "comma", "\t": "tab", "|": "pipe"}
#: a multi-byte UTF-8 letter (é, ë, €, ...); Windows-1252 text almost never holds these pairs
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
#: more columns than Excel (16,384) can hold: the line breaks or the delimiter went wrong
MAX_COLUMNS = 16_384
_BOMS = ((codecs.BOM_UTF8, "utf-8", "utf-8"), (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"))
_BOMS += ((codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),)


def _at(raw: bytes, exc: UnicodeDecodeError) -> tuple[int, str]:
    return raw[: exc.start].count(b"\n") + 1, raw[exc.start : exc.start + 1].hex()


def _undecodable(raw: bytes, exc: UnicodeDecodeError, where: str, encoding: str) -> DataError:
    line, byte = _at(raw, exc)
    return DataError(
        f"{where}: byte 0x{byte} on line {line} cannot be read as {encoding} text; save the file as 'CSV UTF-8' in Excel, or pass its encoding, e.g. load(path, encoding='latin-1')."
    )


def decode_bytes(raw: bytes, where: str, encoding: str | None = None) -> tuple[str, str, bool]:
    """``(text, encoding, bom)``: BOM, else UTF-8, else Windows-1252, else a DataError."""
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ConfigError(
                f"{where}: unknown encoding {encoding!r}; use e.g. 'utf-8', 'cp1252' or 'latin-1'."
            ) from None
        utf8 = encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig")
        bom = utf8 and raw.startswith(codecs.BOM_UTF8)
        try:
            return raw.decode("utf-8-sig" if bom else encoding), encoding, bom
        except UnicodeDecodeError as exc:
            raise _undecodable(raw, exc, where, encoding) from None
    for mark, name, codec in _BOMS:
        if raw.startswith(mark):
            try:
                return raw[len(mark) :].decode(codec), name, True
            except UnicodeDecodeError as exc:
                raise _undecodable(raw[len(mark) :], exc, where, name) from None
    try:
        return raw.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError as first:
        if _UTF8_SEQUENCE.search(raw):  # as Windows-1252 they would become 'Ã«' for 'ë'
            line, byte = _at(raw, first)
            raise DataError(
                f"{where}: the file mixes text encodings: it holds UTF-8 letters, but byte 0x{byte} on line {line} is not UTF-8; save the file again as 'CSV UTF-8', or pass its encoding if you know it, e.g. load(path, encoding='cp1252')."
            ) from None
        try:
            return raw.decode("cp1252"), "cp1252", False
        except UnicodeDecodeError:
            raise _undecodable(raw, first, where, "UTF-8 or Windows-1252/Latin-1") from None


def sniff_delimiter(text: str, prefer: str | None = None) -> str:
    """The field delimiter (``;`` ``,`` tab ``|``) that splits the first lines most consistently."""
    lines = text[:65536].splitlines()
    sample = "\n".join((lines[:-1] if len(text) > 65536 else lines)[:200])  # the last may be cut
    scores = {}  # delimiter -> (share of lines with the usual field count, header has it, ...)
    for rank, cand in enumerate(sorted(CANDIDATES, key=lambda c: c != prefer)):
        try:
            counts = [len(r) for r in csv.reader(io.StringIO(sample), delimiter=cand) if r]
        except csv.Error:
            continue
        mode, hits = Counter(counts).most_common(1)[0] if counts else (0, 0)
        if mode >= 2:
            scores[cand] = (hits / len(counts), counts[0] == mode, mode, -rank)
    return max(scores, key=scores.get) if scores else prefer or ","


def _fields(line: str, delim: str) -> int:
    try:
        return len(next(csv.reader([line], delimiter=delim), []))
    except csv.Error:
        return 0


def read_text(
    path: str | Path,
    *,
    columns: list[str] | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    **options: Any,
) -> RawRead:
    """Read a CSV/TSV/TXT file as typed columns plus codebook; what is not given is detected."""
    where = str(path)
    text, enc, bom = decode_bytes(Path(path).read_bytes(), where, encoding)
    nul = text.find("\x00")
    if nul >= 0:
        raise DataError(
            f"{where}: line {text.count(chr(10), 0, nul) + 1} holds a NUL byte (0x00), which no text file has; the file is damaged — copy or export it again."
        )
    first_line, _, rest = text.partition("\n")
    sep_line = first_line.strip().lower().startswith("sep=") and len(first_line.strip()) == 5
    declared, text = (first_line.strip()[4], rest) if sep_line else (None, text)
    if not text.strip():
        raise DataError(f"{where}: the file has no header and no data; export it again.")
    tsv = "\t" if Path(path).suffix.lower() == ".tsv" else None
    delim = delimiter or declared or sniff_delimiter(text, tsv)
    if len(delim) != 1:
        raise ConfigError(f"{where}: delimiter={delim!r} must be one character.")
    frame = _frame(text, delim, where, 1 if declared else 0)
    used = {"encoding": enc, "bom": bom, "delimiter": delim}
    used |= {"sep_line": True} if declared else {}
    return build_table(
        frame, where, reader="csv", columns=columns, delimiter=delim, options=used, **options
    )


def _frame(text: str, delim: str, where: str, offset: int) -> pd.DataFrame:
    """The text cells under the header; a DataError naming the line of a row that does not fit."""
    name, lines = _NAMES.get(delim, repr(delim)), text.splitlines()
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    rows: list[list[str]] = []
    short: list[tuple[int, int]] = []
    try:
        header = next(reader, [])
        if len(header) > MAX_COLUMNS:
            raise DataError(
                f"{where}: the header has {len(header):,} columns, more than a spreadsheet can hold ({MAX_COLUMNS:,}); this is not a survey table as read ({name}-separated) — check its line breaks and delimiter in a text editor, or pass delimiter=."
            )
        names, width, start = clean_header(header, where), len(header), reader.line_num + 1
        for row in reader:
            line, start, k = start + offset, reader.line_num + 1, len(row)
            if k == 0 or (k == 1 and not row[0].strip()):
                continue
            if k > width:
                raise DataError(
                    f"{where}: rows do not fit the header: line {line} has {k} fields but the header has {width} ({name}-separated); check the quoting and the delimiter on that line, or pass delimiter=."
                )
            if k < width:
                raw = lines[line - offset - 1] if line - offset - 1 < len(lines) else ""
                other = [c for c in CANDIDATES if c != delim and _fields(raw, c) == width > 1]
                if other:
                    raise DataError(
                        f"{where}: line {line} is {_NAMES[other[0]]}-separated but the header is {name}-separated (mixed delimiters); save the whole file with one delimiter and load it again."
                    )
                short.append((line, k))
                row = row + [None] * (width - k)
            rows.append(row)
    except csv.Error as exc:
        raise DataError(
            f"{where}: line {reader.line_num + offset} cannot be read as {name}-separated text ({exc}); check the file in a text editor."
        ) from None
    if rows and _unclosed("\n".join(lines[line - offset - 1 :]), delim):
        raise DataError(
            f"{where}: the quoted field that starts on line {line} is never closed (a '\"' without its partner); fix the quotes on that line and load it again."
        )
    if short:
        warnings.warn(
            f"{where}: {len(short)} row(s) have fewer fields than the header's {width} (first: line {short[0][0]}, {short[0][1]} field(s)); their last columns were read as missing.",
            YouthmediaWarning,
            stacklevel=5,
        )
    frame = pd.DataFrame(rows, columns=names, dtype=object)
    blank = [n for n, h in zip(names, header, strict=True) if not h.strip()]  # empty: dropped
    return frame.drop(columns=[n for n in blank if frame[n].astype(str).str.strip().eq("").all()])


def _unclosed(last_row: str, delim: str) -> bool:
    """Whether the last row's text ends inside a quoted field."""
    try:
        list(csv.reader(io.StringIO(last_row), delimiter=delim, strict=True))
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False
