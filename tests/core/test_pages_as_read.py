"""Pages as their users read them (found by looking at screenshots, scripts/screenshots.py):
nothing in English, and nothing that says more than is true."""

import re
from datetime import date
from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from swstation.core.roles import Role
from swstation.regions.models import Region
from tests.clients import client_for
from tests.conftest import CICHENG
from tests.recipients.helpers import make_recipient

pytestmark = pytest.mark.django_db


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
    {"SWStation", "API", "Excel", "xlsx", "XLSX", "csv", "CSV", "MZ", "GB", "ID", "ICD", "English"}
    # File formats and the size unit an upload's help text names (照片（JPEG、PNG）…10 MB).
    | {"JPEG", "PNG", "PDF", "Word", "MB"}
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
# A run of ASCII letters (with underscores: a raw field name) of two or more, wherever it
# stands: "swstation-child-needs-1" is three such words; "MZ/T 039-2013" only allowed ones.
# Letters run into digits are an identifier's (a certificate number ZS00000001), not a word.
WORD = re.compile(r"(?<![0-9])[A-Za-z][A-Za-z_']*[A-Za-z](?![0-9])")
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
        " · 3302**********123X · Excel · 第3页 · MZ/T 039-2013 · GB/T 42195-2022</p>"
        "<dd>swstation-child-needs-1</dd>"
    )
    found = english_words(body)
    assert found == [
        "Search", "Select", "True", "an", "child", "consent_on", "goals", "needs", "option",
        "swstation",
    ]  # fmt: skip


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
    # User names are identifiers (the test records name people after them: 社工social_worker_4).
    usernames = frozenset(
        word
        for name in User.objects.values_list("username", flat=True)
        for word in WORD.findall(name)
    )
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
            words = english_words(response.content.decode(), usernames)
            if words:
                problems[f"{method.upper()} {url} as {role}"] = words
            read += 1
            break
    assert read, f"no page of {model.__name__} could be read"
    assert problems == {}, "\n".join(f"{page}: {words}" for page, words in problems.items())


# --- wording (issue 10) -----------------------------------------------------------------------


def test_a_case_opens_it_is_not_built(users: dict[str, Any]) -> None:
    from tests.cases.case_builders import make_case

    case = make_case(CICHENG)
    client = client_for(users[Role.SOCIAL_WORKER])
    for url in (case.get_absolute_url(), f"{case.get_absolute_url()}print/"):
        body = client.get(url).content.decode()
        assert "开案日期" in body and "建成日期" not in body, url


def test_a_persons_name_is_their_full_name(users: dict[str, Any]) -> None:
    from swstation.workforce.models import SocialWorker, Supervisor

    with translation.override("zh-hans"):
        for model in (SocialWorker, Supervisor):
            assert str(model._meta.get_field("name").verbose_name) == "姓名"
    body = client_for(users[Role.SOCIAL_WORKER]).get("/workforce/social-workers/").content
    assert "姓名" in body.decode()


def test_a_rule_of_the_record_says_its_message_not_its_key() -> None:
    from django import forms
    from django.core.exceptions import ValidationError

    from swstation.core.views.generic import add_validation_error

    class AdvanceForm(forms.Form):
        note = forms.CharField(required=False)

    form = AdvanceForm(data={})
    assert form.is_valid()
    add_validation_error(form, ValidationError({"goals": "计划中没有目标：请先添加目标。"}))
    assert form.non_field_errors() == ["计划中没有目标：请先添加目标。"]


def test_the_child_needs_form_is_named_not_coded(users: dict[str, Any]) -> None:
    from tests.cases.case_builders import child_assessment, make_case

    assessment = child_assessment(make_case(CICHENG))
    client = client_for(users[Role.SOCIAL_WORKER])
    for url in (assessment.get_absolute_url(), f"{assessment.get_absolute_url()}history/"):
        body = client.get(url).content.decode()
        assert "swstation-child-needs" not in body, url
    assert "困境儿童需求评估" in client.get(assessment.get_absolute_url()).content.decode()


def test_consent_is_asked_for_in_words_an_import_can_follow() -> None:
    from swstation.recipients.models import Recipient

    with translation.override("zh-hans"):
        messages = [
            str(translation.gettext(text))
            for text in (
                "A consent date is given but consent is not ticked.",
                "A new person's data may be recorded only with their consent (or their "
                "guardian's): tick it and give the date.",
            )
        ]
    assert all("勾选" not in message and "同意" in message for message in messages), messages
    assert Recipient._meta.get_field("consent_given")
