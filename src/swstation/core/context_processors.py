from typing import Any

from django.conf import settings
from django.http import HttpRequest

from swstation.core.navigation import menu_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"main_menu": []}
    return {"main_menu": menu_for(user)}


def demo_instance(request: HttpRequest) -> dict[str, Any]:
    """Whether this instance serves the demo city (``SWSTATION_DEMO``): every page says so."""
    return {"demo_instance": settings.SWSTATION_DEMO}
