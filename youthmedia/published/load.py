"""``load_table``: a table of published figures as a :class:`~youthmedia.result.Result`.

Examples
--------
>>> from youthmedia.published.load import load_table
>>> r = load_table("data/published/pew_teens_2022_2024.csv")              # doctest: +SKIP
>>> r.meta["read_as"]["shape"]                                             # doctest: +SKIP
'wide'
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ConfigError
from ..result import Result
from .cells import _decide_scale, _parse_cell, _reason, _scale_word, _to_proportion
from .grid import _Grid, _read_grid
from .intervals import wilson_interval
from .layout import _ITEM_HEAD, _YEAR_HEAD, _YEAR_VALUE, _layout
from .notes import _cell_notes, _refresh
from .read import _Record, _records, _wide_label
from .sidecar import _read_sidecar
from .sizes import _assign_n
from .text import _EN_DASH, _nl_en, _norm, _slug

__all__ = ["load_table"]


def _choose_items(groups: list[str], item: str | Sequence[str] | None, melted: str | None,
                  where: str) -> list[str]:
    if item is not None:
        items = [item] if isinstance(item, str) else list(item)
        unknown = [i for i in items if i not in groups]
        if unknown:
            raise ConfigError(f"{where}: item={unknown[0]!r} is not a grouping column; the "
                              f"table's grouping columns are {', '.join(groups)}.")
        return items
    named = [g for g in groups if _ITEM_HEAD.match(_norm(g))]
    if named:
        return named
    for g in groups:
        if g != melted and not _YEAR_HEAD.match(_norm(g)):
            return [g]
    return []


def _translate(text: str, translations: Mapping[str, Mapping[str, str]], lang: str) -> str | None:
    table = translations.get(lang) or {}
    return table.get(text)


def _source_meta(grid: _Grid, sidecar: dict, source: Any, year: Any, records: list[_Record],
                 trailers: list[str], groups: list[str]) -> dict[str, Any]:
    spec = source if source is not None else sidecar.get("source")
    info: dict[str, Any] = {}
    if isinstance(spec, Mapping):
        info.update({str(k): v for k, v in spec.items()})
    elif spec is not None:
        info["name"] = str(spec)
    if not info.get("name"):
        names = list(dict.fromkeys(r.source for r in records if r.source))
        if names:
            info["name"] = "; ".join(names)
        else:
            trail = [t for t in trailers if re.match(r"^\s*(bron|source)", t, re.I)]
            if trail:
                info["name"] = re.sub(r"^\s*(bron|source)\s*[:.]?\s*", "", trail[0], flags=re.I)
    if not info.get("name"):
        info["name"] = grid.path.stem
    year_value = year if year is not None else sidecar.get("year", info.get("year"))
    if year_value is None:
        years = sorted({rec.keys[g] for rec in records for g in groups
                        if _YEAR_HEAD.match(_norm(g)) or g == "year"
                        if _YEAR_VALUE.match(rec.keys[g])})
        if years:
            year_value = years[0] if len(years) == 1 else f"{years[0]}{_EN_DASH}{years[-1]}"
    info["year"] = None if year_value is None else str(year_value)
    info["path"] = str(grid.path)
    info["sha256"] = grid.sha256
    return info


def load_table(
    path: str | Path,
    *,
    measure: str | None = None,
    n: int | str | Mapping[Any, Any] | None = None,
    source: str | Mapping[str, Any] | None = None,
    year: str | int | None = None,
    codebook: str | Path | Mapping[str, Any] | bool | None = None,
    item: str | Sequence[str] | None = None,
    shape: str | None = None,
    sheet: str | int | None = None,
    level: float | None = None,
    **options: Any,
) -> Result:
    """Read a table of published figures as a :class:`~youthmedia.result.Result`.

    See the module docstring for the reading rules (shape, scale, cells, items, n).

    Parameters
    ----------
    path : str or Path
        A ``.csv``/``.tsv``/``.txt`` (delimiter, decimal comma and encoding detected as by
        :func:`youthmedia.load`) or ``.xlsx`` file.
    measure : str, optional
        ``"percent"`` or ``"proportion"`` (the scale; default detected), or the name of the
        column holding the figures.
    n : int, str or dict, optional
        Base n: one number for every figure, the name of a column, or ``{group value: n}``
        (e.g. ``{2022: 1316, 2023: 1453}``) or ``{column: {value: n}}``. Overrides the table.
    source : str or dict, optional
        The source's name (or ``{name, url, via, secondary}``) for source lines.
    year : str or int, optional
        Year of the figures (default: the table's year column, else the sidecar).
    codebook : str, Path, dict or False, optional
        The table sidecar; default ``<name>.published.yaml`` beside the file.
    item : str or list of str, optional
        The grouping column(s) naming what each figure is about (default: ``platform``,
        ``indicator``, … or the first non-year grouping column).
    shape : {"tidy", "wide"}, optional
        Override the detected shape.
    sheet : str or int, optional
        Excel sheet.
    level : float, optional
        Confidence level of the intervals (default 0.95).
    **options
        Reader options (``delimiter``, ``decimal``, ``encoding``, ``thousands``).

    Returns
    -------
    Result
        One row per figure: the ``by`` columns, ``variable`` (one per item), ``category`` (the
        item's label), ``estimate`` (0–1), ``se`` and ``ci_low``/``ci_high`` (Wilson for a
        simple random sample of ``n``; NaN without ``n``), ``n``, ``n_eff`` and ``base`` (= n),
        ``suppressed`` (False), ``reason`` (``bound:…``, ``approx:…``, ``missing:…``).
        ``meta``: ``kind="share"``, ``by``, ``labels``, ``weighted=False``, ``source``
        ``{name, year, …}``, ``n_total``, ``notes`` (the interval assumption, flagged cells),
        ``published=True``, ``read_as`` (shape, scale and why, items, by).

    Raises
    ------
    DataError
        A cell that is not a figure, out of range, a mix of percentages and proportions, a
        figure without its group, two figures for the same group.
    ConfigError
        Arguments that do not fit the table.

    Examples
    --------
    >>> r = load_table("data/published/newcom_2016_2017_15_19.csv")     # doctest: +SKIP
    >>> r[["indicator", "jaar", "estimate"]].head(2)                       # doctest: +SKIP
    """
    if shape not in (None, "tidy", "wide"):
        raise ConfigError(f"shape={shape!r}; use 'tidy', 'wide' or leave it out.")
    grid = _read_grid(path, sheet, dict(options))
    sidecar, sidecar_where = _read_sidecar(codebook, grid.path)
    measure_arg = measure if measure is not None else sidecar.get("measure")
    forced = _scale_word(measure_arg)
    column_measure = None if forced or measure_arg is None else str(measure_arg)
    if level is None:
        level = float(sidecar.get("level", 0.95))
    if not 0 < level < 1:
        raise ConfigError(f"level={level!r}; give it as a proportion, e.g. 0.95.")
    lay = _layout(grid, column_measure, shape or sidecar.get("shape"))
    columns_name = str(sidecar.get("columns_name") or "")
    if not columns_name:
        heads = [_wide_label(c) for c in lay.measure]
        columns_name = "year" if all(_YEAR_VALUE.match(h) for h in heads) else "group"
    records, groups, column_n, trailers = _records(grid, lay, columns_name)
    melted = groups[-1] if lay.shape == "wide" else None
    n_arg = n if n is not None else sidecar.get("n")
    n_where = grid.where if n is not None else (sidecar_where or grid.where)
    _assign_n(records, groups, n_arg, n_where, column_n, lay, grid, melted)

    scale, why = _decide_scale([r.cell for r in records], lay.header_hint, forced, grid.where,
                               lay.measure)
    for rec in records:
        rec.estimate = _to_proportion(rec.cell, scale, grid.where)
        if lay.ci_low or lay.ci_high:
            bounds = []
            for value, col in zip(rec.ci, (lay.ci_low, lay.ci_high), strict=True):
                if col is None:
                    bounds.append(math.nan)
                    continue
                c = _parse_cell(value, rec.cell.row, col, grid.decimal, grid.where)
                bounds.append(_to_proportion(c, scale, grid.where))
            rec.given_ci = tuple(bounds)
        else:
            rec.given_ci = None

    item_cols = _choose_items(groups, item if item is not None else sidecar.get("item"), melted,
                              grid.where)
    by = [g for g in groups if g not in item_cols]
    translations = {str(k): {str(a): str(b) for a, b in (v or {}).items()}
                    for k, v in (sidecar.get("translations") or {}).items()}
    langs = sorted(translations)
    title = sidecar.get("title")

    # variables
    var_of: dict[tuple, str] = {}
    labels: dict[Any, dict[str, str]] = {None: {}}
    for lang in langs:
        labels[lang] = {}
    used: set[str] = set()
    fallback_label = title if isinstance(title, str) else (
        (title or {}).get("en") if isinstance(title, Mapping) else None) or lay.measure[0]
    for rec in records:
        parts = tuple(rec.keys[c] for c in item_cols)
        if parts in var_of:
            continue
        label = f" {_EN_DASH} ".join(parts) if parts else str(fallback_label)
        name = _slug(label)
        while name in used:
            name += "_"
        used.add(name)
        var_of[parts] = name
        labels[None][name] = label
        for lang in langs:
            if parts:
                labels[lang][name] = f" {_EN_DASH} ".join(
                    _translate(p, translations, lang) or p for p in parts)
            elif isinstance(title, Mapping) and title.get(lang):
                labels[lang][name] = str(title[lang])
    year_label = {"nl": "Jaar", "en": "Year"}
    value_labels: dict[str, dict] = {}
    for b in by:
        labels[None][b] = b
        for lang in langs:
            labels[lang][b] = _translate(b, translations, lang) or (
                year_label.get(lang, b) if b == "year" else b)
        for lang in langs:
            table = {rec.keys[b]: _translate(rec.keys[b], translations, lang)
                     for rec in records if _translate(rec.keys[b], translations, lang)}
            if table:
                value_labels.setdefault(lang, {})[b] = table
    if "year" in by:
        for lang in ("nl", "en"):
            labels.setdefault(lang, {}).setdefault("year", year_label[lang])

    # rows
    rows = []
    for rec in records:
        p = rec.estimate
        nn = rec.n_text
        if rec.given_ci is not None:
            lo, hi = rec.given_ci
        elif rec.cell.flag in ("below", "above", "missing"):
            lo = hi = math.nan
        else:
            lo, hi = wilson_interval(p, nn, level)
        se = math.sqrt(p * (1 - p) / nn) if nn > 0 and not math.isnan(p) else math.nan
        row = {b: rec.keys[b] for b in by}
        vname = var_of[tuple(rec.keys[c] for c in item_cols)]
        row.update({
            "variable": vname, "category": labels[None][vname], "estimate": p, "se": se,
            "ci_low": lo, "ci_high": hi, "n": nn, "n_eff": nn, "base": nn,
            "suppressed": False, "reason": _reason(rec.cell),
        })
        for c in item_cols:
            row[c] = rec.keys[c]
        if lay.source:
            row["source"] = rec.source
        if lay.note:
            row["note"] = rec.note
        rows.append(row)
    frame = pd.DataFrame(rows)
    for b in by:
        order = list(dict.fromkeys(frame[b]))
        if all(re.fullmatch(r"\d+([.,]\d+)?", v) for v in order):
            order = sorted(order, key=lambda v: float(v.replace(",", ".")))
        frame[b] = pd.Categorical(frame[b], categories=order, ordered=True)
    cats = list(dict.fromkeys(frame["category"]))
    frame["category"] = pd.Categorical(frame["category"], categories=cats, ordered=True)
    if frame["n"].notna().all():
        frame["n"] = frame["n"].astype("int64")

    def keys_text(rec: _Record, lang: str) -> str:
        return ", ".join(_translate(rec.keys[g], translations, lang) or rec.keys[g]
                         for g in groups if rec.keys[g])

    info = _source_meta(grid, sidecar, source, year, records, trailers, groups)
    lead: list[Any] = []
    if info.get("secondary"):
        via = f" ({info['via']})" if info.get("via") else ""
        lead.append(_nl_en(f"Secundaire bron{via}: cijfers uit berichtgeving over het "
                           "onderzoek, niet uit het rapport zelf.",
                           f"Secondary source{via}: figures from coverage of the study, not "
                           "from the report itself."))
    tail: list[Any] = [t for t in trailers if not re.match(r"^\s*(bron|source)", t, re.I)]
    extra_notes = sidecar.get("notes") or []
    tail += [extra_notes] if isinstance(extra_notes, (str, Mapping)) else list(extra_notes)
    has_n = bool(frame["n"].notna().any())
    read_as = {
        "shape": lay.shape, "scale": scale, "scale_reason": why, "measure": lay.measure,
        "measure_reason": lay.measure_reason, "items": item_cols, "by": by,
        "n": "given" if has_n else "none", "decimal": grid.decimal, "delimiter": grid.delimiter,
        "sidecar": sidecar_where or None,
        "message": (f"Read {grid.where} as a {lay.shape} table of "
                    f"{'percentages' if scale == 'percent' else 'proportions'} ({why}); "
                    f"{len(records)} figures of {', '.join(item_cols) or 'one item'}"
                    f"{' by ' + ', '.join(by) if by else ''}; "
                    + ("Wilson intervals assuming simple random samples of the given n."
                       if has_n else "no n, so no intervals.")),
    }
    meta: dict[str, Any] = {
        "kind": "share", "by": by, "variables": list(var_of.values()), "labels": labels,
        "value_labels": value_labels, "weighted": False, "level": level, "source": info,
        "published": True, "read_as": read_as, "percent": True,
        "published_notes": {"lead": lead, "cells": _cell_notes(records, keys_text),
                            "tail": tail,
                            "given_ci": any(r.given_ci is not None for r in records)},
    }
    _refresh(meta, frame)
    if sidecar.get("population"):
        meta["population"] = sidecar["population"]
    if title:
        meta["title"] = title
    if sidecar.get("reach"):
        meta["measure"] = "reach"
    return Result.from_rows(frame, **meta)
