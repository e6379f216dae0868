"""Cells and labels as text: missing-value markers, a cell as typed, group values, slugs.

Examples
--------
>>> from youthmedia.published.text import _is_missing, _slug
>>> _is_missing("n.b."), _is_missing("12"), _slug("Facebook – account")
(True, False, 'facebook_account')
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

_MISSING = frozenset({
    "", "—", "–", "-", "−", "n.b.", "n.b", "nb", "n.v.t.", "n.v.t", "nvt", "n/a", "na", "nan",
    "#n/a", "#n/b", "#nb", "#null!", "null", "x", ".", "..", "...", "…", "geen gegevens",
    "no data", "not available", "onbekend", "unknown",
})


_EN_DASH = "–"


def _norm(header: Any) -> str:
    return re.sub(r"\s+", " ", str(header).strip().casefold())


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, str):
        return value.strip().casefold() in _MISSING
    return False


def _text(value: Any) -> str:
    """A cell as the user typed it (as near as the typed column allows)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, (np.integer, int)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return f"{float(value):g}"
    return str(value).strip()


def _group_text(value: Any) -> str:
    """A grouping cell as a label: ``2016`` not ``2016.0``."""
    return _text(value)


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^0-9a-z]+", "_", folded.casefold()).strip("_")
    return slug or "item"


def _nl_en(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


def _int_text(n: int, lang: str) -> str:
    text = f"{int(n):,}"
    return text.replace(",", ".") if lang == "nl" else text


def _match_group_value(value: Any, candidates: Sequence[str]) -> str | None:
    text = _group_text(value)
    if text in candidates:
        return text
    for c in candidates:
        try:
            if float(c.replace(",", ".")) == float(text.replace(",", ".")):
                return c
        except ValueError:
            continue
    return None
