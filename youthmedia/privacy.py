"""What may leave the machine: small-cell suppression and identifying columns.

Youth survey data is about minors, and the numbers end up on slides shown to rooms of people.
This module decides which estimates may be shown and which columns may never be written.

Small-cell suppression (:func:`suppress`)
    An estimate whose unweighted base ``n`` is below ``min_n`` (default 10), or whose Kish
    effective sample size ``n_eff`` is below ``min_n / 2`` (default 5: the weights let one or
    two respondents dominate it), is *suppressed* (reasons ``small_n``, ``small_n_eff``):
    ``suppressed`` becomes True and every number that could reveal it (``estimate``, ``se``,
    ``ci_low``, ``ci_high`` and any extra numeric column) becomes NaN, so that it cannot leak
    into a figure, table or deck. Where a suppressed cell could be recovered from a total,
    *complementary* suppression hides the next-smallest cell as well:

    - categories of one variable within one group (shares sum to 100 %; counts sum to a
      ``Totaal``/``Total`` category row where the table has one);
    - groups of one ``by`` variable where the Result also holds a margin row for that variable
      (a ``by`` value ``Totaal``, ``Total``, ``Alle``, ``All``, ``Overall``, or the label(s) in
      ``result.meta.margin_label``): the margin is a weighted sum of the groups.

    - groups of a crosstab (``meta.kind == "crosstab"``) always: its column percentages and
      counts give the column totals away (set ``meta.margins_known`` to say so for another
      kind of Result, or False to say a crosstab shows row percentages only).

    Cells are added, smallest ``n`` first (then smallest estimate), until each such set has
    either no suppressed cell or at least two whose bases add up to ``min_n`` or more.
    Recovery by combining *different* Results of one output (an overall share on one sheet, the
    same share by gender on the next) is prevented by :func:`suppress_across`, which the
    standard tables, deck and report apply to everything they show together.

    An estimate with ``min_n <= n < indicative_n`` (default 30) is kept but flagged
    *indicative*. A statistic that rests on another base than ``n`` (a crosstab's column
    percentage rests on the column's base) is blanked on its own where that base is below
    ``min_n``, if ``result.meta.bases`` names the base column: ``{"col_pct": "col_n"}``.

    **The base stays visible.** ``n``, ``n_eff`` and ``base`` of a suppressed share or mean are
    kept: they are the size of the group, not anybody's answer, and a reader needs them to see
    why a cell is empty (most statistical agencies show them). Where ``n`` *is* the cell itself
    — a table of counts, ``meta.kind == "count"`` or ``hide_base=True`` — they are hidden too.

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

Identifying content (:mod:`youthmedia.identifiers`, :func:`protect`, :func:`gate`)
    Judged on what a column holds — values, value labels, answer options and free text — with
    its name and label as hints: e-mail addresses, phone numbers, BSNs (11-test, any spacing),
    IBANs (mod-97), postcodes with house numbers, street addresses, dates of birth (also as
    text), person names (first-name list), handles, web and IP addresses, pupil/student numbers
    (by name), free text, and answers given by one respondent in a column whose other answers
    repeat. At load (:func:`protect`) a column that identifies as a whole is marked in the
    codebook and left out of every output; identifying answers and options of other columns are
    counted as "anders"; one warning line names them. A respondent number of the survey itself
    and a four-digit postcode are not identifying; a person's name chosen by ``min_n`` or more
    respondents (an influencer) is an answer category. A codebook sidecar can mark a column
    (``identifying: true``) or overrule a false alarm (``identifying: false``).

The gate (:func:`gate`, :func:`gate_file`, :func:`gate_figure`)
    Every file youthmedia writes passes :func:`youthmedia.files.atomic_path`, which hands its
    bytes to :func:`gate_file`: the texts people see (XLSX/PPTX text, notes, alt text, sheet
    names and document properties; CSV, text, Markdown, HTML, SVG and notebooks) are checked
    against the identifiers found at load in this process and against e-mail addresses, phone
    numbers, BSNs and IBANs anywhere; a hit stops the write with a ``DisclosureError``. Figure
    texts are checked before a PNG or PDF is drawn.

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
import html
import io
import math
import os
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from . import files
from . import identifiers as ident
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
    "forget_identifiers",
    "gate",
    "gate_figure",
    "gate_file",
    "get_thresholds",
    "identifying_columns",
    "identifying_text",
    "mark_identifying",
    "protect",
    "reason_text",
    "refuse_identifying",
    "reset_thresholds",
    "respondent_data",
    "safe_columns",
    "set_thresholds",
    "suppress",
    "suppress_across",
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


def _count_text(n: int, lang: str) -> str:
    text = f"{n:,}"
    return text.replace(",", ".") if lang == "nl" else text


def _eff_limit_text(min_n: int, lang: str) -> str:
    """``min_n / 2`` as text (5, or 2,5 / 2.5)."""
    half = min_n / 2
    text = f"{half:g}"
    return text.replace(".", ",") if lang == "nl" else text


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
        The thresholds to name; by default those in force (pass ``result.meta.privacy``
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
    values = {"min_n": _count_text(th.min_n, lang), "indicative_n": _count_text(th.indicative_n, lang),
              "min_n_eff": _eff_limit_text(th.min_n, lang)}
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
    info = result.meta.privacy if isinstance(result, Result) else {}
    th = _resolve(info.get("min_n"), info.get("indicative_n"))
    values = {
        "min_n": _count_text(th.min_n, lang),
        "min_n_eff": _eff_limit_text(th.min_n, lang),
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
        ``result.meta.kind == "count"`` (where ``n`` is the cell itself).

    Returns
    -------
    Result
        A copy: suppressed rows have ``suppressed`` True, their numbers NaN and ``reason``
        ``"small_n"`` or ``"complementary"``; indicative rows have ``reason`` ``"indicative"``.
        ``meta.privacy`` records the thresholds and how many rows each rule hit. Columns named
        in ``meta.bases`` (statistic -> its base column) are blanked where that base is below
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
    out = Result(pd.DataFrame(result).copy()).with_meta(getattr(result, "meta", None))
    out.test = getattr(result, "test", None)
    kind = out.meta.kind
    by = [b for b in out.meta.by if b in out.columns]
    if hide_base is None:
        hide_base = kind == "count"
    extra_labels = out.meta.margin_label
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

    eff = _eff_n(out)   # Kish n_eff: one respondent weighing 1000 among 29 is a group of ~1
    with np.errstate(invalid="ignore"):
        primary = ~already & ((n < th.min_n) | (eff < th.min_n / 2))
    supp = already | primary
    size = (
        pd.to_numeric(pd.Series(out["estimate"]).astype(object), errors="coerce").to_numpy(dtype=float)
        if "estimate" in out.columns
        else np.full(len(out), np.nan)
    )
    margins_known = kind == "crosstab" if out.meta.margins_known is None else out.meta.margins_known
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
            first = [SMALL_N if not n[i] >= th.min_n else SMALL_N_EFF] if primary[i] \
                else [COMPLEMENTARY] if added[i] else []
            if indicative[i]:
                first = [INDICATIVE]
            kept = first + others
        new_reasons.append(";".join(kept))

    out["suppressed"] = supp
    out["reason"] = new_reasons
    _blank(out, supp, by, hide_base)
    partial = _blank_secondary(out, out.meta.bases, th.min_n)
    return out.with_meta(privacy={
        "min_n": th.min_n,
        "indicative_n": th.indicative_n,
        "suppressed": int(supp.sum()),
        "small_n": int(primary.sum()),
        "complementary": int(added.sum()),
        "indicative": int(indicative.sum()),
        "base_hidden": bool(hide_base),
        "partial": partial,
    })


def _blank_secondary(out: pd.DataFrame, bases: dict[str, str], min_n: int) -> int:
    """Blank statistics that rest on another base than ``n`` where that base is too small.

    ``meta.bases`` maps such a column to the column holding its unweighted base, e.g. a
    crosstab's column percentages ``{"col_pct": "col_n", "col_pct_se": "col_n"}``. The row's
    own estimate stays; only those cells become NaN. Returns how many cells were blanked.
    """
    blanked = 0
    for stat, base_col in bases.items():
        if stat not in out.columns:
            continue
        if base_col not in out.columns:
            raise ConfigError(
                f"meta.bases says {stat!r} rests on the column {base_col!r}, which this Result "
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
# Suppression across one output
# ================================================================================================

def _key_frame(r: Result, by: list[str]) -> pd.DataFrame:
    cols = [c for c in (*by, "variable", "category") if c in r.columns]
    return pd.DataFrame(r)[cols].astype(object).where(lambda f: f.notna(), "").astype(str)


def suppress_across(results: Sequence[Result], min_n: int | None = None,
                    indicative_n: int | None = None) -> list[Result]:
    """Complementary suppression across the Results of one output (a workbook, deck or report).

    A Result by group shown beside the same figures overall (or by fewer groups) lets a reader
    subtract: in a class of 11 with one boy, 27.3 % of 11 overall and 20 % of 10 girls give the
    boy's answer away. Here every set of group cells whose total is shown elsewhere in the same
    output is treated as in :func:`suppress`: it holds either no hidden cell or at least two
    whose bases add up to ``min_n``; cells are hidden (reason ``"complementary"``) until that
    holds everywhere, also within each Result.

    Returns
    -------
    list of Result
        The Results suppressed (:func:`suppress`), in order; those that needed more hidden cells
        are copies with them blanked.

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
    th = _resolve(min_n, indicative_n)

    def own(r: Result, key: str, value: int | None) -> int | None:
        # a Result suppressed before keeps the thresholds it was made with, unless given here
        return value if value is not None else (r.meta.privacy if isinstance(r, Result) else {}).get(key)

    done = [suppress(r, own(r, "min_n", min_n), own(r, "indicative_n", indicative_n))
            for r in results]
    if len(done) < 2:
        return done
    th = th if min_n is not None else Thresholds(
        min(r.meta.privacy["min_n"] for r in done), th.indicative_n)
    starts = np.cumsum([0] + [len(r) for r in done])
    n = np.concatenate([pd.to_numeric(pd.Series(r["n"]).astype(object), errors="coerce")
                        .to_numpy(float) if "n" in r.columns else np.full(len(r), np.nan)
                        for r in done])
    size = np.concatenate([pd.to_numeric(pd.Series(r["estimate"]).astype(object), errors="coerce")
                           .to_numpy(float) if "estimate" in r.columns else np.full(len(r), np.nan)
                           for r in done])
    supp = np.concatenate([r["suppressed"].fillna(False).to_numpy(bool) for r in done])
    before = supp.copy()
    sets: list[tuple[np.ndarray, bool]] = []
    keys = []
    for i, r in enumerate(done):
        by, kind = [b for b in r.meta.by if b in r.columns], r.meta.kind
        known = kind == "crosstab" if r.meta.margins_known is None else r.meta.margins_known
        sets += [(m + starts[i], linked) for m, linked in _linked_sets(r, by, kind, MARGIN_LABELS, known)]
        keys.append((by, _key_frame(r, by)))
    for i, (by_i, key_i) in enumerate(keys):
        for j, (by_j, key_j) in enumerate(keys):
            extra = set(by_i) - set(by_j)
            if i == j or not set(by_j) < set(by_i) or len(extra) != 1:
                continue
            rest = [c for c in key_j.columns if c in key_i.columns]
            shown = set(map(tuple, key_j[rest].to_numpy()))
            for _, rows in key_i.groupby(rest, sort=False).indices.items() if rest else []:
                rows = np.asarray(rows)
                if tuple(key_i[rest].iloc[rows[0]]) in shown and len(rows) > 1:
                    sets.append((rows + starts[i], True))
    _complement(sets, supp, n, size, th.min_n)
    out = []
    for i, r in enumerate(done):
        new = supp[starts[i]:starts[i + 1]] & ~before[starts[i]:starts[i + 1]]
        if new.any():
            r = _add_hidden(r, new)
        out.append(r)
    return out


