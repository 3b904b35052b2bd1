"""Leavers and the reward trip (``trip_requires_employment_at_end``, the scoring section's
``trip: employed_to_end``; docs/assessment.md, "Leavers and the trip"): an employee whose
``left_on`` is before the period's last day has no trip, the place passes to the next eligible
in rank, and the leaver keeps rank, scores, grade, commission and bonus.  The team's places
are still counted from its ranked members, the leaver included."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from pathlib import Path
from typing import Any

import pytest
from conftest import half_the_examples
from hypothesis import given
from hypothesis import strategies as st
from sales_records import order, target
from test_scoring import (
    POLICY,
    QUIET,
    company_policy,
    edited,
    employee,
    gift,
    line_of,
    teams,
    training,
)

from sales_policy import Policy, PolicyError, RuleFileError, load_policy, score
from sales_policy.policyparams import scoring_values
from sales_policy.rulefile import load_ruleset
from sales_policy.scoreexplain import explain_score

LEFT = "no trip: left on 2026-11-20"


def ten(left_on: str | None = "2026-11-20") -> list[dict[str, Any]]:
    """Team T of ten, November 2026: E01 to E10 sold 120,000 down to 30,000 (10,000 less
    each) of a target of 100,000, each order on the 3rd; E01 left on ``left_on``.

    Worked by hand: no new-customer target (0), no survey and no October sales leave only the
    sales indicator, whose weight is then the whole KPI: KPI = 100 x min(sold / 100,000,
    1.2).  QUIET leaves five rule sets with rules in force, and the only finding is
    ASM-TARGET-MISSED (info, 0 points), so every conduct score is 100 and overall = 0.7 x KPI
    + 30: 114, 107, 100, 93, 86, 79, 72, 65, 58, 51, graded A A A A B B C C D D.  Places:
    ceil(10 x 10 / 100) = 1."""
    records: list[dict[str, Any]] = []
    for number in range(1, 11):
        who = f"E{number:02d}"
        person = employee(who, "T")
        if number == 1 and left_on is not None:
            person["left_on"] = left_on
        sold = 130000 - 10000 * number
        records += [
            person,
            target(who, 100000),
            order(f"O{number}", who, f"K{number}", "2026-11-03", sold),
        ]
    return records


def trips(
    records: list[dict[str, Any]], policy: Policy = POLICY, period: str = "2026-11"
) -> set[str]:
    """Who has a trip."""
    return {row.employee_id for row in score(policy, records, period) if row.trip_eligible}


def test_a_leaver_keeps_rank_scores_and_bonus_and_the_place_passes_to_the_next() -> None:
    """E01 left on 2026-11-20, before the period's last day (the 30th): E01 is still first of
    ten, 114 overall, grade A, a commission of 3% of 120,000 = 3,600 (tier from 1.2) and a
    bonus (A is B or better, no finding bars it), but no trip, and the note says why.  The one
    place (counted from all ten) goes to E02, second, 107, A."""
    scores = score(POLICY, ten(), "2026-11")
    first, second = scores.employee("E01"), scores.employee("E02")
    assert (first.rank, first.team_size, first.overall, first.grade) == (1, 10, 114.0, "A")
    assert (first.commission_tier, first.commission, first.bonus_eligible) == (
        "exceeded",
        3600.0,
        True,
    )
    assert not first.trip_eligible
    assert LEFT in first.notes
    assert (second.rank, second.team_size, second.overall, second.grade) == (2, 10, 107.0, "A")
    assert second.trip_eligible and not any(n.startswith("no trip") for n in second.notes)
    assert {row.employee_id for row in scores if row.trip_eligible} == {"E02"}
    assert [row.rank for row in scores] == list(range(1, 11))


def test_leaving_changes_the_trip_and_its_note_and_nothing_else() -> None:
    """E01's row as a leaver is E01's row when staying, but for the trip and the note."""
    stayed = score(POLICY, ten(left_on=None), "2026-11").employee("E01")
    left = score(POLICY, ten(), "2026-11").employee("E01")
    assert stayed.trip_eligible and not any(n.startswith("no trip") for n in stayed.notes)
    assert left == dataclasses.replace(stayed, trip_eligible=False, notes=(*stayed.notes, LEFT))


@pytest.mark.parametrize(
    ("left_on", "first_goes"),
    [
        ("2026-11-01", False),  # the period's first day
        ("2026-11-29", False),  # a day before its last
        ("2026-11-30", True),  # its last day: employed to the end
        ("2026-12-10", True),  # after it
    ],
)
def test_leaving_on_the_periods_last_day_or_after_keeps_the_place(
    left_on: str, first_goes: bool
) -> None:
    """left_on is the last day employed: leaving on 2026-11-30 is employment to the end of
    November, and E01 keeps the place; a day earlier, E02 has it."""
    assert trips(ten(left_on)) == ({"E01"} if first_goes else {"E02"})


def test_the_parameter_false_lets_a_leaver_keep_the_place() -> None:
    """trip_requires_employment_at_end: false gives the trips as before: E01, first, has the
    one place though gone on the 20th, with no note of leaving; E02 has none."""
    policy = POLICY.with_params(trip_requires_employment_at_end=False)
    assert scoring_values(policy).trip_employed_to_end is False
    scores = score(policy, ten(), "2026-11")
    assert {row.employee_id for row in scores if row.trip_eligible} == {"E01"}
    assert not any(n.startswith("no trip") for n in scores.employee("E01").notes)


def test_a_policy_file_sets_the_parameter(tmp_path: Path) -> None:
    """Set in a policy file's params, as a company would; a value that is not true or false
    is an error naming the policy file."""
    path = tmp_path / "policy.yaml"
    path.write_text("params:\n  trip_requires_employment_at_end: false\n", encoding="utf-8")
    policy = dataclasses.replace(load_policy(path), disabled=QUIET)
    assert trips(ten(), policy) == {"E01"}
    path.write_text("params:\n  trip_requires_employment_at_end: 1\n", encoding="utf-8")
    with pytest.raises(PolicyError, match="trip_requires_employment_at_end") as caught:
        load_policy(path)
    assert caught.value.path == str(path)


def test_when_the_next_is_barred_too_the_place_goes_further_down() -> None:
    """E01 left; E02 received an unapproved gift of 500 (INT-GIFT, major): integrity 95, mean
    conduct (4 x 100 + 95) / 5 = 99, overall 0.7 x 110 + 0.3 x 99 = 106.7, still second, and
    barred by the finding.  The one place goes to E03 (100, A)."""
    scores = score(POLICY, [*ten(), gift("G2", "E02")], "2026-11")
    second = scores.employee("E02")
    assert (second.rank, second.overall, second.trip_eligible) == (2, 106.7, False)
    assert "no trip: 1 major integrity finding(s)" in second.notes
    assert {row.employee_id for row in scores if row.trip_eligible} == {"E03"}


def test_in_a_quarter_a_leaver_of_its_second_month_has_no_trip() -> None:
    """L left on 2026-11-30, the last day of November and not of the fourth quarter.  L had
    targets of 100,000 for October and November (months employed) and sold 120,000 in each:
    240,000 of 200,000 = 1.2, KPI 120, overall 114, A.  S sold 100,000 of 100,000 in each of
    the three months: KPI 100, overall 100, A.  Team Q of two has ceil(2 x 10%) = 1 place.
    For 2026-Q4, L is first and left before the quarter's last day: S has the place.  For
    2026-11, L was employed to the month's last day and has it."""
    leaver = {**employee("L", "Q"), "left_on": "2026-11-30"}
    records = [
        leaver,
        employee("S", "Q"),
        *(target("L", 100000, 0, month) for month in ("2026-10", "2026-11")),
        order("L1", "L", "KL1", "2026-10-05", 120000),
        order("L2", "L", "KL2", "2026-11-05", 120000),
        *(target("S", 100000, 0, month) for month in ("2026-10", "2026-11", "2026-12")),
        *(order(f"S{n}", "S", f"KS{n}", f"2026-{n}-05", 100000) for n in (10, 11, 12)),
    ]
    quarter = score(POLICY, records, "2026-Q4")
    gone = quarter.employee("L")
    assert (gone.rank, gone.overall, gone.grade, gone.trip_eligible) == (1, 114.0, "A", False)
    assert "no trip: left on 2026-11-30" in gone.notes
    assert {row.employee_id for row in quarter if row.trip_eligible} == {"S"}
    assert trips(records, period="2026-11") == {"L"}


