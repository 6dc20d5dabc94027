"""The tree is the data flow: every import of a scfin module points down the layers.

Layers, bottom up (README, "How it works"): ``spec`` < ``derive``, ``numeric``,
``results`` < ``solver`` < ``verify`` < ``claims`` < ``render`` < ``report`` <
``cli``.  A module may import its own layer's modules and any lower layer's,
never a higher one's, and sibling layers of one rank do not import each other.
Function-level (lazy) imports count too.  The package root ``scfin`` is the
public façade: it imports lazily from every layer, and any module may read
``scfin.__version__`` from it because at module level it imports only the
standard library.
"""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "scfin"

RANK = {
    "spec": 0,
    "derive": 1, "numeric": 1, "results": 1,
    "solver": 2,
    "verify": 3,
    "claims": 4,
    "render": 5,
    "report": 6,
    "cli": 7,
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "scfin" else None


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            out.append((node.lineno, base))
            out += [(node.lineno, f"{base}.{a.name}") for a in node.names]
    return [(n, m) for n, m in out if m == "scfin" or m.startswith("scfin.")]


def _modules():
    return sorted(p for p in SRC.rglob("*.py") if p != SRC / "__init__.py")


def test_every_module_belongs_to_a_layer():
    unknown = [str(p.relative_to(SRC)) for p in _modules() if _layer(_module_name(p)) not in RANK]
    assert unknown == []


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_imports_point_down(path):
    mine = _layer(_module_name(path))
    bad = []
    for line, target in _imports(path):
        layer = _layer(target)
        if target == "scfin" or target == "scfin.__version__":
            continue
        if layer is None or layer not in RANK:
            continue  # a name imported from the façade's lazy attributes is caught below
        if layer != mine and RANK[layer] >= RANK[mine]:
            bad.append(f"line {line}: {target} (layer {layer}) from layer {mine}")
    assert bad == []


def test_facade_imports_only_the_standard_library_at_module_level():
    tree = ast.parse((SRC / "__init__.py").read_text())
    top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    names = [a.name for n in top if isinstance(n, ast.Import) for a in n.names]
    names += [n.module for n in top if isinstance(n, ast.ImportFrom)]
    assert all(not (m or "").startswith("scfin") for m in names)


def test_no_import_cycle_between_modules():
    """Module-level imports form no cycle (lazy imports are checked by the layer rule)."""
    graph = {}
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text())
        mods = set()
        here = _module_name(path)
        package = here if path.name == "__init__.py" else here.rpartition(".")[0]
        for node in tree.body:
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join(anchor + ([base] if base else []))
                mods.add(base)
                mods.update(f"{base}.{a.name}" for a in node.names)
            elif isinstance(node, ast.Import):
                mods.update(a.name for a in node.names)
        graph[here] = {m for m in mods if m.startswith("scfin")}
    known = set(graph)
    graph = {k: {m for m in v if m in known and m != k} for k, v in graph.items()}
    state = {}

    def visit(node, stack):
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                raise AssertionError("import cycle: " + " -> ".join(stack + [node, nxt]))
            if nxt not in state:
                visit(nxt, stack + [node])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [])
