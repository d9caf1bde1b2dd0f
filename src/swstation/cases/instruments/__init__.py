"""Assessment instruments as pure functions, one module per standard and version, so that a
newer standard (GB/T 42195-2022) can stand beside an older one without touching old records."""
