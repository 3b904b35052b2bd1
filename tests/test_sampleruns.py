"""``sales-policy test``: a policy's samples run from the command line, what failed and why,
what was skipped, and which rules in force lack a violating or a compliant sample.

The company rule and its samples are those of tests/test_samples.py; the expected outcomes
follow from the rule's condition (``minutes_late > grace and minutes_early > grace``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_samples import COMPANY_RULES, COMPANY_SAMPLES

import sales_policy
from sales_policy.cli import main
from sales_policy.policy import default_rule_dir
from sales_policy.sampleruns import run_samples, sample_files

#: the violating sample alone (no compliant one): 10 min late, 30 min early
VIOLATING_ONLY = COMPANY_SAMPLES.split("  - rule: CO-LATE-AND-EARLY\n    name: within")[0]


def _company(tmp_path: Path, policy: str = "") -> Path:
    (tmp_path / "ours.yaml").write_text(COMPANY_RULES, encoding="utf-8")
    path = tmp_path / "policy.yaml"
    path.write_text("rule_files: [ours.yaml]\n" + policy, encoding="utf-8")
    return path


def _samples(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "samples"
    folder.mkdir(exist_ok=True)
    path = folder / "company.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_sample_holding_and_every_rule_covered_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = _company(tmp_path)
    samples = _samples(tmp_path, COMPANY_SAMPLES)
    assert main(["test", "--policy", str(policy), str(samples), "--require-samples", "-v"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{samples}: 2 sample(s): 2 passed",
        "  ok    CO-LATE-AND-EARLY (violating): in late and out early (line 3)",
        "  ok    CO-LATE-AND-EARLY (compliant): within the grace (line 12)",
        "",
        "samples: 2 in 1 file(s): 2 passed, 0 failed, 0 changed, 0 skipped",
        "coverage: 1 of 1 rule(s) in force have a violating and a compliant sample",
    ]


def test_sample_files_named_relative_to_the_working_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``test samples/company.yaml`` from the policy's folder, and a shipped rule set's
    sample file by a relative path: read as by their absolute paths."""
    _company(tmp_path)
    _samples(tmp_path, COMPANY_SAMPLES)
    monkeypatch.chdir(tmp_path)
    assert main(["test", "--policy", "policy.yaml", "samples/company.yaml"]) == 0
    assert capsys.readouterr().out.splitlines()[-2:] == [
        "samples: 2 in 1 file(s): 2 passed, 0 failed, 0 changed, 0 skipped",
        "coverage: 1 of 1 rule(s) in force have a violating and a compliant sample",
    ]
    # the shortest of them: any reads by a relative path the same way, and each one's samples
    # are run in tests/test_samples.py (the first, attendance's, is the longest)
    shipped = min(sample_files(sales_policy.load_policy(), [])[0], key=lambda p: p.stat().st_size)
    monkeypatch.chdir(shipped.parent)
    assert main(["test", shipped.name]) == 0
    assert f"{shipped.name}: " in capsys.readouterr().out


def test_a_tuned_threshold_shows_the_sample_it_breaks_and_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A grace of 10 minutes: 10 minutes late is no longer late, so the violating sample
    makes no finding; the parameter changed is named above the results.  The company's own
    sample fails: it was written for the company's policy."""
    policy = _company(tmp_path, "params: {late_and_early_grace_minutes: 10}\n")
    samples = _samples(tmp_path, VIOLATING_ONLY)
    assert main(["test", "--policy", str(policy), str(tmp_path / "samples")]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "where the policy departs from the defaults: late_and_early_grace_minutes 0 -> 10",
        "",
        f"{samples}: 1 sample(s): 1 failed",
        "  FAIL  CO-LATE-AND-EARLY (violating): in late and out early (line 3)",
        "        expected 1 CO-LATE-AND-EARLY finding, got none",
        "",
        "samples: 1 in 1 file(s): 0 passed, 1 failed, 0 changed, 0 skipped",
        "coverage: 0 of 1 rule(s) in force have a violating and a compliant sample",
        "  CO-LATE-AND-EARLY: no compliant sample",
    ]


