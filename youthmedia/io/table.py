"""A grid of text cells (a CSV file or an Excel sheet) to typed columns plus codebook: rows that
are no respondents dropped, Forms exports' columns named after their questions, decimal commas,
thousands separators and spreadsheet dates recognised."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Codebook, Variable, _preview
from ..errors import ConfigError, DataError

NA_TOKENS = frozenset("|NA|N/A|n/a|#N/A|#NULL!|NaN|nan|NULL|null|#N/B|#NB".split("|"))
_COMMA_DEC = re.compile(r"^[+-]?\d+,\d+$")
_DOT_DEC = re.compile(r"^[+-]?\d+\.\d+$")
_NUM_DOT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_NUM_COMMA = re.compile(r"^[+-]?(\d+,?\d*|,\d+)([eE][+-]?\d+)?$")
_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d*)?$")
_THOUSANDS_COMMA = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_AMPM = r"( ?[AaPp]\.? ?[Mm]\.?)?"
_DATE_ISO = re.compile(
    rf"^\d{{4}}[-/]\d{{1,2}}[-/]\d{{1,2}}([ T]\d{{1,2}}:\d{{2}}(:\d{{2}}(\.\d+)?)?{_AMPM})?$"
)
_DATE_DMY = re.compile(
    rf"^(\d{{1,2}})([-/.])(\d{{1,2}})\2(\d{{2}}|\d{{4}})( \d{{1,2}}:\d{{2}}(:\d{{2}})?{_AMPM})?$"
)
_TZ = re.compile(r"\s*(GMT|UTC|CET|CEST)\s*([+-]\d{1,2}(:?\d{2})?)?$")
FORMS_CHOICES = ("auto", "microsoft", "google", False, None)
#: the columns of a Forms export, from their header (lower case; spellings vary)
_KNOWN = {
    "id": r"^(id|respondent id|response id)$",
    "start_time": r"^(start\w*|begin\w*)( ?time| ?tijd)?$",
    "completion_time": r"^(completion|voltooi\w*|tijd van voltooi\w*|end ?time|eindtijd|submitted)\b",
    "last_modified_time": r"^(last modified|tijdstip van laatste wijziging|laatst gewijzigd)",
    "timestamp": r"^(timestamp|tijdstempel)$",
    "email": r"^(e-?mail|e-?mail ?address|e-?mailadres)$",
    "name": r"^(name|naam|full name|volledige naam)$",
}
_OTHERS = ": with other answers it can identify a respondent"
_WHY = {  # why each identifies a respondent (privacy words email:/name: itself)
    "id": "respondent ID of the Forms export",
    "start_time": "start time of the response" + _OTHERS,
    "completion_time": "completion time of the response" + _OTHERS,
    "last_modified_time": "time the response was last changed" + _OTHERS,
    "timestamp": "time the response was sent" + _OTHERS,
    "email": "email:name",
    "name": "name:name",
}
_SUB_HEADER = re.compile(
    r"^(response|open-ended response|antwoord|open antwoord|reactie|open-ended|other \(please specify\)|anders \(namelijk\))$"
)
_TOTAL = re.compile(
    r"(?i)^(totaal|totalen|total|totals|grand total|som|sum|subtotaal|subtotal|gemiddelde|gemiddeld|average|mean|n|aantal|count)\s*:?$"
)
_IMPORT_ID = re.compile(r'^\{\s*"ImportId"')


@dataclass
class RawRead:
    """What a reader hands to :func:`youthmedia.io.load`: codes, codebook, and how it read."""

    data: pd.DataFrame
    codebook: Codebook
    reader: str
    options: dict[str, Any] = field(default_factory=dict)
    all_columns: list[str] = field(default_factory=list)
    dates: dict[str, Any] = field(default_factory=dict)  # name -> spss.DateSpec


def check_columns(path: str, columns: list[str] | None, known: list[str]) -> list[str] | None:
    """``columns`` without repeats, or a :class:`ConfigError` naming the unknown ones."""
    if columns is None:
        return None
    columns = list(dict.fromkeys(str(c) for c in columns))
    unknown = [c for c in columns if c not in known]
    if unknown:
        raise ConfigError(
            f"{path}: no variable(s) {', '.join(map(repr, unknown))} in this file; known variables: {_preview(known, 40)}."
        )
    return columns


def is_na(value: Any) -> bool:
    """Whether a cell is empty (``""``, ``NA``, ``#N/A``, ``#NULL!``, NaN, None)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return True
    if isinstance(value, str):
        return value.strip() in NA_TOKENS
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(v: Any) -> str:
    return "" if is_na(v) else str(v).strip()


def _as_text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return v.isoformat(sep=" ") if isinstance(v, dt.datetime) else str(v)


def clean_header(names: Sequence[Any], where: str) -> list[str]:
    """Column names from a header row: trimmed, blanks named ``column_<n>``, duplicates refused."""
    texts = [raw if isinstance(raw, str) else "" if is_na(raw) else _as_text(raw) for raw in names]
    out = [t.strip() or f"column_{i + 1}" for i, t in enumerate(texts)]
    dupes = [name for name, k in Counter(out).items() if k > 1]
    if dupes:
        raise DataError(
            f"{where}: duplicate column name(s) {', '.join(map(repr, dupes))} in the header; "
            "give each column its own name (e.g. add a number) and load it again."
        )
    return out


def guess_decimal(values: Sequence[Any]) -> str:
    """``","`` when the numbers are written with a decimal comma (Dutch Excel), else ``"."``."""
    texts = [v.strip() for v in values if isinstance(v, str)]
    comma = sum(bool(_COMMA_DEC.match(v) or (_THOUSANDS_DOT.match(v) and "," in v)) for v in texts)
    dot = sum(bool(_DOT_DEC.match(v) and not _THOUSANDS_DOT.match(v)) for v in texts)
    return "," if comma > dot else "."


def parse_number(text: str, decimal: str = ".", thousands: str | None = None) -> float | None:
    """A number written as text, or ``None`` (grouped digits only unambiguous: ``1.234,5``)."""
    v = text.strip().replace("\u00a0", "").replace("\u202f", "")
    if decimal == ",":
        if thousands in (None, ".") and _THOUSANDS_DOT.match(v):
            v = v.replace(".", "")
        elif not _NUM_COMMA.match(v):
            return float(v) if _NUM_DOT.match(v) else None  # a point typed in a comma file
        v = v.replace(",", ".")
    elif thousands in (None, ",") and _THOUSANDS_COMMA.match(v):
        v = v.replace(",", "")
    elif not _NUM_DOT.match(v):
        return None
    return float(v)  # every text the patterns let through is one


def _parse_dates(texts: list[str], dayfirst_hint: bool) -> pd.Series | None:
    cleaned = [_TZ.sub("", t.strip()) for t in texts]
    dmy = [_DATE_DMY.match(t) for t in cleaned]
    dayfirst = False
    if not all(_DATE_ISO.match(t) for t in cleaned):
        if not all(dmy):
            return None
        first, second = (max(int(m.group(g)) for m in dmy) for g in (1, 3))
        if first > 12 and second > 12:
            return None
        dayfirst = first > 12 or (second <= 12 and (dayfirst_hint or dmy[0].group(2) in "-."))
    parsed = pd.to_datetime(pd.Series(cleaned), dayfirst=dayfirst, format="mixed", errors="coerce")
    return None if parsed.isna().any() else parsed


def infer_column(
    values: Sequence[Any], decimal: str = ".", thousands: str | None = None, dayfirst: bool = True
) -> pd.Series:
    """The best-fitting column for cells: numbers (``int64`` when whole), dates or text."""
    n = len(values)
    present = [(i, v) for i, v in enumerate(values) if not is_na(v)]
    if not present:
        return pd.Series([np.nan] * n, dtype="float64")
    out = np.full(n, np.nan)
    for i, v in present:
        x = None
        if isinstance(v, str):
            x = parse_number(v, decimal, thousands)
        elif isinstance(v, (int, float, np.number)) and not isinstance(v, bool):
            x = float(v)
        if x is None:
            break
        out[i] = x
    else:
        whole = np.all(out == np.round(out)) and np.all(np.abs(out) < 2**53)  # NaN: False
        return pd.Series(out.astype("int64")) if whole else pd.Series(out, dtype="float64")
    rows, cells = [i for i, _v in present], [v for _i, v in present]
    dates = _parse_dates(cells, dayfirst) if all(isinstance(v, str) for v in cells) else None
    if all(isinstance(v, (dt.date, pd.Timestamp, np.datetime64)) for v in cells):
        dates = pd.Series([pd.Timestamp(v) for v in cells], dtype="datetime64[us]")
    if dates is not None:
        col = pd.Series([pd.NaT] * n, dtype="datetime64[us]")
        col.iloc[rows] = dates.astype("datetime64[us]").to_numpy()
        return col
    text = [None] * n
    for i, v in present:
        text[i] = v.strip() if isinstance(v, str) else _as_text(v)
    return pd.Series(text, dtype="str")


def column_type(col: pd.Series) -> str:
    """Codebook type of an inferred column."""
    if pd.api.types.is_datetime64_any_dtype(col):
        times = col.dropna()
        return "datetime" if len(times) and (times.dt.normalize() != times).any() else "date"
    return "numeric" if pd.api.types.is_numeric_dtype(col) else "string"


def _known(header: Any) -> tuple[str, str] | None:
    key = " ".join(str(header).strip().lower().split())
    return next(((k, _WHY[k]) for k, pattern in _KNOWN.items() if re.match(pattern, key)), None)


def detect_forms(header: list[Any], frame: pd.DataFrame | None = None) -> str | None:
    """``"microsoft"``, ``"google"`` or ``None``: which Forms export the header is."""
    kinds = [(_known(h) or ("",))[0] for h in header]
    if {"id", "start_time", "completion_time"} <= set(kinds):
        return "microsoft"
    if kinds and kinds[0] == "timestamp":
        return "google"
    ended = frame is not None and any(
        frame[c].astype(str).str.rstrip().str.endswith(";").mean() >= 0.5 for c in frame.columns
    )
    return "microsoft" if "id" in kinds[:2] and ended else None


def slug(text: str, limit: int = 40) -> str:
    """A short lower-case ASCII name from a question or option text."""
    text = str(text)
    bare = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text)  # "(meer antwoorden mogelijk)"
    ascii_text = unicodedata.normalize("NFKD", bare if re.search(r"\w", bare) else text)
    words = re.findall(r"[a-z0-9]+", ascii_text.encode("ascii", "ignore").decode().lower())
    out = ""
    for w in words:
        if len(f"{out}_{w}") > limit + (not out):
            break
        out = f"{out}_{w}".lstrip("_")
    out = out or (words[0][:limit] if words else "q")
    return "q" + out if out[0].isdigit() else out


