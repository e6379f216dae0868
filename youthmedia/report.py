"""``youthmedia report``: :func:`run` executes every notebook headless (nbclient, papermill's
parameters) into ``reports/<stem>/`` and writes ``index.html`` and ``provenance.json``."""

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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import distributions
from pathlib import Path
from typing import Any
from urllib.parse import quote

from . import i18n
from .errors import ConfigError, DataError, YouthmediaError, YouthmediaWarning
from .files import atomic_write, check_writable, sha256_of

__all__ = ["run"]

DEFAULT_DATA = Path("data/youth_social_media_demo.sav")
DEFAULT_KERNEL = "youthmedia"  # installed by `make setup`; python3 is the fallback
PARAMETERS = ("data_path", "lang", "output_dir", "organisation")
_VERSIONED = (
    "youthmedia pandas numpy pyreadstat matplotlib python-pptx scipy statsmodels openpyxl "
    "papermill nbclient ipykernel"
).split()
_MARKER = ".youthmedia-report"
_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:1100px;margin:auto;padding:1rem}.meta{color:#555}"
    ".status{margin-left:.5rem;padding:0 .5rem;border-radius:1rem}.ok{background:#e2f4e6}"
    ".failed{background:#fbe3e3}.error{color:#9b1c1c}img{width:230px}figure{display:inline-block}"
)


@dataclass
class _Outcome:
    path: Path
    title: str
    status: str = "not_run"  # ok | failed | not_run
    seconds: float = 0.0
    error: str | None = None
    files: list[Path] = field(default_factory=list)


