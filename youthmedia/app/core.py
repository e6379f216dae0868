"""What the app page does, without widgets: open a file, say what was understood, save the
trainer's corrections as a codebook sidecar beside a copy, make the slides and the downloads.

Examples
--------
>>> import tempfile
>>> from youthmedia.app.core import Session
>>> session = Session(tempfile.mkdtemp())
>>> seen = session.open_example("klas_enquete_forms.csv")
>>> seen.n, seen.breakdowns
(29, {'gender': 'ik_ben_een', 'age': 'age_band'})
>>> session.correct("hoe_tevreden_ben_je_over_de_tijd_die_je", kind="scale").n
29
>>> previews = session.slides(lang="en")                                # doctest: +SKIP
>>> name, blob = session.deck()                                          # doctest: +SKIP
"""

from __future__ import annotations

import io
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

from .. import i18n
from ..errors import ConfigError, DataError, YouthmediaError, YouthmediaWarning
from ..survey import Survey

__all__ = ["EXAMPLES", "SETTABLE", "Preview", "Question", "Session", "Understood", "kind_of"]

#: The kinds a trainer can set (a date stays a date).
SETTABLE = ("single", "scale", "multi", "number", "text")
#: The codebook's role of a question (:mod:`youthmedia.io.roles`) -> its kind on the page.
_KIND_OF_ROLE = {"choice": "single", **{k: k for k in ("scale", "multi", "number", "text", "date")}}
_ROLE_OF_KIND = {k: r for r, k in _KIND_OF_ROLE.items()}
#: The bundled examples a trainer can pick (files in ``data/``).
EXAMPLES = ("klas_enquete_forms.csv", "youth_social_media_demo.sav")
_DATA = Path(__file__).resolve().parents[2] / "data"
_EXCLUDED = "left out by the trainer in the app"  # translated by i18n.reason
_THUMB_DPI = 40
Progress = Callable[[float, str], None]


def _quiet(_fraction: float, _key: str) -> None:
    """No progress shown."""


@dataclass(frozen=True)
class Question:
    """One question on the page: name, label, kind, answers in order, how many answered,
    whether the standard deck charts it, and the non-answers not counted ("weet niet")."""

    name: str
    label: str
    kind: str
    answers: tuple[str, ...] = ()
    n: int = 0
    charted: bool = False
    not_counted: tuple[str, ...] = ()


@dataclass(frozen=True)
class Understood:
    """What was understood of a file: its questions, breakdowns (role -> variable), weight,
    the identifying columns left out (name, label, reason) and the groups too small to show."""

    file: str
    n: int
    questions: tuple[Question, ...]
    breakdowns: dict[str, str]
    weight: str | None
    identifying: tuple[tuple[str, str, str], ...]
    small_groups: dict[str, tuple[str, ...]]
    min_n: int


@dataclass
class Preview:
    """One slide: its figure (whose ``slide`` holds the texts), a small PNG without the
    headline, and its breakdown variable (None for everyone)."""

    figure: Any
    png: bytes
    by: str | None = None

    @property
    def headline(self) -> str:
        """The slide's headline (the trainer's own after :meth:`Session.set_headline`)."""
        return str(self.figure.slide.headline)


def kind_of(survey: Survey, name: str) -> str:
    """The kind of a question from its role (decided at load): ``multi`` for a multiple-answer
    set, ``single``, ``scale``, ``number``, ``date`` or ``text``.

    Examples
    --------
    >>> kind_of(Survey(pd.DataFrame({"x": [1.5, 2.0]})), "x")
    'number'
    """
    if name in survey.codebook.mr_sets:
        return "multi"
    role = survey.codebook.get(name).role
    numeric = pd.api.types.is_numeric_dtype(survey.data[name])
    return _KIND_OF_ROLE.get(role or "") or ("number" if numeric else "text")


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
    cols = cb.mr_sets[name].variables if name in cb.mr_sets else [name]
    return int(survey.data[cols].notna().any(axis=1).sum())


