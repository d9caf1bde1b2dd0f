from django.urls import path

from swstation.core.views.imports import import_urlpatterns
from swstation.core.views.registry import get_model_urls
from swstation.stations import views
from swstation.stations.importers import StationImporter

app_name = "stations"

urlpatterns = [
    path("rollout/", views.RolloutView.as_view(), name="rollout"),
    *import_urlpatterns("station", StationImporter, prefix=""),
    *get_model_urls("stations"),
]