def _shown(path: Path, root: Path) -> str:
    path = path.resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _first_line(text: Any, limit: int = 200) -> str:
    line = next((s.strip() for s in str(text).splitlines() if s.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _kernel(requested: str | None) -> tuple[str, bool]:
    """The kernel to use and whether it is the fallback."""
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager().find_kernel_specs()
    if (requested or DEFAULT_KERNEL) in specs:
        return requested or DEFAULT_KERNEL, False
    if requested:
        raise ConfigError(
            f"Jupyter kernel {requested!r} is not installed (found: {', '.join(sorted(specs))}); "
            "run `make setup` or pass one of those"
        )
    warnings.warn(
        f"Jupyter kernel {DEFAULT_KERNEL!r} is not installed; running the notebooks with "
        "'python3' instead (run `make setup` to install it)",
        YouthmediaWarning,
        stacklevel=3,
    )
    return "python3", True


def _parameterize(nb: Any, params: dict[str, Any], kernel: str, shown: str) -> tuple[Any, int]:
    """The notebook with papermill's ``injected-parameters`` cell, and its parameters cell."""
    from papermill.parameterize import parameterize_notebook

    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    if len(tagged) != 1:
        raise ConfigError(
            f"{shown}: {f'{len(tagged)} cells' if tagged else 'no cell'} tagged 'parameters'; "
            f"tag exactly one code cell holding {', '.join(PARAMETERS)} (JupyterLab: cell tags)"
        )
    nb.metadata.setdefault("papermill", {})
    for cell in nb.cells:  # papermill reads every cell's tags
        cell.metadata.setdefault("tags", [])
    nb = parameterize_notebook(nb, params, kernel_name=kernel, language="python")
    nb.cells[tagged[0] + 1]["id"] = "injected-parameters"  # not random: reproducible files
    return nb, tagged[0]


def _execute(nb: Any, name: str, kernel: str, timeout: int, root: Path, param: int) -> str | None:
    """Execute ``nb`` in place; on failure, where and what."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    from traitlets.config import Config

    # kernel sockets in a private folder (jupyter_client's default, kernel-ipc-N in the working
    # folder, lets two runs there bind each other's sockets)
    sockets = tempfile.mkdtemp(prefix="youthmedia-kernel-")
    ipc = {"transport": "ipc", "ip": f"{sockets}/kernel"}
    at = {"cell": 0}
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel,
        record_timing=False,
        startup_timeout=120,
        on_cell_start=lambda cell_index=0, **_: at.update(cell=cell_index),
        config=Config(KernelManager=ipc if os.name == "posix" else {}),
    )
    env = {"MPLBACKEND": "Agg", "PYTHONHASHSEED": "0", "SOURCE_DATE_EPOCH": "0"}
    try:
        client.execute(cwd=str(root), env=os.environ | env)
        return None
    except CellExecutionError as exc:
        problem = f"{exc.ename}: {_first_line(exc.evalue)}" if exc.evalue else exc.ename
    except CellTimeoutError:
        problem = f"no result after {timeout} s (the cell timeout); speed it up or raise it"
    except DeadKernelError:
        problem = "the kernel died (out of memory?)"
    except Exception as exc:  # kernel failed to start, zmq trouble, ...
        raise YouthmediaError(
            f"{name}: could not run the notebook with kernel {kernel!r}: "
            f"{type(exc).__name__}: {_first_line(exc)}"
        ) from None
    finally:
        shutil.rmtree(sockets, ignore_errors=True)
    i = at["cell"]
    where = f"cell {i + 1 if i <= param else i} (`{_first_line(nb.cells[i].source, 60)}`)"
    return f"{where if i != param + 1 else 'the injected parameters cell'}: {problem}"


def _clear(folder: Path, protect: list[Path]) -> None:
    """Empty an output folder this report made (its marker) or an empty one, not the inputs'."""
    if folder.exists():
        if any(p.resolve().is_relative_to(folder.resolve()) for p in protect):
            raise ConfigError(
                f"the data or notebooks lie inside {folder}, which the report empties before "
                "each run; choose another --out"
            )
        if not folder.is_dir() or not ((folder / _MARKER).is_file() or not any(folder.iterdir())):
            raise ConfigError(
                f"{folder} exists and was not written by youthmedia report, which empties it "
                "before each run; move it away or choose another --out"
            )
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    atomic_write(folder / _MARKER, "Written by `youthmedia report`; emptied on every run.\n")


def _main_job(data: Path, out: Path, lang: str) -> list[Path]:
    """Without notebooks: the survey's description and standard tables."""
    import mistune  # nbconvert's markdown engine

    from .describe import render
    from .io import load
    from .standard import write_tables

    survey = load(data)
    markdown = render(survey, fmt="markdown", lang=lang)
    body = mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])(markdown)
    return [  # escape=True: a label's <script> is text
        atomic_write(out / "describe.html", _page(html.escape(data.name), body, lang)),
        atomic_write(out / "describe.md", markdown),
        Path(write_tables(survey, out / "tables.xlsx", lang=lang)),
    ]


def _page(title: str, body: str, lang: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n{body}\n"
        "</main>\n</body>\n</html>\n"
    )


def _file_list(files: list[Path], out: Path, base: Path) -> str:
    """Thumbnails for figures, a list for the rest; names shown relative to ``base``."""
    images, others = [], []
    for f in files:
        h, n = quote(f.relative_to(out).as_posix()), html.escape(f.relative_to(base).as_posix())
        if f.suffix.lower() in (".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp"):
            images.append(f'<figure><a href="{h}"><img src="{h}" alt="{n}" loading="lazy"></a>')
            images.append(f"<figcaption>{n}</figcaption></figure>")
        else:
            others.append(
                f'<li><a href="{h}">{n}</a> <span class="meta">{f.suffix[1:]}</span></li>'
            )
    gallery = ['<div class="gallery">', *images, "</div>"] if images else []
    return "\n".join(gallery + (["<ul>", *others, "</ul>"] if others else []))


