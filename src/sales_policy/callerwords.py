"""The words of a message that tells its caller what to give (a file's record type, the
inputs' encoding, the period): the options of the command line where the ``sales-policy``
command runs, the arguments of Python elsewhere.  An analyst told to ``pass --type`` finds
the option; a program's author told so finds no such argument of ``Policy.check``.  What the
caller cannot give (``--ruleset`` to ``score``, which judges every rule set) is not asked of
it (``offered``).

``cli.main`` runs its command ``on_command_line`` (and ``prefetch`` its reading ahead).  A
thread a check starts (``background.InThread``) runs in the context of the code that started
it, so that what it says uses the same words."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: on the command line, the arguments its command takes, by their argparse names (``dest``);
#: None in Python
_COMMAND: ContextVar[frozenset[str] | None] = ContextVar("sales_policy_command", default=None)
#: the arguments of ``Policy.check`` that a Python function checking records does not take
_NOT_TAKEN: ContextVar[frozenset[str]] = ContextVar("sales_policy_not_taken", default=frozenset())


def said(option: str, argument: str) -> str:
    """``option``, the command line's words, where the command runs; else ``argument``,
    Python's."""
    return argument if _COMMAND.get() is None else option


def offered(name: str, option: str, argument: str) -> str | None:
    """``said(option, argument)`` where the caller can give ``name`` (an argument of
    ``Policy.check``, named as the command's argparse ``dest``), else None: a command without
    the option, a Python function without the argument (``not_taken``)."""
    command = _COMMAND.get()
    if command is not None:
        return option if name in command else None
    return None if name in _NOT_TAKEN.get() else argument


@contextmanager
def on_command_line(takes: Collection[str] = ()) -> Iterator[None]:
    """What runs within says the command line's words (``said``), for a command taking the
    arguments ``takes`` (argparse's ``dest`` of each)."""
    token = _COMMAND.set(frozenset(takes))
    try:
        yield
    finally:
        _COMMAND.reset(token)


@contextmanager
def not_taken(*names: str) -> Iterator[None]:
    """What runs within is a Python function's check that does not take these arguments of
    ``Policy.check`` (``score`` takes no ``rulesets``): its messages do not ask for them."""
    token = _NOT_TAKEN.set(_NOT_TAKEN.get() | frozenset(names))
    try:
        yield
    finally:
        _NOT_TAKEN.reset(token)
