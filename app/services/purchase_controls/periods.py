"""Budget periods: a calendar month, quarter or year in UTC."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from app.models import utcnow


class BudgetPeriod(StrEnum):
    MONTH = "MONTH"
    QUARTER = "QUARTER"
    YEAR = "YEAR"


def now() -> datetime:
    return utcnow()


def start_of(period: str, at: datetime) -> date:
    if period == BudgetPeriod.YEAR:
        return date(at.year, 1, 1)
    if period == BudgetPeriod.QUARTER:
        return date(at.year, 3 * ((at.month - 1) // 3) + 1, 1)
    return date(at.year, at.month, 1)


def end_of(period: str, at: datetime) -> date:
    start = start_of(period, at)
    months = {BudgetPeriod.YEAR: 12, BudgetPeriod.QUARTER: 3}.get(period, 1)  # type: ignore[call-overload]
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1)
