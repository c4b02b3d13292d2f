"""Project rules a reviewer would otherwise check by hand."""

import ast

import pytest
from conftest import REPO

LAYER_MODULES = sorted((REPO / "layers").rglob("*.py"))


@pytest.mark.parametrize("path", LAYER_MODULES, ids=lambda path: path.relative_to(REPO).as_posix())
def test_layers_never_import_streamlit(path):
    tree = ast.parse(path.read_text())
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in (
            node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")]
        )
    }
    assert "streamlit" not in imported and "streamlit_folium" not in imported


def imported_layer_modules(path) -> set[str]:
    """The `layers.*` modules a module imports (its own package's `__init__` left out)."""
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("layers"):
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names if alias.name.startswith("layers"))
    return names


def test_the_layers_package_has_no_import_loops():
    """Stages import downwards only (read → analysis → map …): a loop would mean two modules
    that can only change together."""
    modules = {
        ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__"): path
        for path in LAYER_MODULES
    }
    graph = {
        name: {other for other in imported_layer_modules(path) if other in modules} - {name}
        for name, path in modules.items()
    }
    state: dict[str, str] = {}

    def visit(name, trail):
        if state.get(name) == "done":
            return
        assert state.get(name) != "open", "import loop: " + " → ".join([*trail, name])
        state[name] = "open"
        for other in sorted(graph[name]):
            visit(other, [*trail, name])
        state[name] = "done"

    for name in sorted(graph):
        visit(name, [])


def test_test_files_have_names_of_their_own():
    """pytest imports test files by their bare name (no packages under tests/): two files of
    one name stop the whole run at collection."""
    names = [path.name for path in (REPO / "tests").rglob("test_*.py")]
    assert sorted(names) == sorted(set(names))
