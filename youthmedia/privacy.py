"""What may leave the machine: identifying content, judged at load and checked at every output.

(Small-cell suppression is :mod:`youthmedia.suppression`; its names are available here too.)
At load (:func:`protect`) every column is judged on what it holds (:mod:`youthmedia.identifiers`:
e-mail addresses, phone numbers, BSNs, IBANs, postcodes with house numbers, addresses, dates of
birth, names, handles, web and IP addresses, pupil numbers, free text, answers given by one
respondent where the others repeat), its name and label as hints. A column that identifies as a
whole is marked in the codebook and left out of every output; identifying answers and options
of other columns are counted as "anders"; one warning line names them. A codebook sidecar can
mark a column (``identifying: true``) or overrule a false alarm (``identifying: false``).

Each survey keeps the identifiers found at its load (keyed by its file's SHA-256). Every file
youthmedia writes passes :func:`gate_file` (through :mod:`youthmedia.files`): the texts people
see are checked against the identifiers of the surveys the output was made from and against
e-mail addresses, phone numbers, BSNs and IBANs anywhere; a hit stops the write. Figure texts
are checked before a PNG or PDF is drawn (:func:`gate_figure`).

Examples
--------
>>> import pandas as pd
>>> find_identifying(pd.DataFrame({"age": [13, 14], "e-mail": ["a@b.nl", "c@d.nl"]}))
{'e-mail': 'email:name'}
"""

from __future__ import annotations

import copy
import html
import io
import json
import re
import unicodedata
import warnings
import weakref
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import files, suppression
from . import identifiers as ident
from .codebook import Codebook, Variable
from .errors import ConfigError, DisclosureError, YouthmediaWarning
from .suppression import *  # noqa: F403  (re-exported: privacy is the one door)
from .suppression import get_thresholds
from .survey import Survey

__all__ = [
    "NOT_IDENTIFYING",
    "drop_identifying",
    "find_identifying",
    "forget_identifiers",
    "gate",
    "gate_figure",
    "gate_file",
    "identifying_columns",
    "identifying_text",
    "protect",
    "refuse_identifying",
    "respondent_data",
    *suppression.__all__,
]

#: ``Variable.identifying_reason`` that overrules detection: the codebook says "not identifying".
NOT_IDENTIFYING = "not identifying (codebook)"

_KINDS = {
    "name": ("naam", "name"),
    "email": ("e-mailadres", "e-mail address"),
    "phone": ("telefoonnummer", "phone number"),
    "ip": ("IP-adres", "IP address"),
    "postcode": ("postcode met huisnummer", "postcode with house number"),
    "address": ("adres", "street address"),
    "id_number": (
        "leerling-, student-, cliënt-, bank- of burgerservicenummer",
        "pupil, student, client, bank or citizen service number",
    ),
    "birth_date": ("exacte (geboorte)datum", "exact (birth) date"),
    "location": ("GPS-locatie", "GPS location"),
    "free_text": ("open antwoorden (vrije tekst)", "free-text answers"),
    "codebook": ("gemarkeerd in het codeboek", "marked in the codebook"),
}
_EVIDENCE = {
    "name": ("kolomnaam", "column name"),
    "label": ("vraagtekst", "question label"),
    "content": ("inhoud", "content"),
    "codebook": ("codeboek", "codebook"),
}
_OTHER = {"nl": "anders", "en": "other"}


def identifying_text(reason: str, lang: str = "nl") -> str:
    """Words for a reason from :func:`find_identifying`.

    Examples
    --------
    >>> from youthmedia.privacy import identifying_text
    >>> identifying_text("email:content", "nl")
    'e-mailadres (inhoud)'
    >>> identifying_text("phone:name", "en")
    'phone number (column name)'
    """
    li = 0 if str(lang).lower().startswith("nl") else 1
    kind, _, evidence = str(reason).partition(":")
    if kind not in _KINDS:
        return str(reason)
    words = _KINDS[kind][li]
    if evidence in _EVIDENCE and kind != "codebook":
        words += f" ({_EVIDENCE[evidence][li]})"
    return words


