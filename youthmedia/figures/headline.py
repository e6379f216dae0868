"""Headline rules: one sentence a careful researcher would sign (examples: tests/test_headlines.py).

1. The subject is the codebook's short label, else a long label's topic, never cut mid-phrase.
2. Quantifiers match the number: a plain fraction only where the whole interval allows it.
3. Groups with n_eff ≥ 50 are compared by a design-based test (svycontrast), Holm-corrected.
4. Frequency and count scales: the share "at least once"; other scales by their upper side.
5. A base without a not-applicable answer is named: "young people who drove".
"""

import math
import re
from collections.abc import Iterable
from itertools import combinations
from typing import Any

import numpy as np
import pandas as pd

from .. import i18n
from ..result import Result
from ..summaries import pair_test
from . import text as T
from .data import _NO_WORD as _NO
from .data import _YES_WORD as _YES
from .data import at_least, is_percent
from .text import _cap, _item_suffix, _shown

#: A group with fewer effective respondents (Kish n_eff) is drawn but never compared.
MIN_GROUP_NEFF = 50
#: The level of the tests behind "duidelijk verschil" / "a clear difference" (Holm-corrected).
ALPHA = 0.05
#: A label longer than this is headlined by its topic where it has one (rule 1).
SUBJECT_MAX = 50

_REACH = re.compile(r"^(use|uses|used|using|gebruik|gebruikt|heeft|has|account)[_ .]", re.I)
_TENTHS = [x.split() for x in "1 één one|3 drie three|4 vier four|6 zes six|7 zeven seven|"
           "8 acht eight|9 negen nine".split("|")]  # fmt: skip
_ANCHORS = [  # (fraction, Dutch, English); "{pop}" is the population
    (0.25, "een kwart van de {pop}", "a quarter of {pop}"),
    (1 / 3, "een derde van de {pop}", "a third of {pop}"),
    (0.5, "de helft van de {pop}", "half of {pop}"),
    (2 / 3, "twee derde van de {pop}", "two thirds of {pop}"),
    (0.75, "driekwart van de {pop}", "three quarters of {pop}"),
    (1.0, "alle {pop}", "all {pop}"),
    *((int(k) / 10, f"{nl} op de tien {{pop}}", f"{en} in ten {{pop}}") for k, nl, en in _TENTHS),
    (0.2, "één op de vijf {pop}", "one in five {pop}"),
]
_TIE = 0.05 + 1e-9  # items tie for first place only within 5 points of the top
_WIDE = 0.15  # an interval wider than this gets the number, not a phrase
_ABOUT = 0.025 + 1e-9  # "ongeveer"/"about" a fraction: within 2.5 percentage points
_NEAR = 0.035 + 1e-9  # "ruim"/"bijna" a fraction: at most 3.5 points above or below it
_EST = ["estimate", "ci_low", "ci_high"]
_TIMES = {"time", "times", "keer", "keren", "maal", "x", "day", "days", "dag", "dagen"}
_PAST = dict(  # irregular English past tenses: "Did not drive" → "who drove"
    x.split(":")
    for x in "drive:drove drink:drank eat:ate ride:rode have:had go:went get:got take:took see:saw"
    " do:did give:gave make:made fight:fought sleep:slept sit:sat meet:met buy:bought wear:wore"
    " leave:left spend:spent send:sent sell:sold swim:swam run:ran come:came bring:brought"
    " win:won lose:lost pay:paid keep:kept throw:threw catch:caught steal:stole quit:quit".split()
)
_WHO = [  # (lang, the not-applicable answer, what the others did) – only plain sentences
    ("en", r"(?:i )?(?:did not|didn't) (\w+)( .*)?", "{past}{1}"),
    ("en", r"(?:i )?(?:do not|don't) (\w+)( .*)?", "{0}{1}"),
    ("en", r"never (had|used)( .*)", "have {0}{1}"),
    ("en", r"(?:have not|haven't) (\w+)( .*)?", "have {0}{1}"),
    ("nl", r"(?:ik )?gebruik (?:geen|niet)( .*)", "{0} gebruiken"),
    ("nl", r"(?:ik )?zit niet( .*)", "{0} zitten"),
]


