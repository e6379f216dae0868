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

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from .codebook import Codebook, Variable
from .errors import ConfigError, DataError
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


# --------------------------------------------------------------------------------------------
# Definitions of the published instruments
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Cutoff:
    key: str
    threshold: int
    labels: dict[str, str]        # lang -> variable label of the classification
    yes: dict[str, str]           # lang -> value label of code 1
    no: dict[str, str]            # lang -> value label of code 0
    note: dict[str, str]          # lang -> one-line note for Results and slides


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
        threshold=4,   # number of items scored >= 3
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


# --------------------------------------------------------------------------------------------
# Public scoring functions
# --------------------------------------------------------------------------------------------
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
        survey, items, "smds", 9, "Social Media Disorder Scale", min_answered,
        allowed={yes: 1.0, no: 0.0},
        scale=f"SMDS items are yes/no questions: {_show(no)} = no, "
              f"{_show(yes)} = yes (pass yes=..., no=... for other codes);")
    flag = (total >= cut.threshold).astype(float).where(total.notna())
    return _with_score_and_flag(
        survey, name, total, flag, cut, min_answered, codes.shape[1],
        {"nl": "SMDS-score (aantal keer ja, 0–9; {rule})",
         "en": "SMDS score (number of yes answers, 0–9; {rule})"})


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
        survey, items, "bsmas", 6, "Bergen Social Media Addiction Scale", min_answered,
        allowed={k: float(k) for k in range(1, 6)},
        scale="BSMAS items are scored 1 (very rarely) to 5 (very often);")
    if cut.key == "polythetic":
        high = (codes >= 3).sum(axis=1)
        unanswered = codes.isna().sum(axis=1)
        decided_yes = high >= 4
        decided_no = (high + unanswered) < 4
        flag = pd.Series(np.where(decided_yes, 1.0, np.where(decided_no, 0.0, np.nan)),
                         index=codes.index)
        flag = flag.where(total.notna())
    else:
        flag = (total >= cut.threshold).astype(float).where(total.notna())
    return _with_score_and_flag(
        survey, name, total, flag, cut, min_answered, codes.shape[1],
        {"nl": "BSMAS-somscore (6–30; {rule})", "en": "BSMAS sum score (6–30; {rule})"})


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
        The end codes of the response scale, for reverse coding where the codebook has no value
        labels (e.g. ``(1, 5)``).
    name : str, optional
        The new column; default ``"{group}_{method}"`` (or ``"scale_{method}"`` for a list).
    label, labels : str, dict, optional
        The variable label, and translations ``{"en": "...", "nl": "..."}``.

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
    unknown = [r for r in reverse if r not in items]
    if unknown:
        raise ConfigError(
            f"reverse names {', '.join(map(repr, unknown))}, which are not items of this scale "
            f"({', '.join(items)})."
        )
    codes = _item_codes(survey, items)
    for item in reverse:
        low, high = _item_range(survey, item, item_range)
        codes[item] = low + high - codes[item]
    mean = _answered_mean(codes, min_answered)
    values = mean if method == "mean" else mean * k
    name = name or f"{group or 'scale'}_{method}"
    rule = _missing_rule_text(min_answered, k)
    rev_nl = f"; omgepoold: {', '.join(reverse)}" if reverse else ""
    rev_en = f"; reversed: {', '.join(reverse)}" if reverse else ""
    what = {"nl": "gemiddelde" if method == "mean" else "som",
            "en": method}
    auto = {
        "nl": f"{group or 'schaal'} ({what['nl']} van {k} items; {rule['nl']}{rev_nl})",
        "en": f"{group or 'scale'} ({what['en']} of {k} items; {rule['en']}{rev_en})",
    }
    translations = {lang: {"label": text} for lang, text in {**auto, **(labels or {})}.items()}
    var = Variable(name, label=label or auto["nl"], measure="scale", translations=translations)
    return _with_columns(survey, {name: (values, var)})


