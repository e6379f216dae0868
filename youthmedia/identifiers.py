"""What identifies a respondent (:func:`kind_of` a text, :func:`scan_column` a column), judged on
content; a column's name is only a hint."""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["ColumnScan", "is_first_name", "kind_of", "public", "scan_answers", "scan_column"]

_MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|january|february|march|may|june|july|august|october|jan|feb|mrt|mar|apr|jun|jul|aug|sep|sept|okt|oct|nov|dec"
_STRAAT = "straat|laan|weg|plein|gracht|kade|dijk|singel|hof|pad|steeg|dreef|markt|park"
_BSN_WEIGHTS = np.array([9, 8, 7, 6, 5, 4, 3, 2, -1])


def _valid(kind: str, m: str) -> bool:
    """A pattern's match checked where the pattern is not enough."""
    d = [int(c) for c in re.sub(r"\D", "", m)]
    if kind == "bsn":  # the 11-test: 9·d1 + 8·d2 + … + 2·d8 − d9 is a multiple of 11
        return len(set(d)) > 1 and int(_BSN_WEIGHTS @ d) % 11 == 0
    if kind == "iban":  # ISO 13616: mod 97 with the country moved to the end
        s = re.sub(r"\s", "", m).upper()
        return len(s) <= 34 and int("".join(str(int(c, 36)) for c in s[4:] + s[:4])) % 97 == 1
    if kind == "ip":
        with contextlib.suppress(ValueError):
            return ipaddress.ip_address(m) is not None
        return False
    if kind == "birth_date":  # a past date
        return int(re.findall(r"(?:19|20)\d\d", m)[-1]) <= dt.date.today().year
    return kind != "phone" or 9 <= len(d) <= 15  # E.164: at most 15 digits


#: Identifiers in a text, tried in this order: kind, pattern (a match checked by _valid).
_PATTERNS = r"""
email      (?i)[\w.%+'-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}
url        (?i)\bhttps?://\S+|\bwww\.[\w-]+\.\w+\S*
handle     (?i)(?<![\w@.])@[a-z0-9_](?:[a-z0-9_.]{1,29})
iban       (?i)\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b
ip         (?i)\b\d{1,3}(?:\.\d{1,3}){3}\b|\b[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}\b
bsn        (?<![\w.,])\d(?:[ .-]?\d){8}(?![\w,]|\.\d)
phone      (?<![\d+])(?:(?:\+|00)31[ -]?(?:\(0\))?[ -]?6|06)[ -]?(?:\d[ -]?){7}\d(?!\d)|(?<![\w+.,])(?:\+|00(?=[1-9]))\d{1,3}(?:[ -]?\(?\d+\)?){2,6}(?!\d)|(?<!\d)0\d{2,3}[ -]\d{3}[ -]?\d{3,4}(?!\d)
postcode   \b(?!(?<=[A-Z]{2} )(?:19|20)\d\d\b)[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}\b
address    (?i)\b[a-z][a-z'-]*(?:STRAAT)\.?\s+(?!(?:19|20)\d\d\b)\d{1,4}\s?[a-z]?\b(?!\s*(?:uur|keer|min|jaar|dag|week|x\b|%))|\b\d{1,4}\s+[a-z]+\s+(?:STRAAT|street|road|avenue|lane|drive|st|rd|ave)\b
birth_date (?i)\b\d{1,2}(?:e|st|nd|rd|th)?\s+(?:MONTHS)\.?,?\s+(?:19|20)\d\d\b|\b(?:MONTHS)\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d\b|\b\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d\d\b|\b(?:19|20)\d\d-\d\d-\d\d\b
"""
#: Column names and labels (folded) that point to an identifier: hints only.
_HINTS = r"""
email      e_?mail|mailadres
phone      telefoon|phone|mobiel(?!_?gebruik)|^mobile$|^gsm|06_?nummer|whatsapp_?nummer
id_number  leerling_?(nummer|nr|code|id)|^llnr$|stam_?nummer|student_?(nummer|nr|id|number)|pupil_?(id|number)|client_?(nummer|nr|id|number)|dossier_?n|burgerservice|^bsn|_bsn$|^ssn$|sofi_?nummer|onderwijsnummer|patient_?n|external_?(data_?)?ref|^token$|paspoort_?n|passport_?n|personeelsnummer|klantnummer|lidnummer
birth_date geboorte_?(datum|dag)|^geb_?dat|birth_?(date|day)|date_?of_?birth|^dob$
location   latitude|longitude|^lat$|^lon$|^lng$|^gps|geo_?locat
ip         ^ip(_?(adres|address|addr|v4|v6))?$|remote_?addr
postcode   postcode(?!_?4)|postal_?code|zip(_?code)?$|^pc6$
address    ^(woon|huis|post)?_?adres$|^(home_|street_)?address$|straat|street|huisnummer
name       (^|_)(voor|achter|roep|familie|gebruikers|account|bij|volledige_?)?naam($|_(leerling|kind|respondent|ouder|deelnemer))|^(first|last|full|given|family|user|middle|screen|nick|recipient_?(first|last))_?name$|^name$|^names?_|^sur_?name$|^initialen$|^initials$|handtekening|signature
free_text  toelichting|opmerking|namelijk|specif|comment|remark|open_?antwoord|vrije_?tekst|free_?text|_te?xt$
"""


