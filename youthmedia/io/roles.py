"""Column roles, decided once at load from what each column holds (names and labels are hints).

:func:`infer_roles` runs after a reader and before the sidecar and value labels are applied, for
every format. It sets on each :class:`~youthmedia.codebook.Variable`:

- ``role``: ``identifier``, ``text`` (free text), ``choice`` (a few fixed answers), ``scale``
  (ordered answers: frequency, agreement, satisfaction, amount, yes/no scales in Dutch and
  English, or numbered answers), ``multi`` (a text column of several answers, any delimiter; it
  becomes a multiple-response set of 0/1 columns), ``number``, ``date`` or ``design``;
- ``group_role``: ``gender``, ``age`` (a numeric age also gets an age-band column), ``class``
  or ``wave``;
- ``design_role``: ``weight``, ``strata``, ``psu``, ``fpc`` or ``replicate`` (names and labels
  in English and Dutch: "Overall Analysis Weight", "Sampling Strata", "weegfactor", ...);
- ``excluded_answers``: non-answers ("weet niet", "zeg ik liever niet", "prefer not to say")
  and not-applicable answers ("Did not drive", "heb geen telefoon", "none of these"), made
  missing (the number excluded is kept in ``missing_counts``).

Yes/no items that share a question stem ("Welke apps gebruik je? - TikTok") become one
multiple-response set; other yes/no items stay separate questions. A sidecar entry with
``role:`` fixes that variable's role (nothing is guessed for it).

Examples
--------
>>> import pandas as pd
>>> from youthmedia.codebook import Codebook
>>> from youthmedia.io.readstat import RawRead
>>> raw = RawRead(pd.DataFrame({"apps": ["TikTok;WhatsApp", "WhatsApp", "TikTok;Snapchat",
...                                      "WhatsApp;Snapchat"]}), Codebook(), "csv", {}, ["apps"])
>>> infer_roles(raw)
>>> list(raw.codebook.mr_sets["apps"].variables)
['apps_tiktok', 'apps_whatsapp', 'apps_snapchat']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from ..codebook import MRSet, Variable
from .answers import answer_order, is_excluded, is_single_choice, scale_rank
from .forms import slug
from .infer import is_na
from .readstat import RawRead

__all__ = ["DESIGN_ROLES", "GROUP_ROLES", "ROLES", "infer_roles", "label_language", "split_answers"]

ROLES = ("identifier", "text", "choice", "scale", "multi", "number", "date", "design")
GROUP_ROLES = ("gender", "age", "class", "wave")
DESIGN_ROLES = ("weight", "strata", "psu", "fpc", "replicate")

_W = r"(?:^|[^a-z])"  # a word start in a name (``q_weight``, ``weight2``)
_DESIGN = [  # (role, name pattern, label pattern), tried in this order
    (
        "replicate",
        rf"{_W}(rep_?wg?t|repw|brr|jk[12n]?|rwgt|replicate)_?\d*",
        r"\breplicat\w* weight|\breplicategewicht|\bherhalingsgewicht",
    ),
    (
        "weight",
        rf"{_W}(weights?|wg?h?t|w|pweight|finalwt|weegfactor|weging|gewicht)(\d*|_\w+)?$",
        r"\b(analysis|sampling|survey|design|final|overall|case|person|raked|raking|calibration|"
        r"post-?strat\w*|steekproef)\s+weights?\b|\bweights?\s+\((raked|calibrated)|weegfactor|"
        r"weging\b|gewichtsfactor|steekproefgewicht|weight variable|weegvariabele|^weights?$",
    ),
    (
        "strata",
        rf"{_W}(strat\w*|sdmvstra|vstrat|laag)$",
        r"\bstrat(a|um|ification|ificatie)\b|\bsampling strat|steekproeflaag|\bstratum\b",
    ),
    (
        "psu",
        rf"{_W}(psu|sdmvpsu|vpsu|cluster\w*|ssu)$",
        r"primary sampling unit|\bpsu\b|sampling cluster|steekproefeenheid|trekkingseenheid",
    ),
    (
        "fpc",
        rf"{_W}(fpc\w*|popsize|pop_size)$",
        r"finite population|population size|populatiegrootte|sampling fraction|steekproeffractie",
    ),
]
_BODY = re.compile(r"\b(kg|kilo\w*|lbs?|pounds?|weigh|how much)\b")
_HINTS = {
    "gender": r"\b(gender|geslacht|sex|sekse|jongen of meisje|boy or girl)\b",
    "age": r"\b(age|ages|leeftijd\w*|lft\w*|oud|old|age_?\w*)\b",
    "wave": r"\b(wave|golf|meting|ronde|round|year|jaar|jaartal|survey_?year|cohort)\b",
    "class": r"\b(klas|klassen|class|school|schooltype|grade|leerjaar|groep|opleiding)\b",
}
_GENDER_PAIRS = (
    {"jongen", "meisje"},
    {"man", "vrouw"},
    {"boy", "girl"},
    {"male", "female"},
    {"jongens", "meisjes"},
    {"boys", "girls"},
    {"m", "v"},
    {"m", "f"},
)
_ID = re.compile(
    r"\b(id|nr|no|number|nummer|respondent\w*|resp|volgnummer|responseid|"
    r"response_?id|respondent_?id|record\w*|case\w*|#)\b"
)
_NAME = re.compile(
    r"\b(naam|name|voornaam|achternaam|volledige naam|full name|first name|"
    r"last name)\b"
)
_EMAIL = re.compile(r"^[\w.+'-]+@[\w-]+(\.[\w-]+)+$")
_IP = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
#: bookkeeping columns of survey tools (Qualtrics, SurveyMonkey, LimeSurvey): not questions
_ADMIN = re.compile(
    r"^(status|ip ?address|ip|ip-adres|progress|duration.*|finished|recorded ?date|"
    r"response ?id|respondent ?id|collector ?id|recipient.*|external ?(data )?"
    r"reference|location.*|distribution ?channel|user ?language|submit ?date|"
    r"last ?page|start ?language|seed|token|ref ?url|interview ?time|date ?stamp|"
    r"start ?date|end ?date|custom data.*)$"
)
_YES = {"ja", "yes", "1", "waar", "true", "gekozen", "selected", "checked", "aangevinkt", "y", "j"}
_NO = {"nee", "no", "0", "onwaar", "false", "niet gekozen", "not selected", "n"}
_STEM = re.compile(r"^(?P<stem>.{3,}?)\s*(?: - | – | — |: |\[|\(|_)\s*(?P<item>[^\[\]()]+?)\]?\)?$")
_DELIMS = (";", "|", ", ", ",", "\n", " / ")


def _key(*texts: Any) -> str:
    return " ".join(re.sub(r"[_\s]+", " ", str(t or "")).strip().lower() for t in texts)


def _matches(pattern: str, *texts: Any) -> bool:
    return bool(re.search(pattern, _key(*texts)))


def split_answers(cells: list[str], delimiter: str | None = None) -> list[list[str]] | None:
    """Split the cells of a multi-answer question (``"A;B;"``, ``"A, B"``, ``"A|B"``): the
    answers must recur across respondents in different combinations; ``None`` when the column
    is not one (free text, a single-choice question whose answers hold a comma).

    Examples
    --------
    >>> split_answers(["TikTok;Instagram;", "WhatsApp;", "TikTok;WhatsApp;"])
    [['TikTok', 'Instagram'], ['WhatsApp'], ['TikTok', 'WhatsApp']]
    >>> split_answers(["Ik vind het leuk, echt", "Geen idee", "Niet zo, denk ik"]) is None
    True
    """
    from .forms import merge_comma_options

    if not cells:
        return None
    for delim in [delimiter] if delimiter else _DELIMS:
        trailing = delim == ";" and sum(c.rstrip().endswith(";") for c in cells) >= 0.8 * len(cells)
        joined = sum(delim in c.rstrip(";" if delim == ";" else "") for c in cells)
        if not trailing and not delimiter and joined < max(2, 0.1 * len(cells)):
            continue
        lists = [[t.strip() for t in c.split(delim) if t.strip()] for c in cells]
        if delim in (", ", ","):
            lists = merge_comma_options(lists)
        counts = Counter(t for tokens in lists for t in tokens)
        occurrences = sum(counts.values())
        repeated = sum(k for k in counts.values() if k >= 2)
        if trailing or delimiter:
            return lists
        combos = {tuple(t) for t in lists if len(t) > 1}  # answers met in different company
        alone = {t[0] for t in lists if len(t) == 1} & {x for c in combos for x in c}
        if (
            (len(combos) >= 2 or alone)
            and repeated >= 0.75 * occurrences
            and len(counts) <= max(2, 0.5 * occurrences)
            and all(len(t) <= 80 for t in counts)
        ):
            return lists
    return None


def infer_roles(raw: RawRead, spec: Mapping[str, Any] | None = None) -> None:
    """Decide the role of every column of ``raw`` (in place); ``spec``: the checked sidecar
    (a variable entry with ``role:`` is not guessed; what it groups is not grouped again)."""
    spec = spec or {}
    fixed: dict[str, Any] = dict(spec.get("variables") or {})
    grouped = {m for members in (spec.get("groups") or {}).values() for m in members}
    grouped |= {
        str(m) for s in (spec.get("mr_sets") or {}).values() for m in s.get("variables", [])
    }
    grouped |= {n for n, e in fixed.items() if e.get("group")}
    cb, data = raw.codebook, raw.data
    for name, entry in fixed.items():  # what the sidecar says is not guessed
        if name in cb.variables or name in data.columns:
            var = cb.variables.setdefault(name, Variable(name))
            for key, attr in (
                ("group_role", "group_role"),
                ("design_role", "design_role"),
                ("excluded", "excluded_answers"),
            ):
                if key in entry:
                    setattr(var, attr, entry[key])
    columns: dict[str, pd.Series] = {}
    split, lang = False, label_language(cb)
    for name in list(data.columns):
        var = cb.variables.setdefault(name, Variable(name))
        var.missing_ranges = [r for r in var.missing_ranges if not any(is_na(x) for x in r)]
        entry = fixed.get(name, {})
        col = data[name]
        members = _column_role(name, col, var, entry, cb, len(data), lang)
        if members is None:
            columns[name] = col
        else:
            split = True
            columns.update(members)
    if split:
        raw.data = pd.DataFrame(columns, index=data.index)
        raw.options["derived"] = [c for c in raw.data.columns if c not in data.columns]
    _stems(raw, fixed, grouped)
    _design_and_groups(raw, fixed)


def _column_role(
    name: str, col: pd.Series, var: Variable, entry: Mapping[str, Any], cb: Any, n: int, lang: str
) -> dict[str, pd.Series] | None:
    """Set ``var``'s role; a multi-answer column returns its 0/1 member columns."""
    role = entry.get("role")
    if role is None and _ADMIN.match(_key(name)):
        var.role = "identifier"
    if var.identifying and role is None or var.role == "identifier":
        var.role = "identifier"
        if not pd.api.types.is_numeric_dtype(col) and col.astype(str).str.match(_IP).any():
            var.identifying, var.identifying_reason = True, "ip:content"
        return None
    if pd.api.types.is_datetime64_any_dtype(col) or var.type in ("date", "datetime", "time"):
        var.role = role or "date"
        return None
    text = not pd.api.types.is_numeric_dtype(col) and not var.value_labels
    if text:
        return _text_role(name, col, var, role, cb)
    if var.value_labels:
        _labelled_role(var, role)
        return None
    if role in (None, "choice") and _yes_no_numbers(name, var, col, lang):
        return None
    var.role = role or ("identifier" if _is_id(name, var, col, n) else "number")
    return None


