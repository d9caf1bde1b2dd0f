"""The evaluation's own inputs (issue 15; spec/station-evaluation.md §2.3 H1–H3, H5 and §5): the
satisfaction and awareness survey (满意度 / 知晓度) of a random sample of the station's served
recipients, the township's and village committees' rating (H3) and the complaints (H5).

- ``Questionnaire``: the questions as versioned data, like an indicator set (the default,
  version 1, ships published from ``data/default_questionnaire_v1.json``, migration 0004). The
  codes are fixed (V0, S1–S6, W1–W5, R1–R5: the answers' fields), the wording is the city's.
- ``SurveySample``: one per station evaluation, drawn by the platform (``services.survey_draw``)
  with its seed, so that the draw can be reproduced; ``SurveyRespondent``: a drawn recipient in
  the seeded random order, in a stratum (1+X+1 project category × key / ordinary recipient),
  followed up by phone or, for the first ⌈n/6⌉, by a home visit; a reserve replaces one who is
  unreachable after 3 attempts on 2 days or who refuses. ``SurveyAttempt``: every contact made;
  ``SurveyAnswer``: the answers of a completed follow-up, with the respondent's index.
- ``StakeholderRating``: a form of the township government or of a village committee, entered
  by the district (H3).
- ``Complaint``: a complaint about a station, registered and decided by the bureaus (H5 counts
  those substantiated).

"A station cannot survey itself" (spec §5): the survey tables are read only by the bureaus and
by the evaluator of the station (``assignment_path``); the station's staff, its supervisors and
the auditors never see a respondent or an answer, only the aggregates (``selectors``). The
respondents are recipients: the tables hold a link to the person, never a copy of their name,
phone or address (shown masked to the evaluator; revealed one at a time, logged).
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from swstation.core.models import ScopedModel
from swstation.core.permissions import RolePermissions
from swstation.core.roles import BUREAUS, CITY_ADMIN_ONLY, Role
from swstation.evaluation.models.rounds import EVALUATOR_ONLY, READERS, StationEvaluation
from swstation.evaluation.models.standards import SetStatus
from swstation.projects.models import ProjectCategory

# Who reads the survey's individual records (spec §4's table, "surveys"): the city (all
# answers), the district (its county's stations) and the station's evaluator (assignment).
SURVEY_READERS: frozenset[str] = BUREAUS | EVALUATOR_ONLY
# Who follows the respondents up and enters their answers (spec §5: "answers are entered only by
# the assigned evaluator or a district_officer of the station's county").
SURVEYORS: frozenset[str] = frozenset({Role.DISTRICT_OFFICER, Role.EVALUATOR})
DISTRICT_ONLY: frozenset[str] = frozenset({Role.DISTRICT_OFFICER})

# The fixed codes of a questionnaire (the answers' fields), spec §5.
CONFIRMATION_CODE = "V0"
SATISFACTION_CODES = ("S1", "S2", "S3", "S4", "S5", "S6")
AWARENESS_CODES = ("W1", "W2", "W3", "W4", "W5")
STAKEHOLDER_CODES = ("R1", "R2", "R3", "R4", "R5")
QUESTION_KINDS = {
    CONFIRMATION_CODE: "confirmation",
    **dict.fromkeys(SATISFACTION_CODES, "satisfaction"),
    **dict.fromkeys(AWARENESS_CODES, "awareness"),
}

FIVE_POINTS = [
    MinValueValidator(1, message=_("Answer from 1 to 5.")),
    MaxValueValidator(5, message=_("Answer from 1 to 5.")),
]


# The five-point items' names on the forms and in the history (their wording asked is the
# questionnaire's): one label per code, in the codes' order.
SATISFACTION_LABELS: dict[str, Any] = dict(
    zip(
        SATISFACTION_CODES,
        (
            _("S1 attitude and respect"),
            _("S2 timeliness"),
            _("S3 needs met"),
            _("S4 worker's skill"),
            _("S5 privacy kept"),
            _("S6 overall"),
        ),
        strict=True,
    )
)
STAKEHOLDER_LABELS: dict[str, Any] = dict(
    zip(
        STAKEHOLDER_CODES,
        (
            _("R1 cooperation and communication"),
            _("R2 services reaching the villages"),
            _("R3 help to civil-affairs work"),
            _("R4 community needs met"),
            _("R5 overall"),
        ),
        strict=True,
    )
)


def five_point_fields(
    labels: Mapping[str, Any], *, optional: bool
) -> dict[str, models.PositiveSmallIntegerField[Any, Any]]:
    """The fields of five-point items, one per code (``s1`` for "S1"), each 1–5; ``optional``:
    empty allowed (不适用). A model's body takes them with ``locals().update(…)`` (the class
    namespace is a plain dict), so that the codes lists stay the only list of the items."""
    return {
        code.lower(): models.PositiveSmallIntegerField(
            label, null=optional, blank=optional, validators=FIVE_POINTS
        )
        for code, label in labels.items()
    }


def questionnaire_items_errors(items: Any) -> list[str]:
    """What is wrong with a questionnaire's ``items``; [] if nothing. The shape::

        {"questions": [{"code": "V0", "kind": "confirmation", "text": "…"},
                       {"code": "S1", "kind": "satisfaction", "text": "…"}, … "W5"],
         "stakeholder": [{"code": "R1", "text": "…"}, … "R5"],
         "scales": {…}}

    Every code of V0, S1–S6, W1–W5 once with its kind and a text, R1–R5 once with a text: the
    answers are stored by these codes, the wording is the city's."""
    if not isinstance(items, dict):
        return [str(_("The questions are an object with “questions” and “stakeholder”."))]
    errors: list[str] = []
    for key, expected in (
        ("questions", dict(QUESTION_KINDS)),
        ("stakeholder", dict.fromkeys(STAKEHOLDER_CODES, "")),
    ):
        rows = items.get(key)
        if not isinstance(rows, list):
            errors.append(str(_("“%(key)s” is a list of questions.") % {"key": key}))
            continue
        seen: list[str] = []
        for row in rows:
            code = row.get("code") if isinstance(row, dict) else None
            if code not in expected or code in seen:
                errors.append(
                    str(_("Unknown or repeated question code: %(code)s.") % {"code": code})
                )
                continue
            seen.append(code)
            if expected[code] and row.get("kind") != expected[code]:
                errors.append(
                    str(
                        _("Question %(code)s is of the kind “%(kind)s”.")
                        % {"code": code, "kind": expected[code]}
                    )
                )
            if not str(row.get("text") or "").strip():
                errors.append(str(_("Question %(code)s has no wording.") % {"code": code}))
        missing = [code for code in expected if code not in seen]
        if missing:
            errors.append(str(_("Questions missing: %(codes)s.") % {"codes": "、".join(missing)}))
    return errors