def _question(survey: Survey, key: str, charted: bool) -> Question:
    cb = survey.codebook
    kind, answers, n = kind_of(survey, key), _answers(survey, key), _answered(survey, key)
    not_counted = tuple(cb.get(key).excluded_answers or ())
    return Question(key, cb.label(key), kind, answers, n, charted, not_counted)


def understand(survey: Survey, shown: str) -> Understood:
    """What the page shows of ``survey``: every multiple-answer set and every variable that is
    not identifying, a set member, a breakdown or a design variable, in file order."""
    from .. import standard
    from ..privacy import get_thresholds

    cb = survey.codebook
    found = standard.roles(survey)
    breakdowns = {r: getattr(found, r) for r in ("gender", "age", "wave") if getattr(found, r)}
    planned = {n for item in standard.plan(survey, weight=found.weight) for n in item.names}
    in_set = {v: s.name for s in cb.mr_sets.values() for v in s.variables}
    skip = {*breakdowns.values(), found.weight, *cb.identifying}
    skip |= {v.name for v in cb if v.group_role or v.design_role or v.role == "design"}
    min_n = get_thresholds().min_n
    names = dict.fromkeys(in_set.get(n, n) for n in survey.columns if n not in skip)
    questions = tuple(_question(survey, key, key in planned) for key in names)
    small = {}
    for var in breakdowns.values():
        counts = survey.data[var].value_counts(sort=False)  # in the answers' order
        small[var] = tuple(str(k) for k, c in counts.items() if 0 < c < min_n)
    ident = tuple(
        (v.name, v.label or v.name, v.identifying_reason or "") for v in cb if v.identifying
    )
    return Understood(shown, survey.n, questions, breakdowns, found.weight, ident, small, min_n)


def _safe_name(name: str) -> str:
    """A file name without folders or odd characters (an upload names its own file)."""
    base = re.sub(r"[^\w.\- ]+", "_", Path(str(name).replace("\\", "/")).name).strip(" .")
    if "." not in base:
        raise DataError(
            f"{name!r} is not a file name with an extension such as .sav, .csv or "
            ".xlsx; give the file its extension and upload it again."
        )
    return base


def thumbnail(fig: Any) -> bytes:
    """A small PNG of a slide's figure below its headline (the page shows that as text)."""
    from PIL import Image

    from ..figures.frame import notebook_png

    head = [t for t in fig.texts if t.get_gid() == "youthmedia-headline" and t.get_visible()]
    for t in head:
        t.set_visible(False)
    try:
        png = notebook_png(fig, _THUMB_DPI)
    finally:
        for t in head:
            t.set_visible(True)
    if not head:
        return png
    image = Image.open(io.BytesIO(png))
    below = 1 - head[0].get_window_extent().y0 / (fig.get_figheight() * fig.dpi)
    buf = io.BytesIO()
    image.crop((0, int(below * image.height), *image.size)).save(buf, "png")
    return buf.getvalue()


def warm() -> None:
    """Import what the slides need, so that the first upload does not wait for it."""
    import youthmedia.export  # noqa: F401
    import youthmedia.figures.charts  # noqa: F401
    import youthmedia.standard  # noqa: F401


