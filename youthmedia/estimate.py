"""Weighted shares, means, totals, crosstabs, differences and Rao–Scott tests, as R's survey:
a tidy Result with SEs from the design (without one: the file's weight, else SRS)."""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from . import blocks as bl
from . import design as dz
from . import i18n, privacy
from . import intervals as iv
from .codebook import _same_code
from .errors import ConfigError, DataError
from .result import ChisqResult, Result
from .survey import Survey

__all__ = ["chisq", "crosstab", "difference", "mean", "share", "total"]
Names = str | Sequence[str]
By = str | Sequence[str] | None


def share(
    survey: Survey, variables: Names, by: By = None, ci: str = "logit", level: float = 0.95
) -> Result:
    """Weighted shares with design-based SEs and intervals (R's ``svymean`` + ``svyciprop``).

    Parameters
    ----------
    survey : Survey
    variables : str or list of str
        A categorical variable, a 0/1 variable or a list of them, or a multiple-response set
        (each option's share of those who answered; ``category`` the option).
    by : str or list of str, optional
        Domains (R's ``svyby``).
    ci : {"logit", "likelihood", "beta", "xlogit", "asin", "mean", "wilson"}
        R's ``svyciprop`` methods (beta: Korn–Graubard) and Wilson's on Kish's n_eff.
    level : float

    Returns
    -------
    Result
        One row per group and category; ``estimate`` is a proportion (0–1).

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"g": ["a", "b", "b"] * 10, "w": [1.0, 1.0, 2.0] * 10})
    >>> share(Survey(d).with_design(weight="w"), "g")["estimate"].round(2).tolist()
    [0.25, 0.75]
    """
    return _estimate(survey, bl._share_blocks(survey, variables), by, "share", ci, level, variables)


def _estimate(survey, blocks, by, kind, ci, level, variables, ratio=True) -> Result:
    """``kind`` of every column of ``blocks`` in every group of ``by``: the Result."""
    iv._check_level(level, ci)
    design, groups = dz.effective_design(survey), bl._groups(survey, by)
    for block in blocks:
        bl._nonempty(survey, block.name, block.answered)
    small = len(blocks) == 1 and groups.G * blocks[0].k <= 100  # its covariance, for contrasts
    ests = bl._compute(survey, design, blocks, groups, ratio, full=small)
    return bl._assemble(survey, design, blocks, ests, groups, kind, ci, level, bl._names(variables))


def mean(survey: Survey, variables: Names, by: By = None, level: float = 0.95) -> Result:
    """Weighted means of numeric variables with design-based SEs (R's ``svymean``/``svyby``).

    Examples
    --------
    >>> import pandas as pd
    >>> float(mean(Survey(pd.DataFrame({"y": [1.0, 2.0, 6.0] * 10})), "y").loc[0, "estimate"])
    3.0
    """
    block = bl._numeric_block(survey, bl._names(variables))
    return _estimate(survey, [block], by, "mean", "t", level, variables)


def total(survey: Survey, variables: Names, by: By = None, level: float = 0.95) -> Result:
    """Weighted totals (R's ``svytotal``): of a number, or the count of each category.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"y": [1.0, 2.0] * 5, "w": [10.0, 20.0] * 5})
    >>> float(total(Survey(d).with_design(weight="w"), "y").loc[0, "estimate"])   # 5 × (10 + 40)
    250.0
    """
    blocks = [
        bl._numeric_block(survey, [nm])
        if pd.api.types.is_numeric_dtype(survey.data[bl._require(survey, nm)].dtype)
        else bl._categorical_block(survey, nm)  # a Categorical is no numeric dtype
        for nm in bl._names(variables)
    ]
    return _estimate(survey, blocks, by, "total", "t", level, variables, ratio=False)


