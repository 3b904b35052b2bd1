"""Reports in Chinese: coded values (``status``, ``action``, ``data_class``...) show by their
Chinese names in Chinese messages, while the evidence and the English message keep the values
themselves; the table report with ``lang="zh"`` is Chinese throughout, reasons for rejected
rows too.

The expected texts were written by hand from the rule files' templates, the names of
``VALUE_NAMES_ZH`` and the table's layout."""

from __future__ import annotations

import datetime as dt
import json
import re
import typing
from typing import Any

import pytest

import sales_policy
from sales_policy import findingtexts, reports
from sales_policy.facts.chinese import COLUMN_NAMES_ZH, VALUE_NAMES_ZH
from sales_policy.facts.schema import FACT_TABLES
from sales_policy.records import RECORD_MODELS
from sales_policy.termtext import display_width

POLICY = sales_policy.load_policy()
AT = "2026-11-02T10:00:00+08:00"
RECORDS: list[dict[str, Any]] = [
    {
        "type": "data_access",
        "record_id": "A1",
        "employee_id": "E1",
        "at": AT,
        "customer_id": "C1",
        "data_class": "customer",
        "action": "email",
        "record_count": 20,
        "destination": "buyer@rival.example",
        "destination_kind": "competitor",
        "approved": True,
    },
    {
        "type": "gift",
        "record_id": "G1",
        "employee_id": "E2",
        "counterparty": "Supplier Ltd",
        "direction": "received",
        "value": "500",
        "at": AT,
        "approved": False,
    },
    {
        "type": "quote",
        "record_id": "Q1",
        "employee_id": "E4",
        "customer_id": "K1",
        "at": AT,
        "discount_pct": 20,
        "max_discount_pct": 15,
        "delivery_days": 3,
        "standard_delivery_days": 10,
    },
    {
        "type": "outside_work",
        "record_id": "W1",
        "employee_id": "E3",
        "organisation": "Acme Trading",
        "role": "sales agent",
        "start": "2026-10-01",
        "status": "pending",
    },
]
EXPECTED = {
    "CONF-COMPETITOR": (
        "将客户数据发送给竞争对手（方式：电子邮件；去向：buyer@rival.example）",
        "customer data sent to a competitor by email (buyer@rival.example)",
        {"data_class": "customer", "action": "email", "destination_kind": "competitor"},
    ),
    "INT-GIFT": (
        "未经批准的礼品（收受，Supplier Ltd，500.00 CNY）",
        "gift received without approval (Supplier Ltd, 500.00 CNY)",
        {"direction": "received"},
    ),
    "INT-EXAGGERATED-PROMISE": (
        "报价 Q1 向客户 K1 作出超出权限的承诺（折扣、交货期）",
        "quote Q1 to customer K1 promises more than allowed (discount, delivery)",
        {"exceeded": ["discount", "delivery"]},
    ),
    "DIS-MOONLIGHT": (
        "未经批准在 Acme Trading 兼职（sales agent，状态：待审批）",
        "side job at Acme Trading (sales agent) without approval (status pending)",
        {"status": "pending"},
    ),
}


def _check() -> sales_policy.CheckResult:
    return POLICY.check(RECORDS, start=dt.date(2026, 11, 2), end=dt.date(2026, 11, 2))


def test_chinese_messages_name_coded_values_and_the_rest_keeps_them() -> None:
    found = {f.rule_id: f for f in _check() if f.rule_id in EXPECTED}
    assert sorted(found) == sorted(EXPECTED)
    for rule_id, (zh, en, evidence) in EXPECTED.items():
        finding = found[rule_id]
        assert (finding.message.zh, finding.message.en) == (zh, en), rule_id
        assert {k: finding.evidence[k] for k in evidence} == evidence, rule_id


