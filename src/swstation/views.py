"""The home page: who I am, where I work, and where I can go from here."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.views import View

from swstation.cases.selectors import home_due_summary
from swstation.core.roles import Role
from swstation.regions import selectors as region_selectors


class HomeView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        region = region_selectors.user_home_region(actor=user)
        context: dict[str, Any] = {
            "home_region": region,
            "region_counts": region_selectors.region_level_counts(actor=user),
        }
        # The people who visit recipients see what is due today and what is overdue.
        if user.is_superuser or getattr(user, "role", None) in (
            Role.SOCIAL_WORKER,
            Role.STATION_MANAGER,
        ):
            context["due"] = home_due_summary(actor=user, on=timezone.localdate())
        return render(request, "home.html", context)


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def favicon(request: HttpRequest) -> HttpResponseRedirect:
    """Browsers ask for /favicon.ico whatever the page links to: send them to the icon."""
    return HttpResponseRedirect(static("swstation/favicon.svg"))
