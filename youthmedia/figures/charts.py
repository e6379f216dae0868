"""The standard chart types, each from a ``Result`` to a slide-ready ``matplotlib`` ``Figure``.

Every chart has a headline stating the finding (``headline=None``; your own ``"..."``; none
``""``), a source line and footnotes; suppressed estimates are "–" (never a zero bar),
indicative ones (fewer than ``indicative_n``, 30, observations) "*", lighter and hatched; all
texts in ``lang``. ``fig.slide`` (a :class:`~youthmedia.figures.slide.Slide`) carries the
texts, alt text and speaker notes.

Examples
--------
>>> from youthmedia.result import Result
>>> r = Result.from_rows(
...     [{"variable": "use_whatsapp", "category": "ja", "estimate": 0.97, "ci_low": 0.95,
...       "ci_high": 0.98, "n": 1512}],
...     labels={"nl": {"use_whatsapp": "WhatsApp"}}, source={"name": "Demo", "year": "2023"},
...     weighted=True, n_total=1512)
>>> fig = big_number(r)
>>> fig.slide.headline, fig.slide.source
('WhatsApp: bijna alle jongeren (97%)', 'Bron: Demo 2023; n = 1.512; gewogen')
"""

from __future__ import annotations

from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator

from .. import i18n
from ..errors import ConfigError
from ..result import Result
from . import common as C
from . import headline as H
from . import text as T
from .cells import heatmap
from .data import is_difference, is_percent, plot_table
from .frame import SlideFrame, style_axes, text_width, wrap
from .lines import trend
from .stacked import diverging
from .theme import Theme, _mix, get_theme

__all__ = ["auto", "bars", "big_number", "diverging", "grouped", "heatmap", "trend"]


def bars(
    result: Result,
    lang: str = "nl",
    headline: str | None = None,
    theme: Theme | str | None = None,
    *,
    category: Any = None,
    sort: bool | None = None,
    decimals: int = 0,
    indicative_n: int | None = None,
    max_rows: int | None = None,
    subtitle: str | None = None,
) -> Figure:
    """Horizontal bars with confidence-interval whiskers, ranked from high to low.

    Each bar is a variable (the platforms of a multiple-response set) or, for one variable, an
    answer (in the codebook's order unless ``sort=True``); means on a number axis.

    Parameters
    ----------
    result : Result
        Without groups (see :func:`grouped`, :func:`heatmap`).
    lang : {"nl", "en"}
    headline : str, optional
        ``None`` generates one; ``""`` leaves it out.
    theme : Theme or {"light", "dark"}, optional
    category : optional
        For several variables with several answers each: the answer to show.
    sort : bool, optional
        Rank from high to low (default for several variables).
    decimals, indicative_n : int
        Decimals shown; fewer observations than ``indicative_n`` (30) are marked ``*``.
    max_rows : int, optional
        At most this many bars (default: as many as fit), said in a footnote.
    subtitle : str, optional

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from youthmedia.result import Result
    >>> r = Result.from_rows([{"variable": v, "estimate": e, "ci_low": e - 0.02,
    ...     "ci_high": e + 0.02, "n": 900} for v, e in (("use_yt", 0.9), ("use_tt", 0.6))],
    ...     labels={"en": {"use_yt": "YouTube", "use_tt": "TikTok"}})
    >>> bars(r, lang="en").slide.headline
    'YouTube reaches nine in ten young people (90%)'
    """
    opts = (category, sort, decimals, indicative_n, max_rows, subtitle)
    return _hbars(result, lang, headline, get_theme(theme), None, "bars", *opts)


def grouped(
    result: Result,
    lang: str = "nl",
    headline: str | None = None,
    theme: Theme | str | None = None,
    *,
    by: str | None = None,
    style: str = "bars",
    category: Any = None,
    sort: bool | None = None,
    decimals: int = 0,
    indicative_n: int | None = None,
    max_rows: int | None = None,
    subtitle: str | None = None,
) -> Figure:
    """Estimates by group (age band, gender): grouped horizontal bars or a dot plot.

    ``style="dots"`` suits many items or groups; ``by`` names the grouping; other parameters as
    in :func:`bars`.
    """
    if style not in ("bars", "dots"):
        raise ConfigError(f"Unknown style {style!r} for charts.grouped; use 'bars' or 'dots'.")
    no = "This Result has no groups; draw it with charts.bars, or estimate it with by= (e.g. by='age_band')."
    by = C._grouping(result, by, "grouped chart", no)
    opts = (category, sort, decimals, indicative_n, max_rows, subtitle)
    return _hbars(result, lang, headline, get_theme(theme), by, style, *opts)


