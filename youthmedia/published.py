"""Published tables as input: figures copied from a report become a :class:`Result`.

A trainer often has no respondent data, only a table from a report typed into a spreadsheet.
:func:`load_table` reads it with :func:`pandas.read_csv` (or ``read_excel``) and returns a
``Result`` of the estimators' shape, so every figure, table and deck function works on it.

The table
    One grouping column per row label (the first is the *item*, e.g. the platform), then the
    figures: one column of them (*tidy*, with grouping columns such as ``jaar``) or one column
    per group (*wide*: ``platform, 2022, 2023``; a first cell ``n`` marks the row of sample
    sizes). A column is a column of figures when at least half its cells are numbers and they
    are not all years. A column named ``n`` holds sample sizes. ``"88"``, ``"88%"``,
    ``"88,5"`` are figures; ``"<1%"`` is read as half its bound (bounds up to 5%, or from 95%);
    ``"ruim 50"``, ``"ca. 50"``, ``"~50"`` as 50, flagged; ``"n.b."``, ``"—"``, ``"-"`` and
    empty cells are missing (drawn as "–"). Other text, negative figures, figures over 100%
    and a figure without its group are refused with one line naming row, column and value.

Scale
    ``%`` signs or any value over 1: percentages; all values within 0–1: proportions (with a
    warning); both in one table is refused. ``measure="percent"``/``"proportion"`` decides.

Intervals
    With a sample size ``n`` (argument, column, ``n`` row or sidecar) each figure gets Wilson's
    interval for a *simple random sample of n*, and the notes say so; without ``n``, none.

The sidecar ``<name>.published.yaml`` may give ``source`` (a name or ``{name, url, via,
secondary}``), ``year``, ``n``, ``measure``, ``item`` (the item column or columns),
``note`` (a column of notes), ``population`` and ``title`` (``{nl:, en:}``), ``reach``,
``notes``, ``translations`` (``{en: {Dutch text: English}}``), ``columns_name`` and ``level``.

Examples
--------
>>> lo, hi = wilson_interval(0.5, 100)
>>> round(lo, 4), round(hi, 4)
(0.4038, 0.5962)
"""

from __future__ import annotations

import math
import re
import unicodedata
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import i18n
from .errors import ConfigError, DataError, YouthmediaError, YouthmediaWarning
from .files import sha256_of
from .result import Result, ResultMeta

__all__ = ["is_published_table", "load_table", "select", "wilson_interval"]

_MISSING = {"", *"— – - − n.b. n.b nb n.v.t. n.v.t nvt n/a na nan x . .. ... … #n/a".split()}
_CELL = re.compile(
    r"^(?P<pre><=|>=|<|>|≤|≥|~|≈|ca\.?|circa|ongeveer|about|ruim|bijna|just over|"
    r"almost|nearly)?\s*(?P<num>\d+(?:[.,]\d+)?|[.,]\d+)\s*(?P<pct>%)?$",
    re.I,
)
_N_NAMES = {"n", "basis", "base"}
_KEYS = {
    "source",
    "year",
    "n",
    "measure",
    "item",
    "note",
    "population",
    "title",
    "reach",
    "notes",
    "translations",
    "columns_name",
    "level",
}
_DASH = "–"


def _nl_en(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


def _text(v: Any) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v).strip()


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z]+", "_", folded.casefold()).strip("_") or "item"


