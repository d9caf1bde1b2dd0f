"""The cockpit (数据驾驶舱) and the printable district report (督察/考核)."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from swstation.core.export import export_filename, xlsx_response
from swstation.dashboard import selectors
from swstation.dashboard.charts import (
    Chart,
    area_table,
    build_charts,
    headlines,
    non_compliant_url,
    period_params,
    period_query,
)
from swstation.dashboard.forms import CockpitFilterForm
from swstation.dashboard.permissions import user_sees_cockpit
from swstation.regions.models import Region


class CockpitAccessMixin(LoginRequiredMixin):
    """Login required; roles without the cockpit get a 403; a region outside the user's
    jurisdiction is a 404, as everywhere."""

    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not user_sees_cockpit(request.user):
            raise PermissionDenied(_("Your role may not do this."))
        return super().dispatch(request, *args, **kwargs)

    def read_filters(self) -> tuple[CockpitFilterForm, Region, selectors.Period]:
        user = self.request.user
        region = selectors.cockpit_region(actor=user, code=self.request.GET.get("region"))
        default = selectors.default_period()
        form = CockpitFilterForm(
            self.request.GET or None,
            user=user,
            initial={"region": region, "year": default.start.year},
        )
        period = form.period() if form.is_valid() else default
        return form, region, period


class CockpitView(CockpitAccessMixin, View):
    """``?region=<code>&year=2026`` or ``&start=2026-01&end=2026-06``; ``?export=<chart id>``
    (or ``areas``) downloads that table as .xlsx."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form, region, period = self.read_filters()
        result = selectors.cockpit(actor=request.user, region=region, period=period)
        charts = build_charts(result)
        areas = area_table(result)
        export = request.GET.get("export")
        if export:
            return _export(export, [*charts, areas], result)
        return render(
            request,
            "dashboard/cockpit.html",
            {
                "form": form,
                "cockpit": result,
                "totals": result.totals,
                "headlines": headlines(
                    result, selectors.hidden_from(actor=request.user, result=result)
                ),
                "charts": charts,
                "areas": areas,
                "chart_data": [chart.echarts() for chart in charts],
                "period_query": period_params(result),
                "non_compliant_url": non_compliant_url(result, region.prefix),
                "ancestors": _ancestors(request.user, region),
            },
        )


class ReportView(CockpitAccessMixin, View):
    """The district report (督察/考核) of a year: the cockpit's figures by child region, on a
    page made for printing; ``?export=areas`` as .xlsx."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form, region, period = self.read_filters()
        if not period.is_calendar_year:
            period = selectors.Period.year(period.year_of_end)
        result = selectors.cockpit(actor=request.user, region=region, period=period)
        areas = area_table(result)
        if request.GET.get("export"):
            return _export(request.GET["export"], [areas], result)
        return render(
            request,
            "dashboard/report.html",
            {
                "form": form,
                "cockpit": result,
                "totals": result.totals,
                "areas": areas,
                "charts": build_charts(result),
                "printed_at": timezone.localtime(),
                "period_query": period_params(result),
            },
        )


class VillagesView(CockpitAccessMixin, View):
    """The villages and communities of a region without a service in the 12 months to the
    period's end (``?served=true``: with one): what the village coverage figure counts."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form, region, period = self.read_filters()
        served = request.GET.get("served") == "true"
        villages = selectors.villages_by_service(region=region, period=period, served=served)
        page = Paginator(villages, 100).get_page(request.GET.get("page"))
        window = period.coverage_window
        return render(
            request,
            "dashboard/villages.html",
            {
                "form": form,
                "region": region,
                "period": period,
                "window": window,
                "served": served,
                "page": page,
                "count": page.paginator.count,
                "period_query": {"region": region.code, **period_query(period)},
            },
        )


def _export(chart_id: str, charts: list[Chart], result: selectors.Cockpit) -> HttpResponse:
    for chart in charts:
        if chart.id == chart_id:
            subtitle = f"{result.region.name} · {result.period}"
            name = (
                f"{chart.title}-{result.region.name}-{result.period.start:%Y%m}"
                f"-{result.period.end:%Y%m}"
            )
            return xlsx_response(chart.workbook(subtitle), export_filename(name, "xlsx"))
    raise Http404(_("No such table."))


def _ancestors(user: Any, region: Region) -> list[Region]:
    """The regions above ``region`` that the user may open (breadcrumbs back up)."""
    codes = region.ancestor_codes()
    return list(selectors.cockpit_regions(actor=user).filter(code__in=codes))
