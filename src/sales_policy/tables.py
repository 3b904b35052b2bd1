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

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from .background import InThread
from .inputs import LINE, REJECT_SCHEMA, RawFrame, RawInputs, read_inputs
from .mapping import ColumnMapping
from .recordfields import FieldSpec, fields_of
from .zones import in_zones, is_known_timezone

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
#: ``_ZONES`` as a lookup by position: the text after the seconds as an enumeration (null when
#: it is none of them), whose index picks the offset; several times faster than a mapping
_ZONE_TEXTS = pl.Enum(list(_ZONES)).to_dtype_expr()  # converted once, not per cast
_ZONE_SECONDS = pl.Series(list(_ZONES.values()), dtype=pl.Int32)
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
    #: the rows of each table released (``release``), counted still
    released: dict[str, int] = field(default_factory=dict)

    @property
    def accepted(self) -> int:
        return sum(self.heights().values())

    def heights(self) -> dict[str, int]:
        """The accepted rows per record type, released tables' included."""
        return {name: table.height for name, table in self.tables.items()} | self.released

    def release(self, record_type: str) -> None:
        """Let go of a table whose rows have been read for good, so that its memory can be
        used again; its rows still count, and reading it afterwards is an error."""
        table = self.tables.pop(record_type, None)
        if table is not None:
            self.released[record_type] = table.height

    def table(self, record_type: str) -> pl.DataFrame:
        """The table of one type; an empty one with the right columns when there was none."""
        if record_type in self.tables:
            return self.tables[record_type]
        if record_type in self.released:
            raise RuntimeError(f"the {record_type} table was released after its rows were read")
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


def _read_by_position(name: str) -> list[pl.Expr]:
    """Whether a datetime field's text starts in the canonical form (``_fast``), its wall time
    read by position with a ``T`` (``_value``), and its offset (the text after the seconds,
    looked up in ``_ZONES``): the first step of ``_parse_datetimes``."""
    text = pl.col(name)
    zone = text.str.slice(19).cast(_ZONE_TEXTS, strict=False).to_physical()
    return [
        text.str.contains(_CANONICAL).fill_null(False).alias(_fast(name)),
        text.str.head(19)
        .str.to_datetime("%Y-%m-%dT%H:%M:%S", strict=False, time_unit="us")
        .alias(_value(name)),
        pl.lit(_ZONE_SECONDS).gather(zone).alias(name + OFFSET),
    ]


def _unread(name: str) -> pl.Expr:
    """The rows whose text ``_read_by_position`` did not read: those with a space for the
    ``T`` and those that are not canonical, which ``_read_the_rest`` reads."""
    fast, value, offset = pl.col(_fast(name)), pl.col(_value(name)), pl.col(name + OFFSET)
    canonical = (pl.col(name).str.len_bytes() == 19) | offset.is_not_null()
    return pl.col(name).is_not_null() & ~(fast & value.is_not_null() & canonical)


def _read_the_rest(frame: pl.DataFrame, names: Sequence[str]) -> pl.DataFrame:
    """The second step of ``_parse_datetimes``: on the rows ``_read_by_position`` did not
    read, canonical text with a space by position, and everything else by the regex."""
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
    return frame


def _parse_datetimes(frame: pl.DataFrame, names: Sequence[str]) -> pl.DataFrame:
    """Add the wall time (``_value``) and the offset of each datetime field.

    Canonical text (``_CANONICAL``, then nothing, ``Z`` or ``±HH:MM`` from ``_ZONES``) is read
    by position, several times faster than by the regex; the rest, and only the rest, by the
    regex (``_parse_datetime``).  Both read canonical text the same.  ``_validate`` takes the
    same two steps, the first within its one plan."""
    if not names:
        return frame
    frame = frame.with_columns(expr for name in names for expr in _read_by_position(name))
    return _read_the_rest(frame, names).drop(_fast(name) for name in names)


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


#: up to how many choices an enumerated field's text is compared with each
_FEW_CHOICES = 8

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


