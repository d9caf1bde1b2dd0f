"""The API's JSON parser: bounded in size and depth, no NUL characters, errors in Chinese.

DRF's own parser reads the whole stream, lets Python's decoder recurse as deep as the brackets
go (100,000 nested arrays: ``RecursionError``, a 500) and says "JSON parse error - ..." in
English. This one

- refuses a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413), reading no further;
- counts the nesting depth before decoding, outside strings, without recursion, and refuses
  more than :data:`MAX_JSON_DEPTH` levels (400);
- refuses a NUL character (``\\u0000``) anywhere, in a value or a key, with a 400 naming the
  top-level field that holds it (PostgreSQL cannot store it, in text or in JSON);
- says what is wrong in the user's language, with the line and column of a syntax error.
"""

import json
import re
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser

MAX_JSON_DEPTH = 32

# A JSON string (possessive, so a long one is matched in one pass), or a bracket.
_STRING_OR_BRACKET = re.compile(rb'"(?:[^"\\]++|\\.)*+"|[\[\]{}]')
_OPENING = frozenset(b"[{")


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def request_too_large_message(limit: int | None = None) -> str:
    limit = limit if limit is not None else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return _("The request is too large: at most %(limit)s MB can be sent at once.") % {
        "limit": f"{(limit or 0) / 1024 / 1024:.3g}"
    }


def nesting_depth_exceeds(body: bytes, limit: int) -> bool:
    """Whether brackets outside strings nest deeper than ``limit`` (no recursion)."""
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(body):
        char = match.group()
        if len(char) != 1:  # a string: its brackets do not count
            continue
        if char[0] in _OPENING:
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _nul_paths(data: Any, path: str = "") -> Iterator[str]:
    """The top-level field of every string or key with a NUL character in ``data``."""
    if isinstance(data, str):
        if "\x00" in data:
            yield path
    elif isinstance(data, dict):
        for key, value in data.items():
            field = path or str(key).replace("\x00", "")
            if "\x00" in str(key):
                yield field
            yield from _nul_paths(value, field)
    elif isinstance(data, list):
        for item in data:
            yield from _nul_paths(item, path)


def nul_character_message() -> str:
    return _("Null characters are not allowed.")


class SafeJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(body) > limit:
            raise RequestTooLarge(request_too_large_message(limit))
        try:
            text = body.decode((parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET)
        except (UnicodeDecodeError, LookupError) as exc:
            raise exceptions.ParseError(_("The request body is not UTF-8 text.")) from exc
        if nesting_depth_exceeds(body, MAX_JSON_DEPTH):
            raise exceptions.ParseError(
                _("The JSON is nested more than %(limit)s levels deep.") % {"limit": MAX_JSON_DEPTH}
            )
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as exc:
            if isinstance(exc, json.JSONDecodeError):
                message = _(
                    "The request body is not valid JSON (line %(line)s, column %(column)s)."
                ) % {"line": exc.lineno, "column": exc.colno}
            else:
                message = _("The request body is not valid JSON.")
            raise exceptions.ParseError(message) from exc
        fields = sorted(set(_nul_paths(data)))
        if fields:
            raise exceptions.ValidationError(
                {field or "non_field_errors": [nul_character_message()] for field in fields}
            )
        return data


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")
