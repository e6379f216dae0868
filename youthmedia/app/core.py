"""What the app page does, without widgets: open a file, say what was understood, save the
trainer's corrections as a codebook sidecar beside a copy, and make the slides and downloads.

Every call into the rest of youthmedia (``load``, the codebook, ``standard``, ``export``) is in
this module, so that the page (:mod:`youthmedia.app.page`) holds widgets only.

Examples
--------
>>> import tempfile
>>> from youthmedia.app.core import Session
>>> session = Session(tempfile.mkdtemp())                               # doctest: +SKIP
>>> seen = session.open_example("klas_enquete_forms.csv")              # doctest: +SKIP
>>> [(q.name, q.kind) for q in seen.questions][:2]                     # doctest: +SKIP
[('hoe_oud_ben_je', 'number'), ('ik_ben_een', 'single')]
>>> session.correct("hoe_tevreden_ben_je_over_de_tijd_die_je", kind="scale")  # doctest: +SKIP
>>> previews = session.slides(lang="en")                                # doctest: +SKIP
>>> deck = session.deck()                             # bytes of a .pptx  # doctest: +SKIP
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import ConfigError, DataError, YouthmediaError, YouthmediaWarning
from ..survey import Survey

__all__ = ["EXAMPLES", "KINDS", "Preview", "Question", "Session", "Understood", "kind_of"]

#: The kinds of question a trainer sees and can choose.
KINDS = ("single", "scale", "multi", "number", "text", "date")
#: Kinds a trainer can set (a date stays a date).
SETTABLE = ("single", "scale", "multi", "number", "text")
#: The codebook's role of a question (:mod:`youthmedia.io.roles`) -> its kind, and back.
_KIND_OF_ROLE = {"choice": "single", "scale": "scale", "multi": "multi", "number": "number",
                 "text": "text", "date": "date"}
_ROLE_OF_KIND = {k: r for r, k in _KIND_OF_ROLE.items()}
#: The bundled examples a trainer can pick (files in ``data/``).
EXAMPLES = ("klas_enquete_forms.csv", "youth_social_media_demo.sav")
_EXCLUDED = "excluded by the trainer in the app"
_THUMB_DPI = 40
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Question:
    """One question as the page shows it: name, label, kind, answers in order, how many
    answered, whether it is charted by default, and the non-answers not counted ("weet niet")."""

    name: str
    label: str
    kind: str
    answers: tuple[str, ...] = ()
    n: int = 0
    charted: bool = False
    not_counted: tuple[str, ...] = ()


@dataclass(frozen=True)
class Understood:
    """What was understood of a file: questions, breakdowns (role -> variable), the weight,
    the left-out identifying columns (name, label, reason) and the groups too small to show."""

    file: str
    n: int
    questions: tuple[Question, ...]
    breakdowns: dict[str, str]
    weight: str | None
    identifying: tuple[tuple[str, str, str], ...]
    small_groups: dict[str, tuple[str, ...]]
    min_n: int
    warnings: tuple[str, ...] = ()


@dataclass
class Preview:
    """One slide: its figure, headline (editable) and a small PNG."""

    figure: Any
    headline: str
    png: bytes
    by: str | None = None


def kind_of(survey: Survey, name: str) -> str:
    """The kind of a question as the codebook's role says it (decided at load): ``multi`` for a
    multiple-response set, ``scale`` for ordered answers, ``single`` for other answers,
    ``number``, ``date`` or ``text``; without a role, from the measure and the column.

    Examples
    --------
    >>> import pandas as pd
    >>> s = Survey(pd.DataFrame({"x": [1.5, 2.0]}))
    >>> kind_of(s, "x")
    'number'
    """
    cb = survey.codebook
    if name in cb.mr_sets:
        return "multi"
    var, col = cb.get(name), survey.data[name]
    if var.role in _KIND_OF_ROLE:
        return _KIND_OF_ROLE[var.role]
    if var.type in ("date", "datetime", "time") or pd.api.types.is_datetime64_any_dtype(col):
        return "date"
    if isinstance(col.dtype, pd.CategoricalDtype) or var.value_labels:
        return "scale" if var.measure == "ordinal" else "single"
    if pd.api.types.is_numeric_dtype(col):
        return "scale" if var.measure == "ordinal" else "number"
    return "text"


def _answers(survey: Survey, name: str) -> tuple[str, ...]:
    cb = survey.codebook
    if name in cb.mr_sets:
        return tuple(cb.label(v) for v in cb.mr_sets[name].variables)
    col = survey.data[name]
    if isinstance(col.dtype, pd.CategoricalDtype):
        return tuple(str(c) for c in col.cat.categories)
    return tuple(str(v) for v in cb.get(name).value_labels.values())


def _answered(survey: Survey, name: str) -> int:
    cb = survey.codebook
    if name in cb.mr_sets:
        return int(survey.data[cb.mr_sets[name].variables].notna().any(axis=1).sum())
    return int(survey.data[name].notna().sum())


def understand(survey: Survey, shown: str | None = None, notes: Sequence[str] = ()) -> Understood:
    """What the page shows of ``survey`` (see :class:`Understood`).

    Questions are the multiple-response sets and every variable that is not identifying, not a
    set member and not a breakdown or weight, in file order; ``charted`` marks those of the
    standard deck (:func:`youthmedia.standard.plan`).
    """
    from .. import standard
    from ..privacy import get_thresholds

    cb = survey.codebook
    found = standard.roles(survey)
    breakdowns = {k: v for k, v in (("gender", found.gender), ("age", found.age),
                                    ("wave", found.wave)) if v}
    planned = {n for item in standard.plan(survey, weight=found.weight) for n in item.names}
    in_set = {v: s for s in cb.mr_sets.values() for v in s.variables}
    skip = {*breakdowns.values(), found.weight, *cb.identifying,
            *(v.name for v in cb if v.group_role or v.design_role or v.role == "design")}
    min_n = get_thresholds().min_n
    questions, seen = [], set()
    for name in survey.columns:
        key = in_set[name].name if name in in_set else name
        if key in seen or name in skip:
            continue
        seen.add(key)
        questions.append(Question(key, cb.label(key), kind_of(survey, key), _answers(survey, key),
                                  _answered(survey, key), key in planned,
                                  tuple(cb.get(key).excluded_answers or ())))
    small = {}
    for var in breakdowns.values():
        counts = survey.data[var].value_counts(sort=False)   # in the answers' order
        small[var] = tuple(str(k) for k, c in counts.items() if 0 < c < min_n)
    ident = tuple((v.name, v.label or v.name, v.identifying_reason or "") for v in cb
                  if v.identifying)
    return Understood(shown or survey.source.display_name, survey.n, tuple(questions), breakdowns,
                      found.weight, ident, small, min_n, tuple(notes))


def _load(path: Path) -> tuple[Survey, list[str]]:
    """``load(path)``, with youthmedia's warnings collected as lines."""
    from ..io import load

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", YouthmediaWarning)
        survey = load(path)
    return survey, [str(w.message) for w in caught if issubclass(w.category, YouthmediaWarning)]


