"""Column roles, decided once at load from what each column holds (names and labels are hints):
``role``, ``group_role``, ``design_role`` and ``excluded_answers``; a multi-answer text column
becomes a multiple-response set of 0/1 columns, yes/no items sharing a stem one set."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from itertools import groupby
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import Codebook, MRSet, Variable
from .answers import (
    VOCABULARY,
    answer_order,
    excluded_answers,
    is_excluded,
    is_single_choice,
    option_order,
    scale_rank,
)
from .answers import split_answers as split_answers
from .table import RawRead, is_na, slug

ROLES = ("identifier", "text", "choice", "scale", "multi", "number", "date", "design")
GROUP_ROLES = ("gender", "age", "class", "wave")
DESIGN_ROLES = ("weight", "strata", "psu", "fpc", "replicate")

_W = r"(?:^|[^a-z])"  # a word start in a name (``q_weight``, ``weight2``)
#: design roles from a column's name or label, tried in this order
_DESIGN_NAMES = {
    "replicate": rf"{_W}(rep_?wg?t|repw|brr|jk[12n]?|rwgt|replicate)_?\d*",
    "weight": rf"{_W}(weights?|wg?h?t|w|pweight|finalwt|weegfactor|weging|gewicht)(\d*|_\w+)?$",
    "strata": rf"{_W}(strat\w*|sdmvstra|vstrat|laag)$",
    "psu": rf"{_W}(psu|sdmvpsu|vpsu|cluster\w*|ssu)$",
    "fpc": rf"{_W}(fpc\w*|popsize|pop_size)$",
}
_DESIGN_LABELS = {
    "replicate": r"\breplicat\w* weight|\breplicategewicht|\bherhalingsgewicht",
    "weight": r"\b(analysis|sampling|survey|design|final|overall|case|person|raked|raking|calibration|post-?strat\w*|steekproef)\s+weights?\b|\bweights?\s+\((raked|calibrated)|weegfactor|weging\b|gewichtsfactor|steekproefgewicht|weight variable|weegvariabele|^weights?$",
    "strata": r"\bstrat(a|um|ification|ificatie)\b|\bsampling strat|steekproeflaag|\bstratum\b",
    "psu": r"primary sampling unit|\bpsu\b|sampling cluster|steekproefeenheid|trekkingseenheid",
    "fpc": r"finite population|population size|populatiegrootte|sampling fraction|steekproeffractie",
}
_BODY = r"\b(kg|kilo\w*|lbs?|pounds?|weigh|how much)\b"
_HINTS = {
    "gender": r"\b(gender|geslacht|sex|sekse|jongen of meisje|boy or girl)\b",
    "age": r"\b(age|ages|leeftijd\w*|lft\w*|oud|old|age_?\w*)\b",
    "wave": r"\b(wave|golf|meting|ronde|round|year|jaar|jaartal|survey_?year|cohort)\b",
    "class": r"\b(klas|klassen|class|school|schooltype|grade|leerjaar|groep|opleiding)\b",
}
_GENDER_PAIRS = [set(p.split("/")) for p in VOCABULARY["gender_pairs"].split()]
_ID = r"\b(id|nr|no|number|nummer|respondent\w*|resp|volgnummer|responseid|response_?id|respondent_?id|record\w*|case\w*|#)\b"
_NAME = r"\b(naam|name|voornaam|achternaam|volledige naam|full name|first name|last name)\b"
_EMAIL = re.compile(r"^[\w.+'-]+@[\w-]+(\.[\w-]+)+$")
_IP = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
#: bookkeeping columns of survey tools (Qualtrics, SurveyMonkey, LimeSurvey): not questions
_ADMIN = r"^(status|ip ?address|ip|ip-adres|progress|duration.*|finished|recorded ?date|response ?id|respondent ?id|collector ?id|recipient.*|external ?(data )?reference|location.*|distribution ?channel|user ?language|submit ?date|last ?page|start ?language|seed|token|ref ?url|interview ?time|date ?stamp|start ?date|end ?date|custom data.*)$"
_YES = set("ja|yes|1|waar|true|gekozen|selected|checked|aangevinkt|y|j".split("|"))
_NO = set("nee|no|0|onwaar|false|niet gekozen|not selected|n".split("|"))
_STEM = re.compile(r"^(?P<stem>.{3,}?)\s*(?: - | – | — |: |\[|\(|_)\s*(?P<item>[^\[\]()]+?)\]?\)?$")
_QUANTITY = r"\b(how (many|much|old|often|long)|number of|hoeveel|hoe (oud|vaak|lang)|aantal)\b"
_YES_NO = {"nl": ("Ja", "Nee"), "en": ("Yes", "No")}
_BELOW = ("<", "≤", "less than", "fewer than", "under", "minder dan", "onder", "tot")
_SHIFT = {None: 0} | dict.fromkeys(_BELOW, -0.5)  # "< 2": just under 2; "> 2": just over
_NUMBERED = re.compile(
    r"^(<|>|≤|≥|less than|fewer than|more than|under|over|minder dan|meer dan|onder|boven|tot)?\D{0,12}?(\d+)"
)


def _matches(pattern: str, *texts: Any) -> bool:
    key = " ".join(re.sub(r"[_\s]+", " ", str(t or "")).strip().lower() for t in texts)
    return bool(re.search(pattern, key))


def infer_roles(raw: RawRead, spec: Mapping[str, Any] | None = None) -> None:
    """The role of every column of ``raw`` (in place); what ``spec`` says is not guessed."""
    spec = spec or {}
    fixed: dict[str, Any] = dict(spec.get("variables", {}))
    grouped = {m for members in spec.get("groups", {}).values() for m in members}
    grouped |= {str(m) for s in spec.get("mr_sets", {}).values() for m in s.get("variables", [])}
    grouped |= {n for n, e in fixed.items() if e.get("group")}
    cb, data = raw.codebook, raw.data
    for name, entry in fixed.items():  # what the sidecar says is not guessed
        if name in cb.variables or name in data.columns:
            var = cb.variables.setdefault(name, Variable(name))
            for key in {"group_role", "design_role", "excluded"} & set(entry):
                setattr(var, "excluded_answers" if key == "excluded" else key, entry[key])
    columns: dict[str, pd.Series] = {}
    lang = label_language(cb)
    for name in list(data.columns):
        var = cb.variables.setdefault(name, Variable(name))
        var.missing_ranges = [r for r in var.missing_ranges if not any(is_na(x) for x in r)]
        members = _column_role(name, data[name], var, fixed.get(name, {}).get("role"), cb, lang)
        columns.update({name: data[name]} if members is None else members)
    if len(columns) != len(data.columns) or list(columns) != list(data.columns):
        raw.data = pd.DataFrame(columns, index=data.index)
        raw.options["derived"] = [c for c in raw.data.columns if c not in data.columns]
    _stems(raw, fixed, grouped)
    _design_and_groups(raw, fixed)


def _column_role(
    name: str, col: pd.Series, var: Variable, role: str | None, cb: Codebook, lang: str
) -> dict[str, pd.Series] | None:
    """Set ``var``'s role; a multi-answer column returns its 0/1 member columns."""
    if role is None and (var.identifying or _matches(_ADMIN, name)) or var.role == "identifier":
        var.role = "identifier"
        if not pd.api.types.is_numeric_dtype(col) and col.astype(str).str.match(_IP).any():
            var.identifying, var.identifying_reason = True, "ip:content"
    elif pd.api.types.is_datetime64_any_dtype(col) or var.type in ("date", "datetime", "time"):
        var.role = role or "date"
    elif not pd.api.types.is_numeric_dtype(col) and not var.value_labels:
        return _text_role(name, col, var, role, cb)
    elif var.value_labels:
        _labelled_role(var, role)
    elif not (role in (None, "choice") and _yes_no_numbers(name, var, col, lang)):
        var.role = role or ("identifier" if _is_id(name, var, col) else "number")
    return None


