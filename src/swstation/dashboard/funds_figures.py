"""The cockpit's "four ones" (issue 12, "Figures"), read from the tallies like every other
figure of the cockpit: the funds of a year by tier, spending, open contract instalments.

``funds.selectors.funds_figures`` counts the same from the records (the funds summary, which
also breaks the money down by area and reads in the user's scope); the cockpit's panel and the
overview API's ``funds_by_tier`` read these tallies instead, through the port
``funds.selectors.register_figures_source`` (funds sits below the dashboard and cannot read its
tallies). ``tests/dashboard/test_funds_tallies.py`` checks both agree, and the random-writes
test that the tallies kept by each write equal a recount.

The tally rows (``dashboard.tallies._grant_rows``/``_contract_rows``) are read at the region's
own level: its row per metric, key and period. A contract's instalments fall due where its
station is, keyed by the purchaser's tier: a region reads the tiers of purchasers inside it
(a town its own, a district also its own, the city every tier), as the records do.
"""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from swstation.dashboard.models import Tally, TallyLevel
from swstation.dashboard.services import tally_refresh
from swstation.funds.models import Tier, money
from swstation.funds.selectors import AreaFunds, FundsFigures
from swstation.regions.models import Region

LEVELS = {"city": TallyLevel.CITY, "county": TallyLevel.DISTRICT, "township": TallyLevel.TOWNSHIP}
# The purchasers' tiers a region holds: its own level's and those below it.
PURCHASER_TIERS = {
    "city": frozenset({Tier.CITY, Tier.COUNTY, Tier.TOWNSHIP}),
    "county": frozenset({Tier.COUNTY, Tier.TOWNSHIP}),
    "township": frozenset({Tier.TOWNSHIP}),
}
METRICS = ("grants", "spent", "instalments_due", "instalments_open")


def tallied_funds(*, region: Region, year: int, today: date | None = None) -> FundsFigures | None:
    """The funds of ``region`` in ``year`` from the tallies (one query after the refresh), or
    None for a region the tallies do not hold at its own level (a village)."""
    level = LEVELS.get(region.level)
    if level is None:
        return None
    tally_refresh()
    today = today or timezone.localdate()
    whole = AreaFunds(code=region.code, name=region.name)
    figures = FundsFigures(region=region, year=year, whole=whole, areas=[])
    purchasers = PURCHASER_TIERS[region.level]
    first, last = date(year, 1, 1), date(year, 12, 31)
    open_total = Decimal(0)
    rows = Tally.objects.filter(
        family="funds", metric__in=METRICS, level=level, region_code=region.code
    ).values_list("metric", "key", "period", "count", "total")
    for metric, key, period, count, total in rows:
        if period is None:
            continue
        if metric == "grants" and period == first:
            whole.by_tier[key] += money(total)
            figures.grants += count
        elif metric == "spent" and first <= period <= last:
            whole.spent += money(total)
        elif metric == "instalments_due" and first <= period <= last and key in purchasers:
            whole.by_tier[key] += money(total)
        elif metric == "instalments_open":
            figures.open_instalments += count
            open_total += total
            if key == "held":
                figures.held_instalments += count
            if period < today:
                figures.overdue_instalments += count
    figures.open_instalments_amount = money(open_total)
    return figures
