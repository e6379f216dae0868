"""The standard tables and slide deck of a survey, chosen from its codebook.

``youthmedia tables FILE`` and ``youthmedia slides FILE`` call :func:`write_tables` and
:func:`write_deck`. What goes in is read from the codebook (:func:`plan`):

- every multiple-response set → reach bars (ranked), by age band (heatmap) and by gender
  (dots), and across waves (trend lines of the six largest options) where those variables
  exist;
- answer scales (batteries: items of one question group sharing one scale) → diverging bars
  when ordinal, answer bars otherwise; a single item also by age band and by gender;
- yes/no items → the share answering "yes": one item as a big number, a battery (one question
  group) as ranked bars; by age band and gender as dots;
- numbers (measure ``scale`` with values, not labels) only when named in ``questions``: means.

When the survey has a wave (year) variable with several waves, every chart and table except
the trends shows the latest wave in which its question was asked (2023, not 2015–2023 pooled):
the source line gives that wave as its year and a footnote names it and the earlier waves. The
trends run across all waves.

Age band, gender and wave are the codebook's group roles (decided at load,
:mod:`youthmedia.io.roles`); they, identifiers, free text, design variables and the codebook
groups ``design`` and ``demographics`` are not charted. A question whose every estimate is
suppressed gets a line on the deck's closing "not shown, and why" slide instead of a chart. A
survey of more than 30 questions is broken down only by the variables asked for (``by=``).

Examples
--------
>>> import youthmedia as ym
>>> from youthmedia import standard
>>> s = ym.load("data/youth_social_media_demo.sav")                 # doctest: +SKIP
>>> [item.title for item in standard.plan(s)][:2]                   # doctest: +SKIP
['Welke sociale media gebruik je? (meerdere antwoorden mogelijk)', 'Actief op minstens één sociaal medium']
>>> standard.write_deck("data/youth_social_media_demo.sav", "reports/deck.pptx")  # doctest: +SKIP
"""

from __future__ import annotations

import copy
import dataclasses
import fnmatch
import os
import warnings
from collections.abc import Sequence
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

__all__ = ["Item", "Roles", "plan", "results", "write_deck", "write_tables"]

_NOT_CHARTED = {"identifier", "text", "date", "design", "multi"}
_SKIP_GROUPS = {"design", "demographics", "demografie", "achtergrond", "background", "admin"}
_YES = {"ja", "yes", "1", "waar", "true", "gekozen", "selected", "chosen", "genoemd",
        "mentioned", "aangevinkt", "checked"}
_TREND_TOP, _MAX_BATTERY, _MANY = 6, 12, 30
_NOT_COUNTED = {"nl": "Niet meegeteld", "en": "Not counted"}


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
        return list(self.breakdowns if self.breakdowns is not None
                    else [v for v in (self.age, self.gender) if v])


@dataclass
class Item:
    """One question of the standard set: its ``kind`` ("mrset", "scale", "binary",
    "categorical", "mean"), ``names`` (the MR set, or one variable or a battery's), ``title`` (in
    the file's language; ``titles`` per language) and whether it is ``ordinal`` (diverging bars).
    """

    kind: str
    names: list[str]
    title: str
    ordinal: bool = False
    titles: dict[str, str] = field(default_factory=dict)


def _categories(survey: Survey, name: str) -> int:
    col = survey.data[name]
    if isinstance(col.dtype, pd.CategoricalDtype):
        return len(col.cat.categories)
    return int(col.nunique(dropna=True))


def roles(survey: Survey, weight: str | None = None) -> Roles:
    """Age band, gender and wave as the codebook's roles name them (decided at load,
    :mod:`youthmedia.io.roles`), and the weight (``weight`` or the file's)."""
    found = Roles(weight=weight or survey.codebook.weight)
    if found.weight and found.weight not in survey.data.columns:
        found.weight = None
    for name in survey.columns:
        role = survey.codebook.get(name).group_role
        if role in ("age", "gender", "wave") and getattr(found, role) is None \
                and 2 <= _categories(survey, name) <= 15:
            setattr(found, role, name)
    return found


