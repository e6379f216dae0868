"""Lines over waves (years): one per item or group, its interval a band, named at its end.

Examples
--------
>>> from youthmedia.result import Result
>>> r = Result.from_rows([{"year": "2019", "variable": "tt", "estimate": 0.22, "n": 900},
...                       {"year": "2023", "variable": "tt", "estimate": 0.64, "n": 900}],
...                      by=["year"], labels={"nl": {"tt": "TikTok"}})
>>> trend(r).slide.headline
'TikTok: van 22% (2019) naar 64% (2023)'
"""

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure
from scipy.optimize import isotonic_regression

from .. import i18n
from ..result import Result
from . import common as C
from . import headline as H
from . import text as T
from .data import is_percent
from .frame import style_axes, wrap
from .theme import Theme, get_theme

_END_GAP_PT = 10.0  # from a line's last point to its label


def trend(
    result: Result,
    lang: str = "nl",
    headline: str | None = None,
    theme: Theme | str | None = None,
    *,
    x: str | None = None,
    category: Any = None,
    decimals: int = 0,
    indicative_n: int | None = None,
    subtitle: str | None = None,
    ylim: tuple[float, float] | None = None,
) -> Figure:
    """Lines across waves (years) with confidence bands, one line per item.

    Each named at its end; of more than fit, the highest. ``x``: the wave variable; ``ylim``: the
    value range (shares: 0–100%); others as in :func:`~youthmedia.figures.charts.bars`.
    """
    lang, theme = i18n.check_lang(lang), get_theme(theme)
    no = "A trend needs a Result grouped by wave or year (by='year')."
    x = C._grouping(result, x, "trend", no)
    table, prefix = C._labelled_table(result, lang, category, indicative_n)
    waves = list(dict.fromkeys(table["group"]))
    try:  # waves that are numbers (years) in their order, else as they come
        waves = sorted(waves, key=lambda w: float(str(w).replace(",", ".")))
        positions = [float(str(w).replace(",", ".")) for w in waves]
    except ValueError:
        positions = [float(i) for i in range(len(waves))]
    series = list(dict.fromkeys(table["label"]))
    extra: list[str] = []
    head = H.trend(table, result, lang) if headline is None else str(headline)
    sub = subtitle if subtitle is not None else C._subtitle(result, table, lang, prefix)
    shown = table[table["estimate"].notna()].groupby("label", sort=False)["estimate"].last()
    last = {name: float(shown.get(name, -math.inf)) for name in series}
    usable = C._plot_pt(theme, head, sub, result, lang, ["x" * 80]) - 2.2 * theme.text_size
    used, keep = 0.0, []
    for name in sorted(series, key=lambda s: -last[s]):  # the highest whose end labels stack
        lines = _end_label(name, "100%", theme).count("\n") + 1
        used += theme.text_size * (1.42 + 1.2 * (lines - 1)) + 2
        if (used > usable and len(keep) >= 2) or len(keep) >= theme.max_series:
            break
        keep.append(name)
    if len(keep) < len(series):  # no more lines than their end labels can name legibly
        extra.append(i18n.t("truncated_note", lang, shown=len(keep), total=len(series)))
        series = [s for s in series if s in keep]
        table = table[table["label"].isin(series)].reset_index(drop=True)
        head = H.trend(table, result, lang) if headline is None else head
    asked, parts = table["reason"].map(lambda r: "not_asked" not in str(r).split(";")), []
    for name in series:  # the waves it was not asked in: a gap in its line, named in a note
        seen = set(table.loc[asked & (table["label"] == name), "group"])
        if missing := [w for w in waves if w not in seen]:
            parts.append(f"{name}: {i18n.t('not_asked_in', lang)} {i18n.join(missing, lang)}.")
    drop = {"", "not_asked"}
    codes = [";".join(c for c in str(r).split(";") if c not in drop) for r in table["reason"]]
    extra = [" ".join(parts), *extra] if parts else extra
    coded = table.assign(reason=codes)
    notes = T.footnotes(coded, result, lang, "band", indicative_n, extra=extra or None)
    colours, cats = theme.series_colours(series), [str(w) for w in waves]
    chart = C._chart_data("line", table, cats, series, colours, result, cat="group", ser="label")
    texts, by_label = (head, sub, notes), result.label(x, lang)
    draw = (_draw, table, waves, positions, series, colours, result, lang, decimals, ylim)
    return C._slide("trend", "alt_trend", result, lang, theme, texts, table, draw, by_label, chart)


