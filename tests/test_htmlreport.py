"""The HTML and Markdown reports: content, day classes, caps, escaping, self-containment, CLI."""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import json
import pickle
import re
import unicodedata
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from sales_policy import InvalidArgument, Scores, load_policy, score
from sales_policy.cli import main
from sales_policy.findings import CheckResult
from sales_policy.htmlreport import html_page, render_html
from sales_policy.mdreport import markdown_page, md, render_markdown
from sales_policy.reportcontent import Limits, build_report, day_codes
from sales_policy.termtext import HIDDEN, one_line

MONTH_DIR = Path(__file__).resolve().parents[1] / "examples" / "november-2026"
MONTH = [str(p) for p in sorted(MONTH_DIR.glob("*.csv"))]
NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
SCRIPT_NAME = "<script>alert(1)</script>"
FORMULA_TEAM = '=HYPERLINK("http://evil.example","x")'
EVIL_ID = "</script><script>alert(2)</script>"
EVIL_DESTINATION = "<img src=x onerror=alert(3)>@rival.example"
EVIL_DIR = "<svg onload=alert(4)>"


def page_data(page: str) -> dict[str, Any]:
    """The JSON block the page's script draws from."""
    match = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page)
    assert match is not None
    data: dict[str, Any] = json.loads(match.group(1))
    return data


@pytest.fixture(scope="module")
def month() -> CheckResult:
    return load_policy().check(MONTH, *NOVEMBER)


def hostile_inputs(folder: Path) -> list[str]:
    """Inputs whose every user-provided text is markup or a formula, in a folder named so too."""
    folder = folder / EVIL_DIR
    folder.mkdir()
    (folder / "employees.csv").write_text(
        "employee_id,name,team\n"
        f'E1,{SCRIPT_NAME},"{FORMULA_TEAM.replace(chr(34), chr(34) * 2)}"\n'
        f"{EVIL_ID},& \"quoted\" 'x',=1+2\n",
        encoding="utf-8",
    )
    punches = ["employee_id,at,direction"]
    for employee in ("E1", EVIL_ID):
        punches += [
            f"{employee},2026-11-02T09:25:00+08:00,in",
            f"{employee},2026-11-02T18:05:00+08:00,out",
        ]
    (folder / "punches.csv").write_text("\n".join(punches) + "\n", encoding="utf-8")
    access = {
        "type": "data_access",
        "record_id": "A<1>",
        "employee_id": "E1",
        "at": "2026-11-02T10:00:00+08:00",
        "customer_id": "C1",
        "data_class": "customer",
        "action": "email",
        "record_count": 20,
        "destination": EVIL_DESTINATION,
        "destination_kind": "competitor",
        "approved": True,
    }
    (folder / "access.jsonl").write_text(json.dumps(access) + "\n", encoding="utf-8")
    return [str(folder / n) for n in ("employees.csv", "punches.csv", "access.jsonl")]


#: ids that look like "S001" but are not, as the page and Markdown show them; and "S001"
HIDDEN_IDS = {
    "S001\u200b": "S001\\u200b",  # a zero-width space
    "S\u202e100": "S\\u202e100",  # turns the rest of the text right to left
    "E\x1b[2J1": "E\\x1b[2J1",  # a terminal's order to clear the screen
    "E1\n2": "E1\\x0a2",
}
HIDDEN_NAME = "<b>王伟</b>\ufeff"


def hidden_inputs(folder: Path) -> list[str]:
    """Employees whose ids hold characters not seen as themselves, beside one whose id does
    not, a name that is markup with a byte-order mark at its end, and a rejected cell with
    ESC in it."""
    employees = folder / "employees.csv"
    rows = [f'"{employee_id}",Ann,T1' for employee_id in HIDDEN_IDS]
    employees.write_text(
        "\n".join(["employee_id,name,team", *rows, f"S001,{HIDDEN_NAME},华东一组"]) + "\n",
        encoding="utf-8",
    )
    punches = folder / "punches.csv"
    punches.write_text(
        "employee_id,at,direction\nS001,2026-11-02T09:25:00+08:00,in\nS001,\x1b[31mred,out\n",
        encoding="utf-8",
    )
    return [str(employees), str(punches)]


def test_the_page_carries_totals_rules_employees_and_clauses(month: CheckResult) -> None:
    """Counts, findings by severity, rule set and rule, every employee with a name, and the
    text of every clause cited."""
    page = render_html(month, employees=month.employees)
    data = page_data(page)
    assert data["counts"] == [385, 385, 0, 34]
    assert sum(data["severityCounts"]) == 34
    assert sum(n for _, n, _ in data["ruleCounts"]) == 34
    assert [r[2] for r in data["rulesets"]] == [32, 2]  # attendance, discipline
    rows = {e[0]: e for e in data["employees"]}
    assert set(rows) == {f"S00{i}" for i in range(1, 9)}
    assert rows["S001"][1] == "王伟" and rows["S001"][2] == "华东一组"
    assert rows["S001"][5] == sum(rows["S001"][4]) == 4
    shown = sum(len(g[2]) for e in data["employees"] for g in e[7])
    assert shown == 34
    assert set(data["cited"]) == {"1.2", "4.3", "8.1"}
    assert data["clauses"]["8.1"][3].startswith("Keep strictly to the company's working hours")
    late = next(g for g in rows["S001"][7] if data["rules"][g[0]][0] == "ATT-LATE")
    when, message_zh, message_en, evidence, sources = late[2][0]
    assert when == "2026-11-04" and [["迟到分钟", "minutes_late"], ["8", "8"]] in evidence
    assert message_zh.startswith("迟到 8 分钟") and message_en.startswith("8 min late")
    assert data["files"][sources[0][0]].endswith("punches.csv") and sources[0][1] == 36


