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

import copy
import math
import re
import unicodedata
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .errors import ConfigError, DataError, YouthmediaError, YouthmediaWarning
from .result import Result

__all__ = [
    "beside_survey",
    "comparison",
    "comparison_sentence",
    "is_published_table",
    "load_table",
    "select",
    "wilson_interval",
]

# -- vocabulary ---------------------------------------------------------------------------------
_MISSING = frozenset({
    "", "—", "–", "-", "−", "n.b.", "n.b", "nb", "n.v.t.", "n.v.t", "nvt", "n/a", "na", "nan",
    "#n/a", "#n/b", "#nb", "#null!", "null", "x", ".", "..", "...", "…", "geen gegevens",
    "no data", "not available", "onbekend", "unknown",
})
_PERCENT_HEAD = re.compile(r"%|\b(percentages?|percent|pct|procent|perc)\b")
_PROPORTION_HEAD = re.compile(r"\b(proportions?|proporties?|fracties?|fractions?|aandeel|share)\b")
_NEUTRAL_HEAD = re.compile(r"^(value|values|waarde|waarden|estimate|schatting|cijfer|figure|"
                           r"measure|score|result|resultaat)$")
_N_HEAD = re.compile(r"^(n|base|basis|sample size|steekproef|steekproefgrootte|aantal respondenten|"
                     r"respondents|respondenten|unweighted n|n ongewogen)\b")
_SOURCE_HEAD = re.compile(r"^(source|bron)\b")
_NOTE_HEAD = re.compile(r"^(notes?|opmerkingen|opmerking|toelichting|noot|voetnoot|footnotes?)\b")
_CI_LOW_HEAD = re.compile(r"^(ci[ _]?low|lower|ondergrens|ci[ _]?onder)\b")
_CI_HIGH_HEAD = re.compile(r"^(ci[ _]?high|upper|bovengrens|ci[ _]?boven)\b")
_YEAR_HEAD = re.compile(r"^(year|jaar|jaartal|wave|golf|meting|survey year|peiljaar)$")
_ITEM_HEAD = re.compile(r"^(platforms?|medium|media|social media|sociale media|social medium|"
                        r"app|apps|items?|indicators?|indicatoren|netwerk|network|kanaal|channel|"
                        r"dienst|service|site|vraag|question|activiteit|activity|onderwerp|topic|"
                        r"uitkomst|outcome|gedrag|behaviour|behavior)$")
_TRAILER = re.compile(r"^\s*(bron|source|noot|note|opmerking|\*|¹)\s*[:.)]?", re.I)
_YEAR_VALUE = re.compile(r"^(19|20)\d\d$")
_CELL = re.compile(
    r"^(?P<pre><=|>=|<|>|≤|≥|~|≈|±|ca\.?|circa|approx\.?|about|ongeveer|ruim|bijna|just over|"
    r"almost|nearly)?\s*(?P<num>[-+]?(\d[\d.,\u00a0\u202f]*|[.,]\d+))\s*(?P<pct>%)?$", re.I)
_BELOW = {"<", "<=", "≤"}
_ABOVE = {">", ">=", "≥"}
_EN_DASH = "–"

_Z_TEXT = {"nl": "uitgaande van een enkelvoudige aselecte steekproef van {n}",
           "en": "assuming a simple random sample of {n}"}


# ================================================================================================
# Small helpers
# ================================================================================================
def _norm(header: Any) -> str:
    return re.sub(r"\s+", " ", str(header).strip().casefold())


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, str):
        return value.strip().casefold() in _MISSING
    return False


