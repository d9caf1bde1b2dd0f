from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "swstation.projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from swstation.core.navigation import MenuItem, register_menu_item
        from swstation.projects.models import Project, ProjectEnrolment

        # Every role reads projects (domain.md §4: station managers run them, the bureaus
        # approve them, supervisors and auditors read them); 80–89 come after casework.
        group = _("Projects")
        register_menu_item(
            MenuItem(group, _("Projects"), "projects:project_list", "kanban", Project, 80)
        )
        register_menu_item(
            MenuItem(
                group,
                _("Project beneficiaries"),
                "projects:projectenrolment_list",
                "people",
                ProjectEnrolment,
                81,
            )
        )