def quantity(est: float, lo: float, hi: float, lang: str, pop: str | None = None) -> str:
    """A noun phrase for a share that neither understates nor overstates it (rule 2)."""
    pop = pop or i18n.t("population", lang)
    if pd.isna(est):
        return ""
    fallback = i18n.t("q_numeric", lang, pct=i18n.percent(est, lang), pop=pop)
    p = round(100 * est) / 100  # judge the number the reader sees
    if p >= 0.995 and not pd.isna(lo) and lo >= 0.98:
        return i18n.t("q_virtually_all", lang, pop=pop)
    if pd.isna(lo) or pd.isna(hi) or p < 0.08 or hi - lo > _WIDE:
        return fallback
    # "about" before "over"/"under"; the nearest fraction first, round fractions before tenths
    near = sorted(_ANCHORS, key=lambda x: (abs(p - x[0]) > _ABOUT, round(abs(p - x[0]), 4)))
    for a, nl, en in near:
        d = p - a
        if abs(d) < 0.005:
            mod = "exact"
        elif abs(d) <= _ABOUT:
            mod = "about"
        elif 0 < d <= _NEAR and lo > a:
            mod = "over"
        elif -(_NEAR if a < 1 else 0.05 + 1e-9) <= d < 0 and hi < a:  # "bijna alle" from 95%
            mod = "under"
        else:
            continue
        if a < 1.0 or mod == "under":
            words = "" if mod == "exact" else i18n.t(f"q_{mod}", lang)
            return words + (nl if lang == "nl" else en).format(pop=pop)
    return fallback


def short_label(label: str) -> str:
    """A long label's topic: the part before ": " sharing a word with what follows, else unbracketed."""
    if len(label) <= SUBJECT_MAX:
        return label
    head, _, rest = label.partition(": ")
    words = [{w[:5].lower() for w in re.findall(r"\w{4,}", t)} for t in (head, rest)]
    if rest and len(head.split()) >= 2 and words[0] & words[1]:
        return head.strip()
    bare = re.sub(r"\s*\([^()]*\)$", "", label)
    return bare if len(bare.split()) >= 2 else label


def subject(result: Result, variable: str, lang: str) -> str:
    """What a headline is about: the short label of ``variable``, else its label (rule 1)."""
    shorts = result.meta.short_labels
    for key in (lang, None, "default"):
        if variable in (shorts.get(key) or {}):
            return str(shorts[key][variable])
    return short_label(result.label(variable, lang))


def _topic(result: Result, label: Any, lang: str) -> str:
    """The subject of a drawn label: its variable's short label where it is one's label."""
    names = dict.fromkeys([*result.meta.variables, *result["variable"].astype(str)])
    names = [v for v in names if result.label(v, lang) == label]
    return subject(result, names[0], lang) if names else short_label(str(label))


def _who(answer: str, lang: str) -> str | None:
    """``young people who drove`` for "Did not drive" in ``lang``, else None."""
    text = " ".join(str(answer).replace("’", "'").split()).rstrip(".")
    for lg, pattern, form in _WHO:
        if lg == lang and (m := re.fullmatch(pattern, text, re.I)):
            past = _past(m[1].lower()) if "{past}" in form else ""
            what = None if past is None else form.format(*[g or "" for g in m.groups()], past=past)
            return what and i18n.t("population_who", lang, what=what.strip())
    return None


def _past(verb: str) -> str | None:
    """An English past tense where it is certain (None where a consonant may double: "stop")."""
    if verb in _PAST or verb.endswith("e"):
        return _PAST.get(verb, verb + "d")
    if re.search(r"[^aeiou]y$", verb):
        return verb[:-1] + "ied"
    return None if re.search(r"[^aeiou][aeiou][^aeiouwxy]$", verb) else verb + "ed"


