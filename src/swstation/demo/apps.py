from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo city. It sits on top of every domain app and nothing depends on it."""

    name = "swstation.demo"
    verbose_name = _("Demo city")
