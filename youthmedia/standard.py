"""The standard tables and slide deck of a survey, chosen from its codebook.

``youthmedia tables FILE`` and ``youthmedia slides FILE`` call :func:`write_tables` and
:func:`write_deck`. :func:`plan` reads the questions from the codebook's roles and groups
(decided at load, :mod:`youthmedia.io.roles`): multiple-response sets, answer scales (a
battery of one group), yes/no items and, when named, numbers. With a wave variable the charts
show the latest wave asked, the trends all waves. A deck of more than eight charts opens with
a contents slide and a slide per question group; what has too few answers is listed on a
closing "not shown, and why" slide. Charts are drawn and written one at a time.

Examples
--------
>>> from youthmedia import standard
>>> standard.write_deck("data/youth_social_media_demo.sav", "reports/deck.pptx")  # doctest: +SKIP
PosixPath('reports/deck.pptx')
"""

from __future__ import annotations

import contextlib
import copy
import ctypes
import dataclasses
import fnmatch
import gc
import os
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from . import i18n, privacy
from .errors import ConfigError, DataError, YouthmediaError, YouthmediaWarning
from .files import check_writable
from .result import Result
from .survey import Survey

__all__ = ["Item", "Roles", "build_figures", "plan", "results", "write_deck", "write_tables"]

_NOT_CHARTED = set("identifier text date design multi".split())
_SKIP_GROUPS = set("design demographics demografie achtergrond background admin".split())
_YES = set(
    "ja yes 1 waar true gekozen selected chosen genoemd mentioned aangevinkt checked".split()
)
_TREND_TOP, _MAX_BATTERY, _MANY, _SECTION_LINES = 6, 12, 30, 12
_KEYS = "not_counted latest asked earlier gender age design weighted".split()
_TEXT = {
    lang: dict(zip(_KEYS, text.split("|"), strict=True))
    for lang, text in {
        "nl": "Niet meegeteld|Cijfers van {wave}, de laatste meting|Cijfers van {wave}, de laatste "
        "meting met deze vraag| (eerdere metingen: {earlier})|Geslacht|Leeftijdsgroep|strata en "
        "clusters uit het bestand|gewogen; ",
        "en": "Not counted|Figures for {wave}, the latest wave|Figures for {wave}, the latest wave "
        "with this question| (earlier waves: {earlier})|Gender|Age group|strata and clusters "
        "from the file|weighted; ",
    }.items()
}


@dataclass
class Roles:
    """The grouping variables found in a survey (``None`` where absent)."""

    age: str | None = None
    gender: str | None = None
    wave: str | None = None
    weight: str | None = None
    breakdowns: list[str] | None = None

    def by(self) -> list[str]:
        """The breakdowns asked for (``--by``), else age band and gender, those present."""
        found = [v for v in (self.age, self.gender) if v]
        return list(self.breakdowns if self.breakdowns is not None else found)


@dataclass
class Item:
    """One question of the standard set: its ``kind`` ("mrset", "scale", "binary",
    "categorical", "mean"), ``names`` (the MR set, or one variable or a battery's), ``title``
    (``titles`` per language), whether it is ``ordinal`` and its codebook ``group``."""

    kind: str
    names: list[str]
    title: str
    ordinal: bool = False
    titles: dict[str, str] = field(default_factory=dict)
    group: str | None = None

    def title_in(self, lang: str) -> str:
        """The question in ``lang`` (else the file's language)."""
        return self.titles.get(lang) or self.title


#: Each question's results (overall or by a breakdown), and what is left out and why.
Computed = list[tuple[Item, str | None, Result]]
Missing = list[tuple[Item, str | None, str]]


def _categories(col: pd.Series) -> list[str] | None:
    if isinstance(col.dtype, pd.CategoricalDtype):
        return [str(c) for c in col.cat.categories]
    return None


