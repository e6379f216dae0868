"""Quantiles, ratios, variances, t-tests and linear contrasts as R's survey computes them: a
Result as :func:`youthmedia.estimate.mean`'s, variances from :func:`youthmedia.design.vcov`;
two groups compared: :func:`compare` in one sentence for workshops, and :func:`pair_test`,
the design-based test of two domain estimates behind the headlines' group comparisons."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from . import blocks as bl
from . import design as dz
from . import estimate, i18n
from . import intervals as iv
from .errors import ConfigError, DataError
from .intervals import _check_level, _q
from .io.answers import YES
from .result import Result
from .scales import as_yes_no, definition_note, with_columns
from .survey import Survey

__all__ = ["compare", "contrast", "pair_test", "quantile", "ratio", "ttest", "var"]
By = str | Sequence[str] | None


def _values(survey: Survey, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Who answered a numeric variable and its values (0 where missing; labelled: its codes)."""
    block = bl._numeric_block(survey, [name])
    return block.d[:, 0] > 0, block.u[:, 0]


def _masks(survey: Survey, by, ok: np.ndarray) -> tuple[bl._Groups, list[np.ndarray]]:
    """The by-groups and each one's rows with ``ok``."""
    grp = bl._groups(survey, by)
    return grp, [(grp.code == g) & ok for g in range(grp.G)]


def _columns(values, masks: list[np.ndarray]) -> sp.csc_matrix:
    """rows × m sparse: ``values[j]`` (or ``values``) on the rows of ``masks[j]``, else 0."""
    values = [values] * len(masks) if isinstance(values, np.ndarray) else values
    idx = [np.flatnonzero(m) for m in masks]
    data = np.concatenate([v[i] for v, i in zip(values, idx, strict=True)])
    indptr = np.concatenate([[0], np.cumsum([len(i) for i in idx])])
    return sp.csc_matrix((data, np.concatenate(idx), indptr), shape=(len(masks[0]), len(idx)))


def _ratio_stats(survey: Survey, a: sp.csc_matrix, b: sp.csc_matrix) -> tuple:
    """Σ w a_j / Σ w b_j per column and their covariance, as R's ``svyratio``."""
    w = np.nan_to_num(dz.weights(survey))
    with np.errstate(invalid="ignore", divide="ignore"):
        den = b.T @ w
        est = np.where(den != 0, (a.T @ w) / den, np.nan)
    if dz.effective_design(survey).is_replicate:
        rep = dz.replicate_weights(survey)
        with np.errstate(invalid="ignore", divide="ignore"):
            rb = np.asarray(b.T @ rep).T
            thetas = np.where(rb != 0, np.asarray(a.T @ rep).T / rb, np.nan)
        return est, dz.replicate_vcov(survey, thetas, est)
    scale = sp.diags(1.0 / np.where(den != 0, den, 1.0))
    Z = sp.diags(w) @ (a - b @ sp.diags(np.nan_to_num(est))) @ scale
    return est, dz.vcov(survey, Z.tocsr())


def _result(survey, grp, ok, est, V, kind, name, variables, level, cats=("",), df=None, **extra):
    """The Result of ``est`` (per group, one per ``cats``), ``V``; n, df ... of the rows ``ok``."""
    _check_level(level)
    design, k = dz.effective_design(survey), len(cats)
    block = bl._values_block(name, [ok * 1.0] * k, [ok] * k, [name] * k, list(cats), {})
    (e,) = bl._compute(survey, design, [block], grp)
    e.est, e.var, e.deff, e.df = est, V, np.full(len(est), np.nan), e.df if df is None else df
    ci = "woodruff" if kind == "quantile" else "t"
    return bl._assemble(survey, design, [block], [e], grp, kind, ci, level, variables, extra)


def ratio(
    survey: Survey, numerator: str, denominator: str, by: By = None, level: float = 0.95
) -> Result:
    """The ratio Σ w y / Σ w x among those who answered both (R's ``svyratio``), t interval.

    Examples
    --------
    >>> import pandas as pd
    >>> s = Survey(pd.DataFrame({"y": [2.0, 4.0] * 10, "x": [1.0, 1.0] * 10}))
    >>> float(ratio(s, "y", "x").loc[0, "estimate"])       # 60 / 20
    3.0
    """
    (oky, y), (okx, x) = _values(survey, numerator), _values(survey, denominator)
    both = oky & okx
    grp, masks = _masks(survey, by, both)
    est, V = _ratio_stats(survey, _columns(y, masks), _columns(x, masks))
    name = f"{numerator}/{denominator}"
    return _result(survey, grp, both, est, V, "ratio", name, [numerator, denominator], level)


