"""Logging filters (settings.LOGGING)."""

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    """A 4xx answer is logged as one line, without the traceback of the exception behind it.

    Django logs every 4xx answer of the ``django.request`` logger as a warning, and a
    ``PermissionDenied`` raised in a view with its full traceback: a refusal the platform meant
    (a role that may not open a page, a record outside the jurisdiction) would fill the logs
    with stack traces nobody needs to read. A 5xx keeps its traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