def _bad(spec: FieldSpec) -> pl.Expr:
    """Whether one field's present text is not acceptable; reads the parsed value column."""
    raw = pl.col(spec.name)
    unparsed = pl.col(_value(spec.name)).is_null()
    if spec.kind == "enum":
        # A few choices are compared one by one: cheaper than looking them up in a set.
        if len(spec.choices) <= _FEW_CHOICES:
            return ~pl.any_horizontal(raw == choice for choice in spec.choices)
        return ~raw.is_in(list(spec.choices))
    if spec.kind == "timezone":
        return unparsed  # the names the tz database does not know, by ``_look_up_zones``
    if spec.kind == "str" and spec.pattern:
        return ~raw.str.contains(spec.pattern)
    if spec.kind == "str":
        return raw.str.len_chars() > _length_limit(spec)
    if spec.minimum is not None:
        value = pl.col(_value(spec.name))
        too_low = value <= spec.minimum if spec.exclusive_minimum else value < spec.minimum
        return unparsed | too_low
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
    if spec.kind == "str":
        return pl.lit(f"longer than {_length_limit(spec)} characters")
    if spec.minimum is not None:
        floor = (
            f" must be above {spec.minimum:g}"
            if spec.exclusive_minimum
            else f" is below {spec.minimum:g}"
        )
        unparsed = pl.col(_value(spec.name)).is_null()
        return pl.when(unparsed).then(shown + _NOT_A[spec.kind]).otherwise(shown + floor)
    return shown + _NOT_A[spec.kind]


def _length_limit(spec: FieldSpec) -> int:
    return 200 if spec.name.endswith("_id") else 10_000


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
        pl.coalesce(
            pl.when(p.is_not_null()).then(pl.col(s.name))
            for p, s in zip(problems, specs, strict=True)
        ).alias("_value"),
    ]


