"""What the chart types share: subtitles, label blocks, value axes, legends, the frame."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from .. import i18n
from ..errors import ConfigError
from ..result import Result
from . import text as T
from .data import is_difference, is_percent, plot_table, strip_common_prefix
from .frame import SlideFrame, tag_figure, text_width, wrap
from .headline import short_label
from .slide import ChartData
from .theme import Theme

_SUPPRESSED = "–"
_TREND_NAMES = ("wave", "golf", "year", "jaar", "meting", "ronde", "round", "date", "datum")


# -- shared pieces ------------------------------------------------------------------------------
def _subtitle(
    result: Result, table: pd.DataFrame, lang: str, prefix: str = "", by_label: str = ""
) -> str:
    title = result.meta.title
    row_vars = set(table["variable"])
    sets = [v for v in result.meta.variables if v not in row_vars]
    if title:
        text = i18n.text_in(title, lang)
    elif len(sets) == 1 and result.label(sets[0], lang) != sets[0]:
        text = result.label(sets[0], lang)  # the question of a multiple-response set
    elif prefix and prefix[:1].isupper() and (prefix.endswith("?") or len(prefix.split()) > 2):
        text = prefix
    else:
        variables = [v for v in dict.fromkeys(table["variable"]) if v]
        text = ""
        if len(variables) == 1:
            label = result.label(variables[0], lang)
            if label not in set(table["label"]) or short_label(label) != label:
                text = label  # the question, where the headline names only its topic
    if by_label:
        by_text = i18n.t("alt_by", lang, by=T.lower_first(by_label))
        text = f"{text} – {by_text}" if text else T.upper_first(by_text)
    return text


def _by_label(result: Result, by: str | None, lang: str) -> str:
    return result.label(by, lang) if by else ""


def _grouping(result: Result, by: str | None, what: str, example: str) -> str:
    """The one grouping a grouped chart (``what``) draws; a ConfigError without one."""
    groupings = ", ".join(result.by) or "none"
    if by is not None and by not in result.by:
        raise ConfigError(
            f"{by!r} is not a grouping of this Result; its groupings are {groupings}."
        )
    if len(result.by) > 1:
        raise ConfigError(
            f"This Result is grouped by {groupings}; a {what} shows one grouping: select the "
            "rows of one value of the others first."
        )
    if not result.by:
        raise ConfigError(example)
    return result.by[0]


def _labelled_table(
    result: Result, lang: str, category: Any, indicative_n: int | None
) -> tuple[pd.DataFrame, str]:
    """:func:`plot_table` without the labels' shared prefix (for the subtitle), and the prefix."""
    table = plot_table(result, lang, category, indicative_n)
    table["label"], prefix = strip_common_prefix(list(table["label"]))
    return table, prefix


def _ordered_items(table: pd.DataFrame, sort: bool | None) -> tuple[list[str], bool]:
    """The items (labels) in the order drawn and whether that is a ranking: by mean estimate,
    high first, when ``sort`` (default: for several variables), else as they come."""
    ranked = (table["variable"].nunique() > 1) if sort is None else sort
    items = list(dict.fromkeys(table["label"]))
    if ranked:
        means = table[~table["suppressed"]].groupby("label")["estimate"].mean()
        items = sorted(items, key=lambda lab: _rank(means, lab))
    return items, ranked


def _formatter(result: Result, lang: str, absolute: bool = False) -> FuncFormatter:
    percent = is_percent(result)
    difference = is_difference(result)

    def fmt(x: float, _pos: Any = None) -> str:
        x = abs(x) if absolute else x
        if difference:  # percentage points (or units) with their sign; the axis label says which
            return T.signed(x, result, lang, _decimals(100 * x if percent else x)) or "0"
        if percent:  # the precision a tick needs: 2.5% is "2,5%", never "3%"
            return i18n.number(100 * x, lang, _decimals(100 * x)) + "%"
        return i18n.number(x, lang, _decimals(x))

    return FuncFormatter(fmt)


def _decimals(x: float, most: int = 2) -> int:
    """The fewest decimals (up to ``most``) that show ``x`` exactly.

    Examples
    --------
    >>> _decimals(2.5), _decimals(5.0), _decimals(0.125)
    (1, 0, 2)
    """
    return next((d for d in range(most + 1) if abs(round(x, d) - x) < 1e-9), most)


def _nice_ticks(high: float, low: float = 0.0) -> list[float]:
    span = max(high - low, 1e-9)
    raw = span / 4
    mag = 10 ** math.floor(math.log10(raw))
    step = min((m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw), default=10 * mag)
    start = math.floor(low / step) * step
    return [round(start + i * step, 10) for i in range(int((high - start) / step + 1e-9) + 1)]


