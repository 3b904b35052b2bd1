"""Comparisons in the condition language (``sales_policy.expr``): ``==``, ``!=``, ``<``,
``<=``, ``>``, ``>=``, chained as in Python (``a < b <= c`` is ``a < b and b <= c``), and
``in`` / ``not in`` a literal list or a ``str_list`` parameter.  Both sides must have one type
(an int and a float mix, as floats); ordering works on numbers, dates and datetimes only."""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from typing import Any

import polars as pl

from .exprfunctions import Compiling
from .exprnodes import DTYPES, NUMBERS, Node, as_float, kleene, lift

_Op = tuple[str, Callable[[Any, Any], Any]]
_COMPARE: dict[type[ast.AST], _Op] = {
    ast.Eq: ("==", operator.eq),
    ast.NotEq: ("!=", operator.ne),
    ast.Lt: ("<", operator.lt),
    ast.LtE: ("<=", operator.le),
    ast.Gt: (">", operator.gt),
    ast.GtE: (">=", operator.ge),
}
#: each comparison's function by its symbol (the live engine folds comparisons of constants)
COMPARISONS: dict[str, Callable[[Any, Any], Any]] = dict(_COMPARE.values())
#: each comparison with its sides swapped: ``a < b`` is ``b > a``
_MIRROR = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.gt,
    "<=": operator.ge,
    ">": operator.lt,
    ">=": operator.le,
}
#: what a comparison of lists (str_list) is told to do instead
_LISTS = (
    "lists cannot be compared: test one with is_null(x) or is_set(x), or compare the count "
    "its table keeps beside it, where there is one (unapproved_leave_count beside "
    "unapproved_leave_ids, missing_count beside missing_fields)"
)


def compile_compare(compiler: Compiling, node: ast.Compare) -> Node:
    """A comparison, chained or not (``a < b <= c``), or a membership test (``in``,
    ``not in``), its operands checked and compiled by ``compiler``."""
    operands = [node.left, *node.comparators]
    cache: dict[int, Node] = {}

    def get(i: int) -> Node:
        if i not in cache:
            cache[i] = compiler.visit(operands[i])
        return cache[i]

    pairs = []
    for i, cmp in enumerate(node.ops):
        left, right = operands[i], operands[i + 1]
        if isinstance(cmp, ast.In | ast.NotIn):
            pairs.append(_member(compiler, left, get(i), right, isinstance(cmp, ast.NotIn)))
            continue
        if type(cmp) not in _COMPARE:
            compiler.fail(left, "'is' / 'is not' are not allowed; use == or != and is_null(x)")
        sym, op = _COMPARE[type(cmp)]
        a, b = get(i), get(i + 1)
        shown = (
            f"'{sym}' compares {a.type} with {b.type} "
            f"({compiler.source(left)} {sym} {compiler.source(right)})"
        )
        if a.type != b.type and {a.type, b.type} != set(NUMBERS):
            compiler.fail(left, f"{shown}; both sides must have the same type (int and float mix)")
        if a.type == "str_list":
            compiler.fail(left, f"{shown}; {_LISTS}")
        if sym not in ("==", "!=") and a.type not in ("int", "float", "date", "datetime"):
            compiler.fail(left, f"{shown}; ordering works on numbers, dates and datetimes only")
        if a.type in NUMBERS and compiler.places is not None:
            compiler.places.check(compiler, left, right)
        if "float" in (a.type, b.type):
            a, b = as_float(a), as_float(b)
        expr = op(a.expr, b.expr)
        if not a.expr.meta.root_names() and b.expr.meta.root_names():
            # polars (2.1) mis-sizes `literal == when(...)...` results; mirroring avoids it
            expr = _MIRROR[sym](b.expr, a.expr)
        pairs.append(Node("bool", expr, lift(op, a.fn, b.fn)))
    return pairs[0] if len(pairs) == 1 else kleene(True, pairs)


def _member(compiler: Compiling, left: ast.expr, a: Node, right: ast.expr, negate: bool) -> Node:
    """``left in right`` (``a``: ``left`` compiled), or ``not in`` when ``negate``: a literal
    list or a ``str_list`` parameter on the right."""
    kind, values = compiler.literal_list(right, "the right side of 'in'")
    compiler.expect(left, a, ("str", *NUMBERS), "'in' needs text or a number on the left")
    if kind is not None and (kind in NUMBERS) != (a.type in NUMBERS):
        compiler.fail(
            left,
            f"'in' compares {a.type} with a list of {kind} "
            f"({compiler.source(left)} in {compiler.source(right)})",
        )
    if (
        a.type in NUMBERS
        and isinstance(right, ast.List | ast.Tuple)
        and compiler.places is not None
    ):
        compiler.places.check_literals(compiler, left, right.elts)
    if "float" in (kind, a.type):
        a, values = as_float(a), [float(v) for v in values]
    members = frozenset(values)
    # a scalar list literal keeps is_in's result scalar for a literal left side; null stays null
    expr = a.expr.is_in(pl.lit(values, dtype=pl.List(DTYPES[a.type])))
    return Node("bool", ~expr if negate else expr, lift(lambda v: (v in members) != negate, a.fn))