# --------------------------------------------------------------------------------------------
# Reliability
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reliability:
    """Cronbach's alpha of a set of items, with its interval and item statistics.

    Attributes
    ----------
    alpha : float
    ci_low, ci_high : float
    level : float
    ci_method : str
        ``"feldt"`` (unweighted, exact under normality) or ``"linearization"`` (design-based,
        on the log(1 − alpha) scale).
    se : float
        Design-based standard error (``nan`` for Feldt).
    n : int
        Respondents who answered every item.
    k : int
        Number of items.
    weighted : bool
    items : pandas.DataFrame
        One row per item: ``item``, ``label``, ``mean``, ``sd``, ``item_rest`` (correlation of
        the item with the sum of the other items), ``alpha_if_deleted``.
    notes : list of str
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
            [{"variable": name, "category": "Cronbach's alpha", "estimate": self.alpha,
              "se": self.se, "ci_low": self.ci_low, "ci_high": self.ci_high, "n": self.n}],
            kind="scale", variables=[name], weighted=self.weighted, level=self.level,
            ci=self.ci_method, notes=list(self.notes),
        )

    def _repr_html_(self) -> str:  # pragma: no cover - notebooks
        head = (f"<p>Cronbach's alpha = {self.alpha:.3f} "
                f"({100 * self.level:.0f}% CI {self.ci_low:.3f}–{self.ci_high:.3f}, "
                f"{self.ci_method}; n = {self.n}, k = {self.k})</p>")
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

    alpha = k/(k − 1) · (1 − Σ var(itemᵢ) / var(Σ itemᵢ)), with weighted variances
    Σ wᵢ(xᵢ − x̄_w)² / Σ wᵢ over respondents who answered every item (listwise). This is what
    R's ``svycralpha(~items, design)`` computes (the n/(n − 1) factors cancel).

    Intervals
    ---------
    ``ci="feldt"`` (default when unweighted and without a complex design): Feldt (1965), exact
    for normal items: (1 − alpha)/(1 − alpha_hat) ~ F(n − 1, (n − 1)(k − 1)).
    ``ci="linearization"`` (default with weights, strata or clusters): alpha's influence function
    (from the weighted variances) through the design's variance estimator; the Wald interval
    with the design's degrees of freedom on the log(1 − alpha) scale, transformed back
    (so the upper limit stays below 1).

    Parameters
    ----------
    survey : Survey
    items : str or list of str
        Item names or a codebook question group.
    weighted : bool
        Use the design weights (default). ``False`` gives the textbook unweighted alpha.
    level : float
    ci : {"auto", "feldt", "linearization"}

    Returns
    -------
    Reliability

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> from youthmedia.scales import alpha
    >>> s = Survey(pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 3, 3, 4], "c": [2, 2, 3, 4]}))
    >>> round(alpha(s, ["a", "b", "c"]).alpha, 4)
    0.9485
    """
    if ci not in ("auto", "feldt", "linearization"):
        raise ConfigError(f"ci={ci!r} is not an alpha interval; use 'feldt' or 'linearization'.")
    if not 0 < level < 1:
        raise ConfigError(f"level={level!r} must be between 0 and 1, e.g. 0.95.")
    items = _resolve_items(survey, items)
    k = len(items)
    if k < 2:
        raise ConfigError(f"Cronbach's alpha needs at least 2 items; got {k}.")
    codes = _item_codes(survey, items)
    from . import design as design_mod

    eff = design_mod.effective_design(survey)
    w_all = design_mod.weights(survey) if weighted else np.ones(survey.n)
    complete = codes.notna().all(axis=1).to_numpy()
    n = int(complete.sum())
    if n < 3:
        raise DataError(
            f"Only {n} respondents answered all of {', '.join(items)}; alpha needs at least 3."
        )
    x = codes.to_numpy(dtype=float)[complete]
    w = w_all[complete]
    total = x.sum(axis=1)
    var_items = np.array([_wvar(x[:, j], w) for j in range(k)])
    var_total = _wvar(total, w)
    if var_total <= 0:
        raise DataError(f"The sum of {', '.join(items)} has no variance; alpha is undefined.")
    a = k / (k - 1) * (1 - var_items.sum() / var_total)

    complex_design = weighted and (eff.weight is not None or eff.is_replicate
                                   or bool(eff.strata) or bool(eff.cluster))
    method = ci if ci != "auto" else ("linearization" if complex_design else "feldt")
    notes: list[str] = []
    if method == "feldt":
        if complex_design:
            notes.append("Feldt interval ignores the weights and design; "
                          "use ci='linearization' for a design-based interval.")
        df1, df2 = n - 1, (n - 1) * (k - 1)
        g = 1 - level
        lo = 1 - (1 - a) * stats.f.ppf(1 - g / 2, df1, df2)
        hi = 1 - (1 - a) * stats.f.ppf(g / 2, df1, df2)
        se = math.nan
    else:
        if eff.is_replicate and weighted:
            # alpha recomputed with every replicate weight (R's withReplicates)
            reps = design_mod.replicate_weights(survey)[complete]
            thetas = np.array([_alpha_value(x, r, k) for r in reps.T])
            var = design_mod.replicate_vcov(survey, thetas[:, None], np.array([a]))
            df = design_mod.degf(survey)
        else:
            # influence of each weighted variance v = Σw(x−m)²/W: w·((x−m)² − v)/W
            wsum = w.sum()

            def infl(col: np.ndarray, v: float) -> np.ndarray:
                m = np.sum(w * col) / wsum
                return w * ((col - m) ** 2 - v) / wsum

            s_items = var_items.sum()
            inf_items = sum(infl(x[:, j], var_items[j]) for j in range(k))
            inf_total = infl(total, var_total)
            inf_alpha = -k / (k - 1) * (inf_items / var_total - s_items * inf_total / var_total**2)
            full = np.zeros(survey.n)
            full[complete] = inf_alpha
            if weighted:
                var = design_mod.vcov(survey, full[:, None])
                df = design_mod.degf(survey, rows=complete)
            else:   # unweighted, each respondent its own PSU
                var = np.array([[n / (n - 1) * np.sum((inf_alpha - inf_alpha.mean()) ** 2)]])
                df = float(n - 1)
        se = float(math.sqrt(var[0, 0]))
        q = stats.t.ppf(1 - (1 - level) / 2, df) if np.isfinite(df) and df > 0 else \
            stats.norm.ppf(1 - (1 - level) / 2)
        # log(1 − alpha): se / (1 − alpha) by the delta method
        half = q * se / (1 - a)
        lo = 1 - (1 - a) * math.exp(half)
        hi = 1 - (1 - a) * math.exp(-half)
    weighted = bool(weighted and eff.weight is not None)

    table = _item_table(survey, items, x, w, k)
    notes.append(
        f"Cronbach's alpha over {k} items, {'weighted' if weighted else 'unweighted'}, "
        f"n = {n} respondents who answered every item; {100 * level:.0f}% interval: "
        f"{'Feldt (1965)' if method == 'feldt' else 'design-based linearisation on log(1 − alpha)'}."
    )
    return Reliability(alpha=float(a), ci_low=float(lo), ci_high=float(hi), level=level,
                       ci_method=method, se=se, n=n, k=k, weighted=bool(weighted), items=table,
                       notes=notes)