def roles(survey: Survey, weight: str | None = None) -> Roles:
    """Age band, gender and wave as the codebook's roles name them, and the weight."""
    found = Roles(weight=weight or survey.codebook.weight)
    if found.weight not in survey.data.columns:
        found.weight = None
    for name in survey.columns:
        role = survey.codebook.get(name).group_role
        if role in ("age", "gender", "wave") and getattr(found, role) is None:
            cats = _categories(survey.data[name])
            k = len(cats) if cats is not None else survey.data[name].nunique(dropna=True)
            if 2 <= k <= 15:
                setattr(found, role, name)
    return found


def _group_of(survey: Survey) -> dict[str, str]:
    cb = survey.codebook
    out = {v: g for g, members in cb.groups.items() for v in members}
    for v in cb:
        if v.group:
            out.setdefault(v.name, v.group)
    return out


def _kind(
    survey: Survey, name: str, explicit: bool, skip: set[str], group_of: dict[str, str]
) -> str | None:
    """The kind of one variable's chart, or None if it is not charted."""
    var = survey.codebook.get(name)
    if not explicit and (
        name in skip
        or var.group_role
        or var.role in _NOT_CHARTED
        or str(group_of.get(name, "")).lower() in _SKIP_GROUPS
    ):
        return None
    col = survey.data[name]
    cats = _categories(col)
    if cats is not None:
        if len(cats) < 2 or (len(cats) > 12 and not explicit):
            return None
        return "binary" if len(cats) == 2 else "scale"
    if pd.api.types.is_numeric_dtype(col) and explicit:  # unlabelled: 0/1 or a number
        return "binary" if set(col.dropna().unique()) <= {0, 1} else "mean"
    return None


def _wanted(survey: Survey, questions: Sequence[str]) -> list[tuple[str, list[str]]]:
    """The ``questions`` as (``mrset``/``var``/``group``, names)."""
    cb = survey.codebook
    out = []
    for q in questions:
        if q in cb.mr_sets:
            out.append(("mrset", [q]))
        elif q in survey.data.columns:
            out.append(("var", [q]))
        elif q in cb.groups:
            out.append(("group", [v for v in cb.groups[q] if v in survey.data.columns]))
        elif matched := [n for n in survey.columns if fnmatch.fnmatchcase(n, q)]:
            out.append(("group", matched))  # a pattern: "q2*", "*tiktok*"
        else:
            from .codebook import _preview

            known = list(cb.mr_sets) + list(cb.groups) + survey.columns
            raise ConfigError(
                f"Unknown question {q!r} in {survey.source.path or 'this survey'}; "
                f"use a variable, multiple-response set or group: {_preview(known)}."
            )
    return out


def plan(
    survey: Survey, questions: Sequence[str] | None = None, weight: str | None = None
) -> list[Item]:
    """The questions of the standard set, by codebook group, else in codebook order.

    Parameters
    ----------
    survey : Survey
    questions : list of str, optional
        Variables, multiple-response sets, codebook groups or patterns to include (in this
        order); default: everything the codebook marks as a question (see the module docstring).
    weight : str, optional
        The weight variable (left out of the questions).

    Returns
    -------
    list of Item
    """
    cb = survey.codebook
    found = roles(survey, weight)
    group_of = _group_of(survey)
    items: list[Item] = []
    if questions:
        for kind, names in _wanted(survey, questions):
            if kind == "mrset":
                items.append(_mr_item(survey, names[0], group_of))
                continue
            kinds = [(n, k) for n in names if (k := _kind(survey, n, True, set(), group_of))]
            if not kinds and kind == "var":
                raise ConfigError(f"{names[0]!r} cannot be charted: neither labelled nor numeric.")
            items += _batteries(survey, kinds, group_of if kind == "group" else {})
        return items
    skip = {found.age, found.gender, found.wave, found.weight, *cb.identifying} - {None}
    skip |= {v for s in cb.mr_sets.values() for v in s.variables}
    set_first = {s.variables[0]: s.name for s in cb.mr_sets.values() if s.variables}
    singles: list[tuple[str, str]] = []
    for name in survey.columns:
        if name in set_first:
            items += _batteries(survey, singles, group_of)
            singles = []
            items.append(_mr_item(survey, set_first[name], group_of))
        elif kind := _kind(survey, name, False, skip, group_of):
            singles.append((name, kind))
    items += _batteries(survey, singles, group_of)
    order: dict[Any, list[Item]] = {}  # a group's questions together, where it first appears
    for i, item in enumerate(items):
        order.setdefault(item.group or i, []).append(item)
    return [item for members in order.values() for item in members]


