"""The widgets of the app page (ipywidgets): shown by ``app.ipynb`` in Voilà or JupyterLab.

Widgets only: every action calls :class:`youthmedia.app.core.Session`. A ``YouthmediaError``
is shown as one line on the page (as the CLI prints it); the page keeps working.

Examples
--------
>>> from youthmedia.app.page import Page
>>> Page().show()                      # in a notebook cell          # doctest: +SKIP
"""

from __future__ import annotations

import atexit
import base64
import html
import os
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w

from .. import i18n
from ..errors import YouthmediaError
from .core import EXAMPLES, SETTABLE, Session, Understood

__all__ = ["Page"]

_S = {
    "title": {"nl": "Van enquête naar dia's", "en": "From survey to slides"},
    "intro": {"nl": "Alles blijft op deze computer. Kies een bestand (.sav, .zsav, .por, .dta, "
                    ".csv, .tsv, .txt, .xlsx) of een voorbeeld.",
              "en": "Everything stays on this computer. Choose a file (.sav, .zsav, .por, .dta, "
                    ".csv, .tsv, .txt, .xlsx) or an example."},
    "lang": {"nl": "Taal", "en": "Language"},
    "step1": {"nl": "1. Bestand", "en": "1. File"},
    "upload": {"nl": "Bestand kiezen", "en": "Choose a file"},
    "example": {"nl": "Voorbeeld", "en": "Example"},
    "open_example": {"nl": "Voorbeeld openen", "en": "Open example"},
    "progress": {"nl": "Voortgang", "en": "Progress"},
    "read": {"nl": "Bestand lezen…", "en": "Reading the file…"},
    "understand": {"nl": "Vragen herkennen…", "en": "Recognising the questions…"},
    "compute": {"nl": "Cijfers berekenen…", "en": "Computing the figures…"},
    "draw": {"nl": "Dia's tekenen…", "en": "Drawing the slides…"},
    "done": {"nl": "Klaar.", "en": "Done."},
    "error": {"nl": "Fout", "en": "Error"},
    "bug": {"nl": "Er ging iets mis ({what}); probeer het opnieuw of meld het.",
            "en": "Something went wrong ({what}); try again or report it."},
    "step2": {"nl": "2. Wat is herkend", "en": "2. What was understood"},
    "file": {"nl": "{file}: {n} respondenten", "en": "{file}: {n} respondents"},
    "weight": {"nl": "Weging", "en": "Weight"},
    "none": {"nl": "geen (ongewogen)", "en": "none (unweighted)"},
    "breakdowns": {"nl": "Uitsplitsingen", "en": "Breakdowns"},
    "no_breakdowns": {"nl": "geen gevonden", "en": "none found"},
    "gender": {"nl": "geslacht", "en": "gender"},
    "age": {"nl": "leeftijdsgroep", "en": "age band"},
    "wave": {"nl": "meting", "en": "wave"},
    "small": {"nl": "Te weinig respondenten (minder dan {n}), dus niet apart getoond",
              "en": "Too few respondents (fewer than {n}), so not shown separately"},
    "left_out": {"nl": "Weggelaten omdat ze respondenten kunnen herkennen",
                 "en": "Left out because they can identify respondents"},
    "questions": {"nl": "Vragen", "en": "Questions"},
    "answers": {"nl": "antwoorden", "en": "answers"},
    "answered": {"nl": "{n} beantwoord", "en": "{n} answered"},
    "few": {"nl": "minder dan {n} antwoorden: niet getoond", "en": "fewer than {n} answers: "
                                                                    "not shown"},
    "not_counted": {"nl": "niet meegeteld", "en": "not counted"},
    "in_slides": {"nl": "In de dia's (vraag {i})", "en": "In the slides (question {i})"},
    "kind": {"nl": "Soort (vraag {i})", "en": "Kind (question {i})"},
    "order": {"nl": "Volgorde (vraag {i})", "en": "Order (question {i})"},
    "exclude": {"nl": "Weglaten (vraag {i})", "en": "Leave out (question {i})"},
    "keep_out": {"nl": "Weglaten: {label}", "en": "Leave out: {label}"},
    "save": {"nl": "Correcties opslaan", "en": "Save corrections"},
    "saved": {"nl": "Opgeslagen in {file} (naast een kopie; het origineel blijft zoals het was).",
              "en": "Saved in {file} (beside a copy; the original is unchanged)."},
    "step3": {"nl": "3. Dia's", "en": "3. Slides"},
    "by": {"nl": "Uitsplitsen naar {what}", "en": "Break down by {what}"},
    "make": {"nl": "Dia's maken", "en": "Make the slides"},
    "headline": {"nl": "Kop van dia {i}", "en": "Headline of slide {i}"},
    "step4": {"nl": "4. Downloaden", "en": "4. Download"},
    "deck": {"nl": "Presentatie (.pptx)", "en": "Deck (.pptx)"},
    "workbook": {"nl": "Tabellen (.xlsx)", "en": "Workbook (.xlsx)"},
    "figures": {"nl": "Figuren (.zip met PNG, SVG en alt-tekst)",
                "en": "Figures (.zip of PNG, SVG and alt text)"},
    "download": {"nl": "Download {file}", "en": "Download {file}"},
    "single": {"nl": "één antwoord", "en": "single choice"},
    "scale": {"nl": "schaal (geordend)", "en": "scale (ordered)"},
    "multi": {"nl": "meer antwoorden", "en": "multiple answers"},
    "number": {"nl": "getal", "en": "number"},
    "text": {"nl": "open tekst", "en": "free text"},
    "date": {"nl": "datum/tijd", "en": "date/time"},
}
_t = i18n.translator(_S, "youthmedia.app.page._S")
_MIME = {".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         ".zip": "application/zip"}
_ACCEPT = ".sav,.zsav,.por,.dta,.csv,.tsv,.txt,.xlsx"
_WIDE = {"description_width": "initial"}


def _workdir() -> Path:
    """A folder of its own under the app's temporary folder (``YOUTHMEDIA_APP_DIR``, removed by
    ``youthmedia app`` when it stops), or a new temporary folder removed at exit."""
    root = os.environ.get("YOUTHMEDIA_APP_DIR")
    if root and Path(root).is_dir():
        return Path(tempfile.mkdtemp(prefix="page-", dir=root))
    folder = tempfile.mkdtemp(prefix="youthmedia-app-")
    atexit.register(shutil.rmtree, folder, True)
    return Path(folder)


def _img(preview: Any) -> str:
    """A slide's thumbnail as an <img> with the slide's alt text."""
    alt = getattr(getattr(preview.figure, "slide", None), "alt_text", "") or preview.headline
    return (f'<img src="data:image/png;base64,{base64.b64encode(preview.png).decode()}" '
            f'alt="{html.escape(alt)}" style="width:100%;border:1px solid #ccc">')


class Page:
    """The app page: ``Page().show()`` displays it; ``Page().root`` is its widget."""

    def __init__(self, lang: str = "nl", workdir: str | Path | None = None) -> None:
        self.session = Session(workdir or _workdir())
        self.lang = i18n.check_lang(lang)
        self.seen: Understood | None = None
        self.rows: dict[str, dict[str, w.Widget]] = {}
        self.left_out: dict[str, w.Checkbox] = {}
        self.by_boxes: dict[str, w.Checkbox] = {}
        self.lang_pick = w.ToggleButtons(options=[("Nederlands", "nl"), ("English", "en")],
                                         value=self.lang, style=_WIDE)
        self.upload = w.FileUpload(accept=_ACCEPT, multiple=False, icon="")
        self.example = w.Dropdown(options=list(EXAMPLES), style=_WIDE)
        self.open_button = w.Button()
        self.progress = w.FloatProgress(min=0, max=1, value=0, style=_WIDE)
        self.status = w.HTML()
        self.error = w.HTML()
        self.summary = w.VBox()
        self.save_button = w.Button(disabled=True)
        self.make_button = w.Button(disabled=True, button_style="primary")
        self.by_row = w.HBox()
        self.thumbs = w.VBox()
        self.downloads = {k: w.Button(disabled=True)
                          for k in ("deck", "workbook", "figures")}
        self.links = w.HTML()
        self.headings = [w.HTML() for _ in range(5)]
        self.intro = w.HTML()
        self.root = w.VBox([
            self.headings[0], self.intro, self.lang_pick,
            self.headings[1], w.HBox([self.upload, self.example, self.open_button]),
            self.progress, self.status, self.error,
            self.headings[2], self.summary, self.save_button,
            self.headings[3], self.by_row, self.make_button, self.thumbs,
            self.headings[4], w.HBox(list(self.downloads.values())), self.links,
        ], layout=w.Layout(max_width="1100px", padding="0 1em"))
        self.upload.observe(self._on_upload, names="value")
        self.open_button.on_click(lambda _b: self._run(self._open_example))
        self.save_button.on_click(lambda _b: self._run(self._save))
        self.make_button.on_click(lambda _b: self._run(self._make))
        for key, button in self.downloads.items():
            button.on_click(lambda _b, key=key: self._run(lambda: self._download(key)))
        self.lang_pick.observe(lambda ch: self._run(lambda: self._set_lang(ch["new"])),
                               names="value")
        self._texts()

    def show(self) -> None:
        """Display the page in the notebook (Voilà or JupyterLab)."""
        from IPython.display import display

        display(self.root)

    # -- texts in the chosen language ----------------------------------------------------------
    def _texts(self) -> None:
        t = lambda key, **kw: _t(key, self.lang, **kw)  # noqa: E731
        self.headings[0].value = f"<h1>youthmedia — {html.escape(t('title'))}</h1>"
        self.intro.value = f"<p>{html.escape(t('intro'))}</p>"
        self.lang_pick.description = t("lang")
        for i, key in enumerate(("step1", "step2", "step3", "step4"), start=1):
            self.headings[i].value = f"<h2>{html.escape(t(key))}</h2>"
        self.upload.description = self.upload.tooltip = t("upload")  # the title, else "null"
        self.example.description = t("example")
        self.open_button.description = t("open_example")
        self.progress.description = t("progress")
        self.save_button.description = t("save")
        self.make_button.description = t("make")
        for key, button in self.downloads.items():
            button.description = t(key)

    def _set_lang(self, lang: str) -> None:
        self.lang = lang
        self._texts()
        if self.seen is not None:
            self._show_summary(self.session.understood())
        if self.session.previews:
            self._make()

    # -- running an action -----------------------------------------------------------------------
    def _run(self, action: Callable[[], Any]) -> None:
        """Run ``action``; show a YouthmediaError as one line, anything else as one line too
        (its traceback goes to the server's log)."""
        self.error.value = ""
        try:
            action()
        except YouthmediaError as exc:
            self._fail(f"{_t('error', self.lang)}: {exc}")
        except Exception as exc:  # a bug must not break the page
            traceback.print_exc(file=sys.stderr)
            self._fail(_t("bug", self.lang, what=f"{type(exc).__name__}: {exc}"))

    def _fail(self, line: str) -> None:
        self.progress.value = 0
        self.status.value = ""
        self.error.value = (f'<p role="alert" class="ym-error" style="color:#b00020">'
                            f"{html.escape(line)}</p>")

    def _step(self, fraction: float, key: str) -> None:
        self.progress.value = fraction
        self.status.value = f'<p role="status">{html.escape(_t(key, self.lang))}</p>'

    # -- step 1: a file ------------------------------------------------------------------------
    def _on_upload(self, change: dict[str, Any]) -> None:
        files = change["new"]
        if not files:
            return
        item = files[0]
        self._run(lambda: self._opened(self.session.open_bytes(bytes(item["content"]),
                                                               item["name"], self._step)))

    def _open_example(self) -> None:
        self._opened(self.session.open_example(self.example.value, self._step))

    def _opened(self, seen: Understood) -> None:
        self.thumbs.children = ()
        self.links.value = ""
        for button in self.downloads.values():
            button.disabled = True
        self._show_summary(seen)

    # -- step 2: what was understood -----------------------------------------------------------
    def _show_summary(self, seen: Understood) -> None:
        self.seen = seen
        t = lambda key, **kw: _t(key, self.lang, **kw)  # noqa: E731
        lines = [f"<p><b>{html.escape(t('file', file=seen.file, n=seen.n))}</b></p>",
                 f"<p>{t('weight')}: {html.escape(seen.weight or t('none'))}</p>"]
        found = [f"{t(role)}: {html.escape(self._label(var))}"
                 for role, var in seen.breakdowns.items()]
        lines.append(f"<p>{t('breakdowns')}: {'; '.join(found) or t('no_breakdowns')}</p>")
        small = [f"{html.escape(self._label(var))}: {html.escape(', '.join(groups))}"
                 for var, groups in seen.small_groups.items() if groups]
        if small:
            lines.append(f"<p>{t('small', n=seen.min_n)}: {'; '.join(small)}</p>")
        header = w.HTML("".join(lines) + f"<h3>{html.escape(t('left_out'))}</h3>")
        self.left_out = {}
        for name, label, reason in seen.identifying:
            self.left_out[name] = w.Checkbox(value=True, indent=False, description=_t(
                "keep_out", self.lang, label=f"{label} — {self._reason(reason)}"),
                layout=w.Layout(width="auto"))
        self.rows = {}
        blocks = [self._question(i, q, seen.min_n)
                  for i, q in enumerate(seen.questions, start=1)]
        self.summary.children = [header, *self.left_out.values(),
                                 w.HTML(f"<h3>{html.escape(t('questions'))}</h3>"), *blocks]
        self.by_boxes = {var: w.Checkbox(value=True, indent=False, description=t(
            "by", what=f"{t(role)} ({self._label(var)})"), layout=w.Layout(width="auto"))
            for role, var in seen.breakdowns.items()}
        self.by_row.children = list(self.by_boxes.values())
        self.save_button.disabled = self.make_button.disabled = False

    def _label(self, name: str) -> str:
        survey = self.session.survey
        return survey.codebook.label(name, self.lang) if survey is not None else name

    def _reason(self, reason: str) -> str:
        from ..privacy import identifying_text

        return identifying_text(reason, self.lang)

    def _question(self, i: int, q: Any, min_n: int) -> w.VBox:
        t = lambda key, **kw: _t(key, self.lang, **kw)  # noqa: E731
        facts = [t(q.kind), t("answered", n=q.n)]
        if 0 < q.n < min_n:
            facts.append(t("few", n=min_n))
        answers = f"<br>{t('answers')}: {html.escape(' | '.join(q.answers))}" if q.answers else ""
        if q.not_counted:
            answers += f"<br>{t('not_counted')}: {html.escape(' | '.join(q.not_counted))}"
        head = w.HTML(f"<p><b>{i}. {html.escape(q.label)}</b> ({html.escape(', '.join(facts))})"
                      f"{answers}</p>")
        row: dict[str, w.Widget] = {"chart": w.Checkbox(value=q.charted, indent=False,
                                                        description=t("in_slides", i=i))}
        kinds = SETTABLE if q.kind in SETTABLE else (q.kind,)
        row["kind"] = w.Dropdown(options=[(t(k), k) for k in kinds], value=q.kind,
                                 description=t("kind", i=i), style=_WIDE,
                                 disabled=q.kind not in SETTABLE)
        if q.answers and q.kind != "multi":
            row["order"] = w.Text(value=" | ".join(q.answers), description=t("order", i=i),
                                  style=_WIDE, layout=w.Layout(width="32em"))
        row["exclude"] = w.Checkbox(value=False, indent=False, description=t("exclude", i=i))
        self.rows[q.name] = row
        return w.VBox([head, w.HBox(list(row.values()))])

    def _save(self) -> None:
        assert self.seen is not None
        seen, changed = self.seen, False
        for q in seen.questions:
            row = self.rows[q.name]
            kind = row["kind"].value if row["kind"].value != q.kind else None
            order = None
            if "order" in row:
                given = [a.strip() for a in row["order"].value.split("|") if a.strip()]
                order = given if tuple(given) != q.answers else None
            exclude = True if row["exclude"].value else None
            if kind or order or exclude:
                seen, changed = self.session.correct(q.name, kind, order, exclude), True
        for name, box in self.left_out.items():
            if not box.value:
                seen, changed = self.session.correct(name, exclude=False), True
        if changed:
            self._opened(seen)
            sidecar = self.session.copy.with_name(self.session.copy.stem + ".codebook.yaml")
            self.status.value = f'<p role="status">{html.escape(_t("saved", self.lang, file=sidecar.name))}</p>'

    # -- step 3: slides --------------------------------------------------------------------------
    def _make(self) -> None:
        chosen = [name for name, row in self.rows.items() if row["chart"].value]
        by = [var for var, box in self.by_boxes.items() if box.value]
        previews = self.session.slides(chosen or None, by, self.lang, self._step)
        cards = []
        for i, p in enumerate(previews, start=1):
            img = w.HTML(_img(p))
            text = w.Textarea(value=p.headline, description=_t("headline", self.lang, i=i),
                              continuous_update=False, rows=2, style=_WIDE,
                              layout=w.Layout(width="100%"))
            text.observe(lambda ch, k=i - 1, img=img: self._run(
                lambda: self._edit(k, ch["new"], img)), names="value")
            cards.append(w.VBox([img, text], layout=w.Layout(width="48%", margin="0 1% 1em 0")))
        self.thumbs.children = [w.HBox(cards, layout=w.Layout(flex_flow="row wrap"))]
        self.links.value = ""
        for button in self.downloads.values():
            button.disabled = False
        self._step(1.0, "done")

    def _edit(self, index: int, text: str, img: w.HTML) -> None:
        img.value = _img(self.session.set_headline(index, text))

    # -- step 4: downloads ---------------------------------------------------------------------
    def _download(self, key: str) -> None:
        make = {"deck": self.session.deck, "workbook": self.session.workbook,
                "figures": self.session.figures_zip}[key]
        self._step(0.5, "compute")
        name, blob = make()
        mime = _MIME[Path(name).suffix]
        link = (f'<p><a download="{html.escape(name)}" class="ym-download" '
                f'href="data:{mime};base64,{base64.b64encode(blob).decode()}">'
                f"{html.escape(_t('download', self.lang, file=name))}</a></p>")
        self.links.value = link
        self._step(1.0, "done")
