"""Rule files are untrusted input: checked at load, with file:line errors."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from sales_policy import InvalidArgument, PolicyError, RuleFileError, load_policy
from sales_policy.cli import main
from sales_policy.policy import default_rule_dir
from sales_policy.rulefile import load_ruleset
from sales_policy.ruleschema import rule_file_json_schema

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
        (
            'clauses: ["4.3"]',
            "clauses: [4.3]",
            9,
            None,
            "clauses must be a list of texts, found a number (YAML reads 4.3 without quotes as "
            'a number: write "4.3")',
        ),
        (
            "evidence: [minutes_late]",
            "evidence: [minutes_late, true]",
            12,
            None,
            "found true/false",
        ),
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
            "placeholder {minutes_late:>99999}: no format spec or conversion (':', '!')",
        ),
        (
            'en: "late {minutes_late}"',
            'en: "late {minutes_late|}"',
            13,
            None,
            "{minutes_late|} must be a name from evidence or employee_id/date/period, or name|text",
        ),
        (
            'en: "late {minutes_late}"',
            'en: "late {minutes_lat|none}"',
            13,
            None,
            "(did you mean 'minutes_late'?)",
        ),
        ("default: 5,", "default: 500,", 5, None, "at most 60"),
        ("min: 0, max: 60,", "min: 60, max: 0,", 5, None, "'limit_minutes': min 60 is above max 0"),
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
        ('clauses: ["4.3"]', 'clauses: ["4.3", "8.1", "4.3"]', 9, None, "lists '4.3' twice"),
        (
            "evidence: [minutes_late]",
            "evidence:\n      - minutes_late\n      - minutes_late",
            14,
            None,
            "rule CO-LATE evidence lists 'minutes_late' twice",
        ),
        # a file without a default table, and a rule that names none
        (
            "facts: workday\n",
            "",
            6,
            None,
            "rule CO-LATE needs the key 'facts', the fact table it judges: the file gives no "
            "default (facts: at its top)",
        ),
        (
            "when: minutes_late > limit_minutes",
            "when: true",
            11,
            None,
            "when must be a condition text, found true/false (YAML reads True as a value, not a "
            "condition: write it in quotes)",
        ),
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


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("id: CO-LATE", 'id: "ATT-LATE\\n"', 7, "rule id 'ATT-LATE\\n' must look like ATT-LATE"),
        ("ruleset: company", 'ruleset: "company\\n"', 1, "ruleset 'company\\n' must be"),
        ("  limit_minutes:", '  "limit_minutes\\n":', 5, "parameter name 'limit_minutes\\n'"),
        ("  limit_minutes:", "  limit_minut\u0435s:", 5, "parameter name 'limit_minut\u0435s'"),
        ("  limit_minutes:", "  limit\u200b_minutes:", 5, "must be ASCII letters, digits and _"),
        ("  limit_minutes:", '  "limit minutes":', 5, "not starting with a digit"),
        # the rule's English title turned round: shown as "Late eliforp" reads as anything
        ("en: Late}", 'en: "\u202eLate"}', 8, "rule CO-LATE title.en cannot contain U+202E"),
        ('en: "late {minutes_late}"', 'en: "late\u200b {minutes_late}"', 13, "U+200B"),
        # written as YAML escapes: YAML itself refuses a control character written as it is
        ("doc: {zh: 限, en: limit}", 'doc: {zh: "限\\a", en: limit}', 5, "doc.zh cannot"),
        ("title: {zh: 公司, en: Company}", 'title: {zh: 公司, en: "Co\\e[2J"}', 2, "U+001B"),
        # other sources a rule cites are shown with it as well
        ('clauses: ["4.3"]', 'references: ["Labour Law\u202e art. 41"]', 9, "references cannot"),
    ],
)
def test_what_a_reviewer_reads_holds_nothing_hidden(
    tmp_path: Path, old: str, new: str, line: int, message: str
) -> None:
    """Rule ids, rule set and parameter names, titles, messages, parameter docs and
    references show in rule lists and reports.  A name ending in a line feed ("ATT-LATE\\n",
    beside the handbook's ATT-LATE) or holding a look-alike letter (a Cyrillic e), and any of
    them holding a control character or one invisible or turning the direction of text, is
    refused at its line."""
    assert old in GOOD
    with pytest.raises(RuleFileError) as caught:
        load(tmp_path, GOOD.replace(old, new, 1))
    assert caught.value.line == line, str(caught.value)
    assert message in str(caught.value)


def test_the_zero_width_joiner_of_an_emoji_is_allowed_in_a_text(tmp_path: Path) -> None:
    load(tmp_path, GOOD.replace("en: Late}", 'en: "Late \U0001f468\u200d\U0001f4bb"}', 1))


def test_texts_written_as_yaml_block_scalars_lose_the_line_break_they_end_in(
    tmp_path: Path,
) -> None:
    """``en: >`` (or ``|``) ends the text in a line break; the one-line outputs would show it
    as ``\\x0a`` after a rule's title.  A line break inside the text stays."""
    block = GOOD.replace(
        "    title: {zh: 迟到, en: Late}\n",
        "    title:\n      zh: |\n        迟到\n        迟到二\n"
        "      en: >\n        Late\n        arrival\n",
        1,
    )
    assert block != GOOD
    rule = load(tmp_path, block).rules[0]  # type: ignore[attr-defined]
    assert (rule.title.zh, rule.title.en) == ("迟到\n迟到二", "Late arrival")


def test_the_schema_refuses_parameter_names_the_loader_refuses() -> None:
    broken = yaml.safe_load(GOOD)
    broken["params"]["limit minutes"] = broken["params"].pop("limit_minutes")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, rule_file_json_schema())