def _mr_item(survey: Survey, name: str, group_of: dict[str, str]) -> Item:
    mr = survey.codebook.mr_sets[name]
    titles = {lang: mr.label_in(lang) for lang in i18n.LANGS}
    group = group_of.get(mr.variables[0]) if mr.variables else None
    return Item("mrset", [name], mr.label_in(None), titles=titles, group=group)


def _batteries(
    survey: Survey, kinds: list[tuple[str, str]], group_of: dict[str, str]
) -> list[Item]:
    """Neighbouring items with the same answers in the same group, joined into batteries."""
    runs: list[tuple[tuple, list[str]]] = []
    for name, kind in kinds:
        cats = _categories(survey.data[name])
        key = (kind, tuple(cats or ()), group_of.get(name))
        # separate questions stay separate: a battery shares a group (or a question stem)
        if runs and runs[-1][0] == key and kind not in ("mean", "categorical") and key[2]:
            runs[-1][1].append(name)
        else:
            runs.append((key, [name]))
    out = []
    for (kind, _, group), names in runs:
        measures = {survey.codebook.get(n).measure for n in names}
        ordinal = kind == "scale" and measures == {"ordinal"}
        if kind == "scale" and not ordinal:
            kind = "categorical"
        if kind in ("mean", "categorical"):  # one chart per question
            chunks = [[n] for n in names]
        else:
            chunks = [names[i : i + _MAX_BATTERY] for i in range(0, len(names), _MAX_BATTERY)]
        out += [_item(survey, kind, chunk, ordinal, group) for chunk in chunks]
    return out


def _item(survey: Survey, kind: str, names: list[str], ordinal: bool, group: str | None) -> Item:
    """An Item titled by its question per language; a battery by the stem its items share,
    else (in the file's language) by its first three items."""
    from .figures.data import strip_common_prefix

    titles = {}
    for lang in ("", *i18n.LANGS):
        labels = [survey.codebook.label(n, lang or None) for n in names]
        if text := labels[0] if len(names) == 1 else strip_common_prefix(labels)[1]:
            titles[lang] = text
    if "" not in titles:
        more = [i18n.t("more", "nl", k=len(labels) - 3)] if len(labels) > 3 else []
        titles[""] = i18n.join([survey.codebook.label(n) for n in names[:3]] + more, "nl")
    return Item(kind, names, titles.pop(""), ordinal, titles, group)


def _group_title(survey: Survey, group: str, lang: str) -> str:
    """A question group's name: its set's label, its questions' shared stem, else its name."""
    from .figures.data import strip_common_prefix

    cb = survey.codebook
    if group in cb.mr_sets:
        return cb.mr_sets[group].label_in(lang)
    members = [n for n, g in _group_of(survey).items() if g == group]
    stem = strip_common_prefix([cb.label(n, lang) for n in members])[1] if len(members) > 1 else ""
    return stem or str(group).replace("_", " ")


def _combine(parts: list[Result]) -> Result:
    """Stack Results of the same kind (items of a battery), merging their labels."""
    if len(parts) == 1:
        return parts[0]
    frame = pd.concat([pd.DataFrame(p) for p in parts], ignore_index=True)
    meta = parts[0].meta
    labels = {key: copy.deepcopy(getattr(meta, key)) for key in ("labels", "value_labels")}
    for p in parts[1:]:
        for key in ("labels", "value_labels"):
            for lang, table in getattr(p.meta, key).items():
                merged = labels[key].setdefault(lang, {})
                for k, v in table.items():
                    if isinstance(v, dict):
                        merged.setdefault(k, {}).update(v)
                    else:
                        merged.setdefault(k, v)
        notes = list(meta.notes)  # {"nl", "en"} dicts: not hashable
        notes += [n for n in p.meta.notes if n not in notes]
        totals = [n for n in (meta.n_total, p.meta.n_total) if n is not None]
        meta = meta.replace(
            variables=[*meta.variables, *p.meta.variables],
            notes=notes,
            n_total=max(totals) if totals else None,
        )
    return Result.from_rows(frame, meta, **labels)


