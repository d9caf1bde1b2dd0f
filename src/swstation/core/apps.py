from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "swstation.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from swstation.core import navigation
        from swstation.core.roles import BUREAUS

        # The API is for the bureaus' systems (issue 10: a social worker was offered it).
        navigation.register_menu_item(
            navigation.MenuItem(
                _("Administration"),
                _("API documentation"),
                "api-docs",
                "braces",
                order=99,
                roles=BUREAUS,
            )
        )

        from django.db.models import fields

        from swstation.core.checks import encrypted_fields_declared, personal_data_keys

        # The empty choice of every select (Django's own label, which its Chinese catalog does
        # not translate yet: ours does; Django reads this attribute when it builds the choices).
        fields.BLANK_CHOICE_LABEL = _("- Select an option -")

        # Not only with --deploy: with DEBUG off, migrate and every other command stop too.
        checks.register(personal_data_keys, checks.Tags.security)
        checks.register(encrypted_fields_declared, checks.Tags.models)

        from swstation.core.import_models import ImportSynonym
        from swstation.core.navigation import MenuItem, register_menu_item

        register_menu_item(
            MenuItem(
                _("Administration"),
                _("Import synonyms"),
                "core:importsynonym_list",
                "translate",
                ImportSynonym,
                95,
                # The city bureau keeps them; the districts read what their imports accept.
                roles=BUREAUS,
            )
        )
