from django.urls import path

from swstation.core.views.registry import get_model_urls
from swstation.funds import views

app_name = "funds"
urlpatterns = [
    path("", views.FundsSummaryView.as_view(), name="summary"),
    path(
        "subsidy-policies/<int:pk>/generate/",
        views.SubsidiesGenerateView.as_view(),
        name="subsidies_generate",
    ),
    *get_model_urls("funds"),
]
