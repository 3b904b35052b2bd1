"""The decimal places a condition's numbers are kept to, and the numbers it may compare with
them (``sales_policy.expr``).

A fact may be kept to fewer decimal places than it was measured to: satisfaction to 2
(rounded down), an amount to 4, a count or a number of minutes to none (``minutes_late`` is
rounded up).  A literal with more places than the figure it is compared with lies between
two values the figure can take: ``satisfaction < 59.995`` finds a mean of 59.996, kept as
59.99, and ``minutes_late > 5.5`` finds an arrival five minutes and a second late, counted as
6.  Such a literal is refused where it is written, as a parameter's value of more places
than its ``places:`` is where it is set.  A ``float`` parameter of the rule file without
``places:`` takes those of the facts it is compared with (``Places.implied``), so that a
policy cannot set 59.995 either; one declared with more than the fact's, or one of an earlier
rule file without ``places:``, is refused where the condition names it.

The places of a part of a condition: a whole number (``int``) has none; a ``float`` column or
parameter those its table or rule file declares (else any); a literal number those it is
written with; ``-``, ``+`` and ``abs`` keep them, ``min``, ``max``, ``coalesce``, ``+`` and
``-`` the most of their operands', ``*`` their sum; ``/`` any.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import NoReturn, Protocol

#: the functions whose value has at most the places of their arguments
_KEEPING = ("abs", "min", "max", "coalesce")


def decimal_places(value: float) -> int:
    """The decimal places of a number as it is written (``repr``): 59.995 has 3, 60 and 60.0
    none, 1e-05 has 5."""
    # normalized: repr writes a whole float with a point (60.0), which is no decimal place
    exponent = Decimal(repr(value)).normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


class Placing(Protocol):
    """What the check needs of the condition's compiler: to show a part, and to fault one."""

    def source(self, node: ast.AST) -> str: ...

    def fail(self, node: ast.AST, message: str) -> NoReturn: ...


def literal_number(node: ast.expr) -> float | None:
    """The value of a literal number (``59.995``, ``-1``, ``+0.5``); None for anything else."""
    sign = 1
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        sign, node = (-1 if isinstance(node.op, ast.USub) else 1), node.operand
    value = node.value if isinstance(node, ast.Constant) else None
    return sign * value if isinstance(value, int | float) and not isinstance(value, bool) else None


@dataclass(frozen=True)
class Places:
    """The names a condition reads (``types``: every column and parameter, ``columns`` the
    columns among them) and the decimal places of those ``float`` ones that declare them.
    ``open``: the ``float`` parameters without ``places:`` that take those of the facts a
    condition compares them with, which ``implied`` collects (the fewest, and the part of
    the condition with so few); any other compared with such a fact is an error."""

    types: Mapping[str, str]
    columns: frozenset[str]
    places: Mapping[str, int]
    open: frozenset[str] = frozenset()
    implied: dict[str, tuple[int, str]] = field(default_factory=dict)

    def of(self, node: ast.expr) -> int | None:
        """The decimal places ``node``'s value is kept to; None: any."""
        if (number := literal_number(node)) is not None:
            return decimal_places(number)
        if isinstance(node, ast.Name):
            kind = self.types.get(node.id)
            return 0 if kind == "int" else self.places.get(node.id) if kind == "float" else None
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            return self.of(node.operand)
        parts: list[ast.expr] = []
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            parts = list(node.args) if node.func.id in _KEEPING else []
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.FloorDiv | ast.Mod):
            return 0  # of whole numbers only
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub | ast.Mult):
            parts = [node.left, node.right]
        found = [self.of(part) for part in parts]
        if not found or None in found:
            return None
        known = [p for p in found if p is not None]
        return (
            sum(known)
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult)
            else max(known)
        )

    def reads_fact(self, node: ast.expr) -> bool:
        return any(isinstance(n, ast.Name) and n.id in self.columns for n in ast.walk(node))

    def check(self, compiler: Placing, left: ast.expr, right: ast.expr) -> None:
        """Fault a literal number of more decimal places than the other side of a comparison
        of two numbers is kept to, and a parameter declared with more than the fact it is
        compared with."""
        for number, other in ((left, right), (right, left)):
            if literal_number(other) is None:
                self.check_literals(compiler, other, [number])
        for param, other in ((left, right), (right, left)):
            if not isinstance(param, ast.Name) or self.types.get(param.id) != "float":
                continue
            declared, kept = self.places.get(param.id), self.of(other)
            if param.id in self.columns or kept is None or not self.reads_fact(other):
                continue
            if declared is None and param.id in self.open:
                if kept < self.implied.get(param.id, (kept + 1, ""))[0]:
                    self.implied[param.id] = kept, compiler.source(other)
                continue
            if declared is not None and declared <= kept:
                continue
            what = "a whole number" if kept == 0 else f"kept to {kept} decimal places"
            may = (
                f"{declared} decimal places (its places:)"
                if declared is not None
                else "any number of decimal places (declared without places: in a rule file "
                "loaded before this one)"
            )
            compiler.fail(
                param,
                f"parameter {param.id!r} may have {may}, but {compiler.source(other)}, which it "
                f"is compared with, is {what}: "
                + (
                    f"declare places: {kept}"
                    if declared is not None
                    else "compare with a parameter of this file, which takes the places of "
                    "what it is compared with"
                )
                + " (a value between two such figures would be compared with one rounded past "
                "it)",
            )

    def check_literals(
        self, compiler: Placing, other: ast.expr, numbers: Iterable[ast.expr]
    ) -> None:
        """Fault the first of ``numbers`` that is a literal of more decimal places than
        ``other`` is kept to."""
        kept = self.of(other)
        if kept is None:
            return
        for number in numbers:
            value = literal_number(number)
            if value is None or (places := decimal_places(value)) <= kept:
                continue
            low, high = (_rounded(value, kept, way) for way in (ROUND_FLOOR, ROUND_CEILING))
            what = "a whole number" if kept == 0 else f"kept to {kept} decimal places"
            shown, written = compiler.source(other), compiler.source(number)
            compiler.fail(
                number,
                f"{written} has {places} decimal place{'' if places == 1 else 's'}, but "
                f"{shown} is {what}: write {low} or {high}, whichever is meant ({shown} is "
                f"never between them, and its value before it was kept may lie on the other "
                f"side of {written})",
            )


def _rounded(value: float, places: int, rounding: str) -> str:
    """``value`` rounded to ``places`` one way, as it would be written (60, not 60.00)."""
    exact = Decimal(repr(value)).quantize(Decimal(1).scaleb(-places), rounding=rounding)
    return f"{(exact + 0).normalize():f}"  # + 0: no -0
