from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from swstation.core import views as generic
from swstation.core.permissions import user_can
from swstation.core.views.generic import ModelPermissionMixin
from swstation.core.views.registry import model_pages
from swstation.stations import filtersets, forms, selectors, services, staffing, subsidies, tables
from swstation.stations.export import rollout_workbook_response
from swstation.stations.models import (
    ConstructionStandard,
    Room,
    ServiceAgency,
    Station,
    SubsidyPolicy,
)

# --- service agencies ----------------------------------------------------------------------------


agency_pages = model_pages(
    ServiceAgency,
    prefix="agencies/",
    queryset=selectors.service_agency_list,
    filterset=filtersets.ServiceAgencyFilterSet,
    table=tables.ServiceAgencyTable,
    form=forms.ServiceAgencyForm,
)


@agency_pages.register("detail")
class ServiceAgencyDetailView(generic.ObjectDetailView):
    template_name = "stations/serviceagency.html"

    def get_extra_context(self, obj: ServiceAgency) -> dict[str, Any]:
        user = self.request.user
        stations = tables.StationTable(
            selectors.agency_stations(actor=user, agency=obj),
            user=user,
            exclude=("agency", "contact_name", "contact_phone", "special_kind"),
            orderable=False,
        )
        return {"stations_table": stations}


# --- stations ------------------------------------------------------------------------------------


station_pages = model_pages(
    Station,
    prefix="",
    queryset=selectors.station_list,
    filterset=filtersets.StationFilterSet,
    table=tables.StationTable,
    form=forms.StationForm,
    create=services.station_create,
    update=services.station_update,
)


@station_pages.register("detail")
class StationDetailView(generic.ObjectDetailView):
    template_name = "stations/station.html"

    def get_extra_context(self, obj: Station) -> dict[str, Any]:
        user = self.request.user
        rooms = list(selectors.station_rooms(actor=user, station=obj))
        return {
            "rooms": rooms,
            "room_area": sum((room.area_m2 for room in rooms), start=0),
            "panels": staffing.station_panels(actor=user, station=obj)
            + subsidies.station_panels(actor=user, station=obj),
            "compliance": selectors.station_compliance(station=obj),
            "outposts": selectors.station_outposts(actor=user, station=obj),
            "can_add_room": user_can(user, "add", Room),
        }


class RolloutView(ModelPermissionMixin, View):
    """Township stations built per year and district, and coverage of towns and streets."""

    model = Station

    def get(self, request: HttpRequest) -> HttpResponse:
        rollout = selectors.station_rollout(actor=request.user)
        if request.GET.get("export") == "xlsx":
            return rollout_workbook_response(rollout)
        rows = [
            {"row": row, "cells": rollout.year_cells(row)} for row in [*rollout.rows, rollout.total]
        ]
        return render(request, "stations/rollout.html", {"rollout": rollout, "rows": rows})


# --- rooms ---------------------------------------------------------------------------------------


room_pages = model_pages(
    Room,
    prefix="rooms/",
    queryset=selectors.room_list,
    filterset=filtersets.RoomFilterSet,
    table=tables.RoomTable,
    form=forms.RoomForm,
    template="stations/room.html",
)


# --- construction standards ----------------------------------------------------------------------


standard_pages = model_pages(
    ConstructionStandard,
    prefix="standards/",
    queryset=selectors.construction_standard_list,
    filterset=filtersets.ConstructionStandardFilterSet,
    table=tables.ConstructionStandardTable,
    form=forms.ConstructionStandardForm,
    template="stations/constructionstandard.html",
)


# --- subsidy policies ----------------------------------------------------------------------------


policy_pages = model_pages(
    SubsidyPolicy,
    prefix="subsidy-policies/",
    queryset=selectors.subsidy_policy_list,
    filterset=filtersets.SubsidyPolicyFilterSet,
    table=tables.SubsidyPolicyTable,
    form=forms.SubsidyPolicyForm,
)


@policy_pages.register("detail")
class SubsidyPolicyDetailView(generic.ObjectDetailView):
    template_name = "stations/subsidypolicy.html"

    def get_extra_context(self, obj: SubsidyPolicy) -> dict[str, Any]:
        # The subsidies under the policy are grants (funds), shown through the port.
        return {"panels": subsidies.policy_panels(actor=self.request.user, policy=obj)}
