"""Exports: figures as PNG/SVG/PDF, tables as XLSX/CSV, figures as a PowerPoint deck; written
atomically, the same input giving the same bytes (no stamps or dates, fixed ``svg.hashsalt``).
Text a spreadsheet could run as a formula gets a leading apostrophe.

Examples
--------
>>> import tempfile, pathlib
>>> from youthmedia.result import Result
>>> from youthmedia.figures import charts
>>> r = Result.from_rows([{"variable": "x", "category": "ja", "estimate": 0.4, "n": 400}])
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> [p.name for p in save_figure(charts.bars(r), out / "gepest")]
['gepest.png', 'gepest.svg']
>>> escape_cell("=HYPERLINK(1)"), escape_cell("jongen"), escape_cell(-1)
("'=HYPERLINK(1)", 'jongen', -1)
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from . import i18n, privacy
from .deck import _normalise_zip, write_deck
from .errors import ConfigError, DataError
from .figures.data import is_difference, is_percent
from .figures.text import source_line
from .files import atomic_write
from .result import Result

__all__ = ["atomic_write", "save_figure", "table_frame", "write_csv", "write_deck", "write_xlsx"]

_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
}
_RC = {"svg.hashsalt": "youthmedia", "svg.fonttype": "path", "svg.id": None}
_ESTIMATES = ("estimate", "se", "ci_low", "ci_high")


def escape_cell(value: Any) -> Any:
    """Escape a text that a spreadsheet could run as a formula; other values pass unchanged."""
    formula = isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r"))
    return "'" + value if formula else value


def save_figure(
    fig: Figure, path: str | os.PathLike[str], dpi: int | None = None, alt_text: bool = True
) -> Path | list[Path]:
    """Save ``fig`` to ``path`` (``.png``, ``.svg`` or ``.pdf``) and its alt text beside it.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    path : path
        The file to write; its suffix chooses the format; without one PNG and SVG are written.
    dpi : int, optional
        PNG resolution; default the theme's (200).
    alt_text : bool
        Write ``fig.slide.alt_text`` to ``<stem>.alt.txt`` beside the image.

    Returns
    -------
    pathlib.Path, or a list of them (for a path without a suffix)
    """
    path = Path(path)
    if (fmt := path.suffix.lower().lstrip(".")) and fmt not in _METADATA:
        raise ConfigError(
            f"{path.name} does not end in .png, .svg or .pdf; give one of those, "
            "or a name without a suffix for PNG and SVG."
        )
    dpi = int(dpi or getattr(fig, "youthmedia_dpi", 200))
    if dpi < 200:
        raise ConfigError(f"dpi={dpi} is too coarse for a slide; use 200 or more.")
    privacy.gate_figure(fig)  # every text on the figure, its alt text and notes
    stem, written = path.with_suffix("") if fmt else path, []
    for f in [fmt] if fmt else ["png", "svg"]:
        with matplotlib.rc_context(_RC):  # drawn whole first: an interrupt leaves no file
            buf, face = io.BytesIO(), fig.get_facecolor()
            fig.savefig(buf, format=f, dpi=dpi, metadata=_METADATA[f], facecolor=face)
        target = stem.with_name(f"{stem.name}.{f}")
        written.append(atomic_write(target, buf.getvalue(), made_from=[fig]))
    if alt_text and (alt := getattr(getattr(fig, "slide", None), "alt_text", None)):
        alt_path = stem.with_name(f"{stem.name}.alt.txt")
        atomic_write(alt_path, alt.rstrip("\n") + "\n", made_from=[fig])
    return written[0] if fmt else written


def _text(value: Any) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def table_frame(result: Result, lang: str = "nl") -> tuple[pd.DataFrame, list[str]]:
    """A Result as a labelled table for people: translated headers and labels, notes.

    Suppressed estimates (:func:`youthmedia.privacy.suppress`) are empty with "–" in the note
    column. A difference gives both groups' estimates and n, then the difference, its SE and
    interval (percentage points for shares: ``frame.attrs["pp_columns"]``), ``t`` and ``p``.

    Returns
    -------
    (pandas.DataFrame, list of str)
        The table and the names of its percentage columns (proportions 0–1).

    Examples
    --------
    >>> r = Result.from_rows([{"variable": "tt", "estimate": 0.416, "n": 3004, "estimate_a":
    ...     0.222, "estimate_b": 0.637, "n_a": 1496, "n_b": 1508}], kind="difference",
    ...     percent=True, groups=("2019", "2023"), labels={"en": {"tt": "TikTok"}})
    >>> list(table_frame(r, "en")[0].columns)[:6]   # doctest: +NORMALIZE_WHITESPACE
    ['Question', 'Percentage 2019', 'Percentage 2023', 'n 2019', 'n 2023',
     'Difference 2023 − 2019 (percentage points)']
    """
    if not isinstance(result, Result):
        raise ConfigError(f"Tables take a youthmedia Result, not {type(result).__name__}.")
    lang, meta = i18n.check_lang(lang), result.meta
    if not meta.privacy and "n" in result and result["n"].notna().any():
        result = privacy.suppress(result)
    frame = pd.DataFrame(result).reset_index(drop=True)
    percent, difference = is_percent(result), is_difference(result)
    hidden = frame["suppressed"].fillna(False).astype(bool)
    out = pd.DataFrame(index=frame.index)
    for b in (b for b in result.by if b in frame):
        out[result.label(b, lang)] = [result.category_label(b, _text(v), lang) for v in frame[b]]
    variables, cats = frame["variable"].map(_text), frame["category"].map(_text)
    out[i18n.t("col_variable", lang)] = [result.label(v, lang) for v in variables]
    if cats.ne("").any():
        out[i18n.t("col_category", lang)] = [
            result.category_label(v, c, lang) if c else ""
            for v, c in zip(variables, cats, strict=True)
        ]
    est = i18n.t("col_percent" if percent else "col_estimate", lang)
    unit = i18n.t("pp_unit", lang) if difference and percent else ""
    level, names, pct_cols = i18n.percent(meta.level or 0.95, lang), {}, []
    if difference:  # both groups' estimates and n, then the difference
        groups, by = [str(g) for g in meta.groups], meta.compared_by
        two = [result.category_label(by, g, lang) if by else g for g in groups]
        a, b = two if len(groups) == 2 else "AB"
        names = {"estimate_a": f"{est} {a}", "estimate_b": f"{est} {b}", "n_a": f"n {a}"}
        names["n_b"], est = f"n {b}", i18n.t("col_difference", lang, a=a, b=b) + unit
    names |= {"estimate": est} | {
        c: i18n.t(f"col_{c}", lang, level=level) + unit * (c in _ESTIMATES)
        for c in ("se", "ci_low", "ci_high", "n", "n_eff", "base")
    }
    for col, name in ((c, n) for c, n in names.items() if c in frame):
        group = col in ("estimate_a", "estimate_b")  # a difference's groups: proportions
        values = pd.to_numeric(frame[col], errors="coerce").astype(float)
        values = values.where(~hidden) if col in _ESTIMATES or group else values
        if col in _ESTIMATES and unit:
            values = (100 * values).round(4)  # percentage points: numbers, not proportions
        elif col in ("n", "n_a", "n_b") and values.dropna().eq(values.dropna().round()).all():
            values = values.round().astype("Int64")  # counts are whole numbers
        elif col in ("n_eff", "base"):
            values = values.round(1)
        if values.notna().any() or col in ("estimate", "n"):
            out[name] = values.array  # .array: whole counts stay whole beside an empty row
            pct_cols += [name] * (percent and (group or col in _ESTIMATES and not difference))
    for col in ("t", "p") if difference else ("p",):
        if col in frame and frame[col].notna().any():
            out[col] = pd.to_numeric(frame[col], errors="coerce").astype(float).where(~hidden)
    info = {k: meta.privacy.get(k) for k in ("min_n", "indicative_n")}  # per row: "–" where
    why = [privacy.reason_text(r, lang, **info) if r else "" for r in frame["reason"].map(_text)]
    mark = privacy.SUPPRESSED_SYMBOL  # suppressed, and why it is suppressed or indicative
    if any(notes := [(f"{mark} " * h + w).strip() for w, h in zip(why, hidden, strict=True)]):
        out[i18n.t("col_note", lang)] = notes
    out.attrs["pp_columns"] = [names[c] for c in _ESTIMATES if unit and names[c] in out]
    return out, pct_cols


def _title(result: Result, lang: str) -> str:
    if result.meta.title:
        return i18n.text_in(result.meta.title, lang)
    labels = [result.label(v, lang) for v in dict.fromkeys(map(_text, result["variable"])) if v]
    more = [i18n.t("more", lang, k=len(labels) - 4)] if len(labels) > 4 else []
    by = ", ".join(result.label(b, lang) for b in result.by)
    by = " – " + i18n.t("alt_by", lang, by=by) if by else ""
    return i18n.join(labels[:4] + more, lang) + by


def _as_tables(tables: Any, lang: str) -> list[tuple[str, Result]]:
    tables = [tables] if isinstance(tables, Result) else tables
    items = list(tables.items() if isinstance(tables, Mapping) else enumerate(tables, start=1))
    if not items:
        raise DataError("There are no tables to write.")
    for i, t in items:
        if not isinstance(t, Result):
            raise ConfigError(f"Table {i!r} is a {type(t).__name__}; give youthmedia Results.")
    items = [(str(i) if isinstance(tables, Mapping) else _title(t, lang), t) for i, t in items]
    # one workbook is one output: no hidden cell may be recovered from another sheet
    counted = [i for i, (_, r) in enumerate(items) if "n" in r and r["n"].notna().any()]
    for i, r in zip(counted, privacy.suppress_across([items[i][1] for i in counted]), strict=True):
        items[i] = (items[i][0], r)
    return items


def _sheet_names(titles: list[str]) -> list[str]:
    """Excel's rules: at most 31 characters, none of ``[]:*?/\\``, unique, not "History"."""
    used, out = {"history"}, []
    for i, title in enumerate(titles, start=1):
        base = re.sub(r"\s+", " ", re.sub(r"[\[\]:*?/\\]", " ", title).strip().strip("'"))[:31]
        name, k = base or str(i), 2
        while name.casefold() in used:
            name, k = f"{(base or str(i))[: 31 - len(f' ({k})')]} ({k})", k + 1
        used.add(name.casefold())
        out.append(name)
    return out


