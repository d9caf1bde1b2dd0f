"""A filter's form field read on the filter set class (as the schema generator does, without a
request) must not stick: a related-record choice built then is limited to nobody's jurisdiction,
and every list filtered by that record would answer "not a valid choice" from then on."""

from typing import Any

import pytest
from rest_framework.test import APIClient

from swstation.core.roles import Role
from swstation.recipients.filtersets import RecipientFilterSet
from tests.workforce.helpers import CICHENG, station

pytestmark = pytest.mark.django_db


def test_a_filter_field_built_without_a_request_does_not_stick(users: dict[str, Any]) -> None:
    built_on_the_class = RecipientFilterSet.base_filters["station"].field
    assert not built_on_the_class.queryset.exists()  # no request, no jurisdiction
    the_station = station(CICHENG)
    api = APIClient()
    api.force_authenticate(users[Role.SOCIAL_WORKER])
    response = api.get("/api/v1/recipients/", {"station": the_station.pk})
    assert response.status_code == 200, response.json()
