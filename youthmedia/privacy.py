"""What may leave the machine: small-cell suppression and identifying columns.

Youth survey data is about minors, and the numbers end up on slides shown to rooms of people.
This module decides which estimates may be shown and which columns may never be written.

Small-cell suppression (:func:`suppress`)
    An estimate whose unweighted base ``n`` is below ``min_n`` (default 10) is *suppressed*:
    ``suppressed`` becomes True and every number that could reveal it (``estimate``, ``se``,
    ``ci_low``, ``ci_high`` and any extra numeric column) becomes NaN, so that it cannot leak
    into a figure, table or deck. Where a suppressed cell could be recovered from a total,
    *complementary* suppression hides the next-smallest cell as well:

    - categories of one variable within one group (shares sum to 100 %; counts sum to a
      ``Totaal``/``Total`` category row where the table has one);
    - groups of one ``by`` variable where the Result also holds a margin row for that variable
      (a ``by`` value ``Totaal``, ``Total``, ``Alle``, ``All``, ``Overall``, or the label(s) in
      ``result.meta["margin_label"]``): the margin is a weighted sum of the groups.

    - groups of a crosstab (``meta["kind"] == "crosstab"``) always: its column percentages and
      counts give the column totals away (set ``meta["margins_known"]`` to say so for another
      kind of Result, or False to say a crosstab shows row percentages only).

    Cells are added, smallest ``n`` first (then smallest estimate), until each such set has
    either no suppressed cell or at least two whose bases add up to ``min_n`` or more.
    Recovery by combining *different* Results (an overall share on one slide, the same share by
    gender on the next) is not detected; keep a suppressed group out of the table or merge it
    with another category (``anders``) when that matters.

    An estimate with ``min_n <= n < indicative_n`` (default 30) is kept but flagged
    *indicative*. A statistic that rests on another base than ``n`` (a crosstab's column
    percentage rests on the column's base) is blanked on its own where that base is below
    ``min_n``, if ``result.meta["bases"]`` names the base column: ``{"col_pct": "col_n"}``.

    **The base stays visible.** ``n``, ``n_eff`` and ``base`` of a suppressed share or mean are
    kept: they are the size of the group, not anybody's answer, and a reader needs them to see
    why a cell is empty (most statistical agencies show them). Where ``n`` *is* the cell itself
    — a table of counts, ``meta["kind"] == "count"`` or ``hide_base=True`` — they are hidden too.

The ``reason`` column holds machine codes, separated by ``";"`` where there are several:
``"small_n"`` (n below ``min_n``), ``"complementary"`` (hidden to protect another cell),
``"indicative"`` (n below ``indicative_n``, shown) and ``"suppressed"`` (suppressed earlier
without a reason). :func:`reason_text` turns them into short Dutch or English text ("n < 10",
"indicatief: n < 30") and :func:`footnotes` into the footnote sentences for a figure or table;
a suppressed cell is shown as :data:`SUPPRESSED_SYMBOL` ("–").

Thresholds (one mechanism, three levels)
    per call (``suppress(r, min_n=5)``) > per session or project
    (``set_thresholds(min_n=5, indicative_n=20)``, or the context manager :func:`thresholds`)
    > the environment variables ``YOUTHMEDIA_MIN_N`` and ``YOUTHMEDIA_INDICATIVE_N`` (these
    reach notebooks run headless by ``youthmedia report``) > the defaults 10 and 30.

Identifying columns (:func:`find_identifying`)
    Names, e-mail addresses, phone numbers, IP addresses, full postcodes, street addresses,
    pupil/student/client numbers and BSN, exact birth dates, GPS coordinates and free-text
    answers, found by column name and variable label (Dutch and English) and by the content of
    a sample of values. Decisions:

    - a respondent number given by the survey itself (``resp_id``, ``ID``, ``ResponseId``) is
      not identifying: it links to nothing outside the file. Numbers that do link to records
      elsewhere (leerlingnummer, studentnummer, clientnummer, BSN, Qualtrics
      ``ExternalReference``, LimeSurvey ``token``) are;
    - a four-digit postcode (PC4) is an area, not an address, and is not flagged; a full
      postcode (``1234 AB``) is;
    - a birth *year* or age is not flagged; an exact date of birth is;
    - quasi-identifiers (woonplaats, school, age with gender) are not flagged: they are
      analysis variables, and small-cell suppression protects them in tables;
    - a column whose name suggests an identifier but whose values are coded answers
      (``telefoon`` holding ja/nee, ``mobile`` holding 0/1) is not flagged, nor is an empty
      column or one holding only ``anonymous`` (Microsoft Forms' anonymous ``Naam``).

    Reasons are codes ``"<kind>:<evidence>"`` (``"email:name"``, ``"phone:content"``,
    ``"free_text:content"``); :func:`identifying_text` puts them in words. A codebook can mark a
    column identifying (``identifying: true`` in the sidecar) and can overrule a false alarm
    with ``identifying_reason`` set to :data:`NOT_IDENTIFYING`.

What leaves the machine
    :func:`safe_columns` and :func:`drop_identifying` are what exports use;
    :func:`respondent_data` gives respondent-level rows only with ``opt_in=True`` and drops the
    identifying columns even then; :func:`refuse_identifying` stops an estimate, figure or
    table being made *by* an identifying column.

Examples
--------
>>> import pandas as pd
>>> from youthmedia.privacy import find_identifying, suppress
>>> from youthmedia.result import Result
>>> r = Result.from_rows([
...     {"gender": "jongen", "variable": "tiktok", "category": "ja", "estimate": 0.8, "n": 120},
...     {"gender": "anders", "variable": "tiktok", "category": "ja", "estimate": 0.5, "n": 4},
... ], by=["gender"])
>>> s = suppress(r)
>>> s["suppressed"].tolist(), s["reason"].tolist()
([False, True], ['', 'small_n'])
>>> find_identifying(pd.DataFrame({"age": [13, 14], "e-mail": ["a@b.nl", "c@d.nl"]}))
{'e-mail': 'email:name'}
"""

from __future__ import annotations

import copy
import datetime as dt
import ipaddress
import math
import os
import re
import unicodedata
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .codebook import Codebook, Variable
from .errors import ConfigError, DisclosureError, YouthmediaWarning
from .result import Result
from .survey import Survey

__all__ = [
    "DEFAULT_INDICATIVE_N",
    "DEFAULT_MIN_N",
    "MARGIN_LABELS",
    "NOT_IDENTIFYING",
    "NOT_ASKED",
    "SUPPRESSED_SYMBOL",
    "Thresholds",
    "drop_identifying",
    "find_identifying",
    "footnotes",
    "get_thresholds",
    "identifying_columns",
    "identifying_text",
    "mark_identifying",
    "reason_text",
    "refuse_identifying",
    "reset_thresholds",
    "respondent_data",
    "safe_columns",
    "set_thresholds",
    "suppress",
    "thresholds",
]

# ================================================================================================
# Thresholds
# ================================================================================================

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
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d+", text):
            return int(text)
        raise ConfigError(
            f"{what} must be a whole number of respondents, not {value!r}{where}; for example 10."
        )
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ConfigError(
            f"{what} must be a whole number of respondents, not {value!r}{where}; for example 10."
        )
    if isinstance(value, (float, np.floating)) and (not math.isfinite(value) or value != int(value)):
        raise ConfigError(f"{what} must be a whole number of respondents, not {value!r}{where}.")
    if value < 0:
        raise ConfigError(f"{what} must be 0 or more, not {value!r}{where}.")
    return int(value)


