"""Forms of the indicator sets: a version (its name once, its note), a dimension and an
indicator of a draft. The rules (drafts only, codes unique in a version, the shape of a rule's
parameters) are the services' and the models', shared with the API.

Then the rounds' forms: a round being prepared, an evaluator's profile, and the small forms of
each step of a station's evaluation (the scorecard's buttons)."""

import json
from typing import Any

from django import forms
from django.core import validators
from django.db.models import Q
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from swstation.accounts.selectors import user_list
from swstation.core.forms import TEXT_MAX_LENGTH, ScopedModelForm, date_input
from swstation.core.roles import Role
from swstation.evaluation import selectors
from swstation.evaluation.models import (
    Dimension,
    DistrictAssessment,
    DistrictAssessmentScheme,
    DistrictFigure,
    EvaluationRound,
    EvaluationStatus,
    Evaluator,
    Indicator,
    IndicatorSet,
    RoundKind,
    Veto,
)
from swstation.evaluation.models.rounds import SURVEY_PARAMETER_FIELDS
from swstation.evaluation.services import (
    ASSESSMENT_FIELDS,
    DEFAULTED_FIELDS,
    DIMENSION_FIELDS,
    EVALUATOR_FIELDS,
    INDICATOR_FIELDS,
    ROUND_FIELDS,
    SCHEME_FIELDS,
    SET_FIELDS,
)

TEXT = forms.Textarea(attrs={"rows": 3})


class IndicatorSetForm(ScopedModelForm):
    """A new standard (version 1 of a new name, or the next version of a name: empty); an
    edit changes the note only. Copying a version is its page's button."""

    class Meta:
        model = IndicatorSet
        fields = list(SET_FIELDS)
        widgets = {"note": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bonus_cap"].required = False  # left empty: the version keeps its cap
        if self.instance.pk:
            self.fields["name"].disabled = True
            self.fields["name"].help_text = gettext_lazy(
                "A version keeps the name of its standard; copy it to start another."
            )

    def clean_bonus_cap(self) -> Any:
        value = self.cleaned_data.get("bonus_cap")
        return self.instance.bonus_cap if value is None else value


class DimensionChoiceField(forms.ModelChoiceField):
    """A dimension named with its version: several versions have an "A 阵地建设"."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.indicator_set} · {obj}"


class DimensionForm(ScopedModelForm):
    """A dimension of a draft; it stays in its version."""

    class Meta:
        model = Dimension
        fields = list(DIMENSION_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["indicator_set"]
            return
        self.fields["indicator_set"].queryset = selectors.draft_set_choices(  # type: ignore[attr-defined]
            actor=self.user
        )


class RuleParamsField(forms.JSONField):
    """The rule's parameters as JSON, shown indented; an empty box is no parameters. Its text
    is bounded before it is parsed (the parsed value is no text to measure)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.max_length = TEXT_MAX_LENGTH  # core.forms.bound_text_fields: bounded here

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str) or value is None:
            return super().prepare_value(value)
        return json.dumps(value, ensure_ascii=False, indent=1)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return {}
        if isinstance(value, str):
            validators.MaxLengthValidator(TEXT_MAX_LENGTH)(value)
        return super().to_python(value)


