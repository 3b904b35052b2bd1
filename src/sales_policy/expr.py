"""Rule conditions: a small, safe expression language compiled once to polars.

A condition such as ``scheduled and minutes_late > late_grace_minutes`` is parsed with
:mod:`ast` on a whitelist (it is never run as Python), type-checked against the fact columns
and the parameters, and compiled to a boolean :class:`polars.Expr`.  :meth:`Condition.evaluate`
gives the same answer on one row.  Both agree on nulls: ``and``/``or``/``not`` are three-valued
as in polars, every other operation on a null gives null, and a null result counts as false.
Numbers behave as in polars: ints are 64-bit and wrap on overflow, an int meeting a float
becomes a float, and division by zero and NaN give null.

The compiled parts and the operations on them are in :mod:`.exprnodes`; comparisons and
``in``, in :mod:`.exprcompare`; the functions a condition may call, in :mod:`.exprfunctions`;
where a part sits in the text, and what an error of syntax means, in :mod:`.exprsource`.
"""

from __future__ import annotations

import ast
import datetime as dt
import math
import operator
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast, get_args

import polars as pl

from .errors import ConditionError, InvalidArgument, did_you_mean
from .exprcompare import compile_compare
from .exprfunctions import FUNCTIONS, Function, compile_call
from .exprnodes import (
    DESCRIBE,
    DTYPES,
    INT_MAX,
    INT_MIN,
    NUMBERS,
    Fn,
    Node,
    Row,
    ValueType,
    as_float,
    kleene,
    lift,
    nan_to_null,
    wrap,
)
from .exprplaces import Places
from .exprsource import ALLOWED, FORBIDDEN, ConditionSource

__all__ = [
    "FUNCTIONS",
    "MAX_LENGTH",
    "MAX_NODES",
    "Condition",
    "Function",
    "ValueType",
    "compile_condition",
]

MAX_LENGTH = 2_000
MAX_NODES = 300

_Op = tuple[str, Callable[[Any, Any], Any]]
_ARITH: dict[type[ast.AST], _Op] = {
    ast.Add: ("+", operator.add),
    ast.Sub: ("-", operator.sub),
    ast.Mult: ("*", operator.mul),
    ast.Div: ("/", operator.truediv),
    ast.FloorDiv: ("//", operator.floordiv),
    ast.Mod: ("%", operator.mod),
}
_PARAM_CHECKS: dict[str, Callable[[Any], bool]] = {
    "bool": lambda v: isinstance(v, bool),
    "int": lambda v: type(v) is int and INT_MIN <= v <= INT_MAX,
    "float": lambda v: type(v) in (int, float) and math.isfinite(v),
    "str": lambda v: isinstance(v, str),
    "date": lambda v: type(v) is dt.date,
    "datetime": lambda v: isinstance(v, dt.datetime),
    "str_list": lambda v: isinstance(v, list | tuple) and all(isinstance(s, str) for s in v),
}


def _negative_number(node: ast.expr) -> bool:
    """``-`` and a whole number: one literal, as the smallest 64-bit int
    (-9223372036854775808) can only be written, its digits alone being beyond 64 bits."""
    return (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and type(node.operand.value) is int
    )


@dataclass(frozen=True, eq=False)
class Condition:
    """A compiled condition: a polars expression plus an equivalent one-row evaluator."""

    text: str
    expr: pl.Expr
    columns: frozenset[str]
    params: frozenset[str]
    _fn: Fn = field(repr=False)
    #: ``expr`` before a null counts as false: null where the condition reads a missing value
    three_valued: pl.Expr = field(repr=False)

    def evaluate(self, row: Row) -> bool:
        """Evaluate on one row (column name -> value); null counts as False."""
        return self._fn(row) is True


def compile_condition(
    text: str,
    columns: Mapping[str, ValueType],
    params: Mapping[str, tuple[ValueType, object]],
    *,
    places: Places | None = None,
) -> Condition:
    """Parse, type-check and compile ``text``; raise :class:`ConditionError` if it is wrong.
    With ``places`` (the decimal places of the names), a number compared with a figure of
    fewer places is an error too (``exprplaces``)."""
    for name, vtype in [*columns.items(), *((n, t) for n, (t, _) in params.items())]:
        if vtype not in get_args(ValueType):
            raise InvalidArgument(f"{name!r} has unknown type {vtype!r}")
    if len(text) > MAX_LENGTH:
        raise ConditionError(
            f"a condition may be at most {MAX_LENGTH} characters long; this "
            f"one has {len(text)}; move long lists into a parameter",
            offset=MAX_LENGTH,
        )
    compiler = _Compiler(text, columns, params, places)
    node = compiler.compile()
    return Condition(
        text,
        node.expr.fill_null(False),
        frozenset(compiler.used_columns),
        frozenset(compiler.used_params),
        node.fn,
        node.expr,
    )