def _forms(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Variable], dict[str, str]]:
    """A Forms export's columns named after their questions, bookkeeping columns identifying."""
    variables, renamed = {}, {}
    for header in frame.columns:
        known = _known(header)
        name = base = known[0] if known else slug(header)
        k = 2
        while name in renamed.values():
            name, k = f"{base}_{k}", k + 1
        renamed[header] = name
        var = variables[name] = Variable(name, label=str(header), identifying=bool(known))
        if known:
            var.type, var.measure, var.identifying_reason = "string", "nominal", known[1]
    aliases = {h: n for h, n in renamed.items() if h != n}
    return frame.set_axis(list(renamed.values()), axis=1), variables, aliases


def _header_rows(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str], int]:
    """The frame without header rows under the header (Qualtrics, SurveyMonkey), labels, count."""
    if len(frame) < 2:
        return frame, {}, 0
    rows = [[_text(v) for v in frame.iloc[i].tolist()] for i in range(2)]
    names = list(frame.columns)
    if any(_IMPORT_ID.match(c) for c in rows[1]):  # Qualtrics: texts, then ImportIds
        return frame.iloc[2:], {n: t for n, t in zip(names, rows[0], strict=True) if t}, 2
    sub, blank = rows[0], [n for n in names if re.fullmatch(r"column_\d+", n)]
    marked = any(_SUB_HEADER.match(c.lower()) for c in sub)  # "Response", "Open-ended response"
    if not (marked or (blank and all(sub[names.index(n)] for n in blank))):
        return frame, {}, 0
    labels, renamed, question = {}, {}, ""
    for n, cell in zip(names, sub, strict=True):
        question = question if n in blank else n
        if cell and not _SUB_HEADER.match(cell.lower()):
            new = f"{slug(question, 32)}_{slug(cell, 24)}"
            renamed[n], labels[new] = new, f"{question} - {cell}"
    out = frame.iloc[1:].rename(columns=renamed)
    return (frame, {}, 0) if out.columns.duplicated().any() else (out, labels, 1)