_QUANTITY = r"\b(how (many|much|old|often|long)|number of|hoeveel|hoe (oud|vaak|lang)|aantal)\b"
_YES_NO = {"nl": ("Ja", "Nee"), "en": ("Yes", "No")}


def _yes_no_numbers(name: str, var: Variable, col: pd.Series, lang: str) -> bool:
    """An unlabelled item coded 1 = yes, 2 = no (YRBS' QN variables) or 0/1 whose label states
    something (no amount, grouping or design): a yes/no question, labelled so."""
    if not pd.api.types.is_numeric_dtype(col) or not var.label:
        return False
    values = col.to_numpy(dtype="float64", na_value=np.nan)
    values = values[~np.isnan(values)]
    lo, hi = (values.min(), values.max()) if len(values) else (0, 0)
    short = len(var.label.split()) <= 4  # "School", "Wave 2": a grouping, not a statement
    if (
        (lo, hi) not in ((1, 2), (0, 1))
        or not np.all((values == lo) | (values == hi))
        or _matches(_QUANTITY, var.label)
        or _design_role(name, var, col)
        or any(_matches(p, name, var.label) for k, p in _HINTS.items() if short or k == "gender")
    ):
        return False
    yes, no = (1, 2) if hi == 2 else (1, 0)
    other = "en" if lang == "nl" else "nl"
    var.value_labels = dict(sorted({yes: _YES_NO[lang][0], no: _YES_NO[lang][1]}.items()))
    var.translations.setdefault(other, {})["values"] = {
        yes: _YES_NO[other][0],
        no: _YES_NO[other][1],
    }
    var.role, var.measure, var.excluded_answers = "choice", "nominal", []
    return True