def _eff_n(r: pd.DataFrame) -> np.ndarray:
    """The smaller of ``n`` and Kish's effective n of each row (what suppression judges)."""
    n = pd.to_numeric(pd.Series(r["n"]).astype(object), errors="coerce").to_numpy(float) \
        if "n" in r.columns else np.full(len(r), np.nan)
    if "n_eff" in r.columns:
        eff = pd.to_numeric(pd.Series(r["n_eff"]).astype(object), errors="coerce").to_numpy(float)
        n = np.where(np.isnan(eff), n, np.fmin(n, eff))
    return n


def _add_hidden(r: Result, new: np.ndarray) -> Result:
    out = Result(pd.DataFrame(r).copy()).with_meta(r.meta)
    out.test = getattr(r, "test", None)
    out["suppressed"] = out["suppressed"].fillna(False).to_numpy(bool) | new
    out["reason"] = [COMPLEMENTARY if h else c for c, h in zip(out["reason"].astype(str), new, strict=True)]
    by = [b for b in out.meta.by if b in out.columns]
    _blank(out, new, by, bool(out.meta.privacy.get("base_hidden")))
    info = out.meta.privacy
    return out.with_meta(privacy={**info, "suppressed": int(out["suppressed"].sum()),
                                  "complementary": int(info.get("complementary", 0)) + int(new.sum())})