def _index_html(out: Path, lang: str, data: str, sha: str, org: str | None, outcomes, main) -> str:
    def t(key: str) -> str:
        return i18n.t(f"report_{key}", lang)

    meta = [f"{t('input')}: <code>{html.escape(data)}</code>", f"sha256 <code>{sha[:16]}…</code>"]
    meta += [f"{t('language')}: {lang}"]
    meta += [f"{t('organisation')}: {html.escape(org)}"] if org else []
    body = [f"<h1>{t('title')}</h1>", f'<p class="meta">{" · ".join(meta)}</p>']
    status = {o.path: f'<span class="status {o.status}">{t(o.status)}</span>' for o in outcomes}
    items = [
        f'<li><a href="#{quote(o.path.stem)}">{html.escape(o.title)}</a>{status[o.path]}</li>'
        for o in outcomes
    ]
    body += [f"<nav><h2>{t('notebooks')}</h2><ol>", *items, "</ol></nav>"] if outcomes else []
    for o in outcomes:
        body += [
            f'<section id="{html.escape(o.path.stem)}"><h2>{html.escape(o.title)}{status[o.path]}</h2>',
            f'<p class="meta"><code>{html.escape(o.path.name)}</code></p>',
        ]
        if o.error:
            error = re.sub(r"`([^`]*)`", r"<code>\1</code>", html.escape(o.error))
            body.append(f'<p class="error">{error}</p>')
        if o.status != "not_run":
            page = quote(f"{o.path.stem}/{o.path.stem}.html")
            body.append(f'<p><a href="{page}">{t("open")}</a></p>')
        body += [_file_list(o.files, out, out / o.path.stem), "</section>"]
    if main:
        body += [f"<section><h2>{t('main')}</h2>", _file_list(main, out, out), "</section>"]
    body.append(f'<footer><p><a href="provenance.json">{t("provenance")}</a></p></footer>')
    return _page(t("title"), "\n".join(body), lang)


def _notebook(path: Path, out: Path, root: Path, kernel: str, timeout: int, common: dict, protect):
    """Run one notebook into ``out/<stem>/``: its outputs, the executed .ipynb and .html."""
    import nbformat
    from nbconvert import HTMLExporter

    shown = _shown(path, root)
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:
        raise DataError(f"{shown} is not a readable notebook: {_first_line(exc)}") from None
    first = nb.cells[0].source if nb.cells and nb.cells[0].cell_type == "markdown" else ""
    heads = [line.lstrip("#").strip() for line in first.splitlines() if line.startswith("#")]
    outcome, target = _Outcome(path, heads[0] if heads else path.stem), out / path.stem
    nb, param = _parameterize(nb, {**common, "output_dir": _shown(target, root)}, kernel, shown)
    _clear(target, protect)
    start = time.perf_counter()
    outcome.error = _execute(nb, path.name, kernel, timeout, root, param)
    outcome.seconds = time.perf_counter() - start
    outcome.status = "failed" if outcome.error else "ok"
    atomic_write(target / f"{path.stem}.ipynb", nbformat.writes(nb))
    page, _ = HTMLExporter(template_name="lab", embed_images=True).from_notebook_node(
        nb, resources={"metadata": {"name": outcome.title}}
    )
    atomic_write(target / f"{path.stem}.html", page)
    files = [p for p in target.rglob("*") if p.is_file()]  # every file but hidden ones
    hidden = [any(s.startswith(".") for s in p.relative_to(target).parts) for p in files]
    outcome.files = sorted((p for p, h in zip(files, hidden, strict=True) if not h), key=str)
    return outcome


def _provenance(info: dict, outcomes: list[_Outcome], main, out: Path, root: Path, failure):
    """provenance.json: the run, the versions, each notebook's status and outputs' sha256."""
    installed = {d.name.lower(): d.version for d in distributions()}
    installed["python"] = platform.python_version()

    def sums(files: list[Path]) -> dict[str, str]:
        return {f.relative_to(out).as_posix(): sha256_of(f) for f in files}

    info |= {
        "versions": {n: installed.get(n, "not installed") for n in ("python", *_VERSIONED)},
        "platform": platform.platform(),
        "notebooks": [
            {
                "notebook": _shown(o.path, root),
                "sha256": sha256_of(o.path),
                "status": o.status.replace("_", " "),
                "duration_seconds": round(o.seconds, 3),
                "error": o.error,
                "output_dir": _shown(out / o.path.stem, root),
                "outputs": sums(o.files),
            }
            for o in outcomes
        ],
        "outputs": sums(main),
        "error": failure,
    }
    return json.dumps(info, indent=2, ensure_ascii=False) + "\n"


