"""What a command says on standard error beside its report, so that every row is accounted
for whatever the report's format: the rejected rows (to ``--rejects``, counted, the first
shown where no row was accepted or ``--strict`` refuses any), the notes a format without
notes would leave unsaid, and the rows not judged.  ``cli`` runs the commands."""

from __future__ import annotations

import argparse
import sys

from .findings import CheckResult, note_text
from .inputnotes import some
from .outputs import STDOUT, naming, replacing
from .reports import reject_table, write_rejects
from .termtext import terminal_text

#: a report's file name that means standard output (``-o -``, ``--rejects -``), as for most
#: commands that write files
STANDARD_OUTPUT = "-"


def is_standard_output(target: object) -> bool:
    """Whether an output option names standard output (``-``) rather than a file."""
    return target is not None and str(target) == STANDARD_OUTPUT


class UsageError(Exception):
    """A command-line problem: printed, exit 2."""


def account(result: CheckResult, args: argparse.Namespace) -> None:
    """Every row accounted for before a report is written: the rejected rows to
    ``--rejects``, and a usage error when no row was accepted, or any was rejected under
    ``--strict`` (the first rejects shown)."""
    if is_standard_output(args.rejects):
        with naming(STDOUT):
            write_rejects(result.rejects, sys.stdout)
    elif args.rejects:
        with replacing(args.rejects) as out:
            write_rejects(result.rejects, out)
    counts = result.counts
    if counts.accepted == 0:
        rejects_hint(result, args)
        raise UsageError(
            f"no row accepted ({counts.read} read, {counts.rejected} rejected){_empty(result)}"
        )
    if args.strict and counts.rejected:
        rejects_hint(result, args)
        raise UsageError(f"{counts.rejected} of {counts.read} rows rejected (--strict)")


def _empty(result: CheckResult) -> str:
    """The inputs of no row (a header alone, an empty file), named where no row was accepted:
    an export of the wrong period or a failed one, which "0 read" alone leaves to be found."""
    empty = [source for source, n in result.counts.by_source.items() if not n]
    if not empty:
        return ""
    named, more, _ = some(empty)
    if len(empty) == len(result.counts.by_source):
        every = "the input holds" if len(empty) == 1 else "every input holds"
        return f": {every} no row (a header alone, or an empty file): {named}{more}"
    inputs = "input holds" if len(empty) == 1 else "inputs hold"
    return f"; {len(empty)} {inputs} no row (a header alone, or an empty file): {named}{more}"


def say_rejected(result: CheckResult, args: argparse.Namespace) -> None:
    """The count of rejected rows on stderr, for reports that do not show it."""
    counts = result.counts
    if counts.rejected:
        sys.stderr.write(
            f"sales-policy: {counts.rejected} of {counts.read} rows rejected"
            f"{'' if args.rejects else ' (--rejects FILE lists them)'}\n"
        )


#: the kinds of notes of days judged without an attendance log (``checknotes``)
_ATTENDANCE_LOG_NOTES = ("no_attendance_log", "months_without_log", "months_without_punch")

#: the kinds of notes of inputs that may not be what they seem (``checknotes``, docs/cli.md)
INPUT_NOTES = (
    "empty_inputs",
    "utf8_too",
    "copies",
    "repeated_record_ids",
    "repeated_rows",
    "hidden_characters",
    "leading_zeros",
    "unlisted_ids",
    "outside_employment",
    "outside_period",
    "period_edge",
)


def say_notes(result: CheckResult, *, inputs: bool = False, lang: str = "en") -> None:
    """The notes of days judged without an attendance log (none in the input, or none in
    months of the period) or without punches (months of visits alone), on stderr for
    reports that do not show notes; with ``inputs``, for reports of no notes at all, those
    of inputs that may not be what they seem too (a copy, a file read garbled).  In ``lang``,
    the ``--lang`` of the command, as the first rejects (``rejects_hint``)."""
    for note in result.notes:
        kind = getattr(note, "kind", "")
        if kind in _ATTENDANCE_LOG_NOTES or (inputs and kind in INPUT_NOTES):
            sys.stderr.write(f"sales-policy: {terminal_text(note_text(note, lang))}\n")


def rejects_hint(result: CheckResult, args: argparse.Namespace) -> None:
    """The first rejects, in the language of the table report (``--lang`` of ``check`` and
    ``score``; ``report``'s is the language its page opens in, both languages on it)."""
    if result.counts.rejected:
        lang = args.lang if args.command in ("check", "score") else "en"
        sys.stderr.write(reject_table(result.rejects, lang=lang) + "\n")


def say_unjudged(result: CheckResult, *, findings_alone: bool) -> None:
    """The record types of which every row was rejected (the check went on without them),
    for reports without notes; with ``findings_alone`` (``jsonl``, ``csv``: formats of
    findings alone), the rows not judged yet too, their window still open at the end."""
    emptied = result.all_rejected()
    if emptied:
        sys.stderr.write(
            "sales-policy: every row was rejected of: "
            f"{', '.join(f'{name} ({n})' for name, n in emptied.items())}; "
            "the check went on without them\n"
        )
    waiting = result.waiting
    if findings_alone and waiting:
        total = sum(waiting.values())
        sys.stderr.write(
            f"sales-policy: {total} {'row' if total == 1 else 'rows'} not judged yet, their "
            "window still open at the end of the period "
            f"({', '.join(f'{rule} {n}' for rule, n in waiting.items())})\n"
        )
