from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DataError, IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class ChineseFirstMiddleware:
    """Pages are in Simplified Chinese unless the user picks English with the switch.

    Django would otherwise follow the browser's Accept-Language, and an office PC set up in
    English would show the bureau's platform in English. The API keeps honouring the header.
    Sits just before LocaleMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RequestGuardMiddleware:
    """Refuses, before any view runs, what no view can take, with a 4xx in the user's language
    (JSON for the API, a page otherwise) rather than a 500 from deep inside:

    - a body larger than the limit (413): ``DATA_UPLOAD_MAX_MEMORY_SIZE`` for forms and JSON,
      plus ``SWSTATION_IMPORT_MAX_BYTES`` for a multipart upload (an import file);
    - a NUL character (``\\x00``) in the path, a query parameter or a posted form field (400,
      naming the parameter): PostgreSQL cannot store or even compare it. JSON bodies are
      checked by the API's parser (core/api/parsers.py).

    Sits after AuthenticationMiddleware (an error page shows the menu) and before anything that
    reads the body.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.refusal(request) or self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """What a page's validation let through and the database refused: a value too large
        for its column (SQLite raises ``OverflowError``), or a unique value taken meanwhile.
        (The API answers these itself: core/api/exceptions.py.)"""
        from swstation.core.integrity import integrity_validation_error
        from swstation.core.views.errors import error_response

        if isinstance(exception, DataError | OverflowError):
            message = _("A value is too long, out of range or holds a character not allowed.")
            return error_response(request, 400, _("Bad request"), message)
        if isinstance(exception, IntegrityError):
            message = " ".join(integrity_validation_error(exception).messages)
            return error_response(request, 409, _("Conflict"), message)
        return None

    @staticmethod
    def size_limit(request: HttpRequest) -> int | None:
        limit: int | None = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is not None and request.content_type == "multipart/form-data":
            limit += settings.SWSTATION_IMPORT_MAX_BYTES
        return limit

    def refusal(self, request: HttpRequest) -> HttpResponse | None:
        from swstation.core.api.parsers import nul_character_message, request_too_large_message
        from swstation.core.views.errors import error_response

        limit = self.size_limit(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            return error_response(
                request, 413, _("Request too large"), request_too_large_message(limit)
            )
        try:
            fields = [("path", [request.path])] if "\x00" in request.path else []
            sources = [request.GET]
            if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
                sources.append(request.POST)
            for source in sources:
                fields += [
                    (key, values)
                    for key, values in source.lists()
                    if "\x00" in key or any("\x00" in value for value in values)
                ]
        except RequestDataTooBig:
            return error_response(
                request, 413, _("Request too large"), request_too_large_message(limit)
            )
        if not fields:
            return None
        names = sorted({key.replace("\x00", "") for key, _values in fields})
        if request.path.startswith("/api/"):
            return JsonResponse({name: [nul_character_message()] for name in names}, status=400)
        return error_response(
            request,
            400,
            _("Bad request"),
            " ".join(
                _("“%(field)s”: %(message)s") % {"field": name, "message": nul_character_message()}
                for name in names
            ),
        )
