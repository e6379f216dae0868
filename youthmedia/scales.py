"""Scale scores (SMDS, BSMAS, codebook scales) added to a new Survey with a codebook entry
naming the definition; answer distributions, top-k-box shares, item means, Cronbach's alpha.

- SMDS (van den Eijnden, Lemmens & Valkenburg 2016, *Computers in Human Behavior* 61:478): nine
  yes/no items; ``"disordered"`` ≥ 5, ``"problematic"`` ≥ 6 (HBSC; Boer et al. 2021, *Assessment*).
- BSMAS (Andreassen et al. 2016, *Psychology of Addictive Behaviors* 30(2):252): six items 1–5;
  ``"polythetic"`` 3+ on ≥ 4 items, ``"sum19"`` sum ≥ 19 (Bányai et al. 2017, *PLoS ONE*).

With ``min_answered`` below all items a sum is prorated (mean answered × items), as labelled.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from . import design, estimate, i18n
from .codebook import Variable
from .errors import ConfigError, DataError
from .io.answers import is_excluded
from .models import design_vcov
from .result import Result
from .survey import Survey

__all__ = "BSMAS_CUTOFFS SMDS_DEFINITIONS bsmas definition_note prevalence score smds".split()
__all__ += "Reliability alpha as_yes_no distribution item_mean top_box with_columns".split()


def _t(key: str, **fields: Any) -> dict[str, str]:
    return i18n.both("scale_" + key, **fields)


#: Published definitions: the score (SMDS, sum19) or number of items ≥ 3 (polythetic) they need.
SMDS_DEFINITIONS = {"problematic": 6, "disordered": 5}
BSMAS_CUTOFFS = {"polythetic": 4, "sum19": 19}


def smds(
    survey: Survey,
    items: Sequence[str] | str | None = None,
    definition: str = "problematic",
    *,
    min_answered: int = 9,
    yes: Any = 1,
    no: Any = 0,
    name: str = "smds",
) -> Survey:
    """Score the Social Media Disorder Scale and classify by a named published definition.

    Parameters
    ----------
    items : list of str or str, optional
        The nine items, or a codebook group (default: group ``"smds"``, else ``smds_1..9``).
    definition : {"problematic", "disordered"}
        ≥ 6 of 9 (HBSC, Boer et al. 2021) or ≥ 5 of 9 (van den Eijnden et al. 2016).
    min_answered, yes, no, name : optional
        Fewest answered items for a (prorated) score; the codes of yes and no; the prefix of
        the new columns ``{name}_score`` and ``{name}_{definition}``.

    Returns
    -------
    Survey
        With the score (0–9) and the classification (ordered no/yes, codes 0/1) added.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = {f"smds_{i}": [1 if i <= 5 else 0] for i in range(1, 10)}
    >>> smds(Survey(pd.DataFrame(rows)), definition="disordered").data["smds_disordered"].tolist()
    ['verstoord gebruik']
    """
    scale = f"SMDS items are yes/no questions: {_show(no)} = no, {_show(yes)} = yes (pass yes=..., no=... for other codes);"
    return _classify(survey, items, "smds", definition, min_answered, {yes: 1.0, no: 0.0}, scale, name)  # fmt: skip


def bsmas(
    survey: Survey,
    items: Sequence[str] | str | None = None,
    cutoff: str = "polythetic",
    *,
    min_answered: int = 6,
    name: str = "bsmas",
) -> Survey:
    """Score the Bergen Social Media Addiction Scale and classify by a named cut-off.

    Parameters
    ----------
    items : list of str or str, optional
        The six items coded 1–5, or a codebook group (default: ``"bsmas"``, else ``bsmas_1..6``).
    cutoff : {"polythetic", "sum19"}
        3+ on at least 4 of 6 items (Andreassen et al. 2016; with items unanswered, decided
        only where the answers decide it), or sum ≥ 19 (Bányai et al. 2017).
    min_answered, name : optional
        As :func:`smds`.

    Returns
    -------
    Survey
        With the sum score (6–30) and the classification (ordered, codes 0/1) added.

    Examples
    --------
    >>> import pandas as pd
    >>> s = Survey(pd.DataFrame({f"bsmas_{i}": [3, 1] for i in range(1, 7)}))
    >>> bsmas(s).data["bsmas_polythetic"].tolist()
    ['risico', 'geen risico']
    """
    scale, allowed = "BSMAS items are scored 1 (very rarely) to 5 (very often);", {k: float(k) for k in range(1, 6)}  # fmt: skip
    return _classify(survey, items, "bsmas", cutoff, min_answered, allowed, scale, name)


def score(
    survey: Survey,
    items: Sequence[str] | str,
    *,
    method: str = "mean",
    reverse: Sequence[str] = (),
    min_answered: int | None = None,
    item_range: tuple[float, float] | None = None,
    name: str | None = None,
    label: str | None = None,
    labels: dict[str, str] | None = None,
) -> Survey:
    """Score a scale defined by a codebook question group (or a list of items).

    Parameters
    ----------
    items : str or list of str
        A question group in ``survey.codebook.groups`` or the item names.
    method, reverse, item_range, min_answered : optional
        ``"mean"`` or ``"sum"`` (prorated); items reverse-coded as ``low + high - x`` (end
        codes from the value labels or ``item_range``); fewest answered items (default all).
    name, label, labels : optional
        The new column (default ``"{group}_{method}"``), its label and translations.

    Returns
    -------
    Survey
        With the score column added (measure ``scale``).

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.codebook import Codebook, Variable
    >>> cb = Codebook({v: Variable(v) for v in "ab"}, groups={"mood": ["a", "b"]})
    >>> s = Survey(pd.DataFrame({"a": [1, 5], "b": [5, 1]}), cb)
    >>> score(s, "mood", reverse=["b"], item_range=(1, 5)).data["mood_mean"].tolist()
    [1.0, 5.0]
    """
    if method not in ("mean", "sum"):
        raise ConfigError(f"method={method!r} is not a scale method; use 'mean' or 'sum'.")
    group = items if isinstance(items, str) else None
    items = _resolve_items(survey, items)
    if (k := len(items)) < 2:
        raise ConfigError(f"A scale needs at least 2 items; got {k} ({', '.join(items)}).")
    if unknown := [r for r in reverse if r not in items]:
        raise ConfigError(f"reverse names {', '.join(map(repr, unknown))}, which are not items of this scale ({', '.join(items)}).")  # fmt: skip
    codes = _item_codes(survey, items)
    for item in reverse:  # low + high − x, the end codes from the value labels or item_range
        ends = pd.to_numeric(pd.Series([*survey.codebook.get(item).value_labels]), errors="coerce")
        if item_range is None and ends.count() < 2:
            raise ConfigError(f"Cannot reverse {item!r}: the codebook gives no value labels with its end codes. Pass item_range=(low, high), e.g. item_range=(1, 5).")  # fmt: skip
        low, high = item_range or (ends.min(), ends.max())
        codes[item] = low + high - codes[item]
    name = name or f"{group or 'scale'}_{method}"
    rev = _t("reversed", items=", ".join(reverse)) if reverse else dict.fromkeys(i18n.LANGS, "")
    group_name = {"nl": group or "schaal", "en": group or "scale"}
    fields = dict(group=group_name, method=_t(method), k=k, rev=rev)
    m, times = k if min_answered is None else min_answered, k if method == "sum" else 1
    column = _scored(codes, m, name, times, "scale", label, labels, **fields)
    return with_columns(survey, {name: column})


def _choose(key: str, table: dict, what: str) -> Any:
    if key not in table:
        raise ConfigError(f"{what}={key!r} is not known; use one of {', '.join(map(repr, table))}.")
    return table[key]


def _scored(codes, m: int, name: str, times: int, key: str, label=None, labels=None, **fields):
    """Each respondent's mean of the answered items (missing below ``m``) × ``times``, and the
    codebook entry ``name`` labelled by the text ``key`` with the rule of ``m`` (or ``label``)."""
    k = codes.shape[1]
    if not 1 <= int(m) <= k:
        raise ConfigError(f"min_answered={m!r} must be between 1 and {k} (the number of items).")
    texts = _t(key, rule=_t("all", k=k) if m >= k else _t("some", m=m, k=k), **fields)
    trans = {lg: {"label": t} for lg, t in {**texts, **(labels or {})}.items()}
    var = Variable(name, label=label or texts["nl"], measure="scale", translations=trans)
    return codes.mean(axis=1, skipna=True).where(codes.notna().sum(axis=1) >= m) * times, var


def _classify(survey: Survey, items: Any, group: str, key: str, min_answered: int, allowed: dict, scale: str, name: str):  # fmt: skip
    """``survey`` with the SMDS/BSMAS ``{name}_score`` and classification ``{name}_{key}``."""
    table, k = (SMDS_DEFINITIONS, 9) if group == "smds" else (BSMAS_CUTOFFS, 6)
    threshold = _choose(key, table, "definition" if group == "smds" else "cutoff")
    items = _resolve_items(survey, items, group, [f"{group}_{i}" for i in range(1, k + 1)])
    if len(items) != k:
        raise ConfigError(f"The {group.upper()} has {k} items; got {len(items)} ({', '.join(items)}). Pass the {k} item names as items=[...].")  # fmt: skip
    codes = _item_codes(survey, items, allowed=allowed, scale=scale)
    total, score_var = _scored(codes, min_answered, f"{name}_score", k, group + "_score")
    flag = (total >= threshold).astype(float)
    if key == "polythetic":  # decided: 4 items >= 3, or too few unanswered to reach 4
        high, open_ = (codes >= 3).sum(axis=1), codes.isna().sum(axis=1)
        flag = pd.Series(np.select([high >= 4, high + open_ < 4], [1.0, 0.0], np.nan), codes.index)
    col, (label, yes, no) = f"{name}_{key}", (_t(key + end) for end in ("", "_yes", "_no"))
    codes01 = flag.where(total.notna()).fillna(-1).astype(int)
    values = pd.Categorical.from_codes(codes01, [no["nl"], yes["nl"]], True)
    trans = {lg: {"label": label[lg], "values": {0: no[lg], 1: yes[lg]}} for lg in i18n.LANGS}
    var = Variable(col, label=label["nl"], value_labels={0: no["nl"], 1: yes["nl"]}, measure="nominal", translations=trans)  # fmt: skip
    return with_columns(survey, {f"{name}_score": (total, score_var), col: (values, var)})


def definition_note(survey: Survey, variable: str, lang: str = "nl") -> str | None:
    """The sentence stating the published definition behind a classification made here
    (recognised by its codebook label); ``None`` for any other variable.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> s = smds(Survey(pd.DataFrame({f"smds_{i}": [1] for i in range(1, 10)})))
    >>> definition_note(s, "smds_problematic", "en")[:40]
    'Problematic use: yes to at least 6 of th'
    """
    var = survey.codebook.variables.get(variable)
    for key in (*SMDS_DEFINITIONS, *BSMAS_CUTOFFS):
        if var is not None and {var.label, var.label_in("en")} & set(_t(key).values()):
            return _t(key + "_note")[lang if lang in i18n.LANGS else "en"]
    return None


def prevalence(
    survey: Survey,
    instrument: str = "smds",
    definition: str | None = None,
    by: str | Sequence[str] | None = None,
    *,
    items: Sequence[str] | str | None = None,
    ci: str = "logit",
    level: float = 0.95,
    **scoring: Any,
) -> Result:
    """The share classified by a published definition (SMDS or BSMAS), the definition stated
    in ``meta.notes``; scores the instrument unless the survey holds that classification.

    Parameters
    ----------
    instrument, definition : optional
        ``"smds"`` (``"problematic"``, ``"disordered"``) or ``"bsmas"`` (``"polythetic"``,
        ``"sum19"``); default the first of each.
    by, items, ci, level, **scoring : optional
        As :func:`youthmedia.estimate.share`; the items and options of :func:`smds`.

    Returns
    -------
    Result
        One row per group: the share classified "yes".

    Examples
    --------
    >>> import pandas as pd
    >>> rows = {f"smds_{i}": [1, 1, 0, 0] * 5 for i in range(1, 10)}
    >>> float(prevalence(Survey(pd.DataFrame(rows))).loc[0, "estimate"])
    0.5
    """
    instruments = {"smds": (smds, SMDS_DEFINITIONS), "bsmas": (bsmas, BSMAS_CUTOFFS)}
    scorer, table = _choose(instrument, instruments, "instrument")
    key = definition or next(iter(table))
    _choose(key, table, "definition")
    column, scored = f"{scoring.get('name', instrument)}_{key}", survey
    if column not in survey.data.columns or scoring or items is not None:
        scored = scorer(survey, items, key, **scoring)
    elif definition_note(survey, column) is None:
        raise ConfigError(f"The survey has a column {column!r} that youthmedia did not score; pass name='...' to score the {instrument.upper()} items into new columns.")  # fmt: skip
    result = estimate.share(scored, column, by=by, ci=ci, level=level)
    yes = result[result["category"].astype(str) == _t(key + "_yes")["nl"]].reset_index(drop=True)
    return yes.with_meta(notes=[*result.meta.notes, _t(key + "_note")])


def _resolve_items(survey: Survey, items: Any, group=None, default=(), labelled=False) -> list[str]:
    """The item names: a list, a question group, one variable, or (None) ``group`` or ``default``."""
    groups = survey.codebook.groups
    if items is None:
        items = groups.get(group, default)
    elif isinstance(items, str):
        if items not in groups and items not in survey.data.columns:
            known = ", ".join(groups) or "(none in this codebook)"
            raise ConfigError(f"{items!r} is not a variable or a question group (there is no question group {items!r} in the codebook); pass a list of items or one of the groups: {known}.")  # fmt: skip
        items = groups.get(items, [items])
    if len(set(items := [str(i) for i in items])) != len(items):
        raise ConfigError(f"An item is named twice in {', '.join(items)}.")
    survey.require(*items)
    for item in items if labelled else []:
        if not isinstance(survey.data[item].dtype, pd.CategoricalDtype):
            raise ConfigError(f"{item!r} has no answer labels (it is {survey.data[item].dtype}); answer distributions and top-box shares need a labelled item (value labels in the file or the codebook sidecar).")  # fmt: skip
    return items


def _key(value: Any) -> Any:
    try:
        return float(value)
    except (TypeError, ValueError):
        return value


def _show(value: Any) -> str:
    return repr(str(value)) if isinstance(value, str) or not isinstance(_key(value), float) else f"{value:g}"  # fmt: skip


def _item_codes(survey: Survey, items: list[str], allowed: dict | None = None, scale: str = ""):
    """Item codes as floats (missing = NaN); a code outside ``allowed`` is a DataError."""
    out, table = {}, {_key(k): v for k, v in (allowed or {}).items()}
    for item in items:
        keys = (raw := survey.codes(item).astype(object)).map(_key)
        num = pd.to_numeric(keys.map(table) if allowed else keys, errors="coerce").astype(float)
        if len(bad := raw[raw.notna() & num.isna()]):
            why = f"{scale} declare other codes user-missing or recode them first" if allowed else "scale items must be numeric codes (give the codebook value labels with their codes)"  # fmt: skip
            raise DataError(f"Item {item!r} has value {_show(bad.iloc[0])} in {len(bad)} row(s); {why}.")  # fmt: skip
        out[item] = num
    return pd.DataFrame(out, index=survey.data.index)


def with_columns(survey: Survey, columns: dict[str, tuple[Any, Variable]]) -> Survey:
    """A new Survey with ``columns`` (name -> (values, codebook Variable)) added or replaced."""
    data, cb = survey.data.assign(**{col: v for col, (v, _) in columns.items()}), survey.codebook
    variables = {**cb.variables, **{col: var for col, (_, var) in columns.items()}}
    groups = {g: list(v) for g, v in cb.groups.items()}
    codebook = replace(cb, variables=variables, mr_sets=dict(cb.mr_sets), groups=groups)
    return survey.replace(data=data, codebook=codebook)


def as_yes_no(survey: Survey, item: str) -> Variable:
    """The codebook entry of ``item`` recoded to 0/1: its label (and translations), no values."""
    old = survey.codebook.get(item)
    trans = {lg: {"label": t["label"]} for lg, t in old.translations.items() if t.get("label")}
    return Variable(item, label=old.label, measure="nominal", translations=trans)


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
    names = _resolve_items(survey, items, labelled=True)
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
    """The share of those who answered whose answer is one of the ``k`` highest (``bottom``:
    lowest); user-missing codes and ``exclude`` are not answers.

    Parameters
    ----------
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
    names = _resolve_items(survey, items, labelled=True)
    if int(k) != k or k < 1:
        raise ConfigError(f"k={k!r} must be a whole number of answers, 1 or more.")
    boxes, columns, labels = {}, {}, {lg: {} for lg in (None, "nl", "en")}
    for item in names:
        col = survey.data[item]
        answers = [a for a in col.cat.categories if a not in set(exclude)]
        if len(answers) <= k:
            raise ConfigError(f"{item!r} has {len(answers)} answers; a {k}-box needs more than {k} (lower k).")  # fmt: skip
        boxes[item] = box = answers[:k] if bottom else answers[-k:]
        if odd := [a for a in box if is_excluded(a)]:  # a non-answer ("weet niet") in the box
            raise ConfigError(f"The {'bottom' if bottom else 'top'}-{k} answers of {item!r} include {odd[0]!r}, which is not an answer on the scale; declare it user-missing in the codebook or pass exclude=[{odd[0]!r}].")  # fmt: skip
        in_box = col.isin(box).astype(float).where(col.isin(answers)).to_numpy(float)
        columns[item] = (in_box, as_yes_no(survey, item))
        for lg in labels:
            labels[lg][item] = " / ".join(str(survey.codebook.get(item).value_label_in(a, lg)) for a in box)  # fmt: skip
    result = estimate.share(with_columns(survey, columns), names, by=by, ci=ci, level=level)
    frame = pd.DataFrame(result).assign(category=lambda f: f["variable"].map(labels[None]))
    values = {lg: {i: {labels[None][i]: labels[lg][i]} for i in names} for lg in ("nl", "en")}
    side, none = ("bottom" if bottom else "top"), dict.fromkeys(i18n.LANGS, "")
    etc = _t("etc") if len(names) > 1 else none
    kept = _t("kept", what=", ".join(exclude)) if exclude else none
    first = {lg: labels[lg][names[0]] for lg in i18n.LANGS}
    note = _t("box_" + side, k=k, first=first, etc=etc, kept=kept)
    box = {"k": int(k), "side": side, "answers": {i: [str(a) for a in b] for i, b in boxes.items()}}
    notes = [*result.meta.notes, note]
    return Result(frame).with_meta(result.meta, value_labels=values, box=box, notes=notes)


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
    names = _resolve_items(survey, items)
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
    target = survey if weighted else survey.unweighted()
    eff, codes = design.effective_design(target), _item_codes(survey, items)
    complete = codes.notna().all(axis=1).to_numpy()
    if complete.sum() < 3:
        raise DataError(f"Only {complete.sum()} respondents answered all of {', '.join(items)}; alpha needs at least 3.")  # fmt: skip
    x, w = codes.to_numpy(dtype=float)[complete], eff.weights[complete]
    if (C := _cov(x, w)).sum() <= 0:
        raise DataError(f"The sum of {', '.join(items)} has no variance; alpha is undefined.")
    a, n, q = _alpha_value(C), len(x), 1 - level
    designed = bool(eff.weight is not None or eff.is_replicate or eff.strata or eff.cluster)
    method = ci if ci != "auto" else ("linearization" if designed else "feldt")
    notes = ["Feldt interval ignores the weights and design; use ci='linearization' for one."] if method == "feldt" and designed else []  # fmt: skip
    if method == "feldt":  # Feldt (1965): (1 − alpha) scaled by F(n − 1, (n − 1)(k − 1))
        f, se = stats.f(n - 1, (n - 1) * (k - 1)), math.nan
        lo, hi = 1 - (1 - a) * f.ppf(1 - q / 2), 1 - (1 - a) * f.ppf(q / 2)
    else:  # a t interval on log(1 − alpha): its SE from alpha's influence or replicate refits
        xc = x - np.average(x, axis=0, weights=w)  # influence on the items' and the sum's variance
        v_items = w[:, None] * (xc**2 - np.diag(C)) / w.sum()
        v_sum = w * (xc.sum(axis=1) ** 2 - C.sum()) / w.sum()
        influence = -k / (k - 1) * (v_items.sum(axis=1) - np.trace(C) * v_sum / C.sum()) / C.sum()
        refit = lambda r: [_alpha_value(_cov(x, r))]  # noqa: E731
        vcov, df = design_vcov(target, complete, [a], influence[:, None], refit)
        se = math.sqrt(vcov[0, 0])
        dist = stats.t(df) if np.isfinite(df) and df > 0 else stats.norm
        half = dist.ppf(1 - q / 2) * se / (1 - a)
        lo, hi = 1 - (1 - a) * math.exp(half), 1 - (1 - a) * math.exp(-half)
    how = "Feldt (1965)" if method == "feldt" else "design-based linearisation on log(1 − alpha)"
    weighted = eff.weight is not None
    notes.append(f"Cronbach's alpha over {k} items, {'weighted' if weighted else 'unweighted'}, n = {n} respondents who answered every item; {100 * level:.0f}% interval: {how}.")  # fmt: skip
    var, cov_total = np.diag(C), C.sum(axis=1)  # per item; then of the sum of the others
    var_rest, labels = C.sum() - 2 * cov_total + var, [survey.codebook.label(i) for i in items]
    with np.errstate(divide="ignore", invalid="ignore"):
        rest_r = (cov_total - var) / np.sqrt(var * var_rest)
        a_del = (k - 1) / np.float64(k - 2) * (1 - (np.trace(C) - var) / var_rest)
    values = [items, labels, np.average(x, axis=0, weights=w), np.sqrt(var), rest_r, a_del]
    names = ["item", "label", "mean", "sd", "item_rest", "alpha_if_deleted"]
    table = pd.DataFrame(dict(zip(names, values, strict=True))).replace([np.inf, -np.inf], np.nan)
    return Reliability(a, float(lo), float(hi), level, method, se, n, k, weighted, table, notes)


def _cov(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The weighted covariance matrix of the items (divisor Σw, as svycralpha's svyvar ratio)."""
    keep = w > 0
    return np.atleast_2d(np.cov(x[keep], rowvar=False, aweights=w[keep], ddof=0))


def _alpha_value(C: np.ndarray) -> float:
    k = len(C)
    return float(k / (k - 1) * (1 - np.trace(C) / C.sum()))