def _yes_no_numbers(name: str, var: Variable, col: pd.Series, lang: str) -> bool:
    """An unlabelled 1 = yes, 2 = no (YRBS' QN) or 0/1 item stating something: labelled yes/no."""
    if not pd.api.types.is_numeric_dtype(col) or not var.label or var.group:
        return False  # a member of the file's own set keeps its codes
    values = col.to_numpy(dtype="float64", na_value=np.nan)
    values = values[~np.isnan(values)]  # faster than col.dropna() over hundreds of columns
    lo, hi = (values.min(), values.max()) if len(values) else (0, 0)
    short = len(var.label.split()) <= 4  # "School", "Wave 2": a grouping, not a statement
    coded = (lo, hi) in ((1, 2), (0, 1)) and np.all((values == lo) | (values == hi))
    hinted = any(_matches(p, name, var.label) for k, p in _HINTS.items() if short or k == "gender")
    if not coded or hinted or _matches(_QUANTITY, var.label) or _design_role(name, var, col):
        return False
    codes, other = ((1, 2) if hi == 2 else (1, 0)), "en" if lang == "nl" else "nl"
    var.value_labels = dict(sorted(zip(codes, _YES_NO[lang], strict=True)))
    var.translations.setdefault(other, {})["values"] = dict(zip(codes, _YES_NO[other], strict=True))
    var.role, var.measure, var.excluded_answers = "choice", "nominal", []
    return True