# ================================================================================================
# Identifying content: columns, answers, and the gate every output passes
# ================================================================================================

#: ``Variable.identifying_reason`` that overrules detection: the codebook says "not identifying".
NOT_IDENTIFYING = "not identifying (codebook)"

_KINDS = {
    "name": ("naam", "name"),
    "email": ("e-mailadres", "e-mail address"),
    "phone": ("telefoonnummer", "phone number"),
    "ip": ("IP-adres", "IP address"),
    "postcode": ("postcode met huisnummer", "postcode with house number"),
    "address": ("adres", "street address"),
    "id_number": ("leerling-, student-, cliënt-, bank- of burgerservicenummer",
                  "pupil, student, client, bank or citizen service number"),
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
_OTHER = {"nl": "anders", "en": "other"}


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


def _scan(data: pd.DataFrame, name: str, var: Variable | None, sample: int) -> ident.ColumnScan:
    return ident.scan_column(data[name], name, var.label if var else None,
                             var.value_labels if var else None,
                             var.measure if var else "unknown", get_thresholds().min_n, sample)


def find_identifying(
    data: pd.DataFrame,
    codebook: Codebook | None = None,
    *,
    sample: int = 5000,
    exclude: Iterable[str] = (),
) -> dict[str, str]:
    """Columns that identify a respondent as a whole, with the reason for each.

    Judged on what each column holds (:func:`youthmedia.identifiers.scan_column`); its name
    and label are hints. A column with only a few identifying answers among ordinary ones is
    not listed: :func:`protect` counts those answers as "anders".

    Parameters
    ----------
    data : pandas.DataFrame
    codebook : Codebook, optional
        Labels and value labels, and ``identifying`` marks (kept, or overruled by
        ``identifying_reason == NOT_IDENTIFYING``).
    sample : int
        How many non-missing values of each column to look at (spread over the rows).
    exclude : iterable of str
        Columns declared not identifying.

    Returns
    -------
    dict of str to str
        Column -> ``"<kind>:<evidence>"`` (evidence: name, label, content), in column order.

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
    found: dict[str, str] = {}
    for col in data.columns:
        name = str(col)
        var = codebook.variables.get(name) if codebook is not None else None
        if name in skip or (var is not None and var.identifying_reason == NOT_IDENTIFYING):
            continue
        if var is not None and var.identifying:
            found[name] = var.identifying_reason or "codebook:codebook"
        elif (reason := _scan(data, name, var, sample).reason) is not None:
            found[name] = reason
    return found


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


def mark_identifying(survey: Survey, *, exclude: Iterable[str] = (), sample: int = 5000) -> Survey:
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
    variables = {name: replace(var, identifying=True, identifying_reason=found[name])
                 if name in found else var for name, var in survey.codebook.variables.items()}
    for name, reason in found.items():
        variables.setdefault(name, Variable(name, identifying=True, identifying_reason=reason))
    return survey.replace(codebook=replace(survey.codebook, variables=variables))


def safe_columns(obj: Survey | pd.DataFrame, allow_identifying: bool = False) -> list[str]:
    """The columns that may be written or shown: all but the identifying ones.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.privacy import safe_columns
    >>> safe_columns(pd.DataFrame({"age": [13, 14], "telefoonnummer": ["0612345678", "0687654321"]}))
    ['age']
    """
    columns = [str(c) for c in (obj.data.columns if isinstance(obj, Survey) else obj.columns)]
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
    bad = set(identifying_columns(obj))
    if isinstance(obj, Survey):
        return _without(obj, bad)
    return obj.drop(columns=[c for c in obj.columns if str(c) in bad])


def _without(survey: Survey, bad: set[str], codebook: Codebook | None = None) -> Survey:
    """``survey`` without the columns ``bad`` (codebook, sets and groups pruned)."""
    cb = codebook or survey.codebook
    data = survey.data.drop(columns=[c for c in survey.data.columns if str(c) in bad])
    mr_sets = {k: replace(m, variables=[v for v in m.variables if v not in bad])
               for k, m in cb.mr_sets.items() if any(v not in bad for v in m.variables)}
    groups = {k: [v for v in vs if v not in bad] for k, vs in cb.groups.items()}
    return survey.replace(data=data, codebook=replace(
        cb, variables={k: v for k, v in cb.variables.items() if k not in bad}, mr_sets=mr_sets,
        groups={k: vs for k, vs in groups.items() if vs}))


def respondent_data(survey: Survey | pd.DataFrame, opt_in: bool = False) -> pd.DataFrame:
    """Respondent-level rows for writing to a file: only with an explicit opt-in, never identifiers.

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
    if isinstance(survey, Survey):
        where, frame = (f" from {survey.source.path}" if survey.source.path else ""), survey.data
    elif isinstance(survey, pd.DataFrame):
        where, frame = "", survey
    else:
        raise ConfigError(f"respondent_data() takes a Survey or a DataFrame, not {type(survey).__name__}.")
    if opt_in is not True:
        raise DisclosureError(
            f"Writing respondent-level data{where} needs an explicit opt-in: pass opt_in=True "
            "(identifying columns are dropped even then); tables and figures need no opt-in.")
    bad = identifying_columns(survey)
    out = frame.drop(columns=[c for c in frame.columns if str(c) in bad]).copy()
    out.attrs = {**frame.attrs, "dropped_identifying": dict(bad)}
    if bad:
        shown = ", ".join(f"{c} ({identifying_text(r, 'en')})" for c, r in bad.items())
        warnings.warn(f"Respondent-level data{where}: dropped {len(bad)} identifying column(s): "
                      f"{shown}.", YouthmediaWarning, stacklevel=2)
    return out


def refuse_identifying(survey: Survey | pd.DataFrame, names: Iterable[str], what: str = "an estimate") -> None:
    """Raise ``DisclosureError`` if any of ``names`` is an identifying column.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.privacy import refuse_identifying
    >>> refuse_identifying(pd.DataFrame({"age": [13, 14]}), ["age"])   # fine: returns None
    """
    frame, codebook = (survey.data, survey.codebook) if isinstance(survey, Survey) else (survey, None)
    wanted = [n for n in dict.fromkeys(map(str, names)) if n in frame.columns]
    bad = find_identifying(frame[wanted], codebook) if wanted else {}
    if bad:
        first, reason = next(iter(bad.items()))
        raise DisclosureError(
            f"Column {first!r} identifies respondents ({identifying_text(reason, 'en')}); it "
            f"cannot be used in {what}. Leave it out, or if this is a mistake mark it "
            f"'identifying: false' in the codebook sidecar.")


# -- at load: mark, count as "anders", index -----------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: identifiers seen in the surveys loaded in this process: folded text -> column
_INDEX: dict[str, str] = {}
_INDEX_LONGEST = [1]


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.findall(r"[\w@]+", text))


