"""Scale scores and item summaries: SMDS, BSMAS, codebook-defined scales, Likert items, alpha.

Every scoring function returns a **new** :class:`~youthmedia.survey.Survey` with the score
(and, for the published instruments, the classification) added as columns with a codebook entry
that states the definition used; the input survey is never changed.

Published instruments
---------------------
Social Media Disorder Scale (SMDS; van den Eijnden, Lemmens & Valkenburg 2016, *Computers in
Human Behavior* 61:478–487): nine yes/no items, score 0–9. Two definitions are in use and the
one applied is always named:

- ``"disordered"``: score ≥ 5 of 9 (the original paper);
- ``"problematic"``: score ≥ 6 of 9 (HBSC; Boer et al. 2021, *Assessment*).

Bergen Social Media Addiction Scale (BSMAS; Andreassen et al. 2016, *Psychology of Addictive
Behaviors* 30(2):252): six items scored 1 (very rarely) … 5 (very often), score 6–30. Cut-offs:

- ``"polythetic"``: a score of 3 or more on at least 4 of the 6 items (Andreassen et al. 2016);
- ``"sum19"``: a sum of 19 or more (a secondary source: Bányai et al. 2017, *PLoS ONE*
  12(1):e0169839, from a latent-profile analysis in Hungarian adolescents).

Missing answers
---------------
By default a score needs every item answered (``min_answered`` = number of items); respondents
with fewer answers get a missing score and classification. With a lower ``min_answered`` a
*sum* is prorated: the mean of the answered items times the number of items (person-mean
imputation), and the cut-off is applied to that prorated score. The rule used is written into
the codebook label of the score.

Examples
--------
>>> import pandas as pd
>>> from youthmedia.survey import Survey
>>> from youthmedia import scales
>>> s = Survey(pd.DataFrame({f"smds_{i}": [1, 0, 1] for i in range(1, 10)}))
>>> out = scales.smds(s)
>>> out.data["smds_score"].tolist()
[9.0, 0.0, 9.0]
>>> out.codebook.label("smds_problematic", "en")
'Problematic social media use (SMDS ≥ 6 of 9; HBSC definition, Boer et al. 2021)'
>>> "smds_score" in s.data.columns        # the input is unchanged
False
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .codebook import Variable
from .errors import ConfigError
from .items import (
    Reliability,
    _check_min_answered,
    _item_codes,
    _resolve_items,
    _show,
    alpha,
    distribution,
    item_mean,
    top_box,
    with_columns,
)
from .result import Result
from .survey import Survey

__all__ = [
    "BSMAS_CUTOFFS",
    "SMDS_DEFINITIONS",
    "Reliability",
    "alpha",
    "bsmas",
    "definition_note",
    "distribution",
    "item_mean",
    "prevalence",
    "score",
    "smds",
    "top_box",
]


@dataclass(frozen=True)
class _Cutoff:
    key: str
    threshold: int
    labels: dict[str, str]  # lang -> variable label of the classification
    yes: dict[str, str]  # lang -> value label of code 1
    no: dict[str, str]  # lang -> value label of code 0
    note: dict[str, str]  # lang -> one-line note for Results and slides


SMDS_DEFINITIONS: dict[str, _Cutoff] = {
    "problematic": _Cutoff(
        key="problematic",
        threshold=6,
        labels={
            "nl": "Problematisch socialemediagebruik (SMDS ≥ 6 van 9; HBSC-definitie, Boer et al. 2021)",
            "en": "Problematic social media use (SMDS ≥ 6 of 9; HBSC definition, Boer et al. 2021)",
        },
        yes={"nl": "problematisch gebruik", "en": "problematic use"},
        no={"nl": "geen problematisch gebruik", "en": "no problematic use"},
        note={
            "nl": "Problematisch gebruik: ja op minstens 6 van de 9 vragen van de Social Media "
            "Disorder Scale (HBSC-definitie, Boer et al. 2021).",
            "en": "Problematic use: yes to at least 6 of the 9 Social Media Disorder Scale items "
            "(HBSC definition, Boer et al. 2021).",
        },
    ),
    "disordered": _Cutoff(
        key="disordered",
        threshold=5,
        labels={
            "nl": "Verstoord socialemediagebruik (SMDS ≥ 5 van 9; van den Eijnden et al. 2016)",
            "en": "Disordered social media use (SMDS ≥ 5 of 9; van den Eijnden et al. 2016)",
        },
        yes={"nl": "verstoord gebruik", "en": "disordered use"},
        no={"nl": "geen verstoord gebruik", "en": "no disordered use"},
        note={
            "nl": "Verstoord gebruik: ja op minstens 5 van de 9 vragen van de Social Media "
            "Disorder Scale (van den Eijnden et al. 2016).",
            "en": "Disordered use: yes to at least 5 of the 9 Social Media Disorder Scale items "
            "(van den Eijnden et al. 2016).",
        },
    ),
}

BSMAS_CUTOFFS: dict[str, _Cutoff] = {
    "polythetic": _Cutoff(
        key="polythetic",
        threshold=4,  # number of items scored >= 3
        labels={
            "nl": "Risico op socialemedia-verslaving (BSMAS polythetisch: ≥ 3 op minstens 4 van "
            "6 items; Andreassen et al. 2016)",
            "en": "At risk of social media addiction (BSMAS polythetic: ≥ 3 on at least 4 of "
            "6 items; Andreassen et al. 2016)",
        },
        yes={"nl": "risico", "en": "at risk"},
        no={"nl": "geen risico", "en": "not at risk"},
        note={
            "nl": "Risico: score 3 ('soms') of hoger op minstens 4 van de 6 vragen van de Bergen "
            "Social Media Addiction Scale (polythetisch, Andreassen et al. 2016).",
            "en": "At risk: a score of 3 ('sometimes') or more on at least 4 of the 6 Bergen "
            "Social Media Addiction Scale items (polythetic, Andreassen et al. 2016).",
        },
    ),
    "sum19": _Cutoff(
        key="sum19",
        threshold=19,
        labels={
            "nl": "Risico op socialemedia-verslaving (BSMAS-som ≥ 19 van 30; Bányai et al. 2017)",
            "en": "At risk of social media addiction (BSMAS sum ≥ 19 of 30; Bányai et al. 2017)",
        },
        yes={"nl": "risico", "en": "at risk"},
        no={"nl": "geen risico", "en": "not at risk"},
        note={
            "nl": "Risico: somscore 19 of hoger (6–30) op de Bergen Social Media Addiction Scale "
            "(afkappunt uit een secundaire bron: Bányai et al. 2017).",
            "en": "At risk: a sum score of 19 or more (6–30) on the Bergen Social Media Addiction "
            "Scale (cut-off from a secondary source: Bányai et al. 2017).",
        },
    ),
}


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
        The nine items (or the name of a codebook question group holding them). Default: the
        codebook group ``"smds"`` if there is one, else ``smds_1`` … ``smds_9``.
    definition : {"problematic", "disordered"}
        ``"problematic"``: ≥ 6 of 9 (HBSC, Boer et al. 2021); ``"disordered"``: ≥ 5 of 9
        (van den Eijnden et al. 2016).
    min_answered : int
        Fewest answered items for a score (default all 9). Below 9, the score is prorated
        (mean of the answered items × 9) and the cut-off is applied to the prorated score.
    yes, no : code
        The codes meaning "yes" and "no" (default 1 and 0). Any other non-missing code is a
        ``DataError``.
    name : str
        Prefix of the new columns: ``{name}_score`` and ``{name}_{definition}``.

    Returns
    -------
    Survey
        A new survey with ``{name}_score`` (0–9, missing when too few items were answered) and
        ``{name}_{definition}`` (an ordered Categorical: no / yes, codes 0 / 1) added, each with a
        codebook entry naming the definition.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> from youthmedia.scales import smds
    >>> rows = {f"smds_{i}": [1 if i <= 5 else 0] for i in range(1, 10)}
    >>> out = smds(Survey(pd.DataFrame(rows)), definition="disordered")
    >>> out.data["smds_disordered"].tolist()
    ['verstoord gebruik']
    """
    cut = _choose(definition, SMDS_DEFINITIONS, "definition")
    codes, total = _published_scale_codes(
        survey,
        items,
        "smds",
        9,
        "Social Media Disorder Scale",
        min_answered,
        allowed={yes: 1.0, no: 0.0},
        scale=f"SMDS items are yes/no questions: {_show(no)} = no, "
        f"{_show(yes)} = yes (pass yes=..., no=... for other codes);",
    )
    flag = (total >= cut.threshold).astype(float).where(total.notna())
    return _with_score_and_flag(
        survey,
        name,
        total,
        flag,
        cut,
        min_answered,
        codes.shape[1],
        {
            "nl": "SMDS-score (aantal keer ja, 0–9; {rule})",
            "en": "SMDS score (number of yes answers, 0–9; {rule})",
        },
    )


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
        The six items coded 1 (very rarely) … 5 (very often), or a codebook group name.
        Default: the group ``"bsmas"`` if there is one, else ``bsmas_1`` … ``bsmas_6``.
    cutoff : {"polythetic", "sum19"}
        ``"polythetic"``: 3 or more on at least 4 of the 6 items (Andreassen et al. 2016);
        ``"sum19"``: sum ≥ 19 (Bányai et al. 2017, a secondary source).
    min_answered : int
        Fewest answered items for a score (default all 6); below 6 the sum is prorated. The
        polythetic rule is applied only to respondents who answered all six items unless the
        answered items already decide it (4 items ≥ 3, or too few left to reach 4).
    name : str
        Prefix of the new columns ``{name}_score`` and ``{name}_{cutoff}``.

    Returns
    -------
    Survey
        A new survey with the sum score (6–30) and the classification (ordered Categorical,
        codes 0 / 1) added, each with a codebook entry naming the cut-off.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> from youthmedia.scales import bsmas
    >>> s = Survey(pd.DataFrame({f"bsmas_{i}": [3, 1] for i in range(1, 7)}))
    >>> bsmas(s).data["bsmas_score"].tolist()
    [18.0, 6.0]
    >>> bsmas(s).data["bsmas_polythetic"].tolist()
    ['risico', 'geen risico']
    """
    cut = _choose(cutoff, BSMAS_CUTOFFS, "cutoff")
    codes, total = _published_scale_codes(
        survey,
        items,
        "bsmas",
        6,
        "Bergen Social Media Addiction Scale",
        min_answered,
        allowed={k: float(k) for k in range(1, 6)},
        scale="BSMAS items are scored 1 (very rarely) to 5 (very often);",
    )
    if cut.key == "polythetic":
        high = (codes >= 3).sum(axis=1)
        unanswered = codes.isna().sum(axis=1)
        decided_yes = high >= 4
        decided_no = (high + unanswered) < 4
        flag = pd.Series(
            np.where(decided_yes, 1.0, np.where(decided_no, 0.0, np.nan)), index=codes.index
        )
        flag = flag.where(total.notna())
    else:
        flag = (total >= cut.threshold).astype(float).where(total.notna())
    return _with_score_and_flag(
        survey,
        name,
        total,
        flag,
        cut,
        min_answered,
        codes.shape[1],
        {"nl": "BSMAS-somscore (6–30; {rule})", "en": "BSMAS sum score (6–30; {rule})"},
    )


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
    method : {"mean", "sum"}
        Mean of the answered items, or their sum (prorated to all items when some are missing
        and ``min_answered`` allows it: mean × number of items).
    reverse : list of str
        Items to reverse-code: ``low + high - x``, with ``low``/``high`` the end codes of the
        item's value labels in the codebook or ``item_range``.
    min_answered : int, optional
        Fewest answered items for a score; default all items.
    item_range : (low, high), optional
        End codes for reverse coding where the codebook has no value labels (``(1, 5)``).
    name, label, labels : str, str, dict, optional
        The new column (default ``"{group}_{method}"``), its label and translations.

    Returns
    -------
    Survey
        A new survey with the score column added (measure ``scale``).

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.codebook import Codebook, Variable
    >>> from youthmedia.survey import Survey
    >>> from youthmedia.scales import score
    >>> data = pd.DataFrame({"a": [1, 5], "b": [5, 1]})
    >>> cb = Codebook({v: Variable(v) for v in "ab"}, groups={"mood": ["a", "b"]})
    >>> score(Survey(data, cb), "mood", reverse=["b"], item_range=(1, 5)).data["mood_mean"].tolist()
    [1.0, 5.0]
    """
    if method not in ("mean", "sum"):
        raise ConfigError(f"method={method!r} is not a scale method; use 'mean' or 'sum'.")
    group = items if isinstance(items, str) else None
    items = _resolve_items(survey, items)
    k = len(items)
    if k < 2:
        raise ConfigError(f"A scale needs at least 2 items; got {k} ({', '.join(items)}).")
    min_answered = k if min_answered is None else min_answered
    _check_min_answered(min_answered, k)
    if unknown := [r for r in reverse if r not in items]:
        raise ConfigError(
            f"reverse names {', '.join(map(repr, unknown))}, which are not items "
            f"of this scale ({', '.join(items)})."
        )
    codes = _item_codes(survey, items)
    for item in reverse:
        low, high = _item_range(survey, item, item_range)
        codes[item] = low + high - codes[item]
    mean = _answered_mean(codes, min_answered)
    name = name or f"{group or 'scale'}_{method}"
    var = _scale_variable(name, group, method, k, min_answered, reverse, label, labels)
    return with_columns(survey, {name: (mean if method == "mean" else mean * k, var)})


