from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    """社区志愿者 (domain.md §1, 五社联动): volunteers, their teams, their pairings with
    recipients and the hours the records give them."""

    name = "swstation.volunteers"
    verbose_name = _("Volunteers")
