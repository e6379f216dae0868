"""The standard tables and deck of a survey (``youthmedia tables|slides FILE``) from the roles
decided at load; with a wave variable charts show the latest wave asked, trends all waves."""

from __future__ import annotations

import copy
import fnmatch
import gc
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import deck, estimate, i18n, privacy
from .codebook import _preview
from .errors import ConfigError, DataError, YouthmediaError, YouthmediaWarning
from .export import write_xlsx
from .figures import charts
from .figures.charts import published_deck
from .figures.data import strip_common_prefix
from .figures.headline import SUBJECT_MAX, applies_to
from .figures.slide import Slide
from .files import check_writable
from .i18n import LANGS
from .io import load
from .io.answers import YES, does_not_apply
from .published import is_published_table, load_table
from .result import Result
from .survey import Survey

__all__ = ["Item", "Roles", "build_figures", "plan", "results", "write_deck", "write_tables"]

_NOT_CHARTED = {"identifier", "text", "date", "design", "multi"}
_SKIP_GROUPS = set("design demographics demografie achtergrond background admin".split())
_TREND_TOP, _MAX_BATTERY, _MANY, _LINES, _MIN_RECODE = 6, 12, 30, 12, 30
Path_ = Survey | str | os.PathLike[str]


@dataclass
class Roles:
    """The grouping variables found in a survey (``None`` where absent)."""

    age: str | None = None
    gender: str | None = None
    wave: str | None = None
    weight: str | None = None
    breakdowns: list[str] | None = None  # --by; default age band and gender, those found
    skipped: list[str] = field(default_factory=list)  # left out: too many questions to break down

    def by(self) -> list[str]:
        """The breakdowns charted."""
        found = [v for v in (self.age, self.gender) if v]
        return list(found if self.breakdowns is None else self.breakdowns)


@dataclass
class Item:
    """One question: kind (mrset, scale, binary, categorical, mean), set or variables, titles."""

    kind: str
    names: list[str]
    title: str
    ordinal: bool = False
    titles: dict[str, str] = field(default_factory=dict)
    group: str | None = None
    sources: list[str] = field(default_factory=list)  # a recode's question: its answers not counted

    def title_in(self, lang: str, by: str | None = None) -> str:
        """The question in ``lang`` (else the file's language), by the breakdown labelled ``by``."""
        by = f" – {i18n.t('alt_by', lang, by=by.lower())}" if by else ""
        return (self.titles.get(lang) or self.title) + by


Computed = list[tuple[Item, str | None, Result]]  # each result, overall or by a breakdown
Missing = list[tuple[Item, str | None, str]]  # what is left out and why


def _cats(col: pd.Series) -> list[str] | None:
    cats = getattr(col.dtype, "categories", None)  # a categorical's answers
    return None if cats is None else [str(c) for c in cats]


def roles(survey: Survey, weight: str | None = None) -> Roles:
    """Age band, gender and wave as the codebook's roles name them, and the weight."""
    found = Roles(weight=weight or survey.codebook.weight)
    found.weight = found.weight if found.weight in survey.data.columns else None
    for name in survey.columns:
        role, col = survey.codebook.get(name).group_role, survey.data[name]
        if role in ("age", "gender", "wave") and getattr(found, role) is None:
            if 2 <= (col.nunique() if _cats(col) is None else len(_cats(col))) <= 15:
                setattr(found, role, name)
    return found


def _group_of(survey: Survey) -> dict[str, str]:
    out = {v: g for g, members in survey.codebook.groups.items() for v in members}
    return out | {v.name: v.group for v in survey.codebook if v.group and v.name not in out}


def _kind(survey, name, explicit, skip=(), group_of=None) -> str | None:
    """The kind of one variable's chart, or None if it is not charted."""
    var, col = survey.codebook.get(name), survey.data[name]
    group = str((group_of or {}).get(name, "")).lower()
    if not explicit and (name in skip or var.group_role or var.role in _NOT_CHARTED):
        return None
    if (cats := _cats(col)) is not None:
        if len(cats) < 2 or (not explicit and (len(cats) > 12 or group in _SKIP_GROUPS)):
            return None
        return "binary" if len(cats) == 2 else "scale"
    if pd.api.types.is_numeric_dtype(col) and explicit:  # unlabelled: 0/1 or a number
        return "binary" if set(col.dropna().unique()) <= {0, 1} else "mean"
    return None


