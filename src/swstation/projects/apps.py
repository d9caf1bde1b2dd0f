from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "swstation.projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from swstation.core.navigation import MenuItem, register_menu_item
        from swstation.core.roles import MANAGERS, Role
        from swstation.projects.models import Project, ProjectEnrolment, ProjectReport
        from swstation.projects.overview import recipient_projects
        from swstation.recipients.overview import register_overview_source

        # A person's projects on their page (the port of recipients.overview).
        register_overview_source("projects", recipient_projects)
        # The stations' "1+X+1" portfolio in their compliance checklist (stations.portfolio).
        from swstation.projects.portfolio import PORTFOLIO_SOURCE
        from swstation.stations.portfolio import register_portfolio_source

        register_portfolio_source(PORTFOLIO_SOURCE)

        # Whose work (core.navigation): the stations run projects and enrol people, the bureaus
        # approve them, auditors inspect the portfolios; supervisors read a project from a
        # link, not as work of their own. 80–89 come after casework.
        group = _("Projects")
        register_menu_item(
            MenuItem(
                group,
                _("Projects"),
                "projects:project_list",
                "kanban",
                Project,
                80,
                roles=MANAGERS | {Role.SOCIAL_WORKER, Role.AUDITOR},
            )
        )
        register_menu_item(
            MenuItem(
                group,
                _("Closing reports"),
                "projects:projectreport_list",
                "journal-text",
                ProjectReport,
                82,
                roles=MANAGERS | {Role.AUDITOR},
            )
        )
        register_menu_item(
            MenuItem(
                group,
                _("Project beneficiaries"),
                "projects:projectenrolment_list",
                "people",
                ProjectEnrolment,
                81,
                roles=MANAGERS | {Role.SOCIAL_WORKER},
            )
        )
