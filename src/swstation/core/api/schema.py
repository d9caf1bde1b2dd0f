"""Pieces of the OpenAPI schema shared by the apps' custom actions."""

from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ConflictSerializer(serializers.Serializer):
    """The body of a 409: why the request no longer applies."""

    detail = serializers.CharField(
        help_text="What changed, in the user's language (Chinese by default)."
    )


CONFLICT_RESPONSE = OpenApiResponse(
    response=ConflictSerializer,
    description=(
        "Conflict: the record is no longer in the state the request was made against "
        "(someone else moved it on meanwhile, e.g. two submissions of the same step). "
        "Nothing was changed; reload the record and decide again."
    ),
)


def transition_responses(ok: Any) -> dict[int, Any]:
    """``responses=`` of an action that moves a record from one state to another
    (core/transitions.py): ``ok`` on 200, the conflict on 409."""
    return {200: ok, 409: CONFLICT_RESPONSE}
