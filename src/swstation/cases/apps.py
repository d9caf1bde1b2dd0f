from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "swstation.cases"
    verbose_name = _("Cases and services")

    def ready(self) -> None:
        from swstation.cases import models
        from swstation.cases.selectors.overview import recipient_casework
        from swstation.core.navigation import MenuItem, register_menu_item
        from swstation.recipients.overview import register_overview_source

        # A person's cases, services, plans and assessments on their page (the port of
        # recipients.overview).
        register_overview_source("cases", recipient_casework)
        # The work done under projects, for their indicators and pages (projects.work's port).
        from swstation.cases.selectors.project_work import WORK_SOURCE
        from swstation.projects.work import register_work_source

        register_work_source(WORK_SOURCE)
        # A person's exit closes their open cases (recipients.services.recipient_exit).
        from swstation.cases.services.cases import cases_close_on_exit
        from swstation.recipients.services import register_exit_follow_up

        register_exit_follow_up(cases_close_on_exit)
        # A person who moves takes their services' region code along (the lists' scope).
        from swstation.cases.services.records import service_records_follow_move
        from swstation.recipients.services import register_move_follow_up

        register_move_follow_up(service_records_follow_move)

        group = _("Cases and services")
        # 65–69: casework (recipients use 60–64); assessments, service records and visit
        # schedules follow from 70.
        for order, (label, url_name, icon, model) in enumerate(
            [
                (_("Cases"), "cases:case_list", "folder2-open", models.Case),
                (_("Case goals"), "cases:casegoal_list", "bullseye", models.CaseGoal),
                (
                    _("Case transfers"),
                    "cases:casetransfer_list",
                    "arrow-left-right",
                    models.CaseTransfer,
                ),
                (_("Due and overdue"), "cases:due", "calendar-check", models.VisitSchedule),
                (
                    _("Service records"),
                    "cases:servicerecord_list",
                    "journal-check",
                    models.ServiceRecord,
                ),
                (
                    _("Visit schedules"),
                    "cases:visitschedule_list",
                    "calendar-week",
                    models.VisitSchedule,
                ),
                (
                    _("Elderly capability assessments"),
                    "cases:elderlyassessment_list",
                    "clipboard2-pulse",
                    models.ElderlyAssessment,
                ),
                (
                    _("Child needs assessments"),
                    "cases:childneedsassessment_list",
                    "clipboard-heart",
                    models.ChildNeedsAssessment,
                ),
                (
                    _("Assessor qualifications"),
                    "cases:assessorqualification_list",
                    "patch-check",
                    models.AssessorQualification,
                ),
                (
                    _("Elderly assessment policies"),
                    "cases:elderlyassessmentpolicy_list",
                    "sliders",
                    models.ElderlyAssessmentPolicy,
                ),
            ]
        ):
            register_menu_item(MenuItem(group, label, url_name, icon, model, 65 + order))