def _scan(data: pd.DataFrame, name: str, var: Variable | None, sample: int) -> ident.ColumnScan:
    return ident.scan_column(
        data[name],
        name,
        var.label if var else None,
        var.value_labels if var else None,
        var.measure if var else "unknown",
        get_thresholds().min_n,
        sample,
    )


def find_identifying(
    data: pd.DataFrame,
    codebook: Codebook | None = None,
    *,
    sample: int = 5000,
    exclude: Iterable[str] = (),
) -> dict[str, str]:
    """Columns that identify a respondent as a whole: column -> ``"<kind>:<evidence>"``.

    Judged on what each column holds (:func:`youthmedia.identifiers.scan_column`), its name and
    label as hints (evidence: name, label, content); a codebook's ``identifying`` marks are kept,
    ``identifying_reason == NOT_IDENTIFYING`` and ``exclude`` overrule. ``sample``: how many
    values of each column to look at. A column with a few identifying answers among ordinary
    ones is not listed: :func:`protect` counts those answers as "anders".

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.privacy import find_identifying
    >>> df = pd.DataFrame({"resp_id": [1, 2, 3], "contact": ["06-12345678", "0612345679", "+31 6 12345670"]})
    >>> find_identifying(df)
    {'contact': 'phone:content'}
    """
    if not isinstance(data, pd.DataFrame):
        raise ConfigError(f"find_identifying() takes a DataFrame, not {type(data).__name__}.")
    if isinstance(sample, bool) or not isinstance(sample, int) or sample < 1:
        raise ConfigError(f"sample must be a whole number of 1 or more, not {sample!r}.")
    skip = {str(c) for c in exclude}
    found: dict[str, str] = {}
    for col in data.columns:
        name = str(col)
        var = codebook.variables.get(name) if codebook is not None else None
        if name in skip or (var is not None and var.identifying_reason == NOT_IDENTIFYING):
            continue
        if var is not None and var.identifying:
            found[name] = var.identifying_reason or "codebook:codebook"
        elif (reason := _scan(data, name, var, sample).reason) is not None:
            found[name] = reason
    return found


def identifying_columns(obj: Survey | pd.DataFrame) -> dict[str, str]:
    """Identifying columns of a Survey (codebook marks and detection) or a DataFrame.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.privacy import identifying_columns
    >>> identifying_columns(pd.DataFrame({"naam": ["Sanne de Vries", "Daan Jansen"], "age": [13, 14]}))
    {'naam': 'name:name'}
    """
    if isinstance(obj, Survey):
        return find_identifying(obj.data, obj.codebook)
    if isinstance(obj, pd.DataFrame):
        return find_identifying(obj)
    raise ConfigError(f"Expected a Survey or a DataFrame, not {type(obj).__name__}.")


def drop_identifying(obj: Survey | pd.DataFrame) -> Survey | pd.DataFrame:
    """``obj`` without its identifying columns (a Survey's codebook, sets and groups pruned too).

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.privacy import drop_identifying
    >>> list(drop_identifying(pd.DataFrame({"age": [13], "e-mailadres": ["x@y.nl"]})).columns)
    ['age']
    """
    bad = set(identifying_columns(obj))
    if isinstance(obj, Survey):
        return _without(obj, bad)
    return obj.drop(columns=[c for c in obj.columns if str(c) in bad])


def _without(survey: Survey, bad: set[str], codebook: Codebook | None = None) -> Survey:
    """``survey`` without the columns ``bad`` (codebook, sets and groups pruned)."""
    cb = codebook or survey.codebook
    data = survey.data.drop(columns=[c for c in survey.data.columns if str(c) in bad])
    mr_sets = {
        k: replace(m, variables=[v for v in m.variables if v not in bad])
        for k, m in cb.mr_sets.items()
        if any(v not in bad for v in m.variables)
    }
    groups = {k: [v for v in vs if v not in bad] for k, vs in cb.groups.items()}
    return survey.replace(
        data=data,
        codebook=replace(
            cb,
            variables={k: v for k, v in cb.variables.items() if k not in bad},
            mr_sets=mr_sets,
            groups={k: vs for k, vs in groups.items() if vs},
        ),
    )