def _scale_variable(
    name: str,
    group: str | None,
    method: str,
    k: int,
    min_answered: int,
    reverse: Sequence[str],
    label: str | None,
    labels: dict[str, str] | None,
) -> Variable:
    """The codebook entry of a scale score; its label states method, items, missing rule."""
    rule = _missing_rule_text(min_answered, k)
    rev = {
        "nl": f"; omgepoold: {', '.join(reverse)}" if reverse else "",
        "en": f"; reversed: {', '.join(reverse)}" if reverse else "",
    }
    auto = {
        "nl": f"{group or 'schaal'} ({'gemiddelde' if method == 'mean' else 'som'} van {k} "
        f"items; {rule['nl']}{rev['nl']})",
        "en": f"{group or 'scale'} ({method} of {k} items; {rule['en']}{rev['en']})",
    }
    translations = {lang: {"label": text} for lang, text in {**auto, **(labels or {})}.items()}
    return Variable(name, label=label or auto["nl"], measure="scale", translations=translations)


def _choose(key: str, table: dict[str, _Cutoff], what: str) -> _Cutoff:
    if key not in table:
        raise ConfigError(f"{what}={key!r} is not known; use one of {', '.join(map(repr, table))}.")
    return table[key]


def _answered_mean(codes: pd.DataFrame, min_answered: int) -> pd.Series:
    """Each respondent's mean of the answered items (missing below ``min_answered``)."""
    answered = codes.notna().sum(axis=1)
    return codes.mean(axis=1, skipna=True).where(answered >= min_answered)


