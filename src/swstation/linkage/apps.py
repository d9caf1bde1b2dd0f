from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    """五社联动 (domain.md §1, the third function): the partners a station links (social
    organisations, enterprises, charities, departments...), the resources they offer and the
    referrals a worker makes to them."""

    name = "swstation.linkage"
    verbose_name = _("Partners and referrals")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from swstation.cases.models import FRONT_LINE
        from swstation.cases.selectors.cases import register_timeline_source
        from swstation.cases.selectors.home import register_agenda_source
        from swstation.core.navigation import MenuItem, register_menu_item
        from swstation.linkage import selectors, signals
        from swstation.linkage.models import Partner, Referral, Resource
        from swstation.linkage.overview import recipient_referrals_overview
        from swstation.recipients.overview import register_overview_source
        from swstation.stations.models import ServiceAgency

        # Whose work (core.navigation): the front line finds partners and resources and
        # refers; a section of the 五社联动 menu (community's, 90–99).
        group, section = _("Five-party linkage (五社联动)"), _("Partners and referrals")
        for label, url, icon, model, order in (
            (_("Referrals"), "linkage:referral_list", "send", Referral, 90),
            (_("Resource catalogue"), "linkage:resource_list", "box-seam", Resource, 91),
            (_("Partners"), "linkage:partner_list", "buildings", Partner, 92),
        ):
            register_menu_item(
                MenuItem(group, label, url, icon, model, order, roles=FRONT_LINE, section=section)
            )

        # Referrals waiting for a partner's answer join the worker's and the station's agenda;
        # a case's referrals join its timeline (cases never imports this app).
        register_agenda_source(
            "referrals",
            selectors.referral_agenda_group,
            order=20,
            overdue_by_worker=selectors.referrals_overdue_by_worker,
        )
        register_timeline_source("referrals", selectors.case_referral_events)
        # ... and a person's referrals join their page (recipients.overview's port).
        register_overview_source("referrals", recipient_referrals_overview)

        # The service agencies are partners: one list (models.py).
        post_save.connect(
            signals.partner_of_agency,
            sender=ServiceAgency,
            dispatch_uid="linkage.partner_of_agency",
        )
