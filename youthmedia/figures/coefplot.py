"""A coefficient plot of a :func:`youthmedia.models.glm` Result, in the slide theme.

One row per term (the constant left out): the estimate as a dot with its confidence interval as
a line, a reference line at "no association" (0 for coefficients, 1 for odds ratios, on a log
scale), the value written beside each dot. Terms whose interval excludes the reference are drawn
in the theme's primary colour, the others in its muted grey, and the headline names only the
former — as associations, never as causes.

Examples
--------
>>> import pandas as pd
>>> from youthmedia.survey import Survey
>>> from youthmedia.models import glm
>>> from youthmedia.figures.coefplot import coefplot
>>> s = Survey(pd.DataFrame({"y": [0, 1, 0, 1, 1, 0, 1, 0], "x": [1.0, 2, 1, 4, 5, 2, 3, 6]}))
>>> fig = coefplot(glm(s, "y ~ x", family="binomial"), lang="en")
>>> fig.slide.kind
'coefplot'
"""

from __future__ import annotations

import math
from typing import Any

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from .. import i18n
from ..errors import ConfigError
from ..result import Result
from . import text as T
from .frame import SlideFrame, style_axes, tag_figure, text_width, wrap
from .theme import Theme, get_theme

__all__ = ["coefplot"]

_TEXT = {
    "sub_or": {"nl": "Odds ratio's met {level}-betrouwbaarheidsinterval, logistische regressie "
                     "op {outcome}",
               "en": "Odds ratios with {level} confidence intervals, logistic regression of "
                     "{outcome}"},
    "sub_coef": {"nl": "Coëfficiënten met {level}-betrouwbaarheidsinterval, lineaire regressie "
                       "op {outcome}",
                 "en": "Coefficients with {level} confidence intervals, linear regression of "
                       "{outcome}"},
    "sub_rr": {"nl": "Rate ratio's met {level}-betrouwbaarheidsinterval, log-lineaire "
                     "(Poisson-)regressie op {outcome}",
               "en": "Rate ratios with {level} confidence intervals, log-linear (Poisson) "
                     "regression of {outcome}"},
    "read_rr": {"nl": "Rate ratio boven 1: gemiddeld meer, onder 1: minder, bij gelijke andere "
                      "kenmerken in het model",
                "en": "Rate ratio above 1: more on average, below 1: fewer, other "
                      "characteristics in the model being equal"},
    "h_clear": {"nl": "{outcome}: duidelijke samenhang met {terms}",
                "en": "{outcome}: clear association with {terms}"},
    "h_none": {"nl": "{outcome}: geen duidelijke samenhang met de kenmerken in het model",
               "en": "{outcome}: no clear association with the characteristics in the model"},
    "read_or": {"nl": "Odds ratio boven 1: grotere kans, onder 1: kleinere kans, bij gelijke "
                      "andere kenmerken in het model",
                "en": "Odds ratio above 1: higher odds, below 1: lower odds, other characteristics "
                      "in the model being equal"},
    "read_coef": {"nl": "Coëfficiënt: verschil in {outcome} per eenheid of ten opzichte van de "
                        "referentiegroep, bij gelijke andere kenmerken in het model",
                  "en": "Coefficient: difference in {outcome} per unit or compared with the "
                        "reference group, other characteristics in the model being equal"},
    "grey": {"nl": "Grijs: interval omvat {ref} (geen duidelijke samenhang)",
             "en": "Grey: interval includes {ref} (no clear association)"},
    "alt": {"nl": "Coëfficiëntenplot", "en": "Coefficient plot"},
    "more": {"nl": "{k} andere", "en": "{k} others"},
    "to": {"nl": "tot", "en": "to"},
}


