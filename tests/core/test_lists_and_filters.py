"""Lists and filters in people's language (issue 10): every list page's filters pick a region
from the tree or by name and a related record by its name (never a code or a number to type),
read "全部" when empty (never "---------" or "未知"), show what is applied as chips that each
remove their filter; a list is a list of cards on a phone; the pickers' search answers only
with what the user may see; a history names related records and says 是/否."""

import html
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from swstation.cases.models import Case
from swstation.core.actors import SYSTEM
from swstation.core.history import history_entries, save_with_history
from swstation.core.roles import Role
from swstation.regions.models import Region
from tests.cases import case_builders
from tests.clients import client_for
from tests.conftest import CICHENG, CICHENG_VILLAGE, JIANGBEI, YUEHU

pytestmark = pytest.mark.django_db

PLACEHOLDERS = ("---------", "未知", "Unknown", "Select an option")


def list_pages() -> list[Any]:
    import swstation.urls  # noqa: F401  # every app declares its pages
    from swstation.core.views.registry import _REGISTRY

    return [
        pages
        for registered in _REGISTRY.values()
        for pages in registered
        if "list" in pages.actions and pages.filterset is not None
    ]


def filter_form(body: str) -> str:
    found = re.search(r'<form[^>]*id="filter-form".*?</form>', body, re.S)
    assert found is not None, "no filter form"
    return found[0]


@pytest.mark.parametrize("pages", list_pages(), ids=lambda pages: pages.model.__name__)
def test_every_list_filter_speaks_peoples_language(pages: Any, users: dict[str, Any]) -> None:
    from swstation.core.permissions import model_permissions

    readers = model_permissions(pages.model).roles_for("view")
    role = next(r for r in (Role.CITY_ADMIN, Role.DISTRICT_OFFICER, Role.AUDITOR) if r in readers)
    meta = pages.model._meta
    response = client_for(users[role]).get(reverse(f"{meta.app_label}:{meta.model_name}_list"))
    assert response.status_code == 200
    form = filter_form(response.content.decode())
    for placeholder in PLACEHOLDERS:
        assert placeholder not in form, placeholder
    labels = [html.unescape(label) for label in re.findall(r"<label[^>]*>([^<]*)</label>", form)]
    assert labels
    for label in labels:
        assert "ID" not in label and "区划代码" not in label and "辖区代码" not in label, label
    # No record number or division code to type: those filters are pickers by name.
    for name in re.findall(r'<input[^>]*type="(?:number|text)"[^>]*name="([^"]+)"', form):
        assert name not in (
            "region_code",
            "jurisdiction_code",
            "parent_code",
            "code_prefix",
            "code",
            "recipient",
            "worker",
            "case",
            "social_worker",
            "assessor",
            "household",
            "course",
            "training_class",
            "supervisor",
        ), name
    # Booleans read 全部 / 是 / 否.
    for select in re.findall(r"<select[^>]*>.*?</select>", form, re.S):
        if 'value="true"' in select:
            assert ">全部</option>" in select and ">是</option>" in select


def test_the_region_filter_is_a_tree_to_browse_and_search(users: dict[str, Any]) -> None:
    officer = client_for(users[Role.DISTRICT_OFFICER])  # 江北区
    form = filter_form(officer.get("/recipients/").content.decode())
    select = re.search(r'<select[^>]*name="region_code".*?</select>', form, re.S)
    assert select is not None
    tree = select[0]
    assert 'data-search="tree"' in tree
    assert 'data-search-url="/choices/regions/region/?value=code"' in tree
    assert f'value="{JIANGBEI}"' in tree and f'value="{CICHENG}"' in tree
    assert 'data-depth="1"' in tree  # the towns under the district
    assert f'value="{YUEHU}"' not in tree  # another district's town
    assert f'value="{CICHENG_VILLAGE}"' not in tree  # villages: found by name

    worker = client_for(users[Role.SOCIAL_WORKER])  # 慈城镇: its villages to browse
    form = filter_form(worker.get("/recipients/").content.decode())
    assert f'value="{CICHENG_VILLAGE}"' in form


def test_choices_answer_by_name_within_the_jurisdiction(users: dict[str, Any]) -> None:
    village = Region.objects.get(code=CICHENG_VILLAGE)
    officer = client_for(users[Role.DISTRICT_OFFICER])
    answer = officer.get("/choices/regions/region/", {"q": village.name, "value": "code"})
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert {"value": CICHENG_VILLAGE, "text": f"慈城镇 / {village.name}"} in results
    assert all(r["value"].startswith("330205") for r in results)
    # Outside the jurisdiction: nothing, however well named.
    assert officer.get("/choices/regions/region/", {"q": "月湖"}).json()["results"] == []

    mine = case_builders.worker(CICHENG, name="孙晓燕")
    case_builders.worker(YUEHU, name="孙晓燕")  # 海曙区: not the officer's
    found = officer.get("/choices/workforce/socialworker/", {"q": "孙晓"}).json()["results"]
    assert found == [{"value": mine.pk, "text": "孙晓燕"}]
    # Only a unique field may be the value; an unknown model or one without pages: 404.
    assert officer.get("/choices/workforce/socialworker/", {"value": "name"}).status_code == 404
    assert officer.get("/choices/workforce/nothing/").status_code == 404
    assert Client().get("/choices/workforce/socialworker/").status_code in (302, 403)


