"""Weighted shares, means, totals, crosstabs, differences and Rao–Scott tests, as R's survey.

Every estimator takes a :class:`~youthmedia.survey.Survey` and returns a tidy
:class:`~youthmedia.result.Result`. Standard errors come from the survey's design
(:mod:`youthmedia.design`): Taylor linearisation exactly as R's ``svymean``/``svyby`` compute it,
or the replicate weights. ``by=`` gives domain estimates: respondents outside a group stay in the
design with weight zero, so the SE accounts for the group's random size (R's ``svyby``).

Without a design, the weight the file declares (``survey.codebook.weight``) is used; without
that, each respondent weighs 1 (a simple random sample). SPSS user-missing values are NaN in
the data and never count as answers.

A by-variable with a single category is a ``DataError``: a "comparison" across one group is
almost always a filtering mistake, and the overall estimate is one call away.

Examples
--------
>>> import pandas as pd
>>> from youthmedia.survey import Survey
>>> d = pd.DataFrame({"y": [1, 0, 1, 1] * 10, "w": [1.0, 1.0, 2.0, 4.0] * 10})
>>> r = share(Survey(d).with_design(weight="w"), "y")
>>> float(r.loc[0, "estimate"])      # (1 + 2 + 4) / 8
0.875
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from . import design as dz
from . import i18n, privacy
from .assembly import _assemble, _finish, _labels_meta, _meta
from .blocks import (
    _as_float,
    _Block,
    _categorical_block,
    _Groups,
    _groups,
    _is_binary,
    _names,
    _numeric_block,
    _numeric_codes,
    _require,
    _share_blocks,
)
from .codebook import _same_code
from .errors import ConfigError, DataError
from .intervals import (
    CI_METHODS,
    CP_COLUMN,
    NOTES,
    _check_ci,
    _check_level,
    _q,
    _se,
    _share_ci,
    _t_ci,
)
from .privacy import NOT_ASKED
from .result import ChisqResult, Result
from .survey import Survey

__all__ = ["CI_METHODS", "CP_COLUMN", "NOTES", "chisq", "crosstab", "difference", "mean", "share",
           "total"]


# --------------------------------------------------------------------------------------------
# The engine: estimates, variances, counts for one block over all groups
# --------------------------------------------------------------------------------------------
@dataclass
class _Est:
    est: np.ndarray
    var: np.ndarray          # variances (m) or covariance (m × m)
    n: np.ndarray            # unweighted respondents
    base: np.ndarray         # weighted base (sum of weights in the domain)
    neff: np.ndarray         # Kish effective n in the domain
    df: np.ndarray           # degrees of freedom per estimate
    deff: np.ndarray
    thetas: np.ndarray | None  # replicate estimates (R × m)


def _compute(survey: Survey, design: dz.Design, blocks: list[_Block], groups: _Groups,
             ratio: bool = True, full: bool = False) -> list[_Est]:
    """Estimates, variances (covariance when ``full``), counts, n_eff, deff and df of every
    (group, column) of each block, group-major; one pass over the replicate weights."""
    w = design.weights
    for block in blocks:
        bad = np.isnan(w) & block.answered & (groups.code >= 0)
        if bad.any():
            raise DataError(
                f"The weight '{design.weight}' is missing for {int(bad.sum())} respondent(s) in "
                f"use (e.g. row {survey.data.index[np.argmax(bad)]}); give them a weight or "
                "leave them out of the data.")
    out = []
    for d in dz.domain_estimates(design, blocks, groups.code, groups.G, ratio, full, groups.memo):
        est, n, denom = d.est, d.n, d.base
        # design effect: R's svymean(deff = TRUE) — against SRS without replacement of the
        # same size — when the weights add up to a population (Σw ≥ 2n); with weights scaled
        # to the sample (Σw ≈ n) R's deff = "replace" (SRS with replacement)
        s2 = _weighted_var(d.su2, d.numer, est if ratio else d.numer / np.where(denom > 0, denom, 1),
                           denom, n)
        v = np.diag(d.var) if full else d.var
        with np.errstate(invalid="ignore", divide="ignore"):
            neff = np.where(d.w2 > 0, denom ** 2 / d.w2, 0.0)
            frac = np.where(denom >= 2 * n, (denom - n) / (denom * n), 1 / n)
            vsrs = s2 * frac if ratio else s2 * denom ** 2 * frac
            deff = np.where(vsrs > 0, v / vsrs, np.nan)
        out.append(_Est(est, d.var, n, denom, neff, d.df, deff, d.thetas))
    return out


def _weighted_var(s_yy, s_y, est, denom, n_used) -> np.ndarray:
    """R's svyvar in each domain: Σw(y-θ)²/Σw · n/(n-1), from Σwy² and Σwy."""
    with np.errstate(invalid="ignore", divide="ignore"):
        e = np.nan_to_num(est)
        ss = s_yy - 2 * e * s_y + e * e * denom
        return np.where((denom > 0) & (n_used > 1), ss / denom * n_used / (n_used - 1), np.nan)




