from typing import Any

from django.conf import settings
from django.http import HttpRequest

from swstation.core.navigation import menu_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"main_menu": []}
    # Worked out once per request: a list page renders two templates with the request (the
    # page, and its table through django-tables2's {% render_table %}), and each ran the
    # context processors (issue 10, "Lists fast at any size"). Kept with the user it is for.
    cached = getattr(request, "_main_menu", None)
    if cached is None or cached[0] is not user:
        cached = (user, menu_for(user))
        request._main_menu = cached  # type: ignore[attr-defined]
    return {"main_menu": cached[1]}


def demo_instance(request: HttpRequest) -> dict[str, Any]:
    """Whether this instance serves the demo city (``SWSTATION_DEMO``): every page says so."""
    return {"demo_instance": settings.SWSTATION_DEMO}
