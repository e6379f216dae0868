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

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy import stats

from . import design as dz
from . import privacy
from .codebook import _same_code
from .errors import ConfigError, DataError
from .privacy import NOT_ASKED
from .result import ChisqResult, Result
from .survey import Survey

__all__ = ["chisq", "crosstab", "difference", "mean", "share", "total"]

CI_METHODS = ("logit", "likelihood", "beta", "xlogit", "asin", "mean", "wilson")


# --------------------------------------------------------------------------------------------
# Blocks: the columns one variable (or set) contributes
# --------------------------------------------------------------------------------------------
@dataclass
class _Block:
    """The columns one variable (or set) contributes: numerators ``u`` and denominator masks
    ``d`` (rows × k), or — for a categorical — just the category code of each row."""

    name: str                      # the variable (or set) name
    u: np.ndarray | None           # values (0 where not answered); None for code blocks
    d: np.ndarray | None           # 1 where the row answered this column, else 0
    variables: list[str]           # per column: the variable it belongs to
    categories: list[str]          # per column: the category label ("" for means)
    kind: str                      # categorical | binary | numeric
    translations: dict             # lang -> {variable: {file label: translated}}
    codes: np.ndarray | None = None  # categorical: category per row (-1 = not answered)

    @property
    def k(self) -> int:
        return len(self.categories)

    @property
    def answered(self) -> np.ndarray:
        """Rows that answered at least one column."""
        if self.codes is not None:
            return self.codes >= 0
        return self.d.max(axis=1) > 0

    def dense(self) -> tuple[np.ndarray, np.ndarray]:
        """``u`` and ``d`` as rows × k arrays (materialised for code blocks)."""
        if self.codes is None:
            return self.u, self.d
        n, K = len(self.codes), self.k
        ok = self.codes >= 0
        u = np.zeros((n, K))
        u[np.flatnonzero(ok), self.codes[ok]] = 1.0
        return u, np.repeat(ok.astype(float)[:, None], K, axis=1)

    def restricted(self, keep: np.ndarray) -> _Block:
        """The same block with rows outside ``keep`` made non-answering."""
        if self.codes is not None:
            return _Block(self.name, None, None, self.variables, self.categories, self.kind,
                          self.translations, np.where(keep, self.codes, -1))
        return _Block(self.name, self.u * keep[:, None], self.d * keep[:, None], self.variables,
                      self.categories, self.kind, self.translations)


def _is_binary(values: np.ndarray) -> bool:
    v = values[~np.isnan(values)]
    return v.size > 0 and bool(np.all((v == 0) | (v == 1)))


def _numeric_codes(survey: Survey, name: str) -> np.ndarray | None:
    """Numeric codes of a column (Categoricals mapped back to codes), or None if not numeric."""
    col = survey.data[name]
    if pd.api.types.is_bool_dtype(col.dtype):
        return col.to_numpy(dtype=float, na_value=np.nan)
    if isinstance(col.dtype, pd.CategoricalDtype):
        back = {str(lab): code for code, lab in survey.codebook.get(name).value_labels.items()}
        values = []
        for cat in col.cat.categories:
            v = _as_float(back.get(str(cat), cat))
            if math.isnan(v):
                return None
            values.append(v)
        lookup = np.append(np.asarray(values, dtype=float), np.nan)
        return lookup[col.cat.codes.to_numpy()]     # code -1 (missing) -> the trailing NaN
    if pd.api.types.is_numeric_dtype(col.dtype):
        return col.to_numpy(dtype=float, na_value=np.nan)
    return None


def _var_translations(survey: Survey, name: str, labels: dict[Any, str]) -> dict:
    """lang -> {name: {file label: translated}} for a variable's value labels."""
    var = survey.codebook.get(name)
    out: dict = {}
    for lang in var.translations:
        trans = var.value_labels_in(lang)
        table = {str(labels[c]): str(trans[c]) for c in labels if c in trans}
        if table:
            out.setdefault(lang, {})[name] = table
    return out


def _categorical_block(survey: Survey, name: str) -> _Block:
    col = survey.data[name]
    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = [str(c) for c in col.cat.categories]
        codes = col.cat.codes.to_numpy()
        var = survey.codebook.get(name)
        file_labels = {c: str(lab) for c, lab in var.value_labels.items()}
    else:
        vals = col
        nonmiss = vals.dropna()
        if pd.api.types.is_numeric_dtype(vals.dtype):
            uniq = np.sort(pd.unique(nonmiss.to_numpy(dtype=float)))
            var = survey.codebook.get(name)
            labelled = {}
            for code, lab in var.value_labels.items():
                try:
                    labelled[float(code)] = str(lab)
                except (TypeError, ValueError):
                    continue
            cats = [labelled.get(v, _fmt_number(v)) for v in uniq]
            codes = pd.Categorical(vals.to_numpy(dtype=float, na_value=np.nan), categories=uniq).codes
            file_labels = {c: str(lab) for c, lab in var.value_labels.items()}
        else:
            uniq = sorted({str(v) for v in nonmiss})
            cats = uniq
            codes = pd.Categorical(vals.astype(object).where(vals.notna(), None).map(
                lambda x: None if x is None else str(x)), categories=uniq).codes
            file_labels = {}
    codes = np.asarray(codes, dtype=np.int64)
    K = len(cats)
    return _Block(name, None, None, [name] * K, cats, "categorical",
                  _var_translations(survey, name, file_labels), codes)