# --------------------------------------------------------------------------------------------
# Public estimators
# --------------------------------------------------------------------------------------------

def _nonempty(survey: Survey, block: _Block, name: str | None = None, answered=None) -> None:
    if not (block.answered if answered is None else answered).any():
        raise DataError(f"Variable '{name or block.name}' has no answers in "
                        f"{survey.source.path or 'this survey'} (all values missing).")


def share(survey: Survey, variables: str | Sequence[str], by: str | Sequence[str] | None = None,
          ci: str = "logit", level: float = 0.95) -> Result:
    """Weighted shares with design-based SEs and intervals (R's ``svymean`` + ``svyciprop``).

    Parameters
    ----------
    survey : Survey
    variables : str or list of str
        A categorical variable (each category's share of those who answered); a 0/1
        variable (the share of 1s); a list of 0/1 variables (each one's share of those who
        answered it); or the name of a multiple-response set in ``survey.codebook.mr_sets``
        (each option's share of the respondents who answered the question: at least one
        member not missing). For sets and lists, ``variable`` is the member and ``category``
        its label (the option).
    by : str or list of str, optional
        Grouping variables (domain estimation, R's ``svyby``).
    ci : {"logit", "likelihood", "beta", "xlogit", "asin", "mean", "wilson"}
        Interval method: R's ``svyciprop`` methods (``"beta"`` is Korn–Graubard, ``"mean"``
        the Wald interval, cut to 0–1) and Wilson's with Kish's effective n. Degrees of freedom
        come from the design (PSUs − strata in the group; replicate rank − 1).
    level : float

    Returns
    -------
    Result
        One row per group and category; ``estimate`` is a proportion (0–1).

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> d = pd.DataFrame({"g": ["a", "b", "b"] * 10, "w": [1.0, 1.0, 2.0] * 10})
    >>> share(Survey(d).with_design(weight="w"), "g")["estimate"].round(2).tolist()   # a: 1/4, b: 3/4
    [0.25, 0.75]
    """
    _check_ci(ci)
    _check_level(level)
    design = dz.effective_design(survey)
    groups = _groups(survey, by)
    blocks = _share_blocks(survey, variables)
    for block in blocks:
        _nonempty(survey, block)
    ests = _compute(survey, design, blocks, groups, full=_small(groups, blocks))
    cis = [_share_ci(ci, e, level, design) for e in ests]
    return _assemble(survey, design, list(zip(blocks, ests, strict=True)), groups, "share", ci,
                     level, [c[:2] for c in cis], [n for c in cis for n in c[2]],
                     _names(variables), fallback=[c[3] for c in cis])


def _small(groups: _Groups, blocks: Sequence[_Block]) -> bool:
    """Keep the covariance (meta.vcov, for contrasts) of one block of at most 100 estimates."""
    return len(blocks) == 1 and groups.G * blocks[0].k <= 100


def mean(survey: Survey, variables: str | Sequence[str], by: str | Sequence[str] | None = None,
         level: float = 0.95) -> Result:
    """Weighted means with design-based SEs and t intervals (R's ``svymean``/``svyby``).

    Parameters
    ----------
    survey : Survey
    variables : str or list of str
        Numeric variables (a labelled variable counts by its codes, e.g. a 1–5 scale).
        Each mean rests on the respondents who answered that variable.
    by : str or list of str, optional
    level : float

    Returns
    -------
    Result

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> s = Survey(pd.DataFrame({"y": [1.0, 2.0, 6.0] * 10}))
    >>> float(mean(s, "y").loc[0, "estimate"])
    3.0
    """
    _check_level(level)
    names = _names(variables)
    for nm in names:
        _require(survey, nm)
    design = dz.effective_design(survey)
    groups = _groups(survey, by)
    block = _numeric_block(survey, names)
    for j, nm in enumerate(names):
        _nonempty(survey, block, nm, block.d[:, j])
    (e,) = _compute(survey, design, [block], groups, full=_small(groups, [block]))
    return _assemble(survey, design, [(block, e)], groups, "mean", "t", level, [_t_ci(e, level)],
                     [], names)


