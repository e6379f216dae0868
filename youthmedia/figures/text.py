"""Words around a figure: source line, footnotes, alt text, speaker notes, number formats."""

import re
from collections.abc import Iterable

import pandas as pd

from .. import i18n, privacy
from ..result import Result
from .data import indicative_threshold, is_difference, is_percent

_WAVES = ("wave", "year", "jaar", "golf", "meting", "ronde", "round")


def population(result: Result, lang: str) -> str:
    """The population noun: ``meta.population`` or "jongeren"/"young people"."""
    pop = result.meta.population
    return i18n.text_in(pop, lang) if pop else i18n.t("population", lang)


def value(x: float, result: Result, lang: str, decimals: int | None = None) -> str:
    """An estimate as read: a percentage, a number, or signed percentage points."""
    if is_difference(result):
        text = signed(x, result, lang, decimals)
        return f"{text} {i18n.t('pp', lang)}" if is_percent(result) and text else text
    if is_percent(result):
        return i18n.percent(x, lang, 0 if decimals is None else decimals)
    return i18n.number(x, lang, 1 if decimals is None else decimals)


def signed(x: float, result: Result, lang: str, decimals: int | None = None) -> str:
    """A difference with its sign (``+42``, ``−16``, ``0``): percentage points for shares."""
    if pd.isna(x):
        return ""
    pct = is_percent(result)
    decimals = (1 - pct) if decimals is None else decimals
    text = i18n.number((100 if pct else 1) * abs(x), lang, decimals)
    return text if text.strip("0,.") == "" else ("+" if x > 0 else "−") + text


def _is_wave(name: str) -> bool:
    return str(name).lower() in _WAVES


def _item_suffix(result: Result, lang: str) -> str:
    """`` (mediaan) (havo) in 2023`` after an item: what :meth:`Result.select` kept."""
    waves, groups, q = [], [], ""
    for name, val in result.meta.selection.items():
        (waves if _is_wave(name) else groups).append(result.category_label(name, val, lang))
    if result.meta.kind == "quantile" and "q" in result and result["q"].nunique() == 1:
        p = float(result["q"].iloc[0])
        q = i18n.t("median", lang) if p == 0.5 else i18n.t("percentile", lang, p=f"{100 * p:g}")
        q = f" ({q})"
    group, wave = ", ".join(groups), ", ".join(waves)
    return q + (f" ({group})" if group else "") + (f" in {wave}" if wave else "")


def _cap(text: str) -> str:
    """Capital first letter, also inside an opening quote; ``"Vraag?: "`` reads ``"Vraag? "``."""
    text = text.replace("?: ", "? ")
    k = 1 if text[:1] in "‘“'\"" and len(text) > 1 else 0
    return text[:k] + text[k : k + 1].upper() + text[k + 1 :]


def lower_first(text: str) -> str:
    """A label inside a sentence: lower-cased first letter, unless it starts with two capitals."""
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _shown(table: pd.DataFrame, solid: bool = False) -> pd.DataFrame:
    """Rows with an estimate; ``solid``: only the non-indicative ones where there are any."""
    shown = table[~table["suppressed"] & table["estimate"].notna()]
    return shown[~shown["indicative"]] if solid and (~shown["indicative"]).any() else shown


def _compared(result: Result, lang: str) -> tuple[str, str]:
    """The labels of the two groups of a difference (``meta.groups``)."""
    groups, by = list(result.meta.groups), result.meta.compared_by
    if len(groups) != 2:
        return "", ""
    return tuple(result.category_label(by, str(g), lang) if by else str(g) for g in groups)


def n_total(result: Result) -> int | None:
    """The unweighted number of respondents the Result rests on."""
    if not pd.isna(result.meta.n_total):
        return int(result.meta.n_total)
    f = pd.DataFrame(result)
    if "n" not in f or f["n"].isna().all():
        return None
    if not [b for b in result.by if b in f]:
        return int(f["n"].max())
    one = (f["variable"] == f["variable"].iloc[0]) & (f["category"] == f["category"].iloc[0])
    return int(f.loc[one, "n"].sum())  # one variable and category: its groups together


def source_line(result: Result, lang: str) -> str:
    """``Bron: <dataset> <year>; n = 1.512; gewogen``; ``meta.source_note`` replaces "gewogen"."""
    if info := result.meta.comparison:  # two sides: "Bron: Newcom 2017 (…); klas (n = 29; …)"
        sides = []  # (name, year, name or label with the year, " (its n, weighting)")
        for label, side in zip(info["labels"], info["sides"], strict=True):
            src, n, pub = side.get("source") or {}, side.get("n_total"), side.get("published")
            name, year = i18n.text_in(src.get("name"), lang), str(src.get("year") or "")
            head = (name or label) + (f" {year}" if year and year not in (name or label) else "")
            count = i18n.t("n_equals", lang, n=i18n.integer(n, lang)) if n else i18n.t("no_n", lang)
            weighted = i18n.t("weighted" if side.get("weighted") else "unweighted", lang)
            bits = [i18n.t("published", lang), count] if pub else [count] * bool(n) + [weighted]
            sides.append((name, year, head, f" ({'; '.join(bits)})"))
        (name, y1, _, part), (other, y2, _, part2) = sides
        if info.get("same_source") and part == part2 and name == other and name:
            both = i18n.join([y for y in (y1, y2) if y], lang)
            return f"{i18n.t('source', lang)}: {name}{' ' + both if both else ''}{part}"
        return f"{i18n.t('source', lang)}: " + "; ".join(h + p for *_, h, p in sides)
    src = result.meta.source
    name = i18n.text_in(src.get("name"), lang) if src.get("name") else i18n.t("data", lang)
    year = str(src.get("year") or "").strip()
    parts = [f"{i18n.t('source', lang)}: {name}{' ' + year if year else ''}"]
    note, n = i18n.text_in(result.meta.source_note, lang), n_total(result)
    if n is not None and not re.search(r"\bn = ", note):
        parts.append(i18n.t("n_equals", lang, n=i18n.integer(n, lang)))
    parts.append(note or i18n.t("weighted" if result.meta.weighted else "unweighted", lang))
    return "; ".join(parts)


