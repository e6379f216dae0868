"""A corpus of bad input files, generated at test time from the bundled demo data.

Nothing binary is committed: every case builds its bytes from ``data/`` (the demo ``.sav``,
its CSV, the Forms export) or from nothing, and :func:`write` puts them in a test's
``tmp_path``. Each :class:`Case` says what loading the file must give: a ``DataError`` whose
one-line message names the file and matches ``match``, or (``warns=True``) a ``Survey`` plus
a ``YouthmediaWarning`` matching ``match``.

Also here: :func:`bounded`, the guard that keeps every case from hanging, :func:`mutate`, the
byte mutations of the fuzz run, and :func:`dutch_csv`, a Dutch Excel CSV (``;``, decimal
comma, Windows-1252) made from the demo data.

Examples
--------
>>> cases = {c.id: c for c in corpus()}
>>> cases["zero-byte.sav"].match
'the file is empty \\\\(0 bytes\\\\)'
"""

from __future__ import annotations

import contextlib
import faulthandler
import io
import random
import signal
import struct
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
DEMO_SAV = DATA / "youth_social_media_demo.sav"
DEMO_CSV = DATA / "youth_social_media_demo.csv"
FORMS_CSV = DATA / "klas_enquete_forms.csv"

#: SPSS header fields (PSPP, "System File Format"): offsets in the 176-byte file header
LAYOUT_CODE, NOMINAL_CASE_SIZE, COMPRESSION, WEIGHT_INDEX, NCASES = 64, 68, 72, 76, 80
#: The message SPSS-reader failures share (io.readstat.call_pyreadstat, io.spss)
DAMAGED = r"(truncated|damaged)"


class Hang(Exception):  # noqa: N818 - reads as what happened
    """A case ran past its time bound."""


@contextlib.contextmanager
def bounded(seconds: float) -> Iterator[None]:
    """Fail a block that runs longer than ``seconds``, instead of hanging the test run.

    ``SIGALRM`` raises :class:`Hang` in Python code; if the time runs out inside C code that
    never returns to Python (a reader stuck in a loop), ``faulthandler`` dumps every thread's
    stack and ends the process at twice the bound, so even that shows up as a failure with a
    traceback rather than a silent hang. POSIX only (the project's CI and ``make test``).
    """

    def _raise(signum, frame):  # noqa: ARG001
        raise Hang(f"still running after {seconds:g} s")

    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    faulthandler.dump_traceback_later(2 * seconds + 5, exit=True, file=sys.__stderr__)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        faulthandler.cancel_dump_traceback_later()


@dataclass(frozen=True)
class Case:
    """One bad input file and what loading it must give."""

    id: str
    filename: str
    make: Callable[[], bytes]
    match: str
    warns: bool = False

    def write(self, folder: Path) -> Path:
        path = folder / self.filename
        path.write_bytes(self.make())
        return path


def write(case: Case, folder: Path) -> Path:
    """Write ``case`` into ``folder``; returns its path."""
    return case.write(folder)


# -- the real files the corpus starts from ------------------------------------------------------
@cache
def demo_sav() -> bytes:
    return DEMO_SAV.read_bytes()


@cache
def demo_csv() -> bytes:
    return DEMO_CSV.read_bytes()


@cache
def forms_csv() -> bytes:
    return FORMS_CSV.read_bytes()


@cache
def dutch_csv(rows: int = 300) -> bytes:
    """The first ``rows`` respondents of the demo CSV as a Dutch Excel export would write them:
    ``;`` between fields, decimal commas, CRLF line ends, Windows-1252, a text column with
    accented letters."""
    lines = demo_csv().decode("utf-8").splitlines()
    header = lines[0].split(",") + ["opmerking"]
    out = [";".join(header)]
    notes = ["geen", "Zoë vindt TikTok leuk", "café-app", "weet niet", "€ 5 per maand"]
    for i, line in enumerate(lines[1 : rows + 1]):
        cells = [c.replace(".", ",") for c in line.split(",")]
        out.append(";".join(cells + [notes[i % len(notes)]]))
    return ("\r\n".join(out) + "\r\n").encode("cp1252")