def total(survey: Survey, variables: str | Sequence[str], by: str | Sequence[str] | None = None,
          level: float = 0.95) -> Result:
    """Weighted totals (R's ``svytotal``): of a numeric variable, or the weighted count of
    each category of a categorical one.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> d = pd.DataFrame({"y": [1.0, 2.0] * 5, "w": [10.0, 20.0] * 5})
    >>> float(total(Survey(d).with_design(weight="w"), "y").loc[0, "estimate"])   # 5 × (10 + 40)
    250.0
    """
    _check_level(level)
    names = _names(variables)
    design = dz.effective_design(survey)
    groups = _groups(survey, by)
    out, cis = [], []
    for nm in names:
        _require(survey, nm)
        col = survey.data[nm]
        if isinstance(col.dtype, pd.CategoricalDtype) or not pd.api.types.is_numeric_dtype(col.dtype):
            block = _categorical_block(survey, nm)
        else:
            block = _numeric_block(survey, [nm])
        _nonempty(survey, block)
        (e,) = _compute(survey, design, [block], groups, ratio=False, full=_small(groups, [block] * len(names)))
        out.append((block, e))
        cis.append(_t_ci(e, level))
    return _assemble(survey, design, out, groups, "total", "t", level, cis, [], names)


# --------------------------------------------------------------------------------------------
# Differences
# --------------------------------------------------------------------------------------------
def _group_index(groups: _Groups, value: Any, by: str, survey: Survey) -> int:
    """The position of group ``value`` (a label, or a code) among the categories of ``by``."""
    cats = groups.categories[by]
    labels = [str(lab) for code, lab in survey.codebook.get(by).value_labels.items()
              if _same_code(code, value) and str(lab) in cats]
    hits = [str(value)] if str(value) in cats else labels or [
        c for c in cats if _as_float(c) == _as_float(value)]
    if not hits:
        raise ConfigError(f"Group {value!r} is not a category of '{by}'; categories: {', '.join(cats)}.")
    return cats.index(hits[0])