def test_day_classes_come_from_the_workday_facts_and_the_findings(month: CheckResult) -> None:
    """A rest day, a late day, an absence, leave and an early leave land on their dates; days
    before an employee is hired have no data."""
    codes = day_codes(month)
    s001 = codes["S001"]
    assert len(s001) == 30
    assert s001[0] == "R"  # Sunday 1 November
    assert s001[3] == "L"  # ATT-LATE on the 4th
    assert s001[12] == "A"  # ATT-ABSENT on the 13th
    assert s001[18] == "E"  # ATT-EARLY on the 19th
    assert s001[17] == "V"  # approved leave on the 18th
    assert codes["S008"][1:6] == "-----"  # hired during the month
    assert set("".join(codes.values())) <= set("OLEAMVRH-")


def test_holidays_and_adjusted_working_days(tmp_path: Path) -> None:
    """National Day is a holiday; Saturday 10 October 2026 is an adjusted working day (调休),
    coded in lower case: absent there, since nobody came."""
    punches = tmp_path / "punches.csv"
    punches.write_text(
        "employee_id,at,direction\n"
        "E1,2026-10-09T08:55:00+08:00,in\nE1,2026-10-09T18:00:00+08:00,out\n",
        encoding="utf-8",
    )
    result = load_policy().check([str(punches)], dt.date(2026, 10, 1), dt.date(2026, 10, 31))
    codes = day_codes(result)["E1"]
    assert codes[0] == "H" and codes[8] == "O" and codes[9] == "a"


def test_days_are_not_classed_when_attendance_is_not_reported(tmp_path: Path) -> None:
    """E1 is 10 minutes late Monday to Wednesday.  With --ruleset discipline the check judges
    the late days for DIS-REPEATED-LATE, and reports that finding alone: no attendance
    finding, so a day's class cannot be told, and the days must not read as on time (``O``).
    The report has no day codes (no calendar, no days late), and a note says why; with
    attendance among the rule sets reported the days are late (``L``) as in a whole check."""
    punches = tmp_path / "punches.csv"
    punches.write_text(
        "employee_id,at,direction\n"
        + "".join(
            f"E1,2026-11-0{day}T09:10:00+08:00,in\nE1,2026-11-0{day}T18:00:00+08:00,out\n"
            for day in (2, 3, 4)
        ),
        encoding="utf-8",
    )
    policy, days = load_policy(), (dt.date(2026, 11, 2), dt.date(2026, 11, 4))
    whole = policy.check([str(punches)], *days)
    assert whole.rulesets is None and day_codes(whole) == {"E1": "LLL"}
    for asked in (["attendance"], ["discipline", "attendance"]):
        result = policy.check([str(punches)], *days, rulesets=asked)
        assert result.rulesets == ("attendance", "discipline")[: len(asked)]
        assert day_codes(result) == {"E1": "LLL"}
        assert not [n for n in build_report(result).notes if n.kind == "attendance_not_reported"]
    only = policy.check([str(punches)], *days, rulesets=["discipline"])
    assert [f.rule_id for f in only] == ["DIS-REPEATED-LATE"] and only.rulesets == ("discipline",)
    assert day_codes(only) == {}
    report = build_report(only)
    assert [(e.employee_id, e.days) for e in report.employees] == [("E1", "")]
    not_judged = report.notes[-1]
    assert report.notes == (*only.notes, not_judged)
    assert not_judged == (  # the rule sets as Python gives them; the command's: --ruleset
        "no attendance calendar and no count of days late, early or absent: attendance is not "
        "among the rule sets reported (rulesets=), and a day's class comes from its findings"
    )
    assert "所报告的规则集（rulesets=）不含出勤" in not_judged.zh
    data = page_data(html_page(report))
    assert data["calendar"] is False and data["employees"][0][3] == ""
    assert data["notes"][-1] == [not_judged.zh, str(not_judged)]
    out = tmp_path / "report.md"
    argv = ["report", str(punches), "--from", "2026-11-02", "--to", "2026-11-04"]
    assert (
        main([*argv, "--ruleset", "discipline", "--format", "md", "--lang", "en", "-o", str(out)])
        == 0
    )
    text = out.read_text("utf-8")
    assert "Day codes" not in text and "`OOO`" not in text
    assert f"- {not_judged.replace('(rulesets=)', '(--ruleset)')}" in text.splitlines()
    assert (
        main([*argv, "--ruleset", "attendance", "--format", "md", "--lang", "en", "-o", str(out)])
        == 0
    )
    assert "| E1 |  |  | `LLL` | 0 | 0 | 3 | 0 | 3 |" in out.read_text("utf-8")


