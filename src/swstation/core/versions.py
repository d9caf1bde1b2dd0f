"""Stale edits are refused, never silently overwritten (issue 9, lost updates).

Every scoped record keeps ``updated_at``; its value when a person opened the edit page (or a
client read the record: the ``ETag``) is the version they edit. A save whose version is no
longer the record's — someone else saved in between — is refused with a message that says so.
The check runs on the row locked inside the write's transaction (``scoping.lock_row``).
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

STALE_MESSAGE = _(
    "Someone else changed this record while you were editing it. Nothing was saved: "
    "reload the page to see their change, then make yours again."
)


def version_token(obj: Any) -> str:
    """The record's version: its last change to the microsecond; "" for records without one."""
    updated_at = getattr(obj, "updated_at", None)
    return updated_at.isoformat() if updated_at is not None else ""


def etag(obj: Any) -> str:
    """The HTTP entity tag of a record's version (RFC 9110 §8.8.3), or "" if it has none."""
    token = version_token(obj)
    return f'"{obj.pk}-{token}"' if token else ""


def if_match_allows(header: str | None, obj: Any) -> bool:
    """Whether an ``If-Match`` header (absent, ``*`` or a list of tags) accepts ``obj``'s
    current version (a weak ``W/`` prefix is ignored)."""
    if not header or header.strip() == "*":
        return True
    current = etag(obj)
    sent = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return bool(current) and current in sent