def _hbars(
    result,
    lang,
    headline,
    theme,
    by,
    style,
    category,
    sort,
    decimals,
    indicative_n,
    max_rows,
    subtitle,
) -> Figure:
    """Bars (``by=None``) or grouped bars/dots: rows that fit, texts, drawing, the Slide."""
    lang = i18n.check_lang(lang)
    table, prefix = C._labelled_table(result, lang, category, indicative_n)
    if by is None and result.by and table["group"].nunique() > 1:
        raise ConfigError(
            f"This Result is grouped by {', '.join(result.by)}; draw it with "
            "charts.grouped or charts.heatmap, or select one group first."
        )
    items, ranked = C._ordered_items(table, sort)
    groups, by_label = list(dict.fromkeys(table["group"])), C._by_label(result, by, lang)
    table = C._in_order(table, items, groups)
    difference, extra = by is None and is_difference(result), []
    if len(groups) > theme.max_series:  # no colour twice: the groups highest on average
        note = i18n.t("truncated_note", lang, shown=theme.max_series, total=len(groups))
        extra.append(f"{by_label}: {T.lower_first(note)}")
        means = table[~table["suppressed"]].groupby("group")["estimate"].mean()
        top = sorted(groups, key=lambda g: C._rank(means, g))[: theme.max_series]
        groups = [g for g in groups if g in top]
        table = table[table["group"].isin(groups)].reset_index(drop=True)
    rule = H.groups if by else H.difference if difference else H.ranked
    with matplotlib.rc_context(theme.rc()):
        head = C._headline(headline, lambda: rule(table, result, lang))
        sub = C._subtitle(result, table, lang, prefix, by_label) if subtitle is None else subtitle
        k, lines = len(groups), C._label_block(items, theme)[2]
        per = 1.3 if by is None else 0.5 + 0.6 * k if style == "bars" else 1.1 + 0.15 * k
        first = T.footnotes(table, result, lang, "bars", indicative_n)
        fixed = 80 if by else 45 if difference else 30
        fit = C._rows_that_fit(theme, head, sub, result, lang, first, C._per_row(per, lines), fixed)
        order = items
        if difference and ranked:  # the largest changes either way, shown in signed order
            size = dict(zip(table["label"], table["estimate"].abs().fillna(-1.0), strict=True))
            order = sorted(items, key=lambda i: -size[i])
        keep = C._keep_items(order, max_rows, fit, ranked, lang, extra)
        if difference and ranked and len(keep) < len(items):
            extra[-1] = i18n.t("largest_note", lang, shown=len(keep), total=len(items))
        items = [i for i in items if i in keep]
        table = C._in_order(table[table["label"].isin(items)], items, groups)
        head = C._headline(headline, lambda: rule(table, result, lang)) if by else head
        notes = T.footnotes(table, result, lang, "bars", indicative_n, extra=extra)
        frame = C._frame(theme, head, sub, result, lang, notes)
        ax = frame.fig.add_subplot()
        _draw_hbars(ax, table, items, groups, frame, result, lang, decimals, style)
    colours, name = theme.series_colours(groups) if by else [theme.primary], sub or head
    drawn, series = (table, groups) if by else (table.assign(group=name), [name])
    chart = None if difference else C._chart_data("bar", drawn, items, series, colours, result)
    kind, alt = (
        ("grouped", f"alt_{style}" if style == "dots" else "alt_grouped")
        if by
        else ("bars", "alt_bars")
    )
    return C._finish(frame, result, table, kind, alt, head, sub, notes, lang, by_label, chart)


