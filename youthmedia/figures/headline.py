"""Headline rules: one sentence a careful researcher would sign, from a Result's numbers.

The rules (each with examples in ``tests/test_headlines.py``):

1. **The subject is kept**: the codebook's short label (``meta.short_labels``) or the whole
   label, never cut mid-phrase.
2. **Quantifiers match the number** (:func:`quantity`): the nearest plain fraction (tenths,
   quarters, thirds, half, all); "ongeveer"/"about" within 2.5 points, "ruim"/"more than" only
   when the whole interval is above it and "bijna"/"almost" only when it is below it, within
   3.5 points ("bijna alle" from 95%); else, or with an interval wider than 15 points, the
   number alone. 83% is "ruim acht op de tien", 90% "negen op de tien".
3. **Groups are compared among groups with enough respondents** (n_eff ≥ 50, shown, solid;
   the largest first): a design-based test (svyby(covmat = TRUE) + svycontrast), Holm-corrected
   over the pairs looked at. Small groups stay on the chart, never the basis of "no clear
   difference"; ties are named once; one visible group is said to be alone.
4. **Frequency and count scales** are headlined by the share "at least once" (1 − the "never"
   share, or from the codebook's threshold answer), overall and by group; agreement and other
   scales by their upper side.

Examples
--------
>>> quantity(0.83, 0.81, 0.85, "nl"), quantity(0.04, 0.03, 0.05, "en")
('ruim acht op de tien jongeren', '4% of young people')
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from .. import i18n
from ..comparison import pair_test
from ..result import Result
from .data import _NO_WORD as _NO
from .data import _YES_WORD as _YES
from .data import at_least, is_percent
from .text import (
    _cap,
    _compared,
    _is_wave,
    _item_suffix,
    _nan,
    _selected_population,
    _shown,
    _unit,
    lower_first,
    population,
    signed,
    value,
)

#: A group with fewer effective respondents (Kish n_eff) is drawn but never compared.
MIN_GROUP_NEFF = 50
#: The level of the tests behind "duidelijk verschil" / "a clear difference" (Holm-corrected).
ALPHA = 0.05

_REACH = re.compile(r"^(use|uses|used|using|gebruik|gebruikt|heeft|has|account)[_ .]", re.I)

# -- quantifiers ------------------------------------------------------------------------------------
_NL_NUM = ["", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"]
_EN_NUM = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
# (fraction, Dutch noun phrase, English noun phrase); "{pop}" is the population
_ANCHORS: list[tuple[float, str, str]] = (
    [
        (0.25, "een kwart van de {pop}", "a quarter of {pop}"),
        (1 / 3, "een derde van de {pop}", "a third of {pop}"),
        (0.5, "de helft van de {pop}", "half of {pop}"),
        (2 / 3, "twee derde van de {pop}", "two thirds of {pop}"),
        (0.75, "driekwart van de {pop}", "three quarters of {pop}"),
        (1.0, "alle {pop}", "all {pop}"),
    ]
    + [
        (k / 10, f"{_NL_NUM[k]} op de tien {{pop}}", f"{_EN_NUM[k]} in ten {{pop}}")
        for k in (1, 3, 4, 6, 7, 8, 9)
    ]
    + [(0.2, "één op de vijf {pop}", "one in five {pop}")]
)
_TIE = 0.05 + 1e-9  # items tie for first place only within 5 points of the top
_WIDE = 0.15  # an interval wider than this gets the number, not a phrase
_ABOUT = 0.025 + 1e-9  # "ongeveer"/"about" a fraction: within 2.5 percentage points
_NEAR = 0.035 + 1e-9  # "ruim"/"bijna" a fraction: at most 3.5 points above or below it


def quantity(est: float, lo: float, hi: float, lang: str, pop: str | None = None) -> str:
    """A noun phrase for a share that neither understates nor overstates it (rule 2).

    Examples
    --------
    >>> quantity(0.97, 0.95, 0.98, "nl"), quantity(0.55, 0.52, 0.58, "en")
    ('bijna alle jongeren', '55% of young people')
    """
    pop = pop or i18n.t("population", lang)
    if _nan(est):
        return ""
    pct = i18n.percent(est, lang)
    fallback = i18n.t("q_numeric", lang, pct=pct, pop=pop)
    p = round(100 * est) / 100  # judge the number the reader sees
    if p >= 0.995 and not _nan(lo) and lo >= 0.98:
        return i18n.t("q_virtually_all", lang, pop=pop)
    if _nan(lo) or _nan(hi) or p < 0.08 or hi - lo > _WIDE:
        return fallback
    # "about" before "over"/"under"; the nearest fraction first, round fractions before tenths
    for a, nl, en in sorted(
        _ANCHORS, key=lambda x: (abs(p - x[0]) > _ABOUT, round(abs(p - x[0]), 4))
    ):
        mod = _modifier(p, lo, hi, a)
        if mod is None or (a == 1.0 and mod not in ("under",)):
            continue
        words = "" if mod == "exact" else i18n.t(f"q_{mod}", lang)
        return words + (nl if lang == "nl" else en).format(pop=pop)
    return fallback


def _modifier(p: float, lo: float, hi: float, a: float) -> str | None:
    """``exact``, ``about``, ``over`` or ``under`` anchor ``a``, or None."""
    d = p - a
    if abs(d) < 0.005:
        return "exact"
    if abs(d) <= _ABOUT:
        return "about"
    if 0 < d <= _NEAR and lo > a:
        return "over"
    if -(_NEAR if a < 1 else 0.05 + 1e-9) <= d < 0 and hi < a:  # "bijna alle" from 95%
        return "under"
    return None


# -- subjects --------------------------------------------------------------------------------------
def subject(result: Result, variable: str, lang: str, label: str | None = None) -> str:
    """What a headline is about: the short label of ``variable``, else its label (rule 1)."""
    shorts = result.meta.short_labels
    for key in (lang, None, "default"):
        if variable in (shorts.get(key) or {}):
            return str(shorts[key][variable])
    return str(label) if label else result.label(variable, lang)


def _and(what: str, rest: str) -> str:
    """``what, rest``; after a question ``what? Rest`` ("Hoe vaak …? Minstens één keer")."""
    what = what.strip()
    return f"{what} {_cap(rest)}" if what.endswith("?") else f"{what}, {rest}" if what else rest


def _about(item: str, where: str, rest: str) -> str:
    """``item where: rest``; a question keeps its question mark (``"Hoe vaak …? In 2023: …"``)."""
    item = item.strip()
    if item.endswith("?"):
        return _cap(f"{item} {where.strip().capitalize() + ': ' if where else ''}{rest}")
    return _cap(f"{item}{where}: {rest}")


def _at_least_words(labels: list[str], start: int, lang: str) -> str:
    """``minstens één keer`` / ``at least once``, or ``‘1 keer’ of vaker`` for a named threshold."""
    if start == 1:
        return i18n.t("at_least_once", lang)
    return i18n.t("at_least_answer", lang, answer=labels[start])


# -- comparing groups --------------------------------------------------------------------------------
def holm(p: list[float]) -> list[float]:
    """Holm's adjusted p-values (R ``p.adjust(p, "holm")``)."""
    from statsmodels.stats.multitest import multipletests

    return [float(x) for x in multipletests(p, method="holm")[1]] if p else []


