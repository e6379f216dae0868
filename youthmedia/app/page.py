"""The app page (ipywidgets) of ``app.ipynb``: a trainer's file, corrections, slides and
downloads in a temporary folder; a ``YouthmediaError`` is one line on the page."""

from __future__ import annotations

import atexit
import base64
import html
import importlib
import re
import shutil
import sys
import tempfile
import threading
import traceback
import warnings
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import ipywidgets as w
import yaml
from IPython.display import display

from .. import i18n
from ..errors import DataError, YouthmediaError, YouthmediaWarning
from ..io import EXTENSIONS, load
from ..io.sidecar import find_sidecar, load_yaml
from ..privacy import identifying_text
from ..survey import Survey
from . import core

__all__ = ["EXAMPLES", "Page"]

#: The bundled examples a trainer can pick (files in ``data/``).
EXAMPLES = ("klas_enquete_forms.csv", "youth_social_media_demo.sav")
_DATA = Path(__file__).resolve().parents[2] / "data"
_WIDE = {"description_width": "initial"}
_FIELD = {"width": "100%", "flex_flow": "column", "margin": "2px 0"}  # label above the field
_HEADS = {"app_title": "h1", "app_intro": "p", **{f"app_step{i}": "h2" for i in range(1, 5)}}


def _html(tag: str, text: str, **attrs: str) -> str:
    extra = "".join(f' {k}="{html.escape(v)}"' for k, v in attrs.items())
    return f"<{tag}{extra}>{html.escape(text)}</{tag}>"


def _box(description: str, value: bool = True) -> w.Checkbox:
    return w.Checkbox(value=value, indent=False, description=description, layout={"width": "auto"})


def _img(fig: Any) -> str:
    """A slide's thumbnail as an <img> with the slide's alt text."""
    src = f"data:image/png;base64,{base64.b64encode(core.thumbnail(fig)).decode()}"
    alt = html.escape(fig.slide.alt_text or fig.slide.headline)
    return f'<img src="{src}" alt="{alt}" style="width:100%;border:1px solid #ccc">'


def warm() -> None:
    """Import what the slides need, so that the first upload does not wait for it."""
    for name in ("estimate", "export", "figures.charts", "io", "standard"):
        importlib.import_module(f"youthmedia.{name}")


