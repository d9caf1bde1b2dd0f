"""An elderly assessment's diagnoses are personal health data (spec/elderly-assessment-gbt42195.md
§4: "identifiers.md applies"): encrypted at rest, history included; hidden from auditors on the
page, the report, the API and the export; shown to the roles that serve only through a logged
view (the page's button, the printed report, the edit form, the API's reveal action), each
written in the personal-data access log. And the one ICD-10 code splitter."""

import csv
import io
import json
from datetime import date
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.urls import reverse

from swstation.cases.instruments.gbt42195 import split_codes
from swstation.cases.models import ElderlyAssessment
from swstation.core.actors import SYSTEM
from swstation.core.crypto import decrypt
from swstation.core.roles import Role
from swstation.recipients.models import IdentityView
from tests.cases.test_assessments_gbt42195 import (
    EXAMPLES,
    api_client_for,
    client_for,
    create,
)
from tests.cases.test_records_fixtures import CICHENG_VILLAGE, MZT039_HEALTHY_ITEMS, allow_mzt039

pytestmark = pytest.mark.django_db

# A diagnosis nobody would write by chance on a page: found only if it leaked.
SECRET_CODE = "F32.81"


@pytest.mark.parametrize(
    ("given", "codes"),
    [
        ("F00.1, I10", ["F00.1", "I10"]),
        ("F00.1，I10", ["F00.1", "I10"]),  # full-width comma
        ("F00.1、I10", ["F00.1", "I10"]),  # the enumeration comma (the form split it, not the API)
        ("F00.1；I10;E11", ["F00.1", "I10", "E11"]),
        ("  f00.1   i10\n", ["F00.1", "I10"]),
        ("I10, I10, i10", ["I10"]),  # repeats once
        ("", []),
        (None, []),
        (["f32", " I10 ", "", "F32"], ["F32", "I10"]),
        ("F0O, X", ["F0O", "X"]),  # split, not judged: the callers name the bad code
    ],
)
def test_one_splitter_of_icd10_codes(given: Any, codes: list[str]) -> None:
    assert split_codes(given) == codes


def test_the_form_and_the_instrument_read_the_same_codes() -> None:
    """The two splitters disagreed on 、: the API stored a list the form could not have."""
    assessment = create(
        items=EXAMPLES["W9"][1], adjustments={"diagnoses": "F00.1、I10", "falls": 0}
    )
    assert assessment.health_data()["diagnoses"] == ["F00.1", "I10"]
    assert assessment.level == 2  # F00 read as dementia: raised from 1


def with_diagnosis(**overrides: Any) -> ElderlyAssessment:
    _id, items, *_rest = EXAMPLES["W11"]
    return create(
        items=items,
        adjustments={"diagnoses": [SECRET_CODE, "I10"], "by_psychiatrist": True, "falls": 2},
        **overrides,
    )


def raw_columns(table: str, pk_name: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT adjustments, change_reasons, health_data_encrypted FROM {table} "
            f"WHERE {pk_name} = %s",
            [pk],
        )
        return " ".join(str(value) for value in cursor.fetchone())


def test_diagnoses_are_encrypted_at_rest_history_included() -> None:
    assessment = with_diagnosis()
    assert assessment.level == 2 and {r["key"] for r in assessment.change_reasons} == {
        "f_diagnosis",
        "risk_events",
    }
    stored = raw_columns("cases_elderlyassessment", "id", assessment.pk)
    assert SECRET_CODE not in stored and "by_psychiatrist" not in stored
    token = assessment.health_data_encrypted
    assert json.loads(decrypt(token)) == {
        "diagnoses": [SECRET_CODE, "I10"],
        "by_psychiatrist": True,
    }
    for record in assessment.history.all():
        assert SECRET_CODE not in raw_columns(
            "cases_historicalelderlyassessment", "history_id", record.history_id
        )


def test_an_unchanged_diagnosis_keeps_its_ciphertext_and_an_erased_one_leaves_nothing() -> None:
    from swstation.cases.services import records as services

    assessment = with_diagnosis()
    token = assessment.health_data_encrypted
    services.elderly_assessment_update(actor=SYSTEM, assessment=assessment, place="家中")
    assert assessment.health_data_encrypted == token
    services.elderly_assessment_update(
        actor=SYSTEM, assessment=assessment, adjustments={"diagnoses": [], "by_psychiatrist": False}
    )
    assessment.refresh_from_db()
    assert assessment.health_data_encrypted == "" and assessment.level == 2  # 2 falls still raise


