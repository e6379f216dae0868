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

    survey = load(args.file, columns=getattr(args, "columns", None) or None)
    if getattr(args, "weight", None):
        survey = survey.with_design(weight=args.weight)
    return survey


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
    return 0


def _tables(args: argparse.Namespace) -> int:
    from .standard import write_tables

    path = write_tables(_load(args), args.out, lang=args.lang, questions=args.questions)
    print(f"wrote {path}")
    return 0


def _slides(args: argparse.Namespace) -> int:
    from .standard import write_deck

    path = write_deck(args.file, args.out, lang=args.lang, questions=args.questions,
                      weight=args.weight)
    print(f"wrote {path}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from .report import run

    index = run(data=args.data, out=args.out, lang=args.lang, notebooks=args.notebooks,
                organisation=args.organisation)
    print(f"wrote {index}")
    return 0


def _app(args: argparse.Namespace) -> int:
    from .app.server import serve

    return serve(port=args.port, open_browser=not args.no_browser)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="youthmedia",
        description="Survey data on young people's social-media use -> statistics and slides.",
    )
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp: argparse.ArgumentParser, out_default: str | None = None) -> None:
        sp.add_argument("file", help="survey file: .sav .zsav .por .dta .csv .tsv .txt .xlsx")
        sp.add_argument("--lang", choices=["nl", "en"], default="nl", help="language of texts")
        sp.add_argument("--columns", nargs="+", help="load only these variables")
        if out_default is not None:
            sp.add_argument("--out", default=out_default, type=Path, help="output file")
            sp.add_argument("--questions", nargs="+", help="variables or sets to include")
            sp.add_argument("--weight", help="name of the weight variable")

    d = sub.add_parser("describe", help="print the codebook of a survey file")
    common(d)
    d.add_argument("--format", choices=["text", "markdown", "csv", "json"], default="text")
    d.set_defaults(func=_describe, weight=None)

    t = sub.add_parser("tables", help="write the standard tables to an XLSX file")
    common(t, "reports/tables.xlsx")
    t.set_defaults(func=_tables)

    s = sub.add_parser("slides", help="write the standard PowerPoint deck")
    common(s, "reports/deck.pptx")
    s.set_defaults(func=_slides)

    r = sub.add_parser("report", help="run every notebook and write reports/")
    r.add_argument("--data", default=None, help="survey file (default: the bundled demo data)")
    r.add_argument("--out", default="reports", type=Path, help="output folder")
    r.add_argument("--lang", choices=["nl", "en"], default="nl")
    r.add_argument("--notebooks", default="notebooks", type=Path, help="notebook folder")
    r.add_argument("--organisation", default=None,
                   help="organisation name for source lines and title slides")
    r.set_defaults(func=_report)

    a = sub.add_parser("app", help="open the page: drop a file, check it, download the deck")
    a.add_argument("--port", type=int, default=None, help="port on 127.0.0.1 (default: a free one)")
    a.add_argument("--no-browser", action="store_true", help="do not open the browser")
    a.set_defaults(func=_app)
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
