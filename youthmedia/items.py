"""Answer items: their names and codes, answer distributions, top-k-box shares, means of
interval items and Cronbach's alpha.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from . import design
from .codebook import Variable
from .errors import ConfigError, DataError
from .io.answers import is_excluded
from .result import Result
from .survey import Survey

__all__ = "Reliability alpha as_yes_no distribution item_mean top_box with_columns".split()


def _resolve_items(
    survey: Survey, items: Any, group: str | None = None, default: Any = ()
) -> list[str]:
    """The item names: a list, a codebook question group, or (None) ``group`` or ``default``."""
    groups = survey.codebook.groups
    if items is None:
        items = groups[group] if group in groups else default
    elif isinstance(items, str):
        if items not in groups:
            what = "a single variable, not" if items in survey.data.columns else "not"
            known = ", ".join(groups) or "(none in this codebook)"
            raise ConfigError(f"{items!r} is {what} a question group (there is no question group {items!r} in the codebook); pass a list of items or one of the groups: {known}.")  # fmt: skip
        items = groups[items]
    if len(set(items := [str(i) for i in items])) != len(items):
        raise ConfigError(f"An item is named twice in {', '.join(items)}.")
    survey.require(*items)
    return items


def _key(value: Any) -> Any:
    try:
        return float(value)
    except (TypeError, ValueError):
        return value


def _show(value: Any) -> str:
    return repr(str(value)) if isinstance(value, str) or not isinstance(_key(value), float) else f"{value:g}"  # fmt: skip


def _item_codes(
    survey: Survey, items: list[str], allowed: dict | None = None, scale: str = ""
) -> pd.DataFrame:
    """Item codes as floats (missing = NaN); a code outside ``allowed`` is a DataError."""
    out = {}
    table = {_key(k): v for k, v in (allowed or {}).items()}
    for item in items:
        raw = survey.codes(item).astype(object)
        num = raw.map(lambda v: table.get(_key(v), math.nan)) if allowed else raw.map(_key)
        num = pd.to_numeric(num, errors="coerce").astype(float)
        if len(bad := raw[raw.notna() & num.isna()]):
            why = f"{scale} declare other codes user-missing or recode them first" if allowed else "scale items must be numeric codes (give the codebook value labels with their codes)"  # fmt: skip
            raise DataError(f"Item {item!r} has value {_show(bad.iloc[0])} in {len(bad)} row(s); {why}.")  # fmt: skip
        out[item] = num
    return pd.DataFrame(out, index=survey.data.index)


def with_columns(survey: Survey, columns: dict[str, tuple[Any, Variable]]) -> Survey:
    """A new Survey with ``columns`` (name -> (values, codebook Variable)) added or replaced."""
    data, cb = survey.data.copy(), survey.codebook
    for col, (values, _) in columns.items():
        keep = isinstance(getattr(values, "dtype", None), pd.CategoricalDtype)
        data[col] = values if keep else np.asarray(values)
    variables = {**cb.variables, **{col: var for col, (_, var) in columns.items()}}
    groups = {g: list(v) for g, v in cb.groups.items()}
    codebook = dataclasses.replace(cb, variables=variables, mr_sets=dict(cb.mr_sets), groups=groups)
    return survey.replace(data=data, codebook=codebook)


def as_yes_no(survey: Survey, item: str) -> Variable:
    """The codebook entry of ``item`` recoded to 0/1: its label (and translations), no values."""
    old = survey.codebook.get(item)
    trans = {lg: {"label": t["label"]} for lg, t in old.translations.items() if t.get("label")}
    return Variable(item, label=old.label, measure="nominal", translations=trans)


def _likert_items(survey: Survey, items: Sequence[str] | str, labelled: bool = True) -> list[str]:
    """A single variable, a list of them or a question group; labelled ones where asked."""
    one = isinstance(items, str) and items in survey.data.columns
    names = _resolve_items(
        survey, [items] if one and items not in survey.codebook.groups else items
    )
    for item in names if labelled else []:
        if not isinstance(survey.data[item].dtype, pd.CategoricalDtype):
            raise ConfigError(f"{item!r} has no answer labels (it is {survey.data[item].dtype}); answer distributions and top-box shares need a labelled item (value labels in the file or the codebook sidecar).")  # fmt: skip
    return names


def distribution(
    survey: Survey,
    items: Sequence[str] | str,
    by: str | Sequence[str] | None = None,
    *,
    ci: str = "logit",
    level: float = 0.95,
) -> Result:
    """The share of every answer of one or more labelled items (for diverging bars).

    Parameters
    ----------
    survey : Survey
    items : str or list of str
        One labelled item, a list of them, or a codebook question group.
    by, ci, level : optional
        As :func:`youthmedia.estimate.share`.

    Returns
    -------
    Result
        The shares, with ``meta.scale``: the answers in order, if all items share them.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.Categorical(["eens", "eens", "oneens", "neutraal"] * 5, ["oneens", "neutraal", "eens"])
    >>> distribution(Survey(pd.DataFrame({"q": q})), "q")["estimate"].tolist()
    [0.25, 0.25, 0.5]
    """
    from . import estimate

    names = _likert_items(survey, items)
    result = estimate.share(survey, names, by=by, ci=ci, level=level)
    answers = [list(survey.data[i].cat.categories) for i in names]
    same = all(a == answers[0] for a in answers)
    scale = {"answers": answers[0] if same else None, "same_answers": same, "items": names}
    return result.with_meta(scale=scale)


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
    """Top-k-box (or bottom-k-box) shares of labelled items, with intervals.

    The share of those who answered whose answer is one of the ``k`` highest (``bottom``:
    lowest); user-missing codes and ``exclude`` are not answers; a non-answer in the box is
    refused.

    Parameters
    ----------
    survey : Survey
    items : str or list of str
        One labelled item, a list of them, or a codebook question group.
    k, by, bottom, exclude, ci, level : optional
        Answers in the box (default 2); as :func:`youthmedia.estimate.share` otherwise.

    Returns
    -------
    Result
        One row per item (and group); ``category`` names the box; ``meta.box``.

    Examples
    --------
    >>> import pandas as pd
    >>> q = pd.Categorical(["altijd", "vaak", "soms", "nooit"] * 5, ["nooit", "soms", "vaak", "altijd"])
    >>> float(top_box(Survey(pd.DataFrame({"q": q})), "q").loc[0, "estimate"])  # vaak, altijd
    0.5
    """
    from . import estimate

    names = _likert_items(survey, items)
    if int(k) != k or k < 1:
        raise ConfigError(f"k={k!r} must be a whole number of answers, 1 or more.")
    boxes, columns, labels = {}, {}, {lg: {} for lg in (None, "nl", "en")}
    for item in names:
        col = survey.data[item]
        answers = [a for a in col.cat.categories if a not in set(exclude)]
        boxes[item] = box = _box(item, answers, k, bottom)
        in_box = col.isin(box).astype(float).where(col.isin(answers)).to_numpy(float)
        columns[item] = (in_box, as_yes_no(survey, item))
        for lg in labels:
            labels[lg][item] = " / ".join(
                str(survey.codebook.get(item).value_label_in(a, lg)) for a in box
            )
    result = estimate.share(with_columns(survey, columns), names, by=by, ci=ci, level=level)
    frame = pd.DataFrame(result).assign(category=lambda f: f["variable"].map(labels[None]))
    values = {lg: {i: {labels[None][i]: labels[lg][i]} for i in names} for lg in ("nl", "en")}
    side, more = ("bottom" if bottom else "top"), len(names) > 1
    kept = {"nl": f"; niet meegeteld: {', '.join(exclude)}", "en": f"; not counted: {', '.join(exclude)}"}  # fmt: skip
    note = {
        "nl": f"{'Onderste' if bottom else 'Bovenste'} {k} antwoorden ({labels['nl'][names[0]]}{' enz.' if more else ''}) als aandeel van wie de vraag beantwoordde{kept['nl'] if exclude else ''}.",
        "en": f"{side.title()} {k} answers ({labels['en'][names[0]]}{' etc.' if more else ''}) as a share of those who answered{kept['en'] if exclude else ''}.",
    }
    box = {"k": int(k), "side": side, "answers": {i: [str(a) for a in b] for i, b in boxes.items()}}
    return Result(frame).with_meta(
        result.meta, value_labels=values, box=box, notes=[*result.meta.notes, note]
    )


def _box(item: str, answers: list[Any], k: int, bottom: bool) -> list[Any]:
    """The k lowest or highest answers; refuse a box holding a non-answer ("weet niet")."""
    if len(answers) <= k:
        raise ConfigError(f"{item!r} has {len(answers)} answers; a {k}-box needs more than {k} (lower k).")  # fmt: skip
    box = answers[:k] if bottom else answers[-k:]
    if odd := [a for a in box if is_excluded(a)]:
        raise ConfigError(f"The {'bottom' if bottom else 'top'}-{k} answers of {item!r} include {odd[0]!r}, which is not an answer on the scale; declare it user-missing in the codebook or pass exclude=[{odd[0]!r}].")  # fmt: skip
    return box


def item_mean(
    survey: Survey,
    items: Sequence[str] | str,
    by: str | Sequence[str] | None = None,
    *,
    level: float = 0.95,
) -> Result:
    """The mean of the answer codes of items the codebook calls interval (measure ``scale``);
    for ordinal answers use :func:`top_box` or :func:`distribution`.

    Parameters
    ----------
    survey : Survey
    items : str or list of str
        Item names or a codebook group.
    by, level : optional

    Returns
    -------
    Result
        :func:`youthmedia.estimate.mean` of the items.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.codebook import Codebook
    >>> cb = Codebook({"ladder": Variable("ladder", measure="scale")})
    >>> float(item_mean(Survey(pd.DataFrame({"ladder": [6.0, 8.0] * 10}), cb), "ladder").loc[0, "estimate"])
    7.0
    """
    from . import estimate

    names = _likert_items(survey, items, labelled=False)
    for item in names:
        if (measure := survey.codebook.get(item).measure) != "scale":
            raise ConfigError(f"{item!r} is {measure} in the codebook, so a mean of its codes would pretend that its answers are equally far apart; use scales.top_box or scales.distribution, or set 'measure: scale' for it in the codebook sidecar if it is an interval scale.")  # fmt: skip
    return estimate.mean(survey, names, by=by, level=level)


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


def alpha(
    survey: Survey,
    items: Sequence[str] | str,
    weighted: bool = True,
    *,
    level: float = 0.95,
    ci: str = "auto",
) -> Reliability:
    """Cronbach's alpha, weighted as R's ``svycralpha``, with a CI and item–rest correlations.

    Parameters
    ----------
    survey : Survey
    items : str or list of str
        Item names or a codebook question group.
    weighted, level, ci : optional
        ``False``: the textbook alpha; the level; ``"feldt"`` (default without weights or
        design) or ``"linearization"`` (a design-based t interval on log(1 − alpha)).

    Returns
    -------
    Reliability

    Examples
    --------
    >>> import pandas as pd
    >>> s = Survey(pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 3, 3, 4], "c": [2, 2, 3, 4]}))
    >>> round(alpha(s, ["a", "b", "c"]).alpha, 4)
    0.9485
    """
    items = _resolve_items(survey, items)
    if ci not in ("auto", "feldt", "linearization"):
        raise ConfigError(f"ci={ci!r} is not an alpha interval; use 'feldt' or 'linearization'.")
    if not 0 < level < 1 or (k := len(items)) < 2:
        raise ConfigError(f"Cronbach's alpha needs at least 2 items (got {len(items)}) and a level between 0 and 1, e.g. 0.95.")  # fmt: skip
    codes = _item_codes(survey, items)
    complete = codes.notna().all(axis=1).to_numpy()
    if complete.sum() < 3:
        raise DataError(f"Only {complete.sum()} respondents answered all of {', '.join(items)}; alpha needs at least 3.")  # fmt: skip
    x = codes.to_numpy(dtype=float)[complete]
    w = (design.weights(survey) if weighted else np.ones(survey.n))[complete]
    if _cov(x.sum(axis=1)[:, None], w)[0, 0] <= 0:
        raise DataError(f"The sum of {', '.join(items)} has no variance; alpha is undefined.")
    a, eff = _alpha_value(x, w), design.effective_design(survey)
    designed = weighted and bool(eff.weight is not None or eff.is_replicate or eff.strata or eff.cluster)  # fmt: skip
    method = ci if ci != "auto" else ("linearization" if designed else "feldt")
    feldt = "Feldt interval ignores the weights and design; use ci='linearization' for one."
    notes = [feldt] if method == "feldt" and designed else []
    lo, hi, se = _alpha_ci(survey, x, w, complete, a, weighted, method, level)
    weighted = bool(weighted and eff.weight is not None)
    how = "Feldt (1965)" if method == "feldt" else "design-based linearisation on log(1 − alpha)"
    notes.append(
        f"Cronbach's alpha over {k} items, {'weighted' if weighted else 'unweighted'}, n = {len(x)} respondents who answered every item; {100 * level:.0f}% interval: {how}."
    )
    table = _item_table(survey, items, x, w)
    return Reliability(float(a), float(lo), float(hi), level, method, se, len(x), k, weighted, table, notes)  # fmt: skip


def _alpha_ci(survey, x, w, complete, a, weighted, method, level) -> tuple[float, float, float]:
    """Feldt's (1965) interval, or a t interval on log(1 − alpha) by the delta method; the SE."""
    q, k = 1 - level, x.shape[1]
    if method == "feldt":  # (1 − alpha) scaled by F(n − 1, (n − 1)(k − 1))
        f = stats.f(len(x) - 1, (len(x) - 1) * (k - 1))
        return 1 - (1 - a) * f.ppf(1 - q / 2), 1 - (1 - a) * f.ppf(q / 2), math.nan
    se, df = _alpha_se(survey, x, w, complete, a, weighted)
    dist = stats.t(df) if np.isfinite(df) and df > 0 else stats.norm
    half = dist.ppf(1 - q / 2) * se / (1 - a)
    return 1 - (1 - a) * math.exp(half), 1 - (1 - a) * math.exp(-half), se


