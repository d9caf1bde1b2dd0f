"""A record's history reads as people speak (issue 10: history pages showed "服务对象: 29906",
"社工站: 37", "True"): a related record by its name, a yes/no as 是/否, a choice by its label,
over a few models of different apps; and the access log's own history names the person."""

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client

from swstation.cases.models import VisitSchedule
from swstation.core.history import history_entries, save_with_history
from swstation.core.roles import Role
from swstation.recipients.models import Recipient
from swstation.recipients.services import personal_data_access_log, recipient_update
from swstation.workforce.services.people import social_worker_update
from tests.cases.case_builders import make_case, service_record, worker
from tests.conftest import CICHENG
from tests.recipients.helpers import make_recipient

pytestmark = pytest.mark.django_db


def history_of(user: Any, obj: Any) -> str:
    client = Client()
    client.force_login(user)
    url = obj.get_absolute_url().rstrip("/") + "/history/"
    response = client.get(url)
    assert response.status_code == 200, url
    body: str = response.content.decode()
    return body[body.index('id="history-table"') :]


def assert_reads_as_labels(body: str, *pks: int) -> None:
    # "<strong>服务对象</strong>: 29906": a number where a name belongs
    for pk in pks:
        assert not re.search(rf"</strong>:\s*(<del[^>]*>)?{pk}(</del>)?\s*(→|</li>)", body), pk
    for raw in ("True", "False", "None", "home_visit", "intake"):
        assert f">{raw}<" not in body and f": {raw}" not in body, raw


def test_a_service_record_and_a_case_name_their_people(users: dict[str, Any]) -> None:
    case = make_case(CICHENG)
    record = service_record(case, date(2026, 3, 2))
    other = worker(CICHENG, name="接手社工")
    record.worker = other
    save_with_history(record, actor=users[Role.STATION_MANAGER])
    manager = users[Role.STATION_MANAGER]

    body = history_of(manager, record)
    for name in (case.recipient.name, case.station.name, "接手社工", case.worker.name, "入户探访"):
        assert name in body, name
    assert_reads_as_labels(body, case.recipient_id, case.station_id, other.pk, case.worker_id)

    body = history_of(manager, case)
    assert case.recipient.name in body and case.supervisor.name in body
    assert_reads_as_labels(body, case.recipient_id, case.station_id, case.supervisor_id)


def test_a_history_is_a_list_of_cards_on_a_phone(users: dict[str, Any]) -> None:
    """On a phone each entry is a card with labelled lines, not a squeezed four-column
    table (site.css: ``table-cards``)."""
    person = make_recipient(name="卡片对象")
    client = Client()
    client.force_login(users[Role.STATION_MANAGER])
    page = client.get(person.get_absolute_url().rstrip("/") + "/history/").content.decode()
    table = page[page.rindex("<table", 0, page.index('id="history-table"')) :]
    table = table[: table.index("</table>")]
    assert "table-cards" in table[: table.index(">")]
    assert table.count("data-label=") == 3  # who, what, changes of the one entry


def test_a_yes_or_no_reads_as_是_or_否(users: dict[str, Any]) -> None:
    case = make_case(CICHENG)
    plan = VisitSchedule.objects.create(
        recipient=case.recipient,
        worker=case.worker,
        service_type="home_visit",
        times_per_month=2,
        starts_on=date(2026, 1, 5),
    )
    plan.active = False
    plan.deactivated_on = date(2026, 6, 1)
    save_with_history(plan, actor=users[Role.STATION_MANAGER])
    body = history_of(users[Role.STATION_MANAGER], plan)
    assert '<del class="text-muted">是</del> → 否' in body
    # "每月次数: 2" is a count: an id that happens to be 2 would read as one.
    ids = (case.recipient_id, case.worker_id)
    assert_reads_as_labels(body, *(pk for pk in ids if pk != plan.times_per_month))


def test_a_recipient_and_an_access_log_line(users: dict[str, Any]) -> None:
    person = make_recipient(name="历史对象", phone="13900001234")
    line = personal_data_access_log(
        actor=users[Role.SOCIAL_WORKER], field="phone", recipient=person, purpose="回访"
    )
    body = history_of(users[Role.STATION_MANAGER], person)
    assert "是" in body  # consent given
    assert_reads_as_labels(body, person.region_id)
    body = history_of(users[Role.DISTRICT_OFFICER], line)
    assert "历史对象" in body and "电话" in body and "查看完整信息" in body
    assert person.region.name in body and str(users[Role.SOCIAL_WORKER]) in body
    assert_reads_as_labels(body)  # its numbers are small: "人数: 1" is a count, not an id


def test_a_changed_phone_or_number_leaves_a_masked_line(users: dict[str, Any]) -> None:
    """A number kept encrypted shows in the history by its masked copy (issue 10: a changed
    phone left no line, the masked copies not being editable fields), whoever reads it, and
    never in full; a new number whose masked copy reads the same still leaves a line."""
    manager = users[Role.STATION_MANAGER]
    person = make_recipient(name="换号对象", phone="13900001234")
    recipient_update(actor=manager, recipient=person, phone="13811115678")
    body = history_of(manager, person)
    assert "139****1234" in body and "138****5678" in body
    # A line per change a person made: no bookkeeping (the creation time is the first line's).
    created_label = str(Recipient._meta.get_field("created_at").verbose_name)
    assert f"<strong>{created_label}</strong>" not in body
    assert "13811115678" not in body and "13900001234" not in body

    recipient_update(actor=manager, recipient=person, phone="13822225678")  # 138****5678 too
    entries = history_entries(person, manager)
    phone_label = str(Recipient._meta.get_field("phone_masked").verbose_name)
    assert [(c.old, c.new) for c in entries[0].changes if c.field == phone_label] == [
        ("138****5678", "138****5678")
    ]
    # The ciphertexts and the lookup hashes themselves never show.
    assert not any("hash" in c.field or "encrypted" in c.field for c in entries[0].changes)

    staff = worker(CICHENG, name="换卡社工")
    social_worker_update(actor=manager, social_worker=staff, bank_account="6222020200112233445")
    body = history_of(manager, staff)
    assert "6222***********3445" in body and "6222020200112233445" not in body