def _value_key(survey: Survey, name: str) -> tuple:
    col = survey.data[name]
    if isinstance(col.dtype, pd.CategoricalDtype):
        return tuple(str(c) for c in col.cat.categories)
    return ()


def plan(survey: Survey, questions: Sequence[str] | None = None, weight: str | None = None) -> list[Item]:
    """The questions of the standard set, in codebook order.

    Parameters
    ----------
    survey : Survey
    questions : list of str, optional
        Variables, multiple-response sets or codebook groups to include (in this order);
        default: everything the codebook marks as a question (see the module docstring).
    weight : str, optional
        The weight variable (left out of the questions).

    Returns
    -------
    list of Item
    """
    cb = survey.codebook
    found = roles(survey, weight)
    skip = {found.age, found.gender, found.wave, found.weight, *cb.identifying} - {None}
    in_sets = {v for s in cb.mr_sets.values() for v in s.variables}
    group_of = {v: g for g, members in cb.groups.items() for v in members}
    for v in cb:
        if v.group:
            group_of.setdefault(v.name, v.group)

    def candidate(name: str, explicit: bool) -> str | None:
        """The kind of a single variable, or None if it is not charted."""
        var = cb.get(name)
        if not explicit and (name in skip or var.group_role or var.role in _NOT_CHARTED
                             or str(group_of.get(name, "")).lower() in _SKIP_GROUPS
                             or name in in_sets):
            return None
        col = survey.data[name]
        if isinstance(col.dtype, pd.CategoricalDtype):
            k = len(col.cat.categories)
            if k < 2 or (k > 12 and not explicit):
                return None
            return "binary" if k == 2 else "scale"
        if pd.api.types.is_numeric_dtype(col) and explicit:   # unlabelled: 0/1 or a number
            return "binary" if set(col.dropna().unique()) <= {0, 1} else "mean"
        return None

    items: list[Item] = []
    if questions:
        wanted: list[tuple[str, list[str]]] = []
        for q in questions:
            matched = [n for n in survey.columns if fnmatch.fnmatchcase(n, q)]
            if q in cb.mr_sets:
                wanted.append(("mrset", [q]))
            elif q in survey.data.columns:
                wanted.append(("var", [q]))
            elif q in cb.groups:
                wanted.append(("group", [v for v in cb.groups[q] if v in survey.data.columns]))
            elif matched:   # a pattern: "q2*", "*tiktok*"
                wanted.append(("group", matched))
            else:
                from .codebook import _preview

                known = list(cb.mr_sets) + list(cb.groups) + survey.columns
                raise ConfigError(f"Unknown question {q!r} in {survey.source.path or 'this survey'}; "
                                  f"use a variable, multiple-response set or group: {_preview(known)}.")
        for kind, names in wanted:
            if kind == "mrset":
                items.append(_mr_item(survey, names[0]))
                continue
            kinds = [(n, candidate(n, True)) for n in names]
            kinds = [(n, k) for n, k in kinds if k]
            if not kinds and kind == "var":
                raise ConfigError(f"{names[0]!r} cannot be charted: it is neither labelled nor numeric.")
            items += _batteries(survey, kinds, group_of if kind == "group" else {})
        return items

    seen_sets: set[str] = set()
    singles: list[tuple[str, str]] = []
    set_first = {s.variables[0]: s.name for s in cb.mr_sets.values() if s.variables}

    def flush() -> None:
        items.extend(_batteries(survey, singles, group_of))
        singles.clear()

    for name in survey.columns:
        if name in set_first and set_first[name] not in seen_sets:
            flush()
            seen_sets.add(set_first[name])
            items.append(_mr_item(survey, set_first[name]))
            continue
        kind = candidate(name, False)
        if kind:
            singles.append((name, kind))
    flush()
    return items


