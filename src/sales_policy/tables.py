"""Record tables: one typed, columnar table per record type, and the rows rejected.

Raw text frames (``sales_policy.inputs``) are validated column-wise: each row gets the first
field that is wrong and why, and ends in exactly one place, a table or the rejects.  Then
timestamps are resolved to UTC instants: a timestamp with an offset is that instant; a naive
one is read in the employee's timezone (the employee record's, else the policy's); 12 or 13
digits and nothing else are milliseconds since the Unix epoch, an instant (UTC).

Every table keeps ``_ref``, a reference to the input row (source index and line), so findings
can cite the rows that made them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from .inputs import LINE, REJECT_SCHEMA, RawFrame, read_inputs
from .mapping import ColumnMapping
from .records import FieldSpec, fields_of, known_timezones
from .zones import in_zones

REF = "_ref"
OFFSET = "__offset"
#: ISO 8601 text (groups 1 to 4: date, hours and minutes, seconds, offset), or the digits of
#: milliseconds since the Unix epoch (group 5), as exports of clock systems often hold
_ISO = (
    r"^(?:(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(?:[.,]\d{1,9})?)?\s*"
    r"(Z|z|[+-]\d{2}(?::?\d{2})?)?|([0-9]{12,13}))$"
)
#: The canonical form, read by position: date, ``T`` or a space, time to the second, in range.
#: The rest of the text (nothing, ``Z`` or ``±HH:MM``) is looked up in ``_ZONES``.
_CANONICAL = (
    r"(?-u)^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])[T ]"
    r"(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
)
_ZONES: dict[str, int] = {
    "Z": 0,
    "z": 0,
    **{
        f"{sign}{hours:02d}:{minutes:02d}": factor * (hours * 3600 + minutes * 60)
        for sign, factor in (("+", 1), ("-", -1))
        for hours in range(19)
        for minutes in range(60)
    },
}
_TRUE = ("true", "1", "yes", "y")
_FALSE = ("false", "0", "no", "n")
_ID_FIELDS = ("request_id", "order_id", "contract_id", "record_id")


def make_ref(source_index: int, line: pl.Expr) -> pl.Expr:
    """Pack a source index and a line into one integer reference."""
    return (pl.lit(source_index, pl.Int64) * (1 << 32) + line).alias(REF)


@dataclass
class RecordTables:
    """The accepted rows per record type, the rejected rows, and the counts."""

    tables: dict[str, pl.DataFrame]
    rejects: pl.DataFrame
    sources: list[str]
    read: int
    naive_timestamps: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return sum(t.height for t in self.tables.values())

    def table(self, record_type: str) -> pl.DataFrame:
        """The table of one type; an empty one with the right columns when there was none."""
        if record_type in self.tables:
            return self.tables[record_type]
        return pl.DataFrame(schema=table_schema(record_type))

    def ref_text(self, ref: int) -> str:
        return f"{self.sources[ref >> 32]}:{ref & 0xFFFFFFFF}"


_DTYPES: dict[str, Any] = {
    "str": pl.String,
    "enum": pl.String,
    "timezone": pl.String,
    "date": pl.Date,
    "datetime": pl.Datetime("us", "UTC"),
    "bool": pl.Boolean,
    "int": pl.Int64,
    "float": pl.Float64,
    "decimal": pl.Decimal(38, 4),
}
_DECIMAL = r"^\d+(\.\d{1,4})?$"


def table_schema(record_type: str) -> dict[str, Any]:
    schema = {f.name: _DTYPES[f.kind] for f in fields_of(record_type)}
    schema[REF] = pl.Int64
    return schema


def _groups(name: str) -> str:
    return f"_groups_{name}"


def _parse_datetime(name: str) -> tuple[pl.Expr, pl.Expr]:
    """Naive wall time and offset in seconds (null when the text has none), from the regex
    groups of the field's text, extracted once beforehand (``_groups``); epoch milliseconds
    are that UTC wall time with offset 0.

    This is the general reading of ISO 8601 text; ``_parse_datetimes`` reads the canonical
    form the same way by position, and this only on the rows it could not read so."""
    part = pl.col(_groups(name)).struct.field
    seconds = part("3").fill_null(":00").str.replace(",", ".", literal=True)
    text = part("1") + " " + part("2") + seconds
    naive = text.str.to_datetime("%Y-%m-%d %H:%M:%S%.f", strict=False, time_unit="us")
    zone = part("4")
    digits = zone.str.replace_all(":", "", literal=True)
    hours = digits.str.slice(1, 2).cast(pl.Int32, strict=False)
    minutes = digits.str.slice(3, 2).replace("", None).cast(pl.Int32, strict=False).fill_null(0)
    sign = pl.when(digits.str.starts_with("-")).then(-1).otherwise(1)
    offset = (
        pl.when(zone.str.to_uppercase() == "Z")
        .then(pl.lit(0, pl.Int32))
        .when(zone.is_not_null() & (hours <= 18) & (minutes < 60))
        .then(sign * (hours * 3600 + minutes * 60))
    )
    bad_zone = zone.is_not_null() & offset.is_null()
    millis = part("5").cast(pl.Int64, strict=False)
    epoch = pl.from_epoch(millis, time_unit="ms").cast(pl.Datetime("us"))
    return (
        pl.when(millis.is_not_null()).then(epoch).when(bad_zone).then(None).otherwise(naive),
        pl.when(millis.is_not_null()).then(pl.lit(0, pl.Int32)).otherwise(offset),
    )


def _fast(name: str) -> str:
    return f"_fast_{name}"


def _parse_datetimes(frame: pl.DataFrame, names: Sequence[str]) -> pl.DataFrame:
    """Add the wall time (``_value``) and the offset of each datetime field.

    Canonical text (``_CANONICAL``, then nothing, ``Z`` or ``±HH:MM`` from ``_ZONES``) is read
    by position, several times faster than by the regex; the rest, and only the rest, by the
    regex (``_parse_datetime``).  Both read canonical text the same."""
    if not names:
        return frame
    frame = frame.with_columns(
        expr
        for name in names
        for expr in (
            pl.col(name).str.contains(_CANONICAL).fill_null(False).alias(_fast(name)),
            pl.col(name)
            .str.head(19)
            .str.to_datetime("%Y-%m-%dT%H:%M:%S", strict=False, time_unit="us")
            .alias(_value(name)),
            pl.col(name)
            .str.slice(19)
            .replace_strict(_ZONES, default=None, return_dtype=pl.Int32)
            .alias(name + OFFSET),
        )
    )
    for name in names:
        fast, value, offset = pl.col(_fast(name)), pl.col(_value(name)), pl.col(name + OFFSET)
        # A space instead of the T: by position too, on those rows only.
        spaced = _rows(frame, fast & value.is_null())
        if spaced.len():
            heads = frame.get_column(name).gather(spaced).str.head(19)
            frame = _patch(
                frame,
                spaced,
                heads.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False, time_unit="us")
                .alias(_value(name))
                .to_frame(),
            )
        # Everything else by the regex, on those rows only.
        canonical = (pl.col(name).str.len_bytes() == 19) | offset.is_not_null()
        rest = _rows(frame, pl.col(name).is_not_null() & ~(fast & value.is_not_null() & canonical))
        if rest.len():
            texts = frame.get_column(name).gather(rest).to_frame()
            groups = texts.select(pl.col(name).str.extract_groups(_ISO).alias(_groups(name)))
            naive, zone = _parse_datetime(name)
            frame = _patch(
                frame, rest, groups.select(naive.alias(_value(name)), zone.alias(name + OFFSET))
            )
    return frame.drop(_fast(name) for name in names)


def _rows(frame: pl.DataFrame, condition: pl.Expr) -> pl.Series:
    """The indices of the rows where the condition holds."""
    return frame.select(condition.arg_true()).to_series()


def _patch(frame: pl.DataFrame, rows: pl.Series, values: pl.DataFrame) -> pl.DataFrame:
    """The frame with its columns named in ``values`` replaced at those rows by those values."""
    patched = []
    for column in values.iter_columns():
        series = frame.get_column(column.name).clone()
        series.scatter(rows, column)
        patched.append(series)
    return frame.with_columns(patched)


def _value(name: str) -> str:
    return f"_value_{name}"


def _parse(spec: FieldSpec) -> list[pl.Expr]:
    """The parsed value of one field (null where the text does not parse), plus extras."""
    raw = pl.col(spec.name)
    if spec.kind == "datetime":
        return []  # parsed beforehand, by ``_parse_datetimes``
    if spec.kind == "date":
        value = raw.str.to_date("%Y-%m-%d", strict=False)
    elif spec.kind == "bool":
        lowered = raw.str.to_lowercase()
        value = pl.when(lowered.is_in(_TRUE)).then(True).when(lowered.is_in(_FALSE)).then(False)
    elif spec.kind == "int":
        value = raw.str.to_integer(strict=False)
    elif spec.kind == "float":
        value = raw.cast(pl.Float64, strict=False)
    elif spec.kind == "decimal":
        value = pl.when(raw.str.contains(_DECIMAL)).then(raw).cast(pl.Decimal(38, 4), strict=False)
    else:
        value = raw
    return [value.alias(_value(spec.name))]


_FORMS = {
    "currency": " is not a currency code (three capital letters, e.g. CNY)",
    "period": " is not a month (YYYY-MM, e.g. 2026-11)",
}
_NOT_A = {
    "datetime": " is not a date-time (expected ISO 8601, e.g. 2026-11-03T09:00:00+08:00)",
    "date": " is not a date (expected YYYY-MM-DD)",
    "bool": " is not true or false",
    "int": " is not a whole number",
    "float": " is not a number",
    "decimal": " is not an amount (digits, at most 4 decimal places, e.g. 1280.50)",
}


def _problem(spec: FieldSpec) -> pl.Expr:
    """Why one field's text is not acceptable, or null; reads the parsed value column."""
    raw = pl.col(spec.name)
    shown = pl.lit("'") + raw + pl.lit("'")
    unparsed = pl.col(_value(spec.name)).is_null()
    if spec.kind == "enum":
        problem = shown + f" is not one of: {', '.join(spec.choices)}"
        bad = ~raw.is_in(list(spec.choices))
    elif spec.kind == "timezone":
        problem = (
            pl.lit("unknown timezone ") + shown + " (expected an IANA name like Asia/Shanghai)"
        )
        bad = ~raw.is_in(sorted(known_timezones()))
    elif spec.kind == "str" and spec.pattern:
        problem = shown + _FORMS.get(spec.name, f" does not have the form {spec.pattern}")
        bad = ~raw.str.contains(spec.pattern)
    elif spec.kind == "str":
        limit = 200 if spec.name.endswith("_id") else 10_000
        problem = pl.lit(f"longer than {limit} characters")
        bad = raw.str.len_chars() > limit
    elif spec.minimum is not None:
        value = pl.col(_value(spec.name))
        too_low = value <= spec.minimum if spec.exclusive_minimum else value < spec.minimum
        floor = (
            f" must be above {spec.minimum:g}"
            if spec.exclusive_minimum
            else f" is below {spec.minimum:g}"
        )
        problem = pl.when(unparsed).then(shown + _NOT_A[spec.kind]).otherwise(shown + floor)
        bad = unparsed | too_low
    else:
        bad = unparsed
        problem = shown + _NOT_A[spec.kind]
    missing = pl.lit("missing value") if spec.required else pl.lit(None, pl.String)
    return (
        pl.when(raw.is_null()).then(missing).when(bad).then(problem).alias(f"_problem_{spec.name}")
    )