def test_an_update_without_the_diagnoses_keeps_them() -> None:
    """An API client that may not read the diagnoses sends the other conditions only."""
    from swstation.cases.services import records as services

    assessment = with_diagnosis()
    services.elderly_assessment_update(
        actor=SYSTEM, assessment=assessment, adjustments={"falls": 0}
    )
    assessment.refresh_from_db()
    assert assessment.health_data()["diagnoses"] == [SECRET_CODE, "I10"]
    assert assessment.level == 2 and [r["key"] for r in assessment.change_reasons] == [
        "f_diagnosis"
    ]


def test_mzt039s_diagnosed_mental_illness_is_health_data_too() -> None:
    allow_mzt039(CICHENG_VILLAGE)
    assessment = create(
        standard="MZ/T 039-2013",
        items=MZT039_HEALTHY_ITEMS,
        adjustments={"mental_illness": "schizophrenia"},
    )
    assert "schizophrenia" not in raw_columns("cases_elderlyassessment", "id", assessment.pk)
    assert assessment.health_data() == {"mental_illness": "schizophrenia"}
    assert assessment.level == 1  # raised by the illness, read from the encrypted data


def log_lines(assessment: ElderlyAssessment) -> list[IdentityView]:
    return list(IdentityView.objects.filter(recipient=assessment.recipient, field="diagnosis"))


def test_the_auditor_sees_no_diagnosis_anywhere(users: dict[str, Any]) -> None:
    assessment = with_diagnosis()
    auditor = users[Role.AUDITOR]
    client = client_for(auditor)
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert SECRET_CODE not in page and "I10" not in page
    assert 'data-hidden="health"' in page and 'id="reveal-health-data"' not in page
    assert "健康数据" in page  # says why it is hidden
    report_url = reverse("cases:elderlyassessment_report", args=[assessment.pk])
    report = client.get(report_url).content.decode()
    assert SECRET_CODE not in report and 'id="report-reveal"' not in report
    # Asking anyway is refused and leaves no line in the log.
    assert client.post(report_url).status_code == 403
    health_url = reverse("cases:elderlyassessment_health_data", args=[assessment.pk])
    assert client.post(health_url).status_code == 403
    api = api_client_for(auditor)
    detail = api.get(reverse("api:elderlyassessment-detail", args=[assessment.pk]))
    assert detail.status_code == 200 and SECRET_CODE not in detail.content.decode()
    reveal = api.post(reverse("api:elderlyassessment-reveal-health-data", args=[assessment.pk]), {})
    assert reveal.status_code == 403 and SECRET_CODE not in reveal.content.decode()
    history = client.get(
        reverse("cases:elderlyassessment_history", args=[assessment.pk])
    ).content.decode()
    assert SECRET_CODE not in history
    assert log_lines(assessment) == []


def test_the_export_and_the_list_carry_no_diagnosis(users: dict[str, Any]) -> None:
    assessment = with_diagnosis()
    for role in (Role.AUDITOR, Role.STATION_MANAGER):
        client = client_for(users[role])
        url = reverse("cases:elderlyassessment_list")
        exported = client.get(url, {"export": "csv"})
        assert exported.status_code == 200
        raw = b"".join(exported.streaming_content) if exported.streaming else exported.content
        text = raw.decode("utf-8-sig")
        assert assessment.recipient.name in text and SECRET_CODE not in text
        rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) >= 2
        api_list = api_client_for(users[role]).get(reverse("api:elderlyassessment-list"))
        assert SECRET_CODE not in api_list.content.decode()


def test_a_worker_sees_the_diagnoses_only_through_a_logged_view(users: dict[str, Any]) -> None:
    assessment = with_diagnosis()
    worker = users[Role.SOCIAL_WORKER]
    client = client_for(worker)
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert SECRET_CODE not in page and 'id="reveal-health-data"' in page
    assert log_lines(assessment) == []  # opening the page is no view of the diagnoses

    url = reverse("cases:elderlyassessment_health_data", args=[assessment.pk])
    shown = client.post(url, {"purpose": "护理计划复核"}).content.decode()
    assert SECRET_CODE in shown and 'id="health-data-logged"' in shown
    # C.4's diagnosis item names the code it read (F32.81, diagnosed by a psychiatrist).
    assert f"({SECRET_CODE})" in shown
    [line] = log_lines(assessment)
    assert line.user == worker and line.kind == "view"
    assert str(assessment.pk) in line.purpose and "护理计划复核" in line.purpose

    report_url = reverse("cases:elderlyassessment_report", args=[assessment.pk])
    report = client.get(report_url).content.decode()
    assert SECRET_CODE not in report and 'id="report-reveal"' in report
    printed = client.post(report_url).content.decode()
    assert SECRET_CODE in printed
    assert len(log_lines(assessment)) == 2


