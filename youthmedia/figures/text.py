"""Words around a figure: headline, source line, footnotes, alt text and speaker notes.

Headlines state the finding in words without claiming more than the numbers carry: a strong
phrase ("bijna alle jongeren", "almost all young people") is used only when the lower end of the
confidence interval supports it, a ranking ("WhatsApp bereikt ...") only when the top estimate's
interval does not overlap the next one's, and a difference between groups or waves only when
their intervals do not overlap (a conservative check; otherwise the headline says the
difference is unclear). Without confidence intervals a headline gives the number, not a phrase.

Examples
--------
>>> quantity(0.97, 0.95, 0.98, "nl")
'bijna alle jongeren'
>>> quantity(0.55, 0.45, 0.65, "en")
'about half of young people'
>>> quantity(0.55, float("nan"), float("nan"), "en")
'55% of young people'
"""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd

from .. import i18n, privacy
from ..result import Result
from .data import indicative_threshold, is_difference, is_percent

__all__ = [
    "alt_text",
    "footnotes",
    "headline_difference",
    "headline_diverging",
    "headline_groups",
    "headline_ranked",
    "headline_trend",
    "lower_first",
    "population",
    "quantity",
    "selection",
    "signed",
    "source_line",
    "speaker_notes",
    "upper_first",
    "value",
]

_REACH = re.compile(r"^(use|uses|used|using|gebruik|gebruikt|heeft|has|account)[_ .]", re.I)


