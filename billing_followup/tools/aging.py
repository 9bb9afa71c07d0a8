"""Aging of receivables and days sales outstanding: plain Python, no ORM.

The SQL reports (billing.aging.report, billing.dso.report) aggregate the
ledger; the bucket bounds and the DSO arithmetic live here, so the report's
CASE expression and the tests share one definition.
"""

from datetime import date as Date

# (bucket, last day late it holds); the last bucket holds the rest
BUCKETS = (("current", 0), ("1_30", 30), ("31_60", 60), ("61_90", 90))
LAST_BUCKET = "90_plus"
BUCKET_NAMES = (*(name for name, _bound in BUCKETS), LAST_BUCKET)


def bucket(days_late: int) -> str:
    """The bucket of an item `days_late` days past its due date."""
    for name, bound in BUCKETS:
        if days_late <= bound:
            return name
    return LAST_BUCKET


def aging(items: list[tuple[Date, float]], on: Date) -> dict[str, float]:
    """{bucket: open amount} of (due date, open amount) items on `on`."""
    totals = dict.fromkeys(BUCKET_NAMES, 0.0)
    for due, amount in items:
        totals[bucket((on - due).days)] += amount
    return totals


def dso_simple(receivable: float, sales: float, days: int) -> float:
    """Receivable at the period's end over the period's sales, in days."""
    return round(receivable / sales * days, 1) if sales > 0 else 0.0


def dso_countback(receivable: float, months: list[tuple[float, int]]) -> float:
    """Countback DSO: `months` are (sales, days) from the latest month back;
    the receivable is matched against each month's sales in turn, counting
    that month's days while it covers them and the covered share of the
    month where it runs out. Beyond the months given, the days stop."""
    left, days = receivable, 0.0
    for sales, month_days in months:
        if left <= 0:
            break
        if sales <= 0:
            days += month_days
            continue
        if left >= sales:
            left -= sales
            days += month_days
        else:
            days += month_days * left / sales
            left = 0
    return round(days, 1)
