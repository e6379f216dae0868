"""Words around a figure: source line, footnotes, alt text, speaker notes, number formats.

The headline rules live in :mod:`youthmedia.figures.headline`.

Examples
--------
>>> lower_first("Geslacht"), upper_first("tikTok-gebruik")
('geslacht', 'TikTok-gebruik')
"""

from __future__ import annotations

import math
import re
from typing import Any

import pandas as pd

from .. import i18n, privacy
from ..result import Result
from .data import indicative_threshold, is_difference, is_percent

__all__ = [
    "alt_text",
    "footnotes",
    "lower_first",
    "population",
    "selection",
    "signed",
    "source_line",
    "speaker_notes",
    "upper_first",
    "value",
]

def _nan(x: Any) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def population(result: Result, lang: str) -> str:
    """The population noun for headlines: ``meta.population`` or "jongeren"/"young people"."""
    pop = result.meta.population
    return i18n.text_in(pop, lang) if pop else i18n.t("population", lang)


def value(x: float, result: Result, lang: str, decimals: int | None = None) -> str:
    """An estimate as the reader sees it: a percentage for shares, a number for means, a signed
    number of percentage points for a difference of shares (``+42 procentpunt``)."""
    if is_difference(result):
        text = signed(x, result, lang, decimals)
        unit = _unit(result, lang)
        return f"{text} {unit}" if unit and text else text
    if is_percent(result):
        return i18n.percent(x, lang, 0 if decimals is None else decimals)
    return i18n.number(x, lang, 1 if decimals is None else decimals)





def _unit(result: Result, lang: str) -> str:
    """The unit of a difference: percentage points for shares, none for means."""
    return i18n.t("pp", lang) if is_percent(result) else ""


def signed(x: float, result: Result, lang: str, decimals: int | None = None) -> str:
    """A difference with its sign (``+42``, ``−16``, ``0``): percentage points for shares.

    Examples
    --------
    >>> r = Result.from_rows([{"variable": "x", "estimate": 0.42}], kind="difference", percent=True)
    >>> signed(0.42, r, "nl"), signed(-0.164, r, "en"), value(0.42, r, "nl")
    ('+42', '−16', '+42 procentpunt')
    """
    if _nan(x):
        return ""
    if is_percent(result):
        text = i18n.number(100 * abs(x), lang, 0 if decimals is None else decimals)
    else:
        text = i18n.number(abs(x), lang, 1 if decimals is None else decimals)
    if text.strip("0,.") == "":
        return text
    return ("+" if x > 0 else "−") + text


# -- what a Result was selected on (Result.select) ---------------------------------------------
_WAVES = ("wave", "year", "jaar", "golf", "meting", "ronde", "round")


def _is_wave(name: str) -> bool:
    return str(name).lower() in _WAVES


def selection(result: Result, lang: str) -> tuple[str, str]:
    """What :meth:`Result.select` kept: (the wave or year, the other groups), as labels.

    Examples
    --------
    >>> r = Result.from_rows([{"wave": "2023", "school": "havo", "variable": "x", "n": 40}],
    ...                      by=["wave", "school"]).select(wave=2023, school="havo")
    >>> selection(r, "nl")
    ('2023', 'havo')
    """
    waves, groups = [], []
    for name, val in result.meta.selection.items():
        label = result.category_label(name, val, lang)
        (waves if _is_wave(name) else groups).append(label)
    return ", ".join(waves), ", ".join(groups)


def _in(wave: str, lang: str) -> str:
    return f" in {wave}" if wave else ""   # the same word in Dutch and English


def _item_suffix(result: Result, lang: str) -> str:
    """`` (havo) in 2023``: what a selected Result is about, to follow an item in a headline;
    `` (mediaan)`` first for a quantile Result (summaries.quantile)."""
    wave, group = selection(result, lang)
    return _quantile_word(result, lang) + (f" ({group})" if group else "") + _in(wave, lang)


def _quantile_word(result: Result, lang: str) -> str:
    if result.meta.kind != "quantile" or "q" not in result or result["q"].nunique() != 1:
        return ""
    q = float(result["q"].iloc[0])
    word = i18n.t("median", lang) if q == 0.5 else i18n.t("percentile", lang, p=f"{100 * q:g}")
    return f" ({word})"


def _selected_population(result: Result, lang: str) -> str:
    """The population noun with the selection: ``jongeren (havo) in 2023``."""
    return population(result, lang) + _item_suffix(result, lang)


def _cap(text: str) -> str:
    """Capital first letter, also inside an opening quote (``"‘Vaak’ of ..."``);
    ``"Vraag?: 12% ..."`` reads as ``"Vraag? 12% ..."``."""
    text = text.replace("?: ", "? ")
    k = 1 if text[:1] in "‘“'\"" and len(text) > 1 else 0
    return text[:k] + text[k:k + 1].upper() + text[k + 1:] if text else text