def _safe_name(name: str) -> str:
    """A file name without folders or odd characters (an upload names its own file)."""
    base = Path(str(name).replace("\\", "/")).name
    base = re.sub(r"[^\w.\- ]+", "_", base).strip(" .")
    if not base or "." not in base:
        raise DataError(f"{name!r} is not a file name with an extension such as .sav, .csv or "
                        ".xlsx; give the file its extension and upload it again.")
    return base


class Session:
    """One trainer's work: the copy of the file in ``workdir``, its survey, corrections,
    chosen questions and slides. Nothing is written outside ``workdir``.

    Parameters
    ----------
    workdir : path
        A temporary folder of the app (removed when the app stops).
    """

    def __init__(self, workdir: str | Path) -> None:
        self.workdir = Path(workdir)
        self.survey: Survey | None = None
        self.copy: Path | None = None
        self.shown = ""
        self.previews: list[Preview] = []
        self.lang = "nl"
        self.questions: list[str] | None = None
        self.breakdowns: list[str] | None = None
        self._uploads = 0

    # -- opening ---------------------------------------------------------------------------------
    def open_bytes(self, data: bytes, name: str, progress: Progress | None = None) -> Understood:
        """Open an uploaded file: its bytes are written to a new folder in ``workdir``."""
        target = self._new_folder() / _safe_name(name)
        target.write_bytes(data)
        return self._open(target, Path(name).name, progress)

    def open_example(self, name: str, progress: Progress | None = None) -> Understood:
        """Open a bundled example (one of :data:`EXAMPLES`), copied with its sidecar."""
        from ..io.sidecar import find_sidecar

        if name not in EXAMPLES:
            raise ConfigError(f"{name!r} is not a bundled example; choose one of "
                              f"{', '.join(EXAMPLES)}.")
        source = Path(__file__).resolve().parents[2] / "data" / name   # the repository's data/
        folder = self._new_folder()
        shutil.copyfile(source, folder / name)
        sidecar = find_sidecar(source)
        if sidecar is not None:
            shutil.copyfile(sidecar, folder / sidecar.name)
        return self._open(folder / name, name, progress)

    def _new_folder(self) -> Path:
        self._uploads += 1
        folder = self.workdir / f"upload-{self._uploads}"
        folder.mkdir(parents=True, exist_ok=False)
        return folder

    @contextmanager
    def _named(self, path: Path | None = None, shown: str | None = None) -> Iterator[None]:
        """A YouthmediaError naming the copy (or its folder) names the trainer's file instead."""
        path, shown = path or self.copy, shown or self.shown
        try:
            yield
        except YouthmediaError as exc:
            text = str(exc)
            if path is not None:
                text = text.replace(str(path), shown).replace(str(path.parent) + os.sep, "")
            raise type(exc)(text) from None

    def _open(self, path: Path, shown: str, progress: Progress | None) -> Understood:
        step = progress or (lambda _f, _t: None)
        step(0.1, "read")
        with self._named(path, shown):
            survey, notes = _load(path)
        step(0.6, "understand")
        self.survey, self.copy, self.shown, self.previews = survey, path, shown, []
        self.questions = self.breakdowns = None
        seen = understand(survey, shown, notes)
        step(1.0, "done")
        return seen

    def understood(self) -> Understood:
        """What was understood of the open file."""
        return understand(self._survey(), self.shown)

    def _survey(self) -> Survey:
        if self.survey is None:
            raise ConfigError("No file is open yet; drop a file or pick an example first.")
        return self.survey

    # -- corrections -----------------------------------------------------------------------------
    def correct(self, name: str, kind: str | None = None, order: Sequence[str] | None = None,
                exclude: bool | None = None) -> Understood:
        """Correct one question's kind, answer order or exclusion.

        The correction is merged into the codebook sidecar beside the copy
        (``<copy>.codebook.yaml``) and the copy is loaded again with it; the original file is
        never touched.
        """
        survey = self._survey()
        assert self.copy is not None
        with self._named():
            return self._correct(survey, name, kind, order, exclude)

    def _correct(self, survey: Survey, name: str, kind: str | None, order: Sequence[str] | None,
                 exclude: bool | None) -> Understood:
        assert self.copy is not None
        entry = self._entry(survey, name, kind, order, exclude)
        spec = _read_spec(self.copy)
        variables = spec.setdefault("variables", {})
        before = dict(variables.get(name) or {})
        variables[name] = {**before, **entry}
        _write_spec(self.copy, spec)
        try:
            survey, notes = _load(self.copy)
        except YouthmediaError:  # the sidecar as it was: the page keeps working
            variables[name] = before
            _write_spec(self.copy, spec)
            raise
        self.survey, self.previews = survey, []
        return understand(survey, self.shown, notes)

    def _entry(self, survey: Survey, name: str, kind: str | None, order: Sequence[str] | None,
               exclude: bool | None) -> dict[str, Any]:
        if name not in survey.codebook and name not in survey.codebook.mr_sets:
            survey.require(name)
        entry: dict[str, Any] = {}
        if exclude is not None:
            entry["identifying"] = bool(exclude)
            if exclude:
                entry["identifying_reason"] = _EXCLUDED
        if kind is not None:
            if kind not in SETTABLE:
                raise ConfigError(f"Kind {kind!r} cannot be chosen; choose one of "
                                  f"{', '.join(SETTABLE)}.")
            entry.update(_kind_entry(survey, name, kind))
        if order:
            known = _answers(survey, name)
            unknown = [a for a in order if a not in known]
            if unknown or len(set(order)) != len(order):
                raise ConfigError(f"The answer order of {name!r} must name each of its answers "
                                  f"once ({' | '.join(known)}); {unknown[:1] or 'a repeat'} is "
                                  "not one of them.")
            entry["order"] = list(order)
            scale = (kind or kind_of(survey, name)) == "scale"
            entry.setdefault("measure", "ordinal" if scale else "nominal")
        return entry

    # -- slides and downloads --------------------------------------------------------------------
    def slides(self, questions: Sequence[str] | None = None, breakdowns: Sequence[str] | None = None,
               lang: str = "nl", progress: Progress | None = None) -> list[Preview]:
        """Make the slides of the chosen questions (default: the standard set) with the chosen
        breakdowns (variables; default: all found), and a small PNG of each."""
        from .. import i18n, standard
        from ..figures.frame import notebook_png

        survey = self._survey()
        self.lang = i18n.check_lang(lang)
        self.questions = list(questions) if questions else None
        self.breakdowns = None if breakdowns is None else list(breakdowns)
        step = progress or (lambda _f, _t: None)
        step(0.05, "compute")
        with warnings.catch_warnings(), self._named():
            warnings.simplefilter("ignore", YouthmediaWarning)
            figs = standard.build_figures(survey, self.lang, self.questions)
        figs = [f for f in figs if self._shown_by(_by_of(f))]
        if not figs:
            raise DataError(f"No slides to make from {self.shown}: choose other questions, or "
                            "correct their kind (numbers, scales and answers can be charted).")
        self.previews = []
        for i, fig in enumerate(figs, start=1):
            step(0.3 + 0.7 * i / len(figs), "draw")
            self.previews.append(Preview(fig, fig.slide.headline,
                                         notebook_png(fig, _THUMB_DPI), _by_of(fig)))
        return self.previews

    def _shown_by(self, by: str | None) -> bool:
        return by is None or self.breakdowns is None or by in self.breakdowns

    def set_headline(self, index: int, text: str) -> Preview:
        """Give slide ``index`` (from 0) a headline of the trainer's own."""
        preview = self._previews()[index]
        text = " ".join(str(text).split())
        if text and text != preview.headline:
            from ..figures.frame import notebook_png

            replace_headline(preview.figure, text)
            preview.headline = text
            preview.png = notebook_png(preview.figure, _THUMB_DPI)
        return preview

    def _previews(self) -> list[Preview]:
        if not self.previews:
            raise ConfigError("There are no slides yet; make the slides first.")
        return self.previews

    def _stem(self) -> str:
        return re.sub(r"\W+", "_", Path(self.shown).stem).strip("_") or "youthmedia"

    def deck(self) -> tuple[str, bytes]:
        """The deck (.pptx) of the slides: (file name, bytes)."""
        from ..export import write_deck

        figs = [p.figure for p in self._previews()]
        out = self._out(".pptx")
        write_deck(figs, out, title=self._survey().source.display_name, lang=self.lang)
        return out.name, out.read_bytes()

    def workbook(self) -> tuple[str, bytes]:
        """The tables of the slides' questions and breakdowns (.xlsx): (file name, bytes)."""
        from .. import standard
        from ..export import write_xlsx

        survey = self._survey()
        found = standard.roles(survey)
        if found.weight and survey.design is None:
            survey = survey.with_design(weight=found.weight)
        with warnings.catch_warnings(), self._named():
            warnings.simplefilter("ignore", YouthmediaWarning)
            items = standard.plan(survey, self.questions, found.weight)
            computed = standard.results(survey, items, found)
        tables = {}
        for item, by, res in computed:
            if self._shown_by(by):
                title = item.titles.get(self.lang) or item.title
                tables[title + (f" – {res.label(by, self.lang)}" if by else "")] = res
        if not tables:
            raise DataError(f"No tables to make from {self.shown}; choose other questions.")
        out = self._out(".xlsx")
        write_xlsx(tables, out, lang=self.lang, title=survey.source.display_name)
        return out.name, out.read_bytes()

    def figures_zip(self) -> tuple[str, bytes]:
        """Every slide as PNG and SVG with its alt text (.txt), in one .zip: (name, bytes)."""
        from ..export import save_figure

        folder = Path(tempfile.mkdtemp(dir=self.workdir))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for i, p in enumerate(self._previews(), start=1):
                for path in [*save_figure(p.figure, folder / f"slide_{i:02d}", formats=("png", "svg")),
                             folder / f"slide_{i:02d}.txt"]:
                    info = zipfile.ZipInfo(path.name, date_time=(1980, 1, 1, 0, 0, 0))
                    info.compress_type = zipfile.ZIP_DEFLATED
                    zf.writestr(info, path.read_bytes())
        shutil.rmtree(folder, ignore_errors=True)
        return f"{self._stem()}_{self.lang}_figures.zip", buf.getvalue()

    def _out(self, suffix: str) -> Path:
        folder = self.workdir / "out"
        folder.mkdir(exist_ok=True)
        return folder / f"{self._stem()}_{self.lang}{suffix}"


