from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "swstation.dashboard"
    verbose_name = _("Cockpit")

    def ready(self) -> None:
        from swstation.core.navigation import MenuItem, register_menu_item
        from swstation.dashboard.permissions import COCKPIT_ROLES
        from swstation.dashboard.signals import connect_tally_sources

        connect_tally_sources()

        from swstation.dashboard.funds_figures import tallied_funds
        from swstation.funds.selectors import register_figures_source

        # The cockpit's funds panel and the overview's funds_by_tier read the tallies.
        register_figures_source(tallied_funds)

        from swstation.dashboard.project_work import tallied_work_counts
        from swstation.projects.work import register_summed_counter

        # The projects' "behind schedule" (cockpit, overview, projects list) reads each
        # project's work summed by month in the tallies.
        register_summed_counter(tallied_work_counts)

        from swstation.dashboard.selectors import county_figures
        from swstation.evaluation.district_measures import register_county_figures

        # The district assessment's coverage, compliance and certification figures are the
        # cockpit's.
        register_county_figures(county_figures)
        register_menu_item(
            MenuItem(
                _("Cockpit"),
                _("Data cockpit"),
                "dashboard:cockpit",
                "speedometer2",
                roles=COCKPIT_ROLES,
                order=1,
            )
        )
        register_menu_item(
            MenuItem(
                _("Cockpit"),
                _("District report"),
                "dashboard:report",
                "printer",
                roles=COCKPIT_ROLES,
                order=2,
            )
        )