def _alpha_value(x: np.ndarray, w: np.ndarray, k: int) -> float:
    keep = w > 0
    x, w = x[keep], w[keep]
    v_total = _wvar(x.sum(axis=1), w)
    return k / (k - 1) * (1 - sum(_wvar(x[:, j], w) for j in range(k)) / v_total)


def _item_table(survey: Survey, items: list[str], x: np.ndarray, w: np.ndarray,
                k: int) -> pd.DataFrame:
    rows = []
    total = x.sum(axis=1)
    for j, item in enumerate(items):
        rest = total - x[:, j]
        others = np.delete(x, j, axis=1)
        if k > 2:
            v_o = sum(_wvar(others[:, i], w) for i in range(k - 1))
            v_r = _wvar(rest, w)
            a_del = (k - 1) / (k - 2) * (1 - v_o / v_r) if v_r > 0 else math.nan
        else:
            a_del = math.nan
        m = np.sum(w * x[:, j]) / w.sum()
        rows.append({
            "item": item,
            "label": survey.codebook.label(item),
            "mean": float(m),
            "sd": float(math.sqrt(_wvar(x[:, j], w))),
            "item_rest": _wcorr(x[:, j], rest, w),
            "alpha_if_deleted": float(a_del),
        })
    return pd.DataFrame(rows)


def _wvar(x: np.ndarray, w: np.ndarray) -> float:
    m = np.sum(w * x) / w.sum()
    return float(np.sum(w * (x - m) ** 2) / w.sum())


