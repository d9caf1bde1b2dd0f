"""The pages of background exports (core/views/exports.py), under the namespace "exports"."""

from django.urls import path

from swstation.core.views.exports import ExportDownloadView, ExportJobListView, ExportJobView

app_name = "exports"
urlpatterns = [
    path("", ExportJobListView.as_view(), name="list"),
    path("<int:pk>/", ExportJobView.as_view(), name="job"),
    path("<int:pk>/download/", ExportDownloadView.as_view(), name="download"),
]
