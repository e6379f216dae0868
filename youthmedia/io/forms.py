"""Microsoft Forms and Google Forms exports: identifying columns and "select all that apply"
questions.

Microsoft Forms stores a multi-select answer as ``WhatsApp;Instagram;`` and has ``ID``,
``Start time``/``Begintijd``, ``Completion time``/``Tijd van voltooiing``, ``Email``/``E-mail``,
``Name``/``Naam`` and ``Last modified time`` columns. Google Forms starts with
``Timestamp``/``Tijdstempel``, may have ``Email Address``/``E-mailadres``, and stores a
multi-select answer as ``WhatsApp, Instagram``. Each multi-select question becomes a dichotomy
multiple-response set of 0/1 columns. A single-choice question (a few answers, each given by
several respondents, or a recognised answer scale; see :mod:`.answers`) gets its answers as
value labels (text codes) in scale order, or from most to least chosen, so that it loads as a
labelled categorical (``measure`` ordinal for a scale, nominal otherwise); numbers and free text
are left alone.

Examples
--------
>>> from youthmedia.io.forms import detect_forms, slug
>>> detect_forms(["ID", "Start time", "Completion time", "Email", "Name", "Leeftijd"])
'microsoft'
>>> detect_forms(["Tijdstempel", "Hoe oud ben je?"])
'google'
>>> slug("Welke sociale media gebruik je?")
'welke_sociale_media_gebruik_je'
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import MRSet, Variable
from .answers import answer_order, is_single_choice
from .infer import is_na

__all__ = ["FormsTable", "detect_forms", "slug", "split_google", "split_microsoft",
           "transform_forms"]

# header (lower case) -> (canonical name, why it identifies a respondent)
_WITH_OTHERS = ": with other answers it can identify a respondent"
_START = ("start_time", "start time of the response" + _WITH_OTHERS)
_COMPLETION = ("completion_time", "completion time of the response" + _WITH_OTHERS)
_MODIFIED = ("last_modified_time", "time the response was last changed" + _WITH_OTHERS)
_EMAIL = ("email", "e-mail address of the respondent")
_NAME = ("name", "name of the respondent")

_MS_COLUMNS = {
    "id": ("id", "respondent ID of the Forms export"),
    "start time": _START, "begintijd": _START,
    "completion time": _COMPLETION, "tijd van voltooiing": _COMPLETION,
    "email": _EMAIL, "e-mail": _EMAIL, "e-mailadres": _EMAIL,
    "name": _NAME, "naam": _NAME,
    "last modified time": _MODIFIED, "tijdstip van laatste wijziging": _MODIFIED,
    "laatst gewijzigd": _MODIFIED,
}
_GOOGLE_COLUMNS = {
    "timestamp": ("timestamp", "time the response was sent" + _WITH_OTHERS),
    "tijdstempel": ("timestamp", "time the response was sent" + _WITH_OTHERS),
    "email address": _EMAIL, "e-mailadres": _EMAIL, "emailadres": _EMAIL, "e-mail": _EMAIL,
    "email": _EMAIL,
    "naam": _NAME, "name": _NAME,
}
_MS_START = {"start time", "begintijd"}
_MS_END = {"completion time", "tijd van voltooiing"}


def _key(name: Any) -> str:
    return " ".join(str(name).strip().lower().split())


def detect_forms(header: list[Any]) -> str | None:
    """``"microsoft"``, ``"google"`` or ``None`` from a header row."""
    keys = [_key(h) for h in header]
    if "id" in keys and (set(keys) & _MS_START) and (set(keys) & _MS_END):
        return "microsoft"
    if keys and keys[0] in ("timestamp", "tijdstempel"):
        return "google"
    return None


def slug(text: str, limit: int = 40) -> str:
    """A short lower-case ASCII name from a question or option text."""
    text = str(text)
    bare = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text)  # "(meer antwoorden mogelijk)"
    if re.search(r"\w", bare):
        text = bare
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = ""
    for w in words:
        nxt = f"{out}_{w}" if out else w
        if len(nxt) > limit:
            break
        out = nxt
    if not out and words:
        out = words[0][:limit]
    if not out:
        out = "q"
    if out[0].isdigit():
        out = "q" + out
    return out


def split_microsoft(cells: list[str]) -> list[list[str]] | None:
    """Split ``"A;B;"`` cells when the column is a Microsoft Forms multi-select question."""
    if not cells:
        return None
    ending = sum(1 for c in cells if c.rstrip().endswith(";"))
    if ending < max(1, 0.8 * len(cells)):
        return None
    return [[t.strip() for t in c.split(";") if t.strip()] for c in cells]


def _merge_comma_options(lists: list[list[str]]) -> list[list[str]]:
    """Join ``["Ja", "elke dag"]`` back into ``["Ja, elke dag"]`` where a piece only ever
    follows one other piece (an option that itself contains ", ")."""
    changed = True
    while changed:
        changed = False
        total = Counter(t for tokens in lists for t in tokens)
        after: dict[str, Counter] = {}
        before: dict[str, Counter] = {}
        for tokens in lists:
            for a, b in zip(tokens, tokens[1:], strict=False):
                after.setdefault(b, Counter())[a] += 1
                before.setdefault(a, Counter())[b] += 1
        for b, preds in after.items():
            if len(preds) != 1 or sum(preds.values()) != total[b]:
                continue  # b also occurs first, or after different pieces
            a = next(iter(preds))
            starts_small = b[:1].islower() or b[:1].isdigit()
            always_paired = before.get(a, Counter()).get(b, 0) == total[a]
            if starts_small or always_paired:
                merged = []
                for tokens in lists:
                    out: list[str] = []
                    for t in tokens:
                        if t == b and out and out[-1] == a:
                            out[-1] = f"{a}, {b}"
                        else:
                            out.append(t)
                    merged.append(out)
                lists = merged
                changed = True
                break
    return lists


def split_google(cells: list[str]) -> list[list[str]] | None:
    """Split ``"A, B"`` cells when the column is a Google Forms multi-select question.

    Returns ``None`` for free text and for single-choice questions whose options contain
    commas: the pieces of a real multi-select answer recur across respondents in different
    combinations.
    """
    if len(cells) < 2 or sum(", " in c for c in cells) < 2:
        return None
    lists = _merge_comma_options([[t.strip() for t in c.split(", ") if t.strip()] for c in cells])
    multi = sum(len(tokens) > 1 for tokens in lists)
    if multi < 2:
        return None
    counts = Counter(t for tokens in lists for t in tokens)
    occurrences = sum(counts.values())
    repeated = sum(k for k in counts.values() if k >= 2)
    if repeated < 0.75 * occurrences or len(counts) > max(2, 0.5 * occurrences):
        return None
    return lists


def _option_order(lists: list[list[str]]) -> list[str]:
    """Options in the order the form lists them (cells keep that order), else first seen."""
    first: dict[str, int] = {}
    for tokens in lists:
        for t in tokens:
            first.setdefault(t, len(first))
    succ: dict[str, set[str]] = {t: set() for t in first}
    indeg = dict.fromkeys(first, 0)
    for tokens in lists:
        for a, b in zip(tokens, tokens[1:], strict=False):
            if b not in succ[a]:
                succ[a].add(b)
                indeg[b] += 1
    order, ready = [], sorted((t for t, d in indeg.items() if d == 0), key=first.get)
    while ready:
        t = ready.pop(0)
        order.append(t)
        for b in succ[t]:
            indeg[b] -= 1
            if indeg[b] == 0:
                ready.append(b)
        ready.sort(key=first.get)
    return order if len(order) == len(first) else sorted(first, key=first.get)


_NUMBER_OR_DATE = re.compile(r"^[+-]?[\d.,:/ -]+$")


def _single_choice(name: str, label: str, cells: list[str]) -> Variable | None:
    """A Variable with the answers as value labels (text code = label) when ``cells`` are the
    answers of a single-choice question; ``None`` for numbers, dates and free text."""
    if not cells or all(_NUMBER_OR_DATE.match(c) for c in cells):
        return None
    if not is_single_choice(cells):
        return None
    order, measure = answer_order(cells)
    return Variable(name, label=label, type="string", measure=measure,
                    value_labels={a: a for a in order})


@dataclass
class FormsTable:
    """A Forms export after :func:`transform_forms`."""

    data: pd.DataFrame
    variables: dict[str, Variable]
    mr_sets: dict[str, MRSet]
    renamed: dict[str, str] = field(default_factory=dict)  # original header -> column
    kind: str = "microsoft"


def transform_forms(frame: pd.DataFrame, kind: str) -> FormsTable:
    """Rename a Forms export's columns, mark identifying ones and expand multi-select questions.

    Parameters
    ----------
    frame : pandas.DataFrame
        Cells as read (text), columns named by the export's header.
    kind : {"microsoft", "google"}
    """
    known = _MS_COLUMNS if kind == "microsoft" else _GOOGLE_COLUMNS
    used: set[str] = set()

    def unique(name: str) -> str:
        base, k = name, 2
        while name in used:
            name = f"{base}_{k}"
            k += 1
        used.add(name)
        return name

    columns: dict[str, pd.Series] = {}
    variables: dict[str, Variable] = {}
    mr_sets: dict[str, MRSet] = {}
    renamed: dict[str, str] = {}
    splitter = split_microsoft if kind == "microsoft" else split_google
    for header in frame.columns:
        col = frame[header]
        key = _key(header)
        if key in known:
            name = unique(known[key][0])
            renamed[header] = name
            columns[name] = col
            variables[name] = Variable(name, label=str(header), type="string", measure="nominal",
                                       identifying=True, identifying_reason=known[key][1])
            continue
        present = [(i, str(v).strip()) for i, v in enumerate(col.tolist()) if not is_na(v)]
        lists = splitter([c for _i, c in present]) if present and all(
            isinstance(v, str) for v in col.tolist() if not is_na(v)) else None
        if lists is None:
            name = unique(slug(header))
            renamed[header] = name
            columns[name] = col
            variables[name] = _single_choice(name, str(header), [c for _i, c in present]) \
                or Variable(name, label=str(header))
            continue
        set_name = unique(slug(header, 32))
        renamed[header] = set_name
        members = []
        rows = np.array([i for i, _c in present], dtype=int)
        for option in _option_order(lists):
            member = unique(f"{set_name}_{slug(option, 24)}")
            values = np.full(len(col), np.nan)
            values[rows] = [1.0 if option in tokens else 0.0 for tokens in lists]
            columns[member] = pd.Series(values, index=col.index)
            variables[member] = Variable(member, label=option, type="numeric", measure="nominal",
                                         group=set_name)
            members.append(member)
        mr_sets[set_name] = MRSet(set_name, label=str(header), kind="dichotomy",
                                  variables=members, counted_value=1)
    data = pd.DataFrame(columns, index=frame.index)
    return FormsTable(data, variables, mr_sets, renamed, kind)