def _fmt_number(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def _member_label(survey: Survey, name: str, lang: str | None = None) -> str:
    return survey.codebook.label(name, lang)


def _binary_block(survey: Survey, names: Sequence[str], counted: Any = None,
                  answered: np.ndarray | None = None, set_name: str | None = None,
                  missing_is_no: bool = False) -> _Block:
    """0/1 columns: each variable's share of those who answered it.

    With ``answered`` (a multiple-response set: who answered the question), a member's base is
    the respondents who answered the question *and* for whom the member is not missing — an
    option that was not offered (TikTok in 2015) has no base rather than counting as "not
    chosen". ``missing_is_no`` is for files that leave unchosen options empty: there a missing
    member among those who answered counts as "not chosen".
    """
    cols_u, cols_d = [], []
    trans: dict = {}
    for name in names:
        if counted is not None:
            sel = _counted_mask(survey, name, counted)
            miss = survey.data[name].isna().to_numpy()
            values = np.where(miss, np.nan, sel.astype(float))
        else:
            values = _numeric_codes(survey, name)
            if values is None or not _is_binary(values):
                raise DataError(
                    f"Variable '{name}' is not a 0/1 variable (values "
                    f"{_preview_values(survey.data[name])}); pass it on its own for the share of "
                    "each category, or make it 0/1."
                )
        if answered is None:
            d = (~np.isnan(values)).astype(float)
        elif missing_is_no:
            d = answered.astype(float)
        else:
            d = (answered & ~np.isnan(values)).astype(float)
        cols_u.append(np.nan_to_num(values) * d)
        cols_d.append(d)
        var = survey.codebook.get(name)
        for lang in var.translations:
            lab = var.label_in(lang)
            if lab != var.label_in(None):
                trans.setdefault(lang, {})[name] = {_member_label(survey, name): lab}
    cats = [_member_label(survey, nm) for nm in names]
    return _Block(set_name or ",".join(names), np.column_stack(cols_u), np.column_stack(cols_d),
                  list(names), cats, "binary", trans)


def _preview_values(col: pd.Series) -> str:
    vals = pd.unique(col.dropna())[:5]
    return ", ".join(map(str, vals))


def _mr_block(survey: Survey, set_name: str) -> _Block:
    mr = survey.codebook.mr_sets[set_name]
    members = list(mr.variables)
    survey.require(*members)
    answered = np.zeros(survey.n, dtype=bool)
    for m in members:
        answered |= survey.data[m].notna().to_numpy()
    if mr.kind == "dichotomy":
        return _binary_block(survey, members, counted=mr.counted_value, answered=answered,
                             set_name=set_name,
                             missing_is_no=_unchosen_left_empty(survey, members, mr.counted_value))
    # category set: members hold the chosen categories' codes
    first = survey.codebook.get(members[0])
    options = dict(first.value_labels)
    codes = [survey.codes(m) for m in members]
    if not options:
        seen = sorted({v for c in codes for v in c.dropna().tolist()}, key=str)
        options = {v: str(v) for v in seen}
    u = np.zeros((survey.n, len(options)))
    for j, code in enumerate(options):
        hit = np.zeros(survey.n, dtype=bool)
        for c in codes:
            hit |= (c.astype(object) == code).to_numpy(dtype=bool, na_value=False) | (
                pd.to_numeric(c, errors="coerce") == _as_float(code)).to_numpy(dtype=bool, na_value=False)
        u[:, j] = hit
    d = np.repeat(answered.astype(float)[:, None], len(options), axis=1)
    u = u * d
    cats = [str(v) for v in options.values()]
    trans: dict = {}
    for lang in first.translations:
        tr = first.value_labels_in(lang)
        table = {str(options[c]): str(tr[c]) for c in options if c in tr}
        if table:
            trans.setdefault(lang, {})[set_name] = table
    return _Block(set_name, u, d, [set_name] * len(options), cats, "categorical", trans)


def _counted_mask(survey: Survey, name: str, counted: Any) -> np.ndarray:
    """Rows where ``name`` holds the counted value of a dichotomy set."""
    codes = survey.codes(name)
    num = pd.to_numeric(codes, errors="coerce")
    try:
        sel = (num == float(counted)) if num.notna().any() else (codes.astype(object) == counted)
    except (TypeError, ValueError):
        sel = codes.astype(object) == counted
    return sel.to_numpy(dtype=bool, na_value=False)


def _unchosen_left_empty(survey: Survey, members: Sequence[str], counted: Any) -> bool:
    """Whether a dichotomy set codes "not chosen" as missing (no member ever holds another
    value than the counted one): then a missing member cannot mean "not offered"."""
    for m in members:
        present = survey.data[m].notna().to_numpy()
        if (present & ~_counted_mask(survey, m, counted)).any():
            return False
    return True


def _as_float(x: Any) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def _numeric_block(survey: Survey, names: Sequence[str]) -> _Block:
    cols_u, cols_d = [], []
    for name in names:
        values = _numeric_codes(survey, name)
        if values is None:
            raise DataError(f"Variable '{name}' is not numeric (values "
                            f"{_preview_values(survey.data[name])}); a mean needs numbers — use "
                            "share() for the share of each category.")
        d = (~np.isnan(values)).astype(float)
        cols_u.append(np.nan_to_num(values))
        cols_d.append(d)
    return _Block(",".join(names), np.column_stack(cols_u), np.column_stack(cols_d), list(names),
                  [""] * len(names), "numeric", {})


def _names(variables: str | Sequence[str]) -> list[str]:
    if isinstance(variables, str):
        return [variables]
    names = [str(v) for v in variables]
    if not names:
        raise ConfigError("Give at least one variable.")
    return names


def _share_blocks(survey: Survey, variables: str | Sequence[str]) -> list[_Block]:
    names = _names(variables)
    blocks = []
    if len(names) == 1:
        name = names[0]
        if name not in survey.data.columns and name in survey.codebook.mr_sets:
            return [_mr_block(survey, name)]
        _require(survey, name)
        col = survey.data[name]
        if not isinstance(col.dtype, pd.CategoricalDtype):
            values = _numeric_codes(survey, name)
            if values is not None and _is_binary(values):
                return [_binary_block(survey, [name])]
        return [_categorical_block(survey, name)]
    for nm in names:
        _require(survey, nm)
    binary = []
    for nm in names:
        values = _numeric_codes(survey, nm)
        binary.append(values is not None and _is_binary(values))
    if all(binary):
        return [_binary_block(survey, names)]
    for nm in names:
        blocks.extend(_share_blocks(survey, nm))
    return blocks


def _require(survey: Survey, name: str) -> None:
    if name not in survey.data.columns:
        sets = list(survey.codebook.mr_sets)
        if sets:
            from .codebook import _preview

            raise ConfigError(f"Unknown variable {name!r} in {survey.source.path or 'this survey'}; "
                              f"known variables: {_preview(survey.columns)}; "
                              f"multiple-response sets: {', '.join(sets)}.")
        survey.require(name)


# --------------------------------------------------------------------------------------------
# Groups (by=)
# --------------------------------------------------------------------------------------------
@dataclass
class _Groups:
    by: list[str]
    code: np.ndarray                   # group per row, -1 = not in any group
    labels: list[tuple[str, ...]]      # per group
    categories: dict[str, list[str]]   # per by-variable, in order
    translations: dict
    memo: list = field(default_factory=list, repr=False)   # (outer, code, _Pairs) seen

    @property
    def G(self) -> int:
        return len(self.labels)


def _groups(survey: Survey, by: str | Sequence[str] | None) -> _Groups:
    n = survey.n
    if by is None:
        return _Groups([], np.zeros(n, dtype=np.int64), [()], {}, {})
    names = _names(by)
    for nm in names:
        survey.require(nm)
    code = None
    cats_all: dict[str, list[str]] = {}
    sizes = []
    trans: dict = {}
    for nm in names:
        blk = _categorical_block(survey, nm)
        c = blk.codes
        observed = np.flatnonzero(np.bincount(c + 1, minlength=blk.k + 1)[1:])
        where = f"{' in ' + survey.source.path if survey.source.path else ''}"
        if observed.size == 0:
            raise DataError(
                f"The by-variable '{nm}' has no values{where} (all missing); a breakdown needs "
                "at least two groups — choose another by= variable."
            )
        if observed.size < 2:
            shown = blk.categories[observed[0]]
            raise DataError(
                f"The by-variable '{nm}' has a single category ({shown!r}) among the "
                f"respondents{' of ' + survey.source.path if survey.source.path else ''}; a "
                "breakdown needs at least two groups — drop by= or check your filter."
            )
        cats_all[nm] = blk.categories
        sizes.append(blk.k)
        code = c if code is None else np.where((code >= 0) & (c >= 0), code * blk.k + c, -1)
        for lang, t in blk.translations.items():
            trans.setdefault(lang, {}).update(t)
    labels = [()]
    for nm in names:
        labels = [lab + (cat,) for lab in labels for cat in cats_all[nm]]
    return _Groups(names, code, labels, cats_all, trans)


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


_CHUNK = 1 << 17   # rows per pass over the data: the temporaries stay a few MB


@dataclass
class _Pairs:
    """The (outer cell, group) pairs that hold rows: the only cells the sums need.

    The outer cell is the PSU (a cluster design), the stratum (rows are the PSUs) or one cell
    for all (replicate designs). 20,000 schools × 80 countries are 1.6 million cells but only
    some 20,000 pairs hold students: sums and variances run over those, and the empty cells —
    which add exact zeros to every formula — are never made.
    """

    row: np.ndarray        # pair of each row (-1: outside every group)
    outer: np.ndarray      # outer cell of each pair
    group: np.ndarray      # group of each pair
    G: int
    _strata: tuple | None = None

    @property
    def P(self) -> int:
        return len(self.group)

    def strata(self, stage) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(stratum, group) pairs of a cluster design: per pair its (stratum, group) pair, and
        per (stratum, group) pair its stratum and group."""
        if self._strata is None:
            hg = stage.unit_stratum[self.outer] * self.G + self.group
            ids, inv = np.unique(hg, return_inverse=True)
            self._strata = (inv.ravel(), ids // self.G, ids % self.G)
        return self._strata


def _pairs(groups: _Groups, outer: np.ndarray | None, n_outer: int) -> _Pairs:
    """The pairs of ``outer`` cells and groups that occur (kept on ``groups`` for the next
    block: every variable of a call shares them)."""
    for o, code, pairs in groups.memo:
        if o is outer and code is groups.code:
            return pairs
    code, G = groups.code, groups.G
    n = len(code)

    def keys(sl: slice) -> np.ndarray:       # the cell of each row (-1: outside every group)
        key = outer[sl] * G
        key += code[sl]
        key[code[sl] < 0] = -1
        return key

    size = n_outer * G
    if outer is None or n_outer == 1:         # one outer cell: the pair is the group
        seen = np.zeros(G + 1, dtype=bool)    # the last cell: key -1 (outside every group)
        seen[code] = True
        ids = np.flatnonzero(seen[:-1])
        if len(ids) == G:
            row = code                        # every group occurs: the pair is the group code
        else:
            lookup = np.full(G + 1, -1, dtype=np.int64)
            lookup[ids] = np.arange(len(ids))
            row = lookup[code]
    elif size <= 4 * n + 4096:                # mark the cells that occur (in chunks): no sort
        seen = np.zeros(size + 1, dtype=bool)
        for a in range(0, n, _CHUNK):
            seen[keys(slice(a, a + _CHUNK))] = True
        ids = np.flatnonzero(seen[:-1])
        lookup = np.full(size + 1, -1, dtype=np.int32 if len(ids) < 2**31 else np.int64)
        lookup[ids] = np.arange(len(ids))
        row = np.empty(n, dtype=lookup.dtype)
        for a in range(0, n, _CHUNK):
            row[a:a + _CHUNK] = lookup[keys(slice(a, a + _CHUNK))]
    else:
        key = keys(slice(None))
        inside = key >= 0
        ids, inv = np.unique(key[inside], return_inverse=True)
        row = np.full(n, -1, dtype=np.int64)
        row[inside] = inv.ravel()
    pairs = _Pairs(row, ids // G, ids % G, G)
    groups.memo.append((outer, groups.code, pairs))
    return pairs


def _sum_by(index: np.ndarray, n: int, X: np.ndarray) -> np.ndarray:
    """Sums of the rows of ``X`` (m × k) by ``index`` (m values in 0..n-1): n × k."""
    out = np.empty((n, X.shape[1]))
    for j in range(X.shape[1]):
        out[:, j] = np.bincount(index, X[:, j], n)
    return out


def _pair_matrix(rows: np.ndarray, group: np.ndarray, X: np.ndarray, nrows: int,
                 G: int) -> sp.csr_matrix:
    """``X`` (pairs × k) as a sparse nrows × (G·k) matrix: pair p's k values in row ``rows[p]``,
    in its group's columns."""
    k = X.shape[1]
    cols = (group * k)[:, None] + np.arange(k)[None, :]
    return sp.csr_matrix((X.ravel(), (np.repeat(rows, k), cols.ravel())), shape=(nrows, G * k))


def _sparse_block(values: np.ndarray, group: np.ndarray, G: int) -> sp.csr_matrix:
    """rows × (G·k) with row i's k values in its group's columns (zeros outside any group)."""
    n, k = values.shape
    g = np.where(group >= 0, group, 0)
    data = np.where((group >= 0)[:, None], values, 0.0).ravel()
    indices = (g[:, None] * k + np.arange(k)[None, :]).ravel()
    indptr = np.arange(0, n * k + 1, k)
    return sp.csr_matrix((data, indices, indptr), shape=(n, G * k))


def _check_weights(survey: Survey, design: dz.Design, w: np.ndarray, inuse: np.ndarray) -> None:
    bad = np.isnan(w) & inuse
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"The weight '{design.weight}' is missing for {int(bad.sum())} respondent(s) in use "
            f"(e.g. row {survey.data.index[i]}); give them a weight or leave them out of the data."
        )


