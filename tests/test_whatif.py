"""What-if diffs: findings a policy change adds, removes and changes."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from sales_policy import load_policy
from sales_policy.cli import main
from sales_policy.whatif import diff

DAY = dt.date(2026, 11, 2)
RECORDS = [
    {"type": "punch", "employee_id": "E1", "at": "2026-11-02T09:07:00+08:00", "direction": "in"},
    {"type": "punch", "employee_id": "E1", "at": "2026-11-02T18:00:00+08:00", "direction": "out"},
    {"type": "punch", "employee_id": "E2", "at": "2026-11-02T09:40:00+08:00", "direction": "in"},
    {"type": "punch", "employee_id": "E2", "at": "2026-11-02T18:00:00+08:00", "direction": "out"},
]


def test_added_removed_and_changed(tmp_path: Path) -> None:
    """A 09:30 start: E1 (09:07) is no longer late; E2 (09:40) goes from 40 min seriously late
    to 10 min late — a removal of one rule's finding and an addition of another's."""
    path = tmp_path / "p.yaml"
    path.write_text('schedule: {start: "09:30"}\n', encoding="utf-8")
    change = diff(load_policy(), load_policy(path), RECORDS, DAY, DAY)
    assert [(f.rule_id, f.employee_id) for f in change.removed] == [
        ("ATT-LATE", "E1"),
        ("ATT-LATE-SERIOUS", "E2"),
    ]
    assert [(f.rule_id, f.employee_id, f.evidence["minutes_late"]) for f in change.added] == [
        ("ATT-LATE", "E2", 10)
    ]
    counts = {
        (r["rule_id"], r["employee_id"]): (r["added"], r["removed"], r["changed"])
        for r in change.counts().to_dicts()
    }
    assert counts == {
        ("ATT-LATE", "E1"): (0, 1, 0),
        ("ATT-LATE", "E2"): (1, 0, 0),
        ("ATT-LATE-SERIOUS", "E2"): (0, 1, 0),
    }


def test_same_finding_with_other_evidence_is_changed() -> None:
    """A changed severity threshold keeps the finding but changes nothing else: no diff;
    a changed overtime threshold keeps ATT-OVERTIME-UNAPPROVED and its evidence."""
    records = [
        {
            "type": "punch",
            "employee_id": "E1",
            "at": "2026-11-02T09:00:00+08:00",
            "direction": "in",
        },
        {
            "type": "punch",
            "employee_id": "E1",
            "at": "2026-11-02T20:00:00+08:00",
            "direction": "out",
        },
    ]
    base = load_policy()
    assert diff(base, base.with_params(serious_late_minutes=60), records, DAY, DAY).is_empty()
    change = diff(base, base.with_params(overtime_day_limit_minutes=60), records, DAY, DAY)
    assert [f.rule_id for f in change.added] == ["ATT-OVERTIME-DAY-LIMIT"]
    assert change.changed == [] and change.removed == []


def test_changed_when_evidence_differs(tmp_path: Path) -> None:
    """Moving the end of the day to 17:50 keeps E1's early leave (at 17:40) but changes its
    minutes from 20 to 10: a change, not an addition and a removal."""
    records = [
        {
            "type": "punch",
            "employee_id": "E1",
            "at": "2026-11-02T09:00:00+08:00",
            "direction": "in",
        },
        {
            "type": "punch",
            "employee_id": "E1",
            "at": "2026-11-02T17:40:00+08:00",
            "direction": "out",
        },
    ]
    path = tmp_path / "p.yaml"
    path.write_text('schedule: {end: "17:50"}\n', encoding="utf-8")
    change = diff(load_policy(), load_policy(path), records, DAY, DAY)
    assert not change.added and not change.removed
    assert [
        (c.before.evidence["minutes_early"], c.after.evidence["minutes_early"])
        for c in change.changed
    ] == [(20, 10)]


def test_diff_command(capsys: pytest.CaptureFixture[str]) -> None:
    example = Path(__file__).resolve().parents[1] / "examples"
    inputs = [str(p) for p in sorted((example / "november-2026").glob("*.csv"))]
    argv = ["diff", "--policy", "default", "--policy", str(example / "policy.yaml"), *inputs]
    assert main([*argv, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert sorted(f["rule_id"] for f in document["removed"]) == [
        "ATT-LATE",
        "ATT-LEFT-POST",
        "ATT-LEFT-POST",
    ]
    assert document["added"] == [] and document["changed"] == []
    assert main(["diff", "--policy", "default", *inputs]) == 2
    assert "give --policy twice" in capsys.readouterr().err


def test_the_diff_command_accounts_for_every_row_as_check_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No row accepted is unusable input (exit 2), as for check, not two empty comparisons;
    rejected rows go to --rejects, or are counted on stderr; --strict makes them an error."""
    punches = tmp_path / "punches.csv"
    header = "record_id,employee_id,at,direction\n"
    punches.write_text(header + "P1,E1,bad,in\n", encoding="utf-8")
    argv = ["diff", str(punches), "--period", "2026-11", "--policy", "default", "--policy"]
    assert main([*argv, "default"]) == 2
    assert "error: no row accepted (1 read, 1 rejected)" in capsys.readouterr().err
    punches.write_text(header + "P1,E1,bad,in\nP2,E1,2026-11-02T09:10:00+08:00,in\n", "utf-8")
    assert main([*argv, "default"]) == 0
    assert capsys.readouterr().err == (
        "sales-policy: 1 of 2 rows rejected (--rejects FILE lists them)\n"
    )
    rejects = tmp_path / "rejects.csv"
    assert main([*argv, "default", "--rejects", str(rejects)]) == 0
    assert (
        rejects.read_text(encoding="utf-8").splitlines()[1].startswith(f"{punches},2,punch,at,bad,")
    )
    assert main([*argv, "default", "--strict"]) == 2
    assert "error: 1 of 2 rows rejected (--strict)" in capsys.readouterr().err


