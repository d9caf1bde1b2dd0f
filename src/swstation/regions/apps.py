from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "swstation.regions"
    verbose_name = _("Regions")

    def ready(self) -> None:
        from swstation.core.navigation import MenuItem, register_menu_item
        from swstation.regions.models import Population, Region

        register_menu_item(
            MenuItem(_("Regions"), _("Region tree"), "regions:region_list", "diagram-3", Region, 10)
        )
        register_menu_item(
            MenuItem(
                _("Regions"), _("Population"), "regions:population_list", "people", Population, 11
            )
        )
