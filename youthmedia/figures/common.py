"""What the chart types share: subtitles, label blocks, value axes, legends, the frame."""

import math
from collections.abc import Sequence
from typing import Any

import matplotlib
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from .. import i18n
from ..errors import ConfigError
from ..result import Result
from . import text as T
from .data import is_difference, is_percent, plot_table, strip_common_prefix
from .frame import SlideFrame, text_width, wrap
from .headline import short_label
from .slide import ChartData, Slide
from .theme import Theme

_SUPPRESSED = "–"


def _subtitle(result, table, lang, prefix="", by_label="") -> str:
    sets = [v for v in result.meta.variables if v not in set(table["variable"])]
    variables = [v for v in dict.fromkeys(table["variable"]) if v]
    text = ""
    if result.meta.title:
        text = i18n.text_in(result.meta.title, lang)
    elif len(sets) == 1 and result.label(sets[0], lang) != sets[0]:
        text = result.label(sets[0], lang)  # the question of a multiple-response set
    elif prefix and prefix[:1].isupper() and (prefix.endswith("?") or len(prefix.split()) > 2):
        text = prefix
    elif len(variables) == 1:
        label = result.label(variables[0], lang)
        if label not in set(table["label"]) or short_label(label) != label:
            text = label  # the question, where the headline names only its topic
    if by_label:
        by_text = i18n.t("alt_by", lang, by=T.lower_first(by_label))
        text = f"{text} – {by_text}" if text else T.upper_first(by_text)
    return text


def _grouping(result: Result, by: str | None, what: str, example: str) -> str:
    """The one grouping a grouped chart (``what``) draws; a ConfigError without one."""
    groupings = ", ".join(result.by) or "none"
    if by is not None and by not in result.by:
        raise ConfigError(f"{by!r} is not a grouping of this Result; its groupings: {groupings}.")
    if len(result.by) > 1:
        raise ConfigError(
            f"This Result is grouped by {groupings}; a {what} shows one grouping: select the "
            "rows of one value of the others first."
        )
    if not result.by:
        raise ConfigError(example)
    return result.by[0]


def _labelled_table(result, lang, category, indicative_n) -> tuple[pd.DataFrame, str]:
    """:func:`plot_table` without the labels' shared prefix, and the prefix (for the subtitle)."""
    table = plot_table(result, lang, category, indicative_n)
    table["label"], prefix = strip_common_prefix(list(table["label"]))
    return table, prefix


def _formatter(result: Result, lang: str, absolute: bool = False) -> FuncFormatter:
    percent, difference = is_percent(result), is_difference(result)

    def fmt(x: float, _pos: Any = None) -> str:
        x = abs(x) if absolute else x
        if difference:  # percentage points (or units) with their sign; the axis label says which
            return T.signed(x, result, lang, _decimals(100 * x if percent else x)) or "0"
        if percent:  # the precision a tick needs: 2.5% is "2,5%", never "3%"
            return i18n.number(100 * x, lang, _decimals(100 * x)) + "%"
        return i18n.number(x, lang, _decimals(x))

    return FuncFormatter(fmt)


def _decimals(x: float, most: int = 2) -> int:
    """The fewest decimals (up to ``most``) that show ``x`` exactly."""
    return next((d for d in range(most + 1) if abs(round(x, d) - x) < 1e-9), most)


def _nice_ticks(high: float, low: float = 0.0) -> list[float]:
    raw = max(high - low, 1e-9) / 4
    mag = 10 ** math.floor(math.log10(raw))
    step = min((m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw), default=10 * mag)
    start = math.floor(low / step) * step
    return [round(start + i * step, 10) for i in range(int((high - start) / step + 1e-9) + 1)]