def applies_to(answers: Iterable[str]) -> dict[str, str]:
    """The population of a share whose base leaves out not-applicable ``answers`` (rule 5)."""
    answers, out = list(dict.fromkeys(answers)), i18n.both("population_applies")
    for lang in out:
        named = {_who(a, lang) for a in answers}
        out[lang] = named.pop() if len(named) == 1 and None not in named else out[lang]
    return out


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


def _words(upper: list[str], start: int | None, lang: str) -> str:
    """``minstens één keer``, ``‘1 person’ or more``, or ``‘eens’ of ‘helemaal eens’``."""
    unit = re.match(r"\s*\d+(?:\s*(?:or|to|of|tot|-|–)\s*\d+)?\s+(\w+)", str(upper[0]))
    if start == 1 and (not unit or unit.group(1).lower() in _TIMES):
        return i18n.t("at_least_once", lang)
    if start is not None or len(upper) > 2:
        return i18n.t("at_least_answer", lang, answer=upper[0])
    return i18n.join([f"‘{c}’" for c in upper], lang, word="or")


def _share(row: pd.Series, what: str, words: str, counted: bool, result: Result, lang: str) -> str:
    """``what: q at least once (pct)``; not ``counted``: ``what: 40% answers ‘a’ or ‘b’``."""
    (p, lo, hi), where = row[_EST], _item_suffix(result, lang)
    if not counted:
        return _about(what, where, i18n.t("h_answer", lang, pct=i18n.percent(p, lang), cats=words))
    q, pct = quantity(p, lo, hi, lang, T.population(result, lang)), i18n.percent(p, lang)
    pct = "" if q.startswith(pct) else f" ({pct})"  # no "(97%)" after the number itself
    if result.meta.population:  # "5% of young people who drove at least once" misleads
        return _about(_and(what, words), where, q + pct)
    return _about(what, where, f"{q} {words}{pct}")


def _share_row(rows: pd.DataFrame, start: int) -> pd.Series:
    """The answers from ``start`` on as one row: 1 − p₀ keeps p₀'s SE; a sum gets Kish's."""
    zero, row = rows.iloc[:start], rows.iloc[start].copy()
    row["estimate"] = p = 1 - zero["estimate"].sum(min_count=len(zero))
    row["cells"], z, m = tuple(zero["category"]), zero.iloc[0], row["n_eff"]
    m = row["n"] if pd.isna(m) else m
    se = math.sqrt(p * (1 - p) / m) if m and not pd.isna(m) and not pd.isna(p) else np.nan
    row["se"] = z["se"] if start == 1 and not pd.isna(z["se"]) else se
    ci = (1 - z["ci_high"], 1 - z["ci_low"]) if start == 1 and not pd.isna(z["ci_low"]) else None
    row["ci_low"], row["ci_high"] = ci or (p - 1.96 * row["se"], p + 1.96 * row["se"])
    row["suppressed"] = bool(rows["suppressed"].any())
    row["indicative"] = bool(rows["indicative"].any())
    return row


def holm(p: list[float]) -> list[float]:
    """Holm's adjusted p-values (R ``p.adjust(p, "holm")``)."""
    from statsmodels.stats.multitest import multipletests

    return [float(x) for x in multipletests(p, method="holm")[1]] if p else []


def _eligible(rows: pd.DataFrame) -> pd.DataFrame:
    """Groups a headline may compare: shown, solid, a SE (or one from the CI), n_eff ≥ 50."""
    se = rows["se"].where(rows["se"].notna(), (rows["ci_high"] - rows["ci_low"]) / (2 * 1.959964))
    rows = rows.assign(se=se, _size=rows["n_eff"].where(rows["n_eff"].notna(), rows["n"]))
    ok = ~rows["suppressed"] & ~rows["indicative"] & rows["estimate"].notna() & rows["se"].notna()
    ok &= rows["_size"] >= MIN_GROUP_NEFF
    return rows[ok].sort_values("_size", ascending=False, kind="stable")