def _yes_rows(result: Result) -> Result:
    """Keep the "yes" answer of each yes/no variable (else its last answer)."""
    keep = []
    frame = pd.DataFrame(result)
    for _, rows in frame.groupby("variable", sort=False):
        cats = list(dict.fromkeys(rows["category"].astype(str)))
        chosen = next((c for c in cats if " ".join(c.split()).lower() in _YES), cats[-1])
        keep += list(rows.index[rows["category"].astype(str) == chosen])
    return result.loc[sorted(keep)]


def _estimate(survey: Survey, item: Item, by: str | list[str] | None) -> Result:
    from . import estimate

    if item.kind == "mrset":
        res = estimate.share(survey, item.names[0], by=by)
    elif item.kind == "mean":
        res = estimate.mean(survey, item.names[0], by=by)
    else:
        res = _combine([estimate.share(survey, n, by=by) for n in item.names])
        if item.kind == "binary":
            res = _yes_rows(res)
    if item.kind != "mrset" and len(item.names) > 1 and item.titles:
        res.with_meta(title=dict(item.titles))
    excluded = [survey.codebook.get(n).excluded_counts() for n in item.names]
    left_out = {a: k for counts in excluded for a, k in counts.items()}
    if left_out:  # answers that are no answer: out of the base, and said so
        said = ", ".join(f"{a} ({k})" for a, k in left_out.items())
        note = {lang: f"{t['not_counted']}: {said}" for lang, t in _TEXT.items()}
        res.with_meta(notes=[*res.meta.notes, note])
    design = survey.design
    if design is not None and (getattr(design, "strata", None) or getattr(design, "cluster", None)):
        w = res.meta.weighted  # the source line names the design used
        note = {lang: t["weighted"] * w + t["design"] for lang, t in _TEXT.items()}
        res.with_meta(source_note=note)
    return res


def _left_out(not_shown: list | None, item: Item, by: str | None, why: str) -> None:
    """A question (by a breakdown) left out: on the closing slide, else in a warning."""
    if not_shown is None:
        where = f"{item.title!r}{' by ' + by if by else ''}"
        warnings.warn(f"Left out {where}: {why}", YouthmediaWarning, stacklevel=3)
    else:
        not_shown.append((item, by, why))


def results(
    survey: Survey, items: Sequence[Item], found: Roles, not_shown: Missing | None = None
) -> Computed:
    """Estimate every item overall, by the breakdowns and by wave (the trend); with a wave
    variable the others are those of the latest wave asked (domains by wave, as R's ``svyby``).
    What cannot be estimated or is all suppressed goes to ``not_shown`` with the reason (else a
    ``YouthmediaWarning``)."""
    out = []
    waves = _waves(survey, found.wave) if found.wave else []
    for item in items:
        trend = item.kind == "mrset" or (item.kind == "binary" and len(item.names) == 1)
        for by in [None, *found.by(), *([found.wave] if found.wave and trend else [])]:
            try:
                if found.wave and by != found.wave:
                    res = _estimate(survey, item, [found.wave, *([by] if by else [])])
                    res = _latest_wave(res, found.wave, waves)
                else:
                    res = _estimate(survey, item, by)
            except YouthmediaError as exc:
                _left_out(not_shown, item, by, str(exc))
                continue
            frame = pd.DataFrame(res)
            if not_shown is not None and (
                frame.empty or (frame["suppressed"].astype(bool) | frame["estimate"].isna()).all()
            ):
                n = int(frame["n"].max()) if len(frame) and frame["n"].notna().any() else 0
                _left_out(not_shown, item, by, f"n={n}")
                if by is None:
                    break  # too few answers overall: no breakdowns either
                continue
            out.append((item, by, res))
    return out


def _wave_text(label: str) -> str:
    """``2023`` for a wave labelled 2023 or coded 2023.0."""
    try:
        number = float(label)
    except ValueError:
        return label
    return str(int(number)) if number.is_integer() else label


