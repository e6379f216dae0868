"""Small-cell suppression (n < ``min_n`` or Kish n_eff < ``min_n / 2``), indicative estimates
(n < ``indicative_n``) and complementary suppression within and across the Results of one output."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from . import i18n
from .errors import ConfigError
from .result import Result, ResultMeta

__all__ = """DEFAULT_MIN_N ENV_INDICATIVE_N ENV_MIN_N INDICATIVE NOT_ASKED SUPPRESSED
SUPPRESSED_SYMBOL Thresholds footnotes get_thresholds reason_text suppress suppress_across
thresholds""".split()

DEFAULT_MIN_N, ENV_MIN_N, ENV_INDICATIVE_N = 10, "YOUTHMEDIA_MIN_N", "YOUTHMEDIA_INDICATIVE_N"
SUPPRESSED_SYMBOL = "–"  # shown in place of a suppressed number
SMALL_N, SMALL_N_EFF, COMPLEMENTARY = "small_n", "small_n_eff", "complementary"
INDICATIVE, SUPPRESSED = "indicative", "suppressed"
_PRIVACY_CODES = (SMALL_N, SMALL_N_EFF, COMPLEMENTARY, INDICATIVE, SUPPRESSED)
#: Not a privacy rule: the question was not put to the group (a row without numbers).
NOT_ASKED = "not_asked"
_CODES = (*_PRIVACY_CODES, NOT_ASKED)  # the order of footnotes; words in strings.yaml


class Thresholds(NamedTuple):
    min_n: int
    indicative_n: int


_settings: dict[str, Any] = {}


def _count(value: Any, what: str) -> int:
    with contextlib.suppress(ValueError, TypeError):
        number = float(str(value).strip()) if not isinstance(value, bool) else -1.0
        if number >= 0 and number.is_integer():
            return int(number)
    raise ConfigError(
        f"{what} must be a whole number of respondents (0 or more), not {value!r}; for example 10."
    )


def get_thresholds(min_n: Any = None, indicative_n: Any = None) -> Thresholds:
    """The thresholds in force: arguments > :func:`thresholds` > environment > 10 and 30.

    Examples
    --------
    >>> get_thresholds(min_n=50)
    Thresholds(min_n=50, indicative_n=50)
    """

    def one(key: str, given: Any, default: int) -> int:
        env, given = f"YOUTHMEDIA_{key.upper()}", _settings.get(key) if given is None else given
        if given is None and (raw := os.environ.get(env, "").strip()):
            return _count(raw, f"{env} (environment variable)")
        return default if given is None else _count(given, key)

    m, i = one("min_n", min_n, DEFAULT_MIN_N), one("indicative_n", indicative_n, 30)
    if min_n is not None and indicative_n is not None and i < m:
        raise ConfigError(
            f"indicative_n ({i}) must not be below min_n ({m}): estimates under "
            "min_n are suppressed, those between min_n and indicative_n indicative."
        )
    return Thresholds(m, max(i, m))  # one inherited: an indicative band below min_n is empty


@contextlib.contextmanager
def thresholds(min_n: int | None = None, indicative_n: int | None = None) -> Iterator[Thresholds]:
    """Other thresholds inside a ``with`` block (None: unchanged).

    Examples
    --------
    >>> with thresholds(min_n=20, indicative_n=50):
    ...     get_thresholds()
    Thresholds(min_n=20, indicative_n=50)
    """
    saved, given = dict(_settings), dict(min_n=min_n, indicative_n=indicative_n)
    try:
        _settings.update({k: _count(v, k) for k, v in given.items() if v is not None})
        yield get_thresholds(min_n, indicative_n)
    finally:
        _settings.clear()
        _settings.update(saved)


def _texts(codes: list[str], kind: str, lang: str | None, info: dict[str, Any]) -> list[str]:
    """Words ``kind`` ("reason" or "footnote") for ``codes`` (unknown codes as they are)."""
    th = get_thresholds(info.get("min_n"), info.get("indicative_n"))
    lang = i18n.check_lang((lang or "nl").lower()[:2])
    values = {k: i18n.integer(v, lang) for k, v in th._asdict().items()}
    values.update(min_n_eff=i18n.number(th.min_n / 2, lang, th.min_n % 2), sym=SUPPRESSED_SYMBOL)
    return [i18n.t(f"{kind}_{c}", lang, **values) if c in _CODES else c for c in codes]


def _split_codes(reason: Any) -> list[str]:
    return [c.strip() for c in reason.split(";") if c.strip()] if isinstance(reason, str) else []


def reason_text(
    code: str, lang: str = "nl", min_n: int | None = None, indicative_n: int | None = None
) -> str:
    """Short words for ``reason`` codes (``";"``-separated; unknown codes as they are).

    Examples
    --------
    >>> reason_text("small_n", "nl", min_n=10), reason_text("indicative", "en", indicative_n=30)
    ('n < 10', 'indicative: n < 30')
    """
    return "; ".join(
        _texts(_split_codes(code), "reason", lang, dict(min_n=min_n, indicative_n=indicative_n))
    )


def footnotes(result: pd.DataFrame, lang: str = "nl") -> list[str]:
    """The footnotes a figure or table of ``result`` needs, in a fixed order.

    Examples
    --------
    >>> r = suppress(Result.from_rows([{"variable": "x", "category": "ja", "estimate": 0.4, "n": 3}]))
    >>> footnotes(r, "en")
    ['– = not shown: based on fewer than 10 respondents (n < 10).']
    """
    info = getattr(getattr(result, "meta", None), "privacy", None) or {}
    reasons = result["reason"].unique() if "reason" in result.columns else []
    present = {c for r in reasons for c in _split_codes(r)}
    return _texts([c for c in _CODES if c in present], "footnote", lang, info)


# -- suppression ---------------------------------------------------------------------------------

#: ``by`` and ``category`` values that mark a margin (total) row, compared casefolded.
_MARGINS = frozenset(
    "totaal|total|totaal/total|alle|all|overall|alle respondenten|all respondents|iedereen"
    "|everyone".split("|")
)
_SUMMING_KINDS = {"share", "crosstab", "table", "count"}  # categories add up to a whole
_KEEP = {"variable", "category", "suppressed", "reason"}  # never blanked


def _num(frame: pd.DataFrame, col: str) -> np.ndarray:
    """A column as floats (text that is no number, or no such column: NaN)."""
    s = frame[col] if col in frame.columns else pd.Series(np.nan, frame.index)
    if not pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
        s = pd.to_numeric(s.astype(object), errors="coerce")
    return s.to_numpy(dtype=float, na_value=np.nan)


def _margin(values: pd.Series, labels: frozenset[str]) -> np.ndarray:
    """Which rows are margin (total) rows (judged once per distinct value)."""
    cat = values.astype("category").cat
    hit = [isinstance(v, str) and v.strip().casefold() in labels for v in cat.categories.tolist()]
    return np.array([*hit, False], bool)[cat.codes.to_numpy()]  # -1 (missing): no margin


def _codes(frame: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """One code per row for its values of ``keys`` (missing is a value)."""
    code = np.zeros(len(frame), dtype=np.int64)
    for k in keys:
        c, u = pd.factorize(frame[k], use_na_sentinel=False)
        code = pd.factorize(code * (len(u) + 1) + c)[0]
    return code


def _family(code: np.ndarray, member: np.ndarray, margin: np.ndarray | None = None) -> np.ndarray:
    """Set number per row (-1: none): ``member`` rows of a ``code`` with 2+ members (and margin)."""
    ok = np.bincount(code[member], minlength=int(code.max(initial=-1)) + 1) > 1
    if margin is not None:
        ok &= np.bincount(code[margin], minlength=len(ok)) > 0
    return np.where(member & ok[code], code, -1)


def _linked_sets(i: int, outs: list[pd.DataFrame], metas: list[ResultMeta]) -> list[np.ndarray]:
    """Families of sets of rows of Result ``i`` that add up to a total shown or known."""
    r, meta = outs[i], metas[i]
    extra = [meta.margin_label] if isinstance(meta.margin_label, str) else meta.margin_label
    labels = _MARGINS | {str(x).strip().casefold() for x in extra or []}
    by, families = _by(r, meta), []
    known = meta.kind == "crosstab" if meta.margins_known is None else meta.margins_known
    var_key, cat_key = [[c] if c in r.columns else [] for c in ("variable", "category")]
    if cat_key:  # the categories of one variable within one group
        margin = _margin(r["category"], labels)
        whole = None if meta.kind in _SUMMING_KINDS else margin
        families.append(_family(_codes(r, by + var_key), ~margin, whole))
    for b in by:  # the groups of one by-variable, beside its margin row or a known margin
        if (margin := _margin(r[b], labels)).any() or known:
            code = _codes(r, [x for x in by if x != b] + var_key + cat_key)
            families.append(_family(code, ~margin, None if known else margin))
    for o, m in zip(outs, metas, strict=True):  # groups whose total a Result by one fewer shows
        keys = [c for c in (*_by(o, m), "variable", "category") if c in o and c in r]
        if (by_o := set(_by(o, m))) < set(by) and len(set(by) - by_o) == 1 and keys:
            cells = [x[keys].astype(object).fillna("").astype(str) for x in (r, o)]
            code = _codes(pd.concat(cells, ignore_index=True), keys)
            families.append(_family(code[: len(r)], np.isin(code[: len(r)], code[len(r) :])))
    return families


def _complement(
    families: list[np.ndarray], supp: np.ndarray, n: np.ndarray, size: np.ndarray, min_n: int
) -> np.ndarray:
    """Hide the next-smallest cells of linked sets with a lone or small hidden total; the new."""
    added = np.zeros(len(supp), dtype=bool)
    last = [np.where(np.isnan(x), np.inf, x) for x in (np.abs(size), n)]  # missing: last
    order = np.lexsort((np.arange(len(supp)), *last))
    known, n0, changed = ~np.isnan(n), np.nan_to_num(n), bool(supp.any())
    while changed:
        changed = False
        for gid in families:
            m, groups = gid >= 0, int(gid.max(initial=-1)) + 1
            while supp[m].any():
                hid = m & supp
                count = np.bincount(gid[hid], minlength=groups)
                total = np.bincount(gid[hid], n0[hid], minlength=groups)
                total[np.bincount(gid[hid & known], minlength=groups) == 0] = np.inf
                bad = (count > 0) & ((count < 2) | (total < min_n))
                ranked = order[(m & ~supp & bad[np.maximum(gid, 0)])[order]]  # smallest first
                if not len(ranked):
                    break
                picks = ranked[np.unique(gid[ranked], return_index=True)[1]]
                supp[picks] = added[picks] = changed = True
    return added


def suppress(
    result: pd.DataFrame, min_n: int | None = None, indicative_n: int | None = None
) -> Result:
    """Suppress estimates on too few respondents, with complementary suppression.

    ``result``: a Result with the unweighted base of each row in ``n``; thresholds default to
    :func:`get_thresholds`. Returns a copy with ``suppressed``, ``reason`` and the hidden
    numbers NaN (a count's ``n`` too); ``meta.privacy`` counts the rows each rule hit.

    Examples
    --------
    >>> r = Result.from_rows([{"variable": "x", "category": "ja", "estimate": 0.3, "n": 25}])
    >>> suppress(r).loc[0, "reason"], bool(suppress(r, min_n=30).loc[0, "suppressed"])
    ('indicative', True)
    """
    return _suppress([result], [get_thresholds(min_n, indicative_n)])[0]


def suppress_across(
    results: Sequence[Result], min_n: int | None = None, indicative_n: int | None = None
) -> list[Result]:
    """Complementary suppression across the Results of one output (a workbook, deck or report):
    no hidden cell follows from a total another Result shows (27.3 % of 11 and 20 % of 10 girls
    give the one boy away). Thresholds: by default those each Result was suppressed with.

    Examples
    --------
    >>> overall = Result.from_rows([{"variable": "x", "category": "ja", "estimate": 0.273, "n": 11}])
    >>> by = Result.from_rows([
    ...     {"g": "jongen", "variable": "x", "category": "ja", "estimate": 1.0, "n": 1},
    ...     {"g": "meisje", "variable": "x", "category": "ja", "estimate": 0.2, "n": 10}], by=["g"])
    >>> [r["suppressed"].tolist() for r in suppress_across([overall, by])]
    [[False], [True, True]]
    """
    given = dict(min_n=min_n, indicative_n=indicative_n)
    ths = [
        get_thresholds(**{k: r.meta.privacy.get(k) if v is None else v for k, v in given.items()})
        for r in results
    ]
    return _suppress(list(results), ths) if results else []


def _suppress(results: list[Any], ths: list[Thresholds]) -> list[Result]:
    """Primary suppression by each Result's thresholds, complementary across all of them."""
    for r in [r for r in results if "n" not in getattr(r, "columns", [])][:1]:
        raise ConfigError(
            "suppress() takes a Result with the unweighted base of each estimate in a column "
            f"'n', not {type(r).__name__} with columns {', '.join(map(str, r.columns))}."
        )
    metas = [getattr(r, "meta", None) or ResultMeta() for r in results]
    outs = [pd.DataFrame(r).copy() for r in results]  # plain frames: no meta copied per column
    rows = pd.concat([o.assign(suppressed=o.get("suppressed", False)) for o in outs])
    starts = np.cumsum([0] + [len(o) for o in outs])
    spans = [slice(a, b) for a, b in zip(starts[:-1], starts[1:], strict=True)]
    low, ind = (np.repeat([t[k] for t in ths], np.diff(starts)) for k in (0, 1))
    n, families = _num(rows, "n"), []
    eff, already = np.fmin(n, _num(rows, "n_eff")), rows["suppressed"].fillna(False).to_numpy(bool)
    for i in range(len(outs)):
        for gid in _linked_sets(i, outs, metas):
            families.append(np.full(len(n), -1))
            families[-1][spans[i]] = gid
    primary = ~already & ((n < low) | (eff < low / 2))  # Kish n_eff: 1 weighing 1000 among 29
    supp = already | primary
    added = _complement(families, supp, n, _num(rows, "estimate"), min(t.min_n for t in ths))
    indicative = ~supp & (n >= low) & (n < ind)
    state = np.select(  # what decides a row's reason (see _reasons)
        [already & (n < low), already, indicative, primary & (n >= low), primary, added],
        [5, 6, 4, 3, 2, 1],
    )
    rules = dict(suppressed=supp, small_n=primary, complementary=added, indicative=indicative)
    done = []
    for r, o, meta, th, sl in zip(results, outs, metas, ths, spans, strict=True):
        hide_base = meta.kind == "count"  # a count's base is the cell itself
        o["reason"], o["suppressed"] = _reasons(o, state[sl]), supp[sl]
        _blank(o, supp[sl], _by(o, meta), hide_base)
        privacy = dict(th._asdict(), **{k: int(v[sl].sum()) for k, v in rules.items()})
        privacy.update(base_hidden=hide_base, partial=_blank_secondary(o, meta.bases, th.min_n))
        done.append(Result(o).with_meta(meta.replace(privacy=privacy)))
        done[-1].test = getattr(r, "test", None)
    return done


def _reasons(out: pd.DataFrame, state: np.ndarray) -> Any:
    """Reason codes by ``state`` (index of ``first``; 5, 6: suppressed before): own code first."""
    old = out["reason"].fillna("").astype(str).tolist() if "reason" in out else [""] * len(out)
    first = ["", COMPLEMENTARY, SMALL_N, SMALL_N_EFF, INDICATIVE, SMALL_N, SUPPRESSED]

    def word(st: int, text: str) -> str:
        codes = _split_codes(text)
        if st >= 5:
            return ";".join(codes) or first[st]
        return ";".join([first[st]] * (st > 0) + [c for c in codes if c not in _PRIVACY_CODES])

    keys = list(zip(state.tolist(), old, strict=True))
    words = {p: word(*p) for p in set(keys)}  # one word per (state, old reason)
    return pd.array([words[p] for p in keys], dtype="str")


def _blank_secondary(out: pd.DataFrame, bases: dict[str, str], min_n: int) -> int:
    """Blank statistics whose own base (``meta.bases``) is below ``min_n``; how many."""
    if bad := [(s, b) for s, b in bases.items() if s in out.columns and b not in out.columns]:
        raise ConfigError(
            f"meta.bases says {bad[0][0]!r} rests on the column {bad[0][1]!r}, which this "
            "Result does not have; add the unweighted base or remove the entry."
        )
    blanked = 0
    for stat in [s for s in bases if s in out.columns]:
        small = _num(out, bases[stat]) < min_n
        blanked += int((small & out[stat].notna().to_numpy()).sum())
        out[stat] = out[stat].mask(small)
    return blanked


def _blank(out: pd.DataFrame, rows: np.ndarray, by: list[str], hide_base: bool) -> None:
    """Blank every number of ``rows`` that could reveal the suppressed value (in place)."""
    keep = _KEEP | set(by) | (set() if hide_base else {"n", "n_eff", "base"})
    for col in [c for c in out.columns if c not in keep] if rows.any() else []:
        s, types = out[col], pd.api.types
        if types.is_bool_dtype(s.dtype):
            out[col] = s.astype("boolean").mask(rows)
        elif types.is_numeric_dtype(s.dtype) or s.dtype.kind in "mM":
            out[col] = s.mask(rows)
        elif not isinstance(s.dtype, pd.CategoricalDtype):  # categories: labels, not numbers
            v = s.astype(object).where(~rows, s.astype(object).map(_hidden))
            out[col] = v if s.dtype == object else v.astype(s.dtype)


def _hidden(x: Any) -> Any:
    """A suppressed cell of a text column: numbers and text with digits ("12,5%") go."""
    if isinstance(x, str):
        return "" if any(ch.isdigit() for ch in x) else x
    return np.nan if isinstance(x, (int, float)) and not isinstance(x, bool) else x


def _by(r: pd.DataFrame, meta: ResultMeta) -> list[str]:
    return [b for b in meta.by if b in r.columns]
