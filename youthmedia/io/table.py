"""From a grid of cells (a CSV or an Excel sheet) to codes plus codebook.

Shared by :mod:`.csv` and :mod:`.excel`: header checks, Forms exports, column selection and
type inference.

Examples
--------
>>> import pandas as pd
>>> from youthmedia.io.table import build_table
>>> raw = build_table(pd.DataFrame({"cijfer": ["7,5", "8"]}), "klas.csv", reader="csv",
...                   decimal=",")
>>> raw.data["cijfer"].tolist()
[7.5, 8.0]
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..codebook import Codebook, Variable
from ..errors import ConfigError
from .forms import detect_forms, transform_forms
from .infer import column_type, guess_decimal, infer_column
from .readstat import RawRead, check_columns

__all__ = ["build_table", "FORMS_CHOICES"]

FORMS_CHOICES = ("auto", "microsoft", "google", False, None)


def _select(frame: pd.DataFrame, columns: list[str] | None, where: str,
            aliases: dict[str, list[str]], sets: list[str] | None = None) -> pd.DataFrame:
    if columns is None:
        return frame
    unknown = [c for c in columns if c not in frame.columns and c not in aliases]
    if unknown:  # name the columns as load() makes them (and the sets), not the raw headers
        check_columns(where, unknown, list(frame.columns) + list(sets or []))
    wanted: list[str] = []
    for c in columns:
        for name in aliases.get(c, [c]):
            if name not in wanted:
                wanted.append(name)
    return frame[wanted]


def build_table(frame: pd.DataFrame, where: str, *, reader: str,
                columns: list[str] | None = None, decimal: str | None = None,
                thousands: str | None = None, forms: Any = "auto",
                delimiter: str | None = None, dayfirst: bool | None = None,
                options: dict[str, Any] | None = None) -> RawRead:
    """Turn text cells (columns already named from the header) into typed columns and a codebook.

    Parameters
    ----------
    frame : pandas.DataFrame
        Object cells; the header already checked by :func:`~.infer.clean_header`.
    where : str
        The file, for messages.
    reader : str
        ``"csv"`` or ``"excel"``; a Forms export becomes ``"forms"``.
    decimal, thousands : str, optional
        Number marks (default: detected).
    forms : {"auto", "microsoft", "google", False}
        Recognise a Forms export (default), force one kind, or never.
    """
    if forms not in FORMS_CHOICES:
        raise ConfigError(f"{where}: forms={forms!r}; use 'auto', 'microsoft', 'google' or False.")
    if decimal not in (None, ".", ","):
        raise ConfigError(f"{where}: decimal={decimal!r}; use '.' or ','.")
    opts = dict(options or {})
    all_columns = [str(c) for c in frame.columns]
    kind = detect_forms(all_columns) if forms == "auto" else (forms or None)
    variables: dict[str, Variable] = {}
    mr_sets = {}
    if kind:
        table = transform_forms(frame, kind)
        aliases: dict[str, list[str]] = {}
        for header, name in table.renamed.items():
            members = table.mr_sets[name].variables if name in table.mr_sets else [name]
            aliases[header] = members
            aliases[name] = members
        all_columns = list(table.data.columns) + list(table.mr_sets)
        frame = _select(table.data, columns, where, aliases, list(table.mr_sets))
        variables = {n: v for n, v in table.variables.items() if n in frame.columns}
        mr_sets = {n: s for n, s in table.mr_sets.items()
                   if all(v in frame.columns for v in s.variables)}
        reader = "forms"
        opts["forms"] = kind
        if table.renamed:
            opts["renamed"] = {h: n for h, n in table.renamed.items() if h != n}
    else:
        frame = _select(frame, columns, where, {})
    if decimal is None:
        sample: list[Any] = []
        for c in frame.columns:
            sample.extend(v for v in frame[c].head(500).tolist() if isinstance(v, str))
        decimal = guess_decimal(sample, delimiter)
    opts["decimal"] = decimal
    if dayfirst is None:  # 3/4/2024: 3 April in Europe (';' files, Excel here), 4 March in the US
        dayfirst = delimiter != ","
    if thousands is not None:
        opts["thousands"] = thousands
    data = {}
    for name in frame.columns:
        col = frame[name]
        if pd.api.types.is_float_dtype(col):  # 0/1 members of a Forms multi-select set
            data[name] = col.reset_index(drop=True)
        else:
            data[name] = infer_column(col.tolist(), decimal, thousands, dayfirst)
    out = pd.DataFrame(data, columns=list(frame.columns))
    for name in out.columns:
        var = variables.get(name) or Variable(name)
        var.type = column_type(out[name])
        if var.measure == "unknown" and var.type == "string":
            var.measure = "nominal"
        variables[name] = var
    codebook = Codebook(variables={n: variables[n] for n in out.columns}, mr_sets=mr_sets)
    return RawRead(out, codebook, reader, opts, all_columns)
