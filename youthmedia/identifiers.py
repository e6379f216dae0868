"""What identifies a respondent, judged on what a column holds — its name is only a hint.

One detector for values, value labels, answer options (multiple-response members) and free
text. A single text is identifying (:func:`kind_of`) when it holds an e-mail address, a phone
number (Dutch or international), a BSN that passes the 11-test (in any spacing, with dots), an
IBAN with a valid mod-97 checksum, a postcode with house number or a street address, a date of
birth written as text ("14 maart 2009", "March 14, 2009", "14-03-2009"), a social-media handle
(``@naam``), a web address, an IP address, or a person's name (a first name from the bundled
list ``data/first_names.txt`` followed by one to three name words).

A column (:func:`scan_column`) is identifying as a whole when its name or label points to an
identifier and its values are not coded answers (``telefoon`` holding ja/nee is an answer), when
most of its answers are identifying, or when it holds free text. Otherwise the answers that are
identifying on their own are listed, and so are answers given by one respondent only in a column
whose other answers repeat (a typed "anders" answer): :mod:`youthmedia.privacy` counts them as
"anders" and never prints them. A person's name given by at least ``min_n`` respondents (an
influencer chosen by a hundred pupils) is an answer category, not a pupil.

Examples
--------
>>> from youthmedia.identifiers import kind_of
>>> kind_of("mail me: sanne@example.nl"), kind_of("1234.56.782"), kind_of("14 maart 2009")
('email', 'bsn', 'birth_date')
>>> kind_of("NL91 ABNA 0417 1643 00"), kind_of("sanne de vries"), kind_of("vaak")
('iban', 'name', None)
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import is_object_dtype

__all__ = ["ColumnScan", "first_names", "fold", "hint", "kind_of", "scan_column"]

_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
    "december|january|february|march|may|june|july|august|october|jan|feb|mrt|mar|apr|"
    "jun|jul|aug|sep|sept|okt|oct|nov|dec"
)
_STRAAT = "straat|laan|weg|plein|gracht|kade|dijk|singel|hof|pad|steeg|dreef|markt|park"
_STREET = "street|road|avenue|lane|drive|st|rd|ave"  # English: a word of its own ("12 Main St")
_PATTERNS = [
    ("email", re.compile(r"[\w.%+'-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.I)),
    ("url", re.compile(r"\bhttps?://\S+|\bwww\.[\w-]+\.\w+\S*", re.I)),
    ("handle", re.compile(r"(?<![\w@.])@[a-z0-9_](?:[a-z0-9_.]{1,29})", re.I)),
    ("iban", re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b", re.I)),
    (
        "ip",
        re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b|\b[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}\b", re.I),
    ),
    ("bsn", re.compile(r"(?<![\w.,])\d(?:[ .-]?\d){8}(?![\w,]|\.\d)")),
    (
        "phone",
        re.compile(
            r"(?<![\d+])(?:(?:\+|00)31[\s-]?(?:\(0\))?[\s-]?6|06)[\s-]?(?:\d[\s-]?){7}\d"
            r"(?!\d)|(?<![\w+])\+\d{1,3}(?:[\s-]?\(?\d+\)?){2,6}(?!\d)"
            r"|(?<!\d)0\d{2,3}[\s-]\d{3}[\s-]?\d{3,4}(?!\d)"
        ),
    ),
    ("postcode", re.compile(r"\b[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}\b")),
    (
        "address",
        re.compile(
            rf"\b[a-z][a-z'-]*(?:{_STRAAT})\.?\s+\d{{1,4}}\s?[a-z]?\b|"
            rf"\b\d{{1,4}}\s+[a-z]+\s+(?:{_STRAAT}|{_STREET})\b",
            re.I,
        ),
    ),
    (
        "birth_date",
        re.compile(
            rf"\b\d{{1,2}}(?:e|st|nd|rd|th)?\s+(?:{_MONTHS})\.?,?\s+(?:19|20)\d\d\b|"
            rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d\b|"
            r"\b\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d\d\b|\b(?:19|20)\d\d-\d\d-\d\d\b",
            re.I,
        ),
    ),
]
_CHECKS = {
    "bsn": lambda t: _elfproef(re.sub(r"\D", "", t)),
    "iban": lambda t: _iban_ok(t),
    "ip": lambda t: _is_ip(t),
    "birth_date": lambda t: _past_date(t),
}
_PARTICLES = {
    "van",
    "de",
    "der",
    "den",
    "het",
    "ten",
    "ter",
    "te",
    "in",
    "'t",
    "von",
    "du",
    "da",
    "di",
    "la",
    "le",
    "el",
    "al",
    "bin",
    "ben",
    "el-",
    "op",
    "t",
}
#: Words that are first names in some list but mean something else in a survey answer.
_NOT_NAMES = {
    "anders",
    "other",
    "geen",
    "none",
    "niemand",
    "nobody",
    "ja",
    "nee",
    "yes",
    "no",
    "alle",
    "all",
    "soms",
    "vaak",
    "nooit",
    "mijn",
    "my",
    "de",
    "het",
    "een",
}
_ANONYMOUS = {
    "",
    "anonymous",
    "anoniem",
    "anon",
    "n/a",
    "na",
    "-",
    "nvt",
    "n.v.t.",
    "onbekend",
    "unknown",
    "none",
    "geen",
    "nan",
}

# Column names and labels: hints only; folded (lower case, no accents, separators as "_").
_HINTS = [
    ("email", r"e_?mail|mailadres"),
    ("phone", r"telefoon|phone|mobiel(?!_?gebruik)|^mobile$|^gsm|06_?nummer|whatsapp_?nummer"),
    (
        "id_number",
        r"leerling_?(nummer|nr|code|id)|^llnr$|stam_?nummer|student_?(nummer|nr|id|number)"
        r"|pupil_?(id|number)|client_?(nummer|nr|id|number)|dossier_?n|burgerservice"
        r"|^bsn|_bsn$|^ssn$|sofi_?nummer|onderwijsnummer|patient_?n|external_?(data_?)?ref"
        r"|^token$|paspoort_?n|passport_?n|personeelsnummer|klantnummer|lidnummer",
    ),
    ("birth_date", r"geboorte_?(datum|dag)|^geb_?dat|birth_?(date|day)|date_?of_?birth|^dob$"),
    ("location", r"latitude|longitude|^lat$|^lon$|^lng$|^gps|geo_?locat"),
    ("ip", r"^ip(_?(adres|address|addr|v4|v6))?$|remote_?addr"),
    ("postcode", r"postcode(?!_?4)|postal_?code|zip(_?code)?$|^pc6$"),
    ("address", r"^(woon|huis|post)?_?adres$|^(home_|street_)?address$|straat|street|huisnummer"),
    (
        "name",
        r"(^|_)(voor|achter|roep|familie|gebruikers|account|bij|volledige_?)?naam($|_(leerling|kind|"
        r"respondent|ouder|deelnemer))|^(first|last|full|given|family|user|middle|screen|nick|"
        r"recipient_?(first|last))_?name$|^name$|^names?_|^sur_?name$|^initialen$|^initials$"
        r"|handtekening|signature",
    ),
    (
        "free_text",
        r"toelichting|opmerking|namelijk|specif|comment|remark|open_?antwoord|vrije_?tekst"
        r"|free_?text|_te?xt$",
    ),
]
_HINT_RES = [(kind, re.compile(p)) for kind, p in _HINTS]
_TIME_WORDS = re.compile(
    r"time|tijd|start|begin|eind|end|complet|voltooi|submit|ingevuld|"
    r"invul|record|modif|wijzig|^date$|datum_invul"
)
_WORD = re.compile(r"[^\W\d_]{2,}")


def fold(text: Any) -> str:
    """Lower case, accents stripped, camelCase split, separators as ``_``.

    Examples
    --------
    >>> fold("E-mailAdres Ouder")
    'e_mail_adres_ouder'
    """
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", str(text))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def hint(name: Any, label: Any = None) -> tuple[str | None, str]:
    """The identifier a column's name (else its label) points to: ``(kind, "name"|"label")``.

    Examples
    --------
    >>> hint("Leerlingnummer"), hint("v7", "Wat is je e-mailadres?")
    (('id_number', 'name'), ('email', 'label'))
    """
    for text, evidence in ((name, "name"), (label, "label")):
        if not text:
            continue
        folded = fold(text)
        if evidence == "label":  # a question text: look for the words, not the whole name
            folded = "_".join(
                w
                for w in folded.split("_")
                if w not in {"je", "jouw", "uw", "your", "wat", "is", "what"}
            )
        for kind, rx in _HINT_RES:
            if rx.search(folded) and not (
                evidence == "label" and kind in ("free_text", "name") and len(folded) > 60
            ):
                return kind, evidence
    return None, ""


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """The bundled first-name list, folded (``data/first_names.txt``)."""
    text = resources.files("youthmedia").joinpath("data/first_names.txt").read_text("utf-8")
    return (
        frozenset(
            fold(line) for line in text.splitlines() if line.strip() and not line.startswith("#")
        )
        - _NOT_NAMES
    )


def _elfproef(digits: str) -> bool:
    """The Dutch BSN 11-test: 9·d1 + 8·d2 + … + 2·d8 − d9 is a multiple of 11."""
    if len(digits) != 9 or len(set(digits)) == 1:
        return False
    return (sum((9 - i) * int(d) for i, d in enumerate(digits[:8])) - int(digits[8])) % 11 == 0


def _iban_ok(text: str) -> bool:
    s = re.sub(r"\s", "", text).upper()
    if not 15 <= len(s) <= 34:
        return False
    moved = s[4:] + s[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _past_date(text: str) -> bool:
    """A date whose year is in the past (a date of birth cannot be in the future)."""
    if re.search(r"\d:\d\d", text):  # with a time of day: when something happened
        return False
    years = [int(y) for y in re.findall(r"(?:19|20)\d\d", text)]
    return bool(years) and 1900 <= years[-1] <= dt.date.today().year


def is_person_name(text: str) -> bool:
    """A first name from the list, then one to three name words (any case): "sanne de vries"."""
    words = [w for w in re.split(r"[\s,]+", text.strip()) if w]
    if not 2 <= len(words) <= 5 or not all(re.fullmatch(r"[^\W\d_][\w'’.-]*", w) for w in words):
        return False
    if words[0].endswith(",") or "," in text:  # "Vries, Sanne de"
        words = words[1:] + words[:1]
    names = first_names()
    rest = [w for w in words[1:] if fold(w) not in _PARTICLES]
    return fold(words[0]) in names and 1 <= len(rest) <= 3 and all(len(fold(w)) >= 2 for w in rest)


def is_first_name(text: str) -> bool:
    """One word that is a first name from the list ("Daan")."""
    t = text.strip()
    return bool(re.fullmatch(r"[^\W\d_][\w'’-]+", t)) and fold(t) in first_names()


def kind_of(text: Any) -> str | None:
    """The first kind of identifier found in one text, or None.

    Kinds: email, url, handle, iban, bsn, phone, postcode, address, birth_date, ip, name.
    """
    if not isinstance(text, str) or len(text) < 3:
        return None
    for kind, rx in _PATTERNS:
        for m in rx.finditer(text):
            check = _CHECKS.get(kind)
            if check is None or check(m.group(0)):
                return kind
    return "name" if is_person_name(text) else None


# -- columns ------------------------------------------------------------------------------------


@dataclass
class ColumnScan:
    """What :func:`scan_column` found: a reason for the whole column, or identifying answers."""

    reason: str | None = None
    answers: dict[str, str] = field(default_factory=dict)  # answer text -> kind


def _is_free_text(counts: pd.Series) -> bool:
    """Open answers: mostly distinct, several words, many words nobody else used."""
    values = list(counts.index)
    total = int(counts.sum())
    if total < 5 or len(values) / total < 0.5:
        return False
    words = [{w.casefold() for w in _WORD.findall(v)} for v in values]
    if sum(len(w) for w in words) / len(values) < 2.0:
        return False
    seen: dict[str, int] = {}
    for ws, k in zip(words, counts.to_numpy(), strict=True):
        for w in ws:
            seen[w] = seen.get(w, 0) + int(k)
    rare = sum(
        int(k)
        for ws, k in zip(words, counts.to_numpy(), strict=True)
        if any(seen[w] == 1 for w in ws)
    )
    return rare >= 0.3 * total


def _coded(counts: pd.Series, labelled: bool) -> bool:
    """Coded answers: value labels, or a few answers each given by several respondents."""
    if labelled:
        return True
    total = int(counts.sum())
    return len(counts) <= max(2, min(12, total // 3)) and total >= 2 * len(counts)


def _typed(text: str) -> bool:
    """An answer that looks typed rather than chosen (options are capitalised and short): a
    digit, a first name, a long text, or several words starting in lower case."""
    words = text.split()
    return (
        any(c.isdigit() for c in text)
        or len(text) >= 40
        or any(map(is_first_name, words))
        or (len(words) >= 2 and text[:1].islower())
    )


def scan_answers(counts: pd.Series, min_n: int, *, ordinal: bool = False) -> dict[str, str]:
    """Identifying answers among ``counts`` (answer text -> respondents who gave it)."""
    found = {
        a: k for a in counts.index if (k := kind_of(a)) and not (k == "name" and counts[a] >= min_n)
    }
    firsts = [a for a in counts.index if a not in found and is_first_name(a) and counts[a] < min_n]
    if len(firsts) >= 2 or (firsts and len(found) and set(found.values()) == {"name"}):
        found.update(dict.fromkeys(firsts, "name"))
    repeated = counts[counts >= 2]
    if not ordinal and len(repeated) >= 2 and repeated.sum() >= 0.5 * counts.sum():
        found.update(
            {a: "unique" for a in counts.index[counts == 1] if a not in found and _typed(a)}
        )
    return found


def _numbers_kind(values: np.ndarray) -> str | None:
    """BSNs (11-test) or Dutch mobile numbers that lost their 0, stored as numbers."""
    whole = values[np.isfinite(values) & (values == np.round(values)) & (np.abs(values) < 1e12)]
    if len(whole) < 5 or len(whole) < 0.8 * len(values) or np.abs(whole).max() < 1e7:
        return None
    w = np.abs(whole).astype(np.int64)
    digits = (w[:, None] // 10 ** np.arange(8, -1, -1)) % 10
    bsn = (
        (w < 10**9)
        & ((digits @ np.array([9, 8, 7, 6, 5, 4, 3, 2, -1])) % 11 == 0)
        & (digits.min(axis=1) != digits.max(axis=1))
    )
    if bsn.mean() >= 0.6:
        return "bsn"
    return "phone" if ((w >= 6 * 10**8) & (w < 7 * 10**8)).mean() >= 0.8 else None


def _birth_dates(values: pd.Series) -> bool:
    """Dates of birth: day-precise, no time of day, spread over years, nearly all distinct."""
    d = pd.to_datetime(values, errors="coerce").dropna()
    if len(d) < 5 or len(d) < 0.8 * len(values):
        return False
    if (d != d.dt.normalize()).any():
        return False
    return (
        (d.max() - d.min()).days >= 730
        and d.nunique() >= 0.5 * len(d)
        and d.dt.day.nunique() >= 3
        and (d < pd.Timestamp.today()).mean() >= 0.95
    )


def _scan_typed(
    present: pd.Series, dtype: Any, name: str, kind: str | None, evidence: str, labelled: bool
) -> ColumnScan | None:
    """A column of truth values, dates or unlabelled numbers judged (None for text)."""
    if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_timedelta64_dtype(dtype):
        return ColumnScan()
    if pd.api.types.is_datetime64_any_dtype(dtype) or (
        is_object_dtype(dtype)
        and present.head(200).map(lambda v: isinstance(v, dt.date)).mean() >= 0.8
    ):
        if kind == "birth_date":
            return ColumnScan(f"birth_date:{evidence}")
        timely = _TIME_WORDS.search(fold(name))
        return ColumnScan("birth_date:content" if not timely and _birth_dates(present) else None)
    if not pd.api.types.is_numeric_dtype(dtype) or labelled:
        return None
    values = present.to_numpy(dtype=float)
    if kind in ("id_number", "location") or (kind == "phone" and np.abs(values).max() >= 1e7):
        return ColumnScan(f"{kind}:{evidence}")
    if kind == "postcode" and not ((values >= 1000) & (values <= 9999)).all():
        return ColumnScan(f"postcode:{evidence}")
    found = _numbers_kind(values)
    return ColumnScan(f"{'id_number' if found == 'bsn' else found}:content" if found else None)


def scan_column(
    col: pd.Series,
    name: str,
    label: str | None = None,
    value_labels: dict[Any, str] | None = None,
    measure: str = "unknown",
    min_n: int = 10,
    sample: int = 5000,
) -> ColumnScan:
    """Judge one column: identifying as a whole (``reason`` ``"<kind>:<evidence>"``), or which
    of its answers are.

    Examples
    --------
    >>> import pandas as pd
    >>> scan_column(pd.Series(["ja", "nee"] * 6 + ["bel 06-12345678"]), "opm").answers
    {'bel 06-12345678': 'phone'}
    """
    kind, evidence = hint(name, label)
    if len(col) > 4 * sample:  # a spread of rows first: a column of a million rows stays cheap
        col = col.iloc[np.linspace(0, len(col) - 1, 4 * sample).astype(np.int64)]
    present = col.dropna()
    if len(present) > sample:
        present = present.iloc[np.linspace(0, len(present) - 1, sample).astype(np.int64)]
    if present.empty:
        return ColumnScan()
    labelled = bool(value_labels) or isinstance(col.dtype, pd.CategoricalDtype)
    if (found := _scan_typed(present, col.dtype, name, kind, evidence, labelled)) is not None:
        return found
    text = present.astype(str).str.strip()
    text = text[text != ""]
    counts = text.value_counts(sort=False)
    if counts.empty or set(counts.index.str.casefold()) <= _ANONYMOUS:
        return ColumnScan()
    if (
        kind is not None
        and kind != "free_text"
        and (
            not _coded(counts, bool(value_labels))
            or any(_public_kind(kind_of(a) or "") == kind for a in counts.index)
        )
    ):
        if not (kind == "postcode" and counts.index.str.fullmatch(r"[1-9]\d{3}").all()):
            return ColumnScan(f"{kind}:{evidence}")
    if kind == "free_text" and not value_labels:
        return ColumnScan(f"free_text:{evidence}")
    if not labelled and _is_free_text(counts):
        kinds = [kind_of(a) for a in counts.index]
        main = max(set(kinds) - {None}, key=kinds.count, default=None)
        mostly = main is not None and counts[[k == main for k in kinds]].sum() >= 0.5 * counts.sum()
        return ColumnScan(f"{_public_kind(main) if mostly else 'free_text'}:content")
    answers = scan_answers(
        counts,
        min_n,
        ordinal=measure == "ordinal"
        or bool(value_labels and not all(isinstance(k, str) for k in value_labels)),
    )
    if _TIME_WORDS.search(fold(name)):  # dates the survey was filled in, not dates of birth
        answers = {a: k for a, k in answers.items() if k != "birth_date"}
    if answers and counts[list(answers)].sum() >= 0.5 * counts.sum():
        kinds = [k for k in answers.values() if k != "unique"] or ["free_text"]
        return ColumnScan(f"{_public_kind(max(set(kinds), key=kinds.count))}:content")
    return ColumnScan(answers={a: _public_kind(k) for a, k in answers.items()})


def _public_kind(kind: str) -> str:
    """Detector kinds as privacy's reason kinds (a BSN is an id number, a handle a name)."""
    return {
        "bsn": "id_number",
        "iban": "id_number",
        "handle": "name",
        "url": "name",
        "unique": "free_text",
    }.get(kind, kind)