class Questionnaire(ScopedModel):
    """One version of the survey's questions (spec §5, ``QuestionnaireVersion``): data the city
    edits and versions; a published version never changes (a sample keeps the version it was
    asked with)."""

    name = models.CharField(_("name"), max_length=100)
    version = models.PositiveSmallIntegerField(_("version"), editable=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SetStatus.choices,
        default=SetStatus.DRAFT,
        editable=False,
    )
    items = models.JSONField(
        _("questions"),
        default=dict,
        help_text=_("The wording of V0, S1–S6, W1–W5 and of the stakeholders' form R1–R5 (JSON)."),
    )
    note = models.TextField(_("note"), blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True, editable=False)

    scope_path: ClassVar[str | None] = None  # city-wide policy data
    assignment_path: ClassVar[str] = "samples__evaluation__evaluator"
    role_permissions = RolePermissions(
        view=READERS, add=CITY_ADMIN_ONLY, change=CITY_ADMIN_ONLY, delete=CITY_ADMIN_ONLY
    )

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="questionnaire_name_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:questionnaire", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        errors = questionnaire_items_errors(self.items)
        if errors:
            raise ValidationError({"items": errors})

    def question_text(self, code: str) -> str:
        """The wording of question ``code`` in this version ("" if none)."""
        items = self.items if isinstance(self.items, dict) else {}
        for row in [*items.get("questions", []), *items.get("stakeholder", [])]:
            if isinstance(row, dict) and row.get("code") == code:
                return str(row.get("text") or "")
        return ""


def _evaluation_url(evaluation_id: Any, anchor: str) -> str:
    return reverse("evaluation:stationevaluation", args=[evaluation_id]) + f"#{anchor}"


