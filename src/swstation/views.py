"""The home page: who I am, where I work, and where I can go from here."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views import View

from swstation.regions import selectors as region_selectors


class HomeView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        region = region_selectors.user_home_region(actor=user)
        context = {
            "home_region": region,
            "region_counts": region_selectors.region_level_counts(actor=user),
        }
        return render(request, "home.html", context)


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