def _mr_item(survey: Survey, name: str) -> Item:
    mr = survey.codebook.mr_sets[name]
    titles = {lang: mr.label_in(lang) for lang in i18n.LANGS}
    return Item("mrset", [name], mr.label_in(None), titles=titles)


def _batteries(survey: Survey, kinds: list[tuple[str, str]], group_of: dict[str, str]) -> list[Item]:
    """Join neighbouring items with the same answers (and the same group) into batteries."""
    cb = survey.codebook
    out: list[Item] = []
    run: list[str] = []
    run_kind = ""

    def close() -> None:
        if not run:
            return
        names = list(run)
        if run_kind == "mean":
            for n in names:
                out.append(Item("mean", [n], cb.label(n), titles=_titles(survey, [n])))
            return
        ordinal = run_kind == "scale" and all(cb.get(n).measure == "ordinal" for n in names)
        kind = run_kind if run_kind != "scale" or ordinal else "categorical"
        if kind == "categorical":
            for n in names:  # nominal answers: one chart per question
                out.append(Item(kind, [n], cb.label(n), titles=_titles(survey, [n])))
            return
        for start in range(0, len(names), _MAX_BATTERY):
            chunk = names[start:start + _MAX_BATTERY]
            out.append(Item(kind, chunk, _battery_title(survey, chunk), ordinal=ordinal,
                            titles=_titles(survey, chunk)))

    prev_key: tuple | None = None
    for name, kind in kinds:
        key = (kind, _value_key(survey, name), group_of.get(name))
        # separate questions stay separate: a battery shares a group (or a question stem)
        if run and (key != prev_key or kind in ("mean", "categorical") or key[2] is None):
            close()
            run.clear()
        run.append(name)
        run_kind = kind
        prev_key = key
    close()
    return out


def _titles(survey: Survey, names: list[str]) -> dict[str, str]:
    """The question in each language; for a battery only a shared question stem, else none."""
    from .figures.data import strip_common_prefix

    if len(names) == 1:
        return {lang: survey.codebook.label(names[0], lang) for lang in i18n.LANGS}
    out = {}
    for lang in i18n.LANGS:
        _, prefix = strip_common_prefix([survey.codebook.label(n, lang) for n in names])
        if prefix:
            out[lang] = prefix
    return out


def _battery_title(survey: Survey, names: list[str], lang: str | None = None) -> str:
    from .figures.data import strip_common_prefix

    labels = [survey.codebook.label(n, lang) for n in names]
    if len(labels) == 1:
        return labels[0]
    _, prefix = strip_common_prefix(labels)
    more = [i18n.t("more", lang or "nl", k=len(labels) - 3)] if len(labels) > 3 else []
    return prefix or i18n.join(labels[:3] + more, lang or "nl")


def _combine(parts: list[Result]) -> Result:
    """Stack Results of the same kind (items of a battery), merging their labels."""
    if len(parts) == 1:
        return parts[0]
    frame = pd.concat([pd.DataFrame(p) for p in parts], ignore_index=True)
    meta = parts[0].meta
    merged_labels = {key: copy.deepcopy(getattr(meta, key)) for key in ("labels", "value_labels")}
    for p in parts[1:]:
        for key in ("labels", "value_labels"):
            for lang, table in getattr(p.meta, key).items():
                merged = merged_labels[key].setdefault(lang, {})
                for k, v in table.items():
                    if isinstance(v, dict):
                        merged.setdefault(k, {}).update(v)
                    else:
                        merged.setdefault(k, v)
        notes = list(meta.notes)
        # notes may be {"nl": ..., "en": ...} dicts (not hashable): keep the first of repeats
        notes += [n for n in p.meta.notes if n not in notes]
        totals = [n for n in (meta.n_total, p.meta.n_total) if n is not None]
        meta = meta.replace(variables=[*meta.variables, *p.meta.variables], notes=notes,
                            n_total=max(totals) if totals else None)
    return Result.from_rows(frame, meta, **merged_labels)