def groups(table: pd.DataFrame, result: Result, lang: str, item: str | None = None) -> str:
    """Headline for groups (rule 3): the clearest difference, or that none differs clearly."""
    table, where = _one_share_per_group(table, result, lang), _item_suffix(result, lang)
    shown, order = _shown(table), list(dict.fromkeys(table["group"]))
    if shown.empty:
        what = item or _topic(result, table["label"].iloc[0], lang)
        return i18n.t("h_none", lang, item=what + where)
    items = {_topic(result, k, lang): rows for k, rows in shown.groupby("label", sort=False)}
    pairs = [  # (name, a, b, p) for every two eligible groups; clear: Holm-adjusted p < ALPHA
        (name, a, b, pair_test(result, a, b, lang)[2])
        for name, rows in items.items()
        for (_, a), (_, b) in combinations(_eligible(rows).iterrows(), 2)
    ]
    adjusted, key = holm([1.0 if math.isnan(p) else p for *_, p in pairs]), None
    clear = [x[:3] for x, p in zip(pairs, adjusted, strict=True) if p < ALPHA]
    if len(order) > 1 and shown["group"].nunique() == 1:  # one group visible: no comparison
        top = shown.loc[shown["estimate"].idxmax()]
        label, rows, key = _topic(result, top["label"], lang), [top], "h_one_group"
    elif clear:
        label, a, b = max(clear, key=lambda x: abs(x[1]["estimate"] - x[2]["estimate"]))
        rows, key = [a, b], "h_group_diff"
    elif not pairs:  # no two groups large enough to compare: the numbers, no judgement
        label, frame = max(items.items(), key=lambda kv: kv[1]["estimate"].mean())
        rows = [r for _, r in frame.head(4).iterrows()]
    else:  # nothing clear: the item with the most respondents compared, its largest groups
        label = max(items, key=lambda k: len(_eligible(items[k])))
        rows = [r for _, r in _eligible(items[label]).head(3).iterrows()]
        if len({T.value(r["estimate"], result, lang) for r in rows}) > 1:  # else a tie
            key = "h_group_same"
    by, named = (result.by[0] if result.by else ""), {}  # "meisje 28%, jongen en non-binair 16%"
    for r in sorted(rows, key=lambda r: order.index(r["group"])):
        g = str(r["group"])  # a bare number (age 14) is named with its grouping: "leeftijd 14:"
        g = f"{T.lower_first(result.label(by, lang))} {g}:" if by and g.isdigit() else g
        named.setdefault(T.value(r["estimate"], result, lang), []).append(g)
    text = ", ".join(f"{i18n.join(gs, lang)} {v}" for v, gs in named.items())
    return _about(item or label, where, i18n.t(key, lang, groups=text) if key else text)


def _one_share_per_group(table: pd.DataFrame, result: Result, lang: str) -> pd.DataFrame:
    """One answer scale by group → its "at least once" share per group (rule 4)."""
    if table["variable"].nunique() != 1 or table["category"].nunique() < 2:
        return table
    var = str(table["variable"].iloc[0])
    labels, what = list(dict.fromkeys(table["category_label"])), subject(result, var, lang)
    start = at_least(labels, result, var)
    if start is None:
        if _yes_row(table) is not None:  # a yes/no question: compare the yes share
            table = table[table["category_label"].map(lambda x: bool(_YES.match(str(x))))]
        return table.assign(label=[_and(what, f"‘{x}’") for x in table["category_label"]])
    by_group = table.set_index("category_label", drop=False).groupby("group", sort=False)
    rows = [_share_row(rows.reindex(labels), start) for _, rows in by_group]
    label = _and(what, _words(labels[start:], start, lang))
    return pd.DataFrame(rows).reset_index(drop=True).assign(label=label)


