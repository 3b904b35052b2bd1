"""The live engine's counts: how every record posted and every fact row judged ended
(``Monitor.counts``), so that nothing is lost without it showing."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LiveCounts:
    """How every record and every fact row ended.

    ``posted == accepted + rejected + queued`` (queued: posted, not validated yet; zero after
    ``advance`` or ``flush``) and ``facts_posted == facts_matched + facts_unmatched``."""

    posted: int
    accepted: int
    rejected: int
    queued: int
    findings: int
    facts_posted: int
    facts_matched: int
    facts_unmatched: int
    #: rows with a value durable_rules cannot carry exactly, decided by Condition.evaluate
    facts_in_python: int
    events: int
    errors: int

    @property
    def balanced(self) -> bool:
        return (
            self.posted == self.accepted + self.rejected + self.queued
            and self.facts_posted == self.facts_matched + self.facts_unmatched
        )
