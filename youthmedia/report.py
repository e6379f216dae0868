"""``youthmedia report``: run every notebook headless and write ``reports/``.

What :func:`run` does, in order:

1. Hash the input data file (sha256) and pick the kernel: ``youthmedia`` (installed into the
   virtual environment by ``make setup``), else ``python3`` with a warning saying so.
2. Execute every ``<notebooks>/*.ipynb`` in name order with a real kernel through nbclient,
   with a progress bar, a timeout per cell, ``MPLBACKEND=Agg`` and the working directory set to
   ``root`` (the repository root: the folder ``make report`` runs in), so a notebook opens
   ``data/youth_social_media_demo.sav`` exactly as it would in Jupyter started there.
3. Parameters as papermill passes them: after the cell tagged ``parameters`` an extra cell
   tagged ``injected-parameters`` sets :data:`PARAMETERS` -- ``data_path``, ``lang``,
   ``output_dir`` (``reports/<notebook-stem>``) and, when given, ``organisation``.
4. Write ``reports/<stem>/<stem>.html`` (the executed notebook, images embedded) and
   ``<stem>.ipynb`` next to whatever the notebook wrote itself, then ``reports/index.html``
   (relative links to every file, no external assets, no timestamps: the same input gives the
   same page) and ``reports/provenance.json`` (data sha256, package versions, parameters, start
   time, duration, per-notebook status and the sha256 of every output).
5. A failing cell stops the run with a :class:`~youthmedia.errors.YouthmediaError` naming the
   notebook, the cell and the error; the partly executed notebook, the index and the provenance
   are still written so the failure can be inspected.

Without any notebook, the run does the main job instead: ``reports/describe.md`` (and a
browsable ``describe.html``) from :func:`youthmedia.describe.render` and the standard tables
from :func:`youthmedia.standard.write_tables`, both linked from the index.

Each ``reports/<stem>/`` folder is emptied before its notebook runs, so the folder holds
exactly what this run produced (a hidden ``.youthmedia-report`` file marks it as the report's;
a folder without it is never emptied). Every file this module writes is written atomically (a
temporary file in the same folder, then ``os.replace``).

Examples
--------
>>> from pathlib import Path
>>> from youthmedia.report import run
>>> index = run(data="data/youth_social_media_demo.sav", out=Path("reports"))  # doctest: +SKIP
>>> index.name                                                                  # doctest: +SKIP
'index.html'
"""

from __future__ import annotations

import html
import json
import os
import platform
import re
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .errors import ConfigError, DataError, YouthmediaError, YouthmediaWarning
from .files import atomic_write, check_writable, sha256_of

__all__ = [
    "DEFAULT_DATA",
    "DEFAULT_KERNEL",
    "PARAMETERS",
    "inject_parameters",
    "run",
]

DEFAULT_DATA = Path("data/youth_social_media_demo.sav")
"""The survey file used when ``run`` gets no ``data`` (relative to ``root``)."""

DEFAULT_KERNEL = "youthmedia"
"""Kernel installed by ``make setup``; ``python3`` is the fallback."""

FALLBACK_KERNEL = "python3"

PARAMETERS = ("data_path", "lang", "output_dir", "organisation")
"""Names a notebook's ``parameters`` cell defines and the report overrides."""

DEFAULT_TIMEOUT = 600
"""Seconds a single cell may run before the report stops."""

_VERSIONED = ("youthmedia", "pandas", "numpy", "pyreadstat", "matplotlib", "python-pptx",
              "scipy", "statsmodels", "openpyxl", "nbclient", "ipykernel")

_KINDS = {
    ".png": "figure", ".svg": "figure", ".jpg": "figure", ".jpeg": "figure", ".gif": "figure",
    ".webp": "figure", ".pdf": "document",
    ".csv": "table", ".tsv": "table", ".xlsx": "table", ".xls": "table", ".parquet": "table",
    ".pptx": "deck",
    ".html": "page", ".htm": "page", ".md": "text", ".txt": "text", ".json": "data",
    ".ipynb": "notebook",
}
_IMAGES = {".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp"}

