"""The demo city's stations and workforce reproduce the published figures (domain.md §1-2).

The demo is built once for the package (tests/demo/conftest.py, ``demo_log``) inside a
transaction that is rolled back at the end, so no other test sees it. Every figure is
recomputed here from the rows with plain ORM queries.
"""

import random
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import F, Min, Q
from django.utils import timezone

from swstation.accounts.models import User
from swstation.funds.models import Grant
from swstation.regions.models import Population, Region
from swstation.stations.models import (
    ConstructionStandard,
    OperatingModel,
    Room,
    ServiceAgency,
    SpecialKind,
    Station,
    StationKind,
    StationStatus,
    SubsidyPolicy,
)
from swstation.workforce.models import (
    Attendance,
    Certificate,
    ClassTier,
    Course,
    Payment,
    PaymentBatch,
    RewardPolicy,
    SocialWorker,
    SupervisionSession,
    Supervisor,
    TalentEntry,
    TrainingClass,
)
from tests.dashboard.helpers import snapshot

# With `--dist loadgroup` the group runs on one worker, which builds the demo once.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo_city")]

CITY = "330200000000"
BEILUN = "330206"
DONGLIU = "330212012000"
URBAN = ("330203", "330205", "330211", "330212")
TODAY = date(2025, 1, 1)  # the demo's "as of" date: every leaving date is before it
MODELS: tuple[Any, ...] = (
    ServiceAgency,
    Station,
    Room,
    ConstructionStandard,
    SubsidyPolicy,
    Grant,
    SocialWorker,
    Certificate,
    RewardPolicy,
    PaymentBatch,
    Payment,
    TrainingClass,
    Course,
    Attendance,
    Supervisor,
    SupervisionSession,
    TalentEntry,
)


def township_stations() -> Any:
    return Station.objects.filter(kind=StationKind.TOWNSHIP)


def first_certified_per_year() -> Counter[int]:
    firsts = (
        SocialWorker.objects.annotate(first=Min("certificates__obtained_on"))
        .exclude(first=None)
        .values_list("first", flat=True)
    )
    return Counter(day.year for day in firsts)


def certified_at_end_of(year: int) -> int:
    return (
        SocialWorker.objects.filter(certificates__obtained_on__lte=date(year, 12, 31))
        .distinct()
        .count()
    )


def active_fulltime_staff() -> Counter[int]:
    return Counter(
        SocialWorker.objects.filter(station__kind=StationKind.TOWNSHIP, is_fulltime=True)
        .filter(Q(left_on=None) | Q(left_on__gt=TODAY))
        .values_list("station_id", flat=True)
    )


# --- stations -----------------------------------------------------------------------------------


def test_log_has_one_line_per_step_with_counts(demo_log: str) -> None:
    lines = {line.split(":")[0].strip(): line for line in demo_log.splitlines() if ":" in line}
    assert "156 township stations" in lines["stations"]
    assert "19100 certified" in lines["workforce"]


def test_one_township_station_in_every_town_and_street_none_in_development_zones(
    demo_log: str,
) -> None:
    towns = Region.objects.filter(level="township", is_development_zone=False)
    assert towns.count() == 156
    stations = township_stations().select_related("region")
    assert stations.count() == 156
    assert {s.region_id for s in stations} == set(towns.values_list("id", flat=True))
    assert not stations.filter(region__is_development_zone=True).exists()
    for station in stations:
        assert station.name == f"{station.region.name}社会工作站"
        assert station.status == StationStatus.OPERATING


def test_stations_opened_45_50_61_in_2020_2021_2022(demo_log: str) -> None:
    per_year = Counter(township_stations().values_list("opened_on__year", flat=True))
    assert per_year == {2020: 45, 2021: 50, 2022: 61}


def test_earlier_years_favour_the_urban_districts(demo_log: str) -> None:
    urban_share = {}
    for year in (2020, 2022):
        codes = township_stations().filter(opened_on__year=year).values_list("region__code")
        urban_share[year] = sum(1 for (code,) in codes if code[:6] in URBAN) / len(codes)
    assert urban_share[2020] > 0.5 > urban_share[2022]