def _yes_rows(result: Result) -> Result:
    """Keep the "yes" answer of each yes/no variable (else its last answer)."""
    keep = []
    frame = pd.DataFrame(result)
    for _var, rows in frame.groupby("variable", sort=False):
        cats = list(dict.fromkeys(rows["category"].astype(str)))
        yes = [c for c in cats if " ".join(c.split()).lower() in _YES]
        chosen = yes[0] if yes else cats[-1]
        keep += list(rows.index[rows["category"].astype(str) == chosen])
    return result.loc[sorted(keep)]


def _estimate(survey: Survey, item: Item, by: str | None) -> Result:
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
    left_out = {a: k for n in item.names for a, k in survey.codebook.get(n).excluded_counts().items()}
    if left_out:   # answers that are no answer: out of the base, and said so
        res.with_meta(notes=[*res.meta.notes, {lang: f"{w}: " + ", ".join(
            f"{a} ({k})" for a, k in left_out.items()) for lang, w in _NOT_COUNTED.items()}])
    design = survey.design
    if design is not None and (getattr(design, "strata", None) or getattr(design, "cluster", None)):
        w = res.meta.weighted   # the source line names the design used
        res.with_meta(source_note={"nl": "gewogen; " * w + "strata en clusters uit het bestand",
                                   "en": "weighted; " * w + "strata and clusters from the file"})
    return res


def results(survey: Survey, items: Sequence[Item], found: Roles,
            not_shown: list[tuple[Item, str | None, str]] | None = None,
            ) -> list[tuple[Item, str | None, Result]]:
    """Estimate every item overall and by age band, gender and wave (where present).

    When the survey has a wave (year) variable, the overall and by-group estimates are those of
    the latest wave in which the item was asked, not all waves pooled: a trainer's "57% use
    Facebook" must be a year's figure. They are estimated by wave and group (domains, as R's
    ``svyby``, so that the design's variance is kept) and that wave selected
    (:meth:`Result.select`); its label becomes the year of the source line and a note names
    it and the earlier waves. The trend across all waves is the estimate by wave.

    Items that cannot be estimated (no answers, a variable of the wrong kind) and those whose
    every estimate is suppressed (too few answers) are left out: listed with the reason in
    ``not_shown`` (the deck's closing slide), else with a ``YouthmediaWarning``.
    """
    out = []
    waves = _waves(survey, found.wave) if found.wave else []
    for item in items:
        for by in [None, *found.by(), *([found.wave] if found.wave else [])]:
            if by is not None and by == found.wave and not (
                    item.kind == "mrset" or (item.kind == "binary" and len(item.names) == 1)):
                continue
            try:
                if found.wave and by != found.wave:
                    res = _latest_wave(_estimate(survey, item, [found.wave, *([by] if by else [])]),
                                       found.wave, waves)
                else:
                    res = _estimate(survey, item, by)
            except YouthmediaError as exc:
                if not_shown is None:
                    warnings.warn(f"Left out {item.title!r}{' by ' + by if by else ''}: {exc}",
                                  YouthmediaWarning, stacklevel=2)
                else:
                    not_shown.append((item, by, str(exc)))
                continue
            frame = pd.DataFrame(res)
            if not_shown is not None and (
                    frame.empty or (frame["suppressed"].astype(bool) | frame["estimate"].isna()).all()):
                n = int(frame["n"].max()) if len(frame) and frame["n"].notna().any() else 0
                not_shown.append((item, by, f"n={n}"))
                if by is None:
                    break      # too few answers overall: no breakdowns either
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


def _by_number(labels: list[str]) -> list[str]:
    """Wave labels in time order: by their number when all are numbers (years, codes), else as
    given (the codebook's order)."""
    numbers = pd.to_numeric(pd.Series(labels, dtype=object), errors="coerce")
    if len(labels) and numbers.notna().all():
        return [labels[i] for i in numbers.sort_values(kind="stable").index]
    return list(labels)