@pytest.mark.parametrize("word", ["and", "if", "lambda", "None"])
def test_a_parameter_named_by_a_word_of_the_language_is_refused(tmp_path: Path, word: str) -> None:
    """A condition could never read it: ``and > 1`` is no condition."""
    text = GOOD.replace("limit_minutes: {", f"{word}: {{", 1)
    with pytest.raises(RuleFileError) as caught:
        load(tmp_path, text)
    assert caught.value.line == 5
    assert caught.value.message == (
        f"parameter name {word!r} is a word of the condition language (and, or, not, in, if, "
        "True, None...), which no condition can read as a name: rename it"
    )
    broken = yaml.safe_load(text)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, rule_file_json_schema())


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "a rule file needs the key 'ruleset'"),
        ("# our rules, to come\n", "a rule file needs the key 'ruleset'"),
        ("---\n", "a rule file must be a mapping, found null"),  # a document of one null
    ],
)
def test_an_empty_rule_file_says_what_it_needs(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "ours.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "policy.yaml").write_text("rule_files: [ours.yaml]\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_policy(tmp_path / "policy.yaml")
    assert (caught.value.path, caught.value.line) == (str(tmp_path / "ours.yaml"), 1)
    assert caught.value.message == message


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
            value.value_spans,  # type: ignore[attr-defined]
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
    from sales_policy import yamlparse
    from sales_policy.yamlfile import read_yaml_text

    assert yamlparse._FAST_LOADER is not None, "PyYAML without libyaml: the fast path is untested"
    text = read_yaml_text(path, error=RuleFileError)  # parsed, not the snapshot's reading
    fast = yamlparse.parse_yaml(text, path=path, error=RuleFileError)
    monkeypatch.setattr(yamlparse, "_FAST_LOADER", None)
    slow = yamlparse.parse_yaml(text, path=path, error=RuleFileError)
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


@pytest.mark.parametrize("key", ["clauses", "evidence"])
def test_the_schema_refuses_a_list_naming_one_twice_as_the_loader_does(key: str) -> None:
    broken = yaml.safe_load(GOOD)
    broken["rules"][0][key] = broken["rules"][0][key] * 2
    with pytest.raises(jsonschema.ValidationError, match="has non-unique elements"):
        jsonschema.validate(broken, rule_file_json_schema())


def test_schema_commands_print_json(capsys: pytest.CaptureFixture[str]) -> None:
    for which in ("rules", "records"):
        assert main(["schema", which]) == 0
        out = capsys.readouterr().out
        assert json.loads(out)["$schema"].startswith("https://json-schema.org/")


FLOAT_PARAM = "limit_minutes: {type: float, default: 5, min: 0, max: 60,"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "default: 5,",
            "default: .nan,",
            "default: limit_minutes must be a finite number, found nan",
        ),
        ("default: 5,", "default: .inf,", "must be a finite number, found inf"),
        ("max: 60,", "max: .nan,", "parameter 'limit_minutes': max must be a finite number"),
        ("min: 0,", "min: -.inf,", "parameter 'limit_minutes': min must be a finite number"),
    ],
)
def test_a_float_parameter_must_be_finite(tmp_path: Path, old: str, new: str, message: str) -> None:
    text = GOOD.replace("limit_minutes: {type: int,", "limit_minutes: {type: float,", 1)
    assert FLOAT_PARAM in text and old in text
    with pytest.raises(RuleFileError) as caught:
        load(tmp_path, text.replace(old, new, 1))
    assert caught.value.line == 5
    assert message in str(caught.value)


