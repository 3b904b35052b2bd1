"""Every rule's worked examples (``rules/samples/<ruleset>.yaml``) run against the engine,
through ``sales_policy.samples`` (what a company runs its own samples with).

A ``violating`` sample lists exactly the findings of its rule that the check must produce
(matched by employee and date or period; ``evidence`` is a subset of the finding's
evidence); a ``compliant`` sample must produce no finding of its rule.  Findings of other
rules are not looked at.  The expected values were worked out by hand from the semantics.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import sales_policy
from sales_policy import InvalidArgument, RuleFileError
from sales_policy.policy import default_rule_dir
from sales_policy.samples import KINDS, read_sample_file, sample_problem, unusable
from sales_policy.testing import Sample, check_samples, load_samples

SAMPLE_DIR = default_rule_dir() / "samples"
SAMPLES = [s for path in sorted(SAMPLE_DIR.glob("*.yaml")) for s in load_samples(path)]
POLICY = sales_policy.load_policy()


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: f"{s.rule}:{s.kind}:{s.name}")
def test_sample(sample: Sample) -> None:
    """A violating sample yields exactly the listed findings of its rule (evidence checked
    key by key); a compliant sample yields none.  No input row is rejected."""
    assert sample_problem(POLICY, sample) is None


def test_sample_files_are_named_after_their_rule_set() -> None:
    for sample in SAMPLES:
        assert Path(sample.path).stem == sample.ruleset, sample


def test_every_rule_has_both_kinds_of_sample() -> None:
    """Every rule in force has at least one violating and one compliant sample, and every
    sample names a rule the policy knows, in the sample file's rule set."""
    known = {rule.rule_id: rule.ruleset for rule in POLICY.all_rules()}
    for sample in SAMPLES:
        assert known.get(sample.rule) == sample.ruleset, f"{sample}: unknown or misplaced"
    kinds = {(s.rule, s.kind) for s in SAMPLES}
    missing = [
        f"{rule.rule_id}:{kind}"
        for rule in POLICY.rules
        for kind in KINDS
        if (rule.rule_id, kind) not in kinds
    ]
    assert missing == [], f"rules without samples: {missing}"


COMPANY_RULES = """\
ruleset: company
title: {zh: 公司, en: Company}
facts: workday
params:
  late_and_early_grace_minutes: {type: int, default: 0, min: 0, max: 60, doc: {zh: 宽限, en: grace}}
rules:
  - id: CO-LATE-AND-EARLY
    title: {zh: 同日迟到早退, en: Late and early on the same day}
    clauses: ["4.3"]
    severity: minor
    when: >-
      (scheduled and minutes_late > late_and_early_grace_minutes
       and minutes_early > late_and_early_grace_minutes)
    evidence: [minutes_late, minutes_early]
    message: {zh: "迟到 {minutes_late} 分钟且早退", en: "{minutes_late} min late and left early"}
"""

COMPANY_SAMPLES = """\
ruleset: company
samples:
  - rule: CO-LATE-AND-EARLY
    name: in late and out early
    kind: violating
    period: {start: 2026-11-02, end: 2026-11-02}
    records:
      - {type: punch, employee_id: E1, at: "2026-11-02T09:10:00+08:00", direction: in}
      - {type: punch, employee_id: E1, at: "2026-11-02T17:30:00+08:00", direction: out}
    expect:
      - {employee_id: E1, date: 2026-11-02, evidence: {minutes_late: 10, minutes_early: 30}}
  - rule: CO-LATE-AND-EARLY
    name: within the grace
    kind: compliant
    period: {start: 2026-11-02, end: 2026-11-02}
    params: {late_and_early_grace_minutes: 10}
    records:
      - {type: punch, employee_id: E1, at: "2026-11-02T09:10:00+08:00", direction: in}
      - {type: punch, employee_id: E1, at: "2026-11-02T17:30:00+08:00", direction: out}
"""


