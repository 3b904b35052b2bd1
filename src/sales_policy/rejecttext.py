"""Why a row was rejected, in Chinese, for the reports people read in Chinese.

A rejected row's reason is English (``rejects.reason``): it is data, which ``--rejects``, the
``json``, ``jsonl`` and ``csv`` reports and ``CheckResult.rejects`` keep as it is, for programs
to read.  A report in Chinese (the ``table`` report with ``--lang zh``, the Markdown and HTML
reports) shows it in Chinese (``reason_zh``): each form a reason takes (``FORMS``) is a regular
expression, anchored, whose named groups are the parts that vary (a value, a field, an id, a
``file:line``), and a Chinese template that writes those parts as they are.  A few parts are
words themselves (what kind of value was found, the JSON parser's message): those are said in
Chinese too (``ReasonForm.translated``).  A reason of no known form is shown as it is.

For programs that show rejected rows to people, ``CheckResult.rejections`` (and the live
engine's ``Monitor.rejections``) give each as a ``Rejection`` whose ``reason`` is a ``Reason``:
the English text itself, with the Chinese as ``zh``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    import polars as pl

#: what was found where a value was expected (``errors.kind_of``), in Chinese
_KINDS = {
    "null": "空值",
    "true/false": "真假值",
    "a number": "数字",
    "text": "文本",
    "a list": "列表",
    "an object (a mapping)": "对象",
    "a number of too many digits": "位数过多的数字",
}
#: the messages of Python's JSON parser (``json.JSONDecodeError.msg``), in Chinese
_JSON_MESSAGES = {
    "Expecting value": "此处应有一个值",
    "Expecting property name enclosed in double quotes": "此处应有用双引号括起的键名",
    "Expecting ':' delimiter": "此处应有冒号 ':'",
    "Expecting ',' delimiter": "此处应有逗号 ','",
    "Unterminated string starting at": "从此处开始的字符串没有结束",
    "Invalid control character at": "此处有字符串中不允许的控制字符",
    "Invalid \\escape": "此处的 \\ 转义无效",
    "Invalid \\uXXXX escape": "此处的 \\uXXXX 转义无效",
    "Extra data": "一个值之后还有多余的内容",
    "Illegal trailing comma before end of object": "对象的最后多了一个逗号",
    "Illegal trailing comma before end of array": "数组的最后多了一个逗号",
}
#: the pure-Python parser's message names the character: Invalid control character '\x00' at
_CONTROL_CHARACTER = re.compile(r"Invalid control character (?P<char>'.*') at", re.DOTALL)


def kind_zh(kind: str) -> str:
    """What kind of value was found, in Chinese; a Python type's name as it is."""
    return _KINDS.get(kind, f"“{kind}”类型的值")


def _json_message_zh(message: str) -> str:
    """A JSON parser's message in Chinese; one not known, as it is."""
    control = _CONTROL_CHARACTER.fullmatch(message)
    if control is not None:
        return f"此处有字符串中不允许的控制字符 {control['char']}"
    return _JSON_MESSAGES.get(message, message)


@dataclass(frozen=True)
class ReasonForm:
    """One form of reason: its English text as an anchored regular expression (``source``),
    whose named groups are the parts that vary, and its Chinese template, ``{group}`` for each
    part.  The expression is compiled when first matched: a command that rejects no row
    compiles none (the forms took ~3.5 ms of each command's start)."""

    source: str
    zh: str
    #: the groups that are words, not values: said in Chinese by these functions
    translated: Mapping[str, Callable[[str], str]] = field(default_factory=dict)

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        # a value may hold line breaks (a quoted CSV cell): "." takes them too
        return re.compile(self.source, re.DOTALL)

    def render(self, match: re.Match[str]) -> str:
        parts = {
            name: self.translated[name](text) if name in self.translated else text
            for name, text in match.groupdict().items()
        }
        return self.zh.format(**parts)


def _form(pattern: str, zh: str, **translated: Callable[[str], str]) -> ReasonForm:
    return ReasonForm(pattern, zh, translated)


