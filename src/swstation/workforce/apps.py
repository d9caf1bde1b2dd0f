from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "swstation.workforce"
    verbose_name = _("Workforce")

    def ready(self) -> None:
        from swstation.core.navigation import MenuItem, register_menu_item
        from swstation.core.roles import ALL_ROLES, BUREAUS, MANAGERS, Role
        from swstation.stations.staffing import register_staff_source
        from swstation.workforce import models
        from swstation.workforce.selectors.staffing import STAFF_SOURCE

        # Stations count and list their staff through this port, without importing workforce.
        register_staff_source(STAFF_SOURCE)

        # Whose work each page is (core.navigation): a social worker keeps up with training and
        # supervision; the managers keep their staff's records; the bureaus the statistics and
        # reward rules; supervisors their sessions. Auditors read them all. None: every role
        # that may view the model.
        everyone_but_workers = ALL_ROLES - {Role.SOCIAL_WORKER}
        managers = MANAGERS | {Role.AUDITOR}
        bureaus = BUREAUS | {Role.AUDITOR}
        group = _("Workforce")
        for order, (label, url_name, icon, model, roles) in enumerate(
            [
                (
                    _("Social workers"),
                    "workforce:socialworker_list",
                    "people",
                    models.SocialWorker,
                    everyone_but_workers,
                ),
                (
                    _("Certificates"),
                    "workforce:certificate_list",
                    "award",
                    models.Certificate,
                    managers,
                ),
                (
                    _("Certification statistics"),
                    "workforce:statistics",
                    "bar-chart",
                    models.Certificate,
                    bureaus,
                ),
                (
                    _("Reward and allowance rules"),
                    "workforce:rewardpolicy_list",
                    "sliders",
                    models.RewardPolicy,
                    bureaus,
                ),
                (
                    _("Payment batches"),
                    "workforce:paymentbatch_list",
                    "wallet2",
                    models.PaymentBatch,
                    None,
                ),
                (
                    _("Training classes"),
                    "workforce:trainingclass_list",
                    "mortarboard",
                    models.TrainingClass,
                    None,
                ),
                (_("Courses"), "workforce:course_list", "journal-text", models.Course, None),
                (
                    _("Attendance"),
                    "workforce:attendance_list",
                    "check2-square",
                    models.Attendance,
                    everyone_but_workers,
                ),
                (
                    _("Supervisors"),
                    "workforce:supervisor_list",
                    "person-video3",
                    models.Supervisor,
                    everyone_but_workers,
                ),
                (
                    _("Supervision sessions"),
                    "workforce:supervisionsession_list",
                    "chat-square-text",
                    models.SupervisionSession,
                    None,
                ),
                (
                    _("Talent catalogues"),
                    "workforce:talententry_list",
                    "stars",
                    models.TalentEntry,
                    managers,
                ),
            ]
        ):
            register_menu_item(
                MenuItem(group, label, url_name, icon, model, 40 + order, roles=roles)
            )
