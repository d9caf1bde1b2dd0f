"""The stations' subsidies become grants (issue 12: "the city subsidy of the stations issue
becomes one kind of grant; no second ledger").

Every ``stations.StationSubsidy`` becomes a ``funds.Grant`` under the same policy, to the same
station, of the same amount and budget year, paid on the same day (a subsidy marked paid with
no date is paid on the day it was granted). Who pays it is the civil-affairs bureau of the
policy's tier above the station (the town's government for a town's policy), registered as a
funder when there is none. The grant is dated by when the subsidy was recorded (its first
history row, within a year of its budget year, and not after its payment). Its history is the
subsidy's, row by row (same days, authors and reasons), then one row saying where it came from.

Reversible: going back recreates the subsidies from the grants under a policy (and their
history), then deletes those grants; it refuses while money was spent of such a grant.
``stations.0004`` then drops the subsidies' table.
"""

from datetime import date

from django.db import migrations
from django.utils import timezone

PAYER_DIGITS = {"city": 4, "county": 6, "township": 9}
MOVED = "移自站点补助（stations.StationSubsidy #%s）"


def _payer_name(region_name: str, tier: str) -> str:
    if tier == "township":
        return region_name + ("人民政府" if region_name.endswith(("镇", "乡")) else "办事处")
    return f"{region_name}民政局"


def _granted_on(subsidy, first_seen):
    year = subsidy.year
    day = first_seen if first_seen and abs(first_seen.year - year) <= 1 else date(year, 1, 1)
    if subsidy.paid_on and subsidy.paid_on < day:
        day = subsidy.paid_on
    return day


def forwards(apps, schema_editor):
    StationSubsidy = apps.get_model("stations", "StationSubsidy")
    HistoricalStationSubsidy = apps.get_model("stations", "HistoricalStationSubsidy")
    Region = apps.get_model("regions", "Region")
    Funder = apps.get_model("funds", "Funder")
    HistoricalFunder = apps.get_model("funds", "HistoricalFunder")
    Grant = apps.get_model("funds", "Grant")
    HistoricalGrant = apps.get_model("funds", "HistoricalGrant")
    now = timezone.now()
    funders = {}

    def payer(policy, station):
        tier = policy.source
        digits = PAYER_DIGITS.get(tier, 4)
        code = station.region.code[:digits].ljust(12, "0")
        if (code, tier) in funders:
            return funders[(code, tier)]
        region = Region.objects.get(code=code)
        kinds = ("civil_affairs", "township_government")
        funder = (
            Funder.objects.filter(region=region, tier=tier, kind__in=kinds).order_by("pk").first()
            or Funder.objects.filter(region=region, tier=tier).order_by("pk").first()
        )
        if funder is None:
            funder = Funder.objects.create(
                name=_payer_name(region.name, tier),
                kind="township_government" if tier == "township" else "civil_affairs",
                tier=tier,
                region=region,
                note="",
                contact_name="",
            )
            HistoricalFunder.objects.create(
                id=funder.pk,
                name=funder.name,
                kind=funder.kind,
                tier=funder.tier,
                region_id=region.pk,
                contact_name="",
                note="",
                created_at=funder.created_at,
                updated_at=funder.updated_at,
                history_date=now,
                history_type="+",
                history_change_reason="站点补助并入资金台账",
            )
        funders[(code, tier)] = funder
        return funder

    subsidies = StationSubsidy.objects.select_related("station__region", "policy").order_by("pk")
    for subsidy in subsidies:
        history = list(
            HistoricalStationSubsidy.objects.filter(id=subsidy.pk).order_by(
                "history_date", "history_id"
            )
        )
        first_seen = timezone.localtime(history[0].history_date).date() if history else None
        paid_on = subsidy.paid_on
        if subsidy.status == "paid" and paid_on is None:
            paid_on = _granted_on(subsidy, first_seen)
        if subsidy.status != "paid":
            paid_on = None
        granted_on = _granted_on(subsidy, first_seen)
        policy = subsidy.policy
        grant = Grant.objects.create(
            funder=payer(policy, subsidy.station),
            tier=policy.source,
            fund_type="fiscal",
            policy=policy,
            region_id=subsidy.station.region_id,
            station=subsidy.station,
            programme="",
            amount=subsidy.amount,
            year=subsidy.year,
            document_number="",
            granted_on=granted_on,
            purpose=policy.name[:200],
            restrictions="",
            paid_on=paid_on,
            note=subsidy.note,
        )
        # created_at/updated_at are set on save: keep the subsidy's.
        Grant.objects.filter(pk=grant.pk).update(
            created_at=subsidy.created_at, updated_at=subsidy.updated_at
        )
        common = {
            "id": grant.pk,
            "tier": grant.tier,
            "fund_type": "fiscal",
            "policy_id": policy.pk,
            "region_id": grant.region_id,
            "station_id": subsidy.station_id,
            "funder_id": grant.funder_id,
            "programme": "",
            "document_number": "",
            "granted_on": granted_on,
            "purpose": grant.purpose,
            "restrictions": "",
        }
        rows = []
        for old in history:
            old_paid = old.paid_on if old.status == "paid" else None
            if old.status == "paid" and old_paid is None:
                old_paid = paid_on
            rows.append(
                HistoricalGrant(
                    **common,
                    amount=old.amount,
                    year=old.year,
                    paid_on=old_paid,
                    note=old.note,
                    created_at=old.created_at,
                    updated_at=old.updated_at,
                    history_date=old.history_date,
                    history_type=old.history_type if old.history_type != "-" else "~",
                    history_change_reason=old.history_change_reason,
                    history_user_id=old.history_user_id,
                )
            )
        rows.append(
            HistoricalGrant(
                **common,
                amount=subsidy.amount,
                year=subsidy.year,
                paid_on=paid_on,
                note=subsidy.note,
                created_at=subsidy.created_at,
                updated_at=subsidy.updated_at,
                history_date=now,
                history_type="~" if history else "+",
                history_change_reason=(MOVED % subsidy.pk)[:100],
                history_user_id=None,
            )
        )
        HistoricalGrant.objects.bulk_create(rows)
    subsidies.delete()


