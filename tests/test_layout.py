"""The package's layout stays one a newcomer can change: short functions, modules of a
readable size, no import cycle, and the simulation kept out of the results' and the
dashboard's imports (issue #20's limits)."""

from __future__ import annotations

import ast
import statistics
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "simsoins"
MAX_FUNCTION_LINES = 60
MAX_MEDIAN_FUNCTION_LINES = 8
MAX_MODULE_LINES = 400


def modules() -> dict[str, Path]:
    """Dotted module name → file, for every module of the package."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def functions(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(f"{path.name}:{node.lineno} {node.name}", node.end_lineno - node.lineno + 1)
            for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]


def imported(name: str, path: Path) -> set[str]:
    """simsoins modules that ``name`` imports, anywhere in the file (lazy imports count)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    known = modules()
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            subs = {f"{base}.{a.name}" for a in node.names}
            found.update(subs & known.keys())
            if subs - known.keys():  # names defined in ``base`` itself, not its submodules
                found.add(base)
    return {m for m in found if m in known and m != name}


def test_no_function_is_long_and_most_are_short():
    lengths = [f for path in modules().values() for f in functions(path)]
    too_long = sorted((n, where) for where, n in lengths if n > MAX_FUNCTION_LINES)
    assert not too_long, f"functions over {MAX_FUNCTION_LINES} lines: {too_long}"
    median = statistics.median(n for _, n in lengths)
    assert median <= MAX_MEDIAN_FUNCTION_LINES, f"median function length {median}"


@pytest.mark.parametrize("name", sorted(modules()))
def test_modules_are_of_a_readable_size(name):
    n = len(modules()[name].read_text(encoding="utf-8").splitlines())
    assert n <= MAX_MODULE_LINES, f"{name}: {n} lines"


def test_no_import_cycle():
    graph = {name: imported(name, path) for name, path in modules().items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycle = [*stack[stack.index(dep):], dep]
                pytest.fail("import cycle: " + " → ".join(cycle))
            if dep not in state:
                visit(dep)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


@pytest.mark.parametrize("layer", ["simsoins.results", "simsoins.dashboard"])
def test_results_and_dashboard_do_not_import_the_engine(layer):
    engine = ("simsoins.sim", "simsoins.levers", "simsoins.run", "simsoins.cli")
    for name, path in modules().items():
        if name == layer or name.startswith(layer + "."):
            bad = sorted(m for m in imported(name, path) if m.startswith(engine))
            assert not bad, f"{name} imports {bad}"


def test_nothing_is_added_to_other_hydra_apps_search_path():
    """simsoins' config groups (experiments included) are found through its own config
    tree: it ships no Hydra plugin, which every Hydra application would load."""
    from hydra.core.plugins import Plugins
    from hydra.plugins.search_path_plugin import SearchPathPlugin

    plugins = Plugins.instance().discover(SearchPathPlugin)
    assert not [p for p in plugins if "simsoins" in p.__module__.lower()]
    assert not (PACKAGE.parent / "hydra_plugins").exists()