def test_the_edit_form_shows_the_diagnoses_as_a_logged_view(users: dict[str, Any]) -> None:
    assessment = with_diagnosis()
    client = client_for(users[Role.STATION_MANAGER])
    form = client.get(reverse("cases:elderlyassessment_edit", args=[assessment.pk]))
    assert f'value="{SECRET_CODE}, I10"' in form.content.decode()
    [line] = log_lines(assessment)
    assert line.user == users[Role.STATION_MANAGER]
    # An assessment without diagnoses is edited without a line in the log.
    plain = create()
    client.get(reverse("cases:elderlyassessment_edit", args=[plain.pk]))
    assert log_lines(plain) == []


def test_the_api_reveals_the_diagnoses_logged(users: dict[str, Any]) -> None:
    assessment = with_diagnosis()
    api = api_client_for(users[Role.SUPERVISOR])
    answer = api.post(
        reverse("api:elderlyassessment-reveal-health-data", args=[assessment.pk]),
        {"purpose": "督导"},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["health_data"] == {
        "diagnoses": [SECRET_CODE, "I10"],
        "by_psychiatrist": True,
    }
    [line] = log_lines(assessment)
    assert line.user == users[Role.SUPERVISOR] and "督导" in line.purpose
    detail = api.get(reverse("api:elderlyassessment-detail", args=[assessment.pk])).json()
    assert "diagnoses" not in detail["adjustments"]
    assert {"key": "f_diagnosis", "detail": ""} in detail["change_reasons"]


def test_the_migration_moves_clear_diagnoses_into_the_ciphertext() -> None:
    """Rows written before the change (diagnoses in ``adjustments``, codes in C.4's detail), in
    the table and in its history, are rewritten by the migration's data step; its reverse puts
    them back."""
    assessment = with_diagnosis()
    clear = {
        **assessment.adjustments,
        "diagnoses": [SECRET_CODE, "I10"],
        "by_psychiatrist": True,
    }
    reasons = [{"key": "f_diagnosis", "detail": SECRET_CODE}, {"key": "risk_events", "detail": "2"}]
    for model in (ElderlyAssessment, ElderlyAssessment.history.model):
        model.objects.filter(**{"id": assessment.pk}).update(
            adjustments=clear, change_reasons=reasons, health_data_encrypted=""
        )
    migration = import_module("swstation.cases.migrations.0010_elderly_health_data_and_assessors")
    migration.encrypt_health_data(django_apps, None)
    assert SECRET_CODE not in raw_columns("cases_elderlyassessment", "id", assessment.pk)
    for record in ElderlyAssessment.history.model.objects.filter(id=assessment.pk):
        assert SECRET_CODE not in raw_columns(
            "cases_historicalelderlyassessment", "history_id", record.history_id
        )
        assert record.health_data_encrypted
    assessment.refresh_from_db()
    assert assessment.health_data() == {"diagnoses": [SECRET_CODE, "I10"], "by_psychiatrist": True}
    assert assessment.change_reasons[0] == {"key": "f_diagnosis", "detail": ""}

    migration.decrypt_health_data(django_apps, None)
    assessment.refresh_from_db()
    assert assessment.adjustments["diagnoses"] == [SECRET_CODE, "I10"]
    assert assessment.change_reasons[0] == {"key": "f_diagnosis", "detail": SECRET_CODE}
    assert assessment.health_data_encrypted == ""


def test_key_rotation_covers_the_health_data() -> None:
    from swstation.core.crypto import encrypted_models

    labels = {model._meta.label: fields for model, fields in encrypted_models()}
    assert [f.name for f in labels["cases.ElderlyAssessment"]] == ["health_data_encrypted"]
    assert "cases.HistoricalElderlyAssessment" in labels


def test_the_assessment_of_an_unrelated_day_is_not_logged_as_another(
    users: dict[str, Any],
) -> None:
    """Each line names the assessment whose diagnoses were seen."""
    first = with_diagnosis(assessed_on=date(2026, 3, 1))
    second = with_diagnosis(recipient=first.recipient, assessed_on=date(2026, 3, 5))
    client = client_for(users[Role.STATION_MANAGER])
    client.post(reverse("cases:elderlyassessment_health_data", args=[second.pk]))
    [line] = log_lines(first)
    assert "2026-03-05" in line.purpose and f"{second.pk}" in line.purpose