def test_a_search_collapses_into_chips_each_removing_its_filter(users: dict[str, Any]) -> None:
    worker = case_builders.worker(CICHENG, name="钱社工")
    client = client_for(users[Role.DISTRICT_OFFICER])
    response = client.get(
        "/cases/services/",
        {"worker": worker.pk, "region_code": CICHENG, "service_type": "home_visit", "q": "探访"},
    )
    body = response.content.decode()
    panel = re.search(r'<details[^>]*id="filter-panel"[^>]*>', body)
    assert panel is not None and " open" not in panel[0]  # closed: the chips say it all
    chips = re.findall(r'<a class="filter-chip[^"]*" href="([^"]*)"[^>]*>(.*?)</a>', body, re.S)
    texts = [
        re.sub(r'<span class="visually-hidden">.*?</span>|<[^>]+>|\s+', "", text)
        for _, text in chips
    ]
    assert "社工：钱社工" in texts
    assert "区划：江北区/慈城镇" in texts
    assert "服务类型：入户探访" in texts
    assert "搜索：探访" in texts
    removing_worker = html.unescape(chips[[t.startswith("社工") for t in texts].index(True)][0])
    assert "worker=" not in removing_worker and "region_code=" + CICHENG in removing_worker
    # The picker shows the chosen worker by name, not the number.
    assert f'<option value="{worker.pk}" selected>钱社工</option>' in body
    # Nothing applied: the panel is open and there are no chips.
    plain = client.get("/cases/services/").content.decode()
    assert "filter-chip" not in plain
    panel = re.search(r'<details[^>]*id="filter-panel"[^>]*>', plain)
    assert panel is not None and panel[0].endswith("open>")


def test_a_region_picked_filters_everything_in_it(users: dict[str, Any]) -> None:
    """The picker sends a full code (330205103000 for 慈城镇): the list holds the records of
    its villages, as a prefix (330205103) did; the API takes either."""
    from tests.recipients.helpers import make_recipient

    inside = make_recipient(CICHENG_VILLAGE, name="镇内对象")
    client = client_for(users[Role.DISTRICT_OFFICER])
    for code in (CICHENG, CICHENG[:9], JIANGBEI):
        body = client.get("/recipients/", {"region_code": code}).content.decode()
        assert inside.name in body, code
        api = client.get("/api/v1/recipients/", {"region_code": code}).json()
        assert inside.pk in [row["id"] for row in api["results"]], code
    body = client.get("/recipients/", {"region_code": "330205001000"}).content.decode()
    assert inside.name not in body  # another town of 江北区


def test_a_worker_outside_the_jurisdiction_is_not_named_by_a_chip(
    users: dict[str, Any],
) -> None:
    elsewhere = case_builders.worker(YUEHU, name="周外区")
    body = (
        client_for(users[Role.DISTRICT_OFFICER])
        .get("/cases/services/", {"worker": elsewhere.pk})
        .content.decode()
    )
    assert "周外区" not in body


def test_a_list_is_a_list_of_cards_on_a_phone(users: dict[str, Any]) -> None:
    case_builders.make_case(CICHENG)
    body = client_for(users[Role.DISTRICT_OFFICER]).get("/cases/").content.decode()
    assert re.search(r'<table[^>]*class="[^"]*table-cards', body)
    headers = [h.strip() for h in re.findall(r"<th[^>]*>\s*(?:<a[^>]*>)?([^<]+)", body)]
    labels = re.findall(r'<td[^>]*data-label="([^"]*)"', body)
    assert labels and set(labels) <= set(headers)


def test_history_names_related_records_and_reads_yes_or_no(users: dict[str, Any]) -> None:
    case = case_builders.make_case(CICHENG)
    before = str(case.worker)
    other = case_builders.worker(CICHENG, name="吴接手")
    case.worker = other
    save_with_history(case, actor=SYSTEM)
    with translation.override("zh-hans"):
        entries = history_entries(Case.objects.get(pk=case.pk), users[Role.CITY_ADMIN])
    changed = {c.field: (c.old, c.new) for c in entries[0].changes}
    assert changed["责任社工"][1] == "吴接手", changed
    assert changed["责任社工"][0] == before
    created = {c.field: c.new for c in entries[-1].changes}
    assert created["服务对象"] == str(case.recipient)
    assert created["社工站"] == str(case.station)
    body = client_for(users[Role.CITY_ADMIN]).get(f"/cases/{case.pk}/history/").content.decode()
    assert "吴接手" in body
    assert str(case.recipient) in body


def test_history_of_a_yes_no_field(users: dict[str, Any]) -> None:
    from swstation.workforce.models import SocialWorker

    worker = case_builders.worker(CICHENG, name="郑社工", is_fulltime=False)
    worker.is_fulltime = True
    save_with_history(worker, actor=SYSTEM)
    with translation.override("zh-hans"):
        entries = history_entries(SocialWorker.objects.get(pk=worker.pk), users[Role.CITY_ADMIN])
        label = str(SocialWorker._meta.get_field("is_fulltime").verbose_name)
    changed = {c.field: (c.old, c.new) for c in entries[0].changes}
    assert changed[label] == ("否", "是")


def test_a_region_sent_as_a_prefix_reads_as_its_name(users: dict[str, Any]) -> None:
    """The cockpit's links send a region as the prefix its descendants share (330205): the
    chip names the region, never the digits."""
    client = client_for(users[Role.DISTRICT_OFFICER])
    for code, name in ((CICHENG[:9], "区划：江北区/慈城镇"), (JIANGBEI[:6], "区划：江北区")):
        body = client.get("/cases/services/", {"region_code": code}).content.decode()
        chips = re.findall(r'<a class="filter-chip[^"]*" href="[^"]*"[^>]*>(.*?)</a>', body, re.S)
        texts = [
            re.sub(r'<span class="visually-hidden">.*?</span>|<[^>]+>|\s+', "", text)
            for text in chips
        ]
        assert name in texts, (code, texts)
        assert f"区划：{code}" not in texts