def _waves(survey: Survey, wave: str) -> list[str]:
    """The waves that hold respondents, as they are written in source lines, in time order."""
    col = survey.data[wave]
    if isinstance(col.dtype, pd.CategoricalDtype):
        present = set(col.dropna().astype(object).map(str))
        labels = [str(c) for c in col.cat.categories if str(c) in present]
    else:
        labels = list(dict.fromkeys(col.dropna().astype(object).map(str)))
    return [_wave_text(w) for w in _by_number(labels)]


def _latest_wave(res: Result, wave: str, waves: list[str]) -> Result:
    """The rows of the latest wave with an estimate, without the wave grouping, its label as
    the source line's year and a note naming it and the earlier waves (``waves``: all of the
    survey's, in time order)."""
    frame = pd.DataFrame(res)
    labels = frame[wave].astype(object).map(str)
    has = frame["estimate"].notna() & frame["n"].fillna(0).gt(0)
    with_data = list(dict.fromkeys(labels[has]))
    if not with_data:
        raise DataError(f"No answers in any {wave} for these questions.")
    latest = _by_number(with_data)[-1]
    out = res.select(**{wave: latest})
    year = _wave_text(latest)
    out.with_meta(source={**out.meta.source, "year": year})
    at = waves.index(year) if year in waves else len(waves) - 1
    earlier = waves[:at]
    asked_later = at < len(waves) - 1
    if len(waves) <= 1:
        return out
    note = {}
    for lang in i18n.LANGS:
        text = _LATEST[lang]["asked" if asked_later else "latest"].format(wave=year)
        if earlier:
            text += _LATEST[lang]["earlier"].format(earlier=i18n.join(earlier, lang))
        note[lang] = text + "."
    out.with_meta(notes=[*out.meta.notes, note])
    return out


_LATEST = {
    "nl": {"latest": "Cijfers van {wave}, de laatste meting",
           "asked": "Cijfers van {wave}, de laatste meting met deze vraag",
           "earlier": " (eerdere metingen: {earlier})"},
    "en": {"latest": "Figures for {wave}, the latest wave",
           "asked": "Figures for {wave}, the latest wave with this question",
           "earlier": " (earlier waves: {earlier})"},
}


def _prepare(survey: Survey | str | os.PathLike[str], weight: str | None,
             by: Sequence[str] | None = None) -> tuple[Survey, Roles]:
    if not isinstance(survey, Survey):
        from .io import load

        survey = load(survey)
    if weight is not None and weight not in survey.data.columns:
        survey.require(weight)
    for name in by or []:
        survey.require(name)
    found = roles(survey, weight)
    if by is not None:
        found.breakdowns = list(by)
    survey = _named_groups(survey, found)
    if found.weight and (survey.design is None or weight is not None):
        survey = survey.with_design(weight=found.weight)
    return survey, found


_GROUP_LABELS = {"gender": {"nl": "Geslacht", "en": "Gender"},
                 "age": {"nl": "Leeftijdsgroep", "en": "Age group"}}


def _named_groups(survey: Survey, found: Roles) -> Survey:
    """A copy whose gender and age-band questions are called "Geslacht"/"Gender" and
    "Leeftijdsgroep"/"Age group" in the charts in either language ("naar geslacht", not "naar
    ik ben een" or "naar what is your sex")."""
    variables = dict(survey.codebook.variables)
    for role, name in (("gender", found.gender), ("age", found.age)):
        if name is None:
            continue
        new = copy.deepcopy(variables[name])
        for lang, text in _GROUP_LABELS[role].items():
            new.translations.setdefault(lang, {})["label"] = text
        variables[name] = new
    return survey.replace(codebook=dataclasses.replace(survey.codebook, variables=variables))