def test_district_hubs_with_jiangbei_first(demo_log: str) -> None:
    hubs = Station.objects.filter(kind=StationKind.DISTRICT_HUB)
    jiangbei = hubs.get(region__code="330205000000")
    assert jiangbei.name == "江北区社会工作总站"
    assert 3 <= hubs.count() <= 10
    assert set(hubs.values_list("region__level", flat=True)) == {"county"}


def test_beilun_has_seven_special_demonstration_stations(demo_log: str) -> None:
    beilun = Station.objects.filter(kind=StationKind.SPECIAL, region__code__startswith=BEILUN)
    assert beilun.count() == 7
    assert set(beilun.values_list("special_kind", flat=True)) == set(SpecialKind.values)
    assert all("示范站" in name for name in beilun.values_list("name", flat=True))


def test_dongliu_school_station_serves_eight_schools(demo_log: str) -> None:
    station = Station.objects.get(region__code=DONGLIU, kind=StationKind.SPECIAL)
    assert station.name == "东柳街道学校社会工作站"
    assert station.special_kind == SpecialKind.SCHOOL
    assert "8所学校" in station.note
    others = Station.objects.filter(kind=StationKind.SPECIAL).exclude(
        region__code__startswith=BEILUN
    )
    assert others.count() >= 3  # a few elsewhere besides 东柳街道


def test_outposts_sit_in_villages_of_their_township_station(demo_log: str) -> None:
    outposts = Station.objects.filter(kind=StationKind.OUTPOST).select_related(
        "region", "parent_station__region"
    )
    assert 200 <= outposts.count() <= 600
    for outpost in outposts:
        assert outpost.region.level == "village"
        assert outpost.parent_station is not None
        assert outpost.parent_station.kind == StationKind.TOWNSHIP
        assert outpost.region.parent_id == outpost.parent_station.region_id
        assert outpost.name.endswith(("社工室", "社工联络站"))


def _credit_code_is_valid(code: str) -> bool:
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    if len(code) != 18 or any(c not in chars for c in code):
        return False
    total = sum(chars.index(c) * pow(3, i, 31) for i, c in enumerate(code[:17]))
    return chars[(31 - total % 31) % 31] == code[17]


def test_agencies_have_valid_credit_codes_of_their_district(demo_log: str) -> None:
    agencies = ServiceAgency.objects.select_related("region")
    assert 25 <= agencies.count() <= 35
    for agency in agencies:
        assert _credit_code_is_valid(agency.credit_code), agency.credit_code
        assert agency.credit_code[2:8] == agency.region.code[:6]
        # The assessment agencies of the evaluators (demo/evaluation.py) run no station.
        assert agency.name.endswith("社会工作服务中心") or agency.evaluators.exists()
    assert _credit_code_is_valid("91350100M000100Y43")  # GB 32100's own example
    assert not _credit_code_is_valid("91350100M000100Y44")


