"""Stacked bars for answer scales, coloured by what the scale means.

- **Agreement** scales (and other two-sided scales) *diverge* around their neutral middle:
  disagreement to the left in the warm hue, agreement to the right in the cool one.
- **Frequency, count and intensity** scales ("nooit … dagelijks", "0 times … 12 or more",
  "helemaal niet … heel erg") are *sequential*: one hue, more is darker, stacked from 0 to
  100%; "never" is the lightest, not a negative.

The kind is read from the answers (:func:`youthmedia.figures.headline.scale_kind`); the
headline follows :mod:`youthmedia.figures.headline` (frequency scales: "at least once").

Examples
--------
>>> sequential_colours(Theme.light(), 3)
['#D9EAF3', '#6CA0BC', '#005685']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator

from .. import i18n
from ..errors import ConfigError
from ..result import Result
from . import headline as H
from . import text as T
from .common import (
    _SUPPRESSED,
    _by_label,
    _finish,
    _formatter,
    _frame,
    _headline,
    _keep_items,
    _label_block,
    _legend,
    _per_row,
    _rows_that_fit,
    _subtitle,
    _value_text,
)
from .data import is_percent, plot_table, strip_common_prefix
from .frame import SlideFrame, style_axes, text_width
from .slide import ChartData
from .theme import Theme, _mix, get_theme

__all__ = ["diverging", "sequential_colours"]


def sequential_colours(theme: Theme, k: int) -> list[str]:
    """``k`` shades of the theme's primary colour, lightest first (one hue, more = darker)."""
    light, dark = _mix(theme.primary, theme.background, 0.85), _mix(theme.primary, "#000000", 0.25)
    if k == 1:
        return [theme.primary]
    return [_mix(light, dark, i / (k - 1)).upper() for i in range(k)]


def _side_colours(theme: Theme, n_neg: int, n_pos: int, neutral: bool) -> list[str]:
    strong_neg, light_neg, grey, light_pos, strong_pos = theme.diverging

    def ramp(a: str, b: str, k: int) -> list[str]:
        return [a] if k == 1 else [_mix(a, b, i / (k - 1)) for i in range(k)]

    return ramp(strong_neg, light_neg, n_neg) + ([grey] if neutral else []) + ramp(
        light_pos, strong_pos, n_pos)


@dataclass
class _Scale:
    cats: list[str]          # category codes, in the codebook's order
    labels: list[str]        # their labels
    kind: str                # agreement | frequency | intensity | other
    n_neg: int               # answers left of zero (diverging); 0 for sequential
    neutral: int | None      # the answer straddling zero
    upper: int               # index of the first answer the headline counts
    at_least: bool           # the headline counts "at least once"


