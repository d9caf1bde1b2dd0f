"""A list page's table rows and filter selects are drawn in Python (issue 10, "Lists fast at any
size"): to the character what the templates they replace drew (core/table.html's row block,
Django's select widget templates), whatever the cells and options hold."""

import datetime
from typing import Any

import django_tables2 as tables
import pytest
from django import forms
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.safestring import mark_safe

from swstation.cases.models import ServiceRecord
from swstation.core import context_processors, widgets
from swstation.core.context_processors import navigation
from swstation.core.keyset import decode_cursor, keyset_page, ordering_keys
from swstation.core.roles import Role
from swstation.core.tables import BaseTable, row_html
from swstation.regions.models import Region
from tests.cases import test_records_fixtures as build
from tests.conftest import CICHENG, CICHENG_VILLAGE

# The block of core/table.html that core.tables.row_html replaces, as it was.
ROW_TEMPLATE = Template(
    "{% load l10n %}"
    "\n<tr {{ row.attrs.as_html }}>\n  {% for column, cell in row.items %}\n  "
    '<td {{ column.attrs.td.as_html }} data-label="{{ column.header }}">'
    "{% if column.localize == None %}{{ cell }}{% else %}{% if column.localize %}"
    "{{ cell|localize }}{% else %}{{ cell|unlocalize }}{% endif %}{% endif %}</td>\n  "
    "{% endfor %}\n</tr>\n"
)


class SampleTable(BaseTable):
    name = tables.Column(verbose_name="name <b>")
    served_on = tables.DateColumn()
    written_on = tables.DateColumn(format="Y-m-d", default="")
    upper = tables.TemplateColumn("{{ record.name|upper }}", verbose_name="upper")
    count = tables.Column(localize=True)
    raw = tables.Column(localize=False)
    marked = tables.Column(attrs={"td": {"class": lambda record: f"row-{record['count']}"}})
    link = tables.Column(linkify=lambda record: f"/x/{record['count']}/")

    class Meta(BaseTable.Meta):
        row_attrs = {"data-id": lambda record: record["count"]}


ROWS: list[dict[str, Any]] = [
    {
        "name": "张三 <script>",
        "served_on": datetime.date(2024, 3, 5),
        "written_on": None,
        "count": 1234567,
        "raw": 7654321,
        "marked": mark_safe("<i>safe</i>"),
        "link": "甲&乙",
    },
    {
        "name": "",
        "served_on": None,
        "written_on": datetime.date(2023, 12, 31),
        "count": 2,
        "raw": 1.5,
        "marked": None,
        "link": "",
    },
]


def test_a_row_is_drawn_as_the_template_drew_it() -> None:
    for language in ("zh-hans", "en"):
        with translation.override(language):
            table = SampleTable(ROWS)
            drawn = [row_html(row, Context()) for row in table.rows]
            templated = [ROW_TEMPLATE.render(Context({"row": row})) for row in table.rows]
            assert drawn == templated
            assert "&lt;script&gt;" in drawn[0] and "<i>safe</i>" in drawn[0]
            assert 'class="row-1234567"' in drawn[0] and 'class="row-2"' in drawn[1]


def test_a_template_column_is_compiled_once_and_draws_each_record() -> None:
    table = SampleTable(ROWS)
    cells = [row.get_cell("upper") for row in table.rows]
    assert [str(cell) for cell in cells] == ["张三 &lt;SCRIPT&gt;", ""]


def _templated(widget: forms.Widget, name: str, value: Any, attrs: dict[str, Any]) -> str:
    """The widget drawn by Django's own templates."""
    context = widget.get_context(name, value, attrs)
    return str(forms.Widget._render(widget, widget.template_name, context))


