"""The standard chart types, each from a ``Result`` to a slide-ready ``Figure`` whose
``fig.slide`` holds its headline, footnotes, alt text and notes; hidden numbers are "–" (never
a zero bar), indicative ones "*", lighter and hatched.

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

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator

from .. import i18n
from ..errors import ConfigError
from ..result import Result
from . import common as C
from . import headline as H
from . import text as T
from .data import is_difference, is_percent, plot_table
from .frame import SlideFrame, style_axes, text_width, wrap
from .lines import trend
from .stacked import diverging
from .theme import Theme, _mix, get_theme

__all__ = ["auto", "bars", "big_number", "diverging", "dumbbell", "grouped", "heatmap", "trend"]


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
    return _rows(result, lang, headline, theme, None, "bars", opts)


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
    """Estimates by group (age band, gender): grouped horizontal bars, a dot plot or a heatmap.

    ``style="dots"`` for many rows, ``"heatmap"`` for many groups too; others as in :func:`bars`.
    """
    if style not in ("bars", "dots", "heatmap"):
        raise ConfigError(f"Unknown style {style!r}; use 'bars', 'dots' or 'heatmap'.")
    no = "This Result has no groups; draw it with charts.bars, or estimate it with by= (e.g. by='age_band')."
    by = C._grouping(result, by, f"grouped chart ({style})", no)
    opts = (category, sort, decimals, indicative_n, max_rows, subtitle)
    return _rows(result, lang, headline, theme, by, style, opts)


def heatmap(
    result: Result,
    lang: str = "nl",
    headline: str | None = None,
    theme: Theme | str | None = None,
    **options: Any,
) -> Figure:
    """Coloured cells (items down, groups across) with their numbers; options as in :func:`grouped`.

    Examples
    --------
    >>> from youthmedia.result import Result
    >>> r = Result.from_rows([{"age": a, "variable": "tt", "estimate": e, "n": 400}
    ...                       for a, e in (("10-14", 0.4), ("15-19", 0.7))], by=["age"],
    ...                      labels={"nl": {"tt": "TikTok"}})
    >>> heatmap(r).slide.kind
    'heatmap'
    """
    return grouped(result, lang, headline, theme, style="heatmap", **options)


def _rows(result, lang, headline, theme, by, style, opts) -> Figure:
    """Bars (``by=None``), grouped bars or dots, or a heatmap: the rows that fit, texts, Slide."""
    category, sort, decimals, indicative_n, max_rows, subtitle = opts
    lang, theme, heat = i18n.check_lang(lang), get_theme(theme), style == "heatmap"
    table, prefix = C._labelled_table(result, lang, category, indicative_n)
    if by is None and result.by and table["group"].nunique() > 1:
        groups = ", ".join(result.by)
        raise ConfigError(f"This Result is grouped by {groups}; use charts.grouped or select one.")
    ranked = (table["variable"].nunique() > 1) if sort is None else sort
    items = list(dict.fromkeys(table["label"]))
    if ranked:  # by mean estimate, none last
        means = table[~table["suppressed"]].groupby("label")["estimate"].mean().fillna(-np.inf)
        items = sorted(items, key=lambda lab: -means.get(lab, -np.inf))
    groups, by_label = list(dict.fromkeys(table["group"])), result.label(by, lang) if by else ""
    table = C._in_order(table, items, groups)
    difference, extra, ci = by is None and is_difference(result), [], None if heat else "bars"
    if len(groups) > theme.max_series and not heat:  # no colour twice: the highest on average
        note = i18n.t("truncated_note", lang, shown=theme.max_series, total=len(groups))
        extra.append(f"{by_label}: {T.lower_first(note)}")
        means = table[~table["suppressed"]].groupby("group")["estimate"].mean().fillna(-np.inf)
        top = sorted(groups, key=lambda g: -means.get(g, -np.inf))[: theme.max_series]
        groups = [g for g in groups if g in top]
        table = table[table["group"].isin(groups)].reset_index(drop=True)
    rule = H.groups if by else H.difference if difference else H.ranked
    head = rule(table, result, lang) if headline is None else str(headline)
    sub = C._subtitle(result, table, lang, prefix, by_label) if subtitle is None else subtitle
    k = len(groups)
    per = 1.3 if by is None else 0.5 + 0.6 * k if style == "bars" else 1.1 + 0.15 * k
    per, lines = (1.5, 1) if heat else (per, C._label_block(items, theme)[2])
    first = T.footnotes(table, result, lang, ci, indicative_n)
    fixed = 50 if heat else 80 if by else 45 if difference else 30
    fit = C._rows_that_fit(theme, head, sub, result, lang, first, per, lines, fixed)
    order = items
    if difference and ranked:  # the largest changes either way, shown in signed order
        size = dict(zip(table["label"], table["estimate"].abs().fillna(-1.0), strict=True))
        order = sorted(items, key=lambda i: -size[i])
    keep = C._keep_items(order, max_rows, fit, ranked, lang, extra)
    if difference and ranked and len(keep) < len(items):
        extra[-1] = i18n.t("largest_note", lang, shown=len(keep), total=len(items))
    if len(keep) < len(items):  # else the table, its headline and (no extra) notes stand
        items = [i for i in items if i in keep]
        table = C._in_order(table[table["label"].isin(items)], items, groups)
        head = rule(table, result, lang) if by and headline is None else head
    notes = T.footnotes(table, result, lang, ci, indicative_n, extra=extra) if extra else first
    colours, name = theme.series_colours(groups) if by else [theme.primary], sub or head
    drawn, series = (table, groups) if by else (table.assign(group=name), [name])
    chart = C._chart_data("bar", drawn, items, series, colours, result)
    kind = "heatmap" if heat else "grouped" if by else "bars"
    alt = f"alt_{style if style in ('dots', 'heatmap') else kind}"
    drawer = _draw_heatmap if heat else _draw_hbars
    draw = (drawer, table, items, groups, result, lang, decimals, style)
    texts, chart = (head, sub, notes), None if difference or heat else chart
    return C._slide(kind, alt, result, lang, theme, texts, table, draw, by_label, chart)


def _draw_hbars(frame, ax, table, items, groups, result, lang, decimals, style) -> None:
    """Bars (or dots) with interval lines, each item's groups in a band, a legend for several."""
    theme, k, m = frame.theme, len(groups), len(items)
    style_axes(ax, theme)
    starred = set(table.loc[table["indicative"], "label"]) if k == 1 else set()
    ylabels, label_w, _ = C._label_block([i + " *" * (i in starred) for i in items], theme)
    texts = [C._value_text(v, result, lang, decimals, True) for v in table["estimate"].dropna()]
    value_w = max([text_width(t, theme.text_size, theme.font_family) for t in texts] or [40.0])
    width = frame.plot_width_in * 72 - label_w - 20
    low, high = C._extent(table)  # the value axis, with room right of the bars for their numbers
    percent, difference = is_percent(result), is_difference(result)
    if difference:
        ticks = C._nice_ticks(high if high > 0 else 0.01, low)
        room = max(high - low, 1e-9) * (value_w + 12) / max(width - 2 * (value_w + 12), 1)
        low = low - room if low < 0 else low
        ticks = [t for t in ticks if low - 1e-9 <= t <= high + room]
    elif percent and high > 0.5:
        high, ticks = max(high, 1.0), [0, 0.25, 0.5, 0.75, 1.0]
    else:  # shares up to half on their own ticks, from 0
        top = high if high > 0 else 0.1 if percent else 1.0
        ticks = C._nice_ticks(top, 0.0 if percent else low)
        high = max(high, ticks[-1])
    if not difference:
        room = (high - low) * (value_w + 12) / max(width - value_w - 12, 1.0)
    high += room
    band = 0.8 if style == "bars" else 0.6
    h, pad = band / k, (high - low) * 0.012
    tall = frame.plot_height_in * 57.6 / m * h >= theme.text_size * 1.05
    show_values = k == 1 or (style == "bars" and tall)
    colours = [theme.primary] if k == 1 else theme.series_colours(groups)
    x0, bigger = max(low, 0) + pad, 10 if k == 1 else 2
    bar = {"height": h * 0.92, "linewidth": 1.5, "gid": "youthmedia-bar"}
    dot = {"ms": 13, "mew": 2, "gid": "youthmedia-dot"}
    for row in table.itertuples():
        j = groups.index(row.group)
        yc = (m - 1 - items.index(row.label)) + band / 2 - (j + 0.5) * h
        est, lo, hi, ind = row.estimate, row.ci_low, row.ci_high, bool(row.indicative)
        if row.suppressed or pd.isna(est):
            C._dash(ax, x0, yc, theme, theme.text_size + bigger)
            continue
        colour = colours[j]  # indicative: light and hatched
        face = _mix(colour, theme.background, 0.45) if ind else colour
        if style == "bars":
            ax.barh(yc, est, color=face, edgecolor=colour, hatch="//" if ind else None, **bar)
        else:
            ax.plot([est], [yc], "o", color=colour, mfc=face, **dot)
        if pd.notna(lo) and pd.notna(hi):
            line_colour, lw = (theme.foreground, 2) if style == "bars" else (colour, 3)
            ax.hlines(yc, lo, hi, color=line_colour, lw=lw, gid="youthmedia-ci")
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
    if difference:
        a, b = T._compared(result, lang)
        what = i18n.t("axis_pp_difference" if percent else "axis_difference", lang)
        what = f"{what} ({b} − {a})" if a and b else what
        ax.set_xlabel(what, color=theme.muted, fontsize=theme.text_size, labelpad=8)
    if k > 1:
        C._legend(ax, colours, groups, theme, width - 10, style != "bars")


