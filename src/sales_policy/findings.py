"""Findings: one shape for every violation a rule finds, and the result of a check.

A finding has a rule id, its rule set, severity, handbook clauses, the employee, the local date
(or the period, for month grain), evidence (the fact values the rule names), sources (the
input rows behind it, as ``file:line``) and a bilingual message rendered from the rule's
templates only when asked for.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import polars as pl

from .errors import InvalidArgument, suggest
from .facts.chinese import COLUMN_NAMES_ZH, VALUE_NAMES_ZH
from .rejecttext import Rejection, rejections_of
from .rulesets import SEVERITIES, Rule, Text
from .validation import ref_text, ref_text_of

FINDING_SCHEMA: dict[str, Any] = {
    "rule_id": pl.String,
    "ruleset": pl.String,
    "severity": pl.String,
    "clauses": pl.List(pl.String),
    "employee_id": pl.String,
    "date": pl.Date,
    "period": pl.String,
    "evidence": pl.String,
    "sources": pl.List(pl.Int64),
}


#: what a Chinese message puts between the items of a list (an English one: ", ")
ZH_SEPARATOR = "、"


def render(template: str, values: Mapping[str, Any], separator: str = ", ") -> str:
    """Fill ``{name}`` placeholders (checked at load) with the values, as text; a list's
    items with ``separator`` between them, a null value as nothing, or as the text after
    ``|`` in ``{name|text}``."""

    def show(value: Any) -> str:
        if isinstance(value, list):
            return separator.join(str(v) for v in value)
        return "" if value is None else str(value)

    out, cursor = [], 0
    while (opening := template.find("{", cursor)) != -1:
        closing = template.index("}", opening)
        out.append(template[cursor:opening])
        name, bar, fallback = template[opening + 1 : closing].partition("|")
        value = values.get(name)
        out.append(fallback if bar and value is None else show(value))
        cursor = closing + 1
    out.append(template[cursor:])
    return "".join(out)


def named_zh(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` for a Chinese message: coded values, alone or in lists, by their Chinese
    names (``VALUE_NAMES_ZH``), everything else as it is."""

    def named(name: str, value: Any) -> Any:
        if isinstance(value, list):
            return [named(name, item) for item in value]
        return VALUE_NAMES_ZH.get(name, {}).get(value, value) if isinstance(value, str) else value

    return {name: named(name, value) for name, value in values.items()}


def evidence_texts(evidence: Mapping[str, Any], lang: str) -> list[tuple[str, str]]:
    """Each field of a finding's evidence as a report shows it, its name and its value as
    text (a list's items joined, a null as —, a truth value as JSON writes it, or 是/否); in
    Chinese (``lang="zh"``) by the Chinese names of the columns and of coded values
    (``facts.chinese``); a field's twin for one language's message (``missing_side_zh``,
    ``days_to_reversal_en``) is left out, and an amount's twin as the messages write it
    (``net_sales_text``) is shown as the amount."""
    truth = ("是", "否") if lang == "zh" else ("true", "false")

    def text(value: Any, separator: str) -> str:
        if isinstance(value, list):
            return separator.join(text(item, separator) for item in value)
        if isinstance(value, bool):
            return truth[0] if value else truth[1]
        return "—" if value is None else str(value)

    # A field's twin for one language's message (missing_side_zh, days_to_reversal_en) is
    # shown by neither: the field itself shows in Chinese by the Chinese name of its value,
    # and an English twin in a Chinese report would be English among the Chinese.
    # An amount's twin as the messages write it (net_sales_text: 252000.00 for net_sales'
    # 252000.0) gives the amount its text, once, under the amount's own name.
    written = {k[:-5]: v for k, v in evidence.items() if k.endswith("_text") and k[:-5] in evidence}
    fields = {
        k: written.get(k, v)
        for k, v in evidence.items()
        if not (k.endswith(("_zh", "_en")) and k[:-3] in evidence)
        and not (k.endswith("_text") and k[:-5] in evidence)
    }
    if lang == "zh":
        shown = named_zh(fields)
        return [(COLUMN_NAMES_ZH.get(k, k), text(v, ZH_SEPARATOR)) for k, v in shown.items()]
    return [(name, text(value, ", ")) for name, value in fields.items()]


