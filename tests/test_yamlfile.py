"""The safe YAML reader shared by policy, rule and --map files: every bad document is an error
naming the file and line, never a Python exception of another kind."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sales_policy import PolicyError, RuleFileError, load_policy
from sales_policy.errors import SourceError
from sales_policy.mapping import load_mapping
from sales_policy.rulefile import load_ruleset
from sales_policy.yamlfile import MAX_BYTES, MAX_DEPTH, load_yaml, read_yaml_file


@pytest.fixture(params=["libyaml", "python"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test runs with libyaml composing the document, and with the pure-Python parser
    alone (as without libyaml)."""
    from sales_policy import yamlparse

    if request.param == "python":
        monkeypatch.setattr(yamlparse, "_FAST_LOADER", None)
    else:
        assert yamlparse._FAST_LOADER is not None
    return str(request.param)


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("holidays: [2026-02-30]\n", 1, 12, "'2026-02-30' is not a date"),
        ("a: 1\nday: 2026-13-01\n", 2, 6, "'2026-13-01' is not a date"),
        ("day: 0000-01-01\n", 1, 6, "'0000-01-01' is not a date"),
        ("at: 2026-11-02 25:00:00\n", 1, 5, "'2026-11-02 25:00:00' is not a date-time"),
        ("at: 2026-11-02T09:00:00+99:00\n", 1, 5, "is not a date-time"),
        ("n: !!int abc\n", 1, 4, "'abc' is not a whole number"),
        ("n: !!int\n", 1, 4, "'' is not a whole number"),
        ("n: !!float x\n", 1, 4, "'x' is not a number"),
        ("b: !!bool maybe\n", 1, 4, "'maybe' is not true or false"),
        ("t: !!timestamp soon\n", 1, 4, "'soon' is not a date-time"),
        ("n: 1" + "0" * 5000 + "\n", 1, 4, "has too many digits"),
        # YAML 1.1 reads a whole number with a leading zero as octal, not as it shows
        ("late: 010\n", 1, 7, "YAML reads 010 as the octal number 8: write 10 without the"),
        ("a:\n  - -0_17\n", 2, 5, "YAML reads -0_17 as the octal number -15: write -17 "),
        ("m: {010: in}\n", 1, 5, "or '010' in quotes for a text"),
    ],
)
def test_values_their_type_cannot_hold_name_the_place(
    loader: str, text: str, line: int, column: int, message: str
) -> None:
    with pytest.raises(PolicyError) as caught:
        load_yaml(text, path="company.yaml", error=PolicyError)
    error = caught.value
    assert (error.path, error.line, error.column) == ("company.yaml", line, column), str(error)
    assert message in error.message


def test_a_leading_zero_that_changes_no_number_is_read(loader: str) -> None:
    """007 is 7 in base 8 as in base 10, and 0 is 0; a text in quotes is a text."""
    data = load_yaml("a: 007\nb: 0\nc: 00\nd: '010'\ne: -0\n", path="p.yaml", error=PolicyError)
    assert data == {"a": 7, "b": 0, "c": 0, "d": "010", "e": 0}


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("m: {1: in}\n", 1, 5, "keys must be text, found 1 (read as 1): write '1' in quotes"),
        ("m:\n  on: in\n", 2, 3, "found on (read as True): write 'on' in quotes"),
        ("m: {2026-11-01: x}\n", 1, 5, "(read as datetime.date(2026, 11, 1)): write '2026-11-01'"),
        ("m: {[1, 2]: x}\n", 1, 5, "keys must be text, found [1, 2]"),
    ],
)
def test_a_key_read_as_another_type_says_how_to_write_it_as_text(
    loader: str, text: str, line: int, column: int, message: str
) -> None:
    """A value map's keys are the export's spellings: ``1:`` or ``on:`` unquoted are a number
    and a truth value to YAML, and the error says to quote them."""
    with pytest.raises(PolicyError) as caught:
        load_yaml(text, path="map.yaml", error=PolicyError)
    assert message in caught.value.message
    assert (caught.value.line, caught.value.column) == (line, column)


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a: &x 1\n", 1, 4),
        ("a:\n  - &x [1]\n", 2, 5),
        ("a: &x {b: 1}\nc: *x\n", 1, 4),
        ("a: *x\n", 1, 4),
    ],
)
def test_anchors_are_refused_as_aliases_are(loader: str, text: str, line: int, column: int) -> None:
    """An anchor alone is harmless, but the safe subset has none: what the docs say."""
    with pytest.raises(RuleFileError, match="anchors and aliases are not allowed") as caught:
        load_yaml(text, path="r.yaml", error=RuleFileError)
    assert (caught.value.line, caught.value.column) == (line, column)


