"""CSV, TSV and TXT files: encoding, delimiter and decimal comma detected, so a Dutch Excel
export (``;`` between fields, ``7,5`` for seven and a half, Windows-1252) reads as it looks.

What was detected is kept in ``Survey.source.options`` (``encoding``, ``bom``, ``delimiter``,
``decimal``).

Rows must fit the header: a row with more fields than the header, a row written with another
delimiter than the rest (``1,2,3`` in a ``;`` file: two exports pasted together) and a header
of more columns than a spreadsheet can hold (:data:`MAX_COLUMNS`) are a ``DataError`` naming
the line. A row with fewer fields than the header (some programs leave out trailing empty
fields) is read with its last columns missing and a ``YouthmediaWarning`` naming the first
such line.

Examples
--------
>>> from youthmedia.io.csv import decode_bytes, sniff_delimiter
>>> decode_bytes("cijfer;naam\\r\\n7,5;Zoë\\r\\n".encode("cp1252"), "klas.csv")[1:]
('cp1252', False)
>>> sniff_delimiter("cijfer;naam\\n7,5;Zoë\\n8;Daan\\n")
';'
"""

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
from .readstat import RawRead
from .table import build_table, clean_header

__all__ = ["MAX_COLUMNS", "decode_bytes", "read_text", "sniff_delimiter"]

CANDIDATES = (";", ",", "\t", "|")
_NAMES = {";": "semicolon", ",": "comma", "\t": "tab", "|": "pipe"}

#: A multi-byte UTF-8 letter (é, ë, €, ...); Windows-1252 text almost never holds these pairs.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}"
    rb"|[\xf0-\xf4][\x80-\xbf]{3}"
)

#: More columns than Excel (16,384) or LibreOffice can hold: not a survey table but a file
#: whose line breaks or delimiter went wrong.
MAX_COLUMNS = 16_384


def decode_bytes(raw: bytes, where: str, encoding: str | None = None) -> tuple[str, str, bool]:
    """Decode a text file: BOM, else UTF-8, else Windows-1252 (which covers Latin-1 text).

    Returns
    -------
    (text, encoding, bom)

    Raises
    ------
    DataError
        When the bytes fit neither (or not the ``encoding`` given), or mix UTF-8 letters with
        bytes that are not UTF-8, naming line and byte.
    """
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ConfigError(
                f"{where}: unknown encoding {encoding!r}; use e.g. 'utf-8', 'cp1252' or 'latin-1'."
            ) from None
        bom = raw.startswith(codecs.BOM_UTF8) and encoding.lower().replace("_", "-") in (
            "utf-8",
            "utf8",
            "utf-8-sig",
        )
        try:
            text = raw.decode("utf-8-sig" if bom else encoding)
        except UnicodeDecodeError as exc:
            raise _undecodable(raw, exc, where, encoding) from None
        return text, encoding, bom
    for bom_bytes, enc in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom_bytes):
            try:
                return (
                    raw[len(bom_bytes) :].decode(
                        enc
                        if enc == "utf-8"
                        else ("utf-16-le" if bom_bytes == codecs.BOM_UTF16_LE else "utf-16-be")
                    ),
                    enc,
                    True,
                )
            except UnicodeDecodeError as exc:
                raise _undecodable(raw[len(bom_bytes) :], exc, where, enc) from None
    try:
        return raw.decode("utf-8"), "utf-8", False
    except UnicodeDecodeError as first:
        if _UTF8_SEQUENCE.search(raw):
            # UTF-8 letters elsewhere: read as Windows-1252 they would become 'Ã«' for 'ë'
            line = raw[: first.start].count(b"\n") + 1
            raise DataError(
                f"{where}: the file mixes text encodings: it holds UTF-8 letters, but byte "
                f"0x{raw[first.start : first.start + 1].hex()} on line {line} is not UTF-8; save "
                "the file again as 'CSV UTF-8', or pass its encoding if you know it, e.g. "
                "load(path, encoding='cp1252')."
            ) from None
        try:
            return raw.decode("cp1252"), "cp1252", False
        except UnicodeDecodeError:
            raise _undecodable(raw, first, where, "UTF-8 or Windows-1252/Latin-1") from None