def respondent_data(survey: Survey | pd.DataFrame, opt_in: bool = False) -> pd.DataFrame:
    """Respondent-level rows for writing to a file: only with ``opt_in=True`` (else a
    ``DisclosureError``), never the identifying columns.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.privacy import respondent_data
    >>> respondent_data(pd.DataFrame({"age": [13, 14]}), opt_in=True).columns.tolist()
    ['age']
    """
    if isinstance(survey, Survey):
        where, frame = (f" from {survey.source.path}" if survey.source.path else ""), survey.data
    elif isinstance(survey, pd.DataFrame):
        where, frame = "", survey
    else:
        raise ConfigError(
            f"respondent_data() takes a Survey or a DataFrame, not {type(survey).__name__}."
        )
    if opt_in is not True:
        raise DisclosureError(
            f"Writing respondent-level data{where} needs an explicit opt-in: pass opt_in=True "
            "(identifying columns are dropped even then); tables and figures need no opt-in."
        )
    bad = identifying_columns(survey)
    out = frame.drop(columns=[c for c in frame.columns if str(c) in bad]).copy()
    out.attrs = {**frame.attrs, "dropped_identifying": dict(bad)}
    if bad:
        shown = ", ".join(f"{c} ({identifying_text(r, 'en')})" for c, r in bad.items())
        warnings.warn(
            f"Respondent-level data{where}: dropped {len(bad)} identifying column(s): {shown}.",
            YouthmediaWarning,
            stacklevel=2,
        )
    return out


def refuse_identifying(
    survey: Survey | pd.DataFrame, names: Iterable[str], what: str = "an estimate"
) -> None:
    """Raise ``DisclosureError`` if any of ``names`` is an identifying column.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.privacy import refuse_identifying
    >>> refuse_identifying(pd.DataFrame({"age": [13, 14]}), ["age"])   # fine: returns None
    """
    frame, codebook = (
        (survey.data, survey.codebook) if isinstance(survey, Survey) else (survey, None)
    )
    wanted = [n for n in dict.fromkeys(map(str, names)) if n in frame.columns]
    judged = _index(survey).judged if isinstance(survey, Survey) and _index(survey) else set()
    bad = {
        n: codebook[n].identifying_reason or "codebook:codebook"
        for n in wanted
        if n in judged and codebook[n].identifying
    }  # judged at load (protect)
    rest = [n for n in wanted if n not in judged]
    bad |= find_identifying(frame[rest], codebook) if rest else {}
    if bad:
        first, reason = next(iter(bad.items()))
        raise DisclosureError(
            f"Column {first!r} identifies respondents ({identifying_text(reason, 'en')}); it "
            f"cannot be used in {what}. Leave it out, or if this is a mistake mark it "
            f"'identifying: false' in the codebook sidecar."
        )


# -- at load: mark, count as "anders", index -----------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass
class _Index:
    """The identifiers found in one survey at load: folded text -> column; the columns judged."""

    texts: dict[str, str] = field(default_factory=dict)
    judged: set[str] = field(default_factory=set)
    longest: int = 1


#: survey key (its file's SHA-256, or ``memory:<id>`` of its Source) -> its identifiers
_INDEXES: dict[str, _Index] = {}


def _key(survey: Survey) -> str:
    return survey.source.sha256 or f"memory:{id(survey.source)}"