#: a value in quotes, as the reasons of ``validation`` write it
_VALUE = "'(?P<value>.*)'"
_DATETIME_FORMS = (
    "（应为 ISO 8601 格式，如 2026-11-03T09:00:00+08:00；或年份在前，如 2026/11/3 9:05；"
    "或自 1970-01-01 起的毫秒数）"
)
_WIDTH = r"expected (?P<width>\d+) fields, found (?P<found>\d+)"
_WIDTH_ZH = "应有 {width} 个字段，实有 {found} 个"
_EMPLOYEE_ROW = r"(?P<employee>.*)'s row at (?P<where>.*) gives (?P<other>\w+) '(?P<value>.*)'"
_EMPLOYEE_ROW_ZH = "员工 {employee} 在 {where} 的行中 {other} 为“{value}”"

#: every form of reason a rejected row can have, the first that matches taken (the more
#: particular forms come before the more general ones of the same start)
FORMS: tuple[ReasonForm, ...] = (
    # ``validation``: one field's value
    _form("missing value", "缺少值（必填字段为空或未给出）"),
    _form(rf"{_VALUE} is not one of: (?P<choices>.*)", "“{value}”不是可取的值之一：{choices}"),
    _form(
        rf"unknown timezone {_VALUE} \(expected an IANA name like Asia/Shanghai\)",
        "未知的时区“{value}”（应为 IANA 时区名，如 Asia/Shanghai）",
    ),
    _form(
        rf"{_VALUE} is a spreadsheet's error value \(a formula that failed, such as a lookup"
        r" that found nothing\), not an id",
        "“{value}”是表格软件的错误值（公式出错，例如查找没有找到结果），不是编号",
    ),
    _form(r"longer than (?P<limit>\d+) characters", "超过 {limit} 个字符"),
    _form(
        rf"{_VALUE} is not a date-time \(expected ISO 8601 like 2026-11-03T09:00:00\+08:00,"
        r" year first like 2026/11/3 9:05, or epoch milliseconds\)",
        "“{value}”不是日期时间" + _DATETIME_FORMS,
    ),
    _form(
        rf"{_VALUE} is not a date-time a check can judge"
        r" \((?P<first>[0-9-]+) to (?P<last>[0-9-]+)\)",
        "“{value}”超出了检查能判断的日期时间（{first} 至 {last}）",
    ),
    _form(
        rf"{_VALUE} is not a date \(expected YYYY-MM-DD, or year first like 2026/11/3\)",
        "“{value}”不是日期（应为 YYYY-MM-DD，或年份在前，如 2026/11/3）",
    ),
    _form(rf"{_VALUE} is not true or false", "“{value}”不是真假值（true 或 false）"),
    _form(
        rf"{_VALUE} is not a whole number \(or is beyond 64 bits\)",
        "“{value}”不是整数（或超出了 64 位整数的范围）",
    ),
    _form(
        rf"{_VALUE} is not a number \(a finite decimal, e.g. 4\.5\)",
        "“{value}”不是数字（应为有限的小数，如 4.5）",
    ),
    _form(
        rf"{_VALUE} is not an amount \(digits, at most 20 before the point and 4 after it, "
        r"e.g. 1280\.50\)",
        "“{value}”不是金额（应为数字，整数部分最多 20 位，小数最多 4 位，如 1280.50）",
    ),
    _form(rf"{_VALUE} is below (?P<minimum>[-+.0-9e]+)", "“{value}”小于最小值 {minimum}"),
    _form(rf"{_VALUE} must be above (?P<minimum>[-+.0-9e]+)", "“{value}”必须大于 {minimum}"),
    _form(
        rf"{_VALUE} is not a currency code \(three capital letters, e.g. CNY\)",
        "“{value}”不是币种代码（应为三个大写字母，如 CNY）",
    ),
    _form(
        rf"{_VALUE} is not a month \(YYYY-MM, e.g. 2026-11\)",
        "“{value}”不是月份（应为 YYYY-MM，如 2026-11）",
    ),
    # ``instants``: a local time in a timezone's gap
    _form(
        r"local time does not exist in (?P<zone>.+) \(clocks moved forward\)",
        "这一当地时间在 {zone} 不存在（时钟在此拨快，跳过了这段时间）",
    ),
    # ``tables``: fields of one record that disagree
    _form(r"(?P<field>end) is not after (?P<other>start)", "{field}（结束）不晚于 {other}（开始）"),
    _form(
        r"(?P<field>end) is before (?P<other>start)",
        "{field}（结束日期）早于 {other}（开始日期）",
    ),
    _form(
        r"(?P<field>left_on) is before (?P<other>hired_on)",
        "{field}（离职日期）早于 {other}（入职日期）",
    ),
    _form(r"(?P<field>score) is above (?P<other>scale_max)", "{field}（评分）高于 {other}（满分）"),
    _form(
        r"a cancelled or refunded order needs (?P<field>reversed_at)",
        "已取消或已退款的订单须有 {field}（撤销时间）",
    ),
    _form(
        r"a booked order has no (?P<field>reversed_at)",
        "已下单的订单不应有 {field}（撤销时间）",
    ),
    _form(
        r"(?P<field>reversed_at) is before (?P<other>booked_at)",
        "{field}（撤销时间）早于 {other}（下单时间）",
    ),
    # ``tables``: ids seen before; an employee's rows that differ
    _form(rf"duplicate (?P<field>\w+) {_VALUE}", "{field} 重复：“{value}”已在前面的行中出现"),
    _form(
        rf"{_EMPLOYEE_ROW}: rows of one employee may repeat and add to each other, not differ",
        _EMPLOYEE_ROW_ZH + "，与本行不同：同一员工的多行可以重复、互相补充，但不能不一致",
    ),
    _form(
        rf"{_EMPLOYEE_ROW}: (?P<field>left_on) would be before (?P<earlier>hired_on)",
        _EMPLOYEE_ROW_ZH + "：与本行合并后，{field}（离职日期）将早于 {earlier}（入职日期）",
    ),
    # ``csvfiles``: a line that is no row of the header's width
    _form(_WIDTH, _WIDTH_ZH),
    _form(
        rf"{_WIDTH}: a quoted field runs from line (?P<start>\d+) to line (?P<end>\d+), and"
        r" every line between is part of this row \(a quote left open\?\)",
        _WIDTH_ZH + "：一个带引号的字段从第 {start} 行延续到第 {end} 行，其间各行都算作这一行"
        "（是否有引号没有闭合？）",
    ),
    _form(
        rf"{_WIDTH}: a quoted field runs from line (?P<start>\d+) to the end of the file, and"
        r" every line between is part of this row \(a quote left open\?\)",
        _WIDTH_ZH + "：一个带引号的字段从第 {start} 行延续到文件末尾，其间各行都算作这一行"
        "（是否有引号没有闭合？）",
    ),
    _form(
        r"a quote opened in line (?P<start>\d+) is never closed: the lines from there to the"
        r" end of the file \((?P<first>\d+) to (?P<last>\d+)\) were read as this one row",
        "第 {start} 行开始的引号始终没有闭合：从该行到文件末尾（第 {first} 至 {last} 行）"
        "都被读成了这一行",
    ),
    # ``inputs``: a JSONL line that is no JSON
    _form(r"malformed JSON: nested too deeply", "JSON 格式错误：嵌套的层数过多"),
    _form(r"malformed JSON: duplicate key (?P<key>.+)", "JSON 格式错误：键 {key} 出现了两次"),
    _form(
        r"malformed JSON: (?P<constant>NaN|Infinity|-Infinity) is not a JSON value"
        r" \(write null, or a number\)",
        "JSON 格式错误：{constant} 不是 JSON 的值（请写 null 或数字）",
    ),
    _form(r"malformed JSON: a number has too many digits", "JSON 格式错误：数字的位数过多"),
    _form(
        r"malformed JSON: a \\uXXXX escape between \\ud800 and \\udfff is half of a surrogate"
        r" pair, not a character",
        "JSON 格式错误：\\ud800 至 \\udfff 之间的 \\uXXXX 转义是半个代理对，不是一个字符",
    ),
    _form(
        r"malformed JSON: (?P<message>.+) \(column (?P<column>\d+)\)",
        "JSON 格式错误：{message}（第 {column} 列）",
        message=_json_message_zh,
    ),
    # ``inputs`` and ``rawframes``: a row that is no record of a known type
    _form(r"expected an object, found (?P<kind>.+)", "应为对象，实为{kind}", kind=kind_zh),
    _form(r"missing '(?P<field>type)'", "缺少 {field}（记录类型）"),
    _form(
        r"unknown record type (?P<given>.+) \(expected one of: (?P<types>.+)\)",
        "未知的记录类型 {given}（应为以下之一：{types}）",
    ),
    _form(
        r"unknown field (?P<given>.+) \(did you mean (?P<close>'.+')\?\)",
        "未知字段 {given}（是否应为 {close}？）",
    ),
    _form(
        r"unknown field (?P<given>.+) \(expected: (?P<names>.+)\)",
        "未知字段 {given}（应为以下之一：{names}）",
    ),
    # ``inputs``: a value of a dict (or a JSONL line) that no cell holds
    _form(r"expected a single value, found (?P<kind>.+)", "应为单个值，实为{kind}", kind=kind_zh),
    _form(
        r"expected text or a whole number, found the number (?P<value>.+)",
        "应为文本或整数，实为数字 {value}",
    ),
    _form(
        r"expected text or a whole number, found (?P<kind>.+)",
        "应为文本或整数，实为{kind}",
        kind=kind_zh,
    ),
    _form(
        r"expected text, found half of a surrogate pair \(no character\)",
        "应为文本，实为半个代理对（不是一个字符）",
    ),
)


