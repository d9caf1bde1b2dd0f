"""Every export carries values that a spreadsheet cannot run, and never markup (issue 16).

A text beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula to
Excel and WPS (a name ``=HYPERLINK("http://x","点此")`` in a roster becomes a live link, and
worse). One function, :func:`swstation.core.export.safe_cell`, neutralises such text with a
leading apostrophe in every cell of every .csv and .xlsx the platform writes; numbers stay
numbers (-5 is exported as the number -5). Cells hold the value, never the HTML a list page
shows (a case number, not ``<a href="/cases/1/">``).

The walk: one record of every model with list pages (made by the ``make_object`` of the
model's page tests), every text field of every such model — region names included — rewritten
to start with a formula prefix, one payment of -5 yuan; then, as the city bureau, every download
link of every list page and of the pages with special exports (cockpit and its charts, district
report, station rollout, certification statistics, a payment list, the import templates) is
followed and every cell checked.
"""

import csv
import html
import importlib
import io
import pkgutil
import re
from decimal import Decimal
from itertools import cycle
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

import tests
from swstation.core.export import FORMULA_PREFIXES, safe_cell
from swstation.core.imports import import_url_for
from swstation.core.roles import Role
from swstation.workforce.models import Payment
from tests.conftest import CICHENG

PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)%?")
MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>|href=")
SRC = Path(__file__).resolve().parents[2] / "src" / "swstation"


# --- the one function ------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", PREFIXES)
def test_text_with_a_formula_prefix_is_neutralised(prefix: str) -> None:
    assert safe_cell(f'{prefix}HYPERLINK("http://x","点此")') == (
        f'\'{prefix}HYPERLINK("http://x","点此")'
    )


def test_numbers_stay_numbers_and_other_text_is_untouched() -> None:
    assert FORMULA_PREFIXES == PREFIXES
    assert safe_cell(-5) == -5
    assert safe_cell(Decimal("-5.00")) == Decimal("-5.00")
    assert safe_cell(-2.5) == -2.5
    assert safe_cell("-5") == "-5"  # a number written as text is no formula
    assert safe_cell("-12.5%") == "-12.5%"
    assert safe_cell("-2+3+cmd|' /C calc'!A0") == "'-2+3+cmd|' /C calc'!A0"
    assert safe_cell("张三") == "张三"
    assert safe_cell("") == ""
    assert safe_cell(None) is None


def test_markup_becomes_its_text() -> None:
    from django.utils.html import format_html

    link = format_html('<a href="{}">{}</a>', "/cases/1/", '=HYPERLINK("x") & 李')
    assert safe_cell(link) == '\'=HYPERLINK("x") & 李'


def test_every_module_writing_a_spreadsheet_uses_the_one_function() -> None:
    writers = []
    for path in SRC.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if "Workbook(" in text or "csv.writer" in text or "WriteOnlyCell(" in text:
            writers.append(path)
            assert "safe_row" in text or "safe_cell" in text, (
                f"{path.relative_to(SRC)} writes a spreadsheet without core.export.safe_row"
            )
    assert len(writers) >= 5


# --- the walk -------------------------------------------------------------------------------


def listed_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("swstation.")
        and getattr(model, "role_permissions", None) is not None
        and not model.__name__.startswith("Historical")
    ]


def makers() -> dict[type[models.Model], Any]:
    """The ``make_object`` of each model's page tests (classes with ``model`` and their own
    ``make_object``, in any test module)."""
    found: dict[type[models.Model], Any] = {}
    for info in pkgutil.walk_packages(tests.__path__, "tests."):
        if not info.name.rsplit(".", 1)[-1].startswith("test_") or info.name == __name__:
            continue
        path = Path(tests.__path__[0]).parent / (info.name.replace(".", "/") + ".py")
        if not path.exists() or "def make_object" not in path.read_text(encoding="utf-8"):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and "make_object" in vars(value)
                and isinstance(getattr(value, "model", None), type)
            ):
                found.setdefault(value.model, value)
    return found


SKIPPED_FIELDS = re.compile(r"(^|_)(code|password|username|language)$|_(encrypted|hash)$")


def poison(model: type[models.Model], prefixes: Any) -> None:
    """Every free text field of every row starts with a formula prefix (the row's own value
    kept after it, so that unique fields stay unique)."""
    fields = [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and not field.primary_key
        and not SKIPPED_FIELDS.search(field.name)
    ]
    if not fields:
        return
    rows = list(model._default_manager.all())
    for field in fields:
        prefix = next(prefixes)
        limit = getattr(field, "max_length", None) or 1000
        for row in rows:
            old = getattr(row, field.attname) or ""
            text = f'{prefix}HYPERLINK("x"){old}' if not field.unique else f"{prefix}{old}"
            setattr(row, field.attname, text[:limit])
    model._default_manager.bulk_update(rows, [field.name for field in fields], batch_size=500)