def var(survey: Survey, variable: str, by: By = None, level: float = 0.95) -> Result:
    """The population variance Σ w (y − ȳ)² / Σ w × n/(n − 1) of a numeric variable, its SE that
    of the mean of (y − ȳ)² n/(n − 1) (R's ``svyvar``: n the domain's rows weighted above 0).

    Examples
    --------
    >>> import pandas as pd
    >>> s = Survey(pd.DataFrame({"y": [1.0, 2.0, 3.0, 4.0] * 5}))
    >>> round(float(var(s, "y").loc[0, "estimate"]), 6)      # 1.25 × 20/19
    1.315789
    """
    ok, yy = _values(survey, variable)
    rep = dz.effective_design(survey).is_replicate
    w = np.nan_to_num(dz.weights(survey))
    grp, masks = _masks(survey, by, ok)
    a_cols = []
    for g, r in enumerate(masks):
        n = r.sum() if rep else ((grp.code == g) & (w != 0)).sum()
        with np.errstate(invalid="ignore", divide="ignore"):
            a_cols.append((yy - np.sum(w[r] * yy[r]) / np.sum(w[r])) ** 2 * n / (n - 1))
    b = _columns(np.ones(len(yy)), masks)
    est, V = _ratio_stats(survey, _columns(a_cols, masks), b)
    if rep:  # R's svyvar.svyrep.design: the mean again in each replicate
        nn, rw = np.array([r.sum() for r in masks], dtype=float), dz.replicate_weights(survey)
        y1, y2 = _columns(yy, masks), _columns(yy * yy, masks)
        with np.errstate(invalid="ignore", divide="ignore"):
            s0, s1, s2 = (np.asarray(m.T @ rw).T for m in (b, y1, y2))  # one copy of the weights
            thetas = (s2 / s0 - (s1 / s0) ** 2) * nn / (nn - 1)
        V = dz.replicate_vcov(survey, thetas, est)
    return _result(survey, grp, ok, est, V, "variance", variable, [variable], level)


def _qrule_math(x: np.ndarray, w: np.ndarray, p: float) -> float:
    """R's ``qrule_math``: the smallest x whose weighted CDF reaches p."""
    x, w = x[w != 0], w[w != 0]
    order = np.argsort(x, kind="stable")
    # R's cumsum and sum add in long double and round each result to double: the same here,
    # so that a cumulative weight hits p·Σw exactly where R's does
    xs, cw = x[order], np.cumsum(w[order].astype(np.longdouble)).astype(float)
    hit = np.flatnonzero(cw <= p * cw[-1])
    pos = int(hit[-1]) if hit.size else 0  # R's last(): 1 (here 0) when none
    return float(xs[pos] if p - cw[pos] / cw[-1] == 0 else xs[min(pos + 1, len(xs) - 1)])


def quantile(
    survey: Survey,
    variable: str,
    q: float | Sequence[float] = 0.5,
    by: By = None,
    level: float = 0.95,
) -> Result:
    """Weighted quantiles ``q`` (R's ``svyquantile``, ``qrule = "math"``) with Woodruff's
    interval (``se`` its width / 2t); a row per group and quantile (``q``).

    Examples
    --------
    >>> import pandas as pd
    >>> s = Survey(pd.DataFrame({"hours": [0.5, 1.0, 2.0, 3.0, 8.0] * 6}))
    >>> quantile(s, "hours", q=[0.25, 0.5])["estimate"].tolist()
    [1.0, 2.0]
    """
    _check_level(level)
    qs = [float(p) for p in ([q] if np.isscalar(q) else q)]
    if not qs or any(not 0 <= p <= 1 for p in qs):
        raise ConfigError(f"q={q!r}: give quantiles between 0 and 1 (e.g. q=0.5 for the median).")
    ok, yy = _values(survey, variable)
    w = np.nan_to_num(dz.weights(survey))
    grp, rows = _masks(survey, by, ok & (w > 0))
    masks, ps = [r for r in rows for _ in qs], qs * grp.G
    qhat = [_qrule_math(yy[r], w[r], p) if r.any() else np.nan for r, p in zip(masks, ps, strict=True)]  # fmt: skip
    below = [(yy <= qh).astype(float) for qh in qhat]
    pm, V = _ratio_stats(survey, _columns(below, masks), _columns(np.ones(len(yy)), masks))
    df = np.array([dz.degf(survey, rows=r) for r in masks])
    t, pse = _q(level, df), np.sqrt(np.maximum(np.diag(V), 0))
    lo, hi = np.full(len(masks), np.nan), np.full(len(masks), np.nan)
    for j, r in enumerate(masks):  # Woodruff: the interval of the CDF, turned back into values
        plo, phi = pm[j] - t[j] * pse[j], pm[j] + t[j] * pse[j]
        lo[j] = np.nan if plo < 0 or not r.any() else _qrule_math(yy[r], w[r], plo)
        hi[j] = np.nan if phi > 1 or not r.any() else _qrule_math(yy[r], w[r], phi)
    cats, extra = [f"{p:g}" for p in qs], dict(ci_low=lo, ci_high=hi, se=(hi - lo) / (2 * t), q=ps)
    return _result(survey, grp, ok & (w > 0), np.array(qhat), np.diag(V), "quantile", variable, [variable], level, cats, df, **extra)  # fmt: skip