def _labelled_role(var: Variable, role: str | None) -> None:
    """A variable with value labels (SPSS, Stata, sidecar): choice or scale; its non-answers
    and not-applicable answers excluded."""
    if var.excluded_answers is None:
        var.excluded_answers = [
            str(lab)
            for c, lab in var.value_labels.items()
            if is_excluded(lab) and not var.is_missing_code(c)
        ]
    var.missing_values = [
        *var.missing_values,
        *(
            c
            for c, lab in var.value_labels.items()
            if str(lab) in var.excluded_answers and not var.is_missing_code(c)
        ),
    ]
    real = [
        str(lab)
        for c, lab in var.value_labels.items()
        if str(lab) not in var.excluded_answers and not var.is_missing_code(c)
    ]
    if role:
        var.role = role
    elif len(real) >= 3 and (var.measure == "ordinal" or _ordered(real)):
        var.role = "scale"
    else:
        var.role = "choice"
    if var.role == "scale" and var.measure in ("unknown", "nominal"):
        var.measure = "ordinal"


_BELOW = {"<", "≤", "less than", "fewer than", "under", "minder dan", "onder", "tot"}
_NUMBERED = re.compile(
    r"^(<|>|≤|≥|less than|fewer than|more than|under|over|minder dan|meer dan|"
    r"onder|boven|tot)?\D{0,12}?(\d+)"
)