class Page:
    """The page (``Page().show()``): its methods do what its buttons do; files in ``workdir``."""

    def __init__(self, lang: str = "nl", workdir: str | Path | None = None) -> None:
        if workdir is None:  # in the temporary folder of ``youthmedia app``, if it runs
            workdir = tempfile.mkdtemp(prefix="youthmedia-app-")
            atexit.register(shutil.rmtree, workdir, True)
        self.workdir, self.lang = Path(workdir), i18n.check_lang(lang)
        self.survey: Survey | None = None
        self.copy, self.shown, self.seen, self.figures = Path(), "", None, []
        self.questions, self.by, self.chosen = None, None, (None, None)  # by: but the wave
        self.rows: dict[str, dict[str, w.Widget]] = {}
        self.left_out, self.by_boxes = {}, {}
        langs = [("Nederlands", "nl"), ("English", "en")]
        self.lang_pick = w.ToggleButtons(options=langs, value=self.lang, style=_WIDE)
        self.upload = w.FileUpload(accept=",".join(EXTENSIONS), multiple=False, icon="")
        self.example = w.Dropdown(options=EXAMPLES, style=_WIDE)
        self.open_button, self.save_button = w.Button(), w.Button(disabled=True)
        self.make_button = w.Button(disabled=True, button_style="primary")
        self.progress = w.FloatProgress(min=0, max=1, style=_WIDE)
        self.status, self.error, self.links, self.not_shown = (w.HTML() for _ in range(4))
        self.summary, self.by_row = w.VBox(), w.HBox()
        self.thumbs = w.HBox(layout={"flex_flow": "row wrap"})
        self.downloads = {k: w.Button(disabled=True) for k in ("deck", "workbook", "figures")}
        self.heads = {key: w.HTML() for key in _HEADS}
        h, files = self.heads, w.HBox([self.upload, self.example, self.open_button])
        self.root = w.VBox(
            [
                *(h["app_title"], h["app_intro"], self.lang_pick, h["app_step1"], files),
                *(self.progress, self.status, self.error, h["app_step2"], self.summary),
                *(self.save_button, h["app_step3"], self.by_row, self.make_button, self.thumbs),
                self.not_shown,
                *(h["app_step4"], w.HBox(list(self.downloads.values())), self.links),
            ],
            layout={"max_width": "1100px", "padding": "0 1em"},
        )
        self.upload.observe(self._on_upload, names="value")
        self.lang_pick.observe(lambda ch: self._run(self._set_lang, ch["new"]), names="value")
        self.open_button.on_click(lambda _: self._run(self.open_example, self.example.value))
        self.save_button.on_click(lambda _: self._run(self._save))
        self.make_button.on_click(lambda _: self._run(self._make))
        for key, button in self.downloads.items():
            button.on_click(lambda _, key=key: self._run(self.download, key))
        self._texts()

    def show(self) -> None:
        """Display the page in the notebook (Voilà or JupyterLab)."""
        warming = threading.Thread(target=warm, daemon=True)  # while the trainer picks a file
        self.root._view_count = 0  # the browser reports the page shown: its widgets are live

        def live(change: dict[str, Any]) -> None:
            if change["new"]:  # ready once the imports are done: tests wait for that marker
                warming.join()
                self.root.add_class("youthmedia-ready")

        self.root.observe(live, names="_view_count")
        display(self.root)
        warming.start()

    def open_bytes(self, data: bytes, name: str) -> core.Understood:
        """Open an uploaded file: its bytes go to a new folder in ``workdir``."""
        shown = Path(str(name).replace("\\", "/")).name
        target = self._folder("upload-") / (re.sub(r"[^\w.\- ]+", "_", shown).strip(" .") or "_")
        target.write_bytes(data)
        return self._open(target, shown)

    def open_example(self, name: str) -> core.Understood:
        """Open a bundled example (one of :data:`EXAMPLES`), copied with its sidecar."""
        folder = self._folder("upload-")
        for source in filter(None, (_DATA / name, find_sidecar(_DATA / name))):
            shutil.copyfile(source, folder / source.name)
        return self._open(folder / name, name)

    def correct(
        self, name: str, kind: str = "", order: list | None = None, exclude: bool | None = None
    ) -> core.Understood:
        """Correct a question's kind, order or exclusion in the copy's sidecar; load it again."""
        sidecar = find_sidecar(self.copy) or self.copy.with_suffix(".codebook.yaml")
        with self._named():
            entry = core.correction(self.survey, name, kind, order, exclude)
            spec = sidecar.exists() and load_yaml(sidecar, "correct it or remove it") or {}
            variables = spec["variables"] = dict(spec.get("variables") or {})
            variables[name] = {**(variables.get(name) or {}), **entry}
            new = self._folder("check-") / sidecar.name  # the sidecar once the copy loads with it
            new.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), "utf-8")
            self.survey = load(self.copy, codebook=new)
            new.replace(sidecar)
        self._clear()
        self._shown_survey()
        self._step(1.0, "app_saved", file=sidecar.name)
        return self.seen

    def slides(self, questions: list[str] | None = None, by: list[str] | None = None) -> list:
        """Draw and show the slides of ``questions`` by ``by`` (default: the standard set)."""
        from .. import standard

        self.questions, self.chosen = questions or None, (questions, by)
        self._clear()
        wave = standard.roles(self.survey).wave
        self.by = None if by is None else [b for b in by if b != wave]
        self._step(0.05, "app_compute")
        why: list[str] = []
        with self._named():
            figs = standard.build_figures(
                self.survey, self.lang, self.questions, by=self.by, not_shown=why
            )
        if why:  # the lines of the deck's closing slide
            head = _html("h3", self._t("not_shown_title"))
            self.not_shown.value = head + "".join(_html("p", line) for line in why)
        figs = [f for f in figs if by is None or core.by_of(f) in (None, *by)]
        if not figs:
            raise DataError(
                f"No slides to make from {self.shown}: choose other questions, or correct "
                "their kind (numbers, scales and answers can be charted)."
            )
        for i, fig in enumerate(figs, start=1):
            self._step(0.3 + 0.7 * i / len(figs), "app_draw")
            self.figures.append(fig)
            self._card(fig)
        for button in self.downloads.values():
            button.disabled = False
        self._step(1.0, "app_done")
        return self.figures

    def set_headline(self, index: int, text: str) -> Any:
        """Give slide ``index`` (from 0) a headline of the trainer's own; returns its figure."""
        fig, text = self.figures[index], " ".join(str(text).split())
        if text and text != fig.slide.headline:
            core.replace_headline(fig, text)
        return fig

    def download(self, key: str) -> tuple[str, bytes]:
        """The ``deck``, ``workbook`` or ``figures`` (.zip) as (name, bytes), linked on the page."""
        from .. import standard
        from ..export import save_figure, write_deck

        self._step(0.5, "app_compute")
        suffix = {"deck": ".pptx", "workbook": ".xlsx", "figures": "_figures.zip"}[key]
        out = self._folder("out-") / f"{self.copy.stem}_{self.lang}{suffix}"
        with self._named():
            if key == "deck":
                write_deck(self.figures, out, title=self.survey.source.display_name, lang=self.lang)
            elif key == "workbook":
                standard.write_tables(self.survey, out, self.lang, self.questions, by=self.by)
            else:
                for i, fig in enumerate(self.figures, start=1):
                    save_figure(fig, out.parent / f"slide_{i:02d}")
                with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
                    for f in sorted(out.parent.glob("slide_*")):  # ZipInfo's 1980: same bytes
                        zf.writestr(zipfile.ZipInfo(f.name), f.read_bytes(), zipfile.ZIP_DEFLATED)
        blob = out.read_bytes()
        href = f"data:application/octet-stream;base64,{base64.b64encode(blob).decode()}"
        link = _html("a", self._t("app_download", file=out.name), download=out.name, href=href)
        self.links.value = f"<p>{link}</p>"
        self._step(1.0, "app_done")
        return out.name, blob

    def _folder(self, prefix: str) -> Path:
        self.workdir.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=prefix, dir=self.workdir))

    @contextmanager
    def _named(self) -> Iterator[None]:
        """A YouthmediaError names the trainer's file, not its copy; warnings are not shown."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", YouthmediaWarning)
                yield
        except YouthmediaError as exc:
            message = re.sub(rf"{re.escape(str(self.workdir))}/[^/]+/", "", str(exc))
            raise type(exc)(message) from None

    def _open(self, path: Path, shown: str) -> core.Understood:
        self._step(0.1, "app_read")
        with self._named():
            survey = load(path)
        self.survey, self.copy, self.shown = survey, path, shown
        self.questions = self.by = None
        self._clear()
        self._shown_survey()
        self._step(1.0, "app_done")
        return self.seen

    def _t(self, key: str, **fields: Any) -> str:
        return i18n.t(key, self.lang, **fields)

    def _texts(self) -> None:
        for key, tag in _HEADS.items():
            self.heads[key].value = _html(tag, self._t(key))
        named = {"lang": self.lang_pick, "upload": self.upload, "example": self.example}
        named |= {"open_example": self.open_button, "progress": self.progress}
        named |= {"save": self.save_button, "make": self.make_button, **self.downloads}
        for key, widget in named.items():
            widget.description = self._t(f"app_{key}")
        self.upload.tooltip = self.upload.description  # the button's title, else "null"

    def _set_lang(self, lang: str) -> None:
        self.lang = lang
        self._texts()
        if self.survey is not None:
            self._shown_survey()
        if self.figures:
            self.slides(*self.chosen)

    def _run(self, action: Callable[..., Any], *args: Any) -> None:
        """Run ``action``: an error is one line on the page (a bug's traceback: the server log)."""
        self.error.value = ""
        try:
            action(*args)
        except Exception as exc:  # a bug must not break the page either
            if not isinstance(exc, YouthmediaError):
                traceback.print_exc(file=sys.stderr)
                exc = self._t("app_bug", what=f"{type(exc).__name__}: {exc}")
            line = f"{self._t('app_error')}: {exc}"
            self.progress.value, self.status.value = 0, ""
            self.error.value = _html("p", line, role="alert", style="color:#b00020")

    def _step(self, fraction: float, key: str, **fields: Any) -> None:
        self.progress.value = fraction
        self.status.value = _html("p", self._t(key, **fields), role="status")

    def _on_upload(self, change: dict[str, Any]) -> None:
        if change["new"]:
            data, name = bytes(change["new"][0]["content"]), change["new"][0]["name"]
            self.upload.value = ()  # the same file can be dropped again
            self._run(self.open_bytes, data, name)

    def _clear(self) -> None:
        self.figures, self.thumbs.children, self.links.value, self.not_shown.value = [], (), "", ""
        for button in self.downloads.values():
            button.disabled = True

    def _shown_survey(self) -> None:
        """Step 2: what was understood, with a row of corrections per question."""
        seen = self.seen = core.understand(self.survey, self.shown)
        t, label = self._t, lambda name: self.survey.codebook.label(name, self.lang)
        found = [f"{t('app_' + r)}: {label(v)}" for r, v in seen.breakdowns.items()]
        small = [f"{label(v)}: {', '.join(g)}" for v, g in seen.small_groups.items() if g]
        lines = [
            t("app_weight", w=seen.weight or t("app_no_weight")),
            t("app_breakdowns", b="; ".join(found) or t("app_none_found")),
            *([t("app_small", n=seen.min_n, g="; ".join(small))] if small else []),
        ]
        head = f"<p><b>{html.escape(t('app_file', file=seen.file, n=seen.n))}</b></p>"
        head += "".join(_html("p", x) for x in lines) + _html("h3", t("app_left_out"))
        self.left_out = {}
        for name, text, why in seen.identifying:
            why = i18n.reason(identifying_text(why, self.lang), self.lang)
            self.left_out[name] = _box(t("app_keep_out", label=text, reason=why))
        self.rows = {}
        blocks = [self._question(i, q) for i, q in enumerate(seen.questions, 1)]
        questions = w.HTML(_html("h3", t("app_questions")))
        self.summary.children = [w.HTML(head), *self.left_out.values(), questions, *blocks]
        self.by_boxes = {
            var: _box(t("app_by", what=f"{t('app_' + role)} ({label(var)})"))
            for role, var in seen.breakdowns.items()
        }
        self.by_row.children = list(self.by_boxes.values())
        self.save_button.disabled = self.make_button.disabled = False

    def _question(self, i: int, q: core.Question) -> w.VBox:
        """A question's facts and its corrections: in the slides, kind, answer order, leave out."""
        t, min_n = self._t, self.seen.min_n
        facts = [t(f"kind_{q.kind}"), t("app_answered", n=q.n)]
        facts += [t("app_few", n=min_n)] if 0 < q.n < min_n else []
        text = [_html("b", f"{i}. {q.label}") + html.escape(f" ({', '.join(facts)})")]
        for key, values in (("app_answers", q.answers), ("app_not_counted", q.not_counted)):
            text += [html.escape(f"{t(key)}: {' | '.join(values)}")] if values else []
        kinds = [(t(f"kind_{k}"), k) for k in (core.ROLES if q.kind in core.ROLES else [q.kind])]
        row: dict[str, w.Widget] = {"chart": _box(t("app_in_slides", i=i), q.charted)}
        row["kind"] = w.Dropdown(options=kinds, value=q.kind, disabled=len(kinds) == 1, style=_WIDE)
        row["kind"].description = t("app_kind", i=i)
        if q.answers and q.kind != "multi":
            row["order"] = w.Text(" | ".join(q.answers), style=_WIDE, layout={"width": "32em"})
            row["order"].description = t("app_order", i=i)
        row["exclude"] = _box(t("app_exclude", i=i), False)
        self.rows[q.name] = row
        return w.VBox([w.HTML(f"<p>{'<br>'.join(text)}</p>"), w.HBox(list(row.values()))])

    def _save(self) -> None:
        """Every changed row, and every identifying column kept in, becomes a correction."""
        todo = [(name, "", None, False) for name, box in self.left_out.items() if not box.value]
        for q in self.seen.questions if self.seen else ():
            row = self.rows[q.name]
            given = [a.strip() for a in row["order"].value.split("|")] if "order" in row else []
            order = [a for a in given if a] if tuple(given) not in ((), q.answers) else None
            kind = row["kind"].value if row["kind"].value != q.kind else ""
            if kind or order or row["exclude"].value:
                todo.append((q.name, kind, order, row["exclude"].value or None))
        for args in todo:  # each correction draws the page again
            self.correct(*args)

    def _make(self) -> None:
        chosen = [name for name, row in self.rows.items() if row["chart"].value]
        self.slides(chosen, [var for var, box in self.by_boxes.items() if box.value])

    def _card(self, fig: Any) -> None:
        """A slide's thumbnail with its headline as a text field under it."""
        i, img = len(self.thumbs.children), w.HTML(_img(fig))
        text = w.Textarea(fig.slide.headline, rows=3, continuous_update=False, style=_WIDE)
        text.description, text.layout = self._t("app_headline", i=i + 1), _FIELD

        def edited(new: str) -> None:
            img.value = _img(self.set_headline(i, new))

        text.observe(lambda change: self._run(edited, change["new"]), names="value")
        card = w.VBox([img, text], layout={"width": "48%", "margin": "0 1% 1em 0"})
        self.thumbs.children = (*self.thumbs.children, card)
