"""Answer items: which items a scale holds, their codes, summaries of frequency and Likert
items (answer distributions, top-k-box shares, means of interval items) and Cronbach's alpha.

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
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from . import design
from .codebook import Codebook, Variable
from .errors import ConfigError, DataError
from .result import Result
from .survey import Survey

__all__ = [
    "Reliability",
    "alpha",
    "as_yes_no",
    "distribution",
    "item_mean",
    "top_box",
    "with_columns",
]


def _resolve_items(
    survey: Survey,
    items: Sequence[str] | str | None,
    group: str | None = None,
    default: list[str] | None = None,
) -> list[str]:
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
        raise ConfigError(
            f"min_answered={min_answered!r} must be between 1 and {k} (the number of items)."
        )


def _item_codes(
    survey: Survey,
    items: list[str],
    allowed: dict[Any, float] | None = None,
    scale: str = "only these codes are allowed;",
) -> pd.DataFrame:
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
    codebook = Codebook(
        variables=variables,
        mr_sets=dict(cb.mr_sets),
        groups={g: list(v) for g, v in cb.groups.items()},
        file_label=cb.file_label,
        encoding=cb.encoding,
        weight=cb.weight,
    )
    return survey.replace(data=data, codebook=codebook)


def as_yes_no(survey: Survey, item: str) -> Variable:
    """The codebook entry of ``item`` recoded to 0/1: its label (and translations), no values."""
    old = survey.codebook.get(item)
    return Variable(
        item,
        label=old.label,
        measure="nominal",
        translations={
            lg: {"label": t.get("label")} for lg, t in old.translations.items() if t.get("label")
        },
    )


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
    return result.with_meta(
        scale={"answers": answer_sets[0] if same else None, "same_answers": same, "items": names}
    )


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
    boxes, columns, box_labels = _boxes(survey, names, k, bottom, exclude)
    result = estimate.share(with_columns(survey, columns), names, by=by, ci=ci, level=level)
    frame = pd.DataFrame(result)
    frame["category"] = [box_labels[None][v] for v in frame["variable"]]
    return Result(frame).with_meta(
        result.meta,
        value_labels={
            lg: {item: {box_labels[None][item]: box_labels[lg][item]} for item in names}
            for lg in ("nl", "en")
        },
        box={"k": int(k), "side": "bottom" if bottom else "top", "answers": boxes},
        notes=[*result.meta.notes, _box_note(k, bottom, box_labels, names, exclude)],
    )


def _boxes(survey: Survey, names: list[str], k: int, bottom: bool, exclude: Sequence[str]):
    """Per item: the answers in the box, the 0/1 column of being in it, the box's labels."""
    boxes, columns = {}, {}
    box_labels: dict[str | None, dict[str, str]] = {"nl": {}, "en": {}, None: {}}
    for item in names:
        col = survey.data[item]
        answers = [a for a in col.cat.categories if a not in set(exclude)]
        box = _box(item, answers, k, bottom)
        boxes[item] = [str(a) for a in box]
        columns[item] = (
            col.isin(box).astype(float).where(col.isin(answers)).to_numpy(float),
            as_yes_no(survey, item),
        )
        for lg in ("nl", "en", None):
            old = survey.codebook.get(item)
            box_labels[lg][item] = " / ".join(str(old.value_label_in(a, lg)) for a in box)
    return boxes, columns, box_labels


def _box_note(
    k: int,
    bottom: bool,
    box_labels: dict[Any, dict[str, str]],
    names: list[str],
    exclude: Sequence[str],
) -> dict[str, str]:
    first, more = box_labels, len(names) > 1
    return {
        "nl": f"{'Onderste' if bottom else 'Bovenste'} {k} antwoorden ({first['nl'][names[0]]}"
        f"{' enz.' if more else ''}) als aandeel van wie de vraag beantwoordde"
        + (f"; niet meegeteld: {', '.join(exclude)}" if exclude else "")
        + ".",
        "en": f"{'Bottom' if bottom else 'Top'} {k} answers ({first['en'][names[0]]}"
        f"{' etc.' if more else ''}) as a share of those who answered"
        + (f"; not counted: {', '.join(exclude)}" if exclude else "")
        + ".",
    }


def _box(item: str, answers: list[Any], k: int, bottom: bool) -> list[Any]:
    """The k lowest or highest answers; refuse a box holding a non-answer ("weet niet")."""
    if len(answers) <= k:
        raise ConfigError(
            f"{item!r} has {len(answers)} answers; a {k}-box needs more than {k} (lower k)."
        )
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


