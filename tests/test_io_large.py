"""The large-file paths of load(): SPSS row chunks and the digest computed in a child process.
Each must give exactly what the plain path gives."""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest

import youthmedia as ym
from youthmedia.io import spss

SPSS_FILES = [
    "pyreadstat/sample.sav",
    "pyreadstat/sample.zsav",
    "pyreadstat/sample_large.sav",
    "pyreadstat/sample_missing.sav",
    "pyreadstat/simple_alltypes.sav",
    "pyreadstat/missing_char.sav",
    "haven/datetime.sav",
    "haven/labelled-str.sav",
    "onharassment/onharassment.sav",
]


def _load(path, **kw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s = ym.load(path, **kw)
    return s, [str(w.message) for w in caught]


def _same(a, b):
    (sa, wa), (sb, wb) = a, b
    pd.testing.assert_frame_equal(sa.data, sb.data, check_exact=True)
    pd.testing.assert_frame_equal(sa.codebook.to_frame(), sb.codebook.to_frame())
    assert sa.source.sha256 == sb.source.sha256
    assert sa.source.options == sb.source.options
    assert sa.codebook.weight == sb.codebook.weight
    assert wa == wb


@pytest.mark.parametrize("name", SPSS_FILES)
def test_row_chunks_read_what_one_read_gives(testdata, monkeypatch, name):
    path = testdata / name
    whole = _load(path)
    first = list(whole[0].data.columns[:2])
    whole_first = _load(path, columns=first)
    monkeypatch.setattr(spss, "CHUNK_BYTES", 64)  # every file in its largest number of chunks
    _same(whole, _load(path))
    _same(whole_first, _load(path, columns=first))


def test_chunks_of_a_file_with_user_missing_codes_and_a_weight(tmp_path, monkeypatch):
    """1,001 rows in chunks of 126 (8 chunks, the last shorter): labels, missing counts and the
    declared weight as in one read."""
    n = 1001
    rng = np.random.default_rng(1)
    df = pd.DataFrame(
        {
            "g": rng.integers(1, 4, n).astype(float),
            "y": rng.random(n),
            "t": [f"tekst {i}" for i in range(n)],
            "w": rng.random(n) + 0.5,
        }
    )
    df.loc[::7, "g"] = 9.0
    path = tmp_path / "groot.sav"
    pyreadstat.write_sav(
        df,
        str(path),
        variable_value_labels={"g": {1: "a", 2: "b", 3: "c", 9: "weet niet"}},
        missing_ranges={"g": [9]},
        row_compress=True,
    )
    whole = _load(path)
    monkeypatch.setattr(spss, "CHUNK_BYTES", 64)
    assert spss._n_chunks("sav", n, 4) == 8
    monkeypatch.setattr(spss, "PROCESS_BYTES", 2**40)  # read here, by pyreadstat's chunk reader
    calls = []
    real = pyreadstat.read_sav
    monkeypatch.setattr(
        pyreadstat, "read_sav", lambda *a, **k: calls.append(k.get("row_offset")) or real(*a, **k)
    )
    chunked = _load(path)
    # the dictionary (ours, then read_file_in_chunks'), then 8 chunks
    assert calls == [None, None, 0, 126, 252, 378, 504, 630, 756, 882]
    _same(whole, chunked)
    # 143 rows hold the user-missing code 9 (rows 0, 7, ..., 994): counted once, made NaN
    assert chunked[0].codebook["g"].missing_counts == {"9": 143}
    assert chunked[0].data["g"].isna().sum() == 143
    assert chunked[0].data["t"].tolist() == df["t"].tolist()


def test_the_source_digest_is_the_files_sha256(testdata):
    path = testdata / "onharassment" / "onharassment.sav"
    assert ym.load(path).source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_load_has_no_cache_option(tmp_path):
    with pytest.raises(ym.ConfigError, match="cache"):
        ym.load(
            Path(__file__).resolve().parents[1] / "data" / "youth_social_media_demo.sav",
            cache=tmp_path,
        )


@pytest.mark.parametrize(
    "name",
    ["pyreadstat/sample_large.sav", "pyreadstat/sample.zsav", "onharassment/onharassment.sav"],
)
def test_worker_processes_read_what_one_read_gives(testdata, monkeypatch, name):
    if spss._n_workers(10**6, 100) < 2:
        pytest.skip("worker processes need fork and two or more CPUs")
    path = testdata / name
    whole = _load(path)
    first = list(whole[0].data.columns[:2])
    whole_first = _load(path, columns=first)
    monkeypatch.setattr(spss, "PROCESS_BYTES", 0)
    assert spss._n_workers(100, 3) >= 2
    _same(whole, _load(path))  # one chunk, split over processes
    _same(whole_first, _load(path, columns=first))  # a few columns: processes too
    monkeypatch.setattr(spss, "CHUNK_BYTES", 64)
    _same(whole, _load(path))  # every chunk split over processes


def test_worker_processes_and_a_truncated_file(tmp_path, monkeypatch):
    """A compressed file cut to 70 %: its header promises 1,001 cases. With worker processes
    the load stops with the same one-line DataError as one read gives."""
    if spss._n_workers(10**6, 100) < 2:
        pytest.skip("worker processes need fork and two or more CPUs")
    n = 1001
    rng = np.random.default_rng(2)
    df = pd.DataFrame({"y": rng.random(n), "z": rng.random(n)})
    path = tmp_path / "kort.sav"
    pyreadstat.write_sav(df, str(path), row_compress=True)
    raw = path.read_bytes()
    path.write_bytes(raw[: int(len(raw) * 0.7)])
    with pytest.raises(ym.DataError) as one:
        ym.load(path)
    monkeypatch.setattr(spss, "CHUNK_BYTES", 64)
    monkeypatch.setattr(spss, "PROCESS_BYTES", 0)
    with pytest.raises(ym.DataError) as workers:
        ym.load(path)
    assert "truncated" in str(workers.value) and "\n" not in str(workers.value)
    assert str(one.value).split(":")[0] == str(workers.value).split(":")[0]
