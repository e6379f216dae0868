"""What may leave the machine: :func:`protect` (the end of ``load``) marks identifying columns,
counts identifying answers as "anders" and indexes them; every file written passes
:func:`gate_file`, every figure :func:`gate_figure`. Suppression is re-exported: one door.
"""

from __future__ import annotations

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

from . import files, i18n, suppression
from . import identifiers as ident
from .codebook import Codebook, Variable
from .errors import ConfigError, DisclosureError, YouthmediaWarning
from .suppression import *  # noqa: F403  (re-exported: privacy is the one door)
from .survey import Survey

__all__ = (
    suppression.__all__
    + """NOT_IDENTIFYING drop_identifying forget_identifiers gate
gate_figure gate_file identifying_columns identifying_text protect refuse_identifying""".split()
)

#: ``Variable.identifying_reason`` that overrules detection: the codebook says "not identifying".
NOT_IDENTIFYING = "not identifying (codebook)"

_OTHER = "anders"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def identifying_text(reason: str, lang: str = "nl") -> str:
    """Words for a reason ``"<kind>:<evidence>"`` of :func:`identifying_columns` (others as is).

    Examples
    --------
    >>> identifying_text("email:content", "nl"), identifying_text("phone:name", "en")
    ('e-mailadres (inhoud)', 'phone number (column name)')
    """
    kind, _, evidence = str(reason).partition(":")
    if f"identifier_{kind}" not in i18n.STRINGS or kind.startswith("by_"):
        return str(reason)
    if f"identifier_by_{evidence}" not in i18n.STRINGS:
        return _words_for(kind, lang)
    return f"{_words_for(kind, lang)} ({_words_for(f'by_{evidence}', lang)})"


def _words_for(kind: str, lang: str = "en") -> str:
    return i18n.t(f"identifier_{kind}", "nl" if str(lang).startswith("nl") else "en")


_SCANS: dict[int, dict] = {}  # id(a Survey's data) -> column -> (Variable, min_n, its scan)


def _scan(data: pd.DataFrame, v: Variable, keep: bool = False) -> ident.ColumnScan:
    """Column ``v`` judged; ``keep``: ``data`` is a Survey's (immutable), remember the scan."""
    if v.identifying_reason == NOT_IDENTIFYING:
        return ident.ColumnScan()
    if v.identifying:
        return ident.ColumnScan(v.identifying_reason or "codebook:codebook")
    min_n, seen = suppression.get_thresholds().min_n, _SCANS.get(id(data), {})
    if (hit := seen.get(v.name)) and hit[:2] == (v, min_n):
        return hit[2]
    scan = ident.scan_column(data[v.name], v, min_n)
    if keep and id(data) not in _SCANS:
        _SCANS[id(data)] = seen
        weakref.finalize(data, _SCANS.pop, id(data), None)
    seen[v.name] = (v, min_n, scan)
    return scan


def identifying_columns(
    obj: Survey | pd.DataFrame, codebook: Codebook | None = None, *, only: Iterable | None = None
) -> dict[str, str]:
    """Columns that identify a respondent as a whole: column -> ``"<kind>:<evidence>"``.

    Judged on content (name and label as hints); a codebook's marks are kept, ``NOT_IDENTIFYING``
    overrules. A few identifying answers do not count (:func:`protect` makes them "anders").

    Examples
    --------
    >>> identifying_columns(pd.DataFrame({"naam": ["Sanne de Vries", "Daan Jansen"], "age": [13, 14]}))
    {'naam': 'name:name'}
    """
    judged, keep = set(), isinstance(obj, Survey)
    if keep:  # columns judged at load keep that judgement
        judged, obj, codebook = getattr(_index(obj), "judged", set()), obj.data, obj.codebook
    if not isinstance(obj, pd.DataFrame):
        raise ConfigError(f"Expected a Survey or a DataFrame, not {type(obj).__name__}.")
    found, only = {}, None if only is None else set(map(str, only))
    for name in [c for c in map(str, obj.columns) if only is None or c in only]:
        var = (codebook.variables.get(name) if codebook is not None else None) or Variable(name)
        marked = var.identifying and var.identifying_reason
        found[name] = marked if name in judged else _scan(obj, var, keep).reason
    return {k: v for k, v in found.items() if v}


