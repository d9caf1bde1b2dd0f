"""dashboard.0003 marks the new 五社联动 family dirty in every township, so that an existing
database computes its tallies at the next refresh instead of showing zeros (issue 13)."""

from importlib import import_module

import pytest
from django.apps import apps

from swstation.dashboard.models import TallyDirty
from swstation.regions.models import Region

pytestmark = pytest.mark.django_db

migration = import_module("swstation.dashboard.migrations.0003_linkage_family_dirty")


def test_every_township_is_marked_once_for_the_linkage_family() -> None:
    TallyDirty.objects.filter(family="linkage").delete()
    townships = {
        code[:9] for code in Region.objects.filter(level="township").values_list("code", flat=True)
    }
    assert townships
    TallyDirty.objects.create(family="linkage", partition=sorted(townships)[0])
    migration.mark_dirty(apps, None)
    marked = list(TallyDirty.objects.filter(family="linkage").values_list("partition", flat=True))
    assert sorted(marked) == sorted(townships)  # one mark each, the one already there kept
