"""Personal-data keys: required with DEBUG off, several at once, rotated by a command that
re-encrypts every declared encrypted field (history included) and can recompute the lookup
hashes; the restore check reads every encrypted value back."""

from io import StringIO
from typing import Any

import pytest
from cryptography.fernet import InvalidToken
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import translation

from swstation.core import crypto
from swstation.core.checks import encrypted_fields_declared, personal_data_keys
from swstation.core.import_models import ImportJob
from swstation.core.management.commands.verify_restore import check_encrypted
from swstation.core.roles import Role
from swstation.recipients.models import Recipient
from tests.recipients.helpers import id_number, make_recipient

# Fixed keys (test data, never used elsewhere): random ones would name the parametrized tests
# differently on each xdist worker, which then refuses to run them.
KEY_A = "GpXbQ3d1r0H1m8v7Jf1b5eO5uQ3aYV8wq7C2m1o9Z0k="
KEY_B = "r5Y1y6cK7Qm0mX2o8H4e3W9tB1n6S8dV0pL2aZ4fJ7U="
KEY_C = "Qf3kT8vN1cP6yR2bX9wM4hJ7dL0sA5gE3uZ1nK8oY6I="
HASH_1 = "tX4mB8qW2eR6yU0iO3pA7sD1fG5hJ9kL2zC6vN0mQ4w="
HASH_2 = "nH7jK1lZ5xC9vB3nM6qW0eR4tY8uI2oP5aS9dF3gH7j="
HistoricalRecipient = Recipient.history.model


def keys(*encryption: str, hash_key: str = HASH_1) -> Any:
    return override_settings(PERSONAL_DATA_KEYS=list(encryption), PERSONAL_DATA_HASH_KEY=hash_key)


def rotate(*args: str) -> str:
    out = StringIO()
    call_command("rotate_personal_data_keys", *args, stdout=out)
    return out.getvalue()


# --- keys required, validated -------------------------------------------------------------


@pytest.mark.parametrize(
    ("encryption", "hash_key", "problem"),
    [
        ([], HASH_1, "PERSONAL_DATA_KEYS is not set."),
        ([KEY_A, "not-a-fernet-key"], HASH_1, "key 2 of 2 is not a Fernet key"),
        ([KEY_A], "", "PERSONAL_DATA_HASH_KEY is not set."),
        ([KEY_A], "short", "shorter than 32 characters"),
        ([KEY_A], KEY_A, "must differ from the encryption keys"),
    ],
)
def test_the_check_refuses_missing_or_malformed_keys_with_debug_off(
    encryption: list[str], hash_key: str, problem: str
) -> None:
    with override_settings(
        DEBUG=False, PERSONAL_DATA_KEYS=encryption, PERSONAL_DATA_HASH_KEY=hash_key
    ):
        errors = personal_data_keys()
    assert [error.id for error in errors] == ["swstation.E001"]
    assert problem in errors[0].msg
    assert "Fernet.generate_key" in (errors[0].hint or "")


def test_the_check_accepts_good_keys_and_anything_with_debug_on() -> None:
    with override_settings(DEBUG=False), keys(KEY_B, KEY_A):
        assert personal_data_keys() == []
    with override_settings(DEBUG=True, PERSONAL_DATA_KEYS=[], PERSONAL_DATA_HASH_KEY=""):
        assert personal_data_keys() == []


def test_keys_are_never_made_up_with_debug_off() -> None:
    """gunicorn runs no system checks: the first use of a key refuses too."""
    with override_settings(DEBUG=False, PERSONAL_DATA_KEYS=[], PERSONAL_DATA_HASH_KEY=""):
        with pytest.raises(ImproperlyConfigured, match="PERSONAL_DATA_KEYS"):
            crypto.encrypt("330205195001010011")
        with pytest.raises(ImproperlyConfigured, match="PERSONAL_DATA_HASH_KEY"):
            crypto.lookup_hash("330205195001010011")
    with override_settings(DEBUG=True, PERSONAL_DATA_KEYS=[], PERSONAL_DATA_HASH_KEY=""):
        token = crypto.encrypt("330205195001010011")
        assert crypto.decrypt(token) == "330205195001010011"