def test_an_int_parameter_must_fit_in_64_bits(tmp_path: Path) -> None:
    text = GOOD.replace("default: 5, min: 0, max: 60,", f"default: {2**63},", 1)
    with pytest.raises(RuleFileError, match=f"rules.yaml:5: .* fits in 64 bits, found {2**63}"):
        load(tmp_path, text)


@pytest.mark.parametrize(
    ("bound", "message"),
    [
        ("max: 60,", f"max: {2**63},"),
        ("min: 0,", f"min: {-(2**63) - 1},"),
        ("min: 0,", "min: 0.5,"),
        ("max: 60,", "max: 60.5,"),
    ],
)
def test_an_int_parameters_range_is_of_whole_numbers_that_fit_in_64_bits(
    tmp_path: Path, bound: str, message: str
) -> None:
    """A range an int parameter cannot take whole: the values drawn from it for a property
    (``policy_overrides``) would be refused by ``with_params``."""
    with pytest.raises(RuleFileError) as caught:
        load(tmp_path, GOOD.replace(bound, message, 1))
    assert caught.value.line == 5
    key = bound.split(":")[0]
    assert caught.value.message == (
        f"parameter 'limit_minutes': {key} of an int parameter must be a whole number that "
        f"fits in 64 bits, found {message.split(': ')[1].rstrip(',')}"
    )


@pytest.mark.parametrize("bound", ["max: 1e3", "max: 1.0e3", "min: '0'"])
def test_a_bound_that_yaml_reads_as_text_says_so(tmp_path: Path, bound: str) -> None:
    text = GOOD.replace("limit_minutes: {type: int,", "limit_minutes: {type: float,", 1)
    key = bound.split(":")[0]
    with pytest.raises(RuleFileError) as caught:
        load(tmp_path, text.replace(f"{key}: {'60' if key == 'max' else '0'}", bound, 1))
    assert caught.value.line == 5
    hint = "write 1000, or 1.0e+3" if "e" in bound else "write it without them"
    assert hint in caught.value.message


@pytest.mark.parametrize(("key", "written", "read"), [("default", "1:05", 65), ("max", "1:00", 60)])
def test_a_default_or_bound_written_as_a_time_says_how_yaml_read_it(
    tmp_path: Path, key: str, written: str, read: int
) -> None:
    """YAML 1.1 reads 1:05 in base 60, as 65: the number is not the one the file shows."""
    old = {"default": "default: 5,", "max": "max: 60,"}[key]
    with pytest.raises(RuleFileError) as caught:
        load(tmp_path, GOOD.replace(old, f"{key}: {written},", 1))
    assert caught.value.line == 5
    assert caught.value.message == (
        f"parameter 'limit_minutes': {key}: YAML reads {written} as {read}, in base 60 (as it "
        f"reads a time): write the number itself, {read} if that is meant"
    )