@dataclass
class _Pair:
    item: str
    a: pd.Series
    b: pd.Series
    p: float
    clear: bool = False


def _eligible(rows: pd.DataFrame) -> pd.DataFrame:
    """Groups a headline may compare: shown, solid, a SE (or one from the CI), n_eff ≥ 50."""
    rows = rows.assign(
        se=rows["se"].where(rows["se"].notna(), (rows["ci_high"] - rows["ci_low"]) / (2 * 1.959964))
    )
    ok = rows[
        ~rows["suppressed"] & ~rows["indicative"] & rows["estimate"].notna() & rows["se"].notna()
    ]
    ok = ok.assign(_size=ok["n_eff"].where(ok["n_eff"].notna(), ok["n"]))
    return ok[ok["_size"] >= MIN_GROUP_NEFF].sort_values("_size", ascending=False, kind="stable")


def _pairs(items: dict[str, pd.DataFrame], result: Result, lang: str) -> list[_Pair]:
    """Every pair of eligible groups, tested by comparison.pair_test, Holm-corrected."""
    pairs = []
    for item, rows in items.items():
        for (_, a), (_, b) in combinations(_eligible(rows).iterrows(), 2):
            p = pair_test(result, a, b, lang)[2]
            pairs.append(_Pair(item, a, b, 1.0 if math.isnan(p) else p))
    for pair, adj in zip(pairs, holm([x.p for x in pairs]), strict=True):
        pair.clear = adj < ALPHA
    return pairs


