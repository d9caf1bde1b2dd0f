"""JSON errors for every API failure: field errors by name, never an HTML page or a traceback."""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from swstation.core.api.parsers import request_too_large_message
from swstation.core.integrity import integrity_validation_error, unique_violation
from swstation.core.transitions import StateConflict

logger = logging.getLogger("swstation.api")


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, StateConflict):  # someone moved the record on meanwhile: not a 400
        return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(_("No such record in your jurisdiction."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, ProtectedError):
        return Response(
            {"detail": _("This record cannot be deleted: other records depend on it.")},
            status=status.HTTP_409_CONFLICT,
        )
    elif isinstance(exc, IntegrityError):  # a unique value taken by a request sent together
        unique = unique_violation(exc) is not None
        return Response(
            as_serializer_error(integrity_validation_error(exc)),
            status=status.HTTP_400_BAD_REQUEST if unique else status.HTTP_409_CONFLICT,
        )
    elif isinstance(exc, RequestDataTooBig):
        return Response(
            {"detail": request_too_large_message()},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    elif isinstance(exc, DataError | OverflowError):  # let through, refused by the database
        return Response(
            {"detail": _("A value is too long, out of range or holds a character not allowed.")},
            status=status.HTTP_400_BAD_REQUEST,
        )
    response = drf_exception_handler(exc, context)
    if response is not None:
        return response
    view = context.get("view")
    logger.exception("Unhandled API error in %s", type(view).__name__ if view else "?")
    return Response(
        {"detail": _("Internal server error. The error has been logged.")},
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
