from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    """社区志愿者 (domain.md §1, 五社联动): volunteers, their teams, their pairings with
    recipients and the hours the records give them."""

    name = "swstation.volunteers"
    verbose_name = _("Volunteers")

    def ready(self) -> None:
        from swstation.cases.record_panels import register_service_record_panel
        from swstation.cases.selectors.home import register_agenda_source
        from swstation.core.navigation import MenuItem, register_menu_item
        from swstation.core.roles import ALL_ROLES
        from swstation.recipients.overview import register_overview_source
        from swstation.volunteers.hours import register_hours_source
        from swstation.volunteers.models import Pairing, ServiceVolunteer, Volunteer, VolunteerTeam
        from swstation.volunteers.panels import (
            recipient_pairings_overview,
            service_record_volunteers_panel,
        )
        from swstation.volunteers.selectors import (
            pairing_agenda_group,
            pairing_overdue_by_worker,
            service_record_hours,
        )

        # The pairing visits due join the home agenda and the station's workload (cases' port).
        register_agenda_source(
            "pairings", pairing_agenda_group, order=10, overdue_by_worker=pairing_overdue_by_worker
        )
        # The volunteers named on a service record, on its page (cases' port).
        register_service_record_panel("volunteers", service_record_volunteers_panel, order=10)
        # A person's pairings on their page (recipients' port).
        register_overview_source("volunteers", recipient_pairings_overview)
        # This app's own hours: the service records naming a volunteer (hours.py).
        register_hours_source(
            "service_records", _("Service records"), service_record_hours, order=10
        )

        # Whose work (core.navigation): every role reads the volunteers of its jurisdiction; a
        # section of the 五社联动 menu (community's, 80–89).
        group, section = _("Five-party linkage (五社联动)"), _("Volunteers")
        for label, url, icon, model, order in (
            (_("Volunteers"), "volunteers:volunteer_list", "person-heart", Volunteer, 80),
            (_("Volunteer teams"), "volunteers:volunteerteam_list", "people", VolunteerTeam, 81),
            (_("Pairings"), "volunteers:pairing_list", "link-45deg", Pairing, 82),
            (
                _("Volunteer hours"),
                "volunteers:servicevolunteer_list",
                "hourglass-split",
                ServiceVolunteer,
                83,
            ),
        ):
            register_menu_item(
                MenuItem(group, label, url, icon, model, order, roles=ALL_ROLES, section=section)
            )
