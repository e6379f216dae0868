"""Stacked bars for answer scales: two-sided (agreement) scales diverge around their middle;
others are one hue, more darker.

Examples
--------
>>> sequential_colours(Theme.light(), 3)
['#D9EAF3', '#6CA0BC', '#005685']
"""

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator

from .. import i18n
from ..errors import ConfigError
from ..result import Result
from . import common as C
from . import headline as H
from . import text as T
from .data import at_least, is_percent, plot_table, scale_kind, strip_common_prefix
from .frame import style_axes, text_width
from .slide import ChartData
from .theme import Theme, _mix, get_theme, ramp


def sequential_colours(theme: Theme, k: int) -> list[str]:
    """``k`` shades of the theme's primary colour, lightest first (one hue, more = darker)."""
    light, dark = _mix(theme.primary, theme.background, 0.85), _mix(theme.primary, "#000000", 0.25)
    return [theme.primary] if k == 1 else [c.upper() for c in ramp(light, dark, k)]


@dataclass
class _Scale:
    cats: list[str]  # category codes, in the codebook's order
    labels: list[str]  # their labels
    n_neg: int  # answers left of zero (diverging); 0 for sequential
    neutral: int | None  # the answer straddling zero
    upper: int  # index of the first answer the headline counts
    at_least: bool  # the headline counts "at least once"

    def colours(self, theme: Theme) -> list[str]:
        """Sequential shades, or the two sides' ramps around a grey middle."""
        if self.n_neg == 0:
            return sequential_colours(theme, len(self.cats))
        strong_neg, light_neg, grey, light_pos, strong_pos = theme.diverging
        middle = [grey] if self.neutral is not None else []
        pos = ramp(light_pos, strong_pos, len(self.cats) - self.upper)
        return ramp(strong_neg, light_neg, self.n_neg) + middle + pos