class Session:
    """One trainer's work: a copy of the file in ``workdir`` (a temporary folder of the app;
    nothing is written outside it), its survey, corrections, choices and slides."""

    def __init__(self, workdir: str | Path) -> None:
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.survey: Survey | None = None
        self.copy: Path | None = None
        self.shown = ""
        self.previews: list[Preview] = []
        self.lang = "nl"
        self.questions: list[str] | None = None
        self.breakdowns: list[str] | None = None

    # -- opening ---------------------------------------------------------------------------------
    def open_bytes(self, data: bytes, name: str, progress: Progress = _quiet) -> Understood:
        """Open an uploaded file: its bytes go to a new folder in ``workdir``."""
        target = self._folder() / _safe_name(name)
        target.write_bytes(data)
        return self._open(target, Path(name).name, progress)

    def open_example(self, name: str, progress: Progress = _quiet) -> Understood:
        """Open a bundled example (one of :data:`EXAMPLES`), copied with its sidecar."""
        from ..io.sidecar import find_sidecar

        if name not in EXAMPLES:
            raise ConfigError(
                f"{name!r} is not a bundled example; choose one of {', '.join(EXAMPLES)}."
            )
        folder = self._folder()
        for source in (_DATA / name, find_sidecar(_DATA / name)):
            if source is not None:
                shutil.copyfile(source, folder / source.name)
        return self._open(folder / name, name, progress)

    def _folder(self) -> Path:
        return Path(tempfile.mkdtemp(prefix="upload-", dir=self.workdir))

    @contextmanager
    def _named(self, path: Path | None = None, shown: str = "") -> Iterator[None]:
        """A YouthmediaError naming the copy (or its folder) names the trainer's file instead;
        youthmedia's warnings are not shown (the page says what matters itself)."""
        path, shown = path or self.copy, shown or self.shown
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", YouthmediaWarning)
                yield
        except YouthmediaError as exc:
            text = str(exc)
            if path is not None:
                text = text.replace(str(path), shown).replace(f"{path.parent}/", "")
            raise type(exc)(text) from None

    def _open(self, path: Path, shown: str, progress: Progress) -> Understood:
        from ..io import load

        progress(0.1, "app_read")
        with self._named(path, shown):
            survey = load(path)
        self.survey, self.copy, self.shown, self.previews = survey, path, shown, []
        self.questions = self.breakdowns = None
        seen = understand(survey, shown)
        progress(1.0, "app_done")
        return seen

    def understood(self) -> Understood:
        """What was understood of the open file."""
        return understand(self._survey(), self.shown)

    def _survey(self) -> Survey:
        if self.survey is None:
            raise ConfigError("No file is open yet; drop a file or pick an example first.")
        return self.survey

    # -- corrections -----------------------------------------------------------------------------
    def correct(
        self,
        name: str,
        kind: str | None = None,
        order: Sequence[str] | None = None,
        exclude: bool | None = None,
    ) -> Understood:
        """Correct one question's kind, answer order or exclusion.

        The correction is merged into the codebook sidecar beside the copy
        (``<copy>.codebook.yaml``) and the copy is loaded again with it; the original file is
        never touched. A correction the sidecar refuses leaves the sidecar as it was.
        """
        from ..io import load
        from ..io.sidecar import find_sidecar, load_yaml

        survey, copy = self._survey(), self.copy
        assert copy is not None
        with self._named():
            entry = _entry(survey, name, kind, order, exclude)
            sidecar = find_sidecar(copy) or copy.with_name(f"{copy.stem}.codebook.yaml")
            before = sidecar.read_text(encoding="utf-8") if sidecar.exists() else None
            spec = dict(load_yaml(sidecar, "correct it or remove it") or {}) if before else {}
            variables = spec.setdefault("variables", {})
            variables[name] = {**(variables.get(name) or {}), **entry}
            _write_yaml(sidecar, spec)
            try:
                self.survey = load(copy)
            except YouthmediaError:
                if before is None:
                    sidecar.unlink()
                else:
                    _write_yaml(sidecar, before)
                raise
        self.previews = []
        return understand(self.survey, self.shown)

    # -- slides and downloads --------------------------------------------------------------------
    def slides(
        self,
        questions: Sequence[str] | None = None,
        breakdowns: Sequence[str] | None = None,
        lang: str = "nl",
        progress: Progress = _quiet,
        shown: Callable[[Preview], None] | None = None,
    ) -> list[Preview]:
        """Make the slides of the chosen questions (default: the standard set) by the chosen
        breakdown variables (default: all found), each with a small PNG; ``shown(preview)`` is
        called as each is ready."""
        from .. import standard

        survey = self._survey()
        self.lang = i18n.check_lang(lang)
        self.questions = list(questions) if questions else None
        self.breakdowns = None if breakdowns is None else list(breakdowns)
        progress(0.05, "app_compute")
        with self._named():
            figs = standard.build_figures(survey, self.lang, self.questions, by=self._by())
        figs = [f for f in figs if self._shown_by(_by_of(f))]
        if not figs:
            raise DataError(
                f"No slides to make from {self.shown}: choose other questions, or "
                "correct their kind (numbers, scales and answers can be charted)."
            )
        self.previews = []
        for i, fig in enumerate(figs, start=1):
            progress(0.3 + 0.7 * i / len(figs), "app_draw")
            self.previews.append(Preview(fig, thumbnail(fig), _by_of(fig)))
            if shown is not None:
                shown(self.previews[-1])
        return self.previews

    def _shown_by(self, by: str | None) -> bool:
        return by is None or self.breakdowns is None or by in self.breakdowns

    def _by(self) -> list[str] | None:
        """The chosen breakdowns but the wave (``standard`` always shows a trend by wave)."""
        from .. import standard

        wave = standard.roles(self._survey()).wave
        return None if self.breakdowns is None else [b for b in self.breakdowns if b != wave]

    def set_headline(self, index: int, text: str) -> Preview:
        """Give slide ``index`` (from 0) a headline of the trainer's own."""
        preview = self._previews()[index]
        text = " ".join(str(text).split())
        if text and text != preview.headline:
            replace_headline(preview.figure, text)
        return preview

    def _previews(self) -> list[Preview]:
        if not self.previews:
            raise ConfigError("There are no slides yet; make the slides first.")
        return self.previews

    def _name(self, suffix: str) -> str:
        stem = re.sub(r"\W+", "_", Path(self.shown).stem).strip("_") or "youthmedia"
        return f"{stem}_{self.lang}{suffix}"

    def _out(self, suffix: str) -> Path:
        return Path(tempfile.mkdtemp(prefix="out-", dir=self.workdir)) / self._name(suffix)

    def deck(self) -> tuple[str, bytes]:
        """The deck (.pptx) of the slides, with the trainer's headlines: (file name, bytes)."""
        from ..export import write_deck

        out, title = self._out(".pptx"), self._survey().source.display_name
        write_deck([p.figure for p in self._previews()], out, title=title, lang=self.lang)
        return out.name, out.read_bytes()

    def workbook(self) -> tuple[str, bytes]:
        """The tables of the chosen questions and breakdowns (.xlsx): (file name, bytes)."""
        from .. import standard

        out = self._out(".xlsx")
        with self._named():
            standard.write_tables(self._survey(), out, self.lang, self.questions, by=self._by())
        return out.name, out.read_bytes()

    def figures_zip(self) -> tuple[str, bytes]:
        """Every slide as PNG and SVG with its alt text (.alt.txt), in one .zip: (name, bytes)."""
        from ..export import figure_bytes

        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for i, p in enumerate(self._previews(), start=1):
                for ext, blob in (
                    ("png", figure_bytes(p.figure, "png")),
                    ("svg", figure_bytes(p.figure, "svg")),
                    ("alt.txt", f"{p.figure.slide.alt_text}\n".encode()),
                ):
                    info = zipfile.ZipInfo(f"slide_{i:02d}.{ext}", (1980, 1, 1, 0, 0, 0))
                    zf.writestr(info, blob, zipfile.ZIP_DEFLATED)
        return self._name("_figures.zip"), buf.getvalue()