def _ordered(labels: list[str]) -> bool:
    """Answers on a known scale in the order given, or numbered ("0 times", "2 or 3 days", "18
    years old or older") in increasing order (one unnumbered end allowed: "All 30 days")."""
    ranks = scale_rank(labels)
    if ranks is not None:
        return ranks == sorted(ranks)
    nums = [_NUMBERED.match(lab.strip().lower()) for lab in labels]
    got = [
        float(m.group(2)) + (-0.5 if m.group(1) in _BELOW else 0.5 if m.group(1) else 0)
        for m in nums
        if m
    ]
    holes = [i for i, m in enumerate(nums) if m is None]
    return (
        len(got) >= len(labels) - 1
        and got == sorted(got)
        and len(set(got)) == len(got)
        and all(i in (0, len(labels) - 1) for i in holes)
    )


def _text_role(
    name: str, col: pd.Series, var: Variable, role: str | None, cb: Any
) -> dict[str, pd.Series] | None:
    present = [(i, str(v).strip()) for i, v in enumerate(col.tolist()) if not is_na(v)]
    cells = [c for _i, c in present]
    if role in (None, "identifier") and cells and _identifying_text(name, var, cells):
        var.role = "identifier"
        return None
    if role in (None, "multi"):
        lists = (
            split_answers(cells, None)
            if role is None
            else (split_answers(cells, None) or split_answers(cells, ";"))
        )
        if lists is not None and (role or _multi_vocabulary(lists)):
            return _expand(name, col, var, [i for i, _c in present], lists, cb)
    if role in (None, "choice", "scale") and cells and (role or is_single_choice(cells)):
        order, measure = answer_order(cells)
        if var.excluded_answers is None:
            var.excluded_answers = [a for a in order if is_excluded(a)]
        kept = [a for a in order if a not in var.excluded_answers]
        var.value_labels = {a: a for a in kept}
        var.missing_values = [*var.missing_values, *var.excluded_answers]
        var.type = "string"
        var.role = role or ("scale" if measure == "ordinal" else "choice")
        var.measure = "ordinal" if var.role == "scale" else "nominal"
        return None
    var.role = role or "text"
    return None


