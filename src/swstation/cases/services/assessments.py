"""Writes on elderly capability assessments beyond entering them (services/records.py):

- **Health data, seen in full and logged.** An assessment's diagnoses (GB/T 42195-2022 A.4.1,
  with whether a psychiatrist made them; MZ/T 039-2013's diagnosed mental illness) are personal
  health data (spec/elderly-assessment-gbt42195.md §4: "identifiers.md applies"): stored
  encrypted (``ElderlyAssessment.health_data_encrypted``), hidden from the roles that may not
  read health data (auditors: domain.md §4 "personal data masked"; recipients.selectors
  ``user_sees_sensitive_data``), and shown to the others only by
  :func:`elderly_assessment_reveal_health_data`, which writes a line of the personal-data access
  log (``recipients.IdentityView`` through ``recipients.services.personal_data_access_log``) for
  every view — on the page, on the printed report, in the edit form and in the API.
- **A change of condition** (spec §6: "any change of condition creates an immediate-assessment
  task"; A.1.3 即时评估): :func:`elderly_condition_change_report` marks the person's latest
  assessment as due again from the day the change was reported, so that the due lists show an
  immediate reassessment until a new assessment supersedes it.
"""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from swstation.cases.models import ElderlyAssessment
from swstation.core.actors import Actor, require_actor
from swstation.core.history import save_with_history
from swstation.recipients.models import PersonalData, Recipient
from swstation.recipients.selectors import user_sees_sensitive_data
from swstation.recipients.services import personal_data_access_log

__all__ = [
    "elderly_assessment_reveal_health_data",
    "elderly_condition_change_report",
]


def _check_visible(actor: Actor, assessment: ElderlyAssessment) -> None:
    require_actor(actor)
    if not ElderlyAssessment.objects.visible_to(actor).filter(pk=assessment.pk).exists():
        raise PermissionDenied(_("This record is outside your jurisdiction."))


@transaction.atomic
def elderly_assessment_reveal_health_data(
    *, actor: Actor, assessment: ElderlyAssessment, purpose: str = ""
) -> dict[str, Any]:
    """The assessment's health data in clear (``{"diagnoses": [...], "by_psychiatrist": ...}``,
    or ``{"mental_illness": ...}`` for MZ/T 039; ``{}`` when none is recorded), for a role that
    may read health data, with a line in the access log naming the assessment and ``purpose``
    (the line is written even when nothing is recorded: the log says who looked). Everyone else
    is refused (PermissionDenied) and nothing is logged."""
    if not user_sees_sensitive_data(actor):
        raise PermissionDenied(_("Your role may not see health data such as diagnoses."))
    _check_visible(actor, assessment)
    what = _("Elderly capability assessment of %(day)s (no. %(pk)s)") % {
        "day": assessment.assessed_on.isoformat(),
        "pk": assessment.pk,
    }
    reason = (purpose or "").strip()
    personal_data_access_log(
        actor=actor,
        field=PersonalData.DIAGNOSIS,
        recipient=assessment.recipient,
        purpose=f"{what}: {reason}" if reason else what,
    )
    return assessment.health_data()


def latest_elderly_assessment(*, actor: Actor, recipient: Recipient) -> ElderlyAssessment | None:
    """The person's latest elderly assessment the actor may see (the one a reassessment
    replaces)."""
    found: ElderlyAssessment | None = (
        ElderlyAssessment.objects.visible_to(actor)
        .filter(recipient=recipient)
        .order_by("-assessed_on", "-pk")
        .first()
    )
    return found


@transaction.atomic
def elderly_condition_change_report(
    *, actor: Actor, recipient: Recipient, changed_on: date, note: str
) -> ElderlyAssessment:
    """Report a change in the person's condition (a fall, a stay in hospital, a new diagnosis…)
    seen on ``changed_on``: their latest assessment is due again that day (an immediate
    reassessment, A.1.3 即时评估), until a new assessment supersedes it. Refused: a person
    without an assessment (record the first one instead), a day in the future or before the
    latest assessment, no description, a change already reported on that assessment."""
    require_actor(actor)
    errors: dict[str, list[str]] = {}
    latest = latest_elderly_assessment(actor=actor, recipient=recipient)
    if latest is None:
        raise ValidationError(
            _(
                "%(name)s has no elderly capability assessment yet: record the first assessment "
                "instead of a change of condition."
            )
            % {"name": recipient.name}
        )
    if not (note or "").strip():
        errors.setdefault("condition_change_note", []).append(
            _("Say what changed (a fall, a stay in hospital, a new diagnosis…).")
        )
    if changed_on is None:
        errors.setdefault("condition_changed_on", []).append(_("Give the day of the change."))
    elif changed_on > timezone.localdate():
        errors.setdefault("condition_changed_on", []).append(
            _("The date %(day)s is in the future.") % {"day": changed_on.isoformat()}
        )
    elif changed_on < latest.assessed_on:
        errors.setdefault("condition_changed_on", []).append(
            _(
                "The latest assessment is of %(assessed)s: a change of condition reported for it "
                "is on or after that day, not %(day)s."
            )
            % {"assessed": latest.assessed_on.isoformat(), "day": changed_on.isoformat()}
        )
    if latest.condition_changed_on is not None:
        errors.setdefault("condition_changed_on", []).append(
            _(
                "A change of condition was already reported on %(day)s: the immediate "
                "reassessment is due; record it."
            )
            % {"day": latest.condition_changed_on.isoformat()}
        )
    if errors:
        raise ValidationError(errors)
    latest.condition_changed_on = changed_on
    latest.condition_change_note = note.strip()[:200]
    latest.next_due = min(latest.next_due, changed_on)
    latest.full_clean()
    return save_with_history(
        latest, actor=actor, reason=_("Change of condition reported: reassess at once")
    )