def test_findings_are_capped_with_counts_of_what_is_left_out(month: CheckResult) -> None:
    """At most N findings per employee and rule, at most M in all; the rest are counted."""
    report = build_report(month, limits=Limits(findings_per_rule=1, findings=5))
    shown = sum(len(g.findings) for e in report.employees for g in e.groups)
    omitted = sum(g.omitted for e in report.employees for g in e.groups)
    assert shown == 5 and shown + omitted == 34 and report.omitted == 29
    assert all(len(g.findings) <= 1 for e in report.employees for g in e.groups)
    data = page_data(html_page(report))
    assert data["limits"][:3] == [1, 5, 29]
    text = render_markdown(month, lang="en", limits=Limits(findings_per_rule=1, findings=5))
    assert "and 1 more not shown" in text and "29 findings are not shown" in text


def test_user_text_is_escaped_in_html(tmp_path: Path) -> None:
    """Names, ids, teams, destinations, evidence and file names never become markup: the only
    script elements are the page's own two, and the data block holds the text exactly."""
    inputs = hostile_inputs(tmp_path)
    result = load_policy().check(inputs, *NOVEMBER)
    assert any(f.rule_id == "CONF-COMPETITOR" for f in result)
    page = render_html(result, employees=result.employees)
    for raw in (SCRIPT_NAME, EVIL_ID, EVIL_DESTINATION, EVIL_DIR, "A<1>"):
        assert raw not in page
    assert len(re.findall(r"<script", page)) == 2
    assert "<img" not in page and "<svg" not in page
    data = page_data(page)
    rows = {e[0]: e for e in data["employees"]}
    assert rows["E1"][1] == SCRIPT_NAME and rows["E1"][2] == FORMULA_TEAM
    assert rows[EVIL_ID][1] == "& \"quoted\" 'x'"
    evidence = [dict((k[1], v[1]) for k, v in f[3]) for g in rows["E1"][7] for f in g[2]]
    evidence = [fields for fields in evidence if "destination" in fields]
    assert evidence[0]["destination"] == EVIL_DESTINATION
    assert any(EVIL_DIR in name for name in data["files"])


def test_user_text_is_escaped_in_markdown(tmp_path: Path) -> None:
    """In Markdown the same texts are entity- and backslash-escaped: they render as text."""
    inputs = hostile_inputs(tmp_path)
    result = load_policy().check(inputs, *NOVEMBER)
    text = render_markdown(result, employees=result.employees)
    for raw in (SCRIPT_NAME, EVIL_ID, EVIL_DESTINATION, EVIL_DIR):
        assert raw not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert md(FORMULA_TEAM) in text and "&lt;img src=x onerror=alert(3)&gt;@rival.example" in text
    assert md("a|b*c_d`e[f]") == "a\\|b\\*c\\_d\\`e\\[f\\]"


def test_the_page_names_the_characters_it_shows_as_escapes(tmp_path: Path) -> None:
    """The page's script shows a character as its escape, set apart, when the data block
    names it: each control character, mark that turns the direction of text and character
    shown as nothing is named, with the escape the terminal writes; no letter, digit, space
    or CJK character is.  The data keeps the ids as they were read."""
    result = load_policy().check(hidden_inputs(tmp_path), *NOVEMBER)
    data = page_data(render_html(result, employees=result.employees))
    named = {chr(int(code)): escape for code, escape in data["escapes"].items()}
    shown_as_nothing = "\u00ad\u200b\u200c\u200d\u2060\ufeff\U000e0041"
    for ch in "\x00\x07\x09\x0a\x0d\x1b\x7f\x85\u061c\u200e\u202e\u2066" + shown_as_nothing:
        assert named[ch] == one_line(ch), f"U+{ord(ch):04X}"
    assert [named[ch] for ch in "\x1b\u200b\U000e0041"] == ["\\x1b", "\\u200b", "\\U000e0041"]
    turns = {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI", "LRM", "RLM", "ALM"}
    for ch in map(chr, range(0x3000)):
        if unicodedata.category(ch) == "Cc" or unicodedata.bidirectional(ch) in turns:
            assert ch in named, f"U+{ord(ch):04X}"
    assert set(map(ord, named)) == HIDDEN  # the one definition of a hidden character
    assert {e[0] for e in data["employees"]} == {*HIDDEN_IDS, "S001"}


def test_hidden_characters_show_as_escapes_in_markdown(tmp_path: Path) -> None:
    """Markdown writes each run of characters not seen as themselves as its escapes, in one
    code span; the id without them, the name's CJK text and its markup read as before."""
    result = load_policy().check(hidden_inputs(tmp_path), *NOVEMBER)
    text = render_markdown(result, lang="en", employees=result.employees)
    for employee_id in HIDDEN_IDS:
        assert employee_id not in text
    assert "| S001`\\u200b` | Ann | T1 |" in text
    assert "| S`\\u202e`100 | Ann | T1 |" in text
    assert "| E`\\x1b`\\[2J1 | Ann | T1 |" in text
    assert "| E1`\\x0a`2 | Ann | T1 |" in text
    assert "| S001 | &lt;b&gt;王伟&lt;/b&gt;`\\ufeff` | 华东一组 |" in text
    assert "'`\\x1b`\\[31mred' is not a date-time" in text
    assert md("a\x00\u200b|b") == "a`\\x00\\u200b`\\|b"  # one span for the run


def test_the_page_is_self_contained(month: CheckResult) -> None:
    """No external reference of any kind, and a Content-Security-Policy that allows nothing
    but the page's own style and script (by hash)."""
    page = render_html(month)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)
    assert "<link" not in page and "@import" not in page and "url(" not in page
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    assert style is not None and script is not None
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert csp is not None and "default-src 'none'" in csp.group(1)
    for body in (style.group(1), script.group(1)):
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp.group(1)