def test_an_ampersand_in_text_is_no_anchor(loader: str) -> None:
    assert load_yaml("a: R&D\nb: 'x &y'\n", path="r.yaml", error=RuleFileError) == {
        "a": "R&D",
        "b": "x &y",
    }


def _nested(kind: str, depth: int) -> str:
    """A document whose value of ``a`` is ``depth`` lists or mappings deep, the innermost
    empty (so the document is ``depth + 1`` levels deep)."""
    if kind == "flow":
        return "a: " + "[" * depth + "]" * depth + "\n"
    if kind == "mapping":
        return "a: " + "{b: " * (depth - 1) + "{}" + "}" * (depth - 1) + "\n"
    return "a:\n  " + "- " * (depth - 1) + "[]\n"  # block sequences, one inside the other


@pytest.mark.parametrize("kind", ["flow", "mapping", "block"])
@pytest.mark.parametrize("depth", [MAX_DEPTH, 600, 5000, None])
def test_deep_nesting_is_refused_with_the_place(loader: str, kind: str, depth: int | None) -> None:
    """libyaml stops at 1,000 levels, the Python parser recursed until a RecursionError.
    (``None``: as deep as a file of at most ``MAX_BYTES`` can nest.)"""
    per_level = 5 if kind == "mapping" else 2
    text = _nested(kind, depth or (MAX_BYTES - 10) // per_level)
    assert len(text.encode()) <= MAX_BYTES
    with pytest.raises(RuleFileError, match="nested too deeply") as caught:
        load_yaml(text, path="deep.yaml", error=RuleFileError)
    assert caught.value.path == "deep.yaml"
    assert caught.value.line in (1, 2)


def test_the_deepest_nesting_allowed_loads_alike_in_both_parsers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sales_policy import yamlparse

    for kind in ("flow", "mapping", "block"):
        text = _nested(kind, MAX_DEPTH - 1)  # the document's mapping is one level more
        fast = load_yaml(text, path="p", error=PolicyError)
        with monkeypatch.context() as patch:
            patch.setattr(yamlparse, "_FAST_LOADER", None)
            slow = load_yaml(text, path="p", error=PolicyError)
        assert fast == slow
        deeper = _nested(kind, MAX_DEPTH)
        places = []
        for fast_loader in (yamlparse._FAST_LOADER, None):
            with monkeypatch.context() as patch:
                patch.setattr(yamlparse, "_FAST_LOADER", fast_loader)
                with pytest.raises(PolicyError) as caught:
                    load_yaml(deeper, path="p", error=PolicyError)
            places.append((caught.value.line, caught.value.column))
        assert places[0] == places[1], kind


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _load(kind: str, path: Path) -> object:
    """Read ``path`` as a file of ``kind``: a policy, rules, a column mapping or samples."""
    from sales_policy.testing import load_samples

    readers = {
        "policy": load_policy,
        "rules": load_ruleset,
        "map": load_mapping,
        "samples": load_samples,
    }
    return readers[kind](path)


RULES = """\
ruleset: company
title: {zh: 公司, en: Company}
facts: workday
rules:
  - id: CO-LATE
    title: {zh: 迟到, en: Late}
    clauses: ["4.3"]
    severity: minor
    when: minutes_late > 5
    message: {zh: 迟到, en: late}
"""


@pytest.mark.parametrize(
    ("kind", "text", "line"),
    [
        ("policy", "calendar:\n  holidays: [2026-02-30]\n", 2),
        ("policy", "calendar:\n  working_days: [2026-13-01]\n", 2),
        ("policy", "params: " + "[" * 600 + "]" * 600 + "\n", 1),
        ("rules", RULES.replace('["4.3"]', "[2026-02-30]"), 7),
        ("rules", RULES + "x: " + "[" * 600 + "]" * 600 + "\n", 11),
        ("map", "punch:\n  ignore: [2026-02-30]\n", 2),
        ("map", "punch:\n  ignore: " + "[" * 600 + "]" * 600 + "\n", 2),
    ],
)
def test_policy_rule_and_map_files_report_bad_yaml_at_file_and_line(
    tmp_path: Path, kind: str, text: str, line: int
) -> None:
    path = _write(tmp_path, "our.yaml", text)
    error: type[SourceError] = RuleFileError if kind == "rules" else PolicyError
    with pytest.raises(error) as caught:
        _load(kind, path)
    assert caught.value.path == str(path)
    assert caught.value.line == line, str(caught.value)
    assert "not a date" in str(caught.value) or "nested too deeply" in str(caught.value)


def test_a_rule_file_named_by_a_policy_reports_its_own_place(tmp_path: Path) -> None:
    _write(tmp_path, "our_rules.yaml", RULES.replace('["4.3"]', "[2026-02-30]"))
    policy = _write(tmp_path, "company.yaml", "rule_files: [our_rules.yaml]\n")
    with pytest.raises(RuleFileError, match=r"our_rules.yaml:7:\d+: '2026-02-30' is not a date"):
        load_policy(policy)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["rules", "--policy", "deep.yaml"], "deep.yaml:1:"),
        (["rules", "--policy", "dates.yaml"], "dates.yaml:2:14: '2026-02-30' is not a date"),
        (["check", "punches.csv", "--map", "map.yaml"], "map.yaml:2:"),
    ],
)
def test_the_command_prints_one_line_and_exits_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    expected: str,
) -> None:
    from sales_policy.cli import main

    monkeypatch.chdir(tmp_path)
    _write(tmp_path, "punches.csv", "employee_id,at,direction\nS001,2026-11-02T09:00:00+08:00,in\n")
    _write(tmp_path, "deep.yaml", "params: " + "[" * 600 + "]" * 600 + "\n")
    _write(tmp_path, "dates.yaml", "calendar:\n  holidays: [2026-02-30]\n")
    _write(tmp_path, "map.yaml", "punch:\n  ignore: [2026-13-01]\n")
    assert main(args) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err


