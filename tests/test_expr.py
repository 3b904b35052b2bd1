"""Tests for sales_policy.expr: the rule condition language."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sales_policy.errors import ConditionError
from sales_policy.expr import FUNCTIONS, Condition, ValueType, compile_condition

COLUMNS: dict[str, ValueType] = {
    "scheduled": "bool",
    "minutes_late": "int",
    "rate": "float",
    "dest": "str",
    "kind": "str",
    "day": "date",
    "at": "datetime",
    "tags": "str_list",
}
PARAMS: dict[str, tuple[ValueType, object]] = {
    "late_grace_minutes": ("int", 5),
    "serious_late_minutes": ("int", 30),
    "factor": ("float", 2.0),
    "vip": ("bool", True),
    "cutoff": ("date", dt.date(2024, 1, 3)),
    "start": ("datetime", dt.datetime(2024, 1, 2)),
    "competitor_domains": ("str_list", ["Rival.com", "evil.org"]),
    "label": ("str", "public"),
}
ROWS: list[dict[str, Any]] = [
    {
        "scheduled": True,
        "minutes_late": 10,
        "rate": 1.5,
        "dest": "bob@sub.rival.com",
        "kind": "customer",
        "day": dt.date(2024, 1, 1),
        "at": dt.datetime(2024, 1, 1, 9),
        "tags": ["a"],
    },
    {
        "scheduled": True,
        "minutes_late": 40,
        "rate": None,
        "dest": "https://evil.org:8080/x",
        "kind": "trade_secret",
        "day": dt.date(2024, 1, 2),
        "at": dt.datetime(2024, 1, 2, 10, 30),
        "tags": None,
    },
    {
        "scheduled": False,
        "minutes_late": 10,
        "rate": 0.0,
        "dest": "HTTP://notrival.com/a",
        "kind": "public",
        "day": dt.date(2024, 1, 3),
        "at": None,
        "tags": [],
    },
    {
        "scheduled": None,
        "minutes_late": 3,
        "rate": 2.0,
        "dest": "x@EVIL.ORG",
        "kind": None,
        "day": dt.date(2024, 1, 4),
        "at": dt.datetime(2024, 1, 4, 8),
        "tags": ["b"],
    },
    {
        "scheduled": True,
        "minutes_late": None,
        "rate": -2.5,
        "dest": None,
        "kind": "customer",
        "day": None,
        "at": dt.datetime(2024, 1, 5, 12),
        "tags": None,
    },
]
SCHEMA = {
    "scheduled": pl.Boolean,
    "minutes_late": pl.Int64,
    "rate": pl.Float64,
    "dest": pl.String,
    "kind": pl.String,
    "day": pl.Date,
    "at": pl.Datetime("us"),
    "tags": pl.List(pl.String),
}


def compile_(
    text: str,
    columns: dict[str, ValueType] | None = None,
    params: dict[str, tuple[ValueType, object]] | None = None,
) -> Condition:
    return compile_condition(
        text, COLUMNS if columns is None else columns, PARAMS if params is None else params
    )


def matching_rows(text: str) -> list[int]:
    """Indices of ROWS the condition matches; polars and evaluate() must agree."""
    cond = compile_(text)
    frame = pl.DataFrame(ROWS, schema=SCHEMA).with_row_index("i")
    in_polars = frame.filter(cond.expr)["i"].to_list()
    in_python = [i for i, row in enumerate(ROWS) if cond.evaluate(row)]
    assert in_polars == in_python
    return in_python


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "scheduled and minutes_late > late_grace_minutes"
            " and minutes_late <= serious_late_minutes",
            [0],
        ),
        ("not scheduled", [2]),
        ("scheduled or minutes_late < 5", [0, 1, 3, 4]),
        ("not (minutes_late > 5)", [3]),
        ("True", [0, 1, 2, 3, 4]),
        ("False", []),
        ("scheduled == vip", [0, 1, 4]),
        ("1 < minutes_late <= 10", [0, 2, 3]),
        ("minutes_late / rate > 5", [0]),
        ("is_null(minutes_late / rate)", [1, 2, 4]),  # rate 0.0 divides by zero
        ("minutes_late // 3 == 3", [0, 2]),
        ("minutes_late % 4 == 2", [0, 2]),
        ("-minutes_late % 4 == 2", [0, 2]),  # floored like Python: -10 % 4 == 2
        ("minutes_late * factor + 1 > 20.5", [0, 1, 2]),
        ("abs(rate) > 2", [4]),
        ("min(minutes_late, 20) == 10", [0, 2]),
        ("max(minutes_late, rate, 4) >= 10", [0, 2]),  # a null argument makes max null
        ("coalesce(rate, factor) == 2", [1, 3]),
        ("is_set(kind) and is_null(at)", [2]),
        ("is_null(tags)", [1, 4]),
        ('lower(dest) == "x@evil.org"', [3]),
        ('domain(dest) == "notrival.com"', [2]),
        ('domain(dest) == "evil.org"', [1, 3]),
        ("domain_matches(dest, competitor_domains)", [0, 1, 3]),
        ('domain_matches(dest, ["RIVAL.com"])', [0]),
        ("domain_matches(dest, [])", []),
        (
            'kind in ["customer", "trade_secret"] and (kind == "competitor" '
            "or domain_matches(dest, competitor_domains))",
            [0, 1],
        ),
        ('kind not in ["customer"]', [1, 2]),
        ("kind == label", [2]),
        ("kind in []", []),
        ("kind not in []", [0, 1, 2, 4]),
        ("minutes_late in [3, 40.0]", [1, 3]),
        ("rate in (-2.5, 0)", [2, 4]),
        ("day >= cutoff", [2, 3]),
        ("at > start", [1, 3, 4]),
        ("(scheduled and\n  minutes_late > 5)", [0, 1]),
        ("  scheduled", [0, 1, 4]),
    ],
)
def test_conditions_match_the_expected_rows(text: str, expected: list[int]) -> None:
    assert matching_rows(text) == expected


def test_reports_what_it_reads() -> None:
    cond = compile_("scheduled and minutes_late > late_grace_minutes and kind in ['a']")
    assert cond.columns == {"scheduled", "minutes_late", "kind"}
    assert cond.params == {"late_grace_minutes"}
    assert cond.text.startswith("scheduled")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("scheduled or True", True),
        ("scheduled and False", False),
        ("scheduled and True", None),
        ("scheduled or False", None),
        ("not scheduled", None),
        ("scheduled == True", None),
        ("kind in ['a']", None),
        ("kind not in []", None),
        ("minutes_late + 1 > 0", None),
        ("min(minutes_late, 1) == 1", None),
        ("coalesce(kind, 'x') == 'x'", True),
        ("lower(kind) == 'a'", None),
        ("domain(dest) == ''", None),
        ("domain_matches(dest, [])", None),
        ("is_set(tags)", False),
    ],
)
def test_null_semantics(text: str, expected: bool | None) -> None:
    row = dict.fromkeys(COLUMNS)
    frame = pl.DataFrame([row, row], schema=SCHEMA)
    # is_null() sees the null that a top-level result hides as False
    for wrapped, want in ((text, expected is True), (f"is_null({text})", expected is None)):
        cond = compile_(wrapped)
        assert frame.filter(cond.expr).height == 2 * want
        assert cond.evaluate(row) is want


def test_a_missing_column_in_a_row_is_an_error() -> None:
    with pytest.raises(KeyError):
        compile_("scheduled").evaluate({})


def test_int_arithmetic_wraps_like_polars() -> None:
    cond = compile_("n + 1 < 0 and n * 2 == -2", {"n": "int"}, {})
    assert cond.evaluate({"n": 2**63 - 1})
    assert pl.DataFrame({"n": [2**63 - 1]}).filter(cond.expr).height == 1


def test_the_64_bit_minimum_is_a_literal() -> None:
    """-9223372036854775808 is the smallest 64-bit int, written as Python writes it: the
    minus sign and the digits are one literal, not the negation of a number beyond 64 bits;
    one less, or its digits alone, do not fit."""
    cond = compile_("n == -9223372036854775808 and n < -9223372036854775807", {"n": "int"}, {})
    assert cond.evaluate({"n": -(2**63)})
    assert pl.DataFrame({"n": [-(2**63), 0]}).filter(cond.expr)["n"].to_list() == [-(2**63)]
    assert compile_("n in [-9223372036854775808]", {"n": "int"}, {}).evaluate({"n": -(2**63)})
    for text, offset in (("n == -9223372036854775809", 6), ("n == 9223372036854775808", 5)):
        err = error_of(text, {"n": "int"}, {})
        assert err.message == "a number must be finite and an integer must fit in 64 bits"
        assert err.offset == offset


def test_nan_counts_as_null() -> None:
    cond = compile_("is_null(x) and is_null(x - x)", {"x": "float"}, {})
    assert cond.evaluate({"x": float("nan")})
    assert pl.DataFrame({"x": [float("nan")]}).filter(cond.expr).height == 1
    inf = compile_("is_null(x - x)", {"x": "float"}, {})
    assert inf.evaluate({"x": float("inf")})
    assert pl.DataFrame({"x": [float("inf")]}).filter(inf.expr).height == 1


def test_functions_are_documented() -> None:
    assert set(FUNCTIONS) == {
        "abs",
        "min",
        "max",
        "coalesce",
        "is_null",
        "is_set",
        "lower",
        "domain",
        "domain_matches",
    }
    assert FUNCTIONS["min"].min_args == 2
    assert FUNCTIONS["min"].max_args is None
    assert FUNCTIONS["domain_matches"].signature.startswith("domain_matches(")


def error_of(
    text: str,
    columns: dict[str, ValueType] | None = None,
    params: dict[str, tuple[ValueType, object]] | None = None,
) -> ConditionError:
    with pytest.raises(ConditionError) as info:
        compile_(text, columns, params)
    return info.value


def test_unknown_name_suggests_the_closest() -> None:
    err = error_of("scheduled and minutes_lat > 1")
    assert err.message == "unknown name 'minutes_lat' (did you mean 'minutes_late'?)"
    assert err.offset == 14


def test_ambiguous_name() -> None:
    err = error_of("scheduled or kind == 'a'", params={"kind": ("str", "a")})
    assert "ambiguous" in err.message
    assert err.offset == 13


@pytest.mark.parametrize(
    ("text", "words", "offset"),
    [
        ("__import__('os')", "unknown function '__import__'", 0),
        ("open('f')", "unknown function 'open'", 0),
        ("scheduled and x.y", "attribute access", 14),
        ("kind[0] == 'c'", "subscripts", 0),
        ("lambda: 1", "lambda", 0),
        ("[i for i in x]", "comprehensions", 0),
        ("scheduled or f'{kind}' == 'a'", "f-strings", 13),
        ("(x := 1)", "assignment", 1),
        ("abs(*x) > 1", "unpacking", 4),
        ("abs(x=1) > 1", "keyword arguments", 4),
        ("b'a' == kind", "bytes", 0),
        ("kind == None", "is_null", 8),
        ("kind is None", "'is'", 0),
        ("scheduled & scheduled", "'&'", 0),
        ("~scheduled", "'~'", 0),
        ("2 ** 3 > 1", "'**'", 0),
        ("scheduled.__class__", "attribute access", 0),
        ("{'a': 1}", "dicts", 0),
        ("1 if scheduled else 2", "'a if c else b'", 0),
        ("abs > 1", "is a function", 0),
        ("true", "True or False", 0),
        ("[1, 2] == [1, 2]", "a list is only allowed", 0),
    ],
)
def test_forbidden_constructs(text: str, words: str, offset: int) -> None:
    err = error_of(text)
    assert words in err.message
    assert err.offset == offset


@pytest.mark.parametrize(
    ("text", "hint"),
    [("scheduled & scheduled", True), ("scheduled | scheduled", True), ("2 ** 3 > 1", False)],
)
def test_and_or_is_the_hint_only_for_the_operators_of_logic(text: str, hint: bool) -> None:
    """'&' and '|' are a logic operator written as in other languages; '**' is a power, for
    which 'use and/or for logic' is no help."""
    assert ("use and/or for logic" in error_of(text).message) == hint


@pytest.mark.parametrize(
    ("text", "words", "offset"),
    [
        ("minutes_late > 'abc'", "'>' compares int with str (minutes_late > 'abc')", 0),
        ("scheduled and minutes_late", "'and' needs true/false", 14),
        ("kind < 'b'", "ordering works on numbers, dates and datetimes", 0),
        ("rate // 2 > 0", "'//' needs whole numbers", 0),
        ("minutes_late + kind > 0", "'+' needs numbers", 15),
        ("lower(minutes_late) == 'a'", "lower() needs text", 6),
        ("day == at", "compares date with datetime", 0),
        ("kind in [1, 2]", "'in' compares str with a list of int", 0),
        ("minutes_late in ['a']", "'in' compares int with a list of str", 0),
        ("kind in [1, 'a']", "mixes int and str", 8),
        ("kind in kind", "must be a list", 8),
        ("kind in late_grace_minutes", "must be a list", 8),
        ("not kind", "'not' needs true/false", 4),
        ("coalesce(kind, 1) == 'a'", "one type", 0),
        ("min(1) > 0", "it got 1 argument", 0),
        ("domain_matches(dest, [1])", "list of strings", 21),
        # '==' is no ordering: a list is tested for presence, or its count compared
        (
            "tags == tags",
            "lists cannot be compared: test one with is_null(x) or is_set(x), or compare the "
            "count its table keeps beside it, where there is one",
            0,
        ),
        ("minutes_late + 1", "a condition must be true or false; this one is a number", 0),
        ("lower(kind)", "this one is text", 0),
        ("99999999999999999999 > 1", "64 bits", 0),
    ],
)
def test_type_errors(text: str, words: str, offset: int) -> None:
    err = error_of(text)
    assert words in err.message
    assert err.offset == offset


def test_offsets_count_characters_across_lines() -> None:
    assert error_of('"é" == kind and foo > 1').offset == 16
    assert error_of("(scheduled and\n  foo)").offset == 17
    assert error_of("(scheduled and\r\n  foo)").offset == 18
    assert error_of("   foo").offset == 3


def test_syntax_errors() -> None:
    err = error_of("minutes_late > > 1")
    assert err.message.startswith("not a valid condition")
    assert err.offset == 15
    assert error_of("scheduled and").offset == 13
    err = error_of("scheduled and\nminutes_late > 1")
    assert "in parentheses" in err.message
    assert error_of("kind == 'a\0'").offset == 10


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("minutes_late = 5", "write '==', not '='"),
        ("scheduled && minutes_late > 5", "write 'and', not '&&'"),
        ("scheduled || scheduled", "write 'or', not '||'"),
        ("!scheduled", "write 'not', not '!'"),
        ("minutes_late <> 5", "write '!=', not '<>'"),
    ],
)
def test_an_operator_of_another_language_is_named_with_ours(text: str, hint: str) -> None:
    err = error_of(text)
    assert err.message == f"not a valid condition: invalid syntax; {hint}"
    assert "write" not in error_of("minutes_late > > 1").message
    assert "write" not in error_of("minutes_late >= 1 and scheduled ==").message


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ('kind == "admin\u202e \u2066" or scheduled', 14),  # turns what follows around
        ("scheduled # \u2067 and minutes_late > 60", 12),
        ('kind == "appro\u200bved"', 14),  # looks like "approved", never equals it
        ('kind == "a\x1b[2Jb"', 10),
        ("sched\u200buled", 5),
        ('kind == "a\U0001d173b"', 10),  # a musical format control, drawn as nothing
    ],
)
def test_invisible_and_direction_characters_are_refused(text: str, offset: int) -> None:
    """Inside a string or a comment Python takes them, and they would make a condition read
    otherwise than it runs ("Trojan Source"): refused wherever they are, at their place."""
    err = error_of(text)
    assert err.message.startswith(f"a condition cannot contain U+{ord(text[offset]):04X}")
    assert err.offset == offset


def test_text_of_any_script_is_allowed_in_a_condition() -> None:
    assert compile_('kind == "病假" or dest == "\u0645\u0631\u062d\u0628\u0627"').params == set()
    # a format character, but one that is drawn: the Arabic number sign before digits
    assert compile_('kind == "\u0600\u0661\u0662"').params == set()


def test_limits() -> None:
    err = error_of("a" * 2001)
    assert "2000 characters" in err.message
    assert err.offset == 2000
    err = error_of(" and ".join(["a"] * 150), {"a": "bool"}, {})
    assert "at most 300" in err.message


def test_parameter_values_are_checked() -> None:
    err = error_of("minutes_late > g", params={"g": ("int", "5")})
    assert "declared int" in err.message
    assert err.offset == 15
    err = error_of("d > x", {"d": "date"}, {"x": ("date", dt.datetime(2024, 1, 1))})
    assert err.offset == 4


def test_offset_of_a_forbidden_node_inside_a_call() -> None:
    assert error_of("abs(x.y) > 1").offset == 4


# Property: the polars expression and evaluate() agree on every row.

PROPERTY_COLUMNS: dict[str, ValueType] = {
    "b": "bool",
    "i": "int",
    "j": "int",
    "f": "float",
    "s": "str",
}
PROPERTY_SCHEMA = {"b": pl.Boolean, "i": pl.Int64, "j": pl.Int64, "f": pl.Float64, "s": pl.String}
INT_LITERALS = ["0", "1", "2", "-3", "7"]
FLOAT_LITERALS = ["0.0", "0.5", "-1.5", "2.0"]
STR_LITERALS = ['"a"', '"rival.com"', '"x@Rival.com"', '""']


def _call(name: str, *parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(*parts).map(lambda args: f"{name}({', '.join(args)})")


def _binary(
    template: str, left: st.SearchStrategy[str], right: st.SearchStrategy[str]
) -> st.SearchStrategy[str]:
    return st.tuples(left, right).map(lambda lr: template.format(*lr))


@functools.cache
def expressions(kind: str, depth: int) -> st.SearchStrategy[str]:
    """Condition texts of one type (bool, int, float, str, number) from a small grammar."""
    leaves = {
        "bool": st.sampled_from(["b", "True", "False"]),
        "int": st.sampled_from(["i", "j", *INT_LITERALS]),
        "float": st.sampled_from(["f", *FLOAT_LITERALS]),
        "str": st.sampled_from(["s", *STR_LITERALS]),
    }
    if kind == "number":
        return st.one_of(expressions("int", depth), expressions("float", depth))
    if depth == 0:
        return leaves[kind]
    sub = functools.partial(expressions, depth=depth - 1)
    num, ints = sub("number"), sub("int")
    options: list[st.SearchStrategy[str]] = [leaves[kind]]
    if kind == "bool":
        options += [
            _binary("({} and {})", sub("bool"), sub("bool")),
            _binary("({} or {})", sub("bool"), sub("bool")),
            sub("bool").map(lambda x: f"(not {x})"),
            st.tuples(num, st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), num)
            .map(" ".join)
            .map(lambda x: f"({x})"),
            st.tuples(num, num, num).map(lambda t: f"({t[0]} < {t[1]} <= {t[2]})"),
            _binary("({} == {})", sub("str"), sub("str")),
            _binary("({} != {})", sub("bool"), sub("bool")),
            sub("str").map(lambda x: f'({x} in ["a", "rival.com", ""])'),
            num.map(lambda x: f"({x} not in [1, 2.5, -3])"),
            ints.map(lambda x: f"({x} in [])"),
            st.one_of(sub("bool"), num, sub("str")).map(lambda x: f"is_null({x})"),
            st.sampled_from(["b", "i", "f", "s"]).flatmap(
                lambda c: st.sampled_from([f"is_null({c})", f"is_set({c})"])
            ),
            sub("str").map(lambda x: f'domain_matches({x}, ["rival.com", "B.org"])'),
        ]
    elif kind in ("int", "float"):
        mixed = sub("float") if kind == "float" else ints
        ops = ["+", "-", "*"] + (["//", "%"] if kind == "int" else [])
        options += [
            st.tuples(sub(kind), st.sampled_from(ops), mixed).map(lambda t: f"({' '.join(t)})"),
            sub(kind).map(lambda x: f"(-{x})"),
            _call("abs", sub(kind)),
            _call("min", sub(kind), mixed),
            _call("max", mixed, sub(kind)),
            _call("coalesce", sub(kind), mixed),
        ]
        if kind == "float":
            options.append(_binary("({} / {})", num, num))
    else:
        options += [
            _call("lower", sub("str")),
            _call("domain", sub("str")),
            _call("coalesce", sub("str"), sub("str")),
        ]
    return st.one_of(options)


row_values = st.fixed_dictionaries(
    {
        "b": st.none() | st.booleans(),
        "i": st.none() | st.integers(-20, 20) | st.sampled_from([2**63 - 1, -(2**63), 2**40]),
        "j": st.none() | st.integers(-5, 5),
        "f": st.none()
        | st.floats(-1e3, 1e3)
        | st.sampled_from([0.0, -0.0, float("nan"), float("inf"), 1e308]),
        "s": st.none()
        | st.sampled_from(
            [
                "a",
                "x@Rival.com",
                "https://sub.rival.com:80/p",
                "B.ORG",
                "ftp://b.org?q",
                "notrival.com",
                "a@b@rival.com",
                "",
            ]
        ),
    }
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions("bool", 3), st.lists(row_values, min_size=1, max_size=6))
def test_polars_and_evaluate_agree(text: str, rows: list[dict[str, Any]]) -> None:
    cond = compile_condition(text, PROPERTY_COLUMNS, {})
    frame = pl.DataFrame(rows, schema=PROPERTY_SCHEMA)
    in_polars = frame.with_columns(cond.expr.alias("_r"))["_r"].to_list()
    in_python = [cond.evaluate(row) for row in rows]
    assert in_polars == in_python, text


@pytest.mark.parametrize(
    ("text", "offset", "read"),
    [
        # Python reads identifiers in NFKC: these would run as minutes_late and abs
        ("scheduled and \uff4dinutes_late > 1", 14, "minutes_late"),  # a full-width m
        ("\U0001d426inutes_late > 1", 0, "minutes_late"),  # a mathematical bold m
        ("scheduled and a\u0431s(minutes_late) > 1", 14, None),  # a Cyrillic b: as written
        ("\ufb01nutes_late > 1", 0, "finutes_late"),  # a ligature, read as two letters
    ],
)
def test_a_name_in_a_condition_is_ascii(text: str, offset: int, read: str | None) -> None:
    """Names of columns, parameters and functions are ASCII; Python would read a name in
    other letters as the ASCII one it folds to (NFKC), so that the condition would run
    otherwise than it reads.  Text in strings may hold any script."""
    err = error_of(text)
    written = text[offset:].split()[0].split("(")[0]
    assert err.offset == offset
    first = next(ch for ch in written if not ch.isascii())
    said = f", which Python reads as {read!r}" if read else ""
    assert err.message == (
        f"the name {written!r} is not ASCII (U+{ord(first):04X}{said}): names in a condition "
        "are ASCII, as columns, parameters and functions are; text in quotes may hold any"
    )
