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
from .exprplaces import Places


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
                "lower-cased domain of a URL's host (scheme, user, port, path, query and "
                "fragment cut off), else of the first recipient: the e-mail address (inside "
                "'<...>' if there; after the last '@') or host; no trailing dot",
                1,
                1,
            ),
            Function(
                "domain_matches",
                "domain_matches(str, list) -> bool",
                "the domain of the URL, or of any recipient of a list separated by ',' or "
                "';', is one of the list's domains or a subdomain of one; the list is literal "
                "or a str_list parameter",
                2,
                2,
            ),
        )
    }
)

#: a URL's scheme, which ``domain`` cuts off
SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*://")
#: the whitespace ``domain`` strips around a destination, a recipient and an address
WHITESPACE = " \t\r\n\f\v"
#: quoted text, such as the display name ``"Li, Bob"``, dropped before a list is split
_QUOTED = r'"[^"]*"'
#: the first recipient of a list: separators and whitespace skipped, up to the next separator
_FIRST = rf"^[,;{WHITESPACE}]*([^,;]*)"
#: an address in angle brackets, as in ``Bob Li <bob@rival.example>``
_BRACKETED = r"<([^>]*)"
#: the part of an address before its path, query or fragment
_HEAD = r"^([^/?#]*)"
#: a host ends at a port's ``:``, at whitespace or at an angle bracket
_HOST_END = ":<>" + WHITESPACE


#: a label of a domain as ``domain`` leaves it: letters and digits of any script, - and _
_LABEL = re.compile(r"[\w-]+")


def domain_problem(entry: str) -> str | None:
    """Why ``entry`` can match no destination's domain in ``domain_matches`` (``*.x``, an
    address, a URL, nothing but dots), or None for a domain.  It is read as the function
    reads it: lower-cased, surrounding whitespace and trailing dots dropped."""
    read = entry.lower().strip(WHITESPACE).rstrip(".")
    if not read:
        return "is empty"
    if "*" in read:
        return "holds '*': write the domain alone (rival.example): its subdomains match too"
    if SCHEME.match(read) or any(c in read for c in "/?#"):
        return "is a URL: write its domain alone (rival.example)"
    if "@" in read:
        return "is an e-mail address: write its domain alone (rival.example)"
    if not all(_LABEL.fullmatch(label) for label in read.split(".")):
        return "is not a domain like rival.example (letters, digits, - and _ between dots)"
    return None


class Compiling(Protocol):
    """What compiling a call or a comparison (``exprcompare``) needs of the condition's
    compiler (``expr._Compiler``, which places an error in the text, and shows a part of it,
    as ``exprsource.ConditionSource``)."""

    def visit(self, node: ast.expr) -> Node: ...

    def expect(self, node: ast.expr, n: Node, types: tuple[str, ...], what: str) -> None: ...

    def fail(self, node: ast.AST, message: str) -> NoReturn: ...

    def source(self, node: ast.AST) -> str: ...

    def literal_list(self, node: ast.expr, context: str) -> tuple[ValueType | None, list[Any]]: ...

    #: the decimal places of the names, where numbers compared with them are checked
    places: Places | None


def domain(s: str) -> str:
    """``domain(s)`` on one value: the domain of a data-access destination.

    The text is lower-cased and surrounding whitespace stripped.  Then:

    - A URL (the text starts with a scheme such as ``https://``) is one destination: its host
      is what follows ``://`` up to the first ``/``, ``?`` or ``#``, after the last ``@`` of
      that part (a user and password are dropped) and before a ``:`` (a port is dropped).  An
      ``@`` in the path, query or fragment is not an address.
    - Any other text is a list of recipients separated by ``,`` or ``;`` (quoted text, such as
      a display name ``"Li, Bob"``, is dropped first).  ``domain`` takes the first recipient
      that is not blank.  A recipient ``Name <address>`` stands for the address inside the
      angle brackets.  If the address has an ``@`` before any ``/``, ``?`` or ``#``, it is an
      e-mail address and the domain follows the last such ``@``; otherwise it is a host,
      possibly followed by a port, path, query or fragment.  A scheme at the start of an
      address is dropped, as in a URL.
    - In every case the domain ends at a ``/``, ``?``, ``#``, ``:``, ``<``, ``>`` or
      whitespace, and trailing dots are dropped (``rival.example.`` is ``rival.example``).

    ``domain_matches`` applies the same reading to every recipient of a list, not only the
    first.  ``domain_expr`` computes the same on a column.
    """
    t = s.lower().strip(WHITESPACE)
    if SCHEME.match(t):
        return _address_domain(t)
    first = re.split("[,;]", re.sub(_QUOTED, "", t).lstrip(",;" + WHITESPACE), maxsplit=1)[0]
    return _recipient_domain(first)