def backwards(apps, schema_editor):
    StationSubsidy = apps.get_model("stations", "StationSubsidy")
    HistoricalStationSubsidy = apps.get_model("stations", "HistoricalStationSubsidy")
    Grant = apps.get_model("funds", "Grant")
    HistoricalGrant = apps.get_model("funds", "HistoricalGrant")
    Expense = apps.get_model("funds", "Expense")
    grants = Grant.objects.filter(policy__isnull=False).order_by("pk")
    if Expense.objects.filter(grant__in=grants).exists():
        raise RuntimeError(
            "Money was spent of a subsidy granted under a policy: it cannot go back to being a "
            "station subsidy. Remove those expense lines first."
        )
    for grant in grants:
        subsidy = StationSubsidy.objects.create(
            station_id=grant.station_id,
            policy_id=grant.policy_id,
            amount=grant.amount,
            year=grant.year,
            status="paid" if grant.paid_on else "payable",
            paid_on=grant.paid_on,
            note=grant.note,
        )
        StationSubsidy.objects.filter(pk=subsidy.pk).update(
            created_at=grant.created_at, updated_at=grant.updated_at
        )
        HistoricalStationSubsidy.objects.bulk_create(
            [
                HistoricalStationSubsidy(
                    id=subsidy.pk,
                    station_id=grant.station_id,
                    policy_id=grant.policy_id,
                    amount=old.amount,
                    year=old.year,
                    status="paid" if old.paid_on else "payable",
                    paid_on=old.paid_on,
                    note=old.note,
                    created_at=old.created_at,
                    updated_at=old.updated_at,
                    history_date=old.history_date,
                    history_type=old.history_type,
                    history_change_reason=old.history_change_reason,
                    history_user_id=old.history_user_id,
                )
                for old in HistoricalGrant.objects.filter(id=grant.pk).order_by(
                    "history_date", "history_id"
                )
            ]
        )
        HistoricalGrant.objects.filter(id=grant.pk).delete()
    grants.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("funds", "0002_grant_labels"),
        ("stations", "0003_portfolio_minimums"),
        ("regions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