def form_of(
    reason: str, forms: Sequence[ReasonForm] = FORMS
) -> tuple[ReasonForm, re.Match[str]] | None:
    """The form a reason takes among ``forms``, and its match; None for a reason of no
    known form."""
    for form in forms:
        match = form.pattern.fullmatch(reason)
        if match is not None:
            return form, match
    return None


def reason_zh(reason: object, forms: Sequence[ReasonForm] = FORMS) -> str:
    """A rejected row's reason in Chinese, by the first of ``forms`` it takes (the live
    engine adds its own: ``sales_policy.live.rejections``); one of no known form as it is."""
    text = "" if reason is None else str(reason)
    found = form_of(text, forms)
    return text if found is None else found[0].render(found[1])


def reason_in(reason: object, lang: str) -> str:
    """A rejected row's reason in ``lang`` ("zh" or "en")."""
    return reason_zh(reason) if lang == "zh" else ("" if reason is None else str(reason))


#: how much of a rejected row's value or reason the reports people read show (the table,
#: Markdown, HTML): the reason quotes the value, which may be a whole document pasted into a
#: cell; ``rejects`` and --rejects FILE keep it all
SHOWN = 300


def cut_short(text: str, lang: str) -> str:
    """A rejected row's value or reason as a report shows it: its first ``SHOWN`` characters
    and its length, in ``lang`` ("zh" or "en"), when it is longer."""
    if len(text) <= SHOWN:
        return text
    if lang == "zh":
        return f"{text[:SHOWN]}……（共 {len(text):,} 个字符）"
    return f"{text[:SHOWN]}... ({len(text):,} characters)"