_TEXT = {
    "nl": {
        "title": "youthmedia-rapport",
        "input": "Gegevens",
        "language": "taal",
        "organisation": "organisatie",
        "notebooks": "Notebooks",
        "main": "Beschrijving en standaardtabellen",
        "open": "Uitgevoerd notebook openen (HTML)",
        "files": "Bestanden",
        "none": "Dit notebook schreef geen bestanden.",
        "provenance": "Herkomst: invoerbestand, versies, parameters en tijd",
        "ok": "klaar", "failed": "mislukt", "not run": "niet uitgevoerd",
        "figure": "figuur", "table": "tabel", "deck": "presentatie", "page": "pagina",
        "text": "tekst", "data": "gegevens", "notebook": "notebook", "document": "document",
        "file": "bestand",
    },
    "en": {
        "title": "youthmedia report",
        "input": "Data",
        "language": "language",
        "organisation": "organisation",
        "notebooks": "Notebooks",
        "main": "Description and standard tables",
        "open": "Open the executed notebook (HTML)",
        "files": "Files",
        "none": "This notebook wrote no files.",
        "provenance": "Provenance: input file, versions, parameters and time",
        "ok": "done", "failed": "failed", "not run": "not run",
        "figure": "figure", "table": "table", "deck": "slides", "page": "page",
        "text": "text", "data": "data", "notebook": "notebook", "document": "document",
        "file": "file",
    },
}


# --------------------------------------------------------------------------------------------
# small helpers


