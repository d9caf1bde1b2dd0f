from django.urls import path

from swstation.core.urls import model_urlpatterns
from swstation.core.views.imports import import_urlpatterns
from swstation.recipients import views
from swstation.recipients.importers import RecipientImporter

app_name = "recipients"

urlpatterns = [
    *model_urlpatterns(
        "household",
        prefix="households/",
        list_view=views.HouseholdListView,
        detail_view=views.HouseholdDetailView,
        edit_view=views.HouseholdEditView,
        delete_view=views.HouseholdDeleteView,
        history_view=views.HouseholdHistoryView,
    ),
    *model_urlpatterns(
        "recipient",
        prefix="",
        list_view=views.RecipientListView,
        detail_view=views.RecipientDetailView,
        edit_view=views.RecipientEditView,
        delete_view=views.RecipientDeleteView,
        history_view=views.RecipientHistoryView,
    ),
    path(
        "<int:pk>/reveal-identity/",
        views.RecipientRevealView.as_view(),
        name="recipient_reveal_identity",
    ),
    path("<int:pk>/merge/", views.RecipientMergeView.as_view(), name="recipient_merge"),
    *import_urlpatterns("recipient", RecipientImporter, prefix=""),
]