def drop_identifying(obj: Survey | pd.DataFrame) -> Survey | pd.DataFrame:
    """``obj`` without its identifying columns (a Survey's codebook, sets and groups pruned).

    Examples
    --------
    >>> list(drop_identifying(pd.DataFrame({"age": [13], "e-mailadres": ["x@y.nl"]})).columns)
    ['age']
    """
    bad = set(identifying_columns(obj))
    frame = obj.data if isinstance(obj, Survey) else obj
    data = frame.drop(columns=[c for c in frame.columns if str(c) in bad])
    if not isinstance(obj, Survey):
        return data
    cb = obj.codebook
    sets = {
        k: replace(m, variables=vs)
        for k, m in cb.mr_sets.items()
        if (vs := [v for v in m.variables if v not in bad])
    }
    groups = {k: vs for k, g in cb.groups.items() if (vs := [v for v in g if v not in bad])}
    variables = {k: v for k, v in cb.variables.items() if k not in bad}
    codebook = replace(cb, variables=variables, mr_sets=sets, groups=groups)
    return obj.replace(data=data, codebook=codebook)


def refuse_identifying(
    survey: Survey | pd.DataFrame, names: Iterable[str], what: str = "an estimate"
) -> None:
    """Raise ``DisclosureError`` if any of ``names`` is an identifying column.

    Examples
    --------
    >>> refuse_identifying(pd.DataFrame({"age": [13, 14]}), ["age"])   # fine: returns None
    """
    for first, reason in list(identifying_columns(survey, only=names).items())[:1]:
        raise DisclosureError(
            f"Column {first!r} identifies respondents ({identifying_text(reason, 'en')}); it "
            f"cannot be used in {what}. Leave it out, or if this is a mistake mark it "
            f"'identifying: false' in the codebook sidecar."
        )


# -- at load: mark, count as "anders", index -----------------------------------------------------


@dataclass
class _Index:
    """The identifiers found in one survey at load: normalised text -> column; columns judged."""

    texts: dict[str, str] = field(default_factory=dict)
    judged: set[str] = field(default_factory=set)
    longest: int = 1


_INDEXES: dict[str, _Index] = {}  # survey key (its file's SHA-256, or memory:<id> of its Source)


def _index(survey: Survey, create: bool = False) -> _Index | None:
    key = survey.source.sha256 or f"memory:{id(survey.source)}"
    if create and key not in _INDEXES:
        _INDEXES[key] = _Index()
        if not survey.source.sha256:  # made in memory: forgotten with its Source
            weakref.finalize(survey.source, _INDEXES.pop, key, None)
    return _INDEXES.get(key)


def _words(text: Any) -> list[str]:
    """Casefolded words without accents."""
    text = unicodedata.normalize("NFKD", str(text).casefold())
    return re.findall(r"[\w@]+", "".join(c for c in text if not unicodedata.combining(c)))


def _remember(index: _Index, texts: Iterable[Any], column: str, labels: set, every: bool) -> None:
    """Index ``texts`` (else those that identify by content) not shown as labels elsewhere."""
    for t in texts:
        if not isinstance(t, str) or not (every or ident.kind_of(t) or ident.is_first_name(t)):
            continue
        key = " ".join(_words(t))
        if len(key) >= 3 and key not in labels and len(index.texts) < 500_000:
            index.texts[key] = column
            index.longest = max(index.longest, min(key.count(" ") + 1, 12))


def _clean_labels(cb: Codebook, data: pd.DataFrame) -> int:
    """Strip control characters from labels and categories (in place); how many texts changed."""
    cats = {n: data[n].cat.categories.tolist() for n in data if data[n].dtype == "category"}
    texts = [t for v in cb.variables.values() for t in (v.label, *v.value_labels.values())]
    texts += [c for cs in cats.values() for c in cs]
    changed = sum(bool(_CONTROL.search(t)) for t in texts if isinstance(t, str))
    for var in cb.variables.values() if changed else []:
        var.label = _clean(var.label)
        var.value_labels = {k: _clean(v) for k, v in var.value_labels.items()}
    for name, old in cats.items() if changed else []:
        if (new := [_clean(c) for c in old]) != old and len(set(new)) == len(new):
            data[name] = data[name].cat.rename_categories(new)
    return changed


