"""Nothing lost: inputs are never written, outputs are written whole or not at all, and the
same input gives the same bytes.

* Every public function that takes a path — ``load`` (SPSS, CSV, Forms, Dutch CSV, with and
  without a sidecar), ``describe`` (library and command line), ``standard.write_tables`` and
  ``write_deck`` (library and ``youthmedia tables``/``slides``), ``report.run`` on the demo,
  ``published.load_table``, ``datasets.check``, ``savdict.parse_dictionary`` — runs on copies of
  the bundled data in a folder of their own, and afterwards every file there has the same
  SHA-256, size, mode and modification time, and no file was added or removed.
* Every writer (figures as PNG/SVG/PDF, XLSX, CSV, PPTX, the standard tables and deck) is
  interrupted halfway through writing its bytes (a ``KeyboardInterrupt`` after half of them):
  the old file is left exactly as it was, or no file at all if there was none, and no
  temporary file is left behind. A hard kill (``SIGKILL``) of a process in the middle of a
  write leaves the old file whole too.
* The same input gives byte-identical XLSX, CSV, PNG, SVG and PPTX files in two separate
  processes with different hash seeds.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from badinput import DATA, ROOT, dutch_csv

import youthmedia as ym
from youthmedia import export
from youthmedia.cli import main

QUESTIONS = ["use_tiktok", "cyber_victim"]  # a short standard plan: quick, still every writer


def _snapshot(folder: Path) -> dict[str, tuple]:
    out = {}
    for p in sorted(folder.rglob("*")):
        st = p.stat()
        digest = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        out[str(p.relative_to(folder))] = (digest, st.st_size, st.st_mode, st.st_mtime_ns)
    return out


@pytest.fixture
def inputs(tmp_path) -> Path:
    """Copies of the bundled data (with their sidecars), a Dutch CSV, read-only."""
    folder = tmp_path / "in"
    shutil.copytree(DATA, folder)
    (folder / "klas_nl.csv").write_bytes(dutch_csv())
    for p in folder.rglob("*"):
        if p.is_file():
            p.chmod(0o444)
            os.utime(p, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    return folder


def _every_public_function_with_a_path(inputs: Path, out: Path, capsys) -> list[str]:
    """Run them all; return what ran (so the test can show it ran everything)."""
    from conftest import load_tool

    from youthmedia import describe, standard
    from youthmedia.io.savdict import parse_dictionary

    sav = inputs / "youth_social_media_demo.sav"
    csv = inputs / "youth_social_media_demo.csv"
    ran = []
    for path in (sav, csv, inputs / "klas_enquete_forms.csv", inputs / "klas_nl.csv"):
        s = ym.load(path)
        for fmt in describe.FORMATS:
            describe.render(s, fmt=fmt)
        assert main(["describe", str(path)]) == 0
        ran.append(f"load+describe {path.name}")
    ym.load(sav, codebook=inputs / "youth_social_media_demo.codebook.yaml", columns=["gender"])
    ym.load(csv, codebook=False)
    assert parse_dictionary(sav).weight == "weight"
    ran.append("parse_dictionary")
    standard.write_tables(sav, out / "tabellen.xlsx", questions=QUESTIONS)
    standard.write_deck(sav, out / "dia.pptx", questions=QUESTIONS)
    assert (
        main(["tables", str(csv), "--out", str(out / "cli.xlsx"), "--questions", *QUESTIONS]) == 0
    )
    assert (
        main(["slides", str(sav), "--out", str(out / "cli.pptx"), "--questions", *QUESTIONS]) == 0
    )
    ran.append("standard tables+deck")
    for table in sorted((inputs / "published").glob("*.csv")):
        assert len(ym.load_table(table)) > 0
    ran.append("published.load_table")
    assert load_tool("make_demo_data").check(inputs) == []
    ran.append("datasets.check")
    capsys.readouterr()
    return ran


def test_no_public_function_writes_its_input(inputs, tmp_path, capsys):
    before = _snapshot(inputs)
    ran = _every_public_function_with_a_path(inputs, tmp_path / "out", capsys)
    assert len(ran) == 8
    assert _snapshot(inputs) == before
    # the outputs went where they were asked to go, and only there
    written = {p.name for p in (tmp_path / "out").iterdir()}
    assert {"cli.pptx", "cli.xlsx", "dia.pptx", "tabellen.xlsx"} <= written


def _notebook(folder: Path) -> None:
    """A notebook that loads the data it is given and describes it."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell('data_path = "data.sav"\nlang = "nl"\noutput_dir = "out"')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [
        params,
        nbformat.v4.new_code_cell(
            "import youthmedia as ym\nfrom youthmedia.describe import render\n"
            "s = ym.load(data_path)\nprint(render(s))\nassert s.n == 4518"
        ),
    ]
    folder.mkdir()
    nbformat.write(nb, folder / "01_laden.ipynb")