def _scale(table: pd.DataFrame, result: Result, negative: int | None, neutral: Any) -> _Scale:
    """The answers and where they sit: sequential unless two-sided or ``negative`` is given."""
    cats = list(dict.fromkeys(table["category"]))
    labels = [str(table.loc[table["category"] == c, "category_label"].iloc[0]) for c in cats]
    k = len(cats)
    if k < 2:
        raise ConfigError("Stacked answer bars need an answer scale with at least two answers.")
    start = at_least(labels, result, str(table["variable"].iloc[0]))
    if negative is None and neutral == "auto" and scale_kind(labels) != "agreement":
        first = start if start is not None else k - k // 2
        return _Scale(cats, labels, 0, None, first, start is not None)
    if neutral == "auto":
        neutral_i = k // 2 if k % 2 == 1 and negative is None else None
    elif neutral is not None and str(neutral) not in cats + labels:
        raise ConfigError(f"No answer {neutral!r} to use as neutral; answers: {', '.join(labels)}.")
    else:  # a code, else a label
        neutral_i = None if neutral is None else (cats + labels).index(str(neutral)) % k
    n_neg = negative if negative is not None else (neutral_i if neutral_i is not None else k // 2)
    if not 0 < n_neg < k:
        raise ConfigError(f"negative={n_neg} leaves no answers on one side of a {k}-answer scale.")
    if neutral_i is not None and neutral_i != n_neg:
        raise ConfigError("The neutral answer must come right after the negative ones.")
    upper = n_neg + (neutral_i is not None)
    if upper >= k:
        raise ConfigError("No answers are left for the upper side; lower negative=.")
    return _Scale(cats, labels, n_neg, neutral_i, upper, False)


def diverging(
    result: Result,
    lang: str = "nl",
    headline: str | None = None,
    theme: Theme | str | None = None,
    *,
    negative: int | None = None,
    neutral: Any = "auto",
    sort: bool | None = None,
    decimals: int = 0,
    indicative_n: int | None = None,
    subtitle: str | None = None,
) -> Figure:
    """Stacked bars for answer scales: diverging for two-sided scales, else sequential.

    A bar per variable (or group). ``negative``: answers left of zero; ``neutral`` (``"auto"``:
    the middle of an odd number; ``None``; or an answer) straddles zero; ``sort`` by headline
    share (default for several); others as in :func:`~youthmedia.figures.charts.bars`.
    """
    lang, theme = i18n.check_lang(lang), get_theme(theme)
    if not is_percent(result):
        raise ConfigError(f"Stacked bars show shares, not {result.meta.kind} estimates; use bars.")
    by = C._grouping(result, None, "stacked answer bar", "") if result.by else None
    table = plot_table(result, lang, indicative_n=indicative_n, all_categories=True)
    scale = _scale(table, result, negative, neutral)
    variables, multi = list(dict.fromkeys(table["variable"])), table["variable"].nunique() > 1
    items = []
    for (var, grp), rows in table.groupby(["variable", "group"], sort=False):  # a bar each
        rows = rows.set_index("category").reindex(scale.cats)
        item = str(rows["item_label"].dropna().iloc[0]) if rows["item_label"].notna().any() else var
        shares = rows["estimate"].to_numpy(dtype=float)
        hidden = bool(rows["suppressed"].fillna(True).any() or np.isnan(shares).any())
        label = (f"{item}: {grp}" if multi else grp) if grp else item
        share = float("nan") if hidden else float(np.nansum(shares[scale.upper :]))
        it = dict(label=label, shares=shares, hidden=hidden, rows=rows, share=share)
        it |= dict(cats=scale.labels[scale.upper :], at_least=scale.at_least)
        items.append(it | {"indicative": bool(rows["indicative"].fillna(False).any())})
    labels, prefix = strip_common_prefix([it["label"] for it in items])
    for it, lab in zip(items, labels, strict=True):
        it["label"] = lab
    if multi if sort is None else sort:  # by the share the headline counts, none last
        items.sort(key=lambda it: -it["share"] if not np.isnan(it["share"]) else np.inf)
    by_label, blank = result.label(by, lang) if by else "", table.assign(label="")
    sub = C._subtitle(result, blank, lang, prefix, by_label) if subtitle is None else subtitle
    what = prefix or C._subtitle(result, blank, lang, prefix)
    what = what if multi else H.subject(result, variables[0], lang)
    by_groups, extra = bool(by) and not multi, []
    lines = C._label_block([it["label"] for it in items], theme)[2]
    head = H.diverging(items, result, lang, what, by_groups) if headline is None else str(headline)
    fit = C._rows_that_fit(theme, head, subtitle or "x", result, lang, ["x"], 1.9, lines, 90)
    items = C._keep_items(items, None, fit, multi, lang, extra)
    rows = [it["rows"].assign(label=[f"{it['label']}, {c}" for c in scale.labels]) for it in items]
    alt_table = pd.concat(rows, ignore_index=True).assign(group="")  # "item, answer" a row
    alt_table = alt_table.fillna({"suppressed": True, "indicative": False})
    alt_table = alt_table.astype({"suppressed": bool, "indicative": bool})
    head = H.diverging(items, result, lang, what, by_groups) if headline is None else head
    notes = T.footnotes(alt_table, result, lang, None, indicative_n, extra=extra)
    cells = [[None if it["hidden"] else float(x) for x in it["shares"]] for it in items]
    cells = [list(answer) for answer in zip(*cells, strict=True)]  # a series per answer
    series = list(zip(scale.labels, cells, scale.colours(theme), strict=True))
    chart = ChartData("stacked", [it["label"] for it in items], series)
    alt = "alt_diverging" if scale.n_neg else "alt_stacked"
    texts, draw = (head, sub, notes), (_draw, items, scale, result, lang, decimals)
    return C._slide("diverging", alt, result, lang, theme, texts, alt_table, draw, by_label, chart)


def _draw(frame, ax, items, scale, result, lang, decimals) -> None:
    """The bars: each answer a segment with its number where it fits; labels and legend."""
    theme, m = frame.theme, len(items)
    style_axes(ax, theme)
    colours = scale.colours(theme)
    labels = [it["label"] + (" *" if it["indicative"] else "") for it in items]
    ylabels, label_w, _ = C._label_block(labels, theme)
    width_pt = frame.plot_width_in * 72 - label_w - 30
    starts = []  # each bar starts left of zero by its negative answers and half its neutral one
    for it in items:
        s = it["shares"]
        half = s[scale.neutral] / 2 if scale.neutral is not None else 0.0
        starts.append(None if it["hidden"] else -(float(np.sum(s[: scale.n_neg])) + half))
    low, high, ticks = 0.0, 1.0, [0, 0.25, 0.5, 0.75, 1]
    if scale.n_neg:  # two-sided: around zero
        shown = [(it, x) for it, x in zip(items, starts, strict=True) if x is not None]
        ext = max([max(-x, x + float(np.sum(it["shares"]))) for it, x in shown] + [0.25])
        ticks = [t for t in (-1, -0.75, -0.5, -0.25, 0, *ticks[1:]) if abs(t) <= ext + 1e-9]
        low, high = -ext * 1.04, ext * 1.04
    per_pt = (high - low) / width_pt
    for yi, it, pos in zip(range(m - 1, -1, -1), items, starts, strict=True):
        if pos is None:
            C._dash(ax, (low + high) / 2, yi, theme, theme.text_size + 4, ha="center")
            continue
        for colour, share in zip(colours, it["shares"], strict=True):  # indicative: same colours
            segment = {"height": 0.7, "edgecolor": theme.background, "lw": 1}
            ax.barh(yi, share, left=pos, color=colour, gid="youthmedia-segment", **segment)
            txt = C._value_text(share, result, lang, decimals, False)
            if share / per_pt >= text_width(txt, theme.small_size) + 8:
                style = {"ha": "center", "va": "center", "fontsize": theme.small_size}
                style |= {"color": theme.text_on(colour), "gid": "youthmedia-value"}
                ax.text(pos + share / 2, yi, txt, **style)
            pos += share
    if scale.n_neg:
        ax.axvline(0, color=theme.foreground, linewidth=1.5)
    ax.set(ylim=(-0.6, m - 0.4), xlim=(low, high))
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(C._formatter(result, lang, absolute=True))
    ax.set_yticks(np.arange(m)[::-1].astype(float), ylabels)
    C._legend(ax, colours, scale.labels, theme, width_pt, edge=theme.grid)
