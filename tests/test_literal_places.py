"""A number in a condition compared with a fact kept to fewer decimal places is an error at
its place in the rule file (docs/rule-files.md, "Numbers and their decimal places"):
``satisfaction < 59.995`` had found a mean of 59.996, kept as 59.99, below it, and
``minutes_late > 5.5`` an arrival five minutes and a second late, counted as 6 minutes."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sales_records import survey

from sales_policy import RuleFileError, load_policy


def _company(tmp_path: Path, facts: str, when: str, params: str = "") -> tuple[Path, int, str]:
    """A policy adding one company rule over ``facts``; the number of the line its condition
    is on, and that line."""
    line = f"    when: {when}"
    text = (
        "ruleset: company\n"
        "title: {zh: 公司规定, en: Company rules}\n"
        f"facts: {facts}\n"
        f"{params}"
        "rules:\n"
        "  - id: CO-X\n"
        "    title: {zh: 公司规则, en: A company rule}\n"
        '    clauses: ["9.1"]\n'
        "    severity: minor\n"
        f"{line}\n"
        "    message: {zh: 违规, en: breach}\n"
    )
    (tmp_path / "company.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "policy.yaml").write_text("rule_files: [company.yaml]\n", encoding="utf-8")
    return tmp_path / "policy.yaml", text.splitlines().index(line) + 1, line


#: a float parameter of 3 places, declared in the company's file
_THREE_PLACES = (
    "params:\n  our_minimum:\n    type: float\n    default: 60\n    places: 3\n"
    "    doc: {zh: 下限, en: A minimum}\n"
)


@pytest.mark.parametrize(
    ("facts", "when", "at", "message"),
    [
        (
            "assessment_month",
            "surveys > 0 and satisfaction < 59.995",
            "59.995",
            "59.995 has 3 decimal places, but satisfaction is kept to 2 decimal places: "
            "write 59.99 or 60, whichever is meant",
        ),
        (
            "workday",
            "scheduled and minutes_late > 5.5",
            "5.5",
            "5.5 has 1 decimal place, but minutes_late is a whole number: write 5 or 6",
        ),
        ("gift", "value_cny > 499.99979", "499.99979", "write 499.9997 or 499.9998"),
        ("market_report_month", "employed_share >= 0.47619", "0.47619", "0.4761 or 0.4762"),
        ("sales_order", "amount >= 9999.99995", "9999.99995", "write 9999.9999 or 10000,"),
        # on either side, negative, inside abs, min and coalesce, in a chain or a list
        ("assessment_month", "-59.995 > -satisfaction", "-59.995", "write -60 or -59.99,"),
        ("assessment_month", "abs(net_sales) == 0.00001", "0.00001", "write 0 or 0.0001,"),
        ("assessment_month", "min(satisfaction, 100) < 60.005", "60.005", "is kept to 2"),
        ("assessment_month", "coalesce(satisfaction, 0) < 1e-3", "1e-3", "write 0 or 0.01,"),
        ("assessment_month", "59.99 < satisfaction < 60.001", "60.001", "write 60 or 60.01,"),
        ("assessment_month", "satisfaction in [60, 59.995]", "59.995", "write 59.99 or 60,"),
        ("workday", "minutes_late + minutes_early > 10.5", "10.5", "is a whole number"),
        # a parameter declared with places, or a whole number
        ("assessment_month", "min_satisfaction > 59.995", "59.995", "min_satisfaction is kept"),
        ("workday", "late_grace_minutes >= 2.5", "2.5", "late_grace_minutes is a whole number"),
        # a parameter of more places than the fact it is compared with
        (
            "assessment_month",
            "satisfaction < our_minimum",
            "our_minimum",
            "parameter 'our_minimum' may have 3 decimal places (its places:), but "
            "satisfaction, which it is compared with, is kept to 2 decimal places: declare "
            "places: 2",
        ),
    ],
)
def test_a_number_of_more_places_than_its_fact_is_an_error_at_its_place(
    tmp_path: Path, facts: str, when: str, at: str, message: str
) -> None:
    policy, number, line = _company(tmp_path, facts, when, _THREE_PLACES)
    with pytest.raises(RuleFileError) as caught:
        load_policy(policy)
    error = caught.value
    assert (error.path, error.line, error.column) == (
        str(tmp_path / "company.yaml"),
        number,
        line.index(at) + 1,
    )
    assert message in str(error)


@pytest.mark.parametrize(
    ("facts", "when"),
    [
        ("assessment_month", "surveys > 0 and satisfaction < 59.99"),
        ("assessment_month", "satisfaction <= 60.0"),  # 60.0 has no decimal place
        ("assessment_month", "sales_achievement < 0.99995"),  # a ratio, not rounded
        ("assessment_month", "satisfaction / 3 < 19.99667"),  # a quotient: any places
        ("assessment_month", "satisfaction * 1.5 > 89.985"),  # 2 + 1 places
        ("assessment_month", "surveys > 0 and 1.25 > 0.125"),  # numbers with each other
        ("assessment_month", "satisfaction < min_satisfaction"),  # both kept to 2
        ("workday", "minutes_late / 60 > 1.5"),
        ("quote", "discount_pct > 12.345"),  # a figure as given
        ("sales_order", "amount >= 9999.9999"),
    ],
)
def test_a_number_within_the_places_of_what_it_is_compared_with_is_accepted(
    tmp_path: Path, facts: str, when: str
) -> None:
    policy, _, _ = _company(tmp_path, facts, when, _THREE_PLACES)
    assert load_policy(policy).rule("CO-X").when == when


def test_a_literal_of_the_places_kept_compares_exactly(tmp_path: Path) -> None:
    """``satisfaction < 59.99``: a mean of 59.995 (kept as 59.99) is not below it, one of
    59.985 (kept as 59.98) is."""
    policy, _, _ = _company(tmp_path, "assessment_month", "surveys > 0 and satisfaction < 59.99")

    company = load_policy(policy)
    november = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
    found = [
        [f.rule_id for f in company.check([survey(score)], *november, rulesets=["company"])]
        for score in ("59.995", "59.985")
    ]
    assert found == [[], ["CO-X"]]


def test_the_command_line_says_where_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sales_policy.cli import main

    policy, number, line = _company(tmp_path, "assessment_month", "satisfaction < 59.995")
    assert main(["rules", "--policy", str(policy)]) == 2
    err = capsys.readouterr().err
    column = line.index("59.995") + 1
    assert f"{tmp_path / 'company.yaml'}:{number}:{column}: rule CO-X: 59.995 has" in err
    assert "Traceback" not in err


def test_docs_list_every_fact_kept_to_places() -> None:
    """docs/rule-files.md's table of facts kept to decimal places names each table's columns
    with the places their schema declares."""
    from sales_policy.facts.schema import FACT_TABLES

    text = (Path(__file__).resolve().parents[1] / "docs" / "rule-files.md").read_text("utf-8")
    section = text.split("### Numbers and their decimal places")[1].split("\n\n")[2]
    listed: dict[tuple[str, str], int] = {}
    for row in section.splitlines()[2:]:
        kept, facts = row.strip("|").split("|")
        if not kept.strip()[0].isdigit():
            continue
        number = re.match(r"\s*(\d+)", kept)
        assert number is not None
        places = int(number[1])
        # "`a` and `b` (`t1`, `t2`), `c` (`t3`)": each name before a parenthesis in its tables
        for names, tables in re.findall(r"([^()]+)\(([^()]+)\)", facts):
            for table in re.findall(r"`(\w+)`", tables):
                for name in re.findall(r"`(\w+)`", names):
                    listed[(table, name)] = places
    declared = {
        (table.name, column): places
        for table in FACT_TABLES.values()
        for column, places in table.condition_places().items()
    }
    assert listed == declared


#: a float parameter without places:, declared in the company's file
_ANY_PLACES = (
    "params:\n  our_minimum:\n    type: float\n    default: 60\n    min: 0\n    max: 100\n"
    "    doc: {zh: 下限, en: A minimum}\n"
)


@pytest.mark.parametrize(
    ("facts", "when", "places", "refused", "accepted"),
    [
        ("assessment_month", "surveys > 0 and satisfaction < our_minimum", 2, 59.995, 59.99),
        ("workday", "minutes_late > our_minimum", 0, 5.5, 5.0),
        # the fewest of the facts it is compared with
        ("assessment_month", "net_sales > our_minimum or satisfaction < our_minimum", 2, 1.005, 1),
    ],
)
def test_a_float_parameter_without_places_takes_those_of_the_fact_it_is_compared_with(
    tmp_path: Path, facts: str, when: str, places: int, refused: float, accepted: float
) -> None:
    """A company's minimum compared with satisfaction (kept to 2 decimal places) may no more
    be set to 59.995 than ``min_satisfaction`` may: the policy file's line, ``with_params``."""
    from sales_policy import InvalidArgument, PolicyError

    policy, _, _ = _company(tmp_path, facts, when, _ANY_PLACES)
    company = load_policy(policy)
    assert company.declared_params()["our_minimum"].places == places
    assert company.with_params(our_minimum=accepted).params["our_minimum"] == accepted
    with pytest.raises(InvalidArgument, match=f"but what it is compared with is kept to {places}"):
        company.with_params(our_minimum=refused)
    setting = tmp_path / "setting.yaml"
    setting.write_text(
        f"rule_files: [company.yaml]\nparams:\n  our_minimum: {refused}\n", encoding="utf-8"
    )
    with pytest.raises(PolicyError) as caught:
        load_policy(setting)
    assert (caught.value.path, caught.value.line) == (str(setting), 3)