def _waves(survey: Survey, wave: str) -> list[str]:
    """The waves that hold respondents, as source lines write them, in time order (by number
    when all are numbers, else in the codebook's order)."""
    col = survey.data[wave]
    present = list(dict.fromkeys(col.dropna().astype(object).map(str)))
    cats = _categories(col)
    labels = [_wave_text(c) for c in (cats if cats is not None else present) if c in present]
    numbers = pd.to_numeric(pd.Series(labels, dtype=object), errors="coerce")
    order = numbers.sort_values(kind="stable").index if numbers.notna().all() else numbers.index
    return [labels[i] for i in order]


def _latest_wave(res: Result, wave: str, waves: list[str]) -> Result:
    """The rows of the latest wave with an estimate, that wave the source line's year, and a
    note naming it and the earlier waves (``waves``: all of the survey's, in time order)."""
    frame = pd.DataFrame(res)
    has = frame["estimate"].notna() & frame["n"].fillna(0).gt(0)
    years = {_wave_text(w): w for w in frame.loc[has, wave].astype(object).map(str)}
    if not years:
        raise DataError(f"No answers in any {wave} for these questions.")
    year = max(years, key=lambda y: waves.index(y) if y in waves else -1)
    out = res.select(**{wave: years[year]})
    out.with_meta(source={**out.meta.source, "year": year})
    if len(waves) <= 1:
        return out
    at = waves.index(year) if year in waves else len(waves) - 1
    note = {}
    for lang, t in _TEXT.items():
        text = t["asked" if at < len(waves) - 1 else "latest"].format(wave=year)
        if at:
            text += t["earlier"].format(earlier=i18n.join(waves[:at], lang))
        note[lang] = text + "."
    out.with_meta(notes=[*out.meta.notes, note])
    return out


def _prepare(
    survey: Survey | str | os.PathLike[str], weight: str | None, by: Sequence[str] | None = None
) -> tuple[Survey, Roles]:
    """The survey loaded, its breakdowns named for charts, and weighted; what was found."""
    if not isinstance(survey, Survey):
        from .io import load

        survey = load(survey)
    survey.require(*[n for n in [weight, *(by or [])] if n is not None])
    found = roles(survey, weight)
    if by is not None:
        found.breakdowns = list(by)
    variables = dict(survey.codebook.variables)  # "naar geslacht", not "naar ik ben een"
    for role, name in (("gender", found.gender), ("age", found.age)):
        if name is not None:
            variables[name] = new = copy.deepcopy(variables[name])
            for lang, t in _TEXT.items():
                new.translations.setdefault(lang, {})["label"] = t[role]
    survey = survey.replace(codebook=dataclasses.replace(survey.codebook, variables=variables))
    if found.weight and (survey.design is None or weight is not None):
        survey = survey.with_design(weight=found.weight)
    return survey, found


def _figures(item: Item, by: str | None, res: Result, found: Roles, lang: str) -> list[Figure]:
    from .figures import charts

    if by is not None and by == found.wave:
        shown = res
        if item.kind == "mrset" or len(item.names) > 1:  # the largest options of the last wave
            waves = pd.DataFrame(res)[by].astype(str)
            latest = pd.DataFrame(res)[waves == list(dict.fromkeys(waves))[-1]]
            top = latest.sort_values("estimate", ascending=False)["variable"].head(_TREND_TOP)
            shown = res[res["variable"].isin(list(top))]
        return [charts.trend(shown, lang)]
    if item.kind == "scale" and item.ordinal:
        return [charts.diverging(res, lang)] if by is None or len(item.names) == 1 else []
    if by is None:
        if item.kind == "binary" and len(item.names) == 1:
            return [charts.big_number(res, lang)]
        return [charts.bars(res, lang, sort=False if item.kind == "categorical" else None)]
    if item.kind == "mrset" and by == found.age:
        return [charts.heatmap(res, lang)]
    dots = item.kind == "mrset" or (item.kind == "binary" and len(item.names) > 2)
    return [charts.grouped(res, lang, style="dots")] if dots else [charts.grouped(res, lang)]


