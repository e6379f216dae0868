"""The ``youthmedia`` command (``describe``, ``tables``, ``slides``, ``report``, ``app``), thin
over the library; a ``YouthmediaError`` is one line on stderr and exit status 2."""

from __future__ import annotations

import argparse
import sys
import warnings
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


def _out(args: argparse.Namespace, suffix: str) -> Path:
    """``--out``, else ``<input><suffix>`` here, or ``<input>-2<suffix>`` if not ours."""
    from .files import made_here

    stem, k = Path(args.file).stem, 2
    out = args.out or Path(stem + suffix)
    while not args.out and out.exists() and (out.samefile(args.file) or not made_here(out)):
        out, k = Path(f"{stem}-{k}{suffix}"), k + 1
    return out


def _describe(args: argparse.Namespace) -> None:
    from .describe import render
    from .io.sidecar import write_sidecar

    survey = _load(args)
    print(render(survey, fmt=args.format, lang=args.lang))
    if args.codebook:
        print(f"wrote {write_sidecar(survey, args.codebook)}", file=sys.stderr)


def _write(args: argparse.Namespace) -> Path:
    from .standard import write_deck, write_tables

    file, kw = _load(args), {"by": args.by}
    if args.command == "tables":
        return write_tables(file, _out(args, "_tables.xlsx"), args.lang, args.questions, **kw)
    kw |= {"weight": args.weight, "charts": args.charts}
    return write_deck(file, _out(args, ".pptx"), args.lang, args.questions, **kw)


def _report(args: argparse.Namespace) -> Path:
    from .report import run

    names = ("data", "out", "lang", "notebooks", "organisation")
    return run(**{k: getattr(args, k) for k in names})


def _app(args: argparse.Namespace) -> int:
    from .app.server import serve

    return serve(port=args.port, open_browser=not args.no_browser)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="youthmedia", description="Survey data -> statistics, slides.")
    sub = p.add_subparsers(dest="command", required=True)

    def command(name: str, text: str, func, survey: bool = True, outputs: bool = False):
        sp = sub.add_parser(name, help=text)
        sp.set_defaults(func=func, weight=None, columns=None)
        a = sp.add_argument
        if survey:
            a("file", help="survey file: .sav .zsav .por .dta .csv .tsv .txt .xlsx")
            a("--lang", choices=["nl", "en"], help="language (default: the file's labels')")
            a("--columns", nargs="+", help="load only these variables")
        if outputs:
            a("--out", type=Path, help="output file (default: named after the input, here)")
            a("--questions", nargs="+", help="variables, sets, groups or patterns (q2*)")
            a("--weight", help="name of the weight variable")
            a("--by", action="append", help="repeatable; default: gender, age band")
            a("--no-design", action="store_true", help="ignore the weight and design found")
        return a

    a = command("describe", "print the codebook of a survey file", _describe)
    a("--format", choices=["text", "markdown", "csv", "json"], default="text")
    a("--codebook", type=Path, help="also write what was inferred to this .codebook.yaml")
    command("tables", "write the standard tables to an XLSX file", _write, outputs=True)
    a = command("slides", "write the standard PowerPoint deck", _write, outputs=True)
    a("--charts", choices=["picture", "native"], default="picture", help="native: editable charts")
    a = command("report", "run every notebook and write reports/", _report, survey=False)
    a("--data", help="survey file (default: the bundled demo data)")
    a("--out", default="reports", type=Path, help="output folder")
    a("--lang", choices=["nl", "en"], default="nl", help="language of texts")
    a("--notebooks", default="notebooks", type=Path, help="notebook folder")
    a("--organisation", help="organisation name for source lines and title slides")
    a = command("app", "open the page: drop a file, check it, download the deck", _app, False)
    a("--port", type=int, help="port on 127.0.0.1 (default: a free one)")
    a("--no-browser", action="store_true", help="do not open the browser")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        with warnings.catch_warnings():  # one line each, not Python's file:line format
            warnings.simplefilter("always", YouthmediaWarning)
            other = warnings.showwarning
            warnings.showwarning = lambda m, c, *a, **k: (
                print(f"youthmedia: warning: {m}", file=sys.stderr)
                if issubclass(c, YouthmediaWarning)
                else other(m, c, *a, **k)
            )
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