def _company(tmp_path: Path, policy: str, params: str = "") -> Path:
    """A policy folder with the company rule file GOOD (its parameter without a range, of the
    type ``params`` gives) and the policy file ``policy``."""
    rules = GOOD.replace("default: 5, min: 0, max: 60,", "default: 5,", 1)
    if params:
        rules = rules.replace("type: int,", f"type: {params},", 1)
    (tmp_path / "good.yaml").write_text(rules, encoding="utf-8")
    path = tmp_path / "company.yaml"
    path.write_text(policy, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("float", ".inf", "limit_minutes must be a finite number, found inf"),
        ("float", "-.inf", "limit_minutes must be a finite number, found -inf"),
        ("float", ".nan", "limit_minutes must be a finite number, found nan"),
        (
            "float",
            "1" + "0" * 400,
            "limit_minutes must be a finite number, found a 1329-bit number",
        ),
        (
            "int",
            str(2**63),
            f"limit_minutes must be a whole number that fits in 64 bits, found {2**63}",
        ),
        (
            "int",
            str(-(2**63) - 1),
            f"limit_minutes must be a whole number that fits in 64 bits, found {-(2**63) - 1}",
        ),
    ],
)
def test_policy_params_out_of_a_type_s_range_are_refused_at_their_line(
    tmp_path: Path, kind: str, value: str, message: str
) -> None:
    """Before, they passed the parameter check and failed compiling a condition, with no file."""
    from sales_policy import PolicyError, load_policy

    policy = _company(
        tmp_path, f"rule_files: [good.yaml]\nparams:\n  limit_minutes: {value}\n", kind
    )
    with pytest.raises(PolicyError) as caught:
        load_policy(policy)
    assert caught.value.path == str(policy) and caught.value.line == 3
    assert f"params: {message}" in str(caught.value)


def test_with_params_refuses_values_out_of_a_type_s_range() -> None:
    from sales_policy import InvalidArgument, load_policy

    policy = load_policy()
    for value in (float("inf"), float("nan"), 10**400):
        with pytest.raises(InvalidArgument, match="gift_limit must be a finite number"):
            policy.with_params(gift_limit=value)
    assert policy.with_params(gift_limit=10**6).params["gift_limit"] == 10**6


@pytest.mark.parametrize(
    ("entries", "line", "message"),
    [
        ('["a\\0b.yaml"]', 1, "rule file 'a\\x00b.yaml': a file name cannot contain a null"),
        ("\n  - good.yaml\n  - ./good.yaml", 3, "rule file './good.yaml' is listed twice (first "),
    ],
)
def test_bad_rule_files_entries_name_the_policy_line(
    tmp_path: Path, entries: str, line: int, message: str
) -> None:
    from sales_policy import PolicyError, load_policy

    policy = _company(tmp_path, f"rule_files: {entries}\n")
    with pytest.raises(PolicyError) as caught:
        load_policy(policy)
    assert caught.value.path == str(policy) and caught.value.line == line, str(caught.value)
    assert message in str(caught.value)


def test_a_rule_file_behind_a_symbolic_link_loop_is_an_error(tmp_path: Path) -> None:
    """Python 3.11 and 3.12 raise RuntimeError resolving it (the policy's line is named);
    later versions leave it to reading the file (the rule file is named)."""
    from sales_policy import PolicyError, load_policy

    policy = _company(tmp_path, "rule_files:\n  - loop/rules.yaml\n")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    with pytest.raises((PolicyError, RuleFileError), match="loop"):
        load_policy(policy)


@pytest.mark.parametrize(
    ("at_most", "message"),
    [
        ("minutes_late", "at_most 'minutes_late' is not another numeric parameter"),
        ("serious_late_minute", "(did you mean 'serious_late_minutes'?)"),
        ("retroactive_leave_types", "at_most 'retroactive_leave_types' is not another"),
        ("[1]", "at_most needs a numeric parameter and the name of another"),
        ("early_grace_minutes", "its default 5 is above early_grace_minutes's default 0"),
    ],
)
def test_at_most_names_a_numeric_parameter_the_default_respects(
    tmp_path: Path, at_most: str, message: str
) -> None:
    """A company parameter bounded by another (``at_most``), here by one of attendance's:
    the name must be a numeric parameter loaded before, and the defaults must respect it."""
    text = GOOD.replace("max: 60,", f"max: 60, at_most: {at_most},", 1)
    attendance = load_ruleset(default_rule_dir() / "attendance.yaml")
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_ruleset(path, outer_params=attendance.params)
    assert caught.value.line == 5
    assert message in str(caught.value)
    fine = text.replace(f"at_most: {at_most}", "at_most: serious_late_minutes")
    path.write_text(fine, encoding="utf-8")
    assert load_ruleset(path, outer_params=attendance.params).params["limit_minutes"].at_most == (
        "serious_late_minutes"
    )


