from django.urls import path

from swstation.cases import views
from swstation.core.views.registry import get_model_urls

app_name = "cases"

urlpatterns = [
    path("due/", views.DueView.as_view(), name="due"),
    path("recipient-search/", views.RecipientSearchView.as_view(), name="recipient_search"),
    *get_model_urls("cases"),
]
