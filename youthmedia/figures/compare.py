"""Comparison charts: two sets of figures side by side as a dumbbell (dot) chart.

:func:`dumbbell` draws a :func:`youthmedia.side_by_side.comparison` — two published years, or a
published national figure beside a class's own survey — or any ``Result`` grouped by one
variable with two groups (girls and boys). Each item is a row with a dot per side joined by a
line; intervals, where there are any, are thin lines through the dots. The headline gives the
numbers of the largest gap and calls a change clear only where both intervals exist and do not
overlap; between different sources it never does (they are different samples asked different
questions), and the footnotes say so. The chart takes a Result and draws it: it reads no files.

The slide frame, theme, label handling and the words around the chart (footnotes, privacy
marks) are the figures package's (:mod:`.frame`, :mod:`.theme`, :mod:`.data`, :mod:`.text`);
the figure carries the same ``youthmedia_*`` attributes as every chart, so the exports treat it
the same way.

Examples
--------
>>> from youthmedia.result import Result
>>> from youthmedia.side_by_side import comparison
>>> a = Result.from_rows([{"variable": "fb", "estimate": 0.88}], labels={None: {"fb": "Facebook"}},
...                      source={"name": "Newcom", "year": "2016"}, published=True)
>>> b = Result.from_rows([{"variable": "fb", "estimate": 0.80}], labels={None: {"fb": "Facebook"}},
...                      source={"name": "Newcom", "year": "2017"}, published=True)
>>> dumbbell(comparison(a, b), lang="en").slide.headline
'Facebook: 88% in 2016, 80% in 2017'
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
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, FuncFormatter

from .. import i18n
from ..errors import ConfigError
from ..result import Result
from . import text as T
from .common import _decimals
from .data import plot_table, strip_common_prefix
from .frame import SlideFrame, style_axes, tag_figure, text_width, wrap
from .theme import Theme, _mix, get_theme

__all__ = ["dumbbell"]

_WORDS = {
    "numbers": {"nl": "{item}: {a} in {wa}, {b} in {wb}", "en": "{item}: {a} in {wa}, {b} in {wb}"},
    "subtitle_same": {"nl": "{a} en {b} naast elkaar", "en": "{a} and {b} side by side"},
    "subtitle_other": {"nl": "{a} en {b} naast elkaar — niet getoetst: andere steekproeven",
                       "en": "{a} and {b} side by side — not tested: different samples"},
    "alt": {"nl": "Halterdiagram", "en": "Dumbbell chart"},
    "published": {"nl": "gepubliceerde cijfers", "en": "published figures"},
    "secondary": {"nl": "secundaire bron", "en": "secondary source"},
    "no_n": {"nl": "geen n in de bron", "en": "no n in the source"},
    "srs": {"nl": "intervallen uitgaande van een enkelvoudige aselecte steekproef",
            "en": "intervals assuming a simple random sample"},
    "not_shown": {"nl": "niet getoond", "en": "not shown"},
    "more_notes": {"nl": "Meer kanttekeningen in de sprekersnotities.",
                   "en": "More caveats in the speaker notes."},
}


_w = i18n.translator(_WORDS, "youthmedia.figures.compare._WORDS")


def _nan(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


# -- words ---------------------------------------------------------------------------------------
def source_line(result: Result, lang: str = "nl") -> str:
    """The source line of a comparison: each side's source, n and how its figures were made.

    ``Bron: Newcom 2017 (gepubliceerde cijfers; geen n in de bron); klas_enquete_forms (n = 29;
    ongewogen)``. A Result that is not a comparison gets the figures package's source line.
    """
    lang = i18n.check_lang(lang)
    info = result.meta.comparison
    if not info:
        return T.source_line(result, lang)
    parts: list[str] = []
    heads: list[str] = []
    for label, side in zip(info["labels"], info["sides"], strict=True):
        src = side.get("source") or {}
        name = i18n.text_in(src.get("name"), lang) or label
        year = str(src.get("year") or "")
        head = f"{name}{' ' + year if year and year not in name else ''}"
        bits = []
        if side.get("published"):
            bits.append(_w("published", lang))
        if side.get("n_total"):
            bits.append(i18n.t("n_equals", lang, n=i18n.integer(side["n_total"], lang)))
        elif side.get("published"):
            bits.append(_w("no_n", lang))
        if not side.get("published"):
            bits.append(i18n.t("weighted" if side.get("weighted") else "unweighted", lang))
        parts.append(f" ({'; '.join(bits)})" if bits else "")
        heads.append(head)
    names = [i18n.text_in((s.get("source") or {}).get("name"), lang) for s in info["sides"]]
    if info.get("same_source") and parts[0] == parts[1] and names[0] == names[1] and names[0]:
        years = [str((s.get("source") or {}).get("year") or "") for s in info["sides"]]
        both = i18n.join([y for y in years if y], lang)
        return f"{i18n.t('source', lang)}: {names[0]}{' ' + both if both else ''}{parts[0]}"
    return f"{i18n.t('source', lang)}: " + "; ".join(h + p for h, p in zip(heads, parts,
                                                                          strict=True))


def _headline(rows: dict[str, dict[str, pd.Series]], groups: list[str], result: Result,
              lang: str) -> str:
    """Numbers of the largest gap; a clear change only for one source with disjoint intervals."""
    ga, gb = groups
    best, best_gap = None, -1.0
    for label, sides in rows.items():
        a, b = sides.get(ga), sides.get(gb)
        if a is None or b is None or _nan(a["estimate"]) or _nan(b["estimate"]):
            continue
        gap = abs(b["estimate"] - a["estimate"])
        if gap > best_gap:
            best, best_gap = label, gap
    if best is None:
        return i18n.t("h_none", lang, item=next(iter(rows), ""))
    a, b = rows[best][ga], rows[best][gb]
    fields = {"item": best, "a": i18n.percent(a["estimate"], lang), "wa": ga,
              "b": i18n.percent(b["estimate"], lang), "wb": gb}
    info = result.meta.comparison
    same = info.get("same_source", not info)
    with_ci = not any(_nan(v) for v in (a["ci_low"], a["ci_high"], b["ci_low"], b["ci_high"]))
    if same and with_ci:
        if a["ci_high"] < b["ci_low"]:
            return i18n.t("h_trend_up", lang, **fields)
        if b["ci_high"] < a["ci_low"]:
            return i18n.t("h_trend_down", lang, **fields)
        return i18n.t("h_trend_flat", lang, **fields)
    return _w("numbers", lang, **fields)


def _subtitle(result: Result, groups: list[str], lang: str, prefix: str) -> str:
    title = result.meta.title
    if title:
        return i18n.text_in(title, lang)
    info = result.meta.comparison
    if info:
        key = "subtitle_same" if info.get("same_source") else "subtitle_other"
        return _w(key, lang, a=groups[0], b=groups[1])
    by = result.by[0] if result.by else ""
    text = prefix if prefix else ""
    if by:
        by_text = i18n.t("alt_by", lang, by=result.label(by, lang))
        text = f"{text} – {by_text}" if text else by_text[:1].upper() + by_text[1:]
    return text


def _number_text(row: pd.Series | None, lang: str, decimals: int, with_n: bool = False) -> str:
    if row is None or row["suppressed"] or _nan(row["estimate"]):
        return "–"
    text = i18n.percent(row["estimate"], lang, decimals)
    extra = []
    if not _nan(row["ci_low"]) and not _nan(row["ci_high"]):
        extra.append(f"{i18n.t('ci_short', lang, level='95%')} "
                     f"{i18n.percent_range(row['ci_low'], row['ci_high'], lang, decimals)}")
    if with_n and not _nan(row["n"]):
        extra.append(i18n.t("n_equals", lang, n=i18n.integer(row["n"], lang)))
    return text + (f" ({'; '.join(extra)})" if extra else "")


# -- the chart -----------------------------------------------------------------------------------
def dumbbell(result: Result, lang: str = "nl", headline: str | None = None,
             theme: Theme | str | None = None, *, sort: bool = True, decimals: int = 0,
             max_rows: int | None = None, subtitle: str | None = None,
             category: Any = None) -> Figure:
    """Two dots per item, one per group, joined by a line: a comparison at a glance.

    Parameters
    ----------
    result : Result
        A :func:`youthmedia.side_by_side.comparison`, or any Result grouped by one variable with
        exactly two groups.
    lang : {"nl", "en"}
    headline : str, optional
        ``None`` generates one (the numbers of the largest gap; "clear" only for one source with
        disjoint intervals); ``""`` leaves it out.
    theme : Theme or {"light", "dark"}, optional
    sort : bool
        Order items by the second group's figure, highest first (default), else as given.
    decimals : int
        Decimals of the percentages written at the dots.
    max_rows : int, optional
        At most this many items (a footnote says when some were left out).
    subtitle : str, optional
    category : optional
        As in :func:`youthmedia.figures.charts.bars`.

    Returns
    -------
    matplotlib.figure.Figure
        Its ``fig.slide`` (a :class:`~youthmedia.figures.slide.Slide`): headline, source, footnotes,
        alt text, notes (speaker notes holding the full comparison
        sentence of :func:`youthmedia.side_by_side.comparison_sentence`) and the other
        fields.
    """
    lang = i18n.check_lang(lang)
    theme = get_theme(theme)
    if len(result.by) != 1:
        raise ConfigError("A dumbbell chart compares two groups of one grouping; build the Result "
                          "with side_by_side.comparison(a, b) or estimate it with by='<variable>'.")
    table = plot_table(result, lang, category)
    groups = list(dict.fromkeys(table["group"]))
    if len(groups) != 2:
        raise ConfigError(f"A dumbbell chart needs exactly two groups; this Result has "
                          f"{len(groups)} ({', '.join(groups)}). Select two first.")
    labels, prefix = strip_common_prefix(list(table["label"]))
    table["label"] = labels
    items, rows = _items(table, groups, sort)
    extra: list[str] = []
    if max_rows is not None and len(items) > max_rows:
        extra.append(i18n.t("truncated_note" if sort else "rows_note", lang, shown=max_rows,
                            total=len(items)))
        items = items[:max_rows]
    table = table[table["label"].isin(items)].reset_index(drop=True)
    head = _headline(rows, groups, result, lang) if headline is None else str(headline)
    sub = _subtitle(result, groups, lang, prefix) if subtitle is None else subtitle
    notes = T.footnotes(table, result, lang, ci="bars", extra=extra)
    src = source_line(result, lang)
    all_notes = list(notes)
    with matplotlib.rc_context(theme.rc()):
        frame = _fitting_frame(theme, head, sub, src, notes, lang)
        ax = frame.fig.add_subplot()
        _draw(ax, items, groups, rows, theme, frame, lang, decimals)
    alt, speaker = _words(result, items, groups, rows, lang, decimals, head, sub, src, all_notes)
    return tag_figure(frame.fig, "dumbbell", lang, result, head, sub, src, notes, alt, speaker)


def _items(table: pd.DataFrame, groups: list[str], sort: bool
           ) -> tuple[list[str], dict[str, dict[str, pd.Series]]]:
    """The items in order (by the second group's figure, highest first, if ``sort``) and each
    item's row per group."""
    rows: dict[str, dict[str, pd.Series]] = {}
    for _, row in table.iterrows():
        rows.setdefault(row["label"], {})[row["group"]] = row

    def key(item: str) -> float:
        for g in (groups[1], groups[0]):
            r = rows[item].get(g)
            if r is not None and not _nan(r["estimate"]) and not r["suppressed"]:
                return -float(r["estimate"])
        return math.inf

    items = list(dict.fromkeys(table["label"]))
    return (sorted(items, key=key) if sort else items), rows


def _words(result: Result, items: list[str], groups: list[str], rows: dict, lang: str,
           decimals: int, head: str, sub: str, src: str, notes: list[str]) -> tuple[str, str]:
    """The alt text and the speaker notes (with the comparison's sentence) of a dumbbell."""
    numbers = "; ".join(f"{item}: " + ", ".join(
        f"{_number_text(rows[item].get(g), lang, decimals)} ({g})" for g in groups) for item in items)
    parts = [f"{_w('alt', lang)}: {sub}" if sub else _w("alt", lang), head, numbers, src]
    alt = " ".join(p if p.endswith((".", "?", "!")) else p + "." for p in parts if p)
    sentence = i18n.text_in(result.meta.comparison.get("sentence"), lang)
    lines = [head] + ([sub] if sub else []) + ([sentence] if sentence else [])
    lines += ["", i18n.t("notes_numbers", lang) + ":"]
    lines += [f"- {item}: " + ", ".join(f"{g} {_number_text(rows[item].get(g), lang, decimals, True)}"
                                       for g in groups) for item in items]
    lines += ["", src]
    if notes:
        lines += ["", i18n.t("notes_caveats", lang) + ":"] + [f"- {n}" for n in notes]
    return alt, "\n".join(lines)


def _fitting_frame(theme: Theme, head: str, sub: str, src: str, notes: list[str],
                   lang: str) -> SlideFrame:
    """A slide frame with as many footnotes as leave the chart room; the rest are left to the
    speaker notes (``notes`` is shortened in place and says so)."""
    more = _w("more_notes", lang)
    kept, dropped = list(notes), False
    while True:
        shown = kept + ([more] if dropped else [])
        footer = [src] + (["  ·  ".join(shown)] if shown else [])
        try:
            frame = SlideFrame(theme, head, sub, footer)
        except ConfigError:
            if not kept:
                raise
            kept, dropped = kept[:-1], True
            continue
        notes[:] = shown
        return frame


def _draw(ax, items: list[str], groups: list[str], rows: dict, theme: Theme, frame: SlideFrame,
          lang: str, decimals: int) -> None:
    style_axes(ax, theme)
    m = len(items)
    y = np.arange(m)[::-1].astype(float)
    colours = [theme.color(0), theme.color(1)]
    for i, item in enumerate(items):
        _dumbbell_row(ax, y[i], [rows[item].get(g) for g in groups], colours, theme, lang, decimals)
    label_w = frame.plot_width_in * 72 * 0.3
    ylabels = ["\n".join(wrap(lab, label_w, theme.text_size, theme.font_family, max_lines=2))
               for lab in items]
    ax.set_yticks(y, ylabels)
    ax.set_ylim(-0.7, m - 0.3)
    # room for the numbers written beside the dots
    ax_w = frame.plot_width_in * 72 * 0.68
    room = (text_width("100%", theme.text_size, weight="bold") + 20) / max(ax_w, 1)
    ax.set_xlim(-room, 1 + room)
    ax.xaxis.set_major_locator(FixedLocator([0, 0.25, 0.5, 0.75, 1.0]))
    ax.xaxis.set_major_formatter(FuncFormatter(
        lambda x, _p: i18n.number(100 * x, lang, _decimals(100 * x)) + "%"))
    handles = [Line2D([], [], color=c, marker="o", markersize=13, linestyle="none", label=g)
               for c, g in zip(colours, groups, strict=True)]
    widths = [text_width(g, theme.text_size, theme.font_family) + 60 for g in groups]
    ncols = 2 if sum(widths) <= frame.plot_width_in * 72 * 0.6 else 1
    leg = ax.legend(handles, groups, loc="lower left", bbox_to_anchor=(0, 1.01), ncols=ncols,
                    frameon=False, fontsize=theme.text_size, handlelength=1.0, borderaxespad=0.2,
                    labelcolor=theme.foreground)
    leg.set_gid("youthmedia-legend")


def _dumbbell_row(ax: Axes, yi: float, rows: list, colours: list[str], theme: Theme, lang: str,
                  decimals: int) -> None:
    """One item: its two dots joined, their intervals, the lower number left of its dot and
    the higher right of it; "–" for a hidden one."""
    values = [(j, float(r["estimate"]), r) for j, r in enumerate(rows)
              if r is not None and not r["suppressed"] and not _nan(r["estimate"])]
    if len(values) == 2:
        (line,) = ax.plot([values[0][1], values[1][1]], [yi, yi], color=theme.muted,
                          linewidth=4, alpha=0.6, solid_capstyle="round", zorder=2)
        line.set_gid("youthmedia-link")
    for j, est, r in values:
        if not _nan(r["ci_low"]) and not _nan(r["ci_high"]):   # just above / below the dots
            ci = ax.hlines(yi + (0.12, -0.12)[j], r["ci_low"], r["ci_high"], color=colours[j],
                           linewidth=2.5, alpha=0.8, zorder=3)
            ci.set_gid("youthmedia-ci")
        (dot,) = ax.plot([est], [yi], marker="o", markersize=15, linestyle="none",
                         color=colours[j], markeredgewidth=2.5, zorder=4,
                         markerfacecolor=_mix(colours[j], theme.background, 0.55)
                         if bool(r["indicative"]) else colours[j])
        dot.set_gid(f"youthmedia-dot-{j}")
    ordered = sorted(values, key=lambda v: v[1])
    for k, (j, est, r) in enumerate(ordered):
        right = k == len(ordered) - 1
        ax.annotate(i18n.percent(est, lang, decimals) + ("*" if r["indicative"] else ""),
                    (est, yi), xytext=(14 if right else -14, 0), textcoords="offset points",
                    ha="left" if right else "right", va="center", fontsize=theme.text_size,
                    color=theme.text_colour(colours[j]), fontweight="bold", gid="youthmedia-value")
    for j in [j for j in range(2) if j not in {v[0] for v in values}]:
        ax.annotate("–", (0, yi), xytext=(4 + 18 * j, 0), textcoords="offset points", ha="left",
                    va="center", fontsize=theme.text_size + 4, fontweight="bold",
                    color=theme.text_colour(colours[j]), gid="youthmedia-suppressed")


def published_deck(result: Result, lang: str = "nl", theme: Theme | str | None = None,
                   questions: Sequence[str] | None = None) -> tuple[list[Figure], str, str]:
    """A published table's figures — its chart (a trend over years), the last group's chart
    and a dumbbell of the first against the last group — and the deck's title and subtitle.
    ``questions``: the items to keep (their names or labels)."""
    from ..published import select
    from ..side_by_side import comparison
    from .charts import auto

    asked = {str(q).casefold() for q in questions or []}
    keep = [not asked or str(v).casefold() in asked or result.label(str(v)).casefold() in asked
            for v in result["variable"]]
    if not any(keep):
        raise ConfigError(f"None of {', '.join(map(str, questions))} is an item of this table; "
                          f"its items are {', '.join(dict.fromkeys(map(str, result['category'])))}.")
    result = select(Result.from_rows(pd.DataFrame(result)[keep].reset_index(drop=True),
                                     result.meta))
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
    kind = [i18n.text_in(result.meta.population, lang), _w("published", lang)]
    if src.get("secondary"):
        kind.append(_w("secondary", lang) + (f" ({src['via']})" if src.get("via") else ""))
    return figs, title, f"{i18n.t('source', lang)}: {title} — {'; '.join(k for k in kind if k)}"