def _text(value: Any) -> str:
    """A cell as the user typed it (as near as the typed column allows)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, (np.integer, int)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return f"{float(value):g}"
    return str(value).strip()


def _group_text(value: Any) -> str:
    """A grouping cell as a label: ``2016`` not ``2016.0``."""
    return _text(value)


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^0-9a-z]+", "_", folded.casefold()).strip("_")
    return slug or "item"


def _nl_en(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


def _int_text(n: int, lang: str) -> str:
    text = f"{int(n):,}"
    return text.replace(",", ".") if lang == "nl" else text


def wilson_interval(p: Any, n: Any, level: float = 0.95) -> tuple[Any, Any]:
    """Wilson score interval for a proportion ``p`` observed in a simple random sample of ``n``.

    ``centre = (p + z²/2n) / (1 + z²/n)``, ``half = z / (1 + z²/n) · √(p(1−p)/n + z²/4n²)``
    with ``z`` the normal quantile for ``level`` (1.959964 for 95%). NaN where ``p`` or ``n``
    is missing or ``n`` is not positive. Scalars in, floats out; arrays in, arrays out.

    Examples
    --------
    >>> lo, hi = wilson_interval(0.88, 761)
    >>> round(lo, 4), round(hi, 4)
    (0.855, 0.9012)
    """
    if not 0 < level < 1:
        raise ConfigError(f"level={level!r}; give the confidence level as a proportion, e.g. 0.95.")
    scalar = np.ndim(p) == 0 and np.ndim(n) == 0
    pa = np.asarray(p, dtype=float)
    na = np.asarray(n, dtype=float)
    z = float(stats.norm.ppf(1 - (1 - level) / 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        z2 = z * z
        denom = 1 + z2 / na
        centre = (pa + z2 / (2 * na)) / denom
        half = z / denom * np.sqrt(pa * (1 - pa) / na + z2 / (4 * na * na))
        bad = ~(na > 0) | np.isnan(pa)
        lo = np.where(bad, np.nan, np.clip(centre - half, 0.0, 1.0))
        hi = np.where(bad, np.nan, np.clip(centre + half, 0.0, 1.0))
    if scalar:
        return float(lo), float(hi)
    return lo, hi


# ================================================================================================
# Reading the grid of cells (the IO engineer's readers do encoding, delimiter, decimal)
# ================================================================================================
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
    from .io.sniff import check_file, sha256_of

    p, kind = check_file(path)
    if kind == "text":
        from .io.csv import read_text

        raw = read_text(p, forms=False, **options)
    elif kind == "xlsx":
        from .io.excel import read_excel

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
        from .io.infer import guess_decimal

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


def _find_sidecar(path: Path) -> Path | None:
    for ext in (".published.yaml", ".published.yml"):
        candidate = path.with_name(path.stem + ext)
        if candidate.is_file():
            return candidate
    return None


_SIDECAR_KEYS = {"source", "year", "n", "measure", "item", "population", "title", "reach",
                 "notes", "translations", "shape", "columns_name", "level"}


def _read_sidecar(spec: str | Path | Mapping[str, Any] | None, path: Path) -> tuple[dict, str]:
    if spec is False:
        return {}, ""
    if spec is None or spec is True:
        found = _find_sidecar(path)
        if found is None:
            return {}, ""
        spec = found
    if isinstance(spec, Mapping):
        data, where = dict(spec), "codebook="
    else:
        import yaml

        sp = Path(spec)
        if not sp.is_file():
            raise ConfigError(f"{sp}: table sidecar not found; give the path of a .published.yaml "
                              "file, or leave codebook= out.")
        try:
            data = yaml.safe_load(sp.read_text(encoding="utf-8-sig")) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f" (line {mark.line + 1})" if mark is not None else ""
            raise DataError(f"{sp}: not valid YAML{line}; check the indentation and quotes.") \
                from None
        where = str(sp)
        if not isinstance(data, Mapping):
            raise DataError(f"{sp}: must hold keys such as source:, year:, n:; it holds "
                            f"{type(data).__name__}.")
    unknown = sorted(set(map(str, data)) - _SIDECAR_KEYS)
    if unknown:
        raise DataError(f"{where}: unknown key(s) {', '.join(unknown)}; a table sidecar takes "
                        f"{', '.join(sorted(_SIDECAR_KEYS))}.")
    return dict(data), where


# ================================================================================================
# Cells of figures
# ================================================================================================
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
    from .io.infer import parse_number

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


# ================================================================================================
# Scale: percentages or proportions
# ================================================================================================
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


# ================================================================================================
# The table's layout
# ================================================================================================
@dataclass
class _Layout:
    shape: str                                   # tidy | wide
    measure: list[str]                           # measure column(s) (several when wide)
    groups: list[str]                            # grouping columns (before melting)
    n: str | None = None
    source: str | None = None
    note: str | None = None
    ci_low: str | None = None
    ci_high: str | None = None
    header_hint: str | None = None
    measure_reason: str = ""
    roles: dict[str, str] = field(default_factory=dict)


def _looks_like_figures(col: pd.Series, decimal: str) -> tuple[bool, bool]:
    """(every present cell reads as a figure, some cell carries a % sign)."""
    present = [v for v in col.tolist() if not _is_missing(v)]
    if not present:
        return False, False
    pct = False
    for v in present:
        try:
            cell = _parse_cell(v, 0, "", decimal, "")
        except DataError:
            return False, False
        pct |= cell.pct
    return True, pct


def _layout(grid: _Grid, measure: str | None, shape: str | None) -> _Layout:
    frame = grid.frame
    columns = [str(c) for c in frame.columns]
    roles: dict[str, str] = {}
    for c in columns:
        h = _norm(c)
        if _N_HEAD.match(h):
            roles[c] = "n"
        elif _SOURCE_HEAD.match(h):
            roles[c] = "source"
        elif _NOTE_HEAD.match(h):
            roles[c] = "note"
        elif _CI_LOW_HEAD.match(h):
            roles[c] = "ci_low"
        elif _CI_HIGH_HEAD.match(h):
            roles[c] = "ci_high"
    for role in ("n", "source", "note", "ci_low", "ci_high"):
        named = [c for c, r in roles.items() if r == role]
        if len(named) > 1:
            raise DataError(f"{grid.where}: several {role} columns ({', '.join(map(repr, named))}); "
                            "keep one.")
    rest = [c for c in columns if c not in roles]
    if measure is not None and _scale_word(measure) is None:
        if measure not in columns:
            raise ConfigError(f"{grid.where}: measure={measure!r} is neither a column "
                              f"({', '.join(columns)}) nor 'percent'/'proportion'.")
        chosen, reason = [measure], "measure="
        roles.pop(measure, None)
    else:
        hinted = [c for c in rest if _PERCENT_HEAD.search(_norm(c)) or _PROPORTION_HEAD.search(_norm(c))
                  or _NEUTRAL_HEAD.match(_norm(c))]
        hinted = [c for c in hinted if not _YEAR_HEAD.match(_norm(c))]
        if hinted:
            chosen, reason = hinted, "column header"
        else:
            figures, with_pct = [], []
            for c in rest:
                ok, pct = _looks_like_figures(frame[c], grid.decimal)
                if ok:
                    figures.append(c)
                    if pct:
                        with_pct.append(c)
            if len(with_pct) == 1 and shape != "wide":
                figures = with_pct
            if shape != "wide" and len(figures) > 1:
                # a tidy table's numeric grouping column (year) is not a figure column
                not_year = [c for c in figures if not _YEAR_HEAD.match(_norm(c))]
                if len(not_year) == 1:
                    figures = not_year
            if not figures:
                raise DataError(f"{grid.where}: no column of figures found among "
                                f"{', '.join(map(repr, columns))}; name the column of "
                                "percentages 'percentage' (or pass measure='<column>').")
            chosen, reason = figures, "the only column(s) of figures"
    if shape is None:
        shape = "wide" if len(chosen) > 1 else "tidy"
    if shape == "tidy" and len(chosen) > 1:
        raise ConfigError(f"{grid.where}: several columns could hold the figures "
                          f"({', '.join(map(repr, chosen))}); name one with measure='<column>', "
                          "or pass shape='wide' for one column per group.")
    hint = None
    heads = [_norm(c) for c in chosen]
    if all(_PERCENT_HEAD.search(h) for h in heads):
        hint = "percent"
    elif all(_PROPORTION_HEAD.search(h) and not _PERCENT_HEAD.search(h) for h in heads):
        hint = "proportion"
    groups = [c for c in columns if c not in chosen and c not in roles]
    if not groups and shape == "tidy":
        raise DataError(f"{grid.where}: the table has figures ({chosen[0]!r}) but no column "
                        "saying what they are (platform, year, …); add one.")
    lay = _Layout(shape, chosen, groups, header_hint=hint, measure_reason=reason, roles=roles)
    for c, r in roles.items():
        setattr(lay, r, c)
    return lay


# ================================================================================================
# Long records: one per figure
# ================================================================================================
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


# ================================================================================================
# Sample sizes
# ================================================================================================
def _n_value(value: Any, where: str, delimiter: str | None) -> float:
    """A base n from a cell or argument: a positive whole number (NaN when missing)."""
    if _is_missing(value):
        return math.nan
    if isinstance(value, str):
        from .io.infer import parse_number

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


def _match_group_value(value: Any, candidates: Sequence[str]) -> str | None:
    text = _group_text(value)
    if text in candidates:
        return text
    for c in candidates:
        try:
            if float(c.replace(",", ".")) == float(text.replace(",", ".")):
                return c
        except ValueError:
            continue
    return None


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


# ================================================================================================
# Items (variables) and by-groups
# ================================================================================================
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


def _n_phrase(frame: pd.DataFrame, groups: Sequence[str]) -> dict[str, str] | None:
    """``n = 761`` or ``n = 1.316 (2022), 1.453 (2023)`` in Dutch and English (None: no n)."""
    known = frame.dropna(subset=["n"])
    if known.empty:
        return None
    distinct = list(dict.fromkeys(int(v) for v in known["n"]))
    if len(distinct) == 1:
        return {lang: f"n = {_int_text(distinct[0], lang)}" for lang in ("nl", "en")}
    for g in groups:   # name the groups when n follows one grouping column
        if g not in known.columns:
            continue
        per = known.groupby(known[g].astype(str), sort=False)["n"].unique()
        if all(len(v) == 1 for v in per) and len(per) <= 6:
            return {lang: "n = " + ", ".join(f"{_int_text(v[0], lang)} ({k})" for k, v in per.items())
                    for lang in ("nl", "en")}
    return {lang: f"n = {_int_text(min(distinct), lang)}–{_int_text(max(distinct), lang)}"
            for lang in ("nl", "en")}


def _refresh(meta: dict[str, Any], frame: pd.DataFrame) -> dict[str, Any]:
    """The parts of a published Result's meta that follow from its rows: ``n_total``, the
    interval notes, ``design``, ``ci``, ``source_note`` and the composed ``notes``."""
    pub = meta["published_notes"]
    by = list(meta.get("by") or [])
    groups = by + [c for c in (meta.get("read_as") or {}).get("items", []) if c in frame.columns]
    level = float(meta.get("level") or 0.95)
    known = frame["n"].dropna()
    if known.empty:
        n_total = None
    elif known.nunique() == 1:
        n_total = int(known.iloc[0])
    elif by:
        n_total = int(frame.dropna(subset=["n"]).groupby(by, observed=True)["n"].max().sum())
    else:
        n_total = int(known.max())
    phrase = _n_phrase(frame, groups)
    pct = {"nl": f"{round(100 * level):d}%-", "en": f"{round(100 * level):d}% "}
    if pub.get("given_ci"):
        interval = [_nl_en("Gepubliceerde cijfers met de intervallen uit de bron.",
                           "Published figures with the intervals given by the source.")]
        design = _nl_en("gepubliceerde cijfers en intervallen", "published figures and intervals")
        source_note = _nl_en("gepubliceerde cijfers", "published figures")
        ci = "given by the source"
    elif phrase is None:
        interval = [_nl_en("Geen steekproefgrootte in de bron: cijfers zonder "
                           "betrouwbaarheidsinterval.",
                           "No sample size given in the source: figures without confidence "
                           "intervals.")]
        design = _nl_en("gepubliceerde cijfers; geen steekproefgrootte, geen intervallen",
                        "published figures; no sample size, no intervals")
        source_note = _nl_en("gepubliceerde cijfers; geen n in de bron, geen intervallen",
                             "published figures; no n in the source, no intervals")
        ci = ""
    else:
        srs = {lang: _Z_TEXT[lang].format(n=phrase[lang]) for lang in ("nl", "en")}
        interval = [_nl_en(
            f"Gepubliceerde cijfers; {pct['nl']}betrouwbaarheidsintervallen (Wilson) {srs['nl']}. "
            "Is de steekproef gewogen of geclusterd, dan zijn de werkelijke intervallen breder.",
            f"Published figures; {pct['en']}confidence intervals (Wilson) {srs['en']}. If the "
            "sample was weighted or clustered, the true intervals are wider.")]
        if len(known) < len(frame):
            interval.append(_nl_en("Waar de bron geen n geeft: geen interval.",
                                   "Where the source gives no n: no interval."))
        design = _nl_en(f"gepubliceerde cijfers; intervallen {srs['nl']}",
                        f"published figures; intervals {srs['en']}")
        source_note = _nl_en(f"gepubliceerde cijfers, {srs['nl']}", f"published figures, {srs['en']}")
        ci = "wilson (simple random sample)"
    selected = meta.get("selected") or {}
    cells = [c["note"] for c in pub.get("cells", [])
             if all(str(c["keys"].get(k, v)) == str(v) for k, v in selected.items())]
    meta.update(n_total=n_total, design=design, ci=ci, source_note=source_note,
                notes=list(pub.get("lead", [])) + interval + cells + list(pub.get("tail", [])))
    return meta


def _cell_notes(records: list[_Record], keys_text) -> list[dict[str, Any]]:
    """Notes on flagged cells (bounds, rounded figures, missing) and the table's own notes,
    each with the group values of its row (so that :func:`select` can keep the right ones)."""
    out: list[dict[str, Any]] = []

    def note(rec: _Record, nl: str, en: str) -> None:
        out.append({"keys": dict(rec.keys), "note": {
            lang: f"{keys_text(rec, lang)}: {text}" for lang, text in (("nl", nl), ("en", en))}})

    for rec in records:
        v_en = f"{100 * rec.estimate:g}%"
        v_nl = v_en.replace(".", ",")
        if rec.cell.flag == "approx":
            note(rec, f"‘{rec.cell.text}’ in de bron (afgerond), getekend als {v_nl}",
                 f"‘{rec.cell.text}’ in the source (rounded), drawn as {v_en}")
        elif rec.cell.flag in ("below", "above"):
            note(rec, f"‘{rec.cell.text}’ in de bron, getekend als {v_nl} (zonder interval)",
                 f"‘{rec.cell.text}’ in the source, drawn as {v_en} (no interval)")
        elif rec.cell.flag == "missing":
            note(rec, f"– = niet beschikbaar in de bron (‘{rec.cell.text}’)",
                 f"– = not available in the source (‘{rec.cell.text}’)")
        if rec.note:
            note(rec, rec.note, rec.note)
    return out


# ================================================================================================
# load_table
# ================================================================================================
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


# ================================================================================================
# Is this a published table?
# ================================================================================================
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
    if _find_sidecar(p) is not None:
        return True
    try:   # published tables are small: don't read a big respondent file to find that out
        if p.stat().st_size > 1_000_000:
            return False
        if p.suffix.lower() in (".csv", ".tsv", ".txt") and p.read_bytes().count(b"\n") > 600:
            return False
        grid = _read_grid(p, None, {})
    except (YouthmediaError, OSError):
        return False
    from .io.forms import detect_forms

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


# ================================================================================================
# Selecting groups and comparing
# ================================================================================================
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


def _item_keys(result: Result) -> list[str]:
    """A matching key per row: the label without a shared leading word, casefolded."""
    labels = [result.label(v) for v in result["variable"].astype(str)]
    words = [lab.split() for lab in labels]
    common = 0
    if len(labels) > 1:
        while all(len(w) > common + 1 for w in words) and len({tuple(w[:common + 1])
                                                                for w in words}) == 1:
            common += 1
    keys = []
    for w in words:
        text = " ".join(w[common:])
        text = re.split(r"\s[–—-]\s|\s\(", text)[0]
        keys.append(_slug(text))
    return keys


def _display_name(result: Result, short: bool = False) -> str:
    src = result.meta.get("source") or {}
    name = str(src.get("name") or "data")
    if short and "," in name and result.meta.get("published"):
        name = name.split(",")[0].strip()   # "Newcom, Nationale Social Media Onderzoek" -> "Newcom"
    year = src.get("year")
    return f"{name} {year}" if year and str(year) not in name else name


def comparison(first: Result, second: Result, *, labels: Sequence[str] | None = None,
               items: Mapping[str, str] | None = None) -> Result:
    """Two sets of figures side by side, matched by item (platform), as one ``Result``.

    For two published years (``select(r, year=2016)`` and ``select(r, year=2017)``) or a
    published national figure against a class's own survey (``ym.share(ym.load(export),
    set)``). Items are matched by their labels, ignoring a shared leading word ("Gebruikt
    WhatsApp" matches "WhatsApp") and anything after " – " or " (" ("Facebook – account"
    matches "Facebook"); ``items={"label in first": "label in second"}`` matches by hand.

    Returns
    -------
    Result
        Grouped by ``compared`` (two groups, labelled by ``labels`` or by source and year),
        one ``variable`` per matched item (named as in ``first``); ``meta["comparison"]``
        holds both sides' sources, n, whether each is published, and the unmatched items;
        ``meta["notes"]`` the caveat sentence in Dutch and English.

    Examples
    --------
    >>> a = Result.from_rows([{"variable": "fb", "estimate": 0.88}], labels={None: {"fb": "Facebook"}},
    ...                      source={"name": "Newcom", "year": "2016"}, published=True)
    >>> b = Result.from_rows([{"variable": "fb", "estimate": 0.80}], labels={None: {"fb": "Facebook"}},
    ...                      source={"name": "Newcom", "year": "2017"}, published=True)
    >>> comparison(a, b)["compared"].tolist()
    ['2016', '2017']
    """
    for side in (first, second):
        if not isinstance(side, Result):
            raise ConfigError(f"comparison() takes two Results, not {type(side).__name__}.")
        if side.by:
            raise ConfigError(f"A side of the comparison is grouped by {', '.join(side.by)}; "
                              "choose one group first, e.g. select(r, year=2017).")
    sides = [first, second]
    frames = []
    for side in sides:
        f = pd.DataFrame(side).reset_index(drop=True)
        f["_key"] = _item_keys(side)
        f["_label"] = [side.label(v) for v in f["variable"].astype(str)]
        frames.append(f)
    pairs: list[tuple[int, int]] = []
    if items:
        for la, lb in items.items():
            ia = frames[0].index[frames[0]["_label"] == la].tolist()
            ib = frames[1].index[frames[1]["_label"] == lb].tolist()
            if not ia or not ib:
                missing = la if not ia else lb
                raise ConfigError(f"items=: no item labelled {missing!r} on that side.")
            pairs.append((ia[0], ib[0]))
    elif set(frames[0]["variable"].astype(str)) & set(frames[1]["variable"].astype(str)):
        # the same table (two years of one source): the same variables
        second_index = {v: i for i, v in enumerate(frames[1]["variable"].astype(str))}
        pairs = [(i, second_index[v]) for i, v in enumerate(frames[0]["variable"].astype(str))
                 if v in second_index]
    else:
        for f, side in zip(frames, sides, strict=True):
            dup = f["_key"][f["_key"].duplicated()].tolist()
            if dup:
                names = f.loc[f["_key"] == dup[0], "_label"].tolist()
                raise ConfigError(f"{_display_name(side)} has several items for "
                                  f"{dup[0]!r} ({', '.join(names)}); select one first (e.g. "
                                  "select(r, indicator='account')) or match by hand with items=.")
        second_index = {k: i for i, k in enumerate(frames[1]["_key"])}
        pairs = [(i, second_index[k]) for i, k in enumerate(frames[0]["_key"]) if k in second_index]
    if not pairs:
        raise DataError(f"{_display_name(first)} and {_display_name(second)} have no item in "
                        f"common ({', '.join(frames[0]['_label'])} / "
                        f"{', '.join(frames[1]['_label'])}); match them with items=.")
    names = [_display_name(s) for s in sides]
    same_source = ((first.meta.get("source") or {}).get("name")
                   == (second.meta.get("source") or {}).get("name"))
    if labels is None:
        if same_source:
            labels = [str((s.meta.get("source") or {}).get("year") or n) for s, n in zip(sides, names, strict=True)]
            if labels[0] == labels[1]:
                labels = [", ".join(map(str, (s.meta.get("selected") or {}).values())) or n
                          for s, n in zip(sides, names, strict=True)]
        else:
            labels = [_display_name(s, short=True) for s in sides]
        if labels[0] == labels[1]:
            labels = [f"{labels[0]} (1)", f"{labels[1]} (2)"]
    labels = [str(x) for x in labels]
    if len(labels) != 2 or labels[0] == labels[1]:
        raise ConfigError("labels= must give two different names, one per side.")
    rows = []
    out_labels: dict[Any, dict[str, str]] = {None: {"compared": "compared"},
                                             "nl": {"compared": "vergelijking"},
                                             "en": {"compared": "comparison"}}
    for ia, ib in pairs:
        a, b = frames[0].loc[ia], frames[1].loc[ib]
        variable = str(a["variable"])
        for lang, tab in (first.meta.get("labels") or {}).items():
            if variable in tab:
                out_labels.setdefault(lang, {})[variable] = tab[variable]
        label = str(a["_label"])
        for side_label, r in ((labels[0], a), (labels[1], b)):
            rows.append({"compared": side_label, "variable": variable, "category": label,
                         **{c: r[c] for c in ("estimate", "se", "ci_low", "ci_high", "n", "n_eff",
                                              "base", "suppressed", "reason")},
                         "item_second": str(b["_label"])})
    frame = pd.DataFrame(rows)
    frame["compared"] = pd.Categorical(frame["compared"], categories=labels, ordered=True)
    frame["n"] = pd.to_numeric(frame["n"], errors="coerce")
    unmatched = [[lab for i, lab in enumerate(f["_label"]) if i not in {p[k] for p in pairs}]
                 for k, f in enumerate(frames)]
    sides_meta = []
    for s, name in zip(sides, names, strict=True):
        src = dict(s.meta.get("source") or {})
        sides_meta.append({
            "name": name, "source": src, "published": bool(s.meta.get("published")),
            "n_total": s.meta.get("n_total"), "weighted": bool(s.meta.get("weighted")),
            "population": s.meta.get("population"),
            "has_ci": bool(pd.to_numeric(pd.DataFrame(s)["ci_low"], errors="coerce").notna().any()),
        })
    meta: dict[str, Any] = {
        "kind": "share", "by": ["compared"], "variables": list(dict.fromkeys(frame["variable"])),
        "labels": out_labels, "value_labels": {}, "weighted": False,
        "design": _nl_en("twee afzonderlijke bronnen naast elkaar", "two separate sources side by side"),
        "ci": "", "level": first.meta.get("level", 0.95),
        "source": {"name": "; ".join(dict.fromkeys(names)), "year": None},
        "n_total": None, "percent": True, "published": all(m["published"] for m in sides_meta),
        "comparison": {"labels": labels, "same_source": same_source, "sides": sides_meta,
                       "unmatched": unmatched},
        "population": first.meta.get("population"),
    }
    result = Result.from_rows(frame, **meta)
    result.meta["notes"] = [{lang: comparison_sentence(result, lang, short=True)
                             for lang in ("nl", "en")}]
    side_notes = [list(side.meta.get("notes") or []) for side in sides]
    for side_label, own, other in ((labels[0], side_notes[0], side_notes[1]),
                                   (labels[1], side_notes[1], side_notes[0])):
        for note in own:   # each side's own caveats; those both sides share, once
            if note in other:
                tagged = note
            elif isinstance(note, Mapping):
                tagged = {lang: f"{side_label}: {text}" for lang, text in note.items()}
            else:
                tagged = f"{side_label}: {note}"
            if tagged not in result.meta["notes"]:
                result.meta["notes"].append(tagged)
    for k, left in enumerate(unmatched):
        if left:
            result.meta["notes"].append(_nl_en(f"Alleen in {labels[k]}: {', '.join(left)}.",
                                               f"Only in {labels[k]}: {', '.join(left)}."))
    return result


def _pct(x: float, lang: str) -> str:
    from . import i18n

    return i18n.percent(x, lang)


def comparison_sentence(result: Result, lang: str = "nl", short: bool = False) -> str:
    """A sentence about a :func:`comparison` that claims no more than the figures carry.

    Two years of one source: the largest change, called a change only where both intervals
    exist and do not overlap; without sample sizes it says the change cannot be judged.
    Different sources: the largest gap, and why it is not a measured difference (different
    samples and questions; a survey that is not published — the class — is not a random
    sample). ``short=True`` gives only the caveat (for footnotes).

    Examples
    --------
    >>> a = Result.from_rows([{"variable": "fb", "estimate": 0.88}], labels={None: {"fb": "Facebook"}},
    ...                      source={"name": "Newcom", "year": "2016"}, published=True)
    >>> b = Result.from_rows([{"variable": "fb", "estimate": 0.80}], labels={None: {"fb": "Facebook"}},
    ...                      source={"name": "Newcom", "year": "2017"}, published=True)
    >>> comparison_sentence(comparison(a, b), "en")
    'Facebook: 88% in 2016, 80% in 2017. The source gives no sample sizes, so whether this is more than rounding and chance cannot be judged.'
    """
    from . import i18n

    lang = i18n.check_lang(lang)
    info = result.meta.get("comparison")
    if not info:
        raise ConfigError("comparison_sentence() takes the Result of published.comparison().")
    la, lb = info["labels"]
    frame = pd.DataFrame(result)
    table: dict[str, dict[str, tuple[float, float, float]]] = {}
    for _, row in frame.iterrows():
        label = result.label(str(row["variable"]), lang)
        table.setdefault(label, {})[str(row["compared"])] = (
            float(row["estimate"]), float(row["ci_low"]), float(row["ci_high"]))
    sides = info["sides"]
    if info["same_source"]:
        has_ci = all(s["has_ci"] for s in sides)
        if short:
            if has_ci:
                return {"nl": "Een verschil heet duidelijk als de 95%-intervallen van beide jaren "
                              "elkaar niet overlappen (voorzichtige toets).",
                        "en": "A difference is called clear where the two years' 95% intervals "
                              "do not overlap (a cautious check)."}[lang]
            return {"nl": "De bron geeft geen steekproefgrootte: of een verschil meer is dan "
                          "afronding en toeval, is niet te beoordelen.",
                    "en": "The source gives no sample sizes: whether a difference is more than "
                          "rounding and chance cannot be judged."}[lang]
    elif short:
        return _different_sources_caveat(sides, lang)
    diffs = {item: v[lb][0] - v[la][0] for item, v in table.items()
             if la in v and lb in v and not math.isnan(v[lb][0] - v[la][0])}
    if not diffs:
        return ""
    item = max(diffs, key=lambda k: abs(diffs[k]))
    (a, la_lo, la_hi), (b, lb_lo, lb_hi) = table[item][la], table[item][lb]
    numbers = {"nl": f"{item}: {_pct(a, 'nl')} in {la}, {_pct(b, 'nl')} in {lb}.",
               "en": f"{item}: {_pct(a, 'en')} in {la}, {_pct(b, 'en')} in {lb}."}[lang]
    if info["same_source"]:
        if any(pd.isna(v) for v in (la_lo, la_hi, lb_lo, lb_hi)):
            tail = {"nl": "De bron geeft geen steekproefgrootte, dus of dit meer is dan afronding "
                          "en toeval, is niet te beoordelen.",
                    "en": "The source gives no sample sizes, so whether this is more than "
                          "rounding and chance cannot be judged."}[lang]
        elif la_hi < lb_lo or lb_hi < la_lo:
            up = b > a
            tail = {"nl": f"Een duidelijke {'stijging' if up else 'daling'}: de 95%-intervallen "
                          "overlappen niet (uitgaande van enkelvoudige aselecte steekproeven).",
                    "en": f"A clear {'rise' if up else 'fall'}: the 95% intervals do not "
                          "overlap (assuming simple random samples)."}[lang]
        else:
            tail = {"nl": "De 95%-intervallen overlappen: geen duidelijke verandering.",
                    "en": "The 95% intervals overlap: no clear change."}[lang]
        return f"{numbers} {tail}"
    return f"{numbers} {_different_sources_caveat(sides, lang)}"


def _different_sources_caveat(sides: list[dict], lang: str) -> str:
    survey = [s for s in sides if not s["published"] and not s["weighted"]]
    if survey:
        n = survey[0].get("n_total")
        n_text = f" (n = {_int_text(n, lang)})" if n else ""
        return {"nl": f"Naast elkaar gezet, niet getoetst: andere steekproeven en andere vragen, "
                      f"en de eigen groep{n_text} is geen aselecte steekproef — een verschil zegt "
                      "iets over deze groep, niet over jongeren in het algemeen.",
                "en": f"Side by side, not tested: different samples and different questions, and "
                      f"the class{n_text} is not a random sample — a difference says something "
                      "about this group, not about young people in general."}[lang]
    if any(not s["published"] for s in sides):
        return {"nl": "Naast elkaar gezet, niet getoetst: andere onderzoeken, met andere "
                      "steekproeven, vragen en jaren — lees een verschil als een vergelijking, "
                      "niet als een gemeten verschil.",
                "en": "Side by side, not tested: different studies, with different samples, "
                      "questions and years — read a gap as a comparison, not as a measured "
                      "difference."}[lang]
    return {"nl": "Naast elkaar gezet, niet getoetst: andere bronnen, steekproeven, vragen en "
                  "jaren — lees een verschil als een vergelijking, niet als een gemeten verschil.",
            "en": "Side by side, not tested: different sources, samples, questions and years — "
                  "read a gap as a comparison, not as a measured difference."}[lang]


#: What :func:`beside_survey` compares by default: Newcom's 2017 accounts of 15–19 year olds
#: beside the survey's 15–19 year olds in its 2019 wave (the nearest), where it has those.
NEWCOM_TABLE = "data/published/newcom_2016_2017_15_19.csv"
NEWCOM_GROUPS = {"jaar": 2017, "indicator": "account"}
SURVEY_GROUPS = {"wave": 2019, "age_band": "15-19 jaar"}


def beside_survey(survey: Any = "data/youth_social_media_demo.sav",
                  table: Any = NEWCOM_TABLE, *,
                  variables: str | Sequence[str] | None = None,
                  survey_groups: Mapping[str, Any] | None = None,
                  table_groups: Mapping[str, Any] | None = None,
                  labels: Sequence[str] | None = None) -> Result:
    """A published table beside a survey's own shares, ready for ``figures.compare.dumbbell``.

    Parameters
    ----------
    survey : path or Survey
        Respondent data (the demo survey, a Forms export), read with :func:`youthmedia.load`.
    table : path or Result
        A published table (:func:`load_table`).
    variables : str or list, optional
        What to estimate in the survey; default its first multiple-response set (the
        platforms).
    survey_groups : dict, optional
        ``{by-variable: value}`` to compare one group of the survey. Default
        :data:`SURVEY_GROUPS` (``{"wave": 2019, "age_band": "15-19 jaar"}``), applied where the
        survey has those variables and values (so a Forms export works with the same call);
        given explicitly, a variable the survey lacks is skipped with a warning.
    table_groups : dict, optional
        ``{column: value}`` selecting one group of the table; default :data:`NEWCOM_GROUPS`
        (``{"jaar": 2017, "indicator": "account"}``) for the default table.

    Returns
    -------
    Result
        From :func:`comparison`: the table first, the survey second.

    Examples
    --------
    >>> both = beside_survey(table_groups={"jaar": 2017, "indicator": "account"})   # doctest: +SKIP
    """
    from .estimate import share
    from .io import load
    from .survey import Survey

    s = survey if isinstance(survey, Survey) else load(survey)
    r_table = table if isinstance(table, Result) else load_table(table)
    if table_groups is None and not isinstance(table, Result) and \
            Path(table).resolve() == Path(NEWCOM_TABLE).resolve():
        table_groups = NEWCOM_GROUPS
    if table_groups:
        r_table = select(r_table, **dict(table_groups))
    if r_table.by:
        raise ConfigError(f"The table is grouped by {', '.join(r_table.by)}; choose one group "
                          "with table_groups={...}.")
    if variables is None:
        sets = [k for k, m in s.codebook.mr_sets.items() if m.kind == "dichotomy"]
        if not sets:
            raise ConfigError(f"{s.source.path or 'The survey'} has no multiple-response set; "
                              "name the 0/1 variables with variables=[...].")
        variables = sets[0]
    explicit = survey_groups is not None
    groups = {}
    for k, v in (SURVEY_GROUPS if survey_groups is None else survey_groups).items():
        present = k in s.data.columns
        if present and not explicit:
            values = {str(x) for x in s.data[k].dropna().unique()}
            present = _match_group_value(v, sorted(values)) is not None
        if present:
            groups[k] = v
        elif explicit:
            warnings.warn(f"{s.source.path or 'the survey'} has no variable {k!r}; comparing all "
                          "its respondents on that point.", YouthmediaWarning, stacklevel=2)
    r_survey = share(s, variables, by=list(groups) or None)
    if groups:
        r_survey = select(r_survey, **groups)
        where = ", ".join(_group_text(v) for v in groups.values())
        r_survey.meta["source"] = {**r_survey.meta["source"],
                                   "name": f"{r_survey.meta['source'].get('name')} ({where})"}
    return comparison(r_table, r_survey, labels=labels)
