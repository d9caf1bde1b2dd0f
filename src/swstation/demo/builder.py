"""Builds the demo city from nothing, the same way every time.

Each step is idempotent: running the demo twice leaves the same data. Later domains add their
steps to :data:`STEPS`, in dependency order.
"""

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import connection, transaction

from swstation.accounts.models import User
from swstation.accounts.services import user_create, user_update
from swstation.core.actors import SYSTEM
from swstation.dashboard.models import Tally
from swstation.dashboard.services import tally_rebuild
from swstation.demo.accounts import DEMO_ACCOUNTS
from swstation.demo.assessors import build_assessor_qualifications
from swstation.demo.bulk import analyze
from swstation.demo.cases import build_cases
from swstation.demo.community import build_community
from swstation.demo.daily import build_daily_work
from swstation.demo.district import build_district_assessment
from swstation.demo.employment import build_employment
from swstation.demo.entry_dates import build_entry_dates
from swstation.demo.evaluation import build_evaluation
from swstation.demo.funds import build_funds
from swstation.demo.history import history
from swstation.demo.income import build_income_follow_ups
from swstation.demo.linkage import build_linkage
from swstation.demo.project_work import build_project_work
from swstation.demo.projects import build_projects
from swstation.demo.recipients import build_recipients
from swstation.demo.scale import scaled
from swstation.demo.stars import build_star_round
from swstation.demo.stations import build_stations
from swstation.demo.trainings import build_trainings
from swstation.demo.volunteers import build_volunteers
from swstation.demo.workforce import build_workforce
from swstation.regions.models import Population, Region
from swstation.regions.services import PACKAGED_DATA, population_import, region_import_divisions
from swstation.stations.models import Room, Station
from swstation.workforce.models import Certificate, Payment, PaymentBatch, SocialWorker


def build_regions(log: Callable[[str], None]) -> None:
    report = region_import_divisions(path=PACKAGED_DATA / "divisions.csv", actor=SYSTEM)
    log(f"regions: {report.summary()}")
    report = population_import(path=PACKAGED_DATA / "population.csv", actor=SYSTEM)
    log(f"population: {report.summary()}")


def build_accounts(log: Callable[[str], None]) -> None:
    """The demo accounts: created when missing, corrected when someone changed them, and left
    alone (no history row) when they are as the demo makes them."""
    regions = {
        r.code: r for r in Region.objects.filter(code__in={a.region_code for a in DEMO_ACCOUNTS})
    }
    existing = {
        u.username: u for u in User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS])
    }
    # One hash for every account: hashing is deliberately slow, and the demo should not be. A
    # hash already stored that matches the demo password is kept (checked once per distinct
    # hash, usually one), so a second run rewrites no password.
    password = settings.SWSTATION_DEMO_PASSWORD
    password_hash = next(
        (h for h in sorted({u.password for u in existing.values()}) if check_password(password, h)),
        None,
    ) or make_password(password)
    created = corrected = 0
    for account in DEMO_ACCOUNTS:
        region = regions[account.region_code]
        full_name = account.full_name
        if account.role == "district_officer":
            full_name = f"{region.name}民政局"
        user = existing.get(account.username)
        if user is None:
            user = user_create(
                actor=SYSTEM,
                username=account.username,
                password=None,
                role=account.role,
                jurisdiction=region,
                full_name=full_name,
            )
            created += 1
        else:
            wanted = {
                "role": account.role,
                "jurisdiction": region,
                "full_name": full_name,
                "is_active": True,
            }
            if any(getattr(user, name) != value for name, value in wanted.items()):
                user_update(actor=SYSTEM, user=user, **wanted)
                corrected += 1
            if user.password == password_hash:
                continue
        user.password = password_hash
        user.save(update_fields=["password"])
    log(
        f"accounts: {created} created, {corrected} corrected, "
        f"{len(DEMO_ACCOUNTS) - created - corrected} as they were"
    )


def build_cockpit(log: Callable[[str], None]) -> None:
    """Count the cockpit's aggregates: the steps above load records in bulk, past the signals
    that keep them up to date."""
    rows = tally_rebuild()
    # The cockpit and the lists join these tables by region prefix; plan them with real
    # figures from the first request (the recipients and cases steps analyse their own).
    analyze(
        (
            Region,
            Population,
            Station,
            Room,
            SocialWorker,
            Certificate,
            PaymentBatch,
            Payment,
            Tally,
        )
    )
    log(f"cockpit: {rows} aggregate rows counted")


STEPS: list[tuple[str, Callable[[Callable[[str], None]], None]]] = [
    ("regions", build_regions),
    ("accounts", build_accounts),
    ("stations", build_stations),
    ("workforce", build_workforce),
    ("recipients", build_recipients),
    ("cases", build_cases),
    ("projects", build_projects),
    # Before the project work, which links the visits it records to their projects.
    ("daily work", build_daily_work),
    ("project work", build_project_work),
    ("funds", build_funds),
    # After the cases, whose recipients and workers the referrals name.
    ("partners and referrals", build_linkage),
    # After the project work (the visit plans linked to 幸福来敲门, its elders paired).
    ("volunteers", build_volunteers),
    # After the project work (周巷镇's growth group takes the children of its project) and the
    # volunteers (whose hours at activities and sessions it records).
    ("groups and activities", build_community),
    # After the partners (慈城镇's 24 enterprises of 慈缘驿站 and the places they offer).
    ("employment aid", build_employment),
    # After the employment aid: 慈缘驿站's skills trainings name the town's job seekers.
    ("skills trainings", build_trainings),
    # After the projects, whose enrolled households the livelihood projects follow.
    ("income follow-up", build_income_follow_ups),
    # After every step that writes dated records of the stations' work: the day each was
    # entered (an evaluation counts only what was entered by its cut-off).
    ("entry dates", build_entry_dates),
    # After every step whose records the automatic indicators measure, and the accounts
    # (city_evaluator, the districts' officers, the stations' managers act in the rounds).
    ("evaluation", build_evaluation),
    ("stars", build_star_round),
    ("assessor qualifications", build_assessor_qualifications),
    ("cockpit", build_cockpit),
    # After the cockpit's aggregates: the assessment's coverage, compliance, village and
    # certification figures are the cockpit's; after the evaluation, whose 2025 round it reads.
    ("district assessment", build_district_assessment),
]


def build_demo(log: Callable[[str], None] = print, **options: Any) -> None:
    """Run the steps in one transaction, at the scale and with the time line of ``options``
    (``scale``, ``full_history``: demo/scale.py, demo/history.py)."""
    with (
        scaled(options.get("scale", 1)),
        history(full=bool(options.get("full_history", False))) as line,
        transaction.atomic(),
    ):
        log(f"history: {line.describe()}")
        if connection.vendor == "sqlite":
            # Hundreds of thousands of rows and their indexes: a page cache of 256 MB for this
            # connection (the default 2 MB rereads the index pages from disk on every insert).
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")
        for name, step in STEPS:
            started = time.perf_counter()
            step(log)
            log(f"{name} step: {time.perf_counter() - started:.1f} s")
