"""The size of the demo (``demo --scale N``).

At scale N the recipients step draws N times :data:`~swstation.demo.recipients.RECIPIENTS_DRAWN`
people city-wide and the cases step writes N times
:data:`~swstation.demo.cases.SERVICE_RECORDS` service records over the same year; the exact
places (后大街社区, 周巷镇), the 3,000 cases and everything else (regions, stations, workforce)
stay as they are. Scale 1 is the usual demo.

:func:`~swstation.demo.builder.build_demo` sets the scale for the duration of the build with
:func:`scaled`, so that the steps keep their one-argument signature ``step(log)`` and read it
with :func:`demo_scale`.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_scale: ContextVar[int] = ContextVar("demo_scale", default=1)


def demo_scale() -> int:
    """The scale of the demo being built: 1 outside :func:`scaled`."""
    return _scale.get()


def check_scale(scale: object) -> int:
    """``scale`` if it is a whole number >= 1; ValueError otherwise."""
    if isinstance(scale, bool) or not isinstance(scale, int) or scale < 1:
        raise ValueError(f"The demo's scale is a whole number >= 1, not {scale!r}.")
    return scale


@contextmanager
def scaled(scale: int) -> Iterator[None]:
    """Build at ``scale`` inside the block (restored on the way out)."""
    token = _scale.set(check_scale(scale))
    try:
        yield
    finally:
        _scale.reset(token)
