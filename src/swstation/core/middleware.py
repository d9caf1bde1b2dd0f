from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


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