def lower_first(text: str) -> str:
    """A label used inside a sentence: its first letter lower-cased, unless the first two
    letters are both capitals (an abbreviation or a name like "X (Twitter)").

    Examples
    --------
    >>> lower_first("Geslacht"), lower_first("HBSC"), lower_first("X (Twitter)")
    ('geslacht', 'HBSC', 'X (Twitter)')
    """
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def upper_first(text: str) -> str:
    """The first letter capitalised, the rest left as it is (``"tikTok-gebruik"`` stays
    ``"TikTok-gebruik"``, not ``"Tiktok-gebruik"``)."""
    return text[:1].upper() + text[1:]


def _shown(table: pd.DataFrame, solid: bool = False) -> pd.DataFrame:
    """Rows with an estimate; with ``solid`` only the non-indicative ones where there are any."""
    shown = table[~table["suppressed"] & table["estimate"].notna()]
    if solid and (~shown["indicative"]).any():
        shown = shown[~shown["indicative"]]
    return shown


def _compared(result: Result, lang: str) -> tuple[str, str]:
    """The labels of the two groups of a difference (``meta.groups``), first and second."""
    groups = list(result.meta.groups)
    by = result.meta.compared_by
    if len(groups) != 2:
        return "", ""
    if by:
        return tuple(result.category_label(by, str(g), lang) for g in groups)  # type: ignore[return-value]
    return str(groups[0]), str(groups[1])


# -- source line, footnotes ---------------------------------------------------------------------
def n_total(result: Result) -> int | None:
    """The unweighted number of respondents the Result rests on."""
    n = result.meta.n_total
    if n is not None and not _nan(n):
        return int(n)
    frame = pd.DataFrame(result)
    if "n" not in frame or frame["n"].isna().all():
        return None
    by = [b for b in result.by if b in frame]
    if not by:
        return int(frame["n"].max())
    # one variable and category: its groups together
    first = frame[(frame["variable"] == frame["variable"].iloc[0])
                  & (frame["category"] == frame["category"].iloc[0])]
    return int(first["n"].sum())


def source_line(result: Result, lang: str) -> str:
    """``Bron: <dataset> <year>; n = 1.512; gewogen`` (or the English equivalent).

    A Result that says how its figures were made (``meta.source_note``, set for published
    tables: "published figures, assuming a simple random sample of n = 1,391") gets that note
    instead of "gewogen"/"ongewogen": a published figure from a weighted survey is not
    unweighted. The note's own n replaces the total n.

    Examples
    --------
    >>> r = Result.from_rows([{"variable": "x", "estimate": 0.5}], source={"name": "Pew", "year": 2024},
    ...                      n_total=1391, source_note={"en": "published figures, n = 1,391"})
    >>> source_line(r, "en")
    'Source: Pew 2024; published figures, n = 1,391'
    """
    src = result.meta.source
    name = i18n.text_in(src.get("name"), lang) if src.get("name") else i18n.t("data", lang)
    year = str(src.get("year") or "").strip()
    parts = [f"{i18n.t('source', lang)}: {name}{' ' + year if year else ''}"]
    note = i18n.text_in(result.meta.source_note, lang)
    n = n_total(result)
    if n is not None and not re.search(r"\bn = ", note):
        parts.append(i18n.t("n_equals", lang, n=i18n.integer(n, lang)))
    parts.append(note or i18n.t("weighted" if result.meta.weighted else "unweighted", lang))
    return "; ".join(parts)


def _level(result: Result, lang: str) -> str:
    level = result.meta.level or 0.95
    return i18n.percent(level, lang)


def footnotes(table: pd.DataFrame, result: Result, lang: str, ci: str | None = "bars",
              indicative_n: int | None = None, extra: list[str] | None = None) -> list[str]:
    """Footnotes: what the CI marks mean, suppressed and indicative estimates, the Result's notes."""
    notes: list[str] = []
    has_ci = table["ci_low"].notna().any()
    if ci and has_ci:
        notes.append(i18n.t("ci_note_band" if ci == "band" else "ci_note_bars", lang,
                            level=_level(result, lang)))
    info = dict(result.meta.privacy)
    info["indicative_n"] = indicative_threshold(result, indicative_n)
    info.setdefault("min_n", privacy.get_thresholds().min_n)
    codes = Result.from_rows(pd.DataFrame({"reason": list(table["reason"])}), privacy=info)
    for note in privacy.footnotes(codes, lang):
        if note.startswith(("Indicatief", "Indicative")):
            note = "* " + note
        notes.append(note)
    if table["suppressed"].any() and not any(n.startswith(privacy.SUPPRESSED_SYMBOL) for n in notes):
        # suppressed for a reason privacy does not know: say so in its own words
        own = [c for r in table.loc[table["suppressed"], "reason"] for c in str(r).split(";") if c]
        notes.append(i18n.t("suppressed_note", lang, reason="; ".join(dict.fromkeys(own))
                            or i18n.t("suppressed_default", lang)))
    notes += list(extra or [])
    # only the notes about the rows drawn (a Clopper–Pearson note only beside such a row)
    notes += [_not_repeating_source(i18n.text_in(n, lang), result, lang)
              for n in result.notes_for(table) if n]
    return [n for n in notes if n]