def _indicator(key: np.ndarray, nkeys: int, values: np.ndarray | None = None) -> sp.csr_matrix:
    """nkeys × rows: row i in column i of row ``key[i]`` (rows with key < 0 left out)."""
    ok = np.flatnonzero(key >= 0)
    data = np.ones(len(ok)) if values is None else values[ok]
    return sp.csr_matrix((data, (key[ok], ok)), shape=(nkeys, len(key)))


def _column_indicator(key: np.ndarray, nkeys: int) -> sp.csc_matrix:
    """:func:`_indicator` stored by column (one entry per row with a key): a product with a
    rows × m array then streams through that array's rows in order instead of jumping from
    key to key (2-3× faster on 80 replicate weights), adding in the same order."""
    ok = key >= 0
    indptr = np.concatenate([[0], np.cumsum(ok)])
    return sp.csc_matrix((np.ones(int(indptr[-1])), key[ok], indptr), shape=(nkeys, len(key)))


def _cell_sums(pairs: _Pairs, block: _Block, w: np.ndarray) -> dict[str, np.ndarray]:
    """Per pair and column: S1 = Σ w u, S0 = Σ w d, Q2 = Σ w² u², Q1 = Σ w² u, Q0 = Σ w² d,
    SU2 = Σ w u², N = Σ [w > 0] d (pairs × k; S0, Q0 and N of a categorical block are the same
    for every column: pairs × 1). The rows are summed in chunks, so the memory this needs
    beside the data does not grow with the number of rows."""
    k, P, n = block.k, pairs.P, len(w)
    step = _CHUNK
    if block.codes is not None:
        S1, Q1 = np.zeros(P * k), np.zeros(P * k)
        S0, Q0, N = np.zeros(P), np.zeros(P), np.zeros(P)
        for a in range(0, n, step):
            row, codes = pairs.row[a:a + step], block.codes[a:a + step]
            ok = row >= 0
            ok &= codes >= 0
            pp = row[ok].astype(np.intp, copy=False)   # bincount wants intp
            idx = pp * k
            idx += codes[ok]
            ww = w[a:a + step][ok]
            S1 += np.bincount(idx, ww, P * k)
            S0 += np.bincount(pp, ww, P)
            N += np.bincount(pp if ww.min(initial=1.0) > 0 else pp[ww > 0], minlength=P)
            np.multiply(ww, ww, out=ww)       # w² (ww is a copy)
            Q1 += np.bincount(idx, ww, P * k)
            Q0 += np.bincount(pp, ww, P)
        S1, Q1 = S1.reshape(P, k), Q1.reshape(P, k)
        return {"S1": S1, "S0": S0[:, None], "Q2": Q1, "Q1": Q1, "Q0": Q0[:, None], "SU2": S1,
                "N": N[:, None]}
    out = {nm: np.zeros((P, k)) for nm in ("S1", "S0", "Q2", "Q1", "Q0", "SU2", "N")}
    for a in range(0, n, step):
        sl = slice(a, a + step)
        u, d, wc = block.u[sl], block.d[sl], w[sl, None]
        M = _indicator(pairs.row[sl], P)
        wu = wc * u
        out["S1"] += M @ wu
        out["S0"] += M @ (wc * d)
        out["Q2"] += M @ (wu * wu)
        out["Q1"] += M @ (wu * wc)
        out["Q0"] += M @ ((wc * wc) * d)
        out["SU2"] += M @ (wu * u)
        out["N"] += M @ ((wc > 0) * d)
    return out


def _compute(survey: Survey, design: dz.Design, block: _Block, groups: _Groups,
             ratio: bool = True, full: bool = False) -> _Est:
    """Estimates, variances (or the covariance when ``full``), counts, Kish n_eff, deff and df
    for every (group, column) of ``block``; columns ordered group-major."""
    inuse = block.answered & (groups.code >= 0)
    _check_weights(survey, design, design._w, inuse)
    del inuse
    w = design._w
    if np.isnan(w).any():
        w = np.nan_to_num(w)                  # missing weights only outside the rows in use
    G, k = groups.G, block.k
    stage = design._stages[0] if design._stages else None
    if design.is_replicate or stage is None:
        outer, n_outer = None, 1
    elif stage.unit is not None:
        outer, n_outer = stage.unit, stage.n_units
    else:
        outer, n_outer = stage.unit_stratum, len(stage.stratum_n)
    pairs = _pairs(groups, outer, n_outer)
    cs = _cell_sums(pairs, block, w)
    cs["N"] = np.broadcast_to(cs["N"], (pairs.P, k))
    tot = {nm: np.broadcast_to(_sum_by(pairs.group, G, v), (G, k)).ravel() for nm, v in cs.items()}
    numer, denom, n_used, w2 = tot["S1"], tot["S0"], tot["N"], tot["Q0"]
    with np.errstate(invalid="ignore", divide="ignore"):
        est = numer / denom if ratio else numer.copy()
        neff = np.where(w2 > 0, denom ** 2 / w2, 0.0)
    est = np.where(denom > 0, est, np.nan) if ratio else est
    thetas = None
    # single stage, no calibration: variances from the pair sums (a covariance too, except for
    # 0/1 or numeric columns when the rows are the PSUs: that needs Σ w² u_j u_l)
    simple = (stage is not None and not design._calibration and len(design._stages) == 1
              and (not full or block.codes is not None or stage.unit is not None))
    if design.is_replicate:
        thetas = _replicate_estimates(design._rep, block, groups, ratio)
        var = dz._rep_var(design, thetas, est, full)
        df = np.full(len(est), design.degf)
    elif simple:
        var = _fast_var(stage, pairs, cs, est, denom, ratio, k, full)
        df = _fast_df(stage, pairs, cs["N"])
    else:
        var = _general_var(design, block, groups, est, denom, w, ratio, full)
        df = _fast_df(stage, pairs, cs["N"])
    # design effect: R's svymean(deff = TRUE) — against SRS without replacement of the same
    # size — when the weights add up to a population (Σw ≥ 2n); with weights scaled to the
    # sample (Σw ≈ n) that is meaningless, so R's deff = "replace" (SRS with replacement).
    s2 = _weighted_var(tot["SU2"], numer, est if ratio else numer / np.where(denom > 0, denom, 1),
                       denom, n_used)
    v = np.diag(var) if full else var
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(denom >= 2 * n_used, (denom - n_used) / (denom * n_used), 1 / n_used)
        vsrs = s2 * frac if ratio else s2 * denom ** 2 * frac
        deff = np.where(vsrs > 0, v / vsrs, np.nan)
    return _Est(est, var, n_used, denom, neff, df, deff, thetas)


