"""Forms of the indicator sets: a version (its name once, its note), a dimension and an
indicator of a draft. The rules (drafts only, codes unique in a version, the shape of a rule's
parameters) are the services' and the models', shared with the API."""

import json
from typing import Any

from django import forms
from django.core import validators
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from swstation.core.forms import TEXT_MAX_LENGTH, ScopedModelForm
from swstation.evaluation import selectors
from swstation.evaluation.models import Dimension, Indicator, IndicatorSet
from swstation.evaluation.services import DIMENSION_FIELDS, INDICATOR_FIELDS, SET_FIELDS

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
