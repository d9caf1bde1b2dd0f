from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecipientsConfig(AppConfig):
    name = "swstation.recipients"
    verbose_name = _("Recipients")

    def ready(self) -> None:
        from swstation.core.audit import register_access_log_writer
        from swstation.core.navigation import MenuItem, register_menu_item
        from swstation.core.roles import Role
        from swstation.recipients.models import (
            DuplicateReview,
            Household,
            IdentityView,
            Recipient,
        )
        from swstation.recipients.services import personal_data_access_log

        # The apps below recipients (payment rosters) log through core.audit.
        register_access_log_writer(personal_data_access_log)

        group = _("Recipients")
        register_menu_item(
            MenuItem(
                group, _("Recipients"), "recipients:recipient_list", "person-heart", Recipient, 60
            )
        )
        register_menu_item(
            MenuItem(
                group, _("Households"), "recipients:household_list", "house-door", Household, 61
            )
        )
        # Shown to the roles that may view the reviews: district officers and the city bureau.
        register_menu_item(
            MenuItem(
                group,
                _("Duplicate reviews"),
                "recipients:duplicatereview_list",
                "intersect",
                DuplicateReview,
                62,
            )
        )
        # The personal-data access log (issue 10): the auditors' work, and the bureaus' (a
        # station manager reads it on each person's page and may open the list too).
        register_menu_item(
            MenuItem(
                group,
                _("Personal data access log"),
                "recipients:identityview_list",
                "shield-lock",
                IdentityView,
                63,
                roles=frozenset({Role.AUDITOR, Role.CITY_ADMIN, Role.DISTRICT_OFFICER}),
            )
        )