@pytest.mark.parametrize("columnar_from", [0, 10**9])
def test_written_reports_name_them_the_same_way(
    columnar_from: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reports written column-wise (many findings) and from the objects (few) agree."""
    monkeypatch.setattr(findingtexts, "COLUMNAR_FROM", columnar_from)
    lines = [json.loads(line) for line in reports.render(_check(), "jsonl").splitlines()]
    messages = {line["rule_id"]: line["message"] for line in lines}
    for rule_id, (zh, en, _) in EXPECTED.items():
        assert messages[rule_id] == {"zh": zh, "en": en}, (rule_id, columnar_from)
    table = reports.render(_check(), "table", lang="zh")
    assert "状态：待审批" in table and "pending" not in table


def _literal_values(annotation: Any) -> set[str]:
    """The text values a field's type allows, when it is a ``Literal`` (or one or None)."""
    if typing.get_origin(annotation) is typing.Literal:
        return {v for v in typing.get_args(annotation) if isinstance(v, str)}
    return {v for arg in typing.get_args(annotation) for v in _literal_values(arg)}


#: record fields of free text whose usual values have Chinese names all the same
OPEN_FIELDS = {"leave_type"}


def test_every_coded_value_a_record_allows_has_a_name() -> None:
    """A record field of coded values that reaches a named fact column: each value is named."""
    for model in RECORD_MODELS.values():
        for name, info in model.model_fields.items():
            if name in VALUE_NAMES_ZH:
                values = _literal_values(info.annotation)
                assert values or name in OPEN_FIELDS, f"{model.__name__}.{name} is not coded"
                assert values <= set(VALUE_NAMES_ZH[name]), (model.__name__, name)
    columns = {c.name for table in FACT_TABLES.values() for c in table.columns}
    for name, names in VALUE_NAMES_ZH.items():
        assert name in columns, f"{name} is no fact column"
        assert all(n.strip() and "{" not in n for n in names.values())


def test_the_table_in_chinese() -> None:
    bad = {"type": "punch", "employee_id": "E9", "at": "2026-11-02 25:00"}
    result = POLICY.check([*RECORDS, bad], start=dt.date(2026, 11, 2), end=dt.date(2026, 11, 2))
    lines = reports.render(result, "table", lang="zh").splitlines()
    assert lines[:2] == ["期间     2026-11-02 至 2026-11-02", "行数     读取 5 = 接受 4 + 拒绝 1"]
    heading = lines.index("被拒绝的行，按文件和字段（--rejects FILE 写出全部）：")
    assert lines[heading + 1].split() == ["行数", "文件", "类型", "字段", "首行"]
    assert lines[heading + 3].split() == [
        "1",
        "<records>",
        "打卡（punch）",
        "at",
        "第",
        "5",  # the fifth record given: four good ones, then the bad
        # the reason in Chinese (``rejecttext``), the value as it was given
        "行：“2026-11-02",
        "25:00”不是日期时间（应为",
        "ISO",
        "8601",
        "格式，如",
        "2026-11-03T09:00:00+08:00；或年份在前，如",
        "2026/11/3",
        "9:05；或自",
        "1970-01-01",
        "起的毫秒数）",
    ]
    assert f"发现数   {len(result)}" in lines
    header = next(line for line in lines if line.startswith("规则"))
    assert header.split() == ["规则", "严重程度", "发现数", "员工数", "名称"]
    assert next(line for line in lines if line.startswith("员工")).split() == [
        "员工",
        "严重",
        "较重",
        "合计",
    ]
    assert any(line.startswith("CONF-COMPETITOR ") and " 严重 " in line for line in lines)
    assert (
        "  E2  2026-11-02  INT-GIFT [较重; 4.2,8.3]  "
        "未经批准的礼品（收受，Supplier Ltd，500.00 CNY）" in lines
    )


def test_the_table_in_chinese_says_how_many_it_shows() -> None:
    many = [{**RECORDS[0], "record_id": f"A{i}", "employee_id": f"E{i:02}"} for i in range(35)]
    result = POLICY.check(many, start=dt.date(2026, 11, 2), end=dt.date(2026, 11, 2))
    text = reports.render(result, "table", lang="zh")
    assert f"\n前 30 条，共 {len(result)} 条发现（--format jsonl 写出全部）：\n" in text
    assert len(result) == 35


def test_the_table_in_chinese_cites_the_law_in_chinese() -> None:
    """A rule citing the labour law rather than a clause shows 法律 where clauses go."""
    punches = [
        {"type": "punch", "employee_id": "E1", "at": f"2026-11-02T{at}+08:00"}
        for at in ("08:55:00", "23:30:00")
    ]
    result = POLICY.check(punches, start=dt.date(2026, 11, 2), end=dt.date(2026, 11, 2))
    assert "ATT-OVERTIME-DAY-LIMIT" in {f.rule_id for f in result}
    zh = reports.render(result, "table", lang="zh")
    en = reports.render(result, "table", lang="en")
    assert "  E1  2026-11-02  ATT-OVERTIME-DAY-LIMIT [较重; 法律]  " in zh
    assert "  E1  2026-11-02  ATT-OVERTIME-DAY-LIMIT [major; law]  " in en


def test_the_table_lines_up_wide_characters_beyond_the_basic_plane() -> None:
    """An employee id with 𠮷 (U+20BB7, two columns wide) and one with a combining accent
    line up with the others: each row of the employee table is as wide as its header."""
    late = [
        {"type": "punch", "employee_id": who, "at": "2026-11-02T09:30:00+08:00", "direction": "in"}
        for who in ("𠮷田一", "E1", "Zoe\u0301")
    ]
    result = POLICY.check(late, start=dt.date(2026, 11, 2), end=dt.date(2026, 11, 2))
    lines = reports.render(result, "table", lang="zh").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("员工 "))
    # 𠮷田一 is six columns wide, the widest: the first column is six wide, and each cell is
    # padded to it, then two blanks (员工 four and two, E1 two and four, Zoé three and three)
    assert lines[start : start + 5] == [
        "员工    轻微  合计",
        "------  ----  ----",
        "E1      2     2   ",
        "Zoe\u0301     2     2   ",
        "𠮷田一  2     2   ",
    ]
    assert display_width("𠮷田一") == 6 and display_width("Zoe\u0301") == 3


