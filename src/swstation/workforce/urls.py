from django.urls import path

from swstation.core.views.imports import import_urlpatterns
from swstation.core.views.registry import get_model_urls
from swstation.workforce import views
from swstation.workforce.importers import RosterImporter

app_name = "workforce"

urlpatterns = [
    path("statistics/", views.CertificationStatisticsView.as_view(), name="statistics"),
    *import_urlpatterns("socialworker", RosterImporter, prefix="social-workers/"),
    *get_model_urls("workforce"),
]
