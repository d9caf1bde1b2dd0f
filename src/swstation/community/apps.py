from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    """A station's group work and community work (MZ/T 095-2017, MZ/T 096-2017) and the
    residents' micro-governance (众筹微治, 邻舍家): above the partners and the volunteers,
    whom its activities name."""

    name = "swstation.community"
    verbose_name = _("Groups and community work")
