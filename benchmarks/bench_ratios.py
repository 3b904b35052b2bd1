"""Benchmark the assessment facts' ratios: never a float above the exact quotient.

    python benchmarks/bench_ratios.py               # 30,000 ratios (a month of 10,000
                                                    # employees' three: sales, customers, growth)
    python benchmarks/bench_ratios.py --rows 360000 # a year of them

``facts.money.exact_ratios`` divides the amounts' floats and checks, exactly, that the
float's text is not above the quotient, stepping it down where it is: column-wise in
128-bit integers, and one row at a time in decimals only for amounts too large for them.
This prints, for random amounts of up to a billion with cents (it asserts nothing), the
best of 5 of the column-wise check, and of the same check made one row at a time in
decimals for every row, and whether both gave the same floats.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import polars as pl

from sales_policy.facts import money


def _best(run: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    draw = random.Random(args.seed)
    numerators = [Decimal(draw.randint(0, 10**11)) / 100 for _ in range(args.rows)]
    denominators = [Decimal(draw.randint(1, 10**11)) / 100 for _ in range(args.rows)]
    frame = pl.DataFrame(
        {"numerator": numerators, "denominator": denominators},
        schema={"numerator": money.MONEY, "denominator": money.MONEY},
    )
    pairs = frame.select(pl.struct("numerator", "denominator")).to_series()
    floats = (frame["numerator"].cast(pl.Float64) / frame["denominator"].cast(pl.Float64)).to_list()
    columns, by_columns = _best(lambda: money.exact_ratios(pairs).to_list())
    rows, by_rows = _best(
        lambda: [
            money._ratio_at_most(n, d, q)
            for n, d, q in zip(numerators, denominators, floats, strict=True)
        ]
    )
    stepped = sum(a != b for a, b in zip(by_columns, floats, strict=True))
    print(f"{args.rows:,} ratios of amounts up to 1,000,000,000.00 (seed {args.seed})")
    print(f"  exact_ratios, column-wise:        {columns * 1000:7.1f} ms (best of 5)")
    print(f"  the same check one row at a time: {rows * 1000:7.1f} ms (best of 5)")
    print(
        f"  the same floats: {by_columns == by_rows}; stepped down below the floats' quotient: "
        f"{stepped:,}"
    )


if __name__ == "__main__":
    main()
