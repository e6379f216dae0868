"""Microsoft Forms and Google Forms exports: question names and identifying columns.

Microsoft Forms has an ``ID`` column, start and completion times (``Start time``,
``Begintijd``, ``Tijd van voltooien``, ...), ``Email`` and ``Name``; it writes a multi-select
answer as ``WhatsApp;Instagram;``. Google Forms starts with ``Timestamp``/``Tijdstempel``. Header
spellings are matched as patterns, and a ``;``-ended answer after an ID column also marks a
Microsoft export. Columns are named after their questions (:func:`slug`); what each question is
(single choice, answer scale, multi-select) is decided for every format by :mod:`.roles`.

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

import pandas as pd

from ..codebook import Variable

__all__ = [
    "FormsTable",
    "detect_forms",
    "merge_comma_options",
    "option_order",
    "slug",
    "transform_forms",
]

# header (lower case) -> (canonical name, why it identifies a respondent)
_WITH_OTHERS = ": with other answers it can identify a respondent"
_START = ("start_time", "start time of the response" + _WITH_OTHERS)
_COMPLETION = ("completion_time", "completion time of the response" + _WITH_OTHERS)
_MODIFIED = ("last_modified_time", "time the response was last changed" + _WITH_OTHERS)
_EMAIL = ("email", "email:name")  # privacy.identifying_text words it
_NAME = ("name", "name:name")

# what a Forms column is, from its header (lower case): spellings vary ("Tijd van voltooien",
# "Completion time", "Voltooiingstijd"), so these are patterns
_KNOWN = [
    (r"^(id|respondent id|response id)$", ("id", "respondent ID of the Forms export")),
    (r"^(start\w*|begin\w*)( ?time| ?tijd)?$", _START),
    (r"^(completion|voltooi\w*|tijd van voltooi\w*|end ?time|eindtijd|submitted)\b", _COMPLETION),
    (r"^(last modified|tijdstip van laatste wijziging|laatst gewijzigd)", _MODIFIED),
    (r"^(timestamp|tijdstempel)$", ("timestamp", "time the response was sent" + _WITH_OTHERS)),
    (r"^(e-?mail|e-?mail ?address|e-?mailadres)$", _EMAIL),
    (r"^(name|naam|full name|volledige naam)$", _NAME),
]


def _known(header: Any) -> tuple[str, str] | None:
    key = _key(header)
    return next((what for pattern, what in _KNOWN if re.match(pattern, key)), None)


def _key(name: Any) -> str:
    return " ".join(str(name).strip().lower().split())


def detect_forms(header: list[Any], frame: pd.DataFrame | None = None) -> str | None:
    """``"microsoft"``, ``"google"`` or ``None``, from the header row and (when given) the
    cells: Microsoft Forms has an ID column plus start and completion times, or ``;``-ended
    answers after an ID column; Google Forms starts with a timestamp column."""
    kinds = [(_known(h) or ("",))[0] for h in header]
    if "id" in kinds and "start_time" in kinds and "completion_time" in kinds:
        return "microsoft"
    if kinds and kinds[0] == "timestamp":
        return "google"
    if (
        frame is not None
        and "id" in kinds[:2]
        and any(
            frame[c].astype(str).str.rstrip().str.endswith(";").mean() >= 0.5 for c in frame.columns
        )
    ):
        return "microsoft"
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


def merge_comma_options(lists: list[list[str]]) -> list[list[str]]:
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


def option_order(lists: list[list[str]]) -> list[str]:
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


@dataclass
class FormsTable:
    """A Forms export after :func:`transform_forms`."""

    data: pd.DataFrame
    variables: dict[str, Variable]
    renamed: dict[str, str] = field(default_factory=dict)  # original header -> column
    kind: str = "microsoft"


def transform_forms(frame: pd.DataFrame, kind: str) -> FormsTable:
    """Name a Forms export's columns after their questions and mark its identifying columns
    (the answers' roles, multi-select questions included, are decided by :mod:`.roles`).

    Parameters
    ----------
    frame : pandas.DataFrame
        Cells as read (text), columns named by the export's header.
    kind : {"microsoft", "google"}
    """
    used: set[str] = set()
    columns: dict[str, pd.Series] = {}
    variables: dict[str, Variable] = {}
    renamed: dict[str, str] = {}
    for header in frame.columns:
        known = _known(header)
        name = known[0] if known else slug(header)
        base, k = name, 2
        while name in used:
            name, k = f"{base}_{k}", k + 1
        used.add(name)
        renamed[header] = name
        columns[name] = frame[header]
        variables[name] = Variable(name, label=str(header))
        if known:
            variables[name] = Variable(
                name,
                label=str(header),
                type="string",
                measure="nominal",
                identifying=True,
                identifying_reason=known[1],
            )
    return FormsTable(pd.DataFrame(columns, index=frame.index), variables, renamed, kind)
