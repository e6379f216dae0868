"""The rows of a published table's grid as records, one per figure: wide tables melted, the
``n`` row and trailing "Bron: ..." lines taken out, figures without a group or given twice refused.

Examples
--------
>>> from youthmedia.published.read import _wide_label
>>> _wide_label("2022 (%)")
'2022'
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..errors import DataError
from .cells import _Cell, _parse_cell
from .grid import _Grid
from .layout import _N_HEAD, _Layout
from .text import _group_text, _is_missing, _norm, _text

# 'Bron: Newcom 2017' and the like, copied with the table below its rows
_TRAILER = re.compile(r"^\s*(bron|source|noot|note|opmerking|\*|¹)\s*[:.)]?", re.I)


@dataclass
class _Record:
    keys: dict[str, str]        # grouping column -> label
    cell: _Cell
    n_text: Any = None
    source: str = ""
    note: str = ""
    ci: tuple[Any, Any] = (None, None)
    n_row: int = 0
    estimate: float = math.nan
    given_ci: tuple[float, float] | None = None


def _trailer(row: pd.Series, columns: list[str]) -> str | None:
    """'Bron: Newcom 2017' in the first cell of an otherwise empty row (copied with the table)."""
    first = row[columns[0]]
    if not isinstance(first, str) or not _TRAILER.match(first):
        return None
    if any(not _is_missing(row[c]) for c in columns[1:]):
        return None
    return first.strip()


def _records(grid: _Grid, lay: _Layout, columns_name: str) -> tuple[list[_Record], list[str],
                                                                   dict[str, Any], list[str]]:
    """Records, grouping column names (after melting), per-column n of a wide table, trailers."""
    frame = grid.frame
    columns = [str(c) for c in frame.columns]
    trailers: list[str] = []
    records: list[_Record] = []
    column_n: dict[str, Any] = {}
    groups = list(lay.groups)
    melted_name = None
    if lay.shape == "wide":
        melted_name = columns_name
        if melted_name in groups:
            melted_name = melted_name + "_column"
    for i in range(len(frame)):
        row = frame.iloc[i]
        rownum = grid.first_row + i
        if all(_is_missing(row[c]) for c in columns):
            continue
        trailer = _trailer(row, columns)
        if trailer is not None:
            trailers.append(trailer)
            continue
        keys = {g: _group_text(row[g]) for g in groups}
        if lay.shape == "wide" and groups and _N_HEAD.match(_norm(keys[groups[0]])) \
                and all(not keys[g] or g == groups[0] for g in groups):
            for c in lay.measure:
                column_n[_wide_label(c)] = (row[c], rownum, c)
            continue
        extra = {
            "n_text": row[lay.n] if lay.n else None,
            "source": _text(row[lay.source]) if lay.source else "",
            "note": _text(row[lay.note]) if lay.note else "",
            "ci": (row[lay.ci_low] if lay.ci_low else None, row[lay.ci_high] if lay.ci_high else None),
        }
        for c in lay.measure:
            cell = _parse_cell(row[c], rownum, c, grid.decimal, grid.where)
            rec_keys = dict(keys)
            if melted_name:
                rec_keys[melted_name] = _wide_label(c)
            records.append(_Record(rec_keys, cell, n_row=rownum, **extra))
    out_groups = groups + ([melted_name] if melted_name else [])
    # a figure without its group
    for rec in records:
        empty = [g for g in groups if not rec.keys[g]]
        if empty and rec.cell.flag != "missing":
            raise DataError(
                f"{grid.where}: row {rec.cell.row} has the figure {rec.cell.text!r} but no "
                f"{empty[0]!r}; every figure needs its group — fill the cell in (a merged cell "
                "in Excel leaves the rows below it empty) or delete the row."
            )
    records = [r for r in records if all(r.keys[g] for g in groups) or r.cell.flag != "missing"]
    if not records:
        raise DataError(f"{grid.where}: the table holds no figures; check that it is the table "
                        "you meant.")
    seen: dict[tuple, int] = {}
    for rec in records:
        key = tuple(rec.keys[g] for g in out_groups)
        if key in seen:
            what = ", ".join(f"{g} {rec.keys[g]!r}" for g in out_groups)
            hint = ""
            if lay.shape == "wide" and lay.measure_reason != "column header":
                hint = (f" (it was read as a wide table, one column of figures per group: "
                        f"{', '.join(map(repr, lay.measure))}; if one column holds the figures, "
                        f"pass measure='{lay.measure[-1]}')")
            raise DataError(f"{grid.where}: rows {seen[key]} and {rec.cell.row} both give the "
                            f"figure for {what}; keep one, or add the column that tells them "
                            f"apart (year, age band, …){hint}.")
        seen[key] = rec.cell.row
    return records, out_groups, column_n, trailers


def _wide_label(header: str) -> str:
    """A wide table's column header as a group label: ``2022 (%)`` → ``2022``."""
    label = re.sub(r"\(\s*%\s*\)|%", "", str(header)).strip()
    return label or str(header)
