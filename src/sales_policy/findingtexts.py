"""The text of findings as JSON, JSONL and CSV lines, built column-wise.

Each line is exactly what ``json.dumps(finding.to_dict(), ensure_ascii=False)`` (indented, in
the json format) or ``columntext.csv_line`` would write for the ``Finding`` object, but built with
polars over all findings of a rule at once rather than one Python object per finding; a rule
whose evidence holds values this cannot write exactly (numbers with a fraction, nested values)
has its findings written the Python way.  Each rule's evidence is read with the type the
engine writes it with, all rules in one polars collection, and must read back to the very
text; evidence that does not has its type read from the text, rule by rule.  The text of a
rule's evidence and messages is :mod:`sales_policy.ruletexts`', and that of each value
:mod:`sales_policy.columntext`'s, which also writes the lines out.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

import polars as pl

from .columntext import (
    INDENT,
    DType,
    csv_cell,
    csv_line,
    json_list,
    json_object,
    json_parts,
    pad,
    quoted,
    safe_cell,
)
from .engine import evidence_dtype
from .errors import is_utf8
from .findings import CheckResult, Finding
from .rulesets import Rule
from .ruletexts import FINDING_DEPTH, Style, rule_texts
from .validation import ref_line, ref_source, ref_text

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


# Column-wise rendering.  Every helper gives the exact text that the Python objects would.

_ROW = "_row"
_LINE = "_line"
_DECODED = "_decoded"
_EXACT = "_exact"
_SAME_HEAD = "_same_head"
#: from how many findings on reports are built column-wise
COLUMNAR_FROM = 500


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
    texts = rule_texts(rule, fields, style)
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
    texts = rule_texts(rule, fields, style)
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
            texts.append(csv_line(csv_row(finding)))
        elif style == "json":
            text = json.dumps(finding.to_dict(), ensure_ascii=False, indent=INDENT)
            texts.append(text.replace("\n", pad(FINDING_DEPTH)))
        else:
            texts.append(json.dumps(finding.to_dict(), ensure_ascii=False))
    return texts


def _objects_only(frame: pl.DataFrame, sources: list[str]) -> bool:
    """Whether some finding has what only its object handles (by failing, as it does): no
    clauses or sources list, a missing item in one, a reference to no known source, a date
    outside Python's; or a source whose name is not UTF-8 (undecodable bytes in a path)."""
    if not all(map(is_utf8, sources)):
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
    """The ``file:line`` texts of a finding's references (``validation.ref_text``), as JSON
    text when ``quoted``."""
    if not quoted:
        return pl.col("sources").list.eval(ref_text(pl.element(), sources))
    names = [json.dumps(s, ensure_ascii=False)[:-1] for s in sources]  # the closing quote: below
    ref = pl.element()
    return pl.col("sources").list.eval(
        pl.concat_str(
            ref_source(ref, names), pl.lit(":"), ref_line(ref).cast(pl.String), pl.lit('"')
        )
    )


#: the fields that lead a finding's text, the same for every finding of a rule in a check
_HEAD = ("rule_id", "ruleset", "severity", "clauses")


def _finding_parts(sources: list[str], style: Style) -> tuple[list[pl.Expr], list[pl.Expr]]:
    """One finding's text from its row and its rule's columns (``_evidence``, messages as
    ``ruletexts.rule_texts`` gives them), as the texts to concatenate: those of the ``_HEAD``
    fields, and the rest."""
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
        parts = [p for cell in cells for p in (pl.lit(","), csv_cell(cell))][1:]
        return parts[: 2 * len(_HEAD)], parts[2 * len(_HEAD) :]
    depth = FINDING_DEPTH if style == "json" else None
    inner = None if depth is None else depth + 1
    pairs = [
        ("rule_id", quoted(pl.col("rule_id"))),
        ("ruleset", quoted(pl.col("ruleset"))),
        ("severity", quoted(pl.col("severity"))),
        (
            "clauses",
            json_list(pl.col("clauses").list.eval(quoted(pl.element())), inner),
        ),
        ("employee_id", quoted(pl.col("employee_id"))),
        ("date", (pl.lit('"') + date + pl.lit('"')).fill_null("null")),  # nothing to escape
        ("period", quoted(pl.col("period"))),
        ("evidence", pl.col("_evidence")),
        ("sources", json_list(_source_texts(sources, quoted=True), inner)),
        ("message", json_object([("zh", zh), ("en", en)], inner)),
    ]
    parts = json_parts(pairs, depth)
    return parts[: 3 * len(_HEAD)], parts[3 * len(_HEAD) :]


def finding_texts(
    result: CheckResult, style: Style, *, columnar: bool | None = None
) -> pl.Series | list[str]:
    """Each finding as a line of JSONL or CSV, or (``json``) as an object of the findings list
    of the JSON document, exactly as written from the ``Finding`` objects.

    ``columnar``: built column-wise (True), from the objects (False), or column-wise from
    ``COLUMNAR_FROM`` findings on (None; below, polars' fixed costs outweigh its speed)."""
    if columnar is None:
        columnar = result.table.height >= COLUMNAR_FROM
    frame = result.table.with_row_index(_ROW)
    firsts = frame.filter(pl.col("rule_id").is_first_distinct())
    rule_ids = firsts.get_column("rule_id").to_list()
    rules = [result.rules[rule_id] for rule_id in rule_ids]
    texts = [text for rule in rules for text in (rule.message.zh, rule.message.en)]
    if (
        not columnar
        or frame.is_empty()
        or not all(map(is_utf8, texts))  # polars holds UTF-8 only
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
