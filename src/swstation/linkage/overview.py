"""A person's referrals on their page (issue 13, "Referrals": "a case's timeline shows them";
issue 10, "the person at the centre"): the referrals made for them, those waiting for an answer
first, each moment of a referral on the timeline, a fact when an answer is overdue, and the
action to refer them, preset with the person (and the worker's station, by the form).

The recipient page belongs to the recipients app, far below this one: it declares a port
(``recipients.overview``) and this module fills it (``LinkageConfig.ready`` registers
:func:`recipient_referrals_overview`). Reads go through ``selectors.referral_list`` (the
user's jurisdiction). One query, whatever the number of referrals.
"""

from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from swstation.core.actors import Actor
from swstation.core.permissions import user_can
from swstation.linkage.models import FINAL_STATUSES, Referral
from swstation.linkage.selectors import recipient_referrals, referral_moments
from swstation.recipients.models import Recipient, RecipientStatus
from swstation.recipients.overview import Action, Event, Fact, OverviewPart, Section

__all__ = ["recipient_referrals_overview"]

# Nobody refers a person who died or whose record was merged into another.
NOT_REFERRED = (RecipientStatus.MERGED, RecipientStatus.DECEASED)


def recipient_referrals_overview(actor: Actor, recipient: Recipient, on: date) -> OverviewPart:
    """The linkage app's part of a person's page (``recipients.overview.OverviewSource``)."""
    referrals = sorted(
        recipient_referrals(actor=actor, recipient=recipient),
        key=lambda r: (r.status in FINAL_STATUSES, -r.sent_on.toordinal(), -r.pk),
    )
    part = OverviewPart()
    overdue = [referral for referral in referrals if referral.is_overdue(on)]
    if overdue:
        part.facts.append(
            Fact(
                key="referrals-overdue",
                label=_("Referral answers overdue"),
                value=str(len(overdue)),
                url=overdue[0].get_absolute_url(),
                tone="danger",
                note="、".join(referral.partner.name for referral in overdue[:3]),
                order=85,
            )
        )
    part.sections.append(
        Section(
            key="referrals",
            title=_("Referrals"),
            template_name="linkage/overview/referrals.html",
            data={"rows": referrals, "on": on},
            count=len(referrals),
            order=60,
            alert=bool(overdue),
            more_url=reverse("linkage:referral_list") + "?" + urlencode({"recipient": recipient.pk})
            if referrals
            else "",
        )
    )
    for referral in referrals:
        url = referral.get_absolute_url()
        for day, title, detail in referral_moments(referral):
            part.events.append(
                Event(day=day, kind="referral", title=title, detail=detail, url=url, icon="send")
            )
    if recipient.status not in NOT_REFERRED and user_can(actor, "add", Referral):
        part.actions.append(
            Action(
                key="refer",
                label=_("Refer to a partner"),
                url=reverse("linkage:referral_add") + "?" + urlencode({"recipient": recipient.pk}),
                icon="send",
                order=60,
            )
        )
    return part