def test_most_township_stations_are_commissioned_to_an_agency_of_their_district(
    demo_log: str,
) -> None:
    stations = township_stations().select_related("agency__region", "region")
    models = Counter(s.operating_model for s in stations)
    assert models[OperatingModel.COMMISSIONED_AGENCY] > 156 * 0.6
    assert len(models) == 4
    for station in stations:
        if station.operating_model == OperatingModel.COMMISSIONED_AGENCY:
            assert station.agency is not None
            assert station.agency.region.code[:6] == station.region.code[:6]
            assert station.contract_start and station.contract_end
            # Renewed up to the build day (demo/daily.py, issue 10): none has lapsed.
            assert station.contract_start <= timezone.localdate() <= station.contract_end
    # Each district's own model, as the city's reports describe them (issue 11): not drawn.
    by_district: dict[str, set[str]] = defaultdict(set)
    for station in stations:
        by_district[station.region.code[:6]].add(station.operating_model)
    assert by_district["330203"] == {OperatingModel.DEDICATED_POSTS}  # 海曙区
    assert by_district["330205"] == {OperatingModel.COMMUNITY_WORKER_ESTABLISHMENT}  # 江北区
    assert by_district["330225"] == {OperatingModel.COUNTY_RECRUITMENT}  # 象山县
    for district in ("330212", "330213", "330282"):  # 鄞州区, 奉化区, 慈溪市
        assert by_district[district] == {OperatingModel.COMMISSIONED_AGENCY}
    # 江北, 海曙 and 象山 count their station staff as full-time community workers; 海曙's added
    # posts are staffed with social-assistance staff.
    staff = SocialWorker.objects.filter(station__kind=StationKind.TOWNSHIP)
    counted = {"330203", "330205", "330225"}
    flags: dict[bool, set[bool]] = defaultdict(set)
    for code, flag in staff.values_list("station__region__code", "is_community_worker"):
        flags[code[:6] in counted].add(flag)
    assert flags == {True: {True}, False: {False}}
    assistance = staff.filter(note__startswith="社会救助经办人员")
    assert {code[:6] for code in assistance.values_list("station__region__code", flat=True)} == {
        "330203"
    }
    assert assistance.count() == sum(1 for s in stations if s.region.code.startswith("330203"))


def test_cicheng_says_why_its_communities_differ_from_the_seeds(demo_log: str) -> None:
    """The seeds count 35 villages and 10 communities in 慈城镇; the division data holds 11
    community-level units: kept, and said on the station's page (issue 11)."""
    cicheng = Region.objects.get(code="330205103000")
    units = Counter(
        "community" if r.code[9] == "0" else "village"
        for r in Region.objects.filter(parent=cicheng)
    )
    assert units == {"village": 35, "community": 11}
    station = township_stations().get(region=cicheng)
    assert "35个行政村、10个社区" in station.note and "11个社区级单位" in station.note


def test_construction_standard_and_a_few_non_compliant_stations(demo_log: str) -> None:
    standard = ConstructionStandard.objects.get(name="宁波市乡镇(街道)社会工作站建设标准")
    assert standard.valid_from == date(2020, 1, 1)
    assert standard.station_kinds == ["township"]
    assert standard.requires_sign and standard.requires_portfolio
    assert standard.min_fulltime_staff == 3
    assert 4 <= len(standard.required_rooms) <= 5
    required = set(standard.required_rooms)
    rooms: dict[int, set[str]] = defaultdict(set)
    for station_id, kind in Room.objects.filter(station__kind="township").values_list(
        "station_id", "kind"
    ):
        rooms[station_id].add(kind)
    staff = active_fulltime_staff()
    missing_room, no_sign, short_staffed = set(), set(), set()
    for station in township_stations():
        if not required <= rooms[station.id]:
            missing_room.add(station.id)
        if not station.has_sign:
            no_sign.add(station.id)
        if staff[station.id] < standard.min_fulltime_staff:
            short_staffed.add(station.id)
    assert missing_room and no_sign and short_staffed
    assert 5 <= len(missing_room | no_sign | short_staffed) <= 8
    shared = Room.objects.exclude(shared_with="")
    assert shared.filter(station__kind="township").count() > 50


