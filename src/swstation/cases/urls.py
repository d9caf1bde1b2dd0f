from django.urls import URLPattern, path

from swstation.cases import views
from swstation.core.urls import model_urlpatterns

app_name = "cases"

urlpatterns: list[URLPattern] = [
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
    path("due/", views.DueView.as_view(), name="due"),
    path("services/quick/", views.ServiceRecordQuickView.as_view(), name="servicerecord_quick"),
    path("recipient-search/", views.RecipientSearchView.as_view(), name="recipient_search"),
    *model_urlpatterns(
        "elderlyassessment",
        prefix="assessments/elderly/",
        list_view=views.ElderlyAssessmentListView,
        detail_view=views.ElderlyAssessmentDetailView,
        edit_view=views.ElderlyAssessmentEditView,
        delete_view=views.ElderlyAssessmentDeleteView,
        history_view=views.ElderlyAssessmentHistoryView,
    ),
    *model_urlpatterns(
        "childneedsassessment",
        prefix="assessments/children/",
        list_view=views.ChildNeedsAssessmentListView,
        detail_view=views.ChildNeedsAssessmentDetailView,
        edit_view=views.ChildNeedsAssessmentEditView,
        delete_view=views.ChildNeedsAssessmentDeleteView,
        history_view=views.ChildNeedsAssessmentHistoryView,
    ),
    *model_urlpatterns(
        "servicerecord",
        prefix="services/",
        list_view=views.ServiceRecordListView,
        detail_view=views.ServiceRecordDetailView,
        edit_view=views.ServiceRecordEditView,
        delete_view=views.ServiceRecordDeleteView,
        history_view=views.ServiceRecordHistoryView,
    ),
    *model_urlpatterns(
        "visitschedule",
        prefix="visits/",
        list_view=views.VisitScheduleListView,
        detail_view=views.VisitScheduleDetailView,
        edit_view=views.VisitScheduleEditView,
        delete_view=views.VisitScheduleDeleteView,
        history_view=views.VisitScheduleHistoryView,
    ),
]