#: a month's assessment records of one employee: a target, an order, the employee record
ASSESSED = [
    {"type": "sales_target", "employee_id": "E1", "period": "2026-11", "sales_amount": 100000},
    {
        "type": "order",
        "order_id": "O1",
        "employee_id": "E1",
        "customer_id": "K1",
        "booked_at": "2026-11-03T10:00:00+08:00",
        "amount": 60000,
        "status": "booked",
    },
    {"type": "employee", "employee_id": "E1", "name": "Ann", "team": "T1"},
]


def test_scores_show_only_with_assessment_data(month: CheckResult, tmp_path: Path) -> None:
    """Score columns appear when the check had assessment records, and not otherwise."""
    scores = pl.DataFrame({"employee_id": ["S001", "E1"], "overall": [81.234, 50.0]})
    scores = scores.with_columns(pl.Series("grade", ["B", "D"]))
    assert build_report(month, scores=scores).score_columns == ()
    records = tmp_path / "records.jsonl"
    lines = ASSESSED[:2]  # the target and the order, no employee record
    records.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    assessed = load_policy().check([str(records)], *NOVEMBER)
    report = build_report(assessed, scores=scores)
    assert report.score_columns == ("overall", "grade")
    row = next(e for e in report.employees if e.employee_id == "E1")
    assert row.scores == (50.0, "D")
    data = page_data(html_page(report))
    assert data["scoreColumns"] == [["总分", "Overall"], ["等级", "Grade"]]


def test_report_command_writes_html_and_markdown(tmp_path: Path) -> None:
    """`sales-policy report` takes check's inputs and period; --lang sets the first language."""
    html_file, md_file = tmp_path / "report.html", tmp_path / "report.md"
    assert main(["report", *MONTH, "--period", "2026-11", "-o", str(html_file)]) == 0
    page = html_file.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'data-lang="zh"' in page
    assert page_data(page)["counts"][3] == 34
    args = ["report", *MONTH, "--period", "2026-11", "--format", "md", "--lang", "en"]
    assert main([*args, "-o", str(md_file)]) == 0
    text = md_file.read_text("utf-8")
    for heading in ("# Sales policy report", "## Totals", "## Findings by rule", "## Employees"):
        assert heading in text
    assert (
        "| S001 | 王伟 | 华东一组 | `ROOLOORROOOOARROOVEORROOOOVRRO` | 0 | 1 | 3 | 0 | 4 |" in text
    )
    assert "### 8.1 出勤纪律 / Attendance discipline" in text
    args = ["report", *MONTH, "--period", "2026-11", "-o", str(html_file)]
    assert main([*args, "--fail-on", "major"]) == 1
    assert main([*args, "--lang", "en"]) == 0
    assert 'data-lang="en"' in html_file.read_text("utf-8")


def test_report_command_adds_scores_with_assessment_data(tmp_path: Path) -> None:
    """With assessment records and a month, the page's employee rows carry scores."""
    records = tmp_path / "records.jsonl"
    records.write_text("\n".join(json.dumps(line) for line in ASSESSED) + "\n", encoding="utf-8")
    out = tmp_path / "report.html"
    assert main(["report", str(records), "--period", "2026-11", "-o", str(out)]) == 0
    data = page_data(out.read_text("utf-8"))
    assert ["总分", "Overall"] in data["scoreColumns"]
    row = data["employees"][0]
    assert row[:3] == ["E1", "Ann", "T1"] and len(row[6]) == len(data["scoreColumns"])


def test_employee_names_come_with_the_result(tmp_path: Path) -> None:
    """The check result carries the employee records it read, for names in reports."""
    records = tmp_path / "records.jsonl"
    records.write_text(
        '{"type": "employee", "employee_id": "E1", "name": "Ann"}\n'
        '{"type": "punch", "employee_id": "E1", "at": "2026-11-02T09:00:00+08:00"}\n'
        "not json\n",
        encoding="utf-8",
    )
    names = load_policy().check([str(records)]).employees
    assert names.select("employee_id", "name").rows() == [("E1", "Ann")]