def _draw_hbars(ax, table, items, groups, frame, result, lang, decimals, style="bars") -> None:
    """Bars (or dots) with interval lines, item by item, each item's groups in a band; one
    group: ranked bars (an indicative item's label gets "*"), several: a legend above."""
    theme, k, m = frame.theme, len(groups), len(items)
    style_axes(ax, theme)
    starred = set(table.loc[table["indicative"], "label"]) if k == 1 else set()
    ylabels, label_w, _ = C._label_block([i + " *" * (i in starred) for i in items], theme)
    shown = table[~table["suppressed"] & table["estimate"].notna()]
    texts = [C._value_text(v, result, lang, decimals, True) for v in shown["estimate"]]
    value_w = max([text_width(t, theme.text_size, theme.font_family) for t in texts] or [40.0])
    width = frame.plot_width_in * 72 - label_w - 20
    low, high, ticks = C._value_limits(result, table, width, value_w)
    band = 0.8 if style == "bars" else 0.6
    h, pad = band / k, (high - low) * 0.012
    tall = frame.plot_height_in * 57.6 / m * h >= theme.text_size * 1.05
    show_values = k == 1 or (style == "bars" and tall)
    colours = [theme.primary] if k == 1 else theme.series_colours(groups)
    x0, bigger = max(low, 0) + pad, 10 if k == 1 else 2
    for row in table.itertuples():
        j = groups.index(row.group)
        yc = (m - 1 - items.index(row.label)) + band / 2 - (j + 0.5) * h
        est, lo, hi, ind = row.estimate, row.ci_low, row.ci_high, bool(row.indicative)
        if row.suppressed or pd.isna(est):
            C._dash(ax, x0, yc, theme, theme.text_size + bigger)
            continue
        _mark(ax, est, lo, hi, ind, yc, h, colours[j], style, theme)
        if show_values or ind:
            fall = est < 0  # a fall: its number left of its bar
            end = est if pd.isna(lo if fall else hi) else (lo if fall else hi)
            text = C._value_text(est, result, lang, decimals, ind) if show_values else "*"
            x = min(end, est) - pad if fall else max(end, est) + pad
            where = {"va": "center", "ha": "right" if fall else "left", "color": theme.foreground}
            ax.text(x, yc, text, gid=f"youthmedia-{'value' if show_values else 'flag'}", **where)
    ax.set_yticks(np.arange(m)[::-1].astype(float), ylabels)
    ax.set(ylim=(-0.6, m - 0.4), xlim=(low, high))
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(C._formatter(result, lang))
    if low < 0:
        ax.axvline(0, color=theme.muted, linewidth=1)
    if is_difference(result):
        a, b = T._compared(result, lang)
        what = i18n.t("axis_pp_difference" if is_percent(result) else "axis_difference", lang)
        what = f"{what} ({b} − {a})" if a and b else what
        ax.set_xlabel(what, color=theme.muted, fontsize=theme.text_size, labelpad=8)
    if k > 1:
        dot = {"marker": "o", "markersize": 13, "linestyle": "none"}
        handles = [
            Patch(facecolor=c, label=g)
            if style == "bars"
            else Line2D([], [], color=c, label=g, **dot)
            for c, g in zip(colours, groups, strict=True)
        ]
        C._legend(ax, handles, groups, theme, frame.plot_width_in * 72 - label_w - 30)


def _mark(ax, est, lo, hi, ind, yc, h, colour, style, theme) -> None:
    """One bar (or dot) with its interval; indicative ones light and hatched."""
    light = _mix(colour, theme.background, 0.45)
    if style == "bars":
        bar = {"height": h * 0.92, "edgecolor": colour, "linewidth": 1.5}
        (patch,) = ax.barh(yc, est, color=light if ind else colour, **bar)
        patch.set(hatch="//" if ind else None, gid="youthmedia-bar")
    else:
        dot = {"ms": 13, "color": colour, "mew": 2, "gid": "youthmedia-dot"}
        ax.plot([est], [yc], "o", mfc=light if ind else colour, **dot)
    if pd.notna(lo) and pd.notna(hi):
        bars = style == "bars"
        line = {"color": theme.foreground if bars else colour, "lw": 2 if bars else 3}
        ax.hlines(yc, lo, hi, gid="youthmedia-ci", **line)


