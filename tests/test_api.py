"""The public API: what is exported, and that it is really public."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import sales_policy
from sales_policy import records


def _imported_names(body: list[ast.stmt]) -> list[str]:
    return [
        alias.asname or alias.name
        for node in body
        if isinstance(node, ast.ImportFrom) and node.module not in ("__future__", "typing")
        for alias in node.names
    ]


def test_all_lists_exactly_the_imported_public_names() -> None:
    """__all__ matches the names __init__ imports, one per line, each really there: imported
    at once, or on first use (the record models) and then also for type checkers."""
    tree = ast.parse(Path(sales_policy.__file__).read_text(encoding="utf-8"))
    imported = _imported_names(tree.body)
    (for_type_checkers,) = [
        node.body
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    ]
    lazy = _imported_names(for_type_checkers)
    assert lazy == list(sales_policy._LAZY_NAMES)
    assert not set(imported) & set(lazy)
    assert set(sales_policy.__all__) == {*imported, *lazy}
    assert sorted(sales_policy.__all__) == list(sales_policy.__all__)
    for name in sales_policy.__all__:
        assert getattr(sales_policy, name) is not None
        assert name in dir(sales_policy)


def test_record_models_are_public_names_imported_on_first_use() -> None:
    """sales_policy.Punch is the model in sales_policy.records; an unknown name is an
    AttributeError as ever."""
    from sales_policy import Punch

    assert Punch is sales_policy.Punch is records.Punch
    assert sales_policy.Record is records.Record
    with pytest.raises(AttributeError, match="has no attribute 'Punches'"):
        sales_policy.Punches  # noqa: B018


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
