"""The shipped rule files' reading kept as JSON (``rulesnapshot``): the same as the YAML
parser's, used only for the very texts it was made of, and kept up to date with them."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sales_policy.errors import PolicyError, RuleFileError
from sales_policy.policy import default_rule_dir
from sales_policy.rulesnapshot import SNAPSHOT, encoded, reading, snapshot
from sales_policy.yamlfile import LocatedDict, load_yaml, read_yaml_text
from sales_policy.yamlparse import parse_yaml

SHIPPED = sorted(default_rule_dir().glob("*.yaml"))


def _strict(value: object) -> object:
    """A value with its type, and the lines and places ``yamlfile`` attaches: ``True`` and
    ``1`` and ``1.0`` differ here, as they do to a rule."""
    if isinstance(value, dict):
        return (
            type(value).__name__,
            [(k, _strict(v)) for k, v in value.items()],
            value.line,  # type: ignore[attr-defined]
            value.key_lines,  # type: ignore[attr-defined]
            value.value_spans,  # type: ignore[attr-defined]
        )
    if isinstance(value, list):
        items = [_strict(v) for v in value]
        return type(value).__name__, items, value.line, value.item_lines  # type: ignore[attr-defined]
    return type(value).__name__, value


def test_the_snapshot_is_that_of_the_shipped_rule_files() -> None:
    assert len(SHIPPED) == 6
    fresh = snapshot(SHIPPED)
    kept = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert kept == json.loads(json.dumps(fresh)), (
        "the rule files changed: run python -m sales_policy.rulesnapshot"
    )


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_a_shipped_file_is_read_from_the_snapshot_as_the_parser_reads_it(path: Path) -> None:
    text = read_yaml_text(path, error=RuleFileError)
    kept = reading(text)
    assert kept is not None
    assert _strict(kept) == _strict(parse_yaml(text, path=path, error=RuleFileError))
    assert _strict(load_yaml(text, path=path, error=RuleFileError)) == _strict(kept)
    # the places of a value hold the file's text, for the columns of a condition's mistake
    rules = kept["rules"]
    when = rules[0]["when"]
    line, column = rules[0].place("when", 0)
    assert text.splitlines()[line - 1][column - 1 :].startswith(when.split()[0])


def test_any_other_text_is_parsed() -> None:
    text = read_yaml_text(SHIPPED[0], error=RuleFileError)
    edited = text.replace("\n", "\n# a comment\n", 1)
    assert reading(edited) is None
    read = load_yaml(edited, path="edited.yaml", error=RuleFileError)
    assert read == parse_yaml(text, path="x", error=RuleFileError)
    assert read.key_lines != reading(text).key_lines  # each key a line further down
    with pytest.raises(PolicyError, match="p:2:1: duplicate key 'a'"):
        load_yaml("a: 1\na: 2\n", path="p", error=PolicyError)


def test_a_value_the_snapshot_cannot_hold_is_refused_when_it_is_made() -> None:
    tree = load_yaml("day: 2026-11-02\n", path="p", error=PolicyError)
    assert isinstance(tree, LocatedDict) and tree["day"] == dt.date(2026, 11, 2)
    with pytest.raises(ValueError, match="a snapshot holds no date"):
        encoded(tree)


def test_the_handbook_policy_loads_and_checks_without_the_yaml_parser() -> None:
    """PyYAML is imported once a text must be parsed: a company's policy file, not the
    handbook's own rules."""
    example = Path(__file__).resolve().parents[1] / "examples"
    month = sorted(str(p) for p in (example / "november-2026").glob("*.csv"))
    script = (
        "import sys\n"
        "from sales_policy import load_policy\n"
        f"result = load_policy().check({month!r})\n"
        "print(len(result.findings) > 0, 'yaml' in sys.modules)\n"
        f"load_policy({str(example / 'policy.yaml')!r})\n"
        "print('yaml' in sys.modules)\n"
    )
    process = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert process.stderr == ""
    assert process.stdout.splitlines() == ["True False", "True"]