def _recoded(survey: Survey, names: list[str]) -> dict[str, str]:
    """Questions whose yes/no recode (a function of the answers) is in the file too: QN24, Q24."""
    codes, same, drop = {}, {}, {}
    for n in names:
        if ((c := survey.data[n].cat.codes.to_numpy()) >= 0).sum() >= _MIN_RECODE:
            codes[n] = c
            same.setdefault(np.packbits(c >= 0).tobytes(), []).append(n)
    for members in same.values():
        for i, b in enumerate(members):
            if set(np.unique(codes[b])) - {-1} == {0, 1}:  # the recode: both answers given
                for j, a in enumerate(members):
                    k = len(np.unique(codes[a]))
                    if a != b and (k > 3 or j < i) and len(np.unique(codes[a] * 3 + codes[b])) == k:
                        drop[a] = b
    return drop


def plan(
    survey: Survey, questions: Sequence[str] | None = None, weight: str | None = None
) -> list[Item]:
    """The questions of the standard set (or ``questions``: variables, multiple-response sets,
    codebook groups or patterns), by codebook group, else in codebook order."""
    cb, found, group_of = survey.codebook, roles(survey, weight), _group_of(survey)
    items: list[Item] = []
    for q in questions or []:
        matched = [n for n in survey.columns if fnmatch.fnmatchcase(n, q)]  # "q2*", "*tiktok*"
        if q in cb.mr_sets:
            items.append(_mr_item(survey, q, group_of))
        elif q in survey.data.columns:
            if not (kind := _kind(survey, q, True)):
                raise ConfigError(f"{q!r} cannot be charted: neither labelled nor numeric.")
            items += _batteries(survey, [(q, kind)], {})
        elif q in cb.groups or matched:
            names = [v for v in cb.groups.get(q, matched) if v in survey.data]
            kinds = [(n, k) for n in names if (k := _kind(survey, n, True))]
            items += _batteries(survey, kinds, group_of)
        else:
            known = _preview(list(cb.mr_sets) + list(cb.groups) + survey.columns)
            raise ConfigError(
                f"Unknown question {q!r} in {survey.source.path or 'this survey'}; "
                f"use a variable, multiple-response set or group: {known}."
            )
    if questions:
        return items
    skip = {found.age, found.gender, found.wave, found.weight, *cb.identifying}
    skip |= {v for s in cb.mr_sets.values() for v in s.variables}
    first = {s.variables[0]: s.name for s in cb.mr_sets.values() if s.variables}
    kinds = {n: k for n in survey.columns if (k := _kind(survey, n, False, skip, group_of))}
    recodes = _recoded(survey, list(kinds))
    kinds = {n: k for n, k in kinds.items() if n not in recodes}
    singles: list[tuple[str, str]] = []
    for name in survey.columns:
        if name in first:
            items += _batteries(survey, singles, group_of)
            items.append(_mr_item(survey, first[name], group_of))
            singles = []
        elif name in kinds:
            singles.append((name, kinds[name]))
    order: dict[Any, list[Item]] = {}  # a group's questions together, where it first appears
    for i, item in enumerate(items + _batteries(survey, singles, group_of)):
        order.setdefault(item.group or i, []).append(item)
        item.sources = [q for q, recode in recodes.items() if recode in item.names]
    return [item for members in order.values() for item in members]


def _mr_item(survey: Survey, name: str, group_of: dict[str, str]) -> Item:
    mr = survey.codebook.mr_sets[name]
    titles = {lang: mr.label_in(lang) for lang in LANGS}
    group = group_of.get(mr.variables[0]) if mr.variables else None
    return Item("mrset", [name], mr.label_in(None), titles=titles, group=group)


def _batteries(survey: Survey, kinds: list[tuple[str, str]], group_of: dict) -> list[Item]:
    """Neighbouring items with the same answers in the same group, joined into batteries."""
    runs: list[tuple[tuple, list[str]]] = []
    for name, kind in kinds:
        key = (kind, tuple(_cats(survey.data[name]) or ()), group_of.get(name))
        # separate questions stay separate: a battery shares a group (or a question stem)
        if runs and runs[-1][0] == key and kind not in ("mean", "categorical") and key[2]:
            runs[-1][1].append(name)
        else:
            runs.append((key, [name]))
    out = []
    for (kind, _, group), names in runs:
        ordinal = kind == "scale" and {survey.codebook.get(n).measure for n in names} == {"ordinal"}
        kind = "categorical" if kind == "scale" and not ordinal else kind
        size = 1 if kind in ("mean", "categorical") else _MAX_BATTERY  # one chart per question
        for i in range(0, len(names), size):
            out.append(_item(survey, kind, names[i : i + size], ordinal, group))
    return out


