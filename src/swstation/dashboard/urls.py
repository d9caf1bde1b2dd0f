from django.urls import path

from swstation.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.CockpitView.as_view(), name="cockpit"),
    path("report/", views.ReportView.as_view(), name="report"),
    path("villages/", views.VillagesView.as_view(), name="villages"),
]
