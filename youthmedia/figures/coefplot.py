"""A coefficient plot of a :func:`youthmedia.models.glm` Result, in the slide theme.

Examples
--------
>>> import pandas as pd
>>> from youthmedia.survey import Survey
>>> from youthmedia.models import glm
>>> s = Survey(pd.DataFrame({"y": [0, 1, 0, 1, 1, 0, 1, 0], "x": [1.0, 2, 1, 4, 5, 2, 3, 6]}))
>>> coefplot(glm(s, "y ~ x", family="binomial"), lang="en").slide.kind
'coefplot'
"""

import math
import re

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from .. import i18n
from ..errors import ConfigError
from ..result import Result
from . import common as C
from . import text as T
from .frame import style_axes, text_width, wrap
from .headline import subject
from .theme import Theme, get_theme

_LOG_TICKS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 10, 20, 50, 100)


def coefplot(
    result: Result,
    lang: str = "nl",
    headline: str | None = None,
    theme: Theme | str | None = None,
    *,
    odds_ratios: bool | None = None,
    intercept: bool = False,
    subtitle: str | None = None,
    decimals: int = 2,
) -> Figure:
    """Draw the coefficients of a ``glm`` Result with their confidence intervals.

    One row per term (``intercept=True`` adds the constant), a line at "no association" (1 for
    ratios on a log axis, ``odds_ratios``); terms whose interval excludes it are coloured and
    named in the headline as associations. Others as in :func:`~youthmedia.figures.charts.bars`.
    """
    lang, theme = i18n.check_lang(lang), get_theme(theme)
    if not isinstance(result, Result) or result.meta.kind != "glm":
        raise ConfigError(
            "coefplot draws the Result of youthmedia.glm(...); this is not one "
            f"(kind {result.meta.kind if isinstance(result, Result) else None!r})."
        )
    model = result.meta.model  # odds (rate) ratios, or coefficients
    kind = {"binomial": "or", "ordinal": "or", "poisson": "rr"}.get(model.get("family"))
    use_or = kind is not None if odds_ratios is None else bool(odds_ratios)
    if use_or and kind is None:
        raise ConfigError(
            "Odds ratios belong to logistic models (family='binomial'); this is a "
            "linear model: draw its coefficients (odds_ratios=False)."
        )
    table, kind = pd.DataFrame(result), kind if use_or else "coef"
    left_out = [*model.get("cut_points", []), *([] if intercept else ["(Intercept)"])]
    table = table[~table["term"].isin(left_out)].reset_index(drop=True)  # cut-points: no effects
    if table.empty:
        raise ConfigError("This model has only a constant; there is nothing to draw.")
    own = result.meta.term_labels.get(lang, {})
    labels = [own.get(t, lab) for t, lab in zip(table["term"], table["label"], strict=True)]
    scale, ref = (np.exp, 1.0) if use_or else (np.asarray, 0.0)  # ratios, else coefficients
    est, lo, hi = (scale(table[c].to_numpy(float)) for c in ("estimate", "ci_low", "ci_high"))
    clear = (lo > ref) | (hi < ref)
    named = result.meta.model.get("outcome", "")
    outcome = result.meta.outcome_short.get(lang) or (result.label(named, lang) if named else "")
    level = T._level(result, lang)

    def fmt(x: float) -> str:
        return i18n.number(x, lang, decimals).replace("-", "−")

    head = _headline(result, table, labels, clear, outcome, lang) if headline is None else headline
    if subtitle is None:
        subtitle = i18n.t(f"coef_sub_{kind}", lang, level=level, outcome=outcome)
    notes = [i18n.t(f"coef_read_{kind}", lang, outcome=outcome)]
    notes.append(i18n.t("coef_grey", lang, ref=str(int(ref))))
    ci, to = i18n.t("ci_short", lang, level=level), i18n.t("to", lang)
    rows = zip(labels, est, lo, hi, strict=True)
    lines = [f"{x}: {fmt(e)} ({ci} {fmt(a)} {to} {fmt(b)})" for x, e, a, b in rows]
    own = [i18n.text_in(n, lang) for n in result.meta.notes if n]
    groups, plot_rows, last = result.meta.term_groups.get(lang, {}), [], None
    for i, (term, lab) in enumerate(zip(table["term"], labels, strict=True)):
        heading, text = groups.get(term) or (None, lab)  # a heading above a factor's levels
        if heading is not None and heading != last:
            plot_rows.append((heading, None, False))
        last = heading
        plot_rows.append((text, i, heading is not None))  # (text, term index, indented)
    draw = (_draw, plot_rows, (est, lo, hi), clear, ref, use_or, fmt)
    texts = (head, subtitle, notes)
    return C._slide(
        "coefplot", "alt_coefplot", result, lang, theme, texts, lines, draw, caveats=own
    )


