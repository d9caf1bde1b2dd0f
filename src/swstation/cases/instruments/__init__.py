"""Assessment instruments as pure functions, one module per standard and version, so that a
newer standard (GB/T 42195-2022) can stand beside an older one without touching old records."""

# Each instrument registers itself in ``registry`` when imported: load them all with the package,
# so that the registry is complete whichever module is imported first.
from swstation.cases.instruments import child_needs, mzt039_items  # noqa: F401