def _alpha_se(survey, x, w, complete, a, weighted) -> tuple[float, float]:
    """The design SE of alpha and its df: replicate refits or alpha's influence."""
    k, n = x.shape[1], len(x)
    if design.effective_design(survey).is_replicate and weighted:
        thetas = [_alpha_value(x, r) for r in design.replicate_weights(survey)[complete].T]
        var = design.replicate_vcov(survey, np.array(thetas)[:, None], np.array([a]))
        return float(math.sqrt(var[0, 0])), design.degf(survey)

    def infl(col: np.ndarray) -> np.ndarray:  # of a weighted variance v = Σw(x−m)²/W
        return w * ((col - np.average(col, weights=w)) ** 2 - _cov(col[:, None], w)[0, 0]) / w.sum()

    C, total = _cov(x, w), x.sum(axis=1)
    inf_items = sum(infl(x[:, j]) for j in range(k))
    inf_alpha = -k / (k - 1) * (inf_items / C.sum() - np.trace(C) * infl(total) / C.sum() ** 2)
    if not weighted:  # unweighted, each respondent its own PSU
        return math.sqrt(n / (n - 1) * np.sum((inf_alpha - inf_alpha.mean()) ** 2)), n - 1.0
    full = np.zeros(survey.n)
    full[complete] = inf_alpha
    var = design.vcov(survey, full[:, None])[0, 0]
    return math.sqrt(var), design.degf(survey, rows=complete)