def _remember(texts: Iterable[Any], column: str, labels: set[str]) -> None:
    """Add identifying texts to the index (not texts the survey shows as labels elsewhere)."""
    for t in texts:
        if not isinstance(t, str):
            continue
        key = _norm(t)
        if len(key) >= 3 and key not in labels and len(_INDEX) < 500_000:
            _INDEX[key] = column
            _INDEX_LONGEST[0] = max(_INDEX_LONGEST[0], min(key.count(" ") + 1, 12))


def _worth_indexing(text: Any) -> bool:
    return isinstance(text, str) and (ident.kind_of(text) is not None or ident.is_first_name(text))


def _clean_labels(cb: Codebook, data: pd.DataFrame) -> int:
    """Strip control characters from labels and categories (in place); how many texts changed."""
    changed = 0

    def clean(text: Any) -> Any:
        nonlocal changed
        if isinstance(text, str) and _CONTROL.search(text):
            changed += 1
            return _CONTROL.sub("", text)
        return text

    for var in cb.variables.values():
        var.label = clean(var.label)
        var.value_labels = {k: clean(v) for k, v in var.value_labels.items()}
    for name in data.columns:
        col = data[name]
        if isinstance(col.dtype, pd.CategoricalDtype) and col.dtype.categories.dtype == object \
                or isinstance(col.dtype, pd.CategoricalDtype) and pd.api.types.is_string_dtype(col.dtype.categories):
            cats = [clean(c) for c in col.cat.categories]
            if cats != list(col.cat.categories) and len(set(cats)) == len(cats):
                data[name] = col.cat.rename_categories(cats)
    return changed