class _Compiler(ConditionSource):
    def __init__(
        self,
        text: str,
        columns: Mapping[str, ValueType],
        params: Mapping[str, tuple[ValueType, object]],
        places: Places | None = None,
    ) -> None:
        super().__init__(text)
        self.columns, self.params = columns, params
        #: the decimal places of the names, where numbers compared with them are checked
        self.places = places
        self.used_columns: set[str] = set()
        self.used_params: set[str] = set()

    def compile(self) -> Node:
        self.refuse_hidden()
        try:
            with warnings.catch_warnings():  # e.g. invalid escapes: not for the caller's log
                warnings.simplefilter("ignore")
                tree = ast.parse(self.src, mode="eval")
        except SyntaxError as e:
            self.syntax_error(e)
        except (ValueError, RecursionError, MemoryError):
            raise ConditionError("the condition is nested too deeply", offset=0) from None
        nodes = list(ast.walk(tree))
        if len(nodes) > MAX_NODES:
            raise ConditionError(
                f"a condition may have at most {MAX_NODES} parts (AST nodes); "
                f"this one has {len(nodes)}; split the rule",
                offset=0,
            )
        for name in (n for n in nodes if isinstance(n, ast.Name)):
            self.refuse_folded(name)
        node = self.visit(tree.body)
        if node.type != "bool":
            self.fail(
                tree.body,
                f"a condition must be true or false; this one is "
                f"{DESCRIBE[node.type]} ({self.source(tree.body)})",
            )
        return node

    def expect(self, node: ast.expr, n: Node, types: tuple[str, ...], what: str) -> None:
        if n.type not in types:
            self.fail(node, f"{what}; {self.source(node)} is {DESCRIBE[n.type]} ({n.type})")

    def visit(self, node: ast.expr) -> Node:
        if isinstance(node, ast.Constant) or _negative_number(node):
            vtype, value = self.literal(node)
            return Node(vtype, pl.lit(value, dtype=DTYPES[vtype]), lambda row: value)
        if isinstance(node, ast.BoolOp):
            parts = [self.visit(v) for v in node.values]
            word = "and" if isinstance(node.op, ast.And) else "or"
            for v, p in zip(node.values, parts, strict=True):
                self.expect(v, p, ("bool",), f"'{word}' needs true/false on both sides")
            return kleene(word == "and", parts)
        handlers: dict[type[ast.AST], Callable[[Any], Node]] = {
            ast.Name: self.name,
            ast.UnaryOp: self.unary,
            ast.BinOp: self.arith,
            ast.Compare: self.compare,
            ast.Call: self.call,
        }
        if type(node) in handlers:
            return handlers[type(node)](node)
        if isinstance(node, ast.List | ast.Tuple):
            self.fail(
                node,
                "a list is only allowed on the right of 'in' / 'not in' or as the "
                "second argument of domain_matches",
            )
        what = FORBIDDEN.get(type(node), type(node).__name__)
        self.fail(node, f"{what} is not allowed in a condition; {ALLOWED}")

    def literal(self, node: ast.expr) -> tuple[ValueType, object]:
        sign = 1
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            sign, node = (-1 if isinstance(node.op, ast.USub) else 1), node.operand
            if not (isinstance(node, ast.Constant) and type(node.value) in (int, float)):
                self.fail(node, "list entries must be literal numbers or strings")
        if not isinstance(node, ast.Constant):
            self.fail(node, "list entries must be literal numbers or strings")
        value: Any = node.value
        if value is None:
            self.fail(
                node, "None is not allowed; test for a missing value with is_null(x) or is_set(x)"
            )
        vtype: Any = {bool: "bool", str: "str", int: "int", float: "float"}.get(type(value))
        if vtype in ("bool", "str"):
            return vtype, value
        if (vtype == "int" and INT_MIN <= sign * value <= INT_MAX) or (
            vtype == "float" and math.isfinite(value)
        ):
            return vtype, sign * value
        if vtype is not None:
            self.fail(node, "a number must be finite and an integer must fit in 64 bits")
        if isinstance(value, bytes):
            self.fail(node, "bytes literals (b'...') are not allowed; write a plain string")
        self.fail(node, f"{self.source(node)} is not allowed; {ALLOWED}")

    def resolve(self, node: ast.Name) -> tuple[bool, ValueType]:
        """(is_param, type) of a name, recording its use."""
        name = node.id
        if name in self.columns and name in self.params:
            self.fail(
                node,
                f"{name!r} is ambiguous: it is both a fact column and a parameter; "
                "rename the parameter",
            )
        if name in self.columns:
            self.used_columns.add(name)
            return False, self.columns[name]
        if name in self.params:
            self.used_params.add(name)
            return True, self.params[name][0]
        hint = did_you_mean(name, [*self.columns, *self.params])
        if name.lower() in ("true", "false", "none", "null"):
            hint = "; write True or False, and test for a missing value with is_null(x)"
        elif name in FUNCTIONS:
            hint = f"; {name} is a function: call it like {FUNCTIONS[name].signature}"
        self.fail(node, f"unknown name {name!r}{hint}")

    def param_value(self, node: ast.Name) -> Any:
        vtype, value = self.params[node.id][0], cast(Any, self.params[node.id][1])
        if not _PARAM_CHECKS[vtype](value):
            self.fail(node, f"parameter {node.id!r} is declared {vtype} but its value is {value!r}")
        return float(value) if vtype == "float" else list(value) if vtype == "str_list" else value

    def name(self, node: ast.Name) -> Node:
        is_param, vtype = self.resolve(node)
        if is_param:
            value = self.param_value(node)
            return Node(vtype, pl.lit(value, dtype=DTYPES.get(vtype)), lambda row: value)
        column, load = node.id, operator.itemgetter(node.id)
        if vtype == "float":
            return nan_to_null(Node(vtype, pl.col(column).cast(pl.Float64), lift(float, load)))
        return Node(
            vtype, pl.col(column).cast(pl.Int64) if vtype == "int" else pl.col(column), load
        )

    def unary(self, node: ast.UnaryOp) -> Node:
        if isinstance(node.op, ast.Invert):
            self.fail(node, f"'~' is not allowed; use not; {ALLOWED}")
        n = self.visit(node.operand)
        if isinstance(node.op, ast.Not):
            self.expect(node.operand, n, ("bool",), "'not' needs true/false")
            return Node("bool", ~n.expr, lift(operator.not_, n.fn))
        sign = "-" if isinstance(node.op, ast.USub) else "+"
        self.expect(node.operand, n, NUMBERS, f"unary '{sign}' needs a number")
        if sign == "+":
            return n
        neg = wrap if n.type == "int" else float
        return Node(n.type, -n.expr, lift(lambda v: neg(-v), n.fn))

    def arith(self, node: ast.BinOp) -> Node:
        if type(node.op) not in _ARITH:
            gap = self.text[self.end(node.left) : self.offset(node.right)].strip(" ()\t\r\n")
            logic = "" if isinstance(node.op, ast.Pow | ast.MatMult) else "use and/or for logic; "
            self.fail(node, f"'{gap}' is not allowed; {logic}{ALLOWED}")
        sym, op = _ARITH[type(node.op)]
        a, b = self.visit(node.left), self.visit(node.right)
        whole = sym in ("//", "%")
        what = f"'{sym}' needs {'whole numbers (int)' if whole else 'numbers'}"
        self.expect(node.left, a, ("int",) if whole else NUMBERS, what)
        self.expect(node.right, b, ("int",) if whole else NUMBERS, what)
        if sym == "/" or "float" in (a.type, b.type):
            a, b = as_float(a), as_float(b)
        expr = op(a.expr, b.expr)  # polars already gives null for an int // or % by zero
        if sym == "/":
            expr = pl.when(b.expr == 0).then(None).otherwise(expr)
        post = wrap if a.type == "int" else float

        def apply(x: Any, y: Any) -> Any:
            return None if sym in ("/", "//", "%") and y == 0 else post(op(x, y))

        return nan_to_null(Node(a.type, expr, lift(apply, a.fn, b.fn)))

    def compare(self, node: ast.Compare) -> Node:
        return compile_compare(self, node)

    def literal_list(self, node: ast.expr, context: str) -> tuple[ValueType | None, list[Any]]:
        """(entry type, or None for an empty list; entries) of a literal list or list param."""
        if isinstance(node, ast.Name):
            is_param, vtype = self.resolve(node)
            if is_param and vtype == "str_list":
                return "str", self.param_value(node)
        elif isinstance(node, ast.List | ast.Tuple):
            entries = [self.literal(e) for e in node.elts]
            kinds = {t for t, _ in entries}
            if not kinds <= {"str"} and not kinds <= set(NUMBERS):
                self.fail(
                    node,
                    "list entries must all be strings or all be numbers; this list "
                    f"mixes {' and '.join(sorted(kinds))}",
                )
            if "float" in kinds:
                return "float", [float(v) for _, v in entries]  # type: ignore[arg-type]
            return (entries[0][0] if entries else None), [v for _, v in entries]
        self.fail(node, f'{context} must be a list like ["a", "b"] or a str_list parameter')

    def call(self, node: ast.Call) -> Node:
        return compile_call(self, node)
