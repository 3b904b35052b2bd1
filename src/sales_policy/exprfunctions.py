"""The functions of the condition language (``sales_policy.expr``): the catalogue the rule
documentation lists, and how a call is checked and compiled."""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import reduce
from types import MappingProxyType
from typing import Any, NoReturn, Protocol

import polars as pl

from .errors import did_you_mean
from .exprnodes import NUMBERS, Node, Row, ValueType, as_float, lift, wrap


@dataclass(frozen=True)
class Function:
    """A whitelisted function, as the rule documentation lists it."""

    name: str
    signature: str
    doc: str
    min_args: int
    max_args: int | None  # None: no upper limit


FUNCTIONS: Mapping[str, Function] = MappingProxyType(
    {
        f.name: f
        for f in (
            Function("abs", "abs(number) -> number", "absolute value", 1, 1),
            Function(
                "min",
                "min(number, number, ...) -> number",
                "smallest; null if any is null",
                2,
                None,
            ),
            Function(
                "max", "max(number, number, ...) -> number", "largest; null if any is null", 2, None
            ),
            Function(
                "coalesce", "coalesce(a, b, ...) -> same type", "first argument not null", 2, None
            ),
            Function("is_null", "is_null(any) -> bool", "the value is missing", 1, 1),
            Function("is_set", "is_set(any) -> bool", "the value is present", 1, 1),
            Function("lower", "lower(str) -> str", "lower-cased text", 1, 1),
            Function(
                "domain",
                "domain(str) -> str",
                "lower-cased domain of an e-mail address (after "
                "the last '@') or of a URL or host (scheme, path, port and query cut off)",
                1,
                1,
            ),
            Function(
                "domain_matches",
                "domain_matches(str, list) -> bool",
                "domain(s) is one of the "
                "list's domains or a subdomain of one; the list is literal or a str_list parameter",
                2,
                2,
            ),
        )
    }
)

#: a URL's scheme, which ``domain`` cuts off
SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*://")


class Compiling(Protocol):
    """What compiling a call needs of the condition's compiler (``expr._Compiler``)."""

    def visit(self, node: ast.expr) -> Node: ...

    def expect(self, node: ast.expr, n: Node, types: tuple[str, ...], what: str) -> None: ...

    def fail(self, node: ast.AST, message: str) -> NoReturn: ...

    def literal_list(self, node: ast.expr, context: str) -> tuple[ValueType | None, list[Any]]: ...


def domain(s: str) -> str:
    """``domain(s)`` on one value."""
    s = s.lower()
    if "@" in s:
        return s.rsplit("@", 1)[1]
    s = SCHEME.sub("", s, count=1)
    for sep in "/:?":
        s = s.split(sep, 1)[0]
    return s


def domain_expr(s: pl.Expr) -> pl.Expr:
    """``domain(s)`` on a column."""
    low = s.str.to_lowercase()
    return (
        pl.when(low.str.contains("@", literal=True))
        .then(low.str.split("@").list.last())
        .otherwise(low.str.replace(SCHEME.pattern, "").str.extract(r"^([^/:?]*)", 1))
    )


def compile_call(compiler: Compiling, node: ast.Call) -> Node:
    """A call of one of ``FUNCTIONS``, its arguments checked and compiled by ``compiler``."""
    func = node.func
    if not isinstance(func, ast.Name):
        compiler.fail(func, f"only the functions {', '.join(FUNCTIONS)} can be called")
    spec = FUNCTIONS.get(func.id)
    if spec is None:
        compiler.fail(
            func,
            f"unknown function {func.id!r}{did_you_mean(func.id, list(FUNCTIONS))}; "
            f"the functions are {', '.join(FUNCTIONS)}",
        )
    if node.keywords:
        compiler.fail(node.keywords[0], f"keyword arguments are not allowed; call {spec.signature}")
    got = len(node.args)
    if got < spec.min_args or (spec.max_args is not None and got > spec.max_args):
        compiler.fail(node, f"{spec.name}() takes {spec.signature}; it got {got} argument(s)")
    name, first = spec.name, node.args[0]
    if name == "domain_matches":
        s = compiler.visit(first)
        compiler.expect(first, s, ("str",), "domain_matches() needs text first")
        kind, values = compiler.literal_list(node.args[1], "domain_matches()'s second argument")
        if kind not in (None, "str"):
            compiler.fail(node.args[1], "domain_matches() needs a list of strings")
        return _domain_matches(s, [v.lower() for v in values])
    args = [compiler.visit(a) for a in node.args]
    a = args[0]
    if name in ("is_null", "is_set"):
        is_null = name == "is_null"
        return Node(
            "bool",
            a.expr.is_null() if is_null else a.expr.is_not_null(),
            lambda row: (a.fn(row) is None) == is_null,
        )
    if name in ("lower", "domain"):
        compiler.expect(first, a, ("str",), f"{name}() needs text")
        if name == "lower":
            return Node("str", a.expr.str.to_lowercase(), lift(str.lower, a.fn))
        return Node("str", domain_expr(a.expr), lift(domain, a.fn))
    types = {a.type for a in args}
    if name != "coalesce":
        for arg, n in zip(node.args, args, strict=True):
            compiler.expect(arg, n, NUMBERS, f"{name}() needs numbers")
    elif len(types) > 1 and not types <= set(NUMBERS):
        compiler.fail(node, f"coalesce() needs arguments of one type; got {sorted(types)}")
    if "float" in types:
        args = [as_float(n) for n in args]
    rtype, exprs, fns = args[0].type, [n.expr for n in args], [n.fn for n in args]
    if name == "abs":
        post = wrap if rtype == "int" else float
        return Node(rtype, exprs[0].abs(), lift(lambda v: post(abs(v)), fns[0]))
    if name == "coalesce":

        def first_set(row: Row) -> Any:
            return next((v for f in fns if (v := f(row)) is not None), None)

        return Node(rtype, pl.coalesce(exprs), first_set)
    pick, horizontal = (min, pl.min_horizontal) if name == "min" else (max, pl.max_horizontal)
    # min_horizontal skips nulls; the language says a null argument makes the result null
    any_null = pl.any_horizontal([e.is_null() for e in exprs])
    return Node(
        rtype,
        pl.when(any_null).then(None).otherwise(horizontal(exprs)),
        lift(lambda *vs: pick(vs), *fns),
    )


def _domain_matches(s: Node, entries: list[str]) -> Node:
    d = domain_expr(s.expr)
    # is_in gives null for a null domain, so the result stays null even for an empty list
    expr = reduce(
        operator.or_,
        [d.str.ends_with("." + e) for e in entries],
        d.is_in(pl.lit(entries, dtype=pl.List(pl.String()))),
    )
    suffixes, members = tuple("." + e for e in entries), frozenset(entries)
    return Node(
        "bool",
        expr,
        lift(lambda v: (h := domain(v)) in members or h.endswith(suffixes), s.fn),
    )