def _by_of(fig: Any) -> str | None:
    """The breakdown variable of a slide's figure (None when it shows everyone)."""
    res = getattr(getattr(fig, "slide", None), "result", None)
    cols = [] if res is None else list(res.columns)
    return cols[0] if cols and "variable" in cols and cols.index("variable") > 0 else None


def _kind_entry(survey: Survey, name: str, kind: str) -> dict[str, Any]:
    """The sidecar lines that make ``name`` a question of ``kind``: its ``role``, and the
    measure and answers that the role needs."""
    in_set = name in survey.codebook.mr_sets
    if in_set and kind not in ("multi", "text"):
        raise ConfigError(f"{name!r} holds several answers per respondent; it can be a "
                          "multiple-answer question or free text.")
    if kind == "multi" and not in_set and pd.api.types.is_numeric_dtype(survey.data[name]):
        raise ConfigError(f"{name!r} holds one number per respondent, not several answers; "
                          "it can be a number, a scale or a single choice.")
    if in_set or kind == "multi":
        return {"role": _ROLE_OF_KIND[kind]}
    return {"role": _ROLE_OF_KIND[kind], **_measure_entry(survey, name, kind)}


def _measure_entry(survey: Survey, name: str, kind: str) -> dict[str, Any]:
    col, var = survey.data[name], survey.codebook.get(name)
    labelled = isinstance(col.dtype, pd.CategoricalDtype) or bool(var.value_labels)
    if kind == "number":
        if not pd.api.types.is_numeric_dtype(col):
            raise DataError(f"{name!r} holds text answers, not numbers; it cannot be a number "
                            "question.")
        return {"measure": "scale", "values": {}} if labelled else {"measure": "scale"}
    if kind == "text":
        return {}
    entry: dict[str, Any] = {"measure": "ordinal" if kind == "scale" else "nominal"}
    if not labelled:
        values = sorted(col.dropna().unique().tolist())
        if len(values) > 12:
            raise DataError(f"{name!r} has {len(values)} different answers; a question with "
                            "answers has at most 12. Leave it a number or text.")
        entry["values"] = {_plain(v): str(_plain(v)) for v in values}
    return entry


