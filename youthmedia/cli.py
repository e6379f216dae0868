"""The ``youthmedia`` command: ``describe``, ``tables``, ``slides``, ``report`` and ``app``.

Thin over the library: each subcommand loads, calls one library function and prints or writes.
A ``YouthmediaError`` becomes one line on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .errors import YouthmediaError

__all__ = ["main"]


def _load(args: argparse.Namespace):
    from .io import load
    from .io.roles import label_language

    survey = load(args.file, columns=getattr(args, "columns", None) or None)
    if getattr(args, "weight", None):
        survey = survey.with_design(weight=args.weight)
    if getattr(args, "no_design", False):
        survey = survey.unweighted()
    if args.lang is None:  # the language of the file's labels
        args.lang = survey.source.options.get("language") or label_language(survey.codebook)
    return survey


def _ours(path: Path) -> bool:
    """Whether ``path`` is a deck or workbook youthmedia wrote (then it may be replaced)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            return b">youthmedia<" in z.read("docProps/core.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False


def _out(args: argparse.Namespace, suffix: str) -> Path:
    """``--out``, else ``<input name><suffix>`` in the current folder; a file of that name that
    youthmedia did not write (the input itself, another deck) is kept: ``<name>-2<suffix>``."""
    if args.out is not None:
        return args.out
    stem = Path(args.file).stem
    out, k = Path(f"{stem}{suffix}"), 2
    while out.exists() and (not _ours(out) or out.resolve() == Path(args.file).resolve()):
        out, k = Path(f"{stem}-{k}{suffix}"), k + 1
    return out


def _survey_or_table(args: argparse.Namespace):
    """A published table goes to the deck as its path; a survey file is loaded here."""
    from .published import is_published_table

    if is_published_table(args.file):
        args.lang = args.lang or "nl"
        return args.file
    return _load(args)


def _describe(args: argparse.Namespace) -> int:
    import warnings

    from .describe import render
    from .errors import YouthmediaWarning

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
    return 0


def _tables(args: argparse.Namespace) -> int:
    from .standard import write_tables

    survey = _load(args)
    path = write_tables(
        survey, _out(args, "_tables.xlsx"), lang=args.lang, questions=args.questions, by=args.by
    )
    print(f"wrote {path}")
    return 0


def _slides(args: argparse.Namespace) -> int:
    from .standard import write_deck

    file = _survey_or_table(args)
    path = write_deck(
        file,
        _out(args, ".pptx"),
        lang=args.lang,
        questions=args.questions,
        weight=args.weight,
        by=args.by,
        charts=args.charts,
    )
    print(f"wrote {path}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from .report import run

    index = run(
        data=args.data,
        out=args.out,
        lang=args.lang,
        notebooks=args.notebooks,
        organisation=args.organisation,
    )
    print(f"wrote {index}")
    return 0


def _app(args: argparse.Namespace) -> int:
    from .app.server import serve

    return serve(port=args.port, open_browser=not args.no_browser)


_LANG = {
    "choices": ["nl", "en"],
    "default": None,
    "help": "language of texts (default: that of the file's labels)",
}
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
    "--no-design": {
        "action": "store_true",
        "help": "ignore the weight and design found: count everyone once",
    },
}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="youthmedia",
        description="Survey data on young people's social-media use -> statistics and slides.",
    )
    sub = p.add_subparsers(dest="command", required=True)
    commands = {
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
                }
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
    for name, (text, func, options) in commands.items():
        sp = sub.add_parser(name, help=text)
        for flag, kwargs in options.items():
            sp.add_argument(flag, **kwargs)
        sp.set_defaults(func=func, weight=None)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except YouthmediaError as exc:
        print(f"youthmedia: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover
        print("youthmedia: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