def ttest(survey: Survey, variable: str, group: str | None = None, level: float = 0.95) -> Result:
    """Design-based t-test (R's ``svyttest``) of the means of ``group``'s two categories
    (second − first), or of the mean against 0: one row with ``statistic``, ``df``, ``p``.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"y": [1.0, 2.0, 3.0, 5.0] * 6, "g": ["a", "a", "b", "b"] * 6})
    >>> float(ttest(Survey(d), "y", "g").loc[0, "estimate"])     # 4 − 1.5
    2.5
    """
    ok, yy = _values(survey, variable)
    masks, label, c = [ok], "mean", np.array([1.0])
    if group is not None:
        grp, masks = _masks(survey, group, ok)
        keep = [g for g, m in enumerate(masks) if m.any()]
        if len(keep) != 2:
            raise DataError(
                f"ttest needs a group with exactly two categories among those who "
                f"answered '{variable}'; '{group}' has {len(keep)}."
            )
        masks, c = [masks[g] for g in keep], np.array([-1.0, 1.0])
        label = f"{grp.labels[keep[1]][0]} − {grp.labels[keep[0]][0]}"
    est, V = _ratio_stats(survey, _columns(yy, masks), _columns(np.ones(len(yy)), masks))
    used = np.logical_or.reduce(masks)
    diff, var_, df = c @ est, np.array([[c @ V @ c]]), dz.degf(survey, rows=used) - 1
    t, p = iv.t_test(diff, np.sqrt(max(var_[0, 0], 0.0)), df)
    return _result(survey, bl._one(survey), used, np.array([diff]), var_, "ttest", variable, [variable, *filter(None, [group])], level, [label], np.array([df]), statistic=[t], p=[p])  # fmt: skip


def row_vcov(result: Result) -> np.ndarray | None:
    """``meta.vcov`` in the Result's row order; None where it has none or rows changed."""
    V, keys = result.meta.vcov, bl.row_keys(result)
    if isinstance(V, pd.DataFrame) and set(keys) <= set(V.index) and len(set(keys)) == len(keys):
        return V.loc[keys, keys].to_numpy(dtype=float)
    return None


def _coefficients(result: Result, weights: Mapping[Any, float] | Sequence[float]) -> np.ndarray:
    m = len(result)
    if not isinstance(weights, Mapping):
        c = np.asarray(list(weights), dtype=float)
        if c.shape != (m,):
            raise ConfigError(f"contrast weights: give {m} numbers (one per row), or a dict.")
        return c
    keys, c = [tuple(k.split(" | ")) for k in bl.row_keys(result)], np.zeros(m)
    for k, v in weights.items():
        want = tuple(map(str, k)) if isinstance(k, tuple) else (str(k),)
        one = len(want) == 1
        hits = [
            i for i, key in enumerate(keys) if key[: len(want)] == want or one and want[0] in key
        ]
        if len(hits) != 1:
            raise ConfigError(
                f"contrast weight {k!r} matches {len(hits)} rows of the Result; name one row by "
                "its group label, variable or category (or a tuple of them), or give one number "
                "per row."
            )
        c[hits[0]] = float(v)
    return c