def test_an_uncovered_rule_fails_only_when_samples_are_required(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = _company(tmp_path)
    samples = _samples(tmp_path, VIOLATING_ONLY)
    assert main(["test", "--policy", str(policy), str(samples)]) == 0
    assert main(["test", "--policy", str(policy), str(samples), "--require-samples"]) == 1
    assert "CO-LATE-AND-EARLY: no compliant sample" in capsys.readouterr().out


def test_json_gives_each_outcome_the_counts_and_the_coverage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = _company(tmp_path, "params: {late_and_early_grace_minutes: 10}\n")
    samples = _samples(tmp_path, COMPANY_SAMPLES)
    assert main(["test", "--policy", str(policy), str(samples), "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["counts"] == {
        "samples": 2,
        "passed": 1,
        "failed": 1,
        "changed": 0,
        "skipped": 0,
    }
    assert [(s["kind"], s["line"], s["status"]) for s in document["samples"]] == [
        ("violating", 3, "failed"),
        ("compliant", 12, "passed"),
    ]
    assert document["samples"][0]["problem"] == ("expected 1 CO-LATE-AND-EARLY finding, got none")
    assert document["params_changed"] == [
        {"name": "late_and_early_grace_minutes", "default": 0, "value": 10}
    ]
    assert document["changes"] == ["late_and_early_grace_minutes 0 -> 10"]
    assert document["coverage"] == {"rules": 1, "covered": 1, "uncovered": []}


def test_samples_of_a_disabled_rule_are_skipped_and_not_counted_for_coverage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = _company(tmp_path, "disable: [CO-LATE-AND-EARLY]\n")
    samples = _samples(tmp_path, COMPANY_SAMPLES)
    assert main(["test", "--policy", str(policy), str(samples), "--require-samples"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == ["where the policy departs from the defaults: disables CO-LATE-AND-EARLY", ""]
    assert out[3:5] == [
        "  skip  CO-LATE-AND-EARLY (violating): in late and out early (line 3)",
        "        the policy disables CO-LATE-AND-EARLY",
    ]
    assert out[-2:] == [
        "samples: 2 in 1 file(s): 0 passed, 0 failed, 0 changed, 2 skipped",
        "coverage: 0 of 0 rule(s) in force have a violating and a compliant sample",
    ]


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("unknown rule set", ":1: ruleset 'company' is not a rule set of the policy"),
        ("unknown rule", ":3: CO-LATE-AND-EARLY (violating): in late and out early: unknown rule"),
        ("missing file", "cannot read the file"),
        ("empty folder", "the folder holds no sample file"),
    ],
)
def test_unusable_samples_exit_2_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], given: str, message: str
) -> None:
    samples = _samples(tmp_path, COMPANY_SAMPLES)
    argv = ["test", str(samples)]  # the handbook's policy has no rule set company
    if given == "unknown rule":  # nor CO- rules
        samples.write_text(COMPANY_SAMPLES.replace("company", "attendance"), encoding="utf-8")
    elif given == "missing file":
        samples = tmp_path / "nowhere.yaml"
        argv = ["test", "--policy", str(_company(tmp_path)), str(samples)]
    elif given == "empty folder":
        samples = tmp_path / "empty"
        samples.mkdir()
        argv = ["test", "--policy", str(_company(tmp_path)), str(samples)]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"sales-policy: error: {samples}") and message in err, err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            COMPANY_SAMPLES.replace("ruleset: company", "ruleset: nonsense\njunk: 1"),
            ":2: unknown key 'junk' in a sample file (expected one of: ruleset, samples)",
        ),
        (
            COMPANY_SAMPLES.replace("ruleset: company", "ruleset: nonsense"),
            ":1: ruleset 'nonsense' is not a rule set of the policy (expected one of: "
            "attendance, discipline, integrity, confidentiality, customer_care, assessment, "
            "company)",
        ),
        # an empty file's rule set is checked too
        (
            "ruleset: compnay\nsamples: []\n",
            ":1: ruleset 'compnay' is not a rule set of the policy (did you mean 'company'?)",
        ),
        # samples/company.yaml beside ours.yaml is the place of rule set company
        (
            "ruleset: attendance\nsamples: []\n",
            ":1: ruleset 'attendance': this is the sample file of rule set company "
            "(samples/<rule set>.yaml beside its rule file)",
        ),
        # ... with its own samples: the ruleset: is at fault, not each sample of company's
        (
            COMPANY_SAMPLES.replace("ruleset: company", "ruleset: attendance"),
            ":1: ruleset 'attendance': this is the sample file of rule set company "
            "(samples/<rule set>.yaml beside its rule file)",
        ),
        (
            COMPANY_SAMPLES.replace(
                "rule: CO-LATE-AND-EARLY\n    name: within", "rule: ATT-LATE\n    name: within"
            ),
            ":12: ATT-LATE (compliant): within the grace: ATT-LATE is a rule of rule set "
            "attendance, not of company (the file's ruleset:): its samples go in a sample "
            "file of attendance",
        ),
    ],
)
def test_a_sample_file_of_another_rule_set_exits_2_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    """Its ruleset: is one of the policy's, the one whose place it is in, and each of its
    samples is of a rule of that rule set; else it could never be checked as written."""
    policy = _company(tmp_path)
    samples = _samples(tmp_path, text)
    for argv in (["test", str(samples)], ["test"]):  # named, or found beside ours.yaml
        assert main([*argv, "--policy", str(policy)]) == 2
        assert capsys.readouterr().err == f"sales-policy: error: {samples}{message}\n"


