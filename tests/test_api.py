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


_TYPED_USER = """\
import datetime as dt

from sales_policy import CheckResult, Finding, Policy, load_policy
from sales_policy.testing import check_never_adds


def late(policy: Policy, records: list[dict[str, str]]) -> list[Finding]:
    result: CheckResult = policy.check(records, dt.date(2026, 11, 2), dt.date(2026, 11, 2))
    return [f for f in result.findings if f.rule_id == "ATT-LATE"]


base = load_policy()
check_never_adds(base, base.with_params(late_grace_minutes=5), [])
print(late(base, [])[0].evidence["minutes_late"] + 1)
"""


def test_a_typed_program_using_the_package_passes_mypy_strict(tmp_path: Path) -> None:
    """The package says it is typed (``py.typed``): a user's program checked with ``mypy
    --strict`` sees its annotations instead of an untyped module, so a misuse fails it.

    One mypy run checks the program and its misuse side by side (two modules that import
    nothing of each other): the one error it finds is the misuse's."""
    (tmp_path / "user.py").write_text(_TYPED_USER, encoding="utf-8")
    misuse = _TYPED_USER.replace("[0].evidence", ".evidence")
    (tmp_path / "misuse.py").write_text(misuse, encoding="utf-8")
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
    command += ["--cache-dir", str(tmp_path / "cache"), "user.py", "misuse.py"]
    checked = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    errors = [line for line in checked.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1, checked.stdout
    assert errors[0].startswith("misuse.py:")
    assert '"list[Finding]" has no attribute "evidence"' in errors[0]


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


#: The package's modules, layer by layer from the bottom (STYLE.md 2): records -> facts ->
#: rules -> findings -> engine -> policy -> scoring -> reports, the commands, the live engine
#: and the testing helpers on top.  A module imports modules of its own layer or below.
LAYERS: tuple[tuple[str, ...], ...] = (
    (
        "errors",
        "rejecttext",
        "termtext",
        "callerwords",
        "background",
        "zones",
        "yamlplaces",
        "yamlfile",
        "yamlparse",
        "rulesnapshot",
        "yamldoc",
        "handbook",
        "recordfields",
        "timetext",
        "timestamps",
        "chinacalendar",
        "calendar",
        "exprnodes",
        "exprplaces",
        "exprfunctions",
        "exprcompare",
        "exprsource",
        "expr",
    ),
    (
        "recordbase",
        "conductrecords",
        "records",
        "recordschema",
        "textfiles",
        "givenfiles",
        "rawframes",
        "mapping",
        "csvlines",
        "csvfiles",
        "jsonlfiles",
        "excel",
        "inputs",
        "validation",
        "instants",
        "employees",
        "overlaps",
        "tables",
    ),
    ("facts", "facts.*", "scoringvalues", "scorecard"),
    ("rulesets", "rulereader", "ruleparams", "rulefile", "ruleschema", "policyfile"),
    ("findings",),
    ("engine",),
    ("inputnotes", "periodnotes", "checknotes", "checking", "policyparams", "policy"),
    ("scorenotes", "scores", "indicators", "scoring", "whatif", "samplefile", "samples"),
    (
        "columntext",
        "outputs",
        "ruletexts",
        "findingtexts",
        "reports",
        "reportcontent",
        "htmlreport",
        "mdreport",
        "ruledocs",
        "ruleexplain",
        "daytext",
        "dayexplain",
        "scoretext",
        "breakdownzh",
        "scoreexplain",
    ),
    (
        "",  # the package itself
        "__main__",
        "_hypothesis_hook",
        "console",
        "prefetch",
        "cli",
        "cliaccounting",
        "cliargs",
        "sampleruns",
        "live",
        "live.*",
        "testing",
        "testing.*",
    ),
)


def _layer(module: str) -> int:
    """The layer of a module named relative to the package ("facts.daygrid")."""
    for number, names in enumerate(LAYERS):
        for name in names:
            if module == name or (name.endswith(".*") and module.startswith(name[:-1])):
                return number
    raise AssertionError(f"sales_policy.{module} is in no layer: add it to LAYERS")


def _imports(path: Path, module: str) -> list[tuple[str, int]]:
    """The package's modules that a module imports (type-checking imports too), named
    relative to the package, with their lines."""
    package = module.split(".")[:-1] if path.name != "__init__.py" else module.split(".")
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = [*base, *(node.module.split(".") if node.module else [])]
            else:
                target = (node.module or "").split(".")
            if target[:1] != ["sales_policy"]:
                continue
            names = [".".join([*target, alias.name]) for alias in node.names]
            modules = [n for n in names if _is_module(n)] or [".".join(target)]
            found += [(m, node.lineno) for m in modules]
        elif isinstance(node, ast.Import):
            found += [
                (a.name, node.lineno) for a in node.names if a.name.startswith("sales_policy")
            ]
    return [(m.removeprefix("sales_policy").removeprefix("."), line) for m, line in found]


def _is_module(dotted: str) -> bool:
    root = Path(sales_policy.__file__).parent.parent
    path = root.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def test_imports_flow_one_way() -> None:
    """Imports flow one way (STYLE.md 2): each module imports only modules of its own layer
    or below, so the package draws as a line; nothing below imports the commands, the live
    engine or the testing helpers, and every module has its place."""
    package = Path(sales_policy.__file__).parent
    wrong = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        name = module.removeprefix("sales_policy").removeprefix(".")
        for imported, line in _imports(path, module):
            if _layer(imported) > _layer(name):
                wrong.append(f"{path.relative_to(package.parent)}:{line} imports {imported}")
    assert not wrong, "imports from a higher layer:\n" + "\n".join(wrong)


def test_results_hash_compare_and_show_as_their_classes_promise() -> None:
    """Findings, counts and employee scores are frozen: hashable, equal ones equal in hash
    (their dicts are compared, not hashed); a check result is equal to itself only, and
    shown in a line; a finding's JSON form is a copy, not the finding's own evidence."""
    from conftest import EXAMPLE_MONTH

    policy = sales_policy.load_policy()
    result = policy.check(sorted(EXAMPLE_MONTH.glob("*.csv")))
    again = policy.check(sorted(EXAMPLE_MONTH.glob("*.csv")))
    assert len(set(result)) == len(result.findings) == 34
    assert set(result) == set(again) and hash(result.findings[0]) == hash(again.findings[0])
    assert hash(result.counts) == hash(again.counts) and result.counts == again.counts
    assert result == result and result != again  # DataFrames inside: the same object only
    assert repr(result) == (  # the example month's 34 findings of its 385 rows (README)
        "<CheckResult: 34 findings, 385 rows read = 385 accepted + 0 rejected, "
        f"period 2026-11-02 to 2026-11-30, {len(result.notes)} notes>"
    )
    first = result.findings[0]
    first.to_dict()["evidence"].clear()
    assert first.evidence == again.findings[0].evidence != {}
    # the list is the caller's: sorted or emptied in place, the result's findings stay
    mine = result.findings
    mine.sort(key=lambda f: (f.severity, f.rule_id), reverse=True)
    mine.clear()
    assert list(result) == result.findings == again.findings and len(result.findings) == 34
    assert [f.rule_id for f in result] == result.frame.get_column("rule_id").to_list()
    scores = sales_policy.score(policy, sorted(EXAMPLE_MONTH.glob("*.csv")), "2026-11")
    assert len(set(scores)) == len(scores) > 0


def test_a_policy_and_scores_show_in_a_line() -> None:
    """A policy, scores and a breakdown show what they are in a line, as a check result
    does, not every rule, parameter and score (a policy's fields ran to 40,000 characters)."""
    from conftest import EXAMPLE_MONTH

    policy = sales_policy.load_policy()
    company = sales_policy.load_policy(EXAMPLE_MONTH.parent / "policy.yaml")
    rulesets = "attendance, discipline, integrity, confidentiality, customer_care, assessment"
    assert repr(policy) == (
        f"<Policy: 6 rule sets ({rulesets}), 35 rules in force, timezone Asia/Shanghai>"
    )
    # examples/policy.yaml: a grace of 5 minutes, ATT-LEFT-POST disabled (docs/policy.md)
    assert repr(company.with_params(serious_late_minutes=40)) == (
        f"<Policy: 6 rule sets ({rulesets}), 34 rules in force (1 disabled), timezone "
        f"Asia/Shanghai, from {EXAMPLE_MONTH.parent / 'policy.yaml'}, params changed: "
        "late_grace_minutes=5, serious_late_minutes=40>"
    )
    scores = sales_policy.score(policy, sorted(EXAMPLE_MONTH.glob("*.csv")), "2026-11")
    graded = sum(row.grade is not None for row in scores)
    assert repr(scores) == (
        f"<Scores: 2026-11 (2026-11-01 to 2026-11-30), {len(scores)} employees, {graded} graded>"
    )
    first = next(iter(scores))
    shown = repr(scores.breakdown(first.employee_id))
    assert shown.startswith(f"<Breakdown: {first.employee_id} in 2026-11, overall ")
    assert "\n" not in shown and len(shown) < 200
