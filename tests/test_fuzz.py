"""Fuzz the CSV and SPSS readers with mutated real files: a Survey or one clear error, always.

Starting from real files — the demo ``.sav`` (4,518 respondents, labels, missing codes,
multiple-response sets, a weight), a Dutch Excel CSV made from the demo data (``;``, decimal
comma, Windows-1252) and the Microsoft Forms export in ``data/`` — a fixed-seed generator makes
200 mutants: flipped bits, truncations, inserted, deleted and duplicated bytes, and 4-byte
integers set to extremes (half of them in the first 4 kB, where an SPSS header and dictionary
live). Each is loaded in a worker subprocess (``tests/badinput/worker.py``) with a time bound
per file and a cap on its memory, so that a crash in pyreadstat's C code, a runaway allocation
or a hang is caught and reported as a finding instead of taking the test run down.

Every outcome must be a ``Survey`` or a ``YouthmediaError`` whose message is one line naming
the file; warnings must be ``YouthmediaWarning`` lines. Anything else fails the test, listing
each offending mutant and how to rebuild it (seed file, mutant number, mutation).
"""

from __future__ import annotations

import json
import os
import random
import re
import selectors
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from badinput import ROOT, crashers, demo_sav, dutch_csv, forms_csv, mutate

SEED = 20240607
PER_FILE_SECONDS = 20
SEEDS = [
    ("demo", ".sav", demo_sav, 100),
    ("dutch", ".csv", dutch_csv, 50),
    ("forms", ".csv", forms_csv, 50),
]
WORKER = Path(__file__).resolve().parent / "badinput" / "worker.py"


class _Worker:
    """One worker subprocess; restarted after a crash or a hang."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        env = {
            **os.environ,
            "PYTHONFAULTHANDLER": "1",
            "MPLBACKEND": "Agg",
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
        }
        self.err = open(self.log, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER), "--max-gb", "3"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.err,
            text=True,
            cwd=ROOT,
            env=env,
        )
        self.sel = selectors.DefaultSelector()
        self.sel.register(self.proc.stdout, selectors.EVENT_READ)
        ready = self._read(120)
        assert ready == {"ready": True}, f"the fuzz worker did not start: {ready}"

    def _read(self, timeout: float):
        if not self.sel.select(timeout):
            return "hang"
        line = self.proc.stdout.readline()
        if not line:
            return f"crash (exit status {self.proc.wait(10)})"
        return json.loads(line)

    def load(self, path: Path) -> dict:
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        try:
            self.proc.stdin.write(f"{path}\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            report = f"crash (exit status {self.proc.wait(10)})"
        else:
            report = self._read(PER_FILE_SECONDS)
        if isinstance(report, str):  # the worker died or hung on this file: a finding
            self.stop()
            return {"path": str(path), "outcome": report, "warnings": []}
        return report

    def stop(self) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait(10)
            self.proc.stdin.close()
            self.proc.stdout.close()
            self.err.close()
            self.proc = None


def _mutants(folder: Path) -> list[tuple[Path, str]]:
    rng = random.Random(SEED)
    out = []
    for name, ext, make, count in SEEDS:
        data = make()
        for i in range(count):
            mutant, what = mutate(data, rng)
            if rng.random() < 0.25:  # now and then two mutations on top of each other
                mutant, more = mutate(mutant, rng)
                what = f"{what}; {more}"
            path = folder / f"{name}_{i:03d}{ext}"
            path.write_bytes(mutant)
            out.append((path, f"{name}{ext} mutant {i}: {what}"))
    return out


def _problems(report: dict) -> list[str]:
    path, outcome = report["path"], report["outcome"]
    found = []
    if outcome == "other":
        found.append(f"{report['type']}: {report['message']} at {report.get('where', '')!r}")
    elif outcome == "error":
        msg = report["message"]
        if "\n" in msg or not msg.startswith(f"{path}: "):
            found.append(f"error message is not one line naming the file: {msg!r}")
        if "MemoryError" in msg or re.search(r"allocate [\d.]+ [KMGT]i?B", msg):
            # numpy's words: a reader sized an array from a damaged count (readstat's own
            # 'Unable to allocate memory' is a refused absurd request, not an attempt)
            found.append(f"the reader tried to allocate what the file cannot hold: {msg!r}")
    elif outcome != "survey":
        found.append(outcome)  # a crash or a hang
    for category, message in report.get("warnings", []):
        if category != "YouthmediaWarning" or "\n" in message:
            found.append(f"warning {category}: {message!r}")
    return found


def test_seed_files_load(tmp_path):
    """The unmutated seeds load through the worker: the harness itself works."""
    worker = _Worker(tmp_path / "worker.log")
    try:
        for name, ext, make, _ in SEEDS:
            path = tmp_path / f"{name}{ext}"
            path.write_bytes(make())
            report = worker.load(path)
            assert report["outcome"] == "survey" and report["n"] > 20, report
    finally:
        worker.stop()


def test_mutated_files_give_a_survey_or_one_clear_error(tmp_path):
    mutants = _mutants(tmp_path)
    worker = _Worker(tmp_path / "worker.log")
    outcomes: Counter[str] = Counter()
    findings = []
    try:
        for path, what in mutants:
            report = worker.load(path)
            outcomes[f"{path.suffix} {report['outcome'].split(' ')[0]}"] += 1
            findings += [f"{what}: {p}" for p in _problems(report)]
    finally:
        worker.stop()
    print(f"\nfuzz outcomes over {len(mutants)} mutants: {dict(sorted(outcomes.items()))}")
    log = (tmp_path / "worker.log").read_text(errors="replace")[-3000:]
    assert not findings, "\n".join(findings) + (f"\nworker stderr:\n{log}" if log else "")
    # the run exercised both readers and both kinds of outcome
    assert outcomes[".sav error"] > 0 and outcomes[".csv error"] > 0
    assert outcomes[".sav survey"] + outcomes[".csv survey"] > 0


@pytest.fixture(scope="module")
def worker(tmp_path_factory):
    w = _Worker(tmp_path_factory.mktemp("worker") / "worker.log")
    yield w
    w.stop()


@pytest.mark.parametrize("case", crashers(), ids=[c.id for c in crashers()])
def test_files_that_crashed_pyreadstat_are_refused_first(tmp_path, worker, case):
    """Regressions for the fuzz run's findings: each of these made pyreadstat 1.3.7 segfault,
    try to allocate a damaged size, or rename a variable with a bare warning. Loaded in the
    worker, so that a regression shows as a failed test, not a dead test run."""
    report = worker.load(case.write(tmp_path))
    assert report["outcome"] == "error", report
    assert re.search(case.match, report["message"]), report["message"]
    assert "\n" not in report["message"]


@pytest.mark.parametrize("value", [2**31 - 1, 10**9])
def test_a_huge_case_count_is_refused_without_allocating(tmp_path, worker, value):
    """The first finding of this fuzz run, kept as a regression: a damaged case count in the
    header made pyreadstat allocate it up front and the process was killed for memory."""
    from badinput import NCASES

    raw = bytearray(demo_sav())
    raw[NCASES : NCASES + 4] = value.to_bytes(4, "little", signed=True)
    path = tmp_path / "huge.sav"
    path.write_bytes(bytes(raw))
    report = worker.load(path)
    assert report["outcome"] == "error", report
    assert f"header promises {value:,} cases" in report["message"]