def _cov(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The weighted covariance matrix of the items (divisor Σw, as svycralpha's svyvar ratio)."""
    keep = w > 0
    return np.atleast_2d(np.cov(x[keep], rowvar=False, aweights=w[keep], ddof=0))


def _alpha_value(x: np.ndarray, w: np.ndarray) -> float:
    C, k = _cov(x, w), x.shape[1]
    return float(k / (k - 1) * (1 - np.trace(C) / C.sum()))


def _item_table(survey: Survey, items: list[str], x: np.ndarray, w: np.ndarray) -> pd.DataFrame:
    """Mean, SD, item–rest correlation and alpha if deleted of every item."""
    C, k, rows = _cov(x, w), len(items), []
    for j, item in enumerate(items):
        rest = np.delete(np.arange(k), j)
        v_r, t_r = C[np.ix_(rest, rest)].sum(), np.trace(C[np.ix_(rest, rest)])
        a_del = (k - 1) / (k - 2) * (1 - t_r / v_r) if k > 2 and v_r > 0 else math.nan
        den = math.sqrt(C[j, j] * v_r)
        mean, rest_r = np.average(x[:, j], weights=w), C[j, rest].sum() / den if den > 0 else math.nan  # fmt: skip
        rows.append([item, survey.codebook.label(item), mean, math.sqrt(C[j, j]), rest_r, a_del])
    return pd.DataFrame(rows, columns="item label mean sd item_rest alpha_if_deleted".split()).astype({"mean": float, "item_rest": float, "alpha_if_deleted": float})  # fmt: skip