def test_the_first_key_encrypts_and_every_key_decrypts() -> None:
    with keys(KEY_A):
        under_a = crypto.encrypt("13800138000")
    with keys(KEY_B, KEY_A):
        assert crypto.decrypt(under_a) == "13800138000"
        under_b = crypto.encrypt("13800138000")
    with keys(KEY_B):
        assert crypto.decrypt(under_b) == "13800138000"
        with pytest.raises(InvalidToken):
            crypto.decrypt(under_a)
    with keys(KEY_A), pytest.raises(InvalidToken):
        crypto.decrypt(under_b)


def test_the_hash_depends_on_the_hash_key_only() -> None:
    with keys(KEY_A, hash_key=HASH_1):
        first = crypto.lookup_hash("13800138000")
    with keys(KEY_B, hash_key=HASH_1):
        assert crypto.lookup_hash("13800138000") == first
    with keys(KEY_A, hash_key=HASH_2):
        assert crypto.lookup_hash("13800138000") != first


# --- the registry ---------------------------------------------------------------------------


def test_every_encrypted_field_is_declared() -> None:
    """A field named or labelled "encrypted" is listed in its model's encrypted_fields (history
    models inherit the list), so that rotation and restore checks cover it."""
    undeclared = []
    for model in apps.get_models():
        declared = {field.name for field in crypto.declared_fields(model)}
        for field in model._meta.concrete_fields:
            with translation.override(None):  # the English msgid of the label
                label = f"{field.name} {field.verbose_name}".lower()
            if "encrypted" in label and field.name not in declared:
                undeclared.append(f"{model._meta.label}.{field.name}")
    assert undeclared == []
    found = {model._meta.label for model, _fields in crypto.encrypted_models()}
    assert {"recipients.Recipient", "recipients.HistoricalRecipient", "core.ImportJob"} <= found


def test_a_declared_field_that_does_not_exist_is_an_error(monkeypatch: Any) -> None:
    assert encrypted_fields_declared() == []
    monkeypatch.setattr(
        Recipient,
        "encrypted_fields",
        (*Recipient.encrypted_fields, crypto.EncryptedField("iban_encrypted")),
    )
    errors = encrypted_fields_declared()
    assert {(error.id, error.obj) for error in errors} == {
        ("swstation.E002", Recipient),
        ("swstation.E002", HistoricalRecipient),
    }


# --- rotation -------------------------------------------------------------------------------


def _people(users: dict[str, Any]) -> list[tuple[Recipient, str, str]]:
    actor = users[Role.SOCIAL_WORKER]
    made = []
    for serial, phone in ((11, "13800138011"), (12, ""), (13, "13800138013")):
        number = id_number(serial=serial)
        made.append(
            (
                make_recipient(name=f"轮换{serial}", actor=actor, number=number, phone=phone),
                number,
                phone,
            )
        )
    return made


def _tokens() -> dict[tuple[str, int, str], Any]:
    found = {}
    for model, fields in crypto.encrypted_models():
        for row in model._base_manager.all():
            for field in fields:
                found[(model._meta.label, row.pk, field.name)] = getattr(row, field.name)
    return found


def _clear(model: Any, pk: int, name: str) -> str:
    row = model._base_manager.get(pk=pk)
    if name == "content":
        return crypto.decrypt_bytes(bytes(row.content)).decode()
    return crypto.decrypt(getattr(row, name))


@pytest.mark.django_db
def test_rotation_reencrypts_everything_and_the_old_key_can_go(users: dict[str, Any]) -> None:
    with keys(KEY_A):
        people = _people(users)
        job = ImportJob.objects.create(
            importer="recipients", route="recipients:recipient", file_name="台账.xlsx",
            created_by=users[Role.SOCIAL_WORKER], content=crypto.encrypt_bytes(b"workbook"),
        )  # fmt: skip
        before = _tokens()
        history = HistoricalRecipient.objects.count()
        updated = {r.pk: r.updated_at for r in Recipient.objects.all()}

    with keys(KEY_B, KEY_A):
        output = rotate("--batch-size", "2")
    assert "recipients.Recipient: 2 rows read, 2 rewritten, up to pk" in output
    assert f"(resume: --model recipients.Recipient --after-pk {people[1][0].pk})" in output
    assert "recipients.HistoricalRecipient: 3 rows read, 3 rewritten" in output
    assert "core.ImportJob: 1 rows read, 1 rewritten" in output

    after = _tokens()
    assert after.keys() == before.keys()
    assert all(after[key] != value for key, value in before.items() if value)

    with keys(KEY_B):  # key A is gone: everything still reads
        for recipient, number, phone in people:
            versions = HistoricalRecipient.objects.filter(id=recipient.pk)
            rows = [(Recipient, recipient.pk), *((HistoricalRecipient, h.pk) for h in versions)]
            for model, pk in rows:
                assert _clear(model, pk, "id_number_encrypted") == number
                assert _clear(model, pk, "phone_encrypted") == phone
        assert _clear(ImportJob, job.pk, "content") == "workbook"
        # No history noise, no "changed" stamp, and search by number unchanged (same hash key).
        assert HistoricalRecipient.objects.count() == history
        assert {r.pk: r.updated_at for r in Recipient.objects.all()} == updated
        assert Recipient.objects.get(id_number_hash=crypto.lookup_hash(people[0][1]))
        # A second run finds nothing left to do.
        # (every table of a model declaring encrypted fields is read, empty ones too)
        tables = len(list(crypto.encrypted_models()))
        assert f"Done: 7 rows read, 0 rewritten in {tables} tables." in rotate()


