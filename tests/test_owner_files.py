"""Files a policy owner writes as another format reads them: a policy, rule, sample or --map
file written in TOML is an error at its first line saying so and what YAML writes instead
(YAML's own error was "expected '<document start>', but found '<scalar>'" or "must be a
mapping"); a text that YAML 1.1 reads as true or false (NO, Norway's country code; off) is an
error saying so, where it had said "must be a country code like CN"."""

from __future__ import annotations

from pathlib import Path

import pytest

from sales_policy import PolicyError, RuleFileError, load_policy
from sales_policy.mapping import load_mapping
from sales_policy.testing import load_samples


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            'timezone = "Asia/Shanghai"\n[params]\nlate_grace_minutes = 5\n',
            1,
            """'timezone = "Asia/Shanghai"' is TOML, but the file must be YAML: write """
            'timezone: "Asia/Shanghai", and a table\'s keys indented',
        ),
        (
            "# ours\n\n[params]  # the grace\nlate_grace_minutes = 5\n",
            3,
            "'[params]  # the grace' is TOML, but the file must be YAML: write params: and "
            "its keys indented on the lines under it, each key: value",
        ),
        ("late_grace_minutes = 5\n", 1, "write late_grace_minutes: 5, and"),
    ],
)
def test_a_toml_policy_file_is_an_error_saying_so(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert (caught.value.path, caught.value.line) == (str(path), line)
    assert message in str(caught.value)


def test_a_toml_rule_sample_or_mapping_file_is_an_error_saying_so(tmp_path: Path) -> None:
    (tmp_path / "rules.toml").write_text('ruleset = "company"\n', encoding="utf-8")
    (tmp_path / "policy.yaml").write_text("rule_files: [rules.toml]\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match="'ruleset = \"company\"' is TOML") as caught:
        load_policy(tmp_path / "policy.yaml")
    assert (caught.value.path, caught.value.line) == (str(tmp_path / "rules.toml"), 1)
    (tmp_path / "samples.yaml").write_text(
        '# ours\n[[samples]]\nrule = "ATT-LATE"\n', encoding="utf-8"
    )
    with pytest.raises(RuleFileError, match=r"'\[\[samples\]\]' is TOML") as caught:
        load_samples(tmp_path / "samples.yaml")
    assert caught.value.line == 2
    (tmp_path / "map.toml").write_text("[punch]\n", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"'\[punch\]' is TOML"):
        load_mapping(tmp_path / "map.toml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("params:\n  late_grace_minutes: [\n", "not valid YAML"),  # YAML's own error
        ("- a\n- b\n", "a policy file must be a mapping of settings, found a list"),
        ("a = b: c\n", "unknown key 'a = b'"),  # a mapping YAML reads: not TOML
    ],
)
def test_a_yaml_file_keeps_its_own_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError, match=message):
        load_policy(path)


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "calendar:\n  country: NO\n",
            "calendar.country must be a country code like CN, or null, ",
        ),
        ("params:\n  retroactive_leave_types: [sick, off]\n", "must be a list of texts, found "),
        ("params:\n  sales_currency: NO\n", "sales_currency must be a text, found False"),
    ],
)
def test_a_text_yaml_reads_as_true_or_false_is_an_error_saying_so(
    tmp_path: Path, setting: str, message: str
) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(setting, encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert (caught.value.path, caught.value.line) == (str(path), 2)
    assert message in str(caught.value)
    assert "YAML reads yes, no, on, off, y and n without quotes as true or false" in str(
        caught.value
    )