def _group_list(rows: list[pd.Series], order: list[str], result: Result, lang: str) -> str:
    """``meisje 28%, jongen 16%`` in the groups' order; a tie named once (``jongen en meisje 33%``)."""
    rows = sorted(rows, key=lambda r: order.index(r["group"]))
    by = result.by[0] if result.by else ""
    shown: dict[str, list[str]] = {}
    for r in rows:  # a bare number (age 14) is named with its grouping: "leeftijd 14: 94%"
        g = str(r["group"])
        g = f"{lower_first(result.label(by, lang))} {g}:" if by and g.isdigit() else g
        shown.setdefault(value(r["estimate"], result, lang), []).append(g)
    return ", ".join(f"{i18n.join(gs, lang)} {v}" for v, gs in shown.items())


def groups(table: pd.DataFrame, result: Result, lang: str, item: str | None = None) -> str:
    """Headline for groups (rule 3): the clearest difference among groups with enough
    respondents, or that none differs clearly; one answer scale by its "at least once" share."""
    table = _one_share_per_group(table, result, lang)
    where = _item_suffix(result, lang)
    shown = _shown(table)
    if shown.empty:
        return i18n.t("h_none", lang, item=(item or str(table["label"].iloc[0])) + where)
    order = list(dict.fromkeys(table["group"]))
    if len(order) > 1 and shown["group"].nunique() == 1:  # one group visible: no comparison
        top = shown.loc[shown["estimate"].idxmax()]
        text = _group_list([top], order, result, lang)
        return _about(item or str(top["label"]), where, i18n.t("h_one_group", lang, groups=text))
    items = {lab: rows for lab, rows in shown.groupby("label", sort=False)}
    pairs = _pairs(items, result, lang)
    clear = [x for x in pairs if x.clear]
    if clear:
        best = max(clear, key=lambda x: abs(x.a["estimate"] - x.b["estimate"]))
        text = _group_list([best.a, best.b], order, result, lang)
        return _about(item or best.item, where, i18n.t("h_group_diff", lang, groups=text))
    if not pairs:  # no two groups large enough to compare: the numbers, no judgement
        label, rows = max(items.items(), key=lambda kv: kv[1]["estimate"].mean())
        text = _group_list(list(rows.to_dict("index").values())[:4], order, result, lang)
        return _about(item or label, where, text)
    # nothing clear: the item with the most respondents compared, its (largest) groups named
    label = max(items, key=lambda k: len(_eligible(items[k])))
    compared = list(_eligible(items[label]).head(3).to_dict("index").values())
    text = _group_list(compared, order, result, lang)
    if len({value(r["estimate"], result, lang) for r in compared}) == 1:
        return _about(item or label, where, text)  # a tie: "jongen en meisje 33%"
    return _about(item or label, where, i18n.t("h_group_same", lang, groups=text))


