"""Excel workbooks (.xlsx): one sheet as a table, header in the first row, read by its real
cells in bounded memory (a 5 KB file may claim A1:XFD1048576 as its used range)."""

from __future__ import annotations

import contextlib
import warnings
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ConfigError, DataError, YouthmediaWarning
from .table import RawRead, build_table, clean_header, is_na

#: what a damaged workbook raises inside zipfile/zlib/openpyxl/XML parsing
_DAMAGED = (zipfile.BadZipFile, zlib.error, KeyError, ValueError, OSError, TypeError, EOFError)
_DAMAGED += (IndexError, AttributeError, SyntaxError, NotImplementedError, RuntimeError)
#: empty rows after which a cell no longer belongs to the table (a stray cell far below it)
_MAX_GAP = 1000


def _damaged(where: str, exc: BaseException) -> DataError:
    msg = " ".join(str(exc).split())[:200] or type(exc).__name__
    return DataError(
        f"{where}: this Excel file cannot be read ({msg}); it is damaged or not really .xlsx — open it in Excel and save it again."
    )


def _real_rows(ws: Any, where: str) -> list[list[Any]]:
    """The table's rows; cells far below or right of it left out with one warning."""
    ws.reset_dimensions()
    rows: list[list[Any]] = []
    gap, stray = 0, []
    for i, r in enumerate(ws.iter_rows(values_only=True), start=1):
        cells = list(r)
        while cells and is_na(cells[-1]):
            cells.pop()
        if not cells:
            gap += 1
        elif rows and gap > _MAX_GAP:
            stray.append(f"row {i}")
        else:
            rows += [[] for _ in range(gap if rows else 0)] + [cells]  # empty rows kept inside
            gap = 0
    width = len(rows[0]) if rows else 0
    used = {j for r in rows[1:] for j in range(width, len(r)) if not is_na(r[j])}
    while width in used:
        width += 1
    far = sum(1 for r in rows for j in range(width, len(r)) if not is_na(r[j]))
    if far:
        stray.append(f"{far} cell(s) right of the table")
    if stray:
        more = ", ..." if len(stray) > 3 else ""
        warnings.warn(
            f"{where}: left out cells far outside the table ({', '.join(stray[:3])}{more}); move them into the table if they are data.",
            YouthmediaWarning,
            stacklevel=4,
        )
    return [r[:width] + [None] * (width - len(r)) for r in rows]  # cut or padded to the table


def _sheet(wb: Any, sheet: str | int | None, where: str) -> Any:
    names = wb.sheetnames
    if not names:
        raise DataError(
            f"{where}: the workbook has no sheets; it is damaged — open it in Excel and save it again."
        )
    number = sheet is None or (isinstance(sheet, int) and not isinstance(sheet, bool))
    if number and not 0 <= (sheet or 0) < len(names) or not number and sheet not in names:
        what = f"number {sheet} (0-based)" if number else repr(sheet)
        raise ConfigError(f"{where}: there is no sheet {what}; sheets: {', '.join(names)}.")
    return wb[names[sheet or 0] if number else sheet]


def read_excel(
    path: str | Path,
    *,
    columns: list[str] | None = None,
    sheet: str | int | None = None,
    **options: Any,
) -> RawRead:
    """Read one sheet (name or 0-based position; default the first) as typed columns plus
    codebook (``options``: those of :func:`.table.build_table`)."""
    from openpyxl import load_workbook

    where = str(path)
    with open(path, "rb") as fh:  # ours to close, also when openpyxl gives up halfway
        try:
            wb = load_workbook(fh, read_only=True, data_only=True)
        except _DAMAGED as exc:
            raise _damaged(where, exc) from None
        with contextlib.closing(wb):
            ws = _sheet(wb, sheet, where)
            title = ws.title
            try:  # read-only workbooks inflate and parse the sheet only now
                rows = _real_rows(ws, f"{where} (sheet {title!r})")
            except _DAMAGED as exc:
                raise _damaged(where, exc) from None
    if not rows:
        raise DataError(f"{where}: sheet {title!r} is empty; choose another with sheet=.")
    frame = pd.DataFrame(rows, dtype=object)
    frame = frame.loc[:, ~frame.map(is_na).all()]  # columns without a single cell
    header = clean_header(frame.iloc[0].tolist(), f"{where} (sheet {title!r})")
    frame = frame.iloc[1:].set_axis(header, axis=1).reset_index(drop=True)
    return build_table(
        frame, where, reader="excel", columns=columns, options={"sheet": title}, **options
    )