def test_every_built_township_station_has_the_50000_city_subsidy(demo_log: str) -> None:
    policy = SubsidyPolicy.objects.get(name="市级社工站建设一次性补助")
    assert (policy.source, policy.amount, policy.one_time) == ("city", Decimal(50000), True)
    assert policy.station_kinds == ["township"] and policy.valid_from == date(2020, 1, 1)
    # A grant of the city's tier under the policy, from the city's civil-affairs bureau
    # (issue 12: one ledger).
    subsidies = Grant.objects.filter(policy__isnull=False).select_related("station", "funder")
    assert subsidies.count() == 156
    assert {(s.funder.name, s.tier) for s in subsidies} == {("宁波市民政局", "city")}
    assert set(subsidies.values_list("station__kind", flat=True)) == {"township"}
    payable_2022 = 0
    for subsidy in subsidies:
        assert subsidy.amount == Decimal(50000) and subsidy.policy_id == policy.pk
        assert subsidy.station.opened_on is not None
        assert subsidy.year == subsidy.station.opened_on.year
        if subsidy.year < 2022:
            assert subsidy.status == "paid" and subsidy.paid_on is not None
            assert subsidy.paid_on.year in (subsidy.year, subsidy.year + 1)
        elif subsidy.status == "payable":
            payable_2022 += 1
    assert 0 < payable_2022 < 61 / 2


# --- workforce ----------------------------------------------------------------------------------


def test_newly_certified_per_first_certificate_year(demo_log: str) -> None:
    per_year = first_certified_per_year()
    assert per_year[2021] == 2100
    assert per_year[2022] == 6635
    assert round((per_year[2022] / per_year[2021] - 1) * 100) == 216
    assert min(per_year) == 2008  # the first national examination
    assert max(per_year) == 2023  # the last published figure
    assert all(per_year[y] > 0 for y in range(2008, 2024))


def test_cumulative_certified_and_per_10000_residents(demo_log: str) -> None:
    """10,411 at the end of 2021 (published beside the 95 stations built by then), 17,046 a
    year later, 19,000+ in 2023 (issue 11)."""
    assert certified_at_end_of(2021) == 10411
    assert certified_at_end_of(2022) == 10411 + 6635
    end_2023 = certified_at_end_of(2023)
    assert 18_500 <= end_2023 <= 19_500
    population = Population.objects.get(region__code=CITY, year=2023).population
    assert population == 9_697_000
    assert 19 <= end_2023 / population * 10_000 <= 21


def test_certificate_levels(demo_log: str) -> None:
    levels: dict[int, dict[str, date]] = defaultdict(dict)
    for worker_id, level, obtained in Certificate.objects.values_list(
        "social_worker_id", "level", "obtained_on"
    ):
        levels[worker_id][level] = obtained
    tops = Counter(
        "senior" if "senior" in held else "intermediate" if "intermediate" in held else "assistant"
        for held in levels.values()
    )
    people = len(levels)
    assert 0.70 <= tops["assistant"] / people <= 0.80
    assert 0.18 <= tops["intermediate"] / people <= 0.26
    assert 0.005 <= tops["senior"] / people <= 0.025
    upgraded = [h for h in levels.values() if {"assistant", "intermediate"} <= set(h)]
    assert len(upgraded) > 0.25 * tops["intermediate"]
    assert all(h["assistant"] < h["intermediate"] for h in upgraded)
    for held in levels.values():
        if "senior" in held:
            assert held["intermediate"] < held["senior"]
    assert set(Certificate.objects.filter(level="senior").values_list("method", flat=True)) == {
        "review"
    }
    assert not Certificate.objects.filter(level="assistant", method="review").exists()
    outside = Certificate.objects.filter(Q(exam_in_city=False) | Q(registered_in_city=False))
    assert 0 < outside.count() < 0.1 * Certificate.objects.count()


def test_people_are_spread_over_townships_by_district_population(demo_log: str) -> None:
    certified = SocialWorker.objects.filter(certificates__isnull=False).distinct()
    assert set(certified.values_list("region__level", flat=True)) <= {"township", "county"}
    by_district = Counter(code[:6] for code in certified.values_list("region__code", flat=True))
    census = {
        p.region.code[:6]: p.population
        for p in Population.objects.filter(year=2020, region__level="county").select_related(
            "region"
        )
    }
    total_people, total_census = sum(by_district.values()), sum(census.values())
    for district, population in census.items():
        assert by_district[district] / total_people == pytest.approx(
            population / total_census, abs=0.003
        )