def test_report_run_leaves_the_demo_data_as_it_was(inputs, tmp_path):
    from jupyter_client.kernelspec import KernelSpecManager

    from youthmedia import report

    kernel = "youthmedia" if "youthmedia" in KernelSpecManager().find_kernel_specs() else "python3"
    _notebook(tmp_path / "nb")
    before = _snapshot(inputs)
    index = report.run(
        data=inputs / "youth_social_media_demo.sav",
        out=tmp_path / "reports",
        notebooks=tmp_path / "nb",
        kernel_name=kernel,
        timeout=300,
        root=ROOT,
        progress=False,
    )
    assert index.is_file()
    assert _snapshot(inputs) == before


# -- atomic writes --------------------------------------------------------------------------------
OLD = b"the previous export, which must survive\n"


def _interrupt_halfway(monkeypatch, folder: Path) -> list[str]:
    """Make every file opened for writing in ``folder`` raise KeyboardInterrupt (Ctrl-C) after
    half of the bytes of its first write; returns the names of the files so interrupted."""
    real_fdopen = os.fdopen
    hit: list[str] = []

    class Halfway:
        def __init__(self, fh, name):
            self._fh, self._name = fh, name

        def write(self, data):
            self._fh.write(data[: len(data) // 2])
            self._fh.flush()
            hit.append(self._name)
            raise KeyboardInterrupt

        def __getattr__(self, name):
            return getattr(self._fh, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self._fh.__exit__(*exc)

    def fdopen(fd, mode="r", *args, **kwargs):
        fh = real_fdopen(fd, mode, *args, **kwargs)
        target = Path(os.readlink(f"/proc/self/fd/{fd}"))
        if "w" in mode and target.parent == folder:
            return Halfway(fh, target.name)
        return fh

    monkeypatch.setattr(os, "fdopen", fdopen)
    return hit


def _small_result():
    s = ym.load(DATA / "youth_social_media_demo.sav").with_design(weight="weight")
    return ym.share(s, "cyber_victim", by="gender")


WRITERS = {
    "png": lambda r, p: export.save_figure(_figure(r), p),
    "svg": lambda r, p: export.save_figure(_figure(r), p),
    "pdf": lambda r, p: export.save_figure(_figure(r), p),
    "xlsx": lambda r, p: export.write_xlsx({"Gepest": r}, p),
    "csv": lambda r, p: export.write_csv(r, p),
    "pptx": lambda r, p: export.write_deck([_figure(r)], p, title="Test"),
    "standard.xlsx": lambda r, p: _standard("write_tables", p),
    "standard.pptx": lambda r, p: _standard("write_deck", p),
}


def _figure(result):
    from youthmedia.figures import charts

    return charts.auto(result)


def _standard(name: str, path: Path):
    from youthmedia import standard

    return getattr(standard, name)(
        DATA / "youth_social_media_demo.sav", path, questions=QUESTIONS[:1]
    )


@pytest.fixture(scope="module")
def result():
    return _small_result()


@pytest.mark.parametrize("old", [True, False], ids=["over-an-old-file", "new-file"])
@pytest.mark.parametrize("kind", list(WRITERS))
def test_an_interrupted_export_leaves_the_old_file_or_none(
    tmp_path, monkeypatch, result, kind, old
):
    folder = tmp_path / "export"
    folder.mkdir()
    target = folder / f"uitvoer.{kind.split('.')[-1]}"
    before = OLD
    if old:  # an earlier output of the same writer (a file youthmedia did not make is refused)
        WRITERS[kind](result, target)
        for p in folder.iterdir():
            if p != target:
                p.unlink()
        before = target.read_bytes()
    hit = _interrupt_halfway(monkeypatch, folder)
    with pytest.raises(KeyboardInterrupt):
        WRITERS[kind](result, target)
    assert hit, "the writer did not write through an interruptible file in the target folder"
    if old:
        assert target.read_bytes() == before
    else:
        assert not target.exists()
    leftovers = sorted(p.name for p in folder.iterdir() if p != target)
    assert leftovers == [], leftovers  # no half-written temporary file either
    monkeypatch.undo()
    WRITERS[kind](result, target)  # and the next, uninterrupted run writes it whole
    assert target.stat().st_size > 100


def test_a_failed_rename_leaves_the_old_file(tmp_path, monkeypatch, result):
    """A full disk or a file locked by Excel shows up at the rename: the old file stays."""
    target = tmp_path / "tabellen.xlsx"
    target.write_bytes(OLD)

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied (open in Excel)", str(dst))

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises((PermissionError, ym.YouthmediaError)):
        export.write_xlsx({"Gepest": result}, target)
    assert target.read_bytes() == OLD
    assert [p.name for p in tmp_path.iterdir()] == ["tabellen.xlsx"]


KILLED_WRITER = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    import youthmedia as ym
    from youthmedia import export

    real_fdopen = os.fdopen
    class Slow:
        def __init__(self, fh): self.fh = fh
        def write(self, data):
            self.fh.write(data[:len(data) // 2]); self.fh.flush()
            print("halfway", flush=True)
            time.sleep(600)
        def __getattr__(self, n): return getattr(self.fh, n)
        def __enter__(self): return self
        def __exit__(self, *e): return self.fh.__exit__(*e)
    os.fdopen = lambda fd, mode="r", *a, **k: Slow(real_fdopen(fd, mode, *a, **k))
    s = ym.load(sys.argv[1]).with_design(weight="weight")
    export.write_xlsx({"Gepest": ym.share(s, "cyber_victim", by="gender")}, sys.argv[2])
""")


def test_a_killed_process_leaves_the_old_file_whole(tmp_path):
    """SIGKILL (a crash, a power cut) in the middle of writing: the target is untouched."""
    target = tmp_path / "tabellen.xlsx"
    export.write_xlsx({"Oud": _small_result()}, target)  # an earlier output (issue 13: only
    old = target.read_bytes()  # files youthmedia made are replaced)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            KILLED_WRITER,
            str(DATA / "youth_social_media_demo.sav"),
            str(target),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert proc.stdout.readline().strip() == "halfway"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(60)
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    assert target.read_bytes() == old
    # what the kill left is a hidden temporary file, never something named like the target
    assert all(p.name.startswith(".tabellen.xlsx.") for p in tmp_path.iterdir() if p != target)


# -- same input, same bytes ----------------------------------------------------------------------
DETERMINISM = textwrap.dedent("""
    import hashlib, json, sys
    from pathlib import Path
    import youthmedia as ym
    from youthmedia import export, standard
    from youthmedia.figures import charts

    data, out = Path(sys.argv[1]), Path(sys.argv[2])
    s = ym.load(data).with_design(weight="weight", cluster="school")
    r = ym.share(s, "cyber_victim", by="gender")
    m = ym.share(s, "platforms", by="age_band")
    fig = charts.auto(r)
    export.save_figure(fig, out / "gepest.png")
    export.save_figure(fig, out / "gepest.svg")
    export.save_figure(charts.auto(m), out / "platforms.png")
    export.write_xlsx({"Gepest": r, "Platforms": m}, out / "tabellen.xlsx")
    export.write_csv(r, out / "gepest.csv")
    export.write_deck([fig, charts.auto(m)], out / "dia.pptx", title="Test")
    standard.write_tables(data, out / "standaard.xlsx", questions=QUESTIONS)
    standard.write_deck(data, out / "standaard.pptx", questions=QUESTIONS)
    print(json.dumps({p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                      for p in sorted(out.iterdir())}))
""").replace("QUESTIONS", repr(QUESTIONS))


def test_same_input_gives_byte_identical_tables_and_figures(tmp_path):
    runs = []
    for seed in ("1", "4242"):
        out = tmp_path / f"run{seed}"
        out.mkdir()
        env = {**os.environ, "PYTHONHASHSEED": seed, "MPLBACKEND": "Agg"}
        env.pop("SOURCE_DATE_EPOCH", None)
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                DETERMINISM,
                str(DATA / "youth_social_media_demo.sav"),
                str(out),
            ],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    first, second = runs
    assert {
        "gepest.png",
        "gepest.svg",
        "gepest.csv",
        "tabellen.xlsx",
        "dia.pptx",
        "standaard.xlsx",
        "standaard.pptx",
    } <= set(first)
    differ = [name for name in first if first[name] != second.get(name)]
    assert differ == [], f"different bytes for the same input: {differ}"