def test_a_period_ending_before_it_starts_exits_2_not_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Such a sample could never hold: it is unusable input, not a sample that failed."""
    policy = _company(tmp_path)
    text = COMPANY_SAMPLES.replace(
        "{start: 2026-11-02, end: 2026-11-02}", "{start: 2026-11-05, end: 2026-11-02}", 1
    )
    samples = _samples(tmp_path, text)
    assert main(["test", "--policy", str(policy), str(samples)]) == 2
    assert capsys.readouterr().err == (
        f"sales-policy: error: {samples}:6: sample 1 (in late and out early): period: end "
        "2026-11-02 is before start 2026-11-05\n"
    )


def test_a_quoted_date_expected_exits_2_saying_how_to_write_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It failed as a sample (exit status 1), the date expected and the date found shown
    alike; it is a malformed file."""
    policy = _company(tmp_path)
    text = COMPANY_SAMPLES.replace("date: 2026-11-02, evidence", 'date: "2026-11-02", evidence')
    samples = _samples(tmp_path, text)
    assert main(["test", "--policy", str(policy), str(samples)]) == 2
    assert capsys.readouterr().err == (
        f"sales-policy: error: {samples}:11: sample 1 (in late and out early): expect: date is "
        "written in quotes ('2026-11-02'), which makes it text: a date is written without them "
        "(2026-11-02)\n"
    )


def test_a_parameter_the_policy_lacks_exits_2_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """It failed as a sample (exit status 1): it could never hold, whatever the rule made."""
    policy = _company(tmp_path)
    text = COMPANY_SAMPLES.replace("{late_and_early_grace_minutes: 10}", "{grace_minutes: 10}")
    samples = _samples(tmp_path, text)
    assert main(["test", "--policy", str(policy), str(samples)]) == 2
    assert capsys.readouterr().err == (
        f"sales-policy: error: {samples}:16: CO-LATE-AND-EARLY (compliant): within the grace: "
        "params: unknown parameter 'grace_minutes' (did you mean 'late_grace_minutes'?)\n"
    )


def test_with_no_file_named_each_rule_sets_samples_are_found_beside_its_rule_file(
    tmp_path: Path,
) -> None:
    """The handbook's rule sets have theirs in rules/samples/; the company's rule file
    ours.yaml declares rule set ``company``, whose samples go to samples/company.yaml beside
    it.  Absent, every rule of the rule set counts as uncovered."""
    policy = sales_policy.load_policy(_company(tmp_path))
    names = ["attendance", "discipline", "integrity", "confidentiality", "customer_care"]
    names.append("assessment")
    builtin = [default_rule_dir() / "samples" / f"{name}.yaml" for name in names]
    assert sample_files(policy, []) == (builtin, [tmp_path / "samples" / "company.yaml"])
    run = run_samples(policy, [], [tmp_path / "samples" / "company.yaml"])
    assert run.outcomes == []
    assert run.uncovered == [("CO-LATE-AND-EARLY", ["violating", "compliant"])]
    samples = _samples(tmp_path, COMPANY_SAMPLES)
    assert sample_files(policy, []) == ([*builtin, samples], [])


