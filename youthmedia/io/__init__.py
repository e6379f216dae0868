"""Reading survey files: SPSS, Stata, CSV/TSV/TXT, Excel and Forms exports, behind :func:`load`.

Examples
--------
>>> import youthmedia as ym
>>> s = ym.load("data/youth_social_media_demo.sav")                  # doctest: +SKIP
>>> s = ym.load("klas.csv", columns=["leeftijd", "geslacht"])         # doctest: +SKIP
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ConfigError
from ..survey import Source, Survey
from .labels import apply_missing, apply_value_labels
from .readstat import RawRead, convert_dates
from .roles import infer_roles
from .sidecar import apply_sidecar, find_sidecar, read_sidecar
from .sniff import check_file, sha256_of

__all__ = ["load"]

#: files at least this large are hashed in a child process while the reader reads them
BACKGROUND_HASH_BYTES = 64 * 2**20
_HASH_CHILD = ("import hashlib, sys\n"
               "with open(sys.argv[1], 'rb') as fh:\n"
               "    print(hashlib.file_digest(fh, 'sha256').hexdigest())")
_HEX64 = re.compile(r"[0-9a-f]{64}")


class _Digest:
    """The SHA-256 of a file's bytes for ``Survey.source``, computed while the file is read.

    The digest is always of the file's real content (never taken from a stat record). For a
    large file it is computed by a child Python process — started before the reader and
    collected after it, so on a machine with two or more cores the ~1 s per GB of hashing
    overlaps the reading instead of adding to it. A thread would not help: pyreadstat holds
    the GIL for the whole read. Small files, or a child that cannot start or fails, are hashed
    here (:func:`sha256_of`).
    """

    def __init__(self, path: Path, known: str | None = None) -> None:
        self.path = path
        self.value = known
        self.proc: subprocess.Popen | None = None
        if known is None and sys.executable and path.stat().st_size >= BACKGROUND_HASH_BYTES:
            try:
                self.proc = subprocess.Popen(
                    [sys.executable, "-I", "-S", "-c", _HASH_CHILD, os.fspath(path)],
                    stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            except (OSError, ValueError):
                self.proc = None
        if self.value is None and self.proc is None:
            self.value = sha256_of(path)

    def result(self) -> str:
        """The digest (waits for the child; hashes here if it failed)."""
        if self.value is None:
            out, _ = self.proc.communicate()
            text = out.decode("ascii", "replace").strip()
            self.value = text if self.proc.returncode == 0 and _HEX64.fullmatch(text) \
                else sha256_of(self.path)
            self.proc = None
        return self.value

    def cancel(self) -> None:
        """Stop the child (the load failed)."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.communicate()
            self.proc = None


