"""Two sets of figures side by side — two years of a published table, or a published figure
beside a survey's own shares — and a sentence about them that claims no more than they carry.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence

import pandas as pd

from . import i18n
from .errors import ConfigError, DataError
from .io.table import slug
from .result import COLUMNS, Result

__all__ = ["comparison", "comparison_sentence"]


def _name(result: Result, short: bool = False) -> str:
    src, published = result.meta.source, result.meta.published
    name = str(src.get("name") or "data")
    name = name.split(",")[0].strip() if short and published else name  # "Newcom, Nationale ..."
    return f"{name} {year}" if (year := src.get("year")) and str(year) not in name else name


def _pairs(first: Result, second: Result, items: Mapping[str, str] | None) -> list[tuple]:
    """(row of first, row of second) per item matched by hand, variable or label key."""
    a, b = [], []
    for r, rows in ((first, a), (second, b)):
        words = [r.label(v).split() for v in r["variable"].astype(str)]
        shared = min(len(os.path.commonprefix(words)), *(len(w) - 1 for w in words))
        common = max(shared, 0) if len(words) > 1 else 0
        for v, w in zip(r["variable"].astype(str), words, strict=True):
            key = re.split(r"\s[–—-]\s|\s\(", " ".join(w[common:]))[0]
            rows.append((v, r.label(v), slug(key)))
    if items:
        find = lambda rows, lab: next((i for i, x in enumerate(rows) if x[1] == lab), None)  # noqa: E731
        pairs = [(find(a, x), find(b, y)) for x, y in items.items()]
        if any(None in p for p in pairs):
            raise ConfigError(f"items=: a label of {dict(items)} is not an item on its side.")
        return pairs
    col = 0 if {x[0] for x in a} & {x[0] for x in b} else 2  # same table: same variables
    for side, rows in ((first, a), (second, b)):
        keys = [x[col] for x in rows]
        if (dup := next((k for k in keys if keys.count(k) > 1), None)) is not None:
            several = ", ".join(x[1] for x in rows if x[col] == dup)
            raise ConfigError(f"{_name(side)} has several items for {dup!r} ({several}); select one first (e.g. select(r, jaar=2017)) or match them with items=.")  # fmt: skip
    where = {x[col]: j for j, x in enumerate(b)}
    return [(i, where[x[col]]) for i, x in enumerate(a) if x[col] in where]


def comparison(
    first: Result,
    second: Result,
    *,
    labels: Sequence[str] | None = None,
    items: Mapping[str, str] | None = None,
) -> Result:
    """Two years of a published table or a published figure beside a survey's own shares,
    matched by label (or ``items={label: label}``), as one ``Result`` by ``compared``; ``labels``
    names the two sides (default: years or sources).

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
        raise ConfigError("comparison() takes two Results of one group each; choose one group first, e.g. select(r, year=2017).")  # fmt: skip
    if not (pairs := _pairs(first, second, items)):
        raise DataError(f"{_name(first)} and {_name(second)} have no item in common; match them with items={{label: label}}.")  # fmt: skip
    same = first.meta.source.get("name") == second.meta.source.get("name")
    if labels is None:
        labels = [str(s.meta.source.get("year") or _name(s)) if same else _name(s, True) for s in sides]  # fmt: skip
        labels = labels if labels[0] != labels[1] else [f"{labels[0]} (1)", f"{labels[1]} (2)"]
    if len(labels := [str(x) for x in labels]) != 2 or labels[0] == labels[1]:
        raise ConfigError("labels= must give two different names, one per side.")
    fa, fb = (pd.DataFrame(s).reset_index(drop=True).reindex(columns=COLUMNS[2:]) for s in sides)
    var = [str(v) for v in first["variable"]]
    rows = [
        {"compared": lab, "variable": var[i], "category": first.label(var[i]), **f.loc[k].to_dict()}
        for i, j in pairs
        for lab, f, k in ((labels[0], fa, i), (labels[1], fb, j))
    ]
    frame = pd.DataFrame(rows).astype({"n": float, "compared": pd.CategoricalDtype(labels, True)})
    out_labels = {lang: {**tab} for lang, tab in first.meta.labels.items()}
    for lang, word in {None: "compared", **i18n.both("side_compared")}.items():
        out_labels.setdefault(lang, {})["compared"] = word
    info = {"labels": labels, "same_source": same, "sides": []}
    for s, f in zip(sides, (fa, fb), strict=True):  # what the sentence and source line need
        m, has_ci = s.meta, bool(pd.to_numeric(f["ci_low"], errors="coerce").notna().any())
        info["sides"].append(dict(source=dict(m.source), published=m.published, n_total=m.n_total, weighted=m.weighted, has_ci=has_ci))  # fmt: skip
    name = "; ".join(dict.fromkeys(_name(s) for s in sides))
    variables = list(dict.fromkeys(frame["variable"]))
    meta = dict(by=["compared"], labels=out_labels, variables=variables, percent=True)
    meta |= dict(design=i18n.both("side_design"), level=first.meta.level, comparison=info)
    meta |= dict(source={"name": name, "year": None}, population=first.meta.population)
    result = Result.from_rows(frame, **meta, published=all(s.meta.published for s in sides))
    notes = [{lang: _caveat(info, lang) for lang in i18n.LANGS}]
    own = [list(s.meta.notes) for s in sides]  # each side's (named by side; shared ones once)
    for k, lab in enumerate(labels):
        for note in own[k]:
            texts = note if isinstance(note, Mapping) else dict.fromkeys(i18n.LANGS, note)
            tagged = note if note in own[1 - k] else {lg: f"{lab}: {t}" for lg, t in texts.items()}
            notes += [tagged] if tagged not in notes else []
    return result.with_meta(notes=notes)


def _caveat(info: dict, lang: str) -> str:
    sides = info["sides"]
    if info["same_source"]:
        return i18n.t("side_ci" if all(s["has_ci"] for s in sides) else "side_no_n", lang)
    if survey := [s for s in sides if not s["published"] and not s["weighted"]]:
        n = survey[0].get("n_total")
        return i18n.t("side_class", lang, n=f" (n = {i18n.integer(n, lang)})" if n else "")
    return i18n.t("side_sources" if all(s["published"] for s in sides) else "side_study", lang)


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
    lang, info = i18n.check_lang(lang), result.meta.comparison
    if not info:
        raise ConfigError("comparison_sentence() takes the Result of side_by_side.comparison().")
    if short:
        return _caveat(info, lang)
    la, lb = info["labels"]
    a, b = (pd.DataFrame(result).query("compared == @x").set_index("variable") for x in (la, lb))
    if (gaps := (b["estimate"] - a["estimate"]).dropna()).empty:
        return ""
    a, b, v = a.loc[(v := gaps.abs().idxmax())], b.loc[v], result.label(str(v), lang)
    numbers = f"{v}: {i18n.percent(a.estimate, lang)} in {la}, {i18n.percent(b.estimate, lang)} in {lb}."  # fmt: skip
    if not info["same_source"]:
        return f"{numbers} {_caveat(info, lang)}"
    if pd.isna([a.ci_low, a.ci_high, b.ci_low, b.ci_high]).any():
        return f"{numbers} {i18n.t('side_unknown', lang)}"
    if a.ci_high < b.ci_low or b.ci_high < a.ci_low:
        way = i18n.t("side_fall" if b.estimate < a.estimate else "side_rise", lang)
        return f"{numbers} {i18n.t('side_clear', lang, dir=way)}"
    return f"{numbers} {i18n.t('side_overlap', lang)}"
