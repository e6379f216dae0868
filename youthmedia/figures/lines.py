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

from __future__ import annotations

import math
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .. import i18n
from ..result import Result
from . import headline as H
from . import text as T
from .common import (
    _SUPPRESSED,
    _by_label,
    _chart_data,
    _extent,
    _finish,
    _formatter,
    _frame,
    _grouping,
    _headline,
    _labelled_table,
    _nice_ticks,
    _subtitle,
    _value_text,
)
from .data import is_percent
from .frame import SlideFrame, style_axes, text_width, wrap
from .labels import overlapping_groups, repel
from .theme import Theme, get_theme


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

    Each line is named at its end with its last value, labels moved apart just enough not to
    touch; with more lines than fit or than the theme has colours (8), the highest at the last
    wave are drawn and a footnote says so. ``x`` is the wave variable; ``ylim`` the value range
    (shares: 0–100%, so changes are not exaggerated); other parameters as in
    :func:`~youthmedia.figures.charts.bars`.
    """
    lang = i18n.check_lang(lang)
    theme = get_theme(theme)
    x = _grouping(result, x, "trend", "A trend needs a Result grouped by wave or year (by='year').")
    table, prefix = _labelled_table(result, lang, category, indicative_n)
    waves = list(dict.fromkeys(table["group"]))
    try:  # waves that are numbers (years) in their order, else as they come
        positions = sorted(float(str(w).replace(",", ".")) for w in waves)
        waves = sorted(waves, key=lambda w: float(str(w).replace(",", ".")))
    except ValueError:
        positions = [float(i) for i in range(len(waves))]
    series = list(dict.fromkeys(table["label"]))
    extra: list[str] = []
    with matplotlib.rc_context(theme.rc()):
        head = _headline(headline, lambda: H.trend(table, result, lang))
        sub = subtitle if subtitle is not None else _subtitle(result, table, lang, prefix)
        keep = _trend_series_that_fit(table, series, theme, head, sub, result, lang)
        if len(keep) < len(series):  # no more lines than their end labels can name legibly
            extra.append(i18n.t("truncated_note", lang, shown=len(keep), total=len(series)))
            series = [s for s in series if s in keep]
            table = table[table["label"].isin(series)].reset_index(drop=True)
            head = _headline(headline, lambda: H.trend(table, result, lang))
        notes = _trend_notes(table, waves, series, result, lang, indicative_n, extra)
        frame = _frame(theme, head, sub, result, lang, notes)
        colours = theme.series_colours(series)
        _draw(frame, table, waves, positions, series, colours, result, lang, decimals, ylim)
    chart = _chart_data(
        "line", table, [str(w) for w in waves], series, colours, result, cat="group", ser="label"
    )
    by_label = _by_label(result, x, lang)
    return _finish(
        frame, result, table, "trend", "alt_trend", head, sub, notes, lang, by_label, chart
    )


def _draw(
    frame: SlideFrame,
    table: pd.DataFrame,
    waves: list[str],
    positions: list[float],
    series: list[str],
    colours: list[str],
    result: Result,
    lang: str,
    decimals: int,
    ylim: tuple[float, float] | None,
) -> None:
    """The lines with their bands, the axes, and each line named at its end."""
    theme = frame.theme
    ax = frame.fig.add_subplot()
    style_axes(ax, theme, value_axis="y")
    ax.spines["left"].set_visible(True)
    xs = np.array(positions)
    ends = [
        _draw_line(
            ax,
            table[table["label"] == name].set_index("group").reindex(waves),
            xs,
            colour,
            theme,
            result,
            lang,
            decimals,
            name,
            len(series) > 1,
        )
        for name, colour in zip(series, colours, strict=True)
    ]
    _value_axis(ax, table, result, lang, ylim)
    ax.set_xticks(positions, [str(w) for w in waves])
    _place_end_labels(ax, frame, [e for e in ends if e], positions, theme)


def _draw_line(
    ax: Axes,
    rows: pd.DataFrame,
    xs: np.ndarray,
    colour: str,
    theme: Theme,
    result: Result,
    lang: str,
    decimals: int,
    name: str,
    named: bool,
) -> tuple | None:
    """One series: its band, line, indicative and hidden points; its end label (or None)."""
    est = rows["estimate"].to_numpy(dtype=float)
    lo, hi = rows["ci_low"].to_numpy(dtype=float), rows["ci_high"].to_numpy(dtype=float)
    ok = ~np.isnan(est)
    band_ok = ok & ~np.isnan(lo) & ~np.isnan(hi)
    if band_ok.any():
        band = ax.fill_between(
            xs,
            np.where(band_ok, lo, np.nan),
            np.where(band_ok, hi, np.nan),
            where=band_ok,
            color=colour,
            alpha=0.18,
            linewidth=0,
            interpolate=False,
        )
        band.set_gid("youthmedia-ci")
    (line,) = ax.plot(xs, est, color=colour, linewidth=3.5, marker="o", markersize=10, label=name)
    line.set_gid("youthmedia-line")
    ind = rows["indicative"].fillna(False).to_numpy(dtype=bool)
    if ind.any():
        ax.plot(
            xs[ind],
            est[ind],
            linestyle="none",
            marker="o",
            markersize=10,
            markerfacecolor=theme.background,
            markeredgecolor=colour,
            markeredgewidth=2.5,
            gid="youthmedia-indicative",
        )
    lonely = band_ok & ~np.r_[False, ok[:-1]] & ~np.r_[ok[1:], False]
    if lonely.any():  # a point without neighbours has no band: draw its interval
        ax.vlines(
            xs[lonely],
            lo[lonely],
            hi[lonely],
            color=colour,
            linewidth=3,
            alpha=0.5,
            gid="youthmedia-ci",
        )
    # "–" only where an estimate exists but is hidden (privacy), not for a gap
    for i in np.flatnonzero(rows["suppressed"].fillna(False).to_numpy(dtype=bool)):
        near = [est[j] for j in (i - 1, i + 1) if 0 <= j < len(est) and ok[j]]
        ax.text(
            xs[i],
            float(np.mean(near)) if near else 0.5,
            _SUPPRESSED,
            ha="center",
            va="center",
            color=theme.text_colour(colour),
            fontsize=theme.text_size + 10,
            fontweight="bold",
            gid="youthmedia-suppressed",
        )
    if not ok.any():
        return None
    last = int(np.flatnonzero(ok)[-1])
    value = _value_text(est[last], result, lang, decimals, bool(ind[last]))
    return xs[last], est[last], colour, _end_label(name, value, theme) if named else value


def _value_axis(
    ax: Axes, table: pd.DataFrame, result: Result, lang: str, ylim: tuple[float, float] | None
) -> None:
    """Shares on the full 0–100% (changes not exaggerated), other values on nice ticks."""
    low, high = _extent(table)
    if ylim is not None:
        low, high = ylim
    elif is_percent(result):
        low, high = 0.0, 1.0
    else:
        ticks = _nice_ticks(high, low)
        low, high = min(low, ticks[0]), max(high, ticks[-1])
    ax.set_ylim(low, high + (high - low) * 0.03)
    ax.yaxis.set_major_formatter(_formatter(result, lang))


_END_GAP_PT = 10.0  # from a line's last point to its label
_END_NAME_SHARE = 0.22  # a series name in an end label wraps at this share of the plot width


def _end_label(name: str, value: str, theme: Theme) -> str:
    """``WhatsApp 98%``: the series' name (wrapped to two lines at most) and its last value."""
    width = (theme.width - 2 * theme.margin) * 72 * _END_NAME_SHARE
    lines = wrap(name, width, theme.text_size, theme.font_family, "bold", max_lines=2)
    lines[-1] = f"{lines[-1]} {value}"
    return "\n".join(lines)