def _index(survey: Survey, create: bool = False) -> _Index | None:
    key = _key(survey)
    if create and key not in _INDEXES:
        _INDEXES[key] = _Index()
        if not survey.source.sha256:  # made in memory: forgotten with its Source
            weakref.finalize(survey.source, _INDEXES.pop, key, None)
    return _INDEXES.get(key)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", str(text).casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _norm(text: str) -> str:
    return " ".join(re.findall(r"[\w@]+", _fold(text)))


def _remember(index: _Index, texts: Iterable[Any], column: str, labels: set[str]) -> None:
    """Add identifying texts to the index (not texts the survey shows as labels elsewhere)."""
    for t in texts:
        key = _norm(t) if isinstance(t, str) else ""
        if len(key) >= 3 and key not in labels and len(index.texts) < 500_000:
            index.texts[key] = column
            index.longest = max(index.longest, min(key.count(" ") + 1, 12))


def _worth_indexing(text: Any) -> bool:
    return isinstance(text, str) and (ident.kind_of(text) is not None or ident.is_first_name(text))


def _clean_labels(cb: Codebook, data: pd.DataFrame) -> int:
    """Strip control characters from labels and categories (in place); how many texts changed."""
    changed = 0

    def clean(text: Any) -> Any:
        nonlocal changed
        if isinstance(text, str) and _CONTROL.search(text):
            changed += 1
            return _CONTROL.sub("", text)
        return text

    for var in cb.variables.values():
        var.label = clean(var.label)
        var.value_labels = {k: clean(v) for k, v in var.value_labels.items()}
    for name in data.columns:
        col = data[name]
        if isinstance(col.dtype, pd.CategoricalDtype) and (
            pd.api.types.is_string_dtype(col.dtype.categories)
            or col.dtype.categories.dtype == object
        ):
            cats = [clean(c) for c in col.cat.categories]
            if cats != list(col.cat.categories) and len(set(cats)) == len(cats):
                data[name] = col.cat.rename_categories(cats)
    return changed


def protect(survey: Survey, warn: bool = True) -> Survey:
    """What :func:`youthmedia.load` does last: identifying content marked, counted or indexed.

    A column that identifies as a whole is marked ``identifying`` in the codebook (every output
    leaves it out; estimates refuse it); answers, value labels or multiple-response options
    that identify someone (an e-mail address typed as an answer, classmates' names as options,
    a typed "anders" text given by one respondent) are counted as "anders"; the identifying
    texts go into this survey's index, which :func:`gate` checks its outputs against; control
    characters are stripped from labels. One warning line names the columns and the reasons.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> s = protect(Survey(pd.DataFrame({"opm": ["ja", "nee"] * 6 + ["mail sanne@x.nl"]})),
    ...             warn=False)
    >>> sorted(s.data["opm"].unique())
    ['anders', 'ja', 'nee']
    """
    data = survey.data.copy(deep=False)
    cb = copy.deepcopy(survey.codebook)
    notes = (
        [f"control characters removed from {k} label(s)"] if (k := _clean_labels(cb, data)) else []
    )
    labels = {
        _norm(t)
        for v in cb.variables.values()
        if not v.identifying
        for t in (v.label, *v.value_labels.values())
        if isinstance(t, str)
    }
    members = {m for s in cb.mr_sets.values() for m in s.variables}
    index = _index(survey, create=True)
    for name in [str(c) for c in data.columns if str(c) not in members]:
        index.judged.add(name)
        notes += _protect_column(data, cb.variables.setdefault(name, Variable(name)), index, labels)
    for set_name, mr in list(cb.mr_sets.items()):
        notes += _protect_set(data, cb, set_name, mr, get_thresholds().min_n, labels, index)
    if notes and warn:
        warnings.warn(
            f"{survey.source.path or 'survey'}: privacy: {'; '.join(notes)}; they "
            "never appear in an output.",
            YouthmediaWarning,
            stacklevel=3,
        )
    return survey.replace(data=data, codebook=cb)