def _draw(frame, ax, table, waves, positions, series, colours, result, lang, decimals, ylim):
    """The lines with their bands, the axes, and each line named at its end."""
    theme = frame.theme
    style_axes(ax, theme, value_axis="y")
    ax.spines["left"].set_visible(True)
    xs, ends = np.array(positions), []
    for name, colour in zip(series, colours, strict=True):  # band, line, indicative, hidden
        rows = table[table["label"] == name].set_index("group").reindex(waves)
        est, lo, hi = (rows[c].to_numpy(dtype=float) for c in ("estimate", "ci_low", "ci_high"))
        ok = ~np.isnan(est)
        band, ci = ok & ~np.isnan(lo) & ~np.isnan(hi), {"color": colour, "gid": "youthmedia-ci"}
        if band.any():
            ax.fill_between(xs, lo, hi, where=band, alpha=0.18, lw=0, **ci)  # where both ends
        line = {"lw": 3.5, "marker": "o", "ms": 10, "label": name, "gid": "youthmedia-line"}
        ax.plot(xs, est, color=colour, **line)
        ind = rows["indicative"].fillna(False).to_numpy(dtype=bool)
        if ind.any():
            style = {"ms": 10, "mfc": theme.background, "mec": colour, "mew": 2.5}
            ax.plot(xs[ind], est[ind], "o", gid="youthmedia-indicative", **style)
        lonely = band & ~np.r_[False, ok[:-1]] & ~np.r_[ok[1:], False]
        if lonely.any():  # a point without neighbours has no band: draw its interval
            ax.vlines(xs[lonely], lo[lonely], hi[lonely], lw=3, alpha=0.5, **ci)
        dash = {"ha": "center", "color": theme.text_colour(colour)}
        for i in np.flatnonzero(rows["suppressed"].fillna(False).to_numpy(dtype=bool)):
            near = [est[j] for j in (i - 1, i + 1) if 0 <= j < len(est) and ok[j]]  # not a gap
            y = float(np.mean(near)) if near else 0.5
            C._dash(ax, xs[i], y, theme, theme.text_size + 10, **dash)
        if ok.any():  # named at its last point
            i = np.flatnonzero(ok)[-1]
            value = C._value_text(est[i], result, lang, decimals, bool(ind[i]))
            text = _end_label(name, value, theme) if len(series) > 1 else value
            ends.append((xs[i], est[i], colour, text))
    percent = ylim is None and is_percent(result)  # shares on 0–100%: changes not exaggerated
    low, high = (0.0, 1.0) if percent else ylim or C._extent(table)
    if ylim is None and not percent:
        ticks = C._nice_ticks(high, low)
        low, high = min(low, ticks[0]), max(high, ticks[-1])
    ax.set_ylim(low, high + (high - low) * 0.03)
    ax.yaxis.set_major_formatter(C._formatter(result, lang))
    ax.set_xticks(positions, [str(w) for w in waves])
    fig, x_low, x_high = frame.fig, min(positions), max(positions)  # each line named at its end
    span = x_high - x_low if len(positions) > 1 else 1.0
    x0, x1 = x_low - span * 0.04, x_high + span * 0.04
    style = {"va": "center", "fontsize": theme.text_size, "fontweight": "bold", "in_layout": False}
    style |= {"textcoords": "offset points", "gid": "youthmedia-value", "annotation_clip": False}
    artists = [
        ax.annotate(txt, xy=(xe, ye), xytext=(_END_GAP_PT, 0), color=theme.text_colour(c), **style)
        for xe, ye, c, txt in ends
    ]
    ax.set_xlim(x0, x1)  # then widened to hold the labels as measured
    frame.fit(ax)
    renderer, to_pt = fig.canvas.get_renderer(), 72.0 / fig.dpi
    axes_w = ax.get_window_extent(renderer).width * to_pt
    sizes = [a.get_window_extent(renderer) for a in artists]
    need = x1 - x0
    for (xe, *_), size in zip(ends, sizes, strict=True):
        free = axes_w - _END_GAP_PT - size.width * to_pt - 4
        if free > axes_w * 0.2:
            need = max(need, (xe - x0) * axes_w / free)
    ax.set_xlim(x0, x0 + need)
    frame.fit(ax)
    box, data = ax.get_window_extent(renderer), ax.transData
    anchors = [data.transform((xe, ye)) for xe, ye, *_ in ends]
    starts = [float(a[0]) * to_pt + _END_GAP_PT for a in anchors]
    stops = [s + size.width * to_pt for s, size in zip(starts, sizes, strict=True)]
    placed = [float(a[1]) * to_pt for a in anchors]
    for group in overlapping_groups(starts, stops):
        heights = [sizes[i].height * to_pt for i in group]
        ys = repel([placed[i] for i in group], heights, box.y0 * to_pt, box.y1 * to_pt, gap=3.0)
        for i, y in zip(group, ys, strict=True):
            placed[i] = y
    back = data.inverted()
    for artist, (xe, *_), anchor, y in zip(artists, ends, anchors, placed, strict=True):
        artist.xy = (xe, float(back.transform((anchor[0], y / to_pt))[1]))


def _end_label(name: str, value: str, theme: Theme) -> str:
    """``WhatsApp 98%``: the series' name (at most two lines) and its last value."""
    width = (theme.width - 2 * theme.margin) * 72 * 0.22
    lines = wrap(name, width, theme.text_size, theme.font_family, "bold", max_lines=2)
    return "\n".join([*lines[:-1], f"{lines[-1]} {value}"])


def repel(
    targets: Sequence[float], heights: Sequence[float], low: float, high: float, gap: float = 2.0
) -> list[float]:
    """Centres near ``targets``, ``gap`` apart, in [low, high]: an isotonic least-squares fit."""
    order = np.lexsort((np.arange(len(targets)), np.asarray(targets, dtype=float)))
    h = np.asarray(heights, dtype=float)[order]
    offsets = np.r_[0.0, np.cumsum((h[:-1] + h[1:]) / 2 + gap)]
    z = isotonic_regression(np.asarray(targets, dtype=float)[order] - offsets).x
    lo, hi = low + h[0] / 2, high - offsets[-1] - h[-1] / 2
    z = np.full(len(z), (lo + hi) / 2) if hi < lo else np.clip(z, lo, hi)
    out = np.empty(len(z))
    out[order] = z + offsets
    return [float(v) for v in out]


def overlapping_groups(starts: Sequence[float], ends: Sequence[float]) -> list[list[int]]:
    """Indices of intervals grouped so that intervals overlapping (even through others) meet."""
    start, end = np.asarray(starts, dtype=float), np.asarray(ends, dtype=float)
    order = np.lexsort((np.arange(len(start)), start))
    breaks = np.flatnonzero(start[order][1:] >= np.maximum.accumulate(end[order])[:-1]) + 1
    return [sorted(map(int, g)) for g in np.split(order, breaks) if len(g)]
