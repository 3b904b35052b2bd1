"""The words of a message that tells its caller what to give (a file's record type, the
inputs' encoding, the period): the options of the command line where the ``sales-policy``
command runs, the arguments of Python elsewhere.  An analyst told to ``pass --type`` finds
the option; a program's author told so finds no such argument of ``Policy.check``.

``cli.main`` runs its command ``on_command_line()`` (and ``prefetch`` its reading ahead).  A
thread a check starts (``background.InThread``) runs in the context of the code that started
it, so that what it says uses the same words."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_COMMAND_LINE: ContextVar[bool] = ContextVar("sales_policy_command_line", default=False)


def said(option: str, argument: str) -> str:
    """``option``, the command line's words, where the command runs; else ``argument``,
    Python's."""
    return option if _COMMAND_LINE.get() else argument


@contextmanager
def on_command_line() -> Iterator[None]:
    """What runs within says the command line's words (``said``)."""
    token = _COMMAND_LINE.set(True)
    try:
        yield
    finally:
        _COMMAND_LINE.reset(token)