def _headline(result, table, labels, clear, outcome, lang) -> str:
    """The variables (not each category) clearly associated with the outcome, or none."""
    own, terms = result.meta.term_variables, zip(table["term"], labels, clear, strict=True)
    names = [_bare(subject(result, own[t], lang)) if own.get(t) else x for t, x, c in terms if c]
    names = list(dict.fromkeys(names))  # a variable of several terms once
    outcome = T.upper_first(_bare(outcome))
    if not names:
        return i18n.t("coef_none", lang, outcome=outcome)
    shown = [T.lower_first(x) for x in names[:3]]
    shown += [i18n.t("k_others", lang, k=len(names) - 3)] if len(names) > 3 else []
    return i18n.t("coef_clear", lang, outcome=outcome, terms=i18n.join(shown, lang))


def _draw(frame, ax, rows, values, clear, ref, log, fmt) -> None:
    """Dots with interval lines, the reference line, the values in a column at the right."""
    theme, (est, lo, hi), n = frame.theme, values, len(rows)
    y_of = {idx: float(n - 1 - r) for r, (_t, idx, _i) in enumerate(rows) if idx is not None}
    style_axes(ax, theme)
    colours = [theme.primary if c else theme.missing for c in clear]
    ax.axvline(ref, color=theme.foreground, linewidth=1.5, zorder=1)
    for i, yi in y_of.items():
        ax.plot([lo[i], hi[i]], [yi, yi], color=colours[i], lw=3, solid_capstyle="round", zorder=2)
        ax.plot([est[i]], [yi], "o", color=colours[i], markersize=11, zorder=3)
    finite = np.concatenate([lo[np.isfinite(lo)], hi[np.isfinite(hi)], [ref]])
    low, high = float(finite.min()), float(finite.max())
    roomy = frame.plot_height_in * 61.2 / max(n, 1) >= 1.45 * theme.text_size
    size = theme.text_size if roomy else theme.small_size
    if log:
        ax.set_xscale("log")
        inside = sorted({*[t for t in _LOG_TICKS if low * 0.98 <= t <= high * 1.02], 1})
        while len(inside) > 7:  # every other tick, keeping 1
            inside = inside[::2] if 1 in inside[::2] else inside[1::2]
        ax.xaxis.set_major_locator(FixedLocator(inside))
        ax.xaxis.set_minor_locator(NullLocator())
    to, back = (math.log, math.exp) if log else (float, float)  # 5% room either side
    a, b = to(low), to(high)
    pad = 0.05 * ((b - a) or 1.0)
    ax.set_xlim(back(a - pad), back(b + pad))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: _trim(fmt(v))))
    sep = "; " if "," in fmt(0.5) else ", "
    where = {"xycoords": ("axes fraction", "data"), "textcoords": "offset points", "va": "center"}
    for i, yi in y_of.items():
        colour = theme.text_colour(colours[i]) if clear[i] else theme.foreground
        text = f"{fmt(est[i])} [{fmt(lo[i])}{sep}{fmt(hi[i])}]"
        ax.annotate(text, (1.0, yi), xytext=(12, 0), fontsize=size, color=colour, **where)
    width = frame.plot_width_in * 72 * 0.36

    def fit(t: str, ind: bool) -> str:  # a definition in brackets goes before a cut
        inner = re.sub(r"\s*\([^()]*\)(?=.*\()", "", t)
        for text in (t, inner, _bare(t), re.sub(r"\s*\([^()]*\)", "", t) or t):
            line = wrap(text, width - 18 * ind, size, theme.font_family, max_lines=1)[0]
            if not line.endswith("…"):
                break
        return ("   " if ind else "") + line

    texts = [fit(t, ind) for t, _idx, ind in rows]
    ax.set_yticks([float(n - 1 - r) for r in range(n)], texts, ha="left")
    longest = max(text_width(t, size, theme.font_family) for t in texts)
    ax.tick_params(axis="y", pad=longest + 8, labelsize=size)  # left-aligned labels
    for label, (_t, idx, _i) in zip(ax.get_yticklabels(), rows, strict=True):
        label.set_fontweight("normal" if idx is not None else "bold")
    ax.set_ylim(-0.7, n - 0.3)


def _bare(label: str) -> str:
    """A label without its closing definition in brackets (that is in the notes)."""
    return re.sub(r"\s*\([^()]*\)\s*$", "", label) or label


def _trim(text: str) -> str:
    return text.rstrip("0").rstrip(",.") if ("," in text or "." in text) else text
