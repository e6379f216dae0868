"""A published table's file as a grid of cells (the IO readers do the encoding, delimiter
and decimal mark; here the decimal mark of figures they left as text, "88,5%").

Examples
--------
>>> from youthmedia.published.grid import _read_grid
>>> grid = _read_grid("data/published/newcom_2016_2017_15_19.csv", None, {})
>>> grid.delimiter, grid.first_row, list(grid.frame.columns)[:2]
(';', 2, ['platform', 'indicator'])
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import DataError
from .cells import _CELL


@dataclass
class _Grid:
    frame: pd.DataFrame         # typed columns as the readers infer them
    where: str
    decimal: str
    delimiter: str | None
    first_row: int              # spreadsheet row number of the first data row
    sha256: str
    path: Path
    reader: str


def _read_grid(path: str | Path, sheet: Any, options: dict[str, Any]) -> _Grid:
    from ..io.sniff import check_file, sha256_of

    p, kind = check_file(path)
    if kind == "text":
        from ..io.csv import read_text

        raw = read_text(p, forms=False, **options)
    elif kind == "xlsx":
        from ..io.excel import read_excel

        raw = read_excel(p, sheet=sheet, forms=False, **options)
    else:
        what = {"sav": "an SPSS", "zsav": "an SPSS", "por": "an SPSS", "dta": "a Stata"}.get(kind, "a")
        raise DataError(f"{p}: is {what} file of respondent data, not a published table; load "
                        "it with ym.load() and estimate shares with ym.share().")
    first = 2 + (1 if raw.options.get("sep_line") else 0)
    decimal = raw.options.get("decimal", ".")
    if options.get("decimal") is None:
        # figures the readers left as text ("88,5%", "ca. 7,5"): guess their decimal mark with
        # the readers' own rule, on the numbers without their % sign or prefix
        from ..io.infer import guess_decimal

        numbers = []
        for c in raw.data.columns:
            for v in raw.data[c].head(500).tolist():
                m = _CELL.match(v.strip()) if isinstance(v, str) else None
                if m:
                    numbers.append(m.group("num"))
        if numbers and guess_decimal(numbers, raw.options.get("delimiter")) == ",":
            decimal = ","
    return _Grid(raw.data, str(p), decimal, raw.options.get("delimiter"), first, sha256_of(p), p,
                 raw.reader)