def _undecodable(raw: bytes, exc: UnicodeDecodeError, where: str, encoding: str) -> DataError:
    line = raw[: exc.start].count(b"\n") + 1
    byte = raw[exc.start : exc.start + 1].hex()
    return DataError(
        f"{where}: byte 0x{byte} on line {line} cannot be read as {encoding} text; save the file "
        "as 'CSV UTF-8' in Excel, or pass its encoding, e.g. load(path, encoding='latin-1')."
    )


def sniff_delimiter(text: str, prefer: str | None = None) -> str:
    """The field delimiter (``;`` ``,`` tab ``|``) that splits the first lines most consistently."""
    lines = text[:65536].splitlines()
    if len(text) > 65536:
        lines = lines[:-1]  # the last line may be cut
    sample = "\n".join(lines[:200])
    best, best_score = None, None
    order = list(CANDIDATES)
    if prefer in order:
        order.remove(prefer)
        order.insert(0, prefer)
    for rank, cand in enumerate(order):
        try:
            rows = [r for r in csv.reader(io.StringIO(sample), delimiter=cand) if r]
        except csv.Error:
            continue
        if not rows:
            continue
        counts = [len(r) for r in rows]
        mode, hits = Counter(counts).most_common(1)[0]
        if mode < 2:
            continue
        score = (hits / len(counts), counts[0] == mode, mode, -rank)
        if best_score is None or score > best_score:
            best, best_score = cand, score
    return best or prefer or ","


def _fields(line: str, delim: str) -> int:
    try:
        return len(next(csv.reader([line], delimiter=delim), []))
    except csv.Error:
        return 0


def _check_rows(text: str, delim: str, width: int, where: str, offset: int) -> str | None:
    """Every row against the header: more fields or another delimiter is a DataError; rows
    with fewer fields give the warning returned; ``offset`` counts lines removed before
    ``text`` (a ``sep=`` line)."""
    name = _NAMES.get(delim, repr(delim))
    lines = text.splitlines()
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    short: list[tuple[int, int]] = []
    try:
        next(reader, None)  # the header
        start = reader.line_num + 1
        for row in reader:
            line = start + offset
            start = reader.line_num + 1
            k = len(row)
            if k == 0 or k == width or (k == 1 and not row[0].strip()):
                continue
            if k > width:
                raise DataError(
                    f"{where}: rows do not fit the header: line {line} has {k} fields but "
                    f"the header has {width} "
                    f"({name}-separated); check the quoting and the delimiter on that line, or "
                    "pass delimiter=."
                )
            raw = lines[line - offset - 1] if line - offset - 1 < len(lines) else ""
            other = next(
                (c for c in CANDIDATES if c != delim and width > 1 and _fields(raw, c) == width),
                None,
            )
            if other is not None:
                raise DataError(
                    f"{where}: line {line} is {_NAMES[other]}-separated but the header is "
                    f"{name}-separated (mixed delimiters); save the whole file with one "
                    "delimiter and load it again."
                )
            short.append((line, k))
    except csv.Error as exc:
        raise DataError(
            f"{where}: line {reader.line_num + offset} cannot be read as "
            f"{name}-separated text ({exc}); check the file in a text editor."
        ) from None
    if not short:
        return None
    line, k = short[0]
    return (
        f"{where}: {len(short)} row(s) have fewer fields than the header's {width} (first: "
        f"line {line}, {k} field(s)); their last columns were read as missing."
    )


