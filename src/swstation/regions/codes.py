"""Statistical division codes (spec/identifiers.md, "Statistical division codes").

12 digits: province 2 · city 2 · county 2 · township 3 · village 3. Ancestry is a prefix test
on the significant digits, so a region's jurisdiction prefix is its code cut to its level.
"""

import re

CODE_RE = re.compile(r"^\d{12}$")

# Significant digits of a code at each level.
LEVEL_DIGITS = {"province": 2, "city": 4, "county": 6, "township": 9, "village": 12}
LEVEL_ORDER = ("city", "county", "township", "village")


def is_valid_code(code: str) -> bool:
    return bool(CODE_RE.match(code))


def significant_prefix(code: str, level: str) -> str:
    """The prefix every descendant's code starts with: 330205103000 (township) → 330205103."""
    return code[: LEVEL_DIGITS[level]]


def prefix_of_code(code: str) -> str:
    """A full code's significant prefix, read from its zeros: 330205103000 → 330205103,
    330205000000 → 330205 (anything else is returned as it is)."""
    if not is_valid_code(code):
        return code
    for digits in (LEVEL_DIGITS["city"], LEVEL_DIGITS["county"], LEVEL_DIGITS["township"]):
        if code[digits:] == "0" * (12 - digits):
            return code[:digits]
    return code


def code_of_prefix(prefix: str) -> str:
    """The 12-digit code a significant prefix stands for: 330205 → 330205000000."""
    return prefix.ljust(12, "0")


def township_kind(code: str) -> str:
    """street (001–099), town (100–199), township (200–399) or other (400–599)."""
    segment = int(code[6:9])
    if segment < 100:
        return "street"
    if segment < 200:
        return "town"
    if segment < 400:
        return "township"
    return "other"


def village_kind(code: str) -> str:
    """community (001–199), village (200–399) or other (400–599)."""
    segment = int(code[9:12])
    if segment < 200:
        return "community"
    if segment < 400:
        return "village"
    return "other"
