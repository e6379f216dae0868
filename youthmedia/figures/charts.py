"""The standard chart types, each from a ``Result`` to a slide-ready ``matplotlib`` ``Figure``.

Every function takes a :class:`~youthmedia.result.Result` and returns a 16:9
``matplotlib.figure.Figure`` (object-oriented API, no pyplot state) with

- a headline stating the finding in words, generated from the Result (``headline=None``),
  replaced by your own (``headline="..."``) or left out (``headline=""``);
- a source line (``Bron: <dataset> <jaar>; n = 1.512; gewogen``) and footnotes;
- suppressed estimates drawn as "–" with a footnote, never as a zero bar (a Result that has not
  been through :func:`youthmedia.privacy.suppress` goes through it first); estimates on fewer
  than ``indicative_n`` (30) observations marked ``*`` as indicative and drawn lighter and
  hatched;
- all texts and number formats in ``lang`` (``"nl"``, the default, or ``"en"``).

Each figure carries these attributes, which the exports use:

``fig.youthmedia_alt_text``
    Alt text describing the chart and its main numbers (saved as ``.txt`` beside a PNG/SVG and
    set as the picture's description in a PowerPoint deck).
``fig.youthmedia_headline``, ``fig.youthmedia_subtitle``, ``fig.youthmedia_source``
    The texts on the figure.
``fig.youthmedia_notes``
    Speaker notes: every number with its interval and n, the source, the caveats.
``fig.youthmedia_result``, ``fig.youthmedia_lang``, ``fig.youthmedia_kind``
    The Result drawn, the language and the chart type.

Examples
--------
>>> from youthmedia.result import Result
>>> from youthmedia.figures import charts
>>> r = Result.from_rows(
...     [{"variable": "use_whatsapp", "category": "ja", "estimate": 0.97, "ci_low": 0.95,
...       "ci_high": 0.98, "n": 1512}],
...     labels={"nl": {"use_whatsapp": "WhatsApp"}}, source={"name": "Demo", "year": "2023"},
...     weighted=True, n_total=1512)
>>> fig = charts.big_number(r)
>>> fig.youthmedia_headline
'WhatsApp: bijna alle jongeren (97%)'
>>> fig.youthmedia_source
'Bron: Demo 2023; n = 1.512; gewogen'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, FuncFormatter

from .. import i18n
from ..errors import ConfigError
from ..result import Result
from . import text as T
from .data import is_difference, is_percent, plot_table, strip_common_prefix
from .frame import SlideFrame, style_axes, tag_figure, text_width, wrap
from .labels import overlapping_groups, repel
from .theme import Theme, _mix, get_theme

__all__ = ["auto", "bars", "big_number", "diverging", "grouped", "heatmap", "trend"]

_SUPPRESSED = "–"
_TREND_NAMES = ("wave", "golf", "year", "jaar", "meting", "ronde", "round", "date", "datum")


# -- shared pieces ------------------------------------------------------------------------------
def _subtitle(result: Result, table: pd.DataFrame, lang: str, prefix: str = "",
              by_label: str = "") -> str:
    title = result.meta.get("title")
    row_vars = set(table["variable"])
    sets = [v for v in result.meta.get("variables") or [] if v not in row_vars]
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
            if label not in set(table["label"]):
                text = label
    if by_label:
        by_text = i18n.t("alt_by", lang, by=T.lower_first(by_label))
        text = f"{text} – {by_text}" if text else T.upper_first(by_text)
    return text


def _by_label(result: Result, by: str | None, lang: str) -> str:
    return result.label(by, lang) if by else ""


def _check_by(result: Result, by: str | None, what: str) -> str | None:
    if by is None:
        if len(result.by) > 1:
            raise ConfigError(f"This Result is grouped by {', '.join(result.by)}; a {what} shows "
                              "one grouping: pass by= or select the rows of one group first.")
        return result.by[0] if result.by else None
    if by not in result.by:
        raise ConfigError(f"{by!r} is not a grouping of this Result; its groupings are "
                          f"{', '.join(result.by) or 'none'}.")
    if len(result.by) > 1:
        raise ConfigError(f"This Result is grouped by {', '.join(result.by)}; select the rows of "
                          f"one value of the others before drawing it by {by!r}.")
    return by


def _grouping(result: Result, by: str | None, what: str, example: str) -> str:
    """The one grouping a grouped chart (``what``) draws; a ConfigError without one."""
    by = _check_by(result, by, what)
    if by is None:
        raise ConfigError(example)
    return by


def _labelled_table(result: Result, lang: str, category: Any, indicative_n: int | None
                    ) -> tuple[pd.DataFrame, str]:
    """:func:`plot_table` with the labels' shared question prefix taken off (it goes to the
    subtitle): the table and the prefix."""
    table = plot_table(result, lang, category, indicative_n)
    labels, prefix = strip_common_prefix(list(table["label"]))
    table["label"] = labels
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
        if difference:   # percentage points (or units) with their sign; the axis label says which
            return T.signed(x, result, lang, 0 if percent or abs(x) >= 10 or x == int(x) else 1) or "0"
        if percent:
            return i18n.number(100 * x, lang, 0) + "%"
        return i18n.number(x, lang, 1 if abs(x) < 10 and x != int(x) else 0)

    return FuncFormatter(fmt)


def _nice_ticks(high: float, low: float = 0.0) -> list[float]:
    span = max(high - low, 1e-9)
    raw = span / 4
    mag = 10 ** math.floor(math.log10(raw))
    step = min((m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw), default=10 * mag)
    start = math.floor(low / step) * step
    return [round(start + i * step, 10) for i in range(int((high - start) / step + 1e-9) + 1)]


def _wrap_labels(labels: Sequence[str], theme: Theme, width_pt: float, max_lines: int = 2) -> list[str]:
    return ["\n".join(wrap(lab, width_pt, theme.text_size, theme.font_family, max_lines=max_lines))
            for lab in labels]


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


def _finish(frame: SlideFrame, result: Result, table: pd.DataFrame, kind: str, alt_key: str,
            headline: str, subtitle: str, notes: list[str], lang: str, by_label: str = "",
            alt_table: pd.DataFrame | None = None) -> Figure:
    alt_rows = table if alt_table is None else alt_table
    return tag_figure(
        frame.fig, kind, lang, result, headline, subtitle, T.source_line(result, lang), notes,
        T.alt_text(alt_key, headline, subtitle, alt_rows, result, lang, by_label=by_label),
        T.speaker_notes(headline, subtitle, alt_rows, result, lang, notes))


def _frame(theme: Theme, headline: str, subtitle: str, result: Result, lang: str,
           notes: list[str]) -> SlideFrame:
    footer = [T.source_line(result, lang)]
    if notes:
        footer.append("  ·  ".join(notes))
    return SlideFrame(theme, headline, subtitle, footer)


def _headline(given: str | None, auto: Any) -> str:
    if given is None:
        return auto() if callable(auto) else str(auto)
    return str(given)


def _order_rows(table: pd.DataFrame, sort: bool) -> pd.DataFrame:
    if not sort:
        return table.reset_index(drop=True)
    shown = table[~table["suppressed"]].sort_values("estimate", ascending=False, kind="stable")
    return pd.concat([shown, table[table["suppressed"]]]).reset_index(drop=True)


def _rows_that_fit(theme: Theme, head: str, sub: str, result: Result, lang: str,
                   notes: list[str], per_row: float, fixed_pt: float = 40.0) -> int:
    """How many rows of ``per_row`` × text size fit in the plot area (at least 3)."""
    probe = SlideFrame(theme, head, sub, [T.source_line(result, lang),
                                          "  ·  ".join([*notes, i18n.t("truncated_note", lang,
                                                                       shown=99, total=99)])])
    usable = probe.plot_height_in * 72 - fixed_pt
    return max(3, int(usable // (theme.text_size * per_row)))


def _keep_items(items: list[str], limit: int | None, fit: int, ranked: bool, lang: str,
                notes: list[str]) -> list[str]:
    limit = min(limit or fit, fit)
    if len(items) <= limit:
        return items
    notes.append(i18n.t("truncated_note" if ranked else "rows_note", lang, shown=limit,
                        total=len(items)))
    return items[:limit]


def _value_text(x: float, result: Result, lang: str, decimals: int, indicative: bool) -> str:
    if is_difference(result):
        out = T.signed(x, result, lang, decimals if is_percent(result) else max(decimals, 1))
        return out + ("*" if indicative else "")
    out = T.value(x, result, lang, decimals if is_percent(result) else max(decimals, 1))
    return out + ("*" if indicative else "")


def _extent(table: pd.DataFrame) -> tuple[float, float]:
    ends = pd.concat([table["estimate"], table["ci_low"], table["ci_high"]]).dropna()
    if ends.empty:
        return 0.0, 1.0
    return float(min(0.0, ends.min())), float(max(0.0, ends.max()))


def _value_limits(result: Result, table: pd.DataFrame, ax_width_pt: float, label_pt: float
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
def bars(result: Result, lang: str = "nl", headline: str | None = None,
         theme: Theme | str | None = None, *, category: Any = None, sort: bool | None = None,
         decimals: int = 0, indicative_n: int | None = None, max_rows: int | None = None,
         subtitle: str | None = None) -> Figure:
    """Horizontal bars with confidence-interval whiskers, ranked from high to low.

    For a share of several variables (the platforms of a multiple-response set: reach) each
    bar is a variable; for one variable with several answers each bar is an answer (kept in
    the codebook's order unless ``sort=True``). Means are drawn the same way on a number axis.

    Parameters
    ----------
    result : Result
        Without ``by`` groups (use :func:`grouped` or :func:`heatmap` for those).
    lang : {"nl", "en"}
    headline : str, optional
        ``None`` generates one from the Result; ``""`` leaves it out.
    theme : Theme or {"light", "dark"}, optional
    category : optional
        For several variables with several answers each: which answer to show.
    sort : bool, optional
        Rank from high to low; default True for several variables, False for the answers of one.
    decimals : int
        Decimals of the percentages written at the bars.
    indicative_n : int, optional
        Estimates on fewer observations are marked ``*`` as indicative; by default the
        threshold of :mod:`youthmedia.privacy` (30). Estimates below its ``min_n`` (10) are
        suppressed before drawing when the Result has not been through
        :func:`youthmedia.privacy.suppress`.
    max_rows : int, optional
        Show at most this many bars (the highest, when ranked); by default as many as fit
        legibly. A footnote says when rows were left out.
    subtitle : str, optional
        Replaces the generated subtitle (the question).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from youthmedia.result import Result
    >>> r = Result.from_rows([
    ...     {"variable": "use_youtube", "category": "ja", "estimate": 0.9, "ci_low": 0.88,
    ...      "ci_high": 0.92, "n": 900},
    ...     {"variable": "use_tiktok", "category": "ja", "estimate": 0.6, "ci_low": 0.57,
    ...      "ci_high": 0.63, "n": 900}], labels={"en": {"use_youtube": "YouTube", "use_tiktok": "TikTok"}})
    >>> bars(r, lang="en").youthmedia_headline
    'YouTube reaches more than three in four young people (90%)'
    """
    lang = i18n.check_lang(lang)
    theme = get_theme(theme)
    table, prefix = _labelled_table(result, lang, category, indicative_n)
    if result.by and table["groups"].map(len).gt(0).any() and table["group"].nunique() > 1:
        raise ConfigError(f"This Result is grouped by {', '.join(result.by)}; draw it with "
                          "charts.grouped or charts.heatmap, or select one group first.")
    multi = table["variable"].nunique() > 1
    difference = is_difference(result)
    table = _order_rows(table, multi if sort is None else sort)
    notes_extra: list[str] = []
    _, _, lines = _label_block(list(table["label"]), theme)
    auto_head = (lambda: T.headline_difference(table, result, lang)) if difference else \
        (lambda: T.headline_ranked(table, result, lang))
    with matplotlib.rc_context(theme.rc()):
        head = _headline(headline, auto_head)
        sub = subtitle if subtitle is not None else _subtitle(result, table, lang, prefix)
        # as many rows as fit legibly
        fit = _rows_that_fit(theme, head, sub, result, lang,
                             T.footnotes(table, result, lang, ci="bars", indicative_n=indicative_n),
                             per_row=_per_row(1.3, lines), fixed_pt=45 if difference else 30)
        ranked = multi if sort is None else sort
        order = list(range(len(table)))
        if difference and ranked:   # the largest changes either way, shown in signed order
            size = table["estimate"].abs().fillna(-1.0).to_numpy()
            order = sorted(order, key=lambda i: -size[i])
        keep = _keep_items(order, max_rows, fit, ranked, lang, notes_extra)
        if difference and len(keep) < len(table) and ranked:
            notes_extra[-1] = {"nl": "De {shown} grootste verschillen van {total} getoond",
                               "en": "The {shown} largest differences of {total} shown"}[
                lang].format(shown=len(keep), total=len(table))
        table = table.iloc[sorted(keep)].reset_index(drop=True)
        notes = T.footnotes(table, result, lang, ci="bars", indicative_n=indicative_n, extra=notes_extra)
        frame = _frame(theme, head, sub, result, lang, notes)
        ax = frame.fig.add_subplot()
        _draw_bars(ax, table, result, theme, frame, lang, decimals)
        if difference:
            ax.set_xlabel(_difference_axis(result, lang), color=theme.muted,
                          fontsize=theme.text_size, labelpad=8)
    return _finish(frame, result, table, "bars", "alt_bars", head, sub, notes, lang)


def _difference_axis(result: Result, lang: str) -> str:
    """The value axis of a difference: ``Verschil in procentpunten (2023 − 2019)``."""
    a, b = T._compared(result, lang)
    what = {"nl": "Verschil in procentpunten", "en": "Difference in percentage points"}[lang] \
        if is_percent(result) else {"nl": "Verschil", "en": "Difference"}[lang]
    return f"{what} ({b} − {a})" if a and b else what


def _draw_bars(ax: Axes, table: pd.DataFrame, result: Result, theme: Theme, frame: SlideFrame,
               lang: str, decimals: int) -> None:
    style_axes(ax, theme)
    n = len(table)
    y = np.arange(n)[::-1].astype(float)
    shown = (~table["suppressed"]) & table["estimate"].notna()
    labels, label_w, _ = _label_block([lab + (" *" if ind else "") for lab, ind in
                                       zip(table["label"], table["indicative"], strict=True)], theme)
    value_w = max([text_width(_value_text(v, result, lang, decimals, True), theme.text_size,
                              theme.font_family) for v in table["estimate"].dropna()] or [40.0])
    ax_w = frame.plot_width_in * 72 - label_w - 20
    low, high, ticks = _value_limits(result, table, ax_w, value_w)
    bar_h = 0.66
    light = _mix(theme.primary, theme.background, 0.45)
    for i in np.flatnonzero(shown.to_numpy()):
        row = table.iloc[i]
        indicative = bool(row["indicative"])
        colour = light if indicative else theme.primary
        (patch,) = ax.barh(y[i], row["estimate"], height=bar_h, color=colour, left=0,
                           edgecolor=theme.primary if indicative else colour, linewidth=1.5)
        if indicative:
            patch.set_hatch("//")
        patch.set_gid("youthmedia-bar")
    has_ci = shown & table["ci_low"].notna() & table["ci_high"].notna()
    if has_ci.any():
        idx = np.flatnonzero(has_ci.to_numpy())
        est = table["estimate"].to_numpy()[idx]
        lo, hi = table["ci_low"].to_numpy()[idx], table["ci_high"].to_numpy()[idx]
        container = ax.errorbar(est, y[idx], xerr=np.vstack([est - lo, hi - est]), fmt="none",
                                ecolor=theme.foreground, elinewidth=2, capsize=6, capthick=2)
        container.lines[2][0].set_gid("youthmedia-ci")
    pad = (high - low) * 0.012
    for i in range(n):
        row = table.iloc[i]
        if shown.iloc[i] and row["estimate"] < 0:   # a fall: its number left of its bar
            end = row["ci_low"] if pd.notna(row["ci_low"]) else row["estimate"]
            ax.text(min(end, row["estimate"]) - pad, y[i],
                    _value_text(row["estimate"], result, lang, decimals, row["indicative"]),
                    va="center", ha="right", fontsize=theme.text_size, color=theme.foreground,
                    gid="youthmedia-value")
        elif shown.iloc[i]:
            end = row["ci_high"] if pd.notna(row["ci_high"]) else row["estimate"]
            ax.text(max(end, row["estimate"]) + pad, y[i],
                    _value_text(row["estimate"], result, lang, decimals, row["indicative"]),
                    va="center", ha="left", fontsize=theme.text_size, color=theme.foreground,
                    gid="youthmedia-value")
        else:
            ax.text(max(low, 0) + pad, y[i], _SUPPRESSED, va="center", ha="left",
                    fontsize=theme.text_size + 10, fontweight="bold", color=theme.missing,
                    gid="youthmedia-suppressed")
    ax.set_yticks(y, labels)
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_xlim(low, high)
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(_formatter(result, lang))
    if low < 0:
        ax.axvline(0, color=theme.muted, linewidth=1)


# -- grouped bars and dot plots -----------------------------------------------------------------
def grouped(result: Result, lang: str = "nl", headline: str | None = None,
            theme: Theme | str | None = None, *, by: str | None = None, style: str = "bars",
            category: Any = None, sort: bool | None = None, decimals: int = 0,
            indicative_n: int | None = None, max_rows: int | None = None,
            subtitle: str | None = None) -> Figure:
    """Estimates by group (age band, gender): grouped horizontal bars or a dot plot.

    Parameters
    ----------
    result : Result
        Grouped by one variable (``by``).
    style : {"bars", "dots"}
        Grouped bars (with whiskers and, where there is room, the numbers) or dots with
        interval lines (better for many items or groups).
    Other parameters as in :func:`bars`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    lang = i18n.check_lang(lang)
    theme = get_theme(theme)
    if style not in ("bars", "dots"):
        raise ConfigError(f"Unknown style {style!r} for charts.grouped; use 'bars' or 'dots'.")
    by = _grouping(result, by, "grouped chart", "This Result has no groups; draw it with "
                   "charts.bars, or estimate it with by= (e.g. by='age_band').")
    table, prefix = _labelled_table(result, lang, category, indicative_n)
    items, ranked = _ordered_items(table, sort)
    groups = list(dict.fromkeys(table["group"]))
    by_label = _by_label(result, by, lang)
    extra: list[str] = []
    if len(groups) > theme.max_series:   # no colour twice: the groups highest on average
        note = i18n.t("truncated_note", lang, shown=theme.max_series, total=len(groups))
        extra.append(f"{by_label}: {T.lower_first(note)}")
        groups = _highest_groups(table, groups, theme.max_series)
        table = table[table["group"].isin(groups)].reset_index(drop=True)
    with matplotlib.rc_context(theme.rc()):
        head = _headline(headline, lambda: T.headline_groups(table, result, lang))
        sub = subtitle if subtitle is not None else _subtitle(result, table, lang, prefix, by_label)
        _, _, lines = _label_block(items, theme)
        per_item = 0.5 + 0.6 * len(groups) if style == "bars" else 1.1 + 0.15 * len(groups)
        per_item = _per_row(per_item, lines)
        fit = _rows_that_fit(theme, head, sub, result, lang,
                             T.footnotes(table, result, lang, ci="bars", indicative_n=indicative_n),
                             per_row=per_item, fixed_pt=80)
        items = _keep_items(items, max_rows, fit, ranked, lang, extra)
        table = table[table["label"].isin(items)].reset_index(drop=True)
        head = _headline(headline, lambda: T.headline_groups(table, result, lang))  # rows shown
        notes = T.footnotes(table, result, lang, ci="bars", indicative_n=indicative_n, extra=extra)
        frame = _frame(theme, head, sub, result, lang, notes)
        ax = frame.fig.add_subplot()
        _draw_grouped(ax, table, items, groups, result, theme, frame, lang, decimals, style)
    ordered = table.assign(_i=table["label"].map(items.index), _g=table["group"].map(groups.index))
    ordered = ordered.sort_values(["_i", "_g"]).drop(columns=["_i", "_g"])
    return _finish(frame, result, ordered, "grouped", "alt_dots" if style == "dots" else "alt_grouped",
                   head, sub, notes, lang, by_label=by_label)


def _highest_groups(table: pd.DataFrame, groups: list[str], k: int) -> list[str]:
    """The ``k`` groups with the highest mean estimate over the items shown, in their order."""
    means = table[~table["suppressed"]].groupby("group")["estimate"].mean()
    top = set(sorted(groups, key=lambda g: _rank(means, g))[:k])
    return [g for g in groups if g in top]


def _legend(ax: Axes, handles: list, labels: list[str], theme: Theme, width_pt: float) -> None:
    """A legend above the plot, in as many columns as fit in ``width_pt``."""
    n = len(labels)
    wrapped = ["\n".join(wrap(lab, max(width_pt * 0.48, 120), theme.text_size, theme.font_family,
                               max_lines=2)) for lab in labels]
    widths = [max(text_width(line, theme.text_size, theme.font_family) for line in lab.split("\n"))
              + 52 for lab in wrapped]  # handle, padding and column spacing
    ncols = n
    while ncols > 1:
        # matplotlib fills columns top to bottom; the first n % ncols columns get one more entry
        q, r = divmod(n, ncols)
        sizes = [q + 1] * r + [q] * (ncols - r)
        starts = np.cumsum([0, *sizes])
        cols = [widths[starts[c]:starts[c + 1]] for c in range(ncols)]
        if sum(max(c) for c in cols if c) <= width_pt:
            break
        ncols -= 1
    leg = ax.legend(handles, wrapped, loc="lower left", bbox_to_anchor=(0, 1.01), ncols=ncols,
                    frameon=False, fontsize=theme.text_size, handlelength=1.3, handletextpad=0.5,
                    borderaxespad=0.2, borderpad=0.1, columnspacing=1.0,
                    labelcolor=theme.foreground)
    leg.set_gid("youthmedia-legend")


def _draw_grouped(ax: Axes, table: pd.DataFrame, items: list[str], groups: list[str],
                  result: Result, theme: Theme, frame: SlideFrame, lang: str, decimals: int,
                  style: str) -> None:
    style_axes(ax, theme)
    k, m = len(groups), len(items)
    ylabels, label_w, _ = _label_block(items, theme)
    value_w = text_width(_value_text(0.999, result, lang, decimals, True), theme.text_size)
    low, high, ticks = _value_limits(result, table, frame.plot_width_in * 72 * 0.68, value_w)
    band = 0.8 if style == "bars" else 0.6
    h = band / k
    bar_pt = frame.plot_height_in * 72 * 0.8 / m * h
    show_values = style == "bars" and bar_pt >= theme.text_size * 1.05
    pad = (high - low) * 0.012
    handles = []
    for j, group in enumerate(groups):
        colour = theme.color(j)
        light = _mix(colour, theme.background, 0.45)
        handles.append(Patch(facecolor=colour, label=group) if style == "bars" else
                       matplotlib.lines.Line2D([], [], color=colour, marker="o", markersize=13,
                                               linestyle="none", label=group))
        rows = table[table["group"] == group]
        for _, row in rows.iterrows():
            i = items.index(row["label"])
            yc = (m - 1 - i) + band / 2 - (j + 0.5) * h
            if row["suppressed"] or pd.isna(row["estimate"]):
                ax.text(max(low, 0) + pad, yc, _SUPPRESSED, va="center", ha="left",
                        fontsize=theme.text_size + 2, fontweight="bold", color=theme.missing,
                        gid="youthmedia-suppressed")
                continue
            est, lo, hi = row["estimate"], row["ci_low"], row["ci_high"]
            ind = bool(row["indicative"])
            if style == "bars":
                (patch,) = ax.barh(yc, est, height=h * 0.92, color=light if ind else colour,
                                   edgecolor=colour, linewidth=1.2)
                if ind:
                    patch.set_hatch("//")
                patch.set_gid("youthmedia-bar")
            else:
                (dot,) = ax.plot([est], [yc], marker="o", markersize=13, linestyle="none",
                                 color=colour, markerfacecolor=light if ind else colour,
                                 markeredgewidth=2)
                dot.set_gid("youthmedia-dot")
            if pd.notna(lo) and pd.notna(hi):
                ci_colour = theme.foreground if style == "bars" else colour
                line = ax.hlines(yc, lo, hi, color=ci_colour, linewidth=2 if style == "bars" else 3)
                line.set_gid("youthmedia-ci")
            if show_values:
                end = hi if pd.notna(hi) else est
                ax.text(max(end, est) + pad, yc, _value_text(est, result, lang, decimals, ind),
                        va="center", ha="left", fontsize=theme.text_size, color=theme.foreground,
                        gid="youthmedia-value")
            elif ind:
                end = hi if pd.notna(hi) else est
                ax.text(max(end, est) + pad, yc, "*", va="center", ha="left",
                        fontsize=theme.text_size, color=theme.foreground, gid="youthmedia-flag")
    ax.set_yticks(np.arange(m)[::-1], ylabels)
    ax.set_ylim(-0.55, m - 0.45)
    ax.set_xlim(low, high)
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(_formatter(result, lang))
    _legend(ax, handles, groups, theme, frame.plot_width_in * 72 - label_w - 30)


# -- trend ---------------------------------------------------------------------------------------
def trend(result: Result, lang: str = "nl", headline: str | None = None,
          theme: Theme | str | None = None, *, x: str | None = None, category: Any = None,
          decimals: int = 0, indicative_n: int | None = None, subtitle: str | None = None,
          ylim: tuple[float, float] | None = None) -> Figure:
    """Lines across waves (years) with confidence bands, one line per item.

    Each line is named at its end with its last value (``WhatsApp 98%``; a single line only
    its value), in its colour, instead of a legend. Labels of lines that end close together are
    moved apart just enough not to touch (in points, so whatever the axis range) and stay
    inside the plot; when there are more lines than labels fit beside the plot or than the
    theme has distinct colours for (8), those highest at their last wave are drawn and a
    footnote says how many of how many.

    Parameters
    ----------
    result : Result
        Grouped by the wave variable (``x``; by default the Result's only ``by``).
    ylim : (float, float), optional
        Value-axis range; shares use the full 0–100% by default, so that changes are not
        exaggerated.
    Other parameters as in :func:`bars`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    lang = i18n.check_lang(lang)
    theme = get_theme(theme)
    x = _grouping(result, x, "trend", "A trend needs a Result grouped by wave or year (by='year').")
    table, prefix = _labelled_table(result, lang, category, indicative_n)
    waves = list(dict.fromkeys(table["group"]))
    try:
        positions = [float(str(w).replace(",", ".")) for w in waves]
    except ValueError:
        positions = [float(i) for i in range(len(waves))]
    series = list(dict.fromkeys(table["label"]))
    extra: list[str] = []
    with matplotlib.rc_context(theme.rc()):
        head = _headline(headline, lambda: T.headline_trend(table, result, lang))
        sub = subtitle if subtitle is not None else _subtitle(result, table, lang, prefix)
        if len(series) > 1:   # no more lines than their end labels can name legibly
            keep = _trend_series_that_fit(table, series, theme, head, sub, result, lang)
            if len(keep) < len(series):
                extra.append(i18n.t("truncated_note", lang, shown=len(keep), total=len(series)))
                series = [s for s in series if s in keep]
                table = table[table["label"].isin(series)].reset_index(drop=True)
                head = _headline(headline, lambda: T.headline_trend(table, result, lang))
        # a wave in which a question was not asked is a gap in its line, named in a footnote
        # (no "–" drawn at a made-up height)
        not_asked = _not_asked_note(table, waves, series, lang)
        coded = table.assign(reason=table["reason"].map(_without_not_asked))
        notes = T.footnotes(coded, result, lang, ci="band", indicative_n=indicative_n,
                            extra=[not_asked, *extra] if not_asked else extra or None)
        frame = _frame(theme, head, sub, result, lang, notes)
        ax = frame.fig.add_subplot()
        style_axes(ax, theme, value_axis="y")
        ax.spines["left"].set_visible(True)
        end_labels = []
        for s_i, name in enumerate(series):
            colour = theme.color(s_i)
            rows = table[table["label"] == name].set_index("group").reindex(waves)
            est = rows["estimate"].to_numpy(dtype=float)
            lo, hi = rows["ci_low"].to_numpy(dtype=float), rows["ci_high"].to_numpy(dtype=float)
            xs = np.array(positions)
            ok = ~np.isnan(est)
            band_ok = ok & ~np.isnan(lo) & ~np.isnan(hi)
            if band_ok.any():
                band = ax.fill_between(xs, np.where(band_ok, lo, np.nan), np.where(band_ok, hi, np.nan),
                                       where=band_ok, color=colour, alpha=0.18, linewidth=0,
                                       interpolate=False)
                band.set_gid("youthmedia-ci")
            (line,) = ax.plot(xs, est, color=colour, linewidth=3.5, marker="o", markersize=10,
                              label=name)
            line.set_gid("youthmedia-line")
            ind = rows["indicative"].fillna(False).to_numpy(dtype=bool)
            if ind.any():
                ax.plot(xs[ind], est[ind], linestyle="none", marker="o", markersize=10,
                        markerfacecolor=theme.background, markeredgecolor=colour,
                        markeredgewidth=2.5, gid="youthmedia-indicative")
            # "–" only where an estimate exists but is hidden (privacy), not for a gap
            sup = rows["suppressed"].fillna(False).to_numpy(dtype=bool)
            lonely = band_ok & ~np.r_[False, ok[:-1]] & ~np.r_[ok[1:], False]
            if lonely.any():  # a point without neighbours has no band: draw its interval
                ax.vlines(xs[lonely], lo[lonely], hi[lonely], color=colour, linewidth=3,
                          alpha=0.5, gid="youthmedia-ci")
            for i in np.flatnonzero(sup):
                near = [est[j] for j in (i - 1, i + 1) if 0 <= j < len(est) and ok[j]]
                yv = float(np.mean(near)) if near else 0.5
                ax.text(xs[i], yv, _SUPPRESSED, ha="center", va="center",
                        color=theme.text_colour(colour), fontsize=theme.text_size + 10, fontweight="bold", gid="youthmedia-suppressed")
            if ok.any():
                last = int(np.flatnonzero(ok)[-1])
                value = _value_text(est[last], result, lang, decimals, bool(ind[last]))
                end_labels.append((xs[last], est[last], colour,
                                   _end_label(name, value, theme) if len(series) > 1 else value))
        low, high = _extent(table)
        if ylim is not None:
            low, high = ylim
        elif is_percent(result):
            low, high = 0.0, 1.0
        else:
            ticks = _nice_ticks(high, low)
            low, high = min(low, ticks[0]), max(high, ticks[-1])
        ax.set_ylim(low, high + (high - low) * 0.03)
        ax.set_xticks(positions, [str(w) for w in waves])
        ax.yaxis.set_major_formatter(_formatter(result, lang))
        _place_end_labels(ax, frame, end_labels, positions, theme)
    return _finish(frame, result, table, "trend", "alt_trend", head, sub, notes, lang,
                   by_label=_by_label(result, x, lang))


_END_GAP_PT = 10.0      # from a line's last point to its label
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


def _trend_series_that_fit(table: pd.DataFrame, series: list[str], theme: Theme, head: str,
                           sub: str, result: Result, lang: str) -> list[str]:
    """The series whose end labels stack in the plot's height, and no more than the theme has
    distinct colours for (:attr:`Theme.max_series`, 8): all of them, or those with the highest
    last value when there are too many to name."""
    last: dict[str, float] = {}
    for name in series:
        rows = table[(table["label"] == name) & table["estimate"].notna()]
        last[name] = float(rows["estimate"].iloc[-1]) if len(rows) else -math.inf
    ranked = sorted(series, key=lambda s: -last[s])
    probe = SlideFrame(theme, head, sub, [T.source_line(result, lang), "  ·  ".join(
        ["x" * 80, i18n.t("truncated_note", lang, shown=99, total=99)])])
    usable = probe.plot_height_in * 72 - 2.2 * theme.text_size   # less the wave labels
    used, keep = 0.0, []
    for name in ranked:
        used += _end_label_height(_end_label(name, "100%", theme), theme) + 2
        if (used > usable and len(keep) >= 2) or len(keep) >= theme.max_series:
            break
        keep.append(name)
    return keep


def _place_end_labels(ax: Axes, frame: SlideFrame, end_labels: list[tuple], positions: list[float],
                      theme: Theme) -> None:
    """Write each line's label beside its last point, widen the x axis to hold the labels, and
    move labels of lines that end close together apart (in points, see
    :func:`youthmedia.figures.labels.repel`) so that no two touch."""
    fig = frame.fig
    x_low, x_high = min(positions), max(positions)
    span = x_high - x_low if len(positions) > 1 else 1.0
    x0 = x_low - span * 0.04
    artists = []
    for xe, ye, colour, txt in end_labels:
        artist = ax.annotate(txt, xy=(xe, ye), xytext=(_END_GAP_PT, 0), textcoords="offset points",
                             va="center", ha="left", fontsize=theme.text_size,
                             color=theme.text_colour(colour), fontweight="bold", gid="youthmedia-value", annotation_clip=False)
        artist.set_in_layout(False)   # placed inside the axes below; not part of the layout
        artists.append(artist)
    # a first guess of the x range, then the layout, then the exact range from measured widths
    room = max([text_width(line, theme.text_size, weight="bold") for a in artists
                for line in a.get_text().split("\n")] or [40.0]) + _END_GAP_PT + 6
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
        ys = repel([targets[i] for i in group], [heights[i] for i in group],
                   box.y0 * to_pt, box.y1 * to_pt, gap=3.0)
        for i, y in zip(group, ys, strict=True):
            placed[i] = y
    back = to_display.inverted()
    for artist, (xe, *_), anchor, y in zip(artists, end_labels, anchors, placed, strict=True):
        artist.xy = (xe, float(back.transform((anchor[0], y / to_pt))[1]))


def _without_not_asked(reason: str) -> str:
    return ";".join(c for c in str(reason).split(";") if c and c != "not_asked")


def _not_asked_note(table: pd.DataFrame, waves: list[str], series: list[str], lang: str) -> str:
    """``TikTok: niet gevraagd in 2015. BeReal: niet gevraagd in 2015 en 2019.`` for the waves
    of each line that have no estimate because the question was not asked there (or have no
    row at all)."""
    parts = []
    what = {"nl": "niet gevraagd in", "en": "not asked in"}[lang]
    for name in series:
        rows = table[table["label"] == name]
        asked = rows[~rows["reason"].map(lambda r: "not_asked" in str(r).split(";"))]
        missing = [w for w in waves if w not in set(asked["group"])]
        if missing:
            parts.append(f"{name}: {what} {i18n.join(missing, lang)}.")
    return " ".join(parts)


def _rank(means: pd.Series, label: str) -> float:
    """Sort key: the mean estimate, high first; items without any estimate last."""
    value = means.get(label, np.nan)
    return np.inf if pd.isna(value) else -float(value)


# -- diverging stacked bars ---------------------------------------------------------------------
def _side_colours(theme: Theme, n_neg: int, n_pos: int, neutral: bool) -> list[str]:
    strong_neg, light_neg, grey, light_pos, strong_pos = theme.diverging

    def ramp(a: str, b: str, k: int) -> list[str]:
        if k == 1:
            return [a]
        return [_mix(a, b, i / (k - 1)) for i in range(k)]

    out = ramp(strong_neg, light_neg, n_neg)
    if neutral:
        out.append(grey)
    out += ramp(light_pos, strong_pos, n_pos)
    return out


def diverging(result: Result, lang: str = "nl", headline: str | None = None,
              theme: Theme | str | None = None, *, negative: int | None = None,
              neutral: Any = "auto", sort: bool | None = None, decimals: int = 0,
              indicative_n: int | None = None, subtitle: str | None = None) -> Figure:
    """Diverging stacked bars for answer scales (frequency or Likert items).

    Each item (variable, or group of one variable) is one bar, its answers stacked in the
    codebook's order and centred so that the lower answers extend to the left and the upper
    ones to the right of zero; a middle (neutral) answer straddles zero.

    Parameters
    ----------
    result : Result
        Shares of every answer of one or more items (each item's shares sum to 1).
    negative : int, optional
        How many of the lowest answers go left; default: the lower half.
    neutral : "auto", None or category
        The middle answer that straddles zero: ``"auto"`` takes the middle one of an odd
        number of answers, ``None`` none.
    sort : bool, optional
        Sort items by their upper-side share; default True for several items.
    Other parameters as in :func:`bars`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    lang = i18n.check_lang(lang)
    theme = get_theme(theme)
    if not is_percent(result):
        raise ConfigError("Diverging bars show shares of answers; this Result holds "
                          f"{result.meta.get('kind')} estimates. Use charts.bars instead.")
    if len(result.by) > 1:
        raise ConfigError(f"This Result is grouped by {', '.join(result.by)}; diverging bars "
                          "show one grouping at most: select the rows of one group first.")
    table = plot_table(result, lang, indicative_n=indicative_n, all_categories=True)
    cats = list(dict.fromkeys(table["category"]))
    cat_labels = [str(table.loc[table["category"] == c, "category_label"].iloc[0]) for c in cats]
    k = len(cats)
    if k < 2:
        raise ConfigError("Diverging bars need an answer scale with at least two answers.")
    if neutral == "auto":
        neutral_i = k // 2 if k % 2 == 1 and negative is None else None
    elif neutral is None:
        neutral_i = None
    else:
        key = str(neutral)
        if key in cats:
            neutral_i = cats.index(key)
        elif key in cat_labels:
            neutral_i = cat_labels.index(key)
        else:
            raise ConfigError(f"No answer {neutral!r} to use as neutral; answers: {', '.join(cat_labels)}.")
    n_neg = negative if negative is not None else (neutral_i if neutral_i is not None else k // 2)
    if not 0 < n_neg < k:
        raise ConfigError(f"negative={n_neg} leaves no answers on one side of a {k}-answer scale.")
    if neutral_i is not None and neutral_i != n_neg:
        raise ConfigError("The neutral answer must come right after the negative ones.")
    n_pos = k - n_neg - (1 if neutral_i is not None else 0)
    if n_pos < 1:
        raise ConfigError("No answers are left for the upper side; lower negative=.")
    colours = _side_colours(theme, n_neg, n_pos, neutral_i is not None)
    variables = list(dict.fromkeys(table["variable"]))
    multi = len(variables) > 1
    by = result.by[0] if result.by else None
    item_keys = list(dict.fromkeys(zip(table["variable"], table["group"], strict=True)))
    item_rows = []
    for var, grp in item_keys:
        rows = table[(table["variable"] == var) & (table["group"] == grp)].set_index("category")
        rows = rows.reindex(cats)
        item = str(rows["item_label"].dropna().iloc[0]) if rows["item_label"].notna().any() else var
        label = (f"{item}: {grp}" if multi and grp else grp) if grp else item
        shares = rows["estimate"].to_numpy(dtype=float)
        hidden = bool(rows["suppressed"].fillna(True).any() or np.isnan(shares).any())
        ind = bool(rows["indicative"].fillna(False).any())
        upper = float(np.nansum(shares[k - n_pos:])) if not hidden else float("nan")
        item_rows.append({"label": label, "item": item, "shares": shares, "hidden": hidden,
                          "indicative": ind, "upper": upper, "rows": rows})
    labels, prefix = strip_common_prefix([r["label"] for r in item_rows])
    for r, lab in zip(item_rows, labels, strict=True):
        r["label"] = lab
    ranked = multi if sort is None else sort
    if ranked:
        item_rows.sort(key=lambda r: -r["upper"] if not math.isnan(r["upper"]) else np.inf)
    upper_labels = cat_labels[k - n_pos:]
    by_label = _by_label(result, by, lang)
    extra: list[str] = []
    ylabels, label_w, lines = _label_block(
        [r["label"] + (" *" if r["indicative"] else "") for r in item_rows], theme)
    with matplotlib.rc_context(theme.rc()):
        probe_head = _headline(headline, lambda: T.headline_diverging(
            [(r["label"], r["upper"], upper_labels) for r in item_rows], result, lang,
            by_groups=bool(by) and not multi))
        fit = _rows_that_fit(theme, probe_head, subtitle or "x", result, lang, ["x"],
                             per_row=_per_row(1.9, lines), fixed_pt=90)
    keep = _keep_items(list(range(len(item_rows))), None, fit, ranked, lang, extra)
    item_rows = [item_rows[i] for i in keep]
    ylabels = [ylabels[i] for i in keep]
    # the alt text / notes table: one row per item and answer
    alt = []
    for r in item_rows:
        for c, cl in zip(cats, cat_labels, strict=True):
            row = r["rows"].loc[c].copy()
            row["label"] = f"{r['label']}, {cl}"
            row["group"] = ""
            alt.append(row)
    alt_table = pd.DataFrame(alt).reset_index(drop=True)
    alt_table["suppressed"] = alt_table["suppressed"].fillna(True).astype(bool)
    alt_table["indicative"] = alt_table["indicative"].fillna(False).astype(bool)
    with matplotlib.rc_context(theme.rc()):
        head = _headline(headline, lambda: T.headline_diverging(
            [(r["label"], r["upper"], upper_labels) for r in item_rows], result, lang,
            by_groups=bool(by) and not multi))
        if not multi and not by:
            default_sub = result.label(variables[0], lang)
        else:
            default_sub = _subtitle(result, table.assign(label=[""] * len(table)), lang, prefix,
                                    by_label if multi else "")
            if not multi and by:
                default_sub = f"{result.label(variables[0], lang)} – " + i18n.t(
                    "alt_by", lang, by=T.lower_first(by_label))
        sub = subtitle if subtitle is not None else default_sub
        notes = T.footnotes(alt_table, result, lang, ci=None, indicative_n=indicative_n, extra=extra)
        frame = _frame(theme, head, sub, result, lang, notes)
        ax = frame.fig.add_subplot()
        style_axes(ax, theme)
        m = len(item_rows)
        y = np.arange(m)[::-1].astype(float)
        left_ext = right_ext = 0.0
        plot_w_pt = frame.plot_width_in * 72 - label_w - 30
        starts = []
        for r in item_rows:
            if r["hidden"]:
                starts.append(None)
                continue
            s = r["shares"]
            half = s[neutral_i] / 2 if neutral_i is not None else 0.0
            start = -(float(np.sum(s[:n_neg])) + half)
            starts.append(start)
            left_ext = max(left_ext, -start)
            right_ext = max(right_ext, start + float(np.sum(s)))
        ext = max(left_ext, right_ext, 0.25)
        ticks = [t for t in (-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1) if abs(t) <= ext + 1e-9]
        ext *= 1.04
        per_pt = 2 * ext / plot_w_pt
        for i, (r, start) in enumerate(zip(item_rows, starts, strict=True)):
            if start is None:
                ax.text(0, y[i], _SUPPRESSED, ha="center", va="center", color=theme.missing,
                        fontsize=theme.text_size + 4, fontweight="bold", gid="youthmedia-suppressed")
                continue
            pos = start
            for c_i, share in enumerate(r["shares"]):
                colour = colours[c_i]
                (patch,) = ax.barh(y[i], share, left=pos, height=0.7, color=colour,
                                   edgecolor=theme.background, linewidth=1,
                                   alpha=0.6 if r["indicative"] else 1.0)
                patch.set_gid("youthmedia-segment")
                txt = _value_text(share, result, lang, decimals, False)
                if share / per_pt >= text_width(txt, theme.small_size) + 8:
                    ax.text(pos + share / 2, y[i], txt, ha="center", va="center",
                            fontsize=theme.small_size, color=theme.text_on(colour),
                            gid="youthmedia-value")
                pos += share
        ax.axvline(0, color=theme.foreground, linewidth=1.5)
        ax.set_yticks(y, ylabels)
        ax.set_ylim(-0.6, m - 0.4)
        ax.set_xlim(-ext, ext)
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.xaxis.set_major_formatter(_formatter(result, lang, absolute=True))
        handles = [Patch(facecolor=c, edgecolor=theme.background) for c in colours]
        _legend(ax, handles, cat_labels, theme, frame.plot_width_in * 72 - label_w - 30)
    return _finish(frame, result, alt_table, "diverging", "alt_diverging", head, sub, notes, lang,
                   by_label=by_label)


# -- heatmap -------------------------------------------------------------------------------------
def heatmap(result: Result, lang: str = "nl", headline: str | None = None,
            theme: Theme | str | None = None, *, by: str | None = None, category: Any = None,
            sort: bool | None = None, decimals: int = 0, indicative_n: int | None = None,
            max_rows: int | None = None, subtitle: str | None = None) -> Figure:
    """A table of coloured cells: items (platforms) down, groups (age bands) across.

    Every cell carries its number; suppressed cells are grey with "–", indicative ones "*".

    Returns
    -------
    matplotlib.figure.Figure
    """
    lang = i18n.check_lang(lang)
    theme = get_theme(theme)
    by = _grouping(result, by, "heatmap",
                   "A heatmap needs a Result grouped by a variable (by='age_band').")
    table, prefix = _labelled_table(result, lang, category, indicative_n)
    items, ranked = _ordered_items(table, sort)
    groups = list(dict.fromkeys(table["group"]))
    by_label = _by_label(result, by, lang)
    extra: list[str] = []
    with matplotlib.rc_context(theme.rc()):
        head = _headline(headline, lambda: T.headline_groups(table, result, lang))
        sub = subtitle if subtitle is not None else _subtitle(result, table, lang, prefix, by_label)
        fit = _rows_that_fit(theme, head, sub, result, lang,
                             T.footnotes(table, result, lang, ci=None, indicative_n=indicative_n),
                             per_row=1.5, fixed_pt=50)
    items = _keep_items(items, max_rows, fit, ranked, lang, extra)
    table = table[table["label"].isin(items)].reset_index(drop=True)
    head = _headline(headline, lambda: T.headline_groups(table, result, lang))  # rows shown
    grid = np.full((len(items), len(groups)), np.nan)
    flags = np.zeros_like(grid, dtype=bool)
    hidden = np.zeros_like(grid, dtype=bool)
    for _, row in table.iterrows():
        i, j = items.index(row["label"]), groups.index(row["group"])
        grid[i, j] = row["estimate"]
        flags[i, j] = bool(row["indicative"])
        hidden[i, j] = bool(row["suppressed"]) or pd.isna(row["estimate"])
    with matplotlib.rc_context(theme.rc()):
        notes = T.footnotes(table, result, lang, ci=None, indicative_n=indicative_n, extra=extra)
        frame = _frame(theme, head, sub, result, lang, notes)
        ax = frame.fig.add_subplot()
        cmap = theme.sequential().with_extremes(bad=theme.missing)
        vmax = 1.0 if is_percent(result) else float(np.nanmax(grid)) if np.isfinite(grid).any() else 1.0
        vmin = 0.0 if is_percent(result) else min(0.0, float(np.nanmin(grid)) if np.isfinite(grid).any() else 0.0)
        image = ax.imshow(np.ma.masked_invalid(grid), cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto")
        image.set_gid("youthmedia-heatmap")
        for i in range(len(items)):
            for j in range(len(groups)):
                if hidden[i, j]:
                    ax.text(j, i, _SUPPRESSED, ha="center", va="center", fontsize=theme.text_size + 2,
                            fontweight="bold", color=theme.text_on(theme.missing),
                            gid="youthmedia-suppressed")
                    continue
                colour = cmap((grid[i, j] - vmin) / (vmax - vmin) if vmax > vmin else 0.5)
                ax.text(j, i, _value_text(grid[i, j], result, lang, decimals, flags[i, j]),
                        ha="center", va="center", fontsize=theme.text_size,
                        color=theme.text_on(matplotlib.colors.to_hex(colour)), gid="youthmedia-value")
        ax.set_xticks(range(len(groups)), _wrap_labels(groups, theme, frame.plot_width_in * 72 * 0.7
                                                       / max(len(groups), 1)))
        ax.set_yticks(range(len(items)), _label_block(items, theme)[0])
        ax.xaxis.tick_top()
        ax.tick_params(length=0, labelsize=theme.text_size, labelcolor=theme.foreground)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_xticks(np.arange(len(groups) + 1) - 0.5, minor=True)
        ax.set_yticks(np.arange(len(items) + 1) - 0.5, minor=True)
        ax.grid(which="minor", color=theme.background, linewidth=3)
        ax.tick_params(which="minor", length=0)
    ordered = table.assign(_i=table["label"].map(items.index), _g=table["group"].map(groups.index))
    ordered = ordered.sort_values(["_i", "_g"]).drop(columns=["_i", "_g"])
    return _finish(frame, result, ordered, "heatmap", "alt_heatmap", head, sub, notes, lang,
                   by_label=by_label)


# -- big number ----------------------------------------------------------------------------------
def big_number(result: Result, lang: str = "nl", headline: str | None = None,
               theme: Theme | str | None = None, *, variable: str | None = None,
               category: Any = None, group: Any = None, caption: str | None = None,
               decimals: int = 0, indicative_n: int | None = None, subtitle: str | None = None) -> Figure:
    """One number, large ("98%"), with what it counts and its interval underneath.

    The row shown is the first one left after selecting by ``variable``, ``category`` and
    ``group`` (the label of a ``by`` value).

    Returns
    -------
    matplotlib.figure.Figure
    """
    lang = i18n.check_lang(lang)
    theme = get_theme(theme)
    frame_rows = result
    if variable is not None:
        frame_rows = frame_rows[frame_rows["variable"] == variable]
        if len(frame_rows) == 0:
            raise ConfigError(f"No variable {variable!r} in this Result; it holds "
                              f"{', '.join(dict.fromkeys(result['variable']))}.")
    table = plot_table(frame_rows, lang, category, indicative_n)
    if group is not None:
        table = table[table["group"] == str(group)]
        if table.empty:
            raise ConfigError(f"No group {group!r} in this Result.")
    row = table.iloc[0]
    one = table.iloc[[0]].reset_index(drop=True)
    with matplotlib.rc_context(theme.rc()):
        label = row["label"] + (f" ({row['group']})" if row["group"] else "")
        one = one.assign(label=[label])
        head = _headline(headline, lambda: T.headline_ranked(one, result, lang))
        sub = subtitle if subtitle is not None else _subtitle(result, one, lang)
        notes = T.footnotes(one, result, lang, ci=None, indicative_n=indicative_n)
        frame = _frame(theme, head, sub, result, lang, notes)
        ax = frame.fig.add_subplot()
        ax.set_axis_off()
        hidden = bool(row["suppressed"]) or pd.isna(row["estimate"])
        big = _SUPPRESSED if hidden else _value_text(row["estimate"], result, lang, decimals,
                                                     bool(row["indicative"]))
        size = theme.big_size
        while size > theme.headline_size and text_width(big, size, weight="bold") > frame.plot_width_in * 72:
            size -= 10
        ax.text(0.0, 0.98, big, transform=ax.transAxes, ha="left", va="top", fontsize=size,
                fontweight="bold", color=theme.missing if hidden else theme.primary,
                gid="youthmedia-big")
        cap = caption if caption is not None else label
        lines = []
        if not hidden and pd.notna(row["ci_low"]) and pd.notna(row["ci_high"]):
            level = i18n.t("ci_short", lang, level=T._level(result, lang))
            rng = i18n.percent_range(row["ci_low"], row["ci_high"], lang, decimals) if is_percent(
                result) else f"{T.value(row['ci_low'], result, lang)}–{T.value(row['ci_high'], result, lang)}"
            lines.append(f"{level}: {rng}")
        if pd.notna(row["n"]):
            lines.append(i18n.t("n_equals", lang, n=i18n.integer(row["n"], lang)))
        cap_size = theme.subtitle_size * 1.4
        cap_lines = wrap(cap, frame.plot_width_in * 72, cap_size, max_lines=2)
        plot_pt = frame.plot_height_in * 72
        y = 0.98 - size * 1.1 / plot_pt
        ax.text(0.0, y, "\n".join(cap_lines), transform=ax.transAxes, ha="left", va="top",
                fontsize=cap_size, color=theme.foreground, gid="youthmedia-caption")
        y -= (len(cap_lines) * cap_size * 1.2 + theme.subtitle_size * 0.8) / plot_pt
        if lines:
            ax.text(0.0, y, "   ·   ".join(lines), transform=ax.transAxes, ha="left",
                    va="top", fontsize=theme.subtitle_size, color=theme.muted, gid="youthmedia-ci")
    return _finish(frame, result, one, "big_number", "alt_big", head, sub, notes, lang)


# -- choosing a chart -----------------------------------------------------------------------------
def auto(result: Result, lang: str = "nl", headline: str | None = None,
         theme: Theme | str | None = None, **options: Any) -> Figure:
    """The chart that fits the Result's shape.

    A Result grouped by a wave or year (``wave``, ``year``, ``jaar``, ``golf``) → :func:`trend`;
    grouped otherwise → :func:`grouped` (``style="dots"`` when there are more than 24 bars);
    several answers of one or more items of an answer scale → :func:`diverging` when
    ``options["scale"]`` is true; one row → :func:`big_number`; anything else → :func:`bars`.
    """
    scale = options.pop("scale", False)
    if scale:
        return diverging(result, lang, headline, theme, **options)
    if result.by:
        first = result.by[0].lower()
        if any(name in first for name in _TREND_NAMES):
            return trend(result, lang, headline, theme, **options)
        n_bars = len(result)
        options.setdefault("style", "dots" if n_bars > 24 else "bars")
        return grouped(result, lang, headline, theme, **options)
    if len(result) == 1:
        return big_number(result, lang, headline, theme, **options)
    return bars(result, lang, headline, theme, **options)
