"""URL patterns of assessments, service records and visit schedules (appended by urls.py)."""

from django.urls import URLPattern, path

from swstation.cases import service_views as views
from swstation.core.urls import model_urlpatterns

urlpatterns: list[URLPattern] = [
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