def contrast(
    result: Result, weights: Mapping[Any, float] | Sequence[float], level: float = 0.95
) -> Result:
    """Σ c_i θ_i of a Result's estimates (R's ``svycontrast``); ``weights``: one per row, or
    ``{row: c}`` naming a row by its group label, variable or category (or a tuple).

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.estimate import mean
    >>> d = pd.DataFrame({"y": [1.0, 2.0, 4.0, 6.0] * 5, "g": ["a", "a", "b", "b"] * 5})
    >>> float(contrast(mean(Survey(d), "y", by="g"), {"b": 1, "a": -1}).loc[0, "estimate"])
    3.5
    """
    _check_level(level)
    if (V := row_vcov(result)) is None:
        raise ConfigError(
            f"This Result does not carry the covariance of its rows (a {result.meta.kind} result,"
            " more than 100 estimates, or rows changed since); contrast works on mean, share, "
            "total, ratio and var results as the estimator returned them."
        )
    c, keys = _coefficients(result, weights), bl.row_keys(result)
    used, est = c != 0, result["estimate"].to_numpy(dtype=float)
    if np.isnan(est[used]).any() or result["suppressed"].to_numpy(dtype=bool)[used].any():
        raise DataError(
            "A row in the contrast is suppressed (too few respondents) or has no estimate; leave "
            "it out of the weights."
        )
    value = float(c[used] @ est[used])
    se = float(np.sqrt(max(c[used] @ V[np.ix_(used, used)] @ c[used], 0.0)))
    df = float(np.nanmin(result["df"].to_numpy(dtype=float)[used])) if "df" in result else np.inf
    label = " ".join(
        f"{'+' if v > 0 else '−'}{abs(v):g}×{'/'.join(k for k in keys[i].split(' | ') if k)}"
        for i, v in enumerate(c)
        if v
    )
    n = int(np.nanmin(result["n"].to_numpy(dtype=float)[used]))
    q = float(_q(level, np.array(df)))
    row = dict(variable="contrast", category=label, estimate=value, se=se, n=n, df=df)
    row |= dict(ci_low=value - q * se, ci_high=value + q * se)
    out = Result.from_rows([row], result.meta, kind="contrast", by=[], level=level, privacy={})
    k = bl.row_keys(out)
    return out.with_meta(vcov=pd.DataFrame([[se * se]], index=k, columns=k))


def _text(value: Any) -> str:
    return "" if pd.isna(value) else str(value)


def _row_coefficients(result: Result, row: Any, lang: str | None) -> np.ndarray | None:
    """1 on the Result rows that make up ``row`` (group, variable, ``cells`` or category)."""
    frame = pd.DataFrame(result)
    by = [b for b in result.by if b in frame.columns]
    try:
        groups = tuple(row["groups"]) if "groups" in row else tuple(_text(row[b]) for b in by)
        cells = row.get("cells")
        cells = {*map(_text, cells if isinstance(cells, list | tuple) else [row["category"]])}
        variable = _text(row["variable"])
    except KeyError:
        return None
    hit = np.zeros(len(frame))
    for i, r in enumerate(frame[by + ["variable", "category"]].itertuples(index=False)):
        names = {
            tuple(result.category_label(b, _text(v), lg) for b, v in zip(by, r, strict=False))
            for lg in {lang, None}
        }
        hit[i] = _text(r[-2]) == variable and _text(r[-1]) in cells and groups in names
    return hit if hit.any() else None


def pair_test(
    result: Result, a: Any, b: Any, lang: str | None = None
) -> tuple[float, float, float]:
    """a − b of two rows (of ``result`` or its plot table) with design SE and p, as R's
    ``svycontrast(svyby(..., covmat = TRUE), c(1, -1))``; without ``meta.vcov``: z.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"y": [1.0, 2.0, 4.0, 6.0] * 5, "g": ["a", "a", "b", "b"] * 5})
    >>> r = estimate.mean(Survey(d), "y", by="g")
    >>> est, se, p = pair_test(r, r.iloc[1], r.iloc[0])
    >>> round(est, 2), p < 0.001
    (3.5, True)
    """
    ca, cb, V = (
        _row_coefficients(result, a, lang),
        _row_coefficients(result, b, lang),
        row_vcov(result),
    )
    if ca is None or cb is None or V is None:
        if not all(k in r for r in (a, b) for k in ("estimate", "se")):
            raise ConfigError(
                "pair_test needs two rows of the Result (or of its plot table), or rows with "
                "their own estimate and se."
            )
        d, se, df = float(a["estimate"] - b["estimate"]), math.hypot(a["se"], b["se"]), math.inf
    else:
        c = ca - cb
        used = c != 0
        d = float(c[used] @ result["estimate"].to_numpy(dtype=float)[used])
        se = math.sqrt(max(float(c[used] @ V[np.ix_(used, used)] @ c[used]), 0.0))
        dfs = result["df"] if "df" in result else pd.Series([np.nan])
        df = float(np.nanmax(dfs)) if dfs.notna().any() else math.inf
    return d, se, 1.0 if se == 0 and d == 0 else float(iv.t_test(d, se, df)[1])


