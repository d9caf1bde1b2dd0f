from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from swstation.core.permissions import Action, user_can

METHOD_ACTIONS: dict[str, Action] = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class RolePermission(BasePermission):
    """Authenticated, and the role may do the request's action on the view's model."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        model = getattr(view, "model", None)
        if model is None:
            return True
        action = getattr(view, "permission_action", None) or METHOD_ACTIONS.get(
            request.method or "GET", "change"
        )
        return user_can(user, action, model)
