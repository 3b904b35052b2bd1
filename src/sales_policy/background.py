"""A call run in a thread of its own while the caller goes on.

polars lets go of the interpreter while it works, so a thread running a polars call and the
caller's own Python (or a second polars call) run at once: on two cores, most of polars'
steps keep one of them busy only part of the time.  The call runs in a copy of its caller's
context (``contextvars``), as if the caller ran it: its messages use the caller's words
(``callerwords``)."""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class InThread(Generic[T]):
    """``call`` started at once in a thread of its own, in a copy of the caller's context;
    ``result`` waits for it and gives its value, or raises what it raised."""

    def __init__(self, call: Callable[[], T], name: str = "sales-policy") -> None:
        self._call: Callable[[], T] | None = call
        self._context = contextvars.copy_context()
        self._value: list[T] = []  # what the call gave, once it has
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        assert self._call is not None
        try:
            self._value.append(self._context.run(self._call))
        except BaseException as exc:  # handed to the caller by ``result``
            self._error = exc
        finally:
            self._call = None  # nor what it holds: it may be large

    def result(self) -> T:
        self._thread.join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        return self._value.pop()

    def discard(self) -> None:
        """Wait for the call to end, and forget what it gave or raised."""
        self._thread.join()
        self._value.clear()
        self._error = None