def protect(survey: Survey, warn: bool = True) -> Survey:
    """What :func:`youthmedia.load` does last: identifying content marked, counted or indexed.

    - a column that identifies as a whole is marked ``identifying`` in the codebook (every
      output leaves it out; estimates refuse it);
    - answers, value labels or multiple-response options that identify someone (an e-mail
      address typed into an answer, classmates' names as options, a typed "anders" text
      given by one respondent) are counted as "anders" and never shown;
    - the identifying texts go into the index that :func:`gate` checks every output against;
    - control characters are stripped from labels.

    One warning line names the columns and the reasons.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> s = protect(Survey(pd.DataFrame({"q": ["ja", "nee"] * 6 + ["mail sanne@x.nl"]})))  # doctest: +SKIP
    """
    data = survey.data.copy(deep=False)
    cb = copy.deepcopy(survey.codebook)
    where = survey.source.path or "survey"
    notes: list[str] = []
    if (k := _clean_labels(cb, data)):
        notes.append(f"control characters removed from {k} label(s)")
    labels = {_norm(t) for v in cb.variables.values() if not v.identifying
              for t in (v.label, *v.value_labels.values()) if isinstance(t, str)}
    members = {m for s in cb.mr_sets.values() for m in s.variables}
    min_n = get_thresholds().min_n
    for name in [str(c) for c in data.columns if str(c) not in members]:
        var = cb.variables.setdefault(name, Variable(name))
        if var.identifying_reason == NOT_IDENTIFYING:
            continue
        scan = ident.ColumnScan(var.identifying_reason or "codebook:codebook") if var.identifying \
            else _scan(data, name, var, 5000)
        if scan.reason:
            var.identifying, var.identifying_reason = True, scan.reason
            col = data[name]
            values = col.dropna().unique()[:100_000] if pd.api.types.is_string_dtype(col.dtype) \
                or col.dtype == object or isinstance(col.dtype, pd.CategoricalDtype) else []
            # a name column: every value; any other: the values identifying by content (an
            # ordinary answer of a column the user excluded must stay printable elsewhere)
            named = scan.reason.startswith("name")
            _remember((v for v in (*values, *var.value_labels.values())
                       if named or _worth_indexing(v)), name, labels)
            notes.append(f"{name!r} left out ({identifying_text(scan.reason, 'en')})")
        elif scan.answers:
            data[name] = _as_other(data[name], var, set(scan.answers))
            _remember(scan.answers, name, labels)
            notes.append(f"{len(scan.answers)} answer(s) of {name!r} counted as "
                         f"'{_OTHER['nl']}' ({', '.join(sorted({_KINDS[k][1] for k in scan.answers.values()}))})")
    for set_name, mr in list(cb.mr_sets.items()):
        notes += _protect_set(data, cb, set_name, mr, min_n, labels)
    if notes and warn:
        warnings.warn(f"{where}: privacy: {'; '.join(notes)}; they never appear in an output.",
                      YouthmediaWarning, stacklevel=3)
    return survey.replace(data=data, codebook=cb)