def test_at_most_cannot_name_the_parameter_itself(tmp_path: Path) -> None:
    """Said so, and no "did you mean" the very name written."""
    text = GOOD.replace("max: 60,", "max: 60, at_most: limit_minutes,", 1)
    with pytest.raises(RuleFileError) as caught:
        load(tmp_path, text)
    assert caught.value.line == 5
    assert caught.value.message == (
        "parameter 'limit_minutes': at_most cannot name the parameter itself; it names "
        "another numeric parameter this one may not exceed"
    )


@pytest.mark.parametrize(
    ("bounds", "line", "message"),
    [
        (
            {"a_minutes": "b_minutes", "b_minutes": "a_minutes"},
            5,
            "parameter 'a_minutes': at_most goes round in a cycle "
            "(a_minutes, b_minutes, a_minutes): each would be at most itself",
        ),
        (
            {"a_minutes": "b_minutes", "b_minutes": "c_minutes", "c_minutes": "b_minutes"},
            6,
            "parameter 'b_minutes': at_most goes round in a cycle "
            "(b_minutes, c_minutes, b_minutes): each would be at most itself",
        ),
        (
            {"a_minutes": "c_minutes", "b_minutes": "a_minutes", "c_minutes": "b_minutes"},
            5,
            "parameter 'a_minutes': at_most goes round in a cycle "
            "(a_minutes, c_minutes, b_minutes, a_minutes): each would be at most itself",
        ),
    ],
)
def test_parameters_at_most_one_another_in_a_cycle_are_refused(
    tmp_path: Path, bounds: dict[str, str], line: int, message: str
) -> None:
    """Two parameters each at most the other (or a longer round) could never be set apart:
    an error at the at_most of the first of the round, in the order declared; a chain
    that ends is fine."""
    declared = "".join(
        f"  {name}: {{type: int, default: 5, at_most: {bound}, doc: {{zh: 限, en: limit}}}}\n"
        for name, bound in bounds.items()
    )
    text = GOOD.replace("params:\n", f"params:\n{declared}", 1)
    with pytest.raises(RuleFileError) as caught:
        load(tmp_path, text)
    assert (caught.value.line, caught.value.message) == (line, message)
    # each bound that ends the round at limit_minutes instead: a chain, which loads
    ended = {name: "limit_minutes" if bound < name else bound for name, bound in bounds.items()}
    declared_chain = "".join(
        f"  {name}: {{type: int, default: 5, at_most: {bound}, doc: {{zh: 限, en: limit}}}}\n"
        for name, bound in ended.items()
    )
    ruleset = load(tmp_path, GOOD.replace("params:\n", f"params:\n{declared_chain}", 1))
    assert {n: p.at_most for n, p in ruleset.params.items()} == {  # type: ignore[attr-defined]
        **ended,
        "limit_minutes": None,
    }