def _validate(raw: RawFrame, source_index: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Split one raw frame into typed accepted rows and rejects (first bad field, in order).

    One plan, run once, cleans the text and parses it (datetimes by position); datetimes
    that position could not read (``_unread``: few, if any) are then read by the regex.  Then
    each row is tested, and only the rows that fail get their reasons written.

    The frame is taken in one piece (``build_tables`` hands it so): polars reads a file in
    several, and some columns computed from them come out in one; a frame whose columns are
    cut differently is joined into one piece, every column copied, by each later step, where
    here it is joined once."""
    specs = fields_of(raw.record_type)
    datetimes = [s.name for s in specs if s.kind == "datetime"]
    unread = [_unread(name) for name in datetimes]
    parsed = (
        raw.frame.rechunk()
        .lazy()
        .with_columns(_cleaned(s, raw) for s in specs)
        .with_columns(
            *(expr for name in datetimes for expr in _read_by_position(name)),
            *(expr for spec in specs for expr in _parse(spec)),
        )
        .with_columns((pl.any_horizontal(unread) if unread else pl.lit(False)).alias("_unread"))
        .collect(engine="in-memory")
    )
    if parsed.get_column("_unread").any():
        parsed = _read_the_rest(parsed, datetimes)
    zones = [s.name for s in specs if s.kind == "timezone"]
    if zones:
        parsed = parsed.with_columns(_look_up_zones(parsed, name) for name in zones)
    accepted_columns = [
        *(pl.col(_value(s.name)).alias(s.name) for s in specs),
        *(pl.col(name + OFFSET) for name in datetimes),
        make_ref(source_index, pl.col(LINE)),
    ]
    faulty = parsed.select(pl.any_horizontal(_faulty(s) for s in specs)).to_series()
    if not faulty.any():
        return parsed.select(accepted_columns), _reject_frame([])
    rejected = (
        parsed.filter(faulty)
        .with_columns(_problem(spec) for spec in specs)
        .with_columns(_reasons(specs))
        .select(
            pl.lit(raw.source).alias("source"),
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
    return pl.when(pl.col(name).is_in(known)).then(pl.col(_value(name))).alias(_value(name))


def _reject_frame(rows: Iterable[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(list(rows), schema=REJECT_SCHEMA)


def _resolve_times(
    tables: dict[str, pl.DataFrame], policy_timezone: str, sources: list[str]
) -> tuple[list[pl.DataFrame], int]:
    """Turn wall time + offset into UTC instants; reject local times that do not exist.

    Times with an offset are resolved in one step for the whole table; the rows holding naive
    ones, usually few or none, are taken out and resolved on their own (``_resolve_naive``),
    so that only they pay for the zone lookups and conversions."""
    employees = tables.get("employee")
    zones = (
        employees.select("employee_id", pl.col("timezone").alias("_tz"))
        if employees is not None
        else pl.DataFrame(schema={"employee_id": pl.String, "_tz": pl.String})
    )
    rejects: list[pl.DataFrame] = []
    naive_count = 0
    for record_type, table in tables.items():
        names = [f.name for f in fields_of(record_type) if f.kind == "datetime"]
        if not names:
            continue
        naive = [pl.col(name).is_not_null() & pl.col(name + OFFSET).is_null() for name in names]
        counts = table.select(cells.sum() for cells in naive).row(0)
        naive_count += sum(counts)
        resolved = table.with_columns(_with_offset(name) for name in names)
        if any(counts):
            rows = _rows(table, pl.any_horizontal(naive))
            local = _resolve_naive(table[rows], names, zones, policy_timezone)
            resolved = _patch(resolved, rows, local.select(names))
            # Each row is rejected for its first field whose local time does not exist.
            gone = pl.repeat(False, local.height, eager=True)
            for name in names:
                gap = local.get_column(f"_gap_{name}") & ~gone
                if gap.any():
                    reason = (
                        pl.lit("local time does not exist in ")
                        + pl.col("_tz")
                        + " (clocks moved forward)"
                    )
                    wall = pl.col(f"_wall_{name}").dt.strftime("%Y-%m-%dT%H:%M:%S%.f")
                    rejects.append(
                        _rejects_where(local, gap, record_type, name, reason, sources, wall)
                    )
                    gone = gone | gap
            if gone.any():
                dropped = pl.repeat(False, table.height, eager=True)
                dropped.scatter(rows.filter(gone), True)
                resolved = resolved.filter(~dropped)
        tables[record_type] = resolved.drop(name + OFFSET for name in names)
    return rejects, naive_count


def _with_offset(name: str) -> pl.Expr:
    """The UTC instant of a wall time with an offset; null for a naive one."""
    shifted = pl.col(name) - pl.duration(seconds=pl.col(name + OFFSET))
    return shifted.dt.replace_time_zone("UTC").alias(name)


def _resolve_naive(
    part: pl.DataFrame, names: Sequence[str], zones: pl.DataFrame, policy_timezone: str
) -> pl.DataFrame:
    """Rows holding naive times, resolved: a naive time is read in the employee's zone
    (``_tz``: the employee record's, else the policy's), a time with an offset as ever;
    ``_gap_<field>`` marks the local times that do not exist (clocks moved forward)."""
    part = part.join(zones, on="employee_id", how="left", maintain_order="left")
    part = part.with_columns(pl.col("_tz").fill_null(policy_timezone))
    zone_names = part.get_column("_tz").unique().to_list()
    naive = {name: pl.col(name).is_not_null() & pl.col(name + OFFSET).is_null() for name in names}
    part = part.with_columns(cells.alias(f"_gap_{name}") for name, cells in naive.items())
    # the wall time read, for a reject's value when it does not exist
    part = part.with_columns(pl.col(name).alias(f"_wall_{name}") for name in names)
    resolved = []
    for name in names:

        def to_utc(zone: str, name: str = name) -> pl.Expr:
            return (
                pl.col(name)
                .dt.replace_time_zone(zone, ambiguous="earliest", non_existent="null")
                .dt.convert_time_zone("UTC")
            )

        local = in_zones("_tz", zone_names, to_utc, pl.Datetime("us", "UTC"))
        offset = pl.col(name + OFFSET)
        resolved.append(
            pl.when(offset.is_not_null()).then(_with_offset(name)).otherwise(local).alias(name)
        )
    part = part.with_columns(resolved)
    return part.with_columns(
        (pl.col(f"_gap_{name}") & pl.col(name).is_null()).alias(f"_gap_{name}") for name in names
    )


def _rejects_where(
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


def _check_rows(
    tables: dict[str, pl.DataFrame], sources: list[str]
) -> tuple[list[pl.DataFrame], list[pl.DataFrame]]:
    """Reject records whose end is not after their start (dates: before their start), then
    those whose fields disagree (``_RELATIONS``, in order); the interval and relation rejects.

    Each check is of one row, so a table's checks are found in one step, and only a table
    with rows to reject is taken apart: a row goes for its first failed check, as it would
    were the checks made one after another, each on the rows the others left."""
    interval_rejects: list[pl.DataFrame] = []
    relation_rejects: list[tuple[int, pl.DataFrame]] = []
    for record_type, table in tables.items():
        checks: list[tuple[int | None, pl.Expr, str, str]] = []
        if {"start", "end"} <= set(table.columns):
            dated = table.schema["start"] == pl.Date
            wrong = pl.col("end") < pl.col("start") if dated else pl.col("end") <= pl.col("start")
            reason = "end is before start" if dated else "end is not after start"
            checks.append((None, wrong, "end", reason))
        for index, (relation_type, wrong, name, reason) in enumerate(_RELATIONS):
            if relation_type == record_type:
                checks.append((index, wrong, name, reason))
        if not checks:
            continue
        failed = table.select(
            wrong.fill_null(False).alias(f"_check_{i}") for i, (_, wrong, _, _) in enumerate(checks)
        )
        if not any(column.any() for column in failed.iter_columns()):
            continue
        gone = pl.repeat(False, table.height, eager=True)
        for column, (relation, _, name, reason) in zip(failed.iter_columns(), checks, strict=True):
            wrong_here = column & ~gone
            part = _rejects_where(
                table, wrong_here, record_type, name, reason, sources, pl.col(name)
            )
            if relation is None:
                interval_rejects.append(part)
            else:
                relation_rejects.append((relation, part))
            gone = gone | wrong_here
        tables[record_type] = table.filter(~gone)
    relation_rejects.sort(key=lambda indexed: indexed[0])
    return interval_rejects, [part for _, part in relation_rejects]


def _drop_duplicates(tables: dict[str, pl.DataFrame], sources: list[str]) -> list[pl.DataFrame]:
    """Reject every row after the first with the same id (employee, request, order...)."""
    rejects = []
    for record_type, table in tables.items():
        key = unique_key(record_type)
        if key is None:
            continue
        # Not the first reference of its id; in reference order already (the usual case), not
        # the first row of its id, found by hashing instead of ranking in groups.
        later = (
            ~pl.col(key).is_first_distinct()
            if table.get_column(REF).is_sorted()
            else pl.col(REF).rank("ordinal").over(key) > 1
        )
        repeated = table.select(later & pl.col(key).is_not_null()).to_series()
        if not repeated.any():
            continue
        reason = pl.lit(f"duplicate {key} '") + pl.col(key) + "'"
        rejects.append(
            _rejects_where(table, repeated, record_type, key, reason, sources, pl.col(key))
        )
        tables[record_type] = table.filter(~repeated)
    return rejects


def unique_key(record_type: str) -> str | None:
    """The id that names one record of a type, when the type has a required one."""
    for spec in fields_of(record_type):
        if spec.required and spec.name in _ID_FIELDS:
            return spec.name
    return "employee_id" if record_type == "employee" else None


def _validated(raw: RawInputs, sources: list[str]) -> list[tuple[pl.DataFrame, pl.DataFrame, str]]:
    """Each raw frame of ``raw`` validated (``_validate``), in their order: accepted rows,
    rejected rows, record type.

    The largest frame is validated in a thread of its own while the others are, one after
    another, beside it: polars keeps the two cores busy only part of the time validating one
    frame (on a million punches and their month's other records, ~25–30 ms sooner).  Each raw
    frame is let go once validated (``raw.frames`` is emptied), and its text is held in one
    piece only: while a file is validated its text is not also held as read, in pieces (on
    a million punches, ~110 MB less at the step that needs the most)."""
    frames, raw.frames = raw.frames, []
    order = sorted(range(len(frames)), key=lambda i: frames[i].frame.height, reverse=True)
    results: dict[int, tuple[pl.DataFrame, pl.DataFrame, str]] = {}

    def validate(position: int) -> tuple[pl.DataFrame, pl.DataFrame, str]:
        frame = frames[position]
        frames[position] = dataclasses.replace(frame, frame=pl.DataFrame())  # let go as read
        joined = dataclasses.replace(frame, frame=frame.frame.rechunk())
        del frame
        accepted, rejected = _validate(joined, sources.index(joined.source))
        return accepted, rejected, joined.record_type

    largest = InThread(lambda: validate(order[0]), name="sales-policy-validate") if order else None
    for position in order[1:]:
        results[position] = validate(position)
    if largest is not None:
        results[order[0]] = largest.result()
    return [results[position] for position in range(len(frames))]


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
    sources = list(dict.fromkeys(frame.source for frame in raw.frames))
    parts: dict[str, list[pl.DataFrame]] = {}
    reject_parts = [_reject_frame(raw.rejects)]
    for accepted, rejected, record_type in _validated(raw, sources):
        parts.setdefault(record_type, []).append(accepted)
        if rejected.height:
            reject_parts.append(rejected)
    for source in dict.fromkeys(r["source"] for r in raw.rejects):  # first seen, first
        if source not in sources:
            sources.append(source)
    tables = {name: pl.concat(frames, how="vertical") for name, frames in parts.items()}
    reject_parts.extend(_drop_duplicates(tables, sources))
    resolved_rejects, naive = _resolve_times(tables, policy_timezone, sources)
    reject_parts.extend(resolved_rejects)
    interval_rejects, relation_rejects = _check_rows(tables, sources)
    reject_parts.extend(interval_rejects)
    reject_parts.extend(relation_rejects)
    rejects = pl.concat(reject_parts, how="vertical").sort("source", "line", nulls_last=True)
    return RecordTables(
        tables=tables, rejects=rejects, sources=sources, read=raw.read, naive_timestamps=naive
    )


def empty_tables(record_types: Sequence[str] = ()) -> dict[str, pl.DataFrame]:
    return {name: pl.DataFrame(schema=table_schema(name)) for name in record_types}
