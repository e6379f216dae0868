"""Shared fixtures: paths to the project's and the shared folder's data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TESTDATA = SHARED / "testdata"
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"


@pytest.fixture
def testdata() -> Path:
    """``../shared/testdata``, or a visible skip where it is absent."""
    if not TESTDATA.is_dir():
        pytest.skip(f"../shared/testdata is absent ({TESTDATA}); outside test files not available")
    return TESTDATA


@pytest.fixture
def root() -> Path:
    return ROOT
