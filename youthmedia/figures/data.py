"""From a ``Result`` to the rows a chart draws: labels in ``lang``, hidden numbers blanked.

Examples
--------
>>> from youthmedia.result import Result
>>> r = Result.from_rows([
...     {"variable": "use_tiktok", "category": "ja", "estimate": 0.6, "ci_low": 0.5,
...      "ci_high": 0.7, "n": 100},
...     {"variable": "use_x", "category": "ja", "estimate": 0.1, "n": 8}],
...     labels={"nl": {"use_tiktok": "TikTok", "use_x": "X"}})
>>> plot_table(r, "nl")[["label", "estimate", "suppressed"]].values.tolist()
[['TikTok', 0.6, False], ['X', nan, True]]
"""

import os
import re
from typing import Any

import numpy as np
import pandas as pd

from .. import i18n, privacy
from ..errors import ConfigError, DataError
from ..io.answers import YES
from ..result import Result


def indicative_threshold(result: Result, indicative_n: int | None = None) -> int:
    """``indicative_n``, else the Result's privacy setting, else the thresholds in force (30)."""
    n = indicative_n if indicative_n is not None else result.meta.privacy.get("indicative_n")
    return int(privacy.get_thresholds().indicative_n if n is None else n)


def is_percent(result: Result) -> bool:
    """Whether the estimates are proportions shown as percentages."""
    percent = result.meta.percent
    return result.meta.kind in ("share", "crosstab", "table") if percent is None else percent


def is_difference(result: Result) -> bool:
    """Whether the rows are differences (``ym.difference``): signed, in points for shares."""
    return result.meta.kind == "difference" and not result.by


def _text(value: Any) -> str:
    return "" if value is None or value is pd.NA or value != value else str(value)


def plot_table(
    result: Result,
    lang: str = "nl",
    category: Any = None,
    indicative_n: int | None = None,
    all_categories: bool = False,
) -> pd.DataFrame:
    """The rows to draw, with labels in ``lang``; suppressed rows' numbers are NaN.

    ``category``: one answer of several variables (default: the "yes"); ``all_categories``: every
    answer, rows labelled by answer. Columns: ``group(s)``, ``variable``, ``category``, ``label``,
    ``item_label``, ``category_label``, numbers, ``suppressed``, ``indicative``, ``reason``, notes.
    """
    lang = i18n.check_lang(lang)
    if not isinstance(result, Result):
        raise ConfigError(
            f"Figures take a youthmedia Result, not {type(result).__name__}; "
            "compute one with ym.share, ym.mean or ym.crosstab."
        )
    if len(result) == 0:
        raise DataError("The Result is empty; there is nothing to draw.")
    threshold = indicative_threshold(result, indicative_n)
    if not result.meta.privacy and result["n"].notna().any():
        result = privacy.suppress(result)
    frame = pd.DataFrame(result).reset_index(drop=True)
    for col in ("variable", "category", "reason"):
        frame[col] = frame[col].map(_text)
    frame = _one_category(frame, result, lang, category, all_categories)
    by = [b for b in result.by if b in frame.columns]  # groups, variables, answers: labelled
    rows = frame[by].map(_text).itertuples(index=False, name=None)  # () a row without groups
    groups = [
        tuple(result.category_label(b, v, lang) for b, v in zip(by, row, strict=True))
        for row in rows
    ]
    pairs = list(zip(frame["variable"], frame["category"], strict=True))
    items = [result.label(v, lang) if v else "" for v, _ in pairs]
    cats = [result.category_label(v, c, lang) if c else "" for v, c in pairs]
    multi = frame["variable"].nunique() > 1
    by_item = (multi and not all_categories) or frame["category"].nunique() <= 1
    labels = [i if by_item or not c else c for i, c in zip(items, cats, strict=True)]
    out = {"variable": frame["variable"], "category": frame["category"], "label": labels}
    out |= {"item_label": items, "category_label": cats}
    out |= {"group": [g[0] if g else "" for g in groups], "groups": groups}
    hidden = frame["suppressed"].fillna(False).astype(bool).to_numpy()
    numbers = ("estimate", "se", "ci_low", "ci_high", "n", "n_eff", "base")
    for i, col in enumerate(numbers):  # the first four blank where hidden
        values = pd.to_numeric(frame[col], errors="coerce").astype(float).to_numpy()
        out[col] = np.where(hidden & (i < 4), np.nan, values)
    codes = [[c for c in r.split(";") if c] for r in frame["reason"]]
    count = np.where(np.isnan(out["n"]), out["base"], out["n"])
    indicative = ~hidden & ([privacy.INDICATIVE in c for c in codes] | (count < threshold))
    for c, ind, sup in zip(codes, indicative, hidden, strict=True):
        c += [privacy.INDICATIVE] * int(ind and privacy.INDICATIVE not in c)
        c += [privacy.SUPPRESSED] * int(sup and not c)
    out |= {"suppressed": hidden, "indicative": indicative, "reason": [";".join(c) for c in codes]}
    for col in [c for c in result.meta.row_notes if c in frame]:  # NA on suppressed rows
        out[col] = frame[col].astype("boolean").mask(hidden)
    return pd.DataFrame(out)