def _company(tmp_path: Path) -> sales_policy.Policy:
    (tmp_path / "ours.yaml").write_text(COMPANY_RULES, encoding="utf-8")
    (tmp_path / "policy.yaml").write_text("rule_files: [ours.yaml]\n", encoding="utf-8")
    return sales_policy.load_policy(tmp_path / "policy.yaml")


def test_a_company_checks_its_own_samples(tmp_path: Path) -> None:
    """check_samples passes when every sample holds, and lists each that does not."""
    policy = _company(tmp_path)
    samples = tmp_path / "samples.yaml"
    samples.write_text(COMPANY_SAMPLES, encoding="utf-8")
    check_samples(policy, samples)
    check_samples(policy, str(samples))
    wrong = COMPANY_SAMPLES.replace("minutes_early: 30}", "minutes_early: 29}").replace(
        "late_and_early_grace_minutes: 10}", "late_and_early_grace_minutes: 9}"
    )
    samples.write_text(wrong, encoding="utf-8")
    with pytest.raises(AssertionError) as caught:
        check_samples(policy, samples)
    assert str(caught.value).splitlines() == [
        "2 of 2 sample(s) do not hold:",
        "  CO-LATE-AND-EARLY (violating): in late and out early: E1 2026-11-02: evidence "
        "{minutes_late: 10, minutes_early: 30}, expected {minutes_late: 10, minutes_early: 29}",
        "  CO-LATE-AND-EARLY (compliant): within the grace: expected no CO-LATE-AND-EARLY, got "
        "1: E1 2026-11-02 {minutes_late: 10, minutes_early: 30}",
    ]
    with pytest.raises(InvalidArgument, match=r"unknown rule 'CO-LATE-AND-EARLY'"):
        check_samples(POLICY, load_samples(samples))


AWAY_TWICE = """\
ruleset: attendance
samples:
  - rule: ATT-LEFT-POST
    name: away twice in one day
    kind: violating
    period: {start: 2026-11-02, end: 2026-11-02}
    records:
      - {type: punch, employee_id: E1, at: "2026-11-02T09:00:00+08:00", direction: in}
      - {type: punch, employee_id: E1, at: "2026-11-02T10:00:00+08:00", direction: out}
      - {type: punch, employee_id: E1, at: "2026-11-02T10:31:00+08:00", direction: in}
      - {type: punch, employee_id: E1, at: "2026-11-02T15:00:00+08:00", direction: out}
      - {type: punch, employee_id: E1, at: "2026-11-02T15:40:00+08:00", direction: in}
      - {type: punch, employee_id: E1, at: "2026-11-02T18:00:00+08:00", direction: out}
    expect:
      - {employee_id: E1, date: 2026-11-02, evidence: FIRST}
      - {employee_id: E1, date: 2026-11-02, evidence: SECOND}
"""


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("{minutes_away: 31}", "{minutes_away: 40}"),
        ("{minutes_away: 40}", "{minutes_away: 31}"),
        ("{}", "{minutes_away: 31}"),
        ("{}", "{minutes_away: 40}"),
    ],
)
def test_findings_of_one_day_are_told_apart_by_their_evidence_in_any_order(
    tmp_path: Path, first: str, second: str
) -> None:
    """Two absences from the post on one day, 10:00-10:31 (31 minutes) and 15:00-15:40 (40):
    the sample holds whichever order it lists them in, and whichever the one without
    evidence stands for."""
    path = tmp_path / "attendance.yaml"
    path.write_text(AWAY_TWICE.replace("FIRST", first).replace("SECOND", second), "utf-8")
    check_samples(POLICY, path)


