"""The layers hold: apps import the library and never each other or portal's top."""

import ast
from pathlib import Path

import pytest

from portal.settings import BASE_DIR

APPS = ("articles", "ads", "subscriptions")
TOP_LEVEL = (*APPS, "portal")


def imported_packages(folder):
    """(file, imported module) for every import of our own packages below ``folder``."""
    for path in sorted((BASE_DIR / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                if name.split(".")[0] in TOP_LEVEL:
                    yield Path(path).relative_to(BASE_DIR), name


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_only_itself_and_the_library(app):
    crossing = [
        f"{path}: {name}"
        for path, name in imported_packages(app)
        if name.split(".")[0] != app and not name.startswith("portal.lib")
    ]

    assert crossing == []


def test_the_library_imports_no_app_and_nothing_of_portals_top():
    crossing = [
        f"{path}: {name}"
        for path, name in imported_packages("portal/lib")
        if not name.startswith("portal.lib")
    ]

    assert crossing == []
