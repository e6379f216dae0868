"""Cells of figures: what a cell says (a number, ``<1%``, ``ruim 50``, ``n.b.``), which cells
are refused, and whether a column holds percentages or proportions.

Examples
--------
>>> from youthmedia.published.cells import _parse_cell, _to_proportion
>>> cell = _parse_cell("ruim 50", 3, "percentage", ",", "t.csv")
>>> cell.flag, _to_proportion(cell, "percent", "t.csv")
('approx', 0.5)
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import DataError, YouthmediaWarning
from .text import _is_missing, _norm, _text

_CELL = re.compile(
    r"^(?P<pre><=|>=|<|>|≤|≥|~|≈|±|ca\.?|circa|approx\.?|about|ongeveer|ruim|bijna|just over|"
    r"almost|nearly)?\s*(?P<num>[-+]?(\d[\d.,\u00a0\u202f]*|[.,]\d+))\s*(?P<pct>%)?$", re.I)
_BELOW = {"<", "<=", "≤"}
_ABOVE = {">", ">=", "≥"}


@dataclass
class _Cell:
    row: int                   # spreadsheet row number
    column: str                # the column the figure stands in
    text: str                  # as typed
    value: float = math.nan    # the number read (on the cell's own scale)
    pct: bool = False          # carries a % sign
    flag: str = ""             # "", "below", "above", "approx", "missing"

    def where(self, grid_where: str) -> str:
        return f"{grid_where}: row {self.row}, column {self.column!r}"


def _parse_cell(value: Any, row: int, column: str, decimal: str, where: str) -> _Cell:
    from ..io.infer import parse_number

    text = _text(value)
    cell = _Cell(row, column, text)
    if _is_missing(value):
        cell.flag = "missing"
        return cell
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        cell.value = float(value)
        return cell
    s = text.replace("\u2212", "-").replace("\u00a0", " ").strip()
    m = _CELL.match(s)
    number = parse_number(m.group("num"), decimal) if m else None
    if m is None or number is None:
        raise DataError(
            f"{cell.where(where)}: {text!r} is not a figure; write a number (88, 88%, 0,88), "
            "'<1%' for a bound, or 'n.b.' / '—' for a missing figure."
        )
    cell.value = number
    cell.pct = m.group("pct") is not None
    pre = (m.group("pre") or "").casefold()
    if pre in _BELOW:
        cell.flag = "below"
    elif pre in _ABOVE:
        cell.flag = "above"
    elif pre:
        cell.flag = "approx"
    return cell


def _reason(cell: _Cell) -> str:
    text = cell.text.replace(";", ",")
    if cell.flag == "missing":
        return f"missing:{text or 'empty'}"
    if cell.flag in ("below", "above"):
        return f"bound:{text}"
    if cell.flag == "approx":
        return f"approx:{text}"
    return ""


def _scale_word(measure: Any) -> str | None:
    if measure is None:
        return None
    word = _norm(measure)
    if word in ("percent", "percentage", "percentages", "%", "pct", "procent"):
        return "percent"
    if word in ("proportion", "proportions", "share", "fraction", "proportie", "aandeel", "fractie"):
        return "proportion"
    return None


def _decide_scale(cells: list[_Cell], header_hint: str | None, forced: str | None,
                  where: str, column_names: Sequence[str]) -> tuple[str, str]:
    """('percent' | 'proportion', why) for the figures in ``cells``."""
    plain = [c for c in cells if c.flag in ("", "approx") and not c.pct]
    pct_cells = [c for c in cells if c.pct]
    cols = ", ".join(repr(c) for c in dict.fromkeys(column_names))

    def show(cs: list[_Cell], k: int = 3) -> str:
        shown = ", ".join(f"row {c.row} {c.column!r} {c.text!r}" for c in cs[:k])
        return shown + (f" and {len(cs) - k} more" if len(cs) > k else "")

    if forced == "proportion" and pct_cells:
        raise DataError(f"{where}: measure='proportion' but {show(pct_cells)} carry a % sign; "
                        "write all figures the same way, or leave measure= out.")
    if forced:
        return forced, f"measure={forced!r}"
    if header_hint:
        if header_hint == "percent" and plain and all(0 <= c.value <= 1 for c in plain) \
                and any(c.value not in (0, 1) for c in plain):
            warnings.warn(f"{where}: the header of {cols} says percentages but every value is "
                          "at most 1; read as percentages (0.88 = 0.88%). If they are proportions, "
                          "pass measure='proportion'.", YouthmediaWarning, stacklevel=4)
        if header_hint == "proportion" and pct_cells:
            raise DataError(f"{where}: the header of {cols} says proportions but "
                            f"{show(pct_cells)} carry a % sign; write all figures the same way.")
        return header_hint, f"the header of {cols}"
    above = [c for c in plain if c.value > 1]
    fractional = [c for c in plain if 0 < c.value < 1]
    if (above or pct_cells) and fractional:
        evidence = pct_cells + above
        raise DataError(
            f"{where}: {cols} mixes percentages ({show(evidence, 2)}) with proportions "
            f"({show(fractional)}); write every figure as a percentage — or, if "
            f"{fractional[0].text!r} really is {fractional[0].text}%, write it with a % sign or "
            "pass measure='percent'."
        )
    if pct_cells or above:
        why = "% signs" if pct_cells and not above else "values above 1"
        return "percent", why
    if fractional:
        warnings.warn(f"{where}: every figure in {cols} lies between 0 and 1; read as "
                      "proportions (0.5 = 50%). If they are percentages below 1%, pass "
                      "measure='percent'.", YouthmediaWarning, stacklevel=4)
        return "proportion", "all values between 0 and 1"
    if plain:
        warnings.warn(f"{where}: the figures in {cols} are only 0 and 1; read as proportions "
                      "(1 = 100%). If they are percentages, pass measure='percent'.",
                      YouthmediaWarning, stacklevel=4)
    return "proportion", "only 0 and 1"


def _to_proportion(cell: _Cell, scale: str, where: str) -> float:
    """The cell's figure as a proportion 0–1 (checking its range and bounds)."""
    if cell.flag == "missing":
        return math.nan
    percent = cell.pct or scale == "percent"
    top = 100.0 if percent else 1.0
    v = cell.value
    unit = "%" if percent else ""
    if v < 0:
        raise DataError(f"{cell.where(where)}: {cell.text!r} is negative; a share cannot be "
                        "below 0 — correct the cell.")
    if v > top:
        what = "over 100%" if percent else "over 1 in a table of proportions"
        raise DataError(f"{cell.where(where)}: {cell.text!r} is {what}; correct the cell (a "
                        "share cannot exceed the whole).")
    if cell.flag == "below":
        if v > 0.05 * top:
            raise DataError(f"{cell.where(where)}: {cell.text!r} is too wide a bound to draw as "
                            f"one figure (bounds up to {0.05 * top:g}{unit} are read as half "
                            "their value); type the figure itself.")
        v = v / 2
    elif cell.flag == "above":
        if v < 0.95 * top:
            raise DataError(f"{cell.where(where)}: {cell.text!r} is too wide a bound to draw as "
                            f"one figure (bounds from {0.95 * top:g}{unit} up are read as half "
                            "way to 100%); type the figure itself.")
        v = (v + top) / 2
    return v / top
