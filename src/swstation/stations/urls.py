from django.urls import path

from swstation.core.urls import model_urlpatterns
from swstation.core.views.imports import import_urlpatterns
from swstation.stations import views
from swstation.stations.importers import StationImporter

app_name = "stations"

urlpatterns = [
    path("rollout/", views.RolloutView.as_view(), name="rollout"),
    *import_urlpatterns("station", StationImporter, prefix=""),
    path(
        "subsidy-policies/<int:pk>/generate/",
        views.SubsidyPolicyGenerateView.as_view(),
        name="subsidypolicy_generate",
    ),
    path(
        "subsidies/<int:pk>/mark-paid/",
        views.StationSubsidyMarkPaidView.as_view(),
        name="stationsubsidy_mark_paid",
    ),
    *model_urlpatterns(
        "serviceagency",
        prefix="agencies/",
        list_view=views.ServiceAgencyListView,
        detail_view=views.ServiceAgencyDetailView,
        edit_view=views.ServiceAgencyEditView,
        delete_view=views.ServiceAgencyDeleteView,
        history_view=views.ServiceAgencyHistoryView,
    ),
    *model_urlpatterns(
        "room",
        prefix="rooms/",
        list_view=views.RoomListView,
        detail_view=views.RoomDetailView,
        edit_view=views.RoomEditView,
        delete_view=views.RoomDeleteView,
        history_view=views.RoomHistoryView,
    ),
    *model_urlpatterns(
        "constructionstandard",
        prefix="standards/",
        list_view=views.ConstructionStandardListView,
        detail_view=views.ConstructionStandardDetailView,
        edit_view=views.ConstructionStandardEditView,
        delete_view=views.ConstructionStandardDeleteView,
        history_view=views.ConstructionStandardHistoryView,
    ),
    *model_urlpatterns(
        "subsidypolicy",
        prefix="subsidy-policies/",
        list_view=views.SubsidyPolicyListView,
        detail_view=views.SubsidyPolicyDetailView,
        edit_view=views.SubsidyPolicyEditView,
        delete_view=views.SubsidyPolicyDeleteView,
        history_view=views.SubsidyPolicyHistoryView,
    ),
    *model_urlpatterns(
        "stationsubsidy",
        prefix="subsidies/",
        list_view=views.StationSubsidyListView,
        detail_view=views.StationSubsidyDetailView,
        edit_view=views.StationSubsidyEditView,
        delete_view=views.StationSubsidyDeleteView,
        history_view=views.StationSubsidyHistoryView,
    ),
    *model_urlpatterns(
        "station",
        prefix="",
        list_view=views.StationListView,
        detail_view=views.StationDetailView,
        edit_view=views.StationEditView,
        delete_view=views.StationDeleteView,
        history_view=views.StationHistoryView,
    ),
]
