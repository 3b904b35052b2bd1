"""The text of findings as JSON, JSONL and CSV lines, built column-wise.

Each line is exactly what ``json.dumps(finding.to_dict(), ensure_ascii=False)`` (indented, in
the json format) or ``csv.writer`` would write for the ``Finding`` object, but built with
polars over all findings of a rule at once rather than one Python object per finding; a rule
whose evidence holds values this cannot write exactly (numbers with a fraction, nested values)
has its findings written the Python way.  Each rule's evidence is read with the type the
engine writes it with, all rules in one polars collection, and must read back to the very
text; evidence that does not has its type read from the text, rule by rule.

CSV cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
tab or carriage return) are prefixed with ``'`` so they show as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any, Literal, TypeAlias

import polars as pl
from polars.datatypes import DataTypeClass

from .engine import evidence_dtype
from .findings import CheckResult, Finding
from .rulesets import Rule

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


def csv_row(finding: Finding) -> list[str]:
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


#: how many lines are joined to one text and written at a time
_LINES_PER_WRITE = 1024


class Utf8Output(io.TextIOWrapper):
    """A text stream writing UTF-8, and ``\n`` as it is, to a binary one: ``write_joined``
    hands it the bytes polars holds, without making Python text of them to encode again
    (a million punches' JSONL: 47–92 ms → 14–32 ms)."""

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__(raw, encoding="utf-8", newline="")


def write_joined(out: IO[str], lines: pl.Series | list[str], separator: str) -> None:
    """Write the lines with the separator between them.

    Lines made by polars are joined and written a thousand or so at a time, never held twice
    in memory: as their UTF-8 bytes to a ``Utf8Output``, else as text (Python reads a polars
    text of that size and encodes it for a file several times faster than one text of all the
    lines)."""
    if isinstance(lines, list):
        out.write(separator.join(lines))
        return
    if isinstance(out, Utf8Output):
        out.flush()
        for start in range(0, lines.len(), _LINES_PER_WRITE):
            if start:
                out.buffer.write(separator.encode())
            joined = lines.slice(start, _LINES_PER_WRITE).str.join(separator)
            out.buffer.write(joined.cast(pl.Binary).item())
        return
    for start in range(0, lines.len(), _LINES_PER_WRITE):
        if start:
            out.write(separator)
        out.write(lines.slice(start, _LINES_PER_WRITE).str.join(separator).item())


# Column-wise rendering.  Every helper gives the exact text that the Python objects would.

Style = Literal["json", "jsonl", "csv"]
DType: TypeAlias = pl.DataType | DataTypeClass
_INDENT = 2  # of the json format
FINDING_DEPTH = 2  # of a finding in the json document: the document's, then its list's
#: json.dumps' escapes (ensure_ascii=False escapes nothing else)
_ESCAPES = {c: json.dumps(c)[1:-1] for c in [*map(chr, range(0x20)), '"', "\\"]}
#: the same as the two list literals that ``str.replace_many`` makes of a mapping, made once
_ESCAPED_CHARACTERS = pl.lit(list(_ESCAPES))
_ESCAPE_SEQUENCES = pl.lit(list(_ESCAPES.values()))
_ROW = "_row"
_LINE = "_line"
_DECODED = "_decoded"
_EXACT = "_exact"
_SAME_HEAD = "_same_head"
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


def _escaped(text: pl.Expr) -> pl.Expr:
    """A string as it is inside the quotes of its JSON text."""
    return text.str.replace_many(_ESCAPED_CHARACTERS, _ESCAPE_SEQUENCES)


def _quoted(text: pl.Expr) -> pl.Expr:
    """A string as JSON text; null as ``null``."""
    return (pl.lit('"') + _escaped(text) + pl.lit('"')).fill_null("null")


def pad(depth: int) -> str:
    return "\n" + " " * (_INDENT * depth)


def _json_list(items: pl.Expr, depth: int | None) -> pl.Expr:
    """A list of already encoded items (a null list as ``null``); ``depth`` is the list's
    when indented."""
    if depth is None:
        return pl.concat_str(pl.lit("["), items.list.join(", "), pl.lit("]")).fill_null("null")
    inside = pl.concat_str(
        pl.lit("[" + pad(depth + 1)),
        items.list.join("," + pad(depth + 1)),
        pl.lit(pad(depth) + "]"),
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
    return pl.concat_str(_json_parts(pairs, depth))


def _json_parts(pairs: list[tuple[str, pl.Expr]], depth: int | None) -> list[pl.Expr]:
    """The texts that make a non-empty object of already encoded values, in order: for each
    pair the text before its key, its key and its value; then the closing text."""
    if depth is None:
        first, between, last = "{", ", ", "}"
    else:
        first, between, last = "{" + pad(depth + 1), "," + pad(depth + 1), pad(depth) + "}"
    parts: list[pl.Expr] = []
    for key, value in pairs:
        parts += [
            pl.lit(between if parts else first),
            pl.lit(json.dumps(key, ensure_ascii=False) + ": "),
            value,
        ]
    return [*parts, pl.lit(last)]


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


@dataclass(frozen=True)
class _RuleTexts:
    """How to write one rule's evidence and messages: ``escapes`` are columns to add first
    (``_escaped_<name>``: a text field escaped for JSON once, for its evidence value and for
    the messages that show it), then ``evidence`` is the evidence's JSON text and ``zh`` and
    ``en`` the messages, as text for CSV, as JSON text otherwise."""

    escapes: list[pl.Expr]
    evidence: pl.Expr
    zh: pl.Expr
    en: pl.Expr


def _rule_texts(rule: Rule, fields: dict[str, DType], style: Style) -> _RuleTexts | None:
    """The texts of one rule's findings from the evidence fields as columns
    ``_evidence_<name>``; None when a field's type or a message is not written exactly this
    way.

    A message's JSON text escapes the values it shows and the template's text apart: the
    template's once, and a text value's escaping is the one its evidence JSON needs too."""
    if not all(map(_is_utf8, (rule.message.zh, rule.message.en))):
        return None  # polars holds UTF-8 only
    try:
        templates = [_template(rule.message.zh), _template(rule.message.en)]
    except ValueError:
        return None
    used = {part for parts in templates for named, part in parts if named}
    depth = FINDING_DEPTH + 1 if style == "json" else None
    pairs = []
    escapes = []
    shown: dict[str, pl.Expr] = {}
    for name, dtype in fields.items():
        column = pl.col(f"_evidence_{name}")
        text = _shown(column, dtype)
        if dtype == pl.String:
            escapes.append(_escaped(column).alias(f"_escaped_{name}"))
            escaped = pl.col(f"_escaped_{name}")
            value: pl.Expr | None = (pl.lit('"') + escaped + pl.lit('"')).fill_null("null")
        else:
            value = _json_value(column, dtype, None if depth is None else depth + 1)
        if value is None or text is None:
            return None
        pairs.append((name, value))
        if name not in used:
            continue
        if style == "csv" or not _may_need_escapes(dtype):
            shown[name] = text
        elif dtype == pl.String:
            shown[name] = escaped.fill_null("")  # what _shown gives, escaped
        else:
            shown[name] = _escaped(text)
    for name in used.intersection(("employee_id", "period")):
        text = pl.col(name).fill_null("")
        shown[name] = text if style == "csv" else _escaped(pl.col(name)).fill_null("")
    if "date" in used:
        shown["date"] = pl.col("date").dt.to_string("%Y-%m-%d").fill_null("")

    def literal(part: str) -> pl.Expr:
        return pl.lit(part if style == "csv" else json.dumps(part, ensure_ascii=False)[1:-1])

    zh, en = (
        pl.concat_str(
            [shown.get(part, pl.lit("")) if named else literal(part) for named, part in parts]
        )
        for parts in templates
    )
    if style != "csv":
        zh, en = (pl.concat_str(pl.lit('"'), message, pl.lit('"')) for message in (zh, en))
    return _RuleTexts(escapes, _json_object(pairs, depth), zh, en)


def _may_need_escapes(dtype: DType) -> bool:
    """Whether a value of this type can show characters that JSON escapes: numbers, truth
    values and nothing show none."""
    inner = dtype.inner if isinstance(dtype, pl.List) else dtype
    return not (inner.is_integer() or inner in (pl.Null, pl.Boolean))


def _rule_columns(group: pl.DataFrame, rule: Rule, style: Style) -> pl.DataFrame | None:
    """Evidence as JSON text and the two messages, for the findings of one rule, with the
    evidence's types read from its text; None when the evidence holds values this does not
    write exactly."""
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
    texts = _rule_texts(rule, fields, style)
    if texts is None:
        return None
    return frame.with_columns(texts.escapes).select(
        _ROW,
        texts.evidence.alias("_evidence"),
        texts.zh.alias("_message_zh"),
        texts.en.alias("_message_en"),
    )


def _rule_query(frame: pl.LazyFrame, rule_id: str, rule: Rule, style: Style) -> pl.LazyFrame | None:
    """``_rule_columns`` of one rule as a lazy query, with ``_EXACT``: whether every evidence
    text reads back to the very text, and ``_SAME_HEAD``: whether every finding has the
    first one's ``_HEAD`` fields; None when the rule's evidence type is unknown or not
    written exactly this way.

    The evidence is decoded as the engine writes it for this rule (``engine.evidence_dtype``):
    knowing its type lets every rule's query be collected together, where reading the type
    from the text takes several steps per rule."""
    dtype = evidence_dtype(rule)
    if dtype is None:
        return None
    fields: dict[str, DType] = {f.name: f.dtype for f in dtype.fields}
    texts = _rule_texts(rule, fields, style)
    if texts is None:
        return None
    evidence = pl.col("evidence")
    group = frame.filter(pl.col("rule_id") == rule_id)
    if fields:
        group = group.with_columns(evidence.str.json_decode(dtype).alias(_DECODED))
        read_back = pl.col(_DECODED).struct.json_encode() == evidence
        group = group.with_columns(
            pl.col(_DECODED).struct.field(name).alias(f"_evidence_{name}") for name in fields
        )
    else:
        read_back = evidence == "{}"
    same_head = [pl.col(name).eq_missing(pl.col(name).first()) for name in _HEAD]
    return group.with_columns(texts.escapes).select(
        _ROW,
        read_back.fill_null(False).all().alias(_EXACT),
        pl.all_horizontal(same_head).all().alias(_SAME_HEAD),
        texts.evidence.alias("_evidence"),
        texts.zh.alias("_message_zh"),
        texts.en.alias("_message_en"),
    )


def _python_texts(findings: Iterable[Finding], style: Style) -> list[str]:
    """The texts of some findings, written from their objects."""
    texts = []
    for finding in findings:
        if style == "csv":
            buffer = io.StringIO()
            csv.writer(buffer, lineterminator="\n").writerow(csv_row(finding))
            texts.append(buffer.getvalue().removesuffix("\n"))
        elif style == "json":
            text = json.dumps(finding.to_dict(), ensure_ascii=False, indent=_INDENT)
            texts.append(text.replace("\n", pad(FINDING_DEPTH)))
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


#: the fields that lead a finding's text, the same for every finding of a rule in a check
_HEAD = ("rule_id", "ruleset", "severity", "clauses")


def _finding_parts(sources: list[str], style: Style) -> tuple[list[pl.Expr], list[pl.Expr]]:
    """One finding's text from its row and its rule's columns (``_evidence``, messages as
    ``_rule_texts`` gives them), as the texts to concatenate: those of the ``_HEAD`` fields,
    and the rest."""
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
        parts = [p for cell in cells for p in (pl.lit(","), _csv_cell(cell))][1:]
        return parts[: 2 * len(_HEAD)], parts[2 * len(_HEAD) :]
    depth = FINDING_DEPTH if style == "json" else None
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
        ("date", (pl.lit('"') + date + pl.lit('"')).fill_null("null")),  # nothing to escape
        ("period", _quoted(pl.col("period"))),
        ("evidence", pl.col("_evidence")),
        ("sources", _json_list(_source_texts(sources, quoted=True), inner)),
        ("message", _json_object([("zh", zh), ("en", en)], inner)),
    ]
    parts = _json_parts(pairs, depth)
    return parts[: 3 * len(_HEAD)], parts[3 * len(_HEAD) :]


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
    firsts = frame.filter(pl.col("rule_id").is_first_distinct())
    rule_ids = firsts.get_column("rule_id").to_list()
    rules = [result.rules[rule_id] for rule_id in rule_ids]
    texts = [text for rule in rules for text in (rule.message.zh, rule.message.en)]
    if (
        not columnar
        or frame.is_empty()
        or not all(map(_is_utf8, texts))  # polars holds UTF-8 only
        or _objects_only(frame, result.sources)
    ):
        return _python_texts(result.findings, style)
    queries = {
        rule_id: query
        for rule_id, rule in zip(rule_ids, rules, strict=True)
        if (query := _rule_query(frame.lazy(), rule_id, rule, style)) is not None
    }
    head, rest = _finding_parts(result.sources, style)
    collected, heads = _collected_columns(queries, firsts.lazy().select(pl.concat_str(head)))
    parts: list[pl.DataFrame] = []
    for rule_id, rule in zip(rule_ids, rules, strict=True):
        if rule_id in collected:
            parts.append(collected[rule_id].drop(_SAME_HEAD))
            continue
        group = frame.filter(pl.col("rule_id") == rule_id)
        columns = _rule_columns(group, rule, style)
        if columns is None:
            lines = _python_texts(result.findings_of(group.drop(_ROW)), style)
            columns = group.select(_ROW, pl.Series(_LINE, lines, dtype=pl.String))
        parts.append(columns)
    extra = pl.concat(parts, how="diagonal").sort(_ROW)
    if "_evidence" not in extra.columns:
        return extra.get_column(_LINE)
    if len(collected) == len(rule_ids) and all(c[_SAME_HEAD][0] for c in collected.values()):
        # One text per rule, found by its id, rather than the same text made per finding.
        head = [pl.col("rule_id").replace_strict(rule_ids, heads, return_dtype=pl.String)]
    text = pl.concat_str([*head, *rest])
    if _LINE in extra.columns:
        text = pl.coalesce(pl.col(_LINE), text)
    return frame.hstack(extra.drop(_ROW)).select(text.alias(_LINE)).to_series()


def _collected_columns(
    queries: dict[str, pl.LazyFrame], heads: pl.LazyFrame
) -> tuple[dict[str, pl.DataFrame], pl.Series]:
    """The columns of the rules whose query ran and found their evidence exact, and the
    texts of the rules' ``_HEAD`` fields (``heads``), all collected together."""
    try:
        frames = pl.collect_all([*queries.values(), heads], engine="in-memory")
    except pl.exceptions.PolarsError:  # evidence of another type: each rule alone
        frames = []
        for query in queries.values():
            try:
                frames.append(query.collect(engine="in-memory"))
            except pl.exceptions.PolarsError:
                frames.append(pl.DataFrame({_EXACT: [False]}))
        frames.append(heads.collect(engine="in-memory"))
    found = {
        rule_id: columns.drop(_EXACT)
        for rule_id, columns in zip(queries, frames, strict=False)
        if columns.get_column(_EXACT)[0]
    }
    return found, frames[-1].to_series()