def _by_of(fig: Any) -> str | None:
    """The breakdown variable of a slide's figure (None when it shows everyone)."""
    res = getattr(fig.slide, "result", None)
    cols = [] if res is None else list(res.columns)
    return cols[0] if "variable" in cols and cols.index("variable") > 0 else None


def _write_yaml(path: Path, spec: dict[str, Any] | str) -> None:
    import yaml

    from ..files import atomic_write

    text = (
        spec if isinstance(spec, str) else yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)
    )
    atomic_write(path, text)


def _entry(
    survey: Survey, name: str, kind: str | None, order: Sequence[str] | None, exclude: bool | None
) -> dict[str, Any]:
    """The sidecar lines of one correction."""
    if name not in survey.codebook and name not in survey.codebook.mr_sets:
        survey.require(name)
    entry: dict[str, Any] = {}
    if exclude is not None:
        entry["identifying"] = bool(exclude)
        if exclude:
            entry["identifying_reason"] = _EXCLUDED
    if kind is not None:
        entry.update(_kind_entry(survey, name, kind))
    if order:
        known = _answers(survey, name)
        unknown = [a for a in order if a not in known]
        if unknown or len(set(order)) != len(order):
            raise ConfigError(
                f"The answer order of {name!r} must name each of its answers "
                f"once ({' | '.join(known)}); {unknown[:1] or 'a repeat'} is "
                "not one of them."
            )
        entry["order"] = list(order)
        scale = (kind or kind_of(survey, name)) == "scale"
        entry.setdefault("measure", "ordinal" if scale else "nominal")
    return entry


