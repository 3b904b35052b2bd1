"""A call run in a thread of its own (``sales_policy.background.InThread``)."""

from __future__ import annotations

import threading

import pytest

from sales_policy.background import InThread


def test_the_call_runs_in_another_thread_and_its_value_is_handed_back() -> None:
    started = threading.Event()
    go_on = threading.Event()

    def call() -> str:
        started.set()
        go_on.wait(timeout=10)
        return threading.current_thread().name

    running = InThread(call, name="sales-policy-test")
    assert started.wait(timeout=10)  # under way before the caller asks for its result
    go_on.set()
    assert running.result() == "sales-policy-test"


def test_what_the_call_raises_is_raised_to_the_caller() -> None:
    def call() -> int:
        raise ValueError("no such column")

    running = InThread(call)
    with pytest.raises(ValueError, match="no such column"):
        running.result()


def test_a_discarded_call_is_waited_for_and_what_it_raised_forgotten() -> None:
    ended = threading.Event()

    def call() -> int:
        ended.set()
        raise ValueError("not wanted")

    InThread(call).discard()
    assert ended.is_set()