def test_explain_gives_the_condition_and_the_reason() -> None:
    """--explain lists the trip's conditions, with the new one, and the note that says why
    E01 has no trip; without the parameter the condition is not listed."""
    scores = score(POLICY, ten(), "2026-11")
    lines = explain_score(scores.breakdown("E01")).splitlines()
    assert (
        "trip       not eligible (grade A or better, sales computed, no critical finding, no "
        "major or worse integrity or confidentiality finding, employed to the last day of the "
        "period; places for the top 10% of the team, in rank order to those who meet these)"
    ) in lines
    assert f"note: {LEFT}" in lines
    assert "bonus      eligible (" in "\n".join(lines)
    lifted = POLICY.with_params(trip_requires_employment_at_end=False)
    text = explain_score(score(lifted, ten(), "2026-11").breakdown("E02"))
    assert "employed to the last day" not in text
    assert "meets these, but the team's 1 place went to those ranked above" in text


def test_employed_to_end_is_checked_at_load(tmp_path: Path) -> None:
    """The scoring section's ``employed_to_end`` is true, false or a bool parameter; anything
    else is an error at its line.  Left out, it is false: a leaver may have a trip (as before
    it existed)."""
    shipped = "    employed_to_end: True\n"  # the shipped section, its default written in
    assert trips(ten(), company_policy(tmp_path)) == {"E02"}
    with pytest.raises(RuleFileError, match=r"employed_to_end must be true or false, found 1"):
        company_policy(tmp_path, (shipped, "    employed_to_end: 1\n"))
    with pytest.raises(RuleFileError, match=r"'yes please' is not true, false or a parameter") as e:
        company_policy(tmp_path, (shipped, "    employed_to_end: yes please\n"))
    assert e.value.line == line_of(tmp_path / "company_scoring.yaml", "yes please")
    left_out = company_policy(tmp_path, (shipped, ""))
    assert scoring_values(left_out).trip_employed_to_end is False
    assert trips(ten(), left_out) == {"E01"}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "trip_top_percent",
            "employed_to_end: parameter 'trip_top_percent' is a float, not a bool",
        ),
        (
            "trip_requires_employment_at_ned",
            "'trip_requires_employment_at_ned' is not true, false or a parameter of this "
            "file (did you mean 'trip_requires_employment_at_end'?)",
        ),
    ],
)
def test_employed_to_end_names_a_bool_parameter(tmp_path: Path, name: str, message: str) -> None:
    """In the shipped file, naming a parameter of another type, or none, is an error at the
    key's line."""
    path = edited(
        tmp_path,
        "employed_to_end: trip_requires_employment_at_end",
        f"employed_to_end: {name}",
    )
    with pytest.raises(RuleFileError) as caught:
        load_ruleset(path)
    assert caught.value.line == line_of(path, "employed_to_end:")
    assert message in caught.value.message


