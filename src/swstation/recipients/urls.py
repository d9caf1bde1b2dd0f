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
    *model_urlpatterns(
        "duplicatereview",
        prefix="duplicate-reviews/",
        list_view=views.DuplicateReviewListView,
        detail_view=views.DuplicateReviewDetailView,
        history_view=views.DuplicateReviewHistoryView,
    ),
    path(
        "duplicate-reviews/<int:pk>/merge/",
        views.DuplicateReviewMergeView.as_view(),
        name="duplicatereview_merge",
    ),
    path(
        "duplicate-reviews/<int:pk>/link/",
        views.DuplicateReviewLinkView.as_view(),
        name="duplicatereview_link",
    ),
    path(
        "duplicate-reviews/<int:pk>/dismiss/",
        views.DuplicateReviewDismissView.as_view(),
        name="duplicatereview_dismiss",
    ),
    *import_urlpatterns("recipient", RecipientImporter, prefix=""),
]
