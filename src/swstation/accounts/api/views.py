from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from swstation.accounts import services
from swstation.accounts.api.serializers import UserSerializer
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
