from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "swstation.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from swstation.accounts.models import User
        from swstation.core.navigation import MenuItem, register_menu_item

        register_menu_item(
            MenuItem(
                _("Administration"), _("Users"), "accounts:user_list", "person-badge", User, 90
            )
        )
