"""youthmedia.files: atomic writes (the old file stays when writing fails) and SHA-256."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

import pytest

from youthmedia import files
from youthmedia.errors import ConfigError


def _broken_replace(*_args):
    raise OSError("disk full")


def test_atomic_write_leaves_old_file_when_replace_fails(tmp_path, monkeypatch):
    target = tmp_path / "index.html"
    files.atomic_write(target, "old")
    monkeypatch.setattr(os, "replace", _broken_replace)
    with pytest.raises(OSError, match="disk full"):
        files.atomic_write(target, "new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]  # no temporary file left


def test_atomic_path_replaces_only_after_the_block_and_not_after_an_error(tmp_path):
    target = tmp_path / "sub" / "data.sav"
    with files.atomic_path(target, ".sav") as tmp:
        assert tmp.parent == target.parent and tmp.suffix == ".sav"
        tmp.write_bytes(b"first")
        assert not target.exists()  # not there until the block ends
    assert target.read_bytes() == b"first"
    with pytest.raises(ValueError), files.atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise ValueError("writer failed")
    assert target.read_bytes() == b"first"
    assert [p.name for p in target.parent.iterdir()] == ["data.sav"]


def test_a_replaced_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "shared.csv"
    files.atomic_write(target, "a")
    os.chmod(target, 0o640)
    files.atomic_write(target, "b")
    assert (target.stat().st_mode & 0o777) == 0o640
    assert target.read_text() == "b"


def test_a_folder_is_not_a_file_to_write(tmp_path):
    with pytest.raises(ConfigError, match="is a folder"):
        files.atomic_write(tmp_path, "x")


def test_sha256_of_known_input(tmp_path):
    # FIPS 180-2, appendix B.1: SHA-256("abc")
    p = tmp_path / "abc.txt"
    p.write_bytes(b"abc")
    assert files.sha256_of(p) == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
    # read in 1 MiB blocks: a file of two and a half blocks hashes as hashlib does its bytes
    data = bytes(range(256)) * (10 * 1024)  # 2.5 MiB
    big = tmp_path / "big.bin"
    big.write_bytes(data)
    assert files.sha256_of(big) == hashlib.sha256(data).hexdigest()


def test_a_file_youthmedia_did_not_make_is_refused_in_every_process(tmp_path, monkeypatch):
    """Process 1 writes; process 2 may replace those files, never a file the user put there."""
    monkeypatch.setenv("YOUTHMEDIA_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "out"
    script = (
        "import sys\nfrom youthmedia import files, errors\n"
        "for path in sys.argv[2:]:\n"
        "    try:\n        files.atomic_write(path, sys.argv[1])\n"
        "    except errors.ConfigError as e:\n        print(e)\n"
    )

    def run(text, *names):
        done = subprocess.run(
            [sys.executable, "-c", script, text, *(str(out / n) for n in names)],
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        return done.stdout.splitlines()

    ours = ["tabellen.csv", "notities.txt", "pagina.html", "figuur.svg", "tekst.md"]
    theirs = ["leerlingen.csv", "enquete.txt", "figuur2.png", "index.html"]
    assert run("eerste", *ours) == []  # process 1 writes
    for name in theirs:
        (out / name).write_text("id;naam\n1;x\n")  # the user's own files
    refused = run("tweede", *ours, *theirs)  # process 2
    assert [(out / n).read_text() for n in ours] == ["tweede"] * len(ours)
    assert refused == [
        f"Will not replace {out / n}: youthmedia did not make it (or it was changed "
        "since); choose another output name or folder (--out), or delete that file."
        for n in theirs
    ]
    assert all((out / n).read_text() == "id;naam\n1;x\n" for n in theirs)
    (out / "tabellen.csv").write_text("changed by hand")  # edited since: not ours now
    assert len(run("derde", "tabellen.csv")) == 1