def _one_share_per_group(table: pd.DataFrame, result: Result, lang: str) -> pd.DataFrame:
    """One answer scale by group → its "at least once" share per group (rule 4)."""
    if table["variable"].nunique() != 1 or table["category"].nunique() < 2:
        return table
    var = str(table["variable"].iloc[0])
    labels = list(dict.fromkeys(table["category_label"]))
    start = at_least(labels, result, var)
    if start is None:
        what = subject(result, var, lang)
        yes = [x for x in labels if _YES.match(str(x))]
        if _yes_row(table) is not None:  # a yes/no question: compare the yes share
            table = table[table["category_label"] == yes[0]]
        return table.assign(label=[_and(what, f"‘{x}’") for x in table["category_label"]])
    out = []
    for _, rows in table.groupby("group", sort=False):
        rows = rows.set_index("category_label").reindex(labels)
        zero = rows.iloc[:start]
        row = rows.iloc[start].copy()
        row["estimate"] = 1 - zero["estimate"].sum(min_count=len(zero))
        row["cells"] = tuple(zero["category"])  # the group test's answers (1 − their sum)
        if start == 1:  # 1 − p₀ has p₀'s SE and the mirrored interval
            row["se"] = zero["se"].iloc[0]
            row["ci_low"], row["ci_high"] = 1 - zero["ci_high"].iloc[0], 1 - zero["ci_low"].iloc[0]
        else:  # a sum of answers: its SE from n_eff
            p, m = row["estimate"], row["n_eff"] if pd.notna(row["n_eff"]) else row["n"]
            row["se"] = math.sqrt(p * (1 - p) / m) if pd.notna(p) and m else np.nan
        row["suppressed"] = bool(rows["suppressed"].any())
        row["indicative"] = bool(rows["indicative"].any())
        row["label"] = _and(subject(result, var, lang), _at_least_words(labels, start, lang))
        out.append(row)
    return pd.DataFrame(out).reset_index(drop=True)


# -- one item or several, without groups ---------------------------------------------------------------
def _is_reach(table: pd.DataFrame, result: Result) -> bool:
    if result.meta.measure == "reach":
        return True
    variables = [v for v in table["variable"].unique() if v]
    return len(variables) > 1 and all(_REACH.match(v) for v in variables)


def _pct(est: float, lo: float, hi: float, lang: str) -> str:
    """`` (97%)`` after a phrase; ``""`` when the phrase is the number itself."""
    q = quantity(est, lo, hi, lang)
    return "" if q.startswith(i18n.percent(est, lang)) else f" ({i18n.percent(est, lang)})"


def _ties(shown: pd.DataFrame) -> pd.DataFrame:
    """Items tying for first: intervals reach the top one's, within :data:`_TIE` of it."""
    top = shown.iloc[0]
    if _nan(top["ci_low"]):
        return shown[shown["estimate"].round(2) == round(top["estimate"], 2)]
    return shown[
        (shown["ci_high"] >= top["ci_low"]) & (top["estimate"] - shown["estimate"] <= _TIE)
    ]


