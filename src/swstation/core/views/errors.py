"""Error pages in the user's language; JSON for the API. Never a traceback."""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": message}, status=status)
    return render(
        request, "error.html", {"status": status, "title": title, "message": message}, status=status
    )


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(request, 400, _("Bad request"), _("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    detail = str(exception) if exception and str(exception) else ""
    return _error(
        request, 403, _("Access refused"), detail or _("Your role may not open this page.")
    )


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _error(
        request,
        404,
        _("Not found"),
        _("The page or record does not exist, or it is outside your jurisdiction."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request,
        500,
        _("Server error"),
        _("Something went wrong on our side. The error has been logged; please try again later."),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(
        request,
        403,
        _("Form expired"),
        _("The form has expired or was sent from elsewhere. Reload the page and try again."),
    )


def error_response(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    """An error answer of any status: JSON ``{"detail": ...}`` for the API, a page otherwise."""
    return _error(request, status, title, message)