def _labelled_role(var: Variable, role: str | None) -> None:
    """A variable with value labels: choice or scale; its non-answers excluded."""
    own = {c: str(lab) for c, lab in var.value_labels.items() if not var.is_missing_code(c)}
    if var.excluded_answers is None:
        var.excluded_answers = excluded_answers(list(own.values()))
    out = [c for c, lab in own.items() if lab in var.excluded_answers]
    var.missing_values = [*var.missing_values, *out]
    real = [lab for c, lab in own.items() if c not in out]
    ordered = len(real) >= 3 and (var.measure == "ordinal" or _ordered(real))
    var.role = role or ("scale" if ordered else "choice")
    if var.role == "scale" and var.measure in ("unknown", "nominal"):
        var.measure = "ordinal"


def _ordered(labels: list[str]) -> bool:
    """Answers on a known scale in order, or numbered increasing ("0 times" … "All 30 days")."""
    ranks = scale_rank(labels)
    if ranks is not None:
        return ranks == sorted(ranks)
    nums = [_NUMBERED.match(lab.strip().lower()) for lab in labels]
    got = [float(m.group(2)) + _SHIFT.get(m.group(1), 0.5) for m in nums if m]
    holes = [i for i, m in enumerate(nums) if m is None]
    increasing = all(a < b for a, b in zip(got, got[1:], strict=False))
    at_ends = all(i in (0, len(labels) - 1) for i in holes)  # unnumbered: first or last only
    return len(got) >= len(labels) - 1 and increasing and at_ends


def _text_role(
    name: str, col: pd.Series, var: Variable, role: str | None, cb: Codebook
) -> dict[str, pd.Series] | None:
    present = [(i, str(v).strip()) for i, v in enumerate(col.tolist()) if not is_na(v)]
    cells = [c for _i, c in present]
    if role in (None, "identifier") and cells and _identifying_text(name, var, cells):
        var.role = "identifier"
        return None
    if role in (None, "multi"):
        lists = split_answers(cells) or (split_answers(cells, ";") if role else None)
        counts = Counter(t for tokens in lists or [] for t in tokens)  # a vocabulary: each
        vocabulary = len(counts) >= 2 and sum(counts.values()) >= 1.5 * len(counts)  # answer 1.5×
        if lists is not None and (role or vocabulary):
            return _expand(name, col, var, [i for i, _c in present], lists, cb)
    if role in (None, "choice", "scale") and cells and (role or is_single_choice(cells)):
        order, measure = answer_order(cells)
        if var.excluded_answers is None:
            var.excluded_answers = excluded_answers(order)
        var.value_labels = {a: a for a in order if a not in var.excluded_answers}
        var.missing_values = [*var.missing_values, *var.excluded_answers]
        var.type = "string"
        var.role = role or ("scale" if measure == "ordinal" else "choice")
        var.measure = "ordinal" if var.role == "scale" else "nominal"
        return None
    var.role = role or "text"
    return None


def _identifying_text(name: str, var: Variable, cells: list[str]) -> bool:
    """E-mail addresses (identifying) or a column of names: an identifier, not a question."""
    sample = cells[:200]
    if sum(bool(_EMAIL.match(c)) for c in sample) >= 0.5 * len(sample):
        var.identifying, var.identifying_reason = True, "email:content"
        return True
    distinct = len(set(cells)) >= 0.8 * len(cells)
    return _matches(_NAME, name, var.label) and distinct and all(len(c) <= 60 for c in sample)


def _is_id(name: str, var: Variable, col: pd.Series) -> bool:
    """A whole number per respondent, all different, with an ID-like name (or 1..n)."""
    n = len(col)
    if n < 3 or col.isna().any():
        return False
    values = col.to_numpy(dtype="float64")
    if not np.all(values == np.round(values)) or len(np.unique(values)) != n:
        return False
    return _matches(_ID, name, var.label) or (values.min() == 1 and values.max() == n)


