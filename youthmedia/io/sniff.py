"""What kind of file is this? Checks by content, so a wrong extension is caught early.

Examples
--------
>>> from youthmedia.io.sniff import kind_of_bytes
>>> kind_of_bytes(b"$FL2@(#) IBM SPSS STATISTICS")
'sav'
>>> kind_of_bytes(b"leeftijd;geslacht\\r\\n14;1\\r\\n")
'text'
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import DataError
from ..files import sha256_of  # re-exported: io and published take it from here

__all__ = ["EXTENSIONS", "check_file", "kind_of_bytes", "sha256_of"]

#: extension -> the content kind it must have
EXTENSIONS = {
    ".sav": "sav",
    ".zsav": "zsav",
    ".por": "por",
    ".dta": "dta",
    ".csv": "text",
    ".tsv": "text",
    ".txt": "text",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}

_KIND_NAMES = {
    "sav": "an SPSS system file (.sav)",
    "zsav": "a compressed SPSS system file (.zsav)",
    "por": "an SPSS portable file (.por)",
    "dta": "a Stata file (.dta)",
    "text": "a text (CSV) file",
    "xlsx": "an Excel workbook (.xlsx)",
    "xls": "an old-style Excel workbook (.xls)",
    "zip": "a ZIP archive",
    "damaged_zip": "a damaged or truncated ZIP archive (which an .xlsx workbook is inside)",
    "gzip": "a gzip-compressed file",
    "pdf": "a PDF document",
    "sas": "a SAS data file",
    "binary": "a binary file",
    "ods": "an OpenDocument spreadsheet (.ods)",
    "docx": "a Word document (.docx)",
}

_ADVICE = {
    "zip": "unzip it first and load the file inside",
    "damaged_zip": "copy it again from its source, or open it in Excel and save it again",
    "gzip": "decompress it first (gunzip) and load the file inside",
    "xls": "open it in Excel and save it as .xlsx (Excel Workbook) or as CSV",
    "ods": "save it as .xlsx or CSV",
    "pdf": "export the data themselves (CSV, .xlsx or .sav), not a report",
    "docx": "export the data themselves (CSV, .xlsx or .sav), not a document",
    "sas": "export it as .sav, .dta or CSV",
    "binary": "check that this is the data file you meant, and export it as CSV, .xlsx or .sav",
}


def kind_of_bytes(head: bytes, path: Path | None = None) -> str:
    """The kind of a file from its first bytes (and, for ZIP archives, its members)."""
    if head[:4] == b"$FL2":
        return "sav"
    if head[:4] == b"$FL3":
        return "zsav"
    if b"SPSSPORT" in head[:512]:
        return "por"
    if head.startswith(b"<stata_dta>") or (
        len(head) > 2 and head[0] in range(102, 116) and head[1] in (1, 2) and head[2] == 1
    ):
        return "dta"
    if head[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"
    if head[:2] == b"\x1f\x8b":
        return "gzip"
    if head[:5] == b"%PDF-":
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        if path is not None:
            try:
                with zipfile.ZipFile(path) as zf:
                    names = zf.namelist()
            except (zipfile.BadZipFile, OSError):
                return "damaged_zip"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
            if "content.xml" in names and "mimetype" in names:
                return "ods"
            if any(n.startswith("word/") for n in names):
                return "docx"
        return "zip"
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "text"  # UTF-16 with BOM
    if b"\x00" in head:
        return "binary"
    sample = head[:4096]
    control = sum(1 for b in sample if b < 32 and b not in (9, 10, 13, 12))
    if sample and control / len(sample) > 0.05:
        return "binary"
    return "text"


def check_file(path: str | Path) -> tuple[Path, str]:
    """Check that ``path`` exists, is not empty and holds what its extension says.

    Returns
    -------
    (Path, str)
        The path and its kind (one of the values of :data:`EXTENSIONS`).

    Raises
    ------
    DataError
        Missing, a folder, empty, an unsupported extension, or content that does not fit it.
    """
    p = Path(path)
    if not p.exists():
        hint = ""
        if p.parent.is_dir():
            near = sorted(q.name for q in p.parent.iterdir() if q.suffix.lower() in EXTENSIONS)
            if near:
                hint = f" Files there: {', '.join(near[:8])}."
        raise DataError(
            f"{p}: file not found; check the path (relative paths start at {Path.cwd()}).{hint}"
        )
    if p.is_dir():
        raise DataError(
            f"{p}: is a folder, not a data file; give the path of a "
            ".sav/.zsav/.por/.dta/.csv/.tsv/.txt/.xlsx file in it."
        )
    ext = p.suffix.lower()
    if ext not in EXTENSIONS:
        what = f"'{p.suffix}'" if p.suffix else "no extension"
        if ext in (".xls", ".ods", ".sas7bdat", ".rds", ".rdata", ".json", ".zip"):
            advice = _ADVICE.get({".xls": "xls", ".ods": "ods", ".zip": "zip"}.get(ext, "sas"))
            if ext in (".rds", ".rdata", ".json"):
                advice = "write it out as CSV or .sav first"
        else:
            advice = "save it as CSV, .xlsx or .sav"
        raise DataError(
            f"{p}: unsupported file type ({what}); youthmedia reads .sav .zsav .por "
            f".dta .csv .tsv .txt .xlsx — {advice}."
        )
    try:
        size = p.stat().st_size
        with open(p, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise DataError(f"{p}: cannot be read ({exc.strerror}); check its permissions.") from None
    if size == 0:
        raise DataError(f"{p}: the file is empty (0 bytes); export or copy it again.")
    kind = kind_of_bytes(head, p)
    want = EXTENSIONS[ext]
    if kind == want or (want in ("sav", "zsav") and kind in ("sav", "zsav")):
        return p, kind if want in ("sav", "zsav") else want
    found = _KIND_NAMES.get(kind, "something else")
    if kind in EXTENSIONS.values():
        right = next(e for e, k in EXTENSIONS.items() if k == kind)
        advice = (
            f"rename it to '{p.stem}{right}'" if kind != "text" else f"rename it to '{p.stem}.csv'"
        )
    else:
        advice = _ADVICE.get(kind, "check that this is the data file you meant")
    raise DataError(f"{p}: the name says {_KIND_NAMES[want]}, but the file is {found}; {advice}.")