_t = i18n.translator(_TEXT, "youthmedia.figures.coefplot._TEXT")


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

    Parameters
    ----------
    result : Result
        From :func:`youthmedia.models.glm` (kind ``"glm"``).
    lang : {"nl", "en"}
    headline : str, optional
        ``None`` generates one (which terms are clearly associated with the outcome);
        ``""`` leaves it out.
    theme : Theme or {"light", "dark"}, optional
    odds_ratios : bool, optional
        Draw odds ratios (logistic, ordinal) or rate ratios (poisson) on a log axis (their
        default) instead of coefficients.
    intercept : bool
        Also draw the constant (default: left out).
    subtitle : str, optional
        Replaces the generated subtitle.
    decimals : int
        Decimals of the values written beside the dots.

    Returns
    -------
    matplotlib.figure.Figure
        With ``fig.slide`` (headline, alt text, notes) like the other
        attributes of :mod:`youthmedia.figures.charts`.
    """
    lang = i18n.check_lang(lang)
    theme = get_theme(theme)
    table, kind, use_or = _terms(result, odds_ratios, intercept)
    labels_by_lang = result.meta.term_labels.get(lang, {})
    labels = [labels_by_lang.get(t, lab) for t, lab in zip(table["term"], table["label"], strict=True)]
    est, lo, hi = (table[c].to_numpy(dtype=float) for c in ("estimate", "ci_low", "ci_high"))
    if use_or:
        est, lo, hi = np.exp(est), np.exp(lo), np.exp(hi)
    ref = 1.0 if use_or else 0.0
    clear = (lo > ref) | (hi < ref)
    outcome = _outcome_label(result, lang)
    level = i18n.percent(result.meta.level or 0.95, lang)

    def fmt(x: float) -> str:
        return i18n.number(x, lang, decimals).replace("-", "−")

    if headline is None:
        headline = _headline(result, table, labels, clear, outcome, lang)
    if subtitle is None:
        subtitle = _t(f"sub_{kind}", lang, level=level, outcome=outcome)
    notes = [_t(f"read_{kind}", lang, outcome=outcome), _t("grey", lang, ref="1" if use_or else "0")]
    source = T.source_line(result, lang)
    with matplotlib.rc_context(theme.rc()):
        frame = SlideFrame(theme, headline, subtitle, [source, "  ·  ".join(notes)])
        ax = frame.fig.add_subplot()
        _draw(ax, frame, theme, _plot_rows(result, table, labels, lang), est, lo, hi, clear, ref,
              use_or, fmt)
    rows = [f"{lab}: {fmt(e)} ({i18n.t('ci_short', lang, level=level)} {fmt(a)} "
            f"{_t('to', lang)} {fmt(b)})" for lab, e, a, b in zip(labels, est, lo, hi, strict=True)]
    alt = ". ".join(p.rstrip(".") for p in [f"{_t('alt', lang)}: {subtitle}", headline,
                                            "; ".join(rows), source] if p) + "."
    caveats = notes + [i18n.text_in(n, lang) for n in result.meta.notes if n]
    if result.meta.design:
        caveats.append(f"{i18n.t('notes_design', lang)}: {i18n.text_in(result.meta.design, lang)}")
    speaker = "\n".join(
        [headline, subtitle, "", i18n.t("notes_numbers", lang) + ":"] + ["- " + r for r in rows]
        + ["", source, "", i18n.t("notes_caveats", lang) + ":"] + ["- " + c for c in caveats])
    return tag_figure(frame.fig, "coefplot", lang, result, headline, subtitle, source, notes, alt,
                      speaker)


def _terms(result: Result, odds_ratios: bool | None, intercept: bool
           ) -> tuple[pd.DataFrame, str, bool]:
    """The terms to draw, the scale (``or``, ``rr``, ``coef``) and whether it is a ratio."""
    if not isinstance(result, Result) or result.meta.kind != "glm":
        raise ConfigError("coefplot draws the Result of youthmedia.glm(...); this is not one "
                          f"(kind {result.meta.kind if isinstance(result, Result) else None!r}).")
    model = result.meta.model
    kind = {"binomial": "or", "ordinal": "or", "poisson": "rr"}.get(model.get("family"))
    use_or = kind is not None if odds_ratios is None else bool(odds_ratios)
    if use_or and kind is None:
        raise ConfigError("Odds ratios belong to logistic models (family='binomial'); this is a "
                          "linear model: draw its coefficients (odds_ratios=False).")
    table = pd.DataFrame(result)
    table = table[~table["term"].isin(model.get("cut_points", []))]   # ordinal: not effects
    if not intercept:
        table = table[table["term"] != "(Intercept)"]
    if table.empty:
        raise ConfigError("This model has only a constant; there is nothing to draw.")
    return table.reset_index(drop=True), kind if use_or else "coef", use_or


def _headline(result: Result, table: pd.DataFrame, labels: list[str], clear: np.ndarray,
              outcome: str, lang: str) -> str:
    """The variables (not each category) clearly associated with the outcome, or none."""
    variables = result.meta.term_variables
    names: list[str] = []
    for term, lab, c in zip(table["term"], labels, clear, strict=True):
        name = result.label(variables[term], lang) if variables.get(term) else lab
        if c and name not in names:
            names.append(name)
    if not names:
        return _t("h_none", lang, outcome=T.upper_first(outcome))
    shown = [T.lower_first(x) for x in names[:3]]
    if len(names) > 3:
        shown.append(_t("more", lang, k=len(names) - 3))
    return _t("h_clear", lang, outcome=T.upper_first(outcome), terms=i18n.join(shown, lang))


def _plot_rows(result: Result, table: pd.DataFrame, labels: list[str], lang: str
               ) -> list[tuple[str, int | None, bool]]:
    """(text, term index or None for a heading, indented): a heading per categorical variable
    ("Geslacht (t.o.v. jongen)") above its levels; other terms on a row of their own."""
    groups = result.meta.term_groups.get(lang, {})
    rows: list[tuple[str, int | None, bool]] = []
    last = None
    for i, (term, lab) in enumerate(zip(table["term"], labels, strict=True)):
        if groups.get(term):
            heading, level_text = groups[term]
            if heading != last:
                rows.append((heading, None, False))
                last = heading
            rows.append((level_text, i, True))
        else:
            last = None
            rows.append((lab, i, False))
    return rows


def _draw(ax: Any, frame: SlideFrame, theme: Theme, rows: list[tuple[str, int | None, bool]],
          est: np.ndarray, lo: np.ndarray, hi: np.ndarray, clear: np.ndarray, ref: float,
          log: bool, fmt: Any) -> None:
    n = len(rows)
    y_of = {idx: float(n - 1 - r) for r, (_text, idx, _i) in enumerate(rows) if idx is not None}
    style_axes(ax, theme)   # the tick labels' size is set below, by the rows' room
    colours = [theme.primary if c else theme.missing for c in clear]
    ax.axvline(ref, color=theme.foreground, linewidth=1.5, zorder=1)
    for i, yi in y_of.items():
        ax.plot([lo[i], hi[i]], [yi, yi], color=colours[i], linewidth=3, solid_capstyle="round",
                zorder=2)
        ax.plot([est[i]], [yi], "o", color=colours[i], markersize=11, zorder=3)
    if log:
        ax.set_xscale("log")
    # x range: all intervals and the reference line
    finite = np.concatenate([lo[np.isfinite(lo)], hi[np.isfinite(hi)], [ref]])
    low, high = float(finite.min()), float(finite.max())
    row_pt = frame.plot_height_in * 72 * 0.85 / max(n, 1)
    size = theme.text_size if row_pt >= 1.45 * theme.text_size else theme.small_size

    def tick(v: float, _p: Any = None) -> str:
        text = fmt(v)
        return text.rstrip("0").rstrip(",.") if ("," in text or "." in text) else text

    if log:
        a, b = math.log(low), math.log(high)
        span = (b - a) or 1.0
        ax.set_xlim(math.exp(a - 0.05 * span), math.exp(b + 0.05 * span))
        ax.xaxis.set_major_locator(FixedLocator(_log_ticks(low, high)))
        ax.xaxis.set_minor_locator(NullLocator())
    else:
        span = (high - low) or 1.0
        ax.set_xlim(low - 0.05 * span, high + 0.05 * span)
    ax.xaxis.set_major_formatter(FuncFormatter(tick))
    # the values in a column right of the plot: estimate [low; high]
    sep = "; " if fmt(0.5).find(",") >= 0 else ", "
    for i, yi in y_of.items():
        ax.annotate(f"{fmt(est[i])} [{fmt(lo[i])}{sep}{fmt(hi[i])}]", xy=(1.0, yi),
                    xycoords=("axes fraction", "data"), xytext=(12, 0),
                    textcoords="offset points", va="center", ha="left", fontsize=size,
                    color=theme.text_colour(colours[i]) if clear[i] else theme.foreground)
    width = frame.plot_width_in * 72 * 0.36
    ticks, texts = [], []
    for r, (text, _idx, indent) in enumerate(rows):
        lines = wrap(text, width - (18 if indent else 0), size, theme.font_family, max_lines=1)
        ticks.append(float(n - 1 - r))
        texts.append(("   " if indent else "") + lines[0])
    ax.set_yticks(ticks, texts, ha="left")
    # left-aligned labels: move them left by the width of the longest one
    longest = max(text_width(t, size, theme.font_family) for t in texts)
    ax.tick_params(axis="y", pad=longest + 8)
    for label, (_text, idx, _indent) in zip(ax.get_yticklabels(), rows, strict=True):
        if idx is None:
            label.set_fontweight("bold")
    ax.set_ylim(-0.7, n - 0.3)
    ax.tick_params(axis="x", labelsize=theme.text_size, colors=theme.muted,
                   labelcolor=theme.foreground)
    ax.tick_params(axis="y", labelsize=size, colors=theme.muted, labelcolor=theme.foreground)


def _log_ticks(low: float, high: float) -> list[float]:
    candidates = [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 10, 20, 50, 100]
    inside = [t for t in candidates if low * 0.98 <= t <= high * 1.02]
    if 1 not in inside:
        inside.append(1)
    while len(inside) > 7:
        inside = inside[::2] if 1 in inside[::2] else inside[1::2]
    return sorted(set(inside))


def _outcome_label(result: Result, lang: str) -> str:
    short = result.meta.outcome_short.get(lang)
    if short:
        return short
    outcome = result.meta.model.get("outcome", "")
    return result.label(outcome, lang) if outcome else ""
