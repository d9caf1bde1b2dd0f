"""URL patterns for a model's generic pages: ``<model>_list``, ``<model>``, ``<model>_add``..."""

from typing import Any

from django.urls import URLPattern, path


def model_urlpatterns(
    model_name: str,
    *,
    list_view: Any,
    detail_view: Any,
    edit_view: Any | None = None,
    delete_view: Any | None = None,
    history_view: Any | None = None,
    prefix: str | None = None,
) -> list[URLPattern]:
    base = prefix if prefix is not None else f"{model_name}s/"
    patterns = [
        path(base, list_view.as_view(), name=f"{model_name}_list"),
        path(f"{base}<int:pk>/", detail_view.as_view(), name=model_name),
    ]
    if edit_view is not None:
        patterns += [
            path(f"{base}add/", edit_view.as_view(), name=f"{model_name}_add"),
            path(f"{base}<int:pk>/edit/", edit_view.as_view(), name=f"{model_name}_edit"),
        ]
    if delete_view is not None:
        patterns.append(
            path(f"{base}<int:pk>/delete/", delete_view.as_view(), name=f"{model_name}_delete")
        )
    if history_view is not None:
        patterns.append(
            path(f"{base}<int:pk>/history/", history_view.as_view(), name=f"{model_name}_history")
        )
    return patterns