def _item(survey: Survey, kind: str, names: list[str], ordinal: bool, group: str | None) -> Item:
    """An Item titled per language by its question, a battery's shared stem, else its items."""
    titles = {}
    for lang in (None, *LANGS):
        labels = [survey.codebook.label(n, lang) for n in names]
        more = [i18n.t("more", lang, k=len(labels) - 3)] * (len(labels) > 3)
        titles[lang] = strip_common_prefix(labels)[1] or i18n.join(labels[:3] + more, lang)
    return Item(kind, names, titles.pop(None), ordinal, titles, group)


def _group_title(survey: Survey, group: str, lang: str) -> str:
    """A question group's name: its set's label, its questions' shared stem, else its name."""
    cb = survey.codebook
    if group in cb.mr_sets:
        return cb.mr_sets[group].label_in(lang)
    labels = [cb.label(n, lang) for n, g in _group_of(survey).items() if g == group]
    return strip_common_prefix(labels)[1] or str(group).replace("_", " ")


def _combine(parts: list[Result]) -> Result:
    """Stack Results of the same kind (items of a battery), merging their labels."""
    meta = parts[0].meta
    labels = {key: copy.deepcopy(getattr(meta, key)) for key in ("labels", "value_labels")}
    for p in parts[1:]:
        for key, merged in labels.items():
            for lang, table in getattr(p.meta, key).items():
                into = merged.setdefault(lang, {})
                for k, v in table.items():
                    into[k] = {**into.get(k, {}), **v} if isinstance(v, dict) else into.get(k, v)
        meta = meta.replace(
            variables=[*meta.variables, *p.meta.variables],
            notes=meta.notes + [n for n in p.meta.notes if n not in meta.notes],
            n_total=max([n for n in (meta.n_total, p.meta.n_total) if n is not None], default=None),
        )
    frame = pd.concat([pd.DataFrame(p) for p in parts], ignore_index=True)
    return Result.from_rows(frame, meta, **labels)


def _estimate(survey: Survey, item: Item, by: str | list[str] | None) -> Result:
    estimator = estimate.mean if item.kind == "mean" else estimate.share
    parts = [estimator(survey, n, by=by) for n in item.names]
    res = _combine(parts) if len(parts) > 1 else parts[0]
    if item.kind == "binary":  # the "yes" answer of each yes/no variable (else its last)
        keep = []
        for _, rows in pd.DataFrame(res).groupby("variable", sort=False):
            cats = list(dict.fromkeys(rows["category"].astype(str)))
            yes = next((c for c in cats if " ".join(c.split()).lower() in YES), cats[-1])
            keep += list(rows.index[rows["category"].astype(str) == yes])
        res = res.loc[sorted(keep)]
    if len(item.names) > 1 and item.titles:
        res.with_meta(title=dict(item.titles))
    if len(item.names) == len(item.sources) == 1 and not res.meta.short_labels:
        # a recode with a long label is headlined by its question's
        (q, r), label = item.sources + item.names, survey.codebook.label
        long = [k for k in LANGS if len(label(r, k)) > SUBJECT_MAX > len(label(q, k))]
        res.with_meta(short_labels={k: {r: label(q, k)} for k in long})
    counts = [survey.codebook.get(n).excluded_counts() for n in item.names + item.sources]
    if left_out := {a: k for c in counts for a, k in c.items()}:  # no answers: out of the base
        said = ", ".join(f"{a} ({k})" for a, k in left_out.items())
        res.with_meta(notes=[*res.meta.notes, i18n.both("not_counted", what=said)])
        if na := [a for a in left_out if does_not_apply(a)]:  # a subgroup, named where plain
            res.with_meta(population=applies_to(na))
    if getattr(survey.design, "strata", None) or getattr(survey.design, "cluster", None):
        w = res.meta.weighted  # the source line names the design used
        note = {k: (i18n.t("weighted", k) + "; ") * w + i18n.t("design_file", k) for k in LANGS}
        res.with_meta(source_note=note)
    return res


def _seen(res: Result) -> pd.DataFrame:
    return res[~(res["suppressed"].astype(bool) | res["estimate"].isna())]


