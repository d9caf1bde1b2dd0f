"""Every list of the API is paginated the same way, and costs the same at any size and any
depth (issue 10, "Lists fast at any size"; ``core.keyset``).

The answer is ``{"count", "count_exact", "next", "previous", "results"}``:

- ``next`` and ``previous`` are links with a ``cursor``: the page after (before) this one,
  found from the values of its last (first) row in the list's order, so that following ``next``
  to the 500th page costs what the first costs. Follow ``next`` until it is null.
- ``count`` is exact up to :data:`~swstation.core.keyset.COUNT_CAP` (10,000) records; above,
  ``count`` is 10,000 and ``count_exact`` false ("10,000 or more"): counting the rest would
  read the whole table on every request.
- ``?page=N`` (or ``last``) still starts at a numbered page within the first 10,000 records
  (``last``: the end of the list, at any size); deeper, follow the cursors. ``?page_size=``
  up to 1,000 (a larger one is cut to 1,000; zero, negative or not a number gives the
  default). A page number that is not a whole number from 1 is a 400 naming it; a page past
  the end is a 404; a cursor that is not one of this list (another order, altered) is a 400.
"""

import math
from collections import OrderedDict
from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination, PageNumberPagination, _positive_int
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from swstation.core import keyset
from swstation.core.keyset import (
    CappedCount,
    InvalidCursor,
    KeysetPage,
    capped_count,
    decode_cursor,
    keyset_page,
    last_position,
    ordering_keys,
)


class StandardPagination(BasePagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000
    page_query_param = "page"
    cursor_query_param = "cursor"
    last_page_strings = ("last",)

    def get_page_size(self, request: Request) -> int:
        try:
            return _positive_int(
                request.query_params[self.page_size_query_param],
                strict=True,
                cutoff=self.max_page_size,
            )
        except (KeyError, ValueError):
            return self.page_size

    def paginate_queryset(
        self, queryset: Any, request: Request, view: Any = None
    ) -> list[Any] | None:
        self.request = request
        size = self.get_page_size(request)
        keys = ordering_keys(queryset)
        self.count: CappedCount = capped_count(queryset)
        cursor = request.query_params.get(self.cursor_query_param)
        number = request.query_params.get(self.page_query_param)
        if cursor and keys is not None:
            try:
                page = keyset_page(queryset, keys, size, decode_cursor(keys, cursor))
            except InvalidCursor:
                raise ValidationError(
                    {self.cursor_query_param: [_("This link to a page is not valid any more.")]}
                ) from None
        elif number in self.last_page_strings and keys is not None and not self.count.exact:
            page = keyset_page(queryset, keys, size, last_position())
        else:
            offset = self._offset(number, size)
            if keys is not None:
                page = keyset_page(queryset, keys, size, offset=offset)
            else:  # an order no cursor can follow: pages by number only
                rows = list(queryset[offset : offset + size + 1])
                page = KeysetPage(rows[:size], None, None)
                self.numbered = (offset // size + 1, len(rows) > size)
            if not page.records and offset:
                raise NotFound(PageNumberPagination.invalid_page_message)
        self.page = page
        return page.records

    def _offset(self, number: str | None, size: int) -> int:
        """Where the page ``?page=`` names starts; 0 without one."""
        if number is None or number == "":
            return 0
        if number in self.last_page_strings:
            pages = max(1, math.ceil(self.count.value / size))
            return (pages - 1) * size
        try:
            value = int(number)
        except (TypeError, ValueError):
            value = 0
        if value < 1:
            raise ValidationError(
                {self.page_query_param: [_("A page number is a whole number from 1.")]}
            )
        offset = (value - 1) * size
        if offset and self.count.exact and offset >= self.count.value:
            raise NotFound(PageNumberPagination.invalid_page_message)
        if offset >= keyset.COUNT_CAP and not self.count.exact:
            raise ValidationError(
                {
                    self.page_query_param: [
                        _(
                            "Pages are numbered within the first %(cap)s records: "
                            "follow the “next” links further."
                        )
                        % {"cap": f"{keyset.COUNT_CAP:,}"}
                    ]
                }
            )
        return offset

    def _link(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, cursor)

    def _numbered_link(self, number: int) -> str:
        url = remove_query_param(self.request.build_absolute_uri(), self.cursor_query_param)
        if number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, number)

    def get_paginated_response(self, data: Any) -> Response:
        numbered = getattr(self, "numbered", None)
        if numbered is not None:
            number, more = numbered
            next_link = self._numbered_link(number + 1) if more else None
            previous_link = self._numbered_link(number - 1) if number > 1 else None
        else:
            next_link = self._link(self.page.next_cursor)
            previous_link = self._link(self.page.previous_cursor)
        return Response(
            OrderedDict(
                [
                    ("count", self.count.value),
                    ("count_exact", self.count.exact),
                    ("next", next_link),
                    ("previous", previous_link),
                    ("results", data),
                ]
            )
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["count", "count_exact", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "example": 123,
                    "description": f"The number of records, counted up to {keyset.COUNT_CAP:,}.",
                },
                "count_exact": {
                    "type": "boolean",
                    "description": f"False when there are more than {keyset.COUNT_CAP:,} records "
                    "(count is then that cap).",
                },
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "example": "https://swstation.example.org/api/v1/service-records/?cursor=gAAAAA",
                },
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where the page starts: the value in a next or previous link.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": f"A page number within the first {keyset.COUNT_CAP:,} records, "
                "or 'last'.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Records per page (default {self.page_size}, at most "
                f"{self.max_page_size}).",
                "schema": {"type": "integer"},
            },
        ]