def test_each_compliant_township_station_has_3_to_8_fulltime_staff_and_a_director(
    demo_log: str,
) -> None:
    staff = active_fulltime_staff()
    counts = Counter(staff[s.id] for s in township_stations())
    assert set(counts) <= set(range(1, 9))
    assert sum(n for size, n in counts.items() if size < 3) in range(1, 5)
    directors = Counter(
        SocialWorker.objects.filter(post="station_director", station__kind="township").values_list(
            "station_id", flat=True
        )
    )
    assert len(directors) == 156 and set(directors.values()) == {1}
    mismatched = SocialWorker.objects.exclude(station=None).exclude(
        region_id=F("station__region_id")
    )
    assert not mismatched.exists()
    for worker in SocialWorker.objects.filter(station__kind="township").select_related("station")[
        :500
    ]:
        assert worker.hired_on is not None
        assert worker.station is not None and worker.station.opened_on is not None


def test_other_workers_community_workers_civil_servants_and_leavers(demo_log: str) -> None:
    workers = SocialWorker.objects
    total = workers.count()
    assert total > 19_100  # the certified people plus uncertified station staff
    assert workers.filter(is_community_worker=True).count() > total * 0.4
    assert 0 < workers.filter(is_fulltime=False).count() < total * 0.3
    assert 0 < workers.filter(is_civil_servant=True).count() < total * 0.06
    leavers = workers.exclude(left_on=None)
    assert 10 <= leavers.count() <= 200
    assert all(w.hired_on and w.hired_on < w.left_on < TODAY for w in leavers)
    for worker in random.Random(7).sample(list(workers.all()[:3000]), 300):
        assert worker.phone[:2] in ("13", "15", "18") and len(worker.phone) == 11
        assert 2 <= len(worker.name) <= 3
        assert worker.birth_date is not None
        assert date(1950, 1, 1) < worker.birth_date < date(2004, 1, 1)


def test_reward_and_allowance_rules(demo_log: str) -> None:
    rules = {(r.kind, r.level): r for r in RewardPolicy.objects.all()}
    assert {k: r.amount for k, r in rules.items()} == {
        ("exam_reward", "assistant"): 1500,
        ("exam_reward", "intermediate"): 3000,
        ("exam_reward", "senior"): 5000,
        ("job_allowance", "assistant"): 200,
        ("job_allowance", "intermediate"): 400,
        ("job_allowance", "senior"): 600,
    }
    assert {r.valid_from for (k, _l), r in rules.items() if k == "exam_reward"} == {
        date(2022, 1, 1)
    }
    assert {r.valid_from for (k, _l), r in rules.items() if k == "job_allowance"} == {
        date(2023, 1, 1)
    }


def test_the_paid_2022_exam_reward_batch(demo_log: str) -> None:
    batch = PaymentBatch.objects.get(kind="exam_reward", period_start=date(2022, 1, 1))
    assert batch.region.code == CITY and batch.status == "paid"
    assert (batch.period_start, batch.period_end) == (date(2022, 1, 1), date(2022, 12, 31))
    assert batch.paid_on is not None and batch.approved_by is not None
    eligible = Certificate.objects.filter(
        obtained_on__year=2022,
        social_worker__is_civil_servant=False,
        exam_in_city=True,
        registered_in_city=True,
    )
    payments = Payment.objects.filter(batch=batch)
    assert set(payments.values_list("certificate_id", flat=True)) == set(
        eligible.values_list("id", flat=True)
    )
    assert payments.count() > 6000
    amounts = {"assistant": 1500, "intermediate": 3000, "senior": 5000}
    for level, amount in payments.values_list("certificate__level", "amount").distinct():
        assert amount == amounts[level]
    assert not payments.exclude(social_worker_id=F("certificate__social_worker_id"))


