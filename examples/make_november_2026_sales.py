"""Generate ``examples/november-2026-sales/``: the conduct and assessment records of the
same eight salespeople and the same month as ``examples/november-2026/`` (attendance).

The two folders are one example and are meant to be checked together; this one has no
``employees.csv`` of its own (the employees, teams and supervisors are the attendance
month's), and its plans and follow-ups may be kept by the visits in the attendance month's
``customer_visits.csv``:

    sales-policy check examples/november-2026/*.csv \\
        examples/november-2026-sales/*.csv --period 2026-11
    sales-policy score examples/november-2026/*.csv \\
        examples/november-2026-sales/*.csv --period 2026-11

The company sells industrial automation equipment (servo systems, PLCs, inverters) to
manufacturers in East China, and, through S007, in Singapore; amounts are in CNY.  Most of
the month is ordinary: orders, quotes within limits, contacts and visits, inquiries answered
within hours, customer files, one market report each, the quarter's product training.  On
documented days something happens on purpose: every rule of the discipline, integrity,
confidentiality, customer-care and assessment rule sets is broken, by this folder's records
or, for the two discipline rules that count attendance findings, by the attendance month's;
look-alikes that must *not* be reported sit beside the violations.

Everything the folder contains is declared once, below, and the generator writes from it:
one CSV per record type, ``expected.json`` (every intended finding of this folder's records
as ``{rule_id, employee_id, date, period}`` under the default policy; the month counts of
attendance findings are the attendance month's) and ``README.md`` (the violations, the
look-alikes and the scores, for people).  History that the rules read is included where they
need it: October's orders (the previous period of the growth rate), earlier orders and
contacts of customers not visited for months.

Standard library only, seeded, deterministic: running it twice writes identical files.

    python examples/make_november_2026_sales.py            # writes examples/november-2026-sales/
    python examples/make_november_2026_sales.py --out DIR  # somewhere else
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

from make_november_2026 import NAMES, run, violation_rows, write_files
from make_november_2026 import VIOLATIONS as ATTENDANCE_VIOLATIONS
from make_november_2026 import expected as expected_findings

SEED = 20261102
YEAR, MONTH = 2026, 11
OFFSET = "+08:00"  # Asia/Shanghai and Asia/Singapore are both UTC+8 all year
PERIOD = "2026-11"
LAST_DAY = date(2026, 11, 30)
EMPLOYEE_IDS = sorted(NAMES)


def d(day: int, month: int = MONTH) -> date:
    return date(YEAR, month, day)


def stamp(day: date, clock: str) -> str:
    """``2026-11-03T08:57:12+08:00`` from a date and ``HH:MM[:SS]``."""
    if clock.count(":") == 1:
        clock += ":00"
    return f"{day.isoformat()}T{clock}{OFFSET}"


def at(day: int, clock: str, month: int = MONTH) -> str:
    return stamp(d(day, month), clock)


def is_workday(day: date) -> bool:
    # Monday-Friday (handbook 1.2); October and November 2026 have no 调休 day, and the
    # National Day holiday (Oct 1-7) is left alone below.
    return day.weekday() < 5 and not (day.month == 10 and day.day <= 8)


# Days an employee is not at work in the attendance month (leave, absence, not yet hired):
# ordinary activity stays off them.
AWAY: dict[str, set[int]] = {
    "S001": {13, 18, 27},
    "S002": {12, 30},
    "S003": {13, 17, 20},
    "S004": {17, 26},
    "S005": {6, 25, 26},
    "S006": set(),
    "S007": {9},
    "S008": set(range(1, 16)) | {20},
}


def at_work(eid: str, day: date) -> bool:
    return is_workday(day) and not (day.month == MONTH and day.day in AWAY[eid])


# ----------------------------------------------------------------------------- customers

CITIES = ["上海", "苏州", "无锡", "杭州", "宁波", "南京", "常州", "嘉兴", "绍兴", "南通"]
CORES_TEXT = (
    "恒达华信中联瑞丰宏远金泰永兴天成万通嘉禾鼎盛汇丰联创博远新宇正宏安达东升华邦佳利"
    "腾飞光明顺昌鑫源宝康凯达盛世富华远航卓越信诚海川祥瑞同力华阳泰和德隆精工昌盛弘毅"
    "国瑞兆丰恒信广汇三友长江明珠锦程合众金鹰宏图源通天禾伟业美达众成润华通宇立诚华茂"
)
CORES = [CORES_TEXT[i : i + 2] for i in range(0, len(CORES_TEXT), 2)]
TRADES = [
    "机械制造",
    "电子科技",
    "精密模具",
    "包装材料",
    "汽车零部件",
    "新材料",
    "医疗器械",
    "食品机械",
    "纺织机械",
    "环保设备",
]
# S007 (赵丽) looks after the Singapore accounts.
SINGAPORE = {"C-1031", "C-1042", "C-1044", "C-1047", "C-1048", "C-1057", "C-1059"}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
PRODUCTS = ["伺服系统", "PLC 控制器", "变频器", "工业触摸屏", "运动控制卡", "编码器"]


def customer_names(rng: random.Random) -> dict[str, str]:
    assert len(CORES) == 60 and len(set(CORES)) == 60
    cores = CORES[:]
    rng.shuffle(cores)
    names = {}
    for number, core in zip(range(1001, 1061), cores, strict=True):
        cid = f"C-{number}"
        trade = rng.choice(TRADES)
        if cid in SINGAPORE:
            names[cid] = f"新加坡{core}{trade}私人有限公司"
        else:
            names[cid] = f"{rng.choice(CITIES)}{core}{trade}有限公司"
    return names


# Who looks after which customer, from when (to when).  (customer, employee, start, end)
ASSIGNMENTS: list[tuple[str, str, str, str]] = [
    # S001 王伟: C-1011, C-1012, C-1013 were prospects until November
    *((c, "S001", "2024-03-01", "") for c in ["C-1004", "C-1006", "C-1014", "C-1020", "C-1052"]),
    *((c, "S001", "2026-09-07", "") for c in ["C-1011", "C-1012", "C-1013"]),
    # S002 李娜
    *((c, "S002", "2025-01-06", "") for c in ["C-1017", "C-1021", "C-1024", "C-1030", "C-1038"]),
    *((c, "S002", "2026-09-14", "") for c in ["C-1015", "C-1016"]),
    # S003 张敏
    *(
        (c, "S003", "2025-09-01", "")
        for c in ["C-1003", "C-1023", "C-1025", "C-1027", "C-1046", "C-1049"]
    ),
    ("C-1022", "S003", "2026-09-21", ""),
    # S004 刘洋
    *((c, "S004", "2025-06-02", "") for c in ["C-1028", "C-1034", "C-1036", "C-1041", "C-1045"]),
    *((c, "S004", "2026-10-08", "") for c in ["C-1033", "C-1035"]),
    # S005 陈静: three accounts handed to the new colleague S008 on 16 November, and one
    # to S006 in October
    *((c, "S005", "2024-01-02", "") for c in ["C-1002", "C-1008", "C-1019", "C-1054"]),
    *((c, "S005", "2026-09-01", "") for c in ["C-1001", "C-1005", "C-1007"]),
    *((c, "S005", "2024-01-02", "2026-11-15") for c in ["C-1010", "C-1029", "C-1032"]),
    ("C-1040", "S005", "2024-01-02", "2026-10-14"),
    # S006 杨磊
    *((c, "S006", "2024-07-01", "") for c in ["C-1018", "C-1026", "C-1037", "C-1039", "C-1043"]),
    ("C-1040", "S006", "2026-10-15", ""),
    ("C-1009", "S006", "2026-09-01", ""),
    # S007 赵丽 (Singapore)
    *((c, "S007", "2025-02-03", "") for c in ["C-1031", "C-1047", "C-1048", "C-1057", "C-1059"]),
    *((c, "S007", "2026-09-07", "") for c in ["C-1042", "C-1044"]),
    # S008 黄婷, hired 16 November: S005's three accounts and two prospects
    *((c, "S008", "2026-11-16", "") for c in ["C-1010", "C-1029", "C-1032", "C-1050", "C-1051"]),
]


def assigned(eid: str, cid: str, day: date) -> bool:
    return any(
        e == eid
        and c == cid
        and date.fromisoformat(s) <= day
        and (not end or day <= date.fromisoformat(end))
        for c, e, s, end in ASSIGNMENTS
    )


def portfolio(eid: str, day: date) -> list[str]:
    return sorted({c for c, e, _, _ in ASSIGNMENTS if e == eid and assigned(eid, c, day)})


# ----------------------------------------------------------------------------- sales

# (employee, customer, booked_at, amount, status, reversed_at); month 11 unless given.
Order = tuple[str, str, str, int, str, str]
ORDERS_NOVEMBER: list[Order] = [
    # S001 王伟: 372,000 net (target 300,000); C-1012 is new
    ("S001", "C-1004", at(3, "10:15:20"), 86000, "booked", ""),
    ("S001", "C-1052", at(4, "14:30:05"), 52000, "booked", ""),
    ("S001", "C-1012", at(10, "11:20:41"), 48000, "booked", ""),
    ("S001", "C-1006", at(16, "15:40:12"), 74000, "booked", ""),
    ("S001", "C-1011", at(19, "10:05:33"), 38000, "booked", ""),
    ("S001", "C-1020", at(24, "16:10:08"), 46000, "booked", ""),
    ("S001", "C-1020", at(30, "11:20:16"), 28000, "booked", ""),
    # S002 李娜: 260,000 booked, 30,000 of it cancelled: 230,000 net (target 250,000)
    ("S002", "C-1021", at(3, "09:40:27"), 64000, "booked", ""),
    ("S002", "C-1015", at(5, "15:10:49"), 42000, "booked", ""),
    ("S002", "C-1024", at(11, "14:20:36"), 58000, "booked", ""),
    ("S002", "C-1038", at(17, "10:30:02"), 36000, "booked", ""),
    ("S002", "C-1030", at(23, "16:00:18"), 30000, "booked", ""),
    ("S002", "C-1021", at(27, "11:20:54"), 30000, "cancelled", at(30, "10:05:12")),
    # S003 张敏: 252,000 net (target 280,000); C-1022 is new
    ("S003", "C-1003", at(3, "11:00:44"), 72000, "booked", ""),
    ("S003", "C-1025", at(9, "15:30:21"), 55000, "booked", ""),
    ("S003", "C-1022", at(12, "10:20:09"), 40000, "booked", ""),
    ("S003", "C-1046", at(18, "14:00:37"), 47000, "booked", ""),
    ("S003", "C-1049", at(24, "10:40:15"), 38000, "booked", ""),
    ("S003", "C-1023", at(25, "15:50:03"), 18000, "cancelled", at(27, "09:30:26")),
    # S004 刘洋: 150,000 booked, 40,000 of it refunded: 110,000 net (target 200,000)
    ("S004", "C-1034", at(4, "10:50:31"), 32000, "booked", ""),
    ("S004", "C-1036", at(10, "15:20:58"), 28000, "booked", ""),
    ("S004", "C-1041", at(18, "11:10:24"), 30000, "booked", ""),
    ("S004", "C-1045", at(23, "14:40:11"), 20000, "booked", ""),
    ("S004", "C-1035", at(27, "17:40:06"), 40000, "refunded", at(30, "15:30:40")),
    # S005 陈静: 336,000 net (target 320,000); C-1001 is new
    ("S005", "C-1002", at(2, "10:30:19"), 78000, "booked", ""),
    ("S005", "C-1001", at(4, "14:10:52"), 56000, "booked", ""),
    ("S005", "C-1019", at(10, "11:30:07"), 64000, "booked", ""),
    ("S005", "C-1054", at(16, "15:00:45"), 52000, "booked", ""),
    ("S005", "C-1008", at(19, "10:20:33"), 46000, "booked", ""),
    ("S005", "C-1005", at(23, "16:30:28"), 40000, "booked", ""),
    # S006 杨磊: 208,000 net (target 260,000): exactly 80%
    ("S006", "C-1018", at(3, "15:20:14"), 70000, "booked", ""),
    ("S006", "C-1026", at(11, "10:40:39"), 48000, "booked", ""),
    ("S006", "C-1043", at(17, "14:50:22"), 55000, "booked", ""),
    ("S006", "C-1037", at(24, "11:10:57"), 35000, "booked", ""),
    # S007 赵丽: 264,000 net (target 240,000); C-1042 is new
    ("S007", "C-1059", at(3, "10:30:48"), 72000, "booked", ""),
    ("S007", "C-1042", at(6, "14:00:26"), 45000, "booked", ""),
    ("S007", "C-1031", at(12, "11:00:13"), 50000, "booked", ""),
    ("S007", "C-1047", at(18, "15:30:59"), 52000, "booked", ""),
    ("S007", "C-1057", at(24, "10:20:35"), 45000, "booked", ""),
    # S008 黄婷: 36,000 net (target 60,000 for her half month); C-1029 bought from S005 in
    # October, so it is not her new customer
    ("S008", "C-1029", at(19, "14:30:17"), 21000, "booked", ""),
    ("S008", "C-1032", at(25, "10:50:42"), 15000, "booked", ""),
]

# Earlier orders: October's are the previous period of November's growth rate; older ones
# make their customers buying customers (CRM-NO-REVISIT, customers developed).
ORDERS_BEFORE: list[Order] = [
    # October: S001 300,000; S002 200,000; S003 280,000; S004 110,000; S005 280,000;
    # S006 260,000; S007 240,000; S008 none (not yet hired)
    ("S001", "C-1004", at(12, "10:40:00", 10), 120000, "booked", ""),
    ("S001", "C-1006", at(20, "14:15:00", 10), 95000, "booked", ""),
    ("S001", "C-1052", at(28, "11:05:00", 10), 85000, "booked", ""),
    ("S002", "C-1021", at(9, "10:10:00", 10), 70000, "booked", ""),
    ("S002", "C-1024", at(16, "15:30:00", 10), 50000, "booked", ""),
    ("S002", "C-1030", at(23, "09:50:00", 10), 45000, "booked", ""),
    ("S002", "C-1038", at(27, "16:20:00", 10), 35000, "booked", ""),
    ("S003", "C-1003", at(10, "11:30:00", 10), 90000, "booked", ""),
    ("S003", "C-1025", at(15, "14:00:00", 10), 70000, "booked", ""),
    ("S003", "C-1046", at(22, "10:25:00", 10), 60000, "booked", ""),
    ("S003", "C-1049", at(29, "15:45:00", 10), 60000, "booked", ""),
    ("S004", "C-1028", at(14, "10:35:00", 10), 45000, "booked", ""),
    ("S004", "C-1034", at(21, "14:50:00", 10), 35000, "booked", ""),
    ("S004", "C-1036", at(28, "11:15:00", 10), 30000, "booked", ""),
    ("S005", "C-1002", at(13, "10:00:00", 10), 80000, "booked", ""),
    ("S005", "C-1019", at(19, "14:40:00", 10), 60000, "booked", ""),
    ("S005", "C-1010", at(21, "11:20:00", 10), 40000, "booked", ""),
    ("S005", "C-1029", at(26, "15:10:00", 10), 55000, "booked", ""),
    ("S005", "C-1032", at(28, "10:45:00", 10), 45000, "booked", ""),
    ("S006", "C-1018", at(12, "09:55:00", 10), 90000, "booked", ""),
    ("S006", "C-1026", at(19, "15:25:00", 10), 60000, "booked", ""),
    ("S006", "C-1043", at(23, "11:40:00", 10), 65000, "booked", ""),
    ("S006", "C-1039", at(28, "14:05:00", 10), 45000, "booked", ""),
    ("S007", "C-1059", at(13, "10:20:00", 10), 80000, "booked", ""),
    ("S007", "C-1031", at(20, "15:00:00", 10), 50000, "booked", ""),
    ("S007", "C-1047", at(26, "11:10:00", 10), 60000, "booked", ""),
    ("S007", "C-1057", at(29, "14:30:00", 10), 50000, "booked", ""),
    # earlier in 2026
    ("S003", "C-1027", at(10, "10:30:00", 4), 26000, "booked", ""),
    ("S001", "C-1014", at(18, "14:20:00", 6), 33000, "booked", ""),
    ("S002", "C-1017", at(20, "11:00:00", 8), 20000, "booked", ""),
    ("S005", "C-1040", at(8, "15:40:00", 9), 32000, "booked", ""),
    ("S006", "C-1037", at(14, "10:50:00", 9), 28000, "booked", ""),
    ("S001", "C-1020", at(15, "16:10:00", 9), 45000, "booked", ""),
    ("S004", "C-1041", at(10, "09:45:00", 9), 25000, "booked", ""),
    ("S007", "C-1048", at(21, "10:15:00", 9), 22000, "booked", ""),
    ("S003", "C-1023", at(22, "14:35:00", 9), 30000, "booked", ""),
    ("S004", "C-1045", at(24, "15:05:00", 9), 18000, "booked", ""),
    ("S005", "C-1054", at(17, "11:25:00", 9), 50000, "booked", ""),
    ("S005", "C-1008", at(29, "10:05:00", 9), 30000, "booked", ""),
]

# (employee, customer, signed_at, amount): framework and service contracts.  A contract wins
# a customer as an order does: C-1011, C-1013, C-1016, C-1005, C-1007, C-1009, C-1044 and
# C-1050 are first won by their contract.
CONTRACTS: list[tuple[str, str, str, int]] = [
    ("S001", "C-1011", at(5, "10:30:00"), 150000),
    ("S001", "C-1013", at(17, "15:00:00"), 120000),
    ("S002", "C-1016", at(10, "14:30:00"), 80000),
    ("S004", "C-1028", at(12, "14:00:00"), 60000),
    ("S005", "C-1005", at(3, "11:00:00"), 150000),
    ("S005", "C-1007", at(24, "16:30:00"), 90000),
    ("S006", "C-1009", at(9, "10:00:00"), 90000),
    ("S007", "C-1044", at(16, "11:30:00"), 100000),
    ("S008", "C-1050", at(23, "11:00:00"), 30000),
]

# The month's targets: (employee, sales amount, new customers)
TARGETS = {
    "S001": (300000, 2),
    "S002": (250000, 2),
    "S003": (280000, 2),
    "S004": (200000, 2),
    "S005": (320000, 3),
    "S006": (260000, 2),
    "S007": (240000, 2),
    "S008": (60000, 1),
}

# Satisfaction surveys: (employee, customer, day, score, scale_max)
SURVEYS: list[tuple[str, str, int, int, int]] = [
    # S001: 100, 80, 100, 80 -> 90
    ("S001", "C-1004", 9, 5, 5),
    ("S001", "C-1052", 11, 4, 5),
    ("S001", "C-1012", 19, 5, 5),
    ("S001", "C-1006", 25, 4, 5),
    # S002: 100, 80, 80, 100, 80 -> 88
    ("S002", "C-1021", 6, 5, 5),
    ("S002", "C-1015", 13, 4, 5),
    ("S002", "C-1024", 18, 4, 5),
    ("S002", "C-1038", 24, 5, 5),
    ("S002", "C-1030", 27, 4, 5),
    # S003: 100, 80, 100, 80 -> 90
    ("S003", "C-1003", 6, 5, 5),
    ("S003", "C-1025", 13, 4, 5),
    ("S003", "C-1022", 19, 5, 5),
    ("S003", "C-1046", 24, 4, 5),
    # S004: 60, 40 -> 50, below 60
    ("S004", "C-1034", 11, 3, 5),
    ("S004", "C-1036", 19, 2, 5),
    # S005: 100, 100, 100, 100, 80 -> 96
    ("S005", "C-1002", 5, 5, 5),
    ("S005", "C-1001", 10, 5, 5),
    ("S005", "C-1019", 16, 5, 5),
    ("S005", "C-1054", 20, 5, 5),
    ("S005", "C-1008", 24, 4, 5),
    # S006: 80, 40 -> 60, exactly the minimum
    ("S006", "C-1018", 9, 4, 5),
    ("S006", "C-1026", 19, 2, 5),
    # S007: 90 (9 of 10, a Singapore customer's ten-point form), 100, 80 -> 90
    ("S007", "C-1059", 10, 9, 10),
    ("S007", "C-1042", 13, 5, 5),
    ("S007", "C-1031", 20, 4, 5),
    # S008: 80
    ("S008", "C-1029", 25, 4, 5),
]

# Required training: (employee, course, required_by, completed_at)
PRODUCT_COURSE = "第四季度产品知识培训（新一代伺服系统）"
COMPLIANCE_COURSE = "信息安全与保密年度培训"
INDUCTION_COURSE = "新员工入职合规培训（含反商业贿赂）"
TRAININGS: list[tuple[str, str, str, str]] = [
    ("S001", PRODUCT_COURSE, "2026-11-20", at(20, "17:30:00")),
    ("S002", PRODUCT_COURSE, "2026-11-20", at(11, "16:05:00")),
    ("S003", PRODUCT_COURSE, "2026-11-20", at(16, "15:40:00")),
    ("S004", PRODUCT_COURSE, "2026-11-20", at(19, "16:50:00")),
    ("S005", PRODUCT_COURSE, "2026-11-20", at(23, "10:15:00")),
    ("S006", PRODUCT_COURSE, "2026-11-20", at(13, "14:30:00")),
    ("S007", PRODUCT_COURSE, "2026-11-20", at(17, "11:20:00")),
    ("S008", INDUCTION_COURSE, "2026-11-27", ""),
    *((eid, COMPLIANCE_COURSE, "2026-12-15", "") for eid in EMPLOYEE_IDS),
]

# ----------------------------------------------------------------------------- conduct

# (employee, organisation, role, start, end, declared_at, status)
OUTSIDE_WORK: list[tuple[str, str, str, str, str, str, str]] = [
    ("S002", "淘宝网店“李娜家居小店”", "店主", "2026-06-01", "", "", "undeclared"),
    (
        "S004",
        "网约车平台",
        "兼职司机（晚间、周末）",
        "2026-10-10",
        "",
        at(20, "09:15:00", 10),
        "pending",
    ),
    (
        "S005",
        "上海某职业技术学院",
        "兼职讲师（市场营销，每周一次晚课）",
        "2026-09-01",
        "2027-01-15",
        at(20, "10:30:00", 8),
        "approved",
    ),
    (
        "S003",
        "朋友开办的咨询公司",
        "兼职顾问",
        "2026-03-01",
        "2026-10-31",
        at(2, "11:00:00", 3),
        "rejected",
    ),
]

# (employee, at, category, description, reported_by, substantiated)
INCIDENTS: list[tuple[str, str, str, str, str, bool]] = [
    ("S004", at(12, "10:30:00"), "dress", "穿短裤、拖鞋拜访客户并参加采购会议", "M001", True),
    ("S007", at(19, "15:20:00"), "speech", "电话中对客户言语粗鲁，客户向主管投诉", "M002", True),
    ("S002", at(24, "14:10:00"), "manner", "客户反映会议中态度冷淡；经了解系误会", "M001", False),
]

# Quotes: the limits are the employee's: a 15% discount (10% for the juniors S004 and S008),
# standard delivery 15 days, standard warranty 12 months.
MAX_DISCOUNT = {eid: 10 if eid in ("S004", "S008") else 15 for eid in EMPLOYEE_IDS}
STANDARD_DELIVERY, STANDARD_WARRANTY = 15, 12
# (employee, customer, at, discount_pct, delivery_days, warranty_months): the documented ones
QUOTES_NAMED: list[tuple[str, str, str, int, int, int]] = [
    ("S004", "C-1033", at(9, "15:10:00"), 18, 20, 12),
    ("S002", "C-1038", at(18, "10:45:00"), 8, 7, 12),
    ("S001", "C-1006", at(12, "11:30:00"), 15, 15, 12),
    ("S007", "C-1047", at(16, "14:20:00"), 12, 15, 12),
]

# (employee, customer, at, category, substantiated)
COMPLAINTS: list[tuple[str, str, str, str, bool]] = [
    ("S003", "C-1046", at(11, "09:40:00"), "false_advertising", True),
    ("S004", "C-1034", at(20, "10:15:00"), "misleading", True),
    ("S001", "C-1006", at(16, "16:30:00"), "false_advertising", False),
    ("S006", "C-1018", at(25, "11:05:00"), "service", True),
]

# (employee, counterparty customer, direction, value, currency, at, approved)
GIFTS: list[tuple[str, str, str, str, str, str, bool]] = [
    ("S005", "C-1054", "received", "680.00", "CNY", at(13, "17:20:00"), False),
    ("S006", "C-1037", "given", "1480.00", "CNY", at(18, "19:30:00"), False),
    ("S001", "C-1004", "given", "198.00", "CNY", at(10, "15:00:00"), False),
    ("S002", "C-1024", "given", "200.00", "CNY", at(5, "16:40:00"), False),
    ("S003", "C-1003", "received", "1200.00", "CNY", at(26, "10:20:00"), True),
    ("S007", "C-1059", "given", "120.00", "SGD", at(20, "15:45:00"), True),
]

# Data accesses named in the README: (employee, at, customer, data_class, action,
# record_count, destination, destination_kind, approved)
Access = tuple[str, str, str, str, str, int, str, str, bool]
ACCESSES_NAMED: list[Access] = [
    # violations
    (
        "S003",
        at(24, "21:15:00"),
        "",
        "customer",
        "email",
        320,
        "hr.li@ruitai-auto.example",
        "competitor",
        False,
    ),
    (
        "S006",
        at(19, "22:40:00"),
        "",
        "trade_secret",
        "upload",
        1,
        "https://pan.baidu.com/s/1tender-price",
        "personal",
        False,
    ),
    (
        "S005",
        at(11, "14:25:00"),
        "",
        "customer",
        "email",
        60,
        "survey@shichang-diaoyan.example",
        "external",
        False,
    ),
    (
        "S008",
        at(24, "10:35:00"),
        "",
        "customer",
        "share",
        45,
        "expo@zhanlan-fuwu.example",
        "external",
        False,
    ),
    (
        "S003",
        at(23, "19:05:00"),
        "",
        "customer",
        "email",
        150,
        "zhangmin_home@163.com",
        "personal",
        False,
    ),
    (
        "S004",
        at(13, "18:40:00"),
        "",
        "internal",
        "email",
        1,
        "liuyang_88@qq.com",
        "personal",
        False,
    ),
    ("S003", at(19, "17:40:00"), "", "customer", "export", 1850, "", "", False),
    ("S004", at(16, "16:20:00"), "", "customer", "export", 620, "", "", False),
    ("S004", at(5, "10:12:00"), "C-1004", "customer", "view", 12, "", "", False),
    ("S004", at(18, "14:48:00"), "C-1006", "customer", "view", 8, "", "", False),
    # look-alikes
    ("S001", at(6, "15:30:00"), "", "customer", "export", 500, "", "", False),
    (
        "S005",
        at(20, "10:05:00"),
        "",
        "customer",
        "export",
        2400,
        "m002@company.example",
        "internal",
        True,
    ),
    (
        "S001",
        at(23, "11:15:00"),
        "",
        "customer",
        "share",
        80,
        "audit@kuaiji-shiwusuo.example",
        "external",
        True,
    ),
    (
        "S006",
        at(18, "20:10:00"),
        "",
        "trade_secret",
        "email",
        1,
        "m002@company.example",
        "internal",
        False,
    ),
    (
        "S007",
        at(12, "11:40:00"),
        "C-1031",
        "customer",
        "email",
        3,
        "purchasing@c1031.example.sg",
        "customer",
        False,
    ),
    ("S005", at(13, "09:50:00"), "C-1029", "customer", "view", 6, "", "", False),
    ("S008", at(17, "10:20:00"), "C-1029", "customer", "view", 14, "", "", False),
    ("S002", at(19, "16:10:00"), "C-1055", "customer", "view", 2, "", "", False),
]

# ----------------------------------------------------------------------------- customer care

# Contacts named in the README: (employee, customer, at, channel, purpose)
Contact = tuple[str, str, str, str, str]
CONTACTS_NAMED: list[Contact] = [
    # never contacted for months
    ("S001", "C-1014", at(14, "10:20:00", 8), "phone", "return_visit"),
    ("S003", "C-1027", at(20, "15:00:00", 7), "visit", "return_visit"),
    ("S002", "C-1017", at(1, "14:30:00", 9), "phone", "return_visit"),
    # follow-ups of contracts
    ("S001", "C-1011", at(20, "10:00:00", 10), "visit", "prospecting"),
    ("S001", "C-1011", at(12, "16:00:00"), "phone", "after_sales"),
    ("S001", "C-1013", at(19, "09:40:00"), "phone", "after_sales"),
    ("S002", "C-1016", at(13, "10:30:00"), "email", "after_sales"),
    ("S004", "C-1028", at(22, "11:00:00", 10), "phone", "maintenance"),
    ("S004", "C-1028", at(20, "15:10:00"), "phone", "after_sales"),
    ("S005", "C-1005", at(5, "14:00:00"), "visit", "after_sales"),
    ("S005", "C-1007", at(10, "10:40:00"), "phone", "prospecting"),
    ("S006", "C-1009", at(28, "14:00:00", 10), "visit", "prospecting"),
    ("S007", "C-1044", at(18, "09:30:00"), "email", "after_sales"),
    ("S008", "C-1050", at(25, "10:00:00"), "phone", "after_sales"),
    # plans and their visits
    ("S003", "C-1046", at(19, "10:00:00"), "visit", "return_visit"),
    ("S004", "C-1033", at(4, "11:30:00"), "phone", "prospecting"),
    ("S006", "C-1039", at(22, "16:00:00", 10), "phone", "return_visit"),
    ("S004", "C-1035", at(22, "10:00:00"), "phone", "prospecting"),
]
# (employee, customer) pairs whose contacts are all named above: no ordinary contact is made
# up for them, so that the documented gaps stay gaps.
CONTACTS_ONLY_NAMED = {
    ("S001", "C-1014"),
    ("S003", "C-1027"),
    ("S002", "C-1017"),
    ("S001", "C-1011"),
    ("S004", "C-1028"),
    ("S005", "C-1007"),
    ("S006", "C-1009"),
    ("S004", "C-1033"),
    ("S006", "C-1039"),
    ("S006", "C-1040"),
}

# Visit plans named in the README: (employee, customer, planned day, day the plan was made)
PLANS_NAMED: list[tuple[str, str, int, int]] = [
    ("S004", "C-1033", 16, 10),
    ("S006", "C-1039", 24, 18),
    ("S001", "C-1004", 9, 4),  # kept by the attendance month's visit V0009
    ("S004", "C-1045", 19, 13),  # kept by the attendance month's visit V0021
    ("S003", "C-1046", 18, 12),  # kept by the visit contact the next day
    ("S007", "C-1048", 30, 24),  # still open at the end of the month
]
# The plans above that the attendance month's visits keep: their pairs' November contacts are
# no visits, so that this folder checked alone misses them (CRM-PLAN-MISSED).
PLANS_KEPT_BY_ATTENDANCE = {("S001", "C-1004"), ("S004", "C-1045")}

# Inquiries named in the README: (employee, customer, received_at, responded_at)
INQUIRIES_NAMED: list[tuple[str, str, str, str]] = [
    ("S002", "C-1024", at(11, "10:05:00"), at(13, "09:20:00")),
    ("S007", "C-1057", at(19, "16:30:00"), ""),
    ("S001", "C-1006", at(24, "09:30:00"), at(25, "09:29:00")),
    ("S008", "C-1029", at(30, "15:00:00"), ""),
    ("S005", "C-1019", at(27, "18:00:00"), at(28, "10:00:00")),
]

# Customer files whose content the README names: (employee, customer, updated_at, name?,
# contact?, needs?) -- False leaves the field empty
PROFILES_NAMED: list[tuple[str, str, str, bool, bool, bool]] = [
    ("S004", "C-1036", at(10, "16:30:00"), True, False, True),
    ("S008", "C-1050", at(24, "09:45:00"), True, True, False),
    ("S004", "C-1033", at(4, "11:45:00"), True, True, False),
    ("S002", "C-1015", at(5, "17:00:00"), True, True, False),
    ("S002", "C-1015", at(20, "10:30:00"), True, True, True),
]

# Market reports: (employee, submitted_at, topic); S003 and S004 submit none
MARKET_REPORTS: list[tuple[str, str, str]] = [
    ("S001", at(20, "16:45:00"), "苏南地区注塑机行业伺服改造需求调研"),
    ("S002", at(16, "17:10:00"), "竞争对手第四季度 PLC 降价策略分析"),
    ("S005", at(13, "15:30:00"), "长三角医疗器械客户年度采购计划汇总"),
    ("S006", at(30, "21:40:00"), "华东区某大客户年终集中采购招标竞争格局"),
    ("S007", at(24, "11:50:00"), "新加坡半导体设备市场与本地竞品动态"),
    ("S008", at(27, "16:20:00"), "宁波包装机械客户走访小结"),
]

# ----------------------------------------------------------------------------- intended results

# Intended findings of the discipline, integrity, confidentiality, customer-care and
# assessment rule sets under the default policy, checked with the attendance month, but for
# DIS-REPEATED-LATE and DIS-REPEATED-ABSENCE: those count the attendance month's findings and
# are in its expected findings.  (rule_id, employee_id, day or None for the month, what
# happens)
VIOLATIONS: list[tuple[str, str, int | None, str]] = [
    (
        "DIS-MOONLIGHT",
        "S002",
        1,
        "online shop 李娜家居小店 (店主) since 2026-06-01, never declared (`undeclared`); "
        "dated the period's first day",
    ),
    (
        "DIS-MOONLIGHT",
        "S004",
        1,
        "ride-hailing driver since 2026-10-10, declared 2026-10-20, still `pending`",
    ),
    (
        "DIS-IMAGE",
        "S004",
        12,
        "substantiated: shorts and slippers at a customer's purchasing meeting",
    ),
    ("DIS-IMAGE", "S007", 19, "substantiated: rude to a customer on the phone"),
    (
        "INT-EXAGGERATED-PROMISE",
        "S004",
        9,
        "quote to C-1033 with an 18% discount; he may give 10%",
    ),
    (
        "INT-EXAGGERATED-PROMISE",
        "S002",
        18,
        "quote to C-1038 promising delivery in 7 days; the standard is 15",
    ),
    (
        "INT-MISLEADING",
        "S003",
        11,
        "C-1046's complaint (`false_advertising`: a 30% energy saving promised) substantiated",
    ),
    (
        "INT-MISLEADING",
        "S004",
        20,
        "C-1034's complaint (`misleading`: servo drives said to fit its old PLCs) substantiated",
    ),
    (
        "INT-SALES-REVERSAL",
        "S002",
        27,
        "30,000 order of C-1021 booked Fri 27th (3 days before the month's end), "
        "cancelled Mon 30th",
    ),
    (
        "INT-SALES-REVERSAL",
        "S004",
        27,
        "40,000 order of the prospect C-1035 booked Fri 27th 17:40, refunded Mon 30th",
    ),
    ("INT-GIFT", "S005", 13, "receives a 680.00 CNY tea set from C-1054, not approved"),
    (
        "INT-GIFT",
        "S006",
        18,
        "gives 1,480.00 CNY of liquor and cigarettes to C-1037's buyer, not approved",
    ),
    (
        "CONF-COMPETITOR",
        "S003",
        24,
        "e-mails 320 customer records, 21:15, to an address the mail gateway marks `competitor`",
    ),
    (
        "CONF-SECRET-LEAK",
        "S006",
        19,
        "uploads the tender price calculation (`trade_secret`) to his personal cloud drive "
        "at 22:40: a leak, not only CONF-PERSONAL",
    ),
    (
        "CONF-EXTERNAL-SHARE",
        "S005",
        11,
        "e-mails 60 customers' purchase histories to a market research agency, not approved",
    ),
    (
        "CONF-EXTERNAL-SHARE",
        "S008",
        24,
        "shares 45 customer contacts with an exhibition organiser, not approved",
    ),
    (
        "CONF-PERSONAL",
        "S003",
        23,
        "e-mails 150 customer contacts to her own 163.com mailbox",
    ),
    ("CONF-PERSONAL", "S004", 13, "e-mails the internal weekly sales report to his QQ mailbox"),
    (
        "CONF-BULK-EXPORT",
        "S003",
        19,
        "exports 1,850 customer records, not approved (over 500)",
    ),
    ("CONF-BULK-EXPORT", "S004", 16, "exports 620 customer records, not approved"),
    ("CONF-UNASSIGNED", "S004", 5, "views C-1004's data; C-1004 is S001's customer"),
    ("CONF-UNASSIGNED", "S004", 18, "views C-1006's data; C-1006 is S001's customer"),
    (
        "CRM-NO-FOLLOW-UP",
        "S006",
        9,
        "contract with C-1009 signed 10:00; no contact or visit by the 16th",
    ),
    (
        "CRM-NO-FOLLOW-UP",
        "S004",
        12,
        "contract with C-1028 signed 14:00; first contact on the 20th, a day after the 19th",
    ),
    (
        "CRM-NO-REVISIT",
        "S001",
        30,
        "C-1014 bought in June; last contact 2026-08-14: 108 days > 90",
    ),
    (
        "CRM-NO-REVISIT",
        "S003",
        30,
        "C-1027 bought in April; last contact 2026-07-20: 133 days > 90",
    ),
    (
        "CRM-SLOW-RESPONSE",
        "S002",
        11,
        "C-1024's inquiry of 10:05 answered on the 13th at 09:20 (47 h 15 min; her leave "
        "on the 12th was not handed over)",
    ),
    ("CRM-SLOW-RESPONSE", "S007", 19, "C-1057's inquiry of 16:30 never answered"),
    ("CRM-PLAN-MISSED", "S004", 16, "visit to the prospect C-1033 planned, none 15th–17th"),
    ("CRM-PLAN-MISSED", "S006", 24, "visit to C-1039 planned, none 23rd–25th"),
    (
        "CRM-PROFILE-INCOMPLETE",
        "S004",
        30,
        "the file of C-1036 (a buying customer) has no contact",
    ),
    (
        "CRM-PROFILE-INCOMPLETE",
        "S008",
        30,
        "the file of her new customer C-1050 has no needs",
    ),
    ("CRM-NO-MARKET-REPORT", "S003", None, "no market report in November"),
    ("CRM-NO-MARKET-REPORT", "S004", None, "no market report in November"),
    ("ASM-TARGET-MISSED", "S002", None, "net sales 230,000 < 250,000 (the cancelled order)"),
    ("ASM-TARGET-MISSED", "S003", None, "net sales 252,000 < 280,000"),
    ("ASM-TARGET-MISSED", "S004", None, "net sales 110,000 < 200,000"),
    ("ASM-TARGET-MISSED", "S006", None, "net sales 208,000 < 260,000"),
    ("ASM-TARGET-MISSED", "S008", None, "net sales 36,000 < 60,000"),
    ("ASM-LOW-SATISFACTION", "S004", None, "two surveys, 3 and 2 of 5: 50 < 60"),
    (
        "ASM-TRAINING-OVERDUE",
        "S005",
        20,
        "product training due the 20th, completed the 23rd",
    ),
    ("ASM-TRAINING-OVERDUE", "S008", 27, "induction training due the 27th, not completed"),
]

# Deliberate look-alikes that must produce no finding: (employee, case)
NON_VIOLATIONS: list[tuple[str, str]] = [
    ("S005", "outside work approved: evening lecturer at a vocational college (DIS-MOONLIGHT)"),
    ("S003", "outside work rejected but ended 2026-10-31, before the month (DIS-MOONLIGHT)"),
    ("S002", "incident on the 24th not substantiated (DIS-IMAGE)"),
    ("S001", "quote with a 15% discount, exactly his limit (INT-EXAGGERATED-PROMISE)"),
    ("S007", "quote with 15 days' delivery and 12 months' warranty, exactly the standard"),
    ("S001", "C-1006's false-advertising complaint not substantiated (INT-MISLEADING)"),
    ("S006", "C-1018's substantiated complaint is about `service`, not integrity"),
    (
        "S003",
        "order of the 25th (5 days before the month's end, not within the last 5) "
        "cancelled on the 27th (INT-SALES-REVERSAL)",
    ),
    (
        "S001",
        "order booked on the 30th, not reversed: pending (its 30 days run into December), "
        "not a finding",
    ),
    ("S001", "gift of 198.00 CNY without approval: under the 200 limit (INT-GIFT)"),
    ("S002", "gift of exactly 200.00 CNY without approval: not above the limit"),
    ("S003", "gift of 1,200.00 CNY received, approved"),
    ("S007", "gift of 120.00 SGD (no rate in the policy), approved: approval clears it"),
    ("S001", "export of exactly 500 customer records, not approved (CONF-BULK-EXPORT)"),
    ("S005", "export of 2,400 customer records, approved, to her supervisor"),
    ("S001", "80 customer records shared with the external auditor, approved"),
    ("S006", "the tender price sheet e-mailed to his supervisor (`internal`)"),
    ("S007", "a quotation with C-1031's data e-mailed to C-1031 itself (`customer`)"),
    ("S005", "views C-1029 on the 13th, hers until the 15th (CONF-UNASSIGNED)"),
    ("S008", "views C-1029 on the 17th, hers from the 16th"),
    ("S002", "views C-1055, a customer nobody is assigned: not judged"),
    ("S001", "contract with C-1011 on the 5th, phoned on the 12th, the 7th day (CRM-NO-FOLLOW-UP)"),
    (
        "S005",
        "contract with C-1007 on the 24th, no contact yet: due 1 December, pending, not a finding",
    ),
    ("S002", "C-1017 last contacted 2026-09-01: 90 days, not more (CRM-NO-REVISIT)"),
    ("S006", "C-1040 taken over from S005 on 2026-10-15, not yet contacted: 46 days"),
    ("S005", "C-1010, C-1029, C-1032 handed to S008 on the 16th: no longer hers to revisit"),
    ("S001", "C-1006's inquiry answered after 23 h 59 min (CRM-SLOW-RESPONSE)"),
    ("S005", "C-1019's inquiry of Friday 18:00 answered Saturday 10:00 (16 h)"),
    ("S008", "C-1029's inquiry of the 30th, 15:00, not answered yet: pending"),
    ("S001", "plan for C-1004 on the 9th kept by the attendance month's visit V0009"),
    ("S004", "plan for C-1045 on the 19th kept by the attendance month's visit V0021"),
    ("S003", "plan for C-1046 on the 18th kept by a visit the next day (CRM-PLAN-MISSED)"),
    ("S007", "plan for C-1048 on the 30th, no visit yet: pending"),
    ("S004", "the file of the prospect C-1033 has no needs: only buying customers are judged"),
    ("S002", "C-1015's file lacked needs on the 5th, completed on the 20th: the latest counts"),
    ("S006", "market report at 21:40 on the 30th, the month's last evening"),
    ("S008", "hired on the 16th, reports on the 27th (CRM-NO-MARKET-REPORT)"),
    ("S006", "satisfaction 60 (4 and 2 of 5), exactly the minimum (ASM-LOW-SATISFACTION)"),
    ("S001", "product training completed on its due date, 17:30 on the 20th"),
    ("everyone", "security training due 15 December: not due in November"),
    (
        "S008",
        "sells to C-1029, S005's customer since October: not her new customer "
        "(customers developed)",
    ),
    (
        "S004",
        "his only order of a new customer (C-1035) was refunded: no customer developed",
    ),
]


# ----------------------------------------------------------------------------- building


def times(rng: random.Random, low: str, high: str) -> str:
    def seconds(clock: str) -> int:
        h, m = clock.split(":")
        return int(h) * 3600 + int(m) * 60

    t = rng.randint(seconds(low), seconds(high))
    return f"{t // 3600:02d}:{t // 60 % 60:02d}:{t % 60:02d}"


def workdays(eid: str, first: date, last: date) -> list[date]:
    days = [first + timedelta(n) for n in range((last - first).days + 1)]
    return [day for day in days if at_work(eid, day)]


def active_pairs() -> list[tuple[str, str, date, date]]:
    """(employee, customer, first, last) of each assignment, cut to September-November."""
    pairs = []
    for cid, eid, start, end in ASSIGNMENTS:
        first = max(date.fromisoformat(start), date(2026, 9, 1))
        last = min(date.fromisoformat(end), LAST_DAY) if end else LAST_DAY
        if first <= last:
            pairs.append((eid, cid, first, last))
    return pairs


def ordinary_contacts(rng: random.Random) -> list[Contact]:
    """One or two contacts per assignment in September-October, and one to three in
    November: every buying customer assigned at the month's end is contacted well within
    90 days.  Pairs in CONTACTS_ONLY_NAMED get none."""
    contacts: list[Contact] = []
    for eid, cid, first, last in active_pairs():
        if (eid, cid) in CONTACTS_ONLY_NAMED:
            continue
        spans = [
            (max(first, date(2026, 9, 1)), min(last, date(2026, 10, 31)), rng.randint(1, 2)),
            (max(first, date(2026, 11, 2)), min(last, date(2026, 11, 27)), rng.randint(1, 3)),
        ]
        for low, high, count in spans:
            days = workdays(eid, low, high) if low <= high else []
            for day in sorted(rng.sample(days, min(count, len(days)))):
                channel = rng.choices(["phone", "email", "social", "visit"], [5, 3, 2, 2])[0]
                purpose = rng.choice(["return_visit", "maintenance", "after_sales"])
                if (
                    channel == "visit"
                    and day.month == MONTH
                    and (eid, cid) in PLANS_KEPT_BY_ATTENDANCE
                ):
                    channel = "phone"
                contacts.append(
                    (eid, cid, stamp(day, times(rng, "09:20", "17:30")), channel, purpose)
                )
    return contacts


def build(rng: random.Random) -> tuple[dict[str, list[dict[str, str]]], dict[str, str]]:
    names = customer_names(rng)
    tables: dict[str, list[dict[str, str]]] = {}

    # --- outside work, incidents
    tables["outside_work"] = [
        {
            "record_id": f"OW-{i:03d}",
            "employee_id": eid,
            "organisation": org,
            "role": role,
            "start": start,
            "end": end,
            "declared_at": declared,
            "status": status,
        }
        for i, (eid, org, role, start, end, declared, status) in enumerate(OUTSIDE_WORK, 1)
    ]
    tables["conduct_incidents"] = [
        {
            "record_id": f"CI-{i:03d}",
            "employee_id": eid,
            "at": when,
            "category": category,
            "description": text,
            "reported_by": by,
            "substantiated": str(true).lower(),
        }
        for i, (eid, when, category, text, by, true) in enumerate(INCIDENTS, 1)
    ]

    # --- quotes: the named ones and three ordinary ones per employee within the limits
    quotes = list(QUOTES_NAMED)
    for eid in EMPLOYEE_IDS:
        start = date(2026, 11, 16) if eid == "S008" else date(2026, 11, 2)
        for day in rng.sample(workdays(eid, start, date(2026, 11, 25)), 3):
            cid = rng.choice(portfolio(eid, day))
            discount = rng.randint(0, MAX_DISCOUNT[eid] - 2)
            delivery = STANDARD_DELIVERY + rng.choice([0, 5, 10, 15])
            quotes.append(
                (eid, cid, stamp(day, times(rng, "09:30", "17:20")), discount, delivery, 12)
            )
    quotes.sort(key=lambda q: q[2])
    tables["quotes"] = [
        {
            "record_id": f"BJ-2611-{i:03d}",
            "employee_id": eid,
            "customer_id": cid,
            "at": when,
            "discount_pct": str(discount),
            "max_discount_pct": str(MAX_DISCOUNT[eid]),
            "delivery_days": str(delivery),
            "standard_delivery_days": str(STANDARD_DELIVERY),
            "warranty_months": str(warranty),
            "standard_warranty_months": str(STANDARD_WARRANTY),
        }
        for i, (eid, cid, when, discount, delivery, warranty) in enumerate(quotes, 1)
    ]

    tables["complaints"] = [
        {
            "record_id": f"TS-{i:03d}",
            "customer_id": cid,
            "employee_id": eid,
            "at": when,
            "category": category,
            "substantiated": str(true).lower(),
        }
        for i, (eid, cid, when, category, true) in enumerate(COMPLAINTS, 1)
    ]

    # --- orders and contracts
    orders = sorted(ORDERS_BEFORE + ORDERS_NOVEMBER, key=lambda o: o[2])
    tables["orders"] = [
        {
            "order_id": f"SO-{when[2:4]}{when[5:7]}-{i:04d}",
            "employee_id": eid,
            "customer_id": cid,
            "booked_at": when,
            "amount": f"{amount}.00",
            "currency": "CNY",
            "status": status,
            "reversed_at": reversed_at,
        }
        for i, (eid, cid, when, amount, status, reversed_at) in enumerate(orders, 1)
    ]
    tables["contracts"] = [
        {
            "contract_id": f"HT-2026-{i:03d}",
            "employee_id": eid,
            "customer_id": cid,
            "signed_at": when,
            "amount": f"{amount}.00",
            "currency": "CNY",
        }
        for i, (eid, cid, when, amount) in enumerate(sorted(CONTRACTS, key=lambda c: c[2]), 1)
    ]

    tables["gifts"] = [
        {
            "record_id": f"LP-{i:03d}",
            "employee_id": eid,
            "counterparty": names[cid],
            "direction": direction,
            "value": value,
            "currency": currency,
            "at": when,
            "approved": str(approved).lower(),
        }
        for i, (eid, cid, direction, value, currency, when, approved) in enumerate(GIFTS, 1)
    ]

    # --- data access: the named ones, and ordinary views of one's own customers
    accesses = list(ACCESSES_NAMED)
    for eid in EMPLOYEE_IDS:
        start = date(2026, 11, 16) if eid == "S008" else date(2026, 11, 2)
        days = workdays(eid, start, LAST_DAY)
        for day in sorted(rng.sample(days, min(8, len(days)))):
            cid = rng.choice(portfolio(eid, day))
            accesses.append(
                (eid, stamp(day, times(rng, "09:10", "17:50")), cid, "customer", "view",
                 rng.randint(1, 40), "", "", False)
            )  # fmt: skip
        day = rng.choice(days)
        accesses.append(
            (
                eid,
                stamp(day, times(rng, "09:10", "17:50")),
                "",
                "internal",
                "view",
                1,
                "",
                "",
                False,
            )
        )
    accesses.sort(key=lambda a: a[1])
    tables["data_access_log"] = [
        {
            "record_id": f"DA-{i:05d}",
            "employee_id": eid,
            "at": when,
            "customer_id": cid,
            "data_class": data_class,
            "action": action,
            "record_count": str(count),
            "destination": destination,
            "destination_kind": kind,
            "approved": str(approved).lower(),
        }
        for i, (
            eid,
            when,
            cid,
            data_class,
            action,
            count,
            destination,
            kind,
            approved,
        ) in enumerate(accesses, 1)
    ]

    tables["customer_assignments"] = [
        {"customer_id": cid, "employee_id": eid, "start": start, "end": end}
        for cid, eid, start, end in sorted(ASSIGNMENTS, key=lambda a: (a[1], a[0], a[2]))
    ]

    # --- contacts, plans, inquiries, files
    contacts = sorted(CONTACTS_NAMED + ordinary_contacts(rng), key=lambda c: c[2])
    tables["customer_contacts"] = [
        {
            "record_id": f"CT-{i:05d}",
            "employee_id": eid,
            "customer_id": cid,
            "at": when,
            "channel": channel,
            "purpose": purpose,
        }
        for i, (eid, cid, when, channel, purpose) in enumerate(contacts, 1)
    ]

    # every November visit contact not named above was planned, most for that day, some a
    # day off (the customer moved it); at most two per employee
    plans = list(PLANS_NAMED)
    named_pairs = {(e, c) for e, c, _, _ in PLANS_NAMED}
    per_employee: dict[str, int] = {}
    for eid, cid, when, channel, _ in contacts:
        day = date.fromisoformat(when[:10])
        if channel != "visit" or day.month != MONTH or (eid, cid) in CONTACTS_ONLY_NAMED:
            continue
        if (eid, cid) in named_pairs or per_employee.get(eid, 0) >= 2:
            continue
        planned = day + timedelta(rng.choice([0, 0, 0, -1, 1]))
        if planned.month != MONTH or planned.day < 2:
            planned = day
        made = max(planned - timedelta(rng.randint(3, 7)), date(2026, 11, 1))
        plans.append((eid, cid, planned.day, made.day))
        per_employee[eid] = per_employee.get(eid, 0) + 1
    plans.sort(key=lambda p: (p[2], p[0]))
    tables["visit_plans"] = [
        {
            "record_id": f"VP-{i:03d}",
            "employee_id": eid,
            "customer_id": cid,
            "planned_date": d(day).isoformat(),
        }
        for i, (eid, cid, day, _) in enumerate(plans, 1)
    ]

    inquiries = list(INQUIRIES_NAMED)
    for eid in EMPLOYEE_IDS:
        start = date(2026, 11, 16) if eid == "S008" else date(2026, 11, 2)
        for day in sorted(rng.sample(workdays(eid, start, date(2026, 11, 27)), 2)):
            cid = rng.choice(portfolio(eid, day))
            received = times(rng, "09:00", "15:00")
            hours, minutes = rng.randint(0, 2), rng.randint(5, 59)
            answered = f"{int(received[:2]) + hours:02d}:{minutes:02d}:{rng.randint(0, 59):02d}"
            if answered <= received:
                answered = f"{int(received[:2]) + 1:02d}{received[2:]}"
            inquiries.append((eid, cid, stamp(day, received), stamp(day, answered)))
    inquiries.sort(key=lambda q: q[2])
    tables["customer_inquiries"] = [
        {
            "record_id": f"XJ-{i:03d}",
            "customer_id": cid,
            "employee_id": eid,
            "received_at": received,
            "responded_at": responded,
        }
        for i, (eid, cid, received, responded) in enumerate(inquiries, 1)
    ]

    def contact_person(cid: str) -> str:
        person = random.Random(cid).choice(SURNAMES)
        role = random.Random(cid + "r").choice(["采购经理", "设备部经理", "总工", "厂长"])
        phone = f"1{random.Random(cid + 'p').randint(3000000000, 9999999999)}"
        return f"{person}{role[-2:] if role != '总工' else '总工'} {phone}"

    def needs(cid: str) -> str:
        product = random.Random(cid + "n").choice(PRODUCTS)
        return f"产线自动化改造，关注{product}的交期与售后响应"

    profiles = [
        (eid, cid, when, name, contact, need)
        for eid, cid, when, name, contact, need in PROFILES_NAMED
    ]
    named_files = {(e, c) for e, c, *_ in PROFILES_NAMED}
    for cid, eid, start, _ in ASSIGNMENTS:
        if (eid, cid) in named_files:
            continue
        first = max(date.fromisoformat(start), date(2026, 9, 1))
        day = first + timedelta(rng.randint(0, 20))
        while not is_workday(day):
            day += timedelta(1)
        profiles.append((eid, cid, stamp(day, times(rng, "09:30", "17:30")), True, True, True))
    profiles.sort(key=lambda p: (p[2], p[0], p[1]))
    tables["customer_profiles"] = [
        {
            "customer_id": cid,
            "employee_id": eid,
            "updated_at": when,
            "name": names[cid] if name else "",
            "contact": contact_person(cid) if contact else "",
            "needs": needs(cid) if need else "",
        }
        for eid, cid, when, name, contact, need in profiles
    ]

    tables["market_reports"] = [
        {"record_id": f"MR-2611-{i:02d}", "employee_id": eid, "submitted_at": when, "topic": topic}
        for i, (eid, when, topic) in enumerate(sorted(MARKET_REPORTS, key=lambda r: r[1]), 1)
    ]

    # --- assessment
    tables["sales_targets"] = [
        {
            "employee_id": eid,
            "period": PERIOD,
            "sales_amount": f"{amount}.00",
            "new_customers": str(customers),
            "currency": "CNY",
        }
        for eid, (amount, customers) in TARGETS.items()
    ]
    tables["satisfaction_surveys"] = [
        {
            "record_id": f"SV-{i:03d}",
            "customer_id": cid,
            "employee_id": eid,
            "at": stamp(d(day), times(rng, "10:00", "17:00")),
            "score": str(score),
            "scale_max": str(scale),
        }
        for i, (eid, cid, day, score, scale) in enumerate(sorted(SURVEYS, key=lambda s: s[2]), 1)
    ]
    tables["trainings"] = [
        {
            "record_id": f"TR-{i:03d}",
            "employee_id": eid,
            "course": course,
            "required_by": required_by,
            "completed_at": completed,
        }
        for i, (eid, course, required_by, completed) in enumerate(TRAININGS, 1)
    ]
    return tables, names


# ----------------------------------------------------------------------------- outputs

COLUMNS = {
    "outside_work": [
        "record_id",
        "employee_id",
        "organisation",
        "role",
        "start",
        "end",
        "declared_at",
        "status",
    ],
    "conduct_incidents": [
        "record_id",
        "employee_id",
        "at",
        "category",
        "description",
        "reported_by",
        "substantiated",
    ],
}


def expected() -> list[dict[str, str | None]]:
    return expected_findings(VIOLATIONS)


# Derived by hand from docs/assessment.md (the arithmetic is in the README and in
# tests/test_examples.py).
SCORES_TABLE = """\
| employee | net sales / target | sales | customers | satisfaction | growth | KPI | conduct: att, dis, int, conf, crm, asm → mean | overall | grade | commission | bonus | trip | rank |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
| S001 王伟 | 372,000 / 300,000 | 1.24 → 1.2 | 3/2 → 1.2 | 90 → 1.0 | +24% → 1.2 | 116.00 | 89, 100, 100, 100, 98, 100 → 97.83 | 110.55 | A | 3% 11,160.00 | yes | yes | 1 of 4 |
| S002 李娜 | 230,000 / 250,000 | 0.92 | 2/2 → 1.0 | 88 → 0.9777 | +15% → 1.2 | 97.56 | 86, 95, 90, 100, 98, 100 → 94.83 | 96.74 | A | 1% 2,300.00 | no | no | 2 of 4 |
| S003 张敏 | 252,000 / 280,000 | 0.90 | 1/2 → 0.5 | 90 → 1.0 | −10% → 0 | 75.00 | 78, 80, 95, 70, 96, 100 → 86.50 | 78.45 | B | 1% 2,520.00 | no | no | 3 of 4 |
| S004 刘洋 | 110,000 / 200,000 | 0.55 | 0/2 → 0 | 50 → 0.5555 | 0% → 0 | 38.61 | 82, 93, 85, 86, 94, 98 → 89.67 | 53.93 | D | 0% 0.00 | no | no | 4 of 4 |
| S005 陈静 | 336,000 / 320,000 | 1.05 | 3/3 → 1.0 | 96 → 1.0666 | +20% → 1.2 | 105.83 | 86, 100, 95, 95, 100, 98 → 95.67 | 102.78 | A | 2% 6,720.00 | no | no | 1 of 4 |
| S006 杨磊 | 208,000 / 260,000 | 0.80 | 1/2 → 0.5 | 60 → 0.6666 | −20% → 0 | 63.33 | 89, 95, 95, 80, 96, 100 → 92.50 | 72.08 | C | 1% 2,080.00 | no | no | 4 of 4 |
| S007 赵丽 | 264,000 / 240,000 | 1.10 | 2/2 → 1.0 | 90 → 1.0 | +10% → 1.0 | 105.00 | 88, 98, 100, 100, 98, 100 → 97.33 | 102.70 | A | 2% 5,280.00 | yes | yes | 2 of 4 |
| S008 黄婷 | 36,000 / 60,000 | 0.60 | 1/1 → 1.0 | 80 → 0.8888 | none in October: undefined | 75.31 | 90, 100, 100, 95, 100, 98 → 97.17 | 81.87 | B | 0% 0.00 | no | no | 3 of 4 |
"""  # noqa: E501


def readme(tables: dict[str, list[dict[str, str]]]) -> str:
    rows = violation_rows(VIOLATIONS)
    month, own = len(ATTENDANCE_VIOLATIONS), len(VIOLATIONS)
    clean_rows = "\n".join(
        f"| {eid if eid == 'everyone' else eid + ' ' + NAMES[eid]} | {case} |"
        for eid, case in NON_VIOLATIONS
    )
    counts = ", ".join(f"{name}.csv {len(rows)}" for name, rows in tables.items())
    return f"""# November 2026 — the same team's sales, conduct and assessment records