def _fast_var(stage, pairs: _Pairs, cs, est, denom, ratio, k, full) -> np.ndarray:
    """Single-stage Taylor variances (or the covariance) from the pair sums: the with-
    replacement estimator Σ_h c_h (Σ_j T_hj² − (Σ_j T_hj)²/n_h) with T_hj the influence total
    of PSU j, never an n × estimates matrix."""
    G = pairs.G
    g, o = pairs.group, pairs.outer
    th = np.nan_to_num(est).reshape(G, k)[g]                    # pairs × k
    D = np.where(denom > 0, denom, 1.0).reshape(G, k)
    D = D[:, :1][g] if cs["S0"].shape[1] == 1 else D[g]         # one base per group: pairs × 1
    if ratio:                                                   # influence total per pair
        T = th * cs["S0"]
        np.subtract(cs["S1"], T, out=T)
        T /= D
    else:
        T = cs["S1"]
    if stage.unit is None:
        # rows are the PSUs and the pairs (stratum, group): Σ T² from sums of squares
        c = stage.stratum_scale[o][:, None]
        if full:   # a code block: Σ w²(e_c − θ)(e_c − θ)ᵀ/D² = diag(Q1) − Q1θᵀ − θQ1ᵀ + Q0θθᵀ
            A = _sum_by(g, G, c * cs["Q1"] / (D * D if ratio else 1.0))
            b = _sum_by(g, G, c * cs["Q0"] / (D * D))[:, 0]
            theta = np.nan_to_num(est).reshape(G, k)
            first = np.zeros((G * k, G * k))
            for gi in range(G):
                blk = np.diag(A[gi])
                if ratio:
                    blk = blk - np.outer(A[gi], theta[gi]) - np.outer(theta[gi], A[gi]) \
                        + b[gi] * np.outer(theta[gi], theta[gi])
                first[gi * k:(gi + 1) * k, gi * k:(gi + 1) * k] = blk
        else:
            if ratio:
                sumT2 = (cs["Q2"] - 2 * th * cs["Q1"] + th * th * cs["Q0"]) / (D * D)
            else:
                sumT2 = cs["Q2"]
            first = _sum_by(g, G, c * sumT2).ravel()
        sh, sg, S = o, g, T               # one (stratum, group) pair per pair already
    else:
        del th, D
        if full and G == 1:               # one group: the pairs are the PSUs
            first = T.T @ (stage.unit_scale[o][:, None] * T)
        elif full:
            T0 = _pair_matrix(o, g, T, stage.n_units, G)
            first = (T0.T @ (sp.diags(stage.unit_scale) @ T0)).toarray()
        else:
            T2 = T * T
            T2 *= stage.unit_scale[o][:, None]
            first = _sum_by(g, G, T2).ravel()
            del T2
        inv, sh, sg = pairs.strata(stage)
        S = _sum_by(inv, len(sh), T)      # per (stratum, group): Σ of its PSUs' totals
    cen = stage.stratum_centre & (stage.stratum_n > 0)
    dfac = np.where(cen, stage.stratum_scale / np.where(stage.stratum_n > 0, stage.stratum_n, 1), 0.0)
    if full and G == 1:
        var = first - S.T @ (dfac[sh][:, None] * S)
    elif full:
        Ssp = _pair_matrix(sh, sg, S, len(stage.stratum_n), G)
        var = first - (Ssp.T @ (sp.diags(dfac) @ Ssp)).toarray()
    else:
        var = first - _sum_by(sg, G, dfac[sh][:, None] * S * S).ravel()
    return var * stage.multiplier


def _fast_df(stage, pairs: _Pairs, N: np.ndarray) -> np.ndarray:
    """PSUs minus strata among each domain's rows with a weight (R's degf of the subset)."""
    G, g = pairs.G, pairs.group
    has = (N > 0).astype(float)
    if stage.unit is None:
        n_psu = _sum_by(g, G, N)
        n_str = _sum_by(g, G, has)
    else:
        n_psu = _sum_by(g, G, has)
        inv, sh, sg = pairs.strata(stage)
        per = (_sum_by(inv, len(sh), has) > 0).astype(float)
        n_str = _sum_by(sg, G, per)
    return np.maximum(n_psu - n_str, 1.0).ravel().astype(float)


def _influence(block: _Block, groups: _Groups, est, denom, w, ratio) -> sp.csr_matrix:
    """Rows × (group, column) influence values: w (u − θ d) / Σw (shares, means) or w u
    (totals). A categorical block is built from its codes (k values per answering row) rather
    than from rows × k indicator arrays."""
    G, k = groups.G, block.k
    n = len(groups.code)
    safe = np.where(denom > 0, denom, 1.0)
    theta = np.nan_to_num(est)
    if block.codes is not None:
        rows = np.flatnonzero((groups.code >= 0) & (block.codes >= 0))
        g, c, wr = groups.code[rows], block.codes[rows], w[rows]
        counts = np.zeros(n, dtype=np.int64)
        if ratio:
            cols = (g * k)[:, None] + np.arange(k)[None, :]
            vals = -theta[cols]
            vals[np.arange(len(rows)), c] += 1.0
            vals *= wr[:, None] / safe[cols]
            counts[rows] = k
        else:
            cols = (g * k + c)[:, None]
            vals = wr[:, None]
            counts[rows] = 1
        indptr = np.concatenate([[0], np.cumsum(counts)])
        return sp.csr_matrix((vals.ravel(), cols.ravel(), indptr), shape=(n, G * k))
    U = _sparse_block(block.u * block.d, groups.code, G)
    D = _sparse_block(block.d, groups.code, G)
    Z = U.copy()
    rows = np.repeat(np.arange(U.shape[0]), np.diff(U.indptr))
    if ratio:
        Z.data = w[rows] * (U.data - D.data * theta[U.indices]) / safe[U.indices]
    else:
        Z.data = w[rows] * U.data
    return Z


def _general_var(design, block, groups, est, denom, w, ratio, full) -> np.ndarray:
    """Taylor variance through the row-level influence matrix (multistage, calibration,
    covariances of 0/1 or numeric columns when the rows are the PSUs)."""
    return dz._taylor_var(design, _influence(block, groups, est, denom, w, ratio), full)


def _replicate_estimates(rep: np.ndarray, block: _Block, groups: _Groups, ratio: bool) -> np.ndarray:
    """Replicates × (group, column) estimates as sparse-indicator × replicate-weight products."""
    G, k = groups.G, block.k
    R = rep.shape[1]
    if block.codes is not None:
        key = np.where((groups.code >= 0) & (block.codes >= 0), groups.code * k + block.codes, -1)
        num = np.asarray(_column_indicator(key, G * k) @ rep).T                 # R × Gk
        # a group's base is the sum of its categories: no second pass over the rows
        den = np.repeat(num.reshape(R, G, k).sum(axis=2), k, axis=1)            # R × Gk
    else:
        num = np.zeros((R, G * k))
        den = np.zeros((R, G * k))
        order = np.argsort(groups.code, kind="stable")
        bounds = np.searchsorted(groups.code[order], np.arange(G + 1))
        ud = block.u * block.d
        for g in range(G):                   # per group: one BLAS product over its rows
            rows = order[bounds[g]:bounds[g + 1]]
            if rows.size:
                rg = rep[rows].T
                num[:, g * k:(g + 1) * k] = rg @ ud[rows]
                den[:, g * k:(g + 1) * k] = rg @ block.d[rows]
    if not ratio:
        return num
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)