def _clean(text: Any) -> Any:
    return _CONTROL.sub("", text) if isinstance(text, str) else text


def protect(survey: Survey, warn: bool = True) -> Survey:
    """What :func:`youthmedia.load` does last: identifying columns marked (outputs leave them
    out), identifying answers counted as "anders", control characters stripped; one warning.

    Examples
    --------
    >>> from youthmedia.survey import Survey
    >>> s = protect(Survey(pd.DataFrame({"opm": ["ja", "nee"] * 6 + ["mail sanne@x.nl"]})),
    ...             warn=False)
    >>> sorted(s.data["opm"].unique())
    ['anders', 'ja', 'nee']
    """
    variables = {k: replace(v) for k, v in survey.codebook.variables.items()}
    cb = replace(survey.codebook, variables=variables, mr_sets=dict(survey.codebook.mr_sets))
    data = survey.data.copy(deep=False)
    k = _clean_labels(cb, data)
    notes = [f"control characters removed from {k} label(s)"] if k else []
    shown = [
        (v.label, *v.value_labels.values()) for v in cb.variables.values() if not v.identifying
    ]
    labels = {" ".join(_words(t)) for t in {t for ts in shown for t in ts if isinstance(t, str)}}
    members = {m for s in cb.mr_sets.values() for m in s.variables}
    index = _index(survey, create=True)
    for name in [str(c) for c in data.columns if str(c) not in members]:
        index.judged.add(name)
        var = cb.variables.setdefault(name, Variable(name))
        if (scan := _scan(data, var)).reason:  # a name column: every value; else by content
            var.identifying, var.identifying_reason = True, scan.reason
            values = [*data[name].dropna().unique()[:100_000], *var.value_labels.values()]
            _remember(index, values, name, labels, scan.reason.startswith("name"))
            notes.append(f"{name!r} left out ({identifying_text(scan.reason, 'en')})")
        elif scan.answers:
            data[name] = _as_other(data[name], var, set(scan.answers))
            _remember(index, scan.answers, name, labels, True)
            kinds = ", ".join(sorted({_words_for(k) for k in scan.answers.values()}))
            notes.append(
                f"{len(scan.answers)} answer(s) of {name!r} counted as '{_OTHER}' ({kinds})"
            )
    for set_name in list(cb.mr_sets):
        notes += _protect_set(data, cb, set_name, labels, index)
    if notes and warn:
        where = survey.source.path or "survey"
        msg = f"{where}: privacy: {'; '.join(notes)}; they never appear in an output."
        warnings.warn(msg, YouthmediaWarning, stacklevel=3)
    return survey.replace(data=data, codebook=cb)


def _is_other(text: Any) -> bool:
    return str(text).strip().casefold() in ("anders", "other", "overig", "overige")


def _as_other(col: pd.Series, var: Variable, bad: set[str]) -> pd.Series:
    """``col`` with the answers ``bad`` counted as "anders" (an existing anders/other kept)."""
    cats = list(col.cat.categories) if isinstance(col.dtype, pd.CategoricalDtype) else None
    other = next((c for c in cats or col.dropna().astype(str).unique() if _is_other(c)), _OTHER)
    text = col.astype(object).map(lambda v: other if isinstance(v, str) and v.strip() in bad else v)
    labels = {k: v for k, v in var.value_labels.items() if str(v).strip() not in bad}
    var.value_labels = labels
    if cats is None and not labels:
        return pd.Series(text, index=col.index, dtype=col.dtype if col.dtype != object else None)
    if other not in labels.values():
        numeric = [k for k in labels if isinstance(k, (int, float))]
        labels[other if all(isinstance(k, str) for k in labels) else max(numeric + [0]) + 1] = other
    order = [c for c in (cats or labels.values()) if str(c).strip() not in bad]
    order += [other] if other not in order else []
    text = text.where(text.isin(order))  # what is no answer of the list stays missing
    categorical = pd.Categorical(text, categories=order, ordered=bool(cats and col.cat.ordered))
    return pd.Series(categorical, index=col.index)


