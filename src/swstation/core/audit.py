"""The personal-data access log, as a port for the apps below the one that keeps it.

Every access to protected personal data — a full identity or phone number, a diagnosis, a
payment roster with its payees' identity and bank account numbers — is a line of one log,
read city-wide by the auditors (issue 10, "Auditing"). The log is kept by the recipients app
(``recipients.IdentityView``, written by ``recipients.services.personal_data_access_log``),
which the apps below it (``workforce``'s payment rosters) may not import; it registers its
writer here in its ``AppConfig.ready()`` and those apps call
:func:`record_personal_data_access`. Apps above recipients call the service directly.
"""

from collections.abc import Callable
from typing import Any

from swstation.core.actors import Actor

_WRITERS: list[Callable[..., Any]] = []


def register_access_log_writer(writer: Callable[..., Any]) -> None:
    """The function that writes a line of the log (its keywords: those of
    :func:`record_personal_data_access`)."""
    _WRITERS[:] = [writer]


def record_personal_data_access(
    *,
    actor: Actor,
    field: str,
    region: Any,
    subject: str,
    count: int = 1,
    kind: str = "export",
    purpose: str = "",
) -> Any:
    """Log that ``actor`` saw in full (``kind="view"``) or exported (``"export"``) the
    ``field`` (``"payment_details"``, ``"id_number"``, … : ``recipients.models.PersonalData``)
    of ``subject`` (``count`` people, in ``region``), for ``purpose``. Call it inside the
    transaction of the access, after the access is allowed."""
    if not _WRITERS:
        raise RuntimeError("no personal-data access log is installed (recipients app missing)")
    return _WRITERS[0](
        actor=actor,
        field=field,
        kind=kind,
        region=region,
        subject=subject,
        count=count,
        purpose=purpose,
    )