def _as_other(col: pd.Series, var: Variable, bad: set[str]) -> pd.Series:
    """``col`` with the answers ``bad`` counted as "anders" (an existing anders/other kept)."""
    cats = list(col.cat.categories) if isinstance(col.dtype, pd.CategoricalDtype) else None
    known = [c for c in (cats or col.dropna().astype(str).unique()) if str(c).strip().casefold()
             in ("anders", "other", "overig", "overige")]
    other = known[0] if known else _OTHER["nl"]
    text = col.astype(object).map(lambda v: other if isinstance(v, str) and v.strip() in bad else v)
    var.value_labels = {k: v for k, v in var.value_labels.items() if str(v).strip() not in bad}
    if cats is not None or var.value_labels:
        if other not in var.value_labels.values():
            var.value_labels[other if all(isinstance(k, str) for k in var.value_labels) else
                             max([k for k in var.value_labels if isinstance(k, (int, float))] + [0]) + 1] = other
        order = [c for c in (cats or var.value_labels.values()) if str(c).strip() not in bad]
        order += [other] if other not in order else []
        text = text.where(text.isin(order))   # what is no answer of the list stays missing
        return pd.Series(pd.Categorical(text, categories=order,
                                        ordered=bool(cats and col.cat.ordered)), index=col.index)
    return pd.Series(text, index=col.index, dtype=col.dtype if col.dtype != object else None)