def test_a_file_name_with_a_null_character_is_an_error_naming_it() -> None:
    with pytest.raises(PolicyError, match="null character"):
        read_yaml_file(Path("a\0b.yaml"), error=PolicyError)


@pytest.mark.parametrize(
    "text",
    [
        "c: plain text\n",
        "c: plain\n  over lines\n\n\n  and a gap\n",
        'c: "say \\"hi\\"\\tthere \\u00e9 \\x41 \\U0001F600 \\\\ end"\n',
        "c: 'it''s\n\n   here ''now'''\n",
        'c: "joined \\\n    here,\n  and \\\n\n    folded"\n',
        'c: "中文 \\"引号\\" 😀 x"\n',
        "c: |\n  one\n   two\n\n  three\n",
        "c: >-\n  one\n  two\n\n   more\n  back\n",
        "c: >+ # kept\n  a\n  b\n\n\nd: 1\n",
        "k:\n  c: |2-\n      indented\n     less\n",
        "- x: 1\n  c: >\n    item\n    of a list\n",
        'm: {a: 1, c: "in a\\tflow"}\n',
        'c: "crlf\r\n  folded \\"x\\""\r\nd: |\r\n  a\r\n',
        "c: |\r\n  crlf\r\n  block\r\n",
    ],
)
def test_every_character_of_a_text_value_is_placed_where_it_is_written(
    loader: str, text: str
) -> None:
    """``place`` gives each character of a value its line and column in the file: the
    character written there, or the backslash of its escape, or the line break folded into
    it; and the value's end."""
    data = load_yaml(text, path="p.yaml", error=PolicyError)
    mapping = data[0] if isinstance(data, list) else data.get("k", data.get("m", data))
    value = mapping["c"]
    lines = text.splitlines()
    for offset, char in enumerate(value):
        place = mapping.place("c", offset)
        assert place is not None, (value, offset)
        line, column = place
        written = lines[line - 1][column - 1 : column] or "\n"
        assert written in (char, "\\") or (char in " \n" and written == "\n"), (offset, place)
    assert mapping.place("c", len(value)) is not None
    assert mapping.place("c", len(value) + 1) is None


@pytest.mark.parametrize(
    ("text", "offset", "place"),
    [
        ('c: "a \\"b\\" c"\n', 6, (1, 13)),
        ("c: 'a ''b'' c'\n", 6, (1, 13)),
        ('c: "a\\u00e9b"\n', 2, (1, 12)),
        ("c: >-\n  a\n\n  b\n", 2, (4, 3)),
        ("c: >-\n  a\n\n  b\n", 3, (4, 4)),  # the end of the value
        ('c: "a\\\n     b"\n', 1, (2, 6)),
        ("c: |\n  a\n  b\n", 4, (3, 4)),  # the end: after the last line's text, not past it
        ("c: 'ab'\n", 2, (1, 7)),  # the end: the closing quote
    ],
)
def test_a_character_of_a_value_is_placed_at_its_line_and_column(
    loader: str, text: str, offset: int, place: tuple[int, int]
) -> None:
    assert load_yaml(text, path="p.yaml", error=PolicyError).place("c", offset) == place


