from typing import Any

from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from swstation.accounts import services
from swstation.accounts.api.serializers import (
    PasswordResetAnswerSerializer,
    PasswordResetSerializer,
    UserSerializer,
)
from swstation.accounts.filtersets import UserFilterSet
from swstation.accounts.models import User
from swstation.core.api.viewsets import ScopedModelViewSet


class UserViewSet(ScopedModelViewSet):
    """Accounts inside the caller's jurisdiction; created and changed by the city bureau."""

    model = User
    serializer_class = UserSerializer
    filterset_class = UserFilterSet
    select_related = ("jurisdiction",)
    ordering_fields = ["username", "role", "last_login"]

    @property
    def permission_action(self) -> str | None:
        """A reset changes the account (the role permission to check), though sent with POST."""
        return "change" if getattr(self, "action", None) == "reset_password" else None

    def save_object(self, serializer: serializers.BaseSerializer) -> Any:
        data = dict(serializer.validated_data)
        password = data.pop("password", None)
        if serializer.instance is None:
            if not password:
                raise serializers.ValidationError({"password": [_("A new user needs a password.")]})
            user = services.user_create(actor=self.request.user, password=password, **data)
        else:
            user = services.user_update(actor=self.request.user, user=serializer.instance, **data)
        serializer.instance = user
        return user

    def perform_destroy(self, instance: User) -> None:
        services.user_delete(actor=self.request.user, user=instance)

    @extend_schema(request=PasswordResetSerializer, responses=PasswordResetAnswerSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path="reset-password",
        serializer_class=PasswordResetSerializer,
    )
    def reset_password(self, request: Request, pk: str | None = None) -> Response:
        """Give the account a temporary password, ``password`` or generated (then answered,
        once); its owner must change it at the next login, and its lockout is lifted. City
        bureau only."""
        user = self.get_object()
        payload = PasswordResetSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        typed = payload.validated_data.get("password") or None
        password = services.user_password_reset(actor=request.user, user=user, password=typed)
        response = Response(
            {"id": user.pk, "must_change_password": True, "password": None if typed else password}
        )
        add_never_cache_headers(response)
        return response
