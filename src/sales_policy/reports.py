"""Rendering a check's result: terminal table, JSON, JSONL and CSV.

CSV cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
tab or carriage return) are prefixed with ``'`` so they show as text.

JSON, JSONL and CSV are the text of ``Finding.to_dict()`` as ``json.dumps(...,
ensure_ascii=False)`` and ``csv.writer`` write it, built column-wise with polars rather than
one Python object per finding; a rule whose evidence holds values this cannot write exactly
(numbers with a fraction, nested values) has its findings written the Python way.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from typing import IO, Any, Literal, TypeAlias

import polars as pl
from polars.datatypes import DataTypeClass

from .findings import CheckResult, Finding
from .rulesets import SEVERITIES, Rule

FORMATS = ("table", "json", "jsonl", "csv")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = (
    "rule_id",
    "ruleset",
    "severity",
    "clauses",
    "employee_id",
    "date",
    "period",
    "evidence",
    "sources",
    "message_zh",
    "message_en",
)


def safe_cell(value: Any) -> str:
    """A CSV cell that spreadsheets show as text, never run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def summary(result: CheckResult) -> dict[str, Any]:
    period = result.period
    return {
        "period": {"start": period[0].isoformat(), "end": period[1].isoformat()}
        if period
        else None,
        "counts": {
            "read": result.counts.read,
            "accepted": result.counts.accepted,
            "rejected": result.counts.rejected,
            "accepted_by_type": result.counts.by_type,
            "findings": len(result),
        },
        "notes": result.notes,
    }


def write_json(result: CheckResult, out: IO[str]) -> None:
    head = json.dumps(summary(result), ensure_ascii=False, indent=2)
    lines = finding_texts(result, "json")
    findings = (
        "[" + _pad(_DEPTH) + _joined(lines, "," + _pad(_DEPTH)) + _pad(1) + "]"
        if len(lines)
        else "[]"
    )
    # The summary's closing brace gives way to the findings, the document's last key.
    out.write(head.removesuffix("\n}") + ',\n  "findings": ' + findings + "\n}\n")


def write_jsonl(result: CheckResult, out: IO[str]) -> None:
    lines = finding_texts(result, "jsonl")
    if len(lines):
        out.write(_joined(lines, "\n") + "\n")


def _csv_row(finding: Finding) -> list[str]:
    data = finding.to_dict()
    return [
        safe_cell(v)
        for v in (
            data["rule_id"],
            data["ruleset"],
            data["severity"],
            ";".join(data["clauses"]),
            data["employee_id"],
            data["date"],
            data["period"],
            json.dumps(data["evidence"], ensure_ascii=False),
            ";".join(data["sources"]),
            finding.message.zh,
            finding.message.en,
        )
    ]