def test_a_select_is_drawn_as_django_s_templates_drew_it() -> None:
    choices = [
        ("", "全部"),
        ("a&b", "甲 <乙>"),
        (3, mark_safe("<em>三</em>")),
        ("group", [("g1", "组一"), ("g2", "组二")]),
    ]
    attrs = {"id": "id_x", "class": "form-select", "data-flag": True, "data-off": False}
    cases: list[tuple[forms.Widget, Any]] = [
        (widgets.PythonDrawnSelect(choices=choices), "a&b"),
        (widgets.PythonDrawnSelect(choices=choices), "g2"),
        (widgets.PythonDrawnSelectMultiple(choices=choices), ["a&b", "3"]),
        (widgets.PythonDrawnNullBooleanSelect(), True),
        (widgets.PythonDrawnSelect(choices=[]), None),
    ]
    tree = widgets.RecordSource(
        Region, "code", start=lambda user: [("1", "宁波市", 0), ("2", "江北区", 1)]
    )
    cases.append((widgets.SearchSelect(tree, user=object()), ""))
    for widget, value in cases:
        drawn = widget.render("x", value, attrs)
        assert drawn == _templated(widget, "x", value, attrs)
        assert "<select" in drawn
    assert 'data-depth="1"' in drawn  # the tree's last


def test_a_filter_form_s_selects_are_drawn_in_python() -> None:
    """Every plain select of a filter form is one of the Python-drawn ones (and still the
    select it was: its choices and its HTML)."""
    widget = forms.Select(choices=[("1", "一")])
    before = widget.render("x", "1")
    assert widgets.drawn_in_python(widget) is widget
    assert isinstance(widget, widgets.PythonDrawnSelect)
    assert widget.render("x", "1") == before
    text_input = forms.TextInput()
    assert type(widgets.drawn_in_python(text_input)) is forms.TextInput


# --- a page of a list that reads its related records along: read in two steps ---------------


@pytest.mark.django_db
def test_a_page_with_its_related_records_is_read_keys_first() -> None:
    """The page's keys are read first without the related records' columns, then those 4
    records whole: the same records, in the same order, their related records loaded, and the
    cursors of the same rows, page after page."""
    worker = build.worker(CICHENG)
    people = [build.recipient(CICHENG_VILLAGE) for _ in range(3)]
    start = datetime.date(2024, 3, 1)
    for n in range(11):
        build.record(people[n % 3], worker, start + datetime.timedelta(days=n % 4))
    queryset = ServiceRecord.objects.select_related("recipient", "worker")
    keys = ordering_keys(queryset)
    assert keys is not None
    expected = list(queryset.order_by("-served_on", "-pk").values_list("pk", flat=True))
    seen: list[int] = []
    position = None
    while True:
        with CaptureQueriesContext(connection) as queries:
            page = keyset_page(queryset, keys, 4, position)
            names = [record.recipient.name for record in page.records]  # no query more
        assert len(queries) == 2 and len(names) == len(page.records)
        assert '"recipients_recipient"' not in queries.captured_queries[0]["sql"]
        seen += [record.pk for record in page.records]
        if page.next_cursor is None:
            break
        position = decode_cursor(keys, page.next_cursor)
        last = page.records[-1]
        assert position.values == (last.served_on.isoformat(), last.pk)
    assert seen == expected


# --- the menu: once per request, for the request's user ---------------------------------------


@pytest.mark.django_db
def test_the_menu_is_worked_out_once_per_request_and_for_its_user(
    users: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A list page renders two templates with its request (the page, its table): the menu is
    worked out once; a request whose user changes gets that user's menu."""
    calls: list[Any] = []
    real = context_processors.menu_for

    def counting(user: Any) -> Any:
        calls.append(user)
        return real(user)

    monkeypatch.setattr(context_processors, "menu_for", counting)
    client = Client()
    client.force_login(users[Role.CITY_ADMIN])
    assert client.get("/cases/services/").status_code == 200
    assert calls == [users[Role.CITY_ADMIN]]

    request = RequestFactory().get("/")
    request.user = users[Role.CITY_ADMIN]
    city = navigation(request)["main_menu"]
    assert navigation(request)["main_menu"] is city
    request.user = users[Role.SOCIAL_WORKER]
    worker = navigation(request)["main_menu"]
    assert worker == real(users[Role.SOCIAL_WORKER]) and worker != city