def _table(text: str) -> tuple[list[tuple[str, re.Pattern[str]]], re.Pattern[str]]:
    """The rows (kind, compiled pattern) and one regex that matches where any row does."""
    rows = [line.split(None, 1) for line in text.strip().splitlines()]
    rows = [(k, p.replace("STRAAT", _STRAAT).replace("MONTHS", _MONTHS)) for k, p in rows]
    scoped = [f"(?i:{p[4:]})" if p.startswith("(?i)") else f"(?:{p})" for _, p in rows]
    return [(k, re.compile(p)) for k, p in rows], re.compile("|".join(scoped))


(_PATTERNS, _ANY_PATTERN), (_HINTS, _ANY_HINT) = _table(_PATTERNS), _table(_HINTS)
_PARTICLES = {*"van de der den het ten ter te in 't von du da di la le el al bin ben op t".split()}
#: Words that are first names in some list but mean something else in an answer.
_NOT_NAMES = {*"anders other geen none niemand nobody ja nee yes no alle all soms vaak".split()}
_NOT_NAMES |= {*"nooit mijn my de het een".split()}
_ANONYMOUS = {*"anonymous anoniem anon n/a na - nvt n.v.t. onbekend unknown none geen nan".split()}
_QUESTION_WORDS = {*"je jouw uw your wat is what".split()}
_TIME_WORDS = re.compile(
    r"time|tijd|start|begin|eind|end|complet|voltooi|submit|ingevuld|invul|record|modif|wijzig"
    r"|^date$|datum_invul"
)
_WORD = re.compile(r"[^\W\d_]{2,}")
#: Detector kinds as privacy's kinds (a BSN is an id number, a handle a name).
_PUBLIC = dict(bsn="id_number", iban="id_number", handle="name", url="name", unique="free_text")


def public(kind: str) -> str:
    """A detector kind as one of privacy's kinds."""
    return _PUBLIC.get(kind, kind)


