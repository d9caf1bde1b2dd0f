"""Pages as their users read them (found by looking at screenshots, scripts/screenshots.py):
nothing in English, and nothing that says more than is true."""

import re
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from swstation.core.roles import Role
from swstation.regions.models import Region
from tests.conftest import CICHENG
from tests.recipients.helpers import make_recipient

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_empty_choice_of_a_select_is_chinese(users: dict[str, Any]) -> None:
    body = client_for(users[Role.SOCIAL_WORKER]).get("/recipients/add/").content.decode()
    assert "Select an option" not in body
    assert '<option value="" selected>- 请选择 -</option>' in body


def test_breadcrumbs_are_named_in_chinese(users: dict[str, Any]) -> None:
    region = Region.objects.get(code=CICHENG)
    body = client_for(users[Role.CITY_ADMIN]).get(region.get_absolute_url()).content.decode()
    assert 'aria-label="导航路径"' in body
    assert 'aria-label="breadcrumb"' not in body


def test_after_a_reset_the_current_password_is_asked_for_as_the_temporary_one(
    users: dict[str, Any], make_user: Any
) -> None:
    label = re.compile(r'<label[^>]*for="id_old_password"[^>]*>(.*?)</label>')
    reset = make_user(Role.SOCIAL_WORKER, must_change_password=True)
    found = label.search(client_for(reset).get("/accounts/password/").content.decode())
    assert found is not None and found[1] == "临时密码"
    found = label.search(
        client_for(users[Role.SOCIAL_WORKER]).get("/accounts/password/").content.decode()
    )
    assert found is not None and found[1] == "旧密码"


def test_a_date_of_birth_shown_as_an_age_band_is_labelled_as_an_age(
    users: dict[str, Any],
) -> None:
    person = make_recipient(name="钱阿婆", birth=date(1941, 5, 17))
    auditor = client_for(users[Role.AUDITOR])
    body = auditor.get(person.get_absolute_url()).content.decode()
    label = re.search(
        r'<dt class="col-sm-4">([^<]*)</dt><dd class="col-sm-8" id="birth-date">', body
    )
    assert label is not None and label[1] == "年龄"
    listing = auditor.get("/recipients/").content.decode()
    headers = re.findall(r"<th[^>]*>\s*(?:<a[^>]*>)?([^<]+)", listing)
    assert "年龄" in [header.strip() for header in headers]
    assert "出生日期" not in [header.strip() for header in headers]

    worker = client_for(users[Role.SOCIAL_WORKER])
    body = worker.get(person.get_absolute_url()).content.decode()
    label = re.search(
        r'<dt class="col-sm-4">([^<]*)</dt><dd class="col-sm-8" id="birth-date">', body
    )
    assert label is not None and label[1] == "出生日期"


# --- every model page, as read (issue 10) ----------------------------------------------------
#
# Every page the view registry declares — list, detail, add (empty and sent back with errors),
# edit, delete and history — rendered in Chinese for a user who may see it, with a record of
# each model (made by the ``make_object`` of the model's page tests, as the safe-exports walk
# does). A page fails on any ASCII-only English word or raw field name a person reads: in the
# text, an option, a placeholder, a title or a button; code (``<code>``, monospace), ids, numbers
# and dates are not words.

# Words that are not a translation's miss: names of formats, standards and the product.
ALLOWED_WORDS = frozenset(
    {"SWStation", "API", "Excel", "xlsx", "XLSX", "csv", "CSV", "MZ", "GB", "ID", "English"}
)
# Roles tried for a page, the closest to the records first (the records are in 慈城镇).
ROLE_ORDER = [
    Role.SOCIAL_WORKER,
    Role.STATION_MANAGER,
    Role.DISTRICT_OFFICER,
    Role.CITY_ADMIN,
    Role.SUPERVISOR,
    Role.AUDITOR,
]
WORD = re.compile(r"(?<![A-Za-z0-9_.\-/@])[A-Za-z][A-Za-z_']*[A-Za-z](?![A-Za-z0-9_\-/@])")
READ_ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")


