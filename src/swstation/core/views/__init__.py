from swstation.core.views.generic import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    TransitionView,
)

__all__ = [
    "ObjectDeleteView",
    "ObjectDetailView",
    "ObjectEditView",
    "ObjectHistoryView",
    "ObjectListView",
    "TransitionView",
]
