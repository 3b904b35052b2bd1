"""Lists the docs give, held to the source they describe: the columns of every fact table,
the keys of a rule file, the notes said on standard error, the options ``report`` shares with
``check``, and the attributes of a ``CheckResult``."""

from __future__ import annotations

import argparse
import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from sales_policy.facts import FACT_TABLES

ROOT = Path(__file__).resolve().parents[1]
FACT_PAGES = [
    ROOT / "docs" / "attendance.md",
    ROOT / "docs" / "assessment.md",
    ROOT / "docs" / "rule-files.md",
    *sorted((ROOT / "docs" / "rulesets").glob("*.md")),
]
#: the columns every fact table has, which a page may say once above its tables
COMMON = ("employee_id", "timezone", "date", "period")
ROW = re.compile(r"^\| `(\w+)` \| (\w+) \|", flags=re.MULTILINE)


def section(text: str, heading: str) -> str:
    """The text under a heading (``## x`` or ``### x``), to the next heading of any level."""
    pattern = rf"^#{{2,4}} {re.escape(heading)}\s*$(.*?)(?=^#{{1,4}} |\Z)"
    found = re.search(pattern, text, flags=re.MULTILINE | re.DOTALL)
    assert found, f"no heading {heading!r}"
    return found.group(1)


def tabled_fact_tables() -> dict[str, list[tuple[Path, list[tuple[str, str]]]]]:
    """Each fact table a page tables under a heading of its name, with its rows (column, type)."""
    found: dict[str, list[tuple[Path, list[tuple[str, str]]]]] = {}
    for page in FACT_PAGES:
        text = page.read_text(encoding="utf-8")
        for heading in re.findall(r"^#{2,4} (`?\w+`?)\s*$", text, flags=re.MULTILINE):
            name = heading.strip("`")
            rows = ROW.findall(section(text, heading))
            if name in FACT_TABLES and rows:
                found.setdefault(name, []).append((page, rows))
    return found


TABLED = tabled_fact_tables()


def test_every_fact_table_is_tabled_in_the_docs() -> None:
    assert set(TABLED) == set(FACT_TABLES)


@pytest.mark.parametrize("name", sorted(FACT_TABLES))
def test_a_fact_tables_columns_are_the_schemas_in_order_and_type(name: str) -> None:
    """The docs table a fact table's columns as its schema declares them: each column, in
    order, with its type; the columns every table has may be left to the page's words."""
    declared = [(c.name, c.type) for c in FACT_TABLES[name].columns]
    for page, rows in TABLED.get(name, []):
        shown = rows if rows[0][0] == "employee_id" else [c for c in declared if c[0] in COMMON]
        if rows[0][0] != "employee_id":
            shown = shown + rows
        assert shown == declared, f"{page.name}: {name}"


def test_the_rule_file_key_tables_are_the_loaders() -> None:
    from sales_policy import rulefile, ruleparams

    text = (ROOT / "docs" / "rule-files.md").read_text(encoding="utf-8")

    def keys(heading: str) -> list[str]:
        body = section(text, heading)
        table = body.split("| key | required | value |", 1)[1].split("\n\n", 1)[0]
        return [
            k
            for row in re.findall(r"^\| ([^|]+) \|", table, flags=re.MULTILINE)
            for k in re.findall(r"`(\w+)`", row)
        ]

    assert keys("The file") == list(rulefile._FILE_KEYS)
    assert keys("Parameters") == list(ruleparams._PARAM_KEYS)
    assert sorted(keys("Rules")) == sorted(rulefile._RULE_KEYS)


def test_the_notes_said_on_standard_error_are_those_docs_cli_lists() -> None:
    """docs/cli.md names the notes on inputs that ``check --format jsonl|csv`` and ``score``
    say on standard error; ``cliaccounting.INPUT_NOTES`` is what they say."""
    from sales_policy.cliaccounting import INPUT_NOTES

    text = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    sentence = text.split("not be what they seem are said there too, one a line:", 1)[1]
    listed = re.findall(r"`(\w+)`", sentence.split("([Notes]", 1)[0])
    assert listed == list(INPUT_NOTES)


def _options(parser: argparse.ArgumentParser) -> set[str]:
    return {o for a in parser._actions for o in a.option_strings if o.startswith("--")}


