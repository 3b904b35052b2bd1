"""The public API: what is exported, and that it is really public."""

from __future__ import annotations

import ast
import subprocess
import sys
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
    at once (the errors), or on first use (``_LAZY_NAMES``, each from the module that type
    checkers are shown it comes from)."""
    tree = ast.parse(Path(sales_policy.__file__).read_text(encoding="utf-8"))
    imported = _imported_names(tree.body)
    (for_type_checkers,) = [
        node.body
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    ]
    lazy = {
        alias.name: node.module
        for node in for_type_checkers
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert lazy == sales_policy._LAZY_NAMES
    assert not set(imported) & set(lazy)
    assert set(sales_policy.__all__) == {*imported, *lazy}
    assert sorted(sales_policy.__all__) == list(sales_policy.__all__)
    for name in sales_policy.__all__:
        assert getattr(sales_policy, name) is not None
        assert name in dir(sales_policy)


def test_importing_the_package_loads_neither_polars_nor_pydantic() -> None:
    """``import sales_policy`` is cheap, and leaves the command (``sales_policy.console``)
    free to set up the process before polars is loaded; a public name loads its module."""
    script = (
        "import sys\n"
        "import sales_policy, sales_policy.console\n"
        "print(sorted({'polars', 'pydantic'} & set(sys.modules)))\n"
        "sales_policy.load_policy\n"
        "print('polars' in sys.modules, 'sales_policy.policy' in sys.modules)\n"
    )
    process = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert process.stdout.splitlines() == ["[]", "True True"]


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
        if path.name in ("cli.py", "console.py", "__main__.py", "testing.py", "ruledocs.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[-1] not in ("cli", "testing", "ruledocs"), path
