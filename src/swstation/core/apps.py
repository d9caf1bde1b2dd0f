from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "swstation.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from swstation.core.checks import encrypted_fields_declared, personal_data_keys

        # Not only with --deploy: with DEBUG off, migrate and every other command stop too.
        checks.register(personal_data_keys, checks.Tags.security)
        checks.register(encrypted_fields_declared, checks.Tags.models)