def _sheet(ws: Any, label: str, result: Result, lang: str) -> None:
    """One table: title, source line, a frozen header row, formatted rows, footnotes."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    frame, pct_cols = table_frame(result, lang)
    ws["A1"], ws["A2"] = escape_cell(label), escape_cell(source_line(result, lang))
    ws["A1"].font, ws["A2"].font = Font(bold=True, size=14), Font(italic=True)
    ws.append([])
    ws.append([escape_cell(str(c)) for c in frame.columns])
    for cell in ws[4]:
        cell.font, cell.alignment = Font(bold=True), Alignment(wrap_text=True, vertical="bottom")
    for row in frame.astype(object).itertuples(index=False):
        ws.append(
            [escape_cell(None if pd.isna(v) else getattr(v, "item", lambda v=v: v)()) for v in row]
        )
    counts = dict(n_eff="#,##0.0", base="#,##0.0", n="#,##0", estimate="0.00", se="0.000")
    formats = {"p": "0.000"} | {i18n.t(f"col_{k}", lang): f for k, f in counts.items()}
    formats |= dict.fromkeys(frame.attrs.get("pp_columns", []), "+0.0;-0.0;0.0")  # signed points
    formats |= dict.fromkeys(pct_cols, "0.0%")
    for j, col in enumerate(frame.columns, start=1):
        for (cell,) in ws.iter_rows(min_row=5, min_col=j, max_col=j) if col in formats else ():
            cell.number_format = formats[col]
        texts = [len(v) for v in frame[col].head(200) if isinstance(v, str)]
        width = min(max([len(str(col)), 8, *texts]) + 2, 60)
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.append([])
    notes = [i18n.text_in(n, lang) for n in result.notes_for() if n]  # of the rows shown
    for note in privacy.footnotes(result, lang) + notes:  # suppressed: by _as_tables
        ws.append([escape_cell(note)])
    ws.freeze_panes = "A5"


def write_xlsx(
    tables: Mapping[str, Result] | Sequence[Result] | Result,
    path: str | os.PathLike[str],
    lang: str = "nl",
    title: str | None = None,
) -> Path:
    """Write Results to an Excel workbook: one labelled sheet per table (title, source line,
    frozen header, formatted rows, footnotes); with several tables a first sheet lists them.

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
    from openpyxl.styles import Font

    lang = i18n.check_lang(lang)
    items = _as_tables(tables, lang)
    names = _sheet_names([t for t, _ in items])
    wb = Workbook()
    contents = i18n.t("contents", lang)
    if len(items) > 1:
        first = wb.active
        first.title, first["A1"] = contents, escape_cell(title or contents)
        first["A1"].font = Font(bold=True, size=14)
        first.append([])
        for (label, _), name in zip(items, names, strict=True):
            first.append([escape_cell(name), escape_cell(label)])
        first.column_dimensions["A"].width, first.column_dimensions["B"].width = 34, 80
    else:
        wb.remove(wb.active)
    for (label, result), name in zip(items, names, strict=True):
        _sheet(wb.create_sheet(name), label, result, lang)
    props = wb.properties
    props.title = title or (items[0][0] if len(items) == 1 else contents)
    props.creator = props.lastModifiedBy = "youthmedia"
    buf = io.BytesIO()
    wb.save(buf)
    return atomic_write(path, _normalise_zip(buf.getvalue()), made_from=[r for _, r in items])


def write_csv(
    result: Result, path: str | os.PathLike[str], lang: str = "nl", sep: str | None = None
) -> Path:
    """Write one Result as a labelled CSV file that Excel opens correctly.

    Dutch files use ``;`` and a decimal comma, English ones ``,`` and a point; percentages are
    numbers 0–100 under a header ending in ``(%)``; UTF-8 with a byte-order mark; text is
    formula-injection safe.
    """
    lang = i18n.check_lang(lang)
    frame, pct_cols = table_frame(result, lang)
    frame = frame.assign(**{c: (100 * frame[c]).round(4) for c in pct_cols})
    frame.columns = [escape_cell(f"{c} (%)" if c in pct_cols else str(c)) for c in frame.columns]
    frame = frame.map(escape_cell)
    sep, decimal = sep or (";" if lang == "nl" else ","), "," if lang == "nl" else "."
    if sep == decimal:
        raise ConfigError(f"sep={sep!r} is also the decimal mark in {lang!r}; choose another.")
    text = frame.to_csv(index=False, sep=sep, decimal=decimal, lineterminator="\n")
    return atomic_write(path, "\ufeff" + text, made_from=[result])
