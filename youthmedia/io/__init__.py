"""Reading survey files: SPSS, Stata, CSV/TSV/TXT, Excel and Forms exports, behind :func:`load`.

Examples
--------
>>> import youthmedia as ym
>>> s = ym.load("data/youth_social_media_demo.sav")                  # doctest: +SKIP
>>> s = ym.load("klas.csv", columns=["leeftijd", "geslacht"])         # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ConfigError
from ..files import register_input
from ..privacy import protect
from ..survey import Source, Survey
from .labels import apply_missing, apply_value_labels
from .readstat import RawRead, convert_dates
from .roles import infer_roles
from .sidecar import apply_sidecar, find_sidecar, read_sidecar
from .sniff import check_file, sha256_of

__all__ = ["load"]


def _read(
    path: Path,
    kind: str,
    columns: list[str] | None,
    encoding: str | None,
    sheet: Any,
    options: dict[str, Any],
) -> RawRead:
    if sheet is not None and kind != "xlsx":
        raise ConfigError(f"{path}: sheet= is only for Excel files.")
    if kind in ("sav", "zsav", "por"):
        from .spss import read_spss

        return read_spss(path, kind, columns=columns, encoding=encoding, **options)
    if kind == "dta":
        from .stata import read_stata

        return read_stata(path, columns=columns, encoding=encoding, **options)
    if kind == "text":
        from .csv import read_text

        return read_text(path, columns=columns, encoding=encoding, **options)
    if encoding is not None:
        raise ConfigError(
            f"{path}: encoding= does not apply to Excel files (they carry their own); leave it out."
        )
    from .excel import read_excel

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
    if isinstance(columns, str):
        columns = [columns]
    if columns is not None and len(columns) == 0:
        raise ConfigError(f"{p}: columns= is empty; name the variables to load, or leave it out.")
    raw = _read(
        p, kind, list(columns) if columns is not None else None, encoding, sheet, dict(options)
    )
    spec, sidecar_path, dataset = None, None, {}
    if codebook is not False:
        source = codebook if codebook not in (None, True) else find_sidecar(p)
        if source is not None:
            spec, sidecar_path = read_sidecar(source)
    infer_roles(raw, spec)
    if spec is not None:
        dataset = apply_sidecar(raw, spec, sidecar_path, str(p))
    return with_found_design(protect(_survey(p, raw, columns, sidecar_path, dataset)))


def _survey(
    p: Path,
    raw: RawRead,
    columns: list[str] | None,
    sidecar_path: str | None,
    dataset: dict[str, Any],
) -> Survey:
    """The Survey of a read file: missing codes, dates and value labels applied."""
    data = raw.data
    if columns is not None and all(c in data.columns for c in columns):
        data = data[list(dict.fromkeys(columns))]  # the order the user asked for
    else:
        data = data.copy(deep=False)
    raw.data = pd.DataFrame(columns=data.columns)  # ``data`` alone holds the columns: each
    apply_missing(data, raw.codebook, inplace=True)  # step below frees an old one as it goes
    data, unconverted = convert_dates(data, raw.dates, str(p), inplace=True)
    apply_value_labels(data, raw.codebook, sidecar_path or str(p), inplace=True)
    used = dict(raw.options)
    for key, value in (
        ("codebook", sidecar_path),
        ("unconverted_dates", unconverted),
        ("language", dataset.get("language")),
    ):
        if value:
            used[key] = str(value) if key == "language" else value
    if columns is not None:
        used["columns"] = list(data.columns)
    cb = raw.codebook
    cb.variables = {str(c): cb.get(str(c)) for c in data.columns}  # the loaded columns only
    name, year = dataset.get("name"), dataset.get("year")
    source = Source(
        path=str(p),
        sha256=sha256_of(p),
        reader=raw.reader,
        options=used,
        name=None if name is None else str(name),
        year=None if year is None else str(year),
    )
    register_input(p)
    return Survey(data=data, codebook=cb, source=source)


def with_found_design(survey: Survey) -> Survey:
    """``survey`` with the strata, PSUs and fpc its codebook's design roles name (PSUs nested
    in strata, as R's ``svydesign(nest=TRUE)``); the weight alone needs no design (estimators
    use ``codebook.weight``)."""
    roles = {v.design_role: v.name for v in survey.codebook if v.design_role}
    if not ({"strata", "psu", "fpc"} & set(roles)):
        return survey
    return survey.with_design(
        weight=survey.codebook.weight,
        strata=roles.get("strata"),
        cluster=roles.get("psu"),
        fpc=roles.get("fpc"),
        nest=bool(roles.get("strata") and roles.get("psu")),
    )