def test_the_score_table_lines_up_chinese_teams() -> None:
    """A Chinese team name is twice as wide as its characters: the columns after it still
    line up.  The team column is as wide as 华南二组（深圳）, 16 columns; each cell is padded
    to it, then two blanks."""
    from sales_records import order, target

    from sales_policy.scoretext import score_table
    from sales_policy.scoring import score

    people = [
        {"type": "employee", "employee_id": who, "name": who, "team": team}
        for who, team in (("E1", "华南二组（深圳）"), ("E2", "东组"))
    ]
    sales = [target("E1", 1000), target("E2", 1000), order("O1", "E1", "C1", "2026-11-03", 900)]
    scores = score(POLICY, [*people, *sales], "2026-11")
    lines = score_table(scores).splitlines()
    header = next(line for line in lines if line.startswith("employee"))
    assert header.startswith("employee  team" + " " * 12 + "  net sales")
    assert next(line for line in lines if line.startswith("E1 ")).startswith(
        "E1" + " " * 8 + "华南二组（深圳）  "
    )
    assert next(line for line in lines if line.startswith("E2 ")).startswith(
        "E2" + " " * 8 + "东组" + " " * 12 + "  "
    )
    zh = score_table(scores, lang="zh").splitlines()
    assert zh[0] == "2026-11（2026-11-01 至 2026-11-30），金额单位 CNY"
    assert zh[2].split() == [
        *("员工", "团队", "净销售额", "销售完成", "新客户完成", "满意度", "增长率", "KPI"),
        *("出勤", "纪律", "诚信", "保密", "客户", "考核"),
        *("总分", "等级", "提成", "奖金", "旅游", "排名"),
    ]
    assert zh[3].startswith("E1    华南二组（深圳）  ")  # 员工 is four columns wide
    assert all(
        row.split()[-3] in ("是", "否") and row.split()[-2] in ("是", "否") for row in zh[3:5]
    )
    assert zh[-1].startswith("销售完成、新客户完成：对目标的完成率；")
    assert not {"yes", "no", "employee", "amounts"} & set(" ".join(zh).replace(",", " ").split())


