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
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from swstation.accounts.selectors import user_list
from swstation.core.forms import TEXT_MAX_LENGTH, ScopedModelForm, date_input
from swstation.core.roles import Role
from swstation.evaluation import selectors
from swstation.evaluation.models import (
    Dimension,
    EvaluationRound,
    EvaluationStatus,
    Evaluator,
    Indicator,
    IndicatorSet,
    Veto,
)
from swstation.evaluation.services import (
    DIMENSION_FIELDS,
    EVALUATOR_FIELDS,
    INDICATOR_FIELDS,
    ROUND_FIELDS,
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
        if self.instance.pk:
            self.fields["name"].disabled = True
            self.fields["name"].help_text = gettext_lazy(
                "A version keeps the name of its standard; copy it to start another."
            )


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
