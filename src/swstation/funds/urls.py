from django.urls import path

from swstation.core.views.registry import get_model_urls
from swstation.funds import views

app_name = "funds"
urlpatterns = [
    path("", views.FundsSummaryView.as_view(), name="summary"),
    *get_model_urls("funds"),
]