def _expand(
    name: str, col: pd.Series, var: Variable, rows: list[int], lists: list[list[str]], cb: Codebook
) -> dict[str, pd.Series]:
    """The 0/1 columns of a multi-answer text column, and its multiple-response set."""
    out: dict[str, pd.Series] = {}
    options = option_order(lists)
    left_out = var.excluded_answers  # "ik gebruik geen sociale media": not one of the answers
    left_out = [o for o in options if is_excluded(o)] if left_out is None else list(left_out)
    for option in (o for o in options if o not in left_out):
        m = _unique(f"{slug(name, 32)}_{slug(option, 24)}", cb, out)
        values = np.full(len(col), np.nan)
        values[rows] = [1.0 if option in tokens else 0.0 for tokens in lists]
        out[m] = pd.Series(values, index=col.index)
        cb.variables[m] = Variable(m, option, measure="nominal", group=name, role="choice")
    cb.mr_sets[name] = MRSet(name, var.label or name, "dichotomy", list(out), 1, excluded=left_out)
    var.role, var.excluded_answers = "multi", list(left_out)
    return out


def _unique(name: str, cb: Codebook, taken: Any) -> str:
    base, k = name, 2
    while name in cb.variables or name in taken:
        name, k = f"{base}_{k}", k + 1
    return name


def _yes_code(var: Variable, col: pd.Series) -> Any:
    """The code that means "yes"/"chosen" of a yes/no item, or ``None``."""
    if var.value_labels:
        labels = {str(lab).strip().lower(): c for c, lab in var.value_labels.items()}
        real = [k for k in labels if not is_excluded(k)]
        if len(real) == 2 and any(k in _YES for k in real) and any(k in _NO for k in real):
            return next(labels[k] for k in real if k in _YES)
        return None
    values = set(pd.unique(col.dropna()))
    return 1 if values and values <= {0, 1} and pd.api.types.is_numeric_dtype(col) else None


def _stems(raw: RawRead, fixed: Mapping[str, Mapping[str, Any]], grouped: set[str]) -> None:
    """Neighbouring yes/no items sharing a question stem -> one multiple-response set."""
    cb, data = raw.codebook, raw.data
    skip = {v for s in cb.mr_sets.values() for v in s.variables} | grouped
    skip |= {n for n, entry in fixed.items() if "role" in entry}
    free = [n for n in data.columns if n not in skip and not cb.get(n).group]
    matches = {n: _STEM.match(str(cb.get(n).label or n)) for n in free}
    found = [(m.group("stem").strip(), n) for n, m in matches.items() if m]
    runs = [(s, [n for _s, n in run]) for s, run in groupby(found, key=lambda sn: sn[0])]
    for stem, members in (r for r in runs if len(r[1]) >= 2):
        _option_columns(raw, members)
        group = slug(stem, 32)
        items = {m: matches[m].group("item") for m in members}
        for m in members:
            cb.get(m).group = cb.get(m).group or group
            if is_excluded(items[m]):  # "none of these": part of the question, not an option
                cb.get(m).role = "multi"
        members = [m for m in members if not is_excluded(items[m])]
        codes = {str(_yes_code(cb.get(m), raw.data[m])): m for m in members}
        if members and len(codes) == 1 and "None" not in codes and group not in cb.mr_sets:
            code = _yes_code(cb.get(members[0]), raw.data[members[0]])
            cb.mr_sets[group] = MRSet(group, stem, "dichotomy", members, code)
            for m in members:  # the set holds the question; each member its option
                cb.get(m).label = items[m].strip()


def _option_columns(raw: RawRead, members: list[str]) -> None:
    """SurveyMonkey option columns (the option's text or nothing) -> 0/1, missing if none given."""
    cb, data, given = raw.codebook, raw.data, {}
    for m in members:
        col = data[m]
        if pd.api.types.is_numeric_dtype(col):
            return
        if len(set(col.dropna().astype(str).str.strip().unique()) - {""}) != 1:
            return
        given[m] = col.notna() & col.astype(str).str.strip().ne("")
    answered = pd.concat(list(given.values()), axis=1).any(axis=1)
    for m, mask in given.items():
        var = cb.get(m)
        raw.data[m] = np.where(answered, mask.astype(float), np.nan)
        var.type, var.role, var.value_labels, var.missing_values = "numeric", "choice", {}, []
        var.excluded_answers = []


