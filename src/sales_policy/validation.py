"""One raw text frame validated column-wise: typed accepted rows, and rejected ones.

Each row gets the first field that is wrong and why (``validate_frame``), and ends in exactly
one place; only the rows that fail get their reasons written.  Timestamps are read by
``sales_policy.timestamps``.  Rows of typed tables found wrong later (a duplicate id, a local
time that does not exist) are rejected the same way, by their reference (``rejects_where``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl

from .rawframes import LINE, REJECT_SCHEMA, RawFrame
from .recordfields import FieldSpec, fields_of
from .timestamps import (
    OFFSET,
    read_by_position,
    read_the_rest,
    unread,
    value_column,
)
from .timetext import (
    AMOUNT,
    DATE,
    FALSE_TEXTS,
    FIRST_DATETIME,
    LAST_DATETIME,
    NOT_A_DATE,
    NOT_A_DATETIME,
    NOT_A_FLAG,
    NOT_AN_AMOUNT,
    NOT_AN_ID,
    NOT_WHOLE,
    OUT_OF_RANGE,
    SHEET_ERRORS,
    TRUE_TEXTS,
)
from .zones import is_known_timezone

REF = "_ref"
#: in a frame joined from several sources (files of one record type), each row's source:
#: its position in the check's list of sources
SOURCE = "_source"


def make_ref(source_index: int | pl.Expr, line: pl.Expr) -> pl.Expr:
    """Pack a source index (a number, or a column of them) and a line into one integer
    reference."""
    index = pl.lit(source_index) if isinstance(source_index, int) else source_index
    return (index.cast(pl.Int64) * (1 << 32) + line).alias(REF)


def ref_source(ref: pl.Expr, sources: list[str]) -> pl.Expr:
    """The source (file) of references ``make_ref`` packed, named as in ``sources``."""
    return (ref // (1 << 32)).replace_strict(
        list(range(len(sources))), sources, return_dtype=pl.String
    )


def ref_line(ref: pl.Expr) -> pl.Expr:
    """The line (row) of references ``make_ref`` packed."""
    return ref % (1 << 32)


def ref_text(ref: pl.Expr, sources: list[str]) -> pl.Expr:
    """``file:line`` of references ``make_ref`` packed (``ref_text_of`` for one)."""
    return pl.concat_str(ref_source(ref, sources), pl.lit(":"), ref_line(ref).cast(pl.String))


def ref_text_of(ref: int, sources: list[str]) -> str:
    """``file:line`` of one reference ``make_ref`` packed."""
    return f"{sources[ref >> 32]}:{ref & 0xFFFFFFFF}"


def _parse(spec: FieldSpec) -> list[pl.Expr]:
    """The parsed value of one field (null where the text does not parse), plus extras."""
    raw = pl.col(spec.name)
    if spec.kind == "datetime":
        return []  # parsed beforehand, by ``parse_datetimes``
    if spec.kind == "date":  # ISO 8601, or year first as a spreadsheet saves it (2026/3/1)
        value: pl.Expr = pl.when(raw.str.contains(DATE)).then(
            pl.coalesce(
                raw.str.to_date("%Y-%m-%d", strict=False),
                raw.str.to_date("%Y/%m/%d", strict=False),
            )
        )
    elif spec.kind == "bool":
        lowered = raw.str.to_lowercase()
        value = (
            pl.when(lowered.is_in(TRUE_TEXTS))
            .then(True)
            .when(lowered.is_in(FALSE_TEXTS))
            .then(False)
        )
    elif spec.kind == "int":
        value = raw.str.to_integer(strict=False)
    elif spec.kind == "float":
        number = raw.cast(pl.Float64, strict=False)
        value = pl.when(number.is_finite()).then(number)  # nan and inf are not measures
    elif spec.kind == "decimal":
        value = pl.when(raw.str.contains(AMOUNT)).then(raw).cast(pl.Decimal(38, 4), strict=False)
    else:
        value = raw
    return [value.alias(value_column(spec.name))]


#: up to how many choices an enumerated field's text is compared with each
_FEW_CHOICES = 8

_FORMS = {
    "currency": " is not a currency code (three capital letters, e.g. CNY)",
    "period": " is not a month (YYYY-MM, e.g. 2026-11)",
}
_NOT_A = {
    # a reason names every form that is read (``timetext.ISO``, ``timetext.DATE``)
    "datetime": NOT_A_DATETIME,
    "date": NOT_A_DATE,
    "bool": NOT_A_FLAG,
    "int": NOT_WHOLE,
    "float": " is not a number (a finite decimal, e.g. 4.5)",
    "decimal": NOT_AN_AMOUNT,
}


def _bad(spec: FieldSpec) -> pl.Expr:
    """Whether one field's present text is not acceptable; reads the parsed value column."""
    raw = pl.col(spec.name)
    unparsed = pl.col(value_column(spec.name)).is_null()
    if spec.kind == "enum":
        # A few choices are compared one by one: cheaper than looking them up in a set.
        if len(spec.choices) <= _FEW_CHOICES:
            return ~pl.any_horizontal(raw == choice for choice in spec.choices)
        return ~raw.is_in(list(spec.choices))
    if spec.kind == "timezone":
        return unparsed  # the names the tz database does not know, by ``_look_up_zones``
    if spec.kind == "str" and spec.pattern:
        return ~raw.str.contains(spec.pattern)
    if spec.kind == "str" and _is_id(spec):
        return (raw.str.len_chars() > _length_limit(spec)) | raw.is_in(SHEET_ERRORS)
    if spec.kind == "str":
        return raw.str.len_chars() > _length_limit(spec)
    if spec.minimum is not None:
        value = pl.col(value_column(spec.name))
        too_low = value <= spec.minimum if spec.exclusive_minimum else value < spec.minimum
        return unparsed | too_low
    if spec.kind == "datetime":
        value = pl.col(value_column(spec.name))
        return unparsed | (value < FIRST_DATETIME) | (value > LAST_DATETIME)
    return unparsed