def difference(survey: Survey, variable: str | Sequence[str], by: str,
               groups: Sequence[Any] | None = None, statistic: str = "auto",
               level: float = 0.95) -> Result:
    """The difference between two groups (or two waves) with its SE, t interval and p-value.

    ``estimate`` is ``estimate_b - estimate_a`` for ``groups=(a, b)`` ("from a to b"). The
    covariance between the two groups' estimates is taken into account (they share PSUs and
    strata); with replicate weights the difference is computed in every replicate.

    Parameters
    ----------
    survey : Survey
    variable : str or list of str
        What to compare: anything ``share`` takes (shares, in proportion points) or, with
        ``statistic="mean"`` or a numeric non-0/1 variable, means.
    by : str
        The grouping variable (e.g. gender, or the survey wave).
    groups : (a, b), optional
        The two categories (labels or codes); default: the two categories of ``by``.
    statistic : {"auto", "share", "mean"}
    level : float

    Returns
    -------
    Result
        Columns as every Result, plus ``group_a``, ``group_b``, ``estimate_a``,
        ``estimate_b``, ``t`` and ``p``.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> s = Survey(pd.DataFrame({"y": [1, 0, 1, 1] * 10, "g": ["a", "a", "b", "b"] * 10}))
    >>> float(difference(s, "y", by="g", groups=("a", "b")).loc[0, "estimate"])   # 1 - 1/2
    0.5
    """
    _check_level(level)
    if not isinstance(by, str):
        raise ConfigError("difference compares the groups of one by-variable (by='...').")
    if statistic not in ("auto", "share", "mean"):
        raise ConfigError("statistic must be 'auto', 'share' or 'mean'.")
    design = dz.effective_design(survey)
    grp = _groups(survey, by)
    la, lb = _which_two(survey, grp, by, groups)
    names = _names(variable)
    if statistic == "auto":
        dtype = survey.data[names[0]].dtype if len(names) == 1 and names[0] in survey.data else None
        vals = None if dtype is None or isinstance(dtype, pd.CategoricalDtype) \
            or not pd.api.types.is_numeric_dtype(dtype) else _numeric_codes(survey, names[0])
        statistic = "mean" if vals is not None and not _is_binary(vals) else "share"
    if statistic == "mean":
        for nm in names:
            _require(survey, nm)
        blocks = [_numeric_block(survey, names)]
    else:
        blocks = _share_blocks(survey, variable)
    cats = grp.categories[by]
    code = np.select([grp.code == cats.index(la), grp.code == cats.index(lb)], [0, 1], -1)
    two = _Groups([by], code, [(la,), (lb,)], grp.categories, grp.translations)
    rows, value_labels = [], {}
    for block in blocks:
        _nonempty(survey, block)
        (e,) = _compute(survey, design, [block], two, full=not design.is_replicate)
        for lab, nn in ((la, e.n[:block.k]), (lb, e.n[block.k:])):
            if not np.any(nn > 0):
                raise DataError(f"No respondent in group {lab!r} of '{by}' answered "
                                f"'{block.name}'; choose groups that both have answers.")
        rows += _difference_rows(block, e, design, level, la, lb)
        for lang, table in block.translations.items():
            value_labels.setdefault(lang, {}).update(table)
    frame = pd.DataFrame(rows)
    order = list(dict.fromkeys(c for b in blocks for c in b.categories))
    frame["category"] = pd.Categorical(frame["category"], categories=order, ordered=True)
    members = [v for b in blocks for v in b.variables]

    def label(lab: str, lang: str) -> str:
        return str(grp.translations.get(lang, {}).get(by, {}).get(lab, lab))

    key = "note_difference_pp" if statistic == "share" else "note_difference"
    note = {lang: i18n.t(key, lang, a=label(la, lang), b=label(lb, lang)) for lang in i18n.LANGS}
    result = Result.from_rows(frame, **_meta(
        survey, design, "difference", "t", level, by=[], variables=names,
        labels=_labels_meta(survey, list(dict.fromkeys(names + members + [by]))),
        value_labels=value_labels, n_total=int(frame["n"].max()), percent=statistic == "share",
        groups=(la, lb), compared_by=by, notes=[note]))
    return _finish(result, survey)


def _which_two(survey: Survey, grp: _Groups, by: str, groups: Sequence[Any] | None) -> tuple[str, str]:
    """The labels of the two groups compared (``groups`` as labels or codes)."""
    cats = grp.categories[by]
    if groups is None:
        if len(cats) != 2:
            raise ConfigError(f"'{by}' has {len(cats)} categories; say which two to compare "
                              "with groups=(a, b).")
        return cats[0], cats[1]
    if len(groups) != 2:
        raise ConfigError("groups must name exactly two groups: groups=(a, b).")
    return cats[_group_index(grp, groups[0], by, survey)], cats[_group_index(grp, groups[1], by, survey)]


def _difference_rows(block: _Block, e: _Est, design: dz.Design, level: float, la: str,
                     lb: str) -> list[dict]:
    """One row per column of ``block``: b − a with its SE, t interval, t and p."""
    k = block.k
    ea, eb = e.est[:k], e.est[k:]
    diff = eb - ea
    if design.is_replicate:
        var = dz.replicate_vcov(design, e.thetas[:, k:] - e.thetas[:, :k], diff, False)
    else:
        V = e.var
        var = np.array([V[k + j, k + j] + V[j, j] - 2 * V[j, k + j] for j in range(k)])
    se = np.sqrt(np.maximum(var, 0))
    df = np.full(k, design.degf)
    q = _q(level, df)
    with np.errstate(invalid="ignore", divide="ignore"):
        tval = diff / se
    p = 2 * stats.t.sf(np.abs(tval), np.maximum(df, 1))
    rows = []
    for j in range(k):
        na, nb = int(e.n[j]), int(e.n[k + j])
        row = {"variable": block.variables[j], "category": block.categories[j],
               "estimate": diff[j], "se": se[j], "ci_low": diff[j] - q[j] * se[j],
               "ci_high": diff[j] + q[j] * se[j], "n": na + nb,
               "n_eff": e.neff[j] + e.neff[k + j], "base": e.base[j] + e.base[k + j],
               "suppressed": False, "reason": "", "group_a": la, "group_b": lb,
               "estimate_a": ea[j], "estimate_b": eb[j], "n_a": na, "n_b": nb,
               "t": tval[j], "p": p[j], "df": df[j]}
        if na == 0 or nb == 0:   # one of the groups was not asked this option: no difference
            row |= dict.fromkeys(("estimate", "se", "ci_low", "ci_high", "n_eff", "base", "t",
                                  "p", "df"), np.nan) | {"reason": NOT_ASKED}
        rows.append(row)
    return rows


