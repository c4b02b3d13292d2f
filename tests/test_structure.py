"""Project rules a reviewer would otherwise check by hand."""

import ast

import pytest
from conftest import REPO

LAYER_MODULES = sorted((REPO / "layers").rglob("*.py"))
PAGE_MODULES = sorted((REPO / "dashboard_ui").rglob("*.py"))


def imported_top_names(path) -> set[str]:
    """The top-level packages a module imports, anywhere in it (in functions too)."""
    tree = ast.parse(path.read_text())
    return {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in (
            node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")]
        )
    }


@pytest.mark.parametrize("path", LAYER_MODULES, ids=lambda path: path.relative_to(REPO).as_posix())
def test_layers_never_import_streamlit_or_the_page(path):
    """layers/ is pure Python: it runs in the CLIs, the benches and the tests without Streamlit,
    and the page's modules (dashboard.py, dashboard_ui/) build on it, never the other way."""
    imported = imported_top_names(path)
    assert not imported & {"streamlit", "streamlit_folium", "dashboard", "dashboard_ui"}


@pytest.mark.parametrize("path", PAGE_MODULES, ids=lambda path: path.relative_to(REPO).as_posix())
def test_the_pages_modules_never_import_the_script(path):
    """dashboard.py runs the page when imported: a module of dashboard_ui/ importing it would
    draw the page twice."""
    assert "dashboard" not in imported_top_names(path)


def imported_package_modules(path, package: str) -> set[str]:
    """The `package.*` modules a module imports (its own package's `__init__` left out)."""
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(package):
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names if alias.name.startswith(package))
    return names


def assert_no_import_loops(paths, package: str) -> None:
    modules = {
        ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__"): path
        for path in paths
    }
    graph = {
        name: {other for other in imported_package_modules(path, package) if other in modules}
        - {name}
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


def test_the_layers_package_has_no_import_loops():
    """Stages import downwards only (read → analysis → map …): a loop would mean two modules
    that can only change together."""
    assert_no_import_loops(LAYER_MODULES, "layers")


def test_the_pages_package_has_no_import_loops():
    """The page's parts import downwards only (the shared-store page → the map → the session's
    view → the timeline and analyses' clicks …), as layers/ does."""
    assert_no_import_loops(PAGE_MODULES, "dashboard_ui")


def test_test_files_have_names_of_their_own():
    """pytest imports test files by their bare name (no packages under tests/): two files of
    one name stop the whole run at collection."""
    names = [path.name for path in (REPO / "tests").rglob("test_*.py")]
    assert sorted(names) == sorted(set(names))
