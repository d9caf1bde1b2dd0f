"""Add/edit forms of the people, certificates, training, supervision and talent pages, and the
statistics' choice of region and year. Choices of related records are limited to the
user's jurisdiction by ScopedModelForm; rules live in the models and services."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from swstation.core.forms import ScopedModelForm, StoredPhonesMixin, date_input
from swstation.core.permissions import user_can
from swstation.regions.forms import RegionChoiceField
from swstation.regions.models import Region
from swstation.workforce.models import (
    Attendance,
    Certificate,
    Course,
    SocialWorker,
    SupervisionSession,
    Supervisor,
    TalentEntry,
    TrainingClass,
)

__all__ = [
    "AttendanceForm",
    "CertificateForm",
    "CourseForm",
    "SocialWorkerForm",
    "StatisticsForm",
    "SupervisionSessionForm",
    "SupervisorForm",
    "TalentEntryForm",
    "TrainingClassForm",
]

DATE = date_input()


class SocialWorkerForm(StoredPhonesMixin, ScopedModelForm):
    # Written encrypted by the service; never shown in clear here (the stored number's masked
    # copy is the placeholder), left empty to keep it.
    id_number = forms.CharField(label=_("ID number"), required=False, max_length=20)
    bank_account = forms.CharField(label=_("bank account"), required=False, max_length=40)

    class Meta:
        model = SocialWorker
        fields = [
            "name",
            "gender",
            "birth_date",
            "phone",
            "station",
            "region",
            "agency",
            "post",
            "is_fulltime",
            "is_community_worker",
            "is_civil_servant",
            "hired_on",
            "left_on",
            "education",
            "user",
            "note",
            "id_number",
            "bank_name",
            "bank_account",
        ]
        field_classes = {"region": RegionChoiceField}
        widgets = {"birth_date": DATE, "hired_on": DATE, "left_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The service sets the region from the station; only a person on no station needs one.
        self.fields["region"].required = False
        drop_account_field_unless_visible(self)
        self.fields["region"].help_text = _(
            "Set from the station when there is one; otherwise the region where the person works."
        )
        for name in ("id_number", "bank_account"):
            stored = getattr(self.instance, f"{name}_masked", "") if self.instance.pk else ""
            self.fields[name].help_text = (
                _("Recorded: %(number)s. Leave empty to keep it.") % {"number": stored}
                if stored
                else _("For the payment of rewards and allowances; stored encrypted.")
            )
        self.protect_stored_phones()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.keep_stored_phones(cleaned)
        return cleaned


def drop_account_field_unless_visible(form: ScopedModelForm) -> None:
    """A role that may not see accounts (a station manager) gets no login-account field:
    an empty choice list would otherwise unlink the person's account on every save."""
    if not user_can(form.user, "view", get_user_model()):
        del form.fields["user"]


class CertificateForm(ScopedModelForm):
    class Meta:
        model = Certificate
        fields = [
            "social_worker",
            "level",
            "number",
            "obtained_on",
            "method",
            "exam_in_city",
            "registered_in_city",
        ]
        widgets = {"obtained_on": DATE}

    def validate_unique(self) -> None:
        """Left to ``certificate_create``/``certificate_update``, which say what is taken and
        by whom in terms a person understands (the same message for the page and the API)."""

    def validate_constraints(self) -> None:
        """The one-certificate-per-level constraint too: see :meth:`validate_unique`."""


class TrainingClassForm(ScopedModelForm):
    class Meta:
        model = TrainingClass
        fields = ["name", "tier", "region", "starts_on", "ends_on", "organiser"]
        field_classes = {"region": RegionChoiceField}
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exclude_choices("region", level="village")


class CourseForm(ScopedModelForm):
    class Meta:
        model = Course
        fields = ["title", "training_class", "region", "mode", "held_on", "hours", "teacher"]
        field_classes = {"region": RegionChoiceField}
        widgets = {"held_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exclude_choices("region", level="village")


class AttendanceForm(ScopedModelForm):
    class Meta:
        model = Attendance
        fields = ["course", "social_worker", "hours"]


class SupervisorForm(StoredPhonesMixin, ScopedModelForm):
    class Meta:
        model = Supervisor
        fields = ["name", "level", "field", "organisation", "phone", "region", "user"]
        field_classes = {"region": RegionChoiceField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exclude_choices("region", level="village")
        drop_account_field_unless_visible(self)
        self.protect_stored_phones()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        self.keep_stored_phones(cleaned)
        return cleaned


class SupervisionSessionForm(ScopedModelForm):
    class Meta:
        model = SupervisionSession
        fields = [
            "supervisor",
            "station",
            "held_on",
            "hours",
            "topic",
            "participants",
            "follow_ups",
            "follow_up_due",
            "follow_up_done",
        ]
        widgets = {"held_on": DATE, "follow_up_due": DATE}


class TalentEntryForm(ScopedModelForm):
    class Meta:
        model = TalentEntry
        fields = ["social_worker", "catalogue", "listed_on", "valid_until", "note"]
        widgets = {"listed_on": DATE, "valid_until": DATE}


class StatisticsForm(forms.Form):
    """Region and year of the certification statistics (GET parameters)."""

    region = RegionChoiceField(queryset=Region.objects.none(), label=_("region"), required=False)
    year = forms.TypedChoiceField(coerce=int, label=_("year"), required=False)

    def __init__(
        self, *args: Any, regions: QuerySet[Region], years: list[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ModelChoiceField)
        region_field.queryset = regions
        region_field.empty_label = None
        self.fields["year"].choices = [(year, str(year)) for year in years]  # type: ignore[attr-defined]