# --------------------------------------------------------------------------------------------
# Crosstabs and the Rao–Scott test
# --------------------------------------------------------------------------------------------
def chisq(survey: Survey, row: str, col: str, statistic: str = "F") -> ChisqResult:
    """Rao–Scott test of independence in a two-way table, as R's ``svychisq``.

    Parameters
    ----------
    survey : Survey
    row, col : str
        Two categorical variables; respondents who answered both are used.
    statistic : {"F", "Chisq"}
        ``"F"`` (default): the second-order Rao–Scott correction, an F statistic with
        non-integer degrees of freedom ``ndf`` = d, ``ddf`` = d × design df. ``"Chisq"``: the
        first-order correction; ``statistic`` is then the Pearson X² of the weighted table
        scaled to the number of rows in the data — all of them, those missing on either
        variable too, as R's ``svychisq`` reports it — and ``p`` uses X² divided by the mean
        generalised design effect on ``df`` degrees of freedom (``p`` and the F statistic
        do not depend on that scaling).

    Returns
    -------
    ChisqResult
        ``statistic``, ``ndf``, ``ddf`` (``df`` for "Chisq"), ``p``; also a dict-like.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> d = pd.DataFrame({"a": ["x", "x", "y", "y"] * 5, "b": ["p", "q", "q", "q"] * 5})
    >>> round(chisq(Survey(d), "a", "b", statistic="Chisq")["statistic"], 4)   # Pearson X² = 6.6667
    6.6667
    """
    survey.require(row, col)
    privacy.refuse_identifying(survey, [row, col], "a test of independence")
    rb, cb = _categorical_block(survey, row), _categorical_block(survey, col)
    return _chisq(survey, dz.effective_design(survey), row, col, rb.k, cb.k, rb.codes, cb.codes,
                  statistic)