def _weighted_var(s_yy, s_y, est, denom, n_used) -> np.ndarray:
    """R's svyvar in each domain: Σw(y-θ)²/Σw · n/(n-1), from Σwy² and Σwy."""
    with np.errstate(invalid="ignore", divide="ignore"):
        e = np.nan_to_num(est)
        ss = s_yy - 2 * e * s_y + e * e * denom
        return np.where((denom > 0) & (n_used > 1), ss / denom * n_used / (n_used - 1), np.nan)


# --------------------------------------------------------------------------------------------
# Notes: caveats for footnotes, tables and speaker notes, in Dutch and English
# --------------------------------------------------------------------------------------------
#: Each note is a ``{"nl": ..., "en": ...}`` dict; figures and exports pick the language
#: (:func:`youthmedia.i18n.text_in`).
NOTES: dict[str, dict[str, str]] = {
    "clopper_pearson": {
        "nl": "Waar een aandeel 0% of 100% is (of geen variantie heeft), is het interval "
              "Clopper–Pearson op de effectieve n (Kish).",
        "en": "Where a share is 0% or 100% (or has no variance) the interval is "
              "Clopper–Pearson on the Kish effective n.",
    },
    "likelihood_fallback": {
        "nl": "Waar het likelihoodprofiel niet te berekenen was (een heel kleine groep), is het "
              "interval het logit-interval.",
        "en": "Where the likelihood profile could not be computed (a tiny group) the interval "
              "is the logit one.",
    },
}


#: Boolean Result column: True where a share's interval is Clopper–Pearson on the Kish n_eff
#: (``meta["row_notes"]`` scopes the ``"clopper_pearson"`` note to these rows).
CP_COLUMN = "ci_clopper_pearson"


def _unique(notes: Sequence[Any]) -> list[Any]:
    """Notes without repeats, in order (dict notes are not hashable)."""
    out: list[Any] = []
    for note in notes:
        if note and note not in out:
            out.append(note)
    return out


def _difference_note(groups: _Groups, by: str, la: str, lb: str, share: bool) -> dict[str, str]:
    """"Verschil = b − a in procentpunten." with the group labels in each language."""
    def label(lab: str, lang: str) -> str:
        return str(groups.translations.get(lang, {}).get(by, {}).get(lab, lab))

    return {
        "nl": f"Verschil = {label(lb, 'nl')} − {label(la, 'nl')}" + (" in procentpunten." if share else "."),
        "en": f"Difference = {label(lb, 'en')} − {label(la, 'en')}"
              + (" in percentage points." if share else "."),
    }


# --------------------------------------------------------------------------------------------
# Confidence intervals
# --------------------------------------------------------------------------------------------
def _q(level: float, df: np.ndarray) -> np.ndarray:
    return stats.t.ppf(1 - (1 - level) / 2, np.maximum(df, 1))


def _expit(x):
    with np.errstate(over="ignore"):  # exp(745) = inf gives 0, as it should: no warning
        return 1 / (1 + np.exp(-x))


def _check_level(level: float) -> None:
    if not 0 < level < 1:
        raise ConfigError(f"level={level!r} must be between 0 and 1 (e.g. 0.95).")


_ZERO_SE = 1e-7  # an SE of a share below this is rounding noise on a zero variance


def _share_ci(method: str, e: _Est, level: float, design: dz.Design
              ) -> tuple[np.ndarray, np.ndarray, list[dict], np.ndarray]:
    """Lower and upper bounds for shares; notes on fallbacks; where Clopper–Pearson was used."""
    p = e.est
    v = np.diag(e.var) if e.var.ndim == 2 else e.var
    se = np.sqrt(np.maximum(v, 0))
    df = e.df
    q = _q(level, df)
    alpha = 1 - level
    notes: list[dict[str, str]] = []
    with np.errstate(invalid="ignore", divide="ignore"):
        pq = p * (1 - p)
        if method in ("logit", "xlogit", "likelihood"):
            se_l = se / pq
            if method in ("logit", "likelihood") and e.thetas is not None:
                se_l = _replicate_logit_se(design, e, se_l)
            lo = _expit(np.log(p / (1 - p)) - q * se_l)
            hi = _expit(np.log(p / (1 - p)) + q * se_l)
            if method == "likelihood":
                lo_l, hi_l = _likelihood_ci(e, se_l, level)
                walked = ~np.isnan(lo_l) & ~np.isnan(hi_l)
                if (~walked & (p > 0) & (p < 1) & (se > 0)).any():
                    notes.append(dict(NOTES["likelihood_fallback"]))
                lo, hi = np.where(walked, lo_l, lo), np.where(walked, hi_l, hi)
        elif method == "asin":
            a = np.arcsin(np.sqrt(p))
            se_a = se / (2 * np.sqrt(pq))
            lo = np.sin(np.clip(a - q * se_a, 0, np.pi / 2)) ** 2
            hi = np.sin(np.clip(a + q * se_a, 0, np.pi / 2)) ** 2
        elif method == "beta":
            neff = pq / v * (stats.t.ppf(alpha / 2, np.maximum(e.n - 1, 1)) /
                             stats.t.ppf(alpha / 2, np.maximum(df, 1))) ** 2
            lo = stats.beta.ppf(alpha / 2, neff * p, neff * (1 - p) + 1)
            hi = stats.beta.ppf(1 - alpha / 2, neff * p + 1, neff * (1 - p))
        elif method == "mean":
            lo, hi = np.clip(p - q * se, 0, 1), np.clip(p + q * se, 0, 1)
        elif method == "wilson":
            n = e.neff
            z2 = q * q
            centre = (p + z2 / (2 * n)) / (1 + z2 / n)
            half = q / (1 + z2 / n) * np.sqrt(pq / n + z2 / (4 * n * n))
            lo, hi = centre - half, centre + half
        else:  # pragma: no cover - checked by the caller
            raise ConfigError(f"ci={method!r} is not one of {', '.join(CI_METHODS)}.")
    # where the method has nothing to go on (p = 0 or 1, or no variance): Clopper–Pearson on n_eff
    # "no variance" up to rounding: a variance that is 0 in exact arithmetic comes out of the
    # sums of squares as ~1e-17, and its √ (~1e-9) must not flip the method with the weights'
    # scale; a real SE of a share is far above 1e-7 (n = 10⁹ gives 1.6e-5)
    edge = (p <= 0) | (p >= 1) | ~(se > _ZERO_SE)
    edge &= e.n > 0
    if edge.any():
        n = np.maximum(e.neff, 1)
        x = p * n
        with np.errstate(invalid="ignore"):
            cp_lo = np.where(x > 0, stats.beta.ppf(alpha / 2, x, n - x + 1), 0.0)
            cp_hi = np.where(x < n, stats.beta.ppf(1 - alpha / 2, x + 1, n - x), 1.0)
        lo = np.where(edge, cp_lo, lo)
        hi = np.where(edge, cp_hi, hi)
        notes.append(dict(NOTES["clopper_pearson"]))
    return lo, hi, notes, np.asarray(edge, dtype=bool)


def _replicate_logit_se(design: dz.Design, e: _Est, fallback: np.ndarray) -> np.ndarray:
    """SE of logit(p) from the replicates (as R's svyglm on a replicate design)."""
    th = e.thetas
    with np.errstate(invalid="ignore", divide="ignore"):
        lt = np.log(th / (1 - th))
        full = np.log(e.est / (1 - e.est))
    bad = ~np.isfinite(lt) & ~np.isnan(th)
    lt = np.where(bad, np.nan, lt)
    v = dz._rep_var(design, lt, full, False)
    ok = ~bad.any(axis=0) & np.isfinite(v)
    return np.where(ok, np.sqrt(np.maximum(v, 0)), fallback)