class Reason(str):
    """Why a row was rejected: the English text, with the Chinese as ``zh`` (a reason of no
    known form has its English text there too).

    A reason is the English ``str`` itself, so code that prints or compares reasons as text
    reads English, as ``rejects`` holds it; people reading Chinese take ``zh``.  ``forms``:
    the forms its Chinese is written by (the live engine's reasons have more)."""

    forms: ClassVar[Sequence[ReasonForm]] = FORMS
    zh: str

    def __new__(cls, en: str) -> Reason:
        reason = super().__new__(cls, en)
        reason.zh = reason_zh(en, cls.forms)
        return reason

    def __getnewargs__(self) -> tuple[str]:
        return (str(self),)

    @property
    def en(self) -> str:
        return str(self)


@dataclass(frozen=True)
class Rejection:
    """A rejected row: its reference (``source``, ``line``), its record type, the field and
    value at fault (when one is), and why (``reason.zh`` in Chinese).  The fields of a row
    of ``rejects``."""

    source: str
    line: int
    record_type: str | None
    field: str | None
    value: str | None
    reason: Reason


def rejections_of(rejects: pl.DataFrame, reason: type[Reason] = Reason) -> list[Rejection]:
    """The rows of ``rejects`` (source, line, record_type, field, value, reason) as
    ``Rejection``s in their order, each distinct reason said in Chinese once."""
    said: dict[str, Reason] = {}
    rejections = []
    for row in rejects.iter_rows(named=True):
        text: Any = row["reason"]
        told = said.get(text)
        if told is None:
            told = said[text] = reason(text)
        rejections.append(Rejection(**{**row, "reason": told}))
    return rejections
