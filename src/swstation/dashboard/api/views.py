"""``/api/v1/stats/...``: the cockpit's figures for the caller's jurisdiction (or a region
inside it), for a year or a run of months."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from swstation.dashboard import selectors
from swstation.dashboard.api import serializers as stats
from swstation.dashboard.employment_figures import employment_counts
from swstation.dashboard.forms import CockpitFilterForm
from swstation.dashboard.linkage_figures import (
    LinkageCounts,
    five_kinds,
    index_by_area,
    linkage_panel,
    tallied_counts,
)
from swstation.dashboard.permissions import user_sees_cockpit
from swstation.projects.figures import project_figures

PARAMETERS = [
    OpenApiParameter("region", str, description="Region code; default: your jurisdiction."),
    OpenApiParameter("year", int, description="Calendar year; default: this year."),
    OpenApiParameter("start", str, description="First month, YYYY-MM (with end, replaces year)."),
    OpenApiParameter("end", str, description="Last month, YYYY-MM."),
]


def _region_ref(result: selectors.Cockpit) -> dict[str, str]:
    return {"code": result.region.code, "name": result.region.name}


def _period(result: selectors.Cockpit) -> dict[str, Any]:
    return {"start": result.period.start, "end": result.period.end}


def _slices(slices: list[selectors.Slice]) -> list[dict[str, Any]]:
    return [{"key": s.key, "name": s.label, "count": s.count, "total": s.total} for s in slices]


def _area(figures: selectors.AreaFigures) -> dict[str, Any]:
    return {
        "code": figures.code,
        "name": figures.name,
        "townships": figures.townships,
        "stations_operating": figures.stations_operating,
        "township_coverage_rate": figures.township_coverage,
        "stations_assessed": figures.stations_assessed,
        "stations_compliant": figures.stations_compliant,
        "compliance_rate": figures.compliance_rate,
        "villages": figures.villages,
        "villages_served": figures.villages_served,
        "village_coverage_rate": figures.village_coverage,
        "certified": figures.certified,
        "population": figures.population,
        "certified_per_10k": figures.certified_per_10k,
        "newly_certified": figures.newly_certified,
        "recipients": figures.recipients,
        "services": figures.services,
        "cases_opened": figures.cases_opened,
        "cases_open": figures.cases_open,
        "visits_overdue": figures.visits_overdue,
        "payments_paid": figures.payments_paid,
        "subsidies_paid": figures.subsidies_paid,
    }


def _linkage(counts: LinkageCounts) -> dict[str, Any]:
    kinds = five_kinds(counts)
    return {
        "index": sum(kinds.values()),
        "kinds": kinds,
        "activities": counts.activities,
        "participants": counts.participants,
        "sessions": counts.sessions,
        "attendances": counts.attendances,
        "volunteer_hours": counts.hours_total,
        "volunteer_hours_by_source": counts.hours,
        "referrals_by_status": counts.referrals,
        "referrals_by_outcome": counts.outcomes,
        "median_days_to_answer": counts.median_days_to_answer,
    }


class StatsViewSet(viewsets.ViewSet):
    """The cockpit's figures. Roles without the cockpit (social workers) get 403; a region
    outside the caller's jurisdiction is 404; a malformed period is 400 naming the field."""

    permission_classes = [IsAuthenticated]

    def _cockpit(self, request: Request, *, detailed: bool = True) -> selectors.Cockpit:
        user = request.user
        if not user_sees_cockpit(user):
            raise PermissionDenied(_("Your role may not do this."))
        region = selectors.cockpit_region(actor=user, code=request.query_params.get("region"))
        params = {k: v for k, v in request.query_params.items() if k in ("year", "start", "end")}
        form = CockpitFilterForm(params or None, user=user)
        if params and not form.is_valid():
            raise ValidationError(
                {field: [str(error) for error in errors] for field, errors in form.errors.items()}
            )
        period = form.period() if params else selectors.default_period()
        return selectors.cockpit(actor=user, region=region, period=period, detailed=detailed)

    @extend_schema(parameters=PARAMETERS, responses=stats.OverviewSerializer)
    @action(detail=False)
    def overview(self, request: Request) -> Response:
        """Headline figures: stations and coverage, compliance, certified social workers,
        recipients, services, cases, overdue visits, money paid."""
        result = self._cockpit(request, detailed=False)
        data = selectors.overview(result)
        # The projects of the period's year, by 1+X+1 category (dashboard/project_figures.py).
        figures = project_figures(
            prefix=result.region.prefix,
            start=result.period.start,
            as_of=result.period.as_of,
        )
        data["projects_by_category"] = {code: n for code, _label, n in figures.categories()}
        data["projects_followed"] = figures.followed
        data["projects_behind_schedule"] = figures.behind
        panel = linkage_panel(actor=request.user, region=result.region, period=result.period)
        data["linkage"] = {
            **_linkage(panel.counts),
            "groups_meeting": panel.groups.running,
            "volunteers_active": panel.volunteers_active,
            "pairings_running": panel.pairings.total,
            "pairings_on_schedule": panel.pairings.on_schedule,
            "partners_by_kind": {f.id: f.value for f in panel.partners},
            "resources_by_kind": {f.id: f.value for f in panel.resources},
            "proposals_by_stage": panel.proposals.by_stage,
            "money_pledged": panel.proposals.money_pledged,
            "money_received": panel.proposals.money_received,
        }
        jobs = employment_counts(
            actor=request.user,
            regions=[result.region],
            start=result.period.start,
            end=result.period.end,
        )[result.region.code]
        data["employment"] = {
            "seekers": jobs.seekers,
            "seekers_by_status": jobs.seekers_by_status,
            "seekers_by_sex": jobs.seekers_by_sex,
            "seekers_trained": jobs.seekers_trained,
            "employers": jobs.employers,
            "posts": jobs.posts,
            "places": jobs.places,
            "places_filled": jobs.places_filled,
            "placed_by_sex": jobs.placed_by_sex,
            "placed_by_category": jobs.placed_by_category,
            "median_days_to_placement": jobs.median_days_to_placement,
            "households_followed": jobs.follow_ups,
            "households_checked": jobs.follow_ups_checked,
            "median_income_before": jobs.median_income_before,
            "median_income_latest": jobs.median_income_latest,
            "median_income_change": jobs.median_income_change,
            "households_income_up": jobs.incomes_risen,
            "earned_share_before": jobs.earned_share_before,
            "earned_share_latest": jobs.earned_share_latest,
        }
        return Response(stats.OverviewSerializer(data).data)

    @extend_schema(parameters=PARAMETERS, responses=stats.BreakdownSerializer)
    @action(detail=False)
    def breakdown(self, request: Request) -> Response:
        """The figures by level, year, category, service type, month, stage and kind."""
        result = self._cockpit(request, detailed=False)
        data = {
            "region": _region_ref(result),
            "period": _period(result),
            "certified_by_level": _slices(result.certified_by_level),
            "newly_certified_by_year": {
                str(y): n for y, n in sorted(result.newly_certified_by_year.items())
            },
            "recipients_by_category": _slices(result.recipients_by_category),
            "services_by_type": _slices(result.services_by_type),
            "services_by_month": [
                {"month": s.label, "services": s.count, "people_served": s.extra["people"]}
                for s in result.services_by_month
            ],
            "cases_by_stage": _slices(result.cases_by_stage),
            "paid_by_kind": _slices(result.payments_by_kind),
        }
        return Response(stats.BreakdownSerializer(data).data)

    @extend_schema(parameters=PARAMETERS, responses=stats.RegionsSerializer)
    @action(detail=False)
    def regions(self, request: Request) -> Response:
        """Every headline figure for each child region (districts of the city, towns and
        streets of a district): the district report's table."""
        result = self._cockpit(request)
        data = {
            "region": _region_ref(result),
            "period": _period(result),
            "total": _area(result.totals),
            "areas": [_area(figures) for figures in result.areas],
        }
        return Response(stats.RegionsSerializer(data).data)

    @extend_schema(parameters=PARAMETERS, responses=stats.LinkageRegionsSerializer)
    @action(detail=False)
    def linkage(self, request: Request) -> Response:
        """The 五社联动 index and figures of the region and of each child region, from the
        tallies (dashboard/linkage_figures.py)."""
        result = self._cockpit(request, detailed=False)
        region, period = result.region, result.period
        total = tallied_counts(regions=[region], period=period)[region.code]

        def area(code: str, name: str, counts: LinkageCounts) -> dict[str, Any]:
            return {"code": code, "name": name, **_linkage(counts)}

        data = {
            "region": _region_ref(result),
            "period": _period(result),
            "total": area(region.code, region.name, total),
            "areas": [
                area(a.region.code, a.region.name, a.counts)
                for a in index_by_area(region=region, period=period)
            ],
        }
        return Response(stats.LinkageRegionsSerializer(data).data)

    @extend_schema(parameters=PARAMETERS, responses=stats.StationsSerializer)
    @action(detail=False)
    def stations(self, request: Request) -> Response:
        """Township stations built per year and the stations short of the construction
        standard, with what each misses."""
        result = self._cockpit(request)
        data = {
            "region": _region_ref(result),
            "period": _period(result),
            "stations_built_by_year": {str(y): n for y, n in sorted(result.built_by_year.items())},
            "non_compliant": [
                {
                    "id": item.station.pk,
                    "name": item.station.name,
                    "region_code": item.station.region.code,
                    "missing": item.missing,
                }
                for item in result.non_compliant
            ],
        }
        return Response(stats.StationsSerializer(data).data)