def _multi_vocabulary(lists: list[list[str]]) -> bool:
    """At least two answers, each chosen by more than one respondent on average."""
    counts = Counter(t for tokens in lists for t in tokens)
    return len(counts) >= 2 and sum(counts.values()) >= 1.5 * len(counts)


def _identifying_text(name: str, var: Variable, cells: list[str]) -> bool:
    """E-mail addresses (identifying) or a column of names: an identifier, not a question."""
    sample = cells[:200]
    if sum(bool(_EMAIL.match(c)) for c in sample) >= 0.5 * len(sample):
        var.identifying, var.identifying_reason = True, "email:content"
        return True
    # a column of names: not a question (whether it identifies is the privacy gate's call)
    return (
        _matches(_NAME.pattern, name, var.label)
        and len(set(cells)) >= 0.8 * len(cells)
        and all(len(c) <= 60 for c in sample)
    )


def _is_id(name: str, var: Variable, col: pd.Series, n: int) -> bool:
    """A whole number per respondent, all different, with an ID-like name (or 1..n)."""
    if n < 3 or not pd.api.types.is_numeric_dtype(col) or col.isna().any():
        return False
    values = col.to_numpy(dtype="float64")
    if not np.all(values == np.round(values)) or len(np.unique(values)) != n:
        return False
    return _matches(_ID.pattern, name, var.label) or (values.min() == 1 and values.max() == n)


def _expand(
    name: str, col: pd.Series, var: Variable, rows: list[int], lists: list[list[str]], cb: Any
) -> dict[str, pd.Series]:
    """The 0/1 columns of a multi-answer text column, and its multiple-response set."""
    from .forms import option_order

    out: dict[str, pd.Series] = {}
    members = []
    left_out = var.excluded_answers
    if left_out is None:  # "ik gebruik geen sociale media": not one of the answers
        left_out = [o for o in option_order(lists) if is_excluded(o)]
    for option in option_order(lists):
        if option in left_out:
            continue
        member = _unique(f"{slug(name, 32)}_{slug(option, 24)}", cb, out)
        values = np.full(len(col), np.nan)
        values[rows] = [1.0 if option in tokens else 0.0 for tokens in lists]
        out[member] = pd.Series(values, index=col.index)
        cb.variables[member] = Variable(
            member, label=option, type="numeric", measure="nominal", group=name, role="choice"
        )
        members.append(member)
    cb.mr_sets[name] = MRSet(
        name,
        label=var.label or name,
        kind="dichotomy",
        variables=members,
        counted_value=1,
        excluded=list(left_out),
    )
    var.role, var.excluded_answers = "multi", list(left_out)
    return out