def test_notes_are_in_the_reports_language(tmp_path: Path) -> None:
    """A check's notes reach each report in its language: the page carries both texts (its
    button switches them with everything else), Markdown and the terminal table the one
    asked for; JSON keeps the English, and a note is that English ``str``."""
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text("disable: [ATT-LATE]\n", encoding="utf-8")
    punches = tmp_path / "punches.csv"
    punches.write_text(
        "employee_id,at,direction\nE1,2026-11-02T09:25:00,in\nE1,2026-11-02T18:05:00+08:00,out\n",
        encoding="utf-8",
    )
    result = load_policy(policy_file).check([str(punches)], *NOVEMBER)
    disabled, naive, unjudged = result.notes
    assert disabled == f"rules disabled by {policy_file}: ATT-LATE"
    assert disabled.zh == f"{policy_file} 停用的规则：ATT-LATE"
    assert naive.startswith("1 timestamp had no UTC offset")
    assert naive.zh.startswith("1 个时间未注明时区偏移，已按员工所在时区读取")
    assert unjudged.startswith("not judged, no records they read: discipline (DIS-MOONLIGHT")
    assert unjudged.zh.startswith(
        "因缺少所需记录，以下规则未判断：工作纪律与职业形象（DIS-MOONLIGHT、"
    )
    assert all(note.en == str(note) and note.zh != note for note in result.notes)
    assert pickle.loads(pickle.dumps(naive)).zh == naive.zh

    assert page_data(html_page(build_report(result)))["notes"] == [
        [note.zh, str(note)] for note in result.notes
    ]
    for lang in ("zh", "en"):
        text = render_markdown(result, lang=lang)
        for note in result.notes:
            assert md(note.zh if lang == "zh" else note) in text
    args = ["check", str(punches), "--policy", str(policy_file), "--period", "2026-11"]
    for lang in ("zh", "en"):
        output = tmp_path / f"table-{lang}.txt"
        assert main([*args, "--lang", lang, "-o", str(output)]) == 0
        lines = output.read_text("utf-8").splitlines()
        label = "说明     " if lang == "zh" else "note     "
        shown = [line.removeprefix(label) for line in lines if line.startswith(label)]
        assert shown == [note.zh if lang == "zh" else str(note) for note in result.notes]
    document = tmp_path / "report.json"
    assert main([*args, "--format", "json", "-o", str(document)]) == 0
    assert json.loads(document.read_text("utf-8"))["notes"] == [str(n) for n in result.notes]


#: E1's month: 132,000 of a 100,000 target, no new customer to win (a target of 0 leaves the
#: indicator out), nothing else assessed: the sales indicator alone (1.32, capped at 1.2) is
#: the KPI, 120; no other record, so every conduct score is 100; overall 0.7 x 120 + 0.3 x 100
#: = 114; commission 3% (the tier from 1.2) of 132,000 = 3,960
SCORED_MONTH = [
    {
        "type": "sales_target",
        "employee_id": "E1",
        "period": "2026-11",
        "sales_amount": 100000,
        "new_customers": 0,
    },
    *(
        {
            "type": "order",
            "order_id": f"O{n}",
            "employee_id": "E1",
            "customer_id": f"K{n}",
            "booked_at": f"2026-11-0{n}T10:00:00+08:00",
            "amount": amount,
            "status": "booked",
        }
        for n, amount in ((2, 100000), (3, 32000))
    ),
]
#: the scores as the score table writes them: 2 decimals, a thousands separator.  By hand,
#: at the defaults of rules/assessment.yaml: net sales 100,000 + 32,000 = 132,000 against
#: 100,000 is an achievement of 1.32, capped at 1.2, so a KPI of 120 (sales is the only
#: indicator with a target: no new customers asked for, no survey, no October); no finding, so
#: conduct 100; overall 0.7 x 120 + 0.3 x 100 = 114, grade A (90 and above); 1.32 is in the
#: tier from 1.2, at 3%: 3% x 132,000 = 3,960; rank 1, the only one ranked.
#: E1 has the bonus (grade A, a sales achievement, no finding) and, first of one, the trip.
SCORED_CELLS = ["114.00", "A", "120.00", "100.00", "3,960.00", "Yes", "Yes", "1"]


def test_scores_are_shown_to_2_decimals_as_the_score_table_writes_them() -> None:
    """The overall, KPI and conduct scores and the commission to 2 decimals with a thousands
    separator, as in the score table, in Markdown and on the page (whose data keeps the
    numbers, for sorting, and says the places its script shows them to)."""
    scores = score(load_policy(), SCORED_MONTH, "2026-11")
    text = render_markdown(scores.check, lang="en", scores=scores)
    row = next(line for line in text.splitlines() if line.startswith("| E1 |"))
    assert row.endswith(" | " + " | ".join(SCORED_CELLS) + " |")
    data = page_data(render_html(scores.check, scores=scores))
    assert data["scorePlaces"] == [2, None, 2, 2, 2, None, None, None]
    assert data["employees"][0][6] == [114.0, "A", 120.0, 100.0, 3960.0, True, True, 1]