def difference(
    survey: Survey,
    variable: Names,
    by: str,
    groups: Sequence[Any] | None = None,
    statistic: str = "auto",
    level: float = 0.95,
) -> Result:
    """The difference b − a between two groups (or waves) with its design SE and p-value.

    Parameters
    ----------
    survey : Survey
    variable : str or list of str
        Anything ``share`` takes, or means (``statistic="mean"``, or a numeric non-0/1 variable).
    by : str
    groups : (a, b), optional
        Labels or codes; default: the two categories of ``by``.
    statistic : {"auto", "share", "mean"}
    level : float

    Returns
    -------
    Result
        Plus ``group_a``, ``group_b``, ``estimate_a``, ``estimate_b``, ``t`` and ``p``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = Survey(pd.DataFrame({"y": [1, 0, 1, 1] * 10, "g": ["a", "a", "b", "b"] * 10}))
    >>> float(difference(s, "y", by="g", groups=("a", "b")).loc[0, "estimate"])   # 1 - 1/2
    0.5
    """
    iv._check_level(level)
    if not isinstance(by, str):
        raise ConfigError("difference compares the groups of one by-variable (by='...').")
    if statistic not in ("auto", "share", "mean"):
        raise ConfigError("statistic must be 'auto', 'share' or 'mean'.")
    design, grp = dz.effective_design(survey), bl._groups(survey, by)
    la, lb = _which_two(survey, grp, by, groups)
    names = bl._names(variable)
    if statistic == "auto":  # means of numbers other than 0/1 (a Categorical is no numeric dtype)
        one = len(names) == 1 and names[0] in survey.data
        numeric = one and pd.api.types.is_numeric_dtype(survey.data[names[0]].dtype)
        binary = numeric and bl._is_binary(bl._numeric_codes(survey, names[0]))
        statistic = "mean" if numeric and not binary else "share"
    share = statistic == "share"
    blocks = bl._share_blocks(survey, names) if share else [bl._numeric_block(survey, names)]
    code = np.select([grp.code == grp.categories[by].index(g) for g in (la, lb)], [0, 1], -1)
    two = bl._Groups([by], code, [(la,), (lb,)], grp.categories, grp.translations)
    for block in blocks:
        bl._nonempty(survey, block.name, block.answered)
    ests = bl._compute(survey, design, blocks, two, full=not design.is_replicate)
    diffs = [_two(b, e, design, two) for b, e in zip(blocks, ests, strict=True)]
    extra = {c: np.concatenate([d.extra[c] for d in diffs]) for c in diffs[0].extra}
    key = "note_difference_pp" if share else "note_difference"
    tr = grp.translations
    ab = {lg: [str(tr.get(lg, {}).get(by, {}).get(g, g)) for g in (la, lb)] for lg in i18n.LANGS}
    one = bl._Groups([], np.minimum(code, 0), [()], {}, {})  # in a or b: the one group
    return bl._assemble(
        survey, design, blocks, diffs, one, "difference", "t", level, names, extra,
        np.concatenate([d.unasked for d in diffs]), groups=(la, lb), compared_by=by,
        notes=[{lg: i18n.t(key, lg, a=ab[lg][0], b=ab[lg][1]) for lg in i18n.LANGS}], percent=share,
    )  # fmt: skip


def _which_two(survey: Survey, grp: bl._Groups, by: str, groups) -> tuple[str, str]:
    """The labels of the two groups compared (default: the two of ``by`` that hold any)."""
    cats = grp.categories[by]
    present = [c for i, c in enumerate(cats) if (grp.code == i).any()]
    if groups is None and len(present) != 2:
        raise ConfigError(
            f"'{by}' has {len(present)} groups ({', '.join(present)}); name the two to compare "
            "with groups=(a, b)."
        )
    out = []
    for value in present if groups is None else groups:
        value_labels = survey.codebook.get(by).value_labels.items()
        labels = [str(lab) for c, lab in value_labels if _same_code(c, value) and str(lab) in cats]
        hits = [str(value)] if str(value) in cats else labels
        if not (hits := hits or [c for c in cats if bl._as_float(c) == bl._as_float(value)]):
            raise ConfigError(f"{value!r} is not a group of '{by}'; its groups: {', '.join(present)}.")  # fmt: skip
        out.append(hits[0])
    if len(out) != 2 or out[0] == out[1]:
        raise ConfigError(f"groups={groups!r} must name two different groups of '{by}'.")
    return out[0], out[1]


def _two(block, e, design: dz.Design, two: bl._Groups) -> SimpleNamespace:
    """b − a per column of ``block`` with its variance (covariance, or in every replicate)."""
    k, j, ((la,), (lb,)) = block.k, np.arange(block.k), two.labels
    na, nb = e.n[:k], e.n[k:]
    for lab, n in ((la, na), (lb, nb)):
        if not (n > 0).any():
            raise DataError(
                f"No respondent in group {lab!r} of '{two.by[0]}' answered '{block.name}'; "
                "choose groups that both have answers."
            )
    ea, eb = e.est[:k], e.est[k:]
    if design.is_replicate:
        var = dz.replicate_vcov(design, e.thetas[:, k:] - e.thetas[:, :k], eb - ea, False)
    else:
        var = e.var[j + k, j + k] + e.var[j, j] - 2 * e.var[j, j + k]
    na, nb, diff = na.astype(np.int64), nb.astype(np.int64), eb - ea
    t, p = iv.t_test(diff, iv._se(var), design.degf)
    extra = dict(group_a=[la] * k, group_b=[lb] * k, estimate_a=ea, estimate_b=eb, n_a=na, n_b=nb)
    return SimpleNamespace(
        est=diff, var=var, n=na + nb, neff=e.neff[:k] + e.neff[k:], base=e.base[:k] + e.base[k:],
        df=np.full(k, float(design.degf)), deff=np.full(k, np.nan), thetas=None,
        unasked=(na == 0) | (nb == 0), extra=extra | {"t": t, "p": p},
    )  # fmt: skip


