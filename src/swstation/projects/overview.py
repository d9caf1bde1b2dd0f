"""A person's projects on their page (issue 10, "the person at the centre"): the projects they
are or were enrolled in, their enrolments and exits on the timeline, and the action to enrol
them, preset with the person and today.

The recipient page belongs to the recipients app, below this one: it declares a port
(``recipients.overview``) and this module fills it (``ProjectsConfig.ready`` registers
:func:`recipient_projects`). Reads go through this app's selectors (an auditor sees no minor's
enrolment, as on the beneficiaries list). Two queries at most, whatever the number of records.
"""

from datetime import date
from urllib.parse import urlencode

from django.db.models import F
from django.urls import reverse
from django.utils.translation import gettext as _

from swstation.core.actors import Actor
from swstation.core.permissions import user_can
from swstation.projects.models import ProjectEnrolment
from swstation.projects.selectors import enrolment_project_choices, project_enrolment_list
from swstation.recipients.models import Recipient, RecipientStatus
from swstation.recipients.overview import Action, Event, Fact, OverviewPart, Section

__all__ = ["recipient_enrolments", "recipient_projects"]

# People who are enrolled no more (enrolment_recipient_choices leaves them out too).
NOT_ENROLLED = (RecipientStatus.MERGED, RecipientStatus.DECEASED)


def recipient_enrolments(*, actor: Actor, recipient: Recipient) -> list[ProjectEnrolment]:
    """The person's enrolments the actor may see, the current ones first, then the latest."""
    return list(
        project_enrolment_list(actor=actor)
        .filter(recipient=recipient)
        .order_by(F("exited_on").desc(nulls_first=True), "-enrolled_on", "-pk")
    )


def recipient_projects(actor: Actor, recipient: Recipient, on: date) -> OverviewPart:
    """The projects app's part of a person's page (``recipients.overview.OverviewSource``)."""
    enrolments = recipient_enrolments(actor=actor, recipient=recipient)
    current = [enrolment for enrolment in enrolments if enrolment.is_open]
    part = OverviewPart()
    if current:
        part.facts.append(
            Fact(
                key="projects",
                label=_("Projects"),
                value="、".join(enrolment.project.name for enrolment in current),
                order=50,
            )
        )
    part.sections.append(
        Section(
            key="projects",
            title=_("Projects"),
            template_name="projects/overview/enrolments.html",
            data={"rows": enrolments, "current": len(current)},
            count=len(enrolments),
            order=50,
        )
    )
    for enrolment in enrolments:
        part.events.append(
            Event(
                day=enrolment.enrolled_on,
                kind="project",
                title=_("Enrolled in the project %(project)s") % {"project": enrolment.project},
                url=enrolment.get_absolute_url(),
                icon="kanban",
            )
        )
        if enrolment.exited_on is not None:
            part.events.append(
                Event(
                    day=enrolment.exited_on,
                    kind="project",
                    title=_("Left the project %(project)s") % {"project": enrolment.project},
                    detail=enrolment.exit_reason,
                    url=enrolment.get_absolute_url(),
                    icon="kanban",
                    order=1,
                )
            )
    if (
        recipient.status not in NOT_ENROLLED
        and user_can(actor, "add", ProjectEnrolment)
        and enrolment_project_choices(actor=actor).exists()
    ):
        part.actions.append(
            Action(
                key="enrol",
                label=_("Enrol in a project"),
                url=reverse("projects:projectenrolment_add")
                + "?"
                + urlencode({"recipient": recipient.pk, "enrolled_on": on.isoformat()}),
                icon="kanban",
                order=50,
            )
        )
    return part