def _one_category(frame, result, lang, category, all_categories) -> pd.DataFrame:
    """The rows of ``category`` (a code or a label); of several yes/no variables their "yes"."""
    if category is not None:
        wanted, pairs = str(category), zip(frame["variable"], frame["category"], strict=True)
        keep = (frame["category"] == wanted).to_numpy()
        if not keep.any():  # the category may be given as a translated label
            keep = np.array([result.category_label(v, c, lang) == wanted for v, c in pairs])
        if not keep.any():
            cats = ", ".join(sorted(set(frame["category"])))
            raise ConfigError(f"No category {wanted!r} in this Result; its categories are {cats}.")
        frame = frame[keep].reset_index(drop=True)
    by_var = frame.groupby("variable", sort=False)["category"]
    if category is None and not all_categories and len(by_var) > 1 and (by_var.nunique() > 1).any():
        chosen = frame[frame["category"].str.strip().str.lower().isin(YES)]
        per_var = chosen.groupby("variable", sort=False)["category"].nunique()
        if not per_var.reindex(list(by_var.groups)).fillna(0).eq(1).all():
            raise ConfigError(
                "This Result holds several categories for each of several variables; pass "
                "category= to choose the one to show (e.g. category='ja'), or use "
                "charts.diverging for answer scales."
            )
        frame = chosen.reset_index(drop=True)
    return frame


# -- answer scales: what their answers say (never a variable's name) ---------------------------
_YES_WORD = re.compile(r"^\s*(ja|yes|wel)\b", re.I)
_NO_WORD = re.compile(r"^\s*(nee|no|niet)\b", re.I)
#: Opposite words that make a scale two-sided besides "x" and "on-/un-/dis-/in-x" pairs.
_OPPOSITES = [
    p.split("/")
    for p in "goed/slecht good/bad positief/negatief beter/slechter positive/negative better/worse".split()
]
_FREQ = re.compile(
    r"(?i)\b(nooit|never|soms|sometimes|vaak|often|zelden|rarely|seldom|altijd|always|"
    r"dagelijks|daily|wekelijks|weekly|maandelijks|monthly|keer|times?|per (dag|"
    r"week|maand)|a (day|week|month)|days?|dagen|once|twice)\b"
)
_INTENSE = re.compile(
    r"(?i)\b(helemaal niet|not at all|een beetje|a little|heel erg|very|extremely|"
    r"enigszins|somewhat|slightly|erg|moderately)\b"
)
_ZERO = re.compile(
    r"(?i)^\s*((nooit|never|0(\.0)?|0 (keer|times|days|dagen)|geen( enkele keer)?|none|"
    r"not at all|helemaal niet|not in the past)\b|(niet|not|geen keer|no times)\s*$)"
)


