"""Where the command writes (reports, rejected rows): a file, written whole or not at all,
or standard output; and its progress, on standard error (``Progress``).

A report is written to a new file beside its target, which takes the target's place only
once the whole report is in it: a run that fails part way (a full disk, an error while the
report is made, an interrupt) leaves the file as it was, never half a report that reads
like a whole one, and no new file behind.  What is not a regular file (``/dev/null``, a
pipe, a terminal) is written as it is; a symbolic link is followed, and the file it names
replaced.  A file replaced keeps its permission bits; a new one gets the usual ones (0666
less the umask).  Where no new file can be made beside the target (a directory that is not
writable), the target is written as it is.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import stat
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from .columntext import Utf8Output

STDOUT = "standard output"  # as errors writing it name it


@contextlib.contextmanager
def naming(name: str) -> Iterator[None]:
    """An error of the system's raised without a file's name, as writes raise theirs (a full
    disk, a quota, an I/O error), raised again naming ``name``: "report.jsonl: No space left
    on device", not the reason alone.  A closed pipe is let through as it is."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        if exc.filename is not None or exc.errno is None:
            raise
        raise OSError(exc.errno, exc.strerror or str(exc), name) from exc


@contextlib.contextmanager
def replacing(target: Path, *, binary: bool = False, newline: str | None = "") -> Iterator[IO[Any]]:
    """A stream to write ``target`` through: bytes when ``binary``, else UTF-8 text, its line
    ends as ``open`` takes ``newline`` (the default writes each "\\n" as it is; None, the
    platform's line end); see the module docstring."""
    path = Path(os.path.realpath(target))
    try:
        mode = stat.S_IMODE(path.stat().st_mode) if path.is_file() else None
        in_place = mode is None and path.exists()  # a device, a pipe...
    except OSError:
        mode, in_place = None, False
    temp = path.with_name(f".{path.name}.{os.urandom(4).hex()}.partial")
    descriptor = None
    if not in_place:
        with contextlib.suppress(OSError):  # none beside it: the target as it is
            descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    if descriptor is None:
        with naming(str(target)), _opened(target, binary, newline) as out:
            yield out
        return
    try:
        with naming(str(target)), _opened(descriptor, binary, newline) as out:
            yield out
        if mode is not None:
            os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def _opened(file: Path | int, binary: bool, newline: str | None) -> IO[Any]:
    if binary:
        return open(file, "wb")
    return open(file, "w", encoding="utf-8", newline=newline)


@contextlib.contextmanager
def report_output(target: Path | None) -> Iterator[IO[str]]:
    """Where a report goes: the file, or standard output.  Where "\n" is the line end and
    the text is UTF-8 (the file's always; standard output's when its encoding says so), a
    ``Utf8Output`` over its bytes, which the findings' lines are written to as polars holds
    them."""
    if target is None:
        with naming(STDOUT), _standard_output() as out:
            yield out
    elif os.linesep != "\n":  # the text streams translate "\n"
        with replacing(target, newline=None) as out:
            yield out
    else:
        with replacing(target, binary=True) as file, Utf8Output(file) as out:
            yield out


@contextlib.contextmanager
def _standard_output() -> Iterator[IO[str]]:
    raw = getattr(sys.stdout, "buffer", None)
    if (
        os.linesep != "\n"
        or raw is None
        or codecs.lookup(sys.stdout.encoding or "ascii").name != "utf-8"
    ):
        yield sys.stdout
        return
    sys.stdout.flush()
    out = Utf8Output(raw)
    try:
        yield out
    finally:
        out.flush()
        out.detach()  # standard output stays open


def write_text(text: str, target: Path | None) -> None:
    if target is None:
        with naming(STDOUT):
            sys.stdout.write(text)
    else:
        with replacing(target, newline=None) as out:
            out.write(text)


#: inputs of at least this many bytes get a progress line on a terminal
PROGRESS_BYTES = 20_000_000


class Progress:
    """Stage-by-stage progress on stderr, for inputs large enough to wait for."""

    def __init__(self, inputs: Sequence[str], stream: IO[str]) -> None:
        self.stream = stream
        # the inputs' sizes only for a terminal, which alone shows the progress
        self.enabled = stream.isatty() and (
            sum(Path(p).stat().st_size for p in inputs if Path(p).is_file()) >= PROGRESS_BYTES
        )
        self.started = time.perf_counter()

    def step(self, text: str) -> None:
        if self.enabled:
            elapsed = time.perf_counter() - self.started
            self.stream.write(f"\r[{elapsed:6.1f}s] {text:<40}")
            self.stream.flush()

    def done(self) -> None:
        if self.enabled:
            self.stream.write("\n")