def _unique(name: str, cb: Any, taken: Mapping[str, Any]) -> str:
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
    """Neighbouring yes/no items sharing a question stem -> one multiple-response set;
    SurveyMonkey option columns (the option's text or nothing) -> 0/1 members first."""
    cb, data = raw.codebook, raw.data
    in_sets = {v for s in cb.mr_sets.values() for v in s.variables}
    names = [
        c
        for c in data.columns
        if c not in in_sets
        and "role" not in fixed.get(c, {})
        and not cb.get(c).group
        and c not in grouped
    ]
    runs: list[tuple[str, list[str]]] = []
    for name in names:
        m = _STEM.match(str(cb.get(name).label or name))
        stem = m.group("stem").strip() if m else None
        if stem and runs and runs[-1][0] == stem:
            runs[-1][1].append(name)
        elif stem:
            runs.append((stem, [name]))
    for stem, members in runs:
        if len(members) < 2:
            continue
        _option_columns(raw, members)
        group = slug(stem, 32)
        for m in members:
            cb.get(m).group = cb.get(m).group or group
        items = {m: _STEM.match(str(cb.get(m).label or m)).group("item") for m in members}
        for m in members:  # "none of these": part of the question, not one of its options
            if is_excluded(items[m]):
                cb.get(m).role = "multi"
        members = [m for m in members if not is_excluded(items[m])]
        codes = [_yes_code(cb.get(m), raw.data[m]) for m in members]
        if (
            members
            and all(c is not None for c in codes)
            and len(set(map(str, codes))) == 1
            and group not in cb.mr_sets
        ):
            cb.mr_sets[group] = MRSet(
                group, label=stem, kind="dichotomy", variables=members, counted_value=codes[0]
            )
            for m in members:  # the set holds the question; each member its option
                cb.get(m).label = items[m].strip()


def _option_columns(raw: RawRead, members: list[str]) -> None:
    """Columns that hold one text (the option) or nothing: 1 where given, 0 where another
    option of the set was given, missing where the whole set was left empty."""
    cb, data = raw.codebook, raw.data
    given = {}
    for m in members:
        col = data[m]
        if pd.api.types.is_numeric_dtype(col):
            return
        values = {str(v).strip() for v in col.dropna() if str(v).strip()}
        if len(values) != 1:
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
        if (
            "design_role" not in entry
            and var.design_role is None
            and var.role in ("number", "identifier")
        ):
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
    for role, names in found.items():
        if role in given:
            continue
        labelled = [n for n in names if cb.get(n).role != "number"]  # an age group before an age
        chosen = (labelled or names)[0]
        cb.get(chosen).group_role = role
        if role == "age" and cb.get(chosen).role == "number":
            _age_bands(raw, chosen)


def _design_role(name: str, var: Variable, col: pd.Series) -> str | None:
    low = name.lower()
    for role, name_pat, label_pat in _DESIGN:
        if re.search(name_pat, low) or _matches(label_pat, var.label):
            if role in ("weight", "replicate") and (
                _matches(_BODY.pattern, var.label) or (col.dropna() < 0).any()
            ):
                continue
            return role
    return None


def _answers(var: Variable, col: pd.Series) -> list[str]:
    if var.value_labels:
        return [str(v).strip().lower() for v in var.value_labels.values()]
    if pd.api.types.is_numeric_dtype(col):
        return []
    return [str(v).strip().lower() for v in pd.unique(col.dropna())][:20]