def _level(result: Result, lang: str) -> str:
    return i18n.percent(result.meta.level or 0.95, lang)


def footnotes(
    table: pd.DataFrame,
    result: Result,
    lang: str,
    ci: str | None = "bars",
    indicative_n: int | None = None,
    extra: Iterable[str] | None = None,
) -> list[str]:
    """What the CI marks mean, suppressed and indicative estimates, the Result's notes."""
    notes: list[str] = []
    if ci and table["ci_low"].notna().any():
        notes.append(i18n.t(f"ci_note_{ci}", lang, level=_level(result, lang)))
    info = {"min_n": privacy.get_thresholds().min_n} | dict(result.meta.privacy)
    info["indicative_n"] = indicative_threshold(result, indicative_n)
    codes = Result.from_rows(pd.DataFrame({"reason": list(table["reason"])}), privacy=info)
    for note in privacy.footnotes(codes, lang):
        notes.append("* " + note if note.startswith(("Indicatief", "Indicative")) else note)
    known = any(n.startswith(privacy.SUPPRESSED_SYMBOL) for n in notes)
    if table["suppressed"].any() and not known:  # a reason privacy does not know: its own words
        own = [c for r in table.loc[table["suppressed"], "reason"] for c in str(r).split(";") if c]
        why = "; ".join(dict.fromkeys(own)) or i18n.t("suppressed_default", lang)
        notes.append(i18n.t("suppressed_note", lang, reason=why))
    notes += list(extra or []) + [  # only the notes about the rows drawn
        _not_repeating_source(i18n.text_in(n, lang), result, lang) for n in result.notes_for(table)
    ]
    return [n for n in notes if n]


def _not_repeating_source(note: str, result: Result, lang: str) -> str:
    """A note without what the source line already says (``meta.source_note``)."""
    head, _, tail = i18n.text_in(result.meta.source_note, lang).partition(", ")
    if not tail or tail not in note:
        return note
    out = note.replace(" " + tail, "").replace(tail, "")
    return _cap(out[len(head) + 2 :] if out.lower().startswith(head.lower() + "; ") else out)


def number_line(row: pd.Series, result: Result, lang: str, with_n: bool = False) -> str:
    """``TikTok (meisje): 64% (95%-BI 61–67%; n = 700)``, or why it is not shown."""
    label = f"{row['label']}" + (f" ({row['group']})" if row.get("group") else "")
    if row["suppressed"] or pd.isna(row["estimate"]):
        text = f"{label}: {i18n.t('alt_not_shown', lang)}"
        if row.get("reason"):
            info = {k: result.meta.privacy.get(k) for k in ("min_n", "indicative_n")}
            text += f" ({privacy.reason_text(row['reason'], lang, **info)})"
        return text
    extras, lo, hi = [], row["ci_low"], row["ci_high"]
    if not pd.isna(lo) and not pd.isna(hi):
        level = i18n.t("ci_short", lang, level=_level(result, lang))
        diff = is_difference(result)
        a, b = ((signed if diff else value)(x, result, lang) for x in (lo, hi))
        rng = f"{a} {i18n.t('to', lang)} {b}" if diff else f"{a.rstrip('%')}–{b}"
        extras.append(f"{level} {rng}")
    if with_n and not pd.isna(row["n"]):
        extras.append(i18n.t("n_equals", lang, n=i18n.integer(row["n"], lang)))
    if row["indicative"]:
        extras.append(i18n.t("alt_indicative", lang))
    text = f"{label}: {value(row['estimate'], result, lang)}"
    return text + (f" ({'; '.join(extras)})" if extras else "")


def words(
    kind: str, head: str, sub: str, lines: tuple, source: str, lang: str, caveats: list[str]
) -> tuple[str, str]:
    """The alt text (kind, subtitle, headline, numbers, source) and the speaker notes."""
    short, full = lines
    if len(short) > 16:
        short = [*short[:16], f"{i18n.t('and', lang)} {i18n.t('more', lang, k=len(short) - 16)}"]
    parts = [kind + (f": {sub}" if sub else ""), head, "; ".join(short), source]
    alt = " ".join(p if p.endswith((".", "?", "!")) else p + "." for p in parts if p)
    out = [head, *([sub] if sub else []), "", i18n.t("notes_numbers", lang) + ":"]
    out += ["- " + x for x in full] + ["", source]
    if caveats := [c for c in caveats if c]:
        out += ["", i18n.t("notes_caveats", lang) + ":"] + ["- " + c for c in caveats]
    return alt, "\n".join(out)
