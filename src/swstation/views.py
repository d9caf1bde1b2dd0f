"""The home page: each role's own work first (issue 10), composed from the selectors of the apps
that own the records; no figure is computed here."""

from datetime import timedelta
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.views import View

from swstation.cases import selectors as cases
from swstation.core.permissions import user_can
from swstation.core.roles import MANAGERS, Role
from swstation.dashboard import selectors as dashboard
from swstation.dashboard.charts import headlines
from swstation.dashboard.permissions import user_sees_cockpit
from swstation.evaluation import selectors as evaluation
from swstation.funds import subsidies as funds_subsidies
from swstation.recipients.selectors import (
    identity_view_summary,
    open_duplicate_reviews,
    user_reviews_duplicates,
)
from swstation.regions import selectors as region_selectors
from swstation.stations import selectors as stations
from swstation.workforce import selectors as workforce
from swstation.workforce.models import SupervisionSession

# The cockpit's headline figures a bureau sees on its home page (dashboard.charts.headlines).
HOME_HEADLINES = (
    "compliance",
    "village-coverage",
    "certified",
    "recipients",
    "cases-open",
    "visits-overdue",
)
HOME_LIST = 5
# The auditor's home counts the personal-data accesses of this many days.
AUDIT_DAYS = 30

# Which home each role gets; a superuser without a role gets the city bureau's.
HOMES: dict[str, str] = {
    Role.SOCIAL_WORKER: "worker",
    Role.STATION_MANAGER: "manager",
    Role.SUPERVISOR: "supervisor",
    Role.DISTRICT_OFFICER: "bureau",
    Role.CITY_ADMIN: "bureau",
    Role.AUDITOR: "bureau",
    Role.EVALUATOR: "evaluator",
}


def home_kind(user: Any) -> str:
    role = getattr(user, "role", "") or (Role.CITY_ADMIN if user.is_superuser else "")
    return HOMES.get(role, "none")


class HomeView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        on = timezone.localdate()
        kind = home_kind(user)
        context: dict[str, Any] = {
            "on": on,
            "home": kind,
            "home_region": region_selectors.user_home_region(actor=user),
        }
        builder = {
            "worker": _worker,
            "manager": _manager,
            "supervisor": _supervisor,
            "bureau": _bureau,
            "evaluator": _evaluator,
        }.get(kind)
        if builder is not None and context["home_region"] is not None:
            context.update(builder(user, on))
        return render(request, "home.html", context)


def _worker(user: Any, on: Any) -> dict[str, Any]:
    """Today's and overdue work by kind, the open cases with their next step."""
    steps, total = cases.open_cases_with_next_step(actor=user, on=on)
    return {
        "agenda": cases.worker_agenda(actor=user, on=on),
        "case_steps": steps,
        "cases_total": total,
        "open_cases_url": cases.open_cases_url(),
    }


def _endings(user: Any, on: Any) -> dict[str, Any]:
    """Agency contracts that ended or end soon, and policies about to lapse (for the roles
    that manage stations)."""
    if not getattr(user, "is_superuser", False) and getattr(user, "role", None) not in MANAGERS:
        return {}
    contracts = stations.station_contracts_ending(actor=user, on=on)
    policies = stations.station_policies_ending(on=on) + workforce.reward_policies_ending(on=on)
    return {
        "shows_endings": True,
        "contracts": contracts[:HOME_LIST],
        "contracts_total": len(contracts),
        "contracts_ended": sum(1 for ending in contracts if ending.ended),
        "policies": sorted(policies, key=lambda ending: ending.ends_on),
    }


def _manager(user: Any, on: Any) -> dict[str, Any]:
    """The station: its compliance, staff and their load, cases by next step, what ends."""
    own = stations.home_stations(actor=user)
    return {
        "stations": [
            {"station": station, "compliance": stations.station_compliance(station=station)}
            for station in own
        ],
        "agenda": cases.worker_agenda(actor=user, on=on, limit=0),
        "workload": cases.station_workload(actor=user, on=on),
        "steps": cases.cases_by_next_step(actor=user),
        "sees_cockpit": user_sees_cockpit(user),
        **_endings(user, on),
    }


def _supervisor(user: Any, on: Any) -> dict[str, Any]:
    """The closures to approve, the supervisor's own sessions and follow-ups."""
    closures, closures_total = cases.closures_awaiting_approval(actor=user, limit=HOME_LIST)
    return {
        "closures": closures,
        "closures_total": closures_total,
        "supervision": workforce.supervision_agenda(actor=user, on=on),
        "can_add_session": user_can(user, "add", SupervisionSession),
        "steps": cases.cases_by_next_step(actor=user),
    }


def _evaluator(user: Any, on: Any) -> dict[str, Any]:
    """A third-party evaluator: the stations assigned to them waiting for their scoring."""
    waiting, total = evaluation.evaluator_agenda(actor=user, limit=HOME_LIST * 2)
    return {"evaluations": waiting, "evaluations_total": total}


def _bureau(user: Any, on: Any) -> dict[str, Any]:
    """The cockpit's headline (its own selectors, not recomputed) and what needs the user."""
    region = dashboard.cockpit_region(actor=user, code=None)
    result = dashboard.cockpit(
        actor=user, region=region, period=dashboard.default_period(on), detailed=False
    )
    chosen = {headline.id: headline for headline in headlines(result)}
    batches = workforce.payment_batches_waiting(actor=user)
    audits = getattr(user, "role", None) == Role.AUDITOR
    needs = {
        "audits": audits,
        "may_review": user_reviews_duplicates(user),
        "may_pay_subsidies": funds_subsidies.may_pay_subsidies(user),
        "may_approve_closures": cases.may_approve_closures(user),
    }
    return {
        "cockpit": result,
        "headlines": [chosen[name] for name in HOME_HEADLINES if name in chosen],
        "reviews_open": open_duplicate_reviews(actor=user).count(),
        "batches": batches,
        "closures_total": cases.closures_awaiting_approval(actor=user, limit=0)[1],
        "subsidies_to_pay": funds_subsidies.subsidies_to_pay(actor=user).count(),
        "audit_days": AUDIT_DAYS,
        "access": (
            identity_view_summary(actor=user, since=on - timedelta(days=AUDIT_DAYS - 1))
            if audits
            else None
        ),
        "shows_needs": any(needs.values()) or batches is not None,
        **needs,
        **_endings(user, on),
    }


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico whatever the page links to: send them to the icon."""
    return HttpResponseRedirect(static("swstation/favicon.svg"))
