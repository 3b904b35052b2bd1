"""Rule conditions as durable_rules conditions.

A rule's ``when`` text (the language of ``sales_policy.expr``, already parsed and type-checked
when the rule file was loaded) is translated into durable_rules' JSON condition form over one
event, one fact row.  The translation is in negation normal form: ``not`` is pushed down to the
comparisons by De Morgan's laws and turns ``<`` into ``>=``, ``==`` into ``!=``, ``is_set``
into ``is_null``.  That keeps the language's null semantics exactly: a comparison with a null
operand is null, a null result counts as false, and De Morgan's laws hold in three-valued
logic, so a formula in negation normal form is true exactly when it is true with every null
comparison read as false.  Null values are left out of the event, and durable_rules' tests on
a missing field are false (``$nex``, "is missing", is the one test that holds).

Translated: ``and``, ``or``, ``not``; ``True``/``False``; a bool column on its own;
``==``, ``!=``, ``<``, ``<=``, ``>``, ``>=`` between a column and a literal or parameter
(either side; chains are split), and between literals and parameters only (folded to their
value: ``market_report_min_share == 0``); ``in`` / ``not in`` of a column in a literal list or a
``str_list`` parameter; ``is_set(column)`` and ``is_null(column)``.

Not translated (no durable_rules form with the same semantics): arithmetic, the functions
``abs``, ``min``, ``max``, ``coalesce``, ``lower``, ``domain`` and ``domain_matches``, two
columns compared with each other (durable_rules reads ``m.x > m.y`` as a join with another
message), date and datetime values, and float literals durable_rules' parser rejects (such as
``1e-05``).  Such a part is replaced by "true" (in negation normal form the formula is
monotone in its parts, so the durable condition is then a necessary condition) and the rule is
marked inexact: its action decides with ``Condition.evaluate`` on the row.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from ..expr import ValueType
from ..exprcompare import COMPARISONS

#: the event field every condition tests first: durable_rules loops forever on a rule whose
#: only tests are absence tests ($nex), so each condition starts with a positive test
GUARD = "_table"
#: event fields are the fact columns with this prefix, clear of durable's own (id, sid, $s)
FIELD_PREFIX = "f_"
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1

_NEGATED = {"==": "!=", "!=": "==", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}
_MIRRORED = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
_DURABLE_OPS = {"!=": "$neq", "<": "$lt", "<=": "$lte", ">": "$gt", ">=": "$gte"}
_COMPARE_SYMBOLS: dict[type[ast.cmpop], str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}
#: column types whose values the events carry (others only as presence, for is_set/is_null)
SCALAR_TYPES = ("bool", "int", "float", "str")


class _Untranslated(Exception):
    """A part of the condition with no durable_rules form."""


# A formula is True, False, an atom (a durable condition dict), or ("and"|"or", [formulas]).
Formula = Any


@dataclass(frozen=True)
class Translation:
    """A condition in durable_rules' form.

    ``condition`` is None when the condition can never hold, ``{}`` when it always holds.
    ``exact`` is False when parts were replaced by "true"; those parts are listed in
    ``untranslated`` and the rule's action decides with ``Condition.evaluate``.  ``fields``
    are the columns the event carries as values, ``presence`` those it carries as 1 when set
    (for is_set/is_null)."""

    condition: dict[str, Any] | None
    exact: bool
    fields: frozenset[str]
    presence: frozenset[str]
    untranslated: tuple[str, ...]


def field_name(column: str) -> str:
    return FIELD_PREFIX + column


def durable_number(value: int | float) -> int | float | None:
    """``value`` as a number durable_rules parses exactly, or None.

    Its JSON parser rejects a float written with an exponent but no decimal point (``1e-05``,
    ``1e+16``) and has no infinities; a whole float within 64 bits goes as an int."""
    if isinstance(value, int):  # bool is an int too
        return value if _INT_MIN <= value <= _INT_MAX else None
    if not math.isfinite(value):
        return None
    if value.is_integer() and _INT_MIN <= value <= _INT_MAX:
        return int(value)
    text = repr(value)
    if "e" in text and "." not in text.split("e")[0]:
        return None
    return value


class _Translator:
    def __init__(
        self,
        text: str,
        columns: Mapping[str, ValueType],
        params: Mapping[str, tuple[ValueType, object]],
    ) -> None:
        self.text = text.lstrip()  # as the condition compiler parses it
        self.columns = columns
        self.params = params
        self.fields: set[str] = set()
        self.presence: set[str] = set()
        self.untranslated: list[str] = []

    def translate(self) -> Translation:
        tree = ast.parse(self.text, mode="eval")
        formula = self.formula(tree.body, negate=False)
        condition = _to_json(formula)
        if condition is False:
            return Translation(None, not self.untranslated, frozenset(), frozenset(), ())
        return Translation(
            {} if condition is True else condition,
            not self.untranslated,
            frozenset(self.fields),
            frozenset(self.presence),
            tuple(self.untranslated),
        )

    def formula(self, node: ast.expr, negate: bool) -> Formula:
        try:
            return self.translated(node, negate)
        except _Untranslated:
            self.untranslated.append(ast.get_source_segment(self.text, node) or ast.dump(node))
            return True

    def translated(self, node: ast.expr, negate: bool) -> Formula:
        if isinstance(node, ast.BoolOp):
            is_and = isinstance(node.op, ast.And) != negate
            return ("and" if is_and else "or", [self.formula(v, negate) for v in node.values])
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return self.formula(node.operand, not negate)
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return node.value != negate
        if isinstance(node, ast.Name):
            if self.params.get(node.id, ("", None))[0] == "bool":
                return bool(self.params[node.id][1]) != negate
            if self.columns.get(node.id) == "bool":
                self.fields.add(node.id)
                return {field_name(node.id): not negate}
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            pairs = [
                self.compare(operands[i], op, operands[i + 1], negate)
                for i, op in enumerate(node.ops)
            ]
            # a chain is a conjunction; negated, a disjunction of the negated pairs
            return pairs[0] if len(pairs) == 1 else ("or" if negate else "and", pairs)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("is_set", "is_null")
            and len(node.args) == 1
            and not node.keywords
        ):
            column = self.column(node.args[0])
            if column is None:
                raise _Untranslated
            self.presence.add(column)
            present = (node.func.id == "is_set") != negate
            return {"$ex" if present else "$nex": {field_name(column): 1}}
        raise _Untranslated

    def column(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Name) and node.id in self.columns and node.id not in self.params:
            return node.id
        return None

    def literal(self, node: ast.expr) -> tuple[bool, Any]:
        """(is a literal, its value) of a constant, a signed number or a parameter."""
        if isinstance(node, ast.Constant) and type(node.value) in (bool, int, float, str):
            return True, node.value
        if (
            isinstance(node, ast.UnaryOp)
            and isinstance(node.op, ast.USub | ast.UAdd)
            and isinstance(node.operand, ast.Constant)
            and type(node.operand.value) in (int, float)
        ):
            sign = -1 if isinstance(node.op, ast.USub) else 1
            return True, sign * cast(int | float, node.operand.value)
        if isinstance(node, ast.Name) and node.id in self.params:
            vtype, value = self.params[node.id]
            if vtype == "float":
                return True, float(value)  # type: ignore[arg-type]
            if vtype == "str_list":
                return True, list(value)  # type: ignore[call-overload]
            return True, value
        if isinstance(node, ast.List | ast.Tuple):
            values = [self.literal(e) for e in node.elts]
            if all(ok for ok, _ in values):
                return True, [v for _, v in values]
        return False, None

    def compare(self, left: ast.expr, op: ast.cmpop, right: ast.expr, negate: bool) -> Formula:
        if isinstance(op, ast.In | ast.NotIn):
            return self.member(left, right, isinstance(op, ast.In) != negate)
        if type(op) not in _COMPARE_SYMBOLS:
            raise _Untranslated
        symbol = _COMPARE_SYMBOLS[type(op)]
        if self.column(left) is None and self.column(right) is None:
            return self.constant(left, symbol, right, negate)
        column, (is_literal, value) = self.column(left), self.literal(right)
        if column is None:
            column, (is_literal, value) = self.column(right), self.literal(left)
            symbol = _MIRRORED[symbol]
        if column is None or not is_literal or self.columns[column] not in SCALAR_TYPES:
            raise _Untranslated
        if negate:
            symbol = _NEGATED[symbol]
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = durable_number(value)
            if value is None:
                raise _Untranslated
        self.fields.add(column)
        name = field_name(column)
        return {name: value} if symbol == "==" else {_DURABLE_OPS[symbol]: {name: value}}

    def constant(self, left: ast.expr, symbol: str, right: ast.expr, negate: bool) -> Formula:
        """A comparison of literals and parameters only (``market_report_min_share == 0``),
        folded to its value: null (a parameter without a value) on either side is null, false
        negated or not, as in negation normal form.  NaN and mixed kinds are left to the
        action."""
        (left_ok, a), (right_ok, b) = self.literal(left), self.literal(right)
        if not (left_ok and right_ok):
            raise _Untranslated
        if a is None or b is None:
            return False
        numbers = all(type(v) in (bool, int, float) for v in (a, b))
        texts = all(type(v) is str for v in (a, b))
        if not (numbers or texts) or any(isinstance(v, float) and v != v for v in (a, b)):
            raise _Untranslated
        return bool(COMPARISONS[_NEGATED[symbol] if negate else symbol](a, b))

    def member(self, left: ast.expr, right: ast.expr, member: bool) -> Formula:
        column, (is_literal, values) = self.column(left), self.literal(right)
        if column is None or not is_literal or self.columns[column] not in SCALAR_TYPES:
            raise _Untranslated
        entries = []
        for value in values:
            if isinstance(value, int | float) and not isinstance(value, bool):
                value = durable_number(value)
                if value is None:
                    raise _Untranslated
            entries.append(value)
        name = field_name(column)
        if not entries:  # null in [] is null, x in [] is false; x not in [] is "x is set"
            self.presence.add(column)
            return {"$ex": {name: 1}} if not member else False
        self.fields.add(column)
        if member:
            return ("or", [{name: v} for v in entries])
        return ("and", [{"$neq": {name: v}} for v in entries])


def _to_json(formula: Formula) -> dict[str, Any] | bool:
    """A formula as a durable condition, constants folded away (True/False if it is one)."""
    if isinstance(formula, bool | dict):
        return formula
    kind, parts = formula
    absorbing = kind == "or"  # True absorbs an "or", False absorbs an "and"
    children: list[dict[str, Any]] = []
    for part in parts:
        child = _to_json(part)
        if child is absorbing:
            return absorbing
        if isinstance(child, dict):
            children.append(child)
    if not children:
        return not absorbing
    return children[0] if len(children) == 1 else {f"${kind}": children}


def translate(
    text: str,
    columns: Mapping[str, ValueType],
    params: Mapping[str, tuple[ValueType, object]],
) -> Translation:
    """Translate a condition (already checked by ``compile_condition``) for durable_rules."""
    return _Translator(text, columns, params).translate()