def png_bytes() -> bytes:
    """A real, valid 2×2 PNG image (what a screenshot saved under the wrong name holds)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@cache
def xlsx_bytes() -> bytes:
    """A small real Excel workbook (the same bytes throughout a test run)."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["leeftijd", "geslacht"])
    wb.active.append([14, "meisje"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _int_at(data: bytes, offset: int, value: int) -> bytes:
    out = bytearray(data)
    out[offset : offset + 4] = struct.pack("<i", value)
    return bytes(out)


def _xor(data: bytes, positions: range, mask: int = 0xFF) -> bytes:
    out = bytearray(data)
    for i in positions:
        out[i] ^= mask
    return bytes(out)


def _dictionary_end() -> int:
    from youthmedia.io.savdict import parse_dictionary

    return parse_dictionary(DEMO_SAV).termination_offset + 8


def _ncases() -> int:
    return struct.unpack("<i", demo_sav()[NCASES : NCASES + 4])[0]


# -- the corpus ---------------------------------------------------------------------------------
def corpus() -> list[Case]:
    """Every bad file, each with what loading it must say."""
    sav = demo_sav
    wide = ",".join(f"v{i}" for i in range(100_000))
    return [
        # SPSS: empty, truncated, corrupt
        Case("zero-byte.sav", "leeg.sav", lambda: b"", r"the file is empty \(0 bytes\)"),
        Case("truncated-10.sav", "afgekapt10.sav", lambda: sav()[:10], DAMAGED),
        Case("truncated-header.sav", "afgekapt100.sav", lambda: sav()[:100], DAMAGED),
        Case(
            "truncated-dictionary.sav",
            "afgekapt_woordenboek.sav",
            lambda: sav()[: _dictionary_end() // 2],
            DAMAGED,
        ),
        Case(
            "truncated-half.sav",
            "afgekapt_half.sav",
            lambda: sav()[: len(sav()) // 2],
            r"header promises 4,518 cases.*truncated",
        ),
        Case("truncated-last-byte.sav", "afgekapt1.sav", lambda: sav()[:-1], DAMAGED),
        Case(
            "flipped-magic.sav",
            "magie.sav",
            lambda: b"$FL9" + sav()[4:],
            r"the name says an SPSS system file \(\.sav\), but the file is a binary file",
        ),
        Case(
            "flipped-layout-code.sav",
            "layout.sav",
            lambda: _xor(sav(), range(LAYOUT_CODE, LAYOUT_CODE + 4)),
            DAMAGED,
        ),
        Case(
            "flipped-dictionary.sav",
            "woordenboek.sav",
            lambda: _xor(sav(), range(200, 2000, 7)),
            DAMAGED,
        ),
        Case(
            "flipped-data.sav",
            "data.sav",
            lambda: _xor(sav(), range(len(sav()) - 5000, len(sav()), 11), 0x55),
            DAMAGED,
        ),
        Case(
            "ncases-1e9.sav",
            "miljard.sav",
            lambda: _int_at(sav(), NCASES, 10**9),
            r"header promises 1,000,000,000 cases.*can hold at most",
        ),
        Case(
            "ncases-plus-one.sav",
            "een_te_veel.sav",
            lambda: _int_at(sav(), NCASES, _ncases() + 1),
            DAMAGED,
        ),
        Case(
            "weight-index-bad.sav",
            "gewicht.sav",
            lambda: _int_at(sav(), WEIGHT_INDEX, 999),
            r"header names variable #999 as the weight.*damaged",
        ),
        # renamed files
        Case(
            "csv-named-sav",
            "enquete.sav",
            lambda: demo_csv()[:4000],
            r"the name says an SPSS system file \(\.sav\), but the file is a text \(CSV\) file; "
            r"rename it to 'enquete\.csv'",
        ),
        Case(
            "sav-named-csv",
            "enquete.csv",
            sav,
            r"the name says a text \(CSV\) file, but the file is an SPSS system file \(\.sav\); "
            r"rename it to 'enquete\.sav'",
        ),
        Case(
            "png-named-sav",
            "grafiek.sav",
            png_bytes,
            r"the name says an SPSS system file \(\.sav\), but the file is a binary file",
        ),
        Case(
            "xlsx-named-sav",
            "werkmap.sav",
            xlsx_bytes,
            r"the name says an SPSS system file \(\.sav\), but the file is an Excel workbook "
            r"\(\.xlsx\); rename it to 'werkmap\.xlsx'",
        ),
        Case(
            "sav-named-xlsx",
            "enquete.xlsx",
            sav,
            r"the name says an Excel workbook \(\.xlsx\), but the file is an SPSS system file",
        ),
        # Excel workbooks (a ZIP of XML files)
        Case(
            "truncated.xlsx",
            "werkmap_afgekapt.xlsx",
            lambda: xlsx_bytes()[: len(xlsx_bytes()) // 2],
            r"the file is a damaged or truncated ZIP archive.*save it again",
        ),
        Case(
            "flipped.xlsx",
            "werkmap_kapot.xlsx",
            lambda: _xor(xlsx_bytes(), range(300, 1500, 13)),
            r"this Excel file cannot be read \(.*\); it is damaged",
        ),
        # text files
        Case(
            "binary-junk.csv",
            "rommel.csv",
            lambda: random.Random(7).randbytes(20_000),
            r"the name says a text \(CSV\) file, but the file is a binary file",
        ),
        Case("zero-byte.csv", "leeg.csv", lambda: b"", r"the file is empty \(0 bytes\)"),
        Case(
            "blank-lines.csv",
            "witregels.csv",
            lambda: b"\r\n\r\n  \r\n",
            r"the file has no header and no data",
        ),
        Case(
            "mixed-delimiters.csv",
            "gemengd.csv",
            lambda: b"leeftijd;geslacht;uren\n14;1;2,5\n15,2,3\n16;1;1,5\n",
            r"line 3 is comma-separated but the header is semicolon-separated "
            r"\(mixed delimiters\)",
        ),
        Case(
            "ragged-long.csv",
            "rafelig.csv",
            lambda: b"a,b,c\n1,2,3\n4,5,6,7\n",
            r"line 3 has 4 fields but the header has 3",
        ),
        Case(
            "ragged-short.csv",
            "kort.csv",
            lambda: b"a;b;c\n1;2;3\n4;5\n6;7;8\n",
            r"1 row\(s\) have fewer fields than the header's 3 \(first: line 3, 2 field",
            warns=True,
        ),
        Case(
            "truncated-forms.csv",
            "forms_afgekapt.csv",
            lambda: forms_csv()[: forms_csv().rfind(b"\n", 0, len(forms_csv()) - 2) + 60],
            r"row\(s\) have fewer fields than the header's 14 \(first: line 30",
            warns=True,
        ),
        Case(
            "unclosed-quote.csv",
            "quote.csv",
            lambda: b'a,b\n1,2\n"3,4\n5,6\n',
            r"the quoted field that starts on line 3 is never closed",
        ),
        Case(
            "undecodable.csv",
            "tekens.csv",
            lambda: b"naam;x\nZo\x81;1\n",
            r"byte 0x81 on line 2 cannot be read as UTF-8 or Windows-1252",
        ),
        Case(
            "mixed-encoding.csv",
            "codering.csv",
            lambda: "naam;x\nZoë;1\n".encode() + "René;2\n".encode("cp1252"),
            r"mixes text encodings.*byte 0xe9 on line 3 is not UTF-8",
        ),
        Case(
            "bom-then-cp1252.csv",
            "bom.csv",
            lambda: b"\xef\xbb\xbf" + "naam;x\nRené;2\n".encode("cp1252"),
            r"byte 0xe9 on line 2 cannot be read as utf-8",
        ),
        Case(
            "duplicate-header.csv",
            "dubbel.csv",
            lambda: b"id;leeftijd;id\n1;14;2\n",
            r"duplicate column name\(s\) 'id'",
        ),
        Case(
            "header-100000-columns.csv",
            "breed.csv",
            lambda: (wide + "\n" + ",".join("1" * 100_000) + "\n").encode(),
            r"the header has 100,000 columns, more than a spreadsheet can hold",
        ),
        Case(
            "nul-late.csv",
            "nul.csv",
            lambda: dutch_csv()[:6000] + b"\x00" + dutch_csv()[6000:],
            r"line 51 holds a NUL byte \(0x00\).*damaged",
        ),
    ]


# -- files that crashed pyreadstat (segfault) before youthmedia checked the dictionary ---------
def _record_at(data: bytes, short_name: bytes) -> int:
    """Offset of the variable record (type 2) whose 8-byte short name is ``short_name``."""
    at = data.find(short_name.ljust(8))
    assert at > 0, short_name
    return at - 24  # rec_type, width, has_label, n_missing, print, write, then the name


def _labelled_strings() -> bytes:
    """A small .sav written by pyreadstat: a short string ``s`` with value labels (#1), a
    20-character string ``t`` (#2, continuations #3 and #4) and a labelled number ``x`` (#5)."""
    import tempfile

    import pandas as pd
    import pyreadstat

    df = pd.DataFrame({"s": ["aa", "bb"], "t": ["t" * 20, "u" * 20], "x": [1.0, 2.0]})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "labels.sav"
        pyreadstat.write_sav(
            df,
            path,
            variable_value_labels={"s": {"aa": "Alfa", "bb": "Bravo"}, "x": {1: "een", 2: "twee"}},
        )
        return path.read_bytes()


def _zsav() -> bytes:
    import tempfile

    import pandas as pd
    import pyreadstat

    df = pd.DataFrame({"x": [float(i % 7) for i in range(500)], "s": ["tekst"] * 500})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "klein.zsav"
        pyreadstat.write_sav(df, path, compress=True)
        return path.read_bytes()


def _patch(data: bytes, offset: int, new: bytes) -> bytes:
    return data[:offset] + new + data[offset + len(new) :]


def crashers() -> list[Case]:
    """Damaged SPSS files on which pyreadstat 1.3.7 crashed the process (segfault), tried to
    allocate a damaged size, or read on with a bare ``UserWarning`` — each found by the fuzz
    run, each now a ``DataError`` before pyreadstat sees the file."""
    sav = demo_sav
    return [
        Case(
            "numeric-width-512.sav",
            "breedte.sav",
            lambda: _patch(sav(), _record_at(sav(), b"SMDS_7") + 4, struct.pack("<i", 512)),
            r"dictionary is damaged \(variable #35 has an impossible width \(512\)\)",
        ),
        Case(
            "number-as-string.sav",
            "tekstgetal.sav",
            lambda: _patch(sav(), _record_at(sav(), b"USE_X") + 4, struct.pack("<i", 8)),
            r"variable #16 \(use_x\) is a string with a numeric format",
        ),
        Case(
            "string-format-on-number.sav",
            "formaat.sav",
            lambda: _patch(sav(), _record_at(sav(), b"SMDS_1") + 16, struct.pack("<i", 1 << 16)),
            r"variable #29 \(smds_1\) is a number with a string format",
        ),
        Case(
            "bad-text-in-string-label.sav",
            "labeltekst.sav",
            lambda: _labelled_strings().replace(b"aa      \x04Alfa", b"a\xa0      \x04Alfa", 1),
            r"a value label of variable #1 has the value b'a\\xa0      ', which is not "
            r"utf-8 text",
        ),
        Case(
            "labels-on-a-continuation.sav",
            "vervolg.sav",
            lambda: _labelled_strings().replace(
                struct.pack("<3i", 4, 1, 5), struct.pack("<3i", 4, 1, 3), 1
            ),
            r"a value-label record names variable #3, which is not a variable",
        ),
        Case(
            "duplicate-variable-name.sav",
            "dubbel.sav",
            lambda: _patch(sav(), _record_at(sav(), b"WAVE") + 24, b"RESP_ID "),
            r"variables #1 and #2 are both named 'RESP_ID'",
        ),
        Case(
            "zsav-block-size.zsav",
            "blok.zsav",
            lambda: _patch(_zsav(), len(_zsav()) - 8, struct.pack("<i", 2**30)),
            r"block index of this compressed SPSS file is damaged \(block 1 of 1",
        ),
    ]


# -- fuzzing ------------------------------------------------------------------------------------
def mutate(data: bytes, rng: random.Random, hot: int = 4096) -> tuple[bytes, str]:
    """One random mutation of ``data`` and a short description of it.

    Half of the positions fall in the first ``hot`` bytes (an SPSS header and dictionary,
    a CSV's header and first rows), where a change does the most.
    """
    n = len(data)
    if n == 0:  # an earlier mutation cut everything: start again from junk
        junk = rng.randbytes(rng.randint(1, 64))
        return junk, f"{len(junk)} random bytes"

    def pos() -> int:
        return rng.randrange(min(n, hot)) if rng.random() < 0.5 else rng.randrange(n)

    op = rng.choice(["flip", "flip", "truncate", "insert", "delete", "int", "dup"])
    out = bytearray(data)
    if op == "flip":
        at = [pos() for _ in range(rng.randint(1, 8))]
        for i in at:
            out[i] ^= 1 << rng.randrange(8)
        return bytes(out), f"flip bits at {at}"
    if op == "truncate":
        at = pos()
        return bytes(out[:at]), f"truncate at {at}"
    if op == "insert":
        at, junk = pos(), rng.randbytes(rng.randint(1, 64))
        return bytes(out[:at] + junk + out[at:]), f"insert {len(junk)} bytes at {at}"
    if op == "delete":
        at = pos()
        k = rng.randint(1, 256)
        return bytes(out[:at] + out[at + k :]), f"delete {k} bytes at {at}"
    if op == "dup":
        at = pos()
        k = rng.randint(1, 512)
        return bytes(out[:at] + out[at : at + k] + out[at:]), f"duplicate {k} bytes at {at}"
    at = pos() & ~3  # a 4-byte integer field set to an extreme
    value = rng.choice([0, -1, 1, 2**31 - 1, -(2**31), 255, 65536, 10**9])
    out[at : at + 4] = struct.pack("<i", value)
    return bytes(out), f"int {value} at {at}"
