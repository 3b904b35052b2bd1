"""A rule file's parameters: each one's type, default, range, form and doc, and the bounds
between them (``at_most``), read into :class:`sales_policy.rulesets.Param` and checked at
load, every problem a ``RuleFileError`` at its line (:mod:`sales_policy.rulefile`)."""

from __future__ import annotations

import dataclasses
import keyword
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import suggest
from .exprnodes import INT_MAX, INT_MIN
from .exprplaces import decimal_places
from .rulereader import RuleFileReader
from .rulesets import (
    PARAM_FORMS,
    PARAM_NAME,
    PARAM_TYPES,
    Param,
    base_60,
    finite,
    fits,
    text_number_hint,
)
from .yamlfile import LocatedDict

_PARAM_KEYS = ("type", "default", "min", "max", "at_most", "form", "places", "doc")


def read_params(
    reader: RuleFileReader,
    data: LocatedDict,
    name: str,
    outer_params: Mapping[str, Param] | None,
) -> dict[str, Param]:
    """The ``params`` of rule set ``name``'s file ``data``; ``outer_params`` are those of
    the rule sets loaded before it, which its names may not repeat and its bounds may name."""
    declared = (
        reader.mapping(data.get("params", LocatedDict()), "params", data.line_of("params"))
        if "params" in data
        else LocatedDict()
    )
    params = {
        key: _read_param(reader, key, value, declared.line_of(key), name)
        for key, value in declared.items()
    }
    for key in params:
        if outer_params and key in outer_params:
            raise reader.fail(
                f"parameter {key!r} is already declared by rule set {outer_params[key].ruleset}",
                declared.line_of(key),
            )
    visible = {**(outer_params or {}), **params}
    for key, param in params.items():
        if param.at_most is None:
            continue
        bound = visible.get(param.at_most)
        line = declared[key].line_of("at_most")
        if bound is param:
            raise reader.fail(
                f"parameter {key!r}: at_most cannot name the parameter itself; it names "
                "another numeric parameter this one may not exceed",
                line,
            )
        if bound is None or bound.type not in ("int", "float"):
            numeric = tuple(
                n for n, p in visible.items() if p.type in ("int", "float") and n != key
            )
            raise reader.fail(
                f"parameter {key!r}: at_most {param.at_most!r} is not another numeric "
                f"parameter of this rule set or one loaded before it"
                f"{suggest(param.at_most, numeric)}",
                line,
            )
        if param.default > bound.default:
            raise reader.fail(
                f"parameter {key!r}: its default {param.default} is above {param.at_most}'s "
                f"default {bound.default}",
                line,
            )
    _refuse_cycles(reader, params, declared)
    return params