def recipient_domains(s: str) -> list[str]:
    """The domain of each recipient of ``s`` (one for a URL), read as ``domain`` reads the
    first; a blank recipient has the domain ``""``."""
    t = s.lower().strip(WHITESPACE)
    if SCHEME.match(t):
        return [_address_domain(t)]
    return [_recipient_domain(r) for r in re.split("[,;]", re.sub(_QUOTED, "", t))]


def _recipient_domain(recipient: str) -> str:
    bracketed = re.search(_BRACKETED, recipient)
    return _address_domain((bracketed.group(1) if bracketed else recipient).strip(WHITESPACE))


def _address_domain(address: str) -> str:
    head = re.split("[/?#]", SCHEME.sub("", address, count=1), maxsplit=1)[0]
    host = head.rsplit("@", 1)[-1]
    return re.split(f"[{_HOST_END}]", host, maxsplit=1)[0].rstrip(".")


def domain_expr(s: pl.Expr) -> pl.Expr:
    """``domain(s)`` on a column, with polars string operations only."""
    t = _normalised_expr(s)
    first = t.str.replace_all(_QUOTED, "").str.extract(_FIRST, 1)
    return (
        pl.when(t.str.contains(SCHEME.pattern))
        .then(_address_domain_expr(t))
        .otherwise(_recipient_domain_expr(first))
    )


def _normalised_expr(s: pl.Expr) -> pl.Expr:
    return s.str.to_lowercase().str.strip_chars(WHITESPACE)


def _recipient_domain_expr(recipient: pl.Expr) -> pl.Expr:
    address = (
        pl.when(recipient.str.contains("<", literal=True))
        .then(recipient.str.extract(_BRACKETED, 1))
        .otherwise(recipient)
    )
    return _address_domain_expr(address.str.strip_chars(WHITESPACE))


def _address_domain_expr(address: pl.Expr) -> pl.Expr:
    head = address.str.replace(SCHEME.pattern, "").str.extract(_HEAD, 1)
    # what follows the last "@" (all of it when there is none)
    host = head.str.extract(r"([^@]*)$", 1)
    return host.str.extract(f"^([^{_HOST_END}]*)", 1).str.strip_chars_end(".")


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
        if isinstance(node.args[1], ast.List):  # a parameter's values are checked as it is set
            for item, value in zip(node.args[1].elts, values, strict=True):
                problem = domain_problem(value)
                if problem is not None:
                    compiler.fail(item, f"domain_matches(): {value!r} {problem}")
        # an entry is read like a domain: lower-cased, no surrounding whitespace or trailing dot
        return _domain_matches(s, [v.lower().strip(WHITESPACE).rstrip(".") for v in values])
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
    """``domain_matches(s, entries)``: true when the domain of the URL, or of any recipient of
    a list, is an entry or a subdomain of one (a mail with a competitor among its recipients is
    sent to the competitor); null when ``s`` is null."""
    suffixes, members = tuple("." + e for e in entries), frozenset(entries)

    def matches(d: pl.Expr) -> pl.Expr:
        return reduce(
            operator.or_, [d == e for e in entries] + [d.str.ends_with(x) for x in suffixes]
        )

    if entries:
        t = _normalised_expr(s.expr)
        recipients = t.str.replace_all(_QUOTED, "").str.replace_all(";", ",", literal=True)
        any_recipient = (
            recipients.str.split(",")
            .list.eval(matches(_recipient_domain_expr(pl.element())))
            .list.any()
        )
        found = (
            pl.when(t.str.contains(SCHEME.pattern))
            .then(matches(_address_domain_expr(t)))
            .otherwise(any_recipient)
        )
    else:
        found = pl.lit(False)
    return Node(
        "bool",
        pl.when(s.expr.is_not_null()).then(found),
        lift(
            lambda v: any(d in members or d.endswith(suffixes) for d in recipient_domains(v)),
            s.fn,
        ),
    )