Generated by [`../make_november_2026_sales.py`](../make_november_2026_sales.py) (standard
library, seeded, deterministic). Do not edit these files by hand: change the generator and run

    python examples/make_november_2026_sales.py

Rows: {counts}.

The same eight salespeople as the attendance month in [`../november-2026/`](../november-2026/)
(its `employees.csv` gives their names, teams and supervisors: 华东一组 S001–S004 under
`M001`, 华东二组 S005–S008 under `M002`; S007 赵丽 in Singapore, S008 黄婷 hired on
2026-11-16). This folder has no `employees.csv`: it is meant to be checked **together with
the attendance month**, whose customer visits also keep two of its visit plans (checked
alone, those two are CRM-PLAN-MISSED findings, and the employees have no team):

    sales-policy check examples/november-2026/*.csv \\
        examples/november-2026-sales/*.csv --period 2026-11
    sales-policy score examples/november-2026/*.csv \\
        examples/november-2026-sales/*.csv --period 2026-11

The company sells industrial automation equipment (servo systems, PLCs, inverters) to
manufacturers in East China and, through S007, in Singapore; every amount is in CNY. Each
salesperson looks after five to eight customers (`customer_assignments.csv`; on 16 November
S005 hands C-1010, C-1029 and C-1032 to the newcomer S008), books orders, signs framework
contracts with new customers, quotes within their limits (a 15% discount, 10% for S004 and
S008; 15 days' delivery; 12 months' warranty), keeps in touch by phone, e-mail, WeChat and
visits, answers inquiries within hours, keeps a customer file per customer, writes one market
report and takes the quarter's product training (due 20 November). `orders.csv` also holds
October's orders (the previous period of the growth rate) and a few older ones, and
`customer_contacts.csv` the contacts since September (and two older ones), as a CRM export
would: the rules need that history.

## Intended findings (default policy)

Checked together with the attendance month, the findings are its {month}, unchanged (its
attendance findings and the discipline rule set's month counts of them, S006's
`DIS-REPEATED-LATE` and S003's `DIS-REPEATED-ABSENCE`), and exactly these {own} of this
folder's records, listed machine-readably in [`expected.json`](expected.json) (`{{rule_id,
employee_id, date, period}}`, as the attendance month's). State rules (CRM-NO-REVISIT,
CRM-PROFILE-INCOMPLETE) are dated the period's last day, outside work active in the period
its first day, month rules have a period and no date.

| employee | date | rule | what happens |
|---|---|---|---|
{rows}

## Deliberate non-violations

Look-alikes that must produce **no** finding (pending ones are counted in the result's
`pending`, not reported):

| employee | case |
|---|---|
{clean_rows}

## Scores for 2026-11 (default parameters, docs/assessment.md)

`sales-policy score ... --period 2026-11` over both folders. Achievements (to 4 places, rounded
down, as `--explain` shows them) are capped at 1.2 in the KPI; the KPI weights are sales 0.5, customers 0.2, satisfaction 0.2 (target 90), growth
0.1 (target 10%); S008 has no October sales, so her growth is undefined and its 0.1 is shared
(her KPI is 100 x (0.5 x 0.6 + 0.2 x 1.0 + 0.2 x 80/90) / 0.9). Conduct is 100 less 2 per
minor, 5 per major and 20 per critical finding in each of the six rule sets (attendance
included); overall = 0.7 x KPI + 0.3 x mean conduct. Commission: the tier by the uncapped
sales achievement (below 0.8: 0%; from 0.8: 1%; from 1.0: 2%; from 1.2: 3%) times all net
sales. A bonus needs grade B and a trip grade A, both without a critical finding or a major
integrity or confidentiality finding; each team of four has one trip place.

{SCORES_TABLE}
In 华东二组 S005 ranks first but her gift and her external share bar the trip, so the team's
one place passes to S007. S002 has grade A but no bonus (her integrity findings); S003 has
two critical findings, in confidentiality and in discipline (her repeated absence).
"""


def write(out: Path) -> dict[str, list[dict[str, str]]]:
    tables, _ = build(random.Random(SEED))
    write_files(out, tables, COLUMNS, {"expected.json": expected()}, readme(tables))
    return tables


def main() -> None:
    run(__doc__.split("\n\n")[0], "november-2026-sales", write, len(VIOLATIONS))


if __name__ == "__main__":
    main()
