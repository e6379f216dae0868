"""Two sets of figures side by side (two years of one source, or a published table beside a
survey) and a sentence about them that claims no more than the figures carry.

Items are matched by their labels without a shared leading word and without what follows
" – " or " (":

>>> from youthmedia.result import Result
>>> r = Result.from_rows([{"variable": "w", "estimate": 0.9}, {"variable": "f", "estimate": 0.3}],
...                      labels={None: {"w": "Gebruikt WhatsApp", "f": "Gebruikt Facebook – account"}})
>>> _item_keys(r)
['whatsapp', 'facebook']
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from .. import i18n
from ..errors import ConfigError, DataError
from ..result import Result
from .text import _int_text, _nl_en, _slug

__all__ = ["comparison", "comparison_sentence"]


def _item_keys(result: Result) -> list[str]:
    """A matching key per row: the label without a shared leading word, casefolded."""
    labels = [result.label(v) for v in result["variable"].astype(str)]
    words = [lab.split() for lab in labels]
    common = 0
    if len(labels) > 1:
        while all(len(w) > common + 1 for w in words) and len({tuple(w[:common + 1])
                                                                for w in words}) == 1:
            common += 1
    keys = []
    for w in words:
        text = " ".join(w[common:])
        text = re.split(r"\s[–—-]\s|\s\(", text)[0]
        keys.append(_slug(text))
    return keys


def _display_name(result: Result, short: bool = False) -> str:
    src = result.meta.get("source") or {}
    name = str(src.get("name") or "data")
    if short and "," in name and result.meta.get("published"):
        name = name.split(",")[0].strip()   # "Newcom, Nationale Social Media Onderzoek" -> "Newcom"
    year = src.get("year")
    return f"{name} {year}" if year and str(year) not in name else name


def comparison(first: Result, second: Result, *, labels: Sequence[str] | None = None,
               items: Mapping[str, str] | None = None) -> Result:
    """Two sets of figures side by side, matched by item (platform), as one ``Result``.

    For two published years (``select(r, year=2016)`` and ``select(r, year=2017)``) or a
    published national figure against a class's own survey (``ym.share(ym.load(export),
    set)``). Items are matched by their labels, ignoring a shared leading word ("Gebruikt
    WhatsApp" matches "WhatsApp") and anything after " – " or " (" ("Facebook – account"
    matches "Facebook"); ``items={"label in first": "label in second"}`` matches by hand.

    Returns
    -------
    Result
        Grouped by ``compared`` (two groups, labelled by ``labels`` or by source and year),
        one ``variable`` per matched item (named as in ``first``); ``meta["comparison"]``
        holds both sides' sources, n, whether each is published, and the unmatched items;
        ``meta["notes"]`` the caveat sentence in Dutch and English.

    Examples
    --------
    >>> a = Result.from_rows([{"variable": "fb", "estimate": 0.88}], labels={None: {"fb": "Facebook"}},
    ...                      source={"name": "Newcom", "year": "2016"}, published=True)
    >>> b = Result.from_rows([{"variable": "fb", "estimate": 0.80}], labels={None: {"fb": "Facebook"}},
    ...                      source={"name": "Newcom", "year": "2017"}, published=True)
    >>> comparison(a, b)["compared"].tolist()
    ['2016', '2017']
    """
    for side in (first, second):
        if not isinstance(side, Result):
            raise ConfigError(f"comparison() takes two Results, not {type(side).__name__}.")
        if side.by:
            raise ConfigError(f"A side of the comparison is grouped by {', '.join(side.by)}; "
                              "choose one group first, e.g. select(r, year=2017).")
    sides = [first, second]
    frames = []
    for side in sides:
        f = pd.DataFrame(side).reset_index(drop=True)
        f["_key"] = _item_keys(side)
        f["_label"] = [side.label(v) for v in f["variable"].astype(str)]
        frames.append(f)
    pairs: list[tuple[int, int]] = []
    if items:
        for la, lb in items.items():
            ia = frames[0].index[frames[0]["_label"] == la].tolist()
            ib = frames[1].index[frames[1]["_label"] == lb].tolist()
            if not ia or not ib:
                missing = la if not ia else lb
                raise ConfigError(f"items=: no item labelled {missing!r} on that side.")
            pairs.append((ia[0], ib[0]))
    elif set(frames[0]["variable"].astype(str)) & set(frames[1]["variable"].astype(str)):
        # the same table (two years of one source): the same variables
        second_index = {v: i for i, v in enumerate(frames[1]["variable"].astype(str))}
        pairs = [(i, second_index[v]) for i, v in enumerate(frames[0]["variable"].astype(str))
                 if v in second_index]
    else:
        for f, side in zip(frames, sides, strict=True):
            dup = f["_key"][f["_key"].duplicated()].tolist()
            if dup:
                names = f.loc[f["_key"] == dup[0], "_label"].tolist()
                raise ConfigError(f"{_display_name(side)} has several items for "
                                  f"{dup[0]!r} ({', '.join(names)}); select one first (e.g. "
                                  "select(r, indicator='account')) or match by hand with items=.")
        second_index = {k: i for i, k in enumerate(frames[1]["_key"])}
        pairs = [(i, second_index[k]) for i, k in enumerate(frames[0]["_key"]) if k in second_index]
    if not pairs:
        raise DataError(f"{_display_name(first)} and {_display_name(second)} have no item in "
                        f"common ({', '.join(frames[0]['_label'])} / "
                        f"{', '.join(frames[1]['_label'])}); match them with items=.")
    names = [_display_name(s) for s in sides]
    same_source = ((first.meta.get("source") or {}).get("name")
                   == (second.meta.get("source") or {}).get("name"))
    if labels is None:
        if same_source:
            labels = [str((s.meta.get("source") or {}).get("year") or n) for s, n in zip(sides, names, strict=True)]
            if labels[0] == labels[1]:
                labels = [", ".join(map(str, (s.meta.get("selected") or {}).values())) or n
                          for s, n in zip(sides, names, strict=True)]
        else:
            labels = [_display_name(s, short=True) for s in sides]
        if labels[0] == labels[1]:
            labels = [f"{labels[0]} (1)", f"{labels[1]} (2)"]
    labels = [str(x) for x in labels]
    if len(labels) != 2 or labels[0] == labels[1]:
        raise ConfigError("labels= must give two different names, one per side.")
    rows = []
    out_labels: dict[Any, dict[str, str]] = {None: {"compared": "compared"},
                                             "nl": {"compared": "vergelijking"},
                                             "en": {"compared": "comparison"}}
    for ia, ib in pairs:
        a, b = frames[0].loc[ia], frames[1].loc[ib]
        variable = str(a["variable"])
        for lang, tab in (first.meta.get("labels") or {}).items():
            if variable in tab:
                out_labels.setdefault(lang, {})[variable] = tab[variable]
        label = str(a["_label"])
        for side_label, r in ((labels[0], a), (labels[1], b)):
            rows.append({"compared": side_label, "variable": variable, "category": label,
                         **{c: r[c] for c in ("estimate", "se", "ci_low", "ci_high", "n", "n_eff",
                                              "base", "suppressed", "reason")},
                         "item_second": str(b["_label"])})
    frame = pd.DataFrame(rows)
    frame["compared"] = pd.Categorical(frame["compared"], categories=labels, ordered=True)
    frame["n"] = pd.to_numeric(frame["n"], errors="coerce")
    unmatched = [[lab for i, lab in enumerate(f["_label"]) if i not in {p[k] for p in pairs}]
                 for k, f in enumerate(frames)]
    sides_meta = []
    for s, name in zip(sides, names, strict=True):
        src = dict(s.meta.get("source") or {})
        sides_meta.append({
            "name": name, "source": src, "published": bool(s.meta.get("published")),
            "n_total": s.meta.get("n_total"), "weighted": bool(s.meta.get("weighted")),
            "population": s.meta.get("population"),
            "has_ci": bool(pd.to_numeric(pd.DataFrame(s)["ci_low"], errors="coerce").notna().any()),
        })
    meta: dict[str, Any] = {
        "kind": "share", "by": ["compared"], "variables": list(dict.fromkeys(frame["variable"])),
        "labels": out_labels, "value_labels": {}, "weighted": False,
        "design": _nl_en("twee afzonderlijke bronnen naast elkaar", "two separate sources side by side"),
        "ci": "", "level": first.meta.get("level", 0.95),
        "source": {"name": "; ".join(dict.fromkeys(names)), "year": None},
        "n_total": None, "percent": True, "published": all(m["published"] for m in sides_meta),
        "comparison": {"labels": labels, "same_source": same_source, "sides": sides_meta,
                       "unmatched": unmatched},
        "population": first.meta.get("population"),
    }
    result = Result.from_rows(frame, **meta)
    result.meta["notes"] = [{lang: comparison_sentence(result, lang, short=True)
                             for lang in ("nl", "en")}]
    side_notes = [list(side.meta.get("notes") or []) for side in sides]
    for side_label, own, other in ((labels[0], side_notes[0], side_notes[1]),
                                   (labels[1], side_notes[1], side_notes[0])):
        for note in own:   # each side's own caveats; those both sides share, once
            if note in other:
                tagged = note
            elif isinstance(note, Mapping):
                tagged = {lang: f"{side_label}: {text}" for lang, text in note.items()}
            else:
                tagged = f"{side_label}: {note}"
            if tagged not in result.meta["notes"]:
                result.meta["notes"].append(tagged)
    for k, left in enumerate(unmatched):
        if left:
            result.meta["notes"].append(_nl_en(f"Alleen in {labels[k]}: {', '.join(left)}.",
                                               f"Only in {labels[k]}: {', '.join(left)}."))
    return result


def comparison_sentence(result: Result, lang: str = "nl", short: bool = False) -> str:
    """A sentence about a :func:`comparison` that claims no more than the figures carry.

    Two years of one source: the largest change, called a change only where both intervals
    exist and do not overlap; without sample sizes it says the change cannot be judged.
    Different sources: the largest gap, and why it is not a measured difference (different
    samples and questions; a survey that is not published — the class — is not a random
    sample). ``short=True`` gives only the caveat (for footnotes).

    Examples
    --------
    >>> a = Result.from_rows([{"variable": "fb", "estimate": 0.88}], labels={None: {"fb": "Facebook"}},
    ...                      source={"name": "Newcom", "year": "2016"}, published=True)
    >>> b = Result.from_rows([{"variable": "fb", "estimate": 0.80}], labels={None: {"fb": "Facebook"}},
    ...                      source={"name": "Newcom", "year": "2017"}, published=True)
    >>> comparison_sentence(comparison(a, b), "en")
    'Facebook: 88% in 2016, 80% in 2017. The source gives no sample sizes, so whether this is more than rounding and chance cannot be judged.'
    """
    lang = i18n.check_lang(lang)
    info = result.meta.get("comparison")
    if not info:
        raise ConfigError("comparison_sentence() takes the Result of published.comparison().")
    la, lb = info["labels"]
    frame = pd.DataFrame(result)
    table: dict[str, dict[str, tuple[float, float, float]]] = {}
    for _, row in frame.iterrows():
        label = result.label(str(row["variable"]), lang)
        table.setdefault(label, {})[str(row["compared"])] = (
            float(row["estimate"]), float(row["ci_low"]), float(row["ci_high"]))
    sides = info["sides"]
    if info["same_source"]:
        has_ci = all(s["has_ci"] for s in sides)
        if short:
            if has_ci:
                return {"nl": "Een verschil heet duidelijk als de 95%-intervallen van beide jaren "
                              "elkaar niet overlappen (voorzichtige toets).",
                        "en": "A difference is called clear where the two years' 95% intervals "
                              "do not overlap (a cautious check)."}[lang]
            return {"nl": "De bron geeft geen steekproefgrootte: of een verschil meer is dan "
                          "afronding en toeval, is niet te beoordelen.",
                    "en": "The source gives no sample sizes: whether a difference is more than "
                          "rounding and chance cannot be judged."}[lang]
    elif short:
        return _different_sources_caveat(sides, lang)
    diffs = {item: v[lb][0] - v[la][0] for item, v in table.items()
             if la in v and lb in v and not math.isnan(v[lb][0] - v[la][0])}
    if not diffs:
        return ""
    item = max(diffs, key=lambda k: abs(diffs[k]))
    (a, la_lo, la_hi), (b, lb_lo, lb_hi) = table[item][la], table[item][lb]
    numbers = f"{item}: {i18n.percent(a, lang)} in {la}, {i18n.percent(b, lang)} in {lb}."
    if info["same_source"]:
        if any(pd.isna(v) for v in (la_lo, la_hi, lb_lo, lb_hi)):
            tail = {"nl": "De bron geeft geen steekproefgrootte, dus of dit meer is dan afronding "
                          "en toeval, is niet te beoordelen.",
                    "en": "The source gives no sample sizes, so whether this is more than "
                          "rounding and chance cannot be judged."}[lang]
        elif la_hi < lb_lo or lb_hi < la_lo:
            up = b > a
            tail = {"nl": f"Een duidelijke {'stijging' if up else 'daling'}: de 95%-intervallen "
                          "overlappen niet (uitgaande van enkelvoudige aselecte steekproeven).",
                    "en": f"A clear {'rise' if up else 'fall'}: the 95% intervals do not "
                          "overlap (assuming simple random samples)."}[lang]
        else:
            tail = {"nl": "De 95%-intervallen overlappen: geen duidelijke verandering.",
                    "en": "The 95% intervals overlap: no clear change."}[lang]
        return f"{numbers} {tail}"
    return f"{numbers} {_different_sources_caveat(sides, lang)}"


def _different_sources_caveat(sides: list[dict], lang: str) -> str:
    survey = [s for s in sides if not s["published"] and not s["weighted"]]
    if survey:
        n = survey[0].get("n_total")
        n_text = f" (n = {_int_text(n, lang)})" if n else ""
        return {"nl": f"Naast elkaar gezet, niet getoetst: andere steekproeven en andere vragen, "
                      f"en de eigen groep{n_text} is geen aselecte steekproef — een verschil zegt "
                      "iets over deze groep, niet over jongeren in het algemeen.",
                "en": f"Side by side, not tested: different samples and different questions, and "
                      f"the class{n_text} is not a random sample — a difference says something "
                      "about this group, not about young people in general."}[lang]
    if any(not s["published"] for s in sides):
        return {"nl": "Naast elkaar gezet, niet getoetst: andere onderzoeken, met andere "
                      "steekproeven, vragen en jaren — lees een verschil als een vergelijking, "
                      "niet als een gemeten verschil.",
                "en": "Side by side, not tested: different studies, with different samples, "
                      "questions and years — read a gap as a comparison, not as a measured "
                      "difference."}[lang]
    return {"nl": "Naast elkaar gezet, niet getoetst: andere bronnen, steekproeven, vragen en "
                  "jaren — lees een verschil als een vergelijking, niet als een gemeten verschil.",
            "en": "Side by side, not tested: different sources, samples, questions and years — "
                  "read a gap as a comparison, not as a measured difference."}[lang]