def _not_repeating_source(note: str, result: Result, lang: str) -> str:
    """A note without what the source line already says (``meta.source_note``).

    A published table's source line reads "published figures, assuming a simple random sample
    of n = 1,391"; its interval note then says only what the source line does not: "95%
    confidence intervals (Wilson). If the sample was weighted ...".

    Examples
    --------
    >>> r = Result.from_rows([{"variable": "x", "estimate": 0.5}],
    ...     source_note={"en": "published figures, assuming a simple random sample of n = 9"})
    >>> _not_repeating_source("Published figures; 95% CIs (Wilson) assuming a simple random "
    ...                       "sample of n = 9. If weighted, wider.", r, "en")
    '95% CIs (Wilson). If weighted, wider.'
    """
    source = i18n.text_in(result.meta.source_note, lang)
    if not source or ", " not in source:
        return note
    head, tail = source.split(", ", 1)
    if tail not in note:
        return note
    out = note.replace(" " + tail, "").replace(tail, "")
    if out.lower().startswith(head.lower() + "; "):
        out = out[len(head) + 2:]
    return _cap(out.strip())


def _reason(code: str, result: Result, lang: str) -> str:
    info = result.meta.privacy
    return privacy.reason_text(code, lang, min_n=info.get("min_n"),
                               indicative_n=info.get("indicative_n"))


# -- alt text and speaker notes -----------------------------------------------------------------
def _number_line(row: pd.Series, result: Result, lang: str, with_n: bool = False) -> str:
    label = f"{row['label']}" + (f" ({row['group']})" if row.get("group") else "")
    if row["suppressed"] or _nan(row["estimate"]):
        text = f"{label}: {i18n.t('alt_not_shown', lang)}"
        if row.get("reason"):
            text += f" ({_reason(row['reason'], result, lang)})"
        return text
    text = f"{label}: {value(row['estimate'], result, lang)}"
    extras = []
    if not _nan(row["ci_low"]) and not _nan(row["ci_high"]):
        level = i18n.t("ci_short", lang, level=_level(result, lang))
        if is_difference(result):
            to = i18n.t("to", lang)
            extras.append(f"{level} {signed(row['ci_low'], result, lang)} {to} "
                          f"{signed(row['ci_high'], result, lang)}")
        elif is_percent(result):
            extras.append(f"{level} {i18n.percent_range(row['ci_low'], row['ci_high'], lang)}")
        else:
            extras.append(f"{level} {value(row['ci_low'], result, lang)}–"
                          f"{value(row['ci_high'], result, lang)}")
    if with_n and not _nan(row["n"]):
        extras.append(i18n.t("n_equals", lang, n=i18n.integer(row["n"], lang)))
    if row["indicative"]:
        extras.append(i18n.t("alt_indicative", lang))
    if extras:
        text += f" ({'; '.join(extras)})"
    return text


def alt_text(kind_key: str, headline: str, subtitle: str, table: pd.DataFrame, result: Result,
             lang: str, by_label: str = "", limit: int = 16) -> str:
    """Alt text: what kind of chart, of what, its headline, its main numbers and its source."""
    kind = i18n.t(kind_key, lang)
    if by_label and by_label.lower() not in subtitle.lower():
        kind += " " + i18n.t("alt_by", lang, by=by_label)
    parts = [kind + (f": {subtitle}" if subtitle else "")]
    if headline:
        parts.append(headline)
    lines = [_number_line(row, result, lang) for _, row in table.iterrows()]
    if len(lines) > limit:
        lines = lines[:limit] + [f"{i18n.t('and', lang)} {i18n.t('more', lang, k=len(lines) - limit)}"]
    parts.append("; ".join(lines))
    parts.append(source_line(result, lang))
    return " ".join(p if p.endswith((".", "?", "!")) else p + "." for p in parts)


def speaker_notes(headline: str, subtitle: str, table: pd.DataFrame, result: Result, lang: str,
                  notes: list[str]) -> str:
    """Speaker notes: the numbers with their intervals and n, the source, the caveats."""
    out = [headline]
    if subtitle:
        out.append(subtitle)
    out += ["", i18n.t("notes_numbers", lang) + ":"]
    out += ["- " + _number_line(row, result, lang, with_n=True) for _, row in table.iterrows()]
    out += ["", source_line(result, lang)]
    caveats = [n for n in notes if n]
    design = result.meta.design
    if design:
        caveats.append(f"{i18n.t('notes_design', lang)}: {i18n.text_in(design, lang)}")
    ci = result.meta.ci
    if ci:
        caveats.append(f"{i18n.t('notes_ci', lang)}: {i18n.text_in(ci, lang)}")
    if caveats:
        out += ["", i18n.t("notes_caveats", lang) + ":"] + ["- " + c for c in caveats]
    return "\n".join(out)