def _scale(table: pd.DataFrame, result: Result, negative: int | None, neutral: Any) -> _Scale:
    cats = list(dict.fromkeys(table["category"]))
    labels = [str(table.loc[table["category"] == c, "category_label"].iloc[0]) for c in cats]
    k = len(cats)
    if k < 2:
        raise ConfigError("Stacked answer bars need an answer scale with at least two answers.")
    kind = H.scale_kind(labels)
    start = H.at_least(labels, result, str(table["variable"].iloc[0]))
    if negative is None and neutral == "auto" and kind in ("frequency", "intensity"):
        first = start if start is not None else k - k // 2
        return _Scale(cats, labels, kind, 0, None, first, start is not None)
    if neutral == "auto":
        neutral_i = k // 2 if k % 2 == 1 and negative is None else None
    elif neutral is None:
        neutral_i = None
    elif str(neutral) in cats or str(neutral) in labels:
        neutral_i = cats.index(str(neutral)) if str(neutral) in cats else labels.index(str(neutral))
    else:
        raise ConfigError(f"No answer {neutral!r} to use as neutral; answers: {', '.join(labels)}.")
    n_neg = negative if negative is not None else (neutral_i if neutral_i is not None else k // 2)
    if not 0 < n_neg < k:
        raise ConfigError(f"negative={n_neg} leaves no answers on one side of a {k}-answer scale.")
    if neutral_i is not None and neutral_i != n_neg:
        raise ConfigError("The neutral answer must come right after the negative ones.")
    upper = n_neg + (1 if neutral_i is not None else 0)
    if upper >= k:
        raise ConfigError("No answers are left for the upper side; lower negative=.")
    return _Scale(cats, labels, kind, n_neg, neutral_i, upper, False)


def _items(table: pd.DataFrame, scale: _Scale, multi: bool, sort: bool
           ) -> tuple[list[dict[str, Any]], str]:
    """One dict per bar (a variable, or a group of one variable): its shares and headline
    share, labels without their shared prefix (returned), sorted by share if ``sort``."""
    out = []
    for var, grp in dict.fromkeys(zip(table["variable"], table["group"], strict=True)):
        rows = table[(table["variable"] == var) & (table["group"] == grp)].set_index("category")
        rows = rows.reindex(scale.cats)
        item = str(rows["item_label"].dropna().iloc[0]) if rows["item_label"].notna().any() else var
        shares = rows["estimate"].to_numpy(dtype=float)
        hidden = bool(rows["suppressed"].fillna(True).any() or np.isnan(shares).any())
        share = float("nan") if hidden else float(np.nansum(shares[scale.upper:]))
        zero = rows.iloc[0]
        exact = scale.at_least and scale.upper == 1 and not hidden
        out.append({
            "label": (f"{item}: {grp}" if multi else grp) if grp else item, "variable": var,
            "shares": shares, "hidden": hidden, "rows": rows, "share": share,
            "indicative": bool(rows["indicative"].fillna(False).any()),
            "cats": scale.labels[scale.upper:], "at_least": scale.at_least,
            "n": zero["n"], "n_eff": zero["n_eff"],
            "se": zero["se"] if exact else float("nan"),   # 1 − p₀ has p₀'s SE
            "ci": (1 - zero["ci_high"], 1 - zero["ci_low"]) if exact and pd.notna(zero["ci_low"]) else None,
        })
    labels, prefix = strip_common_prefix([it["label"] for it in out])
    for it, lab in zip(out, labels, strict=True):
        it["label"] = lab
    if sort:
        out.sort(key=lambda it: -it["share"] if not np.isnan(it["share"]) else np.inf)
    return out, prefix


def _alt_rows(items: list[dict[str, Any]], scale: _Scale) -> pd.DataFrame:
    rows = []
    for it in items:
        for c, cl in zip(scale.cats, scale.labels, strict=True):
            row = it["rows"].loc[c].copy()
            row["label"], row["group"] = f"{it['label']}, {cl}", ""
            rows.append(row)
    out = pd.DataFrame(rows).reset_index(drop=True)
    out["suppressed"] = out["suppressed"].fillna(True).astype(bool)
    out["indicative"] = out["indicative"].fillna(False).astype(bool)
    return out


def diverging(result: Result, lang: str = "nl", headline: str | None = None,
              theme: Theme | str | None = None, *, negative: int | None = None,
              neutral: Any = "auto", sort: bool | None = None, decimals: int = 0,
              indicative_n: int | None = None, subtitle: str | None = None) -> Figure:
    """Stacked bars for answer scales: diverging for agreement, sequential for frequency.

    Each item (variable, or group of one variable) is one bar, its answers stacked in the
    codebook's order. On a two-sided scale the lower answers extend left of zero and the
    upper ones right, a middle (neutral) answer straddling zero; on a frequency, count or
    intensity scale the bar runs from 0 to 100% in shades of one hue, "never" lightest.

    Parameters
    ----------
    result : Result
        Shares of every answer of one or more items (each item's shares sum to 1).
    negative : int, optional
        How many of the lowest answers go left (forces a diverging chart); default: the lower
        half of a two-sided scale.
    neutral : "auto", None or category
        The middle answer that straddles zero: ``"auto"`` takes the middle one of an odd
        number of answers, ``None`` none.
    sort : bool, optional
        Sort items by their headline share; default True for several items.
    Other parameters as in :func:`youthmedia.figures.charts.bars`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    lang = i18n.check_lang(lang)
    theme = get_theme(theme)
    if not is_percent(result):
        raise ConfigError("Stacked answer bars show shares of answers; this Result holds "
                          f"{result.meta.kind} estimates. Use charts.bars instead.")
    if len(result.by) > 1:
        raise ConfigError(f"This Result is grouped by {', '.join(result.by)}; stacked answer bars "
                          "show one grouping at most: select the rows of one group first.")
    table = plot_table(result, lang, indicative_n=indicative_n, all_categories=True)
    scale = _scale(table, result, negative, neutral)
    variables = list(dict.fromkeys(table["variable"]))
    multi, by = len(variables) > 1, (result.by[0] if result.by else None)
    items, prefix = _items(table, scale, multi, multi if sort is None else sort)
    by_label = _by_label(result, by, lang)
    what = H.subject(result, variables[0], lang) if not multi else (prefix or _subtitle(
        result, table.assign(label=[""] * len(table)), lang, prefix))

    def auto_head() -> str:
        return H.diverging(items, result, lang, what, by_groups=bool(by) and not multi)

    extra: list[str] = []
    _, _, lines = _label_block([it["label"] for it in items], theme)
    with matplotlib.rc_context(theme.rc()):
        fit = _rows_that_fit(theme, _headline(headline, auto_head), subtitle or "x", result, lang,
                             ["x"], per_row=_per_row(1.9, lines), fixed_pt=90)
    keep = _keep_items(list(range(len(items))), None, fit, bool(multi), lang, extra)
    items = [items[i] for i in keep]
    alt_table = _alt_rows(items, scale)
    with matplotlib.rc_context(theme.rc()):
        head = _headline(headline, auto_head)
        sub = subtitle if subtitle is not None else _stacked_subtitle(result, table, lang, prefix,
                                                                      variables, multi, by_label)
        notes = T.footnotes(alt_table, result, lang, ci=None, indicative_n=indicative_n, extra=extra)
        frame = _frame(theme, head, sub, result, lang, notes)
        colours = (sequential_colours(theme, len(scale.cats)) if scale.n_neg == 0 else
                   _side_colours(theme, scale.n_neg, len(scale.cats) - scale.upper,
                                 scale.neutral is not None))
        _draw(frame.fig.add_subplot(), items, scale, colours, theme, frame, result, lang, decimals)
    chart = ChartData("stacked", [it["label"] for it in items], [
        (lab, [None if it["hidden"] else float(it["shares"][k]) for it in items], colour)
        for k, (lab, colour) in enumerate(zip(scale.labels, colours, strict=True))])
    return _finish(frame, result, alt_table, "diverging", "alt_diverging" if scale.n_neg
                   else "alt_stacked", head, sub, notes, lang, by_label=by_label, chart=chart)


def _stacked_subtitle(result: Result, table: pd.DataFrame, lang: str, prefix: str,
                      variables: list[str], multi: bool, by_label: str) -> str:
    if not multi and not by_label:
        return result.label(variables[0], lang)
    if not multi:
        return f"{result.label(variables[0], lang)} – " + i18n.t(
            "alt_by", lang, by=T.lower_first(by_label))
    return _subtitle(result, table.assign(label=[""] * len(table)), lang, prefix, by_label)


def _draw(ax: Axes, items: list[dict[str, Any]], scale: _Scale, colours: list[str], theme: Theme,
          frame: SlideFrame, result: Result, lang: str, decimals: int) -> None:
    """The bars: each answer a segment with its number where it fits; labels and legend."""
    style_axes(ax, theme)
    ylabels, label_w, _ = _label_block(
        [it["label"] + (" *" if it["indicative"] else "") for it in items], theme)
    width_pt = frame.plot_width_in * 72 - label_w - 30
    m = len(items)
    y = np.arange(m)[::-1].astype(float)
    starts = []
    for it in items:
        s = it["shares"]
        half = s[scale.neutral] / 2 if scale.neutral is not None else 0.0
        starts.append(None if it["hidden"] else -(float(np.sum(s[:scale.n_neg])) + half))
    if scale.n_neg == 0:   # sequential: 0 to 100%
        low, high = 0.0, 1.0
        ticks = [0, 0.25, 0.5, 0.75, 1.0]
    else:
        ext = max([max(-s, s + float(np.sum(it["shares"]))) for it, s in zip(items, starts, strict=True)
                   if s is not None] + [0.25])
        ticks = [t for t in (-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1) if abs(t) <= ext + 1e-9]
        low, high = -ext * 1.04, ext * 1.04
    per_pt = (high - low) / width_pt
    for i, (it, start) in enumerate(zip(items, starts, strict=True)):
        if start is None:
            ax.text((low + high) / 2, y[i], _SUPPRESSED, ha="center", va="center",
                    color=theme.missing, fontsize=theme.text_size + 4, fontweight="bold",
                    gid="youthmedia-suppressed")
            continue
        pos = start
        for colour, share in zip(colours, it["shares"], strict=True):
            # an indicative bar keeps its colours (its label has the "*"): faded segments
            # would lose the contrast of the numbers on them
            (patch,) = ax.barh(y[i], share, left=pos, height=0.7, color=colour,
                               edgecolor=theme.background, linewidth=1)
            patch.set_gid("youthmedia-segment")
            txt = _value_text(share, result, lang, decimals, False)
            if share / per_pt >= text_width(txt, theme.small_size) + 8:
                ax.text(pos + share / 2, y[i], txt, ha="center", va="center",
                        fontsize=theme.small_size, color=theme.text_on(colour), gid="youthmedia-value")
            pos += share
    if scale.n_neg:
        ax.axvline(0, color=theme.foreground, linewidth=1.5)
    ax.set_ylim(-0.6, m - 0.4)
    ax.set_xlim(low, high)
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(_formatter(result, lang, absolute=True))
    ax.set_yticks(np.arange(len(items))[::-1].astype(float), ylabels)
    _legend(ax, [Patch(facecolor=c, edgecolor=theme.grid) for c in colours], scale.labels, theme,
            width_pt)