def chisq(survey: Survey, row: str, col: str, statistic: str = "F") -> ChisqResult:
    """Rao–Scott test of independence (R's ``svychisq``): ``statistic="F"`` second-order,
    ``"Chisq"`` first-order (Pearson's X² scaled to all rows, as R reports it).

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"a": ["x", "x", "y", "y"] * 5, "b": ["p", "q", "q", "q"] * 5})
    >>> round(chisq(Survey(d), "a", "b", statistic="Chisq")["statistic"], 4)   # Pearson X²
    6.6667
    """
    survey.require(row, col)
    privacy.refuse_identifying(survey, [row, col], "a test of independence")
    rb, cb = bl._categorical_block(survey, row), bl._categorical_block(survey, col)
    return _chisq(survey, dz.effective_design(survey), rb, cb, statistic)


def _chisq(
    survey: Survey, design: dz.Design, rb: bl._Block, cb: bl._Block, statistic: str
) -> ChisqResult:
    """The Rao–Scott test of two categorical blocks."""
    if statistic not in ("F", "Chisq"):
        raise ConfigError("statistic must be 'F' (second-order Rao–Scott) or 'Chisq'.")
    rc, cc, row, col = rb.codes, cb.codes, rb.name, cb.name
    both = (rc >= 0) & (cc >= 0)
    rlev = np.flatnonzero(np.bincount(rc[both], minlength=rb.k))  # levels present (R's unique
    clev = np.flatnonzero(np.bincount(cc[both], minlength=cb.k))  # values), in category order
    nr, nc = len(rlev), len(clev)
    if nr < 2 or nc < 2:
        raise DataError(
            f"'{row if nr < 2 else col}' has a single category among those who answered both "
            f"'{row}' and '{col}'; a test of independence needs two or more."
        )
    lev_r, lev_c = np.full(rb.k + 1, -1), np.full(cb.k + 1, -1)  # code -> level ([-1]: -1)
    lev_r[rlev], lev_c[clev] = np.arange(nr), np.arange(nc)
    cell = np.where(both, lev_c[cc] * nr + lev_r[rc], -1)  # rows vary fastest (expand.grid)
    K = nr * nc
    block = bl._Block("cells", None, None, ["cells"] * K, [str(i) for i in range(K)], {}, cell)
    (e,) = bl._compute(survey, design, [block], bl._one(survey), full=True)
    # R scales the table and Delta by nrow(model.frame): all rows, those missing on either
    # variable too (X² "as R reports it"; F and p do not depend on it)
    N, answered, pc = float(survey.n), int(both.sum()), e.est
    # R's svychisq: model.matrix(~rows + cols), the interaction columns of (~rows * cols), the
    # generalised design-effect matrix Delta and Pearson's X² of the table
    R = (np.tile(np.arange(nr), nc)[:, None] == np.arange(1, nr)).astype(float)
    C = (np.repeat(np.arange(nc), nr)[:, None] == np.arange(1, nc)).astype(float)
    inter = np.hstack([R[:, [i]] * C[:, [j]] for j in range(nc - 1) for i in range(nr - 1)])
    qr_q = np.linalg.qr(np.hstack([np.ones((K, 1)), R, C]))[0]
    Cmat = inter - qr_q @ (qr_q.T @ inter)
    with np.errstate(divide="ignore"):
        idiag = np.where(pc == 0, 0.0, 1 / pc)
    denom = Cmat.T @ (idiag[:, None] / N * Cmat)
    Delta = np.linalg.solve(denom, Cmat.T @ (idiag[:, None] * e.var * idiag[None, :]) @ Cmat)
    table = (pc * N).reshape(nc, nr).T  # nr × nc
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        pearson = float(np.sum((table - expected) ** 2 / expected))
    tr, dfree = float(np.trace(Delta)), Delta.shape[0]
    out = dict(pearson=pearson, mean_deff=tr / dfree * answered / N, row=row, col=col, n=answered)
    method = "Pearson's X² with Rao & Scott's {}-order adjustment"
    if statistic == "F":
        d0 = tr**2 / float(np.trace(Delta @ Delta))
        stat, p = pearson / tr, stats.f.sf(pearson / tr, d0, d0 * design.degf)
        out |= dict(ndf=d0, ddf=d0 * design.degf, df=None, name="F", method=method.format("second") + " (F)")  # fmt: skip
    else:
        stat, p = pearson, stats.chi2.sf(pearson / (tr / dfree), dfree)
        out |= dict(ndf=None, ddf=None, df=float(dfree), name="X-squared", method=method.format("first"))  # fmt: skip
    return ChisqResult(statistic=stat, p=float(p), **out)