def _protect_set(
    data: pd.DataFrame, cb: Codebook, set_name: str, labels: set[str], index: _Index
) -> list[str]:
    """Options of a multiple-response set that identify someone: merged into "anders"."""
    mr = cb.mr_sets[set_name]
    counted = 1 if mr.counted_value is None else mr.counted_value
    label_of = {m: cb.get(m).label or m for m in mr.variables if m in data.columns}
    chosen = pd.DataFrame({m: pd.to_numeric(data[m], errors="coerce") == counted for m in label_of})
    counts = chosen.sum().groupby(label_of, sort=False).sum()  # respondents per option label
    found = ident.scan_answers(counts[counts > 0], suppression.get_thresholds().min_n)
    if not (bad := [m for m in label_of if label_of[m] in found]):
        return []
    _remember(index, [label_of[m] for m in bad], set_name, labels, True)
    keep = [m for m in mr.variables if m not in bad]
    other = next((m for m in keep if _is_other(label_of.get(m, ""))), f"{set_name}_anders")
    if other not in keep:
        data[other] = np.where(pd.to_numeric(data[bad[0]], errors="coerce").isna(), np.nan, 0.0)
        cb.variables[other] = Variable(
            other, label="Anders", type="numeric", measure="nominal", group=set_name
        )
        keep.append(other)
    col = pd.to_numeric(data[other], errors="coerce").to_numpy(float, copy=True)
    col[chosen[bad].any(axis=1).to_numpy()] = counted
    data[other] = col
    for m in bad:
        del data[m]
        cb.variables.pop(m, None)
    cb.mr_sets[set_name] = replace(mr, variables=keep)
    kinds = ", ".join(sorted({_words_for(ident.public(found[label_of[m]])) for m in bad}))
    return [f"{len(bad)} option(s) of {set_name!r} counted as '{_OTHER}' ({kinds})"]


# -- the gate ------------------------------------------------------------------------------------

_ANYWHERE = ("email", "phone", "bsn", "iban")  # looked for in every output
_MARKUP_TEXT = re.compile(  # OOXML runs, alt texts and names; SVG comments, titles and texts
    r"<!--(.*?)-->|<(?:\w+:)?(?:t|title|desc|text)(?:\s[^>]*)?>([^<]*)<"
    r"|\s(?:descr|title|name)=\"([^\"]*)\"",
    re.S,
)
_HTML_SKIP = re.compile(
    r"<(script|style|svg)\b.*?</\1>|data:[\w/+.-]+;base64,[A-Za-z0-9+/=]+", re.S | re.I
)
_TEXT_MIME = re.compile(r"text/|.*json$")  # notebook outputs: text, not pictures
#: SHA-256 digests (provenance, describe): hex, never a phone number ("…c0612345678e…")
_DIGEST = re.compile(r"\b(?=[0-9a-f]*[a-f])[0-9a-f]{16,}\b")
#: Files whose text :func:`gate_file` checks; figures' texts are checked before they are drawn.
_GATED = tuple(".xlsx .pptx .docx .csv .txt .md .html .htm .svg .ipynb".split())


def _origin(things: Iterable[Any]) -> list[_Index]:
    """The indexes of the surveys ``things`` come from (all where one does not say, or none)."""
    keys = set()
    for t in things:
        meta = getattr(getattr(getattr(t, "slide", t), "result", t), "meta", None)
        if isinstance(t, Survey):
            keys.add(t.source.sha256 or f"memory:{id(t.source)}")
        elif meta is not None:  # (None: a text slide, the user's own words)
            if not (sha := (getattr(meta, "source", None) or {}).get("sha256")):
                return list(_INDEXES.values())
            keys.add(sha)
    return [_INDEXES[k] for k in keys if k in _INDEXES] if keys else list(_INDEXES.values())


