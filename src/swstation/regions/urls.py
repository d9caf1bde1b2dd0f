from swstation.core.urls import model_urlpatterns
from swstation.regions import views

app_name = "regions"

urlpatterns = [
    *model_urlpatterns(
        "region",
        prefix="",
        list_view=views.RegionListView,
        detail_view=views.RegionDetailView,
        edit_view=views.RegionEditView,
        delete_view=views.RegionDeleteView,
        history_view=views.RegionHistoryView,
    ),
    *model_urlpatterns(
        "population",
        prefix="population/",
        list_view=views.PopulationListView,
        detail_view=views.PopulationDetailView,
        edit_view=views.PopulationEditView,
        delete_view=views.PopulationDeleteView,
        history_view=views.PopulationHistoryView,
    ),
]