class SurveySample(ScopedModel):
    """The sample of a station evaluation's survey (spec §5), drawn once by the platform: the
    population N (recipients served in the period, alive, reachable), the sample size n, the
    home visits, the seed of the random order (the draw is reproducible) and the strata with
    their shares; also the village committees drawn for the stakeholders' forms (H3)."""

    evaluation = models.OneToOneField(
        StationEvaluation,
        verbose_name=_("station evaluation"),
        on_delete=models.CASCADE,
        related_name="survey_sample",
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        related_name="samples",
    )
    population = models.PositiveIntegerField(_("recipients served (N)"), editable=False)
    sample_size = models.PositiveIntegerField(_("sample size (n)"), editable=False)
    home_visits = models.PositiveIntegerField(_("home visits"), editable=False)
    seed = models.BigIntegerField(_("random seed"), editable=False)
    strata = models.JSONField(
        _("strata"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("Per stratum: recipients served, respondents drawn and reserves."),
    )
    stakeholder_villages = models.JSONField(
        _("village committees drawn"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("The division codes of the village committees drawn for the H3 forms."),
    )
    drawn_at = models.DateTimeField(_("drawn at"), editable=False)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drawn by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    scope_path: ClassVar[str | None] = "evaluation__region_code"
    assignment_path: ClassVar[str] = "evaluation__evaluator"
    role_permissions = RolePermissions(
        view=SURVEY_READERS, add=SURVEY_READERS, change=SURVEY_READERS
    )

    class Meta:
        verbose_name = _("survey sample")
        verbose_name_plural = _("survey samples")
        ordering = ["evaluation"]

    def __str__(self) -> str:
        return str(_("Survey of %(evaluation)s") % {"evaluation": self.evaluation})

    def get_absolute_url(self) -> str:
        return _evaluation_url(self.evaluation_id, "survey")


class FollowUpMode(models.TextChoices):
    PHONE = "phone", _("Phone")
    HOME = "home", _("Home visit")


class RespondentStatus(models.TextChoices):
    PENDING = "pending", _("To follow up")
    COMPLETED = "completed", _("Completed")
    UNREACHABLE = "unreachable", _("Unreachable")
    REFUSED = "refused", _("Refused")
    REPLACED = "replaced", _("Replaced: could not be surveyed")


# A stratum is "<project category>.<key|ordinary>" (spec §5: by 1+X+1 project category and by
# key (vulnerable-group) vs ordinary recipients); "none" for people served outside a project.
NO_PROJECT = "none"
KEY, ORDINARY = "key", "ordinary"


def stratum_code(category: str, is_key: bool) -> str:
    return f"{category or NO_PROJECT}.{KEY if is_key else ORDINARY}"


def stratum_label(code: str) -> str:
    """A stratum in words: “困难群体服务项目 · 重点对象”."""
    category, _dot, kind = code.partition(".")
    labels = dict(ProjectCategory.choices)
    project = str(labels.get(category, _("No project")))
    who = _("Key recipients") if kind == KEY else _("Ordinary recipients")
    return f"{project} · {who}"


class SurveyRespondent(ScopedModel):
    """A recipient drawn into a sample (spec §5): the stratum, the place in the seeded random
    order, whether a reserve, the follow-up mode and where the follow-up stands. A reserve is
    ``active`` once it replaces someone (``replaced_by`` on the one replaced). The person is
    linked, never copied: their name, phone and address stay in the recipients' records."""

    sample = models.ForeignKey(
        SurveySample,
        verbose_name=_("survey sample"),
        on_delete=models.CASCADE,
        related_name="respondents",
    )
    recipient = models.ForeignKey(
        "recipients.Recipient",
        verbose_name=_("recipient"),
        on_delete=models.PROTECT,
        related_name="survey_respondents",
    )
    stratum = models.CharField(
        _("stratum"),
        max_length=40,
        editable=False,
        help_text=_("The 1+X+1 project category and whether a key (vulnerable-group) recipient."),
    )
    order = models.PositiveIntegerField(_("order drawn"), editable=False)
    is_reserve = models.BooleanField(_("reserve"), default=False, editable=False)
    active = models.BooleanField(
        _("to be surveyed"),
        default=True,
        editable=False,
        help_text=_("A reserve is surveyed once it replaces a respondent."),
    )
    mode = models.CharField(
        _("follow-up by"), max_length=10, choices=FollowUpMode.choices, default=FollowUpMode.PHONE
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RespondentStatus.choices,
        default=RespondentStatus.PENDING,
        editable=False,
    )
    replaced_by = models.OneToOneField(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="replaces",
    )

    scope_path: ClassVar[str | None] = "sample__evaluation__region_code"
    assignment_path: ClassVar[str] = "sample__evaluation__evaluator"
    role_permissions = RolePermissions(view=SURVEY_READERS, change=SURVEYORS)

    class Meta:
        verbose_name = _("survey respondent")
        verbose_name_plural = _("survey respondents")
        ordering = ["sample", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["sample", "recipient"], name="surveyrespondent_sample_recipient"
            ),
            models.UniqueConstraint(fields=["sample", "order"], name="surveyrespondent_order"),
        ]
        indexes = [models.Index(fields=["sample", "stratum", "is_reserve", "active"])]

    def __str__(self) -> str:
        # No name: the title is shown unmasked to every reader.
        return str(_("Respondent no. %(order)s") % {"order": self.order})

    def get_stratum_display(self) -> str:
        return stratum_label(self.stratum)

    def get_absolute_url(self) -> str:
        return _evaluation_url(self.sample.evaluation_id, f"respondent-{self.pk}")


class AttemptOutcome(models.TextChoices):
    NO_ANSWER = "no_answer", _("Not reached")
    CALL_BACK = "call_back", _("Reached, to call back")
    REFUSED = "refused", _("Refused")
    INELIGIBLE = "ineligible", _("Cannot be surveyed (died, moved, wrong person)")
    COMPLETED = "completed", _("Survey completed")


# Outcomes that count towards "unreachable after 3 attempts on 2 days" (spec §5).
FAILED_OUTCOMES = (AttemptOutcome.NO_ANSWER, AttemptOutcome.CALL_BACK)


class SurveyAttempt(ScopedModel):
    """One contact with a respondent, successful or not (spec §5: "attempts and reasons
    recorded"; spec §4: a survey attempt is history)."""

    respondent = models.ForeignKey(
        SurveyRespondent,
        verbose_name=_("survey respondent"),
        on_delete=models.CASCADE,
        related_name="attempts",
    )
    attempted_on = models.DateField(_("date"))
    mode = models.CharField(_("by"), max_length=10, choices=FollowUpMode.choices)
    outcome = models.CharField(_("outcome"), max_length=12, choices=AttemptOutcome.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    scope_path: ClassVar[str | None] = "respondent__sample__evaluation__region_code"
    assignment_path: ClassVar[str] = "respondent__sample__evaluation__evaluator"
    role_permissions = RolePermissions(view=SURVEY_READERS, add=SURVEYORS)

    class Meta:
        verbose_name = _("survey attempt")
        verbose_name_plural = _("survey attempts")
        ordering = ["respondent", "attempted_on", "pk"]

    def __str__(self) -> str:
        return f"{self.respondent} · {self.attempted_on} · {self.get_outcome_display()}"

    def get_absolute_url(self) -> str:
        return self.respondent.get_absolute_url()


class SurveyAnswer(ScopedModel):
    """The answers of a completed follow-up (spec §5): V0 service confirmation (a "no" is a
    finding), S1–S6 on 5 points (None: 不适用), W1–W5 known or not; the respondent's index (the
    mean of the answered items, each (x − 1) / 4 × 100) and effective awareness (≥ 3 known)
    are computed by the service."""

    respondent = models.OneToOneField(
        SurveyRespondent,
        verbose_name=_("survey respondent"),
        on_delete=models.CASCADE,
        related_name="answer",
    )
    answered_on = models.DateField(_("answered on"))
    mode = models.CharField(_("by"), max_length=10, choices=FollowUpMode.choices)
    service_confirmed = models.BooleanField(
        _("V0 service confirmed"),
        help_text=_("Did the station's social workers serve the respondent in the period?"),
    )
    service_described = models.TextField(
        _("V0 what they said they received"), blank=True, max_length=1000
    )
    # S1–S6 on 5 points, None: 不适用 (not applicable).
    locals().update(five_point_fields(SATISFACTION_LABELS, optional=True))
    w1 = models.BooleanField(_("W1 knows the address"))
    w2 = models.BooleanField(_("W2 knows what it offers"))
    w3 = models.BooleanField(_("W3 knows a worker's name"))
    w4 = models.BooleanField(_("W4 knows how to ask for help"))
    w5 = models.BooleanField(_("W5 knows who funds it"))
    satisfaction_index = models.DecimalField(
        _("satisfaction index"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
        help_text=_("0–100; empty when every satisfaction item was “not applicable”."),
    )
    effectively_aware = models.BooleanField(_("effective awareness"), default=False, editable=False)
    note = models.TextField(_("note"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    scope_path: ClassVar[str | None] = "respondent__sample__evaluation__region_code"
    assignment_path: ClassVar[str] = "respondent__sample__evaluation__evaluator"
    role_permissions = RolePermissions(view=SURVEY_READERS, add=SURVEYORS, change=SURVEYORS)

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        ordering = ["respondent"]

    def __str__(self) -> str:
        return str(_("Answers of %(respondent)s") % {"respondent": self.respondent})

    def get_absolute_url(self) -> str:
        return self.respondent.get_absolute_url()


class RaterKind(models.TextChoices):
    TOWNSHIP = "township", _("Township government")
    VILLAGE = "village", _("Village / community committee")


class StakeholderRating(ScopedModel):
    """A stakeholders' form for H3 (spec §5; 南沙: buyer and villages), entered by the district:
    the township government's, or a village committee's (up to 5, drawn at random with the
    survey). Five items on 5 points; the form's score is their mean on 0–100."""

    evaluation = models.ForeignKey(
        StationEvaluation,
        verbose_name=_("station evaluation"),
        on_delete=models.CASCADE,
        related_name="stakeholder_ratings",
    )
    rater = models.CharField(_("rater"), max_length=10, choices=RaterKind.choices)
    village = models.ForeignKey(
        "regions.Region",
        verbose_name=_("village / community"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # R1–R5 on 5 points, each required.
    locals().update(five_point_fields(STAKEHOLDER_LABELS, optional=False))
    score = models.DecimalField(
        _("score (0–100)"), max_digits=5, decimal_places=2, default=Decimal(0), editable=False
    )
    comment = models.TextField(_("comment"), blank=True)
    rated_on = models.DateField(_("rated on"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    scope_path: ClassVar[str | None] = "evaluation__region_code"
    assignment_path: ClassVar[str] = "evaluation__evaluator"
    role_permissions = RolePermissions(view=SURVEY_READERS, add=DISTRICT_ONLY, change=DISTRICT_ONLY)

    class Meta:
        verbose_name = _("stakeholders' rating")
        verbose_name_plural = _("stakeholders' ratings")
        # Not by the village's code: a nullable relation in the ordering is an outer join,
        # which a row lock (SELECT … FOR UPDATE, core.scoping.lock_row) refuses on PostgreSQL.
        ordering = ["evaluation", "rater", "village_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation"],
                condition=models.Q(rater="township"),
                name="stakeholderrating_one_township",
            ),
            models.UniqueConstraint(
                fields=["evaluation", "village"],
                condition=models.Q(village__isnull=False),
                name="stakeholderrating_one_per_village",
            ),
            models.CheckConstraint(
                condition=(models.Q(rater="township") & models.Q(village__isnull=True))
                | (models.Q(rater="village") & models.Q(village__isnull=False)),
                name="stakeholderrating_village_of_a_village_form",
            ),
        ]

    def __str__(self) -> str:
        who = self.village.name if self.village_id and self.village else self.get_rater_display()
        return f"{who} · {self.evaluation}"

    def get_absolute_url(self) -> str:
        return _evaluation_url(self.evaluation_id, "stakeholders")


class ComplaintChannel(models.TextChoices):
    HOTLINE = "hotline", _("Hotline (12345, 12349)")
    LETTER = "letter", _("Letter or visit")
    ONLINE = "online", _("Online")
    INSPECTION = "inspection", _("Found in an inspection")
    OTHER = "other", _("Other")


# Who reads complaints: the bureaus, the evaluators of the station, the supervisors and auditors
# in scope, and the station manager (who answers for the station); not its social workers.
COMPLAINT_READERS: frozenset[str] = READERS - {Role.SOCIAL_WORKER}


class Complaint(ScopedModel):
    """A complaint about a station (H5; spec §2.3), registered by the district or the city and
    decided after checking: ``substantiated`` is empty until decided. H5 counts the complaints
    received in the period and found substantiated. The summary names no complainant."""

    station = models.ForeignKey(
        "stations.Station",
        verbose_name=_("station"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    received_on = models.DateField(_("received on"))
    channel = models.CharField(_("channel"), max_length=12, choices=ComplaintChannel.choices)
    summary = models.TextField(
        _("summary"),
        max_length=2000,
        help_text=_("What is complained of; leave out the complainant's name and contacts."),
    )
    substantiated = models.BooleanField(
        _("substantiated"), null=True, blank=True, editable=False, help_text=_("Empty: undecided.")
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True, editable=False)
    decision_note = models.TextField(_("decision"), blank=True, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    scope_path: ClassVar[str | None] = "station__region__code"
    assignment_path: ClassVar[str] = "station__evaluations__evaluator"
    role_permissions = RolePermissions(view=COMPLAINT_READERS, add=BUREAUS, change=BUREAUS)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["station", "received_on"]),
            models.Index(fields=["substantiated"]),
        ]

    def __str__(self) -> str:
        return f"{self.received_on} · {self.station}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:complaint", args=[self.pk])
