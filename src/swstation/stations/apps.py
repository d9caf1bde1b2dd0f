from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    name = "swstation.stations"
    verbose_name = _("Stations")

    def ready(self) -> None:
        from swstation.core.navigation import MenuItem, register_menu_item
        from swstation.core.roles import ALL_ROLES, BUREAUS, MANAGERS, Role
        from swstation.stations import models

        # Whose work each page is (core.navigation): the registry is everyone's but the social
        # workers' (their station's page is not theirs to keep); rollout, standards and
        # subsidy rules are the bureaus'; rooms, agencies and subsidies also the managers'.
        # Auditors read them all.
        bureaus = BUREAUS | {Role.AUDITOR}
        managers = MANAGERS | {Role.AUDITOR}
        group = _("Stations")
        for order, (label, url_name, icon, model, roles) in enumerate(
            [
                (
                    _("Stations"),
                    "stations:station_list",
                    "house-heart",
                    models.Station,
                    ALL_ROLES - {Role.SOCIAL_WORKER},
                ),
                (_("Rollout"), "stations:rollout", "graph-up", models.Station, bureaus),
                (_("Rooms"), "stations:room_list", "door-open", models.Room, managers),
                (
                    _("Service agencies"),
                    "stations:serviceagency_list",
                    "building",
                    models.ServiceAgency,
                    managers,
                ),
                (
                    _("Construction standards"),
                    "stations:constructionstandard_list",
                    "clipboard-check",
                    models.ConstructionStandard,
                    bureaus,
                ),
                (
                    _("Subsidy policies"),
                    "stations:subsidypolicy_list",
                    "cash-coin",
                    models.SubsidyPolicy,
                    bureaus,
                ),
            ]
        ):
            register_menu_item(
                MenuItem(group, label, url_name, icon, model, 20 + order, roles=roles)
            )
