"""Pages of assessor qualifications: what qualifies a social worker to assess elders'
capability, checked of both assessors where the city's policy requires it
(spec/elderly-assessment-gbt42195.md §6, §9.8)."""

from swstation.cases.filtersets.assessments import AssessorQualificationFilterSet
from swstation.cases.forms.assessments import AssessorQualificationForm
from swstation.cases.models import AssessorQualification
from swstation.cases.selectors import assessments as selectors
from swstation.cases.tables.assessments import AssessorQualificationTable
from swstation.core.views.registry import model_pages

__all__ = ["assessor_qualification_pages"]

assessor_qualification_pages = model_pages(
    AssessorQualification,
    prefix="assessments/assessors/",
    queryset=selectors.assessor_qualification_list,
    filterset=AssessorQualificationFilterSet,
    table=AssessorQualificationTable,
    form=AssessorQualificationForm,
)
