"""The widgets of the app page (ipywidgets), shown by ``app.ipynb`` in Voilà or JupyterLab.

Widgets only: every action calls :class:`youthmedia.app.core.Session`; every text comes from
:mod:`youthmedia.i18n` in the chosen language. A ``YouthmediaError`` is shown as one line on
the page (as the CLI prints it) and the page keeps working.

Examples
--------
>>> from youthmedia.app.page import Page
>>> page = Page(lang="en")
>>> page.make_button.description, page.make_button.disabled
('Make the slides', True)
"""

from __future__ import annotations

import atexit
import base64
import html
import os
import shutil
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ipywidgets as w

from .. import i18n
from ..errors import YouthmediaError
from .core import EXAMPLES, SETTABLE, Preview, Question, Session, Understood, warm

__all__ = ["Page"]

_MIME = {
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".zip": "application/zip",
}
_ACCEPT = ".sav,.zsav,.por,.dta,.csv,.tsv,.txt,.xlsx"
_WIDE = {"description_width": "initial"}
_HEADS = {
    "app_title": "h1",
    "app_intro": "p",
    "app_step1": "h2",
    "app_step2": "h2",
    "app_step3": "h2",
    "app_step4": "h2",
}


def _workdir() -> Path:
    """A folder under the app's temporary folder (``YOUTHMEDIA_APP_DIR``, removed when
    ``youthmedia app`` stops), else a temporary folder removed at exit."""
    root = os.environ.get("YOUTHMEDIA_APP_DIR")
    if root and Path(root).is_dir():
        return Path(tempfile.mkdtemp(prefix="page-", dir=root))
    folder = tempfile.mkdtemp(prefix="youthmedia-app-")
    atexit.register(shutil.rmtree, folder, True)
    return Path(folder)


def _html(tag: str, text: str, **attrs: str) -> str:
    extra = "".join(f' {k}="{html.escape(v)}"' for k, v in attrs.items())
    return f"<{tag}{extra}>{html.escape(text)}</{tag}>"


def _box(description: str, value: bool = True) -> w.Checkbox:
    return w.Checkbox(value=value, indent=False, description=description, layout={"width": "auto"})


def _img(preview: Preview) -> str:
    """A slide's thumbnail as an <img> with the slide's alt text."""
    alt = preview.figure.slide.alt_text or preview.headline
    return (
        f'<img src="data:image/png;base64,{base64.b64encode(preview.png).decode()}" '
        f'alt="{html.escape(alt)}" style="width:100%;border:1px solid #ccc">'
    )