def test_a_finding_of_one_day_expected_with_evidence_no_finding_has_is_named(
    tmp_path: Path,
) -> None:
    """Of the two findings of the day, the one left over is the one shown against the
    evidence that no finding has."""
    path = tmp_path / "attendance.yaml"
    text = AWAY_TWICE.replace("FIRST", "{minutes_away: 50}").replace("SECOND", "{minutes_away: 31}")
    path.write_text(text, "utf-8")
    with pytest.raises(AssertionError) as caught:
        check_samples(POLICY, path)
    assert (
        str(caught.value)
        .splitlines()[1]
        .endswith("evidence {minutes_away: 40}, expected {minutes_away: 50}")
    )


def test_a_sample_that_does_not_hold_says_so_as_its_file_writes_values() -> None:
    """The findings made and the rows rejected are said as a sample file writes them (an
    employee, a date, evidence in YAML's flow style), not as Python shows its objects."""
    late = {"type": "punch", "at": "2026-11-02T09:07:00+08:00", "direction": "in"}
    day = {"start": dt.date(2026, 11, 2), "end": dt.date(2026, 11, 2)}
    records = [{**late, "employee_id": e} for e in ("E1", "E2")]
    compliant = Sample("ATT-LATE", "two late", "compliant", records=records, **day)
    evidence = "{arrival: 2026-11-02T09:07:00+08:00, required_start: 2026-11-02T09:00:00+08:00, "
    assert sample_problem(POLICY, compliant) == (
        f"expected no ATT-LATE, got 2: E1 2026-11-02 {evidence}minutes_late: 7}}; "
        f"E2 2026-11-02 {evidence}minutes_late: 7}}"
    )
    expect = [{"employee_id": "E1", "date": dt.date(2026, 11, 2)}] * 3
    violating = Sample("ATT-LATE", "three", "violating", records=records, expect=expect, **day)
    assert sample_problem(POLICY, violating) == (
        f"expected 3 ATT-LATE findings, got 2: E1 2026-11-02 {evidence}minutes_late: 7}}; "
        f"E2 2026-11-02 {evidence}minutes_late: 7}}"
    )
    # two of E1 expected, one found: the second is named, not a KeyError for its evidence
    twice = [{"employee_id": "E1", "date": dt.date(2026, 11, 2)}] * 2
    more = Sample("ATT-LATE", "E1 twice", "violating", records=records, expect=twice, **day)
    assert sample_problem(POLICY, more) == (
        f"2 ATT-LATE findings expected for E1 2026-11-02, 1 found; got 2: E1 2026-11-02 "
        f"{evidence}minutes_late: 7}}; E2 2026-11-02 {evidence}minutes_late: 7}}"
    )
    shouted = {**late, "employee_id": "E1", "direction": "IN"}
    wrong = Sample("ATT-LATE", "bad", "compliant", records=[shouted, {"type": "punchy"}], **day)
    assert str(sample_problem(POLICY, wrong)).startswith(
        "rows rejected: line 1 (punch) direction: 'IN' is not one of: in, out; "
        "line 2 type: unknown record type 'punchy' (expected one of: employee, punch, "
    )


def test_a_merge_key_overriding_what_it_merges_is_no_key_given_twice(tmp_path: Path) -> None:
    """``<<: *alias`` then a key of the alias's mapping is YAML's way to reuse a record with
    one field changed: the mapping gives the key once, and its own value wins."""
    arrive = (
        '      - {type: punch, employee_id: E1, at: "2026-11-02T09:10:00+08:00", direction: in}'
    )
    leave = (
        '      - {type: punch, employee_id: E1, at: "2026-11-02T17:30:00+08:00", direction: out}'
    )
    merged = COMPANY_SAMPLES.replace(
        f"{arrive}\n{leave}\n",
        arrive.replace("- {", "- &in {")
        + '\n      - {<<: *in, at: "2026-11-02T17:30:00+08:00", direction: out}\n',
        1,
    )
    assert merged != COMPANY_SAMPLES
    path = tmp_path / "samples.yaml"
    path.write_text(merged, encoding="utf-8")
    first = load_samples(path)[0]
    assert first.records[1] == {
        "type": "punch",
        "employee_id": "E1",
        "at": "2026-11-02T17:30:00+08:00",
        "direction": "out",
    }
    check_samples(_company(tmp_path), path)


