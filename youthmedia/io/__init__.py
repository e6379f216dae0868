"""Reading survey files: SPSS, Stata, CSV/TSV/TXT, Excel and Forms exports, behind :func:`load`."""

from __future__ import annotations

import contextlib
import ctypes
import zipfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ConfigError, DataError
from ..files import register_input, sha256_of
from ..privacy import protect
from ..survey import Source, Survey
from .csv import read_text
from .excel import read_excel
from .labels import apply_codes
from .roles import infer_roles
from .sidecar import apply_sidecar, find_sidecar, read_sidecar
from .spss import convert_dates, read_spss
from .table import RawRead

__all__ = ["load"]

#: extension -> the content kind it must have
EXTENSIONS = dict.fromkeys([".csv", ".tsv", ".txt"], "text") | {".xlsx": "xlsx", ".xlsm": "xlsx"}
EXTENSIONS |= {f".{k}": k for k in ("sav", "zsav", "por", "dta")}
#: kind -> "what it is | what to do with it"
_KINDS = {
    "sav": "an SPSS system file (.sav) | ",
    "zsav": "a compressed SPSS system file (.zsav) | ",
    "por": "an SPSS portable file (.por) | ",
    "dta": "a Stata file (.dta) | ",
    "text": "a text (CSV) file | ",
    "xlsx": "an Excel workbook (.xlsx) | ",
    "xls": "an old-style Excel workbook (.xls) | open it in Excel and save it as .xlsx (Excel Workbook) or as CSV",
    "zip": "a ZIP archive | unzip it first and load the file inside",
    "damaged_zip": "a damaged or truncated ZIP archive (which an .xlsx workbook is inside) | copy it again from its source, or open it in Excel and save it again",
    "gzip": "a gzip-compressed file | decompress it first (gunzip) and load the file inside",
    "pdf": "a PDF document | export the data themselves (CSV, .xlsx or .sav), not a report",
    "sas": "a SAS data file | export it as .sav, .dta or CSV",
    "binary": "a binary file | check that this is the data file you meant, and export it as CSV, .xlsx or .sav",
    "ods": "an OpenDocument spreadsheet (.ods) | save it as .xlsx or CSV",
    "docx": "a Word document (.docx) | export the data themselves (CSV, .xlsx or .sav), not a document",
}
_KINDS = {k: tuple(v.split(" | ")) for k, v in _KINDS.items()}


def kind_of_bytes(head: bytes, path: Path | None = None) -> str:
    """The kind of a file from its first bytes (and, for ZIP archives, its members)."""
    magic = {b"$FL2": "sav", b"$FL3": "zsav", b"\xd0\xcf\x11\xe0": "xls", b"%PDF": "pdf"}
    if head[:4] in magic:
        return magic[head[:4]]
    if b"SPSSPORT" in head[:512]:
        return "por"
    if head.startswith(b"<stata_dta>") or (
        len(head) > 2 and 102 <= head[0] < 116 and head[1] in (1, 2) and head[2] == 1
    ):
        return "dta"
    if head[:2] == b"\x1f\x8b":
        return "gzip"
    if head[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
        except (zipfile.BadZipFile, OSError, TypeError):
            return "damaged_zip" if path is not None else "zip"
        for kind, test in (("xlsx", "xl/"), ("ods", "content.xml"), ("docx", "word/")):
            if any(n.startswith(test) for n in names):
                return kind
        return "zip"
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "text"  # UTF-16 with BOM
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 13, 12))
    return "binary" if b"\x00" in head or (head and control / len(head) > 0.05) else "text"


def check_file(path: str | Path) -> tuple[Path, str]:
    """The path and its kind; a DataError saying what to do when it is no readable data file."""
    p = Path(path)
    if not p.exists():
        near = sorted(q.name for q in p.parent.glob("*") if q.suffix.lower() in EXTENSIONS)
        hint = f" Files there: {', '.join(near[:8])}." if near else ""
        raise DataError(
            f"{p}: file not found; check the path (relative paths start at {Path.cwd()}).{hint}"
        )
    if p.is_dir():
        raise DataError(
            f"{p}: is a folder, not a data file; give the path of a .sav/.zsav/.por/.dta/.csv/.tsv/.txt/.xlsx file in it."
        )
    ext = p.suffix.lower()
    if ext not in EXTENSIONS:
        what = f"'{p.suffix}'" if p.suffix else "no extension"
        kind = {".xls": "xls", ".ods": "ods", ".zip": "zip", ".sas7bdat": "sas"}.get(ext)
        advice = _KINDS[kind][1] if kind else "save it as CSV, .xlsx or .sav"
        if ext in (".rds", ".rdata", ".json"):
            advice = "write it out as CSV or .sav first"
        raise DataError(
            f"{p}: unsupported file type ({what}); youthmedia reads .sav .zsav .por .dta .csv .tsv .txt .xlsx — {advice}."
        )
    try:
        with open(p, "rb") as fh:
            head = fh.read(4096)
    except OSError as exc:
        raise DataError(f"{p}: cannot be read ({exc.strerror}); check its permissions.") from None
    if not head:
        raise DataError(f"{p}: the file is empty (0 bytes); export or copy it again.")
    kind, want = kind_of_bytes(head, p), EXTENSIONS[ext]
    if kind == want or {kind, want} <= {"sav", "zsav"}:
        return p, kind
    found, advice = _KINDS[kind]
    if kind in EXTENSIONS.values():
        right = ".csv" if kind == "text" else next(e for e, k in EXTENSIONS.items() if k == kind)
        advice = f"rename it to '{p.stem}{right}'"
    raise DataError(f"{p}: the name says {_KINDS[want][0]}, but the file is {found}; {advice}.")


