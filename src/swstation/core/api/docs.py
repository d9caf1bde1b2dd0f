"""The OpenAPI schema (/api/schema/) and its Swagger page (/api/docs/): for signed-in users
unless the API_DOCS_PUBLIC setting opens them (docs/operations.md). Read at each request."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response


def docs_are_public() -> bool:
    return bool(getattr(settings, "API_DOCS_PUBLIC", False))


class SchemaPermission(BasePermission):
    """Any signed-in user (session or token), or anyone when the docs are public."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return docs_are_public() or bool(request.user and request.user.is_authenticated)


class SchemaView(SpectacularAPIView):
    permission_classes = [SchemaPermission]

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        # A refusal is JSON, like every API error, even when the schema was asked as YAML.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response


def login_unless_public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An anonymous visitor of a page is sent to the login page, unless the docs are public."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not docs_are_public() and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


schema_view = SchemaView.as_view()
swagger_view = login_unless_public(SpectacularSwaggerView.as_view(url_name="api-schema"))
