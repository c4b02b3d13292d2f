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