class Page:
    """The app page: ``Page().show()`` displays it; ``Page().root`` is its widget."""

    def __init__(self, lang: str = "nl", workdir: str | Path | None = None) -> None:
        self.session = Session(workdir or _workdir())
        self.lang = i18n.check_lang(lang)
        self.seen: Understood | None = None
        self.rows: dict[str, dict[str, w.Widget]] = {}
        self.left_out: dict[str, w.Checkbox] = {}
        self.by_boxes: dict[str, w.Checkbox] = {}
        self.lang_pick = w.ToggleButtons(
            options=[("Nederlands", "nl"), ("English", "en")], value=self.lang, style=_WIDE
        )
        self.upload = w.FileUpload(accept=_ACCEPT, multiple=False, icon="")
        self.example = w.Dropdown(options=list(EXAMPLES), style=_WIDE)
        self.open_button, self.save_button = w.Button(), w.Button(disabled=True)
        self.make_button = w.Button(disabled=True, button_style="primary")
        self.progress = w.FloatProgress(min=0, max=1, value=0, style=_WIDE)
        self.status, self.error, self.links = w.HTML(), w.HTML(), w.HTML()
        self.summary, self.by_row = w.VBox(), w.HBox()
        self.thumbs = w.HBox(layout=w.Layout(flex_flow="row wrap"))
        self.downloads = {k: w.Button(disabled=True) for k in ("deck", "workbook", "figures")}
        self.heads = {key: w.HTML() for key in _HEADS}
        h, files = self.heads, w.HBox([self.upload, self.example, self.open_button])
        parts = [
            [h["app_title"], h["app_intro"], self.lang_pick],
            [h["app_step1"], files, self.progress, self.status, self.error],
            [h["app_step2"], self.summary, self.save_button],
            [h["app_step3"], self.by_row, self.make_button, self.thumbs],
            [h["app_step4"], w.HBox(list(self.downloads.values())), self.links],
        ]
        layout = w.Layout(max_width="1100px", padding="0 1em")
        self.root = w.VBox([x for part in parts for x in part], layout=layout)
        self.upload.observe(self._on_upload, names="value")
        self.open_button.on_click(lambda _b: self._run(self._open_example))
        self.save_button.on_click(lambda _b: self._run(self._save))
        self.make_button.on_click(lambda _b: self._run(self._make))
        for key, button in self.downloads.items():
            button.on_click(lambda _b, key=key: self._run(lambda: self._download(key)))
        self.lang_pick.observe(
            lambda ch: self._run(lambda: self._set_lang(ch["new"])), names="value"
        )
        self._texts()

    def show(self) -> None:
        """Display the page in the notebook (Voilà or JupyterLab)."""
        from IPython.display import display

        display(self.root)
        threading.Thread(target=warm, daemon=True).start()  # while the trainer picks a file

    def _t(self, key: str, **fields: Any) -> str:
        return i18n.t(key, self.lang, **fields)

    # -- texts in the chosen language ----------------------------------------------------------
    def _texts(self) -> None:
        for key, tag in _HEADS.items():
            self.heads[key].value = _html(tag, self._t(key))
        controls = {
            self.lang_pick: "app_lang",
            self.upload: "app_upload",
            self.example: "app_example",
            self.open_button: "app_open_example",
            self.progress: "app_progress",
            self.save_button: "app_save",
            self.make_button: "app_make",
            **{b: f"app_{k}" for k, b in self.downloads.items()},
        }
        for widget, key in controls.items():
            widget.description = self._t(key)
        self.upload.tooltip = self.upload.description  # the button's title, else "null"

    def _set_lang(self, lang: str) -> None:
        self.lang = lang
        self._texts()
        if self.seen is not None:
            self._show_summary(self.session.understood())
        if self.session.previews:
            self._make()

    # -- running an action -----------------------------------------------------------------------
    def _run(self, action: Callable[[], Any]) -> None:
        """Run ``action``; a YouthmediaError is one line on the page, and so is a bug (its
        traceback goes to the server's log)."""
        self.error.value = ""
        try:
            action()
        except YouthmediaError as exc:
            self._fail(f"{self._t('app_error')}: {exc}")
        except Exception as exc:  # a bug must not break the page
            traceback.print_exc(file=sys.stderr)
            self._fail(self._t("app_bug", what=f"{type(exc).__name__}: {exc}"))

    def _fail(self, line: str) -> None:
        self.progress.value, self.status.value = 0, ""
        self.error.value = _html("p", line, role="alert", style="color:#b00020")

    def _step(self, fraction: float, key: str, **fields: Any) -> None:
        self.progress.value = fraction
        self.status.value = _html("p", self._t(key, **fields), role="status")

    # -- step 1: a file ------------------------------------------------------------------------
    def _on_upload(self, change: dict[str, Any]) -> None:
        if change["new"]:
            data, name = bytes(change["new"][0]["content"]), change["new"][0]["name"]
            self._run(lambda: self._opened(self.session.open_bytes(data, name, self._step)))

    def _open_example(self) -> None:
        self._opened(self.session.open_example(self.example.value, self._step))

    def _opened(self, seen: Understood) -> None:
        self.thumbs.children, self.links.value = (), ""
        for button in self.downloads.values():
            button.disabled = True
        self._show_summary(seen)

    # -- step 2: what was understood -----------------------------------------------------------
    def _label(self, name: str) -> str:
        survey = self.session.survey
        return survey.codebook.label(name, self.lang) if survey is not None else name

    def _show_summary(self, seen: Understood) -> None:
        from ..privacy import identifying_text

        self.seen, t = seen, self._t
        found = "; ".join(
            f"{t('app_' + role)}: {self._label(var)}" for role, var in seen.breakdowns.items()
        )
        lines = [
            t("app_weight", w=seen.weight or t("app_no_weight")),
            t("app_breakdowns", b=found or t("app_none_found")),
        ]
        small = "; ".join(
            f"{self._label(var)}: {', '.join(groups)}"
            for var, groups in seen.small_groups.items()
            if groups
        )
        if small:
            lines.append(t("app_small", n=seen.min_n, g=small))
        head = f"<p>{_html('b', t('app_file', file=seen.file, n=seen.n))}</p>"
        header = w.HTML(
            head + "".join(_html("p", x) for x in lines) + _html("h3", t("app_left_out"))
        )
        self.left_out = {}
        for name, label, reason in seen.identifying:
            reason = i18n.reason(identifying_text(reason, self.lang), self.lang)
            self.left_out[name] = _box(t("app_keep_out", label=label, reason=reason))
        self.rows = {}
        blocks = [self._question(i, q, seen.min_n) for i, q in enumerate(seen.questions, 1)]
        self.summary.children = [
            header,
            *self.left_out.values(),
            w.HTML(_html("h3", t("app_questions"))),
            *blocks,
        ]
        self.by_boxes = {
            var: _box(t("app_by", what=f"{t('app_' + role)} ({self._label(var)})"))
            for role, var in seen.breakdowns.items()
        }
        self.by_row.children = list(self.by_boxes.values())
        self.save_button.disabled = self.make_button.disabled = False

    def _question(self, i: int, q: Question, min_n: int) -> w.VBox:
        t = self._t
        facts = [t(f"kind_{q.kind}"), t("app_answered", n=q.n)]
        if 0 < q.n < min_n:
            facts.append(t("app_few", n=min_n))
        text = [f"<b>{i}. {html.escape(q.label)}</b> ({html.escape(', '.join(facts))})"]
        for key, values in (("app_answers", q.answers), ("app_not_counted", q.not_counted)):
            if values:
                text.append(html.escape(f"{t(key)}: {' | '.join(values)}"))
        kinds = SETTABLE if q.kind in SETTABLE else (q.kind,)
        row: dict[str, w.Widget] = {
            "chart": _box(t("app_in_slides", i=i), q.charted),
            "kind": w.Dropdown(
                options=[(t(f"kind_{k}"), k) for k in kinds],
                value=q.kind,
                description=t("app_kind", i=i),
                style=_WIDE,
                disabled=q.kind not in SETTABLE,
            ),
        }
        if q.answers and q.kind != "multi":
            row["order"] = w.Text(
                value=" | ".join(q.answers),
                description=t("app_order", i=i),
                style=_WIDE,
                layout=w.Layout(width="32em"),
            )
        row["exclude"] = _box(t("app_exclude", i=i), False)
        self.rows[q.name] = row
        return w.VBox([w.HTML(f"<p>{'<br>'.join(text)}</p>"), w.HBox(list(row.values()))])

    def _save(self) -> None:
        assert self.seen is not None
        seen, changed = self.seen, False
        for q in self.seen.questions:
            row = self.rows[q.name]
            given = [a.strip() for a in row["order"].value.split("|")] if "order" in row else []
            order = [a for a in given if a] if given and tuple(given) != q.answers else None
            kind = row["kind"].value if row["kind"].value != q.kind else None
            if kind or order or row["exclude"].value:
                seen = self.session.correct(q.name, kind, order, row["exclude"].value or None)
                changed = True
        for name, box in self.left_out.items():
            if not box.value:
                seen, changed = self.session.correct(name, exclude=False), True
        if changed:
            self._opened(seen)
            copy = self.session.copy
            assert copy is not None
            self._step(1.0, "app_saved", file=f"{copy.stem}.codebook.yaml")

    # -- step 3: slides --------------------------------------------------------------------------
    def _make(self) -> None:
        chosen = [name for name, row in self.rows.items() if row["chart"].value]
        by = [var for var, box in self.by_boxes.items() if box.value]
        self.thumbs.children, self.links.value = (), ""
        for button in self.downloads.values():
            button.disabled = True
        self.session.slides(chosen or None, by, self.lang, self._step, shown=self._card)
        for button in self.downloads.values():
            button.disabled = False
        self._step(1.0, "app_done")

    def _card(self, preview: Preview) -> None:
        """A slide's thumbnail and its headline as a text field, added to the page."""
        i = len(self.thumbs.children)
        img = w.HTML(_img(preview))
        text = w.Textarea(
            value=preview.headline,
            description=self._t("app_headline", i=i + 1),
            continuous_update=False,
            rows=2,
            style=_WIDE,
            layout=w.Layout(width="100%"),
        )

        def edited(change: dict[str, Any]) -> None:
            img.value = _img(self.session.set_headline(i, change["new"]))

        text.observe(lambda change: self._run(lambda: edited(change)), names="value")
        card = w.VBox([img, text], layout=w.Layout(width="48%", margin="0 1% 1em 0"))
        self.thumbs.children = (*self.thumbs.children, card)

    # -- step 4: downloads ---------------------------------------------------------------------
    def _download(self, key: str) -> None:
        self._step(0.5, "app_compute")
        name, blob = getattr(self.session, "figures_zip" if key == "figures" else key)()
        href = f"data:{_MIME[Path(name).suffix]};base64,{base64.b64encode(blob).decode()}"
        link = _html("a", self._t("app_download", file=name), download=name, href=href)
        self.links.value = f"<p>{link}</p>"
        self._step(1.0, "app_done")