def wilson_interval(p: Any, n: Any, level: float = 0.95) -> tuple[Any, Any]:
    """Wilson score interval for a proportion ``p`` in a simple random sample of ``n``.

    statsmodels' ``proportion_confint(method="wilson")`` (R: ``prop.test(correct=FALSE)``);
    NaN where ``p`` or ``n`` is missing. Scalars in, floats out; arrays in, arrays out.

    Examples
    --------
    >>> lo, hi = wilson_interval(0.88, 761)
    >>> round(lo, 4), round(hi, 4)
    (0.855, 0.9012)
    """
    from statsmodels.stats.proportion import proportion_confint

    if not 0 < level < 1:
        raise ConfigError(f"level={level!r}; give the confidence level as a proportion, e.g. 0.95.")
    pa, na = np.asarray(p, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        lo, hi = proportion_confint(pa * na, na, alpha=1 - level, method="wilson")
    bad = ~(na > 0) | np.isnan(pa)
    lo, hi = np.where(bad, np.nan, lo), np.where(bad, np.nan, hi)
    return (float(lo), float(hi)) if np.ndim(p) == 0 and np.ndim(n) == 0 else (lo, hi)


# -- reading -----------------------------------------------------------------------------------
def _read(path: Path) -> tuple[pd.DataFrame, str]:
    """The table as text cells (Excel numbers stay numbers) and its decimal mark."""
    if not path.is_file():
        raise DataError(f"{path}: file not found; give the path of a .csv or .xlsx table.")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return pd.read_excel(path, dtype=object).rename(columns=lambda c: _text(c)), "."
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    head = text.splitlines()[0] if text.strip() else ""
    sep = max(";,\t", key=head.count)
    decimal = "," if sep != "," else "."
    from io import StringIO

    try:
        frame = pd.read_csv(StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"{path}: not a table ({str(exc).splitlines()[0]}).") from None
    return frame.rename(columns=str.strip), decimal


def _cell(value: Any, decimal: str) -> tuple[float, bool, str] | None:
    """(number, % sign, flag '' | below | above | approx | missing) of a cell; None: not a figure."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return (math.nan, False, "missing") if math.isnan(value) else (float(value), False, "")
    text = _text(value)
    if text.casefold() in _MISSING:
        return math.nan, False, "missing"
    m = _CELL.match(text.replace("\u00a0", " ").replace("−", "-"))
    if m is None:
        neg = re.fullmatch(r"-\s*\d+([.,]\d+)?\s*%?", text.replace("−", "-"))
        return (-1.0, False, "") if neg else None
    pre = (m["pre"] or "").casefold()
    flag = (
        "below"
        if pre in ("<", "<=", "≤")
        else "above"
        if pre in (">", ">=", "≥")
        else "approx"
        if pre
        else ""
    )
    return float(m["num"].replace(",", ".")), m["pct"] is not None, flag


def _is_year(values: Sequence[str]) -> bool:
    return bool(values) and all(re.fullmatch(r"(19|20)\d\d", v) for v in values)


def _n_value(value: Any, where: str) -> float:
    """A sample size: a positive whole number (``1.316`` and ``1,316`` are 1316)."""
    text = _text(value)
    if text.casefold() in _MISSING:
        return math.nan
    try:
        v = (
            -1.0
            if isinstance(value, bool)
            else float(re.sub(r"(?<=\d)[.,\s\u00a0](?=\d{3}\b)", "", text))
        )
    except ValueError:
        v = -1.0
    if not v.is_integer() or v < 1:
        raise DataError(
            f"{where}: n {text!r} is not a sample size; write it as a positive whole number (761)."
        )
    return v


def _sidecar(spec: Any, path: Path) -> tuple[dict[str, Any], str]:
    from .io.sidecar import find_sidecar, load_yaml

    if spec is False:
        return {}, ""
    if spec is None:
        spec = find_sidecar(path, "published")
        if spec is None:
            return {}, ""
    if isinstance(spec, Mapping):
        data, where = dict(spec), "codebook="
    else:
        where = str(spec)
        if not Path(spec).is_file():
            raise ConfigError(
                f"{spec}: table sidecar not found; give the path of a "
                ".published.yaml file, or leave codebook= out."
            )
        data = load_yaml(Path(spec), "check the indentation and quotes") or {}
        if not isinstance(data, Mapping):
            raise DataError(f"{spec}: must hold keys such as source:, year:, n:.")
    unknown = sorted(set(map(str, data)) - _KEYS)
    if unknown:
        raise DataError(
            f"{where}: unknown key(s) {', '.join(unknown)}; a table sidecar takes "
            f"{', '.join(sorted(_KEYS))}."
        )
    return dict(data), where


def _label(header: str) -> str:
    """A wide table's column header as a group label: ``2022 (%)`` → ``2022``."""
    return re.sub(r"\(\s*%\s*\)|%", "", str(header)).strip() or str(header)


def _figure_column(values: Sequence[Any], decimal: str) -> bool:
    texts = [_text(v) for v in values if _text(v).casefold() not in _MISSING]
    if not texts or _is_year(texts):
        return False
    return 2 * sum(_cell(v, decimal) is not None for v in texts) >= len(texts)


def _layout(
    frame: pd.DataFrame, decimal: str, side: dict, measure: str | None, where: str
) -> tuple[list[str], list[str], str | None, str | None]:
    """(figure columns, grouping columns, n column, note column)."""
    cols = list(frame.columns)
    if not cols or frame.empty:
        raise DataError(f"{where}: the table holds no rows; check that it is the table you meant.")
    note = side.get("note")
    for name, what in ((measure, "measure"), (note, "note")):
        if name is not None and name not in cols:
            raise ConfigError(
                f"{where}: {what}={name!r} is neither a column of the table "
                f"({', '.join(cols)}) nor 'percent'/'proportion'."
            )
    n_col = next((c for c in cols[1:] if c.casefold() in _N_NAMES), None)
    body = frame[~frame[cols[0]].map(_text).str.casefold().isin(_N_NAMES)]
    rest = [c for c in cols[1:] if c not in (n_col, note)]
    figures = [measure] if measure else [c for c in rest if _figure_column(body[c], decimal)]
    if not figures:
        raise DataError(
            f"{where}: no column of figures found among {', '.join(cols)}; type the "
            "figures as numbers (88 or 88%)."
        )
    groups = [c for c in cols if c not in figures and c not in (n_col, note)]
    return figures, groups, n_col, note


def _records(
    frame: pd.DataFrame, decimal: str, side: dict, measure: str | None, where: str
) -> tuple[list[dict], list[str], str | None, list[str]]:
    """One record per figure, grouping columns (melted last), the melted column, trailing lines."""
    figures, groups, n_col, note = _layout(frame, decimal, side, measure, where)
    first = frame.columns[0]
    melted = None
    if len(figures) > 1:
        melted = str(
            side.get("columns_name")
            or ("year" if _is_year([_label(c) for c in figures]) else "group")
        )
    column_n: dict[str, float] = {}
    records: list[dict] = []
    trailers: list[str] = []
    seen: dict[tuple, int] = {}
    for i, row in enumerate(frame.itertuples(index=False)):
        rownum, cells = i + 2, dict(zip(frame.columns, row, strict=True))
        texts = {c: _text(v) for c, v in cells.items()}
        if all(t.casefold() in _MISSING for t in texts.values()):
            continue
        if all(texts[c].casefold() in _MISSING for c in frame.columns[1:]) and re.match(
            r"\s*(bron|source|noot|note)\s*:", texts[first], re.I
        ):
            trailers.append(texts[first])
        elif melted and texts[first].casefold() in _N_NAMES:
            column_n = {
                _label(c): _n_value(cells[c], f"{where}: row {rownum}, column {c!r}")
                for c in figures
            }
        else:
            for c in figures:
                rec = _record(cells, texts, c, rownum, groups, melted, decimal, where)
                if rec is None:
                    continue
                key = tuple(rec["keys"].values())
                if key in seen:
                    what = ", ".join(f"{g} {v!r}" for g, v in rec["keys"].items())
                    raise DataError(
                        f"{where}: rows {seen[key]} and {rownum} both give the figure "
                        f"for {what}; keep one, or add the column that tells them "
                        "apart (year, age band, …)."
                    )
                seen[key] = rownum
                rec["n"] = (
                    _n_value(cells[n_col], f"{where}: row {rownum}, column {n_col!r}")
                    if n_col
                    else column_n.get(rec["keys"].get(melted, ""), math.nan)
                )
                rec["note"] = texts[note] if note else ""
                records.append(rec)
    if not records:
        raise DataError(
            f"{where}: the table holds no figures; check that it is the table you meant."
        )
    return records, groups + ([melted] if melted else []), melted, trailers


def _record(
    cells: dict,
    texts: dict,
    c: str,
    rownum: int,
    groups: list[str],
    melted: str | None,
    decimal: str,
    where: str,
) -> dict | None:
    """One figure of a row, with its group values (None: a missing figure without a group)."""
    parsed = _cell(cells[c], decimal)
    if parsed is None:
        raise DataError(
            f"{where}: row {rownum}, column {c!r}: {texts[c]!r} is not a figure; "
            "write a number (88, 88%, 0,88), '<1%' for a bound, or 'n.b.' / '—' "
            "for a missing figure."
        )
    empty = [g for g in groups if not texts[g]]
    if empty and parsed[2] != "missing":
        raise DataError(
            f"{where}: row {rownum} has the figure {texts[c]!r} but no "
            f"{empty[0]!r}; every figure needs its group — fill the cell in (a "
            "merged cell in Excel leaves the rows below it empty) or delete the row."
        )
    if empty:
        return None
    keys = {**{g: texts[g] for g in groups}, **({melted: _label(c)} if melted else {})}
    return {
        "keys": keys,
        "row": rownum,
        "column": c,
        "text": texts[c],
        "value": parsed[0],
        "pct": parsed[1],
        "flag": parsed[2],
    }


def _scale(records: list[dict], forced: str | None, where: str) -> str:
    """'percent' or 'proportion': % signs or values over 1 are percentages."""

    def show(rs: list[dict]) -> str:
        return ", ".join(f"row {r['row']} {r['column']!r} {r['text']!r}" for r in rs[:3])

    plain = [r for r in records if r["flag"] in ("", "approx") and not r["pct"]]
    signs = [r for r in records if r["pct"]]
    if forced == "proportion" and signs:
        raise DataError(
            f"{where}: measure='proportion' but {show(signs)} carry a % sign; write "
            "all figures the same way, or leave measure= out."
        )
    if forced:
        return forced
    above = signs + [r for r in plain if r["value"] > 1]
    fractional = [r for r in plain if 0 < r["value"] < 1]
    if above and fractional:
        raise DataError(
            f"{where}: the table mixes percentages ({show(above)}) with proportions "
            f"({show(fractional)}); write every figure as a percentage, or pass "
            "measure='percent' if they all are."
        )
    if above:
        return "percent"
    if plain:
        warnings.warn(
            f"{where}: every figure lies between 0 and 1; read as proportions (0.5 = "
            "50%). If they are percentages below 1%, pass measure='percent'.",
            YouthmediaWarning,
            stacklevel=3,
        )
    return "proportion"


def _proportion(r: dict, scale: str, where: str) -> float:
    """A record's figure as a proportion 0–1, its range and bounds checked."""
    if r["flag"] == "missing":
        return math.nan
    top = 100.0 if r["pct"] or scale == "percent" else 1.0
    v, at = r["value"], f"{where}: row {r['row']}, column {r['column']!r}: {r['text']!r}"
    if v < 0:
        raise DataError(f"{at} is negative; a share cannot be below 0 — correct the cell.")
    if v > top:
        raise DataError(
            f"{at} is {'over 100%' if top == 100 else 'over 1'}; correct the cell "
            "(a share cannot exceed the whole)."
        )
    if (r["flag"] == "below" and v > 0.05 * top) or (r["flag"] == "above" and v < 0.95 * top):
        raise DataError(
            f"{at} is too wide a bound to draw as one figure (only bounds up to 5% "
            "or from 95% are read, as half way to 0 or 100%); type the figure."
        )
    v = v / 2 if r["flag"] == "below" else (v + top) / 2 if r["flag"] == "above" else v
    return v / top


def _labels(
    records: list[dict], items: list[str], by: list[str], side: dict
) -> tuple[dict[tuple, str], dict, dict]:
    """Variable name per item, labels per language and translated value labels."""
    tr = {
        str(k): {str(a): str(b) for a, b in (v or {}).items()}
        for k, v in (side.get("translations") or {}).items()
    }
    title = side.get("title")
    var_of: dict[tuple, str] = {}
    labels: dict[Any, dict[str, str]] = {None: {}, **{lang: {} for lang in tr}}
    for r in records:
        parts = tuple(r["keys"][c] for c in items)
        if parts in var_of:
            continue
        label = f" {_DASH} ".join(parts) or i18n.text_in(title, "en") or r["column"]
        name = _slug(label)
        while name in var_of.values():
            name += "_"
        var_of[parts] = name
        labels[None][name] = label
        for lang, table in tr.items():
            labels[lang][name] = f" {_DASH} ".join(table.get(p, p) for p in parts) or label
    values: dict[str, dict] = {}
    year = {"nl": "Jaar", "en": "Year"}
    for b in by:
        labels[None][b] = b
        for lang in set(tr) | ({"nl", "en"} if b == "year" else set()):
            table = tr.get(lang, {})
            labels.setdefault(lang, {})[b] = table.get(b, year[lang] if b == "year" else b)
            found = {r["keys"][b]: table[r["keys"][b]] for r in records if r["keys"][b] in table}
            if found:
                values.setdefault(lang, {})[b] = found
    return var_of, labels, values


def _source(
    path: Path,
    side: dict,
    source: Any,
    year: Any,
    trailers: list[str],
    frame: pd.DataFrame,
    by: list[str],
) -> dict[str, Any]:
    spec = source if source is not None else side.get("source")
    info: dict[str, Any] = (
        dict(spec) if isinstance(spec, Mapping) else {"name": str(spec)} if spec is not None else {}
    )
    named = [
        re.sub(r"^\s*(bron|source)\s*:\s*", "", t, flags=re.I)
        for t in trailers
        if re.match(r"\s*(bron|source)", t, re.I)
    ]
    info["name"] = info.get("name") or (named[0] if named else path.stem)
    year = year if year is not None else side.get("year", info.get("year"))
    if year is None:
        years = sorted({v for b in by for v in frame[b].astype(str) if _is_year([v])})
        year = f"{years[0]}{_DASH}{years[-1]}" if len(years) > 1 else years[0] if years else None
    return {
        **info,
        "year": None if year is None else str(year),
        "path": str(path),
        "sha256": sha256_of(path),
    }


def load_table(
    path: str | Path,
    *,
    measure: str | None = None,
    n: Any = None,
    source: str | Mapping[str, Any] | None = None,
    year: str | int | None = None,
    codebook: str | Path | Mapping[str, Any] | bool | None = None,
    item: str | Sequence[str] | None = None,
    level: float | None = None,
) -> Result:
    """Read a table of published figures (CSV or XLSX) as a :class:`Result`.

    Parameters
    ----------
    path : str or Path
        The table (its layout and cells: see the module docstring).
    measure : str, optional
        ``"percent"`` or ``"proportion"`` (default: from the figures), or the figures' column.
    n : int or dict, optional
        Sample size of every figure, or ``{group value: n}`` (``{2022: 1316, 2023: 1453}``).
    source, year, codebook, item, level : optional
        The source (a name or ``{name, url, via, secondary}``) and year; the sidecar (default
        ``<name>.published.yaml``, ``False``: none); the item column(s) (default the first);
        the level of the Wilson intervals.

    Returns
    -------
    Result
        One row per figure: ``estimate`` (0–1), Wilson interval (NaN without n), ``reason``
        (``bound:<1%``, ``approx:ruim 50``, ``missing:n.b.``); notes on what it assumes.

    Examples
    --------
    >>> r = load_table("data/published/pew_teens_2022_2024.csv")
    >>> r.by, r.meta.n_total      # 1316 + 1453 + 1391 respondents
    (['year'], 4160)
    """
    p = Path(path)
    (side, side_where), (frame, decimal) = _sidecar(codebook, p), _read(p)
    m = measure if measure is not None else side.get("measure")
    forced = m if m in ("percent", "proportion") else None
    level = float(level if level is not None else side.get("level", 0.95))
    if not 0 < level < 1:
        raise ConfigError(f"level={level!r}; give it as a proportion, e.g. 0.95.")
    records, groups, melted, trailers = _records(
        frame, decimal, side, None if forced else m, str(p)
    )
    _given_n(records, groups, n if n is not None else side.get("n"), side_where or str(p))
    scale = _scale(records, forced, str(p))
    items, by = _items(item if item is not None else side.get("item"), groups, melted, p)
    var_of, labels, values = _labels(records, items, by, side)
    out = _frame(records, items, by, var_of, labels[None], scale, level, str(p))
    info = _source(p, side, source, year, trailers, out, by)
    meta = ResultMeta(
        **{
            "kind": "share",
            "by": by,
            "variables": list(var_of.values()),
            "labels": labels,
            "value_labels": values,
            "weighted": False,
            "level": level,
            "source": info,
            "published": True,
            "percent": True,
            "items": items,
            "read_as": {
                "shape": "wide" if melted else "tidy",
                "scale": scale,
                "items": items,
                "by": by,
                "sidecar": side_where or None,
            },
            "published_notes": _published_notes(records, groups, side, scale, info, trailers),
            **{k: side[k] for k in ("population", "title") if side.get(k)},
            **({"measure": "reach"} if side.get("reach") else {}),
        }
    )
    return Result.from_rows(out, _refresh(meta, out))


def _items(spec: Any, groups: list[str], melted: str | None, p: Path) -> tuple[list, list]:
    """The item column(s) (default the first) and the other grouping columns."""
    items = [spec] if isinstance(spec, str) else list(spec or groups[:1])
    if set(items) - set(groups) or melted in items:
        raise ConfigError(
            f"{p}: item={spec!r}; the table's grouping columns are "
            f"{', '.join(g for g in groups if g != melted)}."
        )
    return items, [g for g in groups if g not in items]


def _published_notes(
    records: list[dict], groups: list[str], side: dict, scale: str, info: dict, trailers: list[str]
) -> dict[str, list]:
    """The notes of a published table: a secondary source, flagged cells, its own notes."""
    via = f" ({info['via']})" if info.get("via") else ""
    lead = (
        []
        if not info.get("secondary")
        else [
            _nl_en(
                f"Secundaire bron{via}: cijfers uit berichtgeving over het onderzoek, niet uit het "
                "rapport zelf.",
                f"Secondary source{via}: figures from coverage of the study, not from the report itself.",
            )
        ]
    )
    extra = side.get("notes") or []
    tail = [t for t in trailers if not re.match(r"\s*(bron|source)", t, re.I)] + (
        [extra] if isinstance(extra, (str, Mapping)) else list(extra)
    )
    return {"lead": lead, "cells": _cell_notes(records, groups, side, scale), "tail": tail}


def _frame(
    records: list[dict],
    items: list[str],
    by: list[str],
    var_of: dict[tuple, str],
    labels: dict[str, str],
    scale: str,
    level: float,
    where: str,
) -> pd.DataFrame:
    """The rows of the Result: estimate, Wilson interval and SE for a simple random sample."""
    rows = []
    for r in records:
        est, nn = _proportion(r, scale, where), r["n"]
        lo, hi = (
            (math.nan, math.nan)
            if r["flag"] in ("below", "above")
            else wilson_interval(est, nn, level)
        )
        var = var_of[tuple(r["keys"][c] for c in items)]
        rows.append(
            {
                **{b: r["keys"][b] for b in by},
                "variable": var,
                "category": labels[var],
                "estimate": est,
                "se": math.sqrt(est * (1 - est) / nn) if nn > 0 else math.nan,
                "ci_low": lo,
                "ci_high": hi,
                "n": nn,
                "n_eff": nn,
                "base": nn,
                "suppressed": False,
                "reason": _reason(r),
                **{c: r["keys"][c] for c in items},
            }
        )
    out = pd.DataFrame(rows)
    for b in by:
        order = list(dict.fromkeys(out[b]))
        if all(re.fullmatch(r"\d+", v) for v in order):
            order.sort(key=int)
        out[b] = pd.Categorical(out[b], categories=order, ordered=True)
    out["category"] = pd.Categorical(out["category"], list(dict.fromkeys(out["category"])), True)
    if out["n"].notna().all():
        out["n"] = out["n"].astype("int64")
    return out


def _reason(r: dict) -> str:
    text = r["text"].replace(";", ",")
    flag = r["flag"]
    return {
        "missing": f"missing:{text or 'empty'}",
        "below": f"bound:{text}",
        "above": f"bound:{text}",
        "approx": f"approx:{text}",
    }.get(flag, "")


def _given_n(records: list[dict], groups: list[str], spec: Any, where: str) -> None:
    """Set every record's n from ``n=`` (or the sidecar): one number or ``{group value: n}``."""
    if spec is None:
        return
    if not isinstance(spec, Mapping):
        for r in records:
            r["n"] = _n_value(spec, f"{where}: n")
        return
    table = {_text(k): v for k, v in spec.items()}
    for g in groups:
        present = {r["keys"][g] for r in records}
        if set(table) <= present:
            for r in records:
                if r["keys"][g] in table:
                    r["n"] = _n_value(table[r["keys"][g]], f"{where}: n for {g} {r['keys'][g]}")
            return
    raise ConfigError(
        f"{where}: n= names {', '.join(table)}, which are not all values of one "
        f"column ({', '.join(groups)}); give {{value: n}} for one column."
    )


def _cell_notes(records: list[dict], groups: list[str], side: dict, scale: str) -> list[dict]:
    """Notes on flagged cells and the note column, each with its row's group values."""
    tr = side.get("translations") or {}
    out = []
    for r in records:
        v_en = f"{100 * _proportion(r, scale, ''):g}%"
        v_nl, t = v_en.replace(".", ","), r["text"]
        nl, en = {
            "approx": (
                f"‘{t}’ in de bron (afgerond), getekend als {v_nl}",
                f"‘{t}’ in the source (rounded), drawn as {v_en}",
            ),
            "below": (
                f"‘{t}’ in de bron, getekend als {v_nl} (zonder interval)",
                f"‘{t}’ in the source, drawn as {v_en} (no interval)",
            ),
            "missing": (
                f"– = niet beschikbaar in de bron (‘{t}’)",
                f"– = not available in the source (‘{t}’)",
            ),
        }.get("below" if r["flag"] == "above" else r["flag"], ("", ""))
        for a, b in ((nl, en), (r["note"], r["note"])):
            if a:
                where = {
                    lang: ", ".join(
                        (tr.get(lang) or {}).get(r["keys"][g], r["keys"][g]) for g in groups
                    )
                    for lang in ("nl", "en")
                }
                out.append(
                    {
                        "keys": r["keys"],
                        "note": {"nl": f"{where['nl']}: {a}", "en": f"{where['en']}: {b}"},
                    }
                )
    return out


def _n_phrase(frame: pd.DataFrame, by: list[str]) -> dict[str, str] | None:
    """``n = 761`` or ``n = 1.316 (2022), 1.453 (2023)`` in Dutch and English (None: no n)."""
    known = frame.dropna(subset=["n"])
    if known.empty:
        return None
    distinct = sorted({int(v) for v in known["n"]})
    if len(distinct) == 1:
        return {lang: f"n = {i18n.integer(distinct[0], lang)}" for lang in ("nl", "en")}
    for g in by:
        per = known.groupby(known[g].astype(str), sort=False)["n"].unique()
        if all(len(v) == 1 for v in per) and len(per) <= 6:
            return {
                lang: "n = "
                + ", ".join(f"{i18n.integer(v[0], lang)} ({k})" for k, v in per.items())
                for lang in ("nl", "en")
            }
    return {
        lang: f"n = {i18n.integer(distinct[0], lang)}–{i18n.integer(distinct[-1], lang)}"
        for lang in ("nl", "en")
    }


def _refresh(meta: ResultMeta, frame: pd.DataFrame) -> ResultMeta:
    """Set what follows from a published Result's rows: n_total, design, ci, source_note, notes."""
    pub, by = meta.published_notes, list(meta.by)
    known = frame["n"].dropna()
    n_total = (
        None
        if known.empty
        else int(known.iloc[0])
        if known.nunique() == 1
        else int(frame.dropna(subset=["n"]).groupby(by, observed=True)["n"].max().sum())
        if by
        else int(known.max())
    )
    phrase = _n_phrase(frame, by + [c for c in meta.items if c in frame.columns])
    pub_nl, pub_en = "gepubliceerde cijfers", "published figures"
    if phrase is None:
        interval = [
            _nl_en(
                "Geen steekproefgrootte in de bron: cijfers zonder betrouwbaarheidsinterval.",
                "No sample size given in the source: figures without confidence intervals.",
            )
        ]
        design = _nl_en(
            f"{pub_nl}; geen steekproefgrootte, geen intervallen",
            f"{pub_en}; no sample size, no intervals",
        )
        source_note = _nl_en(
            f"{pub_nl}; geen n in de bron, geen intervallen",
            f"{pub_en}; no n in the source, no intervals",
        )
        ci = ""
    else:
        srs = _nl_en(
            f"uitgaande van een enkelvoudige aselecte steekproef van {phrase['nl']}",
            f"assuming a simple random sample of {phrase['en']}",
        )
        pct = round(100 * float(meta.level))
        interval = [
            _nl_en(
                f"Gepubliceerde cijfers; {pct}%-betrouwbaarheidsintervallen (Wilson) {srs['nl']}. "
                "Is de steekproef gewogen of geclusterd, dan zijn de werkelijke intervallen breder.",
                f"Published figures; {pct}% confidence intervals (Wilson) {srs['en']}. If the "
                "sample was weighted or clustered, the true intervals are wider.",
            )
        ]
        if len(known) < len(frame):
            interval.append(
                _nl_en(
                    "Waar de bron geen n geeft: geen interval.",
                    "Where the source gives no n: no interval.",
                )
            )
        design = _nl_en(f"{pub_nl}; intervallen {srs['nl']}", f"{pub_en}; intervals {srs['en']}")
        source_note = _nl_en(f"{pub_nl}, {srs['nl']}", f"{pub_en}, {srs['en']}")
        ci = i18n.both("ci_wilson_srs")
    chosen = {**meta.selection, **meta.items_chosen}
    cells = [
        c["note"]
        for c in pub["cells"]
        if all(str(c["keys"].get(k, v)) == str(v) for k, v in chosen.items())
    ]
    return meta.replace(
        n_total=n_total,
        design=design,
        ci=ci,
        source_note=source_note,
        notes=pub["lead"] + interval + cells + pub["tail"],
    )


def select(result: Result, **groups: Any) -> Result:
    """The rows of one group (``year=2023``) or item (``platform="TikTok"``) of a published
    table, its notes true to the rows it keeps (:meth:`Result.select` for any other Result).

    Examples
    --------
    >>> r = load_table("data/published/pew_teens_2022_2024.csv")
    >>> select(r, year=2023).meta.n_total
    1453
    """
    items = {k: v for k, v in groups.items() if k in result.meta.items}
    out = result.select(**{k: v for k, v in groups.items() if k not in items})
    if items:
        keep = np.logical_and.reduce([out[k].astype(str) == _text(v) for k, v in items.items()])
        if not keep.any():
            raise ConfigError(
                f"No figures for {items}; the items are "
                f"{', '.join(dict.fromkeys(out['category'].astype(str)))}."
            )
        out = Result.from_rows(
            pd.DataFrame(out)[keep].reset_index(drop=True),
            out.meta,
            items_chosen={**out.meta.items_chosen, **items},
        )
    return out.with_meta(_refresh(out.meta, out)) if out.meta.published_notes else out


def is_published_table(path: str | Path) -> bool:
    """Whether ``path`` holds published figures rather than respondent data: a
    ``.published.yaml`` sidecar beside it, or a small CSV/XLSX whose figures say they are per cents (a "%" in the
    cells, or a header naming them) and that :func:`load_table` reads. A trainer's own small survey
    file of numbers is never taken for a table of figures.

    Examples
    --------
    >>> is_published_table("data/youth_social_media_demo.sav")
    False
    """
    from .io.sidecar import find_sidecar
    from .io.table import detect_forms

    p = Path(path)
    if p.suffix.lower() not in (".csv", ".tsv", ".txt", ".xlsx", ".xlsm") or not p.is_file():
        return False
    if find_sidecar(p, "published") is not None:
        return True
    try:
        if p.stat().st_size > 200_000:
            return False
        frame, _ = _read(p)
        if len(frame) > 500 or frame.shape[1] > 40 or detect_forms(list(frame.columns)):
            return False
        cells = frame.astype(str).stack()
        cells = cells[cells.str.strip().ne("") & cells.ne("nan")]
        signed = len(cells) and cells.str.fullmatch(r"\s*-?\d+(?:[.,]\d+)?\s*%\s*").mean() >= 0.3
        named = any(re.search(r"%|percent|procent", str(c), re.I) for c in frame.columns)
        if not (signed or named):  # figures say they are per cents, in the cells or a header
            return False
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", YouthmediaWarning)
            load_table(p)
    except (YouthmediaError, OSError, ValueError):
        return False
    return True