def _wrap_labels(
    labels: Sequence[str], theme: Theme, width_pt: float, max_lines: int = 2
) -> list[str]:
    return [
        "\n".join(wrap(lab, width_pt, theme.text_size, theme.font_family, max_lines=max_lines))
        for lab in labels
    ]


_LABEL_SHARE = 0.36  # at most this share of the plot's width for the category labels


def _label_block(labels: Sequence[str], theme: Theme) -> tuple[list[str], float, int]:
    """Category labels wrapped to the label column: (labels, widest line in pt, most lines)."""
    width = (theme.width - 2 * theme.margin) * 72 * _LABEL_SHARE
    wrapped = _wrap_labels(labels, theme, width)
    lines = [line for lab in wrapped for line in lab.split("\n")] or [""]
    widest = max(text_width(line, theme.text_size, theme.font_family) for line in lines)
    return wrapped, widest, max((lab.count("\n") + 1 for lab in wrapped), default=1)


def _per_row(base: float, lines: int) -> float:
    """Row pitch (in text sizes) for rows whose labels have ``lines`` lines."""
    return base if lines <= 1 else max(base, 1.2 * lines + 0.3)


def _finish(
    frame: SlideFrame,
    result: Result,
    alt_rows: pd.DataFrame,
    kind: str,
    alt_key: str,
    headline: str,
    subtitle: str,
    notes: list[str],
    lang: str,
    by_label: str = "",
    chart: ChartData | None = None,
) -> Figure:
    """Tag the figure with its Slide: texts, alt text and notes from ``alt_rows``."""
    what = i18n.t(alt_key, lang)
    if by_label and by_label.lower() not in subtitle.lower():
        what += " " + i18n.t("alt_by", lang, by=by_label)
    rows = [r for _, r in alt_rows.iterrows()]
    lines = [T.number_line(r, result, lang) for r in rows]
    full = [T.number_line(r, result, lang, with_n=True) for r in rows]
    source, caveats = T.source_line(result, lang), notes + T.design_notes(result, lang)
    alt, speaker = T.words(what, headline, subtitle, (lines, full), source, lang, caveats)
    fig = frame.fig
    return tag_figure(
        fig, kind, lang, result, headline, subtitle, source, notes, alt, speaker, chart
    )


def _chart_data(
    kind: str,
    table: pd.DataFrame,
    cats: list[str],
    series: list[str],
    colours: list[str],
    result: Result,
    cat: str = "label",
    ser: str = "group",
) -> ChartData:
    """The drawn ``table``: a series per ``ser`` value, a point per ``cat`` value, None if hidden."""
    shown = table[~table["suppressed"] & table["estimate"].notna()]
    cells = {(str(r[cat]), str(r[ser])): float(r["estimate"]) for _, r in shown.iterrows()}
    data = [
        (s, [cells.get((c, s)) for c in cats], col) for s, col in zip(series, colours, strict=True)
    ]
    return ChartData(kind, list(cats), data, is_percent(result))


def _frame(
    theme: Theme, headline: str, subtitle: str, result: Result, lang: str, notes: list[str]
) -> SlideFrame:
    """A slide frame with as many footnotes as leave the chart room (``notes`` shortened)."""
    kept, more = list(notes), []
    while True:
        shown = kept + more
        footer = [T.source_line(result, lang)] + (["  ·  ".join(shown)] if shown else [])
        try:
            frame = SlideFrame(theme, headline, subtitle, footer)
        except ConfigError:
            if not kept:
                raise
            kept, more = kept[:-1], [i18n.t("more_notes", lang)]
            continue
        notes[:] = shown
        return frame


def _in_order(table: pd.DataFrame, items: list[str], groups: list[str]) -> pd.DataFrame:
    """The rows item by item, each item's groups in order (for alt text and notes)."""
    ordered = table.assign(_i=table["label"].map(items.index), _g=table["group"].map(groups.index))
    return ordered.sort_values(["_i", "_g"]).drop(columns=["_i", "_g"])


def _headline(given: str | None, auto: Any) -> str:
    if given is None:
        return auto() if callable(auto) else str(auto)
    return str(given)


def _order_rows(table: pd.DataFrame, sort: bool) -> pd.DataFrame:
    if not sort:
        return table.reset_index(drop=True)
    shown = table[~table["suppressed"]].sort_values("estimate", ascending=False, kind="stable")
    return pd.concat([shown, table[table["suppressed"]]]).reset_index(drop=True)