def _published_scale_codes(
    survey: Survey,
    items: Sequence[str] | str | None,
    group: str,
    k: int,
    title: str,
    min_answered: int,
    allowed: dict[Any, float],
    scale: str,
) -> tuple[pd.DataFrame, pd.Series]:
    """The item codes of SMDS/BSMAS (named, codebook group or ``{group}_1..k``) and the prorated sum."""
    items = _resolve_items(
        survey, items, group=group, default=[f"{group}_{i}" for i in range(1, k + 1)]
    )
    if len(items) != k:
        raise ConfigError(
            f"The {title} has {k} items; got {len(items)} ({', '.join(items)}). "
            f"Pass the {_COUNT_WORDS[k]} item names as items=[...]."
        )
    _check_min_answered(min_answered, k)
    codes = _item_codes(survey, items, allowed=allowed, scale=scale)
    return codes, _answered_mean(codes, min_answered) * k


_COUNT_WORDS = {6: "six", 9: "nine"}


def _with_score_and_flag(
    survey: Survey,
    name: str,
    total: pd.Series,
    flag: pd.Series,
    cut: _Cutoff,
    min_answered: int,
    k: int,
    label: dict[str, str],
) -> Survey:
    """``survey`` with ``{name}_score`` and the classification ``{name}_{cut.key}``."""
    rule = _missing_rule_text(min_answered, k)
    texts = {lang: text.format(rule=rule[lang]) for lang, text in label.items()}
    score_var = Variable(
        f"{name}_score",
        label=texts["nl"],
        measure="scale",
        translations={lang: {"label": text} for lang, text in texts.items()},
    )
    return with_columns(
        survey,
        {
            f"{name}_score": (total, score_var),
            f"{name}_{cut.key}": _flag_column(f"{name}_{cut.key}", flag, cut),
        },
    )


