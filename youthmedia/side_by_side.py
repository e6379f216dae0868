"""Two sets of figures side by side — two years of a published table, or a published figure
beside a survey's own shares — and a sentence about them that claims no more than they carry.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

import pandas as pd

from . import i18n
from .errors import ConfigError, DataError
from .published import _slug
from .result import Result

__all__ = ["comparison", "comparison_sentence"]


def _nl_en(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


def _item_keys(result: Result) -> list[str]:
    """A matching key per row: the label without a shared first word or what follows " – "."""
    words = [result.label(v).split() for v in result["variable"].astype(str)]
    common = 0
    while (
        len(words) > 1
        and all(len(w) > common + 1 for w in words)
        and len({w[common] for w in words}) == 1
    ):
        common += 1
    return [_slug(re.split(r"\s[–—-]\s|\s\(", " ".join(w[common:]))[0]) for w in words]


def _name(result: Result, short: bool = False) -> str:
    src = result.meta.source
    name = str(src.get("name") or "data")
    if short and result.meta.published:
        name = name.split(",")[0].strip()  # "Newcom, Nationale Social Media Onderzoek"
    year = src.get("year")
    return f"{name} {year}" if year and str(year) not in name else name


def _pairs(first: Result, second: Result, items: Mapping[str, str] | None) -> list[tuple]:
    a, b = (
        [(str(v), r.label(str(v)), k) for v, k in zip(r["variable"], _item_keys(r), strict=True)]
        for r in (first, second)
    )
    if items:
        pairs = [
            (
                next((i for i, x in enumerate(a) if x[1] == la), None),
                next((i for i, x in enumerate(b) if x[1] == lb), None),
            )
            for la, lb in items.items()
        ]
        if any(None in p for p in pairs):
            raise ConfigError(f"items=: a label of {dict(items)} is not an item on its side.")
        return pairs
    col = 0 if {x[0] for x in a} & {x[0] for x in b} else 2  # same table: same variables
    for side, rows in ((first, a), (second, b)):
        keys = [x[col] for x in rows]
        dup = next((k for k in keys if keys.count(k) > 1), None)
        if dup is not None:
            raise ConfigError(
                f"{_name(side)} has several items for {dup!r} "
                f"({', '.join(x[1] for x in rows if x[col] == dup)}); select one "
                "first (e.g. select(r, jaar=2017)) or match them with items=."
            )
    where = {x[col]: j for j, x in enumerate(b)}
    return [(i, where[x[col]]) for i, x in enumerate(a) if x[col] in where]


def comparison(
    first: Result,
    second: Result,
    *,
    labels: Sequence[str] | None = None,
    items: Mapping[str, str] | None = None,
) -> Result:
    """Two sets of figures side by side, matched by item, as one ``Result`` by ``compared``.

    Two years of a published table (``select(r, year=2022)``, ``select(r, year=2024)``) or a
    published figure beside a survey's own shares (``ym.share(ym.load(file), "platforms")``).
    Items match by label (see :func:`_item_keys`) or by hand with ``items={label: label}``.
    ``meta.comparison`` holds both sides and the sentence of :func:`comparison_sentence`.

    Examples
    --------
    >>> a = Result.from_rows([{"variable": "fb", "estimate": 0.88}], labels={None: {"fb": "Facebook"}},
    ...                      source={"name": "Newcom", "year": "2016"}, published=True)
    >>> b = Result.from_rows([{"variable": "fb", "estimate": 0.80}], labels={None: {"fb": "Facebook"}},
    ...                      source={"name": "Newcom", "year": "2017"}, published=True)
    >>> comparison(a, b)["compared"].tolist()
    ['2016', '2017']
    """
    sides = (first, second)
    if any(not isinstance(s, Result) or s.by for s in sides):
        raise ConfigError(
            "comparison() takes two Results of one group each; choose one group "
            "first, e.g. select(r, year=2017)."
        )
    pairs = _pairs(first, second, items)
    if not pairs:
        raise DataError(
            f"{_name(first)} and {_name(second)} have no item in common; match them "
            "with items={label: label}."
        )
    same = first.meta.source.get("name") == second.meta.source.get("name")
    labels = _side_labels(sides, labels, same)
    frame = _side_rows(sides, pairs, labels)
    out_labels = {lang: {**tab} for lang, tab in first.meta.labels.items()}
    for lang, word in ((None, "compared"), ("nl", "vergelijking"), ("en", "comparison")):
        out_labels.setdefault(lang, {})["compared"] = word
    info = {"labels": labels, "same_source": same, "sides": [_side_info(s) for s in sides]}
    result = Result.from_rows(
        frame,
        kind="share",
        by=["compared"],
        labels=out_labels,
        variables=list(dict.fromkeys(frame["variable"])),
        weighted=False,
        design=_nl_en(
            "twee afzonderlijke bronnen naast elkaar", "two separate sources side by side"
        ),
        ci="",
        level=first.meta.level,
        percent=True,
        source={"name": "; ".join(dict.fromkeys(_name(s) for s in sides)), "year": None},
        n_total=None,
        comparison=info,
        published=all(s["published"] for s in info["sides"]),
        population=first.meta.population,
    )
    info["sentence"] = {lang: comparison_sentence(result, lang) for lang in ("nl", "en")}
    return result.with_meta(notes=_side_notes(result, sides, labels))


def _side_rows(sides: tuple[Result, Result], pairs: list[tuple], labels: list[str]) -> pd.DataFrame:
    """One row per matched item and side, named by the first side's label."""
    cols = ("estimate", "se", "ci_low", "ci_high", "n", "n_eff", "base", "suppressed", "reason")
    fa, fb = (pd.DataFrame(s).reset_index(drop=True) for s in sides)
    rows = [
        {
            "compared": lab,
            "variable": str(fa.at[i, "variable"]),
            "category": sides[0].label(str(fa.at[i, "variable"])),
            **{c: f.at[k, c] if c in f.columns else None for c in cols},
        }
        for i, j in pairs
        for lab, f, k in ((labels[0], fa, i), (labels[1], fb, j))
    ]
    frame = pd.DataFrame(rows)
    frame["compared"] = pd.Categorical(frame["compared"], categories=labels, ordered=True)
    frame["n"] = pd.to_numeric(frame["n"], errors="coerce")
    return frame


