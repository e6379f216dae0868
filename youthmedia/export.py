"""Exports: figures as PNG/SVG/PDF, tables as XLSX/CSV, figures as a PowerPoint deck.

Every file is written atomically (a temporary file in the same folder, then ``os.replace``), so
that a crash or a full disk never leaves a half-written file where a good one was. The same
input gives byte-identical files: PNG without a ``Software`` stamp, SVG without a date and with
a fixed ``svg.hashsalt``, and XLSX/PPTX with fixed document dates and fixed ZIP timestamps.
Text cells of tables that a spreadsheet could run as a formula (starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return) are escaped with a leading apostrophe.

Examples
--------
>>> import tempfile, pathlib
>>> from youthmedia.result import Result
>>> from youthmedia.figures import charts
>>> from youthmedia import export
>>> r = Result.from_rows([{"variable": "x", "category": "ja", "estimate": 0.4, "ci_low": 0.35,
...                        "ci_high": 0.45, "n": 400}], labels={"nl": {"x": "Gepest online"}})
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> png = export.save_figure(charts.bars(r), out / "gepest.png")
>>> sorted(p.name for p in out.iterdir())
['gepest.alt.txt', 'gepest.png']
>>> export.escape_cell("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
"""

from __future__ import annotations

import io
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, overload

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from . import i18n, privacy
from .deck import _fixed_date, _normalise_zip, write_deck
from .errors import ConfigError, DataError
from .files import atomic_write
from .result import Result