def _draw_heatmap(frame, ax, table, items, groups, result, lang, decimals, _style=None) -> None:
    """Cells coloured by their number, each with its number ("–" hidden, "*" indicative)."""
    theme = frame.theme
    cells = table.drop_duplicates(["label", "group"], keep="last")
    cells = cells.pivot(index="label", columns="group").reindex(index=items)
    grid = cells["estimate"].reindex(columns=groups).to_numpy(dtype=float)
    flags = cells["indicative"].reindex(columns=groups).fillna(False).to_numpy(dtype=bool)
    cmap = theme.sequential().with_extremes(bad=theme.missing)
    finite, percent = np.isfinite(grid).any(), is_percent(result)
    vmax = 1.0 if percent or not finite else float(np.nanmax(grid))
    vmin = 0.0 if percent or not finite else min(0.0, float(np.nanmin(grid)))
    image = ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
    image.set_gid("youthmedia-heatmap")
    for (i, j), value in np.ndenumerate(grid):
        if np.isnan(value):  # hidden: suppressed, or no row
            dash = {"ha": "center", "color": theme.text_on(theme.missing)}
            C._dash(ax, j, i, theme, theme.text_size, **dash)
            continue
        colour = to_hex(cmap((value - vmin) / (vmax - vmin) if vmax > vmin else 0.5))
        text = C._value_text(value, result, lang, decimals, flags[i, j])
        cell = {"ha": "center", "va": "center", "fontsize": theme.text_size}
        ax.text(j, i, text, color=theme.text_on(colour), gid="youthmedia-value", **cell)
    width = frame.plot_width_in * 72 * 0.7 / max(len(groups), 1)
    size, family = theme.text_size, theme.font_family
    columns = ["\n".join(wrap(g, width, size, family, max_lines=2)) for g in groups]
    ax.set_xticks(range(len(groups)), columns)
    ax.set_yticks(range(len(items)), C._label_block(items, theme)[0])
    ax.xaxis.tick_top()
    ax.tick_params(which="both", length=0, labelsize=theme.text_size, labelcolor=theme.foreground)
    ax.spines[:].set_visible(False)
    ax.set_xticks(np.arange(len(groups) + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(len(items) + 1) - 0.5, minor=True)
    ax.grid(which="minor", color=theme.background, linewidth=3)


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
    """One number, large, with what it counts and its interval: the first row of ``variable``,
    ``category`` and ``group``."""
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
    head = H.ranked(one, result, lang) if headline is None else str(headline)
    sub = subtitle if subtitle is not None else C._subtitle(result, one, lang)
    notes = T.footnotes(one, result, lang, None, indicative_n)
    draw = (_draw_big, row, caption if caption is not None else label, result, lang, decimals)
    return C._slide("big_number", "alt_big", result, lang, theme, (head, sub, notes), one, draw)


def _draw_big(frame: SlideFrame, ax, row: pd.Series, cap: str, result, lang, decimals) -> None:
    """The number as large as fits ("–" when hidden); under it what it counts, its interval, n."""
    theme, plot_pt, width = frame.theme, frame.plot_height_in * 72, frame.plot_width_in * 72
    ax.set_axis_off()
    hidden = bool(row["suppressed"]) or pd.isna(row["estimate"])
    est, lo, hi = row["estimate"], row["ci_low"], row["ci_high"]
    big = C._SUPPRESSED if hidden else C._value_text(est, result, lang, decimals, row["indicative"])
    size = theme.big_size
    while size > theme.headline_size and text_width(big, size, weight="bold") > width:
        size -= 10
    top = {"transform": ax.transAxes, "ha": "left", "va": "top"}
    colour = theme.missing if hidden else theme.primary
    bold = {"fontsize": size, "fontweight": "bold", "color": colour}
    ax.text(0.0, 0.98, big, gid="youthmedia-big", **bold, **top)
    lines = []
    if not hidden and pd.notna(lo) and pd.notna(hi):
        level = i18n.t("ci_short", lang, level=T._level(result, lang))
        rng = f"{T.value(lo, result, lang)}–{T.value(hi, result, lang)}"
        rng = i18n.percent_range(lo, hi, lang, decimals) if is_percent(result) else rng
        lines.append(f"{level}: {rng}")
    if pd.notna(row["n"]):
        lines.append(i18n.t("n_equals", lang, n=i18n.integer(row["n"], lang)))
    cap_size = theme.subtitle_size * 1.4
    cap_lines = wrap(cap, width, cap_size, max_lines=2)
    y, caption = 0.98 - size * 1.1 / plot_pt, {"fontsize": cap_size, "color": theme.foreground}
    ax.text(0.0, y, "\n".join(cap_lines), gid="youthmedia-caption", **caption, **top)
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
    """The chart that fits: by wave or year :func:`trend`; other groups :func:`grouped`;
    ``scale=True`` :func:`diverging`; one row :func:`big_number`; else :func:`bars`."""
    if options.pop("scale", False):
        return diverging(result, lang, headline, theme, **options)
    if result.by and any(name in result.by[0].lower() for name in (*T._WAVES, "date", "datum")):
        return trend(result, lang, headline, theme, **options)
    if result.by:
        options.setdefault("style", "dots" if len(result) > 24 else "bars")
        return grouped(result, lang, headline, theme, **options)
    chart = big_number if len(result) == 1 else bars
    return chart(result, lang, headline, theme, **options)


def _gap_headline(rows: dict, groups: list[str], result: Result, lang: str) -> str:
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

    Of a :func:`youthmedia.side_by_side.comparison` or two groups of one grouping; the headline
    gives the largest gap; ``sort`` by the second group; other parameters as in :func:`bars`.

    Examples
    --------
    >>> from youthmedia.side_by_side import comparison
    >>> a, b = (Result.from_rows([{"variable": "fb", "estimate": e}], published=True,
    ...         labels={None: {"fb": "Facebook"}}, source={"name": "Newcom", "year": y})
    ...         for e, y in ((0.88, "2016"), (0.80, "2017")))
    >>> dumbbell(comparison(a, b), lang="en").slide.headline
    'Facebook: 88% in 2016, 80% in 2017'
    """
    lang, theme = i18n.check_lang(lang), get_theme(theme)
    no = "A dumbbell chart compares two groups of one grouping; build the Result with side_by_side.comparison(a, b) or estimate it with by='<variable>'."
    C._grouping(result, None, "dumbbell chart", no)
    table, prefix = C._labelled_table(result, lang, category, None)
    groups = list(dict.fromkeys(table["group"]))
    if len(groups) != 2:
        raise ConfigError(
            f"A dumbbell chart needs exactly two groups; this Result has "
            f"{len(groups)} ({', '.join(groups)}). Select two first."
        )
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
    head = _gap_headline(rows, groups, result, lang) if headline is None else str(headline)
    if subtitle is None and result.meta.title:
        subtitle = i18n.text_in(result.meta.title, lang)
    elif subtitle is None and (info := result.meta.comparison):  # the sources compared
        key = "cmp_same" if info.get("same_source") else "cmp_other"
        subtitle = i18n.t(key, lang, a=groups[0], b=groups[1])
    elif subtitle is None:
        by_text = i18n.t("alt_by", lang, by=result.label(result.by[0], lang))
        subtitle = f"{prefix} – {by_text}" if prefix else T.upper_first(by_text)
    notes = T.footnotes(table, result, lang, "bars", extra=extra)
    texts = (head, subtitle, notes)
    draw = (_draw_dumbbell, items, groups, rows, result, lang, decimals)
    return C._slide("dumbbell", "alt_dumbbell", result, lang, theme, texts, table, draw)


def _draw_dumbbell(frame, ax, items, groups, rows, result, lang, decimals) -> None:
    """Each item's two dots joined, intervals above and below, numbers outside, "–" if hidden."""
    theme, m = frame.theme, len(items)
    style_axes(ax, theme)
    colours = list(theme.palette[:2])
    bold = {"va": "center", "fontsize": theme.text_size, "fontweight": "bold"}
    ci = {"lw": 2.5, "alpha": 0.8, "zorder": 3, "gid": "youthmedia-ci"}
    for yi, item in zip(np.arange(m)[::-1].astype(float), items, strict=True):
        values = [(j, rows.get(item, {}).get(g)) for j, g in enumerate(groups)]
        values = [(j, float(r["estimate"]), r) for j, r in values if r is not None]
        if len(values) == 2:
            style = {"color": theme.muted, "lw": 4, "alpha": 0.6, "solid_capstyle": "round"}
            ax.plot([v[1] for v in values], [yi, yi], zorder=2, gid="youthmedia-link", **style)
        for j, est, r in values:
            if pd.notna(r["ci_low"]) and pd.notna(r["ci_high"]):
                ends = (r["ci_low"], r["ci_high"])
                ax.hlines(yi + (0.12, -0.12)[j], *ends, color=colours[j], **ci)
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
    C._legend(ax, colours, groups, theme, ax_w - 30, dots=True)


def published_deck(
    result: Result,
    lang: str = "nl",
    theme: Theme | str | None = None,
    questions: Sequence[str] | None = None,
) -> tuple[list[Figure], str, str]:
    """A published table's figures, the deck's title and subtitle; ``questions``: items to keep."""
    from ..published import select
    from ..side_by_side import comparison

    asked, names = {str(q).casefold() for q in questions or []}, map(str, result["variable"])
    keep = [not asked or bool({v.casefold(), result.label(v).casefold()} & asked) for v in names]
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
