from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    """A station's group work and community work (MZ/T 095-2017, MZ/T 096-2017) and the
    residents' micro-governance (众筹微治, 邻舍家): above the partners and the volunteers,
    whom its activities name."""

    name = "swstation.community"
    verbose_name = _("Groups and community work")

    def ready(self) -> None:
        from swstation.community.models import CommunityActivity, Group, GroupSession

        # Volunteers' hours at activities and group sessions (the port of volunteers.hours).
        from swstation.community.selectors import volunteer_hours_source
        from swstation.core.navigation import MenuItem, register_menu_item
        from swstation.core.roles import MANAGERS, Role
        from swstation.volunteers.hours import register_hours_source

        register_hours_source(
            "community", _("Activities and group sessions"), volunteer_hours_source, order=20
        )

        # Whose work (core.navigation): the stations run groups and activities; the bureaus,
        # supervisors and auditors read them. The 五社联动 menu (shared with volunteers, 80–89,
        # and linkage, 90–99) comes after casework, before the projects.
        group = _("Five-party linkage (五社联动)")
        section = _("Groups and community work")
        readers = MANAGERS | {Role.SOCIAL_WORKER, Role.SUPERVISOR, Role.AUDITOR}
        for label, url, icon, model, order, roles in (
            (_("Groups"), "community:group_list", "people-fill", Group, 70, readers),
            (
                _("Group sessions"),
                "community:groupsession_list",
                "calendar-event",
                GroupSession,
                71,
                MANAGERS | {Role.SOCIAL_WORKER},
            ),
            (
                _("Community activities"),
                "community:communityactivity_list",
                "flag",
                CommunityActivity,
                72,
                readers,
            ),
        ):
            register_menu_item(
                MenuItem(group, label, url, icon, model, order, roles=roles, section=section)
            )

        # Residents' micro-governance (众筹微治) and the self-governance stations' council
        # meetings (邻舍家), after the activities; a council's meetings on its partner page
        # (linkage's port).
        from swstation.community.models import GovernanceMeeting, Pledge, Proposal
        from swstation.community.selectors import partner_council_panel
        from swstation.linkage.partner_panels import register_partner_panel

        register_partner_panel("council_meetings", partner_council_panel, order=10)
        governance = (
            (_("Micro-governance"), "community:proposal_list", "lightbulb", Proposal, 73),
            (_("Pledges"), "community:pledge_list", "piggy-bank", Pledge, 74),
            (
                _("Governance meetings"),
                "community:governancemeeting_list",
                "chat-square-text",
                GovernanceMeeting,
                75,
            ),
        )
        for label, url, icon, records, order in governance:
            register_menu_item(
                MenuItem(group, label, url, icon, records, order, roles=readers, section=section)
            )