def test_record_types_are_named_in_chinese_reports() -> None:
    """Every record type has a Chinese name; Chinese reports show it with the type beside
    it (the type is what files say), English ones the type alone."""
    from test_htmlreport import page_data

    from sales_policy.htmlreport import html_page
    from sales_policy.mdreport import render_markdown
    from sales_policy.recordfields import RECORD_TYPE_NAMES_ZH
    from sales_policy.reportcontent import build_report

    assert sorted(RECORD_TYPE_NAMES_ZH) == sorted(RECORD_MODELS)
    assert len(set(RECORD_TYPE_NAMES_ZH.values())) == len(RECORD_TYPE_NAMES_ZH)
    result = _check()
    zh, en = render_markdown(result, lang="zh"), render_markdown(result, lang="en")
    assert "| 数据访问（data\\_access） | 1 |" in zh and "| 礼品（gift） | 1 |" in zh
    assert "| data\\_access | 1 |" in en and "| gift | 1 |" in en
    assert page_data(html_page(build_report(result)))["byType"] == [
        [["数据访问（data_access）", "data_access"], 1],
        [["礼品（gift）", "gift"], 1],
        [["兼职（outside_work）", "outside_work"], 1],
        [["报价（quote）", "quote"], 1],
    ]


def test_the_markdown_report_in_chinese_punctuates_in_chinese() -> None:
    """Labels end with ：, lists are separated by 、 and ；, a rule citing the law names it as
    another reference (not as handbook clauses), and a month's finding whose message starts
    with its month does not say the month twice."""
    from sales_policy.mdreport import render_markdown

    days = (2, 3, 4)
    punches = [
        {"type": "punch", "employee_id": "E1", "at": f"2026-11-0{day}T{at}+08:00"}
        for day in days
        for at in ("09:30:00", "23:30:00")
    ]
    result = POLICY.check(punches, start=dt.date(2026, 11, 2), end=dt.date(2026, 11, 30))
    assert {"ATT-OVERTIME-DAY-LIMIT", "DIS-REPEATED-LATE"} <= {f.rule_id for f in result}
    lines = render_markdown(result, lang="zh").splitlines()
    assert "- 期间：2026-11-02 至 2026-11-30" in lines
    assert any(
        line.startswith("- **ATT-OVERTIME-DAY-LIMIT** ") and "（较重；其他依据：" in line
        for line in lines
    )
    assert any(line.startswith("- **ATT-LATE** 迟到（轻微；手册条款：4.3 ") for line in lines)
    assert "    - 证据：到岗时间：2026-11-02T09:30:00+08:00；" in "\n".join(lines)
    late = [line for line in lines if "迟到 3 次" in line]
    assert late and all(line.startswith("  - 2026-11 迟到 3 次（") for line in late)
    english = render_markdown(result, lang="en")
    assert "(Major; Other references: Labour Law" in english


def test_every_evidence_field_of_the_handbook_rules_has_a_chinese_name() -> None:
    """Reports in Chinese name each evidence field in Chinese, and coded values by their
    names: 日期类型：工作日, not day_kind: workday."""
    from sales_policy.findings import evidence_texts

    evidence = {f for rule in POLICY.all_rules() for f in rule.evidence}
    assert evidence <= set(COLUMN_NAMES_ZH), sorted(evidence - set(COLUMN_NAMES_ZH))
    assert len(set(COLUMN_NAMES_ZH.values())) == len(COLUMN_NAMES_ZH)
    shown = {
        "day_kind": "workday",
        "finding_dates": ["2026-11-02", "2026-11-03"],
        "x": None,
        "y": True,
    }
    assert evidence_texts(shown, "zh") == [
        ("日期类型", "工作日"),
        ("日期", "2026-11-02、2026-11-03"),
        ("x", "—"),
        ("y", "是"),
    ]
    assert evidence_texts(shown, "en") == [
        ("day_kind", "workday"),
        ("finding_dates", "2026-11-02, 2026-11-03"),
        ("x", "—"),
        ("y", "true"),
    ]
    # a field's Chinese twin, there for the Chinese message, is shown by neither language:
    # not 'missing_side_zh: 下班' in English, nor the side twice in Chinese
    missing = {"missing_side": "departure", "missing_side_zh": "下班", "arrival": None}
    assert evidence_texts(missing, "en") == [("missing_side", "departure"), ("arrival", "—")]
    assert evidence_texts(missing, "zh") == [("缺卡", "下班"), ("到岗时间", "—")]
    # an amount's twin as the message writes it (ASM-TARGET-MISSED) is the amount, shown
    # once: not 'net_sales: 252000.0 ... net_sales_text: 252000.00'
    amounts = {"net_sales": 252000.0, "currency": "CNY", "net_sales_text": "252000.00"}
    assert evidence_texts(amounts, "en") == [("net_sales", "252000.00"), ("currency", "CNY")]
    assert evidence_texts(amounts, "zh") == [("净销售额", "252000.00"), ("币种", "CNY")]


