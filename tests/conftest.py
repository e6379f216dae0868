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


def load_tool(name: str):
    """A script of ``tools/`` imported by path (the tools are not part of the package)."""
    import importlib.util
    import sys

    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(autouse=True)
def _fresh_identifier_index():
    """Each test starts with an empty index of identifiers seen (the index is per process)."""
    from youthmedia import privacy

    privacy.forget_identifiers()
    yield