def _total_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame without trailing total/summary rows ("Totaal", "Gemiddelde", "Total")."""
    end = len(frame)
    while end > 1:
        cells = [c for c in map(_text, frame.iloc[end - 1].tolist()) if c]
        words = [c for c in cells if not re.fullmatch(r"[\d.,%\s-]+", c)]
        if len(words) != 1 or not _TOTAL.match(words[0]):
            break
        end -= 1
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
    """Text cells as typed columns plus codebook (``forms``: ``"auto"``, a kind or ``False``)."""
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
    kind = detect_forms(list(frame.columns), frame) if forms == "auto" else (forms or None)
    variables = {n: Variable(n, label=lab) for n, lab in labels.items()}
    aliases: dict[str, str] = {}
    if kind:
        frame, variables, aliases = _forms(frame)
        reader, opts["forms"] = "forms", kind
        if aliases:
            opts["renamed"] = aliases
    all_columns = [str(c) for c in frame.columns]
    if columns is not None:  # names as load() makes them, or the raw headers of a Forms file
        wanted = [aliases.get(c, c) for c in columns]
        frame = frame[check_columns(where, wanted, all_columns)]
    if decimal is None and delimiter != ",":  # a comma-separated file has decimal points
        decimal = guess_decimal([v for c in frame.columns for v in frame[c].head(500).tolist()])
    opts["decimal"] = decimal = decimal or "."
    if thousands is not None:
        opts["thousands"] = thousands
    dayfirst = delimiter != "," if dayfirst is None else dayfirst  # 3/4: 3 April in Europe
    cols = {n: infer_column(frame[n].tolist(), decimal, thousands, dayfirst) for n in frame.columns}
    out = pd.DataFrame(cols, columns=list(frame.columns))
    for name in out.columns:
        var = variables[name] = variables.get(name) or Variable(name)
        var.type = column_type(out[name])
        if var.measure == "unknown" and var.type == "string":
            var.measure = "nominal"
    return RawRead(out, Codebook({n: variables[n] for n in out.columns}), reader, opts, all_columns)
