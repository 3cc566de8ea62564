"""The stories app's migrations stand alone: they give the same result
whatever the live code becomes. (``import stories.models`` stays allowed:
Django writes it itself to name a field's callable default.)"""

import ast
from pathlib import Path

import pytest

import stories

MIGRATIONS = sorted((Path(stories.__file__).parent / "migrations").glob("0*.py"))


@pytest.mark.parametrize("path", MIGRATIONS, ids=lambda path: path.name)
def test_migration_imports_nothing_from_the_apps_live_code(path):
    imported = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")

    assert not {module for module in imported if module.split(".")[0] in {"stories", "together", "campaigns"}}