def _load_error(tmp_path: Path, old: str, new: str) -> tuple[Path, RuleFileError]:
    """The company's sample file with ``old`` replaced by ``new``, and what loading it
    raises."""
    assert old in COMPANY_SAMPLES
    path = tmp_path / "samples.yaml"
    path.write_text(COMPANY_SAMPLES.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_samples(path)
    return path, caught.value


@pytest.mark.parametrize(
    ("old", "new", "message", "line"),
    [
        ("    kind: compliant", "    kind: fine", "sample 2 (within the grace): kind must be", 14),
        (
            "    period: {start: 2026-11-02, end: 2026-11-02}\n    params",
            "    params",
            "period:",
            12,
        ),
        ("    expect:\n", "    expected:\n", "sample 1 (in late and out early): unknown key", 10),
        ("name: within the grace", "name: in late and out early", "is the name of another", 13),
        ("{employee_id: E1, date: 2026-11-02, ", "{employee_id: E1, ", "a date (day grain)", 11),
        # which kind is meant? the second is on line 15
        ("    kind: compliant", "    kind: compliant\n    kind: violating", "given twice", 15),
        # the unclosed [ of line 14 runs on to the ":" after "period" on line 15
        ("    kind: compliant", "    kind: [compliant", "not valid YAML", 15),
        # numbers YAML 1.1 reads otherwise than they show: 010 is octal 8, 1:30 is 90
        (
            "{late_and_early_grace_minutes: 10}",
            "{late_and_early_grace_minutes: 1:30}",
            "sample 2 (within the grace): params: late_and_early_grace_minutes: YAML reads "
            "1:30 as 90, in base 60",
            16,
        ),
        (
            "{late_and_early_grace_minutes: 10}",
            "{late_and_early_grace_minutes: 010}",
            "YAML reads 010 as the octal number 8: write 10 without the leading zero",
            16,
        ),
        ("minutes_early: 30}", "minutes_early: 030}", "YAML reads 030 as the octal number 24", 11),
    ],
)
def test_a_broken_sample_file_names_the_sample_its_line_and_what_is_wrong(
    tmp_path: Path, old: str, new: str, message: str, line: int
) -> None:
    """The line is that of the key the problem is about, the one the sample starts on where
    that key is missing (the second starts on line 12), or for YAML that does not parse,
    where the parser finds it wrong."""
    path, error = _load_error(tmp_path, old, new)
    assert error.path == str(path)
    assert message in error.message
    assert error.line == line


@pytest.mark.parametrize(
    ("old", "new", "message", "line"),
    [
        (
            "ruleset: company\n",
            "ruleset: company\njunk: 1\n",
            "unknown key 'junk' in a sample file (expected one of: ruleset, samples)",
            2,
        ),
        (
            "samples:\n",
            "sample:\n",
            "unknown key 'sample' in a sample file (did you mean 'samples'?)",
            2,
        ),
        (
            "ruleset: company\n",
            "ruleset: Company\n",
            "ruleset: must name the rule set the samples are of (a lower-case name like "
            "attendance), found 'Company'",
            1,
        ),
        (
            "ruleset: company\n",
            "samples_of: company\n",
            "unknown key 'samples_of' in a sample file (did you mean 'samples'?)",
            1,
        ),
        (
            COMPANY_SAMPLES,
            "ruleset: company\nsamples: 3\n",
            "samples: must be a list of samples, found a number",
            2,
        ),
    ],
)
def test_a_sample_file_has_ruleset_and_samples_and_nothing_else(
    tmp_path: Path, old: str, new: str, message: str, line: int
) -> None:
    """Its keys and ruleset: as it is written, at the line of the key; whether the rule set
    is the policy's is for the policy to say (below)."""
    path, error = _load_error(tmp_path, old, new)
    assert (error.path, error.line, error.message) == (
        str(path),
        line,
        message,
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "ruleset: company",
            "ruleset: compnay",
            ":1: ruleset 'compnay' is not a rule set of the policy (did you mean 'company'?)",
        ),
        (
            "ruleset: company",
            "ruleset: nonsense",
            ":1: ruleset 'nonsense' is not a rule set of the policy (expected one of: "
            "attendance, discipline, integrity, confidentiality, customer_care, assessment, "
            "company)",
        ),
        (
            "  - rule: CO-LATE-AND-EARLY\n    name: within",
            "  - rule: ATT-LATE\n    name: within",
            ":12: ATT-LATE (compliant): within the grace: ATT-LATE is a rule of rule set "
            "attendance, not of company (the file's ruleset:): its samples go in a sample "
            "file of attendance",
        ),
        (
            "    name: within the grace\n    kind: compliant\n",
            "    name: within the grace\n    kind: compliant\n    rule: CO-LATE-AND-EARLI\n",
            ":14: CO-LATE-AND-EARLI (compliant): within the grace: unknown rule "
            "'CO-LATE-AND-EARLI' (did you mean 'CO-LATE-AND-EARLY'?)",
        ),
    ],
)
def test_samples_of_a_rule_set_or_rule_the_policy_lacks_are_refused_at_their_line(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    """``check_samples``: InvalidArgument, as for a rule the policy lacks, at the line of
    ruleset: or of the sample's rule."""
    assert old in COMPANY_SAMPLES
    policy = _company(tmp_path)
    path = tmp_path / "samples.yaml"
    text = COMPANY_SAMPLES.replace(old, new, 1)
    if "rule: CO-LATE-AND-EARLI" in text:  # the key given once, after name and kind
        text = text.replace("  - rule: CO-LATE-AND-EARLY\n    name: within", "  - name: within")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidArgument) as caught:
        check_samples(policy, path)
    assert str(caught.value) == f"{path}{message}"