def _end_label_height(text: str, theme: Theme) -> float:
    """Height in points of an end label (matplotlib's line layout, as the frame measures it)."""
    lines = text.count("\n") + 1
    return theme.text_size * (1.17 + 1.2 * (lines - 1)) + 0.25 * theme.text_size


def _trend_series_that_fit(
    table: pd.DataFrame,
    series: list[str],
    theme: Theme,
    head: str,
    sub: str,
    result: Result,
    lang: str,
) -> list[str]:
    """The series whose end labels stack in the plot's height, and no more than the theme has
    distinct colours for (:attr:`Theme.max_series`, 8): all of them, or those with the highest
    last value when there are too many to name."""
    last: dict[str, float] = {}
    for name in series:
        rows = table[(table["label"] == name) & table["estimate"].notna()]
        last[name] = float(rows["estimate"].iloc[-1]) if len(rows) else -math.inf
    ranked = sorted(series, key=lambda s: -last[s])
    probe = SlideFrame(
        theme,
        head,
        sub,
        [
            T.source_line(result, lang),
            "  ·  ".join(["x" * 80, i18n.t("truncated_note", lang, shown=99, total=99)]),
        ],
    )
    usable = probe.plot_height_in * 72 - 2.2 * theme.text_size  # less the wave labels
    used, keep = 0.0, []
    for name in ranked:
        used += _end_label_height(_end_label(name, "100%", theme), theme) + 2
        if (used > usable and len(keep) >= 2) or len(keep) >= theme.max_series:
            break
        keep.append(name)
    return keep