def test_the_labour_law_is_cited_in_the_language_of_the_report() -> None:
    """The rules on overtime limits cite the Labour Law, not the handbook: a Chinese report
    names it 劳动法 and holds no English for it, an English one the other way round; the
    rule's explanation and its page give both."""
    from sales_policy.htmlreport import render_html
    from sales_policy.mdreport import render_markdown
    from sales_policy.ruledocs import rule_pages
    from sales_policy.ruleexplain import explain_rule

    punches = [
        {"type": "punch", "employee_id": "E1", "at": f"2026-11-02T{at}+08:00"}
        for at in ("08:55:00", "23:30:00")
    ]
    result = POLICY.check(punches, start=dt.date(2026, 11, 2), end=dt.date(2026, 11, 2))
    assert "ATT-OVERTIME-DAY-LIMIT" in {f.rule_id for f in result}
    zh, en = (render_markdown(result, lang=lang) for lang in ("zh", "en"))
    assert "其他依据：《中华人民共和国劳动法》第四十一条" in zh and "Labour" not in zh
    assert "Other references: Labour Law of the PRC, art. 41" in en and "劳动法" not in en
    data = re.search(r'id="report-data">(.*?)</script>', render_html(result))
    assert data is not None
    references = json.loads(data.group(1))["references"]
    assert len(references) == 1
    assert "劳动法" in references[0][0] and references[0][1].startswith("Labour Law")
    explained = explain_rule(POLICY, "ATT-OVERTIME-DAY-LIMIT")
    assert "劳动法" in explained and "Labour Law" in explained
    page = rule_pages(POLICY)["ATT-OVERTIME-MONTH-LIMIT.md"]
    assert "| References | 《中华人民共和国劳动法》第四十一条（非本手册条款） / Labour Law" in page


def test_the_evidence_of_a_chinese_report_holds_no_english_twin() -> None:
    """INT-SALES-REVERSAL keeps the days in English words (days_to_reversal_en) for its
    English message: a report's evidence shows the count once, and a Chinese one shows no
    "1 day after booking" among the Chinese."""
    from sales_policy.findings import evidence_texts

    order = {
        "type": "order",
        "order_id": "O1",
        "employee_id": "E1",
        "customer_id": "K1",
        "amount": "100",
        "booked_at": "2026-11-28T10:00:00+08:00",
        "status": "cancelled",
        "reversed_at": "2026-11-29T10:00:00+08:00",
    }
    result = POLICY.check([order], start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))
    [finding] = [f for f in result if f.rule_id == "INT-SALES-REVERSAL"]
    assert finding.evidence["days_to_reversal_en"] == "1 day after booking"  # the message's
    zh = dict(evidence_texts(finding.evidence, "zh"))
    assert zh["撤销前天数"] == "1" and zh["状态"] == "已取消"
    assert not any("day" in value for value in zh.values()), zh
    en = dict(evidence_texts(finding.evidence, "en"))
    assert en["days_to_reversal"] == "1" and "days_to_reversal_en" not in en