def fold(text: Any) -> str:
    """Lower case, accents stripped, camelCase split, separators as ``_``."""
    text = unicodedata.normalize("NFKD", re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", str(text)))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def hint(name: Any, label: Any = None) -> tuple[str | None, str]:
    """The identifier a column's name (else its label) points to: ``(kind, "name"|"label")``."""
    for text, evidence in ((name, "name"), (label, "label")):
        folded = fold(text) if text else ""
        if evidence == "label":  # a question: its words, not the whole text
            folded = "_".join(w for w in folded.split("_") if w not in _QUESTION_WORDS)
        for kind, rx in _HINTS if _ANY_HINT.search(folded) else []:
            long_label = evidence == "label" and kind in ("free_text", "name") and len(folded) > 60
            if rx.search(folded) and not long_label:
                return kind, evidence
    return None, ""


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """The bundled first-name list, folded (``data/first_names.txt``)."""
    text = resources.files("youthmedia").joinpath("data/first_names.txt").read_text("utf-8")
    return frozenset(fold(s) for s in text.splitlines() if s.strip() and s[0] != "#") - _NOT_NAMES


def is_person_name(text: str) -> bool:
    """A first name from the list, then one to three name words (any case): "sanne de vries"."""
    words = [w for w in re.split(r"[\s,]+", text.strip()) if w]
    if not 2 <= len(words) <= 5 or not all(re.fullmatch(r"[^\W\d_][\w'’.-]*", w) for w in words):
        return False
    if "," in text:  # "Vries, Sanne de"
        words = words[1:] + words[:1]
    rest = [w for w in words[1:] if fold(w) not in _PARTICLES]
    ok = 1 <= len(rest) <= 3 and all(len(fold(w)) >= 2 for w in rest)
    return ok and fold(words[0]) in first_names()


@lru_cache(maxsize=1 << 16)
def is_first_name(text: str) -> bool:
    """One word that is a first name from the list ("Daan")."""
    t = text.strip()
    return len(t) < 40 and bool(re.fullmatch(r"[^\W\d_][\w'’-]+", t)) and fold(t) in first_names()


def kind_of(text: Any, kinds: Collection[str] | None = None) -> str | None:
    """The first kind of identifier in ``text`` (only ``kinds`` if given), or None.

    Kinds: email, url, handle, iban, ip, bsn, phone, postcode, address, birth_date, name.
    """
    if not isinstance(text, str) or len(text) < 3:
        return None
    kinds = None if kinds is None else frozenset(kinds)
    return (_kind if len(text) < 300 else _kind.__wrapped__)(text, kinds)  # answers: cached


@lru_cache(maxsize=1 << 16)
def _kind(text: str, kinds: frozenset[str] | None) -> str | None:
    for kind, rx in _PATTERNS if len(text) >= 300 or _ANY_PATTERN.search(text) else []:
        if (kinds is None or kind in kinds) and any(_valid(kind, m[0]) for m in rx.finditer(text)):
            return kind
    return "name" if (kinds is None or "name" in kinds) and is_person_name(text) else None


@dataclass
class ColumnScan:
    """What :func:`scan_column` found: a reason for the whole column, or identifying answers."""

    reason: str | None = None
    answers: dict[str, str] = field(default_factory=dict)  # answer text -> kind


def _is_free_text(counts: dict[str, int]) -> bool:
    """Open answers: mostly distinct, several words, many words nobody else used."""
    total = sum(counts.values())
    words = {a: {w.casefold() for w in _WORD.findall(a)} for a in counts}
    if total < 5 or len(counts) < 0.5 * total or sum(map(len, words.values())) < 2 * len(words):
        return False
    holders = Counter(w for ws in words.values() for w in ws)  # answers that hold each word
    rare = sum(1 in map(holders.get, words[a]) for a, k in counts.items() if k == 1)
    return rare >= 0.3 * total


def _typed(text: str) -> bool:
    """An answer typed rather than chosen: a digit, a first name, long, or lower-case words."""
    words, digit = text.split(), any(c.isdigit() for c in text)
    lower = len(words) >= 2 and text[:1].islower()
    return digit or lower or len(text) >= 40 or any(map(is_first_name, words))


def scan_answers(counts: Mapping[str, int], min_n: int, *, ordinal: bool = False) -> dict[str, str]:
    """Identifying answers among ``counts`` (answer text -> respondents who gave it)."""
    counts = {a: int(k) for a, k in counts.items()}
    found = {
        a: kind
        for a, k in counts.items()
        if (kind := kind_of(a)) and not (kind in ("name", "birth_date") and k >= min_n)
    }
    firsts = [a for a, k in counts.items() if a not in found and k < min_n and is_first_name(a)]
    if len(firsts) >= 2 or (firsts and found and set(found.values()) == {"name"}):
        found.update(dict.fromkeys(firsts, "name"))
    repeated = [k for k in counts.values() if k >= 2]
    if not ordinal and len(repeated) >= 2 and sum(repeated) >= 0.5 * sum(counts.values()):
        once = [a for a, k in counts.items() if k == 1 and a not in found and _typed(a)]
        found.update(dict.fromkeys(once, "unique"))
    return found


def _sample(values: Any) -> Any:
    """A spread sample of the answers given (a million rows stay cheap)."""
    for k in (20_000, 5_000):
        values = values.take(np.linspace(0, len(values) - 1, min(len(values), k)).astype(np.int64))
        values = values[~pd.isna(values)]
    return values


def _scan_typed(
    present: pd.Series, name: str, kind: str | None, evidence: str, labelled: bool
) -> ColumnScan | None:
    """A column of truth values, dates or unlabelled numbers judged (None for text)."""
    types, dtype = pd.api.types, present.dtype
    if types.is_bool_dtype(dtype) or types.is_timedelta64_dtype(dtype):
        return ColumnScan()
    dates = types.is_object_dtype(dtype) and present.head(200).map(lambda v: isinstance(v, dt.date))
    if types.is_datetime64_any_dtype(dtype) or (dates is not False and dates.mean() >= 0.8):
        if kind == "birth_date":
            return ColumnScan(f"birth_date:{evidence}")
        d = pd.to_datetime(present, errors="coerce").dropna()  # birth: day-precise, years apart
        birth = not _TIME_WORDS.search(fold(name)) and (
            len(d) >= max(5, 0.8 * len(present))
            and (d == d.dt.normalize()).all()
            and (d.max() - d.min()).days >= 730
            and d.nunique() >= 0.5 * len(d)
            and d.dt.day.nunique() >= 3
            and (d < pd.Timestamp.today()).mean() >= 0.95
        )
        return ColumnScan("birth_date:content" if birth else None)
    if not types.is_numeric_dtype(dtype) or labelled:
        return None
    values = np.asarray(present, dtype=float)
    hinted = kind in ("id_number", "location") or (kind == "phone" and np.abs(values).max() >= 1e7)
    if hinted or (kind == "postcode" and not ((values >= 1000) & (values <= 9999)).all()):
        return ColumnScan(f"{kind}:{evidence}")
    whole = values[np.isfinite(values) & (values == np.round(values)) & (np.abs(values) < 1e12)]
    if len(whole) < max(5, 0.8 * len(values)) or np.abs(whole).max() < 1e7:
        return ColumnScan()
    w = np.abs(whole).astype(np.int64)  # BSNs (11-test), or mobile numbers that lost their 0
    digits = (w[:, None] // 10 ** np.arange(8, -1, -1)) % 10
    if ((w < 10**9) & ((digits @ _BSN_WEIGHTS) % 11 == 0) & (digits.std(axis=1) > 0)).mean() >= 0.6:
        return ColumnScan("id_number:content")
    return ColumnScan("phone:content" if ((w >= 6e8) & (w < 7e8)).mean() >= 0.8 else None)


def scan_column(col: pd.Series, var: Any, min_n: int = 10) -> ColumnScan:
    """Judge column ``col`` of codebook Variable ``var``: identifying as a whole (``reason``
    ``"<kind>:<evidence>"``), or which of its answers are (``answers``: text -> kind).
    """
    name, value_labels, (kind, evidence) = var.name, var.value_labels, hint(var.name, var.label)
    labelled = bool(value_labels) or isinstance(col.dtype, pd.CategoricalDtype)
    if isinstance(col.dtype, pd.CategoricalDtype):  # the answers are the categories: count codes
        texts, codes = col.cat.categories.tolist(), col.cat.codes.to_numpy()
        ks = np.bincount(_sample(np.where(codes < 0, np.nan, codes)).astype(np.int64))
    else:
        numbers = isinstance(col.dtype, np.dtype) and col.dtype.kind in "fiu"
        if len(present := _sample(col.to_numpy() if numbers else col)) == 0:
            return ColumnScan()
        if (found := _scan_typed(present, name, kind, evidence, labelled)) is not None:
            return found
        vc = pd.Series(present).value_counts(sort=False)
        texts, ks = vc.index.tolist(), vc.to_numpy()
    counts: dict[str, int] = {}
    for text, k in zip(map(str, texts), ks.tolist(), strict=False):  # distinct values
        if k and (text := text.strip()):
            counts[text] = counts.get(text, 0) + k
    total = sum(counts.values())
    if not counts or {a.casefold() for a in counts} <= _ANONYMOUS:
        return ColumnScan()
    few = len(counts) <= max(2, min(12, total // 3)) and total >= 2 * len(counts)  # coded answers
    if kind not in (None, "free_text") and (
        not (value_labels or few) or any(public(kind_of(a) or "") == kind for a in counts)
    ):
        if not (kind == "postcode" and all(re.fullmatch(r"[1-9]\d{3}", a) for a in counts)):
            return ColumnScan(f"{kind}:{evidence}")
    if kind == "free_text" and not value_labels:
        return ColumnScan(f"free_text:{evidence}")
    if not labelled and _is_free_text(counts):
        kinds = {a: kind_of(a) for a in counts}
        main = max(set(kinds.values()) - {None}, key=list(kinds.values()).count, default=None)
        mostly = sum(k for a, k in counts.items() if main and kinds[a] == main) >= 0.5 * total
        return ColumnScan(f"{public(main) if mostly else 'free_text'}:content")
    numeric_codes = bool(value_labels) and not all(isinstance(k, str) for k in value_labels)
    answers = scan_answers(counts, min_n, ordinal=var.measure == "ordinal" or numeric_codes)
    if _TIME_WORDS.search(fold(name)):  # dates the survey was filled in, not dates of birth
        answers = {a: k for a, k in answers.items() if k != "birth_date"}
    if answers and sum(counts[a] for a in answers) >= 0.5 * total:
        kinds = [k for k in answers.values() if k != "unique"] or ["free_text"]
        return ColumnScan(f"{public(max(set(kinds), key=kinds.count))}:content")
    return ColumnScan(answers={a: public(k) for a, k in answers.items()})