@pytest.mark.parametrize(
    ("period", "message", "line"),
    [
        # a period of no day cannot be judged: a malformed file, not a sample that fails
        (
            "{start: 2026-11-02,\n             end: 2026-11-01}",
            "period: end 2026-11-01 is before start 2026-11-02",
            16,
        ),
        (
            "{start: 2026-11-02, end: 2026-11-02, timezone: UTC}",
            "period: unknown key 'timezone' (expected one of: start, end)",
            15,
        ),
        (
            "{begin: 2026-11-02, end: 2026-11-02}",
            "period: unknown key 'begin' (expected one of: start, end)",
            15,
        ),
        ("{end: 2026-11-02}", "period must be {start: YYYY-MM-DD, end: YYYY-MM-DD}", 15),
    ],
)
def test_a_period_is_its_start_and_end_in_order(
    tmp_path: Path, period: str, message: str, line: int
) -> None:
    old = "    period: {start: 2026-11-02, end: 2026-11-02}\n    params"
    _, error = _load_error(tmp_path, old, f"    period: {period}\n    params")
    assert (error.line, error.message) == (
        line,
        f"sample 2 (within the grace): {message}",
    )


@pytest.mark.parametrize(
    ("old", "new", "message", "line"),
    [
        # as a period's start and end: a date is written unquoted, as YAML reads a date
        (
            "date: 2026-11-02, evidence",
            'date: "2026-11-02", evidence',
            "sample 1 (in late and out early): expect: date is written in quotes "
            "('2026-11-02'), which makes it text: a date is written without them (2026-11-02)",
            11,
        ),
        (
            "{start: 2026-11-02, end: 2026-11-02}\n    records",
            "{start: '2026-11-02', end: 2026-11-02}\n    records",
            "sample 1 (in late and out early): period: start is written in quotes "
            "('2026-11-02'), which makes it text: a date is written without them (2026-11-02)",
            6,
        ),
        (
            "date: 2026-11-02, evidence",
            "date: 2026-11-02T09:10:00, evidence",
            "sample 1 (in late and out early): expect: date must be a date (YYYY-MM-DD), found "
            "the date-time 2026-11-02T09:10:00",
            11,
        ),
        (
            "date: 2026-11-02, evidence",
            "date: 20261102, evidence",
            "sample 1 (in late and out early): expect: date must be a date (YYYY-MM-DD), "
            "found 20261102",
            11,
        ),
        # the evidence is compared with the finding's, whose dates are text (as in its JSON)
        (
            "evidence: {minutes_late: 10, minutes_early: 30}",
            "evidence: {minutes_late: 10,\n          arrival: 2026-11-02T09:10:00+08:00}",
            "sample 1 (in late and out early): expect: evidence arrival: "
            "2026-11-02T09:10:00+08:00 is read as a date, and a finding's evidence gives dates "
            "and date-times as text (as its JSON does): write it in quotes (arrival: "
            '"2026-11-02T09:10:00+08:00")',
            12,
        ),
        # a date that does not exist, as in a rule file: at its line and column
        (
            "date: 2026-11-02, evidence",
            "date: 2026-11-31, evidence",
            "'2026-11-31' is not a date (a text that looks like one needs quotes)",
            11,
        ),
    ],
)
def test_dates_are_written_as_the_file_reads_them(
    tmp_path: Path, old: str, new: str, message: str, line: int
) -> None:
    """A quoted date where a date is meant, or an unquoted one in evidence, would never
    match: an error when the file is read, saying how to write it."""
    _, error = _load_error(tmp_path, old, new)
    assert (error.line, error.message) == (line, message)