def test_training_classes_courses_and_attendance(demo_log: str) -> None:
    classes = TrainingClass.objects.all()
    per = Counter(classes.values_list("region__code", "tier", "starts_on__year"))
    assert len(per) == 10 * 3 * 3 and set(per.values()) == {1}
    assert set(classes.values_list("tier", flat=True)) == {
        ClassTier.JINDING,
        ClassTier.YINDING,
        ClassTier.WENDING,
    }
    assert classes.filter(name__contains="金鼎班", tier="jinding").count() == 30
    courses = Course.objects.all()
    assert set(courses.values_list("mode", flat=True)) == {"online", "offline"}
    assert courses.filter(training_class=None, region__code=CITY).exists()
    attendances = Attendance.objects.select_related("course")
    # The classes' courses of 2022-2024, and the station staff's continuing education of the
    # evaluation's years (demo/workforce.py: the B4 indicator).
    assert 10_000 <= attendances.count() <= 25_000
    assert not attendances.filter(hours__gt=F("course__hours")).exists()


def test_supervisors_sessions_and_talent_lists(demo_log: str) -> None:
    levels = Counter(Supervisor.objects.values_list("level", flat=True))
    assert levels == {"provincial": 5, "city": 20, "domain_expert": 15}
    assert set(Supervisor.objects.values_list("region__level", flat=True)) == {"city", "county"}
    sessions = SupervisionSession.objects.select_related("supervisor__region", "station__region")
    # 2023-2024 (demo/workforce.py), then every month to the build day (demo/daily.py), with
    # each township station's monthly group supervision (the B3 indicator).
    assert 2000 <= sessions.count() <= 5000
    built_on = timezone.localdate()
    months = {(d.year, d.month) for d in sessions.values_list("held_on", flat=True)}
    assert (built_on.year, built_on.month) in months
    for session in sessions.prefetch_related("participants"):
        assert date(2023, 1, 1) <= session.held_on <= built_on
        assert session.station.region.code.startswith(session.supervisor.region.prefix)
        assert all(p.station_id == session.station_id for p in session.participants.all())
    assert sessions.filter(participants__isnull=False).distinct().count() > 0.9 * sessions.count()
    assert sessions.exclude(follow_up_due=None).filter(follow_up_done=False).exists()


def test_talent_catalogues_as_the_city_keeps_them(demo_log: str) -> None:
    """Every senior social worker on the high-level list (since 2018, after their senior
    certificate); national leading talents on the leading list and Zhejiang's provincial
    leading talents on the top-notch list (issue 11); no invented category."""
    entries = TalentEntry.objects.all()
    high = entries.filter(catalogue="high_level")
    seniors = dict(
        Certificate.objects.filter(level="senior").values_list("social_worker_id", "obtained_on")
    )
    assert dict(Counter(high.values_list("social_worker_id", flat=True))) == dict.fromkeys(
        seniors, 1
    )
    for worker_id, listed_on, note in high.values_list("social_worker_id", "listed_on", "note"):
        assert listed_on >= date(2018, 1, 1) and listed_on > seniors[worker_id]
        assert note == "高级社会工作师,列入市高层次人才目录"
    assert set(entries.filter(catalogue="leading").values_list("note", flat=True)) == {
        "全国社会工作领军人才,列入市领军人才目录"
    }
    assert set(entries.filter(catalogue="top_notch").values_list("note", flat=True)) == {
        "浙江省社会工作领军人才,列入市拔尖人才目录"
    }
    assert (
        1
        <= entries.filter(catalogue="leading").count()
        < entries.filter(catalogue="top_notch").count()
        < high.count()
    )
    assert not entries.filter(note__contains="市级社会工作拔尖人才").exists()


def test_demo_accounts_are_linked_to_people(demo_log: str) -> None:
    worker = User.objects.get(username="cicheng_worker").social_worker
    assert worker.station is not None
    assert worker.station.name == "慈城镇社会工作站" and worker.left_on is None
    manager = User.objects.get(username="cicheng_manager").social_worker
    assert manager.post == "station_director" and manager.station == worker.station
    supervisor = User.objects.get(username="city_supervisor").supervisor_profile
    assert supervisor.region.code == CITY and supervisor.level == "city"