def test_the_reports_say_who_has_a_bonus_and_a_trip() -> None:
    """A manager decides bonuses and trips (5.2, 9.2) from the report, so it shows them beside
    the commission.  E3 sold as E1 did (SCORED_MONTH: KPI 120) but gave an unapproved gift of
    500.00 (INT-GIFT, major, integrity): conduct (95 + 5 x 100) / 6 = 99.17, overall 0.7 x 120
    + 0.3 x 99.1667 = 113.75, grade A, second to E1's 114; a major integrity finding bars the
    bonus and the trip.  The one trip place of the two (ceil(2 x 10%)) goes to E1."""
    e3 = [
        dict(SCORED_MONTH[0], employee_id="E3"),
        *(
            dict(o, order_id=f"E3-{o['order_id']}", employee_id="E3", customer_id=f"E3-{n}")
            for n, o in enumerate(SCORED_MONTH[1:])
        ),
        {
            "type": "gift",
            "record_id": "G1",
            "employee_id": "E3",
            "counterparty": "Acme",
            "direction": "given",
            "value": 500,
            "currency": "CNY",
            "at": "2026-11-13T17:20:00+08:00",
            "approved": False,
        },
    ]
    scores = score(load_policy(), [*SCORED_MONTH, *e3], "2026-11")
    for lang, yes, no in (("en", "Yes", "No"), ("zh", "是", "否")):
        text = render_markdown(scores.check, lang=lang, scores=scores)
        rows = {
            line.split(" | ")[0]: line for line in text.splitlines() if line[:4] in ("| E1", "| E3")
        }
        assert rows["| E1"].endswith(f" | 3,960.00 | {yes} | {yes} | 1 |")
        assert rows["| E3"].endswith(
            f" | 113.75 | A | 120.00 | 99.17 | 3,960.00 | {no} | {no} | 2 |"
        )
        header = next(
            line
            for line in text.splitlines()
            if line.startswith("| Employee |") or line.startswith("| 员工编号 |")
        )
        assert header.endswith(
            " | Commission | Bonus | Trip | Team rank |"
            if lang == "en"
            else " | 提成 | 奖金 | 旅游 | 团队排名 |"
        )
    data = page_data(render_html(scores.check, scores=scores))
    cells = {e[0]: e[6][-3:] for e in data["employees"]}
    assert cells == {"E1": [True, True, 1], "E3": [False, False, 2]}
    assert data["scoreColumns"][-3:] == [
        ["奖金", "Bonus"],
        ["旅游", "Trip"],
        ["团队排名", "Team rank"],
    ]
    assert (data["labels"]["yes"], data["labels"]["no"]) == (["是", "Yes"], ["否", "No"])


def md_tables(text: str) -> list[tuple[str, int]]:
    """Each Markdown table as (its header line, its number of rows)."""
    lines = text.splitlines()
    tables = []
    for i, line in enumerate(lines):
        if line.startswith("|") and i + 1 < len(lines) and lines[i + 1].startswith("|--"):
            rows = 0
            while i + 2 + rows < len(lines) and lines[i + 2 + rows].startswith("|"):
                rows += 1
            tables.append((line, rows))
    return tables


@pytest.mark.parametrize(
    ("lang", "none_found", "none_cited"),
    [
        ("zh", "本报告没有任何发现。", "没有任何发现，因此没有引用的条款。"),
        ("en", "This report has no findings.", "No findings, so no clause is cited."),
    ],
)
def test_a_report_without_findings_says_so_and_has_no_empty_table(
    lang: str, none_found: str, none_cited: str, month: CheckResult
) -> None:
    """SCORED_MONTH has no finding (E1 met the target; no other rule set has records): the
    report says so under Totals, Findings by rule and Handbook clauses, instead of a column
    of zeros by severity, an empty table by rule set and an empty clause section; it says
    nothing of findings left out by the caps."""
    scores = score(load_policy(), SCORED_MONTH, "2026-11")
    assert len(scores.check) == 0
    text = render_markdown(scores.check, lang=lang, scores=scores)
    tables = md_tables(text)
    assert [header.split(" | ")[0] for header, _ in tables] == (
        ["| 总计", "| 记录类型", "| 员工编号"]
        if lang == "zh"
        else ["| Totals", "| Record type", "| Employee"]
    )
    assert all(rows > 0 for _, rows in tables)
    sections = text.split("\n## ")
    assert sections[1].startswith(("总计", "Totals")) and none_found in sections[1]
    assert sections[2].startswith(("按规则统计", "Findings by rule")) and none_found in sections[2]
    assert sections[3].startswith(("员工", "Employees")) and "jsonl" not in sections[3]
    assert sections[4].startswith(("手册条款", "Handbook clauses")) and none_cited in sections[4]
    # with findings: totals, by severity, by rule set, by record type, by rule, employees
    tables = md_tables(render_markdown(month, lang=lang))
    assert len(tables) == 6 and all(rows > 0 for _, rows in tables)


# ---- arguments: what the reports cannot take is an InvalidArgument that says what to pass --


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> Scores:
    """Scores of a month whose check has assessment data (one target, one order)."""
    records = tmp_path_factory.mktemp("scored") / "records.jsonl"
    records.write_text("\n".join(json.dumps(line) for line in ASSESSED) + "\n", encoding="utf-8")
    return score(load_policy(), [str(records)], "2026-11")


RENDERERS = [render_html, render_markdown]