def _left_out(not_shown: list | None, item: Item, by: str | None, why: str) -> None:
    """A question (by a breakdown) left out: on the closing slide, else in a warning."""
    if not_shown is not None:
        return not_shown.append((item, by, why))
    where = f"{item.title!r}{' by ' + by if by else ''}"
    warnings.warn(f"Left out {where}: {why}", YouthmediaWarning, stacklevel=3)


def results(
    survey: Survey, items: Sequence[Item], found: Roles, not_shown: Missing | None = None
) -> Computed:
    """Every item overall, by each breakdown (latest wave) and by wave; the rest: ``not_shown``."""
    out, wave = [], found.wave
    waves = _waves(survey, wave) if wave else []
    for item in items:
        trend = wave and (item.kind == "mrset" or (item.kind == "binary" and len(item.names) == 1))
        for by in [None, *found.by(), *([wave] if trend else [])]:
            latest = wave and by != wave  # by a breakdown in the latest wave asked
            try:
                res = _estimate(survey, item, [wave, *([by] if by else [])] if latest else by)
                res = _latest_wave(res, wave, waves) if latest else res
            except YouthmediaError as exc:
                _left_out(not_shown, item, by, str(exc))
                continue
            if not_shown is None or len(_seen(res)):
                out.append((item, by, res))
                continue
            _left_out(not_shown, item, by, f"n={int(np.nan_to_num(res['n'].max()))}")
            if by is None:
                break  # too few answers overall: no breakdowns either
    return out


def _wave_text(label: str) -> str:
    """``2023`` for a wave labelled 2023 or coded 2023.0."""
    number = pd.to_numeric(label, errors="coerce")
    return str(int(number)) if pd.notna(number) and float(number).is_integer() else label


def _waves(survey: Survey, wave: str) -> list[str]:
    """The waves that hold respondents, in time order (by number, else the codebook's order)."""
    col = survey.data[wave]
    present = list(dict.fromkeys(col.dropna().astype(object).map(str)))
    labels = [_wave_text(c) for c in (_cats(col) or present) if c in present]
    numbers = pd.to_numeric(pd.Series(labels, dtype=object), errors="coerce")
    order = numbers.sort_values(kind="stable").index if numbers.notna().all() else numbers.index
    return [labels[i] for i in order]


def _latest_wave(res: Result, wave: str, waves: list[str]) -> Result:
    """The latest wave with an estimate: its rows, its year in the source, a note naming it."""
    has = res["estimate"].notna() & res["n"].fillna(0).gt(0)
    years = {_wave_text(w): w for w in res.loc[has, wave].astype(object).map(str)}
    if not years:
        raise DataError(f"No answers in any {wave} for these questions.")
    year = max(years, key=lambda y: waves.index(y) if y in waves else -1)
    out = res.select(**{wave: years[year]})
    out.with_meta(source={**out.meta.source, "year": year})
    if len(waves) > 1:
        at = waves.index(year) if year in waves else len(waves) - 1
        key = "wave_asked" if at < len(waves) - 1 else "wave_latest"
        earlier = {k: i18n.t("waves_earlier", k, earlier=i18n.join(waves[:at], k)) for k in LANGS}
        note = {k: i18n.t(key, k, wave=year) + earlier[k] * bool(at) + "." for k in LANGS}
        out.with_meta(notes=[*out.meta.notes, note])
    return out


def _prepare(survey: Path_, weight: str | None, by=None) -> tuple[Survey, Roles]:
    """The survey loaded, its breakdowns named for charts, and weighted; what was found."""
    survey = survey if isinstance(survey, Survey) else load(survey)
    survey.require(*[n for n in [weight, *(by or [])] if n is not None])
    found = roles(survey, weight)
    found.breakdowns = None if by is None else list(by)
    variables = dict(survey.codebook.variables)  # "naar geslacht", not "naar ik ben een"
    for role, name in (("gender", found.gender), ("age", found.age)):
        if name is not None:
            variables[name] = new = copy.deepcopy(variables[name])
            for lang in LANGS:
                new.translations.setdefault(lang, {})["label"] = i18n.t(f"role_{role}", lang)
    survey = survey.replace(codebook=replace(survey.codebook, variables=variables))
    if found.weight and (survey.design is None or weight is not None):
        survey = survey.with_design(weight=found.weight)
    return survey, found