def ranked(table: pd.DataFrame, result: Result, lang: str, item: str = "") -> str:
    """Headline for ranked bars and big numbers: the highest item and how high (rules 2, 4)."""
    shown = _shown(table).sort_values("estimate", ascending=False, kind="stable")
    pop, where = T.population(result, lang) + _item_suffix(result, lang), _item_suffix(result, lang)
    multi = table["variable"].nunique() > 1
    what = item or ("" if multi else subject(result, str(table["variable"].iloc[0]), lang))
    if shown.empty:
        return i18n.t("h_none", lang, item=(what or str(table["label"].iloc[0])) + where)
    top = shown.iloc[0]
    label, number = _topic(result, top["label"], lang), T.value(top["estimate"], result, lang)
    if not is_percent(result):
        if len(shown) == 1 and result.meta.kind == "quantile":  # "uren (mediaan): 2,1"
            return i18n.t("h_single", lang, item=label + where, q="", pct=number)
        clear = len(shown) > 1 and top["ci_low"] > shown.iloc[1]["ci_high"]  # False with NaN
        key = "h_mean_top" if clear else "h_mean_one"
        return i18n.t(key, lang, item=label + where, value=number)
    answers = not multi and table["category"].nunique() > 1  # one question's answers
    if answers:  # one question's share "at least once" (frequency scale), else its yes share
        labels = list(dict.fromkeys(table["category_label"]))
        start = at_least(labels, result, str(table["variable"].iloc[0]))
        rows = table.set_index("category_label", drop=False).reindex(labels)
        if start is not None and not pd.isna((row := _share_row(rows, start))["estimate"]):
            return _share(row, what, _words(labels[start:], start, lang), True, result, lang)
        if (yes := _yes_row(table)) is not None:
            return _share(yes, what, f"‘{yes['category_label']}’", False, result, lang)
    est, lo, hi = top[_EST]
    if pd.isna(lo):  # items tying for first: intervals reach the top one's, within _TIE of it
        ties = shown[shown["estimate"].round(2) == round(est, 2)]
    else:
        ties = shown[(shown["ci_high"] >= lo) & (est - shown["estimate"] <= _TIE)]
    q, pct = quantity(est, lo, hi, lang, pop), i18n.percent(est, lang)
    pct = "" if q.startswith(pct) else f" ({pct})"
    reach = multi and all(_REACH.match(v) for v in table["variable"] if v)
    kind = "chosen" if answers else "reach" if reach or result.meta.measure == "reach" else "named"
    names = [f"‘{x}’" for x in ties["category_label"]] if answers else list(map(str, ties["label"]))
    low, high = (i18n.percent(float(f(ties["estimate"])), lang) for f in (min, max))
    rng = i18n.t("each", lang, pct=low) if low == high else f"{low.rstrip('%')}–{high}"
    first, k, names = names[0], len(names) - 1, i18n.join(names, lang)
    if len(names) > 100 and k:  # too long for a headline: "a en 2 andere" (the rest on the chart)
        names = i18n.t("and_other" if k == 1 else "and_others", lang, first=first, k=k)
    if len(ties) <= 1:
        one = "h_single" if kind == "named" and len(shown) == 1 else f"h_{kind}_one"
        text = i18n.t(one, lang, item=names if answers else label, q=q, pct=pct)
    elif kind == "reach" and pct and q == quantity(*ties.iloc[-1][_EST], lang, pop):
        rng = rng.split()[-1]  # one phrase fits them all: "A en B bereiken elk bijna alle … (97%)"
        text = i18n.t("h_reach_each", lang, items=names, q=q, range=rng)
    else:
        text = i18n.t(f"h_{kind}_tie", lang, items=names, pop=pop, range=rng)
    return _about(what, where if len(ties) > 1 else "", text) if answers else _cap(text)


def _yes_row(table: pd.DataFrame) -> pd.Series | None:
    """The shown "ja"/"yes" row of a yes/no question (perhaps with "weet niet"), else None."""
    labels = [str(x) for x in dict.fromkeys(table["category_label"])]
    yes = [x for x in labels if _YES.match(x)]
    if len(yes) != 1 or not any(_NO.match(x) for x in labels) or len(labels) > 3:
        return None
    row = table[table["category_label"] == yes[0]].iloc[0]
    return None if row["suppressed"] or pd.isna(row["estimate"]) else row


