"""What scoring says about an employee's numbers, in English and Chinese
(sales_policy.scorenotes): why an indicator cannot be computed, what bars a reward, and the
notes.  A Chinese-speaking sales manager read "no trip: grade B is below A" in English only.

Each form's Chinese is derived by hand from its English and the vocabulary of the reports
(员工, 净销售额, 等级, 提成, 奖金, 旅游奖励; severities 提示, 轻微, 较重, 严重; a finding a
发现, as the rule files call it, since an info finding is no 违规; the rule sets by their
titles).  Scoring is driven through cases that make every form the module has: each
note it makes has Chinese, not its English, and a form added without being driven here fails
the count of forms."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from sales_records import order, target
from test_scoring import KPI_WITHOUT_SALES, POLICY, company_policy, employee, gift, survey

import sales_policy
from sales_policy import score, scorenotes
from sales_policy.findings import Note

SOURCE = Path(scorenotes.__file__)
TITLES = {"integrity": "诚信经营", "confidentiality": "保密与客户信息保护"}
#: each form, English and Chinese, worked out by hand
FORMS: list[tuple[Note, str, str]] = [
    (
        scorenotes.no_records(),
        "no sales, target, survey or training record",
        "没有销售、目标、问卷或培训记录",
    ),
    (
        scorenotes.no_target("sales", ["2026-11", "2026-12"]),
        "no sales target for 2026-11, 2026-12",
        "2026-11、2026-12 没有销售目标",
    ),
    (
        scorenotes.no_target("customers", ["2026-11"]),
        "no new-customer target for 2026-11",
        "2026-11 没有新开发客户目标",
    ),
    (scorenotes.zero_target("sales", ["2026-11"], True), "the sales target is 0", "销售目标为 0"),
    (
        scorenotes.zero_target("customers", ["2026-11", "2026-12"], False),
        "the new-customer target is 0 for 2026-11, 2026-12",
        "2026-11、2026-12 的新开发客户目标为 0",
    ),
    (scorenotes.no_survey(), "no satisfaction survey", "没有满意度问卷"),
    (
        scorenotes.no_previous_sales("2026-10", "2026-10"),
        "no net sales in the previous period, 2026-10: the growth rate is undefined",
        "上一期 2026-10 没有净销售额",
    ),
    (
        scorenotes.no_previous_sales("2026-07", "2026-09"),
        "no net sales in the previous period, 2026-07 to 2026-09: the growth rate is undefined",
        "上一期 2026-07 至 2026-09 没有净销售额",
    ),
    (scorenotes.no_training_due(), "no required training due", "没有到期的必修培训"),
    (
        scorenotes.not_computed("sales", scorenotes.no_target("sales", ["2026-11"])),
        "sales not computed (no sales target for 2026-11)",
        "销售额指标无法计算（2026-11 没有销售目标）",
    ),
    (scorenotes.below_grade("B", "A"), "grade B is below A", "等级 B 低于 A"),
    (
        scorenotes.findings_of(2, "major", "integrity", "诚信经营"),
        "2 major integrity finding(s)",
        "诚信经营的较重级发现 2 条",
    ),
    (
        scorenotes.findings_of(1, "info", "integrity", "诚信经营"),  # a company's blocker
        "1 info integrity finding(s)",
        "诚信经营的提示级发现 1 条",
    ),
    (
        scorenotes.findings_of(1, "critical", "gifts", "gifts"),  # a rule set without a title
        "1 critical gifts finding(s)",
        "gifts的严重级发现 1 条",
    ),
    (scorenotes.left_on(dt.date(2026, 11, 20)), "left on 2026-11-20", "已于 2026-11-20 离职"),
    (
        scorenotes.weight_shared(
            "growth",
            scorenotes.no_previous_sales("2026-10", "2026-10"),
            0.1,
            ["sales", "customers", "satisfaction"],
        ),
        "growth not computed (no net sales in the previous period, 2026-10: the growth rate is"
        " undefined); its weight 0.1 is shared among sales, customers, satisfaction in"
        " proportion to their weights",
        "销售增长率指标无法计算（上一期 2026-10 没有净销售额）；其权重 0.1"
        " 按权重比例分给销售额、新开发客户、客户满意度",
    ),
    (
        scorenotes.weight_shared("satisfaction", scorenotes.no_survey(), 0.2, ["sales"]),
        "satisfaction not computed (no satisfaction survey); its weight 0.2 goes to sales whole",
        "客户满意度指标无法计算（没有满意度问卷）；其权重 0.2 全部计入销售额",
    ),
    (
        scorenotes.no_kpi_required(
            [scorenotes.not_computed("sales", scorenotes.no_target("sales", ["2026-11"]))]
        ),
        "no KPI score, so no overall score, grade, rank, bonus or trip: sales not computed (no"
        " sales target for 2026-11), and the KPI requires it",
        "没有 KPI 得分，因此没有总分、等级、排名、奖金或旅游奖励：销售额指标无法计算（2026-11"
        " 没有销售目标），而 KPI 需要该指标",
    ),
    (
        scorenotes.no_kpi_required(
            [
                scorenotes.not_computed("sales", scorenotes.no_records()),
                scorenotes.not_computed("satisfaction", scorenotes.no_survey()),
            ]
        ),
        "no KPI score, so no overall score, grade, rank, bonus or trip: sales not computed (no"
        " sales, target, survey or training record); satisfaction not computed (no satisfaction"
        " survey), and the KPI requires them",
        "没有 KPI 得分，因此没有总分、等级、排名、奖金或旅游奖励：销售额指标无法计算（没有销售、"
        "目标、问卷或培训记录）；客户满意度指标无法计算（没有满意度问卷），而 KPI 需要这些指标",
    ),
    (
        scorenotes.no_kpi(
            [("satisfaction", scorenotes.no_survey()), ("training", scorenotes.no_training_due())]
        ),
        "no KPI score, so no overall score, grade, rank, bonus or trip (satisfaction: no"
        " satisfaction survey; training: no required training due)",
        "没有 KPI 得分，因此没有总分、等级、排名、奖金或旅游奖励（客户满意度：没有满意度问卷；"
        "按期培训：没有到期的必修培训）",
    ),
    (
        scorenotes.no_commission("sales"),
        "no commission: no sales achievement",
        "没有提成：没有销售额完成率",
    ),
    (
        scorenotes.nothing_checked(["integrity", "confidentiality", "gifts"], TITLES),
        "no records of integrity, confidentiality, gifts: a conduct score of 100 there means"
        " nothing was found, not that anything was checked",
        "没有诚信经营、保密与客户信息保护、gifts的记录：这些方面的行为分 100 只表示没有任何"
        "发现，并不表示做过检查",
    ),
    (
        scorenotes.nothing_checked(["confidentiality"], TITLES),
        "no records of confidentiality: a conduct score of 100 there means nothing was found,"
        " not that anything was checked",
        "没有保密与客户信息保护的记录：该方面的行为分 100 只表示没有任何发现，并不表示做过检查",
    ),
    (
        scorenotes.no_bonus(
            [
                scorenotes.below_grade("C", "B"),
                scorenotes.findings_of(1, "major", "integrity", "诚信经营"),
            ]
        ),
        "no bonus: grade C is below B; 1 major integrity finding(s)",
        "没有奖金：等级 C 低于 B；诚信经营的较重级发现 1 条",
    ),
    (
        scorenotes.no_trip([scorenotes.left_on(dt.date(2026, 11, 20))]),
        "no trip: left on 2026-11-20",
        "没有旅游奖励：已于 2026-11-20 离职",
    ),
]


@pytest.mark.parametrize(("note", "en", "zh"), FORMS, ids=[en for _, en, _ in FORMS])
def test_each_form_says_in_chinese_what_it_says_in_english(note: Note, en: str, zh: str) -> None:
    """The note is its English text (what the scores' JSON and CSV keep), with its Chinese."""
    assert (note, note.en, note.zh) == (en, en, zh)
    assert isinstance(note, str) and str(note) == en


def _kinds_in_source() -> set[str]:
    """Every ``kind=`` the module gives a note: one per form."""
    return {
        keyword.value.value
        for node in ast.walk(ast.parse(SOURCE.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call)
        for keyword in node.keywords
        if keyword.arg == "kind" and isinstance(keyword.value, ast.Constant)
    }


def test_the_hand_made_forms_cover_every_kind() -> None:
    assert {note.kind for note, _, _ in FORMS} == _kinds_in_source()


#: team T, November 2026 (the shipped section): E1 sold 50,000 of 100,000 with a
#: new-customer target of 0, no survey, no October sales and no training due; E2 sold with
#: no target; E3 has an employee record only; E4 sold 120,000 of 100,000, took a gift (a
#: major integrity finding) and left on 2026-11-20
TEAM: list[dict[str, Any]] = [
    *(employee(who, "T") for who in ("E1", "E2", "E3")),
    {**employee("E4", "T"), "left_on": "2026-11-20"},
    target("E1", 100000, 0),
    order("O1", "E1", "K1", "2026-11-03", 50000),
    order("O2", "E2", "K2", "2026-11-03", 30000),
    target("E4", 100000, 0),
    order("O4", "E4", "K4", "2026-11-03", 120000),
    gift("G4", "E4"),
]
#: under a company's section without sales in the KPI: F1 sold with no target and has one
#: survey of 5 out of 5; F2 sold with no target and has no survey
COMPANY: list[dict[str, Any]] = [
    *(employee(who, "C") for who in ("F1", "F2")),
    order("P1", "F1", "K5", "2026-11-03", 30000),
    survey("S1", "F1", "2026-11-06", 5),
    order("P2", "F2", "K6", "2026-11-03", 30000),
]


@pytest.fixture(scope="module")
def driven(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Note], dict[str, Any]]:
    """Every note made while scoring TEAM and COMPANY (a recording ``Note`` in the module),
    and the employees' scores."""
    made: list[Note] = []

    class Recorded(Note):
        def __new__(cls, en: str, zh: str, *, kind: str) -> Recorded:
            note = super().__new__(cls, en, zh, kind=kind)
            made.append(note)
            return note

    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(scorenotes, "Note", Recorded)
    try:
        company = company_policy(tmp_path_factory.mktemp("company"), KPI_WITHOUT_SALES)
        rows = {
            row.employee_id: row
            for scores in (score(POLICY, TEAM, "2026-11"), score(company, COMPANY, "2026-11"))
            for row in scores
        }
    finally:
        monkeypatch.undo()
    return made, rows


def test_scoring_makes_every_form_and_each_has_its_chinese(
    driven: tuple[list[Note], dict[str, Any]],
) -> None:
    """Driven through the cases, scoring makes every form of the module (a form added there
    must be driven here), each in Chinese: not its English, and no English word left in it
    but KPI (a rule set's title and an indicator are said in Chinese)."""
    made, rows = driven
    assert {note.kind for note in made} == _kinds_in_source()
    for note in made:
        assert note.zh != note.en and re.search(r"[\u4e00-\u9fff]", note.zh), note
        assert not re.findall(r"[A-Za-z]{2,}", note.zh.replace("KPI", "")), note.zh
        # a finding is a 发现, as the rule files call it: an info finding is no 违规
        assert "违规" not in note.zh, note.zh
    # what a score holds is what the module made: the notes and the indicators' reasons
    said = [*(n for row in rows.values() for n in row.notes)]
    said += [i.reason for row in rows.values() for i in row.indicators if i.reason is not None]
    assert said and all(isinstance(note, Note) for note in said)


def _zh(notes: tuple[Note, ...], start: str) -> list[str]:
    return [note.zh for note in notes if note.startswith(start)]


def test_the_notes_of_the_cases_in_chinese(driven: tuple[list[Note], dict[str, Any]]) -> None:
    """Worked by hand.  E1: only sales computed (0.5 of 1: KPI 50, overall .7 x 50 + .3 x 100
    = 65, grade C), its weight is the others'; E2 and E3 have no KPI score; E4 (KPI 120,
    grade A) has neither reward, for the gift, and no trip for leaving too.  F1 has a KPI of
    satisfaction alone but no sales achievement, so no commission and no reward; F2 has no
    indicator at all."""
    _, rows = driven
    e1, e2, e3, e4, f1, f2 = (rows[who] for who in ("E1", "E2", "E3", "E4", "F1", "F2"))
    assert (e1.kpi_score, e1.overall, e1.grade, e4.grade) == (50.0, 65.0, "C", "A")
    assert [i.reason.zh for i in e1.indicators if i.reason is not None] == [
        "新开发客户目标为 0",
        "没有满意度问卷",
        "上一期 2026-10 没有净销售额",
        "没有到期的必修培训",
    ]
    assert _zh(e1.notes, "customers not computed") == [
        "新开发客户指标无法计算（新开发客户目标为 0）；其权重 0.2 全部计入销售额"
    ]
    assert _zh(e1.notes, "no bonus") == ["没有奖金：等级 C 低于 B"]
    assert _zh(e1.notes, "no trip") == ["没有旅游奖励：等级 C 低于 A"]
    assert _zh(e2.notes, "no KPI") == [
        "没有 KPI 得分，因此没有总分、等级、排名、奖金或旅游奖励：销售额指标无法计算（2026-11"
        " 没有销售目标），而 KPI 需要该指标"
    ]
    assert _zh(e3.notes, "no KPI") == [
        "没有 KPI 得分，因此没有总分、等级、排名、奖金或旅游奖励：销售额指标无法计算（没有销售、"
        "目标、问卷或培训记录），而 KPI 需要该指标"
    ]
    assert _zh(e4.notes, "no bonus") == ["没有奖金：诚信经营的较重级发现 1 条"]
    assert _zh(e4.notes, "no trip") == [
        "没有旅游奖励：诚信经营的较重级发现 1 条；已于 2026-11-20 离职"
    ]
    assert _zh(f1.notes, "no commission") == ["没有提成：没有销售额完成率"]
    assert _zh(f1.notes, "no bonus") == ["没有奖金：销售额指标无法计算（2026-11 没有销售目标）"]
    assert _zh(f2.notes, "no KPI") == [
        "没有 KPI 得分，因此没有总分、等级、排名、奖金或旅游奖励（销售额：2026-11 没有销售目标；"
        "新开发客户：2026-11 没有新开发客户目标；客户满意度：没有满意度问卷；销售增长率："
        "上一期 2026-10 没有净销售额）"
    ]
    # the English stays the data: the JSON form of a score holds the English notes
    assert e4.to_dict()["notes"] == [str(note) for note in e4.notes]
    assert "no trip: 1 major integrity finding(s); left on 2026-11-20" in e4.to_dict()["notes"]


def _blocks(tree: ast.AST) -> list[list[ast.stmt]]:
    """Every block of statements of a module (a body, an ``else``, a handler's)."""
    return [
        block
        for node in ast.walk(tree)
        for name in ("body", "orelse", "finalbody")
        if isinstance(block := getattr(node, name, None), list)
        and block
        and isinstance(block[0], ast.stmt)
    ]


@pytest.mark.parametrize("module", ["scoring", "indicators"])
def test_scoring_writes_no_text_but_its_errors(module: str) -> None:
    """The texts of a score are made in scorenotes, each beside its Chinese: the modules that
    score write no text of their own (no f-string, no sentence) but the message of an error
    they raise (in a block that ends by raising it)."""
    path = SOURCE.with_name(f"{module}.py")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    erring = {
        id(node)
        for block in _blocks(tree)
        if isinstance(block[-1], ast.Raise)
        for statement in block
        for node in ast.walk(statement)
    }
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    texts = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        or (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and re.search(r"[A-Za-z]+ [A-Za-z]+", node.value)
        )
    ]
    inside_fstrings = {
        id(part) for node in texts if isinstance(node, ast.JoinedStr) for part in ast.walk(node)
    }
    written = [
        f"{path.name}:{node.lineno}"
        for node in texts
        if id(node) not in erring | docstrings
        and (isinstance(node, ast.JoinedStr) or id(node) not in inside_fstrings)
    ]
    assert not written, f"text written outside scorenotes: {written}"