def _side_info(s: Result) -> dict:
    """What the sentence and source line need of one side."""
    return {
        "name": _name(s),
        "source": dict(s.meta.source),
        "published": bool(s.meta.published),
        "n_total": s.meta.n_total,
        "weighted": bool(s.meta.weighted),
        "population": s.meta.population,
        "has_ci": bool(pd.to_numeric(pd.DataFrame(s)["ci_low"], errors="coerce").notna().any()),
    }


def _side_labels(
    sides: tuple[Result, Result], labels: Sequence[str] | None, same: bool
) -> list[str]:
    """The two sides' names: the years of one source, else the sources (or ``labels``)."""
    if labels is None:
        labels = [
            str(s.meta.source.get("year") or _name(s)) if same else _name(s, short=True)
            for s in sides
        ]
        labels = labels if labels[0] != labels[1] else [f"{labels[0]} (1)", f"{labels[1]} (2)"]
    labels = [str(x) for x in labels]
    if len(labels) != 2 or labels[0] == labels[1]:
        raise ConfigError("labels= must give two different names, one per side.")
    return labels


def _side_notes(result: Result, sides: tuple[Result, Result], labels: list[str]) -> list:
    """The caveat, then each side's own notes (named by side; those both share, once)."""
    notes = [{lang: comparison_sentence(result, lang, short=True) for lang in ("nl", "en")}]
    own = [list(s.meta.notes) for s in sides]
    for k, lab in enumerate(labels):
        for note in own[k]:
            tagged = (
                note
                if note in own[1 - k]
                else {
                    lang: f"{lab}: {t}"
                    for lang, t in (
                        note.items() if isinstance(note, Mapping) else (("nl", note), ("en", note))
                    )
                }
            )
            if tagged not in notes:
                notes.append(tagged)
    return notes


