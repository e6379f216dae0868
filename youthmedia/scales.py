"""Scale scores: SMDS, BSMAS and codebook-defined scales, each added to a new Survey with a
codebook entry naming the definition (item summaries and alpha: items.py).

- SMDS (van den Eijnden, Lemmens & Valkenburg 2016, *Computers in Human Behavior* 61:478): nine
  yes/no items; ``"disordered"`` ≥ 5, ``"problematic"`` ≥ 6 (HBSC; Boer et al. 2021, *Assessment*).
- BSMAS (Andreassen et al. 2016, *Psychology of Addictive Behaviors* 30(2):252): six items 1–5;
  ``"polythetic"`` 3+ on ≥ 4 items, ``"sum19"`` sum ≥ 19 (Bányai et al. 2017, *PLoS ONE*).

A score needs every item unless ``min_answered`` is lower: then a sum is prorated (mean of the
answered items × number of items) and the cut-off applies to that, as its label says.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import items as _items
from .codebook import Variable
from .errors import ConfigError
from .items import Reliability, alpha, distribution, item_mean, top_box  # noqa: F401
from .published import _catalogue, _texts
from .result import Result
from .survey import Survey

__all__ = "BSMAS_CUTOFFS SMDS_DEFINITIONS bsmas definition_note prevalence score smds".split()
__all__ += "Reliability alpha distribution item_mean top_box".split()  # from items

_T = _catalogue("""
problematic | Problematisch socialemediagebruik (SMDS ≥ 6 van 9; HBSC-definitie, Boer et al. 2021) | Problematic social media use (SMDS ≥ 6 of 9; HBSC definition, Boer et al. 2021)
problematic_yes | problematisch gebruik | problematic use
problematic_no | geen problematisch gebruik | no problematic use
problematic_note | Problematisch gebruik: ja op minstens 6 van de 9 vragen van de Social Media Disorder Scale (HBSC-definitie, Boer et al. 2021). | Problematic use: yes to at least 6 of the 9 Social Media Disorder Scale items (HBSC definition, Boer et al. 2021).
disordered | Verstoord socialemediagebruik (SMDS ≥ 5 van 9; van den Eijnden et al. 2016) | Disordered social media use (SMDS ≥ 5 of 9; van den Eijnden et al. 2016)
disordered_yes | verstoord gebruik | disordered use
disordered_no | geen verstoord gebruik | no disordered use
disordered_note | Verstoord gebruik: ja op minstens 5 van de 9 vragen van de Social Media Disorder Scale (van den Eijnden et al. 2016). | Disordered use: yes to at least 5 of the 9 Social Media Disorder Scale items (van den Eijnden et al. 2016).
polythetic | Risico op socialemedia-verslaving (BSMAS polythetisch: ≥ 3 op minstens 4 van 6 items; Andreassen et al. 2016) | At risk of social media addiction (BSMAS polythetic: ≥ 3 on at least 4 of 6 items; Andreassen et al. 2016)
polythetic_yes | risico | at risk
polythetic_no | geen risico | not at risk
polythetic_note | Risico: score 3 ('soms') of hoger op minstens 4 van de 6 vragen van de Bergen Social Media Addiction Scale (polythetisch, Andreassen et al. 2016). | At risk: a score of 3 ('sometimes') or more on at least 4 of the 6 Bergen Social Media Addiction Scale items (polythetic, Andreassen et al. 2016).
sum19 | Risico op socialemedia-verslaving (BSMAS-som ≥ 19 van 30; Bányai et al. 2017) | At risk of social media addiction (BSMAS sum ≥ 19 of 30; Bányai et al. 2017)
sum19_yes | risico | at risk
sum19_no | geen risico | not at risk
sum19_note | Risico: somscore 19 of hoger (6–30) op de Bergen Social Media Addiction Scale (afkappunt uit een secundaire bron: Bányai et al. 2017). | At risk: a sum score of 19 or more (6–30) on the Bergen Social Media Addiction Scale (cut-off from a secondary source: Bányai et al. 2017).
smds_score | SMDS-score (aantal keer ja, 0–9; {rule}) | SMDS score (number of yes answers, 0–9; {rule})
bsmas_score | BSMAS-somscore (6–30; {rule}) | BSMAS sum score (6–30; {rule})
all | alle {k} vragen beantwoord | all {k} items answered
some | minstens {m} van {k} vragen beantwoord, ontbrekende aangevuld met het eigen gemiddelde | at least {m} of {k} items answered, missing items prorated from the respondent's own mean
scale | {group} ({method} van {k} items; {rule}{rev}) | {group} ({method} of {k} items; {rule}{rev})
reversed | ; omgepoold: {items} | ; reversed: {items}
mean | gemiddelde | mean
sum | som | sum
""")
_LANGS = ("nl", "en")
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
    survey : Survey
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
    threshold = _choose(definition, SMDS_DEFINITIONS, "definition")
    scale = f"SMDS items are yes/no questions: {_items._show(no)} = no, {_items._show(yes)} = yes (pass yes=..., no=... for other codes);"
    codes, total = _codes(survey, items, "smds", 9, min_answered, {yes: 1.0, no: 0.0}, scale)
    flag = (total >= threshold).astype(float).where(total.notna())
    return _add(survey, name, total, flag, definition, 9, min_answered)


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
    survey : Survey
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
    threshold = _choose(cutoff, BSMAS_CUTOFFS, "cutoff")
    scale = "BSMAS items are scored 1 (very rarely) to 5 (very often);"
    allowed = {k: float(k) for k in range(1, 6)}
    codes, total = _codes(survey, items, "bsmas", 6, min_answered, allowed, scale)
    flag = (total >= threshold).astype(float)
    if cutoff == "polythetic":  # decided: 4 items >= 3, or too few unanswered to reach 4
        high, open_ = (codes >= 3).sum(axis=1), codes.isna().sum(axis=1)
        flag = pd.Series(np.select([high >= 4, high + open_ < 4], [1.0, 0.0], np.nan), codes.index)
    return _add(survey, name, total, flag.where(total.notna()), cutoff, 6, min_answered)


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
    survey : Survey
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
    items = _items._resolve_items(survey, items)
    if (k := len(items)) < 2:
        raise ConfigError(f"A scale needs at least 2 items; got {k} ({', '.join(items)}).")
    if unknown := [r for r in reverse if r not in items]:
        raise ConfigError(f"reverse names {', '.join(map(repr, unknown))}, which are not items of this scale ({', '.join(items)}).")  # fmt: skip
    codes = _items._item_codes(survey, items)
    for item in reverse:
        low, high = _item_range(survey, item, item_range)
        codes[item] = low + high - codes[item]
    mean = _answered_mean(codes, min_answered := k if min_answered is None else min_answered)
    name = name or f"{group or 'scale'}_{method}"
    rev = _texts(_T, "reversed", items=", ".join(reverse)) if reverse else dict.fromkeys(_LANGS, "")
    rule, how = _rule(min_answered, k), _texts(_T, method)
    group_name = {"nl": group or "schaal", "en": group or "scale"}
    auto = _texts(_T, "scale", group=group_name, method=how, k=k, rule=rule, rev=rev)
    translations = {lg: {"label": text} for lg, text in {**auto, **(labels or {})}.items()}
    var = Variable(name, label=label or auto["nl"], measure="scale", translations=translations)
    return _items.with_columns(survey, {name: (mean if method == "mean" else mean * k, var)})


def _choose(key: str, table: dict[str, int], what: str) -> int:
    if key not in table:
        raise ConfigError(f"{what}={key!r} is not known; use one of {', '.join(map(repr, table))}.")
    return table[key]


def _answered_mean(codes: pd.DataFrame, min_answered: int) -> pd.Series:
    """Each respondent's mean of the answered items (missing below ``min_answered``)."""
    if not 1 <= int(min_answered) <= codes.shape[1]:
        raise ConfigError(f"min_answered={min_answered!r} must be between 1 and {codes.shape[1]} (the number of items).")  # fmt: skip
    return codes.mean(axis=1, skipna=True).where(codes.notna().sum(axis=1) >= min_answered)