def _place_end_labels(
    ax: Axes, frame: SlideFrame, end_labels: list[tuple], positions: list[float], theme: Theme
) -> None:
    """Write each line's label beside its last point, widen the x axis to hold the labels, and
    move labels of lines that end close together apart (in points, see
    :func:`youthmedia.figures.labels.repel`) so that no two touch."""
    fig = frame.fig
    x_low, x_high = min(positions), max(positions)
    span = x_high - x_low if len(positions) > 1 else 1.0
    x0 = x_low - span * 0.04
    artists = []
    for xe, ye, colour, txt in end_labels:
        artist = ax.annotate(
            txt,
            xy=(xe, ye),
            xytext=(_END_GAP_PT, 0),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize=theme.text_size,
            color=theme.text_colour(colour),
            fontweight="bold",
            gid="youthmedia-value",
            annotation_clip=False,
        )
        artist.set_in_layout(False)  # placed inside the axes below; not part of the layout
        artists.append(artist)
    # a first guess of the x range, then the layout, then the exact range from measured widths
    room = (
        max(
            [
                text_width(line, theme.text_size, weight="bold")
                for a in artists
                for line in a.get_text().split("\n")
            ]
            or [40.0]
        )
        + _END_GAP_PT
        + 6
    )
    guess_w = frame.plot_width_in * 72 * 0.9
    ax.set_xlim(x0, x_high + span * (0.04 + room / max(guess_w - room, 1.0)))
    if not artists:
        return
    engine = fig.get_layout_engine()
    engine.execute(fig)
    renderer = fig.canvas.get_renderer()
    to_pt = 72.0 / fig.dpi
    box = ax.get_window_extent(renderer)
    axes_w = box.width * to_pt
    sizes = [a.get_window_extent(renderer) for a in artists]
    need = x_high + span * 0.04 - x0
    for (xe, *_), size in zip(end_labels, sizes, strict=True):
        free = axes_w - _END_GAP_PT - size.width * to_pt - 4
        if free > axes_w * 0.2:
            need = max(need, (xe - x0) * axes_w / free)
    ax.set_xlim(x0, x0 + need)
    engine.execute(fig)
    box = ax.get_window_extent(renderer)
    to_display = ax.transData
    anchors = [to_display.transform((xe, ye)) for xe, ye, *_ in end_labels]
    starts = [float(a[0]) * to_pt + _END_GAP_PT for a in anchors]
    ends = [s + size.width * to_pt for s, size in zip(starts, sizes, strict=True)]
    heights = [size.height * to_pt for size in sizes]
    targets = [float(a[1]) * to_pt for a in anchors]
    placed = list(targets)
    for group in overlapping_groups(starts, ends):
        ys = repel(
            [targets[i] for i in group],
            [heights[i] for i in group],
            box.y0 * to_pt,
            box.y1 * to_pt,
            gap=3.0,
        )
        for i, y in zip(group, ys, strict=True):
            placed[i] = y
    back = to_display.inverted()
    for artist, (xe, *_), anchor, y in zip(artists, end_labels, anchors, placed, strict=True):
        artist.xy = (xe, float(back.transform((anchor[0], y / to_pt))[1]))


def _trend_notes(
    table: pd.DataFrame,
    waves: list[str],
    series: list[str],
    result: Result,
    lang: str,
    indicative_n: int | None,
    extra: list[str],
) -> list[str]:
    """The footnotes; a wave in which a question was not asked is a gap in its line, named
    here (no "–" drawn at a made-up height)."""
    not_asked = _not_asked_note(table, waves, series, lang)
    coded = table.assign(
        reason=table["reason"].map(
            lambda r: ";".join(c for c in str(r).split(";") if c and c != "not_asked")
        )
    )
    return T.footnotes(
        coded,
        result,
        lang,
        ci="band",
        indicative_n=indicative_n,
        extra=[not_asked, *extra] if not_asked else extra or None,
    )


def _not_asked_note(table: pd.DataFrame, waves: list[str], series: list[str], lang: str) -> str:
    """``TikTok: niet gevraagd in 2015. BeReal: niet gevraagd in 2015 en 2019.`` for the waves
    of each line that have no estimate because the question was not asked there (or have no
    row at all)."""
    parts = []
    what = i18n.t("not_asked_in", lang)
    for name in series:
        rows = table[table["label"] == name]
        asked = rows[~rows["reason"].map(lambda r: "not_asked" in str(r).split(";"))]
        missing = [w for w in waves if w not in set(asked["group"])]
        if missing:
            parts.append(f"{name}: {what} {i18n.join(missing, lang)}.")
    return " ".join(parts)