def _figures(item: Item, by: str | None, res: Result, found: Roles, lang: str) -> list[Figure]:
    from .figures import charts

    if by is not None and by == found.wave:
        shown = res
        if item.kind == "mrset" or len(item.names) > 1:
            last = pd.DataFrame(res)
            waves = list(dict.fromkeys(last[by].astype(str)))
            top = (last[last[by].astype(str) == waves[-1]]
                   .sort_values("estimate", ascending=False)["variable"].head(_TREND_TOP))
            shown = res[res["variable"].isin(list(top))]
        return [charts.trend(shown, lang)]
    if item.kind in ("scale",) and item.ordinal:
        if by is None:
            return [charts.diverging(res, lang)]
        return [charts.diverging(res, lang)] if len(item.names) == 1 else []
    if item.kind == "categorical":
        return [charts.bars(res, lang, sort=False)] if by is None else [charts.grouped(res, lang)]
    if item.kind == "mrset":
        if by is None:
            return [charts.bars(res, lang)]
        if by == found.age:
            return [charts.heatmap(res, lang)]
        return [charts.grouped(res, lang, style="dots")]
    if item.kind == "binary":
        if by is None:
            return [charts.big_number(res, lang) if len(item.names) == 1 else charts.bars(res, lang)]
        return [charts.grouped(res, lang, style="dots" if len(item.names) > 2 else "bars")]
    if item.kind == "mean":
        return [charts.bars(res, lang)] if by is None else [charts.grouped(res, lang)]
    return []


def _table_name(item: Item, by: str | None, res: Result, lang: str) -> str:
    title = item.titles.get(lang) or item.title
    if by:
        title += " – " + i18n.t("alt_by", lang, by=res.label(by, lang).lower())
    return title


def write_tables(survey: Survey | str | os.PathLike[str], out: str | os.PathLike[str],
                 lang: str = "nl", questions: Sequence[str] | None = None,
                 weight: str | None = None, by: Sequence[str] | None = None) -> Path:
    """Write the standard tables of ``survey`` to an XLSX workbook (one sheet per table).

    Parameters
    ----------
    survey : Survey or path
        A loaded survey, or a file that :func:`youthmedia.load` reads.
    out : path
        The ``.xlsx`` file to write (written atomically).
    lang : {"nl", "en"}
    questions : list of str, optional
        Variables, multiple-response sets or codebook groups; default: the standard set.
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
    tables = {_table_name(item, by, res, lang): res for item, by, res in computed}
    title = _deck_title(survey, lang)
    return write_xlsx(tables, out, lang=lang, title=title)


def _output(out: str | os.PathLike[str], suffix: str, what: str) -> Path:
    """``out`` as a Path; a ConfigError unless it ends in ``suffix``."""
    if Path(out).suffix.lower() != suffix:
        raise ConfigError(f"{out} should end in {suffix}; {what}.")
    return check_writable(out)   # before any work: a folder we cannot write, an input file


def _computed(survey: Survey | str | os.PathLike[str], questions: Sequence[str] | None,
              weight: str | None, by: Sequence[str] | None = None,
              not_shown: list | None = None,
              ) -> tuple[Survey, Roles, list[tuple[Item, str | None, Result]]]:
    """The survey ready to estimate, what was found in it, and the planned questions' results."""
    survey, found = _prepare(survey, weight, by)
    items = plan(survey, questions, found.weight)
    if found.breakdowns is None and len(items) > _MANY:   # a usable deck: breakdowns by --by
        found.breakdowns = []
    computed = results(survey, items, found, not_shown)
    # one output: no hidden cell may be recovered from another table (privacy.suppress_across)
    shown = privacy.suppress_across([res for _, _, res in computed])
    return survey, found, [(i, b, r) for (i, b, _), r in zip(computed, shown, strict=True)]


def _nothing_to(verb: str, where: Any, n: int | None = None) -> DataError:
    from .privacy import DEFAULT_MIN_N

    return DataError(f"{where or 'This survey'} holds {n} respondent(s): too few to {verb} "
                     f"anything (at least {DEFAULT_MIN_N} are needed); collect more answers."
                     if n is not None and n < DEFAULT_MIN_N else
                     f"No questions to {verb} in {where or 'this survey'}; name them with "
                     "--questions.")


