"""One employee's breakdown (sales_policy.scoreexplain, ``score --explain EMPLOYEE``) in
Chinese with ``--lang zh``: a Chinese-speaking sales manager could read the score table in
Chinese but not why an employee got no bonus or trip.  The Chinese breakdown has every line
of the English one, with the same figures; English stays the default."""

from __future__ import annotations

import glob
import itertools
import re

import pytest
from conftest import ROOT
from sales_records import order, target
from test_scoring import POLICY

from sales_policy import load_policy, score
from sales_policy.cli import main
from sales_policy.scoreexplain import explain_score
from sales_policy.scores import Scores

#: the bundled example: the attendance month with the same team's sales (README's third command)
FILES = sorted(glob.glob(str(ROOT / "examples" / "november-2026*" / "*.csv")))
EMPLOYEES = [f"S00{n}" for n in range(1, 9)]
#: a figure as the breakdown writes one: 36,000.00, 0.6000, -5, 10%, 2026-11-24, 0.8
NUMBER = re.compile(r"-?\d+(?:[,.:-]\d+)*%?")


@pytest.fixture(scope="module")
def example() -> Scores:
    return score(load_policy(), FILES, "2026-11")


def figures(line: str) -> list[str]:
    """The figures of a line, in text order; rule, order and customer ids and files are no
    figures (``SO-2611-0068``, ``C-1029``, ``orders.csv:69``)."""
    line = re.sub(r"\S+\.csv:\d+|\b[A-Z]+(?:-[A-Z0-9]+)+\b|\bS\d{3}\b", " ", line)
    return sorted(NUMBER.findall(line))


@pytest.mark.parametrize("employee", EMPLOYEES)
def test_the_chinese_breakdown_has_the_english_lines_and_figures(
    example: Scores, employee: str
) -> None:
    """Line by line, the Chinese has the figures of the English (a line may say them in
    another order: 第 3 名 of 4, 培训 1 项，按期完成 1 项), and no English word but the
    ids, the rule ids, the files, KPI and the currency."""
    breakdown = example.breakdown(employee)
    english = explain_score(breakdown).splitlines()
    chinese = explain_score(breakdown, lang="zh").splitlines()
    assert explain_score(breakdown, lang="en").splitlines() == english
    assert len(chinese) == len(english)
    for en, zh in zip(english, chinese, strict=True):
        assert figures(zh) == figures(en), (en, zh)
    left = re.sub(
        r"\S+\.csv:\d+|\b[A-Z]+(?:-[A-Z0-9]+)+\b|\bS\d{3}\b|KPI|CNY", "", "\n".join(chinese)
    )
    assert not re.findall(r"[A-Za-z]{2,}", left)


def test_the_breakdown_of_s008_in_chinese(example: Scores) -> None:
    """S008 黄婷, hired on 2026-11-16 (examples/november-2026-sales/README.md): 36,000 sold
    (21,000 + 15,000) of a target of 60,000 is 0.6, in the tier 'below' (0 to 0.8, rate 0):
    a commission of 0.00.  No October sales: growth is not computed, its weight 0.1 shared
    among sales, customers and satisfaction.  KPI 100 x (.5 x .6 + .2 x 1 + .2 x 80/90) / .9
    = 75.31, overall .7 x 75.31 + .3 x 97.17 = 81.87, grade B; her e-mail of customer
    contacts to an exhibition organiser (CONF-EXTERNAL-SHARE, major) bars the bonus and the
    trip, and grade B the trip."""
    lines = explain_score(example.breakdown("S008"), lang="zh").splitlines()
    assert lines[0] == "S008  团队 华东二组  2026-11  金额单位 CNY"
    assert lines[2] == "总分 81.87 = 0.7 × KPI 75.31 + 0.3 × 平均行为分 97.17"
    assert lines[3].startswith("等级 B（A >= 90、B >= 75、C >= 60、D >= 0）；团队 4 人中排名第 ")
    assert "KPI 75.31：完成率上限 1.2；须能计算销售额指标" in lines
    assert ("  销售增长率    无法计算：上一期 2026-10 没有净销售额；权重 0.1") in lines
    [sales] = [line for line in lines if line.startswith("  销售额 ")]
    assert sales.split() == ["销售额", "36,000.00", "60,000.00", "0.6000", "0.5", "0.556", "33.33"]
    assert "提成 0.00 = 0 × 净销售额（未达档：销售额完成率 0 至 0.8）" in lines
    assert lines[-3:] == [
        "说明：销售增长率指标无法计算（上一期 2026-10 没有净销售额）；其权重 0.1 按权重比例"
        "分给销售额、新开发客户、客户满意度",
        "说明：没有奖金：保密与客户信息保护的较重级发现 1 条",
        "说明：没有旅游奖励：等级 B 低于 A；保密与客户信息保护的较重级发现 1 条",
    ]
    # a finding is a 发现, as the rule files call it: an info finding (提示) is no 违规
    assert "行为分：100 减去每条发现的扣分（提示 0、轻微 2、较重 5、严重 20），最低为 0" in lines
    [integrity] = [line for line in lines if line.startswith("  诚信经营 ")]
    assert integrity.split() == ["诚信经营", "100.00", "无发现"]
    [conduct] = [line for line in lines if "CONF-EXTERNAL-SHARE" in line]
    assert conduct.split()[:2] == ["保密与客户信息保护", "95.00"]
    assert conduct.endswith("CONF-EXTERNAL-SHARE 较重 1 条 -5（2026-11-24）")
    assert (
        "奖金 不符合条件（等级 B 及以上，销售额指标可计算，无严重级发现，无诚信经营或保密与"
        "客户信息保护的较重及以上级发现）"
    ) in lines
    assert (
        "旅游 不符合条件（等级 A 及以上，销售额指标可计算，无严重级发现，无诚信经营或保密与"
        "客户信息保护的较重及以上级发现，在职至考核期最后一天；名额为团队前 10%，按排名依次给予"
        "符合以上条件者）"
    ) in lines
    orders = [line.split() for line in lines if "orders.csv" in line]
    assert [row[3:6] for row in orders] == [
        ["已下单", "21,000.00", "CNY"],
        ["已下单", "15,000.00", "CNY"],
    ]


