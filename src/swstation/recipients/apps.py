from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecipientsConfig(AppConfig):
    name = "swstation.recipients"
    verbose_name = _("Recipients")

    def ready(self) -> None:
        from swstation.core.navigation import MenuItem, register_menu_item
        from swstation.recipients.models import DuplicateReview, Household, Recipient

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
