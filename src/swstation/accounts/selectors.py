from typing import Any

from django.db.models import QuerySet
from rest_framework.authtoken.models import Token

from swstation.accounts.models import User


def user_list(*, actor: Any) -> QuerySet[User]:
    queryset: QuerySet[User] = User.objects.visible_to(actor)
    return queryset.select_related("jurisdiction")


def user_api_token(*, user: User) -> Token | None:
    return Token.objects.filter(user=user).first()