def test_the_usual_leave_types_are_named_in_chinese_and_others_kept() -> None:
    """A leave request's type is free text; the usual ones show by the names HR uses in
    Chinese (年假, 病假, 事假), and one of the company's own as it is."""
    from sales_policy.findings import evidence_texts

    def leave(request_id: str, leave_type: str) -> dict[str, Any]:
        return {
            "type": "leave_request",
            "request_id": request_id,
            "employee_id": "E1",
            "leave_type": leave_type,
            "start": "2026-11-02T09:00:00+08:00",
            "end": "2026-11-02T18:00:00+08:00",
            "submitted_at": "2026-11-02T08:00:00+08:00",
            "status": "approved",
            "decided_at": "2026-11-02T10:00:00+08:00",
        }

    types = {"L1": "sick", "L2": "annual", "L3": "personal", "L4": "study"}
    records = [leave(request_id, kind) for request_id, kind in types.items()]
    result = POLICY.check(records, start=dt.date(2026, 11, 2), end=dt.date(2026, 11, 2))
    shown = {
        f.evidence["request_id"]: dict(evidence_texts(f.evidence, "zh"))["假别"]
        for f in result
        if f.rule_id == "ATT-LEAVE-NOT-IN-ADVANCE"
    }
    assert shown == {"L1": "病假", "L2": "年假", "L3": "事假", "L4": "study"}


def test_chinese_titles_and_messages_use_the_handbooks_terms() -> None:
    """The handbook asks leave (请假) of the supervisor (8.1) and calls a return visit 客户回访
    (7.3): no rule speaks of 休假, and 回访 is said only by a rule citing 7.3; following up
    after a contract (3.5, 7.2) is 跟进.  A day's kind and the report's day classes name a
    statutory holiday and an adjusted working day alike."""
    from sales_policy.handbook import CLAUSES
    from sales_policy.htmlreport import label

    assert CLAUSES["7.3"].title_zh == "客户回访"
    for rule in POLICY.all_rules():
        texts = (rule.title.zh, rule.message.zh)
        assert not any("休假" in text for text in texts), rule.rule_id
        if any("回访" in text for text in texts):
            assert "7.3" in rule.clauses, rule.rule_id
    assert "跟进" in POLICY.rule("CRM-NO-FOLLOW-UP").title.zh
    days = VALUE_NAMES_ZH["day_kind"]
    assert days["holiday"] == label("day_holiday")[0]
    assert days["adjusted_workday"] == label("day_adjusted")[0]
    params = {p.name: p for p in POLICY.declared_params().values()}
    assert not any("休假" in p.doc.zh for p in params.values())


def test_leaving_ones_post_is_not_the_name_of_a_days_departure() -> None:
    """离岗 is leaving one's post during working hours, a breach of 4.3 (擅自离岗): the end
    of a working day (departure, the time an early leave is measured at) is named apart
    from it, in the evidence and in the early-leave messages."""
    assert "离岗" not in COLUMN_NAMES_ZH["departure"]
    assert "离岗" in COLUMN_NAMES_ZH["left_at"] and "离岗" in COLUMN_NAMES_ZH["minutes_away"]
    for rule_id in ("ATT-EARLY", "ATT-EARLY-SERIOUS"):
        assert "离岗" not in POLICY.rule(rule_id).message.zh, rule_id
    assert "离岗" in POLICY.rule("ATT-LEFT-POST").title.zh