class ReadText(HTMLParser):
    """The text a person reads on a page: text nodes, and the attributes that are read."""

    SKIPPED = frozenset({"script", "style", "code", "pre", "template", "noscript", "kbd"})
    VOID = frozenset(
        {
            "area",
            "base",
            "br",
            "col",
            "embed",
            "hr",
            "img",
            "input",
            "link",
            "meta",
            "source",
            "track",
            "wbr",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is its content skipped
        self.texts: list[str] = []

    @property
    def skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        skipped = (
            self.skipping
            or tag in self.SKIPPED
            or "font-monospace" in (values.get("class") or "").split()
            or values.get("lang") == "en"
            or values.get("translate") == "no"
        )
        if not skipped:
            self.texts += [values[name] or "" for name in READ_ATTRIBUTES if values.get(name)]
            if tag == "input" and values.get("type") in ("submit", "button"):
                self.texts.append(values.get("value") or "")
        if tag not in self.VOID:
            self.stack.append(skipped)

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.texts.append(data)


def english_words(body: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    parser = ReadText()
    parser.feed(body)
    found = []
    for text in parser.texts:
        for word in WORD.findall(text):
            if word not in ALLOWED_WORDS and word not in allowed:
                found.append(word)
    return sorted(set(found))


def test_the_reader_finds_english_and_raw_names_but_not_code_or_numbers() -> None:
    body = (
        '<h1>服务对象: 29906</h1><p>goals: 计划中没有目标</p><select><option value="">'
        "- Select an option -</option></select><td>True</td><span>consent_on</span>"
        '<code>swstation-child-needs-1</code><span class="font-monospace">330205103201</span>'
        '<input placeholder="Search"><script>var notRead = 1;</script><p>2026-01-05 · ¥64,000'
        " · 3302**********123X · Excel · 第3页</p>"
    )
    found = english_words(body)
    assert found == ["Search", "Select", "True", "an", "consent_on", "goals", "option"]


def registered_pages() -> list[Any]:
    import swstation.urls  # noqa: F401  # every app declares its pages
    from swstation.core.views.registry import _REGISTRY

    return [pages for registered in _REGISTRY.values() for pages in registered]


def _record_makers() -> tuple[dict[Any, Any], Any]:
    from tests.core.test_safe_exports import makers, other_makers

    return makers(), other_makers


MAKERS, OTHER_MAKERS = _record_makers()


def page_urls(pages: Any, obj: Any) -> list[tuple[str, str, str]]:
    """(action, method, url) of each page the model declares."""
    prefix = f"{pages.model._meta.app_label}:{pages.model_name}"
    urls: list[tuple[str, str, str]] = []
    for action in pages.actions:
        if action == "list":
            urls.append(("view", "get", reverse(f"{prefix}_list")))
        elif action == "detail":
            urls.append(("view", "get", reverse(prefix, args=[obj.pk])))
        elif action == "edit":
            urls.append(("add", "get", reverse(f"{prefix}_add")))
            urls.append(("add", "post", reverse(f"{prefix}_add")))
            urls.append(("change", "get", reverse(f"{prefix}_edit", args=[obj.pk])))
        elif action == "delete":
            urls.append(("delete", "get", reverse(f"{prefix}_delete", args=[obj.pk])))
        elif action == "history":
            urls.append(("history", "get", reverse(f"{prefix}_history", args=[obj.pk])))
    return urls


@pytest.mark.parametrize("pages", registered_pages(), ids=lambda pages: pages.model.__name__)
def test_every_model_page_reads_in_chinese(
    pages: Any, users: dict[str, Any], make_user: Any
) -> None:
    from swstation.core.permissions import model_permissions

    model = pages.model
    if model in MAKERS:
        maker = MAKERS[model]
        obj = maker().make_object(getattr(maker, "in_scope_code", CICHENG), 1)
    else:
        others = OTHER_MAKERS(make_user)
        assert model in others, f"no make_object for {model.__name__}: its pages are not read"
        obj = others[model](1)
    from swstation.accounts.models import User

    for user in User.objects.all():  # a person reads people's names, not user names
        User.objects.filter(pk=user.pk).update(full_name=f"用户{user.pk}")
    permissions = model_permissions(model)
    problems: dict[str, list[str]] = {}
    read = 0
    for action, method, url in page_urls(pages, obj):
        roles = [role for role in ROLE_ORDER if role in permissions.roles_for(action)]
        for role in roles:
            client = client_for(users[role])
            send = client.post if method == "post" else client.get
            response = send(url, {}, follow=True)
            if response.status_code in (403, 404):
                continue
            assert response.status_code == 200, (method, url, role, response.status_code)
            words = english_words(response.content.decode())
            if words:
                problems[f"{method.upper()} {url} as {role}"] = words
            read += 1
            break
    assert read, f"no page of {model.__name__} could be read"
    assert problems == {}, "\n".join(f"{page}: {words}" for page, words in problems.items())