def test_report_takes_the_options_of_check_docs_reports_names() -> None:
    """docs/reports.md: ``report`` takes the options of ``check`` it names, and its own."""
    from sales_policy.cliargs import build_parser

    [commands] = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    text = (ROOT / "docs" / "reports.md").read_text(encoding="utf-8")
    shared = text.split("`report` takes the inputs and options of `check`:", 1)[1]
    named = set(re.findall(r"`(--[a-z-]+)", shared.split("Its own options:", 1)[0]))
    own = set(re.findall(r"^\| `(--[a-z-]+)", shared.split("## ", 1)[0], flags=re.MULTILINE))
    own |= {"--output", "--help"}
    report = _options(commands.choices["report"])
    assert named | own == report
    assert named <= _options(commands.choices["check"])


def test_docs_policy_tables_every_field_of_a_check_result() -> None:
    from sales_policy.findings import CheckResult

    text = (ROOT / "docs" / "policy.md").read_text(encoding="utf-8")
    table = text.split("A `CheckResult` holds:", 1)[1].split("\n\n", 2)[1]
    tabled = {
        name
        for row in re.findall(r"^\| ([^|]+) \|", table, flags=re.MULTILINE)
        for name in re.findall(r"`(\w+)(?:\([^`]*\))?`", row)
    }
    fields = {f.name for f in dataclasses.fields(CheckResult)}
    assert fields <= tabled
    assert {name for name in tabled if name != "len"} <= set(dir(CheckResult)) | fields


#: a table row of the docs that gives a rule's severity and clauses: ``| ATT-LATE | minor |
#: 4.3, 8.1 |``, the id perhaps a link and followed by its Chinese title
RULE_ROW = re.compile(
    r"^\| \[?([A-Z]+(?:-[A-Z]+)+)\]?(?:\([^)]*\))?[^|]* "
    r"\| (info|minor|major|critical) \| ([^|]+) \|",
    flags=re.MULTILINE,
)


def test_the_docs_tables_of_rules_give_their_severity_and_clauses() -> None:
    """Where a page tables rules with their severity and clauses, they are the rule files'
    (a rule citing other references than the handbook, such as the Labour Law, has none)."""
    import sales_policy

    rules = {r.rule_id: r for rs in sales_policy.load_policy().rulesets for r in rs.rules}
    wrong, seen = [], 0
    for page in sorted((ROOT / "docs").glob("*.md")) + sorted(
        (ROOT / "docs" / "rulesets").glob("*.md")
    ):
        for rule_id, severity, clauses in RULE_ROW.findall(page.read_text(encoding="utf-8")):
            seen += 1
            rule = rules[rule_id]
            cited = tuple(c.strip() for c in clauses.split(",")) if clauses[0].isdigit() else ()
            if (severity, cited) != (rule.severity, tuple(rule.clauses)):
                wrong.append(f"{page.name}: {rule_id} {severity} {cited}")
    assert seen >= len(rules)
    assert not wrong, wrong


def _parameter_tables(page: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of a page's parameter tables (a header ``| parameter | ... | range | ...``),
    each with its line and its cells by the header's names, backticks dropped."""
    lines = page.read_text(encoding="utf-8").splitlines()
    header: list[str] | None = None
    for number, line in enumerate(lines, 1):
        if not line.startswith("|"):
            header = None
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0] == "parameter" and "range" in cells:
            header = cells
        elif header is not None and not set(cells[0]) <= set("-: "):
            yield number, {name: cell.strip("`") for name, cell in zip(header, cells, strict=False)}


def test_the_docs_tables_of_parameters_give_their_default_and_range() -> None:
    """Where a page tables parameters with their default and range, they are the rule files'
    (the range as ``sales-policy rules`` and the rule pages write it, its decimal places
    and the parameter it may not exceed included)."""
    import sales_policy
    from sales_policy.ruledocs import _cell

    declared = sales_policy.load_policy().declared_params()
    wrong, seen = [], 0
    for page in sorted((ROOT / "docs").glob("*.md")) + sorted(
        (ROOT / "docs" / "rulesets").glob("*.md")
    ):
        for line, row in _parameter_tables(page):
            param = declared.get(row["parameter"])
            if param is None:
                continue
            seen += 1
            shown = (row["default"], row["range"].replace("—", "") or "any")
            if shown != (_cell(param.default), param.range_text() or "any"):
                wrong.append(f"{page.name}:{line}: {param.name} {shown}")
    assert seen >= len(declared) // 2
    assert not wrong, wrong