def _from_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return _check_count(raw, name, " (environment variable)")


def _resolve(min_n: Any = None, indicative_n: Any = None) -> Thresholds:
    """Thresholds for one call: arguments > set_thresholds > environment > defaults."""
    base_min = _settings["min_n"] if _settings["min_n"] is not None else _from_env(ENV_MIN_N, DEFAULT_MIN_N)
    base_ind = (
        _settings["indicative_n"]
        if _settings["indicative_n"] is not None
        else _from_env(ENV_INDICATIVE_N, DEFAULT_INDICATIVE_N)
    )
    m = base_min if min_n is None else _check_count(min_n, "min_n")
    i = base_ind if indicative_n is None else _check_count(indicative_n, "indicative_n")
    if min_n is not None and indicative_n is not None and i < m:
        raise ConfigError(
            f"indicative_n ({i}) must not be below min_n ({m}): estimates under min_n are "
            "suppressed, those between min_n and indicative_n are flagged as indicative."
        )
    # Only one of them given (or inherited): an indicative band below min_n is empty.
    return Thresholds(m, max(i, m))


def get_thresholds() -> Thresholds:
    """The thresholds in force: ``set_thresholds`` values, else the environment, else 10 and 30.

    Examples
    --------
    >>> from youthmedia.privacy import get_thresholds
    >>> get_thresholds().min_n >= 0
    True
    """
    return _resolve()


def set_thresholds(min_n: int | None = None, indicative_n: int | None = None) -> Thresholds:
    """Set the thresholds for this session (a project's notebooks, a CLI run).

    Parameters
    ----------
    min_n : int, optional
        Estimates whose unweighted base is below this are suppressed. Unchanged when None.
    indicative_n : int, optional
        Estimates whose base is below this (and not below ``min_n``) are flagged indicative.

    Returns
    -------
    Thresholds
        The thresholds in force *before* the call (to restore them).

    Examples
    --------
    >>> from youthmedia.privacy import set_thresholds, reset_thresholds, get_thresholds
    >>> _ = set_thresholds(min_n=5, indicative_n=20)
    >>> get_thresholds()
    Thresholds(min_n=5, indicative_n=20)
    >>> reset_thresholds()
    """
    before = get_thresholds()
    new_min = _settings["min_n"] if min_n is None else _check_count(min_n, "min_n")
    new_ind = (
        _settings["indicative_n"] if indicative_n is None else _check_count(indicative_n, "indicative_n")
    )
    effective_min = new_min if new_min is not None else before.min_n
    if indicative_n is not None and new_ind is not None and new_ind < effective_min:
        raise ConfigError(
            f"indicative_n ({new_ind}) must not be below min_n ({effective_min}); "
            f"call set_thresholds(min_n={effective_min}, indicative_n={effective_min}) or higher."
        )
    _settings["min_n"], _settings["indicative_n"] = new_min, new_ind
    return before


def reset_thresholds() -> None:
    """Forget :func:`set_thresholds`: back to the environment variables or the defaults."""
    _settings["min_n"] = None
    _settings["indicative_n"] = None


