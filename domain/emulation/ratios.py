"""Exact percentages for thresholds: 8/10 is exactly 80 %, never 79.99999 %.

Every ratio is a :class:`fractions.Fraction` of 100 (so ``Fraction(80)`` means 80 %);
decimal text is parsed through :class:`decimal.Decimal`, never through ``float``.
"""

from __future__ import annotations

from decimal import ROUND_DOWN
from decimal import ROUND_HALF_UP
from decimal import Decimal
from decimal import InvalidOperation
from fractions import Fraction

from domain.text import clean_line


def percent_of(part: int, whole: int) -> Fraction:
    """Return ``part / whole`` as an exact percentage (``percent_of(8, 10) == 80``).

    Raises:
        ZeroDivisionError: if ``whole`` is 0 (callers validate counts first).
    """
    return Fraction(part * 100, whole)


def parse_percent(value: str | int | Fraction | Decimal) -> Fraction:
    """Parse ``"80"``, ``"80%"``, ``"66,67 %"`` or a ratio ``"2/3"`` into a percentage.

    A string with "/" is a ratio of the whole (``"2/3"`` → 66⅔ %); anything else is a
    number of percent. Vietnamese decimal commas are accepted.

    Raises:
        ValueError: with a Vietnamese message if the text is not a percentage in [0, 100].
    """
    if isinstance(value, Fraction | int):
        result = Fraction(value)
    elif isinstance(value, Decimal):
        result = Fraction(value)
    else:
        text = clean_line(value).replace(" ", "").removesuffix("%").replace(",", ".")
        try:
            if "/" in text:
                numerator, denominator = text.split("/", 1)
                result = Fraction(Decimal(numerator)) / Fraction(Decimal(denominator)) * 100
            else:
                result = Fraction(Decimal(text))
        except (InvalidOperation, ValueError, ZeroDivisionError):
            raise ValueError(f"“{value}” không phải là một tỷ lệ phần trăm hợp lệ.") from None
    if not 0 <= result <= 100:
        raise ValueError(f"Tỷ lệ phần trăm phải trong khoảng 0–100%, nhận được “{value}”.")
    return result


def meets(percent: Fraction, threshold: Fraction, strict: bool) -> bool:
    """Return True if ``percent`` reaches ``threshold`` (``> `` when ``strict``, else ``>=``)."""
    return percent > threshold if strict else percent >= threshold


def format_percent(value: Fraction, places: int = 2, below: Fraction | None = None) -> str:
    """Format a percentage the Vietnamese way: ``80`` → ``"80%"``, ``700/9`` → ``"77,78%"``.

    Args:
        value: the exact percentage.
        places: maximum decimals (rounded half up); trailing zeros are dropped.
        below: a threshold ``value`` did not reach; if rounding would print a number at
            or above it (79,996 % as "80%"), the value is truncated instead, so a biên
            bản never shows a failing ratio as if it passed.
    """
    quantum = Decimal(1).scaleb(-places)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    rounded = exact.quantize(quantum, rounding=ROUND_HALF_UP)
    if below is not None and value < below and Fraction(rounded) >= below:
        rounded = exact.quantize(quantum, rounding=ROUND_DOWN)
    text = f"{rounded:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"