def _nan(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def population(result: Result, lang: str) -> str:
    """The population noun for headlines: ``meta["population"]`` or "jongeren"/"young people"."""
    pop = result.meta.get("population")
    return i18n.text_in(pop, lang) if pop else i18n.t("population", lang)


def value(x: float, result: Result, lang: str, decimals: int | None = None) -> str:
    """An estimate as the reader sees it: a percentage for shares, a number for means, a signed
    number of percentage points for a difference of shares (``+42 procentpunt``)."""
    if is_difference(result):
        text = signed(x, result, lang, decimals)
        unit = _unit(result, lang)
        return f"{text} {unit}" if unit and text else text
    if is_percent(result):
        return i18n.percent(x, lang, 0 if decimals is None else decimals)
    return i18n.number(x, lang, 1 if decimals is None else decimals)


_PP = {"nl": "procentpunt", "en": "percentage points"}


def _unit(result: Result, lang: str) -> str:
    """The unit of a difference: percentage points for shares, none for means."""
    return _PP[lang] if is_percent(result) else ""


def signed(x: float, result: Result, lang: str, decimals: int | None = None) -> str:
    """A difference with its sign (``+42``, ``−16``, ``0``): percentage points for shares.

    Examples
    --------
    >>> r = Result.from_rows([{"variable": "x", "estimate": 0.42}], kind="difference", percent=True)
    >>> signed(0.42, r, "nl"), signed(-0.164, r, "en"), value(0.42, r, "nl")
    ('+42', '−16', '+42 procentpunt')
    """
    if _nan(x):
        return ""
    if is_percent(result):
        text = i18n.number(100 * abs(x), lang, 0 if decimals is None else decimals)
    else:
        text = i18n.number(abs(x), lang, 1 if decimals is None else decimals)
    if text.strip("0,.") == "":
        return text
    return ("+" if x > 0 else "−") + text


# -- what a Result was selected on (Result.select) ---------------------------------------------
_WAVES = ("wave", "year", "jaar", "golf", "meting", "ronde", "round")


def _is_wave(name: str) -> bool:
    return str(name).lower() in _WAVES


def selection(result: Result, lang: str) -> tuple[str, str]:
    """What :meth:`Result.select` kept: (the wave or year, the other groups), as labels.

    Examples
    --------
    >>> r = Result.from_rows([{"wave": "2023", "school": "havo", "variable": "x", "n": 40}],
    ...                      by=["wave", "school"]).select(wave=2023, school="havo")
    >>> selection(r, "nl")
    ('2023', 'havo')
    """
    waves, groups = [], []
    for name, val in (result.meta.get("selection") or {}).items():
        label = result.category_label(name, val, lang)
        (waves if _is_wave(name) else groups).append(label)
    return ", ".join(waves), ", ".join(groups)


def _in(wave: str, lang: str) -> str:
    return f" in {wave}" if wave else ""   # the same word in Dutch and English


def _item_suffix(result: Result, lang: str) -> str:
    """`` (havo) in 2023``: what a selected Result is about, to follow an item in a headline;
    `` (mediaan)`` first for a quantile Result (summaries.quantile)."""
    wave, group = selection(result, lang)
    return _quantile_word(result, lang) + (f" ({group})" if group else "") + _in(wave, lang)


def _quantile_word(result: Result, lang: str) -> str:
    if result.meta.get("kind") != "quantile" or "q" not in result or result["q"].nunique() != 1:
        return ""
    q = float(result["q"].iloc[0])
    word = i18n.t("median", lang) if q == 0.5 else i18n.t("percentile", lang, p=f"{100 * q:g}")
    return f" ({word})"


def _selected_population(result: Result, lang: str) -> str:
    """The population noun with the selection: ``jongeren (havo) in 2023``."""
    return population(result, lang) + _item_suffix(result, lang)


def quantity(est: float, lo: float, hi: float, lang: str, pop: str | None = None,
             decimals: int = 0) -> str:
    """A noun phrase for a share that its confidence interval supports ("bijna alle jongeren")."""
    pop = pop or i18n.t("population", lang)
    if _nan(est):
        return ""
    return i18n.t(_quantity_key(est, lo, hi), lang, pop=pop, pct=i18n.percent(est, lang, decimals))


def _quantity_key(est: float, lo: float, hi: float) -> str:
    """The i18n key of :func:`quantity`'s phrase; ``"q_numeric"`` when it is the number itself."""
    if _nan(lo) or _nan(hi):
        return "q_numeric"
    if lo >= 0.98 and est >= 0.99:
        return "q_virtually_all"
    if lo >= 0.90:
        return "q_almost_all"
    if lo > 0.75:
        return "q_three_quarters"
    if lo > 2 / 3:
        return "q_two_thirds"
    if lo > 0.5:
        return "q_half_plus"
    if lo <= 0.5 <= hi and 0.4 <= est <= 0.6:
        return "q_about_half"
    if lo > 0.25:
        return "q_quarter_plus"
    if lo > 0.10:
        return "q_tenth_plus"
    if hi < 0.10:
        return "q_under_tenth"
    return "q_numeric"


def _is_reach(table: pd.DataFrame, result: Result) -> bool:
    if result.meta.get("measure") == "reach":
        return True
    variables = [v for v in table["variable"].unique() if v]
    return len(variables) > 1 and all(_REACH.match(v) for v in variables)


def _cap(text: str) -> str:
    """Capital first letter, also inside an opening quote (``"‘Vaak’ of ..."``);
    ``"Vraag?: 12% ..."`` reads as ``"Vraag? 12% ..."``."""
    text = text.replace("?: ", "? ")
    k = 1 if text[:1] in "‘“'\"" and len(text) > 1 else 0
    return text[:k] + text[k:k + 1].upper() + text[k + 1:] if text else text


def lower_first(text: str) -> str:
    """A label used inside a sentence: its first letter lower-cased, unless the first two
    letters are both capitals (an abbreviation or a name like "X (Twitter)").

    Examples
    --------
    >>> lower_first("Geslacht"), lower_first("HBSC"), lower_first("X (Twitter)")
    ('geslacht', 'HBSC', 'X (Twitter)')
    """
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def upper_first(text: str) -> str:
    """The first letter capitalised, the rest left as it is (``"tikTok-gebruik"`` stays
    ``"TikTok-gebruik"``, not ``"Tiktok-gebruik"``)."""
    return text[:1].upper() + text[1:]


def _quote(label: str) -> str:
    return f"‘{label}’"


def _shown(table: pd.DataFrame, solid: bool = False) -> pd.DataFrame:
    """Rows with an estimate; with ``solid`` only the non-indicative ones where there are any."""
    shown = table[~table["suppressed"] & table["estimate"].notna()]
    if solid and (~shown["indicative"]).any():
        shown = shown[~shown["indicative"]]
    return shown


def _short(label: str, limit: int = 60) -> str:
    """A label cut at a word boundary to fit in a headline."""
    label = str(label)
    if len(label) <= limit:
        return label
    cut = label[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"


def _mid_sentence(label: str) -> str:
    """A sentence-like label ("Regelmatig aan niets ...") lower-cased inside a sentence; names
    ("YouTube", "X (Twitter)") are left alone."""
    words = label.split()
    if len(words) >= 3 and words[0][1:].islower() and words[0][:1].isupper():
        return label[:1].lower() + label[1:]
    return label


def _list_items(labels: list[str], lang: str, limit: int = 3) -> str:
    if any(len(x) > 40 for x in labels):
        limit = min(limit, 2)
    labels = [_short(x, 50 if len(labels) > 1 else 60) for x in labels]
    labels = labels[:1] + [_mid_sentence(x) for x in labels[1:]]
    if len(labels) > limit:
        return i18n.join(labels[:limit] + [i18n.t("more", lang, k=len(labels) - limit)], lang)
    return i18n.join(labels, lang)


def _tie_text(labels: list[str], shown: pd.DataFrame, lang: str, quote: bool = False) -> str:
    """The items of a tie for a headline; when they would make it long (long answers), their
    number and range instead ("3 antwoorden ongeveer even vaak genoemd (31–35%)" is built by the
    caller from the count)."""
    items = [_quote(x) if quote else x for x in labels]
    text = _list_items(items, lang)
    return text if len(text) <= 48 else ""


def headline_ranked(table: pd.DataFrame, result: Result, lang: str, subject: str = "") -> str:
    """Headline for ranked bars and big numbers: which item is highest, and how high.

    A Result selected on a wave or group (:meth:`Result.select`) says so in its population
    ("bijna alle jongeren in 2023"). Items that tie for first place are listed when they fit
    on a headline, and counted ("3 antwoorden ongeveer even vaak genoemd (31–35%)") when not.

    Examples
    --------
    >>> r = Result.from_rows([{"wave": "2023", "variable": "wa", "estimate": 0.96,
    ...     "ci_low": 0.95, "ci_high": 0.97, "n": 1500}], by=["wave"],
    ...     labels={"nl": {"wa": "WhatsApp"}}).select(wave=2023)
    >>> from youthmedia.figures.data import plot_table
    >>> headline_ranked(plot_table(r, "nl"), r, "nl")
    'WhatsApp: bijna alle jongeren in 2023 (96%)'
    """
    shown = _shown(table).sort_values("estimate", ascending=False, kind="stable")
    pop = _selected_population(result, lang)
    suffix = _item_suffix(result, lang)
    if shown.empty:
        return i18n.t("h_none", lang, item=(subject or table["label"].iloc[0]) + suffix)
    top = shown.iloc[0]
    if not is_percent(result):
        item = _short(top["label"]) + suffix
        if len(shown) == 1 and result.meta.get("kind") == "quantile":
            return i18n.t("h_single", lang, item=item, q="", pct=value(top["estimate"], result, lang))
        if len(shown) == 1:
            return i18n.t("h_mean_one", lang, item=item, value=value(top["estimate"], result, lang))
        second = shown.iloc[1]
        if not _nan(top["ci_low"]) and not _nan(second["ci_high"]) and top["ci_low"] > second["ci_high"]:
            return i18n.t("h_mean_top", lang, item=item, value=value(top["estimate"], result, lang))
        return i18n.t("h_mean_one", lang, item=item, value=value(top["estimate"], result, lang))
    reach = _is_reach(table, result)
    q = quantity(top["estimate"], top["ci_low"], top["ci_high"], lang, pop)
    # "bijna alle jongeren (97%)", but "84% van de jongeren" without the number twice
    pct = ("" if _quantity_key(top["estimate"], top["ci_low"], top["ci_high"]) == "q_numeric"
           else f" ({i18n.percent(top['estimate'], lang)})")
    if len(shown) == 1:
        key = "h_reach_one" if reach else "h_single"
        return _cap(i18n.t(key, lang, item=_short(top["label"]), q=q, pct=pct))
    if _nan(top["ci_low"]):
        ties = shown[shown["estimate"].round(2) == round(top["estimate"], 2)]
    else:
        ties = shown[shown["ci_high"] >= top["ci_low"]]
    multi = table["variable"].nunique() > 1
    if len(ties) <= 1:
        key = "h_reach_one" if reach else ("h_named_one" if multi else "h_chosen_one")
        return _cap(i18n.t(key, lang, item=_short(top["label"]), q=q, pct=pct))
    labels = [str(x) for x in ties["label"]]
    where = _item_suffix(result, lang)
    if reach:
        low = ties.iloc[-1]
        q_all = quantity(low["estimate"], low["ci_low"], low["ci_high"], lang, pop)
        if q_all and not q_all.startswith(i18n.percent(low["estimate"], lang)):
            verb = {"nl": "{items} bereiken elk {q}", "en": "{items} each reach {q}"}[lang]
            return _cap(verb.format(items=_list_items(labels, lang), q=q_all))
        verb = {"nl": "{items} hebben het grootste bereik", "en": "{items} have the widest reach"}[lang]
        return _cap(verb.format(items=_list_items(labels, lang)) + where)
    items = _tie_text(labels, ties, lang, quote=not multi)
    if not items:   # too long for a headline: how many, and how often
        what = {"nl": "antwoorden", "en": "answers"}[lang]
        verb = {"nl": "ongeveer even vaak {v}", "en": "{v} about equally often"}[lang].format(
            v={"nl": "genoemd" if multi else "gekozen",
               "en": "named" if multi else "chosen"}[lang])
        rng = i18n.percent_range(float(ties["estimate"].min()), float(ties["estimate"].max()), lang)
        return _cap(f"{i18n.number(len(ties), lang)} {what} {verb}{where} ({rng})")
    if multi:
        return _cap(i18n.t("h_named_tie", lang, items=items) + where)
    return _cap(i18n.t("h_chosen_tie", lang, items=items) + where)


def headline_groups(table: pd.DataFrame, result: Result, lang: str) -> str:
    """Headline for a comparison of groups: the clearest difference, or that none is clear.

    The two groups are named by their value labels with their numbers, in the groups' order
    ("Instagram: jongen 40%, meisje 80%; duidelijk verschil"): a value label ("meisje", "15-19
    jaar", "vmbo") reads well in a list whatever its grammar, where "hoger bij meisje" would not.
    Indicative estimates (small groups) are left out of the comparison.

    Examples
    --------
    >>> r = Result.from_rows([
    ...     {"gender": "jongen", "variable": "ig", "estimate": 0.4, "ci_low": 0.35, "ci_high": 0.45},
    ...     {"gender": "meisje", "variable": "ig", "estimate": 0.8, "ci_low": 0.76, "ci_high": 0.84}],
    ...     by=["gender"], labels={"nl": {"ig": "Instagram"}})
    >>> from youthmedia.figures.data import plot_table
    >>> headline_groups(plot_table(r, "nl"), r, "nl")
    'Instagram: jongen 40%, meisje 80%; duidelijk verschil'
    """
    shown = _shown(table, solid=True)
    if shown.empty:
        return i18n.t("h_none", lang, item=table["label"].iloc[0] + _item_suffix(result, lang))
    best, best_sep, fallback = None, 0.0, None
    for label, rows in shown.groupby("label", sort=False):
        if len(rows) < 2:
            continue
        hi = rows.loc[rows["estimate"].idxmax()]
        lo = rows.loc[rows["estimate"][::-1].idxmin()]   # another row than hi when all tie
        if fallback is None or rows["estimate"].mean() > fallback[3]:
            fallback = (label, hi, lo, rows["estimate"].mean())
        sep = hi["ci_low"] - lo["ci_high"]
        if not _nan(sep) and sep > best_sep:
            best, best_sep = (label, hi, lo), sep
    if fallback is None:
        return headline_ranked(shown, result, lang)
    label, hi, lo = best or fallback[:3]
    order = list(dict.fromkeys(table["group"]))
    groups = ", ".join(f"{row['group']} {value(row['estimate'], result, lang)}"
                       for row in sorted((hi, lo), key=lambda row: order.index(row["group"])))
    key = "h_group_diff" if best is not None else "h_group_same"
    return _cap(i18n.t(key, lang, item=_short(label, 45) + _item_suffix(result, lang), groups=groups))


def _wave_positions(groups: pd.Series) -> dict[Any, float]:
    """Where each wave sits on the time axis: its number when all waves are numbers (years, as
    the trend chart draws them), else its order of appearance."""
    waves = list(dict.fromkeys(groups))
    try:
        return {w: float(str(w).replace(",", ".")) for w in waves}
    except ValueError:
        return {w: float(i) for i, w in enumerate(waves)}


def headline_trend(table: pd.DataFrame, result: Result, lang: str) -> str:
    """Headline for a trend: the largest clear change from first to last wave, or, when no
    series changed clearly, the highest series and that its change is unclear.

    A change is judged only where both ends have an interval; a series without them gets its
    numbers and no judgement ("van 88% (2016) naar 80% (2017)"), a series with one wave its one
    number ("84% (2017)"). Indicative estimates are left out of the comparison.

    Examples
    --------
    >>> r = Result.from_rows([{"year": "2016", "variable": "fb", "estimate": 0.88},
    ...                       {"year": "2017", "variable": "fb", "estimate": 0.80}], by=["year"],
    ...                      labels={"nl": {"fb": "Facebook"}})
    >>> from youthmedia.figures.data import plot_table
    >>> headline_trend(plot_table(r, "nl"), r, "nl")
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
        key = (int(len(rows) > 1), b["estimate"])   # the highest series of two or more waves
        if key > top_key:
            top, top_key = (label, a, b, len(rows)), key
        if len(rows) < 2:
            continue
        clear = a["ci_high"] < b["ci_low"] or b["ci_high"] < a["ci_low"]   # False with a NaN
        change = abs(b["estimate"] - a["estimate"])
        if clear and change > best_change:
            best, best_change = (label, a, b, len(rows)), change
    label, a, b, waves = best or top
    fields = {"item": _short(label, 45) + _item_suffix(result, lang),
              "a": value(a["estimate"], result, lang), "wa": a["group"],
              "b": value(b["estimate"], result, lang), "wb": b["group"]}
    if waves == 1:
        return _cap(i18n.t("h_trend_one", lang, **fields))
    if best is None:
        judged = not any(_nan(x) for x in (a["ci_low"], a["ci_high"], b["ci_low"], b["ci_high"]))
        return _cap(i18n.t("h_trend_flat" if judged else "h_trend_numbers", lang, **fields))
    key = "h_trend_up" if b["estimate"] > a["estimate"] else "h_trend_down"
    return _cap(i18n.t(key, lang, **fields))


def headline_diverging(items: list[tuple[str, float, list[str]]], result: Result, lang: str,
                       by_groups: bool = False) -> str:
    """Headline for answer scales: the item with the largest share on the upper side.

    ``items`` holds (item or group label, upper-side share, upper-side category labels). With
    ``by_groups`` the items are groups of one question: the headline gives the highest and the
    lowest group's share in the groups' order ("‘vaak’ of ‘heel vaak’: jongen 50%, meisje 70%"),
    without claiming that they differ (there is no interval for a sum of answers here).

    An item labelled by its question is named by what the question asks about ("WhatsApp" of
    "Hoe vaak gebruik je WhatsApp?"); a single question that names nothing is left to the
    subtitle, and the headline gives the share alone.

    Examples
    --------
    >>> r = Result.from_rows([{"wave": "2023", "variable": "f", "estimate": 0.5}], by=["wave"]
    ...                      ).select(wave=2023)
    >>> headline_diverging([("Hoe vaak gebruik je WhatsApp?", 0.84, ["vaak"])], r, "nl")
    'WhatsApp in 2023: 84% antwoordt ‘vaak’'
    >>> headline_diverging([("How often were you bullied?", 0.02, ["often"])], r, "en")
    '2% answer ‘often’ in 2023'
    """
    items = [i for i in items if not _nan(i[1])]
    if not items:
        return ""
    label, share, cats = max(items, key=lambda i: i[1])
    pct = i18n.percent(share, lang)
    cats_text = i18n.join([_quote(c) for c in cats], lang, word="or")
    where = _item_suffix(result, lang)
    if by_groups and len(items) > 1:
        low_label, low_share, _ = min(items, key=lambda i: i[1])
        order = [i[0] for i in items]
        pair = sorted([(label, share), (low_label, low_share)], key=lambda g: order.index(g[0]))
        groups = ", ".join(f"{g} {i18n.percent(v, lang)}" for g, v in pair)
        return _cap(i18n.t("h_diverging_groups", lang, cats=cats_text + where, groups=groups))
    if label.rstrip().endswith("?"):   # a question is no subject: the name it asks about is
        subject = _question_subject(label)
        if subject:
            label = subject
        elif len(items) > 1:
            label = label.rstrip().rstrip("?").rstrip()
        else:   # the subtitle gives the question
            return _cap(i18n.t("h_diverging_question", lang, pct=pct, cats=cats_text, where=where))
    return _cap(i18n.t("h_diverging", lang, item=_short(label, 45) + where, pct=pct,
                       cats=cats_text))


_JOINING = {"of", "or", "en", "and", "&"}


def _initial(word: str) -> str:
    """The first letter of a word, past an opening bracket or quote."""
    return word.lstrip("(‘“'\"")[:1]


def _question_subject(question: str) -> str:
    """The name a question ends on ("WhatsApp" of "Hoe vaak gebruik je WhatsApp?"), or ``""``.

    The name is the run of capitalised words (with numbers and "of"/"and" between them) before
    the question mark, not counting the question's first word.

    Examples
    --------
    >>> _question_subject("Hoe vaak gebruik je WhatsApp?")
    'WhatsApp'
    >>> _question_subject("How often do you use X (Twitter) or Threads?")
    'X (Twitter) or Threads'
    >>> _question_subject("Hoe vaak ben je online gepest in 2023?")
    ''
    """
    words = question.rstrip().rstrip("?").split()
    taken: list[str] = []
    for i in range(len(words) - 1, 0, -1):
        first = _initial(words[i])
        if first.isupper() or first.isdigit():
            taken.insert(0, words[i])
        elif words[i].lower() in _JOINING and taken and _initial(words[i - 1]).isupper():
            taken.insert(0, words[i])
        else:
            break
    while taken and taken[0].lower() in _JOINING:   # "WhatsApp of TikTok?": not "of TikTok"
        taken.pop(0)
    if not any(_initial(w).isupper() for w in taken):
        return ""
    return " ".join(taken)


def headline_difference(table: pd.DataFrame, result: Result, lang: str) -> str:
    """Headline for differences (:func:`youthmedia.estimate.difference`): the largest clear
    rise and fall, in percentage points for shares, and between which groups or waves.

    A difference is clear when its own confidence interval leaves out 0 (the test of the
    difference, not whether the two groups' intervals overlap).

    Examples
    --------
    >>> r = Result.from_rows([
    ...     {"variable": "tt", "estimate": 0.42, "ci_low": 0.37, "ci_high": 0.46, "n": 3000},
    ...     {"variable": "fb", "estimate": -0.16, "ci_low": -0.21, "ci_high": -0.11, "n": 3000},
    ...     {"variable": "wa", "estimate": 0.01, "ci_low": -0.01, "ci_high": 0.03, "n": 3000}],
    ...     kind="difference", percent=True, groups=("2019", "2023"), compared_by="wave",
    ...     labels={"nl": {"tt": "TikTok", "fb": "Facebook", "wa": "WhatsApp"}})
    >>> from youthmedia.figures.data import plot_table
    >>> headline_difference(plot_table(r, "nl"), r, "nl")
    'TikTok +42 en Facebook −16 procentpunt van 2019 tot 2023'
    """
    a, b = _compared(result, lang)
    by = str(result.meta.get("compared_by") or "")
    if _is_wave(by) or not by:
        span = {"nl": f"van {a} tot {b}", "en": f"from {a} to {b}"}[lang] if a and b else ""
        none = {"nl": "Geen duidelijke verandering", "en": "No clear change"}[lang]
    else:
        span = {"nl": f"({b} vergeleken met {a})", "en": f"({b} compared with {a})"}[lang]
        none = {"nl": "Geen duidelijk verschil", "en": "No clear difference"}[lang]
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
    parts = [f"{_short(row['label'], 40)} {signed(row['estimate'], result, lang)}" for row in picks]
    unit = _unit(result, lang)
    return _cap(" ".join(x for x in (i18n.join(parts, lang), unit, span) if x))


def _compared(result: Result, lang: str) -> tuple[str, str]:
    """The labels of the two groups of a difference (``meta["groups"]``), first and second."""
    groups = list(result.meta.get("groups") or [])
    by = result.meta.get("compared_by")
    if len(groups) != 2:
        return "", ""
    if by:
        return tuple(result.category_label(by, str(g), lang) for g in groups)  # type: ignore[return-value]
    return str(groups[0]), str(groups[1])


# -- source line, footnotes ---------------------------------------------------------------------
def n_total(result: Result) -> int | None:
    """The unweighted number of respondents the Result rests on."""
    n = result.meta.get("n_total")
    if n is not None and not _nan(n):
        return int(n)
    frame = pd.DataFrame(result)
    if "n" not in frame or frame["n"].isna().all():
        return None
    by = [b for b in result.by if b in frame]
    if not by:
        return int(frame["n"].max())
    # one variable and category: its groups together
    first = frame[(frame["variable"] == frame["variable"].iloc[0])
                  & (frame["category"] == frame["category"].iloc[0])]
    return int(first["n"].sum())


def source_line(result: Result, lang: str) -> str:
    """``Bron: <dataset> <year>; n = 1.512; gewogen`` (or the English equivalent).

    A Result that says how its figures were made (``meta["source_note"]``, set for published
    tables: "published figures, assuming a simple random sample of n = 1,391") gets that note
    instead of "gewogen"/"ongewogen": a published figure from a weighted survey is not
    unweighted. The note's own n replaces the total n.

    Examples
    --------
    >>> r = Result.from_rows([{"variable": "x", "estimate": 0.5}], source={"name": "Pew", "year": 2024},
    ...                      n_total=1391, source_note={"en": "published figures, n = 1,391"})
    >>> source_line(r, "en")
    'Source: Pew 2024; published figures, n = 1,391'
    """
    src = result.meta.get("source") or {}
    name = i18n.text_in(src.get("name"), lang) if src.get("name") else i18n.t("data", lang)
    year = str(src.get("year") or "").strip()
    parts = [f"{i18n.t('source', lang)}: {name}{' ' + year if year else ''}"]
    note = i18n.text_in(result.meta.get("source_note"), lang)
    n = n_total(result)
    if n is not None and not re.search(r"\bn = ", note):
        parts.append(i18n.t("n_equals", lang, n=i18n.integer(n, lang)))
    parts.append(note or i18n.t("weighted" if result.meta.get("weighted") else "unweighted", lang))
    return "; ".join(parts)


def _level(result: Result, lang: str) -> str:
    level = result.meta.get("level") or 0.95
    return i18n.percent(level, lang)


def footnotes(table: pd.DataFrame, result: Result, lang: str, ci: str | None = "bars",
              indicative_n: int | None = None, extra: list[str] | None = None) -> list[str]:
    """Footnotes: what the CI marks mean, suppressed and indicative estimates, the Result's notes."""
    notes: list[str] = []
    has_ci = table["ci_low"].notna().any()
    if ci and has_ci:
        notes.append(i18n.t("ci_note_band" if ci == "band" else "ci_note_bars", lang,
                            level=_level(result, lang)))
    info = dict(result.meta.get("privacy") or {})
    info["indicative_n"] = indicative_threshold(result, indicative_n)
    info.setdefault("min_n", privacy.get_thresholds().min_n)
    codes = Result.from_rows(pd.DataFrame({"reason": list(table["reason"])}), privacy=info)
    for note in privacy.footnotes(codes, lang):
        if note.startswith(("Indicatief", "Indicative")):
            note = "* " + note
        notes.append(note)
    if table["suppressed"].any() and not any(n.startswith(privacy.SUPPRESSED_SYMBOL) for n in notes):
        # suppressed for a reason privacy does not know: say so in its own words
        own = [c for r in table.loc[table["suppressed"], "reason"] for c in str(r).split(";") if c]
        notes.append(i18n.t("suppressed_note", lang, reason="; ".join(dict.fromkeys(own))
                            or i18n.t("suppressed_default", lang)))
    notes += list(extra or [])
    # only the notes about the rows drawn (a Clopper–Pearson note only beside such a row)
    notes += [_not_repeating_source(i18n.text_in(n, lang), result, lang)
              for n in result.notes_for(table) if n]
    return [n for n in notes if n]


def _not_repeating_source(note: str, result: Result, lang: str) -> str:
    """A note without what the source line already says (``meta["source_note"]``).

    A published table's source line reads "published figures, assuming a simple random sample
    of n = 1,391"; its interval note then says only what the source line does not: "95%
    confidence intervals (Wilson). If the sample was weighted ...".

    Examples
    --------
    >>> r = Result.from_rows([{"variable": "x", "estimate": 0.5}],
    ...     source_note={"en": "published figures, assuming a simple random sample of n = 9"})
    >>> _not_repeating_source("Published figures; 95% CIs (Wilson) assuming a simple random "
    ...                       "sample of n = 9. If weighted, wider.", r, "en")
    '95% CIs (Wilson). If weighted, wider.'
    """
    source = i18n.text_in(result.meta.get("source_note"), lang)
    if not source or ", " not in source:
        return note
    head, tail = source.split(", ", 1)
    if tail not in note:
        return note
    out = note.replace(" " + tail, "").replace(tail, "")
    if out.lower().startswith(head.lower() + "; "):
        out = out[len(head) + 2:]
    return _cap(out.strip())


def _reason(code: str, result: Result, lang: str) -> str:
    info = result.meta.get("privacy") or {}
    return privacy.reason_text(code, lang, min_n=info.get("min_n"),
                               indicative_n=info.get("indicative_n"))


# -- alt text and speaker notes -----------------------------------------------------------------
def _number_line(row: pd.Series, result: Result, lang: str, with_n: bool = False) -> str:
    label = f"{row['label']}" + (f" ({row['group']})" if row.get("group") else "")
    if row["suppressed"] or _nan(row["estimate"]):
        text = f"{label}: {i18n.t('alt_not_shown', lang)}"
        if row.get("reason"):
            text += f" ({_reason(row['reason'], result, lang)})"
        return text
    text = f"{label}: {value(row['estimate'], result, lang)}"
    extras = []
    if not _nan(row["ci_low"]) and not _nan(row["ci_high"]):
        level = i18n.t("ci_short", lang, level=_level(result, lang))
        if is_difference(result):
            to = {"nl": "tot", "en": "to"}[lang]
            extras.append(f"{level} {signed(row['ci_low'], result, lang)} {to} "
                          f"{signed(row['ci_high'], result, lang)}")
        elif is_percent(result):
            extras.append(f"{level} {i18n.percent_range(row['ci_low'], row['ci_high'], lang)}")
        else:
            extras.append(f"{level} {value(row['ci_low'], result, lang)}–"
                          f"{value(row['ci_high'], result, lang)}")
    if with_n and not _nan(row["n"]):
        extras.append(i18n.t("n_equals", lang, n=i18n.integer(row["n"], lang)))
    if row["indicative"]:
        extras.append(i18n.t("alt_indicative", lang))
    if extras:
        text += f" ({'; '.join(extras)})"
    return text


def alt_text(kind_key: str, headline: str, subtitle: str, table: pd.DataFrame, result: Result,
             lang: str, by_label: str = "", limit: int = 16) -> str:
    """Alt text: what kind of chart, of what, its headline, its main numbers and its source."""
    kind = i18n.t(kind_key, lang)
    if by_label and by_label.lower() not in subtitle.lower():
        kind += " " + i18n.t("alt_by", lang, by=by_label)
    parts = [kind + (f": {subtitle}" if subtitle else "")]
    if headline:
        parts.append(headline)
    lines = [_number_line(row, result, lang) for _, row in table.iterrows()]
    if len(lines) > limit:
        lines = lines[:limit] + [f"{i18n.t('and', lang)} {i18n.t('more', lang, k=len(lines) - limit)}"]
    parts.append("; ".join(lines))
    parts.append(source_line(result, lang))
    return " ".join(p if p.endswith((".", "?", "!")) else p + "." for p in parts)


def speaker_notes(headline: str, subtitle: str, table: pd.DataFrame, result: Result, lang: str,
                  notes: list[str]) -> str:
    """Speaker notes: the numbers with their intervals and n, the source, the caveats."""
    out = [headline]
    if subtitle:
        out.append(subtitle)
    out += ["", i18n.t("notes_numbers", lang) + ":"]
    out += ["- " + _number_line(row, result, lang, with_n=True) for _, row in table.iterrows()]
    out += ["", source_line(result, lang)]
    caveats = [n for n in notes if n]
    design = result.meta.get("design")
    if design:
        caveats.append(f"{i18n.t('notes_design', lang)}: {i18n.text_in(design, lang)}")
    ci = result.meta.get("ci")
    if ci:
        caveats.append(f"{i18n.t('notes_ci', lang)}: {ci}")
    if caveats:
        out += ["", i18n.t("notes_caveats", lang) + ":"] + ["- " + c for c in caveats]
    return "\n".join(out)