def _design_and_groups(raw: RawRead, fixed: Mapping[str, Mapping[str, Any]]) -> None:
    cb, data = raw.codebook, raw.data
    found: dict[str, list[str]] = {}
    for name in list(data.columns):
        var, entry = cb.get(name), fixed.get(name, {})
        if not (var.design_role or "design_role" in entry) and var.role in ("number", "identifier"):
            var.design_role = _design_role(name, var, data[name])
        if var.design_role:
            var.role = "design"
            if var.design_role == "weight" and not cb.weight:
                cb.weight = name
        elif "group_role" not in entry and var.group_role is None:
            role = _group_role(name, var, data[name])
            if role:
                found.setdefault(role, []).append(name)
    given = {v.group_role for v in cb if v.group_role}
    for role, names in ((r, ns) for r, ns in found.items() if r not in given):
        labelled = [n for n in names if cb.get(n).role != "number"]  # an age group before an age
        chosen = (labelled or names)[0]
        cb.get(chosen).group_role = role
        if role == "age" and cb.get(chosen).role == "number":
            _age_bands(raw, chosen)


def _design_role(name: str, var: Variable, col: pd.Series) -> str | None:
    for role, name_pat in _DESIGN_NAMES.items():
        if re.search(name_pat, name.lower()) or _matches(_DESIGN_LABELS[role], var.label):
            if role in ("weight", "replicate") and (
                _matches(_BODY, var.label) or (col.dropna() < 0).any()
            ):
                continue
            return role
    return None


def _group_role(name: str, var: Variable, col: pd.Series) -> str | None:
    numeric_col = pd.api.types.is_numeric_dtype(col)
    texts = var.value_labels.values() or ([] if numeric_col else pd.unique(col.dropna())[:20])
    answers = {str(v).strip().lower() for v in texts}
    real = {a for a in answers if not is_excluded(a)}
    if real and real <= _YES | _NO:  # a yes/no question is no breakdown
        return None
    k, answered = len(real), var.role in ("choice", "scale")
    hinted = {role: _matches(p, name, var.label) for role, p in _HINTS.items()}
    if answered and 2 <= k <= 6 and (any(p <= answers for p in _GENDER_PAIRS) or hinted["gender"]):
        return "gender"
    numeric = var.role == "number" and numeric_col
    values = col.dropna().to_numpy(dtype="float64") if numeric else np.array([])
    whole_ages = len(values) and np.all(
        (values >= 4) & (values <= 30) & (values == np.round(values))
    )
    if hinted["age"] and ((numeric and whole_ages) or (answered and 2 <= k <= 10)):
        return "age"
    if hinted["wave"] and (answered or numeric) and 2 <= len(pd.unique(col.dropna())) <= 15:
        return "wave"
    # a frequency or agreement scale ("Hoe vaak word je gepest op school?") is no class list
    if hinted["class"] and answered and k <= 40 and scale_rank(sorted(real)) is None:
        return "class"
    return None


def _age_bands(raw: RawRead, name: str) -> None:
    """An age-band column beside a numeric age (or each age of one class: 12, 13, 14)."""
    ages, labels = raw.data[name], ["t/m 9", "10–12", "13–15", "16–18", "19+"]
    band = pd.cut(ages, [-np.inf, 9, 12, 15, 18, np.inf], labels=labels).astype(object)
    used = [lab for lab in labels if (band == lab).any()]
    if len(used) < 2 and ages.nunique() <= 6:
        band = ages.map(lambda a: None if pd.isna(a) else str(int(a)))
        used = [str(int(a)) for a in sorted(ages.dropna().unique())]
    base = "age_band" if "age_band" not in raw.data.columns else f"{name}_band"
    new = _unique(base, raw.codebook, raw.data)
    raw.data[new] = band.astype("str").where(band.notna(), None)
    raw.options["derived"] = [*raw.options.get("derived", []), new]
    var = Variable(new, "Leeftijdsgroep", "string", "ordinal", {lab: lab for lab in used})
    var.role, var.group_role = "scale", "age"
    var.translations = {"nl": {"label": "Leeftijdsgroep"}, "en": {"label": "Age group"}}
    var.translations["en"]["values"] = {"t/m 9": "up to 9"}
    raw.codebook.variables[new] = var
    raw.codebook.variables[name].group_role = None


_WORDS = {k: re.compile(rf"\b({'|'.join(w.split())})\b") for k, w in VOCABULARY["words"].items()}


def label_language(codebook: Codebook) -> str:
    """``"nl"`` or ``"en"``: the language of most labels and answers (Dutch when nothing tells)."""
    texts = [t for v in codebook for t in [v.label or v.name, *map(str, v.value_labels.values())]]
    text = " ".join(texts).lower()
    return "en" if len(_WORDS["en"].findall(text)) > len(_WORDS["nl"].findall(text)) else "nl"
