"""API views of core's own model: the synonyms imports accept."""

from typing import Any

from swstation.core.api.serializers import ImportSynonymSerializer
from swstation.core.api.viewsets import ScopedModelViewSet
from swstation.core.filtersets import ImportSynonymFilterSet
from swstation.core.import_models import ImportSynonym
from swstation.core.imports.synonyms import (
    import_synonym_create,
    import_synonym_delete,
    import_synonym_update,
)


class ImportSynonymViewSet(ScopedModelViewSet):
    """Words an office writes for one an import accepts (低保户 for 低保, 同意 for 是): every
    role reads them, the city bureau keeps them."""

    model = ImportSynonym
    serializer_class = ImportSynonymSerializer
    filterset_class = ImportSynonymFilterSet
    ordering_fields = ["vocabulary", "text"]

    def save_object(self, serializer: Any) -> ImportSynonym:
        data = dict(serializer.validated_data)
        if serializer.instance is None:
            synonym = import_synonym_create(actor=self.request.user, **data)
        else:
            synonym = import_synonym_update(
                actor=self.request.user, import_synonym=serializer.instance, **data
            )
        serializer.instance = synonym
        return synonym

    def perform_destroy(self, instance: ImportSynonym) -> None:
        import_synonym_delete(actor=self.request.user, import_synonym=instance)
