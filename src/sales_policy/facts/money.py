"""Money in the sales currency (handbook 5.1, 9.1): the exchange rates of the
``currency_rates`` parameter and the conversion of amounts with them; see docs/assessment.md.

A ``currency_rates`` entry ``USD=7.10`` says that one USD is 7.10 of the sales currency (the
``sales_currency`` parameter, CNY by default), which itself has the rate 1.

Amounts are exact decimals: the records hold them to 4 decimal places, a converted amount is
the exact product of the amount and its rate rounded half away from zero to 4 decimal places,
and totals are exact sums of those.  The fact tables hold them as floats (the nearest one to
each exact value), which the condition language compares, each with its exact text beside it
(``money_text``: ``net_sales_text``), from which ``sales_policy.scoring`` reads them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

import polars as pl

RATE = re.compile(r"^\s*([A-Z]{3})\s*=\s*(\d+(?:\.\d+)?)\s*$")
#: amounts in the sales currency: exact decimals to 4 decimal places, like the records' amounts
MONEY = pl.Decimal(38, 4)
MONEY_PLACES = 4
#: a rate's decimal places beyond this many are rounded off before it converts an amount
_RATE_PLACES = 12
#: rates are below this: an amount (at most 20 digits before the point, ``timetext.AMOUNT``)
#: converted is then below 10^27, and a total of them (Decimal(38, 4): 34 digits before the
#: point) holds ten million of the largest; a rate of 14 digits overflowed a total of two
RATE_LIMIT = 10_000_000


def parse_rate(entry: str, base: str) -> tuple[str, Decimal]:
    """One ``currency_rates`` entry, ``USD=7.10``: the currency and its rate into ``base``, as
    the exact decimal written."""
    match = RATE.match(entry)
    if match is None or Decimal(match[2]) <= 0:
        raise ValueError(
            f"currency_rates entry {entry!r} must look like 'USD=7.10' (one unit of that "
            f"currency in {base}, above 0)"
        )
    if match[1] == base and Decimal(match[2]) != 1:
        raise ValueError(f"currency_rates entry {entry!r}: the rate of {base} itself is 1")
    if Decimal(match[2]) >= RATE_LIMIT:
        raise ValueError(
            f"currency_rates entry {entry!r}: a rate must be below {RATE_LIMIT:,} (one unit of "
            f"that currency in {base})"
        )
    return match[1], Decimal(match[2])


def rates_of(entries: Iterable[str], base: str) -> dict[str, Decimal]:
    """Rates into ``base`` (which has 1); malformed entries are left out (``parse_rate``
    names them; scoring checks them before it runs)."""
    rates = {base: Decimal(1)}
    for entry in entries:
        try:
            currency, rate = parse_rate(entry, base)
        except ValueError:
            continue
        rates.setdefault(currency, rate)
    return rates


def _places(rates: dict[str, Decimal]) -> int:
    """The decimal places the rates need (at most ``_RATE_PLACES``)."""
    exponents = (rate.normalize().as_tuple().exponent for rate in rates.values())
    return min(_RATE_PLACES, max([0, *(-e for e in exponents if isinstance(e, int))]))


def currency_rate(rates: dict[str, Decimal]) -> pl.Expr:
    """The rate of the row's ``currency`` into the sales currency, an exact decimal; null
    without one."""
    places = _places(rates)
    unit = Decimal(1).scaleb(-places)
    exact = [rate.quantize(unit, ROUND_HALF_UP) for rate in rates.values()]
    return pl.col("currency").replace_strict(
        list(rates), exact, default=None, return_dtype=pl.Decimal(38, places)
    )


def converted(amount: str, rates: dict[str, Decimal]) -> pl.Expr:
    """``amount`` (in the row's ``currency``) in the sales currency: the exact product of the
    amount and the rate, rounded half away from zero to 4 decimal places; null without a rate.

    The product is the amount times the rate's whole part, exact at the amount's 4 places,
    plus the amount times its fraction, the amount widened to the fraction's places first so
    that that product keeps every digit until it is rounded.  Widened whole, an amount of 20
    digits (the most, ``timetext.AMOUNT``) times a rate of 4 whole digits and 12 decimals had
    more digits than a Decimal(38) holds (polars' overflow error); in two parts each fits."""
    places = _places(rates)
    unit = Decimal(1).scaleb(-places)
    exact = {code: rate.quantize(unit, ROUND_HALF_UP) for code, rate in rates.items()}
    whole = {code: rate.to_integral_value(rounding=ROUND_FLOOR) for code, rate in exact.items()}

    def part(values: dict[str, Decimal], scale: int) -> pl.Expr:
        return pl.col("currency").replace_strict(
            list(values), list(values.values()), default=None, return_dtype=pl.Decimal(38, scale)
        )

    fraction = part({code: exact[code] - whole[code] for code in exact}, places)
    wide = pl.col(amount).cast(pl.Decimal(38, MONEY_PLACES + places))
    rounded = (wide * fraction).round(MONEY_PLACES, mode="half_away_from_zero").cast(MONEY)
    return (pl.col(amount).cast(MONEY) * part(whole, 0) + rounded).cast(MONEY)


def money_text(amount: pl.Expr) -> pl.Expr:
    """An exact amount as the messages write it: to 2 decimals, or to as many as it has
    (of the 4 an amount holds): 93500.00, 100000.50, 999.995; null for null.  Never rounded,
    so an amount below another never reads as equal to it."""
    return amount.cast(MONEY).cast(pl.String).str.replace(r"(\.\d{2}\d*?)0+$", "${1}")


def float_at_most(value: Fraction) -> float:
    """``value`` as a float that never reads above it: the nearest float, or the one just
    below it where that one, read as the decimal it is written as (``repr``), is above
    ``value``.  An achievement of 10^24 - 1 (the largest order against a target of 0.0001)
    is 9.999999999999999e+23, not 1e+24; net sales 0.0001 below a target of 10^15 are an
    achievement of 0.9999999999999999, not 1.0.  A float that reads as ``value`` or below it
    (0.8, 0.7999999, 2/3 as 0.6666666666666666) is the nearest one, as before."""
    near = float(value)
    if Fraction(Decimal(repr(near))) > value:
        return math.nextafter(near, -math.inf)
    return near


#: the scaled denominators (units of 10^-4) whose products with a float's 17 digits stay
#: within polars' 128-bit integers (below 1.7 x 10^38)
_CHECKED_IN_COLUMNS = 10**20


def exact_ratios(pairs: pl.Series) -> pl.Series:
    """Per row of a struct of ``numerator`` and ``denominator`` (exact decimals or whole
    numbers), their quotient as a float that never reads above it: the quotient of their
    floats, as before, or the float just below where that one, as written (``repr``, which
    polars' text of a float matches), is above the exact quotient; null where either is null
    or the denominator is 0.

    Checked exactly, in integers, column-wise: the float's text is its digits times a power
    of ten, and digits x 10^e x denominator > numerator is compared in 128-bit integers,
    amounts scaled to units of 10^-4.  Rows whose numbers would not fit (amounts from 10^16
    up, a quotient written with an exponent below -17) are checked one by one in decimals
    (``_ratio_at_most``)."""
    scaled = pl.Decimal(38, MONEY_PLACES)
    numerator = pairs.struct.field("numerator").cast(scaled)
    denominator = pairs.struct.field("denominator").cast(scaled)
    n, d = pl.col("n"), pl.col("d")
    # the quotient of the amounts' floats, as polars casts them (as before)
    quotient = numerator.cast(pl.Float64) / denominator.cast(pl.Float64)
    frame = pl.DataFrame(
        {"n": numerator.to_physical(), "d": denominator.to_physical(), "q": quotient}
    )
    frame = frame.with_columns(pl.when(d != 0).then(pl.col("q")).alias("q"))
    frame = frame.with_columns(_above(frame).alias("above"))
    quotients = frame.get_column("q").to_list()
    # left to check one by one: the rows too large to check in columns (null)
    left = frame.get_column("above").is_null() & frame.get_column("q").is_not_null()
    rows = frame.get_column("above").fill_null(False).arg_true()
    for _ in range(3):  # the quotient of floats is within a few steps of the exact one
        if not rows.len():
            break
        for index in rows.to_list():  # one step down (polars has no nextafter)
            quotients[index] = math.nextafter(quotients[index], -math.inf)
        stepped = frame.select(n.gather(rows), d.gather(rows)).with_columns(
            pl.Series("q", [quotients[i] for i in rows.to_list()], dtype=pl.Float64)
        )
        again = _above(stepped)
        unchecked = rows.filter(again.is_null())  # its text now too long to check in columns
        if unchecked.len():
            left = left.scatter(unchecked, True)
        rows = rows.filter(again.fill_null(False))
    if rows.len():  # still above after three steps
        left = left.scatter(rows, True)
    if left.any():
        numerators, denominators = numerator.to_list(), denominator.to_list()
        for index in left.arg_true().to_list():
            quotients[index] = _ratio_at_most(
                numerators[index], denominators[index], quotients[index]
            )
    return pl.Series(quotients, dtype=pl.Float64)


#: 10^0 .. 10^37, looked up by exponent
_POWERS = pl.Series([10**i for i in range(38)], dtype=pl.Int128)


def _above(frame: pl.DataFrame) -> pl.Series:
    """Per row of ``frame`` (``q``, a float; ``n`` and ``d``, scaled integers, ``d`` not 0):
    whether ``q``, read as the decimal its text writes, times ``d`` is above ``n``; null
    where the numbers would not fit in 128-bit integers, and for a null ``q``."""
    text = pl.col("q").cast(pl.String)
    parts = text.str.split_exact("e", 1)
    mantissa = parts.struct.field("field_0")
    places = mantissa.str.split_exact(".", 1).struct.field("field_1").str.len_chars()
    # the sign of the denominator moves to the numerator: compared with d > 0
    flip = pl.when(pl.col("d") < 0).then(pl.lit(-1, pl.Int128)).otherwise(pl.lit(1, pl.Int128))
    read = frame.select(
        # "-0.0309" is -309 x 10^-4; the digits keep the sign, the point goes
        mantissa.str.replace(".", "", literal=True).cast(pl.Int128).alias("digits"),
        (
            parts.struct.field("field_1").cast(pl.Int64).fill_null(0)
            - places.fill_null(0).cast(pl.Int64)
        ).alias("power"),
        (pl.col("n") * flip).alias("n"),
        (pl.col("d") * flip).alias("d"),
    )
    power = pl.col("power")
    powers = pl.lit(_POWERS)

    def ten_to(exponent: pl.Expr) -> pl.Expr:
        return powers.gather(exponent.clip(0, 37))

    room = ten_to(37 + power)  # digits x d is below 10^37; n x 10^-power must be too
    fits = (
        (pl.col("d") < _CHECKED_IN_COLUMNS)
        & (power >= -37)
        & (power <= 17)
        & (pl.col("n") < room)
        & (pl.col("n") > room * pl.lit(-1, pl.Int128))  # polars negates no 128-bit integer
    )
    above = pl.col("digits") * pl.col("d") * ten_to(power) > pl.col("n") * ten_to(-power)
    return read.select(pl.when(fits).then(above)).to_series()


def _ratio_at_most(
    numerator: Decimal | None, denominator: Decimal | None, quotient: float | None
) -> float | None:
    """``exact_ratios`` of one row, in decimals, from ``quotient`` (that of their floats)."""
    if numerator is None or not denominator or quotient is None:
        return None
    if denominator < 0:  # compared with a denominator above 0: the product keeps its order
        # (copy_negate: the minus sign rounds to the context's 28 digits)
        numerator, denominator = numerator.copy_negate(), denominator.copy_negate()
    exact = Context(prec=80)  # a float's 17 digits times a denominator's 38, every digit
    while exact.multiply(Decimal(repr(quotient)), denominator) > numerator:
        quotient = math.nextafter(quotient, -math.inf)
    return quotient
