"""Two groups compared: :func:`compare` in one sentence for workshops, and :func:`pair_test`,
the design-based test of two domain estimates behind the headlines' group comparisons."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from . import estimate, i18n
from .blocks import _groups
from .errors import ConfigError
from .intervals import t_test
from .result import Result
from .scales import as_yes_no, definition_note, with_columns
from .summaries import row_vcov
from .survey import Survey

__all__ = ["compare", "pair_test"]


def _text(value: Any) -> str:
    return "" if pd.isna(value) else str(value)


def _coefficients(result: Result, row: Any, lang: str | None) -> np.ndarray | None:
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
    ca, cb, V = _coefficients(result, a, lang), _coefficients(result, b, lang), row_vcov(result)
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
    return d, se, 1.0 if se == 0 and d == 0 else float(t_test(d, se, df)[1])


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
    g1, g2 = estimate._which_two(work, _groups(work, by), by, groups)  # first − second
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


_GENERIC_YES = set(
    "ja yes gekozen geselecteerd selected chosen aangevinkt checked waar true genoemd mentioned 1".split()
)


def _what(survey: Survey, outcome: str, counted: Any, what, lang: str) -> str:
    what = what.get(lang) if isinstance(what, dict) else what
    if what:
        return what
    if counted is not None and str(counted).strip().lower() not in _GENERIC_YES:
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