def _likelihood_ci(e: _Est, se_beta: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    """R's svyciprop(method="likelihood"): a profile of the (design-rescaled) binomial
    likelihood of the intercept-only quasibinomial svyglm, interpolated as R's confint does."""
    lo = np.full(len(e.est), np.nan)
    hi = np.full(len(e.est), np.nan)
    for j, p in enumerate(e.est):
        n = e.n[j]
        if not (0 < p < 1) or n < 2 or not np.isfinite(se_beta[j]) or se_beta[j] <= 0:
            continue
        # dispersion = svyvar of the Pearson residuals (y - p)/sqrt(p(1-p)) (R's
        # residuals.svyglm divides the prior weights out): exactly n/(n-1) for a 0/1 outcome
        v = p * (1 - p)
        disp = n / (n - 1)
        b0 = math.log(p / (1 - p))

        def dev(beta: float, p=p, n=n) -> float:
            # log(expit(b)) = -log(1 + e^-b), log(1 - expit(b)) = -log(1 + e^b): no log(0) or
            # overflow when a small domain's wide profile steps far out (|b| > 37 or > 709)
            return 2 * n * (p * np.logaddexp(0.0, -beta) + (1 - p) * np.logaddexp(0.0, beta))

        dev0 = dev(b0)
        naive = 1 / (n * v)
        lam = se_beta[j] ** 2 / naive
        alpha = stats.norm.cdf(stats.t.ppf((1 - level) / 2, e.df[j]) * math.sqrt(lam)) / 2
        zmax = math.sqrt(stats.f.isf(alpha, 1, n - 1))
        if not math.isfinite(zmax):
            continue  # no profile to walk (alpha underflows to 0): the caller uses logit
        step_size = zmax / 5
        betas, zs = [b0], [0.0]
        for sgn in (-1, 1):
            step, z = 0, 0.0
            while True:
                step += 1
                if not (step < 10 and abs(z) < zmax):
                    break
                bi = b0 + sgn * step * step_size * se_beta[j]
                zz = (dev(bi) - dev0) / disp
                z = sgn * math.sqrt(max(zz, 0.0))
                betas.append(bi)
                zs.append(z)
        order = np.argsort(zs, kind="stable")
        bx = np.asarray(betas)[order]
        zy = np.asarray(zs)[order]
        sx, sy = _r_spline(bx, zy, 3 * len(bx))
        cut = stats.norm.ppf(2 * alpha)
        lo[j], hi[j] = _expit(_r_approx(sy, sx, np.array([cut, -cut])))
    return lo, hi


def _r_spline(x: np.ndarray, y: np.ndarray, nout: int) -> tuple[np.ndarray, np.ndarray]:
    """R's ``spline(x, y, n)`` with the default Forsythe–Malcolm–Moler end conditions."""
    o = np.argsort(x, kind="stable")
    x, y = np.asarray(x, float)[o], np.asarray(y, float)[o]
    n = len(x)
    b, c, d = np.zeros(n), np.zeros(n), np.zeros(n)
    if n < 3:
        t = (y[1] - y[0]) / (x[1] - x[0])
        b[:] = t
    else:
        nm1 = n - 1
        d[0] = x[1] - x[0]
        c[1] = (y[1] - y[0]) / d[0]
        for i in range(1, nm1):
            d[i] = x[i + 1] - x[i]
            b[i] = 2.0 * (d[i - 1] + d[i])
            c[i + 1] = (y[i + 1] - y[i]) / d[i]
            c[i] = c[i + 1] - c[i]
        b[0] = -d[0]
        b[nm1] = -d[nm1 - 1]
        c[0] = c[nm1] = 0.0
        if n > 3:
            c[0] = c[2] / (x[3] - x[1]) - c[1] / (x[2] - x[0])
            c[nm1] = c[nm1 - 1] / (x[nm1] - x[nm1 - 2]) - c[nm1 - 2] / (x[nm1 - 1] - x[nm1 - 3])
            c[0] = c[0] * d[0] * d[0] / (x[3] - x[0])
            c[nm1] = -c[nm1] * d[nm1 - 1] * d[nm1 - 1] / (x[nm1] - x[nm1 - 3])
        for i in range(1, n):
            t = d[i - 1] / b[i - 1]
            b[i] = b[i] - t * d[i - 1]
            c[i] = c[i] - t * c[i - 1]
        c[nm1] = c[nm1] / b[nm1]
        for i in range(nm1 - 1, -1, -1):
            c[i] = (c[i] - d[i] * c[i + 1]) / b[i]
        b[nm1] = (y[nm1] - y[nm1 - 1]) / d[nm1 - 1] + d[nm1 - 1] * (c[nm1 - 1] + 2.0 * c[nm1])
        for i in range(nm1):
            b[i] = (y[i + 1] - y[i]) / d[i] - d[i] * (c[i + 1] + 2.0 * c[i])
            d[i] = (c[i + 1] - c[i]) / d[i]
            c[i] = 3.0 * c[i]
        c[nm1] = 3.0 * c[nm1]
        d[nm1] = d[nm1 - 1]
    xout = np.linspace(x[0], x[-1], nout)
    i = np.clip(np.searchsorted(x, xout, side="right") - 1, 0, n - 1)
    dx = xout - x[i]
    yout = y[i] + dx * (b[i] + dx * (c[i] + dx * d[i]))
    return xout, yout


def _r_approx(x: np.ndarray, y: np.ndarray, xout: np.ndarray) -> np.ndarray:
    """R's ``approx(x, y, xout)`` (linear, ties averaged, NA outside the range)."""
    frame = pd.DataFrame({"x": x, "y": y}).groupby("x", sort=True)["y"].mean()
    xs, ys = frame.index.to_numpy(float), frame.to_numpy(float)
    out = np.interp(xout, xs, ys)
    return np.where((xout < xs[0]) | (xout > xs[-1]), np.nan, out)


# --------------------------------------------------------------------------------------------
# Assembling Results
# --------------------------------------------------------------------------------------------
def _labels_meta(survey: Survey, names: Sequence[str]) -> dict:
    labels: dict = {None: {}}
    for nm in names:
        if nm in survey.codebook.mr_sets:
            mr = survey.codebook.mr_sets[nm]
            labels[None][nm] = mr.label_in(None)
            for lang in mr.translations:
                labels.setdefault(lang, {})[nm] = mr.label_in(lang)
            continue
        var = survey.codebook.get(nm)
        labels[None][nm] = var.label_in(None)
        for lang in var.translations:
            labels.setdefault(lang, {})[nm] = var.label_in(lang)
    return labels


def _source_meta(survey: Survey) -> dict:
    src = survey.source
    return {"name": src.display_name, "year": src.year, "path": src.path, "sha256": src.sha256}


def _design_note(survey: Survey, design: dz.Design) -> str:
    if survey.design is None:
        if design.weight:
            return (f"weight '{design.weight}' (declared in the file); no strata or clusters: "
                    "each respondent a PSU; Taylor linearisation")
        return "unweighted: each respondent counts once (simple random sample)"
    return design.describe()


def _assemble(survey: Survey, design: dz.Design, blocks: list[tuple[_Block, _Est]],
              groups: _Groups, kind: str, ci: str, level: float, lo_hi: list, notes: list[dict],
              variables: list[str], extra_cols: list[dict] | None = None,
              meta: dict[str, Any] | None = None,
              fallback: list[np.ndarray] | None = None) -> Result:
    """The Result of ``blocks``; ``fallback`` (one mask per block) marks the rows whose interval
    is Clopper–Pearson on n_eff (column ``ci_clopper_pearson``, which scopes that note)."""
    rows = []
    cat_order: list[str] = []
    for bi, (block, e) in enumerate(blocks):
        lo, hi = lo_hi[bi]
        v = np.diag(e.var) if e.var.ndim == 2 else e.var
        for g, glab in enumerate(groups.labels):
            cols = slice(g * block.k, (g + 1) * block.k)
            if e.n[cols].sum() == 0:
                continue
            for j in range(block.k):
                c = g * block.k + j
                row = dict(zip(groups.by, glab, strict=True))
                row.update({
                    "variable": block.variables[j], "category": block.categories[j],
                    "estimate": e.est[c], "se": math.sqrt(max(v[c], 0)) if np.isfinite(v[c]) else np.nan,
                    "ci_low": lo[c], "ci_high": hi[c], "n": int(e.n[c]), "n_eff": e.neff[c],
                    "base": e.base[c], "suppressed": False, "reason": "",
                    "deff": e.deff[c], "df": e.df[c],
                })
                if extra_cols:
                    row.update({k: val[c] for k, val in extra_cols[bi].items()})
                if fallback is not None:
                    row[CP_COLUMN] = bool(fallback[bi][c])
                if e.n[c] == 0:
                    _not_asked(row)
                rows.append(row)
            for cat in block.categories:
                if cat not in cat_order:
                    cat_order.append(cat)
    frame = pd.DataFrame(rows)
    if frame.empty:
        who = f"with a weight above 0 (weight '{design.weight}')" if design.weight else ""
        raise DataError(f"No respondents {who + ' ' if who else ''}answered "
                        f"{', '.join(variables)}"
                        f"{' in any group of ' + ', '.join(groups.by) if groups.by else ''}.")
    for b in groups.by:
        frame[b] = pd.Categorical(frame[b], categories=groups.categories[b], ordered=True)
    frame["category"] = pd.Categorical(frame["category"], categories=cat_order, ordered=True)
    if frame["n"].notna().all():
        frame["n"] = frame["n"].astype("int64")
    value_labels: dict = {}
    for block, _ in blocks:
        for lang, table in block.translations.items():
            value_labels.setdefault(lang, {}).update(table)
    for lang, table in groups.translations.items():
        value_labels.setdefault(lang, {}).update(table)
    member_vars = [v for block, _ in blocks for v in block.variables]
    labels = _labels_meta(survey, list(dict.fromkeys(variables + member_vars + groups.by)))
    used = np.zeros(survey.n, dtype=bool)
    for block, _ in blocks:
        used |= block.answered
    used &= groups.code >= 0
    used &= np.nan_to_num(design._w) > 0
    result = Result.from_rows(
        frame, kind=kind, by=list(groups.by), variables=list(variables), labels=labels,
        value_labels=value_labels, weighted=bool(design.weight) or bool(design.calibrated),
        design=_design_note(survey, design), ci=ci, level=level, source=_source_meta(survey),
        n_total=int(used.sum()), notes=_unique(notes), **(meta or {}),
    )
    if fallback is not None:   # the Clopper–Pearson note speaks only of the rows it marks
        result.meta["row_notes"] = {CP_COLUMN: dict(NOTES["clopper_pearson"])}
    return _finish(result, survey)


_ROW_LABELS = ("variable", "category", "suppressed", "reason", "group_a", "group_b")


def _not_asked(row: dict[str, Any]) -> None:
    """Blank a row without a valid base (in place): an option of a multiple-response set, or a
    variable of a list, that nobody in this group was asked (TikTok in the 2015 wave). Such a
    row has no numbers at all — not a 0 % with an interval — and ``reason`` says why."""
    for key, value in row.items():
        if key not in _ROW_LABELS and isinstance(value, (int, float, np.number)) \
                and not isinstance(value, (bool, np.bool_)):
            row[key] = np.nan
    row["reason"] = NOT_ASKED


def _shown_names(result: Result) -> list[str]:
    """The columns a Result shows: its variables (members of a set too) and ``by`` variables."""
    names = list(result.meta.get("variables") or [])
    names += [str(v) for v in pd.unique(result["variable"].astype(object)) if v and pd.notna(v)]
    names += list(result.meta.get("by") or [])
    for key in ("row", "col", "compared_by"):
        if result.meta.get(key):
            names.append(str(result.meta[key]))
    return list(dict.fromkeys(names))


def _finish(result: Result, survey: Survey) -> Result:
    """The one exit every estimator's Result passes through: the privacy rules.

    An identifying column (a name, e-mail address, open answer ... — see
    :func:`youthmedia.privacy.refuse_identifying`) used as a variable or ``by`` raises
    ``DisclosureError``; estimates on too few respondents are suppressed
    (:func:`youthmedia.privacy.suppress`, thresholds from :func:`youthmedia.privacy.thresholds`:
    ``n < 10`` hidden, ``n < 30`` flagged indicative by default).
    """
    privacy.refuse_identifying(survey, _shown_names(result))
    return privacy.suppress(result)


# --------------------------------------------------------------------------------------------
# Public estimators
# --------------------------------------------------------------------------------------------
def _check_ci(ci: str) -> str:
    if ci not in CI_METHODS:
        raise ConfigError(f"ci={ci!r} is not one of {', '.join(CI_METHODS)}.")
    return ci


def _nonempty(survey: Survey, block: _Block) -> None:
    answered = block.answered
    if not answered.any():
        raise DataError(f"Variable '{block.name}' has no answers in "
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
    out, cis, notes, edges = [], [], [], []
    for block in blocks:
        _nonempty(survey, block)
        e = _compute(survey, design, block, groups, ratio=True)
        lo, hi, nt, edge = _share_ci(ci, e, level, design)
        out.append((block, e))
        cis.append((lo, hi))
        edges.append(edge)
        notes += nt
    return _assemble(survey, design, out, groups, "share", ci, level, cis, notes,
                     _names(variables), fallback=edges)


def _t_ci(e: _Est, level: float) -> tuple[np.ndarray, np.ndarray]:
    v = np.diag(e.var) if e.var.ndim == 2 else e.var
    se = np.sqrt(np.maximum(v, 0))
    q = _q(level, e.df)
    return e.est - q * se, e.est + q * se


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
        if not block.d[:, j].any():
            raise DataError(f"Variable '{nm}' has no answers in "
                            f"{survey.source.path or 'this survey'} (all values missing).")
    e = _compute(survey, design, block, groups, ratio=True)
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
        e = _compute(survey, design, block, groups, ratio=False)
        out.append((block, e))
        cis.append(_t_ci(e, level))
    return _assemble(survey, design, out, groups, "total", "t", level, cis, [], names)


# --------------------------------------------------------------------------------------------
# Differences
# --------------------------------------------------------------------------------------------
def _group_index(groups: _Groups, value: Any, by: str, survey: Survey) -> int:
    cats = groups.categories[by]
    if str(value) in cats:
        return cats.index(str(value))
    var = survey.codebook.get(by)
    for code, lab in var.value_labels.items():
        if _same_code(code, value):
            if str(lab) in cats:
                return cats.index(str(lab))
    try:
        fv = float(value)
        for i, c in enumerate(cats):
            if _as_float(c) == fv:
                return i
    except (TypeError, ValueError):
        pass
    raise ConfigError(f"Group {value!r} is not a category of '{by}'; categories: {', '.join(cats)}.")


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
    design = dz.effective_design(survey)
    grp = _groups(survey, by)
    if groups is None:
        if len(grp.categories[by]) != 2:
            raise ConfigError(f"'{by}' has {len(grp.categories[by])} categories; say which two to "
                              "compare with groups=(a, b).")
        ia, ib = 0, 1
    else:
        if len(groups) != 2:
            raise ConfigError("groups must name exactly two groups: groups=(a, b).")
        ia, ib = (_group_index(grp, g, by, survey) for g in groups)
    if statistic not in ("auto", "share", "mean"):
        raise ConfigError("statistic must be 'auto', 'share' or 'mean'.")
    names = _names(variable)
    if statistic == "auto":
        statistic = "share"
        if len(names) == 1 and names[0] in survey.data.columns:
            col = survey.data[names[0]]
            vals = _numeric_codes(survey, names[0])
            if (pd.api.types.is_numeric_dtype(col.dtype) and not isinstance(col.dtype, pd.CategoricalDtype)
                    and vals is not None and not _is_binary(vals)):
                statistic = "mean"
    if statistic == "mean":
        for nm in names:
            _require(survey, nm)
        blocks = [_numeric_block(survey, names)]
    else:
        blocks = _share_blocks(survey, variable)
    two = _Groups([by], np.where(grp.code == ia, 0, np.where(grp.code == ib, 1, -1)),
                  [(grp.categories[by][ia],), (grp.categories[by][ib],)], grp.categories, grp.translations)
    rows = []
    cat_order: list[str] = []
    value_labels: dict = {}
    la, lb = grp.categories[by][ia], grp.categories[by][ib]
    for block in blocks:
        _nonempty(survey, block)
        e = _compute(survey, design, block, two, ratio=True, full=not design.is_replicate)
        k = block.k
        for lab, nn in ((la, e.n[:k]), (lb, e.n[k:])):
            if not np.any(nn > 0):
                raise DataError(f"No respondent in group {lab!r} of '{by}' answered "
                                f"'{block.name}'; choose groups that both have answers.")
        ea, eb = e.est[:k], e.est[k:]
        diff = eb - ea
        if design.is_replicate:
            td = e.thetas[:, k:] - e.thetas[:, :k]
            var = dz._rep_var(design, td, diff, False)
        else:
            V = e.var
            var = np.array([V[k + j, k + j] + V[j, j] - 2 * V[j, k + j] for j in range(k)])
        se = np.sqrt(np.maximum(var, 0))
        df = np.full(k, design.degf)
        q = _q(level, df)
        with np.errstate(invalid="ignore", divide="ignore"):
            tval = diff / se
        p = 2 * stats.t.sf(np.abs(tval), np.maximum(df, 1))
        for j in range(k):
            if e.n[j] == 0 or e.n[k + j] == 0:
                # one of the two groups was not asked this option: there is no difference
                rows.append({
                    "variable": block.variables[j], "category": block.categories[j],
                    "estimate": np.nan, "se": np.nan, "ci_low": np.nan, "ci_high": np.nan,
                    "n": int(e.n[j] + e.n[k + j]), "n_eff": np.nan, "base": np.nan,
                    "suppressed": False, "reason": NOT_ASKED, "group_a": la, "group_b": lb,
                    "estimate_a": ea[j], "estimate_b": eb[j], "n_a": int(e.n[j]),
                    "n_b": int(e.n[k + j]), "t": np.nan, "p": np.nan, "df": np.nan,
                })
                continue
            rows.append({
                "variable": block.variables[j], "category": block.categories[j],
                "estimate": diff[j], "se": se[j], "ci_low": diff[j] - q[j] * se[j],
                "ci_high": diff[j] + q[j] * se[j], "n": int(e.n[j] + e.n[k + j]),
                "n_eff": e.neff[j] + e.neff[k + j], "base": e.base[j] + e.base[k + j],
                "suppressed": False, "reason": "", "group_a": la, "group_b": lb,
                "estimate_a": ea[j], "estimate_b": eb[j], "n_a": int(e.n[j]), "n_b": int(e.n[k + j]),
                "t": tval[j], "p": p[j], "df": df[j],
            })
        for cat in block.categories:
            if cat not in cat_order:
                cat_order.append(cat)
        for lang, table in block.translations.items():
            value_labels.setdefault(lang, {}).update(table)
    frame = pd.DataFrame(rows)
    frame["category"] = pd.Categorical(frame["category"], categories=cat_order, ordered=True)
    member_vars = [v for b in blocks for v in b.variables]
    result = Result.from_rows(
        frame, kind="difference", by=[], variables=names,
        labels=_labels_meta(survey, list(dict.fromkeys(names + member_vars + [by]))),
        value_labels=value_labels, weighted=bool(design.weight), design=_design_note(survey, design),
        ci="t", level=level, source=_source_meta(survey), n_total=int(frame["n"].max()),
        percent=statistic == "share", groups=(la, lb), compared_by=by,
        notes=[_difference_note(grp, by, la, lb, statistic == "share")],
    )
    return _finish(result, survey)


# --------------------------------------------------------------------------------------------
# Crosstabs and the Rao–Scott test
# --------------------------------------------------------------------------------------------
def _cell_codes(survey: Survey, row: str, col: str):
    rb = _categorical_block(survey, row)
    cb = _categorical_block(survey, col)
    rc, cc = rb.codes, cb.codes
    return rb, cb, rc, cc


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
        scaled to the sample size (as R reports it) and ``p`` uses X² divided by the mean
        generalised design effect on ``df`` degrees of freedom.

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
    if statistic not in ("F", "Chisq"):
        raise ConfigError("statistic must be 'F' (second-order Rao–Scott) or 'Chisq' (first-order).")
    survey.require(row, col)
    privacy.refuse_identifying(survey, [row, col], "a test of independence")
    design = dz.effective_design(survey)
    rb, cb, rc, cc = _cell_codes(survey, row, col)
    return _chisq(survey, design, row, col, rb.k, cb.k, rc, cc, statistic)


def _chisq(survey: Survey, design: dz.Design, row: str, col: str, kr: int, kc: int,
           rc: np.ndarray, cc: np.ndarray, statistic: str) -> ChisqResult:
    """The Rao–Scott test from the two variables' category codes (``kr``, ``kc`` categories;
    -1 = not answered)."""
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
    e = _compute(survey, design, block, one, ratio=True, full=True)
    p = e.est
    V = e.var
    N = float(np.sum(both))
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
                           name="F", pearson=pearson, mean_deff=tr / Delta.shape[0],
                           row=row, col=col, n=int(N))
    dfree = Delta.shape[0]
    pval = float(stats.chi2.sf(pearson / (tr / dfree), dfree))
    return ChisqResult(statistic=pearson, p=pval, ndf=None, ddf=None, df=float(dfree),
                       method="Pearson's X² with Rao & Scott's first-order adjustment",
                       name="X-squared", pearson=pearson, mean_deff=tr / dfree,
                       row=row, col=col, n=int(N))


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
    is blanked on its own (``meta["bases"]``, see :func:`youthmedia.privacy.suppress`).

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
    result.meta.update({"row": row, "col": col, "percent": percent})
    return result


def _crosstab(survey: Survey, row: str, col: str, ci: str, level: float, statistic: str,
              total: bool) -> Result:
    """``col`` within each category of ``row`` (or, with ``total``, each cell of the whole)."""
    design = dz.effective_design(survey)
    rb, cb, rc, cc = _cell_codes(survey, row, col)
    both = (rc >= 0) & (cc >= 0)
    if not both.any():
        raise DataError(f"No respondent answered both '{row}' and '{col}'.")
    R_, C_ = rb.k, cb.k
    # the test first, while few row-length arrays are alive (its error becomes a note below)
    try:
        test, test_error = _chisq(survey, design, row, col, R_, C_, rc, cc, statistic), None
    except DataError as exc:
        test, test_error = None, exc
    # col within row groups (a group code of -1 leaves out the rows that did not answer both,
    # so the blocks need no restricted copies)
    rgroups = _groups(survey, row)
    rgroups.code = np.where(both, rgroups.code, -1)
    e_row = _compute(survey, design, cb, rgroups, ratio=True)
    rgroups.memo.clear()
    # row within col groups (reordered to row-major cells)
    cgroups = _Groups([col], np.where(both, cc, -1), [(c,) for c in cb.categories],
                      {col: cb.categories}, {})
    e_col = _compute(survey, design, rb, cgroups, ratio=True)
    del cgroups
    # cells: share of all and weighted counts
    K = R_ * C_
    cell = np.where(both, rc * C_ + cc, -1)
    kblock = _Block("cells", None, None, ["c"] * K, [""] * K, "categorical", {}, cell)
    one = _Groups([], np.zeros(survey.n, dtype=np.int64), [()], {}, {})
    e_cell = _compute(survey, design, kblock, one, ratio=True)
    e_count = _compute(survey, design, kblock, one, ratio=False)
    main = e_cell if total else e_row
    lo, hi, notes, edge = _share_ci(ci, main, level, design)
    # e_col is (col group, row cat) ordered; map to (row, col)
    idx_col = np.array([c * R_ + r for r in range(R_) for c in range(C_)])

    def _se(x):
        return np.sqrt(np.maximum(np.diag(x.var) if x.var.ndim == 2 else x.var, 0))

    counted = both & (np.nan_to_num(design._w) > 0)
    col_n = np.bincount(cc[counted], minlength=C_)          # respondents per column
    extra = {
        "count": e_count.est, "count_se": _se(e_count),
        "cell_n": np.bincount(cell[counted], minlength=K),   # respondents per cell
        "col_pct": e_col.est[idx_col], "col_pct_se": _se(e_col)[idx_col],
        "col_n": np.tile(col_n, R_),                        # cell r·C + c -> column c
        "cell_pct": e_cell.est, "cell_pct_se": _se(e_cell),
    }
    bases = {"col_pct": "col_n", "col_pct_se": "col_n"}
    del kblock, one, cell
    result = _assemble(survey, design, [(cb, main)], rgroups, "crosstab", ci, level,
                       [(lo, hi)], notes, [col], extra_cols=[extra], meta={"bases": bases},
                       fallback=[edge])
    result.test = test
    if test_error is not None:
        single = row if len(np.unique(rc[both])) < 2 else col
        result.meta["notes"].append({
            "nl": f"Geen toets op onafhankelijkheid: '{single}' heeft maar één categorie bij wie "
                  f"zowel '{row}' als '{col}' beantwoordde.",
            "en": f"No test of independence: {test_error}",
        })
    return result