def _codes(
    survey: Survey, items: Any, group: str, k: int, min_answered: int, allowed: dict, scale: str
):
    """The item codes of SMDS/BSMAS (named, a codebook group or ``{group}_1..k``) and the sum."""
    default = [f"{group}_{i}" for i in range(1, k + 1)]
    items = _items._resolve_items(survey, items, group=group, default=default)
    if len(items) != k:
        raise ConfigError(f"The {group.upper()} has {k} items; got {len(items)} ({', '.join(items)}). Pass the {k} item names as items=[...].")  # fmt: skip
    codes = _items._item_codes(survey, items, allowed=allowed, scale=scale)
    return codes, _answered_mean(codes, min_answered) * k


def _rule(min_answered: int, k: int) -> dict[str, str]:
    return _texts(_T, "all", k=k) if min_answered >= k else _texts(_T, "some", m=min_answered, k=k)


def _add(survey: Survey, name: str, total, flag, key: str, k: int, min_answered: int):
    """``survey`` with ``{name}_score`` and the classification ``{name}_{key}``."""
    texts = _texts(_T, "smds_score" if k == 9 else "bsmas_score", rule=_rule(min_answered, k))
    trans = {lg: {"label": t} for lg, t in texts.items()}
    score_var = Variable(f"{name}_score", label=texts["nl"], measure="scale", translations=trans)
    col, (label, yes, no) = f"{name}_{key}", (_texts(_T, key + end) for end in ("", "_yes", "_no"))
    values = pd.Categorical.from_codes(flag.fillna(-1).astype(int), [no["nl"], yes["nl"]], True)
    trans = {lg: {"label": label[lg], "values": {0: no[lg], 1: yes[lg]}} for lg in _LANGS}
    var = Variable(col, label=label["nl"], value_labels={0: no["nl"], 1: yes["nl"]}, measure="nominal", translations=trans)  # fmt: skip
    flag = pd.Series(values, index=flag.index, name=col)
    return _items.with_columns(survey, {f"{name}_score": (total, score_var), col: (flag, var)})


