"""The public API: what is exported, and that it is really public."""

from __future__ import annotations

import ast
from pathlib import Path

import sales_policy


def test_all_lists_exactly_the_imported_public_names() -> None:
    """__all__ matches the names __init__ imports, one per line, each really there."""
    source = Path(sales_policy.__file__).read_text(encoding="utf-8")
    imported = {
        alias.asname or alias.name
        for node in ast.parse(source).body
        if isinstance(node, ast.ImportFrom) and node.module != "__future__"
        for alias in node.names
    }
    assert set(sales_policy.__all__) == imported
    assert sorted(sales_policy.__all__) == list(sales_policy.__all__)
    for name in sales_policy.__all__:
        assert getattr(sales_policy, name) is not None


def test_errors_form_one_tree_with_builtin_bases() -> None:
    assert issubclass(sales_policy.RuleFileError, sales_policy.SalesPolicyError)
    assert issubclass(sales_policy.RuleFileError, ValueError)
    assert issubclass(sales_policy.PolicyError, ValueError)
    assert issubclass(sales_policy.CalendarError, ValueError)
    assert issubclass(sales_policy.InvalidArgument, TypeError)


def test_core_does_not_import_the_layers_on_top() -> None:
    """Imports flow one way: nothing below imports cli or testing."""
    package = Path(sales_policy.__file__).parent
    for path in package.rglob("*.py"):
        if path.name in ("cli.py", "__main__.py", "testing.py", "ruledocs.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[-1] not in ("cli", "testing", "ruledocs"), path