def diverging(items: list[dict], result: Result, lang: str, what: str, by: bool = False) -> str:
    """Headline for answer scales: the highest share of their upper ``cats``; ``by``: of groups."""
    first, labels = items[0], [i["label"] for i in items]
    start = len(first["rows"]) - len(first["cats"])
    rows = pd.DataFrame([_share_row(i["rows"].reset_index(), start) for i in items])
    rows = rows.reset_index(drop=True).assign(label=labels, group=labels)
    words = _words(list(first["cats"]), start if first["at_least"] else None, lang)
    if (shown := _shown(rows)).empty:
        return ""
    if by and len(items) > 1:
        return groups(rows.assign(label=what), result, lang, item=_and(what, words))
    top = shown.loc[shown["estimate"].idxmax()]
    what = top["label"] if len(shown) > 1 else what
    return _share(top, what, words, first["at_least"], result, lang)


def trend(table: pd.DataFrame, result: Result, lang: str) -> str:
    """Headline for a trend: the largest clear change first to last wave, else the highest."""
    shown = _shown(table, solid=True)
    if shown.empty:
        return i18n.t("h_none", lang, item=table["label"].iloc[0])
    waves = list(dict.fromkeys(table["group"]))  # on the time axis by number, else in order
    at = pd.to_numeric(pd.Series(waves, dtype=str).str.replace(",", "."), errors="coerce")
    at = dict(zip(waves, at if at.notna().all() else range(len(waves)), strict=True))
    shown = shown.sort_values("group", key=lambda g: g.map(at), kind="stable")
    runs = [(k, r.iloc[0], r.iloc[-1], len(r)) for k, r in shown.groupby("label", sort=False)]
    clear = [  # intervals apart (False with a NaN)
        x for x in runs if x[1]["ci_high"] < x[2]["ci_low"] or x[2]["ci_high"] < x[1]["ci_low"]
    ]
    if clear:
        label, a, b, n = max(clear, key=lambda x: abs(x[2]["estimate"] - x[1]["estimate"]))
    else:
        label, a, b, n = max(runs, key=lambda x: (x[3] > 1, x[2]["estimate"]))
    va, vb = (T.value(x["estimate"], result, lang) for x in (a, b))
    fields = {"item": _topic(result, label, lang) + _item_suffix(result, lang), "a": va, "b": vb}
    flat = "h_trend_flat" if pd.notna([*a[_EST[1:]], *b[_EST[1:]]]).all() else "h_trend_numbers"
    up = "h_trend_up" if b["estimate"] > a["estimate"] else "h_trend_down"
    key = "h_trend_one" if n == 1 else up if clear else flat
    return _cap(i18n.t(key, lang, wa=a["group"], wb=b["group"], **fields))


def difference(table: pd.DataFrame, result: Result, lang: str) -> str:
    """Headline for differences: the largest clear rise and fall (its interval leaves out 0)."""
    (a, b), by = T._compared(result, lang), str(result.meta.compared_by or "")
    if T._is_wave(by) or not by:
        span, none = i18n.t("span_waves", lang, a=a, b=b) if a and b else "", "no_clear_change"
    else:
        span, none = i18n.t("span_groups", lang, a=a, b=b), "no_clear_difference"
    shown = _shown(table)
    clear = shown[(shown["ci_low"] > 0) | (shown["ci_high"] < 0)]
    if clear.empty:
        return f"{i18n.t(none, lang)} {span}".strip()
    rise, fall = clear[clear["estimate"] > 0], clear[clear["estimate"] < 0]
    picks = [f.loc[f["estimate"].abs().idxmax()] for f in (rise, fall) if not f.empty]
    parts = [f"{row['label']} {T.signed(row['estimate'], result, lang)}" for row in picks]
    unit = i18n.t("pp", lang) if is_percent(result) else ""
    return _cap(" ".join(x for x in (i18n.join(parts, lang), unit, span) if x))
