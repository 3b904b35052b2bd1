"""The text of one rule's findings, built column-wise: the evidence as JSON text and the
two messages from the rule's templates, as polars expressions over the evidence fields.

Each text is exactly what the ``Finding`` object's would be (``findings.render`` for the
messages); a rule whose messages or evidence types are not written exactly this way has
none, and :mod:`sales_policy.findingtexts`, which assembles the findings' lines, writes its
findings the Python way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

import polars as pl

from .columntext import DType, escaped, json_object, json_value, shown
from .errors import is_utf8
from .facts.chinese import VALUE_NAMES_ZH
from .findings import ZH_SEPARATOR
from .rulesets import Rule

Style = Literal["json", "jsonl", "csv"]
FINDING_DEPTH = 2  # of a finding in the json document: the document's, then its list's


def _template(text: str) -> list[tuple[bool, str, str | None]]:
    """A message template as (is a placeholder, text or name, what a null value shows if
    the placeholder says) parts, read as ``findings.render``."""
    parts: list[tuple[bool, str, str | None]] = []
    cursor = 0
    while (opening := text.find("{", cursor)) != -1:
        closing = text.index("}", opening)
        name, bar, fallback = text[opening + 1 : closing].partition("|")
        parts += [(False, text[cursor:opening], None), (True, name, fallback if bar else None)]
        cursor = closing + 1
    parts.append((False, text[cursor:], None))
    return parts


@dataclass(frozen=True)
class RuleTexts:
    """How to write one rule's evidence and messages: ``escapes`` are columns to add first
    (``_escaped_<name>``: a text field escaped for JSON once, for its evidence value and for
    the messages that show it), then ``evidence`` is the evidence's JSON text and ``zh`` and
    ``en`` the messages, as text for CSV, as JSON text otherwise."""

    escapes: list[pl.Expr]
    evidence: pl.Expr
    zh: pl.Expr
    en: pl.Expr


def rule_texts(rule: Rule, fields: dict[str, DType], style: Style) -> RuleTexts | None:
    """The texts of one rule's findings from the evidence fields as columns
    ``_evidence_<name>``; None when a field's type or a message is not written exactly this
    way.

    A message's JSON text escapes the values it shows and the template's text apart: the
    template's once, and a text value's escaping is the one its evidence JSON needs too."""
    if not all(map(is_utf8, (rule.message.zh, rule.message.en))):
        return None  # polars holds UTF-8 only
    try:
        templates = [_template(rule.message.zh), _template(rule.message.en)]
    except ValueError:
        return None
    used = {part for parts in templates for named, part, _ in parts if named}
    depth = FINDING_DEPTH + 1 if style == "json" else None
    pairs = []
    escapes = []
    showing: dict[str, pl.Expr] = {}
    showing_zh: dict[str, pl.Expr] = {}  # lists, as the Chinese message shows them
    for name, dtype in fields.items():
        column = pl.col(f"_evidence_{name}")
        text = shown(column, dtype)
        if isinstance(dtype, pl.List) and name in used:
            listed = shown(column, dtype, ZH_SEPARATOR, VALUE_NAMES_ZH.get(name))
            if listed is None:
                return None
            escaping = style != "csv" and _may_need_escapes(dtype)
            showing_zh[name] = escaped(listed) if escaping else listed
        if dtype == pl.String:
            escapes.append(escaped(column).alias(f"_escaped_{name}"))
            escaped_column = pl.col(f"_escaped_{name}")
            value: pl.Expr | None = (pl.lit('"') + escaped_column + pl.lit('"')).fill_null("null")
        else:
            value = json_value(column, dtype, None if depth is None else depth + 1)
        if value is None or text is None:
            return None
        pairs.append((name, value))
        if name not in used:
            continue
        if style == "csv" or not _may_need_escapes(dtype):
            showing[name] = text
        elif dtype == pl.String:
            showing[name] = escaped_column.fill_null("")  # what shown gives, escaped
        else:
            showing[name] = escaped(text)
    for name in used.intersection(("employee_id", "period")):
        text = pl.col(name).fill_null("")
        showing[name] = text if style == "csv" else escaped(pl.col(name)).fill_null("")
    if "date" in used:
        showing["date"] = pl.col("date").dt.to_string("%Y-%m-%d").fill_null("")

    def literal(part: str) -> pl.Expr:
        return pl.lit(part if style == "csv" else json.dumps(part, ensure_ascii=False)[1:-1])

    def placed(name: str, fallback: str | None, chinese: bool) -> pl.Expr:
        text = (showing_zh if chinese and name in showing_zh else showing).get(name, pl.lit(""))
        if chinese and fields.get(name) == pl.String and name in VALUE_NAMES_ZH:
            text = text.replace(VALUE_NAMES_ZH[name])  # as ``findings.named_zh``
        if fallback is None:
            return text
        if name in ("employee_id", "period", "date"):  # the finding's, as ``showing`` has
            value = pl.col(name)
        elif name in fields:
            value = pl.col(f"_evidence_{name}")
        else:
            return literal(fallback)  # a name the evidence does not hold: null
        return pl.when(value.is_null()).then(literal(fallback)).otherwise(text)

    zh, en = (
        pl.concat_str(
            [
                placed(part, fallback, chinese) if named else literal(part)
                for named, part, fallback in parts
            ]
        )
        for parts, chinese in zip(templates, (True, False), strict=True)
    )
    if style != "csv":
        zh, en = (pl.concat_str(pl.lit('"'), message, pl.lit('"')) for message in (zh, en))
    return RuleTexts(escapes, json_object(pairs, depth), zh, en)


def _may_need_escapes(dtype: DType) -> bool:
    """Whether a value of this type can show characters that JSON escapes: numbers, truth
    values and nothing show none."""
    inner = dtype.inner if isinstance(dtype, pl.List) else dtype
    return not (inner.is_integer() or inner in (pl.Null, pl.Boolean))