@contextmanager
def thresholds(min_n: int | None = None, indicative_n: int | None = None) -> Iterator[Thresholds]:
    """Use other thresholds inside a ``with`` block only.

    Examples
    --------
    >>> from youthmedia.privacy import thresholds, get_thresholds
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


# ================================================================================================
# Reason codes and their words
# ================================================================================================

SMALL_N = "small_n"
COMPLEMENTARY = "complementary"
INDICATIVE = "indicative"
SUPPRESSED = "suppressed"
_PRIVACY_CODES = (SMALL_N, COMPLEMENTARY, INDICATIVE, SUPPRESSED)
#: Not a privacy rule: the estimator found no base because the question or option was not put
#: to the group (TikTok in a 2015 wave). The row has no numbers; ``suppress`` leaves it alone.
NOT_ASKED = "not_asked"

_SHORT = {
    "nl": {
        SMALL_N: "n < {min_n}",
        COMPLEMENTARY: "aanvullend onderdrukt",
        INDICATIVE: "indicatief: n < {indicative_n}",
        SUPPRESSED: "niet getoond",
        NOT_ASKED: "niet gevraagd",
    },
    "en": {
        SMALL_N: "n < {min_n}",
        COMPLEMENTARY: "complementary suppression",
        INDICATIVE: "indicative: n < {indicative_n}",
        SUPPRESSED: "not shown",
        NOT_ASKED: "not asked",
    },
}

_FOOTNOTE = {
    "nl": {
        SMALL_N: "{sym} = niet getoond: gebaseerd op minder dan {min_n} respondenten (n < {min_n}).",
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


def _count_text(n: int, lang: str) -> str:
    text = f"{n:,}"
    return text.replace(",", ".") if lang == "nl" else text


def _split_codes(reason: Any) -> list[str]:
    if reason is None or (isinstance(reason, float) and math.isnan(reason)) or reason is pd.NA:
        return []
    return [c.strip() for c in str(reason).split(";") if c.strip()]


def reason_text(
    code: str,
    lang: str = "nl",
    min_n: int | None = None,
    indicative_n: int | None = None,
) -> str:
    """Short words for a ``reason`` code (or several separated by ``";"``).

    Parameters
    ----------
    code : str
        A value of a Result's ``reason`` column.
    lang : {"nl", "en"}
    min_n, indicative_n : int, optional
        The thresholds to name; by default those in force (pass ``result.meta["privacy"]``
        values to name the ones the Result was suppressed with).

    Returns
    -------
    str
        ``""`` for ``""``; codes this module does not know are passed through unchanged.

    Examples
    --------
    >>> from youthmedia.privacy import reason_text
    >>> reason_text("small_n", "nl", min_n=10)
    'n < 10'
    >>> reason_text("indicative", "en", indicative_n=30)
    'indicative: n < 30'
    """
    lang = _lang(lang)
    th = _resolve(min_n, indicative_n)
    values = {"min_n": _count_text(th.min_n, lang), "indicative_n": _count_text(th.indicative_n, lang)}
    parts = []
    for c in _split_codes(code):
        template = _SHORT[lang].get(c)
        parts.append(template.format(**values) if template else c)
    return "; ".join(parts)


def footnotes(result: pd.DataFrame, lang: str = "nl") -> list[str]:
    """The footnote sentences a figure or table of ``result`` needs, in a fixed order.

    Examples
    --------
    >>> from youthmedia.result import Result
    >>> from youthmedia.privacy import footnotes, suppress
    >>> r = suppress(Result.from_rows([{"variable": "x", "category": "ja", "estimate": 0.4, "n": 3}]))
    >>> footnotes(r, "en")
    ['– = not shown: based on fewer than 10 respondents (n < 10).']
    """
    lang = _lang(lang)
    info = getattr(result, "meta", {}).get("privacy", {}) if hasattr(result, "meta") else {}
    th = _resolve(info.get("min_n"), info.get("indicative_n"))
    values = {
        "min_n": _count_text(th.min_n, lang),
        "indicative_n": _count_text(th.indicative_n, lang),
        "sym": SUPPRESSED_SYMBOL,
    }
    present: set[str] = set()
    if "reason" in result.columns:
        for r in result["reason"]:
            present.update(_split_codes(r))
    return [_FOOTNOTE[lang][c].format(**values) for c in (*_PRIVACY_CODES, NOT_ASKED) if c in present]


# ================================================================================================
# Suppression
# ================================================================================================

#: ``by`` values (and ``category`` values) that mark a margin (total) row, compared casefolded.
MARGIN_LABELS = frozenset(
    {"totaal", "total", "totaal/total", "alle", "all", "overall", "alle respondenten",
     "all respondents", "iedereen", "everyone"}
)

# Kinds whose categories (within one group and variable) add up to a known whole (100 %).
_SUMMING_KINDS = {"share", "crosstab", "table", "count"}
# Columns a suppression never blanks (hide_base adds n, n_eff and base to what is blanked).
_KEEP = {"variable", "category", "suppressed", "reason"}
_BASE_COLUMNS = ("n", "n_eff", "base")


def _margin_mask(values: pd.Series, labels: frozenset[str]) -> np.ndarray:
    def is_margin(v: Any) -> bool:
        return isinstance(v, str) and v.strip().casefold() in labels

    return np.fromiter((is_margin(v) for v in values.astype(object)), dtype=bool, count=len(values))


def _group_indices(frame: pd.DataFrame, keys: list[str], rows: np.ndarray) -> list[np.ndarray]:
    """Positions (into frame) of ``rows`` grouped by ``keys``."""
    if len(rows) == 0:
        return []
    if not keys:
        return [rows]
    sub = frame.iloc[rows][keys].astype(object)
    sub = sub.where(sub.notna(), "\x00<missing>")
    sub.index = range(len(sub))
    groups = sub.groupby(keys, sort=False, dropna=False).indices
    return [rows[np.asarray(ix)] for ix in groups.values()]


def _linked_sets(
    frame: pd.DataFrame, by: list[str], kind: str, labels: frozenset[str], margins_known: bool
) -> list[tuple[np.ndarray, bool]]:
    """Sets of rows that add up to a total shown or known: (member positions, linked?)."""
    n_rows = len(frame)
    everything = np.arange(n_rows)
    sets: list[tuple[np.ndarray, bool]] = []
    var_key = ["variable"] if "variable" in frame.columns else []

    # (1) the categories of one variable within one group.
    if "category" in frame.columns:
        cat_margin = _margin_mask(frame["category"], labels)
        for rows in _group_indices(frame, by + var_key, everything):
            members = rows[~cat_margin[rows]]
            linked = kind in _SUMMING_KINDS or bool(cat_margin[rows].any())
            if len(members) > 1 and linked:
                sets.append((members, True))

    # (2) the groups of one by-variable, where the Result holds that variable's margin row or
    # the margin is known otherwise (a crosstab's column percentages give the column totals).
    cat_key = ["category"] if "category" in frame.columns else []
    for b in by:
        b_margin = _margin_mask(frame[b], labels)
        if not b_margin.any() and not margins_known:
            continue
        others = [x for x in by if x != b] + var_key + cat_key
        for rows in _group_indices(frame, others, everything):
            if b_margin[rows].any() or margins_known:
                members = rows[~b_margin[rows]]
                if len(members) > 1:
                    sets.append((members, True))
    return sets


def _complement(
    sets: list[tuple[np.ndarray, bool]],
    supp: np.ndarray,
    n: np.ndarray,
    size: np.ndarray,
    min_n: int,
) -> np.ndarray:
    """Add cells to ``supp`` until no suppressed cell can be recovered; returns the new ones."""
    added = np.zeros(len(supp), dtype=bool)
    order_n = np.where(np.isnan(n), np.inf, n)
    order_size = np.where(np.isnan(size), np.inf, np.abs(size))
    changed = True
    while changed:
        changed = False
        for members, _ in sets:
            hidden = members[supp[members]]
            if len(hidden) == 0:
                continue
            while True:
                hidden = members[supp[members]]
                candidates = members[~supp[members]]
                if len(candidates) == 0:
                    break
                total = np.nansum(n[hidden]) if not np.all(np.isnan(n[hidden])) else np.inf
                if len(hidden) >= 2 and total >= min_n:
                    break
                # next-smallest: smallest n, then smallest estimate, then first in the table
                pick = candidates[np.lexsort((candidates, order_size[candidates], order_n[candidates]))[0]]
                supp[pick] = True
                added[pick] = True
                changed = True
    return added


def _has_digit(value: Any) -> bool:
    return isinstance(value, str) and any(ch.isdigit() for ch in value)


def suppress(
    result: pd.DataFrame,
    min_n: int | None = None,
    indicative_n: int | None = None,
    *,
    hide_base: bool | None = None,
) -> Result:
    """Suppress estimates on too few respondents, with complementary suppression.

    Parameters
    ----------
    result : Result
        A tidy estimate table with at least an ``n`` column (unweighted base per row).
    min_n : int, optional
        Suppress rows with ``n < min_n``; default from :func:`get_thresholds` (10).
    indicative_n : int, optional
        Flag rows with ``min_n <= n < indicative_n`` as indicative; default 30.
    hide_base : bool, optional
        Also blank ``n``, ``n_eff`` and ``base`` of suppressed rows. Default: only when
        ``result.meta["kind"] == "count"`` (where ``n`` is the cell itself).

    Returns
    -------
    Result
        A copy: suppressed rows have ``suppressed`` True, their numbers NaN and ``reason``
        ``"small_n"`` or ``"complementary"``; indicative rows have ``reason`` ``"indicative"``.
        ``meta["privacy"]`` records the thresholds and how many rows each rule hit. Columns named
        in ``meta["bases"]`` (statistic -> its base column) are blanked where that base is below
        ``min_n``. Applying it twice gives the same table.

    Raises
    ------
    ConfigError
        If ``result`` has no ``n`` column or a threshold is not a whole number.

    Examples
    --------
    >>> from youthmedia.result import Result
    >>> from youthmedia.privacy import suppress
    >>> r = Result.from_rows([{"variable": "x", "category": "ja", "estimate": 0.3, "n": 25}])
    >>> suppress(r).loc[0, "reason"]
    'indicative'
    >>> suppress(r, min_n=30).loc[0, "suppressed"]
    np.True_
    """
    if not isinstance(result, pd.DataFrame):
        raise ConfigError(f"suppress() takes a Result (a table of estimates), not {type(result).__name__}.")
    if "n" not in result.columns:
        raise ConfigError(
            "suppress() needs the unweighted base of each estimate in a column 'n'; "
            f"this table has columns {', '.join(map(str, result.columns))}."
        )
    th = _resolve(min_n, indicative_n)
    meta = copy.deepcopy(getattr(result, "meta", None) or {})
    test = getattr(result, "test", None)
    out = Result(pd.DataFrame(result).copy())
    out.meta = meta if meta else copy.deepcopy(Result.from_rows([]).meta)
    out.test = test
    kind = str(out.meta.get("kind") or "")
    by = [b for b in (out.meta.get("by") or []) if b in out.columns]
    if hide_base is None:
        hide_base = kind == "count"
    extra_labels = out.meta.get("margin_label") or []
    if isinstance(extra_labels, str):
        extra_labels = [extra_labels]
    labels = MARGIN_LABELS | {str(x).strip().casefold() for x in extra_labels}

    n = pd.to_numeric(pd.Series(out["n"]).astype(object), errors="coerce").to_numpy(dtype=float)
    if "suppressed" in out.columns:
        already = out["suppressed"].astype(object).map(lambda v: bool(v) if pd.notna(v) else False)
        already = already.to_numpy(dtype=bool)
    else:
        already = np.zeros(len(out), dtype=bool)
    reasons = [_split_codes(r) for r in out["reason"]] if "reason" in out.columns else [[]] * len(out)

    with np.errstate(invalid="ignore"):
        primary = ~already & (n < th.min_n)
    supp = already | primary
    size = (
        pd.to_numeric(pd.Series(out["estimate"]).astype(object), errors="coerce").to_numpy(dtype=float)
        if "estimate" in out.columns
        else np.full(len(out), np.nan)
    )
    margins_known = bool(out.meta.get("margins_known", kind == "crosstab"))
    sets = _linked_sets(out, by, kind, labels, margins_known)
    added = _complement(sets, supp, n, size, th.min_n)

    with np.errstate(invalid="ignore"):
        indicative = ~supp & (n >= th.min_n) & (n < th.indicative_n)

    new_reasons = []
    for i, codes in enumerate(reasons):
        if already[i]:
            kept = codes if codes else [SMALL_N if n[i] < th.min_n else SUPPRESSED]
        else:
            others = [c for c in codes if c not in _PRIVACY_CODES]
            first = [SMALL_N] if primary[i] else [COMPLEMENTARY] if added[i] else []
            if indicative[i]:
                first = [INDICATIVE]
            kept = first + others
        new_reasons.append(";".join(kept))

    out["suppressed"] = supp
    out["reason"] = new_reasons
    _blank(out, supp, by, hide_base)
    partial = _blank_secondary(out, out.meta.get("bases") or {}, th.min_n)
    out.meta["privacy"] = {
        "min_n": th.min_n,
        "indicative_n": th.indicative_n,
        "suppressed": int(supp.sum()),
        "small_n": int(primary.sum()),
        "complementary": int(added.sum()),
        "indicative": int(indicative.sum()),
        "base_hidden": bool(hide_base),
        "partial": partial,
    }
    return out


def _blank_secondary(out: pd.DataFrame, bases: dict[str, str], min_n: int) -> int:
    """Blank statistics that rest on another base than ``n`` where that base is too small.

    ``meta["bases"]`` maps such a column to the column holding its unweighted base, e.g. a
    crosstab's column percentages ``{"col_pct": "col_n", "col_pct_se": "col_n"}``. The row's
    own estimate stays; only those cells become NaN. Returns how many cells were blanked.
    """
    blanked = 0
    for stat, base_col in bases.items():
        if stat not in out.columns:
            continue
        if base_col not in out.columns:
            raise ConfigError(
                f"meta['bases'] says {stat!r} rests on the column {base_col!r}, which this Result "
                "does not have; add the unweighted base or remove the entry."
            )
        base = pd.to_numeric(pd.Series(out[base_col]).astype(object), errors="coerce").to_numpy(float)
        with np.errstate(invalid="ignore"):
            small = base < min_n
        values = pd.to_numeric(pd.Series(out[stat]).astype(object), errors="coerce").to_numpy(float, copy=True)
        small &= ~np.isnan(values)
        if small.any():
            values[small] = np.nan
            out[stat] = values
            blanked += int(small.sum())
    return blanked


def _blank(out: pd.DataFrame, rows: np.ndarray, by: list[str], hide_base: bool) -> None:
    """Blank every number of ``rows`` that could reveal the suppressed value (in place)."""
    if not rows.any():
        return
    keep = _KEEP | set(by) | (set() if hide_base else set(_BASE_COLUMNS))
    for col in out.columns:
        if col in keep:
            continue
        series = out[col]
        dtype = series.dtype
        if pd.api.types.is_bool_dtype(dtype):
            new = series.astype("boolean")
            new[rows] = pd.NA
            out[col] = new
        elif pd.api.types.is_numeric_dtype(dtype):
            if pd.api.types.is_extension_array_dtype(dtype):
                new = series.copy()
                new[rows] = pd.NA
            else:
                new = series.astype("float64")
                new[rows] = np.nan
            out[col] = new
        elif pd.api.types.is_datetime64_any_dtype(dtype) or pd.api.types.is_timedelta64_dtype(dtype):
            new = series.copy()
            new[rows] = pd.NaT
            out[col] = new
        elif isinstance(dtype, pd.CategoricalDtype):
            continue  # category labels, not numbers
        else:
            # Text columns: blank formatted numbers ("12,5%", "3 van 4") of suppressed rows.
            values = series.astype(object).to_numpy(copy=True)
            for i in np.flatnonzero(rows):
                v = values[i]
                if isinstance(v, str):
                    if _has_digit(v):
                        values[i] = ""
                elif isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_)):
                    values[i] = np.nan
            out[col] = pd.Series(values, index=out.index, dtype=None if dtype is np.dtype(object) else dtype)


# ================================================================================================
# Identifying columns
# ================================================================================================

#: ``Variable.identifying_reason`` that overrules detection: the codebook says "not identifying".
NOT_IDENTIFYING = "not identifying (codebook)"

_KINDS = {
    "name": ("naam", "name"),
    "email": ("e-mailadres", "e-mail address"),
    "phone": ("telefoonnummer", "phone number"),
    "ip": ("IP-adres", "IP address"),
    "postcode": ("postcode (6 tekens)", "full postcode"),
    "address": ("adres", "street address"),
    "id_number": ("leerling-, student-, cliënt- of burgerservicenummer",
                  "pupil, student, client or citizen service number"),
    "birth_date": ("exacte (geboorte)datum", "exact (birth) date"),
    "location": ("GPS-locatie", "GPS location"),
    "free_text": ("open antwoorden (vrije tekst)", "free-text answers"),
    "codebook": ("gemarkeerd in het codeboek", "marked in the codebook"),
}
_EVIDENCE = {
    "name": ("kolomnaam", "column name"),
    "label": ("vraagtekst", "question label"),
    "content": ("inhoud", "content"),
    "codebook": ("codeboek", "codebook"),
}


def identifying_text(reason: str, lang: str = "nl") -> str:
    """Words for a reason from :func:`find_identifying`.

    Examples
    --------
    >>> from youthmedia.privacy import identifying_text
    >>> identifying_text("email:content", "nl")
    'e-mailadres (inhoud)'
    >>> identifying_text("phone:name", "en")
    'phone number (column name)'
    """
    li = 0 if _lang(lang) == "nl" else 1
    kind, _, evidence = str(reason).partition(":")
    if kind not in _KINDS:
        return str(reason)
    words = _KINDS[kind][li]
    if evidence in _EVIDENCE and kind != "codebook":
        words += f" ({_EVIDENCE[evidence][li]})"
    return words


# -- by name -------------------------------------------------------------------------------------

def _fold(text: str) -> str:
    """Lower case, accents stripped, camelCase split, separators as '_'."""
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", str(text))
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


# Whole (squashed) names that mean an identifier whatever else is true ...
_STRONG_EXACT: dict[str, str] = {}
# ... and whole names that do so unless the values are coded answers (``telefoon`` = ja/nee).
_WEAK_EXACT: dict[str, str] = {}
# Substrings of the squashed name that mean an identifier.
_STRONG_PARTS: dict[str, str] = {}


def _register(table: dict[str, str], kind: str, words: str) -> None:
    for w in words.split():
        table[w] = kind


_register(_STRONG_EXACT, "name",
          "voornaam achternaam roepnaam familienaam tussenvoegsel voorletters initialen initials "
          "volledigenaam fullname firstname lastname surname givenname familyname forename "
          "middlename username gebruikersnaam accountnaam screenname nickname bijnaam schermnaam "
          "naamrespondent respondentnaam respondentname naamleerling leerlingnaam studentname "
          "studentnaam pupilname childname naamkind kindnaam contactname contactpersoon "
          "recipientfirstname recipientlastname naamouder oudernaam parentname naamdeelnemer "
          "deelnemernaam participantname handtekening signature")
_register(_WEAK_EXACT, "name", "naam name namen names")
_register(_STRONG_PARTS, "email", "email emailadres emailaddress mailadres")
_register(_WEAK_EXACT, "email", "mail")
_register(_STRONG_PARTS, "phone",
          "telefoonnummer telefoonnr telnr telnummer mobielnummer mobielnr mobielenummer "
          "gsmnummer gsmnr phonenumber phoneno phonenr telephonenumber mobilenumber "
          "cellphonenumber cellnumber whatsappnummer whatsappnumber 06nummer")
_register(_WEAK_EXACT, "phone", "telefoon tel mobiel gsm phone telephone mobile cellphone cell "
                                 "mobilephone mobieletelefoon")
_register(_STRONG_PARTS, "ip", "ipadres ipaddress ipaddr ipnummer remoteaddr")
_register(_STRONG_EXACT, "ip", "ip ipv4 ipv6 ip4 ip6")
_register(_STRONG_PARTS, "postcode", "postcode postalcode zipcode postcode6")
_register(_STRONG_EXACT, "postcode", "zip pc6 postcode6 zip5")
_register(_STRONG_PARTS, "address",
          "straatnaam huisnummer woonadres huisadres streetaddress homeaddress adresregel "
          "addressline straatenhuisnummer postadres")
_register(_WEAK_EXACT, "address", "adres address straat street")
_register(_STRONG_PARTS, "id_number",
          "leerlingnummer leerlingnr leerlingid llnummer studentnummer studentnr studentid "
          "studentnumber pupilid pupilnumber clientnummer clientnr clientid clientnumber "
          "dossiernummer dossiernr patientnummer patientnr patientid burgerservicenummer "
          "sofinummer onderwijsnummer klantnummer customerid personeelsnummer employeeid "
          "relatienummer lidnummer membernumber externalreference externaldatareference externalid "
          "socialsecurity nationalid paspoort passport rijbewijs documentnummer idkaart")
_register(_STRONG_EXACT, "id_number", "bsn ssn pgn llnr token bsnnummer")
_register(_STRONG_PARTS, "birth_date",
          "geboortedatum gebdatum birthdate dateofbirth birthday geboortedag verjaardag gebdat")
_register(_STRONG_EXACT, "birth_date", "dob")
_register(_STRONG_PARTS, "location",
          "latitude longitude geolocation geolocatie gpslocation gpslocatie coordinates coordinaten")
_register(_STRONG_EXACT, "location", "lat lon lng gps")
_register(_STRONG_PARTS, "free_text",
          "toelichting opmerking namelijk anderesnamelijk specify specificeer comment remark "
          "openantwoord openvraag openanswer vrijetekst freetext")

# Tokens of a name with ``naam``/``name`` that make it about a thing, not a person.
_NOT_PERSON = set(
    "app apps platform platforms school scholen bestand file game games spel merk brand kanaal "
    "channel site website web url device apparaat variable var variabele vraag question item "
    "organisatie organisation organization company bedrijf team club groep group klas class "
    "stad city plaats place woonplaats gemeente land country product programma program serie "
    "series show film movie boek book artist artiest influencer youtuber song lied dataset data "
    "survey label field kolom column domain host server map folder sheet tabblad wave meting "
    "opleiding study studie vak subject".split()
)
# Timestamps: a date column with one of these tokens is when the survey was filled in.
_TIME_TOKENS = {"time", "tijd", "tijdstip", "tijdstempel", "timestamp", "start", "begin",
                "begintijd", "eind", "end", "eindtijd", "completion", "voltooien", "voltooid",
                "submitted", "submit", "ingevuld", "invuldatum", "recorded", "modified",
                "wijziging", "datum_invullen", "startdate", "enddate", "recordeddate", "date"}

# Phrases in a variable label (folded, with spaces) and the kind they point to.
_LABEL_PHRASES = [
    (r"\be ?mail(adres| address)?\b", "email"),
    (r"\b(telefoonnummer|mobiele nummer|06 ?nummer|phone number|mobile number|telephone number)\b",
     "phone"),
    (r"\b(geboortedatum|date of birth|birth ?date|geboren op)\b", "birth_date"),
    (r"\b(leerlingnummer|studentnummer|clientnummer|burgerservicenummer|bsn|student number|"
     r"pupil number|client number|social security number)\b", "id_number"),
    (r"\b(postcode|zip ?code|postal code)\b", "postcode"),
    (r"\b(ip ?adres|ip address)\b", "ip"),
    (r"\b(voornaam|achternaam|first name|last name|surname|full name|volledige naam|"
     r"(je|jouw|uw|your) naam|(your|full) name|naam van de leerling|naam van het kind)\b", "name"),
    (r"\b(woonadres|huisadres|home address|street address|straat en huisnummer)\b", "address"),
    (r"\b(namelijk|toelichting|licht toe|please specify|specify|opmerking(en)?|comments?)\b",
     "free_text"),
]
_LABEL_RES = [(re.compile(p), kind) for p, kind in _LABEL_PHRASES]


def _kind_by_name(name: str) -> tuple[str | None, bool]:
    """(kind, strong) from a column name; (None, False) if it suggests nothing."""
    folded = _fold(name)
    tokens = [t for t in folded.split("_") if t]
    squashed = "".join(tokens)
    if not squashed:
        return None, False
    if squashed in {"pc4", "postcode4", "pc4code", "postcodepc4"}:
        return None, False
    if squashed in _STRONG_EXACT:
        return _STRONG_EXACT[squashed], True
    for part, kind in _STRONG_PARTS.items():
        if part in squashed:
            # "birthday" must not catch "birthday_month"-like counts? it may: still a date part.
            return kind, True
    if squashed in _WEAK_EXACT:
        return _WEAK_EXACT[squashed], False
    tokset = set(tokens)
    if tokset & {"naam", "name", "namen", "names"} and not tokset & _NOT_PERSON:
        return "name", False
    if tokset & {"ip"}:
        return "ip", True
    if tokset & {"bsn", "ssn", "llnr"}:
        return "id_number", True
    if tokset & {"adres", "address", "straat", "street"} and not tokset & {"ip", "mail", "web", "url"}:
        return "address", False
    if tokset & {"email", "mail"}:
        return "email", False
    if tokset & {"telefoon", "phone", "mobiel", "mobile", "gsm", "tel"} and tokset & {
        "nummer", "nr", "number", "no", "num"
    }:
        return "phone", True
    if tokens and tokens[-1] in {"text", "tekst", "txt"} or tokset & {"namelijk", "toelichting"}:
        return "free_text", False
    return None, False


def _kind_by_label(label: str | None) -> str | None:
    if not label:
        return None
    text = _fold(label).replace("_", " ")
    for pattern, kind in _LABEL_RES:
        if pattern.search(text):
            return kind
    return None


# -- by content ----------------------------------------------------------------------------------

_EMAIL = re.compile(r"^[A-Za-z0-9._%+'\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}$")
_EMAIL_IN = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_PHONE_IN = re.compile(
    r"(?<![\d+])(?:(?:\+|00)31[\s\-]?(?:\(0\))?[\s\-]?6|06)[\s\-]?(?:\d[\s\-]?){7}\d(?!\d)"
    r"|(?<![\w+])\+\d{1,3}(?:[\s\-]?\(?\d+\)?){2,6}(?!\d)"
)
_POSTCODE = re.compile(r"^[1-9]\d{3}\s?(?!SA|SD|SS)[A-Za-z]{2}$")
_PC4 = re.compile(r"^[1-9]\d{3}$")
_DATE_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_DATE_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
_PERSON_NAME = re.compile(
    r"^[A-ZÀ-Ý][a-zà-ÿ'\-]+(?:\s+(?:(?:van|de|der|den|het|ten|ter|te|in|'t|von|du|da|di|la|le|el)\s+)*"
    r"[A-ZÀ-Ý][a-zà-ÿ'\-]+){1,3}$"
)
_FIRST_NAME = re.compile(r"^[A-ZÀ-Ý][a-zà-ÿ'\-]{1,14}$")
_ANONYMOUS = {"", "anonymous", "anoniem", "anon", "n/a", "na", "-", "nvt", "n.v.t.", "onbekend",
              "unknown", "none", "geen", "nan"}
_CODED_WORDS = {"ja", "nee", "yes", "no", "y", "n", "j", "true", "false", "waar", "onwaar", "wel",
                "niet", "0", "1", "x", "weet niet", "don't know", "geen", "none", "soms", "vaak",
                "nooit", "altijd", "never", "sometimes", "often", "always"}


def _phone_digits(text: str) -> str | None:
    """The digits of a phone number written in full, or None if ``text`` is not one."""
    t = text.strip()
    if not re.fullmatch(r"[+\d][\d\s\-().]{6,22}", t):
        return None
    digits = re.sub(r"\D", "", t)
    if t.startswith("+") or digits.startswith("00"):
        return digits if 8 <= len(digits) <= 15 else None
    if digits.startswith("0") and len(digits) == 10:  # Dutch numbers: 06-12345678, 020-1234567
        return digits
    return None


def _elfproef(digits: str) -> bool:
    """The Dutch BSN 11-test: sum of 9*d1 + 8*d2 + ... + 2*d8 - d9 is a multiple of 11."""
    if len(digits) != 9 or digits == "000000000":
        return False
    total = sum((9 - i) * int(d) for i, d in enumerate(digits[:8])) - int(digits[8])
    return total % 11 == 0


def _sample(series: pd.Series, size: int) -> list[Any]:
    """Up to ``size`` non-missing values of ``series``, spread evenly over its rows."""
    if len(series) <= size:
        return [v for v in series.tolist() if not _missing(v)]
    pos = np.flatnonzero(series.notna().to_numpy())
    if len(pos) > size:
        pos = pos[np.unique(np.linspace(0, len(pos) - 1, size).round().astype(int))]
    return series.iloc[pos].tolist()


def _missing(v: Any) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def _as_date(v: Any) -> dt.date | None:
    if isinstance(v, dt.datetime):  # includes pandas.Timestamp
        if (v.hour, v.minute, v.second, v.microsecond) != (0, 0, 0, 0):
            return None
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, str):
        t = v.strip()
        try:
            m = _DATE_DMY.match(t)
            if m:
                return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            m = _DATE_YMD.match(t)
            if m:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None


def _looks_like_birth_dates(values: list[Any]) -> bool:
    """Dates of birth: day-precise, no time of day, spread over years, nearly all distinct.

    Dates a survey was filled in cluster on a few fieldwork days (and usually carry a time).
    """
    if len(values) < 5:
        return False
    dates = [d for d in map(_as_date, values) if d is not None]
    if len(dates) < 5 or len(dates) < 0.8 * len(values):
        return False
    span = (max(dates) - min(dates)).days
    distinct = len(set(dates)) / len(dates)
    days_of_month = len({d.day for d in dates})
    past = _share(d < dt.date.today() for d in dates)
    return span >= 2 * 365 and distinct >= 0.5 and days_of_month >= 3 and past >= 0.95


def _share(flags: Iterable[bool]) -> float:
    flags = list(flags)
    return sum(flags) / len(flags) if flags else 0.0


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_))


def _folded_text(values: list[Any]) -> list[str]:
    return [str(v).strip().casefold() for v in values]


def _is_anonymous(values: list[Any]) -> bool:
    """No values, or only placeholders (Microsoft Forms writes ``anonymous`` as the name)."""
    return all(isinstance(v, str) for v in values) and set(_folded_text(values)) <= _ANONYMOUS


def _is_coded(
    series: pd.Series,
    values: list[Any],
    var: Variable | None,
    small_numbers: bool = True,
    few_strings: bool = True,
) -> bool:
    """Whether the values are coded answers (yes/no, 1-5, a few labelled categories).

    With ``small_numbers=False`` plain numbers are never codes (pupil numbers, latitudes); with
    ``few_strings=False`` a handful of repeated words is not a code either (open answers).
    """
    if var is not None and var.value_labels:
        return True
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype) or all(isinstance(v, (bool, np.bool_)) for v in values):
        return True
    if isinstance(dtype, pd.CategoricalDtype):
        return len(dtype.categories) <= 20 and len(set(values)) < max(2, 0.5 * len(values))
    if all(_is_number(v) for v in values):
        if not small_numbers:
            return False
        return all(not math.isfinite(float(v)) or abs(float(v)) < 1000 for v in values)
    if any(isinstance(v, dt.date) for v in values):
        return False
    text = _folded_text(values)
    if set(text) <= _CODED_WORDS:
        return True
    uniq = len(set(text))
    return few_strings and uniq <= 5 and len(text) >= 4 * uniq


def _kind_by_numbers(values: list[Any]) -> str | None:
    """Identifiers stored as numbers: BSN (11-test) and phone numbers that lost their 0."""
    numbers = [float(v) for v in values if _is_number(v) and math.isfinite(float(v))]
    if len(numbers) < 3 or any(x != round(x) or abs(x) < 1e7 or abs(x) >= 1e15 for x in numbers):
        return None
    digits = [str(int(abs(x))) for x in numbers]
    if len(set(digits)) < 3:
        return None
    if all(len(d) <= 9 for d in digits) and _share(_elfproef(d.zfill(9)) for d in digits) >= 0.75:
        return "id_number"
    lost_zero = ((len(d) == 9 and d[0] == "6") or (len(d) == 11 and d.startswith("316")) for d in digits)
    if _share(lost_zero) >= 0.9:
        return "phone"
    return None


def _kind_by_text(values: list[str]) -> str | None:
    """The identifier kind (string) values show, if any."""
    values = [v.strip() for v in values if v.strip()]
    if not values:
        return None
    if _share(_EMAIL.match(v) is not None for v in values) >= 0.5:
        return "email"
    if _share(_phone_digits(v) is not None for v in values) >= 0.5:
        return "phone"
    if _share(_is_ip(v) for v in values) >= 0.5:
        return "ip"
    if _share(_POSTCODE.match(v) is not None for v in values) >= 0.5:
        return "postcode"
    nine = [v for v in values if v.isdigit() and len(v) == 9]
    if len(nine) >= 3 and len(nine) >= 0.9 * len(values) and _share(map(_elfproef, nine)) >= 0.75:
        return "id_number"
    if _looks_like_birth_dates(values):
        return "birth_date"
    uniq = len(set(values)) / len(values)
    if len(values) >= 5 and uniq >= 0.8:
        if _share(_PERSON_NAME.match(v) is not None for v in values) >= 0.8:
            return "name"
        if len(values) >= 10 and uniq >= 0.9 and _share(_FIRST_NAME.match(v) is not None for v in values) >= 0.9:
            return "name"
    if _looks_like_free_text(values):
        return "free_text"
    # A few answers with an e-mail address or phone number typed into them.
    if any(_EMAIL_IN.search(v) for v in values):
        return "email"
    if any(_PHONE_IN.search(v) for v in values):
        return "phone"
    return None


def _is_ip(text: str) -> bool:
    if not re.fullmatch(r"[0-9A-Fa-f:.]{7,45}", text) or ("." not in text and ":" not in text):
        return False
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _looks_like_free_text(values: list[str]) -> bool:
    """Open answers: mostly distinct, several words, many words nobody else used.

    A multiple-choice export ("Instagram;TikTok;") or a category ("15-16 jaar") repeats its
    words across respondents; free text does not.
    """
    if len(values) < 5 or len(set(values)) / len(values) < 0.5:
        return False
    words_per_value = [{w.casefold() for w in _WORD.findall(v)} for v in values]
    if sum(len(w) for w in words_per_value) / len(values) < 2.0:
        return False
    counts: dict[str, int] = {}
    for words in words_per_value:
        for w in words:
            counts[w] = counts.get(w, 0) + 1
    return _share(any(counts[w] == 1 for w in words) for words in words_per_value) >= 0.3


def _content_kind(series: pd.Series, values: list[Any], var: Variable | None) -> str | None:
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_timedelta64_dtype(dtype):
        return None
    if isinstance(dtype, pd.CategoricalDtype) and var is not None and var.value_labels:
        return None
    strings = [v for v in values if isinstance(v, str)]
    if len(strings) >= 0.5 * len(values):
        return _kind_by_text(strings)
    if any(isinstance(v, dt.date) for v in values):
        return "birth_date" if _looks_like_birth_dates(values) else None
    return _kind_by_numbers(values)


def _is_pc4(values: list[Any]) -> bool:
    """Four-digit postcodes only (PC4: an area of some thousands of addresses)."""
    return bool(values) and all(
        (_is_number(v) and 1000 <= float(v) <= 9999 and float(v) == int(v))
        or (isinstance(v, str) and _PC4.match(v.strip()) is not None)
        for v in values
    )


def _max_abs(data: pd.DataFrame, positions: list[int]) -> np.ndarray:
    """Largest absolute value of each numeric column (NaN for all-missing), in one pass."""
    if not positions:
        return np.array([])
    block = data.iloc[:, positions]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        hi = pd.to_numeric(block.max(axis=0, skipna=True), errors="coerce").to_numpy(dtype=float)
        lo = pd.to_numeric(block.min(axis=0, skipna=True), errors="coerce").to_numpy(dtype=float)
    return np.fmax(np.abs(hi), np.abs(lo))


def find_identifying(
    data: pd.DataFrame,
    codebook: Codebook | None = None,
    *,
    sample: int = 1000,
    exclude: Iterable[str] = (),
) -> dict[str, str]:
    """Columns that can identify a respondent, with the reason for each.

    Parameters
    ----------
    data : pandas.DataFrame
        Respondent-level data.
    codebook : Codebook, optional
        Variable labels (searched like names), value labels (coded answers are not
        identifiers), and ``identifying`` marks (kept, or overruled by
        ``identifying_reason == NOT_IDENTIFYING``).
    sample : int
        How many non-missing values of each column to look at (spread evenly over the rows).
    exclude : iterable of str
        Columns the user has checked and declares not identifying.

    Returns
    -------
    dict of str to str
        Column name -> reason code ``"<kind>:<evidence>"``, in column order. Kinds: name,
        email, phone, ip, postcode, address, id_number, birth_date, location, free_text;
        evidence: name, label, content (or ``codebook:codebook`` for a column marked there).
        Columns without any value are not listed: they cannot identify anybody.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.privacy import find_identifying
    >>> df = pd.DataFrame({"resp_id": [1, 2, 3], "contact": ["06-12345678", "0612345679", "+31 6 12345670"]})
    >>> find_identifying(df)
    {'contact': 'phone:content'}
    """
    if not isinstance(data, pd.DataFrame):
        raise ConfigError(f"find_identifying() takes a DataFrame, not {type(data).__name__}.")
    if isinstance(sample, bool) or not isinstance(sample, int) or sample < 1:
        raise ConfigError(f"sample must be a whole number of 1 or more, not {sample!r}.")
    skip = {str(c) for c in exclude}
    dtypes = list(data.dtypes)
    has_value = data.notna().any(axis=0).to_numpy() if len(data) else np.zeros(data.shape[1], bool)
    numeric = [
        i for i, d in enumerate(dtypes)
        if pd.api.types.is_numeric_dtype(d) and not pd.api.types.is_bool_dtype(d)
        and not isinstance(d, pd.CategoricalDtype)
    ]
    big = dict(zip(numeric, _max_abs(data, numeric) >= 1e7, strict=True))
    found: dict[str, str] = {}
    for pos, col in enumerate(data.columns):
        name = str(col)
        var = codebook.variables.get(name) if codebook is not None else None
        if name in skip or (var is not None and var.identifying_reason == NOT_IDENTIFYING):
            continue
        if var is not None and var.identifying:
            found[name] = var.identifying_reason or "codebook:codebook"
            continue
        if not has_value[pos]:
            continue
        kind, strong = _kind_by_name(name)
        evidence = "name"
        if kind is None and var is not None:
            kind, strong, evidence = _kind_by_label(var.label), False, "label"
        if kind is None and pos in big and not big[pos]:
            continue  # plain numbers under ten million: no BSN or phone number can hide there
        reason = _reason_for(data.iloc[:, pos], name, var, (kind, strong, evidence), sample)
        if reason:
            found[name] = reason
    return found


def _reason_for(
    series: pd.Series, name: str, var: Variable | None, hint: tuple[str | None, bool, str], sample: int
) -> str | None:
    kind, strong, evidence = hint
    values = _sample(series, sample)
    if not values or _is_anonymous(values):
        return None
    if kind is not None:
        if strong and kind in ("id_number", "birth_date", "location"):
            # A pupil number 1..30 or a latitude looks like any number: the name decides,
            # unless the answers are yes/no ("heb je een paspoort?").
            if not _is_coded(series, values, var, small_numbers=False):
                return f"{kind}:{evidence}"
        elif kind == "postcode" and _is_pc4(values):
            return None
        elif kind == "free_text":
            if not _is_coded(series, values, var, few_strings=False) and any(
                isinstance(v, str) and _WORD.search(v) for v in values
            ):
                return f"{kind}:{evidence}"
        elif not _is_coded(series, values, var):
            return f"{kind}:{evidence}"
        # The name promised an identifier, the values are coded answers ("telefoon": ja/nee).
    content = _content_kind(series, values, var)
    if content == "birth_date" and set(_fold(name).split("_")) & _TIME_TOKENS:
        return None  # dates the survey was filled in, not dates of birth
    return f"{content}:content" if content else None


def identifying_columns(obj: Survey | pd.DataFrame) -> dict[str, str]:
    """Identifying columns of a Survey (codebook marks and detection) or a DataFrame.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.privacy import identifying_columns
    >>> identifying_columns(pd.DataFrame({"naam": ["Sanne de Vries", "Daan Jansen"], "age": [13, 14]}))
    {'naam': 'name:name'}
    """
    if isinstance(obj, Survey):
        return find_identifying(obj.data, obj.codebook)
    if isinstance(obj, pd.DataFrame):
        return find_identifying(obj)
    raise ConfigError(f"Expected a Survey or a DataFrame, not {type(obj).__name__}.")


def mark_identifying(survey: Survey, *, exclude: Iterable[str] = (), sample: int = 1000) -> Survey:
    """A copy of ``survey`` whose codebook marks the identifying columns (data unchanged).

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> from youthmedia.privacy import mark_identifying
    >>> s = mark_identifying(Survey(pd.DataFrame({"email": ["a@b.nl"], "age": [13]})))
    >>> s.codebook.identifying, s.codebook["email"].identifying_reason
    (['email'], 'email:name')
    """
    if not isinstance(survey, Survey):
        raise ConfigError(f"mark_identifying() takes a Survey, not {type(survey).__name__}.")
    found = find_identifying(survey.data, survey.codebook, sample=sample, exclude=exclude)
    variables: dict[str, Variable] = {}
    for name, var in survey.codebook.variables.items():
        if name in found:
            variables[name] = replace(var, identifying=True, identifying_reason=found[name])
        else:
            variables[name] = var
    for name, reason in found.items():
        if name not in variables:
            variables[name] = Variable(name, identifying=True, identifying_reason=reason)
    codebook = replace(survey.codebook, variables=variables)
    return survey.replace(codebook=codebook)


def safe_columns(obj: Survey | pd.DataFrame, allow_identifying: bool = False) -> list[str]:
    """The columns that may be written or shown: all but the identifying ones.

    Parameters
    ----------
    obj : Survey or DataFrame
    allow_identifying : bool
        Return every column (for use on this machine only, e.g. a data check). Exports never
        pass True.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.privacy import safe_columns
    >>> safe_columns(pd.DataFrame({"age": [13, 14], "telefoonnummer": ["0612345678", "0687654321"]}))
    ['age']
    """
    columns = [str(c) for c in obj.data.columns] if isinstance(obj, Survey) else [str(c) for c in obj.columns]
    if allow_identifying:
        return columns
    bad = identifying_columns(obj)
    return [c for c in columns if c not in bad]


def drop_identifying(obj: Survey | pd.DataFrame) -> Survey | pd.DataFrame:
    """``obj`` without its identifying columns (a Survey's codebook, sets and groups pruned too).

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.privacy import drop_identifying
    >>> list(drop_identifying(pd.DataFrame({"age": [13], "e-mailadres": ["x@y.nl"]})).columns)
    ['age']
    """
    bad = identifying_columns(obj)
    if isinstance(obj, Survey):
        data = obj.data.drop(columns=[c for c in obj.data.columns if str(c) in bad])
        cb = obj.codebook
        mr_sets = {}
        for key, mr in cb.mr_sets.items():
            members = [v for v in mr.variables if v not in bad]
            if members:
                mr_sets[key] = replace(mr, variables=members)
        groups = {k: [v for v in vs if v not in bad] for k, vs in cb.groups.items()}
        codebook = replace(
            cb,
            variables={k: v for k, v in cb.variables.items() if k not in bad},
            mr_sets=mr_sets,
            groups={k: vs for k, vs in groups.items() if vs},
        )
        return obj.replace(data=data, codebook=codebook)
    return obj.drop(columns=[c for c in obj.columns if str(c) in bad])


def respondent_data(survey: Survey | pd.DataFrame, opt_in: bool = False) -> pd.DataFrame:
    """Respondent-level rows for writing to a file: only with an explicit opt-in, never identifiers.

    Parameters
    ----------
    survey : Survey or DataFrame
    opt_in : bool
        Must be exactly ``True``: the caller confirms that respondent-level data may leave the
        analysis (for instance to a colleague's secured drive).

    Returns
    -------
    pandas.DataFrame
        A copy without the identifying columns; ``attrs["dropped_identifying"]`` lists them
        (column -> reason), and a :class:`~youthmedia.errors.YouthmediaWarning` names them.

    Raises
    ------
    DisclosureError
        Without ``opt_in=True``.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.privacy import respondent_data
    >>> respondent_data(pd.DataFrame({"age": [13, 14]}), opt_in=True).columns.tolist()
    ['age']
    """
    where = ""
    if isinstance(survey, Survey):
        where = f" from {survey.source.path}" if survey.source.path else ""
        frame = survey.data
    elif isinstance(survey, pd.DataFrame):
        frame = survey
    else:
        raise ConfigError(f"respondent_data() takes a Survey or a DataFrame, not {type(survey).__name__}.")
    if opt_in is not True:
        raise DisclosureError(
            f"Writing respondent-level data{where} needs an explicit opt-in: pass opt_in=True "
            "(identifying columns are dropped even then); tables and figures need no opt-in."
        )
    bad = identifying_columns(survey)
    out = frame.drop(columns=[c for c in frame.columns if str(c) in bad]).copy()
    out.attrs = {**frame.attrs, "dropped_identifying": dict(bad)}
    if bad:
        shown = ", ".join(f"{c} ({identifying_text(r, 'en')})" for c, r in bad.items())
        warnings.warn(
            f"Respondent-level data{where}: dropped {len(bad)} identifying column(s): {shown}.",
            YouthmediaWarning,
            stacklevel=2,
        )
    return out


def refuse_identifying(survey: Survey | pd.DataFrame, names: Iterable[str], what: str = "an estimate") -> None:
    """Raise ``DisclosureError`` if any of ``names`` is an identifying column.

    Estimators, figures and tables call this for the variables they show (and group by), so
    that no name, e-mail address or open answer ends up on a slide.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.privacy import refuse_identifying
    >>> refuse_identifying(pd.DataFrame({"age": [13, 14]}), ["age"])   # fine: returns None
    """
    names = [str(n) for n in names]
    if isinstance(survey, Survey):
        marked = {v.name: v.identifying_reason or "codebook:codebook" for v in survey.codebook
                  if v.identifying}
        frame, codebook = survey.data, survey.codebook
    else:
        marked, frame, codebook = {}, survey, None
    wanted = [n for n in names if n in frame.columns]
    bad = {n: marked[n] for n in wanted if n in marked}
    rest = [n for n in wanted if n not in bad]
    if rest:
        bad.update(find_identifying(frame[rest], codebook))
    if bad:
        first, reason = next(iter(bad.items()))
        raise DisclosureError(
            f"Column {first!r} identifies respondents ({identifying_text(reason, 'en')}); it "
            f"cannot be used in {what}. Leave it out, or if this is a mistake mark it "
            f"'identifying: false' in the codebook sidecar."
        )