def _read_param(reader: RuleFileReader, name: str, spec: Any, line: int, ruleset: str) -> Param:
    if keyword.iskeyword(name):
        raise reader.fail(
            f"parameter name {name!r} is a word of the condition language (and, or, not, in, "
            "if, True, None...), which no condition can read as a name: rename it",
            line,
        )
    if not PARAM_NAME.fullmatch(name):
        raise reader.fail(
            f"parameter name {name!r} must be ASCII letters, digits and _, not starting "
            "with a digit (like late_grace_minutes)",
            line,
        )
    spec = reader.mapping(spec, f"parameter {name!r}", line)
    reader.keys(spec, _PARAM_KEYS, ("type", "default", "doc"), f"parameter {name!r}")
    kind = spec["type"]
    if kind not in PARAM_TYPES:
        raise reader.fail(
            f"parameter {name!r}: type {kind!r}{suggest(str(kind), PARAM_TYPES)}",
            spec.line_of("type"),
        )
    for key in ("default", "min", "max"):
        misread = base_60(spec.plain(key), spec.get(key))
        if misread is not None:
            raise reader.fail(f"parameter {name!r}: {key}: {misread}", spec.line_of(key))
    bounds: dict[str, float | None] = {}
    for key in ("min", "max"):
        bound = spec.get(key)
        if bound is not None and (kind not in ("int", "float") or not fits("float", bound)):
            raise reader.fail(
                f"parameter {name!r}: {key} needs a numeric parameter and a number"
                f"{text_number_hint(bound) if kind in ('int', 'float') else ''}",
                spec.line_of(key),
            )
        if bound is not None and not finite(bound):
            raise reader.fail(
                f"parameter {name!r}: {key} must be a finite number", spec.line_of(key)
            )
        # values drawn from the range for a property (policy_overrides) must all be valid
        if kind == "int" and bound is not None and not _whole_int64(bound):
            raise reader.fail(
                f"parameter {name!r}: {key} of an int parameter must be a whole number that "
                f"fits in 64 bits, found {bound!r}",
                spec.line_of(key),
            )
        bounds[key] = bound
    low, high = bounds["min"], bounds["max"]
    if low is not None and high is not None and low > high:
        raise reader.fail(f"parameter {name!r}: min {low} is above max {high}", spec.line_of("max"))
    at_most = spec.get("at_most")
    if at_most is not None and (kind not in ("int", "float") or not isinstance(at_most, str)):
        raise reader.fail(
            f"parameter {name!r}: at_most needs a numeric parameter and the name of another",
            spec.line_of("at_most"),
        )
    form = spec.get("form")
    if form is not None and form not in PARAM_FORMS:
        raise reader.fail(
            f"parameter {name!r}: form {form!r}{suggest(str(form), PARAM_FORMS)}",
            spec.line_of("form"),
        )
    if form is not None and kind not in ("str", "str_list"):
        raise reader.fail(
            f"parameter {name!r}: form: {form} is for str and str_list parameters",
            spec.line_of("form"),
        )
    places = spec.get("places")
    if places is not None and (
        kind != "float"
        or not isinstance(places, int)
        or isinstance(places, bool)
        or not 0 <= places <= 12
    ):
        raise reader.fail(
            f"parameter {name!r}: places is for a float parameter, a whole number from 0 to 12 "
            f"(the decimal places its rules keep of what they compare it with), found {places!r}",
            spec.line_of("places"),
        )
    for key in ("min", "max"):
        bound = bounds[key]
        if places is not None and bound is not None and decimal_places(bound) > places:
            raise reader.fail(
                f"parameter {name!r}: {key} {bound} has more decimal places than places: "
                f"{places} allows",
                spec.line_of(key),
            )
    param = Param(
        name,
        kind,
        spec["default"],
        bounds["min"],
        bounds["max"],
        reader.text(spec, "doc", f"parameter {name!r}"),
        ruleset,
        at_most,
        form,
        places,
    )
    try:
        param.check(spec["default"])
    except ValueError as exc:
        raise reader.fail(f"default: {exc}", spec.line_of("default")) from None
    return param


def _whole_int64(bound: float) -> bool:
    return isinstance(bound, int) and INT_MIN <= bound <= INT_MAX


def _refuse_cycles(reader: RuleFileReader, params: dict[str, Param], declared: LocatedDict) -> None:
    """Parameters each at most the next, back to the first, could never differ: an error at
    the at_most of the first of them declared.  A rule set's parameters are bounded by its
    own or by those of rule sets loaded before it, so a round is within one rule file."""
    for key in params:
        chain = [key]
        while (bound := params[chain[-1]].at_most) in params and bound not in chain:
            chain.append(bound)
        if bound == key:
            raise reader.fail(
                f"parameter {key!r}: at_most goes round in a cycle "
                f"({', '.join([*chain, key])}): each would be at most itself",
                declared[key].line_of("at_most"),
            )


@dataclass(frozen=True)
class Implied:
    """The decimal places that a rule file's ``float`` parameters without ``places:``
    (``open``) take from the facts its conditions compare them with: by name, the fewest,
    and the part of a condition kept to so few (``exprplaces.Places``)."""

    open: frozenset[str]
    found: dict[str, tuple[int, str]] = field(default_factory=dict)


def implied_places(
    reader: RuleFileReader, data: LocatedDict, params: dict[str, Param], implied: Implied
) -> dict[str, Param]:
    """``params`` with the places ``implied`` found: a parameter compared with satisfaction
    (kept to 2 decimal places) may have no more, as if declared with ``places: 2``; a
    ``default``, ``min`` or ``max`` with more is an error at its line."""
    declared = data.get("params")
    placed = dict(params)
    for name, (places, what) in implied.found.items():
        spec = declared[name] if isinstance(declared, LocatedDict) else LocatedDict()
        for key in ("default", "min", "max"):
            value = spec.get(key)
            if value is not None and (count := decimal_places(value)) > places:
                kept = "a whole number" if places == 0 else f"kept to {places} decimal places"
                raise reader.fail(
                    f"parameter {name!r}: {key} {value!r} has {count} decimal place"
                    f"{'' if count == 1 else 's'}, but {what}, which a rule compares it with, "
                    f"is {kept}: give at most {places}",
                    spec.line_of(key),
                )
        placed[name] = dataclasses.replace(params[name], places=places)
    return placed