def compare(
    survey: Survey,
    outcome: str,
    by: str,
    groups: tuple[Any, Any] | list[Any] | None = None,
    lang: str = "nl",
    *,
    category: Any = None,
    level: float = 0.95,
    names: dict[Any, Any] | None = None,
    what: str | dict[str, str] | None = None,
) -> Result:
    """Compare two groups on a yes/no outcome (a share) or a number (a mean), in one sentence.

    Parameters
    ----------
    survey : Survey
    outcome : str
        A two-category labelled variable (its second category, or ``category``), 0/1 or numbers.
    by : str
    groups : (first, second), optional
        Labels or codes; the difference is first − second.
    lang, category, level, names, what : optional
        The language, counted category (or list), level, and names of the groups and outcome.

    Returns
    -------
    Result
        Both groups and first − second (t, df, p); ``meta.sentence`` ("clear" when the CI
        excludes 0, an association, never a cause) and ``.test``.

    Examples
    --------
    >>> import pandas as pd
    >>> s = Survey(pd.DataFrame({"y": [1, 0, 1, 0, 1, 1, 0, 0] * 3, "g": list("aaaabbbb") * 3}))
    >>> compare(s, "y", "g", lang="en").meta.sentence.startswith("There is no clear difference")
    True
    """
    lang = i18n.check_lang(lang)
    survey.require(outcome, by)
    if outcome == by:
        raise ConfigError(f"outcome and by are both {outcome!r}; compare two different variables.")
    work, kind, counted = _compare_outcome(survey, outcome, category)
    g1, g2 = estimate._which_two(work, bl._groups(work, by), by, groups)  # first − second
    d = estimate.difference(work, outcome, by, groups=(g2, g1), statistic=kind, level=level).iloc[0]
    per = (estimate.share if kind == "share" else estimate.mean)(work, outcome, by=by, level=level)
    cols = ["estimate", "se", "ci_low", "ci_high", "n", "n_eff", "base", "df"]
    rows = [per[(per[by] == g) & (per["variable"] == outcome)].iloc[0][cols].to_dict() | {by: g} for g in (g1, g2)]  # fmt: skip
    rows.append(d[cols].to_dict() | {by: f"{g1} − {g2}", "statistic": float(d["t"]), "p": d["p"]})
    rows = [r | {"variable": outcome, "category": counted or ""} for r in rows]
    lo, hi, est = float(d["ci_low"]), float(d["ci_high"]), [r["estimate"] for r in rows]
    clear, texts = not lo <= 0 <= hi, {}
    for lg in i18n.LANGS:
        n1, n2 = (_group_name(survey, by, g, names, lg) for g in (g1, g2))
        texts[lg] = _sentence(kind, _what(survey, outcome, counted, what, lg), n1, n2, est, lo, hi, clear, level, lg)  # fmt: skip
    df, p = float(d["df"]), float(d["p"])
    defined = {lg: definition_note(survey, outcome, lg) for lg in i18n.LANGS}  # published one
    test = {lg: i18n.t("cmp_test", lg, label=rows[-1][by], df=f"{df:g}", p=i18n.number(p, lg, 3)) for lg in i18n.LANGS}  # fmt: skip
    out = Result.from_rows(
        rows, per.meta, kind="difference", by=[by], percent=kind == "share",
        ci=i18n.both("ci_compare" if kind == "share" else "ci_t"), n_total=int(d["n"]),
        notes=[defined, test] if defined["en"] else [test], row_notes={}, vcov=None,
        sentence=texts[lang], sentences=texts, measure=kind
    )  # fmt: skip
    out.test = {
        "method": "t test of the difference (design-based, as svycontrast)",
        "statistic": float(d["t"]), "df": df, "p": p, "difference": float(d["estimate"]),
        "ci_low": lo, "ci_high": hi, "clear": clear
    }  # fmt: skip
    return out


