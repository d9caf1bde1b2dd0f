"""The cockpit's period and region selector."""

import re
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from swstation.dashboard.selectors import Period, cockpit_regions, default_period
from swstation.regions.models import Region

FIRST_YEAR = 2020  # the first stations were built in 2020 (domain.md §1)
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
MAX_MONTHS = 60
LAST_YEAR = 2100  # a later month is no period the figures can have (and 9999-12 has no end)


def _month(value: str) -> date | None:
    match = MONTH_RE.match(value or "")
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12 or not 2000 <= year <= LAST_YEAR:
        return None
    return date(year, month, 1)


class CockpitFilterForm(forms.Form):
    """Region (the actor's jurisdiction or below) and period: a year, or a run of months."""

    region = forms.ModelChoiceField(
        queryset=Region.objects.none(),
        to_field_name="code",
        required=False,
        label=_("Region"),
        empty_label=None,
    )
    year = forms.TypedChoiceField(coerce=int, required=False, label=_("Year"))
    start = forms.CharField(
        required=False,
        label=_("From month"),
        widget=forms.DateInput(attrs={"type": "month"}),
    )
    end = forms.CharField(
        required=False,
        label=_("To month"),
        widget=forms.DateInput(attrs={"type": "month"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = cockpit_regions(actor=user)  # type: ignore[attr-defined]
        this_year = timezone.localdate().year
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            (year, str(year)) for year in range(this_year, FIRST_YEAR - 1, -1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start_text, end_text = data.get("start") or "", data.get("end") or ""
        if not start_text and not end_text:
            return data
        start, end = _month(start_text), _month(end_text)
        if start_text and start is None:
            self.add_error("start", _("Enter a month as YYYY-MM, e.g. 2026-01."))
        if end_text and end is None:
            self.add_error("end", _("Enter a month as YYYY-MM, e.g. 2026-01."))
        if start is None or end is None:
            if start_text and end_text:
                return data
            self.add_error(
                "end" if start else "start", _("Give both the first and the last month.")
            )
            return data
        if end < start:
            self.add_error("end", _("The last month is before the first month."))
        elif (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
            self.add_error("end", _("Choose at most %(n)s months.") % {"n": MAX_MONTHS})
        return data

    def period(self) -> Period:
        """The chosen period: the months when given, else the year, else the current year."""
        data = self.cleaned_data
        start, end = _month(data.get("start") or ""), _month(data.get("end") or "")
        if start and end:
            return Period.months(start, end)
        if data.get("year"):
            return Period.year(data["year"])
        return default_period()
