from typing import Any

from django.db.models import QuerySet

from swstation.accounts.models import User


def user_list(*, actor: Any) -> QuerySet[User]:
    queryset: QuerySet[User] = User.objects.visible_to(actor)
    return queryset.select_related("jurisdiction")