def _kind_entry(survey: Survey, name: str, kind: str) -> dict[str, Any]:
    """The sidecar lines that make ``name`` a question of ``kind``: its role, and the measure
    and answers that the role needs."""
    if kind not in SETTABLE:
        raise ConfigError(f"Kind {kind!r} cannot be chosen; choose one of {', '.join(SETTABLE)}.")
    entry: dict[str, Any] = {"role": _ROLE_OF_KIND[kind]}
    if name in survey.codebook.mr_sets:
        if kind not in ("multi", "text"):
            raise ConfigError(
                f"{name!r} holds several answers per respondent; it can be a "
                "multiple-answer question or free text."
            )
        return entry
    col, var = survey.data[name], survey.codebook.get(name)
    numeric = pd.api.types.is_numeric_dtype(col)
    labelled = isinstance(col.dtype, pd.CategoricalDtype) or bool(var.value_labels)
    if kind == "multi" and numeric:
        raise ConfigError(
            f"{name!r} holds one number per respondent, not several answers; "
            "it can be a number, a scale or a single choice."
        )
    if kind == "number" and not numeric:
        raise DataError(
            f"{name!r} holds text answers, not numbers; it cannot be a number question."
        )
    if kind == "number":
        entry.update({"measure": "scale", "values": {}} if labelled else {"measure": "scale"})
    elif kind in ("single", "scale"):
        entry["measure"] = "ordinal" if kind == "scale" else "nominal"
        values = [] if labelled else sorted(col.dropna().unique().tolist())
        if len(values) > 12:
            raise DataError(
                f"{name!r} has {len(values)} different answers; a question with "
                "answers has at most 12. Leave it a number or text."
            )
        if values:
            entry["values"] = {_plain(v): str(_plain(v)) for v in values}
    return entry


def _plain(value: Any) -> Any:
    value = value.item() if hasattr(value, "item") else value
    return int(value) if isinstance(value, float) and value.is_integer() else value


def replace_headline(fig: Any, text: str) -> None:
    """Put ``text`` as the headline of ``fig``'s slide (its title, alt text and notes) and on
    the figure itself, in the old headline's lines: smaller (down to 70%) if it must, and only
    then shortened with an ellipsis, so that the plot keeps its place."""
    from ..figures.frame import wrap

    slide, old = fig.slide, fig.slide.headline
    artist = next((t for t in fig.texts if t.get_gid() == "youthmedia-headline"), None)
    if artist is not None:
        lines, size = artist.get_text().count("\n") + 1, artist.get_fontsize()
        family, inch = artist.get_fontfamily()[0], fig.get_figwidth()
        logo = [
            a.get_position().width + 0.25 / inch
            for a in fig.axes
            if a.get_gid() == "youthmedia-logo"
        ]
        width = (1 - 2 * artist.get_position()[0] - sum(logo)) * inch * 72
        for scale in (1.0, 0.9, 0.8, 0.7):
            cut = lines if scale == 0.7 else None
            wrapped = wrap(text, width, size * scale, family, "bold", max_lines=cut)
            if len(wrapped) <= lines:
                break
        artist.set_text("\n".join(wrapped))
        artist.set_fontsize(size * scale)
    texts = {a: getattr(slide, a).replace(old, text) for a in ("alt_text", "notes") if old}
    fig.slide = slide.with_texts(headline=text, **texts)
