"""Answer items: which items a scale or question group holds, their codes, and summaries of
frequency and Likert items (answer distributions, top-k-box shares, means of interval items).

Examples
--------
>>> import pandas as pd
>>> from youthmedia.survey import Survey
>>> from youthmedia.items import top_box
>>> cats = ["nooit", "soms", "vaak", "altijd"]
>>> s = Survey(pd.DataFrame({"q": pd.Categorical(["altijd", "vaak", "soms", "nooit"] * 5,
...                                              categories=cats, ordered=True)}))
>>> float(top_box(s, "q").loc[0, "estimate"])
0.5
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .codebook import Codebook, Variable
from .errors import ConfigError, DataError
from .result import Result
from .survey import Survey

__all__ = ["as_yes_no", "distribution", "item_mean", "top_box", "with_columns"]


def _resolve_items(survey: Survey, items: Sequence[str] | str | None, group: str | None = None,
                   default: list[str] | None = None) -> list[str]:
    groups = survey.codebook.groups
    if items is None:
        items = list(groups[group]) if group and group in groups else list(default or [])
    elif isinstance(items, str):
        if items in groups:
            items = list(groups[items])
        elif items in survey.data.columns:
            raise ConfigError(
                f"{items!r} is a single variable, not a question group; pass a list of items "
                f"or one of the groups: {', '.join(groups) or '(none in this codebook)'}."
            )
        else:
            raise ConfigError(
                f"There is no question group {items!r} in the codebook; known groups: "
                f"{', '.join(groups) or '(none)'}. Pass the items as a list instead."
            )
    items = [str(i) for i in items]
    if len(set(items)) != len(items):
        raise ConfigError(f"An item is named twice in {', '.join(items)}.")
    survey.require(*items)
    return items


def _check_min_answered(min_answered: int, k: int) -> None:
    if not 1 <= int(min_answered) <= k:
        raise ConfigError(f"min_answered={min_answered!r} must be between 1 and {k} (the number "
                          "of items).")


def _item_codes(survey: Survey, items: list[str], allowed: dict[Any, float] | None = None,
                scale: str = "only these codes are allowed;") -> pd.DataFrame:
    """Item codes as floats (missing = NaN); values outside ``allowed`` are a DataError."""
    out = {}
    for item in items:
        raw = survey.codes(item)
        if allowed is not None:
            mapped = raw.astype(object).map(lambda v: _lookup(allowed, v))
            bad = raw[raw.notna() & mapped.isna()]
            if len(bad):
                raise DataError(
                    f"Item {item!r} has value {_show(bad.iloc[0])} in {len(bad)} row(s); {scale} "
                    "declare other codes user-missing or recode them "
                    "first."
                )
            out[item] = pd.to_numeric(mapped, errors="coerce").astype(float)
        else:
            num = pd.to_numeric(raw.astype(object), errors="coerce")
            bad = raw[raw.notna() & num.isna()]
            if len(bad):
                raise DataError(
                    f"Item {item!r} has the non-numeric value {_show(bad.iloc[0])} in {len(bad)} "
                    "row(s); scale items must be numeric codes (give the codebook value labels "
                    "with their codes)."
                )
            out[item] = num.astype(float)
    return pd.DataFrame(out, index=survey.data.index)


def _show(value: Any) -> str:
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return f"{float(value):g}"
    return repr(str(value))


def _lookup(table: dict[Any, float], value: Any) -> float:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    for code, mapped in table.items():
        try:
            if code == value or float(code) == float(value):
                return mapped
        except (TypeError, ValueError):
            continue
    return math.nan

def with_columns(survey: Survey, columns: dict[str, tuple[Any, Variable]]) -> Survey:
    """A new Survey with ``columns`` (name -> (values, codebook Variable)) added or replaced.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.codebook import Variable
    >>> from youthmedia.survey import Survey
    >>> s = with_columns(Survey(pd.DataFrame({"a": [1, 2]})), {"b": ([3.0, 4.0], Variable("b"))})
    >>> s.data["b"].tolist()
    [3.0, 4.0]
    """
    data = survey.data.copy()
    variables = dict(survey.codebook.variables)
    for col, (values, var) in columns.items():
        keep = isinstance(getattr(values, "dtype", None), pd.CategoricalDtype)
        data[col] = values if keep else np.asarray(values)
        variables[col] = var
    cb = survey.codebook
    codebook = Codebook(variables=variables, mr_sets=dict(cb.mr_sets),
                        groups={g: list(v) for g, v in cb.groups.items()},
                        file_label=cb.file_label, encoding=cb.encoding, weight=cb.weight)
    return survey.replace(data=data, codebook=codebook)


def as_yes_no(survey: Survey, item: str) -> Variable:
    """The codebook entry of ``item`` recoded to 0/1: its label (and translations), no values."""
    old = survey.codebook.get(item)
    return Variable(item, label=old.label, measure="nominal",
                    translations={lg: {"label": t.get("label")}
                                  for lg, t in old.translations.items() if t.get("label")})


# --------------------------------------------------------------------------------------------
# Frequency and Likert items
# --------------------------------------------------------------------------------------------
_NON_ANSWER = re.compile(
    r"weet (ik )?niet|wil ik niet|zeg ik liever niet|geen (antwoord|mening)|n\.?v\.?t|"
    r"niet van toepassing|weigert|don'?t know|do not know|prefer not|no answer|no opinion|"
    r"not applicable|\bn/?a\b|refused",
    re.IGNORECASE,
)


def _one_or_many(survey: Survey, items: Sequence[str] | str) -> Sequence[str] | str:
    """A single variable's name as a list of one (a group's name stays a group)."""
    one = isinstance(items, str) and items in survey.data.columns
    return [items] if one and items not in survey.codebook.groups else items


def _likert_items(survey: Survey, items: Sequence[str] | str) -> list[str]:
    names = _resolve_items(survey, _one_or_many(survey, items))
    for item in names:
        if not isinstance(survey.data[item].dtype, pd.CategoricalDtype):
            raise ConfigError(
                f"{item!r} has no answer labels (it is {survey.data[item].dtype}); answer "
                "distributions and top-box shares need a labelled item (value labels in the file "
                "or the codebook sidecar)."
            )
    return names


def distribution(
    survey: Survey,
    items: Sequence[str] | str,
    by: str | Sequence[str] | None = None,
    *,
    ci: str = "logit",
    level: float = 0.95,
) -> Result:
    """The share of every answer of one or more frequency or Likert items (for diverging bars).

    Parameters
    ----------
    survey : Survey
    items : str or list of str
        One labelled item, a list of them, or a codebook question group.
    by : str or list of str, optional
    ci, level :
        As :func:`youthmedia.estimate.share`.

    Returns
    -------
    Result
        :func:`youthmedia.estimate.share` of each item (each item's shares sum to 1 over those
        who answered it), with ``meta.scale``: the answers in order and whether every item
        has the same answers (needed for one diverging chart).

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> from youthmedia.scales import distribution
    >>> cats = ["oneens", "neutraal", "eens"]
    >>> s = Survey(pd.DataFrame({"q": pd.Categorical(["eens", "eens", "oneens", "neutraal"] * 5,
    ...                                              categories=cats, ordered=True)}))
    >>> distribution(s, "q")["estimate"].tolist()
    [0.25, 0.25, 0.5]
    """
    from . import estimate

    names = _likert_items(survey, items)
    result = estimate.share(survey, names, by=by, ci=ci, level=level)
    answer_sets = [list(survey.data[i].cat.categories) for i in names]
    same = all(a == answer_sets[0] for a in answer_sets)
    return result.with_meta(scale={"answers": answer_sets[0] if same else None,
                                   "same_answers": same, "items": names})


def top_box(
    survey: Survey,
    items: Sequence[str] | str,
    k: int = 2,
    by: str | Sequence[str] | None = None,
    *,
    bottom: bool = False,
    exclude: Sequence[str] = (),
    ci: str = "logit",
    level: float = 0.95,
) -> Result:
    """Top-k-box (or bottom-k-box) shares of frequency or Likert items, with intervals.

    The share of those who answered an item whose answer is one of its ``k`` highest answers
    ("mee eens" or "helemaal mee eens"); user-missing codes and ``exclude`` are not answers.

    Parameters
    ----------
    survey : Survey
    items : str or list of str
        One labelled item, a list of them, or a codebook question group.
    k : int
        How many of the highest (or lowest) answers form the box; default 2.
    by : str or list of str, optional
    bottom : bool
        The ``k`` lowest answers instead.
    exclude : list of str
        Answers not on the scale ("weet niet") that were not declared user-missing (a
        non-answer inside the box is a ``ConfigError``).
    ci, level :
        As :func:`youthmedia.estimate.share` (default: logit intervals, as ``svyciprop``).

    Returns
    -------
    Result
        One row per item (and group); ``category`` names the box; ``meta.box``.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> from youthmedia.scales import top_box
    >>> cats = ["nooit", "soms", "vaak", "altijd"]
    >>> s = Survey(pd.DataFrame({"q": pd.Categorical(["altijd", "vaak", "soms", "nooit"] * 5,
    ...                                              categories=cats, ordered=True)}))
    >>> float(top_box(s, "q").loc[0, "estimate"])     # vaak or altijd: 2 of 4
    0.5
    """
    from . import estimate

    names = _likert_items(survey, items)
    if int(k) != k or k < 1:
        raise ConfigError(f"k={k!r} must be a whole number of answers, 1 or more.")
    boxes, columns = {}, {}
    box_labels: dict[str | None, dict[str, str]] = {"nl": {}, "en": {}, None: {}}
    for item in names:
        col = survey.data[item]
        answers = [a for a in col.cat.categories if a not in set(exclude)]
        box = _box(item, answers, k, bottom)
        boxes[item] = [str(a) for a in box]
        columns[item] = (col.isin(box).astype(float).where(col.isin(answers)).to_numpy(float),
                         as_yes_no(survey, item))
        for lg in ("nl", "en", None):
            old = survey.codebook.get(item)
            box_labels[lg][item] = " / ".join(str(old.value_label_in(a, lg)) for a in box)
    work = with_columns(survey, columns)
    result = estimate.share(work, names, by=by, ci=ci, level=level)
    frame = pd.DataFrame(result)
    frame["category"] = [box_labels[None][v] for v in frame["variable"]]
    return Result(frame).with_meta(
        result.meta,
        value_labels={lg: {item: {box_labels[None][item]: box_labels[lg][item]} for item in names}
                      for lg in ("nl", "en")},
        box={"k": int(k), "side": "bottom" if bottom else "top", "answers": boxes},
        notes=[*result.meta.notes, _box_note(k, bottom, box_labels, names, exclude)])


def _box_note(k: int, bottom: bool, box_labels: dict[Any, dict[str, str]], names: list[str],
              exclude: Sequence[str]) -> dict[str, str]:
    first, more = box_labels, len(names) > 1
    return {
        "nl": f"{'Onderste' if bottom else 'Bovenste'} {k} antwoorden ({first['nl'][names[0]]}"
              f"{' enz.' if more else ''}) als aandeel van wie de vraag beantwoordde"
              + (f"; niet meegeteld: {', '.join(exclude)}" if exclude else "") + ".",
        "en": f"{'Bottom' if bottom else 'Top'} {k} answers ({first['en'][names[0]]}"
              f"{' etc.' if more else ''}) as a share of those who answered"
              + (f"; not counted: {', '.join(exclude)}" if exclude else "") + ".",
    }


def _box(item: str, answers: list[Any], k: int, bottom: bool) -> list[Any]:
    """The k lowest or highest answers; refuse a box holding a non-answer ("weet niet")."""
    if len(answers) <= k:
        raise ConfigError(f"{item!r} has {len(answers)} answers; a {k}-box needs more than "
                          f"{k} (lower k).")
    box = answers[:k] if bottom else answers[-k:]
    odd = [a for a in box if _NON_ANSWER.search(str(a))]
    if odd:
        raise ConfigError(
            f"The {'bottom' if bottom else 'top'}-{k} answers of {item!r} include {odd[0]!r}, "
            "which is not an answer on the scale; declare it user-missing in the codebook or "
            f"pass exclude=[{odd[0]!r}]."
        )
    return box


def item_mean(
    survey: Survey,
    items: Sequence[str] | str,
    by: str | Sequence[str] | None = None,
    *,
    level: float = 0.95,
) -> Result:
    """The mean of the answer codes, only for items the codebook calls interval (``scale``).

    A mean of codes treats the steps between answers as equal ("nooit" → "soms" as far as
    "vaak" → "altijd"); that holds only when the codebook says the item is measured on an
    interval scale (measure ``scale``), e.g. a 0–10 ladder. For ordinal answer scales use
    :func:`top_box` or :func:`distribution`.

    Parameters
    ----------
    survey : Survey
    items : str or list of str
        Item names or a codebook group.
    by : str or list of str, optional
    level : float

    Returns
    -------
    Result
        :func:`youthmedia.estimate.mean` of the items (t intervals with the design's df).

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.codebook import Codebook, Variable
    >>> from youthmedia.survey import Survey
    >>> from youthmedia.scales import item_mean
    >>> s = Survey(pd.DataFrame({"ladder": [6.0, 8.0] * 10}),
    ...            Codebook({"ladder": Variable("ladder", measure="scale")}))
    >>> float(item_mean(s, "ladder").loc[0, "estimate"])
    7.0
    """
    from . import estimate

    names = _resolve_items(survey, _one_or_many(survey, items))
    for item in names:
        measure = survey.codebook.get(item).measure
        if measure != "scale":
            raise ConfigError(
                f"{item!r} is {measure} in the codebook, so a mean of its codes would pretend "
                "that its answers are equally far apart; use scales.top_box or "
                "scales.distribution, or set 'measure: scale' for it in the codebook sidecar if "
                "it is an interval scale."
            )
    return estimate.mean(survey, names, by=by, level=level)
