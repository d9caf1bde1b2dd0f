"""The case of a record is one of its person's cases (issue 10, "The person at the centre": "the
case list holds only this person's cases").

The add and edit forms of service records and assessments list, in their case select, only the
cases of the person chosen in the same form (none until a person is chosen); choosing another
person asks ``cases:case_choices`` (htmx) for that person's cases. The field's queryset stays
the user's cases, so that a case of another person sent anyway reaches the services' rule
(``services.records._check_case``: "个案…不是…的个案"), the one rule for the page, the API and
the importer.
"""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def chosen_person(form: forms.BaseForm, name: str = "recipient") -> int | None:
    """The primary key of the person the form is about: sent, preset or stored."""
    value: Any
    if form.is_bound:
        value = form.data.get(form.add_prefix(name))
    else:
        instance = getattr(form, "instance", None)
        value = form.initial.get(name) or getattr(instance, f"{name}_id", None)
    value = getattr(value, "pk", value)
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def case_options(cases: QuerySet[Any], empty_label: Any) -> list[tuple[Any, str]]:
    """The options of a case select: the empty choice, then each case by its number and person."""
    return [("", str(empty_label)), *((case.pk, str(case)) for case in cases)]


def narrow_cases_to_person(
    form: forms.BaseForm, name: str = "case", person: str = "recipient"
) -> None:
    """Show only the chosen person's cases in ``name``, refreshed when the person changes."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField) and field.queryset is not None
    person_pk = chosen_person(form, person)
    cases = (
        field.queryset.filter(recipient_id=person_pk)
        if person_pk is not None
        else field.queryset.none()
    )
    empty_label = field.empty_label or _("- Select an option -")
    field.widget.choices = case_options(cases.select_related("recipient"), empty_label)
    picker = f"{form[person].auto_id}-picker"
    field.widget.attrs.update(
        {
            "hx-get": reverse("cases:case_choices"),
            "hx-trigger": f"change from:#{picker}",
            "hx-include": f"#{picker}",
            "hx-target": "this",
            "hx-swap": "innerHTML",
        }
    )
    field.help_text = _("Only the cases of the person chosen above.")
