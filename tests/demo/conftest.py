"""The demo city tests share one build per worker (see test_demo_city.py)."""

from typing import Any


def pytest_configure(config: Any) -> None:
    # Registered here too so that the marker is known when xdist is off (strict markers).
    config.addinivalue_line(
        "markers", "xdist_group(name): run the marked tests on one xdist worker (loadgroup)"
    )