# -- reliability: Cronbach's alpha ----------------------------------------------------------
@dataclass(frozen=True)
class Reliability:
    """Cronbach's alpha with its interval (``ci_method`` "feldt" or "linearization", then
    ``se``), ``n`` complete respondents, ``k`` items and an item table: ``item``, ``label``,
    ``mean``, ``sd``, ``item_rest`` (correlation with the other items' sum), ``alpha_if_deleted``.
    """

    alpha: float
    ci_low: float
    ci_high: float
    level: float
    ci_method: str
    se: float
    n: int
    k: int
    weighted: bool
    items: pd.DataFrame = field(repr=False)
    notes: list[str] = field(default_factory=list, repr=False)

    def __float__(self) -> float:
        return float(self.alpha)

    def to_result(self, name: str = "alpha") -> Result:
        """The alpha as a one-row :class:`Result` (kind ``"scale"``)."""
        return Result.from_rows(
            [
                {
                    "variable": name,
                    "category": "Cronbach's alpha",
                    "estimate": self.alpha,
                    "se": self.se,
                    "ci_low": self.ci_low,
                    "ci_high": self.ci_high,
                    "n": self.n,
                }
            ],
            kind="scale",
            variables=[name],
            weighted=self.weighted,
            level=self.level,
            ci=self.ci_method,
            notes=list(self.notes),
        )

    def _repr_html_(self) -> str:  # pragma: no cover - notebooks
        head = (
            f"<p>Cronbach's alpha = {self.alpha:.3f} "
            f"({100 * self.level:.0f}% CI {self.ci_low:.3f}–{self.ci_high:.3f}, "
            f"{self.ci_method}; n = {self.n}, k = {self.k})</p>"
        )
        return head + self.items._repr_html_()


def alpha(
    survey: Survey,
    items: Sequence[str] | str,
    weighted: bool = True,
    *,
    level: float = 0.95,
    ci: str = "auto",
) -> Reliability:
    """Cronbach's alpha, weighted as R's ``svycralpha``, with a CI and item–rest correlations.

    alpha = k/(k − 1) · (1 − Σ var(itemᵢ) / var(Σ itemᵢ)) over those who answered every item.

    Parameters
    ----------
    survey : Survey
    items : str or list of str
        Item names or a codebook question group.
    weighted : bool
        ``False`` gives the textbook unweighted alpha.
    level, ci : float, {"auto", "feldt", "linearization"}
        Feldt (default without weights or design) or a design-based t interval on
        log(1 − alpha) (default with them).

    Returns
    -------
    Reliability

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> s = Survey(pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 3, 3, 4], "c": [2, 2, 3, 4]}))
    >>> round(alpha(s, ["a", "b", "c"]).alpha, 4)
    0.9485
    """
    items = _resolve_items(survey, items)
    k = len(items)
    if problem := (
        f"ci={ci!r} is not an alpha interval; use 'feldt' or 'linearization'"
        if ci not in ("auto", "feldt", "linearization")
        else f"level={level!r} must be between 0 and 1, e.g. 0.95"
        if not 0 < level < 1
        else f"Cronbach's alpha needs at least 2 items; got {k}"
        if k < 2
        else ""
    ):
        raise ConfigError(problem + ".")
    x, w, complete = _complete_items(survey, items, weighted)
    n, a = len(x), _alpha_value(x, w, k)
    eff = design.effective_design(survey)
    complex_design = weighted and (
        eff.weight is not None or eff.is_replicate or bool(eff.strata) or bool(eff.cluster)
    )
    method = ci if ci != "auto" else ("linearization" if complex_design else "feldt")
    notes: list[str] = []
    if method == "feldt" and complex_design:
        notes.append(
            "Feldt interval ignores the weights and design; "
            "use ci='linearization' for a design-based interval."
        )
    lo, hi, se = _alpha_interval(survey, x, w, complete, a, weighted, method, level)
    weighted = bool(weighted and eff.weight is not None)

    how = "Feldt (1965)" if method == "feldt" else "design-based linearisation on log(1 − alpha)"
    notes.append(
        f"Cronbach's alpha over {k} items, {'weighted' if weighted else 'unweighted'}, "
        f"n = {n} respondents who answered every item; {100 * level:.0f}% interval: "
        f"{how}."
    )
    table = _item_table(survey, items, x, w, k)
    return Reliability(
        float(a), float(lo), float(hi), level, method, se, n, k, weighted, table, notes
    )


def _complete_items(survey: Survey, items: list[str], weighted: bool):
    """The codes and weights of those who answered every item (at least 3, with a varying sum)."""
    codes = _item_codes(survey, items)
    w_all = design.weights(survey) if weighted else np.ones(survey.n)
    complete = codes.notna().all(axis=1).to_numpy()
    if complete.sum() < 3:
        raise DataError(
            f"Only {complete.sum()} respondents answered all of {', '.join(items)}; "
            "alpha needs at least 3."
        )
    x, w = codes.to_numpy(dtype=float)[complete], w_all[complete]
    if _wvar(x.sum(axis=1), w) <= 0:
        raise DataError(f"The sum of {', '.join(items)} has no variance; alpha is undefined.")
    return x, w, complete


