from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "swstation.stations"
    verbose_name = _("Stations")

    def ready(self) -> None:
        from swstation.core.navigation import MenuItem, register_menu_item
        from swstation.stations import models

        group = _("Stations")
        for order, (label, url_name, icon, model) in enumerate(
            [
                (_("Stations"), "stations:station_list", "house-heart", models.Station),
                (_("Rollout"), "stations:rollout", "graph-up", models.Station),
                (_("Rooms"), "stations:room_list", "door-open", models.Room),
                (
                    _("Service agencies"),
                    "stations:serviceagency_list",
                    "building",
                    models.ServiceAgency,
                ),
                (
                    _("Construction standards"),
                    "stations:constructionstandard_list",
                    "clipboard-check",
                    models.ConstructionStandard,
                ),
                (
                    _("Subsidy policies"),
                    "stations:subsidypolicy_list",
                    "cash-coin",
                    models.SubsidyPolicy,
                ),
                (
                    _("Station subsidies"),
                    "stations:stationsubsidy_list",
                    "cash-stack",
                    models.StationSubsidy,
                ),
            ]
        ):
            register_menu_item(MenuItem(group, label, url_name, icon, model, 20 + order))