def _protect_column(
    data: pd.DataFrame, var: Variable, index: _Index, labels: set[str]
) -> list[str]:
    """One column: marked identifying (its identifying values indexed), or its identifying
    answers counted as "anders"; the note for the warning line."""
    name = var.name
    if var.identifying_reason == NOT_IDENTIFYING:
        return []
    scan = (
        ident.ColumnScan(var.identifying_reason or "codebook:codebook")
        if var.identifying
        else _scan(data, name, var, 5000)
    )
    if scan.reason:
        var.identifying, var.identifying_reason = True, scan.reason
        col = data[name]
        values = (
            col.dropna().unique()[:100_000]
            if pd.api.types.is_string_dtype(col.dtype)
            or col.dtype == object
            or isinstance(col.dtype, pd.CategoricalDtype)
            else []
        )
        # a name column: every value; any other: the values identifying by content (an
        # ordinary answer of a column the user excluded must stay printable elsewhere)
        named = scan.reason.startswith("name")
        _remember(
            index,
            (v for v in (*values, *var.value_labels.values()) if named or _worth_indexing(v)),
            name,
            labels,
        )
        return [f"{name!r} left out ({identifying_text(scan.reason, 'en')})"]
    if not scan.answers:
        return []
    data[name] = _as_other(data[name], var, set(scan.answers))
    _remember(index, scan.answers, name, labels)
    kinds = ", ".join(sorted({_KINDS[k][1] for k in scan.answers.values()}))
    return [f"{len(scan.answers)} answer(s) of {name!r} counted as '{_OTHER['nl']}' ({kinds})"]


def _as_other(col: pd.Series, var: Variable, bad: set[str]) -> pd.Series:
    """``col`` with the answers ``bad`` counted as "anders" (an existing anders/other kept)."""
    cats = list(col.cat.categories) if isinstance(col.dtype, pd.CategoricalDtype) else None
    known = [
        c
        for c in (cats or col.dropna().astype(str).unique())
        if str(c).strip().casefold() in ("anders", "other", "overig", "overige")
    ]
    other = known[0] if known else _OTHER["nl"]
    text = col.astype(object).map(lambda v: other if isinstance(v, str) and v.strip() in bad else v)
    var.value_labels = {k: v for k, v in var.value_labels.items() if str(v).strip() not in bad}
    if cats is not None or var.value_labels:
        if other not in var.value_labels.values():
            var.value_labels[
                other
                if all(isinstance(k, str) for k in var.value_labels)
                else max([k for k in var.value_labels if isinstance(k, (int, float))] + [0]) + 1
            ] = other
        order = [c for c in (cats or var.value_labels.values()) if str(c).strip() not in bad]
        order += [other] if other not in order else []
        text = text.where(text.isin(order))  # what is no answer of the list stays missing
        return pd.Series(
            pd.Categorical(text, categories=order, ordered=bool(cats and col.cat.ordered)),
            index=col.index,
        )
    return pd.Series(text, index=col.index, dtype=col.dtype if col.dtype != object else None)


