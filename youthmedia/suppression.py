"""Small-cell suppression: which estimates may be shown.

An estimate on fewer than ``min_n`` respondents (default 10), or whose Kish effective n is below
``min_n / 2`` (the weights let one or two respondents dominate it), is suppressed: its numbers
become NaN (reasons ``small_n``, ``small_n_eff``). *Complementary* suppression then hides the
next-smallest cells (smallest ``n``, then estimate) until every linked set holds no hidden cell
or at least two whose bases add up to ``min_n``. Linked sets: the categories of one variable in
one group (they sum to 100 % or to a ``Totaal`` row); the groups of one ``by`` variable beside
its margin row (``Totaal``, ``Total``, ``Alle``, ``All``, ``Overall``, ``meta.margin_label``)
or a known margin (a crosstab, ``meta.margins_known``); across one output, groups whose total
another Result shows (:func:`suppress_across`). ``min_n <= n < indicative_n`` (default 30) is
shown, flagged *indicative*. A statistic on another base (``meta.bases``) is blanked where
that base is small. The base ``n`` stays visible except where it is the cell (counts).

Thresholds: per call > :func:`set_thresholds` / :func:`thresholds` > the environment variables
``YOUTHMEDIA_MIN_N`` and ``YOUTHMEDIA_INDICATIVE_N`` > the defaults 10 and 30.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .errors import ConfigError
from .result import Result, ResultMeta

__all__ = [
    "DEFAULT_INDICATIVE_N",
    "DEFAULT_MIN_N",
    "ENV_INDICATIVE_N",
    "ENV_MIN_N",
    "INDICATIVE",
    "MARGIN_LABELS",
    "NOT_ASKED",
    "SUPPRESSED",
    "SUPPRESSED_SYMBOL",
    "Thresholds",
    "footnotes",
    "get_thresholds",
    "reason_text",
    "reset_thresholds",
    "set_thresholds",
    "suppress",
    "suppress_across",
    "thresholds",
]

# -- thresholds ----------------------------------------------------------------------------------

DEFAULT_MIN_N = 10
DEFAULT_INDICATIVE_N = 30
ENV_MIN_N = "YOUTHMEDIA_MIN_N"
ENV_INDICATIVE_N = "YOUTHMEDIA_INDICATIVE_N"

#: What a figure or table shows in place of a suppressed number.
SUPPRESSED_SYMBOL = "–"


class Thresholds(NamedTuple):
    """The two thresholds of small-cell control."""

    min_n: int
    indicative_n: int


_settings: dict[str, int | None] = {"min_n": None, "indicative_n": None}


def _check_count(value: Any, what: str, where: str = "") -> int:
    text = str(value).strip()
    whole = (
        isinstance(value, (float, np.floating))
        and math.isfinite(value)
        and value >= 0
        and value == int(value)
    )
    if isinstance(value, bool) or not (text.isdigit() or whole):
        raise ConfigError(
            f"{what} must be a whole number of respondents (0 or more), not "
            f"{value!r}{where}; for example 10."
        )
    return int(text) if text.isdigit() else int(value)


def _resolve(min_n: Any = None, indicative_n: Any = None) -> Thresholds:
    """Thresholds for one call: arguments > set_thresholds > environment > defaults."""
    values = []
    for key, given, env, default in (
        ("min_n", min_n, ENV_MIN_N, DEFAULT_MIN_N),
        ("indicative_n", indicative_n, ENV_INDICATIVE_N, DEFAULT_INDICATIVE_N),
    ):
        raw = os.environ.get(env, "").strip()
        values.append(
            _check_count(given, key)
            if given is not None
            else _settings[key]
            if _settings[key] is not None
            else _check_count(raw, env, " (environment variable)")
            if raw
            else default
        )
    m, i = values
    if min_n is not None and indicative_n is not None and i < m:
        raise ConfigError(
            f"indicative_n ({i}) must not be below min_n ({m}): estimates under "
            "min_n are suppressed, those between min_n and indicative_n indicative."
        )
    return Thresholds(m, max(i, m))  # one inherited: an indicative band below min_n is empty


def get_thresholds() -> Thresholds:
    """The thresholds in force: ``set_thresholds`` values, else the environment, else 10 and 30.

    Examples
    --------
    >>> get_thresholds().min_n >= 0
    True
    """
    return _resolve()


def set_thresholds(min_n: int | None = None, indicative_n: int | None = None) -> Thresholds:
    """Set the thresholds for this session (a project's notebooks, a CLI run); None: unchanged.

    Returns the thresholds in force *before* the call (to restore them).

    Examples
    --------
    >>> _ = set_thresholds(min_n=5, indicative_n=20)
    >>> get_thresholds()
    Thresholds(min_n=5, indicative_n=20)
    >>> reset_thresholds()
    """
    before = get_thresholds()
    new = {
        k: _check_count(v, k)
        for k, v in (("min_n", min_n), ("indicative_n", indicative_n))
        if v is not None
    }
    low = new.get("min_n", before.min_n)
    if new.get("indicative_n", low) < low:
        raise ConfigError(
            f"indicative_n ({new['indicative_n']}) must not be below min_n ({low}); "
            f"call set_thresholds(min_n={low}, indicative_n={low}) or higher."
        )
    _settings.update(new)
    return before


def reset_thresholds() -> None:
    """Forget :func:`set_thresholds`: back to the environment variables or the defaults."""
    _settings.update(min_n=None, indicative_n=None)


@contextmanager
def thresholds(min_n: int | None = None, indicative_n: int | None = None) -> Iterator[Thresholds]:
    """Use other thresholds inside a ``with`` block only.

    Examples
    --------
    >>> with thresholds(min_n=20, indicative_n=50):
    ...     get_thresholds().min_n
    20
    """
    saved = dict(_settings)
    try:
        set_thresholds(min_n=min_n, indicative_n=indicative_n)
        yield get_thresholds()
    finally:
        _settings.update(saved)


# -- reason codes and their words ----------------------------------------------------------------

SMALL_N = "small_n"
SMALL_N_EFF = "small_n_eff"
COMPLEMENTARY = "complementary"
INDICATIVE = "indicative"
SUPPRESSED = "suppressed"
_PRIVACY_CODES = (SMALL_N, SMALL_N_EFF, COMPLEMENTARY, INDICATIVE, SUPPRESSED)
#: Not a privacy rule: the estimator found no base because the question or option was not put
#: to the group (TikTok in a 2015 wave). The row has no numbers; ``suppress`` leaves it alone.
NOT_ASKED = "not_asked"

_SHORT = {
    "nl": {
        SMALL_N: "n < {min_n}",
        SMALL_N_EFF: "effectieve n < {min_n_eff}",
        COMPLEMENTARY: "aanvullend onderdrukt",
        INDICATIVE: "indicatief: n < {indicative_n}",
        SUPPRESSED: "niet getoond",
        NOT_ASKED: "niet gevraagd",
    },
    "en": {
        SMALL_N: "n < {min_n}",
        SMALL_N_EFF: "effective n < {min_n_eff}",
        COMPLEMENTARY: "complementary suppression",
        INDICATIVE: "indicative: n < {indicative_n}",
        SUPPRESSED: "not shown",
        NOT_ASKED: "not asked",
    },
}

_FOOTNOTE = {
    "nl": {
        SMALL_N: "{sym} = niet getoond: gebaseerd op minder dan {min_n} respondenten (n < {min_n}).",
        SMALL_N_EFF: "{sym} = niet getoond: door de weging telt de groep als minder dan "
        "{min_n_eff} respondenten (effectieve n volgens Kish < {min_n_eff}).",
        COMPLEMENTARY: "{sym} = niet getoond om een kleine groep elders in de tabel te beschermen "
        "(aanvullende onderdrukking).",
        INDICATIVE: "Indicatief: gebaseerd op minder dan {indicative_n} respondenten "
        "(n < {indicative_n}); lees met voorzichtigheid.",
        SUPPRESSED: "{sym} = niet getoond.",
        NOT_ASKED: "{sym} = niet gevraagd: deze vraag of antwoordmogelijkheid werd in die meting "
        "(of aan die groep) niet voorgelegd.",
    },
    "en": {
        SMALL_N: "{sym} = not shown: based on fewer than {min_n} respondents (n < {min_n}).",
        SMALL_N_EFF: "{sym} = not shown: with its weights the group counts as fewer than "
        "{min_n_eff} respondents (Kish effective n < {min_n_eff}).",
        COMPLEMENTARY: "{sym} = not shown to protect a small group elsewhere in the table "
        "(complementary suppression).",
        INDICATIVE: "Indicative: based on fewer than {indicative_n} respondents "
        "(n < {indicative_n}); read with care.",
        SUPPRESSED: "{sym} = not shown.",
        NOT_ASKED: "{sym} = not asked: this question or option was not put to respondents in "
        "that wave (or group).",
    },
}


def _lang(lang: str | None) -> str:
    key = (lang or "nl").lower().split("-")[0].split("_")[0]
    if key not in _SHORT:
        raise ConfigError(f"Unknown language {lang!r}; use 'nl' or 'en'.")
    return key


def _values(lang: str, min_n: Any, indicative_n: Any) -> dict[str, str]:
    """The thresholds as the texts name them (10, 1.000 or 1,000; the Kish limit 5 or 2,5)."""
    th = _resolve(min_n, indicative_n)
    dec = (
        (lambda t: t.replace(",", "x").replace(".", ",").replace("x", ".")) if lang == "nl" else str
    )
    return {
        "min_n": dec(f"{th.min_n:,}"),
        "indicative_n": dec(f"{th.indicative_n:,}"),
        "min_n_eff": dec(f"{th.min_n / 2:g}"),
        "sym": SUPPRESSED_SYMBOL,
    }


def _split_codes(reason: Any) -> list[str]:
    return [c.strip() for c in reason.split(";") if c.strip()] if isinstance(reason, str) else []


def reason_text(
    code: str, lang: str = "nl", min_n: int | None = None, indicative_n: int | None = None
) -> str:
    """Short words for a ``reason`` code (or several separated by ``";"``); unknown codes as
    they are. ``min_n``, ``indicative_n``: the thresholds to name (default: those in force).

    Examples
    --------
    >>> reason_text("small_n", "nl", min_n=10)
    'n < 10'
    >>> reason_text("indicative", "en", indicative_n=30)
    'indicative: n < 30'
    """
    lang = _lang(lang)
    values = _values(lang, min_n, indicative_n)
    return "; ".join(
        _SHORT[lang][c].format(**values) if c in _SHORT[lang] else c for c in _split_codes(code)
    )


def footnotes(result: pd.DataFrame, lang: str = "nl") -> list[str]:
    """The footnote sentences a figure or table of ``result`` needs, in a fixed order.

    Examples
    --------
    >>> from youthmedia.result import Result
    >>> r = suppress(Result.from_rows([{"variable": "x", "category": "ja", "estimate": 0.4, "n": 3}]))
    >>> footnotes(r, "en")
    ['– = not shown: based on fewer than 10 respondents (n < 10).']
    """
    lang = _lang(lang)
    info = getattr(getattr(result, "meta", None), "privacy", None) or {}
    values = _values(lang, info.get("min_n"), info.get("indicative_n"))
    present = {
        c for r in (result["reason"] if "reason" in result.columns else []) for c in _split_codes(r)
    }
    return [
        _FOOTNOTE[lang][c].format(**values) for c in (*_PRIVACY_CODES, NOT_ASKED) if c in present
    ]


# -- suppression ---------------------------------------------------------------------------------

#: ``by`` values (and ``category`` values) that mark a margin (total) row, compared casefolded.
MARGIN_LABELS = frozenset(
    "totaal|total|totaal/total|alle|all|overall|alle respondenten|"
    "all respondents|iedereen|everyone".split("|")
)

# Kinds whose categories (within one group and variable) add up to a known whole (100 %).
_SUMMING_KINDS = {"share", "crosstab", "table", "count"}
# Columns a suppression never blanks (hide_base adds n, n_eff and base to what is blanked).
_KEEP = {"variable", "category", "suppressed", "reason"}
_BASE_COLUMNS = ("n", "n_eff", "base")


def _num(frame: pd.DataFrame, col: str) -> np.ndarray:
    """A column as floats (text that is no number: NaN); all NaN where the column is absent."""
    if col not in frame.columns:
        return np.full(len(frame), np.nan)
    s = frame[col]
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        return s.to_numpy(dtype=float, na_value=np.nan)
    return pd.to_numeric(s.astype(object), errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _factorize(values: pd.Series) -> tuple[np.ndarray, list[Any]]:
    """Codes (missing: a value of its own) and the distinct values, for any column."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        cats = [*values.cat.categories, None]
        return np.where(values.cat.codes < 0, len(cats) - 1, values.cat.codes), cats
    codes, uniq = pd.factorize(values, use_na_sentinel=False)
    return codes, uniq.tolist()


def _margin_mask(factorized: tuple[np.ndarray, list[Any]], labels: frozenset[str]) -> np.ndarray:
    codes, uniq = factorized
    return np.array(
        [isinstance(v, str) and v.strip().casefold() in labels for v in uniq], dtype=bool
    )[codes]


def _codes(frame: pd.DataFrame, keys: list[str], fac: Any = None) -> np.ndarray:
    """One code per row for its values of ``keys`` (missing is a value)."""
    code = np.zeros(len(frame), dtype=np.int64)
    for k in keys:
        c, u = fac(k) if fac else _factorize(frame[k])
        code = pd.factorize(code * (len(u) + 1) + c)[0]
    return code


def _family(code: np.ndarray, member: np.ndarray, keep: np.ndarray | None = None) -> np.ndarray:
    """Linked sets as a set number per row (-1: in none): the ``member`` rows of each ``code``
    group that is kept and has two members or more."""
    groups = int(code.max()) + 1 if len(code) else 0
    ok = np.bincount(code[member], minlength=groups) > 1
    ok &= True if keep is None else keep
    return np.where(member & ok[code], code, -1)


def _linked_sets(
    frame: pd.DataFrame, by: list[str], kind: str, labels: frozenset[str], margins_known: bool
) -> list[np.ndarray]:
    """Families of sets of rows that add up to a total shown or known (see :func:`_family`)."""
    families = []
    fac = functools.cache(lambda k: _factorize(frame[k]))
    var_key = ["variable"] if "variable" in frame.columns else []
    # (1) the categories of one variable within one group.
    if "category" in frame.columns:
        margin = _margin_mask(fac("category"), labels)
        code = _codes(frame, by + var_key, fac)
        keep = (
            None
            if kind in _SUMMING_KINDS
            else np.bincount(code[margin], minlength=int(code.max(initial=-1)) + 1) > 0
        )
        families.append(_family(code, ~margin, keep))
    # (2) the groups of one by-variable, where the Result holds that variable's margin row or
    # the margin is known otherwise (a crosstab's column percentages give the column totals).
    cat_key = ["category"] if "category" in frame.columns else []
    for b in by:
        margin = _margin_mask(fac(b), labels)
        if margin.any() or margins_known:
            code = _codes(frame, [x for x in by if x != b] + var_key + cat_key, fac)
            keep = (
                None
                if margins_known
                else np.bincount(code[margin], minlength=int(code.max(initial=-1)) + 1) > 0
            )
            families.append(_family(code, ~margin, keep))
    return families


def _complement(
    families: list[np.ndarray], supp: np.ndarray, n: np.ndarray, size: np.ndarray, min_n: int
) -> np.ndarray:
    """Hide the next-smallest cells (``n``, estimate, position) of every linked set with a hidden
    cell until it holds two or more whose ``n`` add up to ``min_n``; returns the new ones."""
    added = np.zeros(len(supp), dtype=bool)
    if not supp.any():
        return added
    order = np.lexsort(
        (
            np.arange(len(supp)),
            np.where(np.isnan(size), np.inf, np.abs(size)),
            np.where(np.isnan(n), np.inf, n),
        )
    )
    known, n0 = ~np.isnan(n), np.nan_to_num(n)
    changed = True
    while changed:
        changed = False
        for gid in families:
            m = gid >= 0
            if not supp[m].any():
                continue
            groups = int(gid.max(initial=-1)) + 1
            while True:
                hid, free = m & supp, m & ~supp
                count = np.bincount(gid[hid], minlength=groups)
                total = np.bincount(gid[hid], n0[hid], minlength=groups).astype(float)
                total[np.bincount(gid[hid & known], minlength=groups) == 0] = np.inf
                bad = (count > 0) & ((count < 2) | (total < min_n))
                free &= bad[np.maximum(gid, 0)]
                ranked = order[free[order]]  # free cells of those sets, smallest first
                if not len(ranked):
                    break
                picks = ranked[np.unique(gid[ranked], return_index=True)[1]]
                supp[picks] = added[picks] = changed = True
    return added


def suppress(
    result: pd.DataFrame,
    min_n: int | None = None,
    indicative_n: int | None = None,
    *,
    hide_base: bool | None = None,
) -> Result:
    """Suppress estimates on too few respondents, with complementary suppression.

    ``result``: a Result with an ``n`` column (the unweighted base of each row). ``min_n``,
    ``indicative_n``: default :func:`get_thresholds`. ``hide_base``: also blank ``n``,
    ``n_eff`` and ``base`` of suppressed rows (default: only for ``meta.kind == "count"``).
    Returns a copy with ``suppressed``, ``reason`` and the hidden numbers NaN;
    ``meta.privacy`` counts the rows each rule hit. Applying it twice changes nothing.

    Examples
    --------
    >>> from youthmedia.result import Result
    >>> r = Result.from_rows([{"variable": "x", "category": "ja", "estimate": 0.3, "n": 25}])
    >>> suppress(r).loc[0, "reason"]
    'indicative'
    >>> suppress(r, min_n=30).loc[0, "suppressed"]
    np.True_
    """
    if "n" not in getattr(result, "columns", []):
        raise ConfigError(
            "suppress() takes a Result with the unweighted base of each estimate "
            f"in a column 'n', not {type(result).__name__} with columns "
            f"{', '.join(map(str, getattr(result, 'columns', [])))}."
        )
    th = _resolve(min_n, indicative_n)
    meta = getattr(result, "meta", None) or ResultMeta()
    out = pd.DataFrame(result).copy()  # a plain frame: a Result's columns copy its meta
    kind, by = meta.kind, [b for b in meta.by if b in out.columns]
    hide_base = kind == "count" if hide_base is None else hide_base
    extra = meta.margin_label or []
    labels = MARGIN_LABELS | {
        str(x).strip().casefold() for x in ([extra] if isinstance(extra, str) else extra)
    }
    n = _num(out, "n")
    already = out.get("suppressed", pd.Series(False, out.index)).fillna(False).to_numpy(bool)
    with np.errstate(invalid="ignore"):  # Kish n_eff: one respondent weighing 1000 among 29
        primary = ~already & ((n < th.min_n) | (_eff_n(out) < th.min_n / 2))
    supp = already | primary
    known = kind == "crosstab" if meta.margins_known is None else meta.margins_known
    added = _complement(
        _linked_sets(out, by, kind, labels, known), supp, n, _num(out, "estimate"), th.min_n
    )
    with np.errstate(invalid="ignore"):
        indicative = ~supp & (n >= th.min_n) & (n < th.indicative_n)
    out["reason"] = _reasons(out, already, primary, added, indicative, n, th.min_n)
    out["suppressed"] = supp
    _blank(out, supp, by, hide_base)
    partial = _blank_secondary(out, meta.bases, th.min_n)
    privacy = dict(
        min_n=th.min_n,
        indicative_n=th.indicative_n,
        suppressed=int(supp.sum()),
        small_n=int(primary.sum()),
        complementary=int(added.sum()),
        indicative=int(indicative.sum()),
        base_hidden=bool(hide_base),
        partial=partial,
    )
    return _result(out, meta.replace(privacy=privacy), result)


def _reasons(
    out: pd.DataFrame,
    already: np.ndarray,
    primary: np.ndarray,
    added: np.ndarray,
    indicative: np.ndarray,
    n: np.ndarray,
    min_n: int,
) -> Any:
    """The ``reason`` codes after suppression (other codes of a row kept after its own)."""
    old = out.get("reason", pd.Series("", index=out.index)).astype("str").fillna("")
    # what decides a row's new reason: its state (below) and its old reason
    state = np.zeros(len(out), dtype=np.int64)
    state[added] = 1
    state[primary] = np.where(n[primary] >= min_n, 3, 2)
    state[indicative] = 4
    state[already] = np.where(n[already] < min_n, 5, 6)
    new = old.array.copy()
    touched = (state > 0) | old.str.contains("|".join(_PRIVACY_CODES)).to_numpy(dtype=bool)
    if not touched.any():
        return new
    codes, uniq = pd.factorize(old[touched], use_na_sentinel=False)
    split = [_split_codes(u) for u in uniq]
    firsts = ["", COMPLEMENTARY, SMALL_N, SMALL_N_EFF, INDICATIVE, SMALL_N, SUPPRESSED]
    combos, inverse = np.unique(state[touched] * (len(uniq) + 1) + codes, return_inverse=True)
    words = []
    for combo in combos:
        st, old_codes = divmod(int(combo), len(uniq) + 1)
        kept = [c for c in split[old_codes] if st >= 5 or c not in _PRIVACY_CODES]
        # suppressed before: its codes kept, else why; otherwise its own code first
        words.append(
            ";".join(kept) or firsts[st] if st >= 5 else ";".join([firsts[st]] * (st > 0) + kept)
        )
    new[touched] = np.array(words, dtype=object)[inverse.reshape(-1)]
    return new


def _blank_secondary(out: pd.DataFrame, bases: dict[str, str], min_n: int) -> int:
    """Blank statistics resting on another base than ``n`` (``meta.bases``, e.g. a crosstab's
    ``{"col_pct": "col_n"}``) where that base is below ``min_n``; how many cells were blanked."""
    blanked = 0
    for stat, base_col in bases.items():
        if stat in out.columns and base_col not in out.columns:
            raise ConfigError(
                f"meta.bases says {stat!r} rests on the column {base_col!r}, "
                "which this Result does not have; add the unweighted base or "
                "remove the entry."
            )
        if stat in out.columns:
            values = _num(out, stat).copy()
            with np.errstate(invalid="ignore"):
                small = (_num(out, base_col) < min_n) & ~np.isnan(values)
            if small.any():
                values[small] = np.nan
                out[stat] = values
                blanked += int(small.sum())
    return blanked


def _blank(out: pd.DataFrame, rows: np.ndarray, by: list[str], hide_base: bool) -> None:
    """Blank every number of ``rows`` that could reveal the suppressed value (in place); in
    text columns, formatted numbers ("12,5%", "3 van 4")."""
    keep = _KEEP | set(by) | (set() if hide_base else set(_BASE_COLUMNS))
    for col in [c for c in out.columns if c not in keep] if rows.any() else []:
        s, types = out[col], pd.api.types
        if types.is_bool_dtype(s.dtype):
            out[col] = s.astype("boolean").mask(rows)
        elif types.is_numeric_dtype(s.dtype) and not types.is_extension_array_dtype(s.dtype):
            out[col] = s.astype("float64").mask(rows)
        elif types.is_numeric_dtype(s.dtype) or s.dtype.kind in "mM":
            out[col] = s.mask(rows)
        elif not isinstance(s.dtype, pd.CategoricalDtype):  # categories: labels, not numbers
            v = s.astype(object)
            text = v.map(lambda x: isinstance(x, str) and any(ch.isdigit() for ch in x))
            number = v.map(
                lambda x: (
                    isinstance(x, (int, float, np.number)) and not isinstance(x, (bool, np.bool_))
                )
            )
            v = v.mask(rows & text.to_numpy(bool), "").mask(rows & number.to_numpy(bool), np.nan)
            out[col] = v if s.dtype == object else v.astype(s.dtype)


# -- suppression across one output ---------------------------------------------------------------


def suppress_across(
    results: Sequence[Result], min_n: int | None = None, indicative_n: int | None = None
) -> list[Result]:
    """Complementary suppression across the Results of one output (a workbook, deck or report).

    A Result by group beside the same figures overall (or by fewer groups) lets a reader
    subtract: in a class of 11 with one boy, 27.3 % of 11 overall and 20 % of 10 girls give the
    boy's answer away. Every set of cells whose total is shown elsewhere in the output holds
    no hidden cell or at least two whose bases add up to ``min_n``. Returns them suppressed.

    Examples
    --------
    >>> from youthmedia.result import Result
    >>> overall = Result.from_rows([{"variable": "x", "category": "ja", "estimate": 0.273, "n": 11}])
    >>> by = Result.from_rows([
    ...     {"g": "jongen", "variable": "x", "category": "ja", "estimate": 1.0, "n": 1},
    ...     {"g": "meisje", "variable": "x", "category": "ja", "estimate": 0.2, "n": 10}], by=["g"])
    >>> [r["suppressed"].tolist() for r in suppress_across([overall, by])]
    [[False], [True, True]]
    """

    def own(r: Result, key: str, value: int | None) -> int | None:
        # a Result suppressed before keeps the thresholds it was made with, unless given here
        return (
            value
            if value is not None
            else getattr(getattr(r, "meta", None), "privacy", {}).get(key)
        )

    done = [
        suppress(r, own(r, "min_n", min_n), own(r, "indicative_n", indicative_n)) for r in results
    ]
    if len(done) < 2:
        return done
    low = _resolve(min_n).min_n if min_n is not None else min(r.meta.privacy["min_n"] for r in done)
    starts = np.cumsum([0] + [len(r) for r in done])
    supp = np.concatenate([r["suppressed"].fillna(False).to_numpy(bool) for r in done])
    before, families = supp.copy(), []

    def family(i: int, gid: np.ndarray) -> None:  # a family of Result i, in table positions
        families.append(np.full(len(supp), -1))
        families[-1][starts[i] : starts[i + 1]] = gid

    for i, r in enumerate(done):
        kind, known = r.meta.kind, r.meta.margins_known
        for gid in _linked_sets(
            r, _by(r), kind, MARGIN_LABELS, kind == "crosstab" if known is None else known
        ):
            family(i, gid)
    keys = [(set(_by(r)), _key_frame(r)) for r in done]
    for i, (by_i, key_i) in enumerate(keys):  # group cells whose total another Result shows
        for by_j, key_j in keys:
            rest = [c for c in key_j.columns if c in key_i.columns]
            if by_j < by_i and len(by_i - by_j) == 1 and rest:
                code = _codes(pd.concat([key_i[rest], key_j[rest]], ignore_index=True), rest)
                mine = code[: len(key_i)]
                family(i, _family(mine, np.isin(mine, code[len(key_i) :])))
    _complement(
        families,
        supp,
        np.concatenate([_num(r, "n") for r in done]),
        np.concatenate([_num(r, "estimate") for r in done]),
        low,
    )
    new = supp & ~before
    return [
        _add_hidden(r, new[starts[i] : starts[i + 1]])
        if new[starts[i] : starts[i + 1]].any()
        else r
        for i, r in enumerate(done)
    ]


def _by(r: Result) -> list[str]:
    return [b for b in r.meta.by if b in r.columns]


def _key_frame(r: Result) -> pd.DataFrame:
    cols = [c for c in (*_by(r), "variable", "category") if c in r.columns]
    return pd.DataFrame(r)[cols].astype(object).where(lambda f: f.notna(), "").astype(str)


def _eff_n(r: pd.DataFrame) -> np.ndarray:
    """The smaller of ``n`` and Kish's effective n of each row (what suppression judges)."""
    n, eff = _num(r, "n"), _num(r, "n_eff")
    return np.where(np.isnan(eff), n, np.fmin(n, eff))


def _add_hidden(r: Result, new: np.ndarray) -> Result:
    out = pd.DataFrame(r).copy()
    out["suppressed"] = out["suppressed"].fillna(False).to_numpy(bool) | new
    out["reason"] = np.where(new, COMPLEMENTARY, out["reason"].astype(str))
    info = r.meta.privacy
    _blank(out, new, _by(r), bool(info.get("base_hidden")))
    return _result(
        out,
        r.meta.replace(
            privacy={
                **info,
                "suppressed": int(out["suppressed"].sum()),
                "complementary": int(info.get("complementary", 0)) + int(new.sum()),
            }
        ),
        r,
    )


def _result(frame: pd.DataFrame, meta: ResultMeta, like: Any) -> Result:
    out = Result(frame).with_meta(meta)
    out.test = getattr(like, "test", None)
    return out