def test_a_float_parameter_compared_with_no_kept_fact_keeps_any_places(tmp_path: Path) -> None:
    when = "sales_achievement < our_minimum"  # a ratio, not rounded
    policy, _, _ = _company(tmp_path, "assessment_month", when, _ANY_PLACES)
    company = load_policy(policy)
    assert company.declared_params()["our_minimum"].places is None
    assert company.with_params(our_minimum=0.99995).params["our_minimum"] == 0.99995


def test_a_default_of_more_places_than_the_fact_is_an_error_at_its_line(tmp_path: Path) -> None:
    params = _ANY_PLACES.replace("default: 60\n", "default: 60.001\n")
    policy, _, _ = _company(tmp_path, "assessment_month", "satisfaction < our_minimum", params)
    with pytest.raises(RuleFileError) as caught:
        load_policy(policy)
    text = (tmp_path / "company.yaml").read_text(encoding="utf-8")
    assert caught.value.line == text.splitlines().index("    default: 60.001") + 1
    assert "default 60.001 has 3 decimal places, but satisfaction, which a rule compares it " in (
        str(caught.value)
    )


def test_a_parameter_of_an_earlier_rule_file_without_places_is_an_error(tmp_path: Path) -> None:
    """satisfaction_target (the handbook's, without places:) compared with satisfaction: a
    policy could set it to 89.995, and the company's file cannot declare its places."""
    when = "surveys > 0 and satisfaction < satisfaction_target"
    policy, number, line = _company(tmp_path, "assessment_month", when)
    with pytest.raises(RuleFileError) as caught:
        load_policy(policy)
    assert (caught.value.line, caught.value.column) == (number, line.index("satisfaction_t") + 1)
    assert "parameter 'satisfaction_target' may have any number of decimal places" in str(
        caught.value
    )