def ranked(table: pd.DataFrame, result: Result, lang: str, item: str = "") -> str:
    """Headline for ranked bars and big numbers: the highest item and how high (rule 2);
    the answers of one frequency or count question by the share "at least once" (rule 4)."""
    shown = _shown(table).sort_values("estimate", ascending=False, kind="stable")
    pop, where = _selected_population(result, lang), _item_suffix(result, lang)
    multi = table["variable"].nunique() > 1
    what = item or ("" if multi else subject(result, str(table["variable"].iloc[0]), lang))
    if shown.empty:
        return i18n.t("h_none", lang, item=(what or str(table["label"].iloc[0])) + where)
    top = shown.iloc[0]
    label, number = str(top["label"]), value(top["estimate"], result, lang)
    if not is_percent(result):
        if len(shown) == 1 and result.meta.kind == "quantile":  # "uren (mediaan): 2,1"
            return i18n.t("h_single", lang, item=label + where, q="", pct=number)
        clear = len(shown) > 1 and top["ci_low"] > shown.iloc[1]["ci_high"]  # False with NaN
        return i18n.t(
            "h_mean_top" if clear else "h_mean_one", lang, item=label + where, value=number
        )
    if not multi and table["category"].nunique() > 1:
        return _answers(table, shown, result, lang, what, where, pop)
    q = quantity(top["estimate"], top["ci_low"], top["ci_high"], lang, pop)
    pct = _pct(top["estimate"], top["ci_low"], top["ci_high"], lang)
    reach = _is_reach(table, result)
    ties = _ties(shown) if len(shown) > 1 else shown
    if len(ties) <= 1:
        key = "h_reach_one" if reach else "h_single" if len(shown) == 1 else "h_named_one"
        return _cap(i18n.t(key, lang, item=label, q=q, pct=pct))
    names, rng, low = (
        _names([str(x) for x in ties["label"]], lang),
        _range(ties, lang),
        ties.iloc[-1],
    )
    if reach and pct and q == quantity(low["estimate"], low["ci_low"], low["ci_high"], lang, pop):
        rng = rng.split()[-1]  # one phrase fits them all: "A en B bereiken elk bijna alle … (97%)"
        return _cap(i18n.t("h_reach_each", lang, items=names, q=q, range=rng))
    return _cap(
        i18n.t("h_reach_tie" if reach else "h_named_tie", lang, items=names, pop=pop, range=rng)
    )


def _range(ties: pd.DataFrame, lang: str) -> str:
    """``28–31%``; one number named once when they round alike (``elk 90%``)."""
    low, high = float(ties["estimate"].min()), float(ties["estimate"].max())
    same = i18n.percent(low, lang) == i18n.percent(high, lang)
    return (
        i18n.t("each", lang, pct=i18n.percent(low, lang))
        if same
        else i18n.percent_range(low, high, lang)
    )


def _names(labels: list[str], lang: str, limit: int = 100) -> str:
    """``a, b en c``; when too long for a headline ``a en 2 andere`` (the rest on the chart)."""
    text = i18n.join(labels, lang)
    if len(text) <= limit or len(labels) < 2:
        return text
    k = len(labels) - 1
    return i18n.t("and_other" if k == 1 else "and_others", lang, first=labels[0], k=k)


def _yes_row(table: pd.DataFrame) -> pd.Series | None:
    """The shown "ja"/"yes" row of a yes/no question (perhaps with "weet niet"), else None."""
    labels = [str(x) for x in dict.fromkeys(table["category_label"])]
    yes = [x for x in labels if _YES.match(x)]
    if len(yes) != 1 or not any(_NO.match(x) for x in labels) or len(labels) > 3:
        return None
    row = table[table["category_label"] == yes[0]].iloc[0]
    return None if row["suppressed"] or _nan(row["estimate"]) else row


def _answers(
    table: pd.DataFrame,
    shown: pd.DataFrame,
    result: Result,
    lang: str,
    what: str,
    where: str,
    pop: str,
) -> str:
    """One question's answers: "at least once" on a frequency scale, the yes share of a yes/no
    question, else the answer chosen most often (ties named), always with the subject."""
    labels = list(dict.fromkeys(table["category_label"]))
    start = at_least(labels, result, str(table["variable"].iloc[0]))
    zero = table.set_index("category_label").reindex(labels).iloc[: start or 0]
    if start is not None and zero["estimate"].notna().all():
        p = 1 - float(zero["estimate"].sum())
        lo, hi = (
            (1 - zero["ci_high"].iloc[0], 1 - zero["ci_low"].iloc[0])
            if start == 1
            else (np.nan, np.nan)
        )
        rest = f"{quantity(p, lo, hi, lang, pop)} {_at_least_words(labels, start, lang)}{_pct(p, lo, hi, lang)}"
        return _about(what, "", rest)
    if (yes := _yes_row(table)) is not None:  # a yes/no question: the share that says yes
        pct, cats = i18n.percent(yes["estimate"], lang), f"‘{yes['category_label']}’"
        return _about(what, where, i18n.t("h_answer", lang, pct=pct, cats=cats))
    ties = _ties(shown)
    items = _names([f"‘{x}’" for x in ties["category_label"]], lang)
    if len(ties) > 1:
        return _about(
            what, where, i18n.t("h_chosen_tie", lang, items=items, range=_range(ties, lang))
        )
    e, lo, hi = (shown.iloc[0][c] for c in ("estimate", "ci_low", "ci_high"))
    rest = i18n.t(
        "h_chosen_one",
        lang,
        item=items,
        q=quantity(e, lo, hi, lang, pop),
        pct=_pct(e, lo, hi, lang),
    )
    return _about(what, "", rest)