def _protect_set(
    data: pd.DataFrame,
    cb: Codebook,
    set_name: str,
    mr: Any,
    min_n: int,
    labels: set[str],
    index: _Index,
) -> list[str]:
    """Options of a multiple-response set that identify someone: merged into "anders"."""
    counted = mr.counted_value if mr.counted_value is not None else 1
    label_of = {
        m: (cb.variables[m].label if m in cb.variables and cb.variables[m].label else m)
        for m in mr.variables
        if m in data.columns
    }
    chosen = {m: (pd.to_numeric(data[m], errors="coerce") == counted).to_numpy() for m in label_of}
    counts = (
        pd.Series([int(chosen[m].sum()) for m in label_of], index=list(label_of.values()))
        .groupby(level=0)
        .sum()
    )
    found = ident.scan_answers(counts[counts > 0], min_n)
    bad = [m for m in label_of if label_of[m] in found]
    if not bad:
        return []
    _remember(index, [label_of[m] for m in bad], set_name, labels)
    keep = [m for m in mr.variables if m not in bad]
    other = next(
        (m for m in keep if str(label_of.get(m, "")).strip().casefold() in ("anders", "other")),
        None,
    )
    hit = np.logical_or.reduce([chosen[m] for m in bad])
    if other is None:
        other = f"{set_name}_anders"
        base = pd.to_numeric(data[bad[0]], errors="coerce")
        data[other] = np.where(base.isna(), np.nan, 0.0)
        cb.variables[other] = Variable(
            other,
            label=_OTHER["nl"].capitalize(),
            type="numeric",
            measure="nominal",
            group=set_name,
        )
        keep.append(other)
    col = pd.to_numeric(data[other], errors="coerce").to_numpy(float, copy=True)
    col[hit] = counted
    data[other] = col
    for m in bad:
        del data[m]
        cb.variables.pop(m, None)
    cb.mr_sets[set_name] = replace(mr, variables=keep)
    kinds = sorted({_KINDS[ident._public_kind(found[label_of[m]])][1] for m in bad})
    return [
        f"{len(bad)} option(s) of {set_name!r} counted as '{_OTHER['nl']}' ({', '.join(kinds)})"
    ]


# -- the gate ------------------------------------------------------------------------------------

_GENERIC = [(k, rx) for k, rx in ident._PATTERNS if k in ("email", "phone", "bsn", "iban")]
_XML_TEXT = re.compile(
    r"<(?:\w+:)?t(?:\s[^>]*)?>([^<]*)</(?:\w+:)?t>|\s(?:descr|title|name)=\"([^\"]*)\""
)
_HTML_SKIP = re.compile(
    r"<(script|style|svg)\b.*?</\1>|data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+", re.S | re.I
)
_TAG = re.compile(r"<[^>]+>")
_WHAT = dict(
    bsn="a citizen service number (BSN)",
    iban="a bank account number",
    email="an e-mail address",
    phone="a phone number",
)
_SVG_TEXT = re.compile(r"<!--(.*?)-->|<(?:title|desc|text)[^>]*>([^<]*)<", re.S)


def _origin(things: Iterable[Any]) -> list[_Index]:
    """The indexes of the surveys ``things`` were made from (Surveys, Results, Slides, figures);
    every index of this process where one of them does not say (or none does)."""
    keys = set()
    for t in things:
        if isinstance(t, Survey):
            keys.add(_key(t))
            continue
        t = getattr(getattr(t, "slide", t), "result", t)  # a figure's Slide's Result
        meta = getattr(t, "meta", None)
        if meta is None:
            continue  # a text slide: the user's own words
        if not (sha := (getattr(meta, "source", None) or {}).get("sha256")):
            return list(_INDEXES.values())
        keys.add(sha)
    return [_INDEXES[k] for k in keys if k in _INDEXES] if keys else list(_INDEXES.values())


def _found_in(text: str, indexes: list[_Index]) -> tuple[str, str] | None:
    """(kind, column) of an identifier in ``text`` (texts joined by newlines), or None."""
    for kind, rx in _GENERIC:
        for m in rx.finditer(text):
            check = ident._CHECKS.get(kind)
            if check is None or check(m.group(0)):
                return kind, ""
    indexes = [ix for ix in indexes if ix.texts]
    if not indexes:
        return None
    words = re.findall(r"[\w@]+|\n", _fold(text))
    longest = max(ix.longest for ix in indexes)
    for i in range(len(words)):
        for j in range(i + 1, min(i + longest, len(words)) + 1):
            if words[j - 1] == "\n":
                break
            key = " ".join(words[i:j])
            for ix in indexes:
                if key in ix.texts:
                    return "known", ix.texts[key]
    return None