def test_a_value_over_a_line_break_editors_may_not_count_is_not_placed(loader: str) -> None:
    """YAML reads U+2028 in a quoted text as a line break, which editors need not count as
    one: no place, rather than a wrong one."""
    data = load_yaml('d: "ab"\nc: "a\u2028b"\n', path="p.yaml", error=PolicyError)
    assert data["c"] == "a\u2028b"
    assert data.place("c", 2) is None
    assert data.place("d", 1) == (1, 6)


@pytest.mark.parametrize("mark", [b"", b"\xef\xbb\xbf"], ids=["no-mark", "mark"])
@pytest.mark.parametrize("end", [b"\n", b"\r\n", b"\r"], ids=["lf", "crlf", "cr"])
def test_a_byte_not_utf8_is_named_at_its_line_and_column_after_a_byte_order_mark(
    tmp_path: Path, mark: bytes, end: bytes
) -> None:
    """The mark (Notepad saves one) is no character of the first line: the byte that is not
    text is the one named, on its own line, whether or not the file begins with the mark."""
    path = tmp_path / "company.yaml"
    path.write_bytes(mark + b"timezone: Asia/Shanghai" + end + "team: 王".encode() + b"\xe7" + end)
    with pytest.raises(PolicyError) as caught:
        read_yaml_file(path, error=PolicyError)
    assert (caught.value.line, caught.value.column) == (2, len("team: 王") + 1)
    assert "(byte 0xE7)" in str(caught.value)


@pytest.mark.parametrize(
    ("char", "code"),
    [("\x00", "U+0000"), ("\x07", "U+0007"), ("\x1b", "U+001B"), ("\ufffe", "U+FFFE")],
)
@pytest.mark.parametrize("kind", ["policy", "rules", "samples"])
def test_a_character_yaml_does_not_allow_is_named_at_its_line_and_column(
    tmp_path: Path, loader: str, monkeypatch: pytest.MonkeyPatch, kind: str, char: str, code: str
) -> None:
    """A control character (an escape sequence pasted from a terminal, a NUL) after Chinese
    text on the second line: PyYAML said only a position, which libyaml counts in bytes, and
    over two lines; the error is at the character's line and column, counted in characters."""
    from sales_policy import yamldoc

    if loader == "python":
        monkeypatch.setattr(yamldoc, "_LOADER", yaml.SafeLoader)
    comment = f"# 公司规定{char}\n"
    texts = {
        "policy": f"timezone: Asia/Shanghai\n{comment}",
        "rules": RULES.replace("\n", f"\n{comment}", 1),
        "samples": f"ruleset: attendance\n{comment}samples: []\n",
    }
    text = texts[kind]
    path = _write(tmp_path, "our.yaml", text)
    error: type[SourceError] = PolicyError if kind == "policy" else RuleFileError
    with pytest.raises(error) as caught:
        _load(kind, path)
    assert (caught.value.path, caught.value.line, caught.value.column) == (str(path), 2, 7)
    assert f"the character {code}" in caught.value.message
    assert "\n" not in str(caught.value) and "position" not in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "ruleset: attendance\nsamples:\n\t- rule: ATT-LATE\n",
        "ruleset: attendance\nsamples:\n  - rule: ATT-LATE\n\tname: x\n",
    ],
)
def test_a_tab_for_an_indent_in_a_sample_file_says_to_indent_with_spaces(
    tmp_path: Path, text: str
) -> None:
    """Sample files are read by libyaml, whose errors name no tab ("found character that
    cannot start any token"): the line's indent says it."""
    from sales_policy.testing import load_samples

    path = tmp_path / "attendance.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_samples(path)
    assert caught.value.message.endswith(
        "YAML indents with spaces, not tabs (replace the tab with spaces)"
    )


@pytest.mark.parametrize("text", ["params:\n\tlate_grace_minutes: 5\n", "a:\n  \tb: 1\n"])
def test_a_tab_for_an_indent_says_to_indent_with_spaces(loader: str, text: str) -> None:
    """An editor's tab where YAML wants spaces: PyYAML says only that the character cannot
    start a token."""
    with pytest.raises(PolicyError) as caught:
        load_yaml(text, path="company.yaml", error=PolicyError)
    assert caught.value.line == 2
    assert caught.value.message.endswith(
        "YAML indents with spaces, not tabs (replace the tab with spaces)"
    )