def test_a_grace_above_its_serious_threshold_is_refused(tmp_path: Path) -> None:
    """A grace of 45 minutes beside lateness serious above 30: an arrival inside the grace
    would be serious lateness. Refused where it is set, and in Python; both raised, fine."""
    policy = tmp_path / "policy.yaml"
    policy.write_text("timezone: Asia/Shanghai\nparams:\n  late_grace_minutes: 45\n", "utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(policy)
    assert (caught.value.path, caught.value.line) == (str(policy), 3)
    assert caught.value.message == (
        "params: late_grace_minutes (45) is above serious_late_minutes (30), which it may not "
        "exceed: raise serious_late_minutes too"
    )
    policy.write_text("params:\n  late_grace_minutes: 10\n  serious_early_minutes: 5\n", "utf-8")
    assert load_policy(policy).params["serious_early_minutes"] == 5
    policy.write_text("params:\n  early_grace_minutes: 10\n  serious_early_minutes: 5\n", "utf-8")
    with pytest.raises(PolicyError, match=r"early_grace_minutes \(10\) is above") as caught:
        load_policy(policy)
    assert caught.value.line == 2
    with pytest.raises(InvalidArgument, match=r"early_grace_minutes \(31\) is above"):
        load_policy().with_params(early_grace_minutes=31)
    both = load_policy().with_params(late_grace_minutes=45, serious_late_minutes=45)
    assert (both.params["late_grace_minutes"], both.params["serious_late_minutes"]) == (45, 45)


@pytest.mark.parametrize(
    ("counted", "message"),
    [
        ("ATT-LAT", "counts 'ATT-LAT', which is no rule of the policy (did you mean 'ATT-LATE'?)"),
        ("DIS-REPEATED-LATE", "counts 'DIS-REPEATED-LATE', which counts findings itself"),
        # its findings have no date, so finding_month would never hold a row of them
        (
            "CRM-NO-MARKET-REPORT",
            "counts 'CRM-NO-MARKET-REPORT', a rule of months, whose findings have no date",
        ),
    ],
)
def test_a_rule_counting_what_it_cannot_says_why(
    tmp_path: Path, counted: str, message: str
) -> None:
    (tmp_path / "ours.yaml").write_text(
        "ruleset: company\ntitle: {zh: 公司, en: Company}\nrules:\n"
        "  - id: CO-OFTEN\n    title: {zh: 常, en: Often}\n    clauses: ['4.3']\n"
        "    severity: minor\n    facts: finding_month\n"
        f"    counts: [{counted}]\n    when: finding_count >= 2\n"
        "    evidence: [finding_count]\n    message: {zh: '{period}', en: '{period}'}\n",
        encoding="utf-8",
    )
    policy = tmp_path / "policy.yaml"
    policy.write_text("rule_files: [ours.yaml]\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_policy(policy)
    assert (caught.value.path, caught.value.line) == (str(tmp_path / "ours.yaml"), 4)
    assert caught.value.message.startswith(f"rule CO-OFTEN {message}")


@pytest.mark.parametrize(
    ("when", "line", "column"),
    [
        # folded block: the typo on the block's second line, after 7 spaces and "and "
        (">-\n      (minutes_late > 0\n       and minutes_erly > 0)", 13, 12),
        # literal block, the typo on its first line
        ("|\n      (minutes_erly > 0 and\n      minutes_late > 0)", 12, 8),
        # a plain scalar over two lines
        ("(minutes_late > 0\n      and minutes_erly > 0)", 12, 11),
        # on one line, quoted
        ('"minutes_late > 0 and minutes_erly > 0"', 11, 33),
        # double-quoted with escapes: the file's column counts each escape as written
        (r'"day_kind == \"x\" and minutes_erly > 0"', 11, 34),
        (r'"scheduled and\tminutes_erly > 0"', 11, 27),
        (r'"day_kind != \u0022x\u0022 and minutes_erly > 0"', 11, 42),
        (r'"day_kind == \"休\" and minutes_erly > 0"', 11, 34),
        # single-quoted: '' is one '
        ("'day_kind == ''x'' and minutes_erly > 0'", 11, 34),
        # quoted over lines: folded to a space; an escaped line break to nothing
        ('"(minutes_late > 0\n      and minutes_erly > 0)"', 12, 11),
        ('"(minutes_late > 0 \\\n      and minutes_erly > 0)"', 12, 11),
        ("'(day_kind == ''x''\n\n    and minutes_erly > 0)'", 13, 9),
        # block scalars: an indentation indicator, a comment, an empty line, more indented lines
        ("|2\n        (minutes_late > 0 and\n         minutes_erly > 0)", 13, 10),
        (">- # late and early\n      (minutes_late > 0\n\n       and minutes_erly > 0)", 14, 12),
        (">\n      (minutes_late > 0\n        and scheduled\n      and minutes_erly > 0)", 14, 11),
        ("|+\n      (minutes_late > 0 and\n      \tminutes_erly > 0)\n\n", 13, 8),
        # a plain scalar over three lines
        ("(minutes_late > 0\n      and scheduled\n        and minutes_erly > 0)", 13, 13),
    ],
)
@pytest.mark.parametrize("parser", ["libyaml", "python"])
def test_a_condition_over_lines_is_faulted_at_its_own_line_and_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parser: str, when: str, line: int, column: int
) -> None:
    """The line and column of the mistake in the file, as an editor shows them (characters
    from 1, a tab one), whatever the YAML style of the condition; with either parser."""
    from sales_policy import yamlparse

    if parser == "python":
        monkeypatch.setattr(yamlparse, "_FAST_LOADER", None)
    text = GOOD.replace("when: minutes_late > limit_minutes", f"when: {when}", 1)
    assert f"when: {when}" in text
    with pytest.raises(RuleFileError) as caught:
        load(tmp_path, text)
    assert (caught.value.line, caught.value.column) == (line, column), str(caught.value)
    assert "unknown name 'minutes_erly' (did you mean 'minutes_early'?)" in caught.value.message
    assert "condition column" not in caught.value.message
    assert text.splitlines()[line - 1][column - 1 :].startswith("minutes_erly")


@pytest.mark.parametrize(
    ("when", "line", "column", "message"),
    [
        # the parser ran out of text: at the closing quote, past the escapes
        (r'"day_kind == \"x\" and"', 11, 33, "not a valid condition"),
        # a line break a condition lacks parentheses for, in a literal block
        ("|\n      minutes_late > 0\n      and scheduled", 13, 7, "must be in parentheses"),
        # a hidden character written as an escape, at its backslash
        (r'"minutes_late > 0 # \u200b"', 11, 31, "cannot contain U+200B"),
        ("'minutes_late >= ''5'''", 11, 12, "'>=' compares int with str"),
    ],
)
def test_a_condition_error_at_an_escape_or_its_end_is_at_its_place_in_the_file(
    tmp_path: Path, when: str, line: int, column: int, message: str
) -> None:
    text = GOOD.replace("when: minutes_late > limit_minutes", f"when: {when}", 1)
    with pytest.raises(RuleFileError) as caught:
        load(tmp_path, text)
    assert str(caught.value).startswith(f"{tmp_path / 'rules.yaml'}:{line}:{column}: ")
    assert message in caught.value.message


def test_a_condition_in_a_file_with_crlf_line_ends_is_faulted_at_its_place(
    tmp_path: Path,
) -> None:
    when = r'"(minutes_late > 0' + "\n" + r'      and day_kind == \"x\" and minutes_erly > 0)"'
    text = GOOD.replace("when: minutes_late > limit_minutes", f"when: {when}", 1)
    path = tmp_path / "rules.yaml"
    path.write_bytes(text.replace("\n", "\r\n").encode())
    with pytest.raises(RuleFileError) as caught:
        load_ruleset(path)
    message = f"{path}:12:33: rule CO-LATE: unknown name 'minutes_erly'"
    assert str(caught.value).startswith(message)


def test_a_reference_is_one_text_or_one_in_each_language(tmp_path: Path) -> None:
    """A rule cites other sources as one text for both languages (a company's own files) or
    as ``{zh: ..., en: ...}``, which the reports in each language show."""
    both = GOOD.replace(
        'clauses: ["4.3"]',
        'references:\n      - {zh: 劳动法第四十一条, en: "Labour Law, art. 41"}\n      - Memo 7',
        1,
    )
    rule = load(tmp_path, both).rules[0]  # type: ignore[attr-defined]
    assert [(r.zh, r.en) for r in rule.references] == [
        ("劳动法第四十一条", "Labour Law, art. 41"),
        ("Memo 7", "Memo 7"),
    ]
    schema = rule_file_json_schema()
    jsonschema.validate(yaml.safe_load(both), schema)


@pytest.mark.parametrize(
    ("reference", "line", "message"),
    [
        ("      - {zh: 劳动法}", 10, "references needs the key 'en'"),
        ("      - {zh: 劳动法, en: ''}", 10, "references.en must be a non-empty text"),
        ("      - {zh: 劳动法, en: Law, fr: Loi}", 10, "unknown key 'fr'"),
        ("      - 41", 10, "an item must be a text or a {zh: ..., en: ...} mapping, found"),
        ("      - ''", 10, "an item must be a non-empty text"),
        ('      - {zh: "劳动法\\u202e", en: Law}', 10, "references.zh cannot contain U+202E"),
    ],
)
def test_a_reference_that_is_not_text_in_both_languages_is_refused_at_its_line(
    tmp_path: Path, reference: str, line: int, message: str
) -> None:
    text = GOOD.replace('clauses: ["4.3"]', f"references:\n{reference}", 1)
    with pytest.raises(RuleFileError) as caught:
        load(tmp_path, text)
    assert caught.value.line == line, str(caught.value)
    assert message in str(caught.value)
    if "\\u202e" not in reference:  # the schema checks the shape only
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(yaml.safe_load(text), rule_file_json_schema())
