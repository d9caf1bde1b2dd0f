from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "swstation.workforce"
    verbose_name = _("Workforce")

    def ready(self) -> None:
        from swstation.core.navigation import MenuItem, register_menu_item
        from swstation.stations.staffing import register_staff_source
        from swstation.workforce import models
        from swstation.workforce.selectors.staffing import STAFF_SOURCE

        # Stations count and list their staff through this port, without importing workforce.
        register_staff_source(STAFF_SOURCE)

        group = _("Workforce")
        for order, (label, url_name, icon, model) in enumerate(
            [
                (_("Social workers"), "workforce:socialworker_list", "people", models.SocialWorker),
                (_("Certificates"), "workforce:certificate_list", "award", models.Certificate),
                (
                    _("Certification statistics"),
                    "workforce:statistics",
                    "bar-chart",
                    models.Certificate,
                ),
                (
                    _("Reward and allowance rules"),
                    "workforce:rewardpolicy_list",
                    "sliders",
                    models.RewardPolicy,
                ),
                (
                    _("Payment batches"),
                    "workforce:paymentbatch_list",
                    "wallet2",
                    models.PaymentBatch,
                ),
                (
                    _("Training classes"),
                    "workforce:trainingclass_list",
                    "mortarboard",
                    models.TrainingClass,
                ),
                (_("Courses"), "workforce:course_list", "journal-text", models.Course),
                (_("Attendance"), "workforce:attendance_list", "check2-square", models.Attendance),
                (_("Supervisors"), "workforce:supervisor_list", "person-video3", models.Supervisor),
                (
                    _("Supervision sessions"),
                    "workforce:supervisionsession_list",
                    "chat-square-text",
                    models.SupervisionSession,
                ),
                (_("Talent catalogues"), "workforce:talententry_list", "stars", models.TalentEntry),
            ]
        ):
            register_menu_item(MenuItem(group, label, url_name, icon, model, 40 + order))