def read_text(
    path: str | Path,
    *,
    columns: list[str] | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    decimal: str | None = None,
    thousands: str | None = None,
    forms: Any = "auto",
    dayfirst: bool | None = None,
    **options: Any,
) -> RawRead:
    """Read a CSV/TSV/TXT file as typed columns plus codebook.

    Parameters
    ----------
    path : str or Path
    columns : list of str, optional
    encoding : str, optional
        Default: detected (BOM, UTF-8, Windows-1252).
    delimiter : str, optional
        Default: detected among ``;`` ``,`` tab ``|``.
    decimal, thousands : str, optional
        Default: detected (decimal comma when ``;``-separated numbers use it).
    forms : {"auto", "microsoft", "google", False}
        Recognise Microsoft/Google Forms exports.
    dayfirst : bool, optional
        Read ``3-4-2024`` as 3 April (default for ``-`` and ``.``) or March 4.
    """
    if options:
        raise ConfigError(
            f"{path}: unknown option(s) for text files: {', '.join(options)}; CSV files take "
            "columns=, encoding=, delimiter=, decimal=, thousands=, forms=, dayfirst=, codebook=."
        )
    where = str(path)
    text, enc, bom = decode_bytes(Path(path).read_bytes(), where, encoding)
    nul = text.find("\x00")
    if nul >= 0:
        raise DataError(
            f"{where}: line {text.count(chr(10), 0, nul) + 1} holds a NUL byte (0x00), "
            "which no text file has; the file is damaged — copy or export it again."
        )
    first_line, _, rest = text.partition("\n")
    declared = None
    if first_line.strip().lower().startswith("sep=") and len(first_line.strip()) == 5:
        declared, text = first_line.strip()[4], rest
    if not text.strip():
        raise DataError(f"{where}: the file has no header and no data; export it again.")
    delim = (
        delimiter
        or declared
        or sniff_delimiter(text, "\t" if Path(path).suffix.lower() == ".tsv" else None)
    )
    if len(delim) != 1:
        raise ConfigError(f"{where}: delimiter={delim!r} must be one character.")
    frame = _frame(text, delim, where, 1 if declared else 0)
    options_used = {"encoding": enc, "bom": bom, "delimiter": delim}
    if declared:
        options_used["sep_line"] = True
    return build_table(
        frame,
        where,
        reader="csv",
        columns=columns,
        decimal=decimal,
        thousands=thousands,
        forms=forms,
        delimiter=delim,
        dayfirst=dayfirst,
        options=options_used,
    )


def _frame(text: str, delim: str, where: str, offset: int) -> pd.DataFrame:
    """The cells as text under the header; Excel's empty unnamed trailing columns dropped."""
    name = _NAMES.get(delim, repr(delim))
    try:
        header = next(csv.reader(io.StringIO(text), delimiter=delim))
    except (StopIteration, csv.Error) as exc:
        raise DataError(
            f"{where}: the header line cannot be read ({exc}); check the file."
        ) from None
    if len(header) > MAX_COLUMNS:
        raise DataError(
            f"{where}: the header has {len(header):,} columns, more than a spreadsheet "
            f"can hold ({MAX_COLUMNS:,}); this is not a survey table as read "
            f"({name}-separated) — check its line breaks and delimiter in a "
            "text editor, or pass delimiter=."
        )
    names = clean_header(header, where)
    short_rows = _check_rows(text, delim, len(header), where, offset)
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delim,
            header=None,
            skiprows=1,
            names=names,
            dtype=object,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=True,
            engine="c",
            quotechar='"',
        )
    except pd.errors.ParserError as exc:
        msg = " ".join(str(exc).split())
        unclosed = re.search(r"EOF inside string starting at row (\d+)", msg)
        if unclosed:
            raise DataError(
                f"{where}: the quoted field that starts on line "
                f"{int(unclosed.group(1)) + 1 + offset} is never closed (a '\"' "
                "without its partner); fix the quotes on that line and load it "
                "again."
            ) from None
        raise DataError(
            f"{where}: rows do not fit the header ({msg}); a row has more fields "
            f"than the header's {len(names)} — check quoting and the delimiter "
            f"({name}), or pass delimiter=."
        ) from None
    except (pd.errors.EmptyDataError, ValueError) as exc:
        raise DataError(f"{where}: cannot be read as {name}-separated text ({exc}).") from None
    if short_rows:  # only now: an unclosed quote also makes a short last row
        warnings.warn(short_rows, YouthmediaWarning, stacklevel=5)
    return frame.drop(
        columns=[
            n
            for n, h in zip(names, header, strict=True)
            if not h.strip() and frame[n].astype(str).str.strip().eq("").all()
        ]
    )