@pytest.mark.parametrize("render", RENDERERS)
def test_a_report_is_of_a_check_result(render: Any, month: CheckResult) -> None:
    """What is not a check's result is refused as that, not met with an AttributeError; a
    result given to the pages, which take a gathered report, is told what to pass."""
    with pytest.raises(InvalidArgument, match=r"result must be a CheckResult .*, not list"):
        render([])
    with pytest.raises(InvalidArgument, match=r"result must be a CheckResult .*, not str"):
        build_report("report.csv")  # type: ignore[arg-type]
    for page in (html_page, markdown_page):
        with pytest.raises(InvalidArgument, match=r"report must be a Report \(build_report"):
            page(month)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("findings_per_rule", "5"),
        ("findings", 2.0),
        ("rejects", True),
        ("files", -1),
        ("findings", None),
    ],
)
def test_limits_are_whole_numbers_from_0(name: str, value: Any) -> None:
    """A limit that is not a whole number of 0 or more is refused when the Limits is made:
    text reached polars as a comparison it cannot make, and files=-1 dropped the last file."""
    with pytest.raises(
        InvalidArgument, match=rf"Limits {name} must be a whole number from 0, not "
    ):
        Limits(**{name: value})


def test_limits_of_0_and_of_no_bound_count_what_they_leave_out(
    month: CheckResult, tmp_path: Path
) -> None:
    """0 lists none and counts them all; a limit beyond any count lists them all (it reached
    polars as a number too big for it); what is not a Limits is refused."""
    for render in RENDERERS:
        with pytest.raises(InvalidArgument, match=r"limits must be a Limits\(\.\.\.\), not dict"):
            render(month, limits={"files": 1})
    none = build_report(month, limits=Limits(0, 0, 0, 0))
    assert none.omitted == len(month) == 34
    assert all(not g.findings for e in none.employees for g in e.groups)
    assert "34 findings are not shown" in render_markdown(month, lang="en", limits=none.limits)
    huge = Limits(*(10**30,) * 4)
    every = build_report(month, limits=huge)
    assert every.omitted == 0
    assert sum(len(g.findings) for e in every.employees for g in e.groups) == 34
    result = load_policy().check(hidden_inputs(tmp_path), *NOVEMBER)  # a row rejected, 2 files
    assert result.counts.rejected == 1 and len(result) > 0
    text = render_markdown(result, lang="en", limits=huge)
    assert "(+" not in text and "more not shown" not in text and "not shown in" not in text
    data = page_data(render_html(result, limits=huge))
    assert len(data["rejects"]) == 1 and data["rejectsMore"] == 0 and data["limits"][2] == 0


@pytest.mark.parametrize("render", RENDERERS)
def test_employees_must_be_a_table_of_employee_ids(render: Any, month: CheckResult) -> None:
    """employees is a DataFrame with an employee_id column of text, as CheckResult.employees."""
    for employees, found in (
        ("x", "not str"),
        ([{"employee_id": "S001"}], "not list"),
        (pl.DataFrame({"id": ["S001"]}), "no employee_id column"),
        (pl.DataFrame({"employee_id": [1]}), "employee_id is Int64, not text"),
        (pl.DataFrame({"employee_id": ["S001", None, None]}), "employee_id is null in 2 rows"),
    ):
        with pytest.raises(InvalidArgument, match=rf"employees must be .*; {found}"):
            render(month, employees=employees)


@pytest.mark.parametrize("render", RENDERERS)
def test_scores_must_be_a_table_of_employee_ids(render: Any, scored: Scores) -> None:
    """scores is refused when wrong, whether the check has assessment data to show it or not
    (it met polars' ColumnNotFoundError with it, and nothing without it)."""
    for result in (scored.check, load_policy().check(MONTH, *NOVEMBER)):
        for scores, found in (
            (pl.DataFrame({"x": [1]}), "no employee_id column"),
            (
                pl.DataFrame({"employee_id": [7], "overall": [1.0]}),
                "employee_id is Int64, not text",
            ),
            ({"E1": 81.0}, "not dict"),
        ):
            with pytest.raises(InvalidArgument, match=rf"scores must be .*; {found}"):
                render(result, scores=scores)


@pytest.mark.parametrize("render", RENDERERS)
def test_scores_can_be_the_scores_of_sales_policy_score(render: Any, scored: Scores) -> None:
    """The Scores of sales_policy.score(...) show as their frame does: it was an
    AttributeError ('Scores' object has no attribute 'columns')."""
    result = scored.check
    assert (
        build_report(result, scores=scored).score_columns
        == build_report(result, scores=scored.frame).score_columns
        == (
            "overall",
            "grade",
            "kpi_score",
            "conduct_mean",
            "commission",
            "bonus_eligible",
            "trip_eligible",
            "rank",
        )
    )
    # as the command passes them: a Scores without a row shows no score column
    assert build_report(result, scores=dataclasses.replace(scored, rows=())).score_columns == ()
    shown = render(result, lang="en", scores=scored)
    assert shown == render(result, lang="en", scores=scored.frame)
    assert shown != render(result, lang="en")


@pytest.mark.parametrize("render", RENDERERS)
def test_a_language_is_zh_or_en(render: Any, month: CheckResult) -> None:
    """A language not zh or en is the library's InvalidArgument (it was a plain ValueError),
    for the renderers and the pages alike."""
    for lang in ("fr", None, "EN"):
        with pytest.raises(InvalidArgument, match=r"lang must be 'zh' or 'en', not "):
            render(month, lang=lang)
    report = build_report(month)
    for page in (html_page, markdown_page):
        with pytest.raises(InvalidArgument, match=r"lang must be 'zh' or 'en', not 'fr'"):
            page(report, lang="fr")