def write_tables(
    survey: Survey | str | os.PathLike[str],
    out: str | os.PathLike[str],
    lang: str = "nl",
    questions: Sequence[str] | None = None,
    weight: str | None = None,
    by: Sequence[str] | None = None,
) -> Path:
    """Write the standard tables of ``survey`` to an XLSX workbook (one sheet per table).

    Parameters
    ----------
    survey : Survey or path
        A loaded survey, or a file that :func:`youthmedia.load` reads.
    out : path
        The ``.xlsx`` file to write (written atomically).
    lang : {"nl", "en"}
    questions : list of str, optional
        Variables, multiple-response sets, codebook groups or patterns (``q2*``); default:
        the standard set (:func:`plan`).
    weight : str, optional
        The weight variable; default the one the file declares.
    by : list of str, optional
        Break every question down by these (default: gender and age band found).

    Returns
    -------
    pathlib.Path
    """
    from .export import write_xlsx

    lang = i18n.check_lang(lang)
    out = _output(out, ".xlsx", "the standard tables are an Excel workbook")
    survey, found, computed = _computed(survey, questions, weight, by)
    if not computed:
        raise _nothing_to("tabulate", survey.source.path, survey.n)
    tables = {}
    for item, by_var, res in computed:
        name = item.title_in(lang)
        if by_var:
            name += " – " + i18n.t("alt_by", lang, by=res.label(by_var, lang).lower())
        tables[name] = res
    return write_xlsx(tables, out, lang=lang, title=_deck_title(survey, lang))


def _output(out: str | os.PathLike[str], suffix: str, what: str) -> Path:
    """``out`` as a Path; a ConfigError unless it ends in ``suffix``."""
    if Path(out).suffix.lower() != suffix:
        raise ConfigError(f"{out} should end in {suffix}; {what}.")
    return check_writable(out)  # before any work: a folder we cannot write, an input file


def _computed(
    survey: Survey | str | os.PathLike[str],
    questions: Sequence[str] | None,
    weight: str | None,
    by: Sequence[str] | None = None,
    not_shown: list | None = None,
) -> tuple[Survey, Roles, Computed]:
    """The survey ready to estimate, what was found in it, and the planned questions' results."""
    survey, found = _prepare(survey, weight, by)
    items = plan(survey, questions, found.weight)
    if found.breakdowns is None and len(items) > _MANY:  # a usable deck: breakdowns by --by
        found.breakdowns = []
    computed = results(survey, items, found, not_shown)
    # one output: no hidden cell may be recovered from another table (privacy.suppress_across)
    shown = privacy.suppress_across([res for _, _, res in computed])
    return survey, found, [(i, b, r) for (i, b, _), r in zip(computed, shown, strict=True)]


def _nothing_to(verb: str, where: Any, n: int | None = None) -> DataError:
    from .privacy import DEFAULT_MIN_N

    if n is None or n >= DEFAULT_MIN_N:
        return DataError(
            f"No questions to {verb} in {where or 'this survey'}; name them with --questions."
        )
    return DataError(
        f"{where or 'This survey'} holds {n} respondent(s): too few to {verb} "
        f"anything (at least {DEFAULT_MIN_N} are needed); collect more answers."
    )


def _deck_title(survey: Survey, lang: str) -> str:
    """The dataset's name, unless written in another language than the deck's."""
    name = survey.source.name or survey.codebook.file_label
    written_in = (survey.source.options or {}).get("language")
    return str(name) if name and written_in in (None, lang) else i18n.t("deck_title", lang)


def _charts(
    computed: Computed, found: Roles, lang: str, not_shown: Missing | None
) -> Iterator[Figure]:
    """Each result's figures, one at a time."""
    for item, by, res in computed:
        try:
            yield from _figures(item, by, res, found, lang)
        except YouthmediaError as exc:
            _left_out(not_shown, item, by, str(exc))


