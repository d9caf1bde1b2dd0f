from django.urls import path

from swstation.cases import views
from swstation.cases.service_urls import urlpatterns as service_urlpatterns
from swstation.core.urls import model_urlpatterns

app_name = "cases"

urlpatterns: list[object] = [
    *model_urlpatterns(
        "case",
        prefix="",  # /cases/, /cases/<pk>/, /cases/add/ ...
        list_view=views.CaseListView,
        detail_view=views.CaseDetailView,
        edit_view=views.CaseEditView,
        delete_view=views.CaseDeleteView,
        history_view=views.CaseHistoryView,
    ),
    path("<int:pk>/timeline/", views.CaseTimelineView.as_view(), name="case_timeline"),
    path("<int:pk>/print/", views.CasePrintView.as_view(), name="case_print"),
    path("<int:pk>/advance/", views.CaseAdvanceView.as_view(), name="case_advance"),
    path(
        "<int:pk>/request-closure/",
        views.CaseRequestClosureView.as_view(),
        name="case_request_closure",
    ),
    path(
        "<int:pk>/approve-closure/",
        views.CaseApproveClosureView.as_view(),
        name="case_approve_closure",
    ),
    path(
        "<int:pk>/return-closure/",
        views.CaseReturnClosureView.as_view(),
        name="case_return_closure",
    ),
    path("<int:pk>/reopen/", views.CaseReopenView.as_view(), name="case_reopen"),
    path("<int:pk>/transfer/", views.CaseTransferView.as_view(), name="case_transfer"),
    *model_urlpatterns(
        "casegoal",
        prefix="goals/",
        list_view=views.CaseGoalListView,
        detail_view=views.CaseGoalDetailView,
        edit_view=views.CaseGoalEditView,
        delete_view=views.CaseGoalDeleteView,
        history_view=views.CaseGoalHistoryView,
    ),
    *model_urlpatterns(
        "casetransfer",
        prefix="transfers/",
        list_view=views.CaseTransferListView,
        detail_view=views.CaseTransferDetailView,
        history_view=views.CaseTransferHistoryView,
    ),
]
urlpatterns += service_urlpatterns