def diverging(
    items: list[dict[str, Any]], result: Result, lang: str, what: str, by_groups: bool = False
) -> str:
    """Headline for answer scales: items are dicts (``label``, ``share`` of the answers
    ``cats``, ``n``, ``n_eff``, ``at_least``); groups of one question compared as in
    :func:`groups`."""
    if all(_nan(i["share"]) for i in items):
        return ""
    where = _item_suffix(result, lang)
    first = next(i for i in items if not _nan(i["share"]))
    cats = i18n.join([f"‘{c}’" for c in first["cats"]], lang, word="or")
    cats = _at_least_words(["", ""], 1, lang) if first["at_least"] else cats
    if by_groups and len(items) > 1:
        blank = {"ci_low": np.nan, "ci_high": np.nan, "variable": "", "category": "", "label": what}
        rows = pd.DataFrame(
            {
                **blank,
                "group": i["label"],
                "estimate": i["share"],
                "se": _se(i),
                "n": i["n"],
                "n_eff": i["n_eff"],
                "suppressed": _nan(i["share"]),
                "indicative": bool(i.get("indicative")),
                **_cells(i),
            }
            for i in items
        )
        return groups(rows, result, lang, item=_and(what, cats))
    items = [i for i in items if not _nan(i["share"])]
    top = max(items, key=lambda i: i["share"])
    pop = population(result, lang)
    share, ci = top["share"], _ci(top)
    rest = f"{quantity(share, *ci, lang, pop)} {cats}{_pct(share, *ci, lang)}"
    if not first["at_least"]:
        rest = i18n.t("h_answer", lang, pct=i18n.percent(share, lang), cats=cats)
    return _about(top["label"] if len(items) > 1 else what, where, rest)


def _cells(item: dict[str, Any]) -> dict[str, Any]:
    """A bar's groups, variable and counted answers, for comparison.pair_test's covariance."""
    rows = item.get("rows")
    if rows is None or "groups" not in rows or not rows["groups"].notna().any():
        return {}
    return {
        "variable": item["variable"],
        "groups": rows["groups"].dropna().iloc[0],
        "cells": tuple(rows.index[len(rows) - len(item["cats"]) :]),
    }


def _se(item: dict[str, Any]) -> float:
    if not _nan(item.get("se")):
        return float(item["se"])
    m = item.get("n_eff") if not _nan(item.get("n_eff")) else item.get("n")
    p = item["share"]
    return math.sqrt(p * (1 - p) / m) if m and not _nan(m) else np.nan


def _ci(item: dict[str, Any]) -> tuple[float, float]:
    if item.get("ci") is not None:
        return item["ci"]
    se = _se(item)
    return (
        (item["share"] - 1.96 * se, item["share"] + 1.96 * se) if not _nan(se) else (np.nan, np.nan)
    )


