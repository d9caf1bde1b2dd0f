"""The home page by role (issue 10): each role sees its own work and not another role's, and the
menu offers each role its own work only."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from swstation.core.navigation import MenuItem, menu_for, offered_to
from swstation.core.roles import ALL_ROLES, Role
from swstation.stations.models import ConstructionStandard, Station
from tests.cases import case_builders as cb

pytestmark = pytest.mark.django_db

# The cards (ids) each home shows; every id listed for another role is absent.
CARDS: dict[str, set[str]] = {
    Role.SOCIAL_WORKER: {"home-record-service", "home-due", "home-cases"},
    Role.STATION_MANAGER: {
        "home-station",
        "home-record-service",
        "home-due",
        "home-workload",
        "home-steps",
        "home-endings",
    },
    Role.SUPERVISOR: {"home-closures", "home-closures-total", "home-steps", "home-supervision"},
    Role.DISTRICT_OFFICER: {
        "home-headline",
        "home-needs",
        "home-reviews-open",
        "home-batches-draft",
        "home-endings",
    },
    Role.CITY_ADMIN: {
        "home-headline",
        "home-needs",
        "home-reviews-open",
        "home-batches-draft",
        "home-subsidies-payable",
        "home-closures-total",
        "home-endings",
    },
    Role.AUDITOR: {"home-headline", "home-needs", "home-access"},
    Role.EVALUATOR: {"home-evaluations", "home-evaluations-total"},
}
ALL_CARDS = set().union(*CARDS.values())


def home(user: Any) -> str:
    client = Client()
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def ids_in(body: str) -> set[str]:
    return set(re.findall(r'id="(home-[a-z-]+)"', body))


@pytest.mark.parametrize("role", list(Role.values))
def test_each_role_sees_its_own_home_and_not_another_roles(
    role: str, users: dict[str, Any]
) -> None:
    cb.station()
    body = home(users[role])
    found = ids_in(body) & ALL_CARDS
    assert found == CARDS[role]
    # The region tree's counts and the quick links to every list are gone from every home.
    assert "Regions in my jurisdiction" not in body and "各级区划" not in body
    assert 'id="my-jurisdiction"' in body


def test_a_social_worker_home_puts_the_service_button_and_due_card_before_the_rest(
    users: dict[str, Any],
) -> None:
    body = home(users[Role.SOCIAL_WORKER])
    main = body[body.index("<main") :]
    assert "登记服务" in main
    assert main.index('id="home-record-service"') < main.index('id="home-due"')
    assert main.index('id="home-due"') < main.index('id="home-cases"')
    assert reverse("cases:servicerecord_quick") in main


def test_a_user_without_a_jurisdiction_is_told_so(make_user: Any) -> None:
    user = make_user(Role.SOCIAL_WORKER)
    user.jurisdiction = None
    user.save(update_fields=["jurisdiction"])
    body = home(user)
    assert "您尚未分配辖区" in body
    assert not ids_in(body) & ALL_CARDS


# --- the menu ----------------------------------------------------------------------------------


def menu_urls(user: Any) -> set[str]:
    return {item["url"] for group in menu_for(user) for item in group["items"]}


POLICY_AND_REFERENCE_PAGES = {
    "stations:constructionstandard_list",  # 建设标准
    "stations:subsidypolicy_list",  # 补助政策
    "workforce:rewardpolicy_list",  # 奖补政策
    "api-docs",
    "regions:region_list",
    "stations:rollout",
    "workforce:statistics",
}


def test_a_social_worker_is_offered_their_own_work_only(users: dict[str, Any]) -> None:
    urls = menu_urls(users[Role.SOCIAL_WORKER])
    for name in POLICY_AND_REFERENCE_PAGES | {"stations:station_list", "accounts:user_list"}:
        assert reverse(name) not in urls, name
    for name in (
        "recipients:recipient_list",
        "cases:case_list",
        "cases:due",
        "cases:servicerecord_list",
        "cases:visitschedule_list",
        "cases:elderlyassessment_list",
        "workforce:supervisionsession_list",
    ):
        assert reverse(name) in urls, name
    body = home(users[Role.SOCIAL_WORKER])
    assert f'href="{reverse("api-docs")}"' not in body


@pytest.mark.parametrize(
    ("role", "offered"),
    [
        (Role.CITY_ADMIN, POLICY_AND_REFERENCE_PAGES),
        (Role.DISTRICT_OFFICER, POLICY_AND_REFERENCE_PAGES),
        (Role.AUDITOR, POLICY_AND_REFERENCE_PAGES - {"api-docs"}),
        (Role.STATION_MANAGER, set()),
        (Role.SUPERVISOR, set()),
        (Role.SOCIAL_WORKER, set()),
    ],
)
def test_policy_and_reference_pages_are_offered_to_the_roles_that_keep_or_audit_them(
    role: str, offered: set[str], users: dict[str, Any]
) -> None:
    urls = menu_urls(users[role])
    assert {name for name in POLICY_AND_REFERENCE_PAGES if reverse(name) in urls} == offered
    body = home(users[role])
    assert (f'href="{reverse("api-docs")}"' in body) == ("api-docs" in offered)


def test_each_role_still_reaches_its_work_from_the_menu(users: dict[str, Any]) -> None:
    assert reverse("stations:station_list") in menu_urls(users[Role.STATION_MANAGER])
    # The subsidies are grants (funds, issue 12), in the funds' menu.
    assert reverse("funds:grant_list") in menu_urls(users[Role.STATION_MANAGER])
    assert reverse("workforce:socialworker_list") in menu_urls(users[Role.STATION_MANAGER])
    supervisor = menu_urls(users[Role.SUPERVISOR])
    assert reverse("workforce:supervisionsession_list") in supervisor
    assert reverse("cases:case_list") in supervisor
    assert reverse("workforce:paymentbatch_list") in menu_urls(users[Role.DISTRICT_OFFICER])


def test_policy_data_without_declared_roles_goes_to_the_roles_that_may_change_it(
    users: dict[str, Any],
) -> None:
    item = MenuItem("g", "l", "stations:constructionstandard_list", "x", ConstructionStandard)
    assert offered_to(item, users[Role.CITY_ADMIN])
    for role in set(Role.values) - {Role.CITY_ADMIN}:
        assert not offered_to(item, users[role]), role
    # Other data without declared roles: every role that may view it.
    anyone = MenuItem("g", "l", "stations:station_list", "x", Station)
    assert all(offered_to(anyone, users[role]) for role in ALL_ROLES)
    # The third-party evaluator is not of the network: the stations list is not theirs.
    assert not offered_to(anyone, users[Role.EVALUATOR])
    # Declared roles narrow, and never open a page the role may not view.
    narrowed = MenuItem("g", "l", "stations:station_list", "x", Station, roles=frozenset())
    assert not any(offered_to(narrowed, users[role]) for role in Role.values)


def test_the_import_synonyms_are_offered_to_the_bureaus_only(users: dict[str, Any]) -> None:
    synonyms = reverse("core:importsynonym_list")
    for role in Role.values:
        offered = synonyms in menu_urls(users[role])
        assert offered == (role in {Role.CITY_ADMIN, Role.DISTRICT_OFFICER}), role


def test_the_five_party_linkage_apps_share_one_menu_entry_with_a_heading_each(
    users: dict[str, Any],
) -> None:
    """Groups and community work, volunteers, partners and referrals are one top-level entry
    (五社联动) with a heading per app, so that the busiest role's menu bar fits a desktop."""
    groups = {str(group["label"]): group for group in menu_for(users[Role.SOCIAL_WORKER])}
    linkage = groups["五社联动"]
    sections = [str(item["section"]) for item in linkage["items"]]
    assert sections[0] == "小组与社区工作"
    assert list(dict.fromkeys(sections)) == ["小组与社区工作", "志愿者", "合作伙伴与转介"]
    assert not {"志愿者", "合作伙伴与转介", "小组与社区工作"} & set(groups)
    assert home(users[Role.SOCIAL_WORKER]).count('class="dropdown-header"') >= 3


def test_an_auditors_home_counts_the_personal_data_accesses_from_the_log(
    users: dict[str, Any],
) -> None:
    """What needs an auditor is the access log (issue 10, "Auditing"): its lines of the last
    30 days, the exports among them and the users, each from the log and linked to it."""
    from swstation.recipients.services import personal_data_access_log
    from tests.recipients.helpers import make_recipient

    def figures() -> tuple[int, int, int]:
        body = home(users[Role.AUDITOR])
        return tuple(  # type: ignore[return-value]
            int(re.search(rf'id="home-access-{name}">(\d+)<', body).group(1))  # type: ignore[union-attr]
            for name in ("lines", "exports", "users")
        )

    before = figures()
    person = make_recipient(name="被查看者", phone="13900001111")
    for role in (Role.SOCIAL_WORKER, Role.STATION_MANAGER):
        personal_data_access_log(actor=users[role], field="phone", recipient=person, purpose="回访")
    assert figures() == (before[0] + 2, before[1], before[2] + 2)
    body = home(users[Role.AUDITOR])
    assert reverse("recipients:identityview_list") + "?viewed_after=" in body