def _compare_outcome(survey: Survey, outcome: str, category: Any) -> tuple[Survey, str, Any]:
    """The survey with the outcome as 0/1 or numbers, the kind and the counted category."""
    col = survey.data[outcome]
    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = list(col.cat.categories)
        if category is None and len(cats) != 2:
            raise ConfigError(
                f"{outcome!r} has {len(cats)} categories ({', '.join(map(str, cats))}); say "
                f"which one to compare with category=..., e.g. category={cats[-1]!r}."
            )
        chosen = [cats[1]] if category is None else list(category) if isinstance(category, list | tuple | set) else [category]  # fmt: skip
        if unknown := [c for c in chosen if c not in cats]:
            raise ConfigError(
                f"category {unknown[0]!r} is not a category of {outcome!r}; "
                f"its categories: {', '.join(map(str, cats))}."
            )
        y = col.isin(chosen).astype(float).where(col.notna()).to_numpy(dtype=float)
        work = with_columns(survey, {outcome: (y, as_yes_no(survey, outcome))})
        return work, "share", " / ".join(map(str, chosen))
    if category is not None:
        raise ConfigError(f"{outcome!r} has no value labels; category= applies to labelled variables only.")  # fmt: skip
    if not pd.api.types.is_numeric_dtype(col):
        raise ConfigError(f"{outcome!r} is neither labelled nor numeric (dtype {col.dtype}).")
    y = col.to_numpy(dtype=float, na_value=np.nan)
    return survey, ("share" if set(np.unique(y[~np.isnan(y)])) <= {0.0, 1.0} else "mean"), None


def _group_name(survey: Survey, by: str, group: Any, names: dict | None, lang: str) -> str:
    if names and lang in names and isinstance(names[lang], dict):
        names = names[lang]
    if names and group in names and isinstance(names[group], str):
        return names[group]
    return f"‘{survey.codebook.get(by).value_label_in(group, lang)}’"


def _what(survey: Survey, outcome: str, counted: Any, what, lang: str) -> str:
    what = what.get(lang) if isinstance(what, dict) else what
    if what:
        return what
    if counted is not None and str(counted).strip().lower() not in YES:
        var = survey.codebook.get(outcome)
        levels = [str(var.value_label_in(c, lang)) for c in str(counted).split(" / ")]
        return f"‘{' / '.join(levels)}’"
    return f"‘{survey.codebook.label(outcome, lang)}’"


def _sentence(kind, what, name1, name2, est, lo, hi, clear, level, lang) -> str:
    """One plain sentence (two when the difference is clear: the second says it is no cause)."""
    share = kind == "share"
    scale = 100.0 if share else 1.0
    d, lo_, hi_ = est[2] * scale, lo * scale, hi * scale
    if share:  # whole points, unless a clear interval starting below 1 point or small values
        near = min(abs(lo_), abs(hi_)) if clear else abs(d)
        dec = 0 if max(abs(lo_), abs(hi_)) >= 10 or (near >= 1 and abs(d) >= 1) else 1
    else:
        spread = max(abs(float(est[0])), abs(float(est[1])), 1e-12)
        dec = 0 if spread >= 100 else (1 if spread >= 1 else 2)

    def num(x: float) -> str:
        return i18n.number(x, lang, dec).replace("-", "−")

    e1, e2 = ((i18n.percent(x, lang, 0) if share else num(x)) for x in est[:2])
    unit = i18n.t("cmp_point" if abs(round(d, dec)) == 1 else "cmp_points", lang)
    cap = "‘" + what[1].upper() + what[2:] if what.startswith("‘") and len(what) > 1 else what[:1].upper() + what[1:]  # fmt: skip
    ci = i18n.t("ci_short", lang, level=f"{i18n.number(100 * level, lang, 0)}%")
    fields = dict(what=what, What=cap, n1=name1, n2=name2, e1=e1, e2=e2, ci=ci, unit=unit)
    if not clear:
        diff = f"{num(d)} {unit}" if share else num(d)
        return i18n.t("cmp_none", lang, **fields, diff=diff, lo=num(lo_), hi=num(hi_))
    w1, w2, w3 = i18n.t("cmp_up" if d > 0 else "cmp_down", lang).split("|")
    a, b = (lo_, hi_) if d > 0 else (-hi_, -lo_)
    return i18n.t(f"cmp_{kind}", lang, **fields, size=num(abs(d)), w1=w1, w2=w2, w3=w3, lo=num(a), hi=num(b))  # fmt: skip