def _validate(raw: RawFrame, source_index: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split one raw frame into typed accepted rows and rejects (first bad field, in order).

    Each stage is materialised once: regex groups, then parsed values, then problems, so no
    parse runs twice."""
    specs = fields_of(raw.record_type)
    # Surrounding blanks are never meaningful, and an empty cell is an absent value.
    frame = raw.frame.with_columns(
        (
            pl.col(s.name).str.strip_chars().replace("", None)
            if s.name in raw.frame.columns
            else pl.lit(None, pl.String).alias(s.name)
        ).fill_null(pl.lit(s.default, pl.String))
        for s in specs
    )
    frame = _parse_datetimes(frame, [s.name for s in specs if s.kind == "datetime"])
    frame = frame.with_columns(expr for spec in specs for expr in _parse(spec))
    frame = frame.with_columns(_problem(spec) for spec in specs)
    problems = [pl.col(f"_problem_{s.name}") for s in specs]
    checked = frame.with_columns(
        pl.coalesce(problems).alias("_reason"),
        pl.coalesce(
            pl.when(p.is_not_null()).then(pl.lit(s.name))
            for p, s in zip(problems, specs, strict=True)
        ).alias("_field"),
        pl.coalesce(
            pl.when(p.is_not_null()).then(pl.col(s.name))
            for p, s in zip(problems, specs, strict=True)
        ).alias("_value"),
    )
    rejected = checked.filter(pl.col("_reason").is_not_null()).select(
        pl.lit(raw.source).alias("source"),
        pl.col(LINE).alias("line"),
        pl.lit(raw.record_type).alias("record_type"),
        pl.col("_field").alias("field"),
        pl.col("_value").alias("value"),
        pl.col("_reason").alias("reason"),
    )
    accepted = checked.filter(pl.col("_reason").is_null()).select(
        *(pl.col(_value(s.name)).alias(s.name) for s in specs),
        *(pl.col(s.name + OFFSET) for s in specs if s.kind == "datetime"),
        make_ref(source_index, pl.col(LINE)),
    )
    return accepted, rejected


def _reject_frame(rows: Iterable[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=REJECT_SCHEMA)


def _resolve_times(
    tables: dict[str, pl.DataFrame], policy_timezone: str, sources: list[str]
) -> tuple[list[pl.DataFrame], int]:
    """Turn wall time + offset into UTC instants; reject local times that do not exist."""
    employees = tables.get("employee")
    zones = (
        employees.select("employee_id", pl.col("timezone").alias("_tz"))
        if employees is not None
        else pl.DataFrame(schema={"employee_id": pl.String, "_tz": pl.String})
    )
    rejects: list[pl.DataFrame] = []
    naive_count = 0
    for record_type, table in tables.items():
        specs = [f for f in fields_of(record_type) if f.kind == "datetime"]
        if not specs:
            continue
        table = table.join(zones, on="employee_id", how="left")
        table = table.with_columns(pl.col("_tz").fill_null(policy_timezone))
        zone_names = table.get_column("_tz").unique().to_list()
        problems = []
        for spec in specs:
            name, offset = spec.name, pl.col(spec.name + OFFSET)
            naive_count += table.filter(pl.col(name).is_not_null() & offset.is_null()).height
            shifted = pl.col(name) - pl.duration(seconds=offset)

            def to_utc(zone: str, name: str = name) -> pl.Expr:
                return (
                    pl.col(name)
                    .dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
                    .dt.convert_time_zone("UTC")
                )

            local = in_zones("_tz", zone_names, to_utc, pl.Datetime("us", "UTC"))
            table = table.with_columns(
                pl.when(offset.is_not_null())
                .then(shifted.dt.replace_time_zone("UTC"))
                .otherwise(local)
                .alias(name)
            )
            gap = pl.col(name).is_null() & offset.is_null() & pl.col(f"_raw_{name}")
            table = table.with_columns(gap.alias(f"_gap_{name}"))
            problems.append(spec.name)
        table = table.drop([s.name + OFFSET for s in specs])
        for name in problems:
            gap = pl.col(f"_gap_{name}")
            reason = (
                pl.lit("local time does not exist in ") + pl.col("_tz") + " (clocks moved forward)"
            )
            rejects.append(_rejects_where(table, gap, record_type, name, reason, sources))
            table = table.filter(~gap)
        helpers = [f"_{kind}_{s.name}" for s in specs for kind in ("raw", "gap")]
        tables[record_type] = table.drop(["_tz", *helpers])
    return rejects, naive_count


def _rejects_where(
    table: pl.DataFrame,
    mask: pl.Expr,
    record_type: str,
    field: str,
    reason: pl.Expr | str,
    sources: list[str],
    value: pl.Expr | None = None,
) -> pl.DataFrame:
    """Reject rows of a typed table, located by their reference (source and line)."""
    ref = pl.col(REF)
    return table.filter(mask).select(
        (ref // (1 << 32))
        .replace_strict(list(range(len(sources))), sources, return_dtype=pl.String)
        .alias("source"),
        (ref % (1 << 32)).alias("line"),
        pl.lit(record_type).alias("record_type"),
        pl.lit(field).alias("field"),
        (value if value is not None else pl.lit(None, pl.String)).cast(pl.String).alias("value"),
        (reason if isinstance(reason, pl.Expr) else pl.lit(reason)).alias("reason"),
    )


#: relations between fields that one field alone cannot check: (type, wrong when, field, why)
_RELATIONS = (
    ("employee", pl.col("left_on") < pl.col("hired_on"), "left_on", "left_on is before hired_on"),
    (
        "satisfaction_survey",
        pl.col("score") > pl.col("scale_max"),
        "score",
        "score is above scale_max",
    ),
    (
        "order",
        pl.col("status").is_in(["cancelled", "refunded"]) & pl.col("reversed_at").is_null(),
        "reversed_at",
        "a cancelled or refunded order needs reversed_at",
    ),
    (
        "order",
        (pl.col("status") == "booked") & pl.col("reversed_at").is_not_null(),
        "reversed_at",
        "a booked order has no reversed_at",
    ),
    (
        "order",
        pl.col("reversed_at") < pl.col("booked_at"),
        "reversed_at",
        "reversed_at is before booked_at",
    ),
)


def _check_relations(tables: dict[str, pl.DataFrame], sources: list[str]) -> list[pl.DataFrame]:
    rejects = []
    for record_type, wrong, name, reason in _RELATIONS:
        table = tables.get(record_type)
        if table is None:
            continue
        wrong = wrong.fill_null(False)
        rejects.append(
            _rejects_where(table, wrong, record_type, name, reason, sources, pl.col(name))
        )
        tables[record_type] = table.filter(~wrong)
    return rejects


def _check_intervals(tables: dict[str, pl.DataFrame], sources: list[str]) -> list[pl.DataFrame]:
    """Reject records whose end is not after their start (dates: before their start)."""
    rejects = []
    for record_type, table in tables.items():
        if not {"start", "end"} <= set(table.columns):
            continue
        dated = table.schema["start"] == pl.Date
        wrong = pl.col("end") < pl.col("start") if dated else pl.col("end") <= pl.col("start")
        wrong = wrong.fill_null(False)
        reason = "end is before start" if dated else "end is not after start"
        rejects.append(
            _rejects_where(table, wrong, record_type, "end", reason, sources, pl.col("end"))
        )
        tables[record_type] = table.filter(~wrong)
    return rejects


def _drop_duplicates(tables: dict[str, pl.DataFrame], sources: list[str]) -> list[pl.DataFrame]:
    """Reject every row after the first with the same id (employee, request, order...)."""
    rejects = []
    for record_type, table in tables.items():
        key = _unique_key(record_type)
        if key is None:
            continue
        # Not the first reference of its id; in reference order already (the usual case), not
        # the first row of its id, found by hashing instead of ranking in groups.
        later = (
            ~pl.col(key).is_first_distinct()
            if table.get_column(REF).is_sorted()
            else pl.col(REF).rank("ordinal").over(key) > 1
        )
        repeated = later & pl.col(key).is_not_null()
        reason = pl.lit(f"duplicate {key} '") + pl.col(key) + "'"
        rejects.append(
            _rejects_where(table, repeated, record_type, key, reason, sources, pl.col(key))
        )
        tables[record_type] = table.filter(~repeated)
    return rejects


def _unique_key(record_type: str) -> str | None:
    """The id that names one record of a type, when the type has a required one."""
    for spec in fields_of(record_type):
        if spec.required and spec.name in _ID_FIELDS:
            return spec.name
    return "employee_id" if record_type == "employee" else None


def build_tables(
    inputs: Iterable[Any],
    *,
    policy_timezone: str,
    type_hint: str | None = None,
    columns: ColumnMapping | None = None,
) -> RecordTables:
    """Read, validate and resolve every input; see the module docstring.  ``columns`` maps
    foreign exports' columns and values to ours (``sales_policy.mapping``)."""
    raw = read_inputs(inputs, type_hint, columns)
    sources: list[str] = []
    parts: dict[str, list[pl.DataFrame]] = {}
    reject_parts = [_reject_frame(raw.rejects)]
    for frame in raw.frames:
        if frame.source not in sources:
            sources.append(frame.source)
        accepted, rejected = _validate(frame, sources.index(frame.source))
        for spec in fields_of(frame.record_type):
            if spec.kind == "datetime":
                accepted = accepted.with_columns(
                    pl.col(spec.name).is_not_null().alias(f"_raw_{spec.name}")
                )
        parts.setdefault(frame.record_type, []).append(accepted)
        reject_parts.append(rejected)
    for source in {r["source"] for r in raw.rejects}:
        if source not in sources:
            sources.append(source)
    tables = {name: pl.concat(frames, how="vertical") for name, frames in parts.items()}
    reject_parts.extend(_drop_duplicates(tables, sources))
    resolved_rejects, naive = _resolve_times(tables, policy_timezone, sources)
    reject_parts.extend(resolved_rejects)
    reject_parts.extend(_check_intervals(tables, sources))
    reject_parts.extend(_check_relations(tables, sources))
    rejects = pl.concat(reject_parts, how="vertical").sort("source", "line", nulls_last=True)
    return RecordTables(
        tables=tables, rejects=rejects, sources=sources, read=raw.read, naive_timestamps=naive
    )


def empty_tables(record_types: Sequence[str] = ()) -> dict[str, pl.DataFrame]:
    return {name: pl.DataFrame(schema=table_schema(name)) for name in record_types}