def gate(texts: Iterable[Any], where: str, made_from: Iterable[Any] = ()) -> None:
    """A ``DisclosureError`` naming ``where`` and the kind of identifier (never the identifier)
    if any of ``texts`` holds one: an identifier found at load in the surveys ``made_from``
    names (Surveys, Results, Slides, figures; where one does not say, every survey of this
    process), an e-mail address, phone number, BSN or IBAN.

    Examples
    --------
    >>> gate(["Gepest online: 27 %"], "deck.pptx")
    >>> gate(["mail sanne@example.nl"], "deck.pptx")
    Traceback (most recent call last):
    ...
    youthmedia.errors.DisclosureError: deck.pptx: not written: it would show an e-mail address ...
    """
    text = "\n".join(t for t in texts if isinstance(t, str) and len(t) >= 3)
    hit = _found_in(text, _origin(made_from))
    if hit:
        kind, col = hit
        what = _WHAT.get(kind, f"an identifying value of column {col!r}")
        raise DisclosureError(
            f"{where}: not written: it would show {what} (identifiers never leave the "
            "machine). Leave that column or text out of the output; if it is not an "
            "identifier, mark the column 'identifying: false' in the codebook sidecar."
        )


def output_texts(blob: bytes, suffix: str) -> list[str]:
    """The texts people see in a file youthmedia writes (what :func:`gate_file` checks)."""
    suffix = suffix.lower()
    if suffix in (".xlsx", ".pptx", ".docx"):
        out = []
        with zipfile.ZipFile(io.BytesIO(blob)) as z:
            for info in z.infolist():
                if info.filename.endswith((".xml", ".rels")) and "theme" not in info.filename:
                    xml = z.read(info.filename).decode("utf-8", "replace")
                    out += [html.unescape(a or b) for a, b in _XML_TEXT.findall(xml)]
        return out
    text = blob.decode("utf-8", "replace")
    if suffix == ".ipynb":
        return _notebook_texts(text)
    if suffix == ".svg":
        return [html.unescape(a or b) for a, b in _SVG_TEXT.findall(text)]
    if suffix in (".html", ".htm"):
        return [html.unescape(_TAG.sub(" ", _HTML_SKIP.sub(" ", text)))]
    return [text]


def _notebook_texts(text: str) -> list[str]:
    """A notebook's sources and text outputs; images (base64, whose letters can spell an IBAN
    by chance) were checked as figures before they were drawn."""
    try:
        nb = json.loads(text)
    except ValueError:
        return [text]
    out = []
    for cell in nb.get("cells", []):
        out.append("".join(cell.get("source", "")))
        for o in cell.get("outputs", []):
            out.append("".join(o.get("text", "")) + "".join(o.get("traceback", [])))
            for mime, value in (o.get("data") or {}).items():
                if mime.startswith("text/") or mime.endswith("json"):
                    out.append(value if isinstance(value, str) else "".join(map(str, value)))
    return out


#: Files whose text :func:`gate_file` checks; other files (PNG, PDF, SPSS) have their texts
#: checked before they are drawn (:func:`gate_figure`) or are data written on purpose.
GATED_SUFFIXES = tuple(".xlsx .pptx .docx .csv .txt .md .html .htm .svg .ipynb".split())


def gate_file(path: Path, blob: bytes, made_from: Iterable[Any] = ()) -> None:
    """:func:`gate` for a whole file about to be written (called by :mod:`youthmedia.files`)."""
    if path.suffix.lower() in GATED_SUFFIXES:
        gate(output_texts(blob, path.suffix), str(path), made_from)


def gate_figure(fig: Any, where: str = "figure") -> None:
    """:func:`gate` for every text drawn on a matplotlib figure and its Slide's alt text and
    notes, against the survey of the Slide's Result."""
    from matplotlib.text import Text

    texts = [t.get_text() for t in fig.findobj(Text)]
    slide = getattr(fig, "slide", None)  # the typed Slide: alt text, notes, footnotes
    gate(texts + (slide.texts() if hasattr(slide, "texts") else []), where, [fig])


def forget_identifiers() -> None:
    """Forget the identifiers of every survey loaded in this process (tests; a long-running app)."""
    _INDEXES.clear()


files.add_check(gate_file)
