from django.urls import path

from swstation.cases import views
from swstation.cases.views.case_choices import CaseChoicesView
from swstation.core.views.registry import get_model_urls

app_name = "cases"

urlpatterns = [
    path("due/", views.DueView.as_view(), name="due"),
    path("recipient-search/", views.RecipientSearchView.as_view(), name="recipient_search"),
    path("case-choices/", CaseChoicesView.as_view(), name="case_choices"),
    *get_model_urls("cases"),
]