def _read(path: Path, kind: str, columns: list[str] | None, encoding: str | None,
          sheet: Any, options: dict[str, Any]) -> RawRead:
    if kind in ("sav", "zsav", "por"):
        if sheet is not None:
            raise ConfigError(f"{path}: sheet= is only for Excel files.")
        from .spss import read_spss

        return read_spss(path, kind, columns=columns, encoding=encoding, **options)
    if kind == "dta":
        if sheet is not None:
            raise ConfigError(f"{path}: sheet= is only for Excel files.")
        from .stata import read_stata

        return read_stata(path, columns=columns, encoding=encoding, **options)
    if kind == "text":
        if sheet is not None:
            raise ConfigError(f"{path}: sheet= is only for Excel files.")
        from .csv import read_text

        return read_text(path, columns=columns, encoding=encoding, **options)
    from .excel import read_excel

    if encoding is not None:
        raise ConfigError(f"{path}: encoding= does not apply to Excel files (they carry their "
                          "own); leave it out.")
    return read_excel(path, columns=columns, sheet=sheet, **options)


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
        ``.sav`` ``.zsav`` ``.por`` (SPSS), ``.dta`` (Stata), ``.csv`` ``.tsv`` ``.txt``
        (delimiter, decimal comma and encoding detected), ``.xlsx``; Microsoft and Google
        Forms exports are recognised in CSV and Excel files.
    columns : list of str, optional
        Load only these variables (read only them from disk where the format allows). For
        Forms exports a multiple-response set's name selects all its 0/1 columns.
    codebook : str, Path or dict, optional
        A codebook sidecar (``docs/codebook_sidecar.md``). By default ``<name>.codebook.yaml``
        beside the file is used when it exists; ``False`` ignores it.
    encoding : str, optional
        Text encoding for CSV files (default: detected) or an override for SPSS/Stata files.
    sheet : str or int, optional
        Excel sheet (default: the first).
    **options
        Reader options. CSV: ``delimiter``, ``decimal``, ``thousands``, ``forms``
        (``"auto"``, ``False``, ``"microsoft"``, ``"google"``). Excel: ``forms``.

    Returns
    -------
    Survey
        ``data`` with value-labelled variables as ordered Categoricals (codes in
        ``Survey.codes``) and user-missing codes as NaN; ``codebook``; ``source`` with the
        path, SHA-256, reader and the options used.

    Raises
    ------
    DataError
        Missing, empty, unsupported, truncated or undecodable file; duplicate column names;
        a sidecar naming a column that does not exist; value labels that do not fit the data.
        For CSV files also: a row with more fields than the header, rows written with another
        delimiter, mixed text encodings, a NUL byte, an unclosed quote, more than 16,384
        columns. For SPSS files also: a damaged dictionary or case count, checked before
        pyreadstat reads the file (some damage crashed it).

    Warns
    -----
    YouthmediaWarning
        CSV rows with fewer fields than the header (read with their last columns missing);
        dates out of the years 1–9999 (made missing). One line each, naming file and line or
        variable.
    ConfigError
        An unknown column in ``columns`` or an unknown option.

    Examples
    --------
    >>> s = load("data/youth_social_media_demo.sav", columns=["gender", "age"])  # doctest: +SKIP
    >>> s.codebook["gender"].value_labels                                        # doctest: +SKIP
    {1: 'jongen', 2: 'meisje', 3: 'anders'}
    """
    p, kind = check_file(path)
    return _load(p, kind, columns=columns, codebook=codebook, encoding=encoding, sheet=sheet,
                 options=options)


def _load(p: Path, kind: str, *, columns: list[str] | str | None,
          codebook: str | Path | Mapping[str, Any] | bool | None, encoding: str | None,
          sheet: str | int | None, options: dict[str, Any]) -> Survey:
    """:func:`load` of a checked file."""
    if isinstance(columns, str):
        columns = [columns]
    if columns is not None and len(columns) == 0:
        raise ConfigError(f"{p}: columns= is empty; name the variables to load, or leave it out.")
    digest = _Digest(p, None)
    try:
        survey = _load_read(p, kind, columns, codebook, encoding, sheet, options, digest)
    finally:
        digest.cancel()
    return survey


def _load_read(p: Path, kind: str, columns: list[str] | None,
               codebook: str | Path | Mapping[str, Any] | bool | None, encoding: str | None,
               sheet: str | int | None, options: dict[str, Any], digest: _Digest) -> Survey:
    raw = _read(p, kind, list(columns) if columns is not None else None, encoding, sheet,
                dict(options))
    where = str(p)
    dataset: dict[str, Any] = {}
    sidecar_path: str | None = None
    spec: dict[str, Any] | None = None
    if codebook is not False:
        source = codebook if codebook not in (None, True) else find_sidecar(p)
        if source is not None:
            spec, sidecar_path = read_sidecar(source)
    infer_roles(raw, spec)
    if spec is not None:
        dataset = apply_sidecar(raw, spec, sidecar_path, where)
    data = raw.data
    if columns is not None and all(c in data.columns for c in columns):
        data = data[list(dict.fromkeys(columns))]  # the order the user asked for
    else:
        data = data.copy(deep=False)
    # from here on ``data`` is the only frame holding the columns: each step replaces them one
    # by one, so an old column is freed as soon as its new one exists (the frame never exists
    # twice; the SPSS reader's frame has one block per column, so nothing else holds them)
    raw.data = pd.DataFrame(columns=data.columns)
    apply_missing(data, raw.codebook, inplace=True)
    data, unconverted = convert_dates(data, raw.dates, where, inplace=True)
    apply_value_labels(data, raw.codebook, sidecar_path or where, inplace=True)
    options_used = dict(raw.options)
    if sidecar_path:
        options_used["codebook"] = sidecar_path
    if unconverted:
        options_used["unconverted_dates"] = unconverted
    if dataset.get("language"):
        options_used["language"] = str(dataset["language"])
    if columns is not None:
        options_used["columns"] = list(data.columns)
    # the codebook lists exactly the loaded columns, in their order
    cb = raw.codebook
    cb.variables = {str(c): cb.get(str(c)) for c in data.columns}
    source = Source(path=str(p), sha256=digest.result(), reader=raw.reader, options=options_used,
                    name=None if dataset.get("name") is None else str(dataset["name"]),
                    year=None if dataset.get("year") is None else str(dataset["year"]))
    return with_found_design(Survey(data=data, codebook=cb, source=source))


def with_found_design(survey: Survey) -> Survey:
    """``survey`` with the strata, PSUs and fpc its codebook's design roles name (PSUs nested
    in strata, as R's ``svydesign(nest=TRUE)``); the weight alone needs no design (estimators
    use ``codebook.weight``)."""
    roles = {v.design_role: v.name for v in survey.codebook if v.design_role}
    if not ({"strata", "psu", "fpc"} & set(roles)):
        return survey
    return survey.with_design(weight=survey.codebook.weight, strata=roles.get("strata"),
                              cluster=roles.get("psu"), fpc=roles.get("fpc"),
                              nest=bool(roles.get("strata") and roles.get("psu")))
