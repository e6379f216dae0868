"""Selecting one group (a year, an indicator) of a published table or any Result.

Examples
--------
>>> from youthmedia.result import Result
>>> from youthmedia.published.groups import select
>>> r = Result.from_rows([{"year": "2016", "variable": "fb", "estimate": 0.88},
...                       {"year": "2017", "variable": "fb", "estimate": 0.80}], by=["year"])
>>> select(r, year=2016).meta["selected"]
{'year': '2016'}
"""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np
import pandas as pd

from ..errors import ConfigError
from ..result import Result
from .layout import _YEAR_HEAD
from .notes import _refresh
from .text import _group_text, _match_group_value, _norm

__all__ = ["select"]


def _by_value(result: Result, column: str, value: Any) -> Any:
    cats = [c for c in pd.unique(result[column].astype(object)) if c is not None
            and not (isinstance(c, float) and math.isnan(c))]
    labels = [str(c) for c in cats]
    hit = _match_group_value(value, labels)
    if hit is None:
        for lang_table in (result.meta.get("value_labels") or {}).values():
            for raw, translated in (lang_table.get(column) or {}).items():
                if str(translated) == str(value) and str(raw) in labels:
                    hit = str(raw)
    if hit is None:
        raise ConfigError(f"{value!r} is not a value of {column!r}; its values are "
                          f"{', '.join(labels)}.")
    return cats[labels.index(hit)]


def select(result: Result, **where: Any) -> Result:
    """The rows of ``result`` for one value of some ``by`` columns, without those columns.

    A selected year becomes the source year; ``meta["selected"]`` records the choice.

    Examples
    --------
    >>> r = Result.from_rows([{"year": "2016", "variable": "fb", "estimate": 0.88},
    ...                       {"year": "2017", "variable": "fb", "estimate": 0.80}], by=["year"])
    >>> float(select(r, year=2017).loc[0, "estimate"])
    0.8
    """
    if not isinstance(result, Result):
        raise ConfigError(f"select() takes a Result, not {type(result).__name__}.")
    frame = pd.DataFrame(result)
    keep = np.ones(len(frame), dtype=bool)
    items = [c for c in (result.meta.get("read_as") or {}).get("items", []) if c in frame.columns]
    for column, value in where.items():
        if column not in result.by and column not in items:
            raise ConfigError(f"{column!r} is not a grouping of this Result; its groupings are "
                              f"{', '.join(result.by + items) or 'none'}.")
        wanted = _by_value(result, column, value)
        keep &= (frame[column].astype(object) == wanted).to_numpy()
    if not keep.any():
        raise ConfigError(f"No rows for {where}.")
    dropped = [c for c in where if c in result.by]
    rows = frame[keep].drop(columns=dropped).reset_index(drop=True)
    meta = copy.deepcopy(result.meta)
    meta["by"] = [b for b in result.by if b not in where]
    meta["variables"] = [v for v in meta.get("variables") or [] if v in set(rows["variable"])]
    meta["selected"] = {**meta.get("selected", {}), **{k: _group_text(v) for k, v in where.items()}}
    for k, v in where.items():
        if _YEAR_HEAD.match(_norm(k)) or k == "year":
            meta["source"] = {**(meta.get("source") or {}), "year": _group_text(v)}
    if meta.get("published_notes"):
        _refresh(meta, rows)
    else:
        known = pd.to_numeric(rows["n"], errors="coerce").dropna()
        meta["n_total"] = int(known.max()) if len(known) else None
    out = Result.from_rows(rows, **meta)
    for b in meta["by"]:
        if isinstance(out[b].dtype, pd.CategoricalDtype):
            out[b] = out[b].cat.remove_unused_categories()
    return out
