"""The input files of ``sales-policy check``, read while the rest of the command starts.

Once polars is loaded, the command still imports its other modules and loads the policy
(~0.05-0.1 s) before it reads its inputs; polars reads files without holding the
interpreter, so the command (``sales_policy.console``) starts reading them first, in a thread.
The command line is scanned for the inputs ahead of argparse, and conservatively: on an
option not known here (an abbreviation, ``-h``, ``--``), or with ``--map`` or ``--encoding``,
nothing is read ahead.  What was read ahead is used only when it is exactly what the check
reads itself: the inputs and record type argparse found, and a policy without a column
mapping or encoding (``Prefetch.raw_inputs``); else it is dropped, and the check reads the
files as ever.  So a scan that misreads a command line costs time, never a wrong result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .background import InThread

if TYPE_CHECKING:
    from .mapping import ColumnMapping
    from .rawframes import RawInputs

#: the options of ``check`` that take a value (``tests/test_prefetch.py`` holds this to
#: ``sales_policy.cliargs``)
VALUED_OPTIONS = frozenset(
    {
        "--policy",
        "--map",
        "--type",
        "--encoding",
        "--from",
        "--to",
        "--period",
        "--format",
        "-o",
        "--output",
        "--rejects",
        "--fail-on",
        "--ruleset",
        "--lang",
    }
)
#: the options of ``check`` that take none
FLAG_OPTIONS = frozenset({"--strict"})


def scan(argv: Sequence[str]) -> tuple[list[str], str | None] | None:
    """The inputs and ``--type`` of a ``check`` command line, or None: another command,
    ``--map`` or ``--encoding`` given, or anything this scan does not know."""
    if not argv or argv[0] != "check":
        return None
    inputs: list[str] = []
    record_type = None
    tokens = iter(argv[1:])
    for token in tokens:
        if not token.startswith("-") or token == "-":
            inputs.append(token)
            continue
        name, equals, value = token.partition("=")
        if name in FLAG_OPTIONS and not equals:
            continue
        if name not in VALUED_OPTIONS or name in ("--map", "--encoding"):
            return None
        if not equals:
            following = next(tokens, None)
            if following is None:
                return None
            value = following
        if name == "--type":
            record_type = value
    return (inputs, record_type) if inputs else None


@dataclass
class Prefetch:
    """Inputs being read ahead, and what they were read as."""

    inputs: list[str]
    record_type: str | None
    reading: InThread[RawInputs]

    def raw_inputs(
        self, inputs: Sequence[str], record_type: str | None, columns: ColumnMapping
    ) -> RawInputs | None:
        """What was read, when it is what reading ``inputs`` as ``record_type`` with the
        policy's ``columns`` gives; raises what reading raised.  Else None, and what was
        read is dropped."""
        if list(inputs) != self.inputs or record_type != self.record_type or columns:
            self.reading.discard()
            return None
        return self.reading.result()

    def discard(self) -> None:
        """Wait for the reading to end and forget it (a thread is never left running)."""
        self.reading.discard()


def start(argv: Sequence[str]) -> Prefetch | None:
    """Start reading the inputs of a ``check`` command line (``scan``), or None."""
    found = scan(argv)
    if found is None:
        return None
    inputs, record_type = found
    from .callerwords import on_command_line
    from .inputs import read_inputs

    with on_command_line():  # what reading raises names the options, as the command's own
        reading = InThread(lambda: read_inputs(inputs, record_type), name="sales-policy-prefetch")
    return Prefetch(inputs, record_type, reading)