def _alpha_interval(
    survey: Survey,
    x: np.ndarray,
    w: np.ndarray,
    complete: np.ndarray,
    a: float,
    weighted: bool,
    method: str,
    level: float,
) -> tuple[float, float, float]:
    """Feldt's interval, or the design-based one on log(1 − alpha) (delta method); and the SE."""
    n, k = x.shape
    g = 1 - level
    if method == "feldt":
        df1, df2 = n - 1, (n - 1) * (k - 1)
        return (
            1 - (1 - a) * stats.f.ppf(1 - g / 2, df1, df2),
            1 - (1 - a) * stats.f.ppf(g / 2, df1, df2),
            math.nan,
        )
    se, df = _alpha_se(survey, x, w, complete, a, weighted)
    q = stats.t.ppf(1 - g / 2, df) if np.isfinite(df) and df > 0 else stats.norm.ppf(1 - g / 2)
    half = q * se / (1 - a)
    return 1 - (1 - a) * math.exp(half), 1 - (1 - a) * math.exp(-half), se


def _alpha_se(
    survey: Survey, x: np.ndarray, w: np.ndarray, complete: np.ndarray, a: float, weighted: bool
) -> tuple[float, float]:
    """The design SE of alpha and its df: replicate refits or alpha's influence."""
    k, n = x.shape[1], int(complete.sum())
    if design.effective_design(survey).is_replicate and weighted:
        reps = design.replicate_weights(survey)[complete]
        thetas = np.array([_alpha_value(x, r, k) for r in reps.T])
        var = design.replicate_vcov(survey, thetas[:, None], np.array([a]))
        return float(math.sqrt(var[0, 0])), design.degf(survey)
    # influence of each weighted variance v = Σw(x−m)²/W: w·((x−m)² − v)/W
    wsum = w.sum()

    def infl(col: np.ndarray) -> np.ndarray:
        m = np.sum(w * col) / wsum
        return w * ((col - m) ** 2 - _wvar(col, w)) / wsum

    total = x.sum(axis=1)
    var_items, var_total = sum(_wvar(x[:, j], w) for j in range(k)), _wvar(total, w)
    inf_items = sum(infl(x[:, j]) for j in range(k))
    inf_alpha = -k / (k - 1) * (inf_items / var_total - var_items * infl(total) / var_total**2)
    if not weighted:  # unweighted, each respondent its own PSU
        return float(math.sqrt(n / (n - 1) * np.sum((inf_alpha - inf_alpha.mean()) ** 2))), float(
            n - 1
        )
    full = np.zeros(survey.n)
    full[complete] = inf_alpha
    var = design.vcov(survey, full[:, None])
    return float(math.sqrt(var[0, 0])), design.degf(survey, rows=complete)


def _cov(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The weighted covariance matrix of the items (divisor Σw, as svycralpha's svyvar ratio)."""
    keep = w > 0
    return np.atleast_2d(np.cov(x[keep], rowvar=False, aweights=w[keep], ddof=0))


def _wvar(x: np.ndarray, w: np.ndarray) -> float:
    return float(_cov(x[:, None], w)[0, 0])


def _alpha_value(x: np.ndarray, w: np.ndarray, k: int) -> float:
    C = _cov(x, w)
    return float(k / (k - 1) * (1 - np.trace(C) / C.sum()))


def _item_table(
    survey: Survey, items: list[str], x: np.ndarray, w: np.ndarray, k: int
) -> pd.DataFrame:
    """Mean, SD, item–rest correlation and alpha if deleted of every item."""
    C, rows = _cov(x, w), []
    for j, item in enumerate(items):
        rest = np.delete(np.arange(k), j)
        v_r = C[np.ix_(rest, rest)].sum()
        a_del = (
            (k - 1) / (k - 2) * (1 - np.trace(C[np.ix_(rest, rest)]) / v_r)
            if k > 2 and v_r > 0
            else math.nan
        )
        den = math.sqrt(C[j, j] * v_r)
        rows.append(
            {
                "item": item,
                "label": survey.codebook.label(item),
                "mean": float(np.average(x[:, j], weights=w)),
                "sd": math.sqrt(C[j, j]),
                "item_rest": float(C[j, rest].sum() / den) if den > 0 else math.nan,
                "alpha_if_deleted": float(a_del),
            }
        )
    return pd.DataFrame(rows)