def _plain(value: Any) -> Any:
    value = value.item() if hasattr(value, "item") else value
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _read_spec(copy: Path) -> dict[str, Any]:
    from ..io.sidecar import find_sidecar, load_yaml

    found = find_sidecar(copy)
    spec = load_yaml(found, "correct it or remove it") if found else None
    return dict(spec or {})


def _write_spec(copy: Path, spec: dict[str, Any]) -> Path:
    import yaml

    from ..files import atomic_write
    from ..io.sidecar import find_sidecar

    target = find_sidecar(copy) or copy.with_name(copy.stem + ".codebook.yaml")
    text = yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)
    return atomic_write(target, text)



def replace_headline(fig: Any, text: str) -> None:
    """Put ``text`` as the headline drawn on ``fig`` (and in its alt text and speaker notes).

    The plot keeps its place: a headline longer than the old one is set in a smaller font (down
    to 70%) to fit the lines the old one had, and only then shortened with an ellipsis.
    """
    from ..figures.frame import wrap

    slide = fig.slide
    old = slide.headline
    artist = next((t for t in fig.texts if t.get_gid() == "youthmedia-headline"), None)
    if artist is not None:
        lines = max(1, len(artist.get_text().split("\n")))
        size, family = artist.get_fontsize(), artist.get_fontfamily()[0]
        x0 = artist.get_position()[0]
        width = (1 - 2 * x0) * fig.get_figwidth() * 72
        logo = [a for a in fig.axes if a.get_gid() == "youthmedia-logo"]
        if logo:
            width -= (logo[0].get_position().width * fig.get_figwidth() + 0.25) * 72
        for scale in (1.0, 0.9, 0.8, 0.7):
            wrapped = wrap(text, width, size * scale, family, "bold")
            if len(wrapped) <= lines:
                break
        else:
            wrapped = wrap(text, width, size * scale, family, "bold", max_lines=lines)
        artist.set_text("\n".join(wrapped))
        artist.set_fontsize(size * scale)
    fig.slide = slide.with_texts(
        headline=text, **{attr: getattr(slide, attr).replace(old, text)
                          for attr in ("alt_text", "notes") if old and old in getattr(slide, attr)})