R1 = '{type: punch, employee_id: E1, at: "2026-11-02T09:10:00+08:00", direction: in}'
R2 = '{type: punch, employee_id: E1, at: "2026-11-02T17:30:00+08:00", direction: out}'


@pytest.mark.parametrize(
    ("old", "new", "message", "line"),
    [
        (
            "  - rule: CO-LATE-AND-EARLY\n    name: within",
            "  - rule: 5\n    name: within",
            "sample 2 (within the grace): rule must be a rule id like ATT-LATE, found 5",
            12,
        ),
        (
            "  - rule: CO-LATE-AND-EARLY\n    name: within",
            "  - rule: co-late\n    name: within",
            "sample 2 (within the grace): rule must be a rule id like ATT-LATE, found 'co-late'",
            12,
        ),
        (
            "name: within the grace",
            "name: 12",
            "sample 2: name must be a text that is not empty, found 12",
            13,
        ),
        (
            "name: within the grace",
            "name:",
            "sample 2: name must be a text that is not empty, found null",
            13,
        ),
        (
            f"    records:\n      - {R1}\n      - {R2}\n    expect",
            "    records: []\n    expect",
            "sample 1 (in late and out early): records must list at least one record",
            7,
        ),
        (
            f"      - {R1}\n",
            "      - punch\n",
            "sample 1 (in late and out early): records: record 1 must be a mapping of its "
            "fields, found text",
            8,
        ),
        (
            f"      - {R1}\n",
            f"      - {R1.replace('type: punch, ', '')}\n",
            "sample 1 (in late and out early): records: record 1 has no type",
            8,
        ),
        (
            f"      - {R1}\n",
            f"      - {R1.replace('type: punch', 'type: 1')}\n",
            "sample 1 (in late and out early): records: record 1: type must be a record "
            "type's name, found 1",
            8,
        ),
        (
            f"      - {R1}\n",
            f"      - {R1.replace('direction: in', 'direction: in, 2: x')}\n",
            "sample 1 (in late and out early): records: record 1: a field's name is text, found 2",
            8,
        ),
        (
            "params: {late_and_early_grace_minutes: 10}",
            "params: {1: 10}",
            "sample 2 (within the grace): params: a parameter's name is text, found 1",
            16,
        ),
        (
            "params: {late_and_early_grace_minutes: 10}",
            "params: [late_and_early_grace_minutes]",
            "sample 2 (within the grace): params must be a mapping of parameters to values, "
            "found a list",
            16,
        ),
        (
            "      - {employee_id: E1, date: 2026-11-02, evidence: {minutes_late: 10, "
            "minutes_early: 30}}",
            "      - E1",
            "sample 1 (in late and out early): expect: finding 1 must be a mapping, found text",
            11,
        ),
        (
            "{employee_id: E1, date",
            "{employee_id: 1, date",
            "sample 1 (in late and out early): expect: employee_id must be a text that is not "
            "empty, found 1 (an id of digits is written in quotes)",
            11,
        ),
        (
            "date: 2026-11-02, evidence",
            "period: 2026-13, evidence",
            "sample 1 (in late and out early): expect: period must be a month written YYYY-MM, "
            "found '2026-13'",
            11,
        ),
        (
            "evidence: {minutes_late: 10, minutes_early: 30}",
            "evidence: [minutes_late, minutes_early]",
            "sample 1 (in late and out early): expect: evidence must be a mapping of evidence "
            "names to values, found a list",
            11,
        ),
    ],
)
def test_each_part_of_a_sample_has_its_type(
    tmp_path: Path, old: str, new: str, message: str, line: int
) -> None:
    """A value of the wrong type was turned into text (rule: 5, name: 12), could never
    match (employee_id: 1, period: 2026-13), or was compared as it was (an evidence list);
    an empty list of records judged nothing.  Each is an error at its line."""
    _, error = _load_error(tmp_path, old, new)
    assert (error.line, error.message) == (line, message)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "params: {late_and_early_grace_minutes: 10}",
            "params: {late_and_early_grace_minute: 10}",
            ":16: CO-LATE-AND-EARLY (compliant): within the grace: params: unknown parameter "
            "'late_and_early_grace_minute' (did you mean 'late_and_early_grace_minutes'?)",
        ),
        (
            "params: {late_and_early_grace_minutes: 10}",
            "params: {late_and_early_grace_minutes: 61}",
            ":16: CO-LATE-AND-EARLY (compliant): within the grace: params: "
            "late_and_early_grace_minutes must be at most 60, found 61 (range 0..60)",
        ),
        (
            "date: 2026-11-02, evidence",
            "period: 2026-11, evidence",
            ":11: CO-LATE-AND-EARLY (violating): in late and out early: expect: "
            "CO-LATE-AND-EARLY finds per day: a finding expected has a date, not a period",
        ),
        (
            "evidence: {minutes_late: 10, minutes_early: 30}",
            "evidence: {minutes_late: 10,\n                   minutes_erly: 30}",
            ":12: CO-LATE-AND-EARLY (violating): in late and out early: expect: evidence "
            "'minutes_erly' is not evidence of CO-LATE-AND-EARLY (did you mean 'minutes_early'?)",
        ),
        (
            "evidence: {minutes_late: 10, minutes_early: 30}",
            'evidence: {minutes_late: "10", minutes_early: 30}',
            ":11: CO-LATE-AND-EARLY (violating): in late and out early: expect: evidence "
            "minutes_late is a whole number (int), found text '10' (a number in quotes is text: "
            "write it without them)",
        ),
        (
            "evidence: {minutes_late: 10, minutes_early: 30}",
            "evidence: {minutes_late: 10,\n                   minutes_early: yes}",
            ":12: CO-LATE-AND-EARLY (violating): in late and out early: expect: evidence "
            "minutes_early is a whole number (int), found true/false true",
        ),
    ],
)
def test_a_sample_setting_what_its_rule_has_not_is_refused_at_its_line(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    """A parameter the policy lacks or a value it cannot take, a finding of the other grain,
    evidence the rule does not give or of another type than it gives: the sample could never
    hold as written.  It failed (or, for the evidence, reported the name '<absent>', or
    "evidence {minutes_late: 10}, expected {minutes_late: 10}" for a "10" in quotes);
    check_samples now raises InvalidArgument at the line."""
    assert old in COMPANY_SAMPLES
    policy = _company(tmp_path)
    path = tmp_path / "samples.yaml"
    path.write_text(COMPANY_SAMPLES.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InvalidArgument) as caught:
        check_samples(policy, path)
    assert str(caught.value) == f"{path}{message}"


def test_the_handbooks_samples_are_usable_under_its_policy() -> None:
    """Their rule sets, rules, parameters, grains and evidence names are the policy's."""
    for path in sorted(SAMPLE_DIR.glob("*.yaml")):
        assert unusable(POLICY, read_sample_file(path)) is None, path


def _laughs(levels: int) -> str:
    """An expected finding's evidence of ``levels`` lists of ten aliases of the one before:
    ten to the power ``levels`` values once the aliases are expanded, in a few lines."""
    lists = ["&l0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    lists += [f"&l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, levels)]
    return "{" + ", ".join(f"a{i}: {text}" for i, text in enumerate(lists)) + "}"