LEAVING = [None, "2026-11-01", "2026-11-15", "2026-11-29", "2026-11-30", "2026-12-15"]


@st.composite
def leaving_teams(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A team of four (test_scoring's ``teams``), each employee leaving on a drawn day or
    staying."""
    records = draw(teams(size=4))
    return [
        {**r, "left_on": draw(st.sampled_from(LEAVING))} if r["type"] == "employee" else r
        for r in records
    ]


@half_the_examples
@given(records=leaving_teams(), top_percent=st.sampled_from([10, 50]))
def test_trips_go_to_the_best_ranked_still_employed_and_never_exceed_the_places(
    records: list[dict[str, Any]], top_percent: int
) -> None:
    """With grade bands low enough for generated teams to reach A: a team's trips are the
    first ceil(ranked x top_percent%) (leavers counted among the ranked) of its ranked
    members, in rank order, who have grade A, a sales achievement, no critical finding, no
    major integrity or confidentiality finding and a left_on that is not before 2026-11-30;
    so never more than the places, and never a leaver's.  With the parameter false, every
    row is the same but for trips and the notes of leaving."""
    low = {"grade_a_min": 35, "grade_b_min": 33, "grade_c_min": 31, "trip_top_percent": top_percent}
    strict = score(POLICY.with_params(**low), records, "2026-11")
    lax = score(
        POLICY.with_params(**low, trip_requires_employment_at_end=False), records, "2026-11"
    )
    leaving = {r["employee_id"]: r["left_on"] for r in records if r["type"] == "employee"}
    left = {who for who, day in leaving.items() if day is not None and day < "2026-11-30"}
    barring = {
        f.employee_id
        for f in strict.check.findings
        if f.severity == "critical"
        or (f.severity == "major" and f.ruleset in ("integrity", "confidentiality"))
    }
    ranked = sorted((row for row in strict if row.rank is not None), key=lambda r: r.rank or 0)
    places = math.ceil(len(ranked) * top_percent / 100)
    open_to = [
        row.employee_id
        for row in ranked
        if row.grade == "A"
        and row.indicator("sales").achievement is not None
        and row.employee_id not in barring
        and row.employee_id not in left
    ]
    given_to = {row.employee_id for row in strict if row.trip_eligible}
    assert given_to == set(open_to[:places])
    assert len(given_to) <= places and not given_to & left
    for row in strict:
        other = lax.employee(row.employee_id)
        assert (
            dataclasses.replace(row, trip_eligible=other.trip_eligible, notes=other.notes) == other
        )
        assert without_leaving(row.notes) == other.notes


def without_leaving(notes: tuple[str, ...]) -> tuple[str, ...]:
    """``notes`` without the reason ``left on ...`` of a ``no trip: ...`` note (one that gives
    no other reason is left out)."""
    kept = []
    for note in notes:
        if note.startswith("no trip: "):
            reasons = note.removeprefix("no trip: ").split("; ")
            reasons = [r for r in reasons if not r.startswith("left on ")]
            if not reasons:
                continue
            note = f"no trip: {'; '.join(reasons)}"
        kept.append(note)
    return tuple(kept)


def test_training_required_after_leaving_is_not_owed() -> None:
    """training_ends_at_leaving (docs/assumptions.md): E01 left on Nov 20.  TC, required by
    Nov 19 and never done, is overdue; TA, required by Nov 20 and done then, is on time; TB,
    required by Nov 21, after leaving, is neither overdue nor counted: the training share is
    1 of 2 on time, 0.5.  With the parameter false TB is overdue too, and the share 1 of 3."""
    person = {**employee("E01", "T"), "left_on": "2026-11-20"}
    records = [
        person,
        target("E01", 100000),
        training("TA", "E01", "2026-11-20", "2026-11-20"),
        training("TB", "E01", "2026-11-21", None),
        training("TC", "E01", "2026-11-19", None),
    ]
    for policy, overdue, share in (
        (POLICY, ["TC"], 0.5),
        (POLICY.with_params(training_ends_at_leaving=False), ["TB", "TC"], 1 / 3),
    ):
        result = policy.check(records, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
        found = [f.evidence["record_id"] for f in result if f.rule_id == "ASM-TRAINING-OVERDUE"]
        assert sorted(found) == overdue
        (row,) = score(policy, records, "2026-11")
        assert row.indicator("training").value == pytest.approx(share)