class IndicatorForm(ScopedModelForm):
    """An indicator of a draft: points, rule and its parameters, evidence, and the records it
    is computed from (empty: scored by hand)."""

    class Meta:
        model = Indicator
        fields = list(INDICATOR_FIELDS)
        field_classes = {"dimension": DimensionChoiceField, "rule_params": RuleParamsField}
        widgets = {"rule_params": forms.Textarea(attrs={"rows": 6, "class": "font-monospace"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = selectors.draft_dimension_choices(actor=self.user)
        if self.instance.pk:
            # It may move, within its own version only.
            choices = choices.filter(indicator_set_id=self.instance.dimension.indicator_set_id)
        self.fields["dimension"].queryset = choices  # type: ignore[attr-defined]
        self.fields["rule_params"].required = False
        self.fields["rule_params"].help_text = rule_params_help()


# The shape of each rule's parameters (evaluation/rules.py), as the edit form shows it.
RULE_EXAMPLES = {
    "ratio": '{"target": 30, "floor": 0, "prorate": true, "unit": "个"}',
    "band": (
        '{"bands": [{"min": 3, "max": null, "points": 3}, {"min": 2, "max": 3, "points": 1.5}]}'
    ),
    "each": '{"per_item": 0.5, "items": ["年度计划", "半年总结"]}',
    "yes_no": '{"condition": "站点外设有标识牌"}',
    "open": '"max": null',
    "closed": '"max_included": true',
}


def rule_params_help() -> str:
    """The help of the parameters box: the shape of each rule, its keys as code."""
    text = conditional_escape(
        _(
            "Ratio to a target: %(ratio)s; bands: %(band)s (%(open)s: no upper end; "
            "%(closed)s: the upper end included); points per item: %(each)s; yes or no: "
            "%(yes_no)s; scored by the evaluator: empty."
        )
    )
    codes = {
        name: format_html("<code>{}</code>", example) for name, example in RULE_EXAMPLES.items()
    }
    return mark_safe(text % codes)  # the text escaped, the examples too


# --- rounds, station evaluations, rectification, evaluators (issue 15; spec §3, §4) -----------


class EvaluationRoundForm(ScopedModelForm):
    """A round being prepared (the city bureau edits it until it opens): scored against a
    published version only."""

    class Meta:
        model = EvaluationRound
        fields = list(ROUND_FIELDS)
        widgets = {"period_start": date_input(), "snapshot_date": date_input(), "note": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator_set"].queryset = selectors.published_indicator_sets(  # type: ignore[attr-defined]
            actor=self.user
        )
        # The survey's parameters (spec §5, §7), the star bands (§3) and the recusal months
        # (§4) start at the spec's defaults: a form sent without one keeps the round's value.
        for name in (*SURVEY_PARAMETER_FIELDS, *DEFAULTED_FIELDS):
            if name in self.fields:
                self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name in (*SURVEY_PARAMETER_FIELDS, *DEFAULTED_FIELDS):
            if name in cleaned and cleaned[name] is None:
                cleaned[name] = getattr(self.instance, name)
        return cleaned


class EvaluatorUserField(forms.ModelChoiceField):
    """An evaluator named with the agency they work for (the city picks one that does not
    operate the station)."""

    def label_from_instance(self, obj: Any) -> str:
        profile = getattr(obj, "evaluator_profile", None)
        agency = profile.agency if profile is not None and profile.agency_id else None
        works_for = str(agency) if agency else _("independent")
        return f"{obj} · {works_for}"


def evaluator_users(user: Any) -> Any:
    """The users with the role "evaluator" the city bureau may choose from."""
    return (
        user_list(actor=user)
        .filter(role=Role.EVALUATOR, is_active=True)
        .select_related("evaluator_profile__agency")
        .order_by("full_name", "username")
    )


class EvaluatorForm(ScopedModelForm):
    """A third-party evaluator's profile: the user (role "evaluator") and the agency they work
    for, so that no one is assigned a station their agency operates."""

    class Meta:
        model = Evaluator
        fields = list(EVALUATOR_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = user_list(actor=self.user).filter(role=Role.EVALUATOR)
        # One profile a user: those who have one are not offered again.
        users = users.filter(Q(evaluator_profile__isnull=True) | Q(pk=self.instance.user_id))
        self.fields["user"].queryset = users.order_by("full_name", "username")  # type: ignore[attr-defined]


# The steps of a station's evaluation: small forms posted by the scorecard's buttons. The
# rules (who, when, what is required) are the services'; these only read the values.


def _score_field(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=0, max_digits=6, decimal_places=2, required=False
    )


def _text(label: Any, *, required: bool = False, rows: int = 2) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class _OneIndicatorForm(forms.Form):
    """A form about one indicator of the evaluation: its score row's id."""

    score = forms.IntegerField(widget=forms.HiddenInput, label=gettext_lazy("indicator"))


class SelfScoreForm(_OneIndicatorForm):
    self_score = _score_field(gettext_lazy("self-score"))
    self_note = _text(gettext_lazy("station's explanation"))


class EvaluatorScoreForm(_OneIndicatorForm):
    evaluator_score = _score_field(gettext_lazy("evaluator's score"))
    override_reason = _text(gettext_lazy("why the automatic score is overridden"))
    finding = _text(gettext_lazy("evaluator's finding"))


class DistrictCommentForm(_OneIndicatorForm):
    district_comment = _text(gettext_lazy("district's comment"))


class EvidenceForm(_OneIndicatorForm):
    title = forms.CharField(label=gettext_lazy("file title"), max_length=100)
    file = forms.FileField(
        label=gettext_lazy("file"),
        help_text=gettext_lazy(
            "A photo (JPEG, PNG) or a document (PDF, Word, Excel), at most 10 MB."
        ),
    )


class EvidenceDeleteForm(forms.Form):
    evidence = forms.IntegerField(widget=forms.HiddenInput, label=gettext_lazy("evidence file"))


class NoDataForm(forms.Form):
    """A button that needs no value (submit, pass, open...)."""


class ReasonForm(forms.Form):
    """A button with an optional reason (recomputing, approving a revision)."""

    reason = _text(gettext_lazy("reason"))


class VetoForm(forms.Form):
    veto = forms.ChoiceField(
        label=gettext_lazy("veto"),
        choices=[("", gettext_lazy("No veto")), *Veto.choices],
        required=False,
    )
    veto_reason = _text(gettext_lazy("why the veto"))


class ScoringSubmitForm(forms.Form):
    site_visit_on = forms.DateField(
        label=gettext_lazy("site visit on"), required=False, widget=date_input()
    )
    site_findings = _text(gettext_lazy("site-visit findings"), rows=3)


class ReturnForm(forms.Form):
    comment = _text(gettext_lazy("why it is returned"), required=True)


class CityReturnForm(ReturnForm):
    to = forms.ChoiceField(
        label=gettext_lazy("return to"),
        choices=[
            (EvaluationStatus.SCORING, EvaluationStatus.SCORING.label),
            (EvaluationStatus.DISTRICT_REVIEW, EvaluationStatus.DISTRICT_REVIEW.label),
        ],
    )


class RectificationAddForm(forms.Form):
    indicator = forms.TypedChoiceField(
        label=gettext_lazy("indicator"), coerce=int, required=False, empty_value=None
    )
    finding = _text(gettext_lazy("finding"), required=True)
    required_action = _text(gettext_lazy("required action"))

    def __init__(self, *args: Any, indicators: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[Any, Any]] = [("", gettext_lazy("(the whole station)"))]
        choices += [(i.pk, f"{i.code} {i.name}") for i in indicators]
        self.fields["indicator"].choices = choices  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    evaluator = EvaluatorUserField(label=gettext_lazy("evaluator"), queryset=None)

    def __init__(self, *args: Any, user: Any, exclude: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = evaluator_users(user)
        if exclude is not None:
            users = users.exclude(pk=exclude)
        self.fields["evaluator"].queryset = users  # type: ignore[attr-defined]


class ObjectionForm(forms.Form):
    objection = _text(gettext_lazy("objection and its reasons"), required=True, rows=4)


class ObjectionDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("decision"),
        choices=[
            ("upheld", gettext_lazy("Upheld: scored again by a different evaluator")),
            ("rejected", gettext_lazy("Rejected: the result stands")),
        ],
        widget=forms.RadioSelect,
    )
    reason = _text(gettext_lazy("reason"), required=True)
    evaluator = EvaluatorUserField(
        label=gettext_lazy("new evaluator"), queryset=None, required=False
    )

    def __init__(self, *args: Any, user: Any, exclude: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        users = evaluator_users(user)
        if exclude is not None:
            users = users.exclude(pk=exclude)
        self.fields["evaluator"].queryset = users  # type: ignore[attr-defined]


class RectificationAnswerForm(forms.Form):
    answer = _text(gettext_lazy("what was done"), required=True, rows=4)


class RectificationVerifyForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("decision"),
        choices=[
            ("accept", gettext_lazy("Accept: the item is closed")),
            ("reopen", gettext_lazy("Reopen: due again within 30 days")),
        ],
        widget=forms.RadioSelect,
    )
    comment = _text(gettext_lazy("verification comment"))


class SchemeItemsField(RuleParamsField):
    """A district assessment scheme's items as JSON (a list); an empty box is no items."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return []
        return super().to_python(value)


def scheme_items_help() -> str:
    """The help of a scheme's items box: the keys and the figures, as code."""
    figures = format_html_join(
        "、",
        "<code>{}</code>（{}）",
        ((value, label) for value, label in DistrictFigure.choices),
    )
    return format_html(
        _(
            "A list of items, each with the keys {keys}; the figure is one of {figures}; the "
            "rule is {rules} with its parameters as in the indicator sets; the points add up "
            "to 100."
        ),
        keys=format_html("<code>{}</code>", "code, name, figure, points, rule_type, rule_params"),
        figures=figures,
        rules=format_html("<code>{}</code>", "ratio, band, each, yes_no"),
    )


class DistrictAssessmentSchemeForm(ScopedModelForm):
    """A scheme of the district assessment (spec §6): its items as JSON, each naming a figure,
    a rule and its points, adding up to 100."""

    class Meta:
        model = DistrictAssessmentScheme
        fields = list(SCHEME_FIELDS)
        field_classes = {"items": SchemeItemsField}
        widgets = {
            "note": TEXT,
            "items": forms.Textarea(attrs={"rows": 16, "class": "font-monospace"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].help_text = scheme_items_help()


class DistrictAssessmentForm(ScopedModelForm):
    """A year's district assessment: its snapshot date in the year and the year's annual
    evaluation round (scored with the scheme in force that year)."""

    class Meta:
        model = DistrictAssessment
        fields = list(ASSESSMENT_FIELDS)
        widgets = {"snapshot_date": date_input(), "note": TEXT}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evaluation_round"].queryset = selectors.round_list(  # type: ignore[attr-defined]
            actor=self.user
        ).filter(kind=RoundKind.ANNUAL)


# --- surveys, stakeholders' forms and complaints (issue 15; spec §5) ----------------------------
# The entry forms of the survey pages (survey_views.py): a follow-up (an attempt, with the
# answers when the person was reached and answered), a stakeholders' form (H3), a complaint and
# its decision (H5). The questions' wording and scales are the questionnaire's (data); the rules
# (who, when, which respondent, the reserve coming in) are the services'.

from swstation.evaluation.models import (  # noqa: E402
    AttemptOutcome,
    ComplaintChannel,
    FollowUpMode,
    Questionnaire,
    RaterKind,
)
from swstation.evaluation.models.surveys import (  # noqa: E402
    AWARENESS_CODES,
    SATISFACTION_LABELS,
    STAKEHOLDER_LABELS,
    SurveyAnswer,
)

# "Not applicable" (不适用) on a satisfaction item: stored as empty (spec §5).
NOT_APPLICABLE = "na"
SATISFACTION_SCALE = (
    (5, gettext_lazy("Very satisfied")),
    (4, gettext_lazy("Satisfied")),
    (3, gettext_lazy("Neutral")),
    (2, gettext_lazy("Dissatisfied")),
    (1, gettext_lazy("Very dissatisfied")),
)
STAKEHOLDER_SCALE = (
    (5, gettext_lazy("Very good")),
    (4, gettext_lazy("Good")),
    (3, gettext_lazy("Fair")),
    (2, gettext_lazy("Poor")),
    (1, gettext_lazy("Very poor")),
)


def _scale(questionnaire: Questionnaire | None, key: str, default: Any) -> list[tuple[Any, Any]]:
    """A scale's choices as the questionnaire words them ("5 非常满意"), else the default's."""
    items = questionnaire.items if questionnaire is not None else {}
    rows = (items.get("scales") or {}).get(key) if isinstance(items, dict) else None
    words = {}
    if isinstance(rows, list):
        words = {row.get("value"): row.get("label") for row in rows if isinstance(row, dict)}
    return [(value, f"{value} {words.get(value) or label}") for value, label in default]


def _question(questionnaire: Questionnaire | None, code: str) -> str:
    """The question as asked (the questionnaire's wording), to show under its label."""
    return questionnaire.question_text(code) if questionnaire is not None else ""


def _answer_label(name: str) -> Any:
    """A survey answer's field name as the forms show it ("V0 服务确认")."""
    return getattr(SurveyAnswer._meta.get_field(name), "verbose_name", name)


def _radio(label: Any, choices: list[tuple[Any, Any]], help_text: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        help_text=help_text,
    )


FOLLOW_UP_OUTCOMES = [
    (AttemptOutcome.COMPLETED, gettext_lazy("Reached and answered: enter the answers")),
    (AttemptOutcome.NO_ANSWER, AttemptOutcome.NO_ANSWER.label),
    (AttemptOutcome.CALL_BACK, AttemptOutcome.CALL_BACK.label),
    (AttemptOutcome.REFUSED, AttemptOutcome.REFUSED.label),
    (AttemptOutcome.INELIGIBLE, AttemptOutcome.INELIGIBLE.label),
]


class FollowUpForm(forms.Form):
    """One follow-up of a respondent on one form (spec §5): the day, how, and the outcome; when
    the person answered, V0, S1–S6 (5 points or 不适用), W1–W5 (known or not) as the sample's
    questionnaire words them. Every question must be answered for a completed follow-up (an
    unanswered satisfaction item is not taken for 不适用); the other outcomes ignore them."""

    outcome = forms.ChoiceField(
        label=gettext_lazy("outcome"),
        choices=FOLLOW_UP_OUTCOMES,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    day = forms.DateField(label=gettext_lazy("date"), widget=date_input())
    mode = forms.ChoiceField(label=gettext_lazy("follow-up by"), choices=FollowUpMode.choices)
    note = forms.CharField(
        label=gettext_lazy("note"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("Required when the respondent cannot be surveyed: say why."),
    )

    def __init__(
        self,
        *args: Any,
        questionnaire: Questionnaire | None = None,
        period: str = "",
        correcting: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.correcting = correcting
        if correcting:  # the answers of a completed follow-up, corrected
            self.fields["outcome"].choices = FOLLOW_UP_OUTCOMES[:1]  # type: ignore[attr-defined]
            self.fields["outcome"].initial = AttemptOutcome.COMPLETED
        v0 = _question(questionnaire, "V0").replace("{period}", period)
        self.fields["service_confirmed"] = _radio(
            _answer_label("service_confirmed"),
            [("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
            v0,
        )
        self.fields["service_described"] = forms.CharField(
            label=_answer_label("service_described"),
            required=False,
            max_length=1000,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        scale = _scale(questionnaire, "satisfaction", SATISFACTION_SCALE)
        for code, label in SATISFACTION_LABELS.items():
            self.fields[code.lower()] = _radio(
                label,
                [*scale, (NOT_APPLICABLE, gettext_lazy("Not applicable"))],
                _question(questionnaire, code),
            )
        for code in AWARENESS_CODES:
            name = code.lower()
            self.fields[name] = _radio(
                _answer_label(name),
                [("yes", gettext_lazy("Known")), ("no", gettext_lazy("Not known"))],
                _question(questionnaire, code),
            )
        self.fields["answer_note"] = forms.CharField(
            label=gettext_lazy("note on the answers"),
            required=False,
            max_length=TEXT_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 2}),
        )

    @property
    def answer_fields(self) -> list[Any]:
        names = ["service_confirmed", "service_described"]
        names += [code.lower() for code in SATISFACTION_LABELS]
        names += [code.lower() for code in AWARENESS_CODES]
        return [self[name] for name in [*names, "answer_note"]]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("outcome") != AttemptOutcome.COMPLETED:
            return cleaned
        for name, field in self.fields.items():
            answer = isinstance(field, forms.ChoiceField) and name not in ("outcome", "mode")
            if answer and not cleaned.get(name):
                self.add_error(
                    name,
                    _("%(question)s: choose an answer (the respondent answered).")
                    % {"question": field.label},
                )
        return cleaned

    def answers(self) -> dict[str, Any]:
        """The values for ``services.survey_answer_enter``."""
        data = self.cleaned_data
        values: dict[str, Any] = {
            "answered_on": data["day"],
            "mode": data["mode"],
            "service_confirmed": data["service_confirmed"] == "yes",
            "service_described": data.get("service_described") or "",
            "note": data.get("answer_note") or "",
        }
        for code in SATISFACTION_LABELS:
            value = data[code.lower()]
            values[code.lower()] = None if value == NOT_APPLICABLE else int(value)
        for code in AWARENESS_CODES:
            values[code.lower()] = data[code.lower()] == "yes"
        return values

    @staticmethod
    def initial_from(answer: SurveyAnswer) -> dict[str, Any]:
        """A completed follow-up's answers, to correct them."""
        initial: dict[str, Any] = {
            "outcome": AttemptOutcome.COMPLETED,
            "day": answer.answered_on,
            "mode": answer.mode,
            "service_confirmed": "yes" if answer.service_confirmed else "no",
            "service_described": answer.service_described,
            "answer_note": answer.note,
        }
        for code in SATISFACTION_LABELS:
            value = getattr(answer, code.lower())
            initial[code.lower()] = NOT_APPLICABLE if value is None else str(value)
        for code in AWARENESS_CODES:
            initial[code.lower()] = "yes" if getattr(answer, code.lower()) else "no"
        return initial


class StakeholderRatingForm(forms.Form):
    """A stakeholders' form (H3): the township government's or one of the village committees
    drawn with the survey, R1–R5 on 5 points as the questionnaire words them."""

    rater = forms.ChoiceField(label=gettext_lazy("rater"), choices=RaterKind.choices)
    village = forms.ChoiceField(label=gettext_lazy("village / community"), required=False)
    rated_on = forms.DateField(label=gettext_lazy("rated on"), widget=date_input())
    comment = _text(gettext_lazy("comment"))

    def __init__(
        self,
        *args: Any,
        villages: Any = (),
        questionnaire: Questionnaire | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [  # type: ignore[attr-defined]
            ("", gettext_lazy("(the township government's form)")),
            *[(village.code, village.name) for village in villages],
        ]
        scale = _scale(questionnaire, "stakeholder", STAKEHOLDER_SCALE)
        for code, label in STAKEHOLDER_LABELS.items():
            field = _radio(label, scale, _question(questionnaire, code))
            field.required = True
            field.error_messages["required"] = _("%(question)s: choose 1 to 5.") % {
                "question": label
            }
            self.fields[code.lower()] = field
        self.order_fields(
            ["rater", "village", "rated_on", *[c.lower() for c in STAKEHOLDER_LABELS]]
        )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if cleaned.get("rater") == RaterKind.VILLAGE and not cleaned.get("village"):
            self.add_error("village", _("Choose the village committee."))
        return cleaned

    def items(self) -> dict[str, int]:
        return {code.lower(): int(self.cleaned_data[code.lower()]) for code in STAKEHOLDER_LABELS}


class ComplaintForm(forms.Form):
    """A complaint about a station (H5), registered by the district or the city."""

    station: "forms.ModelChoiceField[Any]" = forms.ModelChoiceField(
        label=gettext_lazy("station"), queryset=None
    )
    received_on = forms.DateField(label=gettext_lazy("received on"), widget=date_input())
    channel = forms.ChoiceField(label=gettext_lazy("channel"), choices=ComplaintChannel.choices)
    summary = forms.CharField(
        label=gettext_lazy("summary"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "What is complained of; leave out the complainant's name and contacts."
        ),
    )

    def __init__(self, *args: Any, stations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations  # type: ignore[attr-defined]


class ComplaintDecideForm(forms.Form):
    """The decision on a complaint after checking it (H5 counts the substantiated)."""

    substantiated = forms.ChoiceField(
        label=gettext_lazy("substantiated"),
        choices=[
            ("yes", gettext_lazy("Substantiated: it counts in H5")),
            ("no", gettext_lazy("Not substantiated")),
        ],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    decided_on = forms.DateField(label=gettext_lazy("decided on"), widget=date_input())
    decision_note = _text(gettext_lazy("decision"), required=True, rows=3)
