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

import re
from typing import Any

import pandas as pd

from ..codebook import Codebook, Variable
from ..errors import ConfigError
from .forms import detect_forms, slug, transform_forms
from .infer import column_type, guess_decimal, infer_column, is_na
from .readstat import RawRead, check_columns

__all__ = ["build_table", "FORMS_CHOICES"]

FORMS_CHOICES = ("auto", "microsoft", "google", False, None)


def _select(
    frame: pd.DataFrame, columns: list[str] | None, where: str, aliases: dict[str, list[str]]
) -> pd.DataFrame:
    if columns is None:
        return frame
    unknown = [c for c in columns if c not in frame.columns and c not in aliases]
    if unknown:  # name the columns as load() makes them, not the raw headers
        check_columns(where, unknown, list(frame.columns))
    wanted: list[str] = []
    for c in columns:
        for name in aliases.get(c, [c]):
            if name not in wanted:
                wanted.append(name)
    return frame[wanted]


_SUB_HEADER = {
    "response",
    "open-ended response",
    "antwoord",
    "open antwoord",
    "reactie",
    "open-ended",
    "other (please specify)",
    "anders (namelijk)",
}
_TOTAL = re.compile(
    r"^(totaal|totalen|total|totals|grand total|som|sum|subtotaal|subtotal|"
    r"gemiddelde|gemiddeld|average|mean|n|aantal|count)\s*:?$",
    re.I,
)
_IMPORT_ID = re.compile(r'^\{\s*"ImportId"')


def _text(v: Any) -> str:
    return "" if is_na(v) else str(v).strip()


def _header_rows(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str], int]:
    """Rows under the header that are header too: Qualtrics' question texts and ImportId row,
    SurveyMonkey's second row (``Response``, the options of a multi-select question). Returns
    the frame without them, labels by column, and how many rows were header."""
    if len(frame) < 2:
        return frame, {}, 0
    rows = [[_text(v) for v in frame.iloc[i].tolist()] for i in range(min(2, len(frame)))]
    names = list(frame.columns)
    if any(_IMPORT_ID.match(c) for c in rows[-1]):  # Qualtrics: texts, then ImportIds
        skip = len(rows) if len(rows) == 2 else 1
        labels = {n: t for n, t in zip(names, rows[0], strict=True) if t and skip == 2}
        return frame.iloc[skip:], labels, skip
    blank = [n for n in names if re.fullmatch(r"column_\d+", n)]
    sub = rows[0]
    monkey = any(c.lower() in _SUB_HEADER for c in sub) or (
        blank and all(sub[names.index(n)] for n in blank)
    )
    if not monkey:
        return frame, {}, 0
    labels, renamed, question = {}, {}, ""
    for n, cell in zip(names, sub, strict=True):
        if n not in blank:
            question = n
        if cell and cell.lower() not in _SUB_HEADER:
            new = f"{slug(question, 32)}_{slug(cell, 24)}"
            renamed[n], labels[new] = new, f"{question} - {cell}"
    out = frame.iloc[1:].rename(columns=renamed)
    if len(set(out.columns)) != len(out.columns):
        return frame, {}, 0
    return out, labels, 1


def _total_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame without trailing total/summary rows ("Totaal", "Gemiddelde", "Total")."""
    end = len(frame)
    while end > 1:
        cells = [_text(v) for v in frame.iloc[end - 1].tolist()]
        words = [c for c in cells if c and not re.fullmatch(r"[\d.,%\s-]+", c)]
        if len(words) == 1 and _TOTAL.match(words[0]):
            end -= 1
        else:
            break
    return frame.iloc[:end]


def build_table(
    frame: pd.DataFrame,
    where: str,
    *,
    reader: str,
    columns: list[str] | None = None,
    decimal: str | None = None,
    thousands: str | None = None,
    forms: Any = "auto",
    delimiter: str | None = None,
    dayfirst: bool | None = None,
    options: dict[str, Any] | None = None,
) -> RawRead:
    """Turn text cells (columns already named from the header) into typed columns and a codebook.

    Header rows under the header (SurveyMonkey, Qualtrics) give labels and are not
    respondents; trailing total rows are dropped (both counted in the options).

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
    frame, labels, skipped = _header_rows(frame)
    n_rows = len(frame)
    frame = _total_rows(frame)
    if skipped or len(frame) < n_rows:
        opts["rows_not_respondents"] = {"header": skipped, "total": n_rows - len(frame)}
    all_columns = [str(c) for c in frame.columns]
    kind = detect_forms(all_columns, frame) if forms == "auto" else (forms or None)
    variables: dict[str, Variable] = {n: Variable(n, label=lab) for n, lab in labels.items()}
    if kind:
        table = transform_forms(frame, kind)
        aliases = {h: [n] for h, n in table.renamed.items()}
        all_columns = list(table.data.columns)
        frame = _select(table.data, columns, where, aliases)
        variables = {n: v for n, v in table.variables.items() if n in frame.columns}
        reader = "forms"
        opts["forms"] = kind
        if any(h != n for h, n in table.renamed.items()):
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
        data[name] = infer_column(col.tolist(), decimal, thousands, dayfirst)
    out = pd.DataFrame(data, columns=list(frame.columns))
    for name in out.columns:
        var = variables.get(name) or Variable(name)
        var.type = column_type(out[name])
        if var.measure == "unknown" and var.type == "string":
            var.measure = "nominal"
        variables[name] = var
    codebook = Codebook(variables={n: variables[n] for n in out.columns})
    return RawRead(out, codebook, reader, opts, all_columns)