def _item_range(
    survey: Survey, item: str, given: tuple[float, float] | None
) -> tuple[float, float]:
    if given is not None:
        return float(given[0]), float(given[1])
    codes = pd.to_numeric(
        pd.Series(list(survey.codebook.get(item).value_labels), dtype=object), errors="coerce"
    ).dropna()
    if len(codes) < 2:
        raise ConfigError(f"Cannot reverse {item!r}: the codebook gives no value labels with its end codes. Pass item_range=(low, high), e.g. item_range=(1, 5).")  # fmt: skip
    return float(codes.min()), float(codes.max())


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
        if var is not None and {var.label, var.label_in("en")} & set(_texts(_T, key).values()):
            return _texts(_T, key + "_note")[lang if lang in _LANGS else "en"]
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
    survey : Survey
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
    from . import estimate

    instruments = {"smds": (smds, SMDS_DEFINITIONS), "bsmas": (bsmas, BSMAS_CUTOFFS)}
    if instrument not in instruments:
        raise ConfigError(f"instrument={instrument!r} is not known; use 'smds' or 'bsmas'.")
    scorer, table = instruments[instrument]
    key = definition or next(iter(table))
    _choose(key, table, "definition")
    column, scored = f"{scoring.get('name', instrument)}_{key}", survey
    if column not in survey.data.columns or scoring or items is not None:
        scored = scorer(survey, items, key, **scoring)
    elif definition_note(survey, column) is None:
        raise ConfigError(f"The survey has a column {column!r} that youthmedia did not score; pass name='...' to score the {instrument.upper()} items into new columns.")  # fmt: skip
    result = estimate.share(scored, column, by=by, ci=ci, level=level)
    frame = pd.DataFrame(result)
    frame = frame[frame["category"].astype(str) == _texts(_T, key + "_yes")["nl"]]
    notes = [*result.meta.notes, _texts(_T, key + "_note")]
    return Result(frame.reset_index(drop=True)).with_meta(result.meta, notes=notes)
