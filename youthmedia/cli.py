"""The ``youthmedia`` command: ``describe``, ``tables``, ``slides``, ``report`` and ``app``.

Thin over the library: each subcommand loads, calls one library function and prints or writes.
A ``YouthmediaError`` becomes one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import warnings
import zipfile
from collections.abc import Sequence
from pathlib import Path

from .errors import YouthmediaError, YouthmediaWarning

__all__ = ["main"]


def _load(args: argparse.Namespace):
    from .io import load
    from .io.roles import label_language
    from .published import is_published_table

    if args.command == "slides" and is_published_table(args.file):  # the deck reads it
        args.lang = args.lang or "nl"
        return args.file
    survey = load(args.file, columns=args.columns)
    survey = survey.with_design(weight=args.weight) if args.weight else survey
    survey = survey.unweighted() if getattr(args, "no_design", False) else survey
    if args.lang is None:  # the language of the file's labels
        args.lang = survey.source.options.get("language") or label_language(survey.codebook)
    return survey


def _ours(path: Path) -> bool:
    """Whether ``path`` is a deck or workbook youthmedia wrote (then it may be replaced)."""
    try:
        with zipfile.ZipFile(path) as z:
            return b">youthmedia<" in z.read("docProps/core.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False


def _out(args: argparse.Namespace, suffix: str) -> Path:
    """``--out``, else ``<input name><suffix>`` here; a file of that name youthmedia did not
    write (the input itself, another deck) is kept: ``<name>-2<suffix>``."""
    stem, out, k = Path(args.file).stem, args.out or Path(Path(args.file).stem + suffix), 2
    while (
        not args.out
        and out.exists()
        and (not _ours(out) or out.resolve() == Path(args.file).resolve())
    ):
        out, k = Path(f"{stem}-{k}{suffix}"), k + 1
    return out


def _describe(args: argparse.Namespace) -> str:
    from .describe import render

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", YouthmediaWarning)
        survey = _load(args)
    for w in caught:  # one line each, not Python's file:line warning format
        if issubclass(w.category, YouthmediaWarning):
            print(f"youthmedia: warning: {w.message}", file=sys.stderr)
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    print(render(survey, fmt=args.format, lang=args.lang))
    if args.codebook:
        from .io.sidecar import write_sidecar

        print(f"wrote {write_sidecar(survey, args.codebook)}", file=sys.stderr)
    return ""


def _tables(args: argparse.Namespace) -> Path:
    from .standard import write_tables

    survey = _load(args)
    return write_tables(survey, _out(args, "_tables.xlsx"), args.lang, args.questions, by=args.by)


def _slides(args: argparse.Namespace) -> Path:
    from .standard import write_deck

    file = _load(args)
    out = _out(args, ".pptx")
    kw = {"weight": args.weight, "by": args.by, "charts": args.charts}
    return write_deck(file, out, args.lang, args.questions, **kw)


def _report(args: argparse.Namespace) -> Path:
    from .report import run

    keys = ("data", "out", "lang", "notebooks", "organisation")
    return run(**{k: getattr(args, k) for k in keys})


def _app(args: argparse.Namespace) -> int:
    from .app.server import serve

    return serve(port=args.port, open_browser=not args.no_browser)


_LANG = {"choices": ["nl", "en"], "help": "language of texts (default: that of the file's labels)"}
_SURVEY = {
    "file": {"help": "survey file: .sav .zsav .por .dta .csv .tsv .txt .xlsx"},
    "--lang": _LANG,
    "--columns": {"nargs": "+", "help": "load only these variables"},
}
_OUTPUTS = _SURVEY | {
    "--out": {"type": Path, "help": "output file (default: named after the input, here)"},
    "--questions": {"nargs": "+", "help": "variables, sets, groups or patterns (q2*)"},
    "--weight": {"help": "name of the weight variable"},
    "--by": {
        "action": "append",
        "help": "break down by this variable (repeatable; default: the gender and age band found)",
    },
    "--no-design": {"action": "store_true", "help": "ignore the weight and design found"},
}
_COMMANDS = {
    "describe": (
        "print the codebook of a survey file",
        _describe,
        _SURVEY
        | {
            "--format": {"choices": ["text", "markdown", "csv", "json"], "default": "text"},
            "--codebook": {
                "type": Path,
                "help": "also write what was inferred to this .codebook.yaml",
            },
        },
    ),
    "tables": ("write the standard tables to an XLSX file", _tables, _OUTPUTS),
    "slides": (
        "write the standard PowerPoint deck",
        _slides,
        _OUTPUTS
        | {
            "--charts": {
                "choices": ["picture", "native"],
                "default": "picture",
                "help": "native: bars and lines as editable PowerPoint charts",
            },
        },
    ),
    "report": (
        "run every notebook and write reports/",
        _report,
        {
            "--data": {"help": "survey file (default: the bundled demo data)"},
            "--out": {"default": "reports", "type": Path, "help": "output folder"},
            "--lang": {**_LANG, "default": "nl", "help": "language of texts"},
            "--notebooks": {"default": "notebooks", "type": Path, "help": "notebook folder"},
            "--organisation": {"help": "organisation name for source lines and title slides"},
        },
    ),
    "app": (
        "open the page: drop a file, check it, download the deck",
        _app,
        {
            "--port": {"type": int, "help": "port on 127.0.0.1 (default: a free one)"},
            "--no-browser": {"action": "store_true", "help": "do not open the browser"},
        },
    ),
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="youthmedia",
        description="Survey data on young people's social-media use -> statistics and slides.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (text, func, options) in _COMMANDS.items():
        sp = sub.add_parser(name, help=text)
        for flag, kwargs in options.items():
            sp.add_argument(flag, **kwargs)
        sp.set_defaults(func=func, weight=None, columns=None)
    args = parser.parse_args(argv)
    try:
        done = args.func(args)
    except YouthmediaError as exc:
        print(f"youthmedia: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover
        print("youthmedia: interrupted", file=sys.stderr)
        return 130
    if isinstance(done, Path):
        print(f"wrote {done}")
    return done if isinstance(done, int) else 0