def gate(texts: Iterable[Any], where: str, made_from: Iterable[Any] = ()) -> None:
    """A ``DisclosureError`` naming ``where`` and the kind of identifier (never the identifier)
    if ``texts`` hold an e-mail address, phone number, BSN, IBAN or an identifier of a survey
    ``made_from`` names (Surveys, Results, Slides, figures; else of every survey loaded).

    Examples
    --------
    >>> gate(["Gepest online: 27 %"], "deck.pptx")
    >>> gate(["mail sanne@example.nl"], "deck.pptx")
    Traceback (most recent call last):
    ...
    youthmedia.errors.DisclosureError: deck.pptx: not written: it would show an identifier (e-mail address)...
    """
    text = _DIGEST.sub(" ", "\n".join(t for t in texts if isinstance(t, str) and len(t) >= 3))
    indexes = [ix for ix in _origin(made_from) if ix.texts]
    longest, lines = max((ix.longest for ix in indexes), default=0), text.split("\n")
    runs = (  # the runs of words of each line that an index could hold
        " ".join(ws[i:j])
        for ws in (_words(line) for line in lines if indexes)
        for i in range(len(ws))
        for j in range(i + 1, min(i + longest, len(ws)) + 1)
    )
    if kind := ident.kind_of(text, _ANYWHERE):
        what = _words_for(ident.public(kind))
    elif column := next((x.texts[r] for r in runs for x in indexes if r in x.texts), None):
        what = f"column {column!r}"
    else:
        return
    raise DisclosureError(
        f"{where}: not written: it would show an identifier ({what}); identifiers never "
        "leave the machine. Leave that column or text out of the output; if it is not an "
        "identifier, mark the column 'identifying: false' in the codebook sidecar."
    )


def gate_file(path: Path, blob: bytes, made_from: Iterable[Any] = ()) -> None:
    """:func:`gate` for the texts people see in a file about to be written (:mod:`files` calls it)."""
    if (suffix := path.suffix.lower()) not in _GATED:
        return
    if suffix in (".xlsx", ".pptx", ".docx"):  # the XML parts, one per line
        with zipfile.ZipFile(io.BytesIO(blob)) as z:
            parts = [n for n in z.namelist() if n.endswith((".xml", ".rels")) and "theme" not in n]
            blob = b"\n".join(map(z.read, parts))
    texts = [text := blob.decode("utf-8", "replace")]
    if suffix in (".xlsx", ".pptx", ".docx", ".svg"):
        texts = [html.unescape("".join(m)) for m in _MARKUP_TEXT.findall(text)]
    elif suffix in (".html", ".htm"):
        texts = [html.unescape(re.sub(r"<[^>]+>", " ", _HTML_SKIP.sub(" ", text)))]
    elif suffix == ".ipynb":  # sources and text outputs; images were checked as figures
        cells = json.loads(text).get("cells", [])
        outs = [o for c in cells for o in c.get("outputs", [])]
        parts = [c.get("source") for c in cells]
        parts += [o.get(k) for o in outs for k in ("text", "traceback")]
        parts += [v for o in outs for m, v in o.get("data", {}).items() if re.match(_TEXT_MIME, m)]
        texts = ["".join(p) if isinstance(p, list) else str(p or "") for p in parts]
    gate(texts, str(path), made_from)


def gate_figure(fig: Any, where: str = "figure") -> None:
    """:func:`gate` for every text drawn on a figure and its Slide's alt text and notes."""
    from matplotlib.text import Text

    slide = getattr(fig, "slide", None)  # the typed Slide: alt text, notes, footnotes
    extra = slide.texts() if hasattr(slide, "texts") else []
    gate([t.get_text() for t in fig.findobj(Text)] + extra, where, [fig])


def forget_identifiers() -> None:
    """Forget the identifiers of every survey loaded in this process (tests; a long-running app)."""
    _INDEXES.clear()


files._CHECKS.append(gate_file)