def _deck_title(survey: Survey, lang: str) -> str:
    """The dataset's name, unless it is in another language than the deck (then the source
    line names it and the title is the deck's own)."""
    name = survey.source.name or survey.codebook.file_label
    written_in = (survey.source.options or {}).get("language")
    return str(name) if name and written_in in (None, lang) else i18n.t("deck_title", lang)


def build_figures(survey: Survey | str | os.PathLike[str], lang: str = "nl",
                  questions: Sequence[str] | None = None, weight: str | None = None,
                  by: Sequence[str] | None = None,
                  not_shown: list[tuple[Item, str | None, str]] | None = None) -> list[Figure]:
    """The standard figures (what :func:`write_deck` puts on slides); ``not_shown``: what not."""
    lang = i18n.check_lang(lang)
    survey, found, computed = _computed(survey, questions, weight, by, not_shown)
    figs: list[Figure] = []
    for item, by_var, res in computed:
        try:
            made = _figures(item, by_var, res, found, lang)
            for fig in made:   # the question, for the deck's contents slide
                fig.youthmedia_question = item.titles.get(lang) or item.title
            figs += made
        except YouthmediaError as exc:
            if not_shown is not None:
                not_shown.append((item, by_var, str(exc)))
            else:
                warnings.warn(f"No figure of {item.title!r}{' by ' + by_var if by_var else ''}: "
                              f"{exc}", YouthmediaWarning, stacklevel=2)
    return figs


def write_deck(file: Survey | str | os.PathLike[str], out: str | os.PathLike[str],
               lang: str = "nl", questions: Sequence[str] | None = None,
               weight: str | None = None, theme: Any = None,
               by: Sequence[str] | None = None, charts: str = "picture") -> Path:
    """Write the standard PowerPoint deck of a survey file.

    A deck of more than eight figures opens with a contents slide; questions with too few
    answers get no chart but a line on a closing "not shown, and why" slide.

    Parameters
    ----------
    file : path or Survey
        A file that :func:`youthmedia.load` reads (or a loaded survey).
    out : path
        The ``.pptx`` file to write (written atomically).
    lang : {"nl", "en"}
    questions : list of str, optional
        Variables, multiple-response sets, codebook groups or patterns; default: the standard set.
    weight : str, optional
        The weight variable; default the one the file declares.
    theme : Theme or {"light", "dark"}, optional
    by : list of str, optional
        Break every question down by these (default: gender and age band found).
    charts : {"picture", "native"}
        ``"native"``: PowerPoint charts where they can show the figure
        (:func:`youthmedia.deck.write_deck`).

    Returns
    -------
    pathlib.Path
    """
    from .export import write_deck as _write
    from .figures.listing import contents, not_shown

    lang = i18n.check_lang(lang)
    out = _output(out, ".pptx", "the deck is a PowerPoint file")
    from .published import is_published_table, load_table

    if not isinstance(file, Survey) and is_published_table(file):   # figures from a report (#10)
        if weight:
            raise ConfigError(f"{file} is a table of published figures and has no weights; "
                              "leave --weight out.")
        from .figures.compare import published_deck

        figs, title, subtitle = published_deck(load_table(file), lang, theme, questions)
        where, n = file, None
    else:
        survey, _ = _prepare(file, weight, by)
        missing: list[tuple[Item, str | None, str]] = []
        figs = build_figures(survey, lang, questions, weight, by, missing)
        title, subtitle, where = _deck_title(survey, lang), None, survey.source.path
        n = survey.n
        if len(figs) > 8:
            figs.insert(0, contents([f.youthmedia_question for f in figs], lang, theme))
        if missing:
            figs.append(not_shown([(item.titles.get(lang) or item.title,
                                    by and survey.codebook.label(by, lang), why)
                                   for item, by, why in missing], lang, theme))
    if not figs:
        raise _nothing_to("chart", where, n)
    try:
        return _write(figs, out, title=title, subtitle=subtitle, lang=lang, theme=theme,
                      charts=charts)
    finally:
        for fig in figs:
            fig.clear()