def _wcorr(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    mx, my = np.sum(w * x) / w.sum(), np.sum(w * y) / w.sum()
    cov = np.sum(w * (x - mx) * (y - my))
    den = math.sqrt(np.sum(w * (x - mx) ** 2) * np.sum(w * (y - my) ** 2))
    return float(cov / den) if den > 0 else math.nan


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------
def _choose(key: str, table: dict[str, _Cutoff], what: str) -> _Cutoff:
    if key not in table:
        raise ConfigError(f"{what}={key!r} is not known; use one of {', '.join(map(repr, table))}.")
    return table[key]


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


def _answered_mean(codes: pd.DataFrame, min_answered: int) -> pd.Series:
    """Each respondent's mean of the answered items; missing below ``min_answered`` answers
    (times the number of items, it is the prorated sum)."""
    answered = codes.notna().sum(axis=1)
    return codes.mean(axis=1, skipna=True).where(answered >= min_answered)


def _published_scale_codes(survey: Survey, items: Sequence[str] | str | None, group: str,
                           k: int, title: str, min_answered: int,
                           allowed: dict[Any, float], scale: str) -> tuple[pd.DataFrame, pd.Series]:
    """The item codes of a published scale (SMDS, BSMAS) and its prorated sum score: the
    items named, or the codebook group ``group``, or ``{group}_1`` … ``{group}_k``."""
    items = _resolve_items(survey, items, group=group,
                           default=[f"{group}_{i}" for i in range(1, k + 1)])
    if len(items) != k:
        raise ConfigError(
            f"The {title} has {k} items; got {len(items)} ({', '.join(items)}). "
            f"Pass the {_COUNT_WORDS[k]} item names as items=[...]."
        )
    _check_min_answered(min_answered, k)
    codes = _item_codes(survey, items, allowed=allowed, scale=scale)
    return codes, _answered_mean(codes, min_answered) * k


_COUNT_WORDS = {6: "six", 9: "nine"}


def _with_score_and_flag(survey: Survey, name: str, total: pd.Series, flag: pd.Series,
                         cut: _Cutoff, min_answered: int, k: int,
                         label: dict[str, str]) -> Survey:
    """``survey`` with ``{name}_score`` (labelled ``label`` with the missing-answers rule for
    ``{rule}``) and the classification ``{name}_{cut.key}``."""
    rule = _missing_rule_text(min_answered, k)
    texts = {lang: text.format(rule=rule[lang]) for lang, text in label.items()}
    score_var = Variable(f"{name}_score", label=texts["nl"], measure="scale",
                         translations={lang: {"label": text} for lang, text in texts.items()})
    return _with_columns(
        survey,
        {f"{name}_score": (total, score_var),
         f"{name}_{cut.key}": _flag_column(f"{name}_{cut.key}", flag, cut)},
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


def _item_range(survey: Survey, item: str, given: tuple[float, float] | None) -> tuple[float, float]:
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
        translations={lang: {"label": cut.labels[lang],
                             "values": {0: cut.no[lang], 1: cut.yes[lang]}}
                      for lang in ("nl", "en")},
    )
    return pd.Series(values, index=flag.index, name=name), var


def _with_columns(survey: Survey, columns: dict[str, tuple[pd.Series, Variable]]) -> Survey:
    """A new Survey with ``columns`` added (or replaced) and their codebook entries."""
    data = survey.data.copy()
    variables = dict(survey.codebook.variables)
    for col, (values, var) in columns.items():
        data[col] = values.to_numpy() if not isinstance(values.dtype, pd.CategoricalDtype) else values
        variables[col] = var
    cb = survey.codebook
    codebook = Codebook(variables=variables, mr_sets=dict(cb.mr_sets),
                        groups={g: list(v) for g, v in cb.groups.items()},
                        file_label=cb.file_label, encoding=cb.encoding, weight=cb.weight)
    return survey.replace(data=data, codebook=codebook)


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


# --------------------------------------------------------------------------------------------
# Frequency and Likert items
# --------------------------------------------------------------------------------------------
_NON_ANSWER = re.compile(
    r"weet (ik )?niet|wil ik niet|zeg ik liever niet|geen (antwoord|mening)|n\.?v\.?t|"
    r"niet van toepassing|weigert|don'?t know|do not know|prefer not|no answer|no opinion|"
    r"not applicable|\bn/?a\b|refused",
    re.IGNORECASE,
)


def _likert_items(survey: Survey, items: Sequence[str] | str) -> list[str]:
    if isinstance(items, str) and items in survey.data.columns and items not in \
            survey.codebook.groups:
        items = [items]
    names = _resolve_items(survey, items)
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
        who answered it), with ``meta["scale"]``: the answers in order and whether every item
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
    result.meta["scale"] = {"answers": answer_sets[0] if same else None, "same_answers": same,
                            "items": names}
    return result


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
    ("mee eens" or "helemaal mee eens"); SPSS user-missing codes are not answers, and neither are
    the answers named in ``exclude``.

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
        Answers that are not on the scale ("weet niet") and were not declared user-missing.
        An answer that looks like a non-answer inside the box is a ``ConfigError``: declare it
        missing or name it here.
    ci, level :
        As :func:`youthmedia.estimate.share` (default: logit intervals, as ``svyciprop``).

    Returns
    -------
    Result
        One row per item (and group); ``category`` names the answers in the box;
        ``meta["box"]`` holds ``k``, the side and the answers per item.

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
    data = survey.data.copy()
    variables = dict(survey.codebook.variables)
    boxes: dict[str, list[str]] = {}
    box_labels: dict[str | None, dict[str, dict[str, str]]] = {"nl": {}, "en": {}, None: {}}
    for item in names:
        col = survey.data[item]
        answers = [a for a in col.cat.categories if a not in set(exclude)]
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
        boxes[item] = [str(a) for a in box]
        valid = col.isin(answers)
        data[item] = col.isin(box).astype(float).where(valid).to_numpy(dtype=float)
        old = survey.codebook.get(item)
        variables[item] = Variable(item, label=old.label, measure="nominal",
                                   translations={lg: {"label": t.get("label")}
                                                 for lg, t in old.translations.items()
                                                 if t.get("label")})
        for lg in ("nl", "en", None):
            shown = [str(old.value_label_in(a, lg)) for a in box]
            box_labels[lg][item] = " / ".join(shown)
    cb = survey.codebook
    work = survey.replace(data=data, codebook=Codebook(
        variables=variables, mr_sets=dict(cb.mr_sets), groups=dict(cb.groups),
        file_label=cb.file_label, encoding=cb.encoding, weight=cb.weight))
    result = estimate.share(work, names, by=by, ci=ci, level=level)
    frame = pd.DataFrame(result)
    frame["category"] = [box_labels[None][v] for v in frame["variable"]]
    out = Result(frame)
    out.meta, out.test = result.meta, None
    out.meta["value_labels"] = {
        lg: {item: {box_labels[None][item]: box_labels[lg][item]} for item in names}
        for lg in ("nl", "en")
    }
    side = "bottom" if bottom else "top"
    out.meta["box"] = {"k": int(k), "side": side, "answers": boxes}
    first = names[0]
    out.meta["notes"] = list(out.meta.get("notes") or []) + [{
        "nl": f"{'Onderste' if bottom else 'Bovenste'} {k} antwoorden ({box_labels['nl'][first]}"
              f"{' enz.' if len(names) > 1 else ''}) als aandeel van wie de vraag beantwoordde"
              + (f"; niet meegeteld: {', '.join(exclude)}" if exclude else "") + ".",
        "en": f"{'Bottom' if bottom else 'Top'} {k} answers ({box_labels['en'][first]}"
              f"{' etc.' if len(names) > 1 else ''}) as a share of those who answered"
              + (f"; not counted: {', '.join(exclude)}" if exclude else "") + ".",
    }]
    return out


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

    if isinstance(items, str) and items in survey.data.columns and items not in \
            survey.codebook.groups:
        items = [items]
    names = _resolve_items(survey, items)
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