def _label_block(labels: Sequence[str], theme: Theme) -> tuple[list[str], float, int]:
    """Category labels wrapped to the label column: (labels, widest line in pt, most lines)."""
    width, size = (theme.width - 2 * theme.margin) * 72 * 0.36, theme.text_size  # 36% at most
    wrapped = ["\n".join(wrap(x, width, size, theme.font_family, max_lines=2)) for x in labels]
    lines = [line for lab in wrapped for line in lab.split("\n")] or [""]
    widest = max(text_width(line, theme.text_size, theme.font_family) for line in lines)
    return wrapped, widest, max((lab.count("\n") + 1 for lab in wrapped), default=1)


def _slide(
    kind, alt_key, result, lang, theme, texts, rows, draw, by_label="", chart=None, caveats=()
) -> Figure:
    """``draw`` (function, *args) in a frame with the footnotes that fit; its Slide on the figure."""
    head, sub, notes = texts
    source, kept, more = T.source_line(result, lang), list(notes), []
    with matplotlib.rc_context(theme.rc()):
        while True:
            footer = [source] + (["  ·  ".join(kept + more)] if kept + more else [])
            try:
                frame = SlideFrame(theme, head, sub, footer)
                break
            except ConfigError:
                if not kept:
                    raise
                kept, more = kept[:-1], [i18n.t("more_notes", lang)]
        ax = frame.fig.add_subplot()
        draw[0](frame, ax, *draw[1:])
        frame.fit(ax)
    what, notes = i18n.t(alt_key, lang), kept + more
    if by_label and by_label.lower() not in sub.lower():
        what += " " + i18n.t("alt_by", lang, by=by_label)
    lines = (rows, rows)
    if isinstance(rows, pd.DataFrame):
        rows = [r for _, r in rows.iterrows()]
        lines = [[T.number_line(r, result, lang, with_n=n) for r in rows] for n in (False, True)]
    pairs = (("notes_design", result.meta.design), ("notes_ci", result.meta.ci))
    caveats = [*notes, *caveats]
    caveats += [f"{i18n.t(k, lang)}: {i18n.text_in(v, lang)}" for k, v in pairs if v]
    alt, speaker = T.words(what, head, sub, lines, source, lang, caveats)
    slide = (head, sub, source, notes, alt, speaker, frame.fig, kind, lang, result)
    frame.fig.slide = Slide(*slide, chart=chart)
    frame.fig.set_label(f"youthmedia:{kind}")
    return frame.fig


def _chart_data(kind, table, cats, series, colours, result, cat="label", ser="group") -> ChartData:
    """The drawn ``table``: a series per ``ser`` value, a point per ``cat`` value, None if hidden."""
    shown = table[~table["suppressed"] & table["estimate"].notna()]
    keys = zip(shown[cat].astype(str), shown[ser].astype(str), strict=True)
    cells = dict(zip(keys, shown["estimate"].astype(float), strict=True))
    pairs = zip(series, colours, strict=True)
    data = [(s, [cells.get((c, s)) for c in cats], col) for s, col in pairs]
    return ChartData(kind, list(cats), data, is_percent(result))


def _in_order(table: pd.DataFrame, items: list[str], groups: list[str]) -> pd.DataFrame:
    """The rows item by item, each item's groups in order (for alt text and notes)."""
    pairs = zip(table["label"], table["group"], strict=True)
    keys = [(items.index(i), groups.index(g)) for i, g in pairs]
    return table.iloc[sorted(range(len(keys)), key=keys.__getitem__)].reset_index(drop=True)


def _plot_pt(theme: Theme, head: str, sub: str, result: Result, lang: str, notes: list) -> float:
    """The plot area's height (pt) under these texts, with room for a truncation note."""
    more = i18n.t("truncated_note", lang, shown=99, total=99)
    footer = [T.source_line(result, lang), "  ·  ".join([*notes, more])]
    return SlideFrame(theme, head, sub, footer).plot_height_in * 72


