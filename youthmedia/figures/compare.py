"""Two sets of figures side by side as a dumbbell chart, and a published table's deck.

Examples
--------
>>> from youthmedia.result import Result
>>> from youthmedia.side_by_side import comparison
>>> a = Result.from_rows([{"variable": "fb", "estimate": 0.88}], labels={None: {"fb": "Facebook"}},
...                      source={"name": "Newcom", "year": "2016"}, published=True)
>>> b = Result.from_rows([{"variable": "fb", "estimate": 0.80}], labels={None: {"fb": "Facebook"}},
...                      source={"name": "Newcom", "year": "2017"}, published=True)
>>> dumbbell(comparison(a, b), lang="en").slide.headline
'Facebook: 88% in 2016, 80% in 2017'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator

from .. import i18n
from ..errors import ConfigError
from ..result import Result
from . import common as C
from . import text as T
from .data import plot_table, strip_common_prefix
from .frame import style_axes, text_width
from .theme import Theme, _mix, get_theme


def _headline(rows: dict, groups: list[str], result: Result, lang: str) -> str:
    """Numbers of the largest gap; a clear change only for one source with disjoint intervals."""
    ga, gb = groups
    gaps = {k: abs(s[gb]["estimate"] - s[ga]["estimate"]) for k, s in rows.items() if len(s) == 2}
    if not gaps:
        return i18n.t("h_none", lang, item=next(iter(rows), ""))
    best = max(gaps, key=lambda k: gaps[k])
    a, b = rows[best][ga], rows[best][gb]
    pa, pb = i18n.percent(a["estimate"], lang), i18n.percent(b["estimate"], lang)
    fields = {"item": best, "a": pa, "wa": ga, "b": pb, "wb": gb}
    info = result.meta.comparison
    ends = (a["ci_low"], a["ci_high"], b["ci_low"], b["ci_high"])
    if not info.get("same_source", not info) or pd.isna(list(ends)).any():
        return i18n.t("cmp_numbers", lang, **fields)
    key = "up" if a["ci_high"] < b["ci_low"] else "down" if b["ci_high"] < a["ci_low"] else "flat"
    return i18n.t(f"h_trend_{key}", lang, **fields)


def _subtitle(result: Result, groups: list[str], lang: str, prefix: str) -> str:
    info = result.meta.comparison
    if result.meta.title:
        return i18n.text_in(result.meta.title, lang)
    if info:
        key = "cmp_same" if info.get("same_source") else "cmp_other"
        return i18n.t(key, lang, a=groups[0], b=groups[1])
    by_text = i18n.t("alt_by", lang, by=result.label(result.by[0], lang))
    return f"{prefix} – {by_text}" if prefix else T.upper_first(by_text)


def dumbbell(
    result: Result,
    lang: str = "nl",
    headline: str | None = None,
    theme: Theme | str | None = None,
    *,
    sort: bool = True,
    decimals: int = 0,
    max_rows: int | None = None,
    subtitle: str | None = None,
    category: Any = None,
) -> Figure:
    """Two dots per item, one per group, joined by a line: a comparison at a glance.

    Takes a :func:`youthmedia.side_by_side.comparison` or a Result with two groups of one grouping.
    The headline gives the largest gap; "clear" only for one source with disjoint intervals.
    ``sort``: by the second group's figure; other parameters as in
    :func:`~youthmedia.figures.charts.bars`.
    """
    lang, theme = i18n.check_lang(lang), get_theme(theme)
    if len(result.by) != 1:
        raise ConfigError(
            "A dumbbell chart compares two groups of one grouping; build the Result "
            "with side_by_side.comparison(a, b) or estimate it with by='<variable>'."
        )
    table = plot_table(result, lang, category)
    groups = list(dict.fromkeys(table["group"]))
    if len(groups) != 2:
        raise ConfigError(
            f"A dumbbell chart needs exactly two groups; this Result has "
            f"{len(groups)} ({', '.join(groups)}). Select two first."
        )
    table["label"], prefix = strip_common_prefix(list(table["label"]))
    rows: dict[str, dict[str, pd.Series]] = {}
    for _, row in table[~table["suppressed"] & table["estimate"].notna()].iterrows():
        rows.setdefault(row["label"], {})[row["group"]] = row
    items = list(dict.fromkeys(table["label"]))
    if sort:  # by the second group's figure (else the first's), highest first
        first = {i: rows.get(i, {}).get(groups[1], rows.get(i, {}).get(groups[0])) for i in items}
        items.sort(key=lambda i: np.inf if first[i] is None else -float(first[i]["estimate"]))
    extra: list[str] = []
    items = C._keep_items(items, max_rows, len(items), sort, lang, extra)
    table = C._in_order(table[table["label"].isin(items)], items, groups)
    head = _headline(rows, groups, result, lang) if headline is None else str(headline)
    sub = _subtitle(result, groups, lang, prefix) if subtitle is None else subtitle
    notes = T.footnotes(table, result, lang, "bars", extra=extra)
    with matplotlib.rc_context(theme.rc()):
        frame = C._frame(theme, head, sub, result, lang, notes)
        _draw(frame.fig.add_subplot(), items, groups, rows, frame, result, lang, decimals)
    return C._finish(frame, result, table, "dumbbell", "alt_dumbbell", head, sub, notes, lang)


def _draw(ax, items, groups, rows, frame, result, lang, decimals) -> None:
    """Each item's two dots joined, their intervals just above and below, the lower number
    left and the higher right; "–" where a side is hidden."""
    theme, m = frame.theme, len(items)
    style_axes(ax, theme)
    colours = list(theme.palette[:2])
    bold = {"va": "center", "fontsize": theme.text_size, "fontweight": "bold"}
    for yi, item in zip(np.arange(m)[::-1].astype(float), items, strict=True):
        values = [(j, rows.get(item, {}).get(g)) for j, g in enumerate(groups)]
        values = [(j, float(r["estimate"]), r) for j, r in values if r is not None]
        if len(values) == 2:
            xs = [values[0][1], values[1][1]]
            style = {"color": theme.muted, "lw": 4, "alpha": 0.6, "solid_capstyle": "round"}
            ax.plot(xs, [yi, yi], zorder=2, gid="youthmedia-link", **style)
        for j, est, r in values:
            if pd.notna(r["ci_low"]) and pd.notna(r["ci_high"]):
                line = {"color": colours[j], "lw": 2.5, "alpha": 0.8, "zorder": 3}
                ax.hlines(
                    yi + (0.12, -0.12)[j], r["ci_low"], r["ci_high"], gid="youthmedia-ci", **line
                )
            face = _mix(colours[j], theme.background, 0.55) if r["indicative"] else colours[j]
            dot = {"ms": 15, "color": colours[j], "mew": 2.5, "zorder": 4, "mfc": face}
            ax.plot([est], [yi], "o", gid=f"youthmedia-dot-{j}", **dot)
        for k, (j, est, r) in enumerate(sorted(values, key=lambda v: v[1])):
            right = k == len(values) - 1
            text = i18n.percent(est, lang, decimals) + ("*" if r["indicative"] else "")
            where = {"xytext": (14 if right else -14, 0), "ha": "left" if right else "right"}
            where |= {"color": theme.text_colour(colours[j]), "gid": "youthmedia-value"}
            ax.annotate(text, (est, yi), textcoords="offset points", **where, **bold)
        for j in {0, 1} - {v[0] for v in values}:
            shift = {"xytext": (4 + 18 * j, 0), "textcoords": "offset points"}
            shift |= {**bold, "fontsize": theme.text_size + 4, "gid": "youthmedia-suppressed"}
            ax.annotate(C._SUPPRESSED, (0, yi), color=theme.text_colour(colours[j]), **shift)
    labels, label_w, _ = C._label_block(items, theme)
    ax.set_yticks(np.arange(m)[::-1].astype(float), labels)
    ax_w = frame.plot_width_in * 72 - label_w
    room = (text_width("100%", theme.text_size, weight="bold") + 20) / max(ax_w, 1)
    ax.set(ylim=(-0.7, m - 0.3), xlim=(-room, 1 + room))
    ax.xaxis.set_major_locator(FixedLocator([0, 0.25, 0.5, 0.75, 1.0]))
    ax.xaxis.set_major_formatter(C._formatter(result, lang))
    dot = {"marker": "o", "markersize": 13, "linestyle": "none"}
    handles = [Line2D([], [], color=c, **dot) for c in colours]
    C._legend(ax, handles, groups, theme, ax_w - 30)


def published_deck(
    result: Result,
    lang: str = "nl",
    theme: Theme | str | None = None,
    questions: Sequence[str] | None = None,
) -> tuple[list[Figure], str, str]:
    """A published table's figures (its chart, the last group's, the first against the last)
    and the deck's title and subtitle; ``questions``: the items to keep (names or labels)."""
    from ..published import select
    from ..side_by_side import comparison
    from .charts import auto

    asked = {str(q).casefold() for q in questions or []}
    keep = [
        not asked or str(v).casefold() in asked or result.label(str(v)).casefold() in asked
        for v in result["variable"]
    ]
    if not any(keep):
        raise ConfigError(
            f"None of {', '.join(map(str, questions or []))} is an item of this table; "
            f"its items are {', '.join(dict.fromkeys(map(str, result['category'])))}."
        )
    rows = pd.DataFrame(result)[keep].reset_index(drop=True)
    result = select(Result.from_rows(rows, result.meta))
    figs = [auto(result, lang, theme=theme)]
    col = result.by[0] if len(result.by) == 1 else None
    groups = [str(c) for c in result[col].cat.categories if (result[col] == c).any()] if col else []
    if figs[0].slide.kind == "trend":
        figs.append(auto(select(result, **{col: groups[-1]}), lang, theme=theme))
    if len(groups) == 2 or (len(figs) == 2 and len(groups) > 2):
        pair = comparison(select(result, **{col: groups[0]}), select(result, **{col: groups[-1]}))
        figs.append(dumbbell(pair, lang, theme=theme))
    src = result.meta.source
    title = f"{i18n.text_in(src.get('name'), lang)} {src.get('year') or ''}".strip()
    kind = [i18n.text_in(result.meta.population, lang), i18n.t("published", lang)]
    if src.get("secondary"):
        kind.append(i18n.t("secondary", lang) + (f" ({src['via']})" if src.get("via") else ""))
    return figs, title, f"{i18n.t('source', lang)}: {title} — {'; '.join(k for k in kind if k)}"
