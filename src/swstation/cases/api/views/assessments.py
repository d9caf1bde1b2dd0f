"""The API of assessor qualifications (spec/elderly-assessment-gbt42195.md §6: what the city's
policy checks of both assessors when it requires qualified ones)."""

from django.db.models import QuerySet

from swstation.cases.api.serializers.assessments import AssessorQualificationSerializer
from swstation.cases.filtersets.assessments import AssessorQualificationFilterSet
from swstation.cases.models import AssessorQualification
from swstation.cases.selectors import assessments as selectors
from swstation.core.api.viewsets import ScopedModelViewSet

__all__ = ["AssessorQualificationViewSet"]


class AssessorQualificationViewSet(ScopedModelViewSet):
    """A social worker's qualifications to assess elders' capability, each with its validity
    (``valid_from``, ``valid_to``: empty for without end). Filters: ``kind``, ``valid_on``,
    ``q`` (the worker's name or the number)."""

    model = AssessorQualification
    serializer_class = AssessorQualificationSerializer
    filterset_class = AssessorQualificationFilterSet
    ordering_fields = ["valid_from", "valid_to", "kind"]

    def get_queryset(self) -> QuerySet[AssessorQualification]:
        return selectors.assessor_qualification_list(actor=self.request.user)
