from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    """就业帮扶 (domain.md §3, issue 14): job seekers, job posts of enterprise partners, the
    matching of the two, placements, and the income follow-up of low-income households."""

    name = "swstation.employment"
    verbose_name = _("Employment aid")

    def ready(self) -> None:
        from swstation.cases.selectors.home import register_agenda_source
        from swstation.core.navigation import MenuItem, register_menu_item
        from swstation.core.roles import ALL_ROLES
        from swstation.employment.models import IncomeFollowUp, JobPost, JobSeeker, Placement
        from swstation.employment.panels import recipient_employment_overview
        from swstation.employment.selectors import income_check_agenda_group
        from swstation.recipients.overview import register_overview_source

        # A recipient who seeks work: their status and placements on their page (recipients'
        # port).
        register_overview_source("employment", recipient_employment_overview)
        # The income checks due join the station's staff's home agenda (cases' port).
        register_agenda_source("income_checks", income_check_agenda_group, order=40)

        # Whose work (core.navigation): every role reads the employment aid of its
        # jurisdiction; 130–133 come after the 五社联动 menus.
        group = _("Employment aid")
        for label, url, icon, model, order in (
            (_("Job seekers"), "employment:jobseeker_list", "person-workspace", JobSeeker, 130),
            (_("Job posts"), "employment:jobpost_list", "briefcase", JobPost, 131),
            (_("Placements"), "employment:placement_list", "person-check", Placement, 132),
            (
                _("Income follow-up"),
                "employment:incomefollowup_list",
                "graph-up-arrow",
                IncomeFollowUp,
                133,
            ),
        ):
            register_menu_item(MenuItem(group, label, url, icon, model, order, roles=ALL_ROLES))
