"""Reliability of a scale: Cronbach's alpha (as R's ``svycralpha``) with an interval and item
statistics.

Examples
--------
>>> import pandas as pd
>>> from youthmedia.survey import Survey
>>> from youthmedia.reliability import alpha
>>> s = Survey(pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 3, 3, 4], "c": [2, 2, 3, 4]}))
>>> round(alpha(s, ["a", "b", "c"]).alpha, 4)
0.9485
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from . import design
from .errors import ConfigError, DataError
from .items import _item_codes, _resolve_items
from .result import Result
from .survey import Survey

__all__ = ["Reliability", "alpha"]


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

    alpha = k/(k − 1) · (1 − Σ var(itemᵢ) / var(Σ itemᵢ)), weighted variances over those who
    answered every item, as R's ``svycralpha(~items, design)``.

    Intervals: ``ci="feldt"`` (default without weights or design; exact for normal items) or
    ``"linearization"`` (default with them): alpha's influence through the design's variance,
    a t interval (design df) on log(1 − alpha), so that the upper limit stays below 1.

    Parameters
    ----------
    survey : Survey
    items : str or list of str
        Item names or a codebook question group.
    weighted : bool
        Use the design weights (default). ``False`` gives the textbook unweighted alpha.
    level, ci : float, {"auto", "feldt", "linearization"}

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
    items = _resolve_items(survey, items)
    k = len(items)
    if problem := (f"ci={ci!r} is not an alpha interval; use 'feldt' or 'linearization'"
                   if ci not in ("auto", "feldt", "linearization") else
                   f"level={level!r} must be between 0 and 1, e.g. 0.95" if not 0 < level < 1
                   else f"Cronbach's alpha needs at least 2 items; got {k}" if k < 2 else ""):
        raise ConfigError(problem + ".")
    codes = _item_codes(survey, items)
    eff = design.effective_design(survey)
    w_all = design.weights(survey) if weighted else np.ones(survey.n)
    complete = codes.notna().all(axis=1).to_numpy()
    n = int(complete.sum())
    if n < 3:
        raise DataError(
            f"Only {n} respondents answered all of {', '.join(items)}; alpha needs at least 3."
        )
    x, w = codes.to_numpy(dtype=float)[complete], w_all[complete]
    if _wvar(x.sum(axis=1), w) <= 0:
        raise DataError(f"The sum of {', '.join(items)} has no variance; alpha is undefined.")
    a = _alpha_value(x, w, k)

    complex_design = weighted and (eff.weight is not None or eff.is_replicate
                                   or bool(eff.strata) or bool(eff.cluster))
    method = ci if ci != "auto" else ("linearization" if complex_design else "feldt")
    notes: list[str] = []
    if method == "feldt" and complex_design:
        notes.append("Feldt interval ignores the weights and design; "
                     "use ci='linearization' for a design-based interval.")
    lo, hi, se = _alpha_interval(survey, x, w, complete, a, weighted, method, level)
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


def _alpha_interval(survey: Survey, x: np.ndarray, w: np.ndarray, complete: np.ndarray,
                    a: float, weighted: bool, method: str, level: float
                    ) -> tuple[float, float, float]:
    """Feldt's interval (1 − alpha)/(1 − alpha_hat) ~ F(n − 1, (n − 1)(k − 1)), or the
    design-based one on log(1 − alpha) (its SE is se/(1 − alpha), delta method); and the SE."""
    n, k = x.shape
    g = 1 - level
    if method == "feldt":
        df1, df2 = n - 1, (n - 1) * (k - 1)
        return (1 - (1 - a) * stats.f.ppf(1 - g / 2, df1, df2),
                1 - (1 - a) * stats.f.ppf(g / 2, df1, df2), math.nan)
    se, df = _alpha_se(survey, x, w, complete, a, weighted)
    q = stats.t.ppf(1 - g / 2, df) if np.isfinite(df) and df > 0 else stats.norm.ppf(1 - g / 2)
    half = q * se / (1 - a)
    return 1 - (1 - a) * math.exp(half), 1 - (1 - a) * math.exp(-half), se


def _alpha_se(survey: Survey, x: np.ndarray, w: np.ndarray, complete: np.ndarray, a: float,
              weighted: bool) -> tuple[float, float]:
    """The design-based SE of alpha and its degrees of freedom: alpha recomputed with every
    replicate weight (R's ``withReplicates``), or alpha's influence through the design."""
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
    if not weighted:        # unweighted, each respondent its own PSU
        return float(math.sqrt(n / (n - 1) * np.sum((inf_alpha - inf_alpha.mean()) ** 2))), \
            float(n - 1)
    full = np.zeros(survey.n)
    full[complete] = inf_alpha
    var = design.vcov(survey, full[:, None])
    return float(math.sqrt(var[0, 0])), design.degf(survey, rows=complete)


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