def download_links(page: str, page_url: str) -> list[str]:
    # A download link, or a list's export link (data-export: no "download" attribute, since a
    # large list answers with the page of its background export).
    links = re.findall(r'<a\b[^>]*\bhref="([^"]+)"[^>]*\b(?:download|data-export)\b', page)
    return sorted({urljoin(page_url, html.unescape(link)) for link in links})


def cells(response: Any) -> list[Any]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("text/csv"):
        rows = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
        return [cell for row in rows for cell in row]
    workbook = load_workbook(io.BytesIO(content))
    found = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                found.append(cell.value)
    return found


# An .xlsx reads a carriage return back as a line feed (XML end-of-line handling): a cell
# written "\r..." is read "\n...".
READ_PREFIXES = (*PREFIXES, "\n")


def check(url: str, values: list[Any]) -> int:
    """Assert no cell can run or carries markup; the number of neutralised cells."""
    neutralised = 0
    for value in values:
        if not isinstance(value, str):
            continue
        assert not (value.startswith(READ_PREFIXES) and not PLAIN_NUMBER.fullmatch(value)), (
            f"{url}: unescaped formula {value!r}"
        )
        assert not MARKUP.search(value), f"{url}: markup in {value!r}"
        if value.startswith("'") and value[1:2] in READ_PREFIXES:
            assert not PLAIN_NUMBER.fullmatch(value[1:]), f"{url}: number escaped: {value!r}"
            neutralised += 1
    return neutralised


def other_makers(make_user: Any) -> dict[type[models.Model], Any]:
    """Models whose page tests make their records with a function of their own."""
    from swstation.recipients.models import DuplicateReview
    from tests.evaluation.records import record_makers
    from tests.recipients.test_duplicate_reviews import make_review

    return {
        DuplicateReview: lambda n: make_review(CICHENG, n, make_user),
        **record_makers(make_user),
    }


@pytest.mark.django_db
def test_every_export_is_safe(users: dict[str, Any], make_user: Any) -> None:
    found = makers()
    others = other_makers(make_user)
    listed = listed_models()
    missing = [model.__name__ for model in listed if model not in found and model not in others]
    listed = [model for model in listed if model in found or model in others]
    for n, model in enumerate(listed, start=1):  # n keeps each maker's records apart
        if model in others:
            others[model](n)
            continue
        maker = found[model]
        maker().make_object(getattr(maker, "in_scope_code", CICHENG), n)
    payment = Payment.objects.select_related("batch").first()
    assert payment is not None
    Payment.objects.filter(pk=payment.pk).update(amount=Decimal("-5"))
    prefixes = cycle(PREFIXES)
    for model in listed:
        poison(model, prefixes)

    client = Client()
    client.force_login(users[Role.CITY_ADMIN])
    pages: list[tuple[str, bool]] = []  # (page, must show a neutralised cell)
    for model in listed:
        meta = model._meta
        pages.append((reverse(f"{meta.app_label}:{meta.model_name}_list"), True))
        # The import pages the city's administrator may use (the employment aid imports only
        # for the stations' staff).
        import_url = import_url_for(users[Role.CITY_ADMIN], model)
        if import_url:
            pages.append((import_url, False))
    pages += [
        (reverse("dashboard:cockpit"), True),
        (reverse("dashboard:report"), True),
        (reverse("stations:rollout"), True),
        (reverse("workforce:statistics"), True),
        (reverse("workforce:paymentbatch_review", args=[payment.batch_id]), True),
    ]

    numbers: dict[str, list[Any]] = {}
    walked = 0
    for page_url, poisoned in pages:
        response = client.get(page_url)
        assert response.status_code == 200, page_url
        links = download_links(response.content.decode(), page_url)
        assert links, f"{page_url} offers no download"
        neutralised = 0
        for link in links:
            download = client.get(link)
            assert download.status_code == 200, link
            values = cells(download)
            neutralised += check(link, values)
            numbers[link] = [v for v in values if isinstance(v, int | float | Decimal)]
            walked += 1
        if poisoned:
            assert neutralised, f"no poisoned text reached the downloads of {page_url}"

    assert walked >= 2 * len(listed) + 10
    # -5 yuan is exported as the number -5 (list export and payment list), and as "-5.00" in CSV
    payment_list = reverse("workforce:payment_list")
    payment_lists = [link for link in numbers if "/export/" in link or payment_list + "?" in link]
    assert any(-5 in numbers[link] for link in payment_lists), payment_lists
    csv_payments = client.get(reverse("workforce:payment_list") + "?export=csv")
    assert "-5.00" in cells(csv_payments)
    assert not missing, f"no make_object for {missing}: the walk cannot make their records"