@pytest.mark.django_db
def test_rotation_resumes_after_a_primary_key(users: dict[str, Any]) -> None:
    with keys(KEY_A):
        people = _people(users)
    first = people[0][0]
    with keys(KEY_B, KEY_A):
        output = rotate("--model", "recipients.Recipient", "--after-pk", str(first.pk))
    assert "recipients.Recipient: 2 rows read, 2 rewritten" in output
    assert "HistoricalRecipient" not in output
    with keys(KEY_B):
        assert _clear(Recipient, people[1][0].pk, "id_number_encrypted") == people[1][1]
        with pytest.raises(InvalidToken):
            _clear(Recipient, first.pk, "id_number_encrypted")
    with keys(KEY_B, KEY_A):
        with pytest.raises(CommandError, match="--after-pk needs exactly one --model"):
            rotate("--after-pk", "1")
        with pytest.raises(CommandError, match=r"No encrypted fields in regions\.region"):
            rotate("--model", "regions.Region")


@pytest.mark.django_db
def test_rehash_recomputes_the_lookup_hashes_for_a_new_hash_key(users: dict[str, Any]) -> None:
    with keys(KEY_A, hash_key=HASH_1):
        people = _people(users)
    number = people[0][1]
    with keys(KEY_A, hash_key=HASH_2):
        # A new hash key alone: search by number finds nobody until the hashes are recomputed.
        assert not Recipient.objects.filter(id_number_hash=crypto.lookup_hash(number)).exists()
        output = rotate("--rehash")
        assert "recipients.Recipient: 3 rows read, 3 rewritten" in output
        assert Recipient.objects.get(id_number_hash=crypto.lookup_hash(number)) == people[0][0]
        assert HistoricalRecipient.objects.filter(phone_hash=crypto.lookup_hash(people[2][2]))
        assert check_encrypted("default")[1] == []


@pytest.mark.django_db
def test_a_token_no_key_reads_stops_the_rotation_and_nothing_of_its_batch_is_written(
    users: dict[str, Any],
) -> None:
    with keys(KEY_A):
        _people(users)
    before = _tokens()
    with keys(KEY_C), pytest.raises(CommandError, match="no key in PERSONAL_DATA_KEYS decrypts"):
        rotate("--batch-size", "10")
    assert _tokens() == before


@pytest.mark.django_db
def test_the_rotation_refuses_malformed_keys() -> None:
    with keys(KEY_A, hash_key="short"), pytest.raises(CommandError, match="shorter than 32"):
        rotate()


# --- the restore check's reading of encrypted values ----------------------------------------


@pytest.mark.django_db
def test_the_restore_check_reads_every_encrypted_value(users: dict[str, Any]) -> None:
    with keys(KEY_A):
        people = _people(users)
        lines, problems = check_encrypted("default")
        assert problems == []
        assert (
            "recipients.Recipient: 3 rows, 5 encrypted values decrypted, 5 lookup hashes match"
            in lines
        )
        broken = people[1][0]
        Recipient.objects.filter(pk=broken.pk).update(id_number_hash="0" * 64)
        Recipient.objects.filter(pk=people[0][0].pk).update(phone_encrypted="garbage")
        _lines, problems = check_encrypted("default")
    assert problems == [
        f"recipients.Recipient pk {people[0][0].pk}: phone_encrypted unreadable",
        f"recipients.Recipient pk {broken.pk}: id_number_hash is not the hash of "
        "id_number_encrypted",
    ]
