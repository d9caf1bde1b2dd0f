"""A list page's table rows and filter selects are drawn in Python (issue 10, "Lists fast at any
size"): to the character what the templates they replace drew (core/table.html's row block,
Django's select widget templates), whatever the cells and options hold."""

import datetime
from typing import Any
from unittest import mock

import django_tables2 as tables
import pytest
from django import forms
from django.db import connection
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.safestring import mark_safe
from django_tables2.rows import BoundRow

from swstation.cases.models import ServiceRecord
from swstation.core import context_processors, widgets
from swstation.core.context_processors import navigation
from swstation.core.keyset import decode_cursor, keyset_page, ordering_keys
from swstation.core.roles import Role
from swstation.core.tables import BaseTable, row_cells, row_html
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


# --- a row's cells: worked out once per column, drawn as django-tables2 draws them ------------


class Linked(BaseTable):
    """Cells of the kinds row_cells draws itself: a choice's label, a choice that is not one
    of them, a link by get_absolute_url, by a function and with attributes of its own, a path
    through a relation that may be missing, a method, a many-to-many list, an accessor that
    fails."""

    name = tables.Column(linkify=True)
    sex = tables.Column()
    status = tables.Column()
    region = tables.Column(linkify=True)
    region_code = tables.Column(accessor="region__code", linkify=lambda record: f"/r/{record.pk}/")
    station = tables.Column(linkify=True, default="—")
    household_size = tables.Column(accessor="household__size", default="-")
    masked = tables.Column(
        accessor="id_number_masked", linkify=("recipients:recipient", {"pk": tables.A("pk")})
    )
    styled = tables.Column(accessor="name", linkify=True, attrs={"a": {"class": "fw-bold"}})
    age = tables.Column(accessor="age", default="")
    categories = tables.ManyToManyColumn(separator="、")
    nothing = tables.Column(accessor="no_such_thing", default="∅")

    class Meta(BaseTable.Meta):
        fields = ()


@pytest.mark.django_db
def test_a_row_s_cells_are_the_cells_django_tables2_draws() -> None:
    from swstation.recipients.models import Category, Recipient

    people = [
        build.recipient(
            CICHENG_VILLAGE, name="甲 <b>", sex="female", birth_date=datetime.date(1940, 2, 3)
        ),
        build.recipient(CICHENG_VILLAGE, name="乙", sex=""),
        build.recipient(CICHENG_VILLAGE, name="丙"),
    ]
    people[0].categories.set(Category.objects.all()[:2])
    Recipient.objects.filter(pk=people[2].pk).update(sex="x")  # not a choice
    queryset = Recipient.objects.filter(pk__in=[p.pk for p in people]).order_by("pk")
    queryset = queryset.select_related("region", "station", "household").prefetch_related(
        "categories"
    )
    for language in ("zh-hans", "en"):
        with translation.override(language):
            table = Linked(queryset)
            records = list(queryset)
            with mock.patch.object(
                BoundRow, "get_cell", autospec=True, side_effect=BoundRow.get_cell
            ) as asked:
                drawn = [list(row_cells(BoundRow(record, table))) for record in records]
            # django-tables2 is asked only across a missing relation (no household)
            assert {call.args[1] for call in asked.call_args_list} == {"household_size"}
            expected = [
                [
                    (column, BoundRow(record, table).get_cell(column.name))
                    for column in table.columns
                ]
                for record in records
            ]
            assert drawn == expected
            rows = [BoundRow(record, table) for record in records]
            assert [row_html(row, Context()) for row in rows] == [
                ROW_TEMPLATE.render(Context({"row": row})) for row in rows
            ]
    first = dict((column.name, cell) for column, cell in drawn[0])
    assert first["name"] == f'<a href="/recipients/{people[0].pk}/">甲 &lt;b&gt;</a>'
    assert first["sex"] == "Female" and first["nothing"] == "∅"
    assert 'class="fw-bold"' in first["styled"]
    assert dict((c.name, cell) for c, cell in drawn[2])["sex"] == "x"


def test_a_linked_record_s_url_is_its_get_absolute_url_shaped_once() -> None:
    """A model whose get_absolute_url is ``reverse(name, args=[self.pk])`` has its URL
    reversed once per table and its key put in place; any other is asked."""
    from swstation.core import tables as core_tables
    from swstation.recipients.models import Recipient
    from swstation.regions.models import Region

    assert core_tables._pk_url_view(Recipient.get_absolute_url) == "recipients:recipient"
    assert core_tables._pk_url_view(Region.get_absolute_url) == "regions:region"

    class Other:
        pk = 5

        def get_absolute_url(self) -> str:
            return f"/other/{self.pk}/"

    assert core_tables._pk_url_view(Other.get_absolute_url) is None
    href = core_tables._AbsoluteUrl(core_tables.Accessor(""))
    for record in (Recipient(pk=7), Recipient(pk=123456), Region(pk=0), Other()):
        assert href({"record": record}) == record.get_absolute_url()


class Dates(tables.Table):
    day = tables.DateColumn()
    short = tables.DateColumn(format="Y-m-d", default="—")
    long = tables.DateColumn(short=False)


class FastDates(BaseTable, Dates):
    pass


def test_a_date_column_is_drawn_as_its_template_drew_it() -> None:
    rows = [
        {
            "day": datetime.date(2024, 3, 5),
            "short": datetime.date(2023, 12, 31),
            "long": datetime.date(2020, 1, 1),
        },
        {"day": datetime.date(2024, 3, 5), "short": None, "long": ""},
        {
            "day": datetime.datetime(2024, 3, 5, 23, 30),
            "short": "不是日期",
            "long": datetime.date(2020, 1, 1),
        },
    ]
    for language in ("zh-hans", "en"):
        with translation.override(language):
            templated = [
                [row.get_cell(name) for name in ("day", "short", "long")]
                for row in Dates(rows).rows
            ]
            fast = FastDates(rows)
            drawn = [[row.get_cell(name) for name in ("day", "short", "long")] for row in fast.rows]
            assert [[str(cell) for cell in row] for row in drawn] == [
                [str(cell) for cell in row] for row in templated
            ]
    assert fast.__dict__["_drawn_dates"]  # formatted once per table


def test_an_order_by_a_relation_s_column_is_a_key_on_the_row() -> None:
    """``batch_id`` orders by the column itself, as Django does, where ``batch`` orders by
    the batch's own order: a key an index of the row serves."""
    from swstation.workforce.models import Payment

    keys = ordering_keys(Payment.objects.order_by("-batch_id", "id"))
    assert keys is not None
    assert [(key.path, key.descending, key.nullable) for key in keys] == [
        ("batch_id", True, False),
        ("pk", False, False),
    ]
    through = ordering_keys(Payment.objects.order_by("batch"))
    assert through is not None and through[0].path == "batch__period_end"