def _why(spec: FieldSpec) -> pl.Expr:
    """Why one field's present text is not acceptable (where ``_bad`` says it is not)."""
    shown = pl.lit("'") + pl.col(spec.name) + pl.lit("'")
    if spec.kind == "enum":
        return shown + f" is not one of: {', '.join(spec.choices)}"
    if spec.kind == "timezone":
        return pl.lit("unknown timezone ") + shown + " (expected an IANA name like Asia/Shanghai)"
    if spec.kind == "str" and spec.pattern:
        return shown + _FORMS.get(spec.name, f" does not have the form {spec.pattern}")
    if spec.kind == "str" and _is_id(spec):
        return (
            pl.when(pl.col(spec.name).is_in(SHEET_ERRORS))
            .then(shown + NOT_AN_ID)
            .otherwise(pl.lit(f"longer than {_length_limit(spec)} characters"))
        )
    if spec.kind == "str":
        return pl.lit(f"longer than {_length_limit(spec)} characters")
    if spec.minimum is not None:
        floor = (
            f" must be above {spec.minimum:g}"
            if spec.exclusive_minimum
            else f" is below {spec.minimum:g}"
        )
        unparsed = pl.col(value_column(spec.name)).is_null()
        return pl.when(unparsed).then(shown + _NOT_A[spec.kind]).otherwise(shown + floor)
    if spec.kind == "datetime":
        unparsed = pl.col(value_column(spec.name)).is_null()
        return pl.when(unparsed).then(shown + NOT_A_DATETIME).otherwise(shown + OUT_OF_RANGE)
    return shown + _NOT_A[spec.kind]


def _is_id(spec: FieldSpec) -> bool:
    """Whether a field is an id (``recordbase.Identifier``): by name, ``employee_id``..."""
    return spec.name.endswith("_id")


def _length_limit(spec: FieldSpec) -> int:
    return 200 if _is_id(spec) else 10_000


def _problem(spec: FieldSpec) -> pl.Expr:
    """Why one field's text is not acceptable, or null; reads the parsed value column."""
    missing = pl.lit("missing value") if spec.required else pl.lit(None, pl.String)
    return (
        pl.when(pl.col(spec.name).is_null())
        .then(missing)
        .when(_bad(spec))
        .then(_why(spec))
        .alias(f"_problem_{spec.name}")
    )


def _faulty(spec: FieldSpec) -> pl.Expr:
    """Whether ``_problem`` finds a problem: the test without the text, which costs several
    times more (a string built for every row), and is built only for the rows that have one."""
    return (
        pl.when(pl.col(spec.name).is_null())
        .then(spec.required)
        .otherwise(_bad(spec))
        .fill_null(False)
    )


def _cleaned(spec: FieldSpec, raw: RawFrame) -> pl.Expr:
    """A field's text as validated: surrounding blanks are never meaningful (``stripped``
    frames have none), an empty cell is an absent value, and an absent value its default."""
    if spec.name not in raw.frame.columns:
        text = pl.lit(None, pl.String).alias(spec.name)
    elif raw.stripped:
        text = pl.when(pl.col(spec.name).str.len_bytes() > 0).then(pl.col(spec.name))
    else:
        text = pl.col(spec.name).str.strip_chars().replace("", None)
    return text if spec.default is None else text.fill_null(pl.lit(spec.default, pl.String))


def _reasons(specs: Sequence[FieldSpec]) -> list[pl.Expr]:
    """Each row's first problem (``_reason``), its field and its raw value, from the
    ``_problem`` columns."""
    problems = [pl.col(f"_problem_{s.name}") for s in specs]
    return [
        pl.coalesce(problems).alias("_reason"),
        pl.coalesce(
            pl.when(p.is_not_null()).then(pl.lit(s.name))
            for p, s in zip(problems, specs, strict=True)
        ).alias("_field"),
        _first_of(
            [(p.is_not_null(), pl.col(s.name)) for p, s in zip(problems, specs, strict=True)]
        ).alias("_value"),
    ]