def _release() -> None:
    """Collect the figures drawn and give their memory back (glibc keeps it otherwise)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError, TypeError):
        ctypes.CDLL(None).malloc_trim(0)


def build_figures(
    survey: Survey | str | os.PathLike[str],
    lang: str = "nl",
    questions: Sequence[str] | None = None,
    weight: str | None = None,
    by: Sequence[str] | None = None,
    not_shown: Missing | None = None,
) -> list[Figure]:
    """The standard figures (what :func:`write_deck` charts); ``not_shown``: what not, why."""
    lang = i18n.check_lang(lang)
    _, found, computed = _computed(survey, questions, weight, by, not_shown)
    return list(_charts(computed, found, lang, not_shown))


def _slides(
    survey: Survey, found: Roles, computed: Computed, lang: str, theme: Any, missing: Missing
) -> Iterator[Any]:
    """The slides one at a time: contents, each group's opening slide, charts, not shown."""
    from .figures.listing import contents, not_shown
    from .figures.slide import Slide

    questions = list(dict.fromkeys((item.group, item.title_in(lang)) for item, _, _ in computed))
    groups: dict[str, list[str]] = {}
    for group, title in questions:
        if group:
            groups.setdefault(group, []).append(title)
    groups = {g: titles for g, titles in groups.items() if len(titles) > 1}
    names = {g: _group_title(survey, g, lang) for g in groups}
    big = len(computed) > 8
    if big:
        yield contents([names.get(g) or title for g, title in questions], lang, theme)
    for n, (item, by, res) in enumerate(computed, start=1):
        if big and item.group in groups:
            lines = [f"• {t}" for t in groups.pop(item.group)]
            if len(lines) > _SECTION_LINES:
                lines[_SECTION_LINES - 1 :] = [f"… (+{len(lines) - _SECTION_LINES + 1})"]
            yield Slide(names[item.group], body=lines, lang=lang)
        yield from _charts([(item, by, res)], found, lang, missing)
        if n % 10 == 0:  # drawn figures live in reference cycles, ~10 MB each
            _release()
    if missing:
        label = survey.codebook.label
        rows = [(i.title_in(lang), b and label(b, lang), why) for i, b, why in missing]
        yield not_shown(rows, lang, theme)


def write_deck(
    file: Survey | str | os.PathLike[str],
    out: str | os.PathLike[str],
    lang: str = "nl",
    questions: Sequence[str] | None = None,
    weight: str | None = None,
    theme: Any = None,
    by: Sequence[str] | None = None,
    charts: str = "picture",
) -> Path:
    """Write the standard PowerPoint deck of a survey file (or a loaded Survey).

    A deck of more than eight charts opens with a contents slide and a slide opening each
    question group; questions with too few answers get a line on a closing "not shown, and
    why" slide. The charts are drawn and written one at a time.

    Parameters
    ----------
    file, out, lang, questions, weight, by
        As in :func:`write_tables`; ``out`` is a ``.pptx`` file; a published table's path
        gives its comparison deck.
    theme : Theme or {"light", "dark"}, optional
    charts : {"picture", "native"}
        ``"native"``: PowerPoint charts where they can (:func:`youthmedia.deck.write_deck`).

    Returns
    -------
    pathlib.Path
    """
    from .export import write_deck as _write
    from .published import is_published_table, load_table

    lang = i18n.check_lang(lang)
    out = _output(out, ".pptx", "the deck is a PowerPoint file")
    if not isinstance(file, Survey) and is_published_table(file):  # figures from a report (#10)
        if weight:
            raise ConfigError(f"{file}: a published table has no weights; leave --weight out.")
        from .figures.compare import published_deck

        figs, title, subtitle = published_deck(load_table(file), lang, theme, questions)
        if not figs:
            raise _nothing_to("chart", file)
        return _write(
            figs, out, title=title, subtitle=subtitle, lang=lang, theme=theme, charts=charts
        )
    missing: Missing = []
    survey, found, computed = _computed(file, questions, weight, by, missing)
    if not computed and not missing:
        raise _nothing_to("chart", survey.source.path, survey.n)
    slides = _slides(survey, found, computed, lang, theme, missing)
    return _write(
        slides, out, title=_deck_title(survey, lang), lang=lang, theme=theme, charts=charts
    )
