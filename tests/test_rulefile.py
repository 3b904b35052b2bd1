"""Rule files are untrusted input: checked at load, with file:line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from sales_policy import RuleFileError
from sales_policy.policy import default_rule_dir
from sales_policy.rulefile import load_ruleset, rule_file_json_schema

GOOD = """\
ruleset: company
title: {zh: 公司, en: Company}
facts: workday
params:
  limit_minutes: {type: int, default: 5, min: 0, max: 60, doc: {zh: 限, en: limit}}
rules:
  - id: CO-LATE
    title: {zh: 迟到, en: Late}
    clauses: ["4.3"]
    severity: minor
    when: minutes_late > limit_minutes
    evidence: [minutes_late]
    message: {zh: "迟到 {minutes_late}", en: "late {minutes_late}"}
"""


def load(tmp_path: Path, text: str) -> object:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return load_ruleset(path)


def test_a_good_rule_file_loads(tmp_path: Path) -> None:
    ruleset = load(tmp_path, GOOD)
    assert [r.rule_id for r in ruleset.rules] == ["CO-LATE"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "message"),
    [
        (
            "minutes_late > limit",
            "minutes_lat > limit",
            11,
            11,
            "unknown name 'minutes_lat' (did you mean 'minutes_late'?)",
        ),
        (
            "minutes_late > limit_minutes",
            "__import__('os').system('ls')",
            11,
            None,
            "rule CO-LATE:",
        ),
        ("minutes_late > limit_minutes", "minutes_late + 1", 11, None, "must be true or false"),
        ("severity: minor", "severity: minr", 10, None, "severity 'minr' (did you mean 'minor'?)"),
        ('clauses: ["4.3"]', 'clauses: ["4.9"]', 9, None, "unknown handbook clause '4.9'"),
        ("id: CO-LATE", "id: co late", 7, None, "must look like ATT-LATE"),
        ("facts: workday", "facts: workdays", 3, None, "unknown fact table 'workdays'"),
        ("evidence: [minutes_late]", "evidence: [minutes]", 12, None, "evidence 'minutes'"),
        (
            'en: "late {minutes_late}"',
            'en: "late {minutes_early}"',
            13,
            None,
            "placeholder {minutes_early}",
        ),
        (
            'en: "late {minutes_late}"',
            'en: "late {minutes_late:>99999}"',
            13,
            None,
            "must be a plain name",
        ),
        ("default: 5,", "default: 500,", 5, None, "at most 60"),
        ("type: int,", "type: integer,", 5, None, "type 'integer'"),
        (
            "    severity: minor\n",
            "    severity: minor\n    colour: red\n",
            11,
            None,
            "unknown key 'colour' in a rule",
        ),
        ("title: {zh: 公司, en: Company}", "title: {zh: 公司}", 2, None, "needs the key 'en'"),
        ("rules:", "rules: 3\nx:", 7, None, "unknown key 'x'"),
    ],
)
def test_broken_rule_files_name_file_line_and_fix(
    tmp_path: Path, old: str, new: str, line: int, column: int | None, message: str
) -> None:
    assert old in GOOD
    with pytest.raises(RuleFileError) as caught:
        load(tmp_path, GOOD.replace(old, new, 1))
    error = caught.value
    assert error.path == str(tmp_path / "rules.yaml")
    assert error.line == line, str(error)
    if column is not None:
        assert error.column == column
    assert message in str(error)


def test_duplicate_rule_ids_and_bad_yaml(tmp_path: Path) -> None:
    rule = GOOD[GOOD.index("  - id") :]
    with pytest.raises(RuleFileError, match="used twice"):
        load(tmp_path, GOOD + rule)
    with pytest.raises(RuleFileError, match=r"rules.yaml:\d+:\d+: not valid YAML"):
        load(tmp_path, GOOD.replace("rules:", "rules: [", 1))
    with pytest.raises(RuleFileError, match="tags are not allowed"):
        load(tmp_path, GOOD.replace("severity: minor", "severity: !!python/name:os.system", 1))
    with pytest.raises(RuleFileError, match="duplicate key 'severity'"):
        load(tmp_path, GOOD.replace("severity: minor", "severity: minor\n    severity: major", 1))


def test_billion_laughs_is_refused(tmp_path: Path) -> None:
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\n'
    with pytest.raises(RuleFileError, match="aliases are not allowed"):
        load(tmp_path, bomb)


def _located(value: object) -> object:
    """Data with the lines and columns yamlfile attaches, for comparing two parses."""
    if isinstance(value, dict):
        return (
            {k: _located(v) for k, v in value.items()},
            value.line,  # type: ignore[attr-defined]
            value.key_lines,  # type: ignore[attr-defined]
            value.value_starts,  # type: ignore[attr-defined]
        )
    if isinstance(value, list):
        items = [_located(v) for v in value]
        return items, value.line, value.item_lines  # type: ignore[attr-defined]
    return value


EXAMPLE_POLICY = Path(__file__).parents[1] / "examples" / "policy.yaml"


@pytest.mark.parametrize(
    "path", [*sorted(default_rule_dir().glob("*.yaml")), EXAMPLE_POLICY], ids=lambda p: p.name
)
def test_libyaml_and_the_python_parser_read_rule_files_alike(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rule files are composed by libyaml when PyYAML has it; the pure-Python parser (used for
    error messages and without libyaml) must give the same values, lines and columns."""
    from sales_policy import yamlfile

    assert yamlfile._FAST_LOADER is not None, "PyYAML without libyaml: the fast path is untested"
    fast = yamlfile.read_yaml_file(path, error=RuleFileError)
    monkeypatch.setattr(yamlfile, "_FAST_LOADER", None)
    slow = yamlfile.read_yaml_file(path, error=RuleFileError)
    assert _located(fast) == _located(slow)


def test_shipped_rule_files_validate_against_the_published_schema() -> None:
    """The JSON Schema that `sales-policy schema rules` prints accepts the shipped files."""
    schema = rule_file_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    files = sorted(default_rule_dir().glob("*.yaml"))
    assert files
    for path in files:
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)


def test_schema_rejects_what_the_loader_rejects() -> None:
    broken = yaml.safe_load(GOOD)
    broken["rules"][0]["severity"] = "minr"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, rule_file_json_schema())


def test_schema_commands_print_json() -> None:
    for which in ("rules", "records"):
        out = subprocess.run(
            [sys.executable, "-m", "sales_policy", "schema", which],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert json.loads(out)["$schema"].startswith("https://json-schema.org/")