def _rows_that_fit(theme, head, sub, result, lang, notes, per_row, lines, fixed_pt) -> int:
    """How many rows of ``per_row`` text sizes (more for labels of several ``lines``) fit."""
    per_row = per_row if lines <= 1 else max(per_row, 1.2 * lines + 0.3)
    plot_pt = _plot_pt(theme, head, sub, result, lang, notes)
    return max(3, int((plot_pt - fixed_pt) // (theme.text_size * per_row)))


def _keep_items(items, limit, fit, ranked, lang, notes) -> list:
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


def _dash(ax: Axes, x: float, y: float, theme: Theme, size: float, **kw: Any) -> None:
    """The mark of a hidden (suppressed) number: a bold "–", never a zero bar."""
    kw = {"va": "center", "fontweight": "bold", "color": theme.missing, **kw}
    ax.text(x, y, _SUPPRESSED, fontsize=size, gid="youthmedia-suppressed", **kw)


def _extent(table: pd.DataFrame) -> tuple[float, float]:
    ends = pd.concat([table["estimate"], table["ci_low"], table["ci_high"]]).dropna()
    if ends.empty:
        return 0.0, 1.0
    return float(min(0.0, ends.min())), float(max(0.0, ends.max()))


def _legend(ax, colours, labels, theme, width_pt, dots=False, edge=None):
    """A legend above the plot (patches or ``dots``), in as many columns as fit in ``width_pt``."""
    dot = {"marker": "o", "markersize": 13, "linestyle": "none"}
    handles = [
        Line2D([], [], color=c, **dot) if dots else Patch(facecolor=c, edgecolor=edge)
        for c in colours
    ]
    size, family = theme.text_size, theme.font_family
    line_w = max(width_pt * 0.48, 120)
    wrapped = ["\n".join(wrap(x, line_w, size, family, max_lines=2)) for x in labels]
    widths = [max(text_width(x, size, family) for x in lab.split("\n")) + 52 for lab in wrapped]
    ncols = len(labels)  # entries read in rows, left to right: column c holds c, c + ncols, ...
    while ncols > 1 and sum(max(widths[c::ncols]) for c in range(ncols)) > width_pt:
        ncols -= 1
    # matplotlib fills columns top down, the first len % ncols one longer: hand it them so
    order = [i for c in range(ncols) for i in range(c, len(labels), ncols)]
    handles, wrapped = [handles[i] for i in order], [wrapped[i] for i in order]
    spacing = {"handlelength": 1.3, "handletextpad": 0.5, "borderaxespad": 0.2, "borderpad": 0.1}
    where = {"loc": "lower left", "bbox_to_anchor": (0, 1.01), "ncols": ncols, "frameon": False}
    text = {"fontsize": size, "labelcolor": theme.foreground, "columnspacing": 1.0}
    leg = ax.legend(handles, wrapped, **where, **spacing, **text)
    leg.set_gid("youthmedia-legend")


def hide_crowded_labels(plot: Any, height_pt: float, size: float, gap: float = 0.5) -> int:
    """Hide the overlapping labels of a python-pptx bar ``plot``, the largest kept; how many."""
    from lxml import etree
    from pptx.oxml.ns import qn

    series = [list(s.values) for s in plot.series]
    k, m = len(series), max((len(v) for v in series), default=0)
    bar = height_pt / max(m, 1) / (k + gap)
    points = sorted(
        ((v, (j * (k + gap) + gap / 2 + i + 0.5) * bar, i, j))
        for i, values in enumerate(series)
        for j, v in enumerate(values)
        if v is not None
    )[::-1]
    placed: list[float] = []
    for _v, y, i, j in points:
        if all(abs(y - p) >= 1.15 * size for p in placed):
            placed.append(y)
            continue
        label = plot.series[i].points[j].data_label._get_or_add_dLbl()
        for child in list(label)[1:]:  # keep its idx; <c:delete val="1"/> hides it
            label.remove(child)
        etree.SubElement(label, qn("c:delete")).set("val", "1")
    return len(points) - len(placed)