def _first_of(cases: Sequence[tuple[pl.Expr, pl.Expr]]) -> pl.Expr:
    """The value of the first case whose condition holds, null where none does, even when
    that value is null: the value of the field found first, a missing one's too (a coalesce
    would go on to the next field's)."""
    chain: Any = pl
    for condition, value in cases:
        chain = chain.when(condition).then(value)
    return chain.otherwise(None) if cases else pl.lit(None, pl.String)


def validate_frame(raw: RawFrame, sources: Sequence[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split one raw frame into typed accepted rows and rejects (first bad field, in order).
    ``sources`` are the check's sources, whose positions the references hold; a frame
    joined from several gives each row's position in its ``SOURCE`` column.

    One plan, run once, cleans the text and parses it (datetimes by position); datetimes
    that position could not read (``unread``: few, if any) are then read by the regex.  Then
    each row is tested, and only the rows that fail get their reasons written.

    The frame is taken in one piece (``build_tables`` hands it so): polars reads a file in
    several, and some columns computed from them come out in one; a frame whose columns are
    cut differently is joined into one piece, every column copied, by each later step, where
    here it is joined once."""
    specs = fields_of(raw.record_type)
    if SOURCE in raw.frame.columns:
        source_index: int | pl.Expr = pl.col(SOURCE)
        source = pl.lit(pl.Series(list(sources), dtype=pl.String)).gather(pl.col(SOURCE))
    else:
        source_index, source = sources.index(raw.source), pl.lit(raw.source)
    datetimes = [s.name for s in specs if s.kind == "datetime"]
    not_read = [unread(name) for name in datetimes]
    parsed = (
        raw.frame.rechunk()
        .lazy()
        .with_columns(_cleaned(s, raw) for s in specs)
        .with_columns(
            *(expr for name in datetimes for expr in read_by_position(name)),
            *(expr for spec in specs for expr in _parse(spec)),
        )
        .with_columns((pl.any_horizontal(not_read) if not_read else pl.lit(False)).alias("_unread"))
        .collect(engine="in-memory")
    )
    if parsed.get_column("_unread").any():
        parsed = read_the_rest(parsed, datetimes)
    zones = [s.name for s in specs if s.kind == "timezone"]
    if zones:
        parsed = parsed.with_columns(_look_up_zones(parsed, name) for name in zones)
    accepted_columns = [
        *(pl.col(value_column(s.name)).alias(s.name) for s in specs),
        *(pl.col(name + OFFSET) for name in datetimes),
        make_ref(source_index, pl.col(LINE)),
    ]
    faulty = parsed.select(pl.any_horizontal(_faulty(s) for s in specs)).to_series()
    if not faulty.any():
        return parsed.select(accepted_columns), reject_frame([])
    rejected = (
        parsed.filter(faulty)
        .with_columns(_problem(spec) for spec in specs)
        .with_columns(_reasons(specs))
        .select(
            source.alias("source"),
            pl.col(LINE).alias("line"),
            pl.lit(raw.record_type).alias("record_type"),
            pl.col("_field").alias("field"),
            pl.col("_value").alias("value"),
            pl.col("_reason").alias("reason"),
        )
    )
    return parsed.filter(~faulty).select(accepted_columns), rejected


def _look_up_zones(parsed: pl.DataFrame, name: str) -> pl.Expr:
    """A timezone field's parsed value: its text where the tz database knows the name, else
    null.  The names are looked up once each; a table holds few (one per office)."""
    names = parsed.get_column(name).drop_nulls().unique()
    known = pl.Series([zone for zone in names if is_known_timezone(zone)], dtype=pl.String)
    return (
        pl.when(pl.col(name).is_in(known.implode()))
        .then(pl.col(value_column(name)))
        .alias(value_column(name))
    )


def reject_frame(rows: Iterable[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=REJECT_SCHEMA)


def rejects_where(
    table: pl.DataFrame,
    mask: pl.Expr | pl.Series,
    record_type: str,
    field: str,
    reason: pl.Expr | str,
    sources: list[str],
    value: pl.Expr | None = None,
) -> pl.DataFrame:
    """Reject rows of a typed table, located by their reference (source and line)."""
    ref = pl.col(REF)
    return table.filter(mask).select(
        ref_source(ref, sources).alias("source"),
        ref_line(ref).alias("line"),
        pl.lit(record_type).alias("record_type"),
        pl.lit(field).alias("field"),
        (value if value is not None else pl.lit(None, pl.String)).cast(pl.String).alias("value"),
        (reason if isinstance(reason, pl.Expr) else pl.lit(reason)).alias("reason"),
    )
