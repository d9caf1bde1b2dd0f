"""The region filters' picker (core.filtersets.register_region_source)."""

from collections.abc import Iterable
from typing import Any

from swstation.core.widgets import RecordSource
from swstation.regions.codes import code_of_prefix

__all__ = ["RegionSource"]


class RegionSource(RecordSource):
    """Regions by their division code. A "within this region" filter may also carry the
    prefix a region's descendants share (``region_code=330205``, as the cockpit's links
    send it): it reads as that region's name (江北区), not as the digits."""

    def labels(self, values: Iterable[Any], user: Any) -> dict[str, str]:
        full = {
            str(value): code_of_prefix(str(value))
            for value in values
            if value not in (None, "") and str(value).isdigit() and len(str(value)) <= 12
        }
        found = super().labels(set(full.values()), user)
        return {value: found[code] for value, code in full.items() if code in found}
