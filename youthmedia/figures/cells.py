"""A heatmap: items (platforms) down, groups (age bands) across, each cell with its number."""

from __future__ import annotations

from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from .. import i18n
from ..result import Result
from . import common as C
from . import headline as H
from . import text as T
from .data import is_percent
from .theme import Theme, get_theme


def heatmap(
    result: Result,
    lang: str = "nl",
    headline: str | None = None,
    theme: Theme | str | None = None,
    *,
    by: str | None = None,
    category: Any = None,
    sort: bool | None = None,
    decimals: int = 0,
    indicative_n: int | None = None,
    max_rows: int | None = None,
    subtitle: str | None = None,
) -> Figure:
    """Coloured cells, items down and groups across, each with its number ("–" hidden, "*"
    indicative); parameters as in :func:`~youthmedia.figures.charts.grouped`.

    Examples
    --------
    >>> from youthmedia.result import Result
    >>> r = Result.from_rows([{"age": a, "variable": "tt", "estimate": e, "n": 400}
    ...                       for a, e in (("10-14", 0.4), ("15-19", 0.7))], by=["age"],
    ...                      labels={"nl": {"tt": "TikTok"}})
    >>> heatmap(r).slide.kind
    'heatmap'
    """
    lang, theme = i18n.check_lang(lang), get_theme(theme)
    no = "A heatmap needs a Result grouped by a variable (by='age_band')."
    by = C._grouping(result, by, "heatmap", no)
    table, prefix = C._labelled_table(result, lang, category, indicative_n)
    items, ranked = C._ordered_items(table, sort)
    groups, by_label, extra = list(dict.fromkeys(table["group"])), C._by_label(result, by, lang), []
    with matplotlib.rc_context(theme.rc()):
        head = C._headline(headline, lambda: H.groups(table, result, lang))
        sub = C._subtitle(result, table, lang, prefix, by_label) if subtitle is None else subtitle
        first = T.footnotes(table, result, lang, None, indicative_n)
        fit = C._rows_that_fit(theme, head, sub, result, lang, first, 1.5, 50)
        items = C._keep_items(items, max_rows, fit, ranked, lang, extra)
        table = C._in_order(table[table["label"].isin(items)], items, groups)
        head = C._headline(headline, lambda: H.groups(table, result, lang))  # rows shown
        notes = T.footnotes(table, result, lang, None, indicative_n, extra=extra)
        frame = C._frame(theme, head, sub, result, lang, notes)
        _draw_heatmap(frame.fig.add_subplot(), table, items, groups, result, frame, lang, decimals)
    return C._finish(
        frame, result, table, "heatmap", "alt_heatmap", head, sub, notes, lang, by_label
    )


def _draw_heatmap(ax, table, items, groups, result, frame, lang, decimals) -> None:
    """Cells coloured by their number, each with its number ("–" hidden, "*" indicative)."""
    theme, shape = frame.theme, (len(items), len(groups))
    grid, flags, hidden = np.full(shape, np.nan), np.zeros(shape, bool), np.zeros(shape, bool)
    for row in table.itertuples():
        i, j = items.index(row.label), groups.index(row.group)
        grid[i, j], flags[i, j] = row.estimate, bool(row.indicative)
        hidden[i, j] = bool(row.suppressed) or pd.isna(row.estimate)
    cmap = theme.sequential().with_extremes(bad=theme.missing)
    finite, percent = np.isfinite(grid).any(), is_percent(result)
    vmax = 1.0 if percent or not finite else float(np.nanmax(grid))
    vmin = 0.0 if percent or not finite else min(0.0, float(np.nanmin(grid)))
    image = ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
    image.set_gid("youthmedia-heatmap")
    for (i, j), value in np.ndenumerate(grid):
        if hidden[i, j]:
            C._dash(
                ax, j, i, theme, theme.text_size, ha="center", color=theme.text_on(theme.missing)
            )
            continue
        colour = to_hex(cmap((value - vmin) / (vmax - vmin) if vmax > vmin else 0.5))
        text = C._value_text(value, result, lang, decimals, flags[i, j])
        cell = {"ha": "center", "va": "center", "fontsize": theme.text_size}
        ax.text(j, i, text, color=theme.text_on(colour), gid="youthmedia-value", **cell)
    width = frame.plot_width_in * 72 * 0.7 / max(len(groups), 1)
    ax.set_xticks(range(len(groups)), C._wrap_labels(groups, theme, width))
    ax.set_yticks(range(len(items)), C._label_block(items, theme)[0])
    ax.xaxis.tick_top()
    ax.tick_params(length=0, labelsize=theme.text_size, labelcolor=theme.foreground)
    ax.spines[:].set_visible(False)
    ax.set_xticks(np.arange(len(groups) + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(len(items) + 1) - 0.5, minor=True)
    ax.grid(which="minor", color=theme.background, linewidth=3)
    ax.tick_params(which="minor", length=0)