@dataclass(frozen=True)
class Finding:
    """One violation, with the clause it enforces and the evidence for it."""

    rule_id: str
    ruleset: str
    severity: str
    clauses: tuple[str, ...]
    employee_id: str
    date: dt.date | None
    period: str | None
    #: compared, but not hashed (a dict has no hash): a finding is hashable, as its frozen
    #: dataclass promises, and equal findings have equal hashes
    evidence: dict[str, Any] = field(hash=False)
    sources: tuple[str, ...]
    message: Text

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (the fields of the jsonl output)."""
        return {
            "rule_id": self.rule_id,
            "ruleset": self.ruleset,
            "severity": self.severity,
            "clauses": list(self.clauses),
            "employee_id": self.employee_id,
            "date": self.date.isoformat() if self.date else None,
            "period": self.period,
            "evidence": dict(self.evidence),
            "sources": list(self.sources),
            "message": {"zh": self.message.zh, "en": self.message.en},
        }


@dataclass(frozen=True)
class Counts:
    """Every input row ends accepted or rejected: ``read == accepted + rejected``.
    ``by_type``: rows accepted per record type; ``by_source``: rows read per source (a file,
    ``file[sheet]``, ``<records>``...), in the order given, which with the rejects' sources
    gives each file's own accounting (``CheckResult.counts_by_source``)."""

    read: int
    accepted: int
    rejected: int
    by_type: dict[str, int] = field(default_factory=dict, hash=False)
    by_source: dict[str, int] = field(default_factory=dict, hash=False, compare=False, repr=False)


class Note(str):
    """A remark for the reader of a result (rules disabled, timestamps read without an
    offset, rules not judged): the English text, with the Chinese as ``zh`` and what it is
    about as ``kind``, a name that stays as the texts change (docs/cli.md, "Notes"), for
    code that acts on a note (``[n for n in result.notes if n.kind == "copies"]``).

    A note is the English ``str`` itself, so code that prints or compares notes as text
    reads English; reports in Chinese take ``zh``."""

    zh: str
    kind: str

    def __new__(cls, en: str, zh: str, *, kind: str) -> Note:
        note = super().__new__(cls, en)
        note.zh = zh
        note.kind = kind
        return note

    def __getnewargs_ex__(self) -> tuple[tuple[str, str], dict[str, str]]:
        return (str(self), self.zh), {"kind": self.kind}

    @property
    def en(self) -> str:
        return str(self)


def note_text(note: str, lang: str) -> str:
    """A note in ``lang`` ("zh" or "en"); a plain ``str`` (a note made by other code) has
    its own text only."""
    return note.zh if lang == "zh" and isinstance(note, Note) else str(note)


