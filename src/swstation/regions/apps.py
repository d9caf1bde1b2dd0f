from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "swstation.regions"
    verbose_name = _("Regions")

    def ready(self) -> None:
        from swstation.core.filtersets import register_region_source
        from swstation.core.navigation import MenuItem, register_menu_item
        from swstation.core.roles import BUREAUS, Role
        from swstation.regions.codes import prefix_of_code
        from swstation.regions.models import Population, Region
        from swstation.regions.pickers import RegionSource
        from swstation.regions.selectors import region_tree_choices

        # Every list's region filter: the tree to browse, any region found by name.
        register_region_source(
            RegionSource(Region, "code", start=region_tree_choices), prefix=prefix_of_code
        )

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
