"""The notes of a published Result: how its intervals were made (``source_note``, ``design``,
``ci``), the total n, and notes on flagged cells.

Examples
--------
>>> import pandas as pd
>>> from youthmedia.published.notes import _n_phrase
>>> _n_phrase(pd.DataFrame({"year": ["2022", "2023"], "n": [1316, 1453]}), ["year"])["en"]
'n = 1,316 (2022), 1,453 (2023)'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from .read import _Record
from .text import _int_text, _nl_en

_Z_TEXT = {"nl": "uitgaande van een enkelvoudige aselecte steekproef van {n}",
           "en": "assuming a simple random sample of {n}"}


def _n_phrase(frame: pd.DataFrame, groups: Sequence[str]) -> dict[str, str] | None:
    """``n = 761`` or ``n = 1.316 (2022), 1.453 (2023)`` in Dutch and English (None: no n)."""
    known = frame.dropna(subset=["n"])
    if known.empty:
        return None
    distinct = list(dict.fromkeys(int(v) for v in known["n"]))
    if len(distinct) == 1:
        return {lang: f"n = {_int_text(distinct[0], lang)}" for lang in ("nl", "en")}
    for g in groups:   # name the groups when n follows one grouping column
        if g not in known.columns:
            continue
        per = known.groupby(known[g].astype(str), sort=False)["n"].unique()
        if all(len(v) == 1 for v in per) and len(per) <= 6:
            return {lang: "n = " + ", ".join(f"{_int_text(v[0], lang)} ({k})" for k, v in per.items())
                    for lang in ("nl", "en")}
    return {lang: f"n = {_int_text(min(distinct), lang)}–{_int_text(max(distinct), lang)}"
            for lang in ("nl", "en")}


def _refresh(meta: dict[str, Any], frame: pd.DataFrame) -> dict[str, Any]:
    """The parts of a published Result's meta that follow from its rows: ``n_total``, the
    interval notes, ``design``, ``ci``, ``source_note`` and the composed ``notes``."""
    pub = meta["published_notes"]
    by = list(meta.get("by") or [])
    groups = by + [c for c in (meta.get("read_as") or {}).get("items", []) if c in frame.columns]
    level = float(meta.get("level") or 0.95)
    known = frame["n"].dropna()
    if known.empty:
        n_total = None
    elif known.nunique() == 1:
        n_total = int(known.iloc[0])
    elif by:
        n_total = int(frame.dropna(subset=["n"]).groupby(by, observed=True)["n"].max().sum())
    else:
        n_total = int(known.max())
    phrase = _n_phrase(frame, groups)
    pct = {"nl": f"{round(100 * level):d}%-", "en": f"{round(100 * level):d}% "}
    if pub.get("given_ci"):
        interval = [_nl_en("Gepubliceerde cijfers met de intervallen uit de bron.",
                           "Published figures with the intervals given by the source.")]
        design = _nl_en("gepubliceerde cijfers en intervallen", "published figures and intervals")
        source_note = _nl_en("gepubliceerde cijfers", "published figures")
        ci = "given by the source"
    elif phrase is None:
        interval = [_nl_en("Geen steekproefgrootte in de bron: cijfers zonder "
                           "betrouwbaarheidsinterval.",
                           "No sample size given in the source: figures without confidence "
                           "intervals.")]
        design = _nl_en("gepubliceerde cijfers; geen steekproefgrootte, geen intervallen",
                        "published figures; no sample size, no intervals")
        source_note = _nl_en("gepubliceerde cijfers; geen n in de bron, geen intervallen",
                             "published figures; no n in the source, no intervals")
        ci = ""
    else:
        srs = {lang: _Z_TEXT[lang].format(n=phrase[lang]) for lang in ("nl", "en")}
        interval = [_nl_en(
            f"Gepubliceerde cijfers; {pct['nl']}betrouwbaarheidsintervallen (Wilson) {srs['nl']}. "
            "Is de steekproef gewogen of geclusterd, dan zijn de werkelijke intervallen breder.",
            f"Published figures; {pct['en']}confidence intervals (Wilson) {srs['en']}. If the "
            "sample was weighted or clustered, the true intervals are wider.")]
        if len(known) < len(frame):
            interval.append(_nl_en("Waar de bron geen n geeft: geen interval.",
                                   "Where the source gives no n: no interval."))
        design = _nl_en(f"gepubliceerde cijfers; intervallen {srs['nl']}",
                        f"published figures; intervals {srs['en']}")
        source_note = _nl_en(f"gepubliceerde cijfers, {srs['nl']}", f"published figures, {srs['en']}")
        ci = "wilson (simple random sample)"
    selected = meta.get("selected") or {}
    cells = [c["note"] for c in pub.get("cells", [])
             if all(str(c["keys"].get(k, v)) == str(v) for k, v in selected.items())]
    meta.update(n_total=n_total, design=design, ci=ci, source_note=source_note,
                notes=list(pub.get("lead", [])) + interval + cells + list(pub.get("tail", [])))
    return meta


def _cell_notes(records: list[_Record], keys_text) -> list[dict[str, Any]]:
    """Notes on flagged cells (bounds, rounded figures, missing) and the table's own notes,
    each with the group values of its row (so that :func:`select` can keep the right ones)."""
    out: list[dict[str, Any]] = []

    def note(rec: _Record, nl: str, en: str) -> None:
        out.append({"keys": dict(rec.keys), "note": {
            lang: f"{keys_text(rec, lang)}: {text}" for lang, text in (("nl", nl), ("en", en))}})

    for rec in records:
        v_en = f"{100 * rec.estimate:g}%"
        v_nl = v_en.replace(".", ",")
        if rec.cell.flag == "approx":
            note(rec, f"‘{rec.cell.text}’ in de bron (afgerond), getekend als {v_nl}",
                 f"‘{rec.cell.text}’ in the source (rounded), drawn as {v_en}")
        elif rec.cell.flag in ("below", "above"):
            note(rec, f"‘{rec.cell.text}’ in de bron, getekend als {v_nl} (zonder interval)",
                 f"‘{rec.cell.text}’ in the source, drawn as {v_en} (no interval)")
        elif rec.cell.flag == "missing":
            note(rec, f"– = niet beschikbaar in de bron (‘{rec.cell.text}’)",
                 f"– = not available in the source (‘{rec.cell.text}’)")
        if rec.note:
            note(rec, rec.note, rec.note)
    return out