def write_csv(result: CheckResult, out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    lines = finding_texts(result, "csv")
    if len(lines):
        out.write(_joined(lines, "\n") + "\n")


def _joined(lines: pl.Series | list[str], separator: str) -> str:
    if isinstance(lines, list):
        return separator.join(lines)
    text: str = lines.str.join(separator).item()
    return text


# Column-wise rendering.  Every helper gives the exact text that the Python objects would.

Style = Literal["json", "jsonl", "csv"]
DType: TypeAlias = pl.DataType | DataTypeClass
_INDENT = 2  # of the json format
_DEPTH = 2  # of a finding in the json document: the document's, then its list's
#: json.dumps' escapes (ensure_ascii=False escapes nothing else)
_ESCAPES = {c: json.dumps(c)[1:-1] for c in [*map(chr, range(0x20)), '"', "\\"]}
_ROW = "_row"
_LINE = "_line"
#: from how many findings on reports are built column-wise
COLUMNAR_FROM = 500


def _csv_specials() -> str:
    """A regex class of the characters that make ``csv.writer`` quote a cell (asked of it)."""
    found = []
    for code in range(128):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(["a" + chr(code) + "b", "c"])
        if buffer.getvalue().startswith('"'):
            found.append(f"\\x{code:02x}")
    return "[" + "".join(found) + "]"


_CSV_SPECIALS = _csv_specials()
_FORMULA = "^[" + "".join(f"\\x{ord(c):02x}" for c in _FORMULA_START) + "]"


def _quoted(text: pl.Expr) -> pl.Expr:
    """A string as JSON text; null as ``null``."""
    return (pl.lit('"') + text.str.replace_many(_ESCAPES) + pl.lit('"')).fill_null("null")


def _pad(depth: int) -> str:
    return "\n" + " " * (_INDENT * depth)


def _json_list(items: pl.Expr, depth: int | None) -> pl.Expr:
    """A list of already encoded items (a null list as ``null``); ``depth`` is the list's
    when indented."""
    if depth is None:
        return pl.concat_str(pl.lit("["), items.list.join(", "), pl.lit("]")).fill_null("null")
    inside = pl.concat_str(
        pl.lit("[" + _pad(depth + 1)),
        items.list.join("," + _pad(depth + 1)),
        pl.lit(_pad(depth) + "]"),
    )
    return pl.when(items.list.len() == 0).then(pl.lit("[]")).otherwise(inside).fill_null("null")


def _json_value(value: pl.Expr, dtype: DType, depth: int | None) -> pl.Expr | None:
    """The JSON text of a value as json.dumps writes what json.loads reads of polars' JSON;
    None for a type this does not write exactly (fractions, nesting beyond lists)."""
    if dtype == pl.String:
        return _quoted(value)
    if dtype.is_integer() or dtype == pl.Null:
        return value.cast(pl.String).fill_null("null")
    if dtype == pl.Boolean:
        return (
            pl.when(value)
            .then(pl.lit("true"))
            .when(~value)
            .then(pl.lit("false"))
            .otherwise(pl.lit("null"))
        )
    if isinstance(dtype, pl.List):
        inner = dtype.inner
        item = _json_value(pl.element(), inner, None if depth is None else depth + 1)
        if item is None or isinstance(inner, pl.List):
            return None
        return _json_list(value.list.eval(item), depth)
    return None


def _shown(value: pl.Expr, dtype: DType) -> pl.Expr | None:
    """A value as a message shows it (``findings.render``): lists joined with ", ", null as
    nothing; None for a type this does not show exactly."""
    if isinstance(dtype, pl.List):
        inner = _python_str(pl.element(), dtype.inner)
        if inner is None:
            return None
        return value.list.eval(inner).list.join(", ").fill_null("")
    text = _python_str(value, dtype)
    return None if text is None else pl.when(value.is_null()).then(pl.lit("")).otherwise(text)


def _python_str(value: pl.Expr, dtype: DType) -> pl.Expr | None:
    """``str()`` of the Python value json.loads gives (None as "None")."""
    if dtype == pl.String:
        return value.fill_null("None")
    if dtype.is_integer() or dtype == pl.Null:
        return value.cast(pl.String).fill_null("None")
    if dtype == pl.Boolean:
        return (
            pl.when(value)
            .then(pl.lit("True"))
            .when(~value)
            .then(pl.lit("False"))
            .otherwise(pl.lit("None"))
        )
    return None


def _json_object(pairs: list[tuple[str, pl.Expr]], depth: int | None) -> pl.Expr:
    """An object of already encoded values; ``depth`` is the object's when indented."""
    if not pairs:
        return pl.lit("{}")
    if depth is None:
        first, between, last = "{", ", ", "}"
    else:
        first, between, last = "{" + _pad(depth + 1), "," + _pad(depth + 1), _pad(depth) + "}"
    parts: list[pl.Expr] = []
    for key, value in pairs:
        parts += [
            pl.lit(between if parts else first),
            pl.lit(json.dumps(key, ensure_ascii=False) + ": "),
            value,
        ]
    return pl.concat_str([*parts, pl.lit(last)])


def _template(text: str) -> list[tuple[bool, str]]:
    """A message template as (is a placeholder, text) parts, read as ``findings.render``."""
    parts, cursor = [], 0
    while (opening := text.find("{", cursor)) != -1:
        closing = text.index("}", opening)
        parts += [(False, text[cursor:opening]), (True, text[opening + 1 : closing])]
        cursor = closing + 1
    parts.append((False, text[cursor:]))
    return parts


def _is_utf8(text: str) -> bool:
    """Whether the text can be written as UTF-8 (it holds no lone surrogate)."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


def _decoded(evidence: pl.Series, sample: int | None) -> pl.Series | None:
    """Evidence JSON as a struct of the types a sample of rows shows, when that reads back to
    the very text (so nothing was lost or changed in the reading); else None."""
    try:
        decoded = evidence.str.json_decode(infer_schema_length=sample)
        same = isinstance(decoded.dtype, pl.Struct) and decoded.dtype.fields
        if same and (decoded.struct.json_encode() == evidence).all():
            return decoded
    except pl.exceptions.PolarsError:
        pass
    return None


def _rule_columns(group: pl.DataFrame, rule: Rule, depth: int | None) -> pl.DataFrame | None:
    """Evidence as JSON text and the two messages, for the findings of one rule; None when
    the evidence holds values this does not write exactly."""
    evidence = group.get_column("evidence")
    if evidence.null_count():
        return None
    fields: dict[str, DType] = {}
    frame = group.select(_ROW, "employee_id", "period", "date")
    if not (evidence == "{}").all():
        decoded = _decoded(evidence, 100) if evidence.len() > 100 else None
        if decoded is None:
            decoded = _decoded(evidence, None)
        if decoded is None or not isinstance(decoded.dtype, pl.Struct):
            return None
        fields = {f.name: f.dtype for f in decoded.dtype.fields}
        frame = frame.with_columns(
            decoded.struct.unnest().rename({n: f"_evidence_{n}" for n in fields})
        )
    pairs = []
    shown: dict[str, pl.Expr] = {}
    for name, dtype in fields.items():
        column = pl.col(f"_evidence_{name}")
        value = _json_value(column, dtype, None if depth is None else depth + 1)
        text = _shown(column, dtype)
        if value is None or text is None:
            return None
        pairs.append((name, value))
        shown[name] = text
    shown["employee_id"] = pl.col("employee_id").fill_null("")
    shown["period"] = pl.col("period").fill_null("")
    shown["date"] = pl.col("date").dt.to_string("%Y-%m-%d").fill_null("")
    if not all(map(_is_utf8, (rule.message.zh, rule.message.en))):
        return None  # polars holds UTF-8 only
    try:
        templates = {"zh": _template(rule.message.zh), "en": _template(rule.message.en)}
    except ValueError:
        return None
    messages = [
        pl.concat_str(
            [shown.get(part, pl.lit("")) if named else pl.lit(part) for named, part in parts]
        ).alias(f"_message_{lang}")
        for lang, parts in templates.items()
    ]
    return frame.select(_ROW, _json_object(pairs, depth).alias("_evidence"), *messages)


def _python_texts(findings: Iterable[Finding], style: Style) -> list[str]:
    """The texts of some findings, written from their objects."""
    texts = []
    for finding in findings:
        if style == "csv":
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerow(_csv_row(finding))
            texts.append(buffer.getvalue().removesuffix("\n"))
        elif style == "json":
            text = json.dumps(finding.to_dict(), ensure_ascii=False, indent=_INDENT)
            texts.append(text.replace("\n", _pad(_DEPTH)))
        else:
            texts.append(json.dumps(finding.to_dict(), ensure_ascii=False))
    return texts


def _objects_only(frame: pl.DataFrame, sources: list[str]) -> bool:
    """Whether some finding has what only its object handles (by failing, as it does): no
    clauses or sources list, a missing item in one, a reference to no known source, a date
    outside Python's; or a source whose name is not UTF-8 (undecodable bytes in a path)."""
    if not all(map(_is_utf8, sources)):
        return True
    refs = pl.element()
    found = frame.select(
        pl.col("clauses").is_null().any().alias("a"),
        pl.col("clauses").list.eval(pl.element().is_null()).list.any().any().alias("b"),
        pl.col("sources").is_null().any().alias("c"),
        pl.col("sources")
        .list.eval(refs.is_null() | (refs < 0) | (refs >= len(sources) << 32))
        .list.any()
        .any()
        .alias("d"),
        ~pl.col("date").is_between(dt.date.min, dt.date.max).fill_null(True).all().alias("e"),
    ).row(0)
    return any(found)


def _source_texts(sources: list[str], quoted: bool) -> pl.Expr:
    """The ``file:line`` texts of a finding's references (``CheckResult._ref_text``), as JSON
    text when ``quoted``."""
    names = [json.dumps(s, ensure_ascii=False)[:-1] if quoted else s for s in sources]
    ref = pl.element()
    return pl.col("sources").list.eval(
        pl.concat_str(
            (ref // (1 << 32)).replace_strict(
                list(range(len(sources))), names, return_dtype=pl.String
            ),
            pl.lit(":"),
            (ref % (1 << 32)).cast(pl.String),
            *([pl.lit('"')] if quoted else []),
        )
    )


def _csv_cell(text: pl.Expr) -> pl.Expr:
    """``safe_cell``, then quoted as ``csv.writer`` quotes."""
    text = text.fill_null("")
    text = pl.when(text.str.contains(_FORMULA)).then(pl.lit("'") + text).otherwise(text)
    quoted = pl.lit('"') + text.str.replace_all('"', '""', literal=True) + pl.lit('"')
    return pl.when(text.str.contains(_CSV_SPECIALS)).then(quoted).otherwise(text)


def _finding_text(sources: list[str], style: Style) -> pl.Expr:
    """One finding's text from its row and its rule's columns (``_evidence``, messages)."""
    date = pl.col("date").dt.to_string("%Y-%m-%d")
    zh, en = pl.col("_message_zh"), pl.col("_message_en")
    if style == "csv":
        cells = [
            pl.col("rule_id"),
            pl.col("ruleset"),
            pl.col("severity"),
            pl.col("clauses").list.join(";"),
            pl.col("employee_id"),
            date,
            pl.col("period"),
            pl.col("_evidence"),
            _source_texts(sources, quoted=False).list.join(";"),
            zh,
            en,
        ]
        return pl.concat_str([_csv_cell(c) for c in cells], separator=",")
    depth = _DEPTH if style == "json" else None
    inner = None if depth is None else depth + 1
    pairs = [
        ("rule_id", _quoted(pl.col("rule_id"))),
        ("ruleset", _quoted(pl.col("ruleset"))),
        ("severity", _quoted(pl.col("severity"))),
        (
            "clauses",
            _json_list(pl.col("clauses").list.eval(_quoted(pl.element())), inner),
        ),
        ("employee_id", _quoted(pl.col("employee_id"))),
        ("date", _quoted(date)),
        ("period", _quoted(pl.col("period"))),
        ("evidence", pl.col("_evidence")),
        ("sources", _json_list(_source_texts(sources, quoted=True), inner)),
        ("message", _json_object([("zh", _quoted(zh)), ("en", _quoted(en))], inner)),
    ]
    return _json_object(pairs, depth)


def finding_texts(
    result: CheckResult, style: Style, *, columnar: bool | None = None
) -> pl.Series | list[str]:
    """Each finding as a line of JSONL or CSV, or (``json``) as an object of the findings list
    of the JSON document, exactly as written from the ``Finding`` objects.

    ``columnar``: built column-wise (True), from the objects (False), or column-wise from
    ``COLUMNAR_FROM`` findings on (None; below, polars' fixed costs outweigh its speed)."""
    if columnar is None:
        columnar = result.frame.height >= COLUMNAR_FROM
    frame = result.frame.with_row_index(_ROW)
    rule_ids = frame.get_column("rule_id").unique(maintain_order=True).to_list()
    rules = [result.rules[rule_id] for rule_id in rule_ids]
    texts = [text for rule in rules for text in (rule.message.zh, rule.message.en)]
    if (
        not columnar
        or frame.is_empty()
        or not all(map(_is_utf8, texts))  # polars holds UTF-8 only
        or _objects_only(frame, result.sources)
    ):
        return _python_texts(result.findings, style)
    depth = None if style != "json" else _DEPTH + 1
    parts: list[pl.DataFrame] = []
    for rule_id, rule in zip(rule_ids, rules, strict=True):
        group = frame.filter(pl.col("rule_id") == rule_id)
        columns = _rule_columns(group, rule, depth)
        if columns is None:
            lines = _python_texts(result.findings_of(group.drop(_ROW)), style)
            columns = group.select(_ROW, pl.Series(_LINE, lines, dtype=pl.String))
        parts.append(columns)
    extra = pl.concat(parts, how="diagonal").sort(_ROW)
    for name in ("_evidence", "_message_zh", "_message_en", _LINE):
        if name not in extra.columns:
            extra = extra.with_columns(pl.lit(None, pl.String).alias(name))
    if extra.get_column(_LINE).null_count() == 0:
        return extra.get_column(_LINE)
    return (
        frame.hstack(extra.drop(_ROW))
        .select(pl.coalesce(pl.col(_LINE), _finding_text(result.sources, style)))
        .to_series()
    )


def write_rejects(rejects: pl.DataFrame, out: IO[str]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rejects.columns)
    writer.writerows([safe_cell(v) for v in row] for row in rejects.iter_rows())


def _table(headers: Iterable[str], rows: list[list[str]]) -> str:
    headers = list(headers)
    widths = [max([_width(h), *(_width(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True))

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in text)


def write_table(result: CheckResult, out: IO[str], *, lang: str = "en", limit: int = 30) -> None:
    info = summary(result)
    counts = info["counts"]
    period = info["period"]
    out.write(
        f"period   {period['start']} to {period['end']}\n"
        if period
        else "period   none (no punch or visit, and no --from/--to)\n"
    )
    out.write(
        f"rows     {counts['read']} read = {counts['accepted']} accepted + "
        f"{counts['rejected']} rejected\n"
    )
    for note in result.notes:
        out.write(f"note     {note}\n")
    if result.counts.rejected:
        out.write("\nrejected rows (first ones; --rejects FILE writes them all):\n")
        for row in result.rejects.head(5).iter_rows(named=True):
            where = f"{row['source']}:{row['line']}"
            field = f" {row['field']}:" if row["field"] else ""
            out.write(f"  {where}{field} {row['reason']}\n")
    out.write(f"\nfindings {len(result)}\n")
    if not len(result):
        return
    by_rule = result.counts_by("rule_id").join(
        result.frame.group_by("rule_id").agg(
            pl.col("severity").first(), pl.col("employee_id").n_unique().alias("employees")
        ),
        on="rule_id",
    )
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    rows = sorted(by_rule.iter_rows(named=True), key=lambda r: (-rank[r["severity"]], r["rule_id"]))

    def title(rule_id: str) -> str:
        text = result.rules[rule_id].title
        return text.zh if lang == "zh" else text.en

    out.write(
        "\n"
        + _table(
            ["rule", "severity", "findings", "employees", "title"],
            [
                [
                    r["rule_id"],
                    r["severity"],
                    str(r["findings"]),
                    str(r["employees"]),
                    title(r["rule_id"]),
                ]
                for r in rows
            ],
        )
        + "\n"
    )
    per_employee = (
        result.frame.pivot(
            on="severity", index="employee_id", values="rule_id", aggregate_function="len"
        )
        .fill_null(0)
        .sort("employee_id")
    )
    present = [s for s in reversed(SEVERITIES) if s in per_employee.columns]
    out.write(
        "\n"
        + _table(
            ["employee", *present, "total"],
            [
                [r["employee_id"], *(str(r[s]) for s in present), str(sum(r[s] for s in present))]
                for r in per_employee.iter_rows(named=True)
            ],
        )
        + "\n"
    )
    shown = result.findings_of(result.frame.head(limit))  # not every finding's object
    out.write(
        f"\nfirst {len(shown)} of {len(result)} findings (--format jsonl for all):\n"
        if len(result) > limit
        else "\n"
    )
    for finding in shown:
        when = finding.date.isoformat() if finding.date else finding.period
        message = finding.message.zh if lang == "zh" else finding.message.en
        clauses = ",".join(finding.clauses) or "-"
        out.write(
            f"  {finding.employee_id}  {when}  {finding.rule_id} [{finding.severity}; "
            f"{clauses}]  {message}\n"
        )


def render(result: CheckResult, fmt: str, *, lang: str = "en") -> str:
    """The whole report in one of FORMATS, as text."""
    buffer = io.StringIO()
    if fmt == "table":
        write_table(result, buffer, lang=lang)
    elif fmt == "json":
        write_json(result, buffer)
    elif fmt == "jsonl":
        write_jsonl(result, buffer)
    elif fmt == "csv":
        write_csv(result, buffer)
    else:
        raise ValueError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    return buffer.getvalue()