def test_a_place_gone_to_those_ranked_above_is_said_in_chinese() -> None:
    """P and Q meet every target with grade A and no finding; their group's one trip place
    goes to P, ranked first (test_scoretext): Q's trip line says why Q has none."""
    records = [
        target("P", "100000"),
        order("P-1", "P", "KP", "2026-11-03", "110000"),
        target("Q", "100000"),
        order("Q-1", "Q", "KQ", "2026-11-03", "100000"),
    ]
    text = explain_score(score(POLICY, records, "2026-11").breakdown("Q"), lang="zh")
    [trip] = [line for line in text.splitlines() if line.startswith("旅游")]
    assert trip.startswith("旅游 不符合条件（等级 A 及以上")
    assert trip.endswith("）：符合以上条件，但团队的 1 个名额已由排名在前者获得")


def test_the_command_explains_in_chinese_with_lang_zh(
    capsys: pytest.CaptureFixture[str], example: Scores
) -> None:
    """``--lang zh`` gives the breakdown in Chinese, the default in English; its json keeps
    the English notes, as data."""
    argv = ["score", *FILES, "--period", "2026-11", "--explain", "S008"]
    assert main([*argv, "--lang", "zh"]) == 0
    chinese = capsys.readouterr().out
    assert chinese == explain_score(example.breakdown("S008"), lang="zh")
    assert "说明：没有奖金：保密与客户信息保护的较重级发现 1 条\n" in chinese
    assert main(argv) == 0
    assert capsys.readouterr().out.startswith("S008  team 华东二组  2026-11  amounts in CNY\n")
    assert main([*argv, "--lang", "zh", "--format", "json"]) == 0
    assert "no bonus: 1 major confidentiality finding(s)" in capsys.readouterr().out


def test_the_help_says_lang_gives_the_breakdown_in_chinese(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["score", "--help"])
    said = " ".join(capsys.readouterr().out.split())
    assert (
        "--lang {en,zh} language of the score table, of the --explain breakdown with its "
        "notes, and of the notes said on standard error (json and csv keep English data)"
    ) in said
    assert "is in English" not in said


def test_the_breakdown_names_a_company_rule_set_without_a_title_as_it_is(
    example: Scores,
) -> None:
    """Without the rule sets' titles (a breakdown made by hand), each is named as it is."""
    import dataclasses

    breakdown = dataclasses.replace(example.breakdown("S008"), ruleset_titles={})
    text = explain_score(breakdown, lang="zh")
    assert "\n  confidentiality   95.00  CONF-EXTERNAL-SHARE 较重 1 条 -5（2026-11-24）\n" in text


def test_the_breakdown_without_a_kpi_has_no_empty_lines_for_the_overall_score() -> None:
    """An employee without a KPI score has no overall score or grade: the breakdown goes from
    its first line to the KPI's after one empty line, not two (the lines of the overall
    score and the grade left out, their empty line was not); and a month's surveys are
    counted as its customers are, ``surveys 1``, not ``1 surveys``."""
    survey = {"type": "satisfaction_survey", "record_id": "V1", "customer_id": "K1",
              "employee_id": "R", "at": "2026-11-05T10:00:00+08:00", "score": 4}  # fmt: skip
    scores = score(POLICY, [survey], "2026-11")  # no sales target: no KPI score
    for lang in ("en", "zh"):
        lines = explain_score(scores.breakdown("R"), lang=lang).splitlines()
        assert lines[1] == "" and lines[2].startswith("KPI -"), lines[:3]
        assert all(a or b for a, b in itertools.pairwise(lines)), lines
    [month] = [
        line for line in explain_score(scores.breakdown("R")).splitlines() if "2026-11:" in line
    ]
    assert "; surveys 1, satisfaction 80.00;" in month
