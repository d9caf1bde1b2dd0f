from django.urls import path

from swstation.core.urls import model_urlpatterns
from swstation.core.views.imports import import_urlpatterns
from swstation.workforce import views
from swstation.workforce.importers import RosterImporter

app_name = "workforce"

urlpatterns = [
    path("statistics/", views.CertificationStatisticsView.as_view(), name="statistics"),
    *model_urlpatterns(
        "socialworker",
        prefix="social-workers/",
        list_view=views.SocialWorkerListView,
        detail_view=views.SocialWorkerDetailView,
        edit_view=views.SocialWorkerEditView,
        delete_view=views.SocialWorkerDeleteView,
        history_view=views.SocialWorkerHistoryView,
    ),
    *model_urlpatterns(
        "certificate",
        prefix="certificates/",
        list_view=views.CertificateListView,
        detail_view=views.CertificateDetailView,
        edit_view=views.CertificateEditView,
        delete_view=views.CertificateDeleteView,
        history_view=views.CertificateHistoryView,
    ),
    *model_urlpatterns(
        "rewardpolicy",
        prefix="reward-policies/",
        list_view=views.RewardPolicyListView,
        detail_view=views.RewardPolicyDetailView,
        edit_view=views.RewardPolicyEditView,
        delete_view=views.RewardPolicyDeleteView,
        history_view=views.RewardPolicyHistoryView,
    ),
    *model_urlpatterns(
        "paymentbatch",
        prefix="payment-batches/",
        list_view=views.PaymentBatchListView,
        detail_view=views.PaymentBatchDetailView,
        edit_view=views.PaymentBatchEditView,
        delete_view=views.PaymentBatchDeleteView,
        history_view=views.PaymentBatchHistoryView,
    ),
    # Payments are written by the payment workflow only: no add, edit or delete pages.
    *model_urlpatterns(
        "payment",
        prefix="payments/",
        list_view=views.PaymentListView,
        detail_view=views.PaymentDetailView,
        history_view=views.PaymentHistoryView,
    ),
    *model_urlpatterns(
        "trainingclass",
        prefix="training-classes/",
        list_view=views.TrainingClassListView,
        detail_view=views.TrainingClassDetailView,
        edit_view=views.TrainingClassEditView,
        delete_view=views.TrainingClassDeleteView,
        history_view=views.TrainingClassHistoryView,
    ),
    *model_urlpatterns(
        "course",
        prefix="courses/",
        list_view=views.CourseListView,
        detail_view=views.CourseDetailView,
        edit_view=views.CourseEditView,
        delete_view=views.CourseDeleteView,
        history_view=views.CourseHistoryView,
    ),
    *model_urlpatterns(
        "attendance",
        prefix="attendance/",
        list_view=views.AttendanceListView,
        detail_view=views.AttendanceDetailView,
        edit_view=views.AttendanceEditView,
        delete_view=views.AttendanceDeleteView,
        history_view=views.AttendanceHistoryView,
    ),
    *model_urlpatterns(
        "supervisor",
        prefix="supervisors/",
        list_view=views.SupervisorListView,
        detail_view=views.SupervisorDetailView,
        edit_view=views.SupervisorEditView,
        delete_view=views.SupervisorDeleteView,
        history_view=views.SupervisorHistoryView,
    ),
    *model_urlpatterns(
        "supervisionsession",
        prefix="supervision-sessions/",
        list_view=views.SupervisionSessionListView,
        detail_view=views.SupervisionSessionDetailView,
        edit_view=views.SupervisionSessionEditView,
        delete_view=views.SupervisionSessionDeleteView,
        history_view=views.SupervisionSessionHistoryView,
    ),
    *model_urlpatterns(
        "talententry",
        prefix="talent/",
        list_view=views.TalentEntryListView,
        detail_view=views.TalentEntryDetailView,
        edit_view=views.TalentEntryEditView,
        delete_view=views.TalentEntryDeleteView,
        history_view=views.TalentEntryHistoryView,
    ),
]

urlpatterns += import_urlpatterns("socialworker", RosterImporter, prefix="social-workers/")
# The payment workflow's own pages.
urlpatterns += [
    path(
        "payment-batches/generate/",
        views.PaymentBatchGenerateView.as_view(),
        name="paymentbatch_generate",
    ),
    path(
        "payment-batches/<int:pk>/review/",
        views.PaymentBatchReviewView.as_view(),
        name="paymentbatch_review",
    ),
    path(
        "payment-batches/<int:pk>/approve/",
        views.PaymentBatchApproveView.as_view(),
        name="paymentbatch_approve",
    ),
    path(
        "payment-batches/<int:pk>/pay/",
        views.PaymentBatchPayView.as_view(),
        name="paymentbatch_pay",
    ),
    path(
        "payment-batches/<int:pk>/discard/",
        views.PaymentBatchDiscardView.as_view(),
        name="paymentbatch_discard",
    ),
    path(
        "payment-batches/<int:pk>/export/",
        views.PaymentBatchExportView.as_view(),
        name="paymentbatch_export",
    ),
]