def _chisq(survey: Survey, design: dz.Design, row: str, col: str, kr: int, kc: int,
           rc: np.ndarray, cc: np.ndarray, statistic: str) -> ChisqResult:
    """The Rao–Scott test from two variables' category codes (-1 = not answered)."""
    if statistic not in ("F", "Chisq"):
        raise ConfigError("statistic must be 'F' (second-order Rao–Scott) or 'Chisq' (first-order).")
    both = (rc >= 0) & (cc >= 0)
    # levels present in the data (R: unique values), in category order
    rlev = np.flatnonzero(np.bincount(rc[both], minlength=kr))
    clev = np.flatnonzero(np.bincount(cc[both], minlength=kc))
    nr, nc = len(rlev), len(clev)
    if nr < 2 or nc < 2:
        which = row if nr < 2 else col
        raise DataError(f"'{which}' has a single category among those who answered both "
                        f"'{row}' and '{col}'; a test of independence needs two or more.")
    rpos = np.full(kr + 1, -1, dtype=np.int64)       # code -> level ([-1]: not answered)
    cpos = np.full(kc + 1, -1, dtype=np.int64)
    rpos[rlev] = np.arange(nr)
    cpos[clev] = np.arange(nc)
    cell = cpos[cc]                                   # rows vary fastest (R's expand.grid)
    cell *= nr
    cell += rpos[rc]
    cell[~both] = -1
    K = nr * nc
    block = _Block("cells", None, None, ["cells"] * K, [str(i) for i in range(K)], "categorical",
                   {}, cell)
    one = _Groups([], np.zeros(survey.n, dtype=np.int64), [()], {}, {})
    (e,) = _compute(survey, design, [block], one, full=True)
    p, V = e.est, e.var
    # R's svychisq scales the table and Delta by nrow(model.frame): every row of the design,
    # those missing on either variable too (so X² is "as R reports it"; F and p do not depend
    # on it); the mean generalised design effect is on the rows that answered both
    answered = float(np.sum(both))
    N = float(survey.n)
    X1, X12 = _design_matrices(nr, nc)
    qr_q, _ = np.linalg.qr(X1)
    inter = X12[:, nr + nc - 1:]
    Cmat = inter - qr_q @ (qr_q.T @ inter)
    with np.errstate(divide="ignore"):
        idiag = np.where(p == 0, 0.0, 1 / p)
    denom = Cmat.T @ (idiag[:, None] / N * Cmat)
    numr = Cmat.T @ (idiag[:, None] * V * idiag[None, :]) @ Cmat
    Delta = np.linalg.solve(denom, numr)
    tr = float(np.trace(Delta))
    d0 = tr ** 2 / float(np.trace(Delta @ Delta))
    table = (p * N).reshape(nc, nr).T                  # nr × nc
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        pearson = float(np.sum((table - expected) ** 2 / expected))
    nu = design.degf
    if statistic == "F":
        F = pearson / tr
        pval = float(stats.f.sf(F, d0, d0 * nu))
        return ChisqResult(statistic=F, p=pval, ndf=d0, ddf=d0 * nu, df=None,
                           method="Pearson's X² with Rao & Scott's second-order adjustment (F)",
                           name="F", pearson=pearson, mean_deff=tr / Delta.shape[0] * answered / N,
                           row=row, col=col, n=int(answered))
    dfree = Delta.shape[0]
    pval = float(stats.chi2.sf(pearson / (tr / dfree), dfree))
    return ChisqResult(statistic=pearson, p=pval, ndf=None, ddf=None, df=float(dfree),
                       method="Pearson's X² with Rao & Scott's first-order adjustment",
                       name="X-squared", pearson=pearson, mean_deff=tr / dfree * answered / N,
                       row=row, col=col, n=int(answered))


def _design_matrices(nr: int, nc: int) -> tuple[np.ndarray, np.ndarray]:
    """R's model.matrix(~rows + cols) and (~rows * cols) on expand.grid(rows, cols)."""
    r = np.tile(np.arange(nr), nc)
    c = np.repeat(np.arange(nc), nr)
    R = (r[:, None] == np.arange(1, nr)[None, :]).astype(float)
    C = (c[:, None] == np.arange(1, nc)[None, :]).astype(float)
    one = np.ones((nr * nc, 1))
    X1 = np.hstack([one, R, C])
    inter = np.hstack([R[:, [i]] * C[:, [j]] for j in range(nc - 1) for i in range(nr - 1)])
    return X1, np.hstack([X1, inter])


def crosstab(survey: Survey, y: str, group: str, percent: str = "group", ci: str = "logit",
             level: float = 0.95, statistic: str = "F") -> Result:
    """The distribution of ``y`` within each ``group`` (R's ``svyby(~y, ~group, design,
    svymean)``) with SEs and intervals, and the Rao–Scott test in ``.test``.

    Each row of the Result is a cell (one group, one answer of ``y``); the Result is grouped
    by ``group`` and its ``variable`` is ``y``, as ``ym.share(s, y, by=group)``.

    Parameters
    ----------
    survey : Survey
    y, group : str
        The answer whose distribution is shown, and the grouping (gender, age band).
    percent : {"group", "row", "total"}
        ``estimate`` is the share of each answer within its group (``"group"``, the default);
        the share of each group among those who gave the answer (``"row"``: the table read
        the other way, R's ``svyby(~group, ~y, svymean)``; its rows are grouped by ``y`` and
        its ``variable`` is ``group``); or the share of the whole table (``"total"``, R's
        ``svymean(~interaction(y, group))``).
    ci, level, statistic
        As in :func:`share` and :func:`chisq`.

    Returns
    -------
    Result
        ``n`` is the base of ``estimate`` (the group's respondents; all respondents for
        ``"total"``). Extra columns: ``count``, ``count_se`` (weighted count of the cell),
        ``cell_n`` (respondents in the cell), ``col_pct``, ``col_pct_se`` (the share read the
        other way) with its base ``col_n``, ``cell_pct``, ``cell_pct_se`` (share of the whole
        table). Respondents who answered both are used.

    Privacy: a group whose ``n`` is below the threshold is suppressed (and, since a
    crosstab's margins are known, another with it); a ``col_pct`` whose ``col_n`` is below it
    is blanked on its own (``meta.bases``, see :func:`youthmedia.privacy.suppress`).

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> d = pd.DataFrame({"victim": ["ja", "nee", "nee", "nee"] * 10,
    ...                   "gender": ["m", "m", "v", "v"] * 10})
    >>> t = crosstab(Survey(d), "victim", "gender")      # m: ja 50% nee 50%; v: ja 0% nee 100%
    >>> t[["gender", "category", "estimate"]].values.tolist()
    [['m', 'ja', 0.5], ['m', 'nee', 0.5], ['v', 'ja', 0.0], ['v', 'nee', 1.0]]
    """
    if percent not in ("group", "row", "total"):
        raise ConfigError(f"percent={percent!r}: use 'group' (each answer within its group), "
                          "'row' (each group among those with an answer) or 'total'.")
    _check_ci(ci)
    _check_level(level)
    survey.require(y, group)
    if y == group:
        raise ConfigError("crosstab needs two different variables.")
    row, col = (y, group) if percent == "row" else (group, y)
    result = _crosstab(survey, row, col, ci, level, statistic, total=percent == "total")
    return result