def _figures(item: Item, by: str | None, res: Result, found: Roles, lang: str) -> list:
    if by is not None and by == found.wave:
        if item.kind == "mrset" or len(item.names) > 1:  # the largest options of the last wave
            latest = res[res[by].astype(str) == res[by].astype(str).iloc[-1]]
            top = latest.sort_values("estimate", ascending=False)["variable"].head(_TREND_TOP)
            res = res[res["variable"].isin(list(top))]
        return [charts.trend(res, lang)]
    if item.kind == "scale" and item.ordinal:
        return [charts.diverging(res, lang)] if by is None or len(item.names) == 1 else []
    if by is None and item.kind == "binary" and len(item.names) == 1:
        return [charts.big_number(res, lang)]
    if by is None:
        return [charts.bars(res, lang, sort=False if item.kind == "categorical" else None)]
    if item.kind == "mrset" and by == found.age:
        return [charts.heatmap(res, lang)]
    dots = item.kind == "mrset" or (item.kind == "binary" and len(item.names) > 2)
    return [charts.grouped(res, lang, **({"style": "dots"} if dots else {}))]


def _computed(survey, questions, weight, by=None, not_shown=None, charts=True, verb=None):
    """The survey weighted, its roles, and the results to show (``charts``: two groups to see);
    with nothing to show nor anything left out, the error "no questions to ``verb``"."""
    survey, found = _prepare(survey, weight, by)
    items = plan(survey, questions, found.weight)
    if found.breakdowns is None and len(items) > _MANY:  # a usable deck: breakdowns by --by
        found.skipped, found.breakdowns = found.by(), []
    computed = results(survey, items, found, not_shown)
    # one output: no hidden cell may be recovered from another table (privacy.suppress_across)
    shown = privacy.suppress_across([res for _, _, res in computed])
    out = []
    for (item, by, _), res in zip(computed, shown, strict=True):
        seen = _seen(res)
        if charts and (seen.empty or (by and seen[by].nunique() < 2)):  # one group: no comparison
            _left_out(not_shown, item, by, "one_group" if len(seen) else "suppressed")
        else:
            out.append((item, by, res))
    if verb and not out and not not_shown:
        raise _nothing_to(verb, survey.source.path, survey.n)
    return survey, found, out


def _checked(out: Any, suffix: str, what: str, lang: str) -> tuple[Path, str]:
    """``out`` checked before any work (its suffix, a folder we can write), and ``lang``."""
    if Path(out).suffix.lower() != suffix:
        raise ConfigError(f"{out} should end in {suffix}; {what}.")
    return check_writable(out), i18n.check_lang(lang)


def _nothing_to(verb: str, where: Any, n: int | None = None) -> DataError:
    where, k = where or "this survey", privacy.DEFAULT_MIN_N
    if n is None or n >= k:
        return DataError(f"No questions to {verb} in {where}; name them with --questions.")
    return DataError(
        f"{where} holds {n} respondent(s): too few to {verb} anything (at least {k} are "
        "needed); collect more answers."
    )


def _deck_title(survey: Survey, lang: str) -> str:
    """The dataset's name (else the file's), unless written in another language than the deck's."""
    name = survey.source.name or survey.codebook.file_label
    if name and (survey.source.options or {}).get("language") in (None, lang):
        return str(name)
    path = survey.source.path  # a trainer's own file: its name, not a title about other things
    return Path(path).stem if path and not name else i18n.t("deck_title", lang)


def write_tables(
    survey: Path_, out: Any, lang: str = "nl", questions=None, weight=None, by=None
) -> Path:
    """Write the standard tables of ``survey`` (a Survey or a file) to the ``.xlsx`` ``out``, one
    sheet per table; ``questions``: variables, sets, codebook groups or patterns (``q2*``),
    default :func:`plan`'s; ``weight``: default the file's own; ``by``: the breakdowns (default
    gender and age band found)."""
    out, lang = _checked(out, ".xlsx", "the standard tables are an Excel workbook", lang)
    survey, _, computed = _computed(survey, questions, weight, by, charts=False, verb="tabulate")
    tables = {item.title_in(lang, b and res.label(b, lang)): res for item, b, res in computed}
    return write_xlsx(tables, out, lang=lang, title=_deck_title(survey, lang))


def _charts(computed: Computed, found: Roles, lang: str, not_shown: Missing | None):
    """Each result's figures, one at a time."""
    for item, by, res in computed:
        try:
            yield from _figures(item, by, res, found, lang)
        except YouthmediaError as exc:
            _left_out(not_shown, item, by, str(exc))


