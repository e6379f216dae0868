"""Exports: figures as PNG/SVG/PDF, tables as XLSX/CSV, figures as a PowerPoint deck.

Every file is written atomically (:mod:`youthmedia.files`), and the same input gives the same
bytes: PNG without a ``Software`` stamp, SVG without a date and with a fixed ``svg.hashsalt``,
XLSX/PPTX with fixed document dates and ZIP timestamps. Table text a spreadsheet could run as a
formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading
apostrophe.

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
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from . import i18n, privacy
from .deck import _fixed_date, _normalise_zip, write_deck
from .errors import ConfigError, DataError
from .files import atomic_write
from .result import Result

__all__ = ["atomic_write", "save_figure", "table_frame", "write_csv", "write_deck", "write_xlsx"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
}
_PP = {"nl": "procentpunten", "en": "percentage points"}
_DIFF = {"nl": "Verschil", "en": "Difference"}
#: The formats :func:`save_figure` writes for a path without a suffix.
FIGURE_FORMATS = ("png", "svg")


def escape_cell(value: Any) -> Any:
    """Escape a text that a spreadsheet could run as a formula; other values pass unchanged.

    Examples
    --------
    >>> escape_cell("-1 = weet niet"), escape_cell("jongen"), escape_cell(-1)
    ("'-1 = weet niet", 'jongen', -1)
    """
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def figure_bytes(fig: Figure, fmt: str = "png", dpi: int | None = None) -> bytes:
    """The bytes of ``fig`` as ``png``, ``svg`` or ``pdf`` at its own (slide) size."""
    fmt = fmt.lower().lstrip(".")
    if fmt not in _METADATA:
        raise ConfigError(f"Unknown figure format {fmt!r}; use png, svg or pdf.")
    dpi = int(dpi or getattr(fig, "youthmedia_dpi", 200))
    if fmt == "png" and dpi < 200:
        raise ConfigError(f"dpi={dpi} is too coarse for a slide; use 200 or more.")
    privacy.gate_figure(fig)  # every text on the figure, its alt text and notes
    buf = io.BytesIO()
    with matplotlib.rc_context(
        {"svg.hashsalt": "youthmedia", "svg.fonttype": "path", "svg.id": None}
    ):
        fig.savefig(
            buf, format=fmt, dpi=dpi, metadata=_METADATA[fmt], facecolor=fig.get_facecolor()
        )
    return buf.getvalue()


def save_figure(
    fig: Figure,
    path: str | os.PathLike[str],
    dpi: int | None = None,
    alt_text: bool = True,
    formats: Sequence[str] | None = None,
) -> Path | list[Path]:
    """Save ``fig`` to ``path`` (``.png``, ``.svg`` or ``.pdf``) and its alt text beside it.

    The alt text (``fig.slide.alt_text``) goes to ``<stem>.alt.txt``. A path without a suffix
    writes every format of ``formats`` (default PNG and SVG) in one call.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    path : path
        The file to write; its suffix chooses the format (none: the stem for ``formats``).
    dpi : int, optional
        PNG resolution; default the theme's (200).
    alt_text : bool
        Write ``<stem>.alt.txt`` beside the image.
    formats : sequence of {"png", "svg", "pdf"}, optional
        Write these formats (replacing ``path``'s suffix).

    Returns
    -------
    pathlib.Path, or list of pathlib.Path (with ``formats`` or a path without a suffix)

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from youthmedia.result import Result
    >>> from youthmedia.figures import charts
    >>> r = Result.from_rows([{"variable": "x", "category": "ja", "estimate": 0.4, "n": 400}])
    >>> out = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in save_figure(charts.bars(r), out / "x")]
    ['x.png', 'x.svg']
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if formats is None and fmt and fmt not in _METADATA:
        raise ConfigError(
            f"{path.name} does not end in .png, .svg or .pdf; give one of those, "
            "or a name without a suffix for PNG and SVG."
        )
    single = formats is None and fmt
    wanted = (
        [fmt] if single else [formats] if isinstance(formats, str) else formats or FIGURE_FORMATS
    )
    stem = path.with_suffix("") if fmt in _METADATA else path
    written = []
    for f in dict.fromkeys(f.lower().lstrip(".") for f in wanted):
        written.append(
            atomic_write(
                stem.with_name(f"{stem.name}.{f}"), figure_bytes(fig, f, dpi), made_from=[fig]
            )
        )
    alt = getattr(getattr(fig, "slide", None), "alt_text", None)
    if alt_text and alt:
        atomic_write(
            stem.with_name(f"{stem.name}.alt.txt"), alt.rstrip("\n") + "\n", made_from=[fig]
        )
    return written[0] if single else written