def _protect_set(data: pd.DataFrame, cb: Codebook, set_name: str, mr: Any, min_n: int,
                 labels: set[str]) -> list[str]:
    """Options of a multiple-response set that identify someone: merged into "anders"."""
    counted = mr.counted_value if mr.counted_value is not None else 1
    label_of = {m: (cb.variables[m].label if m in cb.variables and cb.variables[m].label else m)
                for m in mr.variables if m in data.columns}
    chosen = {m: int((pd.to_numeric(data[m], errors="coerce") == counted).sum()) for m in label_of}
    counts = pd.Series({label_of[m]: chosen[m] for m in label_of})
    counts = counts.groupby(level=0).sum()
    found = ident.scan_answers(counts[counts > 0], min_n)
    bad = [m for m in label_of if label_of[m] in found]
    if not bad:
        return []
    _remember([label_of[m] for m in bad], set_name, labels)
    keep = [m for m in mr.variables if m not in bad]
    other = next((m for m in keep if str(label_of.get(m, "")).strip().casefold() in ("anders", "other")),
                 None)
    hit = np.zeros(len(data), bool)
    for m in bad:
        hit |= (pd.to_numeric(data[m], errors="coerce") == counted).to_numpy()
    if other is None:
        other = f"{set_name}_anders"
        base = pd.to_numeric(data[bad[0]], errors="coerce")
        data[other] = np.where(base.isna(), np.nan, 0.0)
        cb.variables[other] = Variable(other, label=_OTHER["nl"].capitalize(), type="numeric",
                                       measure="nominal", group=set_name)
        keep.append(other)
    col = pd.to_numeric(data[other], errors="coerce").to_numpy(float, copy=True)
    col[hit] = counted
    data[other] = col
    for m in bad:
        del data[m]
    for m in bad:
        cb.variables.pop(m, None)
    cb.mr_sets[set_name] = replace(mr, variables=keep)
    kinds = sorted({_KINDS[ident._public_kind(found[label_of[m]])][1] for m in bad})
    return [f"{len(bad)} option(s) of {set_name!r} counted as '{_OTHER['nl']}' ({', '.join(kinds)})"]


# -- the gate ------------------------------------------------------------------------------------

