"""The table of assessor qualifications (and its export)."""

import django_tables2 as tables

from swstation.cases.models import AssessorQualification
from swstation.core.tables import BaseTable

__all__ = ["AssessorQualificationTable"]


class AssessorQualificationTable(BaseTable):
    social_worker = tables.Column(linkify=True)
    kind = tables.Column(linkify=lambda record: record.get_absolute_url())
    valid_from = tables.DateColumn(format="Y-m-d")
    valid_to = tables.DateColumn(format="Y-m-d")

    class Meta(BaseTable.Meta):
        model = AssessorQualification
        fields = ("social_worker", "kind", "number", "issued_by", "valid_from", "valid_to")
