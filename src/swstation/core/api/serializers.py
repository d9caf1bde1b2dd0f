"""Serializers of core's own model: the synonyms imports accept."""

from rest_framework import serializers

from swstation.core.api.viewsets import ScopedSerializerMixin
from swstation.core.import_models import ImportSynonym


class ImportSynonymSerializer(ScopedSerializerMixin, serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:importsynonym-detail")

    class Meta:
        model = ImportSynonym
        fields = ["id", "url", "vocabulary", "text", "means", "note"]