_GENERIC = [(k, rx) for k, rx in ident._PATTERNS if k in ("email", "phone", "bsn", "iban")]
_XML_TEXT = re.compile(r"<(?:\w+:)?t(?:\s[^>]*)?>([^<]*)</(?:\w+:)?t>|\s(?:descr|title|name)=\"([^\"]*)\"")
_HTML_SKIP = re.compile(r"<(script|style|svg)\b.*?</\1>|data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_SVG_TEXT = re.compile(r"<!--(.*?)-->|<(?:title|desc|text)[^>]*>([^<]*)<", re.S)


def _found_in(text: str) -> tuple[str, str] | None:
    """(kind, column) of an identifier in ``text`` (texts joined by newlines), or None."""
    for kind, rx in _GENERIC:
        for m in rx.finditer(text):
            check = ident._CHECKS.get(kind)
            if check is None or check(m.group(0)):
                return kind, ""
    if _INDEX:
        folded = unicodedata.normalize("NFKD", text.casefold())
        words = re.findall(r"[\w@]+|\n", "".join(ch for ch in folded
                                                  if not unicodedata.combining(ch)))
        longest = _INDEX_LONGEST[0]
        for i in range(len(words)):
            for j in range(i + 1, min(i + longest, len(words)) + 1):
                if words[j - 1] == "\n":
                    break
                col = _INDEX.get(" ".join(words[i:j]))
                if col is not None:
                    return "known", col
    return None


def gate(texts: Iterable[Any], where: str) -> None:
    """Refuse to write ``where`` if any of ``texts`` holds an identifier.

    Checks every text against the identifiers found in the surveys loaded in this process
    (:func:`protect`) and against e-mail addresses, phone numbers, BSNs and IBANs anywhere.

    Raises
    ------
    DisclosureError
        Naming the file and the kind of identifier (never the identifier itself).

    Examples
    --------
    >>> gate(["Gepest online: 27 %"], "deck.pptx")
    >>> gate(["mail sanne@example.nl"], "deck.pptx")
    Traceback (most recent call last):
    ...
    youthmedia.errors.DisclosureError: deck.pptx: not written: it would show an e-mail address ...
    """
    hit = _found_in("\n".join(t for t in texts if isinstance(t, str) and len(t) >= 3))
    if hit:
        kind, col = hit
        what = {"bsn": "a citizen service number (BSN)", "iban": "a bank account number",
                "email": "an e-mail address", "phone": "a phone number"}.get(
            kind, f"an identifying value of column {col!r}")
        raise DisclosureError(
            f"{where}: not written: it would show {what} (identifiers never leave the "
            "machine). Leave that column or text out of the output; if it is not an "
            "identifier, mark the column 'identifying: false' in the codebook sidecar.")


def output_texts(blob: bytes, suffix: str) -> list[str]:
    """The texts people see in a file youthmedia writes (what :func:`gate_file` checks)."""
    suffix = suffix.lower()
    if suffix in (".xlsx", ".pptx", ".docx"):
        out = []
        with zipfile.ZipFile(io.BytesIO(blob)) as z:
            for info in z.infolist():
                if info.filename.endswith((".xml", ".rels")) and "theme" not in info.filename:
                    xml = z.read(info.filename).decode("utf-8", "replace")
                    out += [html.unescape(a or b) for a, b in _XML_TEXT.findall(xml)]
        return out
    text = blob.decode("utf-8", "replace")
    if suffix == ".ipynb":
        return _notebook_texts(text)
    if suffix == ".svg":
        return [html.unescape(a or b) for a, b in _SVG_TEXT.findall(text)]
    if suffix in (".html", ".htm"):
        return [html.unescape(_TAG.sub(" ", _HTML_SKIP.sub(" ", text)))]
    return [text]


def _notebook_texts(text: str) -> list[str]:
    """A notebook's sources and text outputs; images (base64, whose letters can spell an IBAN
    by chance) were checked as figures before they were drawn."""
    import json

    try:
        nb = json.loads(text)
    except ValueError:
        return [text]
    out = []
    for cell in nb.get("cells", []):
        out.append("".join(cell.get("source", "")))
        for o in cell.get("outputs", []):
            out.append("".join(o.get("text", "")) + "".join(o.get("traceback", [])))
            for mime, value in (o.get("data") or {}).items():
                if mime.startswith("text/") or mime.endswith("json"):
                    out.append(value if isinstance(value, str) else "".join(map(str, value)))
    return out


#: Files whose text :func:`gate_file` checks; other files (PNG, PDF, SPSS) have their texts
#: checked before they are drawn (:func:`gate_figure`) or are data written on purpose.
GATED_SUFFIXES = (".xlsx", ".pptx", ".docx", ".csv", ".txt", ".md", ".html", ".htm", ".svg",
                  ".ipynb")


def gate_file(path: Path, blob: bytes) -> None:
    """:func:`gate` for a whole file about to be written (called by :mod:`youthmedia.files`)."""
    if path.suffix.lower() in GATED_SUFFIXES:
        gate(output_texts(blob, path.suffix), str(path))


def gate_figure(fig: Any, where: str = "figure") -> None:
    """:func:`gate` for every text drawn on a matplotlib figure and its Slide's alt text and
    notes."""
    from matplotlib.text import Text

    texts = [t.get_text() for t in fig.findobj(Text)]
    slide = getattr(fig, "slide", None)   # the typed Slide: alt text, notes, footnotes
    gate(texts + (slide.texts() if hasattr(slide, "texts") else []), where)


def forget_identifiers() -> None:
    """Empty the index of identifiers seen in this process (tests; a long-running app)."""
    _INDEX.clear()
    _INDEX_LONGEST[0] = 1


files.add_check(gate_file)
