"""The package's import graph: no cycles, and the layers of docs/architecture.md hold.

Every import counts, also those inside functions and under ``TYPE_CHECKING``: a module may
import from its own layer or a lower one, never a higher one, and no modules import each
other (directly or round a loop).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "youthmedia"

# docs/architecture.md's module table, lowest layer first
LAYERS = {
    "base": ["i18n", "errors", "files"],
    "core": [
        "survey",
        "codebook",
        "design",
        "variance",
        "replicates",
        "result",
        "privacy",
        "suppression",
        "identifiers",
    ],
    "input": ["io"],
    "analysis": [
        "estimate",
        "blocks",
        "intervals",
        "summaries",
        "weighting",
        "models",
        "scales",
        "published",
        "side_by_side",
    ],
    "output": ["standard", "deck", "export", "figures", "describe"],
    "entry": ["cli", "__main__", "app", "report"],
}
RANK = {mod: i for i, mods in enumerate(LAYERS.values()) for mod in mods}


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package modules ``name`` imports anywhere in its file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([node.module] if node.module else []))
            for a in node.names:
                found.add(f"{base}.{a.name}" if f"{base}.{a.name}" in known else base)
    return {m for m in found if m in known and m != name}


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    return {name: _imports(name, path, set(mods)) for name, path in mods.items()}


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return RANK.get(parts[1]) if len(parts) > 1 else None


def test_no_import_cycle():
    graph = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for d in sorted(graph[m]):
            if state.get(d) == 1:
                cycles.append(" -> ".join(stack[stack.index(d) :] + [d]))
            elif d not in state:
                visit(d)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_every_module_has_a_layer():
    unplaced = [m for m in _modules() if m != "youthmedia" and _layer(m) is None]
    assert not unplaced, f"add these modules to docs/architecture.md and LAYERS: {unplaced}"


@pytest.mark.parametrize("layer", list(LAYERS))
def test_imports_point_down_the_layers(layer):
    graph = _graph()
    wrong = [
        f"{m} ({layer}) imports {d} ({list(LAYERS)[_layer(d)]})"
        for m, deps in graph.items()
        if _layer(m) == RANK[LAYERS[layer][0]]
        for d in deps
        if _layer(d) is not None and _layer(d) > _layer(m)
    ]
    assert not wrong, "\n".join(wrong)