def _missing_rule_text(min_answered: int, k: int) -> dict[str, str]:
    if min_answered >= k:
        return {"nl": f"alle {k} vragen beantwoord", "en": f"all {k} items answered"}
    return {
        "nl": f"minstens {min_answered} van {k} vragen beantwoord, ontbrekende aangevuld met het "
        "eigen gemiddelde",
        "en": f"at least {min_answered} of {k} items answered, missing items prorated from the "
        "respondent's own mean",
    }


def _item_range(
    survey: Survey, item: str, given: tuple[float, float] | None
) -> tuple[float, float]:
    if given is not None:
        return float(given[0]), float(given[1])
    labels = survey.codebook.get(item).value_labels
    numeric = []
    for code in labels:
        try:
            numeric.append(float(code))
        except (TypeError, ValueError):
            continue
    if len(numeric) < 2:
        raise ConfigError(
            f"Cannot reverse {item!r}: the codebook gives no value labels with its end codes. "
            "Pass item_range=(low, high), e.g. item_range=(1, 5)."
        )
    return min(numeric), max(numeric)


def _flag_column(name: str, flag: pd.Series, cut: _Cutoff) -> tuple[pd.Series, Variable]:
    cats = [cut.no["nl"], cut.yes["nl"]]
    values = pd.Categorical.from_codes(
        flag.fillna(-1).astype(int).to_numpy(), categories=cats, ordered=True
    )
    var = Variable(
        name,
        label=cut.labels["nl"],
        measure="nominal",
        value_labels={0: cut.no["nl"], 1: cut.yes["nl"]},
        translations={
            lang: {"label": cut.labels[lang], "values": {0: cut.no[lang], 1: cut.yes[lang]}}
            for lang in ("nl", "en")
        },
    )
    return pd.Series(values, index=flag.index, name=name), var