def _crosstab(survey: Survey, row: str, col: str, ci: str, level: float, statistic: str,
              total: bool) -> Result:
    """``col`` within each category of ``row`` (or, with ``total``, each cell of the whole)."""
    design = dz.effective_design(survey)
    rb, cb = _categorical_block(survey, row), _categorical_block(survey, col)
    rc, cc = rb.codes, cb.codes
    both = (rc >= 0) & (cc >= 0)
    if not both.any():
        raise DataError(f"No respondent answered both '{row}' and '{col}'.")
    R_, C_ = rb.k, cb.k
    try:   # the test first, while few row-length arrays are alive (its error becomes a note)
        test, single = _chisq(survey, design, row, col, R_, C_, rc, cc, statistic), None
    except DataError:
        test, single = None, row if len(np.unique(rc[both])) < 2 else col
    # col within row groups, row within col groups; a group code of -1 leaves out the rows
    # that did not answer both, so the blocks need no restricted copies
    rgroups = _groups(survey, row)
    rgroups.code = np.where(both, rgroups.code, -1)
    (e_row,) = _compute(survey, design, [cb], rgroups)
    rgroups.memo.clear()
    cgroups = _Groups([col], np.where(both, cc, -1), [(c,) for c in cb.categories],
                      {col: cb.categories}, {})
    (e_col,) = _compute(survey, design, [rb], cgroups)
    # cells: share of all and weighted counts
    K = R_ * C_
    cell = np.where(both, rc * C_ + cc, -1)
    kblock = _Block("cells", None, None, ["c"] * K, [""] * K, "categorical", {}, cell)
    one = _Groups([], np.zeros(survey.n, dtype=np.int64), [()], {}, {})
    e_cell, e_count = (_compute(survey, design, [kblock], one, ratio=r)[0] for r in (True, False))
    main = e_cell if total else e_row
    lo, hi, notes, edge = _share_ci(ci, main, level, design)
    idx_col = np.array([c * R_ + r for r in range(R_) for c in range(C_)])   # (col, row) -> cell
    counted = both & (design.weights > 0)   # NaN compares False
    extra = {
        "count": e_count.est, "count_se": _se(e_count.var),
        "cell_n": np.bincount(cell[counted], minlength=K),   # respondents per cell
        "col_pct": e_col.est[idx_col], "col_pct_se": _se(e_col.var)[idx_col],
        "col_n": np.tile(np.bincount(cc[counted], minlength=C_), R_),   # respondents per column
        "cell_pct": e_cell.est, "cell_pct_se": _se(e_cell.var),
    }
    if single:
        notes = [*notes, i18n.both("note_no_test", single=single, row=row, col=col)]
    result = _assemble(survey, design, [(cb, main)], rgroups, "crosstab", ci, level,
                       [(lo, hi)], notes, [col], extra_cols=[extra],
                       meta={"bases": {"col_pct": "col_n", "col_pct_se": "col_n"}}, fallback=[edge])
    result.test = test
    return result
