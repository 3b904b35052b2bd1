"""What a close finds: the policy's rules as durable_rules rulesets, and the fact rows judged.

The monitor (``monitor``) decides which days close, for whom; the judge derives facts with the
batch derivation (``derive_facts``) over the kept records of the employees whose days close,
from the earliest date not final yet to the day closing.  The rows that are final
(``finality``) go through durable_rules (``router``), and the rows that match become findings
with the batch engine's own code, so rule ids, evidence and sources are the batch engine's.
Second-stage rules (``finding_month``) count the findings emitted, per employee and month,
when the month closes.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from ..engine import as_findings, finding_month
from ..facts import derive_facts
from ..facts.schema import FACT_TABLES
from ..findings import FINDING_SCHEMA
from ..policy import Policy
from ..rulesets import CompiledRule
from ..tables import RecordTables
from .finality import CLOSED_BEFORE, Ledger
from .router import Router, TableRules


class Judge:
    """The rules in force of a policy as durable rulesets, by stage, and the findings counted
    by second-stage rules until their month is over; see the module docstring."""

    def __init__(self, policy: Policy, router: Router, ledger: Ledger) -> None:
        self.policy = policy
        self.router = router
        self.ledger = ledger
        self.rules = {c.rule.rule_id: c.rule for c in policy.compiled}
        active = [c for c in policy.compiled if c.rule.rule_id not in policy.disabled]
        # each rule set's conditions read the parameters of those loaded up to it, as in
        # the batch engine (``Policy.typed_params``): a later one's may be named like a column
        params = {rs.name: policy.typed_params(rs.name) for rs in policy.rulesets}
        by_table: dict[str, list[CompiledRule]] = {}
        for compiled in active:
            if FACT_TABLES[compiled.rule.facts].stage == 1:
                by_table.setdefault(compiled.rule.facts, []).append(compiled)
        self.stage1 = [
            self.router.add(t, t, rules, by_ruleset=params) for t, rules in by_table.items()
        ]
        self.stage2 = [
            self.router.add(
                f"{c.rule.facts}.{c.rule.rule_id}", c.rule.facts, [c], by_ruleset=params
            )
            for c in active
            if FACT_TABLES[c.rule.facts].stage == 2
        ]
        self.counted = {r for t in self.stage2 for s in t.slots for r in s.compiled.rule.counts}
        self.earlier: pl.DataFrame = pl.DataFrame(schema=FINDING_SCHEMA)

    def close(
        self,
        employees: list[str],
        before: dict[str, dt.date],
        tables: RecordTables,
        first: dt.date,
        target: dt.date,
        ended: bool,
        only: set[str] | None = None,
    ) -> list[pl.DataFrame]:
        """Derive, select the final rows, route them through durable_rules: the findings.

        ``employees`` close through ``target``; ``before``: each one's last date closed
        before; ``tables``: the kept records the derivation reads, from ``first``; ``ended``:
        the monitor's ``end`` has closed.  ``only``: a catch-up (``Monitor._catch_up``) of
        these stage-1 tables over days already closed through ``target``: none of their rows
        of these employees was judged, and nothing else is judged again.

        A close that raises changes nothing: neither the ledger (``Ledger.transaction``) nor
        the findings counted, so that the next close judges the same rows once."""
        with self.ledger.transaction():
            group = set(employees)
            closed_before = pl.DataFrame(
                {"employee_id": employees, CLOSED_BEFORE: [before[e] for e in employees]},
                schema={"employee_id": pl.String, CLOSED_BEFORE: pl.Date},
            )
            facts, _, people = derive_facts(
                tables,
                calendar=self.policy.calendar,
                schedule=self.policy.schedule,
                policy_timezone=self.policy.timezone,
                start=first,
                end=target,
                params=self.policy.params,
            )
            reopened = self.ledger.reopen(group) if only is None else {}
            found: list[pl.DataFrame] = []
            for rules in self.stage1:
                table = facts.get(rules.table)
                if (
                    table is None
                    or table.is_empty()
                    or (only is not None and rules.table not in only)
                ):
                    continue
                final = self.ledger.final_rows(rules, table, closed_before, target, ended, reopened)
                found.extend(self._route(rules, final))
            counted = [f.filter(pl.col("rule_id").is_in(list(self.counted))) for f in found]
            earlier = pl.concat([self.earlier, *counted])
            if self.stage2:
                mine = earlier.filter(pl.col("employee_id").is_in(employees))
                zones = people.select("employee_id", "timezone").filter(
                    pl.col("employee_id").is_in(employees)
                )
                for rules in self.stage2:
                    compiled = rules.slots[0].compiled
                    if only is not None and any(
                        self.rules[r].facts not in only for r in compiled.rule.counts
                    ):
                        # it counts findings of other tables too, judged before: its closed
                        # months are not judged again (docs/engines.md, "What is not exact")
                        continue
                    table = finding_month(mine, compiled.rule.counts, zones, target)
                    final = self.ledger.final_rows(
                        rules, table, closed_before, target, ended, reopened
                    )
                    found.extend(self._route(rules, final))
            month_over = (
                pl.col("date").dt.month_end() <= target if not ended else pl.lit(True)
            ) & pl.col("employee_id").is_in(employees)
            earlier = earlier.filter(~month_over)
        self.earlier = earlier
        return found

    def _route(self, rules: TableRules, final: pl.DataFrame) -> list[pl.DataFrame]:
        matched = self.router.decide(rules, final)
        found = []
        for slot in rules.slots:
            rows = matched[slot.index]
            if rows:
                found.append(as_findings(slot.compiled, final[rows]))
        return found
