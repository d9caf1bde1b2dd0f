from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "swstation.regions"
    verbose_name = _("Regions")

    def ready(self) -> None:
        from swstation.core.navigation import MenuItem, register_menu_item
        from swstation.core.roles import BUREAUS, Role
        from swstation.regions.models import Population, Region

        # The division tree and population are the bureaus' reference (and the auditors'); a
        # station's people meet their villages on their own pages.
        readers = BUREAUS | {Role.AUDITOR}
        register_menu_item(
            MenuItem(
                _("Regions"),
                _("Region tree"),
                "regions:region_list",
                "diagram-3",
                Region,
                10,
                roles=readers,
            )
        )
        register_menu_item(
            MenuItem(
                _("Regions"),
                _("Population"),
                "regions:population_list",
                "people",
                Population,
                11,
                roles=readers,
            )
        )
