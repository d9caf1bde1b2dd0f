"""The calendar arithmetic every rule shares (core/dates.py)."""

from datetime import date

import pytest

from swstation.core.dates import add_months, age_on, month_end


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 1, 15), 6, date(2024, 7, 15)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),  # leap year: the month's last day
        (date(2022, 8, 31), 6, date(2023, 2, 28)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),  # across a year
        (date(2024, 3, 31), -1, date(2024, 2, 29)),  # backwards
        (date(2024, 5, 10), 0, date(2024, 5, 10)),
    ],
)
def test_add_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 2, 3), date(2024, 2, 29)),
        (date(2023, 2, 3), date(2023, 2, 28)),
        (date(2024, 12, 1), date(2024, 12, 31)),
        (date(2024, 4, 30), date(2024, 4, 30)),
    ],
)
def test_month_end(day: date, expected: date) -> None:
    assert month_end(day) == expected


@pytest.mark.parametrize(
    ("birth", "day", "expected"),
    [
        (date(1946, 5, 10), date(2026, 5, 9), 79),
        (date(1946, 5, 10), date(2026, 5, 10), 80),  # older on the birthday
        (date(2000, 2, 29), date(2023, 2, 28), 22),
        (date(2000, 2, 29), date(2023, 3, 1), 23),  # 29 February: on 1 March
        (date(2026, 1, 1), date(2026, 1, 1), 0),
    ],
)
def test_age_on(birth: date, day: date, expected: int) -> None:
    assert age_on(birth, day) == expected
