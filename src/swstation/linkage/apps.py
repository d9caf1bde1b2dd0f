from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    """五社联动 (domain.md §1, the third function): the partners a station links (social
    organisations, enterprises, charities, departments...), the resources they offer and the
    referrals a worker makes to them."""

    name = "swstation.linkage"
    verbose_name = _("Partners and referrals")
