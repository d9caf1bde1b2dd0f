"""Assessment instruments as pure functions, one module per standard and version, so that a
newer standard (GB/T 42195-2022) stands beside an older one (MZ/T 039-2013) without touching
old records."""

# Each instrument registers itself in ``registry`` when imported: load them all with the package,
# so that the registry is complete whichever module is imported first. The order is the order
# the platform offers them in (the current standard first).
from swstation.cases.instruments import child_needs, gbt42195_items, mzt039_items  # noqa: F401