def _group_role(name: str, var: Variable, col: pd.Series) -> str | None:
    answers = set(_answers(var, col))
    real = {a for a in answers if not is_excluded(a)}
    if real and real <= _YES | _NO:  # a yes/no question is no breakdown
        return None
    k = len(real)
    if (
        var.role in ("choice", "scale")
        and 2 <= k <= 6
        and (
            any(p <= answers for p in _GENDER_PAIRS) or _matches(_HINTS["gender"], name, var.label)
        )
    ):
        return "gender"
    numeric = var.role == "number" and pd.api.types.is_numeric_dtype(col)
    values = col.dropna().to_numpy(dtype="float64") if numeric else np.array([])
    if _matches(_HINTS["age"], name, var.label) and (
        (
            numeric
            and len(values)
            and values.min() >= 4
            and values.max() <= 30
            and np.all(values == np.round(values))
        )
        or (var.role in ("choice", "scale") and 2 <= k <= 10)
    ):
        return "age"
    if (
        _matches(_HINTS["wave"], name, var.label)
        and (var.role in ("choice", "scale") or numeric)
        and 2 <= len(pd.unique(col.dropna())) <= 15
    ):
        return "wave"
    if _matches(_HINTS["class"], name, var.label) and var.role in ("choice", "scale") and k <= 40:
        return "class"
    return None


def _age_bands(raw: RawRead, name: str) -> None:
    """An age-band column beside a numeric age: 10–12, 13–15, 16–18, 19+ (the bands that
    occur), or each age of a narrow range (one class: 12, 13, 14)."""
    ages = raw.data[name]
    present = ages.dropna()
    edges = [
        (0, 9, "t/m 9"),
        (10, 12, "10–12"),
        (13, 15, "13–15"),
        (16, 18, "16–18"),
        (19, 200, "19+"),
    ]
    used = [(lo, hi, lab) for lo, hi, lab in edges if ((present >= lo) & (present <= hi)).any()]
    if len(used) < 2 and present.nunique() <= 6:
        used = [(a, a, str(int(a))) for a in sorted(present.unique())]
    band = pd.Series(pd.NA, index=ages.index, dtype="object")
    for lo, hi, lab in used:
        band[(ages >= lo) & (ages <= hi)] = lab
    new = _unique(
        "age_band" if "age_band" not in raw.data.columns else f"{name}_band", raw.codebook, raw.data
    )
    raw.data[new] = band.astype("str").where(band.notna(), None)
    raw.options["derived"] = [*raw.options.get("derived", []), new]
    cb = raw.codebook
    cb.variables[new] = Variable(
        new,
        label="Leeftijdsgroep",
        type="string",
        measure="ordinal",
        role="scale",
        group_role="age",
        value_labels={lab: lab for _lo, _hi, lab in used},
        translations={
            "nl": {"label": "Leeftijdsgroep"},
            "en": {"label": "Age group", "values": {"t/m 9": "up to 9"}},
        },
    )
    cb.variables[name].group_role = None


_DUTCH = re.compile(
    r"\b(je|jij|jouw|ik|de|het|een|en|van|hoe|wat|welke|vaak|niet|nooit|ja|nee|"
    r"heb|ben|gebruik|meisje|jongen|leeftijd|geslacht|keer|dag|week|soms|eens)\b"
)
_ENGLISH = re.compile(
    r"\b(you|your|i|the|a|and|of|how|what|which|often|not|never|yes|no|have|"
    r"are|use|girl|boy|age|sex|times|day|days|week|sometimes|agree|do)\b"
)


def label_language(codebook: Any) -> str:
    """``"nl"`` or ``"en"``: the language most of the file's labels and answers are in
    (Dutch when nothing tells).

    Examples
    --------
    >>> from youthmedia.codebook import Codebook, Variable
    >>> cb = Codebook({"q": Variable("q", label="How often do you use TikTok?",
    ...                              value_labels={1: "Never", 2: "Every day"})})
    >>> label_language(cb)
    'en'
    """
    texts = [t for v in codebook for t in [v.label or v.name, *map(str, v.value_labels.values())]]
    text = " ".join(texts).lower()
    nl, en = len(_DUTCH.findall(text)), len(_ENGLISH.findall(text))
    return "en" if en > nl else "nl"
