"""The records a searchable select offers as the user types (core.widgets.SearchSelect).

``GET /choices/<app>/<model>/?q=慈城`` answers ``{"results": [{"value": 12, "text": "…"}]}``:
at most :data:`LIMIT` records of a model that has list pages, found by its list's own search
(the filter set's ``q``), among those the user may see (the list page's selector, narrowed to
the jurisdiction like every page). ``value=code`` gives a unique field instead of the primary
key (a division code for the region filters).
"""

from types import SimpleNamespace
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, JsonResponse
from django.views import View

from swstation.core.permissions import user_can
from swstation.core.scoping import restrict
from swstation.core.views import registry
from swstation.core.widgets import choice_label, with_parents

LIMIT = 20


def _pages_of(app_label: str, model_name: str) -> Any:
    for pages in registry._REGISTRY.get(app_label, []):
        if pages.model_name == model_name and "list" in pages.actions:
            return pages
    raise Http404


class ChoicesView(LoginRequiredMixin, View):
    raise_exception = True

    def get(self, request: HttpRequest, app_label: str, model_name: str) -> JsonResponse:
        pages = _pages_of(app_label, model_name)
        model = pages.model
        if not user_can(request.user, "view", model):
            raise PermissionDenied
        value_field = request.GET.get("value", "pk")
        if value_field != "pk":
            try:
                field = model._meta.get_field(value_field)
            except FieldDoesNotExist:
                raise Http404 from None
            if not getattr(field, "unique", False):
                raise Http404
        queryset = restrict(pages.scoped_queryset(SimpleNamespace(request=request)), request.user)
        text = request.GET.get("q", "").strip()[:50]
        if text and pages.filterset is not None:
            filterset = pages.filterset({"q": text}, queryset=queryset, request=request)
            queryset = filterset.qs if filterset.is_valid() else queryset.none()
        results = [
            {"value": getattr(obj, value_field), "text": choice_label(obj)}
            for obj in with_parents(queryset)[:LIMIT]
        ]
        return JsonResponse({"results": results})