def test_scores_are_public_and_pickle_with_their_chinese() -> None:
    """A note of a score is a ``sales_policy.Note``, copied and pickled with its Chinese."""
    import copy
    import pickle

    note = scorenotes.no_trip([scorenotes.below_grade("B", "A")])
    assert isinstance(note, sales_policy.Note)
    for again in (copy.deepcopy(note), pickle.loads(pickle.dumps(note))):
        assert (again, again.zh, again.kind) == (note, note.zh, note.kind)


def test_docs_name_every_kind_a_score_holds(driven: tuple[list[Note], dict[str, Any]]) -> None:
    """docs/assessment.md ("Notes in Chinese") names the kinds of the notes and reasons a
    score holds: those the cases give (the parts a note joins are no note of their own)."""
    _, rows = driven
    held = {note.kind for row in rows.values() for note in row.notes}
    held |= {i.reason.kind for row in rows.values() for i in row.indicators if i.reason}
    page = (SOURCE.parents[2] / "docs" / "assessment.md").read_text(encoding="utf-8")
    text = page.split("### Notes in Chinese", 1)[1].split("\n### ", 1)[0]
    named = set(re.findall(r"^\| `(\w+)` \|", text, flags=re.MULTILINE))
    named |= set(re.findall(r"`(\w+)`\s+\(", text))
    assert named == held