def build_figures(
    survey: Path_, lang: str = "nl", questions=None, weight=None, by=None, not_shown=None
) -> list:
    """The deck's figures; ``not_shown`` (a list) gets its closing slide's lines: what, and why."""
    missing: Missing | None = None if not_shown is None else []
    survey, found, computed = _computed(survey, questions, weight, by, missing)
    figures = list(_charts(computed, found, i18n.check_lang(lang), missing))
    if not_shown is not None:
        not_shown += _reasons(survey, missing, lang)
    return figures


def _listed(title: str, lines: list[str], lang: str) -> Any:
    """A text slide listing ``lines`` (the last of at most 12 counts the rest)."""
    if len(lines) > _LINES:  # the last line, a hint, stays
        hint = [] if lines[-1].startswith("•") else lines[-1:]
        k = len(lines) - _LINES + 1
        lines = lines[: _LINES - 1 - len(hint)] + [i18n.t("more_lines", lang, k=k)] + hint
    return Slide(title, body=lines, lang=lang)


def _slides(survey: Survey, found: Roles, computed: Computed, lang: str, missing: Missing):
    """The slides one at a time: contents, each group's opening slide, charts, not shown."""
    questions = list(dict.fromkeys((item.group, item.title_in(lang)) for item, _, _ in computed))
    groups = {g: [f"• {t}" for h, t in questions if h == g] for g, _ in questions if g}
    groups = {g: titles for g, titles in groups.items() if len(titles) > 1}
    names = {g: _group_title(survey, g, lang) for g in groups}
    big = len(computed) > 8
    if big:
        lines = list(dict.fromkeys(f"• {names.get(g) or t}" for g, t in questions))
        hint = i18n.t("breakdowns_hint", lang, by=" ".join(f"--by {b}" for b in found.skipped))
        yield _listed(i18n.t("contents", lang), lines + [hint] * bool(found.skipped), lang)
    gc.freeze()  # a collection then only looks at what the deck makes: quick after every chart
    try:
        for item, by, res in computed:
            if big and item.group in groups:
                yield _listed(names[item.group], groups.pop(item.group), lang)
            for fig in _charts([(item, by, res)], found, lang, missing):
                yield fig
                fig.clear()  # in the deck: its pixels go now (a figure is a reference cycle)
                gc.collect()
    finally:
        gc.unfreeze()
    if lines := _reasons(survey, missing, lang):
        yield _listed(i18n.t("not_shown_title", lang), lines, lang)


def _reasons(survey: Survey, missing: Missing, lang: str) -> list[str]:
    """A line for each question (by a breakdown) left out, and why."""
    lines = []
    for item, by, why in missing:
        key = why if why in ("one_group", "suppressed") else "few" if why[:2] == "n=" else "error"
        reason = i18n.t(f"not_shown_{key}", lang, n=why, k=privacy.DEFAULT_MIN_N)
        lines.append(f"• {item.title_in(lang, by and survey.codebook.label(by, lang))}: {reason}")
    return list(dict.fromkeys(lines))


def write_deck(
    file: Path_,
    out: Any,
    lang: str = "nl",
    questions=None,
    weight=None,
    theme=None,
    by=None,
    charts: str = "picture",
) -> Path:
    """Write the standard PowerPoint deck of a survey (or a published table's comparison deck) to
    the ``.pptx`` ``out``; the other arguments as in :func:`write_tables`, ``theme`` "light" or
    "dark", ``charts="native"`` for PowerPoint charts where they can. More than eight charts get
    a contents slide and an opening slide per question group; what is left out a line on a
    closing "not shown, and why" slide. Charts are drawn and written one at a time (memory flat
    in the number of slides)."""
    out, lang = _checked(out, ".pptx", "the deck is a PowerPoint file", lang)
    kw = {"lang": lang, "theme": theme, "charts": charts}
    if not isinstance(file, Survey) and is_published_table(file):  # figures from a report (#10)
        if weight:
            raise ConfigError(f"{file}: a published table has no weights; leave --weight out.")
        figs, title, subtitle = published_deck(load_table(file), lang, theme, questions)
        if not figs:
            raise _nothing_to("chart", file)
        return deck.write_deck(figs, out, title=title, subtitle=subtitle, **kw)
    missing: Missing = []
    survey, found, computed = _computed(file, questions, weight, by, missing, verb="chart")
    slides = _slides(survey, found, computed, lang, missing)
    return deck.write_deck(slides, out, title=_deck_title(survey, lang), **kw)