def _rows_that_fit(
    theme: Theme,
    head: str,
    sub: str,
    result: Result,
    lang: str,
    notes: list[str],
    per_row: float,
    fixed_pt: float = 40.0,
) -> int:
    """How many rows of ``per_row`` × text size fit in the plot area (at least 3)."""
    more = i18n.t("truncated_note", lang, shown=99, total=99)
    probe = SlideFrame(
        theme, head, sub, [T.source_line(result, lang), "  ·  ".join([*notes, more])]
    )
    return max(3, int((probe.plot_height_in * 72 - fixed_pt) // (theme.text_size * per_row)))


def _keep_items(
    items: list, limit: int | None, fit: int, ranked: bool, lang: str, notes: list[str]
) -> list:
    """The first ``limit`` (at most ``fit``) items; a note says how many of how many."""
    limit = min(limit or fit, fit)
    if len(items) > limit:
        key = "truncated_note" if ranked else "rows_note"
        notes.append(i18n.t(key, lang, shown=limit, total=len(items)))
    return items[:limit]


def _value_text(x: float, result: Result, lang: str, decimals: int, indicative: bool) -> str:
    decimals = decimals if is_percent(result) else max(decimals, 1)
    out = (T.signed if is_difference(result) else T.value)(x, result, lang, decimals)
    return out + ("*" if indicative else "")


def _extent(table: pd.DataFrame) -> tuple[float, float]:
    ends = pd.concat([table["estimate"], table["ci_low"], table["ci_high"]]).dropna()
    if ends.empty:
        return 0.0, 1.0
    return float(min(0.0, ends.min())), float(max(0.0, ends.max()))


def _value_limits(
    result: Result, table: pd.DataFrame, ax_width_pt: float, label_pt: float
) -> tuple[float, float, list[float]]:
    low, high = _extent(table)
    if is_difference(result):
        ticks = _nice_ticks(high if high > 0 else 0.01, low)
        span = max(high - low, 1e-9)
        room = span * (label_pt + 12) / max(ax_width_pt - 2 * (label_pt + 12), 1.0)
        low = low - room if low < 0 else low
        return low, high + room, [t for t in ticks if low - 1e-9 <= t <= high + room]
    if is_percent(result):
        low, high = min(low, 0.0), max(high, 1.0) if high > 0.5 else high
        ticks = [t for t in (0, 0.25, 0.5, 0.75, 1.0) if t <= max(high, 0.25) + 1e-9]
        if high <= 0.5:
            ticks = _nice_ticks(high if high > 0 else 0.1)
            high = max(high, ticks[-1])
    else:
        ticks = _nice_ticks(high if high > 0 else 1.0, low)
        high = max(high, ticks[-1])
    span = high - low
    room = span * (label_pt + 12) / max(ax_width_pt - label_pt - 12, 1.0)
    return low, high + room, ticks


# -- ranked bars ---------------------------------------------------------------------------------
def _legend(ax: Axes, handles: list, labels: list[str], theme: Theme, width_pt: float) -> None:
    """A legend above the plot, in as many columns as fit in ``width_pt``."""
    size, family = theme.text_size, theme.font_family
    wrapped = [
        "\n".join(wrap(x, max(width_pt * 0.48, 120), size, family, max_lines=2)) for x in labels
    ]
    widths = [max(text_width(x, size, family) for x in lab.split("\n")) + 52 for lab in wrapped]
    n, ncols = len(labels), len(labels)
    while ncols > 1:  # matplotlib fills columns top down, the first n % ncols one entry longer
        q, r = divmod(n, ncols)
        starts = np.cumsum([0] + [q + 1] * r + [q] * (ncols - r))
        if sum(max(widths[starts[c] : starts[c + 1]]) for c in range(ncols)) <= width_pt:
            break
        ncols -= 1
    spacing = {"handlelength": 1.3, "handletextpad": 0.5, "borderaxespad": 0.2, "borderpad": 0.1}
    leg = ax.legend(
        handles,
        wrapped,
        loc="lower left",
        bbox_to_anchor=(0, 1.01),
        ncols=ncols,
        frameon=False,
        fontsize=size,
        columnspacing=1.0,
        labelcolor=theme.foreground,
        **spacing,
    )
    leg.set_gid("youthmedia-legend")


def _rank(means: pd.Series, label: str) -> float:
    """Sort key: the mean estimate, high first; items without any estimate last."""
    value = means.get(label, np.nan)
    return np.inf if pd.isna(value) else -float(value)
