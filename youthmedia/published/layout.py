"""The layout of a published table: which column holds the figures, which give groups, n,
source, notes or given intervals, and whether the table is tidy or wide.

Examples
--------
>>> from youthmedia.published.grid import _read_grid
>>> from youthmedia.published.layout import _layout
>>> lay = _layout(_read_grid("data/published/pew_teens_2022_2024.csv", None, {}), None, None)
>>> lay.shape, lay.measure, lay.groups
('wide', ['2022', '2023', '2024'], ['platform'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from ..errors import ConfigError, DataError
from .cells import _parse_cell, _scale_word
from .grid import _Grid
from .text import _is_missing, _norm

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
_YEAR_VALUE = re.compile(r"^(19|20)\d\d$")


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
