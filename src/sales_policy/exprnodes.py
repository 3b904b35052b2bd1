"""The values of the condition language (``sales_policy.expr``) as it compiles them.

Each part of a condition becomes a :class:`Node`: its type, a polars expression, and a
function that gives the same value on one row.  The helpers here keep the two in step: every
operation on a null gives null (``lift``) except three-valued ``and``/``or`` (``kleene``);
ints are 64-bit and wrap on overflow (``wrap``); an int meeting a float becomes a float
(``as_float``); NaN is null (``nan_to_null``).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import reduce
from typing import Any, Literal

import polars as pl

ValueType = Literal["bool", "int", "float", "str", "date", "datetime", "str_list"]

Row = Mapping[str, object]
Fn = Callable[[Row], Any]

#: the polars type of a literal or parameter of each type (a datetime is never a literal)
DTYPES: dict[str, pl.DataType] = {
    "bool": pl.Boolean(),
    "int": pl.Int64(),
    "float": pl.Float64(),
    "str": pl.String(),
    "date": pl.Date(),
    "str_list": pl.List(pl.String()),
}
#: each type as an error message names it
DESCRIBE = {
    "bool": "true or false",
    "int": "a number",
    "float": "a number",
    "str": "text",
    "date": "a date",
    "datetime": "a datetime",
    "str_list": "a list of text",
}
NUMBERS = ("int", "float")
INT_MIN, INT_MAX = -(2**63), 2**63 - 1


@dataclass(frozen=True)
class Node:
    """A compiled part of a condition: its type, its polars expression, its one-row value."""

    type: ValueType
    expr: pl.Expr
    fn: Fn


def wrap(v: int) -> int:
    """``v`` as a 64-bit int: polars' int arithmetic wraps on overflow, Python's ints grow."""
    return (v - INT_MIN) % 2**64 + INT_MIN


def lift(op: Callable[..., Any], *fns: Fn) -> Fn:
    """Apply ``op`` to the argument values, giving None as soon as one of them is None."""

    def fn(row: Row) -> Any:
        values = []
        for f in fns:
            if (v := f(row)) is None:
                return None
            values.append(v)
        return op(*values)

    return fn


def kleene(is_and: bool, parts: list[Node]) -> Node:
    """``and``/``or`` over booleans with null as unknown, as polars does it."""
    fns = [p.fn for p in parts]

    def fn(row: Row) -> Any:
        result: bool | None = is_and
        for f in fns:
            if (v := f(row)) is None:
                result = None
            elif v is not is_and:
                return v
        return result

    return Node(
        "bool", reduce(operator.and_ if is_and else operator.or_, [p.expr for p in parts]), fn
    )


def as_float(n: Node) -> Node:
    """An int node as a float one; any other unchanged."""
    if n.type != "int":
        return n
    return Node("float", n.expr.cast(pl.Float64), lift(float, n.fn))


def nan_to_null(n: Node) -> Node:
    """A float node with NaN made null: polars sorts NaN above every number while Python
    compares it false; null is the same in both."""
    if n.type != "float":
        return n
    return Node("float", n.expr.fill_nan(None), lift(lambda v: None if v != v else v, n.fn))