# -- over time, and differences ----------------------------------------------------------------------
def _wave_positions(groups_: pd.Series) -> dict[Any, float]:
    """Where each wave sits on the time axis: its number when all waves are numbers."""
    waves = list(dict.fromkeys(groups_))
    try:
        return {w: float(str(w).replace(",", ".")) for w in waves}
    except ValueError:
        return {w: float(i) for i, w in enumerate(waves)}


def trend(table: pd.DataFrame, result: Result, lang: str) -> str:
    """Headline for a trend: the largest clear change from first to last wave (intervals
    apart), else the highest series and its numbers.

    Examples
    --------
    >>> r = Result.from_rows([{"year": "2016", "variable": "fb", "estimate": 0.88},
    ...                       {"year": "2017", "variable": "fb", "estimate": 0.80}], by=["year"],
    ...                      labels={"nl": {"fb": "Facebook"}})
    >>> from youthmedia.figures.data import plot_table
    >>> trend(plot_table(r, "nl"), r, "nl")
    'Facebook: van 88% (2016) naar 80% (2017)'
    """
    shown = _shown(table, solid=True)
    if shown.empty:
        return i18n.t("h_none", lang, item=table["label"].iloc[0])
    shown = shown.assign(_pos=shown["group"].map(_wave_positions(table["group"])))
    shown = shown.sort_values("_pos", kind="stable")
    best, best_change, top, top_key = None, 0.0, None, (-1, -math.inf)
    for label, rows in shown.groupby("label", sort=False):
        a, b = rows.iloc[0], rows.iloc[-1]
        key = (int(len(rows) > 1), b["estimate"])
        if key > top_key:
            top, top_key = (label, a, b, len(rows)), key
        if len(rows) < 2:
            continue
        clear = a["ci_high"] < b["ci_low"] or b["ci_high"] < a["ci_low"]  # False with a NaN
        change = abs(b["estimate"] - a["estimate"])
        if clear and change > best_change:
            best, best_change = (label, a, b, len(rows)), change
    label, a, b, waves = best or top
    fields = {
        "item": str(label) + _item_suffix(result, lang),
        "a": value(a["estimate"], result, lang),
        "wa": a["group"],
        "b": value(b["estimate"], result, lang),
        "wb": b["group"],
    }
    if waves == 1:
        return _cap(i18n.t("h_trend_one", lang, **fields))
    if best is None:
        judged = not any(_nan(x) for x in (a["ci_low"], a["ci_high"], b["ci_low"], b["ci_high"]))
        return _cap(i18n.t("h_trend_flat" if judged else "h_trend_numbers", lang, **fields))
    return _cap(
        i18n.t("h_trend_up" if b["estimate"] > a["estimate"] else "h_trend_down", lang, **fields)
    )


def difference(table: pd.DataFrame, result: Result, lang: str) -> str:
    """Headline for differences: the largest clear rise and fall (its interval leaves out 0),
    in percentage points for shares, and between which groups or waves."""
    a, b = _compared(result, lang)
    by = str(result.meta.compared_by or "")
    if _is_wave(by) or not by:
        span = i18n.t("span_waves", lang, a=a, b=b) if a and b else ""
        none = i18n.t("no_clear_change", lang)
    else:
        span = i18n.t("span_groups", lang, a=a, b=b)
        none = i18n.t("no_clear_difference", lang)
    shown = _shown(table)
    clear = shown[(shown["ci_low"] > 0) | (shown["ci_high"] < 0)]
    if clear.empty:
        return f"{none} {span}".strip()
    picks = []
    rise = clear[clear["estimate"] > 0]
    fall = clear[clear["estimate"] < 0]
    if not rise.empty:
        picks.append(rise.loc[rise["estimate"].idxmax()])
    if not fall.empty:
        picks.append(fall.loc[fall["estimate"].idxmin()])
    parts = [f"{row['label']} {signed(row['estimate'], result, lang)}" for row in picks]
    unit = _unit(result, lang)
    return _cap(" ".join(x for x in (i18n.join(parts, lang), unit, span) if x))