def run(
    data: str | Path | None = None,
    out: str | Path = Path("reports"),
    lang: str = "nl",
    notebooks: str | Path = Path("notebooks"),
    *,
    organisation: str | None = None,
    kernel_name: str | None = None,
    timeout: int = 600,
    root: str | Path | None = None,
    progress: bool | None = None,
) -> Path:
    """Execute every notebook in ``notebooks`` into ``out/<stem>/``, write an index and a
    provenance file, and return ``out/index.html`` (without notebooks: the survey's description
    and tables). ``data``, ``lang`` and ``organisation`` go to every notebook; ``kernel_name``
    defaults to ``youthmedia``, else ``python3`` with a warning; ``timeout`` is per cell; ``root``
    is the kernel's working directory."""
    started, clock = datetime.now(UTC), time.perf_counter()
    root = Path(root or Path.cwd()).resolve()
    out, folder = root / Path(out), root / Path(notebooks)
    data_path = root / Path(data if data is not None else DEFAULT_DATA)
    i18n.check_lang(lang)  # one line now, not a traceback after the computing
    if not isinstance(timeout, int) or timeout <= 0:
        raise ConfigError(f"timeout must be a positive number of seconds, not {timeout!r}")
    check_writable(out, folder=True)
    shown = _shown(data_path, root)
    if not data_path.is_file():
        hint = "run `make data` to build the demo data" if data is None else "check the path"
        raise DataError(f"data file {shown} not found; {hint} or pass --data FILE")
    if not folder.is_dir():
        raise ConfigError(
            f"notebook folder {_shown(folder, root)} does not exist; pass --notebooks FOLDER"
        )
    paths = sorted(folder.glob("*.ipynb"), key=lambda p: p.name)
    common = {"data_path": shown, "lang": lang}
    common |= {"organisation": organisation} if organisation is not None else {}
    out.mkdir(parents=True, exist_ok=True)
    outcomes = [_Outcome(p, p.stem) for p in paths]
    kernel, fallback = _kernel(kernel_name) if paths else (None, False)
    main, failure = [] if paths else _main_job(data_path, out, lang), None
    for i, path in enumerate(paths):
        outcomes[i] = o = _notebook(path, out, root, kernel, timeout, common, [data_path, folder])
        if progress is not False:
            print(f"{_shown(path, root)}: {o.status} ({o.seconds:.1f} s)", file=sys.stderr)
        if o.error:
            failure = (
                f"notebook {_shown(path, root)} failed at {o.error}; the partly executed "
                f"notebook is in {_shown(out / path.stem / f'{path.stem}.html', root)}"
            )
            break
    sha = sha256_of(data_path)
    index = _index_html(out, lang, shown, sha, organisation, outcomes, main)
    index = atomic_write(out / "index.html", index)
    info = {
        "tool": "youthmedia report",
        "status": "failed" if failure else "ok",
        "started": started.isoformat(timespec="seconds"),
        "duration_seconds": round(time.perf_counter() - clock, 3),
        "data": {"path": shown, "sha256": sha, "bytes": data_path.stat().st_size},
        "parameters": {**common, "output_dir": f"{_shown(out, root)}/<notebook>"},
        "kernel": dict(name=kernel, fallback=fallback, cell_timeout_seconds=timeout, cwd=str(root)),
    }
    atomic_write(out / "provenance.json", _provenance(info, outcomes, main, out, root, failure))
    if failure:
        raise YouthmediaError(failure)
    return index