@dataclass(eq=False, repr=False)
class CheckResult:
    """What a check found: findings, rejected rows, counts, and the period judged.

    ``table`` holds the findings as the check made them (``FINDING_SCHEMA``), what reports
    read: their ``sources`` are references packed as integers (``validation.make_ref``);
    ``frame``, ``findings`` and the reports give them as ``file:line``.

    Two results are equal when they are the same object (their tables are DataFrames, which
    compare cell by cell); ``repr`` says what the result holds, in a line."""

    table: pl.DataFrame
    rejects: pl.DataFrame
    counts: Counts
    period: tuple[dt.date, dt.date] | None
    rules: dict[str, Rule]
    sources: list[str]
    notes: list[Note] = field(default_factory=list)
    facts: dict[str, pl.DataFrame] = field(default_factory=dict, repr=False)
    #: per rule, fact rows whose window had not closed by the end of the period: not judged
    pending: dict[str, int] = field(default_factory=dict)
    #: the employee records read (employee_id, name, team, hired_on, left_on), for reports
    #: and scores
    employees: pl.DataFrame = field(
        default_factory=lambda: pl.DataFrame(
            schema={
                "employee_id": pl.String,
                "name": pl.String,
                "team": pl.String,
                "hired_on": pl.Date,
                "left_on": pl.Date,
            }
        ),
        repr=False,
    )
    #: the rule sets whose findings the result reports (a check's ``rulesets``, in the
    #: policy's order); None for every rule set of the policy
    rulesets: tuple[str, ...] | None = None

    def __repr__(self) -> str:
        period = f"{self.period[0]} to {self.period[1]}" if self.period else None
        return (
            f"<CheckResult: {self.table.height} findings, {self.counts.read} rows read = "
            f"{self.counts.accepted} accepted + {self.counts.rejected} rejected, "
            f"period {period}, {len(self.notes)} notes>"
        )

    @cached_property
    def frame(self) -> pl.DataFrame:
        """The findings as a polars DataFrame, one row each, in the order of ``findings``: the
        fields of the jsonl output but the message (rendered only when asked for), with
        ``evidence`` as JSON text and ``sources`` as ``file:line`` texts."""
        refs = pl.col("sources").list.eval(ref_text(pl.element(), self.sources))
        return self.table.with_columns(refs)

    def all_rejected(self) -> dict[str, int]:
        """The record types of which rows were read but none accepted, with how many were
        rejected: the check went on without any of them (every day an absence, say, when
        every punch had a date in another format)."""
        rejected = self.rejects.drop_nulls("record_type").group_by("record_type").len()
        return {
            record_type: count
            for record_type, count in sorted(rejected.iter_rows())
            if not self.counts.by_type.get(record_type)
        }

    @property
    def rejections(self) -> list[Rejection]:
        """The rejected rows, in the order of ``rejects``, each with its reason in English
        (``str(rejection.reason)``) and in Chinese (``rejection.reason.zh``), for a program
        that shows them to people; ``rejects`` is the same as data."""
        return rejections_of(self.rejects)

    @property
    def waiting(self) -> dict[str, int]:
        """``pending`` without the rules that left nothing pending: what reports tell."""
        return {rule: n for rule, n in self.pending.items() if n}

    @cached_property
    def _finding_objects(self) -> tuple[Finding, ...]:
        return tuple(self.findings_of(self.table))

    @property
    def findings(self) -> list[Finding]:
        """The findings as objects, ordered by employee, date or period, and rule: a list of
        its own each time (the objects made once), so that sorting or filtering it in place
        leaves the result, its iteration and its ``frame`` in the same order."""
        return list(self._finding_objects)

    def findings_of(self, frame: pl.DataFrame) -> list[Finding]:
        """The findings of some rows of ``table`` or of ``frame`` (its head, a filter of it)
        as objects: ``frame``'s sources are ``file:line`` already, ``table``'s packed."""
        if not isinstance(frame, pl.DataFrame):
            raise InvalidArgument(
                f"findings_of takes rows of the result's frame or table (a polars DataFrame), "
                f"not {type(frame).__name__}"
            )
        missing = [name for name in FINDING_SCHEMA if name not in frame.columns]
        unknown = set() if missing else set(frame.get_column("rule_id").unique()) - set(self.rules)
        if missing or unknown:
            what = f"no column {', '.join(missing)}" if missing else f"rules {sorted(unknown)}"
            raise InvalidArgument(
                f"findings_of takes rows of the result's frame or table; these have {what}"
            )
        result = []
        for row in frame.iter_rows(named=True):
            rule = self.rules[row["rule_id"]]
            evidence = json.loads(row["evidence"])
            values = {
                **evidence,
                "employee_id": row["employee_id"],
                "period": row["period"],
                "date": row["date"].isoformat() if row["date"] else None,
            }
            result.append(
                Finding(
                    rule_id=row["rule_id"],
                    ruleset=row["ruleset"],
                    severity=row["severity"],
                    clauses=tuple(row["clauses"]),
                    employee_id=row["employee_id"],
                    date=row["date"],
                    period=row["period"],
                    evidence=evidence,
                    sources=tuple(
                        r if isinstance(r, str) else ref_text_of(r, self.sources)
                        for r in row["sources"]
                    ),
                    message=Text(
                        render(rule.message.zh, named_zh(values), ZH_SEPARATOR),
                        render(rule.message.en, values),
                    ),
                )
            )
        return result

    def __iter__(self) -> Iterator[Finding]:
        return iter(self._finding_objects)

    def __len__(self) -> int:
        return self.table.height

    def worst_severity(self) -> str | None:
        present = set(self.table.get_column("severity").to_list())
        ranked = [s for s in SEVERITIES if s in present]
        return ranked[-1] if ranked else None

    def counts_by_source(self) -> pl.DataFrame:
        """Each source's rows (``source``: a file, ``file[sheet]``, ``<records>``...), in the
        order given: ``read``, ``accepted`` and ``rejected``, ``read == accepted + rejected``
        for each, as for the whole check; an analyst's check that every row of every export
        was accounted for."""
        rejects = self.rejects
        rejected = {} if rejects.is_empty() else dict(rejects["source"].value_counts().iter_rows())
        sources = list(self.counts.by_source)
        read = [self.counts.by_source[s] for s in sources]
        refused = [int(rejected.get(s, 0)) for s in sources]
        return pl.DataFrame(
            {
                "source": sources,
                "read": read,
                "accepted": [r - n for r, n in zip(read, refused, strict=True)],
                "rejected": refused,
            },
            schema={
                "source": pl.String,
                "read": pl.Int64,
                "accepted": pl.Int64,
                "rejected": pl.Int64,
            },
        )

    def counts_by(self, *columns: str) -> pl.DataFrame:
        """Finding counts grouped by the given columns (e.g. "rule_id", "employee_id"), a
        column ``findings`` beside them."""
        known = [c for c in FINDING_SCHEMA if c not in ("evidence", "sources")]
        if not columns:
            raise InvalidArgument(f"counts_by needs one column or more, of: {', '.join(known)}")
        for column in columns:
            if column not in known:
                raise InvalidArgument(
                    f"counts_by: findings are not counted by {column!r}{suggest(column, known)}"
                )
        return self.table.group_by(*columns).len("findings").sort(*columns)
