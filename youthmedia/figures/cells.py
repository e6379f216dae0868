"""A heatmap: items (platforms) down, groups (age bands) across, each cell with its number."""

from __future__ import annotations

from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from .. import i18n
from ..result import Result
from . import common as C
from . import headline as H
from . import text as T
from .data import is_percent
from .frame import SlideFrame
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
    lang = i18n.check_lang(lang)
    theme = get_theme(theme)
    by = C._grouping(
        result, by, "heatmap", "A heatmap needs a Result grouped by a variable (by='age_band')."
    )
    table, prefix = C._labelled_table(result, lang, category, indicative_n)
    items, ranked = C._ordered_items(table, sort)
    groups = list(dict.fromkeys(table["group"]))
    by_label = C._by_label(result, by, lang)
    extra: list[str] = []
    with matplotlib.rc_context(theme.rc()):
        head = C._headline(headline, lambda: H.groups(table, result, lang))
        sub = (
            subtitle if subtitle is not None else C._subtitle(result, table, lang, prefix, by_label)
        )
        fit = C._rows_that_fit(
            theme,
            head,
            sub,
            result,
            lang,
            T.footnotes(table, result, lang, ci=None, indicative_n=indicative_n),
            per_row=1.5,
            fixed_pt=50,
        )
    items = C._keep_items(items, max_rows, fit, ranked, lang, extra)
    table = table[table["label"].isin(items)].reset_index(drop=True)
    head = C._headline(headline, lambda: H.groups(table, result, lang))  # rows shown
    with matplotlib.rc_context(theme.rc()):
        notes = T.footnotes(table, result, lang, ci=None, indicative_n=indicative_n, extra=extra)
        frame = C._frame(theme, head, sub, result, lang, notes)
        _draw_heatmap(
            frame.fig.add_subplot(), table, items, groups, result, theme, frame, lang, decimals
        )
    ordered = C._in_order(table, items, groups)
    return C._finish(
        frame, result, ordered, "heatmap", "alt_heatmap", head, sub, notes, lang, by_label=by_label
    )


def _draw_heatmap(
    ax: Axes,
    table: pd.DataFrame,
    items: list[str],
    groups: list[str],
    result: Result,
    theme: Theme,
    frame: SlideFrame,
    lang: str,
    decimals: int,
) -> None:
    """Cells coloured by their number, each with its number ("–" hidden, "*" indicative)."""
    grid = np.full((len(items), len(groups)), np.nan)
    flags = np.zeros_like(grid, dtype=bool)
    hidden = np.zeros_like(grid, dtype=bool)
    for _, row in table.iterrows():
        i, j = items.index(row["label"]), groups.index(row["group"])
        grid[i, j] = row["estimate"]
        flags[i, j] = bool(row["indicative"])
        hidden[i, j] = bool(row["suppressed"]) or pd.isna(row["estimate"])
    cmap = theme.sequential().with_extremes(bad=theme.missing)
    finite = np.isfinite(grid).any()
    vmax = 1.0 if is_percent(result) else float(np.nanmax(grid)) if finite else 1.0
    vmin = 0.0 if is_percent(result) else min(0.0, float(np.nanmin(grid)) if finite else 0.0)
    image = ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
    image.set_gid("youthmedia-heatmap")
    for (i, j), value in np.ndenumerate(grid):
        cell = {"ha": "center", "va": "center", "fontsize": theme.text_size}
        if hidden[i, j]:
            colour = theme.text_on(theme.missing)
            ax.text(
                j,
                i,
                C._SUPPRESSED,
                fontweight="bold",
                color=colour,
                gid="youthmedia-suppressed",
                **cell,
            )
            continue
        colour = to_hex(cmap((value - vmin) / (vmax - vmin) if vmax > vmin else 0.5))
        text = C._value_text(value, result, lang, decimals, flags[i, j])
        ax.text(j, i, text, color=theme.text_on(colour), gid="youthmedia-value", **cell)
    width = frame.plot_width_in * 72 * 0.7 / max(len(groups), 1)
    ax.set_xticks(range(len(groups)), C._wrap_labels(groups, theme, width))
    ax.set_yticks(range(len(items)), C._label_block(items, theme)[0])
    ax.xaxis.tick_top()
    ax.tick_params(length=0, labelsize=theme.text_size, labelcolor=theme.foreground)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xticks(np.arange(len(groups) + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(len(items) + 1) - 0.5, minor=True)
    ax.grid(which="minor", color=theme.background, linewidth=3)
    ax.tick_params(which="minor", length=0)
