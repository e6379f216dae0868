"""Dutch and English strings (the catalogue ``strings.yaml``, through :func:`t`) and number
formats: ``12,5%`` and ``1.234`` in Dutch, ``12.5%`` and ``1,234`` in English.

Examples
--------
>>> from youthmedia import i18n
>>> i18n.percent(0.125, "nl", decimals=1), i18n.integer(1512, "en"), i18n.t("source", "en")
('12,5%', '1,512', 'Source')
>>> i18n.join(["WhatsApp", "YouTube", "TikTok"], "nl")
'WhatsApp, YouTube en TikTok'
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import yaml

from .errors import ConfigError

__all__ = ["both", "integer", "number", "percent", "percent_range", "t"]

LANGS: tuple[str, ...] = ("nl", "en")
DEFAULT_LANG = "nl"
_CATALOGUE = yaml.safe_load((Path(__file__).with_name("strings.yaml")).read_text("utf-8"))
#: key -> {lang: template}; templates use str.format fields.
STRINGS: dict[str, dict[str, str]] = _CATALOGUE["strings"]
#: The reasons io gives (in English) for leaving a column out as identifying, in Dutch.
REASONS_NL: dict[str, str] = _CATALOGUE["reasons_nl"]


def reason(text: str, lang: str | None = None) -> str:
    """Why a column is left out (a reason from :mod:`youthmedia.io`), in ``lang``."""
    if check_lang(lang) == "nl":
        for en, nl in REASONS_NL.items():
            text = text.replace(en, nl)
    return text


def check_lang(lang: str | None) -> str:
    """``lang`` if supported (``None``: the default), else a ``ConfigError``."""
    if lang is None:
        return DEFAULT_LANG
    if lang not in LANGS:
        raise ConfigError(f"Unknown language {lang!r}; use one of {', '.join(LANGS)}.")
    return lang


def t(key: str, lang: str | None = None, **fields: Any) -> str:
    """The string ``key`` in ``lang``, with ``fields`` filled in."""
    lang = check_lang(lang)
    try:
        template = STRINGS[key][lang]
    except KeyError:
        raise ConfigError(f"No text {key!r} in {lang!r} in youthmedia/strings.yaml.") from None
    return template.format(**fields) if fields else template


def both(key: str, **fields: Any) -> dict[str, str]:
    """The string ``key`` in every language, ``{lang: text}``; a field may be ``{lang: text}``."""
    pick = lambda lg: {k: v[lg] if isinstance(v, dict) else v for k, v in fields.items()}  # noqa: E731
    return {lang: t(key, lang, **pick(lang)) for lang in LANGS}


def number(x: float | int | None, lang: str | None = None, decimals: int = 0) -> str:
    """``x`` with ``decimals`` decimals, halves away from zero; ``""`` for missing."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    # as statistical offices round (12.5 -> 13), after removing binary noise (14.4999... -> 14.5)
    exact = Decimal(f"{float(x):.9f}").quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    text = f"{exact:,.{decimals}f}".removeprefix("-" if exact == 0 else "\0")  # no "-0.0"
    thousands, dec = (".", ",") if check_lang(lang) == "nl" else (",", ".")
    return text.replace(",", "\0").replace(".", dec).replace("\0", thousands)


def integer(n: float | int | None, lang: str | None = None) -> str:
    """A whole number with a thousands separator (``1.512`` / ``1,512``)."""
    return number(n, lang, 0)


def percent(p: float | None, lang: str | None = None, decimals: int = 0) -> str:
    """A proportion as a percentage; near 0% or 100% but not 0 or 1: ``<1%`` / ``>99%``."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return ""
    value, step = 100 * float(p), 10.0**-decimals
    if 0 < value < step / 2:
        return "<" + number(step, lang, decimals) + "%"
    if 100 - step / 2 <= value < 100:
        return ">" + number(100 - step, lang, decimals) + "%"
    return number(value, lang, decimals) + "%"


def percent_range(
    low: float | None, high: float | None, lang: str | None = None, decimals: int = 0
) -> str:
    """An interval of proportions as ``12–15%``; ``""`` if either end is missing."""
    lo, hi = percent(low, lang, decimals), percent(high, lang, decimals)
    return f"{lo.rstrip('%')}–{hi}" if lo and hi else ""


def join(items: Iterable[str], lang: str | None = None, word: str = "and") -> str:
    """``a, b en c`` / ``a, b and c`` (``word="or"`` for ``of`` / ``or``)."""
    items = [str(i) for i in items]
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {t(word, lang)} {items[-1]}"


def text_in(value: Any, lang: str | None = None) -> str:
    """A note that may be a plain string or a ``{lang: text}`` dict, in ``lang`` where present."""
    if isinstance(value, dict):
        found = [value.get(k) for k in (check_lang(lang), DEFAULT_LANG, "en", None)]
        return str(next(filter(None, found), next(iter(value.values()), "")))
    return "" if value is None else str(value)
