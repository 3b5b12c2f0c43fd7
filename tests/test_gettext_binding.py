"""No module that takes `_` from django.utils.translation binds `_` again anywhere.

A binding of `_` inside a function (`_, parsed = ...`, `for _ in ...`) makes `_` local to the
whole function, so every `_("...")` in it raises UnboundLocalError instead of translating; at
module level it replaces gettext for the module. Use another throwaway name (`_unused`,
`_handle`).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIPPED = {".venv", "node_modules", ".git", "var", "static"}
TRANSLATION_MODULES = {"django.utils.translation"}


def project_modules():
    for path in sorted(ROOT.rglob("*.py")):
        if not SKIPPED.intersection(path.relative_to(ROOT).parts):
            yield path


def imports_gettext_as_underscore(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module in TRANSLATION_MODULES
        and any(alias.asname == "_" or alias.name == "_" for alias in node.names)
        for node in ast.walk(tree)
    )


def bindings_of_underscore(tree: ast.Module):
    """(line, what) for every place that binds the name `_`, the gettext import aside. (In a
    `match` pattern `_` is the wildcard and binds nothing.)"""
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Name)
            and node.id == "_"
            and isinstance(node.ctx, ast.Store | ast.Del)
        ):
            yield node.lineno, "assignment, unpacking, for/with/comprehension target or del"
        elif isinstance(node, ast.arg) and node.arg == "_":
            yield node.lineno, "argument"
        elif isinstance(node, ast.ExceptHandler) and node.name == "_":
            yield node.lineno, "except ... as _"
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and (
            node.name == "_"
        ):
            yield node.lineno, "def or class named _"
        elif isinstance(node, ast.Global | ast.Nonlocal) and "_" in node.names:
            yield node.lineno, "global/nonlocal _"
        elif (
            isinstance(node, ast.Import | ast.ImportFrom)
            and getattr(node, "module", None) not in TRANSLATION_MODULES
            and any((alias.asname or alias.name) == "_" for alias in node.names)
        ):
            yield node.lineno, "import as _"


def shadowing(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    if not imports_gettext_as_underscore(tree):
        return []
    return list(bindings_of_underscore(tree))


def test_no_module_rebinds_gettext_underscore():
    found = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in project_modules()
        for line, what in shadowing(path.read_text(encoding="utf-8"))
    ]

    assert found == []


GETTEXT = "from django.utils.translation import gettext as _\n"


@pytest.mark.parametrize(
    "code",
    [
        "_, parsed = resolve()",
        "_ = 1",
        "for _ in range(3): pass",
        "with open('f') as _: pass",
        "[1 for _ in range(3)]",
        "def f(_): pass",
        "lambda _: 1",
        "try:\n    pass\nexcept Exception as _:\n    pass",
        "(_ := 1)",
        "import os as _",
    ],
)
def test_every_kind_of_binding_is_found(code):
    assert shadowing(GETTEXT + code)
    assert not shadowing(code)  # a module without gettext's `_` may use it as it likes


def test_using_gettext_is_not_a_binding():
    assert not shadowing(GETTEXT + "message = _('Not found.')\ncase_ = [1 for __ in ()]")