def test_rows_have_history_and_pass_model_validation(demo_log: str) -> None:
    rng = random.Random(3)
    for model in MODELS:
        count = model.objects.count()
        assert count > 0, model
        assert model.history.filter(history_type="+").count() == count, model
        ids = sorted(model.objects.values_list("id", flat=True))
        for pk in rng.sample(ids, min(40, len(ids))):
            model.objects.get(pk=pk).full_clean()


def every_table() -> dict[str, int]:
    """The number of rows of every model, history tables included (the platform's own
    bookkeeping apart: sessions, the task queue, the cockpit's aggregates, compared below)."""
    skipped = {"sessions", "django_tasks_database", "dashboard"}
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in skipped
    }


def test_running_the_demo_again_changes_nothing(demo_log: str, settings: Any) -> None:
    """A second run adds no row to any table, history included (it used to add 42 historical
    user rows: each demo account saved twice), and leaves the cockpit's figures as they were."""
    settings.DEBUG = True
    before, figures = every_table(), snapshot()
    assert before["accounts.HistoricalUser"] > 0
    names = list(SocialWorker.objects.order_by("id").values_list("name", "phone")[:200])
    passwords = dict(User.objects.values_list("username", "password"))
    out = StringIO()
    call_command("demo", stdout=out)
    assert "stations: already built" in out.getvalue()
    assert "workforce: already built" in out.getvalue()
    assert "accounts: 0 created, 0 corrected" in out.getvalue()
    assert every_table() == before
    assert snapshot() == figures
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert list(SocialWorker.objects.order_by("id").values_list("name", "phone")[:200]) == names


def test_a_demo_account_changed_by_hand_is_put_back(demo_log: str, settings: Any) -> None:
    settings.DEBUG = True
    officer = User.objects.get(username="jiangbei_officer")
    User.objects.filter(pk=officer.pk).update(full_name="改过的名字", is_active=False)
    officer.set_password("another-password")
    officer.save(update_fields=["password"])
    rows = officer.history.count()
    out = StringIO()
    call_command("demo", stdout=out)
    assert "accounts: 0 created, 1 corrected" in out.getvalue()
    officer.refresh_from_db()
    assert officer.is_active and officer.full_name == "江北区民政局"
    assert officer.check_password(settings.SWSTATION_DEMO_PASSWORD)
    assert officer.history.count() == rows + 2  # the correction, then the password


def test_counts_are_the_same_on_every_build(demo_log: str) -> None:
    """The generator is seeded: the plan of townships is identical when drawn again."""
    from swstation.demo.stations import plan_townships

    towns = [
        (r.code, r.name) for r in Region.objects.filter(level="township", is_development_zone=False)
    ]
    first, second = plan_townships(towns), plan_townships(list(reversed(towns)))
    assert first == second
    opened = {s.region.code: s.opened_on for s in township_stations().select_related("region")}
    assert {code: plan.opened_on for code, plan in first.items()} == opened


def test_demo_accounts_regions_and_census(demo_log: str, settings: Any) -> None:
    from swstation.accounts.models import User
    from swstation.demo.accounts import DEMO_ACCOUNTS
    from swstation.regions.models import Population, Region

    names = [account.username for account in DEMO_ACCOUNTS]
    users = {
        u.username: u
        for u in User.objects.filter(username__in=names).select_related("jurisdiction")
    }
    assert len(users) == len(DEMO_ACCOUNTS)
    assert users["city_admin"].jurisdiction.code == "330200000000"  # type: ignore[union-attr]
    assert users["jiangbei_officer"].role == "district_officer"
    assert users["jiangbei_officer"].jurisdiction.code == "330205000000"  # type: ignore[union-attr]
    assert users["jiangbei_officer"].check_password(settings.SWSTATION_DEMO_PASSWORD)
    assert Region.objects.count() == 3215
    census = Population.objects.get(region__code="330200000000", year=2020)
    assert census.population == 9_404_283 and census.status == "census_verified"