def big_number(
    result: Result,
    lang: str = "nl",
    headline: str | None = None,
    theme: Theme | str | None = None,
    *,
    variable: str | None = None,
    category: Any = None,
    group: Any = None,
    caption: str | None = None,
    decimals: int = 0,
    indicative_n: int | None = None,
    subtitle: str | None = None,
) -> Figure:
    """One number, large ("98%"), with what it counts and its interval underneath.

    The row shown is the first left after selecting ``variable``, ``category`` and ``group``.
    """
    lang, theme = i18n.check_lang(lang), get_theme(theme)
    rows = result if variable is None else result[result["variable"] == variable]
    if len(rows) == 0:
        names = ", ".join(dict.fromkeys(result["variable"]))
        raise ConfigError(f"No variable {variable!r} in this Result; it holds {names}.")
    table = plot_table(rows, lang, category, indicative_n)
    if group is not None:
        table = table[table["group"] == str(group)]
        if table.empty:
            raise ConfigError(f"No group {group!r} in this Result.")
    row = table.iloc[0]
    label = row["label"] + (f" ({row['group']})" if row["group"] else "")
    one = table.iloc[[0]].reset_index(drop=True).assign(label=[label])
    with matplotlib.rc_context(theme.rc()):
        head = C._headline(headline, lambda: H.ranked(one, result, lang))
        sub = subtitle if subtitle is not None else C._subtitle(result, one, lang)
        notes = T.footnotes(one, result, lang, None, indicative_n)
        frame = C._frame(theme, head, sub, result, lang, notes)
        _draw_big(frame, row, caption if caption is not None else label, result, lang, decimals)
    return C._finish(frame, result, one, "big_number", "alt_big", head, sub, notes, lang)


def _draw_big(
    frame: SlideFrame, row: pd.Series, cap: str, result: Result, lang: str, decimals: int
) -> None:
    """The number as large as fits ("–" when hidden); under it what it counts, its interval, n."""
    theme, ax, plot_pt = frame.theme, frame.fig.add_subplot(), frame.plot_height_in * 72
    ax.set_axis_off()
    hidden = bool(row["suppressed"]) or pd.isna(row["estimate"])
    est, lo, hi = row["estimate"], row["ci_low"], row["ci_high"]
    big = C._SUPPRESSED if hidden else C._value_text(est, result, lang, decimals, row["indicative"])
    size = theme.big_size
    while (
        size > theme.headline_size
        and text_width(big, size, weight="bold") > frame.plot_width_in * 72
    ):
        size -= 10
    top = {"transform": ax.transAxes, "ha": "left", "va": "top"}
    colour = theme.missing if hidden else theme.primary
    ax.text(
        0.0, 0.98, big, fontsize=size, fontweight="bold", color=colour, gid="youthmedia-big", **top
    )
    lines = []
    if not hidden and pd.notna(lo) and pd.notna(hi):
        level = i18n.t("ci_short", lang, level=T._level(result, lang))
        rng = f"{T.value(lo, result, lang)}–{T.value(hi, result, lang)}"
        rng = i18n.percent_range(lo, hi, lang, decimals) if is_percent(result) else rng
        lines.append(f"{level}: {rng}")
    if pd.notna(row["n"]):
        lines.append(i18n.t("n_equals", lang, n=i18n.integer(row["n"], lang)))
    cap_size = theme.subtitle_size * 1.4
    cap_lines = wrap(cap, frame.plot_width_in * 72, cap_size, max_lines=2)
    y = 0.98 - size * 1.1 / plot_pt
    caption = "\n".join(cap_lines)
    ax.text(
        0.0, y, caption, fontsize=cap_size, color=theme.foreground, gid="youthmedia-caption", **top
    )
    y -= (len(cap_lines) * cap_size * 1.2 + theme.subtitle_size * 0.8) / plot_pt
    if lines:
        top |= {"fontsize": theme.subtitle_size, "color": theme.muted}
        ax.text(0.0, y, "   ·   ".join(lines), gid="youthmedia-ci", **top)


def auto(
    result: Result,
    lang: str = "nl",
    headline: str | None = None,
    theme: Theme | str | None = None,
    **options: Any,
) -> Figure:
    """The chart that fits the Result: grouped by a wave or year → :func:`trend`; grouped
    otherwise → :func:`grouped` (dots beyond 24 bars); ``scale=True`` → :func:`diverging`; one
    row → :func:`big_number`; else :func:`bars`.
    """
    if options.pop("scale", False):
        return diverging(result, lang, headline, theme, **options)
    if result.by and any(name in result.by[0].lower() for name in C._TREND_NAMES):
        return trend(result, lang, headline, theme, **options)
    if result.by:
        options.setdefault("style", "dots" if len(result) > 24 else "bars")
        return grouped(result, lang, headline, theme, **options)
    chart = big_number if len(result) == 1 else bars
    return chart(result, lang, headline, theme, **options)