def _text(value: Any) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def _numbers(frame: pd.DataFrame, col: str, hidden: Any = None) -> pd.Series:
    values = pd.to_numeric(frame[col], errors="coerce").astype(float)
    return values if hidden is None else values.where(~hidden)


def _labels(result: Result, frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The group, question and answer columns in words."""
    out = pd.DataFrame(index=frame.index)
    for b in result.by:
        if b in frame:
            out[result.label(b, lang)] = [
                result.category_label(b, _text(v), lang) for v in frame[b]
            ]
    variables, cats = frame["variable"].map(_text), frame["category"].map(_text)
    out[i18n.t("col_variable", lang)] = [result.label(v, lang) for v in variables]
    if cats.ne("").any():
        out[i18n.t("col_category", lang)] = [
            result.category_label(v, c, lang) if c else ""
            for v, c in zip(variables, cats, strict=True)
        ]
    return out


def _groups(result: Result, lang: str) -> tuple[str, str]:
    """The labels of a difference's two groups (``meta.groups``), first and second."""
    groups = [str(g) for g in result.meta.groups]
    if len(groups) != 2:
        return "A", "B"
    by = result.meta.compared_by
    return tuple(result.category_label(by, g, lang) for g in groups) if by else tuple(groups)


def _difference_groups(
    result: Result,
    frame: pd.DataFrame,
    hidden: pd.Series,
    out: pd.DataFrame,
    est: str,
    unit: str,
    lang: str,
) -> tuple[str, list[str]]:
    """Both groups' estimates and n into ``out``; the difference's column name, and the
    groups' percentage columns."""
    a, b = _groups(result, lang)
    pct = []
    for col, g in (("estimate_a", a), ("estimate_b", b)):
        if col in frame:
            out[f"{est} {g}"] = _numbers(frame, col, hidden).to_numpy()
            pct += [f"{est} {g}"] * bool(unit)  # unit: a difference of shares
    for col, g in (("n_a", a), ("n_b", b)):
        if col in frame:
            out[f"n {g}"] = _numbers(frame, col).round().astype("Int64").to_numpy()
    return f"{_DIFF[lang]} {b} − {a}{unit}", pct


def _note_column(frame: pd.DataFrame, hidden: pd.Series, info: dict, lang: str) -> list[str]:
    """Why each row is suppressed or indicative ("–" first where it is hidden)."""
    notes = [
        privacy.reason_text(r, lang, min_n=info.get("min_n"), indicative_n=info.get("indicative_n"))
        if r
        else ""
        for r in frame["reason"].map(_text)
    ]
    return [
        f"{privacy.SUPPRESSED_SYMBOL} {t}".strip() if h else t
        for t, h in zip(notes, hidden, strict=True)
    ]


def table_frame(result: Result, lang: str = "nl") -> tuple[pd.DataFrame, list[str]]:
    """A Result as a labelled table for people: translated headers and labels, notes.

    A Result not yet through :func:`youthmedia.privacy.suppress` goes through it; suppressed
    estimates are empty cells with "–" in the note column; effective n and weighted base are
    rounded to one decimal. A difference (``ym.difference``) gives both groups' estimates and
    n, then the difference, its SE and interval (in percentage points for shares, named in
    ``frame.attrs["pp_columns"]``), ``t`` and ``p``.

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
    meta = result.meta
    percent = (
        meta.percent if meta.percent is not None else meta.kind in ("share", "crosstab", "table")
    )
    difference = meta.kind == "difference" and not result.by
    hidden = frame["suppressed"].fillna(False).astype(bool)
    out = _labels(result, frame, lang)
    est = i18n.t("col_percent" if percent else "col_estimate", lang)
    unit = f" ({_PP[lang]})" if difference and percent else ""
    pct_cols: list[str] = []
    if difference:
        est, pct_cols = _difference_groups(result, frame, hidden, out, est, unit, lang)
    level = i18n.percent(meta.level or 0.95, lang)
    names = {
        "estimate": est,
        "se": i18n.t("col_se", lang) + unit,
        "ci_low": i18n.t("col_ci_low", lang, level=level) + unit,
        "ci_high": i18n.t("col_ci_high", lang, level=level) + unit,
        "n": i18n.t("col_n", lang),
        "n_eff": i18n.t("col_n_eff", lang),
        "base": i18n.t("col_base", lang),
    }
    for col, name in names.items():
        estimate = col in ("estimate", "se", "ci_low", "ci_high")
        values = _numbers(frame, col, hidden if estimate else None)
        if estimate and unit:
            values = (100 * values).round(4)  # percentage points: numbers, not proportions
        elif col == "n" and values.dropna().eq(values.dropna().round()).all():
            values = values.round().astype("Int64")  # counts are whole numbers
        elif col in ("n_eff", "base"):
            values = values.round(1)
        if values.notna().any() or col in ("estimate", "n"):
            out[name] = values.array  # .array: whole counts stay whole beside an empty row
            if estimate and percent and not difference:
                pct_cols.append(name)
    for col in ("t", "p") if difference else ("p",):
        if col in frame and frame[col].notna().any():
            out[col] = _numbers(frame, col, hidden).to_numpy()
    notes = _note_column(frame, hidden, meta.privacy, lang)
    if any(notes):
        out[i18n.t("col_note", lang)] = notes
    out.attrs["pp_columns"] = [
        names[c] for c in ("estimate", "se", "ci_low", "ci_high") if unit and names[c] in out
    ]
    return out, pct_cols


def _title(result: Result, lang: str) -> str:
    if result.meta.title:
        return i18n.text_in(result.meta.title, lang)
    labels = [result.label(v, lang) for v in dict.fromkeys(map(_text, result["variable"])) if v]
    more = [i18n.t("more", lang, k=len(labels) - 4)] if len(labels) > 4 else []
    text = i18n.join(labels[:4] + more, lang)
    if result.by:
        text += " – " + i18n.t(
            "alt_by", lang, by=", ".join(result.label(b, lang) for b in result.by)
        )
    return text


def _notes(result: Result, lang: str) -> list[str]:
    checked = (
        result
        if result.meta.privacy or "n" not in result or result["n"].isna().all()
        else privacy.suppress(result)
    )
    # row-scoped notes (Clopper–Pearson) only where an exported, shown row carries them
    return privacy.footnotes(checked, lang) + [
        i18n.text_in(n, lang) for n in checked.notes_for() if n
    ]


def _as_tables(
    tables: Mapping[str, Any] | Sequence[Any] | Result, lang: str
) -> list[tuple[str, Result]]:
    if isinstance(tables, Result):
        items = [(_title(tables, lang), tables)]
    elif isinstance(tables, Mapping):
        items = [(str(k), v) for k, v in tables.items()]
    else:
        items = [
            (_title(t, lang) if isinstance(t, Result) else f"{i18n.t('table', lang)} {i + 1}", t)
            for i, t in enumerate(tables)
        ]
    if not items:
        raise DataError("There are no tables to write.")
    for name, t in items:
        if not isinstance(t, Result):
            raise ConfigError(f"Table {name!r} is a {type(t).__name__}; give youthmedia Results.")
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


def _formats(frame: pd.DataFrame, pct_cols: list[str], lang: str) -> dict[str, str]:
    """Each column's number format."""
    fmt = {
        "p": "0.000",
        i18n.t("col_n", lang): "#,##0",
        i18n.t("col_n_eff", lang): "#,##0.0",
        i18n.t("col_base", lang): "#,##0.0",
        i18n.t("col_estimate", lang): "0.00",
        i18n.t("col_se", lang): "0.000",
    }
    fmt |= {c: "+0.0;-0.0;0.0" for c in frame.attrs.get("pp_columns", [])}  # points, signed
    fmt |= {c: "0.0%" for c in pct_cols}
    return {c: fmt[c] for c in frame.columns if c in fmt}


def _sheet(ws: Any, label: str, result: Result, lang: str) -> None:
    """One table: title, source line, a frozen header row, formatted rows, footnotes."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from .figures.text import source_line

    frame, pct_cols = table_frame(result, lang)
    ws["A1"], ws["A2"] = escape_cell(label), escape_cell(source_line(result, lang))
    ws["A1"].font, ws["A2"].font = Font(bold=True, size=14), Font(italic=True)
    ws.append([])
    ws.append([escape_cell(str(c)) for c in frame.columns])
    for cell in ws[4]:
        cell.font, cell.alignment = Font(bold=True), Alignment(wrap_text=True, vertical="bottom")
    formats = _formats(frame, pct_cols, lang)
    for row in frame.astype(object).itertuples(index=False):
        ws.append(
            [
                escape_cell(None if pd.isna(v) else v.item() if hasattr(v, "item") else v)
                for v in row
            ]
        )
    for j, col in enumerate(frame.columns, start=1):
        if col in formats:
            for (cell,) in ws.iter_rows(min_row=5, min_col=j, max_col=j):
                cell.number_format = formats[col]
        texts = [len(str(v)) for v in frame[col].head(200) if isinstance(v, str)]
        ws.column_dimensions[get_column_letter(j)].width = min(
            max([len(str(col)), 8, *texts]) + 2, 60
        )
    ws.append([])
    for note in _notes(result, lang):
        ws.append([escape_cell(note)])
    ws.freeze_panes = "A5"


def write_xlsx(
    tables: Mapping[str, Result] | Sequence[Result] | Result,
    path: str | os.PathLike[str],
    lang: str = "nl",
    title: str | None = None,
) -> Path:
    """Write Results to an Excel workbook: one labelled sheet per table.

    Each sheet has the table's title, its source line, a frozen header row, the rows
    (percentages as percentages, counts with thousands separators) and the footnotes. With
    more than one table a first sheet lists them. Text cells are formula-injection safe.

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
    if len(items) > 1:
        first = wb.active
        first.title = i18n.t("contents", lang)
        first["A1"] = escape_cell(title or i18n.t("contents", lang))
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
    props.title = title or (items[0][0] if len(items) == 1 else i18n.t("contents", lang))
    props.creator = props.lastModifiedBy = "youthmedia"
    props.created = props.modified = _fixed_date()
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
    frame = frame.rename(columns={c: f"{c} (%)" for c in pct_cols})
    frame.columns = [escape_cell(str(c)) for c in frame.columns]
    for col in frame.columns:
        if frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col]):
            frame[col] = frame[col].map(escape_cell)
    sep, decimal = sep or (";" if lang == "nl" else ","), "," if lang == "nl" else "."
    if sep == decimal:
        raise ConfigError(f"sep={sep!r} is also the decimal mark in {lang!r}; choose another.")
    return atomic_write(
        path,
        "\ufeff" + frame.to_csv(index=False, sep=sep, decimal=decimal, lineterminator="\n"),
        made_from=[result],
    )