# --------------------------------------------------------------------------------------------
# Prevalence by a published definition
# --------------------------------------------------------------------------------------------
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

    Scores the instrument (:func:`smds` or :func:`bsmas`) unless the survey already holds that
    classification, estimates the weighted share of the "yes" category with
    :func:`youthmedia.estimate.share` and puts the definition (in Dutch and English) in
    ``meta["notes"]``, so that tables, figures and slides name it.

    Parameters
    ----------
    survey : Survey
    instrument : {"smds", "bsmas"}
    definition : str, optional
        SMDS: ``"problematic"`` (default, ≥ 6, HBSC) or ``"disordered"`` (≥ 5); BSMAS:
        ``"polythetic"`` (default) or ``"sum19"``.
    by : str or list of str, optional
    items : optional
        The items, if not the default names (see :func:`smds`, :func:`bsmas`).
    ci, level :
        As :func:`youthmedia.estimate.share`.
    **scoring :
        Passed to the scoring function (``min_answered``, ``yes``/``no``, ``name``).

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

    if instrument == "smds":
        definition = definition or "problematic"
        cut = _choose(definition, SMDS_DEFINITIONS, "definition")
        scorer = smds
    elif instrument == "bsmas":
        definition = definition or "polythetic"
        cut = _choose(definition, BSMAS_CUTOFFS, "definition")
        scorer = bsmas
    else:
        raise ConfigError(f"instrument={instrument!r} is not known; use 'smds' or 'bsmas'.")
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
    out = Result(frame)
    out.meta, out.test = result.meta, None
    out.meta["notes"] = list(out.meta.get("notes") or []) + [dict(cut.note)]
    out.meta["definition"] = {"instrument": instrument, "definition": cut.key,
                              "threshold": cut.threshold}
    return out