def crosstab(
    survey: Survey,
    y: str,
    group: str,
    percent: str = "group",
    ci: str = "logit",
    level: float = 0.95,
    statistic: str = "F",
) -> Result:
    """The distribution of ``y`` within each ``group`` (R's ``svyby(~y, ~group, svymean)``)
    with SEs and intervals, and the Rao–Scott test in ``.test``.

    Parameters
    ----------
    survey : Survey
    y, group : str
    percent : {"group", "row", "total"}
        Each answer's share within its group; each group's share among those who gave the
        answer (grouped by ``y``); or the share of the whole table.
    ci, level, statistic
        As in :func:`share` and :func:`chisq`.

    Returns
    -------
    Result
        As ``share(s, y, by=group)``, plus ``count``, ``count_se``, ``cell_n``, ``col_pct``,
        ``col_pct_se`` (base ``col_n``), ``cell_pct`` and ``cell_pct_se``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"v": ["ja", "nee", "nee", "nee"] * 10, "g": ["m", "m", "v", "v"] * 10})
    >>> crosstab(Survey(d), "v", "g")["estimate"].tolist()      # m: 50% 50%; v: 0% 100%
    [0.5, 0.5, 0.0, 1.0]
    """
    if percent not in ("group", "row", "total"):
        raise ConfigError(
            f"percent={percent!r}: use 'group' (each answer within its group), "
            "'row' (each group among those with an answer) or 'total'."
        )
    iv._check_level(level, ci)
    survey.require(y, group)
    if y == group:
        raise ConfigError("crosstab needs two different variables.")
    row, col = (y, group) if percent == "row" else (group, y)
    design = dz.effective_design(survey)
    rb, cb = bl._categorical_block(survey, row), bl._categorical_block(survey, col)
    both = (rb.codes >= 0) & (cb.codes >= 0)
    try:  # the test first, while few row-length arrays are alive (its error becomes a note)
        test, single = _chisq(survey, design, rb, cb, statistic), None
    except DataError:
        test, single = None, row if len(np.unique(rb.codes[both])) < 2 else col
    rgroups, main, extra = _crosstab_parts(survey, design, rb, cb, both, percent == "total")
    notes = [i18n.both("note_no_test", single=single, row=row, col=col)] if single else []
    result = bl._assemble(
        survey, design, [cb], [main], rgroups, "crosstab", ci, level, [col], extra,
        bases={"col_pct": "col_n", "col_pct_se": "col_n"}, notes=notes
    )  # fmt: skip
    result.test = test
    return result


def _crosstab_parts(survey, design, rb, cb, both, total: bool) -> tuple:
    """The groups, the estimates shown and the extra columns of a crosstab."""
    rc, cc, R_, C_, row, col = rb.codes, cb.codes, rb.k, cb.k, rb.name, cb.name
    # col within row groups, row within col groups; group -1 leaves out who did not answer both
    rgroups = bl._groups(survey, row)
    rgroups.code = np.where(both, rgroups.code, -1)
    (e_row,) = bl._compute(survey, design, [cb], rgroups)
    rgroups.memo.clear()
    cats = [(c,) for c in cb.categories]
    cgroups = bl._Groups([col], np.where(both, cc, -1), cats, {col: cb.categories}, {})
    (e_col,) = bl._compute(survey, design, [rb], cgroups)
    K, cell = R_ * C_, np.where(both, rc * C_ + cc, -1)  # cells: share of all, weighted counts
    kblock = bl._Block("cells", None, None, ["c"] * K, [""] * K, {}, cell)
    e_cell, e_count = (
        bl._compute(survey, design, [kblock], bl._one(survey), ratio=r)[0] for r in (True, False)
    )
    main = e_cell if total else e_row
    idx_col = np.array([c * R_ + r for r in range(R_) for c in range(C_)])  # (col, row) -> cell
    counted = both & (design.weights > 0)  # NaN compares False
    extra = {
        "count": e_count.est, "count_se": iv._se(e_count.var),
        "cell_n": np.bincount(cell[counted], minlength=K),
        "col_pct": e_col.est[idx_col], "col_pct_se": iv._se(e_col.var)[idx_col],
        "col_n": np.tile(np.bincount(cc[counted], minlength=C_), R_),
        "cell_pct": e_cell.est, "cell_pct_se": iv._se(e_cell.var)
    }  # fmt: skip
    return rgroups, main, extra