_CAVEAT = {
    "ci": _nl_en(
        "Een verschil heet duidelijk als de 95%-intervallen van beide jaren elkaar niet "
        "overlappen (voorzichtige toets).",
        "A difference is called clear where the two "
        "years' 95% intervals do not overlap (a cautious check).",
    ),
    "no_n": _nl_en(
        "De bron geeft geen steekproefgrootte: of een verschil meer is dan afronding "
        "en toeval, is niet te beoordelen.",
        "The source gives no sample sizes: "
        "whether a difference is more than rounding and chance cannot be judged.",
    ),
    "class": _nl_en(
        "Naast elkaar gezet, niet getoetst: andere steekproeven en andere vragen, en "
        "de eigen groep{n} is geen aselecte steekproef — een verschil zegt iets over "
        "deze groep, niet over jongeren in het algemeen.",
        "Side by side, not "
        "tested: different samples and different questions, and the class{n} is not "
        "a random sample — a difference says something about this group, not about "
        "young people in general.",
    ),
    "study": _nl_en(
        "Naast elkaar gezet, niet getoetst: andere onderzoeken, met andere "
        "steekproeven, vragen en jaren — lees een verschil als een vergelijking, niet "
        "als een gemeten verschil.",
        "Side by side, not tested: different studies, "
        "with different samples, questions and years — read a gap as a comparison, "
        "not as a measured difference.",
    ),
    "sources": _nl_en(
        "Naast elkaar gezet, niet getoetst: andere bronnen, steekproeven, vragen en "
        "jaren — lees een verschil als een vergelijking, niet als een gemeten "
        "verschil.",
        "Side by side, not tested: different sources, samples, "
        "questions and years — read a gap as a comparison, not as a measured "
        "difference.",
    ),
    "unknown": _nl_en(
        "De bron geeft geen steekproefgrootte, dus of dit meer is dan afronding en "
        "toeval, is niet te beoordelen.",
        "The source gives no sample sizes, so "
        "whether this is more than rounding and chance cannot be judged.",
    ),
    "clear": _nl_en(
        "Een duidelijke {dir}: de 95%-intervallen overlappen niet (uitgaande van "
        "enkelvoudige aselecte steekproeven).",
        "A clear {dir}: the 95% intervals do not overlap (assuming simple random samples).",
    ),
    "overlap": _nl_en(
        "De 95%-intervallen overlappen: geen duidelijke verandering.",
        "The 95% intervals overlap: no clear change.",
    ),
}


def _caveat(info: dict, lang: str) -> str:
    sides = info["sides"]
    if info["same_source"]:
        return _CAVEAT["ci" if all(s["has_ci"] for s in sides) else "no_n"][lang]
    survey = [s for s in sides if not s["published"] and not s["weighted"]]
    if survey:
        n = survey[0].get("n_total")
        return _CAVEAT["class"][lang].format(n=f" (n = {i18n.integer(n, lang)})" if n else "")
    return _CAVEAT["study" if not all(s["published"] for s in sides) else "sources"][lang]


def comparison_sentence(result: Result, lang: str = "nl", short: bool = False) -> str:
    """A sentence about a :func:`comparison` that claims no more than the figures carry.

    One source: the largest change, called clear only where both intervals exist and do not
    overlap. Different sources: the largest gap and why it is not a measured difference.
    ``short=True`` gives only the caveat (for footnotes).

    Examples
    --------
    >>> a = Result.from_rows([{"variable": "fb", "estimate": 0.88}], labels={None: {"fb": "Facebook"}},
    ...                      source={"name": "Newcom", "year": "2016"}, published=True)
    >>> b = Result.from_rows([{"variable": "fb", "estimate": 0.80}], labels={None: {"fb": "Facebook"}},
    ...                      source={"name": "Newcom", "year": "2017"}, published=True)
    >>> comparison_sentence(comparison(a, b), "en")[:31]
    'Facebook: 88% in 2016, 80% in 2'
    """
    lang = i18n.check_lang(lang)
    info = result.meta.comparison
    if not info:
        raise ConfigError("comparison_sentence() takes the Result of published.comparison().")
    if short:
        return _caveat(info, lang)
    la, lb = info["labels"]
    table: dict[str, dict[str, tuple]] = {}
    for row in pd.DataFrame(result).itertuples(index=False):
        table.setdefault(result.label(str(row.variable), lang), {})[str(row.compared)] = (
            float(row.estimate),
            float(row.ci_low),
            float(row.ci_high),
        )
    gaps = {
        k: v[lb][0] - v[la][0]
        for k, v in table.items()
        if la in v and lb in v and not math.isnan(v[lb][0] - v[la][0])
    }
    if not gaps:
        return ""
    item = max(gaps, key=lambda k: abs(gaps[k]))
    (a, a_lo, a_hi), (b, b_lo, b_hi) = table[item][la], table[item][lb]
    numbers = f"{item}: {i18n.percent(a, lang)} in {la}, {i18n.percent(b, lang)} in {lb}."
    if not info["same_source"]:
        return f"{numbers} {_caveat(info, lang)}"
    if any(math.isnan(v) for v in (a_lo, a_hi, b_lo, b_hi)):
        return f"{numbers} {_CAVEAT['unknown'][lang]}"
    if a_hi < b_lo or b_hi < a_lo:
        word = {"nl": ("stijging", "daling"), "en": ("rise", "fall")}[lang][int(b < a)]
        return f"{numbers} {_CAVEAT['clear'][lang].format(dir=word)}"
    return f"{numbers} {_CAVEAT['overlap'][lang]}"
