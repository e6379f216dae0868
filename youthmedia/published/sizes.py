"""Sample sizes of published figures: from an ``n`` column, an ``n`` row, the sidecar or ``n=``.

Examples
--------
>>> from youthmedia.published.sizes import _n_value
>>> _n_value("1.316", "t.csv", ";")
1316.0
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..errors import ConfigError, DataError
from .grid import _Grid
from .layout import _Layout
from .read import _Record
from .text import _group_text, _is_missing, _match_group_value, _text


def _n_value(value: Any, where: str, delimiter: str | None) -> float:
    """A base n from a cell or argument: a positive whole number (NaN when missing)."""
    if _is_missing(value):
        return math.nan
    if isinstance(value, str):
        from ..io.infer import parse_number

        s = value.strip()
        number = parse_number(s, ",") if re.fullmatch(r"\d{1,3}(\.\d{3})+", s) else None
        if number is None:
            number = parse_number(s, ".")
        if number is None:
            raise DataError(f"{where}: n {value!r} is not a number; write the sample size as a "
                            "whole number (761).")
        value = number
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ConfigError(f"{where}: n={value!r} must be a whole number.")
    v = float(value)
    if not v.is_integer() and delimiter == ";" and abs(v * 1000 - round(v * 1000)) < 1e-6 \
            and v < 1000:
        v = float(round(v * 1000))   # '1.316' in a Dutch file: a thousands point, not a decimal
    if not v.is_integer() or v < 1:
        raise DataError(f"{where}: n {_text(value)!r} is not a sample size; write it as a "
                        "positive whole number (761).")
    return v


def _assign_n(records: list[_Record], groups: list[str], n_arg: Any, n_where: str,
              column_n: dict[str, Any], lay: _Layout, grid: _Grid, melted: str | None) -> None:
    """Set ``rec.n_text`` to a number (or NaN) for every record."""
    # from the table: a column, or an n row of a wide table
    for rec in records:
        if lay.n:
            rec.n_text = _n_value(rec.n_text, f"{grid.where}: row {rec.n_row}, column {lay.n!r}",
                                  grid.delimiter)
        elif melted and rec.keys[melted] in column_n:
            value, rownum, col = column_n[rec.keys[melted]]
            rec.n_text = _n_value(value, f"{grid.where}: row {rownum}, column {col!r}",
                                  grid.delimiter)
        else:
            rec.n_text = math.nan
    if n_arg is None:
        return
    if isinstance(n_arg, str) and not n_arg.strip().isdigit():
        raise ConfigError(f"{n_where}: n={n_arg!r}; give the sample size as a number, as "
                          "{group value: n}, or name the n column in the table itself ('n').")
    if isinstance(n_arg, Mapping):
        table = dict(n_arg)
        if table and all(str(k) in groups for k in table) and all(isinstance(v, Mapping)
                                                                   for v in table.values()):
            per = {str(k): dict(v) for k, v in table.items()}
        else:
            per = None
            for g in groups:
                values = list(dict.fromkeys(rec.keys[g] for rec in records))
                if all(_match_group_value(k, values) is not None for k in table):
                    per = {g: table}
                    break
            if per is None:
                raise ConfigError(f"{n_where}: n= names {', '.join(map(_group_text, table))}, "
                                  f"which are not all values of one column "
                                  f"({', '.join(groups)}); give {{value: n}} for one column.")
        for g, mapping in per.items():
            values = list(dict.fromkeys(rec.keys[g] for rec in records))
            resolved = {}
            for k, v in mapping.items():
                hit = _match_group_value(k, values)
                if hit is None:
                    raise ConfigError(f"{n_where}: n= gives {k!r} for {g!r}, which has "
                                      f"{', '.join(values)}.")
                resolved[hit] = _n_value(v, f"{n_where}: n for {g} {k}", None)
            for rec in records:
                if rec.keys[g] in resolved:
                    rec.n_text = resolved[rec.keys[g]]
        return
    value = _n_value(n_arg if not isinstance(n_arg, str) else int(n_arg), f"{n_where}: n", None)
    for rec in records:
        rec.n_text = value