def _shown(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` (POSIX) when inside it, else absolute."""
    path = path.resolve()
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in _VERSIONED:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def _require(module: str, name: str, purpose: str) -> Callable[..., Any]:
    """Import ``module.name`` lazily; a missing youthmedia module becomes one clear error."""
    try:
        mod = import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            raise YouthmediaError(
                f"{module} is not part of this youthmedia installation, so the report cannot "
                f"{purpose}; update youthmedia (git pull && make setup) or add notebooks to run"
            ) from None
        raise
    if not hasattr(mod, name):
        raise YouthmediaError(
            f"{module} has no {name} in this youthmedia installation, so the report cannot "
            f"{purpose}; update youthmedia (git pull && make setup) or add notebooks to run"
        )
    return getattr(mod, name)


def _first_line(text: str, limit: int = 80) -> str:
    for line in str(text).splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= limit else line[: limit - 1] + "…"
    return ""


# --------------------------------------------------------------------------------------------
# parameters


def inject_parameters(nb: Any, parameters: dict[str, Any], *, name: str = "notebook") -> int:
    """Insert a cell tagged ``injected-parameters`` after the cell tagged ``parameters``.

    Works as papermill does: an earlier injected cell is removed first, values are written as
    Python literals, and the new cell runs right after the notebook's own defaults so it
    overrides them.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook, changed in place.
    parameters : dict
        Variable name -> value (str, int, float, bool or None).
    name : str
        The notebook's name, for the error message.

    Returns
    -------
    int
        Index of the ``parameters`` cell (the injected cell sits at this index + 1).

    Raises
    ------
    ConfigError
        When no cell, or more than one, is tagged ``parameters``.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook()
    >>> cell = nbformat.v4.new_code_cell("lang = 'nl'")
    >>> cell.metadata["tags"] = ["parameters"]
    >>> nb.cells = [cell]
    >>> inject_parameters(nb, {"lang": "en"})
    0
    >>> nb.cells[1].source.splitlines()[-1]
    "lang = 'en'"
    """
    import nbformat

    nb.cells = [c for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])]
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    if len(tagged) != 1:
        found = "no cell" if not tagged else f"{len(tagged)} cells (numbers {[i + 1 for i in tagged]})"
        raise ConfigError(
            f"{name}: {found} tagged 'parameters'; tag exactly one code cell holding "
            f"{', '.join(PARAMETERS)} (JupyterLab: property inspector > cell tags)"
        )
    lines = ["# Parameters injected by `youthmedia report`"]
    lines += [f"{key} = {value!r}" for key, value in parameters.items()]
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.metadata["tags"] = ["injected-parameters"]
    cell.pop("id", None)  # ids are random; keep the executed notebook reproducible
    if nb.nbformat_minor >= 5:
        cell["id"] = "injected-parameters"
    nb.cells.insert(tagged[0] + 1, cell)
    return tagged[0]


# --------------------------------------------------------------------------------------------
# kernel and execution


def _kernel(requested: str | None) -> tuple[str, bool]:
    """The kernel to use and whether it is the fallback."""
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager().find_kernel_specs()
    if requested is not None:
        if requested not in specs:
            raise ConfigError(
                f"Jupyter kernel {requested!r} is not installed (found: {', '.join(sorted(specs))}); "
                "run `make setup` or pass one of those"
            )
        return requested, False
    if DEFAULT_KERNEL in specs:
        return DEFAULT_KERNEL, False
    warnings.warn(
        f"Jupyter kernel {DEFAULT_KERNEL!r} is not installed; running the notebooks with "
        f"{FALLBACK_KERNEL!r} instead (run `make setup` to install it)",
        YouthmediaWarning, stacklevel=3,
    )
    return FALLBACK_KERNEL, True


def _kernel_env() -> dict[str, str]:
    env = dict(os.environ)
    env["MPLBACKEND"] = "Agg"          # headless figures
    env["PYTHONHASHSEED"] = "0"        # set/dict iteration order identical between runs
    env.setdefault("SOURCE_DATE_EPOCH", "0")  # matplotlib writes no creation date into PDF/SVG
    return env


@dataclass
class _Outcome:
    """What happened to one notebook."""

    path: Path
    stem: str
    title: str
    status: str = "not run"          # ok | failed | not run
    seconds: float = 0.0
    error: str | None = None
    cell: int | None = None          # 1-based position in the source notebook
    html: Path | None = None
    files: list[Path] = field(default_factory=list)


def _title(nb: Any, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip() or fallback
            break
    return fallback


def _execute(nb: Any, outcome: _Outcome, *, kernel: str, timeout: int, root: Path,
             param_index: int, shown: str, on_cell: Callable[[int, int], None]) -> None:
    """Execute ``nb`` in place; fill ``outcome`` with the status and, on failure, the error."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    from traitlets.config import Config

    current = {"index": 0}
    total = len(nb.cells)

    def on_cell_start(cell: Any = None, cell_index: int = 0, **_: Any) -> None:
        current["index"] = cell_index
        on_cell(cell_index + 1, total)

    # Local sockets instead of TCP on localhost (and no warning from the kernel about it). Their
    # files go to a private folder of this run: by default jupyter_client names them
    # "kernel-ipc-N" in the working directory, so two runs in one folder (a report beside a
    # Jupyter session, two test processes) would bind each other's sockets ("Invalid Signature").
    sockets = tempfile.mkdtemp(prefix="youthmedia-kernel-") if os.name == "posix" else None
    manager = {"transport": "ipc", "ip": os.path.join(sockets, "kernel")} if sockets else {}
    client = NotebookClient(
        nb, timeout=timeout, kernel_name=kernel, allow_errors=False, record_timing=False,
        startup_timeout=120, resources={"metadata": {"path": str(root)}},
        on_cell_start=on_cell_start, config=Config({"KernelManager": manager}),
    )
    start = time.perf_counter()
    problem: str | None = None
    try:
        client.execute(cwd=str(root), env=_kernel_env())
    except CellExecutionError as exc:
        evalue = _first_line(exc.evalue, 200)
        problem = f"{exc.ename}: {evalue}" if evalue else exc.ename
    except CellTimeoutError:
        problem = (f"no result after {timeout} s (the cell timeout); speed the cell up or "
                   "raise the timeout")
    except DeadKernelError:
        problem = "the kernel died (out of memory?)"
    except Exception as exc:  # kernel failed to start, zmq trouble, ...
        raise YouthmediaError(
            f"{shown}: could not run the notebook with kernel {kernel!r}: "
            f"{type(exc).__name__}: {_first_line(str(exc), 200)}"
        ) from None
    finally:
        outcome.seconds = time.perf_counter() - start
        if sockets:
            shutil.rmtree(sockets, ignore_errors=True)
    if problem is None:
        outcome.status = "ok"
        return
    index = current["index"]
    cell = nb.cells[index]
    if index == param_index + 1:
        where = "the injected parameters cell"
        outcome.cell = None
    else:
        outcome.cell = index + 1 if index <= param_index else index  # position in the source
        where = f"cell {outcome.cell} (`{_first_line(cell.source, 60)}`)"
    outcome.status = "failed"
    outcome.error = f"{where}: {problem}"


def _to_html(nb: Any, title: str) -> str:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab", embed_images=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


def _files(folder: Path) -> list[Path]:
    """Every file under ``folder`` except hidden and temporary ones, sorted."""
    if not folder.is_dir():
        return []
    return sorted(
        (p for p in folder.rglob("*")
         if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)),
        key=lambda p: p.relative_to(folder).as_posix(),
    )


_MARKER = ".youthmedia-report"


def _clear(folder: Path, protect: list[Path]) -> None:
    """Empty a notebook's output folder of an earlier run, then create it with its marker.

    Only a folder this report made (it holds the hidden marker file) or an empty one is
    emptied, and never one holding the data file or the notebooks: ``--out .`` next to a folder
    named like a notebook must not cost anyone their files.
    """
    if folder.exists():
        for path in protect:
            if path.resolve().is_relative_to(folder.resolve()):
                raise ConfigError(
                    f"{path} lies inside the output folder {folder}, which the report empties "
                    "before each run; choose another --out"
                )
        if not folder.is_dir() or not ((folder / _MARKER).is_file() or not any(folder.iterdir())):
            raise ConfigError(
                f"{folder} exists and was not written by youthmedia report, which empties it "
                "before each run; move it away or choose another --out"
            )
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    atomic_write(folder / _MARKER, "Written by `youthmedia report`; emptied on every run.\n")


# --------------------------------------------------------------------------------------------
# the main job (no notebooks)


def _main_job(data: Path, out: Path, lang: str) -> list[Path]:
    render = _require("youthmedia.describe", "render", "write describe.md")
    write_tables = _require("youthmedia.standard", "write_tables", "write the standard tables")
    load = _require("youthmedia.io", "load", "read the survey file")
    survey = load(data)
    markdown = render(survey, fmt="markdown", lang=lang)
    written = [atomic_write(out / "describe.html", _markdown_page(markdown, data.name, lang)),
               atomic_write(out / "describe.md", markdown)]
    tables = write_tables(survey, out / "tables.xlsx", lang=lang, questions=None)
    written.append(Path(tables))
    return written


def _markdown_page(markdown: str, title: str, lang: str) -> str:
    import mistune

    # escape=True: a label holding HTML ("<script>") is shown as text, never run
    body = mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])(markdown)
    return _page(html.escape(title), body, lang)


# --------------------------------------------------------------------------------------------
# index.html and provenance.json

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;
color:#1d2433;background:#f6f7f9;line-height:1.45}
main{max-width:1100px;margin:0 auto;padding:2rem 1.5rem 3rem}
h1{font-size:1.9rem;margin:0 0 .3rem}h2{font-size:1.3rem;margin:0 0 .4rem}
.meta{color:#5a6375;margin:.2rem 0}code{font-size:.9em;background:#eceff3;padding:0 .25em;
border-radius:3px}nav ol{padding-left:1.3rem}nav a{text-decoration:none}
section{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:1.1rem 1.3rem;
margin:1.2rem 0}a{color:#0b5cad}
.status{display:inline-block;font-size:.8rem;font-weight:600;padding:.05rem .55rem;
border-radius:999px;margin-left:.5rem;vertical-align:middle}
.ok{background:#e2f4e6;color:#1d6b33}.failed{background:#fbe3e3;color:#9b1c1c}
.not-run{background:#eceff3;color:#5a6375}.error{color:#9b1c1c}
.gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:.8rem;
margin:.8rem 0}figure{margin:0;border:1px solid #dde1e7;border-radius:6px;padding:.4rem;
background:#fff}figure img{width:100%;height:auto;display:block}
figcaption{font-size:.8rem;color:#5a6375;margin-top:.3rem;word-break:break-all}
ul.files{padding-left:1.2rem}.kind{color:#5a6375;font-size:.85em}
footer{color:#5a6375;font-size:.9rem}nav{margin-top:1.4rem}
table{border-collapse:collapse}td,th{border:1px solid #dde1e7;padding:.2rem .5rem}
"""


def _page(title: str, body: str, lang: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        f"{body}\n</main>\n</body>\n</html>\n"
    )


def _href(path: Path, out: Path) -> str:
    return quote(path.relative_to(out).as_posix())


def _file_list(files: list[Path], out: Path, base: Path, t: dict[str, str]) -> str:
    """Thumbnails for figures, a list for the rest; names shown relative to ``base``."""
    parts = []
    images = [f for f in files if f.suffix.lower() in _IMAGES]
    if images:
        parts.append('<div class="gallery">')
        for f in images:
            href, name = _href(f, out), html.escape(f.relative_to(base).as_posix())
            parts.append(f'<figure><a href="{href}"><img src="{href}" alt="{name}" '
                         f'loading="lazy"></a><figcaption>{name}</figcaption></figure>')
        parts.append("</div>")
    others = [f for f in files if f.suffix.lower() not in _IMAGES]
    if others:
        parts.append('<ul class="files">')
        for f in others:
            kind = t[_KINDS.get(f.suffix.lower(), "file")]
            parts.append(f'<li><a href="{_href(f, out)}">{html.escape(f.relative_to(base).as_posix())}'
                         f'</a> <span class="kind">{html.escape(kind)}</span></li>')
        parts.append("</ul>")
    return "\n".join(parts)


def _code_spans(text: str) -> str:
    """Escape ``text`` for HTML, showing `backticked` parts as code."""
    return re.sub(r"`([^`]*)`", r"<code>\1</code>", html.escape(text))


def _index_html(out: Path, *, lang: str, data_shown: str, data_sha: str, organisation: str | None,
                outcomes: list[_Outcome], main_files: list[Path]) -> str:
    t = _TEXT.get(lang, _TEXT["en"])
    meta = [f"{t['input']}: <code>{html.escape(data_shown)}</code>",
            f"sha256 <code>{data_sha[:16]}…</code>", f"{t['language']}: {html.escape(lang)}"]
    if organisation:
        meta.append(f"{t['organisation']}: {html.escape(organisation)}")
    body = [f"<header><h1>{t['title']}</h1>", f'<p class="meta">{" · ".join(meta)}</p></header>']
    if outcomes:
        body.append(f"<nav><h2>{t['notebooks']}</h2><ol>")
        for o in outcomes:
            status = o.status.replace(" ", "-")
            body.append(f'<li><a href="#{quote(o.stem)}">{html.escape(o.title)}</a>'
                        f'<span class="status {status}">{t[o.status]}</span></li>')
        body.append("</ol></nav>")
    for o in outcomes:
        status = o.status.replace(" ", "-")
        body.append(f'<section id="{html.escape(o.stem)}">')
        body.append(f"<h2>{html.escape(o.title)}<span class=\"status {status}\">{t[o.status]}"
                    f"</span></h2>")
        body.append(f'<p class="meta"><code>{html.escape(o.path.name)}</code></p>')
        if o.error:
            body.append(f'<p class="error">{_code_spans(o.error)}</p>')
        if o.html is not None:
            body.append(f'<p><a href="{_href(o.html, out)}">{t["open"]}</a></p>')
        own = [f for f in o.files if f != o.html]
        if own:
            body.append(_file_list(own, out, out / o.stem, t))
        elif o.status == "ok":
            body.append(f'<p class="meta">{t["none"]}</p>')
        body.append("</section>")
    if main_files:
        body.append(f"<section><h2>{t['main']}</h2>")
        body.append(_file_list(main_files, out, out, t))
        body.append("</section>")
    body.append(f'<footer><p><a href="provenance.json">{t["provenance"]}</a> '
                f'(provenance.json)</p></footer>')
    return _page(t["title"], "\n".join(body), lang)


# --------------------------------------------------------------------------------------------
# run


def run(data: str | Path | None = None, out: str | Path = Path("reports"), lang: str = "nl",
        notebooks: str | Path = Path("notebooks"), *, organisation: str | None = None,
        kernel_name: str | None = None, timeout: int = DEFAULT_TIMEOUT,
        root: str | Path | None = None, progress: bool | None = None) -> Path:
    """Execute every notebook and write ``out/`` with an index and a provenance file.

    Parameters
    ----------
    data : str or Path, optional
        The survey file every notebook gets as ``data_path``; default
        ``data/youth_social_media_demo.sav`` under ``root``.
    out : str or Path
        Output folder; each notebook writes to ``out/<notebook-stem>/``.
    lang : {"nl", "en"}
        Language passed to the notebooks and used for the index.
    notebooks : str or Path
        Folder whose ``*.ipynb`` files are run in name order. Without notebooks the main job
        runs (codebook description and standard tables).
    organisation : str, optional
        Organisation name for the notebooks' source lines; not injected when None.
    kernel_name : str, optional
        Jupyter kernel; default ``youthmedia``, falling back to ``python3`` with a warning.
    timeout : int
        Seconds one cell may run.
    root : str or Path, optional
        Working directory of the kernel (default: the current directory, the repository root
        under ``make report``); relative paths in notebooks resolve against it.
    progress : bool, optional
        Show the progress bar; default: only on a terminal.

    Returns
    -------
    Path
        ``out/index.html``.

    Raises
    ------
    DataError
        The data file does not exist.
    ConfigError
        Bad arguments, a missing kernel, or a notebook without a ``parameters`` cell.
    YouthmediaError
        A notebook failed: names the notebook, the cell and the error. Everything up to the
        failure is written first.

    Examples
    --------
    >>> from youthmedia.report import run
    >>> run(data="data/youth_social_media_demo.sav", lang="en")   # doctest: +SKIP
    PosixPath('reports/index.html')
    """
    import nbformat
    from tqdm.auto import tqdm

    started = datetime.now(UTC)
    clock = time.perf_counter()
    root = Path(root).resolve() if root is not None else Path.cwd().resolve()
    out, folder = Path(out), Path(notebooks)
    if not out.is_absolute():
        out = root / out
    if not folder.is_absolute():
        folder = root / folder
    if lang not in _TEXT:
        raise ConfigError(f"language {lang!r} is not supported; use one of {', '.join(_TEXT)}")
    if not isinstance(timeout, int) or timeout <= 0:
        raise ConfigError(f"timeout must be a positive number of seconds, not {timeout!r}")
    check_writable(out, folder=True)   # one line now, not a traceback after the computing
    data_path = Path(data) if data is not None else DEFAULT_DATA
    if not data_path.is_absolute():
        data_path = root / data_path
    if not data_path.is_file():
        hint = "run `make data` to build the demo data" if data is None else "check the path"
        raise DataError(f"data file {_shown(data_path, root)} not found; {hint} or pass --data FILE")
    if not folder.is_dir():
        raise ConfigError(f"notebook folder {_shown(folder, root)} does not exist; "
                          "pass --notebooks FOLDER")
    paths = sorted(folder.glob("*.ipynb"), key=lambda p: p.name)
    data_shown, data_sha = _shown(data_path, root), sha256_of(data_path)
    common: dict[str, Any] = {"data_path": data_shown, "lang": lang}
    if organisation is not None:
        common["organisation"] = organisation
    out.mkdir(parents=True, exist_ok=True)

    outcomes: list[_Outcome] = []
    main_files: list[Path] = []
    kernel, fallback = (None, False)
    failure: str | None = None
    if paths:
        kernel, fallback = _kernel(kernel_name)
        books = []
        for path in paths:
            try:
                nb = nbformat.read(path, as_version=4)
            except Exception as exc:
                raise DataError(f"{_shown(path, root)} is not a readable notebook: "
                                f"{_first_line(str(exc), 160)}") from None
            books.append(nb)
            outcomes.append(_Outcome(path=path, stem=path.stem, title=_title(nb, path.stem)))
        bar = tqdm(total=len(paths), unit="notebook", disable=None if progress is None
                   else not progress, file=sys.stderr, dynamic_ncols=True)
        try:
            for nb, outcome in zip(books, outcomes, strict=True):
                shown = _shown(outcome.path, root)
                bar.set_description(outcome.stem)
                target = out / outcome.stem
                _clear(target, [data_path, folder])
                params = {**common, "output_dir": _shown(target, root)}
                param_index = inject_parameters(nb, params, name=shown)

                def on_cell(i: int, n: int, bar: Any = bar) -> None:
                    bar.set_postfix_str(f"cell {i}/{n}", refresh=True)

                _execute(nb, outcome, kernel=kernel, timeout=timeout, root=root,
                         param_index=param_index, shown=shown, on_cell=on_cell)
                atomic_write(target / f"{outcome.stem}.ipynb", nbformat.writes(nb))
                outcome.html = atomic_write(target / f"{outcome.stem}.html",
                                             _to_html(nb, outcome.title))
                outcome.files = _files(target)
                bar.update(1)
                if bar.disable and progress is None:  # no terminal (a log): one line per notebook
                    print(f"{shown}: {outcome.status} ({outcome.seconds:.1f} s)", file=sys.stderr)
                if outcome.status == "failed":
                    failure = (f"notebook {shown} failed at {outcome.error}; the partly executed "
                               f"notebook is in {_shown(outcome.html, root)}")
                    break
        finally:
            bar.close()
    else:
        main_files = _main_job(data_path, out, lang)

    index = atomic_write(out / "index.html", _index_html(
        out, lang=lang, data_shown=data_shown, data_sha=data_sha, organisation=organisation,
        outcomes=outcomes, main_files=main_files))
    provenance = {
        "tool": "youthmedia report",
        "status": "failed" if failure else "ok",
        "started": started.isoformat(timespec="seconds"),
        "duration_seconds": round(time.perf_counter() - clock, 3),
        "data": {"path": data_shown, "sha256": data_sha, "bytes": data_path.stat().st_size},
        "parameters": {**common, "output_dir": f"{_shown(out, root)}/<notebook>"},
        "kernel": {"name": kernel, "fallback": fallback, "cell_timeout_seconds": timeout,
                   "cwd": str(root)},
        "versions": _versions(),
        "platform": platform.platform(),
        "notebooks": [
            {"notebook": _shown(o.path, root), "sha256": sha256_of(o.path), "status": o.status,
             "duration_seconds": round(o.seconds, 3), "error": o.error,
             "output_dir": _shown(out / o.stem, root),
             "outputs": {f.relative_to(out).as_posix(): sha256_of(f) for f in o.files}}
            for o in outcomes
        ],
        "outputs": {f.relative_to(out).as_posix(): sha256_of(f) for f in main_files},
        "error": failure,
    }
    atomic_write(out / "provenance.json",
                  json.dumps(provenance, indent=2, ensure_ascii=False) + "\n")
    if failure:
        raise YouthmediaError(failure)
    return index
