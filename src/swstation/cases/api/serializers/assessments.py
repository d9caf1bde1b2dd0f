"""The serializer of assessor qualifications."""

from rest_framework import serializers

from swstation.cases.models import AssessorQualification
from swstation.core.api.viewsets import ScopedSerializerMixin
from swstation.workforce.models import SocialWorker

__all__ = ["AssessorQualificationSerializer"]


class AssessorQualificationSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:assessorqualification-detail")
    social_worker = serializers.PrimaryKeyRelatedField(queryset=SocialWorker.objects.all())
    social_worker_name = serializers.CharField(source="social_worker.name", read_only=True)

    class Meta:
        model = AssessorQualification
        fields = [
            "id",
            "url",
            "social_worker",
            "social_worker_name",
            "kind",
            "number",
            "issued_by",
            "valid_from",
            "valid_to",
        ]