__all__ = ["atomic_write", "save_figure", "write_csv", "write_deck", "write_xlsx"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SVG_RC = {"svg.hashsalt": "youthmedia", "svg.fonttype": "path", "svg.id": None}


# -- formula-injection safety --------------------------------------------------------------------
def escape_cell(value: Any) -> Any:
    """Escape a text that a spreadsheet could run as a formula; other values pass unchanged.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
    apostrophe (OWASP's advice for CSV injection), so that Excel and LibreOffice show it as
    text instead of running it.

    Examples
    --------
    >>> escape_cell("-1 = weet niet"), escape_cell("jongen"), escape_cell(-1)
    ("'-1 = weet niet", 'jongen', -1)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


# -- figures -------------------------------------------------------------------------------------
def figure_bytes(fig: Figure, fmt: str = "png", dpi: int | None = None) -> bytes:
    """The bytes of ``fig`` as ``png``, ``svg`` or ``pdf``; the same figure gives the same bytes.

    The figure keeps its size (16:9 slide): no ``bbox_inches="tight"``.
    """
    fmt = fmt.lower().lstrip(".")
    if fmt not in ("png", "svg", "pdf"):
        raise ConfigError(f"Unknown figure format {fmt!r}; use png, svg or pdf.")
    theme_dpi = getattr(fig, "youthmedia_dpi", 200)
    dpi = int(dpi or theme_dpi)
    if fmt == "png" and dpi < 200:
        raise ConfigError(f"dpi={dpi} is too coarse for a slide; use 200 or more.")
    metadata: dict[str, Any] = {
        "png": {"Software": None},
        "svg": {"Date": None, "Creator": None},
        "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
    }[fmt]
    privacy.gate_figure(fig)   # every text on the figure, its alt text and notes
    buf = io.BytesIO()
    with matplotlib.rc_context(_SVG_RC):
        fig.savefig(buf, format=fmt, dpi=dpi, metadata=metadata, facecolor=fig.get_facecolor())
    return buf.getvalue()


#: The formats :func:`save_figure` writes for a path without a suffix: a PNG for slides and
#: documents, an SVG for the web and for editing.
FIGURE_FORMATS = ("png", "svg")


@overload
def save_figure(fig: Figure, path: str | os.PathLike[str], dpi: int | None = None,
                alt_text: bool = True, formats: None = None) -> Path: ...
@overload
def save_figure(fig: Figure, path: str | os.PathLike[str], dpi: int | None = None,
                alt_text: bool = True, formats: Sequence[str] = ...) -> list[Path]: ...


def save_figure(fig: Figure, path: str | os.PathLike[str], dpi: int | None = None,
                alt_text: bool = True, formats: Sequence[str] | None = None) -> Path | list[Path]:
    """Save ``fig`` to ``path`` (``.png``, ``.svg`` or ``.pdf``) and its alt text beside it.

    The alt text (``fig.slide.alt_text``) goes to ``<stem>.alt.txt`` beside it (a name no
    survey file has), so that whoever puts the image in a slide, page or report has it at hand. A path without a
    suffix (``out / "reach_2023"``) writes every format of ``formats`` (default PNG and SVG)
    in one call.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure from :mod:`youthmedia.figures` (any matplotlib figure works; without alt text
        no ``.txt`` is written).
    path : path
        The file to write; its suffix chooses the format. Without a suffix: the stem of the
        files to write in ``formats``.
    dpi : int, optional
        PNG resolution; default the theme's (200).
    alt_text : bool
        Write ``<stem>.alt.txt`` beside the image.
    formats : sequence of {"png", "svg", "pdf"}, optional
        Write these formats (``path``'s suffix, if any, is replaced); by default
        :data:`FIGURE_FORMATS` when ``path`` has no suffix.

    Returns
    -------
    pathlib.Path, or list of pathlib.Path
        The file written; with ``formats`` (or a path without a suffix) the files, in order.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from youthmedia.result import Result
    >>> from youthmedia.figures import charts
    >>> r = Result.from_rows([{"variable": "x", "category": "ja", "estimate": 0.4, "n": 400}])
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in save_figure(charts.bars(r), out / "x")]
    ['x.png', 'x.svg']
    >>> sorted(p.name for p in out.iterdir())
    ['x.alt.txt', 'x.png', 'x.svg']
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if formats is None and fmt in ("png", "svg", "pdf"):
        atomic_write(path, figure_bytes(fig, fmt, dpi))
        _save_alt_text(fig, path, alt_text)
        return path
    if formats is None and fmt:
        raise ConfigError(f"{path.name} does not end in .png, .svg or .pdf; give one of those, "
                          "or a name without a suffix for PNG and SVG.")
    if isinstance(formats, str):
        formats = [formats]
    wanted = [f.lower().lstrip(".") for f in (formats or FIGURE_FORMATS)]
    if not wanted:
        raise ConfigError("formats is empty; give e.g. formats=('png', 'svg').")
    stem = path.with_suffix("") if fmt in ("png", "svg", "pdf") else path
    written = []
    for f in dict.fromkeys(wanted):
        target = stem.with_name(f"{stem.name}.{f}")
        atomic_write(target, figure_bytes(fig, f, dpi))
        written.append(target)
    _save_alt_text(fig, stem.with_name(f"{stem.name}.png"), alt_text)
    return written


def _save_alt_text(fig: Figure, path: Path, alt_text: bool) -> None:
    alt = getattr(getattr(fig, "slide", None), "alt_text", None)
    if alt_text and alt:
        atomic_write(path.with_suffix(".alt.txt"), alt.rstrip("\n") + "\n")


# -- tables --------------------------------------------------------------------------------------
def _is_percent(result: Result) -> bool:
    if result.meta.percent is not None:
        return result.meta.percent
    return result.meta.kind in ("share", "crosstab", "table")


def _is_difference(result: Result) -> bool:
    """Rows that are differences between two groups (``ym.difference``), not a ``ym.compare``
    Result that holds the groups beside their difference."""
    return result.meta.kind == "difference" and not result.by


_PP = {"nl": "procentpunten", "en": "percentage points"}
_DIFF = {"nl": "Verschil", "en": "Difference"}


def _group_names(result: Result, lang: str) -> tuple[str, str]:
    """The labels of a difference's two groups (``meta.groups``), first and second."""
    groups = [str(g) for g in result.meta.groups]
    if len(groups) != 2:
        return "A", "B"
    by = result.meta.compared_by
    if by:
        return result.category_label(by, groups[0], lang), result.category_label(by, groups[1], lang)
    return groups[0], groups[1]


def table_frame(result: Result, lang: str = "nl") -> tuple[pd.DataFrame, list[str]]:
    """A Result as a labelled table for people: translated headers and labels, notes.

    A Result that has not been through :func:`youthmedia.privacy.suppress` goes through it
    first; suppressed estimates are empty cells with "–" in the note column. The effective n
    and the weighted base are rounded to one decimal; a ``p`` column is kept where the Result
    has one.

    A difference (``ym.difference``) is written as what it is: both groups' estimates and n
    ("Percentage 2019", "Percentage 2023", "n 2019", ...), then the difference, its standard
    error and interval in percentage points for shares ("Verschil 2023 − 2019
    (procentpunten)": numbers, ``41.6``, not a percentage), then ``t`` and ``p``. Their names
    are in ``frame.attrs["pp_columns"]``.

    Returns
    -------
    (pandas.DataFrame, list of str)
        The table and the names of its percentage columns (proportions 0–1).

    Examples
    --------
    >>> r = Result.from_rows([{"variable": "tt", "estimate": 0.416, "ci_low": 0.371,
    ...     "ci_high": 0.461, "n": 3004, "n_eff": 2573.93608, "estimate_a": 0.222,
    ...     "estimate_b": 0.637, "n_a": 1496, "n_b": 1508, "p": 4e-46}], kind="difference",
    ...     percent=True, groups=("2019", "2023"), labels={"en": {"tt": "TikTok"}})
    >>> frame, pct = table_frame(r, "en")
    >>> list(frame.columns)[:5]
    ['Question', 'Percentage 2019', 'Percentage 2023', 'n 2019', 'n 2023']
    >>> frame.attrs["pp_columns"][0], float(frame.iloc[0, 5]), float(frame["Effective n"].iloc[0])
    ('Difference 2023 − 2019 (percentage points)', 41.6, 2573.9)
    """
    lang = i18n.check_lang(lang)
    if not isinstance(result, Result):
        raise ConfigError(f"Tables take a youthmedia Result, not {type(result).__name__}.")
    if not result.meta.privacy and "n" in result and result["n"].notna().any():
        result = privacy.suppress(result)
    frame = pd.DataFrame(result).reset_index(drop=True)
    percent = _is_percent(result)
    level = i18n.percent(result.meta.level or 0.95, lang)
    out = pd.DataFrame(index=frame.index)
    for b in result.by:
        if b in frame:
            out[result.label(b, lang)] = [result.category_label(b, _text(v), lang) for v in frame[b]]
    out[i18n.t("col_variable", lang)] = [result.label(v, lang) for v in frame["variable"].map(_text)]
    if frame["category"].map(_text).ne("").any():
        out[i18n.t("col_category", lang)] = [
            result.category_label(v, c, lang) if c else ""
            for v, c in zip(frame["variable"].map(_text), frame["category"].map(_text), strict=True)]
    difference = _is_difference(result)
    pp_cols: list[str] = []
    if difference:
        a, b = _group_names(result, lang)
        group_est = i18n.t("col_percent" if percent else "col_estimate", lang)
        for col, name in (("estimate_a", f"{group_est} {a}"), ("estimate_b", f"{group_est} {b}")):
            if col in frame:
                values = pd.to_numeric(frame[col], errors="coerce").astype(float)
                out[name] = values.where(~frame["suppressed"].fillna(False).astype(bool)).to_numpy()
        for col, name in (("n_a", f"n {a}"), ("n_b", f"n {b}")):
            if col in frame:
                out[name] = pd.to_numeric(frame[col], errors="coerce").round().astype("Int64").to_numpy()
        unit = f" ({_PP[lang]})" if percent else ""
        est_name = f"{_DIFF[lang]} {b} − {a}{unit}"
    else:
        est_name = i18n.t("col_percent" if percent else "col_estimate", lang)
    names = {
        "estimate": est_name,
        "se": i18n.t("col_se", lang),
        "ci_low": i18n.t("col_ci_low", lang, level=level),
        "ci_high": i18n.t("col_ci_high", lang, level=level),
        "n": i18n.t("col_n", lang),
        "n_eff": i18n.t("col_n_eff", lang),
        "base": i18n.t("col_base", lang),
    }
    if difference:
        unit = f" ({_PP[lang]})" if percent else ""
        for col in ("se", "ci_low", "ci_high"):
            names[col] += unit
    suppressed = frame["suppressed"].fillna(False).astype(bool).to_numpy()
    for col, name in names.items():
        values = pd.to_numeric(frame[col], errors="coerce").astype(float)
        if col in ("estimate", "se", "ci_low", "ci_high"):
            values = values.where(~suppressed)
            if difference and percent:   # percentage points: numbers, not proportions
                values = (100 * values).round(4)
                pp_cols.append(name)
        if col == "n" and values.dropna().eq(values.dropna().round()).all():
            values = values.round().astype("Int64")  # counts are whole numbers
        if col in ("n_eff", "base"):
            values = values.round(1)                  # no 15 decimals of a weighted count
        if values.notna().any() or col in ("estimate", "n"):
            # .array keeps whole counts whole beside a row without n (a question not asked)
            out[name] = values.array if isinstance(values.dtype, pd.Int64Dtype) else values.to_numpy()
    for col in ("t", "p") if difference else ("p",):
        if col in frame:
            values = pd.to_numeric(frame[col], errors="coerce").astype(float)
            if values.notna().any():
                out[col] = values.where(~suppressed).to_numpy()
    info = result.meta.privacy
    notes = []
    for reason, sup in zip(frame["reason"].map(_text), suppressed, strict=True):
        text = privacy.reason_text(reason, lang, min_n=info.get("min_n"),
                                   indicative_n=info.get("indicative_n")) if reason else ""
        notes.append(f"{privacy.SUPPRESSED_SYMBOL} {text}".strip() if sup else text)
    if any(notes):
        out[i18n.t("col_note", lang)] = notes
    if difference:
        a, b = _group_names(result, lang)
        group_est = i18n.t("col_percent" if percent else "col_estimate", lang)
        pct_cols = [c for c in (f"{group_est} {a}", f"{group_est} {b}") if percent and c in out]
    else:
        pct_cols = [names[c] for c in ("estimate", "se", "ci_low", "ci_high")
                    if percent and names[c] in out.columns]
    out.attrs["pp_columns"] = [c for c in pp_cols if c in out.columns]
    return out, pct_cols


def _text(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _title(result: Result, lang: str) -> str:
    title = result.meta.title
    if title:
        return i18n.text_in(title, lang)
    variables = [v for v in dict.fromkeys(_text(v) for v in result["variable"]) if v]
    labels = [result.label(v, lang) for v in variables]
    text = i18n.join(labels[:4] + ([i18n.t("more", lang, k=len(labels) - 4)] if len(labels) > 4 else []), lang)
    if result.by:
        text += " – " + i18n.t("alt_by", lang, by=", ".join(result.label(b, lang) for b in result.by))
    return text


def _source_line(result: Result, lang: str) -> str:
    from .figures.text import source_line

    return source_line(result, lang)


def _notes(result: Result, lang: str) -> list[str]:
    checked = result if result.meta.privacy or "n" not in result or result["n"].isna().all() \
        else privacy.suppress(result)
    notes = privacy.footnotes(checked, lang)
    # row-scoped notes (Clopper–Pearson) only where an exported, shown row carries them
    notes += [i18n.text_in(n, lang) for n in checked.notes_for() if n]
    return notes


def _as_tables(tables: Mapping[str, Any] | Sequence[Any] | Result, lang: str) -> list[tuple[str, Result]]:
    if isinstance(tables, Result):
        items = [(_title(tables, lang), tables)]
    elif isinstance(tables, Mapping):
        items = [(str(k), v) for k, v in tables.items()]
    else:
        items = [(_title(t, lang) if isinstance(t, Result) else f"{i18n.t('table', lang)} {i + 1}", t)
                 for i, t in enumerate(tables)]
    if not items:
        raise DataError("There are no tables to write.")
    for name, t in items:
        if not isinstance(t, Result):
            raise ConfigError(f"Table {name!r} is a {type(t).__name__}; give youthmedia Results.")
    return items


def _sheet_names(titles: Iterable[str]) -> list[str]:
    used: set[str] = set()
    out = []
    for i, title in enumerate(titles, start=1):
        base = re.sub(r"[\[\]:*?/\\]", " ", title).strip().strip("'") or f"{i}"
        base = re.sub(r"\s+", " ", base)[:31]
        name, k = base, 2
        while name.casefold() in used or name.casefold() == "history":
            suffix = f" ({k})"
            name = base[:31 - len(suffix)] + suffix
            k += 1
        used.add(name.casefold())
        out.append(name)
    return out


def write_xlsx(tables: Mapping[str, Result] | Sequence[Result] | Result,
               path: str | os.PathLike[str], lang: str = "nl", title: str | None = None) -> Path:
    """Write Results to an Excel workbook: one labelled sheet per table.

    Each sheet has the table's title, its source line, a header row (frozen), the rows with
    percentages formatted as percentages and counts with thousands separators, and the
    footnotes (suppressed and indicative estimates, the Result's notes). With more than one
    table a first sheet lists them. Text cells are formula-injection safe.

    Parameters
    ----------
    tables : Result, list of Result, or dict of title to Result
    path : path
        The ``.xlsx`` file to write.
    lang : {"nl", "en"}
    title : str, optional
        The workbook's title (document properties and contents sheet).

    Returns
    -------
    pathlib.Path
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    lang = i18n.check_lang(lang)
    items = _as_tables(tables, lang)
    # one workbook is one output: no hidden cell may be recovered from another sheet
    counted = [i for i, (_, r) in enumerate(items) if "n" in r and r["n"].notna().any()]
    for i, r in zip(counted, privacy.suppress_across([items[i][1] for i in counted]), strict=True):
        items[i] = (items[i][0], r)
    names = _sheet_names(t for t, _ in items)
    wb = Workbook()
    first = wb.active
    if len(items) > 1:
        first.title = i18n.t("contents", lang)
        first["A1"] = escape_cell(title or i18n.t("contents", lang))
        first["A1"].font = Font(bold=True, size=14)
        for row, ((label, _), name) in enumerate(zip(items, names, strict=True), start=3):
            first.cell(row=row, column=1, value=escape_cell(name))
            first.cell(row=row, column=2, value=escape_cell(label))
        first.column_dimensions["A"].width = 34
        first.column_dimensions["B"].width = 80
    else:
        wb.remove(first)
    for (label, result), name in zip(items, names, strict=True):
        ws = wb.create_sheet(name)
        frame, pct_cols = table_frame(result, lang)
        ws["A1"] = escape_cell(label)
        ws["A1"].font = Font(bold=True, size=14)
        ws["A2"] = escape_cell(_source_line(result, lang))
        ws["A2"].font = Font(italic=True)
        header_row = 4
        for j, col in enumerate(frame.columns, start=1):
            cell = ws.cell(row=header_row, column=j, value=escape_cell(str(col)))
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        count_cols = {i18n.t("col_n", lang), i18n.t("col_n_eff", lang), i18n.t("col_base", lang)}
        pp_cols = set(frame.attrs.get("pp_columns", []))
        for i, row in enumerate(frame.itertuples(index=False), start=header_row + 1):
            for j, (col, value) in enumerate(zip(frame.columns, row, strict=True), start=1):
                if value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                    value = None
                elif hasattr(value, "item"):  # numpy scalar -> Python number
                    value = value.item()
                cell = ws.cell(row=i, column=j, value=escape_cell(value))
                if col in pct_cols and value is not None:
                    cell.number_format = "0.0%"
                elif col in pp_cols and value is not None:
                    cell.number_format = "+0.0;-0.0;0.0"   # percentage points, signed
                elif col == "p" and value is not None:
                    cell.number_format = "0.000"
                elif col in count_cols and value is not None:
                    cell.number_format = "#,##0" if col == i18n.t("col_n", lang) else "#,##0.0"
                elif col == i18n.t("col_estimate", lang) and value is not None:
                    cell.number_format = "0.00"
                elif col == i18n.t("col_se", lang) and value is not None:
                    cell.number_format = "0.000"
        row = header_row + len(frame) + 2
        for note in _notes(result, lang):
            ws.cell(row=row, column=1, value=escape_cell(note))
            row += 1
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
        for j, col in enumerate(frame.columns, start=1):
            width = max([len(str(col))] + [len(str(v)) for v in frame[col].head(200)
                                            if isinstance(v, str)] + [8])
            ws.column_dimensions[get_column_letter(j)].width = min(width + 2, 60)
    props = wb.properties
    props.title = title or (items[0][0] if len(items) == 1 else i18n.t("contents", lang))
    props.creator = "youthmedia"
    props.lastModifiedBy = "youthmedia"
    props.created = props.modified = _fixed_date()
    buf = io.BytesIO()
    wb.save(buf)
    return atomic_write(path, _normalise_zip(buf.getvalue()))


def write_csv(result: Result, path: str | os.PathLike[str], lang: str = "nl",
              sep: str | None = None) -> Path:
    """Write one Result as a labelled CSV file that Excel opens correctly.

    Dutch files use ``;`` between fields and a decimal comma (what Dutch Excel expects), English
    ones ``,`` and a decimal point. Percentages are written as numbers 0–100 with their column
    header saying ``(%)``. The file is UTF-8 with a byte-order mark; text is
    formula-injection safe.
    """
    lang = i18n.check_lang(lang)
    frame, pct_cols = table_frame(result, lang)
    frame = frame.copy()
    for col in pct_cols:
        frame[col] = (100 * frame[col]).round(4)
    frame = frame.rename(columns={c: f"{c} (%)" for c in pct_cols})
    frame.columns = [escape_cell(str(c)) for c in frame.columns]
    for col in frame.columns:
        if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            frame[col] = frame[col].map(escape_cell)
    sep = sep or (";" if lang == "nl" else ",")
    decimal = "," if lang == "nl" else "."
    if sep == decimal:
        raise ConfigError(f"sep={sep!r} is also the decimal mark in {lang!r}; choose another.")
    text = frame.to_csv(index=False, sep=sep, decimal=decimal, lineterminator="\n")
    return atomic_write(path, "\ufeff" + text)