def test_the_rejects_on_standard_error_are_in_the_language_of_the_report(
    tmp_path: typing.Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """Under --strict (or with no row accepted) the first rejects go to standard error, as
    the table report would give them: in Chinese with --lang zh."""
    from sales_policy.cli import main

    path = tmp_path / "punches.csv"
    path.write_text("employee_id,at\nE1,2026-11-02T09:00:00+08:00\nE1,soon\n", encoding="utf-8")
    assert main(["check", str(path), "--strict", "--lang", "zh"]) == 2
    said = capsys.readouterr().err
    assert "第 3 行：“soon”不是日期时间" in said and "is not a date-time" not in said
    assert main(["check", str(path), "--strict"]) == 2
    assert "line 3: 'soon' is not a date-time" in capsys.readouterr().err


def test_reports_in_chinese_call_a_finding_a_finding_not_a_violation() -> None:
    """A missed sales target is a finding of severity info (提示), which is no violation: the
    Chinese table, Markdown and HTML reports and the day's explanation count and name it as
    a 发现, as the rule files and the scores' notes do, never as a 违规."""
    from sales_policy.dayexplain import explain_day
    from sales_policy.htmlreport import render_html
    from sales_policy.mdreport import render_markdown

    records = [
        {"type": "sales_target", "employee_id": "E1", "period": "2026-11",
         "sales_amount": "1000", "new_customers": 0},
        {"type": "order", "order_id": "O1", "employee_id": "E1", "customer_id": "K1",
         "booked_at": "2026-11-02T10:00:00+08:00", "amount": "100", "status": "booked"},
    ]  # fmt: skip
    result = POLICY.check(records, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))
    assert [(f.rule_id, f.severity) for f in result] == [("ASM-TARGET-MISSED", "info")]
    table = reports.render(result, "table", lang="zh")
    assert "\n发现数   1\n" in table
    assert next(line for line in table.splitlines() if line.startswith("规则")).split() == [
        "规则", "严重程度", "发现数", "员工数", "名称"
    ]  # fmt: skip
    markdown = render_markdown(result, lang="zh")
    assert "| 发现数 | 1 |" in markdown and "| 有发现的员工 | 1 |" in markdown
    why = explain_day(POLICY, result, "E1", dt.date(2026, 11, 30), lang="zh")
    assert "当天发现 0 条，2026-11 整月发现 1 条" in why
    assert "条件成立：发现 1 条" in why
    for text in (table, markdown, render_html(result, lang="zh"), why):
        assert "违规" not in text


def test_the_evidence_in_chinese_names_why_a_market_report_was_due() -> None:
    """CRM-NO-MARKET-REPORT's evidence ``active_by`` is a coded value, ``employment`` (the
    employee record says they were employed) or ``records`` (no employee record, records of
    the month): a Chinese report names it in Chinese, as every coded value, not in English."""
    from sales_policy.findings import evidence_texts

    records = [
        {"type": "employee", "employee_id": "E1", "name": "张三", "hired_on": "2020-01-01"},
        {"type": "market_report", "record_id": "M1", "employee_id": "E2",
         "submitted_at": "2026-11-10T10:00:00+08:00", "topic": "competitors"},
        {"type": "customer_contact", "record_id": "K1", "employee_id": "E3",
         "customer_id": "C1", "at": "2026-11-10T10:00:00+08:00", "channel": "phone",
         "purpose": "after_sales"},
    ]  # fmt: skip
    result = POLICY.check(
        records, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30), rulesets=["customer_care"]
    )
    found = {f.employee_id: f for f in result if f.rule_id == "CRM-NO-MARKET-REPORT"}
    assert {e: f.evidence["active_by"] for e, f in found.items()} == {
        "E1": "employment",
        "E3": "records",
    }
    assert ("在职依据", "员工记录") in evidence_texts(found["E1"].evidence, "zh")
    assert ("在职依据", "业务记录") in evidence_texts(found["E3"].evidence, "zh")
    assert ("active_by", "employment") in evidence_texts(found["E1"].evidence, "en")


def test_a_coded_value_in_a_chinese_message_has_no_space_around_it() -> None:
    """A coded value is named in Chinese in a Chinese message, so it is written close up to
    the Chinese around it, as 将客户数据 and 导出 20 条客户记录 are: 档案缺少联系方式、需求,
    not 档案缺少 联系方式、需求 (ids and numbers keep their spaces: 客户 K1 的档案)."""
    records = [
        {"type": "order", "order_id": "O1", "employee_id": "E1", "customer_id": "K1",
         "booked_at": "2026-11-02T10:00:00+08:00", "amount": "100", "status": "booked"},
        {"type": "customer_profile", "customer_id": "K1", "employee_id": "E1",
         "updated_at": "2026-11-03T10:00:00+08:00", "name": "Acme"},
    ]  # fmt: skip
    result = POLICY.check(records, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))
    [found] = [f for f in result if f.rule_id == "CRM-PROFILE-INCOMPLETE"]
    assert found.message.zh == "客户 K1 的档案缺少联系方式、需求"
    assert found.message.en == "the file of customer K1 lacks contact, needs"
