"""Values read are shown on a terminal, never acted on (``sales_policy.termtext``)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sales_policy.cli import main
from sales_policy.termtext import HIDDEN, one_line, terminal_text


def _acted_on(ch: str) -> bool:
    """What a terminal takes as an order or a turn of direction (from Unicode's data)."""
    return unicodedata.category(ch) == "Cc" or unicodedata.bidirectional(ch) in {
        "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI", "LRM", "RLM", "ALM",
    }  # fmt: skip


@given(st.text())
def test_nothing_a_terminal_acts_on_is_left_but_line_feeds(text: str) -> None:
    shown = terminal_text(text)
    assert [ch for ch in shown if _acted_on(ch) and ch != "\n"] == []
    assert shown.count("\n") == text.count("\n")
    assert not any(_acted_on(ch) for ch in one_line(text))


@given(st.text(st.characters(exclude_categories=("Cc", "Cf"))))
def test_printable_text_is_shown_as_it_is(text: str) -> None:
    assert terminal_text(text) == text == one_line(text)


def test_escapes_name_the_character() -> None:
    assert (
        one_line("E\x1b[2J1\r\n\x00\x7f\x85\u202e") == "E\\x1b[2J1\\x0d\\x0a\\x00\\x7f\\x85\\u202e"
    )
    assert terminal_text("a\tb\nc") == "a\\x09b\nc"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("S001\u200b", "S001\\u200b"),
        ("S\u200d001\ufeff", "S\\u200d001\\ufeff"),
        ("S0\u00ad01\u2060", "S0\\u00ad01\\u2060"),
        ("S001\U000e0041", "S001\\U000e0041"),
    ],
)
def test_invisible_characters_are_shown_as_escapes(text: str, shown: str) -> None:
    """An id holding a zero-width character would look like another ("S001\\u200b" and
    "S001", two employees): shown as an escape."""
    assert terminal_text(text) == one_line(text) == shown


#: Unicode's prepended concatenation marks: format characters (Cf) that are drawn
PREPENDED_MARKS = {*range(0x0600, 0x0606), 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2, 0x110BD, 0x110CD}


def test_one_definition_of_a_hidden_character() -> None:
    """What the terminal and the reports escape, and what a rule file cannot hold: every
    control and format character of Unicode but the drawn marks; no other assigned one."""
    categories = {code: unicodedata.category(chr(code)) for code in range(0x110000)}
    wanted = {c for c, cat in categories.items() if cat in ("Cc", "Cf")} - PREPENDED_MARKS
    assert wanted <= HIDDEN
    # beyond them, only code points this Python's Unicode has not assigned yet (format
    # controls of a later version), never a character drawn
    assert {categories[c] for c in HIDDEN - wanted} <= {"Cn"}
    assert all(ord(ch) in HIDDEN for ch in "\x1b\n\u200b\u202e\U0001d173")
    assert not any(ord(ch) in HIDDEN for ch in "a \u0600\u00a0\u3000病")


def test_the_table_shows_ids_with_control_characters_and_jsonl_keeps_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An id holding ESC (a sequence that clears the screen), NUL or a line feed: the table
    and the rejected rows show escapes, one line each; the JSONL report keeps the value."""
    path = tmp_path / "punches.csv"
    path.write_text(
        'employee_id,at,direction\n"E\x1b[2J1",2026-11-02T09:05:00+08:00,in\n'
        '"E\x001",2026-11-02T09:05:00+08:00,in\n"E1\n2",2026-11-02T09:05:00+08:00,in\n'
        'E4,"\x1b[31mred",in\n',
        encoding="utf-8",
    )
    assert main(["check", str(path)]) == 0
    out = capsys.readouterr().out
    assert not any(_acted_on(ch) for ch in out.replace("\n", ""))
    assert "\n  E\\x1b[2J1  2026-11-02  ATT-LATE" in out
    assert "\n  E\\x001  2026-11-02  ATT-LATE" in out
    assert "\n  E1\\x0a2  2026-11-02  ATT-LATE" in out
    assert f"  {path}  punch  at     line 6: '\\x1b[31mred' is not a date-time" in out
    assert main(["check", str(path), "--format", "jsonl"]) == 0
    ids = {json.loads(line)["employee_id"] for line in capsys.readouterr().out.splitlines()}
    assert ids == {"E\x1b[2J1", "E\x001", "E1\n2"}


def test_ids_holding_hidden_characters_are_named_in_a_note() -> None:
    """S001 followed by a zero-width space looks like S001 and is another employee: the
    check says which ids hold such characters; ids without them give no such note."""
    from sales_policy import load_policy

    def punch(employee_id: str) -> dict[str, str]:
        return {"type": "punch", "employee_id": employee_id, "at": "2026-11-02T09:00:00+08:00"}

    result = load_policy().check([punch("S001\u200b"), punch("S001"), punch("E\x1b1")])
    assert result.notes[0] == (
        "2 employee ids hold a character not seen as itself (a zero-width space, a control "
        "character): 'E\\x1b1', 'S001\\u200b'; each is an employee of its own, judged apart "
        "from the id without it"
    )
    assert result.notes[0].zh.startswith("2 个员工编号含有看不见的字符")
    plain = load_policy().check([punch("S001"), punch("病假\u0600")])  # drawn, not hidden
    assert not any("not seen as itself" in note for note in plain.notes)
