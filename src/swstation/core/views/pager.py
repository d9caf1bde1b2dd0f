"""The pager of every list page: keyset pages and a capped count (issue 10, "Lists fast at
any size"; ``core.keyset``).

A list page shows its first page, then "下一页" / "上一页" links that carry a ``cursor``
(where the next page starts in the table's order), "首页" and "末页" (the end of the list, read
backwards): each costs what the first page costs, however deep and however large the list.
The count above the table is exact up to 10,000 records and "10,000+" beyond. ``page`` in
the query is only the number shown ("第 3 页"); a cursor that does not fit the table's order
(the user sorted by another column since) starts again at the first page.

A table ordered by something no cursor can follow (an expression) keeps django-tables2's
numbered pages.
"""

import math
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.http import urlencode
from django_tables2 import RequestConfig
from django_tables2.data import TableQuerysetData
from django_tables2.rows import BoundRow

from swstation.core.keyset import (
    CappedCount,
    InvalidCursor,
    Position,
    capped_count,
    decode_cursor,
    keyset_page,
    last_position,
    ordering_keys,
)

LAST = "last"


@dataclass
class Pager:
    """What the table's pager draws (``core/table.html``): links to the first, previous,
    next and last pages (None when there is none), the page's number when known, and the
    count of the list."""

    count: CappedCount
    per_page: int
    number: int | None
    first_url: str | None
    previous_url: str | None
    next_url: str | None
    last_url: str | None
    object_list: list[BoundRow]

    @property
    def has_other_pages(self) -> bool:
        return bool(self.previous_url or self.next_url)

    @property
    def num_pages(self) -> int | None:
        if not self.count.exact:
            return None
        return max(1, math.ceil(self.count.value / self.per_page))


def _query(request: HttpRequest, **changes: Any) -> str:
    params = request.GET.copy()
    for key in ("cursor", "page", "export"):
        params.pop(key, None)
    for key, value in changes.items():
        if value is not None:
            params[key] = value
    return f"{request.path}?{urlencode(params, doseq=True)}" if params else request.path


def _number(request: HttpRequest) -> int | None:
    try:
        value = int(request.GET.get("page", ""))
    except ValueError:
        return None
    return value if value >= 1 else None


def paginate_table(request: HttpRequest, table: Any, per_page: int) -> Pager | None:
    """Give ``table`` its page (``table.page``, ``table.pager``) for ``request``; None when its
    order needs numbered pages (they are configured instead)."""
    data = table.data
    keys = ordering_keys(data.data) if isinstance(data, TableQuerysetData) else None
    if keys is None:
        RequestConfig(request, paginate={"per_page": per_page}).configure(table)
        return None
    queryset = data.data
    count = capped_count(queryset)
    cursor = request.GET.get("cursor", "")
    position: Position | None = None
    number: int | None = 1
    if cursor == LAST:
        position = last_position()
        number = None
    elif cursor:
        try:
            position = decode_cursor(keys, cursor)
            number = _number(request)
        except InvalidCursor:
            position = None
    try:
        page = keyset_page(queryset, keys, per_page, position)
    except InvalidCursor:
        position, number = None, 1
        page = keyset_page(queryset, keys, per_page)
    pages = max(1, math.ceil(count.value / per_page)) if count.exact else None
    if cursor == LAST and pages is not None:
        number = pages
    next_number = number + 1 if number is not None else None
    previous_number = number - 1 if number is not None and number > 1 else None
    if cursor == LAST and pages is None:
        previous_number = None
    started = position is not None
    at_end = not page.has_next
    rows = [BoundRow(record, table=table) for record in page.records]
    pager = Pager(
        count=count,
        per_page=per_page,
        number=number,
        first_url=_query(request) if started and page.has_previous else None,
        previous_url=(
            _query(request, cursor=page.previous_cursor, page=previous_number)
            if page.previous_cursor
            else None
        ),
        next_url=(
            _query(request, cursor=page.next_cursor, page=next_number) if page.next_cursor else None
        ),
        last_url=None if at_end else _query(request, cursor=LAST),
        object_list=rows,
    )
    table.pager = pager
    table.page = pager  # django-tables2 renders ``table.page.object_list``
    return pager


def list_count(table: Any, pager: Pager | None) -> CappedCount:
    """The count above a list: the pager's, or the numbered pages' exact one."""
    return pager.count if pager is not None else CappedCount(table.paginator.count, True)