def scale_kind(labels: list[str]) -> str:
    """``"agreement"`` (two-sided: drawn diverging), ``"frequency"`` (how often, counts),
    ``"intensity"`` or ``"other"`` (drawn sequential), from the answers, never the name.

    Examples
    --------
    >>> scale_kind(["Zeer ontevreden", "Ontevreden", "Neutraal", "Tevreden", "Zeer tevreden"])
    'agreement'
    """
    text = " | ".join(str(x) for x in labels)
    words = set(re.findall(r"[^\W\d_]{3,}", text.lower()))
    negated = {p + w for w in words for p in ("on", "un", "dis", "in", "im")}
    if words & negated or any({a, b} <= words for a, b in _OPPOSITES):
        return "agreement"
    numbered = sum(bool(re.search(r"\d", str(x))) for x in labels)
    if _FREQ.search(text) or (len(labels) > 2 and numbered >= len(labels) - 1):
        return "frequency"
    return "intensity" if _INTENSE.search(text) else "other"


def at_least(labels: list[str], result: Result | None = None, variable: str = "") -> int | None:
    """Index of the first "at least once" answer (after "never", or ``meta.thresholds``), or None."""
    named = (result.meta.thresholds if result is not None else {}).get(variable)
    if named is not None and str(named) in labels:
        return labels.index(str(named))
    if labels and re.search(r"\b(always|altijd)\b", str(labels[-1]), re.I):
        return None  # how often, up to "always": its upper answers, not "at least once"
    if len(labels) > 1 and scale_kind(labels) == "frequency" and _ZERO.match(str(labels[0])):
        return 1
    kinds_of_yes = all(_YES_WORD.match(str(x)) for x in labels[1:])
    if len(labels) > 2 and _NO_WORD.match(str(labels[0])) and kinds_of_yes:
        return 1  # "Nee", "Ja, één of twee keer", "Ja, vaker": yes, at least once
    return None


def strip_common_prefix(labels: list[str]) -> tuple[list[str], str]:
    """Labels without their shared question prefix, and the prefix (``""`` when none).

    A prefix ends in ``:``, ``?``, `` - ``, `` – ``, or is leading words before names.

    Examples
    --------
    >>> strip_common_prefix(["Gebruik: WhatsApp", "Gebruik: TikTok"])
    (['WhatsApp', 'TikTok'], 'Gebruik')
    """
    labels = [str(x) for x in labels]
    distinct = list(dict.fromkeys(labels))
    if len(distinct) < 2:  # one label repeated (one item over waves or groups): nothing shared
        return labels, ""
    prefix, depth, start = os.path.commonprefix(distinct), 0, None
    for i, ch in enumerate(prefix):  # cut before a bracket it leaves open ("Tevredenheid (0-")
        start = i if ch in "([{" and depth == 0 else start
        depth += (ch in "([{") - (ch in ")]}" and depth > 0)
    prefix = prefix[:start] if depth and start is not None else prefix
    match = ([None] + list(re.finditer(r"(:|\?| - | – | — )\s*", prefix)))[-1]
    if match is None or match.start() < 3:
        # shared leading words before names ("Gebruikt WhatsApp", "Gebruikt TikTok")
        words = prefix[: prefix.rfind(" ") + 1] if " " in prefix else ""
        rest = [lab[len(words) :] for lab in labels]
        names = all(r[:1].isupper() or r[:1].isdigit() for r in rest)
        if words.strip() and len(words.split()) <= 6 and names:
            if all(r.endswith("?") and len(r) > 1 for r in rest):  # "Hoe vaak gebruik je X?"
                return [r[:-1].rstrip() for r in rest], words.strip() + " …?"
            return rest, words.strip()
        return labels, ""
    cut = match.end()
    rest = [lab[cut:].strip() for lab in labels]
    rest = [r[:1].upper() + r[1:] for r in rest]  # "Afgelopen jaar: vaak ..." -> "Vaak ..."
    if any(not r for r in rest):
        return labels, ""
    return rest, prefix[: match.start()].strip() + ("?" if match.group(1) == "?" else "")
