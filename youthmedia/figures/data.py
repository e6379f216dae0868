"""From a ``Result`` to the rows a chart draws: labels in the chosen language, hidden numbers.

:func:`plot_table` is the one place where figures read a ``Result``. It translates labels,
blanks the numbers of suppressed estimates (so that no chart can draw them), and flags estimates
that rest on fewer than ``min_n`` observations as indicative.

Examples
--------
>>> from youthmedia.result import Result
>>> r = Result.from_rows([
...     {"variable": "use_tiktok", "category": "ja", "estimate": 0.6, "ci_low": 0.5,
...      "ci_high": 0.7, "n": 100},
...     {"variable": "use_x", "category": "ja", "estimate": 0.1, "n": 8}],
...     labels={"nl": {"use_tiktok": "TikTok", "use_x": "X"}})
>>> t = plot_table(r, "nl")
>>> t[["label", "estimate", "suppressed"]].values.tolist()
[['TikTok', 0.6, False], ['X', nan, True]]
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd

from .. import i18n, privacy
from ..errors import ConfigError, DataError
from ..result import Result

__all__ = ["indicative_threshold", "is_difference", "is_percent", "plot_table", "strip_common_prefix"]


def indicative_threshold(result: Result, indicative_n: int | None = None) -> int:
    """Estimates on fewer observations than this are flagged as indicative.

    ``indicative_n`` if given, else the one the Result was suppressed with
    (``meta.privacy``), else the thresholds in force (:func:`youthmedia.privacy.get_thresholds`,
    30 by default).
    """
    if indicative_n is not None:
        return int(indicative_n)
    info = result.meta.privacy
    if info.get("indicative_n") is not None:
        return int(info["indicative_n"])
    return int(privacy.get_thresholds().indicative_n)

_YES = {"ja", "yes", "1", "1.0", "true", "waar", "geselecteerd", "selected", "gekozen", "chosen",
        "checked", "aangevinkt", "genoemd", "mentioned"}


def is_percent(result: Result) -> bool:
    """Whether the estimates are proportions shown as percentages."""
    if result.meta.percent is not None:
        return result.meta.percent
    return result.meta.kind in ("share", "crosstab", "table")


def is_difference(result: Result) -> bool:
    """Whether the rows are differences between two groups or waves (``ym.difference``): signed
    numbers, in percentage points for shares. A ``ym.compare`` Result (grouped, holding the
    groups' own estimates beside their difference) is not."""
    return result.meta.kind == "difference" and not result.by


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if value is pd.NA:
        return ""
    return str(value)


def plot_table(result: Result, lang: str = "nl", category: Any = None,
               indicative_n: int | None = None, all_categories: bool = False) -> pd.DataFrame:
    """The rows to draw, with translated labels.

    Parameters
    ----------
    result : Result
    lang : {"nl", "en"}
    category : optional
        For results over several variables with several categories each: the category to show
        (``"ja"``). By default the "yes" category of yes/no variables is chosen.
    indicative_n : int, optional
        Estimates on fewer observations are flagged ``indicative`` (see
        :func:`indicative_threshold`).
    all_categories : bool
        Keep every category of every variable (for answer scales); rows are then labelled by
        their category.

    Returns
    -------
    pandas.DataFrame
        Columns ``group`` (the label of the first ``by`` variable's value, ``""`` without
        ``by``), ``groups`` (a tuple of all by-labels), ``variable``, ``category``, ``label``
        (what a reader sees for the row), ``item_label`` (the variable's label),
        ``category_label``, ``estimate``, ``se``, ``ci_low``, ``ci_high``, ``n``,
        ``suppressed``, ``indicative``, ``reason`` (privacy reason codes), and the columns
        that scope a note to rows (``result.meta.row_notes``, e.g. ``ci_clopper_pearson``).
        Numbers of suppressed rows are NaN.
    """
    lang = i18n.check_lang(lang)
    if not isinstance(result, Result):
        raise ConfigError(f"Figures take a youthmedia Result, not {type(result).__name__}; "
                          "compute one with ym.share, ym.mean or ym.crosstab.")
    if len(result) == 0:
        raise DataError("The Result is empty; there is nothing to draw.")
    threshold = indicative_threshold(result, indicative_n)
    if not result.meta.privacy and result["n"].notna().any():
        result = privacy.suppress(result)
    frame = pd.DataFrame(result).reset_index(drop=True)
    for col in ("variable", "category", "reason"):
        frame[col] = frame[col].map(_text)
    frame = _one_category(frame, result, lang, category, all_categories)
    variables = list(dict.fromkeys(frame["variable"]))
    by = [b for b in result.by if b in frame.columns]
    groups = []
    for _, row in frame.iterrows():
        groups.append(tuple(result.category_label(b, _text(row[b]), lang) for b in by))
    out = pd.DataFrame({
        "group": [g[0] if g else "" for g in groups],
        "groups": groups,
        "variable": frame["variable"],
        "category": frame["category"],
    })
    multi = len(variables) > 1
    item_labels = [result.label(v, lang) if v else "" for v in frame["variable"]]
    cat_labels = [result.category_label(v, c, lang) if c else ""
                  for v, c in zip(frame["variable"], frame["category"], strict=True)]
    by_item = (multi and not all_categories) or frame["category"].nunique() <= 1
    out["label"] = [item if by_item or not cat else cat
                    for item, cat in zip(item_labels, cat_labels, strict=True)]
    out["item_label"] = item_labels
    out["category_label"] = cat_labels
    for col in ("estimate", "se", "ci_low", "ci_high", "n", "n_eff", "base"):
        out[col] = pd.to_numeric(frame[col], errors="coerce").astype(float).to_numpy()
    suppressed = frame["suppressed"].fillna(False).astype(bool).to_numpy()
    out["suppressed"] = suppressed
    for col in ("estimate", "se", "ci_low", "ci_high"):
        out.loc[suppressed, col] = np.nan
    count = out["n"].where(out["n"].notna(), out["base"])
    coded = frame["reason"].map(lambda r: privacy.INDICATIVE in str(r).split(";")).to_numpy()
    by_n = (count.notna() & (count < threshold)).to_numpy()
    out["indicative"] = ~suppressed & (coded | by_n)
    out["reason"] = _reasons(frame, out["indicative"], suppressed)
    # columns that scope a note to rows (ci_clopper_pearson): NA, not False, on suppressed rows
    for col in result.meta.row_notes:
        if col in frame:
            flags = frame[col].astype("boolean").array.copy()
            flags[suppressed] = pd.NA
            out[col] = flags
    return out


def _one_category(frame: pd.DataFrame, result: Result, lang: str, category: Any,
                  all_categories: bool) -> pd.DataFrame:
    """The rows of ``category`` (a code or a label); of several yes/no variables their "yes"."""
    if category is not None:
        wanted = str(category)
        keep = frame["category"] == wanted
        if not keep.any():
            # the category may be given as a translated label
            keep = pd.Series([result.category_label(v, c, lang) == wanted
                              for v, c in zip(frame["variable"], frame["category"], strict=True)])
        if not keep.any():
            raise ConfigError(f"No category {wanted!r} in this Result; its categories are "
                              f"{', '.join(sorted(set(frame['category'])))}.")
        frame = frame[keep.to_numpy()].reset_index(drop=True)
    variables = list(dict.fromkeys(frame["variable"]))
    if len(variables) > 1 and category is None and not all_categories:
        per_var = frame.groupby("variable", sort=False)["category"].nunique()
        if (per_var > 1).any():
            yes = frame["category"].str.strip().str.lower().isin(_YES)
            chosen = frame[yes]
            if chosen.groupby("variable", sort=False)["category"].nunique().reindex(
                    variables).fillna(0).eq(1).all():
                frame = chosen.reset_index(drop=True)
            else:
                raise ConfigError(
                    "This Result holds several categories for each of several variables; pass "
                    "category= to choose the one to show (e.g. category='ja'), or use "
                    "charts.diverging for answer scales.")
    return frame


def _reasons(frame: pd.DataFrame, indicative: pd.Series, suppressed: np.ndarray) -> list[str]:
    """The privacy reason codes of each row, with indicative and suppressed ones added."""
    reasons = []
    for reason, ind, sup in zip(frame["reason"], indicative, suppressed, strict=True):
        codes = [c for c in str(reason).split(";") if c]
        if ind and privacy.INDICATIVE not in codes:
            codes.append(privacy.INDICATIVE)
        if sup and not codes:
            codes.append(privacy.SUPPRESSED)
        reasons.append(";".join(codes))
    return reasons


def _outside_brackets(prefix: str) -> str:
    """``prefix`` shortened to before its last unclosed bracket, so that a cut never falls
    inside one ("Levenstevredenheid (0-" of "(0-10)" and "(0-5)")."""
    depth, start = 0, None
    for i, ch in enumerate(prefix):
        if ch in "([{":
            if depth == 0:
                start = i
            depth += 1
        elif ch in ")]}" and depth:
            depth -= 1
    return prefix[:start] if depth and start is not None else prefix


def strip_common_prefix(labels: list[str]) -> tuple[list[str], str]:
    """Remove a shared question prefix (``"Gebruik: WhatsApp"``, ``"Gebruik: TikTok"``).

    Returns the shortened labels and the prefix (without its separator), or the labels
    unchanged and ``""`` when they share no prefix ending in ``:``, ``?``, `` - `` or `` – ``
    and no leading words followed by names (capitalised words).

    Examples
    --------
    >>> strip_common_prefix(["Gebruik: WhatsApp", "Gebruik: TikTok"])
    (['WhatsApp', 'TikTok'], 'Gebruik')
    >>> strip_common_prefix(["Uses WhatsApp", "Uses TikTok"])
    (['WhatsApp', 'TikTok'], 'Uses')
    >>> strip_common_prefix(["Nieuws lezen", "Nieuws kijken"])
    (['Nieuws lezen', 'Nieuws kijken'], '')

    A label is never cut inside brackets, and one label repeated (an item across waves) is
    left whole:

    >>> strip_common_prefix(["Levenstevredenheid (0-10)"] * 3)[1]
    ''
    >>> strip_common_prefix(["Gebruik (per dag): WhatsApp", "Gebruik (per dag): TikTok"])
    (['WhatsApp', 'TikTok'], 'Gebruik (per dag)')
    """
    labels = [str(x) for x in labels]
    distinct = list(dict.fromkeys(labels))
    if len(distinct) < 2:   # one label repeated (one item over waves or groups): nothing shared
        return labels, ""
    prefix = distinct[0]
    for lab in distinct[1:]:
        while not lab.startswith(prefix):
            prefix = prefix[:-1]
    prefix = _outside_brackets(prefix)
    match = None
    for m in re.finditer(r"(:|\?| - | – | — )\s*", prefix):
        match = m
    if match is None or match.start() < 3:
        # shared leading words before names ("Gebruikt WhatsApp", "Gebruikt TikTok")
        words = prefix[:prefix.rfind(" ") + 1] if " " in prefix else ""
        rest = [lab[len(words):] for lab in labels]
        if words.strip() and len(words.split()) <= 6 and all(r[:1].isupper() or r[:1].isdigit()
                                                             for r in rest):
            if all(r.endswith("?") and len(r) > 1 for r in rest):  # "Hoe vaak gebruik je X?"
                return [r[:-1].rstrip() for r in rest], words.strip() + " …?"
            return rest, words.strip()
        return labels, ""
    cut = match.end()
    rest = [lab[cut:].strip() for lab in labels]
    rest = [r[:1].upper() + r[1:] for r in rest]  # "Afgelopen jaar: vaak ..." -> "Vaak ..."
    if any(not r for r in rest):
        return labels, ""
    head = prefix[:match.start()].strip()
    if match.group(1) == "?":
        head += "?"
    return rest, head