def definition_note(survey: Survey, variable: str, lang: str = "nl") -> str | None:
    """The sentence stating the published definition behind a classification made here.

    Recognises the SMDS and BSMAS classifications by their codebook label (which names the
    definition); ``None`` for any other variable.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> s = smds(Survey(pd.DataFrame({f"smds_{i}": [1] for i in range(1, 10)})))
    >>> definition_note(s, "smds_problematic", "en")[:40]
    'Problematic use: yes to at least 6 of th'
    """
    if variable not in survey.codebook:
        return None
    var = survey.codebook[variable]
    for cut in (*SMDS_DEFINITIONS.values(), *BSMAS_CUTOFFS.values()):
        if var.label in cut.labels.values() or var.label_in("en") in cut.labels.values():
            return cut.note.get(lang, cut.note["en"])
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
    """The share classified by a published definition (SMDS or BSMAS), the definition stated.

    Scores the instrument (:func:`smds`, :func:`bsmas`) unless the survey holds that
    classification, and estimates the share of "yes" (:func:`youthmedia.estimate.share`) with
    the definition in ``meta.notes`` (nl, en), so tables, figures and slides name it.

    Parameters
    ----------
    survey : Survey
    instrument : {"smds", "bsmas"}
    definition : str, optional
        SMDS: ``"problematic"`` (default, ≥ 6) or ``"disordered"`` (≥ 5); BSMAS:
        ``"polythetic"`` (default) or ``"sum19"``.
    by, items, ci, level, **scoring : optional
        As :func:`youthmedia.estimate.share`; the items and scoring options of :func:`smds`.

    Returns
    -------
    Result
        One row per group: the share classified "yes" (e.g. "problematisch gebruik").

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> from youthmedia.scales import prevalence
    >>> rows = {f"smds_{i}": [1, 1, 0, 0] * 5 for i in range(1, 10)}
    >>> r = prevalence(Survey(pd.DataFrame(rows)))
    >>> float(r.loc[0, "estimate"]), r.loc[0, "category"]
    (0.5, 'problematisch gebruik')
    """
    from . import estimate

    instruments = {
        "smds": (smds, SMDS_DEFINITIONS, "problematic"),
        "bsmas": (bsmas, BSMAS_CUTOFFS, "polythetic"),
    }
    if instrument not in instruments:
        raise ConfigError(f"instrument={instrument!r} is not known; use 'smds' or 'bsmas'.")
    scorer, table, default = instruments[instrument]
    definition = definition or default
    cut = _choose(definition, table, "definition")
    column = f"{scoring.get('name', instrument)}_{cut.key}"
    if column in survey.data.columns and not scoring and items is None:
        if definition_note(survey, column) is None:
            raise ConfigError(
                f"The survey has a column {column!r} that youthmedia did not score; pass "
                f"name='...' to score the {instrument.upper()} items into new columns."
            )
        scored = survey
    else:
        scored = scorer(survey, items, definition, **scoring)
    result = estimate.share(scored, column, by=by, ci=ci, level=level)
    frame = pd.DataFrame(result)
    frame = frame[frame["category"].astype(str) == cut.yes["nl"]].reset_index(drop=True)
    return Result(frame).with_meta(result.meta, notes=[*result.meta.notes, dict(cut.note)])