def test_a_handbook_sample_the_policys_parameters_change_is_not_a_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ATT-LATE's handbook samples under a grace of 5 minutes: one second after nine is no
    longer late (it holds with the handbook's grace of 0, so the policy changed it); on
    time, 20 minutes late after a morning's leave, and 10 minutes late within the sample's
    own grace of 10 still hold.  Only ATT-LATE's samples run (--rule)."""
    policy = tmp_path / "policy.yaml"
    policy.write_text("params: {late_grace_minutes: 5}\n", encoding="utf-8")
    argv = ["test", "--policy", str(policy), "--rule", "ATT-LATE", "--format", "json"]
    assert main(argv) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["files"] == [str(default_rule_dir() / "samples" / "attendance.yaml")]
    assert document["counts"] == {
        "samples": 4,
        "passed": 3,
        "failed": 0,
        "changed": 1,
        "skipped": 0,
    }
    changed = [s for s in document["samples"] if s["status"] == "changed"]
    assert [(s["kind"], s["name"]) for s in changed] == [
        ("violating", "one second after nine is one minute late")
    ]
    assert changed[0]["problem"] == (
        "holds under the handbook's policy, not under this one "
        "(expected 1 ATT-LATE finding, got none)"
    )
    assert document["coverage"] == {"rules": 1, "covered": 1, "uncovered": []}
    assert main(["test", "--rule", "ATT-LAT"]) == 2
    assert "unknown rule 'ATT-LAT' (did you mean 'ATT-LATE'?)" in capsys.readouterr().err


def test_a_rule_named_with_rule_is_counted_for_coverage_though_no_sample_of_it_ran(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A policy owner asks for the samples of rules none of the files given has: they are
    uncovered (and --require-samples fails), not left out of a coverage of 0 of 0.  The
    absent sample file of a rule set not asked for is not listed."""
    policy = _company(tmp_path)
    argv = ["test", "--policy", str(policy), "--rule", "ATT-LATE", "--require-samples"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "company.yaml" not in out and "coverage: 1 of 1 rule(s) in force" in out
    _samples(tmp_path, COMPANY_SAMPLES)
    argv = [*argv, "--rule", "ATT-ABSENT", str(tmp_path / "samples")]
    assert main(argv) == 1
    assert capsys.readouterr().out.splitlines()[-3:] == [
        "coverage: 0 of 2 rule(s) in force have a violating and a compliant sample",
        "  ATT-LATE: no violating and no compliant sample",
        "  ATT-ABSENT: no violating and no compliant sample",
    ]


def test_an_empty_sample_file_of_a_rule_set_leaves_its_rules_uncovered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As an absent one does: an empty samples/company.yaml covers nothing, named or found
    beside the rule file.  (Found, with --rule: the handbook's samples, which
    tests/test_samples.py runs, would change neither the status nor that line.)"""
    policy = _company(tmp_path)
    samples = _samples(tmp_path, "ruleset: company\nsamples: []\n")
    for argv in (["test", str(samples)], ["test", "--rule", "CO-LATE-AND-EARLY"]):
        assert main([*argv, "--policy", str(policy), "--require-samples"]) == 1
        assert "  CO-LATE-AND-EARLY: no violating and no compliant sample" in (
            capsys.readouterr().out.splitlines()
        )


@pytest.mark.parametrize(
    ("policy", "rule", "counts", "changes"),
    [
        # from 08:30, nine is 30 minutes late: a finding where the compliant sample has none;
        # one second after nine, and 13:20 after a morning's leave (required from 08:30 to
        # 09:00), are serious, not ATT-LATE; 09:10 within the sample's own grace of 10 is
        # serious too, so still no ATT-LATE: it holds
        (
            'schedule: {start: "08:30", end: "18:00"}',
            "ATT-LATE",
            {"passed": 1, "changed": 3},
            ["working hours 09:00-18:00 -> 08:30-18:00"],
        ),
        # a day starting at 04:00 moves no punch of ATT-MISSING-PUNCH's four samples (none is
        # before 04:00): all hold, and the change is named
        (
            'schedule: {day_start: "04:00"}',
            "ATT-MISSING-PUNCH",
            {"passed": 4, "changed": 0},
            ["day start 00:00 -> 04:00"],
        ),
        # DIS-REPEATED-LATE counts ATT-LATE's findings: with none, its two violating samples
        # find nothing, and its three compliant ones hold
        ("disable: [ATT-LATE]", "DIS-REPEATED-LATE", {"passed": 3, "changed": 2}, []),
        # a year the policy vouches for (2030) changes no day of November 2026
        (
            "calendar: {supplied_years: [2030]}",
            "ATT-LATE",
            {"passed": 4, "changed": 0},
            ["the calendar (its country, holidays, working days or years supplied)"],
        ),
    ],
)
def test_a_handbook_sample_the_policys_schedule_or_disabling_changes_is_not_a_failure(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    policy: str,
    rule: str,
    counts: dict[str, int],
    changes: list[str],
) -> None:
    """A company working 08:30 to 18:00, or without ATT-LATE, still runs the handbook's
    samples in its CI: those its own policy changes are shown as changed, judged again under
    the handbook's policy, where they hold."""
    path = tmp_path / "policy.yaml"
    path.write_text(policy + "\n", encoding="utf-8")
    assert main(["test", "--policy", str(path), "--rule", rule, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert {k: document["counts"][k] for k in counts} == counts
    assert document["counts"]["failed"] == 0
    disabled = ["disables ATT-LATE"] if "disable" in policy else []
    assert document["changes"] == [*changes, *disabled]


def test_a_rule_named_without_samples_in_the_files_given_is_uncovered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ATT-LATE asked for, and only the company's samples given: no sample runs, the rule is
    uncovered, and the lines say so without an empty section between them."""
    policy = _company(tmp_path, "params: {late_and_early_grace_minutes: 10}\n")
    samples = _samples(tmp_path, COMPANY_SAMPLES)
    argv = ["test", "--policy", str(policy), "--rule", "ATT-LATE", str(samples)]
    assert main([*argv, "--require-samples"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "where the policy departs from the defaults: late_and_early_grace_minutes 0 -> 10",
        "",
        "samples: 0 in 0 file(s): 0 passed, 0 failed, 0 changed, 0 skipped",
        "coverage: 0 of 1 rule(s) in force have a violating and a compliant sample",
        "  ATT-LATE: no violating and no compliant sample",
    ]