#: kind -> the options its reader takes besides columns= and codebook=
_TAKES = {"text": "encoding delimiter decimal thousands forms dayfirst", "por": ""}
_TAKES["xlsx"] = "sheet decimal thousands forms dayfirst"


def _read(path: Path, kind: str, columns: Any, options: dict) -> RawRead:
    """The reader of ``kind``: codes plus codebook; a ConfigError for an option it does not take."""
    options = {k: v for k, v in options.items() if v is not None}
    takes = _TAKES.get(kind, "encoding").split()
    unknown = [k for k in options if k not in takes]
    if unknown:
        raise ConfigError(
            f"{path}: unknown option(s) for {_KINDS[kind][0]}: {', '.join(unknown)}; it takes {', '.join(f'{k}=' for k in ['columns', *takes, 'codebook'])}."
        )
    if kind in ("text", "xlsx"):
        return (read_text if kind == "text" else read_excel)(path, columns=columns, **options)
    return read_spss(path, kind, columns=columns, **options)


def load(
    path: str | Path,
    *,
    columns: list[str] | str | None = None,
    codebook: str | Path | Mapping[str, Any] | bool | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
    **options: Any,
) -> Survey:
    """Read a survey file with all its metadata.

    Parameters
    ----------
    path : str or Path
        ``.sav`` ``.zsav`` ``.por`` ``.dta`` ``.csv`` ``.tsv`` ``.txt`` ``.xlsx`` (Forms,
        SurveyMonkey, Qualtrics and LimeSurvey exports recognised).
    columns : list of str, optional
        Load only these variables.
    codebook : str, Path or dict, optional
        A codebook sidecar; default ``<name>.codebook.yaml`` beside the file; ``False``: none.
    encoding, sheet : optional
        Text encoding (default: detected); Excel sheet (default: the first).
    **options
        CSV/Excel: ``delimiter``, ``decimal``, ``thousands``, ``dayfirst``, ``forms``.

    Returns
    -------
    Survey
        Labelled codes as ordered Categoricals, user-missing codes as NaN, every column's
        role in the codebook, and the design the codebook names. Bad input raises one-line
        :class:`DataError` / :class:`ConfigError`.

    Examples
    --------
    >>> s = load("data/youth_social_media_demo.sav", columns=["gender", "age"])
    >>> s.codebook["gender"].value_labels
    {1: 'jongen', 2: 'meisje', 3: 'anders / zeg ik liever niet'}
    """
    p, kind = check_file(path)
    columns = [columns] if isinstance(columns, str) else columns
    if columns is not None and len(columns) == 0:
        raise ConfigError(f"{p}: columns= is empty; name the variables to load, or leave it out.")
    options |= {"encoding": encoding, "sheet": sheet}
    with ThreadPoolExecutor(1) as pool:  # hashed while it is read: hashlib frees the GIL
        digest = pool.submit(sha256_of, p)
        raw = _read(p, kind, None if columns is None else list(columns), options)
    spec, sidecar, dataset = None, None, {}
    source = find_sidecar(p) if codebook in (None, True) else codebook
    if source is not None and codebook is not False:
        spec, sidecar = read_sidecar(source)
    infer_roles(raw, spec)
    if spec is not None:
        dataset = apply_sidecar(raw, spec, sidecar, str(p))
    survey = protect(_survey(p, raw, columns, sidecar, dataset, digest.result()))
    with contextlib.suppress(OSError, AttributeError):  # glibc keeps the reader's freed
        ctypes.CDLL("libc.so.6").malloc_trim(0)  # buffers (~1 GB for 600k x 203) otherwise
    roles = {v.design_role: v.name for v in survey.codebook if v.design_role}
    if not {"strata", "psu", "fpc"} & set(roles):  # a weight alone is codebook.weight
        return survey
    strata, psu = roles.get("strata"), roles.get("psu")  # nested: R's svydesign(nest=TRUE)
    nest = bool(strata and psu)
    return survey.with_design(survey.codebook.weight, strata, psu, roles.get("fpc"), nest=nest)


def _survey(
    p: Path,
    raw: RawRead,
    columns: list[str] | None,
    sidecar: str | None,
    dataset: dict[str, Any],
    sha256: str,
) -> Survey:
    data = raw.data
    if columns is not None and all(c in data.columns for c in columns):
        data = data[list(dict.fromkeys(columns))]  # the order the user asked for
    else:
        data = data.copy(deep=False)
    raw.data = pd.DataFrame(columns=data.columns)  # ``data`` alone holds the columns: each
    apply_codes(data, raw.codebook, sidecar or str(p), raw.dates)  # step frees an old one
    unconverted = convert_dates(data, raw.dates, str(p))
    lang = dataset.get("language")
    extra = {"codebook": sidecar, "unconverted_dates": unconverted, "language": lang and str(lang)}
    used = {**raw.options, **{k: v for k, v in extra.items() if v}}
    if columns is not None:
        used["columns"] = list(data.columns)
    cb = raw.codebook
    cb.variables = {str(c): cb.get(str(c)) for c in data.columns}  # the loaded columns only
    name, year = (dataset.get(k) for k in ("name", "year"))
    source = Source(
        str(p), sha256, raw.reader, used, name=name and str(name), year=year and str(year)
    )
    register_input(p)
    return Survey(data=data, codebook=cb, source=source)
