"""Tables of the people, certificates, training, supervision and talent lists (and of their
.csv/.xlsx exports), and of the certification statistics."""

from datetime import date
from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from swstation.core.masking import mask_phone, mask_value, user_sees_personal_data
from swstation.core.tables import BaseTable
from swstation.workforce.models import (
    Attendance,
    Certificate,
    CertificateLevel,
    Course,
    SocialWorker,
    SupervisionSession,
    Supervisor,
    TalentEntry,
    TrainingClass,
)

__all__ = [
    "AttendanceTable",
    "CertificateTable",
    "CertifiedByAreaTable",
    "CertifiedByLevelTable",
    "CourseTable",
    "NewlyCertifiedTable",
    "SocialWorkerTable",
    "SupervisionSessionTable",
    "SupervisorTable",
    "TalentEntryTable",
    "TrainingClassTable",
]


class PersonalDataMixin:
    """Render and export personal fields masked for roles that read them masked."""

    user: Any

    def personal(self, value: Any) -> str:
        if value in (None, ""):
            return ""
        text = value.isoformat() if isinstance(value, date) else str(value)
        return text if user_sees_personal_data(self.user) else mask_value(text)


class SocialWorkerTable(PersonalDataMixin, BaseTable):
    name = tables.Column(linkify=True)
    region = tables.Column(linkify=True)
    station = tables.Column()
    agency = tables.Column()
    current_level = tables.Column(verbose_name=_("highest certificate"), default="")
    is_fulltime = tables.BooleanColumn()

    class Meta(BaseTable.Meta):
        model = SocialWorker
        fields = (
            "name",
            "gender",
            "birth_date",
            "phone",
            "region",
            "station",
            "agency",
            "post",
            "current_level",
            "is_fulltime",
            "hired_on",
            "left_on",
        )

    def render_current_level(self, value: str | None) -> str:
        return str(CertificateLevel(value).label) if value else ""

    def value_current_level(self, value: str | None) -> str:
        return self.render_current_level(value)

    # Masked for every role: the person's page shows it in full on request, logged.
    def render_phone(self, value: str) -> str:
        return mask_phone(value)

    def value_phone(self, value: str) -> str:
        return mask_phone(value)

    def render_birth_date(self, value: date | None) -> str:
        return self.personal(value)

    def value_birth_date(self, value: date | None) -> str:
        return self.personal(value)


class CertificateTable(BaseTable):
    number = tables.Column(linkify=True)
    social_worker = tables.Column(linkify=True)
    region = tables.Column(
        accessor="social_worker__region", verbose_name=_("works in"), orderable=False
    )
    exam_in_city = tables.BooleanColumn()
    registered_in_city = tables.BooleanColumn()

    class Meta(BaseTable.Meta):
        model = Certificate
        fields = (
            "number",
            "social_worker",
            "region",
            "level",
            "obtained_on",
            "method",
            "exam_in_city",
            "registered_in_city",
        )


class TrainingClassTable(BaseTable):
    name = tables.Column(linkify=True)
    region = tables.Column(linkify=True)
    course_count = tables.Column(verbose_name=_("courses"))

    class Meta(BaseTable.Meta):
        model = TrainingClass
        fields = ("name", "tier", "region", "starts_on", "ends_on", "organiser", "course_count")


class CourseTable(BaseTable):
    title = tables.Column(linkify=True)
    training_class = tables.Column(linkify=True)
    region = tables.Column(linkify=True)
    attendance_count = tables.Column(verbose_name=_("attendees"))

    class Meta(BaseTable.Meta):
        model = Course
        fields = (
            "title",
            "training_class",
            "region",
            "mode",
            "held_on",
            "hours",
            "teacher",
            "attendance_count",
        )


class AttendanceTable(BaseTable):
    social_worker = tables.Column(linkify=True)
    course = tables.Column(linkify=True)
    held_on = tables.Column(accessor="course__held_on", verbose_name=_("held on"))
    hours = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(BaseTable.Meta):
        model = Attendance
        fields = ("social_worker", "course", "held_on", "hours")


class SupervisorTable(PersonalDataMixin, BaseTable):
    name = tables.Column(linkify=True)
    region = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Supervisor
        fields = ("name", "level", "field", "organisation", "phone", "region")

    # Masked for every role, as a social worker's: the supervisor's page reveals it, logged.
    def render_phone(self, value: str) -> str:
        return mask_phone(value)

    def value_phone(self, value: str) -> str:
        return mask_phone(value)


class SupervisionSessionTable(BaseTable):
    held_on = tables.Column(linkify=lambda record: record.get_absolute_url())
    topic = tables.Column(linkify=lambda record: record.get_absolute_url())
    supervisor = tables.Column(linkify=True)
    station = tables.Column()
    participant_count = tables.Column(verbose_name=_("participants"))
    follow_up_done = tables.BooleanColumn()

    class Meta(BaseTable.Meta):
        model = SupervisionSession
        fields = (
            "held_on",
            "topic",
            "supervisor",
            "station",
            "hours",
            "participant_count",
            "follow_up_due",
            "follow_up_done",
        )


class TalentEntryTable(BaseTable):
    social_worker = tables.Column(linkify=True)
    catalogue = tables.Column(linkify=lambda record: record.get_absolute_url())

    class Meta(BaseTable.Meta):
        model = TalentEntry
        fields = ("social_worker", "catalogue", "listed_on", "valid_until", "note")


# --- certification statistics: shown on the page and exported to .xlsx --------------------


class StatisticsTable(tables.Table):
    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle mb-0"}
        template_name = "django_tables2/bootstrap5-responsive.html"
        orderable = False


class CertifiedByLevelTable(StatisticsTable):
    class Meta(StatisticsTable.Meta):
        pass

    label = tables.Column(verbose_name=_("highest certificate"))
    count = tables.Column(verbose_name=_("certified people"), attrs={"td": {"class": "text-end"}})
    share = tables.Column(verbose_name=_("share (%)"), attrs={"td": {"class": "text-end"}})


class CertifiedByAreaTable(StatisticsTable):
    class Meta(StatisticsTable.Meta):
        pass

    label = tables.Column(verbose_name=_("region"))
    code = tables.Column(verbose_name=_("division code"))
    total = tables.Column(verbose_name=_("certified people"), attrs={"td": {"class": "text-end"}})
    assistant = tables.Column(verbose_name=CertificateLevel.ASSISTANT.label)
    intermediate = tables.Column(verbose_name=CertificateLevel.INTERMEDIATE.label)
    senior = tables.Column(verbose_name=CertificateLevel.SENIOR.label)
    population = tables.Column(verbose_name=_("resident population"))
    population_year = tables.Column(verbose_name=_("population year"))
    per_10k = tables.Column(verbose_name=_("per 10,000 residents"))


class NewlyCertifiedTable(StatisticsTable):
    class Meta(StatisticsTable.Meta):
        pass

    year = tables.Column(verbose_name=_("year"))
    newly = tables.Column(verbose_name=_("newly certified"))
    growth = tables.Column(verbose_name=_("year-on-year growth (%)"))
    cumulative = tables.Column(verbose_name=_("certified at year end"))