@pytest.mark.parametrize("render", RENDERERS)
def test_ruleset_titles_map_names_to_titles(render: Any, month: CheckResult) -> None:
    """ruleset_titles maps a rule set's name to its title as the policy holds it (zh and en);
    a title given as text met an AttributeError ('str' object has no attribute 'zh')."""
    titles = {rs.name: rs.title for rs in load_policy().rulesets}
    assert "Attendance discipline" in render(month, lang="en", ruleset_titles=titles)
    for ruleset_titles, found in (
        ({"attendance": "Attendance"}, "'attendance' maps to str"),
        (["attendance"], "not list"),
        ({1: titles["attendance"]}, "a name of int"),
    ):
        with pytest.raises(InvalidArgument, match=rf"ruleset_titles must be .*; {found}"):
            render(month, ruleset_titles=ruleset_titles)


def test_rejected_rows_name_their_record_type_as_the_accepted_rows_do(tmp_path: Path) -> None:
    """In Chinese the rejected rows' record type is 打卡（punch）, as the accepted rows by
    type and the check's table name it (a Chinese reader need not know ``punch``); the page
    carries both names for its language button, Markdown the one of its language."""
    punches = tmp_path / "punches.csv"
    punches.write_text(
        "employee_id,at,direction\nE1,2026-11-02T09:00:00+08:00,in\nE1,bad,out\n",
        encoding="utf-8",
    )
    result = load_policy().check([str(punches)], *NOVEMBER)
    assert result.counts.rejected == 1
    data = page_data(render_html(result))
    assert data["byType"] == [[["打卡（punch）", "punch"], 1]]
    assert [row[:3] for row in data["rejects"]] == [
        [f"{punches}:3", ["打卡（punch）", "punch"], "at"]
    ]
    zh, en = (render_markdown(result, lang=lang) for lang in ("zh", "en"))
    assert f"| {md(f'{punches}:3')} | 打卡（punch） | at | bad | “bad”不是日期时间" in zh
    assert f"| {md(f'{punches}:3')} | punch | at | bad | 'bad' is not a date-time" in en


def test_the_reports_say_which_command_lists_every_finding(month: CheckResult) -> None:
    """The caps' line names the command that lists every finding, ``sales-policy check
    --format jsonl``: ``report`` takes no ``--format jsonl`` (html or md), and said so with
    a usage error to the reader who followed a bare ``--format jsonl``."""
    for lang, said in (
        ("zh", "完整列表请用 sales-policy check --format jsonl"),
        ("en", "; sales-policy check --format jsonl lists them all"),
    ):
        assert said in render_markdown(month, lang=lang)
        assert said in page_data(render_html(month))["labels"]["findings_cap"][lang == "en"]
    with pytest.raises(SystemExit) as usage:
        main(["report", *MONTH, "--format", "jsonl"])
    assert usage.value.code == 2


def test_a_huge_value_is_cut_short_in_the_reports_people_read(tmp_path: Path) -> None:
    """A cell holding a pasted document (100,000 characters): the HTML and Markdown reports
    show 300 characters of a rejected row's value and of its reason (which quotes the value),
    and how long it is, as the check's table does; ``result.rejects`` (and ``--rejects``)
    keep them whole.  A report of one such row was 10 MB a 5 MB cell."""
    huge, long_id = "x" * 100_000, "9" * 100_000
    punches = tmp_path / "punches.csv"
    punches.write_text(
        f"employee_id,at\nE1,{huge}\n{long_id},2026-11-02T09:00:00+08:00\n"
        "E1,2026-11-02T09:00:00+08:00\n",
        encoding="utf-8",
    )
    result = load_policy().check([str(punches)], *NOVEMBER)
    assert result.rejects.get_column("value").to_list() == [huge, long_id]
    reason = (
        f"'{huge}' is not a date-time (expected ISO 8601 like 2026-11-03T09:00:00+08:00, "
        "year first like 2026/11/3 9:05, or epoch milliseconds)"
    )
    assert result.rejects.get_column("reason").to_list() == [reason, "longer than 200 characters"]
    cut_value = f"{'x' * 300}... (100,000 characters)"
    cut_id = f"{'9' * 300}... (100,000 characters)"
    cut_reason = f"'{'x' * 299}... ({len(reason):,} characters)"
    zh_value = f"{'x' * 300}……（共 100,000 个字符）"
    zh_id = f"{'9' * 300}……（共 100,000 个字符）"
    en = render_markdown(result, lang="en")
    assert f"| at | {cut_value} | {cut_reason} |" in en
    assert f"| employee\\_id | {cut_id} | longer than 200 characters |" in en
    assert len(en) < 10_000
    zh = render_markdown(result, lang="zh")
    assert re.search(rf"\| at \| {zh_value} \| “x{{299}}……（共 [\d,]+ 个字符） \|", zh)
    assert f"| employee\\_id | {zh_id} | 超过 200 个字符 |" in zh
    page = render_html(result)
    rows = page_data(page)["rejects"]
    assert [row[3] for row in rows] == [[zh_value, cut_value], [zh_id, cut_id]]
    assert rows[0][4][1] == cut_reason
    assert re.fullmatch(r"“x{299}……（共 [\d,]+ 个字符）", rows[0][4][0])
    assert len(page) < 200_000