@pytest.mark.parametrize(
    ("evidence", "message", "line"),
    [
        # a list holding itself: it never ends
        ("&me [1, *me]", "an alias refers to a list or mapping that holds it", 11),
        # a "billion laughs": fine as written, a hundred million values expanded
        (_laughs(8), "aliases expand the file to more than 1000000 values", 11),
        # deeper than a rule file may be, and than Python's recursion allows
        ("[" * 900 + "]" * 900, "nested too deeply (more than 100 levels", 11),
        ("&d0 [[[[[[[[[[1]]]]]]]]]]", None, 0),  # ten levels, as written
        # tags, as in a rule file: only what YAML reads plain
        ("!!binary aGVsbG8=", "tags are not allowed (found tag:yaml.org,2002:binary)", 11),
        ("!!set {a, b}", "tags are not allowed (found tag:yaml.org,2002:set)", 11),
        (
            "!!python/tuple [1, 2]",
            "tags are not allowed (found tag:yaml.org,2002:python/tuple)",
            11,
        ),
    ],
)
def test_a_sample_file_is_refused_where_it_nests_or_expands_beyond_bounds(
    tmp_path: Path, evidence: str, message: str | None, line: int
) -> None:
    """Aliases share records between samples (``&name``, ``*name``, ``<<: *name``), but
    one that holds itself, or that expands the file past what a file of 1 MB can hold, is
    an error at its line; so is nesting deeper than 100 levels, as in a rule file."""
    old = "evidence: {minutes_late: 10, minutes_early: 30}}"
    new = f"evidence: {{minutes_late: {evidence}, minutes_early: 30}}}}"
    if message is None:
        path = tmp_path / "samples.yaml"
        path.write_text(COMPANY_SAMPLES.replace(old, new, 1), encoding="utf-8")
        assert load_samples(path)[0].expect[0]["evidence"]["minutes_late"] == [[[[[[[[[[1]]]]]]]]]]
        return
    path, error = _load_error(tmp_path, old, new)
    assert (error.path, error.line) == (str(path), line)
    assert message in error.message


def test_a_sample_file_of_other_bytes_than_utf8_or_over_1mb_is_refused(tmp_path: Path) -> None:
    """As a rule file: a byte that is not UTF-8 is named at its line and column."""
    path = tmp_path / "samples.yaml"
    path.write_bytes(COMPANY_SAMPLES.replace("in late and", "in late \xe9nd").encode("latin-1"))
    with pytest.raises(RuleFileError) as caught:
        load_samples(path)
    assert (caught.value.line, caught.value.column) == (4, 19)
    assert caught.value.message == "not UTF-8 text (byte 0xE9)"
    path.write_text(COMPANY_SAMPLES + "#" * 1_000_000 + "\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match="file is larger than 1000000 bytes"):
        load_samples(path)
