"""Whether a file holds a table of published figures rather than respondent data.

Examples
--------
>>> from youthmedia.published.detect import is_published_table
>>> is_published_table("data/published/pew_teens_2022_2024.csv")          # doctest: +SKIP
True
"""

from __future__ import annotations

from pathlib import Path

from ..errors import YouthmediaError
from ..io.sidecar import find_sidecar
from .grid import _read_grid
from .layout import _YEAR_VALUE, _layout, _looks_like_figures
from .read import _records, _wide_label

__all__ = ["is_published_table"]


def is_published_table(path: str | Path) -> bool:
    """Whether ``path`` holds a table of published figures rather than respondent data.

    True when a ``<name>.published.yaml`` sidecar sits beside it, or when it is a small CSV/XLSX
    table (at most 500 rows) that :func:`load_table` reads with one row per group and either a
    measure column named like one (``percentage``, ``%``, ``aandeel``, ``proportion``),
    figures written with ``%`` signs, or year columns (``platform, 2022, 2023``). Forms exports,
    SPSS/Stata files and unreadable files are not.

    Examples
    --------
    >>> is_published_table("data/published/pew_teens_2022_2024.csv")          # doctest: +SKIP
    True
    >>> is_published_table("data/youth_social_media_demo.csv")                 # doctest: +SKIP
    False
    """
    p = Path(path)
    if p.suffix.lower() not in (".csv", ".tsv", ".txt", ".xlsx", ".xlsm") or not p.is_file():
        return False
    if find_sidecar(p, "published") is not None:
        return True
    try:   # published tables are small: don't read a big respondent file to find that out
        if p.stat().st_size > 1_000_000:
            return False
        if p.suffix.lower() in (".csv", ".tsv", ".txt") and p.read_bytes().count(b"\n") > 600:
            return False
        grid = _read_grid(p, None, {})
    except (YouthmediaError, OSError):
        return False
    from ..io.forms import detect_forms

    frame = grid.frame
    if len(frame) > 500 or frame.shape[1] > 40 or detect_forms([str(c) for c in frame.columns]):
        return False
    try:
        lay = _layout(grid, None, None)
        evidence = (lay.measure_reason == "column header"
                    or any(_looks_like_figures(frame[c], grid.decimal)[1] for c in lay.measure)
                    or (lay.shape == "wide"
                        and all(_YEAR_VALUE.match(_wide_label(c)) for c in lay.measure)))
        if not evidence:
            return False
        columns_name = "year" if lay.shape == "wide" else "group"
        _records(grid, lay, columns_name)
    except YouthmediaError:
        return False
    return True
