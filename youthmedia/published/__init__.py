"""Published tables as input: percentages copied from a report become a ``Result``.

Most trainers never see respondent data; they have a table from a report — "percentage of
15–19 year olds using each platform, per year" — typed into a spreadsheet. :func:`load_table`
reads such a table (CSV or XLSX, Dutch or English conventions, as :func:`youthmedia.load`
detects them) and returns a :class:`~youthmedia.result.Result` of the same shape the estimators
return, so every figure, table and deck function works on it unchanged.

How a table is read (``result.meta["read_as"]`` records what was decided)
    **Shape.** *Tidy*: one row per figure — grouping columns (platform, age band, year, gender
    …), one measure column, optionally ``n``, ``source`` and ``note`` columns. *Wide*: one
    column per group (typically a year: ``platform, 2022, 2023, 2024``); a row whose first
    cell is ``n`` (or ``basis``/``base``) gives the sample size of each column. A table with
    one column named like a measure (``percentage``, ``%``, ``procent``, ``aandeel``,
    ``proportion``, ``share``, ``value``, ``waarde``) or one column of figures is tidy; two or
    more columns of figures (or of measure-named columns) make it wide. ``shape=`` overrides.

    **Scale.** A cell with a ``%`` sign is a percentage. Otherwise the column's header decides
    (``percentage``/``%``/``procent`` → percentages; ``proportion``/``aandeel``/``share`` →
    proportions), else the values: any value above 1 → percentages, all values between 0 and 1
    → proportions (with a warning, because 0.5 could be half a percent). Percentages above 1
    together with values between 0 and 1 that are not whole numbers is a *mix* and a
    ``DataError`` naming the cells; ``measure="percent"`` or ``"proportion"`` decides instead.

    **Cells.** ``"—"``, ``"–"``, ``"-"``, ``"n.b."``, ``"n.v.t."``, ``"n/a"``, ``"x"``,
    ``"."``, ``".."`` and empty cells are *missing*: the row is kept (drawn as "–") with
    ``reason`` ``missing:<text>``. ``"<1%"`` is read as half its bound, 0.5%, flagged in
    ``reason`` as ``bound:<1%`` and without an interval (only bounds up to 5% are accepted);
    ``">99%"`` likewise as 99.5% (bounds of 95% and up). ``"~50"``, ``"ca. 50"``, ``"ruim 50"``
    (just over), ``"bijna 50"`` are read as 50 and flagged ``approx:<text>``. Percentages over
    100, negative values and any other text (``"*"``, ``"abc"``) are refused with a
    ``DataError`` naming the row, column and value. A row with a figure but without a group
    value is refused too (Excel's merged cells leave exactly such rows).

    **Items and groups.** The grouping column named like ``platform``, ``medium``, ``app``,
    ``item``, ``indicator`` (or ``item=``) gives the estimates' ``variable``; several such
    columns are joined ("Facebook – account"). Every other grouping column becomes a ``by``
    column (a year column makes :func:`youthmedia.figures.auto` draw a trend).

    **Sample size and intervals.** Where a base ``n`` is known (``n=`` as one number, a
    column name or ``{group value: n}``; an ``n`` column; an ``n`` row; the sidecar) the
    interval is Wilson's for a *simple random sample of that size* — said so in
    ``meta["notes"]`` ("assuming a simple random sample of n = 761"), because a published
    survey is usually weighted or clustered and its true interval is then wider. Without ``n``
    there is no interval (NaN) and a note says so.

The sidecar ``<name>.published.yaml`` beside the table (or ``codebook=``) may give ``source``
(a name, or ``{name, url, via, secondary}``), ``year``, ``n``, ``measure``, ``item``,
``population`` and ``title`` (strings or ``{nl: ..., en: ...}``), ``reach`` (true: the figures
are "% using"), ``notes``, ``translations`` (``{en: {Dutch text: English text}}`` for headers
and values). Its presence alone makes :func:`is_published_table` true.

The package's modules, one job each: :mod:`~youthmedia.published.grid` (the file as a grid
of cells), :mod:`~youthmedia.published.layout` (tidy or wide, which column is what),
:mod:`~youthmedia.published.read` (the rows as records, one per figure),
:mod:`~youthmedia.published.cells` (what a cell says, bad cells, percent or proportion),
:mod:`~youthmedia.published.sidecar`, :mod:`~youthmedia.published.sizes` (n),
:mod:`~youthmedia.published.intervals` (Wilson), :mod:`~youthmedia.published.notes` (notes and
source note), :mod:`~youthmedia.published.load` (``load_table``),
:mod:`~youthmedia.published.detect` (``is_published_table``),
:mod:`~youthmedia.published.groups` (``select``), :mod:`~youthmedia.published.compare`
(``comparison`` and its sentence), :mod:`~youthmedia.published.beside` (``beside_survey``).

Examples
--------
>>> import youthmedia as ym
>>> r = ym.load_table("data/published/pew_teens_2022_2024.csv")          # doctest: +SKIP
>>> r.meta["read_as"]["shape"], r.meta["read_as"]["scale"]                 # doctest: +SKIP
('wide', 'percent')
>>> wilson_interval(0.5, 100)                                              # doctest: +ELLIPSIS
(0.4038..., 0.5961...)
"""

from __future__ import annotations

from .beside import NEWCOM_GROUPS, NEWCOM_TABLE, SURVEY_GROUPS, beside_survey
from .compare import comparison, comparison_sentence
from .detect import is_published_table
from .groups import select
from .intervals import wilson_interval
from .load import load_table

__all__ = [
    "NEWCOM_GROUPS",
    "NEWCOM_TABLE",
    "SURVEY_GROUPS",
    "beside_survey",
    "comparison",
    "comparison_sentence",
    "is_published_table",
    "load_table",
    "select",
    "wilson_interval",
]