def _punches(employee: str, day: int, times: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [
        {
            "type": "punch",
            "employee_id": employee,
            "at": f"2026-11-{day:02d}T{clock}:00+08:00",
            "direction": direction,
        }
        for clock, direction in times
    ]


def test_a_month_finding_citing_fewer_rows_is_the_same_finding_changed() -> None:
    """Late on four days (one by 5 minutes): a 10-minute grace leaves three late days, still
    a repeated lateness for the month, citing three days' arrivals instead of four.  That is
    one finding changed, not one removed and another added, so a longer grace adds nothing."""
    from sales_policy.testing import check_never_adds

    records = []
    for day, minute in {2: 5, 3: 20, 4: 20, 5: 20}.items():
        records += _punches("E1", day, [(f"09:{minute:02d}", "in"), ("18:00", "out")])
    base = load_policy()
    graced = base.with_params(late_grace_minutes=10)
    first, last = dt.date(2026, 11, 2), dt.date(2026, 11, 5)
    change = diff(base, graced, records, first, last)
    assert [f.rule_id for f in change.added] == []
    assert [(f.rule_id, f.date) for f in change.removed] == [("ATT-LATE", dt.date(2026, 11, 2))]
    repeated = [c for c in change.changed if c.after.rule_id == "DIS-REPEATED-LATE"]
    assert [(len(c.before.sources), len(c.after.sources)) for c in repeated] == [(4, 3)]
    check_never_adds(base, graced, records, rules=["DIS-REPEATED-LATE"], start=first, end=last)


def test_several_findings_of_a_day_are_told_apart_by_their_rows() -> None:
    """Two absences from the post on one day, 40 then 60 minutes: with 45 minutes allowed the
    first goes and the second stays as it was (it is not the first one, changed)."""
    records = _punches(
        "E1",
        2,
        [
            ("09:00", "in"),
            ("10:00", "out"),
            ("10:40", "in"),
            ("14:00", "out"),
            ("15:00", "in"),
            ("18:00", "out"),
        ],
    )
    base = load_policy()
    change = diff(base, base.with_params(left_post_minutes=45), records, DAY, DAY)
    assert [(f.rule_id, f.evidence["minutes_away"]) for f in change.removed] == [
        ("ATT-LEFT-POST", 40)
    ]
    assert change.added == [] and change.changed == []


def test_the_diff_table_shows_ids_as_escapes_aligned_by_display_width(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An id holding a line feed or ESC is shown as its escapes, on its line, and the employee
    column is as wide as the widest id as a terminal shows it: ``员工００１`` is five wide
    characters, ten columns; ``E\\x1b[2J1`` nine; ``E1\\x0a2`` seven; the header eight."""
    ids = ["E1\n2", "员工００１", "E\x1b[2J1"]
    records = [r for who in ids for r in _punches(who, 2, [("09:20", "in"), ("18:00", "out")])]
    inputs = tmp_path / "punches.jsonl"
    inputs.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    graced = tmp_path / "graced.yaml"
    graced.write_text("params: {late_grace_minutes: 25}\n", encoding="utf-8")
    argv = ["diff", str(inputs), "--from", "2026-11-02", "--to", "2026-11-02"]
    assert main([*argv, "--policy", "default", "--policy", str(graced)]) == 0
    lines = capsys.readouterr().out.splitlines()
    # by rule, then id as text orders it: "E\x1b" before "E1", both before "员"
    assert lines[4:] == [
        "rule      employee    added  removed  changed",
        "ATT-LATE  E\\x1b[2J1       0        1        0",
        "ATT-LATE  E1\\x0a2         0        1        0",
        "ATT-LATE  员工００１      0        1        0",
        "- E\\x1b[2J1  2026-11-02  ATT-LATE  20 min late (arrived 2026-11-02T09:20:00+08:00)",
        "- E1\\x0a2  2026-11-02  ATT-LATE  20 min late (arrived 2026-11-02T09:20:00+08:00)",
        "- 员工００１  2026-11-02  ATT-LATE  20 min late (arrived 2026-11-02T09:20:00+08:00)",
    ]


def test_the_python_helpers_of_diff_why_and_explain_refuse_bad_arguments_as_such() -> None:
    """``whatif.diff``, ``dayexplain.explain_day`` and ``scoreexplain.explain_score`` (the
    commands' Python, docs/cli.md) refuse an argument of the wrong kind with InvalidArgument
    naming it: a text for the policy had raised a bare AttributeError, a day given as text or
    a datetime and an id given as a number bare TypeErrors, a language other than en or zh a
    bare KeyError; a text for the breakdown an AttributeError."""
    from sales_policy import InvalidArgument
    from sales_policy.dayexplain import explain_day
    from sales_policy.scoreexplain import explain_score

    policy = load_policy()
    with pytest.raises(InvalidArgument, match=r"diff compares two policies .*; new is str"):
        diff(policy, "policy.yaml", RECORDS, DAY, DAY)  # type: ignore[arg-type]
    result = policy.check(RECORDS, DAY, DAY)
    for employee, day, lang, says in (
        ("E1", "2026-11-02", "en", "the day is a local date (datetime.date), not '2026-11-02'"),
        ("E1", dt.datetime(2026, 11, 2, 9), "en", "the day is a local date (datetime.date), not"),
        (1, DAY, "en", "an employee id is text, not int"),
        ("E1", DAY, "fr", "lang must be 'zh' or 'en', not 'fr'"),
    ):
        with pytest.raises(InvalidArgument, match=re.escape(says)):
            explain_day(policy, result, employee, day, lang=lang)  # type: ignore[arg-type]
    assert explain_day(policy, result, "E1", DAY).startswith("E1")
    with pytest.raises(InvalidArgument, match=r"explain_score takes a breakdown \(scores\.bre"):
        explain_score("E1")  # type: ignore[arg-type]
